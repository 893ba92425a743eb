//! The built-in plan, now a JSON file compiled in, is exactly the plan the Rust catalogue it
//! replaced gave: `fixtures/builtin-plan.json` is what `chiso plan` printed before the change.

use chiso::builtin::{BUILTIN_PLAN_JSON, builtin_plan};
use chiso::plan::Plan;

const BEFORE: &str = include_str!("fixtures/builtin-plan.json");

#[test]
fn builtin_plan_is_the_plan_chiso_plan_printed() {
    let file = Plan::from_json(BUILTIN_PLAN_JSON.as_bytes(), "builtin/plan.json").unwrap();
    file.validate("builtin").unwrap();
    let plan = builtin_plan();
    assert_eq!(plan, file);
    // `chiso plan` prints `to_json()` and a newline.
    assert_eq!(format!("{}\n", plan.to_json()), BEFORE);
    assert_eq!(Plan::from_json(BEFORE.as_bytes(), "builtin-plan.json").unwrap(), plan);
}
