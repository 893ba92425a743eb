//! `chiso_status`: what every fallible function returns.

use std::ffi::{CStr, c_char, c_int};

use chiso_core::ErrorCode;

/// What a fallible function returns: `CHISO_OK`, or why it failed.
///
/// The numbers are stable: new kinds are only ever added. Values 1 to 9 come from the C boundary
/// itself; values from 10 are the error codes of the core library, one to one.
#[repr(C)]
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[expect(non_camel_case_types, reason = "C naming: the type is `chiso_status` in the header")]
pub enum chiso_status {
    /// Success: the outputs were written.
    CHISO_OK = 0,
    /// A required pointer argument was NULL.
    CHISO_NULL_ARGUMENT = 1,
    /// A text argument was not valid UTF-8.
    CHISO_INVALID_UTF8 = 2,
    /// A call out of order, such as pushing into a scorer that was finished.
    CHISO_MISUSE = 3,
    /// The library panicked; the call had no effect that can be relied on. A bug: please report it.
    CHISO_PANIC = 4,
    /// An argument is not valid: a date, a period, a unit, a length over `PTRDIFF_MAX`
    /// (core code `invalid_argument`).
    CHISO_INVALID_ARGUMENT = 5,
    /// JSON that does not parse or does not have the expected shape (`bad_json`).
    CHISO_BAD_JSON = 10,
    /// A CSV file that is empty or whose header cannot be read (`bad_header`).
    CHISO_BAD_HEADER = 11,
    /// A CSV header without a required column (`missing_column`).
    CHISO_MISSING_COLUMN = 12,
    /// A CSV that cannot be read past some row, such as an unterminated quote (`io`).
    CHISO_IO = 13,
    /// A rejected row in strict mode (`rejected_row`).
    CHISO_REJECTED_ROW = 14,
    /// Input that is readable but contradicts itself: a cycle of parents, a duplicate id
    /// (`invalid_input`).
    CHISO_INVALID_INPUT = 15,
    /// A plan that parses but contradicts itself (`invalid_plan`).
    CHISO_INVALID_PLAN = 16,
    /// A Decision 766 profile name that is not built in (`unknown_profile`).
    CHISO_UNKNOWN_PROFILE = 17,
    /// A Decision 766 profile that contradicts itself (`invalid_profile`).
    CHISO_INVALID_PROFILE = 18,
    /// A saved partial that is not one, is cut short or damaged (`partial_corrupt`).
    CHISO_PARTIAL_CORRUPT = 19,
    /// A saved partial of another format version (`partial_version`).
    CHISO_PARTIAL_VERSION = 20,
    /// Partials or scorers of another profile, period range or context (units and procedures),
    /// which cannot be merged (`partial_mismatch`).
    CHISO_PARTIAL_MISMATCH = 21,
    /// An error of the core library that this version of the header does not name yet; the
    /// message says what it is.
    CHISO_OTHER_ERROR = 99,
}

use chiso_status::{
    CHISO_BAD_HEADER, CHISO_BAD_JSON, CHISO_INVALID_ARGUMENT, CHISO_INVALID_INPUT, CHISO_INVALID_PLAN,
    CHISO_INVALID_PROFILE, CHISO_INVALID_UTF8, CHISO_IO, CHISO_MISSING_COLUMN, CHISO_MISUSE, CHISO_NULL_ARGUMENT,
    CHISO_OK, CHISO_OTHER_ERROR, CHISO_PANIC, CHISO_PARTIAL_CORRUPT, CHISO_PARTIAL_MISMATCH, CHISO_PARTIAL_VERSION,
    CHISO_REJECTED_ROW, CHISO_UNKNOWN_PROFILE,
};

/// Every status with its stable name: the core's error code for those that come from the core.
const NAMES: [(chiso_status, &CStr); 19] = [
    (CHISO_OK, c"ok"),
    (CHISO_NULL_ARGUMENT, c"null_argument"),
    (CHISO_INVALID_UTF8, c"invalid_utf8"),
    (CHISO_MISUSE, c"misuse"),
    (CHISO_PANIC, c"panic"),
    (CHISO_INVALID_ARGUMENT, c"invalid_argument"),
    (CHISO_BAD_JSON, c"bad_json"),
    (CHISO_BAD_HEADER, c"bad_header"),
    (CHISO_MISSING_COLUMN, c"missing_column"),
    (CHISO_IO, c"io"),
    (CHISO_REJECTED_ROW, c"rejected_row"),
    (CHISO_INVALID_INPUT, c"invalid_input"),
    (CHISO_INVALID_PLAN, c"invalid_plan"),
    (CHISO_UNKNOWN_PROFILE, c"unknown_profile"),
    (CHISO_INVALID_PROFILE, c"invalid_profile"),
    (CHISO_PARTIAL_CORRUPT, c"partial_corrupt"),
    (CHISO_PARTIAL_VERSION, c"partial_version"),
    (CHISO_PARTIAL_MISMATCH, c"partial_mismatch"),
    (CHISO_OTHER_ERROR, c"other_error"),
];

impl chiso_status {
    /// The status of a core error code. An exhaustive match with no catch-all arm: a code added to
    /// the core does not compile here until it has a status (the workspace builds the core with
    /// `exhaustive-error-codes`). Several codes may share a status: a scorer used after it finished
    /// is `CHISO_MISUSE`, as it always was in C.
    pub(crate) const fn of(code: ErrorCode) -> Self {
        match code {
            ErrorCode::InvalidArgument => CHISO_INVALID_ARGUMENT,
            ErrorCode::BadJson => CHISO_BAD_JSON,
            ErrorCode::BadHeader => CHISO_BAD_HEADER,
            ErrorCode::MissingColumn => CHISO_MISSING_COLUMN,
            ErrorCode::Io => CHISO_IO,
            ErrorCode::RejectedRow => CHISO_REJECTED_ROW,
            ErrorCode::InvalidInput => CHISO_INVALID_INPUT,
            ErrorCode::InvalidPlan => CHISO_INVALID_PLAN,
            ErrorCode::UnknownProfile => CHISO_UNKNOWN_PROFILE,
            ErrorCode::InvalidProfile => CHISO_INVALID_PROFILE,
            ErrorCode::Misuse | ErrorCode::ScorerFinished => CHISO_MISUSE,
            ErrorCode::PartialCorrupt => CHISO_PARTIAL_CORRUPT,
            ErrorCode::PartialVersion => CHISO_PARTIAL_VERSION,
            ErrorCode::PartialMismatch => CHISO_PARTIAL_MISMATCH,
        }
    }
}

/// The stable lowercase name of a status (`"ok"`, `"null_argument"`, `"bad_json"`, …); from
/// `CHISO_INVALID_ARGUMENT` on, the core library's error code.
///
/// `status` is an `int` rather than a `chiso_status` so that any value is safe to pass: one that
/// is not a `chiso_status` gives `"other_error"`. Returns a static NUL-terminated string, never
/// NULL; do not free it.
#[unsafe(no_mangle)]
pub extern "C" fn chiso_status_name(status: c_int) -> *const c_char {
    NAMES.iter().find(|(s, _)| *s as c_int == status).map_or(c"other_error", |(_, name)| name).as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_a_status_named_by_the_code() {
        for code in ErrorCode::ALL {
            let status = chiso_status::of(code);
            assert_ne!(status, CHISO_OTHER_ERROR, "{code}");
            // SAFETY: chiso_status_name returns a static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(chiso_status_name(status as c_int)) }.to_str().unwrap();
            // One status per code, but for the finished scorer, which C has always called misuse.
            let expected = if code == ErrorCode::ScorerFinished { "misuse" } else { code.as_str() };
            assert_eq!(name, expected);
        }
    }

    #[test]
    fn names_are_c_strings_matching_the_table() {
        for (status, name) in NAMES {
            // SAFETY: chiso_status_name returns a static NUL-terminated string.
            let c = unsafe { CStr::from_ptr(chiso_status_name(status as c_int)) };
            assert_eq!(c, name);
        }
        // SAFETY: as above.
        assert_eq!(unsafe { CStr::from_ptr(chiso_status_name(12345)) }, c"other_error");
    }
}
