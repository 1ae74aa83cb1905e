//! The link to operational data (共变): how survey indices move with
//! operational metrics (dropped-call rate, outage hours, complaint rate …)
//! across units (cities) and periods (months).
//!
//! The survey is aggregated to one value per unit and period: the mean of
//! each index column over its observed answers. The operational table has
//! one row per unit and period. With lag k, the index of period t is paired
//! with the metric of period t − k (the metric leads). For each index and
//! metric: the Pearson correlation with a Fisher (1921) z interval
//! (atanh r ± z/√(n − 3)), and the least-squares slope of the index on the
//! metric with a t interval (n − 2 df). `n` is the number of unit-periods;
//! below [`SMALL_N`] the report flags the estimate (`small_n`): with a few
//! cities and months, a correlation is weak evidence and says nothing about
//! cause.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::period::Period;
use crate::stats::{normal_quantile, t_quantile};
use crate::{Dataset, Error, Result};

/// Below this many unit-periods an estimate is flagged as small-n.
pub const SMALL_N: usize = 30;

/// Settings of a link.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkOptions {
    /// The unit column (same name in both tables).
    pub unit: String,
    /// The period column (same name in both tables).
    pub period: String,
    /// Survey columns whose unit-period means are the indices.
    pub indices: Vec<String>,
    /// Operational metric columns.
    pub metrics: Vec<String>,
    /// Periods by which the metric leads the index (default 0).
    pub lag: i64,
    /// Confidence level (default 0.95).
    pub level: f64,
}

/// One index–metric pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkPair {
    /// The survey index.
    pub index: String,
    /// The operational metric.
    pub metric: String,
    /// Lag in periods.
    pub lag: i64,
    /// Unit-periods with both values.
    pub n: usize,
    /// Pearson correlation (null with n < 3 or no variance).
    pub r: Option<f64>,
    /// Fisher z interval, lower (null with n ≤ 3).
    pub r_ci_lower: Option<f64>,
    /// Fisher z interval, upper.
    pub r_ci_upper: Option<f64>,
    /// Slope of the index on the metric.
    pub slope: Option<f64>,
    /// t interval of the slope, lower.
    pub slope_ci_lower: Option<f64>,
    /// t interval of the slope, upper.
    pub slope_ci_upper: Option<f64>,
    /// `n` < [`SMALL_N`]: read as a hint, not evidence.
    pub small_n: bool,
}

/// The result of a link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkReport {
    /// Unit-periods in the survey.
    pub survey_cells: usize,
    /// Survey rows without a unit or a period (dropped).
    pub survey_rows_dropped: usize,
    /// Survey unit-periods with no operational row at the lagged period.
    pub unmatched_cells: usize,
    /// Operational rows without a unit or a period (dropped).
    pub operational_rows_dropped: usize,
    /// Every index–metric pair.
    pub pairs: Vec<LinkPair>,
}

type Key = (String, i64);

fn keys(data: &Dataset, unit: &str, period: &str) -> Result<(Vec<Option<Key>>, Option<Period>)> {
    let units = data.labels(unit)?;
    let periods = data.labels(period)?;
    let mut out = Vec::with_capacity(units.len());
    let mut first = None;
    for (row, (u, p)) in units.iter().zip(&periods).enumerate() {
        match (u, p) {
            (Some(u), Some(p)) => {
                let parsed = Period::parse(p).ok_or_else(|| Error::InvalidPeriod {
                    column: period.into(),
                    row: row + 1,
                    value: p.clone(),
                })?;
                let f: &Period = first.get_or_insert(parsed);
                if f.frequency() != parsed.frequency() {
                    return Err(Error::MixedPeriods {
                        context: format!("column `{period}`"),
                        first: f.to_string(),
                        first_kind: f.frequency(),
                        other: parsed.to_string(),
                        other_kind: parsed.frequency(),
                    });
                }
                out.push(Some((u.clone(), parsed.index())));
            }
            _ => out.push(None),
        }
    }
    Ok((out, first))
}

/// Pearson r with its Fisher z interval and the slope of y on x with its t interval.
pub fn correlate(x: &[f64], y: &[f64], level: f64) -> LinkPair {
    let n = x.len();
    let mut pair = LinkPair {
        index: String::new(),
        metric: String::new(),
        lag: 0,
        n,
        r: None,
        r_ci_lower: None,
        r_ci_upper: None,
        slope: None,
        slope_ci_lower: None,
        slope_ci_upper: None,
        small_n: n < SMALL_N,
    };
    if n < 3 {
        return pair;
    }
    let nf = n as f64;
    let mx = x.iter().sum::<f64>() / nf;
    let my = y.iter().sum::<f64>() / nf;
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    if !(sxx > 0.0 && syy > 0.0) {
        return pair;
    }
    let r = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    pair.r = Some(r);
    if n > 3 {
        let z = normal_quantile(0.5 + level / 2.0);
        let half = z / (nf - 3.0).sqrt();
        let fz = r.atanh();
        pair.r_ci_lower = Some((fz - half).tanh());
        pair.r_ci_upper = Some((fz + half).tanh());
    }
    let b = sxy / sxx;
    pair.slope = Some(b);
    let sse = (syy - b * sxy).max(0.0);
    let se = (sse / (nf - 2.0) / sxx).sqrt();
    let t = t_quantile(0.5 + level / 2.0, nf - 2.0);
    pair.slope_ci_lower = Some(b - t * se);
    pair.slope_ci_upper = Some(b + t * se);
    pair
}

/// Links the survey's unit-period indices to the operational metrics.
///
/// # Errors
/// [`Error::InvalidSetting`] for no index or metric or a level outside (0, 1);
/// unknown or non-numeric columns; [`Error::InvalidPeriod`],
/// [`Error::MixedPeriods`]; [`Error::Shape`] when a unit-period appears twice
/// in the operational table.
pub fn link(survey: &Dataset, operational: &Dataset, options: &LinkOptions) -> Result<LinkReport> {
    if options.indices.is_empty() || options.metrics.is_empty() {
        return Err(Error::InvalidSetting {
            name: "indices".into(),
            message: "give at least one survey index and one operational metric".into(),
        });
    }
    if !(options.level > 0.0 && options.level < 1.0) {
        return Err(Error::InvalidSetting {
            name: "level".into(),
            message: format!("{} is not between 0 and 1", options.level),
        });
    }
    let (skeys, _) = keys(survey, &options.unit, &options.period)?;
    let (okeys, _) = keys(operational, &options.unit, &options.period)?;
    let survey_rows_dropped = skeys.iter().filter(|k| k.is_none()).count();
    let operational_rows_dropped = okeys.iter().filter(|k| k.is_none()).count();
    let mut ops_row: BTreeMap<Key, usize> = BTreeMap::new();
    for (row, k) in okeys.iter().enumerate() {
        if let Some(k) = k
            && ops_row.insert(k.clone(), row).is_some()
        {
            return Err(Error::Shape {
                message: format!(
                    "unit `{}` appears twice for one period in the operational table (row {}); give one row per unit and period",
                    k.0,
                    row + 1
                ),
            });
        }
    }
    let mut cells: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (row, k) in skeys.iter().enumerate() {
        if let Some(k) = k {
            cells.entry(k.clone()).or_default().push(row);
        }
    }
    let unmatched_cells = cells
        .keys()
        .filter(|(u, t)| !ops_row.contains_key(&(u.clone(), t - options.lag)))
        .count();
    let mut pairs = Vec::new();
    for index in &options.indices {
        let y = survey.numeric(index)?;
        for metric in &options.metrics {
            let m = operational.numeric(metric)?;
            let (mut xs, mut ys) = (Vec::new(), Vec::new());
            for ((u, t), rows) in &cells {
                let Some(&orow) = ops_row.get(&(u.clone(), t - options.lag)) else {
                    continue;
                };
                let obs: Vec<f64> = rows.iter().map(|&r| y[r]).filter(|v| !v.is_nan()).collect();
                if obs.is_empty() || !m[orow].is_finite() {
                    continue;
                }
                xs.push(m[orow]);
                ys.push(obs.iter().sum::<f64>() / obs.len() as f64);
            }
            let mut pair = correlate(&xs, &ys, options.level);
            pair.index = index.clone();
            pair.metric = metric.clone();
            pair.lag = options.lag;
            pairs.push(pair);
        }
    }
    Ok(LinkReport {
        survey_cells: cells.len(),
        survey_rows_dropped,
        unmatched_cells,
        operational_rows_dropped,
        pairs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_case() {
        // x = 1..5, y = 2, 4, 5, 4, 5: Sxx = 10, Sxy = 6, Syy = 6.
        // r = 6/√60 = 0.774597; b = 0.6; SSE = 6 − 3.6 = 2.4; se = √(0.8/10) = 0.282843.
        let p = correlate(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 4.0, 5.0, 4.0, 5.0], 0.95);
        let r = p.r.unwrap();
        assert!((r - 0.774_596_669_2).abs() < 1e-9);
        assert!((p.slope.unwrap() - 0.6).abs() < 1e-12);
        // t(0.975, 3) = 3.182446; 0.6 ± 0.900128.
        assert!((p.slope_ci_lower.unwrap() - (0.6 - 3.182_446 * 0.282_842_7)).abs() < 1e-5);
        // Fisher z: atanh(r) = 1.0317185, half = 1.959964/√2 = 1.3859038: lower tanh(−0.3541853) = −0.3400820.
        assert!((p.r_ci_lower.unwrap() + 0.340_082_0).abs() < 1e-6);
        assert!(p.small_n);
    }

    #[test]
    fn lagged_join() {
        let survey = Dataset::from_reader(
            "city,month,sat\nA,2026-01,7\nA,2026-01,9\nA,2026-02,6\nB,2026-01,5\nB,2026-02,8\nC,2026-02,4\n,2026-02,3\n"
                .as_bytes(),
            &Default::default(),
        )
        .unwrap();
        let ops = Dataset::from_reader(
            "city,month,drop\nA,2025-12,1\nA,2026-01,2\nB,2025-12,3\nB,2026-01,0.5\nC,2026-01,4\n"
                .as_bytes(),
            &Default::default(),
        )
        .unwrap();
        let opts = LinkOptions {
            unit: "city".into(),
            period: "month".into(),
            indices: vec!["sat".into()],
            metrics: vec!["drop".into()],
            lag: 1,
            level: 0.95,
        };
        let rep = link(&survey, &ops, &opts).unwrap();
        assert_eq!(rep.survey_cells, 5);
        assert_eq!(rep.survey_rows_dropped, 1);
        assert_eq!(rep.unmatched_cells, 0);
        // Pairs (metric at t − 1, mean sat at t): (1, 8), (2, 6), (3, 5), (0.5, 8), (4, 4).
        let want = correlate(&[1.0, 2.0, 3.0, 0.5, 4.0], &[8.0, 6.0, 5.0, 8.0, 4.0], 0.95);
        assert_eq!(rep.pairs[0].n, 5);
        assert_eq!(rep.pairs[0].r, want.r);
        assert!(want.r.unwrap() < -0.9);
    }
}
