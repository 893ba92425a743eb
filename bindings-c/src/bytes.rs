//! `chiso_bytes`: bytes owned by the library, handed to the caller.

/// Bytes that the library allocated and the caller owns (a JSON document, for instance): `len`
/// bytes at `data`, followed by a NUL that `len` does not count, so `data` is also a C string when
/// the content has no NUL of its own. Free with `chiso_bytes_free`; do not change `data` or `len`.
#[repr(C)]
#[derive(Debug)]
pub struct chiso_bytes {
    /// The first byte; NULL for an empty value that owns nothing.
    pub data: *const u8,
    /// The number of bytes, without the trailing NUL.
    pub len: usize,
}

impl chiso_bytes {
    /// Hands a string over to C.
    pub(crate) fn from_string(text: String) -> Self {
        Self::from_vec(text.into_bytes())
    }

    /// Hands bytes over to C (a saved partial), with the trailing NUL all outputs have.
    pub(crate) fn from_vec(mut bytes: Vec<u8>) -> Self {
        bytes.push(0);
        let boxed = bytes.into_boxed_slice();
        let len = boxed.len().saturating_sub(1);
        Self { data: Box::into_raw(boxed).cast::<u8>(), len }
    }
}

/// Frees bytes returned by the library and sets `bytes->data` to NULL and `bytes->len` to 0, so a
/// second call does nothing. `chiso_bytes_free(NULL)` does nothing, nor does a `chiso_bytes` whose
/// `data` is NULL.
///
/// # Safety
///
/// `bytes` is NULL, or points to a `chiso_bytes` that this library filled in (and the caller did
/// not change) or whose `data` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_bytes_free(bytes: *mut chiso_bytes) {
    // SAFETY: the caller passes NULL or a valid, writable `chiso_bytes`.
    let Some(bytes) = (unsafe { bytes.as_mut() }) else { return };
    if !bytes.data.is_null() {
        let whole = std::ptr::slice_from_raw_parts_mut(bytes.data.cast_mut(), bytes.len.saturating_add(1));
        // SAFETY: `data` and `len` are as `from_string` made them (the caller does not change
        // them): a boxed slice of `len + 1` bytes, not freed yet since `data` is not NULL.
        drop(unsafe { Box::from_raw(whole) });
    }
    *bytes = chiso_bytes { data: std::ptr::null(), len: 0 };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_nul_terminated_and_freed_once() {
        let mut b = chiso_bytes::from_string("{}".to_owned());
        assert_eq!(b.len, 2);
        // SAFETY: `from_string` allocated len + 1 bytes.
        assert_eq!(unsafe { std::slice::from_raw_parts(b.data, 3) }, b"{}\0");
        // SAFETY: `b` came from `from_string`; the second call sees NULL data.
        unsafe {
            chiso_bytes_free(&raw mut b);
            chiso_bytes_free(&raw mut b);
            chiso_bytes_free(std::ptr::null_mut());
        }
        assert!(b.data.is_null());
    }
}
