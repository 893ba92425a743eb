//! The Decision 766 session: one builder and one stateful scorer that the CLI, libchiso and the
//! WASM package drive, so that the profile default, the period, the counts' period, duplicate loads
//! and the order of calls are checked here and nowhere else.
//!
//! # Order of calls
//!
//! [`Score766Builder::build`] (or [`Score766Session::new`]); then units and procedures, at most
//! once each, before anything else; then, in any order and any number of times, dossier records
//! (CSV chunks, JSON lines chunks, records in memory, a whole file through the parallel driver),
//! feedback files and merges of other sessions, and a counts file once; then
//! [`Score766Session::finish`]. A call out of this order is [`ErrorCode::Misuse`](crate::ErrorCode::Misuse); any call after
//! `finish` or after the session was merged into another is [`ErrorCode::ScorerFinished`](crate::ErrorCode::ScorerFinished); a call
//! that failed while records were being counted leaves the session spent (later calls are
//! `Misuse`, naming the failure), so that a half-counted state is never scored.
//!
//! Pushing nothing (an empty chunk, no records) changes nothing: units and procedures may still be
//! loaded afterwards.
//!
//! # Series
//!
//! The period may be a range of periods of one length (`2026-01..2026-08`, `2026-Q1..2026-Q3`,
//! at most [`MAX_RANGE_PERIODS`](crate::period::MAX_RANGE_PERIODS)). The records are still read
//! once: the aggregate keeps every unit's months, and [`Score766Session::finish_series`] scores
//! each period of the range from it, giving for every period exactly the scorecard (byte for byte
//! in JSON) that a session of that period alone over the same inputs gives. Records outside the
//! whole range are counted in no period, as records outside a single period are; rejected rows
//! are listed in every period's scorecard, as each single session would list them. Counts files
//! (publication metrics, `E_CERTIFIED_COPY`) are one per period: each is loaded into the period
//! it is for (or lies within), a period without one has those metrics missing, and two for one
//! period are refused. With `strict`, a series fails where any of its periods alone would.
//! [`Score766Session::finish`] refuses a range, so that a front end never prints one period of a
//! series by mistake. Memory: the aggregate as for one period (it keeps months anyway), plus one
//! scorecard per period once finished.

mod saved;

use std::io::Read;
use std::sync::Arc;

use super::Error;
use crate::input::{InputError, Rejection};
use crate::labels::ErrorText;
use crate::period::{Period, PeriodError, PeriodRange, PeriodRangeError};
use crate::score766::partial::{self, PartialError, context_bytes, fnv1a64};
use crate::score766::{
    Counts, DOSSIER_FIELDS, DossierRecord, ExplainRequest, Explainer, Explanation, PeriodCounts, ProcedureTable,
    Profile, RecordContext, ScoreOptions, Scorecard, Scorer, Series, score_owned,
};
use crate::score766::{DOSSIER_COLUMNS, DOSSIER_REQUIRED, FEEDBACK_COLUMNS, FEEDBACK_REQUIRED};
use crate::tabular::InputOptions;
use crate::tabular::rewrite::Rewriter;
use crate::tabular::source;
use crate::units::UnitTree;

/// The names of the inputs in rejections and messages. The defaults are the file names of
/// `formats.md`, which the C and WASM front ends use; the CLI passes the paths it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names766 {
    /// The dossier records.
    pub dossiers: String,
    /// The unit tree.
    pub units: String,
    /// The procedures.
    pub procedures: String,
    /// The feedback records.
    pub feedback: String,
    /// The counts file.
    pub counts: String,
}

impl Default for Names766 {
    fn default() -> Self {
        Self {
            dossiers: "dossiers.csv".to_owned(),
            units: "units.csv".to_owned(),
            procedures: "procedures.csv".to_owned(),
            feedback: "feedback.csv".to_owned(),
            counts: "counts.json".to_owned(),
        }
    }
}

/// How a file of records is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordFormat {
    /// CSV with a header (`formats.md`).
    #[default]
    Csv,
    /// JSON lines: one object per line, with the CSV's keys.
    JsonLines,
}

impl RecordFormat {
    /// The format a file name says: JSON lines for `.jsonl` and `.ndjson`, CSV otherwise.
    #[must_use]
    pub fn from_name(name: &str) -> Self {
        if super::is_json_lines_name(name) { Self::JsonLines } else { Self::Csv }
    }
}

pub(super) fn parse_period(text: &str) -> Result<Period, Error> {
    text.trim().parse().map_err(|e: PeriodError| Error::Argument(ErrorText::PeriodArgument.en(&[("reason", &e)])))
}

fn parse_range(text: &str) -> Result<PeriodRange, Error> {
    text.trim().parse().map_err(|e: PeriodRangeError| Error::Argument(ErrorText::PeriodArgument.en(&[("reason", &e)])))
}

pub(super) fn profile_or_default(name: Option<&str>) -> Result<Profile, Error> {
    match name {
        Some(name) => Ok(Profile::named(name)?),
        None => Ok(Profile::default()),
    }
}

fn read_all(mut reader: impl Read, source: &str) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| InputError::Io { file: source.to_owned(), reason: e.to_string() })?;
    Ok(bytes)
}

/// Reads a counts JSON and checks it is for `period` or lies within it.
fn read_counts(
    reader: impl Read,
    source: &str,
    period: Option<Period>,
    exact: bool,
    strict: bool,
) -> Result<(Counts, Vec<Rejection>), Error> {
    let mut rejected = Vec::new();
    // Streamed: a counts file of 100 000 units is never whole in memory beside its counts.
    let counts = Counts::from_reader(reader, source, strict, &mut rejected)?;
    if let Some(period) = period {
        let fits = counts.period == period || (!exact && period.contains(counts.period));
        if !fits {
            return Err(InputError::Invalid {
                file: source.to_owned(),
                reason: ErrorText::CountsPeriod.en(&[("counts", &counts.period), ("period", &period)]),
            }
            .into());
        }
    }
    Ok((counts, rejected))
}

/// The scorecard of a counts JSON (`formats.md`, "Decision 766 counts") under a profile (`None`
/// for the default). With `period`, the counts must be for exactly that period.
pub fn score_counts(
    reader: impl Read,
    source: &str,
    profile: Option<&str>,
    period: Option<&str>,
    strict: bool,
) -> Result<Scorecard, Error> {
    let profile = profile_or_default(profile)?;
    let period = period.map(parse_period).transpose()?;
    let (counts, rejected) = read_counts(reader, source, period, true, strict)?;
    // Each unit's counts are freed as soon as it is scored.
    Ok(score_owned(&profile, counts, rejected))
}

/// The series of counts files (`formats.md`, "Decision 766 counts"; a system's or the portal's
/// counts, one file per period) over `range` (`2026-01..2026-08`): each file must be for exactly
/// one period of the range ([`ErrorCode::InvalidInput`](crate::ErrorCode::InvalidInput) else),
/// two for one period are [`ErrorCode::Misuse`](crate::ErrorCode::Misuse), and a period without
/// a file has a scorecard of no units. Each period's scorecard is the one [`score_counts`] gives
/// for its file.
pub fn score_counts_series<R: Read>(
    files: impl IntoIterator<Item = (R, String)>,
    profile: Option<&str>,
    range: &str,
    strict: bool,
) -> Result<Series, Error> {
    let profile = profile_or_default(profile)?;
    let range = parse_range(range)?;
    let mut read: Vec<(Counts, Vec<Rejection>)> = Vec::new();
    for (reader, source) in files {
        let (counts, rejected) = read_counts(reader, &source, None, true, strict)?;
        if !range.iter().any(|p| p == counts.period) {
            return Err(InputError::Invalid {
                file: source,
                reason: ErrorText::CountsPeriod.en(&[("counts", &counts.period), ("period", &range)]),
            }
            .into());
        }
        if read.iter().any(|(c, _)| c.period == counts.period) {
            return Err(Error::Misuse(ErrorText::CountsTwiceFor.en(&[("period", &counts.period)])));
        }
        read.push((counts, rejected));
    }
    let cards = range
        .iter()
        .map(|period| match read.iter().position(|(c, _)| c.period == period) {
            Some(i) => {
                let (counts, rejected) = read.swap_remove(i);
                score_owned(&profile, counts, rejected)
            }
            None => score_owned(&profile, Counts { period, units: Vec::new() }, Vec::new()),
        })
        .collect();
    Ok(Series::new(profile.name.clone(), cards))
}

/// Everything a Decision 766 session starts from: the period (required), the profile (or the
/// default), the options, and the files that come before the records.
#[derive(Debug, Default)]
pub struct Score766Builder<'a> {
    period: String,
    profile: Option<String>,
    strict: bool,
    no_duplicate_check: bool,
    names: Names766,
    input: InputOptions,
    units: Option<&'a [u8]>,
    procedures: Option<&'a [u8]>,
    feedback: Vec<(&'a [u8], RecordFormat)>,
    counts: Vec<&'a [u8]>,
    explain: Option<ExplainRequest>,
}

impl<'a> Score766Builder<'a> {
    /// A session for `period` (`YYYY-MM`, also `YYYY-Qn` or `YYYY`: months are summed), or for
    /// a range of periods of one length (`2026-01..2026-08`, `2026-Q1..2026-Q3`), finished with
    /// [`Score766Session::finish_series`].
    #[must_use]
    pub fn new(period: &str) -> Self {
        Self { period: period.to_owned(), ..Self::default() }
    }

    /// The profile by name; `None` for the default (`portal-2026`).
    #[must_use]
    pub fn profile(mut self, name: Option<&str>) -> Self {
        self.profile = name.map(str::to_owned);
        self
    }

    /// Stop at the first rejected row.
    #[must_use]
    pub const fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Whether a `dossier_id` given twice is warned about (the default; see
    /// [`ScoreOptions::check_duplicate_ids`] for what the check costs at scale).
    #[must_use]
    pub const fn check_duplicate_ids(mut self, check: bool) -> Self {
        self.no_duplicate_check = !check;
        self
    }

    /// The names of the inputs in messages.
    #[must_use]
    pub fn names(mut self, names: Names766) -> Self {
        self.names = names;
        self
    }

    /// How every tabular input of the session is read when it is a real export (a sheet of a
    /// workbook, a title block, a separator, a column map, decimal commas); see
    /// [`Score766Session::set_input`].
    #[must_use]
    pub fn input(mut self, options: InputOptions) -> Self {
        self.input = options;
        self
    }

    /// `units.csv`.
    #[must_use]
    pub const fn units(mut self, csv: Option<&'a [u8]>) -> Self {
        self.units = csv;
        self
    }

    /// `procedures.csv`.
    #[must_use]
    pub const fn procedures(mut self, csv: Option<&'a [u8]>) -> Self {
        self.procedures = csv;
        self
    }

    /// A feedback file, read when the session is built.
    #[must_use]
    pub fn feedback(mut self, bytes: Option<&'a [u8]>, format: RecordFormat) -> Self {
        self.feedback.extend(bytes.map(|b| (b, format)));
        self
    }

    /// A counts JSON for the metrics records cannot give; its period must be the session's or lie
    /// within it. For a range, once per period at most (see [`Score766Session::load_counts`]).
    #[must_use]
    pub fn counts(mut self, json: Option<&'a [u8]>) -> Self {
        self.counts.extend(json);
        self
    }

    /// Opens the session to explain one number rather than to score (see
    /// [`Score766Session::set_explain`]); finish it with [`Score766Session::explain`].
    #[must_use]
    pub fn explain(mut self, request: ExplainRequest) -> Self {
        self.explain = Some(request);
        self
    }

    /// Checks the period and the profile, reads the files given, and returns the session.
    pub fn build(self) -> Result<Score766Session, Error> {
        let mut session = Score766Session::new(self.profile.as_deref(), &self.period)?;
        session.strict = self.strict;
        session.no_duplicate_check = self.no_duplicate_check;
        session.names = self.names;
        session.input = self.input;
        if let Some(csv) = self.units {
            session.load_units(csv)?;
        }
        if let Some(csv) = self.procedures {
            session.load_procedures(csv)?;
        }
        for json in self.counts {
            session.load_counts(json)?;
        }
        if let Some(request) = self.explain {
            session.set_explain(request)?;
        }
        for (bytes, format) in self.feedback {
            session.load_feedback(bytes, format)?;
        }
        Ok(session)
    }
}

type Loaded<T> = Option<(T, Vec<Rejection>)>;

#[derive(Debug)]
#[cfg_attr(
    target_pointer_width = "64",
    expect(clippy::large_enum_variant, reason = "one state per session, replaced a few times in its life")
)]
enum State {
    /// Units and procedures may still be loaded.
    Loading { units: Loaded<UnitTree>, procedures: Loaded<ProcedureTable> },
    /// Records are being counted.
    Scoring { scorer: Box<Scorer>, context: Arc<RecordContext> },
    /// Finished or merged into another session.
    Finished(ErrorText),
    /// A call failed while records were being counted.
    Failed(String),
}

/// A counts file loaded into a session: the period of the session it is for, the counts, the
/// rows rejected when it was read, and its name.
type LoadedCounts = (Period, Counts, Vec<Rejection>, String);

/// A Decision 766 session: the period (or range of periods), the profile, the context and the
/// records counted so far. See the module documentation for the order of calls.
#[derive(Debug)]
pub struct Score766Session {
    profile: Profile,
    period: PeriodRange,
    strict: bool,
    /// Dossier ids are not checked for duplicates (asked for at national scale).
    no_duplicate_check: bool,
    names: Names766,
    /// How tabular inputs are read.
    input: InputOptions,
    /// The rewriting of the dossier CSV pushed in chunks, when the options change it.
    rewriter: Option<Rewriter>,
    /// Whether dossier CSV was pushed yet.
    pushed_csv: bool,
    state: State,
    counts: Vec<LoadedCounts>,
    /// A file read by [`Self::read_dossiers_file`] with the compact duplicate check was the last
    /// dossier input: records added after it could not be checked against its ids.
    dossiers_closed: bool,
    /// How many of the scorer's first rejections are the context's (the rows of the units and
    /// procedures files rejected), which a merge of the same context does not list twice.
    context_rejected: usize,
    /// The context's checksum (`partial::context_bytes`), once records are being counted.
    context_checksum: Option<u64>,
    /// Loaded from a saved partial: a merge of another profile or range is `partial_mismatch`.
    loaded: bool,
}

impl Score766Session {
    /// A session for `period` (or a range `FIRST..LAST`, see [`Score766Builder::new`]) under a
    /// profile (`None` for the default), not strict, with the default input names.
    pub fn new(profile: Option<&str>, period: &str) -> Result<Self, Error> {
        Ok(Self {
            profile: profile_or_default(profile)?,
            period: parse_range(period)?,
            strict: false,
            no_duplicate_check: false,
            names: Names766::default(),
            input: InputOptions::default(),
            rewriter: None,
            pushed_csv: false,
            state: State::Loading { units: None, procedures: None },
            counts: Vec::new(),
            dossiers_closed: false,
            context_rejected: 0,
            context_checksum: None,
            loaded: false,
        })
    }

    /// The period scored: one period, or the range of a series.
    #[must_use]
    pub const fn period(&self) -> PeriodRange {
        self.period
    }

    /// Whether the session scores a series (a range of more than one period): finish it with
    /// [`Self::finish_series`].
    #[must_use]
    pub fn is_series(&self) -> bool {
        !self.period.is_single()
    }

    /// The profile.
    #[must_use]
    pub const fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The names of the inputs.
    #[must_use]
    pub const fn names(&self) -> &Names766 {
        &self.names
    }

    /// How every tabular input of the session is read when it is a real export (the sheet of a
    /// workbook, the header row, the separator, a column map, decimal commas): once, before any
    /// tabular input (units, procedures, feedback, dossiers) is read
    /// ([`ErrorCode::Misuse`](crate::ErrorCode::Misuse) after one), so that every input of the
    /// session is read alike.
    pub fn set_input(&mut self, options: InputOptions) -> Result<(), Error> {
        if let Some(e) = self.unusable(ErrorText::SettingInput.text().en) {
            return Err(e);
        }
        let untouched = matches!(self.state, State::Loading { units: None, procedures: None }) && !self.pushed_csv;
        if !untouched {
            return Err(Error::Misuse(ErrorText::OnlyBeforeInputs.en(&[])));
        }
        self.input = options;
        Ok(())
    }

    /// The reading options of the session's tabular inputs.
    #[must_use]
    pub const fn input(&self) -> &InputOptions {
        &self.input
    }

    /// [`Self::unusable`], or refused because the dossiers were closed by a compact check.
    fn no_more_dossiers(&self, what: &str) -> Option<Error> {
        self.unusable(what)
            .or_else(|| self.dossiers_closed.then(|| Error::Misuse(ErrorText::CannotNow.en(&[("action", &what)]))))
    }

    fn unusable(&self, what: &str) -> Option<Error> {
        match &self.state {
            State::Finished(why) => Some(Error::Finished(why.en(&[("action", &what)]))),
            State::Failed(why) => {
                Some(Error::Misuse(ErrorText::FailedEarlier.en(&[("action", &what), ("reason", why)])))
            }
            _ => None,
        }
    }

    /// Fails unless units and procedures may still be loaded.
    fn loading(&mut self, what: &str) -> Result<(&mut Loaded<UnitTree>, &mut Loaded<ProcedureTable>), Error> {
        if let Some(e) = self.unusable(what) {
            return Err(e);
        }
        match &mut self.state {
            State::Loading { units, procedures } => Ok((units, procedures)),
            _ => Err(Error::Misuse(ErrorText::OnlyBeforeRecords.en(&[("action", &what)]))),
        }
    }

    /// Loads `units.csv`: the tree that counts roll up (without it, every unit a record names is a
    /// root of its own). Once, before any record. On failure the session is unchanged.
    pub fn load_units(&mut self, reader: impl Read) -> Result<(), Error> {
        let (strict, source) = (self.strict, self.names.units.clone());
        let (slot, _) = self.loading(ErrorText::LoadingUnits.text().en)?;
        if slot.is_some() {
            return Err(Error::Misuse(ErrorText::UnitsTwice.en(&[])));
        }
        let columns = (&crate::units::UNIT_COLUMNS[..], &crate::units::UNIT_OPTIONAL[..]);
        let opened = source::open(reader, &source, columns, &self.input, strict)?;
        let mut rejected = Vec::new();
        let tree = UnitTree::from_csv(opened.reader, &opened.source, strict, &mut rejected)?;
        rejected.extend(opened.rejected);
        rejected.sort_by_key(|r| r.row);
        let (slot, _) = self.loading(ErrorText::LoadingUnits.text().en)?;
        *slot = Some((tree, rejected));
        Ok(())
    }

    /// Loads `procedures.csv`. Once, before any record. On failure the session is unchanged.
    pub fn load_procedures(&mut self, reader: impl Read) -> Result<(), Error> {
        let (strict, source) = (self.strict, self.names.procedures.clone());
        let (_, slot) = self.loading(ErrorText::LoadingProcedures.text().en)?;
        if slot.is_some() {
            return Err(Error::Misuse(ErrorText::ProceduresTwice.en(&[])));
        }
        let columns = (&crate::score766::PROCEDURE_REQUIRED[..], &crate::score766::PROCEDURE_OPTIONAL[..]);
        let opened = source::open(reader, &source, columns, &self.input, strict)?;
        let mut rejected = Vec::new();
        let table = ProcedureTable::from_csv(opened.reader, &opened.source, strict, &mut rejected)?;
        rejected.extend(opened.rejected);
        rejected.sort_by_key(|r| r.row);
        let (_, slot) = self.loading(ErrorText::LoadingProcedures.text().en)?;
        *slot = Some((table, rejected));
        Ok(())
    }

    /// Loads a counts JSON for the metrics that records cannot give (publication metrics,
    /// `E_CERTIFIED_COPY`); it fills only what the records do not. Its period must be the
    /// session's or lie within it (else [`ErrorCode::InvalidInput`](crate::ErrorCode::InvalidInput)). Once, any time before
    /// finishing. On failure the session is unchanged.
    ///
    /// In a series, one counts file per period of the range: each goes to the period it is for
    /// (or lies within: a month's counts in a series of quarters), a second one for the same
    /// period is [`ErrorCode::Misuse`](crate::ErrorCode::Misuse), and a period without one has
    /// those metrics missing, exactly as a session of that period alone without a counts file.
    pub fn load_counts(&mut self, reader: impl Read) -> Result<(), Error> {
        let source = self.names.counts.clone();
        self.load_counts_named(reader, &source)
    }

    /// [`Self::load_counts`] for a file named `source` in rejections and messages (a series has
    /// several counts files).
    pub fn load_counts_named(&mut self, reader: impl Read, source: &str) -> Result<(), Error> {
        if let Some(e) = self.unusable(ErrorText::LoadingCounts.text().en) {
            return Err(e);
        }
        if self.period.is_single() && !self.counts.is_empty() {
            return Err(Error::Misuse(ErrorText::CountsTwice.en(&[])));
        }
        let (counts, rejected) = read_counts(reader, source, None, false, self.strict)?;
        let Some(slot) = self.period.slot_of(counts.period) else {
            return Err(InputError::Invalid {
                file: source.to_owned(),
                reason: ErrorText::CountsPeriod.en(&[("counts", &counts.period), ("period", &self.period)]),
            }
            .into());
        };
        if self.counts.iter().any(|(p, ..)| *p == slot) {
            return Err(Error::Misuse(ErrorText::CountsTwiceFor.en(&[("period", &slot)])));
        }
        self.counts.push((slot, counts, rejected, source.to_owned()));
        Ok(())
    }

    /// Runs `step` on the running scorer, starting it if units and procedures were still open.
    /// An error leaves the session failed: a half-counted state is never scored.
    fn scoring<T>(
        &mut self,
        what: &str,
        step: impl FnOnce(&mut Scorer, &Arc<RecordContext>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if let Some(e) = self.unusable(what) {
            return Err(e);
        }
        let (mut scorer, context) =
            match std::mem::replace(&mut self.state, State::Failed(ErrorText::Incomplete.en(&[("action", &what)]))) {
                State::Scoring { scorer, context } => (scorer, context),
                State::Loading { units, procedures } => self.start(units, procedures),
                other => {
                    self.state = other;
                    return Err(Error::Misuse(ErrorText::CannotNow.en(&[("action", &what)])));
                }
            };
        match step(&mut scorer, &context) {
            Ok(value) => {
                self.state = State::Scoring { scorer, context };
                Ok(value)
            }
            Err(e) => {
                self.state = State::Failed(e.to_string());
                Err(e)
            }
        }
    }

    /// Starts counting records: the scorer of the context, whose first rejections are the
    /// context's.
    fn start(
        &mut self,
        units: Loaded<UnitTree>,
        procedures: Loaded<ProcedureTable>,
    ) -> (Box<Scorer>, Arc<RecordContext>) {
        let (scorer, context, context_rejected, checksum) = self.build_scorer(units, procedures);
        self.context_rejected = context_rejected;
        self.context_checksum = Some(checksum);
        (scorer, context)
    }

    /// The scorer [`Self::start`] starts, the number of its rejections that are the context's,
    /// and the context's checksum.
    fn build_scorer(
        &self,
        units: Loaded<UnitTree>,
        procedures: Loaded<ProcedureTable>,
    ) -> (Box<Scorer>, Arc<RecordContext>, usize, u64) {
        let (units, mut rejected) = units.map_or((None, Vec::new()), |(t, r)| (Some(t), r));
        let procedures = procedures.map(|(table, r)| {
            rejected.extend(r);
            table
        });
        let checksum = fnv1a64(&context_bytes(units.as_ref(), procedures.as_ref(), &rejected));
        let context = Arc::new(RecordContext::new(units, procedures));
        let options = self.score_options(self.names.dossiers.clone());
        let mut scorer = Scorer::new(options, Arc::clone(&context));
        let context_rejected = rejected.len();
        scorer.add_rejections(rejected);
        (Box::new(scorer), context, context_rejected, checksum)
    }

    /// The checksum of the context records are (or will be) classified against: the units and
    /// procedures loaded and the rows they rejected (see [`crate::score766::partial`]). Sessions
    /// merge only when theirs are equal.
    #[must_use]
    pub fn context_checksum(&self) -> u64 {
        match (&self.state, self.context_checksum) {
            (State::Loading { units, procedures }, _) => {
                let mut rejected: Vec<Rejection> = units.iter().flat_map(|(_, r)| r.iter().cloned()).collect();
                rejected.extend(procedures.iter().flat_map(|(_, r)| r.iter().cloned()));
                let (units, procedures) = (units.as_ref().map(|(t, _)| t), procedures.as_ref().map(|(t, _)| t));
                fnv1a64(&context_bytes(units, procedures, &rejected))
            }
            (_, Some(checksum)) => checksum,
            (_, None) => 0,
        }
    }

    /// The options of a scorer of this session's dossiers named `source`.
    fn score_options(&self, source: String) -> ScoreOptions {
        ScoreOptions {
            profile: self.profile.clone(),
            // A series scores each of its periods with `Scorer::finish_series`.
            period: self.period.last(),
            strict: self.strict,
            source,
            check_duplicate_ids: !self.no_duplicate_check,
        }
    }

    /// Pushes the next bytes of a dossier CSV stream, header first, cut anywhere. An empty chunk
    /// changes nothing. A workbook cannot be pushed in chunks ([`ErrorCode::Misuse`](crate::ErrorCode::Misuse)): read it
    /// whole with [`Self::read_dossiers`].
    pub fn push_csv(&mut self, chunk: &[u8]) -> Result<(), Error> {
        if chunk.is_empty() {
            return self.unusable("pushing CSV").map_or(Ok(()), Err);
        }
        if let Some(e) = self.no_more_dossiers("pushing CSV") {
            return Err(e);
        }
        self.check_chunk(chunk)?;
        self.pushed_csv = true;
        if !self.input.changes_csv() {
            return self.scoring("pushing CSV", |s, _| Ok(s.push_csv(chunk)?));
        }
        let mut rewriter = self.rewriter.take().unwrap_or_else(|| self.dossier_rewriter());
        let result = self.scoring("pushing CSV", |s, _| {
            let mut out = Vec::with_capacity(chunk.len());
            rewriter.push(chunk, false, &mut out)?;
            Ok(s.push_csv(&out)?)
        });
        self.rewriter = Some(rewriter);
        result
    }

    /// Fails as [`Self::push_csv`] would on a chunk that starts a workbook (which cannot be pushed
    /// in chunks), before anything else is checked: for a front end that checks the chunk's text
    /// first.
    pub fn check_chunk(&self, chunk: &[u8]) -> Result<(), Error> {
        if !self.pushed_csv && chunk.starts_with(b"PK\x03\x04") {
            return Err(Error::Misuse(ErrorText::XlsxInChunks.en(&[])));
        }
        Ok(())
    }

    fn dossier_rewriter(&self) -> Rewriter {
        Rewriter::new(&self.input, (&DOSSIER_REQUIRED, &DOSSIER_COLUMNS), &self.names.dossiers, 0)
    }

    /// Gives the scorer what the rewriting of pushed CSV still holds (the end of the stream).
    fn flush_rewriter(&mut self) -> Result<(), Error> {
        let Some(mut rewriter) = self.rewriter.take() else { return Ok(()) };
        if self.unusable("pushing CSV").is_some() {
            return Ok(());
        }
        self.scoring("pushing CSV", |s, _| {
            let mut out = Vec::new();
            rewriter.push(b"", true, &mut out)?;
            Ok(s.push_csv(&out)?)
        })
    }

    /// Pushes the next bytes of a dossier JSON lines stream, cut anywhere. An empty chunk changes
    /// nothing.
    pub fn push_jsonl(&mut self, chunk: &[u8]) -> Result<(), Error> {
        if chunk.is_empty() {
            return self.unusable("pushing JSON lines").map_or(Ok(()), Err);
        }
        if let Some(e) = self.no_more_dossiers("pushing JSON lines") {
            return Err(e);
        }
        self.scoring("pushing JSON lines", |s, _| Ok(s.push_jsonl(chunk)?))
    }

    /// Counts dossiers given as the text of their fields (in `DOSSIER_COLUMNS` order); a rejected
    /// one is numbered by its position among the records pushed this way, from 1. No records
    /// changes nothing.
    pub fn push_fields(&mut self, records: &[[&[u8]; DOSSIER_FIELDS]]) -> Result<(), Error> {
        if records.is_empty() {
            return self.unusable(ErrorText::PushingDossiers.text().en).map_or(Ok(()), Err);
        }
        if let Some(e) = self.no_more_dossiers(ErrorText::PushingDossiers.text().en) {
            return Err(e);
        }
        self.scoring("pushing dossiers", |s, _| {
            for fields in records {
                s.push_fields(fields)?;
            }
            Ok(())
        })
    }

    /// Counts dossier records already in memory.
    pub fn push_records(&mut self, records: &[DossierRecord]) -> Result<(), Error> {
        if records.is_empty() {
            return self.unusable(ErrorText::PushingDossiers.text().en).map_or(Ok(()), Err);
        }
        if let Some(e) = self.no_more_dossiers(ErrorText::PushingDossiers.text().en) {
            return Err(e);
        }
        self.scoring("pushing dossiers", |s, _| {
            for record in records {
                s.push_record(record)?;
            }
            Ok(())
        })
    }

    /// Reads a whole dossier file: CSV with `jobs` threads (the parallel driver, identical
    /// results for any `jobs`), or JSON lines. `progress` receives the bytes read so far.
    pub fn read_dossiers(
        &mut self,
        reader: impl Read + Send,
        format: RecordFormat,
        jobs: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), Error> {
        let source = self.names.dossiers.clone();
        if let Some(e) = self.no_more_dossiers("reading dossiers") {
            return Err(e);
        }
        if format == RecordFormat::Csv {
            return self.read_dossier_csv(reader, jobs, progress);
        }
        self.scoring("reading dossiers", |s, _| {
            match format {
                RecordFormat::Csv => s.read_csv_parallel(reader, jobs, progress)?,
                RecordFormat::JsonLines => {
                    let mut reader = reader;
                    let mut buf = vec![0u8; 8 * 1024 * 1024];
                    let mut done = 0u64;
                    loop {
                        let n = reader
                            .read(&mut buf)
                            .map_err(|e| InputError::Io { file: source.clone(), reason: e.to_string() })?;
                        if n == 0 {
                            break;
                        }
                        s.push_jsonl(buf.get(..n).unwrap_or_default())?;
                        done = done.saturating_add(n as u64);
                        progress(done);
                    }
                }
            }
            Ok(())
        })
    }

    /// A whole dossier CSV file or workbook, opened under the input options: a workbook's sheet
    /// is counted by a scorer of its own, named `file#sheet` in rejections, merged into this one.
    fn read_dossier_csv(
        &mut self,
        reader: impl Read + Send,
        jobs: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), Error> {
        let (strict, columns) = (self.strict, (&DOSSIER_REQUIRED[..], &DOSSIER_COLUMNS[..]));
        let sheet_options = self.score_options(String::new());
        let input = self.input.clone();
        let name = self.names.dossiers.clone();
        self.scoring("reading dossiers", |s, context| {
            let opened = source::open(reader, &name, columns, &input, strict)?;
            if !matches!(opened.reader, source::Opened::Sheet(_)) {
                return Ok(s.read_csv_parallel(opened.reader, jobs, progress)?);
            }
            let _ = context;
            let mut sheet = s.fork(ScoreOptions { source: opened.source, ..sheet_options });
            sheet.add_rejections(opened.rejected);
            sheet.read_csv_parallel(opened.reader, jobs, progress)?;
            Ok(s.merge(sheet)?)
        })
    }

    /// [`Self::read_dossiers`] of a file that `open` opens: once, or twice when a CSV file may
    /// repeat a `dossier_id`. When this is the first dossier input and ids are checked, the check
    /// is compact (6 to 8 bytes a dossier instead of 20 to 40; the file is read a second time
    /// only for the rows where the repeated ids first occur), with the same warnings; the session
    /// then takes no more dossiers (pushing, reading or merging them is refused).
    pub fn read_dossiers_file<R: Read + Send>(
        &mut self,
        mut open: impl FnMut() -> std::io::Result<R>,
        format: RecordFormat,
        jobs: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), Error> {
        if format == RecordFormat::JsonLines {
            let source = self.names.dossiers.clone();
            let reader = open().map_err(|e| Error::from(InputError::Io { file: source, reason: e.to_string() }))?;
            return self.read_dossiers(reader, format, jobs, progress);
        }
        if let Some(e) = self.no_more_dossiers("reading dossiers") {
            return Err(e);
        }
        // A workbook, or a file the input options rewrite, is read once, through the options.
        let source = self.names.dossiers.clone();
        let io = |e: std::io::Error| Error::from(InputError::Io { file: source.clone(), reason: e.to_string() });
        let mut head = Vec::with_capacity(4);
        let mut first = open().map_err(io)?;
        (&mut first).take(4).read_to_end(&mut head).map_err(io)?;
        let first = std::io::Cursor::new(head).chain(first);
        if self.input.changes_csv()
            || first.get_ref().0.get_ref().starts_with(b"PK\x03\x04")
            || source::is_xlsx_name(&source)
        {
            return self.read_dossiers(first, format, jobs, progress);
        }
        // The reader opened to look is the first reading; later ones open the file again.
        let mut first = Some(first);
        let mut open = || match first.take() {
            Some(reader) => Ok(reader),
            None => open().map(|r| std::io::Cursor::new(Vec::new()).chain(r)),
        };
        let compact = self.scoring("reading dossiers", |s, _| Ok(s.read_csv_file(&mut open, jobs, progress)?))?;
        self.dossiers_closed = compact;
        Ok(())
    }

    /// Reads a whole feedback file (feedback items give `FEEDBACK_ON_TIME` and
    /// `FEEDBACK_SATISFIED`). May be called several times, one file each.
    pub fn load_feedback(&mut self, reader: impl Read, format: RecordFormat) -> Result<(), Error> {
        let name = self.names.feedback.clone();
        let (strict, input) = (self.strict, self.input.clone());
        self.scoring("loading feedback", |s, _| match format {
            RecordFormat::Csv => {
                let columns = (&FEEDBACK_REQUIRED[..], &FEEDBACK_COLUMNS[..]);
                let opened = source::open(reader, &name, columns, &input, strict)?;
                s.add_rejections(opened.rejected);
                Ok(s.read_feedback_csv(opened.reader, &opened.source)?)
            }
            RecordFormat::JsonLines => Ok(s.read_feedback_jsonl(&read_all(reader, &name)?, &name)?),
        })
    }

    /// Rows rejected outside the session (by a front end's own reading), to list in the scorecard.
    pub fn add_rejections(&mut self, rejected: Vec<Rejection>) -> Result<(), Error> {
        if rejected.is_empty() {
            return Ok(());
        }
        self.scoring("adding rejections", |s, _| {
            s.add_rejections(rejected);
            Ok(())
        })
    }

    /// Fails as [`Self::merge`] would before it changes anything: either session spent, or
    /// another profile or period (range).
    pub fn check_merge(&self, other: &Self) -> Result<(), Error> {
        let what = ErrorText::Merging.text().en;
        if let Some(e) = self.no_more_dossiers(what).or_else(|| other.no_more_dossiers(what)) {
            return Err(e);
        }
        if self.profile.name != other.profile.name || self.period != other.period {
            let values: [(&str, &dyn std::fmt::Display); 4] = [
                ("other_profile", &other.profile.name),
                ("other_period", &other.period),
                ("profile", &self.profile.name),
                ("period", &self.period),
            ];
            if self.loaded || other.loaded {
                return Err(PartialError::Mismatch(ErrorText::PartialMergeOther.en(&values)).into());
            }
            return Err(Error::Argument(ErrorText::MergeOther.en(&values)));
        }
        let (mine, theirs) = (self.context_checksum(), other.context_checksum());
        let key = (self.profile.name.as_str(), self.period);
        partial::check_same((key.0, key.1, mine), (key.0, key.1, theirs))?;
        Ok(())
    }

    /// Merges `other` (a session that read another part of the records) into this one; both must
    /// have the same profile and period. A merge that [`Self::check_merge`] refuses leaves both
    /// sessions unchanged; once those checks pass, `other` is spent whatever the outcome, and on
    /// failure this session is unchanged. It takes `other`'s counts files for the periods it has none for.
    pub fn merge(&mut self, other: &mut Self) -> Result<(), Error> {
        self.check_merge(other)?;
        other.flush_rewriter()?;
        self.flush_rewriter()?;
        let theirs = std::mem::replace(&mut other.state, State::Finished(ErrorText::AlreadyMerged));
        let counts = std::mem::take(&mut other.counts);
        let (mut their_scorer, _) = match theirs {
            State::Scoring { scorer, context } => (scorer, context),
            State::Loading { units, procedures } => other.start(units, procedures),
            State::Finished(_) | State::Failed(_) => return Err(Error::Misuse(ErrorText::NothingToMerge.en(&[]))),
        };
        // The same context (checked above): its rejected rows are listed once, as in one pass.
        their_scorer.drop_first_rejections(other.context_rejected);
        // `Scorer::merge` finishes the other stream before it changes anything: on failure this
        // session is as it was.
        let (mut mine, context) = match std::mem::replace(
            &mut self.state,
            State::Failed(ErrorText::Incomplete.en(&[("action", &ErrorText::Merging.text().en)])),
        ) {
            State::Scoring { scorer, context } => (scorer, context),
            State::Loading { units, procedures } => self.start(units, procedures),
            other => {
                self.state = other;
                return Err(Error::Misuse(ErrorText::CannotNow.en(&[("action", &ErrorText::Merging.text().en)])));
            }
        };
        let merged = mine.merge(*their_scorer);
        self.state = State::Scoring { scorer: mine, context };
        merged?;
        for theirs in counts {
            if !self.counts.iter().any(|(p, ..)| *p == theirs.0) {
                self.counts.push(theirs);
            }
        }
        Ok(())
    }

    /// Finishes the records (a last CSV line without its newline is read), applies the counts
    /// file, and scores. The session is spent afterwards, whatever the outcome. A session of a
    /// range is finished with [`Self::finish_series`] (here it is
    /// [`ErrorCode::Misuse`](crate::ErrorCode::Misuse), and the session is left as it was).
    pub fn finish(&mut self) -> Result<Scorecard, Error> {
        if let Some(e) = self.unusable(ErrorText::Finishing.text().en) {
            return Err(e);
        }
        if self.is_series() {
            return Err(Error::Misuse(ErrorText::SeriesFinish.en(&[("range", &self.period)])));
        }
        self.flush_rewriter()?;
        let state = std::mem::replace(&mut self.state, State::Finished(ErrorText::AlreadyFinished));
        let mut scorer = match state {
            State::Scoring { scorer, .. } => scorer,
            State::Loading { units, procedures } => self.start(units, procedures).0,
            State::Finished(_) | State::Failed(_) => {
                return Err(Error::Misuse(ErrorText::NothingToScore.en(&[])));
            }
        };
        if let Some((_, counts, rejected, source)) = self.counts.pop() {
            scorer.add_rejections(rejected);
            scorer.set_counts(counts, &source);
        }
        Ok(scorer.finish()?)
    }

    /// Finishes the records and scores every period of the range from the one pass over them:
    /// one scorecard per period, each exactly the one a session of that period alone (same
    /// inputs, that period's counts file) finishes with, and each unit's change from one period
    /// to the next. A single-period session gives a series of one. The session is spent
    /// afterwards, whatever the outcome.
    pub fn finish_series(&mut self) -> Result<Series, Error> {
        if let Some(e) = self.unusable(ErrorText::Finishing.text().en) {
            return Err(e);
        }
        self.flush_rewriter()?;
        let state = std::mem::replace(&mut self.state, State::Finished(ErrorText::AlreadyFinished));
        let scorer = match state {
            State::Scoring { scorer, .. } => scorer,
            State::Loading { units, procedures } => self.start(units, procedures).0,
            State::Finished(_) | State::Failed(_) => {
                return Err(Error::Misuse(ErrorText::NothingToScore.en(&[])));
            }
        };
        let mut loaded = std::mem::take(&mut self.counts);
        let periods = self
            .period
            .iter()
            .map(|p| {
                let counts = loaded.iter().position(|(slot, ..)| *slot == p).map(|i| loaded.swap_remove(i));
                (p, counts.map(|(_, counts, rejected, source)| PeriodCounts { counts, source, rejected }))
            })
            .collect();
        let cards = (*scorer).finish_series(periods)?;
        Ok(Series::new(self.profile.name.clone(), cards))
    }

    /// Opens the session to explain one number: the records read afterwards are counted as
    /// always and those behind the shortfall (denominator − numerator) of `request.metric` for
    /// `request.unit` (with the units below it) are listed; [`Self::explain`] finishes. After the
    /// units and procedures, before any record (it starts the records: units and procedures can
    /// no longer be loaded); for one period, not a range. Refused, the session unchanged but
    /// started, when the metric is not the profile's, is not counted from records (a counts
    /// file's figure), needs the procedures file that was not loaded, or names a unit the units
    /// file does not have.
    pub fn set_explain(&mut self, request: ExplainRequest) -> Result<(), Error> {
        let what = ErrorText::ExplainSetting.text().en;
        if let Some(e) = self.unusable(what) {
            return Err(e);
        }
        if self.is_series() {
            return Err(Error::Argument(ErrorText::ExplainRange.en(&[("range", &self.period)])));
        }
        if !matches!(self.state, State::Loading { .. }) || self.pushed_csv {
            return Err(Error::Misuse(ErrorText::OnlyBeforeRecords.en(&[("action", &what)])));
        }
        let (profile, period) = (self.profile.clone(), self.period.last());
        self.scoring(what, |s, context| {
            let explainer = Explainer::new(request, &profile, period, context).map_err(Error::Argument);
            match explainer {
                Ok(e) => s.set_explainer(e),
                // Refused: the session is still usable, not explaining.
                Err(e) => return Ok(Err(e)),
            }
            Ok(Ok(()))
        })?
    }

    /// Finishes the records and explains the number asked for by [`Self::set_explain`]: the
    /// records behind the shortfall, with the numerator and denominator the scorecard of the same
    /// records has. The session is spent afterwards, whatever the outcome.
    pub fn explain(&mut self) -> Result<Explanation, Error> {
        if let Some(e) = self.unusable(ErrorText::Finishing.text().en) {
            return Err(e);
        }
        self.flush_rewriter()?;
        let state = std::mem::replace(&mut self.state, State::Finished(ErrorText::AlreadyFinished));
        let mut scorer = match state {
            State::Scoring { scorer, .. } => scorer,
            State::Loading { .. } | State::Finished(_) | State::Failed(_) => {
                return Err(Error::Misuse(ErrorText::ExplainNotSet.en(&[])));
            }
        };
        if let Some((_, counts, rejected, source)) = self.counts.pop() {
            scorer.add_rejections(rejected);
            scorer.set_counts(counts, &source);
        }
        match scorer.finish_explain(&self.names.procedures)? {
            None => Err(Error::Misuse(ErrorText::ExplainNotSet.en(&[]))),
            Some(outcome) => outcome.map_err(Error::Argument),
        }
    }

    /// Fails as any call named `what` would now if the session is spent (finished, merged or
    /// failed); for a front end that checks something of its own first.
    pub fn check_usable(&self, what: &str) -> Result<(), Error> {
        self.unusable(what).map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    const UNITS: &[u8] = b"id,name,parent,level\nt,Town,,commune\nk1,K1,t,neighbourhood\n";
    const HEADER: &str = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,synced\n";

    fn dossiers(n: usize) -> String {
        let mut s = HEADER.to_owned();
        for i in 0..n {
            let late = if i % 3 == 0 { "2026-08-20" } else { "2026-08-05" };
            s += &format!("d{i},k1,p,2026-08-01,2026-08-10,{late},online,{}\n", i % 2);
        }
        s
    }

    fn session() -> Score766Session {
        Score766Builder::new("2026-08").units(Some(UNITS)).build().unwrap()
    }

    #[test]
    fn chunks_cut_anywhere_give_the_whole_file_result() {
        let csv = dossiers(50);
        let mut whole = session();
        whole.push_csv(csv.as_bytes()).unwrap();
        let expected = whole.finish().unwrap().to_json();
        for size in [1, 2, 7, 64, 1000] {
            let mut s = session();
            for chunk in csv.as_bytes().chunks(size) {
                s.push_csv(chunk).unwrap();
            }
            assert_eq!(s.finish().unwrap().to_json(), expected, "chunks of {size}");
        }
        let mut s = session();
        s.read_dossiers(csv.as_bytes(), RecordFormat::Csv, 2, &mut |_| {}).unwrap();
        assert_eq!(s.finish().unwrap().to_json(), expected, "parallel driver");
        assert!(expected.contains("\"ON_TIME\""));
    }

    #[test]
    fn arguments_and_order_have_one_code_each() {
        assert_eq!(Score766Session::new(None, "2026-13").unwrap_err().code(), ErrorCode::InvalidArgument);
        assert_eq!(Score766Session::new(Some("nope"), "2026-08").unwrap_err().code(), ErrorCode::UnknownProfile);
        let mut s = session();
        assert_eq!(s.load_units(UNITS).unwrap_err().code(), ErrorCode::Misuse, "units twice");
        // Pushing nothing does not end the loading of units and procedures.
        s.push_csv(b"").unwrap();
        s.push_fields(&[]).unwrap();
        s.load_procedures(&b"procedure,name\np,P\n"[..]).unwrap();
        s.push_csv(HEADER.as_bytes()).unwrap();
        assert_eq!(s.load_procedures(&b"procedure\n"[..]).unwrap_err().code(), ErrorCode::Misuse);
        s.finish().unwrap();
        assert_eq!(s.push_csv(b"x").unwrap_err().code(), ErrorCode::ScorerFinished);
        assert_eq!(s.finish().unwrap_err().code(), ErrorCode::ScorerFinished);
    }

    #[test]
    fn counts_of_another_period_are_refused_once_here() {
        let july = br#"{ "period": "2026-07", "units": [] }"#;
        let err = Score766Builder::new("2026-08").counts(Some(july)).build().unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        let mut s = session();
        assert_eq!(s.load_counts(&july[..]).unwrap_err().code(), ErrorCode::InvalidInput);
        // A month within a quarter is accepted; twice is misuse.
        let mut q = Score766Session::new(None, "2026-Q3").unwrap();
        q.load_counts(&july[..]).unwrap();
        assert_eq!(q.load_counts(&july[..]).unwrap_err().code(), ErrorCode::Misuse);
        // Counts alone must be for exactly the period asked.
        assert_eq!(
            score_counts(&july[..], "c.json", None, Some("2026-Q3"), false).unwrap_err().code(),
            "invalid_input"
        );
        assert!(score_counts(&july[..], "c.json", None, Some("2026-07"), false).is_ok());
    }

    fn dossiers_over_months(n: usize) -> String {
        let mut s = HEADER.to_owned();
        for i in 0..n {
            let month = 6 + i % 4; // June to September
            let late = if i % (month - 3) == 0 { 28 } else { 5 };
            let unit = if i % 5 == 0 { "t" } else { "k1" };
            s += &format!(
                "d{i},{unit},p,2026-{month:02}-01,2026-{month:02}-10,2026-{month:02}-{late},online,{}\n",
                i % 2
            );
        }
        s
    }

    fn counts_for(period: &str, on_time: u64) -> String {
        format!(
            r#"{{ "period": "{period}", "units": [ {{ "unit": "t", "metrics": {{ "PUBLISH_ON_TIME": [{on_time}, 4] }} }},
                {{ "unit": "nowhere", "metrics": {{ "E_CERTIFIED_COPY": [1, 1] }} }} ] }}"#
        )
    }

    #[test]
    fn a_series_is_every_period_scored_alone() {
        let csv = dossiers_over_months(200);
        let (july, august) = (counts_for("2026-07", 3), counts_for("2026-08", 4));
        let mut series = Score766Builder::new("2026-06..2026-09")
            .units(Some(UNITS))
            .counts(Some(august.as_bytes()))
            .counts(Some(july.as_bytes()))
            .build()
            .unwrap();
        assert!(series.is_series());
        series.push_csv(csv.as_bytes()).unwrap();
        let s = series.finish_series().unwrap();
        assert_eq!(
            s.periods.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["2026-06", "2026-07", "2026-08", "2026-09"]
        );
        for (period, card) in s.periods.iter().zip(&s.scorecards) {
            let counts = match period.to_string().as_str() {
                "2026-07" => Some(july.as_bytes()),
                "2026-08" => Some(august.as_bytes()),
                _ => None,
            };
            let mut alone =
                Score766Builder::new(&period.to_string()).units(Some(UNITS)).counts(counts).build().unwrap();
            alone.push_csv(csv.as_bytes()).unwrap();
            assert_eq!(card.to_json(), alone.finish().unwrap().to_json(), "{period}");
        }
        // The counts file's unknown unit is rejected in its own period only.
        assert!(s.scorecards[1].rejected.iter().any(|r| r.reason.contains("nowhere")));
        assert!(!s.scorecards[0].rejected.iter().any(|r| r.reason.contains("nowhere")));
        let t = s.changes.iter().find(|u| u.unit == "t").unwrap();
        assert_eq!(t.total_changes[0], None);
        for i in 1..4 {
            let (a, b) = (t.totals[i - 1].unwrap().0, t.totals[i].unwrap().0);
            assert_eq!(t.total_changes[i].unwrap().0, b - a);
        }
    }

    #[test]
    fn a_series_of_quarters_takes_a_month_of_counts() {
        let csv = dossiers_over_months(80);
        let july = counts_for("2026-07", 3);
        let mut s = Score766Builder::new("2026-Q2..2026-Q3").counts(Some(july.as_bytes())).build().unwrap();
        s.push_csv(csv.as_bytes()).unwrap();
        let series = s.finish_series().unwrap();
        let mut q3 = Score766Builder::new("2026-Q3").counts(Some(july.as_bytes())).build().unwrap();
        q3.push_csv(csv.as_bytes()).unwrap();
        assert_eq!(series.scorecards[1].to_json(), q3.finish().unwrap().to_json());
        let mut q2 = Score766Session::new(None, "2026-Q2").unwrap();
        q2.push_csv(csv.as_bytes()).unwrap();
        assert_eq!(series.scorecards[0].to_json(), q2.finish().unwrap().to_json());
    }

    #[test]
    fn series_arguments_and_counts_are_checked_here() {
        for bad in ["2026-01..2026-Q3", "2026-08..2026-01", "2020-01..2026-01", "2026-01.."] {
            let err = Score766Session::new(None, bad).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidArgument, "{bad}");
            assert!(err.to_string().starts_with("period: "), "{err}");
        }
        let vi = Score766Session::new(None, "2026-08..2026-01").unwrap_err().message_in(crate::labels::Lang::Vi);
        assert_eq!(vi, "kỳ: kỳ đầu `2026-08` nằm sau kỳ cuối `2026-01`");
        let mut s = Score766Session::new(None, "2026-06..2026-08").unwrap();
        let may = counts_for("2026-05", 1);
        let err = s.load_counts(may.as_bytes()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(err.to_string().contains("`2026-06..2026-08`"), "{err}");
        s.load_counts(counts_for("2026-07", 1).as_bytes()).unwrap();
        let err = s.load_counts(counts_for("2026-07", 2).as_bytes()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Misuse);
        assert!(err.to_string().contains("`2026-07`"), "{err}");
        // `finish` refuses a series and leaves the session usable.
        assert_eq!(s.finish().unwrap_err().code(), ErrorCode::Misuse);
        let series = s.finish_series().unwrap();
        assert_eq!(series.scorecards.len(), 3);
        assert_eq!(s.finish_series().unwrap_err().code(), ErrorCode::ScorerFinished);
        // A single period gives a series of one, and merges check the range.
        let mut one = session();
        one.push_csv(dossiers(5).as_bytes()).unwrap();
        assert_eq!(one.finish_series().unwrap().scorecards.len(), 1);
        let (mut x, mut y) = (Score766Session::new(None, "2026-06..2026-07").unwrap(), session());
        assert_eq!(x.merge(&mut y).unwrap_err().code(), ErrorCode::InvalidArgument);
    }

    #[test]
    fn counts_files_make_a_series_of_their_own() {
        let (july, august) = (counts_for("2026-07", 3), counts_for("2026-08", 4));
        let files = [(august.as_bytes(), "a.json".to_owned()), (july.as_bytes(), "j.json".to_owned())];
        let s = score_counts_series(files, None, "2026-06..2026-08", false).unwrap();
        assert!(s.scorecards[0].units.is_empty());
        let alone = score_counts(july.as_bytes(), "j.json", None, Some("2026-07"), false).unwrap();
        assert_eq!(s.scorecards[1].to_json(), alone.to_json());
        let t = s.changes.iter().find(|u| u.unit == "t").unwrap();
        // PUBLISH_ON_TIME 3/4 → 4/4 of 6 points: +1.50.
        assert_eq!(t.total_changes, [None, None, Some(crate::exact::Hundredths(150))]);
        let twice = [(july.as_bytes(), "1".to_owned()), (july.as_bytes(), "2".to_owned())];
        let err = score_counts_series(twice, None, "2026-06..2026-08", false).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Misuse);
        let outside = [(july.as_bytes(), "j.json".to_owned())];
        let err = score_counts_series(outside, None, "2026-Q3..2026-Q4", false).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
    }

    #[test]
    fn input_options_are_set_once_before_any_tabular_input() {
        let semicolons = InputOptions { delimiter: Some(b';'), ..InputOptions::default() };
        let mut s = Score766Session::new(None, "2026-08").unwrap();
        s.set_input(semicolons.clone()).unwrap();
        s.load_units(&b"id;name;parent;level\nt;Town;;commune\nk1;K1;t;neighbourhood\n"[..]).unwrap();
        assert_eq!(s.input(), &semicolons);
        assert_eq!(s.set_input(InputOptions::default()).unwrap_err().code(), ErrorCode::Misuse);
        let mut pushed = session();
        pushed.push_csv(HEADER.as_bytes()).unwrap();
        assert_eq!(pushed.set_input(InputOptions::default()).unwrap_err().code(), ErrorCode::Misuse);
        pushed.finish().unwrap();
        assert_eq!(pushed.set_input(InputOptions::default()).unwrap_err().code(), ErrorCode::ScorerFinished);
    }

    #[test]
    fn a_rewritten_stream_pushed_in_chunks_ends_at_finish() {
        // The last record has no line end: the rewriting holds it until `finish`.
        let csv = dossiers(7);
        let csv = csv.trim_end();
        let mut plain = session();
        plain.push_csv(csv.as_bytes()).unwrap();
        let expected = plain.finish().unwrap().to_json();
        let options = InputOptions { delimiter: Some(b','), decimal_comma: true, ..InputOptions::default() };
        let mut s = Score766Builder::new("2026-08").units(Some(UNITS)).input(options).build().unwrap();
        for chunk in csv.as_bytes().chunks(5) {
            s.push_csv(chunk).unwrap();
        }
        assert_eq!(s.finish().unwrap().to_json(), expected);
    }

    #[test]
    fn a_failed_push_spends_the_session() {
        let mut s = session();
        assert_eq!(s.push_csv(b"dossier_id\nx\n").unwrap_err().code(), ErrorCode::MissingColumn);
        assert_eq!(s.push_csv(b"x").unwrap_err().code(), ErrorCode::Misuse);
    }

    #[test]
    fn merges_check_profile_and_period() {
        let csv = dossiers(20);
        let (a, b) = csv.split_at(csv.len() / 2);
        let cut = b.find('\n').unwrap() + 1;
        let (a, b) = (format!("{a}{}", &b[..cut]), format!("{HEADER}{}", &b[cut..]));
        let mut one = session();
        one.push_csv(csv.as_bytes()).unwrap();
        let expected = one.finish().unwrap().to_json();
        let (mut x, mut y) = (session(), session());
        x.push_csv(a.as_bytes()).unwrap();
        y.push_csv(b.as_bytes()).unwrap();
        x.merge(&mut y).unwrap();
        assert_eq!(x.finish().unwrap().to_json(), expected);
        assert_eq!(y.push_csv(b"x").unwrap_err().code(), ErrorCode::ScorerFinished);
        let mut other = Score766Session::new(None, "2026-09").unwrap();
        let mut z = session();
        assert_eq!(z.merge(&mut other).unwrap_err().code(), ErrorCode::InvalidArgument);
    }

    /// The warnings of a scorecard: (source, row, reason).
    fn warnings(card: &Scorecard) -> Vec<(String, u64, String)> {
        card.warnings.iter().map(|w| (w.source.clone(), w.row, w.reason.clone())).collect()
    }

    #[test]
    fn a_duplicate_dossier_id_is_counted_and_warned_about_by_every_push() {
        let csv = format!("{}d1,k1,p,2026-08-01,2026-08-10,2026-08-05,online,1\n", dossiers(3));
        let mut whole = session();
        whole.push_csv(csv.as_bytes()).unwrap();
        let card = whole.finish().unwrap();
        let expected = vec![("dossiers.csv".to_owned(), 5, "dossier_id `d1` already at row 3".to_owned())];
        assert_eq!(warnings(&card), expected);
        assert_eq!(card.warnings[0].column.as_deref(), Some("dossier_id"));
        // Counted as given: four dossiers.
        let json = card.to_json();
        assert!(json.contains("\"warnings\": [\n    {"), "{json}");
        assert!(!json.contains("warnings_omitted"));
        let on_time = card
            .units
            .iter()
            .filter(|u| u.unit == "k1")
            .flat_map(|u| u.groups.iter().flat_map(|g| g.metrics.iter()))
            .find(|m| m.code == "ON_TIME")
            .map(|m| m.denominator);
        assert_eq!(on_time, Some(4));
        // The same through the parallel driver, JSON lines, fields and records.
        let mut s = session();
        s.read_dossiers(csv.as_bytes(), RecordFormat::Csv, 3, &mut |_| {}).unwrap();
        assert_eq!(s.finish().unwrap().to_json(), json);
        let lines: String = csv
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                format!(
                    "{{\"dossier_id\":\"{}\",\"unit\":\"{}\",\"procedure\":\"p\",\"received_at\":\"{}\"}}\n",
                    f[0], f[1], f[3]
                )
            })
            .collect();
        let mut s = session();
        s.push_jsonl(lines.as_bytes()).unwrap();
        assert_eq!(
            warnings(&s.finish().unwrap()),
            [("dossiers.csv".to_owned(), 4, "dossier_id `d1` already at row 2".to_owned())]
        );
        let record = |id: &str| DossierRecord {
            dossier_id: id.to_owned(),
            unit: "k1".to_owned(),
            procedure: "p".to_owned(),
            received_at: "2026-08-01".to_owned(),
            ..DossierRecord::default()
        };
        let mut s = session();
        s.push_records(&[record("a"), record(" b "), record("")]).unwrap();
        s.push_records(&[record("b"), record(""), record("a")]).unwrap();
        let fields = record("b");
        s.push_fields(&[fields.fields()]).unwrap();
        assert_eq!(
            warnings(&s.finish().unwrap()),
            [
                ("dossiers.csv".to_owned(), 4, "dossier_id `b` already at row 2".to_owned()),
                ("dossiers.csv".to_owned(), 6, "dossier_id `a` already at row 1".to_owned()),
                ("dossiers.csv".to_owned(), 7, "dossier_id `b` already at row 2".to_owned()),
            ]
        );
    }

    #[test]
    fn a_file_read_twice_gives_the_warnings_of_one_reading() {
        // Repeats in every shape: one id three times, a quoted id spanning two lines, a repeat
        // after blank lines, a rejected row (not counted, so not the first) before the counted one.
        let mut csv = dossiers(40);
        csv += "d7,k1,p,2026-08-02,,,online,1\n\n\n\"q\nq\",k1,p,2026-08-02,,,online,1\n";
        csv += "z,k1,p,not-a-date,,,online,1\nz,k1,p,2026-08-03,,,online,1\nd7,k1,p,2026-08-04,,,online,0\n";
        csv += "\"q\nq\",k1,p,2026-08-02,,,online,1\nz,k1,p,2026-08-03,,,online,1\n";
        for jobs in [1, 2] {
            let mut once = session();
            once.read_dossiers(csv.as_bytes(), RecordFormat::Csv, jobs, &mut |_| {}).unwrap();
            let expected = once.finish().unwrap();
            assert_eq!(expected.warnings.len(), 4, "{:?}", warnings(&expected));
            let mut opened = 0;
            let mut twice = session();
            let open = || {
                opened += 1;
                Ok(csv.as_bytes())
            };
            twice.read_dossiers_file(open, RecordFormat::Csv, jobs, &mut |_| {}).unwrap();
            // The session takes no more dossiers: they could not be checked against the file's.
            assert_eq!(twice.push_csv(b"x").unwrap_err().code(), ErrorCode::Misuse);
            assert_eq!(twice.finish().unwrap().to_json(), expected.to_json());
            assert_eq!(opened, 2);
        }
        // No repeat: read once.
        let mut opened = 0;
        let mut s = session();
        let open = || {
            opened += 1;
            Ok(dossiers(5).into_bytes().into_iter().collect::<std::collections::VecDeque<u8>>())
        };
        s.read_dossiers_file(open, RecordFormat::Csv, 2, &mut |_| {}).unwrap();
        assert!(s.finish().unwrap().warnings.is_empty());
        assert_eq!(opened, 1);
        // After records pushed, the file's ids are checked against theirs in one pass, and the
        // session stays open.
        let mut s = session();
        s.push_csv(dossiers(2).as_bytes()).unwrap();
        s.read_dossiers_file(|| Ok(std::io::Cursor::new(dossiers(3).into_bytes())), RecordFormat::Csv, 1, &mut |_| {})
            .unwrap();
        s.push_csv(b"d0,k1,p,2026-08-09,,,online,1\n").unwrap();
        let w = warnings(&s.finish().unwrap());
        assert_eq!(w.len(), 3, "{w:?}");
    }

    #[test]
    fn a_duplicate_across_merged_sessions_names_the_first_file() {
        let named = |file: &str| {
            let names = Names766 { dossiers: file.to_owned(), ..Names766::default() };
            Score766Builder::new("2026-08").units(Some(UNITS)).names(names).build().unwrap()
        };
        let rows = |ids: &[&str]| {
            let mut csv = HEADER.to_owned();
            for id in ids {
                csv += &format!("{id},k1,p,2026-08-01,,,online,0\n");
            }
            csv
        };
        let (mut a, mut b) = (named("a.csv"), named("b.csv"));
        a.push_csv(rows(&["d0", "x"]).as_bytes()).unwrap();
        b.push_csv(rows(&["y", "x", "y"]).as_bytes()).unwrap();
        a.merge(&mut b).unwrap();
        assert_eq!(
            warnings(&a.finish().unwrap()),
            [
                ("b.csv".to_owned(), 3, "dossier_id already at row 3 of `a.csv`".to_owned()),
                ("b.csv".to_owned(), 4, "dossier_id `y` already at row 2".to_owned()),
            ]
        );
        // A session merged into comes first even when it has no record yet: its own later rows
        // name the other file.
        let (mut c, mut b) = (named("c.csv"), named("b.csv"));
        b.push_csv(rows(&["x"]).as_bytes()).unwrap();
        c.merge(&mut b).unwrap();
        c.push_csv(rows(&["x"]).as_bytes()).unwrap();
        assert_eq!(
            warnings(&c.finish().unwrap()),
            [("c.csv".to_owned(), 2, "dossier_id `x` already at row 2 of `b.csv`".to_owned())]
        );
    }
}
