//! Sufficient statistics of the indicators: counts, (weighted) means and
//! co-moments. Every PLS-PM estimate with standardized or centred indicators is
//! a function of them, so they are computed in one pass over the rows and the
//! estimation iterates on p × p matrices only.
//!
//! Moments are **mergeable**: moments of two disjoint sets of rows combine
//! exactly into the moments of their union with the pairwise update of Chan,
//! Golub & LeVeque (1979/1983), which is numerically stable (no cancellation of
//! large sums). Partitions computed anywhere (threads, Dask workers, Spark
//! executors) merge into the moments of the whole.

use serde::{Deserialize, Serialize};

use super::kernel;
use crate::data::Dataset;
use crate::error::{Error, Result};

/// Rows per chunk of the accumulation kernel.
const CHUNK: usize = 128;
/// Rows per independently computed block (the unit of parallel work). Fixed,
/// so results do not depend on the number of threads.
const BLOCK: usize = 16_384;

/// Counts, weighted means and the weighted co-moment matrix
/// M = Σᵣ wᵣ (xᵣ − x̄)(xᵣ − x̄)ᵀ of named variables.
///
/// ```
/// use csikit::Moments;
/// let x = [1.0, 2.0, 3.0, 4.0];
/// let y = [2.0, 4.0, 5.0, 9.0];
/// let all = Moments::from_columns(&["x", "y"], &[&x, &y], None).unwrap();
/// let mut a = Moments::from_columns(&["x", "y"], &[&x[..1], &y[..1]], None).unwrap();
/// let b = Moments::from_columns(&["x", "y"], &[&x[1..], &y[1..]], None).unwrap();
/// a.merge(&b).unwrap();
/// assert!((a.covariance()[1] - all.covariance()[1]).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    names: Vec<String>,
    n: u64,
    weight_sum: f64,
    mean: Vec<f64>,
    comoment: Vec<f64>,
}

impl Moments {
    /// Moments from their parts (co-moments row-major), unchecked.
    pub(crate) fn from_parts(
        names: Vec<String>,
        n: u64,
        weight_sum: f64,
        mean: Vec<f64>,
        comoment: Vec<f64>,
    ) -> Self {
        Moments {
            names,
            n,
            weight_sum,
            mean,
            comoment,
        }
    }

    /// Moments of no rows.
    pub fn empty<S: AsRef<str>>(names: &[S]) -> Self {
        let p = names.len();
        Moments {
            names: names.iter().map(|s| s.as_ref().to_string()).collect(),
            n: 0,
            weight_sum: 0.0,
            mean: vec![0.0; p],
            comoment: vec![0.0; p * p],
        }
    }

    /// Moments of complete columns (no missing values) with optional case
    /// weights. Rows of weight 0 are not observations: they count in no n
    /// (the sample-covariance factor n / (n − 1) uses the rows of positive
    /// weight), exactly as if they were not there.
    ///
    /// # Errors
    /// [`Error::Shape`] if lengths differ, [`Error::NonFinite`] /
    /// [`Error::MissingValues`] for a value that is not finite,
    /// [`Error::InvalidWeights`] for a negative or non-finite weight.
    pub fn from_columns<S: AsRef<str>>(
        names: &[S],
        columns: &[&[f64]],
        weights: Option<&[f64]>,
    ) -> Result<Self> {
        if names.len() != columns.len() {
            return Err(Error::Shape {
                message: format!("{} names for {} columns", names.len(), columns.len()),
            });
        }
        let n = columns.first().map_or(0, |c| c.len());
        for (name, col) in names.iter().zip(columns) {
            if col.len() != n {
                return Err(Error::Shape {
                    message: format!(
                        "column `{}` has {} values, expected {n}",
                        name.as_ref(),
                        col.len()
                    ),
                });
            }
            if let Some(r) = col.iter().position(|x| !x.is_finite()) {
                return Err(if col[r].is_nan() {
                    Error::MissingValues {
                        column: name.as_ref().to_string(),
                        count: col.iter().filter(|x| x.is_nan()).count(),
                        first_row: r + 1,
                    }
                } else {
                    Error::NonFinite {
                        column: name.as_ref().to_string(),
                        row: r + 1,
                    }
                });
            }
        }
        if let Some(w) = weights {
            check_weights("weights", w, None)?;
            if w.len() != n {
                return Err(Error::Shape {
                    message: format!("{} weights for {n} rows", w.len()),
                });
            }
        }
        let mut m = accumulate(columns, None, weights, None);
        m.names = names.iter().map(|s| s.as_ref().to_string()).collect();
        Ok(m)
    }

    /// Adds another set of rows' moments (same variables, same order) to these,
    /// with the pairwise update of Chan, Golub & LeVeque (1983):
    /// M = M_a + M_b + δδᵀ · W_a W_b / W, δ = x̄_b − x̄_a.
    ///
    /// # Errors
    /// [`Error::MomentsMismatch`] if the variable names differ.
    pub fn merge(&mut self, other: &Moments) -> Result<()> {
        if self.names != other.names {
            return Err(Error::MomentsMismatch {
                message: format!("variables {:?} vs {:?}", self.names, other.names),
            });
        }
        self.merge_unchecked(other);
        Ok(())
    }

    /// Names the variables (for moments built by [`accumulate`], which leaves them unnamed).
    pub(crate) fn set_names<S: AsRef<str>>(&mut self, names: &[S]) {
        self.names = names.iter().map(|s| s.as_ref().to_string()).collect();
    }

    /// These moments without one of their rows, `x` with weight `w`: the
    /// inverse of merging a one-row set (the jackknife's leave-one-out moments
    /// in O(p²)). With W' = W − w and d = x − x̄: x̄' = x̄ − w·d/W',
    /// M' = M − (w·W/W')·d dᵀ. Written into `out` (names are not copied).
    pub(crate) fn remove_row_into(&self, x: &[f64], w: f64, out: &mut Moments) {
        let p = self.mean.len();
        out.n = self.n.saturating_sub(1);
        out.weight_sum = self.weight_sum - w;
        out.mean.resize(p, 0.0);
        out.comoment.resize(p * p, 0.0);
        if w == 0.0 {
            out.mean.copy_from_slice(&self.mean);
            out.comoment.copy_from_slice(&self.comoment);
            return;
        }
        let rest = out.weight_sum;
        let f = w * self.weight_sum / rest;
        for i in 0..p {
            let di = x[i] - self.mean[i];
            out.mean[i] = self.mean[i] - w * di / rest;
            for j in 0..p {
                let dj = x[j] - self.mean[j];
                out.comoment[i * p + j] = self.comoment[i * p + j] - f * di * dj;
            }
        }
        // A variable that all the other rows share one value of: the
        // subtraction leaves rounding noise, which must read as zero variance.
        for i in 0..p {
            if !(out.comoment[i * p + i] > 1e-12 * self.comoment[i * p + i]) {
                zero_variable(&mut out.comoment, p, i);
            }
        }
    }

    fn merge_unchecked(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            self.n = other.n;
            self.weight_sum = other.weight_sum;
            self.mean.clone_from(&other.mean);
            self.comoment.clone_from(&other.comoment);
            return;
        }
        let (wa, wb) = (self.weight_sum, other.weight_sum);
        let w = wa + wb;
        let p = self.mean.len();
        let delta: Vec<f64> = (0..p).map(|i| other.mean[i] - self.mean[i]).collect();
        let f = if w > 0.0 { wa * wb / w } else { 0.0 };
        for i in 0..p {
            for j in 0..p {
                self.comoment[i * p + j] += other.comoment[i * p + j] + delta[i] * delta[j] * f;
            }
        }
        if w > 0.0 {
            for (m, d) in self.mean.iter_mut().zip(&delta) {
                *m += d * wb / w;
            }
        }
        self.n += other.n;
        self.weight_sum = w;
    }

    /// Variable names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of rows (of positive weight: a row of case weight 0 is not an
    /// observation and counts in no n).
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Sum of case weights (= `n` without weights).
    pub fn weight_sum(&self) -> f64 {
        self.weight_sum
    }

    /// Weighted means.
    pub fn means(&self) -> &[f64] {
        &self.mean
    }

    /// The co-moment matrix Σ w (x − x̄)(x − x̄)ᵀ, row-major p × p.
    pub fn comoments(&self) -> &[f64] {
        &self.comoment
    }

    /// Sample covariance matrix, row-major: M / W · n / (n − 1), which is
    /// M / (n − 1) without weights (R's `cov`).
    pub fn covariance(&self) -> Vec<f64> {
        let f = if self.n > 1 && self.weight_sum > 0.0 {
            self.n as f64 / ((self.n - 1) as f64 * self.weight_sum)
        } else {
            f64::NAN
        };
        self.comoment.iter().map(|m| m * f).collect()
    }

    /// Sample standard deviations (square roots of the covariance diagonal).
    pub fn std_devs(&self) -> Vec<f64> {
        let c = self.covariance();
        let p = self.mean.len();
        (0..p).map(|i| c[i * p + i].max(0.0).sqrt()).collect()
    }

    /// Correlation matrix, row-major (NaN where a variance is zero).
    pub fn correlation(&self) -> Vec<f64> {
        let p = self.mean.len();
        let d: Vec<f64> = (0..p).map(|i| self.comoment[i * p + i].sqrt()).collect();
        let mut r = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..p {
                r[i * p + j] = if i == j {
                    if d[i] > 0.0 { 1.0 } else { f64::NAN }
                } else {
                    self.comoment[i * p + j] / (d[i] * d[j])
                };
            }
        }
        r
    }

    /// The moments of a subset of the variables, in the order given.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] if a name is not among these moments' variables.
    pub fn select<S: AsRef<str>>(&self, names: &[S]) -> Result<Moments> {
        let idx: Vec<usize> = names
            .iter()
            .map(|n| {
                self.names
                    .iter()
                    .position(|m| m == n.as_ref())
                    .ok_or_else(|| Error::UnknownColumn {
                        name: n.as_ref().to_string(),
                        suggestions: crate::error::suggest(
                            n.as_ref(),
                            self.names.iter().map(String::as_str),
                        ),
                    })
            })
            .collect::<Result<_>>()?;
        let p = self.mean.len();
        let q = idx.len();
        let mut comoment = vec![0.0; q * q];
        for (a, &i) in idx.iter().enumerate() {
            for (b, &j) in idx.iter().enumerate() {
                comoment[a * q + b] = self.comoment[i * p + j];
            }
        }
        Ok(Moments {
            names: names.iter().map(|s| s.as_ref().to_string()).collect(),
            n: self.n,
            weight_sum: self.weight_sum,
            mean: idx.iter().map(|&i| self.mean[i]).collect(),
            comoment,
        })
    }

    /// Moments of the named columns of a dataset under a missing-data policy,
    /// with optional case weights from a column. Returns the moments and what
    /// was done about missing values.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`], [`Error::NonNumeric`], [`Error::NonFinite`],
    /// [`Error::AllMissing`], [`Error::MissingValues`] (policy `Error`),
    /// [`Error::InvalidWeights`], [`Error::EmptyData`] (no rows left),
    /// [`Error::Unsupported`] for [`MissingPolicy::Pairwise`] (pairwise
    /// moments are not mergeable moments of a set of rows).
    pub fn from_dataset<S: AsRef<str>>(
        data: &Dataset,
        columns: &[S],
        weights: Option<&str>,
        policy: MissingPolicy,
    ) -> Result<(Moments, MissingReport)> {
        if policy == MissingPolicy::Pairwise {
            return Err(Error::Unsupported {
                feature: "moments under pairwise deletion".into(),
                context: "(pairwise moments come from different rows and cannot be merged): fit the rows with `Pls::fit`, or use listwise or mean".into(),
            });
        }
        let prepared = Prepared::new(data, columns, weights, policy)?;
        let mut m = prepared.moments()?;
        m.names = columns.iter().map(|s| s.as_ref().to_string()).collect();
        Ok((m, prepared.report))
    }

    /// The moments of one partition of a larger data set (a Dask/Spark
    /// partition, a file of a directory): as [`Moments::from_dataset`], but a
    /// partition in which listwise deletion leaves no row — no rows at all,
    /// only empty rows, or a column never observed in this partition — gives
    /// empty moments whose report counts every row as dropped, since other
    /// partitions may well hold the respondents. Merged, the partitions'
    /// moments and reports equal those of the whole data set (the empty-data
    /// check then applies to the merged moments, when the model is fitted).
    ///
    /// ```
    /// use csikit::{Dataset, MissingPolicy, Moments};
    /// let part = Dataset::from_columns(vec![("x", vec![1.0, f64::NAN]), ("y", vec![f64::NAN, 2.0])])?;
    /// let (m, report) = Moments::from_partition(&part, &["x", "y"], None, MissingPolicy::Listwise)?;
    /// assert_eq!((m.n(), report.n_rows, report.n_dropped), (0, 2, 2));
    /// # Ok::<(), csikit::Error>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`Moments::from_dataset`] except [`Error::EmptyData`] and,
    /// under listwise deletion, [`Error::AllMissing`].
    pub fn from_partition<S: AsRef<str>>(
        data: &Dataset,
        columns: &[S],
        weights: Option<&str>,
        policy: MissingPolicy,
    ) -> Result<(Moments, MissingReport)> {
        match Moments::from_dataset(data, columns, weights, policy) {
            Err(Error::EmptyData { .. }) => {}
            Err(Error::AllMissing { .. }) if policy == MissingPolicy::Listwise => {}
            other => return other,
        }
        // No row left: count what the rows were, for the merged report.
        let cols: Vec<&[f64]> = columns
            .iter()
            .map(|n| data.numeric(n.as_ref()))
            .collect::<Result<_>>()?;
        let w = weights.map(|c| data.numeric(c)).transpose()?;
        let n_rows = data.n_rows();
        let empty = |r: usize| !cols.is_empty() && cols.iter().all(|c| c[r].is_nan());
        let n_empty_rows = (0..n_rows).filter(|&r| empty(r)).count();
        let n_zero_weight = w.map_or(0, |w| {
            (0..n_rows).filter(|&r| !empty(r) && w[r] == 0.0).count()
        });
        let respondent = |r: usize| !empty(r) && w.is_none_or(|w| w[r] != 0.0);
        let missing_by_column = columns
            .iter()
            .zip(&cols)
            .filter_map(|(name, c)| {
                let k = (0..n_rows)
                    .filter(|&r| respondent(r) && c[r].is_nan())
                    .count();
                (k > 0).then(|| (name.as_ref().to_string(), k))
            })
            .collect();
        let report = MissingReport {
            policy,
            n_rows,
            n_used: 0,
            n_dropped: n_rows,
            n_empty_rows,
            n_zero_weight,
            n_imputed: 0,
            missing_by_column,
        };
        Ok((Moments::empty(columns), report))
    }
}

/// What to do with missing values (empty cells, NA markers) in the columns a
/// model uses.
///
/// Under every policy, two kinds of rows are not respondents and are dropped
/// first (and counted in [`MissingReport`]): rows in which **every** model
/// column is missing (`n_empty_rows`; e.g. the trailing empty rows of an
/// Excel export that still carry an id), and rows whose case weight is 0
/// (`n_zero_weight`: a weight of 0 removes the row from the sample, so it
/// counts in no n and in no mean). The policy then applies to the other rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// Drop every row with a missing value in any used column (default).
    #[default]
    Listwise,
    /// Replace a missing value by its column's mean over the observed rows
    /// (as SmartPLS and seminr do).
    Mean,
    /// Refuse data with missing values.
    Error,
    /// Pairwise-complete moments: each correlation r_ij from the rows in
    /// which both columns are observed (with those rows' own means and
    /// standard deviations: R's `cor(use = "pairwise.complete.obs")`), each
    /// column's mean and standard deviation from all rows in which it is
    /// observed; the covariance matrix is D R D (D the standard deviations).
    /// The fit's n ([`MissingReport::n_used`], `n_observations`) is the
    /// **smallest** pairwise count, the conservative choice for standard
    /// errors and adjusted R². A pair observed together in fewer than 3 rows
    /// is an [`Error::TooFewCommonRows`]; a correlation matrix that is not
    /// positive definite (possible, as each pair uses other rows) is an
    /// [`Error::NotPositiveDefinite`]. Procedures that need whole rows —
    /// the bootstrap, the multi-group analysis, PLSpredict, blindfolding,
    /// interaction terms and the two-stage approaches — refuse it with
    /// [`Error::Unsupported`]; construct scores are given for the rows
    /// complete in every indicator.
    Pairwise,
}

impl std::str::FromStr for MissingPolicy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "listwise" => Ok(MissingPolicy::Listwise),
            "mean" => Ok(MissingPolicy::Mean),
            "error" => Ok(MissingPolicy::Error),
            "pairwise" => Ok(MissingPolicy::Pairwise),
            _ => Err(Error::InvalidSetting {
                name: "missing".into(),
                message: format!("`{s}` is not one of listwise, mean, error, pairwise"),
            }),
        }
    }
}

/// What missing-data handling did to the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingReport {
    /// The policy applied.
    pub policy: MissingPolicy,
    /// Rows in the data.
    pub n_rows: usize,
    /// Rows used in the estimation (with [`MissingPolicy::Pairwise`]: the
    /// smallest number of rows in which a pair of columns is observed).
    pub n_used: usize,
    /// Rows dropped in all: empty rows, zero-weight rows and (listwise
    /// deletion) rows with a missing value.
    pub n_dropped: usize,
    /// Of `n_dropped`: rows in which every model column is missing (not
    /// respondents; dropped under every policy).
    #[serde(default)]
    pub n_empty_rows: usize,
    /// Of `n_dropped`: rows with case weight 0 (not in the sample; dropped
    /// before anything counts n).
    #[serde(default)]
    pub n_zero_weight: usize,
    /// Cells replaced by the column mean.
    pub n_imputed: usize,
    /// Missing cells per used column (only columns with any), counted on the
    /// rows that are respondents (not empty, weight not 0).
    pub missing_by_column: Vec<(String, usize)>,
}

impl MissingReport {
    /// Rows dropped because of a missing value (listwise deletion): the
    /// dropped rows that are neither empty nor of weight 0.
    pub fn n_dropped_missing(&self) -> usize {
        self.n_dropped
            .saturating_sub(self.n_empty_rows + self.n_zero_weight)
    }
}

/// Columns resolved against a dataset, with the rows to use.
pub(crate) struct Prepared<'d> {
    pub columns: Vec<&'d [f64]>,
    pub weights: Option<&'d [f64]>,
    /// Row indices to use; `None` = all rows. With
    /// [`MissingPolicy::Pairwise`] the rows keep their missing cells.
    pub rows: Option<Vec<usize>>,
    /// Column means for mean replacement.
    pub impute: Option<Vec<f64>>,
    pub report: MissingReport,
}

impl<'d> Prepared<'d> {
    pub(crate) fn new<S: AsRef<str>>(
        data: &'d Dataset,
        names: &[S],
        weights: Option<&str>,
        policy: MissingPolicy,
    ) -> Result<Self> {
        let columns: Vec<&[f64]> = names
            .iter()
            .map(|n| data.numeric(n.as_ref()))
            .collect::<Result<_>>()?;
        let n_rows = data.n_rows();
        // Missing cells per column over all rows: sequential passes. The
        // common case — complete data, no zero weights — then needs no row
        // list at all (`None` = every row), so it costs no more than before
        // empty rows and zero weights were counted.
        // One pass per column: missing cells counted, infinities refused.
        let mut nan_all = Vec::with_capacity(columns.len());
        for (name, col) in names.iter().zip(&columns) {
            let mut nan = 0;
            let mut finite = true;
            for x in col.iter() {
                nan += usize::from(x.is_nan());
                finite &= !x.is_infinite();
            }
            if !finite {
                let r = col.iter().position(|x| x.is_infinite()).unwrap_or(0);
                return Err(Error::NonFinite {
                    column: name.as_ref().to_string(),
                    row: r + 1,
                });
            }
            nan_all.push(nan);
        }
        // Rows in which every model column is missing are not respondents
        // (possible only when every column misses something).
        let filled: Option<Vec<usize>> = if !columns.is_empty() && nan_all.iter().all(|&k| k > 0) {
            let empty = |r: usize| columns.iter().all(|c| c[r].is_nan());
            let f: Vec<usize> = (0..n_rows).filter(|&r| !empty(r)).collect();
            (f.len() < n_rows).then_some(f)
        } else {
            None
        };
        let n_empty_rows = n_rows - filled.as_ref().map_or(n_rows, Vec::len);
        let weights = match weights {
            Some(col) => {
                let w = data.numeric(col)?;
                check_weights(col, w, filled.as_deref())?;
                Some(w)
            }
            None => None,
        };
        // Rows of weight 0 are not in the sample.
        let respondents: Option<Vec<usize>> = match weights {
            Some(w) => {
                let has_zero = match &filled {
                    Some(f) => f.iter().any(|&r| w[r] == 0.0),
                    None => w.contains(&0.0),
                };
                if has_zero {
                    Some(match filled {
                        Some(f) => f.into_iter().filter(|&r| w[r] > 0.0).collect(),
                        None => (0..n_rows).filter(|&r| w[r] > 0.0).collect(),
                    })
                } else {
                    filled
                }
            }
            None => filled,
        };
        let n_resp = respondents.as_ref().map_or(n_rows, Vec::len);
        let n_zero_weight = n_rows - n_empty_rows - n_resp;
        if n_resp == 0 {
            return Err(Error::EmptyData {
                context: if n_rows > 0 {
                    format!(
                        ": every one of the {n_rows} rows is empty in the model's columns{}",
                        if n_zero_weight > 0 {
                            " or has case weight 0"
                        } else {
                            ""
                        }
                    )
                } else {
                    String::new()
                },
            });
        }
        let mut missing_by_column = Vec::new();
        for ((name, col), &all_count) in names.iter().zip(&columns).zip(&nan_all) {
            let (count, first) = match &respondents {
                None => (all_count, col.iter().position(|x| x.is_nan())),
                Some(rows) => {
                    let mut count = 0;
                    let mut first = None;
                    for &r in rows {
                        if col[r].is_nan() {
                            count += 1;
                            first.get_or_insert(r);
                        }
                    }
                    (count, first)
                }
            };
            if count == n_resp {
                return Err(Error::AllMissing {
                    column: name.as_ref().to_string(),
                });
            }
            if count > 0 {
                if policy == MissingPolicy::Error {
                    return Err(Error::MissingValues {
                        column: name.as_ref().to_string(),
                        count,
                        first_row: first.unwrap_or(0) + 1,
                    });
                }
                missing_by_column.push((name.as_ref().to_string(), count));
            }
        }
        // The respondent rows, listed (only where a policy needs them).
        let listed = |respondents: Option<Vec<usize>>| -> Vec<usize> {
            respondents.unwrap_or_else(|| (0..n_rows).collect())
        };
        let (rows, impute, n_used, n_imputed) = if missing_by_column.is_empty() {
            (respondents, None, n_resp, 0)
        } else {
            match policy {
                MissingPolicy::Listwise | MissingPolicy::Error => {
                    let complete = |r: &usize| columns.iter().all(|c| !c[*r].is_nan());
                    let rows: Vec<usize> = match respondents {
                        Some(rows) => rows.into_iter().filter(complete).collect(),
                        None => (0..n_rows).filter(complete).collect(),
                    };
                    let used = rows.len();
                    (Some(rows), None, used, 0)
                }
                MissingPolicy::Mean => {
                    let means = columns
                        .iter()
                        .map(|c| {
                            let add = |(s, k): (f64, usize), x: f64| {
                                if x.is_nan() { (s, k) } else { (s + x, k + 1) }
                            };
                            let (s, k) = match &respondents {
                                Some(rows) => rows.iter().map(|&r| c[r]).fold((0.0, 0), add),
                                None => c.iter().copied().fold((0.0, 0), add),
                            };
                            s / k as f64
                        })
                        .collect();
                    let imputed = missing_by_column.iter().map(|(_, c)| c).sum();
                    (respondents, Some(means), n_resp, imputed)
                }
                MissingPolicy::Pairwise => {
                    let listed_rows = listed(respondents.clone());
                    let counts = pair_counts(&columns, &listed_rows);
                    let p = columns.len();
                    let mut min = n_resp;
                    for i in 0..p {
                        for j in 0..=i {
                            let c = counts[i * p + j];
                            if c < 3 && names[i].as_ref() != names[j].as_ref() {
                                return Err(Error::TooFewCommonRows {
                                    a: names[j].as_ref().to_string(),
                                    b: names[i].as_ref().to_string(),
                                    common: c,
                                });
                            }
                            min = min.min(c);
                        }
                    }
                    (respondents, None, min, 0)
                }
            }
        };
        if n_used == 0 {
            return Err(Error::EmptyData {
                context: format!(" after listwise deletion of {n_rows} rows with missing values"),
            });
        }
        let n_dropped = if policy == MissingPolicy::Pairwise {
            n_empty_rows + n_zero_weight
        } else {
            n_rows - n_used
        };
        Ok(Prepared {
            columns,
            weights,
            rows,
            impute,
            report: MissingReport {
                policy,
                n_rows,
                n_used,
                n_dropped,
                n_empty_rows,
                n_zero_weight,
                n_imputed,
                missing_by_column,
            },
        })
    }

    /// The moments of the prepared rows: one pass for the row-wise policies,
    /// pairwise-complete moments for [`MissingPolicy::Pairwise`].
    pub(crate) fn moments(&self) -> Result<Moments> {
        if self.report.policy == MissingPolicy::Pairwise {
            pairwise(&self.columns, self.rows.as_deref(), self.weights)
        } else {
            Ok(accumulate(
                &self.columns,
                self.rows.as_deref(),
                self.weights,
                self.impute.as_deref(),
            ))
        }
    }
}

/// Smallest eigenvalue a correlation matrix estimated pair by pair must
/// exceed to count as positive definite.
pub(crate) const MIN_EIGENVALUE: f64 = 1e-8;

/// Checks that a correlation matrix estimated pair by pair (`what`:
/// `polychoric`, `pairwise`) is positive definite on its distinct variables
/// (a variable repeated under the same name, as the repeated-indicators
/// approach does, is counted once).
///
/// # Errors
/// [`Error::NotPositiveDefinite`] with the smallest eigenvalue and `hint`.
pub(crate) fn check_positive_definite<S: AsRef<str>>(
    corr: &[f64],
    names: &[S],
    what: &str,
    hint: &str,
) -> Result<()> {
    let p = names.len();
    let mut keep: Vec<usize> = Vec::with_capacity(p);
    for i in 0..p {
        if !keep.iter().any(|&j| names[j].as_ref() == names[i].as_ref()) {
            keep.push(i);
        }
    }
    let q = keep.len();
    let mut sub = vec![0.0; q * q];
    for (a, &i) in keep.iter().enumerate() {
        for (b, &j) in keep.iter().enumerate() {
            sub[a * q + b] = corr[i * p + j];
        }
    }
    let (values, _) = crate::linalg::symmetric_eigen(&sub, q);
    let min = values.last().copied().unwrap_or(1.0);
    // NaN (a constant column) is left to the fit's own checks.
    if min < MIN_EIGENVALUE {
        return Err(Error::NotPositiveDefinite {
            what: what.to_string(),
            min_eigenvalue: min,
            hint: hint.to_string(),
        });
    }
    Ok(())
}

/// How many of `rows` have both columns i and j observed (p × p, row-major;
/// the diagonal counts each column's observed rows).
fn pair_counts(columns: &[&[f64]], rows: &[usize]) -> Vec<usize> {
    let p = columns.len();
    let mut counts = vec![0usize; p * p];
    let mut seen = vec![false; p];
    for &r in rows {
        for (s, c) in seen.iter_mut().zip(columns) {
            *s = !c[r].is_nan();
        }
        for i in 0..p {
            if !seen[i] {
                continue;
            }
            for j in 0..=i {
                if seen[j] {
                    counts[i * p + j] += 1;
                }
            }
        }
    }
    for i in 0..p {
        for j in 0..i {
            counts[j * p + i] = counts[i * p + j];
        }
    }
    counts
}

/// Pairwise-complete moments (see [`MissingPolicy::Pairwise`]): means and
/// standard deviations per column over its observed rows, correlations per
/// pair over the rows where both are observed (each with that pair's own
/// means and standard deviations, as R's `cor(use = "pairwise.complete.obs")`),
/// case-weighted when `weights` are given. The result has n = the smallest
/// pairwise count and co-moments such that [`Moments::covariance`] is D R D
/// and [`Moments::correlation`] is R. A pair without variance in its common
/// rows gets correlation 0 (the column-level constant check of the fit
/// reports a constant column).
pub(crate) fn pairwise(
    columns: &[&[f64]],
    rows: Option<&[usize]>,
    weights: Option<&[f64]>,
) -> Result<Moments> {
    let p = columns.len();
    let all: Vec<usize>;
    let rows = match rows {
        Some(r) => r,
        None => {
            all = (0..columns.first().map_or(0, |c| c.len())).collect();
            &all
        }
    };
    let counts = pair_counts(columns, rows);
    let n = counts.iter().copied().min().unwrap_or(rows.len());
    // Two-variable moments of the rows where both are observed.
    let pair = |i: usize, j: usize| -> Moments {
        let sel: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| !columns[i][r].is_nan() && !columns[j][r].is_nan())
            .collect();
        accumulate(&[columns[i], columns[j]], Some(&sel), weights, None)
    };
    let mut mean = vec![0.0; p];
    let mut sd = vec![0.0; p];
    for i in 0..p {
        let m = pair(i, i);
        mean[i] = m.means()[0];
        sd[i] = m.std_devs()[0];
    }
    let mut r = vec![0.0; p * p];
    for i in 0..p {
        r[i * p + i] = 1.0;
        for j in 0..i {
            let c = pair(i, j).correlation()[1];
            let c = if c.is_finite() {
                c.clamp(-1.0, 1.0)
            } else {
                0.0
            };
            r[i * p + j] = c;
            r[j * p + i] = c;
        }
    }
    // Co-moments M with M / W · n / (n − 1) = D R D, taking W = n.
    let f = (n as f64 - 1.0).max(0.0);
    let mut comoment = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            comoment[i * p + j] = r[i * p + j] * sd[i] * sd[j] * f;
        }
    }
    Ok(Moments {
        names: vec![String::new(); p],
        n: n as u64,
        weight_sum: n as f64,
        mean,
        comoment,
    })
}

/// Moments of the selected rows of complete columns (no checks), named.
pub(crate) fn from_rows(names: &[String], columns: &[&[f64]], rows: &[usize]) -> Moments {
    let mut m = accumulate(columns, Some(rows), None, None);
    m.names = names.to_vec();
    m
}

/// Weights must be finite and non-negative with a positive sum.
pub(crate) fn check_weights(column: &str, w: &[f64], rows: Option<&[usize]>) -> Result<()> {
    let bad = |r: usize, msg: String| Error::InvalidWeights {
        column: column.to_string(),
        message: format!("row {}: {msg}", r + 1),
    };
    let mut any_positive = false;
    let mut check = |r: usize| -> Result<()> {
        let x = w[r];
        if x.is_nan() {
            return Err(bad(r, "missing weight".into()));
        }
        if !x.is_finite() || x < 0.0 {
            return Err(bad(
                r,
                format!("weight {x} is not a finite non-negative number"),
            ));
        }
        any_positive |= x > 0.0;
        Ok(())
    };
    match rows {
        Some(rows) => rows.iter().try_for_each(|&r| check(r))?,
        None => (0..w.len()).try_for_each(&mut check)?,
    }
    if !any_positive && !w.is_empty() {
        return Err(Error::InvalidWeights {
            column: column.to_string(),
            message: "all weights are zero".into(),
        });
    }
    Ok(())
}

/// One pass over the rows: per fixed-size block (in parallel when the data are
/// large), chunks of rows are centred at their own weighted mean, their
/// co-moments accumulated with a dot-product kernel, and merged by the Chan
/// et al. update; blocks are merged in order, so the result does not depend on
/// the number of threads.
pub(crate) fn accumulate(
    columns: &[&[f64]],
    rows: Option<&[usize]>,
    weights: Option<&[f64]>,
    impute: Option<&[f64]>,
) -> Moments {
    let p = columns.len();
    let n_sel = rows.map_or_else(|| columns.first().map_or(0, |c| c.len()), <[usize]>::len);
    let n_blocks = n_sel.div_ceil(BLOCK);
    let block = |b: usize| -> Moments {
        let lo = b * BLOCK;
        let hi = (lo + BLOCK).min(n_sel);
        accumulate_range(columns, rows, weights, impute, lo, hi)
    };
    // Asking for the core count reads cgroup files: only worth it for several blocks.
    let threads = if n_blocks > 1 {
        std::thread::available_parallelism()
            .map_or(1, |t| t.get())
            .min(n_blocks)
    } else {
        1
    };
    let parts: Vec<Moments> = if threads > 1 {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let block = &block;
                    s.spawn(move || {
                        (t..n_blocks)
                            .step_by(threads)
                            .map(|b| (b, block(b)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut all: Vec<(usize, Moments)> = handles
                .into_iter()
                .flat_map(|h| {
                    // A worker's panic is re-raised, never turned into missing blocks.
                    h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
                })
                .collect();
            all.sort_by_key(|(b, _)| *b);
            all.into_iter().map(|(_, m)| m).collect()
        })
    } else {
        (0..n_blocks).map(block).collect()
    };
    // Names are the caller's business: the kernel only sees columns.
    let mut total = Moments::empty(&vec![String::new(); p]);
    for part in &parts {
        total.merge_unchecked(part);
    }
    total
}

/// Moments of selected rows `lo..hi` (positions in `rows`, or row numbers).
fn accumulate_range(
    columns: &[&[f64]],
    rows: Option<&[usize]>,
    weights: Option<&[f64]>,
    impute: Option<&[f64]>,
    lo: usize,
    hi: usize,
) -> Moments {
    let p = columns.len();
    let mut total = Moments::empty(&vec![String::new(); p]);
    let mut chunk = Moments::empty(&vec![String::new(); p]);
    let mut buf = vec![0.0; p * CHUNK];
    let mut sw = [0.0; CHUNK];
    let mut w_chunk = [0.0; CHUNK];
    let row_at = |i: usize| rows.map_or(i, |r| r[i]);
    let mut start = lo;
    while start < hi {
        let len = (hi - start).min(CHUNK);
        let mut wsum = 0.0;
        // Rows of weight 0 are not observations: they count in no n.
        let mut positive = 0u64;
        for (k, (s, wc)) in sw.iter_mut().zip(w_chunk.iter_mut()).take(len).enumerate() {
            let w = weights.map_or(1.0, |w| w[row_at(start + k)]);
            *wc = w;
            *s = w.sqrt();
            wsum += w;
            positive += u64::from(w > 0.0);
        }
        if wsum <= 0.0 {
            // All-zero weights in this chunk: nothing to add.
            start += len;
            continue;
        }
        for j in 0..p {
            let col = columns[j];
            let dst = &mut buf[j * CHUNK..j * CHUNK + len];
            let fill = impute.map_or(f64::NAN, |m| m[j]);
            for (k, d) in dst.iter_mut().enumerate() {
                let x = col[row_at(start + k)];
                *d = if x.is_nan() { fill } else { x };
            }
            let mean = dst
                .iter()
                .zip(&w_chunk[..len])
                .map(|(x, w)| x * w)
                .sum::<f64>()
                / wsum;
            for (d, s) in dst.iter_mut().zip(&sw[..len]) {
                *d = (*d - mean) * s;
            }
            chunk.mean[j] = mean;
        }
        for i in 0..p {
            let a = &buf[i * CHUNK..i * CHUNK + len];
            for j in i..p {
                let b = &buf[j * CHUNK..j * CHUNK + len];
                let d = dot(a, b);
                chunk.comoment[i * p + j] = d;
                chunk.comoment[j * p + i] = d;
            }
        }
        chunk.n = positive;
        chunk.weight_sum = wsum;
        total.merge_unchecked(&chunk);
        start += len;
    }
    total
}

/// Dot product with eight independent accumulators (vectorizes without
/// reassociation flags).
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 8];
    let mut ca = a.chunks_exact(8);
    let mut cb = b.chunks_exact(8);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut tail = 0.0;
    for (x, y) in ca.remainder().iter().zip(cb.remainder()) {
        tail += x * y;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// The rows a fit used, standardized once with the full sample's means and
/// standard deviations and stored column by column, for the moments of many
/// weighted subsets of them (bootstrap resamples, permuted groups).
///
/// Moments of a subset with weights c_t: with B the p × m matrix of
/// √c_t·z_t over the m selected rows and s = Σ c_t z_t, the co-moments are
/// B Bᵀ − s sᵀ / W (W = Σ c_t). Because z is centred on the full sample, the
/// subtracted term is small and there is no cancellation to speak of. Rows
/// that were not drawn cost nothing; the result is converted back to data
/// units (x̄ = μ + σ z̄, M_x = D M_z D), so it is an ordinary [`Moments`].
/// The standardized copy takes n × p values: resampling trades that memory
/// for a pass per resample without gathers, centring or merges.
pub(crate) struct Standardized {
    p: usize,
    n: usize,
    /// z values, column-major (p columns of n positions).
    z: Vec<f64>,
    mean: Vec<f64>,
    sd: Vec<f64>,
}

impl Standardized {
    /// Standardizes `rows` (all rows when `None`) of `columns`, imputing
    /// missing cells with `impute`, with the moments `full` of those rows.
    pub(crate) fn new(
        columns: &[&[f64]],
        rows: Option<&[usize]>,
        impute: Option<&[f64]>,
        full: &Moments,
    ) -> Self {
        let p = columns.len();
        let n = rows.map_or_else(|| columns.first().map_or(0, |c| c.len()), <[usize]>::len);
        let mean = full.means().to_vec();
        let sd: Vec<f64> = full
            .std_devs()
            .into_iter()
            .map(|s| if s > 0.0 && s.is_finite() { s } else { 1.0 })
            .collect();
        let mut z = vec![0.0; p * n];
        for j in 0..p {
            let fill = impute.map_or(f64::NAN, |m| m[j]);
            for t in 0..n {
                let x = columns[j][rows.map_or(t, |r| r[t])];
                let x = if x.is_nan() { fill } else { x };
                z[j * n + t] = (x - mean[j]) / sd[j];
            }
        }
        Standardized { p, n, z, mean, sd }
    }

    /// Number of positions (rows used).
    pub(crate) fn len(&self) -> usize {
        self.n
    }

    /// Moments of the rows at positions `idx` (distinct) with weights `w`
    /// (positive), counted as `n` rows, written into `out`; `buf` is scratch.
    pub(crate) fn moments(
        &self,
        idx: &[usize],
        w: &[f64],
        n: u64,
        buf: &mut Vec<f64>,
        out: &mut Moments,
    ) {
        let (p, m) = (self.p, idx.len());
        buf.resize(p * m, 0.0);
        out.n = n;
        out.weight_sum = w.iter().sum();
        out.mean.resize(p, 0.0);
        out.comoment.resize(p * p, 0.0);
        let wsum = out.weight_sum;
        let root: Vec<f64> = w.iter().map(|c| c.sqrt()).collect();
        kernel::gather(&self.z, self.n, idx, w, &root, buf, &mut out.mean);
        for s in &mut out.mean {
            *s /= wsum;
        }
        kernel::cross_products(buf, p, m, &mut out.comoment);
        // A constant column leaves only rounding noise (a few ulps of Σ c z²
        // per row) on its diagonal: columns within 1e-6 of it are checked
        // value by value.
        let constant: Vec<usize> = (0..p)
            .filter(|&j| {
                let d = out.comoment[j * p + j];
                let mz = d - wsum * out.mean[j] * out.mean[j];
                !(mz > 1e-6 * d) && kernel::is_constant(&self.z, self.n, j, idx)
            })
            .collect();
        for i in 0..p {
            for j in i..p {
                let mz = out.comoment[i * p + j] - wsum * out.mean[i] * out.mean[j];
                let v = mz * self.sd[i] * self.sd[j];
                out.comoment[i * p + j] = v;
                out.comoment[j * p + i] = v;
            }
        }
        // A column with one value among the selected rows has exactly zero
        // variance (the subtraction above would leave rounding noise).
        for &j in &constant {
            zero_variable(&mut out.comoment, p, j);
        }
        for j in 0..p {
            out.mean[j] = self.mean[j] + self.sd[j] * out.mean[j];
        }
    }
}

/// Sets the co-moments of variable `i` (its row and column) to zero.
fn zero_variable(comoment: &mut [f64], p: usize, i: usize) {
    for j in 0..p {
        comoment[i * p + j] = 0.0;
        comoment[j * p + i] = 0.0;
    }
}

impl Default for Moments {
    fn default() -> Self {
        Moments::empty::<&str>(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_cov(cols: &[&[f64]]) -> Vec<f64> {
        let p = cols.len();
        let n = cols[0].len();
        let m: Vec<f64> = cols
            .iter()
            .map(|c| c.iter().sum::<f64>() / n as f64)
            .collect();
        let mut out = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..p {
                out[i * p + j] = (0..n)
                    .map(|r| (cols[i][r] - m[i]) * (cols[j][r] - m[j]))
                    .sum::<f64>()
                    / (n as f64 - 1.0);
            }
        }
        out
    }

    #[test]
    fn matches_naive_covariance_across_chunks_and_blocks() {
        let n = 40_000;
        let a: Vec<f64> = (0..n)
            .map(|i| ((i * 37 % 101) as f64).sin() * 3.0 + 1e6)
            .collect();
        let b: Vec<f64> = (0..n)
            .map(|i| ((i * 13 % 97) as f64).cos() + a[i] * 0.1)
            .collect();
        let m = Moments::from_columns(&["a", "b"], &[&a, &b], None).unwrap();
        let c = m.covariance();
        let r = naive_cov(&[&a, &b]);
        for k in 0..4 {
            assert!(
                (c[k] - r[k]).abs() < 1e-9 * r[k].abs().max(1.0),
                "{k}: {} vs {}",
                c[k],
                r[k]
            );
        }
        assert_eq!(m.n(), n as u64);
    }

    #[test]
    fn removing_a_row_equals_moments_without_it() {
        let x = [1.0, 4.0, 2.0, 8.0, 3.5];
        let y = [3.0, 1.0, 2.0, 5.0, -1.0];
        let w = [1.0, 3.0, 0.5, 2.0, 1.5];
        let all = Moments::from_columns(&["x", "y"], &[&x, &y], Some(&w)).unwrap();
        let mut out = Moments::default();
        for r in 0..5 {
            let keep: Vec<usize> = (0..5).filter(|&i| i != r).collect();
            let xs: Vec<f64> = keep.iter().map(|&i| x[i]).collect();
            let ys: Vec<f64> = keep.iter().map(|&i| y[i]).collect();
            let ws: Vec<f64> = keep.iter().map(|&i| w[i]).collect();
            let direct = Moments::from_columns(&["x", "y"], &[&xs, &ys], Some(&ws)).unwrap();
            all.remove_row_into(&[x[r], y[r]], w[r], &mut out);
            assert_eq!(out.n(), 4);
            assert!((out.weight_sum() - direct.weight_sum()).abs() < 1e-12);
            for k in 0..2 {
                assert!((out.means()[k] - direct.means()[k]).abs() < 1e-12);
            }
            for k in 0..4 {
                assert!((out.comoments()[k] - direct.comoments()[k]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn standardized_subsets_match_direct_moments() {
        let x = [1.0, 4.0, 2.0, 8.0, 3.5, 7.0];
        let y = [3.0, 1.0, f64::NAN, 5.0, -1.0, 2.0];
        let impute = [0.0, 2.0];
        let rows = [0usize, 1, 2, 3, 5];
        let full = accumulate(&[&x, &y], Some(&rows), None, Some(&impute));
        let z = Standardized::new(&[&x, &y], Some(&rows), Some(&impute), &full);
        assert_eq!(z.len(), 5);
        // Positions 1, 2 (imputed y), 4 with weights 2, 1, 3.
        let (mut buf, mut out) = (Vec::new(), Moments::default());
        z.moments(&[1, 2, 4], &[2.0, 1.0, 3.0], 6, &mut buf, &mut out);
        let xs = [4.0, 2.0, 7.0];
        let ys = [1.0, 2.0, 2.0];
        let direct =
            Moments::from_columns(&["x", "y"], &[&xs, &ys], Some(&[2.0, 1.0, 3.0])).unwrap();
        assert_eq!(out.weight_sum(), 6.0);
        for k in 0..2 {
            assert!((out.means()[k] - direct.means()[k]).abs() < 1e-12);
        }
        for k in 0..4 {
            assert!((out.comoments()[k] - direct.comoments()[k]).abs() < 1e-12);
        }
    }

    #[test]
    fn integer_weights_equal_repeated_rows() {
        let x = [1.0, 4.0, 2.0, 8.0];
        let y = [3.0, 1.0, 2.0, 5.0];
        let w = [1.0, 3.0, 0.0, 2.0];
        let mw = Moments::from_columns(&["x", "y"], &[&x, &y], Some(&w)).unwrap();
        let xr = [1.0, 4.0, 4.0, 4.0, 8.0, 8.0];
        let yr = [3.0, 1.0, 1.0, 1.0, 5.0, 5.0];
        let mr = Moments::from_columns(&["x", "y"], &[&xr, &yr], None).unwrap();
        for k in 0..4 {
            assert!((mw.comoments()[k] - mr.comoments()[k]).abs() < 1e-12);
        }
        assert!((mw.correlation()[1] - mr.correlation()[1]).abs() < 1e-14);
        assert_eq!(mw.weight_sum(), 6.0);
    }

    #[test]
    fn select_reorders() {
        let x = [1.0, 2.0, 4.0];
        let y = [1.0, 0.0, 2.0];
        let m = Moments::from_columns(&["x", "y"], &[&x, &y], None).unwrap();
        let s = m.select(&["y", "x"]).unwrap();
        assert_eq!(s.means(), &[1.0, 7.0 / 3.0]);
        assert_eq!(s.comoments()[1], m.comoments()[1]);
        assert!(m.select(&["z"]).is_err());
    }

    #[test]
    fn bad_weights() {
        let x = [1.0, 2.0];
        assert!(matches!(
            Moments::from_columns(&["x"], &[&x], Some(&[1.0, -1.0])),
            Err(Error::InvalidWeights { .. })
        ));
        assert!(matches!(
            Moments::from_columns(&["x"], &[&x], Some(&[0.0, 0.0])),
            Err(Error::InvalidWeights { .. })
        ));
        assert!(matches!(
            Moments::from_columns(&["x"], &[&[1.0, f64::NAN]], None),
            Err(Error::MissingValues { .. })
        ));
    }
}
