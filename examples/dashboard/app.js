// The dashboard: the sample town's plan indicators per unit, their trends, and the Decision 766
// scorecard; the user's own CSV is processed in a Web Worker (worker.js). Everything is computed
// by the chiso WebAssembly package in the browser: nothing is sent anywhere.
import init, * as chiso from "./vendor/chiso-wasm/index.js";
import { capitalise, fill, groupName, messageText, metricName, reasonText, rejectionLine, statusLabel, word } from "./i18n.js";
import { periodX, seriesChart, trendChart } from "./chart.js";

const params = new URLSearchParams(location.search);
const state = {
  lang: params.get("lang") === "en" ? "en" : "vi",
  asOf: params.get("asOf") || todayInVietnam(),
  unit: params.get("unit") || null,
  proRata: params.get("proRata") === "1",
  byRole: null,
  plan: null,
  units: [],
  evaluation: null,
  source: "sample",
  scorecard: null,
  scorecardSource: "sample",
  series: null,
  seriesError: null,
  /** The message that scored the scorecard shown: an explanation reads the same records again. */
  scoreMessage: null,
  /** The records behind a scorecard cell: { unit, metric, result | error } while shown. */
  explain: null,
};
const sample = {};
let worker = null;
let jobs = 0;
const pending = new Map();

function todayInVietnam() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The month before the as-of date's (`YYYY-MM`): the last month whose dossiers are complete. */
function previousMonth(asOf) {
  const [y, m] = asOf.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The months shown in the series: the three up to the last complete one (`2026-08..2026-10`). */
const SERIES_MONTHS = 3;

function seriesMonths(asOf) {
  const months = [previousMonth(asOf)];
  while (months.length < SERIES_MONTHS) months.unshift(previousMonth(`${months[0]}-01`));
  return months;
}

const t = (key) => word(state.lang, key);
/** A word that starts a heading, a label or a line. */
const T = (key) => capitalise(t(key), state.lang);
const $ = (sel) => document.querySelector(sel);
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}
const fmt = (n) => (n === null || n === undefined ? "–" : new Intl.NumberFormat(state.lang === "vi" ? "vi-VN" : "en-GB").format(n));

// --- worker ---------------------------------------------------------------------------------------

function run(message, onProgress) {
  if (!worker) {
    worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      const job = pending.get(data.id);
      if (!job) return;
      if (data.kind === "progress") job.onProgress?.(data.done, data.total);
      else {
        pending.delete(data.id);
        if (data.kind === "error") job.reject(Object.assign(new Error(data.message), { code: data.code }));
        else job.resolve(data.result);
      }
    };
    // A worker that cannot start (its module failed to load) fails every job it was given.
    worker.onerror = (e) => {
      e.preventDefault?.();
      for (const [id, job] of pending) {
        pending.delete(id);
        job.reject(Object.assign(new Error(e.message || "the worker failed"), { code: "worker" }));
      }
      worker = null;
    };
  }
  const id = ++jobs;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ id, ...message });
  });
}

// --- evaluation -------------------------------------------------------------------------------------

function evaluateSample() {
  const input = { unitsCsv: sample.units, observationsCsv: sample.observations, asOf: state.asOf, proRata: state.proRata };
  state.evaluation = chiso.evaluate(input);
  state.byRole = chiso.reportByRole(input);
  state.units = chiso.units(sample.units).units;
  state.source = "sample";
}

function unitName(id) {
  return state.units.find((u) => u.id === id)?.name ?? id;
}

function indicatorOf(id) {
  return state.plan.indicators.find((i) => i.id === id);
}

/** The units shown: those of units.csv that have results, in tree order, and any others after. */
function shownUnits() {
  const withResults = new Set(state.evaluation.results.map((r) => r.unit));
  const known = state.units.filter((u) => withResults.has(u.id));
  const knownIds = new Set(known.map((u) => u.id));
  const extra = [...withResults].filter((id) => !knownIds.has(id)).map((id) => ({ id, name: id, parent: null, level: "" }));
  return [...known, ...extra];
}

/** One card per indicator: its latest result (nearest deadline on a tie) and the others. */
function cardsFor(unit) {
  const byIndicator = new Map();
  for (const r of state.evaluation.results) {
    if (r.unit !== unit) continue;
    if (!byIndicator.has(r.indicator)) byIndicator.set(r.indicator, []);
    byIndicator.get(r.indicator).push(r);
  }
  return [...byIndicator.entries()].map(([indicator, results]) => {
    const sorted = [...results].sort((a, b) => periodX(b.period) - periodX(a.period) || a.deadline.localeCompare(b.deadline));
    return { indicator, headline: sorted[0], results };
  });
}

/** A failure as the page shows it: its stable code, then its message in the page's language. */
function errorText(e) {
  return `${e.code ?? "error"}: ${messageText(state.lang, e.message ?? e)}`;
}

/** How many rows to list under a result; the rest are counted. */
const SHOWN_REJECTED = 20;

/** The rejected rows: how many, then the first ones, each in the page's language. */
function rejectedView(rejected) {
  const summary = `${T("rejected")}: ${rejected.length || t("none")}`;
  if (!rejected.length) return h("p", { class: "rejected" }, summary);
  const more = rejected.length - SHOWN_REJECTED;
  return h("details", { class: "rejected" }, h("summary", {}, summary),
    h("ul", {}, rejected.slice(0, SHOWN_REJECTED).map((r) => h("li", { class: "rejection", dataset: { row: r.row } }, rejectionLine(state.lang, r))),
      more > 0 ? h("li", {}, `… +${fmt(more)}`) : null));
}

function statusChip(status) {
  return h("span", { class: `status status-${status}`, dataset: { status } }, statusLabel(state.lang, status));
}

function progressBar(r) {
  const value = r.percent ?? 0;
  const bar = h("div", { class: "bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": value },
    h("div", { class: `fill status-${r.status}`, style: `width:${Math.min(100, Math.max(0, value))}%` }));
  if (r.threshold !== null) {
    bar.append(h("div", { class: "target-mark", style: `left:${Math.min(100, r.threshold)}%`, title: `${t("target")} ${r.threshold}%` }));
  }
  return bar;
}

function card({ indicator, headline: r, results }) {
  const def = indicatorOf(indicator);
  const label = def ? def.label[state.lang] : indicator;
  const comparison = r.comparison === "improves" ? "↗" : r.comparison;
  const others = results.filter((x) => x !== r);
  return h("article", {
      class: "card",
      dataset: { unit: r.unit, indicator, target: r.target, period: r.period, status: r.status,
        percent: r.percent ?? "", numerator: r.numerator ?? "", denominator: r.denominator ?? "",
        gap: r.gap ?? "", deadline: r.deadline },
    },
    h("header", {}, h("h3", {}, label), statusChip(r.status)),
    h("div", { class: "value" },
      h("span", { class: "percent" }, r.percent === null ? t("noValue") : `${fmt(r.percent)}%`),
      h("span", { class: "ratio" }, r.numerator === null ? "" : `${fmt(r.numerator)} / ${fmt(r.denominator)}`)),
    progressBar(r),
    h("dl", {},
      h("dt", {}, t("target")), h("dd", {}, r.threshold === null ? "–" : `${comparison} ${fmt(r.threshold)}%`),
      h("dt", {}, t("gap")), h("dd", { class: "gap" }, fmt(r.gap)),
      h("dt", {}, t("deadline")), h("dd", { class: "deadline" }, r.deadline),
      h("dt", {}, t("period")), h("dd", {}, r.period),
      r.pro_rata ? [h("dt", {}, "∝"), h("dd", { class: "pro-rata", dataset: { expected: r.pro_rata.expected_numerator } },
        fill(t("proRataNote"), { elapsed: r.pro_rata.elapsed_days, days: r.pro_rata.period_days,
          expected: fmt(r.pro_rata.expected_numerator), denominator: fmt(r.denominator) }))] : null,
      r.rank !== null ? [h("dt", {}, t("rank")), h("dd", {}, String(r.rank))] : null),
    others.length ? h("ul", { class: "history" }, others.map((o) =>
      h("li", { dataset: { target: o.target, period: o.period } }, `${o.period}: ${o.percent === null ? "–" : fmt(o.percent) + "%"} `, statusChip(o.status)))) : null,
    r.reason ? h("p", { class: "reason", dataset: { reason: r.reason_code ?? "" } }, capitalise(reasonText(state.lang, r.reason_code, r.reason), state.lang)) : null);
}

/** Who must act: each role of the plan with its current results, most urgent first (the core's order). */
function rolesView(report) {
  if (!report) return h("p", {}, "–");
  const row = (r) => h("tr", { dataset: { unit: r.unit, indicator: r.indicator, status: r.status } },
    h("td", {}, unitName(r.unit)),
    h("td", {}, indicatorOf(r.indicator)?.label[state.lang] ?? r.indicator),
    h("td", {}, r.period),
    h("td", { class: "num" }, r.numerator === null ? "–" : `${fmt(r.numerator)} / ${fmt(r.denominator)}`),
    h("td", {}, statusChip(r.status)),
    h("td", { class: "num" }, fmt(r.gap)));
  const section = (id, name, attention, results) => h("details", { class: "role", dataset: { role: id, attention }, open: attention > 0 },
    h("summary", {}, `${name} — `, results.length ? fill(t("roleAttention"), { count: attention }) : t("roleNothing")),
    results.length ? h("table", {}, h("tbody", {}, results.map(row))) : null);
  const groups = report.roles.map((g) => section(g.id, g.label[state.lang], g.attention, g.results));
  if (report.unassigned.length) groups.push(section("", T("unassigned"), 0, report.unassigned));
  return h("div", {}, groups);
}

function trend({ indicator, headline, results }) {
  const def = indicatorOf(indicator);
  const observed = new Map();
  for (const r of results) if (r.percent !== null) observed.set(r.period, r.percent);
  const projection = results.find((r) => r.projection)?.projection ?? null;
  if (projection) for (const [p, v] of projection.series) if (!observed.has(p)) observed.set(p, v);
  const points = [...observed.entries()].map(([p, y]) => ({ x: periodX(p), y, label: p }));
  const deadlineYear = Number(headline.deadline.slice(0, 4));
  return h("figure", { class: "trend-figure", dataset: { indicator } },
    trendChart({
      observed: points,
      projected: projection ? { x: projection.target_year, y: projection.projected_percent, label: String(projection.target_year) } : null,
      threshold: headline.threshold,
      deadlineX: projection ? projection.target_year : deadlineYear,
      title: def ? def.label[state.lang] : indicator,
      projectionLabel: t("projectedTo"),
      thresholdLabel: t("threshold"),
    }),
    h("figcaption", {}, def ? def.label[state.lang] : indicator,
      projection ? h("span", { class: "projection-note" }, ` — ${t("projectedTo")} ${projection.target_year}: ${fmt(projection.projected_percent)}%`) : null));
}

function unitTree(units) {
  const children = new Map();
  const ids = new Set(units.map((u) => u.id));
  for (const u of units) {
    const parent = u.parent && ids.has(u.parent) ? u.parent : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(u);
  }
  const branch = (parent) => {
    const list = children.get(parent);
    if (!list) return null;
    return h("ul", {}, list.map((u) => h("li", {},
      h("button", { class: u.id === state.unit ? "unit selected" : "unit", dataset: { unit: u.id }, "aria-pressed": u.id === state.unit,
        onclick: () => { state.unit = u.id; render(); } }, u.name),
      branch(u.id))));
  };
  return branch(null);
}

// --- scorecard ------------------------------------------------------------------------------------

function scorecardView(card) {
  if (state.scorecardError) return h("p", { class: "fatal", role: "alert" }, errorText(state.scorecardError));
  if (!card) return h("p", {}, t("loading"));
  // Unranked (incomplete) units after the ranked ones of their level.
  const rankKey = (u) => u.rank ?? Number.MAX_SAFE_INTEGER;
  const units = [...card.units].sort((a, b) => a.level.localeCompare(b.level) || rankKey(a) - rankKey(b));
  const rankText = (r) => (r === null ? "—" : String(r));
  const completeText = (u) => (u.complete ? t("completeYes")
    : t("completeNo").replace("{missing}", String(u.missing.length)).replace("{invalid}", String(u.invalid.length)));
  const statusWord = { missing: "metricMissing", invalid: "metricInvalid", published: "metricPublished" };
  const ratioText = (m) => (m.status in statusWord ? t(statusWord[m.status])
    : `${fmt(m.numerator)}/${fmt(m.denominator)} = ${m.percent === null ? "–" : fmt(m.percent) + "%"}`);
  const groups = card.units[0]?.groups.map((g) => g.code) ?? [];
  return h("div", { class: "scorecard", dataset: { profile: card.profile, period: card.period, source: state.scorecardSource } },
    h("p", { class: "meta" }, `${state.scorecardSource === "file" ? `${t("yourFile")}: ${state.scorecardFile}` : t("sampleScorecard")} · `
      + `${t("profile")}: ${card.profile} · ${t("period")}: ${card.period}`),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, t("rank")), h("th", {}, t("unit")), h("th", {}, t("total")), groups.map((g) => h("th", { title: groupName(state.lang, card.profile, g) }, g)), h("th", {}, t("completeColumn")))),
      h("tbody", {}, units.map((u) => h("tr", { dataset: { unit: u.unit, total: u.total, rank: u.rank ?? "", complete: u.complete } },
        h("td", {}, rankText(u.rank)),
        h("td", {}, u.name ?? unitName(u.unit)),
        h("td", { class: "total" }, fmt(u.total)),
        u.groups.map((g) => h("td", { dataset: { group: g.code, score: g.score } }, `${fmt(g.score)} / ${fmt(g.max)}`)),
        h("td", { class: u.complete ? "complete" : "incomplete" }, completeText(u)))))),
    units.map((u) => h("details", { dataset: { unit: u.unit }, open: units.length === 1 || state.explain?.unit === u.unit }, h("summary", {}, u.name ?? unitName(u.unit)),
      gainView(u),
      u.groups.map((g) => h("section", {}, h("h4", {}, `${g.code} — ${groupName(state.lang, card.profile, g.code)}: ${fmt(g.score)} / ${fmt(g.max)} (${t("rank")} ${rankText(g.rank)})`),
        h("ul", {}, g.metrics.map((m) => h("li", { dataset: { metric: m.code, status: m.status } },
          `${metricName(state.lang, m.code)} (${m.code}): ${ratioText(m)} → ${fmt(m.score)} / ${fmt(m.max)}`,
          explainButton(card, u, m), explainView(u, m)))))))),
    rejectedView(card.rejected));
}

// --- the records behind a number ------------------------------------------------------------------

/** The most records an explanation lists on the page (the totals count every one). */
const EXPLAIN_LIMIT = 200;

/** A button on a scored metric that falls short: it lists the records behind the shortfall. */
function explainButton(card, u, m) {
  if (m.status !== "scored" || m.numerator >= m.denominator || !state.scoreMessage) return null;
  return h("button", { class: "explain", type: "button", title: T("explainOpen"), dataset: { unit: u.unit, metric: m.code },
    onclick: () => explainCell(card, u.unit, m.code) }, `${T("explainOpen")} (${fmt(m.denominator - m.numerator)})`);
}

/** Reads the scorecard's records again, opened to explain `metric` of `unit`, in the worker. */
async function explainCell(card, unit, metric) {
  if (state.explain?.unit === unit && state.explain?.metric === metric) {
    state.explain = null; // a second click closes the list
    render();
    return;
  }
  state.explain = { unit, metric };
  render();
  try {
    const result = await run({ ...state.scoreMessage, kind: "explain", period: card.period, explain: { unit, metric, limit: EXPLAIN_LIMIT } });
    if (state.explain?.unit === unit && state.explain?.metric === metric) state.explain.result = result;
  } catch (e) {
    if (state.explain?.unit === unit && state.explain?.metric === metric) state.explain.error = e;
  }
  render();
}

/** The list behind a cell, under its metric, when it is the one asked for. */
function explainView(u, m) {
  const x = state.explain;
  if (!x || x.unit !== u.unit || x.metric !== m.code) return null;
  if (x.error) return h("p", { class: "fatal", role: "alert" }, errorText(x.error));
  const e = x.result;
  if (!e) return h("p", { class: "explain-list" }, t("loading"));
  const heading = fill(t("explainHeading"), { metric: e.metric, unit: unitName(e.unit), period: e.period,
    numerator: fmt(e.numerator), denominator: fmt(e.denominator), shortfall: fmt(e.total_shortfall) });
  const listed = fill(t("explainListed"), { listed: fmt(e.listed), total: fmt(e.total_shortfall) });
  const columns = ["sourceFile", "rowNumber", "recordId", "unit", "procedureColumn", "reason", "receivedAt", "dueAt",
    "finishedAt", "supplementRequests", "supplementDays", "channelColumn"];
  const text = (v) => v ?? "";
  return h("div", { class: "explain-list", dataset: { unit: e.unit, metric: e.metric, total: e.total_shortfall, listed: e.listed } },
    h("p", {}, `${capitalise(heading, state.lang)} (${listed})`,
      h("button", { type: "button", class: "close", onclick: () => { state.explain = null; render(); } }, t("explainClose"))),
    e.items.length === 0 ? h("p", {}, capitalise(t("explainNothing"), state.lang)) : h("table", {},
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, T(c))))),
      h("tbody", {}, e.items.map((i) => h("tr", { dataset: { id: i.id, row: i.row ?? "", reason: i.reason } },
        [i.file, i.row, i.id, i.unit, i.procedure, i[`reason_${state.lang}`], i.received_at, i.due_at, i.finished_at,
          i.supplement_requests, i.supplement_days, i.channel].map((v) => h("td", {}, String(text(v)))))))));
}

// --- series -------------------------------------------------------------------------------------

/**
 * A score and its change from the previous period: `82.52 (+8.39)`; `—` where the unit is absent;
 * `*` after the score of an incomplete unit (a missing or invalid metric scored 0).
 */
function scoreWithChange(score, change, complete) {
  if (score === null) return "—";
  const shown = `${fmt(score)}${complete === false ? "*" : ""}`;
  if (change === null) return shown;
  const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
  return `${shown} (${sign}${fmt(Math.abs(change))})`;
}

function seriesView(series) {
  if (state.seriesError) return h("p", { class: "fatal", role: "alert" }, errorText(state.seriesError));
  if (!series) return h("p", {}, t("loading"));
  const label = (u) => u.name ?? unitName(u.unit);
  const chart = seriesChart({
    title: T("totalsOverTime"),
    lines: series.changes.map((u) => ({
      label: label(u),
      points: u.totals.map((y, i) => (y === null ? null : { x: periodX(series.periods[i]), y, label: series.periods[i] })),
    })),
  });
  return h("div", { class: "series", dataset: { periods: series.periods.join(" "), profile: series.profile } },
    h("figure", { class: "trend-figure series-figure" }, chart,
      h("figcaption", {}, `${T("totalsOverTime")} · ${t("profile")}: ${series.profile}`)),
    h("table", { class: "series-totals" },
      h("thead", {}, h("tr", {}, h("th", {}, t("unit")), series.periods.map((p) => h("th", {}, p)))),
      h("tbody", {}, series.changes.map((u) => h("tr", { dataset: { unit: u.unit } },
        h("td", {}, label(u)),
        u.totals.map((total, i) => h("td", {
          class: "total",
          dataset: { period: series.periods[i], total: total ?? "", change: u.total_changes[i] ?? "", complete: u.complete[i] ?? "" },
        }, scoreWithChange(total, u.total_changes[i], u.complete[i]))))))),
    h("p", { class: "meta" }, capitalise(t("seriesNote"), state.lang)),
    groupMatrices(series, label));
}

/** One folded unit × period table per group, as the CLI prints them. */
function groupMatrices(series, label) {
  const codes = series.changes[0]?.groups.map((g) => g.code) ?? [];
  return codes.map((code) => h("details", { class: "series-group", dataset: { group: code } },
    h("summary", {}, `${code} — ${groupName(state.lang, series.profile, code)}`),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, t("unit")), series.periods.map((p) => h("th", {}, p)))),
      h("tbody", {}, series.changes.map((u) => {
        const g = u.groups.find((x) => x.code === code);
        return h("tr", { dataset: { unit: u.unit } }, h("td", {}, label(u)),
          series.periods.map((p, i) => h("td", { class: "total", dataset: { period: p, score: g?.scores[i] ?? "" } },
            scoreWithChange(g?.scores[i] ?? null, g?.changes[i] ?? null, u.complete[i]))));
      })))));
}

async function scoreSeries() {
  state.series = null;
  state.seriesError = null;
  render();
  const months = seriesMonths(state.asOf);
  // The sample's counts are for one month: given only when the range holds it.
  const countsPeriod = JSON.parse(sample.counts).period;
  try {
    state.series = await run({
      kind: "score", url: new URL("./sample/dossiers.csv", location.href).href,
      period: `${months[0]}..${months[months.length - 1]}`,
      unitsCsv: sample.units, proceduresCsv: sample.procedures, feedbackCsv: sample.feedback,
      countsJson: months.includes(countsPeriod) ? sample.counts : undefined,
    });
  } catch (e) {
    state.seriesError = e;
  }
  render();
}

/**
 * A unit's metrics that lost points, cheapest first, in the order of the core's
 * `score766::points_to_gain` (and so of `chiso score766`'s table): fewest units for the next point
 * (none last), then more points lost, then fewest units to the maximum, then the profile's order.
 */
function pointsToGain(u) {
  const units = (n) => (n === null ? Infinity : n);
  return u.groups.flatMap((g) => g.metrics).filter((m) => m.gain && m.gain.lost > 0)
    .map((m, i) => [m, i])
    .sort(([a, i], [b, j]) => (units(a.gain.next_point) - units(b.gain.next_point) || 0)
      || b.gain.lost - a.gain.lost || (units(a.gain.to_max) - units(b.gain.to_max) || 0) || i - j)
    .map(([m]) => m);
}

/** What the unit's officials can act on: the points each metric lost and the counts that gain them. */
function gainView(u) {
  const list = pointsToGain(u);
  const more = (n) => (n === null ? "–" : `+${fmt(n)}`);
  return h("section", { class: "gain", dataset: { unit: u.unit } },
    h("h4", {}, T("pointsToGain")),
    h("p", { class: "meta" }, t("gainNote")),
    list.length === 0 ? h("p", {}, t("nothingToGain")) : h("table", {},
      h("thead", {}, h("tr", {}, ["metric", "points", "pointsLost", "unitsNextPoint", "unitsToMax"].map((k) => h("th", {}, T(k))))),
      h("tbody", {}, list.map((m) => h("tr", {
        dataset: { metric: m.code, lost: m.gain.lost, nextPoint: m.gain.next_point ?? "", toMax: m.gain.to_max ?? "" },
      },
      h("td", {}, `${metricName(state.lang, m.code)} (${m.code})`),
      h("td", {}, `${fmt(m.score)} / ${fmt(m.max)}`),
      h("td", {}, fmt(m.gain.lost)),
      h("td", { class: "count" }, m.gain.next_point === null ? `– (${t("noCountToGain")})` : more(m.gain.next_point)),
      h("td", { class: "count" }, more(m.gain.to_max)))))));
}

async function scoreSample() {
  state.scorecard = null;
  state.scorecardError = null;
  state.scorecardSource = "sample";
  render();
  state.explain = null;
  try {
    const message = {
      kind: "score", url: new URL("./sample/dossiers.csv", location.href).href, period: previousMonth(state.asOf),
      unitsCsv: sample.units, proceduresCsv: sample.procedures, feedbackCsv: sample.feedback, countsJson: sample.counts,
    };
    state.scorecard = await run(message);
    state.scoreMessage = message;
  } catch (e) {
    state.scorecardError = e;
  }
  render();
}

// --- the user's file ----------------------------------------------------------------------------

async function loadFile(file) {
  const progress = $("#file-progress");
  const status = $("#file-status");
  progress.value = 0;
  progress.max = file.size || 1;
  status.textContent = `${t("processing")} ${file.name}…`;
  status.dataset.state = "busy";
  const onProgress = (done, total) => { progress.max = total || 1; progress.value = done; };
  try {
    const head = new TextDecoder().decode(await file.slice(0, 4096).arrayBuffer()).split(/\r?\n/)[0].toLowerCase();
    const columns = head.replace(/^\ufeff/, "").split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
    const useSample = $("#use-sample-context").checked;
    if (columns.includes("dossier_id")) {
      state.scorecardSource = "file";
      state.scorecardFile = file.name;
      const message = {
        kind: "score", file, period: $("#period").value || previousMonth(state.asOf),
        profile: $("#profile").value,
        unitsCsv: useSample ? sample.units : undefined, proceduresCsv: useSample ? sample.procedures : undefined,
      };
      state.explain = null;
      state.scorecard = await run(message, onProgress);
      state.scoreMessage = message;
      render();
      $("#scorecard").scrollIntoView();
    } else if (columns.includes("indicator")) {
      const done = await run({ kind: "evaluate", file, asOf: state.asOf, proRata: state.proRata,
        unitsCsv: useSample ? sample.units : undefined }, onProgress);
      state.evaluation = done.evaluation;
      state.byRole = done.byRole;
      state.source = "file";
      state.unit = null;
      render();
    } else {
      throw Object.assign(new Error(t("unknownFile")), { code: "unknown_file" });
    }
    progress.value = progress.max;
    status.textContent = `${t("done")}: ${file.name}`;
    status.dataset.state = "done";
  } catch (e) {
    status.textContent = errorText(e);
    status.dataset.state = "error";
  }
}

// --- page ---------------------------------------------------------------------------------------

function render() {
  document.documentElement.lang = state.lang;
  document.title = `chiso — ${T("title")}`;
  $(".lang").setAttribute("aria-label", T("language"));
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = T(node.dataset.text);
  $("#as-of").value = state.asOf;
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
  const units = shownUnits();
  if (!state.unit || !units.some((u) => u.id === state.unit)) state.unit = units[0]?.id ?? null;
  $("#unit-tree").replaceChildren(unitTree(units) ?? "");
  const cards = state.unit ? cardsFor(state.unit) : [];
  $("#unit-title").textContent = state.unit ? unitName(state.unit) : "";
  $("#cards").replaceChildren(...cards.map(card));
  $("#trends").replaceChildren(...cards.map(trend));
  $("#evaluation-rejected").replaceChildren(rejectedView(state.evaluation.rejected));
  $("#roles-body").replaceChildren(rolesView(state.byRole));
  $("#pro-rata").checked = state.proRata;
  $("#scorecard-body").replaceChildren(scorecardView(state.scorecard));
  $("#series-body").replaceChildren(seriesView(state.series));
  const scored = (state.scorecard || state.scorecardError) && (state.series || state.seriesError);
  document.body.dataset.ready = scored ? "all" : "evaluation";
  document.body.dataset.unit = state.unit ?? "";
  document.body.dataset.lang = state.lang;
}

async function main() {
  await init({ module_or_path: new URL("./vendor/chiso-wasm/chiso_wasm_bg.wasm", import.meta.url) });
  $("#version").textContent = `chiso ${chiso.version()}`;
  const names = { units: "units.csv", observations: "observations.csv", procedures: "procedures.csv", feedback: "feedback.csv", counts: "counts.json" };
  await Promise.all(Object.entries(names).map(async ([k, f]) => { sample[k] = await (await fetch(`./sample/${f}`)).text(); }));
  state.plan = chiso.builtinPlan();
  evaluateSample();
  $("#period").value = previousMonth(state.asOf);
  $("#as-of").addEventListener("change", (e) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) return;
    state.asOf = e.target.value;
    evaluateSample();
    $("#period").value = previousMonth(state.asOf);
    render();
    scoreSample();
    scoreSeries();
  });
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => { state.lang = b.dataset.lang; render(); });
  $("#pro-rata").addEventListener("change", (e) => {
    state.proRata = e.target.checked;
    if (state.source === "sample") evaluateSample();
    render();
  });
  $("#file").addEventListener("change", (e) => { const f = e.target.files?.[0]; if (f) loadFile(f); });
  render();
  await Promise.all([scoreSample(), scoreSeries()]);
}

main().catch((e) => {
  document.body.dataset.ready = "error";
  let text;
  try {
    text = errorText(e);
  } catch {
    text = `${e.code ?? "error"}: ${e.message}`; // the package did not load: no catalogue to tell it with
  }
  $("#fatal").textContent = text;
  console.error(e);
});
