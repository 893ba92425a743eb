//! The `chiso` command.

use std::process::ExitCode;

use clap::Parser;

mod generate;
mod score766;

/// Key performance indicators of Vietnam's online-public-service plans.
#[derive(Debug, Parser)]
#[command(name = "chiso", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// The Decision 766 scorecard, from counts or from dossier records.
    Score766(score766::Score766Args),
    /// Generate realistic, deterministic input files for tests and benchmarks.
    Generate(generate::GenerateArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Score766(args) => score766::run(&args),
        Command::Generate(args) => generate::run(&args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    })
}
