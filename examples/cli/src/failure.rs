//! The command's one error: a message and the core's stable code, printed together
//! (`chiso: error [bad_json]: counts.json: line 1, column 2: …`), so that a script can match the
//! code and a person can read the message.

use chiso::ErrorCode;
use chiso::labels::{Lang, localize};

/// Why a command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The stable code (the same as libchiso's status name and the WASM package's `code`).
    pub code: ErrorCode,
    /// The message, lowercase, user input in backticks (English for an error of the core, whose
    /// words the catalogue gives in each language; already in the run's language otherwise).
    pub message: String,
    /// The core's error, kept to be told in the run's language.
    pub error: Option<chiso::Error>,
}

impl Failure {
    /// A file that cannot be opened, read or written.
    pub fn io(message: impl Into<String>) -> Self {
        Self { code: ErrorCode::Io, message: message.into(), error: None }
    }

    /// Arguments that do not make a request.
    pub fn usage(message: impl Into<String>) -> Self {
        Self { code: ErrorCode::InvalidArgument, message: message.into(), error: None }
    }

    /// The failure as printed after `chiso: <error>`, in `lang`: `[code]: message`.
    pub fn to_string_in(&self, lang: Lang) -> String {
        let message =
            self.error.as_ref().map_or_else(|| localize(&self.message, lang).into_owned(), |e| e.message_in(lang));
        format!("[{}]: {message}", self.code)
    }
}

impl From<chiso::Error> for Failure {
    fn from(e: chiso::Error) -> Self {
        Self { code: e.code(), message: e.to_string(), error: Some(e) }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}]: {}", self.code, self.message)
    }
}
