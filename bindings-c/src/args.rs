//! Reading the arguments of an exported function: NULL checks, lengths and UTF-8, never unchecked.

use std::ffi::c_char;

use crate::error::Failure;
use crate::status::chiso_status;

/// The bytes of a (pointer, length) argument; `None` when the pointer is NULL.
///
/// # Safety
///
/// A non-NULL `ptr` is valid for reads of `len` bytes for `'a`, and they are not written meanwhile.
pub(crate) unsafe fn optional_bytes<'a>(
    ptr: *const c_char,
    len: usize,
    name: &str,
) -> Result<Option<&'a [u8]>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    if isize::try_from(len).is_err() {
        return Err(Failure::new(chiso_status::CHISO_INVALID_ARGUMENT, format!("`{name}_len` is over PTRDIFF_MAX")));
    }
    // SAFETY: `ptr` is not NULL, `len` fits `isize`, and the caller promises `len` readable bytes
    // that stay unchanged while borrowed.
    Ok(Some(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) }))
}

/// The bytes of a required (pointer, length) argument.
///
/// # Safety
///
/// As [`optional_bytes`].
pub(crate) unsafe fn bytes<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<&'a [u8], Failure> {
    // SAFETY: forwarded contract.
    unsafe { optional_bytes(ptr, len, name) }?.ok_or_else(|| Failure::null(name))
}

/// Checks that bytes are UTF-8.
pub(crate) fn utf8<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str, Failure> {
    utf8_named(bytes, || name.to_owned())
}

/// Checks that bytes are UTF-8, naming them only on failure (for the fields of many records).
pub(crate) fn utf8_named(bytes: &[u8], name: impl FnOnce() -> String) -> Result<&str, Failure> {
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::new(chiso_status::CHISO_INVALID_UTF8, format!("`{}` is not UTF-8 (byte {})", name(), e.valid_up_to()))
    })
}

/// A required UTF-8 text argument given as (pointer, length).
///
/// # Safety
///
/// As [`optional_bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    utf8(unsafe { bytes(ptr, len, name) }?, name)
}

/// An optional UTF-8 text argument given as (pointer, length); NULL means absent.
///
/// # Safety
///
/// As [`optional_bytes`].
pub(crate) unsafe fn optional_text<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<Option<&'a str>, Failure> {
    // SAFETY: forwarded contract.
    unsafe { optional_bytes(ptr, len, name) }?.map(|b| utf8(b, name)).transpose()
}

/// Checks that an out-parameter is not NULL, before any work is done.
pub(crate) fn out<T>(ptr: *mut T, name: &str) -> Result<(), Failure> {
    if ptr.is_null() { Err(Failure::null(name)) } else { Ok(()) }
}

/// A required tabular input given as (pointer, length): the bytes of an Excel workbook (`.xlsx`,
/// told by its ZIP start) as they are, else UTF-8 text.
///
/// # Safety
///
/// As [`optional_bytes`].
pub(crate) unsafe fn table<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<&'a [u8], Failure> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { bytes(ptr, len, name) }?;
    if bytes.starts_with(b"PK\x03\x04") { Ok(bytes) } else { utf8(bytes, name).map(str::as_bytes) }
}

/// An optional tabular input, as [`table`]; NULL means absent.
///
/// # Safety
///
/// As [`optional_bytes`].
pub(crate) unsafe fn optional_table<'a>(
    ptr: *const c_char,
    len: usize,
    name: &str,
) -> Result<Option<&'a [u8]>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { table(ptr, len, name) }.map(Some)
}

/// The input options of a (pointer, length) JSON argument (`chiso::api::InputOptions::from_json`);
/// NULL or empty for the defaults.
///
/// # Safety
///
/// As [`optional_bytes`].
pub(crate) unsafe fn input_options(
    ptr: *const c_char,
    len: usize,
    name: &str,
) -> Result<chiso_core::api::InputOptions, Failure> {
    // SAFETY: forwarded contract.
    let text = unsafe { optional_text(ptr, len, name) }?.unwrap_or("");
    Ok(chiso_core::api::InputOptions::from_json(text.as_bytes(), name).map_err(chiso_core::api::Error::from)?)
}
