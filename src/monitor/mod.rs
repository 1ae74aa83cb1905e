//! Service-quality monitoring: complaint volumes and rates per 10 000
//! customers, month-over-month / year-over-year / fixed-base changes, top-N
//! hotspots, KPI targets, and the link between complaint categories and the
//! CSI drivers' performance (the "short boards").
//!
//! Inputs are ordinary [`Dataset`]s: a complaints table (one row per
//! complaint: period or timestamp, category, optional segment columns,
//! response and resolution times in hours, customer id) and a customer-count
//! table (period, optional segment columns, number of customers).
//!
//! ```
//! use csikit::monitor::{ComplaintColumns, Complaints, CustomerCounts, MetricOptions};
//! use csikit::{CsvOptions, Dataset};
//! let complaints = Dataset::from_reader(
//!     "month,category\n2026-01,billing\n2026-01,network\n2026-02,billing\n2026-02,billing\n".as_bytes(),
//!     &CsvOptions::default(),
//! ).unwrap();
//! let customers = Dataset::from_reader(
//!     "month,customers\n2026-01,20000\n2026-02,20000\n".as_bytes(),
//!     &CsvOptions::default(),
//! ).unwrap();
//! let c = Complaints::from_dataset(&complaints, &ComplaintColumns::new("month", "category")).unwrap();
//! let n = CustomerCounts::from_dataset(&customers, "month", "customers", &[]).unwrap();
//! let m = c.metrics(&n, &MetricOptions::default()).unwrap();
//! let feb = m.row("2026-02", None, "billing").unwrap();
//! assert_eq!(feb.volume, 2);
//! assert_eq!(feb.rate_per_10k, 1.0);           // 2 / 20 000 × 10 000
//! assert_eq!(feb.mom_change, Some(1));
//! assert_eq!(feb.mom_pct, Some(100.0));
//! ```

pub mod attribution;
#[cfg(feature = "report")]
mod chart;
pub mod custom;
mod kpi;
mod link;
pub mod scorecard;
#[cfg(feature = "simulate")]
pub mod simulate;
#[cfg(feature = "report")]
pub mod text;
pub mod warning;

/// The crate's reporting period ([`crate::period`]), re-exported here.
pub use crate::period::Period;
#[cfg(feature = "report")]
pub use chart::{share_bars, trend_chart, trend_chart_in, watch_chart};
pub use kpi::{Direction, Kpi, KpiStatus, SurveyInput, Trend, evaluate_kpis, percentile};
pub use link::{LinkRow, SegmentLinkRow, link_by_respondent, link_by_segment};
#[cfg(feature = "simulate")]
pub use simulate::{MonitorSimulation, SimulatedMonitor};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::data::Dataset;
use crate::error::{Error, Result};

/// Which columns of a complaints table hold what.
#[derive(Debug, Clone)]
pub struct ComplaintColumns {
    /// Period column: months (`2026-03`, `2026年3月`, a date or timestamp), or
    /// quarters, years, wave numbers — any spelling of [`Period`], one kind per column.
    pub period: String,
    /// Complaint category column.
    pub category: String,
    /// Segment columns (e.g. region, plan); rates per segment need customer
    /// counts per segment.
    pub segments: Vec<String>,
    /// Hours until the first response (optional).
    pub response_hours: Option<String>,
    /// Hours until resolution (optional).
    pub resolution_hours: Option<String>,
    /// Customer id, to join complaints to survey respondents (optional).
    pub customer_id: Option<String>,
}

impl ComplaintColumns {
    /// Period and category columns; nothing else.
    pub fn new(period: impl Into<String>, category: impl Into<String>) -> Self {
        ComplaintColumns {
            period: period.into(),
            category: category.into(),
            segments: Vec::new(),
            response_hours: None,
            resolution_hours: None,
            customer_id: None,
        }
    }

    /// Adds a segment column.
    pub fn segment(mut self, column: impl Into<String>) -> Self {
        self.segments.push(column.into());
        self
    }

    /// Sets the response-time column (hours).
    pub fn response_hours(mut self, column: impl Into<String>) -> Self {
        self.response_hours = Some(column.into());
        self
    }

    /// Sets the resolution-time column (hours).
    pub fn resolution_hours(mut self, column: impl Into<String>) -> Self {
        self.resolution_hours = Some(column.into());
        self
    }

    /// Sets the customer-id column.
    pub fn customer_id(mut self, column: impl Into<String>) -> Self {
        self.customer_id = Some(column.into());
        self
    }
}

/// One complaint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Complaint {
    /// Reporting period.
    pub period: Period,
    /// Category.
    pub category: String,
    /// Segment values, in the order of [`ComplaintColumns::segments`].
    pub segment: Vec<String>,
    /// Hours to first response (`None` if not recorded or still open).
    pub response_hours: Option<f64>,
    /// Hours to resolution (`None` if not recorded or still open).
    pub resolution_hours: Option<f64>,
    /// Customer id.
    pub customer_id: Option<String>,
}

/// A validated complaints table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Complaints {
    /// Segment column names.
    pub segment_columns: Vec<String>,
    /// The complaints.
    pub rows: Vec<Complaint>,
}

/// Reads a required text-like column, erroring on a missing cell.
fn labels_required(data: &Dataset, column: &str) -> Result<Vec<String>> {
    data.labels(column)?
        .into_iter()
        .enumerate()
        .map(|(r, v)| {
            v.ok_or_else(|| Error::MissingValues {
                column: column.to_string(),
                count: 1,
                first_row: r + 1,
            })
        })
        .collect()
}

/// The period of every row ([`Period`]: any accepted spelling, one kind per column).
fn periods_of(data: &Dataset, column: &str) -> Result<Vec<Period>> {
    let labels = labels_required(data, column)?;
    let labels: Vec<Option<&str>> = labels.iter().map(|l| Some(l.as_str())).collect();
    // Each distinct label is parsed once.
    let (groups, _) = crate::group::group_in_appearance_order(&labels);
    let distinct: Vec<(&str, usize)> = groups
        .iter()
        .map(|g| (g.label.as_str(), g.rows[0] + 1))
        .collect();
    let periods = crate::period::parse_column(column, &distinct)?;
    let mut out = vec![None; labels.len()];
    for (g, p) in groups.iter().zip(periods) {
        for &r in &g.rows {
            out[r] = Some(p);
        }
    }
    Ok(out.into_iter().flatten().collect())
}

/// [`Error::MixedPeriods`] unless every period of `b` has the kind of `a`'s.
fn same_kind(
    context: &str,
    a: impl IntoIterator<Item = Period>,
    b: impl IntoIterator<Item = Period>,
) -> Result<()> {
    let Some(first) = a.into_iter().next() else {
        return Ok(());
    };
    match b.into_iter().find(|p| p.frequency() != first.frequency()) {
        Some(other) => Err(Error::MixedPeriods {
            context: context.to_string(),
            first: first.to_string(),
            first_kind: first.frequency(),
            other: other.to_string(),
            other_kind: other.frequency(),
        }),
        None => Ok(()),
    }
}

fn durations(data: &Dataset, column: &str) -> Result<Vec<Option<f64>>> {
    data.numeric(column)?
        .iter()
        .enumerate()
        .map(|(r, &x)| {
            if x.is_nan() {
                Ok(None)
            } else if !x.is_finite() || x < 0.0 {
                Err(Error::NegativeDuration {
                    column: column.to_string(),
                    row: r + 1,
                    value: x,
                })
            } else {
                Ok(Some(x))
            }
        })
        .collect()
}

impl Complaints {
    /// Validates and reads a complaints table.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`], [`Error::MissingValues`] (a complaint without
    /// period or category), [`Error::InvalidPeriod`], [`Error::NegativeDuration`]
    /// (negative or infinite durations), [`Error::NonNumeric`] (text in a
    /// duration column).
    pub fn from_dataset(data: &Dataset, columns: &ComplaintColumns) -> Result<Self> {
        let periods = periods_of(data, &columns.period)?;
        let categories = labels_required(data, &columns.category)?;
        let segs: Vec<Vec<String>> = columns
            .segments
            .iter()
            .map(|c| labels_required(data, c))
            .collect::<Result<_>>()?;
        let resp = columns
            .response_hours
            .as_deref()
            .map(|c| durations(data, c))
            .transpose()?;
        let resol = columns
            .resolution_hours
            .as_deref()
            .map(|c| durations(data, c))
            .transpose()?;
        let ids = columns
            .customer_id
            .as_deref()
            .map(|c| data.labels(c))
            .transpose()?;
        let rows = (0..data.n_rows())
            .map(|r| Complaint {
                period: periods[r],
                category: categories[r].clone(),
                segment: segs.iter().map(|s| s[r].clone()).collect(),
                response_hours: resp.as_ref().and_then(|v| v[r]),
                resolution_hours: resol.as_ref().and_then(|v| v[r]),
                customer_id: ids.as_ref().and_then(|v| v[r].clone()),
            })
            .collect();
        Ok(Complaints {
            segment_columns: columns.segments.clone(),
            rows,
        })
    }

    /// Categories in alphabetical order.
    pub fn categories(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|c| c.category.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// Volume, rate, and changes per period × segment × category (and
    /// "all" categories), for every period of the customer-count table.
    ///
    /// Segments: when `counts` has segment columns, they must be the
    /// complaints' segment columns in the same order and rates are per
    /// segment; a segment key of `None` is the total over segments.
    ///
    /// # Errors
    /// [`Error::UnknownPeriod`] for a complaint in a period without a customer
    /// count, or a base period not in the counts; [`Error::ZeroCustomers`];
    /// [`Error::Shape`] when the segment columns do not match.
    pub fn metrics(
        &self,
        counts: &CustomerCounts,
        options: &MetricOptions,
    ) -> Result<ComplaintMetrics> {
        let by_segment = !counts.segment_columns.is_empty();
        if by_segment && counts.segment_columns != self.segment_columns {
            return Err(Error::Shape {
                message: format!(
                    "customer counts are per {:?} but complaints have segment columns {:?}",
                    counts.segment_columns, self.segment_columns
                ),
            });
        }
        let periods: BTreeSet<Period> = counts.counts.keys().map(|(p, _)| *p).collect();
        same_kind(
            "the customer counts and the complaints",
            periods.iter().copied(),
            self.rows.iter().map(|c| c.period),
        )?;
        if let Some(base) = options.base_period
            && !periods.contains(&base)
        {
            return Err(Error::UnknownPeriod {
                period: base.to_string(),
                context:
                    "the base period has no customer count; choose a period of the customer counts"
                        .into(),
            });
        }
        // Totals over segments.
        let mut customers_total: BTreeMap<Period, f64> = BTreeMap::new();
        for ((p, _), n) in &counts.counts {
            *customers_total.entry(*p).or_default() += n;
        }
        // Volumes.
        let mut volume: BTreeMap<(Period, Option<Vec<String>>, String), u64> = BTreeMap::new();
        for (row, c) in self.rows.iter().enumerate() {
            let seg_key = if by_segment {
                c.segment.clone()
            } else {
                Vec::new()
            };
            if !counts.counts.contains_key(&(c.period, seg_key.clone())) {
                return Err(Error::UnknownPeriod {
                    period: c.period.to_string(),
                    context: if by_segment {
                        format!(
                            "complaint row {} (segment {}) has no customer count; add the period and segment to the customer counts",
                            row + 1,
                            seg_key.join("/")
                        )
                    } else {
                        format!(
                            "complaint row {} falls in a period without a customer count; add the period to the customer counts",
                            row + 1
                        )
                    },
                });
            }
            for cat in [c.category.as_str(), ALL] {
                *volume.entry((c.period, None, cat.to_string())).or_default() += 1;
                if by_segment {
                    *volume
                        .entry((c.period, Some(seg_key.clone()), cat.to_string()))
                        .or_default() += 1;
                }
            }
        }
        let mut categories = self.categories();
        categories.push(ALL.to_string());
        let mut segment_keys: Vec<Option<Vec<String>>> = vec![None];
        if by_segment {
            segment_keys.extend(sorted_segment_keys(counts).into_iter().map(Some));
        }
        let customers = |p: Period, s: &Option<Vec<String>>| -> Option<f64> {
            match s {
                None => customers_total.get(&p).copied(),
                Some(k) => counts.counts.get(&(p, k.clone())).copied(),
            }
        };
        let mut rows = Vec::new();
        for seg in &segment_keys {
            for cat in &categories {
                for &p in &periods {
                    let Some(n) = customers(p, seg) else { continue };
                    let vol = |q: Period| -> Option<u64> {
                        customers(q, seg).map(|_| {
                            volume
                                .get(&(q, seg.clone(), cat.clone()))
                                .copied()
                                .unwrap_or(0)
                        })
                    };
                    let v = vol(p).unwrap_or(0);
                    let change = |q: Period| -> (Option<i64>, Option<f64>) {
                        match vol(q) {
                            Some(prev) => (
                                Some(v as i64 - prev as i64),
                                (prev > 0).then(|| (v as f64 - prev as f64) / prev as f64 * 100.0),
                            ),
                            None => (None, None),
                        }
                    };
                    // The previous calendar period and the same period a
                    // year earlier (never bridged over a missing one).
                    let (mom_change, mom_pct) = change(p.previous());
                    let (yoy_change, yoy_pct) = match p.year_earlier() {
                        Some(q) => change(q),
                        None => (None, None),
                    };
                    let base_index = options
                        .base_period
                        .and_then(&vol)
                        .and_then(|b| (b > 0).then(|| v as f64 / b as f64 * 100.0));
                    rows.push(MetricRow {
                        period: p,
                        segment: seg
                            .as_ref()
                            .map(|k| segment_label(&self.segment_columns, k)),
                        category: cat.clone(),
                        volume: v,
                        customers: n,
                        rate_per_10k: v as f64 / n * 10_000.0,
                        mom_change,
                        mom_pct,
                        yoy_change,
                        yoy_pct,
                        base_index,
                    });
                }
            }
        }
        Ok(ComplaintMetrics {
            periods: periods.into_iter().collect(),
            base_period: options.base_period,
            rows,
        })
    }
}

/// The segment keys of the customer counts, in the crate's level order
/// ([`crate::group`]) column by column.
fn sorted_segment_keys(counts: &CustomerCounts) -> Vec<Vec<String>> {
    let mut keys: Vec<Vec<String>> = counts
        .counts
        .keys()
        .map(|(_, s)| s.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    crate::group::sort_keys(&mut keys);
    keys
}

/// The pseudo-category holding all complaints.
pub const ALL: &str = "(all)";

fn segment_label(columns: &[String], key: &[String]) -> String {
    columns
        .iter()
        .zip(key)
        .map(|(c, v)| format!("{c}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Customers per period (and segment).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerCounts {
    /// Segment column names (empty: totals only).
    pub segment_columns: Vec<String>,
    /// Customers per (period, segment values).
    pub counts: BTreeMap<(Period, Vec<String>), f64>,
}

impl CustomerCounts {
    /// Reads a customer-count table: one row per period (and segment).
    ///
    /// # Errors
    /// [`Error::ZeroCustomers`] for a count ≤ 0 or missing, [`Error::InvalidPeriod`],
    /// [`Error::Shape`] for a period (and segment) listed twice.
    pub fn from_dataset(
        data: &Dataset,
        period: &str,
        customers: &str,
        segments: &[&str],
    ) -> Result<Self> {
        let periods = periods_of(data, period)?;
        let n = data.numeric(customers)?;
        let segs: Vec<Vec<String>> = segments
            .iter()
            .map(|c| labels_required(data, c))
            .collect::<Result<_>>()?;
        let mut counts = BTreeMap::new();
        for r in 0..data.n_rows() {
            let key: Vec<String> = segs.iter().map(|s| s[r].clone()).collect();
            if !(n[r] > 0.0 && n[r].is_finite()) {
                return Err(Error::ZeroCustomers {
                    period: periods[r].to_string(),
                    segment: key.join("/"),
                    value: n[r],
                });
            }
            if counts.insert((periods[r], key.clone()), n[r]).is_some() {
                return Err(Error::Shape {
                    message: format!(
                        "period {} {} is listed twice in the customer counts",
                        periods[r],
                        key.join("/")
                    ),
                });
            }
        }
        Ok(CustomerCounts {
            segment_columns: segments.iter().map(|s| s.to_string()).collect(),
            counts,
        })
    }
}

/// Settings of the complaint metrics.
#[derive(Debug, Clone, Default)]
pub struct MetricOptions {
    /// Period of the fixed-base index (value / base value × 100); none by default.
    pub base_period: Option<Period>,
}

/// Metrics of one category in one period and segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    /// Period.
    pub period: Period,
    /// Segment (`None` = all customers).
    pub segment: Option<String>,
    /// Category ([`ALL`] = every category).
    pub category: String,
    /// Complaints.
    pub volume: u64,
    /// Customers.
    pub customers: f64,
    /// Complaints per 10 000 customers.
    pub rate_per_10k: f64,
    /// Volume change from the previous calendar period ([`Period::previous`]: the
    /// previous month for monthly data; `None` if that period has no customer count —
    /// never compared with an older period instead).
    pub mom_change: Option<i64>,
    /// Percentage change from the previous calendar period (`None` if it had no complaints).
    pub mom_pct: Option<f64>,
    /// Volume change from the same period a year earlier ([`Period::year_earlier`];
    /// `None` without a customer count then, and for wave numbers).
    pub yoy_change: Option<i64>,
    /// Percentage change from the same period a year earlier.
    pub yoy_pct: Option<f64>,
    /// Volume as a percentage of the base period's (`None` without a base or a zero base).
    pub base_index: Option<f64>,
}

/// The complaint metrics table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplaintMetrics {
    /// Periods covered (from the customer counts), ascending.
    pub periods: Vec<Period>,
    /// The fixed base, if any.
    pub base_period: Option<Period>,
    /// One row per segment × category × period.
    pub rows: Vec<MetricRow>,
}

/// Top-N hotspots of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hotspots {
    /// The period.
    pub period: Period,
    /// Minimum volume for the rate list (categories below it cannot top it).
    pub min_volume_for_rate: u64,
    /// Largest volumes first (ties: alphabetical).
    pub by_volume: Vec<MetricRow>,
    /// Largest month-over-month increases first (only increases > 0).
    pub by_increase: Vec<MetricRow>,
    /// Highest rates per 10 000 first, among categories with volume ≥ `min_volume_for_rate`.
    pub by_rate: Vec<MetricRow>,
}

impl ComplaintMetrics {
    /// The row of a period (any spelling of [`Period`]), segment label (`None` = all) and category.
    pub fn row(&self, period: &str, segment: Option<&str>, category: &str) -> Option<&MetricRow> {
        let p = Period::parse(period)?;
        self.rows
            .iter()
            .find(|r| r.period == p && r.segment.as_deref() == segment && r.category == category)
    }

    /// The top `n` hotspots of `period` across all customers by volume, by
    /// month-over-month increase, and by rate. The rate list only admits
    /// categories with at least `min_volume` complaints that month, so that
    /// a category with 1 complaint in a tiny segment cannot top it.
    ///
    /// # Errors
    /// [`Error::UnknownPeriod`] if the period is not covered.
    pub fn hotspots(
        &self,
        period: Period,
        n: usize,
        min_volume: u64,
        segment: Option<&str>,
    ) -> Result<Hotspots> {
        if !self.periods.contains(&period) {
            return Err(Error::UnknownPeriod {
                period: period.to_string(),
                context: "not among the periods of the customer counts".into(),
            });
        }
        let rows: Vec<&MetricRow> = self
            .rows
            .iter()
            .filter(|r| r.period == period && r.segment.as_deref() == segment && r.category != ALL)
            .collect();
        let top = |mut v: Vec<&MetricRow>, key: &dyn Fn(&MetricRow) -> f64| -> Vec<MetricRow> {
            v.sort_by(|a, b| {
                key(b)
                    .total_cmp(&key(a))
                    .then_with(|| a.category.cmp(&b.category))
            });
            v.into_iter().take(n).cloned().collect()
        };
        Ok(Hotspots {
            period,
            min_volume_for_rate: min_volume,
            by_volume: top(
                rows.iter().copied().filter(|r| r.volume > 0).collect(),
                &|r| r.volume as f64,
            ),
            by_increase: top(
                rows.iter()
                    .copied()
                    .filter(|r| r.mom_change.is_some_and(|c| c > 0))
                    .collect(),
                &|r| r.mom_change.unwrap_or(0) as f64,
            ),
            by_rate: top(
                rows.iter()
                    .copied()
                    .filter(|r| r.volume >= min_volume.max(1))
                    .collect(),
                &|r| r.rate_per_10k,
            ),
        })
    }
}

impl fmt::Display for Hotspots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Complaint hotspots, {}", self.period)?;
        let table = |f: &mut fmt::Formatter<'_>, title: &str, rows: &[MetricRow]| -> fmt::Result {
            writeln!(f, "  {title}")?;
            writeln!(
                f,
                "    {:<20} {:>7} {:>10} {:>8} {:>8}",
                "category", "volume", "per 10k", "MoM", "YoY"
            )?;
            for r in rows {
                let ch = |c: Option<i64>| c.map_or("—".to_string(), |c| format!("{c:+}"));
                writeln!(
                    f,
                    "    {:<20} {:>7} {:>10.2} {:>8} {:>8}",
                    r.category,
                    r.volume,
                    r.rate_per_10k,
                    ch(r.mom_change),
                    ch(r.yoy_change)
                )?;
            }
            Ok(())
        };
        table(f, "by volume", &self.by_volume)?;
        table(f, "by month-over-month increase", &self.by_increase)?;
        table(
            f,
            &format!(
                "by rate (categories with at least {} complaints)",
                self.min_volume_for_rate
            ),
            &self.by_rate,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::CsvOptions;

    fn ds(text: &str) -> Dataset {
        Dataset::from_reader(text.as_bytes(), &CsvOptions::default()).unwrap()
    }

    #[test]
    fn segment_label_joins_columns() {
        assert_eq!(
            segment_label(
                &["region".into(), "plan".into()],
                &["north".into(), "prepaid".into()]
            ),
            "region=north, plan=prepaid"
        );
    }

    #[test]
    fn duplicate_count_rows_are_refused() {
        let d = ds("month,n\n2026-01,5\n2026-01,6\n");
        assert!(matches!(
            CustomerCounts::from_dataset(&d, "month", "n", &[]),
            Err(Error::Shape { .. })
        ));
    }
}
