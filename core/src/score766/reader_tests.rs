//! The dossier readers on bad input (issue 13): linear time after a stray quote, no good row lost
//! after an unterminated quote, the right row numbers on the parallel path whatever the number of
//! workers, CR-only line ends, fields that are not UTF-8.

use std::sync::Arc;

use super::*;
use crate::units::UnitTree;

const UNITS: &str = "id,name,parent,level\ntinh,T,,province\nxa-a,A,tinh,commune\nxa-b,B,tinh,commune\n";
const HEADER: &str = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel\n";

fn context() -> Arc<RecordContext> {
    let mut rejected = Vec::new();
    let units = UnitTree::from_csv(UNITS.as_bytes(), "units.csv", true, &mut rejected).unwrap();
    Arc::new(RecordContext::new(Some(units), None))
}

fn scorer() -> Scorer {
    Scorer::new(ScoreOptions::new("2025-07".parse().unwrap()), context())
}

fn good(i: usize) -> String {
    format!("d{i},xa-a,P1,2025-07-01,2025-07-10,2025-07-05,online\n")
}

fn pushed(csv: &[u8], chunk: usize) -> DossierAggregate {
    let mut s = scorer();
    for c in csv.chunks(chunk.max(1)) {
        s.push_csv(c).unwrap();
    }
    s.into_aggregate().unwrap()
}

fn parallel(csv: &[u8], jobs: usize, block: usize) -> DossierAggregate {
    parallel::aggregate_blocks(csv, "dossiers.csv", &context(), false, jobs, block, &mut |_| {}).unwrap()
}

fn dossiers(agg: &DossierAggregate) -> u64 {
    let ctx = context();
    let outcome = agg.counts(&ctx, "2025-07".parse().unwrap(), None);
    outcome.counts.units.iter().find(|u| u.unit == "xa-a").map_or(0, |u| u.metrics["ON_TIME"].denominator)
}

fn rows(agg: &DossierAggregate) -> Vec<(u64, Option<String>)> {
    agg.rejected().iter().map(|r| (r.row, r.column.clone())).collect()
}

#[test]
fn an_unterminated_quote_mid_file_loses_no_good_row() {
    // Rows 2 and 4 are good; row 3 opens a quote that never closes.
    let csv = format!("{HEADER}{}d2,\"xa-a,P1,2025-07-01,,,online\n{}", good(1), good(3));
    for chunk in [1, 3, 64, csv.len()] {
        let agg = pushed(csv.as_bytes(), chunk);
        assert_eq!(dossiers(&agg), 2, "chunks of {chunk}");
        assert_eq!(rows(&agg), [(3, Some("unit".to_owned()))]);
        assert!(agg.rejected()[0].reason.starts_with("an unterminated quote"), "{:?}", agg.rejected());
    }
    for (jobs, block) in [(1, 8), (2, 8), (3, 1024), (2, 1 << 20)] {
        let agg = parallel(csv.as_bytes(), jobs, block);
        assert_eq!(dossiers(&agg), 2, "{jobs} jobs, blocks of {block}");
        assert_eq!(rows(&agg), [(3, Some("unit".to_owned()))]);
    }
}

/// A dossier file of `n` good rows with a stray, unterminated quote in the second.
fn with_stray_quote(n: usize) -> (String, String) {
    let mut clean = HEADER.to_owned();
    for i in 0..n {
        clean.push_str(&good(i));
    }
    let stray = clean.replacen("d1,xa-a", "d1,\"xa-a", 1);
    (clean, stray)
}

#[test]
fn a_stray_quote_costs_linear_work_in_the_push_api() {
    let (clean, stray) = with_stray_quote(40_000);
    let examined = |csv: &str, chunk: usize| {
        let mut s = scorer();
        for c in csv.as_bytes().chunks(chunk) {
            s.push_csv(c).unwrap();
        }
        let work = s.csv_bytes_examined();
        assert_eq!(dossiers(&s.into_aggregate().unwrap()), if csv == clean { 40_000 } else { 39_999 });
        work
    };
    let len = clean.len() as u64;
    for chunk in [7, 4096, 1 << 20] {
        let clean_work = examined(&clean, chunk);
        let stray_work = examined(&stray, chunk);
        // Before: every line end after the quote recounted the quotes from the record's start.
        assert!(clean_work <= 4 * len, "clean, chunks of {chunk}: {clean_work} for {len} bytes");
        assert!(stray_work <= 2 * clean_work + 1_000_000, "stray, chunks of {chunk}: {stray_work} vs {clean_work}");
    }
}

#[test]
fn a_stray_quote_does_not_stall_the_parallel_driver() {
    // 4 MB after a stray quote (the old scanner took seconds per MB here, quadratically); the
    // bound is generous for a loaded machine and a debug build.
    let (clean, stray) = with_stray_quote(70_000);
    let start = std::time::Instant::now();
    let agg = parallel(stray.as_bytes(), 2, 1 << 20);
    assert_eq!(dossiers(&agg), 69_999);
    assert_eq!(rows(&agg), [(3, Some("unit".to_owned()))]);
    assert_eq!(dossiers(&parallel(clean.as_bytes(), 2, 1 << 20)), 70_000);
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

#[test]
fn rejected_rows_are_the_right_lines_whatever_the_number_of_workers() {
    // 3 rows in 4 bad, 48 000 rejections: each worker trims its list past 20 000, which used to
    // sort rows before their block's offset was added.
    let mut csv = HEADER.to_owned();
    let mut lines = vec![String::new(), HEADER.to_owned()];
    for i in 0..64_000 {
        let line = if i % 4 == 0 { good(i) } else { format!("bad-{i},xa-a\n") };
        csv.push_str(&line);
        lines.push(line);
    }
    // The push API keeps up to twice the listed rows until its aggregate is merged.
    let mut one = DossierAggregate::new(&context());
    one.merge(pushed(csv.as_bytes(), 1 << 16));
    assert_eq!(one.rejected().len(), 10_000);
    assert_eq!(one.rejected_omitted(), 38_000);
    for r in one.rejected() {
        assert!(lines[usize::try_from(r.row).unwrap()].starts_with("bad-"), "row {} is not a bad line", r.row);
    }
    let mut listed: Vec<u64> = one.rejected().iter().map(|r| r.row).collect();
    listed.dedup();
    assert_eq!(listed.len(), 10_000, "duplicate rows");
    for (jobs, block) in [(1, 1 << 16), (2, 1 << 16), (4, 1 << 15), (2, 1 << 20)] {
        let par = parallel(csv.as_bytes(), jobs, block);
        assert_eq!(rows(&par), rows(&one), "{jobs} jobs, blocks of {block}");
        assert_eq!(par.rejected_omitted(), one.rejected_omitted());
    }
}

#[test]
fn cr_only_line_ends_are_read() {
    let csv = format!("{HEADER}{}bad\n{}\"d\n3\",xa-a,P1,2025-07-01,,,\"online\"\n{}", good(1), good(2), good(4))
        .replace('\n', "\r");
    for agg in [pushed(csv.as_bytes(), 5), pushed(csv.as_bytes(), csv.len()), parallel(csv.as_bytes(), 2, 16)] {
        assert_eq!(dossiers(&agg), 4);
        assert_eq!(rows(&agg), [(3, None)]);
        assert_eq!(agg.rejected()[0].reason, "has 1 fields, the header has 7");
    }
}

#[test]
fn fields_that_are_not_utf8_are_rejected_by_column() {
    let mut csv = HEADER.as_bytes().to_vec();
    csv.extend_from_slice(b"d\xff1,xa-a,P1,2025-07-01,,,\n");
    csv.extend_from_slice(b"d2,xa-\xc3,P1,2025-07-01,,,\n");
    csv.extend_from_slice(b"\"d\xff3\",xa-a,P1,2025-07-01,,,\n");
    csv.extend_from_slice(good(4).as_bytes());
    for agg in [pushed(&csv, csv.len()), parallel(&csv, 2, 8)] {
        assert_eq!(dossiers(&agg), 1);
        let listed: Vec<(u64, Option<String>, String)> =
            agg.rejected().iter().map(|r| (r.row, r.column.clone(), r.reason.clone())).collect();
        assert_eq!(
            listed,
            [
                (2, Some("dossier_id".to_owned()), "not UTF-8 (byte 1)".to_owned()),
                (3, Some("unit".to_owned()), "not UTF-8 (byte 3)".to_owned()),
                (4, Some("dossier_id".to_owned()), "not UTF-8 (byte 1)".to_owned()),
            ]
        );
    }
}

#[test]
fn a_dossier_column_named_twice_is_an_error() {
    let csv = "dossier_id,unit,procedure,received_at,unit\n";
    let err = scorer().push_csv(csv.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "dossiers.csv: the header names column `unit` twice (columns 2 and 5)");
}

/// The duplicate-id warnings of an aggregate: (row, reason).
fn warned(agg: &DossierAggregate) -> Vec<(u64, String)> {
    agg.clone().take_ids().to_wire().warnings.iter().map(|w| (w.row, w.reason.clone())).collect()
}

#[test]
fn duplicate_ids_are_warned_at_the_same_rows_whatever_the_number_of_workers() {
    // Every 7th row repeats the id of a row far before it, some quoted, some in rows spanning two
    // lines, with a few bad rows and blank lines between: rows are absolute line numbers.
    let mut csv = HEADER.to_owned();
    let mut line = 2u64;
    let mut expected = Vec::new();
    let mut first_row = std::collections::HashMap::new();
    for i in 0..3000usize {
        let id = if i % 7 == 6 { format!("d{}", i / 2) } else { format!("d{i}") };
        let row = line;
        match i % 11 {
            0 => csv.push_str(&format!("\"{id}\",xa-a,P1,2025-07-01,2025-07-10,\"2025-07-05\",online\n")),
            1 => {
                csv.push_str(&format!("{id},xa-a,\"P1\n\",2025-07-01,2025-07-10,2025-07-05,online\n"));
                line += 1;
            }
            2 => {
                csv.push_str(&format!("{id},nowhere,P1,2025-07-01,,,online\n\n"));
                line += 2;
                continue; // rejected: its id is not counted
            }
            _ => csv.push_str(&format!("{id},xa-a,P1,2025-07-01,2025-07-10,2025-07-05,online\n")),
        }
        line += 1;
        if let Some(first) = first_row.get(&id) {
            expected.push((row, format!("dossier_id `{id}` already at row {first}")));
        } else {
            first_row.insert(id, row);
        }
    }
    assert!(expected.len() > 150, "{}", expected.len());
    for chunk in [1, 5, 64, 4096, csv.len()] {
        assert_eq!(warned(&pushed(csv.as_bytes(), chunk)), expected, "chunks of {chunk}");
    }
    for (jobs, block) in [(1, 1 << 10), (2, 1 << 10), (3, 777), (4, 1 << 12), (8, 1 << 20)] {
        assert_eq!(warned(&parallel(csv.as_bytes(), jobs, block)), expected, "{jobs} jobs, blocks of {block}");
    }
}
