//! A small, seedable, platform-independent random source and a weighted sampler.
//!
//! The generator must give the same bytes for the same seed on every machine and every release,
//! so it carries its own generator (wyrand, seeded through splitmix64) instead of a crate whose
//! stream may change between versions.

/// wyrand: one 64-bit word of state, one 128-bit multiply per draw.
#[derive(Debug, Clone)]
pub struct Rng(u64);

/// splitmix64, to spread a user seed (often 0, 1, 2 …) over the whole state.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A probability in millionths, as the threshold [`Rng::chance`] compares a draw with.
#[must_use]
pub const fn ppm(millionths: u64) -> u64 {
    (u64::MAX / 1_000_000).saturating_mul(millionths)
}

impl Rng {
    /// A generator for `seed` and an independent `stream` (so that units, procedures, dossiers and
    /// feedback each have their own sequence and changing one file's size leaves the others alone).
    #[must_use]
    pub fn new(seed: u64, stream: u64) -> Self {
        Self(splitmix64(seed ^ splitmix64(stream)))
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0xa076_1d64_78bd_642f);
        let t = u128::from(self.0) * u128::from(self.0 ^ 0xe703_7ed1_a0b4_28db);
        ((t >> 64) as u64) ^ (t as u64)
    }

    /// A number in `0..n` (0 when `n` is 0), by Lemire's multiply-shift; the bias is below 2⁻⁴⁰
    /// for the ranges used here, far under anything a proportion in the data could show.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    #[inline]
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo).saturating_add(1))
    }

    /// True with the probability `threshold / 2⁶⁴` (see [`ppm`]).
    #[inline]
    pub fn chance(&mut self, threshold: u64) -> bool {
        self.next_u64() < threshold
    }
}

/// Walker's alias method over integer weights: O(1) per draw, exact to 2⁻⁶⁴.
#[derive(Debug, Clone)]
pub struct Alias {
    /// For slot i: keep i when the draw is below `keep[i]`, else take `alias[i]`.
    keep: Vec<u64>,
    alias: Vec<u32>,
}

impl Alias {
    /// A sampler drawing index i with probability `weights[i] / sum`. All-zero or empty weights
    /// give a sampler that always draws 0.
    #[must_use]
    pub fn new(weights: &[u64]) -> Self {
        let n = weights.len();
        let total: u128 = weights.iter().map(|w| u128::from(*w)).sum();
        if n == 0 || total == 0 {
            return Self { keep: vec![u64::MAX], alias: vec![0] };
        }
        // Scaled so that the mean slot holds exactly `total`.
        let mut scaled: Vec<u128> = weights.iter().map(|w| u128::from(*w) * n as u128).collect();
        let mut keep = vec![u64::MAX; n];
        let mut alias: Vec<u32> = (0..n).map(|i| u32::try_from(i).unwrap_or(u32::MAX)).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|i| scaled.get(*i) < Some(&total));
        while let (Some(s), Some(l)) = (small.pop(), large.last().copied()) {
            let ws = scaled.get(s).copied().unwrap_or(0);
            if let Some(k) = keep.get_mut(s) {
                // ws < total, so the quotient fits below 2⁶⁴.
                *k = u64::try_from((ws << 64) / total).unwrap_or(u64::MAX);
            }
            if let Some(a) = alias.get_mut(s) {
                *a = u32::try_from(l).unwrap_or(0);
            }
            if let Some(wl) = scaled.get_mut(l) {
                *wl = (*wl + ws).saturating_sub(total);
                if *wl < total {
                    large.pop();
                    small.push(l);
                }
            }
        }
        Self { keep, alias }
    }

    /// One index.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let i = rng.below(self.keep.len() as u64) as usize;
        let r = rng.next_u64();
        match self.keep.get(i) {
            Some(k) if r < *k => i,
            _ => self.alias.get(i).map_or(0, |a| *a as usize),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7, 1);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let mut r = Rng::new(7, 1);
        assert_eq!(a, (0..5).map(|_| r.next_u64()).collect::<Vec<_>>());
        let mut other = Rng::new(7, 2);
        assert_ne!(a[0], other.next_u64());
    }

    #[test]
    fn alias_follows_weights() {
        let alias = Alias::new(&[1, 0, 3]);
        let mut rng = Rng::new(1, 0);
        let mut counts = [0u32; 3];
        for _ in 0..40_000 {
            counts[alias.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((9_000..11_000).contains(&counts[0]), "{counts:?}");
        assert!((29_000..31_000).contains(&counts[2]), "{counts:?}");
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(3, 3);
        assert!((0..1000).all(|_| rng.below(10) < 10));
        assert_eq!(rng.below(0), 0);
        assert!((0..1000).all(|_| (5..=9).contains(&rng.between(5, 9))));
    }
}
