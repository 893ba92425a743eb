//! Tabular input and output: the one home of CSV in the core.
//!
//! - [`scan`]: the record scanner every CSV reader uses (records, line ends, quotes, recovery from
//!   an unterminated quote), and the field splitter;
//! - [`read`]: the CSV reader by column name that the units, procedures, feedback and
//!   observations readers use, and the header resolution the dossier reader shares;
//! - [`write`](mod@write): the one CSV writer, for spreadsheets (formulas neutralised);
//! - [`options`]: how a real export is read ([`InputOptions`]: sheet, header row, separator,
//!   column map, decimal comma), [`source`]: an input opened under them (a workbook converted, a
//!   CSV file rewritten by [`rewrite`]) as the canonical CSV its reader takes.

pub mod encoding;
pub mod options;
pub mod read;
pub mod rewrite;
pub mod scan;
pub mod source;
pub mod write;

pub use options::{ColumnMap, InputOptions};
#[cfg(feature = "xlsx")]
pub mod xlsx;
