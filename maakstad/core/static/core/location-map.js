// A small Leaflet map with a marker per element carrying data-lat / data-lng.
(function () {
  var el = document.getElementById("org-map");
  if (!el || typeof L === "undefined") return;
  var points = Array.prototype.slice.call(document.querySelectorAll("[data-lat][data-lng]"));
  if (!points.length) { el.hidden = true; return; }
  var map = L.map(el, { scrollWheelZoom: false, maxZoom: 18 });
  L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var ll = [parseFloat(p.dataset.lat), parseFloat(p.dataset.lng)];
    bounds.push(ll);
    L.marker(ll, { title: p.dataset.name || "", alt: p.dataset.name || "" }).addTo(map);
  });
  if (bounds.length === 1) map.setView(bounds[0], 14); else map.fitBounds(bounds, { padding: [20, 20] });
})();
