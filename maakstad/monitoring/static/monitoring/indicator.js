// Charts for an indicator: value per school year and per subregion / school kind.
// Redrawn after htmx swaps in new figures (the filters).
(function () {
  var charts = [];
  function draw() {
    var source = document.getElementById("indicator-data");
    if (!source || typeof Chart === "undefined") return;
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    var d = JSON.parse(source.textContent);
    var series = document.getElementById("series-chart");
    if (series) {
      charts.push(new Chart(series, {
        type: "line",
        data: { labels: d.series_labels,
                datasets: [{ label: d.unit, data: d.series, borderColor: "#0b5cab", tension: 0.2 }] },
        options: { scales: { y: { beginAtZero: true } } }
      }));
    }
    var cut = document.getElementById("cut-chart");
    if (cut) {
      charts.push(new Chart(cut, {
        type: "bar",
        data: { labels: d.subregion_labels.concat(d.kind_labels),
                datasets: [{ label: d.unit, data: d.subregion.concat(d.kind),
                             backgroundColor: "#17683a" }] },
        options: { indexAxis: "y", scales: { x: { beginAtZero: true } } }
      }));
    }
  }
  draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
