// Independent oracle for test_node_real.sh: reads the same profile JSON with JSON.parse and
// prints what the folded output must add up to.
//   node check.js cpu FILE HOTNAME   -> "<samples> <hot samples> <time-weighted total us>"
//   node check.js heap FILE HOTNAME  -> "<total selfSize> <selfSize of HOTNAME nodes>"
'use strict';
const [kind, file, hot] = process.argv.slice(2);
const p = JSON.parse(require('fs').readFileSync(file, 'utf8'));
if (kind === 'cpu') {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  let hotCount = 0;
  for (const id of p.samples) if (byId.get(id).callFrame.functionName === hot) hotCount++;
  // time weighting as documented: sample i lasts until sample i+1 (negative deltas count 0),
  // the last one until endTime (rounded to whole microseconds)
  const d = p.timeDeltas.map((x) => Math.max(0, x));
  let total = 0;
  for (let i = 1; i < d.length; i++) total += d[i];
  const tLast = Math.round(p.startTime) + d.reduce((a, b) => a + b, 0);
  total += Math.max(0, Math.round(p.endTime) - tLast);
  console.log(p.samples.length, hotCount, total);
} else {
  let total = 0, hotBytes = 0;
  const stack = [p.head];
  while (stack.length) {
    const n = stack.pop();
    total += n.selfSize;
    if (n.callFrame.functionName === hot) hotBytes += n.selfSize;
    stack.push(...n.children);
  }
  console.log(total, hotBytes);
}
