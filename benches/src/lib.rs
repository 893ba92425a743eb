//! Shared fixtures for the criterion benches: generated input held in memory.
//!
//! The benches live in `benches/`; the side-by-side comparison with DuckDB and Polars in
//! `compare/` (see `compare/run.sh`).

use chiso::period::Period;
use chiso_tools::generate::{Generator, GeneratorConfig};

/// The generated files of one province, in memory.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// `units.csv`.
    pub units: Vec<u8>,
    /// `procedures.csv`.
    pub procedures: Vec<u8>,
    /// `dossiers.csv`.
    pub dossiers: Vec<u8>,
    /// `feedback.csv`.
    pub feedback: Vec<u8>,
    /// The period the records are in.
    pub period: Period,
    /// Dossier rows.
    pub rows: u64,
}

/// `dossiers` records in July 2025, seed 0, as [`GeneratorConfig::new`] scales them.
///
/// # Errors
/// Only if writing to memory fails, which it does not.
pub fn fixture(dossiers: u64) -> std::io::Result<Fixture> {
    let period = Period::Month(2025, 7);
    let generator = Generator::new(GeneratorConfig::new(dossiers, period));
    let mut f = Fixture {
        units: Vec::new(),
        procedures: Vec::new(),
        dossiers: Vec::new(),
        feedback: Vec::new(),
        period,
        rows: dossiers,
    };
    generator.write_units(&mut f.units)?;
    generator.write_procedures(&mut f.procedures)?;
    generator.write_dossiers(&mut f.dossiers)?;
    generator.write_feedback(&mut f.feedback)?;
    Ok(f)
}
