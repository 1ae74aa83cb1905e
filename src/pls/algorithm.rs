//! The PLS-PM iteration (Wold 1982; Lohmöller 1989; Tenenhaus et al. 2005),
//! run entirely on the p × p indicator correlation (or covariance) matrix S.
//!
//! With indicator block X_j and weights w_j, the construct proxy is
//! y_j = X_j w_j, scaled to unit variance (w_jᵀ S_jj w_j = 1), so that every
//! quantity the iteration needs is a function of S:
//! cov(y_j, y_k) = w_jᵀ S_jk w_k and cov(X_j, y_k) = S_j· w_k.
//! Updates are simultaneous (Lohmöller's variant): all new weights are computed
//! from the previous iteration's proxies.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::linalg;
use crate::model::{Mode, Model};

/// The inner weighting scheme (Lohmöller 1989; Tenenhaus et al. 2005, §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// e_jk = sign(cor(y_j, y_k)) for adjacent constructs (Wold's original; plspm's default).
    Centroid,
    /// e_jk = cor(y_j, y_k) for adjacent constructs.
    Factorial,
    /// e_jk = multiple-regression coefficient of y_k when y_j is regressed on its
    /// predecessors k; cor(y_j, y_k) for successors k (seminr, cSEM, SmartPLS default).
    #[default]
    Path,
}

impl std::fmt::Display for Scheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Scheme::Centroid => "centroid",
            Scheme::Factorial => "factorial",
            Scheme::Path => "path",
        })
    }
}

impl std::str::FromStr for Scheme {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "centroid" => Ok(Scheme::Centroid),
            "factorial" => Ok(Scheme::Factorial),
            "path" => Ok(Scheme::Path),
            _ => Err(Error::InvalidSetting {
                name: "scheme".into(),
                message: format!("`{s}` is not one of path, centroid, factorial"),
            }),
        }
    }
}

/// How the change between two iterations' outer weights is measured for the
/// stopping rule. The peers differ; the tight fixed point is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopRule {
    /// max |w_new − w_old| (cSEM's rule; csikit's default).
    #[default]
    MaxAbsChange,
    /// R plspm 0.5's rule (Sanchez 2013, *PLS Path Modeling with R*, §4; the
    /// `tol` argument of `plspm()`): Σ (|u_old| − |u_new|)² < tol, where u are
    /// the *unnormalized* outer weights of two consecutive updates (Mode A:
    /// cov(X_j, z_j); Mode B: S_jj⁻¹ cov(X_j, z_j), on plspm's scale: see
    /// `PlspmScale`) and the first update is compared with the normalized
    /// starting weights. The test is applied after every update. With it csikit
    /// reproduces plspm's default-tolerance results and iteration counts.
    Plspm,
    /// Σ |w_new − w_old| (seminr's rule).
    SumAbsChange,
}

impl std::fmt::Display for StopRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StopRule::MaxAbsChange => "max_abs_change",
            StopRule::Plspm => "plspm",
            StopRule::SumAbsChange => "sum_abs_change",
        })
    }
}

impl std::str::FromStr for StopRule {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "max_abs_change" => Ok(StopRule::MaxAbsChange),
            "plspm" => Ok(StopRule::Plspm),
            "sum_abs_change" => Ok(StopRule::SumAbsChange),
            _ => Err(Error::InvalidSetting {
                name: "stop_rule".into(),
                message: format!("`{s}` is not one of max_abs_change, sum_abs_change, plspm"),
            }),
        }
    }
}

/// How the outer weights are obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// The PLS-PM iteration (Wold 1982; Lohmöller 1989), Mode A or B per block.
    #[default]
    Pls,
    /// Unit weights: every indicator of a block weighs the same, the
    /// composite is the sum score of the (standardized or centred)
    /// indicators scaled to unit variance (cSEM's `.approach_weights =
    /// "unit"`; Dijkstra & Henseler 2015 call them sum scores). No iteration
    /// is run (0 iterations); modes are ignored.
    Unit,
}

impl Weighting {
    /// Whether this is the default ([`Weighting::Pls`]).
    pub fn is_pls(&self) -> bool {
        *self == Weighting::Pls
    }
}

impl std::fmt::Display for Weighting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Weighting::Pls => "pls",
            Weighting::Unit => "unit",
        })
    }
}

impl std::str::FromStr for Weighting {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "pls" | "pls_pm" | "pls-pm" => Ok(Weighting::Pls),
            "unit" | "sum" | "sum_score" | "sum_scores" => Ok(Weighting::Unit),
            _ => Err(Error::InvalidSetting {
                name: "weighting".into(),
                message: format!("`{s}` is not one of pls, unit"),
            }),
        }
    }
}

/// The block structure the iteration needs, derived once from a [`Model`].
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Number of constructs.
    pub k: usize,
    /// Number of indicators.
    pub p: usize,
    /// Block j holds indicators `start[j]..start[j + 1]`.
    pub start: Vec<usize>,
    pub mode: Vec<Mode>,
    pub pred: Vec<Vec<usize>>,
    pub succ: Vec<Vec<usize>>,
    /// Construct of each indicator.
    pub block_of: Vec<usize>,
    /// Taken as a composite by consistent PLS (not corrected for
    /// attenuation): interaction terms (as seminr does) and the Mode A
    /// constructs declared composites ([`Layout::with_composites`]).
    pub composite: Vec<bool>,
}

impl Layout {
    pub(crate) fn new(model: &Model) -> Self {
        let k = model.constructs().len();
        let mut start = Vec::with_capacity(k + 1);
        let mut block_of = Vec::new();
        let mut p = 0;
        for (j, c) in model.constructs().iter().enumerate() {
            start.push(p);
            p += c.indicators.len();
            block_of.extend(std::iter::repeat_n(j, c.indicators.len()));
        }
        start.push(p);
        Layout {
            k,
            p,
            start,
            mode: model.constructs().iter().map(|c| c.mode).collect(),
            pred: (0..k).map(|j| model.predecessors(j).to_vec()).collect(),
            succ: (0..k).map(|j| model.successors(j).to_vec()).collect(),
            block_of,
            composite: (0..k).map(|j| model.is_interaction(j)).collect(),
        }
    }

    /// Marks the constructs named in `composites` as composites for
    /// consistent PLS.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for a name that is not a construct of `model`.
    pub(crate) fn with_composites(mut self, model: &Model, composites: &[String]) -> Result<Self> {
        for name in composites {
            let j = model.construct_index(name).ok_or_else(|| {
                let names: Vec<&str> = model.constructs().iter().map(|c| c.name.as_str()).collect();
                Error::InvalidSetting {
                    name: "composites".into(),
                    message: format!(
                        "`{name}` is not a construct of the model estimated{}",
                        crate::error::suggest(name, names.iter().copied())
                    ),
                }
            })?;
            self.composite[j] = true;
        }
        Ok(self)
    }

    pub(crate) fn block(&self, j: usize) -> std::ops::Range<usize> {
        self.start[j]..self.start[j + 1]
    }
}

/// Settings of the iteration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IterSettings {
    pub scheme: Scheme,
    pub tol: f64,
    pub max_iter: usize,
    pub stop: StopRule,
    /// For [`StopRule::Plspm`]: the factors that put csikit's weights on
    /// plspm's scale ([`PlspmScale`]).
    pub plspm_scale: PlspmScale,
}

/// How plspm's weights relate to csikit's. plspm 0.5 iterates on indicators
/// standardized with population moments (or only centred), composites
/// `scale(Y) * sqrt((n−1)/n)` (sample variance (n−1)/n), Mode A weights
/// (1/n)·X′z and Mode B weights (X′X)⁻¹X′z, and starting weights giving
/// composites of population variance 1. With q = (n−1)/n its unnormalized
/// weights are csikit's (S·w, or S_jj⁻¹ of it, with wᵀSw = 1 on the sample
/// correlations or covariances) times: standardized, start 1, Mode A q,
/// Mode B q; centred, start q^(−1/2), Mode A q^(3/2), Mode B q^(1/2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PlspmScale {
    /// Factor of the starting weights.
    pub start: f64,
    /// Factor of the Mode A updates.
    pub mode_a: f64,
    /// Factor of the Mode B updates.
    pub mode_b: f64,
}

impl PlspmScale {
    /// The factors for `n` rows; `centred` for covariances.
    pub(crate) fn new(n: f64, centred: bool) -> Self {
        let q = if n > 1.0 { (n - 1.0) / n } else { 1.0 };
        if centred {
            PlspmScale {
                start: 1.0 / q.sqrt(),
                mode_a: q * q.sqrt(),
                mode_b: q.sqrt(),
            }
        } else {
            PlspmScale {
                start: 1.0,
                mode_a: q,
                mode_b: q,
            }
        }
    }
}

/// Converged (or not) outer weights.
#[derive(Debug, Clone)]
pub(crate) struct OuterWeights {
    /// Weights of all indicators, block by block, with wᵀ S_jj w = 1 per block.
    pub w: Vec<f64>,
    pub iterations: usize,
    pub change: f64,
    pub converged: bool,
}

/// Construct names for error messages.
pub(crate) type Names<'a> = &'a [String];

/// S·W (p × k, row-major): column k holds cov(x_i, y_k).
pub(crate) fn s_times_w(layout: &Layout, s: &[f64], w: &[f64], out: &mut [f64]) {
    let (p, k) = (layout.p, layout.k);
    for i in 0..p {
        let row = &s[i * p..(i + 1) * p];
        for j in 0..k {
            let r = layout.block(j);
            out[i * k + j] = row[r.clone()].iter().zip(&w[r]).map(|(a, b)| a * b).sum();
        }
    }
}

/// Construct covariance C = Wᵀ S W (k × k) from S·W.
pub(crate) fn construct_cov(layout: &Layout, sw: &[f64], w: &[f64], out: &mut [f64]) {
    let k = layout.k;
    for a in 0..k {
        for b in 0..k {
            out[a * k + b] = layout.block(a).map(|i| w[i] * sw[i * k + b]).sum();
        }
    }
}

/// Rescales each block's weights so that wᵀ S_jj w = 1.
fn normalize(layout: &Layout, s: &[f64], w: &mut [f64], names: Names<'_>) -> Result<()> {
    let p = layout.p;
    for j in 0..layout.k {
        let r = layout.block(j);
        let mut var = 0.0;
        for a in r.clone() {
            for b in r.clone() {
                var += w[a] * s[a * p + b] * w[b];
            }
        }
        if !(var > 0.0 && var.is_finite()) {
            return Err(Error::DegenerateConstruct {
                construct: names[j].clone(),
            });
        }
        let f = 1.0 / var.sqrt();
        w[r].iter_mut().for_each(|x| *x *= f);
    }
    Ok(())
}

/// Inner weights E (k × k, row j = weights of j's neighbours) from the
/// construct correlations C.
fn inner_weights(
    layout: &Layout,
    scheme: Scheme,
    c: &[f64],
    e: &mut [f64],
    names: Names<'_>,
) -> Result<()> {
    let k = layout.k;
    e.iter_mut().for_each(|x| *x = 0.0);
    for j in 0..k {
        match scheme {
            Scheme::Centroid | Scheme::Factorial => {
                for &m in layout.pred[j].iter().chain(&layout.succ[j]) {
                    let r = c[j * k + m];
                    e[j * k + m] = if scheme == Scheme::Centroid {
                        if r > 0.0 {
                            1.0
                        } else if r < 0.0 {
                            -1.0
                        } else {
                            0.0
                        }
                    } else {
                        r
                    };
                }
            }
            Scheme::Path => {
                let pred = &layout.pred[j];
                if !pred.is_empty() {
                    let q = pred.len();
                    let mut cpp = vec![0.0; q * q];
                    let mut cpj = vec![0.0; q];
                    for (a, &pa) in pred.iter().enumerate() {
                        cpj[a] = c[pa * k + j];
                        for (b, &pb) in pred.iter().enumerate() {
                            cpp[a * q + b] = c[pa * k + pb];
                        }
                    }
                    let beta = linalg::spd_solve(&cpp, q, &cpj).ok_or_else(|| {
                        Error::SingularPredictors {
                            construct: names[j].clone(),
                        }
                    })?;
                    for (a, &pa) in pred.iter().enumerate() {
                        e[j * k + pa] = beta[a];
                    }
                }
                for &m in &layout.succ[j] {
                    e[j * k + m] = c[j * k + m];
                }
            }
        }
    }
    Ok(())
}

/// Unit weights (no iteration): every indicator of a block weighs the same,
/// scaled so that each composite has unit variance.
///
/// # Errors
/// [`Error::DegenerateConstruct`] for a block whose sum score has no variance.
pub(crate) fn unit_weights(layout: &Layout, s: &[f64], names: Names<'_>) -> Result<OuterWeights> {
    let mut w = vec![1.0; layout.p];
    normalize(layout, s, &mut w, names)?;
    Ok(OuterWeights {
        w,
        iterations: 0,
        change: 0.0,
        converged: true,
    })
}

/// Runs the iteration from unit starting weights.
///
/// Mode A: w_j ∝ Σ_k e_jk S_jk w_k = cov(X_j, z_j); Mode B: w_j ∝ S_jj⁻¹ cov(X_j, z_j).
pub(crate) fn iterate(
    layout: &Layout,
    s: &[f64],
    settings: &IterSettings,
    names: Names<'_>,
) -> Result<OuterWeights> {
    let (p, k) = (layout.p, layout.k);
    // Cholesky factors of Mode B blocks, once.
    let mut chol: Vec<Option<linalg::Factor>> = vec![None; k];
    for j in 0..k {
        if layout.mode[j] == Mode::B {
            let r = layout.block(j);
            let q = r.len();
            let mut sjj = vec![0.0; q * q];
            for (a, ia) in r.clone().enumerate() {
                for (b, ib) in r.clone().enumerate() {
                    sjj[a * q + b] = s[ia * p + ib];
                }
            }
            chol[j] = Some(
                linalg::cholesky(&sjj, q).ok_or_else(|| Error::SingularBlock {
                    construct: names[j].clone(),
                })?,
            );
        }
    }
    let mut w = vec![1.0; p];
    normalize(layout, s, &mut w, names)?;
    let mut sw = vec![0.0; p * k];
    let mut c = vec![0.0; k * k];
    let mut e = vec![0.0; k * k];
    let mut w_new = vec![0.0; p];
    // plspm's previous unnormalized weights, on its scale (StopRule::Plspm).
    let mut w_plspm = w.clone();
    w_plspm
        .iter_mut()
        .for_each(|x| *x *= settings.plspm_scale.start);
    let mut change = f64::INFINITY;
    for iteration in 1..=settings.max_iter {
        s_times_w(layout, s, &w, &mut sw);
        construct_cov(layout, &sw, &w, &mut c);
        inner_weights(layout, settings.scheme, &c, &mut e, names)?;
        for j in 0..k {
            let r = layout.block(j);
            for i in r.clone() {
                w_new[i] = (0..k).map(|m| e[j * k + m] * sw[i * k + m]).sum();
            }
            if let Some(l) = &chol[j] {
                linalg::cholesky_solve(l, &mut w_new[r]);
            }
        }
        if settings.stop == StopRule::Plspm {
            plspm_scale(layout, &settings.plspm_scale, &mut w_new);
            change = w_plspm
                .iter()
                .zip(&w_new)
                .map(|(a, b)| (a.abs() - b.abs()).powi(2))
                .sum();
            w_plspm.copy_from_slice(&w_new);
        }
        normalize(layout, s, &mut w_new, names)?;
        match settings.stop {
            StopRule::MaxAbsChange => {
                change = w
                    .iter()
                    .zip(&w_new)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
            }
            StopRule::SumAbsChange => {
                change = w.iter().zip(&w_new).map(|(a, b)| (a - b).abs()).sum();
            }
            StopRule::Plspm => {}
        }
        std::mem::swap(&mut w, &mut w_new);
        if change < settings.tol {
            return Ok(OuterWeights {
                w,
                iterations: iteration,
                change,
                converged: true,
            });
        }
        if !change.is_finite() {
            break;
        }
    }
    Ok(OuterWeights {
        w,
        iterations: settings.max_iter,
        change,
        converged: false,
    })
}

/// Puts csikit's unnormalized weights on plspm's scale ([`PlspmScale`]).
fn plspm_scale(layout: &Layout, scale: &PlspmScale, u: &mut [f64]) {
    for j in 0..layout.k {
        let f = match layout.mode[j] {
            Mode::A => scale.mode_a,
            Mode::B => scale.mode_b,
        };
        u[layout.block(j)].iter_mut().for_each(|x| *x *= f);
    }
}

/// Orients each block so that its construct correlates positively with the
/// majority of its indicators (ties: with the larger sum of loadings; then with
/// the first indicator). Flipping a construct's sign leaves the fixed point of
/// every scheme unchanged apart from that sign.
pub(crate) fn orient(layout: &Layout, s: &[f64], w: &mut [f64]) {
    let (p, k) = (layout.p, layout.k);
    let mut sw = vec![0.0; p * k];
    s_times_w(layout, s, w, &mut sw);
    for j in 0..k {
        let r = layout.block(j);
        let loads: Vec<f64> = r.clone().map(|i| sw[i * k + j]).collect();
        let pos = loads.iter().filter(|&&l| l > 0.0).count();
        let neg = loads.iter().filter(|&&l| l < 0.0).count();
        let sum: f64 = loads.iter().sum();
        let flip = neg > pos || (neg == pos && (sum < 0.0 || (sum == 0.0 && loads[0] < 0.0)));
        if flip {
            w[r].iter_mut().for_each(|x| *x = -*x);
        }
    }
}
