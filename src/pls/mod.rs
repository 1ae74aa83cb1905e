//! PLS path modeling: settings ([`PlsSettings`], built with [`Pls`]), the
//! estimator and its result ([`PlsFit`]), and a prepared estimation
//! ([`Estimation`]) that serves several procedures from one preparation.
//!
//! ```
//! use csikit::{Dataset, Model, Pls, Scheme};
//! let data = Dataset::from_row_major(
//!     &["x1", "x2", "y1", "y2"],
//!     &[1., 2., 1., 2., 2., 2., 3., 3., 3., 4., 3., 4., 4., 3., 5., 4., 5., 5., 4., 6.],
//! ).unwrap();
//! let model = Model::from_syntax("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap();
//! let fit = Pls::new(&model).scheme(Scheme::Path).fit(&data).unwrap();
//! assert!(fit.converged);
//! assert!(fit.path("X", "Y").unwrap().estimate > 0.8);
//! ```

pub mod algorithm;
pub mod assess;
pub mod bootstrap;
pub(crate) mod core;
pub mod estimation;
pub mod extend;
pub mod fit;
pub mod groups;
pub mod kernel;
pub mod moments;
pub mod ordinal;
pub mod plsc;
pub mod predict;
pub mod replicate;
pub mod report;
pub(crate) mod resample;

use serde::{Deserialize, Serialize};

pub use algorithm::{Scheme, StopRule, Weighting};
pub use assess::{
    Assessment, Blindfolding, BlindfoldingRow, CompositeReliability, FSquared, HtmtBasis, HtmtRow,
    IndicatorValue, InformationCriteria, ModelFit, PairOptValue, PathOptValue, Q2Scale,
    ReliabilityRow,
};
pub use bootstrap::{
    BootConstruct, BootEstimate, BootOuter, BootPair, BootPath, BootSpecific, Bootstrap,
    BootstrapResult, CustomBootstrap, FailurePolicy, SignChange,
};
pub use core::MAX_SPECIFIC_INDIRECT;
pub use estimation::{BootstrapSets, Estimation, StatisticSet};
pub use extend::{
    Extension, HocApproach, HocAssessment, InteractionApproach, SimpleSlope, SimpleSlopes,
};
pub use fit::{
    ConstructResult, EffectRow, Matrix, OuterRow, PairValue, PathRow, PathValue, PlsFit, Scores,
    SpecificIndirect,
};
pub use groups::{
    ByLevel, Correction, Invariance, MgaResult, MicomRow, MultiGroup, OuterDifference,
    PathDifference,
};
pub use moments::{MissingPolicy, MissingReport, Moments};
pub use ordinal::CorrelationKind;
pub use plsc::{Consistency, ConstructValue, Inadmissible};
pub use predict::{PlsPredict, PredictApproach, PredictIndicator, Prediction, fold_assignment};
pub use report::{
    ConstructJson, ExtensionJson, IpmaConstructJson, IpmaIndicatorJson, IpmaJson, OuterJson,
    PlsReport,
};
pub use resample::{FailureCounts, KEPT_DRAWS_BUDGET, MAX_RESAMPLES, Progress, ProgressFn};

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::model::Model;
use algorithm::{IterSettings, Layout, OuterWeights};

/// How indicators enter the estimation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// Standardized: mean 0, sample SD 1 (all peers' default). Estimates are then
    /// functions of the correlation matrix.
    #[default]
    Standardized,
    /// Centred only, in the indicators' own units (plspm `scaled = FALSE`).
    /// Estimates are functions of the covariance matrix; weights apply to raw units.
    Centered,
}

impl std::str::FromStr for Scaling {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "standardized" | "standardised" => Ok(Scaling::Standardized),
            "centered" | "centred" => Ok(Scaling::Centered),
            _ => Err(Error::InvalidSetting {
                name: "scaling".into(),
                message: format!("`{s}` is not one of standardized, centered"),
            }),
        }
    }
}

/// The estimation settings of a PLS path model, owned: they can be stored,
/// compared, cloned, sent between threads and read from or written to JSON
/// (every enum value is the snake_case name its `FromStr` accepts, e.g.
/// `{"scheme": "factorial", "missing": "mean"}`; absent fields take their
/// defaults, unknown fields are an error). [`Pls`] is the builder over them;
/// [`Pls::with_settings`] and [`Estimation::new`] take them whole.
///
/// The defaults ([`PlsSettings::default`]) are those of [`Pls::new`]: path
/// scheme, at most 300 iterations, tolerance 1e-7 on the largest change of
/// any outer weight, standardized indicators, listwise deletion, no case
/// weights, plain (not consistent) PLS, repeated-indicator higher-order
/// constructs, product-indicator interactions, Pearson correlations, and
/// non-convergence an error.
///
/// ```
/// use csikit::{MissingPolicy, Model, Pls, PlsSettings, Scheme};
/// let settings: PlsSettings =
///     serde_json::from_str(r#"{"scheme": "factorial", "missing": "mean"}"#).unwrap();
/// assert_eq!(settings.scheme, Scheme::Factorial);
/// assert_eq!(settings.missing, MissingPolicy::Mean);
/// assert_eq!(settings.max_iter, 300);
/// let model = Model::from_syntax("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap();
/// let pls = Pls::with_settings(&model, settings.clone());
/// assert_eq!(pls.settings(), &settings);
/// assert_eq!(Pls::new(&model).settings(), &PlsSettings::default());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlsSettings {
    /// Inner weighting scheme (default [`Scheme::Path`]).
    pub scheme: Scheme,
    /// Iteration limit, at least 1 (default 300).
    pub max_iter: usize,
    /// Convergence tolerance, a positive number (default 1e-7), compared with
    /// the change measured by `stop_rule`.
    pub tolerance: f64,
    /// How the change between iterations is measured (default
    /// [`StopRule::MaxAbsChange`], csikit's rule: the largest absolute change
    /// of any outer weight).
    pub stop_rule: StopRule,
    /// Standardized (default [`Scaling::Standardized`]) or centred indicators.
    pub scaling: Scaling,
    /// Missing-data policy (default [`MissingPolicy::Listwise`]).
    pub missing: MissingPolicy,
    /// The data column holding case (survey) weights, for weighted PLS
    /// (Becker & Ismail 2016); default `None` (unweighted).
    pub case_weights: Option<String>,
    /// Consistent PLS, PLSc (Dijkstra & Henseler 2015); default `false`.
    pub consistent: bool,
    /// How higher-order constructs are estimated (default
    /// [`HocApproach::RepeatedIndicators`]).
    pub hoc_approach: HocApproach,
    /// How interaction terms are estimated (default
    /// [`InteractionApproach::ProductIndicator`]).
    pub interaction_approach: InteractionApproach,
    /// Which indicator correlations the estimation starts from (default
    /// [`CorrelationKind::Pearson`]).
    pub correlation: CorrelationKind,
    /// Return a fit flagged `converged: false` instead of
    /// [`Error::NotConverged`] when the iteration limit is hit (default `false`).
    pub allow_nonconvergence: bool,
    /// How the outer weights are obtained (default [`Weighting::Pls`]; not
    /// written to JSON at its default).
    #[serde(skip_serializing_if = "Weighting::is_pls")]
    pub weighting: Weighting,
    /// Mode A constructs declared composites: consistent PLS leaves them
    /// uncorrected, like Mode B constructs, single items and interaction
    /// terms (seminr's `composite()`); default none (not written to JSON
    /// when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub composites: Vec<String>,
}

impl Default for PlsSettings {
    fn default() -> Self {
        PlsSettings {
            scheme: Scheme::Path,
            max_iter: 300,
            tolerance: 1e-7,
            stop_rule: StopRule::MaxAbsChange,
            scaling: Scaling::Standardized,
            missing: MissingPolicy::Listwise,
            case_weights: None,
            consistent: false,
            hoc_approach: HocApproach::RepeatedIndicators,
            interaction_approach: InteractionApproach::ProductIndicator,
            correlation: CorrelationKind::Pearson,
            allow_nonconvergence: false,
            weighting: Weighting::Pls,
            composites: Vec::new(),
        }
    }
}

impl PlsSettings {
    /// Checks the numeric settings (settings read from JSON are not checked
    /// until they are used).
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for a tolerance that is not a positive number
    /// or an iteration limit of 0; [`Error::Unsupported`] for consistent PLS
    /// with unit weights.
    pub fn validate(&self) -> Result<()> {
        if self.consistent && self.weighting == Weighting::Unit {
            return Err(Error::Unsupported {
                feature: "consistent PLS with unit weights".into(),
                context: "(its reliability rho_A is defined for PLS Mode A weights): use weighting = pls, or plain PLS".into(),
            });
        }
        if !(self.tolerance > 0.0 && self.tolerance.is_finite()) {
            return Err(Error::InvalidSetting {
                name: "tolerance".into(),
                message: format!("{} is not a positive number", self.tolerance),
            });
        }
        if self.max_iter == 0 {
            return Err(Error::InvalidSetting {
                name: "max_iter".into(),
                message: "must be at least 1".into(),
            });
        }
        Ok(())
    }

    /// Polychoric correlations need the rows: procedures that work on moments refuse them.
    /// Refuses pairwise deletion for `what`, a procedure that needs whole rows.
    pub(crate) fn check_rowwise(&self, what: &str) -> Result<()> {
        if self.missing == MissingPolicy::Pairwise {
            return Err(Error::Unsupported {
                feature: format!("{what} with pairwise deletion (missing = pairwise)"),
                context: "(it resamples, splits or omits whole rows, and pairwise moments have no rows): use missing = listwise or mean".into(),
            });
        }
        Ok(())
    }

    pub(crate) fn check_pearson(&self, what: &str) -> Result<()> {
        if self.correlation == CorrelationKind::Polychoric {
            return Err(Error::Unsupported {
                feature: format!("{what} with polychoric correlations"),
                context: "(they need the rows, not moments): use Pearson correlations".into(),
            });
        }
        Ok(())
    }

    /// The part of a fit every resample repeats: the variance check, the
    /// indicator matrix S (correlations or covariances, or `s_given`), the
    /// iteration and the orientation. Returns S and the oriented outer
    /// weights, converged or not (the caller decides what non-convergence means).
    ///
    /// # Errors
    /// [`Error::ConstantColumn`], [`Error::SingularBlock`],
    /// [`Error::SingularPredictors`], [`Error::DegenerateConstruct`].
    pub(crate) fn solve_with(
        &self,
        model: &Model,
        layout: &Layout,
        moments: &Moments,
        construct_names: &[String],
        s_given: Option<Vec<f64>>,
    ) -> Result<(Vec<f64>, OuterWeights)> {
        let p = layout.p;
        let cov = moments.covariance();
        let means = moments.means();
        for i in 0..p {
            // Constant: no variance beyond the rounding noise of centring (relative to the mean).
            let var = cov[i * p + i];
            if !(var > 0.0 && var > (1e-12 * means[i]).powi(2)) {
                return Err(Error::ConstantColumn {
                    column: model.indicators().nth(i).unwrap_or("").to_string(),
                    value: means[i],
                });
            }
        }
        let centred = s_given.is_none() && self.scaling == Scaling::Centered;
        let s = match (s_given, self.scaling) {
            (Some(s), _) => s,
            (None, Scaling::Standardized) => moments.correlation(),
            (None, Scaling::Centered) => cov,
        };
        let plspm_scale = algorithm::PlspmScale::new(moments.n() as f64, centred);
        let settings = IterSettings {
            scheme: self.scheme,
            tol: self.tolerance,
            max_iter: self.max_iter,
            stop: self.stop_rule,
            plspm_scale,
        };
        let mut outer = match self.weighting {
            Weighting::Pls => algorithm::iterate(layout, &s, &settings, construct_names)?,
            Weighting::Unit => algorithm::unit_weights(layout, &s, construct_names)?,
        };
        algorithm::orient(layout, &s, &mut outer.w);
        Ok((s, outer))
    }

    /// A full fit of `model` (a plain model: no extension left to resolve)
    /// from the moments of the rows used.
    pub(crate) fn fit_with(
        &self,
        model: &Model,
        moments: Moments,
        report: MissingReport,
        weighted: bool,
        s_given: Option<Vec<f64>>,
    ) -> Result<PlsFit> {
        let n = report.n_used;
        if n < 3 {
            return Err(Error::TooFewObservations {
                what: "PLS estimation".into(),
                needed: 3,
                available: n,
            });
        }
        let layout = Layout::new(model).with_composites(model, &self.composites)?;
        let construct_names = construct_names(model);
        let polychoric = s_given.is_some();
        let (s, outer) = self.solve_with(model, &layout, &moments, &construct_names, s_given)?;
        if !outer.converged && !self.allow_nonconvergence {
            return Err(Error::NotConverged {
                iterations: outer.iterations,
                change: outer.change,
                tol: self.tolerance,
            });
        }
        fit::PlsFit::assemble(fit::Assembly {
            model: model.clone(),
            layout,
            s,
            moments,
            missing: report,
            weighted,
            outer,
            scheme: self.scheme,
            scaling: self.scaling,
            tol: self.tolerance,
            max_iter: self.max_iter,
            stop: self.stop_rule,
            weighting: self.weighting,
            consistent: self.consistent,
            polychoric,
        })
    }

    /// [`Pls::fit_moments`] of a plain model.
    pub(crate) fn fit_moments(&self, model: &Model, moments: &Moments) -> Result<PlsFit> {
        self.validate()?;
        let names: Vec<&str> = model.indicators().collect();
        let m = moments.select(&names)?;
        let n = usize::try_from(m.n()).unwrap_or(usize::MAX);
        let report = MissingReport {
            policy: self.missing,
            n_rows: n,
            n_used: n,
            n_dropped: 0,
            n_empty_rows: 0,
            n_zero_weight: 0,
            n_imputed: 0,
            missing_by_column: Vec::new(),
        };
        let weighted = (m.weight_sum() - m.n() as f64).abs() > 1e-9 * m.weight_sum().abs().max(1.0);
        self.fit_with(model, m, report, weighted, None)
    }
}

/// The construct names of a model, in model order.
pub(crate) fn construct_names(model: &Model) -> Vec<String> {
    model.constructs().iter().map(|c| c.name.clone()).collect()
}

/// Estimation settings for a model: a builder over [`PlsSettings`] (see there
/// for the defaults) holding the model it estimates.
#[derive(Debug, Clone)]
pub struct Pls<'m> {
    model: &'m Model,
    settings: PlsSettings,
    /// Set on the plain model an extension resolved to (no second plan).
    resolved: bool,
}

impl<'m> Pls<'m> {
    /// Default settings for `model`.
    pub fn new(model: &'m Model) -> Self {
        Pls::with_settings(model, PlsSettings::default())
    }

    /// These settings for `model`.
    pub fn with_settings(model: &'m Model, settings: PlsSettings) -> Self {
        Pls {
            model,
            settings,
            resolved: false,
        }
    }

    /// The settings.
    pub fn settings(&self) -> &PlsSettings {
        &self.settings
    }

    /// How higher-order constructs are estimated (default
    /// [`HocApproach::RepeatedIndicators`]); see [`extend`] for which to use when.
    pub fn hoc_approach(mut self, approach: HocApproach) -> Self {
        self.settings.hoc_approach = approach;
        self
    }

    /// How interaction terms are estimated (default
    /// [`InteractionApproach::ProductIndicator`]); see [`extend`].
    pub fn interaction_approach(mut self, approach: InteractionApproach) -> Self {
        self.settings.interaction_approach = approach;
        self
    }

    /// Which indicator correlations the estimation starts from (default
    /// [`CorrelationKind::Pearson`]); [`CorrelationKind::Polychoric`] treats
    /// every indicator as ordinal (see [`ordinal`]).
    pub fn correlation(mut self, kind: CorrelationKind) -> Self {
        self.settings.correlation = kind;
        self
    }

    /// Inner weighting scheme (default [`Scheme::Path`]).
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.settings.scheme = scheme;
        self
    }

    /// Iteration limit (default 300).
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.settings.max_iter = max_iter;
        self
    }

    /// Convergence tolerance (default 1e-7).
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.settings.tolerance = tol;
        self
    }

    /// How the change between iterations is measured (default [`StopRule::MaxAbsChange`]).
    pub fn stop_rule(mut self, stop: StopRule) -> Self {
        self.settings.stop_rule = stop;
        self
    }

    /// Standardized (default) or centred indicators.
    pub fn scaling(mut self, scaling: Scaling) -> Self {
        self.settings.scaling = scaling;
        self
    }

    /// Missing-data policy (default [`MissingPolicy::Listwise`]).
    pub fn missing(mut self, policy: MissingPolicy) -> Self {
        self.settings.missing = policy;
        self
    }

    /// Case (survey) weights from a data column: weighted PLS (Becker & Ismail 2016).
    /// Weights must be finite and non-negative. Means, variances and
    /// correlations are weighted; standard errors use the number of rows.
    pub fn case_weights(mut self, column: impl Into<String>) -> Self {
        self.settings.case_weights = Some(column.into());
        self
    }

    /// Return a result flagged `converged: false` instead of
    /// [`Error::NotConverged`] when the iteration limit is hit (default: error).
    pub fn allow_nonconvergence(mut self, allow: bool) -> Self {
        self.settings.allow_nonconvergence = allow;
        self
    }

    /// Consistent PLS, PLSc (Dijkstra & Henseler 2015), default off: after the
    /// usual iteration, the loadings and correlations of Mode A constructs with
    /// two or more indicators (other than interaction terms and the
    /// constructs declared [`Pls::composites`]) are corrected for attenuation with rho_A, and the
    /// paths are re-estimated by OLS on the corrected construct correlations.
    /// See [`plsc`] for the formulas and the admissibility checks.
    pub fn consistent(mut self, consistent: bool) -> Self {
        self.settings.consistent = consistent;
        self
    }

    /// How the outer weights are obtained (default [`Weighting::Pls`]);
    /// [`Weighting::Unit`] gives sum scores (cSEM's unit weights).
    pub fn weighting(mut self, weighting: Weighting) -> Self {
        self.settings.weighting = weighting;
        self
    }

    /// Mode A constructs to take as composites under consistent PLS: they
    /// are not corrected for attenuation (seminr's `composite()`). Mode B
    /// constructs, single items and interaction terms are never corrected.
    pub fn composites<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.composites = names.into_iter().map(Into::into).collect();
        self
    }

    /// The model being estimated.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// Validates, plans and prepares `data` once for several procedures (a
    /// copy of the model, the settings and the data): see [`Estimation`].
    ///
    /// # Errors
    /// As [`Estimation::new`].
    pub fn estimation(&self, data: &Dataset) -> Result<Estimation> {
        Estimation::new(self.model, self.settings.clone(), data.clone())
    }

    /// Fits the model to data: resolves the indicators, applies the missing-data
    /// policy, computes the indicator moments in one pass and iterates on them.
    ///
    /// # Errors
    /// Data errors ([`Error::UnknownColumn`] with near matches,
    /// [`Error::NonNumeric`], [`Error::AllMissing`], [`Error::ConstantColumn`],
    /// [`Error::MissingValues`], [`Error::InvalidWeights`], [`Error::EmptyData`],
    /// [`Error::TooFewObservations`]) and estimation errors
    /// ([`Error::SingularBlock`], [`Error::SingularPredictors`],
    /// [`Error::NotConverged`]).
    pub fn fit(&self, data: &Dataset) -> Result<PlsFit> {
        if self.settings.hoc_approach == HocApproach::ThreeStage
            && !self.resolved
            && !self.model.higher_order().is_empty()
        {
            return self.fit_three_stage(data);
        }
        let (setup, data) = estimation::Setup::new(self, std::borrow::Cow::Borrowed(data))?;
        let mut fit = estimation::Session::new(&setup, &data).fit_plain()?;
        fit.extension = setup.extension;
        Ok(fit)
    }

    /// Fits the model from precomputed moments (e.g. merged from data
    /// partitions). The moments must contain every indicator (extra variables
    /// are ignored). Construct scores are not available from moments alone,
    /// but every estimate equals the fit from the rows.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] for an indicator not in the moments, and the
    /// estimation errors of [`Pls::fit`].
    pub fn fit_moments(&self, moments: &Moments) -> Result<PlsFit> {
        self.settings.validate()?;
        self.check_moment_based("estimation from moments")?;
        self.settings.fit_moments(self.model, moments)
    }

    /// Moment-based procedures cannot derive columns or polychoric correlations.
    pub(crate) fn check_moment_based(&self, what: &str) -> Result<()> {
        if self.needs_plan() {
            return Err(Error::Unsupported {
                feature: format!(
                    "{what} of a model with interaction terms or a two-stage higher-order approach"
                ),
                context: "from moments: fit the rows with `Pls::fit`".into(),
            });
        }
        self.settings.check_pearson(what)
    }
}
