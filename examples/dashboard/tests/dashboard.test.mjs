// The dashboard in headless Chromium (Playwright via playwright-core, driving /usr/bin/chromium),
// served from 127.0.0.1: it loads, shows the values `chiso evaluate --format json` gives for the
// sample town and its last three months' Decision 766 series, drills into a khóm, switches
// language, loads a dossier CSV through the file picker and shows the scorecard, with each unit's
// points to gain as the CLI lists them, and opens the records behind a scorecard cell as
// `chiso score766 explain` lists them. A screenshot of each view goes to $SCREENSHOTS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const dashboard = join(here, "..");
const root = join(dashboard, "..", "..");
const require = createRequire(join(root, "bindings-wasm", "package.json"));
const { chromium } = require("playwright-core");
const screenshots = process.env.SCREENSHOTS ?? join(root, "target", "dashboard-screenshots");
const sampleDir = join(root, "examples", "cli", "sample");
const AS_OF = "2026-11-28";
const cli = process.env.CHISO_BIN ? resolve(process.env.CHISO_BIN) : join(root, "target", "debug", "chiso");

let server, base, context, page, profileDir;
const problems = [];

/** The CLI's JSON output, run in the sample folder so that file names in rejections match the page's. */
function chisoJson(args) {
  return JSON.parse(execFileSync(cli, args, { cwd: sampleDir, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "ignore"] }));
}

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dashboard], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  base = await new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 10000);
    server.stdout.on("data", (d) => {
      log += d;
      const m = /port (\d+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}/`); }
    });
    server.on("exit", (code) => reject(new Error(`server exited ${code}: ${log}`)));
  });
  server.stderr.resume();
  profileDir = mkdtempSync(join(tmpdir(), "chiso-dashboard-"));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  // Offline: any request that leaves 127.0.0.1 is a failure (no CDN).
  await context.route((url) => url.hostname !== "127.0.0.1" && url.protocol !== "data:", (route) => {
    problems.push(`external request: ${route.request().url()}`);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
});

after(async () => {
  await context?.close();
  server?.kill();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

/** The cards shown, as the data the page rendered. */
async function cards() {
  return page.$$eval(".card", (nodes) => nodes.map((n) => ({ ...n.dataset, percentText: n.querySelector(".percent").textContent })));
}

function checkCards(shown, expected, unit) {
  const mine = expected.results.filter((r) => r.unit === unit);
  assert.equal(shown.length, new Set(mine.map((r) => r.indicator)).size, `${unit}: one card per indicator`);
  for (const c of shown) {
    assert.equal(c.unit, unit);
    const r = mine.find((x) => x.target === c.target && x.period === c.period);
    assert.ok(r, `${unit}: no CLI result for ${c.target} ${c.period}`);
    assert.equal(c.status, r.status, `${c.target} status`);
    assert.equal(c.percent, r.percent === null ? "" : String(r.percent), `${c.target} percent`);
    assert.equal(c.numerator, r.numerator === null ? "" : String(r.numerator));
    assert.equal(c.denominator, r.denominator === null ? "" : String(r.denominator));
    assert.equal(c.gap, r.gap === null ? "" : String(r.gap));
    assert.equal(c.deadline, r.deadline);
    if (r.percent !== null) {
      const shownNumber = Number(c.percentText.replace("%", "").replace(/\./g, "").replace(",", "."));
      assert.equal(shownNumber, r.percent, `${c.target}: the visible value`);
    }
  }
}

/**
 * The "points to gain" lists of `chiso score766 --format md --lang en`, by unit id: each metric's
 * code, points lost and the units for the next point and to the maximum, in the CLI's order.
 */
function cliPointsToGain(args) {
  const md = execFileSync(cli, ["score766", "--format", "md", "--lang", "en", ...args],
    { cwd: sampleDir, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "ignore"] });
  const lists = {};
  for (const part of md.split("\n### Points to gain — ").slice(1)) {
    const [heading, ...lines] = part.split("\n");
    const unit = /\(([^()]+)\)$/.exec(heading)[1];
    const count = (c) => (c.startsWith("+") ? Number(c.slice(1)) : null);
    lists[unit] = lines.filter((l) => /^\| .*\(([A-Z_]+)\) \|/.test(l)).map((l) => {
      const cells = l.split(" | ");
      return [/\(([A-Z_]+)\)$/.exec(cells[0])[1], Number(cells[2]), count(cells[3]), count(cells[4].replace(/ \|$/, ""))];
    });
  }
  return lists;
}

/**
 * The scorecard table shows the CLI's totals, ranks and group scores for every unit, and each
 * unit's points to gain are the CLI's, in the CLI's order (cheapest first).
 */
async function checkScorecard(args) {
  const expected = chisoJson(["score766", "--format", "json", ...args]);
  assert.equal(await page.getAttribute(".scorecard", "data-period"), expected.period);
  const gains = await page.$$eval(".scorecard .gain", (sections) => Object.fromEntries(sections.map((s) => [s.dataset.unit,
    [...s.querySelectorAll("tbody tr")].map((r) => [r.dataset.metric, Number(r.dataset.lost),
      r.dataset.nextPoint === "" ? null : Number(r.dataset.nextPoint), r.dataset.toMax === "" ? null : Number(r.dataset.toMax)])])));
  const cli = cliPointsToGain(args);
  assert.equal(Object.keys(gains).length, expected.units.length, "one points-to-gain list per unit");
  for (const u of expected.units) assert.deepEqual(gains[u.unit], cli[u.unit] ?? [], `${u.unit}: points to gain`);
  assert.ok(Object.values(gains).some((list) => list.length > 1), "a list to sort");
  const rows = await page.$$eval(".scorecard > table > tbody > tr", (r) => r.map((x) => ({ ...x.dataset,
    groups: [...x.querySelectorAll("td[data-group]")].map((g) => [g.dataset.group, Number(g.dataset.score)]) })));
  assert.equal(rows.length, expected.units.length);
  for (const row of rows) {
    const u = expected.units.find((x) => x.unit === row.unit);
    assert.ok(u, row.unit);
    assert.equal(Number(row.total), u.total, `${row.unit} total`);
    // An incomplete unit is listed unranked (an empty data-rank, a dash in the cell).
    assert.equal(row.rank === "" ? null : Number(row.rank), u.rank, `${row.unit} rank`);
    assert.equal(row.complete, String(u.complete), `${row.unit} complete`);
    assert.deepEqual(row.groups, u.groups.map((g) => [g.code, g.score]), `${row.unit} groups`);
  }
}

test("the page loads and shows the sample town's values as the CLI computes them", async () => {
  await page.goto(`${base}?asOf=${AS_OF}`);
  await page.waitForSelector("body[data-ready='all']", { timeout: 30000, state: "attached" });
  const expected = chisoJson(["evaluate", "--format", "json", "--as-of", AS_OF, "--observations", "observations.csv", "--units", "units.csv"]);
  const town = await page.getAttribute("body", "data-unit");
  assert.equal(town, "tt-phu-my");
  checkCards(await cards(), expected, town);
  assert.ok((await page.$$(".trend-figure svg")).length > 0, "trend charts");
  assert.ok((await page.$$(".trend-figure .projected")).length > 0, "a projection to the deadline");
  assert.ok((await page.$$(".card .target-mark")).length > 0, "progress bars mark the target");
  // The sample month's Decision 766 scorecard, from the sample dossiers streamed through the worker.
  await page.waitForSelector(".scorecard[data-source='sample']", { state: "attached" });
  await checkScorecard(["--period", "2026-10", "--dossiers", "dossiers.csv", "--units", "units.csv",
    "--procedures", "procedures.csv", "--feedback", "feedback.csv", "--counts", "counts.json"]);
  // Its words are the catalogue's (the CLI's): the Vietnamese heading of the list.
  assert.equal(await page.textContent(".scorecard .gain h4"), "Điểm có thể tăng");
  await page.screenshot({ path: join(screenshots, "1-town-vi.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("draws the last three months as a series, as `chiso score766 --period A..B` computes it", async () => {
  await page.waitForSelector(".series[data-periods]", { state: "attached" });
  const periods = (await page.getAttribute(".series", "data-periods")).split(" ");
  assert.deepEqual(periods, ["2026-08", "2026-09", "2026-10"]);
  const expected = chisoJson(["score766", "--format", "json", "--period", `${periods[0]}..${periods[2]}`,
    "--dossiers", "dossiers.csv", "--units", "units.csv", "--procedures", "procedures.csv", "--feedback", "feedback.csv",
    "--counts", "counts.json"]);
  const rows = await page.$$eval(".series-totals tbody tr", (r) => r.map((x) => ({ unit: x.dataset.unit,
    cells: [...x.querySelectorAll("td[data-period]")].map((c) => [c.dataset.period, c.dataset.total, c.dataset.change]) })));
  assert.equal(rows.length, expected.changes.length);
  for (const row of rows) {
    const u = expected.changes.find((x) => x.unit === row.unit);
    assert.ok(u, row.unit);
    assert.deepEqual(row.cells, u.totals.map((total, i) =>
      [expected.periods[i], total === null ? "" : String(total), u.total_changes[i] === null ? "" : String(u.total_changes[i])]));
  }
  // One folded table per group, its scores the CLI's.
  const groups = await page.$$eval(".series-group", (d) => d.map((x) => [x.dataset.group,
    [...x.querySelectorAll("tbody tr")].map((r) => [...r.querySelectorAll("td[data-period]")].map((c) => c.dataset.score))]));
  assert.deepEqual(groups.map(([code]) => code), expected.changes[0].groups.map((g) => g.code));
  for (const [code, table] of groups) {
    assert.deepEqual(table, expected.changes.map((u) =>
      u.groups.find((g) => g.code === code).scores.map((x) => (x === null ? "" : String(x)))), code);
  }
  // One line per unit in the chart, a point per period it is listed in.
  const lines = await page.$$eval(".series-chart .series-line", (g) => g.map((x) => x.querySelectorAll(".point").length));
  assert.deepEqual(lines, expected.changes.map((u) => u.totals.filter((x) => x !== null).length));
  assert.ok((await page.$$(".series-chart polyline")).length > 0, "the lines are drawn");
  await page.locator("#series").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, "1b-series-vi.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("drills down into a khóm", async () => {
  const expected = chisoJson(["evaluate", "--format", "json", "--as-of", AS_OF, "--observations", "observations.csv", "--units", "units.csv"]);
  const units = await page.$$eval(".tree button.unit", (b) => b.map((x) => x.dataset.unit));
  assert.ok(units.length >= 5, `unit tree: ${units}`);
  const khom = "khom-thi-1";
  await page.click(`.tree button[data-unit='${khom}']`);
  await page.waitForSelector(`body[data-unit='${khom}']`, { state: "attached" });
  checkCards(await cards(), expected, khom);
  assert.match(await page.textContent("#unit-title"), /Khóm Thị 1/);
  await page.screenshot({ path: join(screenshots, "2-khom-vi.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("lists who must act as `chiso report --by role` does, and judges the open year pro rata", async () => {
  const expected = chisoJson(["report", "--by", "role", "--format", "json", "--as-of", AS_OF, "--observations", "observations.csv", "--units", "units.csv"]);
  const roles = await page.$$eval("#roles .role", (d) => d.map((x) => ({ role: x.dataset.role, attention: Number(x.dataset.attention),
    rows: [...x.querySelectorAll("tr")].map((tr) => `${tr.dataset.unit} ${tr.dataset.indicator} ${tr.dataset.status}`) })));
  assert.deepEqual(roles.map((r) => r.role), expected.roles.map((r) => r.id));
  for (const [i, role] of roles.entries()) {
    const want = expected.roles[i];
    assert.equal(role.attention, want.attention, want.id);
    assert.deepEqual(role.rows, want.results.map((r) => `${r.unit} ${r.indicator} ${r.status}`), want.id);
  }
  await page.locator("#roles").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, "1c-roles-vi.png"), fullPage: true });
  // Pro rata: the town's staff-informed card goes from "in progress" to "at risk", 39 of 42 expected.
  const staff = ".card[data-unit='tt-phu-my'][data-target='staff_informed.yearly']";
  await page.click(".tree button[data-unit='tt-phu-my']");
  await page.waitForSelector("body[data-unit='tt-phu-my']", { state: "attached" });
  assert.equal(await page.getAttribute(staff, "data-status"), "in_progress");
  await page.check("#pro-rata");
  await page.waitForSelector(`${staff}[data-status='at_risk']`, { state: "attached" });
  assert.equal(await page.getAttribute(`${staff} .pro-rata`, "data-expected"), "39");
  await page.uncheck("#pro-rata");
  await page.waitForSelector(`${staff}[data-status='in_progress']`, { state: "attached" });
  await page.click(".tree button[data-unit='khom-thi-1']");
  await page.waitForSelector("body[data-unit='khom-thi-1']", { state: "attached" });
  assert.deepEqual(problems, []);
});

test("switches to English", async () => {
  await page.click("button[data-lang='en']");
  await page.waitForSelector("body[data-lang='en']", { state: "attached" });
  assert.equal(await page.textContent("h1"), "Online public service indicators");
  const labels = await page.$$eval(".card .status", (s) => s.map((x) => x.textContent));
  assert.ok(labels.some((l) => ["Met", "Not met", "Met early", "In progress", "At risk", "On track"].includes(l)), String(labels));
  // Rejected rows read in the page's language: the English of the JSON here.
  const enRejected = await page.$$eval("#evaluation-rejected .rejection", (s) => s.map((x) => x.textContent));
  assert.ok(enRejected.length > 0 && enRejected.every((r) => / row \d+/.test(r)), String(enRejected));
  await page.screenshot({ path: join(screenshots, "3-khom-en.png"), fullPage: true });
  await page.click("button[data-lang='vi']");
  // Back in Vietnamese, every status and reason is in the catalogue's (the CLI's) words.
  await page.waitForSelector("body[data-lang='vi']", { state: "attached" });
  const vi = ["Đạt", "Không đạt", "Đạt sớm", "Đúng tiến độ", "Có nguy cơ", "Chậm tiến độ", "Đang thực hiện",
    "Thiếu số liệu", "Không có số liệu", "Số liệu không hợp lệ"];
  const viLabels = await page.$$eval(".status", (s) => s.map((x) => x.textContent));
  assert.ok(viLabels.length > 0 && viLabels.every((l) => vi.includes(l)), String(viLabels));
  const reasons = await page.$$eval(".reason", (s) => s.map((x) => x.textContent));
  assert.ok(reasons.every((r) => !/^(no |every |the |\d+ observed|sampled |a period)/i.test(r)), String(reasons));
  assert.equal(await page.textContent("h1"), "Chỉ số dịch vụ công trực tuyến");
  // …and so is every rejected row, reason included (the JSON's `reason` stays English).
  const viRejected = await page.$$eval("#evaluation-rejected .rejection", (s) => s.map((x) => x.textContent));
  assert.ok(viRejected.length > 0 && viRejected.every((r) => / dòng \d+/.test(r)), String(viRejected));
  assert.ok(viRejected.every((r) => !/ is | row |above|unknown/.test(r)), String(viRejected));
  assert.deepEqual(problems, []);
});

test("loads a dossier CSV through the file picker and shows the scorecard", async () => {
  await page.setInputFiles("#file", join(sampleDir, "dossiers.csv"));
  await page.waitForSelector("#file-status[data-state='done']", { timeout: 60000, state: "attached" });
  await page.waitForSelector(".scorecard[data-source='file']");
  const progress = await page.$eval("#file-progress", (p) => [p.value, p.max]);
  assert.equal(progress[0], progress[1], "the progress bar is full");
  // The page scores the file with the sample's units and procedures (the checkbox is on).
  const period = await page.getAttribute(".scorecard", "data-period");
  await checkScorecard(["--period", period, "--dossiers", "dossiers.csv", "--units", "units.csv", "--procedures", "procedures.csv"]);
  // Without a feedback file, the feedback metrics are missing: said in the table, not scored.
  const incomplete = await page.$$eval(".scorecard td.incomplete", (c) => c.map((x) => x.textContent));
  // Feedback (2) and what only a counts file gives (publication, E_CERTIFIED_COPY: 4).
  assert.ok(incomplete.length > 0 && incomplete.every((t) => t === "thiếu 6, bị loại 0"), JSON.stringify(incomplete));
  const missing = await page.$$eval(".scorecard li[data-status='missing']", (l) => l.map((x) => x.dataset.metric));
  assert.ok(missing.includes("FEEDBACK_ON_TIME"), JSON.stringify(missing));
  // …and have no points to gain from counts.
  const gaining = await page.$$eval(".scorecard .gain tbody tr", (r) => r.map((x) => x.dataset.metric));
  assert.ok(!gaining.includes("FEEDBACK_ON_TIME"), JSON.stringify(gaining));
  await page.locator("#scorecard").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, "4-scorecard-file.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("loads an observations CSV through the file picker and shows its evaluation", async () => {
  await page.evaluate(() => { document.querySelector("#file-status").dataset.state = ""; });
  await page.setInputFiles("#file", join(sampleDir, "observations.csv"));
  await page.waitForSelector("#file-status[data-state='done']", { timeout: 60000, state: "attached" });
  const expected = chisoJson(["evaluate", "--format", "json", "--as-of", AS_OF, "--observations", "observations.csv", "--units", "units.csv"]);
  const unit = await page.getAttribute("body", "data-unit");
  checkCards(await cards(), expected, unit);
  await page.screenshot({ path: join(screenshots, "5-observations-file.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("opens the records behind a scorecard cell, as `chiso score766 explain` lists them", async () => {
  const period = await page.getAttribute(".scorecard", "data-period");
  const [unit, metric] = ["tt-phu-my", "ON_TIME"];
  // The scorecard shown is the dossier file's, scored with the sample's units and procedures.
  const expected = chisoJson(["score766", "explain", "--unit", unit, "--metric", metric, "--period", period,
    "--dossiers", "dossiers.csv", "--units", "units.csv", "--procedures", "procedures.csv", "--format", "json", "--limit", "200"]);
  assert.ok(expected.total_shortfall > 0, "the sample town has late dossiers");
  const cell = `.scorecard details[data-unit='${unit}']`;
  await page.$eval(cell, (d) => { d.open = true; });
  await page.click(`${cell} li[data-metric='${metric}'] button.explain`);
  await page.waitForSelector(`.explain-list[data-metric='${metric}'][data-total]`, { timeout: 60000, state: "attached" });
  const list = await page.$eval(".explain-list[data-total]", (d) => ({ ...d.dataset }));
  assert.equal(Number(list.total), expected.total_shortfall);
  assert.equal(Number(list.listed), expected.listed);
  const shown = await page.$$eval(".explain-list tbody tr", (r) => r.map((x) => [x.dataset.id, x.dataset.row, x.dataset.reason]));
  assert.deepEqual(shown, expected.items.map((i) => [i.id, String(i.row), i.reason]));
  // As many as the cell's denominator − numerator, with the reasons in the page's language.
  const ratio = await page.textContent(`${cell} li[data-metric='${metric}']`);
  assert.ok(ratio.includes(`(${expected.total_shortfall})`), ratio);
  const reasons = await page.$$eval(".explain-list tbody tr td:nth-child(6)", (c) => c.map((x) => x.textContent));
  assert.ok(reasons.every((r) => r.startsWith("trễ hạn")), JSON.stringify(reasons));
  await page.locator(".explain-list").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, "6-explain-cell.png"), fullPage: true });
  // A second click closes it.
  await page.click(`${cell} li[data-metric='${metric}'] button.explain`);
  await page.waitForSelector(".explain-list", { state: "detached" });
  assert.deepEqual(problems, []);
});
