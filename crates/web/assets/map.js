// Pan and zoom for the server-rendered maps (svg.wr-map, see crates/web/src/map.rs).
// Mouse wheel zooms around the pointer, dragging pans; with the map focused, + and - zoom,
// the arrow keys pan and 0 resets. Markers keep their size on screen. No dependencies and
// no network requests: the map is complete without this script.
(function () {
  'use strict';

  var MIN_ZOOM = 1;
  var MAX_ZOOM = 40;
  var STEP = 1.25; // zoom factor per wheel notch or key press
  var PAN = 0.1; // share of the view an arrow key pans

  function setup(svg) {
    var view = svg.querySelector('.wr-map-view');
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (!view || !box || !box.width) return;
    var markers = Array.prototype.map.call(svg.querySelectorAll('.wr-pt'), function (el) {
      return { el: el, base: el.getAttribute('transform') || '' };
    });
    var k = 1;
    var x = 0;
    var y = 0;

    function apply() {
      k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));
      // Keep the map covering the whole view: no panning past its edges.
      x = Math.min(0, Math.max(box.width * (1 - k), x));
      y = Math.min(0, Math.max(box.height * (1 - k), y));
      view.setAttribute('transform', 'translate(' + x + ' ' + y + ') scale(' + k + ')');
      markers.forEach(function (m) {
        m.el.setAttribute('transform', m.base + ' scale(' + 1 / k + ')');
      });
      svg.setAttribute('data-zoom', k.toFixed(2));
    }

    // Zooms by `factor`, keeping the viewBox point (px, py) where it is.
    function zoomAt(factor, px, py) {
      var next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k * factor));
      x = px - (px - x) * next / k;
      y = py - (py - y) * next / k;
      k = next;
      apply();
    }

    // A pointer position in viewBox units.
    function toBox(event) {
      var m = svg.getScreenCTM();
      if (!m) return { x: box.width / 2, y: box.height / 2 };
      var p = svg.createSVGPoint();
      p.x = event.clientX;
      p.y = event.clientY;
      return p.matrixTransform(m.inverse());
    }

    svg.addEventListener('wheel', function (event) {
      event.preventDefault();
      var p = toBox(event);
      zoomAt(event.deltaY < 0 ? STEP : 1 / STEP, p.x, p.y);
    }, { passive: false });

    var drag = null;
    var dragged = false;
    svg.addEventListener('pointerdown', function (event) {
      if (event.button !== 0) return;
      // No text selection while dragging; focus by hand, as cancelling also skips it.
      event.preventDefault();
      svg.focus({ preventScroll: true });
      drag = { id: event.pointerId, from: toBox(event), x: x, y: y };
      dragged = false;
    });
    svg.addEventListener('pointermove', function (event) {
      if (!drag || event.pointerId !== drag.id) return;
      var p = toBox(event);
      var dx = p.x - drag.from.x;
      var dy = p.y - drag.from.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!dragged) {
        dragged = true;
        svg.setPointerCapture(event.pointerId);
        svg.classList.add('wr-map-dragging');
      }
      x = drag.x + dx;
      y = drag.y + dy;
      apply();
    });
    function endDrag() {
      drag = null;
      svg.classList.remove('wr-map-dragging');
    }
    svg.addEventListener('pointerup', endDrag);
    svg.addEventListener('pointercancel', endDrag);
    // A drag that ends on a marker is not a click on its link.
    svg.addEventListener('click', function (event) {
      if (dragged) {
        event.preventDefault();
        dragged = false;
      }
    }, true);

    svg.addEventListener('keydown', function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var cx = box.width / 2;
      var cy = box.height / 2;
      switch (event.key) {
        case '+': case '=': zoomAt(STEP, cx, cy); break;
        case '-': case '_': zoomAt(1 / STEP, cx, cy); break;
        case '0': k = 1; x = 0; y = 0; apply(); break;
        case 'ArrowLeft': x += box.width * PAN; apply(); break;
        case 'ArrowRight': x -= box.width * PAN; apply(); break;
        case 'ArrowUp': y += box.height * PAN; apply(); break;
        case 'ArrowDown': y -= box.height * PAN; apply(); break;
        default: return;
      }
      event.preventDefault();
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('svg.wr-map'), setup);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
