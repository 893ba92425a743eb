//! Records → counts → scorecard, through the public API: every classification rule at its edge,
//! rejections, chunking, parallel splits and merging.

use std::sync::Arc;

use proptest::prelude::*;

use super::*;
use crate::input::Rejection;
use crate::units::UnitTree;

const UNITS: &str = "id,name,parent,level\ntinh,Tỉnh,,province\nxa-a,Xã A,tinh,commune\nxa-b,Xã B,tinh,commune\n";

const PROCEDURES: &str = "procedure,name,field,authority_level,service_level,eligible_full,paper_result,fee,payment_integrated,citizen_applicants
P1,Đất đai,land,commune,full,1,1,1,1,1
P2,Hộ tịch,civil,commune,partial,0,0,0,0,1
P3,Đầu tư,investment,province,none,0,0,1,0,0
";

const HEADER: &str = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,supplement_requests,supplement_days,e_result,digitized,reused_data,shared_storage,citizen_data,synced,fee,paid_online,complaint,rating\n";

fn context() -> Arc<RecordContext> {
    let mut rejected = Vec::new();
    let units = UnitTree::from_csv(UNITS.as_bytes(), "units.csv", true, &mut rejected).unwrap();
    let procedures = ProcedureTable::from_csv(PROCEDURES.as_bytes(), "procedures.csv", true, &mut rejected).unwrap();
    Arc::new(RecordContext::new(Some(units), Some(procedures)))
}

fn options(period: &str) -> ScoreOptions {
    ScoreOptions::new(period.parse().unwrap())
}

/// One dossier row with defaults: `(unit, procedure, received, due, finished, extra…)`.
fn row(id: u32, unit: &str, procedure: &str, received: &str, due: &str, finished: &str, rest: &str) -> String {
    // rest = channel,supplement_requests,supplement_days,e_result,digitized,reused,shared,citizen,synced,fee,paid,complaint,rating
    let rest = if rest.is_empty() { ",,,,,,,,,,,," } else { rest };
    format!("d{id},{unit},{procedure},{received},{due},{finished},{rest}\n")
}

fn counts_of(csv: &str, period: &str) -> (Counts, Vec<Rejection>) {
    let mut s = Scorer::new(options(period), context());
    s.push_csv(csv.as_bytes()).unwrap();
    s.counts().unwrap()
}

fn metric(c: &Counts, unit: &str, code: &str) -> (u64, u64) {
    let u = c.units.iter().find(|u| u.unit == unit).unwrap();
    let r = u.metrics.get(code).copied().unwrap_or_default();
    (r.numerator, r.denominator)
}

#[test]
fn due_date_alone_means_the_end_of_that_day() {
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P2", "2025-07-01", "2025-07-10", "2025-07-10T23:59:59", ""),
        row(2, "xa-a", "P2", "2025-07-01", "2025-07-10", "2025-07-11T00:00:00", ""),
        row(3, "xa-a", "P2", "2025-07-01", "2025-07-10", "2025-07-10T16:59:59Z", ""),
        row(4, "xa-a", "P2", "2025-07-01", "2025-07-10", "2025-07-10T17:00:00Z", ""),
    ]
    .concat();
    let (c, rejected) = counts_of(&csv, "2025-07");
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_eq!(metric(&c, "xa-a", "ON_TIME"), (2, 4));
    assert_eq!(metric(&c, "tinh", "ON_TIME"), (2, 4));
    assert_eq!(metric(&c, "xa-b", "ON_TIME"), (0, 0));
}

#[test]
fn the_period_is_the_month_in_vietnam_time() {
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P2", "2025-06-30T23:30:00Z", "", "", ""),
        row(2, "xa-a", "P2", "2025-06-30T16:59:59Z", "", "", ""),
        row(3, "xa-a", "P2", "2025-07-01T00:00", "", "", ""),
        row(4, "xa-a", "P2", "2025-07-31T23:59:59+07:00", "", "", ""),
        row(5, "xa-a", "P2", "2025-07-31T17:00:00Z", "", "", ""),
    ]
    .concat();
    assert_eq!(metric(&counts_of(&csv, "2025-07").0, "xa-a", "ON_TIME"), (3, 3));
    assert_eq!(metric(&counts_of(&csv, "2025-06").0, "xa-a", "ON_TIME"), (1, 1));
    assert_eq!(metric(&counts_of(&csv, "2025-08").0, "xa-a", "ON_TIME"), (1, 1));
    assert_eq!(metric(&counts_of(&csv, "2025-Q3").0, "xa-a", "ON_TIME"), (4, 4));
    assert_eq!(metric(&counts_of(&csv, "2025").0, "xa-a", "ON_TIME"), (5, 5));
}

#[test]
fn supplement_days_are_subtracted_exactly() {
    // due 2025-07-10 means 23:59:59; half a day is 43 200 s.
    let r = |id, fin: &str, days: &str| {
        row(id, "xa-a", "P2", "2025-07-01", "2025-07-10", fin, &format!("direct,1,{days},,,,,,,,,,"))
    };
    let csv = [
        HEADER.to_owned(),
        r(1, "2025-07-11T11:59:59", "0.5"),         // − 12 h = due: on time
        r(2, "2025-07-11T12:00:00", "0.5"),         // one second past
        r(3, "2025-07-11T12:00:00", "0.500011575"), // 43 201.0 s: on time
        r(4, "2025-07-11T12:00:00", "0.500011574"), // 43 200.99… s: late
        r(5, "2025-07-12T23:59:59", "2"),
        r(6, "2025-07-10T23:59:59", ""),
    ]
    .concat();
    let (c, rejected) = counts_of(&csv, "2025-07");
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_eq!(metric(&c, "xa-a", "ON_TIME"), (4, 6));
}

#[test]
fn more_than_one_supplement_request_is_late() {
    let r = |id, requests: &str| {
        row(id, "xa-a", "P2", "2025-07-01", "2025-07-10", "2025-07-02", &format!("direct,{requests},,,,,,,,,,,"))
    };
    let csv = [HEADER.to_owned(), r(1, "1"), r(2, "2"), r(3, "0"), r(4, "")].concat();
    assert_eq!(metric(&counts_of(&csv, "2025-07").0, "xa-a", "ON_TIME"), (3, 4));
    // Without a due date only supplement requests make a dossier late.
    let csv = [HEADER.to_owned(), row(1, "xa-a", "P2", "2025-07-01", "", "", "direct,2,,,,,,,,,,,")].concat();
    assert_eq!(metric(&counts_of(&csv, "2025-07").0, "xa-a", "ON_TIME"), (0, 1));
}

#[test]
fn an_open_dossier_is_judged_at_the_end_of_its_month() {
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P2", "2025-07-05", "2025-07-31", "", ""), // end of month = due: on time
        row(2, "xa-a", "P2", "2025-07-05", "2025-07-30", "", ""), // late
        row(3, "xa-a", "P2", "2025-07-05", "2025-07-30", "", "direct,1,1,,,,,,,,,,"), // − 1 day: on time
        row(4, "xa-a", "P2", "2025-07-05", "2025-07-30T23:59:58", "", "direct,1,1,,,,,,,,,,"), // late
        row(5, "xa-a", "P2", "2025-07-05", "", "", ""),           // no deadline: on time
    ]
    .concat();
    let (c, _) = counts_of(&csv, "2025-07");
    assert_eq!(metric(&c, "xa-a", "ON_TIME"), (3, 5));
    assert_eq!(metric(&c, "xa-a", "DOSSIER_SATISFIED"), (3, 5));
}

#[test]
fn online_needs_an_electronic_result_for_paper_result_procedures() {
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P1", "2025-07-01", "", "", "online,,,0,1,,,,,,,,"),
        row(2, "xa-a", "P1", "2025-07-01", "", "", "online,,,1,1,,,,,,,,"),
        row(3, "xa-a", "P2", "2025-07-01", "", "", "online,,,0,1,,,,,,,,"),
        row(4, "xa-a", "P2", "2025-07-01", "", "", "postal,,,,,,,,,,,,"),
        row(5, "xa-a", "P1", "2025-07-01", "", "", "direct,,,1,,,,,,,,,"),
    ]
    .concat();
    let (c, _) = counts_of(&csv, "2025-07");
    assert_eq!(metric(&c, "xa-a", "ONLINE_DOSSIERS"), (2, 5));
    // E_RESULT: among dossiers of paper-result procedures (P1: 3 of them, 2 with an e-result).
    assert_eq!(metric(&c, "xa-a", "E_RESULT"), (2, 3));
    // DIGITIZED: digitised and (no paper result or e-result): rows 2 and 3.
    assert_eq!(metric(&c, "xa-a", "DIGITIZED"), (2, 5));
    // decision-2022: online dossiers of eligible procedures offered in full (P1) / P1's dossiers.
    assert_eq!(metric(&c, "xa-a", "FULL_ONLINE_DOSSIERS"), (1, 3));
    let reported = c.units.iter().find(|u| u.unit == "xa-a").unwrap().reported.unwrap();
    assert_eq!((reported.channel_online, reported.channel_direct, reported.channel_postal), (3, 1, 1));
    assert_eq!((reported.online_on_time, reported.online_late), (2, 0));
}

#[test]
fn flags_and_satisfaction() {
    // channel,requests,days,e_result,digitized,reused,shared,citizen,synced,fee,paid,complaint,rating
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P2", "2025-07-01", "", "", "direct,,,,,1,1,1,1,1,1,,satisfied"),
        row(2, "xa-a", "P2", "2025-07-01", "", "", "direct,,,,,,,,,1,,,unsatisfied"),
        row(3, "xa-b", "P2", "2025-07-01", "", "", "direct,,,,,,,,,,1,1,"),
        row(4, "xa-b", "P2", "2025-07-01", "", "", "direct,,,,,TRUE,false,,,,,,"),
    ]
    .concat();
    let (c, rejected) = counts_of(&csv, "2025-07");
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_eq!(metric(&c, "tinh", "DOSSIER_SATISFIED"), (2, 4));
    assert_eq!(metric(&c, "tinh", "REUSED_DATA"), (2, 4));
    assert_eq!(metric(&c, "tinh", "SHARED_STORAGE"), (1, 4));
    assert_eq!(metric(&c, "tinh", "CITIZEN_DATA_DOSSIERS"), (1, 4));
    assert_eq!(metric(&c, "tinh", "DOSSIER_SYNC"), (1, 4));
    // Paid online among fee dossiers: row 3 paid without a fee does not count.
    assert_eq!(metric(&c, "tinh", "PAID_ONLINE"), (1, 2));
    assert_eq!(metric(&c, "xa-b", "PAID_ONLINE"), (0, 0));
}

#[test]
fn distinct_procedure_metrics_follow_authority_levels_and_subtrees() {
    let csv = [
        HEADER.to_owned(),
        // xa-a: an online P1 dossier with an e-result, paid online, citizen data.
        row(1, "xa-a", "P1", "2025-07-01", "", "", "online,,,1,,,,1,,1,1,,"),
        // xa-b: an online P2 dossier.
        row(2, "xa-b", "P2", "2025-07-01", "", "", "online,,,,,,,,,,,,"),
        // xa-b: P1 online without e-result is not an online dossier.
        row(3, "xa-b", "P1", "2025-07-01", "", "", "online,,,,,,,,,,,,"),
    ]
    .concat();
    let (c, _) = counts_of(&csv, "2025-07");
    // Communes have P1 and P2 (authority commune); the province has all three.
    assert_eq!(metric(&c, "xa-a", "ONLINE_PROCEDURES"), (2, 2));
    assert_eq!(metric(&c, "tinh", "ONLINE_PROCEDURES"), (2, 3));
    assert_eq!(metric(&c, "xa-a", "ONLINE_SERVICES_USED"), (1, 2));
    assert_eq!(metric(&c, "xa-b", "ONLINE_SERVICES_USED"), (1, 2));
    assert_eq!(metric(&c, "tinh", "ONLINE_SERVICES_USED"), (2, 2));
    assert_eq!(metric(&c, "xa-a", "PROCEDURES_PAID_ONLINE"), (1, 1));
    assert_eq!(metric(&c, "xa-b", "PROCEDURES_PAID_ONLINE"), (0, 1));
    assert_eq!(metric(&c, "tinh", "PROCEDURES_PAID_ONLINE"), (1, 2));
    assert_eq!(metric(&c, "tinh", "PROCEDURES_PAYMENT_INTEGRATED"), (1, 2));
    assert_eq!(metric(&c, "xa-a", "CITIZEN_DATA_PROCEDURES"), (1, 2));
    assert_eq!(metric(&c, "xa-b", "CITIZEN_DATA_PROCEDURES"), (0, 2));
    // Another month's dossiers do not count.
    let (c, _) = counts_of(&csv, "2025-08");
    assert_eq!(metric(&c, "tinh", "ONLINE_SERVICES_USED"), (0, 2));
}

#[test]
fn bad_rows_are_listed_and_good_rows_kept() {
    let long = "x".repeat(64 * 1024 + 1);
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P2", "2025-07-01", "", "", ""),
        row(2, "nowhere", "P2", "2025-07-01", "", "", ""),
        row(3, "xa-a", "P9", "2025-07-01", "", "", ""),
        row(4, "xa-a", "P2", "2025-07-05", "2025-07-04", "", ""),
        row(5, "xa-a", "P2", "2025-07-32", "", "", ""),
        row(6, "xa-a", "P2", "2025-07-01", "", "", "direct,,,maybe,,,,,,,,,"),
        row(7, "xa-a", "P2", "2025-07-01", "", "", "direct,99999999999999999999,,,,,,,,,,,"),
        "d8,xa-a,P2\n".to_owned(),
        row(9, "xa-a", "P2", "2025-07-01", "", "", &format!("direct,,,,,,,,,,,,{long}")),
        row(10, "xa-a", "P2", "2025-07-01", "", "", "fax,,,,,,,,,,,,"),
        row(11, "xa-a", "P2", "2025-07-05", "", "2025-07-04", ""),
        "d12,xa-a,P2,\"2025-07-01\"x,,,,,,,,,,,,,,,\n".to_owned(),
        row(13, "xa-a", "P2", "2025-07-01", "", "", ""),
    ]
    .concat();
    let (c, rejected) = counts_of(&csv, "2025-07");
    assert_eq!(metric(&c, "xa-a", "ON_TIME"), (2, 2));
    let got: Vec<(u64, Option<&str>)> = rejected.iter().map(|r| (r.row, r.column.as_deref())).collect();
    assert_eq!(
        got,
        [
            (3, Some("unit")),
            (4, Some("procedure")),
            (5, Some("due_at")),
            (6, Some("received_at")),
            (7, Some("e_result")),
            (8, Some("supplement_requests")),
            (9, None),
            (10, Some("rating")),
            (11, Some("channel")),
            (12, Some("finished_at")),
            (13, Some("received_at")),
        ]
    );
    assert!(rejected[0].reason.contains("unknown unit `nowhere`"), "{}", rejected[0].reason);
    assert!(rejected[4].reason.contains("`maybe` is not a boolean"));
    assert!(rejected[5].reason.contains("overflows"));
    assert!(rejected[6].reason.contains("has 3 fields"));
    assert!(rejected[7].reason.contains("byte limit"));
    for r in &rejected {
        assert_eq!(r.source, "dossiers.csv");
    }
    // Strict stops at the first.
    let mut s = Scorer::new(ScoreOptions { strict: true, ..options("2025-07") }, context());
    let err = s.push_csv(csv.as_bytes()).unwrap_err();
    assert_eq!(err.code(), "rejected_row");
    assert!(err.to_string().starts_with("dossiers.csv: row 3, column `unit`"), "{err}");
}

#[test]
fn a_header_without_a_required_column_is_an_error() {
    let mut s = Scorer::new(options("2025-07"), context());
    let err = s.push_csv(b"dossier_id,unit,received_at\nd1,xa-a,2025-07-01\n").unwrap_err();
    assert_eq!(err.to_string(), "dossiers.csv: the header has no `procedure` column (nor `Mã thủ tục`, `Mã TTHC`)");
}

#[test]
fn quoted_fields_and_row_numbers_across_embedded_newlines() {
    // Columns in another order, an unknown column with commas and newlines inside quotes, CRLF, BOM.
    let csv = "\u{feff}note,unit,procedure,dossier_id,received_at\r\n\
               \"a, b\",xa-a,P2,d1,2025-07-01\r\n\
               \"two\nlines\",xa-a,P2,d2,2025-07-01\r\n\
               \"say \"\"hi\"\"\",nowhere,P2,d3,2025-07-01\r\n\
               \n\
               plain,\"xa-b\",P2,d4,2025-07-01\n\
               x,nowhere,P2,d5,2025-07-01";
    let (c, rejected) = counts_of(csv, "2025-07");
    assert_eq!(metric(&c, "tinh", "ON_TIME"), (3, 3));
    assert_eq!(metric(&c, "xa-b", "ON_TIME"), (1, 1));
    let rows: Vec<u64> = rejected.iter().map(|r| r.row).collect();
    assert_eq!(rows, [5, 8]);
}

#[test]
fn feedback_metrics() {
    let feedback = "feedback_id,unit,received_at,due_at,finished_at,about,unsatisfied,raised_again
f1,xa-a,2025-07-01,2025-07-10,2025-07-10,rules,,
f2,xa-a,2025-07-01,2025-07-10,2025-07-11,staff,,
f3,xa-a,2025-07-01,2025-07-31,,other,1,
f4,xa-a,2025-07-01,2025-07-30,,,,1
f5,xa-b,2025-07-01,2025-07-31,,rules,0,0
f6,xa-b,2025-07-01,2025-06-30,,rules,0,0
f7,xa-b,2025-07-01,,,,,
";
    let mut s = Scorer::new(options("2025-07"), context());
    s.push_csv(HEADER.as_bytes()).unwrap();
    s.read_feedback_csv(feedback.as_bytes(), "feedback.csv").unwrap();
    let (c, rejected) = s.counts().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!((rejected[0].row, rejected[0].column.as_deref()), (7, Some("due_at")));
    // f1 on time; f2 late; f3 open, due at month end: on time but unsatisfied; f4 open and late
    // (and raised again).
    assert_eq!(metric(&c, "xa-a", "FEEDBACK_ON_TIME"), (2, 4));
    assert_eq!(metric(&c, "xa-a", "FEEDBACK_SATISFIED"), (1, 4));
    assert_eq!(metric(&c, "tinh", "FEEDBACK_ON_TIME"), (4, 6));
    assert_eq!(metric(&c, "tinh", "FEEDBACK_SATISFIED"), (3, 6));
    let r = c.units.iter().find(|u| u.unit == "tinh").unwrap().reported.unwrap();
    assert_eq!((r.feedback_about_rules, r.feedback_about_staff, r.feedback_about_other), (2, 1, 3));
    // Without a feedback file the feedback metrics are missing, not zero.
    let (c, _) = counts_of(HEADER, "2025-07");
    assert_eq!(c.units[0].metrics.get("FEEDBACK_ON_TIME"), None);
}

#[test]
fn a_unit_whose_only_records_were_rejected_has_invalid_metrics_not_free_points() {
    // xa-b's only feedback item and only dossier are rejected (due before received); xa-a has
    // good ones. Before, xa-b scored 12 free feedback points (a zero denominator's default).
    let feedback = "feedback_id,unit,received_at,due_at,finished_at,about,unsatisfied,raised_again
f1,xa-a,2025-07-01,2025-07-10,2025-07-10,rules,,
f2,xa-b,2025-07-05,2025-07-01,,rules,,
f3,xa-b,2025-06-05,2025-06-01,,rules,,
";
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P2", "2025-07-01", "", "", ""),
        row(2, "xa-b", "P2", "2025-07-09", "2025-07-01", "", ""),
    ]
    .concat();
    let mut s = Scorer::new(options("2025-07"), context());
    s.push_csv(csv.as_bytes()).unwrap();
    s.read_feedback_csv(feedback.as_bytes(), "feedback.csv").unwrap();
    let card = s.finish().unwrap();
    assert_eq!(card.rejected.len(), 3);
    let unit = |id: &str| card.units.iter().find(|u| u.unit == id).unwrap().clone();
    let b = unit("xa-b");
    assert!(b.invalid.contains(&"FEEDBACK_ON_TIME".to_owned()) && b.invalid.contains(&"ON_TIME".to_owned()), "{b:?}");
    let mdhl = b.groups.iter().find(|g| g.code == "MDHL").unwrap();
    assert_eq!(mdhl.score, crate::exact::Hundredths(0));
    assert!(!b.complete && b.rank.is_none());
    // xa-a and the province have accepted records: scored as usual.
    for id in ["xa-a", "tinh"] {
        assert!(unit(id).invalid.is_empty(), "{id}");
    }
    // A rejected item of another month does not make a unit invalid in this one.
    let mut s = Scorer::new(options("2025-06"), context());
    s.push_csv(HEADER.as_bytes()).unwrap();
    s.read_feedback_csv(feedback.as_bytes(), "feedback.csv").unwrap();
    let card = s.finish().unwrap();
    assert!(card.units.iter().filter(|u| u.unit == "xa-a").all(|u| u.invalid.is_empty()));
}

#[test]
fn export_spellings_count_as_the_canonical_ones() {
    // The same five dossiers, canonical and as a provincial system exports them (exports.md):
    // day-first dates, Vietnamese channel, rating and boolean words, portal channel codes.
    let canonical = [
        HEADER.to_owned(),
        row(
            1,
            "xa-a",
            "P1",
            "2025-07-03",
            "2025-07-10",
            "2025-07-10T16:30:00",
            "online,0,0,1,1,0,0,1,1,1,1,0,satisfied",
        ),
        row(2, "xa-a", "P2", "2025-07-04T08:15", "2025-07-05", "", "direct,2,0,0,0,0,0,0,0,0,0,1,unsatisfied"),
        row(
            3,
            "xa-b",
            "P1",
            "2025-07-31 23:59:59",
            "",
            "",
            "postal,,,true,true,false,false,true,true,false,false,false,",
        ),
        row(4, "xa-b", "P2", "2025-07-01", "2025-07-02", "2025-07-09", "online,1,1.5,,,,,,,,,,satisfied"),
        row(5, "xa-a", "P1", "2025-07-15", "", "", "postal,,,1,,,,,,,,,unsatisfied"),
    ]
    .concat();
    let export = [
        HEADER.to_owned(),
        row(
            1,
            "xa-a",
            "P1",
            "03/07/2025",
            "10/07/2025",
            "10/07/2025 16:30:00",
            "Trực tuyến,0,0,có,x,không,no,yes,Có,TRUE,X,KHÔNG,Hài lòng",
        ),
        row(2, "xa-a", "P2", "04-07-2025 08:15", "05-07-2025", "", "Trực tiếp,2,0,0,0,0,0,0,0,0,0,có,Không hài lòng"),
        row(3, "xa-b", "P1", "31/07/2025 23:59:59", "", "", "3,,,yes,yes,no,no,yes,yes,no,no,no,"),
        row(4, "xa-b", "P2", "01/07/2025", "02/07/2025", "09/07/2025", "2,1,1.5,,,,,,,,,,Rất hài lòng"),
        row(5, "xa-a", "P1", "15/07/2025", "", "", "Dịch vụ bưu chính công ích,,,1,,,,,,,,,không hài lòng"),
    ]
    .concat();
    // The Vietnamese header of exports.md (two names hold a comma, so they are quoted).
    let vietnamese = "Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận,Hạn giải quyết,Ngày trả kết quả,Kênh nộp,Số lần bổ sung,\
        Số ngày bổ sung,Có kết quả điện tử,Đã số hóa,Tái sử dụng dữ liệu,Kho dữ liệu cá nhân,Dữ liệu dân cư,\
        ĐỒNG BỘ DVCQG,\"Có phí, lệ phí\",Thanh toán trực tuyến,\"Có phản ánh, kiến nghị\",Mức độ hài lòng\n";
    let export = export.replacen(HEADER, vietnamese, 1);
    let (a, rejected_a) = counts_of(&canonical, "2025-07");
    let (b, rejected_b) = counts_of(&export, "2025-07");
    assert!(rejected_a.is_empty() && rejected_b.is_empty(), "{rejected_a:?} {rejected_b:?}");
    assert_eq!(a, b);
    assert_eq!(metric(&a, "tinh", "ONLINE_DOSSIERS").1, 5);
    // A spelling that is not listed is a rejected row that says what is accepted.
    let bad = [HEADER.to_owned(), row(6, "xa-a", "P1", "2025-07-01", "", "", "qua mạng,,,,,,,,,,,,")].concat();
    let (_, rejected) = counts_of(&bad, "2025-07");
    assert!(rejected[0].reason.contains("`Trực tuyến`"), "{}", rejected[0].reason);
    // 03/04/2026 is 3 April, never 4 March; 31/02 is no day.
    let (_, rejected) =
        counts_of(&[HEADER.to_owned(), row(7, "xa-a", "P1", "31/02/2025", "", "", "")].concat(), "2025-02");
    assert!(rejected[0].reason.contains("is not a day of the calendar"), "{}", rejected[0].reason);
}

#[test]
fn average_processing_days_of_completed_dossiers() {
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P2", "2025-07-01", "", "2025-07-03", ""),
        row(2, "xa-a", "P2", "2025-07-01T12:00", "", "2025-07-02", ""),
        row(3, "xa-a", "P2", "2025-07-01", "", "", ""),
    ]
    .concat();
    let (c, _) = counts_of(&csv, "2025-07");
    let r = c.units.iter().find(|u| u.unit == "xa-a").unwrap().reported.unwrap();
    assert_eq!(r.completed_dossiers, 2);
    assert_eq!(r.processing_seconds, 2 * 86_400 + 43_200);
    assert_eq!(r.average_processing_days, Some(crate::exact::Hundredths(125)));
}

#[test]
fn a_counts_file_fills_only_what_records_cannot_give() {
    let counts = br#"{ "period": "2025-07", "units": [
        { "unit": "xa-a", "metrics": { "PUBLISH_ON_TIME": [3, 4], "ON_TIME": [0, 100], "E_CERTIFIED_COPY": [1, 1] } },
        { "unit": "ghost", "metrics": {} } ] }"#;
    let counts = Counts::from_json(counts, "counts.json", false, &mut Vec::new()).unwrap();
    let mut s = Scorer::new(options("2025-07"), context());
    s.set_counts(counts, "counts.json");
    s.push_csv([HEADER.to_owned(), row(1, "xa-a", "P2", "2025-07-01", "", "", "")].concat().as_bytes()).unwrap();
    let card = s.finish().unwrap();
    let xa = card.units.iter().find(|u| u.unit == "xa-a").unwrap();
    let m = |code: &str| xa.groups.iter().flat_map(|g| &g.metrics).find(|m| m.code == code).unwrap().clone();
    assert_eq!((m("PUBLISH_ON_TIME").numerator, m("PUBLISH_ON_TIME").denominator), (3, 4));
    assert_eq!((m("ON_TIME").numerator, m("ON_TIME").denominator), (1, 1));
    assert_eq!(m("E_CERTIFIED_COPY").score, crate::exact::Hundredths(200));
    assert_eq!(card.rejected.len(), 1);
    assert_eq!((card.rejected[0].source.as_str(), card.rejected[0].row), ("counts.json", 2));
    // Units are listed in tree order with their level; communes rank among communes.
    let ids: Vec<(&str, &str, u32)> =
        card.units.iter().map(|u| (u.unit.as_str(), u.level.as_str(), u.rank.unwrap_or(0))).collect();
    // Without a feedback file nobody is complete: listed, unranked.
    assert_eq!(ids[0], ("tinh", "province", 0));
    assert!(card.units.iter().all(|u| !u.complete && u.missing.contains(&"FEEDBACK_ON_TIME".to_owned())));
    let mut ranked = card.clone();
    ranked.rank(true);
    assert_eq!(ranked.units[0].rank, Some(1));
    assert!(card.missing.iter().any(|m| m.unit == "xa-b" && m.metric == "PUBLISH_ON_TIME"));
    assert!(!card.missing.iter().any(|m| m.unit == "xa-a" && m.metric == "PUBLISH_ON_TIME"));
}

#[test]
fn without_units_every_unit_is_a_root() {
    let ctx = Arc::new(RecordContext::new(None, None));
    let mut s = Scorer::new(options("2025-07"), ctx);
    let csv = [
        HEADER.to_owned(),
        row(1, "b", "X", "2025-07-01", "", "", "online,,,,,,,,,,,,"),
        row(2, "a", "Y", "2025-07-01", "", "", ""),
    ]
    .concat();
    s.push_csv(csv.as_bytes()).unwrap();
    let card = s.finish().unwrap();
    let ids: Vec<&str> = card.units.iter().map(|u| u.unit.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert!(card.units.iter().all(|u| u.parent.is_none() && u.level == "depth-0"));
    // Without procedures, the distinct-procedure metrics are missing.
    assert!(card.missing.iter().any(|m| m.metric == "ONLINE_PROCEDURES"));
    assert_eq!(card.units[1].groups[2].metrics[2].numerator, 1);
}

#[test]
fn json_lines_read_like_csv() {
    let jsonl = "{\"dossier_id\":\"d1\",\"unit\":\"xa-a\",\"procedure\":\"P1\",\"received_at\":\"2025-07-01\",\"channel\":\"online\",\"e_result\":true,\"fee\":1,\"paid_online\":\"1\"}\n\
                 \n\
                 {\"dossier_id\":\"d2\",\"unit\":\"xa-a\",\"procedure\":\"P1\",\"received_at\":\"2025-07-01\",\"supplement_days\":0.5}\n\
                 not json\n\
                 {\"dossier_id\":\"d3\",\"unit\":\"zz\",\"procedure\":\"P1\",\"received_at\":\"2025-07-01\"}\n";
    let mut s = Scorer::new(options("2025-07"), context());
    s.read_dossiers_jsonl(jsonl.as_bytes(), "dossiers.jsonl").unwrap();
    let (c, rejected) = s.counts().unwrap();
    assert_eq!(metric(&c, "xa-a", "ONLINE_DOSSIERS"), (1, 2));
    assert_eq!(metric(&c, "xa-a", "PAID_ONLINE"), (1, 1));
    let rows: Vec<(u64, Option<&str>)> = rejected.iter().map(|r| (r.row, r.column.as_deref())).collect();
    assert_eq!(rows, [(4, None), (5, Some("unit"))]);
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P1", "2025-07-01", "", "", "online,,,1,,,,,,1,1,,"),
        row(2, "xa-a", "P1", "2025-07-01", "", "", "direct,,0.5,,,,,,,,,,"),
    ]
    .concat();
    let mut t = Scorer::new(options("2025-07"), context());
    t.push_csv(csv.as_bytes()).unwrap();
    assert_eq!(t.counts().unwrap().0, c);
    // And records pushed one by one.
    let mut u = Scorer::new(options("2025-07"), context());
    for line in jsonl.lines().filter(|l| l.starts_with('{')).take(2) {
        u.push_record(&serde_json::from_str(line).unwrap()).unwrap();
    }
    assert_eq!(u.counts().unwrap().0, c);
}

/// A generated file: rows valid and invalid, with quotes and embedded newlines.
fn arb_csv() -> impl Strategy<Value = String> {
    let unit = prop::sample::select(vec!["xa-a", "xa-b", "tinh", "\"xa-a\"", "nowhere", "\"xa-b", "xa\"b"]);
    let procedure = prop::sample::select(vec!["P1", "P2", "P3", "P4"]);
    let day = 1u32..29;
    let month = prop::sample::select(vec![6u32, 7]);
    let flags = prop::collection::vec(prop::bool::ANY, 9);
    let channel = prop::sample::select(vec!["online", "direct", "", "postal", "\"on\nline\""]);
    let tail = prop::sample::select(vec!["", "satisfied", "unsatisfied", "\"a,b\""]);
    let row = (unit, procedure, day, month, 0u32..12, prop::option::of(0u32..20), flags, channel, 0u32..3, tail);
    prop::collection::vec(row, 0..40).prop_map(|rows| {
        let mut s = HEADER.to_owned();
        for (i, (u, p, d, m, due, fin, flags, ch, req, tail)) in rows.into_iter().enumerate() {
            let b: Vec<&str> = flags.iter().map(|f| if *f { "1" } else { "0" }).collect();
            let fin = fin.map(|f| format!("2025-{m:02}-{:02}T{:02}:00", (d + f / 3).min(28), f)).unwrap_or_default();
            s.push_str(&format!(
                "d{i},{u},{p},2025-{m:02}-{d:02},2025-{m:02}-{:02},{fin},{ch},{req},0.{due},{},{tail}\n",
                (d + due).min(28),
                b.join(",")
            ));
        }
        s
    })
}

fn aggregate_of(chunks: &[&[u8]]) -> DossierAggregate {
    let mut s = Scorer::new(options("2025-07"), context());
    for c in chunks {
        s.push_csv(c).unwrap();
    }
    s.into_aggregate().unwrap()
}

#[test]
fn push_csv_split_at_every_byte_equals_one_push() {
    let csv = "\u{feff}dossier_id,unit,procedure,received_at,channel\n\
               d1,xa-a,P2,2025-07-01,online\r\n\
               \"d\n2\",xa-b,P2,2025-07-01,\"online\"\n\
               d3,nowhere,P2,2025-07-01,\n\
               d4,xa-a,P1,2025-07-01,\"x\"\"y\"\n\
               d5,xa-a,P1,2025-07-01,postal";
    let whole = aggregate_of(&[csv.as_bytes()]);
    assert_eq!(whole.rejected().len(), 2);
    assert_eq!(whole.rejected().iter().map(|r| r.row).collect::<Vec<_>>(), [5, 6]);
    let b = csv.as_bytes();
    for cut in 0..=b.len() {
        let (x, y) = b.split_at(cut);
        assert_eq!(aggregate_of(&[x, y]), whole, "cut at {cut}");
    }
    let bytes: Vec<&[u8]> = b.chunks(1).collect();
    assert_eq!(aggregate_of(&bytes), whole);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn chunks_merges_and_parallel_pieces_equal_one_pass(
        csv in arb_csv(),
        cuts in prop::collection::vec(0usize..5000, 0..6),
        jobs in 1usize..4,
        block in 1usize..200,
        order in prop::collection::vec(0usize..100, 8),
    ) {
        let whole = aggregate_of(&[csv.as_bytes()]);
        // Chunks cut anywhere.
        let b = csv.as_bytes();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (b.len() + 1)).collect();
        cuts.sort_unstable();
        let mut chunks = Vec::new();
        let mut prev = 0;
        for c in cuts {
            chunks.push(&b[prev..c]);
            prev = c;
        }
        chunks.push(&b[prev..]);
        prop_assert_eq!(&aggregate_of(&chunks), &whole);
        // The parallel driver with tiny blocks.
        let ctx = context();
        let par = parallel::aggregate_blocks(b, "dossiers.csv", &ctx, false, jobs, block, &mut |_| {}).unwrap();
        prop_assert_eq!(&par, &whole);
        // Pieces (at record boundaries) aggregated apart and merged in any order.
        let body_start = b.iter().position(|c| *c == b'\n').map_or(b.len(), |i| i + 1);
        let header = &b[..body_start];
        let body = &b[body_start..];
        let piece_cuts = crate::tabular::scan::split_records(body, crate::tabular::scan::LineEnd::Lf, 4);
        let mut parts: Vec<DossierAggregate> = piece_cuts
            .windows(2)
            .map(|w| {
                let mut s = Scorer::new(options("2025-07"), context());
                s.push_csv(header).unwrap();
                s.push_csv(&body[w[0]..w[1]]).unwrap();
                s.into_aggregate().unwrap()
            })
            .collect();
        // Row numbers differ per piece (each starts after its own header), so compare counts only.
        let strip = |mut a: DossierAggregate| { a.clear_rejections(); a };
        let mut merged = DossierAggregate::new(&ctx);
        let mut k = 0;
        while !parts.is_empty() {
            let i = order[k % order.len()] % parts.len();
            merged.merge(strip(parts.remove(i)));
            k += 1;
        }
        prop_assert_eq!(merged, strip(whole.clone()));
        // Serde round trip.
        let json = serde_json::to_string(&whole).unwrap();
        let back: DossierAggregate = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &whole);
        // Scores from records stay within [0, max] and the total is the sum of the groups.
        let mut s = Scorer::new(options("2025-07"), context());
        s.push_csv(b).unwrap();
        let card = s.finish().unwrap();
        for u in &card.units {
            let mut total = 0;
            for g in &u.groups {
                let sum: i64 = g.metrics.iter().map(|m| m.score.0).sum();
                prop_assert_eq!(sum, g.score.0);
                for m in &g.metrics {
                    prop_assert!(m.score.0 >= 0 && m.score <= m.max);
                    prop_assert!(m.numerator <= m.denominator);
                }
                total += g.score.0;
            }
            prop_assert_eq!(total, u.total.0);
        }
    }
}

#[test]
fn push_jsonl_split_at_every_byte_equals_one_push() {
    let jsonl = "{\"dossier_id\":\"d1\",\"unit\":\"xa-a\",\"procedure\":\"P1\",\"received_at\":\"2025-07-01\"}\r\n\
                 oops\n\
                 {\"dossier_id\":\"d2\",\"unit\":\"xa-b\",\"procedure\":\"P2\",\"received_at\":\"2025-07-02\",\"channel\":\"online\"}";
    let run = |chunks: &[&[u8]]| {
        let mut s = Scorer::new(options("2025-07"), context());
        for c in chunks {
            s.push_jsonl(c).unwrap();
        }
        s.into_aggregate().unwrap()
    };
    let whole = run(&[jsonl.as_bytes()]);
    assert_eq!(whole.rejected().iter().map(|r| r.row).collect::<Vec<_>>(), [2]);
    let b = jsonl.as_bytes();
    for cut in 0..=b.len() {
        let (x, y) = b.split_at(cut);
        assert_eq!(run(&[x, y]), whole, "cut at {cut}");
    }
}

#[test]
fn the_parallel_driver_in_strict_mode_reports_the_first_bad_row() {
    let mut csv = HEADER.to_owned();
    for i in 0..200 {
        let unit = if i == 150 || i == 170 { "nowhere" } else { "xa-a" };
        csv.push_str(&row(i, unit, "P2", "2025-07-01", "", "", ""));
    }
    for jobs in 1..4 {
        let err =
            parallel::aggregate_blocks(csv.as_bytes(), "d.csv", &context(), true, jobs, 500, &mut |_| {}).unwrap_err();
        assert!(err.to_string().starts_with("d.csv: row 152, column `unit`"), "{err}");
        let agg =
            parallel::aggregate_blocks(csv.as_bytes(), "d.csv", &context(), false, jobs, 500, &mut |_| {}).unwrap();
        assert_eq!(agg.rejected().iter().map(|r| r.row).collect::<Vec<_>>(), [152, 172]);
    }
}

#[test]
fn decision_2022_scores_full_process_online_dossiers_from_records() {
    let csv = [
        HEADER.to_owned(),
        row(1, "xa-a", "P1", "2025-07-01", "", "", "online,,,1,,,,,,,,,"),
        row(2, "xa-a", "P1", "2025-07-01", "", "", "direct,,,1,,,,,,,,,"),
        row(3, "xa-a", "P2", "2025-07-01", "", "", "online,,,,,,,,,,,,"),
    ]
    .concat();
    let mut s = Scorer::new(ScoreOptions { profile: Profile::decision_2022(), ..options("2025-07") }, context());
    s.push_csv(csv.as_bytes()).unwrap();
    let card = s.finish().unwrap();
    assert_eq!(card.profile, "decision-2022");
    let xa = card.units.iter().find(|u| u.unit == "xa-a").unwrap();
    let dvct = xa.groups.iter().find(|g| g.code == "DVCT").unwrap();
    assert_eq!(
        (dvct.metrics[0].code.as_str(), dvct.metrics[0].numerator, dvct.metrics[0].denominator),
        ("FULL_ONLINE_DOSSIERS", 1, 2)
    );
    assert_eq!(dvct.metrics[0].score, crate::exact::Hundredths(600));
    // No feedback file: the feedback metrics are missing, score nothing, and nothing moves.
    let mdhl = xa.groups.iter().find(|g| g.code == "MDHL").unwrap();
    assert_eq!(mdhl.metrics[2].max, crate::exact::Hundredths(600));
    assert_eq!(mdhl.score, mdhl.metrics[2].score);
    assert_eq!(mdhl.metrics[0].status, super::MetricStatus::Missing);
    assert!(!xa.complete);
}

#[test]
fn bindings_can_move_scorers_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Scorer>();
    send_sync::<DossierAggregate>();
    send_sync::<RecordContext>();
    send_sync::<Scorecard>();
}

/// Rows without quotes, so that splitting at commas gives the scanner's fields.
fn arb_plain_csv() -> impl Strategy<Value = String> {
    arb_csv().prop_map(|csv| csv.lines().filter(|l| !l.contains('"')).map(|l| format!("{l}\n")).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The one classification (`classify_dossier`, what explain lists and derive counts) adds up
    /// to the aggregate's counters record by record.
    #[test]
    fn the_shared_classification_adds_up_to_the_counts(csv in arb_plain_csv()) {
        let whole = aggregate_of(&[csv.as_bytes()]);
        let mut reader = DossierAggregate::new(&context());
        let mut sums = [0u64; aggregate::counter::N];
        for line in csv.lines().skip(1) {
            let fields: Vec<&[u8]> = line.split(',').map(|f| f.trim().as_bytes()).collect();
            let Ok(fields) = <[&[u8]; records::DOSSIER_FIELDS]>::try_from(fields) else { continue };
            if let Ok((_, c)) = reader.classify_dossier(&fields) {
                for (i, s) in sums.iter_mut().enumerate() {
                    *s += u64::from((c.mask >> i) & 1);
                }
            }
        }
        let totals = whole.counter_totals();
        for c in 0..aggregate::counter::REJECTED_DOSSIERS as usize {
            prop_assert_eq!(sums[c], totals[c], "counter {}", c);
        }
    }
}
