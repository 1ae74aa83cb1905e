//! Assessment (SRMR, d_G, d_ULS, HTMT2, Fornell–Larcker, VIF, blindfolding),
//! consistent PLS against cSEM 0.6.1, and PLSpredict.

use approx::{assert_abs_diff_eq, assert_relative_eq};
use csikit::pls::{Inadmissible, fold_assignment};
use csikit::{Dataset, Error, Mode, Model, Pls, PlsFit, PlsPredict, PredictApproach, StopRule};

use crate::common::*;

const CONSTRUCTS: [&str; 6] = ["IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"];

fn tight_fit() -> PlsFit {
    let model = satisfaction_model(Mode::A);
    Pls::new(&model)
        .tolerance(1e-13)
        .max_iter(1000)
        .fit(&satisfaction())
        .unwrap()
}

/// cSEM's PLSc with its defaults: path scheme, max |Δw| < 1e-5, 100 iterations.
fn plsc_like_csem() -> PlsFit {
    let model = satisfaction_model(Mode::A);
    Pls::new(&model)
        .tolerance(1e-5)
        .max_iter(100)
        .stop_rule(StopRule::MaxAbsChange)
        .consistent(true)
        .fit(&satisfaction())
        .unwrap()
}

// ----- model fit and validity against cSEM -----

/// SRMR and d_G against cSEM 0.6.1 (`assess()` of the tight PLS fit), to
/// 1e-10. The implied construct correlations follow the structural model with
/// var(ζ_j) = 1 − R²_j (see `PlsFit::implied_construct_correlation`). cSEM's
/// `DG` is ½Σ(log₁₀ φ)², i.e. csikit's natural-log d_G (Dijkstra & Henseler
/// 2015) divided by (ln 10)².
#[test]
fn srmr_and_dg_match_csem() {
    let r = reference("cSEM_satisfaction_path_tight");
    let a = tight_fit().assess();
    close(
        a.fit_estimated.srmr,
        num(&r["assess"]["SRMR"]),
        1e-10,
        "SRMR",
    );
    let ln10 = 10f64.ln();
    close(
        a.fit_estimated.d_g.unwrap() / (ln10 * ln10),
        num(&r["assess"]["DG"]),
        1e-10,
        "d_G on cSEM's scale",
    );
    close(a.gof, num(&r["assess"]["GoF"]), 1e-8, "GoF");
    // The saturated model fits better than the estimated one.
    assert!(a.fit_saturated.srmr < a.fit_estimated.srmr);
    assert!(a.fit_saturated.d_uls < a.fit_estimated.d_uls);
    // d_ULS and SRMR are two views of the same residuals: with a unit diagonal,
    // d_ULS = Σ_{i<j} e² and SRMR² = Σ_{i<j} e² / (p(p+1)/2).
    let p = 27.0;
    close(
        a.fit_estimated.d_uls,
        a.fit_estimated.srmr.powi(2) * p * (p + 1.0) / 2.0,
        1e-10,
        "d_ULS vs SRMR",
    );
}

#[test]
fn fornell_larcker_matches_csem_and_seminr() {
    let a = tight_fit().assess();
    let cs = reference("cSEM_satisfaction_path_tight");
    let se = reference("seminr_satisfaction_path_tight");
    for (i, x) in CONSTRUCTS.iter().enumerate() {
        for (l, y) in CONSTRUCTS.iter().enumerate() {
            let ours = a.fornell_larcker.get(x, y).unwrap();
            // cSEM: AVE on the diagonal, squared correlations elsewhere.
            close(
                ours * ours,
                mat(&cs["assess"]["Fornell-Larcker"], x, y),
                1e-8,
                &format!("FL cSEM {x} {y}"),
            );
            // seminr: √AVE on the diagonal, correlations below.
            if l <= i {
                close(
                    ours,
                    mat(&se["fl_criteria"], x, y),
                    1e-8,
                    &format!("FL seminr {x} {y}"),
                );
            }
        }
    }
    for row in &a.reliability {
        assert_eq!(
            row.fornell_larcker_met,
            Some(row.sqrt_ave.unwrap() > row.max_correlation.unwrap())
        );
    }
    // EXPE–QUAL correlate 0.8456 > √AVE(EXPE) = 0.7875: violated.
    let expe = a
        .reliability
        .iter()
        .find(|r| r.construct == "EXPE")
        .unwrap();
    assert_eq!(expe.fornell_larcker_met, Some(false));
}

#[test]
fn assessment_reliability_matches_seminr() {
    let a = tight_fit().assess();
    let se = reference("seminr_satisfaction_path_tight");
    for row in &a.reliability {
        let c = row.construct.as_str();
        close(
            row.cronbach_alpha.unwrap(),
            mat(&se["reliability"], c, "alpha"),
            1e-8,
            "alpha",
        );
        close(
            row.rho_c.unwrap(),
            mat(&se["reliability"], c, "rhoC"),
            1e-8,
            "rhoC",
        );
        close(
            row.rho_a.unwrap(),
            mat(&se["reliability"], c, "rhoA"),
            1e-8,
            "rhoA",
        );
        close(
            row.ave.unwrap(),
            mat(&se["reliability"], c, "AVE"),
            1e-8,
            "AVE",
        );
        assert!(!row.single_item);
    }
    // HTMT in the assessment: both variants, as the fit reports them.
    let cs = reference("cSEM_satisfaction_path_tight");
    for h in &a.htmt_signed {
        close(
            h.value,
            mat(&cs["assess"]["HTMT"]["htmts"], &h.b, &h.a),
            1e-8,
            "HTMT signed",
        );
    }
    for h in &a.htmt {
        close(h.value, mat(&se["htmt"], &h.b, &h.a), 1e-8, "HTMT abs");
    }
}

/// Model-implied matrix: closed form on a hand-made fit of its own implied matrix.
#[test]
fn srmr_is_zero_when_data_follow_the_model_exactly() {
    // Two constructs X → Y, loadings 0.8/0.7 and 0.9/0.6, correlation 0.5.
    let lam = [0.8, 0.7, 0.9, 0.6];
    let phi = 0.5;
    let mut sigma = [[0.0; 4]; 4];
    for i in 0..4 {
        for l in 0..4 {
            let same = (i < 2) == (l < 2);
            sigma[i][l] = if i == l {
                1.0
            } else if same {
                lam[i] * lam[l]
            } else {
                lam[i] * phi * lam[l]
            };
        }
    }
    // Exact data with correlation matrix sigma: n rows from its Cholesky factor
    // times an orthonormal design is awkward; instead fit from moments.
    let names = ["x1", "x2", "y1", "y2"];
    let mut cov = Vec::new();
    for row in sigma {
        cov.extend(row);
    }
    let m = moments_from_cov(&names, &cov, 500);
    let model = Model::from_syntax("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap();
    let fit = Pls::new(&model)
        .consistent(true)
        .tolerance(1e-12)
        .fit_moments(&m)
        .unwrap();
    // PLSc recovers the population loadings and correlation exactly.
    for (o, l) in fit.outer.iter().zip(lam) {
        close(o.loading, l, 1e-9, &o.indicator);
    }
    close(fit.path("X", "Y").unwrap().estimate, phi, 1e-9, "path");
    let a = fit.assess();
    close(a.fit_estimated.srmr, 0.0, 1e-9, "SRMR");
    close(a.fit_estimated.d_uls, 0.0, 1e-12, "d_ULS");
    close(a.fit_estimated.d_g.unwrap(), 0.0, 1e-12, "d_G");
    assert!(fit.consistent.as_ref().unwrap().admissible);
}

/// Moments with a given covariance matrix (mean 0) for `n` rows.
fn moments_from_cov(names: &[&str], cov: &[f64], n: usize) -> csikit::Moments {
    // Rows: L z with z a fixed set of ±1 patterns whose sample covariance is I:
    // easier to build data whose covariance is exactly `cov` by whitening.
    let p = names.len();
    let mut rows = vec![0.0; n * p];
    let mut state = 12345u64;
    for v in rows.iter_mut() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *v = ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5;
    }
    // Centre, whiten (Cholesky of sample covariance), then colour with chol(cov).
    let col = |rows: &Vec<f64>, j: usize| -> Vec<f64> { (0..n).map(|r| rows[r * p + j]).collect() };
    let mut x: Vec<Vec<f64>> = (0..p).map(|j| col(&rows, j)).collect();
    for c in x.iter_mut() {
        let m = c.iter().sum::<f64>() / n as f64;
        c.iter_mut().for_each(|v| *v -= m);
    }
    let s: Vec<f64> = (0..p * p)
        .map(|ij| {
            let (a, b) = (ij / p, ij % p);
            x[a].iter().zip(&x[b]).map(|(u, v)| u * v).sum::<f64>() / (n - 1) as f64
        })
        .collect();
    let ls = chol(&s, p);
    let lc = chol(cov, p);
    // z = Ls⁻¹ x (covariance I), y = Lc z.
    let mut z = x.clone();
    for r in 0..n {
        for i in 0..p {
            let mut v = x[i][r];
            for t in 0..i {
                v -= ls[i * p + t] * z[t][r];
            }
            z[i][r] = v / ls[i * p + i];
        }
    }
    let y: Vec<Vec<f64>> = (0..p)
        .map(|i| {
            (0..n)
                .map(|r| (0..=i).map(|t| lc[i * p + t] * z[t][r]).sum())
                .collect()
        })
        .collect();
    let refs: Vec<&[f64]> = y.iter().map(Vec::as_slice).collect();
    csikit::Moments::from_columns(names, &refs, None).unwrap()
}

fn chol(a: &[f64], n: usize) -> Vec<f64> {
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= l[j * n + k] * l[j * n + k];
        }
        let d = d.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = s / d;
        }
    }
    l
}

// ----- PLSc against cSEM -----

#[test]
fn plsc_matches_csem() {
    let r = reference("cSEM_satisfaction_plsc_path");
    let fit = plsc_like_csem();
    assert_eq!(fit.iterations, r["iterations"].as_u64().unwrap() as usize);
    let tol = 1e-10;
    let cons = fit.consistent.as_ref().unwrap();
    for c in &cons.reliabilities {
        close(
            c.value,
            num(&r["reliabilities"][&c.construct]),
            tol,
            &format!("rho_A {}", c.construct),
        );
        close(
            fit.construct(&c.construct).unwrap().rho_a.unwrap(),
            c.value,
            1e-15,
            "rho_a field",
        );
    }
    for o in &fit.outer {
        close(
            o.loading,
            mat(&r["loading_matrix"], &o.construct, &o.indicator),
            tol,
            &format!("loading {}", o.indicator),
        );
        close(
            o.weight,
            mat(&r["weight_matrix"], &o.construct, &o.indicator),
            tol,
            &format!("weight {}", o.indicator),
        );
    }
    let pm = fit.path_matrix();
    for to in CONSTRUCTS {
        for from in CONSTRUCTS {
            close(
                pm.get(to, from).unwrap(),
                mat(&r["path_matrix"], to, from),
                tol,
                &format!("path {from}->{to}"),
            );
        }
        if let Some(r2) = fit.construct(to).unwrap().r_squared {
            close(r2, num(&r["R2"][to]), tol, &format!("R² {to}"));
        }
    }
    // Disattenuated EXPE–QUAL correlation is 0.98: admissible but large; the
    // VAL paths (−1.74, 2.59) show the collinearity. No |r| > 1.
    assert!(cons.admissible, "{:?}", cons.problems);
    assert_eq!(cons.corrected.len(), 6);
    // OLS inference does not apply to PLSc paths.
    assert!(
        fit.paths
            .iter()
            .all(|p| p.std_error.is_none() && p.p.is_none())
    );
}

#[test]
fn plsc_total_effects_follow_corrected_paths() {
    let r = reference("cSEM_satisfaction_plsc_path");
    let fit = plsc_like_csem();
    let te = &r["effects"]["Total_effect"];
    let names = df_col_str(te, "Name");
    let est = df_col(te, "Estimate");
    for (name, v) in names.iter().zip(est) {
        let (to, from) = name.split_once(" ~ ").unwrap();
        close(fit.effect(from, to).unwrap().total, v, 1e-10, name);
    }
}

#[test]
fn plsc_flags_inadmissible_solutions() {
    // Two blocks whose disattenuated correlation exceeds 1: within-block
    // correlations 0.3, between-block 0.5.
    let names = ["x1", "x2", "y1", "y2"];
    let cov = [
        1.0, 0.3, 0.5, 0.5, //
        0.3, 1.0, 0.5, 0.5, //
        0.5, 0.5, 1.0, 0.3, //
        0.5, 0.5, 0.3, 1.0,
    ];
    let m = moments_from_cov(&names, &cov, 300);
    let model = Model::from_syntax("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap();
    let fit = Pls::new(&model).consistent(true).fit_moments(&m).unwrap();
    let cons = fit.consistent.as_ref().unwrap();
    assert!(!cons.admissible);
    assert!(cons.problems.iter().any(|p| matches!(
        p,
        Inadmissible::CorrelationAboveOne { value, .. } if *value > 1.0
    )));
    assert!(
        cons.problems
            .contains(&Inadmissible::ConstructCorrelationsNotPositiveDefinite)
    );
    // Corrected correlation = 0.5 / 0.3 (rho_A = 0.3 for two equal weights).
    close(
        fit.path("X", "Y").unwrap().estimate,
        0.5 / 0.3,
        1e-9,
        "corrected path",
    );
}

#[test]
fn plsc_rejects_negative_reliability() {
    let names = ["x1", "x2", "y1", "y2"];
    let cov = [
        1.0, -0.3, 0.2, 0.2, //
        -0.3, 1.0, 0.2, 0.2, //
        0.2, 0.2, 1.0, 0.5, //
        0.2, 0.2, 0.5, 1.0,
    ];
    let m = moments_from_cov(&names, &cov, 300);
    let model = Model::from_syntax("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap();
    let err = Pls::new(&model)
        .consistent(true)
        .fit_moments(&m)
        .unwrap_err();
    assert!(
        matches!(&err, Error::PlscReliability { construct, rho_a } if construct == "X" && *rho_a < 0.0),
        "{err}"
    );
    // Plain PLS is fine on the same data.
    assert!(Pls::new(&model).fit_moments(&m).is_ok());
}

#[test]
fn plsc_leaves_single_items_and_mode_b_uncorrected() {
    let data = satisfaction();
    let model = Model::from_syntax(
        "IMAG <~ imag1 + imag2 + imag3\nSAT =~ sat1 + sat2 + sat3\nLOY =~ loy1\nSAT ~ IMAG\nLOY ~ SAT",
    )
    .unwrap();
    let plain = Pls::new(&model).tolerance(1e-12).fit(&data).unwrap();
    let pc = Pls::new(&model)
        .tolerance(1e-12)
        .consistent(true)
        .fit(&data)
        .unwrap();
    let cons = pc.consistent.as_ref().unwrap();
    assert_eq!(cons.corrected, vec!["SAT".to_string()]);
    let rel = |c: &str| {
        cons.reliabilities
            .iter()
            .find(|v| v.construct == c)
            .unwrap()
            .value
    };
    assert_eq!(rel("IMAG"), 1.0);
    assert_eq!(rel("LOY"), 1.0);
    let rho_sat = plain.construct("SAT").unwrap().rho_a.unwrap();
    close(rel("SAT"), rho_sat, 1e-15, "rho_A SAT");
    // Uncorrected loadings for IMAG and LOY; paths divided by √rho_A(SAT).
    for i in ["imag1", "imag2", "imag3", "loy1"] {
        close(
            pc.indicator(i).unwrap().loading,
            plain.indicator(i).unwrap().loading,
            1e-15,
            i,
        );
    }
    close(
        pc.path("IMAG", "SAT").unwrap().estimate,
        plain.path("IMAG", "SAT").unwrap().estimate / rho_sat.sqrt(),
        1e-12,
        "IMAG->SAT",
    );
    close(
        pc.path("SAT", "LOY").unwrap().estimate,
        plain.path("SAT", "LOY").unwrap().estimate / rho_sat.sqrt(),
        1e-12,
        "SAT->LOY",
    );
    // Single item: reliability 1 by assumption, flagged.
    let a = pc.assess();
    let loy = a.reliability.iter().find(|r| r.construct == "LOY").unwrap();
    assert!(loy.single_item);
    assert_eq!(loy.cronbach_alpha, Some(1.0));
    assert_eq!(loy.rho_a, Some(1.0));
    // Mode B: no reliability, but indicator VIFs.
    let imag = a
        .reliability
        .iter()
        .find(|r| r.construct == "IMAG")
        .unwrap();
    assert_eq!(imag.rho_a, None);
    assert_eq!(a.vif_outer.len(), 3);
    // HTMT pairs only between Mode A blocks with ≥ 2 indicators: none here.
    assert!(a.htmt.is_empty() && a.htmt2.is_empty());
}

// ----- HTMT2, indicator VIF -----

/// Pearson correlation of two columns.
fn cor(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    sxy / (sxx * syy).sqrt()
}

#[test]
fn htmt2_is_the_geometric_mean_ratio() {
    let data = satisfaction();
    let a = tight_fit().assess();
    let col = |n: &str| data.numeric(n).unwrap().to_vec();
    let block = |p: &str, k: usize| (1..=k).map(|i| col(&format!("{p}{i}"))).collect::<Vec<_>>();
    let imag = block("imag", 5);
    let sat = block("sat", 4);
    let gm = |v: Vec<f64>| (v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64).exp();
    let het = gm(imag
        .iter()
        .flat_map(|x| sat.iter().map(move |y| cor(x, y)))
        .collect());
    let mono = |b: &Vec<Vec<f64>>| {
        let mut v = Vec::new();
        for i in 0..b.len() {
            for l in i + 1..b.len() {
                v.push(cor(&b[i], &b[l]));
            }
        }
        gm(v)
    };
    let expected = het / (mono(&imag) * mono(&sat)).sqrt();
    let h2 = a
        .htmt2
        .iter()
        .find(|h| h.a == "IMAG" && h.b == "SAT")
        .unwrap();
    close(h2.value.unwrap(), expected, 1e-12, "HTMT2 IMAG SAT");
    // Geometric mean ≤ arithmetic mean: HTMT2 differs from HTMT but is close.
    let h = a
        .htmt
        .iter()
        .find(|h| h.a == "IMAG" && h.b == "SAT")
        .unwrap();
    assert!((h.value - h2.value.unwrap()).abs() < 0.05);
    assert_eq!(a.htmt2.len(), 15);
}

#[test]
fn htmt2_undefined_with_a_negative_correlation() {
    let mut data = satisfaction();
    let flipped: Vec<f64> = data
        .numeric("imag2")
        .unwrap()
        .iter()
        .map(|x| 11.0 - x)
        .collect();
    data.set_numeric("imag2", flipped).unwrap();
    let fit = Pls::new(&satisfaction_model(Mode::A)).fit(&data).unwrap();
    let a = fit.assess();
    for h in a.htmt2.iter().filter(|h| h.a == "IMAG" || h.b == "IMAG") {
        assert_eq!(h.value, None, "{} {}", h.a, h.b);
    }
    assert!(
        a.htmt2
            .iter()
            .filter(|h| h.a != "IMAG")
            .all(|h| h.value.is_some())
    );
    // The absolute HTMT does not see the flip; the signed one does.
    let abs_before = tight_fit().assess();
    let get = |v: &[csikit::pls::PairValue]| {
        v.iter()
            .find(|h| h.b == "SAT" && h.a == "IMAG")
            .unwrap()
            .value
    };
    close(
        get(&a.htmt),
        get(&abs_before.htmt),
        1e-6,
        "abs HTMT unchanged",
    );
    close(
        get(&abs_before.htmt_signed),
        get(&abs_before.htmt),
        1e-12,
        "all correlations positive: signed = absolute",
    );
    assert!((get(&a.htmt_signed) - get(&a.htmt)).abs() > 1e-3);
}

#[test]
fn indicator_vif_equals_one_over_one_minus_r2() {
    let data = satisfaction();
    let fit = Pls::new(&satisfaction_model(Mode::B)).fit(&data).unwrap();
    let a = fit.assess();
    assert_eq!(a.vif_outer.len(), 27);
    // VIF of val1 from an explicit regression of val1 on val2..val4.
    let y = data.numeric("val1").unwrap();
    let xs: Vec<&[f64]> = ["val2", "val3", "val4"]
        .iter()
        .map(|n| data.numeric(n).unwrap())
        .collect();
    let r2 = ols_r2(y, &xs);
    let v = a.vif_outer.iter().find(|v| v.indicator == "val1").unwrap();
    close(v.value, 1.0 / (1.0 - r2), 1e-10, "VIF val1");
}

/// Two-indicator blocks have closed forms for the decompositions behind the
/// unidimensionality table and the indicator VIF. The correlation matrix
/// [[1, r], [r, 1]] has eigenvalues 1 ± |r| and first eigenvector (1, ±1)/√2,
/// so the first principal component's loadings are ±√((1 + |r|)/2) (one sign
/// for r > 0, opposite signs for r < 0) and its Dillon–Goldstein rho,
/// (Σλ)²/((Σλ)² + Σ(1 − λ²)), is 2(1 + r)/(3 + r) for r > 0 and 0 for r < 0;
/// the inverse has the diagonal 1/(1 − r²), the VIF of either indicator.
/// Negating one indicator flips the sign of r.
#[test]
fn two_indicator_blocks_have_closed_forms() {
    let data = small_survey(300, 14, 0.5, 0.4, 0.2);
    // The same data with m2 negated: r(m1, m2) < 0.
    let flipped = Dataset::from_columns(
        data.names()
            .iter()
            .map(|n| {
                let col = data.numeric(n).unwrap();
                let sign = if n == "m2" { -1.0 } else { 1.0 };
                (n.clone(), col.iter().map(|v| sign * v).collect())
            })
            .collect(),
    )
    .unwrap();
    let r_m = |d: &Dataset| cor(d.numeric("m1").unwrap(), d.numeric("m2").unwrap());
    assert!(r_m(&data) > 0.3);
    assert_relative_eq!(r_m(&flipped), -r_m(&data), max_relative = 1e-12);
    let model = small_model();
    for d in [&data, &flipped] {
        let fit = Pls::new(&model).fit(d).unwrap();
        for (block, a, b) in [("M", "m1", "m2"), ("Y", "y1", "y2")] {
            let signed = cor(d.numeric(a).unwrap(), d.numeric(b).unwrap());
            assert!(signed.abs() > 0.3, "{block}: r = {signed}");
            let r = signed.abs();
            let c = fit.constructs.iter().find(|c| c.name == block).unwrap();
            assert_relative_eq!(c.eig_1st, 1.0 + r, max_relative = 1e-12);
            assert_relative_eq!(c.eig_2nd.unwrap(), 1.0 - r, max_relative = 1e-12);
            if signed > 0.0 {
                assert_relative_eq!(
                    c.dg_rho.unwrap(),
                    2.0 * (1.0 + r) / (3.0 + r),
                    max_relative = 1e-12
                );
            } else {
                // Loadings (a, −a): their sum, and so DG rho, is 0.
                assert_abs_diff_eq!(c.dg_rho.unwrap(), 0.0, epsilon = 1e-12);
            }
        }
    }
    // Mode B on the two-indicator block: VIF = 1/(1 − r²) for both indicators.
    let model_b =
        Model::from_syntax("X =~ x1 + x2 + x3\nM <~ m1 + m2\nY =~ y1 + y2\nM ~ X\nY ~ X + M")
            .unwrap();
    for d in [&data, &flipped] {
        let a = Pls::new(&model_b).fit(d).unwrap().assess();
        let r = r_m(d);
        assert_eq!(a.vif_outer.len(), 2);
        for v in &a.vif_outer {
            assert_relative_eq!(v.value, 1.0 / (1.0 - r * r), max_relative = 1e-12);
        }
    }
}

/// R² of an OLS regression with intercept, by normal equations.
fn ols_r2(y: &[f64], xs: &[&[f64]]) -> f64 {
    let (beta, intercept) = ols(y, xs);
    let n = y.len() as f64;
    let my = y.iter().sum::<f64>() / n;
    let (mut sse, mut sst) = (0.0, 0.0);
    for r in 0..y.len() {
        let fitted = intercept + xs.iter().zip(&beta).map(|(x, b)| b * x[r]).sum::<f64>();
        sse += (y[r] - fitted).powi(2);
        sst += (y[r] - my).powi(2);
    }
    1.0 - sse / sst
}

/// OLS with intercept by Gaussian elimination on the augmented normal equations.
fn ols(y: &[f64], xs: &[&[f64]]) -> (Vec<f64>, f64) {
    let q = xs.len() + 1;
    let n = y.len();
    let design = |r: usize, c: usize| if c == 0 { 1.0 } else { xs[c - 1][r] };
    let mut a = vec![0.0; q * (q + 1)];
    for u in 0..q {
        for v in 0..q {
            a[u * (q + 1) + v] = (0..n).map(|r| design(r, u) * design(r, v)).sum();
        }
        a[u * (q + 1) + q] = (0..n).map(|r| design(r, u) * y[r]).sum();
    }
    for c in 0..q {
        let piv = (c..q)
            .max_by(|&x, &z| {
                a[x * (q + 1) + c]
                    .abs()
                    .total_cmp(&a[z * (q + 1) + c].abs())
            })
            .unwrap();
        for t in 0..=q {
            a.swap(c * (q + 1) + t, piv * (q + 1) + t);
        }
        for r in 0..q {
            if r != c {
                let f = a[r * (q + 1) + c] / a[c * (q + 1) + c];
                for t in 0..=q {
                    a[r * (q + 1) + t] -= f * a[c * (q + 1) + t];
                }
            }
        }
    }
    let coef: Vec<f64> = (0..q)
        .map(|u| a[u * (q + 1) + q] / a[u * (q + 1) + u])
        .collect();
    (coef[1..].to_vec(), coef[0])
}

// ----- blindfolding -----

#[test]
fn blindfolding_q2_positive_and_deterministic() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let b = pls.blindfolding(&data, 7).unwrap();
    assert_eq!(b.constructs.len(), 5);
    assert_eq!(b.n_observations, 250);
    for r in &b.constructs {
        assert!(r.q2 > 0.0 && r.q2 < 1.0, "{} {}", r.construct, r.q2);
        close(r.q2, 1.0 - r.sse / r.sso, 1e-15, "Q² formula");
    }
    // QUAL (R² 0.71) is better predicted than EXPE (R² 0.31).
    let q = |c: &str| b.constructs.iter().find(|r| r.construct == c).unwrap().q2;
    assert!(q("QUAL") > q("EXPE"));
    // Deterministic and invariant to the order of columns in the data.
    assert_eq!(pls.blindfolding(&data, 7).unwrap(), b);
    // SSO: every data point of a block is omitted exactly once over the D rounds,
    // so with the full-data mean as the trivial prediction (the former rule,
    // `Q2Scale::MeanReplaced`) SSO = Σ over the block's indicators of Σ (x − x̄)².
    let old = pls
        .blindfolding_by(&data, Some(7), csikit::pls::Q2Scale::MeanReplaced)
        .unwrap();
    let sso_sat: f64 = ["sat1", "sat2", "sat3", "sat4"]
        .iter()
        .map(|n| {
            let x = data.numeric(n).unwrap();
            let m = x.iter().sum::<f64>() / x.len() as f64;
            x.iter().map(|v| (v - m).powi(2)).sum::<f64>()
        })
        .sum();
    let sat_old = old
        .constructs
        .iter()
        .find(|r| r.construct == "SAT")
        .unwrap();
    close(sat_old.sso, sso_sat, 1e-8, "SSO SAT");
    let sat = b.constructs.iter().find(|r| r.construct == "SAT").unwrap();
    // Another omission distance gives a different but similar Q².
    let b9 = pls.blindfolding(&data, 9).unwrap();
    let q9 = b9
        .constructs
        .iter()
        .find(|r| r.construct == "SAT")
        .unwrap()
        .q2;
    assert!((q9 - sat.q2).abs() < 0.05 && q9 != sat.q2);
}

#[test]
fn blindfolding_rejects_bad_omission_distance() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    for d in [0, 1, 5, 10, 250, 300] {
        let err = pls.blindfolding(&data, d).unwrap_err();
        assert!(
            matches!(err, Error::OmissionDistance { distance, n: 250 } if distance == d),
            "{d}: {err}"
        );
    }
}

// ----- PLSpredict -----

#[test]
fn fold_assignment_covers_every_row_once() {
    for (n, k) in [(250, 10), (23, 4), (5, 5)] {
        for rep in 0..3 {
            let f = fold_assignment(n, k, 7, rep);
            assert_eq!(f.len(), n);
            let mut sizes = vec![0; k];
            for &x in &f {
                sizes[x] += 1;
            }
            let (mn, mx) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(mx - mn <= 1 && *mn > 0, "{sizes:?}");
        }
        assert_eq!(fold_assignment(n, k, 7, 0), fold_assignment(n, k, 7, 0));
        assert_ne!(fold_assignment(n, k, 7, 0), fold_assignment(n, k, 7, 1));
        assert_ne!(fold_assignment(n, k, 7, 0), fold_assignment(n, k, 8, 0));
    }
}

#[test]
fn predict_is_deterministic_and_beats_the_mean() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let p = PlsPredict::new(&pls).folds(10).seed(1).run(&data).unwrap();
    assert_eq!(p.indicators.len(), 5 + 5 + 4 + 4 + 4);
    assert_eq!(
        p,
        PlsPredict::new(&pls).folds(10).seed(1).run(&data).unwrap()
    );
    assert_ne!(
        p,
        PlsPredict::new(&pls).folds(10).seed(2).run(&data).unwrap()
    );
    for i in &p.indicators {
        assert!(i.pls_rmse > 0.0 && i.pls_mae > 0.0 && i.pls_mae <= i.pls_rmse);
        assert!(i.lm_mae <= i.lm_rmse);
    }
    // Satisfaction is well predicted (R² 0.70): Q²_predict > 0 for its items.
    for n in ["sat1", "sat2", "sat3", "sat4"] {
        assert!(p.indicator(n).unwrap().q2_predict > 0.1, "{n}");
    }
    // RMSE in the indicators' own units: rescaling an item rescales its RMSE.
    let mut scaled = data.clone();
    let s1: Vec<f64> = data
        .numeric("sat1")
        .unwrap()
        .iter()
        .map(|x| 10.0 * x + 3.0)
        .collect();
    scaled.set_numeric("sat1", s1).unwrap();
    let ps = PlsPredict::new(&pls)
        .folds(10)
        .seed(1)
        .run(&scaled)
        .unwrap();
    let (a, b) = (p.indicator("sat1").unwrap(), ps.indicator("sat1").unwrap());
    close(b.pls_rmse, 10.0 * a.pls_rmse, 1e-9, "RMSE scales");
    close(b.lm_mae, 10.0 * a.lm_mae, 1e-9, "LM MAE scales");
    close(b.q2_predict, a.q2_predict, 1e-12, "Q² invariant");
}

#[test]
fn predict_lm_benchmark_equals_independent_ols_on_a_fold() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let p = PlsPredict::new(&pls).folds(5).seed(42).run(&data).unwrap();
    let fold = fold_assignment(250, 5, 42, 0);
    let train: Vec<usize> = (0..250).filter(|&r| fold[r] != 3).collect();
    let test: Vec<usize> = (0..250).filter(|&r| fold[r] == 3).collect();
    let tr = data.take_rows(&train).unwrap();
    let y = tr.numeric("loy2").unwrap();
    let xnames: Vec<String> = (1..=5).map(|i| format!("imag{i}")).collect();
    let xs: Vec<&[f64]> = xnames.iter().map(|n| tr.numeric(n).unwrap()).collect();
    let (beta, intercept) = ols(y, &xs);
    for &r in &test {
        let expected = intercept
            + xnames
                .iter()
                .zip(&beta)
                .map(|(n, b)| b * data.numeric(n).unwrap()[r])
                .sum::<f64>();
        close(
            p.lm_predictions.get(&r.to_string(), "loy2").unwrap(),
            expected,
            1e-9,
            &format!("LM row {r}"),
        );
    }
    // PLS prediction of the same rows from a fit on the training rows.
    let fit = pls.fit(&tr).unwrap();
    let mom = fit.moments();
    let (means, sds) = (mom.means(), mom.std_devs());
    let idx = |n: &str| fit.outer.iter().position(|o| o.indicator == n).unwrap();
    let te = fit.effect("IMAG", "LOY").unwrap().total;
    for &r in &test {
        let y_imag: f64 = (1..=5)
            .map(|i| {
                let n = format!("imag{i}");
                let k = idx(&n);
                (data.numeric(&n).unwrap()[r] - means[k]) / sds[k] * fit.outer[k].weight
            })
            .sum();
        let k = idx("loy2");
        let expected = means[k] + sds[k] * fit.outer[k].loading * te * y_imag;
        close(
            p.pls_predictions.get(&r.to_string(), "loy2").unwrap(),
            expected,
            1e-9,
            &format!("PLS row {r}"),
        );
    }
}

#[test]
fn predict_repetitions_average_and_direct_antecedents() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let p2 = PlsPredict::new(&pls)
        .folds(5)
        .repetitions(2)
        .seed(9)
        .run(&data)
        .unwrap();
    assert_eq!(p2.repetitions, 2);
    // Each row's LM prediction is the mean over the two repetitions (streams 0
    // and 1) of the OLS fitted without the row's fold.
    let xnames: Vec<String> = (1..=5).map(|i| format!("imag{i}")).collect();
    for r in [0usize, 101, 249] {
        let mut sum = 0.0;
        for rep in 0..2 {
            let fold = fold_assignment(250, 5, 9, rep);
            let train: Vec<usize> = (0..250).filter(|&t| fold[t] != fold[r]).collect();
            let tr = data.take_rows(&train).unwrap();
            let xs: Vec<&[f64]> = xnames.iter().map(|n| tr.numeric(n).unwrap()).collect();
            let (beta, intercept) = ols(tr.numeric("sat3").unwrap(), &xs);
            sum += intercept
                + xnames
                    .iter()
                    .zip(&beta)
                    .map(|(n, b)| b * data.numeric(n).unwrap()[r])
                    .sum::<f64>();
        }
        close(
            p2.lm_predictions.get(&r.to_string(), "sat3").unwrap(),
            sum / 2.0,
            1e-9,
            &format!("averaged LM row {r}"),
        );
    }
    let da = PlsPredict::new(&pls)
        .folds(5)
        .seed(9)
        .approach(PredictApproach::DirectAntecedents)
        .run(&data)
        .unwrap();
    let ea = PlsPredict::new(&pls).folds(5).seed(9).run(&data).unwrap();
    // EXPE's only predecessor is exogenous IMAG: both approaches coincide there.
    for i in 1..=5 {
        let n = format!("expe{i}");
        close(
            da.indicator(&n).unwrap().pls_rmse,
            ea.indicator(&n).unwrap().pls_rmse,
            1e-12,
            &n,
        );
    }
    // SAT from its observed direct antecedents predicts better than from IMAG alone.
    let sat = |p: &csikit::Prediction| p.indicator("sat1").unwrap().pls_rmse;
    assert!(sat(&da) < sat(&ea));
    // Targets restrict the output.
    let t = PlsPredict::new(&pls).targets(["LOY"]).run(&data).unwrap();
    assert_eq!(t.indicators.len(), 4);
    assert!(t.indicators.iter().all(|i| i.construct == "LOY"));
}

#[test]
fn predict_rejects_bad_input() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    for folds in [0, 1, 251] {
        let err = PlsPredict::new(&pls).folds(folds).run(&data).unwrap_err();
        assert!(
            matches!(err, Error::InvalidFolds { folds: f, n: 250 } if f == folds),
            "{err}"
        );
    }
    let err = PlsPredict::new(&pls).repetitions(0).run(&data).unwrap_err();
    assert!(matches!(err, Error::InvalidSetting { .. }), "{err}");
    let err = PlsPredict::new(&pls)
        .targets(["IMAG"])
        .run(&data)
        .unwrap_err();
    assert!(matches!(err, Error::NoPredictionTargets { .. }), "{err}");
    let err = PlsPredict::new(&pls)
        .targets(["SATT"])
        .run(&data)
        .unwrap_err();
    assert!(matches!(err, Error::NoPredictionTargets { .. }), "{err}");
    let err = PlsPredict::new(&pls)
        .targets(Vec::<String>::new())
        .run(&data)
        .unwrap_err();
    assert!(matches!(err, Error::NoPredictionTargets { .. }), "{err}");
    let weighted = Pls::new(&model).case_weights("sat1");
    let err = PlsPredict::new(&weighted).run(&data).unwrap_err();
    assert!(matches!(err, Error::InvalidSetting { .. }), "{err}");
    // Missing values: rows dropped and counted.
    let mut holes = data.clone();
    let mut v = data.numeric("loy1").unwrap().to_vec();
    v[3] = f64::NAN;
    v[17] = f64::NAN;
    holes.set_numeric("loy1", v).unwrap();
    let p = PlsPredict::new(&pls).run(&holes).unwrap();
    assert_eq!((p.n_observations, p.n_dropped), (248, 2));
    // Too few rows for the folds after listwise deletion.
    let tiny = data.take_rows(&[0, 1, 2, 3, 4]).unwrap();
    let err = PlsPredict::new(&pls).folds(6).run(&tiny).unwrap_err();
    assert!(
        matches!(err, Error::InvalidFolds { folds: 6, n: 5 }),
        "{err}"
    );
}

// ----- the `pls` example's JSON contract -----

#[test]
fn report_json_has_the_predict_contract() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let fit = pls.fit(&data).unwrap();
    let mut report = fit.report();
    let plain = serde_json::to_value(&report).unwrap();
    assert!(plain.get("predict").is_none() && plain.get("consistent").is_none());
    report.predict = Some(PlsPredict::new(&pls).folds(10).seed(1).run(&data).unwrap());
    let v = serde_json::to_value(&report).unwrap();
    let p = &v["predict"];
    assert_eq!(p["folds"], 10);
    assert_eq!(p["seed"], 1);
    let first = &p["indicators"][0];
    for key in [
        "indicator",
        "construct",
        "pls_rmse",
        "pls_mae",
        "lm_rmse",
        "lm_mae",
        "q2_predict",
    ] {
        assert!(first[key].is_string() || first[key].is_f64(), "{key}");
    }
    assert_eq!(first["indicator"], "expe1");
    assert_eq!(first["construct"], "EXPE");
    // The assessment travels with the report.
    close(
        num(&v["assessment"]["fit_estimated"]["srmr"]),
        fit.assess().fit_estimated.srmr,
        0.0,
        "srmr in JSON",
    );
    // With PLSc the report's estimates are the consistent ones.
    let pc = Pls::new(&model).consistent(true).fit(&data).unwrap();
    let v = serde_json::to_value(pc.report()).unwrap();
    assert_eq!(v["consistent"]["admissible"], true);
    let path = v["paths"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["from"] == "QUAL" && p["to"] == "VAL")
        .unwrap();
    assert!(num(&path["estimate"]) > 2.0, "PLSc path QUAL→VAL is 2.59");
    assert!(path["std_error"].is_null());
}
