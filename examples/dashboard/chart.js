// A small SVG line chart: observed values, the projection to the deadline (dashed), the threshold
// and the deadline. No library, so the page works offline.

const NS = "http://www.w3.org/2000/svg";

/** A period (`2025`, `2025-Q3`, `2025-07`) as a fractional year, for the x axis. */
export function periodX(period) {
  const m = /^(\d{4})(?:-Q([1-4])|-(\d{2}))?$/.exec(period);
  if (!m) return NaN;
  const year = Number(m[1]);
  if (m[2]) return year + (Number(m[2]) - 1) / 4;
  if (m[3]) return year + (Number(m[3]) - 1) / 12;
  return year;
}

function el(name, attrs, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * @param {{ observed: {x: number, y: number, label: string}[], projected: {x: number, y: number, label: string} | null,
 *           threshold: number | null, deadlineX: number | null, title: string, projectionLabel: string,
 *           thresholdLabel: string }} data
 */
export function trendChart(data) {
  const W = 320, H = 160, L = 34, R = 16, T = 12, B = 22;
  const xs = data.observed.map((p) => p.x);
  if (data.projected) xs.push(data.projected.x);
  if (data.deadlineX !== null) xs.push(data.deadlineX);
  let x0 = Math.min(...xs), x1 = Math.max(...xs);
  if (!(x1 > x0)) { x0 -= 1; x1 += 1; }
  const ys = data.observed.map((p) => p.y);
  if (data.projected) ys.push(data.projected.y);
  if (data.threshold !== null) ys.push(data.threshold);
  let y0 = Math.max(0, Math.floor(Math.min(...ys, 100) / 10) * 10 - 10);
  const y1 = 100;
  if (!(y1 > y0)) y0 = 0;
  const px = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const py = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "trend", role: "img", "aria-label": data.title });
  svg.append(el("title", {}, data.title));
  for (const y of [y0, (y0 + y1) / 2, y1]) {
    svg.append(el("line", { x1: L, x2: W - R, y1: py(y), y2: py(y), class: "grid" }));
    svg.append(el("text", { x: L - 4, y: py(y) + 3, class: "tick", "text-anchor": "end" }, `${Math.round(y)}%`));
  }
  for (let year = Math.ceil(x0); year <= Math.floor(x1); year++) {
    svg.append(el("text", { x: px(year), y: H - 6, class: "tick", "text-anchor": "middle" }, String(year)));
  }
  if (data.threshold !== null) {
    svg.append(el("line", { x1: L, x2: W - R, y1: py(data.threshold), y2: py(data.threshold), class: "threshold" }));
    svg.append(el("text", { x: W - R, y: py(data.threshold) - 3, class: "tick", "text-anchor": "end" },
      `${data.thresholdLabel} ${data.threshold}%`));
  }
  if (data.deadlineX !== null) {
    svg.append(el("line", { x1: px(data.deadlineX), x2: px(data.deadlineX), y1: T, y2: H - B, class: "deadline" }));
  }
  const pts = [...data.observed].sort((a, b) => a.x - b.x);
  if (pts.length > 0) {
    svg.append(el("polyline", { points: pts.map((p) => `${px(p.x)},${py(p.y)}`).join(" "), class: "observed" }));
    for (const p of pts) {
      const dot = el("circle", { cx: px(p.x), cy: py(p.y), r: 3, class: "point" });
      dot.append(el("title", {}, `${p.label}: ${p.y}%`));
      svg.append(dot);
    }
  }
  if (data.projected && pts.length > 0) {
    const last = pts[pts.length - 1];
    svg.append(el("line", { x1: px(last.x), y1: py(last.y), x2: px(data.projected.x), y2: py(data.projected.y), class: "projected" }));
    const dot = el("circle", { cx: px(data.projected.x), cy: py(data.projected.y), r: 3, class: "projected-point" });
    dot.append(el("title", {}, `${data.projectionLabel} ${data.projected.label}: ${data.projected.y}%`));
    svg.append(dot);
  }
  return svg;
}

/**
 * Several lines on one set of axes: a Decision 766 series, one line per unit, its total per period
 * (a gap where the unit is absent). Points out of 100, no threshold.
 * @param {{ lines: {label: string, points: ({x: number, y: number, label: string} | null)[]}[], title: string }} data
 */
export function seriesChart(data) {
  const W = 480, H = 200, L = 34, R = 16, T = 12, B = 22;
  const all = data.lines.flatMap((l) => l.points.filter((p) => p !== null));
  const xs = all.map((p) => p.x);
  let x0 = Math.min(...xs), x1 = Math.max(...xs);
  if (!(x1 > x0)) { x0 -= 0.05; x1 += 0.05; }
  const y0 = Math.max(0, Math.floor(Math.min(...all.map((p) => p.y), 100) / 10) * 10 - 10);
  const y1 = 100;
  const px = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const py = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "trend series-chart", role: "img", "aria-label": data.title });
  svg.append(el("title", {}, data.title));
  for (const y of [y0, (y0 + y1) / 2, y1]) {
    svg.append(el("line", { x1: L, x2: W - R, y1: py(y), y2: py(y), class: "grid" }));
    svg.append(el("text", { x: L - 4, y: py(y) + 3, class: "tick", "text-anchor": "end" }, String(Math.round(y))));
  }
  const labels = new Map(all.map((p) => [p.x, p.label]));
  for (const [x, label] of labels) {
    svg.append(el("text", { x: px(x), y: H - 6, class: "tick", "text-anchor": "middle" }, label));
  }
  data.lines.forEach((line, i) => {
    const g = el("g", { class: `series-line series-${i % 6}`, "data-label": line.label });
    // One polyline per run of consecutive periods where the unit is listed.
    let run = [];
    const flush = () => {
      if (run.length > 1) g.append(el("polyline", { points: run.map((p) => `${px(p.x)},${py(p.y)}`).join(" "), class: "observed" }));
      run = [];
    };
    for (const p of line.points) {
      if (p === null) { flush(); continue; }
      run.push(p);
      const dot = el("circle", { cx: px(p.x), cy: py(p.y), r: 3, class: "point" });
      dot.append(el("title", {}, `${line.label} — ${p.label}: ${p.y}`));
      g.append(dot);
    }
    flush();
    svg.append(g);
  });
  return svg;
}
