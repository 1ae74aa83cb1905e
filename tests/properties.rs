//! Invariances and identities that any correct PLS-PM estimator satisfies.

use csikit::{CsvOptions, Dataset, MissingPolicy, Mode, Model, Moments, Pls, PlsFit, Scheme};

use crate::common::*;

fn fit(model: &Model, data: &Dataset) -> PlsFit {
    Pls::new(model)
        .tolerance(1e-13)
        .max_iter(1000)
        .fit(data)
        .unwrap()
}

/// Every standardized estimate of `a` equals that of `b` (matched by name).
fn same_estimates(a: &PlsFit, b: &PlsFit, tol: f64) {
    for o in &a.outer {
        let p = b.indicator(&o.indicator).unwrap();
        close(o.weight, p.weight, tol, &format!("weight {}", o.indicator));
        close(
            o.loading,
            p.loading,
            tol,
            &format!("loading {}", o.indicator),
        );
    }
    for r in &a.paths {
        let q = b.path(&r.from, &r.to).unwrap();
        close(r.estimate, q.estimate, tol, "path");
        close(r.std_error.unwrap(), q.std_error.unwrap(), tol, "se");
    }
    for c in &a.constructs {
        let d = b.construct(&c.name).unwrap();
        close(
            c.r_squared.unwrap_or(0.0),
            d.r_squared.unwrap_or(0.0),
            tol,
            "R2",
        );
        close(c.rho_a.unwrap_or(0.0), d.rho_a.unwrap_or(0.0), tol, "rho_A");
    }
    close(a.gof, b.gof, tol, "gof");
}

fn sat_columns(data: &Dataset) -> Vec<(String, Vec<f64>)> {
    data.names()
        .iter()
        .filter(|n| *n != "gender")
        .map(|n| (n.clone(), data.numeric(n).unwrap().to_vec()))
        .collect()
}

#[test]
fn row_order_does_not_matter() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    // A fixed permutation: i -> (i * 97 + 13) mod 250 (97 is coprime with 250).
    let rows: Vec<usize> = (0..250).map(|i| (i * 97 + 13) % 250).collect();
    let shuffled = data.take_rows(&rows).unwrap();
    same_estimates(&fit(&model, &data), &fit(&model, &shuffled), 1e-11);
}

#[test]
fn indicator_order_within_a_block_does_not_matter() {
    let data = satisfaction();
    let a = satisfaction_model(Mode::A);
    let text = a.to_syntax().replace(
        "imag1 + imag2 + imag3 + imag4 + imag5",
        "imag4 + imag2 + imag5 + imag1 + imag3",
    );
    let b = Model::from_syntax(&text).unwrap();
    assert_ne!(a, b);
    same_estimates(&fit(&a, &data), &fit(&b, &data), 1e-11);
}

#[test]
fn linear_rescaling_of_an_indicator_changes_nothing_standardized() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let mut cols = sat_columns(&data);
    for (name, col) in cols.iter_mut() {
        if name == "qual2" {
            col.iter_mut().for_each(|x| *x = 100.0 + 7.5 * *x);
        }
        if name == "loy1" {
            col.iter_mut().for_each(|x| *x *= 1e-6);
        }
    }
    let rescaled = Dataset::from_columns(cols).unwrap();
    same_estimates(&fit(&model, &data), &fit(&model, &rescaled), 1e-10);
}

/// Sign convention: a construct correlates positively with the majority of its
/// indicators. Reverse-coding every indicator of a block reverses the construct:
/// weights and loadings stay as they were, paths into and out of it change sign.
#[test]
fn sign_convention_majority_of_indicators() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let mut cols = sat_columns(&data);
    for (name, col) in cols.iter_mut() {
        if name.starts_with("val") {
            col.iter_mut().for_each(|x| *x = 11.0 - *x);
        }
    }
    let flipped = fit(&model, &Dataset::from_columns(cols).unwrap());
    let base = fit(&model, &data);
    for (o, f) in base.outer.iter().zip(&flipped.outer) {
        close(
            f.weight,
            o.weight,
            1e-10,
            &format!("weight {}", o.indicator),
        );
        close(
            f.loading,
            o.loading,
            1e-10,
            &format!("loading {}", o.indicator),
        );
        assert!(f.loading > 0.0);
    }
    for r in &base.paths {
        let s = if r.from == "VAL" || r.to == "VAL" {
            -1.0
        } else {
            1.0
        };
        close(
            flipped.path(&r.from, &r.to).unwrap().estimate,
            s * r.estimate,
            1e-10,
            "path",
        );
    }
    // Reverse-coding ONE of four indicators keeps the orientation on the other three.
    let mut cols = sat_columns(&data);
    for (name, col) in cols.iter_mut() {
        if name == "val2" {
            col.iter_mut().for_each(|x| *x = 11.0 - *x);
        }
    }
    let one = fit(&model, &Dataset::from_columns(cols).unwrap());
    for ind in ["val1", "val3", "val4"] {
        assert!(one.indicator(ind).unwrap().loading > 0.0);
    }
    assert!(one.indicator("val2").unwrap().loading < 0.0);
    for o in one.outer.iter().filter(|o| o.construct == "VAL") {
        let n_pos = one
            .outer
            .iter()
            .filter(|x| x.construct == o.construct && x.loading > 0.0)
            .count();
        assert!(n_pos >= 3);
    }
}

/// The satisfaction data's indicator columns (all but `gender`).
fn indicator_names(data: &Dataset) -> Vec<String> {
    data.names()
        .iter()
        .filter(|n| *n != "gender")
        .cloned()
        .collect()
}

#[test]
fn merged_moments_equal_the_whole() {
    let data = satisfaction();
    let names = indicator_names(&data);
    let (whole, _) = Moments::from_dataset(&data, &names, None, MissingPolicy::Listwise).unwrap();
    let mut merged = Moments::empty(&names);
    for part in [0..1usize, 1..90, 90..91, 91..250] {
        let rows: Vec<usize> = part.collect();
        let (m, _) = Moments::from_dataset(
            &data.take_rows(&rows).unwrap(),
            &names,
            None,
            MissingPolicy::Listwise,
        )
        .unwrap();
        merged.merge(&m).unwrap();
    }
    assert_eq!(merged.n(), whole.n());
    for (a, b) in merged.means().iter().zip(whole.means()) {
        close(*a, *b, 1e-12, "mean");
    }
    for (a, b) in merged.comoments().iter().zip(whole.comoments()) {
        close(*a, *b, 1e-9 * b.abs().max(1.0), "comoment");
    }
    // A fit from the merged moments equals the fit from the rows.
    let model = satisfaction_model(Mode::A);
    let from_rows = fit(&model, &data);
    let from_moments = Pls::new(&model)
        .tolerance(1e-13)
        .max_iter(1000)
        .fit_moments(&merged)
        .unwrap();
    same_estimates(&from_rows, &from_moments, 1e-11);
    assert_eq!(from_moments.n_observations, 250);
    // Mismatched variables refuse to merge.
    let other = Moments::empty(&["x"]);
    assert!(merged.merge(&other).is_err());
}

#[test]
fn partition_moments_merge_to_the_whole_even_when_a_partition_has_no_complete_row() {
    // Rows 0..40 lose `sat1` entirely (a partition where listwise deletion
    // leaves nothing, and where `sat1` is never observed).
    let data = satisfaction();
    let names = indicator_names(&data);
    let mut cols = sat_columns(&data);
    for (name, values) in cols.iter_mut() {
        if name == "sat1" {
            values[..40].iter_mut().for_each(|v| *v = f64::NAN);
        }
    }
    let holed = Dataset::from_columns(cols).unwrap();
    let (whole, whole_report) =
        Moments::from_dataset(&holed, &names, None, MissingPolicy::Listwise).unwrap();
    let mut merged = Moments::empty(&names);
    let (mut rows_seen, mut dropped) = (0, 0);
    for part in [0..0usize, 0..40, 40..250] {
        let rows: Vec<usize> = part.collect();
        let sub = holed.take_rows(&rows).unwrap();
        // The first two partitions have no usable row: from_dataset refuses them.
        assert_eq!(
            Moments::from_dataset(&sub, &names, None, MissingPolicy::Listwise).is_err(),
            rows.len() <= 40
        );
        let (m, r) = Moments::from_partition(&sub, &names, None, MissingPolicy::Listwise).unwrap();
        rows_seen += r.n_rows;
        dropped += r.n_dropped;
        merged.merge(&m).unwrap();
    }
    assert_eq!((rows_seen, dropped), (250, whole_report.n_dropped));
    assert_eq!(dropped, 40);
    assert_eq!(merged.n(), whole.n());
    for (a, b) in merged.comoments().iter().zip(whole.comoments()) {
        close(*a, *b, 1e-9 * b.abs().max(1.0), "comoment");
    }
    // Other errors still surface (an unknown column).
    assert!(Moments::from_partition(&holed, &["nope"], None, MissingPolicy::Listwise).is_err());
}

#[test]
fn integer_case_weights_equal_repeated_rows() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::B);
    let mut cols = sat_columns(&data);
    let w: Vec<f64> = (0..250).map(|i| (i % 3) as f64).collect();
    cols.push(("w".into(), w.clone()));
    let weighted = Dataset::from_columns(cols).unwrap();
    let rows: Vec<usize> = (0..250)
        .flat_map(|i| std::iter::repeat_n(i, i % 3))
        .collect();
    let repeated = data.take_rows(&rows).unwrap();
    let a = Pls::new(&model)
        .tolerance(1e-13)
        .max_iter(1000)
        .case_weights("w")
        .fit(&weighted)
        .unwrap();
    let b = fit(&model, &repeated);
    assert!(a.weighted);
    for (o, p) in a.outer.iter().zip(&b.outer) {
        close(o.weight, p.weight, 1e-10, "weight");
        close(o.loading, p.loading, 1e-10, "loading");
    }
    for (r, q) in a.paths.iter().zip(&b.paths) {
        close(r.estimate, q.estimate, 1e-10, "path");
    }
}

#[test]
fn missing_values_are_counted_not_hidden() {
    let csv = std::fs::read_to_string(data_path("satisfaction.csv")).unwrap();
    // Blank two cells of row 1 and one of row 3 (1-based data rows), mark one with -99.
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    let blank = |line: &mut String, col: usize, marker: &str| {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[col] = marker;
        *line = cells.join(",");
    };
    blank(&mut lines[1], 0, "");
    blank(&mut lines[1], 5, "");
    blank(&mut lines[3], 12, "-99");
    let text = lines.join("\n");
    let data = Dataset::from_reader(text.as_bytes(), &CsvOptions::default().na("-99")).unwrap();
    let model = satisfaction_model(Mode::A);

    let listwise = Pls::new(&model).fit(&data).unwrap();
    assert_eq!(listwise.n_observations, 248);
    assert_eq!(listwise.missing.n_dropped, 2);
    assert_eq!(listwise.missing.n_imputed, 0);
    assert_eq!(listwise.report().n_dropped, 2);
    let scores = listwise.scores(&data).unwrap();
    assert_eq!(scores.rows.len(), 248);
    assert!(!scores.rows.contains(&0) && !scores.rows.contains(&2));

    let mean = Pls::new(&model)
        .missing(MissingPolicy::Mean)
        .fit(&data)
        .unwrap();
    assert_eq!(mean.n_observations, 250);
    assert_eq!(mean.missing.n_imputed, 3);
    assert_eq!(mean.missing.n_dropped, 0);
    assert_eq!(mean.scores(&data).unwrap().rows.len(), 250);
    // Mean replacement equals fitting data where the cells hold the observed means.
    let mut cols = sat_columns(&data);
    for (_, col) in cols.iter_mut() {
        let (s, k) = col
            .iter()
            .filter(|x| !x.is_nan())
            .fold((0.0, 0.0), |(s, k), x| (s + x, k + 1.0));
        col.iter_mut()
            .filter(|x| x.is_nan())
            .for_each(|x| *x = s / k);
    }
    let filled = Pls::new(&model)
        .fit(&Dataset::from_columns(cols).unwrap())
        .unwrap();
    same_estimates(&mean, &filled, 1e-12);
}

#[test]
fn schemes_agree_closely_on_a_well_specified_model() {
    // Not an identity, but a sanity property that can fail: the three schemes
    // give paths within 0.02 of each other on the satisfaction data (plspm agrees).
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let p = Pls::new(&model).scheme(Scheme::Path).fit(&data).unwrap();
    for s in [Scheme::Centroid, Scheme::Factorial] {
        let f = Pls::new(&model).scheme(s).fit(&data).unwrap();
        for r in &p.paths {
            assert!((f.path(&r.from, &r.to).unwrap().estimate - r.estimate).abs() < 0.02);
        }
    }
}

#[cfg(feature = "ndarray")]
#[test]
fn from_ndarray_equals_from_columns() {
    let data = satisfaction();
    let cols = sat_columns(&data);
    let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
    let arr = ndarray::Array2::from_shape_fn((250, cols.len()), |(i, j)| cols[j].1[i]);
    let d = Dataset::from_ndarray(&names, arr.view()).unwrap();
    let model = satisfaction_model(Mode::A);
    same_estimates(&fit(&model, &data), &fit(&model, &d), 0.0);
}

#[test]
fn from_nalgebra_equals_from_columns() {
    let data = satisfaction();
    let cols = sat_columns(&data);
    let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
    let m = nalgebra::DMatrix::from_fn(250, cols.len(), |i, j| cols[j].1[i]);
    let d = Dataset::from_nalgebra(&names, &m).unwrap();
    let model = satisfaction_model(Mode::A);
    same_estimates(&fit(&model, &data), &fit(&model, &d), 0.0);
}
