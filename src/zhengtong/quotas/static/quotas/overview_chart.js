// The overview's bar chart: periods met / behind / missed per unit. The table below holds the same figures.
(function () {
  "use strict";
  var canvas = document.getElementById("quotas-chart");
  var source = document.getElementById("quotas-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = { met: "#198754", behind: "#ffc107", missed: "#dc3545" };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series) {
        return { label: series.label, data: series.data, backgroundColor: colours[series.key], stack: "periods" };
      })
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: data.axis } },
        y: { stacked: true, ticks: { autoSkip: false } }
      },
      plugins: { legend: { position: "top" } }
    }
  });
  canvas.dataset.ready = "1";
})();
