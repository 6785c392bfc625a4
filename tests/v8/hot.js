// Workload for test_node_real.sh: about 1.5 s of CPU, most of it in hotLoop (the known hot
// function), a little in coldSetup, recursion in fib. Runs unchanged under node and bun.
'use strict';
function coldSetup() {
  const a = [];
  for (let i = 0; i < 2e5; i++) a.push(i % 7);
  return a;
}
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function hotLoop(data) {
  let acc = 0;
  for (let r = 0; r < 400; r++)
    for (let i = 0; i < data.length; i++) acc = (acc + Math.imul(data[i], i + r)) | 0;
  return acc;
}
const data = coldSetup();
const t0 = Date.now();
let sink = fib(20);
while (Date.now() - t0 < 1500) sink ^= hotLoop(data);
console.log('done', sink);
