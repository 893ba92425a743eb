//! The conventions every `chiso` command follows: `-o/--output`, `--fail-on-rejected` (exit 3),
//! `--lang` and `CHISO_LANG`, one error style, completions and the man page.
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chiso_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chiso"));
    command.args(args).env("NO_COLOR", "1").env_remove("CHISO_LANG");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn chiso(args: &[&str]) -> Output {
    chiso_env(args, &[])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-conventions-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../core/tests/golden/score766/sample-town-records")
}

#[test]
fn output_option_writes_the_same_bytes_as_stdout_for_every_command() {
    let dir = scratch("output");
    let golden = golden_dir();
    let dossiers = golden.join("dossiers.csv");
    let period = std::fs::read_to_string(golden.join("period")).unwrap_or_else(|_| "2026-10".to_owned());
    let commands: Vec<Vec<String>> = vec![
        vec!["report".into(), "--as-of".into(), "2026-11-28".into(), "--format".into(), "json".into()],
        vec!["plan".into()],
        vec!["schema".into(), "units".into()],
        vec![
            "score766".into(),
            "--dossiers".into(),
            dossiers.display().to_string(),
            "--period".into(),
            period.trim().to_owned(),
            "--format".into(),
            "json".into(),
        ],
        vec!["completions".into(), "bash".into()],
        vec!["man".into()],
    ];
    for (i, args) in commands.iter().enumerate() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let stdout = chiso(&args);
        assert!(stdout.status.success(), "{args:?}: {}", text(&stdout.stderr));
        assert!(!stdout.stdout.is_empty(), "{args:?}");
        let file = dir.join(format!("out-{i}"));
        for flag in ["-o", "--output"] {
            let _ = std::fs::remove_file(&file);
            let mut with_file = args.clone();
            with_file.extend([flag, file.to_str().unwrap()]);
            let written = chiso(&with_file);
            assert!(written.status.success(), "{with_file:?}: {}", text(&written.stderr));
            assert!(written.stdout.is_empty(), "{with_file:?} wrote to stdout too");
            assert_eq!(std::fs::read(&file).unwrap(), stdout.stdout, "{with_file:?}");
        }
        // `-o -` is standard output.
        let mut dash = args.clone();
        dash.extend(["-o", "-"]);
        assert_eq!(chiso(&dash).stdout, stdout.stdout, "{dash:?}");
    }
    // No temporary file is left beside the outputs.
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|n| !n.to_string_lossy().contains("chiso-tmp")), "{left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_run_leaves_the_previous_output_untouched() {
    let dir = scratch("failed");
    let file = dir.join("result.json");
    std::fs::write(&file, "previous").unwrap();
    let bad = dir.join("obs.csv");
    std::fs::write(&bad, "unit,period\nx,2025\n").unwrap();
    let out = chiso(&["evaluate", "--observations", bad.to_str().unwrap(), "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous");
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "{left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_to_a_named_pipe_or_a_link_writes_through_and_keeps_it_what_it_was() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("special");
    let args = ["plan", "--format", "json"];
    let expected = chiso(&args).stdout;
    // A named pipe stands for /dev/null, /dev/stdout or a terminal: renaming a temporary file onto
    // one of those would turn the device into a plain file for every program on the machine.
    let fifo = dir.join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let mut through_pipe = args.to_vec();
    through_pipe.extend(["-o", fifo.to_str().unwrap()]);
    let out = chiso(&through_pipe);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Checked before joining: had the pipe been replaced, the reader would wait for ever.
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe is still a pipe");
    assert_eq!(reader.join().unwrap(), expected);
    // A link to a regular file: the target is replaced, the link stays a link.
    let target = dir.join("target.json");
    std::fs::write(&target, "previous").unwrap();
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let mut through_link = args.to_vec();
    through_link.extend(["-o", link.to_str().unwrap()]);
    let out = chiso(&through_link);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert_eq!(std::fs::read(&target).unwrap(), expected);
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 3, "no temporary file left: {left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fail_on_rejected_exits_3_and_still_writes_the_report() {
    let dir = scratch("rejected");
    let obs = dir.join("obs.csv");
    std::fs::write(
        &obs,
        "unit,indicator,period,numerator,denominator\na,dossiers_fully_online,2025,8,10\na,dossiers_fully_online,2024,11,10\n",
    )
    .unwrap();
    let base = ["evaluate", "--observations", obs.to_str().unwrap(), "--as-of", "2026-11-28", "--format", "json"];
    let plain = chiso(&base);
    assert_eq!(plain.status.code(), Some(0), "rejected rows alone are not a failure");
    let mut args = base.to_vec();
    args.push("--fail-on-rejected");
    let failing = chiso(&args);
    assert_eq!(failing.status.code(), Some(3), "{}", text(&failing.stderr));
    assert_eq!(failing.stdout, plain.stdout, "the report is written all the same");
    assert!(text(&failing.stderr).contains("chiso: lỗi: 1 dòng bị loại (`--fail-on-rejected`: mã thoát 3)"));
    // A clean file exits 0 with the flag.
    std::fs::write(&obs, "unit,indicator,period,numerator,denominator\na,dossiers_fully_online,2025,8,10\n").unwrap();
    assert_eq!(chiso(&args).status.code(), Some(0));
    // The same on score766, through a bad dossier row.
    let dossiers = dir.join("dossiers.csv");
    let golden = std::fs::read_to_string(golden_dir().join("dossiers.csv")).unwrap();
    let first_data = golden.lines().nth(1).unwrap();
    let bad_row = first_data.replacen(',', ",,", 1);
    std::fs::write(&dossiers, format!("{golden}{bad_row}\n")).unwrap();
    let period = std::fs::read_to_string(golden_dir().join("period")).unwrap_or_else(|_| "2026-10".to_owned());
    let score = |extra: &[&str]| {
        let mut args = vec!["score766", "--dossiers", dossiers.to_str().unwrap(), "--period", period.trim()];
        args.extend(extra);
        chiso(&args)
    };
    assert_eq!(score(&[]).status.code(), Some(0));
    assert_eq!(score(&["--fail-on-rejected"]).status.code(), Some(3));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn chiso_lang_sets_the_language_and_lang_wins() {
    let en = chiso_env(&["evaluate", "--observations", "/nonexistent.csv"], &[("CHISO_LANG", "en")]);
    assert!(text(&en.stderr).starts_with("chiso: error [io]: cannot read"), "{}", text(&en.stderr));
    let vi = chiso_env(&["evaluate", "--lang", "vi", "--observations", "/nonexistent.csv"], &[("CHISO_LANG", "en")]);
    assert!(text(&vi.stderr).starts_with("chiso: lỗi [io]: không đọc được"), "{}", text(&vi.stderr));
    // Every command takes `--lang`.
    for args in [&["plan", "--lang", "en"][..], &["schema", "units", "--lang", "en"], &["man", "--lang", "en"]] {
        assert!(chiso(args).status.success(), "{args:?}");
    }
    let man = chiso_env(&["man", "nope"], &[("CHISO_LANG", "en")]);
    assert_eq!(text(&man.stderr), "chiso: error [invalid_argument]: `chiso` has no command `nope`\n");
    let bad = chiso_env(&["report"], &[("CHISO_LANG", "fr")]);
    assert_eq!(bad.status.code(), Some(2), "an unknown language is a usage error");
}

#[test]
fn completions_and_man_pages_come_from_the_definitions() {
    let bash = text(&chiso(&["completions", "bash"]).stdout);
    for word in ["score766", "portal", "--fail-on-rejected", "--output"] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = chiso(&["completions", shell]);
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
    let man = text(&chiso(&["man"]).stdout);
    assert!(man.contains(".TH chiso 1") && man.contains("score766"), "{man}");
    let page = text(&chiso(&["man", "score766"]).stdout);
    assert!(page.contains(".TH chiso-score766 1") && page.contains("fail\\-on\\-rejected"), "{page}");
    let sub = text(&chiso(&["man", "portal", "import"]).stdout);
    assert!(sub.contains(".TH chiso-portal-import 1"), "{sub}");
}

#[test]
fn standard_input_is_given_to_one_input_only() {
    let evaluate = chiso(&["evaluate", "--observations", "-", "--units", "-", "--lang", "en"]);
    assert_eq!(evaluate.status.code(), Some(1));
    assert_eq!(
        text(&evaluate.stderr),
        "chiso: error [invalid_argument]: only one input can be `-` (standard input can be read once)\n"
    );
    let score = chiso(&["score766", "--dossiers", "-", "--feedback", "-", "--period", "2026-10"]);
    assert_eq!(score.status.code(), Some(1));
    assert!(text(&score.stderr).starts_with("chiso: lỗi [invalid_argument]: chỉ một tệp có thể là `-`"));
}
