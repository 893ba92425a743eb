//! The streaming record writers: `dossiers.csv` and `feedback.csv`, one row at a time.

use std::io::{self, Write};

use super::out::{Out, TimeStyle};
use super::rng::{Rng, ppm};
use super::world::{Authority, World};
use super::{BadRowCounts, BadRowKind, DossierSummary, GeneratorConfig, Shape};
use chiso::date::Date;

const DAY: i64 = 86_400;

/// The header of the generated `dossiers.csv` (`note` is an extra column readers ignore).
pub const DOSSIER_HEADER: &str = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,\
supplement_requests,supplement_days,e_result,digitized,reused_data,shared_storage,citizen_data,synced,\
fee,paid_online,complaint,rating,note";

/// The header of the generated `feedback.csv`.
pub const FEEDBACK_HEADER: &str = "feedback_id,unit,received_at,due_at,finished_at,about,unsatisfied,raised_again";

/// The first line of a file of `shape` whose canonical header is `canonical`: a byte order mark
/// and the Vietnamese names in the export shape (`note` becomes `Ghi chú`), its line end included.
fn header_line(shape: Shape, canonical: &str) -> Vec<u8> {
    let columns: Vec<&str> =
        canonical.split(',').map(|c| if c == "note" && shape == Shape::Export { "Ghi chú" } else { c }).collect();
    let bom = if shape == Shape::Export { "\u{feff}" } else { "" };
    let eol = if shape == Shape::Export { "\r\n" } else { "\n" };
    format!("{bom}{}{eol}", shape.header(&columns)).into_bytes()
}

/// A channel as `shape` writes it.
const fn channel_text(shape: Shape, online: bool, postal: bool, empty: bool) -> &'static [u8] {
    match (shape, online, postal, empty) {
        (Shape::Canonical, true, ..) => b"online",
        (Shape::Canonical, false, true, _) => b"postal",
        (_, false, false, true) => b"",
        (Shape::Canonical, false, false, false) => b"direct",
        (Shape::Export, true, ..) => "Trực tuyến".as_bytes(),
        (Shape::Export, false, true, _) => "Bưu chính".as_bytes(),
        (Shape::Export, false, false, false) => "Trực tiếp".as_bytes(),
    }
}

/// A rating as `shape` writes it: `Some(true)` unsatisfied, `Some(false)` satisfied.
const fn rating_text(shape: Shape, rating: Option<bool>) -> &'static [u8] {
    match (shape, rating) {
        (_, None) => b"",
        (Shape::Canonical, Some(true)) => b"unsatisfied",
        (Shape::Canonical, Some(false)) => b"satisfied",
        (Shape::Export, Some(true)) => "Không hài lòng".as_bytes(),
        (Shape::Export, Some(false)) => "Hài lòng".as_bytes(),
    }
}

/// The local days the records are received on: the period, one day either side for the records
/// that fall just outside it, and the last day of each one's month (its period end).
struct Days {
    first: i64,
    count: u64,
    /// For day `first - 1 + i`: the last second of its month, local seconds.
    month_end: Vec<i64>,
}

impl Days {
    fn new(cfg: &GeneratorConfig) -> Self {
        let first = cfg.period.first_day().days_since_epoch();
        let last = cfg.period.last_day().days_since_epoch();
        let month_end = (first - 1..=last + 1)
            .map(|d| Date::from_days_since_epoch(d).end_of_month().days_since_epoch() * DAY + DAY - 1)
            .collect();
        Self { first, count: u64::try_from(last - first + 1).unwrap_or(1).max(1), month_end }
    }

    /// The day: inside the period, or just outside it with probability `outside`.
    fn draw(&self, rng: &mut Rng, outside: u64) -> (i64, bool) {
        if outside > 0 && rng.chance(outside) {
            let before = rng.below(2) == 0;
            (if before { self.first - 1 } else { self.first + self.count as i64 }, true)
        } else {
            (self.first + rng.below(self.count) as i64, false)
        }
    }

    fn month_end(&self, day: i64) -> i64 {
        usize::try_from(day - self.first + 1)
            .ok()
            .and_then(|i| self.month_end.get(i).copied())
            .unwrap_or_else(|| Date::from_days_since_epoch(day).end_of_month().days_since_epoch() * DAY + DAY - 1)
    }

    fn cache_range(&self) -> std::ops::Range<i64> {
        // Received, due (up to 60 days on), finished (late by up to two weeks more), in UTC too.
        self.first - 2..self.first + self.count as i64 + 100
    }
}

fn threshold(fraction: f64) -> u64 {
    if fraction.is_nan() || fraction <= 0.0 {
        0
    } else if fraction >= 1.0 {
        u64::MAX
    } else {
        // Saturating float-to-int conversion; exactness does not matter for a rate.
        (fraction * 18_446_744_073_709_551_616.0) as u64
    }
}

fn time_style(rng: &mut Rng) -> TimeStyle {
    match rng.below(1000) {
        0..850 => TimeStyle::Local,
        850..930 => TimeStyle::Utc,
        930..980 => TimeStyle::Offset,
        980..990 => TimeStyle::LocalMinutes,
        _ => TimeStyle::DateOnly,
    }
}

/// How a row writes its booleans.
#[derive(Clone, Copy)]
enum Flags {
    OneZero,
    TrueFalse,
    OneEmpty,
}

impl Flags {
    fn draw(rng: &mut Rng) -> Self {
        match rng.below(100) {
            0..96 => Self::OneZero,
            96..98 => Self::TrueFalse,
            _ => Self::OneEmpty,
        }
    }

    /// The text of `b` in `shape`; an export writes `Có`/`Không`, `có`/`không` or `x`/empty.
    const fn text(self, b: bool, shape: Shape) -> &'static [u8] {
        match (shape, self, b) {
            (Shape::Canonical, Self::OneZero | Self::OneEmpty, true) => b"1",
            (Shape::Canonical, Self::OneZero, false) => b"0",
            (Shape::Canonical, Self::TrueFalse, true) => b"true",
            (Shape::Canonical, Self::TrueFalse, false) => b"false",
            (_, Self::OneEmpty, false) => b"",
            (Shape::Export, Self::OneZero, true) => "Có".as_bytes(),
            (Shape::Export, Self::OneZero, false) => "Không".as_bytes(),
            (Shape::Export, Self::TrueFalse, true) => "có".as_bytes(),
            (Shape::Export, Self::TrueFalse, false) => "không".as_bytes(),
            (Shape::Export, Self::OneEmpty, true) => b"x",
        }
    }
}

/// `days` thousandths of a day as the shortest decimal (`3`, `3.5`, `3.25`, `3.125`).
fn write_days<W: Write>(o: &mut Out<W>, milli: u64) {
    o.u64(milli / 1000);
    let frac = milli % 1000;
    if frac == 0 {
        return;
    }
    o.byte(b'.');
    if frac % 100 == 0 {
        o.u64(frac / 100);
    } else if frac % 10 == 0 {
        o.u64_padded(frac / 10, 2);
    } else {
        o.u64_padded(frac, 3);
    }
}

const BAD_KINDS: [BadRowKind; 6] = [
    BadRowKind::BadDate,
    BadRowKind::UnknownUnit,
    BadRowKind::UnknownProcedure,
    BadRowKind::DueBeforeReceived,
    BadRowKind::WrongFieldCount,
    BadRowKind::Overflow,
];

/// Rows per chunk: each chunk draws from its own stream, so chunks can be made on several threads
/// and still give the same bytes as one thread.
const CHUNK_ROWS: u64 = 1 << 16;

/// What a run of rows tallies besides its bytes.
#[derive(Default)]
struct Tally {
    bad: BadRowCounts,
    outside_period: u64,
}

/// Everything a dossier row is drawn from.
struct Dossiers<'a> {
    world: &'a World,
    cfg: &'a GeneratorConfig,
    days: Days,
    bad_at: u64,
    outside_at: u64,
}

impl<'a> Dossiers<'a> {
    fn new(world: &'a World, cfg: &'a GeneratorConfig) -> Self {
        Self {
            world,
            cfg,
            days: Days::new(cfg),
            bad_at: threshold(cfg.bad_row_fraction),
            outside_at: threshold(cfg.outside_period_fraction),
        }
    }

    fn chunks(&self) -> u64 {
        self.cfg.dossiers.div_ceil(CHUNK_ROWS)
    }

    /// Writes the rows of chunk `k`.
    fn chunk<W: Write>(&self, k: u64, o: &mut Out<W>, tally: &mut Tally) -> io::Result<()> {
        let mut rng = Rng::new(self.cfg.seed, (3 << 40) + k);
        let first = k * CHUNK_ROWS + 1;
        let last = self.cfg.dossiers.min((k + 1) * CHUNK_ROWS);
        for seq in first..=last {
            self.row(&mut rng, seq, o, tally)?;
        }
        Ok(())
    }

    /// Writes dossier `seq`.
    #[expect(clippy::too_many_lines, reason = "one row's fields, drawn and written in column order, read best as one")]
    fn row<W: Write>(&self, rng: &mut Rng, seq: u64, o: &mut Out<W>, tally: &mut Tally) -> io::Result<()> {
        let world = self.world;
        let fault = (self.bad_at > 0 && rng.chance(self.bad_at))
            .then(|| BAD_KINDS.get(rng.below(BAD_KINDS.len() as u64) as usize).copied())
            .flatten();
        if let Some(kind) = fault {
            tally.bad.add(kind);
        }
        let Some(p) = world.procedures.get(world.procedure_pick.sample(rng)) else { return Ok(()) };
        let unit = match p.authority {
            Authority::Commune => world.communes.get(world.commune_pick.sample(rng)).copied().unwrap_or(0),
            Authority::Agency | Authority::Province => p.handler,
        };
        let (day, outside) = self.days.draw(rng, self.outside_at);
        tally.outside_period += u64::from(outside);
        let online = rng.chance(p.online);
        // Online filings come at any hour, mostly in the day; counters work office hours.
        let tod = if online && rng.chance(ppm(250_000)) {
            rng.below(86_400)
        } else if online {
            rng.between(6 * 3600, 22 * 3600)
        } else {
            rng.between(7 * 3600, 17 * 3600 + 1800)
        } as i64;
        let received = day * DAY + tod;
        let received_style = time_style(rng);

        let deadline = p.deadline_days as i64;
        let has_due = fault == Some(BadRowKind::DueBeforeReceived) || !rng.chance(ppm(40_000));
        let due_date_only = deadline == 0 || rng.chance(ppm(450_000));
        let due = if due_date_only { (day + deadline) * DAY + DAY - 1 } else { received + deadline * DAY };
        let due_style = if due_date_only {
            TimeStyle::DateOnly
        } else {
            match rng.below(100) {
                0..85 => TimeStyle::Local,
                85..95 => TimeStyle::Utc,
                _ => TimeStyle::Offset,
            }
        };

        let requests: u64 = match rng.below(1000) {
            0..880 => 0,
            880..970 => 1,
            970..990 => 2,
            _ => 3,
        };
        let supplement_milli = if requests == 0 {
            0
        } else {
            match rng.below(10) {
                0..6 => rng.between(1, 30) * 500,
                6..9 => rng.between(5, 1500) * 10,
                _ => rng.between(1, 15_000),
            }
        };
        // The waiting time in seconds is milli × 86.4; keep both roundings.
        let wait_floor = (supplement_milli * 864 / 10) as i64;
        let wait_ceil = (supplement_milli * 864).div_ceil(10) as i64;

        let near_end = self.days.month_end(day) - received < 5 * DAY;
        let open = rng.chance(if near_end { ppm(250_000) } else { ppm(30_000) });
        let mut late = requests > 1;
        let mut finished_style = time_style(rng);
        let finished = if open {
            late |= has_due && self.days.month_end(day) - wait_floor > due;
            None
        } else if has_due {
            if rng.chance(ppm(60_000)) {
                late = true;
                Some(due + wait_ceil + 1 + rng.below(5 * 86_400) as i64)
            } else if wait_floor == wait_ceil && rng.chance(ppm(5_000)) {
                // Exactly at the deadline after the waiting time: on time.
                finished_style = TimeStyle::Local;
                Some(due + wait_floor)
            } else {
                let span = (due + wait_floor - received).max(0) as u64;
                Some(received + rng.below(span + 1) as i64)
            }
        } else {
            Some(received + rng.below(10 * 86_400) as i64)
        };
        // A shortened time must not read as before the dossier was received.
        let shown = |f: i64| match finished_style {
            TimeStyle::DateOnly => f.div_euclid(DAY) * DAY,
            TimeStyle::LocalMinutes => f.div_euclid(60) * 60,
            _ => f,
        };
        if finished.is_some_and(|f| shown(f) < received) {
            finished_style = TimeStyle::Local;
        }

        let shape = self.cfg.shape;
        let postal = !online && rng.chance(ppm(150_000));
        let channel = channel_text(shape, online, postal, !online && !postal && rng.chance(ppm(100_000)));
        let e_result = rng.chance(match (p.paper_result, online) {
            (true, true) => ppm(950_000),
            (true, false) => ppm(350_000),
            (false, _) => ppm(200_000),
        });
        let digitized = rng.chance(ppm(780_000));
        let reused = rng.chance(ppm(350_000));
        let shared = rng.chance(ppm(120_000));
        let citizen = rng.chance(if p.citizen_applicants { ppm(650_000) } else { ppm(50_000) });
        let synced = rng.chance(ppm(965_000));
        let fee = p.fee && rng.chance(ppm(920_000));
        let paid_online = fee && rng.chance(if online && p.payment_integrated { ppm(700_000) } else { ppm(30_000) });
        let complaint = rng.chance(ppm(4_000));
        let rating = rating_text(
            shape,
            if finished.is_none() {
                None
            } else if rng.chance(if late { ppm(150_000) } else { ppm(25_000) }) {
                Some(true)
            } else if rng.chance(ppm(450_000)) {
                Some(false)
            } else {
                None
            },
        );
        let flags = Flags::draw(rng);
        let zero_empty = rng.chance(ppm(100_000));
        let note_draw = rng.below(10_000);
        let comma_id = rng.chance(ppm(200));

        // dossier_id
        if comma_id {
            o.raw(b"\"HS-");
            o.u64_padded(seq, 9);
            o.raw(b",1\"");
        } else {
            o.raw(b"HS-");
            o.u64_padded(seq, 9);
        }
        o.sep();
        // unit
        if fault == Some(BadRowKind::UnknownUnit) {
            o.raw(b"xa-khong-ton-tai");
        } else {
            o.raw(world.units.get(unit).map_or("", |u| u.id.as_str()).as_bytes());
        }
        o.sep();
        // procedure
        if fault == Some(BadRowKind::UnknownProcedure) {
            o.raw(b"9.999999");
        } else {
            o.raw(p.code.as_bytes());
        }
        o.sep();
        // received_at
        if fault == Some(BadRowKind::BadDate) && shape == Shape::Export {
            bad_date_day_first(o, day, seq);
        } else if fault == Some(BadRowKind::BadDate) {
            let d = Date::from_days_since_epoch(day);
            match seq % 3 {
                0 => {
                    // Day first with dots: not one of the accepted shapes (`/` and `-` are).
                    o.u64_padded(u64::from(d.day()), 2);
                    o.byte(b'.');
                    o.u64_padded(u64::from(d.month()), 2);
                    o.byte(b'.');
                    o.u64(u64::try_from(d.year()).unwrap_or(0));
                }
                1 => {
                    o.u64(u64::try_from(d.year()).unwrap_or(0));
                    o.byte(b'-');
                    o.u64_padded(u64::from(d.month()), 2);
                    o.raw(b"-32T09:00:00");
                }
                _ => {
                    o.time(received, TimeStyle::DateOnly);
                    o.raw(b"T25:61:00");
                }
            }
        } else {
            o.time(received, received_style);
        }
        o.sep();
        // due_at
        if fault == Some(BadRowKind::DueBeforeReceived) {
            o.time((day - rng.between(1, 5) as i64) * DAY, TimeStyle::DateOnly);
        } else if has_due {
            o.time(due, due_style);
        }
        o.sep();
        // finished_at
        if let Some(f) = finished {
            o.time(f, finished_style);
        }
        o.sep();
        o.raw(channel);
        o.sep();
        // supplement_requests, supplement_days
        if fault == Some(BadRowKind::Overflow) {
            o.raw(b"18446744073709551616");
        } else if requests > 0 || !zero_empty {
            o.u64(requests);
        }
        o.sep();
        if supplement_milli > 0 || !zero_empty {
            write_days(o, supplement_milli);
        }
        for b in [e_result, digitized, reused, shared, citizen, synced, fee, paid_online, complaint] {
            o.sep();
            o.raw(flags.text(b, shape));
        }
        o.sep();
        o.raw(rating);
        if fault == Some(BadRowKind::WrongFieldCount) {
            if seq % 2 == 0 {
                // One field short: no `note`.
            } else {
                o.sep();
                o.sep();
                o.raw(b"extra");
            }
        } else {
            o.sep();
            match note_draw {
                0..20 => o.raw("\"Bổ sung giấy tờ, chờ xác minh\"".as_bytes()),
                20..25 => o.raw("\"Ghi chú \"\"khẩn\"\"\"".as_bytes()),
                _ => {}
            }
        }
        o.end_line()
    }
}

/// A `received_at` that is no date, day first as exports write dates: dots (not an accepted
/// separator), day 32, hour 25.
fn bad_date_day_first<W: Write>(o: &mut Out<W>, day: i64, seq: u64) {
    let d = Date::from_days_since_epoch(day);
    let (dd, mm, yyyy) = (u64::from(d.day()), u64::from(d.month()), u64::try_from(d.year()).unwrap_or(0));
    let sep = match seq % 3 {
        0 => b'.',
        _ => b'/',
    };
    o.u64_padded(if seq % 3 == 1 { 32 } else { dd }, 2);
    o.byte(sep);
    o.u64_padded(mm, 2);
    o.byte(sep);
    o.u64(yyyy);
    match seq % 3 {
        1 => o.raw(b" 09:00:00"),
        2 => o.raw(b" 25:61:00"),
        _ => {}
    }
}

/// Writes `dossiers.csv` on the calling thread.
pub fn write_dossiers<W: Write>(world: &World, cfg: &GeneratorConfig, out: W) -> io::Result<DossierSummary> {
    let rows = Dossiers::new(world, cfg);
    let mut o = Out::new(out, rows.days.cache_range()).shaped(cfg.shape);
    let mut tally = Tally::default();
    o.raw(&header_line(cfg.shape, DOSSIER_HEADER));
    for k in 0..rows.chunks() {
        rows.chunk(k, &mut o, &mut tally)?;
    }
    o.finish()?;
    Ok(DossierSummary { rows: cfg.dossiers, bytes: o.bytes(), outside_period: tally.outside_period, bad: tally.bad })
}

/// Writes `dossiers.csv` with `threads` threads drawing chunks of rows while the calling thread
/// writes them, in order: the same bytes as [`write_dossiers`].
pub fn write_dossiers_parallel<W: Write>(
    world: &World,
    cfg: &GeneratorConfig,
    mut out: W,
    threads: usize,
) -> io::Result<DossierSummary> {
    if threads <= 1 {
        return write_dossiers(world, cfg, out);
    }
    let rows = Dossiers::new(world, cfg);
    let chunks = rows.chunks();
    let threads = u64::try_from(threads).unwrap_or(1).min(chunks.max(1));
    let mut total = Tally::default();
    let header = header_line(cfg.shape, DOSSIER_HEADER);
    let mut bytes = header.len() as u64;
    out.write_all(&header)?;
    std::thread::scope(|scope| -> io::Result<()> {
        let mut lanes = Vec::new();
        for t in 0..threads {
            // Two chunks in flight per thread bound the memory (a chunk is about 8 MB); written
            // chunks come back to be filled again.
            let (tx, rx) = std::sync::mpsc::sync_channel::<io::Result<(Vec<u8>, Tally)>>(2);
            let (back_tx, back_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
            lanes.push((rx, back_tx));
            let rows = &rows;
            scope.spawn(move || {
                let mut o = Out::in_memory(rows.days.cache_range()).shaped(rows.cfg.shape);
                let mut k = t;
                while k < chunks {
                    if let Ok(buf) = back_rx.try_recv() {
                        o.reuse(buf);
                    }
                    let mut tally = Tally::default();
                    let made = rows.chunk(k, &mut o, &mut tally).map(|()| (o.take_lines(), tally));
                    // A closed channel means the writer stopped on an error: stop too.
                    if tx.send(made).is_err() {
                        break;
                    }
                    k += threads;
                }
            });
        }
        for k in 0..chunks {
            let lane = usize::try_from(k % threads).ok().and_then(|i| lanes.get(i));
            let Some((rx, back)) = lane else { return Err(io::Error::other("no generator thread")) };
            let Ok(made) = rx.recv() else { return Err(io::Error::other("a generator thread stopped")) };
            let (lines, tally) = made?;
            out.write_all(&lines)?;
            bytes += lines.len() as u64;
            total.outside_period += tally.outside_period;
            total.bad.merge(&tally.bad);
            // The thread may have finished; then the buffer is simply dropped.
            let _ = back.try_send(lines);
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(DossierSummary { rows: cfg.dossiers, bytes, outside_period: total.outside_period, bad: total.bad })
}

/// Writes `feedback.csv`; returns the number of data rows.
pub fn write_feedback<W: Write>(world: &World, cfg: &GeneratorConfig, out: W) -> io::Result<u64> {
    let mut rng = Rng::new(cfg.seed, 4);
    let days = Days::new(cfg);
    let shape = cfg.shape;
    let mut o = Out::new(out, days.cache_range()).shaped(shape);
    o.raw(&header_line(shape, FEEDBACK_HEADER));
    for seq in 1..=cfg.feedback {
        let unit = if rng.chance(ppm(50_000)) {
            0
        } else {
            world.feedback_units.get(world.feedback_pick.sample(&mut rng)).copied().unwrap_or(0)
        };
        let (day, _) = days.draw(&mut rng, 0);
        let received = day * DAY + rng.between(7 * 3600, 21 * 3600) as i64;
        let span = rng.between(10, 30) as i64;
        let date_only = rng.chance(ppm(600_000));
        let due = if date_only { (day + span) * DAY + DAY - 1 } else { received + span * DAY };
        let near_end = days.month_end(day) - received < 10 * DAY;
        let finished = if rng.chance(if near_end { ppm(300_000) } else { ppm(50_000) }) {
            None
        } else if rng.chance(ppm(100_000)) {
            Some(due + 1 + rng.below(10 * 86_400) as i64)
        } else {
            Some(received + rng.below((due - received).max(0) as u64 + 1) as i64)
        };
        let about: &[u8] = match rng.below(100) {
            0..25 => b"rules",
            25..40 => b"staff",
            _ => b"other",
        };
        let unsatisfied = finished.is_some() && rng.chance(ppm(80_000));
        let raised_again = rng.chance(ppm(30_000));
        let style = match time_style(&mut rng) {
            TimeStyle::DateOnly | TimeStyle::LocalMinutes => TimeStyle::Local,
            s => s,
        };

        o.raw(b"PA-");
        o.u64_padded(seq, 8);
        o.sep();
        o.raw(world.units.get(unit).map_or("", |u| u.id.as_str()).as_bytes());
        o.sep();
        o.time(received, style);
        o.sep();
        o.time(due, if date_only { TimeStyle::DateOnly } else { style });
        o.sep();
        if let Some(f) = finished {
            o.time(f, style);
        }
        o.sep();
        o.raw(about);
        for b in [unsatisfied, raised_again] {
            o.sep();
            o.raw(Flags::OneZero.text(b, shape));
        }
        o.end_line()?;
    }
    o.finish()?;
    Ok(cfg.feedback)
}
