/*
 * Read-only BPMN diagram for a case page.
 *
 * Expects the vendored bpmn-js NavigatedViewer bundle
 * (vendor/bpmn-js/bpmn-navigated-viewer.production.min.js) to be loaded
 * first; it defines the global constructor `BpmnJS`.
 *
 * Markup:
 *   <div id="case-diagram"
 *        data-xml-url="/cases/TD-2026-0001/diagram.bpmn"
 *        data-completed='["StartEvent_Requested"]'
 *        data-current='["UserTask_Respond"]'
 *        data-cancelled='[]'></div>
 *
 * The data-* lists are JSON arrays of BPMN element ids. Ids that are not in
 * the diagram are ignored. Works under `script-src 'self'` (no eval, no inline
 * handlers). Plain ES2017, no build step.
 */
(function () {
  'use strict';

  var CONTAINER_ID = 'case-diagram';
  var ERROR_TEXT = 'The diagram could not be shown.';
  var READABLE = 0.8; // below this, labels at page width are too small to read
  var ZOOM_STEP = 1.25, MIN_ZOOM = 0.2, MAX_ZOOM = 3;

  var MARKERS = [
    { attr: 'data-completed', marker: 'step-completed', label: 'Completed' },
    { attr: 'data-current', marker: 'step-current', label: 'Current' },
    { attr: 'data-cancelled', marker: 'step-cancelled', label: 'Cancelled' }
  ];

  function warn() {
    if (window.console && typeof window.console.warn === 'function') {
      window.console.warn.apply(window.console, arguments);
    }
  }

  /* Parse a data-* attribute holding a JSON array of ids. Bad or missing
   * values give an empty list: the diagram is still worth showing. */
  function readIdList(el, attr) {
    var raw = el.getAttribute(attr);
    if (!raw) {
      return [];
    }
    try {
      var value = JSON.parse(raw);
      if (!Array.isArray(value)) {
        throw new Error('not an array');
      }
      return value.filter(function (id) {
        return typeof id === 'string' && id.length > 0;
      });
    } catch (err) {
      warn('case-diagram: ignoring invalid ' + attr + ' attribute', err);
      return [];
    }
  }

  function showError(el, viewer) {
    if (viewer) {
      try {
        viewer.destroy();
      } catch (ignored) { /* best effort */ }
    }
    var msg = document.createElement('p');
    msg.className = 'case-diagram-error';
    msg.setAttribute('role', 'alert');
    msg.textContent = ERROR_TEXT;
    el.textContent = '';
    el.appendChild(msg);
    el.classList.add('case-diagram--error');
    el.setAttribute('data-diagram-state', 'error');
  }

  function elementName(element) {
    var bo = element.businessObject;
    return bo && typeof bo.name === 'string' ? bo.name.trim() : '';
  }

  /* Apply the status markers; returns text lines for the aria-label. */
  function applyMarkers(viewer, el) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    var summary = [];

    MARKERS.forEach(function (spec) {
      var names = [];
      readIdList(el, spec.attr).forEach(function (id) {
        var element = registry.get(id);
        if (!element) {
          return; // not in this diagram: skip silently
        }
        canvas.addMarker(element, spec.marker);
        var name = elementName(element);
        if (name) {
          names.push(name); // unnamed gateways etc. stay out of the summary
        }
      });
      if (names.length) {
        summary.push(spec.label + ': ' + names.join(', '));
      }
    });

    return summary;
  }

  /* Fit the whole diagram; if that shrinks its words below reading size (a
   * wide procedure at page width), zoom to reading size on the current step. */
  function readable(canvas, registry, el) {
    canvas.zoom('fit-viewport', 'auto'); // 'auto' = centre the diagram
    if (canvas.zoom() < READABLE) {
      canvas.zoom(READABLE);
      var current = readIdList(el, 'data-current')
        .map(function (id) { return registry.get(id); })
        .filter(Boolean)[0];
      if (current) {
        canvas.scrollToElement(current);
      }
    }
    showZoom(canvas, el);
  }

  function showZoom(canvas, el) {
    el.setAttribute('data-zoom', canvas.zoom().toFixed(2));
  }

  /* The buttons beside the diagram: <button data-diagram-zoom="in|out|fit"> */
  function wireControls(canvas, el) {
    var buttons = document.querySelectorAll('[data-diagram-zoom]');
    Array.prototype.forEach.call(buttons, function (button) {
      button.disabled = false;
      button.addEventListener('click', function () {
        var action = button.getAttribute('data-diagram-zoom');
        if (action === 'fit') {
          canvas.zoom('fit-viewport', 'auto');
        } else {
          var step = action === 'in' ? ZOOM_STEP : 1 / ZOOM_STEP;
          canvas.zoom(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, canvas.zoom() * step)), 'auto');
        }
        showZoom(canvas, el);
      });
    });
  }

  function fetchXml(url) {
    return fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/xml, text/xml, */*' }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status + ' for ' + url);
      }
      return response.text();
    });
  }

  function render(el) {
    var url = el.getAttribute('data-xml-url');
    var viewer = null;

    el.setAttribute('data-diagram-state', 'loading');

    if (!url || typeof window.BpmnJS !== 'function' ||
        typeof window.fetch !== 'function' || typeof Promise === 'undefined') {
      warn('case-diagram: missing data-xml-url, BpmnJS bundle or fetch()');
      showError(el, null);
      return Promise.resolve();
    }

    return fetchXml(url)
      .then(function (xml) {
        viewer = new window.BpmnJS({ container: el });
        return viewer.importXML(xml);
      })
      .then(function (result) {
        if (result && result.warnings && result.warnings.length) {
          warn('case-diagram: import warnings', result.warnings);
        }

        var canvas = viewer.get('canvas');
        var summary = applyMarkers(viewer, el);

        try {
          readable(canvas, viewer.get('elementRegistry'), el);
        } catch (err) {
          // e.g. container not visible yet; keep the default zoom
          warn('case-diagram: could not fit diagram to viewport', err);
        }
        wireControls(canvas, el);

        if (!el.hasAttribute('aria-label')) {
          el.setAttribute('role', 'figure');
          el.setAttribute('aria-label', 'Process diagram' +
            (summary.length ? '. ' + summary.join('. ') + '.' : ''));
        }
        el.setAttribute('data-diagram-state', 'ready');
      })
      .catch(function (err) {
        warn('case-diagram: could not render diagram', err);
        showError(el, viewer);
      });
  }

  function init() {
    var el = document.getElementById(CONTAINER_ID);
    if (!el) {
      return;
    }
    try {
      render(el);
    } catch (err) {
      warn('case-diagram: could not render diagram', err);
      showError(el, null);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
