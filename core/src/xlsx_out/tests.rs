//! The workbooks read back with calamine: sheet names in each language, values (numbers as
//! numbers, unknown as `—`, never 0), date cells, the rows' count, and the charts' presence.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};

use super::sheet::{Cell, MAX_ROWS, Sheet, Styles};
use super::*;
use crate::api::{EvaluateRequest, RecordFormat, Score766Builder, evaluate};
use crate::date::Date;
use crate::exact::Hundredths;
use crate::labels::{Lang, StatusLabel, Word};

const UNITS: &[u8] = b"id,name,parent,level\nt,Town,,commune\nk1,Khom 1,t,neighbourhood\nk2,=Khom 2,t,neighbourhood\n";
const OBSERVATIONS: &[u8] = b"unit,indicator,period,numerator,denominator\n\
k1,dossiers_fully_online,2024,700,1000\n\
k1,dossiers_fully_online,2025,812,1000\n\
k2,dossiers_fully_online,2025,9007199254740993,9007199254740995\n\
k1,adults_using,2025,3,3\n\
k2,adults_using,2025,7,5\n\
k1,nonsense,2025,1,2\n";

const RECORDS: &str = "../../tests/golden/score766/sample-town-records/";

fn evaluated() -> crate::api::Evaluated {
    let request = EvaluateRequest { as_of: Some("2026-11-28"), ..EvaluateRequest::new(OBSERVATIONS).with_units(UNITS) };
    evaluate(request, || Date::from_days_since_epoch(0)).unwrap()
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: Word, lang: Lang) -> Range<Data> {
    book.worksheet_range(name.get(lang)).unwrap()
}

/// The cell at (row, col) of a range that starts at A1.
fn at(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn column(range: &Range<Data>, header: &str) -> u32 {
    let width = u32::try_from(range.width()).unwrap();
    (0..width).find(|c| at(range, 0, *c) == Data::String(header.to_owned())).unwrap()
}

/// How many charts the file holds (the zip's directory names every part: `xl/charts/chartN.xml`).
fn charts(bytes: &[u8]) -> usize {
    let has = |name: String| bytes.windows(name.len()).any(|w| w == name.as_bytes());
    (1..).take_while(|n| has(format!("xl/charts/chart{n}.xml"))).count()
}

#[test]
fn evaluation_sheets_are_named_in_each_language() {
    let e = evaluated();
    for lang in Lang::ALL {
        let mut book = open(evaluation_xlsx(&e, lang).unwrap());
        let expected =
            [Word::SheetResults, Word::ByRoleShort, Word::SheetCharts, Word::SheetRejected, Word::SheetMissing]
                .map(|w| w.get(lang).to_owned());
        assert_eq!(book.sheet_names(), expected.to_vec());
        let results = sheet(&mut book, Word::SheetResults, lang);
        assert_eq!(at(&results, 0, 0), Data::String(Word::Unit.get(lang).to_owned()));
    }
}

#[test]
fn evaluation_values_are_numbers_beside_their_counts() {
    let e = evaluated();
    let mut book = open(evaluation_xlsx(&e, Lang::En).unwrap());
    let results = sheet(&mut book, Word::SheetResults, Lang::En);
    assert_eq!(results.height(), e.evaluation.results.len() + 1);
    let [num, den, value, status, deadline, threshold] =
        [Word::Numerator, Word::Denominator, Word::Value, Word::Status, Word::Deadline, Word::ThresholdColumn]
            .map(|w| column(&results, w.get(Lang::En)));
    for (row, r) in (1u32..).zip(&e.evaluation.results) {
        assert_eq!(at(&results, row, 0), Data::String(r.unit.clone()));
        match (r.numerator, r.denominator, r.percent) {
            (Some(n), Some(d), Some(p)) if n < (1 << 53) => {
                assert_eq!(at(&results, row, num), Data::Float(n as f64));
                assert_eq!(at(&results, row, den), Data::Float(d as f64));
                assert_eq!(at(&results, row, value), Data::Float(p.as_f64() / 100.0));
            }
            // A count no float holds exactly is its digits.
            (Some(n), Some(d), _) => {
                assert_eq!(at(&results, row, num), Data::String(n.to_string()));
                assert_eq!(at(&results, row, den), Data::String(d.to_string()));
            }
            // Unknown is `—`, never 0 or a blank.
            _ => {
                for col in [num, den, value] {
                    assert_eq!(at(&results, row, col), Data::String("—".to_owned()), "{r:?}");
                }
            }
        }
        assert_eq!(at(&results, row, status), Data::String(r.status.label().get(Lang::En).to_owned()));
        assert!(matches!(at(&results, row, deadline), Data::DateTime(_)), "the deadline is a date cell");
        if let Some(t) = r.threshold {
            assert_eq!(at(&results, row, threshold), Data::Float(t.as_f64() / 100.0));
        }
    }
    let big = e.evaluation.results.iter().any(|r| r.numerator == Some(9_007_199_254_740_993));
    assert!(big, "the fixture has a count above 2^53");
    // Where each value came from: typed figures here; nothing where there is no value.
    let source = column(&results, Word::SourceColumn.get(Lang::En));
    for (row, r) in (1u32..).zip(&e.evaluation.results) {
        let expected = match r.source {
            Some(crate::evaluate::ValueSource::Typed) => Data::String(Word::SourceTyped.get(Lang::En).to_owned()),
            Some(other) => panic!("only typed figures in this fixture, not {other:?}"),
            None => Data::Empty,
        };
        assert_eq!(at(&results, row, source), expected, "{r:?}");
    }
    assert!(e.evaluation.results.iter().any(|r| r.source.is_some()));
}

#[test]
fn evaluation_lists_rejected_rows_and_missing_data_and_charts_each_indicator() {
    let e = evaluated();
    assert!(!e.evaluation.rejected.is_empty());
    let bytes = evaluation_xlsx(&e, Lang::Vi).unwrap();
    let first = &e.evaluation.results[0].unit;
    let mut indicators: Vec<&str> =
        e.evaluation.results.iter().filter(|r| r.unit == *first).map(|r| r.indicator.as_str()).collect();
    indicators.dedup();
    assert_eq!(charts(&bytes), indicators.len());
    let mut book = open(bytes);
    let rejected = sheet(&mut book, Word::SheetRejected, Lang::Vi);
    assert_eq!(rejected.height(), e.evaluation.rejected.len() + 1);
    for (row, r) in (1u32..).zip(&e.evaluation.rejected) {
        assert_eq!(at(&rejected, row, 1), Data::String(r.source.clone()));
        assert_eq!(at(&rejected, row, 2), Data::Float(r.row as f64));
        assert_eq!(at(&rejected, row, 4), Data::String(crate::labels::localize(&r.reason, Lang::Vi).into_owned()));
    }
    let missing = sheet(&mut book, Word::SheetMissing, Lang::Vi);
    let without_value = e.evaluation.results.iter().filter(|r| r.percent.is_none()).count();
    assert!(without_value > 0);
    assert_eq!(missing.height(), without_value + 1);
    let labels: Vec<String> = StatusLabel::ALL.iter().map(|s| s.get(Lang::Vi).to_owned()).collect();
    for row in 1..=u32::try_from(without_value).unwrap() {
        assert!(matches!(at(&missing, row, 5), Data::String(s) if labels.contains(&s)));
    }
    // The chart data of the first unit: each value is the result's, the earlier projected ones too.
    let charts = sheet(&mut book, Word::SheetCharts, Lang::Vi);
    for row in 1..u32::try_from(charts.height()).unwrap() {
        let (Data::String(indicator), Data::String(period)) = (at(&charts, row, 0), at(&charts, row, 3)) else {
            panic!("row {row}")
        };
        let result = e
            .evaluation
            .results
            .iter()
            .find(|r| r.unit == *first && r.indicator == indicator && r.period.to_string() == period);
        if let Some(p) = result.and_then(|r| r.percent) {
            assert_eq!(at(&charts, row, 4), Data::Float(p.as_f64() / 100.0));
        }
    }
}

fn records_session(period: &str) -> crate::api::Score766Session {
    let file = |name: &str| std::fs::read(format!("{}/src/xlsx_out/{RECORDS}{name}", env!("CARGO_MANIFEST_DIR")));
    let units = file("units.csv").unwrap();
    let procedures = file("procedures.csv").unwrap();
    let mut session = Score766Builder::new(period).units(Some(&units)).procedures(Some(&procedures)).build().unwrap();
    session.push_csv(&file("dossiers.csv").unwrap()).unwrap();
    session.load_feedback(&file("feedback.csv").unwrap()[..], RecordFormat::Csv).unwrap();
    session
}

#[test]
fn scorecard_scores_detail_and_missing_metrics() {
    let card = records_session("2026-10").finish().unwrap();
    let bytes = scorecard_xlsx(&card, Lang::En).unwrap();
    assert_eq!(charts(&bytes), 1);
    let mut book = open(bytes);
    let names = [Word::SheetScorecard, Word::SheetDetail, Word::SheetCharts, Word::SheetRejected, Word::SheetMissing]
        .map(|w| w.get(Lang::En).to_owned());
    assert_eq!(book.sheet_names(), names.to_vec());
    let scores = sheet(&mut book, Word::SheetScorecard, Lang::En);
    assert_eq!(scores.height(), card.units.len() + 1);
    for (row, u) in (1u32..).zip(&card.units) {
        assert_eq!(at(&scores, row, 0), Data::String(u.unit.clone()));
        assert_eq!(at(&scores, row, 5), Data::Float(u.total.as_f64()));
        for (i, g) in (0u32..).zip(&u.groups) {
            assert_eq!(at(&scores, row, 6 + 2 * i), Data::Float(g.score.as_f64()));
        }
    }
    let detail = sheet(&mut book, Word::SheetDetail, Lang::En);
    let metrics: Vec<_> = card.units.iter().flat_map(|u| u.groups.iter().flat_map(|g| &g.metrics)).collect();
    assert_eq!(detail.height(), metrics.len() + 1);
    let [num, den, points, status] =
        [Word::Numerator, Word::Denominator, Word::Points, Word::Status].map(|w| column(&detail, w.get(Lang::En)));
    let mut unknown = 0;
    for (row, m) in (1u32..).zip(&metrics) {
        assert_eq!(at(&detail, row, 3), Data::String(m.code.clone()));
        assert_eq!(at(&detail, row, points), Data::Float(m.score.as_f64()));
        if m.status == MetricStatus::Scored {
            assert_eq!(at(&detail, row, num), Data::Float(m.numerator as f64));
            assert_eq!(at(&detail, row, den), Data::Float(m.denominator as f64));
        } else {
            unknown += 1;
            assert_eq!(at(&detail, row, num), Data::String("—".to_owned()));
            assert_ne!(at(&detail, row, status), Data::String(Word::MetricScored.get(Lang::En).to_owned()));
        }
    }
    // No counts file: the publication metrics are missing, never 0 counts.
    assert!(unknown > 0);
    let missing = sheet(&mut book, Word::SheetMissing, Lang::En);
    let incomplete = metrics.iter().filter(|m| !m.status.is_complete()).count();
    assert_eq!(missing.height(), incomplete + 1);
    let rejected = sheet(&mut book, Word::SheetRejected, Lang::En);
    assert_eq!(rejected.height(), card.rejected.len() + card.warnings.len() + 1);
}

#[test]
fn series_rows_are_units_by_periods_with_changes() {
    let mut session = records_session("2026-09..2026-10");
    assert!(session.is_series());
    let series = session.finish_series().unwrap();
    let bytes = series_xlsx(&series, Lang::Vi).unwrap();
    assert_eq!(charts(&bytes), 1);
    let mut book = open(bytes);
    let rows = sheet(&mut book, Word::SheetSeries, Lang::Vi);
    let mut row = 1;
    for u in &series.changes {
        for (i, period) in series.periods.iter().enumerate() {
            let Some(total) = u.totals[i] else { continue };
            assert_eq!(at(&rows, row, 0), Data::String(u.unit.clone()));
            assert_eq!(at(&rows, row, 3), Data::String(period.to_string()));
            assert_eq!(at(&rows, row, 5), Data::Float(total.as_f64()));
            let change = u.total_changes[i].map_or(Data::Empty, |c| Data::Float(c.as_f64()));
            assert_eq!(at(&rows, row, 6), change);
            row += 1;
        }
    }
    assert_eq!(rows.height(), usize::try_from(row).unwrap());
    let detail = sheet(&mut book, Word::SheetDetail, Lang::Vi);
    let metrics: usize =
        series.scorecards.iter().flat_map(|c| &c.units).flat_map(|u| &u.groups).map(|g| g.metrics.len()).sum();
    assert_eq!(detail.height(), metrics + 1);
}

#[test]
fn a_table_over_excels_rows_is_an_error_that_names_csv() {
    let styles = Styles::new();
    let rows = usize::try_from(MAX_ROWS).unwrap();
    let error = Sheet::new("x", &["a"], rows, &styles).err().unwrap();
    assert_eq!(error.code(), crate::ErrorCode::InvalidArgument);
    assert!(error.to_string().contains("--format csv"), "{error}");
    assert!(error.message_in(Lang::Vi).contains("vượt giới hạn"), "{}", error.message_in(Lang::Vi));
    assert!(Sheet::new("x", &["a"], rows - 1, &styles).is_ok());
}

#[test]
fn cells_keep_their_kind() {
    let styles = Styles::new();
    let mut sheet = Sheet::new("s", &["a", "b", "c", "d", "e"], 1, &styles).unwrap();
    sheet
        .push(
            &[
                Cell::Count(1 << 53),
                Cell::Count((1 << 53) + 1),
                Cell::Points(Hundredths(1650)),
                Cell::Unknown,
                Cell::Text("=1+2"),
            ],
            &styles,
        )
        .unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    sheet.finish(&mut book).unwrap();
    let mut read = open(book.save_to_buffer().unwrap());
    let range = read.worksheet_range("s").unwrap();
    assert_eq!(at(&range, 1, 0), Data::Float(9_007_199_254_740_992.0));
    assert_eq!(at(&range, 1, 1), Data::String("9007199254740993".to_owned()));
    assert_eq!(at(&range, 1, 2), Data::Float(16.5));
    assert_eq!(at(&range, 1, 3), Data::String("—".to_owned()));
    // Text is a string cell: a unit named like a formula is shown, never run.
    assert_eq!(at(&range, 1, 4), Data::String("=1+2".to_owned()));
}

#[test]
fn the_same_result_gives_the_same_bytes() {
    // The creation date is the data's (the as-of date), not the clock's: no two runs differ.
    let e = evaluated();
    let first = evaluation_xlsx(&e, Lang::Vi).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(evaluation_xlsx(&e, Lang::Vi).unwrap(), first);
    let card = records_session("2026-10").finish().unwrap();
    let first = scorecard_xlsx(&card, Lang::En).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(scorecard_xlsx(&card, Lang::En).unwrap(), first);
}

#[test]
fn empty_results_give_empty_tables_not_errors() {
    // Every row rejected: no result, no chart; the rejected rows are still listed.
    let obs: &[u8] = b"unit,indicator,period,numerator,denominator\nk1,nonsense,2025,1,2\n";
    let request = EvaluateRequest { as_of: Some("2026-11-28"), ..EvaluateRequest::new(obs) };
    let e = evaluate(request, || Date::from_days_since_epoch(0)).unwrap();
    assert!(e.evaluation.results.is_empty());
    let bytes = evaluation_xlsx(&e, Lang::En).unwrap();
    assert_eq!(charts(&bytes), 0);
    let mut book = open(bytes);
    assert_eq!(sheet(&mut book, Word::SheetResults, Lang::En).height(), 1);
    assert_eq!(sheet(&mut book, Word::SheetRejected, Lang::En).height(), 2);
    // A counts file of no unit: a scorecard of no unit, a charts sheet without a chart.
    let card =
        crate::api::score_counts(&br#"{ "period": "2026-08", "units": [] }"#[..], "c.json", None, None, false).unwrap();
    let bytes = scorecard_xlsx(&card, Lang::Vi).unwrap();
    assert_eq!(charts(&bytes), 0);
    assert_eq!(sheet(&mut open(bytes), Word::SheetScorecard, Lang::Vi).height(), 1);
}

#[test]
fn tones_follow_the_terminal_colours() {
    assert_eq!(status_tone(crate::evaluate::Status::Met), Tone::Good);
    assert_eq!(status_tone(crate::evaluate::Status::NoData), Tone::Muted);
    assert_eq!(status_tone(crate::evaluate::Status::Invalid), Tone::Bad);
    assert_eq!(metric_tone(MetricStatus::Missing), Tone::Muted);
}

#[test]
fn who_must_act_lists_each_roles_current_results_most_urgent_first() {
    let e = evaluated();
    let report = crate::by_role::by_role(&e.evaluation, &e.plan);
    for lang in Lang::ALL {
        let mut book = open(evaluation_xlsx(&e, lang).unwrap());
        let roles = sheet(&mut book, Word::ByRoleShort, lang);
        let [status, unit] = [Word::Status, Word::Unit].map(|w| column(&roles, w.get(lang)));
        let expected: Vec<(String, String, String)> = report
            .roles
            .iter()
            .flat_map(|g| g.results.iter().map(move |r| (g.role.label.get(lang).to_owned(), r)))
            .chain(report.unassigned.iter().map(|r| (Word::Unassigned.get(lang).to_owned(), r)))
            .map(|(role, r)| (role, r.unit.clone(), r.status.label().get(lang).to_owned()))
            .collect();
        let got: Vec<(String, String, String)> = (1..u32::try_from(roles.height()).unwrap())
            .map(|row| {
                let text = |col| match at(&roles, row, col) {
                    Data::String(s) => s,
                    other => panic!("{other:?}"),
                };
                (text(0), text(unit), text(status))
            })
            .collect();
        assert!(!got.is_empty());
        assert_eq!(got, expected);
    }
}
