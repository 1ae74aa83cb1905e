//! Machinery shared by the bootstrap and the permutation tests: the rows a fit
//! used, weighted moments of a resample, seeded random streams, an
//! order-preserving parallel map, quantiles and the classes of degenerate
//! resamples.
//!
//! **Reproducibility.** Resample (or permutation) `i` draws from its own
//! ChaCha8 stream: the generator seeded with `seed` (`seed_from_u64`) and
//! switched to stream `i` (`set_stream`). Results are collected by index and
//! every summary is computed sequentially in index order, so the output is
//! bit-identical whatever the number of threads, with or without the
//! `parallel` feature.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::moments::{Moments, Standardized};
use crate::error::Error;

/// Progress of a long resampling run, passed to a progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Resamples (or permutations) finished so far.
    pub done: usize,
    /// Resamples (or permutations) in the run.
    pub total: usize,
}

/// A progress callback: called from worker threads, at most about 200 times
/// per run and always once with `done == total`. Calls from different threads
/// may arrive out of order; results do not depend on the callback.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Counts finished items and calls the progress callback now and then.
pub(crate) struct Ticker<'a> {
    callback: Option<&'a ProgressFn>,
    done: AtomicUsize,
    total: usize,
    step: usize,
}

impl<'a> Ticker<'a> {
    pub(crate) fn new(callback: Option<&'a ProgressFn>, total: usize) -> Self {
        Ticker {
            callback,
            done: AtomicUsize::new(0),
            total,
            step: (total / 200).max(1),
        }
    }

    pub(crate) fn tick(&self) {
        if let Some(cb) = self.callback {
            let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
            if done.is_multiple_of(self.step) || done == self.total {
                cb(Progress {
                    done,
                    total: self.total,
                });
            }
        }
    }
}

/// The largest number of bootstrap resamples or permutations a run accepts
/// (10⁸): more is never needed for intervals or p-values and would run for days.
pub const MAX_RESAMPLES: usize = 100_000_000;

/// The memory budget for kept draws (1 GiB): a bootstrap whose kept
/// re-estimates would need more streams instead ([`crate::Bootstrap::keep_draws`]),
/// and a permutation test that would need more is refused.
pub const KEPT_DRAWS_BUDGET: u64 = 1 << 30;

/// Bytes of bookkeeping per kept draw vector (the vector and its result
/// slot) on top of 8 bytes per statistic.
pub(crate) const DRAW_OVERHEAD: u64 = 64;

/// The estimated memory of `count` kept draws of `statistics` values each:
/// count × (8 × statistics + [`DRAW_OVERHEAD`]) bytes.
pub(crate) fn kept_draws_bytes(count: usize, statistics: usize) -> u64 {
    (count as u64).saturating_mul((statistics as u64).saturating_mul(8) + DRAW_OVERHEAD)
}

/// Refuses a count above [`MAX_RESAMPLES`] before anything is allocated.
pub(crate) fn check_count(what: &str, count: usize) -> Result<(), Error> {
    if count > MAX_RESAMPLES {
        return Err(Error::TooManyResamples {
            what: what.into(),
            count,
            reason: format!(
                "the limit is {MAX_RESAMPLES} (keeping their results would need about {} even at one statistic each, and streaming them would run for days); 1000 to 10000 are usual",
                human_bytes(kept_draws_bytes(count, 1))
            ),
        });
    }
    Ok(())
}

/// `1.5 GiB`, `320.0 MiB`, `12 KiB`, `100 bytes`.
pub(crate) fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if b < 1024 {
        return format!("{b} bytes");
    }
    let mut x = b as f64 / 1024.0;
    let mut unit = 0;
    while x >= 1024.0 && unit + 1 < UNITS.len() {
        x /= 1024.0;
        unit += 1;
    }
    format!("{x:.1} {}", UNITS[unit])
}

/// Maps `f` over `0..n` (in parallel with the `parallel` feature), giving each
/// worker a workspace from `init`; the results are in index order. With
/// `threads`, runs in a dedicated pool of that many threads.
pub(crate) fn par_map<T, W, I, F>(n: usize, threads: Option<usize>, init: I, f: F) -> Vec<T>
where
    T: Send,
    I: Fn() -> W + Sync + Send,
    F: Fn(&mut W, usize) -> T + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let run = || {
            (0..n)
                .into_par_iter()
                .map_init(&init, |w, i| f(w, i))
                .collect::<Vec<T>>()
        };
        match threads {
            Some(t) => match rayon::ThreadPoolBuilder::new().num_threads(t).build() {
                Ok(pool) => pool.install(run),
                Err(_) => run(),
            },
            None => run(),
        }
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = threads;
        let mut w = init();
        (0..n).map(|i| f(&mut w, i)).collect()
    }
}

/// The generator for item `stream` of a run seeded with `seed`: a copy of
/// `base` (= `ChaCha8Rng::seed_from_u64(seed)`) switched to that stream.
pub(crate) fn stream_rng(base: &ChaCha8Rng, stream: u64) -> ChaCha8Rng {
    let mut rng = base.clone();
    rng.set_stream(stream);
    rng
}

/// The base generator of a run.
pub(crate) fn base_rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// A uniform index in `0..n`, drawn the same way on every platform.
#[inline]
pub(crate) fn uniform_index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    rng.random_range(0..n as u64) as usize
}

/// Fisher–Yates shuffle (Knuth 1997, Algorithm P), platform-independent.
pub(crate) fn shuffle(rng: &mut ChaCha8Rng, v: &mut [usize]) {
    for i in (1..v.len()).rev() {
        let j = uniform_index(rng, i + 1);
        v.swap(i, j);
    }
}

/// Sample quantile of sorted values, R's default type 7 (Hyndman & Fan 1996):
/// linear interpolation between order statistics at h = (n − 1)·prob.
pub(crate) fn quantile_sorted(sorted: &[f64], prob: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * prob.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Why a resample (or a permuted group fit) could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureKind {
    ConstantIndicator,
    SingularBlock,
    SingularPredictors,
    DegenerateConstruct,
    NotConverged,
    Inadmissible,
    NonFinite,
    Statistic,
}

impl FailureKind {
    pub(crate) fn of(e: &Error) -> Self {
        match e {
            Error::ConstantColumn { .. } => FailureKind::ConstantIndicator,
            Error::SingularBlock { .. } => FailureKind::SingularBlock,
            Error::SingularPredictors { .. } => FailureKind::SingularPredictors,
            Error::DegenerateConstruct { .. } => FailureKind::DegenerateConstruct,
            Error::NotConverged { .. } => FailureKind::NotConverged,
            Error::PlscReliability { .. } => FailureKind::Inadmissible,
            _ => FailureKind::Statistic,
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            FailureKind::ConstantIndicator => "an indicator has zero variance in the resample",
            FailureKind::SingularBlock => "a Mode B block is singular in the resample",
            FailureKind::SingularPredictors => {
                "an endogenous construct's predecessors are collinear in the resample"
            }
            FailureKind::DegenerateConstruct => "a construct proxy has zero variance",
            FailureKind::NotConverged => "the PLS iteration did not converge",
            FailureKind::Inadmissible => "the consistent (PLSc) solution is inadmissible",
            FailureKind::NonFinite => "an estimate is not finite",
            FailureKind::Statistic => "the statistic returned an error",
        }
    }
}

/// Degenerate resamples (or permutations) by class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FailureCounts {
    /// An indicator has zero variance in the resample (e.g. a rare answer not drawn).
    pub constant_indicator: usize,
    /// A Mode B block's indicators are collinear in the resample.
    pub singular_block: usize,
    /// The predecessors of an endogenous construct are collinear in the resample.
    pub singular_predictors: usize,
    /// A construct proxy has zero variance.
    pub degenerate_construct: usize,
    /// The PLS iteration hit its limit.
    pub not_converged: usize,
    /// The PLSc solution is inadmissible (a reliability, loading or construct
    /// correlation out of range, or a reliability that is not positive).
    pub inadmissible: usize,
    /// An estimate is infinite or NaN.
    pub non_finite: usize,
    /// A user statistic returned an error.
    pub statistic: usize,
}

impl FailureCounts {
    pub(crate) fn add(&mut self, kind: FailureKind) {
        *match kind {
            FailureKind::ConstantIndicator => &mut self.constant_indicator,
            FailureKind::SingularBlock => &mut self.singular_block,
            FailureKind::SingularPredictors => &mut self.singular_predictors,
            FailureKind::DegenerateConstruct => &mut self.degenerate_construct,
            FailureKind::NotConverged => &mut self.not_converged,
            FailureKind::Inadmissible => &mut self.inadmissible,
            FailureKind::NonFinite => &mut self.non_finite,
            FailureKind::Statistic => &mut self.statistic,
        } += 1;
    }

    /// All failures.
    pub fn total(&self) -> usize {
        self.constant_indicator
            + self.singular_block
            + self.singular_predictors
            + self.degenerate_construct
            + self.not_converged
            + self.inadmissible
            + self.non_finite
            + self.statistic
    }
}

impl std::ops::AddAssign for FailureCounts {
    fn add_assign(&mut self, more: FailureCounts) {
        self.constant_indicator += more.constant_indicator;
        self.singular_block += more.singular_block;
        self.singular_predictors += more.singular_predictors;
        self.degenerate_construct += more.degenerate_construct;
        self.not_converged += more.not_converged;
        self.inadmissible += more.inadmissible;
        self.non_finite += more.non_finite;
        self.statistic += more.statistic;
    }
}

impl std::fmt::Display for FailureCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = [
            ("constant indicator", self.constant_indicator),
            ("singular Mode B block", self.singular_block),
            ("collinear predictors", self.singular_predictors),
            ("degenerate construct", self.degenerate_construct),
            ("not converged", self.not_converged),
            ("inadmissible PLSc solution", self.inadmissible),
            ("non-finite estimate", self.non_finite),
            ("statistic error", self.statistic),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// The rows a fit used (after listwise deletion), with their case weights and
/// the imputation means (mean replacement is done once, before resampling, as
/// SmartPLS does). Rows are addressed by *position*: the index among the rows
/// used. Owns no data: the standardized copy the resampling works on
/// ([`Sampler`]) is made once, on first use, from the data the rows were
/// prepared on.
pub(crate) struct Rows {
    /// Data rows used, in data order; `None` = every row.
    pub selected: Option<Vec<usize>>,
    /// Number of rows used.
    n_used: usize,
    /// Column means for mean replacement.
    pub impute: Option<Vec<f64>>,
    /// Case weight by position (`None` without case weights).
    case: Option<Vec<f64>>,
    /// The standardized rows, made on first use.
    z: OnceLock<Standardized>,
    /// Moment passes over resamples (tests count them).
    #[cfg(test)]
    pub passes: AtomicUsize,
}

/// Scratch space for [`Sampler`] moments, one per worker.
#[derive(Default)]
pub(crate) struct Scratch {
    idx: Vec<usize>,
    w: Vec<f64>,
    buf: Vec<f64>,
}

impl Rows {
    /// The rows a `Prepared` selected (`rows`, `None` = all `n_rows`), its
    /// imputation means and its case-weight column (indexed by data row).
    pub(crate) fn new(
        rows: Option<Vec<usize>>,
        impute: Option<Vec<f64>>,
        weights: Option<&[f64]>,
        n_rows: usize,
    ) -> Self {
        let n_used = rows.as_ref().map_or(n_rows, Vec::len);
        let case = weights.map(|w| match &rows {
            Some(rows) => rows.iter().map(|&r| w[r]).collect(),
            None => w.to_vec(),
        });
        Rows {
            selected: rows,
            n_used,
            impute,
            case,
            z: OnceLock::new(),
            #[cfg(test)]
            passes: AtomicUsize::new(0),
        }
    }

    /// Number of rows used.
    pub(crate) fn len(&self) -> usize {
        self.n_used
    }

    /// The data row at a position.
    #[inline]
    pub(crate) fn row(&self, pos: usize) -> usize {
        self.selected.as_ref().map_or(pos, |r| r[pos])
    }

    /// Case weight at a position (1 without case weights).
    #[inline]
    pub(crate) fn case_weight(&self, pos: usize) -> f64 {
        self.case.as_ref().map_or(1.0, |c| c[pos])
    }

    /// The sampler over these rows: `columns` are the indicator columns of
    /// the data the rows were prepared on and `full` their moments (used the
    /// first time only, to standardize).
    pub(crate) fn sampler(&self, columns: &[&[f64]], full: &Moments) -> Sampler<'_> {
        let z = self.z.get_or_init(|| {
            Standardized::new(
                columns,
                self.selected.as_deref(),
                self.impute.as_deref(),
                full,
            )
        });
        Sampler { rows: self, z }
    }

    /// Whether the standardized copy has been made.
    #[cfg(test)]
    pub(crate) fn has_sampler(&self) -> bool {
        self.z.get().is_some()
    }

    /// The (imputed) indicator values of the row at a position; `columns`
    /// are the indicator columns of the data.
    pub(crate) fn values(&self, columns: &[&[f64]], pos: usize, out: &mut [f64]) {
        let row = self.row(pos);
        for (j, (col, o)) in columns.iter().zip(out.iter_mut()).enumerate() {
            let x = col[row];
            *o = if x.is_nan() {
                self.impute.as_ref().map_or(f64::NAN, |m| m[j])
            } else {
                x
            };
        }
    }
}

/// Fast moments of weighted subsets of the rows used: a view of [`Rows`]
/// with their standardized copy.
#[derive(Clone, Copy)]
pub(crate) struct Sampler<'a> {
    rows: &'a Rows,
    z: &'a Standardized,
}

impl Sampler<'_> {
    /// Number of rows used.
    pub(crate) fn len(&self) -> usize {
        self.z.len()
    }

    /// Case weight at a position (1 without case weights).
    #[inline]
    pub(crate) fn case_weight(&self, pos: usize) -> f64 {
        self.rows.case_weight(pos)
    }

    /// Moments of a bootstrap resample: `counts[pos]` = how often the row at
    /// `pos` was drawn; a drawn row weighs count × case weight.
    pub(crate) fn resample_moments(&self, counts: &[u32], ws: &mut Scratch, out: &mut Moments) {
        #[cfg(test)]
        self.rows.passes.fetch_add(1, Ordering::Relaxed);
        ws.idx.clear();
        ws.w.clear();
        for (pos, &c) in counts.iter().enumerate() {
            let w = f64::from(c) * self.case_weight(pos);
            if w > 0.0 {
                ws.idx.push(pos);
                ws.w.push(w);
            }
        }
        self.z
            .moments(&ws.idx, &ws.w, self.len() as u64, &mut ws.buf, out);
    }

    /// Moments of the rows at `positions` (distinct), with their case weights.
    pub(crate) fn moments_at(&self, positions: &[usize], ws: &mut Scratch, out: &mut Moments) {
        ws.idx.clear();
        ws.w.clear();
        for &pos in positions {
            let w = self.case_weight(pos);
            if w > 0.0 {
                ws.idx.push(pos);
                ws.w.push(w);
            }
        }
        self.z
            .moments(&ws.idx, &ws.w, positions.len() as u64, &mut ws.buf, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_type_7() {
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&x, 0.0), 1.0);
        assert_eq!(quantile_sorted(&x, 1.0), 10.0);
        assert_eq!(quantile_sorted(&x, 0.5), 3.0);
        // R: quantile(c(1,2,3,4,10), 0.9) = 7.6
        assert!((quantile_sorted(&x, 0.9) - 7.6).abs() < 1e-12);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn streams_are_independent_of_order() {
        let base = base_rng(7);
        let a: Vec<usize> = (0..5)
            .map(|i| uniform_index(&mut stream_rng(&base, i), 1000))
            .collect();
        let b: Vec<usize> = (0..5)
            .rev()
            .map(|i| uniform_index(&mut stream_rng(&base, i), 1000))
            .collect();
        assert_eq!(a, b.into_iter().rev().collect::<Vec<_>>());
        let mut v: Vec<usize> = (0..10).collect();
        shuffle(&mut stream_rng(&base, 3), &mut v);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn par_map_keeps_order() {
        let v = par_map(
            1000,
            Some(2),
            || 0usize,
            |calls, i| {
                *calls += 1;
                i * 2
            },
        );
        assert_eq!(v, (0..1000).map(|i| i * 2).collect::<Vec<_>>());
    }
}
