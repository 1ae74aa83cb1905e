//! Key-driver analysis by relative importance: how much of the R² of a
//! target (overall satisfaction, a construct score) each driver accounts for.
//!
//! Every measure is a function of the (p + 1) × (p + 1) correlation matrix of
//! the drivers and the target, computed once from the complete rows
//! (listwise deletion; the number of dropped rows is reported):
//!
//! - **Shapley / LMG** (Lindeman, Merenda & Gold 1980; Grömping 2007): the
//!   average increase in R² when a driver is added, over all orders of entry.
//!   With p ≤ [`EXACT_LIMIT`] drivers it is computed exactly from the R² of
//!   all 2ᵖ subsets; each subset's R² comes from an incremental Cholesky
//!   factor of its correlation matrix (one new row per added driver, so a
//!   depth-first walk over the subsets costs O(2ᵖ p²)). Beyond that it is
//!   approximated by averaging the R² increments over
//!   [`DriverOptions::permutations`] random orders of entry (seeded; Castro,
//!   Gómez & Tejada 2009), and the Monte Carlo standard error of each value
//!   is reported. The values sum to R² exactly in both cases.
//! - **Johnson's relative weights** (Johnson 2000): with R_xx = P Λ Pᵀ and
//!   Z = P Λ^½ Pᵀ, β = Z⁻¹ r_xy and ε_j = Σ_k Z_jk² β_k²; they sum to R².
//! - **Dominance analysis** (Budescu 1993; Azen & Budescu 2003): complete
//!   (one driver adds more than the other to every subset of the others),
//!   conditional (its average addition is larger at every subset size) and
//!   general (the mean of the conditional values, which equals Shapley).
//!   Computed with the exact decomposition only.
//!
//! Bootstrap intervals resample rows with replacement (resample `i` draws
//! from its own ChaCha8 stream of the seed, so results do not depend on the
//! thread count) and take percentiles (type 7) of the Shapley and Johnson
//! values.

pub mod link;
pub mod profile;
pub mod text;

use serde::Serialize;

use crate::pls::resample::{
    base_rng, par_map, quantile_sorted, shuffle, stream_rng, uniform_index,
};
use crate::{Dataset, Error, Result};

/// Above this many drivers, Shapley values are approximated by permutation
/// sampling and dominance is not computed (2¹⁵ = 32 768 subsets).
pub const EXACT_LIMIT: usize = 15;

/// The largest number of drivers accepted ([`Error::TooManyDrivers`] above).
pub const MAX_DRIVERS: usize = 200;

/// A driver whose tolerance 1 − R²(driver on the others before it) is at or
/// below this value is collinear ([`Error::CollinearDrivers`]).
pub const COLLINEAR_TOL: f64 = 1e-10;

/// Settings of a key-driver analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverOptions {
    /// Bootstrap resamples for the intervals (0 = none; default 0).
    pub bootstrap: usize,
    /// Seed of the bootstrap and of the permutation sampling (default 1).
    pub seed: u64,
    /// Confidence level of the intervals (default 0.95).
    pub level: f64,
    /// Random orders of entry when p > [`EXACT_LIMIT`] (default 5000).
    pub permutations: usize,
}

impl Default for DriverOptions {
    fn default() -> Self {
        DriverOptions {
            bootstrap: 0,
            seed: 1,
            level: 0.95,
            permutations: 5000,
        }
    }
}

/// The relative importance of one driver.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverImportance {
    /// The driver (column or construct).
    pub name: String,
    /// Shapley/LMG share of R² (the values sum to `r_squared`).
    pub shapley: f64,
    /// `shapley` / R².
    pub shapley_share: f64,
    /// Johnson's (2000) relative weight (the weights sum to `r_squared`).
    pub johnson: f64,
    /// `johnson` / R².
    pub johnson_share: f64,
    /// General dominance (Azen & Budescu 2003); null beyond [`EXACT_LIMIT`] drivers.
    pub dominance_general: Option<f64>,
    /// Lower percentile bootstrap bound of `shapley` (null without bootstrap).
    pub ci_lower: Option<f64>,
    /// Upper percentile bootstrap bound of `shapley`.
    pub ci_upper: Option<f64>,
    /// Lower percentile bootstrap bound of `johnson`.
    pub johnson_ci_lower: Option<f64>,
    /// Upper percentile bootstrap bound of `johnson`.
    pub johnson_ci_upper: Option<f64>,
    /// Monte Carlo standard error of `shapley` (permutation sampling only).
    pub shapley_mc_se: Option<f64>,
    /// Correlation with the target.
    pub correlation: f64,
    /// Standardized regression coefficient in the full model.
    pub beta: f64,
    /// Rank by `shapley` (1 = most important).
    pub rank: usize,
}

/// How the Shapley values were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapleyMethod {
    /// From the R² of all 2ᵖ subsets.
    Exact,
    /// Averaged over random orders of entry.
    Permutation,
}

/// Dominance of one pair of drivers (Azen & Budescu 2003): the name of the
/// dominating driver at each level, or null when neither dominates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DominancePair {
    /// First driver.
    pub a: String,
    /// Second driver.
    pub b: String,
    /// Which adds more R² to every subset of the other drivers.
    pub complete: Option<String>,
    /// Which has the larger average addition at every subset size.
    pub conditional: Option<String>,
    /// Which has the larger general dominance.
    pub general: Option<String>,
}

/// Dominance analysis (Budescu 1993; Azen & Budescu 2003).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dominance {
    /// Per driver (in input order), its average R² increase when added to a
    /// subset of k other drivers, k = 0 … p − 1 (k = 0: its squared
    /// correlation with the target).
    pub conditional: Vec<Vec<f64>>,
    /// Every pair.
    pub pairs: Vec<DominancePair>,
}

/// The bootstrap behind the intervals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverBootstrap {
    /// Resamples asked for.
    pub resamples: usize,
    /// Resamples that could not be used (a constant or collinear driver in
    /// the resample); the percentiles use the others.
    pub failed: usize,
    /// Seed.
    pub seed: u64,
    /// Confidence level.
    pub level: f64,
}

/// The result of a key-driver analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverAnalysis {
    /// The target.
    pub target: String,
    /// Rows used (complete in the target and every driver).
    pub n: usize,
    /// Rows dropped by listwise deletion.
    pub n_dropped: usize,
    /// R² of the target on all drivers.
    pub r_squared: f64,
    /// The drivers, in input order.
    pub drivers: Vec<DriverImportance>,
    /// How the Shapley values were computed.
    pub shapley_method: ShapleyMethod,
    /// Random orders of entry used (permutation method only).
    pub permutations: Option<usize>,
    /// Dominance analysis (exact method only).
    pub dominance: Option<Dominance>,
    /// The bootstrap, when asked for.
    pub bootstrap: Option<DriverBootstrap>,
}

impl DriverAnalysis {
    /// The drivers sorted by Shapley value, largest first.
    pub fn ranked(&self) -> Vec<&DriverImportance> {
        let mut v: Vec<&DriverImportance> = self.drivers.iter().collect();
        v.sort_by_key(|d| d.rank);
        v
    }
}

/// The complete rows of `columns`: the columns (each of length n) and the
/// number of rows dropped because a value was missing (`NaN`).
///
/// # Errors
/// [`Error::UnknownColumn`], [`Error::NonNumeric`], [`Error::NonFinite`];
/// [`Error::EmptyData`] when no row is complete.
pub(crate) fn complete_rows(data: &Dataset, columns: &[&str]) -> Result<(Vec<Vec<f64>>, usize)> {
    let cols: Vec<&[f64]> = columns
        .iter()
        .map(|c| data.numeric(c))
        .collect::<Result<_>>()?;
    for (name, col) in columns.iter().zip(&cols) {
        if let Some(row) = col.iter().position(|x| x.is_infinite()) {
            return Err(Error::NonFinite {
                column: name.to_string(),
                row: row + 1,
            });
        }
    }
    let n = data.n_rows();
    let keep: Vec<usize> = (0..n)
        .filter(|&i| cols.iter().all(|c| !c[i].is_nan()))
        .collect();
    let dropped = n - keep.len();
    if keep.is_empty() {
        return Err(Error::EmptyData {
            context: format!(
                " complete in {} after listwise deletion of {dropped} rows",
                columns.join(", ")
            ),
        });
    }
    let out = cols
        .iter()
        .map(|c| keep.iter().map(|&i| c[i]).collect())
        .collect();
    Ok((out, dropped))
}

/// Errors with [`Error::ConstantColumn`] when a column has no variance
/// (SD ≤ 1e-12 × |mean|, as elsewhere in the library).
pub(crate) fn check_constant(names: &[&str], cols: &[Vec<f64>]) -> Result<()> {
    for (name, c) in names.iter().zip(cols) {
        let n = c.len() as f64;
        let mean = c.iter().sum::<f64>() / n;
        let var = c.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        if !(var > 0.0) || var.sqrt() <= 1e-12 * mean.abs() {
            return Err(Error::ConstantColumn {
                column: name.to_string(),
                value: c[0],
            });
        }
    }
    Ok(())
}

/// Pearson correlation matrix (row-major q × q) of the columns of rows
/// `rows` (each index may repeat); `None` when a column is constant in them.
fn correlation(cols: &[Vec<f64>], rows: Option<&[usize]>) -> Option<Vec<f64>> {
    let q = cols.len();
    let n = rows.map_or(cols[0].len(), |r| r.len());
    let get = |c: &Vec<f64>, i: usize| match rows {
        Some(r) => c[r[i]],
        None => c[i],
    };
    let means: Vec<f64> = cols
        .iter()
        .map(|c| (0..n).map(|i| get(c, i)).sum::<f64>() / n as f64)
        .collect();
    let centered: Vec<Vec<f64>> = cols
        .iter()
        .zip(&means)
        .map(|(c, m)| (0..n).map(|i| get(c, i) - m).collect())
        .collect();
    let mut r = vec![0.0; q * q];
    for a in 0..q {
        for b in 0..=a {
            let s: f64 = centered[a]
                .iter()
                .zip(&centered[b])
                .map(|(x, y)| x * y)
                .sum();
            r[a * q + b] = s;
            r[b * q + a] = s;
        }
    }
    let sd: Vec<f64> = (0..q).map(|a| r[a * q + a].sqrt()).collect();
    for (a, m) in means.iter().enumerate() {
        if !(sd[a] > 1e-12 * m.abs() * (n as f64).sqrt()) || !(sd[a] > 0.0) {
            return None;
        }
    }
    for a in 0..q {
        for b in 0..q {
            r[a * q + b] /= sd[a] * sd[b];
        }
        r[a * q + a] = 1.0;
    }
    Some(r)
}

/// Adds variable `j` to the Cholesky factor `l` (row-major, stride p) of
/// the correlation matrix of the variables `idx` (its first `d` rows):
/// fills row `d` below the diagonal and returns the squared diagonal
/// 1 − R²(j on `idx`) (Golub & Van Loan 2013, §4.2; the bordering method).
fn extend(r: &[f64], q: usize, p: usize, l: &mut [f64], idx: &[usize], j: usize) -> f64 {
    let d = idx.len();
    for c in 0..d {
        let mut s = r[idx[c] * q + j];
        for m in 0..c {
            s -= l[c * p + m] * l[d * p + m];
        }
        l[d * p + c] = s / l[c * p + c];
    }
    1.0 - (0..d).map(|c| l[d * p + c].powi(2)).sum::<f64>()
}

/// The first driver (in order) that is a linear combination of the drivers
/// before it: its index and its tolerance 1 − R².
fn first_collinear(r: &[f64], q: usize, p: usize) -> Option<(usize, f64)> {
    let mut l = vec![0.0; p * p];
    let mut kept: Vec<usize> = Vec::new();
    for j in 0..p {
        let d = kept.len();
        let tol = extend(r, q, p, &mut l, &kept, j);
        if !(tol > COLLINEAR_TOL) {
            return Some((j, tol.max(0.0)));
        }
        l[d * p + d] = tol.sqrt();
        kept.push(j);
    }
    None
}

/// R² of every subset of the p drivers (indexed by bit mask; the target is
/// variable p of the q = p + 1 correlation matrix `r`), by a depth-first
/// walk that extends the Cholesky factor of the subset by one row per added
/// driver.
fn all_subsets(r: &[f64], q: usize, p: usize) -> Vec<f64> {
    struct Walk<'a> {
        r: &'a [f64],
        q: usize,
        p: usize,
        l: Vec<f64>,
        z: Vec<f64>,
        idx: Vec<usize>,
        out: Vec<f64>,
    }
    fn go(w: &mut Walk<'_>, depth: usize, start: usize, mask: usize, r2: f64) {
        let (p, q, y) = (w.p, w.q, w.p);
        for j in start..p {
            let d = extend(w.r, q, p, &mut w.l, &w.idx[..depth], j)
                .max(COLLINEAR_TOL)
                .sqrt();
            w.l[depth * p + depth] = d;
            let mut t = w.r[j * q + y];
            for c in 0..depth {
                t -= w.l[depth * p + c] * w.z[c];
            }
            w.z[depth] = t / d;
            let next = r2 + w.z[depth] * w.z[depth];
            let m = mask | (1 << j);
            w.out[m] = next;
            w.idx[depth] = j;
            go(w, depth + 1, j + 1, m, next);
        }
    }
    let mut w = Walk {
        r,
        q,
        p,
        l: vec![0.0; p * p],
        z: vec![0.0; p],
        idx: vec![0; p],
        out: vec![0.0; 1 << p],
    };
    go(&mut w, 0, 0, 0, 0.0);
    w.out
}

/// Binomial coefficient as f64.
fn choose(n: usize, k: usize) -> f64 {
    let k = k.min(n - k);
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// Exact Shapley values from the subset table: φ_i = Σ_{S ∌ i}
/// |S|!(p − |S| − 1)!/p! · (v(S ∪ i) − v(S)) (Shapley 1953).
fn shapley_exact(v: &[f64], p: usize) -> Vec<f64> {
    let weights: Vec<f64> = (0..p)
        .map(|s| 1.0 / (p as f64 * choose(p - 1, s)))
        .collect();
    (0..p)
        .map(|i| {
            let bit = 1 << i;
            let mut phi = 0.0;
            for mask in 0..(1usize << p) {
                if mask & bit == 0 {
                    phi += weights[mask.count_ones() as usize] * (v[mask | bit] - v[mask]);
                }
            }
            phi
        })
        .collect()
}

/// Conditional dominance values C_i(k) (Azen & Budescu 2003).
fn conditional(v: &[f64], p: usize) -> Vec<Vec<f64>> {
    (0..p)
        .map(|i| {
            let bit = 1 << i;
            let mut sums = vec![0.0; p];
            for mask in 0..(1usize << p) {
                if mask & bit == 0 {
                    sums[mask.count_ones() as usize] += v[mask | bit] - v[mask];
                }
            }
            sums.iter()
                .enumerate()
                .map(|(k, s)| s / choose(p - 1, k))
                .collect()
        })
        .collect()
}

fn dominance(v: &[f64], p: usize, names: &[String]) -> (Dominance, Vec<f64>) {
    let cond = conditional(v, p);
    let general: Vec<f64> = cond
        .iter()
        .map(|c| c.iter().sum::<f64>() / p as f64)
        .collect();
    let mut pairs = Vec::new();
    for a in 0..p {
        for b in a + 1..p {
            let (ba, bb) = (1 << a, 1 << b);
            let (mut a_wins, mut b_wins) = (true, true);
            for mask in 0..(1usize << p) {
                if mask & (ba | bb) == 0 {
                    let (va, vb) = (v[mask | ba], v[mask | bb]);
                    a_wins &= va > vb;
                    b_wins &= vb > va;
                }
            }
            let pick = |aw: bool, bw: bool| {
                if aw {
                    Some(names[a].clone())
                } else if bw {
                    Some(names[b].clone())
                } else {
                    None
                }
            };
            let ca = (0..p - 1).all(|k| cond[a][k] > cond[b][k]);
            let cb = (0..p - 1).all(|k| cond[b][k] > cond[a][k]);
            pairs.push(DominancePair {
                a: names[a].clone(),
                b: names[b].clone(),
                complete: pick(a_wins, b_wins),
                conditional: pick(ca, cb),
                general: pick(general[a] > general[b], general[b] > general[a]),
            });
        }
    }
    (
        Dominance {
            conditional: cond,
            pairs,
        },
        general,
    )
}

/// Shapley values averaged over `m` random orders of entry, with their
/// Monte Carlo standard errors.
fn shapley_sampled(r: &[f64], q: usize, p: usize, m: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let base = base_rng(seed);
    let draws: Vec<Vec<f64>> = par_map(
        m,
        None,
        || (),
        |_, k| {
            let mut rng = stream_rng(&base, k as u64);
            let mut order: Vec<usize> = (0..p).collect();
            shuffle(&mut rng, &mut order);
            increments(r, q, p, &order)
        },
    );
    let mut mean = vec![0.0; p];
    for d in &draws {
        for (a, x) in mean.iter_mut().zip(d) {
            *a += x;
        }
    }
    mean.iter_mut().for_each(|x| *x /= m as f64);
    let se = (0..p)
        .map(|i| {
            if m < 2 {
                return f64::NAN;
            }
            let ss: f64 = draws.iter().map(|d| (d[i] - mean[i]).powi(2)).sum();
            (ss / (m - 1) as f64 / m as f64).sqrt()
        })
        .collect();
    (mean, se)
}

/// The R² increment of each driver when they enter in `order` (indexed by driver).
fn increments(r: &[f64], q: usize, p: usize, order: &[usize]) -> Vec<f64> {
    let mut l = vec![0.0; p * p];
    let mut z = vec![0.0; p];
    let mut out = vec![0.0; p];
    for (d, &j) in order.iter().enumerate() {
        let dd = extend(r, q, p, &mut l, &order[..d], j)
            .max(COLLINEAR_TOL)
            .sqrt();
        l[d * p + d] = dd;
        let mut t = r[j * q + p];
        for c in 0..d {
            t -= l[d * p + c] * z[c];
        }
        z[d] = t / dd;
        out[j] = z[d] * z[d];
    }
    out
}

/// Johnson's (2000) relative weights and the standardized regression
/// coefficients, from the correlation matrix.
fn johnson(r: &[f64], q: usize, p: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rxx = vec![0.0; p * p];
    for a in 0..p {
        for b in 0..p {
            rxx[a * p + b] = r[a * q + b];
        }
    }
    let rxy: Vec<f64> = (0..p).map(|a| r[a * q + p]).collect();
    let (values, vectors) = crate::linalg::symmetric_eigen(&rxx, p);
    // Z = P Λ^½ Pᵀ, Z⁻¹ = P Λ^-½ Pᵀ.
    let mut z = vec![0.0; p * p];
    let mut zinv = vec![0.0; p * p];
    for a in 0..p {
        for b in 0..p {
            let (mut s, mut t) = (0.0, 0.0);
            for k in 0..p {
                let lam = values[k].max(0.0);
                let pp = vectors[a * p + k] * vectors[b * p + k];
                s += pp * lam.sqrt();
                t += pp / lam.sqrt();
            }
            z[a * p + b] = s;
            zinv[a * p + b] = t;
        }
    }
    let beta_z: Vec<f64> = (0..p)
        .map(|a| (0..p).map(|b| zinv[a * p + b] * rxy[b]).sum())
        .collect();
    let eps = (0..p)
        .map(|j| {
            (0..p)
                .map(|k| z[j * p + k].powi(2) * beta_z[k].powi(2))
                .sum()
        })
        .collect();
    let beta = crate::linalg::spd_solve(&rxx, p, &rxy).unwrap_or_else(|| vec![f64::NAN; p]);
    (eps, beta)
}

/// Shapley and Johnson values of one correlation matrix.
fn core(r: &[f64], p: usize, options: &DriverOptions, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let q = p + 1;
    let shapley = if p <= EXACT_LIMIT {
        shapley_exact(&all_subsets(r, q, p), p)
    } else {
        shapley_sampled(r, q, p, options.permutations, seed).0
    };
    (shapley, johnson(r, q, p).0)
}

/// Relative importance of `drivers` for `target` in `data` (see the module
/// documentation for the methods).
///
/// # Errors
/// [`Error::InvalidSetting`] for an empty driver list, a driver repeated or
/// equal to the target, a level outside (0, 1) or no permutations;
/// [`Error::TooManyDrivers`] above [`MAX_DRIVERS`]; the errors of missing or
/// non-numeric columns; [`Error::TooFewObservations`] with fewer than p + 2
/// complete rows; [`Error::ConstantColumn`]; [`Error::CollinearDrivers`].
pub fn analyze(
    data: &Dataset,
    target: &str,
    drivers: &[String],
    options: &DriverOptions,
) -> Result<DriverAnalysis> {
    let setting = |name: &str, message: String| Error::InvalidSetting {
        name: name.into(),
        message,
    };
    let p = drivers.len();
    if p == 0 {
        return Err(setting("drivers", "give at least one driver".into()));
    }
    if p > MAX_DRIVERS {
        return Err(Error::TooManyDrivers {
            count: p,
            limit: MAX_DRIVERS,
        });
    }
    for (i, d) in drivers.iter().enumerate() {
        if d == target {
            return Err(setting(
                "drivers",
                format!("`{d}` is the target; a driver must differ from it"),
            ));
        }
        if drivers[..i].contains(d) {
            return Err(setting("drivers", format!("`{d}` is listed twice")));
        }
    }
    if !(options.level > 0.0 && options.level < 1.0) {
        return Err(setting(
            "level",
            format!("{} is not between 0 and 1", options.level),
        ));
    }
    if p > EXACT_LIMIT && options.permutations == 0 {
        return Err(setting(
            "permutations",
            format!("{p} drivers need permutation sampling; give at least 1 permutation"),
        ));
    }
    let mut names: Vec<&str> = drivers.iter().map(String::as_str).collect();
    names.push(target);
    let (cols, n_dropped) = complete_rows(data, &names)?;
    let n = cols[0].len();
    if n < p + 2 {
        return Err(Error::TooFewObservations {
            what: format!("a key-driver analysis of {p} drivers"),
            needed: p + 2,
            available: n,
        });
    }
    check_constant(&names, &cols)?;
    let q = p + 1;
    let r = correlation(&cols, None).ok_or_else(|| Error::ConstantColumn {
        column: target.into(),
        value: cols[p][0],
    })?;
    if let Some((j, tol)) = first_collinear(&r, q, p) {
        return Err(Error::CollinearDrivers {
            driver: drivers[j].clone(),
            others: drivers[..j].to_vec(),
            tolerance: tol,
        });
    }
    let names_owned: Vec<String> = drivers.to_vec();
    let (shapley, mc_se, dom, general, method, perms, r_squared) = if p <= EXACT_LIMIT {
        let v = all_subsets(&r, q, p);
        let s = shapley_exact(&v, p);
        let (d, g) = dominance(&v, p, &names_owned);
        // R² of the full set, from the same subset table.
        let full = v[(1 << p) - 1];
        (s, None, Some(d), Some(g), ShapleyMethod::Exact, None, full)
    } else {
        let (s, se) = shapley_sampled(&r, q, p, options.permutations, options.seed);
        let full = increments(&r, q, p, &(0..p).collect::<Vec<_>>())
            .iter()
            .sum();
        (
            s,
            Some(se),
            None,
            None,
            ShapleyMethod::Permutation,
            Some(options.permutations),
            full,
        )
    };
    let (johnson_w, beta) = johnson(&r, q, p);

    // Bootstrap.
    let mut ci: Vec<[Option<f64>; 4]> = vec![[None; 4]; p];
    let bootstrap = if options.bootstrap > 0 {
        let base = base_rng(options.seed);
        let draws: Vec<Option<(Vec<f64>, Vec<f64>)>> = par_map(
            options.bootstrap,
            None,
            || (),
            |_, b| {
                let mut rng = stream_rng(&base, b as u64);
                let rows: Vec<usize> = (0..n).map(|_| uniform_index(&mut rng, n)).collect();
                let rb = correlation(&cols, Some(&rows))?;
                if first_collinear(&rb, q, p).is_some() {
                    return None;
                }
                Some(core(
                    &rb,
                    p,
                    options,
                    options.seed.wrapping_add(b as u64 + 1),
                ))
            },
        );
        let ok: Vec<&(Vec<f64>, Vec<f64>)> = draws.iter().flatten().collect();
        let alpha = 1.0 - options.level;
        if !ok.is_empty() {
            for i in 0..p {
                let mut s: Vec<f64> = ok.iter().map(|d| d.0[i]).collect();
                let mut j: Vec<f64> = ok.iter().map(|d| d.1[i]).collect();
                s.sort_by(f64::total_cmp);
                j.sort_by(f64::total_cmp);
                ci[i] = [
                    Some(quantile_sorted(&s, alpha / 2.0)),
                    Some(quantile_sorted(&s, 1.0 - alpha / 2.0)),
                    Some(quantile_sorted(&j, alpha / 2.0)),
                    Some(quantile_sorted(&j, 1.0 - alpha / 2.0)),
                ];
            }
        }
        Some(DriverBootstrap {
            resamples: options.bootstrap,
            failed: options.bootstrap - ok.len(),
            seed: options.seed,
            level: options.level,
        })
    } else {
        None
    };

    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&a, &b| shapley[b].total_cmp(&shapley[a]).then(a.cmp(&b)));
    let mut rank = vec![0; p];
    for (k, &i) in order.iter().enumerate() {
        rank[i] = k + 1;
    }
    let share = |x: f64| {
        if r_squared > 0.0 {
            x / r_squared
        } else {
            f64::NAN
        }
    };
    let out = (0..p)
        .map(|i| DriverImportance {
            name: drivers[i].clone(),
            shapley: shapley[i],
            shapley_share: share(shapley[i]),
            johnson: johnson_w[i],
            johnson_share: share(johnson_w[i]),
            dominance_general: general.as_ref().map(|g| g[i]),
            ci_lower: ci[i][0],
            ci_upper: ci[i][1],
            johnson_ci_lower: ci[i][2],
            johnson_ci_upper: ci[i][3],
            shapley_mc_se: mc_se.as_ref().map(|s: &Vec<f64>| s[i]),
            correlation: r[i * q + p],
            beta: beta[i],
            rank: rank[i],
        })
        .collect();
    Ok(DriverAnalysis {
        target: target.to_string(),
        n,
        n_dropped,
        r_squared,
        drivers: out,
        shapley_method: method,
        permutations: perms,
        dominance: dom,
        bootstrap,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Dataset {
        // y = x1 + 0.5 x2 + noise-like pattern, x3 unrelated-ish.
        let x1 = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 2.0, 5.0];
        let x2 = vec![2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0, 9.0, 1.0];
        let x3 = vec![5.0, 3.0, 1.0, 4.0, 2.0, 5.0, 3.0, 1.0, 2.0, 4.0];
        let y = vec![2.5, 2.0, 5.5, 5.0, 8.5, 8.0, 11.0, 12.0, 6.0, 6.0];
        Dataset::from_columns(vec![("x1", x1), ("x2", x2), ("x3", x3), ("y", y)]).unwrap()
    }

    #[test]
    fn permutation_sampling_matches_exact() {
        let d = data();
        let names = ["x1", "x2", "x3", "y"];
        let (cols, _) = complete_rows(&d, &names).unwrap();
        let r = correlation(&cols, None).unwrap();
        let exact = shapley_exact(&all_subsets(&r, 4, 3), 3);
        let (sampled, se) = shapley_sampled(&r, 4, 3, 4000, 5);
        for i in 0..3 {
            assert!((exact[i] - sampled[i]).abs() < 5.0 * se[i] + 1e-12, "{i}");
        }
        let s1: f64 = exact.iter().sum();
        let s2: f64 = sampled.iter().sum();
        assert!((s1 - s2).abs() < 1e-12);
    }

    #[test]
    fn collinear_and_too_many() {
        let mut d = data();
        let x1 = d.numeric("x1").unwrap().to_vec();
        let x2 = d.numeric("x2").unwrap().to_vec();
        d.set_numeric("x4", x1.iter().zip(&x2).map(|(a, b)| a - 2.0 * b).collect())
            .unwrap();
        let drivers: Vec<String> = ["x1", "x2", "x4"].iter().map(|s| s.to_string()).collect();
        let e = analyze(&d, "y", &drivers, &DriverOptions::default()).unwrap_err();
        assert!(
            matches!(e, Error::CollinearDrivers { ref driver, .. } if driver == "x4"),
            "{e}"
        );
        let many: Vec<String> = (0..=MAX_DRIVERS).map(|i| format!("v{i}")).collect();
        assert!(matches!(
            analyze(&d, "y", &many, &DriverOptions::default()),
            Err(Error::TooManyDrivers { .. })
        ));
    }
}
