//! The dossier path on every accepted shape of CSV (exports.md, issue 11): `;` and tab
//! separators, a UTF-8 byte order mark, UTF-16 with one, CRLF, Vietnamese headers and values. Each
//! shape of one file gives the counts and rejections (rows, columns, reasons) of its comma version,
//! pushed in chunks cut anywhere and through the parallel driver with any number of workers.

use std::sync::Arc;

use super::*;
use crate::input::{InputError, Rejection};
use crate::units::UnitTree;

const UNITS: &str = "id,name,parent,level\ntinh,T,,province\nxa-a,A,tinh,commune\nxa-b,B,tinh,commune\n";

fn context() -> Arc<RecordContext> {
    let mut rejected = Vec::new();
    let units = UnitTree::from_csv(UNITS.as_bytes(), "units.csv", true, &mut rejected).unwrap();
    Arc::new(RecordContext::new(Some(units), None))
}

/// The header: Vietnamese aliases, one of them with a comma, and a note column readers ignore.
const HEADER: [&str; 11] = [
    "Mã hồ sơ",
    "Mã đơn vị",
    "Mã TTHC",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Kênh nộp",
    "Có phí, lệ phí",
    "Thanh toán trực tuyến",
    "Mức độ hài lòng",
    "Ghi chú",
];

/// One line of a file: fields to write with the file's separator, or raw text in which `|`
/// stands for the separator (for rows broken on purpose).
enum Line {
    Fields(Vec<&'static str>),
    Raw(&'static str),
}

fn lines() -> Vec<Line> {
    use Line::{Fields, Raw};
    let good = |id, unit, received, channel, note| {
        Fields(vec![
            id,
            unit,
            "P1",
            received,
            "10/07/2025",
            "05/07/2025 16:30:00",
            channel,
            "Có",
            "x",
            "Hài lòng",
            note,
        ])
    };
    vec![
        good("d1", "xa-a", "01/07/2025 08:00:00", "Trực tuyến", ""),
        // Notes holding every separator, quotes and line ends: quoted in every shape.
        good("d2", "xa-a", "02/07/2025 09:15", "Trực tiếp", "a, b; c\td \"e\"\nf"),
        good("d3", "xa-b", "2025-07-03T10:00:00+07:00", "Bưu chính", "dòng 1\r\ndòng 2"),
        // Too many fields.
        Raw("d4|xa-a|P1|03/07/2025||||||||extra"),
        // Not a date.
        good("d5", "xa-a", "32/07/2025", "Trực tuyến", ""),
        Fields(vec![]),
        // An unknown channel, then a quote that never closes (its row only is lost).
        good("d6", "xa-b", "04/07/2025", "qua mạng", ""),
        Raw("d7|xa-a|P1|04/07/2025||||||||\"never closed"),
        good("d8", "xa-b", "05/07/2025 07:59:59", "", ""),
        good("d9", "xa-a", "05/07/2025", "Trực tuyến", "cuối"),
    ]
}

/// The file with `delimiter`, lines ended by `eol`.
fn file(delimiter: u8, eol: &str) -> String {
    let d = char::from(delimiter);
    let cell = |f: &str| {
        if f.contains([d, '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.to_owned() }
    };
    let mut out: String = HEADER.iter().map(|h| cell(h)).collect::<Vec<_>>().join(&d.to_string());
    out.push_str(eol);
    for line in lines() {
        match line {
            Line::Fields(fields) => {
                out.push_str(&fields.iter().map(|f| cell(f)).collect::<Vec<_>>().join(&d.to_string()))
            }
            Line::Raw(raw) => out.push_str(&raw.replace('|', &d.to_string())),
        }
        out.push_str(eol);
    }
    out
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let bom: [u8; 2] = if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] };
    let units = text.encode_utf16().flat_map(|u| if little { u.to_le_bytes() } else { u.to_be_bytes() });
    bom.into_iter().chain(units).collect()
}

/// The counts of July and the rejections (row, column, reason) of an aggregate.
type Outcome = (Counts, Vec<(u64, Option<String>, String)>);

fn outcome(agg: &DossierAggregate) -> Outcome {
    let counts = agg.counts(&context(), "2025-07".parse().unwrap(), None).counts;
    let rejected = agg.rejected().iter().map(|r| (r.row, r.column.clone(), r.reason.clone())).collect();
    (counts, rejected)
}

fn pushed(bytes: &[u8], chunk: usize) -> Result<DossierAggregate, InputError> {
    let mut s = Scorer::new(ScoreOptions::new("2025-07".parse().unwrap()), context());
    for c in bytes.chunks(chunk.max(1)) {
        s.push_csv(c)?;
    }
    s.into_aggregate()
}

fn parallel(bytes: &[u8], jobs: usize, block: usize) -> Result<DossierAggregate, InputError> {
    parallel::aggregate_blocks(bytes, "dossiers.csv", &context(), false, jobs, block, &mut |_| {})
}

/// Every way of reading `bytes` gives `expected`.
fn reads_as(name: &str, bytes: &[u8], expected: &Outcome) {
    for chunk in [1, 2, 3, 7, 64, bytes.len()] {
        assert_eq!(&outcome(&pushed(bytes, chunk).unwrap()), expected, "{name}, pushed in chunks of {chunk}");
    }
    for (jobs, block) in [(1, 8), (2, 8), (3, 16), (4, 64), (2, 1 << 20)] {
        let agg = parallel(bytes, jobs, block).unwrap();
        assert_eq!(&outcome(&agg), expected, "{name}, {jobs} jobs, blocks of {block}");
    }
}

#[test]
fn every_shape_reads_as_the_comma_file_with_the_same_rows_rejected() {
    let comma = file(b',', "\n");
    let expected = outcome(&pushed(comma.as_bytes(), comma.len()).unwrap());
    // The comma file itself: the broken rows at their spreadsheet rows (the notes of d2 and d3
    // span two lines each), the five good ones counted.
    let rows: Vec<(u64, Option<&str>)> = expected.1.iter().map(|(r, c, _)| (*r, c.as_deref())).collect();
    assert_eq!(rows, [(7, None), (8, Some("received_at")), (10, Some("channel")), (11, None)], "{:?}", expected.1);
    let on_time = |o: &Outcome| o.0.units.iter().find(|u| u.unit == "tinh").map(|u| u.metrics["ON_TIME"].denominator);
    assert_eq!(on_time(&expected), Some(5));
    reads_as("comma", comma.as_bytes(), &expected);
    for (name, delimiter) in [("semicolon", b';'), ("tab", b'\t')] {
        for eol in ["\n", "\r\n"] {
            let text = file(delimiter, eol);
            reads_as(name, text.as_bytes(), &expected);
            reads_as(&format!("{name} with a BOM"), format!("\u{feff}{text}").as_bytes(), &expected);
            reads_as(&format!("{name} in UTF-16 LE"), &utf16(&text, true), &expected);
            reads_as(&format!("{name} in UTF-16 BE"), &utf16(&text, false), &expected);
        }
    }
}

#[test]
fn a_quoted_header_starts_the_file_after_a_byte_order_mark() {
    let text = "\u{feff}\"Mã hồ sơ\";\"Mã đơn vị\";\"Mã TTHC\";\"Ngày tiếp nhận\"\r\nd1;xa-a;P1;01/07/2025\r\n";
    let canonical = "dossier_id,unit,procedure,received_at\nd1,xa-a,P1,2025-07-01\n";
    let expected = outcome(&pushed(canonical.as_bytes(), canonical.len()).unwrap());
    assert!(expected.1.is_empty(), "{:?}", expected.1);
    let unit = expected.0.units.iter().find(|u| u.unit == "xa-a").unwrap();
    assert_eq!(unit.metrics["ON_TIME"].denominator, 1, "the dossier is counted");
    reads_as("quoted header after a BOM", text.as_bytes(), &expected);
}

#[test]
fn utf16_without_a_byte_order_mark_is_refused_with_the_byte_that_tells() {
    let text = file(b';', "\r\n");
    let no_bom = &utf16(&text, true)[2..];
    let expected = "dossiers.csv: read failed: byte 1 is a zero byte: the file looks like UTF-16 without a byte order mark; save it as UTF-8, or as \"Unicode Text\" (UTF-16 with a BOM)";
    for chunk in [1, 3, no_bom.len()] {
        assert_eq!(pushed(no_bom, chunk).unwrap_err().to_string(), expected, "chunks of {chunk}");
    }
    for jobs in [1, 2] {
        assert_eq!(parallel(no_bom, jobs, 64).unwrap_err().to_string(), expected);
    }
    let big_endian = &utf16(&text, false)[2..];
    assert!(pushed(big_endian, 5).unwrap_err().to_string().contains("byte 0 is a zero byte"));
}

#[test]
fn strict_stops_at_the_first_bad_row_of_a_semicolon_file() {
    let text = file(b';', "\r\n");
    let strict = ScoreOptions { strict: true, ..ScoreOptions::new("2025-07".parse().unwrap()) };
    let mut s = Scorer::new(strict, context());
    let first = s.push_csv(text.as_bytes()).and_then(|()| s.into_aggregate().map(|_| ())).unwrap_err();
    let InputError::Strict(Rejection { row, .. }) = first else { panic!("{first}") };
    assert_eq!(row, 7);
    for jobs in [1, 2, 3] {
        let e =
            parallel::aggregate_blocks(text.as_bytes(), "d.csv", &context(), true, jobs, 16, &mut |_| {}).unwrap_err();
        assert!(matches!(e, InputError::Strict(Rejection { row: 7, .. })), "{jobs} jobs: {e}");
    }
}

#[test]
fn a_header_name_written_on_two_lines_is_read_with_its_separator() {
    // Cells written with Alt+Enter: quoted names spanning lines, after a `;` (read with commas,
    // the header would end inside the second name).
    let text =
        "Mã hồ sơ;\"Mã\r\nđơn vị\";Mã TTHC;\"Ngày tiếp\r\nnhận\"\r\nd1;xa-a;P1;01/07/2025\r\nd2;xa-a;P1;40/07/2025\r\n";
    let canonical = "dossier_id,unit,procedure,received_at\n\n\nd1,xa-a,P1,2025-07-01\nd2,xa-a,P1,40/07/2025\n";
    let expected = outcome(&pushed(canonical.as_bytes(), canonical.len()).unwrap());
    assert_eq!(expected.1.iter().map(|r| r.0).collect::<Vec<_>>(), [5]);
    reads_as("a header on several lines", text.as_bytes(), &expected);
    reads_as("the same in tabs", text.replace(';', "\t").as_bytes(), &expected);
}

#[test]
fn a_byte_order_mark_alone_is_an_empty_file_on_both_paths() {
    for bytes in [&b"\xEF\xBB\xBF"[..], &[0xFF, 0xFE], &[0xFE, 0xFF]] {
        let pushed = pushed(bytes, 1).unwrap_err().to_string();
        assert_eq!(pushed, "dossiers.csv: the file is empty (no header row)", "{bytes:?}");
        assert_eq!(parallel(bytes, 2, 8).unwrap_err().to_string(), pushed, "{bytes:?}");
    }
    // Nothing pushed is no CSV stream at all, not an empty file.
    assert!(pushed(b"", 1).is_ok());
}

#[test]
fn progress_counts_the_input_bytes_of_a_utf16_file() {
    let text = file(b';', "\r\n").into_bytes();
    for (bytes, name) in [(text.clone(), "UTF-8"), (utf16(std::str::from_utf8(&text).unwrap(), true), "UTF-16")] {
        let mut last = 0;
        parallel::aggregate_blocks(bytes.as_slice(), "d.csv", &context(), false, 2, 64, &mut |done| last = done)
            .unwrap();
        assert_eq!(last, bytes.len() as u64, "{name}");
    }
}
