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

/// An id of up to 15 bytes as an integer: the bytes, then the length in the top byte.
#[inline]
fn pack(id: &[u8]) -> Option<u128> {
    if id.len() > 15 {
        return None;
    }
    let mut bytes = [0u8; 16];
    bytes.get_mut(..id.len())?.copy_from_slice(id);
    bytes[15] = u8::try_from(id.len()).ok()?;
    Some(u128::from_le_bytes(bytes))
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
