// The timeline page: events matching the filter form on a right-to-left vis-timeline; picking one loads its
// evidence and sources (an HTMX fragment). Article text only ever enters the page as textContent.
"use strict";
(function () {
  var PAGE = 200, MAX_PAGES = 5;
  var timeline = null;

  function label(e, colours) {
    var who = function (xs) { return xs.map(function (a) { return a.name_ar || a.name_en || a.id; }).join("، "); };
    var text = (colours[e.type] ? colours[e.type][0] : e.type) + ": " + (who(e.actors_a) || "؟");
    if (e.actors_b.length) text += " ← " + who(e.actors_b);
    return text;
  }

  function itemContent(e, colours) {
    var el = document.createElement("span");
    el.className = "tl-item";
    el.textContent = label(e, colours);
    return el;
  }

  async function fetchEvents(p) {
    var all = [], total = 0;
    for (var page = 0; page < MAX_PAGES; page++) {
      p.set("limit", PAGE);
      p.set("offset", page * PAGE);
      var res = await fetch("/api/events?" + p.toString(), { headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error("HTTP " + res.status);
      var data = await res.json();
      total = data.total;
      all = all.concat(data.results);
      if (all.length >= total) break;
    }
    return { events: all, total: total };
  }

  async function load() {
    var form = document.getElementById("filters");
    var box = document.getElementById("timeline");
    var summary = document.getElementById("timeline-summary");
    var colours = JSON.parse(box.dataset.colours || "{}");
    var p = Rasd.params(form);
    history.replaceState(null, "", "/timeline" + (p.toString() ? "?" + p.toString() : ""));
    Rasd.updateExports(p);
    summary.textContent = "…";
    var got;
    try {
      got = await fetchEvents(p);
    } catch (err) {
      Rasd.bilingual(summary, "تعذر تحميل الأحداث", "could not load events (" + err.message + ")");
      return;
    }
    var groups = new vis.DataSet(), seen = {};
    var dated = got.events.filter(function (e) { return e.day; });
    var items = new vis.DataSet(dated.map(function (e) {
      if (!seen[e.type]) {
        seen[e.type] = true;
        var g = document.createElement("span");
        g.textContent = (colours[e.type] ? colours[e.type][0] + " · " : "") + e.type;
        groups.add({ id: e.type, content: g, className: "tl-group" });
      }
      return {
        id: e.id, group: e.type, start: e.day, content: itemContent(e, colours),
        className: "t-" + e.type + " s-" + e.status, title: undefined
      };
    }));
    var undated = got.events.length - dated.length;
    var ar = dated.length + " حدثاً", en = dated.length + " events";
    if (got.events.length < got.total) {
      ar = "يُعرض " + dated.length + " من " + got.total + " حدثاً — ضيّق المرشحات";
      en = "showing " + dated.length + " of " + got.total + " events: narrow the filters";
    }
    if (undated) { ar += "، و" + undated + " بلا تاريخ"; en += ", " + undated + " undated not shown"; }
    Rasd.bilingual(summary, ar, en);
    var options = { rtl: true, stack: true, orientation: "top", zoomKey: "ctrlKey", margin: { item: 6 },
      maxHeight: 520, selectable: true, tooltip: { followMouse: false } };
    if (timeline) timeline.destroy();
    box.replaceChildren();
    timeline = new vis.Timeline(box, items, groups, options);
    timeline.on("select", function (props) {
      if (!props.items.length) return;
      htmx.ajax("GET", "/fragments/event/" + encodeURIComponent(props.items[0]), { target: "#event-detail", swap: "innerHTML" });
    });
    box.dataset.loaded = String(dated.length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("filters");
    form.addEventListener("submit", function (ev) { ev.preventDefault(); load(); });
    form.addEventListener("change", function () { load(); });
    load();
  });
})();
