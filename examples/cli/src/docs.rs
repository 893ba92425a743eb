//! `chiso completions SHELL` and `chiso man [COMMAND]`: generated from the clap definitions
//! themselves, so that they can never disagree with `--help`.

use std::io::Write;
use std::process::ExitCode;

use chiso::labels::{Lang, Word, fill};

use crate::evaluate::LangOpt;
use crate::failure::Failure;
use crate::output::OutputArg;

/// `--lang` and `-o`, for the commands that print a document.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DocOutput {
    #[command(flatten)]
    pub lang: LangOpt,
    #[command(flatten)]
    pub output: OutputArg,
}

/// `chiso completions`.
#[derive(Debug, Clone, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
    #[command(flatten)]
    pub output: DocOutput,
}

/// `chiso man`.
#[derive(Debug, Clone, clap::Args)]
pub struct ManArgs {
    /// The command whose page to print (`score766`, `portal import`, …); the main page without.
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
    #[command(flatten)]
    pub output: DocOutput,
}

/// Prints the completion script.
pub fn completions(args: &CompletionsArgs, mut command: clap::Command) -> Result<ExitCode, Failure> {
    let mut out = args.output.output.open(args.output.lang.lang.into())?;
    clap_complete::generate(args.shell, &mut command, "chiso", &mut out);
    out.finish(Ok(()))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the man page of the command (or of a subcommand).
pub fn man(args: &ManArgs, command: clap::Command) -> Result<ExitCode, Failure> {
    let lang: Lang = args.output.lang.lang.into();
    let mut page = command;
    let mut name = String::from("chiso");
    for word in &args.command {
        let Some(sub) = page.find_subcommand(word).cloned() else {
            let message = fill(Word::NoSuchCommand.get(lang), &[("word", word), ("command", &name)]);
            return Err(Failure::usage(message));
        };
        name = format!("{name}-{word}");
        page = sub.name(name.clone()).version(env!("CARGO_PKG_VERSION"));
    }
    let mut out = args.output.output.open(lang)?;
    let written = clap_mangen::Man::new(page).render(&mut out).and_then(|()| out.flush());
    out.finish(written)?;
    Ok(ExitCode::SUCCESS)
}
