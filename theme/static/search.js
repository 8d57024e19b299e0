// The /search/ page: Pagefind's JS API for articles and facets, and a sharded entity lookup
// written by broadsheet/search.py. State lives in the URL (?q=cuba&section=National&sort=newest).

const FACETS = [
  ["section", "Section"],
  ["source", "Source"],
  ["year", "Year"],
  ["topic", "Topic"],
];
const PAGE_SIZE = 10;
const MAX_ENTITIES = 3;
const MIN_ENTITY_CHARS = 3;
const TYPING_DELAY_MS = 300;
const KINDS = { person: "Person", organization: "Organisation", place: "Place" };

const app = document.getElementById("search-app");
const form = document.getElementById("search-form");
const input = form.elements.q;
const sortSelect = form.elements.sort;
const statusLine = document.getElementById("search-status");
const emptyNote = document.getElementById("search-empty");
const entityList = document.getElementById("search-entities");
const resultList = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
const facetPanel = document.getElementById("search-facets");
const refine = document.getElementById("search-refine"); // <details>: counts load when open
const facetGroups = document.getElementById("search-facet-groups");
const REFINE_KEY = "broadsheet-search-refine";

const folder = (name) => new URL(app.dataset[name], document.baseURI);
let pagefindReady = null; // the Pagefind module, loaded on the first search
let entityIndex = null; // the list of entity shards that exist
const entityShards = new Map();
let searchNumber = 0; // a newer search makes an older one's answer stale
let pending = []; // results not shown yet ("Show more")
let typingTimer = 0;
const pageTitle = document.title;

// ---- state <-> URL

function readState(search) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const [name] of FACETS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  const sort = params.get("sort") === "newest" ? "newest" : "";
  return { q: (params.get("q") || "").trim(), filters, sort };
}

function stateUrl(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [name] of FACETS) {
    if (state.filters[name]) params.set(name, state.filters[name]);
  }
  if (state.sort) params.set("sort", state.sort);
  const query = params.toString();
  return query ? `?${query}` : location.pathname;
}

// A search the reader asked for gets a history entry; while they type, the first keystrokes add
// one and the next ones replace it, so Back returns to the search before the typing.
function record(url, typing) {
  if ((typing && history.state?.typing) || url === (location.search || location.pathname)) {
    history.replaceState({ typing }, "", url); // a submit also ends a typing entry
  } else {
    history.pushState({ typing }, "", url);
  }
}

// how: "push" (submit, facet, sort), "type" (search as you type) or "none" (load, back, forward)
function go(state, how) {
  if (how !== "none") record(stateUrl(state), how === "type");
  return runSearch(state).catch((error) => {
    statusLine.textContent = "Search is unavailable: its index could not be loaded.";
    app.removeAttribute("aria-busy");
    app.dataset.state = "error";
    console.warn(error);
  });
}

function currentState() {
  return readState(location.search);
}

// ---- Pagefind

// The archive is indexed in shards, each a Pagefind bundle (broadsheet/search.py); bundles.json
// lists them newest first, the first being the one pagefind.js belongs to. Every shard's results
// carry its name as the filter `bundle` (Pagefind's mergeFilter), which the date sort needs.
function loadPagefind() {
  if (!pagefindReady) {
    const engine = import(new URL("pagefind.js", folder("pagefind")).href);
    pagefindReady = Promise.all([engine, fetchJson(folder("bundles"))]).then(async ([pf, { bundles }]) => {
      const options = { excerptLength: 28 };
      const [primary, ...others] = bundles;
      // main thread: saves fetching a second copy of the engine for a worker
      await pf.options({ ...options, noWorker: true, mergeFilter: { bundle: primary.name } });
      await Promise.all(
        others.map(({ name, path }) =>
          pf.mergeIndex(new URL(path, folder("root")).href, { ...options, mergeFilter: { bundle: name } }),
        ),
      );
      return { pf, bundles: bundles.map(({ name }) => name) };
    });
  }
  return pagefindReady;
}

// Pagefind orders merged results by score, and a shard's date sort scores its pages by their
// rank in that shard alone. Shards hold consecutive dates and come newest first: one shard's
// results after another's are newest first.
async function newestFirst(pf, term, options, bundles) {
  const searches = bundles.map((bundle) => pf.search(term, { ...options, filters: { ...options.filters, bundle } }));
  return (await Promise.all(searches)).flatMap((found) => found.results);
}

// Pagefind answers a word that no indexed word starts with by the longest indexed word that the
// query word starts with (Pagefind PR 315): a shard without "cuba" answers "cuba" with "c", and
// "qjzvwk" finds "q". Those are not matches, so the shards that give them are left out: each
// shard's best result for the query is probed, and kept only if it marks a word close to the
// query's (within one shard a word falls back for every page or for none).
function sharedStart(a, b) {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}

function marksQueryWord(excerpt, queryWords) {
  const marked = Array.from(excerpt.matchAll(/<mark>(.*?)<\/mark>/g), (match) => normalise(match[1]))
    .flatMap((text) => text.split(" "))
    .filter(Boolean);
  if (!marked.length) return true; // the match is outside the excerpt: nothing to judge by
  // a stemmed or extended word keeps most of the query word's start; a fallback keeps a letter or two
  const close = (word, query) => sharedStart(word, query) >= Math.min(query.length, Math.max(3, query.length >> 1));
  return marked.some((word) => queryWords.some((query) => close(word, query)));
}

async function fallbackBundles(pf, term, bundles) {
  const queryWords = normalise(term).split(" ").filter(Boolean);
  const probes = bundles.map(async (bundle) => {
    const [best] = (await pf.search(term, { filters: { bundle } })).results;
    if (!best) return null;
    return marksQueryWord((await best.data()).excerpt || "", queryWords) ? null : bundle;
  });
  return (await Promise.all(probes)).filter(Boolean);
}

// Facet counts need every filter's chunk, and those grow with the archive (about 20 KB each at
// 10k articles): they are fetched only while the Refine panel is open.
async function searchArticles(state, withCounts) {
  const { pf, bundles } = await loadPagefind();
  const sort = state.sort ? { date: "desc" } : {};
  const term = state.q || null; // null: every article, narrowed by the filters
  const skipped = term ? await fallbackBundles(pf, term, bundles) : [];
  const searched = bundles.filter((bundle) => !skipped.includes(bundle));
  if (!searched.length) return { results: [], counts: withCounts ? {} : null };
  const narrow = (filters) => (skipped.length ? { ...filters, bundle: { any: searched } } : filters);
  const options = { filters: narrow(state.filters), sort };
  if (withCounts) await Promise.all([pf.filters(), pf.preload(state.q, options)]);
  const found = await pf.search(term, options);
  const results = state.sort && searched.length > 1 ? await newestFirst(pf, term, options, searched) : found.results;
  if (!withCounts) return { results, counts: null };
  // a facet in use counts its other values as if it were not: the reader can switch to them
  const counts = { ...found.filters };
  for (const name of Object.keys(state.filters)) {
    const { [name]: _, ...others } = state.filters;
    counts[name] = (await pf.search(term, { filters: narrow(others), sort })).filters[name];
  }
  return { results, counts };
}

// ---- entities: small JSON shards by prefix of the normalised name (broadsheet/search.py)

// Same steps as broadsheet.search.normalise: "Kim Jong-un" -> "kim jong un"
function normalise(text) {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

// The shard of the longest listed prefix holds every key that starts with `key`
function shardPrefix(key, listed) {
  const chars = Array.from(key);
  for (let length = chars.length; length >= 2; length--) {
    const prefix = chars.slice(0, length).join("");
    if (listed.has(prefix)) return prefix;
  }
  return null;
}

function shardName(prefix) {
  return Array.from(new TextEncoder().encode(prefix), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function loadShard(key) {
  if (!entityIndex) {
    entityIndex = fetchJson(new URL("index.json", folder("entities"))).then((index) => new Set(index.shards));
  }
  const prefix = shardPrefix(key, await entityIndex);
  if (prefix === null) return null;
  if (!entityShards.has(prefix)) {
    entityShards.set(prefix, fetchJson(new URL(`${shardName(prefix)}.json`, folder("entities"))));
  }
  return entityShards.get(prefix);
}

async function findEntities(q) {
  const key = normalise(q);
  if (Array.from(key).length < MIN_ENTITY_CHARS) return [];
  const shard = await loadShard(key);
  if (!shard) return [];
  const ranked = [];
  for (const [name, index, whole] of shard.keys) {
    if (!name.startsWith(key)) continue;
    // a whole name typed exactly, then the start of a whole name, then a later word
    const rank = (name === key ? 0 : 1) + (whole ? 0 : 2);
    ranked.push([rank, index]);
  }
  ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const seen = new Set();
  const found = [];
  for (const [, index] of ranked) {
    if (seen.has(index)) continue;
    seen.add(index);
    const [name, url, kind] = shard.entities[index];
    found.push({ name, url: new URL(url, folder("root")).href, kind });
    if (found.length === MAX_ENTITIES) break;
  }
  return found;
}

// ---- rendering (textContent only: titles and excerpts come from scraped pages)

// props are DOM properties, except "attrs": attributes (aria-*, data-*, role)
function el(tag, { attrs = {}, ...props } = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// Pagefind's excerpt is escaped text with <mark> around the matched words; rebuild it as nodes
function excerptNodes(excerpt) {
  const unescape = (text) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  return excerpt.split(/(<mark>.*?<\/mark>)/).map((part) => {
    const marked = part.match(/^<mark>(.*)<\/mark>$/);
    if (marked) return el("mark", { textContent: unescape(marked[1]) });
    return document.createTextNode(unescape(part));
  });
}

function formatDate(iso) {
  const [year, month, day] = (iso || "").slice(0, 10).split("-").map(Number);
  if (!year || !month || !day) return null;
  const when = new Date(Date.UTC(year, month - 1, day));
  const parts = { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
  const text = when.toLocaleDateString("en-GB", parts);
  return el("time", { dateTime: iso.slice(0, 10), textContent: text });
}

function resultItem(data) {
  const meta = data.meta || {};
  const section = data.filters?.section?.[0];
  const details = [meta.source ? el("span", { textContent: meta.source }) : null, formatDate(meta.date),
    section ? el("span", { textContent: section }) : null].filter(Boolean);
  return el(
    "li",
    { className: "search-hit" },
    el("h3", {}, el("a", { href: data.url, textContent: meta.title || data.url })),
    details.length ? el("p", { className: "meta" }, ...details) : null,
    el("p", { className: "search-excerpt" }, ...excerptNodes(data.excerpt || "")),
  );
}

function entityItem(entity) {
  return el(
    "li",
    { className: "search-entity" },
    el("a", { href: entity.url, textContent: entity.name }),
    " ",
    el("span", { className: "meta", textContent: KINDS[entity.kind] || entity.kind }),
  );
}

async function showMore() {
  const batch = pending.slice(0, PAGE_SIZE);
  pending = pending.slice(PAGE_SIZE);
  const items = (await Promise.all(batch.map((result) => result.data()))).map(resultItem);
  resultList.append(...items);
  moreButton.hidden = pending.length === 0;
  return items;
}

function facetValues(name, counts, selected) {
  const values = Object.entries(counts || {}).filter(([value, n]) => n > 0 || value === selected);
  const byYear = (a, b) => b[0].localeCompare(a[0]);
  const byCount = (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]);
  return values.sort(name === "year" ? byYear : byCount);
}

function renderFacets(state, counts) {
  const focused = document.activeElement?.dataset?.facet ? document.activeElement.dataset : null;
  facetGroups.replaceChildren();
  for (const [name, label] of FACETS) {
    const values = facetValues(name, counts[name], state.filters[name]);
    if (!values.length) continue;
    const titleId = `facet-${name}`;
    const list = el("ul", { className: "facet-values" });
    for (const [value, n] of values) {
      const pressed = String(state.filters[name] === value);
      const attrs = { "aria-pressed": pressed, "data-facet": name, "data-value": value };
      list.append(
        el(
          "li",
          {},
          el(
            "button",
            { type: "button", className: "facet-value", attrs },
            el("span", { textContent: value }),
            " ",
            el("span", { className: "facet-count", textContent: String(n) }),
            el("span", { className: "visually-hidden", textContent: n === 1 ? " article" : " articles" }),
          ),
        ),
      );
    }
    const heading = el("h3", { id: titleId, textContent: label });
    const group = { role: "group", "aria-labelledby": titleId };
    facetGroups.append(el("div", { className: "facet", attrs: group }, heading, list));
  }
  if (Object.keys(state.filters).length) {
    const clear = { type: "button", className: "button facet-clear", id: "facet-clear" };
    facetGroups.append(el("button", { ...clear, textContent: "Clear filters" }));
  }
  // the buttons were rebuilt: give focus back to the one the reader was on
  if (focused) {
    const selector = `[data-facet="${CSS.escape(focused.facet)}"][data-value="${CSS.escape(focused.value)}"]`;
    (facetGroups.querySelector(selector) || facetGroups.querySelector("#facet-clear") || input).focus();
  }
}

function describe(state, count) {
  const what = state.q ? ` for “${state.q}”` : "";
  const filters = FACETS.filter(([name]) => state.filters[name]).map(
    ([name, label]) => `${label}: ${state.filters[name]}`,
  );
  const within = filters.length ? ` (${filters.join(", ")})` : "";
  if (count === 0) return `No articles found${what}${within}.`;
  const order = state.sort ? ", newest first" : "";
  return `${count} ${count === 1 ? "article" : "articles"}${what}${within}${order}.`;
}

function clearResults() {
  pending = [];
  entityList.replaceChildren();
  resultList.replaceChildren();
  moreButton.hidden = true;
  emptyNote.hidden = true;
}

function hasQuery(state) {
  return Boolean(state.q || Object.keys(state.filters).length);
}

async function runSearch(state) {
  const number = ++searchNumber;
  input.value = state.q;
  sortSelect.value = state.sort;
  document.title = state.q ? `${state.q} — ${pageTitle}` : pageTitle;
  if (Object.keys(state.filters).length) refine.open = true; // show the filters in use
  if (!hasQuery(state)) {
    clearResults();
    facetPanel.hidden = true;
    statusLine.textContent = "Type a word or a name to search every article.";
    app.dataset.state = "idle";
    return;
  }
  app.dataset.state = "busy";
  app.setAttribute("aria-busy", "true");
  const entitySearch = Object.keys(state.filters).length ? [] : findEntities(state.q);
  const [found, entities] = await Promise.all([searchArticles(state, refine.open), entitySearch]);
  if (number !== searchNumber) return; // a newer search is on its way
  clearResults();
  pending = found.results;
  entityList.append(...entities.map(entityItem));
  await showMore();
  if (number !== searchNumber) return;
  facetPanel.hidden = false;
  if (found.counts) renderFacets(state, found.counts);
  emptyNote.hidden = found.results.length > 0 || entities.length > 0;
  statusLine.textContent = describe(state, found.results.length);
  app.removeAttribute("aria-busy");
  app.dataset.state = "done";
}

// ---- events

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  go({ ...currentState(), q: input.value.trim() }, "push");
});

input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => go({ ...currentState(), q: input.value.trim() }, "type"), TYPING_DELAY_MS);
});

sortSelect.addEventListener("change", () => go({ ...currentState(), sort: sortSelect.value }, "push"));

facetGroups.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  const state = currentState();
  if (button.id === "facet-clear") {
    state.filters = {};
    input.focus();
  } else if (state.filters[button.dataset.facet] === button.dataset.value) {
    delete state.filters[button.dataset.facet];
  } else {
    state.filters[button.dataset.facet] = button.dataset.value;
  }
  go(state, "push");
});

moreButton.addEventListener("click", async () => {
  const items = await showMore();
  items[0]?.querySelector("a")?.focus();
});

window.addEventListener("popstate", () => go(currentState(), "none"));

refine.addEventListener("toggle", () => {
  try {
    localStorage.setItem(REFINE_KEY, refine.open ? "open" : "closed");
  } catch {
    // storage may be off; the panel still works
  }
  if (!refine.open) facetGroups.replaceChildren();
  // opened on results shown without counts: search again, with them (a busy search has them)
  else if (app.dataset.state === "done" && !facetGroups.childElementCount) go(currentState(), "none");
});

try {
  refine.open = localStorage.getItem(REFINE_KEY) === "open";
} catch {
  // storage may be off: the panel starts closed
}
app.hidden = false;
go(currentState(), "none");
