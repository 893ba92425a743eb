//! A Decision 766 series over generated dossiers: the records read once, every period's
//! scorecard byte for byte the one a session of that period alone gives (months and quarters,
//! bad rows, records outside the range, feedback, a counts file for some periods only).
#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "a test: a failure is a panic")]

use chiso::api::{RecordFormat, Score766Builder};
use chiso::period::Period;
use chiso_tools::generate::{Generator, GeneratorConfig};

struct Inputs {
    units: Vec<u8>,
    procedures: Vec<u8>,
    dossiers: Vec<u8>,
    /// The length of `dossiers` before two rows were repeated at its end.
    without_repeats: usize,
    feedback: Vec<u8>,
}

fn generate(period: Period, dossiers: u64, bad_row_fraction: f64) -> Inputs {
    let config = GeneratorConfig {
        seed: 7,
        bad_row_fraction,
        outside_period_fraction: 0.02,
        ..GeneratorConfig::new(dossiers, period)
    };
    let g = Generator::new(config);
    let mut inputs = Inputs {
        units: Vec::new(),
        procedures: Vec::new(),
        dossiers: Vec::new(),
        without_repeats: 0,
        feedback: Vec::new(),
    };
    g.write_units(&mut inputs.units).unwrap();
    g.write_procedures(&mut inputs.procedures).unwrap();
    g.write_dossiers(&mut inputs.dossiers).unwrap();
    g.write_feedback(&mut inputs.feedback).unwrap();
    // Two dossiers given twice: their warnings are in every period's scorecard, as alone.
    inputs.without_repeats = inputs.dossiers.len();
    let text = String::from_utf8(inputs.dossiers.clone()).unwrap();
    for line in text.lines().skip(5).step_by(1000).take(2) {
        inputs.dossiers.extend_from_slice(line.as_bytes());
        inputs.dossiers.push(b'\n');
    }
    inputs
}

/// Publication counts for the province's first unit (and one unknown unit) in `period`.
fn counts(units_csv: &[u8], period: &str) -> String {
    let text = String::from_utf8_lossy(units_csv);
    let first = text.lines().nth(1).and_then(|l| l.split(',').next()).unwrap();
    format!(
        r#"{{ "period": "{period}", "units": [
            {{ "unit": "{first}", "metrics": {{ "PUBLISH_ON_TIME": [3, 4], "E_CERTIFIED_COPY": [1, 2] }} }},
            {{ "unit": "not-a-unit", "metrics": {{ "PUBLISH_ON_TIME": [1, 1] }} }} ] }}"#
    )
}

fn builder<'a>(period: &str, inputs: &'a Inputs, profile: Option<&str>) -> Score766Builder<'a> {
    Score766Builder::new(period)
        .profile(profile)
        .units(Some(&inputs.units))
        .procedures(Some(&inputs.procedures))
        .feedback(Some(&inputs.feedback), RecordFormat::Csv)
}

/// Scores `range` once (the parallel driver) and each of its periods alone (pushed in chunks),
/// with `with_counts` giving a counts file to some periods, and compares the JSON.
fn check(range: &str, inputs: &Inputs, with_counts: &[&str], profile: Option<&str>) {
    let files: Vec<(String, String)> =
        with_counts.iter().map(|p| ((*p).to_owned(), counts(&inputs.units, p))).collect();
    let mut b = builder(range, inputs, profile);
    for (_, json) in &files {
        b = b.counts(Some(json.as_bytes()));
    }
    let mut session = b.build().unwrap();
    session.read_dossiers(inputs.dossiers.as_slice(), RecordFormat::Csv, 2, &mut |_| {}).unwrap();
    let series = session.finish_series().unwrap();
    assert_eq!(series.scorecards.len(), series.periods.len());
    let mut scored = 0;
    for card in &series.scorecards {
        let period = card.period.to_string();
        let within = |p: &str| card.period.contains(p.parse().unwrap());
        let counts = files.iter().find(|(p, _)| within(p)).map(|(_, json)| json.as_bytes());
        let mut alone = builder(&period, inputs, profile).counts(counts).build().unwrap();
        for chunk in inputs.dossiers.chunks(64 * 1024 + 7) {
            alone.push_csv(chunk).unwrap();
        }
        let expected = alone.finish().unwrap();
        assert_eq!(card.to_json(), expected.to_json(), "{range}: {period}");
        scored += usize::from(card.units.iter().any(|u| u.total.0 > 0));
    }
    assert!(scored > 0, "{range}: nothing was scored");
    assert!(series.scorecards.iter().all(|c| c.warnings.len() == 2), "{range}: the duplicate ids");
    // The changes read the scorecards: each is the difference of two totals.
    for u in &series.changes {
        for (i, change) in u.total_changes.iter().enumerate() {
            let expected = match (i.checked_sub(1).and_then(|j| u.totals[j]), u.totals[i]) {
                (Some(a), Some(b)) => Some(b.0 - a.0),
                _ => None,
            };
            assert_eq!(change.map(|c| c.0), expected, "{} {i}", u.unit);
        }
    }
}

#[test]
fn a_year_of_months_scored_once_equals_each_month_alone() {
    let inputs = generate("2025".parse().unwrap(), 12_000, 0.01);
    // The range starts before the records and ends before their last months: records outside it
    // are counted in no period.
    check("2024-12..2025-09", &inputs, &["2025-02", "2025-07"], None);
}

#[test]
fn quarters_scored_once_equal_each_quarter_alone() {
    let inputs = generate("2025".parse().unwrap(), 8_000, 0.01);
    // A month's counts lie within their quarter.
    check("2025-Q1..2026-Q1", &inputs, &["2025-Q2", "2025-08"], None);
    check("2025-Q2..2025-Q4", &inputs, &["2025-Q4"], Some("decision-2022"));
}

/// Two sessions of the same range that read halves of the file, merged, give the one session's
/// series (how libchiso's threads and the parallel driver combine). No bad rows: the second half's
/// rows are numbered from its own start. Feedback is read by one session only.
#[test]
fn merged_halves_give_the_whole_series() {
    let inputs = generate("2025-Q3".parse().unwrap(), 6_000, 0.0);
    let range = "2025-06..2025-10";
    // Without the repeated rows: a duplicate across merged sessions is warned about by row only.
    let text = &inputs.dossiers[..inputs.without_repeats];
    let mut whole = builder(range, &inputs, None).build().unwrap();
    whole.push_csv(text).unwrap();
    let expected = whole.finish_series().unwrap().to_json();
    let header_end = text.iter().position(|b| *b == b'\n').unwrap() + 1;
    let middle = header_end + text[header_end..].len() / 2;
    let cut = middle + text[middle..].iter().position(|b| *b == b'\n').unwrap() + 1;
    let mut a = builder(range, &inputs, None).build().unwrap();
    let mut b =
        Score766Builder::new(range).units(Some(&inputs.units)).procedures(Some(&inputs.procedures)).build().unwrap();
    a.push_csv(&text[..cut]).unwrap();
    b.push_csv(&text[..header_end]).unwrap();
    b.push_csv(&text[cut..]).unwrap();
    a.merge(&mut b).unwrap();
    let got = a.finish_series().unwrap().to_json();
    if got != expected {
        let line = got.lines().zip(expected.lines()).position(|(x, y)| x != y).unwrap_or(0);
        let near = |t: &str| t.lines().skip(line.saturating_sub(30)).take(34).collect::<Vec<_>>().join("\n");
        panic!("merged halves differ from one pass at line {line}:\n{}\n---\n{}", near(&got), near(&expected));
    }
}
