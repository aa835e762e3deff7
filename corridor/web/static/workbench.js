// corridor workbench: sizes the map drawn into the page by the month's values, lists and checks
// lever inputs, starts what-ifs and draws their results. Plain SVG, no libraries, nothing remote.
"use strict";
const DATA = JSON.parse(document.getElementById("page-data").textContent);
const SVG = "http://www.w3.org/2000/svg";
const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}
function titled(node, text) { el("title", {}, node).textContent = text; return node; }

// ---- map: the page holds the drawn frame (corridor.report.map); this sizes its routes and circles per month
const span = document.getElementById("map").viewBox.baseVal.width;
const [ROUTE_BASE, ROUTE_EXTRA] = DATA.map.route_width;
const routeLines = Object.fromEntries([...document.querySelectorAll("#routes line.route")].map((line) => [line.dataset.route, line]));
const bubbles = Object.fromEntries([...document.querySelectorAll("#bubbles circle.bubble")].map((circle) => [circle.dataset.place, circle]));

let LAYERS = null;
const monthInput = document.getElementById("month"), monthLabel = document.getElementById("month-label");
const routeSelect = document.getElementById("route-layer"), placeSelect = document.getElementById("place-layer");
function fillSelect(select, names, preferred) {
  for (const name of names) {
    const option = document.createElement("option");
    option.value = name; option.textContent = LAYERS.layers[name].label;
    select.appendChild(option);
  }
  if (names.includes(preferred)) select.value = preferred;
}
function loadLayers() {
  fetch("/api/layers").then((r) => r.json()).then((body) => {
    if (!body.ready) { setTimeout(loadLayers, 1000); return; }
    LAYERS = body;
    const names = Object.keys(LAYERS.layers);
    fillSelect(routeSelect, names.filter((n) => LAYERS.layers[n].dim === "route"), "route_entries");
    fillSelect(placeSelect, names.filter((n) => LAYERS.layers[n].dim !== "route"), "waiting");
    monthInput.max = LAYERS.months.length - 1;
    drawMonth();
  });
}
function layerMax(layer) { return Math.max(1e-9, ...Object.values(layer.values).flat()); }
function drawMonth() {
  if (!LAYERS) return;
  const month = Number(monthInput.value);
  const label = LAYERS.months[month];
  const warmup = LAYERS.report_start && label < LAYERS.report_start.slice(0, 7);
  monthLabel.textContent = label + (warmup ? " (warm-up, not reported)" : "");
  const routes = LAYERS.layers[routeSelect.value], places = LAYERS.layers[placeSelect.value];
  const legend = [];
  if (routes) {
    const top = layerMax(routes);
    for (const [name, line] of Object.entries(routeLines)) {
      const value = (routes.values[name] || [])[month] || 0;
      line.setAttribute("stroke-width", span * (ROUTE_BASE + ROUTE_EXTRA * (value / top)));
      line.querySelector("title").textContent = `${name}: ${number.format(value)} ${routes.units} (${routes.kind === "flow" ? "month's total" : "monthly mean"})`;
    }
    legend.push(`route width: ${routes.label} (largest ${number.format(top)} ${routes.units})`);
  }
  if (places) {
    const top = layerMax(places);
    for (const [name, circle] of Object.entries(bubbles)) {
      const value = (places.values[name] || [])[month] || 0;
      circle.setAttribute("r", span * DATA.map.bubble_radius * Math.sqrt(value / top));
      circle.querySelector("title").textContent = `${name}: ${number.format(value)} ${places.units}`;
    }
    legend.push(`circle area: ${places.label} (largest ${number.format(top)} ${places.units})`);
  }
  const box = document.getElementById("map-legend");
  box.textContent = legend.join("; ") + ". Route colours: ";
  for (const [mode, colour] of Object.entries(DATA.map.modes)) {
    const swatch = document.createElement("span");
    swatch.textContent = `■ ${mode} `; swatch.style.color = colour;
    box.appendChild(swatch);
  }
}
monthInput.addEventListener("input", drawMonth);
routeSelect.addEventListener("change", drawMonth);
placeSelect.addEventListener("change", drawMonth);
let playing = null;
document.getElementById("play").addEventListener("click", (event) => {
  if (playing) { clearInterval(playing); playing = null; event.target.textContent = "▶ play"; return; }
  event.target.textContent = "❚❚ pause";
  playing = setInterval(() => { monthInput.value = (Number(monthInput.value) + 1) % (Number(monthInput.max) + 1); drawMonth(); }, 400);
});
loadLayers();

// ---- levers: search, changed values, located errors
const inputs = [...document.querySelectorAll("input[data-lever]")];
document.getElementById("lever-search").addEventListener("input", (event) => {
  const words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
  for (const lever of document.querySelectorAll(".lever")) {
    const hit = words.every((word) => lever.dataset.search.includes(word));
    lever.classList.toggle("hidden", !hit);
  }
  for (const group of document.querySelectorAll(".mechanism")) {
    const any = group.querySelector(".lever:not(.hidden)");
    group.classList.toggle("hidden", !any);
    if (words.length && any) group.open = true;
  }
});
for (const input of inputs) input.addEventListener("input", () => input.classList.toggle("changed", input.value.trim() !== input.dataset.start));
function leverBox(name) { return document.querySelector(`.lever[data-lever="${CSS.escape(name)}"]`); }
function clearErrors() {
  for (const p of document.querySelectorAll(".lever-error")) p.textContent = "";
  for (const input of inputs) input.classList.remove("invalid");
}
function settings() {
  return inputs.filter((input) => input.value.trim() !== input.dataset.start).map((input) =>
    input.dataset.where ? `${input.dataset.lever}[${input.dataset.where}]=${input.value.trim()}` : `${input.dataset.lever}=${input.value.trim()}`);
}

// ---- what-if
const runButton = document.getElementById("run"), progress = document.getElementById("progress"), progressLabel = document.getElementById("progress-label");
runButton.addEventListener("click", async () => {
  clearErrors();
  const sets = settings();
  const response = await fetch("/api/whatif", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ sets }) });
  const body = await response.json();
  if (!response.ok) { showError(body); return; }
  runButton.disabled = true;
  progress.hidden = false;
  poll(body.job, 0);
});
function showError(body) {
  const box = body.lever && leverBox(body.lever);
  if (box) {
    box.querySelector(".lever-error").textContent = body.error;
    for (const input of box.querySelectorAll("input")) if (input.classList.contains("changed")) input.classList.add("invalid");
    box.closest("details.mechanism").open = true;
    box.scrollIntoView({ block: "center" });
  } else document.getElementById("run-error").textContent = body.error;
}
// the result of the seeds paired so far is shown as soon as it comes, and redrawn as more seeds finish
async function poll(job, shown) {
  const body = await (await fetch(`/api/whatif/${job}`)).json();
  progress.max = body.total; progress.value = body.done;
  const members = body.result ? body.result.members : 0;
  if (members > shown) showResult(job, body.result);
  const moved = body.result && (body.result.sets.length ? `; moved: ${body.result.sets.join(", ")}` : "; no lever moved (the what-if is the baseline)");
  if (body.status === "running") {
    progressLabel.textContent = `${body.done} of ${body.total} runs` + (members ? `; shown: ${members} paired seeds, refining${moved}` : "");
    setTimeout(() => poll(job, Math.max(shown, members)), 500);
    return;
  }
  runButton.disabled = false;
  progress.hidden = true;
  if (body.status === "error") { document.getElementById("run-error").textContent = body.error; return; }
  progressLabel.textContent = `done: ${members} paired seeds${moved}`;
}
function showResult(job, result) {
  const summary = document.getElementById("summary");
  summary.innerHTML = "";
  for (const output of result.outputs) {
    const li = document.createElement("li");
    li.className = "sentence"; li.dataset.output = output.name; li.textContent = output.sentence;
    summary.appendChild(li);
  }
  document.getElementById("downloads").innerHTML = result.final === false ? "downloads when every seed has run" :
    `download: <a href="/api/whatif/${job}/comparison.nc">comparison (NetCDF)</a> · <a href="/api/whatif/${job}/comparison.csv">comparison (CSV)</a> · <a href="/api/whatif/${job}/overrides.yaml">lever settings (YAML parameters block)</a>`;
  const charts = document.getElementById("charts");
  charts.innerHTML = "";
  for (const output of result.outputs) {
    const box = document.createElement("div");
    box.className = "chart"; box.dataset.output = output.name;
    box.innerHTML = `<h3>${output.label} (${output.units})</h3><div class="pair"><div class="levels"></div><div class="difference"></div></div>`;
    charts.appendChild(box);
    const series = [
      { key: "baseline", label: "baseline (median)", values: output.baseline, colour: "#777" },
      { key: "whatif", label: "what-if (median)", values: output.whatif, colour: "#1f62b4" },
    ];
    if (output.observed) series.push({ key: "observed", label: "observed", values: output.observed, colour: "#000", dots: true });
    chart(box.querySelector(".levels"), result.months, series, [], output.units);
    const d = output.difference;
    chart(box.querySelector(".difference"), result.months, [{ key: "difference", label: "what-if − baseline (median)", values: d.median, colour: "#c0392b" }],
      [{ low: d.q05, high: d.q95, colour: "#c0392b", opacity: 0.15, label: "90% band" }, { low: d.q25, high: d.q75, colour: "#c0392b", opacity: 0.3, label: "50% band" }], output.units, true);
  }
}
function niceTicks(low, high, count = 4) {
  const step0 = (high - low) / count || 1;
  const magnitude = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= step0);
  const ticks = [];
  for (let v = Math.ceil(low / step) * step; v <= high; v += step) ticks.push(v);
  return ticks;
}
function chart(box, months, series, bands, units, zeroLine = false) {
  const W = 560, H = 220, L = 64, R = 10, T = 22, B = 24;
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img" });
  box.appendChild(svg);
  const all = series.flatMap((s) => s.values).concat(bands.flatMap((b) => b.low.concat(b.high))).filter((v) => v !== null);
  let low = Math.min(0, ...all), high = Math.max(...all);
  if (high === low) high = low + 1;
  const x = (i) => L + ((W - L - R) * i) / Math.max(1, months.length - 1);
  const y = (v) => T + (H - T - B) * (1 - (v - low) / (high - low));
  for (const tick of niceTicks(low, high)) {
    el("line", { class: "axis", x1: L, x2: W - R, y1: y(tick), y2: y(tick), "stroke-opacity": 0.2 }, svg);
    el("text", { x: L - 4, y: y(tick) + 4, "text-anchor": "end" }, svg).textContent = number.format(tick);
  }
  el("text", { x: 4, y: 12 }, svg).textContent = units;
  const short = months.length <= 24; // label quarters in a short run, years in a long one
  months.forEach((month, i) => {
    const quarter = /-(01|04|07|10)$/.test(month);
    if (short ? quarter : month.endsWith("-01")) el("text", { x: x(i), y: H - 6, "text-anchor": "middle" }, svg).textContent = short ? month : month.slice(0, 4);
  });
  for (const event of DATA.events) {
    const i = months.indexOf(event.month);
    if (i >= 0) titled(el("line", { class: "event", x1: x(i), x2: x(i), y1: T, y2: H - B }, svg), event.label);
  }
  if (zeroLine) el("line", { class: "axis", x1: L, x2: W - R, y1: y(0), y2: y(0) }, svg);
  const legend = document.createElement("div");
  const toggles = [];
  for (const band of bands) {
    const upper = band.high.map((v, i) => `${x(i)},${y(v)}`), lower = band.low.map((v, i) => `${x(i)},${y(v)}`).reverse();
    const g = el("g", {}, svg);
    el("polygon", { points: upper.concat(lower).join(" "), fill: band.colour, "fill-opacity": band.opacity }, g);
    toggles.push([band.label, g, band.colour]);
  }
  for (const s of series) {
    const g = el("g", { "data-series": s.key }, svg);
    const points = s.values.map((v, i) => (v === null ? null : [x(i), y(v), v, i])).filter(Boolean);
    if (!s.dots) el("polyline", { points: points.map(([px, py]) => `${px},${py}`).join(" "), fill: "none", stroke: s.colour, "stroke-width": 2 }, g);
    for (const [px, py, v, i] of points) {
      titled(el("circle", { cx: px, cy: py, r: s.dots ? 2.5 : 3, fill: s.colour, "fill-opacity": s.dots ? 1 : 0 }, g), `${months[i]} ${s.label}: ${number.format(v)} ${units}`);
    }
    toggles.push([s.label, g, s.colour]);
  }
  for (const [label, g, colour] of toggles) {
    const span = document.createElement("span");
    span.className = "series-toggle"; span.textContent = "■ " + label; span.style.color = colour;
    span.addEventListener("click", () => { const off = span.classList.toggle("off"); g.style.display = off ? "none" : ""; });
    legend.appendChild(span);
  }
  box.appendChild(legend);
}
