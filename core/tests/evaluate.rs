//! Evaluation through the public API: boundaries, every status on purpose, rejections, roll-up,
//! re-basing of merged units, overrides.
#![expect(clippy::unwrap_used, clippy::panic, reason = "a test fails by panicking")]

use chiso::api::{EvaluateRequest, SourceNames};
use chiso::date::Date;
use chiso::evaluate::{EvalResult, Evaluation, Status};

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn run(units: Option<&str>, observations: &str, as_of: &str) -> Evaluation {
    run_with(None, units, observations, as_of)
}

fn run_with(plan: Option<&str>, units: Option<&str>, observations: &str, as_of: &str) -> Evaluation {
    let request = EvaluateRequest {
        plan_json: plan.map(str::as_bytes),
        units_csv: units.map(|u| Box::new(u.as_bytes()) as Box<dyn std::io::Read>),
        as_of: Some(as_of),
        ..EvaluateRequest::new(observations.as_bytes())
    };
    chiso::api::evaluate(request, || date(as_of)).unwrap().evaluation
}

fn find<'a>(e: &'a Evaluation, unit: &str, target: &str, period: &str) -> &'a EvalResult {
    e.results
        .iter()
        .find(|r| r.unit == unit && r.target == target && r.period.to_string() == period)
        .unwrap_or_else(|| panic!("no result for {unit} {target} {period}"))
}

const HEADER: &str = "unit,indicator,period,numerator,denominator,kind,design_effect,population\n";

#[test]
fn exact_boundaries() {
    let obs = format!(
        "{HEADER}a,dossiers_fully_online,2025,4,5\nb,dossiers_fully_online,2025,3,5\nc,adults_using,2025,7,10\nc,adults_using,2026,7,10\nd,staff_informed,2025,1,800\n"
    );
    let e = run(None, &obs, "2026-11-28");
    let a = find(&e, "a", "dossiers_fully_online.2025", "2025");
    assert_eq!((a.status, a.gap, a.percent.unwrap().to_string().as_str()), (Status::Met, Some(0), "80.00"));
    let b = find(&e, "b", "dossiers_fully_online.2025", "2025");
    assert_eq!((b.status, b.gap), (Status::NotMet, Some(1)));
    // 70 % of 10 is exactly 7: met early for the 2030 target.
    let c = find(&e, "c", "adults_using.2030", "2026");
    assert_eq!((c.status, c.gap), (Status::MetEarly, Some(0)));
    // 1 of 800 is 0.125 %, published as 0.13.
    let d = find(&e, "d", "staff_informed.yearly", "2025");
    assert_eq!(d.percent.unwrap().to_string(), "0.13");
    assert_eq!(d.gap, Some(799));
    let json = e.to_json();
    assert!(json.contains("\"percent\": 0.13"), "{json}");
    assert!(json.contains("\"percent\": 80,") || json.contains("\"percent\": 80\n"), "{json}");
}

#[test]
fn every_status_on_purpose() {
    let units = "id,name,parent,level\nt,Town,,commune\nk1,K1,t,neighbourhood\nk2,K2,t,neighbourhood\nk3,K3,t,neighbourhood\nk4,K4,t,neighbourhood\nk5,K5,t,neighbourhood\n";
    let obs = format!(
        "{HEADER}\
t,staff_informed,2025,10,10
t,staff_informed,2026,9,10
t,operators_trained,2025,4,5
k1,adults_using,2024,40,100
k1,adults_using,2025,50,100
k1,adults_using,2026,60,100
k2,adults_using,2024,30,100
k2,adults_using,2025,32,100
k2,adults_using,2026,34,100
k3,adults_using,2024,45,100
k3,adults_using,2025,42,100
k3,adults_using,2026,40,100
k4,adults_using,2026,75,100
k5,adults_using,2026,50,100
k5,community_team_trained,2025,9,5
"
    );
    let e = run(Some(units), &obs, "2026-11-28");
    let status = |u: &str, t: &str, p: &str| find(&e, u, t, p).status;
    assert_eq!(status("t", "staff_informed.yearly", "2025"), Status::Met);
    assert_eq!(status("t", "staff_informed.yearly", "2026"), Status::InProgress);
    assert_eq!(status("t", "operators_trained.yearly", "2025"), Status::NotMet);
    assert_eq!(status("t", "operators_trained.yearly", "2026"), Status::NoData);
    assert_eq!(status("k1", "adults_using.2030", "2026"), Status::OnTrack);
    assert_eq!(status("k2", "adults_using.2030", "2026"), Status::AtRisk);
    assert_eq!(status("k3", "adults_using.2030", "2026"), Status::OffTrack);
    assert_eq!(status("k4", "adults_using.2030", "2026"), Status::MetEarly);
    let k5 = find(&e, "k5", "adults_using.2030", "2026");
    assert_eq!(k5.status, Status::InsufficientData);
    assert!(k5.reason.as_deref().unwrap().contains("at least 2"));
    assert_eq!(status("k5", "community_team_trained.yearly", "2025"), Status::Invalid);
    assert_eq!(status("k5", "adults_using.2025", "2025"), Status::NoData);
    // The projection names its method and its points.
    let k1 = find(&e, "k1", "adults_using.2030", "2026").projection.as_ref().unwrap();
    assert_eq!((k1.method.as_str(), k1.points), ("linear", 3));
    assert_eq!(k1.projected_percent.to_string(), "100.00");
    let k2 = find(&e, "k2", "adults_using.2030", "2026").projection.as_ref().unwrap();
    assert_eq!(k2.projected_percent.to_string(), "42.00");
    // The rejected row is listed with its row number.
    assert_eq!(e.rejected.len(), 1);
    assert_eq!(e.rejected[0].row, 16);
    let seen: std::collections::HashSet<Status> = e.results.iter().map(|r| r.status).collect();
    assert_eq!(seen.len(), Status::ALL.len(), "{seen:?}");
}

#[test]
fn rejected_rows_keep_the_good_ones_around_them() {
    let obs = format!(
        "{HEADER}a,dossiers_fully_online,2025,8,10\na,dossiers_fully_online,2025-13,1,1\na,nope,2025,1,1\na,dossiers_fully_online,2024,11,10\na,dossiers_fully_online,2024,99999999999999999999,1\na,dossiers_fully_online,2024,7,10\na,dossiers_fully_online,2024-03,1,1\na,dossiers_fully_online,2023\n"
    );
    let e = run(None, &obs, "2026-11-28");
    let rows: Vec<(u64, Option<&str>)> = e.rejected.iter().map(|r| (r.row, r.column.as_deref())).collect();
    assert_eq!(
        rows,
        vec![
            (3, Some("period")),
            (4, Some("indicator")),
            (5, Some("numerator")),
            (6, Some("numerator")),
            (8, Some("period")),
            (9, Some("numerator"))
        ]
    );
    assert!(e.rejected[3].reason.contains("overflows"), "{:?}", e.rejected[3]);
    assert!(e.rejected[4].reason.contains("overlaps 2024"), "{:?}", e.rejected[4]);
    assert_eq!(find(&e, "a", "dossiers_fully_online.2025", "2025").numerator, Some(8));
    assert_eq!(find(&e, "a", "dossiers_fully_online.2025", "2026").status, Status::NoData);
}

#[test]
fn sums_months_takes_the_last_stock_and_rolls_up_ratio_of_sums() {
    let units = "id,parent\nt,\nk1,t\nk2,t\n";
    let obs = format!(
        "{HEADER}k1,dossiers_fully_online,2025-01,9,10\nk1,dossiers_fully_online,2025-02,1,10\nk2,dossiers_fully_online,2025,80,80\nk1,users_eid_verified,2025-03,1,10\nk1,users_eid_verified,2025-11,9,10\n"
    );
    let e = run(Some(units), &obs, "2026-11-28");
    let k1 = find(&e, "k1", "dossiers_fully_online.2025", "2025");
    assert_eq!((k1.numerator, k1.denominator), (Some(10), Some(20)));
    // Ratio of sums: (10 + 80) / (20 + 80) = 90 %, not the mean of 50 % and 100 %.
    let t = find(&e, "t", "dossiers_fully_online.2025", "2025");
    assert_eq!((t.numerator, t.denominator, t.status), (Some(90), Some(100), Status::Met));
    assert!(t.rolled_up);
    let stock = find(&e, "k1", "users_eid_verified.2025", "2025");
    assert_eq!((stock.numerator, stock.denominator), (Some(9), Some(10)));
    // Ranking among siblings.
    assert_eq!((find(&e, "k2", "dossiers_fully_online.2025", "2025").rank), Some(1));
    assert_eq!((find(&e, "k1", "dossiers_fully_online.2025", "2025").rank), Some(2));
}

#[test]
fn merged_units_are_rebased_onto_their_successor() {
    let units = "id,parent,valid_to,successors\nt,,,\nnew,t,,\nold,t,2025-06-30,new\n";
    let obs = format!(
        "{HEADER}old,dossiers_fully_online,2025-Q1,30,40\nnew,dossiers_fully_online,2025-Q3,50,60\nold,dossiers_fully_online,2025-Q4,1,1\n"
    );
    let e = run(Some(units), &obs, "2026-11-28");
    assert_eq!(e.rejected.len(), 1);
    assert_eq!(e.rejected[0].reason, "2025-Q4 starts after unit `old` ended on 2025-06-30");
    let r = find(&e, "new", "dossiers_fully_online.2025", "2025");
    assert_eq!((r.numerator, r.denominator), (Some(80), Some(100)));
    assert!(e.results.iter().all(|r| r.unit != "old"));
    let t = find(&e, "t", "dossiers_fully_online.2025", "2025");
    assert_eq!((t.numerator, t.denominator), (Some(80), Some(100)), "counted once at the top");
}

#[test]
fn maintained_targets_give_one_result_per_year_and_by_targets_one() {
    let obs = format!(
        "{HEADER}a,dossiers_fully_online,2024,1,2\na,dossiers_fully_online,2025,9,10\na,dossiers_fully_online,2026,7,10\n"
    );
    let e = run(None, &obs, "2027-03-01");
    let periods: Vec<String> =
        e.results.iter().filter(|r| r.indicator == "dossiers_fully_online").map(|r| r.period.to_string()).collect();
    assert_eq!(periods, vec!["2025", "2026", "2027"]);
    assert_eq!(find(&e, "a", "dossiers_fully_online.2025", "2026").status, Status::NotMet);
    assert_eq!(find(&e, "a", "dossiers_fully_online.2025", "2026").deadline, date("2026-12-31"));
    assert_eq!(find(&e, "a", "dossiers_fully_online.2025", "2027").status, Status::NoData);
    // Before the deadline, a `by` target is judged on the latest observed year.
    let early = run(None, &obs, "2025-06-15");
    let r = find(&early, "a", "dossiers_fully_online.2025", "2025");
    assert_eq!((r.status, r.deadline), (Status::MetEarly, date("2025-12-31")));
}

#[test]
fn overrides_name_who_set_them() {
    let mut plan = chiso::builtin::builtin_plan();
    plan.overrides.push(chiso::plan::Override {
        unit: "a".to_owned(),
        target: "dossiers_fully_online.2025".to_owned(),
        threshold: "90".parse().unwrap(),
        source: "Quyết định của UBND tỉnh".to_owned(),
    });
    let obs = format!("{HEADER}a,dossiers_fully_online,2025,85,100\nb,dossiers_fully_online,2025,85,100\n");
    let e = run_with(Some(&plan.to_json()), None, &obs, "2026-11-28");
    let a = find(&e, "a", "dossiers_fully_online.2025", "2025");
    assert_eq!(
        (a.status, a.gap, a.threshold_source.as_deref()),
        (Status::NotMet, Some(5), Some("Quyết định của UBND tỉnh"))
    );
    assert_eq!(find(&e, "b", "dossiers_fully_online.2025", "2025").status, Status::Met);
}

#[test]
fn activities_roll_up_as_units_meeting_the_target() {
    let units = "id,parent\nt,\nk1,t\nk2,t\nk3,t\n";
    let obs = format!("{HEADER}k1,outlets_active,2025,3,3\nk2,outlets_active,2025,1,2\nk3,outlets_active,2025,2,2\n");
    let e = run(Some(units), &obs, "2026-11-28");
    let t = find(&e, "t", "outlets_active.2025", "2025");
    assert_eq!((t.numerator, t.denominator), (Some(2), Some(3)));
    let bad = format!("{HEADER}k1,portal_campaign,2025,2,3\n");
    let e = run(Some(units), &bad, "2026-11-28");
    assert!(e.rejected[0].reason.contains("activity"));
}

#[test]
fn samples_carry_a_wilson_interval() {
    let obs = format!("{HEADER}a,adults_using,2025,81,263,sample,,\nb,adults_using,2025,600,1000,sample,1,\n");
    let e = run(None, &obs, "2026-11-28");
    let a = find(&e, "a", "adults_using.2025", "2025");
    let ci = a.ci.unwrap();
    assert_eq!((ci[0].to_string().as_str(), ci[1].to_string().as_str()), ("25.53", "36.62"));
    assert_eq!(serde_json::to_value(a.confidence).unwrap(), "significant");
    let b = find(&e, "b", "adults_using.2025", "2025");
    assert_eq!(serde_json::to_value(b.confidence).unwrap(), "significant");
    let census = format!("{HEADER}a,adults_using,2025,51,100\n");
    let c = run(None, &census, "2026-11-28");
    assert_eq!(serde_json::to_value(find(&c, "a", "adults_using.2025", "2025").confidence).unwrap(), "census");
}

#[test]
fn improves_compares_with_the_previous_year() {
    let obs = format!(
        "{HEADER}a,service_quality_improves,2024,942000,1200000\na,service_quality_improves,2025,942000,1200000\n"
    );
    let e = run(None, &obs, "2026-11-28");
    let r = find(&e, "a", "service_quality_improves.yearly", "2025");
    assert_eq!(r.status, Status::NotMet, "equal is not better");
    assert_eq!(r.threshold.unwrap().to_string(), "78.5");
    assert_eq!(r.gap, Some(1));
}

#[test]
fn strict_stops_at_the_first_bad_row() {
    let obs = format!("{HEADER}a,dossiers_fully_online,2025,8,10\na,dossiers_fully_online,2024,11,10\n");
    let request = EvaluateRequest { strict: true, as_of: Some("2026-11-28"), ..EvaluateRequest::new(obs.as_bytes()) };
    let err = chiso::api::evaluate(request, || date("2026-11-28")).unwrap_err();
    assert_eq!(err.code(), "rejected_row");
    assert_eq!(err.to_string(), "observations.csv: row 3, column `numerator`: 11 is above the denominator 10");
}

#[test]
fn strict_stops_at_the_first_bad_row_whatever_the_reason() {
    // Row 2 fails a check against the plan (numerator above denominator), row 3 the CSV reader
    // itself (a field too many): strict names row 2, the first in the file.
    let obs = format!("{HEADER}a,dossiers_fully_online,2024,11,10\na,dossiers_fully_online,2025,8,10,,,,\n");
    let request = EvaluateRequest { strict: true, as_of: Some("2026-11-28"), ..EvaluateRequest::new(obs.as_bytes()) };
    let err = chiso::api::evaluate(request, || date("2026-11-28")).unwrap_err();
    assert_eq!(err.to_string(), "observations.csv: row 2, column `numerator`: 11 is above the denominator 10");
    // Without strict both are listed, in row order.
    let request = EvaluateRequest { as_of: Some("2026-11-28"), ..EvaluateRequest::new(obs.as_bytes()) };
    let e = chiso::api::evaluate(request, || date("2026-11-28")).unwrap().evaluation;
    assert_eq!(e.rejected.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 3]);
}

#[test]
fn strict_names_the_first_bad_unit_row_even_when_it_is_known_only_at_the_end() {
    // Row 3's parent is unknown (known only once every row is read); row 4 has a field too many
    // (known as it is read). Strict names row 3.
    let units = "id,name,parent,level\nroot,Root,,commune\na,A,nowhere,neighbourhood\nc,C,root,neighbourhood,extra\n";
    let obs = format!("{HEADER}root,dossiers_fully_online,2025,8,10\n");
    let request = EvaluateRequest {
        strict: true,
        as_of: Some("2026-11-28"),
        ..EvaluateRequest::new(obs.as_bytes()).with_units(units.as_bytes())
    };
    let err = chiso::api::evaluate(request, || date("2026-11-28")).unwrap_err();
    assert_eq!(err.code(), "rejected_row");
    assert!(err.to_string().starts_with("units.csv: row 3, column `parent`"), "{err}");
}

#[test]
fn observations_as_json() {
    let json = r#"[{"unit":"a","indicator":"dossiers_fully_online","period":"2025","numerator":8,"denominator":10},
                   {"unit":"a","indicator":"dossiers_fully_online","period":"2024","numerator":11,"denominator":10}]"#;
    let request = EvaluateRequest {
        observations_are_json: true,
        names: SourceNames { observations: "obs.json", ..SourceNames::default() },
        as_of: Some("2026-11-28"),
        ..EvaluateRequest::new(json.as_bytes())
    };
    let e = chiso::api::evaluate(request, || date("2026-11-28")).unwrap().evaluation;
    assert_eq!(e.rejected.len(), 1);
    assert_eq!((e.rejected[0].source.as_str(), e.rejected[0].row), ("obs.json", 2));
    assert_eq!(find(&e, "a", "dossiers_fully_online.2025", "2025").status, Status::Met);
}

#[test]
fn plan_errors_are_precise() {
    let err = chiso::plan::Plan::from_json(b"{\"id\": 1}", "p.json").unwrap_err();
    assert_eq!(err.code(), "bad_json");
    assert!(err.to_string().starts_with("p.json: line 1, column"), "{err}");
    let mut plan = chiso::builtin::builtin_plan();
    plan.indicators[0].subject_group = "nobody".to_owned();
    let err = chiso::plan::Plan::from_json(plan.to_json().as_bytes(), "p.json").unwrap_err();
    assert_eq!(err.to_string(), "p.json: indicators[0]: unknown subject group `nobody`");
}

#[test]
fn a_file_of_garbage_lists_ten_thousand_rejections_and_counts_the_rest() {
    // A valid header then 30 000 rows of garbage: every row used to be kept and printed.
    let mut obs = String::from(HEADER);
    for i in 0..30_000 {
        obs.push_str(&format!("x{i},?,{i}\n"));
    }
    obs.push_str("a,dossiers_fully_online,2025,4,5\n");
    let e = run(None, &obs, "2026-11-28");
    assert_eq!(e.rejected.len(), 10_000);
    assert_eq!(e.rejected_omitted, 20_000);
    assert_eq!(e.rejected.first().unwrap().row, 2);
    assert_eq!(e.rejected.last().unwrap().row, 10_001);
    assert_eq!(find(&e, "a", "dossiers_fully_online.2025", "2025").status, Status::Met);
    let json = e.to_json();
    assert!(json.contains("\n  \"rejected_omitted\": 20000\n}"), "{}", &json[json.len() - 200..]);
    // Nothing omitted: no field, the JSON as it was.
    let e = run(None, &format!("{HEADER}a,dossiers_fully_online,2025,4,5\n"), "2026-11-28");
    assert!(!e.to_json().contains("rejected_omitted"));
}

#[test]
fn a_short_row_says_its_period_is_empty() {
    let e = run(None, &format!("{HEADER}a,dossiers_fully_online\n"), "2026-11-28");
    let r = &e.rejected[0];
    assert_eq!((r.row, r.column.as_deref(), r.reason.as_str()), (2, Some("period"), "is empty"));
}

#[test]
fn observations_after_the_as_of_date_are_listed_not_silently_ignored() {
    let obs = format!(
        "{HEADER}a,dossiers_fully_online,2025,4,5\na,dossiers_fully_online,2027,5,5\nb,adults_using,2026-12,1,2\n"
    );
    let e = run(None, &obs, "2026-11-28");
    let rows: Vec<(u64, &str)> = e.rejected.iter().map(|r| (r.row, r.reason.as_str())).collect();
    assert_eq!(
        rows,
        [
            (3, "2027 starts after the as-of date 2026-11-28, so it is not evaluated"),
            (4, "2026-12 starts after the as-of date 2026-11-28, so it is not evaluated"),
        ]
    );
    assert_eq!(e.rejected[0].source, "observations.csv");
    assert_eq!(e.rejected[0].column.as_deref(), Some("period"));
    // `a` is judged on 2025; `b` had only a future observation, so it is `invalid` with the reason.
    assert_eq!(find(&e, "a", "dossiers_fully_online.2025", "2025").status, Status::Met);
    let b = e.results.iter().find(|r| r.unit == "b" && r.indicator == "adults_using").unwrap();
    assert_eq!((b.status, b.reason_code.as_deref()), (Status::Invalid, Some("all_rejected")));
}

fn run_pro_rata(observations: &str, as_of: &str) -> Evaluation {
    let request =
        EvaluateRequest { as_of: Some(as_of), pro_rata: true, ..EvaluateRequest::new(observations.as_bytes()) };
    chiso::api::evaluate(request, || date(as_of)).unwrap().evaluation
}

#[test]
fn pro_rata_judges_an_open_year_against_the_share_elapsed_exactly() {
    // 14 March 2026 is day 73 of 365: 100 % of 365 pro rata is exactly 73.
    for (num, status) in [(73, Status::OnTrack), (72, Status::AtRisk)] {
        let obs = format!("{HEADER}a,staff_informed,2026,{num},365\n");
        let off = run(None, &obs, "2026-03-14");
        let r = find(&off, "a", "staff_informed.yearly", "2026");
        assert_eq!((r.status, r.pro_rata), (Status::InProgress, None), "off by default");
        let on = run_pro_rata(&obs, "2026-03-14");
        let r = find(&on, "a", "staff_informed.yearly", "2026");
        assert_eq!(r.status, status, "{num}/365 on day 73");
        let p = r.pro_rata.unwrap();
        assert_eq!((p.elapsed_days, p.period_days, p.expected_numerator), (73, 365, 73));
    }
    // A leap year has 366 days; 1 of 1 expected as soon as any share is due (ceil).
    let on = run_pro_rata(&format!("{HEADER}a,staff_informed,2028,0,1\n"), "2028-01-01");
    let r = find(&on, "a", "staff_informed.yearly", "2028");
    assert_eq!((r.status, r.pro_rata.map(|p| (p.period_days, p.expected_numerator))), (Status::AtRisk, Some((366, 1))));
    // Satisfied already: met early, whatever the share elapsed; a closed year is judged in full.
    let on = run_pro_rata(&format!("{HEADER}a,staff_informed,2026,10,10\na,staff_informed,2025,9,10\n"), "2026-03-14");
    assert_eq!(find(&on, "a", "staff_informed.yearly", "2026").status, Status::MetEarly);
    let closed = find(&on, "a", "staff_informed.yearly", "2025");
    assert_eq!((closed.status, closed.pro_rata), (Status::NotMet, None));
    // The JSON carries the expectation only where it applies.
    let json = on.to_json();
    assert!(!json.contains("expected_numerator"), "{json}");
    let json = run_pro_rata(&format!("{HEADER}a,staff_informed,2026,1,10\n"), "2026-11-30").to_json();
    assert!(json.contains("\"expected_numerator\": 10"), "{json}");
}

#[test]
fn pro_rata_expectation_is_the_least_numerator_meeting_the_rule() {
    use chiso::evaluate::ProRata;
    use chiso::exact::Percent;
    use chiso::period::Period;
    use chiso::plan::Comparison;
    let year: Period = "2026".parse().unwrap();
    for den in [1_u64, 7, 41, 365, 1_000_003] {
        for day in ["2026-01-01", "2026-02-28", "2026-07-02", "2026-12-31"] {
            let as_of = date(day);
            let elapsed = u128::try_from(as_of.days_since_epoch() - date("2026-01-01").days_since_epoch() + 1).unwrap();
            for threshold in [Percent::whole(80), Percent::whole(100), Percent::from_units(855_000)] {
                let t = u128::from(threshold.units());
                // num/den ≥ t/(100·10⁴) × e/365, by brute force on the smallest num.
                let meets = |n: u64, strict: bool| {
                    let (l, r) = (u128::from(n) * 100 * 10_000 * 365, t * u128::from(den) * elapsed);
                    if strict { l > r } else { l >= r }
                };
                for (cmp, strict) in [(Comparison::AtLeast, false), (Comparison::Above, true)] {
                    let p = ProRata::expect(cmp, threshold, den, year, as_of).unwrap();
                    let e = p.expected_numerator;
                    assert!(meets(e, strict) && (e == 0 || !meets(e - 1, strict)), "{cmp:?} {threshold:?} {den} {day}");
                }
            }
            assert_eq!(ProRata::expect(Comparison::AtMost, Percent::whole(10), den, year, as_of), None);
        }
    }
    assert_eq!(ProRata::expect(Comparison::AtLeast, Percent::whole(80), 10, year, date("2027-01-01")), None);
}

#[test]
fn every_unit_gets_every_indicator_and_target_period_no_data_where_nothing_was_observed() {
    let units = "id,name,parent,level\nt,Town,,commune\nk1,K1,t,neighbourhood\nk2,K2,t,neighbourhood\n";
    let obs = format!("{HEADER}k1,dossiers_fully_online,2025,8,10\n");
    let e = run(Some(units), &obs, "2026-11-28");
    let plan = chiso::builtin::builtin_plan();
    for unit in ["t", "k1", "k2"] {
        for ind in &plan.indicators {
            assert!(
                e.results.iter().any(|r| r.unit == unit && r.indicator == ind.id),
                "{unit} has no row for {}",
                ind.id
            );
        }
    }
    // k2 observed nothing: its figure for dossiers_fully_online is visible as missing.
    let r = find(&e, "k2", "dossiers_fully_online.2025", "2025");
    assert_eq!((r.status, r.numerator), (Status::NoData, None));
    // A yearly target: one row per year up to the as-of year, each no_data.
    let years: Vec<String> = e
        .results
        .iter()
        .filter(|r| r.unit == "k1" && r.target == "staff_informed.yearly")
        .map(|r| r.period.to_string())
        .collect();
    assert_eq!(years, ["2025", "2026"]);
    assert!(
        e.results
            .iter()
            .filter(|r| r.unit == "k1" && r.target == "staff_informed.yearly")
            .all(|r| r.status == Status::NoData)
    );
}
