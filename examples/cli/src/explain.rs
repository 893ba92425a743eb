//! `chiso score766 explain`: the records behind one Decision 766 number (issue 10, part 2).
//!
//! The same record files and input options as `chiso score766`, read once more through the same
//! core session, opened to explain `--metric` for `--unit` (with the units below it) and
//! `--period`: the dossiers, feedback items or procedures counted in the denominator and not in
//! the numerator, each with its file, row, id and reason, `denominator − numerator` of them.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chiso::labels::{Lang, Word, fill};
use chiso::score766::{ExplainRequest, Explanation};
use chiso::tabular::write::{Cell, CsvWriter};
use chiso::xlsx_out::EXPLAIN_COLUMNS;

use crate::failure::Failure;
use crate::score766::{Format, Score766Args};

/// How the list is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// The counts, then aligned columns for a terminal.
    Table,
    /// CSV with a UTF-8 BOM, one row per record (machine column names).
    Csv,
    /// An Excel workbook of one sheet (needs `-o FILE`, or `-o -` for standard output).
    Xlsx,
    /// JSON: the counts and the items (the core's `Explanation`).
    Json,
}

/// List the records behind one Decision 766 number: why `--metric` of `--unit` is short of full.
#[derive(Debug, Clone, clap::Args)]
pub struct ExplainArgs {
    /// The unit (its records and those of the units below it, as the scorecard counts them).
    #[arg(long, value_name = "ID")]
    pub unit: String,
    /// The metric code (ON_TIME, ONLINE_DOSSIERS, FEEDBACK_ON_TIME, ONLINE_SERVICES_USED …).
    #[arg(long, value_name = "CODE")]
    pub metric: String,
    /// The period: YYYY-MM (also YYYY-Qn or YYYY).
    #[arg(long, value_name = "PERIOD")]
    pub period: String,
    /// Dossier records (CSV, or JSON lines if the name ends in .jsonl or .ndjson; `-`: standard
    /// input, CSV).
    #[arg(long, value_name = "FILE")]
    pub dossiers: PathBuf,
    /// Procedures CSV (needed for the distinct-procedure metrics).
    #[arg(long, value_name = "FILE")]
    pub procedures: Option<PathBuf>,
    /// Feedback records (needed for the feedback metrics).
    #[arg(long, value_name = "FILE")]
    pub feedback: Option<PathBuf>,
    /// Units CSV (without it, every unit named by a record is a root of its own).
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// Counts JSON, as for `chiso score766` (its figures are not records: nothing to list).
    #[arg(long, value_name = "FILE")]
    pub counts: Vec<PathBuf>,
    /// The profile: portal-2026 (default) or decision-2022.
    #[arg(long, default_value = "portal-2026", value_name = "NAME")]
    pub profile: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ExplainFormat,
    /// List at most N records, the first in reading order (the totals still count every one).
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Stop at the first rejected row.
    #[arg(long)]
    pub strict: bool,
    /// Language of the table and of the messages (also the environment variable `CHISO_LANG`).
    #[arg(long, value_enum, default_value_t, env = "CHISO_LANG")]
    pub lang: crate::evaluate::LangArg,
    #[command(flatten)]
    pub output: crate::output::OutputArg,
    /// How the dossiers, units, procedures and feedback files are read when they are real
    /// exports.
    #[command(flatten, next_help_heading = "Real exports (the dossiers, units, procedures and feedback files)")]
    pub input: crate::evaluate::InputArgs,
}

impl ExplainArgs {
    /// The scoring options these records are read with (one thread: the list is in reading order).
    fn as_score_args(&self) -> Score766Args {
        Score766Args {
            command: None,
            counts: self.counts.clone(),
            dossiers: Some(self.dossiers.clone()),
            procedures: self.procedures.clone(),
            feedback: self.feedback.clone(),
            units: self.units.clone(),
            period: Some(self.period.clone()),
            profile: self.profile.clone(),
            format: Format::Json,
            strict: self.strict,
            lang: self.lang,
            fail_on_rejected: false,
            output: self.output.clone(),
            jobs: Some(1),
            rank_incomplete: false,
            no_duplicate_check: false,
            input: self.input.clone(),
            partial_out: None,
        }
    }
}

/// Runs `chiso score766 explain`.
pub fn run(args: &ExplainArgs) -> Result<ExitCode, Failure> {
    let lang = Lang::from(args.lang);
    if args.format == ExplainFormat::Xlsx {
        args.output.check_binary(lang)?;
    }
    let request = ExplainRequest { unit: args.unit.clone(), metric: args.metric.clone(), limit: args.limit };
    let mut session = crate::score766::from_records(&args.as_score_args(), &args.dossiers, Some(request))?;
    let e = session.explain()?;
    let mut out = args.output.open(lang)?;
    let written = match args.format {
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &e).map_err(std::io::Error::from).and_then(|()| out.write_all(b"\n"))
        }
        ExplainFormat::Csv => write_csv(&e, lang, &mut out),
        ExplainFormat::Table => out.write_all(table(&e, lang).as_bytes()),
        ExplainFormat::Xlsx => out.write_all(&chiso::xlsx_out::explanation_xlsx(&e, lang)?),
    };
    out.finish(written)?;
    Ok(ExitCode::SUCCESS)
}

/// The heading: the metric, unit, period, the counts and how many are listed.
fn heading(e: &Explanation, lang: Lang) -> String {
    let values: [(&str, &dyn std::fmt::Display); 6] = [
        ("metric", &e.metric),
        ("unit", &e.unit),
        ("period", &e.period),
        ("numerator", &e.numerator),
        ("denominator", &e.denominator),
        ("shortfall", &e.total_shortfall),
    ];
    let listed = fill(Word::ExplainListed.get(lang), &[("listed", &e.listed), ("total", &e.total_shortfall)]);
    format!("{} ({listed})", fill(Word::ExplainHeading.get(lang), &values))
}

/// One item's cells, in [`EXPLAIN_COLUMNS`] order, the reason in `lang`.
fn cells(item: &chiso::score766::ExplainItem, lang: Lang) -> Vec<String> {
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    vec![
        item.file.clone(),
        item.row.map(|r| r.to_string()).unwrap_or_default(),
        item.id.clone(),
        text(&item.unit),
        text(&item.procedure),
        item.reason.label().get(lang).to_owned(),
        text(&item.received_at),
        text(&item.due_at),
        text(&item.finished_at),
        text(&item.supplement_requests),
        text(&item.supplement_days),
        text(&item.channel),
    ]
}

/// The heading, then the items as aligned columns.
fn table(e: &Explanation, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", heading(e, lang));
    if e.items.is_empty() {
        let nothing = Word::ExplainNothing.get(lang);
        let mut chars = nothing.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
        let _ = writeln!(out, "{first}{}", chars.as_str());
        return out;
    }
    let header: Vec<String> = EXPLAIN_COLUMNS.iter().map(|w| w.get(lang).to_owned()).collect();
    let rows: Vec<Vec<String>> = e.items.iter().map(|i| cells(i, lang)).collect();
    let widths = crate::report::column_widths(&header, &rows);
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count()))))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", line(&header));
    let _ = writeln!(out, "{}", widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  "));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }
    out
}

/// The items as CSV: machine column names (the JSON's), the reason as its code and in `lang`.
fn write_csv(e: &Explanation, lang: Lang, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = CsvWriter::with_bom(out)?;
    let header = [
        "file",
        "row",
        "id",
        "unit",
        "procedure",
        "reason",
        "reason_text",
        "received_at",
        "due_at",
        "finished_at",
        "supplement_requests",
        "supplement_days",
        "channel",
    ]
    .map(str::to_owned);
    w.header(&header)?;
    for item in &e.items {
        let mut c = cells(item, lang);
        let code = serde_json::to_value(item.reason).ok().and_then(|v| v.as_str().map(str::to_owned));
        c.insert(5, code.unwrap_or_default());
        w.row(
            c.iter().enumerate().map(|(i, t)| if i == 1 && !t.is_empty() { Cell::Number(t) } else { Cell::Text(t) }),
        )?;
    }
    Ok(())
}
