// warroom neighbourhood graph, for the entity page. Each `div.wr-graph` names the API of its
// centre entity (GET /api/v1/entities/{id}/neighbourhood, answered by the server within the
// sharing rules: only reports the viewer reads in full, and what they name). This script only
// draws that answer as an SVG bipartite graph (entities as circles, reports as squares), lays
// it out with a small force-directed simulation written here, and lets the viewer drag nodes,
// expand an entity (its own neighbourhood is fetched and merged) and open entities and reports.
// Text goes in as text nodes, never HTML; no request leaves the page's origin.
"use strict";
(function () {
  var NS = "http://www.w3.org/2000/svg";
  var MARKING_FILL = { RED: "#c0392b", AMBER: "#b9770e", "AMBER+STRICT": "#b9770e", GREEN: "#1e8449", CLEAR: "#566573" };
  var ENTITY_FILL = "#2e6da4";
  var NOISE_FILL = "#aab4be";
  var IDEAL = 70; // the length an edge settles at, in SVG units

  function el(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(e);
    return e;
  }

  function html(tag, className, parent) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (parent) parent.appendChild(e);
    return e;
  }

  function short(text, n) {
    var chars = Array.from(text || "");
    return chars.length > n ? chars.slice(0, n - 1).join("") + "…" : chars.join("");
  }

  function Graph(root) {
    var d = root.dataset;
    this.root = root;
    this.api = d.api;
    this.entityHref = d.entityHref || "/entities/";
    this.reportHref = d.reportHref || "/reports/";
    this.labels = {
      expand: d.labelExpand || "expand", open: d.labelOpen || "open",
      loading: d.labelLoading || "Loading…", error: d.labelError || "Error",
      truncated: d.labelTruncated || "Truncated"
    };
    this.nodes = []; // {key, type: "entity"|"report", id, data, x, y, vx, vy, pinned}
    this.byKey = {};
    this.edges = []; // {key, a: node, b: node}
    this.edgeKeys = {};
    this.expanded = {};
    this.centre = null;
    this.selected = null;
    this.busy = false;

    this.status = html("p", "wr-graph-status muted small", root);
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.note = html("p", "wr-graph-note muted small", root);
    this.note.hidden = true;
    this.svg = el("svg", { "class": "wr-graph-svg", width: "100%", height: "400", role: "group" }, root);
    this.edgeLayer = el("g", { "class": "wr-graph-edges" }, this.svg);
    this.nodeLayer = el("g", { "class": "wr-graph-nodes" }, this.svg);
    this.panel = html("p", "wr-graph-selected small", root);
    this.panel.hidden = true;
  }

  // The neighbourhood URL of another entity: the centre's URL with the id swapped.
  Graph.prototype.urlFor = function (id) {
    if (this.centre && this.api.indexOf(this.centre) >= 0) {
      return this.api.split(this.centre).join(encodeURIComponent(id));
    }
    return this.api.replace(/\/entities\/[^/?#]+\/neighbourhood/, "/entities/" + encodeURIComponent(id) + "/neighbourhood");
  };

  Graph.prototype.setStatus = function (text, isError) {
    this.status.textContent = text || "";
    this.status.className = "wr-graph-status small " + (isError ? "flash error" : "muted");
  };

  Graph.prototype.load = function (url, from) {
    var self = this;
    if (self.busy) return;
    self.busy = true;
    self.setStatus(self.labels.loading, false);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (answer) {
        self.busy = false;
        self.setStatus("", false);
        self.merge(answer, from);
      })
      .catch(function () {
        self.busy = false;
        self.setStatus(self.labels.error, true);
      });
  };

  Graph.prototype.add = function (type, id, data, near, i) {
    var key = type + ":" + id;
    var n = this.byKey[key];
    if (n) {
      // An entity first seen without its value (only heard of) may be named by a later answer.
      if (type === "entity" && !n.data.value && data.value) n.data = data;
      return n;
    }
    // Deterministic start: a golden-angle spiral around the node that brought it in.
    var k = this.nodes.length + 1;
    var angle = (near ? i : k) * 2.399963;
    var r = near ? IDEAL * (0.8 + 0.15 * Math.sqrt(i)) : 22 * Math.sqrt(k);
    n = { key: key, type: type, id: id, data: data, vx: 0, vy: 0, pinned: false,
          x: (near ? near.x : 0) + r * Math.cos(angle), y: (near ? near.y : 0) + r * Math.sin(angle) };
    this.nodes.push(n);
    this.byKey[key] = n;
    return n;
  };

  Graph.prototype.merge = function (answer, from) {
    var self = this;
    var first = !self.centre;
    if (first) self.centre = answer.entity;
    var before = self.nodes.length;
    var near = from || null;
    (answer.entities || []).forEach(function (e, i) { self.add("entity", e.id, e, near, i + 1); });
    (answer.reports || []).forEach(function (r, i) { self.add("report", r.id, r, near, i + 1.5); });
    (answer.edges || []).forEach(function (e) {
      var key = e.report + "|" + e.entity;
      var a = self.byKey["report:" + e.report], b = self.byKey["entity:" + e.entity];
      if (self.edgeKeys[key] || !a || !b) return;
      self.edgeKeys[key] = true;
      self.edges.push({ key: key, a: a, b: b });
    });
    self.expanded[answer.entity] = true;
    if (answer.truncated) {
      self.note.textContent = self.labels.truncated;
      self.note.hidden = false;
    }
    if (first || self.nodes.length > before) self.layout(first ? 300 : 200, first ? 30 : 12);
    self.render();
    var selected = self.selected;
    self.selected = null;
    if (selected) self.select(selected);
    var focus = self.byKey["entity:" + answer.entity];
    if (!first && focus && focus.g) focus.g.focus();
  };

  // Fruchterman–Reingold: every pair repels, edges pull, a weak pull to the middle keeps the
  // picture together; the step shrinks each round so the layout settles.
  Graph.prototype.layout = function (rounds, heat) {
    var nodes = this.nodes, edges = this.edges, k2 = IDEAL * IDEAL;
    for (var t = 0; t < rounds; t++) {
      var step = heat * (1 - t / rounds) + 0.5;
      var i, j, a, b, dx, dy, d2, d, f;
      for (i = 0; i < nodes.length; i++) { nodes[i].vx = -0.03 * nodes[i].x; nodes[i].vy = -0.03 * nodes[i].y; }
      for (i = 0; i < nodes.length; i++) {
        a = nodes[i];
        for (j = i + 1; j < nodes.length; j++) {
          b = nodes[j];
          dx = a.x - b.x; dy = a.y - b.y;
          d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = dx * dx + dy * dy; }
          f = k2 / d2; // (k² / d) along the unit vector (dx, dy) / d
          a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
        }
      }
      for (i = 0; i < edges.length; i++) {
        a = edges[i].a; b = edges[i].b;
        dx = a.x - b.x; dy = a.y - b.y;
        d = Math.sqrt(dx * dx + dy * dy) || 0.1;
        f = d / IDEAL; // (d² / k) along the unit vector
        a.vx -= dx * f; a.vy -= dy * f; b.vx += dx * f; b.vy += dy * f;
      }
      for (i = 0; i < nodes.length; i++) {
        a = nodes[i];
        if (a.pinned) continue;
        d = Math.sqrt(a.vx * a.vx + a.vy * a.vy);
        if (d > step) { a.vx *= step / d; a.vy *= step / d; }
        a.x += a.vx; a.y += a.vy;
      }
    }
  };

  Graph.prototype.entityLabel = function (n) {
    var v = n.data.value;
    return n.data.kind + (v ? " " + v : "");
  };

  Graph.prototype.reportLabel = function (n) {
    var r = n.data;
    return r.title + " — " + r.owner_name + ", TLP:" + r.marking + ", " + String(r.reported_at).slice(0, 10);
  };

  Graph.prototype.render = function () {
    var self = this;
    while (self.edgeLayer.firstChild) self.edgeLayer.removeChild(self.edgeLayer.firstChild);
    while (self.nodeLayer.firstChild) self.nodeLayer.removeChild(self.nodeLayer.firstChild);
    self.edges.forEach(function (e) {
      e.line = el("line", { stroke: "currentColor", "stroke-opacity": "0.35", "stroke-width": "1.2" }, self.edgeLayer);
    });
    self.nodes.forEach(function (n) { self.drawNode(n); });
    self.place();
    self.fit();
  };

  Graph.prototype.drawNode = function (n) {
    var self = this;
    var g = el("g", { tabindex: "0", role: "button", "class": "wr-node wr-node-" + n.type }, self.nodeLayer);
    var label, text;
    if (n.type === "entity") {
      var noise = !!n.data.noise;
      var centre = n.id === self.centre;
      el("circle", { r: centre ? 11 : 8, fill: noise ? NOISE_FILL : ENTITY_FILL,
        stroke: self.expanded[n.id] ? "#f2b705" : "none", "stroke-width": "3" }, g);
      if (noise) g.setAttribute("class", g.getAttribute("class") + " wr-noise");
      text = short(n.data.kind, 12) + " " + short(n.data.value || "", 16);
      label = self.entityLabel(n) + (noise ? " (" + n.data.noise + ")" : "") + ": " + self.labels.expand;
    } else {
      el("rect", { x: -7, y: -7, width: 14, height: 14, rx: 2, fill: MARKING_FILL[n.data.marking] || "#566573" }, g);
      text = short(n.data.title, 22);
      label = self.reportLabel(n) + ": " + self.labels.open;
    }
    var t = el("text", { y: 22, "text-anchor": "middle", "font-size": "10", fill: "currentColor" }, g);
    if (n.type === "entity" && n.data.noise) t.setAttribute("fill-opacity", "0.55");
    t.textContent = text;
    el("title", {}, g).textContent = label;
    g.setAttribute("aria-label", label);
    n.g = g;
    self.interact(n);
  };

  Graph.prototype.place = function () {
    this.nodes.forEach(function (n) { n.g.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"); });
    this.edges.forEach(function (e) {
      e.line.setAttribute("x1", e.a.x.toFixed(1)); e.line.setAttribute("y1", e.a.y.toFixed(1));
      e.line.setAttribute("x2", e.b.x.toFixed(1)); e.line.setAttribute("y2", e.b.y.toFixed(1));
    });
  };

  Graph.prototype.fit = function () {
    if (!this.nodes.length) return;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    this.nodes.forEach(function (n) {
      x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x); y1 = Math.max(y1, n.y);
    });
    var pad = 60;
    var w = Math.max(x1 - x0 + 2 * pad, 300), h = Math.max(y1 - y0 + 2 * pad, 240);
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    this.svg.setAttribute("viewBox", [cx - w / 2, cy - h / 2, w, h].map(function (v) { return v.toFixed(1); }).join(" "));
    this.svg.setAttribute("height", String(Math.round(Math.min(Math.max(h, 320), 640))));
  };

  // Pointer position in the SVG's own units.
  Graph.prototype.point = function (ev) {
    var m = this.svg.getScreenCTM();
    if (!m) return null;
    var p = this.svg.createSVGPoint();
    p.x = ev.clientX; p.y = ev.clientY;
    return p.matrixTransform(m.inverse());
  };

  Graph.prototype.interact = function (n) {
    var self = this, g = n.g, drag = null, dragged = false;
    g.addEventListener("pointerdown", function (ev) {
      var p = self.point(ev);
      if (!p || ev.button !== 0) return;
      drag = { dx: n.x - p.x, dy: n.y - p.y, sx: ev.clientX, sy: ev.clientY, moved: false };
      try { g.setPointerCapture(ev.pointerId); } catch (e) { /* the pointer is gone already */ }
    });
    g.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      if (Math.abs(ev.clientX - drag.sx) + Math.abs(ev.clientY - drag.sy) > 4) drag.moved = true;
      if (!drag.moved) return;
      var p = self.point(ev);
      if (!p) return;
      n.x = p.x + drag.dx; n.y = p.y + drag.dy; n.pinned = true;
      self.place();
    });
    g.addEventListener("pointerup", function (ev) {
      dragged = !!(drag && drag.moved);
      drag = null;
      if (g.hasPointerCapture(ev.pointerId)) g.releasePointerCapture(ev.pointerId);
    });
    g.addEventListener("click", function () {
      // A drag ends in a click event too: it is not one.
      if (dragged) { dragged = false; return; }
      self.activate(n);
    });
    g.addEventListener("dblclick", function () { if (n.type === "entity") self.openEntity(n); });
    g.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); self.activate(n); }
    });
    g.addEventListener("focus", function () { if (n.type === "entity") self.select(n); });
  };

  Graph.prototype.activate = function (n) {
    if (n.type === "report") {
      window.location.href = this.reportHref + encodeURIComponent(n.id);
      return;
    }
    this.select(n);
    if (!this.expanded[n.id]) this.load(this.urlFor(n.id), n);
  };

  Graph.prototype.openEntity = function (n) {
    window.location.href = this.entityHref + encodeURIComponent(n.id);
  };

  // The selected entity, with its "expand" button and "open" link: the keyboard and pointer
  // way to the entity page besides a double click.
  Graph.prototype.select = function (n) {
    var self = this;
    if (self.selected === n) return;
    self.selected = n;
    var p = self.panel;
    while (p.firstChild) p.removeChild(p.firstChild);
    var code = html("code", "", p);
    code.textContent = self.entityLabel(n);
    p.appendChild(document.createTextNode(" "));
    if (!self.expanded[n.id]) {
      var b = html("button", "secondary", p);
      b.type = "button";
      b.textContent = self.labels.expand;
      b.addEventListener("click", function () { self.activate(n); });
      p.appendChild(document.createTextNode(" "));
    }
    var a = html("a", "", p);
    a.href = self.entityHref + encodeURIComponent(n.id);
    a.textContent = self.labels.open;
    p.hidden = false;
  };

  function start() {
    var roots = document.querySelectorAll("div.wr-graph[data-api]");
    Array.prototype.forEach.call(roots, function (root) {
      var g = new Graph(root);
      g.load(g.api, null);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
