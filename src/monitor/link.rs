//! Which complaint categories go with which weak drivers.
//!
//! Respondent level (survey respondents joined to their complaints by
//! customer id): the difference in a driver's performance between respondents
//! who complained in a category and those who did not, with a Welch
//! confidence interval (Welch 1947) — equivalently the slope of the driver
//! score regressed on the complaint indicator. Segment level (no customer ids):
//! the correlation across segments of the category's complaint rate with the
//! driver's mean performance, with a Fisher-z interval (Fisher 1921).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{ALL, ComplaintMetrics, Complaints};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::stats::{normal_quantile, t_critical, t_two_sided_p};

/// The link of one complaint category with one driver (respondent level).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkRow {
    /// Complaint category.
    pub category: String,
    /// Driver (column of per-respondent performance, e.g. a 0–100 index score).
    pub driver: String,
    /// Respondents who complained in the category.
    pub n_complained: usize,
    /// Respondents who did not.
    pub n_other: usize,
    /// Mean driver performance of those who complained.
    pub mean_complained: Option<f64>,
    /// Mean driver performance of the others.
    pub mean_other: Option<f64>,
    /// Difference (complained − other): negative = complainers rate the driver lower.
    pub difference: Option<f64>,
    /// Lower bound of the interval (at `level`, Bonferroni-adjusted when asked).
    pub ci_lower: Option<f64>,
    /// Upper bound.
    pub ci_upper: Option<f64>,
    /// Two-sided Welch p-value (unadjusted).
    pub p: Option<f64>,
    /// The interval excludes 0.
    pub linked: bool,
}

/// The link of one category with one driver across segments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentLinkRow {
    /// Complaint category.
    pub category: String,
    /// Driver.
    pub driver: String,
    /// Segments used.
    pub segments: usize,
    /// Pearson correlation of the complaint rate with the driver's mean.
    pub correlation: Option<f64>,
    /// Fisher-z interval lower bound (needs ≥ 4 segments).
    pub ci_lower: Option<f64>,
    /// Upper bound.
    pub ci_upper: Option<f64>,
    /// The interval excludes 0.
    pub linked: bool,
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = if x.len() > 1 {
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        f64::NAN
    };
    (m, v)
}

fn check_level(level: f64) -> Result<()> {
    if !(level > 0.0 && level < 1.0) {
        return Err(Error::InvalidSetting {
            name: "level".into(),
            message: format!("confidence level {level} is not in (0, 1)"),
        });
    }
    Ok(())
}

/// Respondent-level link: for every category × driver, the difference in the
/// driver's mean performance between respondents who complained in the
/// category (any period) and the others. With `bonferroni`, each interval is
/// at level 1 − (1 − `level`)/m for m = categories × drivers tests, so that
/// the chance of any false link stays below 1 − `level`.
///
/// # Errors
/// [`Error::InvalidSetting`] if the complaints carry no customer ids or the
/// level is not in (0, 1); [`Error::UnknownColumn`] / [`Error::NonNumeric`]
/// for the survey columns.
pub fn link_by_respondent(
    complaints: &Complaints,
    survey: &Dataset,
    id_column: &str,
    drivers: &[&str],
    level: f64,
    bonferroni: bool,
) -> Result<Vec<LinkRow>> {
    check_level(level)?;
    if complaints.rows.iter().all(|c| c.customer_id.is_none()) {
        return Err(Error::InvalidSetting {
            name: "customer_id".into(),
            message: "the complaints carry no customer ids; use link_by_segment".into(),
        });
    }
    let ids = survey.labels(id_column)?;
    let driver_cols: Vec<&[f64]> = drivers
        .iter()
        .map(|d| survey.numeric(d))
        .collect::<Result<_>>()?;
    let mut complainers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in &complaints.rows {
        if let Some(id) = &c.customer_id {
            complainers
                .entry(c.category.as_str())
                .or_default()
                .insert(id.as_str());
        }
    }
    let m = (complainers.len() * drivers.len()).max(1) as f64;
    // Two-sided error rate per interval (Bonferroni: split over the m tests).
    let alpha = if bonferroni {
        (1.0 - level) / m
    } else {
        1.0 - level
    };
    let mut out = Vec::new();
    for (cat, set) in &complainers {
        for (d, col) in drivers.iter().zip(&driver_cols) {
            let (mut yes, mut no) = (Vec::new(), Vec::new());
            for (r, id) in ids.iter().enumerate() {
                let (Some(id), x) = (id, col[r]) else {
                    continue;
                };
                if x.is_nan() {
                    continue;
                }
                if set.contains(id.as_str()) {
                    yes.push(x)
                } else {
                    no.push(x)
                }
            }
            let (m1, v1) = if yes.is_empty() {
                (f64::NAN, f64::NAN)
            } else {
                mean_var(&yes)
            };
            let (m0, v0) = if no.is_empty() {
                (f64::NAN, f64::NAN)
            } else {
                mean_var(&no)
            };
            let (n1, n0) = (yes.len() as f64, no.len() as f64);
            let diff = m1 - m0;
            let se2 = v1 / n1 + v0 / n0;
            let (ci, p) = if yes.len() >= 2 && no.len() >= 2 && se2 > 0.0 {
                let df =
                    se2 * se2 / ((v1 / n1).powi(2) / (n1 - 1.0) + (v0 / n0).powi(2) / (n0 - 1.0));
                let se = se2.sqrt();
                let t = t_critical(alpha, df);
                (
                    Some((diff - t * se, diff + t * se)),
                    Some(t_two_sided_p(diff / se, df)),
                )
            } else {
                (None, None)
            };
            out.push(LinkRow {
                category: cat.to_string(),
                driver: d.to_string(),
                n_complained: yes.len(),
                n_other: no.len(),
                mean_complained: m1.is_finite().then_some(m1),
                mean_other: m0.is_finite().then_some(m0),
                difference: diff.is_finite().then_some(diff),
                ci_lower: ci.map(|c| c.0),
                ci_upper: ci.map(|c| c.1),
                p,
                linked: ci.is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0),
            });
        }
    }
    Ok(out)
}

/// Segment-level link: per category × driver, the correlation across segments
/// of the category's complaint rate (all periods pooled: volume / customer-months)
/// with the driver's mean performance among the segment's survey respondents.
/// The survey's segment columns must be the complaints' segment columns.
///
/// # Errors
/// [`Error::InvalidSetting`] if the metrics have no segments or the level is
/// not in (0, 1); column errors for the survey.
pub fn link_by_segment(
    metrics: &ComplaintMetrics,
    segment_columns: &[String],
    survey: &Dataset,
    drivers: &[&str],
    level: f64,
) -> Result<Vec<SegmentLinkRow>> {
    check_level(level)?;
    if segment_columns.is_empty() || metrics.rows.iter().all(|r| r.segment.is_none()) {
        return Err(Error::InvalidSetting {
            name: "segments".into(),
            message: "segment-level links need complaint metrics per segment".into(),
        });
    }
    // Complaint rate per (segment, category), pooled over periods.
    let mut pooled: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for r in metrics.rows.iter().filter(|r| r.category != ALL) {
        if let Some(s) = &r.segment {
            let e = pooled.entry((s.clone(), r.category.clone())).or_default();
            e.0 += r.volume as f64;
            e.1 += r.customers;
        }
    }
    // Driver means per segment.
    let labels: Vec<Vec<Option<String>>> = segment_columns
        .iter()
        .map(|c| survey.labels(c))
        .collect::<Result<_>>()?;
    let seg_of = |r: usize| -> Option<String> {
        let parts: Option<Vec<String>> = segment_columns
            .iter()
            .zip(&labels)
            .map(|(c, l)| l[r].as_ref().map(|v| format!("{c}={v}")))
            .collect();
        parts.map(|p| p.join(", "))
    };
    let z = normal_quantile(0.5 + level / 2.0);
    let categories: BTreeSet<String> = pooled.keys().map(|(_, c)| c.clone()).collect();
    let mut out = Vec::new();
    for d in drivers {
        let col = survey.numeric(d)?;
        let mut sums: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        for (r, &x) in col.iter().enumerate() {
            if let (Some(s), false) = (seg_of(r), x.is_nan()) {
                let e = sums.entry(s).or_default();
                e.0 += x;
                e.1 += 1.0;
            }
        }
        for cat in &categories {
            let pairs: Vec<(f64, f64)> = sums
                .iter()
                .filter_map(|(s, (sum, n))| {
                    pooled
                        .get(&(s.clone(), cat.clone()))
                        .map(|(v, c)| (v / c * 10_000.0, sum / n))
                })
                .collect();
            let k = pairs.len();
            let r = if k >= 3 {
                let (mx, vx) = mean_var(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
                let (my, vy) = mean_var(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
                let cov =
                    pairs.iter().map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / (k as f64 - 1.0);
                let r = cov / (vx * vy).sqrt();
                r.is_finite().then_some(r.clamp(-1.0, 1.0))
            } else {
                None
            };
            let ci = r.filter(|_| k >= 4).map(|r| {
                let zr = r.clamp(-0.999_999, 0.999_999).atanh();
                let h = z / (k as f64 - 3.0).sqrt();
                ((zr - h).tanh(), (zr + h).tanh())
            });
            out.push(SegmentLinkRow {
                category: cat.clone(),
                driver: d.to_string(),
                segments: k,
                correlation: r,
                ci_lower: ci.map(|c| c.0),
                ci_upper: ci.map(|c| c.1),
                linked: ci.is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // t_{0.975, 10} = 2.228139, t_{0.975, ∞} → 1.959964 (the shared quantile).
        assert!((t_critical(0.05, 10.0) - 2.228_138_851_986_522).abs() < 1e-9);
        assert!((t_critical(0.05, 1e9) - 1.959_963_984_540_054).abs() < 1e-6);
        // Extreme levels the old copy clipped at 1000: 2 df at alpha = 1e-7.
        let q: f64 = 0.5e-7;
        let want = (1.0 - 2.0 * q) / (2.0 * q * (1.0 - q)).sqrt();
        assert!((t_critical(1e-7, 2.0) / want - 1.0).abs() < 1e-12 && want > 1000.0);
    }
}
