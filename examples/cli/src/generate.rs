//! `chiso generate`: write a province's worth of realistic input files, deterministically.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chiso::period::Period;
use chiso_tools::generate::{BadRowKind, Generator, GeneratorConfig, Shape};

/// How the files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ShapeArg {
    /// formats.md: machine names, `,`, ISO 8601 times, `1`/`0`, English words.
    #[default]
    Canonical,
    /// A provincial system's export (exports.md): Vietnamese headers, `;`, `dd/mm/yyyy HH:mm:ss`
    /// Vietnam time, Vietnamese words (`Trực tuyến`, `Có`, `Hài lòng`), UTF-8 BOM, CRLF. The same
    /// records as the canonical shape with the same seed.
    Export,
}

/// Write units.csv, procedures.csv, dossiers.csv and feedback.csv for a generated province.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// Number of dossier rows.
    #[arg(long, default_value_t = 10_000)]
    pub dossiers: u64,
    /// Seed: the same flags and seed give the same bytes.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Period the dossiers are received in: YYYY-MM, YYYY-Qn or YYYY.
    #[arg(long, default_value = "2025-07")]
    pub period: Period,
    /// Number of communes and wards (default: about 100 per million dossiers a year, 3 to 200).
    #[arg(long)]
    pub units: Option<u32>,
    /// Average number of neighbourhoods per commune.
    #[arg(long, default_value_t = 8)]
    pub neighbourhoods: u32,
    /// Number of procedures.
    #[arg(long, default_value_t = 400)]
    pub procedures: u32,
    /// Number of feedback rows (default: one per 50 dossiers).
    #[arg(long)]
    pub feedback: Option<u64>,
    /// Share of dossier rows made invalid on purpose (0 to 1), to test rejection.
    #[arg(long, default_value_t = 0.0)]
    pub bad_rows: f64,
    /// Share of dossier rows received the day before or after the period (0 to 1).
    #[arg(long, default_value_t = 0.002)]
    pub outside_period: f64,
    /// Threads drawing dossier rows (default: the number of cores); the bytes do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// The shape of the files: the same records either way.
    #[arg(long, value_enum, default_value_t)]
    pub shape: ShapeArg,
    /// Directory to write into (created if missing).
    #[arg(short = 'o', long = "output", alias = "out", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub lang: crate::evaluate::LangOpt,
}

fn create(dir: &Path, name: &str) -> Result<File, String> {
    let path = dir.join(name);
    File::create(&path).map_err(|e| format!("cannot create `{}`: {e}", path.display()))
}

fn io(file: &'static str) -> impl Fn(io::Error) -> String {
    move |e| format!("writing `{file}`: {e}")
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Runs `chiso generate`.
pub fn run(args: &GenerateArgs) -> Result<ExitCode, String> {
    for (name, v) in [("--bad-rows", args.bad_rows), ("--outside-period", args.outside_period)] {
        if !(0.0..=1.0).contains(&v) {
            return Err(format!("{name} must be between 0 and 1, not `{v}`"));
        }
    }
    let mut cfg = GeneratorConfig::new(args.dossiers, args.period);
    cfg.seed = args.seed;
    if let Some(u) = args.units {
        cfg.communes = u.max(1);
    }
    cfg.neighbourhoods_per_commune = args.neighbourhoods;
    cfg.procedures = args.procedures.max(1);
    if let Some(f) = args.feedback {
        cfg.feedback = f;
    }
    cfg.bad_row_fraction = args.bad_rows;
    cfg.outside_period_fraction = args.outside_period;
    cfg.shape = match args.shape {
        ShapeArg::Canonical => Shape::Canonical,
        ShapeArg::Export => Shape::Export,
    };
    std::fs::create_dir_all(&args.out).map_err(|e| format!("cannot create `{}`: {e}", args.out.display()))?;

    let generator = Generator::new(cfg);
    let units = generator.write_units(create(&args.out, "units.csv")?).map_err(io("units.csv"))?;
    let procedures = generator.write_procedures(create(&args.out, "procedures.csv")?).map_err(io("procedures.csv"))?;
    let started = Instant::now();
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let dossiers =
        generator.write_dossiers_parallel(create(&args.out, "dossiers.csv")?, threads).map_err(io("dossiers.csv"))?;
    let seconds = started.elapsed().as_secs_f64().max(1e-9);
    let feedback = generator.write_feedback(create(&args.out, "feedback.csv")?).map_err(io("feedback.csv"))?;

    let dir = args.out.display();
    println!("{dir}/units.csv       {units} units");
    println!("{dir}/procedures.csv  {procedures} procedures");
    println!(
        "{dir}/dossiers.csv    {} dossiers in {} ({:.1} MB; {} just outside the period)",
        dossiers.rows,
        args.period,
        mb(dossiers.bytes),
        dossiers.outside_period
    );
    if dossiers.bad.total() > 0 {
        let kinds: Vec<String> = BadRowKind::ALL
            .iter()
            .filter(|k| dossiers.bad.get(**k) > 0)
            .map(|k| format!("{} {}", dossiers.bad.get(*k), k.as_str()))
            .collect();
        println!("                     {} bad rows: {}", dossiers.bad.total(), kinds.join(", "));
    }
    println!("{dir}/feedback.csv    {feedback} feedback items");
    println!(
        "dossiers written in {seconds:.2} s by {threads} thread(s): {:.2} M rows/s, {:.0} MB/s",
        dossiers.rows as f64 / seconds / 1e6,
        mb(dossiers.bytes) / seconds
    );
    Ok(ExitCode::SUCCESS)
}
