/* Follow an area (portal/areas.html): with the map available, the "around a point" choice
 * appears, and the pin's place is written into the form's lat/lon fields. Without
 * JavaScript (or Leaflet) only a wilayat can be chosen.
 * Loaded after leaflet.js and before map.js: the map's section is shown before map.js
 * draws the map (a map drawn in a hidden box has no size, and fits its city wrongly), and
 * hidden again once the map is ready if a wilayat is chosen. */
(function () {
  "use strict";
  var element = document.getElementById("area-map");
  if (!element || !window.L) return;
  var section = document.querySelector(".area-point");
  var point = document.querySelector('input[name="kind"][value="point"]');
  var lat = document.getElementById("f-lat"), lon = document.getElementById("f-lon");
  section.hidden = false;
  point.closest("label").hidden = false;

  function set(where) {
    lat.value = where.lat.toFixed(6);
    lon.value = where.lon.toFixed(6);
  }
  function shown() {
    section.hidden = !point.checked;
    document.getElementById("area-district").hidden = point.checked;
    if (point.checked && element.baladiyatiMap) element.baladiyatiMap.map.invalidateSize();
  }
  document.addEventListener("maps:ready", function () {
    var api = element.baladiyatiMap;
    if (!api) return;
    element.addEventListener("pick", function (event) { set(event.detail); });
    document.querySelectorAll('input[name="kind"]').forEach(function (radio) {
      radio.addEventListener("change", shown);
    });
    api.ready.then(function () {
      if (!lat.value) set(api.centre());
      shown();
    });
  });
})();
