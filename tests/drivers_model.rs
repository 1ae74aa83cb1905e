//! `csikit drivers --model`: relative importance on the construct scores of
//! the user's own PLS model (issue 16).

use csikit::analysis::drivers::{self, DriversRequest};
use csikit::i18n::Lang;
use csikit::{Dataset, Error, Model, Pls};

const ECSI: &str = "
IMAG =~ imag1 + imag2 + imag3 + imag4 + imag5
EXPE =~ expe1 + expe2 + expe3 + expe4 + expe5
QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
VAL =~ val1 + val2 + val3 + val4
SAT =~ sat1 + sat2 + sat3 + sat4
LOY =~ loy1 + loy2 + loy3 + loy4
EXPE ~ IMAG
QUAL ~ EXPE
VAL ~ EXPE + QUAL
SAT ~ IMAG + EXPE + QUAL + VAL
LOY ~ IMAG + SAT
";

fn data() -> Dataset {
    Dataset::from_csv(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/satisfaction.csv"
    ))
    .unwrap()
}

fn request(target: &str, drivers: &[&str]) -> DriversRequest {
    DriversRequest {
        target: target.into(),
        drivers: drivers.iter().map(|d| d.to_string()).collect(),
        ..DriversRequest::default()
    }
}

#[test]
fn shapley_on_the_model_scores_decomposes_the_inner_r_squared() {
    let model = Model::from_syntax(ECSI).unwrap();
    let data = data();
    let doc = drivers::run_model(&data, &model, &request("SAT", &[])).unwrap();
    let a = &doc.analysis;
    // Default drivers: SAT's predecessors, in model order.
    let names: Vec<&str> = a.drivers.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["IMAG", "EXPE", "QUAL", "VAL"]);
    // Their R² on the PLS scores is the inner-model R² of SAT (0.702 on this
    // data, as plspm reports), and the Shapley values add up to it.
    let fit = Pls::new(&model).fit(&data).unwrap();
    let r2 = fit.constructs[4].r_squared.unwrap();
    assert!((a.r_squared - r2).abs() < 1e-10, "{} vs {r2}", a.r_squared);
    assert!((r2 - 0.702).abs() < 0.001, "{r2}");
    let sum: f64 = a.drivers.iter().map(|d| d.shapley).sum();
    assert!((sum - r2).abs() < 1e-12);
    // Independent check of one value: with two drivers, Shapley of x1 is
    // (R²(x1) + R²(x1,x2) − R²(x2)) / 2; R² of one driver is r².
    let two = drivers::run_model(&data, &model, &request("SAT", &["VAL", "QUAL"])).unwrap();
    let scores = fit.scores(&data).unwrap();
    let col = |n: &str| scores.column(n).unwrap();
    let r = |x: &[f64], y: &[f64]| {
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
        let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
        sxy / (sxx * syy).sqrt()
    };
    let (sat, val, qual) = (col("SAT"), col("VAL"), col("QUAL"));
    let (r1, r2v, r12) = (r(&val, &sat), r(&qual, &sat), r(&val, &qual));
    let full = (r1 * r1 + r2v * r2v - 2.0 * r1 * r2v * r12) / (1.0 - r12 * r12);
    let shapley_val = (r1 * r1 + full - r2v * r2v) / 2.0;
    assert!((two.analysis.r_squared - full).abs() < 1e-10);
    assert!((two.analysis.drivers[0].shapley - shapley_val).abs() < 1e-10);
    // Labels: construct names; the audit counts the rows.
    assert_eq!(doc.labels, ["IMAG", "EXPE", "QUAL", "VAL"]);
    assert_eq!((doc.data.rows_read, doc.data.rows_used), (250, 250));
}

#[test]
fn built_in_construct_names_are_translated_and_bad_names_are_errors() {
    let model = Model::from_syntax(
        "Quality =~ qual1 + qual2 + qual3\nValue =~ val1 + val2\nSatisfaction =~ sat1 + sat2\nSatisfaction ~ Quality + Value\n",
    )
    .unwrap();
    let doc = drivers::run_model(
        &data(),
        &model,
        &DriversRequest {
            lang: Lang::Zh,
            ..request("Satisfaction", &[])
        },
    )
    .unwrap();
    assert_eq!(doc.labels, ["感知质量", "感知价值"]);
    assert!(doc.markdown().contains("感知质量"));
    for (target, drivers, name) in [
        ("SATX", vec![], "target"),
        ("Quality", vec![], "drivers"),
        ("Satisfaction", vec!["qual1"], "drivers"),
    ] {
        match drivers::run_model(&data(), &model, &request(target, &drivers)) {
            Err(Error::InvalidSetting { name: n, .. }) => assert_eq!(n, name),
            other => panic!("{target}: expected InvalidSetting, got {other:?}"),
        }
    }
}
