/* dateline search. Finds events and entries in window.DATELINE_SEARCH, which search-index.js
   (written by the build) assigns. No library and no request: the index arrives as a script, so
   search works on any static host and from file://. Results are built with createElement and
   textContent only, never innerHTML: the index is scraped text. */
(function () {
  'use strict';

  // A word in the title says more about a document than one in its summary.
  const WEIGHT = { title: 8, names: 4, quotes: 2, other: 1 };
  const LIMIT = 50;
  const FILTERS = [['outlet', 'outlets'], ['person', 'people'], ['place', 'places']];

  // Unicode property escapes are ES2018; an older engine splits on ASCII and common punctuation.
  const SEPARATOR = (function () {
    try { return new RegExp('[^\\p{L}\\p{N}\\p{M}]+', 'u'); }
    catch (e) { return /[\s!-\/:-@\[-`{-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f]+/; }
  })();

  /** Lower-case words without diacritics: "Pashinyán's" → ["pashinyan", "s"]. */
  function tokens(text) {
    return String(text == null ? '' : text).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .toLowerCase().split(SEPARATOR).filter(Boolean);
  }

  // All of a field's words in one " word word " string: one indexOf(" " + token) then finds a
  // word starting with the token, far faster per keystroke than a loop over words.
  function wordString(texts) {
    return ' ' + tokens(texts.filter(Boolean).join(' ')).join(' ') + ' ';
  }

  /** Expands the compact index (see src/render/search.rs) and precomputes every word list. */
  function prepare(data) {
    const table = (name, ids) => (ids || []).map((i) => (data[name] || [])[i]).filter(Boolean);
    const docs = (data.docs || []).map((d, position) => ({
      position, kind: d.k === 'event' ? 'event' : 'entry', path: d.p || '', title: d.t || '',
      date: d.d || '', summary: d.s || '', quotes: table('quotes', d.q), tags: d.g || [],
      members: d.m || [],
      outlets: table('outlets', d.o), people: table('people', d.pe), places: table('places', d.pl),
    }));
    for (const doc of docs) {
      doc.memberTitles = doc.members.map((i) => docs[i] && docs[i].title).filter(Boolean);
      doc.fields = [
        [WEIGHT.title, wordString([doc.title])],
        [WEIGHT.names, wordString(doc.outlets.concat(doc.people, doc.places))],
        [WEIGHT.quotes, wordString(doc.quotes)],
        [WEIGHT.other, wordString([doc.summary, doc.date].concat(doc.tags, doc.memberTitles))],
      ];
    }
    return { docs, outlets: data.outlets || [], people: data.people || [], places: data.places || [] };
  }

  /** Documents with every query word as a word prefix, best first; events before entries on
      ties, then index order (the timeline's). `filters`: {outlet, person, place} names. */
  function search(index, query, filters) {
    const terms = tokens(query);
    const chosen = FILTERS.filter(([key]) => filters && filters[key]);
    if (!terms.length && !chosen.length) return [];
    const hits = [];
    for (const doc of index.docs) {
      if (!chosen.every(([key, list]) => doc[list].includes(filters[key]))) continue;
      let score = 0;
      for (const term of terms) {
        let best = 0;
        for (const [weight, words] of doc.fields) {
          if (weight > best && words.indexOf(' ' + term) !== -1) best = weight;
        }
        if (!best) { score = -1; break; }
        score += best;
      }
      if (score >= 0) hits.push({ doc, score });
    }
    const kind = (hit) => (hit.doc.kind === 'event' ? 0 : 1);
    hits.sort((a, b) => b.score - a.score || kind(a) - kind(b) || a.doc.position - b.doc.position);
    return hits.map((hit) => hit.doc);
  }

  /** One line of context: the first summary, quote or source title that has a query word. */
  function snippet(doc, query) {
    const terms = tokens(query);
    const texts = [doc.summary].concat(doc.quotes.map((q) => '“' + q + '”'), doc.memberTitles)
      .filter((text) => text && text !== doc.title);
    const has = (text) => terms.some((t) => wordString([text]).indexOf(' ' + t) !== -1);
    let text = texts.find(has) || texts[0];
    if (!text) text = [doc.outlets.join(', '), doc.people.join(', ')].filter(Boolean).join(' · ');
    return text.length > 160 ? text.slice(0, 159).replace(/\s+\S*$/, '') + '…' : text;
  }

  /** Site paths in the index are relative to the site root ("events/x/"). Offline builds need
      "index.html" spelled out: file:// does not serve a folder's index. */
  function href(root, offline, path) {
    const base = !root ? '/' : root.endsWith('/') ? root : root + '/';
    return base + path + (offline && (path === '' || path.endsWith('/')) ? 'index.html' : '');
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function start() {
    const results = document.getElementById('search-results');
    if (!results) return;
    // A paragraph rather than <noscript>: links inside <noscript> are raw text to an HTML
    // rewriter, so they would miss the site's base path.
    const nojs = document.getElementById('search-nojs');
    if (nojs) nojs.hidden = true;
    const input = document.getElementById('search-q');
    const html = document.documentElement;
    const root = html.getAttribute('data-root') || '/';
    const offline = html.getAttribute('data-offline') === 'true';
    const params = new URLSearchParams(window.location.search);
    const selects = FILTERS.map(([key, list]) => [key, list, document.getElementById('filter-' + key)])
      .filter(([, , select]) => select);
    if (input) input.value = params.get('q') || '';
    let index = null;

    const show = (message) => {
      results.textContent = '';
      results.appendChild(element('p', 'search-status', message));
    };

    const run = () => {
      if (!index) return;
      const query = input ? input.value : '';
      const filters = {};
      for (const [key, , select] of selects) if (select.value) filters[key] = select.value;
      const found = search(index, query, filters);
      const label = [query.trim() ? '“' + query.trim() + '”' : ''].concat(Object.values(filters))
        .filter(Boolean).join(' · ');
      if (!label) show('Type a word to search the events and entries.');
      else if (!found.length) show('No results for ' + label + '.');
      else {
        show(found.length + (found.length === 1 ? ' result' : ' results') + ' for ' + label +
          (found.length > LIMIT ? ', showing the first ' + LIMIT + '.' : '.'));
        const list = element('ol', 'search-list');
        for (const doc of found.slice(0, LIMIT)) {
          const item = element('li', 'search-result search-' + doc.kind);
          const link = element('a', 'search-title', doc.title || doc.path);
          link.href = href(root, offline, doc.path);
          item.append(link, ' ', element('span', 'search-kind', doc.kind === 'event' ? 'Event' : 'Entry'));
          if (doc.date) item.append(' ', element('span', 'search-date', doc.date));
          const line = snippet(doc, query);
          if (line) item.appendChild(element('p', 'search-snippet', line));
          list.appendChild(item);
        }
        results.appendChild(list);
      }
      const next = new URLSearchParams();
      if (query) next.set('q', query);
      for (const key of Object.keys(filters)) next.set(key, filters[key]);
      const queryString = next.toString();
      try {
        window.history.replaceState(null, '', window.location.pathname + (queryString ? '?' + queryString : ''));
      } catch (e) { /* some browsers refuse history changes for file:// pages; results still show */ }
    };

    const init = () => {
      const data = window.DATELINE_SEARCH;
      if (!data || !Array.isArray(data.docs)) {
        show('The search index could not be loaded.');
        return;
      }
      index = prepare(data);
      for (const [key, list, select] of selects) {
        if (!select.options.length) select.appendChild(element('option', '', 'Any ' + key));
        const names = index[list].slice().sort((a, b) => a.localeCompare(b));
        for (const name of names) {
          const option = element('option', '', name);
          option.value = name;
          select.appendChild(option);
        }
        select.value = params.get(key) || '';
        select.addEventListener('change', run);
        const group = select.closest('[hidden]');
        if (group) group.hidden = false;
      }
      run();
    };

    show('Loading the search index…');
    if (input) input.addEventListener('input', run);
    const form = input && input.form;
    if (form) form.addEventListener('submit', (event) => { event.preventDefault(); run(); });
    // A timeout lets the loading message paint before a large index is prepared.
    if (window.DATELINE_SEARCH) window.setTimeout(init, 0);
    else window.addEventListener('load', init);
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { tokens, prepare, search, snippet, href };
  }
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }
})();
