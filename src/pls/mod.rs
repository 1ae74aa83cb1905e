//! PLS path modeling: settings ([`Pls`]), the estimator and its result ([`PlsFit`]).
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
pub mod extend;
pub mod fit;
pub mod groups;
pub mod moments;
pub mod ordinal;
pub mod plsc;
pub mod predict;
pub mod report;
pub(crate) mod resample;

use serde::{Deserialize, Serialize};

pub use algorithm::{Scheme, StopRule};
pub use assess::{
    Assessment, Blindfolding, BlindfoldingRow, IndicatorValue, ModelFit, PairOptValue,
    ReliabilityRow,
};
pub use bootstrap::{
    BootConstruct, BootEstimate, BootOuter, BootPair, BootPath, Bootstrap, BootstrapResult,
    CustomBootstrap, FailurePolicy, SignChange,
};
pub use extend::{
    Extension, HocApproach, HocAssessment, InteractionApproach, SimpleSlope, SimpleSlopes,
};
pub use fit::{
    ConstructResult, EffectRow, Matrix, OuterRow, PairValue, PathRow, PathValue, PlsFit, Scores,
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
pub use resample::{FailureCounts, Progress, ProgressFn};

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::model::Model;
use algorithm::{IterSettings, Layout, OuterWeights};

/// How indicators enter the estimation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scaling {
    /// Standardized: mean 0, sample SD 1 (all peers' default). Estimates are then
    /// functions of the correlation matrix.
    #[default]
    Standardized,
    /// Centred only, in the indicators' own units (plspm `scaled = FALSE`).
    /// Estimates are functions of the covariance matrix; weights apply to raw units.
    Centered,
}

/// Estimation settings for a model. Defaults: path scheme, at most 300
/// iterations, stop when the largest change in any outer weight is below 1e-7
/// (seminr and SmartPLS use path / 300 / 1e-7 with their own change measures;
/// plspm centroid / 100 / 1e-6; cSEM path / 100 / 1e-5), standardized
/// indicators, listwise deletion, no case weights.
#[derive(Debug, Clone)]
pub struct Pls<'m> {
    model: &'m Model,
    scheme: Scheme,
    max_iter: usize,
    tol: f64,
    stop: StopRule,
    scaling: Scaling,
    missing: MissingPolicy,
    weights: Option<String>,
    allow_nonconvergence: bool,
    consistent: bool,
    hoc_approach: HocApproach,
    interaction_approach: InteractionApproach,
    correlation: CorrelationKind,
    /// Set on the plain model an extension resolved to (no second plan).
    resolved: bool,
}

impl<'m> Pls<'m> {
    /// Default settings for `model`.
    pub fn new(model: &'m Model) -> Self {
        Pls {
            model,
            scheme: Scheme::Path,
            max_iter: 300,
            tol: 1e-7,
            stop: StopRule::MaxAbsChange,
            scaling: Scaling::Standardized,
            missing: MissingPolicy::Listwise,
            weights: None,
            allow_nonconvergence: false,
            consistent: false,
            hoc_approach: HocApproach::RepeatedIndicators,
            interaction_approach: InteractionApproach::ProductIndicator,
            correlation: CorrelationKind::Pearson,
            resolved: false,
        }
    }

    /// How higher-order constructs are estimated (default
    /// [`HocApproach::RepeatedIndicators`]); see [`extend`] for which to use when.
    pub fn hoc_approach(mut self, approach: HocApproach) -> Self {
        self.hoc_approach = approach;
        self
    }

    /// How interaction terms are estimated (default
    /// [`InteractionApproach::ProductIndicator`]); see [`extend`].
    pub fn interaction_approach(mut self, approach: InteractionApproach) -> Self {
        self.interaction_approach = approach;
        self
    }

    /// Which indicator correlations the estimation starts from (default
    /// [`CorrelationKind::Pearson`]); [`CorrelationKind::Polychoric`] treats
    /// every indicator as ordinal (see [`ordinal`]).
    pub fn correlation(mut self, kind: CorrelationKind) -> Self {
        self.correlation = kind;
        self
    }

    /// Inner weighting scheme (default [`Scheme::Path`]).
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// Iteration limit (default 300).
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Convergence tolerance (default 1e-7).
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// How the change between iterations is measured (default [`StopRule::MaxAbsChange`]).
    pub fn stop_rule(mut self, stop: StopRule) -> Self {
        self.stop = stop;
        self
    }

    /// Standardized (default) or centred indicators.
    pub fn scaling(mut self, scaling: Scaling) -> Self {
        self.scaling = scaling;
        self
    }

    /// Missing-data policy (default [`MissingPolicy::Listwise`]).
    pub fn missing(mut self, policy: MissingPolicy) -> Self {
        self.missing = policy;
        self
    }

    /// Case (survey) weights from a data column: weighted PLS (Becker & Ismail 2016).
    /// Weights must be finite and non-negative. Means, variances and
    /// correlations are weighted; standard errors use the number of rows.
    pub fn case_weights(mut self, column: impl Into<String>) -> Self {
        self.weights = Some(column.into());
        self
    }

    /// Return a result flagged `converged: false` instead of
    /// [`Error::NotConverged`] when the iteration limit is hit (default: error).
    pub fn allow_nonconvergence(mut self, allow: bool) -> Self {
        self.allow_nonconvergence = allow;
        self
    }

    /// Consistent PLS, PLSc (Dijkstra & Henseler 2015), default off: after the
    /// usual iteration, the loadings and correlations of Mode A constructs with
    /// two or more indicators are corrected for attenuation with rho_A, and the
    /// paths are re-estimated by OLS on the corrected construct correlations.
    /// See [`plsc`] for the formulas and the admissibility checks.
    pub fn consistent(mut self, consistent: bool) -> Self {
        self.consistent = consistent;
        self
    }

    /// The model being estimated.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    fn check_settings(&self) -> Result<()> {
        if !(self.tol > 0.0 && self.tol.is_finite()) {
            return Err(Error::InvalidSetting {
                name: "tolerance".into(),
                message: format!("{} is not a positive number", self.tol),
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
        self.check_settings()?;
        if self.needs_plan() {
            let plan = self.plan(data)?;
            let mut fit = self.with_model(&plan.model).fit(&plan.data)?;
            fit.extension = Some(plan.extension);
            return Ok(fit);
        }
        let names: Vec<&str> = self.model.indicators().collect();
        let (moments, report) =
            Moments::from_dataset(data, &names, self.weights.as_deref(), self.missing)?;
        let s = match self.correlation {
            CorrelationKind::Pearson => None,
            CorrelationKind::Polychoric => {
                if self.scaling != Scaling::Standardized {
                    return Err(Error::InvalidSetting {
                        name: "correlation".into(),
                        message: "polychoric correlations need standardized indicators".into(),
                    });
                }
                Some(ordinal::polychoric_matrix(
                    data,
                    &names,
                    self.weights.as_deref(),
                    self.missing,
                )?)
            }
        };
        self.fit_with(moments, report, self.weights.is_some(), s)
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
        self.check_settings()?;
        self.check_moment_based("estimation from moments")?;
        let names: Vec<&str> = self.model.indicators().collect();
        let m = moments.select(&names)?;
        let n = usize::try_from(m.n()).unwrap_or(usize::MAX);
        let report = MissingReport {
            policy: self.missing,
            n_rows: n,
            n_used: n,
            n_dropped: 0,
            n_imputed: 0,
            missing_by_column: Vec::new(),
        };
        let weighted = (m.weight_sum() - m.n() as f64).abs() > 1e-9 * m.weight_sum().abs().max(1.0);
        self.fit_prepared(m, report, weighted)
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
        if self.correlation == CorrelationKind::Polychoric {
            return Err(Error::Unsupported {
                feature: format!("{what} with polychoric correlations"),
                context: "(they need the rows, not moments): use Pearson correlations".into(),
            });
        }
        Ok(())
    }

    fn construct_names(&self) -> Vec<String> {
        self.model
            .constructs()
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// The part of a fit every resample repeats: the variance check, the
    /// indicator matrix S (correlations or covariances), the iteration and the
    /// orientation. Returns S and the oriented outer weights, converged or not
    /// (the caller decides what non-convergence means).
    ///
    /// # Errors
    /// [`Error::ConstantColumn`], [`Error::SingularBlock`],
    /// [`Error::SingularPredictors`], [`Error::DegenerateConstruct`].
    pub(crate) fn solve(
        &self,
        layout: &Layout,
        moments: &Moments,
        construct_names: &[String],
    ) -> Result<(Vec<f64>, OuterWeights)> {
        self.solve_with(layout, moments, construct_names, None)
    }

    /// [`Pls::solve`] with an indicator correlation matrix given (polychoric).
    pub(crate) fn solve_with(
        &self,
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
                    column: self.model.indicators().nth(i).unwrap_or("").to_string(),
                    value: means[i],
                });
            }
        }
        let s = match (s_given, self.scaling) {
            (Some(s), _) => s,
            (None, Scaling::Standardized) => moments.correlation(),
            (None, Scaling::Centered) => cov,
        };
        let settings = IterSettings {
            scheme: self.scheme,
            tol: self.tol,
            max_iter: self.max_iter,
            stop: self.stop,
        };
        let mut outer = algorithm::iterate(layout, &s, &settings, construct_names)?;
        algorithm::orient(layout, &s, &mut outer.w);
        Ok((s, outer))
    }

    fn fit_prepared(
        &self,
        moments: Moments,
        report: MissingReport,
        weighted: bool,
    ) -> Result<PlsFit> {
        self.fit_with(moments, report, weighted, None)
    }

    fn fit_with(
        &self,
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
        let layout = Layout::new(self.model);
        let construct_names = self.construct_names();
        let polychoric = s_given.is_some();
        let (s, outer) = self.solve_with(&layout, &moments, &construct_names, s_given)?;
        if !outer.converged && !self.allow_nonconvergence {
            return Err(Error::NotConverged {
                iterations: outer.iterations,
                change: outer.change,
                tol: self.tol,
            });
        }
        fit::PlsFit::assemble(fit::Assembly {
            model: self.model.clone(),
            layout,
            s,
            moments,
            missing: report,
            weighted,
            outer,
            scheme: self.scheme,
            scaling: self.scaling,
            tol: self.tol,
            max_iter: self.max_iter,
            stop: self.stop,
            consistent: self.consistent,
            polychoric,
        })
    }
}
