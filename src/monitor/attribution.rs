//! Change attribution (异动归因): the change of an aggregate rate between two
//! periods split into **mix** effects (segment shares) and **rate** effects
//! (within segments) by the symmetric decomposition of Kitagawa (1955)
//! (the shift-share form; Das Gupta 1993, ch. 2).
//!
//! With segment shares `wᵢ = nᵢ/N` of the exposure and segment rates
//! `rᵢ = cᵢ/nᵢ`, the aggregate rate is `R = Σ wᵢrᵢ` and
//!
//! `R₁ − R₀ = Σ (r₁ᵢ − r₀ᵢ)·(w₀ᵢ + w₁ᵢ)/2  +  Σ (w₁ᵢ − w₀ᵢ)·(r₀ᵢ + r₁ᵢ)/2`
//!
//! (rate effects + mix effects), an identity: the parts add up to the total
//! change exactly. A segment present in one period only has its rate taken
//! as the same in both, so its whole contribution is mix. The same split
//! applies to a mean score (`cᵢ` = the sum of the scores, `nᵢ` = answers),
//! e.g. an index across regions.
//!
//! ```
//! use csikit::monitor::attribution::{decompose, SegmentCounts};
//! let seg = |name: &str, c0, n0, c1, n1| SegmentCounts { segment: name.into(), count0: c0, exposure0: n0, count1: c1, exposure1: n1 };
//! let d = decompose(&[seg("a", 10.0, 100.0, 30.0, 200.0), seg("b", 40.0, 100.0, 20.0, 50.0)], 1.0)?;
//! assert!((d.change - (d.mix_effect + d.rate_effect)).abs() < 1e-14);
//! # Ok::<(), csikit::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// One segment's events and exposure in the earlier (0) and current (1) period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentCounts {
    /// The segment (region, category, plan …).
    pub segment: String,
    /// Events (or the sum of scores) in the earlier period.
    pub count0: f64,
    /// Exposure (customers, answers) in the earlier period; 0 = absent.
    pub exposure0: f64,
    /// Events in the current period.
    pub count1: f64,
    /// Exposure in the current period; 0 = absent.
    pub exposure1: f64,
}

/// One segment's part of the change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The segment.
    pub segment: String,
    /// Share of the exposure, earlier.
    pub share0: f64,
    /// Share of the exposure, current.
    pub share1: f64,
    /// Rate earlier (×`per`; null when absent).
    pub rate0: Option<f64>,
    /// Rate current (×`per`; null when absent).
    pub rate1: Option<f64>,
    /// Mix effect `(w₁ − w₀)(r₀ + r₁)/2` (×`per`).
    pub mix_effect: f64,
    /// Rate effect `(r₁ − r₀)(w₀ + w₁)/2` (×`per`).
    pub rate_effect: f64,
    /// Mix + rate.
    pub total: f64,
}

/// The decomposition of an aggregate rate change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decomposition {
    /// The unit of the rates (e.g. 10 000: complaints per 10 000 customers).
    pub per: f64,
    /// Aggregate rate earlier (×`per`).
    pub rate0: f64,
    /// Aggregate rate current (×`per`).
    pub rate1: f64,
    /// `rate1 − rate0`.
    pub change: f64,
    /// Sum of the mix effects.
    pub mix_effect: f64,
    /// Sum of the rate effects.
    pub rate_effect: f64,
    /// Per segment, largest absolute contribution first (ties by name).
    pub contributions: Vec<Contribution>,
}

impl Decomposition {
    /// The `k` largest contributors to the change (by absolute total).
    pub fn top(&self, k: usize) -> &[Contribution] {
        &self.contributions[..k.min(self.contributions.len())]
    }
}

/// Decomposes the change of the aggregate rate (module documentation);
/// rates are multiplied by `per` (10 000 for 万投比, 1 for shares or means).
///
/// # Errors
/// [`Error::ZeroCustomers`] for a negative or non-finite exposure, or a
/// period whose total exposure is 0; [`Error::InvalidSetting`] for a
/// non-finite count or `per` that is not positive.
pub fn decompose(segments: &[SegmentCounts], per: f64) -> Result<Decomposition> {
    if !(per > 0.0 && per.is_finite()) {
        return Err(Error::InvalidSetting {
            name: "per".into(),
            message: format!("{per} is not a positive rate unit"),
        });
    }
    for s in segments {
        for (period, value) in [("earlier", s.exposure0), ("current", s.exposure1)] {
            if !(value >= 0.0 && value.is_finite()) {
                return Err(Error::ZeroCustomers {
                    period: period.into(),
                    segment: s.segment.clone(),
                    value,
                });
            }
        }
        if !(s.count0.is_finite() && s.count1.is_finite()) {
            return Err(Error::InvalidSetting {
                name: "count".into(),
                message: format!("segment `{}` has a count that is not a number", s.segment),
            });
        }
    }
    let n0: f64 = segments.iter().map(|s| s.exposure0).sum();
    let n1: f64 = segments.iter().map(|s| s.exposure1).sum();
    for (period, value) in [("earlier", n0), ("current", n1)] {
        if !(value > 0.0) {
            return Err(Error::ZeroCustomers {
                period: period.into(),
                segment: String::new(),
                value,
            });
        }
    }
    let mut contributions: Vec<Contribution> = segments
        .iter()
        .map(|s| {
            let (w0, w1) = (s.exposure0 / n0, s.exposure1 / n1);
            let r0 = (s.exposure0 > 0.0).then(|| per * s.count0 / s.exposure0);
            let r1 = (s.exposure1 > 0.0).then(|| per * s.count1 / s.exposure1);
            // Absent in one period: the same rate in both (all mix).
            let (a, b) = match (r0, r1) {
                (Some(a), Some(b)) => (a, b),
                (Some(a), None) => (a, a),
                (None, Some(b)) => (b, b),
                (None, None) => (0.0, 0.0),
            };
            let mix = (w1 - w0) * (a + b) / 2.0;
            let rate = (b - a) * (w0 + w1) / 2.0;
            Contribution {
                segment: s.segment.clone(),
                share0: w0,
                share1: w1,
                rate0: r0,
                rate1: r1,
                mix_effect: mix,
                rate_effect: rate,
                total: mix + rate,
            }
        })
        .collect();
    let rate0 = per * segments.iter().map(|s| s.count0).sum::<f64>() / n0;
    let rate1 = per * segments.iter().map(|s| s.count1).sum::<f64>() / n1;
    let mix_effect = contributions.iter().map(|c| c.mix_effect).sum();
    let rate_effect = contributions.iter().map(|c| c.rate_effect).sum();
    contributions.sort_by(|a, b| {
        b.total
            .abs()
            .total_cmp(&a.total.abs())
            .then_with(|| a.segment.cmp(&b.segment))
    });
    Ok(Decomposition {
        per,
        rate0,
        rate1,
        change: rate1 - rate0,
        mix_effect,
        rate_effect,
        contributions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn seg(name: &str, c0: f64, n0: f64, c1: f64, n1: f64) -> SegmentCounts {
        SegmentCounts {
            segment: name.into(),
            count0: c0,
            exposure0: n0,
            count1: c1,
            exposure1: n1,
        }
    }

    #[test]
    fn hand_computed_kitagawa_split() {
        // a: 10/100 → 30/200 (rate 0.1 → 0.15), b: 40/100 → 20/50 (0.4 → 0.4).
        // Shares: a 0.5 → 0.8, b 0.5 → 0.2. R₀ = 0.25, R₁ = 0.2, change −0.05.
        // a: mix 0.3·0.125 = 0.0375, rate 0.05·0.65 = 0.0325;
        // b: mix −0.3·0.4 = −0.12, rate 0.
        let d = decompose(
            &[
                seg("a", 10.0, 100.0, 30.0, 200.0),
                seg("b", 40.0, 100.0, 20.0, 50.0),
            ],
            1.0,
        )
        .unwrap();
        assert!((d.rate0 - 0.25).abs() < 1e-14 && (d.rate1 - 0.2).abs() < 1e-14);
        let b = &d.contributions[0];
        assert_eq!(b.segment, "b");
        assert!((b.mix_effect + 0.12).abs() < 1e-14 && b.rate_effect == 0.0);
        let a = &d.contributions[1];
        assert!((a.mix_effect - 0.0375).abs() < 1e-14);
        assert!((a.rate_effect - 0.0325).abs() < 1e-14);
        assert!((d.mix_effect - (0.0375 - 0.12)).abs() < 1e-14);
        assert!((d.rate_effect - 0.0325).abs() < 1e-14);
        assert!((d.change + 0.05).abs() < 1e-14);
        assert_eq!(d.top(1).len(), 1);
    }

    #[test]
    fn parts_add_up_to_the_total_change() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        for _ in 0..200 {
            let k = rng.random_range(1..12);
            let segs: Vec<SegmentCounts> = (0..k)
                .map(|i| {
                    // Some segments absent in one period.
                    let n0 = if rng.random::<f64>() < 0.15 {
                        0.0
                    } else {
                        rng.random_range(1.0..1e5)
                    };
                    let n1 = if n0 > 0.0 && rng.random::<f64>() < 0.15 {
                        0.0
                    } else {
                        rng.random_range(1.0..1e5)
                    };
                    seg(
                        &format!("s{i}"),
                        if n0 > 0.0 {
                            rng.random_range(0.0..n0 / 100.0)
                        } else {
                            0.0
                        },
                        n0,
                        if n1 > 0.0 {
                            rng.random_range(0.0..n1 / 100.0)
                        } else {
                            0.0
                        },
                        n1,
                    )
                })
                .collect();
            let Ok(d) = decompose(&segs, 10_000.0) else {
                continue;
            };
            let parts: f64 = d.contributions.iter().map(|c| c.total).sum();
            let scale = d.rate0.abs().max(d.rate1.abs()).max(1.0);
            assert!(
                (parts - d.change).abs() <= 1e-12 * scale,
                "{parts} vs {}",
                d.change
            );
            assert!((d.mix_effect + d.rate_effect - d.change).abs() <= 1e-12 * scale);
        }
    }

    #[test]
    fn bad_exposures_are_refused() {
        let e = decompose(&[seg("a", 1.0, -5.0, 1.0, 10.0)], 1.0).unwrap_err();
        assert!(matches!(e, Error::ZeroCustomers { .. }), "{e}");
        let e = decompose(&[seg("a", 0.0, 0.0, 1.0, 10.0)], 1.0).unwrap_err();
        assert!(matches!(e, Error::ZeroCustomers { .. }), "{e}");
        let e = decompose(&[seg("a", 1.0, 5.0, 1.0, 10.0)], 0.0).unwrap_err();
        assert!(matches!(e, Error::InvalidSetting { .. }), "{e}");
    }
}
