// The pure half of static/search.js: tokenising, matching, ranking, snippets and links.
// Run with `node --test tests/search/` (Node 20, no packages).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const vm = require('node:vm');
const { tokens, prepare, search, snippet, href } = require('../../static/search.js');

// The shape src/render/search.rs writes: events first, then entries; names in tables.
const DATA = {
  version: 1,
  outlets: ['TASS', 'Sputnik', 'Press TV'],
  people: ['Dmitry Peskov', 'Recep Tayyip Erdoğan', 'Nikol Pashinyan'],
  places: ['Nagorno-Karabakh', 'Ankara', 'Moscow'],
  quotes: ['We are against this', 'Turkey should stay out'],
  docs: [
    { k: 'event', p: 'events/peskov-turkey/', t: 'Kremlin warns Turkey', d: '2020-09-28',
      s: 'Moscow asks Ankara to stay out.', o: [0, 1], pe: [0, 1], pl: [0, 1], q: [0], m: [3, 4] },
    { k: 'event', p: 'events/ceasefire/', t: 'Ceasefire talks in Moscow', d: '2020-10-09 to 2020-10-10',
      o: [2], pe: [2], pl: [2], m: [5] },
    { k: 'event', p: 'events/undated/', t: 'Statement on Peskov', d: 'undated', m: [] },
    { k: 'entry', p: 'entries/2020-09-28-kremlin/', t: 'Kremlin statement', d: '2020-09-28',
      o: [0], pe: [0], pl: [0], q: [0], g: ['statement'] },
    { k: 'entry', p: 'entries/2020-09-28-peskov/', t: 'Peskov on Turkey’s role', d: '2020-09-28',
      o: [1], pe: [0, 1], pl: [1], q: [1], s: 'The spokesman spoke in Moscow.' },
    { k: 'entry', p: 'entries/2020-10-10-talks/', t: 'Talks end', d: '2020-10-10', o: [2], pe: [2], pl: [2] },
    { k: 'entry', p: 'entries/peskov/', t: 'Statement on Peskov', d: 'undated' },
  ],
};
const INDEX = prepare(DATA);
const paths = (docs) => docs.map((d) => d.path);

test('tokens: lower case, no diacritics, split on anything but letters and digits', () => {
  assert.deepEqual(tokens('Recep Tayyip ERDOĞAN’s 2020-09-28 talks!'),
    ['recep', 'tayyip', 'erdogan', 's', '2020', '09', '28', 'talks']);
  assert.deepEqual(tokens('Nagorno-Karabakh, Élysée'), ['nagorno', 'karabakh', 'elysee']);
  assert.deepEqual(tokens('Песков: «Мы против»'), ['песков', 'мы', 'против']);
  assert.deepEqual(tokens(''), []);
  assert.deepEqual(tokens(null), []);
  assert.deepEqual(tokens('  ,.;  '), []);
});

test('every query word must start a word of the document', () => {
  // The entry has both words in its title (8 + 8); the event has "Turkey" in its title and
  // Peskov among its people (8 + 4).
  assert.deepEqual(paths(search(INDEX, 'pesk turk')), [
    'entries/2020-09-28-peskov/', 'events/peskov-turkey/',
  ]);
  assert.deepEqual(paths(search(INDEX, 'ERDOGAN')), ['events/peskov-turkey/', 'entries/2020-09-28-peskov/']);
  // "eskov" is inside a word, not at its start.
  assert.deepEqual(search(INDEX, 'eskov'), []);
  assert.deepEqual(search(INDEX, 'peskov zzz'), []);
  assert.deepEqual(search(INDEX, ''), []);
  assert.deepEqual(search(INDEX, ' !? '), []);
});

test('title beats names beats quotes beats other fields; events first on ties', () => {
  // One word in a different field of each document, listed in an order unlike the ranking.
  const index = prepare({
    outlets: [], people: ['Zed Smith'], places: [], quotes: ['said zed'],
    docs: [
      { k: 'event', p: 'other/', t: 'a', s: 'zed in the summary' },
      { k: 'event', p: 'names/', t: 'b', pe: [0] },
      { k: 'event', p: 'title-event/', t: 'Zed' },
      { k: 'entry', p: 'quotes/', t: 'c', q: [0] },
      { k: 'entry', p: 'title-entry/', t: 'Zedong' },
      { k: 'entry', p: 'title-entry-2/', t: 'zed' },
      { k: 'entry', p: 'tags/', t: 'd', g: ['zed'] },
    ],
  });
  assert.deepEqual(paths(search(index, 'zed')), [
    'title-event/', 'title-entry/', 'title-entry-2/', 'names/', 'quotes/', 'other/', 'tags/',
  ]);
  // Scores add up over the query words.
  assert.deepEqual(paths(search(index, 'zed smith')), ['names/']);
  // In the fixture: a title match in three documents (events first, then index order) beats
  // "Statement" as the Turkey event's member title.
  assert.deepEqual(paths(search(INDEX, 'statement')), [
    'events/undated/', 'entries/2020-09-28-kremlin/', 'entries/peskov/', 'events/peskov-turkey/',
  ]);
  // "moscow": ceasefire title (8), talks entry place (4), Turkey event and Peskov entry summaries (1).
  assert.deepEqual(paths(search(INDEX, 'moscow')), [
    'events/ceasefire/', 'entries/2020-10-10-talks/', 'events/peskov-turkey/', 'entries/2020-09-28-peskov/',
  ]);
  assert.deepEqual(paths(search(INDEX, 'against')), ['events/peskov-turkey/', 'entries/2020-09-28-kremlin/']);
});

test('events find words in their member entries titles', () => {
  assert.deepEqual(paths(search(INDEX, 'talks end')), ['entries/2020-10-10-talks/', 'events/ceasefire/']);
});

test('filters by outlet, person and place, with or without a query', () => {
  assert.deepEqual(paths(search(INDEX, '', { outlet: 'Press TV' })), ['events/ceasefire/', 'entries/2020-10-10-talks/']);
  assert.deepEqual(paths(search(INDEX, 'peskov', { outlet: 'Sputnik' })), [
    'entries/2020-09-28-peskov/', 'events/peskov-turkey/',
  ]);
  assert.deepEqual(paths(search(INDEX, '', { person: 'Nikol Pashinyan', place: 'Moscow' })), [
    'events/ceasefire/', 'entries/2020-10-10-talks/',
  ]);
  assert.deepEqual(search(INDEX, '', { place: 'Nowhere' }), []);
  assert.deepEqual(INDEX.outlets, DATA.outlets);
});

test('snippet: the first summary, quote or member title with a query word, one line', () => {
  const turkey = INDEX.docs[0];
  assert.equal(snippet(turkey, 'against'), '“We are against this”');
  assert.equal(snippet(turkey, 'kremlin'), 'Kremlin statement');
  assert.equal(snippet(turkey, 'zzz'), 'Moscow asks Ankara to stay out.');
  // A member title that repeats the headline is no context.
  const repeat = prepare({ docs: [{ k: 'event', p: 'e/', t: 'Talks', m: [1, 2] },
    { k: 'entry', p: 'a/', t: 'Talks' }, { k: 'entry', p: 'b/', t: 'Talks resume' }] }).docs[0];
  assert.equal(snippet(repeat, 'talks'), 'Talks resume');
  assert.equal(snippet(INDEX.docs[5], 'talks'), 'Press TV · Nikol Pashinyan');
  assert.equal(snippet(INDEX.docs[6], 'peskov'), '');
  const long = prepare({ docs: [{ k: 'entry', p: 'x/', t: 'x', s: 'word '.repeat(60) }] }).docs[0];
  const line = snippet(long, 'word');
  assert.ok(line.length <= 160 && line.endsWith('word…'), line);
});

test('links: site root + path, index.html when offline', () => {
  assert.equal(href('/', false, 'events/x/'), '/events/x/');
  assert.equal(href('/repo/', false, 'events/x/'), '/repo/events/x/');
  assert.equal(href('/repo', false, 'events/x/'), '/repo/events/x/');
  assert.equal(href('../../', true, 'entries/2020-09-28-a/'), '../../entries/2020-09-28-a/index.html');
  assert.equal(href('../../', true, 'atom.xml'), '../../atom.xml');
  assert.equal(href(null, false, 'events/x/'), '/events/x/');
  assert.equal(href('', true, ''), '/index.html');
});

test('the index file is a script that assigns one global', () => {
  const file = 'window.DATELINE_SEARCH = {"version":1,"outlets":[],"people":[],"places":[],"quotes":[\n' +
    '"a\\u2028b"\n],"docs":[\n' +
    '{"k":"entry","p":"entries/x/","t":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>","d":"undated","q":[0]}\n]};\n';
  const window = {};
  vm.runInNewContext(file, { window });
  const index = prepare(window.DATELINE_SEARCH);
  assert.equal(index.docs[0].title, '</script><script>alert(1)</script>');
  assert.deepEqual(paths(search(index, 'alert')), ['entries/x/']);
  assert.deepEqual(paths(search(index, 'b')), ['entries/x/']);
});
