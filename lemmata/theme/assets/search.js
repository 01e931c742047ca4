// The /search/ page: Pagefind's index, served from this site.
const results = document.getElementById("search-results");
const input = document.getElementById("search-page-q");
const bundle = results.dataset.bundle;
let loading = null;

// Loaded once, whatever the number of searches started meanwhile.
function load() {
  loading ??= (async () => {
    const engine = await import(`${bundle}pagefind.js`);
    await engine.options({ bundlePath: bundle, excerptLength: 24 });
    // A large site's index comes in parts (pagefind/part-N/): merged into the first.
    const listed = await fetch(`${bundle}parts.json`).then((r) => (r.ok ? r.json() : []), () => []);
    await Promise.all(listed.map((part) => engine.mergeIndex(`${bundle}${part}`)));
    return engine;
  })();
  return loading;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

async function run(query) {
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  if (!query.trim()) { results.innerHTML = ""; return; }
  const engine = await load();
  const search = await engine.debouncedSearch(query, {}, 150);
  if (search === null) return;
  const found = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  if (!found.length) { results.innerHTML = `<p>No results for “${escapeHtml(query)}”.</p>`; return; }
  results.innerHTML = found.map((item) => {
    const meta = item.meta || {};
    const date = meta.date ? `<time>${escapeHtml(meta.date)}</time>` : "";
    const category = meta.category ? `<span class="badge">${escapeHtml(meta.category)}</span>` : "";
    return `<article class="card search-result"><div class="card-meta">${category}${date}</div>` +
      `<h3 class="card-title"><a href="${escapeHtml(item.url)}">${escapeHtml(meta.title || item.url)}</a></h3>` +
      `<p class="card-excerpt">${item.excerpt}</p></article>`;
  }).join("");
}

input.addEventListener("input", () => run(input.value));

// Arrow keys walk from the box through the result links and back; Enter follows a link.
document.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const stops = [input, ...results.querySelectorAll(".search-result .card-title a")];
  const at = stops.indexOf(document.activeElement);
  if (at < 0) return;
  const next = at + (event.key === "ArrowDown" ? 1 : -1);
  if (next < 0 || next >= stops.length) return;
  event.preventDefault();
  stops[next].focus();
});
const initial = new URL(location.href).searchParams.get("q");
if (initial) { input.value = initial; run(initial); }
