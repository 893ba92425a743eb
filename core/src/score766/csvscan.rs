//! A byte-level CSV scanner for the dossier hot path: no allocation per row, no UTF-8 pass over
//! whole records, `memchr` to find line ends and separators.
//!
//! Record boundaries follow RFC 4180 by quote parity: a newline ends a record when the number of
//! `"` since the record's start is even (inside a quoted field, `""` is an escaped quote, so the
//! parity is the quoting state). Because the rule only looks at parity, a block of records can be
//! cut at any newline with an even count of quotes before it and scanned in parallel, and the
//! pieces give exactly what one pass gives.

use memchr::{memchr, memchr_iter, memchr2};

/// Where the complete records of `buf` end, scanning from `from` with `in_quotes` as the quoting
/// state at `from`: returns the end (just past the last newline outside quotes; 0 if none) and the
/// quoting state at the end of `buf`.
#[must_use]
pub fn last_record_end(buf: &[u8], from: usize, in_quotes: bool) -> (usize, bool) {
    // The common case: no quote at all after `from` (and none pending).
    if !in_quotes && buf.get(from..).is_some_and(|rest| memchr(b'"', rest).is_none()) {
        let last = buf.get(from..).and_then(|rest| memchr::memrchr(b'\n', rest));
        return (last.map_or(0, |i| from + i + 1), false);
    }
    // Quotes: only parity matters. The state at the end is the state at `from` flipped by every
    // quote after it; walking back from the end, the state before each newline is the state at the
    // end flipped by the quotes after that newline. The last newline is nearly always outside
    // quotes, so this is one vectorised count over the block and a short walk back, not a stop
    // at every newline.
    let rest = buf.get(from..).unwrap_or_default();
    let at_end = in_quotes ^ (quotes(rest) % 2 == 1);
    let mut state = at_end;
    let mut upto = rest.len();
    while let Some(nl) = rest.get(..upto).and_then(|r| memchr::memrchr(b'\n', r)) {
        state ^= quotes(rest.get(nl + 1..upto).unwrap_or_default()) % 2 == 1;
        if !state {
            return (from + nl + 1, at_end);
        }
        upto = nl;
    }
    (0, at_end)
}

/// The number of `"` in `b`.
fn quotes(b: &[u8]) -> usize {
    memchr_iter(b'"', b).count()
}

/// Cuts `buf` (complete records) into at most `pieces` parts of about equal size, each made of
/// complete records. Returns the cut offsets, starting with 0 and ending with `buf.len()`.
#[must_use]
pub fn split_records(buf: &[u8], pieces: usize) -> Vec<usize> {
    let pieces = pieces.max(1);
    let mut cuts = vec![0];
    if memchr(b'"', buf).is_none() {
        for k in 1..pieces {
            let target = buf.len() / pieces * k;
            let prev = cuts.last().copied().unwrap_or(0).max(target);
            if let Some(i) = buf.get(prev..).and_then(|rest| memchr(b'\n', rest)) {
                let cut = prev + i + 1;
                if cut < buf.len() {
                    cuts.push(cut);
                }
            }
        }
    } else {
        // Quotes: the quoting state at each target from the parity of the quotes before it
        // (counted, not walked), then a walk to the first newline outside quotes from there.
        let mut in_quotes = false;
        let mut pos = 0;
        'pieces: for k in 1..pieces {
            let target = (buf.len() / pieces * k).max(pos);
            in_quotes ^= quotes(buf.get(pos..target).unwrap_or_default()) % 2 == 1;
            pos = target;
            loop {
                let Some(i) = buf.get(pos..).and_then(|rest| memchr2(b'"', b'\n', rest)) else { break 'pieces };
                let at = pos + i;
                pos = at + 1;
                if buf.get(at) == Some(&b'"') {
                    in_quotes = !in_quotes;
                } else if !in_quotes && at + 1 < buf.len() {
                    cuts.push(at + 1);
                    break;
                }
            }
        }
    }
    cuts.push(buf.len());
    cuts.dedup();
    cuts
}

/// The number of newlines in `buf`.
#[must_use]
pub fn count_lines(buf: &[u8]) -> u64 {
    u64::try_from(memchr_iter(b'\n', buf).count()).unwrap_or(u64::MAX)
}

/// The next record of `buf` from `pos`: its bytes (without the line end) and the position after.
/// `None` at the end.
#[must_use]
pub fn next_record(buf: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    let rest = buf.get(pos..).filter(|r| !r.is_empty())?;
    let mut scan = 0;
    loop {
        let Some(nl) = rest.get(scan..).and_then(|r| memchr(b'\n', r)).map(|i| scan + i) else {
            return Some((trim_cr(rest), buf.len()));
        };
        let candidate = rest.get(..nl).unwrap_or_default();
        // An odd number of quotes means the newline is inside a quoted field.
        if memchr(b'"', candidate).is_none() || memchr_iter(b'"', candidate).count() % 2 == 0 {
            return Some((trim_cr(candidate), pos + nl + 1));
        }
        scan = nl + 1;
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Trims ASCII spaces and tabs from both ends.
#[must_use]
pub fn trim(mut b: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = b {
        b = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = b {
        b = rest;
    }
    b
}

/// A field at fault while splitting a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// A quoted field is followed by something other than a separator.
    BadQuote {
        /// The field's position, from 0.
        field: usize,
    },
}

/// Splits one record into fields, calling `out(index, bytes)` for each. A record with quotes is
/// unquoted into `scratch`; others are sliced in place. Returns the number of fields.
pub fn split_fields<'a>(
    record: &'a [u8],
    scratch: &'a mut Vec<u8>,
    mut out: impl FnMut(usize, &'a [u8]),
) -> Result<usize, SplitError> {
    if memchr(b'"', record).is_none() {
        let mut start = 0;
        let mut n = 0;
        for comma in memchr_iter(b',', record) {
            out(n, record.get(start..comma).unwrap_or_default());
            n += 1;
            start = comma + 1;
        }
        out(n, record.get(start..).unwrap_or_default());
        return Ok(n + 1);
    }
    // Slow path: unquote every field into `scratch`, remember ranges, then hand them out.
    scratch.clear();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    loop {
        let start = scratch.len();
        // Leading spaces before an opening quote are tolerated.
        let mut j = i;
        while matches!(record.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        if record.get(j) == Some(&b'"') {
            j += 1;
            loop {
                match record.get(j) {
                    None => return Err(SplitError::BadQuote { field: ranges.len() }),
                    Some(b'"') if record.get(j + 1) == Some(&b'"') => {
                        scratch.push(b'"');
                        j += 2;
                    }
                    Some(b'"') => {
                        j += 1;
                        break;
                    }
                    Some(&c) => {
                        scratch.push(c);
                        j += 1;
                    }
                }
            }
            while matches!(record.get(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            ranges.push((start, scratch.len()));
            match record.get(j) {
                None => break,
                Some(b',') => i = j + 1,
                Some(_) => return Err(SplitError::BadQuote { field: ranges.len() - 1 }),
            }
        } else {
            let rest = record.get(i..).unwrap_or_default();
            let end = memchr(b',', rest).map_or(record.len(), |k| i + k);
            let field = record.get(i..end).unwrap_or_default();
            if memchr(b'"', field).is_some() {
                return Err(SplitError::BadQuote { field: ranges.len() });
            }
            scratch.extend_from_slice(field);
            ranges.push((start, scratch.len()));
            if end >= record.len() {
                break;
            }
            i = end + 1;
        }
    }
    let buf: &'a Vec<u8> = scratch;
    for (n, (a, b)) in ranges.iter().enumerate() {
        out(n, buf.get(*a..*b).unwrap_or_default());
    }
    Ok(ranges.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(record: &str) -> Result<Vec<String>, SplitError> {
        let mut scratch = Vec::new();
        let mut v = Vec::new();
        split_fields(record.as_bytes(), &mut scratch, |_, f| v.push(String::from_utf8_lossy(f).into_owned()))?;
        Ok(v)
    }

    #[test]
    fn splits_plain_and_quoted_fields() {
        assert_eq!(fields("a,b,,c").unwrap(), ["a", "b", "", "c"]);
        assert_eq!(fields("").unwrap(), [""]);
        assert_eq!(fields(r#""a,b","say ""hi""",c"#).unwrap(), ["a,b", r#"say "hi""#, "c"]);
        assert_eq!(fields("\"line\nbreak\",\"\"").unwrap(), ["line\nbreak", ""]);
        assert_eq!(fields(r#"x,"y""#).unwrap(), ["x", "y"]);
        assert_eq!(fields(r#"x,ab"c"#), Err(SplitError::BadQuote { field: 1 }));
        assert_eq!(fields(r#""ab"c,d"#), Err(SplitError::BadQuote { field: 0 }));
        assert_eq!(fields(r#""abc"#), Err(SplitError::BadQuote { field: 0 }));
    }

    #[test]
    fn records_end_at_newlines_outside_quotes() {
        let buf = b"a,b\r\n\"x\ny\",z\nlast";
        let (r1, p) = next_record(buf, 0).unwrap();
        assert_eq!(r1, b"a,b");
        let (r2, p) = next_record(buf, p).unwrap();
        assert_eq!(r2, b"\"x\ny\",z");
        let (r3, p) = next_record(buf, p).unwrap();
        assert_eq!(r3, b"last");
        assert!(next_record(buf, p).is_none());
        assert_eq!(last_record_end(buf, 0, false), (13, false));
        assert_eq!(last_record_end(b"a\n\"b\nc", 0, false), (2, true));
        assert_eq!(last_record_end(b"a\nb\nc", 0, false), (4, false));
    }

    #[test]
    fn splits_blocks_at_record_boundaries() {
        let buf = b"1,\"a\nb\"\n2,x\n3,\"\n\"\n4,y\n";
        for pieces in 1..6 {
            let cuts = split_records(buf, pieces);
            assert_eq!(cuts.first(), Some(&0));
            assert_eq!(cuts.last(), Some(&buf.len()));
            for c in &cuts[1..cuts.len() - 1] {
                // Every cut follows a newline outside quotes.
                assert_eq!(last_record_end(&buf[..*c], 0, false).0, *c);
            }
        }
        assert_eq!(trim(b"  a b\t"), b"a b");
    }

    /// The walks the scanner used before counting quotes: a stop at every quote and newline.
    fn last_record_end_walk(buf: &[u8], from: usize, mut in_quotes: bool) -> (usize, bool) {
        let mut end = 0;
        for (at, b) in buf.iter().enumerate().skip(from) {
            if *b == b'"' {
                in_quotes = !in_quotes;
            } else if *b == b'\n' && !in_quotes {
                end = at + 1;
            }
        }
        (end, in_quotes)
    }

    fn split_records_walk(buf: &[u8], pieces: usize) -> Vec<usize> {
        let pieces = pieces.max(1);
        let mut cuts = vec![0];
        let mut in_quotes = false;
        let mut k = 1;
        for (at, b) in buf.iter().enumerate() {
            if k >= pieces {
                break;
            }
            if *b == b'"' {
                in_quotes = !in_quotes;
            } else if *b == b'\n' && !in_quotes && at >= buf.len() / pieces * k && at + 1 < buf.len() {
                cuts.push(at + 1);
                k += 1;
            }
        }
        cuts.push(buf.len());
        cuts.dedup();
        cuts
    }

    proptest::proptest! {
        #[test]
        fn counting_quotes_finds_what_walking_finds(
            bytes in proptest::collection::vec(proptest::sample::select(vec![b'a', b',', b'"', b'\n']), 0..200),
            from in 0usize..50,
            in_quotes in proptest::bool::ANY,
            pieces in 1usize..6,
        ) {
            let from = from.min(bytes.len());
            proptest::prop_assert_eq!(
                last_record_end(&bytes, from, in_quotes),
                last_record_end_walk(&bytes, from, in_quotes)
            );
            // split_records is given complete records.
            let end = last_record_end_walk(&bytes, 0, false).0;
            let complete = &bytes[..end];
            if memchr(b'"', complete).is_some() {
                proptest::prop_assert_eq!(split_records(complete, pieces), split_records_walk(complete, pieces));
            }
        }
    }
}
