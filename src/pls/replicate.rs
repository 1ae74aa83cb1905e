//! Replicate moments: a **Poisson bootstrap** that runs where the rows live.
//!
//! Each row r gets, for each replicate b = 0 … B − 1, an independent weight
//! k_rb ~ Poisson(1) (times its case weight), and replicate b's moments are the
//! moments of the rows under those weights. The weight is not drawn from a
//! stream that walks over the rows: it is a pure function of
//! (seed, row key, b) — a counter-based generator (the SplitMix64 finalizer
//! of Steele, Lea & Flood 2014 over the three numbers, then the inverse
//! Poisson(1) distribution function) — so a row gets the same weights in
//! whichever partition, and in whichever order, it is processed. Replicate
//! moments of disjoint partitions therefore merge exactly (Chan, Golub &
//! LeVeque 1983, as [`Moments::merge`]) into the replicate moments of all the
//! rows, and every statistic of a fit — paths, weights, loadings, R², the
//! CSI index, impacts, IPMA importances — is re-estimated per replicate from
//! the merged moments without moving a row ([`ReplicateMoments::intervals`]).
//!
//! **How it differs from the multinomial bootstrap** ([`crate::Bootstrap`]):
//! a multinomial resample draws exactly n rows with replacement, so the
//! counts are Multinomial(n; 1/n, …, 1/n) and sum to n; here the counts are
//! independent Poisson(1), so each replicate's total weight is itself random
//! (mean n, SD √n). The counts of one row are the same in the limit
//! (Multinomial(n, 1/n) → Poisson(1)), and for statistics that are smooth
//! functions of means — every PLS estimate is one — the two bootstraps give
//! the same first-order standard errors and percentile intervals (Hanley &
//! MacGibbon 2006, "Creating non-parametric bootstrap samples using Poisson
//! frequencies"; Chamandy, Muralidharan, Najmi & Naidu 2012, "Estimating
//! uncertainty for massive data streams", who use exactly this scheme for
//! sharded data). The Poisson version needs no knowledge of n and no
//! coordination between partitions, which is what makes it distributable;
//! its draws differ from those of [`crate::Bootstrap`] with the same seed, so
//! the two give different (equally valid) intervals.
//!
//! Rows need a **key** that is unique and stable (a respondent or
//! interaction id): two rows with one key get the same weights (the
//! replicates would treat them as one unit, a cluster bootstrap of the key).
//! Duplicate keys within a partition are an error; across partitions they
//! cannot be seen, so keys must be unique by construction.
//!
//! ```
//! use csikit::pls::replicate::{ReplicateMoments, pls_statistics};
//! use csikit::{Dataset, MissingPolicy, Pls, SurveySimulator};
//! let data = SurveySimulator::new(300).seed(4).simulate().unwrap();
//! let model = SurveySimulator::model();
//! let names: Vec<&str> = model.indicators().collect();
//! let keys: Vec<u64> = (0..300).collect();
//! let whole = ReplicateMoments::from_dataset(&data, &names, None, &keys, MissingPolicy::Listwise, 100, 7)
//!     .unwrap()
//!     .0;
//! // Two partitions, computed anywhere, merge into the same replicates.
//! let (a, b) = (data.take_rows(&(0..120).collect::<Vec<_>>()).unwrap(), data.take_rows(&(120..300).collect::<Vec<_>>()).unwrap());
//! let mut merged = ReplicateMoments::from_dataset(&a, &names, None, &keys[..120], MissingPolicy::Listwise, 100, 7).unwrap().0;
//! merged.merge(&ReplicateMoments::from_dataset(&b, &names, None, &keys[120..], MissingPolicy::Listwise, 100, 7).unwrap().0).unwrap();
//! let ci = merged.intervals(&Pls::new(&model), 0.95, |fit| Ok(pls_statistics(fit))).unwrap();
//! let whole_ci = whole.intervals(&Pls::new(&model), 0.95, |fit| Ok(pls_statistics(fit))).unwrap();
//! let (x, y) = (&ci.estimates[0], &whole_ci.estimates[0]);
//! assert!((x.ci_lower - y.ci_lower).abs() < 1e-12 && (x.std_error - y.std_error).abs() < 1e-12);
//! ```

use serde::{Deserialize, Serialize};

use super::Pls;
use super::bootstrap::{BootEstimate, summarize};
use super::fit::PlsFit;
use super::moments::{MissingPolicy, MissingReport, Moments, Prepared, accumulate};
use crate::csi::{Construct, Scales, Statistics, bootstrap_statistics};
use crate::data::Dataset;
use crate::error::{Error, Result};

/// Largest number of replicates (each is a set of p × p moments).
pub const MAX_REPLICATES: usize = 100_000;

/// The SplitMix64 output function (Steele, Lea & Flood 2014): a bijective
/// mixer of 64-bit words whose outputs pass BigCrush for counter inputs.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The golden-ratio increment of SplitMix64.
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// The key of a row given as text (an id such as `"A-10234"`): the 64-bit
/// FNV-1a hash (Fowler, Noll & Vo 1991) of its UTF-8 bytes, stable across
/// machines, processes and versions (unlike Python's `hash`).
pub fn text_key(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The per-row part of the generator: a function of the seed and the key.
#[inline]
fn row_state(seed: u64, key: u64) -> u64 {
    mix(mix(seed ^ 0x5851_f42d_4c95_7f2d).wrapping_add(key.wrapping_mul(GOLDEN)))
}

/// The per-replicate part of the generator.
#[inline]
fn replicate_state(b: usize) -> u64 {
    mix((b as u64).wrapping_add(1).wrapping_mul(GOLDEN))
}

/// A Poisson(1) count from a uniform word: the inverse distribution function
/// P(K ≤ k) = e⁻¹ Σ_{j ≤ k} 1/j! (k ≤ 25: P(K > 25) < 1e-26).
#[inline]
fn poisson1(word: u64) -> u32 {
    let u = (word >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    let mut p = (-1.0f64).exp();
    let mut cdf = p;
    let mut k = 0u32;
    while u >= cdf && k < 25 {
        k += 1;
        p /= f64::from(k);
        cdf += p;
    }
    k
}

/// The Poisson(1) weight of the row with `key` in replicate `b` under `seed`:
/// the same wherever and in whatever order the row is processed.
pub fn poisson_weight(seed: u64, key: u64, b: usize) -> u32 {
    poisson1(mix(row_state(seed, key) ^ replicate_state(b)))
}

/// The moments of a set of rows and of its Poisson-bootstrap replicates
/// (see the [module documentation](self)). Merge partitions with
/// [`ReplicateMoments::merge`]; serializable (serde), so any engine can ship them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplicateMoments {
    seed: u64,
    full: Moments,
    replicates: Vec<Moments>,
}

impl ReplicateMoments {
    /// Replicate moments of no rows (the neutral element of `merge`).
    pub fn empty<S: AsRef<str>>(names: &[S], replicates: usize, seed: u64) -> Self {
        ReplicateMoments {
            seed,
            full: Moments::empty(names),
            replicates: vec![Moments::empty(names); replicates],
        }
    }

    /// The moments of the named columns of `data` (one partition, or all the
    /// rows) and of `replicates` Poisson-bootstrap replicates, the rows keyed
    /// by `keys` (one per row of `data`). Missing data are handled as
    /// [`Moments::from_partition`] does: a partition without a usable row gives
    /// empty moments whose report counts its rows as dropped.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for a number of replicates outside
    /// 1..=[`MAX_REPLICATES`], a key count that is not the row count, or a
    /// key used by two rows; [`Error::Unsupported`] for
    /// [`MissingPolicy::Mean`] (a partition's means are not the whole's) and
    /// [`MissingPolicy::Pairwise`]; the errors of [`Moments::from_partition`].
    pub fn from_dataset<S: AsRef<str>>(
        data: &Dataset,
        columns: &[S],
        weights: Option<&str>,
        keys: &[u64],
        policy: MissingPolicy,
        replicates: usize,
        seed: u64,
    ) -> Result<(Self, MissingReport)> {
        if replicates == 0 || replicates > MAX_REPLICATES {
            return Err(Error::InvalidSetting {
                name: "replicates".into(),
                message: format!("{replicates}: use 1 to {MAX_REPLICATES} replicates"),
            });
        }
        if matches!(policy, MissingPolicy::Mean | MissingPolicy::Pairwise) {
            return Err(Error::Unsupported {
                feature: "replicate moments with mean replacement or pairwise deletion".into(),
                context: "(a partition's means and pairs are not those of all the rows): use listwise deletion".into(),
            });
        }
        if keys.len() != data.n_rows() {
            return Err(Error::InvalidSetting {
                name: "key".into(),
                message: format!("{} keys for {} rows", keys.len(), data.n_rows()),
            });
        }
        check_unique(keys)?;
        let (full, report) = Moments::from_partition(data, columns, weights, policy)?;
        let mut out = ReplicateMoments::empty(columns, replicates, seed);
        if full.n() == 0 {
            return Ok((out, report));
        }
        let prepared = Prepared::new(data, columns, weights, policy)?;
        let states: Vec<u64> = keys.iter().map(|&k| row_state(seed, k)).collect();
        let mut w = vec![0.0; data.n_rows()];
        let rows = prepared.rows.as_deref();
        let n_used = rows.map_or(data.n_rows(), <[usize]>::len);
        let row_at = |i: usize| rows.map_or(i, |r| r[i]);
        for (b, rep) in out.replicates.iter_mut().enumerate() {
            let s = replicate_state(b);
            for i in 0..n_used {
                let r = row_at(i);
                let k = f64::from(poisson1(mix(states[r] ^ s)));
                w[r] = prepared.weights.map_or(k, |cw| cw[r] * k);
            }
            let mut m = accumulate(
                &prepared.columns,
                rows,
                Some(&w),
                prepared.impute.as_deref(),
            );
            m.set_names(columns);
            *rep = m;
        }
        out.full = full;
        Ok((out, report))
    }

    /// Adds another partition's replicate moments (same variables, seed and
    /// number of replicates).
    ///
    /// # Errors
    /// [`Error::MomentsMismatch`] if the variables, the seed or the number of
    /// replicates differ.
    pub fn merge(&mut self, other: &ReplicateMoments) -> Result<()> {
        if self.seed != other.seed || self.replicates.len() != other.replicates.len() {
            return Err(Error::MomentsMismatch {
                message: format!(
                    "replicates {} with seed {} vs {} with seed {}: compute every partition with the same replicates= and seed=",
                    self.replicates.len(),
                    self.seed,
                    other.replicates.len(),
                    other.seed
                ),
            });
        }
        self.full.merge(&other.full)?;
        for (a, b) in self.replicates.iter_mut().zip(&other.replicates) {
            a.merge(b)?;
        }
        Ok(())
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The moments of the rows themselves (unit Poisson weights): a fit from
    /// them is the point estimate.
    pub fn full(&self) -> &Moments {
        &self.full
    }

    /// The moments of each replicate.
    pub fn replicates(&self) -> &[Moments] {
        &self.replicates
    }

    /// Fits `pls`'s model to the full moments and to each replicate's, and
    /// summarizes `statistic` over the replicates: estimate (full moments),
    /// mean, SE (SD of the replicate values), percentile interval at
    /// `confidence` (type-7 quantiles, as [`crate::Bootstrap`]). A replicate
    /// whose fit or statistic fails, or gives a vector of another length or a
    /// non-finite value, is dropped and counted in `failed`.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for a confidence outside (0, 1); the fit's
    /// and the statistic's errors on the full moments;
    /// [`Error::TooManyFailedResamples`] when more than half the replicates
    /// fail or fewer than two remain.
    pub fn intervals<F>(
        &self,
        pls: &Pls<'_>,
        confidence: f64,
        statistic: F,
    ) -> Result<ReplicateIntervals>
    where
        F: Fn(&PlsFit) -> Result<Statistics>,
    {
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(Error::InvalidSetting {
                name: "confidence".into(),
                message: format!("{confidence} is not between 0 and 1"),
            });
        }
        let fit = pls.fit_moments(&self.full)?;
        let Statistics { names, values } = statistic(&fit)?;
        let mut draws: Vec<Vec<f64>> = Vec::with_capacity(self.replicates.len());
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for m in &self.replicates {
            let out = pls
                .fit_moments(m)
                .and_then(|f| statistic(&f))
                .and_then(|s| {
                    if s.values.len() != values.len() {
                        Err(Error::Shape {
                            message: "the statistic changed length".into(),
                        })
                    } else if s.values.iter().any(|x| !x.is_finite()) {
                        Err(Error::Shape {
                            message: "a non-finite value".into(),
                        })
                    } else {
                        Ok(s.values)
                    }
                });
            match out {
                Ok(v) => draws.push(v),
                Err(e) => {
                    let kind = format!("{:?}", e.kind());
                    match reasons.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, c)) => *c += 1,
                        None => reasons.push((kind, 1)),
                    }
                }
            }
        }
        let failed = self.replicates.len() - draws.len();
        if draws.len() < 2 || 2 * failed > self.replicates.len() {
            return Err(Error::TooManyFailedResamples {
                what: "Poisson-bootstrap replicates".into(),
                failed,
                attempted: self.replicates.len(),
                max_share: 0.5,
                reasons: reasons
                    .iter()
                    .map(|(k, c)| format!("{c} {k} errors"))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let n = usize::try_from(self.full.n()).unwrap_or(usize::MAX);
        let estimates = values
            .iter()
            .enumerate()
            .map(|(j, &est)| {
                let column: Vec<f64> = draws.iter().map(|d| d[j]).collect();
                summarize(est, column, &[], confidence, n, false)
            })
            .collect();
        Ok(ReplicateIntervals {
            replicates: self.replicates.len(),
            seed: self.seed,
            failed,
            confidence,
            n_observations: self.full.n(),
            names,
            estimates,
            draws,
        })
    }
}

/// Refuses a key used by two rows (they would share their Poisson weights).
fn check_unique(keys: &[u64]) -> Result<()> {
    let mut sorted = keys.to_vec();
    sorted.sort_unstable();
    if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
        let count = sorted.iter().filter(|&&k| k == w[0]).count();
        return Err(Error::InvalidSetting {
            name: "key".into(),
            message: format!(
                "the row key {} is used by {count} rows: a key must identify one row (two rows with one key get the same bootstrap weights)",
                w[0]
            ),
        });
    }
    Ok(())
}

/// Percentile intervals and SEs of statistics over Poisson-bootstrap
/// replicates ([`ReplicateMoments::intervals`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplicateIntervals {
    /// Replicates drawn.
    pub replicates: usize,
    /// The seed.
    pub seed: u64,
    /// Replicates dropped (the fit or the statistic failed).
    pub failed: usize,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Rows in the full moments.
    pub n_observations: u64,
    /// Names of the statistics (see [`pls_statistics`], [`csi_statistics`]).
    pub names: Vec<String>,
    /// One summary per statistic, same order (`bca_*` are `None`).
    pub estimates: Vec<BootEstimate>,
    /// The statistic of each usable replicate, in replicate order.
    #[serde(skip)]
    pub draws: Vec<Vec<f64>>,
}

impl ReplicateIntervals {
    /// The summary of the statistic `name` (e.g. `path:Image->Satisfaction`).
    pub fn get(&self, name: &str) -> Option<&BootEstimate> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.estimates[i])
    }
}

/// The PLS statistics of a fit as one named vector: `path:A->B` (structural
/// paths), `total:A->B` (total effects), `weight:x`, `loading:x` (outer
/// weights and loadings), `r2:C` (R² of each endogenous construct).
pub fn pls_statistics(fit: &PlsFit) -> Statistics {
    let mut names = Vec::new();
    let mut values = Vec::new();
    for p in &fit.paths {
        names.push(format!("path:{}->{}", p.from, p.to));
        values.push(p.estimate);
    }
    for e in &fit.effects {
        names.push(format!("total:{}->{}", e.from, e.to));
        values.push(e.total);
    }
    for o in &fit.outer {
        names.push(format!("weight:{}", o.indicator));
        values.push(o.weight);
    }
    for o in &fit.outer {
        names.push(format!("loading:{}", o.indicator));
        values.push(o.loading);
    }
    for c in &fit.constructs {
        if let Some(r2) = c.r_squared {
            names.push(format!("r2:{}", c.name));
            values.push(r2);
        }
    }
    Statistics { names, values }
}

/// [`pls_statistics`] followed by the CSI statistics of
/// [`bootstrap_statistics`] (`index:C`, `impact:D->T`, `importance:X`: the
/// 0–100 index of every construct, the impacts on `target` and the IPMA
/// importances of its drivers and their indicators).
///
/// # Errors
/// Those of [`bootstrap_statistics`].
pub fn csi_statistics(fit: &PlsFit, scales: &Scales, target: &Construct) -> Result<Statistics> {
    let mut s = pls_statistics(fit);
    let c = bootstrap_statistics(fit, scales, target.clone())?;
    s.names.extend(c.names);
    s.values.extend(c.values);
    Ok(s)
}
