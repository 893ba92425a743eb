//! Projection of a share to its deadline by the three methods of `progress.md`.
//!
//! Projections are forecasts, not published figures, so they use `f64`; the final judgement of a
//! closed period never depends on them. Rules where lower is better (`<=`, `<`) are projected on
//! the complement `1 − x`, which turns them into rules where higher is better.

use serde::{Deserialize, Serialize};

use crate::plan::Method;

/// What a projection says about reaching a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The projection reaches the target.
    OnTrack,
    /// The projection falls short but moves the right way.
    AtRisk,
    /// The trend is flat or moves away from the target.
    OffTrack,
}

/// A point of a series: time in years (a year `t` is at `t`, a month at `t + (m − 0.5) / 12`)
/// and a share in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Time in years.
    pub t: f64,
    /// Share in [0, 1].
    pub x: f64,
}

/// The outcome of a projection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// The verdict.
    pub verdict: Verdict,
    /// The projected share at the target time, in [0, 1].
    pub projected: f64,
    /// Slope per year in share units (linear methods) or the observed growth rate (growth-ratio).
    pub rate: f64,
    /// Growth-ratio R (growth-ratio method only).
    pub ratio: Option<f64>,
}

/// The smallest share used for a zero base in growth-ratio and the logit clamp.
pub const FLOOR: f64 = 0.001;

fn least_squares(points: &[Point]) -> Option<(f64, f64)> {
    #[expect(clippy::cast_precision_loss, reason = "a handful of points")]
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mean_t = points.iter().map(|p| p.t).sum::<f64>() / n;
    let mean_x = points.iter().map(|p| p.x).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.t - mean_t).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.t - mean_t) * (p.x - mean_x)).sum();
    let slope = sxy / sxx;
    Some((slope, mean_x - slope * mean_t))
}

fn logit(x: f64) -> f64 {
    let c = x.clamp(FLOOR, 1.0 - FLOOR);
    (c / (1.0 - c)).ln()
}

fn inv_logit(y: f64) -> f64 {
    1.0 / (1.0 + (-y).exp())
}

/// Tolerance for float noise when a projection lands exactly on the target.
const EPS: f64 = 1e-12;

/// Projects `points` (at least two, at distinct times) to time `target_t` and judges the rule
/// "share ≥ `target`" (pass `higher_is_better = false` for "≤" rules; the series and target are
/// then complemented). `strict` makes the rule "share > target".
#[must_use]
pub fn project(
    method: Method,
    points: &[Point],
    target_t: f64,
    target: f64,
    higher_is_better: bool,
    strict: bool,
) -> Option<Outcome> {
    let flip = |x: f64| if higher_is_better { x } else { 1.0 - x };
    let pts: Vec<Point> = points.iter().map(|p| Point { t: p.t, x: flip(p.x) }).collect();
    let goal = flip(target);
    let reaches = |x: f64| if strict { x > goal + EPS } else { x >= goal - EPS };
    let outcome = match method {
        Method::Linear | Method::Logit => {
            let logit_space = method == Method::Logit;
            let fitted: Vec<Point> =
                pts.iter().map(|p| Point { t: p.t, x: if logit_space { logit(p.x) } else { p.x } }).collect();
            let (slope, intercept) = least_squares(&fitted)?;
            let raw = slope * target_t + intercept;
            let projected = if logit_space { inv_logit(raw) } else { raw.clamp(0.0, 1.0) };
            let verdict = if reaches(projected) {
                Verdict::OnTrack
            } else if slope > 0.0 {
                Verdict::AtRisk
            } else {
                Verdict::OffTrack
            };
            Outcome {
                verdict,
                projected: flip(projected),
                rate: if higher_is_better { slope } else { -slope },
                ratio: None,
            }
        }
        Method::GrowthRatio => {
            let first = pts.first()?;
            let last = pts.last()?;
            let span = last.t - first.t;
            let horizon = target_t - first.t;
            if span <= 0.0 || horizon <= 0.0 {
                return None;
            }
            let base = first.x.max(FLOOR);
            let observed = (last.x.max(FLOOR) / base).powf(1.0 / span) - 1.0;
            let required = (goal.max(FLOOR) / base).powf(1.0 / horizon) - 1.0;
            let projected = (last.x.max(FLOOR) * (1.0 + observed).powf(target_t - last.t)).clamp(0.0, 1.0);
            let (verdict, ratio) = if required <= 0.0 {
                // The target is at or below the base: falling under it means the trend moved away.
                (if observed >= 0.0 { Verdict::AtRisk } else { Verdict::OffTrack }, None)
            } else {
                let r = observed / required;
                let v = if r >= 0.95 {
                    Verdict::OnTrack
                } else if r >= 0.0 {
                    Verdict::AtRisk
                } else {
                    Verdict::OffTrack
                };
                (v, Some(r))
            };
            Outcome { verdict, projected: flip(projected), rate: observed, ratio }
        }
    };
    Some(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(xs: &[(f64, f64)]) -> Vec<Point> {
        xs.iter().map(|&(t, x)| Point { t, x }).collect()
    }

    #[test]
    fn linear_on_a_known_series() {
        // 0.40, 0.50, 0.60 in 2024..2026: slope 0.1 a year, 2030 → 1.0 (clamped).
        let p = pts(&[(2024.0, 0.40), (2025.0, 0.50), (2026.0, 0.60)]);
        let o = project(Method::Linear, &p, 2030.0, 0.70, true, false).unwrap();
        assert_eq!(o.verdict, Verdict::OnTrack);
        assert!((o.projected - 1.0).abs() < 1e-9);
        assert!((o.rate - 0.1).abs() < 1e-9);
        // 0.30, 0.32, 0.34: 2030 → 0.42 < 0.70, rising: at risk.
        let p = pts(&[(2024.0, 0.30), (2025.0, 0.32), (2026.0, 0.34)]);
        let o = project(Method::Linear, &p, 2030.0, 0.70, true, false).unwrap();
        assert_eq!(o.verdict, Verdict::AtRisk);
        assert!((o.projected - 0.42).abs() < 1e-9);
        // Falling: off track.
        let p = pts(&[(2024.0, 0.45), (2025.0, 0.42), (2026.0, 0.40)]);
        assert_eq!(project(Method::Linear, &p, 2030.0, 0.70, true, false).unwrap().verdict, Verdict::OffTrack);
        // A single point cannot be projected.
        assert!(project(Method::Linear, &pts(&[(2026.0, 0.5)]), 2030.0, 0.7, true, false).is_none());
    }

    #[test]
    fn growth_ratio_as_open_sdg() {
        // x0 = 0.2 (2020), xt = 0.4 (2024), x* = 0.8 (2030).
        // CAGR_obs = 2^(1/4) − 1 = 0.189207; CAGR_req = 4^(1/10) − 1 = 0.148698; R = 1.2724 → on track.
        let p = pts(&[(2020.0, 0.2), (2024.0, 0.4)]);
        let o = project(Method::GrowthRatio, &p, 2030.0, 0.8, true, false).unwrap();
        assert!((o.ratio.unwrap() - 1.272_42).abs() < 1e-4, "{o:?}");
        assert_eq!(o.verdict, Verdict::OnTrack);
        // x0 = 0.5, xt = 0.52 over 4 years, x* = 0.8 by 2030: R = 0.2273 → at risk.
        let p = pts(&[(2020.0, 0.5), (2024.0, 0.52)]);
        let o = project(Method::GrowthRatio, &p, 2030.0, 0.8, true, false).unwrap();
        assert_eq!(o.verdict, Verdict::AtRisk);
        let p = pts(&[(2020.0, 0.5), (2024.0, 0.45)]);
        assert_eq!(project(Method::GrowthRatio, &p, 2030.0, 0.8, true, false).unwrap().verdict, Verdict::OffTrack);
        // A zero base is taken as 0.001.
        let p = pts(&[(2020.0, 0.0), (2024.0, 0.3)]);
        assert!(project(Method::GrowthRatio, &p, 2030.0, 0.8, true, false).is_some());
    }

    #[test]
    fn logit_stays_inside_the_unit_interval() {
        let p = pts(&[(2024.0, 0.90), (2025.0, 0.95), (2026.0, 0.98)]);
        let o = project(Method::Logit, &p, 2030.0, 0.99, true, false).unwrap();
        assert!(o.projected < 1.0 && o.projected > 0.98);
        assert_eq!(o.verdict, Verdict::OnTrack);
        let lin = project(Method::Linear, &p, 2030.0, 0.99, true, false).unwrap();
        assert!((lin.projected - 1.0).abs() < 1e-12, "the line leaves [0, 1] and is clamped");
    }

    #[test]
    fn lower_is_better_rules_are_complemented() {
        let p = pts(&[(2024.0, 0.30), (2025.0, 0.20), (2026.0, 0.10)]);
        let o = project(Method::Linear, &p, 2030.0, 0.05, false, false).unwrap();
        assert_eq!(o.verdict, Verdict::OnTrack);
        assert!(o.projected.abs() < 1e-9);
    }
}
