//! The built-in plan is exactly the plan `chiso plan` printed when it was still written as Rust
//! (`fixtures/builtin-plan.json`, saved from that output before the catalogue became a JSON file).
#![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

use chiso::builtin::builtin_plan;
use chiso::plan::Plan;

const BEFORE: &str = include_str!("fixtures/builtin-plan.json");

#[test]
fn builtin_plan_is_the_plan_chiso_plan_printed() {
    let plan = builtin_plan();
    plan.validate("builtin").unwrap();
    // `chiso plan` prints `to_json()` and a newline.
    assert_eq!(format!("{}\n", plan.to_json()), BEFORE);
    assert_eq!(Plan::from_json(BEFORE.as_bytes(), "builtin-plan.json").unwrap(), plan);
}
