// Cairn's published decision log: filters and sorting on the log, due marks on the board,
// and search in the page over the index `cairn site` wrote (see site/search.rs for its
// layout). Everything works from file://: data files are scripts that call back into
// `cairnSearch`, because browsers refuse fetch() there. No inline script, no eval, no HTML
// built from strings: the Content Security Policy allows only this file.
"use strict";

const cairnSearch = (() => {
  const root = document.body.dataset.root || "";
  const waiting = new Map(); // script URL -> promise
  let docs = null; // the parsed docs.js
  let termIndex = null; // word -> stem id
  const shards = new Map(); // key -> { stem: flat postings }
  const decoded = new Map(); // stem id -> [docIds, weights]
  const texts = new Map(); // doc id -> plain text
  const FORMAT = 1;

  function load(path) {
    const url = root + path;
    if (!waiting.has(url)) {
      waiting.set(url, new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = url;
        s.onload = () => resolve();
        s.onerror = () => { waiting.delete(url); reject(new Error("cannot load " + url)); };
        document.head.appendChild(s);
      }));
    }
    return waiting.get(url);
  }

  // The words of a text as the index wrote them: letters and digits, lower case, accents
  // folded, at most 40 characters.
  function fold(w) {
    return w.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }
  function words(s) {
    return (s.match(/[\p{L}\p{N}]+/gu) || []).map(fold).filter((w) => w.length <= 40);
  }

  function shardKey(stem) {
    return Array.from(stem).slice(0, 2).map((c) =>
      /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16)).join("");
  }

  async function ready() {
    if (!docs) {
      await load("search/docs.js");
      prefetch(0);
    }
    if (!docs || docs.format !== FORMAT) throw new Error("the search index is missing or of another version");
  }

  // Loads the postings files one at a time, largest first, each when the page is idle, so
  // that a later keystroke rarely waits for one.
  function prefetch(i) {
    const keys = (docs && docs.shards) || [];
    if (i >= keys.length) return;
    const next = () => load("search/p/" + keys[i] + ".js").finally(() => prefetch(i + 1));
    if (window.requestIdleCallback) requestIdleCallback(next, { timeout: 500 });
    else setTimeout(next, 20);
  }

  // Stem ids of every word starting with `prefix` (sorted vocabulary: a binary search), the
  // most frequent first, at most `limit`.
  function prefixStems(prefix, limit) {
    const t = docs.terms;
    let lo = 0, hi = t.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (t[mid] < prefix) lo = mid + 1; else hi = mid; }
    const out = new Set();
    for (let i = lo; i < t.length && t[i].startsWith(prefix) && out.size < limit; i++) out.add(docs.termStem[i]);
    return [...out];
  }

  function postings(stemId) {
    if (decoded.has(stemId)) return decoded.get(stemId);
    const stem = docs.stems[stemId];
    const flat = (shards.get(shardKey(stem)) || {})[stem] || [];
    const ids = new Uint32Array(flat.length / 2), ws = new Uint8Array(flat.length / 2);
    let d = 0;
    for (let i = 0; i < flat.length; i += 2) { d += flat[i]; ids[i / 2] = d; ws[i / 2] = flat[i + 1]; }
    const p = [ids, ws];
    decoded.set(stemId, p);
    return p;
  }

  // The query as clauses: each a list of alternative stem ids (a word: its stem; the last
  // word: every stem its prefix reaches) or a phrase (a sequence of stems), plus filters.
  function parse(q) {
    const out = { clauses: [], status: [], tag: [], unknown: false, phrase: false };
    const parts = q.match(/"[^"]*"?|\S+/g) || [];
    const open = !/\s$/.test(q);
    parts.forEach((part, i) => {
      const m = /^(status|tag):(.+)$/i.exec(part);
      if (m) { out[m[1].toLowerCase()].push(fold(m[2])); return; }
      // A phrase is checked once its closing quote is typed; until then its words are
      // plain words, the last one a prefix.
      const quoted = part.length > 1 && part.startsWith('"') && part.endsWith('"');
      const ws = words(part);
      if (ws.length === 0) return;
      const last = open && !quoted && i === parts.length - 1;
      if (ws.length > 1 && !quoted) {
        ws.forEach((w, k) => {
          const exact = termIndex.get(w);
          const alts = last && k === ws.length - 1 && w.length >= 2 ? prefixStems(w, 40) : exact === undefined ? [] : [exact];
          if (exact !== undefined && !alts.includes(exact)) alts.unshift(exact);
          if (alts.length === 0) out.unknown = true;
          else out.clauses.push({ alts, seq: null, words: [w] });
        });
        return;
      }
      if (ws.length > 1) {
        const seq = ws.map((w) => termIndex.get(w));
        if (seq.some((s) => s === undefined)) { out.unknown = true; return; }
        out.clauses.push({ alts: [], seq, words: ws });
        out.phrase = true;
        return;
      }
      const exact = termIndex.get(ws[0]);
      // One letter would reach most of the vocabulary: a prefix needs two.
      const alts = last && ws[0].length >= 2 ? prefixStems(ws[0], 40) : (exact === undefined ? [] : [exact]);
      if (exact !== undefined && !alts.includes(exact)) alts.unshift(exact);
      if (alts.length === 0) { out.unknown = true; return; }
      out.clauses.push({ alts, seq: null, words: ws });
    });
    return out;
  }

  function stemsOf(clause) { return clause.seq ? [...new Set(clause.seq)] : clause.alts; }

  // Scores of the documents that have every clause: BM25-like weights, title words count more.
  function score(parsed) {
    const n = docs.docs.length;
    let acc = null;
    for (const clause of parsed.clauses) {
      const groups = clause.seq ? clause.seq.map((s) => [s]) : [clause.alts];
      for (const alts of groups) {
        const m = new Map();
        for (const s of alts) {
          const [ids, ws] = postings(s);
          const idf = Math.log(1 + n / Math.max(1, ids.length));
          for (let i = 0; i < ids.length; i++) {
            const w = ws[i], tf = w & 15;
            const v = idf * (tf / (tf + 1.2) + (w & 16 ? 1.5 : 0));
            if (!(m.get(ids[i]) >= v)) m.set(ids[i], v);
          }
        }
        if (acc === null) acc = m;
        else { const next = new Map(); for (const [d, v] of m) if (acc.has(d)) next.set(d, acc.get(d) + v); acc = next; }
      }
    }
    return acc;
  }

  function passesFilters(doc, parsed) {
    if (parsed.status.length && !parsed.status.includes(doc[3])) return false;
    if (parsed.tag.length && !parsed.tag.every((t) => doc[4].includes(t))) return false;
    return true;
  }

  async function text(id) {
    if (!texts.has(id)) await load("search/t/" + Math.floor(id / docs.textChunk) + ".js");
    return texts.get(id) || "";
  }

  // Whether `t` holds the phrase: the stems of consecutive words.
  function hasPhrase(t, seq) {
    const ids = words(t).map((w) => termIndex.get(w));
    outer: for (let i = 0; i + seq.length <= ids.length; i++) {
      for (let k = 0; k < seq.length; k++) if (ids[i + k] !== seq[k]) continue outer;
      return true;
    }
    return false;
  }

  // Runs a query: the best `limit` hits, in order, and how many there are.
  async function search(q, limit) {
    await ready();
    if (!termIndex) { termIndex = new Map(docs.terms.map((t, i) => [t, docs.termStem[i]])); }
    const parsed = parse(q);
    if (parsed.unknown) return { hits: [], total: 0, parsed };
    const keys = new Set();
    for (const c of parsed.clauses) for (const s of stemsOf(c)) keys.add(shardKey(docs.stems[s]));
    await Promise.all([...keys].map((k) => load("search/p/" + k + ".js")));
    let ranked;
    if (parsed.clauses.length === 0) {
      if (!parsed.status.length && !parsed.tag.length) return { hits: [], total: 0, parsed };
      ranked = docs.docs.map((d, i) => [i, 0]).filter(([i]) => passesFilters(docs.docs[i], parsed));
    } else {
      ranked = [...score(parsed)].filter(([i]) => passesFilters(docs.docs[i], parsed));
      ranked.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    }
    if (!parsed.phrase) return { hits: ranked.slice(0, limit).map(([i]) => i), total: ranked.length, parsed };
    const phrases = parsed.clauses.filter((c) => c.seq);
    const hits = [];
    let checked = 0;
    for (; checked < ranked.length && hits.length < limit && checked < 300; checked += 60) {
      const batch = ranked.slice(checked, checked + 60);
      const ts = await Promise.all(batch.map(([i]) => text(i)));
      batch.forEach(([i], k) => {
        const t = docs.docs[i][2] + "\n" + ts[k];
        if (phrases.every((c) => hasPhrase(t, c.seq)) && hits.length < limit) hits.push(i);
      });
    }
    return { hits, total: hits.length, more: checked < ranked.length, parsed };
  }

  // The stems a query asks for, to mark in snippets.
  function wanted(parsed) {
    const s = new Set();
    for (const c of parsed.clauses) for (const id of stemsOf(c)) s.add(id);
    return s;
  }

  // Appends `t` to `el` with the words whose stem is wanted inside <mark>.
  function highlight(el, t, want) {
    let last = 0;
    for (const m of t.matchAll(/[\p{L}\p{N}]+/gu)) {
      if (!want.has(termIndex.get(fold(m[0])))) continue;
      el.append(t.slice(last, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      el.append(mark);
      last = m.index + m[0].length;
    }
    el.append(t.slice(last));
  }

  // About 180 characters of `t` around the first wanted word.
  function snippet(t, want) {
    let at = 0;
    for (const m of t.matchAll(/[\p{L}\p{N}]+/gu)) {
      if (want.has(termIndex.get(fold(m[0])))) { at = m.index; break; }
    }
    const start = Math.max(0, at - 60);
    const s = t.slice(start, start + 180).replace(/\s+/g, " ");
    return (start > 0 ? "…" : "") + s + (start + 180 < t.length ? "…" : "");
  }

  return {
    docs(d) { docs = d; },
    postings(key, map) { shards.set(key, map); },
    texts(chunk, ts) { ts.forEach((t, i) => texts.set(chunk * docs.textChunk + i, t)); },
    search, text_of: text, wanted, highlight, snippet, get index() { return docs; },
  };
})();

// The search box in every page's header.
(() => {
  const input = document.getElementById("q");
  const box = document.getElementById("results");
  const status = document.getElementById("search-status");
  if (!input || !box) return;
  const root = document.body.dataset.root || "";
  let seq = 0;
  let selected = -1;

  function close() {
    box.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    selected = -1;
  }

  function select(i) {
    const items = box.querySelectorAll(".hit");
    if (!items.length) return;
    selected = (i + items.length) % items.length;
    items.forEach((el, k) => el.setAttribute("aria-selected", String(k === selected)));
    input.setAttribute("aria-activedescendant", items[selected].id);
    items[selected].scrollIntoView({ block: "nearest" });
  }

  function line(text, cls) {
    const p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    return p;
  }

  function render(result, started) {
    const index = cairnSearch.index;
    const want = cairnSearch.wanted(result.parsed);
    box.replaceChildren();
    result.hits.forEach((id, k) => {
      const d = index.docs[id];
      const a = document.createElement("a");
      a.className = "hit";
      a.id = "hit-" + k;
      a.href = root + d[0];
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      const t = document.createElement("span");
      t.className = "t";
      cairnSearch.highlight(t, d[1] + ": " + d[2], want);
      const chip = document.createElement("span");
      chip.className = "chip s-" + d[3];
      chip.textContent = d[3];
      const s = document.createElement("span");
      s.className = "s";
      a.append(t, " ", chip, s);
      box.append(a);
      cairnSearch.text_of(id).then((text) => cairnSearch.highlight(s, cairnSearch.snippet(text, want), want));
    });
    const n = result.total;
    const words = n === 1 ? "1 decision" : n + (result.more ? "+" : "") + " decisions";
    if (!n) box.append(line("No decision matches.", "none"));
    else if (n > result.hits.length) box.append(line(words + "; the best " + result.hits.length + " are shown.", "more"));
    status.textContent = n ? words + " found" : "No decision matches";
    box.hidden = false;
    input.setAttribute("aria-expanded", "true");
    selected = -1;
    document.body.dataset.searchMs = (performance.now() - started).toFixed(1);
    document.body.dataset.searchQuery = input.value;
  }

  async function run() {
    const started = performance.now();
    const mine = ++seq;
    const q = input.value;
    if (!q.trim()) { close(); return; }
    try {
      const result = await cairnSearch.search(q, 20);
      if (mine === seq) render(result, started);
    } catch (e) {
      if (mine !== seq) return;
      box.replaceChildren(line(String(e.message || e), "none"));
      box.hidden = false;
    }
  }

  input.addEventListener("input", run);
  input.addEventListener("focus", () => { if (input.value.trim()) run(); });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { e.preventDefault(); select(selected + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(selected - 1); }
    else if (e.key === "Enter") {
      const items = box.querySelectorAll(".hit");
      const target = items[selected >= 0 ? selected : 0];
      if (target) { e.preventDefault(); location.href = target.href; }
    } else if (e.key === "Escape") { input.value = ""; close(); }
  });
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (e.key === "/" && !typing) { e.preventDefault(); input.focus(); }
  });
  document.addEventListener("click", (e) => { if (!e.target.closest(".search")) close(); });
})();

// The log: status toggles, tag and workspace menus, sorting by a column.
(() => {
  const table = document.getElementById("log");
  const form = document.getElementById("filters");
  if (!table || !form) return;
  form.hidden = false;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const count = document.getElementById("log-count");
  const tag = document.getElementById("tag-filter");
  const ws = document.getElementById("ws-filter");

  function apply() {
    const on = Array.from(form.querySelectorAll("button[aria-pressed=true]")).map((b) => b.dataset.status);
    let shown = 0;
    for (const r of rows) {
      const ok = (!on.length || on.includes(r.dataset.status))
        && (!tag.value || JSON.parse(r.dataset.tags || "[]").includes(tag.value))
        && (!ws || !ws.value || r.dataset.ws === ws.value);
      r.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown === rows.length ? rows.length + " decisions" : "Showing " + shown + " of " + rows.length + " decisions";
  }
  form.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-status]");
    if (!b) return;
    b.setAttribute("aria-pressed", String(b.getAttribute("aria-pressed") !== "true"));
    apply();
  });
  tag.addEventListener("change", apply);
  if (ws) ws.addEventListener("change", apply);

  const keys = {
    n: (r) => (r.dataset.n === "" ? Infinity : Number(r.dataset.n)),
    title: (r) => r.cells[1].textContent.toLowerCase(),
    status: (r) => r.dataset.status,
    date: (r) => r.dataset.date || "0",
    ws: (r) => r.dataset.ws,
  };
  for (const th of table.tHead.rows[0].cells) {
    const key = th.dataset.sort;
    if (!key) continue;
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = th.textContent;
    th.replaceChildren(b);
    b.addEventListener("click", () => {
      const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      const k = keys[key];
      const sorted = rows.slice().sort((a, b2) => {
        const x = k(a), y = k(b2);
        return (x < y ? -1 : x > y ? 1 : 0) * dir;
      });
      body.append(...sorted);
    });
  }
  apply();
})();

// Due marks, by the reader's date: a deferred card whose revisit-by date has come.
(() => {
  const d = new Date();
  const today = d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  for (const card of document.querySelectorAll("[data-revisit-by]")) {
    if (card.dataset.column !== "now" && card.dataset.revisitBy <= today) card.classList.add("due");
  }
  for (const t of document.querySelectorAll("time.due-date")) {
    if (t.getAttribute("datetime") <= today) { t.classList.add("due"); t.append(" (due)"); }
  }
})();

// Mermaid diagrams, when the site was built with Mermaid's bundle (`cairn site` finds the one
// the package installs): each <pre class="mermaid"> holds escaped source, drawn here at
// Mermaid's strict level (labels as text, no click callbacks), with the keys a diagram's own
// `%%{init}%%` may not change locked as the desktop app locks them. A diagram that fails keeps
// its source and says why.
(() => {
  const blocks = document.querySelectorAll("pre.mermaid");
  const m = window.mermaid;
  if (!blocks.length || !m) return;
  const locked = ["secure", "securityLevel", "startOnLoad", "maxTextSize", "maxEdges",
    "suppressErrorRendering", "htmlLabels", "flowchart", "themeCSS", "dompurifyConfig", "fontFamily"];
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  m.initialize({
    startOnLoad: false, securityLevel: "strict", suppressErrorRendering: true, secure: locked,
    htmlLabels: false, flowchart: { htmlLabels: false }, theme: dark ? "dark" : "neutral",
    fontFamily: "system-ui, sans-serif", maxTextSize: 50000, maxEdges: 500,
  });
  let seq = 0;
  (async () => {
    for (const pre of blocks) {
      const id = "cairn-diagram-" + ++seq;
      pre.dataset.diagram = "drawing";
      try {
        const { svg } = await m.render(id, pre.textContent || "");
        // Mermaid's output at the strict level, through its DOMPurify; the CSP (no inline
        // script) stands behind it.
        pre.innerHTML = svg;
        pre.dataset.diagram = "drawn";
      } catch (e) {
        const stray = document.getElementById("d" + id);
        if (stray) stray.remove();
        const note = document.createElement("span");
        note.className = "diagram-error";
        note.setAttribute("role", "note");
        const msg = String(e && e.message ? e.message : e).trim();
        note.textContent = "Diagram not drawn: " + (msg || "Mermaid could not read this diagram.");
        pre.dataset.diagram = "error";
        pre.append(note);
      }
    }
  })();
})();
