//! Reading input: rejected rows and whole-file errors. The CSV reader by column name lives in
//! [`crate::tabular::read`] (re-exported here).
//!
//! Every reader in chiso follows one rule: a bad row is reported with its file, row, column and
//! reason, and the good rows around it are kept. Rows are numbered as a spreadsheet shows them:
//! the header is row 1, so the first data row is row 2 (for a record that spans lines inside
//! quotes, the line where it starts).

use serde::{Deserialize, Serialize};

/// The longest field accepted, in bytes.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A row that was read but not accepted, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rejection {
    /// The file (or stream) name.
    pub source: String,
    /// The row: the line number in a CSV file (header = 1) or a JSON lines file, or the index + 1
    /// of the item in a JSON array.
    pub row: u64,
    /// The column or field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Why, in words.
    pub reason: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}: row {}, column `{}`: {}", self.source, self.row, c, self.reason),
            None => write!(f, "{}: row {}: {}", self.source, self.row, self.reason),
        }
    }
}

/// A whole input that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The header lacks a required column.
    #[error("{file}: the header has no `{column}` column")]
    MissingColumn {
        /// The file.
        file: String,
        /// The missing column.
        column: String,
    },
    /// The file is empty or its header cannot be read.
    #[error("{file}: {reason}")]
    Header {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// The bytes could not be read.
    #[error("{file}: read failed: {reason}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// JSON that does not parse or does not have the expected shape.
    #[error("{file}: line {line}, column {column}: {reason}")]
    Json {
        /// The file.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// Why.
        reason: String,
    },
    /// A row was rejected and the reader was asked to stop at the first (`--strict`).
    #[error("{0}")]
    Strict(Rejection),
    /// The content is readable but contradicts itself (a cycle of parents, a duplicate id …).
    #[error("{file}: {reason}")]
    Invalid {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
}

impl InputError {
    /// A stable code for the C and JS bindings.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::MissingColumn { .. } => "missing_column",
            Self::Header { .. } => "bad_header",
            Self::Io { .. } => "io",
            Self::Json { .. } => "bad_json",
            Self::Strict(_) => "rejected_row",
            Self::Invalid { .. } => "invalid_input",
        }
    }

    /// The error of a `serde_json` failure in `source`.
    #[must_use]
    pub fn json(source: &str, e: &serde_json::Error) -> Self {
        let text = e.to_string();
        // serde_json appends " at line L column C"; the fields carry those, so drop the suffix.
        let reason = text.split(" at line ").next().unwrap_or(&text).to_owned();
        Self::Json { file: source.to_owned(), line: e.line(), column: e.column(), reason }
    }
}

pub use crate::tabular::read::{Columns, Row, parse_bool, parse_u64, read_csv};
