//! `chiso derive` (the observations records determine) and `chiso explain --indicator` (the
//! records behind a derived indicator's shortfall), and the record options of `chiso evaluate`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chiso::api::{self, ExplainTarget, Names766, Records};
use chiso::derive::explain::{Shortfall, ShortfallReason};
use chiso::labels::{Lang, Word, fill};
use chiso::tabular::write::{Cell, CsvWriter};

use crate::evaluate::{InputArgs, LangArg, name, read};
use crate::failure::Failure;

/// Dossier, procedure and feedback records (for `evaluate`, `derive` and `explain`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RecordArgs {
    /// Dossier records (CSV or a workbook, or JSON lines if the name ends in .jsonl or .ndjson).
    #[arg(long, value_name = "FILE")]
    pub dossiers: Option<PathBuf>,
    /// Procedures CSV (service level, eligibility, field, authority level).
    #[arg(long, value_name = "FILE", requires = "dossiers")]
    pub procedures: Option<PathBuf>,
    /// Feedback records (CSV, or JSON lines), for the Decision 766 total.
    #[arg(long, value_name = "FILE", requires = "dossiers")]
    pub feedback: Option<PathBuf>,
    /// The Decision 766 profile of `service_quality_improves`: portal-2026 (default) or
    /// decision-2022.
    #[arg(long, value_name = "NAME", requires = "dossiers")]
    pub profile: Option<String>,
    /// Counts JSON for the Decision 766 metrics records cannot give (publication,
    /// E_CERTIFIED_COPY), one file per month, as `score766 --counts` (without it they score 0 in
    /// `service_quality_improves`).
    #[arg(long, value_name = "FILE", requires = "dossiers")]
    pub counts: Vec<PathBuf>,
}

/// The records' files read (procedures and feedback are small; the dossiers are opened, twice).
#[derive(Debug)]
pub struct Loaded {
    dossiers: PathBuf,
    procedures: Option<Vec<u8>>,
    feedback: Option<Vec<u8>>,
    counts: Vec<(Vec<u8>, String)>,
    names: Names766,
    args: RecordArgs,
}

impl RecordArgs {
    /// The files read, or `None` without `--dossiers`.
    pub fn load(&self, lang: Lang) -> Result<Option<Loaded>, Failure> {
        let Some(dossiers) = &self.dossiers else { return Ok(None) };
        if dossiers.as_os_str() == "-" {
            return Err(Failure::usage(Word::DossiersNotStdin.get(lang)));
        }
        let defaults = Names766::default();
        let named = |path: &Option<PathBuf>, default: &str| path.as_deref().map_or_else(|| default.to_owned(), name);
        let names = Names766 {
            dossiers: name(dossiers),
            procedures: named(&self.procedures, &defaults.procedures),
            feedback: named(&self.feedback, &defaults.feedback),
            ..defaults
        };
        Ok(Some(Loaded {
            dossiers: dossiers.clone(),
            procedures: self.procedures.as_deref().map(|p| read(p, lang)).transpose()?,
            feedback: self.feedback.as_deref().map(|p| read(p, lang)).transpose()?,
            counts: self.counts.iter().map(|p| Ok((read(p, lang)?, name(p)))).collect::<Result<_, Failure>>()?,
            names,
            args: self.clone(),
        }))
    }
}

impl Loaded {
    /// The core's records: the dossier file opened anew each time the core reads it.
    pub fn records(&self, _lang: Lang) -> Records<'_> {
        let path = self.dossiers.clone();
        Records {
            dossiers: Box::new(move || {
                let file = std::fs::File::open(&path)?;
                Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, file)) as Box<dyn std::io::Read + Send>)
            }),
            dossiers_json_lines: api::is_json_lines_name(&self.names.dossiers),
            procedures_csv: self.procedures.as_deref(),
            feedback: self.feedback.as_deref(),
            feedback_json_lines: self.args.feedback.as_deref().is_some_and(|p| api::is_json_lines_name(&name(p))),
            profile: self.args.profile.as_deref(),
            counts: self.counts.iter().map(|(b, n)| (b.as_slice(), n.clone())).collect(),
            names: self.names.clone(),
        }
    }
}

/// Output formats of `chiso derive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeriveFormat {
    /// observations.csv (formats.md) with a `source` column.
    Csv,
    /// JSON: the range, the observations and the rejected rows.
    Json,
}

/// Derive, per unit and month, the plan observations that dossier and procedure records determine.
#[derive(Debug, Clone, clap::Args)]
pub struct DeriveArgs {
    #[command(flatten)]
    pub records: RecordArgs,
    /// Units CSV (without it, every unit named by a record is a root of its own).
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// The first month, YYYY-MM.
    #[arg(long, value_name = "YYYY-MM")]
    pub from: String,
    /// The last month, YYYY-MM.
    #[arg(long, value_name = "YYYY-MM")]
    pub to: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: DeriveFormat,
    /// Stop at the first rejected row.
    #[arg(long)]
    pub strict: bool,
    /// Exit with status 3 when any row was rejected (the observations are still written).
    #[arg(long)]
    pub fail_on_rejected: bool,
    /// Language of the messages (also the environment variable `CHISO_LANG`).
    #[arg(long, value_enum, default_value_t, env = "CHISO_LANG")]
    pub lang: LangArg,
    #[command(flatten)]
    pub output: crate::output::OutputArg,
    /// How the dossiers, units and procedures files are read when they are real exports.
    #[command(flatten, next_help_heading = "Real exports (the dossiers, units and procedures files)")]
    pub input: InputArgs,
}

fn units_bytes(path: Option<&Path>, lang: Lang) -> Result<Option<Vec<u8>>, Failure> {
    path.map(|p| read(p, lang)).transpose()
}

fn need_dossiers(records: &RecordArgs, lang: Lang) -> Result<Loaded, Failure> {
    records.load(lang)?.ok_or_else(|| Failure::usage(Word::NeedDossiers.get(lang)))
}

/// Runs `chiso derive`.
pub fn derive(args: &DeriveArgs) -> Result<ExitCode, Failure> {
    let lang = Lang::from(args.lang);
    let range = api::month_range(&args.from, &args.to)?;
    let loaded = need_dossiers(&args.records, lang)?;
    let units = units_bytes(args.units.as_deref(), lang)?;
    let mut records = loaded.records(lang);
    records.names.units = args.units.as_deref().map_or_else(|| records.names.units.clone(), name);
    let derived = api::derive(range, units.as_deref(), records, &args.input.options(lang)?, args.strict)?;
    crate::print_rejected(&derived.rejected, derived.rejected_omitted, lang);
    let count = derived.observations.len();
    let message =
        fill(Word::DerivedCount.get(lang), &[("count", &count), ("from", &derived.from), ("to", &derived.to)]);
    crate::say(lang, Word::NoteWord, &message);
    let mut out = args.output.open(lang)?;
    let written = match args.format {
        DeriveFormat::Csv => chiso::derive::write_csv(&derived.observations, &mut out),
        DeriveFormat::Json => writeln!(out, "{}", derived.to_json()),
    };
    out.finish(written)?;
    let rejected = (derived.rejected.len() as u64).saturating_add(derived.rejected_omitted);
    Ok(crate::evaluate::exit_status(rejected, args.fail_on_rejected, lang))
}

/// Output formats of `chiso explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Aligned lines for a terminal.
    Table,
    /// CSV with a UTF-8 BOM, one row per record.
    Csv,
    /// JSON: the numerator, the denominator and the records.
    Json,
}

/// List the records behind the shortfall of a plan indicator derived from records.
#[derive(Debug, Clone, clap::Args)]
pub struct ExplainArgs {
    /// The indicator (dossiers_fully_online, procedures_full_online, satisfaction,
    /// satisfaction_land, …).
    #[arg(long, value_name = "ID")]
    pub indicator: String,
    /// The unit (its own records and its subtree's).
    #[arg(long, value_name = "ID")]
    pub unit: String,
    /// The period: YYYY, YYYY-Qn or YYYY-MM.
    #[arg(long, value_name = "PERIOD")]
    pub period: String,
    #[command(flatten)]
    pub records: RecordArgs,
    /// Units CSV.
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// List at most N records (the others are counted).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ExplainFormat,
    /// Stop at the first rejected row.
    #[arg(long)]
    pub strict: bool,
    /// Language of the table and the messages (also the environment variable `CHISO_LANG`).
    #[arg(long, value_enum, default_value_t, env = "CHISO_LANG")]
    pub lang: LangArg,
    #[command(flatten)]
    pub output: crate::output::OutputArg,
    /// How the dossiers, units and procedures files are read when they are real exports.
    #[command(flatten, next_help_heading = "Real exports (the dossiers, units and procedures files)")]
    pub input: InputArgs,
}

/// Runs `chiso explain --indicator`.
pub fn explain(args: &ExplainArgs) -> Result<ExitCode, Failure> {
    let lang = Lang::from(args.lang);
    let loaded = need_dossiers(&args.records, lang)?;
    let units = units_bytes(args.units.as_deref(), lang)?;
    let mut records = loaded.records(lang);
    records.names.units = args.units.as_deref().map_or_else(|| records.names.units.clone(), name);
    let target =
        ExplainTarget { indicator: &args.indicator, unit: &args.unit, period: &args.period, limit: args.limit };
    let shortfall = api::explain_indicator(target, units.as_deref(), records, &args.input.options(lang)?, args.strict)?;
    crate::print_rejected(&shortfall.rejected, shortfall.rejected_omitted, lang);
    let mut out = args.output.open(lang)?;
    let written = match args.format {
        ExplainFormat::Json => writeln!(out, "{}", shortfall.to_json()),
        ExplainFormat::Csv => csv(&shortfall, lang, &mut out),
        ExplainFormat::Table => out.write_all(table(&shortfall, lang).as_bytes()),
    };
    out.finish(written)?;
    Ok(ExitCode::SUCCESS)
}

/// A reason in words.
fn reason_text(reason: ShortfallReason, lang: Lang) -> &'static str {
    match reason {
        ShortfallReason::NotOnlineChannel => Word::ReasonNotOnlineChannel.get(lang),
        ShortfallReason::PaperResultWithoutEResult => Word::ReasonPaperResult.get(lang),
        ShortfallReason::RatedUnsatisfied => Word::ReasonRatedUnsatisfied.get(lang),
        ShortfallReason::NotOfferedFullOnline => Word::ReasonNotOfferedFull.get(lang),
    }
}

fn table(s: &Shortfall, lang: Lang) -> String {
    let short = s.denominator.saturating_sub(s.numerator);
    let values: [(&str, &dyn std::fmt::Display); 6] = [
        ("indicator", &s.indicator),
        ("unit", &s.unit),
        ("period", &s.period),
        ("numerator", &s.numerator),
        ("denominator", &s.denominator),
        ("shortfall", &short),
    ];
    let mut out = fill(Word::ShortfallTitle.get(lang), &values);
    out.push('\n');
    let header = [Word::RecordWord, Word::Unit, Word::ProcedureWord, Word::Period, Word::ShortfallReason];
    let mut rows: Vec<[String; 5]> = vec![header.map(|w| w.get(lang).to_owned())];
    for i in &s.items {
        let month = i.month.map(|m| m.to_string()).unwrap_or_default();
        let row = i.row.map_or_else(String::new, |r| {
            let source = i.source.as_deref().unwrap_or_default();
            format!(" ({})", fill(Word::RowOf.get(lang), &[("source", &source), ("row", &r)]))
        });
        let reason = format!("{}{row}", reason_text(i.reason, lang));
        rows.push([i.id.clone(), i.unit.clone(), i.procedure.clone(), month, reason]);
    }
    if s.items.is_empty() {
        rows.clear();
    }
    let mut widths = [0usize; 5];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for r in &rows {
        let cells: Vec<String> = r.iter().zip(widths).map(|(text, w)| format!("{text:<w$}")).collect();
        out.push_str("  ");
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    if s.omitted > 0 {
        out.push_str(&fill(Word::ShortfallMore.get(lang), &[("count", &s.omitted)]));
        out.push('\n');
    }
    out
}

fn csv(s: &Shortfall, lang: Lang, out: impl std::io::Write) -> std::io::Result<()> {
    let mut w = CsvWriter::with_bom(out)?;
    w.header(&["record", "id", "unit", "procedure", "month", "reason", "reason_label", "source", "row"])?;
    for i in &s.items {
        let (month, row) = (i.month.map(|m| m.to_string()), i.row.map(|r| r.to_string()));
        w.row([
            Cell::Text(i.record),
            Cell::Text(&i.id),
            Cell::Text(&i.unit),
            Cell::Text(&i.procedure),
            month.as_deref().map_or(Cell::Empty, Cell::Text),
            Cell::Text(i.reason.code()),
            Cell::Text(reason_text(i.reason, lang)),
            i.source.as_deref().map_or(Cell::Empty, Cell::Text),
            row.as_deref().map_or(Cell::Empty, Cell::Number),
        ])?;
    }
    Ok(())
}
