'use strict';
// tests/peers/hce/inspect_target.js: a plain Node process (started without --inspect) that burns
// CPU in a known function, for `resq-flame hce --pid` tests: SIGUSR1 makes Node open its
// inspector, the CLI profiles it over the WebSocket and must close the inspector again.
//
//   node tests/peers/hce/inspect_target.js [SECONDS] [--debug-port N]
//
// SECONDS: how long to live (default 60, at most 600); it exits by itself after that.
// --debug-port N: the port SIGUSR1 opens the inspector on (default Node's 9229; 0 = any free
// port, which Node then prints as "Debugger listening on ws://127.0.0.1:PORT/..." on stderr).
// Prints {"ready":true,"pid":P,"debugPort":N} when running. Busy time splits about 75/25 between
// inspectTargetHotFunction and inspectTargetWarmFunction, in setImmediate chunks with a little
// idle time between them, so the inspector's messages are served promptly.

const args = process.argv.slice(2);
let seconds = 60;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--debug-port') {
    const port = Number(args[++i]);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error('inspect_target: --debug-port needs a port number');
      process.exit(2);
    }
    process.debugPort = port; // used when SIGUSR1 activates the inspector
  } else {
    seconds = Number(args[i]);
    if (!(seconds > 0 && seconds <= 600)) {
      console.error('inspect_target: SECONDS must be a number in (0, 600]');
      process.exit(2);
    }
  }
}

let sink = 0;

function inspectTargetHotFunction(ms) {
  const until = performance.now() + ms;
  let x = sink | 1;
  do {
    for (let i = 0; i < 20000; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
  } while (performance.now() < until);
  sink = x;
}

function inspectTargetWarmFunction(ms) {
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
  inspectTargetHotFunction(6);
  inspectTargetWarmFunction(2);
  setImmediate(tick);
}

process.stdout.write(JSON.stringify({ ready: true, pid: process.pid, debugPort: process.debugPort }) + '\n');
setImmediate(tick);
