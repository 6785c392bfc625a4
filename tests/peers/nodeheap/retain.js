'use strict';
// tests/peers/nodeheap/retain.js: a plain Node process (no --inspect) that keeps allocating
// and retaining memory in a known function, for `resq-flame memory --lang node --pid` (heap
// sampling over the inspector that SIGUSR1 opens).
//
//   node tests/peers/nodeheap/retain.js [SECONDS] [--debug-port N]
//
// nodeRetainingAllocator allocates ~64 KiB every 5 ms and keeps it (up to 256 MiB); a little
// short-lived garbage comes from nodeGarbageMaker. Prints {"ready":true,"pid":P} when running;
// exits by itself after SECONDS (default 60, at most 600).
const args = process.argv.slice(2);
let seconds = 60;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--debug-port') process.debugPort = Number(args[++i]);
  else seconds = Number(args[i]);
}
if (!(seconds > 0 && seconds <= 600)) {
  console.error('retain.js: SECONDS must be in (0, 600]');
  process.exit(2);
}

const retained = [];
let retainedBytes = 0;
let garbage = 0;

function nodeRetainingAllocator() {
  for (let i = 0; i < 64 && retainedBytes < 256 * 1024 * 1024; i++) {
    retained.push({ block: new Array(128).fill(i), label: 'block-' + retained.length });
    retainedBytes += 1024;
  }
}

function nodeGarbageMaker() {
  const tmp = [];
  for (let i = 0; i < 16; i++) tmp.push({ i, s: String(i) });
  garbage += tmp.length;
}

const deadline = Date.now() + seconds * 1000;
function tick() {
  if (Date.now() >= deadline) process.exit(0);
  nodeRetainingAllocator();
  nodeGarbageMaker();
  setTimeout(tick, 5);
}
process.stdout.write(JSON.stringify({ ready: true, pid: process.pid }) + '\n');
tick();
