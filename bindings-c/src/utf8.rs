//! UTF-8 checks of a stream pushed in chunks that may cut a character in two.

use crate::error::Failure;
use crate::status::chiso_status;

/// What is known of a stream so far: the bytes of a character that the last chunk cut (at most 3)
/// and the number of bytes checked.
#[derive(Debug, Default, Clone)]
pub(crate) struct Utf8Stream {
    tail: Vec<u8>,
    offset: u64,
}

/// The length of the character that starts with `lead` (a valid lead byte).
const fn char_len(lead: u8) -> usize {
    match lead {
        0xf0.. => 4,
        0xe0.. => 3,
        _ => 2,
    }
}

impl Utf8Stream {
    fn invalid(name: &str, at: u64) -> Failure {
        Failure::new(chiso_status::CHISO_INVALID_UTF8, format!("`{name}` is not UTF-8 (byte {at} of the stream)"))
    }

    /// Checks the next chunk. On failure nothing changes, so the stream can go on with a
    /// corrected chunk.
    pub(crate) fn check(&mut self, chunk: &[u8], name: &str) -> Result<(), Failure> {
        let chunk_len = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
        let mut rest = chunk;
        let mut tail = Vec::new();
        if let Some(&lead) = self.tail.first() {
            // Complete the character the previous chunk cut.
            let take = char_len(lead).saturating_sub(self.tail.len()).min(chunk.len());
            let (head, after) = chunk.split_at(take);
            let mut joined = self.tail.clone();
            joined.extend_from_slice(head);
            match std::str::from_utf8(&joined) {
                Ok(_) => {}
                Err(e) if e.error_len().is_none() => tail = joined, // still cut: the chunk was short
                Err(_) => return Err(Self::invalid(name, self.offset - self.tail.len() as u64)),
            }
            rest = after;
        }
        let before_rest = chunk_len - rest.len() as u64;
        match std::str::from_utf8(rest) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => tail = rest.get(e.valid_up_to()..).unwrap_or_default().to_vec(),
            Err(e) => return Err(Self::invalid(name, self.offset + before_rest + e.valid_up_to() as u64)),
        }
        self.tail = tail;
        self.offset += chunk_len;
        Ok(())
    }

    /// Checks that the stream did not end inside a character.
    pub(crate) fn check_end(&self, name: &str) -> Result<(), Failure> {
        if self.tail.is_empty() { Ok(()) } else { Err(Self::invalid(name, self.offset - self.tail.len() as u64)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cut_of_valid_text_is_accepted_and_invalid_bytes_are_found() {
        let text = "a,ệ,𝄞,ơn\n".as_bytes();
        for cut in 0..=text.len() {
            let mut s = Utf8Stream::default();
            s.check(&text[..cut], "x").unwrap();
            s.check(&text[cut..], "x").unwrap();
            s.check_end("x").unwrap();
        }
        // Byte by byte.
        let mut s = Utf8Stream::default();
        for b in text {
            s.check(std::slice::from_ref(b), "x").unwrap();
        }
        s.check_end("x").unwrap();
        // A cut character at the end, then an invalid continuation: refused, state kept.
        let mut s = Utf8Stream::default();
        s.check(&"ệ".as_bytes()[..1], "x").unwrap();
        assert!(s.check_end("x").is_err());
        assert!(s.check(b"zz", "x").is_err());
        s.check(&"ệ".as_bytes()[1..], "x").unwrap();
        s.check_end("x").unwrap();
        let mut s = Utf8Stream::default();
        s.check(b"abc", "x").unwrap();
        let e = s.check(b"d\xffe", "x").unwrap_err();
        assert!(format!("{e:?}").contains("byte 4"), "{e:?}");
    }

    proptest::proptest! {
        /// Cut anywhere into any number of chunks, a stream is accepted exactly when it is UTF-8
        /// as a whole; a refused chunk changes nothing, so pushing it again is refused again.
        #[test]
        fn chunked_checks_agree_with_a_whole_check(
            bytes in proptest::collection::vec(proptest::prop_oneof![
                proptest::num::u8::ANY,
                proptest::sample::select(vec![0xe1_u8, 0xbb, 0x87, 0xc3, 0xa0, 0xf0, 0x9d, 0x84, 0x9e]),
            ], 0..40),
            cuts in proptest::collection::vec(0..40_usize, 0..6),
        ) {
            let whole_ok = std::str::from_utf8(&bytes).is_ok();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.push(0);
            cuts.push(bytes.len());
            cuts.sort_unstable();
            let mut stream = Utf8Stream::default();
            let mut ok = true;
            for pair in cuts.windows(2) {
                let chunk = &bytes[pair[0]..pair[1]];
                if stream.check(chunk, "x").is_err() {
                    proptest::prop_assert!(stream.check(chunk, "x").is_err());
                    ok = false;
                    break;
                }
            }
            ok = ok && stream.check_end("x").is_ok();
            proptest::prop_assert_eq!(ok, whole_ok);
        }
    }
}
