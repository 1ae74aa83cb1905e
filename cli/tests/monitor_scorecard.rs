//! `csikit monitor --touchpoints`: the `scorecard` key of the monitor JSON
//! is the `csikit scorecard --json` document of the same file and flags;
//! without `--touchpoints` the key is absent; the report has the section.

use std::path::{Path, PathBuf};
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
        "csikit-monitor-scorecard-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// app: 2025年10月 (10, 9, 3, 99 = missing code), 2025年9月 (9, 6, 6);
/// hall: 2025年9月 (8) — below --min-n 3.
fn survey(dir: &Path) -> PathBuf {
    let path = dir.join("touchpoints.csv");
    std::fs::write(
        &path,
        "channel,month,score\napp,2025年10月,10\napp,2025年10月,9\napp,2025年10月,3\napp,2025年10月,99\n\
         app,2025年9月,9\napp,2025年9月,6\napp,2025年9月,6\nhall,2025年9月,8\n",
    )
    .unwrap();
    path
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_monitor_scorecard_is_the_scorecard_command_document() {
    let dir = scratch("json");
    let data = survey(&dir);
    let data = data.to_str().unwrap();
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let flags = [
        "--by", "channel", "--scale", "0:10", "--min-n", "3", "--na", "99",
    ];
    let mut args = vec!["monitor", "--touchpoints", data, "--score", "score"];
    args.extend(["--touchpoint-period", "month", "--json", "--out", out]);
    args.extend(flags);
    let monitor = json(&csikit(&args));
    let mut args = vec!["scorecard", "--data", data, "--score", "score"];
    args.extend(["--period", "month", "--json", "--out", out]);
    args.extend(flags);
    let alone = json(&csikit(&args));
    assert_eq!(monitor["scorecard"], alone);
    // Hand-computed: app 2025-10 has 3 answers (99 is missing), 2 of them 9-10.
    let g = &alone["groups"].as_array().unwrap()[1];
    assert_eq!(g["n"], 3);
    assert!((g["top_box"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(alone["skipped"].as_array().unwrap().len(), 1);
    // The rest of the document is the default monitor document.
    let plain = json(&csikit(&["monitor", "--json", "--out", out]));
    assert!(plain.get("scorecard").is_none());
    let mut rest = monitor;
    rest.as_object_mut().unwrap().remove("scorecard");
    assert_eq!(rest, plain);
}

#[test]
fn the_report_has_the_section_in_both_languages() {
    let dir = scratch("report");
    let data = survey(&dir);
    for (lang, heading) in [("en", "Touchpoint scorecard"), ("zh", "触点即评记分卡")] {
        let out = dir.join(lang);
        let o = csikit(&[
            "monitor",
            "--touchpoints",
            data.to_str().unwrap(),
            "--score",
            "score",
            "--by",
            "channel",
            "--scale",
            "0:10",
            "--min-n",
            "3",
            "--na",
            "99",
            "--lang",
            lang,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let md = std::fs::read_to_string(out.join("report.md")).unwrap();
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(md.contains(heading), "{lang}");
        assert!(html.contains(heading), "{lang}");
        assert!(
            md.contains("scorecard_score"),
            "{lang}: the chart is linked"
        );
    }
    // --touchpoints without --score is refused by the parser (exit 2).
    let o = csikit(&["monitor", "--touchpoints", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    // The scorecard's options without a touchpoint survey are refused, not ignored.
    let o = csikit(&["monitor", "--by", "channel", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--touchpoints"));
}
