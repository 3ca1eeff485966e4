// Shared set-up for the browser tests: build the example site under a /repo/ base path, serve
// it from a plain static server on 127.0.0.1 (as GitHub Pages would), and drive Debian's
// Chromium through playwright-core (no browser download).
'use strict';

const { spawnSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const REPO = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(__dirname, 'artifacts');
const BASE_PATH = '/repo/';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The dateline binary, built (debug) if needed. */
function dateline() {
  const build = spawnSync('cargo', ['build', '--quiet', '--bin', 'dateline'], {
    cwd: REPO, stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('cargo build failed');
  const target = process.env.CARGO_TARGET_DIR || path.join(REPO, 'target');
  return path.join(target, 'debug', 'dateline');
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml',
  '.csv': 'text/csv', '.txt': 'text/plain', '.png': 'image/png', '.woff': 'font/woff',
  '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject',
};

/**
 * A static server like GitHub Pages': `mounts` maps a URL prefix to a folder; folders serve
 * their index.html, a folder URL without its slash redirects, anything else is the site's 404.
 */
function staticServer(mounts, notFoundPage) {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    let pathname;
    try { pathname = decodeURIComponent(url.pathname); } catch { pathname = ''; }
    const mount = Object.keys(mounts).find((prefix) => pathname.startsWith(prefix));
    const send = (status, file) => {
      response.writeHead(status, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(response);
    };
    const notFound = () => {
      if (notFoundPage && fs.existsSync(notFoundPage)) return send(404, notFoundPage);
      response.writeHead(404).end('not found');
    };
    if (!mount || pathname.includes('..')) return notFound();
    let file = path.join(mounts[mount], pathname.slice(mount.length));
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) {
        response.writeHead(301, { location: `${url.pathname}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return notFound();
    send(200, file);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Builds the repository's example site into a temporary folder with base_url
 * http://127.0.0.1:PORT/repo/ and serves it, plus TimelineJS3 from node_modules at /vendor/.
 */
async function exampleSite() {
  const output = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-browser-'));
  const site = path.join(output, 'site');
  let server;
  const mounts = {};
  server = await staticServer(mounts, path.join(site, '404.html'));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const build = spawnSync(dateline(), [
    'build', '--no-ingest', '--root', REPO, '--output', site, '--base-url', origin + BASE_PATH,
  ], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`dateline build failed:\n${build.stderr}`);
  mounts[BASE_PATH] = site;
  mounts['/vendor/timelinejs/'] = path.join(__dirname, 'node_modules/@knight-lab/timelinejs/dist');
  mounts['/harness/'] = path.join(__dirname, 'harness');
  return {
    origin,
    root: origin + BASE_PATH,
    folder: site,
    close: () => {
      server.close();
      fs.rmSync(output, { recursive: true, force: true });
    },
  };
}

/** Every HTML page of a built site, as URLs. */
function pages(site) {
  const found = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.html')) {
        const relative = path.relative(site.folder, full).split(path.sep).join('/');
        found.push(site.root + relative.replace(/(^|\/)index\.html$/, '$1'));
      }
    }
  };
  walk(site.folder);
  return found;
}

/** A headless Chromium with a fresh profile; `options` go to the browser context. */
async function browser(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Records what a reader would call broken on a page: console errors, uncaught exceptions,
 * failed requests and HTTP errors.
 */
function watchForProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

function artifact(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

module.exports = {
  REPO, BASE_PATH, artifact, browser, dateline, exampleSite, pages, spawn, watchForProblems,
};
