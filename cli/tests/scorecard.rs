//! `csikit scorecard` end to end: JSON keys of DESIGN.md §4, chronological
//! periods, declared missing codes, the min-n guard and exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn csikit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csikit"))
        .args(args)
        .output()
        .expect("the csikit binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "csikit-scorecard-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// app: 2025年10月 (10, 9, 3, 99 = missing code), 2025年9月 (9, 6, 6);
/// hall: 2025年9月 (8) — below --min-n 3.
fn survey(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("survey.csv");
    std::fs::write(
        &path,
        "channel,month,score\napp,2025年10月,10\napp,2025年10月,9\napp,2025年10月,3\napp,2025年10月,99\n\
         app,2025年9月,9\napp,2025年9月,6\napp,2025年9月,6\nhall,2025年9月,8\n",
    )
    .unwrap();
    path
}

/// The flags both tests share.
fn base_args(data: &std::path::Path) -> Vec<&str> {
    vec![
        "scorecard",
        "--data",
        data.to_str().unwrap(),
        "--score",
        "score",
        "--by",
        "channel",
        "--period",
        "month",
        "--scale",
        "0:10",
        "--min-n",
        "3",
    ]
}

#[test]
fn json_follows_the_contract_with_periods_in_calendar_order() {
    let dir = scratch("json");
    let data = survey(&dir);
    let out = dir.join("charts");
    let mut args = base_args(&data);
    args.extend(["--na", "99", "--json", "--out", out.to_str().unwrap()]);
    let o = csikit(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        csikit::contract::missing_keys(&doc, csikit::contract::SCORECARD).is_empty(),
        "{doc}"
    );
    let groups = doc["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["period"], "2025-09");
    assert_eq!(groups[1]["period"], "2025-10");
    assert_eq!(groups[1]["by"]["channel"], "app");
    assert_eq!(groups[1]["n"], 3);
    // 2025-10: 2 promoters, 1 detractor of 3 → NPS 33.3; 2025-09: 1 and 2 → −33.3.
    let nps = groups[1]["nps"].as_f64().unwrap();
    assert!((nps - 100.0 / 3.0).abs() < 1e-9, "{nps}");
    assert!((groups[0]["nps"].as_f64().unwrap() + 100.0 / 3.0).abs() < 1e-9);
    let change = groups[1]["previous"]["nps"]["change"].as_f64().unwrap();
    assert!((change - 200.0 / 3.0).abs() < 1e-9);
    for key in [
        "mean",
        "top_box",
        "bottom_box",
        "nps_ci_lower",
        "nps_ci_upper",
    ] {
        assert!(groups[0].get(key).is_some(), "{key}");
    }
    assert_eq!(doc["skipped"][0]["by"]["channel"], "hall");
    assert_eq!(doc["skipped_answers"], 1);
    assert!(out.join("scorecard_score.svg").exists());
}

#[test]
fn undeclared_missing_codes_are_an_error_and_chinese_text_is_shown() {
    let dir = scratch("text");
    let data = survey(&dir);
    let mut base = base_args(&data);
    base.push("--no-charts");
    let o = csikit(&base);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("99"));
    let mut args = base.to_vec();
    args.extend(["--na", "99", "--lang", "zh"]);
    let o = csikit(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("满意率") && text.contains("净推荐值"),
        "{text}"
    );
    assert!(text.contains("hall · 2025-09 (n = 1)"), "{text}");
    let o = csikit(&["scorecard", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}
