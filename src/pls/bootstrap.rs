//! The nonparametric bootstrap of a PLS path model (Efron & Tibshirani 1993;
//! Davison & Hinkley 1997): rows are resampled with replacement, the model is
//! re-estimated on each resample, and the spread of the re-estimates gives
//! standard errors and confidence intervals.
//!
//! **How a resample is computed.** A resample is a vector of multinomial counts
//! (how often each row was drawn), used as case weights in the one-pass moment
//! accumulation; the PLS iteration then runs on the p × p indicator matrix of
//! those moments and a lean core derives weights, loadings, paths, effects, R²
//! and HTMT. No rows are copied, and nothing else (no construct scores, no
//! eigen-decompositions) is computed per resample.
//!
//! **Reproducibility.** Resample `i` draws from its own ChaCha8 stream (the
//! generator seeded with the seed, switched to stream `i`); results are
//! collected by index, so the output is bit-identical whatever the number of
//! threads, with or without the `parallel` feature.
//!
//! **Data.** The resampled rows are the rows the fit used (after listwise
//! deletion; rows empty in every indicator and rows of case weight 0 are not
//! among them, so they are never drawn and n is the same as the fit's). With
//! mean replacement the means are imputed once, before resampling (as
//! SmartPLS does). With case weights a row drawn c times weighs c × its case
//! weight. Pairwise deletion has no rows to resample and is refused
//! ([`Error::Unsupported`]).
//!
//! **Memory.** A count above [`super::MAX_RESAMPLES`] (10⁸) is an
//! [`Error::TooManyResamples`] before anything is allocated; kept draws over
//! [`Bootstrap::memory_budget`] (1 GiB by default) are streamed instead
//! (`streaming` in the result; see [`Bootstrap::keep_draws`]).
//!
//! **Intervals.** `ci_lower`/`ci_upper` are **percentile** intervals: the
//! α/2 and 1 − α/2 sample quantiles (R's type 7) of the re-estimates.
//! `bca_lower`/`bca_upper` are bias-corrected and accelerated intervals
//! (Efron 1987; Efron & Tibshirani 1993, §14.3): the bias correction
//! z₀ = Φ⁻¹(share of re-estimates below the estimate, ties counted half),
//! the acceleration a = Σ(θ̄₍.₎ − θ₍ᵢ₎)³ / (6 [Σ(θ̄₍.₎ − θ₍ᵢ₎)²]^{3/2}) from a
//! leave-one-out jackknife over the rows (each leave-one-out fit downdates the
//! full moments by one row, O(p²)), and the interval is the pair of quantiles
//! at Φ(z₀ + (z₀ + z_α)/(1 − a(z₀ + z_α))). They are `None` where undefined
//! (every re-estimate on one side of the estimate).
//!
//! **Consistent PLS.** With [`Pls::consistent`] every resample is corrected
//! like the original (the bootstrap is how PLSc paths get standard errors);
//! a resample whose PLSc solution is inadmissible is degenerate (cSEM drops
//! such resamples too).
//!
//! **Degenerate resamples.** A resample in which an indicator is constant, a
//! Mode B block or a set of predictors is singular, the iteration does not
//! converge, a PLSc solution is inadmissible, or an estimate is not finite
//! cannot be used. Such resamples are
//! counted by class ([`FailureCounts`]) and handled by the [`FailurePolicy`];
//! they never turn into NaN results. If more than `max_failed_share` of the
//! resamples fail, the run is an error ([`Error::TooManyFailedResamples`]).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::algorithm::Layout;
use super::core::{self, Core};
use super::estimation::{BootstrapSets, Session, StatisticSet};
use super::moments::Moments;
use super::resample::{
    self, FailureCounts, FailureKind, KEPT_DRAWS_BUDGET, Progress, ProgressFn, Scratch, Ticker,
    par_map,
};
use super::{Pls, PlsFit, Scaling};
use crate::csi::lean::LeanCsi;
use crate::csi::{CsiBootstrap, CsiStatistics, bootstrap_statistics};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::stats;

/// How sign flips of whole constructs between the original fit and a resample
/// are treated (Tenenhaus et al. 2005, §3.4; cSEM's `.sign_change_option`;
/// SmartPLS). Every fit, resamples included, is first oriented so that each
/// construct correlates positively with most of its indicators, which already
/// removes most arbitrary flips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignChange {
    /// Take every re-estimate as it is (cSEM's and SmartPLS's default).
    #[default]
    None,
    /// Individual sign changes: a re-estimate whose sign differs from the
    /// original estimate's is multiplied by −1 (this pulls every interval away
    /// from zero, so it is the most lenient option).
    Individual,
    /// Construct-level changes: the weights of construct j in a resample are
    /// reversed when |Σ(λ̂ − λ*)| > |Σ(λ̂ + λ*)| over its indicators (λ̂ the
    /// original loadings, λ* the resample's), and every estimate is then
    /// derived from the corrected weights (loadings, paths, effects follow).
    ConstructReversal,
}

impl fmt::Display for SignChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignChange::None => "none",
            SignChange::Individual => "individual",
            SignChange::ConstructReversal => "construct_reversal",
        })
    }
}

impl std::str::FromStr for SignChange {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "none" | "no" => Ok(SignChange::None),
            "individual" => Ok(SignChange::Individual),
            "construct_reversal" | "construct" => Ok(SignChange::ConstructReversal),
            _ => Err(Error::InvalidSetting {
                name: "sign_change".into(),
                message: format!("`{s}` is not one of none, individual, construct_reversal"),
            }),
        }
    }
}

/// What to do with a degenerate resample (cSEM's `.handle_inadmissibles`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailurePolicy {
    /// Drop it and count it (default): statistics use the resamples that worked.
    #[default]
    Skip,
    /// Draw again from the same resample's stream, up to
    /// [`MAX_REDRAWS`] times, so that (almost) every index yields a usable
    /// resample; a resample still degenerate after that is dropped and counted.
    /// Counts report the resamples that failed, not the redraws.
    Replace,
    /// Stop with [`Error::ResampleFailed`] naming the first degenerate resample.
    Error,
}

/// Redraws per resample under [`FailurePolicy::Replace`].
pub const MAX_REDRAWS: usize = 20;

/// Bootstrap settings. Defaults: seed 1, 95 % intervals, no sign change, skip
/// (and count) degenerate resamples (inadmissible PLSc solutions included), at
/// most half of them may fail, BCa intervals computed, all cores.
///
/// ```
/// use csikit::{Bootstrap, Pls, SurveySimulator};
/// let data = SurveySimulator::new(200).seed(3).simulate().unwrap();
/// let model = SurveySimulator::model();
/// let boot = Bootstrap::new(200).seed(42).run(&Pls::new(&model), &data).unwrap();
/// let path = boot.path("Quality", "Satisfaction").unwrap();
/// assert!(path.stats.std_error > 0.0);
/// assert!(path.stats.ci_lower < path.stats.estimate && path.stats.estimate < path.stats.ci_upper);
/// ```
#[derive(Clone)]
pub struct Bootstrap {
    resamples: usize,
    seed: u64,
    confidence: f64,
    sign_change: SignChange,
    on_failure: FailurePolicy,
    max_failed_share: f64,
    keep_inadmissible: bool,
    bca: bool,
    keep_draws: bool,
    memory_budget: u64,
    threads: Option<usize>,
    progress: Option<ProgressFn>,
    specific_indirect: bool,
}

impl fmt::Debug for Bootstrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bootstrap")
            .field("resamples", &self.resamples)
            .field("seed", &self.seed)
            .field("confidence", &self.confidence)
            .field("sign_change", &self.sign_change)
            .field("on_failure", &self.on_failure)
            .field("max_failed_share", &self.max_failed_share)
            .field("keep_inadmissible", &self.keep_inadmissible)
            .field("bca", &self.bca)
            .field("keep_draws", &self.keep_draws)
            .field("memory_budget", &self.memory_budget)
            .field("threads", &self.threads)
            .field("progress", &self.progress.is_some())
            .field("specific_indirect", &self.specific_indirect)
            .finish()
    }
}

impl Bootstrap {
    /// `resamples` bootstrap resamples with the default settings.
    pub fn new(resamples: usize) -> Self {
        Bootstrap {
            resamples,
            seed: 1,
            confidence: 0.95,
            sign_change: SignChange::None,
            on_failure: FailurePolicy::Skip,
            max_failed_share: 0.5,
            keep_inadmissible: false,
            bca: true,
            keep_draws: true,
            memory_budget: KEPT_DRAWS_BUDGET,
            threads: None,
            progress: None,
            specific_indirect: false,
        }
    }

    /// Also bootstrap every specific indirect effect (each chain of
    /// mediators separately, [`PlsFit::specific_indirect_effects`]; default
    /// false): `specific_indirect_effects` of the result, with the same
    /// percentile and BCa intervals as the other estimates.
    pub fn specific_indirect(mut self, on: bool) -> Self {
        self.specific_indirect = on;
        self
    }

    /// The random seed (default 1): same seed, same data, same result.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The seed set by [`Bootstrap::seed`].
    pub(crate) fn seed_value(&self) -> u64 {
        self.seed
    }

    /// Whether BCa intervals are computed ([`Bootstrap::bca`]).
    pub(crate) fn bca_value(&self) -> bool {
        self.bca
    }

    /// Confidence level of the intervals, in (0, 1) (default 0.95).
    pub fn confidence(mut self, level: f64) -> Self {
        self.confidence = level;
        self
    }

    /// Sign-change option (default [`SignChange::None`]).
    pub fn sign_change(mut self, option: SignChange) -> Self {
        self.sign_change = option;
        self
    }

    /// Policy for degenerate resamples (default [`FailurePolicy::Skip`]).
    pub fn on_failure(mut self, policy: FailurePolicy) -> Self {
        self.on_failure = policy;
        self
    }

    /// The largest share of resamples that may fail before the run is an
    /// error (default 0.5).
    pub fn max_failed_share(mut self, share: f64) -> Self {
        self.max_failed_share = share;
        self
    }

    /// Keep resamples whose consistent (PLSc) solution is inadmissible
    /// (cSEM's `.handle_inadmissibles = "ignore"`); by default they are
    /// degenerate (cSEM's "drop"). A PLSc reliability that is not positive
    /// always makes a resample degenerate.
    pub fn keep_inadmissible(mut self, keep: bool) -> Self {
        self.keep_inadmissible = keep;
        self
    }

    /// Whether to compute BCa intervals (default true; costs one
    /// leave-one-out re-estimation per row).
    pub fn bca(mut self, bca: bool) -> Self {
        self.bca = bca;
        self
    }

    /// Keep every re-estimate (default true): intervals are then exact
    /// quantiles of the draws and `replicates` holds them, at a memory cost of
    /// resamples × statistics. With `false` the run streams: resamples are
    /// drawn in batches of 256, mean, SE, bias, t and p are exact (Welford
    /// updates in resample order) and the percentile and BCa bounds are read
    /// from a 4 096-bin histogram per statistic filled in a second pass over
    /// the same resamples (same streams, so still deterministic at any thread
    /// count): memory no longer grows with the number of resamples, each bound
    /// is within one bin width ((max − min)/4 096 of the draws) of the exact
    /// quantile, the resampling costs twice as much, and `replicates` is empty.
    ///
    /// **Automatic streaming.** When the kept draws would need more than
    /// [`Bootstrap::memory_budget`] (default [`KEPT_DRAWS_BUDGET`], 1 GiB;
    /// estimated as resamples × (8 bytes × statistics + 64 bytes of
    /// bookkeeping)), the run streams even with
    /// `true` and says so (`streaming` in the result); draws that must be kept
    /// (the CSI statistics of [`crate::Estimation::bootstrap_with`]) over the
    /// budget are an [`Error::TooManyResamples`], as is any count above
    /// [`MAX_RESAMPLES`](super::MAX_RESAMPLES) (10⁸), refused before anything is allocated.
    pub fn keep_draws(mut self, keep: bool) -> Self {
        self.keep_draws = keep;
        self
    }

    /// The memory the kept draws may take, in bytes (default
    /// [`KEPT_DRAWS_BUDGET`], 1 GiB): above it the run streams (see
    /// [`Bootstrap::keep_draws`]). Lower it where memory is tight (a notebook
    /// kernel), raise it to keep exact quantiles of very long runs.
    pub fn memory_budget(mut self, bytes: u64) -> Self {
        self.memory_budget = bytes;
        self
    }

    /// Run on a dedicated pool of this many threads (default: rayon's global
    /// pool, i.e. all cores). Results do not depend on it. Without the
    /// `parallel` feature everything runs on the calling thread.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads.max(1));
        self
    }

    /// A progress callback for long runs; see [`ProgressFn`].
    pub fn progress(mut self, callback: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }

    fn check(&self) -> Result<()> {
        let bad = |name: &str, message: String| {
            Err(Error::InvalidSetting {
                name: name.into(),
                message,
            })
        };
        resample::check_count("bootstrap resamples", self.resamples)?;
        if self.resamples < 2 {
            return bad(
                "resamples",
                format!(
                    "{} is too few; use at least 2 (1000 or more for intervals)",
                    self.resamples
                ),
            );
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return bad(
                "confidence",
                format!("{} is not between 0 and 1 (e.g. 0.95)", self.confidence),
            );
        }
        if !(0.0..=1.0).contains(&self.max_failed_share) {
            return bad(
                "max_failed_share",
                format!("{} is not between 0 and 1", self.max_failed_share),
            );
        }
        Ok(())
    }

    /// Bootstraps the weights, loadings, paths, total and indirect effects, R²
    /// and HTMT of `pls`'s model on `data`.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for bad settings, every error of [`Pls::fit`]
    /// for the original data, [`Error::ResampleFailed`] (policy
    /// [`FailurePolicy::Error`]) and [`Error::TooManyFailedResamples`].
    pub fn run(&self, pls: &Pls<'_>, data: &Dataset) -> Result<BootstrapResult> {
        self.check()?;
        Session::with(pls, data, |s| self.run_session(s))
    }

    /// [`Bootstrap::run`] on a prepared estimation.
    pub(crate) fn run_session(&self, session: Session<'_>) -> Result<BootstrapResult> {
        let sets = self.run_sets_session(session, &[StatisticSet::Pls])?;
        sets.pls.ok_or_else(|| Error::InvalidSetting {
            name: "statistic sets".into(),
            message: "the PLS estimates were not bootstrapped".into(),
        })
    }

    /// One resampling pass for several statistic sets on `pls`'s model and
    /// `data`: see [`crate::Estimation::bootstrap_with`], which this prepares
    /// and calls.
    ///
    /// # Errors
    /// As [`crate::Estimation::bootstrap_with`], and the errors of
    /// [`Pls::fit`] for the original data.
    pub fn run_sets(
        &self,
        pls: &Pls<'_>,
        data: &Dataset,
        sets: &[StatisticSet],
    ) -> Result<BootstrapSets> {
        self.check()?;
        Session::with(pls, data, |s| self.run_sets_session(s, sets))
    }

    /// The statistic sets of one pass (see [`crate::Estimation::bootstrap_with`]).
    pub(crate) fn run_sets_session(
        &self,
        session: Session<'_>,
        sets: &[StatisticSet],
    ) -> Result<BootstrapSets> {
        self.check()?;
        if sets.is_empty() {
            return Err(Error::InvalidSetting {
                name: "statistic sets".into(),
                message:
                    "no statistic set to bootstrap; give StatisticSet::Pls or StatisticSet::Csi"
                        .into(),
            });
        }
        if sets
            .iter()
            .filter(|s| matches!(s, StatisticSet::Pls))
            .count()
            > 1
        {
            return Err(Error::InvalidSetting {
                name: "statistic sets".into(),
                message: "StatisticSet::Pls is listed more than once".into(),
            });
        }
        let setup = session.setup;
        setup.settings.check_pearson("the bootstrap")?;
        setup.settings.check_rowwise("the bootstrap")?;
        session.require_rows()?;
        let full = session.full()?;
        let mut spec = StatSpec::new(&setup.layout, &setup.model, setup.settings.scaling);
        if self.specific_indirect {
            spec.specific = core::specific_indirect_chains(&setup.layout, &setup.model)?;
        }
        // The original estimates of every set, in the order asked.
        let mut pls_original: Option<(Vec<f64>, Core)> = None;
        // The CSI layout (names) comes from the fit with its extension, the
        // values from the fit of the plain model the resamples re-estimate.
        let mut csi_fits: Option<(PlsFit, PlsFit)> = None;
        let mut csi_names: Vec<Vec<String>> = Vec::new();
        let mut estimates: Vec<Vec<f64>> = Vec::with_capacity(sets.len());
        for set in sets {
            match set {
                StatisticSet::Pls => {
                    let original = session.estimate(full, setup.settings.allow_nonconvergence)?;
                    let mut estimate = Vec::with_capacity(spec.len(&setup.layout));
                    spec.extract(&setup.layout, &original.0, &original.1, &mut estimate);
                    pls_original = Some(original);
                    estimates.push(estimate);
                }
                StatisticSet::Csi(c) => {
                    let (fit, plain) = match &csi_fits {
                        Some(fits) => fits,
                        None => csi_fits.insert((session.fit()?, session.fit_of(full)?)),
                    };
                    let names = bootstrap_statistics(fit, &c.scales, c.target.clone())?.names;
                    estimates.push(csi_values(plain, c, names.len())?);
                    csi_names.push(names);
                }
            }
        }
        let pls_estimate = sets
            .iter()
            .position(|s| matches!(s, StatisticSet::Pls))
            .map(|j| estimates[j].as_slice());
        let pls_stat = |m: &Moments| -> std::result::Result<Vec<f64>, FailureKind> {
            let (Some(original), Some(estimate)) = (pls_original.as_ref(), pls_estimate) else {
                return Err(FailureKind::Statistic);
            };
            let (s, mut core) = session
                .estimate(m, false)
                .map_err(|e| FailureKind::of(&e))?;
            if !(self.keep_inadmissible || core.admissible()) {
                return Err(FailureKind::Inadmissible);
            }
            match self.sign_change {
                SignChange::ConstructReversal => {
                    if let Some(w) = reversed_weights(&setup.layout, &original.1, &core) {
                        core = session.derive(&s, w).map_err(|e| FailureKind::of(&e))?;
                    }
                }
                SignChange::None | SignChange::Individual => {}
            }
            let mut out = Vec::with_capacity(estimate.len());
            spec.extract(&setup.layout, &s, &core, &mut out);
            if self.sign_change == SignChange::Individual {
                for (x, e) in out.iter_mut().zip(estimate) {
                    if *x * *e < 0.0 {
                        *x = -*x;
                    }
                }
            }
            Ok(out)
        };
        let csi_stats: Vec<_> = sets
            .iter()
            .filter_map(|s| match s {
                StatisticSet::Csi(c) => Some(c),
                StatisticSet::Pls => None,
            })
            .zip(&csi_names)
            .map(|(c, names)| {
                let len = names.len();
                // The lean path where it applies (same values, bit for bit).
                let lean = LeanCsi::plan(setup, &c.scales, &c.target, names);
                move |m: &Moments| -> std::result::Result<Vec<f64>, FailureKind> {
                    if let Some(lean) = &lean {
                        let (_, core) = session
                            .estimate(m, false)
                            .map_err(|e| FailureKind::of(&e))?;
                        return lean.values(m, &core);
                    }
                    let fit = self.resample_fit(session, m)?;
                    csi_values(&fit, c, len).map_err(|_| FailureKind::Statistic)
                }
            })
            .collect();
        let mut runs: Vec<SetRun<'_>> = Vec::with_capacity(sets.len());
        let mut next_csi = 0;
        for (set, estimate) in sets.iter().zip(&estimates) {
            runs.push(match set {
                StatisticSet::Pls => SetRun {
                    estimate,
                    stat: &pls_stat,
                    keep_draws: self.keep_draws,
                    may_stream: true,
                    bca: self.bca,
                },
                StatisticSet::Csi(c) => {
                    next_csi += 1;
                    SetRun {
                        estimate,
                        stat: &csi_stats[next_csi - 1],
                        // Differences between groups are computed from the draws: keep them.
                        keep_draws: true,
                        may_stream: false,
                        bca: c.bca,
                    }
                }
            });
        }
        let summaries = self.resample_sets(session, &runs)?;
        let mut out = BootstrapSets {
            pls: None,
            csi: Vec::new(),
        };
        let mut names = csi_names.into_iter();
        for (set, summary) in sets.iter().zip(summaries) {
            match set {
                StatisticSet::Pls => out.pls = Some(spec.result(self, session, summary)),
                StatisticSet::Csi(c) => {
                    let names = names.next().unwrap_or_default();
                    out.csi.push(CsiBootstrap {
                        target: c.target.clone(),
                        names,
                        run: self.custom(session, summary),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The full fit of a resample for a statistic of the fit: degenerate when
    /// it did not converge or (unless kept) its PLSc solution is inadmissible.
    fn resample_fit(
        &self,
        session: Session<'_>,
        m: &Moments,
    ) -> std::result::Result<PlsFit, FailureKind> {
        let fit = session.fit_of(m).map_err(|e| FailureKind::of(&e))?;
        if !fit.converged {
            return Err(FailureKind::NotConverged);
        }
        if !self.keep_inadmissible && fit.consistent.as_ref().is_some_and(|c| !c.admissible) {
            return Err(FailureKind::Inadmissible);
        }
        Ok(fit)
    }

    /// Bootstraps any statistic of a fit: `statistic` receives the [`PlsFit`]
    /// of each resample (the full fit, with construct results and assessments;
    /// construct scores are not available) and returns a vector of the same
    /// length every time. Sign-change options do not apply (every fit is
    /// oriented as the original). An error or a non-finite value makes the
    /// resample degenerate. BCa needs one fit per row; turn it off with
    /// [`Bootstrap::bca`] for large data.
    ///
    /// ```
    /// use csikit::{Bootstrap, Pls, SurveySimulator};
    /// let data = SurveySimulator::new(150).seed(5).simulate().unwrap();
    /// let model = SurveySimulator::model();
    /// let gof = Bootstrap::new(100)
    ///     .bca(false)
    ///     .run_with(&Pls::new(&model), &data, |fit| Ok(vec![fit.gof]))
    ///     .unwrap();
    /// assert!(gof.estimates[0].std_error > 0.0);
    /// ```
    ///
    /// # Errors
    /// As [`Bootstrap::run`], and the statistic's own error on the original data.
    pub fn run_with<F>(
        &self,
        pls: &Pls<'_>,
        data: &Dataset,
        statistic: F,
    ) -> Result<CustomBootstrap>
    where
        F: Fn(&PlsFit) -> Result<Vec<f64>> + Sync,
    {
        self.check()?;
        Session::with(pls, data, |s| self.run_with_session(s, statistic))
    }

    /// [`Bootstrap::run_with`] on a prepared estimation.
    pub(crate) fn run_with_session<F>(
        &self,
        session: Session<'_>,
        statistic: F,
    ) -> Result<CustomBootstrap>
    where
        F: Fn(&PlsFit) -> Result<Vec<f64>> + Sync,
    {
        self.check()?;
        session.setup.settings.check_pearson("the bootstrap")?;
        session.setup.settings.check_rowwise("the bootstrap")?;
        session.require_rows()?;
        let estimate = statistic(&session.fit_of(session.full()?)?)?;
        let stat = |m: &Moments| -> std::result::Result<Vec<f64>, FailureKind> {
            let fit = self.resample_fit(session, m)?;
            statistic(&fit).map_err(|_| FailureKind::Statistic)
        };
        let summary = self.resample_one(session, &estimate, &stat)?;
        Ok(self.custom(session, summary))
    }

    /// Bootstraps any function of the indicator moments (means, covariances,
    /// correlations of the model's indicators, named and in model order), the
    /// leanest way to resample a statistic that does not need a PLS fit.
    ///
    /// # Errors
    /// As [`Bootstrap::run_with`].
    pub fn run_moments<F>(
        &self,
        pls: &Pls<'_>,
        data: &Dataset,
        statistic: F,
    ) -> Result<CustomBootstrap>
    where
        F: Fn(&Moments) -> Result<Vec<f64>> + Sync,
    {
        self.check()?;
        pls.check_moment_based("the bootstrap")?;
        pls.settings().check_rowwise("the bootstrap")?;
        Session::with(pls, data, |session| {
            session.require_rows()?;
            let names = &session.setup.indicator_names;
            let estimate = statistic(session.full()?)?;
            let stat = |m: &Moments| -> std::result::Result<Vec<f64>, FailureKind> {
                let mut m = m.clone();
                m.set_names(names);
                statistic(&m).map_err(|_| FailureKind::Statistic)
            };
            let summary = self.resample_one(session, &estimate, &stat)?;
            Ok(self.custom(session, summary))
        })
    }

    fn custom(&self, session: Session<'_>, summary: Summary) -> CustomBootstrap {
        CustomBootstrap {
            resamples: self.resamples,
            seed: self.seed,
            failed: summary.failed_by.total(),
            failed_by: summary.failed_by,
            confidence: self.confidence,
            ci: "percentile",
            n_observations: session.setup.n_used(),
            jackknife_failed: summary.jackknife_failed,
            streaming: summary.streaming,
            estimates: summary.stats,
            replicates: summary.replicates,
        }
    }

    /// [`Bootstrap::resample_sets`] of one statistic.
    fn resample_one<F>(&self, session: Session<'_>, estimate: &[f64], stat: &F) -> Result<Summary>
    where
        F: Fn(&Moments) -> std::result::Result<Vec<f64>, FailureKind> + Sync,
    {
        let run = SetRun {
            estimate,
            stat,
            keep_draws: self.keep_draws,
            may_stream: true,
            bca: self.bca,
        };
        let mut summaries = self.resample_sets(session, &[run])?;
        summaries.pop().ok_or_else(|| Error::InvalidSetting {
            name: "statistic sets".into(),
            message: "no statistic was resampled".into(),
        })
    }

    /// Whether each set keeps its draws: as asked, except that the sets that
    /// may stream do so when the kept draws of all sets would exceed
    /// [`KEPT_DRAWS_BUDGET`] (resamples × (8 bytes × statistics + 64)).
    ///
    /// # Errors
    /// [`Error::TooManyResamples`] when the draws that must be kept (CSI
    /// statistics) exceed the budget on their own.
    fn keep_or_stream(&self, sets: &[SetRun<'_>]) -> Result<Vec<bool>> {
        let bytes = |keep: &dyn Fn(&SetRun<'_>) -> bool| -> u64 {
            sets.iter()
                .filter(|s| keep(s))
                .map(|s| resample::kept_draws_bytes(self.resamples, s.estimate.len()))
                .fold(0u64, u64::saturating_add)
        };
        let budget = self.memory_budget;
        if bytes(&|s| s.keep_draws) <= budget {
            return Ok(sets.iter().map(|s| s.keep_draws).collect());
        }
        let must = bytes(&|s| s.keep_draws && !s.may_stream);
        if must > budget {
            let statistics: usize = sets
                .iter()
                .filter(|s| s.keep_draws && !s.may_stream)
                .map(|s| s.estimate.len())
                .sum();
            return Err(Error::TooManyResamples {
                what: "bootstrap resamples".into(),
                count: self.resamples,
                reason: format!(
                    "the CSI statistics keep every draw (group comparisons are computed from them), and {} draws × {statistics} statistics need about {}, over the {} memory budget; use fewer resamples, or raise the budget (Bootstrap::memory_budget)",
                    self.resamples,
                    resample::human_bytes(must),
                    resample::human_bytes(budget)
                ),
            });
        }
        Ok(sets.iter().map(|s| s.keep_draws && !s.may_stream).collect())
    }

    /// Draws the resamples once for every set, applies the failure policy to
    /// each set on its own and summarizes each set as its own run would: the
    /// same streams, the same redraws (a set is recomputed on a redraw only
    /// while it has not succeeded), the same checks in set order.
    fn resample_sets(&self, session: Session<'_>, sets: &[SetRun<'_>]) -> Result<Vec<Summary>> {
        let keep = self.keep_or_stream(sets)?;
        let sampler = session.sampler()?;
        let full = session.full()?;
        let checked = |j: usize, out: std::result::Result<Vec<f64>, FailureKind>| {
            let m = sets[j].estimate.len();
            let out = out?;
            if out.len() != m || out.iter().any(|x| !x.is_finite()) {
                return Err(if out.len() != m {
                    FailureKind::Statistic
                } else {
                    FailureKind::NonFinite
                });
            }
            Ok(out)
        };
        let n_used = sampler.len();
        let base = resample::base_rng(self.seed);
        let ticker = Ticker::new(self.progress.as_ref(), self.resamples);
        let attempts = match self.on_failure {
            FailurePolicy::Replace => 1 + MAX_REDRAWS,
            FailurePolicy::Skip | FailurePolicy::Error => 1,
        };
        let init = || (vec![0u32; n_used], Scratch::default(), Moments::default());
        // Resample i, always from its own stream: the same draws in every pass
        // and at any thread count. `active`: the sets computed.
        type Outcome = std::result::Result<Vec<f64>, FailureKind>;
        let draw = |(counts, scratch, moments): &mut (Vec<u32>, Scratch, Moments),
                    i: usize,
                    active: &[usize],
                    tick: bool|
         -> Vec<Outcome> {
            let mut rng = resample::stream_rng(&base, i as u64);
            let mut out: Vec<Outcome> = vec![Err(FailureKind::Statistic); active.len()];
            for _ in 0..attempts {
                counts.iter_mut().for_each(|c| *c = 0);
                for _ in 0..n_used {
                    counts[resample::uniform_index(&mut rng, n_used)] += 1;
                }
                sampler.resample_moments(counts, scratch, moments);
                let mut done = true;
                for (slot, &j) in out.iter_mut().zip(active) {
                    if slot.is_err() {
                        *slot = checked(j, (sets[j].stat)(moments));
                        done &= slot.is_ok();
                    }
                }
                if done {
                    break;
                }
            }
            if tick {
                ticker.tick();
            }
            out
        };
        // Keeping the draws: one batch of everything. Streaming: fixed batches,
        // consumed in resample order.
        let batch = if keep.iter().all(|&k| k) {
            self.resamples.max(1)
        } else {
            STREAM_BATCH
        };
        let mut acc: Vec<Accumulated> = sets
            .iter()
            .zip(&keep)
            .map(|(s, &keep)| Accumulated {
                failed_by: FailureCounts::default(),
                first_failure: None,
                usable: 0,
                replicates: Vec::new(),
                streams: if keep {
                    Vec::new()
                } else {
                    s.estimate.iter().map(|&e| Stream::new(e)).collect()
                },
            })
            .collect();
        let all: Vec<usize> = (0..sets.len()).collect();
        for start in (0..self.resamples).step_by(batch) {
            let len = (self.resamples - start).min(batch);
            let results = par_map(len, self.threads, init, |w, k| {
                draw(w, start + k, &all, true)
            });
            for (k, r) in results.into_iter().enumerate() {
                for ((a, &keep), outcome) in acc.iter_mut().zip(&keep).zip(r) {
                    match outcome {
                        Ok(v) => {
                            a.usable += 1;
                            if keep {
                                a.replicates.push(v);
                            } else {
                                for (st, x) in a.streams.iter_mut().zip(&v) {
                                    st.push(*x);
                                }
                            }
                        }
                        Err(kind) => {
                            if self.on_failure == FailurePolicy::Error && a.first_failure.is_none()
                            {
                                a.first_failure = Some((start + k, kind));
                            }
                            a.failed_by.add(kind);
                        }
                    }
                }
            }
            // The first set's failure is reported whatever the others do.
            if let Some((index, kind)) = acc[0].first_failure {
                return Err(Error::ResampleFailed {
                    index,
                    reason: kind.describe().to_string(),
                });
            }
        }
        for a in &acc {
            if let Some((index, kind)) = a.first_failure {
                return Err(Error::ResampleFailed {
                    index,
                    reason: kind.describe().to_string(),
                });
            }
            let failed = a.failed_by.total();
            if failed as f64 > self.max_failed_share * self.resamples as f64 || a.usable < 2 {
                return Err(Error::TooManyFailedResamples {
                    what: "bootstrap resamples".into(),
                    failed,
                    attempted: self.resamples,
                    max_share: self.max_failed_share,
                    reasons: a.failed_by.to_string(),
                });
            }
        }
        // The leave-one-out jackknife of BCa, one pass for every set that asks.
        let with_bca: Vec<usize> = (0..sets.len()).filter(|&j| sets[j].bca).collect();
        let mut jackknives: Vec<(Vec<Vec<f64>>, Option<usize>)> =
            sets.iter().map(|_| (Vec::new(), None)).collect();
        if !with_bca.is_empty() {
            let columns = session.columns()?;
            let rows = &session.setup.rows;
            let loo = par_map(
                n_used,
                self.threads,
                || (vec![0.0; session.setup.layout.p], Moments::default()),
                |(x, moments), i| {
                    rows.values(&columns, i, x);
                    full.remove_row_into(x, sampler.case_weight(i), moments);
                    with_bca
                        .iter()
                        .map(|&j| checked(j, (sets[j].stat)(moments)).ok())
                        .collect::<Vec<_>>()
                },
            );
            let mut per_set: Vec<Vec<Option<Vec<f64>>>> = with_bca
                .iter()
                .map(|_| Vec::with_capacity(n_used))
                .collect();
            for row in loo {
                for (values, v) in per_set.iter_mut().zip(row) {
                    values.push(v);
                }
            }
            for (&j, values) in with_bca.iter().zip(per_set) {
                let failed = values.iter().filter(|v| v.is_none()).count();
                jackknives[j] = (values.into_iter().flatten().collect(), Some(failed));
            }
        }
        // Second pass over the same resamples for the sets that stream: a
        // histogram of every statistic between its first-pass extremes, read
        // at the percentile (and BCa) levels.
        let alpha = 1.0 - self.confidence;
        let streaming: Vec<usize> = (0..sets.len()).filter(|&j| !keep[j]).collect();
        let mut levels: Vec<Vec<Vec<f64>>> = sets.iter().map(|_| Vec::new()).collect();
        let mut hists: Vec<Vec<Histogram>> = sets.iter().map(|_| Vec::new()).collect();
        for &j in &streaming {
            let jackknife = &jackknives[j].0;
            levels[j] = acc[j]
                .streams
                .iter()
                .enumerate()
                .map(|(x, st)| {
                    let mut l = vec![alpha / 2.0, 1.0 - alpha / 2.0];
                    if sets[j].bca {
                        let jk: Vec<f64> = jackknife.iter().map(|r| r[x]).collect();
                        if let Some((lo, hi)) = bca_levels(st.share_below(), &jk, alpha) {
                            l.extend([lo, hi]);
                        }
                    }
                    l
                })
                .collect();
            hists[j] = acc[j]
                .streams
                .iter()
                .map(|st| Histogram::new(st.min, st.max))
                .collect();
        }
        if !streaming.is_empty() {
            for start in (0..self.resamples).step_by(batch) {
                let len = (self.resamples - start).min(batch);
                let results = par_map(len, self.threads, init, |w, k| {
                    draw(w, start + k, &streaming, false)
                });
                for r in results {
                    for (&j, outcome) in streaming.iter().zip(r) {
                        if let Ok(v) = outcome {
                            for (h, x) in hists[j].iter_mut().zip(&v) {
                                h.push(*x);
                            }
                        }
                    }
                }
            }
        }
        let n = session.setup.n_used();
        let mut out = Vec::with_capacity(sets.len());
        for (j, (a, (jackknife, jackknife_failed))) in acc.into_iter().zip(jackknives).enumerate() {
            let set = &sets[j];
            let stats = if keep[j] {
                let replicates = &a.replicates;
                par_map(
                    set.estimate.len(),
                    self.threads,
                    || (),
                    |_, x| {
                        summarize(
                            set.estimate[x],
                            replicates.iter().map(|r| r[x]).collect(),
                            &jackknife.iter().map(|r| r[x]).collect::<Vec<_>>(),
                            self.confidence,
                            n,
                            set.bca,
                        )
                    },
                )
            } else {
                a.streams
                    .iter()
                    .zip(&hists[j])
                    .zip(&levels[j])
                    .map(|((st, h), l)| st.summary(h, l, n))
                    .collect()
            };
            out.push(Summary {
                stats,
                failed_by: a.failed_by,
                jackknife_failed,
                replicates: a.replicates,
                streaming: !keep[j],
            });
        }
        Ok(out)
    }
}

/// One statistic vector of a resampling pass.
#[derive(Clone, Copy)]
struct SetRun<'a> {
    /// Its value on the original data.
    estimate: &'a [f64],
    /// Its value on the moments of a resample.
    stat: &'a (dyn Fn(&Moments) -> std::result::Result<Vec<f64>, FailureKind> + Sync),
    /// Keep every re-estimate (exact quantiles) or stream (two passes).
    keep_draws: bool,
    /// May stream although `keep_draws` asks to keep the draws, when they
    /// would exceed [`KEPT_DRAWS_BUDGET`] (false: the draws are needed).
    may_stream: bool,
    /// BCa intervals (a leave-one-out jackknife).
    bca: bool,
}

/// What the first pass collected for one set.
struct Accumulated {
    failed_by: FailureCounts,
    /// The first degenerate resample under [`FailurePolicy::Error`].
    first_failure: Option<(usize, FailureKind)>,
    usable: usize,
    replicates: Vec<Vec<f64>>,
    streams: Vec<Stream>,
}

/// The CSI statistics of a fit, checked against the layout of the original.
fn csi_values(fit: &PlsFit, c: &CsiStatistics, len: usize) -> Result<Vec<f64>> {
    let s = bootstrap_statistics(fit, &c.scales, c.target.clone())?;
    if s.names.len() != len {
        return Err(Error::InvalidSetting {
            name: "statistic".into(),
            message: "the CSI statistics changed layout in a resample".into(),
        });
    }
    Ok(s.values)
}

/// The summarized resamples of one run.
struct Summary {
    stats: Vec<BootEstimate>,
    failed_by: FailureCounts,
    jackknife_failed: Option<usize>,
    replicates: Vec<Vec<f64>>,
    /// The draws were streamed, not kept.
    streaming: bool,
}

/// One bootstrapped quantity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootEstimate {
    /// The estimate on the original data.
    pub estimate: f64,
    /// Mean of the re-estimates.
    pub mean: f64,
    /// Bootstrap standard error: sample SD of the re-estimates.
    pub std_error: f64,
    /// Bootstrap bias estimate: mean − estimate.
    pub bias: f64,
    /// estimate / std_error (`None` when the re-estimates do not vary).
    pub t: Option<f64>,
    /// Two-sided p-value of `t` from Student's t with n − 1 degrees of
    /// freedom, n the rows used (as SmartPLS reports it).
    pub p: Option<f64>,
    /// Lower end of the **percentile** interval.
    pub ci_lower: f64,
    /// Upper end of the percentile interval.
    pub ci_upper: f64,
    /// Lower end of the BCa interval (`None` if not computed or undefined).
    pub bca_lower: Option<f64>,
    /// Upper end of the BCa interval.
    pub bca_upper: Option<f64>,
}

impl BootEstimate {
    /// Whether the percentile interval excludes zero.
    pub fn significant(&self) -> bool {
        self.ci_lower > 0.0 || self.ci_upper < 0.0
    }
}

/// Summarizes the re-estimates of one quantity.
pub(crate) fn summarize(
    estimate: f64,
    mut values: Vec<f64>,
    jackknife: &[f64],
    confidence: f64,
    n: usize,
    bca: bool,
) -> BootEstimate {
    let b = values.len() as f64;
    let mean = values.iter().sum::<f64>() / b;
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (b - 1.0);
    values.sort_unstable_by(f64::total_cmp);
    // A quantity fixed by construction (the loading of a single indicator)
    // varies by rounding only: its SE is 0 and it has no t statistic.
    let spread = values[values.len() - 1] - values[0];
    let std_error = if spread > 1e-12 * estimate.abs().max(1.0) {
        var.max(0.0).sqrt()
    } else {
        0.0
    };
    let alpha = 1.0 - confidence;
    let t = (std_error > 0.0).then(|| estimate / std_error);
    let p = t.map(|t| stats::t_two_sided_p(t, n as f64 - 1.0));
    let (bca_lower, bca_upper) = if bca {
        bca_interval(estimate, &values, jackknife, alpha).unzip()
    } else {
        (None, None)
    };
    BootEstimate {
        estimate,
        mean,
        std_error,
        bias: mean - estimate,
        t,
        p,
        ci_lower: resample::quantile_sorted(&values, alpha / 2.0),
        ci_upper: resample::quantile_sorted(&values, 1.0 - alpha / 2.0),
        bca_lower,
        bca_upper,
    }
}

/// The BCa interval (Efron 1987) from sorted re-estimates and jackknife values.
fn bca_interval(
    estimate: f64,
    sorted: &[f64],
    jackknife: &[f64],
    alpha: f64,
) -> Option<(f64, f64)> {
    let b = sorted.len() as f64;
    let below = sorted.partition_point(|x| *x < estimate);
    let equal = sorted[below..].partition_point(|x| *x <= estimate);
    let share = (below as f64 + 0.5 * equal as f64) / b;
    let (lo, hi) = bca_levels(share, jackknife, alpha)?;
    Some((
        resample::quantile_sorted(sorted, lo),
        resample::quantile_sorted(sorted, hi),
    ))
}

/// The quantile levels of the BCa interval (Efron 1987): bias correction
/// z0 = Φ⁻¹(share of re-estimates below the estimate, ties counted half),
/// acceleration a from the jackknife skewness; `None` when undefined.
fn bca_levels(share: f64, jackknife: &[f64], alpha: f64) -> Option<(f64, f64)> {
    if !(share > 0.0 && share < 1.0) || jackknife.len() < 2 {
        return None;
    }
    let z0 = stats::normal_quantile(share);
    let jm = jackknife.iter().sum::<f64>() / jackknife.len() as f64;
    let (mut num, mut den) = (0.0, 0.0);
    for x in jackknife {
        let d = jm - x;
        num += d * d * d;
        den += d * d;
    }
    let a = if den > 0.0 {
        num / (6.0 * den.powf(1.5))
    } else {
        0.0
    };
    let adjusted = |z: f64| {
        let zz = z0 + z;
        let d = 1.0 - a * zz;
        (d > 0.0).then(|| stats::normal_cdf(z0 + zz / d))
    };
    Some((
        adjusted(stats::normal_quantile(alpha / 2.0))?,
        adjusted(stats::normal_quantile(1.0 - alpha / 2.0))?,
    ))
}

/// Resamples per batch when the draws are not kept.
const STREAM_BATCH: usize = 256;

/// Streaming summary of one statistic's re-estimates: Welford's mean and
/// variance (Welford 1962), extremes, and the share below the estimate.
#[derive(Debug, Clone)]
struct Stream {
    estimate: f64,
    count: usize,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
    below: usize,
    equal: usize,
}

impl Stream {
    fn new(estimate: f64) -> Self {
        Stream {
            estimate,
            count: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            below: 0,
            equal: 0,
        }
    }

    fn push(&mut self, x: f64) {
        self.count += 1;
        let d = x - self.mean;
        self.mean += d / self.count as f64;
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x < self.estimate {
            self.below += 1;
        } else if x == self.estimate {
            self.equal += 1;
        }
    }

    fn share_below(&self) -> f64 {
        (self.below as f64 + 0.5 * self.equal as f64) / self.count as f64
    }

    /// The summary, with the bounds read from the second-pass histogram at
    /// `levels` (percentile lower/upper, then BCa lower/upper when defined);
    /// the same rules as `summarize`.
    fn summary(&self, hist: &Histogram, levels: &[f64], n: usize) -> BootEstimate {
        let var = self.m2 / (self.count as f64 - 1.0);
        let std_error = if self.max - self.min > 1e-12 * self.estimate.abs().max(1.0) {
            var.max(0.0).sqrt()
        } else {
            0.0
        };
        let t = (std_error > 0.0).then(|| self.estimate / std_error);
        BootEstimate {
            estimate: self.estimate,
            mean: self.mean,
            std_error,
            bias: self.mean - self.estimate,
            t,
            p: t.map(|t| stats::t_two_sided_p(t, n as f64 - 1.0)),
            ci_lower: hist.quantile(levels[0]),
            ci_upper: hist.quantile(levels[1]),
            bca_lower: levels.get(2).map(|&l| hist.quantile(l)),
            bca_upper: levels.get(3).map(|&l| hist.quantile(l)),
        }
    }
}

/// Bins of the second-pass histogram of each statistic when the draws are not kept.
const STREAM_BINS: usize = 4096;

/// A fixed-bin histogram of one statistic's re-estimates between the
/// extremes seen in the first pass: quantiles to within one bin width
/// ((max − min) / 4 096) in memory independent of the number of resamples.
#[derive(Debug, Clone)]
struct Histogram {
    lo: f64,
    width: f64,
    counts: Vec<u32>,
    total: usize,
}

impl Histogram {
    fn new(lo: f64, hi: f64) -> Self {
        let width = (hi - lo) / STREAM_BINS as f64;
        Histogram {
            lo,
            width,
            counts: vec![0; if width > 0.0 { STREAM_BINS } else { 1 }],
            total: 0,
        }
    }

    fn push(&mut self, x: f64) {
        let b = if self.width > 0.0 {
            (((x - self.lo) / self.width).floor().max(0.0) as usize).min(self.counts.len() - 1)
        } else {
            0
        };
        self.counts[b] += 1;
        self.total += 1;
    }

    /// The value of the k-th smallest re-estimate (0-based), spreading each
    /// bin's values evenly across it.
    fn order_statistic(&self, k: usize) -> f64 {
        let mut before = 0usize;
        for (b, &c) in self.counts.iter().enumerate() {
            let c = c as usize;
            if k < before + c {
                let within = (k - before) as f64 + 0.5;
                return self.lo + (b as f64 + within / c as f64) * self.width;
            }
            before += c;
        }
        self.lo + self.counts.len() as f64 * self.width
    }

    /// The p-quantile by R's type 7 on the binned values.
    fn quantile(&self, p: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        let h = (self.total - 1) as f64 * p.clamp(0.0, 1.0);
        let k = h.floor() as usize;
        let a = self.order_statistic(k);
        let b = self.order_statistic((k + 1).min(self.total - 1));
        a + (h - k as f64) * (b - a)
    }
}

/// Which construct blocks to reverse under [`SignChange::ConstructReversal`];
/// `Some(weights)` with those blocks negated if any.
fn reversed_weights(layout: &Layout, original: &Core, resample: &Core) -> Option<Vec<f64>> {
    let mut w = resample.w.clone();
    let mut any = false;
    for j in 0..layout.k {
        let r = layout.block(j);
        let (mut diff, mut sum) = (0.0, 0.0);
        for i in r.clone() {
            diff += original.loadings[i] - resample.loadings[i];
            sum += original.loadings[i] + resample.loadings[i];
        }
        if diff.abs() > sum.abs() {
            w[r].iter_mut().for_each(|x| *x = -*x);
            any = true;
        }
    }
    any.then_some(w)
}

/// The quantities `run` bootstraps, flattened in a fixed order: weights (p),
/// loadings (p), paths, total effects, indirect effects, R², HTMT, and the
/// specific indirect effects when asked for.
struct StatSpec {
    /// Chains of the specific indirect effects (empty unless asked for).
    specific: Vec<Vec<usize>>,
    paths: Vec<(usize, usize)>,
    effects: Vec<(usize, usize)>,
    indirect: Vec<(usize, usize)>,
    endogenous: Vec<usize>,
    htmt: Vec<(usize, usize)>,
    /// S is a correlation matrix (standardized) or a covariance matrix.
    scaling: Scaling,
}

impl StatSpec {
    fn new(layout: &Layout, model: &crate::model::Model, scaling: Scaling) -> Self {
        let k = layout.k;
        let paths = (0..k)
            .flat_map(|j| layout.pred[j].iter().map(move |&f| (f, j)))
            .collect();
        let effects = core::effect_pairs(layout, model);
        let reach = core::reachability(layout);
        let indirect = effects
            .iter()
            .copied()
            .filter(|&(from, to)| {
                layout.succ[from]
                    .iter()
                    .any(|&m| m != to && reach[m * k + to])
            })
            .collect();
        StatSpec {
            specific: Vec::new(),
            paths,
            effects,
            indirect,
            endogenous: (0..k).filter(|&j| !layout.pred[j].is_empty()).collect(),
            htmt: core::htmt_pairs(layout, model),
            scaling,
        }
    }

    fn len(&self, layout: &Layout) -> usize {
        2 * layout.p
            + self.paths.len()
            + self.effects.len()
            + self.indirect.len()
            + self.endogenous.len()
            + self.htmt.len()
            + self.specific.len()
    }

    fn extract(&self, layout: &Layout, s: &[f64], core: &Core, out: &mut Vec<f64>) {
        let k = layout.k;
        out.clear();
        out.extend_from_slice(&core.w);
        out.extend_from_slice(&core.loadings);
        out.extend(self.paths.iter().map(|&(f, t)| core.b[t * k + f]));
        out.extend(self.effects.iter().map(|&(f, t)| core.total[t * k + f]));
        out.extend(
            self.indirect
                .iter()
                .map(|&(f, t)| core.total[t * k + f] - core.b[t * k + f]),
        );
        out.extend(core.regressions.iter().map(|r| r.r2));
        if !self.htmt.is_empty() {
            match self.scaling {
                Scaling::Standardized => {
                    out.extend(core::htmt_values(layout, s, &self.htmt, true));
                }
                Scaling::Centered => {
                    let corr = core::correlations(layout.p, s);
                    out.extend(core::htmt_values(layout, &corr, &self.htmt, true));
                }
            }
        }
        out.extend(
            self.specific
                .iter()
                .map(|chain| core::chain_effect(k, &core.b, chain)),
        );
    }

    fn result(&self, boot: &Bootstrap, session: Session<'_>, summary: Summary) -> BootstrapResult {
        let setup = session.setup;
        let model = &setup.model;
        let cname = |j: usize| model.constructs()[j].name.clone();
        let p = setup.layout.p;
        let mut it = summary.stats.into_iter();
        let mut take = |n: usize| -> Vec<BootEstimate> { it.by_ref().take(n).collect() };
        let outer = |stats: Vec<BootEstimate>| -> Vec<BootOuter> {
            stats
                .into_iter()
                .enumerate()
                .map(|(i, stats)| BootOuter {
                    indicator: setup.indicator_names[i].clone(),
                    construct: cname(setup.layout.block_of[i]),
                    stats,
                })
                .collect()
        };
        let pairs = |list: &[(usize, usize)], stats: Vec<BootEstimate>| -> Vec<BootPath> {
            list.iter()
                .zip(stats)
                .map(|(&(f, t), stats)| BootPath {
                    from: cname(f),
                    to: cname(t),
                    stats,
                })
                .collect()
        };
        let weights = outer(take(p));
        let loadings = outer(take(p));
        let paths = pairs(&self.paths, take(self.paths.len()));
        let total_effects = pairs(&self.effects, take(self.effects.len()));
        let indirect_effects = pairs(&self.indirect, take(self.indirect.len()));
        let r_squared = self
            .endogenous
            .iter()
            .zip(take(self.endogenous.len()))
            .map(|(&j, stats)| BootConstruct {
                construct: cname(j),
                stats,
            })
            .collect();
        let htmt = self
            .htmt
            .iter()
            .zip(take(self.htmt.len()))
            .map(|(&(a, b), stats)| BootPair {
                a: cname(a),
                b: cname(b),
                stats,
            })
            .collect();
        let specific_indirect_effects = self
            .specific
            .iter()
            .zip(take(self.specific.len()))
            .map(|(chain, stats)| BootSpecific {
                from: cname(chain[0]),
                to: cname(chain[chain.len() - 1]),
                via: chain[1..chain.len() - 1]
                    .iter()
                    .map(|&j| cname(j))
                    .collect(),
                chain: chain
                    .iter()
                    .map(|&j| cname(j))
                    .collect::<Vec<_>>()
                    .join(" -> "),
                stats,
            })
            .collect();
        BootstrapResult {
            resamples: boot.resamples,
            seed: boot.seed,
            failed: summary.failed_by.total(),
            failed_by: summary.failed_by,
            confidence: boot.confidence,
            ci: "percentile",
            sign_change: boot.sign_change,
            n_observations: setup.n_used(),
            jackknife_failed: summary.jackknife_failed,
            streaming: summary.streaming,
            paths,
            weights,
            loadings,
            total_effects,
            indirect_effects,
            r_squared,
            htmt,
            specific_indirect_effects,
        }
    }
}

/// A bootstrapped specific indirect effect ([`Bootstrap::specific_indirect`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootSpecific {
    /// Cause.
    pub from: String,
    /// Effect.
    pub to: String,
    /// The mediators, in order.
    pub via: Vec<String>,
    /// The chain written out, `A -> M -> Y`.
    pub chain: String,
    /// The bootstrap summary.
    #[serde(flatten)]
    pub stats: BootEstimate,
}

/// A bootstrapped path or effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootPath {
    /// Cause.
    pub from: String,
    /// Effect.
    pub to: String,
    /// The bootstrap summary.
    #[serde(flatten)]
    pub stats: BootEstimate,
}

/// A bootstrapped outer weight or loading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootOuter {
    /// Indicator.
    pub indicator: String,
    /// Its construct.
    pub construct: String,
    /// The bootstrap summary.
    #[serde(flatten)]
    pub stats: BootEstimate,
}

/// A bootstrapped per-construct quantity (R²).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootConstruct {
    /// Construct.
    pub construct: String,
    /// The bootstrap summary.
    #[serde(flatten)]
    pub stats: BootEstimate,
}

/// A bootstrapped quantity of a pair of constructs (HTMT).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootPair {
    /// First construct.
    pub a: String,
    /// Second construct.
    pub b: String,
    /// The bootstrap summary.
    #[serde(flatten)]
    pub stats: BootEstimate,
}

/// Bootstrap results of a PLS path model: the `bootstrap` object of the `pls`
/// example's JSON. `ci_lower`/`ci_upper` are percentile intervals (`ci` says
/// so); `bca_lower`/`bca_upper` are BCa intervals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapResult {
    /// Resamples drawn.
    pub resamples: usize,
    /// The seed.
    pub seed: u64,
    /// Degenerate resamples (dropped).
    pub failed: usize,
    /// Degenerate resamples by reason.
    pub failed_by: FailureCounts,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// The interval `ci_lower`/`ci_upper` hold: "percentile".
    pub ci: &'static str,
    /// The sign-change option used.
    pub sign_change: SignChange,
    /// Rows resampled.
    pub n_observations: usize,
    /// Leave-one-out fits that failed in the BCa jackknife (`None` without BCa).
    pub jackknife_failed: Option<usize>,
    /// The re-estimates were streamed, not kept ([`Bootstrap::keep_draws`]:
    /// asked for, or chosen because keeping them would exceed
    /// [`KEPT_DRAWS_BUDGET`]): intervals are read from histograms and
    /// `replicates` are not available.
    pub streaming: bool,
    /// Structural paths.
    pub paths: Vec<BootPath>,
    /// Outer weights.
    pub weights: Vec<BootOuter>,
    /// Loadings.
    pub loadings: Vec<BootOuter>,
    /// Total effects (every pair joined by a directed path).
    pub total_effects: Vec<BootPath>,
    /// Indirect effects (pairs joined by a path through another construct).
    pub indirect_effects: Vec<BootPath>,
    /// R² of the endogenous constructs.
    pub r_squared: Vec<BootConstruct>,
    /// HTMT (absolute correlations) of each pair of reflective constructs.
    pub htmt: Vec<BootPair>,
    /// Specific indirect effects, each chain of mediators separately (extra
    /// key, present only with [`Bootstrap::specific_indirect`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub specific_indirect_effects: Vec<BootSpecific>,
}

impl BootstrapResult {
    /// The path `from → to`.
    pub fn path(&self, from: &str, to: &str) -> Option<&BootPath> {
        self.paths.iter().find(|r| r.from == from && r.to == to)
    }

    /// The loading of an indicator.
    pub fn loading(&self, indicator: &str) -> Option<&BootOuter> {
        self.loadings.iter().find(|r| r.indicator == indicator)
    }

    /// The outer weight of an indicator.
    pub fn weight(&self, indicator: &str) -> Option<&BootOuter> {
        self.weights.iter().find(|r| r.indicator == indicator)
    }

    /// The total effect `from → to`.
    pub fn total_effect(&self, from: &str, to: &str) -> Option<&BootPath> {
        self.total_effects
            .iter()
            .find(|r| r.from == from && r.to == to)
    }

    /// The indirect effect `from → to`.
    pub fn indirect_effect(&self, from: &str, to: &str) -> Option<&BootPath> {
        self.indirect_effects
            .iter()
            .find(|r| r.from == from && r.to == to)
    }

    /// The specific indirect effect along `chain` (construct names, cause
    /// first, effect last).
    pub fn specific_indirect(&self, chain: &[&str]) -> Option<&BootSpecific> {
        self.specific_indirect_effects.iter().find(|r| {
            r.via.len() + 2 == chain.len()
                && chain.first() == Some(&r.from.as_str())
                && chain.last() == Some(&r.to.as_str())
                && r.via.iter().zip(&chain[1..]).all(|(a, b)| a == b)
        })
    }

    /// R² of a construct.
    pub fn r_squared(&self, construct: &str) -> Option<&BootConstruct> {
        self.r_squared.iter().find(|r| r.construct == construct)
    }

    /// HTMT of a pair (either order).
    pub fn htmt(&self, a: &str, b: &str) -> Option<&BootPair> {
        self.htmt
            .iter()
            .find(|r| (r.a == a && r.b == b) || (r.a == b && r.b == a))
    }
}

/// A bootstrapped user statistic ([`Bootstrap::run_with`], [`Bootstrap::run_moments`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomBootstrap {
    /// Resamples drawn.
    pub resamples: usize,
    /// The seed.
    pub seed: u64,
    /// Degenerate resamples (dropped).
    pub failed: usize,
    /// Degenerate resamples by reason.
    pub failed_by: FailureCounts,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// The interval `ci_lower`/`ci_upper` hold: "percentile".
    pub ci: &'static str,
    /// Rows resampled.
    pub n_observations: usize,
    /// Leave-one-out fits that failed in the BCa jackknife (`None` without BCa).
    pub jackknife_failed: Option<usize>,
    /// The re-estimates were streamed, not kept (see
    /// [`BootstrapResult::streaming`]); `replicates` is then empty.
    pub streaming: bool,
    /// One summary per element of the statistic's vector.
    pub estimates: Vec<BootEstimate>,
    /// The re-estimates of the usable resamples, in resample order.
    #[serde(skip)]
    pub replicates: Vec<Vec<f64>>,
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{v:.4}"))
}

impl BootEstimate {
    fn row(&self) -> String {
        let stars = match self.p {
            Some(p) if p < 0.001 => "***",
            Some(p) if p < 0.01 => "**",
            Some(p) if p < 0.05 => "*",
            _ => "",
        };
        format!(
            "{:>9.4} {:>8.4} {:>8.4} {:>8} [{:>7.4}, {:>7.4}] [{:>7}, {:>7}] {stars}",
            self.estimate,
            self.mean,
            self.std_error,
            self.t
                .map_or_else(|| "—".to_string(), |t| format!("{t:.2}")),
            self.ci_lower,
            self.ci_upper,
            fmt_opt(self.bca_lower),
            fmt_opt(self.bca_upper),
        )
    }
}

impl fmt::Display for BootstrapResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = format!("{:.0}%", self.confidence * 100.0);
        writeln!(
            f,
            "Bootstrap: {} resamples of {} rows (seed {}), {} failed{}; sign change: {}",
            self.resamples,
            self.n_observations,
            self.seed,
            self.failed,
            if self.failed > 0 {
                format!(" ({})", self.failed_by)
            } else {
                String::new()
            },
            self.sign_change
        )?;
        writeln!(
            f,
            "  {level} intervals: percentile and BCa; * p < .05, ** p < .01, *** p < .001 (t = estimate / SE)"
        )?;
        if self.streaming {
            writeln!(
                f,
                "  draws streamed, not kept (memory): interval bounds read from 4096-bin histograms, within one bin width of the exact quantiles"
            )?;
        }
        let header = |f: &mut fmt::Formatter<'_>, a: &str, b: &str| {
            writeln!(
                f,
                "  {a:<16} {b:<16} {:>9} {:>8} {:>8} {:>8} {:>18} {:>18}",
                "estimate",
                "mean",
                "SE",
                "t",
                format!("{level} percentile"),
                format!("{level} BCa")
            )
        };
        writeln!(f, "\nPaths")?;
        header(f, "from", "to")?;
        for r in &self.paths {
            writeln!(f, "  {:<16} {:<16} {}", r.from, r.to, r.stats.row())?;
        }
        if !self.indirect_effects.is_empty() {
            writeln!(f, "\nIndirect effects")?;
            header(f, "from", "to")?;
            for r in &self.indirect_effects {
                writeln!(f, "  {:<16} {:<16} {}", r.from, r.to, r.stats.row())?;
            }
        }
        if !self.specific_indirect_effects.is_empty() {
            writeln!(f, "\nSpecific indirect effects (chain, then its estimates)")?;
            header(f, "", "")?;
            for r in &self.specific_indirect_effects {
                writeln!(f, "  {}", r.chain)?;
                writeln!(f, "  {:<16} {:<16} {}", "", "", r.stats.row())?;
            }
        }
        writeln!(f, "\nTotal effects")?;
        header(f, "from", "to")?;
        for r in &self.total_effects {
            writeln!(f, "  {:<16} {:<16} {}", r.from, r.to, r.stats.row())?;
        }
        writeln!(f, "\nLoadings")?;
        header(f, "indicator", "construct")?;
        for r in &self.loadings {
            writeln!(
                f,
                "  {:<16} {:<16} {}",
                r.indicator,
                r.construct,
                r.stats.row()
            )?;
        }
        writeln!(f, "\nWeights")?;
        header(f, "indicator", "construct")?;
        for r in &self.weights {
            writeln!(
                f,
                "  {:<16} {:<16} {}",
                r.indicator,
                r.construct,
                r.stats.row()
            )?;
        }
        writeln!(f, "\nR²")?;
        header(f, "construct", "")?;
        for r in &self.r_squared {
            writeln!(f, "  {:<16} {:<16} {}", r.construct, "", r.stats.row())?;
        }
        if !self.htmt.is_empty() {
            writeln!(f, "\nHTMT")?;
            header(f, "a", "b")?;
            for r in &self.htmt {
                writeln!(f, "  {:<16} {:<16} {}", r.a, r.b, r.stats.row())?;
            }
        }
        Ok(())
    }
}

impl Bootstrap {
    /// The simple-slope table ([`PlsFit::simple_slopes`]) with percentile
    /// (and, if asked, BCa) bootstrap intervals of each slope.
    ///
    /// # Errors
    /// As [`PlsFit::simple_slopes`] and [`Bootstrap::run_with`].
    pub fn simple_slopes(
        &self,
        pls: &Pls<'_>,
        data: &Dataset,
        focal: &str,
        moderator: &str,
        dependent: &str,
    ) -> Result<super::SimpleSlopes> {
        Session::with(pls, data, |s| {
            self.simple_slopes_session(s, focal, moderator, dependent)
        })
    }

    /// [`Bootstrap::simple_slopes`] on a prepared estimation.
    pub(crate) fn simple_slopes_session(
        &self,
        session: Session<'_>,
        focal: &str,
        moderator: &str,
        dependent: &str,
    ) -> Result<super::SimpleSlopes> {
        let mut table = session.fit()?.simple_slopes(focal, moderator, dependent)?;
        let boot = self.run_with_session(session, |fit| {
            Ok(fit
                .simple_slopes(focal, moderator, dependent)?
                .rows
                .iter()
                .map(|r| r.slope)
                .collect())
        })?;
        for (row, e) in table.rows.iter_mut().zip(&boot.estimates) {
            row.ci = Some((e.ci_lower, e.ci_upper));
        }
        Ok(table)
    }
}

impl Pls<'_> {
    /// Bootstraps this model on `data`; see [`Bootstrap::run`].
    ///
    /// # Errors
    /// As [`Bootstrap::run`].
    pub fn bootstrap(&self, data: &Dataset, settings: &Bootstrap) -> Result<BootstrapResult> {
        settings.run(self, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bca_equals_percentile_without_bias_or_skew() {
        // Symmetric re-estimates centred on the estimate, symmetric jackknife.
        let sorted: Vec<f64> = (0..1001).map(|i| (i as f64 - 500.0) / 100.0).collect();
        let jack = [-1.0, 0.0, 1.0];
        let (lo, hi) = bca_interval(0.0, &sorted, &jack, 0.05).unwrap();
        assert!((lo - resample::quantile_sorted(&sorted, 0.025)).abs() < 1e-9);
        assert!((hi - resample::quantile_sorted(&sorted, 0.975)).abs() < 1e-9);
        // Every re-estimate above the estimate: undefined.
        assert!(bca_interval(-10.0, &sorted, &jack, 0.05).is_none());
    }

    #[test]
    fn bca_shifts_with_bias() {
        // Re-estimates mostly below the estimate: z0 > 0 moves the interval up.
        let sorted: Vec<f64> = (0..1000).map(|i| i as f64 / 1000.0).collect();
        let (lo, hi) = bca_interval(0.7, &sorted, &[0.0, 0.1, 0.2], 0.1).unwrap();
        assert!(lo > resample::quantile_sorted(&sorted, 0.05));
        assert!(hi > resample::quantile_sorted(&sorted, 0.95));
    }

    /// Two statistics that fail on different resamples (pseudo-randomly, by
    /// the digits of a resample mean): the joint pass gives each the summary,
    /// the failure counts, the redraws and the error of its own run.
    #[test]
    fn joint_pass_keeps_each_sets_failures_apart() {
        use crate::{Estimation, PlsSettings, SurveySimulator};
        let data = SurveySimulator::new(150).seed(3).simulate().unwrap();
        let est = Estimation::new(&SurveySimulator::model(), PlsSettings::default(), data).unwrap();
        let session = est.session();
        let digit = |x: f64, k: i64| ((x * 1e6) as i64).rem_euclid(k) == 0;
        let stat_a = |m: &Moments| -> std::result::Result<Vec<f64>, FailureKind> {
            if digit(m.means()[0], 5) {
                return Err(FailureKind::Statistic);
            }
            Ok(vec![m.means()[0], m.covariance()[1]])
        };
        let stat_b = |m: &Moments| -> std::result::Result<Vec<f64>, FailureKind> {
            if digit(m.means()[2], 7) {
                return Err(FailureKind::SingularBlock);
            }
            Ok(vec![m.means()[2]])
        };
        let (ea, eb) = (vec![7.0, 1.0], vec![7.0]);
        for policy in [
            FailurePolicy::Skip,
            FailurePolicy::Replace,
            FailurePolicy::Error,
        ] {
            for (keep_a, keep_b) in [(true, true), (false, true), (true, false)] {
                let boot = Bootstrap::new(120).seed(11).on_failure(policy);
                let a = SetRun {
                    estimate: &ea,
                    stat: &stat_a,
                    keep_draws: keep_a,
                    may_stream: true,
                    bca: true,
                };
                let b = SetRun {
                    estimate: &eb,
                    stat: &stat_b,
                    keep_draws: keep_b,
                    may_stream: true,
                    bca: !keep_b,
                };
                let one = |run: SetRun<'_>| {
                    boot.resample_sets(session, &[run])
                        .map(|mut v| boot.custom(session, v.remove(0)))
                };
                let (sep_a, sep_b) = (one(a), one(b));
                for order in [[a, b], [b, a]] {
                    let first_is_a = order[0].estimate.len() == 2;
                    let joint = boot.resample_sets(session, &order);
                    let (sep_first, sep_second) = if first_is_a {
                        (&sep_a, &sep_b)
                    } else {
                        (&sep_b, &sep_a)
                    };
                    match joint {
                        Ok(v) => {
                            let got: Vec<CustomBootstrap> =
                                v.into_iter().map(|s| boot.custom(session, s)).collect();
                            let want = [sep_first.as_ref().unwrap(), sep_second.as_ref().unwrap()];
                            for (g, w) in got.iter().zip(want) {
                                assert_eq!(g, w, "{policy:?} {keep_a} {keep_b}");
                                let bits = |r: &[Vec<f64>]| -> Vec<u64> {
                                    r.iter().flatten().map(|x| x.to_bits()).collect()
                                };
                                assert_eq!(bits(&g.replicates), bits(&w.replicates));
                            }
                            match policy {
                                // Failures happen, and differ between the sets.
                                FailurePolicy::Skip => {
                                    assert!(got[0].failed > 0 && got[1].failed > 0);
                                    assert_ne!(got[0].failed, got[1].failed);
                                }
                                // Redraws rescue (almost) every resample.
                                FailurePolicy::Replace => {
                                    assert!(got.iter().all(|g| g.failed == 0));
                                }
                                FailurePolicy::Error => unreachable!("a resample fails"),
                            }
                        }
                        Err(e) => {
                            assert_eq!(policy, FailurePolicy::Error);
                            let want = match sep_first {
                                Err(e) => e,
                                Ok(_) => sep_second.as_ref().unwrap_err(),
                            };
                            assert_eq!(format!("{e:?}"), format!("{want:?}"));
                            assert!(matches!(e, Error::ResampleFailed { .. }));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn sign_change_parses() {
        assert_eq!(
            "construct_reversal".parse::<SignChange>().unwrap(),
            SignChange::ConstructReversal
        );
        assert!("sometimes".parse::<SignChange>().is_err());
    }
}
