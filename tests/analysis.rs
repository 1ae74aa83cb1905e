//! The analysis layer: one recipe per task, whatever the front end.

use std::sync::{Arc, Mutex};

use csikit::analysis::{self, Observer, PlsRequest};
use csikit::csi::{self, Scale, Scales};
use csikit::{Bootstrap, Pls};

#[test]
fn bootstrap_with_ipma_resamples_once() {
    let (data, model, _) = analysis::pls::builtin().unwrap();
    let request = PlsRequest {
        bootstrap: Some(120),
        seed: 9,
        scale: Some(Scale::new(1.0, 10.0)),
        ipma: Some("Satisfaction".into()),
        ..Default::default()
    };
    let runs = Arc::new(Mutex::new(Vec::new()));
    let seen = runs.clone();
    let observer = Observer::silent().with_progress(0, move |what, p| {
        if p.done == p.total {
            seen.lock().unwrap().push((what, p.total));
        }
    });
    let doc = analysis::pls::run(&data, &model, &request, &observer).unwrap();
    // One resampling run of 120 draws served both statistic sets.
    assert_eq!(*runs.lock().unwrap(), [("bootstrap", 120)]);
    // Its importance intervals are those of a separate CSI bootstrap with the
    // same seed and level (the same draws, bit for bit).
    let pls = Pls::new(&model);
    let alone = csi::CsiBootstrap::run(
        &pls,
        &data,
        &Scales::uniform(Scale::new(1.0, 10.0)),
        "Satisfaction",
        &Bootstrap::new(120).seed(9).bca(false),
    )
    .unwrap();
    let fit = pls.fit(&data).unwrap();
    let idx = csi::index(&fit, &Scales::uniform(Scale::new(1.0, 10.0))).unwrap();
    let mut m = csi::ipma(&fit, &idx, "Satisfaction", &Default::default()).unwrap();
    alone.apply_ipma(&mut m);
    let got = doc.ipma.as_ref().unwrap();
    assert_eq!(got.constructs, m.constructs);
    assert!(got.constructs.iter().all(|c| c.importance_ci.is_some()));
    // And the PLS part equals a plain bootstrap.
    let plain = Bootstrap::new(120).seed(9).run(&pls, &data).unwrap();
    assert_eq!(doc.report.bootstrap.as_ref().unwrap().paths, plain.paths);
}

#[test]
fn requests_read_from_json_with_defaults() {
    let r: PlsRequest = serde_json::from_str("{}").unwrap();
    assert_eq!(r, PlsRequest::default());
    let r: PlsRequest =
        serde_json::from_str(r#"{"settings": {"tolerance": 1e-9}, "bootstrap": 5}"#).unwrap();
    assert_eq!(r.settings.tolerance, 1e-9);
    assert_eq!(r.bootstrap, Some(5));
    let round: PlsRequest = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(round, r);
    // A misspelt key is an error, not a silently ignored setting.
    assert!(serde_json::from_str::<PlsRequest>(r#"{"bootstrapp": 5}"#).is_err());
    let a: analysis::AcsiRequest = serde_json::from_str("{}").unwrap();
    assert_eq!(a, analysis::AcsiRequest::default());
    assert!(a.scale.is_none(), "no scale is assumed");
}

/// A SERVQUAL request read from JSON carries the instrument, the column
/// prefixes and the weight policy, and its document is the analysis of
/// those options (the hand-computed example of tests/servqual.rs: weighted
/// score −0.2 when respondent 2, whose points sum to 90, is excluded).
#[test]
fn servqual_request_with_a_custom_instrument() {
    use csikit::servqual::{Columns, Instrument, ServqualOptions, WeightPolicy, analyze};
    let data = csikit::Dataset::from_columns(vec![
        ("exp1", vec![7.0, 6.0, 5.0]),
        ("exp2", vec![6.0, f64::NAN, 5.0]),
        ("exp3", vec![5.0, 7.0, f64::NAN]),
        ("per1", vec![5.0, 4.0, 6.0]),
        ("per2", vec![6.0, 5.0, 4.0]),
        ("per3", vec![6.0, 6.0, f64::NAN]),
        ("pts_speed", vec![60.0, 30.0, 50.0]),
        ("pts_care", vec![40.0, 60.0, 50.0]),
    ])
    .unwrap();
    let request: analysis::ServqualRequest = serde_json::from_str(
        r#"{"dimensions": [{"name": "speed", "items": ["1", "2"]}, {"name": "care", "items": ["3"]}],
            "columns": {"perception": "per", "expectation": "exp", "adequate": null,
                        "desired": null, "weight": "pts_"},
            "weight_policy": "exclude", "reverse": ["2-3"]}"#,
    )
    .unwrap();
    assert_eq!(
        request.weight_tolerance, 0.5,
        "a missing field takes its default"
    );
    let doc = analysis::servqual::run(&data, &request, &Observer::silent()).unwrap();
    let inst = Instrument::custom(
        &["speed", "care"],
        &[("1", "speed"), ("2", "speed"), ("3", "care")],
    )
    .unwrap();
    let options = ServqualOptions::default()
        .reverse(&["2", "3"])
        .columns(Columns {
            perception: "per".into(),
            expectation: Some("exp".into()),
            adequate: None,
            desired: None,
            weight: Some("pts_".into()),
        })
        .weight_policy(WeightPolicy::Exclude);
    let direct = analyze(&data, &inst, &options).unwrap();
    assert_eq!(doc.overall(), &direct);
    assert_eq!(direct.counts.weights_excluded, 1);
    // Without reversing: the hand-computed weighted score of respondent 1 alone.
    let plain = analysis::ServqualRequest {
        reverse: Vec::new(),
        ..request.clone()
    };
    let doc = analysis::servqual::run(&data, &plain, &Observer::silent()).unwrap();
    assert!((doc.overall().weighted.unwrap() - (-0.2)).abs() < 1e-12);
    // The defaults are the standard instrument's.
    let d: analysis::ServqualRequest = serde_json::from_str("{}").unwrap();
    assert_eq!(d, analysis::ServqualRequest::default());
    assert_eq!(d.instrument().unwrap(), Instrument::standard());
    assert!(
        serde_json::from_str::<analysis::ServqualRequest>(r#"{"columns": {"percep": "P"}}"#)
            .is_err()
    );
}

/// The CSI report's bootstraps report their progress to the observer (the
/// hook through which Python stops them on Ctrl-C): one finished run of the
/// requested size per bootstrapped fit (all respondents, then each region).
#[test]
fn acsi_bootstraps_report_progress() {
    let data = csikit::SurveySimulator::new(480)
        .seed(4)
        .simulate()
        .unwrap();
    let model = csikit::SurveySimulator::csi_model();
    let request = analysis::AcsiRequest {
        segments: vec!["region".into()],
        scale: Some(Scale::new(1.0, 10.0)),
        bootstrap: Some(25),
        ..Default::default()
    };
    let finished = Arc::new(Mutex::new(Vec::new()));
    let seen = finished.clone();
    let observer = Observer::silent().with_progress(0, move |what, p| {
        assert_eq!((what, p.total), ("bootstrap", 25));
        if p.done == p.total {
            seen.lock().unwrap().push(p.total);
        }
    });
    analysis::acsi::run(&data, &model, "test", &request, &observer).unwrap();
    // All respondents and the four regions.
    assert_eq!(finished.lock().unwrap().len(), 5);
}
