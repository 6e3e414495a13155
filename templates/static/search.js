// The search page (templates/search.html): starts Pagefind's own UI, from the site's
// pagefind/ bundle, on #search. Loaded with `defer` right after pagefind/pagefind-ui.js,
// so it runs once that script has (or has not) loaded. Without JavaScript, or without
// a search index (a build made with --no-search), the page keeps its links to the indexes.
(function () {
  "use strict";
  var container = document.getElementById("search");
  var fallback = document.getElementById("search-fallback");
  if (!container || !fallback) return;
  var data = container.dataset;
  if (typeof window.PagefindUI !== "function") {
    var message = document.getElementById("search-fallback-message");
    if (message && data.unavailable) message.textContent = data.unavailable;
    fallback.hidden = false;
    container.hidden = true;
    return;
  }
  // Pagefind's colours and font follow the site's, light and dark.
  var theme = {
    "--pagefind-ui-primary": "var(--accent)", "--pagefind-ui-text": "var(--fg)",
    "--pagefind-ui-background": "var(--bg)", "--pagefind-ui-border": "var(--rule)",
    "--pagefind-ui-tag": "var(--panel)", "--pagefind-ui-font": "inherit",
  };
  Object.keys(theme).forEach(function (name) { container.style.setProperty(name, theme[name]); });
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = data.stylesheet;
  document.head.appendChild(css);
  var translations = {};
  try { translations = JSON.parse(data.translations || "{}"); } catch (e) { translations = {}; }
  new window.PagefindUI({
    element: "#search",
    showSubResults: false,
    showImages: false,
    openFilters: data.filter ? [data.filter] : [],
    translations: translations,
    // Pages are ranked by where the words are (a title weighs most, see the templates'
    // data-pagefind-weight) more than by how short the page is or how often it repeats them.
    ranking: { pageLength: 0.0, termFrequency: 0.0, termSaturation: 2.0 },
  });
  fallback.hidden = true;
})();
