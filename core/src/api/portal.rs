//! The national portal's saved responses: imported into counts, and checked against chiso's
//! scores ([`crate::portal`]). Files come as (endpoint folder name, bytes), so that a front end
//! without a file system (WASM) or with its own (C, the CLI's directory reader) passes the same.

use super::Error;
use super::score766::{parse_period, profile_or_default};
use crate::portal::{CheckReport, PortalFile, PortalImport};

/// Reads the responses into counts for `period` (`YYYY-MM`, `YYYY-Qn` or `YYYY`: the period the
/// responses were saved for; they do not say it themselves).
pub fn portal_import<'a>(files: impl IntoIterator<Item = PortalFile<'a>>, period: &str) -> Result<PortalImport, Error> {
    let period = parse_period(period)?;
    Ok(crate::portal::import(files, period)?)
}

/// Reads the responses and recomputes every published value under a profile (`None` for the
/// default, `portal-2026`, the portal's own).
pub fn portal_check<'a>(
    files: impl IntoIterator<Item = PortalFile<'a>>,
    period: &str,
    profile: Option<&str>,
) -> Result<CheckReport, Error> {
    let profile = profile_or_default(profile)?;
    let import = portal_import(files, period)?;
    Ok(crate::portal::check(&import, &profile))
}
