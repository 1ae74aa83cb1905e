//! Issue 14: real survey exports give the right answer or a clear error.
//! One test (or a few) per finding: zero case weights, empty rows, ordinal
//! correlations that no data can have, all-Questionable KANO features,
//! resampling counts beyond memory, SERVQUAL item ranges, and pairwise
//! deletion.

use csikit::analysis::servqual::{self as servqual_run, ServqualRequest};
use csikit::analysis::{DataAudit, Observer};
use csikit::csi::{Construct, CsiStatistics, Scale, Scales};
use csikit::kano::{self, Category, Counts, KanoOptions};
use csikit::pls::{CorrelationKind, KEPT_DRAWS_BUDGET, MAX_RESAMPLES};
use csikit::servqual::{self, Instrument};
use csikit::{
    Bootstrap, CsvOptions, Dataset, Error, MissingPolicy, Mode, Model, Moments, MultiGroup, Pls,
    PlsFit, PlsPredict, StatisticSet, SurveySimulator,
};

use crate::common::{satisfaction, satisfaction_model};

/// Every path's estimate, SE and p, and every R², agree to 1e-12 (relative).
fn assert_same_fit(a: &PlsFit, b: &PlsFit) {
    let same = |x: f64, y: f64, what: &str| {
        assert!(
            (x - y).abs() <= 1e-12 * x.abs().max(1.0),
            "{what}: {x} vs {y}"
        );
    };
    assert_eq!(a.n_observations, b.n_observations);
    assert_eq!(a.paths.len(), b.paths.len());
    for (pa, pb) in a.paths.iter().zip(&b.paths) {
        let what = format!("{} -> {}", pa.from, pa.to);
        same(pa.estimate, pb.estimate, &what);
        same(pa.std_error.unwrap(), pb.std_error.unwrap(), &what);
        same(pa.p.unwrap(), pb.p.unwrap(), &what);
    }
    for (ca, cb) in a.constructs.iter().zip(&b.constructs) {
        if let (Some(x), Some(y)) = (ca.r_squared, cb.r_squared) {
            same(x, y, &ca.name);
        }
    }
    for (oa, ob) in a.outer.iter().zip(&b.outer) {
        same(oa.weight, ob.weight, &oa.indicator);
        same(oa.loading, ob.loading, &oa.indicator);
    }
}

/// The satisfaction data with a weight column: every seventh row has
/// weight 0, the others 1, 1.5 or 2.
fn zero_weighted() -> (Dataset, Vec<usize>) {
    let mut data = satisfaction();
    let n = data.n_rows();
    let w: Vec<f64> = (0..n)
        .map(|r| {
            if r % 7 == 3 {
                0.0
            } else {
                1.0 + (r % 3) as f64 * 0.5
            }
        })
        .collect();
    let keep: Vec<usize> = (0..n).filter(|&r| w[r] > 0.0).collect();
    data.set_numeric("w", w).unwrap();
    (data, keep)
}

// ----- 1. zero case weights ---------------------------------------------------

#[test]
fn zero_weight_rows_are_not_observations() {
    let (data, keep) = zero_weighted();
    let n = data.n_rows();
    let zero = n - keep.len();
    assert_eq!((n, zero), (250, 36));
    let without = data.take_rows(&keep).unwrap();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model).case_weights("w");
    let with_zero = pls.fit(&data).unwrap();
    let removed = pls.fit(&without).unwrap();
    // n counts the 214 rows of positive weight: the standard errors and p
    // values are those of the data without the zero rows (counting them, as
    // before, made every SE too small by a factor of about √(250/214)).
    assert_eq!(with_zero.n_observations, 214);
    assert_same_fit(&with_zero, &removed);
    let m = &with_zero.missing;
    assert_eq!((m.n_rows, m.n_used, m.n_dropped), (250, 214, 36));
    assert_eq!((m.n_zero_weight, m.n_empty_rows), (36, 0));
    assert_eq!(m.n_dropped_missing(), 0);
    assert_eq!(with_zero.moments().n(), 214);

    // The audit says why.
    let mut audit = DataAudit::new(n);
    audit.missing(m);
    let lines = audit.lines().join("\n");
    assert!(lines.contains("250 rows read, 214 used"), "{lines}");
    assert!(lines.contains("dropped (zero weight): 36"), "{lines}");
    assert!(!lines.contains("missing values"), "{lines}");
}

#[test]
fn zero_weight_rows_leave_mean_replacement_and_the_bootstrap_unchanged() {
    let (mut data, keep) = zero_weighted();
    // Holes in zero-weight rows (which must not move the imputation means)
    // and in kept rows.
    let mut imag1 = data.numeric("imag1").unwrap().to_vec();
    for r in [3, 10, 17, 24, 5, 40, 77] {
        imag1[r] = f64::NAN;
    }
    imag1[3 + 7 * 9] = 100.0; // a zero-weight outlier: it must not count either
    data.set_numeric("imag1", imag1).unwrap();
    let without = data.take_rows(&keep).unwrap();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model)
        .case_weights("w")
        .missing(MissingPolicy::Mean);
    let a = pls.fit(&data).unwrap();
    let b = pls.fit(&without).unwrap();
    assert_same_fit(&a, &b);
    // Rows 3, 10, 17 and 24 have weight 0: the three holes of rows 5, 40
    // and 77 are the only ones counted and imputed.
    assert_eq!(a.missing.n_imputed, 3);
    assert_eq!(a.missing.missing_by_column, vec![("imag1".to_string(), 3)]);
    assert!((a.moments().means()[0] - b.moments().means()[0]).abs() < 1e-12);

    // The bootstrap resamples the same rows: identical results.
    let boot = Bootstrap::new(60).seed(5);
    let ba = boot.run(&pls, &data).unwrap();
    let bb = boot.run(&pls, &without).unwrap();
    assert_eq!(ba.n_observations, 214);
    assert_eq!(ba.paths, bb.paths);
    assert_eq!(ba.loadings, bb.loadings);
}

#[test]
fn moments_count_only_rows_of_positive_weight() {
    let x = [1.0, 4.0, 2.0, 8.0, 5.0];
    let y = [3.0, 1.0, 2.0, 5.0, 4.0];
    let w = [1.0, 3.0, 0.0, 2.0, 0.0];
    let m = Moments::from_columns(&["x", "y"], &[&x, &y], Some(&w)).unwrap();
    let direct = Moments::from_columns(
        &["x", "y"],
        &[&[1.0, 4.0, 8.0], &[3.0, 1.0, 5.0]],
        Some(&[1.0, 3.0, 2.0]),
    )
    .unwrap();
    assert_eq!(m.n(), 3);
    for (a, b) in m.covariance().iter().zip(direct.covariance()) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
    // Hand: x̄ = (1 + 12 + 16)/6 = 29/6; M_xx = Σ w (x − x̄)² = 1326/36 = 221/6;
    // var = M/W · n/(n − 1) = (221/6)/6 · 3/2 = 9.2083 (n = 3, not 5).
    assert!((m.covariance()[0] - 221.0 / 6.0 / 6.0 * 1.5).abs() < 1e-12);
}

// ----- 2. empty rows ------------------------------------------------------------

/// The satisfaction data with 30 trailing rows that carry an id but no
/// answer (Excel's formatted empty rows).
fn with_empty_rows(extra: usize) -> Dataset {
    let data = satisfaction();
    let n = data.n_rows();
    let mut columns: Vec<(String, Vec<f64>)> = data
        .names()
        .iter()
        .filter_map(|name| {
            let col = data.numeric(name).ok()?;
            let mut v = col.to_vec();
            v.extend(std::iter::repeat_n(f64::NAN, extra));
            Some((name.clone(), v))
        })
        .collect();
    columns.push(("id".into(), (0..n + extra).map(|r| r as f64).collect()));
    Dataset::from_columns(columns).unwrap()
}

#[test]
fn empty_rows_are_not_respondents_under_any_policy() {
    let model = satisfaction_model(Mode::A);
    let clean = with_empty_rows(0);
    let padded = with_empty_rows(30);
    assert_eq!(padded.n_rows(), 280);
    for policy in [
        MissingPolicy::Listwise,
        MissingPolicy::Mean,
        MissingPolicy::Error,
        MissingPolicy::Pairwise,
    ] {
        let pls = Pls::new(&model).missing(policy);
        let a = pls.fit(&padded).unwrap();
        let b = pls.fit(&clean).unwrap();
        assert_eq!(a.n_observations, 250, "{policy:?}");
        assert_same_fit(&a, &b);
        let m = &a.missing;
        assert_eq!((m.n_rows, m.n_empty_rows, m.n_dropped), (280, 30, 30));
        // No cell of a respondent is missing: nothing imputed, nothing listed.
        assert_eq!(m.n_imputed, 0, "{policy:?}");
        assert!(m.missing_by_column.is_empty(), "{policy:?}");
        assert_eq!(m.n_dropped_missing(), 0);
    }
    let fit = Pls::new(&model)
        .missing(MissingPolicy::Mean)
        .fit(&padded)
        .unwrap();
    let mut audit = DataAudit::new(280);
    audit.missing(&fit.missing);
    let lines = audit.lines().join("\n");
    assert!(lines.contains("280 rows read, 250 used"), "{lines}");
    assert!(lines.contains("dropped (empty row): 30"), "{lines}");
    // Scores are given for the 250 respondents only.
    assert_eq!(fit.scores(&padded).unwrap().rows.len(), 250);
}

#[test]
fn data_with_only_empty_rows_is_a_clear_error() {
    let model = Model::from_syntax("X =~ x1 + x2\nY =~ y1\nY ~ X").unwrap();
    let nan = vec![f64::NAN; 4];
    let data = Dataset::from_columns(vec![
        ("x1", nan.clone()),
        ("x2", nan.clone()),
        ("y1", nan),
        ("id", vec![1.0, 2.0, 3.0, 4.0]),
    ])
    .unwrap();
    let err = Pls::new(&model)
        .missing(MissingPolicy::Mean)
        .fit(&data)
        .unwrap_err();
    assert!(matches!(err, Error::EmptyData { .. }), "{err:?}");
    assert!(
        err.to_string().contains("every one of the 4 rows is empty"),
        "{err}"
    );
}

// ----- 3. impossible ordinal results ---------------------------------------------

/// Twelve answers on a 1–5 scale; `x2` has its category 5 answered once.
/// Their pair-by-pair polychoric correlations have a negative eigenvalue.
fn rare_category_data() -> Dataset {
    Dataset::from_columns(vec![
        ("x1", vec![3., 4., 2., 1., 3., 2., 1., 2., 1., 1., 4., 2.]),
        ("x2", vec![5., 3., 2., 2., 3., 3., 2., 2., 1., 1., 3., 2.]),
        ("x3", vec![3., 3., 3., 1., 2., 2., 2., 2., 2., 1., 3., 2.]),
        ("y1", vec![3., 3., 2., 1., 2., 2., 2., 2., 2., 2., 4., 3.]),
        ("y2", vec![2., 2., 4., 3., 2., 2., 3., 2., 1., 2., 3., 1.]),
    ])
    .unwrap()
}

#[test]
fn polychoric_matrix_that_is_not_positive_definite_is_an_error() {
    let model = Model::from_syntax("X =~ x1 + x2 + x3\nY =~ y1 + y2\nY ~ X").unwrap();
    let data = rare_category_data();
    let err = Pls::new(&model)
        .correlation(CorrelationKind::Polychoric)
        .fit(&data)
        .unwrap_err();
    match &err {
        Error::NotPositiveDefinite {
            what,
            min_eigenvalue,
            ..
        } => {
            assert_eq!(what, "polychoric");
            assert!(*min_eigenvalue < -0.01, "{min_eigenvalue}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("merge rare categories"), "{err}");
    // The Pearson correlations of the same data are a real correlation matrix.
    let fit = Pls::new(&model).fit(&data).unwrap();
    let r2 = fit.constructs[1].r_squared.unwrap();
    assert!((0.0..=1.0).contains(&r2), "{r2}");
}

/// Moments whose correlation matrix is no data's: r(a, b) = −0.9 while
/// r(a, y) = r(b, y) = 0.9. The regression of y on a and b then "explains"
/// R² = (0.81 + 0.81 + 2·0.9·0.81)/(1 − 0.81) = 16.2.
#[test]
fn an_r_squared_outside_zero_one_is_an_error() {
    let n = 100.0_f64;
    let r = [1.0, -0.9, 0.9, -0.9, 1.0, 0.9, 0.9, 0.9, 1.0];
    let comoment: Vec<f64> = r.iter().map(|x| x * (n - 1.0)).collect();
    let m: Moments = serde_json::from_value(serde_json::json!({
        "names": ["a", "b", "y"],
        "n": 100,
        "weight_sum": 100.0,
        "mean": [0.0, 0.0, 0.0],
        "comoment": comoment,
    }))
    .unwrap();
    let model = Model::from_syntax("A =~ a\nB =~ b\nY =~ y\nY ~ A + B").unwrap();
    let err = Pls::new(&model).fit_moments(&m).unwrap_err();
    match &err {
        Error::ImpossibleEstimate {
            statistic, value, ..
        } => {
            assert_eq!(statistic, "R² of Y");
            assert!((value - 16.2).abs() < 1e-9, "{value}");
        }
        other => panic!("{other:?}"),
    }
    // A real correlation matrix (r(a, b) = 0.5, r(a, y) = r(b, y) = 0.6)
    // fits: R² = (0.36 + 0.36 − 2·0.5·0.36)/0.75 = 0.48.
    let r = [1.0, 0.5, 0.6, 0.5, 1.0, 0.6, 0.6, 0.6, 1.0];
    let comoment: Vec<f64> = r.iter().map(|x| x * (n - 1.0)).collect();
    let m: Moments = serde_json::from_value(serde_json::json!({
        "names": ["a", "b", "y"],
        "n": 100,
        "weight_sum": 100.0,
        "mean": [0.0, 0.0, 0.0],
        "comoment": comoment,
    }))
    .unwrap();
    let fit = Pls::new(&model).fit_moments(&m).unwrap();
    assert!((fit.constructs[2].r_squared.unwrap() - 0.48).abs() < 1e-12);
}

// ----- 4. KANO: every answer Questionable -----------------------------------------

#[test]
fn all_questionable_feature_gets_no_category() {
    // Functional 1 (like) and dysfunctional 1 (like) is Questionable.
    let csv = "seat_f,seat_d,wifi_f,wifi_d\n1,1,1,5\n1,1,1,5\n5,5,1,3\n1,1,2,5\n";
    let data = Dataset::from_reader(csv.as_bytes(), &CsvOptions::default()).unwrap();
    let report = kano::analyze(&data, &KanoOptions::default()).unwrap();
    let seat = &report.features[0];
    assert_eq!(seat.feature, "seat");
    assert_eq!((seat.n, seat.counts.q), (4, 4));
    assert!(seat.all_questionable);
    assert_eq!(seat.category, None);
    assert_eq!(seat.category_rule, None); // was M (the rule's first priority)
    assert_eq!(seat.category_aom, None);
    assert_eq!(seat.category_strength, None);
    assert_eq!((seat.better, seat.worse), (None, None));
    let json = serde_json::to_value(seat).unwrap();
    assert_eq!(json["category_rule"], serde_json::Value::Null);
    assert_eq!(json["all_questionable"], true);
    // The other feature is classified as usual: O, O, A, M.
    let wifi = &report.features[1];
    assert!(!wifi.all_questionable);
    assert_eq!(wifi.category, Some(Category::O));
    assert_eq!(wifi.better, Some(0.75));
    assert!(
        report
            .to_string()
            .contains("no category (every answer Questionable")
    );
    // The counting rules on their own.
    let q = Counts::new(0, 0, 0, 0, 0, 5);
    assert!(q.all_questionable());
    assert_eq!(q.category_by_rule(0.06), None);
    assert_eq!(q.mode(), Some(Category::Q));
    // One valid answer among contradictory ones: the rule still applies
    // (strength 1/6 > 0.06, so the mode, Q).
    assert_eq!(
        Counts::new(0, 0, 1, 0, 0, 5).category_by_rule(0.06),
        Some(Category::Q)
    );
}

// ----- 5. resources -----------------------------------------------------------------

#[test]
fn absurd_resample_counts_are_refused_before_allocating() {
    let model = satisfaction_model(Mode::A);
    let data = satisfaction();
    let pls = Pls::new(&model);
    // 10¹² resamples would need terabytes: the check comes first, so this
    // returns at once (an allocation of that size would abort the process).
    let err = Bootstrap::new(1_000_000_000_000)
        .run(&pls, &data)
        .unwrap_err();
    match &err {
        Error::TooManyResamples { what, count, .. } => {
            assert_eq!(
                (what.as_str(), *count),
                ("bootstrap resamples", 1_000_000_000_000)
            );
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("the limit is 100000000"), "{text}");
    assert!(text.contains("TiB"), "{text}");
    assert!(text.contains("1000 to 10000 are usual"), "{text}");
    assert_eq!(err.code(), "too_many_resamples");
    assert_eq!(err.kind(), csikit::ErrorKind::Setting);
    // Permutations likewise.
    let err = MultiGroup::new("g")
        .permutations(MAX_RESAMPLES + 1)
        .run(&pls, &data)
        .unwrap_err();
    assert!(
        matches!(&err, Error::TooManyResamples { what, .. } if what == "permutations"),
        "{err:?}"
    );
    // The custom bootstraps too.
    assert!(matches!(
        Bootstrap::new(usize::MAX).run_moments(&pls, &data, |m| Ok(vec![m.means()[0]])),
        Err(Error::TooManyResamples { .. })
    ));
}

#[test]
fn kept_draws_over_the_budget_stream_automatically() {
    let data = SurveySimulator::new(150).seed(4).simulate().unwrap();
    let model = SurveySimulator::model();
    let pls = Pls::new(&model);
    let base = Bootstrap::new(80).seed(9);
    let kept = base.run(&pls, &data).unwrap();
    assert!(!kept.streaming);
    let streamed = base.clone().keep_draws(false).run(&pls, &data).unwrap();
    assert!(streamed.streaming);
    // 80 resamples × ~40 statistics × 8 bytes ≈ 30 KiB: over a 16 KiB budget
    // the run streams by itself and says so, with the streaming results.
    let auto = base
        .clone()
        .memory_budget(16 * 1024)
        .run(&pls, &data)
        .unwrap();
    assert!(auto.streaming);
    assert_eq!(auto.paths, streamed.paths);
    assert_eq!(auto.htmt, streamed.htmt);
    assert_ne!(auto.paths, kept.paths); // histogram bounds, not exact quantiles
    let json = serde_json::to_value(&auto).unwrap();
    assert_eq!(json["streaming"], true);
    assert!(auto.to_string().contains("draws streamed, not kept"));
    assert!(!kept.to_string().contains("draws streamed"));
    // Within the default budget (1 GiB) nothing changes.
    assert_eq!(KEPT_DRAWS_BUDGET, 1 << 30);
    // The CSI statistics need their draws: over the budget, a clear error.
    let scales = Scales::uniform(Scale::new(1.0, 10.0));
    let est = pls.estimation(&data).unwrap();
    let err = est
        .bootstrap_with(
            &base.clone().memory_budget(1024),
            &[
                StatisticSet::Pls,
                StatisticSet::Csi(CsiStatistics::new(scales, Construct::Satisfaction)),
            ],
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::TooManyResamples { count: 80, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("CSI statistics keep every draw"),
        "{err}"
    );
    // Permutations keep every draw: over the budget, refused before they run.
    let mut grouped = data.clone();
    let g: Vec<String> = (0..grouped.n_rows())
        .map(|r| if r % 2 == 0 { "a" } else { "b" }.to_string())
        .collect();
    grouped.set_text("g", g).unwrap();
    let err = MultiGroup::new("g")
        .permutations(500)
        .memory_budget(1024)
        .run(&pls, &grouped)
        .unwrap_err();
    assert!(
        matches!(err, Error::TooManyResamples { count: 500, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("over the 1.0 KiB memory budget; use fewer permutations"),
        "{err}"
    );
}

#[test]
fn servqual_item_ranges_are_checked_before_expanding() {
    let sq = Instrument::standard();
    // A billion ids would take gigabytes: refused from the numbers alone.
    let err = sq.parse_items("1-1000000000").unwrap_err();
    assert!(matches!(err, Error::InvalidSetting { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("spans 1000000000 items, but the instrument has 22 (ids 1 to 22)"),
        "{text}"
    );
    assert!(matches!(
        sq.parse_items("20-23"),
        Err(Error::UnknownItem { item, .. }) if item == "23"
    ));
    assert!(matches!(
        sq.parse_items("7, 30"),
        Err(Error::UnknownItem { item, .. }) if item == "30"
    ));
    assert_eq!(sq.parse_items("10-13,18-22").unwrap().len(), 9);
    // Without an instrument, ranges are capped.
    let err = servqual::parse_items("1-1000000000").unwrap_err();
    assert!(err.to_string().contains("at most 10000"), "{err}");
    assert_eq!(servqual::parse_items("1-10000").unwrap().len(), 10_000);
    // The `servqual --reverse` path.
    let (data, _) = servqual_run::builtin(1).unwrap();
    let request = ServqualRequest {
        reverse: vec!["1-1000000000".into()],
        ..ServqualRequest::default()
    };
    let err = servqual_run::run(&data, &request, &Observer::silent()).unwrap_err();
    assert!(err.to_string().contains("the instrument has 22"), "{err}");
}

// ----- 6. pairwise deletion -----------------------------------------------------------

/// Eight rows with holes (hand-checked below).
fn holes() -> Dataset {
    let nan = f64::NAN;
    Dataset::from_columns(vec![
        ("x1", vec![1., 2., nan, 4., 5., 3., 2., 4.]),
        ("x2", vec![2., 3., 3., nan, 5., 4., 2., 4.]),
        ("y1", vec![1., nan, 3., 4., 5., 3., 2., 5.]),
        ("y2", vec![2., 2., 3., 4., nan, 3., 1., 5.]),
    ])
    .unwrap()
}

/// R's `cor(x, y, use = "pairwise.complete.obs")`: the Pearson correlation
/// of the rows where both are observed, with their own means and SDs.
fn r_pairwise(x: &[f64], y: &[f64]) -> f64 {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| (*a, *b))
        .unzip();
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxy: f64 = xs.iter().zip(&ys).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = xs.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = ys.iter().map(|b| (b - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

#[test]
fn pairwise_correlations_follow_r_definition() {
    let data = holes();
    let model = Model::from_syntax("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap();
    let fit = Pls::new(&model)
        .missing(MissingPolicy::Pairwise)
        .fit(&data)
        .unwrap();
    let names = ["x1", "x2", "y1", "y2"];
    let corr = fit.moments().correlation();
    for i in 0..4 {
        for j in 0..4 {
            let want = if i == j {
                1.0
            } else {
                r_pairwise(
                    data.numeric(names[i]).unwrap(),
                    data.numeric(names[j]).unwrap(),
                )
            };
            assert!(
                (corr[i * 4 + j] - want).abs() < 1e-12,
                "{} {}: {} vs {want}",
                names[i],
                names[j],
                corr[i * 4 + j]
            );
        }
    }
    // By hand: x1, x2 are both observed in rows 1, 2, 5, 6, 7, 8:
    // x1 = 1 2 5 3 2 4, x2 = 2 3 5 4 2 4; means 17/6, 20/6;
    // Sxy = 25/3, Sxx = 65/6, Syy = 22/3: r = (25/3)/√(65/6 · 22/3) = 0.934947.
    assert!((corr[1] - 0.934_947_0).abs() < 1e-6, "{}", corr[1]);
    // Means and SDs per column over its own observed rows: x1 has 7.
    let x1 = [1., 2., 4., 5., 3., 2., 4.];
    assert!((fit.moments().means()[0] - x1.iter().sum::<f64>() / 7.0).abs() < 1e-12);
    // n is the smallest pairwise count: every column misses one row, a
    // different one, so every pair shares 6 rows (each column alone has 7).
    let count = |a: &str, b: &str| {
        let (x, y) = (data.numeric(a).unwrap(), data.numeric(b).unwrap());
        x.iter()
            .zip(y)
            .filter(|(u, v)| !u.is_nan() && !v.is_nan())
            .count()
    };
    let min = (0..4)
        .flat_map(|i| (0..4).map(move |j| (i, j)))
        .map(|(i, j)| count(names[i], names[j]))
        .min()
        .unwrap();
    assert_eq!(min, 6);
    assert_eq!(fit.n_observations, 6);
    assert_eq!(fit.missing.n_used, 6);
    assert_eq!(fit.missing.policy, MissingPolicy::Pairwise);
    assert!(
        fit.to_string()
            .contains("pairwise deletion: n is the smallest")
    );
    assert_eq!(fit.missing.n_dropped, 0);
    assert_eq!(fit.missing.missing_by_column.len(), 4);
    // The fit is the fit of those correlations with n = 6: the same model
    // fitted from moments with this correlation matrix and n gives the same
    // estimates and standard errors.
    let comoment: Vec<f64> = corr.iter().map(|r| r * 5.0).collect();
    let m: Moments = serde_json::from_value(serde_json::json!({
        "names": names,
        "n": 6,
        "weight_sum": 6.0,
        "mean": [0.0, 0.0, 0.0, 0.0],
        "comoment": comoment,
    }))
    .unwrap();
    let direct = Pls::new(&model).fit_moments(&m).unwrap();
    assert!((direct.paths[0].estimate - fit.paths[0].estimate).abs() < 1e-12);
    assert!((direct.paths[0].std_error.unwrap() - fit.paths[0].std_error.unwrap()).abs() < 1e-12);
    // Scores: the rows complete in every indicator (1, 6, 7, 8).
    assert_eq!(fit.scores(&data).unwrap().rows, vec![0, 5, 6, 7]);
}

#[test]
fn pairwise_refuses_what_it_cannot_estimate() {
    let model = Model::from_syntax("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap();
    let pls = Pls::new(&model).missing(MissingPolicy::Pairwise);
    let nan = f64::NAN;
    // x1 and y2 are observed together in two rows only.
    let few = Dataset::from_columns(vec![
        ("x1", vec![1., 2., 3., nan, nan, nan]),
        ("x2", vec![2., 3., 3., 4., 6., 4.]),
        ("y1", vec![1., 2., 2., 5., 6., 3.]),
        ("y2", vec![nan, 2., 3., 4., 5., 4.]),
    ])
    .unwrap();
    let err = pls.fit(&few).unwrap_err();
    assert!(
        matches!(&err, Error::TooFewCommonRows { a, b, common: 2 } if a == "x1" && b == "y2"),
        "{err:?}"
    );
    // Pairs on disjoint rows: x1~x2 and x1~y1 strongly positive, x2~y1
    // strongly negative — no data have these correlations.
    // Rows 1–6: x1, x2 rising together; 7–12: x1, y1 rising together;
    // 13–18: x2 rising while y1 falls.
    let up = [1., 2., 3., 4., 5., 6.];
    let down = [6., 5., 4., 3., 2., 1.];
    let none = [nan; 6];
    let x1: Vec<f64> = [up, up, none].concat();
    let x2: Vec<f64> = [up, none, up].concat();
    let y1: Vec<f64> = [none, up, down].concat();
    let y2: Vec<f64> = (0..18).map(|r| ((r * 7) % 5) as f64).collect();
    let bad = Dataset::from_columns(vec![("x1", x1), ("x2", x2), ("y1", y1), ("y2", y2)]).unwrap();
    let err = pls.fit(&bad).unwrap_err();
    assert!(
        matches!(&err, Error::NotPositiveDefinite { what, .. } if what == "pairwise"),
        "{err:?}"
    );
    // Procedures that need whole rows refuse it clearly.
    let data = holes();
    let unsupported = |e: Error| {
        assert!(matches!(e, Error::Unsupported { .. }), "{e:?}");
        assert!(e.to_string().contains("pairwise deletion"), "{e}");
    };
    unsupported(Bootstrap::new(50).run(&pls, &data).unwrap_err());
    unsupported(PlsPredict::new(&pls).folds(2).run(&data).unwrap_err());
    unsupported(pls.blindfolding(&data, 3).unwrap_err());
    let mut grouped = data.clone();
    grouped
        .set_text("g", (0..8).map(|r| (r % 2).to_string()).collect())
        .unwrap();
    unsupported(
        MultiGroup::new("g")
            .permutations(9)
            .run(&pls, &grouped)
            .unwrap_err(),
    );
    unsupported(
        Moments::from_dataset(&data, &["x1", "x2"], None, MissingPolicy::Pairwise).unwrap_err(),
    );
    let interaction =
        Model::from_syntax("X =~ x1\nZ =~ x2\nY =~ y1 + y2\nY ~ X + Z + X:Z").unwrap();
    unsupported(
        Pls::new(&interaction)
            .missing(MissingPolicy::Pairwise)
            .fit(&data)
            .unwrap_err(),
    );
}

#[test]
fn pairwise_equals_listwise_without_holes() {
    let model = satisfaction_model(Mode::A);
    let data = satisfaction();
    let a = Pls::new(&model)
        .missing(MissingPolicy::Pairwise)
        .fit(&data)
        .unwrap();
    let b = Pls::new(&model).fit(&data).unwrap();
    assert_same_fit(&a, &b);
}
