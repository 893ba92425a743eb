//! chiso in Apache DataFusion: the Decision 766 scorecard as an aggregate function, `score766`,
//! whose accumulator state is chiso's mergeable partial, so that
//!
//! ```sql
//! SELECT u.parent, score766(d.dossier_id, d.unit, d.procedure, d.received_at, d.due_at, d.finished_at,
//!                           d.channel, d.supplement_requests, d.supplement_days, d.e_result, d.digitized,
//!                           d.reused_data, d.shared_storage, d.citizen_data, d.synced, d.fee,
//!                           d.paid_online, d.complaint, d.rating)
//! FROM dossiers d JOIN units u ON d.unit = u.id GROUP BY u.parent
//! ```
//!
//! gives each group's scorecard (the JSON text `chiso score766 --format json` prints for the
//! group's records) over Parquet, CSV or any other DataFusion source, on one machine or on a
//! distributed DataFusion (Ballista): each partition's accumulator counts its rows
//! (`update_batch`), sends its partial (`state`: one `Binary`, the bytes of
//! [`Score766Session::save_partial`], the versioned and checksummed format `chiso score766
//! --partial-out` writes), and the final accumulator loads and merges the partials
//! (`merge_batch`) and scores (`evaluate`).
//!
//! # Arguments
//!
//! Either the dossier columns in `DOSSIER_COLUMNS` order (`chiso::headers::DOSSIER_COLUMNS`; a
//! prefix of them is enough, at least the four required: `dossier_id`, `unit`, `procedure`,
//! `received_at`), or one struct whose fields are named by the columns (any order, any subset
//! holding the required ones; chiso's Vietnamese header aliases are accepted):
//! `score766(named_struct('dossier_id', id, 'unit', unit, …))`. DataFusion does not expand
//! `dossiers.*` inside a function call other than `count(*)`, so `score766(dossiers.*)` is not SQL
//! it takes.
//!
//! The values are written as the text of CSV fields (see the `columns` module: strings as they are,
//! numbers exactly, naive timestamps as Vietnam local time, NULL as an empty field) and counted
//! by chiso's CSV scanner, so a NULL or bad value is a rejected row with the reason and column the
//! CSV path gives. Rows are numbered as in a CSV file of the partition's rows (header = row 1): a
//! source read by one partition in file order numbers rows as the CSV file does.

mod columns;
mod tables;

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use chiso::api::{Names766, RecordFormat, Score766Builder, Score766Session};
use chiso::score766::Scorecard;
use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{DataFusionError, Result, ScalarValue, exec_err};
use datafusion::execution::context::SessionContext;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

pub use datafusion;
pub use tables::{register_dossier_csv, register_text_csv};

/// The name of a partial in errors (a damaged or mismatched state).
const PARTIAL_SOURCE: &str = "score766 partial";

/// The name of the aggregate function.
pub const FUNCTION_NAME: &str = "score766";

/// What every scorecard of the function is computed with: the arguments of `chiso score766`
/// other than the dossier records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score766Config {
    /// The period (`2026-10`, `2026-Q3`, `2026`; one period, not a range).
    pub period: String,
    /// The profile by name; `None` for the default.
    pub profile: Option<String>,
    /// `units.csv`: the tree counts roll up through.
    pub units: Option<Vec<u8>>,
    /// `procedures.csv`.
    pub procedures: Option<Vec<u8>>,
    /// A counts JSON for the metrics records cannot give (applied to every group's scorecard).
    pub counts: Option<Vec<u8>>,
    /// A feedback file (CSV, or JSON lines when [`Names766::feedback`] ends in `.jsonl`), counted
    /// once into every group's scorecard.
    pub feedback: Option<Vec<u8>>,
    /// Fail the query at the first rejected row instead of listing it.
    pub strict: bool,
    /// Whether a `dossier_id` given twice is warned about (the default).
    pub check_duplicate_ids: bool,
    /// The names of the inputs in rejections (`dossiers.csv`, `units.csv`, … by default).
    pub names: Names766,
}

impl Score766Config {
    /// The configuration for `period`, default profile, no other input.
    #[must_use]
    pub fn new(period: &str) -> Self {
        Self {
            period: period.to_owned(),
            profile: None,
            units: None,
            procedures: None,
            counts: None,
            feedback: None,
            strict: false,
            check_duplicate_ids: true,
            names: Names766::default(),
        }
    }

    /// A session of this configuration with units and procedures loaded (no counts, no
    /// feedback: those go into the final session only, so that merging partials counts them once).
    fn session(&self) -> Result<Score766Session, chiso::Error> {
        Score766Builder::new(&self.period)
            .profile(self.profile.as_deref())
            .strict(self.strict)
            .check_duplicate_ids(self.check_duplicate_ids)
            .names(self.names.clone())
            .units(self.units.as_deref())
            .procedures(self.procedures.as_deref())
            .build()
    }
}

impl Hash for Score766Config {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // A subset of what `Eq` compares: equal configurations hash alike.
        (&self.period, &self.profile, &self.units, &self.procedures, &self.counts, &self.feedback).hash(state);
    }
}

/// A chiso error as a DataFusion error (its message is chiso's).
fn external(e: chiso::Error) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

/// Registers the aggregate function `score766` in `ctx` with `config`. The period, the profile,
/// the units and the procedures are checked here, before any query.
///
/// # Errors
/// The configuration's error (a bad period or profile, an unreadable units or procedures file).
pub fn register(ctx: &SessionContext, config: Score766Config) -> Result<()> {
    let mut check = config.session().map_err(external)?;
    if check.is_series() {
        return exec_err!("score766: the period must be one period, not a range");
    }
    check.finish().map_err(external)?;
    ctx.register_udaf(score766_udaf(config));
    Ok(())
}

/// The aggregate function `score766` with `config`, for a context built elsewhere (a Ballista
/// executor registers the same function from the same configuration).
#[must_use]
pub fn score766_udaf(config: Score766Config) -> AggregateUDF {
    AggregateUDF::from(Score766Udaf {
        config: Arc::new(config),
        signature: Signature::variadic_any(Volatility::Immutable),
    })
}

/// The `score766` aggregate function.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Score766Udaf {
    config: Arc<Score766Config>,
    signature: Signature,
}

impl AggregateUDFImpl for Score766Udaf {
    fn name(&self) -> &str {
        FUNCTION_NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        columns::argument_columns(arg_types)?;
        Ok(DataType::Utf8)
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn accumulator(&self, args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        let types: Vec<DataType> = args.expr_fields.iter().map(|f| f.data_type().clone()).collect();
        let names = columns::argument_columns(&types)?;
        let session = self.config.session().map_err(external)?;
        Ok(Box::new(Score766Accumulator::new(Arc::clone(&self.config), &names, session)))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(format_state_name(args.name, "partial"), DataType::Binary, true))])
    }
}

/// One group's (or one partition's part of a group's) session.
#[derive(Debug)]
struct Score766Accumulator {
    config: Arc<Score766Config>,
    /// The CSV header of the columns the arguments give.
    header: Vec<u8>,
    session: Score766Session,
    /// Whether the header was pushed.
    started: bool,
    /// The CSV text of the batch being pushed.
    buffer: Vec<u8>,
    /// The scorecard once evaluated (a session is finished once).
    scorecard: Option<String>,
}

impl Score766Accumulator {
    fn new(config: Arc<Score766Config>, names: &[&str], session: Score766Session) -> Self {
        let mut header = names.join(",").into_bytes();
        header.push(b'\n');
        Self { config, header, session, started: false, buffer: Vec::new(), scorecard: None }
    }

    /// Loads the counts and feedback files, finishes and scores.
    fn score(&mut self) -> Result<Scorecard> {
        let config = Arc::clone(&self.config);
        if let Some(counts) = &config.counts {
            self.session.load_counts_named(counts.as_slice(), &config.names.counts).map_err(external)?;
        }
        if let Some(feedback) = &config.feedback {
            let format = RecordFormat::from_name(&config.names.feedback);
            self.session.load_feedback(feedback.as_slice(), format).map_err(external)?;
        }
        self.session.finish().map_err(external)
    }
}

impl Accumulator for Score766Accumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let batch = columns::Batch::new(values)?;
        if batch.rows() == 0 {
            return Ok(());
        }
        self.buffer.clear();
        if !self.started {
            self.buffer.extend_from_slice(&self.header);
        }
        batch.write_csv(&mut self.buffer);
        self.session.push_csv(&self.buffer).map_err(external)?;
        self.started = true;
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let bytes = self.session.save_partial().map_err(external)?;
        Ok(vec![ScalarValue::Binary(Some(bytes))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(partials) = states.first() else {
            return exec_err!("score766: no state to merge");
        };
        let partials = partials
            .as_binary_opt::<i32>()
            .ok_or_else(|| DataFusionError::Internal(format!("score766: a state of type {}", partials.data_type())))?;
        for bytes in partials.iter().flatten() {
            let mut other = Score766Session::load_partial(bytes, PARTIAL_SOURCE).map_err(external)?;
            self.session.merge(&mut other).map_err(external)?;
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        if self.scorecard.is_none() {
            self.scorecard = Some(self.score()?.to_json());
        }
        Ok(ScalarValue::Utf8(self.scorecard.clone()))
    }

    fn size(&self) -> usize {
        size_of::<Self>() + self.header.capacity() + self.buffer.capacity()
    }
}
