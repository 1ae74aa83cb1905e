//! `csikit drivers`, `profile` and `link` end to end: the JSON keys of
//! DESIGN.md §4, the analysis layer's numbers, both report languages.

use std::path::PathBuf;
use std::process::{Command, Output};

use csikit::analysis::drivers::{self, DriversRequest};
use serde_json::Value;

fn csikit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csikit"))
        .args(args)
        .output()
        .expect("the csikit binary runs")
}

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
        .display()
        .to_string()
}

fn scratch(name: &str) -> String {
    let dir =
        std::env::temp_dir().join(format!("csikit-drivers-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.display().to_string()
}

#[test]
fn drivers_json_contract() {
    let path = data("satisfaction.csv");
    let dir = scratch("json");
    let o = csikit(&[
        "drivers",
        "--data",
        &path,
        "--target",
        "sat1",
        "--drivers",
        "qual1,val1,imag1",
        "--bootstrap",
        "100",
        "--seed",
        "4",
        "--json",
        "--out",
        &dir,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["target"], "sat1");
    assert_eq!(v["n"], 250);
    let r2 = v["r_squared"].as_f64().unwrap();
    let ds = v["drivers"].as_array().unwrap();
    assert_eq!(ds.len(), 3);
    let sum: f64 = ds.iter().map(|d| d["shapley"].as_f64().unwrap()).sum();
    assert!((sum - r2).abs() < 1e-12);
    for d in ds {
        for k in [
            "name",
            "shapley",
            "shapley_share",
            "johnson",
            "johnson_share",
            "dominance_general",
            "ci_lower",
            "ci_upper",
        ] {
            assert!(d.get(k).is_some_and(|x| !x.is_null()), "{k}");
        }
    }
    // The same numbers as the analysis layer.
    let dataset = csikit::Dataset::from_csv(&path).unwrap();
    let doc = drivers::run(
        &dataset,
        &DriversRequest {
            target: "sat1".into(),
            drivers: vec!["qual1".into(), "val1".into(), "imag1".into()],
            bootstrap: 100,
            seed: 4,
            ..DriversRequest::default()
        },
    )
    .unwrap();
    assert_eq!(doc.analysis.drivers[0].ci_lower, ds[0]["ci_lower"].as_f64());
    assert!(
        std::path::Path::new(&dir)
            .join("drivers_shares.svg")
            .exists()
    );
}

#[test]
fn drivers_report_in_chinese_and_errors() {
    let path = data("satisfaction.csv");
    let o = csikit(&[
        "drivers",
        "--data",
        &path,
        "--target",
        "sat1",
        "--drivers",
        "qual1,val1",
        "--lang",
        "zh",
        "--no-charts",
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("关键驱动因素"));
    let bad = csikit(&[
        "drivers",
        "--data",
        &path,
        "--target",
        "sat1",
        "--drivers",
        "qual9",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("qual9"));
}

#[test]
fn profile_and_link_commands() {
    let path = data("satisfaction.csv");
    let o = csikit(&[
        "profile",
        "--data",
        &path,
        "--target",
        "sat1",
        "--threshold",
        "5",
        "--segments",
        "gender",
        "--drivers",
        "qual1,val1",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["segments"].as_array().unwrap().len(), 2);
    assert!(v["dissatisfied"].as_u64().unwrap() > 0);
    let zh = csikit(&[
        "profile",
        "--data",
        &path,
        "--target",
        "sat1",
        "--threshold",
        "5",
        "--segments",
        "gender",
        "--lang",
        "zh",
    ]);
    assert!(String::from_utf8_lossy(&zh.stdout).contains("不满客户画像"));

    let dir = scratch("link");
    std::fs::create_dir_all(&dir).unwrap();
    let survey = format!("{dir}/survey.csv");
    let ops = format!("{dir}/ops.csv");
    std::fs::write(
        &survey,
        "city,month,sat\nA,2026-01,7\nA,2026-01,9\nA,2026-02,6\nB,2026-01,5\nB,2026-02,8\n",
    )
    .unwrap();
    std::fs::write(
        &ops,
        "city,month,drop\nA,2026-01,1\nA,2026-02,2\nB,2026-01,3\nB,2026-02,0.5\n",
    )
    .unwrap();
    let o = csikit(&[
        "link",
        "--data",
        &survey,
        "--operational",
        &ops,
        "--unit",
        "city",
        "--period",
        "month",
        "--indices",
        "sat",
        "--metrics",
        "drop",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    // Pairs (1, 8), (2, 6), (3, 5), (0.5, 8): Sxy = −4.875, Sxx = 3.6875.
    assert_eq!(v["pairs"][0]["n"], 4);
    let slope = v["pairs"][0]["slope"].as_f64().unwrap();
    assert!((slope + 4.875 / 3.6875).abs() < 1e-12, "{slope}");
    assert!(v["pairs"][0]["small_n"].as_bool().unwrap());
    let text = csikit(&[
        "link",
        "--data",
        &survey,
        "--operational",
        &ops,
        "--unit",
        "city",
        "--period",
        "month",
        "--indices",
        "sat",
        "--metrics",
        "drop",
    ]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Fewer than 30"));
}

#[test]
fn drivers_on_the_construct_scores_of_a_model_file() {
    let dir = scratch("model");
    std::fs::create_dir_all(&dir).unwrap();
    let model = std::path::Path::new(&dir).join("ecsi.txt");
    std::fs::write(
        &model,
        "IMAG =~ imag1 + imag2 + imag3 + imag4 + imag5\n\
         EXPE =~ expe1 + expe2 + expe3 + expe4 + expe5\n\
         QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5\n\
         VAL =~ val1 + val2 + val3 + val4\n\
         SAT =~ sat1 + sat2 + sat3 + sat4\n\
         EXPE ~ IMAG\nQUAL ~ EXPE\nVAL ~ EXPE + QUAL\nSAT ~ IMAG + EXPE + QUAL + VAL\n",
    )
    .unwrap();
    let o = csikit(&[
        "drivers",
        "--data",
        &data("satisfaction.csv"),
        "--model",
        model.to_str().unwrap(),
        "--target",
        "SAT",
        "--json",
        "--no-charts",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = v["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["IMAG", "EXPE", "QUAL", "VAL"]);
    // Without LOY the weights move a little: SAT's inner R² is 0.704 here
    // (0.702 with LOY); the Shapley values add up to it.
    let r2 = v["r_squared"].as_f64().unwrap();
    assert!((r2 - 0.7044).abs() < 0.0001, "{r2}");
    let sum: f64 = v["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["shapley"].as_f64().unwrap())
        .sum();
    assert!((sum - r2).abs() < 1e-12);
    // A target that is not a construct: a typed error, exit code 1.
    let o = csikit(&[
        "drivers",
        "--data",
        &data("satisfaction.csv"),
        "--model",
        model.to_str().unwrap(),
        "--target",
        "sat1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a construct of the model"));
}
