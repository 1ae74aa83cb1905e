//! A prepared estimation: a model, its settings and the data, validated,
//! planned and prepared once, serving every procedure.
//!
//! Every procedure of a PLS path model starts the same way: check the
//! settings, resolve the model extensions (higher-order constructs by a
//! two-stage approach, interaction terms: derived columns on a copy of the
//! data, see [`super::extend`]), resolve the indicator columns, apply the
//! missing-data policy and the case weights, and, for the resampling
//! procedures, accumulate the indicator moments and standardize the rows
//! used. [`Estimation`] does this once and keeps the result, so that a fit,
//! a bootstrap, a multi-group analysis, PLSpredict and blindfolding of the
//! same model and data share it; the one-shot entry points ([`Pls::fit`],
//! [`Bootstrap::run`], [`MultiGroup::run`], [`PlsPredict::run`],
//! [`Pls::blindfolding`], [`crate::csi::CsiBootstrap::run`]) run the same
//! preparation on borrowed data and give the same results.
//!
//! The moments of all rows used and the standardized copy of the rows
//! (n × p values) are made on first use, so an estimation that is only
//! fitted never pays for the resampling state.
//!
//! **One resampling pass, several statistic sets.** [`Estimation::bootstrap_with`]
//! draws each resample once and computes every [`StatisticSet`] asked for on
//! it: the PLS estimates of [`Bootstrap::run`] and the CSI statistics of
//! [`crate::csi::CsiBootstrap::run`] (index, impacts, IPMA importances) of
//! one or more targets. Each set is summarized exactly as its own run would
//! summarize it (same streams, same failure handling per set), so the results
//! are bit-identical to the separate runs at the cost of one moment pass per
//! resample instead of one per set.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

use super::algorithm::Layout;
use super::core::Core;
use super::extend::Extension;
use super::moments::{self, MissingPolicy, MissingReport, Moments, Prepared, accumulate};
use super::resample::{Rows, Sampler};
use super::{
    Blindfolding, Bootstrap, BootstrapResult, CorrelationKind, CustomBootstrap, MgaResult,
    MultiGroup, Pls, PlsFit, PlsPredict, PlsSettings, Prediction, Scaling, SimpleSlopes,
    construct_names, ordinal,
};
use crate::csi::{Construct, CsiBootstrap, CsiStatistics, Scales};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::model::Model;

/// Everything a procedure needs from the settings, the model and the data,
/// except the data themselves (see [`Session`]): the settings, the plain
/// model estimated (extensions resolved), what the extensions did, and the
/// rows used.
pub(crate) struct Setup {
    pub settings: PlsSettings,
    /// The model estimated: the specified model with its extensions resolved.
    pub model: Model,
    /// What the extensions did (`None` without any to resolve).
    pub extension: Option<Extension>,
    pub layout: Layout,
    pub construct_names: Vec<String>,
    pub indicator_names: Vec<String>,
    pub rows: Rows,
    /// What the missing-data policy did.
    pub report: MissingReport,
    /// Case weights are set.
    pub weighted: bool,
    /// Moments of all rows used (named), made on first use.
    full: OnceLock<Moments>,
}

impl Setup {
    /// Checks `pls`'s settings, resolves its model's extensions (the derived
    /// columns are added to `data`, which is copied if borrowed) and applies
    /// the missing-data policy and the case weights. Returns the setup and the
    /// data it was prepared on.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`], the errors of resolving the extensions, and
    /// the data errors of [`Pls::fit`].
    pub(crate) fn new<'d>(
        pls: &Pls<'_>,
        data: Cow<'d, Dataset>,
    ) -> Result<(Setup, Cow<'d, Dataset>)> {
        let settings = pls.settings();
        settings.validate()?;
        if pls.needs_plan() && settings.missing == MissingPolicy::Pairwise {
            return Err(Error::Unsupported {
                feature: "pairwise deletion (missing = pairwise) with interaction terms or a two-stage higher-order approach".into(),
                context: "(their derived columns are built row by row): use missing = listwise or mean".into(),
            });
        }
        let (model, extension, data) = if pls.needs_plan() {
            let plan = pls.plan_owned(data.into_owned())?;
            (plan.model, Some(plan.extension), Cow::Owned(plan.data))
        } else {
            (pls.model().clone(), None, data)
        };
        let indicator_names: Vec<String> = model.indicators().map(str::to_string).collect();
        let prepared = Prepared::new(
            &data,
            &indicator_names,
            settings.case_weights.as_deref(),
            settings.missing,
        )?;
        let rows = Rows::new(
            prepared.rows,
            prepared.impute,
            prepared.weights,
            data.n_rows(),
        );
        let report = prepared.report;
        let setup = Setup {
            settings: settings.clone(),
            layout: Layout::new(&model).with_composites(&model, &settings.composites)?,
            construct_names: construct_names(&model),
            indicator_names,
            rows,
            report,
            weighted: settings.case_weights.is_some(),
            full: OnceLock::new(),
            model,
            extension,
        };
        Ok((setup, data))
    }

    pub(crate) fn n_used(&self) -> usize {
        self.rows.len()
    }
}

/// A [`Setup`] with the data it was prepared on: what every procedure runs on.
#[derive(Clone, Copy)]
pub(crate) struct Session<'a> {
    pub setup: &'a Setup,
    pub data: &'a Dataset,
}

impl<'a> Session<'a> {
    pub(crate) fn new(setup: &'a Setup, data: &'a Dataset) -> Self {
        Session { setup, data }
    }

    /// Prepares `data` for `pls` and runs `f` on the session.
    ///
    /// # Errors
    /// The errors of [`Setup::new`] and of `f`.
    pub(crate) fn with<T>(
        pls: &Pls<'_>,
        data: &Dataset,
        f: impl FnOnce(Session<'_>) -> Result<T>,
    ) -> Result<T> {
        let (setup, data) = Setup::new(pls, Cow::Borrowed(data))?;
        f(Session::new(&setup, &data))
    }

    /// The indicator columns of the data (model order).
    pub(crate) fn columns(&self) -> Result<Vec<&'a [f64]>> {
        self.setup
            .indicator_names
            .iter()
            .map(|n| self.data.numeric(n))
            .collect()
    }

    /// The moments of all rows used (named), made on first use.
    pub(crate) fn full(&self) -> Result<&'a Moments> {
        if let Some(m) = self.setup.full.get() {
            return Ok(m);
        }
        let columns = self.columns()?;
        let weights = match &self.setup.settings.case_weights {
            Some(c) => Some(self.data.numeric(c)?),
            None => None,
        };
        let rows = &self.setup.rows;
        let mut m = if self.setup.settings.missing == MissingPolicy::Pairwise {
            moments::pairwise(&columns, rows.selected.as_deref(), weights)?
        } else {
            accumulate(
                &columns,
                rows.selected.as_deref(),
                weights,
                rows.impute.as_deref(),
            )
        };
        m.set_names(&self.setup.indicator_names);
        Ok(self.setup.full.get_or_init(|| m))
    }

    /// Fast moments of resamples and subsets of the rows used (the
    /// standardized copy is made on first use).
    pub(crate) fn sampler(&self) -> Result<Sampler<'a>> {
        let full = self.full()?;
        let columns = self.columns()?;
        Ok(self.setup.rows.sampler(&columns, full))
    }

    /// Resampling needs at least 3 rows.
    pub(crate) fn require_rows(&self) -> Result<()> {
        let n = self.setup.n_used();
        if n < 3 {
            return Err(Error::TooFewObservations {
                what: "PLS estimation".into(),
                needed: 3,
                available: n,
            });
        }
        Ok(())
    }

    /// The fit of the plain model estimated (without [`PlsFit::extension`]).
    pub(crate) fn fit_plain(&self) -> Result<PlsFit> {
        let setup = self.setup;
        let settings = &setup.settings;
        let full = self.full()?.clone();
        let s = match settings.correlation {
            CorrelationKind::Pearson => None,
            CorrelationKind::Polychoric => {
                if settings.scaling != Scaling::Standardized {
                    return Err(Error::InvalidSetting {
                        name: "correlation".into(),
                        message: "polychoric correlations need standardized indicators".into(),
                    });
                }
                let s = ordinal::polychoric_matrix(
                    self.data,
                    &setup.indicator_names,
                    settings.case_weights.as_deref(),
                    settings.missing,
                )?;
                moments::check_positive_definite(
                    &s,
                    &setup.indicator_names,
                    "polychoric",
                    "a category answered by very few respondents (or pairs estimated on different rows) makes pair-by-pair estimates inconsistent: merge rare categories, use Pearson correlations, or use complete rows (missing = listwise)",
                )?;
                Some(s)
            }
        };
        if settings.missing == MissingPolicy::Pairwise && s.is_none() {
            moments::check_positive_definite(
                &full.correlation(),
                &setup.indicator_names,
                "pairwise",
                "the pairs were estimated on different rows: use missing = listwise or mean",
            )?;
        }
        settings.fit_with(&setup.model, full, setup.report.clone(), setup.weighted, s)
    }

    /// The fit, with what the extensions did.
    pub(crate) fn fit(&self) -> Result<PlsFit> {
        let mut fit = self.fit_plain()?;
        fit.extension = self.setup.extension.clone();
        Ok(fit)
    }

    /// The full fit of the plain model from the moments of a resample (or
    /// subset) of the rows used.
    pub(crate) fn fit_of(&self, m: &Moments) -> Result<PlsFit> {
        let setup = self.setup;
        let mut m = m.clone();
        m.set_names(&setup.indicator_names);
        setup
            .settings
            .fit_with(&setup.model, m, setup.report.clone(), setup.weighted, None)
    }

    /// S and the lean estimates from moments. Non-convergence is an error
    /// unless `allow_nonconvergence` (resamples never allow it).
    pub(crate) fn estimate(
        &self,
        m: &Moments,
        allow_nonconvergence: bool,
    ) -> Result<(Vec<f64>, Core)> {
        let setup = self.setup;
        let (s, outer) = setup.settings.solve_with(
            &setup.model,
            &setup.layout,
            m,
            &setup.construct_names,
            None,
        )?;
        if !outer.converged && !allow_nonconvergence {
            return Err(Error::NotConverged {
                iterations: outer.iterations,
                change: outer.change,
                tol: setup.settings.tolerance,
            });
        }
        let core = self.derive(&s, outer.w)?;
        Ok((s, core))
    }

    /// The lean estimates from S and oriented weights (PLSc if the settings ask for it).
    pub(crate) fn derive(&self, s: &[f64], w: Vec<f64>) -> Result<Core> {
        let setup = self.setup;
        Core::derive(
            &setup.layout,
            s,
            w,
            &setup.construct_names,
            &setup.indicator_names,
            setup.settings.consistent,
        )
    }
}

/// A set of statistics [`Estimation::bootstrap_with`] computes on every
/// resample of one pass.
#[derive(Debug, Clone, PartialEq)]
pub enum StatisticSet {
    /// The estimates of [`Bootstrap::run`]: weights, loadings, paths, total
    /// and indirect effects, R² and HTMT (sign change, BCa and
    /// [`Bootstrap::keep_draws`] as the [`Bootstrap`] says).
    Pls,
    /// The CSI statistics of [`crate::csi::CsiBootstrap::run`] for one target:
    /// the index of every construct, the impacts on the target and the IPMA
    /// importances ([`crate::csi::bootstrap_statistics`]); draws always kept,
    /// BCa as [`CsiStatistics::bca`] says.
    Csi(CsiStatistics),
}

impl StatisticSet {
    /// The CSI statistics of `target` on `scales`, without BCa intervals.
    pub fn csi(scales: impl Into<Scales>, target: impl Into<Construct>) -> Self {
        StatisticSet::Csi(CsiStatistics::new(scales, target))
    }
}

/// The results of [`Estimation::bootstrap_with`]: one per statistic set, in
/// the order asked (the CSI sets in `csi`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapSets {
    /// The PLS estimates ([`StatisticSet::Pls`]), if asked for.
    pub pls: Option<BootstrapResult>,
    /// The CSI statistics, one per [`StatisticSet::Csi`] in the order asked.
    pub csi: Vec<CsiBootstrap>,
}

/// A model, its settings and the data, validated, planned and prepared once
/// (see the [module docs](self)): fit, bootstrap, multi-group analysis,
/// PLSpredict and blindfolding without repeating the preparation. Owns a copy
/// of the model, the settings and the data (with the derived columns of the
/// extensions), so it can be stored and sent between threads.
///
/// ```
/// use csikit::csi::{Construct, Scale, Scales};
/// use csikit::{Bootstrap, Estimation, PlsSettings, StatisticSet, SurveySimulator};
/// let data = SurveySimulator::new(200).seed(3).simulate().unwrap();
/// let model = SurveySimulator::model();
/// let est = Estimation::new(&model, PlsSettings::default(), data).unwrap();
/// let fit = est.fit().unwrap();
/// assert!(fit.converged);
/// // One pass of 100 resamples for the PLS estimates and the CSI statistics.
/// let sets = est
///     .bootstrap_with(
///         &Bootstrap::new(100).seed(1).bca(false),
///         &[
///             StatisticSet::Pls,
///             StatisticSet::csi(Scales::uniform(Scale::new(1.0, 10.0)), Construct::Satisfaction),
///         ],
///     )
///     .unwrap();
/// let path = sets.pls.unwrap().path("Quality", "Satisfaction").unwrap().stats.clone();
/// assert!(path.ci_lower < path.estimate && path.estimate < path.ci_upper);
/// assert!(sets.csi[0].interval("index:Satisfaction").is_some());
/// ```
pub struct Estimation {
    /// The model as specified.
    specified: Model,
    /// The data (with the derived columns of the extensions).
    data: Dataset,
    setup: Setup,
}

impl fmt::Debug for Estimation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Estimation")
            .field("settings", &self.setup.settings)
            .field("constructs", &self.setup.construct_names)
            .field("indicators", &self.setup.indicator_names)
            .field("n_rows", &self.data.n_rows())
            .field("n_used", &self.setup.n_used())
            .finish_non_exhaustive()
    }
}

impl Estimation {
    /// Validates `settings`, resolves the extensions of `model` (derived
    /// columns added to `data`) and applies the missing-data policy and the
    /// case weights. The moments and the resampling state are made on first use.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`], the errors of resolving the extensions
    /// (which fits a stage-1 model for a two-stage approach), and the data
    /// errors of [`Pls::fit`].
    pub fn new(model: &Model, settings: PlsSettings, data: Dataset) -> Result<Estimation> {
        let pls = Pls::with_settings(model, settings);
        let (setup, data) = Setup::new(&pls, Cow::Owned(data))?;
        Ok(Estimation {
            specified: model.clone(),
            data: data.into_owned(),
            setup,
        })
    }

    pub(crate) fn session(&self) -> Session<'_> {
        Session::new(&self.setup, &self.data)
    }

    /// The settings.
    pub fn settings(&self) -> &PlsSettings {
        &self.setup.settings
    }

    /// The model as specified.
    pub fn model(&self) -> &Model {
        &self.specified
    }

    /// The model estimated: the specified model with its extensions resolved
    /// (the same model when it has none to resolve).
    pub fn estimated_model(&self) -> &Model {
        &self.setup.model
    }

    /// The data estimated on: the data given, with the derived columns of the
    /// extensions.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// What the missing-data policy did.
    pub fn missing_report(&self) -> &MissingReport {
        &self.setup.report
    }

    /// Rows used.
    pub fn n_observations(&self) -> usize {
        self.setup.n_used()
    }

    /// The fit ([`Pls::fit`]).
    ///
    /// # Errors
    /// The estimation errors of [`Pls::fit`].
    pub fn fit(&self) -> Result<PlsFit> {
        self.session().fit()
    }

    /// The bootstrap of the PLS estimates ([`Bootstrap::run`]).
    ///
    /// # Errors
    /// As [`Bootstrap::run`].
    pub fn bootstrap(&self, settings: &Bootstrap) -> Result<BootstrapResult> {
        settings.run_session(self.session())
    }

    /// One resampling pass for several statistic sets: each resample is drawn
    /// once (one moment pass) and every set is computed on it; each set's
    /// results equal, bit for bit, those of its own run with the same
    /// settings ([`Bootstrap::run`] for [`StatisticSet::Pls`],
    /// [`crate::csi::CsiBootstrap::run`] with BCa as the set says for
    /// [`StatisticSet::Csi`]). A resample that is degenerate for one set
    /// only is dropped (or redrawn, or an error) for that set only.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for an empty list or [`StatisticSet::Pls`]
    /// listed twice; otherwise as the runs of the sets (the first set's error first).
    pub fn bootstrap_with(
        &self,
        settings: &Bootstrap,
        sets: &[StatisticSet],
    ) -> Result<BootstrapSets> {
        settings.run_sets_session(self.session(), sets)
    }

    /// The bootstrap of any statistic of the fit ([`Bootstrap::run_with`]).
    ///
    /// # Errors
    /// As [`Bootstrap::run_with`].
    pub fn bootstrap_statistic<F>(
        &self,
        settings: &Bootstrap,
        statistic: F,
    ) -> Result<CustomBootstrap>
    where
        F: Fn(&PlsFit) -> Result<Vec<f64>> + Sync,
    {
        settings.run_with_session(self.session(), statistic)
    }

    /// The bootstrap of the CSI statistics of `target` ([`crate::csi::CsiBootstrap::run`]).
    ///
    /// # Errors
    /// As [`crate::csi::CsiBootstrap::run`].
    pub fn csi_bootstrap(
        &self,
        scales: &Scales,
        target: impl Into<Construct>,
        settings: &Bootstrap,
    ) -> Result<CsiBootstrap> {
        CsiBootstrap::run_session(self.session(), scales, target.into(), settings)
    }

    /// The simple-slope table with bootstrap intervals ([`Bootstrap::simple_slopes`]).
    ///
    /// # Errors
    /// As [`Bootstrap::simple_slopes`].
    pub fn simple_slopes(
        &self,
        settings: &Bootstrap,
        focal: &str,
        moderator: &str,
        dependent: &str,
    ) -> Result<SimpleSlopes> {
        settings.simple_slopes_session(self.session(), focal, moderator, dependent)
    }

    /// The multi-group analysis ([`MultiGroup::run`]).
    ///
    /// # Errors
    /// As [`MultiGroup::run`].
    pub fn multigroup(&self, settings: &MultiGroup) -> Result<MgaResult> {
        settings.run_session(self.session())
    }

    /// PLSpredict ([`PlsPredict::run`]) with the fold settings of `settings`.
    /// Build them with [`PlsPredict::default`], or from a [`Pls`] of the same
    /// model and settings.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] when `settings` was built from a [`Pls`]
    /// with another model or other settings; otherwise as [`PlsPredict::run`].
    pub fn predict(&self, settings: &PlsPredict<'_, '_>) -> Result<Prediction> {
        if let Some(pls) = settings.pls()
            && (pls.model() != &self.specified || pls.settings() != &self.setup.settings)
        {
            return Err(Error::InvalidSetting {
                name: "PlsPredict".into(),
                message: "it was built from another model or other estimation settings than this estimation's; build it with PlsPredict::default()".into(),
            });
        }
        settings.run_session(self.session())
    }

    /// Q² by blindfolding ([`Pls::blindfolding`]; the customary omission
    /// distance with `None`, as [`Pls::blindfolding_default`]).
    ///
    /// # Errors
    /// As [`Pls::blindfolding`].
    pub fn blindfolding(&self, distance: Option<usize>) -> Result<Blindfolding> {
        self.blindfolding_by(distance, super::assess::Q2Scale::default())
    }

    /// Q² by blindfolding with a chosen rescaling of the predictions
    /// ([`Pls::blindfolding_by`]).
    ///
    /// # Errors
    /// As [`Pls::blindfolding`].
    pub fn blindfolding_by(
        &self,
        distance: Option<usize>,
        scale: super::assess::Q2Scale,
    ) -> Result<Blindfolding> {
        super::assess::blindfolding_session(self.session(), distance, scale)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::*;
    use crate::csi::Scale;
    use crate::simulate::SurveySimulator;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn estimation_is_send_and_sync() {
        assert_send_sync::<Estimation>();
        assert_send_sync::<PlsSettings>();
    }

    /// The joint pass draws each resample once: N moment passes for two
    /// statistic sets, where the two runs draw 2N.
    #[test]
    fn joint_bootstrap_draws_each_resample_once() {
        let data = SurveySimulator::new(120).seed(11).simulate().unwrap();
        let model = SurveySimulator::model();
        let scales = Scales::uniform(Scale::new(1.0, 10.0));
        let boot = Bootstrap::new(40).seed(3).bca(false);
        let est = Estimation::new(&model, PlsSettings::default(), data.clone()).unwrap();
        let sets = [
            StatisticSet::Pls,
            StatisticSet::csi(scales.clone(), "Satisfaction"),
        ];
        let joint = est.bootstrap_with(&boot, &sets).unwrap();
        assert_eq!(est.setup.rows.passes.load(Ordering::Relaxed), 40);
        let separate = Estimation::new(&model, PlsSettings::default(), data).unwrap();
        let pls = separate.bootstrap(&boot).unwrap();
        let csi = separate
            .csi_bootstrap(&scales, "Satisfaction", &boot)
            .unwrap();
        assert_eq!(separate.setup.rows.passes.load(Ordering::Relaxed), 80);
        assert_eq!(joint.pls.as_ref(), Some(&pls));
        assert_eq!(joint.csi, vec![csi]);
    }

    #[test]
    fn only_a_fit_makes_no_resampling_state() {
        let data = SurveySimulator::new(80).seed(2).simulate().unwrap();
        let model = SurveySimulator::model();
        let est = Estimation::new(&model, PlsSettings::default(), data).unwrap();
        est.fit().unwrap();
        assert!(est.setup.full.get().is_some());
        assert!(!est.setup.rows.has_sampler());
        assert_eq!(est.setup.rows.passes.load(Ordering::Relaxed), 0);
        est.bootstrap(&Bootstrap::new(5).bca(false)).unwrap();
        assert!(est.setup.rows.has_sampler());
        assert_eq!(est.setup.rows.passes.load(Ordering::Relaxed), 5);
    }
}
