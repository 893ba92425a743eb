use std::collections::{HashMap, HashSet};

use super::*;
use chiso::date::{DateOnly, parse_instant};
use chiso::units::UnitTree;

fn small(dossiers: u64, seed: u64) -> GeneratorConfig {
    GeneratorConfig { seed, ..GeneratorConfig::new(dossiers, "2025-07".parse().unwrap()) }
}

fn dossiers_csv(cfg: &GeneratorConfig) -> (Vec<u8>, DossierSummary) {
    let mut v = Vec::new();
    let s = Generator::new(cfg.clone()).write_dossiers(&mut v).unwrap();
    (v, s)
}

fn records(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = r.headers().unwrap().clone();
    (header, r.records().map(Result::unwrap).collect())
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let g = |seed| {
        let generator = Generator::new(small(5_000, seed));
        let mut all = Vec::new();
        generator.write_units(&mut all).unwrap();
        generator.write_procedures(&mut all).unwrap();
        generator.write_dossiers(&mut all).unwrap();
        generator.write_feedback(&mut all).unwrap();
        all
    };
    assert_eq!(g(1), g(1));
    assert_ne!(g(1), g(2));
}

#[test]
fn row_counts_and_field_counts_match_the_header() {
    let cfg = small(20_000, 3);
    let generator = Generator::new(cfg.clone());
    let mut files: Vec<(Vec<u8>, u64)> = Vec::new();
    let mut v = Vec::new();
    let n = generator.write_units(&mut v).unwrap();
    files.push((v, n));
    let mut v = Vec::new();
    let n = generator.write_procedures(&mut v).unwrap();
    files.push((v, n));
    let mut v = Vec::new();
    let n = generator.write_dossiers(&mut v).unwrap().rows;
    files.push((v, n));
    let mut v = Vec::new();
    let n = generator.write_feedback(&mut v).unwrap();
    files.push((v, n));
    assert_eq!(files[2].1, 20_000);
    assert_eq!(files[3].1, 400);
    assert_eq!(files[1].1, 400);
    assert_eq!(files[0].1 as usize, generator.unit_count());
    for (bytes, n) in &files {
        let (header, rows) = records(bytes);
        assert_eq!(rows.len() as u64, *n);
        assert!(rows.iter().all(|r| r.len() == header.len()));
    }
    // The free functions write the same bytes.
    let mut v = Vec::new();
    assert_eq!(write_dossiers(&cfg, &mut v).unwrap(), 20_000);
    assert_eq!(v, files[2].0);
}

#[test]
fn units_form_a_tree_and_records_name_known_units_and_procedures() {
    let cfg = small(10_000, 4);
    let generator = Generator::new(cfg);
    let mut units = Vec::new();
    generator.write_units(&mut units).unwrap();
    let mut rejected = Vec::new();
    let tree = UnitTree::from_csv(units.as_slice(), "units.csv", true, &mut rejected).unwrap();
    assert!(rejected.is_empty());
    assert_eq!(tree.roots().count(), 1);
    let mut procs = Vec::new();
    generator.write_procedures(&mut procs).unwrap();
    let (ph, prows) = records(&procs);
    let code = ph.iter().position(|h| h == "procedure").unwrap();
    let paper = ph.iter().position(|h| h == "paper_result").unwrap();
    let paper_of: HashMap<String, bool> = prows.iter().map(|r| (r[code].to_owned(), &r[paper] == "1")).collect();
    assert!(prows.iter().any(|r| r[1].contains(',')), "some procedure names need quoting");

    let mut fb = Vec::new();
    generator.write_feedback(&mut fb).unwrap();
    let (_, frows) = records(&fb);
    assert!(frows.iter().all(|r| tree.index(&r[1]).is_some()));

    let (bytes, summary) = dossiers_csv(generator.config());
    assert_eq!(summary.bad.total(), 0);
    let (h, rows) = records(&bytes);
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (unit, procedure, received, due, finished) =
        (col("unit"), col("procedure"), col("received_at"), col("due_at"), col("finished_at"));
    let (channel, requests, days, e_result, rating) =
        (col("channel"), col("supplement_requests"), col("supplement_days"), col("e_result"), col("rating"));
    let period_end = parse_instant("2025-07-31", DateOnly::EndOfDay).unwrap().0;
    let period_start = parse_instant("2025-07-01", DateOnly::StartOfDay).unwrap().0;
    let (mut online, mut on_time, mut open, mut in_period, mut utc_other_day) = (0, 0, 0, 0, 0);
    let mut ids = HashSet::new();
    for r in &rows {
        assert!(ids.insert(r[0].to_owned()), "duplicate id {}", &r[0]);
        assert!(tree.index(&r[unit]).is_some(), "unknown unit {}", &r[unit]);
        let paper = *paper_of.get(&r[procedure]).unwrap();
        let rec = parse_instant(&r[received], DateOnly::StartOfDay).unwrap().0;
        let due_at = (!r[due].is_empty()).then(|| parse_instant(&r[due], DateOnly::EndOfDay).unwrap().0);
        if let Some(d) = due_at {
            assert!(d >= rec, "due before received: {:?}", r);
        }
        if !r[finished].is_empty() {
            let fin = parse_instant(&r[finished], DateOnly::StartOfDay).unwrap().0;
            assert!(fin >= rec, "finished before received: {:?}", r);
        }
        if !(period_start..=period_end).contains(&rec) {
            continue;
        }
        in_period += 1;
        let local_day = chiso::date::Instant(rec).local_date().to_string();
        if r[received].ends_with('Z') && !r[received].starts_with(&local_day) {
            utc_other_day += 1;
        }
        // Waiting time in thousandths of a day.
        let milli: i64 = if r[days].is_empty() {
            0
        } else {
            let (int, frac) = r[days].split_once('.').unwrap_or((&r[days], ""));
            int.parse::<i64>().unwrap() * 1000 + format!("{frac:0<3}").parse::<i64>().unwrap()
        };
        let reqs: u64 = if r[requests].is_empty() { 0 } else { r[requests].parse().unwrap() };
        let end = if r[finished].is_empty() {
            open += 1;
            period_end
        } else {
            parse_instant(&r[finished], DateOnly::StartOfDay).unwrap().0
        };
        // end − milli × 86.4 s > due  ⇔  (end − due) × 1000 > milli × 86 400
        let late = reqs > 1 || due_at.is_some_and(|d| (end - d) * 1000 > milli * 86_400);
        on_time += u64::from(!late);
        let e = matches!(&r[e_result], "1" | "true");
        online += u64::from(&r[channel] == "online" && (!paper || e));
        assert!(matches!(&r[rating], "" | "satisfied" | "unsatisfied"));
    }
    let share = |x: u64| x * 1000 / in_period;
    assert!((700..=850).contains(&share(online)), "online {}", share(online));
    assert!((870..=940).contains(&share(on_time)), "on time {}", share(on_time));
    assert!((30..=150).contains(&share(open)), "open {}", share(open));
    assert!(utc_other_day > 0, "some UTC times should fall on the previous day");
    assert!(summary.outside_period > 0 && summary.outside_period < 100);
    assert_eq!(rows.len() as u64 - in_period, summary.outside_period);
}

#[test]
fn bad_rows_are_injected_at_the_asked_rate_and_fail_to_read() {
    let cfg = GeneratorConfig { bad_row_fraction: 0.05, ..small(20_000, 5) };
    let (bytes, summary) = dossiers_csv(&cfg);
    let bad = summary.bad.total();
    assert!((800..1200).contains(&bad), "{bad}");
    assert!(BadRowKind::ALL.iter().all(|k| summary.bad.get(*k) > 0));
    let (h, rows) = records(&bytes);
    let wrong = rows.iter().filter(|r| r.len() != h.len()).count() as u64;
    assert_eq!(wrong, summary.bad.get(BadRowKind::WrongFieldCount));
    let overflow = rows.iter().filter(|r| r.get(7) == Some("18446744073709551616")).count() as u64;
    assert_eq!(overflow, summary.bad.get(BadRowKind::Overflow));
    let bad_dates = rows.iter().filter(|r| parse_instant(&r[3], DateOnly::StartOfDay).is_err()).count() as u64;
    assert_eq!(bad_dates, summary.bad.get(BadRowKind::BadDate));
    // Everything else is as without bad rows: same number of rows, same header.
    assert_eq!(rows.len(), 20_000);
    assert_eq!(h.iter().collect::<Vec<_>>().join(","), DOSSIER_HEADER);
}

#[test]
fn communes_scale_with_dossiers_per_year_up_to_a_province() {
    let month: Period = "2025-07".parse().unwrap();
    let year: Period = "2025".parse().unwrap();
    assert_eq!(GeneratorConfig::communes_for(1_000_000, year), 100);
    assert_eq!(GeneratorConfig::communes_for(1_500_000, year), 150);
    assert_eq!(GeneratorConfig::communes_for(10, year), 3);
    // 1 M and 10 M dossiers in a month: a large province, not 1 200 or 12 000 communes.
    assert_eq!(GeneratorConfig::communes_for(1_000_000, month), GeneratorConfig::MAX_DEFAULT_COMMUNES);
    assert_eq!(GeneratorConfig::communes_for(10_000_000, month), 200);
    assert_eq!(GeneratorConfig::communes_for(u64::MAX, month), 200);
    assert_eq!(GeneratorConfig::new(10_000_000, month).communes, 200);
}

#[test]
fn the_scorer_rejects_exactly_the_bad_rows_and_keeps_the_others() {
    use chiso::score766::{ProcedureTable, RecordContext, aggregate_dossier_csv};
    let cfg = GeneratorConfig { bad_row_fraction: 0.02, ..small(20_000, 6) };
    let generator = Generator::new(cfg);
    let (mut units, mut procedures) = (Vec::new(), Vec::new());
    generator.write_units(&mut units).unwrap();
    generator.write_procedures(&mut procedures).unwrap();
    let mut rejected = Vec::new();
    let tree = UnitTree::from_csv(units.as_slice(), "units.csv", true, &mut rejected).unwrap();
    let table = ProcedureTable::from_csv(procedures.as_slice(), "procedures.csv", true, &mut rejected).unwrap();
    let ctx = RecordContext::new(Some(tree), Some(table));
    let (bytes, summary) = dossiers_csv(generator.config());
    let agg = aggregate_dossier_csv(bytes.as_slice(), "dossiers.csv", &ctx, false, 2, &mut |_| {}).unwrap();
    assert!(summary.bad.total() > 300);
    assert_eq!(agg.rejected().len() as u64, summary.bad.total(), "{:?}", &agg.rejected()[..3]);
}

#[test]
fn threads_give_the_same_bytes_as_one() {
    // More than two chunks, the last one short, with bad rows.
    let cfg = GeneratorConfig { bad_row_fraction: 0.01, ..small(150_000, 8) };
    let generator = Generator::new(cfg);
    let (one, summary) = dossiers_csv(generator.config());
    for threads in [1, 2, 3, 8] {
        let mut v = Vec::new();
        let s = generator.write_dossiers_parallel(&mut v, threads).unwrap();
        assert!(v == one, "{threads} threads");
        assert_eq!(s, summary);
    }
    assert_eq!(summary.bytes, one.len() as u64);
}

/// A generated province's four files in `shape`.
struct Files {
    units: Vec<u8>,
    procedures: Vec<u8>,
    dossiers: Vec<u8>,
    feedback: Vec<u8>,
}

fn files(cfg: &GeneratorConfig, shape: Shape) -> Files {
    let generator = Generator::new(GeneratorConfig { shape, ..cfg.clone() });
    let mut f = Files { units: Vec::new(), procedures: Vec::new(), dossiers: Vec::new(), feedback: Vec::new() };
    generator.write_units(&mut f.units).unwrap();
    generator.write_procedures(&mut f.procedures).unwrap();
    generator.write_dossiers(&mut f.dossiers).unwrap();
    generator.write_feedback(&mut f.feedback).unwrap();
    f
}

/// How the dossiers reach the session.
#[derive(Debug, Clone, Copy)]
enum Feed {
    /// The parallel driver with this many workers.
    Jobs(usize),
    /// The streaming session, in chunks of this many bytes.
    Chunks(usize),
}

/// The scorecard JSON of `dossiers` read with the province's other files, as `chiso score766`
/// reads them (units, procedures, dossiers, then feedback).
fn scorecard(f: &Files, dossiers: &[u8], feed: Feed) -> String {
    use chiso::api::{RecordFormat, Score766Builder};
    let mut session =
        Score766Builder::new("2025-07").units(Some(&f.units)).procedures(Some(&f.procedures)).build().unwrap();
    match feed {
        Feed::Jobs(jobs) => session.read_dossiers(dossiers, RecordFormat::Csv, jobs, &mut |_| {}).unwrap(),
        Feed::Chunks(n) => dossiers.chunks(n).for_each(|c| session.push_csv(c).unwrap()),
    }
    session.load_feedback(f.feedback.as_slice(), RecordFormat::Csv).unwrap();
    let mut json = Vec::new();
    session.finish().unwrap().write_json(&mut json).unwrap();
    String::from_utf8(json).unwrap()
}

fn utf16_le(bytes: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap().trim_start_matches('\u{feff}');
    [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
}

#[test]
fn the_export_shape_is_the_vietnamese_export_of_the_same_records() {
    let cfg = small(3_000, 11);
    let (canonical, export) = (files(&cfg, Shape::Canonical), files(&cfg, Shape::Export));
    for bytes in [&export.units, &export.procedures, &export.dossiers, &export.feedback] {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "CRLF only");
    }
    let text = std::str::from_utf8(&export.dossiers).unwrap();
    assert!(text.starts_with("\u{feff}Mã hồ sơ;Mã đơn vị;"), "{}", &text[..80]);
    for word in
        [";Trực tuyến;", ";Trực tiếp;", ";Bưu chính;", ";Có;", ";Không;", ";x;", ";Hài lòng;", ";Không hài lòng;"]
    {
        assert!(text.contains(word), "{word}");
    }
    assert!(!text.contains("+07:00") && !text.contains('Z') && !text.contains("online"));
    // The same dossiers, field by field: ids, units and procedures as they are, every time the
    // same instant, the words and booleans the same values.
    let read = |bytes: &[u8], delimiter: u8| {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let mut r = csv::ReaderBuilder::new().flexible(true).delimiter(delimiter).from_reader(bytes);
        r.records().map(Result::unwrap).collect::<Vec<_>>()
    };
    let (c, e) = (read(&canonical.dossiers, b','), read(&export.dossiers, b';'));
    assert_eq!(c.len(), e.len());
    let instant = |s: &str, edge| (!s.is_empty()).then(|| parse_instant(s, edge).unwrap());
    for (c, e) in c.iter().zip(&e) {
        assert_eq!((&c[0], &c[1], &c[2]), (&e[0], &e[1], &e[2]));
        for (i, edge) in [(3, DateOnly::StartOfDay), (4, DateOnly::EndOfDay), (5, DateOnly::StartOfDay)] {
            assert_eq!(instant(&c[i], edge), instant(&e[i], edge), "{:?} {:?}", &c[i], &e[i]);
        }
        assert_eq!((&c[7], &c[8]), (&e[7], &e[8]));
        for i in 9..18 {
            let truth = |s: &str| matches!(s, "1" | "true" | "Có" | "có" | "x");
            assert_eq!(truth(&c[i]), truth(&e[i]), "{:?} {:?}", &c[i], &e[i]);
        }
    }
}

#[test]
fn the_export_shape_scores_byte_for_byte_as_the_canonical_one() {
    let cfg = small(6_000, 12);
    let (canonical, export) = (files(&cfg, Shape::Canonical), files(&cfg, Shape::Export));
    let expected = scorecard(&canonical, &canonical.dossiers, Feed::Jobs(1));
    assert!(expected.contains("\"ON_TIME\""), "{}", &expected[..200]);
    // Export units, procedures and feedback with canonical dossiers, and the other way round.
    assert_eq!(scorecard(&export, &canonical.dossiers, Feed::Jobs(1)), expected);
    assert_eq!(scorecard(&canonical, &export.dossiers, Feed::Jobs(1)), expected);
    for feed in [Feed::Jobs(1), Feed::Jobs(2), Feed::Jobs(4), Feed::Chunks(4093), Feed::Chunks(65_536)] {
        assert_eq!(scorecard(&export, &export.dossiers, feed), expected, "{feed:?}");
    }
    // UTF-16 (Excel's "Unicode text"), through both paths.
    let utf16 = utf16_le(&export.dossiers);
    for feed in [Feed::Jobs(2), Feed::Chunks(4093)] {
        assert_eq!(scorecard(&export, &utf16, feed), expected, "UTF-16, {feed:?}");
    }
}

#[test]
fn a_small_export_pushed_a_few_bytes_at_a_time_scores_as_the_canonical_one() {
    let cfg = GeneratorConfig { communes: 3, procedures: 20, ..small(300, 13) };
    let (canonical, export) = (files(&cfg, Shape::Canonical), files(&cfg, Shape::Export));
    let expected = scorecard(&canonical, &canonical.dossiers, Feed::Jobs(1));
    for n in [1, 2, 3, 5, 7] {
        assert_eq!(scorecard(&export, &export.dossiers, Feed::Chunks(n)), expected, "chunks of {n}");
    }
    assert_eq!(scorecard(&export, &utf16_le(&export.dossiers), Feed::Chunks(3)), expected);
}

#[test]
fn bad_rows_of_the_export_shape_are_rejected_at_the_canonical_rows() {
    use chiso::score766::{ProcedureTable, RecordContext, aggregate_dossier_csv};
    let cfg = GeneratorConfig { bad_row_fraction: 0.02, ..small(20_000, 14) };
    let located = |shape| {
        let f = files(&cfg, shape);
        let mut rejected = Vec::new();
        let tree = UnitTree::from_csv(f.units.as_slice(), "units.csv", true, &mut rejected).unwrap();
        let table = ProcedureTable::from_csv(f.procedures.as_slice(), "procedures.csv", true, &mut rejected).unwrap();
        let ctx = RecordContext::new(Some(tree), Some(table));
        let mut by_jobs = [1, 3].map(|jobs| {
            let agg = aggregate_dossier_csv(f.dossiers.as_slice(), "d.csv", &ctx, false, jobs, &mut |_| {}).unwrap();
            agg.rejected().iter().map(|r| (r.row, r.column.clone(), r.reason.clone())).collect::<Vec<_>>()
        });
        assert_eq!(by_jobs[0], by_jobs[1]);
        std::mem::take(&mut by_jobs[0])
    };
    let (canonical, export) = (located(Shape::Canonical), located(Shape::Export));
    assert!(canonical.len() > 300);
    assert_eq!(canonical.len(), export.len());
    for (c, e) in canonical.iter().zip(&export) {
        assert_eq!((c.0, &c.1), (e.0, &e.1));
        // The reasons quote the values: only a bad date is written otherwise.
        if c.1.as_deref() != Some("received_at") {
            assert_eq!(c.2, e.2);
        }
    }
}
