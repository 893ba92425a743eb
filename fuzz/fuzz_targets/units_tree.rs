//! Structured units trees (plain bytes rarely make a deep or cyclic tree): parents, levels,
//! validity dates and successors drawn from a small id space, cycles, merges and splits, plus a
//! chain up to 1 024 deep (on its own root, or under a unit of the tree, written top-down or
//! deepest first); then an evaluation over the tree. No panic; a chain past
//! [`MAX_DEPTH`] is the documented error (`invalid_input`, naming the first unit past the limit),
//! and a chain within it is accepted.
#![no_main]

use arbitrary::Arbitrary;
use chiso::ErrorCode;
use chiso::api::{EvaluateRequest, evaluate};
use chiso::units::{MAX_DEPTH, UnitTree};
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
    /// A chain this long: around the limit when the top bit is set, else up to 1 024 (the core tests go to 100 000).
    chain: u16,
    /// The chain hangs under `u0` (whose depth the tree decides) instead of its own root.
    under_tree: bool,
    /// The chain is written deepest first (each row's walk up is as long as it can be).
    deepest_first: bool,
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
    let chain = if input.chain & 0x8000 != 0 {
        usize::from(input.chain) % (2 * MAX_DEPTH + 4)
    } else {
        usize::from(input.chain) % 1025
    };
    let top = if input.under_tree { "u0" } else { "" };
    let row = |i: usize| {
        let parent = if i == 0 { top.to_owned() } else { format!("c{}", i - 1) };
        format!("c{i},C,{parent},,,,\n")
    };
    let rows: Vec<String> =
        if input.deepest_first { (0..chain).rev().map(row).collect() } else { (0..chain).map(row).collect() };
    // The chain alone: c{MAX_DEPTH} is the deepest a unit may be, c{MAX_DEPTH + 1} the first past it.
    if !input.under_tree {
        let mut alone = String::from("id,name,parent,level,valid_from,valid_to,successors\n");
        alone.extend(rows.iter().map(String::as_str));
        let tree = UnitTree::from_csv(alone.as_bytes(), "units.csv", false, &mut Vec::new());
        if chain > MAX_DEPTH + 1 {
            let first = MAX_DEPTH + 1;
            let line = if input.deepest_first { chain - first + 1 } else { first + 2 };
            let err = tree.err().map(|e| (e.code(), e.to_string()));
            let expected = format!(
                "units.csv: row {line}: unit `c{first}` is {first} levels below its root, over the limit of {MAX_DEPTH}"
            );
            assert_eq!(err, Some((ErrorCode::InvalidInput, expected)), "a chain of {chain}");
        } else {
            let tree = tree.unwrap_or_else(|e| panic!("a chain of {chain} refused: {e}"));
            assert_eq!(tree.len(), chain);
        }
    }
    csv.extend(rows.iter().map(String::as_str));
    let mut observations = String::from("unit,indicator,period,numerator,denominator\n");
    for (unit, n, d, y) in input.observed.iter().take(64) {
        observations.push_str(&format!("u{},staff_informed,{},{n},{d}\n", unit % 600, 2022 + u32::from(y % 5)));
    }
    let request = EvaluateRequest {
        as_of: Some("2025-12-31"),
        ..EvaluateRequest::new(observations.as_bytes()).with_units(csv.as_bytes())
    };
    let evaluated = evaluate(request, || chiso::date::Date::from_days_since_epoch(0));
    if !input.under_tree && chain > MAX_DEPTH + 1 {
        // Whichever unit is named, the first past the limit is MAX_DEPTH + 1 below its root.
        let err = evaluated.err().map(|e| (e.code(), e.to_string()));
        let past = format!("is {} levels below its root, over the limit of {MAX_DEPTH}", MAX_DEPTH + 1);
        assert!(
            matches!(&err, Some((ErrorCode::InvalidInput, m)) if m.contains(&past)),
            "a chain of {chain} in the tree: {err:?}"
        );
    }
});
