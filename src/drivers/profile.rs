//! Profiles of dissatisfied customers (不满客户画像): which segments are
//! over-represented among the dissatisfied, and which drivers separate them
//! from the rest.
//!
//! A respondent is dissatisfied when the target is at or below a threshold
//! ([`DissatisfiedRule`]). For each level of each segment column: its share
//! among the dissatisfied with a Wilson (1927) interval, its base rate (share
//! of all respondents), the lift (share ÷ base rate = the level's
//! dissatisfied rate ÷ the overall rate), and the p-value of the pooled
//! two-proportion z test of the level's dissatisfied rate against the rest
//! (Agresti 2013, §3.1), adjusted over every level tested by
//! Benjamini–Hochberg (1995) and Holm (1979). For each driver: the means of
//! the dissatisfied and of the rest, their difference, the standardized
//! difference (Cohen's d with the pooled SD; Cohen 1988) and Welch's t test.
//!
//! Rows without a target are dropped and counted (`n_dropped`); rows without
//! a segment label are counted per column (`unlabelled`); a driver's
//! comparison uses the rows where it is observed (`n`).

use serde::Serialize;

use super::check_constant;
use crate::group::group_rows;
use crate::stats::{normal_cdf, normal_quantile, t_two_sided_p};
use crate::{Dataset, Error, Result};

/// Who counts as dissatisfied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DissatisfiedRule {
    /// Target ≤ `threshold`.
    AtMost {
        /// The highest dissatisfied answer.
        threshold: f64,
    },
    /// The bottom `boxes` answers of a scale starting at `min` (target ≤ min + boxes − 1).
    BottomBox {
        /// The lowest answer of the scale.
        min: f64,
        /// How many answers from the bottom.
        boxes: usize,
    },
}

impl DissatisfiedRule {
    /// The highest answer that counts as dissatisfied.
    pub fn threshold(&self) -> f64 {
        match *self {
            DissatisfiedRule::AtMost { threshold } => threshold,
            DissatisfiedRule::BottomBox { min, boxes } => min + boxes as f64 - 1.0,
        }
    }
}

/// Settings of a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileOptions {
    /// Who is dissatisfied.
    pub rule: DissatisfiedRule,
    /// Segment columns (any type; each distinct value is a level).
    pub segments: Vec<String>,
    /// Driver columns compared between the dissatisfied and the rest.
    pub drivers: Vec<String>,
    /// Confidence level of the intervals (default 0.95).
    pub level: f64,
}

/// One level of one segment column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentLevel {
    /// The segment column.
    pub column: String,
    /// The level.
    pub level: String,
    /// Respondents in the level.
    pub n: usize,
    /// Dissatisfied respondents in the level.
    pub dissatisfied: usize,
    /// Share of the dissatisfied who are in the level.
    pub share: f64,
    /// Wilson interval of `share`, lower bound.
    pub share_ci_lower: f64,
    /// Wilson interval of `share`, upper bound.
    pub share_ci_upper: f64,
    /// Share of all respondents who are in the level.
    pub base_rate: f64,
    /// `share` / `base_rate`.
    pub lift: f64,
    /// Dissatisfied rate within the level.
    pub dissatisfied_rate: f64,
    /// Two-sided p-value of the two-proportion z test (level vs the rest).
    pub p_value: f64,
    /// Benjamini–Hochberg adjusted p-value over every level tested.
    pub p_bh: f64,
    /// Holm adjusted p-value over every level tested.
    pub p_holm: f64,
    /// Rank by lift (1 = most over-represented).
    pub rank: usize,
}

/// Missing segment labels of one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unlabelled {
    /// The column.
    pub column: String,
    /// Rows (with a target) without a label.
    pub rows: usize,
}

/// How one driver differs between the dissatisfied and the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverGap {
    /// The driver.
    pub name: String,
    /// Rows where target and driver are observed.
    pub n: usize,
    /// Mean among the dissatisfied.
    pub mean_dissatisfied: f64,
    /// Mean among the rest.
    pub mean_rest: f64,
    /// `mean_dissatisfied − mean_rest`.
    pub difference: f64,
    /// Cohen's d: the difference over the pooled SD.
    pub standardized: f64,
    /// Welch's t test, two-sided.
    pub p_value: f64,
    /// Rank by |standardized| (1 = separates most).
    pub rank: usize,
}

/// A profile of the dissatisfied customers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DissatisfiedProfile {
    /// The target.
    pub target: String,
    /// The rule.
    pub definition: DissatisfiedRule,
    /// The highest dissatisfied answer.
    pub threshold: f64,
    /// Respondents with a target.
    pub n: usize,
    /// Rows dropped because the target is missing.
    pub n_dropped: usize,
    /// Dissatisfied respondents.
    pub dissatisfied: usize,
    /// `dissatisfied / n` (不满率).
    pub dissatisfied_rate: f64,
    /// Every level of every segment column, ranked by lift.
    pub segments: Vec<SegmentLevel>,
    /// Rows without a label, per segment column.
    pub unlabelled: Vec<Unlabelled>,
    /// The drivers, ranked by |standardized difference|.
    pub drivers: Vec<DriverGap>,
}

/// Wilson (1927) score interval of x successes in n trials at `level`.
pub fn wilson(x: usize, n: usize, level: f64) -> (f64, f64) {
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let z = normal_quantile(0.5 + level / 2.0);
    let (x, n) = (x as f64, n as f64);
    let z2 = z * z;
    let center = (x + z2 / 2.0) / (n + z2);
    let half = z / (n + z2) * (x * (n - x) / n + z2 / 4.0).sqrt();
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// Benjamini–Hochberg (1995) adjusted p-values (step-up), in input order.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut out = vec![0.0; m];
    let mut running: f64 = 1.0;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m as f64 / (rank + 1) as f64).min(1.0);
        out[i] = running;
    }
    out
}

/// Holm (1979) adjusted p-values (step-down), in input order.
pub fn holm(p: &[f64]) -> Vec<f64> {
    crate::pls::Correction::Holm.adjust(p)
}

/// Two-sided p-value of the pooled two-proportion z test of x1/n1 against x2/n2.
pub fn two_proportion_p(x1: usize, n1: usize, x2: usize, n2: usize) -> f64 {
    if n1 == 0 || n2 == 0 {
        return 1.0;
    }
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let pool = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (pool * (1.0 - pool) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if !(se > 0.0) {
        return 1.0;
    }
    2.0 * (1.0 - normal_cdf(((p1 - p2) / se).abs()))
}

/// Profiles the dissatisfied customers on `target`.
///
/// # Errors
/// [`Error::InvalidSetting`] for a level outside (0, 1) or no segment and no
/// driver; the errors of unknown or non-numeric columns; [`Error::EmptyData`]
/// when no row has a target; [`Error::TooFewObservations`] when no one or
/// everyone is dissatisfied (nothing to compare).
pub fn profile(
    data: &Dataset,
    target: &str,
    options: &ProfileOptions,
) -> Result<DissatisfiedProfile> {
    if !(options.level > 0.0 && options.level < 1.0) {
        return Err(Error::InvalidSetting {
            name: "level".into(),
            message: format!("{} is not between 0 and 1", options.level),
        });
    }
    if options.segments.is_empty() && options.drivers.is_empty() {
        return Err(Error::InvalidSetting {
            name: "segments".into(),
            message: "give at least one segment column or driver".into(),
        });
    }
    let y = data.numeric(target)?;
    let rows: Vec<usize> = (0..y.len()).filter(|&i| !y[i].is_nan()).collect();
    let n_dropped = y.len() - rows.len();
    if rows.is_empty() {
        return Err(Error::EmptyData {
            context: format!(": `{target}` is missing in every row"),
        });
    }
    let threshold = options.rule.threshold();
    let dis: Vec<bool> = rows.iter().map(|&i| y[i] <= threshold).collect();
    let total_dis = dis.iter().filter(|&&d| d).count();
    if total_dis == 0 || total_dis == rows.len() {
        return Err(Error::TooFewObservations {
            what: format!(
                "a profile of the dissatisfied (`{target}` ≤ {threshold}) against the rest"
            ),
            needed: 1,
            available: total_dis.min(rows.len() - total_dis),
        });
    }
    let mut segments = Vec::new();
    let mut unlabelled = Vec::new();
    for col in &options.segments {
        let labels = data.labels(col)?;
        let used: Vec<Option<&str>> = rows.iter().map(|&i| labels[i].as_deref()).collect();
        let missing = used.iter().filter(|l| l.is_none()).count();
        unlabelled.push(Unlabelled {
            column: col.clone(),
            rows: missing,
        });
        let groups = group_rows(&used);
        let n_col = rows.len() - missing;
        let d_col = (0..rows.len())
            .filter(|&k| used[k].is_some() && dis[k])
            .count();
        for g in &groups.groups {
            let n = g.rows.len();
            let d = g.rows.iter().filter(|&&k| dis[k]).count();
            let share = if d_col > 0 {
                d as f64 / d_col as f64
            } else {
                f64::NAN
            };
            let base = n as f64 / n_col as f64;
            let (lo, hi) = wilson(d, d_col, options.level);
            segments.push(SegmentLevel {
                column: col.clone(),
                level: g.label.clone(),
                n,
                dissatisfied: d,
                share,
                share_ci_lower: lo,
                share_ci_upper: hi,
                base_rate: base,
                lift: share / base,
                dissatisfied_rate: d as f64 / n as f64,
                p_value: two_proportion_p(d, n, d_col - d, n_col - n),
                p_bh: f64::NAN,
                p_holm: f64::NAN,
                rank: 0,
            });
        }
    }
    let p: Vec<f64> = segments.iter().map(|s| s.p_value).collect();
    for ((s, bh), h) in segments
        .iter_mut()
        .zip(benjamini_hochberg(&p))
        .zip(holm(&p))
    {
        s.p_bh = bh;
        s.p_holm = h;
    }
    segments.sort_by(|a, b| {
        b.lift
            .total_cmp(&a.lift)
            .then(a.p_value.total_cmp(&b.p_value))
    });
    for (k, s) in segments.iter_mut().enumerate() {
        s.rank = k + 1;
    }

    let mut drivers = Vec::new();
    for name in &options.drivers {
        let x = data.numeric(name)?;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for (k, &i) in rows.iter().enumerate() {
            if !x[i].is_nan() {
                if dis[k] { a.push(x[i]) } else { b.push(x[i]) }
            }
        }
        if a.len() < 2 || b.len() < 2 {
            return Err(Error::TooFewObservations {
                what: format!("comparing `{name}` between the dissatisfied and the rest"),
                needed: 2,
                available: a.len().min(b.len()),
            });
        }
        let all: Vec<f64> = a.iter().chain(&b).copied().collect();
        check_constant(&[name.as_str()], &[all])?;
        let mv = |v: &[f64]| {
            let m = v.iter().sum::<f64>() / v.len() as f64;
            let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
            (m, var)
        };
        let ((ma, va), (mb, vb)) = (mv(&a), mv(&b));
        let (na, nb) = (a.len() as f64, b.len() as f64);
        let pooled = (((na - 1.0) * va + (nb - 1.0) * vb) / (na + nb - 2.0)).sqrt();
        let se2 = va / na + vb / nb;
        let t = (ma - mb) / se2.sqrt();
        let df = se2 * se2 / ((va / na).powi(2) / (na - 1.0) + (vb / nb).powi(2) / (nb - 1.0));
        let p_value = if se2 > 0.0 {
            t_two_sided_p(t, df)
        } else {
            f64::NAN
        };
        drivers.push(DriverGap {
            name: name.clone(),
            n: a.len() + b.len(),
            mean_dissatisfied: ma,
            mean_rest: mb,
            difference: ma - mb,
            standardized: (ma - mb) / pooled,
            p_value,
            rank: 0,
        });
    }
    drivers.sort_by(|a, b| b.standardized.abs().total_cmp(&a.standardized.abs()));
    for (k, d) in drivers.iter_mut().enumerate() {
        d.rank = k + 1;
    }
    Ok(DissatisfiedProfile {
        target: target.to_string(),
        definition: options.rule,
        threshold,
        n: rows.len(),
        n_dropped,
        dissatisfied: total_dis,
        dissatisfied_rate: total_dis as f64 / rows.len() as f64,
        segments,
        unlabelled,
        drivers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bh_and_holm_by_hand() {
        // Sorted 0.005, 0.01, 0.03, 0.04 (m = 4): BH 0.02, 0.02, 0.04, 0.04;
        // Holm 0.02, 0.03, 0.06, 0.06.
        let p = [0.01, 0.04, 0.03, 0.005];
        let bh = benjamini_hochberg(&p);
        for (got, want) in bh.iter().zip([0.02, 0.04, 0.04, 0.02]) {
            assert!((got - want).abs() < 1e-15, "{bh:?}");
        }
        let h = holm(&p);
        for (got, want) in h.iter().zip([0.03, 0.06, 0.06, 0.02]) {
            assert!((got - want).abs() < 1e-15, "{h:?}");
        }
    }

    #[test]
    fn wilson_by_hand() {
        // x = 0, n = 10, z = 1.959964: upper = z²/(n + z²) = 3.8415/13.8415.
        let (lo, hi) = wilson(0, 10, 0.95);
        assert_eq!(lo, 0.0);
        let z2 = 1.959963984540054f64.powi(2);
        assert!((hi - z2 / (10.0 + z2)).abs() < 1e-9);
        // 2-proportion z: 30/100 vs 15/100, pooled 0.225: z = 0.15 / sqrt(0.225·0.775·0.02) = 2.5400, p = 0.0110852.
        let p = two_proportion_p(30, 100, 15, 100);
        assert!((p - 0.011_085_2).abs() < 1e-6, "{p}");
    }
}
