/* The plot's location pin on the permit application form (permits_web/_fields.html).
 * With Leaflet available, the portal's pick map (portal/map.js, data-map="pick": a pin fixed
 * at the centre, the municipality outlines drawn) is shown and the place under the pin is
 * written into the form's latitude/longitude fields, which are then tucked away; typing
 * coordinates moves the map. Without JavaScript (or Leaflet) the two fields are the form.
 * Loaded after leaflet.js and before map.js: the map's box is shown before map.js draws the
 * map (a map drawn in a hidden box has no size). */
(function () {
  "use strict";
  var element = document.getElementById("plot-map");
  if (!element || !window.L) return;
  var section = document.getElementById("plot-map-section");
  var coords = document.getElementById("plot-coords");
  var lat = document.getElementById("f-lat"), lon = document.getElementById("f-lon");
  var type = document.getElementById("f-type");
  section.hidden = false;

  function set(where) {
    lat.value = where.lat.toFixed(6);
    lon.value = where.lon.toFixed(6);
  }
  function typed() {
    var la = parseFloat(lat.value), lo = parseFloat(lon.value);
    if (!isNaN(la) && !isNaN(lo) && element.baladiyatiMap) element.baladiyatiMap.moveTo(la, lo, 16, false);
  }
  // The new-application form names the city with the permit type ("muscat:new-major").
  if (type && type.value) element.dataset.municipality = type.value.split(":")[0];
  document.addEventListener("maps:ready", function () {
    var api = element.baladiyatiMap;
    if (!api) { section.hidden = true; return; }
    element.addEventListener("pick", function (event) { set(event.detail); });
    lat.addEventListener("change", typed);
    lon.addEventListener("change", typed);
    coords.hidden = true;
  });
})();
