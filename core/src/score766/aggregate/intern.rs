//! Ids (of units, of procedures) interned to dense indices, looked up from bytes without
//! allocating: one hash lookup per row and id.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast, non-cryptographic hasher (the multiply-rotate scheme of rustc's `FxHasher`):
/// ids come from the administration's own files, so hash flooding is not a concern, and the hot
/// path hashes one unit id and one procedure id per row.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut word = [0u8; 8];
        for (slot, b) in word.iter_mut().zip(chunks.remainder()) {
            *slot = *b;
        }
        self.add(u64::from_le_bytes(word));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    #[allow(clippy::cast_possible_truncation, reason = "the two halves of the integer, on purpose")]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// Ids (of units or procedures) interned to dense indices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Interner {
    pub(crate) names: Vec<String>,
    /// Ids of up to 15 bytes, packed into an integer: no pointer to follow, no `memcmp`.
    short: HashMap<u128, u32, FxBuild>,
    long: HashMap<Box<[u8]>, u32, FxBuild>,
}

/// An id of up to 15 bytes as an integer: its bytes (read as two overlapping words, which is
/// one-to-one for a given length) and its length in the top byte.
#[inline]
fn pack(id: &[u8]) -> Option<u128> {
    let len = id.len();
    let word = |at: usize| -> u64 {
        let mut w = [0u8; 8];
        if let Some(b) = id.get(at..at + 8) {
            w.copy_from_slice(b);
        }
        u64::from_le_bytes(w)
    };
    let half = |at: usize| -> u64 {
        let mut w = [0u8; 4];
        if let Some(b) = id.get(at..at + 4) {
            w.copy_from_slice(b);
        }
        u64::from(u32::from_le_bytes(w))
    };
    let (lo, hi) = match len {
        0..4 => (id.iter().rev().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)), 0),
        4..8 => (half(0) | (half(len - 4) << 32), 0),
        8..16 => (word(0), word(len - 8) >> 8),
        _ => return None,
    };
    Some(u128::from(lo) | (u128::from(hi) << 64) | (u128::from(u8::try_from(len).ok()?) << 120))
}

impl Interner {
    pub(crate) fn from_names<I: IntoIterator<Item = String>>(names: I) -> Self {
        let mut i = Self::default();
        for n in names {
            i.insert(n);
        }
        i
    }

    #[inline]
    pub(crate) fn get(&self, id: &[u8]) -> Option<u32> {
        match pack(id) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(id).copied(),
        }
    }

    pub(crate) fn insert(&mut self, name: String) -> u32 {
        if let Some(i) = self.get(name.as_bytes()) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        match pack(name.as_bytes()) {
            Some(key) => self.short.insert(key, i),
            None => self.long.insert(name.as_bytes().into(), i),
        };
        self.names.push(name);
        i
    }

    pub(crate) fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_is_one_to_one_for_short_ids() {
        let mut seen = std::collections::HashMap::new();
        let alphabet = [b'a', b'b', 0, 0xff];
        // Every id of up to 9 bytes over a small alphabet, plus some longer ones.
        let mut ids: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..9 {
            let longer: Vec<Vec<u8>> = ids
                .iter()
                .filter(|i| i.len() == ids.last().map_or(0, Vec::len))
                .flat_map(|i| alphabet.iter().map(move |c| [i.as_slice(), &[*c]].concat()))
                .collect();
            ids.extend(longer);
        }
        ids.extend((10..=15).map(|n| vec![b'x'; n]));
        ids.extend((10..=15).map(|n| [vec![b'y'], vec![b'x'; n - 1]].concat()));
        for id in &ids {
            let key = pack(id).unwrap();
            if let Some(other) = seen.insert(key, id.clone()) {
                panic!("{id:?} and {other:?} pack alike");
            }
        }
        assert_eq!(pack(&[b'z'; 16]), None);
        let mut interner = Interner::default();
        let a = interner.insert("1.000563".to_owned());
        let b = interner.insert("a-very-long-procedure-code".to_owned());
        assert_eq!(interner.get(b"1.000563"), Some(a));
        assert_eq!(interner.get(b"a-very-long-procedure-code"), Some(b));
        assert_eq!(interner.get(b"1.000564"), None);
    }
}
