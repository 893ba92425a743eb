//! `chiso generate`: write a province's worth of realistic input files, deterministically.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::Instant;

use chiso::generate::{BadRowKind, Generator, GeneratorConfig};
use chiso::period::Period;

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
    /// Number of communes and wards (default: about 100 per million dossiers a year).
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
    /// Directory to write into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
}

fn create(dir: &Path, name: &str) -> Result<File, String> {
    let path = dir.join(name);
    File::create(&path).map_err(|e| format!("cannot create `{}`: {e}", path.display()))
}

/// Hands the generator's blocks to a thread that writes them, so that formatting rows and copying
/// them into the file run on two cores at once.
struct BackgroundWriter {
    blocks: Option<SyncSender<Vec<u8>>>,
    writer: Option<JoinHandle<io::Result<()>>>,
}

impl BackgroundWriter {
    fn new(mut file: File) -> Self {
        let (blocks, received) = sync_channel::<Vec<u8>>(4);
        let writer = std::thread::spawn(move || {
            for block in received {
                file.write_all(&block)?;
            }
            file.flush()
        });
        Self { blocks: Some(blocks), writer: Some(writer) }
    }

    /// Waits for the writes to end and returns their outcome.
    fn finish(mut self) -> io::Result<()> {
        self.blocks = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(outcome)) => outcome,
            Some(Err(_)) => Err(io::Error::other("the writer thread failed")),
            None => Ok(()),
        }
    }
}

impl Write for BackgroundWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let sent = self.blocks.as_ref().map(|tx| tx.send(buf.to_vec()));
        match sent {
            Some(Ok(())) => Ok(buf.len()),
            // The thread stopped on an error, which `finish` returns.
            _ => Err(io::Error::new(io::ErrorKind::BrokenPipe, "the writer thread stopped")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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
    std::fs::create_dir_all(&args.out).map_err(|e| format!("cannot create `{}`: {e}", args.out.display()))?;

    let generator = Generator::new(cfg);
    let units = generator.write_units(create(&args.out, "units.csv")?).map_err(io("units.csv"))?;
    let procedures = generator.write_procedures(create(&args.out, "procedures.csv")?).map_err(io("procedures.csv"))?;
    let started = Instant::now();
    let mut sink = BackgroundWriter::new(create(&args.out, "dossiers.csv")?);
    let written = generator.write_dossiers(&mut sink);
    // An error of the thread explains an error of the generator's writes: report it first.
    sink.finish().map_err(io("dossiers.csv"))?;
    let dossiers = written.map_err(io("dossiers.csv"))?;
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
        "dossiers written in {seconds:.2} s: {:.2} M rows/s, {:.0} MB/s",
        dossiers.rows as f64 / seconds / 1e6,
        mb(dossiers.bytes) / seconds
    );
    Ok(ExitCode::SUCCESS)
}
