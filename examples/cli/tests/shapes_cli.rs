//! `chiso generate --shape export` and `chiso score766` on it (issue 11): the Vietnamese export of
//! a generated province scores byte for byte as its canonical files, with any `--jobs`, and from
//! standard input.
#![expect(clippy::unwrap_used, reason = "helpers of tests: a failure is a panic")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn chiso(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn generate(dir: &Path, shape: &str) {
    let out = dir.to_str().unwrap();
    let args = ["generate", "--dossiers", "40000", "--seed", "5", "--threads", "2", "--shape", shape, "--out", out];
    let (code, _, err) = chiso(&args, None);
    assert_eq!(code, 0, "{err}");
}

fn score(dir: &Path, jobs: &str, dossiers: Option<&str>, stdin: Option<&[u8]>) -> String {
    let file = |name: &str| dir.join(name).display().to_string();
    let dossiers = dossiers.map_or_else(|| file("dossiers.csv"), str::to_owned);
    let args = [
        "score766",
        "--period",
        "2025-07",
        "--format",
        "json",
        "--jobs",
        jobs,
        "--dossiers",
        &dossiers,
        "--units",
        &file("units.csv"),
        "--procedures",
        &file("procedures.csv"),
        "--feedback",
        &file("feedback.csv"),
    ];
    let (code, out, err) = chiso(&args, stdin);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn the_export_shape_scores_as_the_canonical_shape_with_any_jobs_and_from_stdin() {
    let root: PathBuf = std::env::temp_dir().join(format!("chiso-shapes-{}", std::process::id()));
    let (canonical, export) = (root.join("canonical"), root.join("export"));
    generate(&canonical, "canonical");
    generate(&export, "export");
    let bytes = std::fs::read(export.join("dossiers.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}Mã hồ sơ;".as_bytes()));
    // Large enough that two and four workers each get a piece of the 1 MiB-plus block.
    assert!(bytes.len() > 4 << 20, "{} bytes", bytes.len());
    let expected = score(&canonical, "1", None, None);
    assert!(expected.starts_with('{') && expected.contains("\"units\""));
    for jobs in ["1", "2", "4"] {
        assert_eq!(score(&canonical, jobs, None, None), expected, "canonical, --jobs {jobs}");
        assert_eq!(score(&export, jobs, None, None), expected, "export, --jobs {jobs}");
    }
    assert_eq!(score(&export, "2", Some("-"), Some(&bytes)), expected, "export from standard input");
    // Units from standard input too.
    let units = std::fs::read(export.join("units.csv")).unwrap();
    let [dossiers, procedures, feedback] =
        ["dossiers.csv", "procedures.csv", "feedback.csv"].map(|name| export.join(name).display().to_string());
    let args = ["score766", "--period", "2025-07", "--format", "json", "--units", "-", "--dossiers", &dossiers];
    let args = [&args[..], &["--procedures", &procedures, "--feedback", &feedback]].concat();
    let (code, out, err) = chiso(&args, Some(&units));
    assert_eq!((code, out), (0, expected), "{err}");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn utf16_without_a_byte_order_mark_on_stdin_is_one_located_error() {
    let text = "dossier_id;unit;procedure;received_at\r\nd1;a;P;01/07/2025\r\n";
    let no_bom: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let args = ["score766", "--lang", "en", "--period", "2025-07", "--dossiers", "-"];
    let (code, _, err) = chiso(&args, Some(&no_bom));
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("stdin") && err.contains("byte 1 is a zero byte"), "{err}");
}
