// The body editor of the draft form: rows of {level, text}, numbered live as 一、 （一） 1. （1）,
// posted as JSON in the hidden body field. The numbering rules match zhengtong/documents/text.py.
(function () {
  "use strict";
  var DIGITS = "零一二三四五六七八九";

  function chinese(n) {
    if (n < 10) return DIGITS[n];
    if (n < 20) return "十" + (n % 10 ? DIGITS[n % 10] : "");
    if (n < 100) return DIGITS[Math.floor(n / 10)] + "十" + (n % 10 ? DIGITS[n % 10] : "");
    return String(n);
  }

  function marker(level, n) {
    if (level === 1) return chinese(n) + "、";
    if (level === 2) return "（" + chinese(n) + "）";
    if (level === 3) return n + ".";
    if (level === 4) return "（" + n + "）";
    return "";
  }

  function init(form) {
    var editor = form.querySelector("[data-body-editor]");
    var hidden = form.querySelector("[data-body-json]");
    var preview = form.querySelector("[data-body-preview]");
    var template = document.getElementById("zt-block-template");
    if (!editor || !hidden || !template) return;

    function rows() { return Array.prototype.slice.call(editor.querySelectorAll("[data-block]")); }

    function refresh() {
      var counters = [0, 0, 0, 0, 0];
      var blocks = [];
      if (preview) preview.textContent = "";
      rows().forEach(function (row, index, all) {
        var level = parseInt(row.querySelector("[data-level]").value, 10) || 0;
        var text = row.querySelector("[data-text]").value;
        var number = "";
        if (level) {
          counters[level] += 1;
          for (var lower = level + 1; lower < 5; lower++) counters[lower] = 0;
          number = marker(level, counters[level]);
        }
        row.querySelector("[data-number]").textContent = number || "¶";
        row.dataset.level = String(level);
        row.querySelector('[data-action="up"]').disabled = index === 0;
        row.querySelector('[data-action="down"]').disabled = index === all.length - 1;
        if (text.trim()) {
          blocks.push({ level: level, text: text });
          if (preview) {
            var p = document.createElement("p");
            p.className = "zt-preview-l" + level;
            p.textContent = number + text.trim();
            preview.appendChild(p);
          }
        }
      });
      hidden.value = JSON.stringify(blocks);
    }

    function add(level, after) {
      var row = template.content.firstElementChild.cloneNode(true);
      row.querySelector("[data-level]").value = String(level);
      if (after && after.nextSibling) editor.insertBefore(row, after.nextSibling);
      else editor.appendChild(row);
      refresh();
      row.querySelector("[data-text]").focus();
      return row;
    }

    editor.addEventListener("input", refresh);
    editor.addEventListener("change", refresh);
    editor.addEventListener("click", function (event) {
      var button = event.target.closest("[data-action]");
      if (!button) return;
      var row = button.closest("[data-block]");
      var action = button.dataset.action;
      if (action === "remove") {
        if (rows().length > 1) row.remove();
        else { row.querySelector("[data-text]").value = ""; row.querySelector("[data-level]").value = "0"; }
      } else if (action === "up" && row.previousElementSibling) {
        editor.insertBefore(row, row.previousElementSibling);
      } else if (action === "down" && row.nextElementSibling) {
        editor.insertBefore(row.nextElementSibling, row);
      }
      refresh();
      button.focus();
    });
    form.querySelectorAll("[data-add-block]").forEach(function (button) {
      button.addEventListener("click", function () { add(parseInt(button.dataset.addBlock, 10) || 0); });
    });
    // Enter at the end of a paragraph with Ctrl starts a new one of the same level.
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.matches("[data-text]")) {
        event.preventDefault();
        var row = event.target.closest("[data-block]");
        add(parseInt(row.querySelector("[data-level]").value, 10) || 0, row);
      }
    });
    form.addEventListener("submit", refresh);

    // The flow direction follows the kind while the person has not chosen one.
    var kind = form.querySelector("select[name=kind]");
    var direction = form.querySelector("select[name=flow_direction]");
    if (kind && direction && kind.dataset.flowDefaults) {
      var defaults = {};
      kind.dataset.flowDefaults.split(",").forEach(function (pair) {
        var parts = pair.split(":");
        defaults[parts[0]] = parts[1];
      });
      var touched = direction.value !== "" && direction.value !== defaults[kind.value];
      direction.addEventListener("change", function () { touched = true; });
      kind.addEventListener("change", function () {
        if (!touched) direction.value = defaults[kind.value] || "";
      });
    }
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("draft-form");
    if (form) init(form);
  });
})();
