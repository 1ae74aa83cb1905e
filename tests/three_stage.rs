//! Three-stage estimation of a higher-order composite of common factors
//! (van Riel, Henseler, Kemény & Sasovova 2017; issue 18): simulated truth.
// Index loops mirror the matrix formulas (Φ, v).
#![allow(clippy::needless_range_loop)]

use csikit::pls::HocApproach;
use csikit::{Bootstrap, Dataset, Error, Model, Pls};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::close;

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Factor correlations of the LOCs: Φ_lm = g_l g_m (l ≠ m).
const G: [f64; 3] = [0.8, 0.7, 0.6];
/// Population weights of the HOC composite on the LOC factors (before scaling).
const V: [f64; 3] = [0.5, 0.3, 0.4];
/// Path HOC -> Y.
const BETA: f64 = 0.6;
/// Congeneric loadings of the three items of every LOC and of Y.
const LAMBDA: [f64; 3] = [0.85, 0.7, 0.55];

fn phi(l: usize, m: usize) -> f64 {
    if l == m { 1.0 } else { G[l] * G[m] }
}

/// SD of Σ v_l η_l: √(vᵀΦv).
fn hoc_sd() -> f64 {
    let mut s = 0.0;
    for l in 0..3 {
        for m in 0..3 {
            s += V[l] * V[m] * phi(l, m);
        }
    }
    s.sqrt()
}

/// LOCs η_l = g_l F + √(1 − g_l²) u_l (common factors, three items each);
/// the HOC H = Σ v_l η_l / √(vᵀΦv) is a composite of them; Y = βH + √(1 − β²) e,
/// a common factor with three items.
fn data(n: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sd = hoc_sd();
    let mut cols: Vec<(String, Vec<f64>)> = Vec::new();
    let mut etas = vec![vec![0.0; n]; 3];
    let mut y = vec![0.0; n];
    for r in 0..n {
        let f = normal(&mut rng);
        let mut h = 0.0;
        for l in 0..3 {
            etas[l][r] = G[l] * f + (1.0 - G[l] * G[l]).sqrt() * normal(&mut rng);
            h += V[l] * etas[l][r];
        }
        y[r] = BETA * h / sd + (1.0 - BETA * BETA).sqrt() * normal(&mut rng);
    }
    let mut items = |prefix: &str, eta: &[f64], rng: &mut ChaCha8Rng| {
        for (i, lam) in LAMBDA.iter().enumerate() {
            let e = (1.0 - lam * lam).sqrt();
            cols.push((
                format!("{prefix}{}", i + 1),
                eta.iter().map(|x| lam * x + e * normal(rng)).collect(),
            ));
        }
    };
    for (l, eta) in etas.iter().enumerate() {
        items(&format!("l{l}_"), eta, &mut rng);
    }
    items("y", &y, &mut rng);
    Dataset::from_columns(cols).unwrap()
}

const SYNTAX: &str = "
    L0 =~ l0_1 + l0_2 + l0_3
    L1 =~ l1_1 + l1_2 + l1_3
    L2 =~ l2_1 + l2_2 + l2_3
    Y  =~ y1 + y2 + y3
    H  <~ L0 + L1 + L2
    Y  ~ H
";

#[test]
fn three_stage_recovers_the_composite_of_common_factors() {
    let model = Model::from_syntax(SYNTAX).unwrap();
    let sd = hoc_sd();
    // Truth: weights v/√(vᵀΦv); loadings (Φv)_l/√(vᵀΦv); path β; R² β².
    let err = |n: usize, seed: u64| {
        let d = data(n, seed);
        let fit = Pls::new(&model)
            .hoc_approach(HocApproach::ThreeStage)
            .fit(&d)
            .unwrap();
        let ext = fit.extension.as_ref().unwrap();
        assert_eq!(ext.hoc_approach, Some(HocApproach::ThreeStage));
        assert!(ext.stage1.as_ref().unwrap().consistent.is_some());
        let mut worst: f64 = 0.0;
        for l in 0..3 {
            let o = fit
                .outer
                .iter()
                .find(|o| o.construct == "H" && o.indicator == format!("L{l}"))
                .unwrap();
            let lam: f64 = (0..3).map(|m| phi(l, m) * V[m]).sum::<f64>() / sd;
            worst = worst.max((o.weight - V[l] / sd).abs());
            worst = worst.max((o.loading - lam).abs());
        }
        let row = fit.path("H", "Y").unwrap();
        assert!(
            row.std_error.is_none() && row.p.is_none(),
            "no OLS inference"
        );
        let path = row.estimate;
        worst = worst.max((path - BETA).abs());
        let r2 = fit.constructs.iter().find(|c| c.name == "Y").unwrap();
        worst = worst.max((r2.r_squared.unwrap() - BETA * BETA).abs());
        // Two-stage without correction: the path is attenuated by the LOCs' and Y's reliabilities.
        let two = Pls::new(&model)
            .hoc_approach(HocApproach::TwoStageEmbedded)
            .fit(&d)
            .unwrap();
        (worst, path, two.path("H", "Y").unwrap().estimate)
    };
    let (large, path, two_stage) = err(20_000, 7);
    close(large, 0.0, 0.03, "largest error at n = 20 000");
    close(path, BETA, 0.02, "path H -> Y at n = 20 000");
    // The uncorrected two-stage path is clearly attenuated (Y's reliability is about 0.74).
    assert!(two_stage < BETA - 0.08, "two-stage path {two_stage}");
    // Convergence: the error at n = 20 000 is below the error at n = 300 (same design).
    let (small, _, _) = err(300, 11);
    eprintln!(
        "three-stage: largest error n=20000 {large:.4} (n=300 {small:.4}); path {path:.4} vs {BETA}; two-stage {two_stage:.4}"
    );
    assert!(large < small, "n = 20 000: {large}, n = 300: {small}");
}

#[test]
fn three_stage_refuses_what_it_cannot_estimate() {
    let model = Model::from_syntax(SYNTAX).unwrap();
    let d = data(200, 3);
    let pls = Pls::new(&model).hoc_approach(HocApproach::ThreeStage);
    let e = Bootstrap::new(10).run(&pls, &d).unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }), "{e}");
    let with_loc_path = Model::from_syntax(&format!("{SYNTAX}\n    Y ~ L0\n")).unwrap();
    let e = Pls::new(&with_loc_path)
        .hoc_approach(HocApproach::ThreeStage)
        .fit(&d)
        .unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }), "{e}");
    assert_eq!(
        "three-stage".parse::<HocApproach>().unwrap(),
        HocApproach::ThreeStage
    );
    assert_eq!(
        "3stage".parse::<HocApproach>().unwrap(),
        HocApproach::ThreeStage
    );
}
