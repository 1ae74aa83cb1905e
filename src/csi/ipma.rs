//! Impacts and importance–performance map analysis (IPMA; Ringle & Sarstedt
//! 2016, IMDS 116(9):1865–1886; Höck, Ringle & Sarstedt 2010) with the
//! priority list of "short boards".
//!
//! - **Importance** of construct X for target Y: the unstandardized total
//!   effect in index metric, `T_std(X→Y) · sd(index scores of Y) / sd(index scores of X)`
//!   — index points of Y gained per index point of X.
//! - **Performance** of X: its 0–100 index; of an indicator: its mean
//!   rescaled to 0–100.
//! - Indicator **importance**: its rescaled weight × its construct's importance.
//! - **Impact** (ACSI): index points of Y gained for a 5-point gain in X's
//!   index = 5 × importance (Fornell et al. 1996).
//!
//! The map puts importance on x and performance on y, split into four
//! quadrants (Martilla & James 1977) at the means of the plotted values or at
//! given values. A short board is a driver of high importance (above the
//! split) and low performance (below the split).

use serde::Serialize;

use super::index::{IndexResult, Interval};
use super::models::Construct;
use crate::error::{Error, Result};
use crate::pls::PlsFit;

/// The ACSI impact convention: a 5-point gain in the driver's index.
pub const IMPACT_POINTS: f64 = 5.0;

/// The effect of a driver on a target in index metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    /// Driver.
    pub driver: Construct,
    /// Target.
    pub target: Construct,
    /// Standardized total effect (the fit's).
    pub total_effect_std: f64,
    /// Unstandardized total effect in index metric (index points per index point): the importance.
    pub total_effect: f64,
    /// Index points of the target gained for a 5-point gain of the driver.
    pub impact: f64,
    /// Bootstrap percentile interval of the impact (`None` without the
    /// bootstrap; see [`super::CsiAnalysis::bootstrap`]).
    pub ci: Option<Interval>,
}

/// Impacts of every driver on every construct it reaches by a directed path,
/// in the order of the fit's effects. A pure function of the fit and its index.
pub fn impacts(fit: &PlsFit, index: &IndexResult) -> Vec<Impact> {
    fit.effects
        .iter()
        .filter_map(|e| {
            let sd_from = index.get(e.from.as_str())?.sd;
            let sd_to = index.get(e.to.as_str())?.sd;
            let te = e.total * sd_to / sd_from;
            Some(Impact {
                driver: Construct::from_name(&e.from),
                target: Construct::from_name(&e.to),
                total_effect_std: e.total,
                total_effect: te,
                impact: IMPACT_POINTS * te,
                ci: None,
            })
        })
        .collect()
}

/// Where a quadrant split lies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Split {
    /// At the means of the plotted importances and performances (default).
    #[default]
    Means,
    /// At given values.
    Values {
        /// Importance split.
        importance: f64,
        /// Performance split.
        performance: f64,
    },
}

/// How short boards are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Ranking {
    /// By potential gain `importance × (100 − performance)`, descending: the
    /// target index points gained if the driver reached 100 (default).
    #[default]
    PotentialGain,
    /// By importance, descending; ties by performance, ascending.
    Importance,
}

/// Quadrant of the importance–performance map (Martilla & James 1977).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// High importance, low performance: the short boards.
    ConcentrateHere,
    /// High importance, high performance.
    KeepUpTheGoodWork,
    /// Low importance, low performance.
    LowPriority,
    /// Low importance, high performance.
    PossibleOverkill,
}

impl Quadrant {
    fn of(importance: f64, performance: f64, split_i: f64, split_p: f64) -> Quadrant {
        match (importance > split_i, performance < split_p) {
            (true, true) => Quadrant::ConcentrateHere,
            (true, false) => Quadrant::KeepUpTheGoodWork,
            (false, true) => Quadrant::LowPriority,
            (false, false) => Quadrant::PossibleOverkill,
        }
    }

    /// A label for reports.
    pub fn label(&self) -> &'static str {
        match self {
            Quadrant::ConcentrateHere => "concentrate here (short board)",
            Quadrant::KeepUpTheGoodWork => "keep up the good work",
            Quadrant::LowPriority => "low priority",
            Quadrant::PossibleOverkill => "possible overkill",
        }
    }
}

/// Settings of an IPMA.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct IpmaOptions {
    /// Quadrant split of the construct map.
    pub construct_split: Split,
    /// Quadrant split of the indicator map.
    pub indicator_split: Split,
    /// Ranking rule of the short boards.
    pub ranking: Ranking,
}

/// A construct on the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpmaConstruct {
    /// Construct.
    pub name: Construct,
    /// Importance: unstandardized total effect on the target.
    pub importance: f64,
    /// Performance: the construct's index.
    pub performance: f64,
    /// ACSI impact: 5 × importance.
    pub impact: f64,
    /// Quadrant.
    pub quadrant: Quadrant,
    /// Bootstrap percentile interval of the importance (`None` without the
    /// bootstrap; see [`super::CsiAnalysis::bootstrap`]).
    pub importance_ci: Option<Interval>,
    /// For a lower-order construct that reaches the target only through its
    /// higher-order construct: that construct (see [`ipma`]).
    pub via: Option<String>,
}

/// An indicator on the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpmaIndicator {
    /// Indicator.
    pub indicator: String,
    /// Its construct.
    pub construct: Construct,
    /// Importance: rescaled weight × the construct's importance.
    pub importance: f64,
    /// Performance: mean rescaled to 0–100.
    pub performance: f64,
    /// Quadrant.
    pub quadrant: Quadrant,
    /// Bootstrap interval of the importance (`None` without the bootstrap).
    pub importance_ci: Option<Interval>,
}

/// A short board: a driver in the "concentrate here" quadrant, ranked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShortBoard {
    /// 1-based rank.
    pub rank: usize,
    /// Construct or indicator name.
    pub name: String,
    /// The construct (the indicator's construct at indicator level).
    pub construct: Construct,
    /// Importance.
    pub importance: f64,
    /// Performance.
    pub performance: f64,
    /// Potential gain `importance × (100 − performance)`.
    pub potential_gain: f64,
}

/// An importance–performance map for one target construct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ipma {
    /// The target construct.
    pub target: Construct,
    /// The target's index.
    pub target_index: f64,
    /// Every construct with a directed path to the target, in model order.
    pub constructs: Vec<IpmaConstruct>,
    /// The indicators of those constructs, in model order.
    pub indicators: Vec<IpmaIndicator>,
    /// Construct map split (importance, performance).
    pub construct_split: (f64, f64),
    /// Indicator map split (importance, performance).
    pub indicator_split: (f64, f64),
    /// The ranking rule used.
    pub ranking: Ranking,
    /// Construct-level short boards, ranked.
    pub short_boards: Vec<ShortBoard>,
    /// Indicator-level short boards, ranked.
    pub indicator_short_boards: Vec<ShortBoard>,
}

fn split_values(split: Split, imp: &[f64], perf: &[f64]) -> (f64, f64) {
    match split {
        Split::Means => {
            let m = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
            (m(imp), m(perf))
        }
        Split::Values {
            importance,
            performance,
        } => (importance, performance),
    }
}

fn rank(mut boards: Vec<ShortBoard>, ranking: Ranking) -> Vec<ShortBoard> {
    boards.sort_by(|a, b| {
        let primary = match ranking {
            Ranking::PotentialGain => b.potential_gain.total_cmp(&a.potential_gain),
            Ranking::Importance => b
                .importance
                .total_cmp(&a.importance)
                .then(a.performance.total_cmp(&b.performance)),
        };
        primary.then_with(|| a.name.cmp(&b.name))
    });
    for (r, b) in boards.iter_mut().enumerate() {
        b.rank = r + 1;
    }
    boards
}

/// The importance–performance map of `target`, at construct and indicator
/// level, with the ranked short boards. A pure function of the fit and its index.
///
/// **Higher-order constructs.** The lower-order constructs (LOC) of a
/// higher-order construct (HOC) on the map are put on it too, also when they
/// have no directed path to the target (a Mode A HOC has paths HOC → LOC), with
/// `via` naming the HOC (cSEM's IPMA refuses such models):
/// - repeated indicators: importance of LOC L = (Σ of the HOC's rescaled
///   weights of L's repeated items) × importance(HOC): the HOC's index is
///   Σ vᵢ · performanceᵢ over its items, so this is L's share of it (exactly
///   L's weight when the HOC weights L's items in the proportions of L's own
///   weights); performance = L's index;
/// - two-stage: the HOC's indicators are the LOC scores in the items' metric,
///   so importance = rescaled weight × importance(HOC) and performance = the
///   indicator's performance (Ringle & Sarstedt 2016's indicator-level IPMA),
///   which equals L's index in the stage-1 fit when the scale is shared.
///
/// A HOC whose LOCs are on the map is left out of the mean split of the
/// construct map (its importance is the sum of theirs).
///
/// # Errors
/// [`Error::UnknownTarget`] for a target not in the model,
/// [`Error::NoDrivers`] when no construct has a path to it.
pub fn ipma(
    fit: &PlsFit,
    index: &IndexResult,
    target: impl Into<Construct>,
    options: &IpmaOptions,
) -> Result<Ipma> {
    let target = target.into();
    let model = fit.model();
    let Some(tj) = model.construct_index(target.name()) else {
        return Err(Error::UnknownTarget {
            name: target.name().to_string(),
            suggestions: crate::error::suggest(
                target.name(),
                model.constructs().iter().map(|c| c.name.as_str()),
            ),
        });
    };
    let all = impacts(fit, index);
    let mut constructs: Vec<IpmaConstruct> = Vec::new();
    for c in model.constructs() {
        if let Some(im) = all
            .iter()
            .find(|im| im.target == target && im.driver.name() == c.name)
        {
            let perf = index.value(c.name.as_str()).unwrap_or(f64::NAN);
            constructs.push(IpmaConstruct {
                name: im.driver.clone(),
                importance: im.total_effect,
                performance: perf,
                impact: im.impact,
                quadrant: Quadrant::LowPriority,
                importance_ci: None,
                via: None,
            });
        }
    }
    hoc_components(fit, index, &mut constructs);
    if constructs.is_empty() {
        return Err(Error::NoDrivers {
            target: target.name().to_string(),
        });
    }
    let mut indicators = Vec::new();
    for ii in &index.indicators {
        if let Some(c) = constructs.iter().find(|c| c.name == ii.construct) {
            indicators.push(IpmaIndicator {
                indicator: ii.indicator.clone(),
                construct: ii.construct.clone(),
                importance: ii.rescaled * c.importance,
                performance: ii.performance,
                quadrant: Quadrant::LowPriority,
                importance_ci: None,
            });
        }
    }
    // A HOC whose LOCs are on the map is their sum: leave it out of the split.
    let in_split = |c: &IpmaConstruct| {
        !constructs
            .iter()
            .any(|o| o.via.as_deref() == Some(c.name.name()))
    };
    let ci: Vec<f64> = constructs
        .iter()
        .filter(|c| in_split(c))
        .map(|c| c.importance)
        .collect();
    let cp: Vec<f64> = constructs
        .iter()
        .filter(|c| in_split(c))
        .map(|c| c.performance)
        .collect();
    let (si, sp) = split_values(options.construct_split, &ci, &cp);
    for c in &mut constructs {
        c.quadrant = Quadrant::of(c.importance, c.performance, si, sp);
    }
    let ii: Vec<f64> = indicators.iter().map(|c| c.importance).collect();
    let ip: Vec<f64> = indicators.iter().map(|c| c.performance).collect();
    let (isi, isp) = split_values(options.indicator_split, &ii, &ip);
    for c in &mut indicators {
        c.quadrant = Quadrant::of(c.importance, c.performance, isi, isp);
    }
    let short_boards = rank(
        constructs
            .iter()
            .filter(|c| c.quadrant == Quadrant::ConcentrateHere)
            .map(|c| ShortBoard {
                rank: 0,
                name: c.name.name().to_string(),
                construct: c.name.clone(),
                importance: c.importance,
                performance: c.performance,
                potential_gain: c.importance * (100.0 - c.performance),
            })
            .collect(),
        options.ranking,
    );
    let indicator_short_boards = rank(
        indicators
            .iter()
            .filter(|c| c.quadrant == Quadrant::ConcentrateHere)
            .map(|c| ShortBoard {
                rank: 0,
                name: c.indicator.clone(),
                construct: c.construct.clone(),
                importance: c.importance,
                performance: c.performance,
                potential_gain: c.importance * (100.0 - c.performance),
            })
            .collect(),
        options.ranking,
    );
    Ok(Ipma {
        target_index: index.constructs[tj].index,
        target,
        constructs,
        indicators,
        construct_split: (si, sp),
        indicator_split: (isi, isp),
        ranking: options.ranking,
        short_boards,
        indicator_short_boards,
    })
}

/// Adds the lower-order constructs of the higher-order constructs on the map.
fn hoc_components(fit: &PlsFit, index: &IndexResult, constructs: &mut Vec<IpmaConstruct>) {
    let model = fit.model();
    // Repeated indicators: the LOCs are constructs of the fit; the HOC's
    // index is Σ v_i · performance_i over its repeated items.
    for h in model.higher_order() {
        let Some(hc) = constructs.iter().find(|c| c.name.name() == h.name).cloned() else {
            continue;
        };
        for l in &h.components {
            if constructs.iter().any(|c| c.name.name() == l) {
                continue;
            }
            let (Some(j), Some(li)) = (model.construct_index(l), index.get(l.as_str())) else {
                continue;
            };
            let items = &model.constructs()[j].indicators;
            let share: f64 = index
                .indicators
                .iter()
                .filter(|ii| ii.construct.name() == h.name && items.contains(&ii.indicator))
                .map(|ii| ii.rescaled)
                .sum();
            let importance = share * hc.importance;
            constructs.push(IpmaConstruct {
                name: Construct::from_name(l),
                importance,
                performance: li.index,
                impact: IMPACT_POINTS * importance,
                quadrant: Quadrant::LowPriority,
                importance_ci: None,
                via: Some(h.name.clone()),
            });
        }
    }
    // Two-stage: the HOC's indicators are its LOCs' scores.
    if let Some(ext) = &fit.extension
        && ext.stage1.is_some()
    {
        for h in ext.specified_model().higher_order() {
            let Some(hc) = constructs.iter().find(|c| c.name.name() == h.name).cloned() else {
                continue;
            };
            for ii in index
                .indicators
                .iter()
                .filter(|ii| ii.construct.name() == h.name && h.components.contains(&ii.indicator))
            {
                if constructs.iter().any(|c| c.name.name() == ii.indicator) {
                    continue;
                }
                let importance = ii.rescaled * hc.importance;
                constructs.push(IpmaConstruct {
                    name: Construct::from_name(&ii.indicator),
                    importance,
                    performance: ii.performance,
                    impact: IMPACT_POINTS * importance,
                    quadrant: Quadrant::LowPriority,
                    importance_ci: None,
                    via: Some(h.name.clone()),
                });
            }
        }
    }
}

impl From<&Ipma> for crate::pls::IpmaJson {
    fn from(m: &Ipma) -> Self {
        let quadrant = |q: Quadrant| {
            serde_json::to_value(q)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        };
        crate::pls::IpmaJson {
            target: m.target.name().to_string(),
            constructs: m
                .constructs
                .iter()
                .map(|c| crate::pls::IpmaConstructJson {
                    name: c.name.name().to_string(),
                    importance: c.importance,
                    performance: c.performance,
                    impact: c.impact,
                    quadrant: quadrant(c.quadrant),
                    importance_ci_lower: c.importance_ci.map(|i| i.lower),
                    importance_ci_upper: c.importance_ci.map(|i| i.upper),
                    via: c.via.clone(),
                })
                .collect(),
            indicators: m
                .indicators
                .iter()
                .map(|i| crate::pls::IpmaIndicatorJson {
                    indicator: i.indicator.clone(),
                    construct: i.construct.name().to_string(),
                    importance: i.importance,
                    performance: i.performance,
                    importance_ci_lower: i.importance_ci.map(|i| i.lower),
                    importance_ci_upper: i.importance_ci.map(|i| i.upper),
                })
                .collect(),
            short_boards: m.short_boards.iter().map(|b| b.name.clone()).collect(),
        }
    }
}

impl crate::pls::PlsReport {
    /// Fills `constructs[].index` from an index result (the `--scale` option).
    pub fn set_index(&mut self, index: &IndexResult) {
        for c in &mut self.constructs {
            c.index = index.value(c.name.as_str());
        }
    }

    /// Sets the `ipma` object (the `--ipma` option).
    pub fn set_ipma(&mut self, map: &Ipma) {
        self.ipma = Some(map.into());
    }
}

/// An item of the "fix first" list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixItem {
    /// 1-based rank by potential gain.
    pub rank: usize,
    /// The item (data column).
    pub indicator: String,
    /// Its construct.
    pub construct: Construct,
    /// Its rescaled outer weight (weights of a block sum to 1; `NaN` when
    /// the construct has no effect on the target).
    pub weight: f64,
    /// The total effect of its construct on the target (index metric).
    pub construct_effect: f64,
    /// Its importance: `weight × construct_effect`.
    pub importance: f64,
    /// Its performance: the mean rescaled to 0–100.
    pub performance: f64,
    /// Potential gain `importance × (100 − performance)`: target index
    /// points gained if the item reached 100.
    pub gain: f64,
}

/// A construct of the "fix first" list: the sum of its items' gains.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixConstruct {
    /// 1-based rank by summed gain.
    pub rank: usize,
    /// The construct.
    pub construct: Construct,
    /// Σ of its items' potential gains.
    pub gain: f64,
    /// How many of its items are on the list.
    pub items: usize,
    /// Its item with the largest gain.
    pub top_item: String,
}

/// One ranking at item and construct level, consistent by construction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixFirst {
    /// The target construct.
    pub target: Construct,
    /// Every item of a driver of the target, by potential gain, highest first.
    pub items: Vec<FixItem>,
    /// Every driver construct, by the sum of its items' gains, highest first.
    pub constructs: Vec<FixConstruct>,
}

/// The "fix first" ranking of an importance–performance map: item potential
/// gain = (rescaled outer weight × total effect of its construct on the
/// target) × (100 − item performance) (Ringle & Sarstedt 2016's indicator
/// importance; the ACSI "potential gain"), the construct gain the sum over its
/// items. As the rescaled weights of a block sum to 1 and the construct's
/// index is Σ weight × item performance, a construct's gain equals its own
/// importance × (100 − index): the two levels are the same numbers, so the
/// construct short boards and the item list never contradict each other
/// (unlike the quadrant short boards of [`ipma`], split separately per level).
///
/// An item repeated under a higher-order construct and its lower-order one
/// is counted once, under the lower-order construct.
pub fn fix_first(map: &Ipma) -> FixFirst {
    let effect = |c: &Construct| {
        map.constructs
            .iter()
            .find(|x| &x.name == c)
            .map_or(f64::NAN, |x| x.importance)
    };
    let is_loc = |c: &Construct| {
        map.constructs
            .iter()
            .any(|x| &x.name == c && x.via.is_some())
    };
    let mut items: Vec<FixItem> = Vec::new();
    for i in &map.indicators {
        if let Some(k) = items.iter().position(|x| x.indicator == i.indicator) {
            // Keep the lower-order construct's copy of a repeated item.
            if is_loc(&i.construct) && !is_loc(&items[k].construct) {
                items.remove(k);
            } else {
                continue;
            }
        }
        let e = effect(&i.construct);
        items.push(FixItem {
            rank: 0,
            indicator: i.indicator.clone(),
            construct: i.construct.clone(),
            weight: if e != 0.0 { i.importance / e } else { f64::NAN },
            construct_effect: e,
            importance: i.importance,
            performance: i.performance,
            gain: i.importance * (100.0 - i.performance),
        });
    }
    items.sort_by(|a, b| {
        b.gain
            .total_cmp(&a.gain)
            .then_with(|| a.indicator.cmp(&b.indicator))
    });
    for (r, i) in items.iter_mut().enumerate() {
        i.rank = r + 1;
    }
    let mut constructs: Vec<FixConstruct> = Vec::new();
    for i in &items {
        match constructs.iter_mut().find(|c| c.construct == i.construct) {
            Some(c) => {
                c.gain += i.gain;
                c.items += 1;
            }
            None => constructs.push(FixConstruct {
                rank: 0,
                construct: i.construct.clone(),
                gain: i.gain,
                items: 1,
                top_item: i.indicator.clone(),
            }),
        }
    }
    constructs.sort_by(|a, b| {
        b.gain
            .total_cmp(&a.gain)
            .then_with(|| a.construct.name().cmp(b.construct.name()))
    });
    for (r, c) in constructs.iter_mut().enumerate() {
        c.rank = r + 1;
    }
    FixFirst {
        target: map.target.clone(),
        items,
        constructs,
    }
}
