// Footnote previews on hover, keyboard focus and tap; Escape closes. Without this
// file, footnote calls simply jump to the notes. Loaded with `defer` on every page.
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

  setupFootnotePreviews();
})();
