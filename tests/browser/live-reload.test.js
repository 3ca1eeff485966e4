// `dateline serve` with a page open in Chromium: an edit reloads the page, a broken edit shows
// the error over the last good page, and the fix clears it.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { REPO, browser, dateline, spawn, watchForProblems } = require('./support');

let folder;
let server;
let chrome;
let root;

/** A copy of the example site, published under a /repo/ path like a GitHub project site. */
function copyExampleSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-live-'));
  for (const item of ['site.toml', 'content', 'articles', 'static', 'templates']) {
    const from = path.join(REPO, item);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, item), { recursive: true });
  }
  const config = path.join(dir, 'site.toml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8')
    .replace(/^base_url = .*$/m, 'base_url = "https://example.org/repo/"'));
  return dir;
}

before(async () => {
  folder = copyExampleSite();
  server = spawn(dateline(), ['serve', '--port', '0', '--no-ingest', '--root', folder], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  root = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: server.stdout });
    lines.on('line', (line) => {
      const match = line.match(/^Serving (\S+)/);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`dateline serve exited with ${code}`)));
  });
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  server?.kill('SIGINT');
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

test('editing an entry reloads the open page; a broken edit shows an overlay until fixed', async () => {
  assert.match(root, /^http:\/\/127\.0\.0\.1:\d+\/repo\/$/);
  const entries = path.join(folder, 'content/entries');
  const file = path.join(entries, fs.readdirSync(entries).filter((f) => f.endsWith('.md')).sort()[0]);
  const original = fs.readFileSync(file, 'utf8');
  const title = original.match(/^title = "(.*)"$/m)[1];

  const page = await chrome.context.newPage();
  const problems = watchForProblems(page);
  await page.goto(root, { waitUntil: 'load' });
  const link = page.locator('a', { hasText: title.slice(0, 30) }).first();
  await Promise.all([page.waitForURL(/\/repo\/events\//), link.click()]);
  // The live-reload connection is open before the edit.
  await page.waitForFunction(() => performance.getEntriesByType('resource')
    .some((r) => r.name.includes('__dateline/live')));

  const save = (text) => {
    const scratch = `${file}.tmp`;
    fs.writeFileSync(scratch, text);
    fs.renameSync(scratch, file);
  };

  const edited = original.replace(`title = "${title}"`, 'title = "A headline edited while the page was open"');
  await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), save(edited)]);
  await page.waitForSelector('text=A headline edited while the page was open');

  save('+++\ntitle = "Unterminated\n');
  const overlay = page.locator('[role="alert"]');
  await overlay.waitFor({ state: 'visible', timeout: 30_000 });
  const message = await overlay.textContent();
  assert.match(message, new RegExp(path.basename(file).replace('.', '\\.')));
  assert.match(message, /Build failed/);
  // The last good page is still what the reader sees under the overlay.
  assert.ok(await page.locator('text=A headline edited while the page was open').count() >= 1);

  // A page opened now shows the error too.
  const second = await chrome.context.newPage();
  await second.goto(root, { waitUntil: 'load' });
  await second.locator('[role="alert"]').waitFor({ state: 'visible', timeout: 30_000 });
  await second.close();

  await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), save(original)]);
  await page.waitForSelector(`text=${title.slice(0, 30)}`);
  assert.equal(await page.locator('[role="alert"]').count(), 0, 'the overlay stayed after the fix');
  // Reloading cuts the page's own live-reload stream; that is the only request allowed to fail.
  assert.deepEqual(problems.filter((p) => !/request failed: .*__dateline\/live .*ERR_ABORTED/.test(p)), []);
  await page.close();
});
