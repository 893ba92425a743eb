//! `chiso score766`: the Decision 766 scorecard, from a counts file or from dossier records.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chiso::api::{self, Names766, RecordFormat, Score766Builder, Score766Session};
use chiso::labels::{Lang, MetricLabel, Word, fill};
use chiso::period::PeriodRange;
use chiso::score766::{ExplainRequest, PartialHeader, Scorecard, Series};
use chiso::tabular::write::{Cell, CsvWriter};

use crate::failure::Failure;

/// How the scorecard is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// JSON (formats.md, "Decision 766 scorecard").
    Json,
    /// CSV with a UTF-8 BOM, one row per unit, for spreadsheets.
    Csv,
    /// A Markdown table.
    Md,
    /// An Excel workbook (needs `-o FILE`, or `-o -` for standard output): scores, detail per
    /// metric, a chart of group scores by unit (of totals over a series), rejected rows, missing
    /// metrics.
    Xlsx,
}

/// Score units on the Decision 766 index (from counts, or from dossier records).
#[derive(Debug, Clone, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Score766Args {
    /// Counts JSON: alone, the scorecard of these counts; with `--dossiers`, only the metrics
    /// records cannot give (publication, E_CERTIFIED_COPY). With a range of periods, repeat it,
    /// one file per period (a period without one has those metrics missing).
    #[arg(long, value_name = "FILE")]
    pub counts: Vec<PathBuf>,
    /// Dossier records (CSV, or JSON lines if the name ends in .jsonl or .ndjson); `-` is
    /// standard input (CSV).
    #[arg(long, value_name = "FILE")]
    pub dossiers: Option<PathBuf>,
    /// Procedures CSV (`-`: standard input).
    #[arg(long, value_name = "FILE", requires = "dossiers")]
    pub procedures: Option<PathBuf>,
    /// Feedback records (CSV, or JSON lines; `-`: standard input, CSV).
    #[arg(long, value_name = "FILE", requires = "dossiers")]
    pub feedback: Option<PathBuf>,
    /// Units CSV (without it, every unit named by a record is a root of its own; `-`: standard
    /// input).
    #[arg(long, value_name = "FILE", requires = "dossiers")]
    pub units: Option<PathBuf>,
    /// The period to score from records: YYYY-MM (also YYYY-Qn or YYYY); or a range of them,
    /// FIRST..LAST (2026-01..2026-08, 2026-Q1..2026-Q3), for a series: every period scored, with
    /// the change from the one before.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// The profile: portal-2026 (default) or decision-2022.
    #[arg(long, default_value = "portal-2026", value_name = "NAME")]
    pub profile: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Stop at the first rejected row.
    #[arg(long)]
    pub strict: bool,
    /// Language of the table and of the messages (also the environment variable `CHISO_LANG`).
    #[arg(long, value_enum, default_value_t, env = "CHISO_LANG")]
    pub lang: crate::evaluate::LangArg,
    /// Exit with status 3 when any row was rejected (the scorecard is still written).
    #[arg(long)]
    pub fail_on_rejected: bool,
    #[command(flatten)]
    pub output: crate::output::OutputArg,
    /// Worker threads for the dossier file (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Rank incomplete units too (by default a unit with a missing or invalid metric is listed
    /// unranked, and a group with one is not ranked).
    #[arg(long)]
    pub rank_incomplete: bool,
    /// Do not warn about a dossier_id given twice. The check of a file keeps about 8 bytes per
    /// dossier (75 MB at 10 million; 20 to 40 from standard input) and costs about 50 %
    /// more CPU time; turn it off only for files whose ids are known to be unique.
    #[arg(long)]
    pub no_duplicate_check: bool,
    /// How the dossiers, units, procedures and feedback files are read when they are real
    /// exports (not the counts JSON).
    #[command(flatten, next_help_heading = "Real exports (the dossiers, units, procedures and feedback files)")]
    pub input: crate::evaluate::InputArgs,
    /// Also save the session as a partial in FILE (README, "Partials"), to merge later with
    /// `chiso score766 merge`: the scorecard is still printed. Written whole or not at all. The
    /// dossier ids are then checked with the exact table (the compact check keeps no ids to save).
    #[arg(long, value_name = "FILE", requires = "dossiers")]
    pub partial_out: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Score766Command>,
}

/// The subcommands of `chiso score766`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Score766Command {
    /// Score the merge of partials saved by `--partial-out` (or by libchiso, the WASM package or
    /// the Python package): the scorecard of one pass over all their records.
    Merge(MergeArgs),
    /// List the records behind one number: the dossiers, feedback items or procedures that keep
    /// a metric of a unit below full (denominator − numerator of them), with the reason.
    Explain(Box<crate::explain::ExplainArgs>),
}

/// `chiso score766 merge P1 P2 …`.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// The partials, merged in this order (a dossier_id in two of them is warned about in the
    /// later one). Their profile, period range, units and procedures must be the same.
    #[arg(required = true, value_name = "PARTIAL")]
    pub partials: Vec<PathBuf>,
    /// A period, or range, of the partials' range to score (same length: `2026-03` of
    /// `2026-01..2026-08`); by default the partials' own.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Language of the table and of the messages (also the environment variable `CHISO_LANG`).
    #[arg(long, value_enum, default_value_t, env = "CHISO_LANG")]
    pub lang: crate::evaluate::LangArg,
    /// Exit with status 3 when any row was rejected (the scorecard is still written).
    #[arg(long)]
    pub fail_on_rejected: bool,
    #[command(flatten)]
    pub output: crate::output::OutputArg,
    /// Rank incomplete units too.
    #[arg(long)]
    pub rank_incomplete: bool,
}

impl Score766Args {
    /// The language asked for (the subcommand's own).
    pub fn lang(&self) -> Lang {
        match &self.command {
            Some(Score766Command::Merge(m)) => m.lang.into(),
            Some(Score766Command::Explain(e)) => e.lang.into(),
            None => self.lang.into(),
        }
    }
}

/// An input file, or standard input for `-` (exports.md).
type Input = Box<dyn std::io::Read + Send>;

fn open(path: &Path, lang: Lang) -> Result<Input, Failure> {
    if is_stdin(path) {
        return Ok(Box::new(std::io::stdin()));
    }
    Ok(Box::new(File::open(path).map_err(|e| cannot_read(path, &e, lang))?))
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The failure of a file that cannot be opened or read, in `lang`.
fn cannot_read(path: &Path, e: &std::io::Error, lang: Lang) -> Failure {
    Failure::io(fill(Word::CannotRead.get(lang), &[("path", &path.display()), ("error", e)]))
}

fn name(path: &Path) -> String {
    if is_stdin(path) { "stdin".to_owned() } else { path.display().to_string() }
}

/// A progress line on stderr, only when stderr is a terminal and the file is large.
struct Progress {
    total: u64,
    started: Instant,
    shown: bool,
}

impl Progress {
    const MIN_BYTES: u64 = 64 * 1024 * 1024;

    fn new(total: u64) -> Self {
        Self { total, started: Instant::now(), shown: total >= Self::MIN_BYTES && std::io::stderr().is_terminal() }
    }

    fn update(&self, done: u64) {
        if !self.shown || self.total == 0 {
            return;
        }
        let pct = done.saturating_mul(100) / self.total;
        let width = 30u64;
        let filled = usize::try_from(pct * width / 100).unwrap_or(0);
        let bar =
            format!("{}{}", "#".repeat(filled), "-".repeat(usize::try_from(width).unwrap_or(30) - filled.min(30)));
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        #[expect(clippy::cast_precision_loss, reason = "a throughput for display")]
        let mbps = done as f64 / 1e6 / secs;
        eprint!("\rscore766 [{bar}] {pct:>3}% {mbps:.0} MB/s");
        let _ = std::io::stderr().flush();
    }

    fn done(&self) {
        if self.shown {
            eprint!("\r{}\r", " ".repeat(60));
        }
    }
}

/// What was scored: one period, or a series.
enum Scored {
    One(Box<Scorecard>),
    Series(Series),
}

/// Scores counts files alone: one file for one period, or one file per period of a range given
/// with `--period FIRST..LAST` (the range read by the core; anything else goes to the one-period
/// path, which says what is wrong with it).
fn from_counts(args: &Score766Args, lang: Lang) -> Result<Scored, Failure> {
    let range = args.period.as_deref().filter(|p| p.parse::<PeriodRange>().is_ok_and(|r| !r.is_single()));
    if let (Some(range), false) = (range, args.counts.is_empty()) {
        let files = args.counts.iter().map(|p| Ok((open(p, lang)?, name(p)))).collect::<Result<Vec<_>, Failure>>()?;
        return Ok(Scored::Series(api::score_counts_series(files, Some(&args.profile), range, args.strict)?));
    }
    let path = match args.counts.as_slice() {
        [] => return Err(Failure::usage(Word::NeedCountsOrDossiers.get(lang))),
        [path] => path,
        _ => return Err(Failure::usage(Word::OneCountsAlone.get(lang))),
    };
    let file = open(path, lang)?;
    let card = api::score_counts(file, &name(path), Some(&args.profile), args.period.as_deref(), args.strict)?;
    Ok(Scored::One(Box::new(card)))
}

/// Runs `chiso score766`.
pub fn run(args: &Score766Args) -> Result<ExitCode, Failure> {
    if let Some(Score766Command::Merge(m)) = &args.command {
        return merge(args, m);
    }
    if let Some(Score766Command::Explain(explain)) = &args.command {
        return crate::explain::run(explain);
    }
    let lang = Lang::from(args.lang);
    if args.format == Format::Xlsx {
        args.output.check_binary(lang)?;
    }
    let scored = match &args.dossiers {
        None => from_counts(args, lang)?,
        Some(dossiers) => {
            let mut session = from_records(args, dossiers, None)?;
            if let Some(path) = &args.partial_out {
                write_partial(&session, path, lang)?;
            }
            finish(&mut session)?
        }
    };
    print(scored, args)
}

/// Finishes a session: one scorecard, or a series for a range.
fn finish(session: &mut Score766Session) -> Result<Scored, Failure> {
    Ok(if session.is_series() {
        Scored::Series(session.finish_series()?)
    } else {
        Scored::One(Box::new(session.finish()?))
    })
}

/// Saves the session's partial in `path`, through the `-o` writer (a temporary file renamed onto
/// `path` once whole).
fn write_partial(session: &Score766Session, path: &Path, lang: Lang) -> Result<(), Failure> {
    let bytes = session.save_partial()?;
    let output = crate::output::OutputArg { output: Some(path.to_owned()) };
    let mut out = output.open(lang)?;
    let written = out.write_all(&bytes);
    out.finish(written)
}

/// The most bytes a partial's header takes (`PartialHeader::read` needs no more).
const MAX_HEADER_BYTES: u64 = 8 + 2 + 256 + 256 + 32;

/// Runs `chiso score766 merge`: every partial's header is checked against the first one's before
/// any body is read, then each is loaded and merged in turn (one whole partial in memory at a
/// time beside the merged session).
fn merge(parent: &Score766Args, m: &MergeArgs) -> Result<ExitCode, Failure> {
    let args = Score766Args {
        period: m.period.clone(),
        format: m.format,
        lang: m.lang,
        fail_on_rejected: m.fail_on_rejected,
        output: m.output.clone(),
        rank_incomplete: m.rank_incomplete,
        command: None,
        ..parent.clone()
    };
    let lang = Lang::from(args.lang);
    if args.format == Format::Xlsx {
        args.output.check_binary(lang)?;
    }
    let mut first: Option<PartialHeader> = None;
    for path in &m.partials {
        let mut head = Vec::new();
        open(path, lang)?.take(MAX_HEADER_BYTES).read_to_end(&mut head).map_err(|e| cannot_read(path, &e, lang))?;
        let header = PartialHeader::read(&head, &name(path)).map_err(chiso::Error::from)?;
        match &first {
            Some(first) => first.check_merge(&header).map_err(chiso::Error::from)?,
            None => first = Some(header),
        }
    }
    let mut merged: Option<Score766Session> = None;
    for path in &m.partials {
        let bytes = std::fs::read(path).map_err(|e| cannot_read(path, &e, lang))?;
        let mut session = Score766Session::load_partial(&bytes, &name(path))?;
        drop(bytes);
        match merged.as_mut() {
            Some(into) => into.merge(&mut session)?,
            None => merged = Some(session),
        }
    }
    let Some(mut session) = merged else { return Err(Failure::usage(Word::NeedCountsOrDossiers.get(lang))) };
    if let Some(period) = &args.period {
        session.narrow_period(period)?;
    }
    let scored = finish(&mut session)?;
    print(scored, &args)
}

/// Prints what was scored as `args` ask, and the exit status.
fn print(scored: Scored, args: &Score766Args) -> Result<ExitCode, Failure> {
    let lang = Lang::from(args.lang);
    let mut card = match scored {
        Scored::One(card) => *card,
        Scored::Series(mut series) => {
            if args.rank_incomplete {
                series.scorecards.iter_mut().for_each(|card| card.rank(true));
            }
            return crate::series::print(&series, args);
        }
    };
    if args.rank_incomplete {
        card.rank(true);
    }
    crate::print_rejected(&card.rejected, card.rejected_omitted, lang);
    crate::print_warnings(&card.warnings, card.warnings_omitted, lang);
    print_missing(&card, lang);
    // Straight to a buffered output: a scorecard of 100 000 units is hundreds of megabytes of
    // JSON, never held in memory as one string.
    let mut out = args.output.open(lang)?;
    let written = match args.format {
        Format::Json => card.write_json(&mut out).and_then(|()| out.write_all(b"\n")),
        Format::Csv => write_csv(&card, &mut out),
        Format::Md => out
            .write_all(to_table(&card, true, lang).as_bytes())
            .and_then(|()| out.write_all(crate::gain::section(&card, true, lang).as_bytes())),
        Format::Table => out
            .write_all(to_table(&card, false, lang).as_bytes())
            .and_then(|()| out.write_all(crate::gain::section(&card, false, lang).as_bytes())),
        Format::Xlsx => out.write_all(&chiso::xlsx_out::scorecard_xlsx(&card, lang)?),
    };
    out.finish(written)?;
    let rejected = (card.rejected.len() as u64).saturating_add(card.rejected_omitted);
    Ok(crate::evaluate::exit_status(rejected, args.fail_on_rejected, lang))
}

/// The session of dossier records, every file read, ready to finish: the core session (the same
/// one libchiso and the WASM package drive); opened to explain `explain` when given (after the
/// units and procedures, before the records), then finished with `explain()`.
pub fn from_records(
    args: &Score766Args,
    dossiers: &Path,
    explain: Option<ExplainRequest>,
) -> Result<Score766Session, Failure> {
    let lang = Lang::from(args.lang);
    let Some(period) = &args.period else {
        return Err(Failure::usage(Word::DossiersNeedPeriod.get(lang)));
    };
    // Standard input can be read once: a second `-` would read nothing and fail as an empty file.
    let inputs = [Some(dossiers), args.units.as_deref(), args.procedures.as_deref(), args.feedback.as_deref()];
    let stdin = inputs.into_iter().flatten().chain(args.counts.iter().map(PathBuf::as_path)).filter(|p| is_stdin(p));
    if stdin.count() > 1 {
        return Err(Failure::usage(Word::StdinOnce.get(lang)));
    }
    let defaults = Names766::default();
    let named = |path: &Option<PathBuf>, default: &str| path.as_deref().map_or_else(|| default.to_owned(), name);
    let names = Names766 {
        dossiers: name(dossiers),
        units: named(&args.units, &defaults.units),
        procedures: named(&args.procedures, &defaults.procedures),
        feedback: named(&args.feedback, &defaults.feedback),
        counts: named(&args.counts.first().cloned(), &defaults.counts),
    };
    let mut session = Score766Builder::new(period)
        .profile(Some(&args.profile))
        .strict(args.strict)
        .check_duplicate_ids(!args.no_duplicate_check)
        .names(names)
        .input(args.input.options(lang)?)
        .build()?;
    // Each file streamed into the session, never read whole first.
    if let Some(p) = &args.units {
        session.load_units(open(p, lang)?)?;
    }
    if let Some(p) = &args.procedures {
        session.load_procedures(open(p, lang)?)?;
    }
    for p in &args.counts {
        session.load_counts_named(open(p, lang)?, &name(p))?;
    }
    if let Some(request) = explain {
        session.set_explain(request)?;
    }
    let jobs =
        args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get)).max(1);
    let file = open(dossiers, lang)?;
    let size = if is_stdin(dossiers) { 0 } else { std::fs::metadata(dossiers).map_or(0, |m| m.len()) };
    let progress = Progress::new(size);
    let format = RecordFormat::from_name(&name(dossiers));
    if args.partial_out.is_none() && std::fs::metadata(dossiers).is_ok_and(|m| m.is_file()) {
        // A regular file is opened again only if some dossier_id may be repeated: the compact
        // duplicate check reads it a second time for the rows where those ids first occur.
        let mut first = Some(file);
        let reopen = || first.take().map_or_else(|| File::open(dossiers).map(|f| Box::new(f) as Input), Ok);
        session.read_dossiers_file(reopen, format, jobs, &mut |done| progress.update(done))?;
    } else {
        // Standard input or a pipe: read once, with the exact check.
        session.read_dossiers(file, format, jobs, &mut |done| progress.update(done))?;
    }
    progress.done();
    if let Some(p) = &args.feedback {
        session.load_feedback(open(p, lang)?, RecordFormat::from_name(&name(p)))?;
    }
    Ok(session)
}

/// The notes on metrics that no input gave and on metrics whose only rows were rejected: both
/// score 0 and leave their unit unranked.
fn print_missing(card: &Scorecard, lang: Lang) {
    print_missing_of(std::slice::from_ref(card), lang);
}

/// [`print_missing`] for the scorecards of a series: one note of each kind, every period's.
pub fn print_missing_of(cards: &[Scorecard], lang: Lang) {
    let note = |word: Word, codes: Vec<&str>| {
        if codes.is_empty() {
            return;
        }
        let count = codes.len();
        let mut distinct = codes;
        distinct.sort_unstable();
        distinct.dedup();
        let message = fill(word.get(lang), &[("count", &count), ("codes", &distinct.join(", "))]);
        crate::say(lang, Word::NoteWord, &message);
    };
    note(Word::MissingMetrics, cards.iter().flat_map(|c| &c.missing).map(|m| m.metric.as_str()).collect());
    let invalid = cards.iter().flat_map(|c| &c.units).flat_map(|u| &u.invalid).map(String::as_str).collect();
    note(Word::InvalidMetrics, invalid);
}

/// A rank, or a dash for a unit or group left unranked.
fn rank_text(rank: Option<u32>) -> String {
    rank.map_or_else(|| "—".to_owned(), |r| r.to_string())
}

/// Whether a unit's data are complete, in words.
fn complete_text(u: &chiso::score766::UnitScore, lang: Lang) -> String {
    if u.complete {
        Word::CompleteYes.get(lang).to_owned()
    } else {
        fill(Word::CompleteNo.get(lang), &[("missing", &u.missing.len()), ("invalid", &u.invalid.len())])
    }
}

/// A metric's ratio column: its counts, or why it has none.
fn ratio_text(m: &chiso::score766::MetricScore, lang: Lang) -> String {
    use chiso::score766::MetricStatus;
    match m.status {
        MetricStatus::Scored => format!("{}/{}", m.numerator, m.denominator),
        MetricStatus::Missing => Word::MetricMissing.get(lang).to_owned(),
        MetricStatus::Invalid => Word::MetricInvalid.get(lang).to_owned(),
        MetricStatus::Published => Word::MetricPublished.get(lang).to_owned(),
    }
}

/// Writes the scorecard as CSV, one row at a time (the header names are machine names).
fn write_csv(card: &Scorecard, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = CsvWriter::with_bom(out)?;
    let mut header = vec![
        "unit".to_owned(),
        "name".into(),
        "parent".into(),
        "level".into(),
        "rank".into(),
        "total".into(),
        "complete".into(),
        "missing".into(),
        "invalid".into(),
    ];
    if let Some(first) = card.units.first() {
        for g in &first.groups {
            header.push(g.code.clone());
            header.push(format!("{}_rank", g.code));
        }
        for g in &first.groups {
            for m in &g.metrics {
                header.push(format!("{}_numerator", m.code));
                header.push(format!("{}_denominator", m.code));
                header.push(m.code.clone());
                header.push(format!("{}_status", m.code));
                // Points to gain: empty cells where the JSON has null.
                for field in ["lost", "next_point", "to_max"] {
                    header.push(format!("{}_{field}", m.code));
                }
            }
        }
    }
    w.header(&header)?;
    let mut cells: Vec<(String, bool)> = Vec::new();
    for u in &card.units {
        // (text, is a number); an unranked unit's rank is an empty cell.
        cells.clear();
        let text = [u.unit.as_str(), u.name.as_deref().unwrap_or(""), u.parent.as_deref().unwrap_or(""), &u.level];
        cells.extend(text.iter().map(|t| ((*t).to_owned(), false)));
        cells.extend([(u.rank.map(|r| r.to_string()).unwrap_or_default(), true), (u.total.to_string(), true)]);
        cells.extend([(u.complete.to_string(), false), (u.missing.join(" "), false), (u.invalid.join(" "), false)]);
        for g in &u.groups {
            cells.extend([(g.score.to_string(), true), (g.rank.map(|r| r.to_string()).unwrap_or_default(), true)]);
        }
        for g in &u.groups {
            for m in &g.metrics {
                cells.extend([
                    (m.numerator.to_string(), true),
                    (m.denominator.to_string(), true),
                    (m.score.to_string(), true),
                ]);
                let status = serde_json::to_value(m.status).ok().and_then(|v| v.as_str().map(str::to_owned));
                cells.push((status.unwrap_or_default(), false));
                let count = |k: Option<u64>| (k.map(|k| k.to_string()).unwrap_or_default(), true);
                cells.extend(match m.gain {
                    Some(g) => [(g.lost.to_string(), true), count(g.next_point), count(g.to_max)],
                    None => [(String::new(), true), (String::new(), true), (String::new(), true)],
                });
            }
        }
        w.row(cells.iter().map(|(c, number)| if *number && !c.is_empty() { Cell::Number(c) } else { Cell::Text(c) }))?;
    }
    Ok(())
}

/// Points without decimals when whole (`18`), else with two (`16.50`).
pub fn whole(h: chiso::exact::Hundredths) -> String {
    if h.0 % 100 == 0 { (h.0 / 100).to_string() } else { h.to_string() }
}

/// The scorecard as a table (its columns are the JSON's field names and group codes, as in the
/// CSV), with a title in `lang`.
fn to_table(card: &Scorecard, markdown: bool, lang: Lang) -> String {
    let mut header = vec!["unit".to_owned(), "level".into(), "rank".into(), "total".into()];
    if let Some(first) = card.units.first() {
        header.extend(first.groups.iter().map(|g| format!("{} /{}", g.code, whole(g.max))));
    }
    header.push(Word::CompleteColumn.get(lang).to_owned());
    let rows: Vec<Vec<String>> = card
        .units
        .iter()
        .map(|u| {
            let label = match &u.name {
                Some(n) if *n != u.unit => format!("{} ({n})", u.unit),
                _ => u.unit.clone(),
            };
            let mut row = vec![label, u.level.clone(), rank_text(u.rank), u.total.to_string()];
            row.extend(u.groups.iter().map(|g| g.score.to_string()));
            row.push(complete_text(u, lang));
            row
        })
        .collect();
    let mut out = String::new();
    if markdown {
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let align: Vec<&str> = header.iter().enumerate().map(|(i, _)| if i < 2 { "---" } else { "---:" }).collect();
        let _ = writeln!(out, "| {} |", align.join(" | "));
        for r in &rows {
            let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        return out;
    }
    let title = fill(Word::ScorecardHeading.get(lang), &[("profile", &card.profile), ("period", &card.period)]);
    let _ = writeln!(out, "{title}");
    let widths = crate::report::column_widths(&header, &rows);
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                let pad = w.saturating_sub(c.chars().count());
                if i < 2 { format!("{c}{}", " ".repeat(pad)) } else { format!("{}{c}", " ".repeat(pad)) }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    let _ = writeln!(out, "{}", line(&header));
    let _ = writeln!(out, "{}", widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  "));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r).trim_end());
    }
    if card.units.is_empty() {
        let _ = writeln!(out, "{}", Word::NoUnits.get(lang));
    }
    out
}

/// The bundled sample town's procedures, two months of dossiers, feedback and the counts of what
/// records cannot give.
pub mod sample {
    /// `procedures.csv`.
    pub const PROCEDURES: &str = include_str!("../sample/procedures.csv");
    /// `dossiers.csv` (2026-09 and 2026-10, with two bad rows).
    pub const DOSSIERS: &str = include_str!("../sample/dossiers.csv");
    /// `feedback.csv`.
    pub const FEEDBACK: &str = include_str!("../sample/feedback.csv");
    /// `counts.json`: publication metrics and E_CERTIFIED_COPY for the latest month.
    pub const COUNTS: &str = include_str!("../sample/counts.json");
}

/// A metric's name (its code when the catalogue has none, as for a metric of a user's profile).
fn metric_label(code: &str, lang: Lang) -> &str {
    MetricLabel::from_key(code).map_or(code, |m| m.get(lang))
}

/// One unit's scorecard, group by group and metric by metric, with each numerator and denominator.
fn detail(card: &Scorecard, lang: Lang, markdown: bool) -> String {
    let [title, metric, ratio, percent, points, total, rank] =
        [Word::Scorecard766, Word::Metric, Word::Ratio, Word::Percent, Word::Points, Word::Total, Word::RankWord]
            .map(|w| w.get(lang));
    let mut out = String::new();
    for u in &card.units {
        let name = u.name.clone().unwrap_or_else(|| u.unit.clone());
        let heading = format!(
            "{title} — {name} ({}), {} {}, {}",
            u.unit,
            card.period,
            card.profile,
            format_args!("{rank} {}", rank_text(u.rank))
        );
        let mut rows: Vec<[String; 4]> = Vec::new();
        for g in &u.groups {
            rows.push([
                format!("{} ", g.code),
                String::new(),
                String::new(),
                format!("{} / {}", g.score, whole(g.max)),
            ]);
            for m in &g.metrics {
                rows.push([
                    format!("  {}", metric_label(&m.code, lang)),
                    ratio_text(m, lang),
                    m.percent.map_or_else(|| "—".to_owned(), |p| format!("{p} %")),
                    format!("{} / {}", m.score, whole(m.max)),
                ]);
            }
        }
        rows.push([total.to_owned(), String::new(), String::new(), format!("{} / 100", u.total)]);
        if markdown {
            let _ =
                writeln!(out, "## {heading}\n\n| {metric} | {ratio} | {percent} | {points} |\n|---|---:|---:|---:|");
            for r in &rows {
                let _ = writeln!(out, "| {} | {} | {} | {} |", r[0].trim(), r[1], r[2], r[3]);
            }
            out.push('\n');
        } else {
            let _ = writeln!(out, "{heading}");
            let head = [metric.to_owned(), ratio.to_owned(), percent.to_owned(), points.to_owned()];
            let w = crate::report::column_widths(&head, &rows);
            for r in std::iter::once(&head).chain(&rows) {
                let cells: Vec<String> = r
                    .iter()
                    .zip(&w)
                    .enumerate()
                    .map(|(i, (c, w))| {
                        let pad = " ".repeat(w.saturating_sub(c.chars().count()));
                        if i == 0 { format!("{c}{pad}") } else { format!("{pad}{c}") }
                    })
                    .collect();
                let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
            }
            out.push('\n');
        }
    }
    out
}

/// The sample town's scorecard for its latest month (the month of its counts file), from its
/// dossier records, and its points to gain, for the no-argument report.
pub fn sample_section(lang: Lang, markdown: bool) -> Result<String, Failure> {
    let counts: chiso::score766::Counts =
        serde_json::from_str(sample::COUNTS).map_err(|e| Failure::io(format!("sample/counts.json: {e}")))?;
    let names = Names766 {
        dossiers: "sample/dossiers.csv".to_owned(),
        units: "sample/units.csv".to_owned(),
        procedures: "sample/procedures.csv".to_owned(),
        feedback: "sample/feedback.csv".to_owned(),
        counts: "sample/counts.json".to_owned(),
    };
    let mut session = Score766Builder::new(&counts.period.to_string())
        .names(names)
        .units(Some(crate::evaluate::SAMPLE_UNITS.as_bytes()))
        .procedures(Some(sample::PROCEDURES.as_bytes()))
        .counts(Some(sample::COUNTS.as_bytes()))
        .build()?;
    session.push_csv(sample::DOSSIERS.as_bytes())?;
    session.load_feedback(sample::FEEDBACK.as_bytes(), RecordFormat::Csv)?;
    let card = session.finish()?;
    crate::print_rejected(&card.rejected, card.rejected_omitted, lang);
    crate::print_warnings(&card.warnings, card.warnings_omitted, lang);
    // Then what the town's officials can act on: its points to gain, cheapest first.
    Ok(detail(&card, lang, markdown) + &crate::gain::section(&card, markdown, lang))
}
