//! `chiso_status`: what every fallible function returns.

use std::ffi::{CStr, c_char, c_int};

/// What a fallible function returns: `CHISO_OK`, or why it failed.
///
/// The numbers are stable: new kinds are only ever added. Values 1 to 9 come from the C boundary
/// itself; values from 10 are the error codes of the core library, one to one.
#[repr(C)]
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types, reason = "C naming: the type is `chiso_status` in the header")]
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
    /// An error of the core library that this version of the header does not name yet; the
    /// message says what it is.
    CHISO_OTHER_ERROR = 99,
}

use chiso_status::{
    CHISO_BAD_HEADER, CHISO_BAD_JSON, CHISO_INVALID_ARGUMENT, CHISO_INVALID_INPUT, CHISO_INVALID_PLAN,
    CHISO_INVALID_PROFILE, CHISO_INVALID_UTF8, CHISO_IO, CHISO_MISSING_COLUMN, CHISO_MISUSE, CHISO_NULL_ARGUMENT,
    CHISO_OK, CHISO_OTHER_ERROR, CHISO_PANIC, CHISO_REJECTED_ROW, CHISO_UNKNOWN_PROFILE,
};

/// Every status with its stable name: the core's error code for those that come from the core.
const NAMES: [(chiso_status, &CStr); 16] = [
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
    (CHISO_OTHER_ERROR, c"other_error"),
];

/// The statuses from here on in [`NAMES`] are named by core error codes.
const FIRST_CORE_CODE: usize = 5;

impl chiso_status {
    /// The status of a core error code (`CHISO_OTHER_ERROR` for a code this version does not know).
    pub(crate) fn from_code(code: &str) -> Self {
        NAMES
            .iter()
            .skip(FIRST_CORE_CODE)
            .find(|(_, name)| name.to_bytes() == code.as_bytes())
            .map_or(CHISO_OTHER_ERROR, |(status, _)| *status)
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
    fn every_core_code_has_its_own_status() {
        for code in [
            "invalid_argument",
            "bad_json",
            "bad_header",
            "missing_column",
            "io",
            "rejected_row",
            "invalid_input",
            "invalid_plan",
            "unknown_profile",
            "invalid_profile",
        ] {
            let status = chiso_status::from_code(code);
            assert_ne!(status, CHISO_OTHER_ERROR, "{code}");
            // SAFETY: chiso_status_name returns a static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(chiso_status_name(status as c_int)) };
            assert_eq!(name.to_str().unwrap(), code);
        }
        assert_eq!(chiso_status::from_code("ok"), CHISO_OTHER_ERROR);
        assert_eq!(chiso_status::from_code("no_such_code"), CHISO_OTHER_ERROR);
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
