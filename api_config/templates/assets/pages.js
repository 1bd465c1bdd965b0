// dothi: the scripts of pygeoapi's HTML pages, moved out of the templates so that the pages run
// under a Content-Security-Policy without 'unsafe-inline' (see api_config/assets.py).  Page data
// comes from <script type="application/json" id="dothi-page"> (a data block, never executed).
(function () {
  "use strict";
  var me = document.currentScript;

  // Embed the JSON-LD representation of the page (for search engines), as pygeoapi does.
  function embedJsonLd() {
    var path = (me && me.dataset.jsonld) ||
      window.location.protocol + "//" + window.location.host + window.location.pathname + "?f=jsonld";
    fetch(path).then(function (resp) {
      if (!resp.ok) { return null; }
      return resp.text();
    }).then(function (text) {
      if (!text) { return; }
      var block = document.createElement("script");
      block.type = "application/ld+json";
      block.textContent = text.replace("docs/jsonldcontext.jsonld", "");
      document.head.appendChild(block);
    }).catch(function () { /* optional */ });
  }

  // The "limit" selector of item lists.
  function limits() {
    var select = document.getElementById("limits");
    if (!select) { return; }
    var params = new URL(document.location).searchParams;
    select.value = params.get("limit") || select.getElementsByTagName("option")[0].value;
    select.addEventListener("change", function (ev) {
      document.location.search = "limit=" + encodeURIComponent(ev.target.value);
    });
  }

  // The search form of record lists (q and datetime).
  function search(page) {
    var form = document.getElementById("searchForm");
    if (!form) { return; }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var query = [];
      var q = document.getElementById("q").value;
      var begin = document.getElementById("datetime_begin").value;
      var end = document.getElementById("datetime_end").value;
      if (q) { query.push("q=" + encodeURIComponent(q)); }
      if (begin || end) {
        var interval = (begin ? begin + "T00:00:00Z" : "..") + "/" + (end ? end + "T23:59:59Z" : "..");
        query.push("datetime=" + encodeURIComponent(interval));
      }
      document.location.href = page.items_path + (query.length ? "?" + query.join("&") : "");
    });
  }

  function popup(page, feature) {
    var span = document.createElement("span");
    var link = document.createElement("a");
    link.href = page.items_path + "/" + encodeURIComponent(feature.id) + "?f=html";
    var title = page.title_field && feature.properties ? feature.properties[page.title_field] : null;
    link.textContent = String(title || feature.id);
    span.appendChild(link);
    return span;
  }

  // The map of an item or an item list: dothi's own data; a basemap only when configured.
  function map(page) {
    var element = document.getElementById("items-map");
    if (!element || !window.L || !page.features) { return; }
    var view = L.map(element, { maxZoom: 19 }).setView([10.36, 106.36], 12);
    if (page.map && page.map.url) {
      view.addLayer(L.tileLayer(page.map.url, { maxZoom: 18, attribution: page.map.attribution || "" }));
    }
    var layer = L.geoJSON(page.features, {
      onEachFeature: function (feature, item) {
        if (page.items_path) { item.bindPopup(popup(page, feature)); }
      }
    });
    if (page.cluster && L.markerClusterGroup) {
      view.addLayer(L.markerClusterGroup({ disableClusteringAtZoom: 9, chunkedLoading: true }).addLayer(layer));
    } else {
      view.addLayer(layer);
    }
    var bounds = layer.getBounds();
    if (bounds.isValid()) { view.fitBounds(bounds, { maxZoom: 15 }); }
  }

  // The extent of a collection.
  function extent(page) {
    var element = document.getElementById("collection-map");
    if (!element || !window.L || !page.extent) { return; }
    var view = L.map(element, { maxZoom: 19 });
    if (page.map && page.map.url) {
      view.addLayer(L.tileLayer(page.map.url, { maxZoom: 18, attribution: page.map.attribution || "" }));
    }
    var b = page.extent;
    var clamp = function (lat) { return Math.max(-85.0511, Math.min(lat, 85.0511)); };
    var box = L.rectangle([[clamp(b[1]), b[0]], [clamp(b[3]), b[2]]]);
    view.addLayer(box);
    view.fitBounds(box.getBounds(), { maxZoom: 10 });
  }

  // The tiling scheme selector of a collection's tiles page.
  function tilingScheme(page) {
    var select = document.getElementById("tilingScheme");
    var link = document.getElementById("metadata_link");
    if (!select || !link || !page.tiles_metadata) { return; }
    var scheme = new URL(document.location).searchParams.get("scheme") || select.value;
    if (scheme) {
      select.value = scheme;
      link.href = page.tiles_metadata + encodeURIComponent(scheme) + "/metadata";
    }
    select.addEventListener("change", function (ev) {
      document.location.search = "scheme=" + encodeURIComponent(ev.target.value);
    });
  }

  embedJsonLd();
  limits();
  var block = document.getElementById("dothi-page");
  if (block) {
    var page = JSON.parse(block.textContent);
    search(page);
    map(page);
    extent(page);
    tilingScheme(page);
  }
})();
