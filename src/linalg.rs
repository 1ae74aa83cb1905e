//! Dense linear algebra for the small (p × p, p ≲ a few hundred) symmetric
//! matrices PLS works on, on top of [`nalgebra`]'s decompositions (Cholesky,
//! LU with partial pivoting, symmetric eigen-decomposition).
//!
//! The callers keep matrices as row-major `&[f64]` slices; this module copies
//! them into `nalgebra` matrices (`DMatrix::from_row_slice`, so the elements a
//! decomposition reads are the ones the row-major layout names) and hands the
//! results back row-major. What `nalgebra` does not decide for us is decided
//! here, once:
//!
//! - **Singularity.** A matrix is singular when a pivot falls below
//!   [`SINGULAR_TOL`] × a scale of the matrix (the largest diagonal entry for
//!   Cholesky, the largest absolute entry for LU), not only when it is exactly
//!   zero: callers turn `None` into a typed error naming the block or construct.
//! - **Eigenvalue order.** Eigenvalues come in decreasing order, eigenvectors
//!   as the matching columns; an eigenvector's sign is arbitrary (callers that
//!   need a sign fix it themselves).
//! - **Bad input.** A non-finite matrix is singular (Cholesky, inverse) or has
//!   NaN eigenvalues; an eigen-decomposition that does not converge gives NaN
//!   eigenvalues rather than looping or panicking.

use nalgebra::{Cholesky, DMatrix, DVectorViewMut, Dyn, LU, SymmetricEigen};

/// Relative pivot threshold below which a matrix is treated as singular.
pub(crate) const SINGULAR_TOL: f64 = 1e-12;

/// Cap on the implicit-QR iterations of [`symmetric_eigen`] per matrix
/// dimension (`nalgebra` needs a handful per eigenvalue; the cap only stops a
/// pathological input from running forever).
const EIGEN_ITER_PER_DIM: usize = 1000;

/// Cholesky factor L (L Lᵀ = A) of a symmetric positive-definite matrix.
#[derive(Clone, Debug)]
pub(crate) struct Factor(Cholesky<f64, Dyn>);

impl Factor {
    /// Dimension of the factored matrix.
    pub(crate) fn dim(&self) -> usize {
        self.0.l_dirty().nrows()
    }
}

/// Row-major copy of a column-major `nalgebra` matrix.
fn row_major(m: &DMatrix<f64>) -> Vec<f64> {
    let (r, c) = m.shape();
    let mut out = Vec::with_capacity(r * c);
    for i in 0..r {
        out.extend((0..c).map(|j| m[(i, j)]));
    }
    out
}

/// Cholesky factor of a symmetric positive-definite matrix (row-major, only
/// the lower triangle is read), or `None` if a pivot (Lⱼⱼ²) is not above
/// `SINGULAR_TOL` × the largest diagonal entry, or the matrix is empty or its
/// diagonal is not finite.
pub(crate) fn cholesky(a: &[f64], n: usize) -> Option<Factor> {
    debug_assert_eq!(a.len(), n * n);
    let max_diag = (0..n).map(|i| a[i * n + i].abs()).fold(0.0, f64::max);
    if !(max_diag > 0.0) || !max_diag.is_finite() {
        return None;
    }
    let chol = Cholesky::new(DMatrix::from_row_slice(n, n, a))?;
    let tol = SINGULAR_TOL * max_diag;
    let l = chol.l_dirty();
    (0..n)
        .all(|j| {
            let d = l[(j, j)];
            d * d > tol
        })
        .then_some(Factor(chol))
}

/// Solves L Lᵀ x = b in place (`b.len()` = the factor's dimension).
pub(crate) fn cholesky_solve(l: &Factor, b: &mut [f64]) {
    debug_assert_eq!(b.len(), l.dim());
    let n = b.len();
    l.0.solve_mut(&mut DVectorViewMut::from_slice(b, n));
}

/// Solves A x = b for symmetric positive-definite A; `None` if singular.
pub(crate) fn spd_solve(a: &[f64], n: usize, b: &[f64]) -> Option<Vec<f64>> {
    let l = cholesky(a, n)?;
    let mut x = b.to_vec();
    cholesky_solve(&l, &mut x);
    Some(x)
}

/// Inverse (row-major) of a symmetric positive-definite matrix; `None` if singular.
pub(crate) fn spd_inverse(a: &[f64], n: usize) -> Option<Vec<f64>> {
    Some(row_major(&cholesky(a, n)?.0.inverse()))
}

/// Inverse (row-major) of a general square matrix by LU decomposition with
/// partial pivoting (Golub & Van Loan 2013, §3.4); `None` if an entry is not
/// finite or a pivot |Uᵢᵢ| is not above `SINGULAR_TOL` × the largest absolute
/// entry. Used where a symmetric matrix may be indefinite (e.g. disattenuated
/// construct correlations in PLSc).
pub(crate) fn inverse(a: &[f64], n: usize) -> Option<Vec<f64>> {
    debug_assert_eq!(a.len(), n * n);
    if !a.iter().all(|x| x.is_finite()) {
        return None;
    }
    let scale = a.iter().map(|x| x.abs()).fold(0.0, f64::max);
    if !(scale > 0.0) {
        return None;
    }
    let lu = LU::new(DMatrix::from_row_slice(n, n, a));
    let tol = SINGULAR_TOL * scale;
    if !lu.u().diagonal().iter().all(|u| u.abs() > tol) {
        return None;
    }
    lu.try_inverse().map(|m| row_major(&m))
}

/// Eigen-decomposition of a symmetric matrix (row-major; only the lower
/// triangle is read) by Householder tridiagonalization and implicit symmetric
/// QR steps (Golub & Van Loan 2013, §8.3). Returns the eigenvalues in
/// decreasing order and the matching unit eigenvectors as the columns of a
/// row-major n × n matrix. A matrix with a non-finite entry, or one whose
/// iteration does not converge, gives NaN eigenvalues and eigenvectors.
pub(crate) fn symmetric_eigen(a: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    debug_assert_eq!(a.len(), n * n);
    if n == 0 {
        // `nalgebra` asserts a non-empty matrix.
        return (Vec::new(), Vec::new());
    }
    let failed = || (vec![f64::NAN; n], vec![f64::NAN; n * n]);
    if !a.iter().all(|x| x.is_finite()) {
        return failed();
    }
    let Some(eig) = SymmetricEigen::try_new(
        DMatrix::from_row_slice(n, n, a),
        f64::EPSILON,
        EIGEN_ITER_PER_DIM * n,
    ) else {
        return failed();
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| eig.eigenvalues[j].total_cmp(&eig.eigenvalues[i]));
    let values = order.iter().map(|&i| eig.eigenvalues[i]).collect();
    let mut vectors = vec![0.0; n * n];
    for (new, &old) in order.iter().enumerate() {
        for k in 0..n {
            vectors[k * n + new] = eig.eigenvectors[(k, old)];
        }
    }
    (values, vectors)
}

/// Eigenvalues, in decreasing order, of R⁻¹Σ for symmetric positive-definite R
/// and Σ (row-major p × p), computed as those of the symmetric L⁻¹ Σ L⁻ᵀ
/// (R = L Lᵀ). `None` when R or Σ is not positive definite (see [`cholesky`]).
pub(crate) fn generalized_eigenvalues(r: &[f64], sigma: &[f64], p: usize) -> Option<Vec<f64>> {
    let lr = cholesky(r, p)?;
    cholesky(sigma, p)?;
    let l = lr.0.l_dirty();
    // X = L⁻¹ Σ, then L⁻¹ Xᵀ = L⁻¹ Σ L⁻ᵀ (Σ symmetric).
    let mut m = DMatrix::from_row_slice(p, p, sigma);
    l.solve_lower_triangular_unchecked_mut(&mut m);
    m.transpose_mut();
    l.solve_lower_triangular_unchecked_mut(&mut m);
    // Symmetrize the rounding; the matrix is symmetric, so its row-major
    // slice equals its column-major one.
    let m = (&m + m.transpose()) * 0.5;
    Some(symmetric_eigen(m.as_slice(), p).0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::{assert_abs_diff_eq, assert_relative_eq};

    /// Row-major product of two n × n matrices.
    fn mul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                c[i * n + j] = (0..n).map(|k| a[i * n + k] * b[k * n + j]).sum();
            }
        }
        c
    }

    const A: [f64; 9] = [4.0, 2.0, 0.6, 2.0, 2.0, 0.5, 0.6, 0.5, 3.0];

    #[test]
    fn solves_and_inverts() {
        let x = spd_solve(&A, 3, &[1.0, 2.0, 3.0]).unwrap();
        let ax: Vec<f64> = (0..3)
            .map(|i| (0..3).map(|k| A[i * 3 + k] * x[k]).sum())
            .collect();
        assert_abs_diff_eq!(ax.as_slice(), [1.0, 2.0, 3.0].as_slice(), epsilon = 1e-12);
        let identity = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
        let inv = spd_inverse(&A, 3).unwrap();
        assert_abs_diff_eq!(
            mul(&A, &inv, 3).as_slice(),
            identity.as_slice(),
            epsilon = 1e-12
        );
        let general = inverse(&A, 3).unwrap();
        assert_abs_diff_eq!(general.as_slice(), inv.as_slice(), epsilon = 1e-12);
        assert!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
    }

    #[test]
    fn cholesky_factor_by_hand() {
        // [[4,2],[2,2]] = L Lᵀ with L = [[2,0],[1,1]]: x = A⁻¹ (6, 4) = (1, 1).
        let l = cholesky(&[4.0, 2.0, 2.0, 2.0], 2).unwrap();
        assert_eq!(l.dim(), 2);
        let mut b = [6.0, 4.0];
        cholesky_solve(&l, &mut b);
        assert_relative_eq!(b[0], 1.0, max_relative = 1e-15);
        assert_relative_eq!(b[1], 1.0, max_relative = 1e-15);
        // A⁻¹ = [[0.5, −0.5], [−0.5, 1]].
        let inv = spd_inverse(&[4.0, 2.0, 2.0, 2.0], 2).unwrap();
        assert_abs_diff_eq!(
            inv.as_slice(),
            [0.5, -0.5, -0.5, 1.0].as_slice(),
            epsilon = 1e-15
        );
    }

    #[test]
    fn singular_pivots_are_relative() {
        // The second pivot of [[1, 1], [1, 1 + d]] is d: singular at and below
        // SINGULAR_TOL × the largest diagonal, regular above it.
        for (scale, d, regular) in [
            (1.0, 1e-13, false),
            (1.0, 1e-11, true),
            (1e6, 1e-7, false),
            (1e6, 1e-5, true),
        ] {
            let a = [scale, scale, scale, scale + d];
            assert_eq!(cholesky(&a, 2).is_some(), regular, "{scale} {d}");
            assert_eq!(spd_inverse(&a, 2).is_some(), regular, "{scale} {d}");
        }
        // Indefinite, zero, empty and non-finite matrices.
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
        assert!(cholesky(&[0.0; 4], 2).is_none());
        assert!(cholesky(&[], 0).is_none());
        assert!(cholesky(&[f64::NAN, 0.0, 0.0, 1.0], 2).is_none());
        assert!(cholesky(&[1.0, 0.0, f64::NAN, 1.0], 2).is_none());
        assert!(cholesky(&[f64::INFINITY, 0.0, 0.0, 1.0], 2).is_none());
        // LU: the pivot threshold is relative to the largest entry.
        assert!(inverse(&[1.0, 2.0, 2.0, 4.0 + 1e-13], 2).is_none());
        assert!(inverse(&[1.0, 2.0, 2.0, 4.0 + 1e-9], 2).is_some());
        assert!(inverse(&[0.0; 4], 2).is_none());
        assert!(inverse(&[], 0).is_none());
        assert!(inverse(&[1.0, f64::NAN, 0.0, 1.0], 2).is_none());
        // An indefinite but regular matrix has an inverse: [[1,2],[2,1]]⁻¹ = [[−1,2],[2,−1]]/3.
        let inv = inverse(&[1.0, 2.0, 2.0, 1.0], 2).unwrap();
        let expected = [-1.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, -1.0 / 3.0];
        assert_abs_diff_eq!(inv.as_slice(), expected.as_slice(), epsilon = 1e-15);
        // Pivoting: [[0,1],[1,0]] is its own inverse.
        let inv = inverse(&[0.0, 1.0, 1.0, 0.0], 2).unwrap();
        assert_abs_diff_eq!(
            inv.as_slice(),
            [0.0, 1.0, 1.0, 0.0].as_slice(),
            epsilon = 1e-15
        );
    }

    #[test]
    fn eigen_known() {
        // [[2,1],[1,2]] has eigenvalues 3 and 1 with vectors (1,1)/√2 and (1,−1)/√2.
        let (vals, vecs) = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert_relative_eq!(vals[0], 3.0, max_relative = 1e-14);
        assert_relative_eq!(vals[1], 1.0, max_relative = 1e-14);
        assert_relative_eq!(vecs[0].abs(), 0.5f64.sqrt(), max_relative = 1e-14);
        assert!(vecs[0] * vecs[2] > 0.0);
        assert!(vecs[1] * vecs[3] < 0.0);
    }

    #[test]
    fn eigen_decreasing_and_reconstructs() {
        // Eigenvalues of the compound-symmetric correlation matrix with r = 0.5
        // (p = 4): 1 + 3r = 2.5 once and 1 − r = 0.5 three times.
        let r = 0.5;
        let p = 4;
        let a: Vec<f64> = (0..p * p)
            .map(|x| if x / p == x % p { 1.0 } else { r })
            .collect();
        let (vals, vecs) = symmetric_eigen(&a, p);
        assert_abs_diff_eq!(
            vals.as_slice(),
            [2.5, 0.5, 0.5, 0.5].as_slice(),
            epsilon = 1e-14
        );
        // V diag(λ) Vᵀ = A and Vᵀ V = I.
        let mut vl = vecs.clone();
        for k in 0..p {
            for j in 0..p {
                vl[k * p + j] *= vals[j];
            }
        }
        let vt: Vec<f64> = (0..p * p).map(|x| vecs[(x % p) * p + x / p]).collect();
        assert_abs_diff_eq!(mul(&vl, &vt, p).as_slice(), a.as_slice(), epsilon = 1e-14);
        let identity: Vec<f64> = (0..p * p).map(|x| f64::from(x / p == x % p)).collect();
        assert_abs_diff_eq!(
            mul(&vt, &vecs, p).as_slice(),
            identity.as_slice(),
            epsilon = 1e-14
        );
        // The first eigenvector is ±(1,1,1,1)/2.
        for k in 0..p {
            assert_relative_eq!(vecs[k * p].abs(), 0.5, max_relative = 1e-13);
        }
        // Negative eigenvalues sort last.
        let (vals, _) = symmetric_eigen(&[1.0, 2.0, 2.0, 1.0], 2);
        assert_abs_diff_eq!(vals.as_slice(), [3.0, -1.0].as_slice(), epsilon = 1e-14);
    }

    #[test]
    fn eigen_non_finite_is_nan() {
        let (vals, vecs) = symmetric_eigen(&[1.0, f64::NAN, f64::NAN, 1.0], 2);
        assert!(vals.iter().chain(&vecs).all(|v| v.is_nan()));
        let (vals, vecs) = symmetric_eigen(&[], 0);
        assert!(vals.is_empty() && vecs.is_empty());
    }

    #[test]
    fn generalized_eigenvalues_by_hand() {
        // R = diag(1, 4), Σ = diag(2, 2): R⁻¹Σ = diag(2, 0.5).
        let ev = generalized_eigenvalues(&[1.0, 0.0, 0.0, 4.0], &[2.0, 0.0, 0.0, 2.0], 2).unwrap();
        assert_abs_diff_eq!(ev.as_slice(), [2.0, 0.5].as_slice(), epsilon = 1e-15);
        // R = [[1, .5], [.5, 1]], Σ = I: eigenvalues of R⁻¹ are 1/(1 ∓ .5) = 2, 2/3.
        let ev = generalized_eigenvalues(&[1.0, 0.5, 0.5, 1.0], &[1.0, 0.0, 0.0, 1.0], 2).unwrap();
        assert_abs_diff_eq!(ev.as_slice(), [2.0, 2.0 / 3.0].as_slice(), epsilon = 1e-14);
        // Not positive definite: either side.
        let singular = [1.0, 1.0, 1.0, 1.0];
        let identity = [1.0, 0.0, 0.0, 1.0];
        assert!(generalized_eigenvalues(&singular, &identity, 2).is_none());
        assert!(generalized_eigenvalues(&identity, &singular, 2).is_none());
    }
}
