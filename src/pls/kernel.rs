//! The co-moment kernel of the resampling procedures: the weighted cross
//! products Σ_t c_t z_it z_jt (i ≤ j) of the rows drawn in a resample, where
//! a row drawn c times weighs c and a row not drawn costs nothing.
//!
//! The drawn rows are first gathered, column by column, as √c_t·z_t
//! ([`gather`], which also forms the weighted column sums); the cross
//! products are then dot products of those columns ([`cross_products`]),
//! computed four at a time (a 2 × 2 block of columns shares every load)
//! with eight accumulators per dot product.
//!
//! **Same numbers on every path.** Each dot product adds its terms in one
//! fixed order (term t into accumulator t mod 8, the accumulators summed as
//! `((a0 + a4) + (a1 + a5)) + ((a2 + a6) + (a3 + a7))`, then the tail in
//! order), whether it is computed alone or in a block, by the portable code
//! or by the same code compiled for AVX (chosen at run time with
//! `is_x86_feature_detected!`): Rust never fuses a multiply and an add on its
//! own, so the results are bit-identical on every CPU and at any thread count.
//!
//! **Floor.** The cross products of m drawn rows and p columns take
//! m·p(p + 1)/2 multiply-adds, the least any method computing them from the
//! rows needs; `benches/report.rs` measures the kernel against it (README,
//! Performance).
//!
//! ```
//! use csikit::pls::kernel::cross_products;
//! // Two columns of three values, column-major.
//! let buf = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
//! let mut out = [0.0; 4];
//! cross_products(&buf, 2, 3, &mut out);
//! assert_eq!(out, [14.0, 32.0, 32.0, 77.0]);
//! ```

/// Accumulators per dot product.
const LANES: usize = 8;

/// Gathers the rows at positions `idx` of the column-major `z` (p columns of
/// `n` positions) into `buf` (p columns of `idx.len()` values, column-major)
/// as `z · root` (`root[t]` = √`w[t]`) and writes each column's weighted sum
/// Σ w_t z_t into `sums` (p = `sums.len()`; added in row order). Four
/// columns are gathered together, so that their sums are four independent
/// chains of additions.
///
/// # Panics
/// When `z` has fewer than p·`n` values, a position in `idx` is not below
/// `n`, or `buf` has fewer than p·`idx.len()` values.
pub fn gather(
    z: &[f64],
    n: usize,
    idx: &[usize],
    w: &[f64],
    root: &[f64],
    buf: &mut [f64],
    sums: &mut [f64],
) {
    let p = sums.len();
    let m = idx.len();
    // No rows: every sum is 0 (the loops below then write nothing).
    sums.iter_mut().for_each(|s| *s = 0.0);
    let col = |j: usize| &z[j * n..(j + 1) * n];
    let mut j = 0;
    for (dst, s) in buf[..p * m]
        .chunks_mut(4 * m.max(1))
        .zip(sums.chunks_mut(4))
    {
        if s.len() == 4 && m > 0 {
            let (c0, c1, c2, c3) = (col(j), col(j + 1), col(j + 2), col(j + 3));
            let (d0, rest) = dst.split_at_mut(m);
            let (d1, rest) = rest.split_at_mut(m);
            let (d2, d3) = rest.split_at_mut(m);
            let mut acc = [0.0; 4];
            let rows = idx.iter().zip(w).zip(root);
            let out = d0
                .iter_mut()
                .zip(d1.iter_mut())
                .zip(d2.iter_mut())
                .zip(d3.iter_mut());
            for (((&t, &c), &r), (((o0, o1), o2), o3)) in rows.zip(out) {
                let v = [c0[t], c1[t], c2[t], c3[t]];
                *o0 = v[0] * r;
                *o1 = v[1] * r;
                *o2 = v[2] * r;
                *o3 = v[3] * r;
                for q in 0..4 {
                    acc[q] += v[q] * c;
                }
            }
            s.copy_from_slice(&acc);
        } else {
            for (q, (d, s)) in dst.chunks_mut(m.max(1)).zip(s.iter_mut()).enumerate() {
                let c0 = col(j + q);
                let mut acc = 0.0;
                for (((&t, &c), &r), o) in idx.iter().zip(w).zip(root).zip(d.iter_mut()) {
                    let v = c0[t];
                    *o = v * r;
                    acc += v * c;
                }
                *s = acc;
            }
        }
        j += s.len();
    }
}

/// Whether column `j` of the column-major `z` (columns of `n` positions)
/// takes one value at the positions `idx` (true for no positions).
pub fn is_constant(z: &[f64], n: usize, j: usize, idx: &[usize]) -> bool {
    let col = &z[j * n..(j + 1) * n];
    let first = idx.first().map_or(0.0, |&t| col[t]);
    idx.iter().all(|&t| col[t] == first)
}

/// The dot product of two columns in the kernel's fixed order.
#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; LANES];
    let mut ca = a.chunks_exact(LANES);
    let mut cb = b.chunks_exact(LANES);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for k in 0..LANES {
            acc[k] += x[k] * y[k];
        }
    }
    finish(&acc, ca.remainder(), cb.remainder())
}

/// The accumulators summed in the fixed order, then the tail in order.
#[inline(always)]
fn finish(acc: &[f64; LANES], a: &[f64], b: &[f64]) -> f64 {
    let mut tail = 0.0;
    for (x, y) in a.iter().zip(b) {
        tail += x * y;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// The four dot products of columns (a0, a1) × (b0, b1), each in the order of [`dot`].
#[inline(always)]
fn dot_2x2(a0: &[f64], a1: &[f64], b0: &[f64], b1: &[f64]) -> [f64; 4] {
    let full = a0.len() - a0.len() % LANES;
    let mut acc = [[0.0f64; LANES]; 4];
    for (((x0, x1), y0), y1) in a0[..full]
        .chunks_exact(LANES)
        .zip(a1[..full].chunks_exact(LANES))
        .zip(b0[..full].chunks_exact(LANES))
        .zip(b1[..full].chunks_exact(LANES))
    {
        for k in 0..LANES {
            acc[0][k] += x0[k] * y0[k];
            acc[1][k] += x0[k] * y1[k];
            acc[2][k] += x1[k] * y0[k];
            acc[3][k] += x1[k] * y1[k];
        }
    }
    [
        finish(&acc[0], &a0[full..], &b0[full..]),
        finish(&acc[1], &a0[full..], &b1[full..]),
        finish(&acc[2], &a1[full..], &b0[full..]),
        finish(&acc[3], &a1[full..], &b1[full..]),
    ]
}

/// The cross products of the columns of `buf` (p columns of m values,
/// column-major): `out[i * p + j]` = `out[j * p + i]` = Σ_t buf_it buf_jt,
/// 2 × 2 blocks of columns by `block`.
#[inline(always)]
fn blocks(
    buf: &[f64],
    p: usize,
    m: usize,
    out: &mut [f64],
    block: impl Fn(&[f64], &[f64], &[f64], &[f64]) -> [f64; 4],
) {
    let col = |i: usize| &buf[i * m..(i + 1) * m];
    let pairs = p - p % 2;
    let mut i = 0;
    while i < pairs {
        let mut j = i;
        while j < pairs {
            let d = block(col(i), col(i + 1), col(j), col(j + 1));
            for (x, (a, b)) in [(i, j), (i, j + 1), (i + 1, j), (i + 1, j + 1)]
                .into_iter()
                .enumerate()
            {
                out[a * p + b] = d[x];
                out[b * p + a] = d[x];
            }
            j += 2;
        }
        i += 2;
    }
    if pairs < p {
        let last = p - 1;
        for i in 0..p {
            let d = dot(col(i), col(last));
            out[i * p + last] = d;
            out[last * p + i] = d;
        }
    }
}

fn cross_products_impl(buf: &[f64], p: usize, m: usize, out: &mut [f64]) {
    blocks(buf, p, m, out, dot_2x2);
}

/// [`dot_2x2`] with AVX registers: accumulator lanes 0–3 and 4–7 of each dot
/// product in two 256-bit registers, the same multiplications and additions
/// in the same order (no fused multiply-add).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn dot_2x2_avx(a0: &[f64], a1: &[f64], b0: &[f64], b1: &[f64]) -> [f64; 4] {
    use std::arch::x86_64::{
        __m256d, _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_setzero_pd, _mm256_storeu_pd,
    };
    let m = a0.len().min(a1.len()).min(b0.len()).min(b1.len());
    let full = m - m % LANES;
    let mut acc: [__m256d; 8] = [_mm256_setzero_pd(); 8];
    let mut t = 0;
    while t < full {
        // SAFETY: t + 8 ≤ full ≤ the length of every column.
        let [x0l, x0h, x1l, x1h, y0l, y0h, y1l, y1h] = unsafe {
            [
                _mm256_loadu_pd(a0.as_ptr().add(t)),
                _mm256_loadu_pd(a0.as_ptr().add(t + 4)),
                _mm256_loadu_pd(a1.as_ptr().add(t)),
                _mm256_loadu_pd(a1.as_ptr().add(t + 4)),
                _mm256_loadu_pd(b0.as_ptr().add(t)),
                _mm256_loadu_pd(b0.as_ptr().add(t + 4)),
                _mm256_loadu_pd(b1.as_ptr().add(t)),
                _mm256_loadu_pd(b1.as_ptr().add(t + 4)),
            ]
        };
        acc[0] = _mm256_add_pd(acc[0], _mm256_mul_pd(x0l, y0l));
        acc[1] = _mm256_add_pd(acc[1], _mm256_mul_pd(x0h, y0h));
        acc[2] = _mm256_add_pd(acc[2], _mm256_mul_pd(x0l, y1l));
        acc[3] = _mm256_add_pd(acc[3], _mm256_mul_pd(x0h, y1h));
        acc[4] = _mm256_add_pd(acc[4], _mm256_mul_pd(x1l, y0l));
        acc[5] = _mm256_add_pd(acc[5], _mm256_mul_pd(x1h, y0h));
        acc[6] = _mm256_add_pd(acc[6], _mm256_mul_pd(x1l, y1l));
        acc[7] = _mm256_add_pd(acc[7], _mm256_mul_pd(x1h, y1h));
        t += LANES;
    }
    let lanes = |d: usize| {
        let mut out = [0.0f64; LANES];
        let (lo, hi) = out.split_at_mut(4);
        // SAFETY: each half holds 4 values.
        unsafe {
            _mm256_storeu_pd(lo.as_mut_ptr(), acc[2 * d]);
            _mm256_storeu_pd(hi.as_mut_ptr(), acc[2 * d + 1]);
        }
        out
    };
    [
        finish(&lanes(0), &a0[full..m], &b0[full..m]),
        finish(&lanes(1), &a0[full..m], &b1[full..m]),
        finish(&lanes(2), &a1[full..m], &b0[full..m]),
        finish(&lanes(3), &a1[full..m], &b1[full..m]),
    ]
}

/// [`cross_products_impl`] with the AVX block kernel.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn cross_products_avx(buf: &[f64], p: usize, m: usize, out: &mut [f64]) {
    blocks(buf, p, m, out, |a0, a1, b0, b1| dot_2x2_avx(a0, a1, b0, b1));
}

#[cfg(test)]
/// Which code path [`cross_products`] takes on this CPU: `"avx"` or `"portable"`.
pub(crate) fn path() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        return "avx";
    }
    "portable"
}

/// The cross products Σ_t buf_it buf_jt of every pair of the p columns of
/// `buf` (m values each, column-major) into the p × p matrix `out` (both
/// triangles). Bit-identical on every path (module documentation).
///
/// # Panics
/// When `buf` has fewer than p·m values or `out` fewer than p·p.
pub fn cross_products(buf: &[f64], p: usize, m: usize, out: &mut [f64]) {
    assert!(
        buf.len() >= p * m && out.len() >= p * p,
        "buffers too short"
    );
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU supports AVX (checked just above).
        unsafe { cross_products_avx(buf, p, m, out) };
        return;
    }
    cross_products_impl(buf, p, m, out);
}

/// The portable path, for tests comparing the two.
#[cfg(test)]
pub(crate) fn cross_products_portable(buf: &[f64], p: usize, m: usize, out: &mut [f64]) {
    cross_products_impl(buf, p, m, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(p: usize, m: usize) -> Vec<f64> {
        // A deterministic, irregular fill (no two columns proportional).
        (0..p * m)
            .map(|x| ((x as f64 * 0.618_033_988_75).fract() - 0.5) * (1.0 + (x % 7) as f64))
            .collect()
    }

    /// Every path equals the plain one-dot-at-a-time order, bit for bit, for
    /// odd and even p and m not a multiple of 8; and the values are the sums.
    #[test]
    fn blocked_and_vector_paths_equal_plain_dots() {
        for (p, m) in [(1, 5), (2, 8), (3, 17), (5, 40), (24, 1003)] {
            let buf = data(p, m);
            let mut fast = vec![f64::NAN; p * p];
            let mut portable = vec![f64::NAN; p * p];
            cross_products(&buf, p, m, &mut fast);
            cross_products_portable(&buf, p, m, &mut portable);
            for i in 0..p {
                for j in 0..p {
                    let a = &buf[i * m..(i + 1) * m];
                    let b = &buf[j * m..(j + 1) * m];
                    let plain = dot(a, b);
                    assert_eq!(
                        fast[i * p + j].to_bits(),
                        plain.to_bits(),
                        "{p} {m} {i} {j}"
                    );
                    assert_eq!(portable[i * p + j].to_bits(), plain.to_bits());
                    let naive: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
                    assert!((plain - naive).abs() <= 1e-12 * naive.abs().max(1.0));
                }
            }
        }
        assert!(["avx", "portable"].contains(&path()));
    }

    #[test]
    fn gather_weighs_and_sums_in_row_order() {
        // Rows 1 and 3 of a 5-column z over n = 4 positions (one block of
        // four columns and one single column).
        let n = 4;
        let mut z = vec![
            0.0, 1.0, 2.0, 3.0, // column 0
            5.0, 5.0, 5.0, 5.0, // column 1 (constant)
            -1.0, 0.5, 0.0, 2.0, // column 2
            1.0, 1.0, 1.0, 1.0, // column 3 (constant)
        ];
        z.extend([7.0, 1.0, 7.0, 1.0]); // column 4: constant at rows 1 and 3
        let idx = [1, 3];
        let w = [2.0, 3.0];
        let root = [2f64.sqrt(), 3f64.sqrt()];
        let mut buf = vec![0.0; 10];
        let mut sums = vec![0.0; 5];
        gather(&z, n, &idx, &w, &root, &mut buf, &mut sums);
        assert_eq!(sums, vec![2.0 + 9.0, 25.0, 1.0 + 6.0, 5.0, 5.0]);
        assert_eq!(buf[0], 2f64.sqrt());
        assert_eq!(buf[5], 2.0 * 3f64.sqrt());
        assert_eq!(buf[9], 3f64.sqrt());
        let constant: Vec<bool> = (0..5).map(|j| is_constant(&z, n, j, &idx)).collect();
        assert_eq!(constant, vec![false, true, false, true, true]);
        assert!(is_constant(&z, n, 0, &[]));
        gather(&z, n, &[], &[], &[], &mut buf, &mut sums);
        assert_eq!(sums, vec![0.0; 5]);
    }
}
