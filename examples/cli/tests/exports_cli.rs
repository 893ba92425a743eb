//! Real exports through the command (exports.md): `--sheet`, `--header-row`, `--columns`,
//! `--delimiter`, `--decimal-comma` give the result of the canonical files, on `evaluate` and
//! `score766`; a wrong map is one error line naming the map and the key.
#![expect(clippy::unwrap_used, reason = "helpers of tests: a failure is a panic")]

use std::process::Command;

fn chiso(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("chiso-exports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

const OBSERVATIONS: &str = "unit,indicator,period,numerator,denominator\n\
    k1,dossiers_fully_online,2025,812,1000\n\
    k2,dossiers_fully_online,2025,1640,2000\n";

#[test]
fn an_observations_export_evaluates_as_the_canonical_file() {
    let canonical = temp("observations.csv", OBSERVATIONS.as_bytes());
    let args = ["evaluate", "--as-of", "2026-11-28", "--format", "json", "--observations"];
    let (code, expected, err) = chiso(&[&args[..], &[canonical.as_str()]].concat());
    assert_eq!(code, 0, "{err}");
    // A `;` export with a title block, its own headers and thousands written with dots.
    let export = "BÁO CÁO CHỈ TIÊU;;;;\nDV;Chỉ tiêu;Kỳ;Đạt;Tổng\n\
        Khóm 1;dossiers_fully_online;2025;812;1.000\n\
        Khóm 2;dossiers_fully_online;2025;1.640;2.000\n";
    let export = temp("export.csv", export.as_bytes());
    let map = temp(
        "map.json",
        r#"{"columns": {"unit": "DV", "numerator": "Đạt", "denominator": "Tổng"},
            "values": {"unit": {"Khóm 1": "k1", "Khóm 2": "k2"}}}"#
            .as_bytes(),
    );
    let options = ["--header-row", "2", "--delimiter", ";", "--decimal-comma", "--columns", map.as_str()];
    let (code, out, err) = chiso(&[&args[..], &[export.as_str()], &options[..]].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, expected);
    // The same in a workbook, its header found under the title block, its sheet named.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Số liệu").unwrap();
    sheet.write_string(0, 0, "BÁO CÁO CHỈ TIÊU").unwrap();
    for (r, line) in OBSERVATIONS.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (u32::try_from(r + 2).unwrap(), u16::try_from(c).unwrap());
            match cell.parse::<f64>() {
                Ok(n) if c >= 3 => sheet.write_number(r, c, n).unwrap(),
                _ => sheet.write_string(r, c, cell).unwrap(),
            };
        }
    }
    let xlsx = temp("observations.xlsx", &book.save_to_buffer().unwrap());
    let (code, out, err) = chiso(&[&args[..], &[xlsx.as_str(), "--sheet", "Số liệu"]].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, expected);
    let (code, _, err) = chiso(&[&args[..], &[xlsx.as_str(), "--sheet", "Data", "--lang", "en"]].concat());
    assert_ne!(code, 0);
    assert!(err.contains("the workbook has no sheet `Data` (sheets: Số liệu)"), "{err}");
}

#[test]
fn a_dossier_export_scores_as_the_canonical_file_and_a_bad_map_is_one_line() {
    let canonical = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel\n\
        d1,k1,p,2026-08-03,2026-08-10,2026-08-05,online\n\
        d2,k1,p,2026-08-04T09:30+07:00,2026-08-06,2026-08-12T16:00:00+07:00,direct\n";
    let export = "SoHoSo;DonVi;Mã TTHC;NgayNop;Hạn xử lý;Ngày có kết quả;HinhThuc\r\n\
        d1;k1;p;03/08/2026;10/08/2026;05/08/2026;Nộp online\r\n\
        d2;k1;p;04/08/2026 09:30;06/08/2026;12/08/2026 16:00:00;Tại quầy\r\n";
    let map = r#"{"columns": {"dossier_id": "SoHoSo", "unit": "DonVi", "received_at": "NgayNop", "channel": "HinhThuc"},
                 "values": {"channel": {"Nộp online": "online", "Tại quầy": "direct"}}}"#;
    let (canonical, export, map) =
        (temp("d.csv", canonical.as_bytes()), temp("e.csv", export.as_bytes()), temp("m.json", map.as_bytes()));
    let args = ["score766", "--period", "2026-08", "--format", "json", "--dossiers"];
    let (code, expected, err) = chiso(&[&args[..], &[canonical.as_str()]].concat());
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = chiso(&[&args[..], &[export.as_str(), "--columns", map.as_str()]].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, expected);
    let bad = temp("bad.json", br#"{"columns": {"dossier": "SoHoSo"}}"#);
    let (code, _, err) = chiso(&[&args[..], &[export.as_str(), "--columns", bad.as_str(), "--lang", "en"]].concat());
    assert_ne!(code, 0);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.json") && err.contains("`dossier`"), "{err}");
    let (code, _, err) = chiso(&[&args[..], &[export.as_str(), "--delimiter", "|"]].concat());
    assert_ne!(code, 0);
    assert!(err.contains("`|`"), "{err}");
}
