//! Differential: structured records written as CSV (any bytes in fields, LF, CRLF or CR line
//! ends, blank lines) must be read back as written, with the row each starts on, by the one-pass
//! scanner, by the scanner on pieces cut for parallel workers, by the column reader of units /
//! procedures / feedback / observations, and agree with the `csv` crate.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use arbitrary::Arbitrary;
use chiso::tabular::scan;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 16] =
    ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "c14", "c15"];

#[derive(Debug, Arbitrary)]
struct Input {
    records: Vec<Vec<String>>,
    line_end: u8,
    blank_lines: Vec<u8>,
    pieces: u8,
}

fuzz_target!(|input: Input| {
    let eol = match input.line_end % 3 {
        0 => "\n",
        1 => "\r\n",
        _ => "\r",
    };
    // A header of as many columns as the widest record, named c0, c1 …
    let width = input.records.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let Some(names) = NAMES.get(..width) else { return };
    // A quoted field over the 64 KiB limit is unterminated by rule: not well-formed here.
    if input.records.iter().flatten().any(|f| f.len() > 60 * 1024) {
        return;
    }
    let eol_byte = if eol == "\r" { '\r' } else { '\n' };
    let mut text = names.join(",") + eol;
    let mut line = 2u64;
    let mut expected: Vec<(u64, Vec<String>)> = Vec::new();
    for (i, record) in input.records.iter().enumerate() {
        if record.is_empty() {
            continue;
        }
        if input.blank_lines.get(i).is_some_and(|b| b % 4 == 0) {
            text.push_str(eol);
            line += 1;
        }
        let written: Vec<String> = record.iter().map(|f| common::quote(f)).collect();
        let joined = written.join(",");
        expected.push((line, record.clone()));
        line += u64::try_from(joined.matches(eol_byte).count()).unwrap_or(0) + 1;
        // Line end bytes inside quoted fields are data but still lines: counted above.
        text.push_str(&joined);
        text.push_str(eol);
    }
    let bytes = text.as_bytes();
    let as_strings = |records: Vec<(u64, &[u8], bool)>| -> Vec<(u64, Vec<String>)> {
        records
            .into_iter()
            .skip(1)
            .map(|(row, record, unterminated)| {
                assert!(!unterminated, "row {row}: unterminated in well-formed CSV");
                let mut scratch = Vec::new();
                let mut fields = Vec::new();
                let split = scan::split_fields(record, &mut scratch, |_, f| {
                    fields.push(String::from_utf8_lossy(f).into_owned());
                });
                assert!(split.is_ok(), "row {row}: {split:?}");
                (row, fields)
            })
            .collect()
    };
    // Fields that are only spaces are read as written; a one-field record of "" is quoted.
    let one_pass = as_strings(scan::all_records(bytes));
    assert_eq!(one_pass, expected, "one pass");
    let pieces = usize::from(input.pieces % 8) + 1;
    assert_eq!(as_strings(scan::all_records_in_pieces(bytes, pieces)), expected, "{pieces} pieces");
    // The csv crate: the same records (it takes \r, \n and \r\n as line ends alike).
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(bytes);
    let theirs: Vec<Vec<String>> = reader
        .byte_records()
        .map(|r| r.map(|r| r.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect()))
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    let ours: Vec<Vec<String>> = expected.iter().map(|(_, f)| f.clone()).collect();
    assert_eq!(theirs, ours, "the csv crate");
    // The column reader: rows and trimmed text.
    let mut rejected = Vec::new();
    let mut rows = Vec::new();
    let read = chiso::tabular::read::read_csv(bytes, "t.csv", &[], names, false, &mut rejected, |row| {
        let first = row.get(names.first().copied().unwrap_or("c0")).map(str::to_owned).unwrap_or_default();
        rows.push((row.number(), first));
        Ok(())
    });
    assert!(read.is_ok(), "{read:?}");
    let want: Vec<(u64, String)> = expected
        .iter()
        .filter(|(_, f)| f.iter().all(|x| x.len() <= 64 * 1024))
        .map(|(row, f)| (*row, f.first().map(|x| x.trim().to_owned()).unwrap_or_default()))
        .collect();
    let got_rows: Vec<u64> = rows.iter().map(|r| r.0).chain(rejected.iter().map(|r| r.row)).collect();
    let mut got_rows = got_rows;
    got_rows.sort_unstable();
    assert_eq!(got_rows, expected.iter().map(|r| r.0).collect::<Vec<_>>(), "column reader rows");
    for (row, text) in &rows {
        if let Some((_, w)) = want.iter().find(|(r, _)| r == row) {
            assert_eq!(text, w, "column reader, row {row}");
        }
    }
});
