//! The Decision 766 session that libchiso's scorer and the WASM package wrap
//! (`chiso::api::Score766Session`), driven by a structured sequence of calls: loads of units,
//! procedures, counts and feedback (sample files, cut or patched, or raw bytes), a dossier CSV
//! pushed in chunks, records pushed as fields, JSON lines, empty pushes, merges of a second
//! session, finish, and calls after finish. A model of the session's state says what each call
//! must answer:
//!
//! - no panic;
//! - a call out of order (units or procedures after records or twice, counts twice, anything after
//!   a failed call) fails with `Misuse`; any call after finish or after the session was merged
//!   into another fails with `ScorerFinished`; a load that fails leaves the session as it was;
//! - an empty push changes nothing (units and procedures may still be loaded after it);
//! - (differential) the scorecard of a dossier CSV pushed in chunks is the scorecard of the same
//!   bytes pushed whole in a fresh session with the same files loaded, or the same error; and so
//!   is the scorecard of the same bytes read as a file by the parallel driver (`read_dossiers`,
//!   what the CLI calls), unless they are empty (an empty file has no header).
#![no_main]

use arbitrary::Arbitrary;
use chiso::ErrorCode;
use chiso::api::{RecordFormat, Score766Builder, Score766Session};
use chiso::score766::DOSSIER_FIELDS;
use libfuzzer_sys::fuzz_target;

const SAMPLE_UNITS: &str = include_str!("../../examples/cli/sample/units.csv");
const SAMPLE_PROCEDURES: &str = include_str!("../../examples/cli/sample/procedures.csv");
const SAMPLE_FEEDBACK: &str = include_str!("../../examples/cli/sample/feedback.csv");
const SAMPLE_COUNTS: &str = include_str!("../../examples/cli/sample/counts.json");
const SAMPLE_DOSSIERS: &str = include_str!("../../examples/cli/sample/dossiers.csv");
const SMALL_UNITS: &str = "id,name,parent,level\ntt-phu-my,T,,commune\nkhom-a,A,tt-phu-my,neighbourhood\n";
const SMALL_PROCEDURES: &str = "procedure,authority_level,service_level,eligible_full,paper_result,fee,payment_integrated,citizen_applicants\n1.000001,commune,none,0,0,0,1,1\n1.000019,commune,full,1,1,1,1,1\n";
const SMALL_COUNTS: &str = r#"{"period":"2026-09","units":[{"unit":"tt-phu-my","metrics":{"PUBLISH_ON_TIME":[1,2],"E_CERTIFIED_COPY":[0,0]}}]}"#;
const FEEDBACK_JSONL: &str = "{\"feedback_id\":\"F1\",\"unit\":\"tt-phu-my\",\"received_at\":\"2026-09-24T08:30:00\",\"due_at\":\"2026-09-28\",\"finished_at\":\"2026-09-30T10:00:00\",\"about\":\"rules\",\"unsatisfied\":0,\"raised_again\":0}\n{\"feedback_id\":\"F2\",\"unit\":\"tt-phu-my\",\"received_at\":\"2026-10-02T08:30:00\",\"due_at\":\"2026-10-09\",\"finished_at\":\"\",\"about\":\"staff\",\"unsatisfied\":1,\"raised_again\":0}\n";
const DOSSIERS_JSONL: &str = "{\"dossier_id\":\"J1\",\"unit\":\"tt-phu-my\",\"procedure\":\"1.000019\",\"received_at\":\"2026-09-24T10:09:00\",\"due_at\":\"2026-10-09\",\"finished_at\":\"2026-09-24T13:09:00\",\"channel\":\"online\",\"e_result\":1,\"synced\":true,\"fee\":1,\"paid_online\":\"1\",\"rating\":\"satisfied\"}\n{\"dossier_id\":\"J2\",\"unit\":\"khom-a\",\"procedure\":\"1.000001\",\"received_at\":\"2026-10-12T08:45:00\",\"due_at\":\"2026-10-19\",\"finished_at\":null,\"channel\":\"postal\",\"supplement_requests\":2,\"supplement_days\":3}\n";

const PERIODS: [&str; 6] = ["2026-09", "2026-10", "2026-Q3", "2026-Q4", "2026", "2025-12"];
const PROFILES: [Option<&str>; 3] = [None, Some("portal-2026"), Some("decision-2022")];

/// A file: one of the samples (cut short, with one byte patched) or raw bytes.
#[derive(Debug, Arbitrary)]
struct Blob {
    sample: u8,
    keep: u16,
    patch: Option<(u16, u8)>,
    raw: Vec<u8>,
}

impl Blob {
    fn bytes(&self, samples: &[&str]) -> Vec<u8> {
        let pick = usize::from(self.sample) % (samples.len() + 1);
        let Some(base) = samples.get(pick) else { return self.raw.clone() };
        let mut bytes = base.as_bytes().to_vec();
        // Mostly whole; otherwise cut at `keep` (then the raw bytes follow).
        if self.keep % 4 != 0 {
            bytes.truncate(usize::from(self.keep) % (bytes.len() + 1));
            bytes.extend_from_slice(&self.raw);
        }
        if let Some((at, byte)) = self.patch {
            let len = bytes.len().max(1);
            if let Some(b) = bytes.get_mut(usize::from(at) % len) {
                *b = byte;
            }
        }
        bytes
    }
}

#[derive(Debug, Arbitrary)]
enum Op {
    Units(Blob),
    Procedures(Blob),
    Counts(Blob),
    Feedback(Blob, bool),
    /// The next `n` chunks of the dossier CSV stream (at least one).
    PushCsv(u8),
    /// Records given as fields: per field, a value from the sample's column (or raw text).
    PushFields(Vec<[u8; DOSSIER_FIELDS]>),
    PushJsonl(Blob),
    PushEmpty(u8),
    /// The whole dossier CSV through the parallel file driver, with 1 to 4 workers.
    ReadDossiers(u8),
    /// Merges a second session that pushed these chunks of its own (the same period and profile
    /// unless `other_period`), after these calls on it.
    Merge { pushes: Vec<Op2>, other_period: bool },
    Finish,
    CheckUsable,
}

/// What the second session of a merge does before it is merged.
#[derive(Debug, Arbitrary)]
enum Op2 {
    Csv(u8),
    Fields([u8; DOSSIER_FIELDS]),
    Finish,
    Empty,
}

#[derive(Debug, Arbitrary)]
struct Input {
    period: u8,
    profile: u8,
    strict: bool,
    /// The dossier CSV: how many lines of the sample, then a patch.
    dossiers: Blob,
    lines: u8,
    cuts: Vec<u16>,
    /// The files of the differential sessions.
    units: Option<Blob>,
    procedures: Option<Blob>,
    counts: Option<Blob>,
    feedback: Option<(Blob, bool)>,
    ops: Vec<Op>,
}

/// The state a session is in, as its documentation says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    Loading { units: bool, procedures: bool },
    Scoring,
    Finished,
    Failed,
}

impl Model {
    /// The error any call must give now, if the session is spent.
    fn spent(self) -> Option<ErrorCode> {
        match self {
            Self::Finished => Some(ErrorCode::ScorerFinished),
            Self::Failed => Some(ErrorCode::Misuse),
            _ => None,
        }
    }
}

/// An error that is no protocol error: the input's own.
fn input_error(e: &chiso::Error, what: &str) {
    let code = e.code();
    assert!(code != ErrorCode::Misuse && code != ErrorCode::ScorerFinished, "{what}: unexpected {code:?}: {e}");
}

/// The dossier CSV cut into chunks at `cuts` (each a length, 1 or more bytes).
fn cut<'a>(body: &'a [u8], cuts: &[u16]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut sizes = cuts.iter().cycle();
    while !rest.is_empty() {
        let size = sizes.next().map_or(rest.len(), |s| usize::from(*s) % 97 + 1);
        let (a, b) = rest.split_at(size.min(rest.len()));
        out.push(a);
        rest = b;
    }
    out
}

fn columns() -> &'static Vec<Vec<&'static str>> {
    static COLUMNS: std::sync::OnceLock<Vec<Vec<&'static str>>> = std::sync::OnceLock::new();
    COLUMNS.get_or_init(|| {
        let mut columns: Vec<Vec<&str>> = vec![Vec::new(); DOSSIER_FIELDS];
        for line in SAMPLE_DOSSIERS.lines().skip(1).take(200) {
            for (i, field) in line.split(',').enumerate() {
                if let Some(c) = columns.get_mut(i) {
                    if !c.contains(&field) {
                        c.push(field);
                    }
                }
            }
        }
        for c in &mut columns {
            c.extend(["", "x", "-1", "18446744073709551616", "2026-02-30", "\u{fffd}", " 1"]);
        }
        columns
    })
}

fn fields_of(choice: &[u8; DOSSIER_FIELDS]) -> [&'static [u8]; DOSSIER_FIELDS] {
    let columns = columns();
    let mut fields: [&[u8]; DOSSIER_FIELDS] = [b""; DOSSIER_FIELDS];
    for (i, (f, c)) in fields.iter_mut().zip(choice).enumerate() {
        let values = &columns[i];
        *f = values[usize::from(*c) % values.len()].as_bytes();
    }
    fields
}

fn session(input: &Input, other_period: bool) -> Option<Score766Session> {
    let period = PERIODS[(usize::from(input.period) + usize::from(other_period)) % PERIODS.len()];
    let profile = PROFILES[usize::from(input.profile) % PROFILES.len()];
    // The builder with no files is `Score766Session::new` with `strict`.
    Score766Builder::new(period).profile(profile).strict(input.strict).build().ok()
}

/// Loads the differential files in order; `None` when one failed (then there is nothing to
/// compare).
fn loaded(input: &Input) -> Option<Score766Session> {
    let mut s = session(input, false)?;
    if let Some(b) = &input.units {
        s.load_units(&b.bytes(&[SAMPLE_UNITS, SMALL_UNITS])[..]).ok()?;
    }
    if let Some(b) = &input.procedures {
        s.load_procedures(&b.bytes(&[SAMPLE_PROCEDURES, SMALL_PROCEDURES])[..]).ok()?;
    }
    if let Some(b) = &input.counts {
        s.load_counts(&b.bytes(&[SAMPLE_COUNTS, SMALL_COUNTS])[..]).ok()?;
    }
    if let Some((b, jsonl)) = &input.feedback {
        let (bytes, format) = feedback(b, *jsonl);
        s.load_feedback(&bytes[..], format).ok()?;
    }
    Some(s)
}

fn feedback(b: &Blob, jsonl: bool) -> (Vec<u8>, RecordFormat) {
    if jsonl {
        (b.bytes(&[FEEDBACK_JSONL]), RecordFormat::JsonLines)
    } else {
        (b.bytes(&[SAMPLE_FEEDBACK]), RecordFormat::Csv)
    }
}

/// The scorecard (or the error code and message) of a session after `chunks`.
fn outcome(mut s: Score766Session, chunks: &[&[u8]]) -> Result<String, (ErrorCode, String)> {
    let err = |e: chiso::Error| (e.code(), e.to_string());
    for c in chunks {
        s.push_csv(c).map_err(err)?;
    }
    s.finish().map(|card| card.to_json()).map_err(err)
}

/// Checks the answer of a call that counts records (or reads feedback) against the model, and
/// moves the model on.
fn counted(model: &mut Model, result: Result<(), chiso::Error>, what: &str) {
    match (model.spent(), result) {
        (Some(code), Err(e)) => assert_eq!(e.code(), code, "{what} on a spent session ({model:?}): {e}"),
        (Some(_), Ok(())) => panic!("{what} succeeded on a spent session ({model:?})"),
        (None, Ok(())) => *model = Model::Scoring,
        (None, Err(e)) => {
            input_error(&e, what);
            *model = Model::Failed;
        }
    }
}

/// Checks the answer of a load of units or procedures (`done`: already loaded).
fn load(model: &mut Model, result: Result<(), chiso::Error>, which: fn(&mut Model) -> Option<&mut bool>, what: &str) {
    let before = *model;
    match (model.spent(), result) {
        (Some(code), r) => assert_eq!(r.err().map(|e| e.code()), Some(code), "{what} on a spent session ({before:?})"),
        (None, r) => match which(model) {
            None => assert_eq!(r.err().map(|e| e.code()), Some(ErrorCode::Misuse), "{what} after records ({before:?})"),
            Some(done) if *done => {
                assert_eq!(r.err().map(|e| e.code()), Some(ErrorCode::Misuse), "{what} twice ({before:?})");
            }
            Some(done) => match r {
                Ok(()) => *done = true,
                // A failed load leaves the session as it was.
                Err(e) => input_error(&e, what),
            },
        },
    }
}

fn units_slot(m: &mut Model) -> Option<&mut bool> {
    match m {
        Model::Loading { units, .. } => Some(units),
        _ => None,
    }
}

fn procedures_slot(m: &mut Model) -> Option<&mut bool> {
    match m {
        Model::Loading { procedures, .. } => Some(procedures),
        _ => None,
    }
}

fuzz_target!(|input: Input| {
    let Some(mut s) = session(&input, false) else { return };
    let mut dossiers: Vec<u8> = Vec::new();
    for line in SAMPLE_DOSSIERS.split_inclusive('\n').take(usize::from(input.lines % 24) + 1) {
        dossiers.extend_from_slice(line.as_bytes());
    }
    if input.dossiers.sample % 2 == 1 {
        dossiers = input.dossiers.bytes(&[std::str::from_utf8(&dossiers).unwrap_or_default()]);
    }
    let chunks = cut(&dossiers, &input.cuts);

    // The differential: in chunks, and whole, in fresh sessions with the same files.
    if let (Some(a), Some(b)) = (loaded(&input), loaded(&input)) {
        let chunked = outcome(a, &chunks);
        let whole = outcome(b, &[&dossiers]);
        assert_eq!(chunked, whole, "chunks {:?}", chunks.len());
        if !dossiers.is_empty() {
            if let Some(mut c) = loaded(&input) {
                let jobs = usize::from(input.lines >> 6) + 1;
                let err = |e: chiso::Error| (e.code(), e.to_string());
                let read = c
                    .read_dossiers(&dossiers[..], RecordFormat::Csv, jobs, &mut |_| {})
                    .map_err(err)
                    .and_then(|()| c.finish().map(|card| card.to_json()).map_err(err));
                assert_eq!(read, whole, "read as a file with {jobs} workers");
            }
        }
    }

    // The sequence of calls against the model.
    let mut model = Model::Loading { units: false, procedures: false };
    // Whether units or procedures were loaded: the second session of a merge loads neither, and
    // sessions of other contexts do not merge (`partial_mismatch`).
    let mut context = false;
    let mut counts = false;
    let mut next = chunks.iter();
    for op in input.ops.iter().take(32) {
        match op {
            Op::Units(b) => {
                let r = s.load_units(&b.bytes(&[SAMPLE_UNITS, SMALL_UNITS])[..]);
                context |= r.is_ok();
                load(&mut model, r, units_slot, "loading units");
            }
            Op::Procedures(b) => {
                let r = s.load_procedures(&b.bytes(&[SAMPLE_PROCEDURES, SMALL_PROCEDURES])[..]);
                context |= r.is_ok();
                load(&mut model, r, procedures_slot, "loading procedures");
            }
            Op::Counts(b) => {
                let r = s.load_counts(&b.bytes(&[SAMPLE_COUNTS, SMALL_COUNTS])[..]);
                match (model.spent(), r) {
                    (Some(code), r) => assert_eq!(r.err().map(|e| e.code()), Some(code), "counts on {model:?}"),
                    (None, r) if counts => assert_eq!(r.err().map(|e| e.code()), Some(ErrorCode::Misuse), "counts twice"),
                    (None, Ok(())) => counts = true,
                    (None, Err(e)) => input_error(&e, "loading counts"),
                }
            }
            Op::Feedback(b, jsonl) => {
                let (bytes, format) = feedback(b, *jsonl);
                let r = s.load_feedback(&bytes[..], format);
                counted(&mut model, r, "loading feedback");
            }
            Op::PushCsv(n) => {
                for _ in 0..=(n % 4) {
                    let Some(c) = next.next() else { break };
                    let r = s.push_csv(c);
                    counted(&mut model, r, "pushing CSV");
                }
            }
            Op::PushFields(records) => {
                let records: Vec<_> = records.iter().take(8).map(fields_of).collect();
                let r = s.push_fields(&records);
                if records.is_empty() {
                    assert_eq!(r.err().map(|e| e.code()), model.spent(), "no records on {model:?}");
                } else {
                    counted(&mut model, r, "pushing fields");
                }
            }
            Op::PushJsonl(b) => {
                let bytes = b.bytes(&[DOSSIERS_JSONL]);
                let r = s.push_jsonl(&bytes);
                if bytes.is_empty() {
                    assert_eq!(r.err().map(|e| e.code()), model.spent(), "empty JSON lines on {model:?}");
                } else {
                    counted(&mut model, r, "pushing JSON lines");
                }
            }
            Op::PushEmpty(k) => {
                let r = match k % 4 {
                    0 => s.push_csv(b""),
                    1 => s.push_jsonl(b""),
                    2 => s.push_fields(&[]),
                    _ => s.push_records(&[]),
                };
                // Nothing changes: the model stays as it is (units may still be loaded).
                assert_eq!(r.err().map(|e| e.code()), model.spent(), "an empty push on {model:?}");
            }
            Op::ReadDossiers(jobs) => {
                let r = s.read_dossiers(&dossiers[..], RecordFormat::Csv, usize::from(jobs % 4) + 1, &mut |_| {});
                counted(&mut model, r, "reading dossiers");
            }
            Op::Merge { pushes, other_period } => {
                let Some(mut other) = session(&input, *other_period) else { continue };
                let mut theirs = Model::Loading { units: false, procedures: false };
                let mut their_chunks = chunks.iter();
                for p in pushes.iter().take(8) {
                    match p {
                        Op2::Csv(n) => {
                            for _ in 0..=(n % 4) {
                                let Some(c) = their_chunks.next() else { break };
                                let r = other.push_csv(c);
                                counted(&mut theirs, r, "pushing CSV (other)");
                            }
                        }
                        Op2::Fields(f) => {
                            let r = other.push_fields(&[fields_of(f)]);
                            counted(&mut theirs, r, "pushing fields (other)");
                        }
                        Op2::Finish => {
                            let r = other.finish().map(|_| ());
                            if let Some(code) = theirs.spent() {
                                // A spent session stays as it was (failed or finished).
                                assert_eq!(r.err().map(|e| e.code()), Some(code), "finishing the other ({theirs:?})");
                            } else {
                                if let Err(e) = r {
                                    input_error(&e, "finishing the other");
                                }
                                theirs = Model::Finished;
                            }
                        }
                        Op2::Empty => {
                            let r = other.push_csv(b"");
                            assert_eq!(r.err().map(|e| e.code()), theirs.spent(), "an empty push on the other");
                        }
                    }
                }
                let same = PERIODS[(usize::from(input.period) + usize::from(*other_period)) % PERIODS.len()]
                    == PERIODS[usize::from(input.period) % PERIODS.len()];
                let r = s.merge(&mut other);
                // This session's state is checked first, then the other's, then their periods, then
                // their contexts.
                let expected = model
                    .spent()
                    .or(theirs.spent())
                    .or((!same).then_some(ErrorCode::InvalidArgument))
                    .or(context.then_some(ErrorCode::PartialMismatch));
                match (expected, r) {
                    (Some(code), r) => assert_eq!(r.err().map(|e| e.code()), Some(code), "merge ({model:?}, {theirs:?})"),
                    (None, r) => {
                        if let Err(e) = r {
                            input_error(&e, "merging");
                        }
                        // Either way records were merged or refused: no more units.
                        model = Model::Scoring;
                        let after = other.push_csv(b"x");
                        assert_eq!(after.err().map(|e| e.code()), Some(ErrorCode::ScorerFinished), "the merged session");
                    }
                }
            }
            Op::Finish => {
                let r = s.finish();
                match model.spent() {
                    Some(code) => assert_eq!(r.err().map(|e| e.code()), Some(code), "finish on {model:?}"),
                    None => {
                        if let Err(e) = &r {
                            input_error(e, "finishing");
                        }
                        model = Model::Finished;
                    }
                }
            }
            Op::CheckUsable => {
                assert_eq!(s.check_usable("checking").err().map(|e| e.code()), model.spent(), "{model:?}");
            }
        }
    }
});
