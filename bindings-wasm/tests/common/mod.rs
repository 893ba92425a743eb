//! Tests shared by the Node and the browser suites: each suite runs all of them in its engine.

use chiso_wasm::{
    BytesInput, CountsInput, EvaluateInput, PortalFilesInput, Scorer766, Scorer766Options, builtin_plan,
    builtin_plan_json, derive_observations, evaluate, evaluate_json, explain_indicator, portal_check,
    portal_check_json, portal_import, portal_import_json, report_by_role, report_by_role_json, score_counts,
    score_counts_json, units, version,
};
use js_sys::{Array, JSON, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

pub const UNITS: &str = include_str!("../fixtures/small/units.csv");
pub const OBSERVATIONS: &str = include_str!("../fixtures/small/observations.csv");

/// The golden vectors shared with the Rust and C suites (`core/tests/golden/evaluate/`), compiled in
/// so that the browser, which has no file system, runs them too.
macro_rules! golden {
    ($($case:literal),*) => {
        &[$((
            $case,
            include_str!(concat!("../../../core/tests/golden/evaluate/", $case, "/units.csv")),
            include_str!(concat!("../../../core/tests/golden/evaluate/", $case, "/observations.csv")),
            include_str!(concat!("../../../core/tests/golden/evaluate/", $case, "/as_of")),
            include_str!(concat!("../../../core/tests/golden/evaluate/", $case, "/expected.json")),
        )),*]
    };
}
const GOLDEN: &[(&str, &str, &str, &str, &str)] = golden!("sample-town", "boundaries");

fn object(pairs: &[(&str, JsValue)]) -> EvaluateInput {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.unchecked_into()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

fn small_input() -> EvaluateInput {
    object(&[("unitsCsv", UNITS.into()), ("observationsCsv", OBSERVATIONS.into()), ("asOf", "2026-11-28".into())])
}

/// The error thrown by a failed call: a `ChisoError`, which is an `Error` with a `code`.
fn code_of(err: JsValue) -> String {
    assert!(err.is_instance_of::<js_sys::Error>(), "not an Error: {err:?}");
    assert_eq!(get(&err, "name").as_string().as_deref(), Some("ChisoError"));
    get(&err, "code").as_string().unwrap()
}

pub fn version_is_the_crate_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

pub fn builtin_plan_is_an_object_equal_to_its_json() {
    let plan: JsValue = builtin_plan().unwrap().into();
    assert_eq!(get(&plan, "id").as_string(), Some(chiso::builtin::builtin_plan().id));
    let indicators = Array::from(&get(&plan, "indicators"));
    assert!(indicators.length() > 10);
    let reparsed = JSON::stringify(&plan).unwrap().as_string().unwrap();
    let native: serde_json::Value = serde_json::from_str(&builtin_plan_json()).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&reparsed).unwrap(), native);
}

pub fn golden_evaluation_is_byte_identical() {
    for (case, units, observations, as_of, expected) in GOLDEN {
        let input = object(&[
            ("unitsCsv", (*units).into()),
            ("observationsCsv", (*observations).into()),
            ("asOf", as_of.trim().into()),
        ]);
        assert!(evaluate_json(input).unwrap() == *expected, "{case}: output differs from expected.json");
    }
}

pub fn evaluate_returns_the_parsed_document() {
    let doc: JsValue = evaluate(small_input()).unwrap().into();
    assert_eq!(get(&doc, "as_of").as_string().as_deref(), Some("2026-11-28"));
    let results = Array::from(&get(&doc, "results"));
    assert!(results.length() > 0);
    let first = results.get(0);
    for key in ["unit", "indicator", "period", "numerator", "denominator", "percent", "status", "gap", "deadline"] {
        assert!(Reflect::has(&first, &JsValue::from_str(key)).unwrap(), "missing {key}");
    }
    // Rejected rows are data, not exceptions.
    let rejected = Array::from(&get(&doc, "rejected"));
    assert!(rejected.length() >= 1);
    assert!(get(&rejected.get(0), "reason").as_string().is_some());
}

pub fn bytes_and_text_give_the_same_result() {
    let bytes = Uint8Array::from(OBSERVATIONS.as_bytes());
    let input = object(&[
        ("unitsCsv", Uint8Array::from(UNITS.as_bytes()).into()),
        ("observationsCsv", bytes.into()),
        ("asOf", "2026-11-28".into()),
    ]);
    assert_eq!(evaluate_json(input).unwrap(), evaluate_json(small_input()).unwrap());
}

pub fn plan_may_be_an_object_or_text() {
    let plan: JsValue = builtin_plan().unwrap().into();
    let with_object =
        object(&[("plan", plan), ("observationsCsv", OBSERVATIONS.into()), ("asOf", "2026-11-28".into())]);
    let with_text = object(&[
        ("plan", builtin_plan_json().into()),
        ("observationsCsv", OBSERVATIONS.into()),
        ("asOf", "2026-11-28".into()),
    ]);
    let without = object(&[("observationsCsv", OBSERVATIONS.into()), ("asOf", "2026-11-28".into())]);
    let a = evaluate_json(with_object).unwrap();
    assert_eq!(a, evaluate_json(with_text).unwrap());
    assert_eq!(a, evaluate_json(without).unwrap());
}

pub fn as_of_defaults_to_today_in_vietnam() {
    let doc: JsValue = evaluate(object(&[("observationsCsv", OBSERVATIONS.into())])).unwrap().into();
    let as_of = get(&doc, "as_of").as_string().unwrap();
    let now = js_sys::Date::new_0();
    let vn = js_sys::Date::new(&JsValue::from_f64(now.get_time() + 7.0 * 3600.0 * 1000.0));
    let iso = vn.to_iso_string().as_string().unwrap();
    assert_eq!(as_of, iso[..10]);
}

pub fn misuse_throws_chiso_errors_with_codes() {
    let cases: Vec<(EvaluateInput, &str)> = vec![
        (object(&[]), "invalid_argument"),
        (JsValue::from_str("observations").unchecked_into(), "invalid_argument"),
        (object(&[("observationsCsv", JsValue::from_f64(3.0))]), "invalid_argument"),
        (object(&[("observationsCsv", OBSERVATIONS.into()), ("asOf", "28/11/2026".into())]), "invalid_argument"),
        (
            object(&[("observationsCsv", "unit,period\nx,2025\n".into()), ("asOf", "2026-11-28".into())]),
            "missing_column",
        ),
        (object(&[("observationsCsv", OBSERVATIONS.into()), ("plan", "{".into())]), "bad_json"),
        (
            object(&[("observationsCsv", OBSERVATIONS.into()), ("asOf", "2026-11-28".into()), ("strict", true.into())]),
            "rejected_row",
        ),
        (
            object(&[
                ("observationsCsv", OBSERVATIONS.into()),
                ("asOf", "2026-11-28".into()),
                ("method", "cubic".into()),
            ]),
            "invalid_argument",
        ),
    ];
    for (input, code) in cases {
        let err = evaluate_json(input).unwrap_err();
        assert_eq!(code_of(err.into()), code);
    }
}

pub fn units_come_in_tree_order() {
    let list: JsValue = units(JsValue::from_str(UNITS).unchecked_into()).unwrap().into();
    let ids: Vec<String> =
        Array::from(&get(&list, "units")).iter().map(|u| get(&u, "id").as_string().unwrap()).collect();
    assert_eq!(ids, ["town", "khom-a", "khom-b"]);
    assert!(get(&Array::from(&get(&list, "units")).get(0), "parent").is_null());
}

// The sample town's records, from the shared golden case (core/tests/golden/score766).
const SAMPLE_UNITS: &str = include_str!("../../../core/tests/golden/score766/sample-town-records/units.csv");
const SAMPLE_PROCEDURES: &str = include_str!("../../../core/tests/golden/score766/sample-town-records/procedures.csv");
const SAMPLE_FEEDBACK: &str = include_str!("../../../core/tests/golden/score766/sample-town-records/feedback.csv");
const SAMPLE_COUNTS: &str = include_str!("../../../core/tests/golden/score766/sample-town-records/counts.json");
const SAMPLE_DOSSIERS: &[u8] = include_bytes!("../../../core/tests/golden/score766/sample-town-records/dossiers.csv");
const SCORECARD_2026_10: &str = include_str!("../../../core/tests/golden/score766/sample-town-records/expected.json");

fn scorer_options(pairs: &[(&str, JsValue)]) -> Scorer766Options {
    let o: JsValue = object(pairs).into();
    o.unchecked_into()
}

fn sample_scorer() -> Scorer766 {
    Scorer766::new(scorer_options(&[
        ("period", "2026-10".into()),
        ("unitsCsv", SAMPLE_UNITS.into()),
        ("proceduresCsv", Uint8Array::from(SAMPLE_PROCEDURES.as_bytes()).into()),
        ("feedbackCsv", SAMPLE_FEEDBACK.into()),
        ("countsJson", JSON::parse(SAMPLE_COUNTS).unwrap()),
    ]))
    .unwrap()
}

pub fn scorer766_streams_chunks_cut_anywhere_to_the_cli_scorecard() {
    for size in [1usize, 777, 65_536, 1 << 22] {
        let mut scorer = sample_scorer();
        for chunk in SAMPLE_DOSSIERS.chunks(size) {
            scorer.push_csv(chunk).unwrap();
        }
        assert!(scorer.finish_json().unwrap() == SCORECARD_2026_10, "chunks of {size}");
        drop(scorer);
    }
    let mut scorer = sample_scorer();
    scorer.push_csv(SAMPLE_DOSSIERS).unwrap();
    let card: JsValue = scorer.finish().unwrap().into();
    assert_eq!(get(&card, "period").as_string().as_deref(), Some("2026-10"));
    let units = Array::from(&get(&card, "units"));
    assert!(units.length() > 0);
    assert!(get(&units.get(0), "rank").as_f64().is_some());
}

pub fn scorer766_misuse_throws() {
    let mut scorer = sample_scorer();
    scorer.push_csv(SAMPLE_DOSSIERS).unwrap();
    scorer.finish_json().unwrap();
    assert_eq!(code_of(scorer.finish_json().unwrap_err().into()), "scorer_finished");
    assert_eq!(code_of(scorer.push_csv(b"x").unwrap_err().into()), "scorer_finished");
    let no_period = Scorer766::new(scorer_options(&[])).unwrap_err();
    assert_eq!(code_of(no_period.into()), "invalid_argument");
    let bad_profile =
        Scorer766::new(scorer_options(&[("period", "2026-10".into()), ("profile", "x".into())])).unwrap_err();
    assert_eq!(code_of(bad_profile.into()), "unknown_profile");
    let mut no_column = Scorer766::new(scorer_options(&[("period", "2026-10".into())])).unwrap();
    assert_eq!(
        code_of(
            no_column
                .push_csv(
                    b"dossier_id,unit
x,y
"
                )
                .unwrap_err()
                .into()
        ),
        "missing_column"
    );
    // A bad row is data: it comes back in `rejected`, the others are scored.
    let rejected_with = |extra: &[u8]| {
        let mut scorer = Scorer766::new(scorer_options(&[("period", "2026-10".into())])).unwrap();
        scorer.push_csv(SAMPLE_DOSSIERS).unwrap();
        scorer.push_csv(extra).unwrap();
        let card: JsValue = scorer.finish().unwrap().into();
        Array::from(&get(&card, "rejected"))
    };
    let before = rejected_with(b"").length();
    let after = rejected_with(b"bad,tt-phu-my,1.000001,2026-10-40,,,online,0,,0,0,0,0,0,0,0,0,0,\n");
    assert_eq!(after.length(), before + 1);
    let last = after.get(after.length() - 1);
    assert_eq!(get(&last, "column").as_string().as_deref(), Some("received_at"));
}

/// `explain` in the options: the records behind a number of the sample town, as many as its
/// scorecard's denominator − numerator; a metric from the counts file throws `invalid_argument`.
pub fn scorer766_explains_a_number() {
    let card: JsValue = {
        let mut scorer = sample_scorer();
        scorer.push_csv(SAMPLE_DOSSIERS).unwrap();
        scorer.finish().unwrap().into()
    };
    let unit = Array::from(&get(&card, "units")).get(0);
    let metrics = Array::from(&get(&Array::from(&get(&unit, "groups")).get(1), "metrics")).get(0);
    assert_eq!(get(&metrics, "code").as_string().as_deref(), Some("ON_TIME"));
    let (num, den) = (get(&metrics, "numerator").as_f64().unwrap(), get(&metrics, "denominator").as_f64().unwrap());
    let explain = |metric: &str, limit: Option<u32>| {
        let request = object(&[("unit", get(&unit, "unit")), ("metric", metric.into())]);
        if let Some(l) = limit {
            js_sys::Reflect::set(&request, &"limit".into(), &l.into()).unwrap();
        }
        Scorer766::new(scorer_options(&[
            ("period", "2026-10".into()),
            ("unitsCsv", SAMPLE_UNITS.into()),
            ("proceduresCsv", SAMPLE_PROCEDURES.into()),
            ("feedbackCsv", SAMPLE_FEEDBACK.into()),
            ("explain", request.into()),
        ]))
    };
    let mut scorer = explain("ON_TIME", Some(2)).unwrap();
    scorer.push_csv(SAMPLE_DOSSIERS).unwrap();
    let e: JsValue = scorer.explain().unwrap().into();
    assert_eq!(get(&e, "numerator").as_f64(), Some(num));
    assert_eq!(get(&e, "denominator").as_f64(), Some(den));
    assert_eq!(get(&e, "total_shortfall").as_f64(), Some(den - num));
    assert!(den - num >= 2.0);
    let items = Array::from(&get(&e, "items"));
    assert_eq!(items.length(), 2);
    assert!(get(&items.get(0), "reason").as_string().unwrap().starts_with("late_"));
    assert_eq!(code_of(scorer.explain_json().unwrap_err().into()), "scorer_finished");
    let refused = explain("PUBLISH_ON_TIME", None).unwrap_err();
    assert_eq!(code_of(refused.into()), "invalid_argument");
}

/// Two halves of the sample file saved as partials, loaded and merged: the golden scorecard. A
/// damaged or cut partial throws `partial_corrupt`, a partial of another period merged throws
/// `partial_mismatch`.
#[expect(clippy::indexing_slicing, reason = "a test fails by panicking")]
pub fn scorer766_partials_save_load_and_merge() {
    let text = std::str::from_utf8(SAMPLE_DOSSIERS).unwrap();
    let header_end = text.find('\n').unwrap() + 1;
    let middle = header_end + text[header_end..].len() / 2;
    let cut = middle + text[middle..].find('\n').unwrap() + 1;
    let (mut first, mut second) = (sample_scorer(), sample_scorer());
    first.push_csv(&SAMPLE_DOSSIERS[..cut]).unwrap();
    // The second half as a file of its own (a header, the first half's lines blank so that its
    // rows keep their numbers), with no feedback or counts of its own.
    let mut rest = Scorer766::new(scorer_options(&[
        ("period", "2026-10".into()),
        ("unitsCsv", SAMPLE_UNITS.into()),
        ("proceduresCsv", SAMPLE_PROCEDURES.into()),
    ]))
    .unwrap();
    rest.push_csv(&SAMPLE_DOSSIERS[..header_end]).unwrap();
    rest.push_csv("\n".repeat(text[header_end..cut].matches('\n').count()).as_bytes()).unwrap();
    rest.push_csv(&SAMPLE_DOSSIERS[cut..]).unwrap();
    let (a, b) = (first.save().unwrap(), rest.save().unwrap());
    assert_eq!(&a[..8], b"CHISOPRT");
    let mut merged = Scorer766::load(&a).unwrap();
    merged.merge(&mut Scorer766::load(&b).unwrap()).unwrap();
    assert!(merged.finish_json().unwrap() == SCORECARD_2026_10, "merged partials");
    // Saving leaves the scorer usable.
    second.push_csv(SAMPLE_DOSSIERS).unwrap();
    let whole = second.save().unwrap();
    assert!(second.finish_json().unwrap() == SCORECARD_2026_10);
    assert!(Scorer766::load(&whole).unwrap().finish_json().unwrap() == SCORECARD_2026_10, "loaded");
    let mut damaged = whole.clone();
    let at = damaged.len() / 2;
    damaged[at] ^= 1;
    assert_eq!(code_of(Scorer766::load(&damaged).unwrap_err().into()), "partial_corrupt");
    assert_eq!(code_of(Scorer766::load(&whole[..whole.len() - 1]).unwrap_err().into()), "partial_corrupt");
    let mut version = whole.clone();
    version[8] = 9;
    assert_eq!(code_of(Scorer766::load(&version).unwrap_err().into()), "partial_version");
    let other = Scorer766::new(scorer_options(&[("period", "2026-09".into())])).unwrap().save().unwrap();
    let mut mine = Scorer766::load(&whole).unwrap();
    let refused = mine.merge(&mut Scorer766::load(&other).unwrap()).unwrap_err();
    assert_eq!(code_of(refused.into()), "partial_mismatch");
    assert!(mine.finish_json().unwrap() == SCORECARD_2026_10, "unchanged by the refused merge");
}

/// The same misuse and the same refused counts file give the codes libchiso's suite checks
/// (`test_scorer.c`, `chiso_status_name`): both come from the core session.
pub fn scorer766_codes_are_libchisos() {
    let july = r#"{ "period": "2026-07", "units": [] }"#;
    let refused = Scorer766::new(scorer_options(&[("period", "2026-08".into()), ("countsJson", july.into())]));
    assert_eq!(code_of(refused.unwrap_err().into()), "invalid_input");
    let mut scorer = Scorer766::new(scorer_options(&[("period", "2026-08".into())])).unwrap();
    let counts: CountsInput = JsValue::from_str(july).unchecked_into();
    assert_eq!(code_of(scorer.load_counts_json(counts).unwrap_err().into()), "invalid_input");
    // Pushing nothing does not end the loading phase; loading units twice is misuse.
    scorer.push_csv(b"").unwrap();
    let units = || -> BytesInput { JsValue::from_str(SAMPLE_UNITS).unchecked_into() };
    scorer.load_units_csv(units()).unwrap();
    assert_eq!(code_of(scorer.load_units_csv(units()).unwrap_err().into()), "misuse");
}

pub fn score_counts_takes_text_or_objects() {
    let text: CountsInput = JsValue::from_str(SAMPLE_COUNTS).unchecked_into();
    let json = score_counts_json(text.clone(), None, None).unwrap();
    let object: CountsInput = JSON::parse(SAMPLE_COUNTS).unwrap().unchecked_into();
    assert_eq!(json, score_counts_json(object, Some("portal-2026".into()), None).unwrap());
    let card: JsValue = score_counts(text.clone(), Some("decision-2022".into()), None).unwrap().into();
    assert_eq!(get(&card, "profile").as_string().as_deref(), Some("decision-2022"));
    assert_eq!(code_of(score_counts(text, Some("x".into()), None).unwrap_err().into()), "unknown_profile");
    let bad: CountsInput = JsValue::from_str("{").unchecked_into();
    assert_eq!(code_of(score_counts(bad, None, None).unwrap_err().into()), "bad_json");
}

/// The shared Decision 766 golden vectors (`core/tests/golden/score766/`): records cases streamed
/// through `Scorer766` (the dossiers in two chunks, as the C suite does), and the counts case.
macro_rules! golden766_records {
    ($case:literal, $profile:expr) => {
        (
            $case,
            $profile,
            include_str!(concat!("../../../core/tests/golden/score766/", $case, "/period")),
            include_str!(concat!("../../../core/tests/golden/score766/", $case, "/units.csv")),
            include_str!(concat!("../../../core/tests/golden/score766/", $case, "/procedures.csv")),
            include_str!(concat!("../../../core/tests/golden/score766/", $case, "/feedback.csv")),
            include_str!(concat!("../../../core/tests/golden/score766/", $case, "/counts.json")),
            include_bytes!(concat!("../../../core/tests/golden/score766/", $case, "/dossiers.csv")).as_slice(),
            include_str!(concat!("../../../core/tests/golden/score766/", $case, "/expected.json")),
        )
    };
}

type RecordsCase = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [u8],
    &'static str,
);

const GOLDEN766_RECORDS: [RecordsCase; 2] = [
    golden766_records!("sample-town-records", None),
    golden766_records!(
        "sample-town-decision-2022",
        Some(include_str!("../../../core/tests/golden/score766/sample-town-decision-2022/profile"))
    ),
];

pub fn shared_score766_golden_vectors_are_byte_identical() {
    for (case, profile, period, units, procedures, feedback, counts, dossiers, expected) in GOLDEN766_RECORDS {
        let mut pairs = vec![
            ("period", JsValue::from_str(period.trim())),
            ("unitsCsv", units.into()),
            ("proceduresCsv", procedures.into()),
            ("feedbackCsv", feedback.into()),
            ("countsJson", counts.into()),
        ];
        if let Some(p) = profile {
            pairs.push(("profile", p.trim().into()));
        }
        let mut scorer = Scorer766::new(scorer_options(&pairs)).unwrap();
        let (first, second) = dossiers.split_at(dossiers.len() / 2);
        scorer.push_csv(first).unwrap();
        scorer.push_csv(second).unwrap();
        assert!(scorer.finish_json().unwrap() == expected, "{case}: output differs from expected.json");
    }
    let counts: CountsInput =
        JsValue::from_str(include_str!("../../../core/tests/golden/score766/worked-example/counts.json"))
            .unchecked_into();
    let expected = include_str!("../../../core/tests/golden/score766/worked-example/expected.json");
    assert!(
        score_counts_json(counts, None, None).unwrap() == expected,
        "worked-example: output differs from expected.json"
    );
}

/// The captured portal responses (Phú Thọ, month 8/2026, every procedure), compiled in so that
/// the browser, which has no file system, runs them too.
macro_rules! portal_view {
    ($($endpoint:literal),*) => {
        [$(($endpoint, include_str!(concat!("../../../core/tests/portal/phu-tho-2026-08/all/", $endpoint, "/month.json")))),*]
    };
}
const PORTAL_ALL: [(&str, &str); 6] = portal_view!(
    "transparency",
    "dvc-progress-tree",
    "provide-online-tree",
    "dossier-digitized",
    "formality-online-payment-tree",
    "handling-satisfaction"
);

fn portal_object() -> PortalFilesInput {
    let o = Object::new();
    for (endpoint, json) in PORTAL_ALL {
        Reflect::set(&o, &JsValue::from_str(endpoint), &JsValue::from_str(json)).unwrap();
    }
    o.unchecked_into()
}

pub fn portal_check_reproduces_the_captured_month() {
    let report: JsValue = portal_check(portal_object(), Some("2026-08".into()), None).unwrap().into();
    assert_eq!(get(&report, "total").as_f64(), Some(3281.0));
    assert_eq!(get(&report, "reproduced").as_f64(), Some(3118.0));
    assert_eq!(get(&report, "disagreements").as_f64(), Some(0.0));
    assert_eq!(get(&report, "not_recomputable").as_f64(), Some(163.0));
    let text = portal_check_json(portal_object(), Some("2026-08".into()), Some("portal-2026".into())).unwrap();
    let files: Vec<chiso::api::PortalFile<'_>> =
        PORTAL_ALL.iter().map(|(e, j)| chiso::api::PortalFile::from((*e, j.as_bytes()))).collect();
    assert!(text == chiso::api::portal_check(files, "2026-08", None).unwrap().to_json(), "differs from the core's");
}

pub fn portal_import_takes_an_object_or_an_array() {
    let counts: JsValue = portal_import(portal_object(), Some("2026-08".into())).unwrap().into();
    let units = Array::from(&get(&counts, "units"));
    assert_eq!(units.length(), 164);
    let root_metrics = get(&units.get(0), "metrics");
    assert_eq!(get(&root_metrics, "E_CERTIFIED_COPY").as_string().as_deref(), Some("full"));
    // The same as an array of [endpoint, json] pairs and of { endpoint, json } objects (parsed).
    let pairs = Array::new();
    let objects = Array::new();
    for (endpoint, json) in PORTAL_ALL {
        pairs.push(&Array::of2(&JsValue::from_str(endpoint), &JsValue::from_str(json)));
        let o = Object::new();
        Reflect::set(&o, &"endpoint".into(), &JsValue::from_str(endpoint)).unwrap();
        Reflect::set(&o, &"json".into(), &JSON::parse(json).unwrap()).unwrap();
        objects.push(&o);
    }
    let expected = portal_import_json(portal_object(), Some("2026-08".into())).unwrap();
    assert!(portal_import_json(pairs.unchecked_into(), Some("2026-08".into())).unwrap() == expected);
    assert!(portal_import_json(objects.unchecked_into(), Some("2026-08".into())).unwrap() == expected);
}

pub fn portal_misuse_throws_chiso_errors_with_codes() {
    let o = Object::new();
    Reflect::set(&o, &"transparency".into(), &"{".into()).unwrap();
    let bad: PortalFilesInput = o.unchecked_into();
    assert_eq!(code_of(portal_import(bad.clone(), Some("2026-08".into())).unwrap_err().into()), "bad_json");
    assert_eq!(code_of(portal_import(bad.clone(), None).unwrap_err().into()), "invalid_argument");
    let unknown = Object::new();
    Reflect::set(&unknown, &"nope".into(), &"{}".into()).unwrap();
    let err = portal_check(unknown.unchecked_into(), Some("2026-08".into()), None).unwrap_err();
    assert_eq!(code_of(err.into()), "invalid_input");
    let not_files: PortalFilesInput = JsValue::from(3).unchecked_into();
    assert_eq!(code_of(portal_check(not_files, Some("2026-08".into()), None).unwrap_err().into()), "invalid_argument");
}

fn golden_sample_input(extra: &[(&str, JsValue)]) -> EvaluateInput {
    let (_, units, observations, as_of, _) = *GOLDEN.first().unwrap();
    let mut pairs =
        vec![("unitsCsv", units.into()), ("observationsCsv", observations.into()), ("asOf", as_of.trim().into())];
    pairs.extend(extra.iter().cloned());
    object(&pairs)
}

pub fn report_by_role_leads_each_role_with_what_needs_action() {
    let doc: JsValue = report_by_role(golden_sample_input(&[])).unwrap().into();
    let roles: Array = get(&doc, "roles").unchecked_into();
    assert_eq!(roles.length(), 7, "every role of the built-in plan");
    let police = roles.iter().find(|r| get(r, "id").as_string().as_deref() == Some("town_police")).unwrap();
    assert_eq!(get(&police, "attention").as_f64(), Some(6.0));
    let first = Array::from(&get(&police, "results")).get(0);
    assert_eq!(get(&first, "status").as_string().as_deref(), Some("off_track"));
    let text = report_by_role_json(golden_sample_input(&[])).unwrap();
    assert_eq!(JSON::stringify(&JSON::parse(&text).unwrap()).unwrap(), JSON::stringify(&doc).unwrap());
}

pub fn pro_rata_judges_the_open_year_against_the_share_elapsed() {
    let status_of = |doc: &JsValue| {
        let results: Array = get(doc, "results").unchecked_into();
        results
            .iter()
            .find(|r| {
                get(r, "unit").as_string().as_deref() == Some("tt-phu-my")
                    && get(r, "target").as_string().as_deref() == Some("staff_informed.yearly")
                    && get(r, "period").as_string().as_deref() == Some("2026")
            })
            .unwrap()
    };
    let plain: JsValue = evaluate(golden_sample_input(&[])).unwrap().into();
    assert_eq!(get(&status_of(&plain), "status").as_string().as_deref(), Some("in_progress"));
    let pro: JsValue = evaluate(golden_sample_input(&[("proRata", true.into())])).unwrap().into();
    let r = status_of(&pro);
    assert_eq!(get(&r, "status").as_string().as_deref(), Some("at_risk"));
    assert_eq!(get(&get(&r, "pro_rata"), "expected_numerator").as_f64(), Some(39.0));
}

const RECORDS: &str = "dossier_id,unit,procedure,received_at,channel\n\
    d1,khom-thi-1,P1,2026-03-10,online\n\
    d2,khom-thi-1,P1,2026-03-11,direct\n\
    d3,khom-thi-1,P1,2026-03-12,online\n";

/// Records beside the observations: derived values with their source, the observations
/// themselves, and the records behind the shortfall.
pub fn records_are_derived_explained_and_say_so() {
    let (_, units, ..) = *GOLDEN.first().unwrap();
    let empty: JsValue = "unit,indicator,period,numerator,denominator\n".into();
    let input = object(&[
        ("unitsCsv", units.into()),
        ("observationsCsv", empty),
        ("asOf", "2026-11-28".into()),
        ("dossiersCsv", RECORDS.into()),
    ]);
    let doc: JsValue = evaluate(input).unwrap().into();
    let results: Array = get(&doc, "results").unchecked_into();
    let r = results
        .iter()
        .find(|r| {
            get(r, "unit").as_string().as_deref() == Some("khom-thi-1")
                && get(r, "indicator").as_string().as_deref() == Some("dossiers_fully_online")
                && get(r, "period").as_string().as_deref() == Some("2026")
        })
        .unwrap();
    assert_eq!((get(&r, "numerator").as_f64(), get(&r, "denominator").as_f64()), (Some(2.0), Some(3.0)));
    assert_eq!(get(&r, "source").as_string().as_deref(), Some("derived"));
    assert_eq!(get(&r, "rule").as_string().as_deref(), Some("online_dossiers"));
    let derived: JsValue = derive_observations(
        object(&[("dossiersCsv", RECORDS.into()), ("from", "2026-01".into()), ("to", "2026-12".into())])
            .unchecked_into(),
    )
    .unwrap()
    .into();
    let first = Array::from(&get(&derived, "observations")).get(0);
    assert_eq!(get(&first, "source").as_string().as_deref(), Some("online_dossiers"));
    let ask = object(&[
        ("dossiersCsv", RECORDS.into()),
        ("unitsCsv", units.into()),
        ("indicator", "dossiers_fully_online".into()),
        ("unit", "tt-phu-my".into()),
        ("period", "2026".into()),
    ]);
    let shortfall: JsValue = explain_indicator(ask.unchecked_into()).unwrap().into();
    let items = Array::from(&get(&shortfall, "items"));
    assert_eq!(items.length(), 1);
    assert_eq!(get(&items.get(0), "reason").as_string().as_deref(), Some("not_online_channel"));
    let points = object(&[
        ("dossiersCsv", RECORDS.into()),
        ("indicator", "service_quality_improves".into()),
        ("unit", "k".into()),
        ("period", "2026".into()),
    ]);
    assert_eq!(code_of(explain_indicator(points.unchecked_into()).unwrap_err().into()), "invalid_argument");
}

/// One `#[wasm_bindgen_test]` per shared test, in the suite that expands it.
#[macro_export]
macro_rules! shared_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            fn $name() {
                common::$name();
            }
        )*
    };
}

const EXPORT_OBSERVATIONS_CSV: &str = include_str!("../../../core/tests/fixtures/exports/observations.csv");
const EXPORT_OBSERVATIONS_XLSX: &[u8] = include_bytes!("../../../core/tests/fixtures/exports/observations.xlsx");
const EXPORT_DOSSIERS_CSV: &[u8] = include_bytes!("../../../core/tests/fixtures/exports/dossiers.csv");
const EXPORT_DOSSIERS_XLSX: &[u8] = include_bytes!("../../../core/tests/fixtures/exports/dossiers.xlsx");

/// Real exports (exports.md): an observations workbook and a `;` export with a column map evaluate
/// as the canonical CSV; a dossier workbook read whole scores as its CSV; bad options throw.
pub fn input_options_read_real_exports() {
    let as_of: JsValue = "2026-11-28".into();
    let expected =
        evaluate_json(object(&[("observationsCsv", EXPORT_OBSERVATIONS_CSV.into()), ("asOf", as_of.clone())])).unwrap();
    let xlsx: JsValue = Uint8Array::from(EXPORT_OBSERVATIONS_XLSX).into();
    let got = evaluate_json(object(&[("observationsCsv", xlsx.clone()), ("asOf", as_of.clone())])).unwrap();
    assert!(got == expected);
    let sheet = JSON::parse(r#"{"sheet": "Số liệu", "header_row": 4}"#).unwrap();
    let got =
        evaluate_json(object(&[("observationsCsv", xlsx), ("asOf", as_of.clone()), ("inputOptions", sheet)])).unwrap();
    assert!(got == expected);
    let export = EXPORT_OBSERVATIONS_CSV.replace(',', ";").replacen("unit;", "DV;", 1).replace("k1;", "Khóm 1;");
    let map = r#"{"columns": {"unit": "DV"}, "values": {"unit": {"khóm 1": "k1"}}}"#;
    let got = evaluate_json(object(&[
        ("observationsCsv", export.into()),
        ("asOf", as_of.clone()),
        ("inputOptions", map.into()),
    ]))
    .unwrap();
    assert!(got == expected);
    let bad = JSON::parse(r#"{"columns": {"nowhere": "x"}}"#).unwrap();
    let err = evaluate_json(object(&[
        ("observationsCsv", EXPORT_OBSERVATIONS_CSV.into()),
        ("asOf", as_of),
        ("inputOptions", bad),
    ]))
    .unwrap_err();
    assert_eq!(code_of(err.into()), "invalid_input");

    let mut scorer = Scorer766::new(scorer_options(&[("period", "2026-08".into())])).unwrap();
    scorer.push_csv(EXPORT_DOSSIERS_CSV).unwrap();
    let expected = scorer.finish_json().unwrap();
    let mut scorer = Scorer766::new(scorer_options(&[
        ("period", "2026-08".into()),
        ("inputOptions", JSON::parse(r#"{"header_row": 3}"#).unwrap()),
    ]))
    .unwrap();
    let workbook: JsValue = Uint8Array::from(EXPORT_DOSSIERS_XLSX).into();
    scorer.read_dossiers(workbook.unchecked_into()).unwrap();
    assert!(scorer.finish_json().unwrap() == expected);
    // A workbook is not pushed in chunks.
    let mut scorer = Scorer766::new(scorer_options(&[("period", "2026-08".into())])).unwrap();
    assert_eq!(code_of(scorer.push_csv(EXPORT_DOSSIERS_XLSX).unwrap_err().into()), "misuse");
}

#[macro_export]
macro_rules! all_shared_tests {
    () => {
        $crate::shared_tests!(
            version_is_the_crate_version,
            builtin_plan_is_an_object_equal_to_its_json,
            golden_evaluation_is_byte_identical,
            evaluate_returns_the_parsed_document,
            bytes_and_text_give_the_same_result,
            plan_may_be_an_object_or_text,
            as_of_defaults_to_today_in_vietnam,
            misuse_throws_chiso_errors_with_codes,
            units_come_in_tree_order,
            scorer766_streams_chunks_cut_anywhere_to_the_cli_scorecard,
            scorer766_misuse_throws,
            scorer766_codes_are_libchisos,
            scorer766_partials_save_load_and_merge,
            score_counts_takes_text_or_objects,
            shared_score766_golden_vectors_are_byte_identical,
            portal_check_reproduces_the_captured_month,
            portal_import_takes_an_object_or_an_array,
            portal_misuse_throws_chiso_errors_with_codes,
            report_by_role_leads_each_role_with_what_needs_action,
            pro_rata_judges_the_open_year_against_the_share_elapsed,
            input_options_read_real_exports,
            scorer766_explains_a_number,
            records_are_derived_explained_and_say_so,
        );
    };
}
