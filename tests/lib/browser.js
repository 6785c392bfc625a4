'use strict';
// tests/lib/browser.js: one way to start a browser for every browser test.
//
// playwright-core (tests/node_modules, from tests/package-lock.json) drives Debian's Chromium
// (/usr/bin/chromium, or $RF_CHROMIUM); nothing downloads a browser. The flags keep Chromium
// off the network (this machine has none besides the package registries) and quiet in CI.
//
//   const { launch, fileUrl, trackErrors } = require('../lib/browser.js');
//   const browser = await launch();
//   const page = await browser.newPage();
//   const errors = trackErrors(page);
//   await page.goto(fileUrl('flamegraph.svg'));
//   ...
//   await browser.close();

const fs = require('node:fs');
const path = require('node:path');

const CHROMIUM_PATH = process.env.RF_CHROMIUM || '/usr/bin/chromium';

// --headless etc. are what this machine's Chromium needs: without the background-networking
// flags it keeps trying (and failing) to reach Google's hosts.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function loadPlaywright() {
  try {
    return require('playwright-core');
  } catch (e) {
    const err = new Error('playwright-core is not installed in tests/node_modules; run: tools/deps.sh browser');
    err.code = 'RF_MISSING_PEER';
    throw err;
  }
}

// Starts Chromium. Playwright gives every launch() a new, empty --user-data-dir of its own
// (and removes it on close), so runs never share a profile. opts go to chromium.launch().
async function launch(opts = {}) {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    const err = new Error(`${CHROMIUM_PATH} not found; run: tools/deps.sh browser`);
    err.code = 'RF_MISSING_PEER';
    throw err;
  }
  const { chromium } = loadPlaywright();
  const { args = [], ...rest } = opts;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: [...CHROMIUM_ARGS, ...args],
    timeout: 60000,
    ...rest,
  });
}

// file:// URL of a path (relative paths are taken from the current directory).
function fileUrl(p) {
  return require('node:url').pathToFileURL(path.resolve(p)).href;
}

// Collects uncaught page exceptions and console errors, so a test can assert there were none.
function trackErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

module.exports = { launch, fileUrl, trackErrors, CHROMIUM_PATH, CHROMIUM_ARGS };
