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
//! deletion). With mean replacement the means are imputed once, before
//! resampling (as SmartPLS does). With case weights a row drawn c times
//! weighs c × its case weight.
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
use super::moments::{Moments, Prepared, accumulate};
use super::resample::{
    self, FailureCounts, FailureKind, Progress, ProgressFn, Rows, Scratch, Ticker, par_map,
};
use super::{Pls, PlsFit, Scaling};
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
    threads: Option<usize>,
    progress: Option<ProgressFn>,
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
            .field("threads", &self.threads)
            .field("progress", &self.progress.is_some())
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
            threads: None,
            progress: None,
        }
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
    pub fn keep_draws(mut self, keep: bool) -> Self {
        self.keep_draws = keep;
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
        if pls.needs_plan() {
            let plan = pls.plan(data)?;
            return self.run(&pls.with_model(&plan.model), &plan.data);
        }
        pls.check_moment_based("the bootstrap")?;
        let setup = Setup::new(pls, data)?;
        let spec = StatSpec::new(&setup.layout, pls.model, pls.scaling);
        let original = setup.estimate(&setup.full, pls.allow_nonconvergence)?;
        let mut estimate = Vec::with_capacity(spec.len(&setup.layout));
        spec.extract(&setup.layout, &original.0, &original.1, &mut estimate);
        let stat = |m: &Moments| -> std::result::Result<Vec<f64>, FailureKind> {
            let (s, mut core) = setup.estimate(m, false).map_err(|e| FailureKind::of(&e))?;
            if !(self.keep_inadmissible || core.admissible()) {
                return Err(FailureKind::Inadmissible);
            }
            match self.sign_change {
                SignChange::ConstructReversal => {
                    if let Some(w) = reversed_weights(&setup.layout, &original.1, &core) {
                        core = setup.derive(&s, w).map_err(|e| FailureKind::of(&e))?;
                    }
                }
                SignChange::None | SignChange::Individual => {}
            }
            let mut out = Vec::with_capacity(estimate.len());
            spec.extract(&setup.layout, &s, &core, &mut out);
            if self.sign_change == SignChange::Individual {
                for (x, e) in out.iter_mut().zip(&estimate) {
                    if *x * *e < 0.0 {
                        *x = -*x;
                    }
                }
            }
            Ok(out)
        };
        let summary = self.resample(&setup, &estimate, &stat)?;
        Ok(spec.result(self, &setup, summary))
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
        if pls.needs_plan() {
            let plan = pls.plan(data)?;
            return self.run_with(&pls.with_model(&plan.model), &plan.data, statistic);
        }
        pls.check_moment_based("the bootstrap")?;
        let setup = Setup::new(pls, data)?;
        let fit_of = |m: &Moments| -> Result<PlsFit> {
            let mut m = m.clone();
            m.set_names(&setup.indicator_names);
            pls.fit_prepared(m, setup.rows.prepared.report.clone(), setup.weighted)
        };
        let estimate = statistic(&fit_of(&setup.full)?)?;
        let stat = |m: &Moments| -> std::result::Result<Vec<f64>, FailureKind> {
            let fit = fit_of(m).map_err(|e| FailureKind::of(&e))?;
            if !fit.converged {
                return Err(FailureKind::NotConverged);
            }
            if !self.keep_inadmissible && fit.consistent.as_ref().is_some_and(|c| !c.admissible) {
                return Err(FailureKind::Inadmissible);
            }
            statistic(&fit).map_err(|_| FailureKind::Statistic)
        };
        let summary = self.resample(&setup, &estimate, &stat)?;
        Ok(self.custom(&setup, summary))
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
        let setup = Setup::new(pls, data)?;
        let estimate = statistic(&setup.full)?;
        let stat = |m: &Moments| -> std::result::Result<Vec<f64>, FailureKind> {
            let mut m = m.clone();
            m.set_names(&setup.indicator_names);
            statistic(&m).map_err(|_| FailureKind::Statistic)
        };
        let summary = self.resample(&setup, &estimate, &stat)?;
        Ok(self.custom(&setup, summary))
    }

    fn custom(&self, setup: &Setup<'_, '_>, summary: Summary) -> CustomBootstrap {
        CustomBootstrap {
            resamples: self.resamples,
            seed: self.seed,
            failed: summary.failed_by.total(),
            failed_by: summary.failed_by,
            confidence: self.confidence,
            ci: "percentile",
            n_observations: setup.n_used(),
            jackknife_failed: summary.jackknife_failed,
            estimates: summary.stats,
            replicates: summary.replicates,
        }
    }

    /// Draws the resamples, applies the failure policy and summarizes.
    fn resample<F>(&self, setup: &Setup<'_, '_>, estimate: &[f64], stat: &F) -> Result<Summary>
    where
        F: Fn(&Moments) -> std::result::Result<Vec<f64>, FailureKind> + Sync,
    {
        let m = estimate.len();
        let checked = |out: std::result::Result<Vec<f64>, FailureKind>| {
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
        let n_used = setup.n_used();
        let base = resample::base_rng(self.seed);
        let ticker = Ticker::new(self.progress.as_ref(), self.resamples);
        let attempts = match self.on_failure {
            FailurePolicy::Replace => 1 + MAX_REDRAWS,
            FailurePolicy::Skip | FailurePolicy::Error => 1,
        };
        let init = || (vec![0u32; n_used], Scratch::default(), Moments::default());
        // Resample i, always from its own stream: the same draws in every pass
        // and at any thread count.
        let draw = |(counts, scratch, moments): &mut (Vec<u32>, Scratch, Moments),
                    i: usize,
                    tick: bool| {
            let mut rng = resample::stream_rng(&base, i as u64);
            let mut last = Err(FailureKind::Statistic);
            for _ in 0..attempts {
                counts.iter_mut().for_each(|c| *c = 0);
                for _ in 0..n_used {
                    counts[resample::uniform_index(&mut rng, n_used)] += 1;
                }
                setup.rows.resample_moments(counts, scratch, moments);
                last = checked(stat(moments));
                if last.is_ok() {
                    break;
                }
            }
            if tick {
                ticker.tick();
            }
            last
        };
        // Keeping the draws: one batch of everything. Streaming: fixed batches,
        // consumed in resample order.
        let batch = if self.keep_draws {
            self.resamples.max(1)
        } else {
            STREAM_BATCH
        };
        let mut failed_by = FailureCounts::default();
        let mut replicates = Vec::new();
        let mut streams: Vec<Stream> = if self.keep_draws {
            Vec::new()
        } else {
            estimate.iter().map(|&e| Stream::new(e)).collect()
        };
        let mut usable = 0usize;
        for start in (0..self.resamples).step_by(batch) {
            let len = (self.resamples - start).min(batch);
            let results = par_map(len, self.threads, init, |w, k| draw(w, start + k, true));
            for (k, r) in results.into_iter().enumerate() {
                match r {
                    Ok(v) => {
                        usable += 1;
                        if self.keep_draws {
                            replicates.push(v);
                        } else {
                            for (st, x) in streams.iter_mut().zip(&v) {
                                st.push(*x);
                            }
                        }
                    }
                    Err(kind) => {
                        if self.on_failure == FailurePolicy::Error {
                            return Err(Error::ResampleFailed {
                                index: start + k,
                                reason: kind.describe().to_string(),
                            });
                        }
                        failed_by.add(kind);
                    }
                }
            }
        }
        let failed = failed_by.total();
        if failed as f64 > self.max_failed_share * self.resamples as f64 || usable < 2 {
            return Err(Error::TooManyFailedResamples {
                what: "bootstrap resamples".into(),
                failed,
                attempted: self.resamples,
                max_share: self.max_failed_share,
                reasons: failed_by.to_string(),
            });
        }
        let (jackknife, jackknife_failed) = if self.bca {
            let loo = par_map(
                n_used,
                self.threads,
                || (vec![0.0; setup.layout.p], Moments::default()),
                |(x, moments), i| {
                    setup.rows.values(i, x);
                    setup
                        .full
                        .remove_row_into(x, setup.rows.case_weight(i), moments);
                    checked(stat(moments)).ok()
                },
            );
            let failed = loo.iter().filter(|v| v.is_none()).count();
            (loo.into_iter().flatten().collect(), Some(failed))
        } else {
            (Vec::new(), None)
        };
        let stats = if self.keep_draws {
            par_map(
                m,
                self.threads,
                || (),
                |_, j| {
                    summarize(
                        estimate[j],
                        replicates.iter().map(|r| r[j]).collect(),
                        &jackknife
                            .iter()
                            .map(|r: &Vec<f64>| r[j])
                            .collect::<Vec<_>>(),
                        self.confidence,
                        setup.n_used(),
                        self.bca,
                    )
                },
            )
        } else {
            // Second pass over the same resamples: a histogram of every
            // statistic between its first-pass extremes, read at the
            // percentile (and BCa) levels.
            let alpha = 1.0 - self.confidence;
            let levels: Vec<Vec<f64>> = streams
                .iter()
                .enumerate()
                .map(|(j, st)| {
                    let mut levels = vec![alpha / 2.0, 1.0 - alpha / 2.0];
                    if self.bca {
                        let jk: Vec<f64> = jackknife.iter().map(|r: &Vec<f64>| r[j]).collect();
                        if let Some((lo, hi)) = bca_levels(st.share_below(), &jk, alpha) {
                            levels.extend([lo, hi]);
                        }
                    }
                    levels
                })
                .collect();
            let mut hists: Vec<Histogram> = streams
                .iter()
                .map(|st| Histogram::new(st.min, st.max))
                .collect();
            for start in (0..self.resamples).step_by(batch) {
                let len = (self.resamples - start).min(batch);
                let results = par_map(len, self.threads, init, |w, k| draw(w, start + k, false));
                for v in results.into_iter().flatten() {
                    for (h, x) in hists.iter_mut().zip(&v) {
                        h.push(*x);
                    }
                }
            }
            streams
                .iter()
                .zip(&hists)
                .zip(&levels)
                .map(|((st, h), l)| st.summary(h, l, setup.n_used()))
                .collect()
        };
        Ok(Summary {
            stats,
            failed_by,
            jackknife_failed,
            replicates,
        })
    }
}

/// The summarized resamples of one run.
struct Summary {
    stats: Vec<BootEstimate>,
    failed_by: FailureCounts,
    jackknife_failed: Option<usize>,
    replicates: Vec<Vec<f64>>,
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
fn summarize(
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

/// What the resampling needs from the original data and settings.
pub(crate) struct Setup<'p, 'd> {
    pub pls: &'p Pls<'p>,
    pub layout: Layout,
    pub construct_names: Vec<String>,
    pub indicator_names: Vec<String>,
    pub rows: Rows<'d>,
    /// Moments of all used rows (named).
    pub full: Moments,
    pub weighted: bool,
}

impl<'p, 'd> Setup<'p, 'd> {
    pub(crate) fn new(pls: &'p Pls<'p>, data: &'d Dataset) -> Result<Self> {
        pls.check_settings()?;
        let indicator_names: Vec<String> = pls.model.indicators().map(str::to_string).collect();
        let prepared = Prepared::new(data, &indicator_names, pls.weights.as_deref(), pls.missing)?;
        let mut full = accumulate(
            &prepared.columns,
            prepared.rows.as_deref(),
            prepared.weights,
            prepared.impute.as_deref(),
        );
        full.set_names(&indicator_names);
        let n_used = prepared.report.n_used;
        if n_used < 3 {
            return Err(Error::TooFewObservations {
                what: "PLS estimation".into(),
                needed: 3,
                available: n_used,
            });
        }
        Ok(Setup {
            pls,
            layout: Layout::new(pls.model),
            construct_names: pls.construct_names(),
            indicator_names,
            rows: Rows::new(prepared, data.n_rows(), &full),
            full,
            weighted: pls.weights.is_some(),
        })
    }

    pub(crate) fn n_used(&self) -> usize {
        self.rows.len()
    }

    /// S and the lean estimates from moments. Non-convergence is an error
    /// unless `allow_nonconvergence` (resamples never allow it).
    pub(crate) fn estimate(
        &self,
        m: &Moments,
        allow_nonconvergence: bool,
    ) -> Result<(Vec<f64>, Core)> {
        let (s, outer) = self.pls.solve(&self.layout, m, &self.construct_names)?;
        if !outer.converged && !allow_nonconvergence {
            return Err(Error::NotConverged {
                iterations: outer.iterations,
                change: outer.change,
                tol: self.pls.tol,
            });
        }
        let core = self.derive(&s, outer.w)?;
        Ok((s, core))
    }

    /// The lean estimates from S and oriented weights (PLSc if the settings ask for it).
    pub(crate) fn derive(&self, s: &[f64], w: Vec<f64>) -> Result<Core> {
        Core::derive(
            &self.layout,
            s,
            w,
            &self.construct_names,
            &self.indicator_names,
            self.pls.consistent,
        )
    }
}

/// The quantities `run` bootstraps, flattened in a fixed order: weights (p),
/// loadings (p), paths, total effects, indirect effects, R², HTMT.
struct StatSpec {
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
    }

    fn result(&self, boot: &Bootstrap, setup: &Setup<'_, '_>, summary: Summary) -> BootstrapResult {
        let model = setup.pls.model;
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
            paths,
            weights,
            loadings,
            total_effects,
            indirect_effects,
            r_squared,
            htmt,
        }
    }
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
        let mut table = pls.fit(data)?.simple_slopes(focal, moderator, dependent)?;
        let boot = self.run_with(pls, data, |fit| {
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

    #[test]
    fn sign_change_parses() {
        assert_eq!(
            "construct_reversal".parse::<SignChange>().unwrap(),
            SignChange::ConstructReversal
        );
        assert!("sometimes".parse::<SignChange>().is_err());
    }
}
