//! The JSON contract of the `pls` example (DESIGN.md §4), shared by the
//! example binary and the Python wrapper's `to_dict()`. Keys are exact: add
//! keys freely, never rename or drop. A value that does not apply is `null`.

use serde::Serialize;

use super::Scheme;
use super::assess::{Assessment, Blindfolding};
use super::bootstrap::BootstrapResult;
use super::fit::{EffectRow, PairValue, PathRow, PathValue, PlsFit};
use super::groups::MgaResult;
use super::plsc::Consistency;
use super::predict::Prediction;
use crate::model::Mode;

/// One construct in the contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstructJson {
    /// Name.
    pub name: String,
    /// "A" or "B".
    pub mode: Mode,
    /// Indicator names.
    pub indicators: Vec<String>,
    /// R² (null if exogenous).
    pub r_squared: Option<f64>,
    /// Adjusted R².
    pub r_squared_adj: Option<f64>,
    /// Cronbach's alpha (null for Mode B).
    pub cronbach_alpha: Option<f64>,
    /// Composite reliability (null for Mode B).
    pub rho_c: Option<f64>,
    /// Dijkstra–Henseler rho_A (null for Mode B).
    pub rho_a: Option<f64>,
    /// AVE (null for Mode B).
    pub ave: Option<f64>,
    /// 0–100 index, present when a scale was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<f64>,
}

/// One indicator in the contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OuterJson {
    /// Indicator.
    pub indicator: String,
    /// Construct.
    pub construct: String,
    /// Outer weight.
    pub weight: f64,
    /// Loading.
    pub loading: f64,
    /// Communality (extra key).
    pub communality: f64,
}

/// A construct on the importance–performance map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpmaConstructJson {
    /// Construct.
    pub name: String,
    /// Unstandardized total effect on the target (index metric).
    pub importance: f64,
    /// Its 0–100 index.
    pub performance: f64,
    /// ACSI impact: 5 × importance (extra key).
    pub impact: f64,
    /// Quadrant, e.g. `concentrate_here` (extra key).
    pub quadrant: String,
    /// Lower end of the bootstrap percentile interval of the importance
    /// (extra key, present with `--bootstrap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importance_ci_lower: Option<f64>,
    /// Upper end of that interval (extra key, present with `--bootstrap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importance_ci_upper: Option<f64>,
    /// For a lower-order construct on the map: its higher-order construct
    /// (extra key; null otherwise).
    pub via: Option<String>,
}

/// An indicator on the importance–performance map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpmaIndicatorJson {
    /// Indicator.
    pub indicator: String,
    /// Its construct (extra key).
    pub construct: String,
    /// Rescaled weight × the construct's importance.
    pub importance: f64,
    /// Mean rescaled to 0–100.
    pub performance: f64,
    /// Lower end of the bootstrap percentile interval of the importance
    /// (extra key, present with `--bootstrap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importance_ci_lower: Option<f64>,
    /// Upper end of that interval (extra key, present with `--bootstrap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importance_ci_upper: Option<f64>,
}

/// The `ipma` object of the contract (present with `--scale` and `--ipma`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpmaJson {
    /// Target construct.
    pub target: String,
    /// Driver constructs.
    pub constructs: Vec<IpmaConstructJson>,
    /// Their indicators.
    pub indicators: Vec<IpmaIndicatorJson>,
    /// Construct-level short boards, ranked (extra key).
    pub short_boards: Vec<String>,
}

/// The `pls` example's JSON document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlsReport {
    /// What happened to the data: rows read, used and dropped by reason,
    /// recoded codes, scales (extra key; set by the analysis layer,
    /// `csikit::analysis::pls`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<crate::audit::DataAudit>,
    /// Rows used.
    pub n_observations: usize,
    /// Rows dropped by listwise deletion.
    pub n_dropped: usize,
    /// Cells imputed by mean replacement (extra key).
    pub n_imputed: usize,
    /// Inner scheme.
    pub scheme: Scheme,
    /// Whether the iteration converged.
    pub converged: bool,
    /// Iterations run.
    pub iterations: usize,
    /// Per construct.
    pub constructs: Vec<ConstructJson>,
    /// Per indicator.
    pub outer: Vec<OuterJson>,
    /// Structural paths with OLS inference.
    pub paths: Vec<PathRow>,
    /// Direct, indirect, total effects.
    pub effects: Vec<EffectRow>,
    /// HTMT per pair of reflective constructs.
    pub htmt: Vec<PairValue>,
    /// Inner VIF per path.
    pub vif_inner: Vec<PathValue>,
    /// f² per path.
    pub f_squared: Vec<PathValue>,
    /// Goodness of fit.
    pub gof: f64,
    /// Consistent PLS: reliabilities used and admissibility (extra key; only with PLSc).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent: Option<Consistency>,
    /// The full assessment (extra key): reliability, Fornell–Larcker, HTMT,
    /// HTMT2, VIF, f², SRMR, d_ULS, d_G; since issue 18 also the indicator VIF
    /// of every block, the Mode B composite measures, HTMT of every pair, f²
    /// by re-estimation and information criteria.
    pub assessment: Assessment,
    /// Q² by blindfolding (extra key), when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blindfolding: Option<Blindfolding>,
    /// Bootstrap results (`--bootstrap N --seed S`): `ci_lower`/`ci_upper` are
    /// percentile intervals, `bca_lower`/`bca_upper` BCa intervals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapResult>,
    /// PLSpredict (earliest antecedents), when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predict: Option<Prediction>,
    /// Importance–performance map (with `--scale` and `--ipma`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipma: Option<IpmaJson>,
    /// Multi-group analysis (`--groups COLUMN --permutations N --seed S`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<MgaResult>,
    /// `"pearson"` or `"polychoric"` (`--ordinal`) indicator correlations (extra key).
    pub correlation: super::CorrelationKind,
    /// Higher-order constructs and interaction terms (extra key; null for a
    /// plain model): approaches, derived columns and the stage-1 report.
    pub extension: Option<ExtensionJson>,
    /// Assessment of the higher-order constructs with their lower-order
    /// constructs as indicators (extra key; empty without them).
    pub higher_order: Vec<super::HocAssessment>,
    /// Simple-slope table (`--slopes FOCAL:MODERATOR:DEPENDENT`; extra key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simple_slopes: Option<super::SimpleSlopes>,
    /// `"unit"` for unit (sum-score) weights (extra key; absent for PLS weights).
    #[serde(skip_serializing_if = "super::Weighting::is_pls")]
    pub weighting: super::Weighting,
    /// Specific indirect effects, each chain of mediators separately
    /// (`--specific-indirect`; extra key). Their bootstrap intervals are in
    /// `bootstrap.specific_indirect_effects`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specific_indirect: Option<Vec<super::SpecificIndirect>>,
}

/// The `extension` object of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtensionJson {
    /// `repeated_indicators`, `two_stage_embedded`, `two_stage_disjoint` (null without HOC).
    pub hoc_approach: Option<super::HocApproach>,
    /// `product_indicator`, `orthogonalized`, `two_stage` (null without interactions).
    pub interaction_approach: Option<super::InteractionApproach>,
    /// The derived data columns (LOC scores, product indicators).
    pub derived_columns: Vec<String>,
    /// The report of the stage-1 fit of a two-stage HOC approach (the
    /// lower-order constructs' assessment), null otherwise.
    pub stage1: Option<Box<PlsReport>>,
}

impl PlsFit {
    /// The fit in the `pls` example's JSON shape (without `blindfolding`,
    /// `bootstrap`, `predict` and `groups`, which need the data: set those
    /// fields from [`super::Pls::blindfolding`], [`super::Bootstrap::run`],
    /// [`super::PlsPredict::run`] and [`super::MultiGroup::run`]).
    pub fn report(&self) -> PlsReport {
        PlsReport {
            data: None,
            n_observations: self.n_observations,
            n_dropped: self.missing.n_dropped,
            n_imputed: self.missing.n_imputed,
            scheme: self.scheme,
            converged: self.converged,
            iterations: self.iterations,
            constructs: self
                .constructs
                .iter()
                .map(|c| ConstructJson {
                    name: c.name.clone(),
                    mode: c.mode,
                    indicators: c.indicators.clone(),
                    r_squared: c.r_squared,
                    r_squared_adj: c.r_squared_adj,
                    cronbach_alpha: c.cronbach_alpha,
                    rho_c: c.rho_c,
                    rho_a: c.rho_a,
                    ave: c.ave,
                    index: None,
                })
                .collect(),
            outer: self
                .outer
                .iter()
                .map(|o| OuterJson {
                    indicator: o.indicator.clone(),
                    construct: o.construct.clone(),
                    weight: o.weight,
                    loading: o.loading,
                    communality: o.communality,
                })
                .collect(),
            paths: self.paths.clone(),
            effects: self.effects.clone(),
            htmt: self.htmt.clone(),
            vif_inner: self.vif_inner.clone(),
            f_squared: self.f_squared.clone(),
            gof: self.gof,
            consistent: self.consistent.clone(),
            assessment: self.assess(),
            blindfolding: None,
            bootstrap: None,
            predict: None,
            ipma: None,
            groups: None,
            correlation: if self.polychoric {
                super::CorrelationKind::Polychoric
            } else {
                super::CorrelationKind::Pearson
            },
            extension: self.extension.as_ref().map(|e| ExtensionJson {
                hoc_approach: e.hoc_approach,
                interaction_approach: e.interaction_approach,
                derived_columns: e.derived_columns.clone(),
                stage1: e.stage1.as_ref().map(|f| Box::new(f.report())),
            }),
            higher_order: self.higher_order_assessment(),
            simple_slopes: None,
            weighting: self.weighting,
            specific_indirect: None,
        }
    }
}
