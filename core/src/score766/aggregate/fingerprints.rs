//! A compact set of id hashes: 56 of each hash's 64 bits in 5 bytes, for the duplicate check of a
//! file that can be read twice ([`super::ids`]).
//!
//! The top 16 bits of a hash pick one of 65 536 segments and are not stored; the low 40 bits are
//! stored (5 bytes, never all zero) in that segment, an open-addressing table whose home slot is
//! derived from the stored bits. A segment grows alone, by an eighth, when it is 87.5 % full:
//! there is no whole-table rehash and no moment where two copies of the table are resident, and
//! the tables stay 77 % to 87.5 % full (small steps also let the allocator reuse the space a
//! grown segment leaves for the next one): 6 to 8 bytes a dossier with the allocator's share.
//!
//! Two hashes that agree on those 56 bits are taken for one here. That only makes a candidate,
//! which the second reading checks against the whole 64-bit hash: the warnings are those of the
//! exact table. Among `n` distinct ids the odds that any candidate is such a false one are about
//! `n² / 2⁵⁷`: 7 in 10 000 at 10 million ids (the file is then read twice for nothing).

/// Segments: the top bits of a hash.
const SEGMENT_BITS: u32 = 16;
/// The bits of a hash stored in a slot.
const KEY_BITS: u32 = 40;
const KEY_MASK: u64 = (1 << KEY_BITS) - 1;

/// One stored key: 40 bits, little-endian; all zeros marks an empty slot.
type Slot = [u8; 5];

/// The hashes seen, 56 bits of each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Fingerprints {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Segment {
    slots: Vec<Slot>,
    len: usize,
}

/// The segment of `hash` and its stored key (never zero).
#[inline]
pub(crate) fn split(hash: u64) -> (usize, u64) {
    let segment = usize::try_from(hash >> (64 - SEGMENT_BITS)).unwrap_or(0);
    let key = hash & KEY_MASK;
    (segment, if key == 0 { 1 } else { key })
}

#[inline]
fn slot_bytes(key: u64) -> Slot {
    let b = key.to_le_bytes();
    [b[0], b[1], b[2], b[3], b[4]]
}

#[inline]
fn slot_key(slot: Slot) -> u64 {
    let [a, b, c, d, e] = slot;
    u64::from_le_bytes([a, b, c, d, e, 0, 0, 0])
}

/// The home slot of `key` in a table of `cap` slots (the high bits of `key · cap`).
#[inline]
fn home(key: u64, cap: usize) -> usize {
    let cap = u64::try_from(cap).unwrap_or(u64::MAX);
    usize::try_from((u128::from(key) * u128::from(cap)) >> KEY_BITS).unwrap_or(0)
}

impl Segment {
    /// Inserts `key`; returns whether it was there already.
    #[inline]
    fn insert(&mut self, key: u64) -> bool {
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow();
        }
        let cap = self.slots.len();
        let want = slot_bytes(key);
        let mut i = home(key, cap);
        for _ in 0..cap {
            match self.slots.get_mut(i) {
                Some(slot) if *slot == [0; 5] => {
                    *slot = want;
                    self.len += 1;
                    return false;
                }
                Some(slot) if *slot == want => return true,
                _ => i = if i + 1 == cap { 0 } else { i + 1 },
            }
        }
        false
    }

    /// An eighth larger (at least 8 slots, 4 more), the keys placed again.
    fn grow(&mut self) {
        let cap = (self.slots.len() + (self.slots.len() / 8).max(4)).max(8);
        let old = std::mem::replace(&mut self.slots, vec![[0; 5]; cap]);
        self.len = 0;
        for slot in old.into_iter().filter(|s| *s != [0; 5]) {
            self.insert(slot_key(slot));
        }
    }
}

impl Fingerprints {
    /// Inserts `hash`; returns whether a hash that agrees with it on the kept bits was there.
    #[inline]
    pub(crate) fn insert(&mut self, hash: u64) -> bool {
        if self.segments.is_empty() {
            self.segments = vec![Segment::default(); 1 << SEGMENT_BITS];
        }
        let (segment, key) = split(hash);
        self.segments.get_mut(segment).is_some_and(|s| s.insert(key))
    }

    /// Inserts each of `hashes` in turn; returns the positions of those whose kept bits were seen
    /// (before, or earlier in `hashes`). The two halves of the segments (by the top bit) are
    /// independent: with the `parallel` feature they are filled by two threads, as the inserts
    /// mostly wait for memory. The positions are the same either way, in order within each half.
    pub(crate) fn insert_all(&mut self, hashes: &[u64]) -> Vec<usize> {
        if self.segments.is_empty() {
            self.segments = vec![Segment::default(); 1 << SEGMENT_BITS];
        }
        let (low, high) = self.segments.split_at_mut(1 << (SEGMENT_BITS - 1));
        let fill = |segments: &mut [Segment], base: usize, top: u64| -> Vec<usize> {
            let mut seen = Vec::new();
            for (at, hash) in hashes.iter().enumerate().filter(|(_, h)| **h >> 63 == top) {
                let (segment, key) = split(*hash);
                if segment.checked_sub(base).and_then(|i| segments.get_mut(i)).is_some_and(|s| s.insert(key)) {
                    seen.push(at);
                }
            }
            seen
        };
        #[cfg(feature = "parallel")]
        let (mut seen, high_seen) = rayon::join(|| fill(low, 0, 0), || fill(high, 1 << (SEGMENT_BITS - 1), 1));
        #[cfg(not(feature = "parallel"))]
        let (mut seen, high_seen) = (fill(low, 0, 0), fill(high, 1 << (SEGMENT_BITS - 1), 1));
        seen.extend(high_seen);
        seen
    }

    /// The number of distinct keys.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.segments.iter().map(|s| s.len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_again_after_their_segments_grew() {
        let mut f = Fingerprints::default();
        let hash = |i: u64| super::super::ids::hash_id(format!("HS-{i}").as_bytes());
        for i in 0..300_000u64 {
            assert!(!f.insert(hash(i)), "{i}");
        }
        assert_eq!(f.len(), 300_000);
        for i in (0..300_000u64).step_by(7) {
            assert!(f.insert(hash(i)), "{i}");
        }
        assert_eq!(f.len(), 300_000);
        // In bulk, split between the two halves: seen before, or earlier in the same call.
        let bulk: Vec<u64> = [5, 300_001, 300_002, 300_001, 14].into_iter().map(hash).collect();
        let mut seen = f.insert_all(&bulk);
        seen.sort_unstable();
        assert_eq!(seen, [0, 3, 4]);
        // The same low 40 bits and top 16 bits: one key; another top: another segment.
        assert!(!f.insert(0x0000_0000_0000_0000));
        assert!(f.insert(0x0000_ff00_0000_0001));
        assert!(!f.insert(0x0001_0000_0000_0001));
    }
}
