// Pages that only send the reader on (see site_builder/redirects.py). Loaded with
// `defer`; both kinds of page work without it.
// - A former address (an alias): go to the new one at once, keeping the #fragment,
//   so a link to one paragraph still lands on it. Without script, a meta refresh
//   in <noscript> goes there too (without the fragment).
// - A short link: open the page in the first of the browser's languages that the
//   site has. Without script, or if none matches, both links stay on the page.
(function () {
  "use strict";
  var hash = window.location.hash;
  var moved = document.querySelector("a[data-redirect]");
  if (moved) {
    window.location.replace(moved.href.split("#")[0] + hash);
    return;
  }
  var pages = {};
  document.querySelectorAll("a[data-language]").forEach(function (link) {
    pages[link.getAttribute("data-language")] = link.href;
  });
  var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
  for (var i = 0; i < wanted.length; i++) {
    var code = String(wanted[i]).toLowerCase().split("-")[0];
    if (pages[code]) {
      window.location.replace(pages[code] + hash);
      return;
    }
  }
})();
