//! The 0–100 customer-satisfaction index (Fornell 1992; Fornell et al. 1996)
//! per construct, per respondent, and aggregated over companies, industries
//! and sectors.
//!
//! With unstandardized outer weights `w_u,i = w_std,i / sd(x_i)` (or the
//! weights themselves when the fit used centred indicators), the index of a
//! construct is
//!
//! ```text
//! index = 100 · (Σ w̃_i x̄_i − Σ w̃_i min_i) / (Σ w̃_i max_i − Σ w̃_i min_i),   w̃ = w_u / Σ w_u
//!       = Σ_i v_i · 100 (x̄_i − min_i) / (max_i − min_i),     v_i = w_u,i (max_i − min_i) / Σ_k w_u,k (max_k − min_k)
//! ```
//!
//! with `min_i`, `max_i` the theoretical bounds of item `i`'s answer scale.
//! For 1–10 items it is `100 (Σ w̃ x̄ − 1) / 9`. The second form shows it is
//! invariant to a linear rescaling of any item (when its bounds are rescaled
//! too), and that `v_i` is the weight of the item rescaled to 0–100 — the
//! rescaled weight of importance–performance analysis (Ringle & Sarstedt 2016).
//! A negative `v_i` lets the index leave [0, 100]: the result then carries an
//! [`IndexWarning::NegativeWeight`].
//!
//! Everything here is a function of the fit's moments (indicator means and
//! covariances) and its weights: no pass over the rows except for
//! per-respondent scores ([`index_scores`]).

use serde::Serialize;

use super::models::Construct;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::pls::moments::Prepared;
use crate::pls::{PlsFit, Scaling, Scores};
use crate::stats;

/// The theoretical bounds of an answer scale (e.g. 1–10).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Scale {
    /// Lowest possible answer.
    pub min: f64,
    /// Highest possible answer.
    pub max: f64,
}

impl Scale {
    /// A scale from `min` to `max` (checked when used).
    pub fn new(min: f64, max: f64) -> Scale {
        Scale { min, max }
    }

    /// Parses `MIN:MAX` (e.g. `1:10`).
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for text that is not two numbers separated by
    /// `:`, [`Error::InvalidScale`] for bounds that are not finite with min < max.
    pub fn parse(text: &str) -> Result<Scale> {
        let bad = || Error::InvalidSetting {
            name: "scale".into(),
            message: format!("`{text}` is not MIN:MAX, e.g. 1:10"),
        };
        let (a, b) = text.split_once(':').ok_or_else(bad)?;
        let min: f64 = a.trim().parse().map_err(|_| bad())?;
        let max: f64 = b.trim().parse().map_err(|_| bad())?;
        let s = Scale { min, max };
        s.check("*")?;
        Ok(s)
    }

    /// `max − min`.
    pub fn range(&self) -> f64 {
        self.max - self.min
    }

    /// `x` mapped to 0–100: `100 (x − min) / (max − min)`.
    pub fn rescale(&self, x: f64) -> f64 {
        100.0 * (x - self.min) / self.range()
    }

    fn check(&self, indicator: &str) -> Result<()> {
        if self.min.is_finite() && self.max.is_finite() && self.min < self.max {
            Ok(())
        } else {
            Err(Error::InvalidScale {
                indicator: indicator.to_string(),
                min: self.min,
                max: self.max,
            })
        }
    }
}

/// Answer scales of the indicators: a default for all, and per-indicator
/// overrides (mixed scales such as 1–5 and 1–10 in one model).
///
/// ```
/// use csikit::csi::{Scale, Scales};
/// let s = Scales::uniform(Scale::new(1.0, 10.0)).with("CUSCO", Scale::new(0.0, 1.0));
/// assert_eq!(s.get("CUSCO").unwrap().max, 1.0);
/// assert_eq!(s.get("CUSA1").unwrap().max, 10.0);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Scales {
    default: Option<Scale>,
    items: Vec<(String, Scale)>,
}

impl Scales {
    /// The same scale for every indicator.
    pub fn uniform(scale: Scale) -> Scales {
        Scales {
            default: Some(scale),
            items: Vec::new(),
        }
    }

    /// No default: every indicator needs its own scale ([`Scales::with`]).
    pub fn none() -> Scales {
        Scales::default()
    }

    /// Sets the scale of one indicator.
    pub fn with(mut self, indicator: impl Into<String>, scale: Scale) -> Scales {
        let name = indicator.into();
        self.items.retain(|(n, _)| *n != name);
        self.items.push((name, scale));
        self
    }

    /// The (checked) scale of an indicator.
    ///
    /// # Errors
    /// [`Error::InvalidScale`] for bad bounds, [`Error::InvalidSetting`] when
    /// the indicator has no scale and there is no default.
    pub fn get(&self, indicator: &str) -> Result<Scale> {
        let s = self
            .items
            .iter()
            .find(|(n, _)| n == indicator)
            .map(|(_, s)| *s)
            .or(self.default)
            .ok_or_else(|| Error::InvalidSetting {
                name: "scale".into(),
                message: format!(
                    "no answer scale for indicator `{indicator}`; give a default scale or one for this indicator"
                ),
            })?;
        s.check(indicator)?;
        Ok(s)
    }
}

impl From<Scale> for Scales {
    fn from(s: Scale) -> Scales {
        Scales::uniform(s)
    }
}

/// How an interval was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Student-t interval from the per-respondent index scores, holding the
    /// outer weights fixed (the index is then a mean of scores; its SE is
    /// sd(scores)/√n). Ignores the sampling variability of the weights, which
    /// the bootstrap adds.
    ScoreT,
    /// Normal-theory interval of a difference of independent estimates
    /// (SE = √(SE_a² + SE_b²)), weights held fixed.
    NormalDifference,
    /// Bootstrap percentile interval (Efron & Tibshirani 1993, §13.3;
    /// Davison & Hinkley 1997): the α/2 and 1 − α/2 quantiles of the
    /// re-estimates; for a difference between independent groups, of the
    /// differences of independent re-estimates.
    BootstrapPercentile,
}

/// A confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Confidence level (e.g. 0.95).
    pub level: f64,
    /// How it was computed.
    pub method: IntervalMethod,
}

impl Interval {
    /// Whether `x` lies in `[lower, upper]`.
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }

    /// The level and method for captions, e.g. `95% bootstrap interval`.
    pub fn label(&self) -> String {
        let method = match self.method {
            IntervalMethod::ScoreT => "score",
            IntervalMethod::NormalDifference => "normal",
            IntervalMethod::BootstrapPercentile => "bootstrap",
        };
        format!("{}% {method} interval", fmt_level(self.level))
    }
}

/// A confidence level as a percentage without needless decimals (95, 97.5).
pub(crate) fn fmt_level(level: f64) -> String {
    let pct = level * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0}")
    } else {
        format!("{pct}")
    }
}

/// One indicator's part in its construct's index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorIndex {
    /// Indicator.
    pub indicator: String,
    /// Its construct.
    pub construct: Construct,
    /// The theoretical answer scale.
    pub scale: Scale,
    /// The fit's outer weight (standardized or centred metric).
    pub weight: f64,
    /// Unstandardized weight per answer unit: `w_std / sd(x)` (Fornell et al. 1996).
    pub unstandardized: f64,
    /// Unstandardized weight normalized to sum 1 within the block (`w̃`).
    pub normalized: f64,
    /// Weight of the item rescaled to 0–100, summing to 1 within the block
    /// (`v`; equals `normalized` when the block's items share a scale).
    pub rescaled: f64,
    /// Mean answer.
    pub mean: f64,
    /// Performance: the mean rescaled to 0–100 with the theoretical bounds.
    pub performance: f64,
}

/// The 0–100 index of one construct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstructIndex {
    /// Construct.
    pub construct: Construct,
    /// The index: mean of the per-respondent index scores.
    pub index: f64,
    /// Standard deviation (n − 1) of the per-respondent index scores.
    pub sd: f64,
    /// Standard error sd/√n, weights held fixed.
    pub std_error: f64,
    /// The interval of the index: the bootstrap percentile interval when the
    /// analysis ran the bootstrap ([`IntervalMethod::BootstrapPercentile`],
    /// at the analysis's level; see [`super::CsiAnalysis::bootstrap`]),
    /// otherwise the 95 % score interval (equal to `score_ci`). `method` says which.
    pub ci: Interval,
    /// The 95 % Student-t interval from the per-respondent index scores with
    /// the weights held fixed ([`IntervalMethod::ScoreT`]), always computed:
    /// the alternative to the bootstrap interval (narrower, as it ignores the
    /// sampling variability of the weights).
    pub score_ci: Interval,
}

/// Something in an index computation that the analyst should know.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndexWarning {
    /// An indicator has a negative (rescaled) weight, so the construct's index
    /// is no longer bounded by [0, 100] and mixes in a reversed item.
    NegativeWeight {
        /// Construct.
        construct: Construct,
        /// Indicator.
        indicator: String,
        /// Its rescaled weight.
        weight: f64,
    },
    /// An index or an item's performance lies outside [0, 100] (answers
    /// outside the declared scale, or negative weights).
    OutsideBounds {
        /// The construct or indicator.
        name: String,
        /// The value.
        value: f64,
    },
}

crate::i18n::catalog! {
    /// The texts of the index warnings, English and Chinese side by side
    /// (the English one is also the warning's `Display`).
    pub enum IndexText {
        NegativeWeight => ("indicator {indicator} of {construct} has a negative rescaled weight ({weight}): the index of {construct} is not bounded by 0-100; check the item's direction or drop it", "{construct}的指标 {indicator} 标准化权重为负（{weight}）：{construct}指数不再限于 0-100；请检查该题方向或删除该题"),
        OutsideBounds => ("{name} is {value}, outside 0-100: answers outside the declared scale or negative weights", "{name}为 {value}，超出 0-100：有超出声明量表的答案或负权重"),
    }
}

impl IndexWarning {
    /// The warning in `lang`, constructs and items named by `names` (the
    /// English sentence, with the model's own names, is its `Display`).
    pub fn text(&self, lang: Lang, names: &dyn Fn(&str) -> String) -> String {
        use IndexText as T;
        match self {
            IndexWarning::NegativeWeight {
                construct,
                indicator,
                weight,
            } => T::NegativeWeight.fill(
                lang,
                &[
                    ("indicator", names(indicator)),
                    ("construct", names(construct.name())),
                    ("weight", format!("{weight:.4}")),
                ],
            ),
            IndexWarning::OutsideBounds { name, value } => T::OutsideBounds.fill(
                lang,
                &[("name", names(name)), ("value", format!("{value:.2}"))],
            ),
        }
    }
}

impl std::fmt::Display for IndexWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En, &|n| format!("`{n}`")))
    }
}

/// Indices of every construct of a fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexResult {
    /// Per construct, in model order.
    pub constructs: Vec<ConstructIndex>,
    /// Per indicator, in model order.
    pub indicators: Vec<IndicatorIndex>,
    /// Warnings (negative weights, values outside 0–100).
    pub warnings: Vec<IndexWarning>,
    /// Rows the index is computed from.
    pub n: usize,
}

impl IndexResult {
    /// The index of a construct (by typed construct or name).
    pub fn get(&self, c: impl Into<Construct>) -> Option<&ConstructIndex> {
        let c = c.into();
        self.constructs.iter().find(|x| x.construct == c)
    }

    /// The index value of a construct.
    pub fn value(&self, c: impl Into<Construct>) -> Option<f64> {
        self.get(c).map(|x| x.index)
    }
}

/// Per-indicator data the index needs, in model order.
pub(crate) struct IndexWeights {
    /// Rescaled weights v (sum 1 per block).
    pub v: Vec<f64>,
    pub scales: Vec<Scale>,
    pub block_of: Vec<usize>,
}

pub(crate) fn index_weights(fit: &PlsFit, scales: &Scales) -> Result<(IndexWeights, Vec<f64>)> {
    let model = fit.model();
    let sds = fit.moments().std_devs();
    let k = model.constructs().len();
    let mut block_of = Vec::new();
    let mut sc = Vec::new();
    for (j, c) in model.constructs().iter().enumerate() {
        for ind in &c.indicators {
            block_of.push(j);
            sc.push(scales.get(ind)?);
        }
    }
    let wu: Vec<f64> = fit
        .outer
        .iter()
        .enumerate()
        .map(|(i, o)| match fit.scaling {
            Scaling::Standardized => o.weight / sds[i],
            Scaling::Centered => o.weight,
        })
        .collect();
    let mut denom = vec![0.0; k];
    for i in 0..wu.len() {
        denom[block_of[i]] += wu[i] * sc[i].range();
    }
    for j in 0..k {
        if !(denom[j] > 0.0) {
            return Err(Error::IndexUndefined {
                construct: model.constructs()[j].name.clone(),
                reason: format!(
                    "its unstandardized weights times the scale ranges sum to {:.4e}",
                    denom[j]
                ),
            });
        }
    }
    let v = (0..wu.len())
        .map(|i| wu[i] * sc[i].range() / denom[block_of[i]])
        .collect();
    Ok((
        IndexWeights {
            v,
            scales: sc,
            block_of,
        },
        wu,
    ))
}

/// The 0–100 index of every construct of `fit` (Fornell et al. 1996), with
/// the items' unstandardized, normalized and rescaled weights and their
/// performance (rescaled means). A pure function of the fit's moments and
/// weights, so it can be recomputed per bootstrap resample.
///
/// # Errors
/// [`Error::InvalidScale`] / [`Error::InvalidSetting`] for a bad or missing
/// scale, [`Error::IndexUndefined`] when a block's rescaled weights sum to ≤ 0.
pub fn index(fit: &PlsFit, scales: &Scales) -> Result<IndexResult> {
    let (iw, wu) = index_weights(fit, scales)?;
    let model = fit.model();
    let means = fit.moments().means();
    let cov = fit.moments().covariance();
    let p = means.len();
    let k = model.constructs().len();
    let n = fit.n_observations;
    let mut warnings = Vec::new();
    let cname = |j: usize| Construct::from_name(&model.constructs()[j].name);

    let mut wsum = vec![0.0; k];
    for i in 0..p {
        wsum[iw.block_of[i]] += wu[i];
    }
    let mut indicators = Vec::with_capacity(p);
    for i in 0..p {
        let j = iw.block_of[i];
        let perf = iw.scales[i].rescale(means[i]);
        if iw.v[i] < 0.0 {
            warnings.push(IndexWarning::NegativeWeight {
                construct: cname(j),
                indicator: fit.outer[i].indicator.clone(),
                weight: iw.v[i],
            });
        }
        if !(0.0..=100.0).contains(&perf) {
            warnings.push(IndexWarning::OutsideBounds {
                name: fit.outer[i].indicator.clone(),
                value: perf,
            });
        }
        indicators.push(IndicatorIndex {
            indicator: fit.outer[i].indicator.clone(),
            construct: cname(j),
            scale: iw.scales[i],
            weight: fit.outer[i].weight,
            unstandardized: wu[i],
            normalized: wu[i] / wsum[j],
            rescaled: iw.v[i],
            mean: means[i],
            performance: perf,
        });
    }
    let level = 0.95;
    let tcrit = stats::t_critical(1.0 - level, (n as f64 - 1.0).max(1.0));
    let mut constructs = Vec::with_capacity(k);
    for j in 0..k {
        let members: Vec<usize> = (0..p).filter(|&i| iw.block_of[i] == j).collect();
        let value: f64 = members
            .iter()
            .map(|&i| iw.v[i] * indicators[i].performance)
            .sum();
        // var(Σ v_i r_i), r_i = 100 (x_i − min_i)/range_i.
        let mut var = 0.0;
        for &a in &members {
            for &b in &members {
                var += iw.v[a] * iw.v[b] * 1e4 * cov[a * p + b]
                    / (iw.scales[a].range() * iw.scales[b].range());
            }
        }
        let sd = var.max(0.0).sqrt();
        let se = sd / (n as f64).sqrt();
        if !(0.0..=100.0).contains(&value) {
            warnings.push(IndexWarning::OutsideBounds {
                name: model.constructs()[j].name.clone(),
                value,
            });
        }
        let score_ci = Interval {
            lower: value - tcrit * se,
            upper: value + tcrit * se,
            level,
            method: IntervalMethod::ScoreT,
        };
        constructs.push(ConstructIndex {
            construct: cname(j),
            index: value,
            sd,
            std_error: se,
            ci: score_ci,
            score_ci,
        });
    }
    Ok(IndexResult {
        constructs,
        indicators,
        warnings,
        n,
    })
}

/// Per-respondent 0–100 index scores `Σ v_i · 100 (x_i − min_i)/(max_i − min_i)`
/// for the rows of `data` the fit's missing-data policy keeps (mean
/// replacement uses `data`'s column means). Their mean is the index (for an
/// unweighted fit on the same data).
///
/// # Errors
/// The scale errors of [`index`], the data errors of [`crate::Pls::fit`], and
/// [`Error::OutOfScale`] for an answer outside its declared scale.
pub fn index_scores(fit: &PlsFit, scales: &Scales, data: &Dataset) -> Result<Scores> {
    let (iw, _) = index_weights(fit, scales)?;
    let model = fit.model();
    let names: Vec<&str> = model.indicators().collect();
    // Pairwise deletion has no rows to score: the complete rows are scored.
    let policy = match fit.missing.policy {
        crate::pls::MissingPolicy::Pairwise => crate::pls::MissingPolicy::Listwise,
        p => p,
    };
    let prepared = Prepared::new(data, &names, None, policy)?;
    let rows: Vec<usize> = prepared
        .rows
        .clone()
        .unwrap_or_else(|| (0..data.n_rows()).collect());
    let k = model.constructs().len();
    let mut values = vec![0.0; rows.len() * k];
    for (ro, &r) in rows.iter().enumerate() {
        for (i, name) in names.iter().enumerate() {
            let mut x = prepared.columns[i][r];
            if x.is_nan() {
                x = prepared.impute.as_ref().map_or(f64::NAN, |m| m[i]);
            }
            let s = iw.scales[i];
            if x < s.min || x > s.max {
                return Err(Error::OutOfScale {
                    column: name.to_string(),
                    row: r + 1,
                    value: x,
                    min: s.min,
                    max: s.max,
                });
            }
            values[ro * k + iw.block_of[i]] += iw.v[i] * s.rescale(x);
        }
    }
    Ok(Scores {
        rows,
        constructs: model.constructs().iter().map(|c| c.name.clone()).collect(),
        values,
    })
}

/// A unit (company, industry, sector) with its index and aggregation weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedIndex {
    /// The unit's name.
    pub name: String,
    /// Its index (0–100).
    pub index: f64,
    /// Its weight (e.g. revenue, sales, share of GDP).
    pub weight: f64,
}

impl WeightedIndex {
    /// A unit.
    pub fn new(name: impl Into<String>, index: f64, weight: f64) -> Self {
        WeightedIndex {
            name: name.into(),
            index,
            weight,
        }
    }
}

/// Weighted mean of unit indices: Σ w_u·index_u / Σ w_u (ACSI aggregation,
/// Fornell et al. 1996: companies by revenue into industries, industries by
/// sales into sectors, sectors by share of GDP into the national index).
/// The result is a unit of the next level carrying the summed weight; give a
/// different weight to it for the next level if needed.
///
/// ```
/// use csikit::csi::{aggregate, WeightedIndex};
/// let telecom = aggregate("telecom", &[
///     WeightedIndex::new("A", 70.0, 300.0),
///     WeightedIndex::new("B", 80.0, 100.0),
/// ]).unwrap();
/// assert_eq!(telecom.index, 72.5);
/// assert_eq!(telecom.weight, 400.0);
/// ```
///
/// # Errors
/// [`Error::InvalidAggregationWeight`] for a weight that is negative or not
/// finite, or when all weights are zero; [`Error::EmptyData`] for no units;
/// [`Error::InvalidSetting`] for an index that is not finite.
pub fn aggregate(name: impl Into<String>, units: &[WeightedIndex]) -> Result<WeightedIndex> {
    let name = name.into();
    if units.is_empty() {
        return Err(Error::EmptyData {
            context: format!(" (no units to aggregate into `{name}`)"),
        });
    }
    let mut sw = 0.0;
    let mut s = 0.0;
    for u in units {
        if !(u.weight >= 0.0 && u.weight.is_finite()) {
            return Err(Error::InvalidAggregationWeight {
                unit: u.name.clone(),
                weight: u.weight,
            });
        }
        if !u.index.is_finite() {
            return Err(Error::InvalidSetting {
                name: "index".into(),
                message: format!("the index of `{}` is {}, not a number", u.name, u.index),
            });
        }
        sw += u.weight;
        s += u.weight * u.index;
    }
    if !(sw > 0.0) {
        return Err(Error::InvalidAggregationWeight {
            unit: name,
            weight: sw,
        });
    }
    Ok(WeightedIndex {
        name,
        index: s / sw,
        weight: sw,
    })
}

/// Aggregates units into groups (e.g. companies into industries): `group[u]`
/// names the group of unit `u`; groups come out in order of first appearance.
///
/// # Errors
/// As [`aggregate`]; [`Error::Shape`] when `group` and `units` differ in length.
pub fn aggregate_by(units: &[WeightedIndex], group: &[&str]) -> Result<Vec<WeightedIndex>> {
    if units.len() != group.len() {
        return Err(Error::Shape {
            message: format!(
                "{} units but {} group labels; give one group per unit",
                units.len(),
                group.len()
            ),
        });
    }
    let labels: Vec<Option<&str>> = group.iter().map(|g| Some(*g)).collect();
    let (groups, _) = crate::group::group_in_appearance_order(&labels);
    groups
        .into_iter()
        .map(|g| {
            let members: Vec<WeightedIndex> = g.rows.iter().map(|&r| units[r].clone()).collect();
            aggregate(g.label, &members)
        })
        .collect()
}
