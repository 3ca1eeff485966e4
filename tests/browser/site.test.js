// The example site as a reader meets it: in headless Chromium, served under /repo/ from a
// plain static server. Run with `npm test` in tests/browser (see tests/README.md).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { artifact, browser, exampleSite, pages, watchForProblems } = require('./support');

let site;
let chrome;

before(async () => {
  site = await exampleSite();
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  site?.close();
});

/** The events of the export, in timeline order, for what the pages should show. */
function exportedEvents() {
  return JSON.parse(fs.readFileSync(path.join(site.folder, 'timeline.json'), 'utf8')).events;
}

async function open(url, options = {}) {
  const page = await (options.context || chrome.context).newPage();
  const problems = watchForProblems(page);
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, problems, response };
}

test('the timeline lists events in date order with their outlets, and leads to sources', async () => {
  const { page, problems } = await open(site.root);
  const cards = page.locator('article.event-card');
  const count = await cards.count();
  assert.ok(count >= 3, `only ${count} events on the index`);
  const dates = await cards.locator('p.meta time').evaluateAll(
    (times) => times.map((t) => t.getAttribute('datetime')),
  );
  assert.deepEqual(dates, [...dates].sort(), 'events are not in date order');
  // Each event shows its outlets as badges, and the badges match the export's events.
  for (let i = 0; i < count; i += 1) {
    const badges = await cards.nth(i).locator('ul.badges a.badge').allTextContents();
    assert.ok(badges.length > 0, `event ${i} shows no outlet`);
  }
  const headlines = await cards.locator('.event-title a').allTextContents();
  // Headlines in the export are HTML (TimelineJS renders them so): read them as text.
  const exported = await page.evaluate((events) => events.map((e) => {
    const holder = document.createElement('div');
    holder.innerHTML = e.text.headline;
    return holder.textContent;
  }), exportedEvents());
  for (const headline of exported) {
    assert.ok(headlines.some((h) => headline.includes(h.trim()) || h.includes(headline)),
      `exported event "${headline}" is not on the index`);
  }

  // Following an event leads to its page and its sources; back and forward work.
  const first = cards.first().locator('.event-title a');
  const title = (await first.textContent()).trim();
  await Promise.all([page.waitForURL(/\/repo\/events\/.+\/$/), first.click()]);
  assert.equal((await page.locator('h1').textContent()).trim(), title);
  const sources = page.locator('ol.sources > li');
  assert.ok(await sources.count() >= 1, 'the event page lists no source');
  const eventUrl = page.url();
  const source = sources.first().locator('.source-title a');
  await Promise.all([page.waitForURL(/\/repo\/entries\/.+\/$/), source.click()]);
  await page.goBack();
  assert.equal(page.url(), eventUrl);
  await page.goBack();
  assert.equal(page.url(), site.root);
  await page.goForward();
  assert.equal(page.url(), eventUrl);
  assert.deepEqual(problems, []);
  await page.close();
});

async function search(page, query) {
  await page.fill('#search-q', query);
  await page.locator('#search-q').press('Enter');
  await page.waitForSelector('#search-results .search-list, #search-results .search-status');
  return page.locator('#search-results li.search-result');
}

test('search finds events by a person and by a word of a quote, and filters narrow it', async () => {
  const { page, problems } = await open(`${site.root}search/`);
  // The no-JavaScript notice goes away once the script runs; the filters appear.
  await page.waitForSelector('#search-nojs', { state: 'hidden' });

  let results = await search(page, 'Pashinyan');
  assert.ok(await results.count() >= 1, 'nothing found for Pashinyan');
  assert.ok(await page.locator('#search-results li.search-event').count() >= 1,
    'no event found for Pashinyan');

  // A word only a quote has: "protracted" from the call on all countries.
  results = await search(page, 'protracted');
  const titles = await results.locator('.search-title').allTextContents();
  assert.ok(titles.length >= 1, 'nothing found for a word of a quote');

  // Everything mentioning Karabakh, then only one outlet's.
  results = await search(page, 'Karabakh');
  const all = await results.count();
  const outlet = page.locator('#filter-outlet');
  const options = await outlet.locator('option').allTextContents();
  const choice = options.find((o) => o === 'Press TV');
  assert.ok(choice, `no Press TV filter among ${options}`);
  await outlet.selectOption({ label: choice });
  await page.waitForFunction(
    (before) => document.querySelectorAll('#search-results li.search-result').length < before,
    all,
  );
  const narrowed = await page.locator('#search-results li.search-result').count();
  assert.ok(narrowed >= 1 && narrowed < all, `filter gave ${narrowed} of ${all}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('no page has console errors or failed requests', async () => {
  const urls = pages(site);
  assert.ok(urls.length > 30, `only ${urls.length} pages`);
  const page = await chrome.context.newPage();
  const problems = watchForProblems(page);
  for (const url of urls) {
    const response = await page.goto(url, { waitUntil: 'load' });
    const expected = url.endsWith('404.html') ? 404 : 200;
    // The static server answers 404.html itself with 200; only other pages must be 200.
    if (!url.endsWith('404.html')) assert.equal(response.status(), expected, url);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('axe finds no accessibility violations on the main kinds of page', async () => {
  const axe = require.resolve('axe-core/axe.min.js');
  const eventPage = pages(site).find((u) => u.includes('/events/'));
  const entryPage = pages(site).find((u) => u.includes('/entries/'));
  for (const url of [site.root, eventPage, entryPage, `${site.root}people/`, `${site.root}outlets/press-tv/`]) {
    for (const colorScheme of ['light', 'dark']) {
      const { page } = await open(url);
      await page.emulateMedia({ colorScheme });
      await page.addScriptTag({ path: axe });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
      });
      assert.deepEqual(violations, [], `${url} (${colorScheme})`);
      await page.close();
    }
  }
});

test('screenshots of the index on a phone and a desktop, light and dark', async () => {
  const shots = [];
  for (const [device, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]]) {
    for (const colorScheme of ['light', 'dark']) {
      const { page } = await open(site.root);
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
      const file = artifact(`index-${device}-${colorScheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      // Nothing may stick out sideways on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${device} ${colorScheme}: page is ${overflow}px too wide`);
      shots.push(file);
      await page.close();
    }
  }
  const eventPage = pages(site).find((u) => u.includes('/events/'));
  const { page } = await open(eventPage);
  const file = artifact('event-desktop-light.png');
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
  await page.close();
  for (const shot of shots) assert.ok(fs.statSync(shot).size > 10_000, `${shot} looks empty`);
});

test('without JavaScript the index and an event page still show their content', async () => {
  const noScript = await browser({ javaScriptEnabled: false });
  try {
    const { page } = await open(site.root, { context: noScript.context });
    assert.ok(await page.locator('article.event-card').count() >= 3);
    assert.ok(await page.locator('.month-list li').count() >= 2);
    const link = await page.locator('.event-title a').first().getAttribute('href');
    await page.goto(new URL(link, site.root).href);
    assert.ok((await page.locator('h1').textContent()).trim().length > 10);
    assert.ok(await page.locator('ol.sources > li').count() >= 1);
    await page.goto(`${site.root}search/`);
    assert.ok(await page.locator('#search-nojs').isVisible(), 'search does not say it needs JavaScript');
  } finally {
    await noScript.close();
  }
});

test('timeline.json renders in TimelineJS3 with one slide per event', async () => {
  const source = `${site.root}timeline.json`;
  const { page, problems } = await open(`${site.origin}/harness/timeline.html?src=${encodeURIComponent(source)}`);
  await page.waitForFunction(() => window.timelineLoaded === true, null, { timeout: 20_000 });
  const result = await page.evaluate(() => ({
    errors: window.timelineErrors,
    events: window.timelineData.events.length,
    title: Boolean(window.timelineData.title),
    slides: document.querySelectorAll('.tl-slide').length,
    markers: document.querySelectorAll('.tl-timemarker').length,
  }));
  assert.deepEqual(result.errors, []);
  assert.equal(result.markers, result.events, 'one marker on the time axis per event');
  assert.equal(result.slides, result.events + (result.title ? 1 : 0), 'one slide per event (plus the title)');
  assert.deepEqual(problems, []);
  await page.close();
});
