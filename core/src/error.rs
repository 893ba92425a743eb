//! The stable error codes that the C and JS bindings map one to one. A leaf module: every error
//! family of the crate takes its codes from here.
//!
//! Every fallible operation family keeps its own precise error (`InputError`, `PlanError`,
//! `ProfileError`); each has a `code()` from the one [`ErrorCode`] enum, and all of them convert
//! into `chiso::Error`, the one error type that the session API (`chiso::api`) returns.
//!
//! # Exhaustive matching in the bindings
//!
//! [`ErrorCode`] is `#[non_exhaustive]` for users of the crate, so that a new code is not a breaking
//! change. The workspace's own bindings must instead map every code, with no catch-all arm, so that
//! a new code does not compile until it has a C status and a JS code. They enable the feature
//! `exhaustive-error-codes`, which drops the attribute; nothing else should enable it.

/// A stable error code. The text of each ([`ErrorCode::as_str`]) is what `chiso_status_name`
/// returns in C and what `ChisoError.code` holds in JS; codes are only ever added.
#[cfg_attr(not(feature = "exhaustive-error-codes"), non_exhaustive)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// An argument is not valid: a date, a period, a unit, a method (`invalid_argument`).
    InvalidArgument,
    /// JSON that does not parse or does not have the expected shape (`bad_json`).
    BadJson,
    /// A CSV file that is empty or whose header cannot be read (`bad_header`).
    BadHeader,
    /// A CSV header without a required column (`missing_column`).
    MissingColumn,
    /// Bytes that cannot be read past some point, such as a record over the size limit (`io`).
    Io,
    /// A rejected row when asked to stop at the first (`rejected_row`).
    RejectedRow,
    /// Input that is readable but contradicts itself: a cycle of parents, a duplicate id, counts of
    /// another period (`invalid_input`).
    InvalidInput,
    /// A plan that parses but contradicts itself (`invalid_plan`).
    InvalidPlan,
    /// A Decision 766 profile name that is not built in (`unknown_profile`).
    UnknownProfile,
    /// A Decision 766 profile that contradicts itself (`invalid_profile`).
    InvalidProfile,
    /// A call out of order: units loaded after records, counts loaded twice (`misuse`).
    Misuse,
    /// A scorer used after it finished or was merged into another (`scorer_finished`).
    ScorerFinished,
    /// A saved partial that is not one, or is cut short or damaged: its magic, length or a
    /// checksum does not match, or its body does not decode (`partial_corrupt`).
    PartialCorrupt,
    /// A saved partial of a format version this library does not read (`partial_version`).
    PartialVersion,
    /// Partials (or sessions) that cannot be merged: another profile, period range, or context
    /// (units and procedures) (`partial_mismatch`).
    PartialMismatch,
}

impl ErrorCode {
    /// Every code, in the order they were added.
    pub const ALL: [Self; 15] = [
        Self::InvalidArgument,
        Self::BadJson,
        Self::BadHeader,
        Self::MissingColumn,
        Self::Io,
        Self::RejectedRow,
        Self::InvalidInput,
        Self::InvalidPlan,
        Self::UnknownProfile,
        Self::InvalidProfile,
        Self::Misuse,
        Self::ScorerFinished,
        Self::PartialCorrupt,
        Self::PartialVersion,
        Self::PartialMismatch,
    ];

    /// The stable lowercase name (`missing_column`, `invalid_argument`, …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidArgument => "invalid_argument",
            Self::BadJson => "bad_json",
            Self::BadHeader => "bad_header",
            Self::MissingColumn => "missing_column",
            Self::Io => "io",
            Self::RejectedRow => "rejected_row",
            Self::InvalidInput => "invalid_input",
            Self::InvalidPlan => "invalid_plan",
            Self::UnknownProfile => "unknown_profile",
            Self::InvalidProfile => "invalid_profile",
            Self::Misuse => "misuse",
            Self::ScorerFinished => "scorer_finished",
            Self::PartialCorrupt => "partial_corrupt",
            Self::PartialVersion => "partial_version",
            Self::PartialMismatch => "partial_mismatch",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_listed() {
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        assert!(ErrorCode::MissingColumn == "missing_column");
    }
}
