//! The evaluation's workbook: results, who must act, charts, rejected rows, missing data.

use rust_xlsxwriter::{Chart, ChartLineDashType, ChartMarker, ChartSeries, Workbook};

use super::sheet::{Cell, Located, Sheet, Styles, failed, rejected_sheet, workbook};
use super::status_tone;
use crate::api::{Error, Evaluated};
use crate::evaluate::EvalResult;
use crate::exact::{Hundredths, Percent};
use crate::labels::{Lang, Word};
use crate::period::Period;
use crate::plan::{Comparison, Plan};
use crate::units::UnitTree;

/// The evaluation as an Excel workbook (`.xlsx` bytes), labels in `lang`.
///
/// # Errors
/// When a sheet would exceed Excel's 1 048 576 rows, or the writer fails.
pub fn evaluation_xlsx(evaluated: &Evaluated, lang: Lang) -> Result<Vec<u8>, Error> {
    let styles = Styles::new();
    let mut book = workbook(evaluated.evaluation.as_of)?;
    results_sheet(&mut book, evaluated, lang, &styles)?;
    roles_sheet(&mut book, evaluated, lang, &styles)?;
    charts_sheet(&mut book, evaluated, lang, &styles)?;
    let rows: Vec<Located<'_>> = evaluated
        .evaluation
        .rejected
        .iter()
        .map(|row| Located { kind: Word::RejectedOne, period: None, row })
        .collect();
    let omitted = [(Word::RejectedOne, evaluated.evaluation.rejected_omitted)];
    rejected_sheet(&mut book, &rows, &omitted, false, lang, &styles)?;
    missing_sheet(&mut book, evaluated, lang, &styles)?;
    book.save_to_buffer().map_err(|e| failed(&e))
}

/// A unit's name from the tree, when it has one.
fn unit_name<'a>(units: &'a UnitTree, id: &str) -> Option<&'a str> {
    units.index(id).and_then(|i| units.unit(i)).map(|u| u.name.as_str())
}

/// An indicator's label in `lang` (its id when the plan has none).
fn indicator_label<'a>(plan: &'a Plan, id: &'a str, lang: Lang) -> &'a str {
    plan.indicator(id).map_or(id, |i| i.label.get(lang))
}

/// The comparison as the terminal report writes it: `≥`, `≤`, `>`, `<`, or "above previous
/// period".
fn comparison_text(c: Comparison, lang: Lang) -> &'static str {
    match c {
        Comparison::AtLeast => "≥",
        Comparison::AtMost => "≤",
        Comparison::Above => ">",
        Comparison::Below => "<",
        Comparison::Improves => Word::Improves.get(lang),
    }
}

/// The columns of the results sheet.
const RESULT_COLUMNS: [Word; 26] = [
    Word::Unit,
    Word::UnitName,
    Word::IndicatorCode,
    Word::Indicator,
    Word::TargetCode,
    Word::Period,
    Word::Numerator,
    Word::Denominator,
    Word::Value,
    Word::Comparison,
    Word::ThresholdColumn,
    Word::Status,
    Word::Gap,
    Word::Deadline,
    Word::ConfidenceColumn,
    Word::CiLow,
    Word::CiHigh,
    Word::ProjectionMethod,
    Word::ProjectedValue,
    Word::Rank,
    Word::RankedOf,
    Word::RolledUpColumn,
    Word::ThresholdSetBy,
    Word::Note,
    Word::ExpectedNumerator,
    Word::SourceColumn,
];

/// The columns of the "who must act" sheet: the role, then the result.
const ROLE_COLUMNS: [Word; 12] = [
    Word::RoleColumn,
    Word::Unit,
    Word::UnitName,
    Word::Indicator,
    Word::Period,
    Word::Numerator,
    Word::Denominator,
    Word::Value,
    Word::Status,
    Word::Gap,
    Word::ExpectedNumerator,
    Word::Deadline,
];

/// Who must act ([`crate::by_role`]): for each role of the plan, the current results of the
/// indicators it is responsible for, most urgent first; the unassigned ones last.
fn roles_sheet(book: &mut Workbook, evaluated: &Evaluated, lang: Lang, styles: &Styles) -> Result<(), Error> {
    let report = crate::by_role::by_role(&evaluated.evaluation, &evaluated.plan);
    let unassigned = Word::Unassigned.get(lang);
    let groups: Vec<(&str, &[&EvalResult])> = report
        .roles
        .iter()
        .map(|g| (g.role.label.get(lang), g.results.as_slice()))
        .chain(std::iter::once((unassigned, report.unassigned.as_slice())))
        .collect();
    let rows = groups.iter().map(|(_, results)| results.len()).sum();
    let header = ROLE_COLUMNS.map(|w| w.get(lang));
    let mut sheet = Sheet::new(Word::ByRoleShort.get(lang), &header, rows, styles)?;
    for (role, results) in groups {
        for r in results {
            let period = r.period.to_string();
            let cells = [
                Cell::Text(role),
                Cell::Text(&r.unit),
                Cell::text(unit_name(&evaluated.units, &r.unit)),
                Cell::Text(indicator_label(&evaluated.plan, &r.indicator, lang)),
                Cell::Text(&period),
                Cell::count(r.numerator),
                Cell::count(r.denominator),
                Cell::percent(r.percent),
                Cell::Status(r.status.label().get(lang), status_tone(r.status)),
                Cell::count(r.gap),
                r.pro_rata.map_or(Cell::Empty, |p| Cell::Count(p.expected_numerator)),
                Cell::Date(r.deadline),
            ];
            sheet.push(&cells, styles)?;
        }
    }
    sheet.finish(book)
}

fn results_sheet(book: &mut Workbook, evaluated: &Evaluated, lang: Lang, styles: &Styles) -> Result<(), Error> {
    let header = RESULT_COLUMNS.map(|w| w.get(lang));
    let results = &evaluated.evaluation.results;
    let mut sheet = Sheet::new(Word::SheetResults.get(lang), &header, results.len(), styles)?;
    for r in results {
        let period = r.period.to_string();
        let note = r.note.map(|n| n.text(lang)).or_else(|| r.reason.clone());
        let yes_no = if r.rolled_up { Word::Yes } else { Word::No };
        let cells = [
            Cell::Text(&r.unit),
            Cell::text(unit_name(&evaluated.units, &r.unit)),
            Cell::Text(&r.indicator),
            Cell::Text(indicator_label(&evaluated.plan, &r.indicator, lang)),
            Cell::Text(&r.target),
            Cell::Text(&period),
            Cell::count(r.numerator),
            Cell::count(r.denominator),
            Cell::percent(r.percent),
            Cell::Text(comparison_text(r.comparison, lang)),
            r.threshold.map_or(Cell::Empty, Cell::Threshold),
            Cell::Status(r.status.label().get(lang), status_tone(r.status)),
            Cell::count(r.gap),
            Cell::Date(r.deadline),
            Cell::Text(r.confidence.label().get(lang)),
            r.ci.map_or(Cell::Empty, |[low, _]| Cell::Percent(low)),
            r.ci.map_or(Cell::Empty, |[_, high]| Cell::Percent(high)),
            Cell::text(r.projection.as_ref().map(|p| p.method.as_str())),
            r.projection.as_ref().map_or(Cell::Empty, |p| Cell::Percent(p.projected_percent)),
            r.rank.map_or(Cell::Empty, |n| Cell::Count(u64::from(n))),
            r.ranked_of.map_or(Cell::Empty, |n| Cell::Count(u64::from(n))),
            Cell::Text(yes_no.get(lang)),
            Cell::text(r.threshold_source.as_deref()),
            note.map_or(Cell::Empty, Cell::Owned),
            r.pro_rata.map_or(Cell::Empty, |p| Cell::Count(p.expected_numerator)),
            r.source.map_or(Cell::Empty, |s| Cell::Owned(s.describe(r.rule.as_deref().unwrap_or_default(), lang))),
        ];
        sheet.push(&cells, styles)?;
    }
    sheet.finish(book)
}

/// One point of an indicator's chart: a period, its value and its target (either may be unknown).
struct Point {
    period: Period,
    value: Option<Hundredths>,
    target: Option<Percent>,
}

/// The charted indicators of the first unit of the results, in the results' order, each with
/// its points in period order: every result's period (value and threshold), then the earlier
/// periods its projection used (value only).
fn chart_points(results: &[EvalResult]) -> Vec<(&str, Vec<Point>)> {
    let Some(first) = results.first() else { return Vec::new() };
    let mut charts: Vec<(&str, Vec<Point>)> = Vec::new();
    for r in results.iter().filter(|r| r.unit == first.unit) {
        let position = charts.iter().position(|(id, _)| *id == r.indicator);
        let points = match position.and_then(|i| charts.get_mut(i)) {
            Some((_, points)) => points,
            None => {
                charts.push((&r.indicator, Vec::new()));
                match charts.last_mut() {
                    Some((_, points)) => points,
                    None => continue,
                }
            }
        };
        match points.iter_mut().find(|p| p.period == r.period) {
            Some(p) => {
                p.value = p.value.or(r.percent);
                p.target = r.threshold;
            }
            None => points.push(Point { period: r.period, value: r.percent, target: r.threshold }),
        }
        for (period, value) in r.projection.iter().flat_map(|p| &p.series) {
            if !points.iter().any(|p| p.period == *period) {
                points.push(Point { period: *period, value: Some(*value), target: None });
            }
        }
    }
    for (_, points) in &mut charts {
        points.sort_by_key(|p| p.period);
    }
    charts
}

/// Chart sizes, in pixels, and the rows one takes.
const CHART_WIDTH: u32 = 560;
const CHART_HEIGHT: u32 = 300;
const CHART_ROWS: u32 = 16;

/// The charts sheet: the data of each chart (indicator, unit, period, value, target) on the left,
/// one line chart per indicator on the right.
fn charts_sheet(book: &mut Workbook, evaluated: &Evaluated, lang: Lang, styles: &Styles) -> Result<(), Error> {
    let name = Word::SheetCharts.get(lang);
    let header = [Word::IndicatorCode, Word::Indicator, Word::Unit, Word::Period, Word::Value, Word::Target]
        .map(|w| w.get(lang));
    let charts = chart_points(&evaluated.evaluation.results);
    let rows = charts.iter().map(|(_, p)| p.len()).sum();
    let mut sheet = Sheet::new(name, &header, rows, styles)?;
    let unit = evaluated.evaluation.results.first().map_or("", |r| r.unit.as_str());
    let unit_label = unit_name(&evaluated.units, unit).unwrap_or(unit);
    for (index, (indicator, points)) in (0u32..).zip(&charts) {
        let first = sheet.last_row() + 1;
        let label = indicator_label(&evaluated.plan, indicator, lang);
        for p in points {
            let period = p.period.to_string();
            let cells = [
                Cell::Text(indicator),
                Cell::Text(label),
                Cell::Text(unit),
                Cell::Owned(period),
                // Blank, not `—`: a chart draws a blank as a gap and text as 0.
                p.value.map_or(Cell::Empty, Cell::Percent),
                p.target.map_or(Cell::Empty, Cell::Threshold),
            ];
            sheet.push(&cells, styles)?;
        }
        let last = sheet.last_row();
        let mut chart = Chart::new_line();
        chart.title().set_name(&format!("{label} — {unit_label}"));
        chart.y_axis().set_num_format(Styles::PERCENT_AXIS).set_min(0);
        chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
        let mut value = ChartSeries::new();
        value
            .set_name(Word::Value.get(lang))
            .set_categories((name, first, 3, last, 3))
            .set_values((name, first, 4, last, 4))
            .set_marker(ChartMarker::new().set_automatic());
        let mut target = ChartSeries::new();
        target
            .set_name(Word::Target.get(lang))
            .set_categories((name, first, 3, last, 3))
            .set_values((name, first, 5, last, 5))
            .set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_line(rust_xlsxwriter::ChartLine::new().set_dash_type(ChartLineDashType::Dash)),
            );
        chart.push_series(&value).push_series(&target);
        sheet.worksheet().insert_chart(index * CHART_ROWS, 7, &chart).map_err(|e| failed(&e))?;
    }
    sheet.finish(book)
}

/// The results without a value: unit, indicator, period, status, why.
fn missing_sheet(book: &mut Workbook, evaluated: &Evaluated, lang: Lang, styles: &Styles) -> Result<(), Error> {
    let header = [Word::Unit, Word::UnitName, Word::IndicatorCode, Word::Indicator, Word::Period, Word::Status]
        .map(|w| w.get(lang));
    let mut header = header.to_vec();
    header.push(Word::Reason.get(lang));
    let missing: Vec<&EvalResult> = evaluated.evaluation.results.iter().filter(|r| r.percent.is_none()).collect();
    let mut sheet = Sheet::new(Word::SheetMissing.get(lang), &header, missing.len(), styles)?;
    for r in missing {
        let note = r.note.map(|n| n.text(lang)).or_else(|| r.reason.clone());
        let cells = [
            Cell::Text(&r.unit),
            Cell::text(unit_name(&evaluated.units, &r.unit)),
            Cell::Text(&r.indicator),
            Cell::Text(indicator_label(&evaluated.plan, &r.indicator, lang)),
            Cell::Owned(r.period.to_string()),
            Cell::Status(r.status.label().get(lang), status_tone(r.status)),
            note.map_or(Cell::Empty, Cell::Owned),
        ];
        sheet.push(&cells, styles)?;
    }
    sheet.finish(book)
}
