// The network page: actors as nodes, events as typed, coloured edges weighted by how many events link the two
// (Cytoscape.js, drawn on a canvas, so no article text becomes markup). Filters reload the graph.
"use strict";
(function () {
  var cy = null;

  function name(n) { return n.name_ar || n.name_en || n.id; }

  function detail(nodes) {
    var box = document.getElementById("network-detail");
    box.replaceChildren();
    nodes.forEach(function (n) { box.appendChild(n); });
  }

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  async function load() {
    var form = document.getElementById("filters");
    var box = document.getElementById("cy");
    var summary = document.getElementById("network-summary");
    var colours = JSON.parse(box.dataset.colours || "{}");
    var p = Rasd.params(form);
    history.replaceState(null, "", "/network" + (p.toString() ? "?" + p.toString() : ""));
    Rasd.updateExports(p);
    summary.textContent = "…";
    var q = new URLSearchParams(p);
    q.set("max_edges", "400");
    var res = await fetch("/api/network?" + q.toString(), { headers: { Accept: "application/json" } });
    if (!res.ok) { Rasd.bilingual(summary, "تعذر تحميل الشبكة", "could not load the network (HTTP " + res.status + ")"); return; }
    var data = await res.json();
    var maxW = Math.max(1, ...data.nodes.map(function (n) { return n.weight; }));
    var maxE = Math.max(1, ...data.edges.map(function (e) { return e.weight; }));
    var elements = data.nodes.map(function (n) {
      return { data: { id: n.id, label: name(n), name_en: n.name_en || "", kind: n.kind || "other", weight: n.weight } };
    }).concat(data.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, type: e.type, weight: e.weight,
        colour: (colours[e.type] || [0, 0, "#555555"])[2] } };
    }));
    Rasd.bilingual(summary, data.nodes.length + " فاعلاً، " + data.edges.length + " علاقة", data.nodes.length + " actors, " + data.edges.length + " links");
    if (cy) cy.destroy();
    cy = cytoscape({
      container: box, elements: elements,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 14, "text-valign": "bottom", "text-margin-y": 3,
          width: "mapData(weight, 1, " + maxW + ", 14, 46)", height: "mapData(weight, 1, " + maxW + ", 14, 46)",
          "background-color": "#0b5d7a", color: "#1d2327", "text-outline-color": "#fff", "text-outline-width": 2 } },
        { selector: "node[kind = 'gpe']", style: { "background-color": "#e08a00" } },
        { selector: "node[kind = 'org']", style: { "background-color": "#6a4fb3" } },
        { selector: "node[kind = 'media']", style: { "background-color": "#2a9d8f" } },
        { selector: "edge", style: { width: "mapData(weight, 1, " + maxE + ", 1.5, 9)", "line-color": "data(colour)",
          "target-arrow-color": "data(colour)", "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.85 } },
        { selector: ":selected", style: { "overlay-opacity": 0.15, "overlay-color": "#ffb347" } }
      ],
      layout: { name: data.nodes.length > 1 ? "cose" : "grid", animate: false, randomize: false, padding: 30,
        nodeRepulsion: function () { return 400000; }, idealEdgeLength: function () { return 110; }, nodeOverlap: 20,
        componentSpacing: 80, gravity: 60, numIter: 1500 }
    });
    cy.on("tap", "node", function (evt) {
      var d = evt.target.data();
      var link = el("a", "صفحة الفاعل · actor page", { href: "/actors/" + encodeURIComponent(d.id), id: "network-actor-link" });
      var tl = el("a", "أحداثه على الخط الزمني · on the timeline", { href: "/timeline?actor=" + encodeURIComponent(d.id) });
      detail([el("h3", d.label), el("p", d.name_en), el("p", d.weight + " أحداث · events"), el("p", null, {}).appendChild(link).parentNode, el("p", null, {}).appendChild(tl).parentNode]);
    });
    cy.on("tap", "edge", function (evt) {
      var d = evt.target.data();
      var s = cy.getElementById(d.source).data("label"), t = cy.getElementById(d.target).data("label");
      var q = new URLSearchParams(p); q.set("actor", d.source); q.set("type", d.type);
      var link = el("a", "الأحداث · the events", { href: "/timeline?" + q.toString() });
      detail([el("h3", (colours[d.type] ? colours[d.type][0] + " · " : "") + d.type), el("p", s + " ← " + t),
        el("p", d.weight + " أحداث · events"), el("p", null, {}).appendChild(link).parentNode]);
    });
    box.cy = cy;  // for the browser tests, which tap a node where it is drawn
    box.dataset.nodes = String(data.nodes.length);
    box.dataset.edges = String(data.edges.length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("filters");
    form.addEventListener("submit", function (ev) { ev.preventDefault(); load(); });
    form.addEventListener("change", function () { load(); });
    load();
  });
})();
