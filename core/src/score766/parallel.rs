//! The parallel file driver: blocks read while the previous one is scanned, cut at record
//! boundaries into one piece per worker, scanned into one aggregate per worker, merged at the end.
//!
//! Without the `parallel` feature (the WASM package, which has no threads) the same pieces are
//! scanned one after the other on the calling thread, and the next block is read after the
//! current one is scanned: the same aggregate, on one thread.
//!
//! The header is read before the first block is cut: its separator (`,`, `;` or tab) decides
//! where quoted fields open, so where records end. The stream is decoded by
//! [`Utf8Reader`](crate::tabular::encoding::Utf8Reader) on the reading side: UTF-8 passes through
//! without a copy (its byte order mark dropped), UTF-16 is decoded to UTF-8 as it is read, on the
//! reading thread while the workers scan the block before.

use std::io::Read;

use super::aggregate::{DossierAggregate, DossierIds, RecordContext};
use super::scorer::{BLOCK_PER_JOB, Layout, MAX_RECORD_BYTES, read_header, scan_block};
use crate::input::{InputError, Rejection};
use crate::labels::ErrorText;
use crate::tabular::encoding::Utf8Reader;
use crate::tabular::scan::{self as csvscan, LineEnd};

/// Reads a whole dossier CSV stream with `jobs` workers and returns its aggregate.
///
/// The stream is read in blocks of 2 MiB per worker; each block is cut at record starts (found by
/// the one record scanner, so quoted line ends and unterminated quotes are handled as in one
/// pass) into one piece per worker, the pieces are scanned
/// in parallel (on rayon's global pool) into one aggregate per worker, and the aggregates are
/// merged at the end; the result depends on neither `jobs` nor the number of threads. Memory is
/// the blocks plus the aggregates, whatever the length of the stream. `progress` is called with the
/// number of bytes of the input consumed so far after each block (of the input as it is: a UTF-16
/// file's bytes, not its decoded ones, so that it can be compared with the file's size).
pub fn aggregate_dossier_csv<R: Read + Send>(
    reader: R,
    source: &str,
    context: &RecordContext,
    strict: bool,
    jobs: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<DossierAggregate, InputError> {
    aggregate_blocks(reader, source, context, strict, jobs, BLOCK_PER_JOB, progress)
}

/// [`aggregate_dossier_csv`] whose dossier ids are checked against `ids` (those a session counted
/// before), which the returned aggregate holds.
pub(crate) fn aggregate_with_ids<R: Read + Send>(
    reader: R,
    source: &str,
    context: &RecordContext,
    strict: bool,
    jobs: usize,
    ids: DossierIds,
    progress: &mut dyn FnMut(u64),
) -> Result<DossierAggregate, InputError> {
    let scan = BlockScanner::new(context, source, strict, jobs, BLOCK_PER_JOB, ids);
    drive(reader, scan, BLOCK_PER_JOB, jobs, progress)
}

/// [`aggregate_dossier_csv`] of a file that `open` can open twice, for a session that counted no
/// dossier before: its ids are checked compactly (56 bits of each hash, 6 to 8 bytes a dossier
/// rather than 20 to 40 with their rows), and, only when some id may be a repeat, the file is
/// read a second time for the rows where those ids first occur. The warnings are those of the
/// one-pass check.
pub(crate) fn aggregate_compact<R: Read + Send>(
    open: &mut dyn FnMut() -> std::io::Result<R>,
    source: &str,
    context: &RecordContext,
    strict: bool,
    jobs: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<DossierAggregate, InputError> {
    let io = |e: std::io::Error| InputError::Io { file: source.to_owned(), reason: e.to_string() };
    let scan = BlockScanner::new(context, source, strict, jobs, BLOCK_PER_JOB, DossierIds::compact());
    let mut aggregate = drive(open().map_err(io)?, scan, BLOCK_PER_JOB, jobs, progress)?;
    if let Some(firsts) = aggregate.ids_mut().firsts() {
        let scan = BlockScanner::new(context, source, strict, jobs, BLOCK_PER_JOB, firsts);
        let mut again = drive(open().map_err(io)?, scan, BLOCK_PER_JOB, jobs, &mut |_| {})?;
        aggregate.ids_mut().resolve(again.take_ids());
    }
    Ok(aggregate)
}

/// Blocks smaller than this are scanned by one worker.
const MIN_PARALLEL_BYTES: usize = 1024 * 1024;

/// [`aggregate_dossier_csv`] with a chosen block size per worker: tests and fuzzers use tiny
/// blocks to cut files of a few bytes into many blocks and pieces.
#[doc(hidden)]
pub fn aggregate_blocks<R: Read + Send>(
    reader: R,
    source: &str,
    context: &RecordContext,
    strict: bool,
    jobs: usize,
    block_per_job: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<DossierAggregate, InputError> {
    let scan = BlockScanner::new(context, source, strict, jobs, block_per_job, DossierIds::default());
    drive(reader, scan, block_per_job, jobs, progress)
}

/// Reads the stream block by block into `scan`.
fn drive<R: Read + Send>(
    reader: R,
    mut scan: BlockScanner<'_>,
    block_per_job: usize,
    jobs: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<DossierAggregate, InputError> {
    let source = scan.source;
    let io = |e: std::io::Error| InputError::Io { file: source.to_owned(), reason: e.to_string() };
    let mut reader = Utf8Reader::new(reader);
    let mut target = block_per_job.max(1).saturating_mul(jobs.max(1));
    // Small to start with: a small input should not pay for a large allocation.
    let mut buf: Vec<u8> = Vec::with_capacity(target.min(64 * 1024));
    let mut next: Vec<u8> = Vec::new();
    let mut consumed: u64 = 0;
    let mut eof = fill(&mut reader, &mut buf, target).map_err(io)?;
    loop {
        let end = match &scan.layout {
            None => match scan.header(&buf, eof)? {
                Some(len) => {
                    buf.drain(..len);
                    consumed += u64::try_from(len).unwrap_or(u64::MAX);
                    continue;
                }
                None => 0,
            },
            Some(_) if eof => buf.len(),
            Some(layout) => layout.cursor(scan.line_end).complete_end(&buf),
        };
        if end == 0 {
            if eof {
                break;
            }
            if buf.len() > MAX_RECORD_BYTES {
                return Err(InputError::Io {
                    file: source.to_owned(),
                    reason: ErrorText::RecordTooLong.en(&[("row", &scan.row), ("max", &MAX_RECORD_BYTES)]),
                });
            }
            target = target.saturating_mul(2);
            eof = fill(&mut reader, &mut buf, target).map_err(io)?;
            continue;
        }
        // The next block starts with this one's incomplete tail; it is read while this one is
        // scanned.
        next.clear();
        next.extend_from_slice(buf.get(end..).unwrap_or_default());
        let block = buf.get(..end).unwrap_or_default();
        #[cfg(feature = "parallel")]
        let (filled, scanned) = if end >= MIN_PARALLEL_BYTES {
            std::thread::scope(|scope| {
                let reading = (!eof).then(|| scope.spawn(|| fill(&mut reader, &mut next, target)));
                let scanned = scan.block(block);
                (reading.map(std::thread::ScopedJoinHandle::join), scanned)
            })
        } else {
            // A small block is not worth a reading thread (tests and fuzzers use many tiny ones).
            let scanned = scan.block(block);
            (if eof { None } else { Some(Ok(fill(&mut reader, &mut next, target))) }, scanned)
        };
        #[cfg(not(feature = "parallel"))]
        let (filled, scanned) = {
            let scanned = scan.block(block);
            ((!eof).then(|| Ok::<_, ()>(fill(&mut reader, &mut next, target))), scanned)
        };
        scanned?;
        match filled {
            None => {}
            Some(Ok(result)) => eof = result.map_err(io)?,
            Some(Err(_)) => {
                return Err(InputError::Io { file: source.to_owned(), reason: ErrorText::ReadingThreadFailed.en(&[]) });
            }
        }
        std::mem::swap(&mut buf, &mut next);
        consumed += u64::try_from(end).unwrap_or(u64::MAX);
        // In the input's bytes, which a progress bar compares with the file's size.
        progress(reader.raw_offset(consumed));
        if eof && buf.is_empty() {
            break;
        }
    }
    scan.finish()
}

/// Reads into `buf` until it holds `target` bytes; returns whether the stream ended.
fn fill<R: Read>(reader: &mut R, buf: &mut Vec<u8>, target: usize) -> std::io::Result<bool> {
    while buf.len() < target {
        // Grow geometrically, never past the target: a small input allocates little, a large one
        // ends with buffers of exactly the block size.
        let step = (target - buf.len()).min(buf.len().max(64 * 1024));
        buf.reserve_exact(step);
        if reader.take(u64::try_from(step).unwrap_or(u64::MAX)).read_to_end(buf)? == 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The state of the parallel driver between blocks: the header, the row of the next block, one
/// aggregate per worker.
struct BlockScanner<'a> {
    context: &'a RecordContext,
    source: &'a str,
    strict: bool,
    jobs: usize,
    min_parallel: usize,
    aggs: Vec<DossierAggregate>,
    scratches: Vec<Vec<u8>>,
    layout: Option<Layout>,
    line_end: LineEnd,
    row: u64,
    /// The stream's dossier ids: the workers' are checked here after each block, in row order.
    ids: DossierIds,
}

impl<'a> BlockScanner<'a> {
    fn new(
        context: &'a RecordContext,
        source: &'a str,
        strict: bool,
        jobs: usize,
        block_per_job: usize,
        ids: DossierIds,
    ) -> Self {
        let jobs = jobs.max(1);
        Self {
            context,
            source,
            strict,
            jobs,
            // Small blocks are not worth the workers (tests use tiny blocks to exercise them).
            min_parallel: if block_per_job < MIN_PARALLEL_BYTES { 0 } else { MIN_PARALLEL_BYTES },
            aggs: (0..jobs)
                .map(|_| {
                    let mut a = DossierAggregate::new(context);
                    a.set_ids(if ids.is_off() { DossierIds::off() } else { DossierIds::deferred() });
                    a
                })
                .collect(),
            scratches: vec![Vec::new(); jobs],
            layout: None,
            line_end: LineEnd::Lf,
            row: 1,
            ids,
        }
    }

    /// Reads the header from the start of `buf` (decoded, without a byte order mark), when it
    /// holds all of it (`eof`: nothing more will come). Returns the header's length in bytes, its
    /// line end included; `None` when more bytes are needed or there are none.
    fn header(&mut self, buf: &[u8], eof: bool) -> Result<Option<usize>, InputError> {
        let Some(line_end) = LineEnd::detect(buf, eof) else { return Ok(None) };
        let Some((layout, header)) = read_header(buf, line_end, eof, self.source)? else { return Ok(None) };
        self.line_end = line_end;
        self.layout = Some(layout);
        self.row += header.lines;
        Ok(Some(header.next))
    }

    /// Scans a block of complete records (after the header).
    fn block(&mut self, block: &[u8]) -> Result<(), InputError> {
        let line_end = self.line_end;
        let Some(layout) = &self.layout else { return Ok(()) };
        let wanted = if block.len() >= self.min_parallel { self.jobs } else { 1 };
        let cuts = csvscan::split_records_by(block, line_end, layout.delimiter, wanted);
        let pieces: Vec<&[u8]> =
            cuts.iter().zip(cuts.iter().skip(1)).map(|(a, b)| block.get(*a..*b).unwrap_or_default()).collect();
        // Each piece is scanned from row 0 (the row of its start is known only once the pieces
        // before it are counted): its rejections are kept apart from the earlier, absolute ones
        // until they are shifted, so that trimming never sorts the two kinds together.
        let earlier: Vec<Vec<Rejection>> = self.aggs.iter_mut().map(DossierAggregate::take_rejections).collect();
        let (source, strict) = (self.source, self.strict);
        let scan = |i: usize, agg: &mut DossierAggregate, scratch: &mut Vec<u8>| {
            pieces.get(i).map_or(Ok(0), |piece| scan_block(agg, layout, piece, 0, source, strict, scratch, line_end))
        };
        let results: Vec<Result<u64, Rejection>> = if pieces.len() <= 1 {
            self.aggs.iter_mut().zip(self.scratches.iter_mut()).take(1).map(|(a, s)| scan(0, a, s)).collect()
        } else {
            #[cfg(not(feature = "parallel"))]
            let results = self
                .aggs
                .iter_mut()
                .zip(self.scratches.iter_mut())
                .enumerate()
                .map(|(i, (a, s))| scan(i, a, s))
                .collect();
            #[cfg(feature = "parallel")]
            let results = {
                // On rayon's global pool: the pieces (one per job) fix the result, the threads only
                // the speed, and a pool built per call cost more than scanning small files.
                use rayon::prelude::*;
                self.aggs
                    .par_iter_mut()
                    .zip(self.scratches.par_iter_mut())
                    .enumerate()
                    .map(|(i, (a, s))| scan(i, a, s))
                    .collect()
            };
            results
        };
        // Row numbers: each piece was scanned from row 0; shift by the lines before it.
        let mut base = self.row;
        let mut bases = Vec::with_capacity(self.jobs);
        for (i, result) in results.into_iter().enumerate() {
            match result {
                Ok(lines) => {
                    if let Some(agg) = self.aggs.get_mut(i) {
                        agg.shift_rejections(base);
                    }
                    bases.push(base);
                    base += lines;
                }
                Err(mut r) => {
                    r.row += base;
                    return Err(InputError::Strict(r));
                }
            }
        }
        for (agg, earlier) in self.aggs.iter_mut().zip(earlier) {
            agg.restore_rejections(earlier);
        }
        // The pieces' ids checked at their absolute rows, as in one pass: the warnings of any `jobs`.
        let workers = self.aggs.iter_mut().map(DossierAggregate::ids_mut).zip(bases);
        self.ids.check_block(workers, self.source);
        self.row = base;
        Ok(())
    }

    /// The merged aggregate of every worker.
    fn finish(self) -> Result<DossierAggregate, InputError> {
        if self.layout.is_none() {
            return Err(InputError::Header { file: self.source.to_owned(), reason: ErrorText::EmptyFile.en(&[]) });
        }
        let mut merged = DossierAggregate::new(self.context);
        for a in self.aggs {
            merged.merge(a);
        }
        merged.set_ids(self.ids);
        Ok(merged)
    }
}
