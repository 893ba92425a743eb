//! Values, rows and arguments: the shared golden vectors through a query (CSV and typed Parquet),
//! NULL and bad values rejected as the CSV path rejects them, every accepted Arrow type read as
//! its CSV text, the struct argument, and the arguments refused when the query is planned.
#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "a test fails by panicking")]

#[expect(dead_code, reason = "the generator's helpers serve the other suite")]
mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chiso::headers::DOSSIER_COLUMNS;
use chiso_datafusion::Score766Config;
use chiso_datafusion::datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Float64Array, RecordBatch, StringArray, UInt8Array,
};
use chiso_datafusion::datafusion::arrow::compute::cast;
use chiso_datafusion::datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use chiso_datafusion::datafusion::datasource::MemTable;
use chiso_datafusion::datafusion::prelude::{ParquetReadOptions, SessionContext};
use chiso_datafusion::register_dossier_csv;
use common::{TempDir, all_columns, chiso_scorecard, context, one, text_batch, typed_batch, write_parquet};

/// The golden cases scored from records: (folder, configuration, dossiers.csv).
fn golden_cases() -> Vec<(PathBuf, Score766Config, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/golden/score766");
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let read = |name: &str| std::fs::read(dir.join(name)).ok();
        let line = |name: &str| read(name).map(|b| String::from_utf8(b).unwrap().trim().to_owned());
        let Some(dossiers) = read("dossiers.csv") else { continue };
        let config = Score766Config {
            profile: line("profile"),
            units: read("units.csv"),
            procedures: read("procedures.csv"),
            counts: read("counts.json"),
            feedback: read("feedback.csv"),
            ..Score766Config::new(&line("period").unwrap())
        };
        cases.push((dir, config, dossiers));
    }
    assert!(cases.len() >= 3, "the golden folder lost its cases");
    cases
}

fn register_batch(ctx: &SessionContext, batch: RecordBatch) {
    let table = MemTable::try_new(batch.schema(), vec![vec![batch]]).unwrap();
    ctx.register_table("dossiers", Arc::new(table)).unwrap();
}

#[tokio::test]
async fn golden_vectors_through_a_query() {
    for (dir, config, dossiers) in golden_cases() {
        let expected = std::fs::read_to_string(dir.join("expected.json")).unwrap();
        // The scorecard lists rejected rows: the golden cases must keep some, or the row numbers
        // are not checked.
        assert!(expected.contains("\"row\": 794"), "{}", dir.display());
        let sql = format!("SELECT {} FROM dossiers d", all_columns("d"));
        // The CSV file as a DataFusion table, one partition: rows numbered as the file's.
        let ctx = context(1, config.clone());
        register_dossier_csv(&ctx, "dossiers", dir.join("dossiers.csv").to_str().unwrap(), b',').await.unwrap();
        assert!(one(&ctx, &sql).await == expected, "{}: CSV table", dir.display());
        // The same records typed, in a Parquet file.
        let tmp = TempDir::new("golden");
        write_parquet(&typed_batch(&text_batch(&dossiers)), &tmp, 1, 100);
        let ctx = context(1, config.clone());
        ctx.register_parquet("dossiers", tmp.0.to_str().unwrap(), ParquetReadOptions::default()).await.unwrap();
        assert!(one(&ctx, &sql).await == expected, "{}: typed Parquet", dir.display());
        // Other Arrow types for the same values.
        let ctx = context(1, config);
        register_batch(&ctx, exotic_batch(&text_batch(&dossiers)));
        assert!(one(&ctx, &sql).await == expected, "{}: other Arrow types", dir.display());
    }
}

/// The golden records in types other than [`typed_batch`]'s: string views, large strings,
/// dictionaries, timestamps in nanoseconds with `+07:00`, dates (`Date32`) for the due dates (a
/// day, the end of it for a due date), seconds in naive local time, `UInt8`, floats.
fn exotic_batch(text: &RecordBatch) -> RecordBatch {
    let typed = typed_batch(text);
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for name in DOSSIER_COLUMNS {
        let plain = typed.column_by_name(name).unwrap();
        let words = text.column_by_name(name).unwrap().as_string::<i32>();
        let array: ArrayRef = match name {
            "dossier_id" => cast(plain, &DataType::Utf8View).unwrap(),
            "unit" => cast(plain, &DataType::LargeUtf8).unwrap(),
            "procedure" => {
                cast(plain, &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))).unwrap()
            }
            "received_at" => cast(plain, &DataType::Timestamp(TimeUnit::Nanosecond, Some("+07:00".into()))).unwrap(),
            "due_at" => {
                assert!(words.iter().all(|v| v.is_none_or(|v| v.len() == 10)), "due dates are days");
                cast(&cast(words, &DataType::Date32).unwrap(), &DataType::Date32).unwrap()
            }
            "finished_at" => cast(plain, &DataType::Timestamp(TimeUnit::Second, None)).unwrap(),
            "supplement_requests" => Arc::new(
                words
                    .iter()
                    .map(|v| v.filter(|v| !v.is_empty()).map(|v| v.parse::<u8>().unwrap()))
                    .collect::<UInt8Array>(),
            ),
            "supplement_days" => Arc::new(
                words
                    .iter()
                    .map(|v| v.filter(|v| !v.is_empty()).map(|v| v.parse::<f64>().unwrap()))
                    .collect::<Float64Array>(),
            ),
            "e_result" => cast(plain, &DataType::Int64).unwrap(),
            _ => Arc::clone(plain),
        };
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

/// Four golden rows with their text changed at (row, column), and the same rows as CSV text.
fn altered(changes: &[(usize, &str, Option<&str>)]) -> (Score766Config, RecordBatch, Vec<u8>) {
    let (_, config, dossiers) = golden_cases().into_iter().find(|(d, ..)| d.ends_with("sample-town-records")).unwrap();
    let text = String::from_utf8(dossiers).unwrap();
    let mut lines: Vec<Vec<String>> = text.lines().take(9).map(|l| l.split(',').map(str::to_owned).collect()).collect();
    for (row, column, value) in changes {
        let i = DOSSIER_COLUMNS.iter().position(|c| c == column).unwrap();
        lines[*row][i] = value.unwrap_or_default().to_owned();
    }
    let csv: String = lines.iter().map(|l| format!("{}\n", l.join(","))).collect();
    let batch = text_batch(csv.as_bytes());
    // An empty field is NULL here (never the empty string), and the changed ones are as asked.
    let arrays: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|c| {
            Arc::new(c.as_string::<i32>().iter().map(|v| v.filter(|v| !v.is_empty())).collect::<StringArray>())
                as ArrayRef
        })
        .collect();
    let batch = RecordBatch::try_new(batch.schema(), arrays).unwrap();
    (config, batch, csv.into_bytes())
}

#[tokio::test]
async fn null_and_bad_values_are_rejected_rows_as_in_the_csv() {
    let changes = [
        (1, "received_at", None),
        (2, "received_at", Some("not-a-date")),
        (3, "dossier_id", None),
        (4, "supplement_requests", Some("two")),
        (5, "unit", None),
        (6, "channel", Some("pigeon")),
    ];
    let (config, batch, csv) = altered(&changes);
    assert!(batch.column(3).null_count() >= 1 && batch.column(0).null_count() == 1);
    let expected = chiso_scorecard(&config, &csv);
    let listed = serde_json_rows(&expected);
    assert!(listed.len() >= 4, "{listed:?}");
    let sql = format!("SELECT {} FROM dossiers d", all_columns("d"));
    let ctx = context(1, config.clone());
    register_batch(&ctx, batch.clone());
    assert_eq!(one(&ctx, &sql).await, expected);
    // Typed columns: a NULL timestamp is the empty field of the CSV.
    let nulls = [(1, "received_at", None), (3, "finished_at", None), (5, "supplement_days", None)];
    let (_, text, typed_csv) = altered(&nulls);
    let typed = typed_batch(&text);
    assert!(typed.column(3).null_count() == 1);
    let ctx = context(1, config.clone());
    register_batch(&ctx, typed);
    assert_eq!(one(&ctx, &sql).await, chiso_scorecard(&config, &typed_csv));
    // Floats: a NaN or an infinity is the text a CSV export of it holds, rejected as that text is;
    // 0.1 is `0.1`.
    let days = [Some("0.1"), Some("NaN"), Some("inf"), None, Some("2.5"), Some("-0.5"), Some("0.25"), Some("1e-3")];
    let changes: Vec<(usize, &str, Option<&str>)> =
        days.iter().enumerate().map(|(i, d)| (i + 1, "supplement_days", *d)).collect();
    let (_, text, float_csv) = altered(&changes);
    let floats: Float64Array = days.iter().map(|d| d.map(|d| d.parse::<f64>().unwrap())).collect();
    let mut columns = text.columns().to_vec();
    let at = DOSSIER_COLUMNS.iter().position(|c| *c == "supplement_days").unwrap();
    columns[at] = Arc::new(floats);
    let mut fields: Vec<Field> = text.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
    fields[at] = Field::new("supplement_days", DataType::Float64, true);
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
    // `1e-3` is written `0.001`, as a CSV export of the float holds it.
    let float_csv = String::from_utf8(float_csv).unwrap().replace(",1e-3,", ",0.001,");
    let expected = chiso_scorecard(&config, float_csv.as_bytes());
    assert!(serde_json_rows(&expected).iter().filter(|(_, c)| c == "supplement_days").count() >= 2, "{expected}");
    let ctx = context(1, config.clone());
    register_batch(&ctx, batch);
    assert_eq!(one(&ctx, &sql).await, expected);
}

/// (row, column) of the rejections of a scorecard's JSON.
fn serde_json_rows(json: &str) -> Vec<(u64, String)> {
    let mut rows = Vec::new();
    let mut rest = json;
    while let Some(at) = rest.find("\"row\": ") {
        rest = &rest[at + 7..];
        let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap();
        let row = rest[..end].parse().unwrap();
        let column = rest.find("\"column\": \"").map(|c| rest[c + 11..].split('"').next().unwrap().to_owned());
        rows.push((row, column.unwrap_or_default()));
    }
    rows
}

#[tokio::test]
async fn a_struct_argument_names_its_columns_in_any_order() {
    let (config, batch, csv) = altered(&[]);
    let expected = chiso_scorecard(&config, &csv);
    let ctx = context(1, config.clone());
    register_batch(&ctx, batch);
    // Reversed, the last one by its Vietnamese alias.
    let mut pairs: Vec<String> = DOSSIER_COLUMNS.iter().rev().map(|c| format!("'{c}', {c}")).collect();
    pairs[18] = "'Mã hồ sơ', dossier_id".to_owned();
    let sql = format!("SELECT score766(named_struct({})) FROM dossiers", pairs.join(", "));
    assert_eq!(one(&ctx, &sql).await, expected);
    // A prefix of the positional columns: the rest are absent, as a CSV without them.
    let short = String::from_utf8(csv.clone()).unwrap();
    let short: String =
        short.lines().map(|l| format!("{}\n", l.split(',').take(4).collect::<Vec<_>>().join(","))).collect();
    let four = one(&ctx, "SELECT score766(dossier_id, unit, procedure, received_at) FROM dossiers").await;
    assert_eq!(four, chiso_scorecard(&config, short.as_bytes()));
}

#[tokio::test]
async fn arguments_are_checked_when_the_query_is_planned() {
    let (config, batch, _) = altered(&[]);
    let ctx = context(1, config);
    register_batch(&ctx, batch);
    let cases = [
        ("score766(dossier_id, unit, procedure)", "the column `received_at` is missing"),
        ("score766(named_struct('dossier_id', dossier_id, 'colour', unit))", "`colour` is not a dossier column"),
        ("score766(named_struct('unit', unit, 'Đơn vị', unit))", "given twice"),
        ("score766(dossier_id, unit, procedure, INTERVAL '1 day')", "cannot be read as text"),
    ];
    for (call, message) in cases {
        let err = match ctx.sql(&format!("SELECT {call} FROM dossiers")).await {
            Ok(frame) => frame.collect().await.unwrap_err(),
            Err(e) => e,
        };
        assert!(err.to_string().contains(message), "{call}: {err}");
    }
}
