//! The national portal's saved evaluation responses: imported into counts, or checked against
//! chiso's scores. Each response is given as (endpoint folder name, JSON text).

use std::ffi::c_char;

use chiso_core::api::{PortalFile, portal_check, portal_import};

use crate::args;
use crate::bytes::chiso_bytes;
use crate::error::{Failure, boundary, chiso_error};
use crate::status::chiso_status;

/// One saved response of the portal: the endpoint's folder name (`transparency`,
/// `dvc-progress-tree`, `provide-online-tree`, `dossier-digitized`,
/// `formality-online-payment-tree`, `handling-satisfaction`) and the response's JSON, both UTF-8
/// as (pointer, length).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct chiso_portal_file {
    /// The endpoint's folder name.
    pub endpoint: *const c_char,
    /// Its length in bytes.
    pub endpoint_len: usize,
    /// The response's JSON.
    pub json: *const c_char,
    /// Its length in bytes.
    pub json_len: usize,
}

/// The responses of a (pointer, count) array, checked: every pointer non-NULL, every text UTF-8.
///
/// # Safety
///
/// `files` is NULL or readable for `files_len` elements, each of whose pointers is readable for its
/// length, all unchanged during the call.
unsafe fn read_files<'a>(files: *const chiso_portal_file, files_len: usize) -> Result<Vec<PortalFile<'a>>, Failure> {
    if files.is_null() {
        return Err(Failure::null("files"));
    }
    if isize::try_from(files_len.saturating_mul(size_of::<chiso_portal_file>())).is_err() {
        return Err(Failure::new(chiso_status::CHISO_INVALID_ARGUMENT, "`files_len` is too large"));
    }
    // SAFETY: `files` is not NULL and readable for `files_len` elements (the caller's promise).
    let list = unsafe { std::slice::from_raw_parts(files, files_len) };
    let mut out = Vec::with_capacity(list.len());
    for (i, f) in list.iter().enumerate() {
        // SAFETY: each pointer is readable for its length, unchanged during the call.
        let (endpoint, json) = unsafe {
            (
                args::text(f.endpoint, f.endpoint_len, &format!("files[{i}].endpoint"))?,
                args::bytes(f.json, f.json_len, &format!("files[{i}].json"))?,
            )
        };
        out.push(PortalFile { endpoint, name: None, bytes: json });
    }
    Ok(out)
}

/// Reads the portal's saved evaluation responses into counts: the counts JSON (`formats.md`,
/// "Decision 766 counts") of every unit, what `chiso portal import DIR` writes, less its final
/// newline. Units are joined across responses by `departmentId`; a metric published as full
/// points without counts (`E_CERTIFIED_COPY`) is written `"full"`.
///
/// - `files`, `files_len`: the responses, one per endpoint; required (an empty array is
///   `CHISO_INVALID_INPUT`).
/// - `period`: the period the responses are for (`YYYY-MM`, `YYYY-Qn` or `YYYY`); required.
///
/// On success `*out` receives the JSON, which the caller frees with `chiso_bytes_free`.
/// Errors: `CHISO_NULL_ARGUMENT` (`files`, a pointer in it, `period` or `out` NULL),
/// `CHISO_INVALID_UTF8`, `CHISO_INVALID_ARGUMENT` (the period), `CHISO_BAD_JSON` (a response that
/// does not parse: its endpoint, line and column), `CHISO_INVALID_INPUT` (an unknown or repeated
/// endpoint, a response of another shape: its endpoint and JSON path).
///
/// # Safety
///
/// `files` is NULL or readable for `files_len` elements, each of whose pointers is NULL or
/// readable for its length; `period` is NULL or readable for its length; all unchanged during the
/// call. `out` is NULL or writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_portal_import_json(
    files: *const chiso_portal_file,
    files_len: usize,
    period: *const c_char,
    period_len: usize,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: forwarded contract of the arguments.
        let (files, period) = unsafe { (read_files(files, files_len)?, args::text(period, period_len, "period")?) };
        args::out(out, "out")?;
        let import = portal_import(files, period)?;
        let json = chiso_bytes::from_string(import.counts_json());
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(json) };
        Ok(())
    })
}

/// Reads the portal's saved evaluation responses and recomputes every published value: the check
/// JSON, what `chiso portal check DIR --format json` prints, less its final newline. Its `total`,
/// `reproduced`, `disagreements` and `not_recomputable` count the published values; `items` lists
/// each with its endpoint, JSON `path`, `published` and `computed` values and `outcome`
/// (`reproduced`, `disagreement`, `not_recomputable`). A disagreement is a result, not an error:
/// the call succeeds.
///
/// - `files`, `files_len`, `period`: as for `chiso_portal_import_json`.
/// - `profile`: `portal-2026` (the default, the portal's) or `decision-2022`; NULL for the default.
///
/// On success `*out` receives the JSON, which the caller frees with `chiso_bytes_free`.
/// Errors: those of `chiso_portal_import_json`, and `CHISO_UNKNOWN_PROFILE`.
///
/// # Safety
///
/// As `chiso_portal_import_json`; `profile` is NULL or readable for its length.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_portal_check_json(
    files: *const chiso_portal_file,
    files_len: usize,
    period: *const c_char,
    period_len: usize,
    profile: *const c_char,
    profile_len: usize,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: forwarded contract of the arguments.
        let (files, period, profile) = unsafe {
            (
                read_files(files, files_len)?,
                args::text(period, period_len, "period")?,
                args::optional_text(profile, profile_len, "profile")?,
            )
        };
        args::out(out, "out")?;
        let report = portal_check(files, period, profile)?;
        let json = chiso_bytes::from_string(report.to_json());
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(json) };
        Ok(())
    })
}
