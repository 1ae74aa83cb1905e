//! Multi-group analysis: per-group fits, permutation tests, MICOM, order
//! independence, reproducibility, more than two groups, bad input.

use csikit::pls::{Invariance, MgaResult};
use csikit::{Correction, Dataset, Error, Mode, MultiGroup, Pls, SurveySimulator};

use crate::common::*;

fn gender(permutations: usize, seed: u64) -> MgaResult {
    let model = satisfaction_model(Mode::A);
    MultiGroup::new("gender")
        .permutations(permutations)
        .seed(seed)
        .run(&Pls::new(&model), &satisfaction())
        .unwrap()
}

/// Rows of `data` whose `column` label is `level`.
fn rows_of(data: &Dataset, column: &str, level: &str) -> Vec<usize> {
    data.labels(column)
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, l)| l.as_deref() == Some(level))
        .map(|(r, _)| r)
        .collect()
}

#[test]
fn group_estimates_equal_separate_fits() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let mga = gender(199, 1);
    assert_eq!(mga.levels, ["female", "male"]);
    assert_eq!(mga.n.get("female"), Some(&148));
    assert_eq!(mga.n.get("male"), Some(&102));
    assert_eq!(mga.n_missing_label, 0);
    assert_eq!(mga.failed_permutations, 0);
    assert_eq!(mga.paths.len(), 10);
    assert_eq!(mga.loadings.len(), 27);
    assert_eq!(mga.weights.len(), 27);
    assert_eq!(mga.micom.len(), 6);
    let fits: Vec<_> = ["female", "male"]
        .iter()
        .map(|l| {
            let rows = rows_of(&data, "gender", l);
            Pls::new(&model)
                .fit(&data.take_rows(&rows).unwrap())
                .unwrap()
        })
        .collect();
    for r in &mga.paths {
        let f = fits[0].path(&r.from, &r.to).unwrap().estimate;
        let m = fits[1].path(&r.from, &r.to).unwrap().estimate;
        close(*r.estimates.get("female").unwrap(), f, 1e-10, "female path");
        close(*r.estimates.get("male").unwrap(), m, 1e-10, "male path");
        close(r.difference, f - m, 1e-10, "difference");
        assert!(r.p_permutation > 0.0 && r.p_permutation <= 1.0);
        assert_eq!(r.p_adjusted, r.p_permutation); // two groups: nothing to adjust
        assert_eq!(r.groups, ["female", "male"]);
    }
    for r in &mga.loadings {
        let f = fits[0].indicator(&r.indicator).unwrap().loading;
        close(
            *r.estimates.get("female").unwrap(),
            f,
            1e-10,
            "female loading",
        );
    }
    // The JSON object of the contract.
    let json = serde_json::to_value(&mga).unwrap();
    assert_eq!(json["column"], "gender");
    assert_eq!(json["n"]["female"], 148);
    assert_eq!(json["permutations"], 199);
    let row = &json["paths"][0];
    for key in ["from", "to", "estimates", "difference", "p_permutation"] {
        assert!(!row[key].is_null(), "{key}");
    }
    assert!(row["estimates"]["male"].is_number());
    let text = mga.to_string();
    assert!(
        text.contains("female vs male") && text.contains("MICOM"),
        "{text}"
    );
}

#[test]
fn results_do_not_depend_on_which_group_comes_first() {
    // Renaming the levels so that "male" sorts first swaps the groups.
    let mut data = satisfaction();
    let renamed: Vec<String> = data
        .labels("gender")
        .unwrap()
        .into_iter()
        .map(|l| match l.as_deref() {
            Some("female") => "w_female".to_string(),
            _ => "m_male".to_string(),
        })
        .collect();
    data.set_text("gender", renamed).unwrap();
    let model = satisfaction_model(Mode::A);
    let swapped = MultiGroup::new("gender")
        .permutations(199)
        .seed(1)
        .run(&Pls::new(&model), &data)
        .unwrap();
    let original = gender(199, 1);
    assert_eq!(swapped.levels, ["m_male", "w_female"]);
    for (a, b) in original.paths.iter().zip(&swapped.paths) {
        assert_eq!(a.difference, -b.difference);
        assert_eq!(a.p_permutation, b.p_permutation, "{} -> {}", a.from, a.to);
    }
    for (a, b) in original.loadings.iter().zip(&swapped.loadings) {
        assert_eq!(a.p_permutation, b.p_permutation);
    }
    for (a, b) in original.micom.iter().zip(&swapped.micom) {
        assert_eq!(a.c, b.c);
        assert_eq!(a.c_p, b.c_p);
        assert_eq!(a.mean_difference, -b.mean_difference);
        assert_eq!(a.mean_p, b.mean_p);
        assert_eq!(a.variance_p, b.variance_p);
        assert_eq!(a.invariance, b.invariance);
    }
}

#[test]
fn reproducible_for_a_seed_and_any_thread_count() {
    let model = satisfaction_model(Mode::A);
    let data = satisfaction();
    let run = |threads: usize, seed: u64| {
        MultiGroup::new("gender")
            .permutations(150)
            .seed(seed)
            .threads(threads)
            .run(&Pls::new(&model), &data)
            .unwrap()
    };
    let one = run(1, 3);
    let two = run(2, 3);
    assert_eq!(one, two);
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap()
    );
    let other = run(2, 4);
    assert_ne!(one.paths, other.paths);
}

#[test]
fn detects_a_true_difference_and_not_a_false_one() {
    // Group a: M → Y = 0.6; group b: M → Y = 0.0; X → M = 0.5 in both.
    let a = small_survey(200, 31, 0.5, 0.6, 0.1);
    let b = small_survey(200, 32, 0.5, 0.0, 0.1);
    let mut cols: Vec<(String, Vec<f64>)> = Vec::new();
    for name in a.names() {
        let mut v = a.numeric(name).unwrap().to_vec();
        v.extend_from_slice(b.numeric(name).unwrap());
        cols.push((name.clone(), v));
    }
    let mut data = Dataset::from_columns(cols).unwrap();
    let labels: Vec<String> = (0..400)
        .map(|i| if i < 200 { "a".into() } else { "b".into() })
        .collect();
    data.set_text("segment", labels).unwrap();
    let mga = MultiGroup::new("segment")
        .permutations(499)
        .seed(2)
        .run(&Pls::new(&small_model()), &data)
        .unwrap();
    let my = mga.path("M", "Y", "a", "b").unwrap();
    assert!(my.difference > 0.3, "{my:?}");
    assert!(my.p_permutation < 0.01, "{my:?}");
    let xm = mga.path("X", "M", "b", "a").unwrap();
    assert!(xm.p_permutation > 0.05, "{xm:?}");
    // Same measurement model in both groups: MICOM finds invariance.
    for row in &mga.micom {
        assert!(row.compositional_invariance, "{row:?}");
        assert!(row.c > 0.98, "{row:?}");
    }
}

#[test]
fn random_groups_give_uniform_p_values() {
    // Labels assigned by a fixed pseudo-random rule: no true difference.
    let mut data = satisfaction();
    let labels: Vec<String> = (0..250u64)
        .map(|i| {
            if (i.wrapping_mul(2_654_435_761) >> 7) % 2 == 0 {
                "x".to_string()
            } else {
                "y".to_string()
            }
        })
        .collect();
    data.set_text("random", labels).unwrap();
    let model = satisfaction_model(Mode::A);
    let mga = MultiGroup::new("random")
        .permutations(299)
        .seed(5)
        .run(&Pls::new(&model), &data)
        .unwrap();
    let all: Vec<f64> = mga
        .paths
        .iter()
        .map(|r| r.p_permutation)
        .chain(mga.loadings.iter().map(|r| r.p_permutation))
        .chain(mga.weights.iter().map(|r| r.p_permutation))
        .collect();
    let small = all.iter().filter(|p| **p < 0.05).count() as f64 / all.len() as f64;
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    assert!(small < 0.15, "{small} of p-values below 0.05");
    assert!((0.35..0.65).contains(&mean), "mean p {mean}");
    for row in &mga.micom {
        assert!(row.compositional_invariance, "{row:?}");
    }
    let full = mga
        .micom
        .iter()
        .filter(|r| r.invariance == Invariance::Full)
        .count();
    assert!(full >= 4, "{full} of 6 constructs fully invariant");
}

#[test]
fn micom_detects_different_means() {
    // Shift every satisfaction answer of the men by +1.5.
    let mut data = satisfaction();
    let men = rows_of(&data, "gender", "male");
    for item in ["sat1", "sat2", "sat3", "sat4"] {
        let mut v = data.numeric(item).unwrap().to_vec();
        for &r in &men {
            v[r] += 1.5;
        }
        data.set_numeric(item, v).unwrap();
    }
    let model = satisfaction_model(Mode::A);
    let mga = MultiGroup::new("gender")
        .permutations(299)
        .run(&Pls::new(&model), &data)
        .unwrap();
    let sat = mga.micom("SAT", "female", "male").unwrap();
    assert!(sat.mean_difference < 0.0, "{sat:?}");
    assert!(!sat.equal_means, "{sat:?}");
    assert!(sat.mean_p < 0.01, "{sat:?}");
    assert_ne!(sat.invariance, Invariance::Full);
    let img = mga.micom("IMAG", "female", "male").unwrap();
    assert!(img.equal_means, "{img:?}");
}

#[test]
fn more_than_two_groups_are_compared_pairwise_with_a_correction() {
    let data = SurveySimulator::new(400).seed(8).simulate().unwrap();
    let model = SurveySimulator::model();
    let run = |correction| {
        MultiGroup::new("region")
            .permutations(99)
            .seed(1)
            .correction(correction)
            .run(&Pls::new(&model), &data)
            .unwrap()
    };
    let holm = run(Correction::Holm);
    let bonf = run(Correction::Bonferroni);
    let none = run(Correction::None);
    assert_eq!(holm.levels, ["east", "north", "south", "west"]);
    assert_eq!(holm.paths.len(), 12 * 6);
    assert_eq!(holm.micom.len(), 7 * 6);
    for ((h, b), n) in holm.paths.iter().zip(&bonf.paths).zip(&none.paths) {
        assert_eq!(h.p_permutation, n.p_permutation);
        assert_eq!(n.p_adjusted, n.p_permutation);
        assert!(h.p_adjusted >= h.p_permutation);
        assert!(h.p_adjusted <= b.p_adjusted);
        assert_eq!(b.p_adjusted, (6.0 * b.p_permutation).min(1.0));
    }
    // Each pair appears once, in level order.
    let pairs: Vec<[String; 2]> = holm.paths[..6].iter().map(|r| r.groups.clone()).collect();
    assert_eq!(pairs[0], ["east", "north"]);
    assert_eq!(pairs[5], ["south", "west"]);
}

#[test]
fn numeric_group_labels_sort_numerically() {
    let mut data = small_survey(300, 3, 0.5, 0.4, 0.2);
    let tier: Vec<f64> = (0..300).map(|i| [2.0, 10.0, 1.0][i % 3]).collect();
    data.set_numeric("tier", tier).unwrap();
    let mga = MultiGroup::new("tier")
        .permutations(20)
        .run(&Pls::new(&small_model()), &data)
        .unwrap();
    assert_eq!(mga.levels, ["1", "2", "10"]);
}

#[test]
fn missing_group_labels_are_excluded_and_counted() {
    let mut data = satisfaction();
    let labels: Vec<String> = data
        .labels("gender")
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(r, l)| {
            if r % 10 == 0 {
                String::new()
            } else {
                l.unwrap()
            }
        })
        .collect();
    data.set_text("gender", labels).unwrap();
    let model = satisfaction_model(Mode::A);
    let mga = MultiGroup::new("gender")
        .permutations(50)
        .run(&Pls::new(&model), &data)
        .unwrap();
    assert_eq!(mga.n_missing_label, 25);
    assert_eq!(
        mga.n.get("female").unwrap() + mga.n.get("male").unwrap(),
        225
    );
}

#[test]
fn bad_group_input() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    // Unknown column, with a suggestion.
    let err = MultiGroup::new("gendr").run(&pls, &data).unwrap_err();
    assert!(matches!(&err, Error::UnknownColumn { name, .. } if name == "gendr"));
    assert!(err.to_string().contains("`gender`"), "{err}");
    // One level.
    let mut one = data.clone();
    one.set_text("gender", vec!["female".to_string(); 250])
        .unwrap();
    let err = MultiGroup::new("gender").run(&pls, &one).unwrap_err();
    assert!(
        matches!(&err, Error::TooFewGroups { levels, .. } if levels == &["female"]),
        "{err:?}"
    );
    // Every label missing.
    let mut none = data.clone();
    none.set_text("gender", vec![String::new(); 250]).unwrap();
    let err = MultiGroup::new("gender").run(&pls, &none).unwrap_err();
    assert!(err.to_string().contains("every label is missing"), "{err}");
    // A group too small to fit: SAT has four predecessors, so 6 rows are needed.
    let mut tiny = data.clone();
    let labels: Vec<String> = (0..250)
        .map(|r| if r < 5 { "vip".into() } else { "rest".into() })
        .collect();
    tiny.set_text("gender", labels).unwrap();
    let err = MultiGroup::new("gender").run(&pls, &tiny).unwrap_err();
    assert!(
        matches!(&err, Error::GroupTooSmall { level, n: 5, min: 6, .. } if level == "vip"),
        "{err:?}"
    );
    // A group in which an indicator is constant cannot be fitted.
    let mut constant = data.clone();
    let men = rows_of(&data, "gender", "male");
    let mut v = constant.numeric("loy2").unwrap().to_vec();
    for &r in &men {
        v[r] = 7.0;
    }
    constant.set_numeric("loy2", v).unwrap();
    let err = MultiGroup::new("gender").run(&pls, &constant).unwrap_err();
    match &err {
        Error::GroupFit { level, source, .. } => {
            assert_eq!(level, "male");
            assert!(
                matches!(**source, Error::ConstantColumn { .. }),
                "{source:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("loy2"), "{err}");
    // Settings.
    for bad in [
        MultiGroup::new("gender").permutations(0),
        MultiGroup::new("gender").alpha(0.0),
        MultiGroup::new("gender").max_failed_share(-0.1),
    ] {
        assert!(matches!(
            bad.run(&pls, &data),
            Err(Error::InvalidSetting { .. })
        ));
    }
    assert!("tukey".parse::<Correction>().is_err());
}

#[test]
fn failed_permutations_are_counted() {
    // loy2 varies only through two women and two men: a permutation that puts
    // all four rows in one group leaves the other with a constant loy2.
    let mut data = satisfaction();
    let women = rows_of(&data, "gender", "female");
    let men = rows_of(&data, "gender", "male");
    let mut v = vec![5.0; 250];
    for &r in women[..2].iter().chain(&men[..2]) {
        v[r] = 9.0;
    }
    data.set_numeric("loy2", v).unwrap();
    let model = satisfaction_model(Mode::A);
    let mga = MultiGroup::new("gender")
        .permutations(400)
        .run(&Pls::new(&model), &data)
        .unwrap();
    assert!(mga.failed_by.constant_indicator > 0, "{:?}", mga.failed_by);
    assert_eq!(mga.failed_permutations, mga.failed_by.total());
    assert!(mga.paths.iter().all(|r| r.p_permutation.is_finite()));
    let err = MultiGroup::new("gender")
        .permutations(400)
        .max_failed_share(0.0)
        .run(&Pls::new(&model), &data)
        .unwrap_err();
    assert!(
        matches!(err, Error::TooManyFailedResamples { .. }),
        "{err:?}"
    );
}
