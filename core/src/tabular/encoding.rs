//! The text encodings a tabular input may come in (exports.md): UTF-8 with or without a byte order
//! mark, and UTF-16 (little or big endian) with one — Excel's "Unicode text" — decoded to UTF-8 as
//! it streams. Anything else that can be told apart is refused with the byte offset that gave it
//! away, never read as mojibake: UTF-16 without a byte order mark (a zero byte in the first two) and
//! UTF-32.
//! Bytes that are not UTF-8 inside an otherwise UTF-8 file (Windows-1258, CP1252) are found by the
//! readers field by field, and reject their row only.
//!
//! Two front ends share one decision and one decoder: [`Decoder`] for bytes pushed in chunks cut
//! anywhere (the streaming dossier scorer), [`Utf8Reader`] for a [`Read`] (every other reader, and
//! the parallel dossier driver). A UTF-8 byte order mark is dropped by both, so the readers see
//! the header's first name from the first byte.

use std::io::{self, Read};

use crate::labels::ErrorText;

/// The bytes of the start that tell the encoding (a UTF-32 byte order mark is the longest).
const SNIFF: usize = 4;

/// The UTF-8 byte order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Mode {
    /// Not yet known: fewer than [`SNIFF`] bytes were seen.
    #[default]
    Start,
    /// UTF-8, passed on as it is.
    Utf8,
    /// UTF-16, little endian when `true`.
    Utf16 { little: bool },
}

/// The encoding the first bytes of a stream give, and the length of its byte order mark; `None`
/// while fewer than [`SNIFF`] bytes came and more may come. Err: the reason the stream is refused.
fn sniff(start: &[u8], eof: bool) -> Result<Option<(Mode, usize)>, String> {
    if start.len() < SNIFF && !eof {
        return Ok(None);
    }
    Ok(Some(match start {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => return Err(ErrorText::Utf32File.en(&[])),
        [0xFF, 0xFE, ..] => (Mode::Utf16 { little: true }, 2),
        [0xFE, 0xFF, ..] => (Mode::Utf16 { little: false }, 2),
        _ if start.starts_with(UTF8_BOM) => (Mode::Utf8, UTF8_BOM.len()),
        _ => {
            // A header starts with a character that is ASCII in every export; in UTF-16 without a
            // BOM one of its two bytes is zero. A zero byte further on is data (the readers judge
            // it field by field): it does not refuse the file.
            if let Some(offset) = start.iter().take(2).position(|b| *b == 0) {
                return Err(ErrorText::ZeroByte.en(&[("offset", &offset)]));
            }
            (Mode::Utf8, 0)
        }
    }))
}

/// Appends the UTF-8 of the whole UTF-16 code units of `raw` to `out` and drops them from `raw`;
/// an odd byte, and a high surrogate at the end while more may come, wait in `raw` for the rest.
/// A lone surrogate, and an odd last byte at the end, are U+FFFD.
fn decode_utf16(raw: &mut Vec<u8>, little: bool, eof: bool, out: &mut Vec<u8>) {
    let unit = |pair: &[u8]| {
        let pair = [pair.first().copied().unwrap_or(0), pair.get(1).copied().unwrap_or(0)];
        if little { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
    };
    out.reserve(raw.len() / 2 * 3);
    let mut used = 0;
    let mut chars = [0u8; 4];
    while let Some(pair) = raw.get(used..used + 2) {
        let u = unit(pair);
        if u < 0x80 {
            // Most of an export: one byte, no decoding.
            out.push(u8::try_from(u).unwrap_or(b'?'));
            used += 2;
            continue;
        }
        let c = if (0xD800..0xDC00).contains(&u) {
            match raw.get(used + 2..used + 4).map(unit) {
                Some(low @ 0xDC00..0xE000) => {
                    used += 2;
                    char::from_u32(0x1_0000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00))
                }
                // A high surrogate at the end waits for its pair.
                None if !eof => break,
                _ => None,
            }
        } else {
            char::from_u32(u32::from(u))
        };
        used += 2;
        out.extend_from_slice(c.unwrap_or(char::REPLACEMENT_CHARACTER).encode_utf8(&mut chars).as_bytes());
    }
    raw.drain(..used);
    if eof && !raw.is_empty() {
        // An odd last byte (or a lone high surrogate) cannot be a character.
        raw.clear();
        out.extend_from_slice(char::REPLACEMENT_CHARACTER.to_string().as_bytes());
    }
}

/// A decoder of a stream pushed in chunks cut anywhere: each chunk's UTF-8 is appended to the
/// caller's buffer ([the module](self)).
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    mode: Mode,
    /// Bytes not yet decoded: the start until the encoding is known, then an odd byte or a lone
    /// high surrogate of UTF-16.
    raw: Vec<u8>,
}

impl Decoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the stream is known to be UTF-8 (then [`Self::push`] copies it as it is).
    #[must_use]
    pub fn is_utf8(&self) -> bool {
        self.mode == Mode::Utf8
    }

    /// Appends the UTF-8 of the next bytes `chunk` to `out`; `eof`: no bytes will follow (an empty
    /// `chunk` with `eof` flushes what waits). Err: the reason the stream is refused (a zero byte
    /// or UTF-32 at its start).
    pub fn push(&mut self, chunk: &[u8], eof: bool, out: &mut Vec<u8>) -> Result<(), String> {
        match self.mode {
            Mode::Utf8 => out.extend_from_slice(chunk),
            Mode::Utf16 { little } => {
                self.raw.extend_from_slice(chunk);
                decode_utf16(&mut self.raw, little, eof, out);
            }
            Mode::Start => {
                self.raw.extend_from_slice(chunk);
                let Some((mode, bom)) = sniff(&self.raw, eof)? else { return Ok(()) };
                self.mode = mode;
                let start = std::mem::take(&mut self.raw);
                self.push(start.get(bom..).unwrap_or_default(), eof, out)?;
            }
        }
        Ok(())
    }
}

/// A reader that gives UTF-8 whatever the input's encoding ([the module](self)).
#[derive(Debug)]
pub struct Utf8Reader<R> {
    inner: R,
    decoder: Decoder,
    /// Bytes decoded but not yet given out, from `at`.
    out: Vec<u8>,
    at: usize,
    /// Raw bytes read from `inner`, to decode.
    chunk: Vec<u8>,
    eof: bool,
    /// Bytes read from `inner` and bytes given out so far, for [`Self::raw_offset`].
    raw_read: u64,
    given: u64,
}

/// The raw bytes a [`Utf8Reader`] decodes at a time.
const READ_BYTES: usize = 64 * 1024;

impl<R: Read> Utf8Reader<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            decoder: Decoder::new(),
            out: Vec::new(),
            at: 0,
            chunk: Vec::new(),
            eof: false,
            raw_read: 0,
            given: 0,
        }
    }

    /// About where in the input the UTF-8 byte `decoded` comes from (for a progress bar against
    /// the file's size): `decoded` itself for UTF-8, about twice as far for mostly ASCII UTF-16.
    #[must_use]
    pub fn raw_offset(&self, decoded: u64) -> u64 {
        if self.given == 0 {
            return decoded;
        }
        let scaled = u128::from(decoded) * u128::from(self.raw_read) / u128::from(self.given);
        u64::try_from(scaled).unwrap_or(u64::MAX)
    }
}

fn refuse(reason: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, reason)
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.at < self.out.len() {
                let n = buf.len().min(self.out.len() - self.at);
                let src = self.out.get(self.at..self.at + n).unwrap_or_default();
                buf.get_mut(..n).unwrap_or_default().copy_from_slice(src);
                self.at += n;
                self.given += n as u64;
                return Ok(n);
            }
            self.out.clear();
            self.at = 0;
            if self.decoder.is_utf8() {
                // UTF-8 is passed on without a copy.
                let n = self.inner.read(buf)?;
                self.raw_read += n as u64;
                self.given += n as u64;
                return Ok(n);
            }
            if self.eof {
                return Ok(0);
            }
            self.chunk.clear();
            (&mut self.inner).take(READ_BYTES as u64).read_to_end(&mut self.chunk)?;
            self.eof = self.chunk.is_empty();
            self.raw_read += self.chunk.len() as u64;
            self.decoder.push(&self.chunk, self.eof, &mut self.out).map_err(refuse)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf8(bytes: &[u8]) -> io::Result<String> {
        let mut s = String::new();
        Utf8Reader::new(bytes).read_to_string(&mut s)?;
        Ok(s)
    }

    #[test]
    fn utf16_with_a_bom_reads_as_utf8() {
        let text = "Mã đơn vị\tTên\r\nkhom-a\tKhóm A 😀\r\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(utf8(&le).unwrap(), text);
        assert_eq!(utf8(&be).unwrap(), text);
        // Read one byte at a time, a surrogate pair split across reads stays whole.
        let mut r = Utf8Reader::new(io::Cursor::new(le.clone()));
        let mut out = Vec::new();
        let mut one = [0u8; 1];
        while r.read(&mut one).unwrap() == 1 {
            out.push(one[0]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), text);
        // Where a decoded byte came from, for a progress bar: the end of the output is the end of
        // the input.
        assert_eq!(r.raw_offset(text.len() as u64), le.len() as u64);
        // A large file crosses many refills.
        let long: String = text.repeat(20_000);
        let mut big = vec![0xFF, 0xFE];
        for u in long.encode_utf16() {
            big.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(utf8(&big).unwrap(), long);
    }

    #[test]
    fn utf8_passes_and_zero_bytes_are_refused_with_their_offset() {
        // A UTF-8 byte order mark is dropped, so that the header's first name is its first byte.
        assert_eq!(utf8("\u{feff}unit,name\n".as_bytes()).unwrap(), "unit,name\n");
        assert_eq!(utf8(b"ab").unwrap(), "ab");
        let no_bom: Vec<u8> = "unit".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let e = utf8(&no_bom).unwrap_err().to_string();
        assert!(e.contains("byte 1"), "{e}");
        assert!(utf8(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]).unwrap_err().to_string().contains("UTF-32"));
        // A zero byte in the data of a UTF-8 file is data (the fuzzers' differential check).
        assert_eq!(utf8(b"a\n\0\0\n").unwrap(), "a\n\0\0\n");
    }

    /// `bytes` pushed to a [`Decoder`] in chunks of `chunk` bytes.
    fn pushed(bytes: &[u8], chunk: usize) -> Result<Vec<u8>, String> {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        for c in bytes.chunks(chunk) {
            d.push(c, false, &mut out)?;
        }
        d.push(&[], true, &mut out)?;
        Ok(out)
    }

    #[test]
    fn pushed_chunks_cut_anywhere_decode_as_one_read() {
        let text = "\u{feff}Mã hồ sơ;Kênh nộp\r\nHS-1;Trực tuyến 😀\r\n";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for chunk in [1, 2, 3, 5, 4096] {
            // UTF-8: its byte order mark dropped; UTF-16: decoded, a BOM written inside kept as text.
            assert_eq!(pushed(text.as_bytes(), chunk).unwrap(), &text.as_bytes()[3..], "chunks of {chunk}");
            assert_eq!(pushed(&le, chunk).unwrap(), text.as_bytes(), "chunks of {chunk}");
            assert_eq!(pushed(&be, chunk).unwrap(), text.as_bytes(), "chunks of {chunk}");
        }
        // A stream shorter than the sniffed start, and an empty one.
        assert_eq!(pushed(b"a", 1).unwrap(), b"a");
        assert_eq!(pushed(b"", 1).unwrap(), b"");
        // Refusals name the byte, whatever the chunks.
        let no_bom: Vec<u8> = "id".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(pushed(&no_bom, 1).unwrap_err().contains("byte 0"));
        assert!(pushed(&[0xFF, 0xFE, 0, 0], 1).unwrap_err().contains("UTF-32"));
        // A lone surrogate, and an odd last byte, are U+FFFD.
        assert_eq!(pushed(&[0xFF, 0xFE, 0x00, 0xD8, b'a', 0], 1).unwrap(), "\u{fffd}a".as_bytes());
        assert_eq!(pushed(&[0xFF, 0xFE, b'a', 0, b'b'], 2).unwrap(), "a\u{fffd}".as_bytes());
        assert_eq!(pushed(&[0xFF, 0xFE, 0x00, 0xDC], 3).unwrap(), "\u{fffd}".as_bytes());
    }
}
