//! The C ABI of chiso: `libchiso.so`, `libchiso.a` and `include/chiso.h`.
//!
//! Every exported function goes through one boundary (the `error::boundary!` macro): a panic becomes
//! `CHISO_PANIC`, a NULL argument `CHISO_NULL_ARGUMENT`, text that is not UTF-8
//! `CHISO_INVALID_UTF8`, a core error the status of its code; outputs are written only on success
//! and an optional `chiso_error **` receives the message. The header is generated from this crate
//! by a pinned cbindgen (`gen_header.sh`) and checked in.
#![deny(missing_docs)]

pub mod error;

mod args;
pub mod bytes;
pub mod derive;
pub mod dossier;
pub mod explain;
pub mod json;
pub mod portal;
pub mod scorer;
pub mod status;
mod utf8;

use std::ffi::{CStr, c_char};

/// The major version of the library this header belongs to.
pub const CHISO_VERSION_MAJOR: u32 = 0;
/// The minor version of the library this header belongs to.
pub const CHISO_VERSION_MINOR: u32 = 1;
/// The patch version of the library this header belongs to.
pub const CHISO_VERSION_PATCH: u32 = 0;

const VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(v) => v,
    Err(_) => c"unknown",
};

/// The version of the linked library (`"0.1.0"`), to compare with `CHISO_VERSION`.
///
/// Returns a static NUL-terminated string; never NULL; do not free it.
#[unsafe(no_mangle)]
pub extern "C" fn chiso_version() -> *const c_char {
    VERSION.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_constants_match_the_package() {
        // `CHISO_VERSION` is written in cbindgen.toml, which cbindgen cannot derive from a constant.
        let define = format!("#define CHISO_VERSION \"{}\"", env!("CARGO_PKG_VERSION"));
        assert!(include_str!("../cbindgen.toml").contains(&define), "cbindgen.toml lacks `{define}`");
        assert_eq!(CHISO_VERSION_MAJOR.to_string(), env!("CARGO_PKG_VERSION_MAJOR"));
        assert_eq!(CHISO_VERSION_MINOR.to_string(), env!("CARGO_PKG_VERSION_MINOR"));
        assert_eq!(CHISO_VERSION_PATCH.to_string(), env!("CARGO_PKG_VERSION_PATCH"));
        // SAFETY: a static C string.
        assert_eq!(unsafe { CStr::from_ptr(chiso_version()) }.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
