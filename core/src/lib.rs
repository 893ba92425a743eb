//! chiso ("chỉ số", indicator): the key performance indicators of Vietnam's online-public-service
//! plans, evaluated exactly.
//!
//! The crate is pure: it reads bytes and returns values, never touching files or the network. Every
//! number compared with a threshold or rounded for publication is computed in integer arithmetic.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod api;
pub mod builtin;
pub mod by_role;
pub mod confidence;
pub mod date;
pub mod derive;
pub mod error;
pub mod evaluate;
pub mod exact;
pub mod headers;
pub mod input;
pub mod labels;
pub mod observation;
pub mod period;
pub mod plan;
pub mod portal;
pub mod projection;
pub mod rank;
pub mod rollup;
pub mod score766;
pub mod tabular;
pub mod units;
#[cfg(feature = "xlsx-write")]
pub mod xlsx_out;

pub use api::Error;
pub use error::ErrorCode;
