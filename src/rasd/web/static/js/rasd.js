// Shared behaviour: let HTMX show the server's error fragments (a refused search is a 400 with a message), and
// the helpers the timeline and network pages share (window.Rasd).
"use strict";
document.addEventListener("htmx:beforeSwap", function (evt) {
  var status = evt.detail.xhr.status;
  if (status === 400 || status === 404) {
    evt.detail.shouldSwap = true;
    evt.detail.isError = false;
  }
});

window.Rasd = {
  // The filter form's non-empty fields as URL parameters.
  params: function (form) {
    var p = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (v) p.set(k, v); });
    return p;
  },
  // Arabic first, then the English in its own left-to-right run (mixed in one string, bidi reorders numbers).
  bilingual: function (target, ar, en) {
    var tail = document.createElement("span");
    tail.className = "en";
    tail.lang = "en";
    tail.dir = "ltr";
    tail.textContent = en;
    target.replaceChildren(document.createTextNode(ar + " · "), tail);
  },
  // Point the export links at the current filters.
  updateExports: function (p) {
    var q = new URLSearchParams(p);
    q.delete("limit");
    q.delete("offset");
    var s = q.toString();
    document.querySelectorAll("a[data-export]").forEach(function (a) {
      a.href = "/export/" + a.dataset.export + (s ? "?" + s : "");
    });
  }
};
