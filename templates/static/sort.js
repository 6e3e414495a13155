// Sortable tables: header buttons, aria-sort, locale-aware comparison. Without this file
// tables keep their server-side order. Loaded only by pages with sortable tables.
(function () {
  "use strict";
  var doc = document;
  var labels = doc.body.dataset;

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

  setupSortableTables();
})();
