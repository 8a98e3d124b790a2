// The 通报's bar chart: on-time rate and windows attended per unit. The table below holds the same figures.
(function () {
  "use strict";
  var canvas = document.getElementById("exchange-report-chart");
  var source = document.getElementById("exchange-report-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.rate_label, data: data.rate, backgroundColor: "#198754" },
        { label: data.windows_label, data: data.windows, backgroundColor: "#0d6efd" }
      ]
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { beginAtZero: true, max: 100, ticks: { callback: function (value) { return value + "%"; } } },
        y: { ticks: { autoSkip: false } }
      },
      plugins: { legend: { position: "top" } }
    }
  });
  canvas.dataset.ready = "1";
})();
