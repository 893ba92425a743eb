//! `chiso report`, `chiso evaluate`, `chiso plan` and `chiso schema`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chiso::api::{ColumnMap, EvaluateRequest, InputOptions, SourceNames};
use chiso::date::{Date, Instant};
use chiso::evaluate::Evaluation;
use chiso::labels::{Lang, Word, fill};
use chiso::plan::Method;
use chiso::units::UnitTree;

use crate::failure::Failure;
use crate::output::{Output, OutputArg};
use crate::report::{self, Style};

/// The bundled sample town.
pub const SAMPLE_UNITS: &str = include_str!("../sample/units.csv");
/// Its observations, 2024 to 2026.
pub const SAMPLE_OBSERVATIONS: &str = include_str!("../sample/observations.csv");

/// Output formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table (coloured on a terminal).
    #[default]
    Table,
    /// JSON exactly as `formats.md` ("Evaluation result").
    Json,
    /// CSV with a UTF-8 BOM, for Excel.
    Csv,
    /// Markdown, for pasting into a report.
    Md,
    /// An Excel workbook (needs `-o FILE`, or `-o -` for standard output): results, a chart of
    /// each indicator against its target, rejected rows, missing data.
    Xlsx,
}

/// Report languages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// Vietnamese.
    #[default]
    Vi,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Vi => Self::Vi,
            LangArg::En => Self::En,
        }
    }
}

/// How real exports are read (exports.md): one set of options for every tabular input of the
/// command, passed once to the core.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InputArgs {
    /// The sheet of an .xlsx input (default: the first); .xlsx files are told by their content.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The header's row, from 1, for a title block above it (default: the first row of a CSV
    /// file; in a sheet, the first of its first 30 rows that names the most known columns).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub header_row: Option<u32>,
    /// A column map, `{"columns": {canonical: header}, "values": {column: {value: canonical}}}`,
    /// for headers and values that no alias covers (`chiso schema exports` lists the aliases).
    #[arg(long, value_name = "MAP.json")]
    pub columns: Option<PathBuf>,
    /// The field separator of CSV inputs (default: detected from each header).
    #[arg(long, value_name = ",|;|tab")]
    pub delimiter: Option<String>,
    /// Numbers in CSV inputs are written `1.234,5` (`,` decimal mark, `.` thousands).
    #[arg(long)]
    pub decimal_comma: bool,
}

impl InputArgs {
    /// The core's options: the column map read and checked there.
    pub fn options(&self, lang: Lang) -> Result<InputOptions, Failure> {
        let delimiter =
            self.delimiter.as_deref().map(InputOptions::parse_delimiter).transpose().map_err(Failure::usage)?;
        let columns = match &self.columns {
            Some(path) => {
                let map = ColumnMap::from_json(&read(path, lang)?, &name(path)).map_err(chiso::Error::from)?;
                Some(std::sync::Arc::new(map))
            }
            None => None,
        };
        Ok(InputOptions {
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            delimiter,
            columns,
            decimal_comma: self.decimal_comma,
        })
    }
}

/// How `--by` groups the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    /// By who must act (the plan's responsible roles).
    Role,
}

/// Options shared by `report` and `evaluate`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Common {
    /// units.csv: the unit tree (default: a flat list of the observed units).
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// A plan JSON (default: the built-in plan; `chiso plan` prints it).
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// The date to evaluate as of (default: today in Vietnam).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Only report this unit (values still roll up from the whole tree).
    #[arg(long, value_name = "ID")]
    pub unit: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Report language (also the environment variable `CHISO_LANG`).
    #[arg(long, value_enum, default_value_t, env = "CHISO_LANG")]
    pub lang: LangArg,
    /// Projection method for every target (default: each indicator's own, `linear`).
    #[arg(long, value_name = "linear|growth-ratio|logit")]
    pub method: Option<Method>,
    /// Smallest denominator for a unit to be ranked.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_rank_denominator: u64,
    /// Stop at the first rejected row.
    #[arg(long)]
    pub strict: bool,
    /// How the observations and units files are read when they are real exports.
    #[command(flatten, next_help_heading = "Real exports (the observations and units files)")]
    pub input: InputArgs,
    /// Group the results: `role` lists, for each role of the plan's section VI, the current
    /// results of the indicators it is responsible for, most urgent first (with `--format xlsx`,
    /// every workbook has this view as its "who must act" sheet).
    #[arg(long, value_enum, value_name = "role")]
    pub by: Option<GroupBy>,
    /// Judge open recurring periods (`≥ 100 % every year`, in November) against the share of the
    /// period elapsed: on track or at risk, with the numerator expected by now, instead of
    /// "in progress".
    #[arg(long)]
    pub pro_rata: bool,
    /// Exit with status 3 when any row was rejected (the report is still written).
    #[arg(long)]
    pub fail_on_rejected: bool,
    #[command(flatten)]
    pub output: OutputArg,
}

/// `chiso report`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportArgs {
    /// observations.csv or .json (default: the bundled sample town).
    #[arg(long, value_name = "FILE")]
    pub observations: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// `chiso evaluate`.
#[derive(Debug, Clone, clap::Args)]
pub struct EvaluateArgs {
    /// observations.csv, or a JSON array of observations (`.json`).
    #[arg(long, value_name = "FILE")]
    pub observations: PathBuf,
    #[command(flatten)]
    pub common: Common,
    /// Records beside the observations: what they determine is used where no typed observation
    /// covers the same unit, indicator and period (a typed one wins).
    #[command(flatten, next_help_heading = "Records (observations derived from them)")]
    pub records: crate::derive::RecordArgs,
}

/// `chiso plan`.
#[derive(Debug, Clone, clap::Args)]
pub struct PlanArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Json)]
    pub format: PlanFormat,
    #[command(flatten)]
    pub lang: LangOpt,
    #[command(flatten)]
    pub output: OutputArg,
}

/// `--lang` for the commands whose output is data: the language of their messages.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LangOpt {
    /// Language of the messages (also the environment variable `CHISO_LANG`).
    #[arg(long, value_enum, default_value_t, env = "CHISO_LANG")]
    pub lang: LangArg,
}

/// Formats of `chiso plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// JSON.
    Json,
}

/// `chiso schema`.
#[derive(Debug, Clone, clap::Args)]
pub struct SchemaArgs {
    /// Which format.
    #[arg(value_enum)]
    pub which: SchemaKind,
    #[command(flatten)]
    pub lang: LangOpt,
    #[command(flatten)]
    pub output: OutputArg,
}

/// The formats with a JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// A row of observations.csv (or an item of the JSON array).
    Observations,
    /// A row of units.csv.
    Units,
    /// A plan JSON.
    Plan,
    /// The evaluation result JSON.
    Result,
    /// Every shape of real exports the tabular inputs accept: each column's aliases, date shapes,
    /// booleans, channel, rating and kind words, separators, encodings.
    Exports,
}

pub(crate) fn read(path: &Path, lang: Lang) -> Result<Vec<u8>, Failure> {
    std::fs::read(path)
        .map_err(|e| Failure::io(fill(Word::CannotRead.get(lang), &[("path", &path.display()), ("error", &e)])))
}

pub(crate) fn name(path: &Path) -> String {
    if is_stdin(path) { "stdin".to_owned() } else { path.display().to_string() }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// An input opened as a buffered stream (`-` is standard input), never read whole: the core reads
/// it record by record.
type Input = (Box<dyn Read>, String);

fn open(path: &Path, lang: Lang) -> Result<Input, Failure> {
    if is_stdin(path) {
        return Ok((Box::new(std::io::stdin().lock()), name(path)));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::io(fill(Word::CannotRead.get(lang), &[("path", &path.display()), ("error", &e)])))?;
    Ok((Box::new(std::io::BufReader::with_capacity(1 << 16, file)), name(path)))
}

/// Today in Vietnam (UTC+7), from the system clock: the core has no clock, so that it stays pure
/// and runs where there is none (the WASM package reads the JS clock instead).
fn today_in_vietnam() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    Instant(seconds).local_date()
}

/// Runs an evaluation on the given streams, through the core's request, and prints it to `out`.
/// Returns the number of rows rejected and the outcome of the writes (for [`Output::finish`]).
fn run(
    observations: Input,
    units: Option<Input>,
    common: &Common,
    records: Option<&crate::derive::Loaded>,
    out: &mut Output,
) -> Result<(u64, std::io::Result<()>), Failure> {
    let lang = Lang::from(common.lang);
    let plan_bytes = common.plan.as_deref().map(|p| read(p, lang)).transpose()?;
    let defaults = SourceNames::default();
    let plan_name = common.plan.as_deref().map_or_else(|| defaults.plan.to_owned(), name);
    let (units_csv, units_name) = match units {
        Some((reader, name)) => (Some(reader), name),
        None => (None, defaults.units.to_owned()),
    };
    let request = EvaluateRequest {
        plan_json: plan_bytes.as_deref(),
        units_csv,
        observations: observations.0,
        observations_are_json: chiso::api::is_json_name(&observations.1),
        names: SourceNames { plan: &plan_name, units: &units_name, observations: &observations.1 },
        strict: common.strict,
        as_of: common.as_of.as_deref(),
        unit: common.unit.as_deref(),
        method: common.method.map(Method::as_str),
        min_rank_denominator: Some(common.min_rank_denominator),
        input: common.input.options(lang)?,
        pro_rata: common.pro_rata,
        records: records.map(|l| l.records(lang)),
    };
    let evaluated = chiso::api::evaluate(request, today_in_vietnam)?;
    let evaluation = &evaluated.evaluation;
    crate::print_rejected(&evaluation.rejected, evaluation.rejected_omitted, lang);
    let written = if common.format == Format::Xlsx {
        out.write_all(&chiso::xlsx_out::evaluation_xlsx(&evaluated, lang)?)
    } else {
        print(evaluation, &evaluated.plan, &evaluated.units, common, out)
    };
    Ok(((evaluation.rejected.len() as u64).saturating_add(evaluation.rejected_omitted), written))
}

fn print(
    evaluation: &Evaluation,
    plan: &chiso::plan::Plan,
    tree: &UnitTree,
    common: &Common,
    out: &mut Output,
) -> std::io::Result<()> {
    let lang = Lang::from(common.lang);
    if common.by == Some(GroupBy::Role) {
        let grouped = chiso::by_role::by_role(evaluation, plan);
        return match common.format {
            Format::Json => writeln!(out, "{}", grouped.to_json()),
            Format::Csv => crate::roles::csv(&grouped, plan, lang, &mut *out),
            Format::Md => out.write_all(crate::roles::markdown(&grouped, plan, tree, lang).as_bytes()),
            Format::Table => {
                let colour = out.colour();
                out.write_all(crate::roles::table(&grouped, plan, tree, Style { lang, colour }).as_bytes())
            }
            // Written by `run`, from the whole evaluation.
            Format::Xlsx => Ok(()),
        };
    }
    match common.format {
        // Straight to the output, never the whole document in memory; the same bytes as
        // `to_json()` and a newline.
        Format::Json => evaluation.write_json(&mut *out).and_then(|()| out.write_all(b"\n")),
        Format::Csv => report::csv(evaluation, plan, lang, &mut *out),
        Format::Md => out.write_all(report::markdown(evaluation, plan, tree, lang).as_bytes()),
        Format::Table => {
            let colour = out.colour();
            out.write_all(report::table(evaluation, plan, tree, Style { lang, colour }).as_bytes())
        }
        // Written by `run`, from the whole evaluation.
        Format::Xlsx => Ok(()),
    }
}

/// The exit status after a report: success, or 3 with `--fail-on-rejected` when rows were rejected.
pub fn exit_status(rejected: u64, fail_on_rejected: bool, lang: Lang) -> ExitCode {
    if fail_on_rejected && rejected > 0 {
        crate::say(lang, Word::Error, &fill(Word::RowsRejectedExit.get(lang), &[("count", &rejected)]));
        ExitCode::from(crate::EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    }
}

/// `chiso` / `chiso report`.
pub fn report(args: &ReportArgs) -> Result<ExitCode, Failure> {
    let lang = Lang::from(args.common.lang);
    if args.common.format == Format::Xlsx {
        args.common.output.check_binary(lang)?;
    }
    match &args.observations {
        Some(path) => {
            let observations = open(path, lang)?;
            let units = args.common.units.as_deref().map(|p| open(p, lang)).transpose()?;
            let mut out = args.common.output.open(lang)?;
            let (rejected, written) = run(observations, units, &args.common, None, &mut out)?;
            out.finish(written)?;
            Ok(exit_status(rejected, args.common.fail_on_rejected, lang))
        }
        None => {
            let units: Input = match args.common.units.as_deref() {
                Some(p) => open(p, lang)?,
                None => (Box::new(SAMPLE_UNITS.as_bytes()), "sample/units.csv".to_owned()),
            };
            let sample: Input = (Box::new(SAMPLE_OBSERVATIONS.as_bytes()), "sample/observations.csv".to_owned());
            let mut out = args.common.output.open(lang)?;
            let (rejected, mut written) = run(sample, Some(units), &args.common, None, &mut out)?;
            // The sample town's Decision 766 scorecard for its latest month follows the plan's report.
            if matches!(args.common.format, Format::Table | Format::Md)
                && args.common.unit.is_none()
                && args.common.by.is_none()
            {
                let section = crate::score766::sample_section(lang, args.common.format == Format::Md)?;
                written = written.and_then(|()| out.write_all(section.as_bytes()));
            }
            out.finish(written)?;
            Ok(exit_status(rejected, args.common.fail_on_rejected, lang))
        }
    }
}

/// `chiso evaluate`.
pub fn evaluate(args: &EvaluateArgs) -> Result<ExitCode, Failure> {
    let lang = Lang::from(args.common.lang);
    if args.common.format == Format::Xlsx {
        args.common.output.check_binary(lang)?;
    }
    if is_stdin(&args.observations) && args.common.units.as_deref().is_some_and(is_stdin) {
        return Err(Failure::usage(Word::StdinOnce.get(lang)));
    }
    let observations = open(&args.observations, lang)?;
    let units = args.common.units.as_deref().map(|p| open(p, lang)).transpose()?;
    let loaded = args.records.load(lang)?;
    let records = loaded.as_ref();
    let mut out = args.common.output.open(lang)?;
    let (rejected, written) = run(observations, units, &args.common, records, &mut out)?;
    out.finish(written)?;
    Ok(exit_status(rejected, args.common.fail_on_rejected, lang))
}

/// `chiso plan`.
pub fn plan(args: &PlanArgs) -> Result<ExitCode, Failure> {
    let mut out = args.output.open(args.lang.lang.into())?;
    let written = match args.format {
        PlanFormat::Json => writeln!(out, "{}", chiso::builtin::builtin_plan().to_json()),
    };
    out.finish(written)?;
    Ok(ExitCode::SUCCESS)
}

/// `chiso schema`.
pub fn schema(args: &SchemaArgs) -> Result<ExitCode, Failure> {
    let schema = match args.which {
        SchemaKind::Observations => schemars::schema_for!(chiso::observation::Observation),
        SchemaKind::Units => schemars::schema_for!(chiso::units::UnitRow),
        SchemaKind::Plan => schemars::schema_for!(chiso::plan::Plan),
        SchemaKind::Result => schemars::schema_for!(Evaluation),
        SchemaKind::Exports => {
            let shapes = chiso::headers::accepted_shapes();
            println!("{}", serde_json::to_string_pretty(&shapes).map_err(|e| Failure::io(e.to_string()))?);
            return Ok(ExitCode::SUCCESS);
        }
    };
    let text = serde_json::to_string_pretty(&schema).map_err(|e| Failure::io(e.to_string()))?;
    let mut out = args.output.open(args.lang.lang.into())?;
    let written = writeln!(out, "{text}");
    out.finish(written)?;
    Ok(ExitCode::SUCCESS)
}
