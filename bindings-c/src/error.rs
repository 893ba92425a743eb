//! `chiso_error`: the message of a failed call, and the boundary every exported function goes
//! through.

use std::any::Any;
use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::status::chiso_status;

/// Why a call failed: a status and a message. Opaque; created by the library, freed with
/// `chiso_error_free`.
#[expect(non_camel_case_types, reason = "C naming: the type is `chiso_error` in the header")]
#[derive(Debug)]
pub struct chiso_error {
    status: chiso_status,
    message: String,
}

/// A failure inside an exported function, before it reaches C as a status and a `chiso_error`.
#[derive(Debug)]
pub(crate) struct Failure {
    status: chiso_status,
    message: String,
}

impl Failure {
    /// A failure of the boundary itself.
    pub(crate) fn new(status: chiso_status, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }

    /// A NULL required argument.
    pub(crate) fn null(argument: &str) -> Self {
        Self::new(chiso_status::CHISO_NULL_ARGUMENT, format!("`{argument}` is NULL"))
    }

    fn panic(payload: &(dyn Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("no message");
        Self::new(chiso_status::CHISO_PANIC, format!("internal error (a bug in chiso, please report it): {what}"))
    }
}

impl From<chiso_core::Error> for Failure {
    fn from(e: chiso_core::Error) -> Self {
        Self::new(chiso_status::of(e.code()), e.to_string())
    }
}

impl From<chiso_core::input::InputError> for Failure {
    fn from(e: chiso_core::input::InputError) -> Self {
        chiso_core::Error::from(e).into()
    }
}

/// Runs the body of an exported function, a block that returns `Result<(), Failure>` and writes
/// its outputs last, once nothing can fail (so outputs are written only on success). A panic
/// becomes `CHISO_PANIC`, an `Err` its status, and either one a `chiso_error` in `*error` when
/// `error` is not NULL. Every exported function that takes a `chiso_error **` is one call of this
/// macro.
macro_rules! boundary {
    ($error:expr, $body:block) => {{
        let outcome = $crate::error::catch(|| -> Result<(), $crate::error::Failure> { $body });
        // SAFETY: the header requires every caller to pass an `error` that is NULL or writable.
        unsafe { $crate::error::report($error, outcome) }
    }};
}
pub(crate) use boundary;

/// Runs `body`, turning a panic into a `CHISO_PANIC` failure.
pub(crate) fn catch(body: impl FnOnce() -> Result<(), Failure>) -> Result<(), Failure> {
    // Unwind safety: a stateful handle marks itself unusable while a call into the core is under
    // way (see `scorer`), so a panic cannot leave it half-updated and usable; everything else the
    // body touched is dropped.
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| Err(Failure::panic(&*payload)))
}

/// The status of an outcome; on failure, the error in `*error` when `error` is not NULL.
///
/// # Safety
///
/// `error` is NULL or valid for a write of one pointer.
pub(crate) unsafe fn report(error: *mut *mut chiso_error, outcome: Result<(), Failure>) -> chiso_status {
    match outcome {
        Ok(()) => chiso_status::CHISO_OK,
        Err(failure) => {
            let status = failure.status;
            if !error.is_null() {
                let boxed = Box::new(chiso_error { status: failure.status, message: failure.message });
                // SAFETY: `error` is not NULL and, by this function's contract, valid for a write.
                unsafe { error.write(Box::into_raw(boxed)) };
            }
            status
        }
    }
}

/// The status of an error.
///
/// Returns `CHISO_NULL_ARGUMENT` when `error` is NULL. `error` is borrowed, not freed.
///
/// # Safety
///
/// `error` is NULL or an error from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_error_status(error: *const chiso_error) -> chiso_status {
    // SAFETY: the caller passes NULL or an error from this library that it has not freed.
    match unsafe { error.as_ref() } {
        Some(e) => e.status,
        None => chiso_status::CHISO_NULL_ARGUMENT,
    }
}

/// Copies the message of an error (UTF-8, lowercase, no trailing period) into `buf`, like
/// `snprintf`: at most `len - 1` bytes, cut at a character boundary, then a NUL. `*out_len`, when
/// `out_len` is not NULL, receives the length of the whole message without its NUL, so the message
/// was cut exactly when `*out_len >= len`; call with `buf = NULL, len = 0` to learn the size.
///
/// Errors: `CHISO_NULL_ARGUMENT` when `error` is NULL, or `buf` is NULL and `len` is not 0; then
/// nothing is written. `error` is borrowed, not freed.
///
/// # Safety
///
/// `error` is NULL or an error from this library, not yet freed; `buf` is NULL or writable for
/// `len` bytes; `out_len` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_error_message(
    error: *const chiso_error,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> chiso_status {
    // SAFETY: the caller passes NULL or an error from this library that it has not freed.
    let Some(error) = (unsafe { error.as_ref() }) else { return chiso_status::CHISO_NULL_ARGUMENT };
    if buf.is_null() && len > 0 {
        return chiso_status::CHISO_NULL_ARGUMENT;
    }
    let message = error.message.as_str();
    if len > 0 {
        let mut cut = message.len().min(len - 1);
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        let kept = message.as_bytes().get(..cut).unwrap_or_default();
        // SAFETY: `buf` is not NULL and valid for `len` bytes (the caller's promise); `cut < len`
        // bytes plus the NUL fit, and a message owned by the library cannot overlap the caller's
        // buffer.
        unsafe {
            std::ptr::copy_nonoverlapping(kept.as_ptr(), buf.cast::<u8>(), cut);
            buf.add(cut).write(0);
        }
    }
    if !out_len.is_null() {
        // SAFETY: `out_len` is not NULL and, by the caller's promise, valid for a write.
        unsafe { out_len.write(message.len()) };
    }
    chiso_status::CHISO_OK
}

/// Frees an error. `chiso_error_free(NULL)` does nothing.
///
/// # Safety
///
/// `error` is NULL or an error from this library, not yet freed (freeing twice is undefined
/// behaviour).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_error_free(error: *mut chiso_error) {
    if !error.is_null() {
        // SAFETY: a non-NULL `error` came from `Box::into_raw` in `boundary` and, by the caller's
        // promise, has not been freed.
        drop(unsafe { Box::from_raw(error) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    fn failed(message: &str) -> *mut chiso_error {
        let mut error = ptr::null_mut();
        let status = boundary!(&raw mut error, { Err(Failure::new(chiso_status::CHISO_INVALID_PLAN, message)) });
        assert_eq!(status, chiso_status::CHISO_INVALID_PLAN);
        error
    }

    #[test]
    fn messages_are_cut_at_character_boundaries_and_terminated() {
        let error = failed("đơn vị `xã`");
        // "đơn v" is 7 bytes and "ị" 3 more: 8 bytes fit in 9, cut back to 7.
        let mut buf = [0x7f as c_char; 9];
        let mut len = 0;
        // SAFETY: `error` is live, `buf` has the length given.
        let status = unsafe { chiso_error_message(error, buf.as_mut_ptr(), buf.len(), &raw mut len) };
        assert_eq!(status, chiso_status::CHISO_OK);
        assert_eq!(len, "đơn vị `xã`".len());
        // SAFETY: the function wrote a NUL inside `buf`.
        let text = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
        assert_eq!(text, "đơn v");
        // SAFETY: size query with a NULL buffer.
        assert_eq!(unsafe { chiso_error_message(error, ptr::null_mut(), 0, &raw mut len) }, chiso_status::CHISO_OK);
        // SAFETY: NULL buffer with a length is refused.
        let refused = unsafe { chiso_error_message(error, ptr::null_mut(), 4, ptr::null_mut()) };
        assert_eq!(refused, chiso_status::CHISO_NULL_ARGUMENT);
        // SAFETY: `error` is live, then freed once.
        unsafe {
            assert_eq!(chiso_error_status(error), chiso_status::CHISO_INVALID_PLAN);
            chiso_error_free(error);
            chiso_error_free(ptr::null_mut());
        }
    }

    #[test]
    fn panics_become_a_status() {
        let mut error = ptr::null_mut();
        let status = boundary!(&raw mut error, {
            let v: Vec<u8> = Vec::new();
            if v.is_empty() {
                std::panic::panic_any("boom");
            }
            Ok(())
        });
        assert_eq!(status, chiso_status::CHISO_PANIC);
        // SAFETY: `error` was just created.
        unsafe { chiso_error_free(error) };
        // No error out-parameter: only the status.
        let status = boundary!(ptr::null_mut(), { Err(Failure::null("x")) });
        assert_eq!(status, chiso_status::CHISO_NULL_ARGUMENT);
    }
}
