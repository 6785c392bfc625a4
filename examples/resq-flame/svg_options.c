/* CLI SVG flags (flamegraph.pl names) -> rf_svg_options -> rf_write_svg. */
#include <string.h>
#include "cli.h"

static void fill_options(const cli_config *cfg, rf_svg_options *o_) {
#define o (*o_)
    memset(&o, 0, sizeof o); /* zero = flamegraph.pl's defaults */
    o.title = cfg->title;
    o.subtitle = cfg->subtitle;
    o.width = cfg->width;
    o.height = cfg->height;
    o.minwidth = cfg->minwidth;
    o.fonttype = cfg->fonttype;
    o.fontsize = cfg->fontsize;
    o.fontwidth = cfg->fontwidth;
    o.countname = cfg->countname;
    o.nametype = cfg->nametype;
    o.colors = cfg->colors;
    o.bgcolors = cfg->bgcolors;
    o.hash = cfg->hash;
    o.cp = cfg->cp;
    o.reverse = cfg->reverse;
    o.inverted = cfg->inverted;
    o.flamechart = cfg->flamechart;
    o.negate = cfg->negate;
    /* diff --width-from (cmd_diff has checked the word); other commands leave it NULL */
    o.width_from = !cfg->width_from || !strcmp(cfg->width_from, "after") ? RF_SVG_WIDTH_AFTER
                   : !strcmp(cfg->width_from, "before")                  ? RF_SVG_WIDTH_BEFORE
                   : !strcmp(cfg->width_from, "max")                     ? RF_SVG_WIDTH_MAX
                                                                         : -1;
    o.factor = cfg->factor;
    o.notes = cfg->notes;
    o.total = cfg->total;
    o.search_color = cfg->search_color;
    o.truncate = cfg->truncate;
    o.sort = cfg->sort;
#undef o
}

int cli_check_svg_options(const cli_config *cfg) {
    rf_svg_options o;
    const char *bad;
    fill_options(cfg, &o);
    if ((bad = rf_svg_check_options(&o)) != NULL) {
        cli_error("%s", bad);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

rf_result cli_write_svg(const cli_config *cfg, const rf_profile *p, rf_write_fn fn, void *ctx) {
    rf_svg_options o;
    fill_options(cfg, &o);
    return rf_write_svg(p, &o, fn, ctx);
}
