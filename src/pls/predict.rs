//! PLSpredict (Shmueli, Ray, Velasquez Estrada & Chatla 2016; Shmueli et al.
//! 2019): k-fold cross-validated, out-of-sample predictions of the indicators
//! of endogenous constructs, compared with a linear-model benchmark.
//!
//! Procedure, for each repetition r = 0..R−1:
//! 1. the complete rows are shuffled with a ChaCha8 generator seeded with
//!    `seed` on stream r, and row t of the shuffled order goes to fold t mod k
//!    (folds differ in size by at most one; [`fold_assignment`]);
//! 2. for each fold, the model is estimated on the other folds (same settings
//!    as the [`Pls`] it was built from, plain PLS even if consistent was asked
//!    for: predictions need composites computable from indicators);
//! 3. each holdout row is predicted from the training estimates: indicators
//!    are standardized with the *training* means and SDs, the composite scores
//!    of the antecedent constructs computed with the training weights and
//!    propagated through the training paths, and the target indicator
//!    predicted as x̂ = m + s · λ · ŷ (training mean m, SD s, loading λ), i.e.
//!    in the indicator's own units;
//!    - **earliest antecedents** (default, Shmueli et al. 2016): only the
//!      indicators of exogenous constructs are used; every endogenous score is
//!      predicted in causal order, ŷ_j = Σ_k b_jk ŷ_k;
//!    - **direct antecedents** (Danks 2021): ŷ_j = Σ_k b_jk y_k with the
//!      holdout's own scores y_k of j's predecessors;
//! 4. the LM benchmark regresses each target indicator (OLS with intercept,
//!    training rows) on the indicators of all exogenous constructs (earliest
//!    antecedents) or of the construct's direct predecessors (direct
//!    antecedents), and predicts the holdout rows; the naive benchmark is the
//!    training mean.
//!
//! Each row's predictions are averaged over the repetitions (Shmueli et al.
//! 2019, SmartPLS and seminr average predictions over repeated k-fold runs),
//! then RMSE = √mean (x − x̂)², MAE = mean |x − x̂|, and
//! Q²_predict = 1 − Σ(x − x̂_PLS)² / Σ(x − x̄_train)² (Shmueli et al. 2019).
//!
//! Rows with a missing value in any model indicator are left out (counted in
//! [`Prediction::n_dropped`]).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::Pls;
use super::algorithm::Layout;
use super::estimation::Session;
use super::fit::Matrix;
use super::moments::{self, MissingPolicy, Prepared};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg;

/// Which antecedents a construct is predicted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PredictApproach {
    /// Only the indicators of exogenous constructs (Shmueli et al. 2016); default.
    #[default]
    EarliestAntecedents,
    /// The observed scores of the direct predecessors (Danks 2021).
    DirectAntecedents,
}

/// Prediction metrics of one target indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictIndicator {
    /// Indicator.
    pub indicator: String,
    /// Its (endogenous) construct.
    pub construct: String,
    /// Root mean squared prediction error of PLS, indicator units.
    pub pls_rmse: f64,
    /// Mean absolute prediction error of PLS, indicator units.
    pub pls_mae: f64,
    /// RMSE of the linear-model benchmark.
    pub lm_rmse: f64,
    /// MAE of the linear-model benchmark.
    pub lm_mae: f64,
    /// Q²_predict of PLS: 1 − SSE_PLS / SSE_naive (training-mean prediction).
    pub q2_predict: f64,
    /// Q²_predict of the LM benchmark (extra key).
    pub lm_q2_predict: f64,
}

/// The result of [`PlsPredict::run`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// Number of folds k.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// Repetitions of the k-fold split.
    pub repetitions: usize,
    /// Earliest or direct antecedents.
    pub approach: PredictApproach,
    /// Complete rows used.
    pub n_observations: usize,
    /// Rows left out for missing values.
    pub n_dropped: usize,
    /// Metrics per target indicator, model order.
    pub indicators: Vec<PredictIndicator>,
    /// Data rows (0-based) the predictions belong to.
    #[serde(skip)]
    pub rows: Vec<usize>,
    /// Out-of-sample PLS predictions (rows × target indicators), averaged over repetitions.
    #[serde(skip)]
    pub pls_predictions: Matrix,
    /// Out-of-sample LM-benchmark predictions, averaged over repetitions.
    #[serde(skip)]
    pub lm_predictions: Matrix,
}

impl Prediction {
    /// The metrics of one indicator.
    pub fn indicator(&self, name: &str) -> Option<&PredictIndicator> {
        self.indicators.iter().find(|i| i.indicator == name)
    }
}

/// The fold (0..folds) of each of `n` rows in repetition `repetition`: a
/// Fisher–Yates shuffle with ChaCha8 seeded by `seed` on stream `repetition`,
/// then position t → fold t mod folds. Every row is in exactly one fold; fold
/// sizes differ by at most one.
pub fn fold_assignment(n: usize, folds: usize, seed: u64, repetition: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(repetition);
    let mut perm: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        perm.swap(i, j);
    }
    let mut fold = vec![0; n];
    for (t, &row) in perm.iter().enumerate() {
        fold[row] = t % folds.max(1);
    }
    fold
}

/// PLSpredict settings: [`PlsPredict::new`] from the estimation settings, then
/// [`PlsPredict::run`]; or [`PlsPredict::default`] (fold settings only) for
/// [`crate::Estimation::predict`]. Defaults: 10 folds, 1 repetition, seed 1,
/// earliest antecedents, all endogenous constructs as targets.
#[derive(Debug, Clone)]
pub struct PlsPredict<'p, 'm> {
    pls: Option<&'p Pls<'m>>,
    folds: usize,
    repetitions: usize,
    seed: u64,
    approach: PredictApproach,
    targets: Option<Vec<String>>,
}

impl Default for PlsPredict<'_, '_> {
    /// The default fold settings without estimation settings: for
    /// [`crate::Estimation::predict`].
    fn default() -> Self {
        PlsPredict {
            pls: None,
            folds: 10,
            repetitions: 1,
            seed: 1,
            approach: PredictApproach::EarliestAntecedents,
            targets: None,
        }
    }
}

/// The data rows complete in every indicator and the indicator columns:
/// the prepared rows unless they were completed by mean replacement.
pub(crate) fn listwise_rows<'a>(session: Session<'a>) -> Result<(Vec<usize>, Vec<&'a [f64]>)> {
    let setup = session.setup;
    let data = session.data;
    if setup.settings.missing == MissingPolicy::Mean && setup.report.n_imputed > 0 {
        let prepared = Prepared::new(data, &setup.indicator_names, None, MissingPolicy::Listwise)?;
        let rows = prepared
            .rows
            .clone()
            .unwrap_or_else(|| (0..data.n_rows()).collect());
        return Ok((rows, prepared.columns));
    }
    let rows = (0..setup.n_used()).map(|pos| setup.rows.row(pos)).collect();
    Ok((rows, session.columns()?))
}

impl<'p, 'm> PlsPredict<'p, 'm> {
    /// PLSpredict with the estimation settings of `pls`.
    pub fn new(pls: &'p Pls<'m>) -> Self {
        PlsPredict {
            pls: Some(pls),
            ..PlsPredict::default()
        }
    }

    /// The estimation settings it was built from (`None` from [`PlsPredict::default`]).
    pub fn pls(&self) -> Option<&'p Pls<'m>> {
        self.pls
    }

    /// Number of folds k (default 10; 2 ≤ k ≤ n).
    pub fn folds(mut self, folds: usize) -> Self {
        self.folds = folds;
        self
    }

    /// Repetitions of the k-fold split (default 1; SmartPLS uses 10).
    pub fn repetitions(mut self, repetitions: usize) -> Self {
        self.repetitions = repetitions;
        self
    }

    /// Seed of the fold assignment (default 1).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Earliest (default) or direct antecedents.
    pub fn approach(mut self, approach: PredictApproach) -> Self {
        self.approach = approach;
        self
    }

    /// Predict only the indicators of these endogenous constructs.
    pub fn targets<I, S>(mut self, constructs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.targets = Some(constructs.into_iter().map(Into::into).collect());
        self
    }

    /// Runs the cross-validation.
    ///
    /// # Errors
    /// [`Error::InvalidFolds`] unless 2 ≤ folds ≤ n; [`Error::InvalidSetting`]
    /// for 0 repetitions or case weights (not supported);
    /// [`Error::NoPredictionTargets`] for a target that is unknown or
    /// exogenous, or an empty target list; [`Error::SingularPredictors`] when
    /// the LM benchmark's predictors are collinear on a training set; the data
    /// and estimation errors of [`Pls::fit`] (for the whole data or a training set).
    pub fn run(&self, data: &Dataset) -> Result<Prediction> {
        let Some(pls) = self.pls else {
            return Err(Error::InvalidSetting {
                name: "PlsPredict".into(),
                message: "it has no estimation settings: build it with PlsPredict::new(&pls), or run it with Estimation::predict".into(),
            });
        };
        Session::with(pls, data, |s| self.run_session(s))
    }

    /// [`PlsPredict::run`] on a prepared estimation (extensions resolved:
    /// derived columns from the full sample, see [`super::extend`]).
    pub(crate) fn run_session(&self, session: Session<'_>) -> Result<Prediction> {
        let setup = session.setup;
        let data = session.data;
        setup.settings.check_pearson("PLSpredict")?;
        setup.settings.check_rowwise("PLSpredict")?;
        let mut settings = setup.settings.clone();
        settings.consistent = false;
        if settings.case_weights.is_some() {
            return Err(Error::InvalidSetting {
                name: "case_weights".into(),
                message: "PLSpredict does not support case weights".into(),
            });
        }
        if self.repetitions == 0 {
            return Err(Error::InvalidSetting {
                name: "repetitions".into(),
                message: "must be at least 1".into(),
            });
        }
        settings.validate()?;
        let model = &setup.model;
        let layout = Layout::new(model);
        let (p, k) = (layout.p, layout.k);
        let cnames: Vec<String> = model.constructs().iter().map(|c| c.name.clone()).collect();
        let target_constructs: Vec<usize> = match &self.targets {
            None => (0..k).filter(|&j| model.is_endogenous(j)).collect(),
            Some(list) => {
                let mut v = Vec::new();
                for name in list {
                    let j =
                        model
                            .construct_index(name)
                            .ok_or_else(|| Error::NoPredictionTargets {
                                message: format!(
                                    "`{name}` is not a construct of the model (constructs: {})",
                                    cnames.join(", ")
                                ),
                            })?;
                    if !model.is_endogenous(j) {
                        return Err(Error::NoPredictionTargets {
                            message: format!(
                                "`{name}` is exogenous: only indicators of endogenous constructs can be predicted"
                            ),
                        });
                    }
                    if !v.contains(&j) {
                        v.push(j);
                    }
                }
                v.sort_unstable();
                v
            }
        };
        if target_constructs.is_empty() {
            return Err(Error::NoPredictionTargets {
                message: "no endogenous construct among the targets".into(),
            });
        }
        let targets: Vec<usize> = target_constructs
            .iter()
            .flat_map(|&j| layout.block(j))
            .collect();

        let names: Vec<String> = setup.indicator_names.clone();
        let (rows, columns) = listwise_rows(session)?;
        let n = rows.len();
        if self.folds < 2 || self.folds > n {
            return Err(Error::InvalidFolds {
                folds: self.folds,
                n,
            });
        }
        let cols: Vec<Vec<f64>> = columns
            .iter()
            .map(|c| rows.iter().map(|&r| c[r]).collect())
            .collect();
        let col_refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();

        // LM predictors of each target indicator.
        let exo_indicators: Vec<usize> = (0..k)
            .filter(|&j| !model.is_endogenous(j))
            .flat_map(|j| layout.block(j))
            .collect();
        let lm_predictors: Vec<Vec<usize>> = targets
            .iter()
            .map(|&i| match self.approach {
                PredictApproach::EarliestAntecedents => exo_indicators.clone(),
                PredictApproach::DirectAntecedents => layout.pred[layout.block_of[i]]
                    .iter()
                    .flat_map(|&m| layout.block(m))
                    .collect(),
            })
            .collect();
        let order: Vec<usize> = model.topological_order().to_vec();

        let t = targets.len();
        let mut pls_sum = vec![0.0; n * t];
        let mut lm_sum = vec![0.0; n * t];
        let mut naive_sum = vec![0.0; n * t];
        for rep in 0..self.repetitions {
            let fold = fold_assignment(n, self.folds, self.seed, rep as u64);
            for f in 0..self.folds {
                let train: Vec<usize> = (0..n).filter(|&r| fold[r] != f).collect();
                let mom = moments::from_rows(&names, &col_refs, &train);
                let fit = settings.fit_moments(model, &mom)?;
                let means = mom.means().to_vec();
                let sds = mom.std_devs();
                let cov = mom.covariance();
                let scale = fit.unit_weights();
                let b = fit.path_matrix();
                // LM coefficients per target on this training set.
                let mut lm: Vec<(Vec<f64>, f64)> = Vec::with_capacity(t);
                for (x, &i) in targets.iter().enumerate() {
                    let pr = &lm_predictors[x];
                    let q = pr.len();
                    let mut a = vec![0.0; q * q];
                    let mut rhs = vec![0.0; q];
                    for (u, &pu) in pr.iter().enumerate() {
                        rhs[u] = cov[pu * p + i];
                        for (v, &pv) in pr.iter().enumerate() {
                            a[u * q + v] = cov[pu * p + pv];
                        }
                    }
                    let beta = linalg::spd_solve(&a, q, &rhs).ok_or_else(|| {
                        Error::SingularPredictors {
                            construct: format!(
                                "{} (LM benchmark of indicator {})",
                                cnames[layout.block_of[i]], names[i]
                            ),
                        }
                    })?;
                    let intercept = means[i]
                        - pr.iter()
                            .zip(&beta)
                            .map(|(&u, bb)| bb * means[u])
                            .sum::<f64>();
                    lm.push((beta, intercept));
                }
                let mut y = vec![0.0; k];
                let mut yhat = vec![0.0; k];
                for r in (0..n).filter(|&r| fold[r] == f) {
                    for j in 0..k {
                        y[j] = layout
                            .block(j)
                            .map(|i| (cols[i][r] - means[i]) * scale[i])
                            .sum();
                    }
                    for &j in &order {
                        yhat[j] = if !model.is_endogenous(j) {
                            y[j]
                        } else {
                            let src = match self.approach {
                                PredictApproach::EarliestAntecedents => &yhat,
                                PredictApproach::DirectAntecedents => &y,
                            };
                            layout.pred[j].iter().map(|&m| b.at(j, m) * src[m]).sum()
                        };
                    }
                    for (x, &i) in targets.iter().enumerate() {
                        let j = layout.block_of[i];
                        pls_sum[r * t + x] += means[i] + sds[i] * fit.outer[i].loading * yhat[j];
                        let (beta, intercept) = &lm[x];
                        lm_sum[r * t + x] += intercept
                            + lm_predictors[x]
                                .iter()
                                .zip(beta)
                                .map(|(&u, bb)| bb * cols[u][r])
                                .sum::<f64>();
                        naive_sum[r * t + x] += means[i];
                    }
                }
            }
        }
        let reps = self.repetitions as f64;
        for v in pls_sum
            .iter_mut()
            .chain(lm_sum.iter_mut())
            .chain(naive_sum.iter_mut())
        {
            *v /= reps;
        }
        let mut indicators = Vec::with_capacity(t);
        for (x, &i) in targets.iter().enumerate() {
            let (mut se_p, mut ae_p, mut se_l, mut ae_l, mut se_n) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for r in 0..n {
                let obs = cols[i][r];
                let ep = obs - pls_sum[r * t + x];
                let el = obs - lm_sum[r * t + x];
                let en = obs - naive_sum[r * t + x];
                se_p += ep * ep;
                ae_p += ep.abs();
                se_l += el * el;
                ae_l += el.abs();
                se_n += en * en;
            }
            let nf = n as f64;
            indicators.push(PredictIndicator {
                indicator: names[i].clone(),
                construct: cnames[layout.block_of[i]].clone(),
                pls_rmse: (se_p / nf).sqrt(),
                pls_mae: ae_p / nf,
                lm_rmse: (se_l / nf).sqrt(),
                lm_mae: ae_l / nf,
                q2_predict: 1.0 - se_p / se_n,
                lm_q2_predict: 1.0 - se_l / se_n,
            });
        }
        let target_names: Vec<String> = targets.iter().map(|&i| names[i].clone()).collect();
        let row_names: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        Ok(Prediction {
            folds: self.folds,
            seed: self.seed,
            repetitions: self.repetitions,
            approach: self.approach,
            n_observations: n,
            n_dropped: data.n_rows() - n,
            indicators,
            rows,
            pls_predictions: Matrix {
                rows: row_names.clone(),
                cols: target_names.clone(),
                data: pls_sum,
            },
            lm_predictions: Matrix {
                rows: row_names,
                cols: target_names,
                data: lm_sum,
            },
        })
    }
}
