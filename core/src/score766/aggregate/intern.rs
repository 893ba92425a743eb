//! Ids (of units, of procedures) interned to dense indices, looked up from bytes without
//! allocating: one hash lookup per row and id.

use rustc_hash::FxHashMap;

/// Ids (of units or procedures) interned to dense indices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Interner {
    pub(crate) names: Vec<String>,
    /// Ids of up to 15 bytes, packed into an integer: no pointer to follow, no `memcmp`. Fx
    /// hashing (fast, not flooding-resistant): the ids come from the administration's own files,
    /// and the hot path hashes one unit id and one procedure id per row.
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<[u8]>, u32>,
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
