//! Numerical robustness: extreme scales, near-singular blocks, skewed items.

use csikit::{Dataset, Error, Mode, Model, Pls, PlsFit};

use crate::common::*;

fn columns(data: &Dataset) -> Vec<(String, Vec<f64>)> {
    data.names()
        .iter()
        .filter(|n| *n != "gender")
        .map(|n| (n.clone(), data.numeric(n).unwrap().to_vec()))
        .collect()
}

fn fit(data: &Dataset) -> PlsFit {
    Pls::new(&satisfaction_model(Mode::A))
        .tolerance(1e-12)
        .max_iter(1000)
        .fit(data)
        .unwrap()
}

/// Indicators measured in units of 1e-8 or 1e8, or shifted by 1e6, give the
/// standardized estimates of the original data to 1e-9.
#[test]
fn extreme_scales_and_offsets() {
    let base = fit(&satisfaction());
    for (factor, shift) in [(1e-8, 0.0), (1e8, 0.0), (1.0, 1e6), (1e-8, 1e-4)] {
        let cols = columns(&satisfaction())
            .into_iter()
            .map(|(n, c)| {
                let c = if n.starts_with("sat") || n.starts_with("imag") {
                    c.iter().map(|x| x * factor + shift).collect()
                } else {
                    c
                };
                (n, c)
            })
            .collect();
        let other = fit(&Dataset::from_columns(cols).unwrap());
        for (a, b) in base.outer.iter().zip(&other.outer) {
            close(
                b.weight,
                a.weight,
                1e-9,
                &format!("weight {} ×{factor} +{shift}", a.indicator),
            );
        }
        for (a, b) in base.paths.iter().zip(&other.paths) {
            close(b.estimate, a.estimate, 1e-9, "path");
        }
    }
}

/// An exactly duplicated indicator in a Mode B block is refused; a nearly
/// duplicated one (1 − r² ≈ 1e-6) is estimated with finite numbers and the
/// paths stay close to the model without it.
#[test]
fn near_singular_mode_b_block() {
    let data = satisfaction();
    let mut cols = columns(&data);
    let val1 = data.numeric("val1").unwrap().to_vec();
    // Exact copy.
    cols.push(("val1_copy".into(), val1.clone()));
    let exact = Dataset::from_columns(cols.clone()).unwrap();
    let text = satisfaction_model(Mode::A).to_syntax().replace(
        "VAL =~ val1 + val2 + val3 + val4",
        "VAL <~ val1 + val2 + val3 + val4 + val1_copy",
    );
    let model = Model::from_syntax(&text).unwrap();
    let err = Pls::new(&model).fit(&exact).unwrap_err();
    assert!(
        matches!(&err, Error::SingularBlock { construct } if construct == "VAL"),
        "{err:?}"
    );
    // A near copy: tiny deterministic perturbation.
    cols.pop();
    let near: Vec<f64> = val1
        .iter()
        .enumerate()
        .map(|(i, x)| x + 1e-3 * ((i % 7) as f64 - 3.0))
        .collect();
    cols.push(("val1_copy".into(), near));
    let fit_near = Pls::new(&model)
        .fit(&Dataset::from_columns(cols).unwrap())
        .unwrap();
    assert!(
        fit_near
            .outer
            .iter()
            .all(|o| o.weight.is_finite() && o.loading.is_finite())
    );
    let without = Pls::new(&Model::from_syntax(&text.replace(" + val1_copy", "")).unwrap())
        .fit(&data)
        .unwrap();
    for p in &without.paths {
        let q = fit_near.path(&p.from, &p.to).unwrap();
        assert!(
            (p.estimate - q.estimate).abs() < 0.05,
            "{} -> {}",
            p.from,
            p.to
        );
    }
}

/// Heavily skewed items (almost everyone answers 10) are estimated normally.
#[test]
fn heavily_skewed_items() {
    let data = satisfaction();
    let cols = columns(&data)
        .into_iter()
        .map(|(n, c)| {
            if n.starts_with("loy") {
                // 10 unless the original answer is below 6: a ceiling effect.
                let c = c.iter().map(|&x| if x < 6.0 { x } else { 10.0 }).collect();
                (n, c)
            } else {
                (n, c)
            }
        })
        .collect();
    let skewed = Dataset::from_columns(cols).unwrap();
    let share_10 = skewed
        .numeric("loy1")
        .unwrap()
        .iter()
        .filter(|x| **x == 10.0)
        .count() as f64
        / 250.0;
    assert!(share_10 > 0.75);
    let f = fit(&skewed);
    assert!(f.converged);
    let loy = f.construct("LOY").unwrap();
    assert!(loy.r_squared.unwrap() > 0.2 && loy.r_squared.unwrap() < 0.9);
    assert!(f.outer.iter().all(|o| o.weight.is_finite()));
}
