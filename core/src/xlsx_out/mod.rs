//! Excel workbooks for officials (`--format xlsx`, exports.md "Output for officials"): the
//! evaluation of a plan and the Decision 766 scorecard (one period or a series), built from the
//! result types themselves, never from re-parsed JSON.
//!
//! - [`evaluation_xlsx`]: sheets "Kết quả" (one row per result), "Biểu đồ" (a chart of each
//!   indicator's values against its target), "Dòng bị loại, cảnh báo" and "Thiếu số liệu";
//! - [`scorecard_xlsx`]: "Bảng điểm" (units × total and groups), "Chi tiết" (units × metrics:
//!   numerator, denominator, points, status, points to gain), "Biểu đồ" (group scores by unit,
//!   stacked), and the rejected rows and missing metrics;
//! - [`explanation_xlsx`]: the records behind one metric's shortfall, one sheet named after it;
//! - [`series_xlsx`]: "Chuỗi điểm" (unit × period, with changes), "Chi tiết" of every period,
//!   "Biểu đồ" (totals over the periods) and the rejected rows and missing metrics.
//!
//! Sheet names and headers are the catalogue's ([`crate::labels`]), in the language asked
//! (Vietnamese by default). Every sheet's header row is frozen and filtered.
//!
//! Choices where the spec is silent:
//! - Numbers are numbers: counts as integers (a count above 2^53, which a float cannot hold
//!   exactly, is written as its digits), points with two decimals, percentages as fractions with
//!   a percent format. A value cell holds the published value (`percent` of the JSON, rounded
//!   half-up to hundredths of a percent), and its numerator and denominator stand beside it: the
//!   float is only for display, the exact ratio is in the two counts.
//! - Unknown is not zero: a value, numerator or denominator that is not known (no data, a
//!   missing or invalid metric, a published metric without counts, a zero denominator's ratio)
//!   is the text `—` in grey, never 0 or a blank a formula would read as 0. A chart's data leave
//!   such a point blank, which a chart draws as a gap.
//! - Status cells take the colour of the terminal report ([`status_tone`]): green for met, cyan
//!   for on track, yellow for at risk and in progress, red for not met, off track and invalid,
//!   grey for no data. A scorecard metric is grey when missing, red when invalid, green when
//!   published, plain when scored.
//! - The evaluation's charts are those of the first unit of the results (the top of the tree, or
//!   the unit asked with `--unit`): one line chart per indicator, its observed values (the
//!   results' periods and the earlier periods its projection used) and its target.
//! - The scorecard's chart shows the first [`CHART_UNITS`] units (a chart of thousands of bars
//!   cannot be read); the series' chart the first [`SERIES_CHART_UNITS`] units' totals.
//! - A sheet holds at most 1 048 576 rows (Excel's limit): a larger table is an error that says
//!   to use CSV, not a truncated workbook.

mod evaluation;
mod explain;
mod scorecard;
mod sheet;
#[cfg(test)]
mod tests;

pub use evaluation::evaluation_xlsx;
pub use explain::{EXPLAIN_COLUMNS, explanation_xlsx};
pub use scorecard::{scorecard_xlsx, series_xlsx};

use crate::evaluate::Status;
use crate::score766::MetricStatus;

/// How many units the scorecard's chart shows, at most.
pub const CHART_UNITS: usize = 100;

/// How many units the series' chart of totals shows, at most.
pub const SERIES_CHART_UNITS: usize = 25;

/// The colour family of a status cell, the same as the terminal report's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    /// Green: met, met early; a published metric.
    Good,
    /// Cyan: on track.
    OnTrack,
    /// Yellow: at risk, in progress.
    Warn,
    /// Red: not met, off track, invalid.
    Bad,
    /// Grey: no data, insufficient data; a missing metric.
    Muted,
    /// No colour: a scored metric.
    Plain,
}

/// The tone of an evaluation status (the terminal report's colour: green, cyan, yellow, red, grey).
#[must_use]
pub const fn status_tone(status: Status) -> Tone {
    match status {
        Status::Met | Status::MetEarly => Tone::Good,
        Status::OnTrack => Tone::OnTrack,
        Status::AtRisk | Status::InProgress => Tone::Warn,
        Status::NotMet | Status::OffTrack | Status::Invalid => Tone::Bad,
        Status::InsufficientData | Status::NoData => Tone::Muted,
    }
}

/// The tone of a Decision 766 metric's status.
#[must_use]
pub const fn metric_tone(status: MetricStatus) -> Tone {
    match status {
        MetricStatus::Scored => Tone::Plain,
        MetricStatus::Published => Tone::Good,
        MetricStatus::Missing => Tone::Muted,
        MetricStatus::Invalid => Tone::Bad,
    }
}
