//! KPI targets: satisfied share, complaint rate, response and resolution
//! times — value, target, met or missed, and trend per period and segment.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use super::{
    Complaints, CustomerCounts, Period, periods_of, same_kind, segment_label, sorted_segment_keys,
};
use crate::data::Dataset;
use crate::error::{Error, Result};

/// The p-quantile (0 ≤ p ≤ 1) of `values` by linear interpolation between
/// order statistics (Hyndman & Fan 1996, definition 7; R's default):
/// h = (n − 1)p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎). `None` for no values.
///
/// ```
/// use csikit::monitor::percentile;
/// assert_eq!(percentile(&[1.0, 2.0, 2.0, 4.0], 0.5), Some(2.0));
/// assert!((percentile(&[1.0, 2.0, 2.0, 4.0], 0.9).unwrap() - 3.4).abs() < 1e-12);
/// ```
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}

/// Whether a KPI must be at least or at most its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Value ≥ target is met.
    AtLeast,
    /// Value ≤ target is met.
    AtMost,
}

/// Movement of a KPI against the previous calendar period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Moved towards (or further past) the target.
    Improving,
    /// Moved away from the target.
    Worsening,
    /// Unchanged.
    Flat,
}

/// A declared target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Kpi {
    /// Share of survey respondents whose satisfaction answer is ≥ `threshold`
    /// must be at least `target` (e.g. threshold 8 on a 1–10 scale, target 0.9).
    SatisfiedShare {
        /// Answer counted as satisfied.
        threshold: f64,
        /// Minimum share.
        target: f64,
    },
    /// Complaints per customer must be at most `max` (e.g. 0.03 = 3 %).
    ComplaintRate {
        /// Maximum complaints per customer.
        max: f64,
    },
    /// Share of complaints answered within `hours` must be at least `min_share`.
    ResponseWithin {
        /// The limit in hours.
        hours: f64,
        /// Minimum share.
        min_share: f64,
    },
    /// Share of complaints resolved within `hours` must be at least `min_share`.
    ResolutionWithin {
        /// The limit in hours.
        hours: f64,
        /// Minimum share.
        min_share: f64,
    },
    /// The `percentile` (0–1) of response times must be at most `max_hours`.
    ResponsePercentile {
        /// E.g. 0.9.
        percentile: f64,
        /// The limit in hours.
        max_hours: f64,
    },
    /// The `percentile` (0–1) of resolution times must be at most `max_hours`.
    ResolutionPercentile {
        /// E.g. 0.9.
        percentile: f64,
        /// The limit in hours.
        max_hours: f64,
    },
}

impl Kpi {
    /// A short readable name.
    pub fn name(&self) -> String {
        match self {
            Kpi::SatisfiedShare { threshold, .. } => {
                format!("satisfied share (answer >= {threshold})")
            }
            Kpi::ComplaintRate { .. } => "complaint rate".into(),
            Kpi::ResponseWithin { hours, .. } => format!("responded within {hours} h"),
            Kpi::ResolutionWithin { hours, .. } => format!("resolved within {hours} h"),
            Kpi::ResponsePercentile { percentile, .. } => {
                format!("response time p{:.0}", percentile * 100.0)
            }
            Kpi::ResolutionPercentile { percentile, .. } => {
                format!("resolution time p{:.0}", percentile * 100.0)
            }
        }
    }

    fn target(&self) -> (f64, Direction) {
        match *self {
            Kpi::SatisfiedShare { target, .. } => (target, Direction::AtLeast),
            Kpi::ComplaintRate { max } => (max, Direction::AtMost),
            Kpi::ResponseWithin { min_share, .. } | Kpi::ResolutionWithin { min_share, .. } => {
                (min_share, Direction::AtLeast)
            }
            Kpi::ResponsePercentile { max_hours, .. }
            | Kpi::ResolutionPercentile { max_hours, .. } => (max_hours, Direction::AtMost),
        }
    }

    fn check(&self) -> Result<()> {
        let bad = |m: String| {
            Err(Error::InvalidSetting {
                name: self.name(),
                message: m,
            })
        };
        match *self {
            Kpi::SatisfiedShare { target, .. } if !(0.0..=1.0).contains(&target) => {
                bad(format!("target share {target} is not in [0, 1]"))
            }
            Kpi::ComplaintRate { max } if !(max >= 0.0) => {
                bad(format!("maximum rate {max} is negative"))
            }
            Kpi::ResponseWithin { hours, min_share }
            | Kpi::ResolutionWithin { hours, min_share }
                if !(hours >= 0.0) || !(0.0..=1.0).contains(&min_share) =>
            {
                bad(format!(
                    "hours {hours} must be ≥ 0 and share {min_share} in [0, 1]"
                ))
            }
            Kpi::ResponsePercentile {
                percentile,
                max_hours,
            }
            | Kpi::ResolutionPercentile {
                percentile,
                max_hours,
            } if !(0.0..=1.0).contains(&percentile) || !(max_hours >= 0.0) => bad(format!(
                "percentile {percentile} must be in [0, 1] and hours {max_hours} ≥ 0"
            )),
            _ => Ok(()),
        }
    }
}

/// The status of one KPI in one period and segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiStatus {
    /// KPI name.
    pub kpi: String,
    /// Period.
    pub period: Period,
    /// Segment (`None` = all).
    pub segment: Option<String>,
    /// The value (`None` when nothing was measured, e.g. no complaints with a response time).
    pub value: Option<f64>,
    /// The target.
    pub target: f64,
    /// At least or at most.
    pub direction: Direction,
    /// Met (`None` when there is no value).
    pub met: Option<bool>,
    /// Observations behind the value (respondents, customers or complaints).
    pub n: f64,
    /// Change from the value of the previous calendar period ([`Period::previous`];
    /// `None` when that period has no value — never compared with an older one).
    pub change: Option<f64>,
    /// Trend against the previous calendar period.
    pub trend: Option<Trend>,
}

/// The survey side of the satisfied-share KPI.
#[derive(Debug, Clone, Copy)]
pub struct SurveyInput<'a> {
    /// Survey responses.
    pub data: &'a Dataset,
    /// Period column of the survey.
    pub period: &'a str,
    /// Satisfaction answer column.
    pub satisfaction: &'a str,
}

/// Evaluates KPIs per period, for all customers and — when the complaints
/// have segment columns (and the counts and survey have them too) — per segment.
///
/// Response and resolution KPIs use the complaints with a recorded time;
/// a period without any such complaint has no value (`met` is `None`).
///
/// # Errors
/// [`Error::InvalidSetting`] for an impossible target; the data errors of the
/// inputs ([`Error::UnknownColumn`], [`Error::InvalidPeriod`], …);
/// [`Error::InvalidSetting`] for a satisfied-share KPI without survey data.
pub fn evaluate_kpis(
    kpis: &[Kpi],
    complaints: &Complaints,
    counts: &CustomerCounts,
    survey: Option<SurveyInput<'_>>,
) -> Result<Vec<KpiStatus>> {
    for k in kpis {
        k.check()?;
    }
    let seg_cols = &complaints.segment_columns;
    let per_segment = !seg_cols.is_empty() && counts.segment_columns == *seg_cols;
    let periods: BTreeSet<Period> = counts.counts.keys().map(|(p, _)| *p).collect();
    let mut keys: Vec<Option<Vec<String>>> = vec![None];
    if per_segment {
        keys.extend(sorted_segment_keys(counts).into_iter().map(Some));
    }
    // Survey: (period, segment) → answers.
    let mut answers: BTreeMap<(Period, Option<Vec<String>>), Vec<f64>> = BTreeMap::new();
    if let Some(s) = survey {
        let ps = periods_of(s.data, s.period)?;
        same_kind(
            &format!("the customer counts and the survey column `{}`", s.period),
            periods.iter().copied(),
            ps.iter().copied(),
        )?;
        let sat = s.data.numeric(s.satisfaction)?;
        let segs: Option<Vec<Vec<Option<String>>>> =
            if per_segment && seg_cols.iter().all(|c| s.data.has_column(c)) {
                Some(
                    seg_cols
                        .iter()
                        .map(|c| s.data.labels(c))
                        .collect::<Result<_>>()?,
                )
            } else {
                None
            };
        for r in 0..s.data.n_rows() {
            if sat[r].is_nan() {
                continue;
            }
            answers.entry((ps[r], None)).or_default().push(sat[r]);
            if let Some(segs) = &segs {
                let key: Option<Vec<String>> = segs.iter().map(|c| c[r].clone()).collect();
                if let Some(key) = key {
                    answers.entry((ps[r], Some(key))).or_default().push(sat[r]);
                }
            }
        }
    } else if kpis.iter().any(|k| matches!(k, Kpi::SatisfiedShare { .. })) {
        return Err(Error::InvalidSetting {
            name: "satisfied share".into(),
            message: "needs survey data (SurveyInput)".into(),
        });
    }
    let mut out = Vec::new();
    for kpi in kpis {
        let (target, direction) = kpi.target();
        for key in &keys {
            // The last period with a value, and that value.
            let mut previous: Option<(Period, f64)> = None;
            for &p in &periods {
                let in_scope = |c: &super::Complaint| {
                    c.period == p && key.as_ref().is_none_or(|k| &c.segment == k)
                };
                let (value, n) = match kpi {
                    Kpi::SatisfiedShare { threshold, .. } => match answers.get(&(p, key.clone())) {
                        Some(a) if !a.is_empty() => (
                            Some(
                                a.iter().filter(|x| **x >= *threshold).count() as f64
                                    / a.len() as f64,
                            ),
                            a.len() as f64,
                        ),
                        _ => (None, 0.0),
                    },
                    Kpi::ComplaintRate { .. } => {
                        let customers: f64 = match key {
                            None => counts
                                .counts
                                .iter()
                                .filter(|((q, _), _)| *q == p)
                                .map(|(_, n)| n)
                                .sum(),
                            Some(k) => counts.counts.get(&(p, k.clone())).copied().unwrap_or(0.0),
                        };
                        let vol = complaints.rows.iter().filter(|c| in_scope(c)).count() as f64;
                        ((customers > 0.0).then(|| vol / customers), customers)
                    }
                    Kpi::ResponseWithin { hours, .. }
                    | Kpi::ResolutionWithin { hours, .. }
                    | Kpi::ResponsePercentile {
                        max_hours: hours, ..
                    }
                    | Kpi::ResolutionPercentile {
                        max_hours: hours, ..
                    } => {
                        let response = matches!(
                            kpi,
                            Kpi::ResponseWithin { .. } | Kpi::ResponsePercentile { .. }
                        );
                        let times: Vec<f64> = complaints
                            .rows
                            .iter()
                            .filter(|c| in_scope(c))
                            .filter_map(|c| {
                                if response {
                                    c.response_hours
                                } else {
                                    c.resolution_hours
                                }
                            })
                            .collect();
                        let value = match kpi {
                            Kpi::ResponsePercentile { percentile: q, .. }
                            | Kpi::ResolutionPercentile { percentile: q, .. } => {
                                percentile(&times, *q)
                            }
                            _ => (!times.is_empty()).then(|| {
                                times.iter().filter(|t| **t <= *hours).count() as f64
                                    / times.len() as f64
                            }),
                        };
                        (value, times.len() as f64)
                    }
                };
                let met = value.map(|v| match direction {
                    Direction::AtLeast => v >= target,
                    Direction::AtMost => v <= target,
                });
                // Only the previous calendar period counts (no bridging over a
                // period without a value or without a customer count).
                let change = value
                    .zip(previous.filter(|(q, _)| *q == p.previous()))
                    .map(|(v, (_, q))| v - q);
                let trend = change.map(|c| {
                    if c == 0.0 {
                        Trend::Flat
                    } else if (c > 0.0) == (direction == Direction::AtLeast) {
                        Trend::Improving
                    } else {
                        Trend::Worsening
                    }
                });
                out.push(KpiStatus {
                    kpi: kpi.name(),
                    period: p,
                    segment: key.as_ref().map(|k| segment_label(seg_cols, k)),
                    value,
                    target,
                    direction,
                    met,
                    n,
                    change,
                    trend,
                });
                if let Some(v) = value {
                    previous = Some((p, v));
                }
            }
        }
    }
    Ok(out)
}

impl fmt::Display for KpiStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.value.map_or("—".to_string(), |v| format!("{v:.3}"));
        let op = match self.direction {
            Direction::AtLeast => ">=",
            Direction::AtMost => "<=",
        };
        let status = match self.met {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "no data",
        };
        let trend = match self.trend {
            Some(Trend::Improving) => "improving",
            Some(Trend::Worsening) => "worsening",
            Some(Trend::Flat) => "flat",
            None => "",
        };
        write!(
            f,
            "{} {:<34} {:<24} {:>8} {op} {:<8} {:<7} {}",
            self.period,
            self.kpi,
            self.segment.as_deref().unwrap_or("all"),
            v,
            self.target,
            status,
            trend
        )
    }
}
