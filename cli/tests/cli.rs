//! The `csikit` command end to end: its documents equal the analysis layer's
//! for the same request, JSON keeps the contracts of DESIGN.md §4, exit codes
//! are 0 / 1 / 2, and a closed pipe is no panic.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use csikit::analysis::{self, Observer, PlsRequest};
use csikit::contract;
use serde_json::Value;

fn csikit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csikit"))
        .args(args)
        .output()
        .expect("the csikit binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn json(args: &[&str]) -> Value {
    let o = csikit(args);
    assert!(
        o.status.success(),
        "csikit {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("csikit-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn pls_json_is_the_analysis_document() {
    let (data, model, _) = analysis::pls::builtin().unwrap();
    let plain = analysis::pls::run(&data, &model, &PlsRequest::default(), &Observer::silent())
        .unwrap()
        .to_json();
    assert_eq!(stdout(&csikit(&["pls", "--json"])), plain + "\n");

    // Every flag reaches the request: the same settings given as JSON.
    let request: PlsRequest = serde_json::from_str(
        r#"{"settings": {"scheme": "factorial"}, "bootstrap": 60, "seed": 3, "confidence": 0.9,
            "scale": {"min": 1, "max": 10}, "ipma": "Satisfaction", "predict": 5,
            "q2": true, "groups": "region", "permutations": 19}"#,
    )
    .unwrap();
    let doc = analysis::pls::run(&data, &model, &request, &Observer::silent()).unwrap();
    let out = csikit(&[
        "pls",
        "--json",
        "--scheme",
        "factorial",
        "--bootstrap",
        "60",
        "--seed",
        "3",
        "--confidence",
        "0.9",
        "--scale",
        "1:10",
        "--ipma",
        "Satisfaction",
        "--predict",
        "5",
        "--q2",
        "--groups",
        "region",
        "--permutations",
        "19",
    ]);
    assert_eq!(stdout(&out), doc.to_json() + "\n");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for spec in [
        contract::PLS,
        contract::PLS_IPMA,
        contract::PLS_BOOTSTRAP,
        contract::PLS_PREDICT,
        contract::PLS_GROUPS,
    ] {
        assert_eq!(contract::missing_keys(&v, spec), Vec::<String>::new());
    }
    assert_eq!(v["scheme"], "factorial");
    assert_eq!(v["bootstrap"]["resamples"], 60);
    assert_eq!(v["groups"]["permutations"], 19);
}

#[test]
fn pls_text_report_on_files() {
    let dir = scratch("pls-files");
    std::fs::create_dir_all(&dir).unwrap();
    let (data, model, _) = analysis::pls::builtin().unwrap();
    let csv = dir.join("survey.csv");
    data.write_csv(std::fs::File::create(&csv).unwrap())
        .unwrap();
    let model_file = dir.join("model.txt");
    std::fs::write(&model_file, model.to_syntax()).unwrap();
    let out = csikit(&[
        "pls",
        "--data",
        csv.to_str().unwrap(),
        "--model",
        model_file.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = stdout(&out);
    // The built-in line only for the built-in data; for a file, a line on
    // how it was read; the same estimates from the file.
    assert!(!text.contains("Built-in example"));
    let (data_line, text) = text.split_once('\n').unwrap();
    assert!(
        data_line.starts_with(&format!(
            "Read: {}, 250 rows (CSV, UTF-8 detected",
            csv.display()
        )),
        "{data_line}"
    );
    let builtin = stdout(&csikit(&["pls"]));
    assert!(builtin.starts_with("Built-in example"));
    let body = builtin.split_once("\n\n").unwrap().1;
    assert_eq!(text, body);
}

#[test]
fn exit_codes() {
    // Usage errors: 2, with clap's message naming the flag.
    let o = csikit(&["pls", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--bogus"));
    assert_eq!(csikit(&["pls", "--data", "x.csv"]).status.code(), Some(2));
    assert_eq!(csikit(&["acsi", "--lag", "0"]).status.code(), Some(2));
    assert_eq!(csikit(&["pls", "--scheme", "nope"]).status.code(), Some(2));
    assert_eq!(csikit(&[]).status.code(), Some(2));
    // Data and model errors: 1, with the library's message.
    let o = csikit(&["pls", "--data", "/no/such.csv", "--model", "/no/model.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: cannot read `/no/such.csv`"));
    let o = csikit(&["pls", "--ipma", "Satisfaction"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--scale"));
    // Help: 0, on stdout, generated from the flag definitions.
    for sub in ["pls", "acsi", "servqual", "kano", "monitor"] {
        let o = csikit(&[sub, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{sub} --help");
        assert!(stdout(&o).contains("--json"), "{sub} --help lists --json");
    }
}

#[test]
fn closed_pipe_is_not_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_csikit"))
        .args(["pls", "--q2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn every_command_keeps_its_contract() {
    let dir = scratch("contracts");
    let kano = json(&["kano", "--json", "--out", dir.join("k").to_str().unwrap()]);
    assert_eq!(
        contract::missing_keys(&kano, contract::KANO),
        Vec::<String>::new()
    );
    assert!(kano["features"].as_array().unwrap().len() >= 3);
    let sq = json(&[
        "servqual",
        "--json",
        "--out",
        dir.join("s").to_str().unwrap(),
    ]);
    assert_eq!(
        contract::missing_keys(&sq, contract::SERVQUAL),
        Vec::<String>::new()
    );
    assert_eq!(sq["items"].as_array().unwrap().len(), 22);
    let mon = json(&[
        "monitor",
        "--json",
        "--out",
        dir.join("m").to_str().unwrap(),
    ]);
    assert_eq!(
        contract::missing_keys(&mon, contract::MONITOR),
        Vec::<String>::new()
    );
    let out = dir.join("acsi");
    let acsi = json(&[
        "acsi",
        "--json",
        "--respondents",
        "1200",
        "--months",
        "4",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        contract::missing_keys(&acsi, contract::ACSI),
        Vec::<String>::new()
    );
    assert!(out.join("report.html").is_file() && out.join("report.md").is_file());
    // The built-in report analyses four segment columns and the months in order.
    assert_eq!(acsi["segments"].as_array().unwrap().len(), 4);
    let periods = &acsi["periods"];
    let labels: Vec<&Value> = periods["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["label"])
        .collect();
    assert_eq!(labels.len(), 4);
    // The overall index in the JSON is the one the library computes.
    let survey = analysis::BuiltinSurvey {
        respondents: 1200,
        months: 4,
        seed: 2026,
    };
    let (data, model, desc) = survey.simulate().unwrap();
    let request = survey.complete(&analysis::AcsiRequest::default());
    let doc = analysis::acsi::run(&data, &model, &desc, &request, &Observer::silent()).unwrap();
    let expected: Value = serde_json::from_str(&doc.to_json()).unwrap();
    assert_eq!(acsi, expected);
}

#[test]
fn charts_of_two_labels_never_share_a_file() {
    // Two segment labels that sanitize alike get two chart files.
    let dir = scratch("kano-labels");
    std::fs::create_dir_all(&dir).unwrap();
    let (mut data, _) = analysis::kano::builtin(120, 5).unwrap();
    let labels: Vec<String> = (0..data.n_rows())
        .map(|i| {
            if i % 2 == 0 {
                "华东/上海"
            } else {
                "华东_上海"
            }
            .to_string()
        })
        .collect();
    data.set_text("area", labels).unwrap();
    let csv = dir.join("kano.csv");
    data.write_csv(std::fs::File::create(&csv).unwrap())
        .unwrap();
    let out = dir.join("charts");
    let o = csikit(&[
        "kano",
        "--data",
        csv.to_str().unwrap(),
        "--segment",
        "area",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter(|f| {
            f.as_ref()
                .is_ok_and(|f| f.path().extension().is_some_and(|e| e == "svg"))
        })
        .collect();
    // Overall + two segments, two charts each (next to report.md and report.html).
    assert_eq!(files.len(), 6, "{files:?}");
}

/// The built-in survey as cells: header, then rows; answers halved (so that
/// they have decimals) and region labels in Chinese.
fn survey_cells() -> Vec<Vec<String>> {
    let (data, _, _) = analysis::pls::builtin().unwrap();
    let mut csv = Vec::new();
    data.write_csv(&mut csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            line.split(',')
                .map(|c| match (i, c.parse::<f64>()) {
                    (0, _) => c.to_string(),
                    (_, Ok(x)) => format!("{}", x / 2.0),
                    (_, Err(_)) => match c {
                        "north" => "华北".into(),
                        "south" => "华南".into(),
                        "east" => "华东".into(),
                        "west" => "西部".into(),
                        other => other.into(),
                    },
                })
                .collect()
        })
        .collect()
}

fn join(cells: &[Vec<String>], sep: &str, decimal_comma: bool) -> String {
    let mut out = String::new();
    for row in cells {
        let row: Vec<String> = row
            .iter()
            .map(|c| {
                if decimal_comma && c.parse::<f64>().is_ok() {
                    c.replace('.', ",")
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&row.join(sep));
        out.push_str("\r\n");
    }
    out
}

#[test]
fn every_file_form_gives_the_clean_csvs_json() {
    let dir = scratch("file-forms");
    std::fs::create_dir_all(&dir).unwrap();
    let (_, model, _) = analysis::pls::builtin().unwrap();
    let model_file = dir.join("model.txt");
    std::fs::write(&model_file, model.to_syntax()).unwrap();
    let cells = survey_cells();
    let width = cells[0].len();
    let clean = dir.join("clean.csv");
    std::fs::write(&clean, join(&cells, ",", false)).unwrap();
    // Excel's "CSV" on Chinese Windows: GBK, with two trailing empty rows.
    let gbk = dir.join("gbk.csv");
    let text = join(&cells, ",", false) + &format!("{}\r\n", ",".repeat(width - 1)).repeat(2);
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable && std::str::from_utf8(&bytes).is_err());
    std::fs::write(&gbk, &bytes).unwrap();
    // European Excel: `;` and decimal commas, UTF-8 with a byte-order mark.
    let euro = dir.join("euro.csv");
    std::fs::write(&euro, format!("\u{feff}{}", join(&cells, ";", true))).unwrap();
    // Tab-separated text.
    let tabs = dir.join("survey.txt");
    std::fs::write(&tabs, join(&cells, "\t", false)).unwrap();
    // A workbook: numbers as numbers, the data on a second sheet.
    let xlsx = dir.join("survey.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Read me").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("数据").unwrap();
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(x) if r > 0 => sheet.write_number(r, c, x).map(|_| ()),
                _ => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    book.save(&xlsx).unwrap();

    let m = model_file.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "pls",
            "--json",
            "--model",
            m,
            "--groups",
            "region",
            "--permutations",
            "19",
        ];
        args.extend_from_slice(extra);
        let mut v = json(&args);
        let input = v
            .as_object_mut()
            .unwrap()
            .remove("input")
            .expect("input key");
        // The audit differs only by the empty rows the reader skipped.
        let skipped = v["data"]["empty_rows_skipped"].take();
        assert_eq!(skipped, input["empty_rows"]);
        (v, input)
    };
    let (want, input) = run(&["--data", clean.to_str().unwrap()]);
    assert_eq!(input["encoding"], "UTF-8");
    // The groups are the Chinese labels, read the same from every file.
    let levels: Vec<&str> = want["groups"]["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(levels.contains(&"华东"), "{levels:?}");
    for (args, format, encoding, delimiter, empty) in [
        (
            vec!["--data", gbk.to_str().unwrap()],
            "csv",
            "GB18030",
            ",",
            2,
        ),
        (
            vec![
                "--data",
                gbk.to_str().unwrap(),
                "--encoding",
                "gbk",
                "--delimiter",
                ",",
            ],
            "csv",
            "GB18030",
            ",",
            2,
        ),
        (
            vec!["--data", euro.to_str().unwrap(), "--decimal-comma"],
            "csv",
            "UTF-8",
            ";",
            0,
        ),
        (
            vec!["--data", tabs.to_str().unwrap()],
            "csv",
            "UTF-8",
            "tab",
            0,
        ),
        (
            vec!["--data", xlsx.to_str().unwrap(), "--sheet", "数据"],
            "xlsx",
            "",
            "",
            0,
        ),
    ] {
        let (got, input) = run(&args);
        assert_eq!(got, want, "{args:?}");
        assert_eq!(input["format"], format, "{args:?}");
        assert_eq!(
            input["encoding"].as_str().unwrap_or(""),
            encoding,
            "{args:?}"
        );
        assert_eq!(
            input["delimiter"].as_str().unwrap_or(""),
            delimiter,
            "{args:?}"
        );
        assert_eq!(input["empty_rows"], empty, "{args:?}");
        assert_eq!(input["rows"], 250, "{args:?}");
    }
    // Mistakes: a decimal comma on a comma file and a missing sheet are data
    // errors (1); an unknown encoding is a usage error (2).
    let o = csikit(&[
        "pls",
        "--model",
        m,
        "--data",
        clean.to_str().unwrap(),
        "--decimal-comma",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("decimal comma"));
    let o = csikit(&[
        "pls",
        "--model",
        m,
        "--data",
        xlsx.to_str().unwrap(),
        "--sheet",
        "Data",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("its sheets are `Read me`, `数据`"));
    let o = csikit(&[
        "pls",
        "--model",
        m,
        "--data",
        clean.to_str().unwrap(),
        "--encoding",
        "latin1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    // Every data-reading subcommand takes the input flags.
    for sub in ["pls", "acsi", "servqual", "kano", "monitor"] {
        let help = stdout(&csikit(&[sub, "--help"]));
        for flag in [
            "--na",
            "--encoding",
            "--delimiter",
            "--decimal-comma",
            "--sheet",
        ] {
            assert!(help.contains(flag), "{sub} --help lacks {flag}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The estimation options of issue 18 from the command line: each flag
/// reaches the request (same document as the analysis layer), the default
/// document has none of the new keys, and `--scores` writes the scores with
/// the row number and the respondent id.
#[test]
fn pls_estimation_options_reach_the_request() {
    let (data, model, _) = analysis::pls::builtin().unwrap();
    let default = json(&["pls", "--json"]);
    for key in ["weighting", "specific_indirect"] {
        assert!(default.get(key).is_none(), "{key} in the default document");
    }
    let request: PlsRequest = serde_json::from_str(
        r#"{"settings": {"stop_rule": "plspm", "tolerance": 1e-6, "scaling": "centered",
            "consistent": true, "composites": ["Image"]},
            "specific_indirect": true, "bootstrap": 40}"#,
    )
    .unwrap();
    let doc = analysis::pls::run(&data, &model, &request, &Observer::silent()).unwrap();
    let out = json(&[
        "pls",
        "--json",
        "--stop-rule",
        "plspm",
        "--tol",
        "1e-6",
        "--scaling",
        "centred",
        "--consistent",
        "--composites",
        "Image",
        "--specific-indirect",
        "--bootstrap",
        "40",
    ]);
    let expected: Value = serde_json::from_str(&doc.to_json()).unwrap();
    assert_eq!(out, expected);
    let chains = out["specific_indirect"].as_array().unwrap();
    assert!(!chains.is_empty());
    assert_eq!(
        chains.len(),
        out["bootstrap"]["specific_indirect_effects"]
            .as_array()
            .unwrap()
            .len()
    );
    let corrected = out["consistent"]["corrected"].as_array().unwrap();
    assert!(!corrected.iter().any(|c| c == "Image"));

    let unit = json(&["pls", "--json", "--weighting", "unit"]);
    assert_eq!(unit["weighting"], "unit");
    assert_eq!(unit["iterations"], 0);

    // Scores: header row, id column when the data have one, one line per row used.
    let dir = scratch("scores");
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("data.csv");
    std::fs::write(
        &csv,
        "ID,x1,x2,y1,y2\nr1,1,2,2,1\nr2,2,2,3,3\nr3,3,4,3,4\nr4,,5,4,4\nr5,5,4,5,6\nr6,4,3,4,3\n",
    )
    .unwrap();
    let model_file = dir.join("model.txt");
    std::fs::write(&model_file, "X =~ x1 + x2\nY =~ y1 + y2\nY ~ X\n").unwrap();
    let scores = dir.join("scores.csv");
    let o = csikit(&[
        "pls",
        "--data",
        csv.to_str().unwrap(),
        "--model",
        model_file.to_str().unwrap(),
        "--scores",
        scores.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&scores).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "row,ID,X,Y");
    assert_eq!(lines.len(), 6, "5 complete rows: {text}");
    assert!(lines[1].starts_with("1,r1,"));
    assert!(
        lines[4].starts_with("5,r5,"),
        "row 4 (missing x1) is skipped: {text}"
    );
    let x: Vec<f64> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    let mean = x.iter().sum::<f64>() / 5.0;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 4.0;
    assert!(mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-12);
    // An unknown composite is an error (exit 1) naming the setting.
    let o = csikit(&["pls", "--consistent", "--composites", "Imgae"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("composites"));
    let _ = std::fs::remove_dir_all(&dir);
}
