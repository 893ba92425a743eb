//! A buffered CSV line writer with hand-rolled number and date formatting.
//!
//! `write!` costs a formatter call per field; at millions of rows per second the fields are
//! formatted here straight into one buffer, which is handed to the caller's writer in large blocks.

use std::io::{self, Write};

use chiso::date::Date;

use super::Shape;

const SECONDS_PER_DAY: i64 = 86_400;
const FLUSH_AT: usize = 1 << 18;

const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// How a point in time is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeStyle {
    /// `2025-07-14T09:32:11`, Vietnam time without an offset.
    Local,
    /// `2025-07-14T09:32`.
    LocalMinutes,
    /// `2025-07-14T02:32:11Z`.
    Utc,
    /// `2025-07-14T09:32:11+07:00`.
    Offset,
    /// `2025-07-14`: the local date alone.
    DateOnly,
}

/// The output buffer, counting what it has passed on.
pub struct Out<W: Write> {
    inner: W,
    buf: Vec<u8>,
    bytes: u64,
    /// `YYYY-MM-DD` for the days from `first_day`, so a date is one copy.
    dates: Vec<[u8; 10]>,
    first_day: i64,
    flush_at: usize,
    shape: Shape,
}

impl<W: Write> std::fmt::Debug for Out<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Out").field("bytes", &self.bytes).finish_non_exhaustive()
    }
}

fn date_text(day: i64) -> [u8; 10] {
    let d = Date::from_days_since_epoch(day);
    let y = u32::try_from(d.year()).unwrap_or(0).min(9999);
    let digit = |v: u32| b'0' + u8::try_from(v % 10).unwrap_or(0);
    let (m, dd) = (u32::from(d.month()), u32::from(d.day()));
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(dd / 10),
        digit(dd),
    ]
}

impl Out<io::Sink> {
    /// A writer that keeps every line in memory until [`Out::take_lines`].
    pub fn in_memory(days: std::ops::Range<i64>) -> Self {
        Self { flush_at: usize::MAX, ..Out::new(io::sink(), days) }
    }
}

impl<W: Write> Out<W> {
    /// A writer that caches the dates of `days` (days since 1970-01-01) and formats others on the fly.
    pub fn new(inner: W, days: std::ops::Range<i64>) -> Self {
        let dates = days.clone().map(date_text).collect();
        Self {
            inner,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            bytes: 0,
            dates,
            first_day: days.start,
            flush_at: FLUSH_AT,
            shape: Shape::Canonical,
        }
    }

    /// The writer for files of `shape` (separator, line end, dates; [`Shape`]).
    pub const fn shaped(mut self, shape: Shape) -> Self {
        self.shape = shape;
        self
    }

    /// Starts a file: a UTF-8 byte order mark in the export shape (as Excel writes "CSV UTF-8").
    pub fn begin(&mut self) {
        if self.shape == Shape::Export {
            self.buf.extend_from_slice("\u{feff}".as_bytes());
        }
    }

    /// Appends the field separator: `,`, or `;` in the export shape.
    #[inline]
    pub fn sep(&mut self) {
        self.buf.push(self.shape.separator());
    }

    /// Moves the lines written so far out of the buffer (with a writer that never flushes, they
    /// are all the lines since the last call).
    pub fn take_lines(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }

    /// Gives the writer an empty buffer to fill (one that [`Out::take_lines`] returned earlier,
    /// so that its memory is reused instead of faulted in afresh).
    pub fn reuse(&mut self, mut buf: Vec<u8>) {
        buf.clear();
        self.buf = buf;
    }

    /// Bytes passed on so far (after [`Out::finish`], all of them).
    pub const fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Appends raw bytes.
    #[inline]
    pub fn raw(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// Appends one byte.
    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    /// Appends a text field, quoting it per RFC 4180 when it holds the separator, a quote or a
    /// line break.
    pub fn field(&mut self, s: &str) {
        let sep = self.shape.separator();
        if s.bytes().any(|b| b == sep || matches!(b, b'"' | b'\n' | b'\r')) {
            self.buf.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s.as_bytes());
        }
    }

    /// Appends a number in decimal.
    #[inline]
    pub fn u64(&mut self, mut n: u64) {
        let mut tmp = [b'0'; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            if let Some(slot) = tmp.get_mut(i) {
                *slot = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(tmp.get(i..).unwrap_or_default());
    }

    /// Appends a number zero-padded to `width` digits (more when it needs them).
    #[inline]
    pub fn u64_padded(&mut self, n: u64, width: usize) {
        let digits = n.checked_ilog10().map_or(1, |l| l as usize + 1);
        for _ in digits..width {
            self.buf.push(b'0');
        }
        self.u64(n);
    }

    #[inline]
    fn pair(&mut self, v: i64) {
        let i = usize::try_from(v.clamp(0, 99)).unwrap_or(0) * 2;
        self.buf.extend_from_slice(PAIRS.get(i..i + 2).unwrap_or(b"00"));
    }

    /// Appends the date of day `day` (days since 1970-01-01).
    #[inline]
    pub fn date(&mut self, day: i64) {
        let cached = usize::try_from(day - self.first_day).ok().and_then(|i| self.dates.get(i));
        match cached {
            Some(t) => self.buf.extend_from_slice(t),
            None => self.buf.extend_from_slice(&date_text(day)),
        }
    }

    /// Appends the date of day `day` as exports write it: `DD/MM/YYYY`.
    #[inline]
    fn date_day_first(&mut self, day: i64) {
        let cached = usize::try_from(day - self.first_day).ok().and_then(|i| self.dates.get(i));
        let [y1, y2, y3, y4, _, m1, m2, _, d1, d2] = cached.copied().unwrap_or_else(|| date_text(day));
        self.buf.extend_from_slice(&[d1, d2, b'/', m1, m2, b'/', y1, y2, y3, y4]);
    }

    /// Appends the instant `local` (seconds since 1970-01-01T00:00 Vietnam time) in `style`; in
    /// the export shape, as Vietnam time without a zone (`DD/MM/YYYY HH:MM:SS`, `DD/MM/YYYY
    /// HH:MM`, `DD/MM/YYYY`): the same instant whatever the style.
    #[inline]
    pub fn time(&mut self, local: i64, style: TimeStyle) {
        if self.shape == Shape::Export {
            self.date_day_first(local.div_euclid(SECONDS_PER_DAY));
            if style == TimeStyle::DateOnly {
                return;
            }
            let s = local.rem_euclid(SECONDS_PER_DAY);
            self.buf.push(b' ');
            self.pair(s / 3600);
            self.buf.push(b':');
            self.pair(s / 60 % 60);
            if style != TimeStyle::LocalMinutes {
                self.buf.push(b':');
                self.pair(s % 60);
            }
            return;
        }
        let at = if style == TimeStyle::Utc { local - chiso::date::VIETNAM_OFFSET_SECONDS } else { local };
        self.date(at.div_euclid(SECONDS_PER_DAY));
        if style == TimeStyle::DateOnly {
            return;
        }
        let s = at.rem_euclid(SECONDS_PER_DAY);
        self.buf.push(b'T');
        self.pair(s / 3600);
        self.buf.push(b':');
        self.pair(s / 60 % 60);
        if style == TimeStyle::LocalMinutes {
            return;
        }
        self.buf.push(b':');
        self.pair(s % 60);
        match style {
            TimeStyle::Utc => self.buf.push(b'Z'),
            TimeStyle::Offset => self.buf.extend_from_slice(b"+07:00"),
            _ => {}
        }
    }

    /// Ends a line (`\r\n` in the export shape) and passes the buffer on once it is large.
    #[inline]
    pub fn end_line(&mut self) -> io::Result<()> {
        if self.shape == Shape::Export {
            self.buf.push(b'\r');
        }
        self.buf.push(b'\n');
        if self.buf.len() >= self.flush_at { self.flush_buf() } else { Ok(()) }
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.buf)?;
        self.bytes += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Passes on what is left and flushes the inner writer.
    pub fn finish(&mut self) -> io::Result<()> {
        self.flush_buf()?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chiso::date::{DateOnly, parse_instant};

    fn text(f: impl FnOnce(&mut Out<&mut Vec<u8>>)) -> String {
        let mut v = Vec::new();
        let mut out = Out::new(&mut v, 20_000..20_010);
        f(&mut out);
        out.finish().unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn numbers_and_fields() {
        assert_eq!(text(|o| o.u64(0)), "0");
        assert_eq!(text(|o| o.u64(u64::MAX)), "18446744073709551615");
        assert_eq!(text(|o| o.u64_padded(42, 6)), "000042");
        assert_eq!(text(|o| o.u64_padded(1_234_567, 3)), "1234567");
        assert_eq!(text(|o| o.field("a,b \"c\"")), "\"a,b \"\"c\"\"\"");
        assert_eq!(text(|o| o.field("Hộ tịch")), "Hộ tịch");
    }

    #[test]
    fn times_read_back_to_the_same_instant() {
        let local = Date::new(2025, 7, 1).unwrap().days_since_epoch() * 86_400 + 3 * 3600 + 5 * 60 + 9;
        let utc = local - 7 * 3600;
        for (style, want) in [
            (TimeStyle::Local, "2025-07-01T03:05:09"),
            (TimeStyle::Utc, "2025-06-30T20:05:09Z"),
            (TimeStyle::Offset, "2025-07-01T03:05:09+07:00"),
        ] {
            let t = text(|o| o.time(local, style));
            assert_eq!(t, want);
            assert_eq!(parse_instant(&t, DateOnly::StartOfDay).unwrap().0, utc);
        }
        assert_eq!(text(|o| o.time(local, TimeStyle::LocalMinutes)), "2025-07-01T03:05");
        assert_eq!(text(|o| o.time(local, TimeStyle::DateOnly)), "2025-07-01");
        // The export shape writes every style as Vietnam time without a zone, day first: the
        // same instant as the canonical text.
        let export = |f: &dyn Fn(&mut Out<&mut Vec<u8>>)| {
            let mut v = Vec::new();
            let mut out = Out::new(&mut v, 20_000..20_010).shaped(Shape::Export);
            f(&mut out);
            out.finish().unwrap();
            String::from_utf8(v).unwrap()
        };
        for style in [TimeStyle::Local, TimeStyle::Utc, TimeStyle::Offset, TimeStyle::LocalMinutes, TimeStyle::DateOnly]
        {
            let canonical = text(|o| o.time(local, style));
            let day_first = export(&|o| o.time(local, style));
            for edge in [DateOnly::StartOfDay, DateOnly::EndOfDay] {
                assert_eq!(
                    parse_instant(&day_first, edge).unwrap(),
                    parse_instant(&canonical, edge).unwrap(),
                    "{day_first} {canonical}"
                );
            }
        }
        assert_eq!(export(&|o| o.time(local, TimeStyle::Utc)), "01/07/2025 03:05:09");
        assert_eq!(export(&|o| o.date_day_first(0)), "01/01/1970");
        assert_eq!(export(&|o| o.field("a;b,c")), "\"a;b,c\"");
        assert_eq!(export(&|o| o.field("Có phí, lệ phí")), "Có phí, lệ phí");
        // Outside the cached range too.
        assert_eq!(text(|o| o.date(0)), "1970-01-01");
    }
}
