// Type-checked (never run) by `tsc --noEmit`: every export of the package, used as a program would,
// so a change in a generated type that breaks callers fails the build.
import init, {
  initSync,
  ChisoError,
  version,
  builtinPlan,
  builtinPlanJson,
  evaluate,
  evaluateJson,
  units,
  scoreCounts,
  scoreCountsJson,
  Scorer766,
  labels,
  localizeText,
  rejectionText,
  portalImport,
  portalImportJson,
  portalCheck,
  portalCheckJson,
  reportByRole,
  reportByRoleJson,
  deriveObservations,
  explainIndicator,
} from "../pkg/index.js";
import type {
  ErrorCode,
  Evaluation,
  EvalResult,
  EvaluateInput,
  Plan,
  Status,
  Rejection,
  RoleReport,
  RoleGroup,
  ProRata,
  UnitList,
  Target,
  Counts766,
  Scorecard766,
  Scorer766Options,
  Series766,
  UnitSeries766,
  UnitScore766,
  Gain766,
  Profile766,
  LabelCatalogue,
  Lang,
  WordKey,
  PortalEndpoint,
  PortalFiles,
  PortalCounts,
  PortalCheck,
  PortalCheckItem,
  PortalMetricValue,
  ExplainRequest766,
  Explanation766,
  ExplainItem766,
  Shortfall766,
  DeriveInput,
  Derived,
  DerivedObservation,
  ExplainIndicatorInput,
  Shortfall,
  ShortfallItem,
} from "../pkg/index.js";

export async function main(wasm: Uint8Array, observationsCsv: string, unitsCsv: Uint8Array): Promise<void> {
  await init({ module_or_path: wasm });
  initSync({ module: wasm });
  const v: string = version();
  const plan: Plan = builtinPlan();
  const planText: string = builtinPlanJson();
  const firstTarget: Target | undefined = plan.indicators[0]?.targets[0];
  if (firstTarget !== undefined && "by" in firstTarget) {
    const by: string = firstTarget.by;
    console.log(by);
  }
  const input: EvaluateInput = { plan, unitsCsv, observationsCsv, asOf: "2026-11-28", method: "linear" };
  const doc: Evaluation = evaluate(input);
  const text: string = evaluateJson({ observationsCsv, plan: planText });
  const result: EvalResult | undefined = doc.results[0];
  const status: Status | undefined = result?.status;
  const percent: number | null | undefined = result?.percent;
  const rejected: Rejection[] = doc.rejected;
  const byRole: RoleReport = reportByRole({ ...input, proRata: true });
  const firstRole: RoleGroup | undefined = byRole.roles[0];
  const attention: number | undefined = firstRole?.attention;
  const expected: ProRata | undefined = firstRole?.results[0]?.pro_rata;
  const byRoleText: string = reportByRoleJson(input);
  console.log(attention, expected?.expected_numerator, byRoleText.length);
  const list: UnitList = units(unitsCsv);
  const parent: string | null | undefined = list.units[0]?.parent;
  try {
    evaluate({ observationsCsv: "", asOf: "not a date" });
  } catch (e) {
    if (e instanceof ChisoError) {
      const code: ErrorCode = e.code;
      const message: string = e.message;
      console.log(code, message);
    }
  }
  console.log(v, text.length, status, percent, rejected.length, parent);
}

export function records(dossiersCsv: Uint8Array, proceduresCsv: string, unitsCsv: string): number {
  const withRecords: EvaluateInput = { observationsCsv: "unit,indicator,period,numerator,denominator\n", dossiersCsv, proceduresCsv, unitsCsv };
  const first: EvalResult | undefined = evaluate(withRecords).results.find((r) => r.source === "derived");
  const rule: string | undefined = first?.rule;
  const input: DeriveInput = { dossiersCsv, proceduresCsv, unitsCsv, from: "2026-01", to: "2026-10" };
  const derived: Derived = deriveObservations(input);
  const observation: DerivedObservation | undefined = derived.observations[0];
  const ask: ExplainIndicatorInput = { dossiersCsv, unitsCsv, indicator: "dossiers_fully_online", unit: "tt-phu-my", period: "2026", limit: 10 };
  const shortfall: Shortfall = explainIndicator(ask);
  const item: ShortfallItem | undefined = shortfall.items[0];
  console.log(rule, observation?.source, item?.reason, shortfall.omitted);
  return shortfall.denominator - shortfall.numerator;
}

export async function scoreFile(file: File, counts: Counts766, unitsCsv: string): Promise<Scorecard766> {
  const profile: Profile766 = "portal-2026";
  const fromCounts: Scorecard766 = scoreCounts(counts, profile);
  const fromText: string = scoreCountsJson(JSON.stringify(counts));
  const options: Scorer766Options = { period: "2026-10", profile, unitsCsv, countsJson: counts, strict: false };
  const scorer = new Scorer766(options);
  try {
    const reader = file.stream().getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      scorer.pushCsv(value);
    }
    const card: Scorecard766 = scorer.finish();
    const best: UnitScore766 | undefined = card.units.find((u) => u.rank === 1);
    const total: number | undefined = best?.total;
    const percent: number | null | undefined = best?.groups[0]?.metrics[0]?.percent;
    const gain: Gain766 | null | undefined = best?.groups[0]?.metrics[0]?.gain;
    const nextPoint: number | null | undefined = gain?.next_point;
    console.log(fromCounts.units.length, fromText.length, total, percent, card.rejected_omitted, card.missing.length);
    console.log(gain?.lost, nextPoint, gain?.to_max);
    return card;
  } finally {
    scorer.free();
  }
}

export function statusWords(lang: Lang, status: Status): string {
  const catalogue: LabelCatalogue = labels(lang);
  const key: WordKey = "asOf";
  const metric: string = catalogue.metric.ON_TIME;
  const group: string = catalogue.group["TDGQ.decision-2022"];
  const reason: string = catalogue.reason.no_observation_in_period;
  console.log(catalogue.word[key], metric, group, reason, labels().lang);
  return catalogue.status[status];
}

export function rejectedLines(evaluation: Evaluation, lang: Lang): string[] {
  const lines: string[] = evaluation.rejected.map((r: Rejection) => rejectionText(r, lang));
  const reason: string = localizeText(evaluation.rejected[0]?.reason ?? "", lang);
  lines.push(reason, localizeText("11 is above the denominator 10"));
  return lines;
}

export function errorInLang(e: ChisoError, lang?: Lang): string {
  return `${e.code}: ${localizeText(e.message, lang)}`;
}

export function finishAsText(scorer: Scorer766): string {
  return scorer.finishJson();
}

/** A range of months: one scorecard per month, and each unit's change from month to month. */
export function lastMonths(dossiers: Uint8Array): [Series766, string] {
  const scorer = new Scorer766({ period: "2026-08..2026-10" });
  const series: boolean = scorer.isSeries;
  scorer.pushCsv(dossiers);
  const result: Series766 = scorer.finishSeries();
  const cards: Scorecard766[] = result.scorecards;
  const unit: UnitSeries766 | undefined = result.changes[0];
  const change: number | null | undefined = unit?.total_changes[1];
  const group: (number | null)[] | undefined = unit?.groups[0]?.changes;
  console.log(series, cards.length, change, group, result.periods[0]);
  const again = new Scorer766({ period: "2026-Q3..2026-Q4" });
  return [result, again.finishSeriesJson()];
}

/** The loaders of the session, in the order libchiso takes them. */
export function loadStepByStep(units: string, procedures: Uint8Array, feedback: string, counts: Counts766): Scorer766 {
  const scorer = new Scorer766({ period: "2026-10" });
  scorer.loadUnitsCsv(units);
  scorer.loadProceduresCsv(procedures);
  scorer.loadCountsJson(counts);
  scorer.loadFeedbackCsv(feedback);
  return scorer;
}

/** Partials: two halves saved, loaded back and merged into one scorecard. */
export function mergeHalves(first: Uint8Array, second: Uint8Array): string {
  const a = new Scorer766({ period: "2026-10" });
  a.pushCsv(first);
  const b = new Scorer766({ period: "2026-10" });
  b.pushCsv(second);
  const saved: Uint8Array = a.save();
  const merged: Scorer766 = Scorer766.load(saved);
  merged.merge(Scorer766.load(b.save()));
  const code: ErrorCode = "partial_mismatch";
  console.log(code);
  return merged.finishJson();
}

/** The portal's saved responses: counts, and the check of every published value. */
export function checkPortal(transparency: string, payment: Uint8Array, progress: object): string {
  const endpoint: PortalEndpoint = "transparency";
  const files: PortalFiles = { [endpoint]: transparency, "formality-online-payment-tree": payment };
  const asList: PortalFiles = [["dvc-progress-tree", progress], { endpoint: "transparency", json: transparency }];
  const counts: PortalCounts = portalImport(files, "2026-08");
  const value: PortalMetricValue | undefined = counts.units[0]?.metrics.E_CERTIFIED_COPY;
  const countsText: string = portalImportJson(asList, "2026-08");
  const report: PortalCheck = portalCheck(files, "2026-08", "portal-2026");
  const bad: PortalCheckItem[] = report.items.filter((i) => i.outcome === "disagreement");
  const text: string = portalCheckJson(asList, "2026-08");
  console.log(value, countsText.length, bad.length, text.length);
  return `${report.reproduced} of ${report.total} published values reproduced, ${report.not_recomputable} not recomputable`;
}

/** The records behind one number of the scorecard: a cell clicked on the dashboard. */
export function explainCell(dossiers: Uint8Array, unitsCsv: string, unit: string): [Explanation766, string] {
  const request: ExplainRequest766 = { unit, metric: "ON_TIME", limit: 100 };
  const scorer = new Scorer766({ period: "2026-10", unitsCsv, explain: request });
  scorer.pushCsv(dossiers);
  const result: Explanation766 = scorer.explain();
  const first: ExplainItem766 | undefined = result.items[0];
  const reason: Shortfall766 | undefined = first?.reason;
  const row: number | null | undefined = first?.row;
  console.log(result.total_shortfall - (result.denominator - result.numerator), reason, row, first?.reason_vi);
  const again = new Scorer766({ period: "2026-10", explain: { unit, metric: "DIGITIZED" } });
  return [result, again.explainJson()];
}
