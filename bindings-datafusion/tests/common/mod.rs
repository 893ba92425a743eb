//! What the DataFusion tests share: generated inputs, chiso's own scorecard of CSV bytes, and a
//! context with `score766` registered.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test helpers fail by panicking"
)]

use std::sync::Arc;

use chiso::api::{RecordFormat, Score766Builder};
use chiso::date::{DateOnly, VIETNAM_OFFSET_SECONDS, parse_instant};
use chiso::headers::DOSSIER_COLUMNS;
use chiso_datafusion::datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Decimal128Array, Int32Array, RecordBatch, StringArray,
    TimestampMicrosecondArray, TimestampMillisecondArray, TimestampSecondArray,
};
use chiso_datafusion::datafusion::arrow::csv::ReaderBuilder;
use chiso_datafusion::datafusion::arrow::datatypes::{DataType, Field, Schema};
use chiso_datafusion::datafusion::parquet::arrow::ArrowWriter;
use chiso_datafusion::datafusion::parquet::file::properties::WriterProperties;
use chiso_datafusion::datafusion::prelude::{SessionConfig, SessionContext};
use chiso_datafusion::{Score766Config, register};

/// Generated inputs: `units.csv`, `procedures.csv`, `dossiers.csv`.
pub struct Generated {
    pub period: String,
    pub units: Vec<u8>,
    pub procedures: Vec<u8>,
    pub dossiers: Vec<u8>,
}

/// `dossiers` generated records of 2026-10 (seed 7), 0.2 % of them just outside the month.
pub fn generate(dossiers: u64) -> Generated {
    let period: chiso::period::Period = "2026-10".parse().unwrap();
    let mut config = chiso_tools::generate::GeneratorConfig::new(dossiers, period);
    config.seed = 7;
    let generator = chiso_tools::generate::Generator::new(config);
    let (mut units, mut procedures, mut records) = (Vec::new(), Vec::new(), Vec::new());
    generator.write_units(&mut units).unwrap();
    generator.write_procedures(&mut procedures).unwrap();
    generator.write_dossiers(&mut records).unwrap();
    Generated { period: "2026-10".to_owned(), units, procedures, dossiers: records }
}

/// The configuration of the generated inputs, with one more unit that `units.csv`'s reader
/// rejects (its parent is nowhere): every partial carries that rejected row, and the scorecard must
/// list it once.
pub fn config(g: &Generated) -> Score766Config {
    let header = g.units.split(|&b| b == b'\n').next().unwrap();
    let extra = header.iter().filter(|&&b| b == b',').count() - 3;
    let mut units = g.units.clone();
    units.extend_from_slice(format!("zz-lost,Lost,nowhere,neighbourhood{}\n", ",".repeat(extra)).as_bytes());
    Score766Config { units: Some(units), procedures: Some(g.procedures.clone()), ..Score766Config::new(&g.period) }
}

/// chiso's own scorecard (the bytes `chiso score766 --format json` prints, less its newline) of a
/// dossier CSV under `config`.
pub fn chiso_scorecard(config: &Score766Config, dossiers: &[u8]) -> String {
    let mut session = Score766Builder::new(&config.period)
        .profile(config.profile.as_deref())
        .units(config.units.as_deref())
        .procedures(config.procedures.as_deref())
        .counts(config.counts.as_deref())
        .build()
        .unwrap();
    session.push_csv(dossiers).unwrap();
    if let Some(feedback) = &config.feedback {
        session.load_feedback(feedback.as_slice(), RecordFormat::Csv).unwrap();
    }
    session.finish().unwrap().to_json()
}

/// A context of `partitions` target partitions with `score766` registered.
pub fn context(partitions: usize, config: Score766Config) -> SessionContext {
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(partitions));
    register(&ctx, config).unwrap();
    ctx
}

/// `score766(<all the dossier columns>)` of table alias `t`.
pub fn all_columns(t: &str) -> String {
    let columns: Vec<String> = DOSSIER_COLUMNS.iter().map(|c| format!("{t}.{c}")).collect();
    format!("score766({})", columns.join(", "))
}

/// The text values of the rows of a query, column by column.
pub async fn query(ctx: &SessionContext, sql: &str) -> Vec<Vec<Option<String>>> {
    let batches: Vec<RecordBatch> = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let mut rows = Vec::new();
    for batch in batches {
        let columns: Vec<Arc<dyn Array>> = batch
            .columns()
            .iter()
            .map(|c| {
                chiso_datafusion::datafusion::arrow::compute::cast(
                    c,
                    &chiso_datafusion::datafusion::arrow::datatypes::DataType::Utf8,
                )
                .unwrap()
            })
            .collect();
        for row in 0..batch.num_rows() {
            rows.push(
                columns
                    .iter()
                    .map(|c| {
                        let c = c.as_any().downcast_ref::<StringArray>().expect("text");
                        c.is_valid(row).then(|| c.value(row).to_owned())
                    })
                    .collect(),
            );
        }
    }
    rows
}

/// The one value of a query of one row and one column.
pub async fn one(ctx: &SessionContext, sql: &str) -> String {
    let rows = query(ctx, sql).await;
    assert_eq!(rows.len(), 1, "{sql}");
    rows[0][0].clone().unwrap()
}

/// A temporary directory removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("chiso-datafusion-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The rows of a dossier CSV, every column as text (`None` for an empty field).
pub fn text_batch(csv: &[u8]) -> RecordBatch {
    let header = String::from_utf8_lossy(&csv[..csv.iter().position(|&b| b == b'\n').unwrap()]).into_owned();
    let fields: Vec<Field> = header.trim_end().split(',').map(|c| Field::new(c, DataType::Utf8, true)).collect();
    let schema = Arc::new(Schema::new(fields));
    let reader = ReaderBuilder::new(Arc::clone(&schema)).with_header(true).build(csv).unwrap();
    let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    chiso_datafusion::datafusion::arrow::compute::concat_batches(&schema, &batches).unwrap()
}

/// The same records with typed columns, each holding exactly what the text says: `received_at`
/// as instants (UTC), `due_at` as instants in `+07:00` (a date alone is the end of its day, as
/// chiso reads a due date), `finished_at` as naive Vietnam local times in milliseconds, counts as
/// `Int32`, `supplement_days` as `Decimal128(12, 3)`, flags as booleans.
pub fn typed_batch(text: &RecordBatch) -> RecordBatch {
    let column = |name: &str| text.column_by_name(name).unwrap().as_string::<i32>().clone();
    let instants = |name: &str, date_only: DateOnly| -> Vec<Option<i64>> {
        column(name)
            .iter()
            .map(|v| v.filter(|v| !v.is_empty()).map(|v| parse_instant(v, date_only).unwrap().0))
            .collect()
    };
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for name in DOSSIER_COLUMNS {
        let array: ArrayRef = match name {
            "received_at" => {
                Arc::new(TimestampSecondArray::from(instants(name, DateOnly::StartOfDay)).with_timezone("UTC"))
            }
            "due_at" => Arc::new(
                TimestampMicrosecondArray::from(
                    instants(name, DateOnly::EndOfDay)
                        .into_iter()
                        .map(|s| s.map(|s| s * 1_000_000))
                        .collect::<Vec<_>>(),
                )
                .with_timezone("+07:00"),
            ),
            "finished_at" => Arc::new(TimestampMillisecondArray::from(
                instants(name, DateOnly::StartOfDay)
                    .into_iter()
                    .map(|s| s.map(|s| (s + VIETNAM_OFFSET_SECONDS) * 1_000))
                    .collect::<Vec<_>>(),
            )),
            "supplement_requests" => Arc::new(
                column(name)
                    .iter()
                    .map(|v| v.filter(|v| !v.is_empty()).map(|v| v.parse::<i32>().unwrap()))
                    .collect::<Int32Array>(),
            ),
            "supplement_days" => Arc::new(
                column(name)
                    .iter()
                    .map(|v| v.filter(|v| !v.is_empty()).map(thousandths))
                    .collect::<Decimal128Array>()
                    .with_precision_and_scale(12, 3)
                    .unwrap(),
            ),
            "channel" | "rating" | "dossier_id" | "unit" | "procedure" => Arc::new(column(name)),
            _ => Arc::new(column(name).iter().map(|v| v.map(flag)).collect::<BooleanArray>()),
        };
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

/// A decimal text in thousandths, exactly.
pub fn thousandths(text: &str) -> i128 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    assert!(fraction.len() <= 3, "{text}");
    let fraction = format!("{fraction:0<3}");
    whole.parse::<i128>().unwrap() * 1000 + fraction.parse::<i128>().unwrap()
}

/// A boolean as chiso reads it.
pub fn flag(text: &str) -> bool {
    let word = text.trim().to_lowercase();
    let [(true, yes), (false, no)] = chiso::headers::BOOLEAN_WORDS else { unreachable!() };
    assert!(yes.contains(&word.as_str()) || no.contains(&word.as_str()), "{text}");
    yes.contains(&word.as_str())
}

/// Writes `batch` as `files` Parquet files in `dir`, row groups of `group` rows.
pub fn write_parquet(batch: &RecordBatch, dir: &TempDir, files: usize, group: usize) {
    let per_file = batch.num_rows().div_ceil(files);
    let props = WriterProperties::builder().set_max_row_group_row_count(Some(group)).build();
    for i in 0..files {
        let start = (i * per_file).min(batch.num_rows());
        let part = batch.slice(start, per_file.min(batch.num_rows() - start));
        let file = std::fs::File::create(dir.path(&format!("part-{i}.parquet"))).unwrap();
        let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props.clone())).unwrap();
        writer.write(&part).unwrap();
        writer.close().unwrap();
    }
}
