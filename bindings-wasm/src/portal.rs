//! The national portal's saved evaluation responses: imported into counts, or checked. The Rust
//! half here is free of JS so that native tests check it against the core's own calls.

use chiso::api::PortalFile;
use chiso::portal::{CheckReport, PortalImport};

use crate::error::Failure;

/// The responses as (endpoint folder name, JSON bytes), as read from the JS argument.
pub type Files = Vec<(String, Vec<u8>)>;

fn borrowed(files: &Files) -> Vec<PortalFile<'_>> {
    files.iter().map(|(endpoint, json)| PortalFile::from((endpoint.as_str(), json.as_slice()))).collect()
}

fn required(period: Option<&str>) -> Result<&str, Failure> {
    period.ok_or_else(|| Failure::argument("`period` is required (YYYY-MM, YYYY-Qn or YYYY)"))
}

/// The responses read into counts for `period`.
pub fn import(files: &Files, period: Option<&str>) -> Result<PortalImport, Failure> {
    Ok(chiso::api::portal_import(borrowed(files), required(period)?)?)
}

/// Every published value recomputed under a profile (`None` for `portal-2026`).
pub fn check(files: &Files, period: Option<&str>, profile: Option<&str>) -> Result<CheckReport, Failure> {
    Ok(chiso::api::portal_check(borrowed(files), required(period)?, profile)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chiso::ErrorCode;

    #[test]
    fn errors_have_the_core_codes() {
        let files: Files = vec![("transparency".into(), b"{".to_vec())];
        assert_eq!(import(&files, Some("2026-08")).unwrap_err().code, ErrorCode::BadJson);
        assert_eq!(import(&files, None).unwrap_err().code, ErrorCode::InvalidArgument);
        let files: Files = vec![("nope".into(), b"{}".to_vec())];
        assert_eq!(check(&files, Some("2026-08"), None).unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!(check(&files, Some("2026-08"), Some("x")).unwrap_err().code, ErrorCode::UnknownProfile);
    }
}
