//! Early warning (预警): control limits for rates with per-period exposure,
//! EWMA on index and KPI series, a seasonal expectation from the same month
//! of earlier years, red/amber/green levels with stated thresholds, and a
//! ranked alert list across many units with Benjamini–Hochberg control of
//! the false discovery rate.
//!
//! - **p-chart** (Shewhart 1931; Montgomery 2009, §7.2): a share `x/n` with
//!   centre `p̄ = Σx/Σn` and limits `p̄ ± k·√(p̄(1−p̄)/nᵢ)` for a period with
//!   `nᵢ` cases (limits vary with the exposure; clipped to [0, 1]).
//! - **u-chart** (Montgomery 2009, §7.3): a count per unit of exposure
//!   `cᵢ/nᵢ` (complaints per customer; ×10 000 = 万投比) with centre
//!   `ū = Σc/Σn` and limits `ū ± k·√(ū/nᵢ)` (lower clipped at 0).
//! - **EWMA** (Roberts 1959): `zₜ = λxₜ + (1−λ)zₜ₋₁`, `z₀ = μ₀`, with the
//!   exact limits of Lucas & Saccucci (1990):
//!   `μ₀ ± L·σ·√(λ/(2−λ)·(1 − (1−λ)^{2t}))`.
//! - **Tabular CUSUM** (Page 1954; Montgomery 2009, §9.1): with the
//!   reference value `K = kσ` and the decision interval `H = hσ`,
//!   `C⁺ᵢ = max(0, xᵢ − (μ₀ + K) + C⁺ᵢ₋₁)`,
//!   `C⁻ᵢ = max(0, (μ₀ − K) − xᵢ + C⁻ᵢ₋₁)`, `C⁺₀ = C⁻₀ = 0`; a signal when
//!   `C⁺ᵢ > H` (a rise) or `C⁻ᵢ > H` (a fall). `k = 0.5` is tuned to a
//!   shift of 1σ; `h = 5` gives an in-control average run length of about
//!   465 periods (Montgomery 2009, Table 9.3), close to the EWMA's (about
//!   500 with λ = 0.2 and L ≈ 3; Lucas & Saccucci 1990).
//! - **Levels**: a point's standardized distance `z` from its centre in the
//!   worse direction gives red at `|z| ≥ red` (default 3, the action limits),
//!   amber at `|z| ≥ amber` (default 2, the warning limits), green otherwise.
//! - **Across units** the one-sided p-values of the worse direction are
//!   adjusted by Benjamini & Hochberg (1995): sorted `p₍ᵢ₎`,
//!   `q₍ᵢ₎ = min_{j≥i} m·p₍ⱼ₎/j`; a unit is flagged when `q ≤` the stated
//!   false discovery rate, so 300 cities do not raise 15 false alarms a month.
//!
//! ```
//! use csikit::monitor::warning::{u_chart_limits, benjamini_hochberg};
//! // 5 complaints per 10 000 customers, a month of 40 000 customers, 3σ:
//! let l = u_chart_limits(5e-4, 40_000.0, 3.0);
//! assert!((l.upper - (5e-4 + 3.0 * (5e-4f64 / 40_000.0).sqrt())).abs() < 1e-15);
//! assert_eq!(benjamini_hochberg(&[0.01, 0.04, 0.03]), [0.03, 0.04, 0.04]);
//! ```

use serde::{Deserialize, Serialize};

use crate::period::Period;
use crate::stats::normal_cdf;

/// Centre line and control limits of one point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ControlLimits {
    /// The centre line.
    pub centre: f64,
    /// Lower control limit.
    pub lower: f64,
    /// Upper control limit.
    pub upper: f64,
    /// One standard error at this point (the limits are `centre ± k·sigma`
    /// before clipping).
    pub sigma: f64,
}

/// p-chart limits `p̄ ± k√(p̄(1−p̄)/n)` for a period of `n` cases, clipped to
/// [0, 1].
pub fn p_chart_limits(p_bar: f64, n: f64, k: f64) -> ControlLimits {
    let sigma = (p_bar * (1.0 - p_bar) / n).sqrt();
    ControlLimits {
        centre: p_bar,
        lower: (p_bar - k * sigma).max(0.0),
        upper: (p_bar + k * sigma).min(1.0),
        sigma,
    }
}

/// u-chart limits `ū ± k√(ū/n)` for a period of exposure `n`, lower clipped
/// at 0.
pub fn u_chart_limits(u_bar: f64, exposure: f64, k: f64) -> ControlLimits {
    let sigma = (u_bar / exposure).sqrt();
    ControlLimits {
        centre: u_bar,
        lower: (u_bar - k * sigma).max(0.0),
        upper: u_bar + k * sigma,
        sigma,
    }
}

/// A warning level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Within the warning limits.
    Green,
    /// Beyond the warning limits (default 2σ) in the worse direction.
    Amber,
    /// Beyond the action limits (default 3σ) in the worse direction.
    Red,
}

/// The stated thresholds of the levels, in standard errors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Amber at or beyond this many standard errors (default 2).
    pub amber: f64,
    /// Red at or beyond this many standard errors (default 3).
    pub red: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            amber: 2.0,
            red: 3.0,
        }
    }
}

impl Thresholds {
    /// The level of a standardized distance `z` in the worse direction
    /// (positive = worse).
    pub fn level(&self, z: f64) -> Level {
        if z >= self.red {
            Level::Red
        } else if z >= self.amber {
            Level::Amber
        } else {
            Level::Green
        }
    }
}

/// One charted period of a rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RatePoint {
    /// Events (complaints, dissatisfied answers).
    pub count: f64,
    /// Exposure (customers, answers).
    pub exposure: f64,
    /// `count / exposure`.
    pub rate: f64,
    /// Centre and the action limits (`red` σ).
    pub limits: ControlLimits,
    /// `(rate − centre)/sigma`.
    pub z: f64,
    /// Level (higher rate = worse).
    pub level: Level,
}

/// Which control chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    /// Shares (events ≤ exposure): binomial limits.
    P,
    /// Counts per exposure: Poisson limits.
    U,
}

/// Charts a rate series: the centre from the periods `baseline` (e.g. all
/// but the last), limits per period from its own exposure. Periods with
/// zero exposure get NaN rate and green level; so does every point when the
/// baseline has no exposure.
pub fn rate_chart(
    kind: ChartKind,
    counts: &[f64],
    exposures: &[f64],
    baseline: std::ops::Range<usize>,
    thresholds: &Thresholds,
) -> Vec<RatePoint> {
    let base = baseline.start.min(counts.len())..baseline.end.min(counts.len());
    let c: f64 = counts[base.clone()].iter().sum();
    let n: f64 = exposures[base].iter().sum();
    let centre = if n > 0.0 { c / n } else { f64::NAN };
    counts
        .iter()
        .zip(exposures)
        .map(|(&count, &exposure)| {
            let limits = match kind {
                ChartKind::P => p_chart_limits(centre, exposure, thresholds.red),
                ChartKind::U => u_chart_limits(centre, exposure, thresholds.red),
            };
            let rate = count / exposure;
            let z = (rate - centre) / limits.sigma;
            let level = if z.is_finite() {
                thresholds.level(z)
            } else {
                Level::Green
            };
            RatePoint {
                count,
                exposure,
                rate,
                limits,
                z,
                level,
            }
        })
        .collect()
}

/// One point of an EWMA chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EwmaPoint {
    /// The observation.
    pub value: f64,
    /// The EWMA statistic `zₜ`.
    pub ewma: f64,
    /// Lower limit at `t`.
    pub lower: f64,
    /// Upper limit at `t`.
    pub upper: f64,
}

/// EWMA chart of `values` (Roberts 1959) around the target `mu0` with
/// process standard deviation `sigma`, smoothing `lambda` (0 < λ ≤ 1) and
/// limit width `l` (Lucas & Saccucci 1990 exact limits; module
/// documentation). A missing value (NaN) carries the previous statistic.
pub fn ewma(values: &[f64], mu0: f64, sigma: f64, lambda: f64, l: f64) -> Vec<EwmaPoint> {
    let mut z = mu0;
    let mut t = 0i32;
    values
        .iter()
        .map(|&x| {
            if !x.is_nan() {
                t += 1;
                z = lambda * x + (1.0 - lambda) * z;
            }
            let width =
                l * sigma * (lambda / (2.0 - lambda) * (1.0 - (1.0 - lambda).powi(2 * t))).sqrt();
            EwmaPoint {
                value: x,
                ewma: z,
                lower: mu0 - width,
                upper: mu0 + width,
            }
        })
        .collect()
}

/// One point of a tabular CUSUM ([`cusum`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CusumPoint {
    /// The observation.
    pub value: f64,
    /// The upper cumulative sum `C⁺ᵢ` (evidence of a rise).
    pub upper: f64,
    /// The lower cumulative sum `C⁻ᵢ` (evidence of a fall).
    pub lower: f64,
    /// `C⁺ᵢ > H` or `C⁻ᵢ > H`.
    pub signal: bool,
}

/// Tabular CUSUM of `values` (Page 1954; Montgomery 2009, §9.1) around the
/// target `mu0` with process standard deviation `sigma`, reference value
/// `K = k·σ` and decision interval `H = h·σ` (module documentation):
/// `C⁺ᵢ = max(0, xᵢ − (μ₀ + K) + C⁺ᵢ₋₁)`, `C⁻ᵢ = max(0, (μ₀ − K) − xᵢ + C⁻ᵢ₋₁)`,
/// starting from 0; a signal when either sum exceeds `H`. A missing value
/// (NaN) carries the previous sums, as [`ewma`] carries its statistic.
///
/// ```
/// use csikit::monitor::warning::cusum;
/// // μ₀ = 10, σ = 1, K = 0.5, H = 5: C⁺ = max(0, 12 − 10.5) = 1.5.
/// let c = cusum(&[12.0, 8.0], 10.0, 1.0, 0.5, 5.0);
/// assert_eq!((c[0].upper, c[0].lower), (1.5, 0.0));
/// assert_eq!((c[1].upper, c[1].lower), (0.0, 1.5));
/// ```
pub fn cusum(values: &[f64], mu0: f64, sigma: f64, k: f64, h: f64) -> Vec<CusumPoint> {
    let (big_k, big_h) = (k * sigma, h * sigma);
    let (mut plus, mut minus) = (0.0f64, 0.0f64);
    values
        .iter()
        .map(|&x| {
            if !x.is_nan() {
                plus = (x - (mu0 + big_k) + plus).max(0.0);
                minus = ((mu0 - big_k) - x + minus).max(0.0);
            }
            CusumPoint {
                value: x,
                upper: plus,
                lower: minus,
                signal: plus > big_h || minus > big_h,
            }
        })
        .collect()
}

/// The reference value k (in σ) of the watch's CUSUM: tuned to a shift of
/// 1σ (Montgomery 2009, §9.1.3).
pub const CUSUM_K: f64 = 0.5;
/// The decision interval h (in σ) of the watch's CUSUM (Montgomery 2009,
/// §9.1.3: h = 4 or 5 with k = 0.5).
pub const CUSUM_H: f64 = 5.0;

/// The seasonal expectation of `period`: the mean of the series' values in
/// the same period of earlier years (12 months, 4 quarters back, …) that the
/// series holds; `None` without such history (or for wave numbers).
pub fn seasonal_expectation(series: &[(Period, f64)], period: Period) -> Option<f64> {
    let mut sum = 0.0;
    let mut n = 0usize;
    let mut p = period.year_earlier()?;
    let earliest = series.iter().map(|(q, _)| *q).min()?;
    while p >= earliest {
        for (_, v) in series.iter().filter(|(q, v)| *q == p && !v.is_nan()) {
            sum += v;
            n += 1;
        }
        p = p.year_earlier()?;
    }
    (n > 0).then(|| sum / n as f64)
}

/// One period of a [`RateWatch`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WatchPoint {
    /// The period.
    pub period: Period,
    /// The observed value.
    pub value: f64,
    /// The EWMA statistic.
    pub ewma: f64,
    /// Lower EWMA limit.
    pub lower: f64,
    /// Upper EWMA limit.
    pub upper: f64,
    /// The EWMA is beyond a limit.
    pub signal: bool,
    /// The upper CUSUM `C⁺` ([`cusum`], around the same μ₀ and σ̂).
    pub cusum_upper: f64,
    /// The lower CUSUM `C⁻`.
    pub cusum_lower: f64,
    /// `C⁺ > H` or `C⁻ > H`.
    pub cusum_signal: bool,
    /// The seasonal expectation ([`seasonal_expectation`]; `None` without
    /// the same period in an earlier year).
    pub seasonal: Option<f64>,
}

/// An EWMA chart of a series with its seasonal expectation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateWatch {
    /// Smoothing λ.
    pub lambda: f64,
    /// Limit width L (in σ).
    pub width: f64,
    /// The centre μ₀: the mean of the baseline periods.
    pub mu0: f64,
    /// σ̂: the mean moving range of the baseline over d₂ = 1.128.
    pub sigma: f64,
    /// Periods in the baseline (all but the last).
    pub baseline: usize,
    /// The CUSUM reference value k (in σ; `K = k·σ̂`).
    pub cusum_k: f64,
    /// The CUSUM decision interval h (in σ; `H = h·σ̂`).
    pub cusum_h: f64,
    /// Every period, in time order.
    pub points: Vec<WatchPoint>,
}

/// The EWMA chart ([`ewma`]) of a series in time order, the last period
/// being the one watched: the centre μ₀ is the mean of the other periods
/// (the baseline) and σ̂ their mean moving range over d₂ = 1.128, the
/// estimate of an individuals chart (Montgomery 2009, §6.4), which a trend
/// or a seasonal swing inflates less than the standard deviation; the
/// seasonal expectation of each period is the mean of the same period of
/// earlier years ([`seasonal_expectation`]). `None` with fewer than 3
/// periods or when σ̂ is 0 (a constant baseline).
///
/// ```
/// use csikit::monitor::warning::rate_watch;
/// use csikit::monitor::Period;
/// let p = |m: u32| Period::new(2025, m).unwrap();
/// let w = rate_watch(&[(p(1), 4.0), (p(2), 6.0), (p(3), 5.0), (p(4), 9.0)], 0.2, 3.0).unwrap();
/// assert_eq!(w.mu0, 5.0);                       // mean of 4, 6, 5
/// assert!((w.sigma - 1.5 / 1.128).abs() < 1e-12); // moving ranges 2, 1
/// ```
pub fn rate_watch(series: &[(Period, f64)], lambda: f64, width: f64) -> Option<RateWatch> {
    let n = series.len();
    if n < 3 {
        return None;
    }
    let base: Vec<f64> = series[..n - 1].iter().map(|(_, v)| *v).collect();
    let mu0 = base.iter().sum::<f64>() / base.len() as f64;
    let ranges: Vec<f64> = base.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let sigma = ranges.iter().sum::<f64>() / ranges.len() as f64 / 1.128;
    if !(sigma > 0.0 && sigma.is_finite() && mu0.is_finite()) {
        return None;
    }
    let values: Vec<f64> = series.iter().map(|(_, v)| *v).collect();
    let sums = cusum(&values, mu0, sigma, CUSUM_K, CUSUM_H);
    let points = ewma(&values, mu0, sigma, lambda, width)
        .into_iter()
        .zip(sums)
        .zip(series)
        .map(|((e, c), (p, _))| WatchPoint {
            period: *p,
            value: e.value,
            ewma: e.ewma,
            lower: e.lower,
            upper: e.upper,
            signal: e.ewma > e.upper || e.ewma < e.lower,
            cusum_upper: c.upper,
            cusum_lower: c.lower,
            cusum_signal: c.signal,
            seasonal: seasonal_expectation(series, *p),
        })
        .collect();
    Some(RateWatch {
        lambda,
        width,
        mu0,
        sigma,
        baseline: n - 1,
        cusum_k: CUSUM_K,
        cusum_h: CUSUM_H,
        points,
    })
}

/// Benjamini & Hochberg (1995) adjusted p-values (q-values), in the order
/// of `p`: `q₍ᵢ₎ = min_{j≥i} m·p₍ⱼ₎/j`, at most 1. A NaN p-value is kept as
/// NaN and does not count in `m`.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let m = idx.len() as f64;
    let mut q = vec![f64::NAN; p.len()];
    let mut running = 1.0f64;
    for (rank, &i) in idx.iter().enumerate().rev() {
        running = running.min(m * p[i] / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

/// One-sided exact p-value of a rise of a Poisson rate: `count` events in
/// `exposure` against `base_count` in `base_exposure`. Given the total
/// `C = count + base_count`, the count is Binomial(C, π) with
/// `π = exposure/(exposure + base_exposure)` when the rates are equal
/// (the conditional test of Przyborowski & Wilenski 1940), so
/// `p = P(X ≥ count) = I_π(count, C − count + 1)`; 1 for a zero count. The
/// test is exact whatever the size of the counts and accounts for the
/// uncertainty of the baseline rate.
pub fn poisson_rise_p(count: f64, exposure: f64, base_count: f64, base_exposure: f64) -> f64 {
    if !(count >= 1.0) || !(exposure > 0.0) || !(base_exposure > 0.0) {
        return 1.0;
    }
    let pi = exposure / (exposure + base_exposure);
    crate::stats::incomplete_beta(count, base_count + 1.0, pi).clamp(0.0, 1.0)
}

/// The latest period of one unit against its own baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitAlert {
    /// The unit (city, district, touchpoint …).
    pub unit: String,
    /// Rate in the latest period.
    pub rate: f64,
    /// Baseline rate (centre line).
    pub expected: f64,
    /// Standardized distance, positive = worse.
    pub z: f64,
    /// One-sided p-value of the worse direction.
    pub p: f64,
    /// Benjamini–Hochberg q-value across the units.
    pub q: f64,
    /// Level by the thresholds (before multiple-testing control).
    pub level: Level,
    /// Whether the unit is an alert: `q ≤ fdr` and the level is not green.
    pub alert: bool,
}

/// Ranks the latest period of many units: for each unit a rate chart of its
/// series (`counts`, `exposures`, last element = the period tested, the
/// others its baseline), one-sided p-values of a rise (u-chart: the exact
/// conditional test [`poisson_rise_p`]; p-chart: normal), Benjamini–Hochberg
/// q-values across units, alerts at `q ≤ fdr`; sorted by p (most extreme
/// first). Units without baseline exposure are left out of the ranking.
pub fn rank_units(
    kind: ChartKind,
    units: &[(String, Vec<f64>, Vec<f64>)],
    thresholds: &Thresholds,
    fdr: f64,
) -> Vec<UnitAlert> {
    let mut out: Vec<UnitAlert> = units
        .iter()
        .filter_map(|(unit, counts, exposures)| {
            let last = counts.len().checked_sub(1)?;
            let points = rate_chart(kind, counts, exposures, 0..last, thresholds);
            let pt = points.last()?;
            if !pt.z.is_finite() {
                return None;
            }
            let p = match kind {
                ChartKind::P => 1.0 - normal_cdf(pt.z),
                ChartKind::U => {
                    let base_count: f64 = counts[..last].iter().sum();
                    let base_exposure: f64 = exposures[..last].iter().sum();
                    poisson_rise_p(pt.count, pt.exposure, base_count, base_exposure)
                }
            };
            Some(UnitAlert {
                unit: unit.clone(),
                rate: pt.rate,
                expected: pt.limits.centre,
                z: pt.z,
                p,
                q: f64::NAN,
                level: pt.level,
                alert: false,
            })
        })
        .collect();
    let p: Vec<f64> = out.iter().map(|a| a.p).collect();
    for (a, q) in out.iter_mut().zip(benjamini_hochberg(&p)) {
        a.q = q;
        a.alert = q <= fdr && a.level != Level::Green;
    }
    out.sort_by(|a, b| a.p.total_cmp(&b.p).then_with(|| a.unit.cmp(&b.unit)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn limits_equal_the_textbook_formulas() {
        // p-chart: p̄ = 0.1, n = 100, 3σ: σ = √(0.09/100) = 0.03 → [0.01, 0.19].
        let l = p_chart_limits(0.1, 100.0, 3.0);
        assert!((l.sigma - 0.03).abs() < 1e-15);
        assert!((l.lower - 0.01).abs() < 1e-12 && (l.upper - 0.19).abs() < 1e-12);
        // Lower limit clipped at 0: p̄ = 0.02, n = 50 → 0.02 − 3·0.0198 < 0.
        assert_eq!(p_chart_limits(0.02, 50.0, 3.0).lower, 0.0);
        // u-chart: 4 complaints per 10 000 (ū = 4e-4), exposure 10 000:
        // σ = √(4e-4/1e4) = 2e-4 → [0, 1e-3] at 3σ (lower clipped).
        let l = u_chart_limits(4e-4, 10_000.0, 3.0);
        assert!((l.sigma - 2e-4).abs() < 1e-15);
        assert_eq!(l.lower, 0.0);
        assert!((l.upper - 1e-3).abs() < 1e-15);
        // A chart: baseline counts 30 + 50 over exposures 100 000 + 100 000
        // (ū = 4e-4), then 60 of 50 000 (1.2e-3): σ = √(4e-4/5e4) = 8.944e-5,
        // z = 8e-4/8.944e-5 = 8.944 → red.
        let pts = rate_chart(
            ChartKind::U,
            &[30.0, 50.0, 60.0],
            &[1e5, 1e5, 5e4],
            0..2,
            &Thresholds::default(),
        );
        assert!((pts[2].limits.centre - 4e-4).abs() < 1e-18);
        assert!((pts[2].z - 8e-4 / (4e-4f64 / 5e4).sqrt()).abs() < 1e-9);
        assert_eq!(pts[2].level, Level::Red);
        // The baseline points: z = ∓1/√(4e-4/1e5)·1e-4 = ∓1.58 → green.
        assert_eq!(pts[0].level, Level::Green);
        let t = Thresholds::default();
        assert_eq!(
            (t.level(1.99), t.level(2.0), t.level(3.0)),
            (Level::Green, Level::Amber, Level::Red)
        );
    }

    #[test]
    fn ewma_equals_roberts_with_lucas_saccucci_limits() {
        // λ = 0.2, μ₀ = 10, σ = 1, L = 3; x = 11, 12:
        // z₁ = 0.2·11 + 0.8·10 = 10.2; z₂ = 0.2·12 + 0.8·10.2 = 10.56.
        // width₁ = 3·√(0.2/1.8·(1 − 0.64)) = 3·0.2 = 0.6;
        // width₂ = 3·√(0.1111·(1 − 0.4096)) = 0.76837.
        let e = ewma(&[11.0, 12.0, f64::NAN], 10.0, 1.0, 0.2, 3.0);
        assert!((e[0].ewma - 10.2).abs() < 1e-12);
        assert!((e[1].ewma - 10.56).abs() < 1e-12);
        assert!((e[0].upper - 10.6).abs() < 1e-12 && (e[0].lower - 9.4).abs() < 1e-12);
        let w2 = 3.0 * (0.2f64 / 1.8 * (1.0 - 0.8f64.powi(4))).sqrt();
        assert!((e[1].upper - 10.0 - w2).abs() < 1e-12);
        assert!((w2 - 0.768375).abs() < 1e-6, "{w2}");
        // A missing value carries the statistic and the limits.
        assert_eq!(e[2].ewma, e[1].ewma);
        assert_eq!(e[2].upper, e[1].upper);
        // Asymptotic width L·σ·√(λ/(2−λ)) = 1.
        let long = ewma(&[10.0; 200], 10.0, 1.0, 0.2, 3.0);
        assert!((long[199].upper - 11.0).abs() < 1e-12);
    }

    #[test]
    fn cusum_by_hand_on_montgomerys_example() {
        // Montgomery (2009), Example 9.1 / Table 9.1: μ₀ = 10, σ = 1,
        // k = 0.5 (K = 0.5), h = 5 (H = 5); x₁…x₂₀ ~ N(10, 1), x₂₁…x₃₀ ~ N(11, 1).
        let x = [
            9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34, 9.03, 11.47, 10.51,
            9.40, 10.08, 9.37, 10.62, 10.31, 8.52, 10.84, 10.90, 9.33, 12.29, 11.50, 10.60, 11.08,
            10.38, 11.62, 11.31, 10.52,
        ];
        let c = cusum(&x, 10.0, 1.0, 0.5, 5.0);
        // The first eight periods by hand, C⁺ᵢ = max(0, xᵢ − 10.5 + C⁺ᵢ₋₁),
        // C⁻ᵢ = max(0, 9.5 − xᵢ + C⁻ᵢ₋₁):
        //  1: 9.45  → C⁺ = max(0, −1.05) = 0;            C⁻ = 0.05
        //  2: 7.99  → C⁺ = 0;                            C⁻ = 1.51 + 0.05 = 1.56
        //  3: 9.29  → C⁺ = 0;                            C⁻ = 0.21 + 1.56 = 1.77
        //  4: 11.66 → C⁺ = 1.16;                         C⁻ = max(0, −2.16 + 1.77) = 0
        //  5: 12.16 → C⁺ = 1.66 + 1.16 = 2.82;           C⁻ = 0
        //  6: 10.18 → C⁺ = −0.32 + 2.82 = 2.50;          C⁻ = 0
        //  7: 8.04  → C⁺ = −2.46 + 2.50 = 0.04;          C⁻ = 1.46
        //  8: 11.46 → C⁺ = 0.96 + 0.04 = 1.00;           C⁻ = max(0, −1.96 + 1.46) = 0
        let plus = [0.0, 0.0, 0.0, 1.16, 2.82, 2.50, 0.04, 1.00];
        let minus = [0.05, 1.56, 1.77, 0.0, 0.0, 0.0, 1.46, 0.0];
        for i in 0..8 {
            assert!((c[i].upper - plus[i]).abs() < 1e-9, "C+ {i}: {:?}", c[i]);
            assert!((c[i].lower - minus[i]).abs() < 1e-9, "C- {i}: {:?}", c[i]);
        }
        // The textbook's result: the first signal at period 29 with
        // C⁺₂₉ = 5.28, then C⁺₃₀ = 5.30 (Montgomery 2009, Table 9.2).
        let first = c.iter().position(|p| p.signal);
        assert_eq!(first, Some(28));
        assert!((c[28].upper - 5.28).abs() < 1e-9 && (c[29].upper - 5.30).abs() < 1e-9);
        assert!(c.iter().all(|p| p.lower <= 5.0));
        // K and H scale with σ: y = 100 + 2(x − 10) with μ₀ = 100, σ = 2
        // has sums twice as large and the same signals.
        let y: Vec<f64> = x.iter().map(|v| 100.0 + 2.0 * (v - 10.0)).collect();
        for (a, b) in cusum(&y, 100.0, 2.0, 0.5, 5.0).iter().zip(&c) {
            assert!(
                (a.upper - 2.0 * b.upper).abs() < 1e-9 && (a.lower - 2.0 * b.lower).abs() < 1e-9
            );
            assert_eq!(a.signal, b.signal);
        }
        // A fall signals through C⁻: 10 − 2 = 8 each period adds 1.5;
        // 1.5, 3.0, 4.5, 6.0 > 5 at the fourth.
        let f = cusum(&[8.0; 4], 10.0, 1.0, 0.5, 5.0);
        assert_eq!(
            f.iter().map(|p| p.signal).collect::<Vec<_>>(),
            [false, false, false, true]
        );
        assert!((f[3].lower - 6.0).abs() < 1e-12 && f[3].upper == 0.0);
        // A missing value carries both sums (as the EWMA does).
        let m = cusum(&[12.0, f64::NAN, 12.0], 10.0, 1.0, 0.5, 5.0);
        assert_eq!((m[1].upper, m[1].lower), (1.5, 0.0));
        assert!(m[1].value.is_nan());
        assert_eq!(m[2].upper, 3.0);
        // A value at the target plus K adds nothing.
        assert_eq!(cusum(&[10.5], 10.0, 1.0, 0.5, 5.0)[0].upper, 0.0);
    }

    #[test]
    fn seasonal_expectation_averages_the_same_month_of_earlier_years() {
        let p = |s: &str| Period::parse(s).unwrap();
        let series = vec![
            (p("2023-03"), 10.0),
            (p("2024-02"), 99.0),
            (p("2024-03"), 14.0),
            (p("2025-02"), 50.0),
        ];
        assert_eq!(seasonal_expectation(&series, p("2025-03")), Some(12.0));
        assert_eq!(seasonal_expectation(&series, p("2025-04")), None);
        assert_eq!(seasonal_expectation(&series, p("7")), None);
    }

    #[test]
    fn benjamini_hochberg_matches_hand_computation() {
        // m = 5; sorted 0.001, 0.008, 0.039, 0.041, 0.6 → 5p/i = 0.005,
        // 0.02, 0.065, 0.05125, 0.6 → running minimum from the top:
        // 0.005, 0.02, 0.05125, 0.05125, 0.6.
        let q = benjamini_hochberg(&[0.041, 0.001, 0.6, 0.008, 0.039]);
        let want = [0.05125, 0.005, 0.6, 0.02, 0.05125];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
        let q = benjamini_hochberg(&[f64::NAN, 0.5]);
        assert!(q[0].is_nan() && q[1] == 0.5);
    }

    #[test]
    fn the_exact_poisson_test_matches_the_binomial_tail() {
        // 3 events in exposure 1 against 1 in exposure 1: C = 4, π = 1/2,
        // P(X ≥ 3) = (4 + 1)/16 = 0.3125.
        assert!((poisson_rise_p(3.0, 1.0, 1.0, 1.0) - 0.3125).abs() < 1e-12);
        // 2 of 2 with π = 1/3: (1/3)² = 1/9.
        assert!((poisson_rise_p(2.0, 1.0, 0.0, 2.0) - 1.0 / 9.0).abs() < 1e-12);
        assert_eq!(poisson_rise_p(0.0, 1.0, 5.0, 1.0), 1.0);
    }

    /// Poisson draw (Knuth's multiplication method; fine for means < 100).
    fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
        let limit = (-mean).exp();
        let mut k = 0.0;
        let mut prod = rng.random::<f64>();
        while prod > limit {
            k += 1.0;
            prod *= rng.random::<f64>();
        }
        k
    }

    #[test]
    fn an_injected_shift_in_three_of_300_units_is_found_with_few_false_alarms() {
        // 300 cities, 24 months of 50 000 customers, 5 complaints per 10 000
        // (25 a month); in the last month units 7, 150 and 299 triple.
        let fdr = 0.05;
        let seeds = 20;
        let shifted = [7usize, 150, 299];
        let mut false_alarms = 0usize;
        let mut false_discovery = 0.0;
        for seed in 0..seeds {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let units: Vec<(String, Vec<f64>, Vec<f64>)> = (0..300)
                .map(|u| {
                    let counts = (0..24)
                        .map(|t| {
                            let factor = if t == 23 && shifted.contains(&u) {
                                3.0
                            } else {
                                1.0
                            };
                            poisson(&mut rng, 25.0 * factor)
                        })
                        .collect();
                    (format!("city{u:03}"), counts, vec![50_000.0; 24])
                })
                .collect();
            let ranked = rank_units(ChartKind::U, &units, &Thresholds::default(), fdr);
            assert_eq!(ranked.len(), 300);
            let alerts: Vec<&str> = ranked
                .iter()
                .filter(|a| a.alert)
                .map(|a| a.unit.as_str())
                .collect();
            for u in shifted {
                assert!(
                    alerts.contains(&format!("city{u:03}").as_str()),
                    "seed {seed}: {alerts:?}"
                );
            }
            let wrong = alerts.len() - shifted.len();
            false_alarms += wrong;
            false_discovery += wrong as f64 / alerts.len() as f64;
        }
        // Per unit: at most the stated rate (it is far below); per month the
        // share of false alerts among the alerts at most the stated FDR.
        let per_unit = false_alarms as f64 / (seeds as f64 * 297.0);
        eprintln!(
            "false alarms per unit {per_unit:.5}, false discovery share {:.4}",
            false_discovery / seeds as f64
        );
        assert!(per_unit <= fdr, "{per_unit}");
        assert!(
            false_discovery / seeds as f64 <= fdr,
            "{}",
            false_discovery / seeds as f64
        );
    }
}
