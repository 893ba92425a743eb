//! The DataFusion side of `benches/datafusion/run.sh`, and a copy-paste example: scores a dossier
//! table (a CSV file or a directory of Parquet files) with `score766` in a SQL query, or writes a
//! dossier CSV as Parquet files.
//!
//! ```text
//! score766_query score  PERIOD UNITS PROCEDURES (csv FILE | parquet DIR) [PARTITIONS]
//! score766_query to-parquet CSV DIR
//! ```
//!
//! `score` prints the scorecard JSON on stdout and the time the query took on stderr.

use std::process::ExitCode;
use std::time::Instant;

use chiso_datafusion::datafusion::dataframe::DataFrameWriteOptions;
use chiso_datafusion::datafusion::error::{DataFusionError, Result};
use chiso_datafusion::datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use chiso_datafusion::{Score766Config, register, register_dossier_csv};

/// `score766(<every dossier column>)`.
fn call() -> String {
    format!("score766({})", chiso::headers::DOSSIER_COLUMNS.join(", "))
}

fn usage() -> DataFusionError {
    DataFusionError::Plan(
        "usage: score766_query score PERIOD UNITS PROCEDURES (csv FILE | parquet DIR) [PARTITIONS] | to-parquet CSV DIR"
            .to_owned(),
    )
}

async fn score(args: &[String]) -> Result<()> {
    let [period, units, procedures, kind, path, rest @ ..] = args else { return Err(usage()) };
    let partitions = match rest.first() {
        Some(n) => n.parse().map_err(|_| usage())?,
        None => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
    };
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(partitions));
    let config = Score766Config {
        units: Some(std::fs::read(units)?),
        procedures: Some(std::fs::read(procedures)?),
        ..Score766Config::new(period)
    };
    register(&ctx, config)?;
    match kind.as_str() {
        "csv" => register_dossier_csv(&ctx, "dossiers", path, b',').await?,
        "parquet" => ctx.register_parquet("dossiers", path, ParquetReadOptions::default()).await?,
        _ => return Err(usage()),
    }
    let started = Instant::now();
    let batches = ctx.sql(&format!("SELECT {} FROM dossiers", call())).await?.collect().await?;
    let seconds = started.elapsed().as_secs_f64();
    for batch in &batches {
        let column = chiso_datafusion::datafusion::arrow::array::AsArray::as_string::<i32>(batch.column(0));
        for card in column.iter().flatten() {
            println!("{card}");
        }
    }
    eprintln!("datafusion {kind} {partitions} partitions: {seconds:.2} s");
    Ok(())
}

async fn to_parquet(args: &[String]) -> Result<()> {
    let [csv, dir] = args else { return Err(usage()) };
    let ctx = SessionContext::new();
    register_dossier_csv(&ctx, "dossiers", csv, b',').await?;
    let frame = ctx.table("dossiers").await?;
    frame.write_parquet(dir, DataFrameWriteOptions::new(), None).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((command, rest)) if command == "score" => score(rest).await,
        Some((command, rest)) if command == "to-parquet" => to_parquet(rest).await,
        _ => Err(usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
