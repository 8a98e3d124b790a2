/* Process trace (流程跟踪): draws a BPMN diagram with bpmn-js and marks the steps already done and
 * the steps waiting now. The page supplies the XML and the step ids in <script type="application/json">
 * elements named by the container's data attributes; nothing is fetched from outside the platform. */
(function () {
  "use strict";

  function readJson(id, fallback) {
    var element = id && document.getElementById(id);
    if (!element) { return fallback; }
    try { return JSON.parse(element.textContent); } catch (error) { return fallback; }
  }

  function showProblem(container, text) {
    container.classList.add("wf-diagram-failed");
    var message = document.createElement("div");
    message.className = "alert alert-warning m-3";
    message.setAttribute("role", "alert");
    message.textContent = text;
    container.replaceChildren(message);
  }

  function mark(canvas, registry, ids, marker) {
    ids.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, marker); }
    });
  }

  /* A whole process fitted into a phone is too small to read: show the step waiting now instead. */
  function focusOnNarrowScreens(canvas, registry, ids) {
    if (window.innerWidth >= 576) { return; }
    for (var index = 0; index < ids.length; index += 1) {
      var element = registry.get(ids[index]);
      if (element) {
        var outer = canvas.viewbox().outer;
        var scale = 0.9;
        var width = outer.width / scale;
        var height = outer.height / scale;
        canvas.viewbox({
          x: element.x + element.width / 2 - width / 2,
          y: element.y + element.height / 2 - height / 2,
          width: width,
          height: height
        });
        return;
      }
    }
  }

  function draw(container) {
    if (container.dataset.drawn) { return; }
    container.dataset.drawn = "1";
    var xml = readJson(container.dataset.xml, "");
    var completed = readJson(container.dataset.completed, []);
    var current = readJson(container.dataset.current, []);
    if (typeof window.BpmnJS !== "function" || !xml) {
      showProblem(container, container.dataset.failedText || "");
      return;
    }
    var viewer = new window.BpmnJS({ container: container });
    viewer.importXML(xml).then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      mark(canvas, registry, completed.filter(function (id) { return current.indexOf(id) < 0; }), "wf-completed");
      mark(canvas, registry, current, "wf-current");
      canvas.zoom("fit-viewport", "auto");
      focusOnNarrowScreens(canvas, registry, current.concat(completed.slice(-1)));
      container.dataset.ready = "1";
      container.dispatchEvent(new CustomEvent("wf:diagram-ready", { bubbles: true }));
      var fit = container.closest("[data-wf-diagram-card]");
      fit = fit && fit.querySelector("[data-wf-fit]");
      if (fit) {
        fit.addEventListener("click", function () { canvas.zoom("fit-viewport", "auto"); });
      }
      var zoomIn = container.closest("[data-wf-diagram-card]");
      if (zoomIn) {
        zoomIn.querySelectorAll("[data-wf-zoom]").forEach(function (button) {
          button.addEventListener("click", function () {
            canvas.zoom(canvas.zoom() * parseFloat(button.dataset.wfZoom));
          });
        });
      }
    }).catch(function () {
      showProblem(container, container.dataset.failedText || "");
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-wf-diagram]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  } else {
    drawAll();
  }
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
