// Live preview of a red-header template while it is edited.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("#red-header-form form");
    var preview = document.querySelector("[data-testid=red-header-preview]");
    if (!form || !preview) return;
    var lines = form.querySelector("[name=lines]");
    var suffix = form.querySelector("[name=suffix]");
    var color = form.querySelector("[name=color]");
    function refresh() {
      var box = preview.querySelector(".zt-redhead-lines");
      box.textContent = "";
      lines.value.split(/\n/).map(function (line) { return line.trim(); }).filter(Boolean).forEach(function (line) {
        var div = document.createElement("div");
        div.textContent = line;
        box.appendChild(div);
      });
      var tail = preview.querySelector(".zt-redhead-suffix");
      if (!tail) {
        tail = document.createElement("div");
        tail.className = "zt-redhead-suffix";
        preview.querySelector(".zt-redhead-mark").appendChild(tail);
      }
      tail.textContent = suffix.value.trim();
      if (/^#[0-9a-fA-F]{6}$/.test(color.value)) preview.style.setProperty("--zt-red", color.value);
    }
    [lines, suffix, color].forEach(function (field) { if (field) field.addEventListener("input", refresh); });
  });
})();
