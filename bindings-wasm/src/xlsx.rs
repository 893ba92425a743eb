//! Excel workbooks in the browser (`evaluationXlsx`, `scorecardXlsx`, `seriesXlsx`): the core's
//! builders (`chiso::xlsx_out`), the same workbooks as `chiso … --format xlsx`. The Rust half here
//! is free of JS so that native tests check it against the core's own calls. Behind the crate's
//! `xlsx` feature, off by default (it almost doubles the package).

use chiso::labels::Lang;
use chiso::score766::{Scorecard, Series};

use crate::error::Failure;
use crate::request::Inputs;

fn lang(lang: Option<&str>) -> Result<Lang, Failure> {
    lang.map_or(Ok(Lang::default()), str::parse).map_err(Failure::argument)
}

/// The evaluation of `inputs` as a workbook; `today` is called only when the inputs name no date.
///
/// # Errors
/// As `evaluate`, a language other than `vi` or `en`, or a sheet over Excel's rows.
pub fn evaluation(
    inputs: &Inputs,
    language: Option<&str>,
    today: impl FnOnce() -> chiso::date::Date,
) -> Result<Vec<u8>, Failure> {
    let language = lang(language)?;
    let evaluated = crate::request::evaluated(inputs, today)?;
    Ok(chiso::xlsx_out::evaluation_xlsx(&evaluated, language)?)
}

/// A scorecard (the JSON of `finish()` or `scoreCounts`, read back into the core's type) as a
/// workbook.
///
/// # Errors
/// JSON that is not a scorecard, a language other than `vi` or `en`, or a sheet over Excel's rows.
pub fn scorecard(json: &[u8], language: Option<&str>) -> Result<Vec<u8>, Failure> {
    let language = lang(language)?;
    let card: Scorecard = serde_json::from_slice(json)
        .map_err(|e| Failure::argument(format!("`scorecard` is not a Decision 766 scorecard: {e}")))?;
    Ok(chiso::xlsx_out::scorecard_xlsx(&card, language)?)
}

/// A series (the JSON of `finishSeries()`) as a workbook.
///
/// # Errors
/// JSON that is not a series, a language other than `vi` or `en`, or a sheet over Excel's rows.
pub fn series(json: &[u8], language: Option<&str>) -> Result<Vec<u8>, Failure> {
    let language = lang(language)?;
    let series: Series = serde_json::from_slice(json)
        .map_err(|e| Failure::argument(format!("`series` is not a Decision 766 series: {e}")))?;
    Ok(chiso::xlsx_out::series_xlsx(&series, language)?)
}
