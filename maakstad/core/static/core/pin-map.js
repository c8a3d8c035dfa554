// Place a pin by clicking the map; fills #id_latitude and #id_longitude (the form works without it).
(function () {
  var el = document.getElementById("pin-map");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  if (!el || !lat || !lng || typeof L === "undefined") return;
  var start = lat.value && lng.value ? [parseFloat(lat.value), parseFloat(lng.value)] : [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
  var map = L.map(el, { maxZoom: 18 }).setView(start, lat.value ? 16 : 11);
  L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  var marker = lat.value ? L.marker(start, { draggable: true }).addTo(map) : null;
  function set(ll) {
    lat.value = ll.lat.toFixed(6);
    lng.value = ll.lng.toFixed(6);
  }
  map.on("click", function (e) {
    if (marker) marker.setLatLng(e.latlng); else marker = L.marker(e.latlng, { draggable: true }).addTo(map);
    marker.on("dragend", function () { set(marker.getLatLng()); });
    set(e.latlng);
  });
})();
