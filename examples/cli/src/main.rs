//! The `chiso` command.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod generate;

#[derive(Debug, Parser)]
#[command(name = "chiso", version, about = "Indicators of Vietnam's online-public-service plans")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate realistic, deterministic input files for tests and benchmarks.
    Generate(generate::GenerateArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate(args) => generate::run(&args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("chiso: {e}");
        ExitCode::FAILURE
    })
}
