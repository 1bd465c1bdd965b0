/* dothi public web map — the scenario panel ("Kịch bản / Scenarios").
 *
 * 1. Published scenarios (GET /scenarios, anonymous): pick one and an indicator → a diverging
 *    choropleth of the change per ward and a table (before, after, change) read from the
 *    scenario-results collection, with the scenario notice of layers/notices.py.
 * 2. Planners: "add a school / health station / stop / park here" — click the map, the page POSTs one
 *    inline edit to /processes/scenario-evaluate/execution with the planner's API key (kept in
 *    sessionStorage for this tab only, never in the URL) and shows the city and ward change and the
 *    changed grid cells.  Nothing is saved: each click is one edit evaluated against the baseline.
 *
 * Loaded after app.js (classic scripts share their top-level names: state, map, t, esc, api, …). */
/* global ol, state, map, view, esc, finite, title, unit, setSheet, choropleth, Z */
"use strict";

const SCEN_TEXT = {
  vi: {
    heading: "Kịch bản quy hoạch",
    pick: "Kịch bản đã công bố",
    none: "— không chọn —",
    noneAvailable: "Chưa có kịch bản nào được công bố",
    indicator: "Chỉ số của kịch bản",
    vintage: "Ranh giới năm",
    unit: "Phường/xã",
    before: "Hiện trạng",
    after: "Kịch bản",
    change: "Thay đổi",
    city: "Toàn thành phố",
    caption: "Thay đổi theo phường/xã",
    increase: "tăng",
    decrease: "giảm",
    same: "không đổi",
    unchanged: "Các phường/xã khác: không đổi",
    loading: "Đang tải…",
    add: "Thử thêm tại một điểm (người lập quy hoạch)",
    key: "Khoá API của người lập quy hoạch",
    keyHint: "Chỉ lưu trong tab này, không đưa vào địa chỉ trang.",
    forget: "Xoá khoá",
    kind: "Thêm",
    kinds: { school: "Trường tiểu học", health: "Trạm y tế", stop: "Điểm dừng xe buýt", park: "Công viên 1 ha" },
    modeOff: "Chọn điểm trên bản đồ",
    modeOn: "Đang chọn điểm (nhấn để dừng)",
    help: "Mỗi lần nhấp: một chỉnh sửa so với hiện trạng, không lưu lại.",
    working: "Đang đánh giá…",
    answered: "Trả lời sau",
    added: "Đã thêm",
    at: "tại",
    wardsChanged: "Phường/xã thay đổi",
    noChange: "Không chỉ số nào thay đổi.",
    cells: "ô lưới thay đổi (vẽ trên bản đồ)",
    e401: "Cần khoá API của người lập quy hoạch để thử thêm: nhập khoá ở trên. Người xem ẩn danh chỉ xem được kịch bản đã công bố.",
    e403: "Khoá API này không được phép đánh giá kịch bản.",
    e429: "Máy chủ đang bận hoặc có quá nhiều yêu cầu đánh giá; hãy thử lại sau",
    seconds: "giây",
    e400: "Chỉnh sửa không hợp lệ",
    eOther: "Máy chủ không trả lời được",
    eNetwork: "Không kết nối được máy chủ",
  },
  en: {
    heading: "Planning scenarios",
    pick: "Published scenario",
    none: "— none —",
    noneAvailable: "No scenario has been published yet",
    indicator: "Scenario indicator",
    vintage: "Boundaries of",
    unit: "Ward/commune",
    before: "Before",
    after: "After",
    change: "Change",
    city: "Whole city",
    caption: "Change by ward",
    increase: "increase",
    decrease: "decrease",
    same: "no change",
    unchanged: "Other wards: no change",
    loading: "Loading…",
    add: "Try an addition at a point (planners)",
    key: "Planner's API key",
    keyHint: "Kept in this tab only, never in the page address.",
    forget: "Forget key",
    kind: "Add",
    kinds: { school: "Primary school", health: "Health station", stop: "Bus stop", park: "1 ha park" },
    modeOff: "Pick a point on the map",
    modeOn: "Picking a point (press to stop)",
    help: "Each click: one edit against today's city, not saved.",
    working: "Evaluating…",
    answered: "Answered in",
    added: "Added",
    at: "at",
    wardsChanged: "Wards that change",
    noChange: "No indicator changes.",
    cells: "grid cells change (drawn on the map)",
    e401: "A planner's API key is needed to try an addition: enter it above. Anonymous visitors can view published scenarios only.",
    e403: "This API key may not evaluate scenarios.",
    e429: "The server is busy or too many evaluations were asked; try again in",
    seconds: "s",
    e400: "The edit was refused",
    eOther: "The server could not answer",
    eNetwork: "The server cannot be reached",
  },
};

/** What each "add here" choice adds (layer attributes) and which indicator answers it. */
const ADD_KINDS = {
  school: { layer: "schools", id: "school_id", indicator: "education_access", props: { level: "primary", capacity: 500, public: true } },
  health: { layer: "health_facilities", id: "facility_id", indicator: "health_access", props: { type: "health_station", beds: 5 } },
  stop: { layer: "transit_stops", id: "stop_id", indicator: "transit_access", props: { mode: "bus", capacity: "low", weekday_departures: 60 } },
  park: { layer: "green_spaces", id: "green_id", indicator: "open_space_access", props: { type: "park", public: true, area_m2: 10000 } },
};
/** Diverging classes (ColorBrewer PuOr, colour-blind safe): decrease orange, no change grey, increase purple. */
const DIVERGING = ["#b35806", "#f1a340", "#fee0b6", "#f0f0f0", "#d8daeb", "#998ec3", "#542788"];
const KEY_STORE = "dothi.apiKey";

const scen = {
  list: [],
  chosen: null,
  indicator: null,
  vintage: null,
  rows: [],
  city: null,
  max: 0,
  adding: false,
  kind: "school",
};

function st(key) { return SCEN_TEXT[state.lang][key]; }
function $(id) { return document.getElementById(id); }
function scenTitle(s) { return s["title_" + state.lang] || s.title_en || s.name; }
function indicatorMeta(id) { return (state.meta.indicators || []).find((i) => i.id === id) || { id, title_vi: id, title_en: id, unit: "" }; }
/** A number as people read it: 4 significant digits below 1000, whole numbers above. */
function num(v) {
  if (!finite(v)) return t("nodata");
  const n = Number(v);
  const opts = Math.abs(n) >= 1000 ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 4 };
  return n.toLocaleString(state.lang === "vi" ? "vi-VN" : "en-GB", opts);
}
function signed(v) { return finite(v) && Number(v) > 0 ? `+${num(v)}` : num(v); }

// ---------------------------------------------------------------- difference colours
function diffClass(v, max) {
  if (!finite(v) || max <= 0 || Math.abs(v) < max * 1e-9) return 3;
  const k = Math.min(3, Math.ceil((Math.abs(v) / max) * 3));
  return v > 0 ? 3 + k : 3 - k;
}
function diffColour(v, max) { return DIVERGING[diffClass(v, max)]; }
const diffStyles = {};
function diffStyle(value, max, stroke) {
  const key = `${diffClass(value, max)}|${stroke}`;
  if (!diffStyles[key]) {
    diffStyles[key] = new ol.style.Style({
      fill: new ol.style.Fill({ color: diffColour(value, max) }),
      stroke: new ol.style.Stroke({ color: stroke, width: stroke === "#333" ? 0.8 : 0.3 }),
    });
  }
  return diffStyles[key];
}

const scenSource = new ol.source.Vector();
const scenLayer = new ol.layer.Vector({
  source: scenSource, zIndex: Z.choropleth + 0.1, opacity: 0.8, properties: { id: "scenario" },
  style: (f) => diffStyle(f.get("change"), scen.max, "#333"),
});
map.addLayer(scenLayer);
const cellSource = new ol.source.Vector();
map.addLayer(new ol.layer.Vector({
  source: cellSource, zIndex: Z.choropleth + 0.2, opacity: 0.85, properties: { id: "scenario-cells" },
  style: (f) => diffStyle(f.get("change"), cellSource.get("max") || 0, "#ffffff"),
}));
const addedSource = new ol.source.Vector();
map.addLayer(new ol.layer.Vector({
  source: addedSource, zIndex: Z.marker, properties: { id: "marker" },
  style: new ol.style.Style({
    image: new ol.style.Circle({ radius: 9, fill: new ol.style.Fill({ color: "#542788" }), stroke: new ol.style.Stroke({ color: "#fff", width: 3 }) }),
    fill: new ol.style.Fill({ color: "#54278855" }), stroke: new ol.style.Stroke({ color: "#542788", width: 2 }),
  }),
}));

function legendHtml(max, values, unitText) {
  if (!(max > 0)) return `<div><span class="swatch" style="background:${DIVERGING[3]}"></span>0 ${esc(unitText)} (${st("same")})</div>`;
  const classes = new Set(values.map((v) => diffClass(v, max)));
  const step = max / 3;
  const rows = [];
  for (let c = 6; c >= 0; c -= 1) {
    if (!classes.has(c)) continue;
    let range;
    if (c === 3) range = `0 (${st("same")})`;
    else if (c > 3) range = `+${num((c - 4) * step)} … +${num((c - 3) * step)} (${st("increase")})`;
    else range = `−${num((3 - c) * step)} … −${num((2 - c) * step)} (${st("decrease")})`;
    rows.push(`<div><span class="swatch" style="background:${DIVERGING[c]}"></span>${range} ${esc(unitText)}</div>`);
  }
  return rows.join("");
}

// ---------------------------------------------------------------- the panel
function buildPanel() {
  const section = $("scenario-section");
  section.innerHTML = `<h2 id="h-scenario"></h2>
    <label for="scenario" id="l-scenario"></label>
    <select id="scenario"></select>
    <div id="scenario-body" hidden>
      <p id="scenario-notice" class="scen-note"></p>
      <p id="scenario-desc" class="scen-desc"></p>
      <label for="scen-indicator" id="l-scen-indicator"></label>
      <select id="scen-indicator"></select>
      <label for="scen-vintage" id="l-scen-vintage" class="sr-only"></label>
      <select id="scen-vintage"></select>
      <div id="scen-legend" class="scen-legend"></div>
      <table id="scen-table"><caption id="scen-caption"></caption>
        <thead><tr><th scope="col" id="scen-th-unit"></th><th scope="col" class="num" id="scen-th-before"></th><th scope="col" class="num" id="scen-th-after"></th><th scope="col" class="num" id="scen-th-change"></th></tr></thead>
        <tbody></tbody></table>
      <p id="scen-unchanged" class="scen-desc"></p>
    </div>
    <h3 id="h-add"></h3>
    <label for="api-key" id="l-api-key"></label>
    <div class="scen-key"><input type="password" id="api-key" autocomplete="off" spellcheck="false" aria-describedby="key-hint">
      <button type="button" id="key-forget"></button></div>
    <p id="key-hint" class="scen-desc"></p>
    <label for="add-kind" id="l-add-kind"></label>
    <select id="add-kind"></select>
    <button type="button" id="add-mode" aria-pressed="false"></button>
    <p id="add-help" class="scen-desc"></p>
    <div id="add-result" aria-live="polite"></div>`;
  const key = $("api-key");
  key.value = sessionStorage.getItem(KEY_STORE) || "";
  key.addEventListener("change", () => {
    const value = key.value.trim();
    if (value) sessionStorage.setItem(KEY_STORE, value); else sessionStorage.removeItem(KEY_STORE);
  });
  $("key-forget").addEventListener("click", () => { key.value = ""; sessionStorage.removeItem(KEY_STORE); });
  $("scenario").addEventListener("change", (e) => chooseScenario(e.target.value));
  $("scen-indicator").addEventListener("change", (e) => { scen.indicator = e.target.value; loadScenario(); });
  $("scen-vintage").addEventListener("change", (e) => { scen.vintage = Number(e.target.value); renderScenario(); });
  $("add-kind").addEventListener("change", (e) => { scen.kind = e.target.value; });
  $("add-mode").addEventListener("click", () => setAdding(!scen.adding));
}

function renderScenarioText() {
  const set = (id, key) => { $(id).textContent = st(key); };
  [["h-scenario", "heading"], ["l-scenario", "pick"], ["l-scen-indicator", "indicator"], ["l-scen-vintage", "vintage"],
    ["scen-caption", "caption"], ["scen-th-unit", "unit"], ["scen-th-before", "before"], ["scen-th-after", "after"],
    ["scen-th-change", "change"], ["h-add", "add"], ["l-api-key", "key"], ["key-hint", "keyHint"], ["key-forget", "forget"],
    ["l-add-kind", "kind"], ["add-help", "help"]].forEach(([id, key]) => set(id, key));
  $("add-mode").textContent = st(scen.adding ? "modeOn" : "modeOff");
  const kind = $("add-kind");
  kind.innerHTML = Object.keys(ADD_KINDS).map((k) => `<option value="${k}">${esc(st("kinds")[k])}</option>`).join("");
  kind.value = scen.kind;
  renderScenarioChoices();
  if (scen.chosen) renderScenario();
  if (scen.lastAnswer) renderAnswer(scen.lastAnswer);
  else if (scen.lastError) renderError(scen.lastError);
}

function renderScenarioChoices() {
  const select = $("scenario");
  const empty = scen.list.length ? st("none") : st("noneAvailable");
  select.innerHTML = `<option value="">${esc(empty)}</option>` +
    scen.list.map((s) => `<option value="${esc(s.name)}">${esc(scenTitle(s))}</option>`).join("");
  select.value = scen.chosen ? scen.chosen.name : "";
  const body = $("scenario-body");
  body.hidden = !scen.chosen;
  if (!scen.chosen) return;
  const ind = $("scen-indicator");
  ind.innerHTML = scen.chosen.indicators.map((id) => {
    const m = indicatorMeta(id);
    return `<option value="${esc(id)}">${esc(title(m))}${m.unit ? ` (${esc(unit(m))})` : ""}</option>`;
  }).join("");
  ind.value = scen.indicator;
}

async function loadScenarios() {
  const response = await fetch(api("scenarios"));
  const data = response.ok ? await response.json() : { scenarios: [] };
  scen.list = data.scenarios || [];
  renderScenarioText();
  document.body.dataset.scenarios = String(scen.list.length);
}

function chooseScenario(name) {
  scen.chosen = scen.list.find((s) => s.name === name) || null;
  if (!scen.chosen) {
    scenSource.clear();
    choropleth.setVisible(state.choroplethOn);
    renderScenarioChoices();
    document.body.dataset.scenario = "";
    return;
  }
  scen.indicator = scen.chosen.indicators.includes(scen.indicator) ? scen.indicator : scen.chosen.indicators[0];
  renderScenarioChoices();
  loadScenario();
}

async function loadScenario() {
  document.body.dataset.scenario = "loading";
  $("scen-unchanged").textContent = st("loading");
  const base = `collections/scenario-results/items?f=json&limit=1000&scenario=${encodeURIComponent(scen.chosen.name)}&indicator_id=${encodeURIComponent(scen.indicator)}`;
  const [wards, city] = await Promise.all(["ward", "city"].map(async (level) => {
    const response = await fetch(api(`${base}&level=${level}`));
    if (!response.ok) throw new Error(`scenario-results: HTTP ${response.status}`);
    return (await response.json()).features;
  }));
  scen.rows = wards;
  scen.city = city;
  const vintages = [...new Set(wards.map((f) => f.properties.vintage).filter((v) => v !== null))].sort();
  scen.vintages = vintages;
  scen.vintage = vintages.includes(Number(state.vintage)) ? Number(state.vintage) : vintages[vintages.length - 1];
  renderScenario();
  if (scenSource.getFeatures().length) view.fit(scenSource.getExtent(), { padding: [40, 40, 40, 40], maxZoom: 15, duration: 300 });
}

function renderScenario() {
  const vintage = $("scen-vintage");
  vintage.innerHTML = scen.vintages.map((v) => `<option value="${v}">${esc(st("vintage"))} ${v}</option>`).join("");
  vintage.value = String(scen.vintage);
  vintage.hidden = scen.vintages.length < 2;
  const rows = scen.rows.filter((f) => f.properties.vintage === scen.vintage)
    .sort((a, b) => Number(b.properties.change) - Number(a.properties.change));
  const m = indicatorMeta(scen.indicator);
  const unitText = unit(m) || "";
  scen.max = Math.max(0, ...rows.map((f) => Math.abs(Number(f.properties.change))).filter(Number.isFinite));
  scenSource.clear();
  scenSource.addFeatures(new ol.format.GeoJSON().readFeatures({ type: "FeatureCollection", features: rows.filter((f) => f.geometry) }, { featureProjection: "EPSG:3857" }));
  choropleth.setVisible(false); // the difference map replaces the indicator layer while a scenario is shown
  const city = scen.city.filter((f) => f.properties.vintage === null || f.properties.vintage === scen.vintage);
  const first = rows[0] || city[0];
  const notice = first ? first.properties[`notice_${state.lang}`] : state.meta.notices.scenario_result[state.lang];
  $("scenario-notice").textContent = notice || state.meta.notices.scenario_result[state.lang];
  const desc = scen.chosen[`description_${state.lang}`] || scen.chosen.description_vi || "";
  $("scenario-desc").textContent = desc;
  $("scen-legend").innerHTML = legendHtml(scen.max, rows.map((f) => Number(f.properties.change)), unitText);
  const line = (f, label, cls) => {
    const p = f.properties;
    return `<tr class="${cls}" data-unit="${esc(p.unit_id)}" data-before="${esc(p.before)}" data-after="${esc(p.after)}" data-change="${esc(p.change)}">` +
      `<td>${esc(label)}</td><td class="num">${num(p.before)}</td><td class="num">${num(p.after)}</td><td class="num">${signed(p.change)}</td></tr>`;
  };
  const name = (p) => (state.lang === "vi" ? p.name_vi : (p.name_en || p.name_vi));
  $("scen-table").querySelector("tbody").innerHTML =
    city.map((f) => line(f, st("city"), "city")).join("") + rows.map((f) => line(f, name(f.properties), "ward")).join("");
  $("scen-unchanged").textContent = `${st("unchanged")}. ${unitText ? `(${unitText})` : ""}`;
  document.body.dataset.scenario = `${scen.chosen.name}|${scen.indicator}|${rows.length}`;
}

// ---------------------------------------------------------------- planners: add here
function setAdding(on) {
  scen.adding = on;
  const button = $("add-mode");
  button.setAttribute("aria-pressed", String(on));
  button.textContent = st(on ? "modeOn" : "modeOff");
  $("map").classList.toggle("adding", on);
  if (on && getComputedStyle($("sheet-toggle")).display !== "none") setSheet(false); // phone: show the map
}

/** The edit a click adds: a point, or for a park a 100 m × 100 m square around it. */
function editFor(kind, lonlat) {
  const spec = ADD_KINDS[kind];
  const id = `web-${kind}-${Date.now().toString(36)}`;
  let geometry = { type: "Point", coordinates: lonlat };
  if (kind === "park") {
    const dLat = 50 / 111320;
    const dLon = 50 / (111320 * Math.cos((lonlat[1] * Math.PI) / 180));
    const [x, y] = lonlat;
    geometry = { type: "MultiPolygon", coordinates: [[[[x - dLon, y - dLat], [x + dLon, y - dLat], [x + dLon, y + dLat], [x - dLon, y + dLat], [x - dLon, y - dLat]]]] };
  }
  const props = { layer: spec.layer, op: "add", [spec.id]: id, name: `${st("kinds")[kind]} (${st("after").toLowerCase()})`, ...spec.props };
  return { type: "FeatureCollection", features: [{ type: "Feature", properties: props, geometry }] };
}

async function addAt(lonlat) {
  const started = performance.now();
  const kind = scen.kind;
  const edits = editFor(kind, lonlat);
  addedSource.clear();
  addedSource.addFeatures(new ol.format.GeoJSON().readFeatures(edits, { featureProjection: "EPSG:3857" }));
  cellSource.clear();
  scen.lastAnswer = null;
  scen.lastError = null;
  const box = $("add-result");
  box.innerHTML = `<p>${st("working")}</p>`;
  document.body.dataset.add = "working";
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const key = ($("api-key").value || "").trim();
  if (key) headers.Authorization = `Bearer ${key}`;
  let response;
  let body = {};
  try {
    response = await fetch(api("processes/scenario-evaluate/execution"), {
      method: "POST", headers, body: JSON.stringify({ inputs: { edits, indicators: [ADD_KINDS[kind].indicator], grid_geometry: true } }),
    });
    body = await response.json().catch(() => ({}));
  } catch (err) {
    showAddError({ status: "network", description: err.message });
    return;
  }
  const ms = performance.now() - started;
  if (!response.ok) {
    showAddError({ status: response.status, retry: response.headers.get("Retry-After"), description: body.description });
    return;
  }
  scen.lastAnswer = { kind, lonlat, body, ms };
  renderAnswer(scen.lastAnswer);
  view.animate({ center: ol.proj.fromLonLat(lonlat), duration: 250 }); // above the sheet on a phone
  document.body.dataset.addMs = ms.toFixed(0);
  document.body.dataset.add = "done";
}

/** The refusal in the page's language (kept, so that switching the language translates it). */
function errorText({ status, retry, description }) {
  if (status === "network") return `${st("eNetwork")}: ${description}`;
  if (status === 401) return st("e401");
  if (status === 403) return st("e403");
  if (status === 429) return `${st("e429")} ${retry || "60"} ${st("seconds")}.`;
  if (status >= 400 && status < 500) return `${st("e400")}: ${description || status}`;
  return `${st("eOther")} (HTTP ${status}).`;
}

function renderError(error) {
  $("add-result").innerHTML = `<p class="scen-error" role="alert">${esc(errorText(error))}</p>`;
}

function showAddError(error) {
  scen.lastError = error;
  renderError(error);
  setSheet(true);
  $("add-result").scrollIntoView({ block: "nearest" });
  document.body.dataset.add = `error-${error.status}`;
}

function renderAnswer({ kind, lonlat, body, ms }) {
  const parts = [`<p><b>${st("added")}: ${esc(st("kinds")[kind])}</b> ${st("at")} ${lonlat[1].toFixed(5)}, ${lonlat[0].toFixed(5)} · ${st("answered")} ${(ms / 1000).toLocaleString(state.lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 2 })} ${st("seconds")}</p>`];
  const notices = [body.notice, body.synthetic_notice].filter(Boolean).map((n) => n[state.lang]).join(" — ");
  parts.push(`<p class="scen-note">${esc(notices)}</p>`);
  let cells = [];
  let tables = 0;
  const entries = Object.entries(body.indicators || {});
  entries.forEach(([id, result]) => {
    const m = indicatorMeta(id);
    // one boundary vintage: the scenario's shown, else the map's (the other is in the process answer)
    const vintages = [...new Set(result.units.map((u) => u.vintage).filter((v) => v !== null && v !== undefined))];
    const wanted = scen.chosen ? scen.vintage : Number(state.vintage);
    const vintage = vintages.includes(wanted) ? wanted : Math.max(...vintages);
    const inVintage = (u) => u.vintage === null || u.vintage === undefined || !vintages.length || u.vintage === vintage;
    const city = result.units.filter((u) => u.level === "city" && inVintage(u));
    const wards = result.units.filter((u) => u.level === "ward" && inVintage(u)).sort((a, b) => b.change - a.change);
    const row = (u, label, cls) => `<tr class="${cls}" data-indicator="${esc(id)}" data-unit="${esc(u.unit_id)}" data-vintage="${esc(u.vintage ?? "")}" data-before="${esc(u.before)}" data-after="${esc(u.after)}" data-change="${esc(u.change)}">` +
      `<td>${esc(label)}</td><td class="num">${num(u.before)}</td><td class="num">${num(u.after)}</td><td class="num">${signed(u.change)}</td></tr>`;
    const label = (u) => (state.lang === "vi" ? u.name_vi : (u.name_en || u.name_vi));
    const caption = `${esc(title(m))}${m.unit ? ` (${esc(unit(m))})` : ""}${vintages.length ? ` · ${esc(st("vintage"))} ${vintage}` : ""}`;
    const changedCells = (result.grid_cells || {}).features || [];
    cells = cells.concat(changedCells);
    if (!city.length && !wards.length) return;
    tables += 1;
    parts.push(`<table class="scen-answer" data-vintage="${vintages.length ? vintage : ""}"><caption>${caption}</caption>` +
      `<thead><tr><th scope="col">${st("unit")}</th><th scope="col" class="num">${st("before")}</th><th scope="col" class="num">${st("after")}</th><th scope="col" class="num">${st("change")}</th></tr></thead><tbody>` +
      city.map((u) => row(u, st("city"), "city")).join("") + wards.map((u) => row(u, label(u), "ward")).join("") + "</tbody></table>");
    if (changedCells.length) parts.push(`<p class="scen-desc">${changedCells.length.toLocaleString()} ${st("cells")}</p>`);
  });
  if (!tables) parts.push(`<p>${st("noChange")}</p>`);
  $("add-result").innerHTML = parts.join("");
  const features = new ol.format.GeoJSON().readFeatures({ type: "FeatureCollection", features: cells }, { featureProjection: "EPSG:3857" });
  cellSource.set("max", Math.max(0, ...features.map((f) => Math.abs(Number(f.get("change")))).filter(Number.isFinite)));
  cellSource.clear();
  cellSource.addFeatures(features);
  setSheet(true);
  $("add-result").scrollIntoView({ block: "nearest" });
}

/** app.js asks before its own click handling: in "add" mode a click adds instead of looking up. */
window.dothiScenarioClick = (evt) => {
  if (!scen.adding) return false;
  addAt(ol.proj.toLonLat(evt.coordinate));
  return true;
};

document.addEventListener("dothi:ready", () => {
  buildPanel();
  loadScenarios().catch((err) => { document.body.dataset.scenarios = "error"; console.error(err); });
});
document.addEventListener("dothi:language", () => { if ($("h-scenario")) renderScenarioText(); });
