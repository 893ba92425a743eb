//! `chiso_dossier`: a dossier record already in memory, as the text of its `dossiers.csv` columns.

use std::ffi::c_char;

use chiso_core::score766::{DOSSIER_COLUMNS, DOSSIER_FIELDS};

use crate::args;
use crate::error::Failure;

/// Text given as (pointer, length), inside a record. NULL with length 0 is the empty text.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct chiso_str {
    /// The first byte (UTF-8, not NUL-terminated); may be NULL when `len` is 0.
    pub ptr: *const c_char,
    /// The number of bytes.
    pub len: usize,
}

/// One dossier already in memory: each field is the text of the `dossiers.csv` column of the same
/// name (`formats.md`), with the same meaning and the same rules (dates `YYYY-MM-DD[THH:MM[:SS]]`
/// with an optional offset, booleans `1`/`0`/`true`/`false`, empty for the default).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct chiso_dossier {
    /// Unique id.
    pub dossier_id: chiso_str,
    /// The unit that handles it (counts roll up to its ancestors).
    pub unit: chiso_str,
    /// Procedure code, a key into `procedures.csv`.
    pub procedure: chiso_str,
    /// When it was received; its month is the dossier's period.
    pub received_at: chiso_str,
    /// Due date; empty for no deadline.
    pub due_at: chiso_str,
    /// When it was handled, returned, stopped, refused or withdrawn; empty while open.
    pub finished_at: chiso_str,
    /// `online`, `direct` (also empty) or `postal`.
    pub channel: chiso_str,
    /// Supplement requests, an integer (empty for 0).
    pub supplement_requests: chiso_str,
    /// Days waiting for the applicant, a decimal (empty for 0).
    pub supplement_days: chiso_str,
    /// The result was issued electronically.
    pub e_result: chiso_str,
    /// The dossier was digitised.
    pub digitized: chiso_str,
    /// It reused previously digitised data.
    pub reused_data: chiso_str,
    /// It used the citizen's personal data store.
    pub shared_storage: chiso_str,
    /// It used the national population data.
    pub citizen_data: chiso_str,
    /// It was synchronised to the national portal.
    pub synced: chiso_str,
    /// The procedure charged a fee.
    pub fee: chiso_str,
    /// The fee was paid online.
    pub paid_online: chiso_str,
    /// A complaint was made.
    pub complaint: chiso_str,
    /// `satisfied`, `unsatisfied`, or empty.
    pub rating: chiso_str,
}

impl chiso_dossier {
    /// The fields in `dossiers.csv` column order ([`DOSSIER_COLUMNS`]).
    const fn fields(&self) -> [chiso_str; DOSSIER_FIELDS] {
        [
            self.dossier_id,
            self.unit,
            self.procedure,
            self.received_at,
            self.due_at,
            self.finished_at,
            self.channel,
            self.supplement_requests,
            self.supplement_days,
            self.e_result,
            self.digitized,
            self.reused_data,
            self.shared_storage,
            self.citizen_data,
            self.synced,
            self.fee,
            self.paid_online,
            self.complaint,
            self.rating,
        ]
    }

    /// Checks every field: NULL only with length 0, a length that fits `isize`, UTF-8 text.
    /// This runs for every field of every record: names are only formatted on failure, and
    /// ASCII (most fields) is checked before a full UTF-8 decode.
    ///
    /// # Safety
    ///
    /// Each non-NULL field pointer is readable for its length.
    pub(crate) unsafe fn check(&self, index: usize) -> Result<(), Failure> {
        let column_name = |column: usize| DOSSIER_COLUMNS.get(column).copied().unwrap_or("field");
        let name = |column: usize| format!("records[{index}].{}", column_name(column));
        for (column, s) in self.fields().iter().enumerate() {
            if s.ptr.is_null() {
                if s.len > 0 {
                    return Err(Failure::null(&name(column)));
                }
                continue;
            }
            // SAFETY: forwarded contract.
            let bytes = unsafe { args::bytes(s.ptr, s.len, column_name(column)) }?;
            if !bytes.is_ascii() {
                args::utf8_named(bytes, || name(column))?;
            }
        }
        Ok(())
    }

    /// The bytes of the fields, NULL read as empty.
    ///
    /// # Safety
    ///
    /// [`Self::check`] succeeded on this record, whose fields are still readable.
    pub(crate) unsafe fn bytes<'a>(&self) -> [&'a [u8]; DOSSIER_FIELDS] {
        self.fields().map(|s| {
            if s.ptr.is_null() {
                &[]
            } else {
                // SAFETY: `check` saw a non-NULL pointer readable for `len` bytes, `len` within
                // `isize`.
                unsafe { std::slice::from_raw_parts(s.ptr.cast::<u8>(), s.len) }
            }
        })
    }
}
