// Charts and the activity-density map of the dashboards per action line and per school, fed by
// the page's json_script data. The map draws like the menukaart's: Leaflet with the tile URL
// from settings (data-tiles), circles sized by the number of pupils present per location.
(function () {
  "use strict";
  var source = document.getElementById("dash-data");
  if (!source) return;
  var d = JSON.parse(source.textContent);

  function chart(id, config) {
    var el = document.getElementById(id);
    if (el && typeof Chart !== "undefined") new Chart(el, config);
  }

  if (d.progress) {
    chart("progress-chart", {
      type: "bar",
      data: { labels: d.progress.labels,
              datasets: [{ label: "% van de streefwaarde", data: d.progress.percent, backgroundColor: "#0b5cab" }] },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true, suggestedMax: 100 } } }
    });
  }
  if (d.burn) {
    chart("burn-chart", {
      type: "line",
      data: { labels: d.burn.labels,
              datasets: [
                { label: "Cumulatief besteed (€)", data: d.burn.spent, borderColor: "#c2410c" },
                { label: "Begroot (€)", data: d.burn.labels.map(function () { return d.burn.budget; }),
                  borderColor: "#0b5cab", borderDash: [6, 4], pointRadius: 0 }
              ] },
      options: { scales: { y: { beginAtZero: true } } }
    });
  }
  if (d.reach) {
    chart("reach-chart", {
      type: "bar",
      data: { labels: d.reach.labels,
              datasets: [{ label: "Leerlingen bereikt", data: d.reach.values, backgroundColor: "#17683a" }] },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true } } }
    });
  }
  if (d.over_time) {
    chart("time-chart", {
      type: "line",
      data: { labels: d.over_time.labels,
              datasets: [
                { label: "Leerlingen bereikt", data: d.over_time.reach, borderColor: "#17683a" },
                { label: "Uren bij bedrijven", data: d.over_time.hours, borderColor: "#8a5300" }
              ] },
      options: { scales: { y: { beginAtZero: true } } }
    });
  }

  var el = document.getElementById("density-map");
  if (!el || typeof L === "undefined") return;
  var map = L.map(el, { maxZoom: 18, scrollWheelZoom: false })
    .setView([parseFloat(el.dataset.lat) || 51.9225, parseFloat(el.dataset.lng) || 4.47917], 11);
  L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  var points = d.points || [];
  var largest = points.reduce(function (m, p) { return Math.max(m, p.n); }, 1);
  var bounds = [];
  points.forEach(function (p) {
    var circle = L.circleMarker([p.lat, p.lng], {
      radius: 4 + 20 * Math.sqrt(p.n / largest), color: "#c2410c", weight: 1, fillOpacity: 0.45
    });
    var text = document.createElement("span");
    text.textContent = p.name + ": " + p.n + " " + (el.dataset.label || "");
    circle.bindPopup(text);
    circle.addTo(map);
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length > 1) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
})();
