// The article page: a link in the side panel brings its range of the text into focus (a stronger background).
"use strict";
(function () {
  function focusRef(ref) {
    document.querySelectorAll("#doc-text .focus").forEach(function (el) { el.classList.remove("focus"); });
    if (!ref) return;
    document.querySelectorAll("#doc-text [data-refs]").forEach(function (el) {
      if (el.dataset.refs.split(" ").indexOf(ref) >= 0) el.classList.add("focus");
    });
  }
  function fromHash() { focusRef(decodeURIComponent(location.hash.slice(1))); }
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("DOMContentLoaded", fromHash);
})();
