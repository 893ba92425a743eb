//! The text encodings a tabular input may come in (exports.md): UTF-8 with or without a byte order
//! mark, and UTF-16 (little or big endian) with one — Excel's "Unicode text" — decoded to UTF-8 as
//! it streams. Anything else that can be told apart is refused with the byte offset that gave it
//! away, never read as mojibake: UTF-16 without a byte order mark (a zero byte in the first two) and
//! UTF-32.
//! Bytes that are not UTF-8 inside an otherwise UTF-8 file (Windows-1258, CP1252) are found by the
//! readers field by field, and reject their row only.

use std::io::{self, Read};

use crate::labels::ErrorText;

/// How many bytes of the start are looked at to tell the encoding.
const SNIFF: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Not yet known: nothing was read.
    Start,
    /// UTF-8 (a BOM, if any, is passed on: the readers drop it).
    Utf8,
    /// UTF-16, little endian when `true`.
    Utf16 { little: bool },
}

/// A reader that gives UTF-8 whatever the input's encoding ([the module](self)).
#[derive(Debug)]
pub struct Utf8Reader<R> {
    inner: R,
    mode: Mode,
    /// Bytes read but not yet given out (UTF-8), from `at`.
    out: Vec<u8>,
    at: usize,
    /// Raw bytes not yet decoded (an odd byte, a lone high surrogate).
    raw: Vec<u8>,
    eof: bool,
}

impl<R: Read> Utf8Reader<R> {
    /// Wraps `inner`.
    pub const fn new(inner: R) -> Self {
        Self { inner, mode: Mode::Start, out: Vec::new(), at: 0, raw: Vec::new(), eof: false }
    }

    /// Reads the start and decides the encoding.
    fn sniff(&mut self) -> io::Result<()> {
        let mut start = Vec::with_capacity(SNIFF);
        (&mut self.inner).take(SNIFF as u64).read_to_end(&mut start)?;
        self.eof = start.len() < SNIFF;
        match start.as_slice() {
            [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => return Err(refuse(ErrorText::Utf32File.en(&[]))),
            [0xFF, 0xFE, ..] => {
                self.mode = Mode::Utf16 { little: true };
                self.raw = start.split_off(2);
            }
            [0xFE, 0xFF, ..] => {
                self.mode = Mode::Utf16 { little: false };
                self.raw = start.split_off(2);
            }
            _ => {
                // A header starts with a character that is ASCII in every export; in UTF-16
                // without a BOM one of its two bytes is zero. A zero byte further on is data (the
                // readers judge it field by field): it does not refuse the file.
                if let Some(offset) = start.iter().take(2).position(|b| *b == 0) {
                    return Err(refuse(ErrorText::ZeroByte.en(&[("offset", &offset)])));
                }
                self.mode = Mode::Utf8;
                self.out = start;
            }
        }
        Ok(())
    }

    /// Decodes what `raw` holds of whole UTF-16 code units into `out`.
    fn decode(&mut self, little: bool) {
        let whole = self.raw.len() / 2 * 2;
        let units = self.raw.get(..whole).unwrap_or_default().chunks_exact(2).map(|p| {
            let pair = [p.first().copied().unwrap_or(0), p.get(1).copied().unwrap_or(0)];
            if little { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
        });
        let mut units: Vec<u16> = units.collect();
        // A high surrogate at the end waits for its pair.
        let keep_surrogate = !self.eof && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u));
        if keep_surrogate {
            units.pop();
        }
        let used = units.len() * 2;
        let mut buf = [0u8; 4];
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            self.out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        self.raw.drain(..used);
    }
}

fn refuse(reason: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, reason)
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.mode == Mode::Start {
            self.sniff()?;
        }
        loop {
            if self.at < self.out.len() {
                let n = buf.len().min(self.out.len() - self.at);
                let src = self.out.get(self.at..self.at + n).unwrap_or_default();
                buf.get_mut(..n).unwrap_or_default().copy_from_slice(src);
                self.at += n;
                return Ok(n);
            }
            self.out.clear();
            self.at = 0;
            match self.mode {
                Mode::Utf8 | Mode::Start => return self.inner.read(buf),
                Mode::Utf16 { little } => {
                    if self.eof && self.raw.is_empty() {
                        return Ok(0);
                    }
                    if !self.eof {
                        let before = self.raw.len();
                        (&mut self.inner).take(64 * 1024).read_to_end(&mut self.raw)?;
                        self.eof = self.raw.len() == before;
                    }
                    if self.eof && self.raw.len() % 2 == 1 {
                        // An odd last byte cannot be a character.
                        self.raw.pop();
                        self.out.extend_from_slice(char::REPLACEMENT_CHARACTER.to_string().as_bytes());
                    }
                    self.decode(little);
                }
            }
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
        assert_eq!(utf8("\u{feff}unit,name\n".as_bytes()).unwrap(), "\u{feff}unit,name\n");
        let no_bom: Vec<u8> = "unit".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let e = utf8(&no_bom).unwrap_err().to_string();
        assert!(e.contains("byte 1"), "{e}");
        assert!(utf8(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]).unwrap_err().to_string().contains("UTF-32"));
        // A zero byte in the data of a UTF-8 file is data (the fuzzers' differential check).
        assert_eq!(utf8(b"a\n\0\0\n").unwrap(), "a\n\0\0\n");
    }
}
