//! The lean estimation core: from the indicator matrix S and converged outer
//! weights to loadings, path coefficients, R², effects and HTMT, with no
//! per-row work and no eigen-decompositions. [`PlsFit`](super::PlsFit) is
//! assembled on top of it; the bootstrap and the multi-group permutation test
//! call it once per resample.

use super::algorithm::{self, Layout};
use super::plsc::{self, Consistency};
use crate::error::{Error, Result};
use crate::linalg;
use crate::model::{Mode, Model};

/// The OLS regression of one endogenous construct on its predecessors,
/// computed from the construct correlations.
#[derive(Debug, Clone)]
pub(crate) struct Regression {
    /// The dependent construct.
    pub to: usize,
    /// Coefficients, one per predecessor (ascending construct index).
    pub beta: Vec<f64>,
    /// Inverse of the predecessors' correlation matrix (q × q).
    pub inv: Vec<f64>,
    /// R².
    pub r2: f64,
}

/// Everything derived from S and the outer weights that the resampling
/// procedures need.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    /// Outer weights, block by block (wᵀ S_jj w = 1 per block).
    pub w: Vec<f64>,
    /// S·W (p × k): cov(x_i, y_k).
    pub sw: Vec<f64>,
    /// Construct correlations (k × k).
    pub c: Vec<f64>,
    /// Loading of each indicator on its own construct.
    pub loadings: Vec<f64>,
    /// One regression per endogenous construct, in model order.
    pub regressions: Vec<Regression>,
    /// Path coefficients, `b[to * k + from]`.
    pub b: Vec<f64>,
    /// Total effects, `total[to * k + from]`.
    pub total: Vec<f64>,
    /// rho_A of every block (computed only for PLSc).
    pub rho_a: Option<Vec<f64>>,
    /// The PLSc correction (consistent PLS only): loadings, `c` and everything
    /// after them are then the corrected values.
    pub consistency: Option<Consistency>,
}

impl Core {
    /// Derives the estimates from S and oriented outer weights; with
    /// `consistent`, applies the PLSc correction (Dijkstra & Henseler 2015) to
    /// the loadings and construct correlations before the inner regressions.
    ///
    /// # Errors
    /// [`Error::SingularPredictors`] if an endogenous construct's predecessors
    /// are collinear; [`Error::PlscReliability`] (PLSc) for a rho_A that is not positive.
    pub(crate) fn derive(
        layout: &Layout,
        s: &[f64],
        w: Vec<f64>,
        names: &[String],
        indicator_names: &[String],
        consistent: bool,
    ) -> Result<Core> {
        let (p, k) = (layout.p, layout.k);
        let mut sw = vec![0.0; p * k];
        algorithm::s_times_w(layout, s, &w, &mut sw);
        let mut c = vec![0.0; k * k];
        algorithm::construct_cov(layout, &sw, &w, &mut c);
        let mut loadings: Vec<f64> = (0..p)
            .map(|i| sw[i * k + layout.block_of[i]] / s[i * p + i].sqrt())
            .collect();
        let (rho_a, consistency) = if consistent {
            let sd: Vec<f64> = (0..p).map(|i| s[i * p + i].sqrt()).collect();
            let rho_a = rho_a_all(layout, &w, &sd, &correlations(p, s));
            let consistency = plsc::correct(
                layout,
                names,
                indicator_names,
                &rho_a,
                &w,
                &sd,
                &mut loadings,
                &mut c,
            )?;
            (Some(rho_a), Some(consistency))
        } else {
            (None, None)
        };
        let mut b = vec![0.0; k * k];
        let mut regressions = Vec::new();
        for j in 0..k {
            let pred = &layout.pred[j];
            if pred.is_empty() {
                continue;
            }
            let q = pred.len();
            let mut cpp = vec![0.0; q * q];
            let mut cpj = vec![0.0; q];
            for (x, &px) in pred.iter().enumerate() {
                cpj[x] = c[px * k + j];
                for (y, &py) in pred.iter().enumerate() {
                    cpp[x * q + y] = c[px * k + py];
                }
            }
            // Disattenuated correlations may be indefinite: no Cholesky then.
            let inv = if consistent {
                linalg::inverse(&cpp, q)
            } else {
                linalg::spd_inverse(&cpp, q)
            }
            .ok_or_else(|| Error::SingularPredictors {
                construct: names[j].clone(),
            })?;
            let beta: Vec<f64> = (0..q)
                .map(|x| (0..q).map(|y| inv[x * q + y] * cpj[y]).sum())
                .collect();
            let r2 = beta.iter().zip(&cpj).map(|(bb, cc)| bb * cc).sum();
            for (x, &px) in pred.iter().enumerate() {
                b[j * k + px] = beta[x];
            }
            regressions.push(Regression {
                to: j,
                beta,
                inv,
                r2,
            });
        }
        let total = total_effects(k, &b);
        Ok(Core {
            w,
            sw,
            c,
            loadings,
            regressions,
            b,
            total,
            rho_a,
            consistency,
        })
    }

    /// False for a PLSc solution with an admissibility problem.
    pub(crate) fn admissible(&self) -> bool {
        self.consistency.as_ref().is_none_or(|c| c.admissible)
    }
}

/// rho_A of every block (weights scaled to unit-variance standardized composites).
pub(crate) fn rho_a_all(layout: &Layout, w: &[f64], sd: &[f64], corr: &[f64]) -> Vec<f64> {
    (0..layout.k)
        .map(|j| {
            let r = layout.block(j);
            let wj: Vec<f64> = r.clone().map(|i| w[i] * sd[i]).collect();
            rho_a_block(&wj, r.start, layout.p, corr)
        })
        .collect()
}

/// Dijkstra–Henseler's rho_A of one block (Dijkstra & Henseler 2015, eq. 11):
/// (wᵀw)² · wᵀ(R − diag R)w / wᵀ(wwᵀ − diag(wwᵀ))w with w the weights of the
/// standardized indicators (composite variance 1) and R the indicator
/// correlations; the block starts at indicator `start`. 1 for a single indicator.
pub(crate) fn rho_a_block(wj: &[f64], start: usize, p: usize, corr: &[f64]) -> f64 {
    let q = wj.len();
    if q == 1 {
        return 1.0;
    }
    let ww: f64 = wj.iter().map(|x| x * x).sum();
    let mut num = 0.0;
    let mut den = 0.0;
    for a in 0..q {
        for bb in 0..q {
            if a != bb {
                num += wj[a] * corr[(start + a) * p + start + bb] * wj[bb];
                den += wj[a] * wj[a] * wj[bb] * wj[bb];
            }
        }
    }
    ww * ww * num / den
}

/// Total effects T = B + B² + … = (I − B)⁻¹ − I (B nilpotent for a recursive
/// model), `b` and the result indexed `[to * k + from]`.
pub(crate) fn total_effects(k: usize, b: &[f64]) -> Vec<f64> {
    let mut total = vec![0.0; k * k];
    let mut power = b.to_vec();
    let mut next = vec![0.0; k * k];
    for _ in 0..k {
        if power.iter().all(|x| *x == 0.0) {
            break;
        }
        for (t, x) in total.iter_mut().zip(&power) {
            *t += x;
        }
        next.iter_mut().for_each(|x| *x = 0.0);
        for i in 0..k {
            for m in 0..k {
                let bim = b[i * k + m];
                if bim != 0.0 {
                    for jj in 0..k {
                        next[i * k + jj] += bim * power[m * k + jj];
                    }
                }
            }
        }
        std::mem::swap(&mut power, &mut next);
    }
    total
}

/// reach[from * k + to]: a directed path leads from `from` to `to`.
pub(crate) fn reachability(layout: &Layout) -> Vec<bool> {
    let k = layout.k;
    let mut reach = vec![false; k * k];
    for start in 0..k {
        let mut stack = layout.succ[start].clone();
        while let Some(v) = stack.pop() {
            if !reach[start * k + v] {
                reach[start * k + v] = true;
                stack.extend(layout.succ[v].iter().copied());
            }
        }
    }
    reach
}

/// The ordered pairs (from, to) joined by a directed path, in the order of
/// [`PlsFit::effects`](super::PlsFit::effects): both ends in topological order.
pub(crate) fn effect_pairs(layout: &Layout, model: &Model) -> Vec<(usize, usize)> {
    let k = layout.k;
    let reach = reachability(layout);
    let order = model.topological_order();
    order
        .iter()
        .flat_map(|&from| order.iter().map(move |&to| (from, to)))
        .filter(|&(from, to)| reach[from * k + to])
        .collect()
}

/// The most specific indirect effects listed: a model with more chains
/// than this (possible only with very many constructs and paths) gets an
/// [`Error::Unsupported`] instead of an exponentially long list.
pub const MAX_SPECIFIC_INDIRECT: usize = 10_000;

/// Every chain of constructs from → m₁ → … → to of at least two paths (the
/// specific indirect effects; Brown 1997; Preacher & Hayes 2008), grouped by
/// (from, to) in the order of [`effect_pairs`], each group in depth-first
/// order of the successors (model order).
///
/// # Errors
/// [`Error::Unsupported`] past [`MAX_SPECIFIC_INDIRECT`] chains.
pub(crate) fn specific_indirect_chains(layout: &Layout, model: &Model) -> Result<Vec<Vec<usize>>> {
    let k = layout.k;
    let reach = reachability(layout);
    let mut out = Vec::new();
    for (from, to) in effect_pairs(layout, model) {
        // Depth-first over successors that still lead to `to`.
        let mut stack: Vec<Vec<usize>> = vec![vec![from]];
        let mut found = Vec::new();
        while let Some(chain) = stack.pop() {
            let last = *chain.last().expect("chains are never empty");
            for &m in layout.succ[last].iter().rev() {
                if m == to {
                    if chain.len() >= 2 {
                        let mut c = chain.clone();
                        c.push(to);
                        found.push(c);
                    }
                } else if reach[m * k + to] {
                    let mut c = chain.clone();
                    c.push(m);
                    stack.push(c);
                }
            }
            if out.len() + found.len() > MAX_SPECIFIC_INDIRECT {
                return Err(Error::Unsupported {
                    feature: format!(
                        "more than {MAX_SPECIFIC_INDIRECT} specific indirect effects"
                    ),
                    context: "(the model has too many chains of paths to list): use the total indirect effects".into(),
                });
            }
        }
        found.sort_by_key(|c| chain_key(layout, c));
        out.extend(found);
    }
    Ok(out)
}

/// Sort key of a chain: the successor positions taken at each step.
fn chain_key(layout: &Layout, chain: &[usize]) -> Vec<usize> {
    chain
        .windows(2)
        .map(|w| {
            layout.succ[w[0]]
                .iter()
                .position(|&m| m == w[1])
                .unwrap_or(usize::MAX)
        })
        .collect()
}

/// A specific indirect effect: the product of the path coefficients along
/// the chain (`b[to * k + from]`).
pub(crate) fn chain_effect(k: usize, b: &[f64], chain: &[usize]) -> f64 {
    chain.windows(2).map(|w| b[w[1] * k + w[0]]).product()
}

/// Indicator correlations from S (S itself when standardized).
pub(crate) fn correlations(p: usize, s: &[f64]) -> Vec<f64> {
    let sd: Vec<f64> = (0..p).map(|i| s[i * p + i].sqrt()).collect();
    (0..p * p)
        .map(|ij| s[ij] / (sd[ij / p] * sd[ij % p]))
        .collect()
}

/// The pairs of constructs HTMT is reported for: Mode A with at least two
/// indicators each, in model order.
pub(crate) fn htmt_pairs(layout: &Layout, model: &Model) -> Vec<(usize, usize)> {
    let eligible: Vec<usize> = (0..layout.k)
        .filter(|&j| model.constructs()[j].mode == Mode::A && layout.block(j).len() > 1)
        .collect();
    eligible
        .iter()
        .enumerate()
        .flat_map(|(x, &a)| eligible[x + 1..].iter().map(move |&b| (a, b)))
        .collect()
}

/// HTMT (Henseler, Ringle & Sarstedt 2015) of each pair: the mean heterotrait
/// correlation over the geometric mean of the two mean monotrait correlations,
/// from absolute (seminr, SmartPLS) or signed (cSEM) indicator correlations.
pub(crate) fn htmt_values(
    layout: &Layout,
    corr: &[f64],
    pairs: &[(usize, usize)],
    absolute: bool,
) -> Vec<f64> {
    let p = layout.p;
    let f = |x: f64| if absolute { x.abs() } else { x };
    let mono = |j: usize| {
        let r = layout.block(j);
        // A single indicator's monotrait mean is 1 by convention (seminr,
        // cSEM, SmartPLS): HTMT is then the mean heterotrait correlation over
        // the other block's root monotrait mean. [`htmt_pairs`] never pairs one.
        if r.len() == 1 {
            return 1.0;
        }
        let mut s = 0.0;
        let mut m = 0;
        for a in r.clone() {
            for b in r.clone().filter(|&b| b > a) {
                s += f(corr[a * p + b]);
                m += 1;
            }
        }
        s / m as f64
    };
    pairs
        .iter()
        .map(|&(a, b)| {
            let (ra, rb) = (layout.block(a), layout.block(b));
            let het: f64 = ra
                .clone()
                .flat_map(|i| rb.clone().map(move |j| (i, j)))
                .map(|(i, j)| f(corr[i * p + j]))
                .sum::<f64>()
                / (ra.len() * rb.len()) as f64;
            let m = mono(a) * mono(b);
            // Not defined when a block's mean monotrait correlation is 0 (or,
            // signed, negative): NaN (JSON null), never ±∞.
            if m > 0.0 { het / m.sqrt() } else { f64::NAN }
        })
        .collect()
}
