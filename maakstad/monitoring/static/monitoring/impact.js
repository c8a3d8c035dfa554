// Impact charts: NPRZ share per school year against baseline and target; girls to technical mbo.
(function () {
  "use strict";
  var source = document.getElementById("impact-data");
  if (!source || typeof Chart === "undefined") return;
  var d = JSON.parse(source.textContent);
  function flat(v) { return d.labels.map(function () { return v; }); }
  var nprz = document.getElementById("nprz-chart");
  if (nprz) {
    new Chart(nprz, {
      type: "line",
      data: { labels: d.labels, datasets: [
        { label: "Aandeel technisch (%)", data: d.share, borderColor: "#0b5cab", spanGaps: true },
        { label: "Startwaarde", data: flat(d.baseline), borderColor: "#4f5863", borderDash: [4, 4], pointRadius: 0 },
        { label: "Doel", data: flat(d.target), borderColor: "#17683a", borderDash: [6, 4], pointRadius: 0 }
      ] },
      options: { scales: { y: { beginAtZero: true, suggestedMax: 50 } } }
    });
  }
  var girls = document.getElementById("girls-chart");
  if (girls) {
    new Chart(girls, {
      type: "bar",
      data: { labels: d.labels, datasets: [{ label: "Meisjes naar technisch mbo", data: d.girls, backgroundColor: "#c2410c" }] },
      options: { scales: { y: { beginAtZero: true } } }
    });
  }
})();
