//! Index, impacts and IPMA per segment (region, ARPU tier, …) and per period
//! (month), with differences between segments and between periods
//! (month over month, year over year, against a base period) and a
//! minimum-group-size guard.
//!
//! Each group is estimated separately (its own weights and paths, as ACSI
//! estimates each company), with the same PLS settings and answer scales.
//!
//! **Intervals and significance.** Without the bootstrap, index intervals and
//! index differences use the per-respondent index scores with the group's
//! weights held fixed ([`IntervalMethod::ScoreT`],
//! [`IntervalMethod::NormalDifference`]; groups are independent samples), and
//! impacts and importances have no intervals. With
//! [`CsiAnalysis::bootstrap`], every fit (all rows, and each group
//! separately) is bootstrapped with the statistic vector of
//! [`bootstrap_statistics`] ([`CsiBootstrap`]), and
//!
//! - the index, impact and importance intervals are **percentile intervals**
//!   of the re-estimates (Efron & Tibshirani 1993, §13.3), which include the
//!   sampling variability of the weights (the score interval stays available
//!   as [`ConstructIndex::score_ci`](super::ConstructIndex::score_ci));
//! - a difference `to − from` between two groups (independent samples,
//!   resampled independently) is summarized from the differences of
//!   independent draws `d*_b = θ*_to,b − θ*_from,b` (draw b of each group):
//!   SE = sd(d*), the percentile interval of d*, and the two-sided bootstrap
//!   p-value `p = min(1, 2·min((#{d* ≤ 0} + 1)/(B + 1), (#{d* ≥ 0} + 1)/(B + 1)))`,
//!   the smallest α at which the (1 − α) percentile interval excludes 0
//!   (Davison & Hinkley 1997, §4.4; the +1 keeps p > 0 with B draws).

use std::collections::HashMap;

use serde::Serialize;

use super::index::{IndexResult, Interval, IntervalMethod, Scales};
use super::ipma::{Impact, Ipma, IpmaOptions};
use super::models::{Construct, CsiModel};
use super::{CsiFit, index, ipma};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::period::Period;
use crate::pls::estimation::Session;
use crate::pls::resample::quantile_sorted;
use crate::pls::{BootEstimate, Bootstrap, CustomBootstrap, PathRow, Pls, PlsFit, StatisticSet};
use crate::stats;

/// What to do with a group smaller than the minimum size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SmallGroups {
    /// Leave it out and list it in [`GroupAnalysis::skipped`] (default).
    #[default]
    Skip,
    /// Fail with [`Error::GroupTooSmall`].
    Error,
}

/// Segments (unordered) or periods (ordered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Segment column: every pair of groups is compared.
    Segment,
    /// Period column: periods are ordered and compared as asked.
    Period,
}

/// A comparison between periods. Partners are found by calendar arithmetic
/// on [`Period`]s ([`Period::previous`], [`Period::year_earlier`],
/// [`Period::shift`]), never by position: when the partner is missing — not
/// in the data, or skipped as too small — the comparison is not made with an
/// older period instead but listed in [`GroupAnalysis::missing_comparisons`]
/// (when the partner lies within the column's first and last period; before
/// the first period there is nothing to compare with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodComparison {
    /// Each period against the previous calendar period (month over month
    /// for months, quarter over quarter for quarters; the previous wave for
    /// wave numbers).
    Previous,
    /// Each period against the period `k` calendar periods earlier (`k` ≥ 1;
    /// `Lag(12)` is year over year for months, `Lag(4)` for quarters).
    Lag(usize),
    /// Each period against the same period a year earlier (12 months, 4
    /// quarters or 1 year back). Wave numbers have no calendar: use `Lag(k)`.
    YearOverYear,
    /// Each period against a fixed base period (any spelling of it).
    Base(String),
}

impl PeriodComparison {
    fn label(&self) -> String {
        match self {
            PeriodComparison::Previous => "previous".into(),
            PeriodComparison::Lag(k) => format!("lag {k}"),
            PeriodComparison::YearOverYear => "year over year".into(),
            PeriodComparison::Base(b) => match Period::parse(b) {
                Some(p) => format!("base {p}"),
                None => format!("base {b}"),
            },
        }
    }
}

/// A period comparison that could not be made: its partner period is
/// missing (not in the data, or skipped).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingComparison {
    /// `previous`, `lag K` or `year over year`.
    pub comparison: String,
    /// The partner period that is missing (canonical spelling).
    pub from: String,
    /// The estimated period that has no partner.
    pub to: String,
    /// Why: the partner is not in the column, or why it was skipped.
    pub reason: String,
}

/// One group's estimates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupEstimate {
    /// The group's label: the segment's label, or the period's canonical
    /// spelling ([`Period`]'s `Display`: `2025-03`, `2025Q1`, …) whatever
    /// spelling the data used.
    pub label: String,
    /// The period (periods only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Rows used.
    pub n: usize,
    /// Index of every construct.
    pub index: IndexResult,
    /// Impacts of the drivers of the target.
    pub impacts: Vec<Impact>,
    /// Structural paths.
    pub paths: Vec<PathRow>,
    /// R² of the target.
    pub target_r_squared: Option<f64>,
    /// The importance–performance map of the target (`None` if it has no drivers).
    pub ipma: Option<Ipma>,
    /// The group's bootstrap (with [`CsiAnalysis::bootstrap`]).
    pub bootstrap: Option<CsiBootstrap>,
}

impl GroupEstimate {
    /// The index of a construct in this group.
    pub fn index(&self, c: impl Into<Construct>) -> Option<f64> {
        self.index.value(c)
    }
}

/// A group that was not estimated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedGroup {
    /// The group's label (a period's canonical spelling).
    pub label: String,
    /// The period (periods only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Its rows (usable rows when the fit got that far).
    pub n: usize,
    /// Why it was skipped.
    pub reason: String,
}

/// The difference of a construct's index between two groups: `to − from`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexDifference {
    /// Construct.
    pub construct: Construct,
    /// The reference group (earlier period, base period, first segment).
    pub from: String,
    /// The compared group.
    pub to: String,
    /// `pair`, `previous`, `lag K` or `base LABEL`.
    pub comparison: String,
    /// Index of `to` minus index of `from`.
    pub difference: f64,
    /// With the bootstrap: the SD of the differences of independent draws;
    /// otherwise `score_std_error`.
    pub std_error: f64,
    /// With the bootstrap: the two-sided bootstrap p-value (module
    /// documentation); otherwise `score_p_value`.
    pub p_value: Option<f64>,
    /// Interval of the difference at the analysis's level: bootstrap
    /// percentile, or normal-theory without the bootstrap (`method` says which).
    pub ci: Option<Interval>,
    /// √(SE_from² + SE_to²) from the index scores, weights held fixed.
    pub score_std_error: f64,
    /// Two-sided p-value of `difference / score_std_error` against the standard normal.
    pub score_p_value: Option<f64>,
    /// Normal-theory interval `difference ± z·score_std_error` ([`IntervalMethod::NormalDifference`]).
    pub score_ci: Interval,
}

/// The difference of an impact on the target between two groups: `to − from`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactDifference {
    /// Driver.
    pub driver: Construct,
    /// Reference group.
    pub from: String,
    /// Compared group.
    pub to: String,
    /// As in [`IndexDifference::comparison`].
    pub comparison: String,
    /// Impact in `to` minus impact in `from`.
    pub difference: f64,
    /// SD of the differences of independent bootstrap draws (`None` without the bootstrap).
    pub std_error: Option<f64>,
    /// Two-sided bootstrap p-value (module documentation; `None` without the bootstrap).
    pub p_value: Option<f64>,
    /// Bootstrap percentile interval of the difference (`None` without the bootstrap).
    pub ci: Option<Interval>,
}

/// Estimates per group of a segment or period column, and their differences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupAnalysis {
    /// The column.
    pub column: String,
    /// Segments or periods.
    pub kind: GroupKind,
    /// The target construct of impacts and IPMA.
    pub target: Construct,
    /// Minimum usable rows per group.
    pub min_group_size: usize,
    /// Rows with an empty label (not in any group).
    pub n_missing_label: usize,
    /// Estimated groups: segments in the crate's level order
    /// ([`crate::group`]), periods in chronological order.
    pub groups: Vec<GroupEstimate>,
    /// Groups left out, with the reason.
    pub skipped: Vec<SkippedGroup>,
    /// Index differences (every pair of segments; the asked comparisons of periods).
    pub index_differences: Vec<IndexDifference>,
    /// Impact differences (same pairs).
    pub impact_differences: Vec<ImpactDifference>,
    /// Period comparisons that could not be made because the partner period
    /// is missing or was skipped ([`PeriodComparison`]); empty for segments.
    pub missing_comparisons: Vec<MissingComparison>,
}

impl GroupAnalysis {
    /// The group with label `label`; for periods any spelling of the period
    /// (`2025年3月` finds `2025-03`).
    pub fn group(&self, label: &str) -> Option<&GroupEstimate> {
        let period = match self.kind {
            GroupKind::Period => Period::parse(label),
            GroupKind::Segment => None,
        };
        self.groups
            .iter()
            .find(|g| g.label == label || (period.is_some() && g.period == period))
    }
}

/// One level to estimate: its label, period (periods only) and rows.
struct Level {
    label: String,
    period: Option<Period>,
    rows: Vec<usize>,
}

/// The levels of a period column: every label parsed to a [`Period`] (one
/// kind per column), spellings of one period merged (rows in data order),
/// chronological; labels in the canonical spelling.
fn period_levels(column: &str, labels: &[Option<String>]) -> Result<(Vec<Level>, usize)> {
    let (groups, n_missing) = crate::group::group_in_appearance_order(labels);
    let distinct: Vec<(&str, usize)> = groups
        .iter()
        .map(|g| (g.label.as_str(), g.rows[0] + 1))
        .collect();
    let periods = crate::period::parse_column(column, &distinct)?;
    let mut at: HashMap<Period, usize> = HashMap::new();
    let mut levels: Vec<Level> = Vec::new();
    for (g, p) in groups.into_iter().zip(periods) {
        match at.get(&p) {
            Some(&i) => levels[i].rows.extend(g.rows),
            None => {
                at.insert(p, levels.len());
                levels.push(Level {
                    label: p.to_string(),
                    period: Some(p),
                    rows: g.rows,
                });
            }
        }
    }
    for l in &mut levels {
        l.rows.sort_unstable();
    }
    levels.sort_by_key(|l| l.period);
    Ok((levels, n_missing))
}

/// Named statistics of one fit: the vector the bootstrap resamples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statistics {
    /// Names: `index:C`, `impact:D->T`, `importance:C`, `importance:INDICATOR`.
    pub names: Vec<String>,
    /// Values, same order.
    pub values: Vec<f64>,
}

/// The CSI statistics of a fit, as one vector: the index of every construct,
/// the impact of every driver on `target`, and the IPMA importance of every
/// driver construct and indicator. A pure function of the fit (its moments
/// and weights), meant as the statistic of the generic bootstrap
/// (`run_with(&pls, &data, |fit| bootstrap_statistics(fit, &scales, target))`).
/// The layout (names) depends only on the model and the target.
///
/// # Errors
/// The errors of [`index::index`] and [`ipma::ipma`] (except
/// [`Error::NoDrivers`], which leaves the importances out for every resample).
pub fn bootstrap_statistics(
    fit: &PlsFit,
    scales: &Scales,
    target: impl Into<Construct>,
) -> Result<Statistics> {
    let target = target.into();
    let idx = index::index(fit, scales)?;
    let mut names = Vec::new();
    let mut values = Vec::new();
    for c in &idx.constructs {
        names.push(format!("index:{}", c.construct));
        values.push(c.index);
    }
    for im in ipma::impacts(fit, &idx) {
        if im.target == target {
            names.push(format!("impact:{}->{}", im.driver, im.target));
            values.push(im.impact);
        }
    }
    // Without drivers (a property of the model and target) there is no IPMA;
    // any other failure is an error, never a silently shorter vector.
    let map = match ipma::ipma(fit, &idx, target, &IpmaOptions::default()) {
        Ok(map) => Some(map),
        Err(Error::NoDrivers { .. }) => None,
        Err(e) => return Err(e),
    };
    if let Some(map) = map {
        for c in &map.constructs {
            names.push(format!("importance:{}", c.name));
            values.push(c.importance);
        }
        for i in &map.indicators {
            names.push(format!("importance:{}", i.indicator));
            values.push(i.importance);
        }
    }
    Ok(Statistics { names, values })
}

/// The bootstrap of the CSI statistics ([`bootstrap_statistics`]) of one fit:
/// all rows, or one group.
///
/// ```
/// use csikit::csi::{Construct, CsiBootstrap, Scale, Scales};
/// use csikit::{Bootstrap, Pls, SurveySimulator};
/// let data = SurveySimulator::new(300).seed(2).simulate().unwrap();
/// let model = SurveySimulator::csi_model();
/// let boot = CsiBootstrap::run(
///     &Pls::new(model.model()),
///     &data,
///     &Scales::uniform(Scale::new(1.0, 10.0)),
///     Construct::Satisfaction,
///     &Bootstrap::new(100).seed(7).bca(false),
/// )
/// .unwrap();
/// let ci = boot.interval("index:Satisfaction").unwrap();
/// assert!(ci.lower < ci.upper);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsiBootstrap {
    /// The target of the impacts and importances.
    pub target: Construct,
    /// Names of the statistics, as [`Statistics::names`] (a construct and an
    /// indicator of the same name both appear as `importance:NAME`, the
    /// construct first).
    pub names: Vec<String>,
    /// The run: resamples, seed, failed resamples (by reason), confidence,
    /// one summary per statistic (`estimates`, same order as `names`), and
    /// the re-estimates (`replicates`, not serialized).
    #[serde(flatten)]
    pub run: CustomBootstrap,
}

/// The CSI statistics of one target as a statistic set of a joint
/// bootstrap pass ([`crate::StatisticSet::Csi`],
/// [`crate::Estimation::bootstrap_with`]): the statistics of
/// [`bootstrap_statistics`]`(fit, scales, target)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CsiStatistics {
    /// The answer scales of the index.
    pub scales: Scales,
    /// The target of the impacts and importances.
    pub target: Construct,
    /// Whether to compute BCa intervals (default false: they cost one full
    /// fit per row, and the CSI intervals are percentile intervals).
    pub bca: bool,
}

impl CsiStatistics {
    /// The statistics of `target` on `scales`, without BCa intervals.
    pub fn new(scales: impl Into<Scales>, target: impl Into<Construct>) -> Self {
        CsiStatistics {
            scales: scales.into(),
            target: target.into(),
            bca: false,
        }
    }

    /// Whether to compute BCa intervals (default false).
    pub fn bca(mut self, bca: bool) -> Self {
        self.bca = bca;
        self
    }
}

impl CsiBootstrap {
    /// Bootstraps [`bootstrap_statistics`]`(fit, scales, target)` of `pls`'s
    /// model on `data` with the generic bootstrap ([`Bootstrap::run_with`]);
    /// the draws are always kept. To bootstrap the PLS estimates in the same
    /// pass, see [`crate::Estimation::bootstrap_with`].
    ///
    /// # Errors
    /// The errors of [`Bootstrap::run_with`] and of [`bootstrap_statistics`]
    /// on the original data.
    pub fn run(
        pls: &Pls<'_>,
        data: &Dataset,
        scales: &Scales,
        target: impl Into<Construct>,
        settings: &Bootstrap,
    ) -> Result<CsiBootstrap> {
        let target = target.into();
        Session::with(pls, data, |s| {
            CsiBootstrap::run_session(s, scales, target, settings)
        })
    }

    /// [`CsiBootstrap::run`] on a prepared estimation.
    pub(crate) fn run_session(
        session: Session<'_>,
        scales: &Scales,
        target: Construct,
        settings: &Bootstrap,
    ) -> Result<CsiBootstrap> {
        let set = StatisticSet::Csi(CsiStatistics {
            scales: scales.clone(),
            target,
            bca: settings.bca_value(),
        });
        let mut sets = settings.run_sets_session(session, &[set])?;
        sets.csi.pop().ok_or_else(|| Error::InvalidSetting {
            name: "statistic sets".into(),
            message: "the CSI statistics were not bootstrapped".into(),
        })
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The bootstrap summary of a statistic (`index:C`, `impact:D->T`,
    /// `importance:C`, `importance:INDICATOR`).
    pub fn get(&self, name: &str) -> Option<&BootEstimate> {
        self.position(name).map(|j| &self.run.estimates[j])
    }

    /// The percentile interval of a statistic.
    pub fn interval(&self, name: &str) -> Option<Interval> {
        self.get(name).map(|e| self.percentile(e))
    }

    fn percentile(&self, e: &BootEstimate) -> Interval {
        Interval {
            lower: e.ci_lower,
            upper: e.ci_upper,
            level: self.run.confidence,
            method: IntervalMethod::BootstrapPercentile,
        }
    }

    /// The re-estimates of a statistic, in resample order (usable resamples only).
    pub fn draws(&self, name: &str) -> Option<Vec<f64>> {
        self.position(name)
            .map(|j| self.run.replicates.iter().map(|r| r[j]).collect())
    }

    /// Sets the index intervals (`ci`) to the bootstrap percentile intervals.
    pub fn apply_index(&self, index: &mut IndexResult) {
        for c in &mut index.constructs {
            if let Some(ci) = self.interval(&format!("index:{}", c.construct)) {
                c.ci = ci;
            }
        }
    }

    /// Sets the intervals of the impacts on the target.
    pub fn apply_impacts(&self, impacts: &mut [Impact]) {
        for im in impacts.iter_mut().filter(|i| i.target == self.target) {
            im.ci = self.interval(&format!("impact:{}->{}", im.driver, im.target));
        }
    }

    /// Sets the importance intervals of a map of the target (a map of
    /// another target is left alone).
    pub fn apply_ipma(&self, map: &mut Ipma) {
        if map.target != self.target {
            return;
        }
        for c in &mut map.constructs {
            c.importance_ci = self.interval(&format!("importance:{}", c.name));
        }
        for i in &mut map.indicators {
            let name = format!("importance:{}", i.indicator);
            // An indicator named like a construct comes after it.
            i.importance_ci = self
                .names
                .iter()
                .rposition(|n| *n == name)
                .map(|j| self.percentile(&self.run.estimates[j]));
        }
    }
}

/// Summary of the differences `to − from` of independent bootstrap draws:
/// (SD, two-sided p-value, percentile interval); `None` when either side
/// lacks the statistic or fewer than 2 pairs of draws exist.
fn draw_difference(
    from: &CsiBootstrap,
    to: &CsiBootstrap,
    name: &str,
    level: f64,
) -> Option<(f64, f64, Interval)> {
    let (a, b) = (from.draws(name)?, to.draws(name)?);
    let mut d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - x).collect();
    let m = d.len();
    if m < 2 {
        return None;
    }
    let mean = d.iter().sum::<f64>() / m as f64;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m as f64 - 1.0)).sqrt();
    d.sort_unstable_by(f64::total_cmp);
    let below = d.partition_point(|x| *x <= 0.0);
    let above = m - d.partition_point(|x| *x < 0.0);
    let share = |k: usize| (k as f64 + 1.0) / (m as f64 + 1.0);
    let p = (2.0 * share(below).min(share(above))).min(1.0);
    let alpha = 1.0 - level;
    Some((
        sd,
        p,
        Interval {
            lower: quantile_sorted(&d, alpha / 2.0),
            upper: quantile_sorted(&d, 1.0 - alpha / 2.0),
            level,
            method: IntervalMethod::BootstrapPercentile,
        },
    ))
}

/// The seed of a group's bootstrap: the analysis's seed mixed with the
/// FNV-1a hash of the group's label (SplitMix64 finalizer), so that groups are
/// resampled independently and a group's draws do not depend on which other
/// groups exist.
fn group_seed(seed: u64, label: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in label.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = seed ^ h;
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Settings for CSI estimation overall, per segment and per period.
///
/// ```
/// use csikit::csi::{CsiAnalysis, Construct, PeriodComparison, Scale};
/// use csikit::SurveySimulator;
/// let data = SurveySimulator::new(1200).seed(5).months(3).simulate().unwrap();
/// let model = SurveySimulator::csi_model();
/// let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0)).min_group_size(100);
/// let by_region = a.segments(&data, "region").unwrap();
/// assert_eq!(by_region.groups.len(), 4);
/// let by_month = a.periods(&data, "month", &[PeriodComparison::Previous]).unwrap();
/// assert_eq!(by_month.groups[0].label, "1");
/// assert_eq!(by_month.index_differences.len(), 2 * model.constructs().len());
/// ```
#[derive(Debug, Clone)]
pub struct CsiAnalysis<'m> {
    model: &'m CsiModel,
    pls: Pls<'m>,
    scales: Scales,
    target: Construct,
    min_group_size: usize,
    small_groups: SmallGroups,
    ipma: IpmaOptions,
    level: f64,
    bootstrap: Option<Bootstrap>,
}

impl<'m> CsiAnalysis<'m> {
    /// Default settings: PLS defaults ([`Pls::new`]), target Satisfaction (or
    /// the last construct in causal order if the model has none), minimum
    /// group size 30 usable rows, small groups skipped, 95 % intervals.
    pub fn new(model: &'m CsiModel, scales: impl Into<Scales>) -> Self {
        let target = if model.position(&Construct::Satisfaction).is_some() {
            Construct::Satisfaction
        } else {
            let order = model.model().topological_order();
            model.constructs()[*order.last().unwrap_or(&0)].clone()
        };
        CsiAnalysis {
            model,
            pls: Pls::new(model.model()),
            scales: scales.into(),
            target,
            min_group_size: 30,
            small_groups: SmallGroups::Skip,
            ipma: IpmaOptions::default(),
            level: 0.95,
            bootstrap: None,
        }
    }

    /// Changes the PLS settings, e.g. `.configure(|p| p.scheme(Scheme::Centroid))`.
    pub fn configure(mut self, f: impl FnOnce(Pls<'m>) -> Pls<'m>) -> Self {
        self.pls = f(self.pls);
        self
    }

    /// The target construct of impacts and IPMA.
    pub fn target(mut self, target: impl Into<Construct>) -> Self {
        self.target = target.into();
        self
    }

    /// Minimum usable rows per group (default 30).
    pub fn min_group_size(mut self, n: usize) -> Self {
        self.min_group_size = n;
        self
    }

    /// Skip small groups (default) or fail.
    pub fn small_groups(mut self, policy: SmallGroups) -> Self {
        self.small_groups = policy;
        self
    }

    /// IPMA split and ranking settings.
    pub fn ipma_options(mut self, options: IpmaOptions) -> Self {
        self.ipma = options;
        self
    }

    /// Confidence level of the difference intervals and of the bootstrap
    /// intervals (default 0.95). The score interval of the index
    /// ([`ConstructIndex::score_ci`](super::ConstructIndex::score_ci)) is always 95 %.
    pub fn level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }

    /// Bootstraps every fit of the analysis (off by default): the all-rows fit
    /// of [`CsiAnalysis::fit`] and each group of [`CsiAnalysis::segments`] and
    /// [`CsiAnalysis::periods`], each on its own rows. It fills the index
    /// intervals (`ci` becomes the percentile interval; the score interval
    /// stays in `score_ci`), the intervals of the impacts on the target, the
    /// importance intervals of the target's IPMA (constructs and indicators),
    /// and the SE, p-value and interval of the index and impact differences
    /// (see the module documentation for the methods).
    ///
    /// The resamples, seed, threads, progress callback and failure policy come
    /// from `settings`; its confidence level is replaced by
    /// [`CsiAnalysis::level`] (one level for every interval) and BCa is not
    /// computed (the CSI intervals are percentile intervals; BCa would cost one
    /// more fit per row). The all-rows fit uses the seed itself; group `g`
    /// uses the seed mixed with a hash of its label, so that groups are
    /// resampled independently and reproducibly.
    ///
    /// **Cost.** Each resample is one PLS fit from the resample's moments
    /// (an O(n·p²) pass over the group's rows plus the p × p iteration) and
    /// the index/IPMA arithmetic, so a run costs about `resamples` times a
    /// plain fit of every group: on the built-in survey (9 600 respondents,
    /// 24 indicators; the `acsi` example's 4 segment columns and 24 months,
    /// 39 fits) 200 resamples take about 0.6 s of CPU time in release and
    /// 5 000 about 14 s (≈ 7.5 s on 2 idle cores; 0.1 s without the
    /// bootstrap; README, Performance). 200 resamples give usable 95 % percentile
    /// intervals; use 1 000 or more for the final report.
    ///
    /// ```
    /// use csikit::csi::{Construct, CsiAnalysis, IntervalMethod, Scale};
    /// use csikit::{Bootstrap, SurveySimulator};
    /// let data = SurveySimulator::new(400).seed(5).simulate().unwrap();
    /// let model = SurveySimulator::csi_model();
    /// let fit = CsiAnalysis::new(&model, Scale::new(1.0, 10.0))
    ///     .bootstrap(Bootstrap::new(100).seed(3))
    ///     .fit(&data)
    ///     .unwrap();
    /// let sat = fit.construct_index(Construct::Satisfaction).unwrap();
    /// assert_eq!(sat.ci.method, IntervalMethod::BootstrapPercentile);
    /// assert!(sat.ci.lower < sat.index && sat.index < sat.ci.upper);
    /// let impact = fit.impact(Construct::PerceivedQuality, Construct::Satisfaction).unwrap();
    /// assert!(impact.ci.is_some());
    /// ```
    pub fn bootstrap(mut self, settings: Bootstrap) -> Self {
        self.bootstrap = Some(settings);
        self
    }

    /// The target construct.
    pub fn target_construct(&self) -> &Construct {
        &self.target
    }

    /// The answer scales.
    pub fn scales(&self) -> &Scales {
        &self.scales
    }

    fn check(&self) -> Result<()> {
        if self.model.position(&self.target).is_none() {
            return Err(Error::UnknownTarget {
                name: self.target.name().to_string(),
                suggestions: crate::error::suggest(
                    self.target.name(),
                    self.model.constructs().iter().map(|c| c.name()),
                ),
            });
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(Error::InvalidSetting {
                name: "level".into(),
                message: format!("{} is not in (0, 1)", self.level),
            });
        }
        Ok(())
    }

    /// Fits the model on all rows.
    ///
    /// # Errors
    /// The errors of [`Pls::fit`] and [`index::index`].
    pub fn fit(&self, data: &Dataset) -> Result<CsiFit> {
        self.check()?;
        Session::with(&self.pls, data, |s| {
            let mut fit = self.fit_session(s)?;
            self.attach_bootstrap(s, None, &mut fit)?;
            Ok(fit)
        })
    }

    /// The fit of a prepared estimation (all rows, or one group's).
    fn fit_session(&self, session: Session<'_>) -> Result<CsiFit> {
        CsiFit::new(self.model.clone(), session.fit()?, self.scales.clone())
    }

    /// Estimates per level of a segment column (levels in the crate's order,
    /// [`crate::group`]: numerically when all are numbers, else by code
    /// point) and compares every pair.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] for a missing column, [`Error::GroupTooSmall`]
    /// under [`SmallGroups::Error`], and the errors of [`CsiAnalysis::fit`].
    pub fn segments(&self, data: &Dataset, column: &str) -> Result<GroupAnalysis> {
        self.check()?;
        let grouped = crate::group::group_rows(&data.labels(column)?);
        let levels = grouped
            .groups
            .into_iter()
            .map(|g| Level {
                label: g.label,
                period: None,
                rows: g.rows,
            })
            .collect();
        let mut out =
            self.estimate_groups(data, column, GroupKind::Segment, levels, grouped.n_missing)?;
        let g = &out.groups;
        let mut pairs = Vec::new();
        for a in 0..g.len() {
            for b in a + 1..g.len() {
                pairs.push((a, b, "pair".to_string()));
            }
        }
        self.differences(&mut out, &pairs);
        Ok(out)
    }

    /// Estimates per period and makes the asked comparisons.
    ///
    /// Every label of the column is parsed to a [`Period`] (months such as
    /// `2025-03`, `2025/3`, `202503`, `2025年3月` or dates; quarters such as
    /// `2025Q1`, `2025年第1季度`; years; wave numbers `1`, `2`, …), spellings
    /// of one period form one group, groups come out in chronological order,
    /// and each group's label is the period's canonical spelling (`2025-03`,
    /// `2025Q1`, `2025`, `7`), so that the JSON carries one spelling in time
    /// order. Comparisons pair periods by calendar arithmetic
    /// ([`PeriodComparison`]); a comparison whose partner is missing is listed
    /// in [`GroupAnalysis::missing_comparisons`], not bridged to an older period.
    ///
    /// # Errors
    /// As [`CsiAnalysis::segments`]; [`Error::InvalidPeriod`] naming the first
    /// label that is not a period; [`Error::MixedPeriods`] for a column that
    /// mixes kinds (months and quarters, …); [`Error::UnknownPeriod`] for a
    /// base period that is not a period or not among the estimated periods;
    /// [`Error::InvalidSetting`] for `Lag(0)` and for
    /// [`PeriodComparison::YearOverYear`] on wave numbers.
    pub fn periods(
        &self,
        data: &Dataset,
        column: &str,
        comparisons: &[PeriodComparison],
    ) -> Result<GroupAnalysis> {
        self.check()?;
        let (levels, n_missing) = period_levels(column, &data.labels(column)?)?;
        // The column's span (levels are chronological), skipped periods included.
        let span: Vec<Period> = levels.iter().filter_map(|l| l.period).collect();
        let (Some(&first), Some(&last)) = (span.first(), span.last()) else {
            return self.estimate_groups(data, column, GroupKind::Period, levels, n_missing);
        };
        for cmp in comparisons {
            match cmp {
                PeriodComparison::Lag(0) => {
                    return Err(Error::InvalidSetting {
                        name: "lag".into(),
                        message: "Lag(0) would compare each period with itself; use k ≥ 1".into(),
                    });
                }
                PeriodComparison::YearOverYear if first.year_earlier().is_none() => {
                    return Err(Error::InvalidSetting {
                        name: "comparison".into(),
                        message: format!(
                            "year over year needs calendar periods, but column `{column}` holds wave numbers ({first}, …); use Lag(k) with k waves a year"
                        ),
                    });
                }
                PeriodComparison::Base(b) if Period::parse(b).is_none() => {
                    return Err(Error::UnknownPeriod {
                        period: b.clone(),
                        context: format!(
                            "the base period is not a period; {}",
                            crate::period::ACCEPTED_SPELLINGS
                        ),
                    });
                }
                _ => {}
            }
        }
        let mut out = self.estimate_groups(data, column, GroupKind::Period, levels, n_missing)?;
        let position: HashMap<Period, usize> = out
            .groups
            .iter()
            .enumerate()
            .filter_map(|(i, g)| g.period.map(|p| (p, i)))
            .collect();
        let skipped: HashMap<Period, &SkippedGroup> = out
            .skipped
            .iter()
            .filter_map(|s| s.period.map(|p| (p, s)))
            .collect();
        let mut pairs = Vec::new();
        let mut missing = Vec::new();
        for cmp in comparisons {
            let partner = |p: Period| -> Option<Period> {
                match cmp {
                    PeriodComparison::Previous => Some(p.previous()),
                    PeriodComparison::Lag(k) => Some(p.shift(-(*k as i64))),
                    PeriodComparison::YearOverYear => p.year_earlier(),
                    PeriodComparison::Base(_) => None,
                }
            };
            if let PeriodComparison::Base(base) = cmp {
                let base_period = Period::parse(base);
                let Some(a) = base_period.and_then(|p| position.get(&p).copied()) else {
                    let why = match base_period.and_then(|p| skipped.get(&p)) {
                        Some(s) => format!("the base period was skipped: {}", s.reason),
                        None => format!("the base period is not in column `{column}`"),
                    };
                    return Err(Error::UnknownPeriod {
                        period: base_period.map_or_else(|| base.clone(), |p| p.to_string()),
                        context: format!(
                            "{why} (estimated periods: {})",
                            out.groups
                                .iter()
                                .map(|g| g.label.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                };
                for b in (0..out.groups.len()).filter(|&b| b != a) {
                    pairs.push((a, b, cmp.label()));
                }
                continue;
            }
            for (b, g) in out.groups.iter().enumerate() {
                let Some(want) = g.period.and_then(partner) else {
                    continue;
                };
                if let Some(&a) = position.get(&want) {
                    pairs.push((a, b, cmp.label()));
                } else if want >= first && want <= last {
                    missing.push(MissingComparison {
                        comparison: cmp.label(),
                        from: want.to_string(),
                        to: g.label.clone(),
                        reason: match skipped.get(&want) {
                            Some(s) => format!("{want} was not estimated: {}", s.reason),
                            None => format!("{want} is not in column `{column}`"),
                        },
                    });
                }
            }
        }
        self.differences(&mut out, &pairs);
        out.missing_comparisons = missing;
        Ok(out)
    }

    fn estimate_groups(
        &self,
        data: &Dataset,
        column: &str,
        kind: GroupKind,
        levels: Vec<Level>,
        n_missing_label: usize,
    ) -> Result<GroupAnalysis> {
        let mut groups = Vec::new();
        let mut skipped = Vec::new();
        for Level {
            label: level,
            period,
            rows,
        } in levels
        {
            let too_small = |n: usize| Error::GroupTooSmall {
                column: column.to_string(),
                level: level.clone(),
                n,
                min: self.min_group_size,
            };
            let result = if rows.len() < self.min_group_size {
                Err(too_small(rows.len()))
            } else {
                data.take_rows(&rows).and_then(|sub| {
                    Session::with(&self.pls, &sub, |s| {
                        let mut fit = self.fit_session(s)?;
                        if fit.pls.n_observations < self.min_group_size {
                            return Err(too_small(fit.pls.n_observations));
                        }
                        self.attach_bootstrap(s, Some(&level), &mut fit)?;
                        self.group_estimate(level.clone(), period, fit)
                    })
                })
            };
            match (result, self.small_groups) {
                (Ok(est), _) => groups.push(est),
                (Err(e), SmallGroups::Error) => return Err(e),
                (Err(e), SmallGroups::Skip) => {
                    let n = match &e {
                        Error::GroupTooSmall { n, .. } => *n,
                        _ => rows.len(),
                    };
                    skipped.push(SkippedGroup {
                        label: level.clone(),
                        period,
                        n,
                        reason: e.to_string(),
                    });
                }
            }
        }
        Ok(GroupAnalysis {
            column: column.to_string(),
            kind,
            target: self.target.clone(),
            min_group_size: self.min_group_size,
            n_missing_label,
            groups,
            skipped,
            index_differences: Vec::new(),
            impact_differences: Vec::new(),
            missing_comparisons: Vec::new(),
        })
    }

    fn group_estimate(
        &self,
        label: String,
        period: Option<Period>,
        fit: CsiFit,
    ) -> Result<GroupEstimate> {
        let ipma = match fit.ipma(self.target.clone(), &self.ipma) {
            Ok(m) => Some(m),
            Err(Error::NoDrivers { .. }) => None,
            Err(e) => return Err(e),
        };
        let target = self.target.clone();
        Ok(GroupEstimate {
            label,
            period,
            n: fit.pls.n_observations,
            target_r_squared: fit.r_squared(target.clone()),
            impacts: fit
                .impacts
                .iter()
                .filter(|i| i.target == target)
                .cloned()
                .collect(),
            paths: fit.pls.paths.clone(),
            index: fit.index,
            ipma,
            bootstrap: fit.bootstrap,
        })
    }

    /// **BOOTSTRAP INTEGRATION POINT** — the one place where the bootstrap
    /// of a fit is run (with [`CsiAnalysis::bootstrap`]; otherwise nothing
    /// happens): the fit's rows (`session`: all rows, or one group's, as
    /// prepared for the fit) are resampled as [`CsiBootstrap::run`] does, the index intervals and the
    /// intervals of the impacts on the target are set from the draws, and the
    /// run is kept on the fit ([`CsiFit::bootstrap`]) for the IPMA
    /// ([`CsiFit::ipma`]) and the differences between groups.
    fn attach_bootstrap(
        &self,
        session: Session<'_>,
        group: Option<&str>,
        fit: &mut CsiFit,
    ) -> Result<()> {
        let Some(settings) = &self.bootstrap else {
            return Ok(());
        };
        let seed = settings.seed_value();
        // Group differences need the draws themselves.
        let settings = settings
            .clone()
            .bca(false)
            .keep_draws(true)
            .confidence(self.level)
            .seed(group.map_or(seed, |g| group_seed(seed, g)));
        let boot =
            CsiBootstrap::run_session(session, &self.scales, self.target.clone(), &settings)?;
        boot.apply_index(&mut fit.index);
        boot.apply_impacts(&mut fit.impacts);
        fit.bootstrap = Some(boot);
        Ok(())
    }

    fn differences(&self, out: &mut GroupAnalysis, pairs: &[(usize, usize, String)]) {
        let z = stats::normal_quantile(0.5 + self.level / 2.0);
        for (a, b, label) in pairs {
            let (ga, gb) = (&out.groups[*a], &out.groups[*b]);
            let boot_pair = ga.bootstrap.as_ref().zip(gb.bootstrap.as_ref());
            for ca in &ga.index.constructs {
                let Some(cb) = gb.index.get(ca.construct.clone()) else {
                    continue;
                };
                let d = cb.index - ca.index;
                let se = (ca.std_error.powi(2) + cb.std_error.powi(2)).sqrt();
                let p = (se > 0.0).then(|| 2.0 * (1.0 - stats::normal_cdf((d / se).abs())));
                let score_ci = Interval {
                    lower: d - z * se,
                    upper: d + z * se,
                    level: self.level,
                    method: IntervalMethod::NormalDifference,
                };
                let boot = boot_pair.and_then(|(a, b)| {
                    draw_difference(a, b, &format!("index:{}", ca.construct), self.level)
                });
                let (std_error, p_value, ci) = match boot {
                    Some((sd, p, ci)) => (sd, Some(p), ci),
                    None => (se, p, score_ci),
                };
                out.index_differences.push(IndexDifference {
                    construct: ca.construct.clone(),
                    from: ga.label.clone(),
                    to: gb.label.clone(),
                    comparison: label.clone(),
                    difference: d,
                    std_error,
                    p_value,
                    ci: Some(ci),
                    score_std_error: se,
                    score_p_value: p,
                    score_ci,
                });
            }
            for ia in &ga.impacts {
                if let Some(ib) = gb.impacts.iter().find(|i| i.driver == ia.driver) {
                    let boot = boot_pair.and_then(|(a, b)| {
                        draw_difference(
                            a,
                            b,
                            &format!("impact:{}->{}", ia.driver, ia.target),
                            self.level,
                        )
                    });
                    out.impact_differences.push(ImpactDifference {
                        driver: ia.driver.clone(),
                        from: ga.label.clone(),
                        to: gb.label.clone(),
                        comparison: label.clone(),
                        difference: ib.impact - ia.impact,
                        std_error: boot.map(|b| b.0),
                        p_value: boot.map(|b| b.1),
                        ci: boot.map(|b| b.2),
                    });
                }
            }
        }
    }
}
