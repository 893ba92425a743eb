//! Where a command writes its result: standard output, or the file of `-o/--output` (`-` is
//! standard output). An Excel workbook is never written to standard output unless `-o -` asks
//! for it: its bytes would fill a terminal with garbage.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use chiso::labels::{Lang, Word, fill};

use crate::failure::Failure;

/// Whether `path` names standard output.
fn is_stdout(path: Option<&Path>) -> bool {
    path.is_none_or(|p| p.as_os_str() == "-")
}

/// Checks, before any input is read, that an Excel workbook has somewhere to go: `-o FILE` or
/// `-o -`.
pub fn check_xlsx(output: Option<&Path>, lang: Lang) -> Result<(), Failure> {
    if output.is_none() { Err(Failure::usage(Word::XlsxNeedsOutput.get(lang))) } else { Ok(()) }
}

/// The output stream, buffered, and whether it is a terminal (for colours).
pub fn open(output: Option<&Path>, lang: Lang) -> Result<(Box<dyn Write>, bool), Failure> {
    match output.filter(|_| !is_stdout(output)) {
        None => {
            let stdout = std::io::stdout();
            let terminal = stdout.is_terminal();
            Ok((Box::new(std::io::BufWriter::with_capacity(1 << 16, stdout.lock())), terminal))
        }
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| cannot_write(path, &e, lang))?;
            Ok((Box::new(std::io::BufWriter::with_capacity(1 << 16, file)), false))
        }
    }
}

/// The end of a write: flushed; a closed pipe (`chiso … | head`) is not an error.
pub fn finish(out: &mut dyn Write, written: std::io::Result<()>, lang: Lang) -> Result<ExitCode, Failure> {
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure::io(fill(Word::CannotWrite.get(lang), &[("error", &e)]))),
    }
}

/// Writes a workbook's bytes to `-o FILE`, or to standard output for `-o -`.
pub fn write_xlsx(output: Option<&Path>, bytes: &[u8], lang: Lang) -> Result<ExitCode, Failure> {
    check_xlsx(output, lang)?;
    let (mut out, _) = open(output, lang)?;
    let written = out.write_all(bytes);
    finish(out.as_mut(), written, lang)
}

fn cannot_write(path: &Path, e: &std::io::Error, lang: Lang) -> Failure {
    Failure::io(fill(Word::CannotWrite.get(lang), &[("error", &format_args!("`{}`: {e}", path.display()))]))
}
