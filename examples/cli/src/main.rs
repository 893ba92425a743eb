//! `chiso`: evaluate a town's online-public-service plan from the command line.
//!
//! With no arguments it evaluates the built-in plan on the bundled sample town as of today and
//! prints a readable report (Vietnamese by default, `--lang en`).

mod derive;
mod docs;
mod evaluate;
mod explain;
mod failure;
mod gain;
mod generate;
mod output;
mod portal;
mod report;
mod roles;
mod score766;
mod series;

use std::process::ExitCode;

use chiso::labels::{Lang, Word};
use clap::{CommandFactory, Parser, Subcommand};

/// The exit status when rows were rejected and `--fail-on-rejected` was given (1 is an error,
/// 2 a usage error from the argument parser).
pub const EXIT_REJECTED: u8 = 3;

/// Prints `chiso: <kind>: <message>` on stderr, the kind (`Word::Warning`, `Word::Error`,
/// `Word::NoteWord`) in `lang`.
pub fn say(lang: Lang, kind: Word, message: &str) {
    eprintln!("chiso: {}: {message}", kind.get(lang));
}

/// Prints the first rejected rows as warnings on stderr, then how many more there are (the JSON
/// output lists up to 10 000 of them; the rest are counted in its `rejected_omitted`): a file of
/// garbage gives a screenful, not millions of lines.
pub fn print_rejected(rejected: &[chiso::input::Rejection], omitted: u64, lang: Lang) {
    const SHOWN: usize = 50;
    for r in rejected.iter().take(SHOWN) {
        say(lang, Word::Warning, &chiso::labels::fill(Word::RejectedRow.get(lang), &[("row", &r.to_string_in(lang))]));
    }
    let more = (rejected.len().saturating_sub(SHOWN) as u64).saturating_add(omitted);
    if more > 0 {
        say(lang, Word::Warning, &chiso::labels::fill(Word::MoreRejected.get(lang), &[("count", &more)]));
    }
}

/// Prints the first warnings (rows counted, with something to check: a `dossier_id` already
/// given) on stderr, located like [`print_rejected`]'s rows, then how many more there are.
pub fn print_warnings(warnings: &[chiso::input::Rejection], omitted: u64, lang: Lang) {
    const SHOWN: usize = 50;
    for w in warnings.iter().take(SHOWN) {
        say(lang, Word::Warning, &w.to_string_in(lang));
    }
    let more = (warnings.len().saturating_sub(SHOWN) as u64).saturating_add(omitted);
    if more > 0 {
        say(lang, Word::Warning, &chiso::labels::fill(Word::MoreWarnings.get(lang), &[("count", &more)]));
    }
}

/// chiso — the indicators of the online-public-service plan (DVCTT), evaluated exactly.
#[derive(Debug, Parser)]
#[command(name = "chiso", version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no subcommand: `chiso report` on the bundled sample town, with these options.
    #[command(flatten)]
    report: evaluate::ReportArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report on the bundled sample town (the default), or on your own files.
    Report(evaluate::ReportArgs),
    /// Evaluate observations against the plan.
    Evaluate(evaluate::EvaluateArgs),
    /// Derive, per unit and month, the plan observations that dossier records determine.
    Derive(derive::DeriveArgs),
    /// List the records behind the shortfall of a plan indicator derived from records.
    Explain(derive::ExplainArgs),
    /// Print the built-in plan.
    Plan(evaluate::PlanArgs),
    /// Print the JSON Schema of an input or output format.
    Schema(evaluate::SchemaArgs),
    /// The Decision 766 scorecard, from counts or from dossier records.
    Score766(score766::Score766Args),
    /// The national portal's saved evaluation responses: import into counts, or check.
    Portal(portal::PortalArgs),
    /// Generate realistic, deterministic input files for tests and benchmarks.
    Generate(generate::GenerateArgs),
    /// Print a shell completion script (`chiso completions bash > /etc/bash_completion.d/chiso`).
    Completions(docs::CompletionsArgs),
    /// Print the man page, in roff (`chiso man | man -l -`; `chiso man score766` for one command).
    Man(docs::ManArgs),
}

impl Cli {
    /// The language the command was asked to speak (Vietnamese unless `--lang en`).
    fn lang(&self) -> Lang {
        match &self.command {
            None => self.report.common.lang.into(),
            Some(Command::Report(a)) => a.common.lang.into(),
            Some(Command::Evaluate(a)) => a.common.lang.into(),
            Some(Command::Derive(a)) => a.lang.into(),
            Some(Command::Explain(a)) => a.lang.into(),
            Some(Command::Score766(a)) => a.lang(),
            Some(Command::Portal(a)) => a.lang(),
            Some(Command::Plan(a)) => a.lang.lang.into(),
            Some(Command::Schema(a)) => a.lang.lang.into(),
            Some(Command::Generate(a)) => a.lang.lang.into(),
            Some(Command::Completions(a)) => a.output.lang.lang.into(),
            Some(Command::Man(a)) => a.output.lang.lang.into(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang();
    let outcome = match cli.command {
        None => evaluate::report(&cli.report),
        Some(Command::Report(args)) => evaluate::report(&args),
        Some(Command::Evaluate(args)) => evaluate::evaluate(&args),
        Some(Command::Derive(args)) => derive::derive(&args),
        Some(Command::Explain(args)) => derive::explain(&args),
        Some(Command::Plan(args)) => evaluate::plan(&args),
        Some(Command::Schema(args)) => evaluate::schema(&args),
        Some(Command::Score766(args)) => score766::run(&args),
        Some(Command::Portal(args)) => portal::run(&args),
        Some(Command::Generate(args)) => generate::run(&args).map_err(failure::Failure::io),
        Some(Command::Completions(args)) => docs::completions(&args, Cli::command()),
        Some(Command::Man(args)) => docs::man(&args, Cli::command()),
    };
    match outcome {
        Ok(code) => code,
        Err(failure) => {
            // `chiso: lỗi [bad_json]: …` / `chiso: error [bad_json]: …`: the code beside the message.
            eprintln!("chiso: {} {}", Word::Error.get(lang), failure.to_string_in(lang));
            ExitCode::FAILURE
        }
    }
}
