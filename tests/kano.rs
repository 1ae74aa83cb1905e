//! KANO toolkit: evaluation table, per-feature statistics on hand-computed
//! counts, continuous analysis, properties, bad inputs, segments, charts and
//! the simulator.

use csikit::kano::{self, Answer, Category, Counts, EvaluationTable, KanoOptions, SimFeature};
use csikit::{CsvOptions, Dataset, Error};

fn csv(text: &str) -> Dataset {
    Dataset::from_reader(text.as_bytes(), &CsvOptions::default()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn car() -> Dataset {
    Dataset::from_csv(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/kano_car.csv"
    ))
    .unwrap()
}

// ----- evaluation table ----------------------------------------------------

#[test]
fn standard_table_cell_by_cell() {
    use Answer::*;
    use Category::*;
    let t = EvaluationTable::standard();
    let expected = [
        (Like, [Q, A, A, A, O]),
        (MustBe, [R, I, I, I, M]),
        (Neutral, [R, I, I, I, M]),
        (LiveWith, [R, I, I, I, M]),
        (Dislike, [R, R, R, R, Q]),
    ];
    let cols = [Like, MustBe, Neutral, LiveWith, Dislike];
    for (f, row) in expected {
        for (d, cat) in cols.iter().zip(row) {
            assert_eq!(t.classify(f, *d), cat, "functional {f}, dysfunctional {d}");
        }
    }
    // Codes: 1 like … 5 dislike.
    for (k, a) in cols.iter().enumerate() {
        assert_eq!(a.code() as usize, k + 1);
        assert_eq!(t.decode((k + 1) as f64), Some(*a));
    }
    assert_eq!(t.decode(0.0), None);
    assert_eq!(t.decode(6.0), None);
    assert_eq!(t.decode(2.5), None);
}

#[test]
fn car_feature_one_walks_through_all_25_cells() {
    // f1 in the car data holds every (functional, dysfunctional) pair once:
    // the table has 3 A, 1 O, 3 M, 9 I, 7 R and 2 Q cells.
    let data = car();
    let cl = kano::classify(&data, &EvaluationTable::standard()).unwrap();
    assert_eq!(cl.features[0].feature, "f1");
    let mut seen = 0;
    for (row, cats) in cl.categories.iter().enumerate() {
        if let Some((f, d)) = cl.answers(row, 0) {
            assert_eq!(cats[0], Some(EvaluationTable::standard().classify(f, d)));
            seen += 1;
        }
    }
    assert_eq!(seen, 25);
    let report = kano::analyze(&data, &KanoOptions::default()).unwrap();
    assert_eq!(report.features[0].counts, Counts::new(3, 1, 3, 9, 7, 2));
}

#[test]
fn short_form_uses_three_codes() {
    use Category::*;
    let t = EvaluationTable::short_form();
    assert_eq!(t.scale(), &[Answer::Like, Answer::Neutral, Answer::Dislike]);
    // rows functional like, neutral, dislike; columns dysfunctional likewise.
    let expected = [[Q, A, O], [R, I, M], [R, R, Q]];
    for f in 1..=3 {
        for d in 1..=3 {
            let (fa, da) = (t.decode(f as f64).unwrap(), t.decode(d as f64).unwrap());
            assert_eq!(t.classify(fa, da), expected[f - 1][d - 1], "codes {f},{d}");
        }
    }
    let data = csv("x_f,x_d\n1,3\n2,3\n1,2\n");
    let r = kano::analyze(&data, &KanoOptions::default().table(t.clone())).unwrap();
    assert_eq!(r.features[0].counts, Counts::new(1, 1, 1, 0, 0, 0));
    // Code 4 does not exist on the short form.
    let err = kano::analyze(&csv("x_f,x_d\n1,4\n"), &KanoOptions::default().table(t)).unwrap_err();
    assert!(
        matches!(err, Error::KanoInvalidAnswer { ref column, row: 1, value, max: 3, .. } if column == "x_d" && value == 4.0),
        "{err:?}"
    );
}

#[test]
fn custom_tables_parse_and_apply() {
    // A table that treats live-with as dislike in the like row.
    let t = EvaluationTable::parse("QAAOO/RIIIM/RIIIM/RIIIM/RRRRQ").unwrap();
    assert_eq!(t.classify(Answer::Like, Answer::LiveWith), Category::O);
    assert_eq!(
        EvaluationTable::parse("qaaao riiim riiim riiim rrrrq").unwrap(),
        EvaluationTable::standard()
    );
    let data = csv("x_f,x_d\n1,4\n1,4\n");
    let r = kano::analyze(&data, &KanoOptions::default().table(t)).unwrap();
    assert_eq!(r.features[0].counts, Counts::new(0, 2, 0, 0, 0, 0));
    for bad in [
        "QAAAO RIIIM",
        "QAAAO RIIIM RIIIM RIIIM RRRRX",
        "QAAAO RIIIM RIIIM RIIIM RRRR",
    ] {
        let err = EvaluationTable::parse(bad).unwrap_err();
        assert!(
            matches!(err, Error::InvalidSetting { .. }),
            "{bad}: {err:?}"
        );
    }
}

// ----- per-feature statistics on hand-computed counts ------------------------

#[test]
fn statistics_of_the_contract_example() {
    // A 45, O 123, M 95, I 33: n = 296.
    let c = Counts::new(45, 123, 95, 33, 0, 0);
    let r = kano::FeatureResult::from_counts("F", c, 0.06);
    assert_eq!(r.n, 296);
    assert_eq!(r.category, Some(Category::O));
    assert_eq!(r.category_rule, Some(Category::O));
    assert_eq!(r.category_aom, Some(Category::O));
    assert!(close(r.better.unwrap(), 168.0 / 296.0)); // 0.5676
    assert!(close(r.worse.unwrap(), -218.0 / 296.0)); // -0.7365
    assert!(close(r.total_strength.unwrap(), 263.0 / 296.0)); // 0.8885
    assert!(close(r.category_strength.unwrap(), 28.0 / 296.0)); // 0.0946
    let shares = r.shares.unwrap();
    assert!(close(shares.o, 123.0 / 296.0) && close(shares.q, 0.0));
    let fong = r.fong.unwrap();
    assert_eq!(fong.difference, 28);
    // 1.65 * sqrt(218 * (592 - 218) / 592) = 1.65 * sqrt(137.723) = 19.3636
    assert!((fong.critical - 19.3636).abs() < 1e-4, "{}", fong.critical);
    assert!(fong.significant);
    assert_eq!((fong.first, fong.second), (Category::O, Category::M));
}

#[test]
fn threshold_rule_changes_the_category() {
    let c = Counts::new(45, 123, 95, 33, 0, 0);
    // Category strength 28/296 = 0.0946.
    assert_eq!(c.category_by_rule(0.06), Some(Category::O));
    assert_eq!(c.category_by_rule(0.09), Some(Category::O));
    assert_eq!(c.category_by_rule(0.095), Some(Category::M));
    assert_eq!(c.category_by_rule(0.0), Some(Category::O));
    // A 10, O 0, M 0, I 11: strength 1/21 = 0.048 <= 0.06, so A beats I by priority.
    let c = Counts::new(10, 0, 0, 11, 0, 0);
    assert_eq!(c.mode(), Some(Category::I));
    assert_eq!(c.category_by_rule(0.06), Some(Category::A));
    assert_eq!(c.category_by_rule(0.0), Some(Category::I));
    // Exactly at the threshold: 3/50 = 0.06 counts as "at most".
    let c = Counts::new(0, 20, 17, 13, 0, 0);
    assert_eq!(c.category_by_rule(0.06), Some(Category::M));
    assert_eq!(c.category_by_rule(0.059), Some(Category::O));
    // Car feature 4: A 4, O 11, M 8, I 4 (n 27), strength 3/27 = 0.111.
    let r = kano::analyze(&car(), &KanoOptions::default().threshold(0.12)).unwrap();
    let f4 = r.feature("f4").unwrap();
    assert_eq!(f4.counts, Counts::new(4, 11, 8, 4, 0, 0));
    assert_eq!(
        (f4.category, f4.category_rule),
        (Some(Category::O), Some(Category::M))
    );
    let r = kano::analyze(&car(), &KanoOptions::default()).unwrap();
    assert_eq!(r.feature("f4").unwrap().category_rule, Some(Category::O));
}

#[test]
fn ties_are_broken_m_o_a_i_r_q() {
    assert_eq!(Counts::new(5, 5, 5, 0, 0, 0).mode(), Some(Category::M));
    assert_eq!(Counts::new(4, 4, 0, 1, 0, 0).mode(), Some(Category::O));
    assert_eq!(Counts::new(2, 0, 0, 2, 0, 0).mode(), Some(Category::A));
    assert_eq!(Counts::new(0, 0, 0, 3, 3, 3).mode(), Some(Category::I));
    assert_eq!(Counts::new(0, 0, 0, 0, 3, 3).mode(), Some(Category::R));
    let c = Counts::new(4, 4, 0, 1, 0, 0);
    assert_eq!(c.category_strength(), Some(0.0));
    assert_eq!(c.category_by_rule(0.0), Some(Category::O));
    let fong = c.fong().unwrap();
    assert_eq!(fong.difference, 0);
    assert!(!fong.significant);
    // (A+O+M) vs (I+R+Q): 3 vs 3 is not "more", so the I/R/Q side wins.
    let c = Counts::new(3, 0, 0, 1, 0, 2);
    assert_eq!(c.category_by_aom(), Some(Category::Q));
    assert_eq!(c.mode(), Some(Category::A));
    let c = Counts::new(2, 0, 2, 3, 0, 0);
    assert_eq!(c.mode(), Some(Category::I));
    assert_eq!(c.category_by_aom(), Some(Category::M));
}

#[test]
fn all_reverse_feature_has_undefined_coefficients() {
    let c = Counts::new(0, 0, 0, 0, 6, 0);
    let r = kano::FeatureResult::from_counts("R-only", c, 0.06);
    assert_eq!(r.category, Some(Category::R));
    assert_eq!(r.better, None);
    assert_eq!(r.worse, None);
    assert_eq!(r.total_strength, Some(0.0));
    assert_eq!(r.category_strength, Some(1.0));
    let fong = r.fong.unwrap();
    // 1.65 * sqrt(6 * 6 / 12) = 1.65 * sqrt(3) = 2.8579
    assert_eq!(fong.difference, 6);
    assert!((fong.critical - 2.857884).abs() < 1e-6);
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["better"].is_null() && json["worse"].is_null());
    // Car feature 10: every respondent answered dislike / must-be.
    let report = kano::analyze(&car(), &KanoOptions::default()).unwrap();
    let f10 = report.feature("f10").unwrap();
    assert_eq!(f10.counts, Counts::new(0, 0, 0, 0, 27, 0));
    assert_eq!((f10.better, f10.worse), (None, None));
    assert_eq!(f10.functional_mean, Some(-2.0));
    assert_eq!(f10.dysfunctional_mean, Some(-1.0));
    assert_eq!(f10.functional_sd, Some(0.0));
}

#[test]
fn all_answers_missing_gives_n_zero() {
    let data = csv("a_f,a_d,b_f,b_d\n,,1,5\n,3,1,3\n2,,2,5\n");
    let r = kano::analyze(&data, &KanoOptions::default()).unwrap();
    let a = &r.features[0];
    assert_eq!(a.feature, "a");
    assert_eq!(a.n, 0);
    assert_eq!(a.counts, Counts::default());
    assert_eq!(a.shares, None);
    assert_eq!(a.category, None);
    assert_eq!(a.category_rule, None);
    assert_eq!(a.category_aom, None);
    assert_eq!((a.better, a.worse, a.total_strength), (None, None, None));
    assert_eq!(a.fong, None);
    assert_eq!(a.functional_mean, None);
    assert_eq!(a.continuous_n, Some(0));
    let b = &r.features[1];
    assert_eq!(b.n, 3);
    assert_eq!(b.counts, Counts::new(1, 1, 1, 0, 0, 0));
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["features"][0]["category"].is_null());
    assert!(json["features"][0]["fong"].is_null());
}

#[test]
fn respondents_missing_one_answer_are_skipped_per_feature() {
    let data = car();
    let r = kano::analyze(&data, &KanoOptions::default()).unwrap();
    // 31 rows, 4 of them blank (every cell empty); f1 is also blank in the
    // last two rows, and f5_d is blank in one row. Blank rows are not
    // respondents: the reader skips and counts them (this was 31 before
    // the reader skipped empty rows).
    assert_eq!(r.respondents, Some(27));
    let source = data.source().unwrap();
    assert_eq!(
        (source.rows, source.empty_rows, source.empty_rows_between),
        (27, 4, 4)
    );
    let ns: Vec<u64> = r.features.iter().map(|f| f.n).collect();
    assert_eq!(ns, vec![25, 27, 27, 27, 26, 27, 27, 26, 27, 27]);
    let names: Vec<&str> = r.features.iter().map(|f| f.feature.as_str()).collect();
    assert_eq!(
        names,
        ["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10"]
    );
    let f2 = r.feature("f2").unwrap();
    assert_eq!(f2.counts, Counts::new(1, 5, 18, 1, 1, 1));
    assert_eq!(f2.category, Some(Category::M));
    assert!(close(f2.better.unwrap(), 6.0 / 25.0));
    assert!(close(f2.worse.unwrap(), -23.0 / 25.0));
}

#[test]
fn features_follow_the_column_order() {
    let data = csv("zeta_d,zeta_f,id,alpha_f,alpha_d\n5,1,7,1,3\n");
    let r = kano::analyze(&data, &KanoOptions::default()).unwrap();
    let names: Vec<&str> = r.features.iter().map(|f| f.feature.as_str()).collect();
    assert_eq!(names, ["zeta", "alpha"]);
    assert_eq!(r.features[0].category, Some(Category::O));
    assert_eq!(r.features[1].category, Some(Category::A));
}

// ----- continuous analysis -------------------------------------------------

#[test]
fn dumouchel_means_and_sds() {
    // Pairs (1,5) (1,3) (2,5) (3,3): functional scores 4, 4, 2, 0;
    // dysfunctional scores 4, 0, 4, 0.
    let data = csv("x_f,x_d,x_i\n1,5,9\n1,3,1\n2,5,3\n3,3,3\n");
    let r = kano::analyze(&data, &KanoOptions::default()).unwrap();
    let x = &r.features[0];
    assert_eq!(x.continuous_n, Some(4));
    assert!(close(x.functional_mean.unwrap(), 2.5));
    // squares of deviations 2.25 + 2.25 + 0.25 + 6.25 = 11, / 3
    assert!(close(x.functional_sd.unwrap(), (11.0f64 / 3.0).sqrt()));
    assert!(close(x.dysfunctional_mean.unwrap(), 2.0));
    assert!(close(x.dysfunctional_sd.unwrap(), (16.0f64 / 3.0).sqrt()));
    assert!(close(x.importance_mean.unwrap(), 4.0));
    assert!(!x.weighted);

    // Weighted by importance 9, 1, 3, 3 (sum 16, sum of squares 100).
    let r = kano::analyze(&data, &KanoOptions::default().weight_by_importance(true)).unwrap();
    let x = &r.features[0];
    assert!(x.weighted);
    assert!(close(x.functional_mean.unwrap(), 46.0 / 16.0)); // 2.875
    assert!(close(x.dysfunctional_mean.unwrap(), 48.0 / 16.0)); // 3.0
    // Σw(x − m)² = 39.75; V1 − V2/V1 = 16 − 100/16 = 9.75
    assert!(close(x.functional_sd.unwrap(), (39.75f64 / 9.75).sqrt()));
    // Counts are not weighted.
    assert_eq!(x.counts, Counts::new(1, 1, 1, 1, 0, 0));

    // A respondent without an importance answer leaves the weighted means only.
    let data = csv("x_f,x_d,x_i\n1,5,2\n3,3,\n");
    let x = &kano::analyze(&data, &KanoOptions::default().weight_by_importance(true))
        .unwrap()
        .features[0];
    assert_eq!((x.n, x.continuous_n), (2, Some(1)));
    assert_eq!(
        (x.functional_mean, x.dysfunctional_mean),
        (Some(4.0), Some(4.0))
    );
    assert_eq!(x.functional_sd, None);
}

#[test]
fn scores_follow_dumouchel() {
    let f: Vec<f64> = Answer::ALL.iter().map(|a| a.functional_score()).collect();
    let d: Vec<f64> = Answer::ALL
        .iter()
        .map(|a| a.dysfunctional_score())
        .collect();
    assert_eq!(f, [4.0, 2.0, 0.0, -1.0, -2.0]);
    assert_eq!(d, [-2.0, -1.0, 0.0, 2.0, 4.0]);
}

// ----- dropping questionable respondents ------------------------------------

#[test]
fn respondents_with_too_many_q_are_dropped() {
    // Row 1: two Q (1/1 and 5/5); row 2: one Q; row 3: none.
    let data = csv("a_f,a_d,b_f,b_d\n1,1,5,5\n1,1,1,5\n1,3,1,5\n");
    let all = kano::analyze(&data, &KanoOptions::default()).unwrap();
    assert_eq!(all.features[0].counts, Counts::new(1, 0, 0, 0, 0, 2));
    let r = kano::analyze(&data, &KanoOptions::default().max_questionable(1)).unwrap();
    assert_eq!(r.dropped_respondents, vec![1]);
    assert_eq!(r.features[0].counts, Counts::new(1, 0, 0, 0, 0, 1));
    assert_eq!(r.features[1].counts, Counts::new(0, 2, 0, 0, 0, 0));
    let r = kano::analyze(&data, &KanoOptions::default().max_questionable(0)).unwrap();
    assert_eq!(r.dropped_respondents, vec![1, 2]);
    assert_eq!(r.features[0].n, 1);
    assert!(r.to_string().contains("dropped"));
}

// ----- properties ----------------------------------------------------------

fn assert_reports_equal(a: &csikit::KanoReport, b: &csikit::KanoReport) {
    let opt = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-12,
        (None, None) => true,
        _ => false,
    };
    assert_eq!(a.features.len(), b.features.len());
    for (x, y) in a.features.iter().zip(&b.features) {
        assert_eq!(x.feature, y.feature);
        assert_eq!(x.counts, y.counts);
        assert_eq!(
            (x.category, x.category_rule, x.category_aom),
            (y.category, y.category_rule, y.category_aom)
        );
        assert_eq!(x.fong, y.fong);
        for (p, q) in [
            (x.better, y.better),
            (x.worse, y.worse),
            (x.functional_mean, y.functional_mean),
            (x.dysfunctional_mean, y.dysfunctional_mean),
            (x.functional_sd, y.functional_sd),
            (x.dysfunctional_sd, y.dysfunctional_sd),
            (x.importance_mean, y.importance_mean),
        ] {
            assert!(opt(p, q), "{}: {p:?} vs {q:?}", x.feature);
        }
    }
}

#[test]
fn permuting_respondents_changes_nothing() {
    let data = kano::simulate(&kano::example_features(), 150, 11).unwrap();
    let n = data.n_rows();
    let reversed: Vec<usize> = (0..n).rev().collect();
    // A fixed scramble: k ↦ 7k mod n (7 and 150 are coprime).
    let scrambled: Vec<usize> = (0..n).map(|k| (7 * k) % n).collect();
    for options in [
        KanoOptions::default(),
        KanoOptions::default()
            .weight_by_importance(true)
            .max_questionable(0),
    ] {
        let base = kano::analyze(&data, &options).unwrap();
        for order in [&reversed, &scrambled] {
            let permuted = data.take_rows(order).unwrap();
            assert_reports_equal(&base, &kano::analyze(&permuted, &options).unwrap());
        }
    }
    let car = car();
    let rows: Vec<usize> = (0..car.n_rows()).rev().collect();
    let base = kano::analyze(&car, &KanoOptions::default()).unwrap();
    assert_reports_equal(
        &base,
        &kano::analyze(&car.take_rows(&rows).unwrap(), &KanoOptions::default()).unwrap(),
    );
}

#[test]
fn doubling_counts_keeps_shares_and_grows_fong_by_sqrt2() {
    let cases = [
        Counts::new(45, 123, 95, 33, 0, 0),
        Counts::new(3, 1, 3, 9, 7, 2),
        Counts::new(0, 0, 0, 0, 6, 0),
        Counts::new(1, 2, 3, 4, 5, 6),
        Counts::new(10, 0, 0, 11, 0, 0),
    ];
    for c in cases {
        let d = Counts::new(2 * c.a, 2 * c.o, 2 * c.m, 2 * c.i, 2 * c.r, 2 * c.q);
        assert_eq!(d.n(), 2 * c.n());
        for cat in Category::ALL {
            assert!(close(c.share(cat).unwrap(), d.share(cat).unwrap()));
        }
        let same = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => close(x, y),
            (None, None) => true,
            _ => false,
        };
        assert!(same(c.better(), d.better()) && same(c.worse(), d.worse()));
        assert!(same(c.total_strength(), d.total_strength()));
        assert!(same(c.category_strength(), d.category_strength()));
        assert_eq!(c.mode(), d.mode());
        assert_eq!(c.category_by_rule(0.06), d.category_by_rule(0.06));
        let (fc, fd) = (c.fong().unwrap(), d.fong().unwrap());
        assert_eq!(fd.difference, 2 * fc.difference);
        assert!(close(fd.critical, 2f64.sqrt() * fc.critical), "{c:?}");
    }
}

// ----- aggregate counts ------------------------------------------------------

#[test]
fn counts_file_gives_the_same_statistics() {
    let data = csv("feature,M,O,A,I,R,Q\nseat heating,95,123,45,33,0,0\nashtray,0,0,0,0,6,0\n");
    let r = kano::from_counts(&data, &KanoOptions::default()).unwrap();
    assert_eq!(r.features[0].feature, "seat heating");
    assert_eq!(r.features[0].counts, Counts::new(45, 123, 95, 33, 0, 0));
    assert_eq!(r.features[0].functional_mean, None);
    assert_eq!(r.features[1].better, None);
    assert_eq!(r.respondents, None);
    // R and Q may be left out.
    let data = csv("feature,A,O,M,I\nx,1,2,3,4\n");
    let r = kano::from_counts(&data, &KanoOptions::default()).unwrap();
    assert_eq!(r.features[0].counts, Counts::new(1, 2, 3, 4, 0, 0));
}

#[test]
fn json_has_the_contract_keys() {
    let data = csv("feature,M,O,A,I,R,Q\nF,95,123,45,33,0,0\n");
    let r = kano::from_counts(&data, &KanoOptions::default()).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&serde_json::to_string_pretty(&r).unwrap()).unwrap();
    let f = &v["features"][0];
    assert_eq!(f["feature"], "F");
    assert_eq!(f["n"], 296);
    assert_eq!(
        f["counts"],
        serde_json::json!({"A": 45, "O": 123, "M": 95, "I": 33, "R": 0, "Q": 0})
    );
    assert_eq!(f["category"], "O");
    assert_eq!(f["category_rule"], "O");
    for key in ["better", "worse", "total_strength", "category_strength"] {
        assert!(f[key].is_f64(), "{key}");
    }
    assert_eq!(f["fong"]["difference"], 28);
    assert!((f["fong"]["critical"].as_f64().unwrap() - 19.36).abs() < 0.01);
    assert_eq!(f["fong"]["significant"], true);
    assert!(f["functional_mean"].is_null() && f["dysfunctional_mean"].is_null());
    assert!(f.as_object().unwrap().contains_key("functional_mean"));
}

// ----- bad inputs ----------------------------------------------------------

#[test]
fn answer_codes_outside_1_to_5_are_rejected() {
    for (cell, value) in [("6", 6.0), ("0", 0.0), ("2.5", 2.5), ("-1", -1.0)] {
        let data = csv(&format!("x_f,x_d\n1,5\n{cell},3\n"));
        let err = kano::analyze(&data, &KanoOptions::default()).unwrap_err();
        match &err {
            Error::KanoInvalidAnswer {
                column,
                row,
                value: v,
                max,
                ..
            } => {
                assert_eq!((column.as_str(), *row, *max), ("x_f", 2, 5));
                assert_eq!(*v, value);
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("1 like"), "{err}");
    }
    let err = kano::analyze(&csv("x_f,x_d\n1,yes\n"), &KanoOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::NonNumeric { ref column, row: 1, .. } if column == "x_d"),
        "{err:?}"
    );
}

#[test]
fn unpaired_columns_are_rejected() {
    let err = kano::analyze(&csv("a_f,a_d,b_f\n1,5,1\n"), &KanoOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::KanoUnpairedColumn { ref column, ref missing } if column == "b_f" && missing == "b_d"),
        "{err:?}"
    );
    let err = kano::analyze(&csv("a_d,x\n1,5\n"), &KanoOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::KanoUnpairedColumn { ref column, ref missing } if column == "a_d" && missing == "a_f"),
        "{err:?}"
    );
    let err = kano::analyze(&csv("a_i,a_f\n1,5\n"), &KanoOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::KanoUnpairedColumn { ref missing, .. } if missing == "a_d"),
        "{err:?}"
    );
    let err = kano::analyze(&csv("age,region\n1,5\n"), &KanoOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::KanoNoFeatures { ref columns } if columns.len() == 2),
        "{err:?}"
    );
}

#[test]
fn empty_files_are_rejected() {
    let err = kano::analyze(&csv(""), &KanoOptions::default()).unwrap_err();
    assert!(matches!(err, Error::EmptyData { .. }), "{err:?}");
    let err = kano::analyze(&csv("x_f,x_d\n"), &KanoOptions::default()).unwrap_err();
    assert!(matches!(err, Error::EmptyData { .. }), "{err:?}");
    let err = kano::from_counts(&csv(""), &KanoOptions::default()).unwrap_err();
    assert!(matches!(err, Error::EmptyData { .. }), "{err:?}");
    let err = kano::analyze_counts(&[], &KanoOptions::default()).unwrap_err();
    assert!(matches!(err, Error::EmptyData { .. }), "{err:?}");
}

#[test]
fn bad_counts_are_rejected() {
    for (cell, value) in [("-3", -3.0), ("2.5", 2.5)] {
        let data = csv(&format!(
            "feature,M,O,A,I,R,Q\nok,1,1,1,1,0,0\nseat,1,{cell},1,1,0,0\n"
        ));
        let err = kano::from_counts(&data, &KanoOptions::default()).unwrap_err();
        match &err {
            Error::KanoInvalidCount {
                feature,
                category,
                value: v,
            } => {
                assert_eq!((feature.as_str(), category.as_str()), ("seat", "O"));
                assert_eq!(*v, value);
            }
            other => panic!("{other:?}"),
        }
    }
    let err = kano::from_counts(
        &csv("feature,M,O,A,I\nseat,1,,1,1\n"),
        &KanoOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::KanoInvalidCount { value, .. } if value.is_nan()),
        "{err:?}"
    );
    let err = kano::from_counts(&csv("feature,M,O,A\nseat,1,1,1\n"), &KanoOptions::default())
        .unwrap_err();
    assert!(
        matches!(err, Error::UnknownColumn { ref name, .. } if name == "I"),
        "{err:?}"
    );
    let err = kano::from_counts(
        &csv("name,M,O,A,I\nseat,1,1,1,1\n"),
        &KanoOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::UnknownColumn { ref name, .. } if name == "feature"),
        "{err:?}"
    );
}

#[test]
fn bad_importance_and_settings_are_rejected() {
    let err = kano::analyze(&csv("x_f,x_d,x_i\n1,5,10\n"), &KanoOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::KanoInvalidImportance { ref column, row: 1, value } if column == "x_i" && value == 10.0),
        "{err:?}"
    );
    let err = kano::analyze(&csv("x_f,x_d,x_i\n1,5,0\n"), &KanoOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::KanoInvalidImportance { .. }),
        "{err:?}"
    );
    for t in [-0.1, 1.5, f64::NAN] {
        let err = kano::analyze(&csv("x_f,x_d\n1,5\n"), &KanoOptions::default().threshold(t))
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidSetting { ref name, .. } if name == "threshold"),
            "{err:?}"
        );
    }
}

// ----- segments --------------------------------------------------------------

#[test]
fn segments_split_the_respondents() {
    let data = csv("x_f,x_d,region\n1,5,north\n1,3,south\n2,5,north\n1,5,\n3,3,south\n");
    let s = kano::analyze_by(&data, "region", &KanoOptions::default()).unwrap();
    assert_eq!(s.missing_segment, 1);
    let names: Vec<&str> = s.segments.iter().map(|g| g.segment.as_str()).collect();
    assert_eq!(names, ["north", "south"]);
    assert_eq!(
        s.segments[0].report.features[0].counts,
        Counts::new(0, 1, 1, 0, 0, 0)
    );
    assert_eq!(
        s.segments[1].report.features[0].counts,
        Counts::new(1, 0, 0, 1, 0, 0)
    );
    assert_eq!(
        s.segments[0].report.label.as_deref(),
        Some("region = north")
    );
    let text = s.to_string();
    assert!(
        text.contains("region = north") && text.contains("region = south"),
        "{text}"
    );
    let err = kano::analyze_by(&data, "regio", &KanoOptions::default()).unwrap_err();
    assert!(err.to_string().contains("did you mean `region`"), "{err}");
    // Dropped rows are reported as rows of the whole file.
    let data = csv("a_f,a_d,g\n1,3,1\n1,1,2\n1,1,1\n");
    let s = kano::analyze_by(&data, "g", &KanoOptions::default().max_questionable(0)).unwrap();
    assert_eq!(s.segments[0].report.dropped_respondents, vec![3]);
    assert_eq!(s.segments[1].report.dropped_respondents, vec![2]);
}

// ----- display and charts ---------------------------------------------------

#[test]
fn text_table_lists_every_feature() {
    let r = kano::analyze(&car(), &KanoOptions::default()).unwrap();
    let text = r.to_string();
    assert!(text.starts_with("feature"), "{text}");
    for k in 1..=10 {
        assert!(text.contains(&format!("\nf{k} ")), "f{k} missing:\n{text}");
    }
    // f10 (all R): coefficients shown as "-".
    let f10 = text.lines().find(|l| l.starts_with("f10 ")).unwrap();
    assert!(f10.contains(" R ") && f10.contains(" - "), "{f10}");
}

/// (label, x, y) of every 12-px text element.
fn labels(svg: &str) -> Vec<(String, f64, f64)> {
    let mut out = Vec::new();
    for line in svg
        .lines()
        .filter(|l| l.starts_with("<text") && l.contains("font-size=\"12.0\""))
    {
        let attr = |name: &str| -> f64 {
            let start = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            let end = start + line[start..].find('"').unwrap();
            line[start..end].parse().unwrap()
        };
        let text_start = line.find('>').unwrap() + 1;
        let text_end = line.rfind("</text>").unwrap();
        out.push((line[text_start..text_end].to_string(), attr("x"), attr("y")));
    }
    out
}

#[test]
fn chart_labels_stay_readable() {
    // Four features with identical coefficients and one far away.
    let same = Counts::new(10, 10, 10, 10, 0, 0);
    let names = ["alpha", "beta", "gamma", "delta"];
    let mut rows: Vec<(String, Counts)> = names.iter().map(|n| (n.to_string(), same)).collect();
    rows.push(("far".into(), Counts::new(0, 0, 0, 10, 0, 0)));
    rows.push(("reverse_only".into(), Counts::new(0, 0, 0, 0, 5, 0)));
    let r = kano::analyze_counts(&rows, &KanoOptions::default()).unwrap();
    let svg = r.better_worse_svg();
    let found = labels(&svg);
    // The four labels of the one point are all written, their boxes apart
    // (placed in two dimensions: beside, above or below the point).
    let boxes: Vec<csikit::svg::TextBox> = names
        .iter()
        .map(|n| {
            csikit::svg::text_boxes(&svg)
                .into_iter()
                .find(|b| b.text == *n)
                .unwrap()
        })
        .collect();
    for i in 0..boxes.len() {
        for j in (i + 1)..boxes.len() {
            assert_eq!(boxes[i].overlap(&boxes[j]), 0.0, "{:?}", boxes);
        }
    }
    assert!(found.iter().any(|l| l.0 == "far"));
    // The undefined feature is named in the note, not plotted.
    assert!(!found.iter().any(|l| l.0 == "reverse_only"));
    // (The note may be wrapped over several lines.)
    let words = |svg: &str| {
        csikit::svg::text_boxes(svg)
            .into_iter()
            .map(|b| b.text)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(words(&svg).contains("Not shown (no A, O, M or I answers): reverse_only"));
    // The continuous chart has no data with counts and says so.
    assert!(words(&r.continuous_svg()).contains("Not shown (no answer-level data)"));
}

#[test]
fn continuous_chart_places_points_by_means() {
    let r = kano::analyze(&csv("x_f,x_d\n1,5\n"), &KanoOptions::default()).unwrap();
    // Means (4, 4): the top-right corner of the −2..4 plot area (x 80..600, y 530..70).
    let svg = r.continuous_svg();
    assert!(svg.contains(r#"<circle cx="600.00" cy="70.00""#), "{svg}");
    let car = kano::analyze(&car(), &KanoOptions::default()).unwrap();
    let svg = car.continuous_svg();
    for k in 1..=10 {
        assert!(svg.contains(&format!(">f{k}</text>")));
    }
}

// ----- simulator ---------------------------------------------------------------

#[test]
fn simulator_recovers_known_categories() {
    let features = vec![
        SimFeature::new("a").with(Category::A, 0.7),
        SimFeature::new("o").with(Category::O, 0.7),
        SimFeature::new("m").with(Category::M, 0.7),
        SimFeature::new("i").with(Category::I, 0.7),
        SimFeature::new("r").with(Category::R, 0.7).missing(0.2),
    ];
    let data = kano::simulate(&features, 400, 1).unwrap();
    assert_eq!(data.n_rows(), 400);
    let r = kano::analyze(&data, &KanoOptions::default()).unwrap();
    for (f, res) in features.iter().zip(&r.features) {
        assert_eq!(res.category, f.intended(), "{}", f.name);
        assert!(res.fong.unwrap().significant);
    }
    // About 20% missing in r (80 expected; binomial sd 8).
    assert!(
        (280..=360).contains(&r.features[4].n),
        "{}",
        r.features[4].n
    );
    // Same seed, same data (NaN included, compared bit by bit); another seed, other data.
    let bits = |d: &Dataset| -> Vec<u64> {
        d.names()
            .iter()
            .flat_map(|n| d.numeric(n).unwrap().iter().map(|x| x.to_bits()))
            .collect()
    };
    assert!(bits(&kano::simulate(&features, 400, 1).unwrap()) == bits(&data));
    assert!(bits(&kano::simulate(&features, 400, 2).unwrap()) != bits(&data));
    // The built-in example shows its intended categories.
    let ex = kano::example_features();
    let r = kano::analyze(
        &kano::simulate(&ex, 300, 42).unwrap(),
        &KanoOptions::default(),
    )
    .unwrap();
    let hits = ex
        .iter()
        .zip(&r.features)
        .filter(|(f, res)| res.category == f.intended())
        .count();
    assert!(hits >= ex.len() - 1, "{r}");
}

#[test]
fn simulator_rejects_bad_settings() {
    let ok = SimFeature::new("x").with(Category::A, 0.5);
    for (features, n) in [
        (vec![ok.clone()], 0),
        (vec![], 10),
        (vec![SimFeature::new("x").with(Category::A, 1.5)], 10),
        (
            vec![
                SimFeature::new("x")
                    .with(Category::A, 0.6)
                    .with(Category::O, 0.6),
            ],
            10,
        ),
        (vec![ok.clone().missing(-0.1)], 10),
        (vec![ok.clone(), ok.clone()], 10),
    ] {
        let err = kano::simulate(&features, n, 0).unwrap_err();
        assert!(matches!(err, Error::InvalidSetting { .. }), "{err:?}");
    }
}
