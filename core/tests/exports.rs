//! Real exports through the session API (exports.md): an observations spreadsheet with
//! Vietnamese headers and a title block evaluates as its canonical CSV; a dossier workbook in the
//! export shape scores byte for byte as the same records in canonical CSV; column maps; bad input
//! (not UTF-8, a merged cell, a formula without a value) rejected where it is, the other rows kept.
#![cfg(feature = "xlsx")]
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::sync::Arc;

use chiso::api::{ColumnMap, EvaluateRequest, InputOptions, Names766, RecordFormat, Score766Builder, evaluate};
use chiso::date::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

fn never() -> Date {
    Date::from_days_since_epoch(0)
}

/// The rows of observations: unit, indicator, period, numerator, denominator.
const OBSERVATIONS: [(&str, &str, &str, u32, u32); 4] = [
    ("k1", "dossiers_fully_online", "2025", 812, 1000),
    ("k2", "dossiers_fully_online", "2025", 640, 900),
    ("k1", "dossiers_fully_online", "2024", 700, 1000),
    ("k2", "dossiers_fully_online", "2024", 500, 800),
];

fn observations_csv() -> String {
    let mut csv = String::from("unit,indicator,period,numerator,denominator\n");
    for (u, i, p, n, d) in OBSERVATIONS {
        csv += &format!("{u},{i},{p},{n},{d}\n");
    }
    csv
}

/// The sheet an official keeps: a title block (merged), a blank row, Vietnamese headers, numbers
/// as number cells, periods as text.
fn observations_sheet(sheet: &mut Worksheet, extra: impl FnOnce(&mut Worksheet, u32)) {
    sheet.merge_range(0, 0, 0, 4, "BÁO CÁO SỐ LIỆU CHỈ TIÊU NĂM 2025", &Format::new()).unwrap();
    sheet.write_string(1, 0, "Đơn vị").unwrap();
    sheet.write_string(1, 1, "UBND phường").unwrap();
    for (c, h) in ["Mã đơn vị", "Chỉ tiêu", "Kỳ", "Tử số", "Mẫu số", "Ghi chú"].iter().enumerate() {
        sheet.write_string(3, u16::try_from(c).unwrap(), *h).unwrap();
    }
    let mut row = 4;
    for (u, i, p, n, d) in OBSERVATIONS {
        sheet.write_string(row, 0, u).unwrap();
        sheet.write_string(row, 1, i).unwrap();
        sheet.write_string(row, 2, p).unwrap();
        sheet.write_number(row, 3, f64::from(n)).unwrap();
        sheet.write_number(row, 4, f64::from(d)).unwrap();
        row += 1;
    }
    extra(sheet, row);
}

fn workbook(build: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    build(book.add_worksheet().set_name("Số liệu").unwrap());
    book.save_to_buffer().unwrap()
}

fn evaluated(observations: &[u8], name: &str, input: InputOptions) -> Result<String, chiso::api::Error> {
    let mut request = EvaluateRequest { as_of: Some("2026-11-28"), input, ..EvaluateRequest::new(observations) };
    request.names.observations = name;
    Ok(evaluate(request, never)?.evaluation.to_json())
}

#[test]
fn an_observations_spreadsheet_evaluates_as_its_canonical_csv() {
    let expected = evaluated(observations_csv().as_bytes(), "observations.csv", InputOptions::default()).unwrap();
    let book = workbook(|s| observations_sheet(s, |_, _| {}));
    // The header row is found under the title block, or given.
    assert_eq!(evaluated(&book, "observations.xlsx", InputOptions::default()).unwrap(), expected);
    let at_4 = InputOptions { header_row: Some(4), ..InputOptions::default() };
    assert_eq!(evaluated(&book, "observations.xlsx", at_4).unwrap(), expected);
    // Told by its content whatever its name; a sheet by name.
    let named = InputOptions { sheet: Some("Số liệu".into()), ..InputOptions::default() };
    assert_eq!(evaluated(&book, "upload.bin", named).unwrap(), expected);
    let e = evaluated(&book, "o.xlsx", InputOptions { sheet: Some("Data".into()), ..InputOptions::default() });
    assert_eq!(e.unwrap_err().to_string(), "o.xlsx: the workbook has no sheet `Data` (sheets: Số liệu)");
    // A header row given wrong is the usual missing-column error.
    let at_2 = InputOptions { header_row: Some(2), ..InputOptions::default() };
    let e = evaluated(&book, "o.xlsx", at_2).unwrap_err();
    // (Row 2 holds `Đơn vị`, a name of `unit`, and nothing else known.)
    assert!(e.to_string().starts_with("o.xlsx#Số liệu: the header has no `indicator` column"), "{e}");
}

#[test]
fn a_bad_cell_rejects_its_sheet_row_and_keeps_the_others() {
    let book = workbook(|s| {
        observations_sheet(s, |s, row| {
            // Row 9 of the sheet: a numerator that is not a number.
            s.write_string(row, 0, "k3").unwrap();
            s.write_string(row, 1, "dossiers_fully_online").unwrap();
            s.write_string(row, 2, "2025").unwrap();
            s.write_string(row, 3, "nhiều").unwrap();
            s.write_number(row, 4, 10.0).unwrap();
            // Row 10: a formula Excel never computed; row 11: an Excel error.
            s.write_string(row + 1, 0, "k4").unwrap();
            s.write_string(row + 1, 1, "dossiers_fully_online").unwrap();
            s.write_string(row + 1, 2, "2025").unwrap();
            // As a tool that writes formulas without computing them leaves it: no value.
            s.set_formula_result_default("");
            s.write_formula(row + 1, 3, Formula::new("=E10*0.5")).unwrap();
            s.write_number(row + 1, 4, 10.0).unwrap();
            s.write_string(row + 2, 0, "k5").unwrap();
            s.write_string(row + 2, 1, "dossiers_fully_online").unwrap();
            s.write_string(row + 2, 2, "2025").unwrap();
            s.write_formula(row + 2, 3, Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
            s.write_number(row + 2, 4, 10.0).unwrap();
            // Rows 12 and 13: one unit over two rows, merged.
            s.merge_range(row + 3, 0, row + 4, 0, "k6", &Format::new()).unwrap();
            for r in [row + 3, row + 4] {
                s.write_string(r, 1, "dossiers_fully_online").unwrap();
                s.write_string(r, 2, if r == row + 3 { "2025" } else { "2024" }).unwrap();
                s.write_number(r, 3, 1.0).unwrap();
                s.write_number(r, 4, 2.0).unwrap();
            }
        });
    });
    let mut request = EvaluateRequest { as_of: Some("2026-11-28"), ..EvaluateRequest::new(book.as_slice()) };
    request.names.observations = "o.xlsx";
    let evaluation = evaluate(request, never).unwrap().evaluation;
    let rejected: Vec<(String, u64, Option<String>, String)> =
        evaluation.rejected.iter().map(|r| (r.source.clone(), r.row, r.column.clone(), r.reason.clone())).collect();
    let at = |row: u64, column: &str, reason: &str| {
        ("o.xlsx#Số liệu".to_owned(), row, Some(column.to_owned()), reason.to_owned())
    };
    assert_eq!(
        rejected,
        [
            at(9, "numerator", "`nhiều` is not a non-negative integer"),
            at(
                10,
                "numerator",
                "cell D10 holds the formula `=E10*0.5` without a computed value; open the file in Excel, let it calculate, and save it again"
            ),
            at(11, "numerator", "cell D11 holds the Excel error `#DIV/0!`"),
            at(
                13,
                "unit",
                "cell A13 is inside the merged cells A12:A13, whose value only A12 holds; unmerge them and fill every row"
            ),
        ]
    );
    // The good rows are kept: k1, k2 and the first row of k6.
    let json = evaluation.to_json();
    assert!(json.contains("\"k6\""), "{json}");
    // With `strict`, the first is the error.
    let mut request =
        EvaluateRequest { strict: true, as_of: Some("2026-11-28"), ..EvaluateRequest::new(book.as_slice()) };
    request.names.observations = "o.xlsx";
    assert_eq!(evaluate(request, never).unwrap_err().code(), chiso::ErrorCode::RejectedRow);
}

#[test]
fn a_csv_export_with_a_title_block_a_separator_and_decimal_commas() {
    let expected = evaluated(observations_csv().as_bytes(), "observations.csv", InputOptions::default()).unwrap();
    let mut csv = String::from("BÁO CÁO;;\r\n\r\nMã đơn vị;Chỉ tiêu;Kỳ;Tử số;Mẫu số\r\n");
    for (u, i, p, n, d) in OBSERVATIONS {
        csv += &format!("{u};{i};{p};{n};{d}\r\n");
    }
    let options = InputOptions { header_row: Some(3), delimiter: Some(b';'), ..InputOptions::default() };
    assert_eq!(evaluated(csv.as_bytes(), "o.csv", options).unwrap(), expected);
    // Thousands written with dots, read with --decimal-comma.
    let dotted = csv.replace(";1000\r\n", ";1.000\r\n");
    let options = InputOptions { header_row: Some(3), decimal_comma: true, ..InputOptions::default() };
    assert_eq!(evaluated(dotted.as_bytes(), "o.csv", options).unwrap(), expected);
    // Without it, `1.000` is not a count, and the row says so at its own row number.
    let options = InputOptions { header_row: Some(3), ..InputOptions::default() };
    let json = evaluated(dotted.as_bytes(), "o.csv", options).unwrap();
    assert!(json.contains("\"row\": 4") && json.contains("`1.000` is not a non-negative integer"), "{json}");
}

#[test]
fn a_column_map_renames_headers_and_values() {
    let expected = evaluated(observations_csv().as_bytes(), "observations.csv", InputOptions::default()).unwrap();
    let map = ColumnMap::from_json(
        r#"{"columns": {"unit": "DonVi", "indicator": "MaChiTieu", "numerator": "SoDat"},
            "values": {"unit": {"Khóm 1": "k1", "KHÓM 2": "k2"}}}"#
            .as_bytes(),
        "map.json",
    )
    .unwrap();
    let csv = observations_csv()
        .replace("unit,indicator,period,numerator", "DonVi,MaChiTieu,Kỳ,SoDat")
        .replace("k1,", "khóm 1,")
        .replace("k2,", "Khóm 2,");
    let options = InputOptions { columns: Some(Arc::new(map)), ..InputOptions::default() };
    assert_eq!(evaluated(csv.as_bytes(), "o.csv", options.clone()).unwrap(), expected);
    // A mapped header missing from the file: the missing-column error, naming the map.
    let e = evaluated(observations_csv().as_bytes(), "o.csv", options).unwrap_err();
    assert_eq!(e.to_string(), "o.csv: the header has no `DonVi` column, which map.json maps to `unit`");
    assert_eq!(e.code(), chiso::ErrorCode::MissingColumn);
}

#[test]
fn bytes_that_are_not_utf8_reject_their_row_and_say_how_to_resave() {
    // Windows-1258 / CP1252: `é` is the single byte 0xE9.
    let mut csv = observations_csv().into_bytes();
    let at = csv.len();
    csv.extend_from_slice(b"Kh\xe9m,dossiers_fully_online,2025,1,2\n");
    csv.extend_from_slice(b"k3,dossiers_fully_online,2025,1,2\n");
    let json = evaluated(&csv, "o.csv", InputOptions::default()).unwrap();
    let offset = at + 2;
    let reason = format!(
        "not UTF-8 (byte 2 of the field, byte {offset} of the file): the file is probably not UTF-8 (Windows-1258 or CP1252?); open it and save it again as \\\"CSV UTF-8\\\""
    );
    assert!(json.contains(&reason), "{json}");
    assert!(json.contains("\"row\": 6"), "{json}");
    assert!(json.contains("\"k3\""), "the row after is kept: {json}");
    // UTF-16 without a byte order mark: refused with the offset that tells it.
    let utf16: Vec<u8> = observations_csv().encode_utf16().flat_map(u16::to_le_bytes).collect();
    let e = evaluated(&utf16, "o.csv", InputOptions::default()).unwrap_err().to_string();
    assert!(e.contains("o.csv") && e.contains("byte 1 is a zero byte"), "{e}");
    // With a BOM it reads, through the options' rewriting too.
    let mut bom = vec![0xFF, 0xFE];
    bom.extend_from_slice(&utf16);
    let expected = evaluated(observations_csv().as_bytes(), "observations.csv", InputOptions::default()).unwrap();
    assert_eq!(evaluated(&bom, "observations.csv", InputOptions::default()).unwrap(), expected);
    let options = InputOptions { delimiter: Some(b','), ..InputOptions::default() };
    assert_eq!(evaluated(&bom, "observations.csv", options).unwrap(), expected);
}

/// A dossier: id, unit, procedure, received, due, finished (or ""), channel, synced.
type Dossier = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, bool);

const DOSSIERS: [Dossier; 5] = [
    ("HS-1", "k1", "p1", "2026-08-03 08:15:00", "2026-08-10", "2026-08-07 16:00:00", "online", true),
    ("HS-2", "k1", "p1", "2026-08-04 09:00:00", "2026-08-06", "2026-08-12 10:30:00", "direct", false),
    ("HS-3", "k2", "p2", "2026-08-05 14:20:00", "2026-08-20", "", "online", true),
    ("HS-4", "k2", "p1", "2026-08-06 07:45:00", "2026-08-08", "2026-08-08 17:00:00", "postal", false),
    ("HS-5", "k1", "p2", "2026-08-11 10:00:00", "2026-08-25", "2026-08-20 09:00:00", "online", true),
];

fn dossiers_csv() -> String {
    let mut csv = String::from("dossier_id,unit,procedure,received_at,due_at,finished_at,channel,synced\n");
    for (id, u, p, r, d, f, c, s) in DOSSIERS {
        let r = r.replace(' ', "T") + "+07:00";
        let f = if f.is_empty() { String::new() } else { f.replace(' ', "T") + "+07:00" };
        csv += &format!("{id},{u},{p},{r},{d},{f},{c},{}\n", u8::from(s));
    }
    csv
}

fn scored(bytes: &[u8], name: &str, input: InputOptions, push: bool) -> Result<String, chiso::api::Error> {
    let names = Names766 { dossiers: name.to_owned(), ..Names766::default() };
    let mut session = Score766Builder::new("2026-08").names(names).input(input).build()?;
    if push {
        for chunk in bytes.chunks(7) {
            session.push_csv(chunk)?;
        }
    } else {
        session.read_dossiers(bytes, RecordFormat::Csv, 2, &mut |_| {})?;
    }
    Ok(session.finish()?.to_json())
}

/// The export shape: a title, Vietnamese headers, date cells, Vietnamese channel words.
fn dossier_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let time = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    let sheet = book.add_worksheet().set_name("DanhSachHoSo").unwrap();
    sheet.merge_range(0, 0, 0, 7, "DANH SÁCH HỒ SƠ TIẾP NHẬN THÁNG 8/2026", &Format::new()).unwrap();
    let headers = [
        "Số hồ sơ",
        "Mã đơn vị",
        "Mã TTHC",
        "Ngày tiếp nhận",
        "Hạn xử lý",
        "Ngày có kết quả",
        "Kênh nộp",
        "Đồng bộ DVCQG",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, u16::try_from(c).unwrap(), *h).unwrap();
    }
    for (i, (id, u, p, r, d, f, c, s)) in DOSSIERS.iter().enumerate() {
        let row = 3 + u32::try_from(i).unwrap();
        sheet.write_string(row, 0, *id).unwrap();
        sheet.write_string(row, 1, *u).unwrap();
        sheet.write_string(row, 2, *p).unwrap();
        sheet.write_datetime_with_format(row, 3, ExcelDateTime::parse_from_str(r).unwrap(), &time).unwrap();
        sheet.write_datetime_with_format(row, 4, ExcelDateTime::parse_from_str(d).unwrap(), &date).unwrap();
        if !f.is_empty() {
            sheet.write_datetime_with_format(row, 5, ExcelDateTime::parse_from_str(f).unwrap(), &time).unwrap();
        }
        let channel = match *c {
            "online" => "Trực tuyến",
            "direct" => "Trực tiếp",
            _ => "Dịch vụ bưu chính công ích",
        };
        sheet.write_string(row, 6, channel).unwrap();
        sheet.write_string(row, 7, if *s { "x" } else { "" }).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_dossier_workbook_scores_exactly_as_its_canonical_csv() {
    let expected = scored(dossiers_csv().as_bytes(), "dossiers.csv", InputOptions::default(), false).unwrap();
    assert!(expected.contains("\"ON_TIME\""), "{expected}");
    let book = dossier_workbook();
    assert_eq!(scored(&book, "dossiers.xlsx", InputOptions::default(), false).unwrap(), expected);
    // Read as a file that may be opened twice (the compact duplicate check): once, as a workbook.
    let names = Names766 { dossiers: "upload.bin".to_owned(), ..Names766::default() };
    let mut session = Score766Builder::new("2026-08").names(names).build().unwrap();
    let mut opened = 0;
    let open = || {
        opened += 1;
        Ok(book.as_slice())
    };
    session.read_dossiers_file(open, RecordFormat::Csv, 2, &mut |_| {}).unwrap();
    assert_eq!(session.finish().unwrap().to_json(), expected);
    assert_eq!(opened, 1);
    // The same for a CSV file under options.
    let options = InputOptions { delimiter: Some(b','), ..InputOptions::default() };
    let mut session = Score766Builder::new("2026-08").input(options).build().unwrap();
    let csv = dossiers_csv();
    session.read_dossiers_file(|| Ok(csv.as_bytes()), RecordFormat::Csv, 2, &mut |_| {}).unwrap();
    assert_eq!(session.finish().unwrap().to_json(), expected);
    // Pushing a workbook in chunks is refused, with the way to read it.
    let e = scored(&book, "dossiers.xlsx", InputOptions::default(), true).unwrap_err();
    assert_eq!(e.code(), chiso::ErrorCode::Misuse);
    // Pushed or read whole, a CSV under options scores as the canonical one.
    let options = InputOptions { delimiter: Some(b','), ..InputOptions::default() };
    assert_eq!(scored(dossiers_csv().as_bytes(), "dossiers.csv", options.clone(), true).unwrap(), expected);
    assert_eq!(scored(dossiers_csv().as_bytes(), "dossiers.csv", options, false).unwrap(), expected);
}

#[test]
fn a_dossier_column_map_renames_headers_and_values() {
    let expected = scored(dossiers_csv().as_bytes(), "dossiers.csv", InputOptions::default(), false).unwrap();
    let map = ColumnMap::from_json(
        r#"{"columns": {"dossier_id": "SoHoSo", "received_at": "NgayNop", "channel": "HinhThuc"},
            "values": {"channel": {"Nộp online": "online", "Tại quầy": "direct"}}}"#
            .as_bytes(),
        "map.json",
    )
    .unwrap();
    let csv = dossiers_csv()
        .replace("dossier_id,", "SoHoSo,")
        .replace("received_at,", "NgayNop,")
        .replace(",channel,", ",HinhThuc,")
        .replace(",online,", ",Nộp online,")
        .replace(",direct,", ",tại quầy,");
    let options = InputOptions { columns: Some(Arc::new(map)), ..InputOptions::default() };
    for push in [false, true] {
        assert_eq!(scored(csv.as_bytes(), "dossiers.csv", options.clone(), push).unwrap(), expected, "push {push}");
    }
    // A `;` export, day-first dates, only its headers mapped: the header is rewritten and the rest
    // streams to the dossier fast path untouched.
    let headers_only = ColumnMap::from_json(
        br#"{"columns": {"dossier_id": "SoHoSo", "received_at": "NgayNop", "channel": "HinhThuc"}}"#,
        "map.json",
    )
    .unwrap();
    let semicolons = csv.replace(',', ";").replace(";Nộp online;", ";online;").replace(";tại quầy;", ";direct;");
    let renamed = InputOptions { columns: Some(Arc::new(headers_only)), ..InputOptions::default() };
    for push in [false, true] {
        assert_eq!(scored(semicolons.as_bytes(), "d.csv", renamed.clone(), push).unwrap(), expected, "push {push}");
    }
    let commas = InputOptions { delimiter: Some(b','), ..renamed };
    let e = scored(semicolons.as_bytes(), "d.csv", commas, false).unwrap_err();
    assert_eq!(e.code(), chiso::ErrorCode::MissingColumn, "{e}");
    // The same map on the workbook: headers renamed, values as they are.
    let e = scored(&dossier_workbook(), "d.xlsx", options, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "d.xlsx#DanhSachHoSo: the header has no `SoHoSo` column, which map.json maps to `dossier_id`"
    );
}

#[test]
fn the_words_chiso_schema_lists_are_read() {
    let mut csv = String::from("dossier_id,unit,procedure,received_at,due_at,finished_at,channel,rating\n");
    for (i, (_, words)) in chiso::headers::CHANNEL_WORDS.iter().enumerate() {
        for (j, w) in words.iter().enumerate() {
            let rating = chiso::headers::RATING_WORDS[(i + j) % 3].1[0];
            csv += &format!("d{i}{j},k1,p,2026-08-03,2026-08-10,2026-08-05,{},{rating}\n", w.to_uppercase());
        }
    }
    for (_, words) in chiso::headers::RATING_WORDS {
        for w in words {
            csv += &format!("r{w},k1,p,2026-08-03,2026-08-10,2026-08-05,,{w}\n");
        }
    }
    for date in ["2026-08-03", "03/08/2026 08:15", "03-08-2026 08:15:30", "2026-08-03 08:15", "2026-08-03T08:15:00Z"] {
        csv += &format!("t{date},k1,p,{date},,,,\n");
    }
    let json = scored(csv.as_bytes(), "dossiers.csv", InputOptions::default(), false).unwrap();
    assert!(json.contains("\"rejected\": []"), "{json}");
    let mut obs = String::from("unit,indicator,period,numerator,denominator,kind\n");
    for (_, words) in chiso::headers::KIND_WORDS {
        for w in words {
            obs += &format!("k{w},dossiers_fully_online,2025,1,2,{w}\n");
        }
    }
    let json = evaluated(obs.as_bytes(), "o.csv", InputOptions::default()).unwrap();
    assert!(json.contains("\"rejected\": []"), "{json}");
}

/// The fixtures the C and WASM suites read (`core/tests/fixtures/exports/`): workbooks and the
/// canonical CSV they must read as. `CHISO_BLESS=1` writes them; every run checks them.
#[test]
fn the_fixture_workbooks_read_as_their_canonical_csv() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exports");
    if std::env::var_os("CHISO_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("observations.xlsx"), workbook(|s| observations_sheet(s, |_, _| {}))).unwrap();
        std::fs::write(dir.join("observations.csv"), observations_csv()).unwrap();
        std::fs::write(dir.join("dossiers.xlsx"), dossier_workbook()).unwrap();
        std::fs::write(dir.join("dossiers.csv"), dossiers_csv()).unwrap();
    }
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let expected = evaluated(&read("observations.csv"), "observations.csv", InputOptions::default()).unwrap();
    assert_eq!(evaluated(&read("observations.xlsx"), "observations.csv", InputOptions::default()).unwrap(), expected);
    let expected = scored(&read("dossiers.csv"), "dossiers.csv", InputOptions::default(), false).unwrap();
    assert_eq!(scored(&read("dossiers.xlsx"), "dossiers.csv", InputOptions::default(), false).unwrap(), expected);
}
