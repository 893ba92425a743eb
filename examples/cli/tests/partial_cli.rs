//! `chiso score766 --partial-out` and `chiso score766 merge`: partials saved from parts of a file
//! merge into the scorecards of one pass over the whole file, in every output format.
#![expect(clippy::unwrap_used, reason = "helpers of tests: a failure is a panic")]

use std::path::PathBuf;
use std::process::Command;

fn chiso(args: &[&str]) -> (i32, Vec<u8>, String) {
    chiso_in(&dir(), args)
}

/// `chiso args` run in `cwd` (so that files given by name are named alike in rejections).
fn chiso_in(cwd: &std::path::Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso")).current_dir(cwd).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), out.stdout, String::from_utf8(out.stderr).unwrap())
}

/// The first line where two outputs differ, for a short failure message.
fn first_difference(a: &[u8], b: &[u8]) -> Option<(usize, String, String)> {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let mut lines = a.lines().zip(b.lines()).enumerate();
    let found = lines.find(|(_, (x, y))| x != y).map(|(i, (x, y))| (i + 1, x.to_owned(), y.to_owned()));
    found.or_else(|| (a.lines().count() != b.lines().count()).then(|| (0, "lengths".to_owned(), String::new())))
}

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-partial-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sample(file: &str) -> String {
    format!("{}/sample/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// The sample dossiers with only the rows `keep` says, the others blank (so every row keeps its
/// number, and a rejected row is listed alike), as `name`; a name `DIR/dossiers.csv` keeps the
/// file's name in rejections when run in `DIR`.
fn part(name: &str, keep: impl Fn(usize) -> bool) -> String {
    let text = std::fs::read_to_string(sample("dossiers.csv")).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for (i, line) in lines.enumerate() {
        if keep(i) {
            out += line;
        }
        out.push('\n');
    }
    let path = dir().join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, out).unwrap();
    path.display().to_string()
}

/// `chiso score766` over `dossiers` with the sample's context, and `extra`.
fn run(dossiers: &str, extra: &[&str]) -> (i32, Vec<u8>, String) {
    run_in(&dir(), dossiers, extra)
}

/// [`run`] in `cwd`.
fn run_in(cwd: &std::path::Path, dossiers: &str, extra: &[&str]) -> (i32, Vec<u8>, String) {
    let (units, procedures) = (sample("units.csv"), sample("procedures.csv"));
    let mut args = vec!["score766", "--dossiers", dossiers, "--units", &units, "--procedures", &procedures];
    args.extend(extra);
    chiso_in(cwd, &args)
}

#[test]
fn partials_of_a_split_file_merge_into_the_whole_files_scorecards() {
    let (feedback, counts) = (sample("feedback.csv"), sample("counts.json"));
    let range = "2026-09..2026-10";
    // Every part is `dossiers.csv` in a folder of its own: its rejected rows name it as the
    // whole file's name them.
    part("whole/dossiers.csv", |_| true);
    part("a/dossiers.csv", |i| i % 3 == 0);
    part("b/dossiers.csv", |i| i % 3 != 0);
    let (pa, pb) = (dir().join("a.partial"), dir().join("b.partial"));
    let (pa, pb) = (pa.to_str().unwrap(), pb.to_str().unwrap());
    // Feedback and counts in one part only, as a province sends them once.
    let extra = ["--feedback", &feedback, "--counts", &counts];
    let mut args = vec!["--period", range, "--partial-out", pa];
    args.extend(extra);
    let (code, card, err) = run_in(&dir().join("a"), "dossiers.csv", &args);
    assert_eq!(code, 0, "{err}");
    assert!(!card.is_empty(), "the scorecard is still printed");
    let (code, _, err) = run_in(&dir().join("b"), "dossiers.csv", &["--period", range, "--partial-out", pb]);
    assert_eq!(code, 0, "{err}");
    for format in ["json", "csv", "md", "table"] {
        let mut args = vec!["--period", range, "--format", format];
        args.extend(extra);
        let (code, whole, err) = run_in(&dir().join("whole"), "dossiers.csv", &args);
        assert_eq!(code, 0, "{err}");
        if format == "json" {
            assert!(String::from_utf8_lossy(&whole).contains("\"source\": \"dossiers.csv\""), "a rejected row");
        }
        // Merged in either order: the same bytes.
        for (first, second) in [(pa, pb), (pb, pa)] {
            let (code, merged, err) = chiso(&["score766", "merge", first, second, "--format", format]);
            assert_eq!(code, 0, "{err}");
            assert_eq!(first_difference(&merged, &whole), None, "{format}");
        }
    }
    // One period of the range: the scorecard of that period alone.
    let mut args = vec!["--period", "2026-10", "--format", "json"];
    args.extend(extra);
    let (_, alone, _) = run_in(&dir().join("whole"), "dossiers.csv", &args);
    let (code, narrowed, err) = chiso(&["score766", "merge", pa, pb, "--period", "2026-10", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first_difference(&narrowed, &alone), None);
    // Written with -o, whole.
    let out = dir().join("merged.json");
    let out = out.to_str().unwrap();
    let (code, _, err) = chiso(&["score766", "merge", pa, pb, "--period", "2026-10", "--format", "json", "-o", out]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(out).unwrap(), alone);
}

#[test]
fn damaged_and_mismatched_partials_are_one_line_errors_with_their_code() {
    let a = part("c.csv", |i| i < 20);
    let (pa, pq) = (dir().join("c.partial"), dir().join("q.partial"));
    let (pa, pq) = (pa.to_str().unwrap(), pq.to_str().unwrap());
    assert_eq!(run(&a, &["--period", "2026-10", "--partial-out", pa]).0, 0);
    assert_eq!(run(&a, &["--period", "2026-Q4", "--partial-out", pq]).0, 0);
    let (code, _, err) = chiso(&["score766", "merge", pa, pq, "--lang", "en"]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("chiso: error [partial_mismatch]: cannot merge a partial of `portal-2026` 2026-Q4"),
        "{err}"
    );
    let mut bytes = std::fs::read(pa).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    let damaged = dir().join("damaged.partial");
    std::fs::write(&damaged, &bytes).unwrap();
    let (code, _, err) = chiso(&["score766", "merge", pa, damaged.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("chiso: error [partial_corrupt]: "), "{err}");
    assert!(err.contains("checksum of the partial's body does not match"), "{err}");
    std::fs::write(&damaged, &bytes[..bytes.len() - 9]).unwrap();
    let (_, _, err) = chiso(&["score766", "merge", damaged.to_str().unwrap(), "--lang", "en"]);
    assert!(err.starts_with("chiso: error [partial_corrupt]: "), "{err}");
    assert!(err.contains("cut short"), "{err}");
    let (_, _, err) = chiso(&["score766", "merge", &sample("counts.json")]);
    assert!(err.starts_with("chiso: lỗi [partial_corrupt]: "), "{err}");
    // A failed --partial-out leaves no file behind.
    let nowhere = dir().join("no/such/dir/x.partial");
    let (code, _, _) = run(&a, &["--period", "2026-10", "--partial-out", nowhere.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(!nowhere.exists());
    // --partial-out needs records.
    let (code, _, err) = chiso(&["score766", "--counts", &sample("counts.json"), "--partial-out", pa]);
    assert_eq!(code, 2, "{err}");
}
