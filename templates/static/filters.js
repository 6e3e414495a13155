// Timeline filters by theme, actor and kind, reflected in the URL. Without this file the
// form stays hidden and theme and actor pages list the same events. Timeline page only.
(function () {
  "use strict";
  var doc = document;

  // --- Timeline filters by theme, actor and kind, reflected in the URL. -----------
  function setupTimelineFilters() {
    var form = doc.querySelector("form[data-timeline-filters]");
    if (!form) return;
    form.hidden = false;
    var items = Array.prototype.slice.call(doc.querySelectorAll("li[data-kind]"));
    var years = doc.querySelectorAll("section.year");
    var status = form.querySelector("[data-filter-status]");
    var selects = form.querySelectorAll("select");
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector("option[value='" + CSS.escape(wanted) + "']")) select.value = wanted;
    });

    function apply(updateUrl) {
      var theme = form.elements.theme.value, actor = form.elements.actor.value, kind = form.elements.kind.value;
      var shown = 0;
      function matches(item) {
        return (!theme || (" " + item.dataset.themes + " ").indexOf(" " + theme + " ") >= 0) &&
          (!actor || (" " + item.dataset.actors + " ").indexOf(" " + actor + " ") >= 0) &&
          (!kind || item.dataset.kind === kind);
      }
      // Orders listed inside an event's card are filtered on their own; the card stays
      // shown, as their context, while one of them is (and counts only if it matches).
      items.forEach(function (item) {
        var ok = matches(item);
        if (ok) shown += 1;
        var inner = item.querySelectorAll("li[data-kind]");
        var context = !ok && Array.prototype.some.call(inner, matches);
        item.hidden = !(ok || context);
        item.classList.toggle("filter-context", context);
      });
      years.forEach(function (section) {
        var any = section.querySelector("li[data-kind]:not([hidden])");
        section.hidden = !any;
        var link = doc.querySelector(".year-strip a[href='#" + section.id + "']");
        if (link) link.parentNode.hidden = !any;
      });
      status.textContent = status.dataset.template.replace("{count}", shown);
      keepFiltersOnLanguageSwitch();
      if (updateUrl) {
        var query = new URLSearchParams();
        selects.forEach(function (select) { if (select.value) query.set(select.name, select.value); });
        var search = query.toString();
        history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }
    }
    // The other language's timeline has the same themes and actors (ids do not change
    // with the language): its link carries the current filters.
    function keepFiltersOnLanguageSwitch() {
      var link = doc.querySelector("a.lang-switch");
      if (!link) return;
      var query = new URLSearchParams();
      selects.forEach(function (select) { if (select.value) query.set(select.name, select.value); });
      var base = link.getAttribute("href").split(/[?#]/)[0];
      link.setAttribute("href", base + (query.toString() ? "?" + query.toString() : ""));
    }
    selects.forEach(function (select) { select.addEventListener("change", function () { apply(true); }); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    apply(false);
  }

  setupTimelineFilters();
})();
