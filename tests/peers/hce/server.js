'use strict';
// tests/peers/hce/server.js: a stand-in for the ResQ Coordination HCE service's admin endpoints,
// profiling itself for real with node:inspector, for the `resq-flame hce` and `memory` tests.
//
//   node tests/peers/hce/server.js [[--port] N]   (or $PORT; 0 = any free port, the default)
//
// Listens on 127.0.0.1 only and prints one JSON line when ready: {"ready":true,"port":N,"pid":P}.
// Auth: `Authorization: Bearer $RESQ_TEST_TOKEN` or `x-api-key: $RESQ_TEST_API_KEY` (at least
// one of the two variables must be set); anything else gets 401.
//
//   POST /admin/cpu-profile  {"durationMs":D,"intervalUs":I}  -> V8 .cpuprofile JSON (nodes, samples,
//        timeDeltas, startTime, endTime), taken with Profiler.* while the main thread burns CPU
//        in hceHotFunction (~75% of busy time) and hceWarmFunction (~25%), in setImmediate chunks
//        so that timers and requests still run.
//   GET  /admin/heap-profile?seconds=N[&intervalBytes=B]  -> sampling heap profile JSON
//        ({"head":...,"samples":[...]}, the .heapprofile format) taken with HeapProfiler sampling
//        while hceRetainingAllocator allocates and keeps objects alive until the profile is taken.
//   GET  /health -> {"ok":true} (no auth; for readiness checks)
//
// Bounded: durations are capped, one profile at a time (409 otherwise), the process exits by
// itself after $RESQ_HCE_MAX_LIFETIME_S seconds (default 600). $RESQ_HCE_BURN=always keeps the
// CPU burn running between requests too. Credentials are never logged.

const http = require('node:http');
const crypto = require('node:crypto');
const { Session } = require('node:inspector/promises');

const MAX_DURATION_MS = 120000;
const MAX_BODY_BYTES = 64 * 1024;
const RETAIN_LIMIT_BYTES = 64 * 1024 * 1024;

function parsePort() {
  const i = process.argv.indexOf('--port');
  const positional = process.argv[2] !== undefined && process.argv[2] !== '--port' ? process.argv[2] : undefined;
  const raw = i >= 0 ? process.argv[i + 1] : (positional ?? process.env.PORT ?? '0');
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`hce peer: bad port ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return port;
}

const token = process.env.RESQ_TEST_TOKEN || '';
const apiKey = process.env.RESQ_TEST_API_KEY || '';
if (!token && !apiKey) {
  console.error('hce peer: set RESQ_TEST_TOKEN and/or RESQ_TEST_API_KEY (the credentials it accepts)');
  process.exit(2);
}

// Compares digests so that neither the length nor the content leaks through timing.
function sameSecret(given, expected) {
  if (!expected || typeof given !== 'string') return false;
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

function authorized(req) {
  const auth = req.headers.authorization;
  if (auth && /^Bearer /i.test(auth) && sameSecret(auth.slice(7).trim(), token)) return true;
  return sameSecret(req.headers['x-api-key'], apiKey);
}

// ---- the known CPU work -------------------------------------------------------------------
let sink = 0;

function hceHotFunction(ms) {
  const until = performance.now() + ms;
  let x = sink | 1;
  do {
    for (let i = 0; i < 20000; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  } while (performance.now() < until);
  sink = x;
}

function hceWarmFunction(ms) {
  const until = performance.now() + ms;
  let x = sink | 3;
  do {
    for (let i = 0; i < 20000; i++) x = (Math.imul(x, 214013) + 2531011) | 0;
  } while (performance.now() < until);
  sink = x;
}

let burners = 0; // how many profiles (or "always") want the burn running
function burnChunk() {
  if (burners === 0) return;
  hceHotFunction(3);
  hceWarmFunction(1);
  setImmediate(burnChunk);
}
function startBurn() {
  if (burners++ === 0) setImmediate(burnChunk);
}
function stopBurn() {
  burners = Math.max(0, burners - 1);
}

// ---- the known allocations ----------------------------------------------------------------
let retained = [];
let retainedBytes = 0;

function hceRetainingAllocator() {
  for (let i = 0; i < 64 && retainedBytes < RETAIN_LIMIT_BYTES; i++) {
    const block = new Array(128).fill(i); // ~1 KiB of elements each
    retained.push({ block, label: `block-${retained.length}` });
    retainedBytes += 1024;
  }
}

let allocating = false;
function allocChunk() {
  if (!allocating) return;
  hceRetainingAllocator();
  setTimeout(allocChunk, 5);
}

// ---- HTTP ----------------------------------------------------------------------------------
let busy = false;

function send(res, status, body, extraHeaders = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...extraHeaders });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        // Answer 413 at once and discard the rest; the connection closes after the response.
        req.removeAllListeners('data');
        req.resume();
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function intParam(value, name, def, min, max) {
  if (value === undefined || value === null || value === '') return def;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw Object.assign(new Error(`${name} must be an integer in [${min}, ${max}]`), { status: 400 });
  }
  return n;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function cpuProfile(req) {
  const text = await readBody(req);
  let body = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw Object.assign(new Error('body is not JSON'), { status: 400 });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw Object.assign(new Error('body must be a JSON object'), { status: 400 });
    }
  }
  const durationMs = intParam(body.durationMs, 'durationMs', 5000, 1, MAX_DURATION_MS);
  const intervalUs = intParam(body.intervalUs, 'intervalUs', 100, 1, 1000000);
  const session = new Session();
  session.connect();
  startBurn();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    await sleep(durationMs);
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    return { profile, note: `durationMs=${durationMs} intervalUs=${intervalUs} samples=${profile.samples.length}` };
  } finally {
    stopBurn();
    session.disconnect();
  }
}

async function heapProfile(url) {
  const seconds = Number(url.searchParams.get('seconds') ?? '5');
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds * 1000 > MAX_DURATION_MS) {
    throw Object.assign(new Error(`seconds must be a number in (0, ${MAX_DURATION_MS / 1000}]`), { status: 400 });
  }
  const intervalBytes = intParam(url.searchParams.get('intervalBytes'), 'intervalBytes', 4096, 1, 1 << 30);
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: intervalBytes });
    allocating = true;
    allocChunk();
    await sleep(seconds * 1000);
    allocating = false;
    // Objects are still retained here, so the sampling profile (live objects only) has them.
    const { profile } = await session.post('HeapProfiler.stopSampling');
    await session.post('HeapProfiler.disable');
    return { profile, note: `seconds=${seconds} intervalBytes=${intervalBytes} samples=${profile.samples.length}` };
  } finally {
    allocating = false;
    retained = [];
    retainedBytes = 0;
    session.disconnect();
  }
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /health') return send(res, 200, { ok: true });
  const known = route === 'POST /admin/cpu-profile' || route === 'GET /admin/heap-profile';
  if (!known) {
    if (url.pathname === '/admin/cpu-profile' || url.pathname === '/admin/heap-profile') {
      return send(res, 405, { error: `method ${req.method} not allowed` });
    }
    return send(res, 404, { error: 'not found' });
  }
  if (!authorized(req)) {
    req.resume();
    return send(res, 401, { error: 'unauthorized: send Authorization: Bearer <token> or x-api-key' }, { 'www-authenticate': 'Bearer' });
  }
  if (busy) {
    req.resume();
    return send(res, 409, { error: 'a profile is already being taken' });
  }
  busy = true;
  try {
    const { profile, note } = route === 'POST /admin/cpu-profile' ? await cpuProfile(req) : await heapProfile(url);
    console.error(`hce peer: ${route} 200 ${note}`);
    send(res, 200, profile);
  } finally {
    busy = false;
  }
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    const status = e.status || 500;
    console.error(`hce peer: ${req.method} ${req.url} ${status} ${e.message}`);
    if (!res.headersSent) send(res, status, { error: e.message }, status === 413 ? { connection: 'close' } : {});
    else res.destroy();
  });
});

server.listen(parsePort(), '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({ ready: true, port, pid: process.pid }) + '\n');
});
server.on('error', (e) => {
  console.error(`hce peer: ${e.message}`);
  process.exit(1);
});

if (process.env.RESQ_HCE_BURN === 'always') startBurn();

const maxLifetimeS = Number(process.env.RESQ_HCE_MAX_LIFETIME_S || 600);
setTimeout(() => {
  console.error(`hce peer: exiting after its maximum lifetime of ${maxLifetimeS} s`);
  process.exit(0);
}, maxLifetimeS * 1000).unref();

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
