// The built package (pkg/) as a program imports it, under Node's test runner: the ES module entry,
// the error class, and the golden vectors through evaluateJson.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..", "pkg");
const chiso = await import(join(pkg, "index.js"));
chiso.initSync({ module: readFileSync(join(pkg, "chiso_wasm_bg.wasm")) });

test("package.json points at the module and its types", () => {
  const meta = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  assert.equal(meta.exports["."].types, "./index.d.ts");
  assert.equal(meta.exports["."].default, "./index.js");
  assert.equal(meta.version, chiso.version());
});

test("golden vectors give the checked-in bytes", () => {
  const root = join(here, "..", "..", "core", "tests", "golden", "evaluate");
  const dirs = readdirSync(root);
  assert.ok(dirs.length > 0);
  for (const d of dirs) {
    const read = (f) => (existsSync(join(root, d, f)) ? readFileSync(join(root, d, f)) : undefined);
    const input = { observationsCsv: read("observations.csv"), asOf: read("as_of").toString().trim() };
    if (read("units.csv")) input.unitsCsv = read("units.csv");
    if (read("plan.json")) input.plan = read("plan.json");
    const expected = read("expected.json").toString();
    assert.equal(chiso.evaluateJson(input), expected, d);
    assert.deepEqual(chiso.evaluate(input), JSON.parse(expected), d);
  }
});

test("labels() gives the core's catalogue, Vietnamese by default", () => {
  const vi = chiso.labels();
  assert.equal(vi.lang, "vi");
  assert.equal(vi.status.off_track, "chậm tiến độ");
  assert.equal(vi.metric.ON_TIME, "Hồ sơ giải quyết đúng hạn");
  assert.equal(chiso.labels("en").status.off_track, "off track");
  assert.deepEqual(Object.keys(chiso.labels("en").word), Object.keys(vi.word));
  assert.throws(() => chiso.labels("fr"), (e) => e instanceof chiso.ChisoError && e.code === "invalid_argument");
});

test("rejections and error messages in the page's language, the data unchanged", () => {
  const evaluation = chiso.evaluate({ observationsCsv: "unit,indicator,period,numerator,denominator\nk,dossiers_fully_online,2025,11,10\n", asOf: "2026-01-01" });
  const [r] = evaluation.rejected;
  assert.equal(r.reason, "11 is above the denominator 10");
  assert.equal(chiso.rejectionText(r), "observations.csv: dòng 2, cột `numerator`: 11 lớn hơn mẫu số 10");
  assert.equal(chiso.rejectionText(r, "en"), "observations.csv: row 2, column `numerator`: 11 is above the denominator 10");
  assert.equal(chiso.localizeText(r.reason, "vi"), "11 lớn hơn mẫu số 10");
  assert.equal(chiso.localizeText("not a known text"), "not a known text");
  let error;
  try { chiso.evaluate({ observationsCsv: "unit,period\nx,2025\n", asOf: "2026-01-01" }); } catch (e) { error = e; }
  assert.equal(error.code, "missing_column");
  assert.match(chiso.localizeText(error.message, "vi"), /dòng tiêu đề không có cột `indicator` \(hay `Chỉ tiêu`, `Mã chỉ tiêu`\)$/);
  assert.throws(() => chiso.localizeText("x", "fr"), (e) => e.code === "invalid_argument");
});

test("misuse throws ChisoError, an Error subclass with a code", () => {
  assert.throws(() => chiso.evaluate({}), (e) => e instanceof chiso.ChisoError && e instanceof Error && e.code === "invalid_argument");
  assert.throws(
    () => chiso.evaluate({ observationsCsv: "unit\nx\n", asOf: "2026-01-01" }),
    (e) => e instanceof chiso.ChisoError && e.code === "missing_column" && /indicator/.test(e.message),
  );
});

test("Scorer766 streams the sample dossiers to the CLI's scorecard", () => {
  const sample = join(here, "..", "..", "core", "tests", "golden", "score766", "sample-town-records");
  const read = (f) => readFileSync(join(sample, f));
  const expected = readFileSync(join(sample, "expected.json"), "utf8");
  const scorer = new chiso.Scorer766({
    period: "2026-10", unitsCsv: read("units.csv"), proceduresCsv: read("procedures.csv"),
    feedbackCsv: read("feedback.csv"), countsJson: read("counts.json"),
  });
  const dossiers = read("dossiers.csv");
  for (let i = 0; i < dossiers.length; i += 1000) scorer.pushCsv(dossiers.subarray(i, i + 1000));
  assert.equal(scorer.finishJson(), expected);
  assert.throws(() => scorer.finish(), (e) => e instanceof chiso.ChisoError && e.code === "scorer_finished");
  scorer.free();
  const card = chiso.scoreCounts(read("counts.json").toString());
  assert.equal(card.period, "2026-10");
});

test("Scorer766 scores a range as a series, each period as scored alone", () => {
  const sample = join(here, "..", "..", "core", "tests", "golden", "score766", "sample-town-records");
  const read = (f) => readFileSync(join(sample, f));
  const expected = readFileSync(join(sample, "expected.json"), "utf8");
  const scorer = new chiso.Scorer766({
    period: "2026-08..2026-10", unitsCsv: read("units.csv"), proceduresCsv: read("procedures.csv"),
    feedbackCsv: read("feedback.csv"), countsJson: read("counts.json"),
  });
  assert.equal(scorer.isSeries, true);
  scorer.pushCsv(read("dossiers.csv"));
  assert.throws(() => scorer.finish(), (e) => e instanceof chiso.ChisoError && e.code === "misuse");
  const series = scorer.finishSeries();
  scorer.free();
  assert.deepEqual(series.periods, ["2026-08", "2026-09", "2026-10"]);
  assert.deepEqual(series.scorecards[2], JSON.parse(expected));
  const unit = series.changes[0];
  assert.equal(unit.total_changes[0], null);
  assert.equal(Math.round((unit.totals[2] - unit.totals[1]) * 100), Math.round(unit.total_changes[2] * 100));
  assert.throws(() => new chiso.Scorer766({ period: "2026-08..2026-01" }),
    (e) => e instanceof chiso.ChisoError && e.code === "invalid_argument" && /after the last/.test(e.message));
});

// The shared Decision 766 golden vectors (core/tests/golden/score766/<case>/, the convention of the
// C suite): `expected.json`, optional `profile`; then `dossiers.csv` with `period` and optional
// `units.csv`, `procedures.csv`, `feedback.csv`, `counts.json`, or `counts.json` alone.
test("shared score766 golden vectors, when the folder exists", (t) => {
  const root = join(here, "..", "..", "core", "tests", "golden", "score766");
  if (!existsSync(root)) {
    t.skip("core/tests/golden/score766 does not exist yet");
    return;
  }
  let cases = 0;
  for (const d of readdirSync(root)) {
    if (d.startsWith(".")) continue;
    const read = (f) => (existsSync(join(root, d, f)) ? readFileSync(join(root, d, f)) : undefined);
    const line = (f) => read(f)?.toString().trim();
    const expected = read("expected.json");
    if (!expected) continue;
    let out;
    if (read("dossiers.csv")) {
      const options = { period: line("period") };
      if (line("profile")) options.profile = line("profile");
      for (const [key, file] of [["unitsCsv", "units.csv"], ["proceduresCsv", "procedures.csv"],
        ["feedbackCsv", "feedback.csv"], ["countsJson", "counts.json"]]) {
        if (read(file)) options[key] = read(file);
      }
      const scorer = new chiso.Scorer766(options);
      const dossiers = read("dossiers.csv");
      const half = Math.floor(dossiers.length / 2);
      scorer.pushCsv(dossiers.subarray(0, half));
      scorer.pushCsv(dossiers.subarray(half));
      out = scorer.finishJson();
      scorer.free();
    } else {
      out = chiso.scoreCountsJson(read("counts.json"), line("profile"));
    }
    assert.equal(out, expected.toString(), d);
    cases++;
  }
  assert.ok(cases > 0);
});

// Zero is not unknown: missing and invalid metrics score nothing and leave their unit unranked;
// `rankIncomplete` ranks them on what they have.
test("missing and invalid metrics, and rankIncomplete", () => {
  const root = join(here, "..", "..", "core", "tests", "golden", "score766", "missing-and-invalid");
  const counts = readFileSync(join(root, "counts.json"));
  const card = chiso.scoreCounts(counts);
  assert.deepEqual(card.units.map((u) => [u.unit, u.total, u.rank, u.complete]), [
    ["complete", 74.54, 1, true],
    ["payment-only", 10, null, false],
    ["bad-feedback", 88, null, false],
  ]);
  assert.deepEqual(card.units[2].invalid, ["FEEDBACK_ON_TIME", "FEEDBACK_SATISFIED"]);
  const feedback = card.units[2].groups[5].metrics[0];
  assert.equal(feedback.status, "invalid");
  assert.equal(feedback.rejected_rows[0].row, 3);
  const ranked = chiso.scoreCounts(counts, undefined, true);
  assert.deepEqual(ranked.units.map((u) => u.rank), [2, 3, 1]);
  const scorer = new chiso.Scorer766({ period: "2026-08", countsJson: counts, rankIncomplete: true });
  scorer.pushCsv(new TextEncoder().encode("dossier_id,unit,procedure,received_at\nd1,payment-only,P,2026-08-03\n"));
  const fromRecords = scorer.finish();
  assert.equal(fromRecords.ranked_incomplete, true);
  assert.ok(fromRecords.units.every((u) => u.rank !== null));
  scorer.free();
});

test("portalCheck reproduces every recomputable published value of the captured month", () => {
  const view = join(here, "..", "..", "core", "tests", "portal", "phu-tho-2026-08", "all");
  const files = {};
  for (const endpoint of readdirSync(view)) files[endpoint] = readFileSync(join(view, endpoint, "month.json"), "utf8");
  const report = chiso.portalCheck(files, "2026-08");
  assert.equal(`${report.reproduced} of ${report.total} published values reproduced, ${report.not_recomputable} not recomputable`,
    "3118 of 3281 published values reproduced, 163 not recomputable");
  assert.equal(report.disagreements, 0);
  const counts = chiso.portalImport(Object.entries(files), "2026-08");
  assert.equal(counts.units[0].metrics.E_CERTIFIED_COPY, "full");
  assert.throws(() => chiso.portalImport({ nope: "{}" }, "2026-08"), (e) => e instanceof chiso.ChisoError && e.code === "invalid_input");
});
