//! User-defined KPIs and a targets table (issue 17): KPIs defined in data
//! or configuration, computed per unit (region, city …) and period, with
//! attainment (达标) against targets read from a table and the trend
//! (环比 against the previous period, 同比 against the same period a year
//! earlier).
//!
//! Three kinds of KPI, each computed over the rows of one period (and unit):
//!
//! - **ratio**: `scale · Σ numerator / Σ denominator`, e.g. complaints per
//!   10 000 customers (万投比) = 10 000 · Σ complaints / Σ customers; a
//!   ratio of sums, not a mean of row ratios, so that large units weigh by
//!   their size;
//! - **share below / above**: the share of rows whose value is ≤ (below) or
//!   ≥ (above) a threshold, e.g. the share of calls answered within 20 s;
//! - **percentile**: the p-th percentile of a column, e.g. P90 handling
//!   time, by linear interpolation between order statistics (Hyndman & Fan
//!   1996, definition 7 — the default of R and NumPy; [`super::percentile`]).
//!
//! Rows are never dropped silently: a row without a period, without a unit,
//! with an empty value or with a value that is not a number is left out of
//! its KPI and counted in [`KpiSkipped`].
//!
//! A target applies to one unit or, written `*`, to every unit and to the
//! total over units; a unit's own target wins over `*`. Attainment: with
//! *higher is better* a value meets the target when value ≥ target, with
//! *lower is better* when value ≤ target. The attainment rate (达标率) of a
//! KPI in a period is the share of its units with a value and a target that
//! meet it.
//!
//! ```
//! use csikit::monitor::custom::{KpiDefinition, KpiKind, KpiTarget, Better, evaluate};
//! use csikit::{CsvOptions, Dataset};
//! let data = Dataset::from_reader(
//!     "month,region,complaints,customers\n2025年1月,north,3,10000\n2025年1月,south,1,20000\n"
//!         .as_bytes(),
//!     &CsvOptions::default(),
//! ).unwrap();
//! let rate = KpiDefinition::ratio("rate", "complaints", "customers", 10_000.0)
//!     .period("month")
//!     .unit("region");
//! let target = KpiTarget { kpi: "rate".into(), unit: None, target: 2.0, better: Better::Lower };
//! let r = evaluate(&data, &[rate], &[target]).unwrap();
//! let total = r.value("rate", None, "2025-01").unwrap();
//! assert!((total.value.unwrap() - 4.0 / 3.0).abs() < 1e-12); // 10 000 · 4 / 30 000
//! assert_eq!(total.met, Some(true));
//! assert_eq!(r.value("rate", Some("north"), "2025-01").unwrap().met, Some(false)); // 3.0 > 2
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Period, Trend, percentile};
use crate::data::Dataset;
use crate::error::{Error, Result, suggest};

/// What a KPI computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiKind {
    /// `scale · Σ column / Σ denominator`.
    Ratio,
    /// Share of rows with `column ≤ threshold`.
    ShareBelow,
    /// Share of rows with `column ≥ threshold`.
    ShareAbove,
    /// The `percentile`-th percentile (0–100) of `column` (Hyndman & Fan
    /// 1996, definition 7).
    Percentile,
}

impl KpiKind {
    fn parse(text: &str) -> Option<KpiKind> {
        Some(match text.trim().to_lowercase().as_str() {
            "ratio" | "比率" | "比值" => KpiKind::Ratio,
            "share_below" | "below" | "占比_低于" | "低于占比" => KpiKind::ShareBelow,
            "share_above" | "above" | "占比_高于" | "高于占比" => KpiKind::ShareAbove,
            "percentile" | "分位数" => KpiKind::Percentile,
            _ => return None,
        })
    }
}

/// A user-defined KPI. In JSON and in a definitions table the fields are
/// `kpi`, `kind` (`ratio`, `share_below`, `share_above`, `percentile`),
/// `column`, `denominator`, `scale`, `threshold`, `percentile`, `period`,
/// `unit`, `label`, `label_en`, `table`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiDefinition {
    /// The KPI's name (targets refer to it).
    pub kpi: String,
    /// What it computes.
    pub kind: KpiKind,
    /// The value column (the numerator of a ratio).
    pub column: String,
    /// The denominator column of a ratio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    /// Multiplier of a ratio (10 000 for "per 10 000"); default 1.
    #[serde(default = "one")]
    pub scale: f64,
    /// The threshold of a share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The percentile, 0–100 (90 = P90).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentile: Option<f64>,
    /// The period column (default `month`).
    #[serde(default = "month")]
    pub period: String,
    /// The unit column (region, city …); none = totals only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The name shown in Chinese reports (and in English ones without `label_en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The name shown in English reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    /// The table the KPI reads in `csikit monitor`: `data` (the `--kpi-data`
    /// table; the default), `complaints`, `customers` or `survey`. Not used by
    /// [`evaluate`], which is given its table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

fn one() -> f64 {
    1.0
}

fn month() -> String {
    "month".into()
}

impl KpiDefinition {
    fn new(kpi: &str, kind: KpiKind, column: &str) -> KpiDefinition {
        KpiDefinition {
            kpi: kpi.into(),
            kind,
            column: column.into(),
            denominator: None,
            scale: 1.0,
            threshold: None,
            percentile: None,
            period: month(),
            unit: None,
            label: None,
            label_en: None,
            table: None,
        }
    }

    /// A ratio `scale · Σ numerator / Σ denominator`.
    pub fn ratio(kpi: &str, numerator: &str, denominator: &str, scale: f64) -> KpiDefinition {
        KpiDefinition {
            denominator: Some(denominator.into()),
            scale,
            ..KpiDefinition::new(kpi, KpiKind::Ratio, numerator)
        }
    }

    /// The share of rows with `column ≤ threshold`.
    pub fn share_below(kpi: &str, column: &str, threshold: f64) -> KpiDefinition {
        KpiDefinition {
            threshold: Some(threshold),
            ..KpiDefinition::new(kpi, KpiKind::ShareBelow, column)
        }
    }

    /// The share of rows with `column ≥ threshold`.
    pub fn share_above(kpi: &str, column: &str, threshold: f64) -> KpiDefinition {
        KpiDefinition {
            threshold: Some(threshold),
            ..KpiDefinition::new(kpi, KpiKind::ShareAbove, column)
        }
    }

    /// The `p`-th percentile (0–100) of `column`.
    pub fn percentile(kpi: &str, column: &str, p: f64) -> KpiDefinition {
        KpiDefinition {
            percentile: Some(p),
            ..KpiDefinition::new(kpi, KpiKind::Percentile, column)
        }
    }

    /// With period column `column`.
    pub fn period(mut self, column: &str) -> KpiDefinition {
        self.period = column.into();
        self
    }

    /// With unit column `column`.
    pub fn unit(mut self, column: &str) -> KpiDefinition {
        self.unit = Some(column.into());
        self
    }

    /// The name to show in `zh` (`label`) or `en` (`label_en`, else `label`,
    /// else the name).
    pub fn shown(&self, chinese: bool) -> &str {
        let en = self.label_en.as_deref();
        let zh = self.label.as_deref();
        if chinese { zh.or(en) } else { en.or(zh) }.unwrap_or(&self.kpi)
    }

    fn check(&self, row: usize) -> Result<()> {
        let bad = |message: String| {
            Err(Error::InvalidKpiDefinition {
                kpi: self.kpi.clone(),
                row,
                message,
            })
        };
        if self.kpi.trim().is_empty() {
            return bad("the KPI has no name".into());
        }
        if self.column.trim().is_empty() {
            return bad("no value column (`column`)".into());
        }
        match self.kind {
            KpiKind::Ratio => {
                if self
                    .denominator
                    .as_deref()
                    .is_none_or(|d| d.trim().is_empty())
                {
                    return bad("a ratio needs a `denominator` column".into());
                }
                if !(self.scale.is_finite() && self.scale > 0.0) {
                    return bad(format!(
                        "scale {} must be a positive number (e.g. 10000 for per 10 000)",
                        self.scale
                    ));
                }
            }
            KpiKind::ShareBelow | KpiKind::ShareAbove => {
                if !self.threshold.is_some_and(f64::is_finite) {
                    return bad("a share needs a finite `threshold`".into());
                }
            }
            KpiKind::Percentile => {
                if !self.percentile.is_some_and(|p| (0.0..=100.0).contains(&p)) {
                    return bad(format!(
                        "a percentile needs `percentile` between 0 and 100 (90 = P90), not {}",
                        self.percentile.map_or("nothing".into(), |p| p.to_string())
                    ));
                }
            }
        }
        Ok(())
    }

    /// Reads KPI definitions from a table with the header `kpi, kind,
    /// column, denominator, scale, threshold, percentile, period, unit,
    /// label, label_en, table` (Chinese headers accepted: 指标, 类型, 列, 分母,
    /// 倍数, 阈值, 分位数, 周期, 单元, 名称, 英文名称, 表). Only `kpi`, `kind` and
    /// `column` are required; unknown columns are ignored.
    ///
    /// # Errors
    /// [`Error::InvalidKpiDefinition`] naming the row and what is wrong
    /// (a required column absent, an unknown kind, a number that is not a
    /// number, a name given twice).
    pub fn from_dataset(table: &Dataset) -> Result<Vec<KpiDefinition>> {
        let cells = Cells::new(
            table,
            &[
                ("kpi", "指标"),
                ("kind", "类型"),
                ("column", "列"),
                ("denominator", "分母"),
                ("scale", "倍数"),
                ("threshold", "阈值"),
                ("percentile", "分位数"),
                ("period", "周期"),
                ("unit", "单元"),
                ("label", "名称"),
                ("label_en", "英文名称"),
                ("table", "表"),
            ],
        )?;
        for required in ["kpi", "kind", "column"] {
            if !cells.has(required) {
                return Err(Error::InvalidKpiDefinition {
                    kpi: String::new(),
                    row: 0,
                    message: format!(
                        "the table has no `{required}` column (header: {}); expected kpi,kind,column,denominator,scale,threshold,percentile,period,unit,label",
                        table.names().join(",")
                    ),
                });
            }
        }
        let mut out: Vec<KpiDefinition> = Vec::new();
        for r in 0..table.n_rows() {
            let row = r + 1;
            let kpi = cells.get("kpi", r).unwrap_or_default();
            let bad = |message: String| Error::InvalidKpiDefinition {
                kpi: kpi.clone(),
                row,
                message,
            };
            let number = |name: &str| -> Result<Option<f64>> {
                match cells.get(name, r) {
                    None => Ok(None),
                    Some(t) => parse_number(&t)
                        .map(Some)
                        .ok_or_else(|| bad(format!("`{name}` holds `{t}`, which is not a number"))),
                }
            };
            let kind_text = cells.get("kind", r).unwrap_or_default();
            let kind = KpiKind::parse(&kind_text).ok_or_else(|| {
                bad(format!(
                    "kind `{kind_text}` is not one of ratio, share_below, share_above, percentile"
                ))
            })?;
            let def = KpiDefinition {
                kpi: kpi.clone(),
                kind,
                column: cells.get("column", r).unwrap_or_default(),
                denominator: cells.get("denominator", r),
                scale: number("scale")?.unwrap_or(1.0),
                threshold: number("threshold")?,
                percentile: number("percentile")?,
                period: cells.get("period", r).unwrap_or_else(month),
                unit: cells.get("unit", r),
                label: cells.get("label", r),
                label_en: cells.get("label_en", r),
                table: cells.get("table", r),
            };
            def.check(row)?;
            if out.iter().any(|d| d.kpi == def.kpi) {
                return Err(bad("the KPI is defined twice".into()));
            }
            out.push(def);
        }
        Ok(out)
    }
}

/// Which direction is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Higher is better: met when value ≥ target.
    Higher,
    /// Lower is better: met when value ≤ target.
    Lower,
}

impl Better {
    fn parse(text: &str) -> Option<Better> {
        Some(match text.trim().to_lowercase().as_str() {
            "higher" | "high" | "up" | ">=" | "越高越好" | "高" | "越大越好" => {
                Better::Higher
            }
            "lower" | "low" | "down" | "<=" | "越低越好" | "低" | "越小越好" => {
                Better::Lower
            }
            _ => return None,
        })
    }

    fn met(self, value: f64, target: f64) -> bool {
        match self {
            Better::Higher => value >= target,
            Better::Lower => value <= target,
        }
    }
}

/// A target of one KPI for one unit, or (`unit` = `None`, written `*`) for
/// every unit and the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiTarget {
    /// The KPI's name.
    pub kpi: String,
    /// The unit; `None` (`*` in a table) = every unit.
    #[serde(default, with = "star")]
    pub unit: Option<String>,
    /// The target value.
    pub target: f64,
    /// Which direction is better.
    pub better: Better,
}

/// `None` ↔ `"*"`.
mod star {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(unit: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(unit.as_deref().unwrap_or("*"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        Ok(text.filter(|t| t.trim() != "*"))
    }
}

impl KpiTarget {
    /// Reads targets from a table with the header `kpi, unit, target,
    /// direction` (`direction`: `higher` or `lower` is better; Chinese
    /// headers 指标, 单元, 目标值, 方向 and directions 越高越好 / 越低越好
    /// accepted). `unit` is optional: an empty cell or `*` = every unit.
    ///
    /// # Errors
    /// [`Error::InvalidTarget`] for a required column absent, a target that
    /// is not a finite number, a direction other than higher/lower, or a
    /// KPI and unit given twice.
    pub fn from_dataset(table: &Dataset) -> Result<Vec<KpiTarget>> {
        let cells = Cells::new(
            table,
            &[
                ("kpi", "指标"),
                ("unit", "单元"),
                ("target", "目标值"),
                ("direction", "方向"),
            ],
        )?;
        for required in ["kpi", "target", "direction"] {
            if !cells.has(required) {
                return Err(Error::InvalidTarget {
                    row: 0,
                    column: required.into(),
                    message: format!(
                        "the targets table has no such column (header: {}); expected kpi,unit,target,direction",
                        table.names().join(",")
                    ),
                });
            }
        }
        let mut out: Vec<KpiTarget> = Vec::new();
        for r in 0..table.n_rows() {
            let row = r + 1;
            let bad = |column: &str, message: String| Error::InvalidTarget {
                row,
                column: column.into(),
                message,
            };
            let kpi = cells
                .get("kpi", r)
                .ok_or_else(|| bad("kpi", "no KPI name".into()))?;
            let unit = cells.get("unit", r).filter(|u| u != "*");
            let text = cells.get("target", r).unwrap_or_default();
            let target = parse_number(&text).ok_or_else(|| {
                bad(
                    "target",
                    format!(
                        "`{text}` is not a number; write the target as a number such as 0.9 or 12.5"
                    ),
                )
            })?;
            let dir = cells.get("direction", r).unwrap_or_default();
            let better = Better::parse(&dir).ok_or_else(|| {
                bad(
                    "direction",
                    format!(
                        "`{dir}` is neither higher nor lower (is a higher or a lower value better?)"
                    ),
                )
            })?;
            if out.iter().any(|t| t.kpi == kpi && t.unit == unit) {
                return Err(bad(
                    "unit",
                    format!(
                        "KPI `{kpi}` has a second target for {}",
                        unit.as_deref().unwrap_or("*")
                    ),
                ));
            }
            out.push(KpiTarget {
                kpi,
                unit,
                target,
                better,
            });
        }
        Ok(out)
    }
}

/// A number in a cell of a definitions or targets table (`1 234,5` is not
/// accepted; `90%` is 0.9).
fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let (t, factor) = match t.strip_suffix('%') {
        Some(t) => (t.trim(), 0.01),
        None => (t, 1.0),
    };
    t.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| v * factor)
}

/// The text cells of a small table, by English or Chinese header.
struct Cells {
    columns: BTreeMap<&'static str, Vec<Option<String>>>,
}

impl Cells {
    fn new(table: &Dataset, names: &[(&'static str, &'static str)]) -> Result<Cells> {
        let mut columns = BTreeMap::new();
        for &(en, zh) in names {
            let found = table
                .names()
                .iter()
                .find(|n| n.trim().eq_ignore_ascii_case(en) || n.trim() == zh);
            if let Some(name) = found {
                let cells = table
                    .labels(name)?
                    .into_iter()
                    .map(|c| c.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()))
                    .collect();
                columns.insert(en, cells);
            }
        }
        Ok(Cells { columns })
    }

    fn has(&self, name: &str) -> bool {
        self.columns.contains_key(name)
    }

    fn get(&self, name: &str, row: usize) -> Option<String> {
        self.columns.get(name)?.get(row)?.clone()
    }
}

/// One KPI in one period for one unit (or the total).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiValue {
    /// The KPI.
    pub kpi: String,
    /// The unit (`None` = the total over all units).
    pub unit: Option<String>,
    /// The period.
    pub period: Period,
    /// The value (`None` when no row had a value, or a ratio's denominator sums to 0).
    pub value: Option<f64>,
    /// Rows behind the value.
    pub n: usize,
    /// The target that applies (the unit's own, else `*`).
    pub target: Option<f64>,
    /// Which direction is better (with a target).
    pub better: Option<Better>,
    /// Target met (达标); `None` without a value or a target.
    pub met: Option<bool>,
    /// Change from the previous period (环比; `None` when that period has no value).
    pub mom_change: Option<f64>,
    /// The change in % of the previous value (`None` when it is 0).
    pub mom_pct: Option<f64>,
    /// Change from the same period a year earlier (同比).
    pub yoy_change: Option<f64>,
    /// The change in % of the value a year earlier.
    pub yoy_pct: Option<f64>,
    /// The direction of the 环比 change relative to the target's direction
    /// (without a target: none).
    pub trend: Option<Trend>,
}

/// The attainment rate (达标率) of one KPI in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attainment {
    /// The KPI.
    pub kpi: String,
    /// The period.
    pub period: Period,
    /// Units with a value and a target.
    pub units: usize,
    /// Of them, units meeting the target.
    pub met: usize,
    /// `met / units` (`None` without such units).
    pub rate: Option<f64>,
}

/// Rows of the data a KPI could not use, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KpiSkipped {
    /// The KPI.
    pub kpi: String,
    /// Rows of the table.
    pub rows: usize,
    /// Rows used.
    pub used: usize,
    /// Rows without a period.
    pub missing_period: usize,
    /// Rows without a unit (when the KPI has a unit column).
    pub missing_unit: usize,
    /// Rows with an empty value (or denominator).
    pub missing_value: usize,
    /// Rows whose value (or denominator) is text that is not a number.
    pub invalid_value: usize,
}

impl KpiSkipped {
    /// Rows left out, for any reason.
    pub fn total(&self) -> usize {
        self.missing_period + self.missing_unit + self.missing_value + self.invalid_value
    }
}

/// User-defined KPIs evaluated against their targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiReport {
    /// The definitions.
    pub definitions: Vec<KpiDefinition>,
    /// The targets.
    pub targets: Vec<KpiTarget>,
    /// The periods of the data, in time order.
    pub periods: Vec<Period>,
    /// Per KPI, unit (total first, then units in the crate's level order)
    /// and period (in time order).
    pub values: Vec<KpiValue>,
    /// Attainment rates per KPI and period (KPIs with units).
    pub attainment: Vec<Attainment>,
    /// Rows left out, per KPI.
    pub skipped: Vec<KpiSkipped>,
}

impl KpiReport {
    /// The value of `kpi` for `unit` (`None` = total) in `period` (any spelling).
    pub fn value(&self, kpi: &str, unit: Option<&str>, period: &str) -> Option<&KpiValue> {
        let p = Period::parse(period)?;
        self.values
            .iter()
            .find(|v| v.kpi == kpi && v.unit.as_deref() == unit && v.period == p)
    }

    /// The last period with data.
    pub fn last_period(&self) -> Option<Period> {
        self.periods.last().copied()
    }
}

/// A cell of a numeric column: a number, empty, or text that is not a number.
enum Cell {
    Value(f64),
    Empty,
    Invalid,
}

fn numbers(data: &Dataset, column: &str) -> Result<Vec<Cell>> {
    if let Ok(v) = data.numeric(column) {
        return Ok(v
            .iter()
            .map(|x| {
                if x.is_nan() {
                    Cell::Empty
                } else {
                    Cell::Value(*x)
                }
            })
            .collect());
    }
    Ok(data
        .labels(column)?
        .into_iter()
        .map(|c| match c.map(|t| t.trim().to_string()) {
            None => Cell::Empty,
            Some(t) if t.is_empty() => Cell::Empty,
            // A data cell is a plain number: `12%` in a duration column is
            // not silently read as 0.12.
            Some(t) => t
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map_or(Cell::Invalid, Cell::Value),
        })
        .collect())
}

/// Per (unit or total, period): numerator and denominator sums, or the values.
#[derive(Default)]
struct Acc {
    num: f64,
    den: f64,
    values: Vec<f64>,
    n: usize,
}

/// Computes every KPI on `data` per period and unit, with the targets'
/// attainment and the 环比 / 同比 changes. Periods are parsed ([`Period`]:
/// `2025-03`, `2025年3月`, a date …) and ordered in time.
///
/// # Errors
/// [`Error::InvalidKpiDefinition`] for a definition that cannot be computed
/// or a KPI defined twice; [`Error::UnknownColumn`] for a column the data
/// lack; [`Error::InvalidPeriod`] / [`Error::MixedPeriods`] for period
/// labels; [`Error::UnknownKpi`] / [`Error::UnknownUnit`] for a target of a
/// KPI or unit that does not exist; [`Error::InvalidTarget`] for a
/// non-finite target or a KPI and unit given twice.
pub fn evaluate(
    data: &Dataset,
    definitions: &[KpiDefinition],
    targets: &[KpiTarget],
) -> Result<KpiReport> {
    let tables: Vec<&Dataset> = vec![data; definitions.len()];
    evaluate_on(&tables, definitions, targets)
}

/// [`evaluate`] with each KPI on its own table (`tables[i]` for
/// `definitions[i]`), e.g. a ratio on a monthly table and a percentile on a
/// call-level table.
///
/// # Errors
/// As [`evaluate`]; [`Error::Shape`] when the lengths differ.
pub fn evaluate_on(
    tables: &[&Dataset],
    definitions: &[KpiDefinition],
    targets: &[KpiTarget],
) -> Result<KpiReport> {
    if tables.len() != definitions.len() {
        return Err(Error::Shape {
            message: format!(
                "{} tables for {} KPI definitions",
                tables.len(),
                definitions.len()
            ),
        });
    }
    for (i, d) in definitions.iter().enumerate() {
        d.check(i + 1)?;
        if definitions[..i].iter().any(|e| e.kpi == d.kpi) {
            return Err(Error::InvalidKpiDefinition {
                kpi: d.kpi.clone(),
                row: i + 1,
                message: "the KPI is defined twice".into(),
            });
        }
    }
    let mut values = Vec::new();
    let mut attainment = Vec::new();
    let mut skipped = Vec::new();
    let mut all_periods: BTreeSet<Period> = BTreeSet::new();
    let mut units_of: BTreeMap<&str, (Option<&str>, Vec<String>)> = BTreeMap::new();
    let mut computed = Vec::new();
    for (def, data) in definitions.iter().zip(tables) {
        let (acc, units, skip) = accumulate(data, def)?;
        all_periods.extend(acc.keys().map(|(p, _)| *p));
        units_of.insert(def.kpi.as_str(), (def.unit.as_deref(), units.clone()));
        computed.push((acc, units));
        skipped.push(skip);
    }
    check_targets(targets, definitions, &units_of)?;
    for (def, (acc, units)) in definitions.iter().zip(computed) {
        let periods: BTreeSet<Period> = acc.keys().map(|(p, _)| *p).collect();
        let mut keys: Vec<Option<String>> = vec![None];
        keys.extend(units.iter().cloned().map(Some));
        let target_of = |unit: &Option<String>| {
            targets
                .iter()
                .find(|t| t.kpi == def.kpi && t.unit.is_some() && t.unit == *unit)
                .or_else(|| {
                    targets
                        .iter()
                        .find(|t| t.kpi == def.kpi && t.unit.is_none())
                })
        };
        for key in &keys {
            let target = target_of(key);
            let value_at = |p: Period| -> (Option<f64>, usize) {
                match acc.get(&(p, key.clone())) {
                    Some(a) => (kpi_value(def, a), a.n),
                    None => (None, 0),
                }
            };
            for &p in &periods {
                let (value, n) = value_at(p);
                let change = |q: Option<Period>| -> (Option<f64>, Option<f64>) {
                    let prev = q.and_then(|q| value_at(q).0);
                    match (value, prev) {
                        (Some(v), Some(w)) => {
                            (Some(v - w), (w != 0.0).then(|| (v - w) / w.abs() * 100.0))
                        }
                        _ => (None, None),
                    }
                };
                let (mom_change, mom_pct) = change(Some(p.previous()));
                let (yoy_change, yoy_pct) = change(p.year_earlier());
                let met = value.zip(target).map(|(v, t)| t.better.met(v, t.target));
                let trend = mom_change.zip(target).map(|(c, t)| {
                    if c == 0.0 {
                        Trend::Flat
                    } else if (c > 0.0) == (t.better == Better::Higher) {
                        Trend::Improving
                    } else {
                        Trend::Worsening
                    }
                });
                values.push(KpiValue {
                    kpi: def.kpi.clone(),
                    unit: key.clone(),
                    period: p,
                    value,
                    n,
                    target: target.map(|t| t.target),
                    better: target.map(|t| t.better),
                    met,
                    mom_change,
                    mom_pct,
                    yoy_change,
                    yoy_pct,
                    trend,
                });
            }
        }
        if def.unit.is_some() {
            for &p in &periods {
                let rows: Vec<&KpiValue> = values
                    .iter()
                    .filter(|v| v.kpi == def.kpi && v.period == p && v.unit.is_some())
                    .filter(|v| v.met.is_some())
                    .collect();
                let met = rows.iter().filter(|v| v.met == Some(true)).count();
                attainment.push(Attainment {
                    kpi: def.kpi.clone(),
                    period: p,
                    units: rows.len(),
                    met,
                    rate: (!rows.is_empty()).then(|| met as f64 / rows.len() as f64),
                });
            }
        }
    }
    Ok(KpiReport {
        definitions: definitions.to_vec(),
        targets: targets.to_vec(),
        periods: all_periods.into_iter().collect(),
        values,
        attainment,
        skipped,
    })
}

type Accumulated = (
    BTreeMap<(Period, Option<String>), Acc>,
    Vec<String>,
    KpiSkipped,
);

/// Sums (or collects) each usable row into its period × unit and the total.
fn accumulate(data: &Dataset, def: &KpiDefinition) -> Result<Accumulated> {
    let n_rows = data.n_rows();
    let period_labels = data.labels(&def.period)?;
    let values = numbers(data, &def.column)?;
    let denominators = match &def.denominator {
        Some(d) if def.kind == KpiKind::Ratio => Some(numbers(data, d)?),
        _ => None,
    };
    let units = match &def.unit {
        Some(u) => Some(data.labels(u)?),
        None => None,
    };
    // Periods: each distinct label parsed once (one kind per column).
    let mut distinct: Vec<(&str, usize)> = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (r, l) in period_labels.iter().enumerate() {
        if let Some(l) = l.as_deref().map(str::trim).filter(|l| !l.is_empty())
            && seen.insert(l)
        {
            distinct.push((l, r + 1));
        }
    }
    let parsed = crate::period::parse_column(&def.period, &distinct)?;
    let period_of: BTreeMap<&str, Period> = distinct.iter().map(|(l, _)| *l).zip(parsed).collect();
    let mut skip = KpiSkipped {
        kpi: def.kpi.clone(),
        rows: n_rows,
        ..KpiSkipped::default()
    };
    let mut acc: BTreeMap<(Period, Option<String>), Acc> = BTreeMap::new();
    let mut unit_set: BTreeSet<String> = BTreeSet::new();
    for r in 0..n_rows {
        let Some(p) = period_labels[r]
            .as_deref()
            .map(str::trim)
            .and_then(|l| period_of.get(l).copied())
        else {
            skip.missing_period += 1;
            continue;
        };
        let unit = match &units {
            Some(u) => match u[r].as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                Some(u) => {
                    // A unit of the data even when none of its rows is usable.
                    unit_set.insert(u.to_string());
                    Some(u.to_string())
                }
                None => {
                    skip.missing_unit += 1;
                    continue;
                }
            },
            None => None,
        };
        let mut value = |c: &Cell| match c {
            Cell::Value(v) => Some(*v),
            Cell::Empty => {
                skip.missing_value += 1;
                None
            }
            Cell::Invalid => {
                skip.invalid_value += 1;
                None
            }
        };
        let Some(x) = value(&values[r]) else { continue };
        let d = match &denominators {
            Some(den) => match value(&den[r]) {
                Some(d) => d,
                None => continue,
            },
            None => 0.0,
        };
        skip.used += 1;
        let mut add = |key: (Period, Option<String>)| {
            let a = acc.entry(key).or_default();
            a.n += 1;
            match def.kind {
                KpiKind::Ratio => {
                    a.num += x;
                    a.den += d;
                }
                _ => a.values.push(x),
            }
        };
        add((p, None));
        if let Some(u) = unit {
            add((p, Some(u)));
        }
    }
    let mut units: Vec<Vec<String>> = unit_set.into_iter().map(|u| vec![u]).collect();
    crate::group::sort_keys(&mut units);
    Ok((acc, units.into_iter().flatten().collect(), skip))
}

fn kpi_value(def: &KpiDefinition, a: &Acc) -> Option<f64> {
    match def.kind {
        KpiKind::Ratio => (a.den != 0.0).then(|| def.scale * a.num / a.den),
        KpiKind::ShareBelow | KpiKind::ShareAbove => {
            let t = def.threshold?;
            (!a.values.is_empty()).then(|| {
                let hit = a
                    .values
                    .iter()
                    .filter(|v| {
                        if def.kind == KpiKind::ShareBelow {
                            **v <= t
                        } else {
                            **v >= t
                        }
                    })
                    .count();
                hit as f64 / a.values.len() as f64
            })
        }
        KpiKind::Percentile => percentile(&a.values, def.percentile? / 100.0),
    }
}

fn check_targets(
    targets: &[KpiTarget],
    definitions: &[KpiDefinition],
    units_of: &BTreeMap<&str, (Option<&str>, Vec<String>)>,
) -> Result<()> {
    for (i, t) in targets.iter().enumerate() {
        let row = i + 1;
        if !t.target.is_finite() {
            return Err(Error::InvalidTarget {
                row,
                column: "target".into(),
                message: format!("`{}` is not a finite number", t.target),
            });
        }
        let Some((_, units)) = units_of.get(t.kpi.as_str()) else {
            return Err(Error::UnknownKpi {
                kpi: t.kpi.clone(),
                row,
                suggestions: suggest(&t.kpi, definitions.iter().map(|d| d.kpi.as_str())),
            });
        };
        if let Some(u) = &t.unit
            && !units.contains(u)
        {
            return Err(Error::UnknownUnit {
                kpi: t.kpi.clone(),
                unit: u.clone(),
                row,
                suggestions: suggest(u, units.iter().map(String::as_str)),
            });
        }
        if targets[..i]
            .iter()
            .any(|s| s.kpi == t.kpi && s.unit == t.unit)
        {
            return Err(Error::InvalidTarget {
                row,
                column: "unit".into(),
                message: format!(
                    "KPI `{}` has a second target for {}",
                    t.kpi,
                    t.unit.as_deref().unwrap_or("*")
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::CsvOptions;

    fn ds(text: &str) -> Dataset {
        Dataset::from_reader(text.as_bytes(), &CsvOptions::default()).unwrap()
    }

    #[test]
    fn numbers_in_cells_accept_percent_signs() {
        assert_eq!(parse_number(" 12.5 "), Some(12.5));
        assert_eq!(parse_number("90%"), Some(0.9));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn a_percent_sign_in_a_data_cell_is_not_a_number() {
        let d = ds("month,wait\n2025-01,12%\n2025-01,10\n");
        let r = evaluate(&d, &[KpiDefinition::share_below("w", "wait", 20.0)], &[]).unwrap();
        assert_eq!(r.skipped[0].invalid_value, 1);
        assert_eq!(r.value("w", None, "2025-01").unwrap().n, 1);
    }

    #[test]
    fn chinese_headers_and_directions_are_read() {
        let t = ds("指标,单元,目标值,方向\n万投比,*,2.5,越低越好\n接通率,north,0.9,越高越好\n");
        let t = KpiTarget::from_dataset(&t).unwrap();
        assert_eq!(t[0].unit, None);
        assert_eq!(t[0].better, Better::Lower);
        assert_eq!(t[1].unit.as_deref(), Some("north"));
        assert_eq!(t[1].better, Better::Higher);
        let d = ds("指标,类型,列,分母,倍数,单元\n万投比,ratio,complaints,customers,10000,region\n");
        let d = KpiDefinition::from_dataset(&d).unwrap();
        assert_eq!(d[0].kind, KpiKind::Ratio);
        assert_eq!(d[0].scale, 10_000.0);
        assert_eq!(d[0].period, "month");
    }
}
