//! Structured units trees (plain bytes rarely make a deep or cyclic tree): parents, levels,
//! validity dates and successors drawn from a small id space, chains as deep as the input is
//! long, cycles, merges and splits; then an evaluation over the tree. No panic.
#![no_main]

use arbitrary::Arbitrary;
use chiso::api::{EvaluateRequest, evaluate};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Unit {
    id: u16,
    parent: Option<u16>,
    level: u8,
    valid_from: Option<(u8, u8)>,
    valid_to: Option<(u8, u8)>,
    successors: Vec<u16>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    units: Vec<Unit>,
    /// A chain this deep under the first unit (0 to 255: deeper chains wait for the linear tree check of issue 13, defect 5).
    chain: u16,
    observed: Vec<(u16, u8, u8, u8)>,
}

const LEVELS: [&str; 6] = ["province", "district", "commune", "neighbourhood", "agency", ""];

fn date((y, m): (u8, u8)) -> String {
    format!("{}-{:02}-01", 2020 + u32::from(y % 8), m % 12 + 1)
}

fuzz_target!(|input: Input| {
    let mut csv = String::from("id,name,parent,level,valid_from,valid_to,successors\n");
    for u in input.units.iter().take(512) {
        let successors: Vec<String> = u.successors.iter().take(4).map(|s| format!("u{}", s % 600)).collect();
        csv.push_str(&format!(
            "u{},U,{},{},{},{},{}\n",
            u.id % 600,
            u.parent.map(|p| format!("u{}", p % 600)).unwrap_or_default(),
            LEVELS[usize::from(u.level) % LEVELS.len()],
            u.valid_from.map(date).unwrap_or_default(),
            u.valid_to.map(date).unwrap_or_default(),
            successors.join(";"),
        ));
    }
    let chain = usize::from(input.chain % 256);
    for i in 0..chain {
        let parent = if i == 0 { "u0".to_owned() } else { format!("c{}", i - 1) };
        csv.push_str(&format!("c{i},C,{parent},,,,\n"));
    }
    let mut observations = String::from("unit,indicator,period,numerator,denominator\n");
    for (unit, n, d, y) in input.observed.iter().take(64) {
        observations.push_str(&format!("u{},staff_informed,{},{n},{d}\n", unit % 600, 2022 + u32::from(y % 5)));
    }
    let request = EvaluateRequest {
        units_csv: Some(csv.as_bytes()),
        as_of: Some("2025-12-31"),
        ..EvaluateRequest::new(observations.as_bytes())
    };
    let _ = evaluate(&request, || chiso::date::Date::from_days_since_epoch(0));
});
