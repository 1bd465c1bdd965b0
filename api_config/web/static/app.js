/* dothi public web map — OpenLayers, fed only by dothi's own OGC API (no external basemap). */
/* global ol */
"use strict";

const TEXT = {
  vi: {
    title: "dothi — Bản đồ đô thị Mỹ Tho",
    indicator: "Chỉ số theo phường/xã",
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
    syntheticList: "Dữ liệu tổng hợp (giả lập, không phải đo đạc)",
  },
  en: {
    title: "dothi — Mỹ Tho urban map",
    indicator: "Indicator by ward",
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
    syntheticList: "Synthetic data (generated, not surveyed)",
  },
};
const RAMP = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];

const state = {
  lang: new URLSearchParams(location.search).get("lang") === "en" ? "en" : "vi",
  meta: null,
  indicator: null,
  vintage: null,
  features: [],
  breaks: [],
  layers: {},
};

function t(key) { return TEXT[state.lang][key]; }
function title(obj) { return obj["title_" + state.lang] || obj.title_en || obj.id; }
function unit(obj) { return obj["unit_" + state.lang] || obj.unit; }
function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return t("nodata");
  return Number(v).toLocaleString(state.lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 });
}

const view = new ol.View({ center: ol.proj.fromLonLat([106.36, 10.36]), zoom: 12, maxZoom: 19 });
const map = new ol.Map({
  target: "map",
  view,
  controls: ol.control.defaults.defaults({ attributionOptions: { collapsible: false } }),
});

const choroplethSource = new ol.source.Vector({ attributions: () => sourceAttribution() });
const choropleth = new ol.layer.Vector({
  source: choroplethSource,
  zIndex: 10,
  opacity: 0.8,
  style: (feature) => new ol.style.Style({
    fill: new ol.style.Fill({ color: colourFor(feature.get(state.indicator.value_column)) }),
    stroke: new ol.style.Stroke({ color: "#555", width: 0.8 }),
  }),
});
map.addLayer(choropleth);

function colourFor(value) {
  if (value === null || value === undefined) return "#cccccc";
  let i = 0;
  while (i < state.breaks.length && value > state.breaks[i]) i += 1;
  return RAMP[Math.min(i, RAMP.length - 1)];
}

function quantileBreaks(values, n) {
  const sorted = values.filter((v) => v !== null && !Number.isNaN(v)).sort((a, b) => a - b);
  if (!sorted.length) return [];
  const breaks = [];
  for (let k = 1; k < n; k += 1) breaks.push(sorted[Math.floor((k * (sorted.length - 1)) / n)]);
  return breaks;
}

function sourceAttribution() {
  if (!state.meta) return "";
  const real = state.meta.layers.filter((l) => l.features > 0 && l.synthetic_features < l.features);
  const synthetic = state.meta.layers.filter((l) => l.synthetic_features > 0);
  return `${t("realList")}: ${real.map(title).join(", ") || "—"} · ${t("syntheticList")}: ${synthetic.map(title).join(", ") || "—"}`;
}

function tileStyle(layer) {
  const fill = layer.style.fill ? new ol.style.Fill({ color: layer.style.fill }) : undefined;
  const stroke = new ol.style.Stroke({ color: layer.style.stroke || "#333", width: layer.style.stroke_width || 1 });
  const image = new ol.style.Circle({ radius: 4, fill: new ol.style.Fill({ color: layer.style.fill || "#333" }), stroke: new ol.style.Stroke({ color: "#fff", width: 1 }) });
  return new ol.style.Style({ fill, stroke, image });
}

function tileLayer(layer) {
  return new ol.layer.VectorTile({
    zIndex: layer.geometry === "MultiPolygon" ? 1 : 5,
    declutter: false,
    source: new ol.source.VectorTile({
      format: new ol.format.MVT(),
      url: `${state.meta.api}/collections/${layer.id}/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt`,
      maxZoom: 18,
    }),
    style: tileStyle(layer),
  });
}

function renderLayers() {
  const list = document.getElementById("layers");
  list.innerHTML = "";
  state.meta.layers.filter((l) => l.features > 0).forEach((layer) => {
    const li = document.createElement("li");
    const id = `toggle-${layer.id}`;
    const synthetic = layer.synthetic_features === layer.features;
    li.innerHTML = `<label><input type="checkbox" id="${id}" data-layer="${layer.id}"> ${title(layer)}</label>` +
      `<span class="tag ${synthetic ? "synthetic" : "real"}">${synthetic ? t("synthetic") : t("real")}</span>`;
    list.appendChild(li);
    const box = li.querySelector("input");
    box.checked = Boolean(state.layers[layer.id]);
    box.addEventListener("change", () => toggleLayer(layer, box.checked));
  });
}

function toggleLayer(layer, on) {
  if (on && !state.layers[layer.id]) {
    state.layers[layer.id] = tileLayer(layer);
    map.addLayer(state.layers[layer.id]);
  } else if (!on && state.layers[layer.id]) {
    map.removeLayer(state.layers[layer.id]);
    delete state.layers[layer.id];
  }
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
  const values = state.features.map((f) => f.get(state.indicator.value_column));
  const lo = Math.min(...values.filter((v) => v !== null));
  const hi = Math.max(...values.filter((v) => v !== null));
  const edges = [lo, ...state.breaks, hi];
  legend.innerHTML = "";
  for (let i = 0; i < edges.length - 1; i += 1) {
    const row = document.createElement("div");
    row.className = "legend-row";
    row.innerHTML = `<span class="swatch" style="background:${RAMP[i]}"></span>${fmt(edges[i])} – ${fmt(edges[i + 1])} ${unit(state.indicator)}`;
    legend.appendChild(row);
  }
}

function renderTable() {
  const body = document.querySelector("#table tbody");
  body.innerHTML = "";
  const rows = [...state.features].sort((a, b) => (b.get(state.indicator.value_column) ?? -Infinity) - (a.get(state.indicator.value_column) ?? -Infinity));
  rows.forEach((f) => {
    const tr = document.createElement("tr");
    const name = state.lang === "vi" ? f.get("name_vi") : (f.get("name_en") || f.get("name_vi"));
    tr.innerHTML = `<td>${name}</td><td>${fmt(f.get(state.indicator.value_column))}</td>`;
    body.appendChild(tr);
  });
}

async function loadIndicator() {
  const url = `${state.meta.api}/collections/${state.indicator.id}/items?f=json&level=ward&vintage=${state.vintage}&limit=1000`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const data = await response.json();
  state.features = new ol.format.GeoJSON().readFeatures(data, { featureProjection: "EPSG:3857" });
  state.breaks = quantileBreaks(state.features.map((f) => f.get(state.indicator.value_column)), RAMP.length);
  choroplethSource.clear();
  choroplethSource.addFeatures(state.features);
  if (state.features.length) view.fit(choroplethSource.getExtent(), { padding: [20, 20, 20, 20], maxZoom: 14 });
  renderLegend();
  renderTable();
  document.body.dataset.indicator = state.indicator.id;
  document.body.dataset.loaded = String(state.features.length);
}

function renderText() {
  document.documentElement.lang = state.lang;
  document.title = t("title");
  document.getElementById("title").textContent = t("title");
  document.getElementById("h-indicator").textContent = t("indicator");
  document.getElementById("h-layers").textContent = t("layers");
  document.getElementById("h-table").textContent = t("table");
  document.getElementById("h-data").textContent = t("data");
  document.getElementById("th-unit").textContent = t("unit");
  document.getElementById("th-value").textContent = t("value");
  document.getElementById("sources").innerHTML = state.meta.layers.filter((l) => l.features > 0)
    .map((l) => `<p><b>${title(l)}</b>: ${l.synthetic_features === l.features ? t("syntheticList") : t("realList")}. ${l.attribution || ""} ${l.licence ? `(${l.licence})` : ""}</p>`).join("");
  document.querySelectorAll(".lang button").forEach((b) => b.classList.toggle("active", b.dataset.lang === state.lang));
  choroplethSource.refresh();
}

function setLanguage(lang) {
  state.lang = lang;
  renderText();
  renderIndicatorChoices();
  renderLayers();
  if (state.features.length) { renderLegend(); renderTable(); }
}

function setupPopup() {
  const popup = document.getElementById("popup");
  const overlay = new ol.Overlay({ element: popup, offset: [10, 0], positioning: "center-left" });
  map.addOverlay(overlay);
  map.on("singleclick", (evt) => {
    const feature = map.forEachFeatureAtPixel(evt.pixel, (f) => f, { layerFilter: (l) => l === choropleth });
    if (!feature) { popup.hidden = true; return; }
    const name = state.lang === "vi" ? feature.get("name_vi") : (feature.get("name_en") || feature.get("name_vi"));
    popup.innerHTML = `<b>${name}</b><br>${title(state.indicator)}: ${fmt(feature.get(state.indicator.value_column))} ${unit(state.indicator)}`;
    popup.hidden = false;
    overlay.setPosition(evt.coordinate);
  });
}

async function main() {
  const response = await fetch("meta.json");
  state.meta = await response.json();
  if (!state.meta.indicators.length) throw new Error("no indicator results to map");
  state.indicator = state.meta.indicators[0];
  state.vintage = state.indicator.vintages[0];
  document.querySelectorAll(".lang button").forEach((b) => b.addEventListener("click", () => setLanguage(b.dataset.lang)));
  document.getElementById("indicator").addEventListener("change", (e) => {
    state.indicator = state.meta.indicators.find((i) => i.id === e.target.value);
    if (!state.indicator.vintages.includes(Number(state.vintage))) state.vintage = state.indicator.vintages[0];
    renderIndicatorChoices();
    loadIndicator();
  });
  document.getElementById("vintage").addEventListener("change", (e) => { state.vintage = Number(e.target.value); loadIndicator(); });
  setLanguage(state.lang);
  // the admin boundaries are drawn from our own tiles as the plain background
  const admin = state.meta.layers.find((l) => l.id === "admin_units");
  if (admin && admin.features > 0) toggleLayer(admin, true);
  renderLayers();
  setupPopup();
  await loadIndicator();
}

main().catch((err) => {
  document.body.dataset.error = String(err);
  console.error(err);
});
