//! Multi-group analysis (MGA) for segments such as ARPU tier, region or
//! gender: the model is fitted per level of a group column, every path,
//! loading and weight difference gets a two-sided permutation test (Chin &
//! Dibbern 2010), and the measurement invariance of the composites is checked
//! with MICOM steps 2 and 3 (Henseler, Ringle & Sarstedt 2016).
//!
//! **Groups.** Levels are the distinct labels of the column among the rows the
//! fit uses (after the missing-data policy), sorted (numerically when every
//! label is a number, else by Unicode code point: the crate's level order,
//! [`crate::group`]). Rows with a missing label are
//! excluded and counted. With more than two levels every pair is tested, and
//! the p-values of each parameter are adjusted over the pairs
//! ([`Correction`], Holm by default).
//!
//! **Permutation test** (Chin & Dibbern 2010). For groups a and b the
//! difference d = θ_a − θ_b of each estimate is compared with its distribution
//! when the group labels of the pooled rows of a and b are permuted:
//! p = (1 + #{|d*| ≥ |d|}) / (1 + B), B the usable permutations. The test is
//! two-sided, so it does not depend on which group comes first; moreover each
//! permutation assigns the first positions of the shuffled pooled rows (in
//! data order before shuffling) to the smaller group, so relabelling the
//! groups leaves every p-value unchanged.
//!
//! **MICOM** (Henseler, Ringle & Sarstedt 2016). Step 1 (configural
//! invariance: same indicators, same treatment, same algorithm) holds by
//! construction. Step 2 (compositional invariance): c = cor(X w_a, X w_b), the
//! correlation on the pooled data (standardized with the pooled moments, as
//! cSEM's `testMICOM` does) between the composites built with each group's
//! weights; invariance is rejected when c falls below the α-quantile of its
//! permutation distribution. Step 3 (equal composite means and variances): the
//! composites built with the pooled fit's weights on the pooled standardized
//! data; the difference of group means and the log ratio of group variances
//! are compared with permutation intervals [q_{α/2}, q_{1−α/2}]. All of it is a
//! function of the group and pooled moments, so a permutation costs two moment
//! passes and two PLS iterations.
//!
//! ```
//! use csikit::{MultiGroup, Pls, SurveySimulator};
//! let data = SurveySimulator::new(300).seed(4).simulate().unwrap();
//! let model = SurveySimulator::model();
//! let mga = MultiGroup::new("plan").permutations(99).seed(1)
//!     .run(&Pls::new(&model), &data).unwrap();
//! assert_eq!(mga.levels, ["bundle", "postpaid", "prepaid"]);
//! assert_eq!(mga.paths.len(), 12 * 3); // every path, every pair of plans
//! ```

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};

use super::core::Core;
use super::estimation::{Session, Setup};
use super::moments::Moments;
use super::resample::{
    self, FailureCounts, FailureKind, KEPT_DRAWS_BUDGET, Progress, ProgressFn, Sampler, Scratch,
    Ticker, par_map, quantile_sorted,
};
use super::{Pls, Scaling};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::model::Mode;

/// Tolerance for ties between permuted and observed statistics.
const TIE: f64 = 1e-12;

/// Multiple-testing correction of the pairwise p-values of each parameter
/// (applied over the pairs of groups; with two groups nothing changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Correction {
    /// No correction.
    None,
    /// Bonferroni: p × number of pairs (capped at 1).
    Bonferroni,
    /// Holm's step-down procedure (Holm 1979): uniformly more powerful than
    /// Bonferroni with the same family-wise error control (default).
    #[default]
    Holm,
}

impl fmt::Display for Correction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Correction::None => "none",
            Correction::Bonferroni => "bonferroni",
            Correction::Holm => "holm",
        })
    }
}

impl std::str::FromStr for Correction {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "none" => Ok(Correction::None),
            "bonferroni" => Ok(Correction::Bonferroni),
            "holm" => Ok(Correction::Holm),
            _ => Err(Error::InvalidSetting {
                name: "correction".into(),
                message: format!("`{s}` is not one of none, bonferroni, holm"),
            }),
        }
    }
}

impl Correction {
    /// Adjusts a family of p-values.
    pub(crate) fn adjust(self, p: &[f64]) -> Vec<f64> {
        let m = p.len() as f64;
        match self {
            Correction::None => p.to_vec(),
            Correction::Bonferroni => p.iter().map(|x| (x * m).min(1.0)).collect(),
            Correction::Holm => {
                let mut order: Vec<usize> = (0..p.len()).collect();
                order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
                let mut out = vec![0.0; p.len()];
                let mut running: f64 = 0.0;
                for (rank, &i) in order.iter().enumerate() {
                    running = running.max(((m - rank as f64) * p[i]).min(1.0));
                    out[i] = running;
                }
                out
            }
        }
    }
}

/// Values per group level, serialized as a JSON object in level order.
#[derive(Debug, Clone, PartialEq)]
pub struct ByLevel<T>(pub Vec<(String, T)>);

impl<T> ByLevel<T> {
    /// The value of a level.
    pub fn get(&self, level: &str) -> Option<&T> {
        self.0.iter().find(|(l, _)| l == level).map(|(_, v)| v)
    }
}

impl<T: Serialize> Serialize for ByLevel<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// The permutation test of one path for one pair of groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathDifference {
    /// Predictor.
    pub from: String,
    /// Dependent.
    pub to: String,
    /// The two groups compared, in level order.
    pub groups: [String; 2],
    /// The estimate in each group.
    pub estimates: ByLevel<f64>,
    /// First group's estimate minus the second's.
    pub difference: f64,
    /// Two-sided permutation p-value.
    pub p_permutation: f64,
    /// The p-value adjusted over the pairs of groups (= `p_permutation` with two groups).
    pub p_adjusted: f64,
}

/// The permutation test of one loading or weight for one pair of groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OuterDifference {
    /// Indicator.
    pub indicator: String,
    /// Its construct.
    pub construct: String,
    /// The two groups compared, in level order.
    pub groups: [String; 2],
    /// The estimate in each group.
    pub estimates: ByLevel<f64>,
    /// First group's estimate minus the second's.
    pub difference: f64,
    /// Two-sided permutation p-value.
    pub p_permutation: f64,
    /// The p-value adjusted over the pairs of groups.
    pub p_adjusted: f64,
}

/// MICOM's verdict for one construct and pair of groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Invariance {
    /// Compositional invariance and equal means and variances: the groups'
    /// data may be pooled.
    Full,
    /// Compositional invariance only: path coefficients may be compared.
    Partial,
    /// Compositional invariance rejected: group comparisons are not meaningful.
    None,
}

/// MICOM steps 2 and 3 for one construct and pair of groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MicomRow {
    /// Construct.
    pub construct: String,
    /// The two groups compared, in level order.
    pub groups: [String; 2],
    /// Step 2: correlation of the composites built with each group's weights (pooled data).
    pub c: f64,
    /// The α-quantile of c under permutation (the critical value).
    pub c_quantile: f64,
    /// One-sided permutation p-value of c: (1 + #{c* ≤ c}) / (1 + B).
    pub c_p: f64,
    /// c is not below its critical value.
    pub compositional_invariance: bool,
    /// Step 3a: first group's composite mean minus the second's (pooled-standardized composite).
    pub mean_difference: f64,
    /// Lower end of the permutation interval of the mean difference.
    pub mean_lower: f64,
    /// Upper end.
    pub mean_upper: f64,
    /// Two-sided permutation p-value of the mean difference.
    pub mean_p: f64,
    /// The mean difference lies within its permutation interval.
    pub equal_means: bool,
    /// Step 3b: ln(variance of the first group's composite / the second's).
    pub log_variance_ratio: f64,
    /// Lower end of the permutation interval of the log variance ratio.
    pub variance_lower: f64,
    /// Upper end.
    pub variance_upper: f64,
    /// Two-sided permutation p-value of the log variance ratio.
    pub variance_p: f64,
    /// The log variance ratio lies within its permutation interval.
    pub equal_variances: bool,
    /// Full, partial or no measurement invariance.
    pub invariance: Invariance,
}

/// The result of a multi-group analysis: the `groups` object of the `pls`
/// example's JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MgaResult {
    /// The group column.
    pub column: String,
    /// Its levels, sorted.
    pub levels: Vec<String>,
    /// Rows per level.
    pub n: ByLevel<usize>,
    /// Rows excluded because their group label is missing.
    pub n_missing_label: usize,
    /// Permutations per pair of groups.
    pub permutations: usize,
    /// The seed.
    pub seed: u64,
    /// The multiple-testing correction of `p_adjusted`.
    pub correction: Correction,
    /// Significance level of the MICOM decisions.
    pub alpha: f64,
    /// Permutations that could not be used (all pairs).
    pub failed_permutations: usize,
    /// The failed permutations by reason.
    pub failed_by: FailureCounts,
    /// Every path for every pair of groups.
    pub paths: Vec<PathDifference>,
    /// Every loading for every pair of groups.
    pub loadings: Vec<OuterDifference>,
    /// Every outer weight for every pair of groups.
    pub weights: Vec<OuterDifference>,
    /// MICOM steps 2–3 for every construct and pair of groups.
    pub micom: Vec<MicomRow>,
}

impl MgaResult {
    /// The test of path `from → to` between groups `a` and `b` (either order).
    pub fn path(&self, from: &str, to: &str, a: &str, b: &str) -> Option<&PathDifference> {
        self.paths.iter().find(|r| {
            r.from == from
                && r.to == to
                && ((r.groups[0] == a && r.groups[1] == b)
                    || (r.groups[0] == b && r.groups[1] == a))
        })
    }

    /// MICOM of a construct between groups `a` and `b` (either order).
    pub fn micom(&self, construct: &str, a: &str, b: &str) -> Option<&MicomRow> {
        self.micom.iter().find(|r| {
            r.construct == construct
                && ((r.groups[0] == a && r.groups[1] == b)
                    || (r.groups[0] == b && r.groups[1] == a))
        })
    }
}

/// Multi-group analysis settings. Defaults: 999 permutations, seed 1, Holm
/// correction over pairs, α = 0.05 for the MICOM decisions, at most half of
/// the permutations may fail, all cores.
#[derive(Clone)]
pub struct MultiGroup {
    column: String,
    permutations: usize,
    memory_budget: u64,
    seed: u64,
    correction: Correction,
    alpha: f64,
    max_failed_share: f64,
    keep_inadmissible: bool,
    threads: Option<usize>,
    progress: Option<ProgressFn>,
}

impl fmt::Debug for MultiGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultiGroup")
            .field("column", &self.column)
            .field("permutations", &self.permutations)
            .field("memory_budget", &self.memory_budget)
            .field("seed", &self.seed)
            .field("correction", &self.correction)
            .field("alpha", &self.alpha)
            .field("max_failed_share", &self.max_failed_share)
            .field("keep_inadmissible", &self.keep_inadmissible)
            .field("threads", &self.threads)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl MultiGroup {
    /// Compare the groups defined by `column` (text or numeric labels).
    pub fn new(column: impl Into<String>) -> Self {
        MultiGroup {
            column: column.into(),
            permutations: 999,
            memory_budget: KEPT_DRAWS_BUDGET,
            seed: 1,
            correction: Correction::Holm,
            alpha: 0.05,
            max_failed_share: 0.5,
            keep_inadmissible: false,
            threads: None,
            progress: None,
        }
    }

    /// The memory the kept permutation draws may take, in bytes (default
    /// [`super::KEPT_DRAWS_BUDGET`], 1 GiB).
    pub fn memory_budget(mut self, bytes: u64) -> Self {
        self.memory_budget = bytes;
        self
    }

    /// Permutations per pair of groups (default 999). At most
    /// [`super::MAX_RESAMPLES`] (10⁸); the draws of every pair are
    /// kept, and a run whose draws would need more than
    /// [`MultiGroup::memory_budget`] (default [`super::KEPT_DRAWS_BUDGET`],
    /// 1 GiB; estimated as permutations × (8 bytes × statistics + 64) ×
    /// pairs) is an [`Error::TooManyResamples`] before the permutations start.
    pub fn permutations(mut self, permutations: usize) -> Self {
        self.permutations = permutations;
        self
    }

    /// The random seed (default 1).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Multiple-testing correction over pairs of groups (default Holm).
    pub fn correction(mut self, correction: Correction) -> Self {
        self.correction = correction;
        self
    }

    /// Significance level of the MICOM decisions, in (0, 1) (default 0.05).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// The largest share of permutations of a pair that may fail (default 0.5).
    pub fn max_failed_share(mut self, share: f64) -> Self {
        self.max_failed_share = share;
        self
    }

    /// Keep permutations whose consistent (PLSc) group fits are inadmissible
    /// (by default they are degenerate, as in the bootstrap).
    pub fn keep_inadmissible(mut self, keep: bool) -> Self {
        self.keep_inadmissible = keep;
        self
    }

    /// Run on a dedicated pool of this many threads (results do not depend on it).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads.max(1));
        self
    }

    /// A progress callback (total = permutations × pairs).
    pub fn progress(mut self, callback: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }

    fn check(&self) -> Result<()> {
        resample::check_count("permutations", self.permutations)?;
        if self.permutations == 0 {
            return Err(Error::InvalidSetting {
                name: "permutations".into(),
                message: "must be at least 1 (999 or more for a test)".into(),
            });
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(Error::InvalidSetting {
                name: "alpha".into(),
                message: format!("{} is not between 0 and 1", self.alpha),
            });
        }
        if !(0.0..=1.0).contains(&self.max_failed_share) {
            return Err(Error::InvalidSetting {
                name: "max_failed_share".into(),
                message: format!("{} is not between 0 and 1", self.max_failed_share),
            });
        }
        Ok(())
    }

    /// Fits the model per group and runs the permutation tests and MICOM.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`]; [`Error::UnknownColumn`] for an unknown group
    /// column; the data errors of [`Pls::fit`]; [`Error::TooFewGroups`] when
    /// fewer than two levels remain; [`Error::GroupTooSmall`];
    /// [`Error::GroupFit`] when the model cannot be fitted in a group;
    /// [`Error::TooManyFailedResamples`] when too many permutations fail.
    pub fn run(&self, pls: &Pls<'_>, data: &Dataset) -> Result<MgaResult> {
        self.check()?;
        Session::with(pls, data, |s| self.run_session(s))
    }

    /// [`MultiGroup::run`] on a prepared estimation.
    pub(crate) fn run_session(&self, session: Session<'_>) -> Result<MgaResult> {
        self.check()?;
        let setup = session.setup;
        setup.settings.check_pearson("the multi-group analysis")?;
        setup.settings.check_rowwise("the multi-group analysis")?;
        let labels = session.data.labels(&self.column)?;
        session.require_rows()?;
        let sampler = session.sampler()?;
        // Groups hold positions among the rows used (see `Rows`), levels in
        // the crate's order (`crate::group`: numerically when every label is
        // a number, else by code point), one hash-map pass.
        let used: Vec<Option<&str>> = (0..setup.n_used())
            .map(|pos| labels[setup.rows.row(pos)].as_deref())
            .collect();
        let grouped = crate::group::group_rows(&used);
        let n_missing_label = grouped.n_missing;
        let groups: Vec<(String, Vec<usize>)> = grouped
            .groups
            .into_iter()
            .map(|g| (g.label, g.rows))
            .collect();
        if groups.len() < 2 {
            return Err(Error::TooFewGroups {
                column: self.column.clone(),
                levels: groups.into_iter().map(|(l, _)| l).collect(),
            });
        }
        let needed = minimum_group_size(setup);
        if let Some((level, rows)) = groups.iter().find(|(_, rows)| rows.len() < needed) {
            return Err(Error::GroupTooSmall {
                column: self.column.clone(),
                level: level.clone(),
                n: rows.len(),
                min: needed,
            });
        }
        let group_error = |level: &str, source: Error| Error::GroupFit {
            column: self.column.clone(),
            level: level.to_string(),
            source: Box::new(source),
        };
        let groups: Vec<Group> = groups
            .into_iter()
            .map(|(level, rows)| {
                let moments = moments_at(sampler, &rows);
                let fit = session
                    .estimate(&moments, setup.settings.allow_nonconvergence)
                    .map_err(|e| group_error(&level, e))?
                    .1;
                Ok(Group {
                    level,
                    rows,
                    moments,
                    fit,
                })
            })
            .collect::<Result<_>>()?;

        let pairs: Vec<(usize, usize)> = (0..groups.len())
            .flat_map(|a| (a + 1..groups.len()).map(move |b| (a, b)))
            .collect();
        let ticker = Ticker::new(self.progress.as_ref(), self.permutations * pairs.len());
        let mut tests = Vec::with_capacity(pairs.len());
        let mut failed_by = FailureCounts::default();
        for (pair_index, &(a, b)) in pairs.iter().enumerate() {
            let test = self.test_pair(
                session,
                sampler,
                [&groups[a], &groups[b]],
                (pair_index, pairs.len()),
                &ticker,
            )?;
            let failed = test.failed_by.total();
            if failed as f64 > self.max_failed_share * self.permutations as f64 {
                return Err(Error::TooManyFailedResamples {
                    what: format!(
                        "permutations of `{}` vs `{}`",
                        groups[a].level, groups[b].level
                    ),
                    failed,
                    attempted: self.permutations,
                    max_share: self.max_failed_share,
                    reasons: test.failed_by.to_string(),
                });
            }
            failed_by += test.failed_by;
            tests.push(test);
        }
        Ok(self.assemble(setup, &groups, &pairs, tests, n_missing_label, failed_by))
    }

    /// Observed statistics and their permutation distribution for one pair.
    fn test_pair(
        &self,
        session: Session<'_>,
        sampler: Sampler<'_>,
        [ga, gb]: [&Group; 2],
        (pair_index, n_pairs): (usize, usize),
        ticker: &Ticker<'_>,
    ) -> Result<PairTest> {
        let setup = session.setup;
        let settings = &setup.settings;
        let mut pooled_rows: Vec<usize> = ga.rows.iter().chain(&gb.rows).copied().collect();
        pooled_rows.sort_unstable();
        let pooled_moments = moments_at(sampler, &pooled_rows);
        let (pooled_s, pooled_fit) = session
            .estimate(&pooled_moments, settings.allow_nonconvergence)
            .map_err(|e| Error::GroupFit {
                column: self.column.clone(),
                level: format!("{} and {} pooled", ga.level, gb.level),
                source: Box::new(e),
            })?;
        let pooled = Pooled::new(
            setup,
            &pooled_moments,
            pooled_s,
            &pooled_fit.w,
            settings.scaling,
        );
        let observed = pooled.statistics(setup, [&ga.fit, &gb.fit], [&ga.moments, &gb.moments]);
        // Every pair keeps its permutation draws until the end.
        let bytes = resample::kept_draws_bytes(self.permutations, observed.len())
            .saturating_mul(n_pairs as u64);
        if bytes > self.memory_budget {
            return Err(Error::TooManyResamples {
                what: "permutations".into(),
                count: self.permutations,
                reason: format!(
                    "the permutation test keeps every draw, and {} permutations × {} statistics × {n_pairs} pair(s) of groups need about {}, over the {} memory budget; use fewer permutations (999 to 4999 are usual), or raise the budget (MultiGroup::memory_budget)",
                    self.permutations,
                    observed.len(),
                    resample::human_bytes(bytes),
                    resample::human_bytes(self.memory_budget)
                ),
            });
        }
        let (n_a, n_b) = (ga.rows.len(), gb.rows.len());
        let base = resample::base_rng(self.seed);
        let permuted = par_map(
            self.permutations,
            self.threads,
            || {
                (
                    pooled_rows.clone(),
                    Scratch::default(),
                    Moments::default(),
                    Moments::default(),
                )
            },
            |(perm, scratch, ma, mb), i| {
                perm.copy_from_slice(&pooled_rows);
                let stream = ((pair_index as u64) << 40) | i as u64;
                resample::shuffle(&mut resample::stream_rng(&base, stream), perm);
                // The smaller group takes the first positions (ties: the first level).
                let (rows_a, rows_b) = if n_a <= n_b {
                    (&perm[..n_a], &perm[n_a..])
                } else {
                    (&perm[n_b..], &perm[..n_b])
                };
                sampler.moments_at(rows_a, scratch, ma);
                sampler.moments_at(rows_b, scratch, mb);
                let out = (|| {
                    let (_, fa) = session
                        .estimate(ma, false)
                        .map_err(|e| FailureKind::of(&e))?;
                    let (_, fb) = session
                        .estimate(mb, false)
                        .map_err(|e| FailureKind::of(&e))?;
                    if !(self.keep_inadmissible || (fa.admissible() && fb.admissible())) {
                        return Err(FailureKind::Inadmissible);
                    }
                    let v = pooled.statistics(setup, [&fa, &fb], [ma, mb]);
                    if v.iter().all(|x| x.is_finite()) {
                        Ok(v)
                    } else {
                        Err(FailureKind::NonFinite)
                    }
                })();
                ticker.tick();
                out
            },
        );
        let mut failed_by = FailureCounts::default();
        let mut draws = Vec::with_capacity(permuted.len());
        for r in permuted {
            match r {
                Ok(v) => draws.push(v),
                Err(kind) => failed_by.add(kind),
            }
        }
        Ok(PairTest {
            observed,
            draws,
            failed_by,
        })
    }

    fn assemble(
        &self,
        setup: &Setup,
        groups: &[Group],
        pairs: &[(usize, usize)],
        tests: Vec<PairTest>,
        n_missing_label: usize,
        failed_by: FailureCounts,
    ) -> MgaResult {
        let layout = &setup.layout;
        let (p, k) = (layout.p, layout.k);
        let cname = |j: usize| setup.construct_names[j].clone();
        let paths: Vec<(usize, usize)> = (0..k)
            .flat_map(|j| layout.pred[j].iter().map(move |&f| (f, j)))
            .collect();
        let np = paths.len();
        // Permutation p-values of every difference, per pair.
        let p_diff: Vec<Vec<f64>> = tests
            .iter()
            .map(|t| {
                (0..np + 2 * p)
                    .map(|x| two_sided_p(t.observed[x], t.draws.iter().map(|d| d[x])))
                    .collect()
            })
            .collect();
        // Adjusted over pairs, per parameter.
        let mut p_adj = vec![vec![0.0; np + 2 * p]; tests.len()];
        for x in 0..np + 2 * p {
            let family: Vec<f64> = p_diff.iter().map(|v| v[x]).collect();
            for (t, adj) in self.correction.adjust(&family).into_iter().enumerate() {
                p_adj[t][x] = adj;
            }
        }
        let pair_names = |t: usize| {
            [
                groups[pairs[t].0].level.clone(),
                groups[pairs[t].1].level.clone(),
            ]
        };
        let estimates = |t: usize, value: &dyn Fn(&Core) -> f64| {
            let (a, b) = pairs[t];
            ByLevel(vec![
                (groups[a].level.clone(), value(&groups[a].fit)),
                (groups[b].level.clone(), value(&groups[b].fit)),
            ])
        };
        let mut path_rows = Vec::new();
        for (x, &(f, to)) in paths.iter().enumerate() {
            for t in 0..tests.len() {
                path_rows.push(PathDifference {
                    from: cname(f),
                    to: cname(to),
                    groups: pair_names(t),
                    estimates: estimates(t, &|c: &Core| c.b[to * k + f]),
                    difference: tests[t].observed[x],
                    p_permutation: p_diff[t][x],
                    p_adjusted: p_adj[t][x],
                });
            }
        }
        let outer_rows = |offset: usize, value: &dyn Fn(&Core, usize) -> f64| {
            let mut rows = Vec::new();
            for i in 0..p {
                for t in 0..tests.len() {
                    rows.push(OuterDifference {
                        indicator: setup.indicator_names[i].clone(),
                        construct: cname(layout.block_of[i]),
                        groups: pair_names(t),
                        estimates: estimates(t, &|c: &Core| value(c, i)),
                        difference: tests[t].observed[offset + i],
                        p_permutation: p_diff[t][offset + i],
                        p_adjusted: p_adj[t][offset + i],
                    });
                }
            }
            rows
        };
        let loadings = outer_rows(np, &|c, i| c.loadings[i]);
        let weights = outer_rows(np + p, &|c, i| c.w[i]);
        let mut micom = Vec::new();
        for j in 0..k {
            for (t, test) in tests.iter().enumerate() {
                micom.push(self.micom_row(test, np + 2 * p, j, k, cname(j), pair_names(t)));
            }
        }
        MgaResult {
            column: self.column.clone(),
            levels: groups.iter().map(|g| g.level.clone()).collect(),
            n: ByLevel(
                groups
                    .iter()
                    .map(|g| (g.level.clone(), g.rows.len()))
                    .collect(),
            ),
            n_missing_label,
            permutations: self.permutations,
            seed: self.seed,
            correction: self.correction,
            alpha: self.alpha,
            failed_permutations: failed_by.total(),
            failed_by,
            paths: path_rows,
            loadings,
            weights,
            micom,
        }
    }

    fn micom_row(
        &self,
        test: &PairTest,
        offset: usize,
        j: usize,
        k: usize,
        construct: String,
        groups: [String; 2],
    ) -> MicomRow {
        let column = |x: usize| -> Vec<f64> {
            let mut v: Vec<f64> = test.draws.iter().map(|d| d[x]).collect();
            v.sort_unstable_by(f64::total_cmp);
            v
        };
        let alpha = self.alpha;
        let (xc, xm, xv) = (offset + j, offset + k + j, offset + 2 * k + j);
        let c = test.observed[xc];
        let cs = column(xc);
        let c_quantile = quantile_sorted(&cs, alpha);
        let below = cs.iter().filter(|&&x| x <= c + TIE).count();
        let c_p = (1 + below) as f64 / (1 + cs.len()) as f64;
        let compositional_invariance = !(c < c_quantile - TIE);
        let interval = |x: usize| {
            let v = column(x);
            let obs = test.observed[x];
            let lo = quantile_sorted(&v, alpha / 2.0);
            let hi = quantile_sorted(&v, 1.0 - alpha / 2.0);
            let p = two_sided_p(obs, v.iter().copied());
            (obs, lo, hi, p, obs >= lo - TIE && obs <= hi + TIE)
        };
        let (mean_difference, mean_lower, mean_upper, mean_p, equal_means) = interval(xm);
        let (log_variance_ratio, variance_lower, variance_upper, variance_p, equal_variances) =
            interval(xv);
        let invariance = if !compositional_invariance {
            Invariance::None
        } else if equal_means && equal_variances {
            Invariance::Full
        } else {
            Invariance::Partial
        };
        MicomRow {
            construct,
            groups,
            c,
            c_quantile,
            c_p,
            compositional_invariance,
            mean_difference,
            mean_lower,
            mean_upper,
            mean_p,
            equal_means,
            log_variance_ratio,
            variance_lower,
            variance_upper,
            variance_p,
            equal_variances,
            invariance,
        }
    }
}

/// Moments of the rows at some positions.
fn moments_at(sampler: Sampler<'_>, positions: &[usize]) -> Moments {
    let mut m = Moments::default();
    sampler.moments_at(positions, &mut Scratch::default(), &mut m);
    m
}

/// Two-sided permutation p-value (1 + #{|d*| ≥ |d|}) / (1 + B).
fn two_sided_p(observed: f64, draws: impl Iterator<Item = f64>) -> f64 {
    let threshold = observed.abs() - TIE;
    let (mut extreme, mut b) = (0usize, 0usize);
    for d in draws {
        b += 1;
        if d.abs() >= threshold {
            extreme += 1;
        }
    }
    (1 + extreme) as f64 / (1 + b) as f64
}

/// The fewest rows a group needs: 3 for any fit, q + 2 for a construct with q
/// predecessors (residual degrees of freedom), q + 1 for a Mode B block of q
/// indicators (a nonsingular block correlation matrix).
fn minimum_group_size(setup: &Setup) -> usize {
    let layout = &setup.layout;
    let by_pred = layout.pred.iter().map(|p| p.len() + 2).max().unwrap_or(0);
    let by_block = (0..layout.k)
        .filter(|&j| layout.mode[j] == Mode::B)
        .map(|j| layout.block(j).len() + 1)
        .max()
        .unwrap_or(0);
    3.max(by_pred).max(by_block)
}

/// One level of the group column: its rows (positions among the rows used),
/// their moments and the model fitted to them.
struct Group {
    level: String,
    rows: Vec<usize>,
    moments: Moments,
    fit: Core,
}

/// The observed statistics and the usable permutation draws of one pair.
struct PairTest {
    /// [path diffs][loading diffs][weight diffs][c (k)][mean diffs (k)][log variance ratios (k)].
    observed: Vec<f64>,
    draws: Vec<Vec<f64>>,
    failed_by: FailureCounts,
}

/// The pooled quantities MICOM needs for one pair of groups.
struct Pooled {
    /// Pooled indicator matrix S (correlations, or covariances when centred).
    s: Vec<f64>,
    /// Pooled means and the scale of each indicator (SD, or 1 when centred).
    means: Vec<f64>,
    scale: Vec<f64>,
    /// The pooled fit's outer weights.
    w: Vec<f64>,
}

impl Pooled {
    fn new(setup: &Setup, m: &Moments, s: Vec<f64>, w: &[f64], scaling: Scaling) -> Self {
        let scale = match scaling {
            Scaling::Standardized => m.std_devs(),
            Scaling::Centered => vec![1.0; setup.layout.p],
        };
        Pooled {
            s,
            means: m.means().to_vec(),
            scale,
            w: w.to_vec(),
        }
    }

    /// [path diffs][loading diffs][weight diffs][c][mean diffs][log variance ratios].
    fn statistics(&self, setup: &Setup, fits: [&Core; 2], moments: [&Moments; 2]) -> Vec<f64> {
        let layout = &setup.layout;
        let (p, k) = (layout.p, layout.k);
        let [a, b] = fits;
        let mut out = Vec::new();
        for j in 0..k {
            for &f in &layout.pred[j] {
                out.push(a.b[j * k + f] - b.b[j * k + f]);
            }
        }
        out.extend((0..p).map(|i| a.loadings[i] - b.loadings[i]));
        out.extend((0..p).map(|i| a.w[i] - b.w[i]));
        // Step 2: c per construct on the pooled S.
        let quad = |x: &[f64], y: &[f64], j: usize| -> f64 {
            let r = layout.block(j);
            r.clone()
                .map(|i| x[i] * r.clone().map(|l| self.s[i * p + l] * y[l]).sum::<f64>())
                .sum()
        };
        for j in 0..k {
            // Symmetrized so that swapping the groups gives the same bits.
            let ab = 0.5 * (quad(&a.w, &b.w, j) + quad(&b.w, &a.w, j));
            out.push(ab / (quad(&a.w, &a.w, j) * quad(&b.w, &b.w, j)).sqrt());
        }
        // Step 3: means and variances of the pooled composite in each group.
        let mean_var = |m: &Moments| -> Vec<(f64, f64)> {
            let (gm, cov) = (m.means(), m.covariance());
            (0..k)
                .map(|j| {
                    let r = layout.block(j);
                    let mean = r
                        .clone()
                        .map(|i| self.w[i] * (gm[i] - self.means[i]) / self.scale[i])
                        .sum::<f64>();
                    let var = r
                        .clone()
                        .map(|i| {
                            r.clone()
                                .map(|l| {
                                    self.w[i] * self.w[l] * cov[i * p + l]
                                        / (self.scale[i] * self.scale[l])
                                })
                                .sum::<f64>()
                        })
                        .sum::<f64>();
                    (mean, var)
                })
                .collect()
        };
        let stats: Vec<((f64, f64), (f64, f64))> = mean_var(moments[0])
            .into_iter()
            .zip(mean_var(moments[1]))
            .collect();
        out.extend(stats.iter().map(|((m1, _), (m2, _))| m1 - m2));
        out.extend(stats.iter().map(|((_, v1), (_, v2))| v1.ln() - v2.ln()));
        out
    }
}

fn fmt_p(p: f64) -> String {
    if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

impl fmt::Display for MgaResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sizes: Vec<String> = self.n.0.iter().map(|(l, n)| format!("{l} {n}")).collect();
        writeln!(
            f,
            "Multi-group analysis by `{}`: {} ({} rows without a label excluded)",
            self.column,
            sizes.join(", "),
            self.n_missing_label
        )?;
        writeln!(
            f,
            "  {} permutations per pair (seed {}), {} failed; two-sided permutation test (Chin & Dibbern 2010); p adjusted over pairs: {}",
            self.permutations, self.seed, self.failed_permutations, self.correction
        )?;
        writeln!(f, "\nPath differences")?;
        writeln!(
            f,
            "  {:<14} {:<14} {:<22} {:>9} {:>9} {:>9} {:>8} {:>8}",
            "from", "to", "groups (a vs b)", "a", "b", "a − b", "p", "p adj."
        )?;
        for r in &self.paths {
            let stars = if r.p_adjusted < 0.001 {
                "***"
            } else if r.p_adjusted < 0.01 {
                "**"
            } else if r.p_adjusted < 0.05 {
                "*"
            } else {
                ""
            };
            writeln!(
                f,
                "  {:<14} {:<14} {:<22} {:>9.4} {:>9.4} {:>9.4} {:>8} {:>8} {stars}",
                r.from,
                r.to,
                format!("{} vs {}", r.groups[0], r.groups[1]),
                r.estimates.0[0].1,
                r.estimates.0[1].1,
                r.difference,
                fmt_p(r.p_permutation),
                fmt_p(r.p_adjusted)
            )?;
        }
        let differing: Vec<&OuterDifference> = self
            .loadings
            .iter()
            .filter(|r| r.p_adjusted < self.alpha)
            .collect();
        if differing.is_empty() {
            writeln!(
                f,
                "\nNo loading differs between groups at α = {}.",
                self.alpha
            )?;
        } else {
            writeln!(f, "\nLoadings that differ at α = {}", self.alpha)?;
            for r in differing {
                writeln!(
                    f,
                    "  {:<14} {:<14} {:<22} {:>9.4} {:>9.4} {:>9.4} {:>8} {:>8}",
                    r.indicator,
                    r.construct,
                    format!("{} vs {}", r.groups[0], r.groups[1]),
                    r.estimates.0[0].1,
                    r.estimates.0[1].1,
                    r.difference,
                    fmt_p(r.p_permutation),
                    fmt_p(r.p_adjusted)
                )?;
            }
        }
        writeln!(
            f,
            "\nMICOM (Henseler, Ringle & Sarstedt 2016), α = {}: step 2 c vs its {:.0}% quantile; step 3 mean difference and log variance ratio vs their permutation intervals",
            self.alpha,
            self.alpha * 100.0
        )?;
        writeln!(
            f,
            "  {:<14} {:<22} {:>7} {:>7} {:>8} {:>19} {:>8} {:>19} {:>10}",
            "construct",
            "groups",
            "c",
            "q",
            "mean Δ",
            "interval",
            "ln var",
            "interval",
            "invariance"
        )?;
        for r in &self.micom {
            writeln!(
                f,
                "  {:<14} {:<22} {:>7.4} {:>7.4} {:>8.4} [{:>7.4}, {:>7.4}] {:>8.4} [{:>7.4}, {:>7.4}] {:>10}",
                r.construct,
                format!("{} vs {}", r.groups[0], r.groups[1]),
                r.c,
                r.c_quantile,
                r.mean_difference,
                r.mean_lower,
                r.mean_upper,
                r.log_variance_ratio,
                r.variance_lower,
                r.variance_upper,
                match r.invariance {
                    Invariance::Full => "full",
                    Invariance::Partial => "partial",
                    Invariance::None => "none",
                }
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holm_and_bonferroni() {
        let p = [0.01, 0.04, 0.03];
        assert_eq!(Correction::None.adjust(&p), p.to_vec());
        let b = Correction::Bonferroni.adjust(&p);
        assert!((b[0] - 0.03).abs() < 1e-15 && (b[1] - 0.12).abs() < 1e-15);
        // Holm: sorted 0.01, 0.03, 0.04 → 0.03, 0.06, max(0.06, 0.04) = 0.06.
        let h = Correction::Holm.adjust(&p);
        assert!((h[0] - 0.03).abs() < 1e-15);
        assert!((h[2] - 0.06).abs() < 1e-15);
        assert!((h[1] - 0.06).abs() < 1e-15);
    }

    #[test]
    fn levels_sort_numerically_when_numeric() {
        let groups = |v: &[&str]| {
            let labels: Vec<Option<&str>> = v.iter().map(|s| Some(*s)).collect();
            crate::group::group_rows(&labels)
                .groups
                .into_iter()
                .map(|g| g.label)
                .collect::<Vec<_>>()
        };
        assert_eq!(groups(&["10", "2", "1"]), ["1", "2", "10"]);
        assert_eq!(groups(&["b", "10", "a"]), ["10", "a", "b"]);
    }

    #[test]
    fn permutation_p_counts_ties() {
        assert_eq!(
            two_sided_p(0.5, [0.1, -0.6, 0.5, 0.2].into_iter()),
            3.0 / 5.0
        );
        assert_eq!(two_sided_p(0.0, [0.0, 0.0].into_iter()), 1.0);
    }
}
