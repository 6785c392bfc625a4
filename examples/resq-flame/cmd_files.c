/* Commands that work on files: file (any input -> SVG or folded), collapse (-> folded on stdout). */
#include <string.h>
#include "cli.h"

int cmd_file(cli_config *cfg) {
    rf_profile *p;
    int rc;
    if ((rc = cli_check_svg_options(cfg)) != EXIT_OK) return rc;
    p = rf_profile_new(cli_allocator());
    if (!p) { cli_error("out of memory"); return EXIT_BAD_INPUT; }
    rc = cli_load_inputs(cfg, p);
    if (rc == EXIT_OK) rc = cli_write_output(cfg, p);
    rf_profile_free(p);
    return rc;
}

int cmd_collapse(cli_config *cfg) {
    if (!cfg->output) cfg->output = "-"; /* composes in pipes like the stackcollapse tools */
    if (!cfg->to) cfg->to = "folded";
    return cmd_file(cfg);
}
