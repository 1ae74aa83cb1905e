//! Helpers shared by the integration tests: reference files, the ECSI model,
//! and tolerant comparisons.

use std::path::PathBuf;

use csikit::{Dataset, Mode, Model};
use serde_json::Value;

pub fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn satisfaction() -> Dataset {
    Dataset::from_csv(data_path("satisfaction.csv")).expect("satisfaction.csv")
}

/// The ECSI model of the reference files, all blocks in `mode`.
pub fn satisfaction_model(mode: Mode) -> Model {
    let blocks: [(&str, &str, usize); 6] = [
        ("IMAG", "imag", 5),
        ("EXPE", "expe", 5),
        ("QUAL", "qual", 5),
        ("VAL", "val", 4),
        ("SAT", "sat", 4),
        ("LOY", "loy", 4),
    ];
    let mut b = Model::builder();
    for (name, prefix, k) in blocks {
        b = b.construct(name, mode, (1..=k).map(|i| format!("{prefix}{i}")));
    }
    b.paths("IMAG", ["EXPE", "SAT", "LOY"])
        .paths("EXPE", ["QUAL", "VAL", "SAT"])
        .paths("QUAL", ["VAL", "SAT"])
        .path("VAL", "SAT")
        .path("SAT", "LOY")
        .build()
        .expect("model")
}

pub fn reference(name: &str) -> Value {
    let text = std::fs::read_to_string(data_path(&format!("reference/{name}.json")))
        .expect("reference file");
    serde_json::from_str(&text).expect("reference json")
}

/// A number from a JSON value (null → NaN).
pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// `{"rows", "cols", "data"}` → value at (row, col).
pub fn mat(v: &Value, row: &str, col: &str) -> f64 {
    let rows: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    let cols: Vec<&str> = v["cols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    let r = rows
        .iter()
        .position(|x| *x == row)
        .unwrap_or_else(|| panic!("row {row}"));
    let c = cols
        .iter()
        .position(|x| *x == col)
        .unwrap_or_else(|| panic!("col {col}"));
    num(&v["data"][r][c])
}

/// `{"rows", "columns": {name: [...]}}` → column as numbers.
pub fn df_col(v: &Value, col: &str) -> Vec<f64> {
    v["columns"][col]
        .as_array()
        .unwrap_or_else(|| panic!("column {col}"))
        .iter()
        .map(num)
        .collect()
}

pub fn df_col_str(v: &Value, col: &str) -> Vec<String> {
    v["columns"][col]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

#[track_caller]
pub fn close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: got {actual:.15e}, expected {expected:.15e} (diff {:.2e} > {tol:.0e})",
        (actual - expected).abs()
    );
}

/// Relative comparison for quantities spanning many orders of magnitude (p-values).
#[track_caller]
pub fn close_rel(actual: f64, expected: f64, rel: f64, what: &str) {
    let scale = expected.abs().max(1e-300);
    assert!(
        (actual - expected).abs() <= rel * scale,
        "{what}: got {actual:.15e}, expected {expected:.15e} (rel diff {:.2e} > {rel:.0e})",
        (actual - expected).abs() / scale
    );
}
