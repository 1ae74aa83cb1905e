//! Owned settings ([`PlsSettings`]) and the prepared estimation
//! ([`Estimation`]): the same numbers as the one-shot entry points, and one
//! resampling pass for several statistic sets (issue 13).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use csikit::csi::{Construct, CsiBootstrap, CsiStatistics, Scale, Scales};
use csikit::pls::{CorrelationKind, HocApproach, InteractionApproach, PredictApproach, SignChange};
use csikit::{
    Bootstrap, Dataset, Error, Estimation, FailurePolicy, MissingPolicy, Model, MultiGroup, Pls,
    PlsPredict, PlsSettings, Scaling, Scheme, StatisticSet, StopRule, SurveySimulator, Weighting,
};

fn survey() -> (Dataset, Model) {
    (
        SurveySimulator::new(250).seed(2026).simulate().unwrap(),
        SurveySimulator::model(),
    )
}

fn scales() -> Scales {
    Scales::uniform(Scale::new(1.0, 10.0))
}

/// Every number of a serializable result, as text: finite floats print
/// exactly (shortest round-trip form), so equal text means equal bits.
fn json<T: serde::Serialize>(x: &T) -> String {
    serde_json::to_string(x).unwrap()
}

fn bits(draws: &[Vec<f64>]) -> Vec<Vec<u64>> {
    draws
        .iter()
        .map(|r| r.iter().map(|x| x.to_bits()).collect())
        .collect()
}

#[test]
fn settings_defaults_are_the_documented_ones() {
    let s = PlsSettings::default();
    assert_eq!(s.scheme, Scheme::Path);
    assert_eq!(s.max_iter, 300);
    assert_eq!(s.tolerance, 1e-7);
    assert_eq!(s.stop_rule, StopRule::MaxAbsChange);
    assert_eq!(s.scaling, Scaling::Standardized);
    assert_eq!(s.missing, MissingPolicy::Listwise);
    assert_eq!(s.case_weights, None);
    assert!(!s.consistent);
    assert_eq!(s.hoc_approach, HocApproach::RepeatedIndicators);
    assert_eq!(
        s.interaction_approach,
        InteractionApproach::ProductIndicator
    );
    assert_eq!(s.correlation, CorrelationKind::Pearson);
    assert!(!s.allow_nonconvergence);
    let model = SurveySimulator::model();
    assert_eq!(Pls::new(&model).settings(), &s);
}

#[test]
fn settings_json_uses_the_fromstr_names() {
    let s = PlsSettings {
        scheme: Scheme::Factorial,
        max_iter: 50,
        tolerance: 1e-6,
        stop_rule: StopRule::SumAbsChange,
        scaling: Scaling::Centered,
        missing: MissingPolicy::Mean,
        case_weights: Some("w".into()),
        consistent: true,
        hoc_approach: HocApproach::TwoStageDisjoint,
        interaction_approach: InteractionApproach::TwoStage,
        correlation: CorrelationKind::Polychoric,
        allow_nonconvergence: true,
        weighting: Weighting::Unit,
        composites: vec!["X".into()],
    };
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "scheme": "factorial",
            "max_iter": 50,
            "tolerance": 1e-6,
            "stop_rule": "sum_abs_change",
            "scaling": "centered",
            "missing": "mean",
            "case_weights": "w",
            "consistent": true,
            "hoc_approach": "two_stage_disjoint",
            "interaction_approach": "two_stage",
            "correlation": "polychoric",
            "allow_nonconvergence": true,
            "weighting": "unit",
            "composites": ["X"]
        })
    );
    let back: PlsSettings = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(back, s);
    // Every enum value is a name its FromStr accepts.
    let text = |k: &str| v[k].as_str().unwrap().to_string();
    assert_eq!(text("scheme").parse::<Scheme>().unwrap(), s.scheme);
    assert_eq!(text("stop_rule").parse::<StopRule>().unwrap(), s.stop_rule);
    assert_eq!(text("weighting").parse::<Weighting>().unwrap(), s.weighting);
    // The new fields are not written at their defaults (documents stay as they were).
    let d = serde_json::to_value(PlsSettings::default()).unwrap();
    assert!(d.get("weighting").is_none() && d.get("composites").is_none());
    assert_eq!(text("scaling").parse::<Scaling>().unwrap(), s.scaling);
    assert_eq!(text("missing").parse::<MissingPolicy>().unwrap(), s.missing);
    assert_eq!(
        text("hoc_approach").parse::<HocApproach>().unwrap(),
        s.hoc_approach
    );
    assert_eq!(
        text("interaction_approach")
            .parse::<InteractionApproach>()
            .unwrap(),
        s.interaction_approach
    );
    assert_eq!(
        text("correlation").parse::<CorrelationKind>().unwrap(),
        s.correlation
    );
    for rule in [
        StopRule::MaxAbsChange,
        StopRule::Plspm,
        StopRule::SumAbsChange,
    ] {
        let name = serde_json::to_value(rule).unwrap();
        assert_eq!(name.as_str().unwrap().parse::<StopRule>().unwrap(), rule);
        assert_eq!(rule.to_string(), name.as_str().unwrap());
    }
    // Absent fields take their defaults; a misspelt field is an error, not ignored.
    let partial: PlsSettings = serde_json::from_str(r#"{"max_iter": 20}"#).unwrap();
    assert_eq!(
        partial,
        PlsSettings {
            max_iter: 20,
            ..PlsSettings::default()
        }
    );
    assert!(serde_json::from_str::<PlsSettings>(r#"{"tolerence": 1e-5}"#).is_err());
    assert!(serde_json::from_str::<PlsSettings>(r#"{"scheme": "pathh"}"#).is_err());
}

#[test]
fn invalid_settings_are_refused_before_any_work() {
    let (data, model) = survey();
    let bad = PlsSettings {
        tolerance: -1.0,
        ..PlsSettings::default()
    };
    assert!(matches!(
        bad.validate(),
        Err(Error::InvalidSetting { ref name, .. }) if name == "tolerance"
    ));
    assert!(matches!(
        Estimation::new(&model, bad, data.clone()),
        Err(Error::InvalidSetting { ref name, .. }) if name == "tolerance"
    ));
    let zero = PlsSettings {
        max_iter: 0,
        ..PlsSettings::default()
    };
    assert!(matches!(
        Pls::with_settings(&model, zero).fit(&data),
        Err(Error::InvalidSetting { ref name, .. }) if name == "max_iter"
    ));
}

#[test]
fn with_settings_equals_the_builder() {
    let (data, model) = survey();
    let built = Pls::new(&model)
        .scheme(Scheme::Centroid)
        .max_iter(200)
        .tolerance(1e-9)
        .missing(MissingPolicy::Mean)
        .consistent(true);
    let settings = PlsSettings {
        scheme: Scheme::Centroid,
        max_iter: 200,
        tolerance: 1e-9,
        missing: MissingPolicy::Mean,
        consistent: true,
        ..PlsSettings::default()
    };
    assert_eq!(built.settings(), &settings);
    let a = built.fit(&data).unwrap();
    let b = Pls::with_settings(&model, settings).fit(&data).unwrap();
    assert_eq!(json(&a), json(&b));
    // Centroid and PLSc change the numbers: the settings were applied.
    let plain = Pls::new(&model).fit(&data).unwrap();
    assert_ne!(json(&a), json(&plain));
}

/// The estimation gives every procedure the numbers of its one-shot entry point.
#[test]
fn estimation_equals_the_one_shot_entry_points() {
    let (data, model) = survey();
    let pls = Pls::new(&model);
    let est = pls.estimation(&data).unwrap();
    assert_eq!(est.n_observations(), 250);
    assert_eq!(est.model(), &model);
    assert_eq!(est.estimated_model(), &model);
    assert_eq!(json(&est.fit().unwrap()), json(&pls.fit(&data).unwrap()));
    let boot = Bootstrap::new(50).seed(9);
    assert_eq!(
        est.bootstrap(&boot).unwrap(),
        boot.run(&pls, &data).unwrap()
    );
    let gof = |fit: &csikit::PlsFit| Ok(vec![fit.gof]);
    assert_eq!(
        est.bootstrap_statistic(&boot, gof).unwrap(),
        boot.run_with(&pls, &data, gof).unwrap()
    );
    let mga = MultiGroup::new("region").permutations(40).seed(2);
    assert_eq!(est.multigroup(&mga).unwrap(), mga.run(&pls, &data).unwrap());
    let cv = PlsPredict::default()
        .folds(5)
        .repetitions(2)
        .approach(PredictApproach::DirectAntecedents);
    let one_shot = PlsPredict::new(&pls)
        .folds(5)
        .repetitions(2)
        .approach(PredictApproach::DirectAntecedents)
        .run(&data)
        .unwrap();
    assert_eq!(est.predict(&cv).unwrap(), one_shot);
    assert!(one_shot.indicators.iter().all(|i| i.pls_rmse > 0.0));
    assert_eq!(
        est.blindfolding(Some(9)).unwrap(),
        pls.blindfolding(&data, 9).unwrap()
    );
    assert_eq!(
        est.blindfolding(None).unwrap(),
        pls.blindfolding_default(&data).unwrap()
    );
    let csi_boot = Bootstrap::new(40).seed(4).bca(false);
    assert_eq!(
        est.csi_bootstrap(&scales(), "Satisfaction", &csi_boot)
            .unwrap(),
        CsiBootstrap::run(&pls, &data, &scales(), "Satisfaction", &csi_boot).unwrap()
    );
}

/// With an extension the estimation holds the resolved model and the
/// derived columns, and still equals the entry points.
#[test]
fn estimation_resolves_extensions_once() {
    let model =
        Model::from_syntax("X =~ x1 + x2 + x3\nM =~ m1 + m2\nY =~ y1 + y2\nY ~ X + M + X:M")
            .unwrap();
    let base = SurveySimulator::new(200).seed(6).simulate().unwrap();
    let pick = |name: &str| base.numeric(name).unwrap().to_vec();
    let data = Dataset::from_columns(vec![
        ("x1", pick("PERQ1")),
        ("x2", pick("PERQ2")),
        ("x3", pick("PERQ3")),
        ("m1", pick("CUEX1")),
        ("m2", pick("CUEX2")),
        ("y1", pick("CUSA1")),
        ("y2", pick("CUSA2")),
    ])
    .unwrap();
    for approach in [
        InteractionApproach::ProductIndicator,
        InteractionApproach::TwoStage,
    ] {
        let pls = Pls::new(&model).interaction_approach(approach);
        let est = pls.estimation(&data).unwrap();
        assert_eq!(est.model(), &model);
        // Two-stage: the term is measured by one score product in the model estimated.
        let term = est.estimated_model().construct_index("X:M").unwrap();
        let indicators = &est.estimated_model().constructs()[term].indicators;
        assert_eq!(
            indicators.len(),
            if approach == InteractionApproach::TwoStage {
                1
            } else {
                6
            }
        );
        let derived = match approach {
            InteractionApproach::TwoStage => vec!["X:M".to_string()],
            _ => (1..=3)
                .flat_map(|i| (1..=2).map(move |j| format!("x{i}:m{j}")))
                .collect(),
        };
        for name in &derived {
            assert!(est.data().numeric(name).is_ok(), "{name}");
        }
        let fit = est.fit().unwrap();
        assert_eq!(fit.extension.as_ref().unwrap().derived_columns, derived);
        assert_eq!(json(&fit), json(&pls.fit(&data).unwrap()));
        let boot = Bootstrap::new(30).seed(1).bca(false);
        assert_eq!(
            est.bootstrap(&boot).unwrap(),
            boot.run(&pls, &data).unwrap()
        );
        assert_eq!(
            est.simple_slopes(&boot, "X", "M", "Y").unwrap(),
            boot.simple_slopes(&pls, &data, "X", "M", "Y").unwrap()
        );
        let cv = PlsPredict::default().folds(4);
        assert_eq!(
            est.predict(&cv).unwrap(),
            PlsPredict::new(&pls).folds(4).run(&data).unwrap()
        );
        assert_eq!(
            est.blindfolding(None).unwrap(),
            pls.blindfolding_default(&data).unwrap()
        );
    }
}

#[test]
fn predict_settings_must_match_the_estimation() {
    let (data, model) = survey();
    let est = Pls::new(&model).estimation(&data).unwrap();
    let same = Pls::new(&model);
    assert!(est.predict(&PlsPredict::new(&same).folds(5)).is_ok());
    let other = Pls::new(&model).scheme(Scheme::Factorial);
    assert!(matches!(
        est.predict(&PlsPredict::new(&other)),
        Err(Error::InvalidSetting { ref name, .. }) if name == "PlsPredict"
    ));
    // Fold settings alone cannot run without a model and settings.
    assert!(matches!(
        PlsPredict::default().run(&data),
        Err(Error::InvalidSetting { ref name, .. }) if name == "PlsPredict"
    ));
}

/// The task's reference case: `pls --bootstrap 200 --ipma Satisfaction
/// --scale 1:10` on the built-in survey. One joint pass gives, bit for bit,
/// the PLS bootstrap and the CSI bootstrap the example ran separately.
#[test]
fn joint_bootstrap_is_bit_identical_to_the_separate_runs() {
    let (data, model) = survey();
    let pls = Pls::new(&model);
    let seed = 2026;
    let pls_settings = Bootstrap::new(200).seed(seed).confidence(0.95);
    let csi_settings = pls_settings.clone().bca(false);
    let separate_pls = pls_settings.run(&pls, &data).unwrap();
    let separate_csi = CsiBootstrap::run(
        &pls,
        &data,
        &scales(),
        Construct::Satisfaction,
        &csi_settings,
    )
    .unwrap();
    let sets = [
        StatisticSet::Pls,
        StatisticSet::Csi(CsiStatistics::new(scales(), Construct::Satisfaction)),
    ];
    let est = pls.estimation(&data).unwrap();
    let joint = est.bootstrap_with(&pls_settings, &sets).unwrap();
    let joint_pls = joint.pls.as_ref().unwrap();
    assert_eq!(joint_pls, &separate_pls);
    assert_eq!(json(joint_pls), json(&separate_pls));
    assert_eq!(joint.csi.len(), 1);
    let joint_csi = &joint.csi[0];
    assert_eq!(joint_csi, &separate_csi);
    assert_eq!(json(joint_csi), json(&separate_csi));
    assert_eq!(
        bits(&joint_csi.run.replicates),
        bits(&separate_csi.run.replicates)
    );
    assert_eq!(joint_csi.run.replicates.len(), 200 - joint_csi.run.failed);
    // The statistics are real: a satisfaction index inside its interval, BCa
    // for the PLS estimates only (as in the separate runs).
    let sat = joint_csi.get("index:Satisfaction").unwrap();
    assert!(sat.ci_lower < sat.estimate && sat.estimate < sat.ci_upper);
    assert!(sat.estimate > 0.0 && sat.estimate < 100.0);
    assert!(sat.bca_lower.is_none());
    assert!(joint_pls.jackknife_failed.is_some());
    assert!(joint_csi.run.jackknife_failed.is_none());
    // The same through the entry point on borrowed data, and in the other order.
    let reversed = [sets[1].clone(), sets[0].clone()];
    let again = pls_settings.run_sets(&pls, &data, &reversed).unwrap();
    assert_eq!(again, joint);
}

/// Streaming PLS draws, sign changes, redraws and BCa for the CSI set: each
/// set still equals its own run.
#[test]
fn joint_bootstrap_matches_with_streaming_redraws_and_bca() {
    let data = SurveySimulator::new(120).seed(8).simulate().unwrap();
    let model = SurveySimulator::model();
    let pls = Pls::new(&model).consistent(true);
    let settings = Bootstrap::new(60)
        .seed(5)
        .keep_draws(false)
        .sign_change(SignChange::ConstructReversal)
        .on_failure(FailurePolicy::Replace)
        .confidence(0.9);
    let sets = [
        StatisticSet::Csi(CsiStatistics::new(scales(), "Loyalty").bca(true)),
        StatisticSet::Pls,
    ];
    let joint = pls.estimation(&data).unwrap();
    let joint = joint.bootstrap_with(&settings, &sets).unwrap();
    assert_eq!(joint.pls.unwrap(), settings.run(&pls, &data).unwrap());
    let csi = CsiBootstrap::run(&pls, &data, &scales(), "Loyalty", &settings).unwrap();
    assert!(csi.get("index:Loyalty").unwrap().bca_lower.is_some());
    assert_eq!(joint.csi, vec![csi]);
}

/// The joint pass draws N resamples, the separate runs 2N: counted by the
/// progress callback, which is called once per resample drawn when N ≤ 200.
#[test]
fn joint_bootstrap_draws_each_resample_once() {
    let (data, model) = survey();
    let pls = Pls::new(&model);
    let draws = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&draws);
    let settings = Bootstrap::new(200).seed(1).bca(false).progress(move |p| {
        assert_eq!(p.total, 200);
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let est = pls.estimation(&data).unwrap();
    let sets = [
        StatisticSet::Pls,
        StatisticSet::csi(scales(), Construct::Satisfaction),
    ];
    est.bootstrap_with(&settings, &sets).unwrap();
    assert_eq!(draws.load(Ordering::Relaxed), 200);
    draws.store(0, Ordering::Relaxed);
    est.bootstrap(&settings).unwrap();
    est.csi_bootstrap(&scales(), Construct::Satisfaction, &settings)
        .unwrap();
    assert_eq!(draws.load(Ordering::Relaxed), 400);
}

#[test]
fn statistic_sets_are_checked() {
    let (data, model) = survey();
    let est = Pls::new(&model).estimation(&data).unwrap();
    let b = Bootstrap::new(10);
    assert!(matches!(
        est.bootstrap_with(&b, &[]),
        Err(Error::InvalidSetting { .. })
    ));
    assert!(matches!(
        est.bootstrap_with(&b, &[StatisticSet::Pls, StatisticSet::Pls]),
        Err(Error::InvalidSetting { .. })
    ));
    // An unknown target is the CSI run's own error.
    assert!(matches!(
        est.bootstrap_with(&b, &[StatisticSet::csi(scales(), "Nothing")]),
        Err(Error::UnknownTarget { .. }) | Err(Error::UnknownConstruct { .. })
    ));
}
