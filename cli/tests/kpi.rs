//! `csikit monitor --kpis --targets --kpi-data` end to end: the JSON gains
//! `custom_kpis` with the hand-computed values of `tests/data/kpi`, a bad
//! targets file exits 1 with the catalog's message, and without the flags
//! the JSON has no new key.

use std::process::{Command, Output};

use serde_json::Value;

fn csikit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csikit"))
        .args(args)
        .output()
        .expect("the csikit binary runs")
}

fn fixture(name: &str) -> String {
    format!("{}/../tests/data/kpi/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn out_dir(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("csikit-kpi-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.display().to_string()
}

#[test]
fn monitor_with_kpis_and_targets() {
    let dir = out_dir("ok");
    let (kpis, targets, ops) = (
        fixture("kpis.csv"),
        fixture("targets.csv"),
        fixture("ops.csv"),
    );
    let o = csikit(&[
        "monitor",
        "--kpis",
        &kpis,
        "--targets",
        &targets,
        "--kpi-data",
        &ops,
        "--json",
        "--out",
        &dir,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = &doc["custom_kpis"];
    // Periods in time order although the file writes 2025年10月 before 2025年9月.
    assert_eq!(
        c["periods"],
        serde_json::json!(["2024-10", "2025-09", "2025-10"])
    );
    let total = c["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["unit"].is_null() && v["period"] == "2025-10")
        .unwrap();
    // 10 000 · 7 / 30 000.
    assert!((total["value"].as_f64().unwrap() - 7.0 / 3.0).abs() < 1e-12);
    assert_eq!(total["met"], true);
    assert_eq!(c["skipped"][0]["missing_period"], 1);
    assert_eq!(c["skipped"][0]["missing_value"], 1);
    // The Chinese report has the section and the attainment chart.
    let zh = csikit(&[
        "monitor",
        "--kpis",
        &kpis,
        "--targets",
        &targets,
        "--kpi-data",
        &ops,
        "--lang",
        "zh",
        "--out",
        &dir,
    ]);
    assert!(zh.status.success());
    let md = String::from_utf8(zh.stdout).unwrap();
    assert!(md.contains("自定义指标达标情况") && md.contains("达标率") && md.contains("万投比"));
    assert!(
        std::path::Path::new(&dir)
            .join("kpi_attainment.svg")
            .exists()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_targets_file_exits_1_and_the_default_json_is_unchanged() {
    let dir = out_dir("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = format!("{dir}/targets.csv");
    std::fs::write(&bad, "kpi,unit,target,direction\nrate,nort,2,lower\n").unwrap();
    let o = csikit(&[
        "monitor",
        "--kpis",
        &fixture("kpis.csv"),
        "--targets",
        &bad,
        "--kpi-data",
        &fixture("ops.csv"),
        "--out",
        &dir,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "targets row 1: unit `nort` of KPI `rate` is not in the data (did you mean `north`?)"
        ),
        "{err}"
    );
    let o = csikit(&["monitor", "--json", "--out", &dir]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // (serde_json's map: keys in alphabetical order.)
    assert_eq!(
        keys,
        [
            "alerts", "data", "hotspots", "kpis", "links", "period", "watch"
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
