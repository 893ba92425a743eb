//! A deterministic generator of realistic input for a province, at any scale: `units.csv`,
//! `procedures.csv`, `dossiers.csv` and `feedback.csv` in the formats of `formats.md`.
//!
//! The same [`GeneratorConfig`] (seed included) gives the same bytes on every machine: the random
//! source is carried here (wyrand seeded by splitmix64), not taken from a crate whose stream could
//! change. Records are written one row at a time to any [`Write`], never held in memory, with
//! hand-written formatting (several million rows a second to a file).
//!
//! The records look like a provincial system's export: about 80 % filed online, about 90 % on
//! time, some open at the end of the month, some with supplement requests (waiting days with up
//! to three decimals, some landing exactly on the deadline), times mostly local without an offset
//! but some in UTC (`Z`) or with `+07:00` (so a record's UTC date may lie in the previous month),
//! date-only due dates (end of that day), booleans mostly `1`/`0` but some `true`/`false` or
//! empty, a few quoted ids and notes with commas and quotes, and an extra column readers ignore.
//! A small share of records (configurable) is received just outside the period.
//!
//! With [`GeneratorConfig::bad_row_fraction`] the dossiers also carry a controlled share of rows
//! every reader must reject: see [`BadRowKind`]. The summary says how many of each were written.
//!
//! With [`GeneratorConfig::shape`] = [`Shape::Export`] the same records (the same seed gives the
//! same dossiers, instants included) are written as a provincial system exports them
//! (exports.md): Vietnamese headers, `;`, day-first Vietnam times, Vietnamese words, a UTF-8 BOM
//! and CRLF.
//!
//! ```
//! use chiso_tools::generate::{Generator, GeneratorConfig};
//! let cfg = GeneratorConfig::new(1_000, "2025-07".parse().unwrap());
//! let generator = Generator::new(cfg);
//! let mut csv = Vec::new();
//! let summary = generator.write_dossiers(&mut csv).unwrap();
//! assert_eq!(summary.rows, 1_000);
//! ```

mod out;
mod records;
mod rng;
mod world;

use std::io::{self, Write};

use chiso::period::Period;

pub use records::{DOSSIER_HEADER, FEEDBACK_HEADER};

/// How the files are written: the same records either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// `formats.md`: machine names, `,`, ISO 8601 times in several zones, `1`/`0` booleans,
    /// English words, LF.
    #[default]
    Canonical,
    /// The Vietnamese export of a provincial procedure system (exports.md): the Vietnamese header
    /// aliases, `;`, `DD/MM/YYYY HH:MM:SS` in Vietnam time without a zone, `Trực tuyến` /
    /// `Trực tiếp` / `Bưu chính`, `Có` / `Không` (or `x` / empty) booleans, `Hài lòng` /
    /// `Không hài lòng`, a UTF-8 byte order mark and CRLF line ends.
    Export,
}

impl Shape {
    /// The field separator.
    #[must_use]
    pub const fn separator(self) -> u8 {
        match self {
            Self::Canonical => b',',
            Self::Export => b';',
        }
    }

    /// The header of a file whose columns are `columns` (canonical names): the names themselves,
    /// or in the export shape each one's first Vietnamese alias (the name itself when it has none).
    #[must_use]
    pub fn header(self, columns: &[&str]) -> String {
        let sep = char::from(self.separator()).to_string();
        let name = |c: &&str| match self {
            Self::Canonical => (*c).to_owned(),
            Self::Export => chiso::headers::aliases_of(c).first().copied().unwrap_or(c).to_owned(),
        };
        columns.iter().map(name).collect::<Vec<_>>().join(&sep)
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorConfig {
    /// The seed: the same configuration and seed give the same bytes.
    pub seed: u64,
    /// The period the records are received in (a month, a quarter or a year).
    pub period: Period,
    /// Number of dossier rows, bad rows included.
    pub dossiers: u64,
    /// Number of feedback rows.
    pub feedback: u64,
    /// Number of communes and wards under the province.
    pub communes: u32,
    /// Average number of neighbourhoods (khóm, ấp, tổ dân phố) per commune.
    pub neighbourhoods_per_commune: u32,
    /// Number of procedures.
    pub procedures: u32,
    /// Share of dossier rows made invalid on purpose, 0 to 1.
    pub bad_row_fraction: f64,
    /// Share of dossier rows received on the day before or after the period, 0 to 1.
    pub outside_period_fraction: f64,
    /// The province's name, for `units.csv`.
    pub province_name: String,
    /// How the files are written (the records do not depend on it).
    pub shape: Shape,
}

impl GeneratorConfig {
    /// `dossiers` records in `period`, seed 0, with the province scaled to match: about 100
    /// communes per million dossiers a year but never more than a real province has
    /// ([`Self::communes_for`]), 8 neighbourhoods each, 400 procedures, one feedback item per 50
    /// dossiers, 0.2 % of records just outside the period, no bad rows.
    #[must_use]
    pub fn new(dossiers: u64, period: Period) -> Self {
        Self {
            seed: 0,
            period,
            dossiers,
            feedback: dossiers / 50,
            communes: Self::communes_for(dossiers, period),
            neighbourhoods_per_commune: 8,
            procedures: 400,
            bad_row_fraction: 0.0,
            outside_period_fraction: 0.002,
            province_name: "Phú An".to_owned(),
            shape: Shape::Canonical,
        }
    }

    /// The most communes [`Self::communes_for`] gives: after the 2025 reform Vietnam has about
    /// 3 300 communes and wards in 34 provinces, about 100 a province and under 170 in the largest.
    pub const MAX_DEFAULT_COMMUNES: u32 = 200;

    /// A province's size for `dossiers` records in `period`: about 100 communes per million
    /// dossiers a year, at least 3 and at most [`Self::MAX_DEFAULT_COMMUNES`]. A busier province
    /// has busier communes, not more of them than a real province (10 M dossiers in a month would
    /// otherwise make 12 000 communes). Set [`Self::communes`] (`chiso generate --units`) for
    /// another size.
    #[must_use]
    pub fn communes_for(dossiers: u64, period: Period) -> u32 {
        let months = u64::from(period.last_month() - period.first_month()) + 1;
        let per_year = dossiers.saturating_mul(12) / months;
        u32::try_from(per_year / 10_000).unwrap_or(u32::MAX).clamp(3, Self::MAX_DEFAULT_COMMUNES)
    }
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        Self::new(10_000, Period::Month(2025, 7))
    }
}

/// A kind of invalid dossier row, injected with [`GeneratorConfig::bad_row_fraction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BadRowKind {
    /// `received_at` is not a date (`31/07/2025`, day 32, hour 25).
    BadDate,
    /// `unit` is not in `units.csv`.
    UnknownUnit,
    /// `procedure` is not in `procedures.csv`.
    UnknownProcedure,
    /// `due_at` is a day before the received date.
    DueBeforeReceived,
    /// The row has one field fewer, or two more, than the header.
    WrongFieldCount,
    /// `supplement_requests` is 2⁶⁴, one past the largest count.
    Overflow,
}

impl BadRowKind {
    /// Every kind, in a fixed order.
    pub const ALL: [Self; 6] = [
        Self::BadDate,
        Self::UnknownUnit,
        Self::UnknownProcedure,
        Self::DueBeforeReceived,
        Self::WrongFieldCount,
        Self::Overflow,
    ];

    /// A short name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BadDate => "bad_date",
            Self::UnknownUnit => "unknown_unit",
            Self::UnknownProcedure => "unknown_procedure",
            Self::DueBeforeReceived => "due_before_received",
            Self::WrongFieldCount => "wrong_field_count",
            Self::Overflow => "overflow",
        }
    }

    const fn index(self) -> usize {
        match self {
            Self::BadDate => 0,
            Self::UnknownUnit => 1,
            Self::UnknownProcedure => 2,
            Self::DueBeforeReceived => 3,
            Self::WrongFieldCount => 4,
            Self::Overflow => 5,
        }
    }
}

/// How many bad rows of each kind were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BadRowCounts([u64; 6]);

impl BadRowCounts {
    fn merge(&mut self, other: &Self) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    fn add(&mut self, kind: BadRowKind) {
        if let Some(c) = self.0.get_mut(kind.index()) {
            *c += 1;
        }
    }

    /// Rows of `kind`.
    #[must_use]
    pub fn get(&self, kind: BadRowKind) -> u64 {
        self.0.get(kind.index()).copied().unwrap_or(0)
    }

    /// All bad rows.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
}

/// What [`Generator::write_dossiers`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DossierSummary {
    /// Data rows (the header not counted), bad rows included.
    pub rows: u64,
    /// Bytes, header included.
    pub bytes: u64,
    /// Rows received on the day before or after the period.
    pub outside_period: u64,
    /// Invalid rows by kind.
    pub bad: BadRowCounts,
}

/// A province built from a configuration, ready to write its files.
#[derive(Debug, Clone)]
pub struct Generator {
    config: GeneratorConfig,
    world: world::World,
}

impl Generator {
    /// Builds the units and procedures (small; the records are drawn while writing).
    #[must_use]
    pub fn new(config: GeneratorConfig) -> Self {
        let world = world::World::build(
            config.seed,
            config.communes,
            config.neighbourhoods_per_commune,
            config.procedures.max(1),
            &config.province_name,
        );
        Self { config, world }
    }

    /// The configuration.
    #[must_use]
    pub const fn config(&self) -> &GeneratorConfig {
        &self.config
    }

    /// Number of units `units.csv` holds.
    #[must_use]
    pub fn unit_count(&self) -> usize {
        self.world.units.len()
    }

    /// Writes `units.csv`: the province, its departments, communes and neighbourhoods. Returns
    /// the number of data rows.
    pub fn write_units<W: Write>(&self, out: W) -> io::Result<u64> {
        self.world.write_units(out, self.config.shape)
    }

    /// Writes `procedures.csv`. Returns the number of data rows.
    pub fn write_procedures<W: Write>(&self, out: W) -> io::Result<u64> {
        self.world.write_procedures(out, self.config.shape)
    }

    /// Writes `dossiers.csv`, streaming.
    pub fn write_dossiers<W: Write>(&self, out: W) -> io::Result<DossierSummary> {
        records::write_dossiers(&self.world, &self.config, out)
    }

    /// Writes `dossiers.csv` with `threads` threads making rows while the calling thread writes
    /// them: the same bytes as [`Generator::write_dossiers`], faster on several cores. Memory stays
    /// bounded (two chunks of 65 536 rows in flight per thread).
    pub fn write_dossiers_parallel<W: Write>(&self, out: W, threads: usize) -> io::Result<DossierSummary> {
        records::write_dossiers_parallel(&self.world, &self.config, out, threads)
    }

    /// Writes `feedback.csv`, streaming. Returns the number of data rows.
    pub fn write_feedback<W: Write>(&self, out: W) -> io::Result<u64> {
        records::write_feedback(&self.world, &self.config, out)
    }
}

/// Writes `units.csv` for `cfg`; returns the number of data rows.
pub fn write_units<W: Write>(cfg: &GeneratorConfig, out: W) -> io::Result<u64> {
    Generator::new(cfg.clone()).write_units(out)
}

/// Writes `procedures.csv` for `cfg`; returns the number of data rows.
pub fn write_procedures<W: Write>(cfg: &GeneratorConfig, out: W) -> io::Result<u64> {
    Generator::new(cfg.clone()).write_procedures(out)
}

/// Writes `dossiers.csv` for `cfg`; returns the number of data rows.
pub fn write_dossiers<W: Write>(cfg: &GeneratorConfig, out: W) -> io::Result<u64> {
    Generator::new(cfg.clone()).write_dossiers(out).map(|s| s.rows)
}

/// Writes `feedback.csv` for `cfg`; returns the number of data rows.
pub fn write_feedback<W: Write>(cfg: &GeneratorConfig, out: W) -> io::Result<u64> {
    Generator::new(cfg.clone()).write_feedback(out)
}

#[cfg(test)]
mod tests;
