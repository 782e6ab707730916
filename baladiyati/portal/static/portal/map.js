/* Baladiyati maps (Leaflet, from npm at build time). Three kinds of [data-map] element:
 *   pick   the report form: a pin fixed at the centre; moving the map (drag, arrow keys,
 *          a tap that pans there) chooses the point, announced as a "pick" event;
 *   view   one case's place, a still picture;
 *   cases  the public map of reports (markers from the #case-markers JSON).
 * Tiles only when MAP_TILE_URL is set; the outlines of the municipalities and wilayats come
 * from our own GeoJSON and are drawn in every case, so maps work offline and in tests.
 */
(function () {
  "use strict";
  var loaded = {};
  var COLOURS = { open: "#c77700", fixed: "#0a6847", closed: "#607d8b" };

  function boundaries(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .catch(function () { return { features: [] }; });
    }
    return loaded[url];
  }
  function nameOf(properties) {
    var en = document.documentElement.lang === "en";
    return (en ? properties.name_en : properties.name_ar) || properties.name_ar || properties.name_en;
  }
  function inRing(ring, lon, lat) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  function inGeometry(geometry, lat, lon) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.some(function (rings) {
      return inRing(rings[0], lon, lat) && !rings.slice(1).some(function (hole) { return inRing(hole, lon, lat); });
    });
  }
  function featureAt(collection, kind, lat, lon) {
    return (collection.features || []).filter(function (f) {
      return f.properties.kind === kind && inGeometry(f.geometry, lat, lon);
    })[0] || null;
  }

  function base(element, options) {
    element.hidden = false;
    if (element.parentNode.classList.contains("map-wrap")) element.parentNode.hidden = false;
    var map = L.map(element, Object.assign({ attributionControl: !!element.dataset.tiles, zoomSnap: 0.5 }, options));
    if (element.dataset.tiles) {
      map.tiles = L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
    }
    return map;
  }
  function outlines(map, data, slug) {
    return L.geoJSON(data, {
      interactive: false,
      style: function (feature) {
        var p = feature.properties;
        return p.kind === "municipality"
          ? { color: "#0a6847", weight: 3, fill: p.slug === slug, fillColor: "#ffffff", fillOpacity: 0.55 }
          : { color: "#0a6847", weight: 1, dashArray: "4 4", fill: false };
      }
    }).addTo(map);
  }
  function municipalityLayer(data, slug) {
    var feature = (data.features || []).filter(function (f) {
      return f.properties.kind === "municipality" && f.properties.slug === slug;
    })[0];
    return feature ? L.geoJSON(feature) : null;
  }

  function pickMap(element) {
    var map = base(element, { keyboard: true, keyboardPanDelta: 60 });
    var lat = parseFloat(element.dataset.lat), lon = parseFloat(element.dataset.lon);
    var quiet = true;
    var api = {
      map: map,
      ready: null,
      centre: function () { var c = map.getCenter(); return { lat: c.lat, lon: c.lng }; },
      // Moves the map; `announce` false for moves that do not choose a point.
      moveTo: function (la, lo, zoom, announce) {
        quiet = announce === false;
        map.setView([la, lo], zoom || Math.max(map.getZoom(), 16), { animate: false });
        quiet = false;
      },
      // After the map is shown again: its size changed, and re-measuring it must not move
      // the chosen point by the pixel rounding of the new centre.
      resize: function (la, lo) {
        quiet = true;
        if (la === null || lo === null) map.invalidateSize();
        else {
          map.invalidateSize({ pan: false });
          map.setView([la, lo], map.getZoom(), { animate: false });
        }
        quiet = false;
      },
      fit: function (layer) {
        quiet = true;
        map.fitBounds(layer.getBounds(), { animate: false, padding: [8, 8] });
        quiet = false;
      }
    };
    if (!isNaN(lat) && !isNaN(lon)) map.setView([lat, lon], 16, { animate: false });
    else map.setView([23.6, 58.4], 10, { animate: false });
    api.ready = boundaries(element.dataset.boundaries).then(function (data) {
      outlines(map, data, element.dataset.municipality);
      var city = municipalityLayer(data, element.dataset.municipality);
      if (city && (isNaN(lat) || isNaN(lon))) api.fit(city);
      return data;
    });
    quiet = false;
    // A move that leaves the chosen point where it was on the screen chooses nothing: Leaflet
    // re-centres by whole pixels after a resize it notices late (a debounced moveend, seen
    // under load), which would otherwise move the chosen point by a fraction of a pixel.
    var chosen = map.getCenter();
    map.on("moveend", function () {
      var c = map.getCenter();
      if (quiet) { chosen = c; return; }
      if (chosen && map.latLngToContainerPoint(chosen).distanceTo(map.latLngToContainerPoint(c)) < 1) return;
      chosen = c;
      element.dispatchEvent(new CustomEvent("pick", { detail: { lat: c.lat, lon: c.lng } }));
    });
    map.on("click", function (event) { map.panTo(event.latlng); });
    element.baladiyatiMap = api;
    return api;
  }

  function viewMap(element) {
    var map = base(element, {
      dragging: false, zoomControl: false, scrollWheelZoom: false, doubleClickZoom: false,
      boxZoom: false, keyboard: false, touchZoom: false, tap: false
    });
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    // Without tiles (none set, or a tile server that cannot be reached: offline, down) the
    // view widens to the wilayat around the point, so that its outline is in sight.
    var data = null, tilesFailed = false, widened = false;
    function widen() {
      if (widened || !data) return;
      widened = true;
      var area = featureAt(data, "district", point[0], point[1]);
      if (area) map.fitBounds(L.geoJSON(area).getBounds(), { animate: false, padding: [12, 12], maxZoom: 15 });
      else map.setView(point, 13, { animate: false });
    }
    map.setView(point, element.dataset.tiles ? 16 : 13, { animate: false });
    if (map.tiles) map.tiles.once("tileerror", function () { tilesFailed = true; widen(); });
    boundaries(element.dataset.boundaries).then(function (collection) {
      data = collection;
      outlines(map, data, element.dataset.municipality);
      L.circleMarker(point, { radius: 9, color: "#fff", weight: 3, fillColor: "#b3261e", fillOpacity: 1 }).addTo(map);
      if (!map.tiles || tilesFailed) widen();
    });
  }

  function casesMap(element) {
    var map = base(element, { keyboard: true });
    var source = document.getElementById("case-markers");
    var markers = source ? JSON.parse(source.textContent) : [];
    var group = L.featureGroup();
    markers.forEach(function (m) {
      var link = document.createElement("a");
      link.href = element.dataset.caseUrl.replace("REF", encodeURIComponent(m.ref));
      link.textContent = m.service + " · " + m.ref;
      L.circleMarker([m.lat, m.lon], { radius: 7, color: "#fff", weight: 2, fillColor: COLOURS[m.kind] || COLOURS.closed, fillOpacity: 1 })
        .bindPopup(link)
        .addTo(group);
    });
    map.setView([23.6, 58.4], 10, { animate: false });
    boundaries(element.dataset.boundaries).then(function (data) {
      outlines(map, data, element.dataset.municipality);
      group.addTo(map);
      var city = municipalityLayer(data, element.dataset.municipality);
      if (markers.length) map.fitBounds(group.getBounds(), { maxZoom: 14, padding: [16, 16], animate: false });
      else if (city) map.fitBounds(city.getBounds(), { animate: false });
    });
  }

  window.BaladiyatiMaps = { boundaries: boundaries, featureAt: featureAt, nameOf: nameOf, inGeometry: inGeometry };

  function start() {
    if (!window.L) return;
    document.querySelectorAll("[data-map]").forEach(function (element) {
      var kind = element.dataset.map;
      if (kind === "pick") pickMap(element);
      else if (kind === "view") viewMap(element);
      else if (kind === "cases") casesMap(element);
    });
    document.dispatchEvent(new CustomEvent("maps:ready"));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
