//! Why customers are (dis)satisfied, inside the CSI report: the relative
//! importance of the target's drivers on the construct scores of the fitted
//! PLS model (Shapley/LMG shares of R², Grömping 2007; Johnson 2000) beside
//! the PLS importance (total effects, Ringle & Sarstedt 2016), and the profile
//! of the dissatisfied customers (respondents whose target index is at or
//! below a cut): over-represented segments with lift, Wilson (1927)
//! intervals and Benjamini–Hochberg (1995) / Holm (1979) adjusted p-values,
//! and the driver indices that separate them (Cohen's d, Welch's t).
//!
//! Both reuse the library's [`crate::drivers`] functions; nothing here
//! re-implements them.

use serde::Serialize;

use super::CsiFit;
use super::ipma::Ipma;
use super::models::Construct;
use crate::drivers::profile::{self, DissatisfiedProfile, DissatisfiedRule, ProfileOptions};
use crate::drivers::{self, DriverAnalysis, DriverOptions};
use crate::{Dataset, Result};

/// One driver of the target, ranked two ways.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportanceComparison {
    /// The driver construct (model name).
    pub driver: String,
    /// Its Shapley/LMG share of the target's R² (0–1).
    pub shapley_share: f64,
    /// Rank by Shapley value (1 = most important).
    pub shapley_rank: usize,
    /// Its PLS importance: the unstandardized total effect on the target
    /// (the IPMA importance; null when the IPMA has no such construct).
    pub total_effect: Option<f64>,
    /// Rank by total effect among these drivers (null without one).
    pub total_effect_rank: Option<usize>,
}

/// The relative importance of the target's drivers and the profile of the
/// dissatisfied (the `key_drivers` key of the acsi JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyDrivers {
    /// The target construct.
    pub target: String,
    /// Shapley/LMG, Johnson weights and dominance of the target's direct
    /// predecessors, on the standardized PLS construct scores (their R² is the
    /// target's inner-model R²); null when it could not be computed (see
    /// `relative_importance_error`).
    pub relative_importance: Option<DriverAnalysis>,
    /// Why the relative importance is missing (a collinear or constant
    /// driver score, too few rows).
    pub relative_importance_error: Option<String>,
    /// Each driver ranked by Shapley share and by total effect.
    pub comparison: Vec<ImportanceComparison>,
    /// Whether the two rankings name the same top driver.
    pub top_driver_agrees: Option<bool>,
    /// Dissatisfied: a target index score (0–100) at or below this.
    pub dissatisfied_at: f64,
    /// The profile of the dissatisfied (null when it could not be computed,
    /// see `profile_error`).
    pub dissatisfied: Option<DissatisfiedProfile>,
    /// Why the profile is missing (no one or everyone dissatisfied, …).
    pub profile_error: Option<String>,
}

/// The column name of a construct's score in the data handed to the
/// driver and profile functions.
pub fn score_column(construct: &str) -> String {
    format!("{construct} index")
}

/// Computes [`KeyDrivers`] for `target` of a fit on `data` (the data the
/// fit was estimated on): relative importance on the PLS construct scores of
/// the target's direct predecessors, and the profile of the respondents whose
/// target index score is at most `dissatisfied_at`, over the `segments`
/// columns present in `data` and the driver index scores.
///
/// Never fails: whatever stops one of the two analyses (a collinear driver
/// score, no one dissatisfied, …) is recorded in the result and shown in the
/// report.
pub fn key_drivers(
    fit: &CsiFit,
    ipma: &Ipma,
    data: &Dataset,
    target: &Construct,
    segments: &[String],
    dissatisfied_at: f64,
) -> KeyDrivers {
    let model = fit.pls.model();
    let names: Vec<&str> = model.constructs().iter().map(|c| c.name.as_str()).collect();
    let t = names.iter().position(|n| *n == target.name());
    let preds: Vec<String> = t.map_or_else(Vec::new, |t| {
        model
            .predecessors(t)
            .iter()
            .map(|&p| names[p].to_string())
            .collect()
    });
    // Relative importance on the standardized PLS scores.
    let (relative_importance, relative_importance_error) = if preds.is_empty() {
        (None, Some(format!("{} has no driver", target.name())))
    } else {
        let run = || -> Result<DriverAnalysis> {
            let scores = fit.pls.scores(data)?;
            let mut cols: Vec<(String, Vec<f64>)> = Vec::new();
            for n in std::iter::once(target.name()).chain(preds.iter().map(String::as_str)) {
                if let Some(c) = scores.column(n) {
                    cols.push((n.to_string(), c));
                }
            }
            drivers::analyze(
                &Dataset::from_columns(cols)?,
                target.name(),
                &preds,
                &DriverOptions::default(),
            )
        };
        match run() {
            Ok(a) => (Some(a), None),
            Err(e) => (None, Some(e.to_string())),
        }
    };
    let mut comparison = Vec::new();
    if let Some(a) = &relative_importance {
        let effect = |name: &str| {
            ipma.constructs
                .iter()
                .find(|c| c.name.name() == name)
                .map(|c| c.importance)
        };
        let mut by_effect: Vec<(usize, f64)> = a
            .drivers
            .iter()
            .enumerate()
            .filter_map(|(i, d)| effect(&d.name).map(|e| (i, e)))
            .collect();
        by_effect.sort_by(|x, y| y.1.total_cmp(&x.1));
        for (i, d) in a.drivers.iter().enumerate() {
            comparison.push(ImportanceComparison {
                driver: d.name.clone(),
                shapley_share: d.shapley_share,
                shapley_rank: d.rank,
                total_effect: effect(&d.name),
                total_effect_rank: by_effect.iter().position(|x| x.0 == i).map(|r| r + 1),
            });
        }
        comparison.sort_by_key(|c| c.shapley_rank);
    }
    let top_driver_agrees = match (
        comparison.iter().find(|c| c.shapley_rank == 1),
        comparison.iter().find(|c| c.total_effect_rank == Some(1)),
    ) {
        (Some(a), Some(b)) => Some(a.driver == b.driver),
        _ => None,
    };
    // The dissatisfied, on the 0-100 index scores.
    let (dissatisfied, profile_error) = match fit
        .scores(data)
        .and_then(|index| profile_data(data, &index, target, &preds, segments))
        .and_then(|(d, segs, drv)| {
            profile::profile(
                &d,
                &score_column(target.name()),
                &ProfileOptions {
                    rule: DissatisfiedRule::AtMost {
                        threshold: dissatisfied_at,
                    },
                    segments: segs,
                    drivers: drv,
                    level: 0.95,
                },
            )
        }) {
        Ok(p) => (Some(p), None),
        Err(e) => (None, Some(e.to_string())),
    };
    KeyDrivers {
        target: target.name().to_string(),
        relative_importance,
        relative_importance_error,
        comparison,
        top_driver_agrees,
        dissatisfied_at,
        dissatisfied,
        profile_error,
    }
}

/// The rows of `data` with index scores, the score columns added; the
/// segment columns present and the driver score columns.
fn profile_data(
    data: &Dataset,
    index: &crate::pls::Scores,
    target: &Construct,
    preds: &[String],
    segments: &[String],
) -> Result<(Dataset, Vec<String>, Vec<String>)> {
    let mut d = data.take_rows(&index.rows)?;
    let mut drivers = Vec::new();
    for n in std::iter::once(target.name()).chain(preds.iter().map(String::as_str)) {
        if let Some(c) = index.column(n) {
            d.set_numeric(&score_column(n), c)?;
            if n != target.name() {
                drivers.push(score_column(n));
            }
        }
    }
    let segs = segments
        .iter()
        .filter(|s| d.has_column(s))
        .cloned()
        .collect();
    Ok((d, segs, drivers))
}
