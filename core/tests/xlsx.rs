//! `.xlsx` input: a workbook written here (title block, date cells with and without a time,
//! numbers, booleans, a formula with its cached value, a merged cell, an error cell) reads as the
//! CSV a canonical file would hold.
#![cfg(feature = "xlsx")]
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use chiso::tabular::xlsx::{SheetOptions, looks_like_xlsx, xlsx_to_csv};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let time = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    let sheet = book.add_worksheet().set_name("Hồ sơ").unwrap();
    sheet.merge_range(0, 0, 0, 3, "DANH SÁCH HỒ SƠ THÁNG 8/2026", &Format::new()).unwrap();
    for (c, h) in
        ["dossier_id", "unit", "received_at", "due_at", "supplement_days", "synced", "note"].iter().enumerate()
    {
        sheet.write_string(2, u16::try_from(c).unwrap(), *h).unwrap();
    }
    sheet.write_string(3, 0, "HS-1").unwrap();
    sheet.write_string(3, 1, "xa-a").unwrap();
    let received = ExcelDateTime::parse_from_str("2026-08-03 08:15:00").unwrap();
    sheet.write_datetime_with_format(3, 2, &received, &time).unwrap();
    let due = ExcelDateTime::parse_from_str("2026-08-10").unwrap();
    sheet.write_datetime_with_format(3, 3, &due, &date).unwrap();
    sheet.write_number(3, 4, 1.5).unwrap();
    sheet.write_boolean(3, 5, true).unwrap();
    sheet.write_string(3, 6, "a, \"quoted\" note").unwrap();
    sheet.write_string(4, 0, "HS-2").unwrap();
    sheet.write_string(4, 1, "xa-b").unwrap();
    sheet.write_formula(4, 4, Formula::new("=1+1").set_result("2")).unwrap();
    sheet.write_number(4, 5, 0.0).unwrap();
    book.add_worksheet().set_name("Other").unwrap().write_string(0, 0, "x").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn a_sheet_reads_as_canonical_csv() {
    let bytes = workbook();
    assert!(looks_like_xlsx(&bytes));
    let options = SheetOptions { sheet: None, header_row: Some(3) };
    let (csv, above) = xlsx_to_csv(&bytes, "dossiers.xlsx", &options).unwrap();
    assert_eq!(above, 2, "two rows above the header");
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "dossier_id,unit,received_at,due_at,supplement_days,synced,note\n\
         HS-1,xa-a,2026-08-03 08:15:00,2026-08-10,1.5,true,\"a, \"\"quoted\"\" note\"\n\
         HS-2,xa-b,,,2,0,\n"
    );
    // By name; an unknown name lists the sheets.
    let other = SheetOptions { sheet: Some("Other".into()), header_row: None };
    assert_eq!(xlsx_to_csv(&bytes, "d.xlsx", &other).unwrap().0, b"x\n");
    let missing = SheetOptions { sheet: Some("Nope".into()), header_row: None };
    let e = xlsx_to_csv(&bytes, "d.xlsx", &missing).unwrap_err().to_string();
    assert_eq!(e, "d.xlsx: the workbook has no sheet `Nope` (sheets: Hồ sơ, Other)");
}
