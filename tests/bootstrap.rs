//! Bootstrap: reproducibility, agreement with long runs, coverage of known
//! population values, degenerate resamples by class, policies, bad input.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use csikit::pls::{BootEstimate, CustomBootstrap};
use csikit::{
    Bootstrap, BootstrapResult, Dataset, Error, FailurePolicy, MissingPolicy, Mode, Model, Moments,
    Pls, SignChange, SurveySimulator,
};

use crate::common::*;

fn every_estimate(r: &BootstrapResult) -> Vec<&BootEstimate> {
    r.paths
        .iter()
        .map(|x| &x.stats)
        .chain(r.total_effects.iter().map(|x| &x.stats))
        .chain(r.indirect_effects.iter().map(|x| &x.stats))
        .chain(r.weights.iter().map(|x| &x.stats))
        .chain(r.loadings.iter().map(|x| &x.stats))
        .chain(r.r_squared.iter().map(|x| &x.stats))
        .chain(r.htmt.iter().map(|x| &x.stats))
        .collect()
}

/// Every number is finite and every interval is ordered.
fn sane(r: &BootstrapResult) {
    for s in every_estimate(r) {
        for x in [
            s.estimate,
            s.mean,
            s.std_error,
            s.bias,
            s.ci_lower,
            s.ci_upper,
        ] {
            assert!(x.is_finite(), "{s:?}");
        }
        assert!(s.ci_lower <= s.ci_upper, "{s:?}");
        if let (Some(lo), Some(hi)) = (s.bca_lower, s.bca_upper) {
            assert!(lo.is_finite() && hi.is_finite() && lo <= hi, "{s:?}");
        }
    }
}

#[test]
fn contents_match_the_fit() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let fit = pls.fit(&data).unwrap();
    let boot = Bootstrap::new(300).seed(3).run(&pls, &data).unwrap();
    sane(&boot);
    assert_eq!(boot.resamples, 300);
    assert_eq!(boot.failed, 0);
    assert_eq!(boot.n_observations, 250);
    assert_eq!(boot.ci, "percentile");
    assert_eq!(boot.jackknife_failed, Some(0));
    assert_eq!(boot.paths.len(), fit.paths.len());
    assert_eq!(boot.weights.len(), 27);
    assert_eq!(boot.loadings.len(), 27);
    assert_eq!(boot.total_effects.len(), fit.effects.len());
    assert_eq!(boot.r_squared.len(), 5);
    assert_eq!(boot.htmt.len(), fit.htmt.len());
    // Indirect effects only where a route through another construct exists.
    assert!(boot.indirect_effect("IMAG", "EXPE").is_none());
    assert!(boot.indirect_effect("IMAG", "LOY").is_some());
    for p in &fit.paths {
        let b = boot.path(&p.from, &p.to).unwrap();
        close(b.stats.estimate, p.estimate, 1e-12, "path estimate");
        // The bootstrap SE is of the same order as the OLS SE.
        let ratio = b.stats.std_error / p.std_error.unwrap();
        assert!(
            ratio > 0.5 && ratio < 2.0,
            "{} -> {}: {ratio}",
            p.from,
            p.to
        );
    }
    for e in &fit.effects {
        let b = boot.total_effect(&e.from, &e.to).unwrap();
        close(b.stats.estimate, e.total, 1e-12, "total effect");
        if let Some(ind) = boot.indirect_effect(&e.from, &e.to) {
            close(ind.stats.estimate, e.indirect, 1e-12, "indirect effect");
        }
    }
    for o in &fit.outer {
        close(
            boot.loading(&o.indicator).unwrap().stats.estimate,
            o.loading,
            1e-12,
            "loading",
        );
        close(
            boot.weight(&o.indicator).unwrap().stats.estimate,
            o.weight,
            1e-12,
            "weight",
        );
    }
    for h in &fit.htmt {
        close(
            boot.htmt(&h.b, &h.a).unwrap().stats.estimate,
            h.value,
            1e-12,
            "htmt",
        );
    }
    let sat = boot.r_squared("SAT").unwrap();
    close(
        sat.stats.estimate,
        fit.construct("SAT").unwrap().r_squared.unwrap(),
        1e-12,
        "R2",
    );
    // The strong IMAG -> EXPE path is significant; t and p agree.
    let p = &boot.path("IMAG", "EXPE").unwrap().stats;
    assert!(p.significant() && p.p.unwrap() < 0.001);
    close(p.t.unwrap(), p.estimate / p.std_error, 1e-12, "t");
}

#[test]
fn deterministic_for_a_seed() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let a = Bootstrap::new(200).seed(11).run(&pls, &data).unwrap();
    let b = Bootstrap::new(200).seed(11).run(&pls, &data).unwrap();
    assert_eq!(a, b);
    let c = Bootstrap::new(200).seed(12).run(&pls, &data).unwrap();
    assert_ne!(a.paths[0].stats.std_error, c.paths[0].stats.std_error);
    // Same estimates, different resamples.
    assert_eq!(a.paths[0].stats.estimate, c.paths[0].stats.estimate);
}

#[test]
fn bit_identical_on_one_and_two_threads() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::B);
    let pls = Pls::new(&model);
    let one = Bootstrap::new(300)
        .seed(5)
        .threads(1)
        .run(&pls, &data)
        .unwrap();
    let two = Bootstrap::new(300)
        .seed(5)
        .threads(2)
        .run(&pls, &data)
        .unwrap();
    let default = Bootstrap::new(300).seed(5).run(&pls, &data).unwrap();
    assert_eq!(one, two);
    assert_eq!(one, default);
    // The JSON (shortest round-trip representation of every f64) agrees too.
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap()
    );
    for (x, y) in every_estimate(&one).iter().zip(every_estimate(&two)) {
        assert_eq!(x.std_error.to_bits(), y.std_error.to_bits());
        assert_eq!(x.ci_lower.to_bits(), y.ci_lower.to_bits());
    }
}

#[test]
fn standard_errors_agree_with_a_long_run() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let short = Bootstrap::new(1000)
        .seed(21)
        .bca(false)
        .run(&pls, &data)
        .unwrap();
    let long = Bootstrap::new(8000)
        .seed(22)
        .bca(false)
        .run(&pls, &data)
        .unwrap();
    // The SE of an SE estimate from B resamples is about SE/√(2B): 2.2 % at
    // B = 1000, so 8 % is well beyond chance and catches a wrong scale.
    for (s, l) in short.paths.iter().zip(&long.paths) {
        let rel = (s.stats.std_error / l.stats.std_error - 1.0).abs();
        assert!(rel < 0.08, "{} -> {}: {rel}", s.from, s.to);
        assert!((s.stats.mean - l.stats.mean).abs() < 0.2 * l.stats.std_error);
    }
    for (s, l) in short.loadings.iter().zip(&long.loadings) {
        let rel = (s.stats.std_error / l.stats.std_error - 1.0).abs();
        assert!(rel < 0.08, "{}: {rel}", s.indicator);
    }
}

#[test]
fn intervals_cover_population_values() {
    // The PLS estimand of the small model: the estimates on a very large sample.
    let model = small_model();
    let (a, b, c) = (0.5, 0.4, 0.2);
    let population = Pls::new(&model)
        .tolerance(1e-10)
        .fit(&small_survey(400_000, 1, a, b, c))
        .unwrap();
    let truth = [
        population.path("X", "M").unwrap().estimate,
        population.path("X", "Y").unwrap().estimate,
        population.path("M", "Y").unwrap().estimate,
        population.effect("X", "Y").unwrap().indirect,
    ];
    let replications = 120;
    let (mut percentile, mut bca, mut total) = (0, 0, 0);
    for rep in 0..replications {
        let data = small_survey(150, 1000 + rep, a, b, c);
        let boot = Bootstrap::new(300)
            .seed(rep)
            .run(&Pls::new(&model), &data)
            .unwrap();
        let stats = [
            &boot.path("X", "M").unwrap().stats,
            &boot.path("X", "Y").unwrap().stats,
            &boot.path("M", "Y").unwrap().stats,
            &boot.indirect_effect("X", "Y").unwrap().stats,
        ];
        for (s, t) in stats.iter().zip(truth) {
            total += 1;
            percentile += usize::from(s.ci_lower <= t && t <= s.ci_upper);
            bca += usize::from(s.bca_lower.unwrap() <= t && t <= s.bca_upper.unwrap());
        }
    }
    // Nominal 95 %; with 480 intervals the binomial SD is 1 %, and percentile
    // intervals of a slightly biased estimator under-cover a little.
    let (pc, bc) = (percentile as f64 / total as f64, bca as f64 / total as f64);
    assert!((0.89..=0.985).contains(&pc), "percentile coverage {pc}");
    assert!((0.89..=0.985).contains(&bc), "BCa coverage {bc}");
}

/// x3 is 0 except in the first row: a resample that misses row 1 has a
/// constant indicator.
fn rare_answer_data() -> (Dataset, Model) {
    let base = small_survey(40, 7, 0.5, 0.4, 0.2);
    let mut data = base.clone();
    let mut x3 = vec![0.0; 40];
    x3[0] = 1.0;
    data.set_numeric("x3", x3).unwrap();
    (data, small_model())
}

#[test]
fn constant_indicator_resamples_are_counted_and_skipped() {
    let (data, model) = rare_answer_data();
    let boot = Bootstrap::new(400)
        .seed(1)
        .run(&Pls::new(&model), &data)
        .unwrap();
    // P(row 1 never drawn) = (39/40)^40 ≈ 0.36.
    assert!(
        boot.failed_by.constant_indicator > 100,
        "{:?}",
        boot.failed_by
    );
    assert!(
        boot.failed_by.constant_indicator < 200,
        "{:?}",
        boot.failed_by
    );
    assert_eq!(boot.failed, boot.failed_by.total());
    sane(&boot);
    // The leave-one-out fit without row 1 is degenerate too.
    assert_eq!(boot.jackknife_failed, Some(1));
    // Redrawing replaces nearly all of them.
    let replaced = Bootstrap::new(400)
        .seed(1)
        .on_failure(FailurePolicy::Replace)
        .run(&Pls::new(&model), &data)
        .unwrap();
    assert_eq!(replaced.failed, 0);
    sane(&replaced);
    // Stopping names the first degenerate resample.
    match Bootstrap::new(400)
        .seed(1)
        .on_failure(FailurePolicy::Error)
        .run(&Pls::new(&model), &data)
    {
        Err(Error::ResampleFailed { index, reason }) => {
            assert!(index < 20, "{index}");
            assert!(reason.contains("zero variance"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // Too many failures is an error that gives the reasons.
    let err = Bootstrap::new(400)
        .seed(1)
        .max_failed_share(0.1)
        .run(&Pls::new(&model), &data)
        .unwrap_err();
    assert!(
        matches!(err, Error::TooManyFailedResamples { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("constant indicator"), "{err}");
}

#[test]
fn singular_mode_b_block_resamples_are_counted() {
    // x2 equals x1 except in row 1: without row 1 the Mode B block is singular.
    let mut data = small_survey(40, 8, 0.5, 0.4, 0.2);
    let mut x2 = data.numeric("x1").unwrap().to_vec();
    x2[0] += 1.5;
    data.set_numeric("x2", x2).unwrap();
    let model =
        Model::from_syntax("X <~ x1 + x2 + x3\nM =~ m1 + m2\nY =~ y1 + y2\nM ~ X\nY ~ X + M")
            .unwrap();
    let boot = Bootstrap::new(300)
        .seed(2)
        .run(&Pls::new(&model), &data)
        .unwrap();
    assert!(boot.failed_by.singular_block > 50, "{:?}", boot.failed_by);
    assert_eq!(boot.failed, boot.failed_by.singular_block);
    sane(&boot);
}

#[test]
fn collinear_predictor_resamples_are_counted() {
    // Two single-indicator predictors equal except in row 1.
    let mut data = small_survey(40, 9, 0.5, 0.4, 0.2);
    let mut x2 = data.numeric("x1").unwrap().to_vec();
    x2[0] += 1.5;
    data.set_numeric("x2", x2).unwrap();
    let model = Model::from_syntax("A =~ x1\nB =~ x2\nY =~ y1 + y2\nY ~ A + B").unwrap();
    let boot = Bootstrap::new(300)
        .seed(3)
        .run(&Pls::new(&model), &data)
        .unwrap();
    assert!(
        boot.failed_by.singular_predictors > 50,
        "{:?}",
        boot.failed_by
    );
    assert_eq!(boot.failed, boot.failed_by.singular_predictors);
    sane(&boot);
}

#[test]
fn non_converged_resamples_are_counted() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::B);
    let fit = Pls::new(&model).fit(&data).unwrap();
    // Just enough iterations for the original data: some resamples need more.
    let pls = Pls::new(&model).max_iter(fit.iterations);
    let boot = Bootstrap::new(200)
        .seed(4)
        .max_failed_share(1.0)
        .run(&pls, &data)
        .unwrap();
    assert!(boot.failed_by.not_converged > 0, "{:?}", boot.failed_by);
    assert_eq!(boot.failed, boot.failed_by.not_converged);
    sane(&boot);
}

#[test]
fn non_finite_and_failing_statistics_are_counted() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let fit = pls.fit(&data).unwrap();
    let cut = fit.path("IMAG", "LOY").unwrap().estimate;
    let nan = Bootstrap::new(200)
        .seed(6)
        .bca(false)
        .run_with(&pls, &data, |f| {
            let e = f.path("IMAG", "LOY").unwrap().estimate;
            Ok(vec![if e > cut + 0.05 { f64::NAN } else { e }])
        })
        .unwrap();
    assert!(nan.failed_by.non_finite > 0, "{:?}", nan.failed_by);
    assert_eq!(nan.failed, nan.failed_by.non_finite);
    assert!(nan.estimates[0].ci_upper <= cut + 0.05);
    let failing = Bootstrap::new(200)
        .seed(6)
        .bca(false)
        .run_with(&pls, &data, |f| {
            let e = f.path("IMAG", "LOY").unwrap().estimate;
            if e > cut + 0.05 {
                Err(Error::InvalidSetting {
                    name: "test".into(),
                    message: "too large".into(),
                })
            } else {
                Ok(vec![e])
            }
        })
        .unwrap();
    assert_eq!(failing.failed_by.statistic, nan.failed_by.non_finite);
}

#[test]
fn custom_statistics_use_the_same_resamples() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let boot = Bootstrap::new(200).seed(8).run(&pls, &data).unwrap();
    let custom: CustomBootstrap = Bootstrap::new(200)
        .seed(8)
        .run_with(&pls, &data, |f| {
            Ok(vec![
                f.path("SAT", "LOY").unwrap().estimate,
                f.construct("LOY").unwrap().r_squared.unwrap(),
            ])
        })
        .unwrap();
    assert_eq!(custom.replicates.len(), 200);
    assert_eq!(custom.estimates[0], boot.path("SAT", "LOY").unwrap().stats);
    assert_eq!(custom.estimates[1], boot.r_squared("LOY").unwrap().stats);
    // A function of the moments: the SE of a mean is close to sd/√n.
    let means = Bootstrap::new(2000)
        .seed(9)
        .bca(false)
        .run_moments(&pls, &data, |m: &Moments| {
            let s = m.select(&["sat1"])?;
            Ok(vec![s.means()[0]])
        })
        .unwrap();
    let sd = Moments::from_columns(&["sat1"], &[data.numeric("sat1").unwrap()], None)
        .unwrap()
        .std_devs()[0];
    let rel = means.estimates[0].std_error / (sd / 250f64.sqrt()) - 1.0;
    assert!(rel.abs() < 0.06, "{rel}");
    // A statistic that fails on the original data is an error.
    let err = Bootstrap::new(10)
        .run_moments(&pls, &data, |m: &Moments| {
            Ok(vec![m.select(&["nope"])?.means()[0]])
        })
        .unwrap_err();
    assert!(matches!(err, Error::UnknownColumn { .. }), "{err:?}");
}

/// X has two strong indicators and three weak ones taken from unrelated data.
/// The orientation rule counts loading signs, so the whole construct flips in
/// the resamples where the weak loadings change sign together, while the sum
/// of its loadings keeps a clear sign: the case the construct-level
/// correction is for.
fn sign_ambiguous_data() -> (Dataset, Model) {
    let mut data = small_survey(100, 10, 0.6, 0.5, 0.0);
    let noise = small_survey(100, 99, 0.0, 0.0, 0.0);
    for (name, from) in [("n1", "y1"), ("n2", "y2"), ("n3", "m1")] {
        data.set_numeric(name, noise.numeric(from).unwrap().to_vec())
            .unwrap();
    }
    let model = Model::from_syntax("X =~ x1 + x2 + n1 + n2 + n3\nM =~ m1 + m2\nM ~ X").unwrap();
    (data, model)
}

#[test]
fn sign_change_options() {
    let (data, model) = sign_ambiguous_data();
    let pls = Pls::new(&model);
    let run = |option| {
        Bootstrap::new(400)
            .seed(12)
            .sign_change(option)
            .run(&pls, &data)
            .unwrap()
    };
    let none = run(SignChange::None);
    let construct = run(SignChange::ConstructReversal);
    let individual = run(SignChange::Individual);
    let se = |r: &BootstrapResult| r.path("X", "M").unwrap().stats.std_error;
    // Flipped resamples make the path's distribution bimodal without correction.
    assert!(
        se(&construct) < 0.5 * se(&none),
        "{} vs {}",
        se(&construct),
        se(&none)
    );
    // Individual changes put every re-estimate on the estimate's side.
    for r in [&individual.paths[0].stats, &individual.loadings[0].stats] {
        if r.estimate > 0.0 {
            assert!(r.ci_lower >= 0.0, "{r:?}");
        } else {
            assert!(r.ci_upper <= 0.0, "{r:?}");
        }
    }
    assert_eq!(construct.sign_change, SignChange::ConstructReversal);
    sane(&none);
    sane(&construct);
}

#[test]
fn case_weights_and_missing_data() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let mut weighted = data.clone();
    weighted.set_numeric("w", vec![1.0; 250]).unwrap();
    let plain = Bootstrap::new(100)
        .seed(2)
        .run(&Pls::new(&model), &data)
        .unwrap();
    let ones = Bootstrap::new(100)
        .seed(2)
        .run(&Pls::new(&model).case_weights("w"), &weighted)
        .unwrap();
    // Unit case weights change nothing.
    for (a, b) in plain.paths.iter().zip(&ones.paths) {
        close(a.stats.std_error, b.stats.std_error, 1e-12, "unit weights");
    }
    // Doubling every weight changes nothing either.
    weighted.set_numeric("w", vec![2.0; 250]).unwrap();
    let twos = Bootstrap::new(100)
        .seed(2)
        .run(&Pls::new(&model).case_weights("w"), &weighted)
        .unwrap();
    for (a, b) in plain.paths.iter().zip(&twos.paths) {
        close(
            a.stats.std_error,
            b.stats.std_error,
            1e-12,
            "doubled weights",
        );
    }
    // Listwise deletion resamples the complete rows; mean replacement all rows.
    let mut holes = data.clone();
    let mut sat1 = holes.numeric("sat1").unwrap().to_vec();
    for r in (0..250).step_by(25) {
        sat1[r] = f64::NAN;
    }
    holes.set_numeric("sat1", sat1).unwrap();
    let listwise = Bootstrap::new(100).run(&Pls::new(&model), &holes).unwrap();
    assert_eq!(listwise.n_observations, 240);
    let mean = Bootstrap::new(100)
        .run(&Pls::new(&model).missing(MissingPolicy::Mean), &holes)
        .unwrap();
    assert_eq!(mean.n_observations, 250);
    sane(&listwise);
    sane(&mean);
}

#[test]
fn progress_is_reported() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let calls = Arc::new(AtomicUsize::new(0));
    let last = Arc::new(AtomicUsize::new(0));
    let (c, l) = (calls.clone(), last.clone());
    Bootstrap::new(1000)
        .bca(false)
        .progress(move |p| {
            assert_eq!(p.total, 1000);
            c.fetch_add(1, Ordering::Relaxed);
            l.fetch_max(p.done, Ordering::Relaxed);
        })
        .run(&Pls::new(&model), &data)
        .unwrap();
    let n = calls.load(Ordering::Relaxed);
    assert!((100..=201).contains(&n), "{n} calls");
    assert_eq!(last.load(Ordering::Relaxed), 1000);
}

#[test]
fn bad_settings_and_data() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    for boot in [
        Bootstrap::new(0),
        Bootstrap::new(1),
        Bootstrap::new(100).confidence(1.0),
        Bootstrap::new(100).confidence(0.0),
        Bootstrap::new(100).confidence(f64::NAN),
        Bootstrap::new(100).max_failed_share(1.5),
    ] {
        let err = boot.run(&pls, &data).unwrap_err();
        assert!(matches!(err, Error::InvalidSetting { .. }), "{err:?}");
    }
    // Data errors of the fit come through unchanged.
    let other = Model::from_syntax("X =~ imag1 + imagg2\nY =~ sat1\nY ~ X").unwrap();
    let err = Bootstrap::new(10)
        .run(&Pls::new(&other), &data)
        .unwrap_err();
    assert!(matches!(&err, Error::UnknownColumn { name, .. } if name == "imagg2"));
    assert!(err.to_string().contains("`imag2`"), "{err}");
    let two_rows = data.take_rows(&[0, 1]).unwrap();
    assert!(matches!(
        Bootstrap::new(10).run(&pls, &two_rows),
        Err(Error::TooFewObservations { .. })
    ));
    // A non-converging original fit is an error unless allowed.
    let mode_b = satisfaction_model(Mode::B);
    assert!(matches!(
        Bootstrap::new(10).run(&Pls::new(&mode_b).max_iter(2), &data),
        Err(Error::NotConverged { .. })
    ));
}

#[test]
fn confidence_level_is_settable() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let wide = Bootstrap::new(500)
        .seed(3)
        .confidence(0.99)
        .run(&pls, &data)
        .unwrap();
    let narrow = Bootstrap::new(500)
        .seed(3)
        .confidence(0.80)
        .run(&pls, &data)
        .unwrap();
    for (w, n) in wide.paths.iter().zip(&narrow.paths) {
        assert!(w.stats.ci_lower < n.stats.ci_lower && n.stats.ci_upper < w.stats.ci_upper);
        assert_eq!(w.stats.std_error, n.stats.std_error);
    }
    assert_eq!(wide.confidence, 0.99);
    let text = wide.to_string();
    assert!(text.contains("99% percentile"), "{text}");
}

#[test]
fn golden_values_with_and_without_the_parallel_feature() {
    // Fixed bits: the same with `--no-default-features` (sequential) and on
    // any thread count. Only exact IEEE operations (+ − × ÷ √, no libm)
    // enter these numbers, so they do not depend on the platform's libm.
    // (The last digits moved by an ulp or two when the linear algebra moved to
    // nalgebra, whose triangular solves sum in another order.)
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let boot = Bootstrap::new(200)
        .seed(2026)
        .bca(false)
        .run(&Pls::new(&model), &data)
        .unwrap();
    let s = &boot.path("SAT", "LOY").unwrap().stats;
    assert_eq!(s.std_error, 0.07183924947175485);
    assert_eq!(s.mean, 0.4659005967484252);
    assert_eq!(s.ci_lower, 0.31045203787896375);
    let m = csikit::MultiGroup::new("gender")
        .permutations(100)
        .seed(2026)
        .run(&Pls::new(&model), &data)
        .unwrap();
    let p = m.path("IMAG", "LOY", "female", "male").unwrap();
    assert_eq!(p.difference, 0.3883071881018092);
    assert_eq!(p.p_permutation, 1.0 / 101.0);
}

#[test]
fn consistent_pls_estimates_get_bootstrap_intervals() {
    let data = small_survey(300, 14, 0.5, 0.4, 0.2);
    let model = small_model();
    let pls = Pls::new(&model).consistent(true);
    let fit = pls.fit(&data).unwrap();
    // PLSc paths have no OLS standard errors: the bootstrap supplies them.
    assert!(fit.path("M", "Y").unwrap().std_error.is_none());
    let boot = Bootstrap::new(300).seed(4).run(&pls, &data).unwrap();
    sane(&boot);
    for p in &fit.paths {
        let b = &boot.path(&p.from, &p.to).unwrap().stats;
        close(b.estimate, p.estimate, 1e-12, "PLSc path");
        assert!(b.std_error > 0.0);
    }
    for o in &fit.outer {
        let b = &boot.loading(&o.indicator).unwrap().stats;
        close(b.estimate, o.loading, 1e-12, "PLSc loading");
    }
    // Disattenuated paths are larger than the PLS ones, and so is their spread.
    let plain = Bootstrap::new(300)
        .seed(4)
        .run(&Pls::new(&model), &data)
        .unwrap();
    let (c, p) = (
        &boot.path("X", "M").unwrap().stats,
        &plain.path("X", "M").unwrap().stats,
    );
    assert!(c.estimate > p.estimate && c.std_error > p.std_error);
}

#[test]
fn inadmissible_plsc_resamples_are_counted() {
    // EXPE and QUAL correlate almost perfectly once disattenuated: many
    // resamples have a corrected correlation matrix that is not positive
    // definite, and are dropped (as cSEM drops inadmissible resamples).
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model).consistent(true);
    let err = Bootstrap::new(200).seed(4).run(&pls, &data).unwrap_err();
    assert!(
        matches!(err, Error::TooManyFailedResamples { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("inadmissible PLSc"), "{err}");
    let dropped = Bootstrap::new(200)
        .seed(4)
        .max_failed_share(0.9)
        .run(&pls, &data)
        .unwrap();
    assert!(
        dropped.failed_by.inadmissible > 60,
        "{:?}",
        dropped.failed_by
    );
    assert_eq!(dropped.failed, dropped.failed_by.inadmissible);
    // Keeping them is an option.
    let kept = Bootstrap::new(200)
        .seed(4)
        .keep_inadmissible(true)
        .run(&pls, &data)
        .unwrap();
    assert_eq!(kept.failed, 0);
    sane(&kept);
}

#[test]
fn csi_statistics_through_the_generic_entry_point() {
    use csikit::csi::{Construct, Scale, Scales, bootstrap_statistics};
    let data = SurveySimulator::new(300).seed(12).simulate().unwrap();
    let csi = SurveySimulator::csi_model();
    let pls = Pls::new(csi.model());
    let scales = Scales::uniform(Scale::new(1.0, 10.0));
    let statistic = |fit: &csikit::PlsFit| {
        bootstrap_statistics(fit, &scales, Construct::Satisfaction).map(|s| s.values)
    };
    let names = bootstrap_statistics(&pls.fit(&data).unwrap(), &scales, Construct::Satisfaction)
        .unwrap()
        .names;
    let boot = Bootstrap::new(200)
        .seed(3)
        .run_with(&pls, &data, statistic)
        .unwrap();
    assert_eq!(boot.failed, 0);
    assert_eq!(boot.estimates.len(), names.len());
    let sat = names
        .iter()
        .position(|n| n == "index:Satisfaction")
        .unwrap();
    let s = &boot.estimates[sat];
    // A 0-100 index of 300 respondents: SE of about a point, interval around the estimate.
    assert!(s.std_error > 0.3 && s.std_error < 3.0, "{s:?}");
    assert!(s.ci_lower < s.estimate && s.estimate < s.ci_upper);
    assert!(s.bca_lower.is_some());
}

/// Without the draws (`keep_draws(false)`) the run streams in constant
/// memory: the same resamples, exact mean/SE/bias/t/p, histogram interval bounds
/// close to the exact quantiles, still identical at any thread count.
#[test]
fn streaming_without_draws_agrees_with_the_exact_run() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let exact = Bootstrap::new(2000).seed(3).run(&pls, &data).unwrap();
    let stream = Bootstrap::new(2000)
        .seed(3)
        .keep_draws(false)
        .run(&pls, &data)
        .unwrap();
    assert_eq!(stream.failed, exact.failed);
    // The generic entry point keeps no draws either.
    let custom = Bootstrap::new(300)
        .seed(3)
        .bca(false)
        .keep_draws(false)
        .run_with(&pls, &data, |fit| Ok(vec![fit.gof]))
        .unwrap();
    assert!(custom.replicates.is_empty());
    let kept = Bootstrap::new(300)
        .seed(3)
        .bca(false)
        .run_with(&pls, &data, |fit| Ok(vec![fit.gof]))
        .unwrap();
    assert_eq!(kept.replicates.len(), 300 - kept.failed);
    close(
        custom.estimates[0].std_error,
        kept.estimates[0].std_error,
        1e-12,
        "custom SE",
    );
    sane(&stream);
    let mut worst: f64 = 0.0;
    for (e, s) in every_estimate(&exact).iter().zip(every_estimate(&stream)) {
        assert_eq!(e.estimate, s.estimate);
        close(s.mean, e.mean, 1e-12, "mean");
        close(s.std_error, e.std_error, 1e-12, "SE");
        close(s.bias, e.bias, 1e-12, "bias");
        if e.std_error > 0.0 {
            // Binned bounds versus exact type-7 quantiles of the same 2 000 draws.
            for (a, b) in [(s.ci_lower, e.ci_lower), (s.ci_upper, e.ci_upper)] {
                worst = worst.max((a - b).abs() / e.std_error);
            }
            if let (Some(a), Some(b)) = (s.bca_lower, e.bca_lower) {
                worst = worst.max((a - b).abs() / e.std_error);
            }
        }
    }
    eprintln!("largest binning error {worst} SE");
    assert!(worst < 0.01, "largest binning error {worst} SE");
    // Deterministic at any thread count, as the exact run.
    let one = Bootstrap::new(600)
        .seed(9)
        .keep_draws(false)
        .threads(1)
        .run(&pls, &data)
        .unwrap();
    let two = Bootstrap::new(600)
        .seed(9)
        .keep_draws(false)
        .threads(2)
        .run(&pls, &data)
        .unwrap();
    assert_eq!(one, two);
}
