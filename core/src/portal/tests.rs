//! The mapping of each endpoint's fields to chiso's metrics, the check's rules, and malformed
//! responses, on small hand-written responses (the captured month is in `tests/portal.rs`).

use super::*;
use crate::error::ErrorCode;
use crate::score766::Profile;

fn period() -> Period {
    "2026-08".parse().unwrap()
}

fn one(endpoint: &str, json: &str) -> Result<PortalImport, crate::input::InputError> {
    import([PortalFile::from((endpoint, json.as_bytes()))], period())
}

const LIST: &str = r#"{ "code": "OK", "data": {
  "overview": { "departmentId": "p", "departmentName": "Tỉnh", "departmentCode": "H1", "departmentType": "PROVINCE",
    "departmentLevel": "PROVINCE", "totalScore": 4.0, "averageScore": 3.5, "metrics": [
      { "code": "ORIGINAL_RESULT_AVAILABLE", "numerator": 1, "denominator": 3, "score": 2, "maxScore": 6 },
      { "code": "ELECTRONIC_CERTIFIED_COPY", "numerator": null, "denominator": null, "ratio": 100, "score": 2, "maxScore": 2 },
      { "code": "PETITION_CLASSIFICATION_TTHC", "numerator": 1, "denominator": 2, "score": null, "maxScore": 0 },
      { "code": "SO_HOA_GIAY_TO_GIAI_QUYET", "numerator": 0, "denominator": 0, "score": null, "maxScore": 4,
        "dataQualityStatus": "NO_NATIONAL_REPORT_DATA", "dataQualityMessage": "none" } ] },
  "evaluation": [
    { "departmentId": "c1", "departmentName": "Xã 1", "departmentType": "COMMUNE_PEOPLE_COMMITTEE",
      "departmentLevel": "COMMUNE", "totalScore": 5, "metrics": [
      { "code": "ORIGINAL_RESULT_AVAILABLE", "numerator": 1, "denominator": 2, "score": 3, "maxScore": 6 },
      { "code": "ELECTRONIC_CERTIFIED_COPY", "numerator": null, "denominator": null, "score": 2, "maxScore": 2 } ] },
    { "departmentId": "d1", "departmentName": "Sở", "departmentType": "PROVINCIAL_DEPARTMENT",
      "departmentLevel": "PROVINCE", "totalScore": 2, "metrics": [
      { "code": "ORIGINAL_RESULT_AVAILABLE", "numerator": 0, "denominator": 5, "score": 0, "maxScore": 6 },
      { "code": "ELECTRONIC_CERTIFIED_COPY", "numerator": null, "denominator": null, "score": 2, "maxScore": 2 } ] } ] } }"#;

#[test]
fn a_metric_list_maps_codes_levels_and_full_by_publication() {
    let import = one("dossier-digitized", LIST).unwrap();
    let codes: Vec<&str> = import.units.iter().map(|u| u.unit.as_str()).collect();
    assert_eq!(codes, ["p", "c1", "d1"]);
    let p = &import.units[0];
    assert_eq!((p.level.as_deref(), p.code.as_deref(), p.parent.as_deref()), (Some("province"), Some("H1"), None));
    assert_eq!(p.metrics["E_RESULT"], MetricValue::Counts(Ratio::new(1, 3)));
    assert_eq!(p.metrics["E_CERTIFIED_COPY"], MetricValue::Full);
    assert_eq!(p.metrics["DIGITIZED"], MetricValue::Counts(Ratio::new(0, 0)));
    assert_eq!(p.metrics.len(), 3, "the classification metric is not scored");
    assert_eq!(import.units[1].level.as_deref(), Some("commune"));
    assert_eq!(import.units[2].level.as_deref(), Some("agency"));
    assert_eq!(import.units[2].parent.as_deref(), Some("p"));
    let null = import.published.iter().find(|p| p.path == "data.overview.metrics[3].score").unwrap();
    assert_eq!(null.value, None);
    assert_eq!(import.notes.len(), 1);
    assert_eq!(import.notes[0].metric, "DIGITIZED");
    let json = import.counts_json();
    assert!(json.contains("\"E_CERTIFIED_COPY\": \"full\""), "{json}");
    // One line per metric, as formats.md writes counts.
    assert!(json.contains("\n        \"E_RESULT\": [1, 3]\n"), "{json}");
    assert!(json.contains("\"DIGITIZED\": [0, 0],\n"), "{json}");
    let counts = import.counts();
    assert!(counts.units[0].published.contains("E_CERTIFIED_COPY"));
    assert!(!counts.units[0].metrics.contains_key("E_CERTIFIED_COPY"));
    // The counts JSON reads back as the same counts.
    let back = crate::score766::Counts::from_json(json.as_bytes(), "c.json", true, &mut Vec::new()).unwrap();
    assert_eq!(back, counts);
}

#[test]
fn the_check_reads_null_as_zero_and_means_the_units_below() {
    let import = one("dossier-digitized", LIST).unwrap();
    let report = check(&import, &Profile::portal_2026());
    let at = |path: &str| report.items.iter().find(|i| i.published.path == path).unwrap();
    // 6 · 1/3 = 2, a null score with 0 / 0 is 0, full by publication is 2: the group is 4.
    assert_eq!(at("data.overview.totalScore").outcome, Outcome::Reproduced);
    assert_eq!(at("data.overview.metrics[3].score").outcome, Outcome::Reproduced);
    // The units below score 3 + 2 = 5 and 0 + 2 = 2: their mean is 3.50.
    let average = at("data.overview.averageScore");
    assert_eq!((average.outcome, average.computed), (Outcome::Reproduced, Some(Hundredths(350))));
    assert_eq!(report.disagreements, 0);
    assert_eq!(report.summary(crate::labels::Lang::En), "11 of 11 published values reproduced, 0 not recomputable");
    // A wrong published score is a disagreement with the counts behind it.
    let wrong = LIST.replace("\"totalScore\": 5,", "\"totalScore\": 5.01,");
    let report = check(&one("dossier-digitized", &wrong).unwrap(), &Profile::portal_2026());
    let bad: Vec<&CheckItem> = report.items.iter().filter(|i| i.outcome == Outcome::Disagreement).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!((bad[0].published.value, bad[0].computed), (Some(Hundredths(501)), Some(Hundredths(500))));
    assert_eq!(bad[0].counts["E_RESULT"], MetricValue::Counts(Ratio::new(1, 2)));
    assert_eq!(bad[0].counts["E_CERTIFIED_COPY"], MetricValue::Full);
    // The average is of the recomputed scores: it still agrees.
    assert_eq!(report.disagreements, 1);
    assert!(report.render(crate::labels::Lang::En, false).contains("E_CERTIFIED_COPY full, E_RESULT 1/2"));
}

const TREE: &str = r#"{ "code": "OK", "data": {
  "parent": { "departmentId": "p", "departmentName": "Tỉnh", "totalScore": 8.83, "authorityCount": 56,
    "partialCount": 31, "fullCount": 21, "onlineDossierCount": 406, "onlineServiceTotal": 1968,
    "channelOnlineSum": 150956, "channelTotalSum": 152595 },
  "children": [ { "departmentId": "c", "level": "COMMUNE", "totalScore": 6.48 } ] } }"#;

#[test]
fn a_tree_maps_named_counts_and_a_score_alone_is_not_recomputable() {
    let import = one("provide-online-tree", TREE).unwrap();
    let p = &import.units[0];
    assert_eq!(p.metrics["ONLINE_PROCEDURES"], MetricValue::Counts(Ratio::new(52, 56)));
    assert_eq!(p.metrics["ONLINE_SERVICES_USED"], MetricValue::Counts(Ratio::new(406, 1968)));
    assert_eq!(p.metrics["ONLINE_DOSSIERS"], MetricValue::Counts(Ratio::new(150_956, 152_595)));
    assert!(import.units[1].metrics.is_empty());
    let report = check(&import, &Profile::portal_2026());
    let outcomes: Vec<Outcome> = report.items.iter().map(|i| i.outcome).collect();
    assert_eq!(outcomes, [Outcome::Reproduced, Outcome::NotRecomputable]);
    assert_eq!(report.items[0].computed, Some(Hundredths(883)));
}

#[test]
fn payment_is_scored_in_the_portals_arithmetic() {
    let json = r#"{ "data": { "parent": { "departmentId": "p", "totalScore": 5.19,
        "totalDossierOnlinePaymentSuccess": 745, "totalDossierFinancialObligation": 1133,
        "totalDossierOnlineFormalityPaymentSuccess": 9, "totalFeeDossierFormality": 7, "totalFeeFormality": 32 },
        "children": [] } }"#;
    let import = one("formality-online-payment-tree", json).unwrap();
    let report = check(&import, &Profile::portal_2026());
    // The exact rule gives 3.95 + 0.70 + 0.55 = 5.20; the portal 3.94 + 0.70 + 0.55.
    assert_eq!(report.items[0].computed, Some(Hundredths(519)));
    assert_eq!(report.items[0].outcome, Outcome::Reproduced);
    assert_eq!(report.items[0].method, Some(check::Method::PortalPaymentArithmetic));
    // It is the profile's rule: the scorer gives the same.
    let card = crate::score766::score(&Profile::portal_2026(), &import.counts(), Vec::new());
    assert_eq!(card.units[0].groups[4].score, Hundredths(519));
    let mut exact = Profile::portal_2026();
    for m in &mut exact.metrics {
        m.arithmetic = crate::score766::Arithmetic::Exact;
    }
    assert_eq!(crate::score766::score(&exact, &import.counts(), Vec::new()).units[0].groups[4].score, Hundredths(520));
    let report = check(&import, &exact);
    assert_eq!((report.items[0].outcome, report.items[0].method), (Outcome::Disagreement, Some(check::Method::Exact)));
}

#[test]
fn malformed_responses_name_the_file_and_the_place() {
    let cases: [(&str, &str, &str); 9] = [
        ("transparency", "{\"data\": ", "transparency: line 1, column 9: EOF while parsing a value"),
        ("transparency", "[]", "transparency: at `$`: expected a JSON object, found `[]`"),
        (
            "transparency",
            r#"{"code": "ERR", "data": {}}"#,
            "transparency: at `code`: the portal answered `\"ERR\"`, not `OK`",
        ),
        ("transparency", r#"{"data": {"parent": {}}}"#, "at `data`: unknown response shape"),
        (
            "transparency",
            r#"{"data": {"overview": {"departmentId": "p"}, "evaluation": {}}}"#,
            "at `data.evaluation`: expected a JSON list, found `{}`",
        ),
        (
            "dvc-progress-tree",
            r#"{"data": {"parent": {"departmentId": "p", "totalOnTime": 1.5}, "children": []}}"#,
            "at `data.parent.totalOnTime`: expected a non-negative whole number, found `1.5`",
        ),
        (
            "transparency",
            r#"{"data": {"overview": {"departmentId": "p", "totalScore": 1.234}, "evaluation": []}}"#,
            "at `data.overview.totalScore`: expected a non-negative score with at most two decimals, found `1.234`",
        ),
        (
            "transparency",
            r#"{"data": {"overview": {"departmentId": "p"}, "evaluation": [{"departmentId": "c"}, {"departmentId": "c"}]}}"#,
            "at `data.evaluation[1].departmentId`: unit `c` appears twice in the file",
        ),
        ("nope", "{}", "nope: unknown endpoint `nope`; expected one of: transparency, dvc-progress-tree"),
    ];
    for (endpoint, json, expected) in cases {
        let err = one(endpoint, json).unwrap_err();
        assert!(err.to_string().contains(expected), "{endpoint} {json}: {err}");
        let code = err.code();
        assert!(code == ErrorCode::BadJson || code == ErrorCode::InvalidInput, "{err}: {code}");
    }
    let missing = one("transparency", r#"{"data": {"overview": {"departmentName": "x"}, "evaluation": []}}"#);
    assert!(missing.unwrap_err().to_string().contains("at `data.overview.departmentId`: the value is missing"));
    let twice = [PortalFile::from(("transparency", &b"{}"[..])), PortalFile::from(("transparency", &b"{}"[..]))];
    let err = import(twice, period());
    assert!(err.unwrap_err().to_string().contains("at `data`: the value is missing"));
    let ok = r#"{"data": {"overview": {"departmentId": "p"}, "evaluation": []}}"#.as_bytes();
    let twice = [PortalFile::from(("transparency", ok)), PortalFile::from(("transparency", ok))];
    assert!(import(twice, period()).unwrap_err().to_string().contains("endpoint `transparency` is given twice"));
    assert!(import([], period()).unwrap_err().to_string().contains("no portal response files"));
    // Vietnamese too.
    let err = crate::Error::from(one("transparency", "[]").unwrap_err());
    assert_eq!(err.message_in(crate::labels::Lang::Vi), "transparency: tại `$`: cần một đối tượng JSON, có `[]`");
}

#[test]
fn a_scored_metric_chiso_does_not_know_is_published_not_recomputable() {
    let json = LIST.replace(
        "PETITION_CLASSIFICATION_TTHC\", \"numerator\": 1, \"denominator\": 2, \"score\": null, \"maxScore\": 0",
        "NEW_METRIC\", \"numerator\": 1, \"denominator\": 2, \"score\": 1, \"maxScore\": 2",
    );
    let report = check(&one("dossier-digitized", &json).unwrap(), &Profile::portal_2026());
    let new = report.items.iter().find(|i| i.published.code == "NEW_METRIC").unwrap();
    assert_eq!(new.outcome, Outcome::NotRecomputable);
    // The root's group (4 published, 4 without it) still agrees: the group is what chiso knows.
    assert_eq!(report.disagreements, 0);
}
