//! `chiso`: evaluate a town's online-public-service plan from the command line.
//!
//! With no arguments it evaluates the built-in plan on the bundled sample town as of today and
//! prints a readable report (Vietnamese by default, `--lang en`).

mod evaluate;
mod failure;
mod generate;
mod score766;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Print the built-in plan.
    Plan(evaluate::PlanArgs),
    /// Print the JSON Schema of an input or output format.
    Schema(evaluate::SchemaArgs),
    /// The Decision 766 scorecard, from counts or from dossier records.
    Score766(score766::Score766Args),
    /// Generate realistic, deterministic input files for tests and benchmarks.
    Generate(generate::GenerateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        None => evaluate::report(&cli.report),
        Some(Command::Report(args)) => evaluate::report(&args),
        Some(Command::Evaluate(args)) => evaluate::evaluate(&args),
        Some(Command::Plan(args)) => evaluate::plan(&args),
        Some(Command::Schema(args)) => evaluate::schema(&args),
        Some(Command::Score766(args)) => score766::run(&args),
        Some(Command::Generate(args)) => generate::run(&args).map_err(failure::Failure::io),
    };
    match outcome {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("chiso: error {failure}");
            ExitCode::FAILURE
        }
    }
}
