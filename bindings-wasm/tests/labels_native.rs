//! The label catalogue as the package hands it to a page: every key of the core's catalogue is
//! there in both languages, and the TypeScript types name exactly those keys.
#![cfg(not(target_arch = "wasm32"))]
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use chiso::labels::{ConfidenceLabel, GroupLabel, MetricLabel, ReasonLabel, StatusLabel, Word};
use chiso_wasm::labels_json;

/// The quoted names of the TypeScript union `name` in types.d.ts.
fn ts_union(name: &str) -> Vec<String> {
    let types = include_str!("../src/types.d.ts");
    let start = types.find(&format!("export type {name} =")).unwrap();
    let body = &types[start..];
    let body = &body[body.find('=').unwrap() + 1..body.find(';').unwrap()];
    body.split('|').map(|s| s.trim().trim_matches('"').to_owned()).filter(|s| !s.is_empty()).collect()
}

#[test]
fn every_section_is_exported_in_both_languages() {
    for lang in ["vi", "en"] {
        let v: serde_json::Value = serde_json::from_str(&labels_json(Some(lang)).unwrap()).unwrap();
        assert_eq!(v["lang"], lang);
        let sections: [(&str, Vec<&str>); 6] = [
            ("status", StatusLabel::ALL.iter().map(|l| l.key()).collect()),
            ("reason", ReasonLabel::ALL.iter().map(|l| l.key()).collect()),
            ("confidence", ConfidenceLabel::ALL.iter().map(|l| l.key()).collect()),
            ("metric", MetricLabel::ALL.iter().map(|l| l.key()).collect()),
            ("group", GroupLabel::ALL.iter().map(|l| l.key()).collect()),
            ("word", Word::ALL.iter().map(|l| l.key()).collect()),
        ];
        for (section, keys) in sections {
            let map = v[section].as_object().unwrap();
            assert_eq!(map.len(), keys.len(), "{section}");
            for k in keys {
                assert!(map[k].as_str().is_some_and(|t| !t.is_empty()), "{lang} {section} {k}");
            }
        }
    }
    assert_eq!(labels_json(None).unwrap(), labels_json(Some("vi")).unwrap());
    assert_eq!(labels_json(Some("fr")).unwrap_err().code, "invalid_argument");
}

#[test]
fn the_typescript_unions_name_every_key() {
    let of = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(ts_union("Status"), of(StatusLabel::ALL.iter().map(|l| l.key()).collect()));
    assert_eq!(ts_union("ReasonCode"), of(ReasonLabel::ALL.iter().map(|l| l.key()).collect()));
    assert_eq!(ts_union("MetricCode766"), of(MetricLabel::ALL.iter().map(|l| l.key()).collect()));
    assert_eq!(ts_union("GroupKey766"), of(GroupLabel::ALL.iter().map(|l| l.key()).collect()));
    assert_eq!(ts_union("WordKey"), of(Word::ALL.iter().map(|l| l.key()).collect()));
    let mut confidence = ts_union("Confidence");
    confidence.sort();
    let mut expected = of(ConfidenceLabel::ALL.iter().map(|l| l.key()).collect());
    expected.sort();
    assert_eq!(confidence, expected);
}

#[test]
fn reasons_and_rejections_in_the_page_language() {
    use chiso_wasm::{localized, rejection_text_json};
    let reason = "11 is above the denominator 10";
    assert_eq!(localized(reason, None).unwrap(), "11 lớn hơn mẫu số 10");
    assert_eq!(localized(reason, Some("en")).unwrap(), reason);
    assert_eq!(localized("something else", Some("vi")).unwrap(), "something else");
    assert_eq!(localized(reason, Some("fr")).unwrap_err().code, "invalid_argument");
    let message = "obs.csv: the header has no `indicator` column";
    assert_eq!(localized(message, Some("vi")).unwrap(), "obs.csv: dòng tiêu đề không có cột `indicator`");
    let json = br#"{"source":"obs.csv","row":3,"column":"numerator","reason":"11 is above the denominator 10"}"#;
    assert_eq!(
        rejection_text_json(json, Some("vi")).unwrap(),
        "obs.csv: dòng 3, cột `numerator`: 11 lớn hơn mẫu số 10"
    );
    assert_eq!(
        rejection_text_json(json, Some("en")).unwrap(),
        "obs.csv: row 3, column `numerator`: 11 is above the denominator 10"
    );
    assert_eq!(rejection_text_json(b"{}", None).unwrap_err().code, "invalid_argument");
}
