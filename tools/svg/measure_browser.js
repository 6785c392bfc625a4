'use strict';
// Measures, in Chromium, how long a flame graph SVG takes to first paint and to zoom.
//   node tools/svg/measure_browser.js [FOLDED...]
// Without arguments it measures a generated profile of about 10,000 drawn frames (20 x 25 x 20
// functions, equal weights) and the perf example from ../shared/testdata. SVGs are made with
// build/tools/bench_svg --render ($RF_SVG_RENDER). Not a test: it prints numbers (medians of 5).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { launch, fileUrl } = require('../../tests/lib/browser.js');

const ROOT = path.resolve(__dirname, '../..');
const RENDER = process.env.RF_SVG_RENDER || path.join(ROOT, process.env.RF_BUILD || 'build', 'tools/bench_svg');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-measure-'));

function generated() {
  const lines = [];
  for (let a = 0; a < 20; a++)
    for (let b = 0; b < 25; b++)
      for (let c = 0; c < 20; c++) lines.push(`main;service_${a}::handle;module_${a}_${b}::step;leaf_function_${c} 10`);
  const f = path.join(work, 'gen10k.folded');
  fs.writeFileSync(f, lines.join('\n') + '\n');
  return f;
}
const median = (v) => v.slice().sort((x, y) => x - y)[Math.floor(v.length / 2)];

(async () => {
  const inputs = process.argv.length > 2 ? process.argv.slice(2)
    : [generated(), path.join(ROOT, '../shared/testdata/inferno/collapse-perf/example-perf-stacks-collapsed.txt')];
  const browser = await launch();
  for (const input of inputs) {
    const svg = path.join(work, path.basename(input) + '.svg');
    fs.writeFileSync(svg, execFileSync(RENDER, ['--render', input], { maxBuffer: 1 << 30 }));
    const size = fs.statSync(svg).size;
    const paint = [], zoom = [], unzoom = [];
    let frames = 0, staticFrames = 0;
    for (let run = 0; run < 5; run++) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      await page.goto(fileUrl(svg), { waitUntil: 'load' });
      // first paint: navigation start until two animation frames after load (the frame after
      // the script's render has been painted)
      paint.push(await page.evaluate(() => new Promise((res) => requestAnimationFrame(() =>
        requestAnimationFrame(() => res(performance.now()))))));
      const r = await page.evaluate(() => {
        // frames: one <g> per row, one <g> per frame in it
        const rows = Array.from(document.querySelector('[id$="-frames"]').children).filter((e) => e.style.display !== 'none');
        const kids = rows.flatMap((r) => Array.from(r.children)).filter((e) => e.style.display !== 'none');
        // zoom into the widest frame at depth 2 (a child of a root child)
        const target = kids.find((e) => /^service_0::handle|^java \(/.test(e.querySelector('title').textContent)) || kids[2];
        return new Promise((res) => {
          const t0 = performance.now();
          target.dispatchEvent(new MouseEvent('click', { bubbles: true }));
          requestAnimationFrame(() => requestAnimationFrame(() => {
            const t1 = performance.now();
            window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
            requestAnimationFrame(() => requestAnimationFrame(() =>
              res({ zoom: t1 - t0, unzoom: performance.now() - t1, frames: kids.length })));
          }));
        });
      });
      zoom.push(r.zoom);
      unzoom.push(r.unzoom);
      frames = r.frames;
      await page.close();
    }
    staticFrames = (fs.readFileSync(svg, 'utf8').match(/<g><title>/g) || []).length;
    console.log(`${path.basename(input)}: SVG ${(size / 1048576).toFixed(2)} MiB, ${staticFrames} static frames ` +
      `(${(size / staticFrames).toFixed(1)} bytes each), ${frames} shown by the script at 1200 px`);
    console.log(`  first paint ${median(paint).toFixed(0)} ms after navigation start; ` +
      `zoom ${median(zoom).toFixed(0)} ms, unzoom ${median(unzoom).toFixed(0)} ms (click to painted, median of 5)`);
  }
  await browser.close();
  fs.rmSync(work, { recursive: true, force: true });
})();
