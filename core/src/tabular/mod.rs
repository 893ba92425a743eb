//! Tabular input and output: the one home of CSV in the core.
//!
//! - [`scan`]: the record scanner every CSV reader uses (records, line ends, quotes, recovery from
//!   an unterminated quote), and the field splitter;
//! - [`read`]: the CSV reader by column name that the units, procedures, feedback and
//!   observations readers use, and the header resolution the dossier reader shares;
//! - [`write`](mod@write): the one CSV writer, for spreadsheets (formulas neutralised).

pub mod encoding;
pub mod read;
pub mod scan;
pub mod write;
#[cfg(feature = "xlsx")]
pub mod xlsx;
