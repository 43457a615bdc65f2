// warroom live feed: new hits of the viewer's agency, from the server-sent event stream
// (GET /api/v1/hits/stream, authenticated by the session cookie). Each event is a hit shaped
// by the server for this viewer; this script only draws it, with text nodes (never HTML).
"use strict";
(function () {
  function agencyNames() {
    var el = document.getElementById("agency-names");
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function party(p, names, labels) {
    var span = document.createElement("span");
    span.className = "party";
    span.appendChild(document.createTextNode(names[p.agency] || p.agency));
    if (p.access === "full" && p.report) {
      span.appendChild(document.createTextNode(" ("));
      span.appendChild(link("/reports/" + p.report, labels.open));
      span.appendChild(document.createTextNode(")"));
    } else {
      var m = document.createElement("span");
      m.className = "muted";
      m.textContent = " (" + labels.rfi + ")";
      span.appendChild(m);
    }
    return span;
  }

  function item(hit, names, labels) {
    var li = document.createElement("li");
    li.className = "new";
    li.dataset.hit = hit.id;
    var badge = document.createElement("span");
    badge.className = "badge hit";
    badge.textContent = hit.entity.kind;
    li.appendChild(badge);
    li.appendChild(document.createTextNode(" "));
    var code = document.createElement("code");
    code.textContent = hit.entity.value;
    var a = link("/entities/" + hit.entity.id, "");
    a.appendChild(code);
    li.appendChild(a);
    li.appendChild(document.createTextNode(" · "));
    if (hit.side === "submitted") {
      li.appendChild(document.createTextNode(labels.submitted + " "));
      hit.counterparts.forEach(function (p, i) {
        if (i > 0) li.appendChild(document.createTextNode(", "));
        li.appendChild(party(p, names, labels));
      });
    } else {
      li.appendChild(document.createTextNode(labels.held + " "));
      li.appendChild(party(hit.report, names, labels));
      li.appendChild(document.createTextNode(" · " + labels.yours));
      hit.counterparts.forEach(function (p, i) {
        if (p.access === "full" && p.report) {
          li.appendChild(document.createTextNode(" "));
          li.appendChild(link("/reports/" + p.report, String(i + 1)));
        }
      });
    }
    var at = document.createElement("span");
    at.className = "muted small";
    at.textContent = " " + hit.at.replace("T", " ").slice(0, 16) + " UTC";
    li.appendChild(at);
    return li;
  }

  function start() {
    var feed = document.getElementById("hit-feed");
    if (!feed || !window.EventSource) return;
    var status = document.getElementById("live-status");
    var names = agencyNames();
    var labels = {
      submitted: feed.dataset.labelSubmitted, held: feed.dataset.labelHeld,
      open: feed.dataset.labelOpen, rfi: feed.dataset.labelRfi, yours: feed.dataset.labelYours
    };
    function say(key) { if (status) status.textContent = status.dataset[key] || ""; }
    var source = new EventSource(feed.dataset.stream);
    source.onopen = function () { say("labelLive"); feed.dataset.live = "1"; };
    source.onerror = function () { say("labelLost"); feed.dataset.live = "0"; };
    source.addEventListener("hit", function (ev) {
      var hit;
      try { hit = JSON.parse(ev.data); } catch (e) { return; }
      if (feed.querySelector('[data-hit="' + CSS.escape(hit.id) + '"]')) return;
      var empty = document.getElementById("no-hits");
      if (empty) empty.remove();
      feed.insertBefore(item(hit, names, labels), feed.firstChild);
      while (feed.children.length > 200) feed.removeChild(feed.lastChild);
    });
    source.addEventListener("lagged", function () { say("labelLagged"); });
  }

  // New reports the viewer may read, from GET /api/v1/reports/stream.
  function reportItem(r, names, label) {
    var li = document.createElement("li");
    li.className = "new";
    li.dataset.report = r.id;
    var tlp = document.createElement("span");
    tlp.className = "tlp tlp-" + r.marking.replace("+", "-");
    tlp.textContent = "TLP:" + r.marking;
    li.appendChild(tlp);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(link("/reports/" + r.id, names[r.owner] || r.owner));
    if (r.methods.length) li.appendChild(document.createTextNode(" · " + r.methods.join(", ")));
    li.appendChild(document.createTextNode(" · " + r.identifiers + " " + label + " "));
    var at = document.createElement("span");
    at.className = "muted small";
    at.textContent = r.reported_at.replace("T", " ").slice(0, 16) + " UTC";
    li.appendChild(at);
    return li;
  }

  function startReports() {
    var feed = document.getElementById("report-feed");
    if (!feed || !window.EventSource) return;
    var names = agencyNames();
    var source = new EventSource(feed.dataset.stream);
    source.onopen = function () { feed.dataset.live = "1"; };
    source.onerror = function () { feed.dataset.live = "0"; };
    source.addEventListener("report", function (ev) {
      var r;
      try { r = JSON.parse(ev.data); } catch (e) { return; }
      var old = feed.querySelector('[data-report="' + CSS.escape(r.id) + '"]');
      if (old) old.remove();
      feed.insertBefore(reportItem(r, names, feed.dataset.labelIdentifiers), feed.firstChild);
      while (feed.children.length > 50) feed.removeChild(feed.lastChild);
    });
  }

  function startAll() { start(); startReports(); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
