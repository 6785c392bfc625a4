// Workload for test_node_real.sh (heap): makeObjs retains most bytes, makeBuf some. Kept on
// globalThis so --heap-prof still sees them at exit (it lists live objects only).
'use strict';
function makeObjs(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push({ i, s: 'x' + i, a: [i, i + 1, i + 2] });
  return out;
}
function makeBuf(n) { return new Array(n).fill(0).map((_, i) => i * 2); }
globalThis.keep = [makeObjs(3e5), makeBuf(2e5)];
console.log('done', globalThis.keep[0].length);
