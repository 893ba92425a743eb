/** Stable codes of `ChisoError`: the core's error codes and the binding's own. */
export type ErrorCode =
  | "invalid_argument" | "missing_column" | "bad_header" | "io" | "bad_json" | "rejected_row"
  | "invalid_input" | "invalid_plan" | "unknown_profile" | "invalid_profile" | "misuse"
  | "scorer_finished" | "partial_corrupt" | "partial_version" | "partial_mismatch"
  | "internal" | (string & {});

/** Every misuse throws this `Error` subclass; test `code`, not `message`. */
export declare class ChisoError extends Error {
  constructor(code: ErrorCode, message: string);
  readonly name: "ChisoError";
  readonly code: ErrorCode;
}

/** A date `YYYY-MM-DD`. */
export type IsoDate = string;
/** A period: `2025`, `2025-Q3` or `2025-07`. */
export type PeriodText = string;
/** CSV or JSON input: text, or its UTF-8 bytes. */
export type Bytes = string | Uint8Array | ArrayBuffer;

export type Status =
  | "met" | "not_met" | "met_early" | "on_track" | "at_risk" | "off_track" | "in_progress"
  | "insufficient_data" | "no_data" | "invalid";
export type Comparison = ">=" | "<=" | ">" | "<" | "improves";
export type Confidence = "census" | "significant" | "inconclusive";
export type ProjectionMethod = "linear" | "growth-ratio" | "logit";
export type Granularity = "month" | "quarter" | "year";

/** A row that was not accepted, with where and why. */
export interface Rejection {
  source: string;
  row: number;
  column?: string;
  reason: string;
}

/** A text in Vietnamese and English. */
export interface Labels { vi: string; en: string; }

export interface SubjectGroup { id: string; label: Labels; }
export interface Role { id: string; label: Labels; }

interface TargetBase {
  id: string;
  comparison: Comparison;
  threshold?: number;
}
/** A milestone judged at the end of `by`, optionally maintained every year after it. */
export interface MilestoneTarget extends TargetBase { by: IsoDate; maintain_until?: number; }
/** A recurring rule judged for every period from `from` to `to`. */
export interface RecurringTarget extends TargetBase { every: Granularity; from: number; to: number; }
export type Target = MilestoneTarget | RecurringTarget;

export interface Indicator {
  id: string;
  label: Labels;
  plan_ref: string;
  subject_group: string;
  numerator: Labels;
  denominator: Labels;
  time: "sum" | "last";
  rollup?: "ratio_of_sums" | "units_meeting";
  activity?: boolean;
  sampled?: boolean;
  projection?: ProjectionMethod;
  responsible?: string[];
  breakdown?: string[];
  targets: Target[];
}

export interface Override { unit: string; target: string; threshold: number; source: string; }

/** A plan (`plan.md`); `builtinPlan()` returns the town's. */
export interface Plan {
  id: string;
  title: Labels;
  source?: string;
  subject_groups: SubjectGroup[];
  roles?: Role[];
  indicators: Indicator[];
  overrides?: Override[];
}

/** The arguments of `evaluate` and `evaluateJson`. */
export interface EvaluateInput {
  /** A plan object or its JSON text; absent for the built-in plan. */
  plan?: Plan | Bytes;
  /** `units.csv`; absent for a flat list of the observed units. */
  unitsCsv?: Bytes;
  /** `observations.csv`. */
  observationsCsv: Bytes;
  /** `YYYY-MM-DD`; absent for today in Vietnam (UTC+7). */
  asOf?: IsoDate;
  /** Stop at the first rejected row (it is then thrown with code `rejected_row`). */
  strict?: boolean;
  /** Only report this unit (values still roll up from the whole tree). */
  unit?: string;
  /** A projection method for every target instead of each indicator's own. */
  method?: ProjectionMethod;
  /** The smallest denominator for a unit to be ranked (default 1). */
  minRankDenominator?: number;
  /**
   * Judge an open recurring period (`≥ 100 % every year`, in November) against the share of the
   * period elapsed: `on_track` / `at_risk` with `pro_rata.expected_numerator`, instead of
   * `in_progress`. Off by default.
   */
  proRata?: boolean;
  /** How `unitsCsv` and `observationsCsv` are read when they are real exports (either may then be an `.xlsx` workbook as a `Uint8Array`). */
  inputOptions?: InputOptions | string;
  /**
   * Dossier records beside the observations (CSV, a workbook, or JSON lines, told by their
   * content): the observations they determine (`dossiers_fully_online`, `procedures_full_online`,
   * the satisfaction indicators, `service_quality_improves`) are used where no typed observation
   * of the same unit and indicator covers the period; a typed one wins. Each result then says its
   * `source` and `rule`.
   */
  dossiersCsv?: Bytes;
  /** `procedures.csv`, with `dossiersCsv`. */
  proceduresCsv?: Bytes;
  /** Feedback records, with `dossiersCsv` (for the Decision 766 total). */
  feedbackCsv?: Bytes;
}

/** The argument of `deriveObservations` and, with `indicator`, `unit` and `period`, of `explainIndicator`. */
export interface DeriveInput {
  /** Dossier records: CSV, an `.xlsx` workbook, or JSON lines (told by their content). */
  dossiersCsv: Bytes;
  /** `procedures.csv` (service level, eligibility, field, authority level). */
  proceduresCsv?: Bytes;
  /** Feedback records (for the Decision 766 total). */
  feedbackCsv?: Bytes;
  /** `units.csv`; absent: every unit a record names is a root of its own. */
  unitsCsv?: Bytes;
  /** The first month, `YYYY-MM`. */
  from: string;
  /** The last month, `YYYY-MM`. */
  to: string;
  /** Stop at the first rejected row. */
  strict?: boolean;
  /** How the files are read when they are real exports. */
  inputOptions?: InputOptions | string;
}

/** One observation derived from records, with the rule that gave it. */
export interface DerivedObservation {
  unit: string;
  indicator: string;
  period: PeriodText;
  numerator: number;
  denominator: number;
  kind: "census";
  /** The rule: `online_dossiers`, `full_online_procedures`, `online_dossier_ratings`, `online_dossier_ratings_by_field` or `score766_total`. */
  source: string;
}

/** The document of `chiso derive --format json`. */
export interface Derived {
  from: PeriodText;
  to: PeriodText;
  observations: DerivedObservation[];
  rejected: Rejection[];
  rejected_omitted: number;
}

/** The argument of `explainIndicator`. */
export interface ExplainIndicatorInput extends Omit<DeriveInput, "from" | "to"> {
  /** A plan indicator derived from records (`dossiers_fully_online`, `procedures_full_online`, `satisfaction`, …). */
  indicator: string;
  /** The unit (its records and its subtree's). */
  unit: string;
  /** `YYYY`, `YYYY-Qn` or `YYYY-MM`. */
  period: PeriodText;
  /** List at most this many records (the others are counted in `omitted`). */
  limit?: number;
}

/** One record behind a shortfall. */
export interface ShortfallItem {
  record: "dossier" | "procedure";
  id: string;
  unit: string;
  procedure: string;
  month: PeriodText | null;
  reason: "not_online_channel" | "paper_result_without_e_result" | "rated_unsatisfied" | "not_offered_full_online";
  source: string | null;
  row: number | null;
}

/** The document of `chiso explain --indicator … --format json`: `items` are exactly `denominator − numerator` (up to the limit). */
export interface Shortfall {
  indicator: string;
  rule: string;
  unit: string;
  period: PeriodText;
  numerator: number;
  denominator: number;
  items: ShortfallItem[];
  omitted: number;
  rejected: Rejection[];
  rejected_omitted: number;
}

/**
 * How the tabular inputs are read when they are real exports (exports.md): the same JSON as
 * libchiso's options and the keys of a `--columns` map file.
 */
export interface InputOptions {
  /** The sheet of an `.xlsx` input; absent for the first. */
  sheet?: string;
  /** The header's row, from 1, for a title block above it; absent: found (a sheet) or the first (CSV). */
  header_row?: number;
  /** The field separator of CSV inputs; absent: detected from the header. */
  delimiter?: "," | ";" | "tab";
  /** Numbers in CSV inputs are written `1.234,5`. */
  decimal_comma?: boolean;
  /** Canonical column → this file's header. */
  columns?: Record<string, string>;
  /** Canonical column → this file's value → the canonical value. */
  values?: Record<string, Record<string, string>>;
}

export interface Projection {
  method: ProjectionMethod;
  points: number;
  granularity: Granularity;
  projected_percent: number;
  target_year: number;
  rate: number;
  ratio?: number;
  /** The series projected: [period, percent]. */
  series: [PeriodText, number][];
}

/**
 * The pro-rated expectation of an open recurring period: the least numerator meeting
 * threshold × denominator × elapsed_days / period_days, computed exactly.
 */
export interface ProRata {
  elapsed_days: number;
  period_days: number;
  expected_numerator: number;
}

/** One unit × indicator × target-period. */
export interface EvalResult {
  unit: string;
  indicator: string;
  target: string;
  period: PeriodText;
  numerator: number | null;
  denominator: number | null;
  percent: number | null;
  threshold: number | null;
  threshold_source?: string;
  comparison: Comparison;
  deadline: IsoDate;
  status: Status;
  gap: number | null;
  confidence: Confidence;
  ci: [number, number] | null;
  projection: Projection | null;
  reason?: string;
  /** With `proRata`, for an open recurring period: the numerator expected by the as-of date. */
  pro_rata?: ProRata;
  rolled_up: boolean;
  /** Where the value came from: typed observations, derived from records, or a roll-up of both; absent without a value. */
  source?: "typed" | "derived" | "mixed";
  /** The rule that derived it (`online_dossiers`, `full_online_procedures`, `online_dossier_ratings`, `online_dossier_ratings_by_field`, `score766_total`). */
  rule?: string;
  rank: number | null;
}

/** One role of the plan's section VI and the current results it must act on. */
export interface RoleGroup {
  id: string;
  label: { vi: string; en: string };
  /** How many of `results` are off track, at risk or not met. */
  attention: number;
  /** Most urgent first: off_track, at_risk, not_met, invalid, insufficient_data, no_data, in_progress, on_track, met_early, met. */
  results: EvalResult[];
}

/** `reportByRole`: the document of `chiso report --by role --format json`. */
export interface RoleReport {
  plan: string;
  as_of: IsoDate;
  /** Every role of the plan, in its order (a role without indicators has no results). */
  roles: RoleGroup[];
  /** Results of indicators that name no role of the plan. */
  unassigned: EvalResult[];
}

/** The evaluation document, as `chiso evaluate --format json` prints it. */
export interface Evaluation {
  plan: string;
  as_of: IsoDate;
  results: EvalResult[];
  rejected: Rejection[];
}

/** One unit of `units.csv`. */
export interface Unit {
  id: string;
  name: string;
  parent: string | null;
  level: string;
  valid_from: IsoDate | null;
  valid_to: IsoDate | null;
  successors: string[];
}

/** The units of `units.csv` in tree order (each parent before its children). */
export interface UnitList {
  units: Unit[];
  rejected: Rejection[];
}

/** A Decision 766 profile: `portal-2026` (the default) or `decision-2022`. */
export type Profile766 = "portal-2026" | "decision-2022";

/** Figures from records that the index does not score but the plan asks to report. */
export interface Reported766 {
  completed_dossiers: number;
  processing_seconds: number;
  average_processing_days: number | null;
  channel_online: number;
  channel_direct: number;
  channel_postal: number;
  online_on_time: number;
  online_late: number;
  feedback_about_rules: number;
  feedback_about_staff: number;
  feedback_about_other: number;
}

/** One unit's counts: metric code → [numerator, denominator]. */
export interface UnitCounts766 {
  unit: string;
  name?: string;
  parent?: string | null;
  level?: string;
  /** `[numerator, denominator]`, or `"full"`: full points by publication, without counts. */
  metrics: Record<string, [number, number] | "full">;
  /** Metrics whose only inputs were rejected: code → the rejected rows. */
  invalid?: Record<string, Rejection[]>;
  reported?: Reported766;
}

/** Decision 766 counts (formats.md). */
export interface Counts766 {
  period: PeriodText;
  units: UnitCounts766[];
}

export interface MetricScore766 {
  code: string;
  numerator: number;
  denominator: number;
  percent: number | null;
  score: number;
  max: number;
  /** The rule, as text (`linear`, `threshold 80%`). */
  rule: string;
  /**
   * Where the score comes from: counts (`scored`; a zero denominator takes the default), no
   * input (`missing`, 0 points), only rejected rows (`invalid`, 0 points), or a publication
   * (`published`, full points).
   */
  status: MetricStatus766;
  /** For an `invalid` metric, the rejected rows that were its only input. */
  rejected_rows?: Rejection[];
  /** Points lost and the additional numerator units that would gain points (null unless the
   * metric is `scored`). */
  gain: Gain766 | null;
}

/**
 * What a metric's numerator would have to grow by, with the denominator as it is: `next_point`
 * the fewest units that gain one whole point (or reach the maximum when less than a point
 * remains), `to_max` the fewest that reach the maximum (a threshold rule: the threshold). Both
 * null with a zero denominator or at the maximum.
 */
export interface Gain766 {
  lost: number;
  next_point: number | null;
  to_max: number | null;
}

/** Where a metric's score comes from. */
export type MetricStatus766 = "scored" | "missing" | "invalid" | "published";

export interface GroupScore766 {
  code: string;
  score: number;
  max: number;
  /** Null when a metric of the group is missing or invalid (unless ranked with incomplete units). */
  rank: number | null;
  metrics: MetricScore766[];
}

export interface UnitScore766 {
  unit: string;
  name?: string;
  parent?: string;
  level: string;
  total: number;
  /** Null for an incomplete unit (unless ranked with incomplete units). */
  rank: number | null;
  /** Every metric scored from data supplied (none missing or invalid). */
  complete: boolean;
  /** Codes of the metrics without input (0 points). */
  missing: string[];
  /** Codes of the metrics whose only inputs were rejected (0 points). */
  invalid: string[];
  groups: GroupScore766[];
  reported?: Reported766;
}

/** The Decision 766 scorecard, as `chiso score766 --format json` prints it. */
export interface Scorecard766 {
  profile: string;
  period: PeriodText;
  units: UnitScore766[];
  rejected: Rejection[];
  /** Rejected rows counted but not listed. */
  rejected_omitted: number;
  /** Rows counted with a warning: a `dossier_id` already given, and the row where it first occurred. */
  warnings: Rejection[];
  /** Warnings counted but not listed (absent when 0). */
  warnings_omitted?: number;
  missing: { unit: string; metric: string }[];
  /** Whether incomplete units were ranked too. */
  ranked_incomplete: boolean;
}

/** One unit of a Decision 766 series; every list has one entry per period (null where absent). */
export interface UnitSeries766 {
  unit: string;
  name?: string;
  level: string;
  totals: (number | null)[];
  /** Whether every metric had its input that period (the scorecard's `complete`); null where absent. */
  complete: (boolean | null)[];
  /** Total minus the previous period's; null for the first period and where either is absent. */
  total_changes: (number | null)[];
  groups: { code: string; scores: (number | null)[]; changes: (number | null)[] }[];
}

/** A Decision 766 series, as `chiso score766 --period 2026-01..2026-08 --format json` prints it. */
export interface Series766 {
  profile: string;
  periods: PeriodText[];
  /** One full scorecard per period, each the one a scorer of that period alone gives. */
  scorecards: Scorecard766[];
  changes: UnitSeries766[];
}

/** The options of `new Scorer766(...)`. */
export interface Scorer766Options {
  /**
   * The period scored: `YYYY-MM` (also `YYYY-Qn` or `YYYY`, months summed), or a range of one
   * kind, `2026-01..2026-08` or `2026-Q1..2026-Q3` (at most 60 periods), finished with
   * `finishSeries()`.
   */
  period: PeriodText;
  profile?: Profile766;
  /** `units.csv`: without it every unit named by a record is a root of its own. */
  unitsCsv?: Bytes;
  /** `procedures.csv`. */
  proceduresCsv?: Bytes;
  /** `feedback.csv`. */
  feedbackCsv?: Bytes;
  /** Counts for the metrics records cannot give (publication, E_CERTIFIED_COPY). */
  countsJson?: Counts766 | Bytes;
  /** Throw at the first rejected row. */
  strict?: boolean;
  /** Rank units with a missing or invalid metric too (by default they are listed unranked). */
  rankIncomplete?: boolean;
  /** How units, procedures, feedback and dossiers are read when they are real exports; set before the first of them is read. */
  inputOptions?: InputOptions | string;
  /**
   * Explain one number rather than score: the records pushed are counted as always and those
   * behind the shortfall of `metric` for `unit` (and the units below it) are listed; finish with
   * `explain()`. A metric that is not counted from records (from the counts file) throws
   * `invalid_argument`, as does an unknown unit or metric.
   */
  explain?: ExplainRequest766;
}

/** What to explain: a unit, a metric code, and how many records to list at most. */
export interface ExplainRequest766 {
  unit: string;
  metric: MetricCode766 | string;
  /** List at most this many records, the first in reading order; the totals still count all. */
  limit?: number;
}

/** Why a record is in a metric's denominator and not in its numerator. */
export type Shortfall766 =
  "late_supplements" | "late_finished" | "late_open" | "unsatisfied_rating" | "complaint"
  | "not_online" | "paper_without_e_result" | "not_full_service" | "not_synced" | "not_digitized"
  | "not_reused" | "not_shared_storage" | "no_citizen_data" | "fee_not_paid_online"
  | "feedback_late" | "feedback_open_late" | "feedback_unsatisfied" | "feedback_raised_again"
  | "procedure_not_online" | "no_online_dossier" | "no_paid_online_dossier"
  | "payment_not_integrated" | "no_citizen_data_dossier";

/** One record behind a shortfall; its fields are the record's text as written. */
export interface ExplainItem766 {
  /** The file it was read from. */
  file: string;
  /** Its row (the header is row 1); null for a procedure. */
  row: number | null;
  /** The dossier id, the feedback id, or the procedure code. */
  id: string;
  unit: string | null;
  procedure: string | null;
  reason: Shortfall766;
  reason_vi: string;
  reason_en: string;
  received_at: string | null;
  due_at: string | null;
  finished_at: string | null;
  supplement_requests: string | null;
  supplement_days: string | null;
  channel: string | null;
}

/** The records behind one Decision 766 number (`chiso score766 explain --format json`). */
export interface Explanation766 {
  profile: string;
  period: PeriodText;
  unit: string;
  metric: string;
  /** Which records the metric is counted from. */
  source: "dossiers" | "feedback" | "procedures";
  /** The scorecard's numerator for the same records. */
  numerator: number;
  /** The scorecard's denominator for the same records. */
  denominator: number;
  /** `denominator − numerator`: every record behind the shortfall. */
  total_shortfall: number;
  /** How many are in `items` (fewer than `total_shortfall` under a limit). */
  listed: number;
  limit: number | null;
  /** Rows rejected while reading (counted nowhere). */
  rejected: number;
  items: ExplainItem766[];
}

/** A language of the label catalogue. */
export type Lang = "vi" | "en";
/** The `reason_code` of a result. */
export type ReasonCode =
  "all_rejected" | "no_observation_in_period" | "too_few_points" | "points_at_one_time" | "overflow"
  | "mixed_census_and_sample" | "sample_without_population" | "zero_denominator"
  | "no_previous_period" | "no_threshold";
/** A Decision 766 metric code of the built-in profiles. */
export type MetricCode766 =
  "PUBLISH_ON_TIME" | "PUBLIC_UPDATE_ON_TIME" | "PUBLIC_CONTENT_FULL" | "DOSSIER_SYNC" | "ON_TIME"
  | "ONLINE_PROCEDURES" | "ONLINE_SERVICES_USED" | "ONLINE_DOSSIERS" | "FULL_ONLINE_DOSSIERS"
  | "E_RESULT" | "DIGITIZED" | "REUSED_DATA" | "SHARED_STORAGE" | "CITIZEN_DATA_DOSSIERS"
  | "CITIZEN_DATA_PROCEDURES" | "E_CERTIFIED_COPY" | "PAID_ONLINE" | "PROCEDURES_PAID_ONLINE"
  | "PROCEDURES_PAYMENT_INTEGRATED" | "FEEDBACK_ON_TIME" | "FEEDBACK_SATISFIED"
  | "DOSSIER_SATISFIED";
/** A Decision 766 group code, or `CODE.profile` where a profile names the group differently. */
export type GroupKey766 =
  "CKMB" | "TDGQ" | "TDGQ.decision-2022" | "CLGQ" | "MDSH" | "TTTT" | "DVCT" | "MDHL";
/** The key of a word of reports, of the command line and of the dashboard. */
export type WordKey =
  "indicator" | "period" | "value" | "ratio" | "target" | "status" | "gap" | "deadline" | "note"
  | "asOf" | "rejected" | "unit" | "byRoleTitle" | "roleAttention" | "roleNothing" | "proRataToggle"
  | "byRoleShort" | "unassigned" | "projected" | "proRataNote" | "pointsWord" | "rolledUp"
  | "rankWord" | "setBy" | "improves" | "scorecard766" | "scorecardHeading" | "metric" | "percent"
  | "points" | "total" | "noUnits" | "seriesHeading" | "seriesNote" | "change" | "totalsOverTime"
  | "pointsToGain" | "pointsToGainOf" | "gainNote" | "pointsLost" | "unitsNextPoint" | "unitsToMax"
  | "nothingToGain" | "noCountToGain" | "sheetResults" | "sheetCharts" | "sheetRejected"
  | "sheetMissing" | "sheetScorecard" | "sheetDetail" | "sheetSeries" | "unitName" | "parentUnit"
  | "level" | "indicatorCode" | "targetCode" | "metricCode" | "numerator" | "denominator"
  | "comparison" | "thresholdColumn" | "thresholdSetBy" | "confidenceColumn" | "ciLow" | "ciHigh"
  | "projectionMethod" | "projectedValue" | "rankedOf" | "rolledUpColumn" | "expectedNumerator" | "sourceColumn" | "roleColumn" | "yes" | "no"
  | "maxPoints" | "rule" | "metricScored" | "kind" | "rejectedOne" | "sourceFile" | "rowNumber"
  | "columnName" | "reason" | "notListed" | "groupScoresByUnit" | "firstUnits" | "xlsxNeedsOutput"
  | "warning" | "error" | "noteWord" | "rejectedRow" | "moreRejected" | "moreWarnings"
  | "missingMetrics" | "invalidMetrics" | "metricMissing" | "metricInvalid" | "metricPublished"
  | "completeColumn" | "completeYes" | "completeNo" | "cannotRead" | "cannotWrite" | "stdinOnce" | "noSuchCommand"
  | "cannotCreate" | "rowsRejectedExit" | "needCountsOrDossiers" | "dossiersNeedPeriod"
  | "oneCountsAlone" | "title" | "subtitle" | "language" | "units" | "indicators" | "trends"
  | "noValue" | "projectedTo" | "threshold" | "rank" | "scorecard" | "profile" | "group"
  | "openFile" | "fileHint" | "processing" | "done" | "rows" | "none" | "loading"
  | "sampleScorecard" | "yourFile" | "unknownFile" | "missing" | "useSample" | "portalCheckHeading"
  | "portalSummary" | "endpoint" | "published" | "computed" | "reproduced" | "disagreement"
  | "notRecomputable" | "disagreements" | "countsBehind" | "averageOfUnits" | "portalNotes"
  | "explainHeading" | "explainListed" | "explainNothing" | "explainOpen" | "explainClose" | "recordId"
  | "receivedAt" | "dueAt" | "finishedAt" | "supplementRequests" | "supplementDays" | "channelColumn"
  | "procedureColumn" | "shortfallLateSupplements" | "shortfallLateFinished" | "shortfallLateOpen"
  | "shortfallUnsatisfiedRating" | "shortfallComplaint" | "shortfallNotOnline"
  | "shortfallPaperWithoutEResult" | "shortfallNotFullService" | "shortfallNotSynced"
  | "shortfallNotDigitized" | "shortfallNotReused" | "shortfallNotSharedStorage"
  | "shortfallNoCitizenData" | "shortfallFeeNotPaidOnline" | "shortfallFeedbackLate"
  | "shortfallFeedbackOpenLate" | "shortfallFeedbackUnsatisfied" | "shortfallFeedbackRaisedAgain"
  | "shortfallProcedureNotOnline" | "shortfallNoOnlineDossier" | "shortfallNoPaidOnlineDossier"
  | "shortfallPaymentNotIntegrated" | "shortfallNoCitizenDataDossier"
  | "sourceTyped" | "sourceDerived" | "sourceMixed" | "shortfallTitle" | "shortfallMore" | "shortfallReason"
  | "recordWord" | "procedureWord" | "reasonNotOnlineChannel" | "reasonPaperResult" | "reasonRatedUnsatisfied" | "reasonNotOfferedFull"
  | "needDossiers" | "dossiersNotStdin" | "rowOf" | "derivedCount";

/**
 * Every label of the catalogue in one language, as `labels(lang)` returns it. Texts with values
 * hold named placeholders (`{period}`, `{count}`) to replace.
 */
export interface LabelCatalogue {
  lang: Lang;
  status: Record<Status, string>;
  reason: Record<ReasonCode, string>;
  confidence: Record<Confidence, string>;
  metric: Record<MetricCode766, string>;
  group: Record<GroupKey766, string>;
  word: Record<WordKey, string>;
}

/** An endpoint of the national portal's evaluation page, by its folder name. */
export type PortalEndpoint =
  "transparency" | "dvc-progress-tree" | "provide-online-tree" | "dossier-digitized"
  | "formality-online-payment-tree" | "handling-satisfaction";
/** One saved response: its JSON as text, bytes or the parsed object. */
export type PortalResponse = Bytes | object;
/**
 * The portal's saved responses, one per endpoint: `{ endpoint: json }`, or an array of
 * `[endpoint, json]` pairs or `{ endpoint, json }` objects.
 */
export type PortalFiles =
  Partial<Record<PortalEndpoint, PortalResponse>>
  | Array<[PortalEndpoint, PortalResponse] | { endpoint: PortalEndpoint; json: PortalResponse }>;
/** A metric's imported value: `[numerator, denominator]`, or `"full"` (full points by publication). */
export type PortalMetricValue = [number, number] | "full";
/** One unit of the portal's responses, in the counts document. */
export interface PortalUnitCounts {
  /** `departmentId`. */
  unit: string;
  name?: string;
  /** `departmentCode`, where a response gives it. */
  code?: string;
  parent?: string;
  /** `province`, `agency` or `commune`. */
  level?: string;
  metrics: Partial<Record<MetricCode766, PortalMetricValue>>;
}
/** The counts of every unit of the portal's responses (formats.md, "Decision 766 counts"). */
export interface PortalCounts {
  period: PeriodText;
  units: PortalUnitCounts[];
}
/** One published value, compared with chiso's. */
export interface PortalCheckItem {
  unit: string;
  name?: string;
  endpoint: PortalEndpoint;
  /** The JSON path of the value in the response (`data.evaluation[3].metrics[2].score`). */
  path: string;
  kind: "metric" | "group" | "average";
  /** The chiso metric or group code. */
  code: string;
  /** The published value; null where the portal published null (read as 0). */
  value: number | null;
  recomputable: boolean;
  /** For a group: the metrics it is the sum of. */
  parts?: string[];
  computed: number | null;
  method?: "exact" | "portal-payment-arithmetic" | "mean-of-units";
  outcome: "reproduced" | "disagreement" | "not_recomputable";
  /** The counts behind a disagreement. */
  counts?: Partial<Record<MetricCode766, PortalMetricValue>>;
}
/** The check of every published value, as `chiso portal check --format json` prints it. */
export interface PortalCheck {
  profile: string;
  period: PeriodText;
  endpoints: PortalEndpoint[];
  total: number;
  reproduced: number;
  disagreements: number;
  not_recomputable: number;
  items: PortalCheckItem[];
  /** The 100-point totals, when all six responses were given. */
  totals: { unit: string; name?: string; total: number }[];
  /** The portal's data-quality notes (`dataQualityStatus`). */
  notes: { unit: string; endpoint: PortalEndpoint; metric: string; status: string; message?: string }[];
}
