//! The JS error class and the conversion of every failure into it.

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
    /// The stable code (`missing_column`, `invalid_argument`, …).
    pub code: &'static str,
    /// The message, lowercase, user input in backticks.
    pub message: String,
}

impl Failure {
    /// A failure of the caller's arguments.
    #[must_use]
    pub fn argument(message: impl Into<String>) -> Self {
        Self { code: "invalid_argument", message: message.into() }
    }

    /// A call on a `Scorer766` that has already finished.
    #[must_use]
    pub fn finished() -> Self {
        Self { code: "scorer_finished", message: "the scorer has already finished".to_owned() }
    }
}

impl From<chiso::api::Error> for Failure {
    fn from(e: chiso::api::Error) -> Self {
        Self { code: e.code(), message: e.to_string() }
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> Self {
        ChisoError::new(f.code, &f.message).into()
    }
}
