//! The Decision 766 workbooks: one scorecard, or a series of them.

use std::collections::HashSet;

use rust_xlsxwriter::{Chart, ChartMarker, ChartSeries, ChartType, Workbook};

use super::sheet::{Cell, Located, Sheet, Styles, failed, rejected_sheet, workbook};
use super::{CHART_UNITS, SERIES_CHART_UNITS, metric_tone};
use crate::api::Error;
use crate::date::Date;
use crate::exact::Hundredths;
use crate::labels::{GroupLabel, Lang, MetricLabel, Word, fill};
use crate::score766::{MetricScore, MetricStatus, Scorecard, Series, UnitScore};

/// The scorecard as an Excel workbook (`.xlsx` bytes), labels in `lang`.
///
/// # Errors
/// When a sheet would exceed Excel's 1 048 576 rows, or the writer fails.
pub fn scorecard_xlsx(card: &Scorecard, lang: Lang) -> Result<Vec<u8>, Error> {
    let styles = Styles::new();
    let mut book = workbook(card.period.last_day())?;
    let groups = group_columns(card);
    scores_sheet(&mut book, card, &groups, lang, &styles)?;
    detail_sheet(&mut book, &[(None, card)], lang, &styles)?;
    group_chart_sheet(&mut book, card, &groups, lang, &styles)?;
    let rows = located(std::slice::from_ref(card), false);
    let omitted = [(Word::RejectedOne, card.rejected_omitted), (Word::Warning, card.warnings_omitted)];
    rejected_sheet(&mut book, &rows, &omitted, false, lang, &styles)?;
    missing_sheet(&mut book, &[(None, card)], lang, &styles)?;
    book.save_to_buffer().map_err(|e| failed(&e))
}

/// The series as an Excel workbook (`.xlsx` bytes), labels in `lang`.
///
/// # Errors
/// When a sheet would exceed Excel's 1 048 576 rows, or the writer fails.
pub fn series_xlsx(series: &Series, lang: Lang) -> Result<Vec<u8>, Error> {
    let styles = Styles::new();
    let last = series.periods.last().map_or_else(|| Date::from_days_since_epoch(0), |p| p.last_day());
    let mut book = workbook(last)?;
    series_sheet(&mut book, series, lang, &styles)?;
    let periods: Vec<String> = series.periods.iter().map(ToString::to_string).collect();
    let cards: Vec<(Option<&str>, &Scorecard)> =
        periods.iter().map(|p| Some(p.as_str())).zip(&series.scorecards).collect();
    detail_sheet(&mut book, &cards, lang, &styles)?;
    totals_chart_sheet(&mut book, series, &periods, lang, &styles)?;
    let rows = located(&series.scorecards, true);
    let most = |f: fn(&Scorecard) -> u64| series.scorecards.iter().map(f).max().unwrap_or(0);
    let omitted = [(Word::RejectedOne, most(|c| c.rejected_omitted)), (Word::Warning, most(|c| c.warnings_omitted))];
    rejected_sheet(&mut book, &rows, &omitted, true, lang, &styles)?;
    missing_sheet(&mut book, &cards, lang, &styles)?;
    book.save_to_buffer().map_err(|e| failed(&e))
}

/// The rejected rows, then the warnings, of the scorecards, each once (the records' rows are in
/// every period's scorecard of a series); in a series, with the first period that lists them.
fn located(cards: &[Scorecard], with_period: bool) -> Vec<Located<'_>> {
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (kind, list) in [(Word::RejectedOne, 0), (Word::Warning, 1)] {
        for card in cards {
            let of_kind = if list == 0 { &card.rejected } else { &card.warnings };
            for row in of_kind {
                if seen.insert((list, row.source.as_str(), row.row, row.column.as_deref(), row.reason.as_str())) {
                    let period = with_period.then(|| card.period.to_string());
                    rows.push(Located { kind, period, row });
                }
            }
        }
    }
    rows
}

/// Points without decimals when whole (`20`), else with two (`16.50`).
fn whole(h: Hundredths) -> String {
    if h.0 % 100 == 0 { (h.0 / 100).to_string() } else { h.to_string() }
}

/// A group's name: its label in `lang` and its code (the code alone for a profile's own group).
fn group_name(profile: &str, code: &str, lang: Lang) -> String {
    GroupLabel::of(profile, code).map_or_else(|| code.to_owned(), |g| format!("{} ({code})", g.get(lang)))
}

/// A metric's name in `lang` (its code when the catalogue has none).
fn metric_name(code: &str, lang: Lang) -> &str {
    MetricLabel::from_key(code).map_or(code, |m| m.get(lang))
}

/// A metric status in words.
const fn metric_status_word(status: MetricStatus) -> Word {
    match status {
        MetricStatus::Scored => Word::MetricScored,
        MetricStatus::Missing => Word::MetricMissing,
        MetricStatus::Invalid => Word::MetricInvalid,
        MetricStatus::Published => Word::MetricPublished,
    }
}

/// The group codes of the scorecard's columns and their maximum, from the first unit (every unit
/// has the profile's groups, in its order).
fn group_columns(card: &Scorecard) -> Vec<(String, Hundredths)> {
    card.units.first().map(|u| u.groups.iter().map(|g| (g.code.clone(), g.max)).collect()).unwrap_or_default()
}

/// Where the scores sheet puts the first group's score column (then its rank, then the next).
const FIRST_GROUP_COLUMN: u16 = 6;

fn scores_sheet(
    book: &mut Workbook,
    card: &Scorecard,
    groups: &[(String, Hundredths)],
    lang: Lang,
    styles: &Styles,
) -> Result<(), Error> {
    let mut header: Vec<String> = [Word::Unit, Word::UnitName, Word::ParentUnit, Word::Level, Word::Rank]
        .iter()
        .map(|w| w.get(lang).to_owned())
        .collect();
    header.push(format!("{} (/100)", Word::Total.get(lang)));
    for (code, max) in groups {
        header.push(format!("{} (/{})", group_name(&card.profile, code, lang), whole(*max)));
        header.push(format!("{} {code}", Word::Rank.get(lang)));
    }
    header.extend([Word::CompleteColumn, Word::MetricMissing, Word::MetricInvalid].map(|w| w.get(lang).to_owned()));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut sheet = Sheet::new(Word::SheetScorecard.get(lang), &header, card.units.len(), styles)?;
    for u in &card.units {
        let mut cells = vec![
            Cell::Text(&u.unit),
            Cell::text(u.name.as_deref()),
            Cell::text(u.parent.as_deref()),
            Cell::Text(&u.level),
            rank(u.rank),
            Cell::Points(u.total),
        ];
        for (code, _) in groups {
            let g = u.groups.iter().find(|g| g.code == *code);
            cells.push(g.map_or(Cell::Unknown, |g| Cell::Points(g.score)));
            cells.push(rank(g.and_then(|g| g.rank)));
        }
        cells.push(complete(u, lang));
        cells.extend([Cell::Owned(u.missing.join(" ")), Cell::Owned(u.invalid.join(" "))]);
        sheet.push(&cells, styles)?;
    }
    sheet.finish(book)
}

/// A rank; empty for a unit or group left unranked.
fn rank<'a>(rank: Option<u32>) -> Cell<'a> {
    rank.map_or(Cell::Empty, |r| Cell::Count(u64::from(r)))
}

/// Whether a unit's data are complete: "yes", or grey "no".
fn complete<'a>(u: &UnitScore, lang: Lang) -> Cell<'a> {
    if u.complete { Cell::Text(Word::Yes.get(lang)) } else { Cell::Status(Word::No.get(lang), super::Tone::Muted) }
}

/// The detail sheet: a row per unit and metric (per period, in a series), every number beside the
/// numerator and denominator it comes from.
fn detail_sheet(
    book: &mut Workbook,
    cards: &[(Option<&str>, &Scorecard)],
    lang: Lang,
    styles: &Styles,
) -> Result<(), Error> {
    let with_period = cards.iter().any(|(p, _)| p.is_some());
    let mut header: Vec<&str> = Vec::new();
    if with_period {
        header.push(Word::Period.get(lang));
    }
    header.extend(
        [
            Word::Unit,
            Word::UnitName,
            Word::Group,
            Word::MetricCode,
            Word::Metric,
            Word::Numerator,
            Word::Denominator,
            Word::Percent,
            Word::Points,
            Word::MaxPoints,
            Word::Rule,
            Word::Status,
            Word::PointsLost,
            Word::UnitsNextPoint,
            Word::UnitsToMax,
        ]
        .map(|w| w.get(lang)),
    );
    let rows = cards.iter().flat_map(|(_, c)| &c.units).flat_map(|u| &u.groups).map(|g| g.metrics.len()).sum();
    let mut sheet = Sheet::new(Word::SheetDetail.get(lang), &header, rows, styles)?;
    for (period, card) in cards {
        for u in &card.units {
            for g in &u.groups {
                for m in &g.metrics {
                    let mut cells = Vec::with_capacity(header.len());
                    if with_period {
                        cells.push(Cell::text(*period));
                    }
                    cells.extend([
                        Cell::Text(&u.unit),
                        Cell::text(u.name.as_deref()),
                        Cell::Text(&g.code),
                        Cell::Text(&m.code),
                        Cell::Text(metric_name(&m.code, lang)),
                    ]);
                    metric_cells(&mut cells, m, lang);
                    sheet.push(&cells, styles)?;
                }
            }
        }
    }
    sheet.finish(book)
}

/// A metric's numbers: counts (unknown unless scored from counts), percent, points, maximum,
/// rule, status and points to gain (empty where the JSON has null).
fn metric_cells<'a>(cells: &mut Vec<Cell<'a>>, m: &'a MetricScore, lang: Lang) {
    let counted = m.status == MetricStatus::Scored;
    let counts = |n: u64| if counted { Cell::Count(n) } else { Cell::Unknown };
    cells.extend([
        counts(m.numerator),
        counts(m.denominator),
        Cell::percent(m.percent),
        Cell::Points(m.score),
        Cell::Points(m.max),
        Cell::Text(&m.rule),
        Cell::Status(metric_status_word(m.status).get(lang), metric_tone(m.status)),
    ]);
    let count = |k: Option<u64>| k.map_or(Cell::Empty, Cell::Count);
    match m.gain {
        Some(g) => cells.extend([Cell::Points(g.lost), count(g.next_point), count(g.to_max)]),
        None => cells.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
    }
}

/// The stacked bar chart of group scores by unit (the first [`CHART_UNITS`] units), drawn from
/// the scores sheet's group columns.
fn group_chart_sheet(
    book: &mut Workbook,
    card: &Scorecard,
    groups: &[(String, Hundredths)],
    lang: Lang,
    styles: &Styles,
) -> Result<(), Error> {
    let source = Word::SheetScorecard.get(lang);
    let mut sheet = Sheet::new(Word::SheetCharts.get(lang), &[], 0, styles)?;
    let shown = card.units.len().min(CHART_UNITS);
    if shown == 0 {
        return sheet.finish(book);
    }
    let last = u32::try_from(shown).unwrap_or(u32::MAX);
    let mut chart = Chart::new(ChartType::BarStacked);
    let mut title = Word::GroupScoresByUnit.get(lang).to_owned();
    if shown < card.units.len() {
        title = format!("{title} ({})", fill(Word::FirstUnits.get(lang), &[("count", &shown)]));
    }
    chart.title().set_name(&format!("{title} — {} {}", card.profile, card.period));
    for (i, (code, _)) in (0u16..).zip(groups) {
        let col = FIRST_GROUP_COLUMN + 2 * i;
        let mut series = ChartSeries::new();
        series.set_name(code.as_str()).set_categories((source, 1, 0, last, 0)).set_values((source, 1, col, last, col));
        chart.push_series(&series);
    }
    chart.x_axis().set_reverse();
    chart.y_axis().set_max(100);
    let height = u32::try_from(shown).unwrap_or(u32::MAX).saturating_mul(22).saturating_add(160);
    chart.set_width(900).set_height(height);
    sheet.worksheet().insert_chart(1, 0, &chart).map_err(|e| failed(&e))?;
    sheet.finish(book)
}

/// The series sheet: one row per unit and period it is in, with the total, each group's score,
/// and their changes (empty for the first period and after an absence).
fn series_sheet(book: &mut Workbook, series: &Series, lang: Lang, styles: &Styles) -> Result<(), Error> {
    let codes: Vec<&str> =
        series.changes.first().map(|u| u.groups.iter().map(|g| g.code.as_str()).collect()).unwrap_or_default();
    let change = Word::Change.get(lang);
    let mut header: Vec<String> = [Word::Unit, Word::UnitName, Word::Level, Word::Period, Word::CompleteColumn]
        .iter()
        .map(|w| w.get(lang).to_owned())
        .collect();
    header.extend([Word::Total.get(lang).to_owned(), format!("{} — {change}", Word::Total.get(lang))]);
    for code in &codes {
        header.extend([group_name(&series.profile, code, lang), format!("{code} — {change}")]);
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let present = |u: &crate::score766::UnitSeries| u.totals.iter().filter(|t| t.is_some()).count();
    let rows = series.changes.iter().map(present).sum();
    let mut sheet = Sheet::new(Word::SheetSeries.get(lang), &header, rows, styles)?;
    let optional = |h: Option<Hundredths>, cell: fn(Hundredths) -> Cell<'static>| h.map_or(Cell::Empty, cell);
    for u in &series.changes {
        for (i, period) in series.periods.iter().enumerate() {
            let Some(total) = u.totals.get(i).copied().flatten() else { continue };
            let complete = u.complete.get(i).copied().flatten() != Some(false);
            let mut cells = vec![
                Cell::Text(&u.unit),
                Cell::text(u.name.as_deref()),
                Cell::Text(&u.level),
                Cell::Owned(period.to_string()),
                if complete {
                    Cell::Text(Word::Yes.get(lang))
                } else {
                    Cell::Status(Word::No.get(lang), super::Tone::Muted)
                },
                Cell::Points(total),
                optional(u.total_changes.get(i).copied().flatten(), Cell::Change),
            ];
            for code in &codes {
                let g = u.groups.iter().find(|g| g.code == *code);
                cells.push(optional(g.and_then(|g| g.scores.get(i).copied().flatten()), Cell::Points));
                cells.push(optional(g.and_then(|g| g.changes.get(i).copied().flatten()), Cell::Change));
            }
            sheet.push(&cells, styles)?;
        }
    }
    sheet.finish(book)
}

/// The line chart of the totals over the periods, one line per unit (the first
/// [`SERIES_CHART_UNITS`]), with its data: a row per period, a column per unit.
fn totals_chart_sheet(
    book: &mut Workbook,
    series: &Series,
    periods: &[String],
    lang: Lang,
    styles: &Styles,
) -> Result<(), Error> {
    let name = Word::SheetCharts.get(lang);
    let units: Vec<&crate::score766::UnitSeries> = series.changes.iter().take(SERIES_CHART_UNITS).collect();
    let mut header = vec![Word::Period.get(lang)];
    header.extend(units.iter().map(|u| u.unit.as_str()));
    let mut sheet = Sheet::new(name, &header, periods.len(), styles)?;
    for (i, period) in periods.iter().enumerate() {
        let mut cells = vec![Cell::Text(period)];
        // Blank where the unit is absent: a gap in its line, not 0.
        cells.extend(units.iter().map(|u| u.totals.get(i).copied().flatten().map_or(Cell::Empty, Cell::Points)));
        sheet.push(&cells, styles)?;
    }
    let last = sheet.last_row();
    if last > 0 && !units.is_empty() {
        let mut chart = Chart::new_line();
        let mut title = Word::TotalsOverTime.get(lang).to_owned();
        if units.len() < series.changes.len() {
            title = format!("{title} ({})", fill(Word::FirstUnits.get(lang), &[("count", &units.len())]));
        }
        chart.title().set_name(&format!("{title} — {}", series.profile));
        for (col, u) in (1u16..).zip(&units) {
            let mut line = ChartSeries::new();
            line.set_name(u.name.as_deref().unwrap_or(&u.unit))
                .set_categories((name, 1, 0, last, 0))
                .set_values((name, 1, col, last, col))
                .set_marker(ChartMarker::new().set_automatic());
            chart.push_series(&line);
        }
        chart.y_axis().set_min(0).set_max(100);
        chart.set_width(800).set_height(420);
        let col = u16::try_from(units.len() + 2).unwrap_or(u16::MAX);
        sheet.worksheet().insert_chart(1, col, &chart).map_err(|e| failed(&e))?;
    }
    sheet.finish(book)
}

/// The metrics without data: (period,) unit, metric, status (missing or invalid).
fn missing_sheet(
    book: &mut Workbook,
    cards: &[(Option<&str>, &Scorecard)],
    lang: Lang,
    styles: &Styles,
) -> Result<(), Error> {
    let with_period = cards.iter().any(|(p, _)| p.is_some());
    let mut header: Vec<&str> = Vec::new();
    if with_period {
        header.push(Word::Period.get(lang));
    }
    header.extend([Word::Unit, Word::UnitName, Word::MetricCode, Word::Metric, Word::Status].map(|w| w.get(lang)));
    let incomplete = |m: &&MetricScore| !m.status.is_complete();
    let list: Vec<(Option<&str>, &UnitScore, &MetricScore)> = cards
        .iter()
        .flat_map(|(p, c)| c.units.iter().map(move |u| (*p, u)))
        .flat_map(|(p, u)| u.groups.iter().flat_map(|g| &g.metrics).filter(incomplete).map(move |m| (p, u, m)))
        .collect();
    let mut sheet = Sheet::new(Word::SheetMissing.get(lang), &header, list.len(), styles)?;
    for (period, u, m) in list {
        let mut cells = Vec::with_capacity(header.len());
        if with_period {
            cells.push(Cell::text(period));
        }
        cells.extend([
            Cell::Text(&u.unit),
            Cell::text(u.name.as_deref()),
            Cell::Text(&m.code),
            Cell::Text(metric_name(&m.code, lang)),
            Cell::Status(metric_status_word(m.status).get(lang), metric_tone(m.status)),
        ]);
        sheet.push(&cells, styles)?;
    }
    sheet.finish(book)
}
