// Progressive enhancements. Every page works fully without this file:
// footnote calls jump to the notes, filters are also pages (themes, actors),
// tables are plain tables. Loaded with `defer`; no other host is contacted.
(function () {
  "use strict";
  var doc = document;
  var labels = doc.body.dataset;

  // --- Footnote previews: hover, keyboard focus and tap; Escape closes. -------------
  function setupFootnotePreviews() {
    var calls = doc.querySelectorAll("sup.fn-call a[href^='#note-']");
    if (!calls.length) return;
    var tip = doc.createElement("div");
    tip.id = "fn-preview";
    tip.className = "fn-preview";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    doc.body.appendChild(tip);
    var current = null;
    var hideTimer = null;
    var shownAt = 0;

    function noteContent(link) {
      var note = doc.getElementById(link.getAttribute("href").slice(1));
      if (!note) return null;
      var copy = note.cloneNode(true);
      copy.querySelectorAll(".backref").forEach(function (a) { a.remove(); });
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      return copy.innerHTML;
    }

    function place(link) {
      var rect = link.getBoundingClientRect();
      var width = Math.min(360, doc.documentElement.clientWidth - 16);
      tip.style.maxWidth = width + "px";
      var left = Math.max(8, Math.min(rect.left + window.scrollX - 20,
        window.scrollX + doc.documentElement.clientWidth - width - 8));
      tip.style.left = left + "px";
      tip.style.top = (rect.bottom + window.scrollY + 6) + "px";
    }

    function show(link) {
      var html = noteContent(link);
      if (html === null) return;
      clearTimeout(hideTimer);
      if (current && current !== link) current.removeAttribute("aria-describedby");
      if (current !== link || tip.hidden) shownAt = Date.now();
      current = link;
      tip.innerHTML = html;
      var label = doc.createElement("p");
      label.className = "fn-preview-label";
      label.textContent = labels.noteLabel.replace("{number}", link.textContent.trim());
      tip.insertBefore(label, tip.firstChild);
      tip.hidden = false;
      link.setAttribute("aria-describedby", "fn-preview");
      link.setAttribute("aria-expanded", "true");
      place(link);
    }

    function hide() {
      tip.hidden = true;
      if (current) {
        current.removeAttribute("aria-describedby");
        current.setAttribute("aria-expanded", "false");
      }
      current = null;
    }

    function hideSoon() { hideTimer = setTimeout(hide, 200); }

    calls.forEach(function (link) {
      link.setAttribute("aria-expanded", "false");
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("mouseleave", hideSoon);
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", hideSoon);
      link.addEventListener("click", function (event) {
        // A tap (or click) opens the preview; a second one follows the link to the notes.
        // A tap also fires hover and focus just before the click: that is still the first tap.
        if (current === link && !tip.hidden && Date.now() - shownAt > 600) { hide(); return; }
        event.preventDefault();
        show(link);
      });
    });
    tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", hideSoon);
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !tip.hidden) {
        var link = current;
        hide();
        if (link) link.focus({ preventScroll: true });
      }
    });
    doc.addEventListener("click", function (event) {
      if (!tip.hidden && !tip.contains(event.target) && !event.target.closest("sup.fn-call")) hide();
    });
  }

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
      items.forEach(function (item) {
        var ok = (!theme || (" " + item.dataset.themes + " ").indexOf(" " + theme + " ") >= 0) &&
          (!actor || (" " + item.dataset.actors + " ").indexOf(" " + actor + " ") >= 0) &&
          (!kind || item.dataset.kind === kind);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      years.forEach(function (section) {
        var any = section.querySelector("li[data-kind]:not([hidden])");
        section.hidden = !any;
        var link = doc.querySelector(".year-strip a[href='#" + section.id + "']");
        if (link) link.parentNode.hidden = !any;
      });
      status.textContent = status.dataset.template.replace("{count}", shown);
      if (updateUrl) {
        var query = new URLSearchParams();
        selects.forEach(function (select) { if (select.value) query.set(select.name, select.value); });
        var search = query.toString();
        history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }
    }
    selects.forEach(function (select) { select.addEventListener("change", function () { apply(true); }); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    apply(false);
  }

  // --- Sortable tables: header buttons, aria-sort, locale-aware comparison. --------
  function setupSortableTables() {
    var lang = doc.documentElement.lang || "en";
    var collator = new Intl.Collator(lang, { sensitivity: "base", numeric: true });
    doc.querySelectorAll("table[data-sortable]").forEach(function (table) {
      var headers = table.querySelectorAll("thead th");
      var body = table.tBodies[0];
      var live = table.parentNode.querySelector("[data-sort-status]");
      headers.forEach(function (th, column) {
        if (th.hasAttribute("data-nosort")) return;
        var button = doc.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        button.innerHTML = th.innerHTML;
        th.innerHTML = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var numeric = th.dataset.type === "number";
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = sortValue(a.cells[column]), y = sortValue(b.cells[column]);
            var result = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : collator.compare(x, y);
            return ascending ? result : -result;
          });
          rows.forEach(function (row) { body.appendChild(row); });
          if (live) {
            live.textContent = (ascending ? labels.sortedAscending : labels.sortedDescending)
              .replace("{column}", button.textContent.trim());
          }
        });
      });
    });
  }

  function sortValue(cell) {
    return cell ? (cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim()) : "";
  }

  setupFootnotePreviews();
  setupTimelineFilters();
  setupSortableTables();
})();
