// The menukaart map: markers (clustered) from the GeoJSON endpoint with the same filters as the
// list. Reloaded whenever htmx swaps in new results, so list and map always agree.
(function () {
  "use strict";
  var el = document.getElementById("mk-map");
  if (!el || typeof L === "undefined") return;
  var map = L.map(el, { maxZoom: 18, scrollWheelZoom: false }).setView([51.9225, 4.47917], 11);
  L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  var cluster = L.markerClusterGroup({ maxClusterRadius: 50, chunkedLoading: true });
  map.addLayer(cluster);
  var counter = document.getElementById("mk-map-count");
  var pending = null;

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function load() {
    var results = document.getElementById("mk-results");
    if (!results) return;
    var url = results.dataset.geojson;
    if (pending) pending.abort();
    pending = new AbortController();
    el.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        cluster.clearLayers();
        var markers = [];
        (data.features || []).forEach(function (f) {
          var c = f.geometry.coordinates;
          var p = f.properties;
          var m = L.marker([c[1], c[0]], { title: p.t, alt: p.t });
          m.bindPopup(
            '<strong><a href="' + el.dataset.detail.replace("0", String(f.id)) + '">' + escapeText(p.t) + "</a></strong><br>" +
            escapeText(p.a) + " · " + escapeText(p.p) + (p.s ? "<br><em>" + escapeText(el.dataset.staleLabel) + "</em>" : "")
          );
          markers.push(m);
        });
        cluster.addLayers(markers);
        el.dataset.markers = String(markers.length);
        el.removeAttribute("aria-busy");
        if (counter) counter.textContent = el.dataset.countLabel.replace("N", String(markers.length));
        if (markers.length) map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 14 });
      })
      .catch(function (err) { if (err.name !== "AbortError") el.removeAttribute("aria-busy"); });
  }

  document.body.addEventListener("htmx:afterSettle", function (evt) {
    if (document.getElementById("mk-results")) load();
  });
  load();
})();
