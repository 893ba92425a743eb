//! `-o/--output`: where every command writes, the same way.
//!
//! Without `-o`, or with `-o -`, a command writes to standard output. With `-o FILE` it writes to a
//! file beside `FILE` (`.FILE.chiso-tmp`) and renames it onto `FILE` only once everything was
//! written: a run that fails half-way never leaves half a report where the last good one was.
//! A closed pipe (`chiso … | head`) is not an error.
//!
//! Only a regular file is replaced that way. A `FILE` that exists and is not one (`/dev/null`, a
//! named pipe, a terminal, `/dev/stdout`) is written in place: renaming onto it would replace the
//! device or the pipe with a plain file, for every other program on the machine. A symbolic link
//! is followed: the temporary file goes beside its target and the link stays a link.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};
use std::path::{Path, PathBuf};

use chiso::labels::{Lang, Word, fill};

use crate::failure::Failure;

/// The `-o/--output` option.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutputArg {
    /// Write to this file instead of standard output (`-` is standard output). The file is
    /// replaced only when the whole output was written.
    #[arg(short = 'o', long = "output", alias = "out", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArg {
    /// The file asked for, `None` for standard output (no `-o`, or `-o -`).
    pub fn file(&self) -> Option<&Path> {
        self.output.as_deref().filter(|p| p.as_os_str() != "-")
    }

    /// For a binary format (`--format xlsx`), checked before any input is read: the bytes need
    /// `-o FILE`, or `-o -` for standard output when it is not a terminal (a workbook is never
    /// printed unasked, nor onto a terminal).
    pub fn check_binary(&self, lang: Lang) -> Result<(), Failure> {
        let to_terminal = self.file().is_none() && io::stdout().is_terminal();
        if self.output.is_none() || to_terminal { Err(Failure::usage(Word::XlsxNeedsOutput.get(lang))) } else { Ok(()) }
    }

    /// Opens the output.
    pub fn open(&self, lang: Lang) -> Result<Output, Failure> {
        match self.file() {
            None => Ok(Output { sink: Sink::Stdout(BufWriter::with_capacity(1 << 16, io::stdout().lock())), lang }),
            Some(path) => {
                let sink = match Target::of(path) {
                    Target::InPlace => {
                        let file = File::create(path).map_err(|e| cannot_create(path, &e, lang))?;
                        Sink::InPlace(BufWriter::with_capacity(1 << 16, file))
                    }
                    Target::Replace(target) => {
                        let temporary = temporary_beside(&target);
                        let file = File::create(&temporary).map_err(|e| cannot_create(path, &e, lang))?;
                        Sink::File { writer: BufWriter::with_capacity(1 << 16, file), temporary, path: target }
                    }
                };
                Ok(Output { sink, lang })
            }
        }
    }
}

/// How `-o FILE` is written.
enum Target {
    /// Through a temporary file renamed onto this regular file (`FILE`, or a link's target).
    Replace(PathBuf),
    /// Directly: `FILE` exists and is not a regular file (a device, a named pipe, a socket).
    InPlace,
}

impl Target {
    fn of(path: &Path) -> Self {
        match std::fs::metadata(path) {
            // Not there yet (or not readable): created by the rename, as before.
            Err(_) => Self::Replace(path.to_owned()),
            Ok(meta) if !meta.is_file() => Self::InPlace,
            // A link to a regular file: replace the target, keep the link.
            Ok(_) => Self::Replace(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())),
        }
    }
}

fn temporary_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.chiso-tmp"))
}

fn cannot_create(path: &Path, e: &io::Error, lang: Lang) -> Failure {
    Failure::io(fill(Word::CannotCreate.get(lang), &[("path", &path.display()), ("error", e)]))
}

#[derive(Debug)]
enum Sink {
    Stdout(BufWriter<StdoutLock<'static>>),
    File { writer: BufWriter<File>, temporary: PathBuf, path: PathBuf },
    InPlace(BufWriter<File>),
}

/// An open output: write to it, then [`Output::finish`]. Dropped unfinished (an error on the
/// way), a file output removes its temporary file and leaves `FILE` as it was.
#[derive(Debug)]
pub struct Output {
    sink: Sink,
    lang: Lang,
}

impl Output {
    /// Whether the output is a terminal (colours, and the refusal to print a binary format).
    pub fn is_terminal(&self) -> bool {
        matches!(self.sink, Sink::Stdout(_)) && io::stdout().is_terminal()
    }

    /// Whether a table may be coloured: a terminal, and `NO_COLOR` not set.
    pub fn colour(&self) -> bool {
        self.is_terminal() && std::env::var_os("NO_COLOR").is_none()
    }

    /// Flushes, and for a file renames the temporary file onto it. `written` is the outcome of the
    /// writes, so that a closed pipe is told apart from a failed disk in one place.
    pub fn finish(mut self, written: io::Result<()>) -> Result<(), Failure> {
        let lang = self.lang;
        let flushed = written.and_then(|()| self.flush());
        match (&self.sink, flushed) {
            (Sink::Stdout(_), Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            (_, Err(e)) => Err(Failure::io(fill(Word::CannotWrite.get(lang), &[("error", &e)]))),
            (Sink::Stdout(_) | Sink::InPlace(_), Ok(())) => Ok(()),
            (Sink::File { temporary, path, .. }, Ok(())) => {
                std::fs::rename(temporary, path).map_err(|e| cannot_create(path, &e, lang))
            }
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Sink::File { temporary, .. } = &self.sink {
            // After a successful rename the temporary name no longer exists: nothing to remove.
            let _removed = std::fs::remove_file(temporary);
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(w) => w.write(buf),
            Sink::File { writer, .. } | Sink::InPlace(writer) => writer.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(w) => w.write_all(buf),
            Sink::File { writer, .. } | Sink::InPlace(writer) => writer.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(w) => w.flush(),
            Sink::File { writer, .. } => writer.flush().and_then(|()| writer.get_ref().sync_all()),
            // A device or a pipe: nothing to make durable (fsync on them fails or means nothing).
            Sink::InPlace(writer) => writer.flush(),
        }
    }
}
