//! The command's one error: a message and the core's stable code, printed together
//! (`chiso: error [bad_json]: counts.json: line 1, column 2: …`), so that a script can match the
//! code and a person can read the message.

use chiso::ErrorCode;

/// Why a command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The stable code (the same as libchiso's status name and the WASM package's `code`).
    pub code: ErrorCode,
    /// The message, lowercase, user input in backticks.
    pub message: String,
}

impl Failure {
    /// A file that cannot be opened, read or written.
    pub fn io(message: impl Into<String>) -> Self {
        Self { code: ErrorCode::Io, message: message.into() }
    }

    /// Arguments that do not make a request.
    pub fn usage(message: impl Into<String>) -> Self {
        Self { code: ErrorCode::InvalidArgument, message: message.into() }
    }
}

impl From<chiso::Error> for Failure {
    fn from(e: chiso::Error) -> Self {
        Self { code: e.code(), message: e.to_string() }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}]: {}", self.code, self.message)
    }
}
