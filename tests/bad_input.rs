//! Every bad input gets a typed error whose message names the offending thing.

use csikit::{CsvOptions, Dataset, Error, MissingPolicy, Mode, Model, Pls};

use crate::common::*;

fn small() -> Dataset {
    Dataset::from_reader(
        "x1,x2,y1,y2,z,txt\n1,2,1,2,5,a\n2,2,3,3,5,b\n3,4,3,4,5,c\n4,3,5,4,5,d\n5,5,4,6,5,e\n"
            .as_bytes(),
        &CsvOptions::default(),
    )
    .unwrap()
}

fn xy(extra: &str) -> Model {
    Model::from_syntax(&format!("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X\n{extra}")).unwrap()
}

#[test]
fn unknown_indicator_suggests_near_matches() {
    let model = Model::from_syntax("X =~ x1 + x_2\nY =~ y1 + y2\nY ~ X").unwrap();
    let err = Pls::new(&model).fit(&small()).unwrap_err();
    assert!(
        matches!(&err, Error::UnknownColumn { name, .. } if name == "x_2"),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("`x_2`") && msg.contains("did you mean `x2`"),
        "{msg}"
    );
}

#[test]
fn indicator_in_two_blocks() {
    let err = Model::from_syntax("X =~ x1 + x2\nY =~ y1 + x2\nY ~ X").unwrap_err();
    assert!(
        matches!(&err, Error::IndicatorInTwoBlocks { indicator, first, second } if indicator == "x2" && first == "X" && second == "Y")
    );
    assert!(err.to_string().contains("x2"));
}

#[test]
fn empty_block() {
    let err = Model::builder()
        .reflective("X", Vec::<String>::new())
        .reflective("Y", ["y1"])
        .path("X", "Y")
        .build()
        .unwrap_err();
    assert!(matches!(&err, Error::EmptyBlock { construct } if construct == "X"));
    assert!(err.to_string().contains("`X`"));
}

#[test]
fn self_loop() {
    let err = Model::from_syntax("X =~ x1\nY =~ y1\nY ~ X + Y").unwrap_err();
    assert!(matches!(&err, Error::SelfLoop { construct } if construct == "Y"));
    assert!(err.to_string().contains("`Y`"));
}

#[test]
fn cycle_is_named_in_order() {
    let err = Model::from_syntax("A =~ a\nB =~ b\nC =~ c\nB ~ A\nC ~ B\nA ~ C").unwrap_err();
    let Error::Cycle { cycle } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(cycle.len(), 4);
    let msg = err.to_string();
    assert!(msg.contains(" -> "), "{msg}");
    // Consecutive names are joined by a path of the model.
    let edges = [("A", "B"), ("B", "C"), ("C", "A")];
    for pair in cycle.windows(2) {
        assert!(
            edges.contains(&(pair[0].as_str(), pair[1].as_str())),
            "{cycle:?}"
        );
    }
}

#[test]
fn construct_without_path() {
    let err = Model::from_syntax("X =~ x1\nY =~ y1\nZ =~ z\nY ~ X").unwrap_err();
    assert!(matches!(&err, Error::IsolatedConstruct { construct } if construct == "Z"));
    assert!(err.to_string().contains("`Z`"));
}

#[test]
fn duplicate_construct() {
    let err = Model::builder()
        .reflective("X", ["x1"])
        .composite("X", ["x2"])
        .reflective("Y", ["y1"])
        .path("X", "Y")
        .build()
        .unwrap_err();
    assert!(matches!(&err, Error::DuplicateConstruct { name } if name == "X"));
}

#[test]
fn unknown_construct_in_path() {
    let err = Model::from_syntax("Image =~ x1\nSat =~ y1\nSat ~ Imgae").unwrap_err();
    assert!(matches!(&err, Error::UnknownConstruct { name, .. } if name == "Imgae"));
    assert!(err.to_string().contains("did you mean `Image`"), "{err}");
}

#[test]
fn syntax_error_with_line_and_column() {
    let err = Model::from_syntax("X =~ x1 + x2\n# comment\nY =~ y1 y2\nY ~ X").unwrap_err();
    assert!(
        matches!(
            err,
            Error::Syntax {
                line: 3,
                column: 9,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("syntax error at line 3, column 9")
    );
}

#[test]
fn text_column_used_as_indicator() {
    let model = Model::from_syntax("X =~ x1 + txt\nY =~ y1 + y2\nY ~ X").unwrap();
    let err = Pls::new(&model).fit(&small()).unwrap_err();
    assert!(
        matches!(&err, Error::NonNumeric { column, row: 1, value } if column == "txt" && value == "a")
    );
}

#[test]
fn unused_text_columns_are_ignored() {
    // `gender` is text; the model does not use it.
    let fit = Pls::new(&satisfaction_model(Mode::A))
        .fit(&satisfaction())
        .unwrap();
    assert_eq!(fit.n_observations, 250);
}

#[test]
fn constant_column() {
    let model = Model::from_syntax("X =~ x1 + z\nY =~ y1 + y2\nY ~ X").unwrap();
    let err = Pls::new(&model).fit(&small()).unwrap_err();
    assert!(
        matches!(&err, Error::ConstantColumn { column, value } if column == "z" && *value == 5.0)
    );
    assert!(err.to_string().contains("`z`"));
}

#[test]
fn all_missing_column() {
    let data = Dataset::from_reader(
        "x1,x2,y1,y2\n1,,1,2\n2,,3,3\n3,,2,4\n".as_bytes(),
        &CsvOptions::default(),
    )
    .unwrap();
    let err = Pls::new(&xy("")).fit(&data).unwrap_err();
    assert!(matches!(&err, Error::AllMissing { column } if column == "x2"));
}

#[test]
fn missing_values_with_error_policy() {
    let data = Dataset::from_reader(
        "x1,x2,y1,y2\n1,2,1,2\n2,,3,3\n3,4,2,4\n4,3,5,3\n".as_bytes(),
        &CsvOptions::default(),
    )
    .unwrap();
    let err = Pls::new(&xy(""))
        .missing(MissingPolicy::Error)
        .fit(&data)
        .unwrap_err();
    assert!(
        matches!(&err, Error::MissingValues { column, count: 1, first_row: 2 } if column == "x2")
    );
}

#[test]
fn nothing_left_after_listwise_deletion() {
    let data = Dataset::from_reader(
        "x1,x2,y1,y2\n1,,1,2\n,2,3,3\n3,4,,4\n".as_bytes(),
        &CsvOptions::default(),
    )
    .unwrap();
    let err = Pls::new(&xy("")).fit(&data).unwrap_err();
    assert!(matches!(err, Error::EmptyData { .. }), "{err:?}");
    assert!(err.to_string().contains("listwise"));
}

#[test]
fn too_few_observations() {
    let data = Dataset::from_reader(
        "x1,x2,y1,y2\n1,2,1,2\n2,1,3,3\n".as_bytes(),
        &CsvOptions::default(),
    )
    .unwrap();
    let err = Pls::new(&xy("")).fit(&data).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooFewObservations {
                needed: 3,
                available: 2,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn infinite_value() {
    let data = Dataset::from_reader(
        "x1,x2,y1,y2\n1,2,1,2\n2,inf,3,3\n3,4,2,4\n".as_bytes(),
        &CsvOptions::default(),
    )
    .unwrap();
    let err = Pls::new(&xy("")).fit(&data).unwrap_err();
    assert!(matches!(&err, Error::NonFinite { column, row: 2 } if column == "x2"));
}

#[test]
fn invalid_case_weights() {
    let base = "x1,x2,y1,y2,w\n1,2,1,2,1\n2,2,3,3,W\n3,4,2,4,1\n4,3,5,4,2\n";
    for (w, needle) in [
        ("-1", "not a finite non-negative"),
        ("", "missing weight"),
        ("0", ""),
    ] {
        let text = base.replace(",W\n", &format!(",{w}\n"));
        let text = if w == "0" {
            text.replace(",1\n", ",0\n").replace(",2\n", ",0\n")
        } else {
            text
        };
        let data = Dataset::from_reader(text.as_bytes(), &CsvOptions::default()).unwrap();
        let err = Pls::new(&xy("")).case_weights("w").fit(&data).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidWeights { column, .. } if column == "w"),
            "{err:?}"
        );
        assert!(err.to_string().contains(needle), "{err}");
    }
}

#[test]
fn collinear_mode_b_block() {
    // x2 is an exact linear function of x1.
    let data = Dataset::from_reader(
        "x1,x2,y1,y2\n1,3,1,2\n2,5,3,3\n3,7,2,4\n4,9,5,4\n5,11,4,6\n".as_bytes(),
        &CsvOptions::default(),
    )
    .unwrap();
    let model = Model::from_syntax("X <~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap();
    let err = Pls::new(&model).fit(&data).unwrap_err();
    assert!(
        matches!(&err, Error::SingularBlock { construct } if construct == "X"),
        "{err:?}"
    );
}

#[test]
fn non_convergence_is_an_error_or_a_flag() {
    let model = satisfaction_model(Mode::B);
    let err = Pls::new(&model)
        .max_iter(2)
        .fit(&satisfaction())
        .unwrap_err();
    assert!(
        matches!(err, Error::NotConverged { iterations: 2, .. }),
        "{err:?}"
    );
    let fit = Pls::new(&model)
        .max_iter(2)
        .allow_nonconvergence(true)
        .fit(&satisfaction())
        .unwrap();
    assert!(!fit.converged);
    assert!(!fit.report().converged);
    assert!(fit.to_string().contains("NOT CONVERGED"));
}

#[test]
fn invalid_settings() {
    let model = xy("");
    assert!(matches!(
        Pls::new(&model).tolerance(0.0).fit(&small()),
        Err(Error::InvalidSetting { .. })
    ));
    assert!(matches!(
        Pls::new(&model).tolerance(f64::NAN).fit(&small()),
        Err(Error::InvalidSetting { .. })
    ));
    assert!(matches!(
        Pls::new(&model).max_iter(0).fit(&small()),
        Err(Error::InvalidSetting { .. })
    ));
    assert!("diagonal".parse::<csikit::Scheme>().is_err());
    // `pairwise` is a policy since issue 14; an unknown name is still refused.
    assert_eq!(
        "pairwise".parse::<MissingPolicy>().unwrap(),
        MissingPolicy::Pairwise
    );
    assert!("casewise".parse::<MissingPolicy>().is_err());
}

#[test]
fn duplicated_column_names_in_csv() {
    let err = Dataset::from_reader("x1,x1\n1,2\n".as_bytes(), &CsvOptions::default()).unwrap_err();
    assert!(matches!(err, Error::DuplicateColumn { .. }));
}

#[test]
fn moments_missing_an_indicator() {
    let m = csikit::Moments::empty(&["x1", "x2", "y1"]);
    let err = Pls::new(&xy("")).fit_moments(&m).unwrap_err();
    assert!(matches!(&err, Error::UnknownColumn { name, .. } if name == "y2"));
}

#[test]
fn constant_column_with_an_inexact_value() {
    // 0.1 is not exactly representable: centring must still see no variance.
    let n = 1000;
    let x1: Vec<f64> = (0..n).map(|i| (i % 5) as f64).collect();
    let y1: Vec<f64> = (0..n).map(|i| ((i * 3) % 7) as f64).collect();
    let y2: Vec<f64> = (0..n).map(|i| ((i * 5) % 11) as f64).collect();
    let data = Dataset::from_columns(vec![
        ("x1", x1),
        ("x2", vec![0.1; n]),
        ("y1", y1),
        ("y2", y2),
    ])
    .unwrap();
    let err = Pls::new(&xy("")).fit(&data).unwrap_err();
    assert!(
        matches!(&err, Error::ConstantColumn { column, .. } if column == "x2"),
        "{err:?}"
    );
}

#[test]
fn constructs_without_any_inner_correlation_are_degenerate() {
    // The y block is exactly uncorrelated with the x block: every inner weight
    // is 0, the inner proxies vanish, and the weights are not defined.
    let data = Dataset::from_columns(vec![
        ("x1", vec![1., 2., 3., 4., 1., 2., 3., 4.]),
        ("x2", vec![2., 1., 4., 3., 2., 1., 4., 3.]),
        ("y1", vec![1., -1., -1., 1., 1., -1., -1., 1.]),
        ("y2", vec![3., -1., -1., 3., 3., -1., -1., 3.]),
    ])
    .unwrap();
    for scheme in [
        csikit::Scheme::Centroid,
        csikit::Scheme::Factorial,
        csikit::Scheme::Path,
    ] {
        let err = Pls::new(&xy("")).scheme(scheme).fit(&data).unwrap_err();
        assert!(
            matches!(err, Error::DegenerateConstruct { .. }),
            "{scheme}: {err:?}"
        );
        assert!(err.to_string().contains("zero variance"), "{err}");
    }
}
