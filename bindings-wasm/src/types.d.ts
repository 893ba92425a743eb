/** Stable codes of `ChisoError`: the core's error codes and the binding's own. */
export type ErrorCode =
  | "invalid_argument" | "missing_column" | "bad_header" | "io" | "bad_json" | "rejected_row"
  | "invalid_input" | "invalid_plan" | "unknown_profile" | "invalid_profile" | "scorer_finished"
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
  rolled_up: boolean;
  rank: number | null;
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
