//! Touchpoint scorecards (即评): the statistics of a score column per group
//! and period — mean, top-box share (满意率), bottom-box share (不满率), the
//! Net Promoter Score on 0–10 (Reichheld 2003) — with their intervals and the
//! tests of a change between two periods.
//!
//! - Shares get Wilson (1927) score intervals:
//!   `(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`.
//! - NPS = 100·(p₊ − p₋) with p₊ the share of 9–10 and p₋ the share of 0–6;
//!   its variance is `Var = (p₊ + p₋ − (p₊ − p₋)²)/n` (the multinomial
//!   variance of a difference of two shares of one sample; e.g. Rocks 2016),
//!   interval `NPS ± z·100·√Var`, clipped to [−100, 100].
//! - A change of a share between two independent periods is tested with the
//!   pooled two-proportion z test (e.g. Agresti 2013, §3.1): `z = (p̂₁ − p̂₂) /
//!   √(p̄(1−p̄)(1/n₁ + 1/n₂))`; a change of NPS with `z = (NPS₁ − NPS₂) /
//!   √(SE₁² + SE₂²)`. P-values are two-sided normal.
//!
//! ```
//! use csikit::monitor::scorecard::{nps, wilson};
//! let (lo, hi) = wilson(52, 100, 1.959963984540054);
//! assert!((lo - 0.4232).abs() < 1e-4 && (hi - 0.6154).abs() < 1e-4);
//! let e = nps(50, 20, 100, 1.959963984540054);
//! assert!((e.nps - 30.0).abs() < 1e-12);
//! assert!((e.se - 100.0 * ((0.7_f64 - 0.09) / 100.0).sqrt()).abs() < 1e-12);
//! ```

use serde::{Deserialize, Serialize};

use crate::csi::Scale;
use crate::stats::normal_cdf;

/// Wilson (1927) score interval of a share `successes / n` at the normal
/// quantile `z` (1.96 for 95 %); `(0, 1)` when `n` is 0.
pub fn wilson(successes: usize, n: usize, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// A Net Promoter Score with its standard error and interval, in points
/// (−100 to 100).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NpsEstimate {
    /// 100·(share of promoters − share of detractors).
    pub nps: f64,
    /// Standard error: 100·√((p₊ + p₋ − (p₊ − p₋)²)/n).
    pub se: f64,
    /// Lower end of the interval (at least −100).
    pub lower: f64,
    /// Upper end of the interval (at most 100).
    pub upper: f64,
}

/// NPS of `promoters` and `detractors` among `n` answers, interval at the
/// normal quantile `z` (module documentation for the variance). With `n` 0
/// the estimate is 0 with the whole range as its interval.
pub fn nps(promoters: usize, detractors: usize, n: usize, z: f64) -> NpsEstimate {
    if n == 0 {
        return NpsEstimate {
            nps: 0.0,
            se: f64::INFINITY,
            lower: -100.0,
            upper: 100.0,
        };
    }
    let nf = n as f64;
    let pp = promoters as f64 / nf;
    let pd = detractors as f64 / nf;
    let d = pp - pd;
    let var = ((pp + pd - d * d) / nf).max(0.0);
    let se = 100.0 * var.sqrt();
    let value = 100.0 * d;
    NpsEstimate {
        nps: value,
        se,
        lower: (value - z * se).max(-100.0),
        upper: (value + z * se).min(100.0),
    }
}

/// A test of the change of one statistic between two periods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChangeTest {
    /// Current minus earlier value (a share difference, or NPS points).
    pub change: f64,
    /// The z statistic (null when undefined: no variance in either period
    /// but a change).
    pub z: Option<f64>,
    /// Two-sided p-value (null with `z`).
    pub p: Option<f64>,
}

impl ChangeTest {
    fn from_z(change: f64, se: f64) -> ChangeTest {
        if se > 0.0 && se.is_finite() {
            let z = change / se;
            ChangeTest {
                change,
                z: Some(z),
                p: Some(2.0 * (1.0 - normal_cdf(z.abs()))),
            }
        } else if change == 0.0 {
            ChangeTest {
                change,
                z: Some(0.0),
                p: Some(1.0),
            }
        } else {
            ChangeTest {
                change,
                z: None,
                p: None,
            }
        }
    }

    /// Whether the change is significant at level `alpha`.
    pub fn significant(&self, alpha: f64) -> bool {
        self.p.is_some_and(|p| p < alpha)
    }
}

/// Pooled two-proportion z test of `x1/n1` (current) against `x2/n2`
/// (earlier) (module documentation).
pub fn two_proportion_test(x1: usize, n1: usize, x2: usize, n2: usize) -> ChangeTest {
    if n1 == 0 || n2 == 0 {
        return ChangeTest {
            change: 0.0,
            z: None,
            p: None,
        };
    }
    let (a, b) = (n1 as f64, n2 as f64);
    let change = x1 as f64 / a - x2 as f64 / b;
    let pooled = (x1 + x2) as f64 / (a + b);
    let se = (pooled * (1.0 - pooled) * (1.0 / a + 1.0 / b)).sqrt();
    ChangeTest::from_z(change, se)
}

/// z test of the change of NPS between two independent samples:
/// `(NPS₁ − NPS₂)/√(SE₁² + SE₂²)`.
pub fn nps_difference_test(current: &NpsEstimate, earlier: &NpsEstimate) -> ChangeTest {
    let se = (current.se * current.se + earlier.se * earlier.se).sqrt();
    ChangeTest::from_z(current.nps - earlier.nps, se)
}

/// Which answers count as top box, bottom box, promoters and detractors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Boxes {
    /// Answers at or above this are top box.
    pub top_from: f64,
    /// Answers at or below this are bottom box.
    pub bottom_to: f64,
    /// Whether the scale is 0–10 (NPS defined: promoters 9–10, detractors 0–6).
    pub nps: bool,
}

impl Boxes {
    /// The boxes of a scale: on 0–10, 9–10 and 0–6 (the NPS groups);
    /// otherwise the top two and bottom two answers (`max − 1` and above,
    /// `min + 1` and below).
    pub fn of(scale: Scale) -> Boxes {
        if scale.min == 0.0 && scale.max == 10.0 {
            Boxes {
                top_from: 9.0,
                bottom_to: 6.0,
                nps: true,
            }
        } else {
            Boxes {
                top_from: scale.max - 1.0,
                bottom_to: scale.min + 1.0,
                nps: false,
            }
        }
    }
}

/// The counts of one group's answers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BoxCounts {
    /// Answers.
    pub n: usize,
    /// Sum of the answers (for the mean).
    pub sum: f64,
    /// Top-box answers.
    pub top: usize,
    /// Bottom-box answers.
    pub bottom: usize,
}

impl BoxCounts {
    /// Counts the non-missing answers of `values` (NaN = missing, skipped).
    pub fn count(values: impl IntoIterator<Item = f64>, boxes: &Boxes) -> BoxCounts {
        let mut c = BoxCounts::default();
        for x in values.into_iter().filter(|x| !x.is_nan()) {
            c.n += 1;
            c.sum += x;
            if x >= boxes.top_from {
                c.top += 1;
            }
            if x <= boxes.bottom_to {
                c.bottom += 1;
            }
        }
        c
    }

    /// Mean answer (NaN without answers).
    pub fn mean(&self) -> f64 {
        self.sum / self.n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z95: f64 = 1.959963984540054;

    #[test]
    fn wilson_matches_hand_computation() {
        // 52 of 100, z = 1.96: centre (0.52 + 0.019208)/1.038416 = 0.519259,
        // half 1.96/1.038416·√(0.002496 + 0.0000960) = 0.096096.
        let (lo, hi) = wilson(52, 100, 1.96);
        let centre = (0.52 + 1.96f64.powi(2) / 200.0) / (1.0 + 1.96f64.powi(2) / 100.0);
        let half = 1.96 / (1.0 + 1.96f64.powi(2) / 100.0)
            * (0.52 * 0.48 / 100.0 + 1.96f64.powi(2) / 40000.0).sqrt();
        assert!((lo - (centre - half)).abs() < 1e-12);
        assert!((hi - (centre + half)).abs() < 1e-12);
        assert!((lo - 0.423164).abs() < 1e-5, "{lo}");
        assert!((hi - 0.615356).abs() < 1e-5, "{hi}");
        // Zero successes: the lower end is exactly 0, the upper z²/(n+z²).
        let (lo, hi) = wilson(0, 10, Z95);
        assert_eq!(lo, 0.0);
        assert!((hi - Z95 * Z95 / (10.0 + Z95 * Z95)).abs() < 1e-12);
        assert_eq!(wilson(0, 0, Z95), (0.0, 1.0));
    }

    #[test]
    fn nps_variance_matches_the_formula() {
        // 400 answers: 208 promoters (0.52), 72 detractors (0.18): NPS 34,
        // Var = (0.70 − 0.1156)/400 = 0.001461, SE = 3.8223 points.
        let e = nps(208, 72, 400, Z95);
        assert!((e.nps - 34.0).abs() < 1e-12);
        assert!((e.se - 3.822303).abs() < 1e-6, "{}", e.se);
        assert!((e.lower - (34.0 - Z95 * e.se)).abs() < 1e-12);
        assert!((e.upper - (34.0 + Z95 * e.se)).abs() < 1e-12);
        // All promoters: no variance, interval a point.
        let e = nps(10, 0, 10, Z95);
        assert_eq!((e.nps, e.se, e.lower, e.upper), (100.0, 0.0, 100.0, 100.0));
    }

    #[test]
    fn change_tests_match_hand_computation() {
        // 60/100 vs 45/100: pooled 0.525, SE √(0.525·0.475·0.02) = 0.070622,
        // z = 0.15/0.070622 = 2.12398, p = 0.03367.
        let t = two_proportion_test(60, 100, 45, 100);
        assert!((t.change - 0.15).abs() < 1e-12);
        assert!((t.z.unwrap() - 2.123977).abs() < 1e-5, "{:?}", t.z);
        assert!((t.p.unwrap() - 0.033672).abs() < 1e-5, "{:?}", t.p);
        assert!(t.significant(0.05) && !t.significant(0.01));
        // NPS: 34 (SE 3.8223) vs 20 with 200 answers of 0.40/0.20:
        // Var = (0.60 − 0.04)/200 = 0.0028, SE 5.2915; z = 14/6.5276 = 2.14473.
        let a = nps(208, 72, 400, Z95);
        let b = nps(80, 40, 200, Z95);
        let t = nps_difference_test(&a, &b);
        assert!((t.change - 14.0).abs() < 1e-12);
        assert!((t.z.unwrap() - 2.144728).abs() < 1e-5, "{:?}", t.z);
        // Equal and degenerate.
        let t = two_proportion_test(0, 10, 0, 20);
        assert_eq!((t.z, t.p), (Some(0.0), Some(1.0)));
        let t = two_proportion_test(10, 10, 0, 20);
        assert!(
            (t.z.unwrap() - (1.0 / ((1.0 / 3.0) * (2.0 / 3.0) * 0.15f64).sqrt())).abs() < 1e-12
        );
        // Both NPS without variance but different: no z.
        let t = nps_difference_test(&nps(10, 0, 10, Z95), &nps(0, 10, 10, Z95));
        assert_eq!((t.change, t.z, t.p), (200.0, None, None));
    }

    #[test]
    fn boxes_follow_the_scale() {
        let b = Boxes::of(Scale::new(0.0, 10.0));
        assert!(b.nps);
        let c = BoxCounts::count([10.0, 9.0, 8.0, 7.0, 6.0, 0.0, f64::NAN], &b);
        assert_eq!((c.n, c.top, c.bottom), (6, 2, 2));
        assert!((c.mean() - 40.0 / 6.0).abs() < 1e-12);
        let b = Boxes::of(Scale::new(1.0, 5.0));
        assert!(!b.nps);
        let c = BoxCounts::count([5.0, 4.0, 3.0, 2.0, 1.0], &b);
        assert_eq!((c.top, c.bottom), (2, 2));
    }
}
