/* dothi public web map — OpenLayers, fed only by dothi's own OGC API (vector tiles, features) and its
 * /lookup and /search routes.  No third-party tile server: the basemap is drawn from our own layers. */
/* global ol */
"use strict";

const TEXT = {
  vi: {
    title: "dothi — Bản đồ đô thị Mỹ Tho",
    search: "Tìm phường, đường, trường, y tế, chợ…",
    sheet: "Lớp, chỉ số, kịch bản và tra cứu",
    info: "Tại điểm đã chọn",
    indicator: "Chỉ số theo phường/xã",
    choropleth: "Hiện lớp chỉ số",
    opacity: "Độ đậm",
    layers: "Lớp dữ liệu",
    table: "Bảng chỉ số",
    data: "Nguồn dữ liệu",
    unit: "Phường/xã",
    value: "Giá trị",
    real: "thật",
    synthetic: "tổng hợp",
    vintage: "Ranh giới năm",
    nodata: "không có số liệu",
    realList: "Dữ liệu thật",
    syntheticList: "Dữ liệu tổng hợp",
    map: "Bản đồ",
    noResults: "Không tìm thấy",
    kinds: { ward: "Phường/xã", street: "Đường", school: "Trường học", clinic: "Y tế", market: "Chợ" },
    lookup: "Tra cứu quy hoạch",
    loading: "Đang tra cứu…",
    ward: "Phường/xã",
    landCurrent: "Sử dụng đất hiện trạng",
    landPlanned: "Sử dụng đất quy hoạch",
    none: "không có",
    flood: "Ngập (mô hình, ô 100 m)",
    floodZones: "Vùng ngập",
    walking: "Đi bộ tới nơi gần nhất (theo đường)",
    indicators: "Chỉ số của phường so với thành phố",
    city: "Thành phố",
    rank: "hạng",
    of: "trên",
    shownLayers: "Lớp đang hiện",
    error: "Lỗi",
    download: "Tải",
    first: "tối đa 1000 đối tượng",
    basemap: "nền",
    year: "năm",
    dataKind: "Loại dữ liệu",
  },
  en: {
    title: "dothi — Mỹ Tho urban map",
    search: "Find a ward, street, school, clinic, market…",
    sheet: "Layers, indicators, scenarios and look-up",
    info: "At the chosen place",
    indicator: "Indicator by ward",
    choropleth: "Show the indicator layer",
    opacity: "Opacity",
    layers: "Layers",
    table: "Indicator table",
    data: "Data sources",
    unit: "Ward/commune",
    value: "Value",
    real: "real",
    synthetic: "synthetic",
    vintage: "Boundaries of",
    nodata: "no data",
    realList: "Real data",
    syntheticList: "Synthetic data",
    map: "Map",
    noResults: "Nothing found",
    kinds: { ward: "Ward/commune", street: "Street", school: "School", clinic: "Health", market: "Market" },
    lookup: "Planning look-up",
    loading: "Looking up…",
    ward: "Ward/commune",
    landCurrent: "Current land use",
    landPlanned: "Planned land use",
    none: "none",
    flood: "Flooding (model, 100 m cell)",
    floodZones: "Flood zones",
    walking: "Walk to the nearest (along streets)",
    indicators: "The ward's indicators against the city",
    city: "City",
    rank: "rank",
    of: "of",
    shownLayers: "Layers shown",
    error: "Error",
    download: "Download",
    first: "up to 1000 features",
    basemap: "base",
    year: "year",
    dataKind: "Data",
  },
};
const RAMP = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
/** Layers drawn as the basemap (on by default): meta.json's "basemap". */
let BASEMAP = [];
const Z = { water_bodies: 1, green_spaces: 2, land_use: 3, flood_zones: 3.5, parcels: 4, choropleth: 4.5, buildings: 5, roads: 6, utilities: 6.5, admin_units: 8, labels: 9, points: 10, marker: 20 };
const MIN_ZOOM = { buildings: 15, parcels: 15, green_spaces: 12.5 };
/** Road classes: colour, width at z16, minimum zoom at which they are drawn. */
const ROAD = {
  motorway: ["#e892a2", 7, 0], trunk: ["#f9b29c", 7, 0], primary: ["#fcd6a4", 6.5, 0], secondary: ["#f7fabf", 6, 0],
  tertiary: ["#ffffff", 5.5, 13.4], residential: ["#ffffff", 4.5, 14], unclassified: ["#ffffff", 4.5, 14],
  living_street: ["#ffffff", 4, 14], service: ["#ffffff", 2.5, 15], pedestrian: ["#e4e4ee", 3, 15],
  track: ["#c8b48c", 1.5, 15], path: ["#e0806f", 1.2, 16], footway: ["#e0806f", 1.2, 16], cycleway: ["#6a6aff", 1.2, 16],
  steps: ["#e0806f", 1.5, 16],
};
const KEEP_PROPS = ["name", "name_vi", "name_en", "type", "road_class", "code", "status", "plan_year", "hazard", "water_level_m", "use", "floors", "level", "vintage", "capacity", "beds", "stalls", "routes", "population", "synthetic"];

const params = new URLSearchParams(location.hash.slice(1));
const state = {
  lang: params.get("lang") === "en" || new URLSearchParams(location.search).get("lang") === "en" ? "en" : "vi",
  meta: null,
  indicator: null,
  vintage: null,
  features: [],
  breaks: [],
  layers: {},
  choroplethOn: params.get("c") !== "0",
  opacity: Math.min(100, Math.max(0, Number(params.get("op") ?? 55))) / 100,
};

function t(key) { return TEXT[state.lang][key]; }
function title(obj) { return obj["title_" + state.lang] || obj.title_en || obj.id; }
function unit(obj) { return obj["unit_" + state.lang] || obj.unit; }
function esc(s) { return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }
function finite(v) { return v !== null && v !== undefined && v !== "" && Number.isFinite(Number(v)); }
function fmt(v, digits = 1) {
  if (!finite(v)) return t("nodata");
  return Number(v).toLocaleString(state.lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: digits });
}
function metres(m) {
  if (!finite(m)) return t("nodata");
  return m >= 1000 ? `${fmt(m / 1000, 2)} km` : `${fmt(Math.round(m / 10) * 10, 0)} m`;
}
const ROOT = new URL("../", location.href).href;
const api = (path) => ROOT + path;

// ---------------------------------------------------------------- map and layers
const view = new ol.View({ center: ol.proj.fromLonLat([106.36, 10.36]), zoom: 13, maxZoom: 19, minZoom: 10 });
const map = new ol.Map({
  target: "map",
  view,
  controls: ol.control.defaults.defaults({ attributionOptions: { collapsible: true } }).extend([
    new ol.control.ScaleLine({ units: "metric" }),
  ]),
});

const choroplethSource = new ol.source.Vector();
const choropleth = new ol.layer.Vector({
  source: choroplethSource,
  zIndex: Z.choropleth,
  opacity: state.opacity,
  visible: state.choroplethOn,
  properties: { id: "choropleth" },
  style: (feature) => new ol.style.Style({
    fill: new ol.style.Fill({ color: colourFor(feature.get(state.indicator.value_column)) }),
    stroke: new ol.style.Stroke({ color: "#555", width: 0.6 }),
  }),
});
map.addLayer(choropleth);

const labelStyleCache = {};
const wardLabels = new ol.layer.Vector({
  source: choroplethSource,
  zIndex: Z.labels,
  declutter: true,
  properties: { id: "labels" },
  style: (feature) => {
    const name = state.lang === "vi" ? feature.get("name_vi") : (feature.get("name_en") || feature.get("name_vi"));
    if (!labelStyleCache[name]) {
      labelStyleCache[name] = new ol.style.Style({
        stroke: new ol.style.Stroke({ color: "#7a4b94", width: 1.6, lineDash: [6, 4] }),
        text: new ol.style.Text({
          text: name, font: "600 13px system-ui, sans-serif", overflow: true,
          fill: new ol.style.Fill({ color: "#3d2150" }), stroke: new ol.style.Stroke({ color: "#fff", width: 3 }),
        }),
      });
    }
    return labelStyleCache[name];
  },
});
map.addLayer(wardLabels);

const markerSource = new ol.source.Vector();
map.addLayer(new ol.layer.Vector({
  source: markerSource, zIndex: Z.marker, properties: { id: "marker" },
  style: new ol.style.Style({ image: new ol.style.Circle({ radius: 8, fill: new ol.style.Fill({ color: "#0b61a4" }), stroke: new ol.style.Stroke({ color: "#fff", width: 3 }) }) }),
}));

function colourFor(value) {
  if (!finite(value)) return "#cccccc";
  let i = 0;
  while (i < state.breaks.length && value > state.breaks[i]) i += 1;
  const ramp = state.colours || RAMP;
  return ramp[Math.min(i, ramp.length - 1)];
}

function quantileBreaks(values, n) {
  const sorted = values.filter(finite).map(Number).sort((a, b) => a - b);
  if (!sorted.length) return [];
  const breaks = [];
  for (let k = 1; k < n; k += 1) breaks.push(sorted[Math.floor((k * (sorted.length - 1)) / n)]);
  return [...new Set(breaks)];
}

const roadStyles = {};
function roadStyle(feature, resolution) {
  const zoom = view.getZoomForResolution(resolution);
  const spec = ROAD[feature.get("road_class")] || ROAD.unclassified;
  if (zoom < spec[2]) return null;
  const scale = Math.max(0.35, Math.min(1.6, 2 ** ((zoom - 16) * 0.6)));
  const width = Math.max(1, spec[1] * scale);
  const key = `${feature.get("road_class")}|${width.toFixed(1)}`;
  if (!roadStyles[key]) {
    const styles = [];
    if (width >= 2.5) styles.push(new ol.style.Style({ stroke: new ol.style.Stroke({ color: "#a8a29a", width: width + 1.5 }), zIndex: 0 }));
    styles.push(new ol.style.Style({ stroke: new ol.style.Stroke({ color: spec[0], width, lineCap: "round" }), zIndex: 1 }));
    roadStyles[key] = styles;
  }
  return roadStyles[key];
}

function adminStyle() {
  const outline = new ol.style.Style({ stroke: new ol.style.Stroke({ color: "#7a4b94", width: 1.6, lineDash: [6, 4] }) });
  return (feature) => (String(feature.get("vintage")) === String(state.vintage) ? outline : null);
}

function simpleStyle(layer) {
  const s = layer.style;
  const fill = s.fill ? new ol.style.Fill({ color: s.fill }) : undefined;
  const stroke = new ol.style.Stroke({ color: s.stroke || "#333", width: s.stroke_width || 1 });
  if (layer.geometry === "Point") {
    return new ol.style.Style({ image: new ol.style.Circle({ radius: 6, fill: new ol.style.Fill({ color: s.fill || s.stroke || "#333" }), stroke: new ol.style.Stroke({ color: "#fff", width: 1.5 }) }) });
  }
  return new ol.style.Style({ fill, stroke });
}

function basemapStyle(layer) {
  if (layer.id === "water_bodies") return new ol.style.Style({ fill: new ol.style.Fill({ color: "#aad3df" }), stroke: new ol.style.Stroke({ color: "#7fb5c9", width: 0.5 }) });
  if (layer.id === "green_spaces") return new ol.style.Style({ fill: new ol.style.Fill({ color: "#cdebb0" }) });
  if (layer.id === "buildings") return new ol.style.Style({ fill: new ol.style.Fill({ color: "#d9d0c9" }), stroke: new ol.style.Stroke({ color: "#c4b6ab", width: 0.5 }) });
  if (layer.id === "roads") return roadStyle;
  if (layer.id === "admin_units") return adminStyle();
  if (layer.id === "land_use") return landUseStyle;
  return simpleStyle(layer);
}

const LAND_USE_COLOURS = { residential: "#ffe7a0", commercial: "#f4a3a3", industrial: "#c9b3d9", public: "#9ec9e8", transport: "#dddddd", green: "#8fd17e", water: "#8ec9e6", agriculture: "#e3f1b6", utility: "#bcbcbc", special: "#b9a38c", unused: "#f1eee8" };
const landUseStyles = {};
function landUseStyle(feature) {
  const code = state.meta.land_use_codes[feature.get("code")];
  const group = code ? code.group : "unused";
  const planned = feature.get("status") === "planned";
  const key = `${group}|${planned}`;
  if (!landUseStyles[key]) {
    landUseStyles[key] = new ol.style.Style({
      fill: planned ? undefined : new ol.style.Fill({ color: LAND_USE_COLOURS[group] || "#eeeeee" }),
      stroke: new ol.style.Stroke({ color: planned ? "#8c2d04" : "#8c7a3c", width: planned ? 1.4 : 0.4, lineDash: planned ? [4, 3] : undefined }),
    });
  }
  return landUseStyles[key];
}

function zFor(layer) {
  if (Z[layer.id] !== undefined) return Z[layer.id];
  return layer.geometry === "Point" ? Z.points : layer.geometry.includes("Line") ? 6.5 : 3;
}

const streetLabelStyles = {};
function streetLabelStyle(feature) {
  const name = feature.get("name");
  if (!name) return null;
  if (!streetLabelStyles[name]) {
    streetLabelStyles[name] = new ol.style.Style({
      text: new ol.style.Text({
        text: name, placement: "line", font: "12px system-ui, sans-serif",
        fill: new ol.style.Fill({ color: "#333" }), stroke: new ol.style.Stroke({ color: "#fff", width: 3 }),
      }),
    });
  }
  return streetLabelStyles[name];
}

function tileLayer(layer) {
  const source = new ol.source.VectorTile({
    format: new ol.format.MVT(),
    url: api(`collections/${layer.id}/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt`),
    maxZoom: 18,
    transition: 0, // no fade-in: each fading tile would redraw the map for a quarter second
    attributions: layer.attribution ? esc(layer.attribution) : undefined,
  });
  const drawn = new ol.layer.VectorTile({
    zIndex: zFor(layer),
    minZoom: MIN_ZOOM[layer.id] ? MIN_ZOOM[layer.id] - 0.01 : undefined,
    properties: { id: layer.id, meta: layer },
    source,
    style: basemapStyle(layer),
  });
  if (layer.id !== "roads") return drawn;
  // below z13.5 the street tiles would carry every lane of the city: the main roads are read once
  // from the features API instead (a few hundred lines), the tiles take over when zoomed in
  drawn.setMinZoom(13.49);
  const filter = encodeURIComponent("road_class IN ('motorway','trunk','primary','secondary')");
  const main = new ol.layer.Vector({
    maxZoom: 13.5, zIndex: zFor(layer), properties: { id: layer.id, meta: layer }, style: roadStyle,
    source: new ol.source.Vector({
      format: new ol.format.GeoJSON(),
      url: api(`collections/roads/items?f=json&limit=1000&properties=road_class,name&filter=${filter}`),
    }),
  });
  // street names: decluttered labels from the same tiles, only where they can be read (z15+);
  // decluttering the lines themselves would redo every tile on each frame
  const labels = new ol.layer.VectorTile({
    zIndex: Z.labels, declutter: true, minZoom: 14.99, source, style: streetLabelStyle,
    properties: { id: "labels" },
  });
  return new ol.layer.Group({ layers: [main, drawn, labels], zIndex: zFor(layer), properties: { id: layer.id, meta: layer } });
}

function shownLayers() { return state.meta.layers.filter((l) => state.layers[l.id]); }

function toggleLayer(layer, on) {
  if (on && !state.layers[layer.id]) {
    state.layers[layer.id] = tileLayer(layer);
    map.addLayer(state.layers[layer.id]);
  } else if (!on && state.layers[layer.id]) {
    map.removeLayer(state.layers[layer.id]);
    delete state.layers[layer.id];
  }
  renderNotice();
  saveHash();
}

// ---------------------------------------------------------------- panel
function renderLayers() {
  const list = document.getElementById("layers");
  list.innerHTML = "";
  state.meta.layers.filter((l) => l.features > 0).forEach((layer) => {
    const li = document.createElement("li");
    const id = `toggle-${layer.id}`;
    const synthetic = layer.synthetic_features > 0;
    const colour = layer.style.fill || layer.style.stroke || "#333";
    const base = BASEMAP.includes(layer.id) ? ` <span class="tag real">${t("basemap")}</span>` : "";
    li.innerHTML = `<label for="${id}"><input type="checkbox" id="${id}" data-layer="${esc(layer.id)}">` +
      `<span class="swatch" style="background:${esc(colour)}"></span>${esc(title(layer))}</label>` +
      `<span class="tag ${synthetic ? "synthetic" : "real"}">${synthetic ? t("synthetic") : t("real")}</span>${base}` +
      `<span class="downloads">${t("download")}: <a href="${api(`collections/${layer.id}/items?f=json&limit=1000`)}" download="${esc(layer.id)}.geojson" title="${t("first")}">GeoJSON</a> · ` +
      `<a href="${api(`collections/${layer.id}/items?f=csv&limit=1000`)}" download="${esc(layer.id)}.csv" title="${t("first")}">CSV</a></span>`;
    list.appendChild(li);
    const box = li.querySelector("input");
    box.checked = Boolean(state.layers[layer.id]);
    box.addEventListener("change", () => toggleLayer(layer, box.checked));
  });
}

function renderIndicatorChoices() {
  const select = document.getElementById("indicator");
  select.innerHTML = "";
  state.meta.indicators.forEach((ind) => {
    const opt = document.createElement("option");
    opt.value = ind.id;
    opt.textContent = `${title(ind)} (${unit(ind)})`;
    select.appendChild(opt);
  });
  select.value = state.indicator.id;
  const vintage = document.getElementById("vintage");
  vintage.innerHTML = "";
  state.indicator.vintages.forEach((v) => {
    const opt = document.createElement("option");
    opt.value = v;
    opt.textContent = `${t("vintage")} ${v}`;
    vintage.appendChild(opt);
  });
  vintage.value = state.vintage;
}

function renderLegend() {
  const legend = document.getElementById("legend");
  const values = state.features.map((f) => f.get(state.indicator.value_column)).filter(finite).map(Number);
  legend.innerHTML = "";
  if (!values.length) {
    legend.innerHTML = `<div class="nodata"><span class="swatch" style="background:#cccccc"></span>${t("nodata")}</div>`;
    return;
  }
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const edges = state.edges ? [...state.edges] : [lo, ...state.breaks.filter((b) => b > lo && b < hi), hi];
  if (edges.length === 2 && lo === hi) edges.pop();
  for (let i = 0; i < Math.max(1, edges.length - 1); i += 1) {
    const row = document.createElement("div");
    const range = edges.length === 1 ? fmt(edges[0]) : `${fmt(edges[i])} – ${fmt(edges[i + 1])}`;
    row.innerHTML = `<span class="swatch" style="background:${colourFor(edges[i + 1] ?? edges[i])}"></span>${range} ${esc(unit(state.indicator))}`;
    legend.appendChild(row);
  }
  if (state.features.length > values.length) {
    legend.insertAdjacentHTML("beforeend", `<div class="nodata"><span class="swatch" style="background:#cccccc"></span>${t("nodata")}</div>`);
  }
}

function renderTable() {
  const body = document.querySelector("#table tbody");
  body.innerHTML = "";
  const col = state.indicator.value_column;
  const rows = [...state.features].sort((a, b) => (finite(b.get(col)) ? b.get(col) : -Infinity) - (finite(a.get(col)) ? a.get(col) : -Infinity));
  rows.forEach((f) => {
    const tr = document.createElement("tr");
    const name = state.lang === "vi" ? f.get("name_vi") : (f.get("name_en") || f.get("name_vi"));
    tr.innerHTML = `<td>${esc(name)}</td><td>${fmt(f.get(col))}</td>`;
    body.appendChild(tr);
  });
}

function renderNotice() {
  const notice = document.getElementById("notice");
  if (!state.meta) return;
  const synthetic = shownLayers().filter((l) => l.synthetic_features > 0);
  const parts = [];
  if (synthetic.length) parts.push([state.meta.notices.synthetic_data[state.lang], synthetic.map(title).join(", ")]);
  if (state.choroplethOn && state.indicator && state.indicator.synthetic) {
    parts.push([title(state.indicator), state.meta.notices.synthetic_result[state.lang]]);
  }
  const text = parts.map(([a, b]) => `${a}: ${b}`).join(" · ");
  // the server rendered the opening banner into the page: rewrite it only when it changes
  if (notice.textContent !== text) notice.innerHTML = parts.map(([a, b]) => `<strong>${esc(a)}</strong>: ${esc(b)}`).join(" · ");
  if (notice.hidden !== (parts.length === 0)) {
    notice.hidden = parts.length === 0;
    map.updateSize();
  }
}

async function loadIndicator() {
  // one collection per level and vintage (meta.json "collections"); the combined one filtered otherwise
  const perVintage = (state.indicator.collections || {})[String(state.vintage)];
  const url = perVintage
    ? api(`collections/${perVintage}/items?f=json&limit=1000`)
    : api(`collections/${state.indicator.id}/items?f=json&level=ward&vintage=${state.vintage}&limit=1000`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const data = await response.json();
  state.features = new ol.format.GeoJSON().readFeatures(data, { featureProjection: "EPSG:3857" });
  // one classification for every client (meta.json "classes", computed once on the server with
  // mapclassify: the same edges and colours as the QGIS styles and /styles); quantiles otherwise
  const shared = state.indicator.classes;
  if (shared && Array.isArray(shared.edges) && shared.edges.length > 2) {
    state.edges = shared.edges.map(Number);
    state.breaks = state.edges.slice(1, -1);
    state.colours = shared.colours;
  } else {
    const n = Math.min(RAMP.length, Math.max(1, state.features.length));
    state.breaks = quantileBreaks(state.features.map((f) => f.get(state.indicator.value_column)), n);
    state.edges = null;
    state.colours = null;
  }
  choroplethSource.clear();
  choroplethSource.addFeatures(state.features);
  if (state.layers.admin_units) state.layers.admin_units.changed();
  renderLegend();
  renderTable();
  renderNotice();
  saveHash();
  document.body.dataset.indicator = state.indicator.id;
  document.body.dataset.loaded = String(state.features.length);
}

function renderText() {
  document.documentElement.lang = state.lang;
  document.title = t("title");
  const set = (id, key) => { document.getElementById(id).textContent = t(key); };
  set("title", "title");
  set("h-indicator", "indicator");
  set("h-layers", "layers");
  set("h-table", "table");
  set("h-data", "data");
  set("th-unit", "unit");
  set("th-value", "value");
  set("h-info", "info");
  set("sheet-toggle", "sheet");
  set("l-choropleth", "choropleth");
  set("l-opacity", "opacity");
  set("l-indicator", "indicator");
  set("l-vintage", "vintage");
  set("search-label", "search");
  document.getElementById("search").placeholder = t("search");
  document.getElementById("map").setAttribute("aria-label", t("map"));
  document.getElementById("sources").innerHTML = state.meta.layers.filter((l) => l.features > 0)
    .map((l) => `<p><b>${esc(title(l))}</b>: ${l.synthetic_features > 0 ? `${t("syntheticList")} (${fmt(l.synthetic_features, 0)}/${fmt(l.features, 0)})` : t("realList")}. ${esc(l.attribution || "")} ${l.licence ? `(${esc(l.licence)})` : ""}</p>`).join("");
  document.querySelectorAll(".lang button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang)));
  Object.keys(labelStyleCache).forEach((k) => delete labelStyleCache[k]);
  choroplethSource.changed();
}

function setLanguage(lang) {
  state.lang = lang;
  renderText();
  renderIndicatorChoices();
  renderLayers();
  renderNotice();
  if (state.features.length) { renderLegend(); renderTable(); }
  if (state.lastPoint) lookupAt(state.lastPoint, false);
  document.dispatchEvent(new Event("dothi:language"));
  saveHash();
}

// ---------------------------------------------------------------- permalink
function saveHash() {
  if (!state.meta || state.restoring) return;
  const center = ol.proj.toLonLat(view.getCenter());
  const p = new URLSearchParams();
  p.set("map", `${view.getZoom().toFixed(2)}/${center[1].toFixed(5)}/${center[0].toFixed(5)}`);
  p.set("layers", Object.keys(state.layers).join(","));
  if (state.indicator) { p.set("ind", state.indicator.id); p.set("v", state.vintage); }
  p.set("c", state.choroplethOn ? "1" : "0");
  p.set("op", String(Math.round(state.opacity * 100)));
  p.set("lang", state.lang);
  history.replaceState(null, "", `#${p.toString().replaceAll("%2F", "/").replaceAll("%2C", ",")}`);
}

function restoreView() {
  const m = (params.get("map") || "").split("/").map(Number);
  if (m.length === 3 && m.every(Number.isFinite)) {
    view.setCenter(ol.proj.fromLonLat([m[2], m[1]]));
    view.setZoom(m[0]);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- click: features and look-up
function featureRows(feature, layerMeta) {
  const props = feature.getProperties();
  const rows = [];
  KEEP_PROPS.forEach((k) => {
    if (props[k] === undefined || props[k] === null || props[k] === "") return;
    let value = props[k];
    if (k === "code" && state.meta.land_use_codes[value]) value = `${value} — ${state.meta.land_use_codes[value][state.lang]}`;
    if (k === "synthetic") value = value === true || value === "true" || value === 1 ? t("synthetic") : t("real");
    const field = layerMeta && layerMeta.id && state.meta.fields ? (state.meta.fields[layerMeta.id] || {})[k] : null;
    const label = field ? field[state.lang] : k === "synthetic" ? t("dataKind") : k;
    const shown = field && field.unit && finite(value) ? `${fmt(value)} ${field.unit}` : value;
    rows.push(`<dt>${esc(label)}</dt><dd>${esc(shown)}</dd>`);
  });
  if (layerMeta === "choropleth") {
    rows.unshift(`<dt>${esc(title(state.indicator))}</dt><dd>${fmt(props[state.indicator.value_column])} ${esc(unit(state.indicator))}</dd>`);
  }
  return rows.join("");
}

function showFeatures(pixel) {
  const found = [];
  map.forEachFeatureAtPixel(pixel, (feature, layer) => {
    if (!layer || found.length >= 6) return;
    const id = layer.get("id");
    if (id === "marker" || id === "labels") return;
    found.push({ feature, layer, id });
  }, { hitTolerance: 5 });
  found.sort((a, b) => b.layer.getZIndex() - a.layer.getZIndex());
  const box = document.getElementById("features");
  box.innerHTML = found.map(({ feature, layer, id }) => {
    const meta = layer.get("meta");
    const name = id === "choropleth" ? `${t("indicator")}` : title(meta);
    return `<div class="feature" data-layer="${esc(id)}"><b>${esc(name)}</b><dl>${featureRows(feature, id === "choropleth" ? "choropleth" : meta)}</dl></div>`;
  }).join("");
  document.body.dataset.clicked = found.map((f) => f.id).join(",");
}

async function lookupAt(lonlat, move) {
  state.lastPoint = lonlat;
  markerSource.clear();
  markerSource.addFeature(new ol.Feature(new ol.geom.Point(ol.proj.fromLonLat(lonlat))));
  openInfo();
  if (move) view.animate({ center: ol.proj.fromLonLat(lonlat), duration: 300 });
  const box = document.getElementById("lookup");
  box.innerHTML = `<h3>${t("lookup")}</h3><p>${t("loading")}</p>`;
  const url = api(`lookup?lon=${lonlat[0].toFixed(6)}&lat=${lonlat[1].toFixed(6)}&lang=${state.lang}`);
  const response = await fetch(url);
  const data = await response.json();
  if (!response.ok) {
    box.innerHTML = `<h3>${t("lookup")}</h3><p role="alert">${t("error")}: ${esc(data.description || response.status)}</p>`;
    document.body.dataset.lookup = "error";
    return;
  }
  box.innerHTML = renderLookup(data);
  document.body.dataset.lookup = "done";
}

function renderLookup(d) {
  const wards = d.wards.map((w) => `<dt>${t("ward")} ${w.vintage}</dt><dd>${esc(w.label)}</dd>`).join("") || `<dt>${t("ward")}</dt><dd>${t("none")}</dd>`;
  const zones = (list) => list.map((z) => `${esc(z.label)}${z.plan_year ? ` (${t("year")} ${z.plan_year})` : ""}`).join("; ") || t("none");
  const flood = d.flood_model.map((f) => `<li>${esc(f.label)}${f.exposed ? ` (${fmt(f.population_pct)} %)` : ""}</li>`).join("");
  const zonesFlood = d.flood.filter((f) => f.flooded).map((f) => `<li>${esc(f.label)} — ${fmt(f.water_level_m)} m</li>`).join("");
  const walking = Object.values(d.walking).map((w) => `<tr><td>${esc(w.label)}</td><td>${esc(w.name || "")}</td><td class="num">${metres(w.distance_m)}</td></tr>`).join("");
  const vintages = d.wards.map((w) => String(w.vintage));
  const ind = d.indicators.map((i) => {
    const cells = vintages.map((v) => {
      const w = i.ward[v];
      return `<td class="num">${w ? fmt(w.value) : t("nodata")}${w && w.rank ? `<br><small>${t("rank")} ${w.rank} ${t("of")} ${w.of}</small>` : ""}</td>`;
    }).join("");
    return `<tr><td>${esc(i.label)} <small>(${esc(i.unit)})</small></td>${cells}<td class="num">${fmt(i.city)}</td></tr>`;
  }).join("");
  return `<h3>${t("lookup")}</h3>` +
    (d.notice ? `<p class="note">${esc(d.notice.label)}</p>` : "") +
    `<dl>${wards}<dt>${t("landCurrent")}</dt><dd>${zones(d.land_use.current)}</dd><dt>${t("landPlanned")}</dt><dd>${zones(d.land_use.planned)}</dd></dl>` +
    `<h3>${t("flood")}</h3><ul>${flood || `<li>${t("nodata")}</li>`}${zonesFlood ? `</ul><h3>${t("floodZones")}</h3><ul>${zonesFlood}` : ""}</ul>` +
    `<h3>${t("walking")}</h3><table><tbody>${walking || `<tr><td>${t("nodata")}</td></tr>`}</tbody></table>` +
    `<h3>${t("indicators")}</h3><table><thead><tr><th scope="col">${t("ward")}</th>${vintages.map((v) => `<th scope="col" class="num">${v}</th>`).join("")}<th scope="col" class="num">${t("city")}</th></tr></thead><tbody>${ind}</tbody></table>`;
}

function openInfo() {
  document.getElementById("info-section").hidden = false;
  setSheet(true);
  document.getElementById("panel").scrollTop = 0;
}

function setSheet(open) {
  const panel = document.getElementById("panel");
  panel.classList.toggle("open", open);
  document.getElementById("sheet-toggle").setAttribute("aria-expanded", String(open));
  // on a phone the sheet covers the bottom of the map: keep what is centred above it
  const phone = getComputedStyle(document.getElementById("sheet-toggle")).display !== "none";
  const bottom = phone ? panel.offsetHeight : 0;
  if (!view.padding || view.padding[2] !== bottom) view.padding = [0, 0, bottom, 0];
}

// ---------------------------------------------------------------- search
let searchTimer = null;
let searchResults = [];
function setupSearch() {
  const input = document.getElementById("search");
  const list = document.getElementById("search-results");
  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); };
  input.addEventListener("input", () => {
    clearTimeout(searchTimer);
    const q = input.value.trim();
    if (q.length < 2) { close(); return; }
    searchTimer = setTimeout(() => runSearch(q), 200);
  });
  input.addEventListener("keydown", (e) => {
    const items = [...list.querySelectorAll("li[data-i]")];
    const current = items.findIndex((li) => li.getAttribute("aria-selected") === "true");
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = items[(current + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length];
      items.forEach((li) => li.setAttribute("aria-selected", String(li === next)));
      if (next) input.setAttribute("aria-activedescendant", next.id);
    } else if (e.key === "Escape") {
      close();
    }
  });
  document.getElementById("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const selected = list.querySelector('li[aria-selected="true"]') || list.querySelector("li[data-i]");
    if (selected) choose(searchResults[Number(selected.dataset.i)]);
  });
  list.addEventListener("click", (e) => {
    const li = e.target.closest("li[data-i]");
    if (li) choose(searchResults[Number(li.dataset.i)]);
  });
  function choose(place) {
    close();
    input.value = place.name;
    document.getElementById("features").innerHTML = "";
    openInfo();
    if (place.bbox) {
      const extent = ol.proj.transformExtent(place.bbox, "EPSG:4326", "EPSG:3857");
      view.fit(extent, { padding: [40, 40, 40, 40], maxZoom: 17, duration: 300 });
    } else {
      view.animate({ center: ol.proj.fromLonLat([place.lon, place.lat]), zoom: Math.max(view.getZoom(), 16), duration: 300 });
    }
    lookupAt([place.lon, place.lat], false);
  }
}

async function runSearch(q) {
  const list = document.getElementById("search-results");
  const input = document.getElementById("search");
  const response = await fetch(api(`search?q=${encodeURIComponent(q)}&limit=8`));
  const data = await response.json();
  searchResults = response.ok ? data.results : [];
  list.innerHTML = searchResults.length
    ? searchResults.map((p, i) => `<li role="option" id="sr-${i}" data-i="${i}" aria-selected="false">${esc(p.name)}<span class="kind">${esc(t("kinds")[p.kind] || p.kind)}${p.vintage ? ` ${p.vintage}` : ""}${p.synthetic ? ` · ${t("synthetic")}` : ""}</span></li>`).join("")
    : `<li role="option" aria-disabled="true" aria-selected="false">${response.ok ? t("noResults") : esc(data.description)}</li>`;
  list.hidden = false;
  input.setAttribute("aria-expanded", "true");
  document.body.dataset.search = String(searchResults.length);
}

// ---------------------------------------------------------------- start
async function main() {
  const response = await fetch("meta.json");
  state.meta = await response.json();
  BASEMAP = state.meta.basemap || [];
  const inds = state.meta.indicators;
  state.indicator = inds.find((i) => i.id === params.get("ind")) || inds.find((i) => i.id === "population_density") || inds[0] || null;
  state.vintage = state.indicator ? (state.indicator.vintages.map(String).includes(params.get("v")) ? Number(params.get("v")) : state.indicator.vintages[0]) : null;
  state.restoring = true;
  const restored = restoreView();
  if (!restored && state.meta.extent) {
    view.fit(ol.proj.transformExtent(state.meta.extent, "EPSG:4326", "EPSG:3857"), { padding: [10, 10, 10, 10] });
  }
  const wanted = params.has("layers") ? params.get("layers").split(",").filter(Boolean) : BASEMAP;
  state.meta.layers.filter((l) => l.features > 0 && wanted.includes(l.id)).forEach((l) => toggleLayer(l, true));
  document.querySelectorAll(".lang button").forEach((b) => b.addEventListener("click", () => setLanguage(b.dataset.lang)));
  document.getElementById("sheet-toggle").addEventListener("click", () => setSheet(!document.getElementById("panel").classList.contains("open")));
  const onBox = document.getElementById("choropleth-on");
  onBox.checked = state.choroplethOn;
  onBox.addEventListener("change", () => { state.choroplethOn = onBox.checked; choropleth.setVisible(onBox.checked); renderNotice(); saveHash(); });
  const opacity = document.getElementById("opacity");
  opacity.value = String(Math.round(state.opacity * 100));
  opacity.addEventListener("input", () => { state.opacity = Number(opacity.value) / 100; choropleth.setOpacity(state.opacity); saveHash(); });
  document.getElementById("indicator").addEventListener("change", (e) => {
    state.indicator = state.meta.indicators.find((i) => i.id === e.target.value);
    if (!state.indicator.vintages.includes(Number(state.vintage))) state.vintage = state.indicator.vintages[0];
    renderIndicatorChoices();
    loadIndicator();
  });
  document.getElementById("vintage").addEventListener("change", (e) => { state.vintage = Number(e.target.value); loadIndicator(); });
  setupSearch();
  map.on("singleclick", (evt) => {
    if (window.dothiScenarioClick && window.dothiScenarioClick(evt)) return; // scenario.js: "add here" mode
    showFeatures(evt.pixel);
    lookupAt(ol.proj.toLonLat(evt.coordinate), false);
  });
  map.on("moveend", saveHash);
  renderText();
  renderLayers();
  document.dispatchEvent(new Event("dothi:ready")); // scenario.js builds its panel
  if (state.indicator) {
    renderIndicatorChoices();
    await loadIndicator();
  } else {
    document.getElementById("legend").innerHTML = `<div class="nodata">${t("nodata")}</div>`;
    document.body.dataset.loaded = "0";
  }
  state.restoring = false;
  renderNotice();
  saveHash();
}

// start after the first paint: the page (title, banner, panel) shows before the map's work begins
requestAnimationFrame(() => setTimeout(() => main().catch((err) => {
  document.body.dataset.error = String(err);
  console.error(err);
}), 0));
