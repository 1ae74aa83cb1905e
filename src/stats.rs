//! Small statistical building blocks shared by every module: reliability,
//! and the crate's one set of distribution functions (standard normal and
//! Student t: cumulative distributions, quantiles, p-values).

/// Cronbach's alpha (Cronbach 1951) from a k×k covariance (or correlation)
/// matrix, row-major: α = k/(k−1) · (1 − Σ σ²ᵢ / 1ᵀΣ1).
///
/// Returns `None` for fewer than two items or a zero total variance.
///
/// ```
/// // Two items correlating 0.5: α = 2/1 · (1 − 2/3) = 2/3.
/// let a = csikit::stats::cronbach_alpha(&[1.0, 0.5, 0.5, 1.0], 2).unwrap();
/// assert!((a - 2.0 / 3.0).abs() < 1e-12);
/// ```
pub fn cronbach_alpha(cov: &[f64], k: usize) -> Option<f64> {
    if k < 2 || cov.len() != k * k {
        return None;
    }
    let total: f64 = cov.iter().sum();
    let diag: f64 = (0..k).map(|i| cov[i * k + i]).sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let kf = k as f64;
    Some(kf / (kf - 1.0) * (1.0 - diag / total))
}

/// Cronbach's alpha from item columns (`NaN` = missing), using the rows where
/// every item is observed (listwise). Returns `(alpha, rows used)`; alpha is
/// `None` when fewer than two items or two complete rows, or zero total variance.
pub fn cronbach_alpha_columns(items: &[&[f64]]) -> (Option<f64>, usize) {
    let k = items.len();
    let n = items.first().map_or(0, |c| c.len());
    let rows: Vec<usize> = (0..n)
        .filter(|&r| {
            items
                .iter()
                .all(|c| c.get(r).is_some_and(|x| x.is_finite()))
        })
        .collect();
    if k < 2 || rows.len() < 2 {
        return (None, rows.len());
    }
    let means: Vec<f64> = items
        .iter()
        .map(|c| rows.iter().map(|&r| c[r]).sum::<f64>() / rows.len() as f64)
        .collect();
    let mut cov = vec![0.0; k * k];
    for i in 0..k {
        for j in i..k {
            let s: f64 = rows
                .iter()
                .map(|&r| (items[i][r] - means[i]) * (items[j][r] - means[j]))
                .sum();
            cov[i * k + j] = s;
            cov[j * k + i] = s;
        }
    }
    (cronbach_alpha(&cov, k), rows.len())
}

/// Natural log of the gamma function, Lanczos approximation (g = 7, n = 9;
/// Lanczos 1964, coefficients as tabulated by Godfrey), relative error < 1e-15 for x > 0.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection formula.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularized incomplete beta function I_x(a, b), by the continued fraction
/// of Abramowitz & Stegun 26.5.8 evaluated with the modified Lentz method
/// (Lentz 1976; Thompson & Barnett 1986).
pub(crate) fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    // Use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) where the fraction converges faster.
    if x > (a + 1.0) / (a + b + 2.0) {
        return 1.0 - incomplete_beta(b, a, 1.0 - x);
    }
    let front = ln_front.exp() / a;
    const TINY: f64 = 1e-300;
    let mut f = 1.0;
    let mut c = 1.0;
    let mut d = 0.0;
    for i in 0..=400 {
        let m = (i / 2) as f64;
        let numerator = if i == 0 {
            1.0
        } else if i % 2 == 0 {
            (m * (b - m) * x) / ((a + 2.0 * m - 1.0) * (a + 2.0 * m))
        } else {
            -((a + m) * (a + b + m) * x) / ((a + 2.0 * m) * (a + 2.0 * m + 1.0))
        };
        d = 1.0 + numerator * d;
        if d.abs() < TINY {
            d = TINY;
        }
        d = 1.0 / d;
        c = 1.0 + numerator / c;
        if c.abs() < TINY {
            c = TINY;
        }
        let cd = c * d;
        f *= cd;
        if (1.0 - cd).abs() < 1e-16 {
            break;
        }
    }
    front * (f - 1.0)
}

/// Two-sided p-value of Student's t statistic with `df` degrees of freedom:
/// P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2).
pub fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    if df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// Standard normal cumulative distribution Φ(x), via the complementary error
/// function (W. J. Cody's rational approximations are not used; this uses the
/// continued fraction of the incomplete gamma function, accurate to ~1e-15);
/// exactly 0 and 1 at −∞ and +∞.
pub fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x.is_infinite() {
        return if x > 0.0 { 1.0 } else { 0.0 };
    }
    // Φ(x) = ½·erfc(−x/√2); erfc(z) = Q(½, z²) for z ≥ 0.
    let z = x / std::f64::consts::SQRT_2;
    if z >= 0.0 {
        1.0 - 0.5 * upper_gamma_half(z * z)
    } else {
        0.5 * upper_gamma_half(z * z)
    }
}

/// Regularized upper incomplete gamma Q(½, y) = erfc(√y), series for small y and
/// Lentz continued fraction for large (Numerical-analysis standard forms,
/// Abramowitz & Stegun 6.5.29 and 6.5.31).
fn upper_gamma_half(y: f64) -> f64 {
    let a = 0.5;
    if y <= 0.0 {
        return 1.0;
    }
    let ln_gamma_a = 0.5 * std::f64::consts::PI.ln();
    if y < a + 1.0 {
        let mut sum = 1.0 / a;
        let mut term = sum;
        let mut ap = a;
        for _ in 0..500 {
            ap += 1.0;
            term *= y / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-17 {
                break;
            }
        }
        1.0 - sum * (-y + a * y.ln() - ln_gamma_a).exp()
    } else {
        const TINY: f64 = 1e-300;
        let mut b = y + 1.0 - a;
        let mut c = 1.0 / TINY;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..500 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < TINY {
                d = TINY;
            }
            c = b + an / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (-y + a * y.ln() - ln_gamma_a).exp() * h
    }
}

/// Quantile of the standard normal distribution (inverse of [`normal_cdf`]),
/// Acklam's rational approximation refined by one Halley step (|error| < 1e-15).
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p_low = 0.024_25;
    let x = if p < p_low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - p_low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // One Halley refinement step.
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// Cumulative distribution of Student's t with `df` degrees of freedom,
/// P(T ≤ t), from the regularized incomplete beta function (Abramowitz &
/// Stegun 1964, 26.5.27 and 26.7.1): with x = df/(df + t²), the tail is
/// P(T > |t|) = ½·I_x(df/2, ½), and near 0 the central part
/// P(0 < T ≤ |t|) = ½·I_{1−x}(½, df/2) is used so that neither loses digits.
/// `df` need not be a whole number. NaN for NaN input or `df` ≤ 0.
///
/// ```
/// use csikit::stats::t_cdf;
/// // df = 1 is the Cauchy distribution: F(1) = 3/4.
/// assert!((t_cdf(1.0, 1.0) - 0.75).abs() < 1e-15);
/// assert!((t_cdf(-2.228138851986, 10.0) - 0.025).abs() < 1e-12);
/// ```
pub fn t_cdf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    let upper = t_upper_tail(t.abs(), df);
    if t >= 0.0 { 1.0 - upper } else { upper }
}

/// P(T > t) for t ≥ 0, without cancellation in either tail.
fn t_upper_tail(t: f64, df: f64) -> f64 {
    if t == f64::INFINITY {
        return 0.0;
    }
    let t2 = t * t;
    if t2 < df {
        0.5 - 0.5 * incomplete_beta(0.5, df / 2.0, t2 / (df + t2))
    } else {
        0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t2))
    }
}

/// The t > 0 with P(T > t) = q for 0 < q ≤ ½: closed forms for df = 1
/// (cot πq) and df = 2 ((1 − 2q)/√(2q(1 − q))), the Cornish–Fisher expansion
/// in 1/df (Abramowitz & Stegun 1964, 26.7.5) for df ≥ 10⁵, otherwise
/// bisection on the tail [`t_upper_tail`] to relative 1e-15 (bracketed by
/// doubling, so any quantile up to 1e300 is found).
fn t_upper_quantile(q: f64, df: f64) -> f64 {
    if q >= 0.5 {
        return 0.0;
    }
    if q <= 0.0 {
        return f64::INFINITY;
    }
    if df == 1.0 {
        return 1.0 / (std::f64::consts::PI * q).tan();
    }
    if df == 2.0 {
        return (1.0 - 2.0 * q) / (2.0 * q * (1.0 - q)).sqrt();
    }
    if df >= 1e5 {
        // The normal quantile of the upper tail from the lower one (no 1 − q).
        let z = -normal_quantile(q);
        let (z2, v) = (z * z, df);
        let g1 = (z2 + 1.0) * z / 4.0;
        let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
        let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
        let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
        return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while t_upper_tail(hi, df) > q {
        lo = hi;
        hi *= 2.0;
        if hi > 1e300 {
            return f64::INFINITY;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_upper_tail(mid, df) > q {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-15 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Quantile of Student's t with `df` degrees of freedom: the t with
/// P(T ≤ t) = `p` ([`t_cdf`] inverted; the tail probability min(p, 1 − p) is
/// used directly, so extreme levels such as 0.9995 or 1 − 10⁻¹² keep their
/// digits). ±∞ at `p` = 0 or 1; NaN for `p` outside [0, 1] or `df` ≤ 0.
///
/// ```
/// use csikit::stats::t_quantile;
/// assert!((t_quantile(0.975, 1.0) / 12.706_204_736_174_7 - 1.0).abs() < 1e-12);
/// assert!((t_quantile(0.9995, 3.0) / 12.923_98 - 1.0).abs() < 1e-6);
/// assert!((t_quantile(0.025, 10.0) + 2.228_138_851_986).abs() < 1e-9);
/// ```
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if !((0.0..=1.0).contains(&p) && df > 0.0) {
        return f64::NAN;
    }
    if p > 0.5 {
        // 1 − p is exact for p ≥ ½ (Sterbenz).
        t_upper_quantile(1.0 - p, df)
    } else {
        -t_upper_quantile(p, df)
    }
}

/// Upper quantile of Student's t: the `t > 0` with P(|T| ≥ t) = `alpha`
/// (`df` degrees of freedom), i.e. [`t_quantile`]`(1 − alpha/2, df)` without
/// forming 1 − alpha/2. E.g. `t_critical(0.05, 10)` = 2.228139. NaN for
/// `alpha` outside (0, 1) or `df` ≤ 0.
pub fn t_critical(alpha: f64, df: f64) -> f64 {
    if !(alpha > 0.0 && alpha < 1.0 && df > 0.0) {
        return f64::NAN;
    }
    t_upper_quantile(alpha / 2.0, df)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_known_values() {
        assert!((ln_gamma(1.0)).abs() < 1e-14);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-13);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-14);
    }

    #[test]
    fn t_p_values_match_r() {
        // R: 2*pt(-3.75795091221579, 245)
        assert!((t_two_sided_p(3.75795091221579, 245.0) / 0.000214190305669152 - 1.0).abs() < 1e-9);
        // R: 2*pt(-9.70719033420892, 245) = 4.65564603216754e-19
        assert!((t_two_sided_p(9.70719033420892, 245.0) / 4.65564603216754e-19 - 1.0).abs() < 1e-8);
        // R: 2*pt(-0.12918393887908, 245) = 0.897318093740153
        assert!((t_two_sided_p(0.12918393887908, 245.0) - 0.897318093740153).abs() < 1e-13);
        // df = 1 is Cauchy: P(|T| > 1) = 0.5
        assert!((t_two_sided_p(1.0, 1.0) - 0.5).abs() < 1e-14);
    }

    #[test]
    fn normal_functions() {
        assert!((normal_cdf(1.959963984540054) - 0.975).abs() < 1e-14);
        assert!((normal_cdf(-1.0) - 0.158655253931457).abs() < 1e-14);
        assert!((normal_cdf(-8.0) / 6.22096057427178e-16 - 1.0).abs() < 1e-10);
        for p in [1e-10, 0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999] {
            assert!(
                (normal_cdf(normal_quantile(p)) / p - 1.0).abs() < 1e-12,
                "{p}"
            );
        }
        assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-14);
    }

    #[test]
    fn alpha_from_columns_listwise() {
        let a = [1.0, 2.0, 3.0, f64::NAN];
        let b = [1.0, 3.0, 2.0, 4.0];
        let (alpha, n) = cronbach_alpha_columns(&[&a, &b]);
        assert_eq!(n, 3);
        // var a = 1, var b = 1, cov = 0.5 → α = 2·(1 − 2/3) = 2/3
        assert!((alpha.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(cronbach_alpha_columns(&[&a]).0, None);
    }

    fn rel(a: f64, b: f64) -> f64 {
        (a / b - 1.0).abs()
    }

    #[test]
    fn t_quantiles_at_extreme_levels_match_tables() {
        // Student's t tables (R's qt to the digits shown).
        let table = [
            (0.9995, 3.0, 12.923_98),
            (0.975, 1.0, 12.706_204_736_174_7),
            (0.995, 1.0, 63.656_741_162_871_6),
            (0.9995, 1.0, 636.619_248_667_992),
            (0.999, 2.0, 22.327_124_770_119_9),
            (0.975, 10.0, 2.228_138_851_986_52),
            (0.9995, 10.0, 4.586_893_858_702_06),
            (0.99, 5.0, 3.364_929_997_907_73),
            (0.975, 30.0, 2.042_272_456_301_24),
        ];
        for (p, df, want) in table {
            let got = t_quantile(p, df);
            assert!(rel(got, want) < 1e-6, "qt({p}, {df}) = {got}, want {want}");
            assert!(rel(-t_quantile(1.0 - p, df), want) < 1e-6);
            assert!(rel(t_critical(2.0 * (1.0 - p), df), want) < 1e-6);
            // The cdf inverts the quantile in the tail, to relative 1e-9.
            assert!(rel(1.0 - t_cdf(got, df), 1.0 - p) < 1e-9, "{p} {df}");
        }
        // Far tails, where the old fixed bracket [0, 1000] clipped:
        // df = 1: t = cot(π q); df = 2: t = (1 − 2q)/√(2q(1 − q)).
        // (q is the tail that p = 1 − 1e-12 represents exactly.)
        let p = 1.0 - 1e-12;
        let q = 1.0 - p;
        assert!(rel(t_quantile(p, 1.0), 1.0 / (std::f64::consts::PI * q).tan()) < 1e-12);
        assert!(t_quantile(p, 1.0) > 3e11);
        let want2 = (1.0 - 2.0 * q) / (2.0 * q * (1.0 - q)).sqrt();
        assert!(rel(t_critical(2.0 * q, 2.0), want2) < 1e-12);
        // df = 3 (closed-form cdf): F(t) = ½ + (u/(1+u²) + atan u)/π, u = t/√3.
        let f3 = |t: f64| {
            let u = t / 3f64.sqrt();
            0.5 + (u / (1.0 + u * u) + u.atan()) / std::f64::consts::PI
        };
        for t in [0.1, 1.0, 3.0, 12.92398] {
            assert!((t_cdf(t, 3.0) - f3(t)).abs() < 1e-14, "{t}");
        }
        let t = t_quantile(1.0 - 1e-9, 3.0);
        // The 1 − 1e-9 quantile of t3 is about (2√3/(π·1e-9))^(1/3) ≈ 1033.
        assert!(rel(1.0 - t_cdf(t, 3.0), 1e-9) < 1e-6, "{t}");
        assert!(t > 1000.0, "{t}");
        // Large df approaches the normal (Cornish–Fisher branch and the bisection agree).
        // (It exceeds z by (z³ + z)/(4 df) ≈ 2.4e-9 at df = 1e9.)
        assert!(rel(t_quantile(0.975, 1e9), 1.959_963_984_540_054) < 2e-9);
        assert!(rel(t_quantile(0.975, 99_999.0), t_quantile(0.975, 100_000.0)) < 1e-9);
        // Cornish–Fisher first term: z + (z³ + z)/(4·df).
        let z = 1.959_963_984_540_054;
        assert!(rel(t_quantile(0.975, 1e5), z + (z * z * z + z) / 4e5) < 1e-9);
        // Edges.
        assert_eq!(t_quantile(0.5, 4.0), 0.0);
        assert_eq!(t_quantile(1.0, 4.0), f64::INFINITY);
        assert_eq!(t_quantile(0.0, 4.0), f64::NEG_INFINITY);
        assert!(t_quantile(1.5, 4.0).is_nan() && t_quantile(0.5, 0.0).is_nan());
        assert!(t_cdf(f64::NAN, 3.0).is_nan() && t_cdf(1.0, -1.0).is_nan());
        assert_eq!(t_cdf(f64::INFINITY, 3.0), 1.0);
        assert_eq!(t_cdf(f64::NEG_INFINITY, 3.0), 0.0);
    }

    #[test]
    fn normal_at_extreme_levels() {
        // R: qnorm(0.999999), qnorm(1e-10), pnorm(-10).
        assert!(rel(normal_quantile(0.999_999), 4.753_424_308_822_9) < 1e-9);
        assert!(rel(normal_quantile(1e-10), -6.361_340_902_404_06) < 1e-9);
        assert!(rel(normal_cdf(-10.0), 7.619_853_024_160_53e-24) < 1e-9);
        assert_eq!(normal_cdf(f64::INFINITY), 1.0);
        assert_eq!(normal_cdf(f64::NEG_INFINITY), 0.0);
    }

    #[test]
    fn t_critical_known_values() {
        // Student's t tables: t(0.975; 10) = 2.228139, t(0.975; 1) = 12.706205.
        assert!((t_critical(0.05, 10.0) - 2.228_138_851_986_273).abs() < 1e-9);
        assert!((t_critical(0.05, 1.0) - 12.706_204_736_174_7).abs() < 1e-7);
        assert!((t_critical(0.05, 1e7) - 1.959_963_984_540_054).abs() < 1e-5);
        assert!(t_critical(1.5, 3.0).is_nan());
    }
}
