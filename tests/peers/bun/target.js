// tests/peers/bun/target.js: a Bun (or Node) program that burns CPU about 75/25 in
// bunHotFunction / bunWarmFunction, in setImmediate chunks so that signals and inspector
// messages are served. For `resq-flame bun` (--cmd with bun --cpu-prof, and --inspect).
//
//   bun tests/peers/bun/target.js [SECONDS]     (default 60, at most 600; exits by itself)
//
// Prints {"ready":true,"pid":P} when running.
const seconds = Number(process.argv[2] || 60);
if (!(seconds > 0 && seconds <= 600)) {
  console.error('target.js: SECONDS must be in (0, 600]');
  process.exit(2);
}
let sink = 0;

function bunHotFunction(ms) {
  const until = performance.now() + ms;
  let x = sink | 1;
  do {
    for (let i = 0; i < 20000; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
  } while (performance.now() < until);
  sink = x;
}

function bunWarmFunction(ms) {
  const until = performance.now() + ms;
  let x = sink | 5;
  do {
    for (let i = 0; i < 20000; i++) x = (Math.imul(x, 22695477) + 1) | 0;
  } while (performance.now() < until);
  sink = x;
}

const deadline = Date.now() + seconds * 1000;
function tick() {
  if (Date.now() >= deadline) process.exit(0);
  bunHotFunction(6);
  bunWarmFunction(2);
  setImmediate(tick);
}
process.stdout.write(JSON.stringify({ ready: true, pid: process.pid }) + '\n');
setImmediate(tick);
