//! Ordinal indicators: polychoric correlations in the correlation-first engine
//! (ordinal PLS, OrdPLS: Cantaluppi 2012; ordinal consistent PLS: Schuberth,
//! Henseler & Dijkstra 2018).
//!
//! Each ordinal indicator is taken as a discretized standard-normal variable;
//! the PLS iteration then runs on the correlations of those latent normal
//! variables instead of the Pearson correlations of the category codes, which
//! are attenuated by the coarse scale (Olsson 1979; Muthén 1984).
//!
//! The **two-step** estimator of Olsson (1979) is used per pair of indicators:
//! 1. thresholds from the marginal (case-weighted) cumulative proportions,
//!    τ_c = Φ⁻¹(P(X ≤ c)), for each indicator on the rows it is observed;
//! 2. ρ maximizing the multinomial log-likelihood of the pair's contingency
//!    table, Σ n_ab ln π_ab(ρ), with
//!    π_ab = Φ₂(τ_a, τ'_b) − Φ₂(τ_{a−1}, τ'_b) − Φ₂(τ_a, τ'_{b−1}) + Φ₂(τ_{a−1}, τ'_{b−1})
//!    (a coarse grid over (−1, 1) then golden-section search, |ρ| ≤ 0.9999).
//!
//! Φ₂ is evaluated from the integral (Sheppard 1898; Plackett 1954)
//! Φ₂(h, k; ρ) = Φ(h)Φ(k) + (1/2π) ∫₀^{asin ρ} exp(−(h² + k² − 2hk sin θ)/(2cos²θ)) dθ
//! by composite Gauss–Legendre quadrature (20 nodes per panel, more panels as
//! |ρ| → 1, where the integrand steepens near θ = ±π/2) with exact limits at
//! infinite thresholds and |ρ| = 1.
//!
//! **Trade-offs.** Polychoric correlations remove the attenuation of
//! coarse scales (≤ 5–7 categories) and the path estimates of reflective
//! constructs become closer to the latent-normal truth; but (i) the normality
//! of the underlying variables is an assumption, (ii) the matrix is estimated
//! pair by pair and need not be positive definite (Mode B blocks then fail
//! with [`Error::SingularBlock`]), (iii) construct scores are not defined by
//! the method: [`PlsFit::scores`](super::PlsFit::scores) applies the weights
//! to the standardized category codes (an approximation), and the CSI index
//! uses the weights with the items' means as usual, (iv) estimation needs the
//! rows, so moment-based procedures (the bootstrap, PLSpredict, the
//! multi-group analysis) refuse it with [`Error::Unsupported`], and (v) it is
//! slower (one optimization per pair). Missing cells are left out pair by pair
//! under the mean-replacement policy (codes must stay categories). Derived
//! continuous columns (two-stage LOC scores, product indicators) would need
//! polyserial correlations, which are not implemented: polychoric
//! correlations work with higher-order constructs by repeated indicators
//! only, and are refused with interaction terms and the two-stage approaches.
//! plspm's alternative, non-metric optimal scaling (Russolillo 2012), is not
//! implemented.

use serde::{Deserialize, Serialize};

use super::moments::{MissingPolicy, Prepared};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::stats::{normal_cdf, normal_quantile};

/// Which correlations of the indicators the estimation starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CorrelationKind {
    /// Pearson correlations of the values (default).
    #[default]
    Pearson,
    /// Polychoric correlations: every indicator ordinal (see the [module docs](self)).
    Polychoric,
}

impl std::str::FromStr for CorrelationKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "pearson" => Ok(CorrelationKind::Pearson),
            "polychoric" => Ok(CorrelationKind::Polychoric),
            _ => Err(Error::InvalidSetting {
                name: "correlation".into(),
                message: format!("`{s}` is not one of pearson, polychoric"),
            }),
        }
    }
}

/// Most categories an ordinal indicator may have.
pub const MAX_CATEGORIES: usize = 20;

/// Nodes and weights of n-point Gauss–Legendre quadrature on [−1, 1]: the
/// roots of the Legendre polynomial P_n by Newton's method from the
/// Chebyshev-like guesses cos(π(i − ¼)/(n + ½)), weights 2/((1 − x²) P_n'(x)²)
/// (Abramowitz & Stegun 1964, 25.4.29).
pub fn gauss_legendre(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut x = vec![0.0; n];
    let mut w = vec![0.0; n];
    for i in 0..n.div_ceil(2) {
        let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
        let mut dp = 0.0;
        for _ in 0..100 {
            // P_n(z) and P_{n-1}(z) by the three-term recurrence.
            let (mut p0, mut p1) = (1.0, z);
            for k in 2..=n {
                let p2 = ((2 * k - 1) as f64 * z * p1 - (k - 1) as f64 * p0) / k as f64;
                p0 = p1;
                p1 = p2;
            }
            let pn = if n == 0 { 1.0 } else { p1 };
            let pn1 = if n == 1 { 1.0 } else { p0 };
            dp = n as f64 * (z * pn - pn1) / (z * z - 1.0);
            let dz = pn / dp;
            z -= dz;
            if dz.abs() < 1e-15 {
                break;
            }
        }
        x[i] = -z;
        x[n - 1 - i] = z;
        let wi = 2.0 / ((1.0 - z * z) * dp * dp);
        w[i] = wi;
        w[n - 1 - i] = wi;
    }
    (x, w)
}

fn nodes() -> &'static (Vec<f64>, Vec<f64>) {
    static NODES: std::sync::OnceLock<(Vec<f64>, Vec<f64>)> = std::sync::OnceLock::new();
    NODES.get_or_init(|| gauss_legendre(20))
}

/// The standard bivariate normal CDF Φ₂(h, k; ρ) = P(X ≤ h, Y ≤ k) with
/// correlation ρ, from Sheppard's integral (see the [module docs](self)).
/// Infinite limits and |ρ| ≥ 1 are handled exactly.
///
/// ```
/// use csikit::pls::ordinal::bivariate_normal_cdf;
/// let rho: f64 = 0.5;
/// let exact = 0.25 + rho.asin() / (2.0 * std::f64::consts::PI);
/// assert!((bivariate_normal_cdf(0.0, 0.0, rho) - exact).abs() < 1e-14);
/// ```
pub fn bivariate_normal_cdf(h: f64, k: f64, rho: f64) -> f64 {
    if h == f64::NEG_INFINITY || k == f64::NEG_INFINITY {
        return 0.0;
    }
    if h == f64::INFINITY {
        return normal_cdf(k);
    }
    if k == f64::INFINITY {
        return normal_cdf(h);
    }
    if rho >= 1.0 {
        return normal_cdf(h.min(k));
    }
    if rho <= -1.0 {
        return (normal_cdf(h) - normal_cdf(-k)).max(0.0);
    }
    let base = normal_cdf(h) * normal_cdf(k);
    if rho == 0.0 {
        return base;
    }
    let end = rho.asin();
    let panels = match rho.abs() {
        a if a < 0.7 => 1,
        a if a < 0.95 => 4,
        a if a < 0.995 => 8,
        _ => 16,
    };
    let (x, w) = nodes();
    let (hh, hk) = (h * h + k * k, 2.0 * h * k);
    let width = end / panels as f64;
    let mut sum = 0.0;
    for p in 0..panels {
        let mid = width * (p as f64 + 0.5);
        for (xi, wi) in x.iter().zip(w) {
            let t = mid + 0.5 * width * xi;
            let (s, c) = t.sin_cos();
            sum += wi * (-(hh - hk * s) / (2.0 * c * c)).exp();
        }
    }
    let integral = sum * 0.5 * width;
    (base + integral / (2.0 * std::f64::consts::PI)).clamp(0.0, 1.0)
}

/// Categories (sorted distinct values) and each value's category index.
fn categorize(column: &str, values: &[f64]) -> Result<(Vec<f64>, Vec<usize>)> {
    let mut cats: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    cats.sort_by(f64::total_cmp);
    cats.dedup();
    if cats.len() < 2 {
        return Err(Error::NotOrdinal {
            column: column.to_string(),
            message: "fewer than two categories are observed".into(),
        });
    }
    if cats.len() > MAX_CATEGORIES {
        return Err(Error::NotOrdinal {
            column: column.to_string(),
            message: format!(
                "{} distinct values (more than {MAX_CATEGORIES}): treat it as continuous (Pearson)",
                cats.len()
            ),
        });
    }
    let idx = values
        .iter()
        .map(|v| {
            if v.is_nan() {
                usize::MAX
            } else {
                cats.partition_point(|c| c < v)
            }
        })
        .collect();
    Ok((cats, idx))
}

/// Thresholds −∞ = τ₀ < τ₁ < … < τ_C = +∞ from weighted category frequencies.
pub fn thresholds(freq: &[f64]) -> Vec<f64> {
    let total: f64 = freq.iter().sum();
    let mut t = vec![f64::NEG_INFINITY];
    let mut cum = 0.0;
    for f in &freq[..freq.len() - 1] {
        cum += f;
        t.push(normal_quantile((cum / total).clamp(1e-12, 1.0 - 1e-12)));
    }
    t.push(f64::INFINITY);
    t
}

/// Log-likelihood of a contingency table (rows × cols, row-major) under ρ.
fn log_likelihood(table: &[f64], ta: &[f64], tb: &[f64], rho: f64) -> f64 {
    let (ra, cb) = (ta.len() - 1, tb.len() - 1);
    let mut grid = vec![0.0; (ra + 1) * (cb + 1)];
    for i in 0..=ra {
        for j in 0..=cb {
            grid[i * (cb + 1) + j] = bivariate_normal_cdf(ta[i], tb[j], rho);
        }
    }
    let g = |i: usize, j: usize| grid[i * (cb + 1) + j];
    let mut ll = 0.0;
    for i in 0..ra {
        for j in 0..cb {
            let n = table[i * cb + j];
            if n > 0.0 {
                let pi = g(i + 1, j + 1) - g(i, j + 1) - g(i + 1, j) + g(i, j);
                ll += n * pi.max(1e-300).ln();
            }
        }
    }
    ll
}

/// The two-step polychoric correlation (Olsson 1979) of a contingency table
/// (rows = categories of the first variable, row-major) with the thresholds
/// of both variables (from [`thresholds`]).
pub fn polychoric_table(table: &[f64], ta: &[f64], tb: &[f64]) -> f64 {
    const LIMIT: f64 = 0.9999;
    let f = |r: f64| log_likelihood(table, ta, tb, r);
    // Coarse grid, then golden section around the best grid point.
    let steps = 40;
    let grid: Vec<f64> = (0..=steps)
        .map(|i| -LIMIT + 2.0 * LIMIT * i as f64 / steps as f64)
        .collect();
    let best = grid
        .iter()
        .map(|&r| f(r))
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(steps / 2, |(i, _)| i);
    let (mut a, mut b) = (grid[best.saturating_sub(1)], grid[(best + 1).min(steps)]);
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    while b - a > 1e-10 {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    0.5 * (a + b)
}

/// The polychoric correlation of two ordinal columns (NaN = missing, left
/// out pairwise), with optional case weights.
///
/// # Errors
/// [`Error::NotOrdinal`] for a column with fewer than 2 or more than
/// [`MAX_CATEGORIES`] categories.
pub fn polychoric(x: &[f64], y: &[f64], weights: Option<&[f64]>) -> Result<f64> {
    let (cx, ix) = categorize("x", x)?;
    let (cy, iy) = categorize("y", y)?;
    let w = |r: usize| weights.map_or(1.0, |w| w[r]);
    let mut fx = vec![0.0; cx.len()];
    let mut fy = vec![0.0; cy.len()];
    for r in 0..x.len() {
        if ix[r] != usize::MAX {
            fx[ix[r]] += w(r);
        }
        if iy[r] != usize::MAX {
            fy[iy[r]] += w(r);
        }
    }
    let mut table = vec![0.0; cx.len() * cy.len()];
    for r in 0..x.len() {
        if ix[r] != usize::MAX && iy[r] != usize::MAX {
            table[ix[r] * cy.len() + iy[r]] += w(r);
        }
    }
    Ok(polychoric_table(&table, &thresholds(&fx), &thresholds(&fy)))
}

/// The polychoric correlation matrix of the named indicators on the rows the
/// missing-data policy keeps (row-major p × p; repeated names get 1).
pub(crate) fn polychoric_matrix<S: AsRef<str>>(
    data: &Dataset,
    names: &[S],
    weights: Option<&str>,
    policy: MissingPolicy,
) -> Result<Vec<f64>> {
    let prepared = Prepared::new(data, names, weights, policy)?;
    let rows: Vec<usize> = prepared
        .rows
        .clone()
        .unwrap_or_else(|| (0..data.n_rows()).collect());
    let p = names.len();
    let cols: Vec<Vec<f64>> = prepared
        .columns
        .iter()
        .map(|c| rows.iter().map(|&r| c[r]).collect())
        .collect();
    let w: Option<Vec<f64>> = prepared
        .weights
        .map(|w| rows.iter().map(|&r| w[r]).collect());
    for (i, c) in cols.iter().enumerate() {
        categorize(names[i].as_ref(), c)?;
    }
    let mut s = vec![0.0; p * p];
    for i in 0..p {
        s[i * p + i] = 1.0;
        for j in 0..i {
            let r = if names[i].as_ref() == names[j].as_ref() {
                1.0
            } else {
                polychoric(&cols[i], &cols[j], w.as_deref())?
            };
            s[i * p + j] = r;
            s[j * p + i] = r;
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legendre_integrates_polynomials() {
        let (x, w) = gauss_legendre(20);
        assert!((w.iter().sum::<f64>() - 2.0).abs() < 1e-13);
        // ∫ x^38 over [−1, 1] = 2/39: exact up to degree 39.
        let i: f64 = x.iter().zip(&w).map(|(x, w)| w * x.powi(38)).sum();
        assert!((i - 2.0 / 39.0).abs() < 1e-13, "{i}");
    }
}
