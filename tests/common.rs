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

/// A small three-construct model: X → M → Y and X → Y, all reflective.
pub fn small_model() -> Model {
    Model::from_syntax("X =~ x1 + x2 + x3\nM =~ m1 + m2\nY =~ y1 + y2\nM ~ X\nY ~ X + M")
        .expect("small model")
}

/// `n` rows from the population of [`small_model`]: standardized latent
/// variables with M = a·X + e, Y = c·X + b·M + e (unit variances), loadings
/// 0.8/0.75/0.7, 0.85/0.8, 0.8/0.8, normal errors.
pub fn small_survey(n: usize, seed: u64, a: f64, b: f64, c: f64) -> Dataset {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut normal = move || {
        let u1: f64 = 1.0 - rng.random::<f64>();
        let u2: f64 = rng.random::<f64>();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    };
    let names = ["x1", "x2", "x3", "m1", "m2", "y1", "y2"];
    let loadings = [0.8, 0.75, 0.7, 0.85, 0.8, 0.8, 0.8];
    let block = [0, 0, 0, 1, 1, 2, 2];
    let var_y = c * c + b * b + 2.0 * b * c * a;
    let mut cols: Vec<Vec<f64>> = (0..7).map(|_| Vec::with_capacity(n)).collect();
    for _ in 0..n {
        let x = normal();
        let m = a * x + (1.0 - a * a).sqrt() * normal();
        let y = c * x + b * m + (1.0 - var_y).sqrt() * normal();
        let xi = [x, m, y];
        for i in 0..7 {
            let l: f64 = loadings[i];
            cols[i].push(l * xi[block[i]] + (1.0 - l * l).sqrt() * normal());
        }
    }
    Dataset::from_columns(names.iter().map(|s| s.to_string()).zip(cols).collect()).expect("columns")
}
