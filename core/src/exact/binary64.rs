//! The national portal's online-payment arithmetic, reproduced exactly in integers (the
//! `percent-first-binary64` arithmetic of a profile's metric).
//!
//! The portal scores the three `TTTT` metrics from a percentage rounded to two decimals, in binary
//! floating point: `r = toFixed((n / d) · 100, 2)`, then `toFixed(r · P / 100, 2)` (linear) or
//! `toFixed(r · P / T, 2)` below the threshold T (full points from T up). Where `r · P / 100` is
//! exactly half a hundredth in decimal (`65.75 % · 6 = 3.945`), the binary value is a hair above or
//! below it, and that hair decides the published digit (3.94; but 4.70 for `78.25 % · 6`). Every
//! step here is the correctly rounded IEEE 754 binary64 operation, computed on integers, so the
//! result is the portal's to the bit and no float of this machine decides anything.

use super::round_half_up;

/// A non-negative binary64 value `m · 2^e` (`m < 2^53`), held exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Binary64 {
    m: u128,
    e: i32,
}

fn bits(x: u128) -> i32 {
    i32::try_from(128 - x.leading_zeros()).unwrap_or(128)
}

/// `x · 2^s` for `s ≥ 0`, `None` on overflow.
fn shl(x: u128, s: i32) -> Option<u128> {
    let s = u32::try_from(s).ok()?;
    if x == 0 {
        return Some(0);
    }
    if s >= 128 || bits(x) + i32::try_from(s).ok()? > 127 {
        return None;
    }
    Some(x << s)
}

/// The binary64 value nearest to `num · 2^exp / den` (ties to even), normal range only.
fn nearest(num: u128, den: u128, exp: i32) -> Option<Binary64> {
    if den == 0 {
        return None;
    }
    if num == 0 {
        return Some(Binary64 { m: 0, e: 0 });
    }
    // Scale so that the integer quotient has 54 or 55 bits.
    let s = 54 - (bits(num) - bits(den));
    let (n, d) = if s >= 0 { (shl(num, s)?, den) } else { (num, shl(den, -s)?) };
    let (q, r) = (n / d, n % d);
    let extra = (bits(q) - 53).max(0);
    let dropped = q & ((1u128 << extra) - 1);
    let mut m = q >> extra;
    // The part below `m`'s last bit, as a fraction of that bit: (dropped · d + r) / (2^extra · d).
    let below = dropped.checked_mul(d)?.checked_add(r)?;
    let unit = shl(d, extra)?;
    let twice = below.checked_mul(2)?;
    if twice > unit || (twice == unit && m % 2 == 1) {
        m += 1;
    }
    let mut e = exp.checked_sub(s)?.checked_add(extra)?;
    if m >> 53 != 0 {
        m >>= 1;
        e += 1;
    }
    Some(Binary64 { m, e })
}

impl Binary64 {
    /// `num / den` as a fraction `(p, q)` with `q` a power of two.
    fn fraction(self) -> Option<(u128, u128)> {
        if self.e >= 0 { Some((shl(self.m, self.e)?, 1)) } else { Some((self.m, shl(1, -self.e)?)) }
    }

    /// `self · k / div`, correctly rounded as two binary64 operations (`(self · k) / div`).
    fn times_then_divide(self, k: u128, div: u128) -> Option<Self> {
        let product = nearest(self.m.checked_mul(k)?, 1, self.e)?;
        nearest(product.m, div, product.e)
    }

    /// JavaScript's `toFixed(2)` read back as a count of hundredths: half-up on the exact value.
    fn hundredths(self) -> Option<u128> {
        let (p, q) = self.fraction()?;
        round_half_up(p.checked_mul(100)?, q)
    }
}

/// The percentage `toFixed((n / d) · 100, 2)` in hundredths of a percent, as the portal rounds it.
#[must_use]
pub fn portal_percent(numerator: u64, denominator: u64) -> Option<u128> {
    let ratio = nearest(u128::from(numerator), u128::from(denominator), 0)?;
    nearest(ratio.m.checked_mul(100)?, 1, ratio.e)?.hundredths()
}

/// The portal's score of a `TTTT` metric in hundredths of a point: `P` points, linear (`threshold`
/// `None`) or full from `threshold` percent up. `None` for a zero denominator (the caller applies
/// the zero-denominator default) or a value out of range.
#[must_use]
pub fn portal_score(numerator: u64, denominator: u64, max: u32, threshold_percent: Option<u32>) -> Option<u128> {
    let percent = portal_percent(numerator, denominator)?;
    // The percentage as JavaScript reads it back from its two-decimal text.
    let r = nearest(percent, 100, 0)?;
    let max = u128::from(max);
    match threshold_percent {
        None => r.times_then_divide(max, 100)?.hundredths(),
        Some(t) => {
            let t = u128::from(t);
            // `r >= T`, compared exactly.
            let (p, q) = r.fraction()?;
            if p >= t.checked_mul(q)? {
                return Some(max * 100);
            }
            r.times_then_divide(max, t)?.hundredths()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_matches_this_machines_binary64() {
        // A test may use floats: it checks the integer emulation against the hardware.
        for (n, d) in [(1u64, 3u64), (2, 3), (745, 1133), (295, 377), (552, 559), (1, 10), (7, 32), (u64::MAX, 3)] {
            let b = nearest(u128::from(n), u128::from(d), 0).unwrap();
            #[expect(clippy::cast_precision_loss, reason = "the reference value is the float")]
            let f = n as f64 / d as f64;
            let (p, q) = b.fraction().unwrap();
            #[expect(clippy::cast_precision_loss, reason = "exact: p < 2^53 and q a power of two")]
            let back = p as f64 / q as f64;
            assert_eq!(back.to_bits(), f.to_bits(), "{n}/{d}");
        }
    }

    #[test]
    fn published_ties_go_the_portals_way() {
        // 745/1133 → 65.75 % → 6 · 0.6575 = 3.945 → 3.94; 295/377 → 78.25 % → 4.695 → 4.70;
        // 552/559 → 98.75 % → 5.925 → 5.92; 9/36 → 25 % → 2 · 25 / 80 = 0.625 → 0.63.
        assert_eq!(portal_score(745, 1133, 6, None), Some(394));
        assert_eq!(portal_score(295, 377, 6, None), Some(470));
        assert_eq!(portal_score(552, 559, 6, None), Some(592));
        assert_eq!(portal_score(9, 36, 2, Some(80)), Some(63));
        assert_eq!(portal_score(4, 5, 2, Some(80)), Some(200));
        assert_eq!(portal_score(0, 5, 2, Some(80)), Some(0));
        assert_eq!(portal_score(0, 0, 6, None), None);
        assert_eq!(portal_percent(9, 32), Some(2813));
        assert_eq!(portal_score(u64::MAX, u64::MAX, 6, None), Some(600));
    }

    /// The exact value of a finite non-negative double, in hundredths, half-up (JavaScript's
    /// `toFixed(2)`), read from its bits.
    fn to_fixed_hundredths(x: f64) -> u128 {
        if x == 0.0 {
            return 0;
        }
        let bits = x.to_bits();
        let exponent = i32::try_from((bits >> 52) & 0x7ff).unwrap();
        let fraction = u128::from(bits & ((1 << 52) - 1));
        let (m, e) = if exponent == 0 { (fraction, -1074) } else { (fraction | (1 << 52), exponent - 1075) };
        if e >= 0 { (m << e) * 100 } else { round_half_up(m * 100, 1u128 << -e).unwrap() }
    }

    /// The portal's computation, in this machine's binary64 (the reference the integers must match).
    #[expect(clippy::cast_precision_loss, reason = "the reference is the float computation itself")]
    fn with_floats(n: u64, d: u64, max: u32, threshold: Option<u32>) -> u128 {
        let percent = to_fixed_hundredths(n as f64 / d as f64 * 100.0);
        let r = percent as f64 / 100.0;
        let p = f64::from(max);
        match threshold {
            None => to_fixed_hundredths(r * p / 100.0),
            Some(t) if r >= f64::from(t) => u128::from(max) * 100,
            Some(t) => to_fixed_hundredths(r * p / f64::from(t)),
        }
    }

    proptest::proptest! {
        #[test]
        fn the_integers_are_the_binary64_computation(
            a in 0u64..2_000_000, b in 1u64..2_000_000, max in 1u32..21, t in proptest::option::of(1u32..101),
        ) {
            let (n, d) = (a.min(b), a.max(b).max(1));
            proptest::prop_assert_eq!(portal_score(n, d, max, t), Some(with_floats(n, d, max, t)));
        }

        #[test]
        fn the_integers_are_the_binary64_computation_near_ties(k in 0u64..10_000, d in proptest::sample::select(vec![4u64, 8, 16, 32, 36, 40, 48, 80, 400, 800])) {
            // Percentages on an exact hundredth: where a tie of the last rounding is likely.
            let n = (k * d) / 10_000;
            for (max, t) in [(6, None), (2, Some(80)), (6, Some(90)), (4, None), (2, None)] {
                proptest::prop_assert_eq!(portal_score(n, d, max, t), Some(with_floats(n, d, max, t)));
            }
        }
    }
}
