//! Admin tooling and test utilities of chiso, beside the library rather than inside it: the
//! deterministic data generator behind `chiso generate`, the benches and the tests that need a
//! province's worth of input.
//!
//! Only the CLI, the benches and tests depend on this crate; the library a province links (the
//! core, libchiso, the WASM package) carries none of it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod generate;
