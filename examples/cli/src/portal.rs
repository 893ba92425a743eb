//! `chiso portal`: the national portal's saved evaluation responses, imported into counts
//! (`import`) or checked against chiso's scores (`check`). Both read a folder laid out as
//! `DIR/<endpoint>/<file>.json`, one response per endpoint folder, and hand the bytes to the core.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chiso::ErrorCode;
use chiso::api::{self, PortalFile};
use chiso::labels::{ErrorText, Lang, Word, fill};
use chiso::portal::Endpoint;

use crate::failure::Failure;

/// The portal's saved evaluation responses.
#[derive(Debug, Clone, clap::Args)]
pub struct PortalArgs {
    #[command(subcommand)]
    pub command: PortalCommand,
}

/// What to do with the responses.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum PortalCommand {
    /// Write the counts JSON (formats.md) of every unit of the responses.
    Import(ImportArgs),
    /// Recompute every published score and compare; fails on any disagreement.
    Check(CheckArgs),
}

/// Where the responses are and for which period.
#[derive(Debug, Clone, clap::Args)]
pub struct Source {
    /// The folder: one sub-folder per endpoint (`transparency`, `dvc-progress-tree`, …), each with
    /// one saved response (`month.json`), or several named for their period's kind (`month.json`,
    /// `quarter.json`, `year.json`: the one of `--period`'s kind is read).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The period the responses are for (YYYY-MM, YYYY-Qn or YYYY); by default read from the end
    /// of the folder's name or of a folder above it (`phu-tho-2026-08/all`).
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// Language of the report and of the messages (also the environment variable `CHISO_LANG`).
    #[arg(long, value_enum, default_value_t, env = "CHISO_LANG")]
    pub lang: crate::evaluate::LangArg,
    #[command(flatten)]
    pub output: crate::output::OutputArg,
}

/// `chiso portal import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub source: Source,
}

/// How the check is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Aligned columns for a terminal.
    Table,
    /// JSON: every published value with its path, chiso's value and the outcome.
    Json,
    /// Markdown.
    Md,
}

/// `chiso portal check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: Source,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CheckFormat,
    /// The profile to score with (the portal's is portal-2026).
    #[arg(long, default_value = "portal-2026", value_name = "NAME")]
    pub profile: String,
}

impl PortalArgs {
    /// The language asked for.
    pub fn lang(&self) -> Lang {
        match &self.command {
            PortalCommand::Import(a) => a.source.lang.into(),
            PortalCommand::Check(a) => a.source.lang.into(),
        }
    }
}

/// One response read from the folder.
struct Response {
    endpoint: Endpoint,
    name: String,
    bytes: Vec<u8>,
}

fn cannot_read(path: &Path, e: &std::io::Error, lang: Lang) -> Failure {
    Failure::io(fill(Word::CannotRead.get(lang), &[("path", &path.display()), ("error", e)]))
}

/// The JSON files of one endpoint folder, sorted.
fn json_files(folder: &Path, lang: Lang) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(|e| cannot_read(folder, &e, lang))? {
        let path = entry.map_err(|e| cannot_read(folder, &e, lang))?.path();
        if path.is_file() && path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json")) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The file name a period's response is saved under when a folder holds several
/// (`month.json`, `quarter.json`, `year.json`).
fn stem_of(period: &str) -> &'static str {
    if period.contains('Q') {
        "quarter"
    } else if period.trim().len() == 4 {
        "year"
    } else {
        "month"
    }
}

/// Every endpoint folder of `dir` that exists, with its response: its one JSON file, or, when it
/// holds several, the one named for the period's kind (`month.json` for `YYYY-MM`).
fn read_dir(dir: &Path, period: &str, lang: Lang) -> Result<Vec<Response>, Failure> {
    if !dir.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder");
        return Err(cannot_read(dir, &e, lang));
    }
    let mut out = Vec::new();
    for endpoint in Endpoint::ALL {
        let folder = dir.join(endpoint.folder());
        if !folder.is_dir() {
            continue;
        }
        let files = json_files(&folder, lang)?;
        let stem = stem_of(period);
        let path = match files.as_slice() {
            [one] => one,
            [] => continue,
            several => match several.iter().find(|f| f.file_stem().is_some_and(|s| s == stem)) {
                Some(named) => named,
                None => {
                    let names: Vec<String> = several
                        .iter()
                        .filter_map(|f| f.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .collect();
                    let reason =
                        ErrorText::PortalSeveralFiles.en(&[("count", &names.len()), ("names", &names.join(", "))]);
                    let message = ErrorText::FileReason.en(&[("file", &folder.display()), ("reason", &reason)]);
                    return Err(Failure::usage(message));
                }
            },
        };
        let bytes = std::fs::read(path).map_err(|e| cannot_read(path, &e, lang))?;
        let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        out.push(Response { endpoint, name, bytes });
    }
    if out.is_empty() {
        let reason = ErrorText::PortalNoFiles.en(&[]);
        return Err(Failure::usage(ErrorText::FileReason.en(&[("file", &dir.display()), ("reason", &reason)])));
    }
    Ok(out)
}

/// The period at the end of the folder's name or of a folder above it (`…-2026-08`, `…-2026-Q3`).
fn period_from_path(dir: &Path) -> Option<String> {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute.components().rev().find_map(|c| {
        let name = c.as_os_str().to_str()?;
        let tail = name.get(name.len().checked_sub(7)?..)?;
        let before = name.get(..name.len() - 7)?;
        let separated = before.is_empty() || before.ends_with(['-', '_', '.', ' ']);
        (separated && tail.parse::<chiso::period::Period>().is_ok()).then(|| tail.to_owned())
    })
}

/// The period asked for, or read from the folder's path.
fn period(source: &Source) -> Result<String, Failure> {
    if let Some(p) = &source.period {
        return Ok(p.clone());
    }
    period_from_path(&source.dir)
        .ok_or_else(|| Failure::usage(ErrorText::PortalNoPeriod.en(&[("dir", &source.dir.display())])))
}

fn files(responses: &[Response]) -> Vec<PortalFile<'_>> {
    responses
        .iter()
        .map(|r| PortalFile { endpoint: r.endpoint.folder(), name: Some(&r.name), bytes: &r.bytes })
        .collect()
}

fn write_out(text: &str, source: &Source) -> Result<(), Failure> {
    let mut out = source.output.open(source.lang.into())?;
    let written = out.write_all(text.as_bytes());
    out.finish(written)
}

/// Runs `chiso portal`.
pub fn run(args: &PortalArgs) -> Result<ExitCode, Failure> {
    match &args.command {
        PortalCommand::Import(a) => import(a),
        PortalCommand::Check(a) => check(a),
    }
}

fn import(args: &ImportArgs) -> Result<ExitCode, Failure> {
    let lang = Lang::from(args.source.lang);
    let period = period(&args.source)?;
    let responses = read_dir(&args.source.dir, &period, lang)?;
    let import = api::portal_import(files(&responses), &period)?;
    let mut json = import.counts_json();
    json.push('\n');
    write_out(&json, &args.source)?;
    Ok(ExitCode::SUCCESS)
}

fn check(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let lang = Lang::from(args.source.lang);
    let period = period(&args.source)?;
    let responses = read_dir(&args.source.dir, &period, lang)?;
    let report = api::portal_check(files(&responses), &period, Some(&args.profile))?;
    let text = match args.format {
        CheckFormat::Json => format!("{}\n", report.to_json()),
        CheckFormat::Table => report.render(lang, false),
        CheckFormat::Md => report.render(lang, true),
    };
    write_out(&text, &args.source)?;
    if report.disagreements > 0 {
        let message = ErrorText::PortalDisagree.en(&[("count", &report.disagreements)]);
        return Err(Failure { code: ErrorCode::InvalidInput, message, error: None });
    }
    Ok(ExitCode::SUCCESS)
}
