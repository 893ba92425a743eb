//! The JS error class and the conversion of every failure into it.

use chiso::ErrorCode;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/chiso_error.js")]
extern "C" {
    /// `class ChisoError extends Error { code: ErrorCode }`, defined in `js/chiso_error.js`.
    #[wasm_bindgen(typescript_type = "ChisoError")]
    #[derive(Debug, Clone)]
    pub type ChisoError;

    #[wasm_bindgen(constructor)]
    fn new(code: &str, message: &str) -> ChisoError;
}

/// A failure with its stable code, before it crosses into JS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The core's code, when the core failed; `None` for the binding's own `internal`.
    pub code: Code,
    /// The message, lowercase, user input in backticks.
    pub message: String,
}

/// The code of a failure: the core's, or the binding's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A code of the core.
    Core(ErrorCode),
    /// A result that could not be handed to JS (a bug).
    Internal,
}

impl PartialEq<ErrorCode> for Code {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == Self::Core(*other)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Code {
    /// `ChisoError.code`. An exhaustive match with no catch-all arm: a code added to the core does
    /// not compile here until it has a JS code (the workspace builds the core with
    /// `exhaustive-error-codes`). The JS codes are the core's names, a contract.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Core(code) => match code {
                ErrorCode::InvalidArgument
                | ErrorCode::BadJson
                | ErrorCode::BadHeader
                | ErrorCode::MissingColumn
                | ErrorCode::Io
                | ErrorCode::RejectedRow
                | ErrorCode::InvalidInput
                | ErrorCode::InvalidPlan
                | ErrorCode::UnknownProfile
                | ErrorCode::InvalidProfile
                | ErrorCode::Misuse
                | ErrorCode::ScorerFinished
                | ErrorCode::PartialCorrupt
                | ErrorCode::PartialVersion
                | ErrorCode::PartialMismatch => code.as_str(),
            },
            Self::Internal => "internal",
        }
    }
}

impl Failure {
    /// A failure of the caller's arguments.
    #[must_use]
    pub fn argument(message: impl Into<String>) -> Self {
        Self { code: Code::Core(ErrorCode::InvalidArgument), message: message.into() }
    }

    /// A result that could not be handed to JS.
    #[must_use]
    pub fn internal(message: impl Into<String>) -> Self {
        Self { code: Code::Internal, message: message.into() }
    }
}

impl From<chiso::Error> for Failure {
    fn from(e: chiso::Error) -> Self {
        Self { code: Code::Core(e.code()), message: e.to_string() }
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> Self {
        ChisoError::new(f.code.as_str(), &f.message).into()
    }
}
