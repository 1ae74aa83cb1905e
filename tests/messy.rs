//! A messy analyst export — GBK encoding, Chinese headers, a respondent id,
//! blank answers, 98/99 "don't know" codes, Chinese month labels, trailing
//! empty rows — read with its codebook gives the numbers of the cleaned
//! file, and the documents say what was skipped and recoded.

use csikit::analysis::{self, AcsiRequest, Observer, PlsRequest};
use csikit::csi::Scale;
use csikit::{Codebook, Dataset, ReadOptions, SurveySimulator};
use serde_json::Value;

/// The simulated survey (800 respondents, 6 months) as two CSV texts: the
/// messy export and the cleaned file, plus the codebook.
fn files() -> (Vec<u8>, String, Codebook) {
    let data = SurveySimulator::new(800)
        .seed(31)
        .months(6)
        .simulate()
        .unwrap();
    let model = SurveySimulator::model();
    let items: Vec<String> = model.indicators().map(String::from).collect();
    let regions = data.labels("region").unwrap();
    let months = data.numeric("month").unwrap();
    let mut header = vec!["受访者编号".to_string(), "地区".into(), "月份".into()];
    header.extend(items.iter().cloned());
    let mut messy = vec![header.join(",")];
    let mut clean = vec![header.join(",")];
    for r in 0..data.n_rows() {
        let month = format!("2025年{}月", months[r] as usize);
        let region = format!("区域{}", regions[r].as_deref().unwrap_or(""));
        let mut m = vec![format!("R{:05}", r + 1), region.clone(), month.clone()];
        let mut c = m.clone();
        for (j, item) in items.iter().enumerate() {
            let x = data.numeric(item).unwrap()[r];
            // A blank answer, a 98 or a 99 in a few cells (the same cells blank in the clean file).
            let k = (r * 31 + j * 7) % 100;
            let (mc, cc) = match k {
                0..=2 => (String::new(), String::new()),
                3 => ("98".into(), String::new()),
                4 => ("99".into(), String::new()),
                _ => (format!("{x}"), format!("{x}")),
            };
            m.push(mc);
            c.push(cc);
        }
        messy.push(m.join(","));
        clean.push(c.join(","));
    }
    // Excel's trailing empty rows.
    for _ in 0..3 {
        messy.push(",".repeat(header_len(&items) - 1));
    }
    let messy_text = messy.join("\r\n") + "\r\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(&messy_text);
    assert!(!bad);
    let mut cb = String::from("item,label,min,max,missing,reverse,label_en\n");
    for item in &items {
        cb.push_str(&format!("{item},题目{item},1,10,98;99,,Item {item}\n"));
    }
    (
        gbk.into_owned(),
        clean.join("\n") + "\n",
        Codebook::parse_csv(&cb).unwrap(),
    )
}

fn header_len(items: &[String]) -> usize {
    items.len() + 3
}

fn read(bytes: &[u8], name: &str) -> Dataset {
    let dir = std::env::temp_dir().join(format!("csikit-messy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    Dataset::read(&path, &ReadOptions::default()).unwrap()
}

/// The document without the keys that describe the input (they differ by design).
fn numbers(json: &str) -> Value {
    let mut v: Value = serde_json::from_str(json).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("data");
    o.remove("input");
    o.remove("data_description");
    v
}

#[test]
fn messy_export_with_codebook_equals_the_clean_file() {
    let (gbk, clean_text, codebook) = files();
    let messy = read(&gbk, "messy.csv");
    let clean = read(clean_text.as_bytes(), "clean.csv");
    let src = messy.source().unwrap();
    assert_eq!(src.encoding.as_deref(), Some("GB18030"));
    assert_eq!((src.rows, src.empty_rows), (800, 3));
    let model = SurveySimulator::model();

    // PLS with the index: the same numbers; the audit counts the recoding.
    let with_cb = PlsRequest {
        codebook: Some(codebook.clone()),
        scale: Some(Scale::new(1.0, 10.0)),
        ipma: Some("Satisfaction".into()),
        ..Default::default()
    };
    let plain = PlsRequest {
        codebook: None,
        ..with_cb.clone()
    };
    let a = analysis::pls::run(&messy, &model, &with_cb, &Observer::silent()).unwrap();
    let b = analysis::pls::run(&clean, &model, &plain, &Observer::silent()).unwrap();
    assert_eq!(numbers(&a.to_json()), numbers(&b.to_json()));
    let recoded = a.audit.recoding.as_ref().unwrap();
    assert!(recoded.missing_cells > 300, "{}", recoded.missing_cells);
    assert_eq!(a.audit.empty_rows_skipped, 3);
    assert_eq!(a.audit.rows_read, 800);
    assert_eq!(a.audit.rows_used, b.audit.rows_used);
    assert!(a.audit.rows_used < 800);
    // Without the codebook a declared scale refuses the 98s …
    let no_cb = PlsRequest {
        codebook: None,
        ..with_cb.clone()
    };
    assert!(matches!(
        analysis::pls::run(&messy, &model, &no_cb, &Observer::silent()),
        Err(csikit::Error::OutOfScale { value, .. }) if value == 98.0 || value == 99.0
    ));

    // The CSI report per region and per Chinese month, mean replacement.
    let request = AcsiRequest {
        segments: vec!["地区".into()],
        period: Some("月份".into()),
        lag: None,
        codebook: Some(codebook),
        scale: Some(Scale::new(1.0, 10.0)),
        settings: csikit::PlsSettings {
            missing: csikit::MissingPolicy::Mean,
            ..Default::default()
        },
        ..Default::default()
    };
    let csi_model = SurveySimulator::csi_model();
    let a =
        analysis::acsi::run(&messy, &csi_model, "messy", &request, &Observer::silent()).unwrap();
    let plain = AcsiRequest {
        codebook: None,
        ..request.clone()
    };
    let b = analysis::acsi::run(&clean, &csi_model, "clean", &plain, &Observer::silent()).unwrap();
    let (ja, jb) = (numbers(&a.to_json()), numbers(&b.to_json()));
    assert_eq!(ja, jb);
    // Months in calendar order, however they were spelled.
    let labels: Vec<&str> = ja["periods"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"
        ]
    );
    let audit = a.report.audit.as_ref().unwrap();
    assert!(audit.imputed_cells > 0);
    assert_eq!(audit.empty_rows_skipped, 3);
    // The report says it at the top.
    let md = a.report.to_markdown();
    assert!(
        md.contains("Empty rows skipped (not respondents): 3"),
        "{}",
        &md[..800]
    );
    assert!(md.contains("Missing codes recoded as missing"));
}

#[test]
fn monitor_never_counts_99_as_satisfied() {
    let (mut input, _) = analysis::MonitorInput::builtin().unwrap();
    let survey = input.survey.as_mut().unwrap();
    let mut sat = survey.numeric("satisfaction").unwrap().to_vec();
    let clean_sat = sat.clone();
    for x in sat.iter_mut().step_by(5) {
        *x = 99.0;
    }
    survey.set_numeric("satisfaction", sat.clone()).unwrap();
    let request = analysis::MonitorRequest::default();
    // Without a codebook: a clear error naming the column and the 99.
    match analysis::monitor::run(&input, &request, &Observer::silent()) {
        Err(csikit::Error::OutOfScale { column, value, .. }) => {
            assert_eq!((column.as_str(), value), ("satisfaction", 99.0));
        }
        other => panic!("{other:?}"),
    }
    // With it: the 99s are missing; the satisfied share is that of the
    // answers given (here: the clean data with those cells blank).
    let cb = Codebook::parse_csv("item,min,max,missing\nsatisfaction,1,10,99\n").unwrap();
    let with_cb = analysis::MonitorRequest {
        codebook: Some(cb),
        ..Default::default()
    };
    let a = analysis::monitor::run(&input, &with_cb, &Observer::silent()).unwrap();
    let blanked: Vec<f64> = clean_sat
        .iter()
        .enumerate()
        .map(|(i, &x)| if i % 5 == 0 { f64::NAN } else { x })
        .collect();
    input
        .survey
        .as_mut()
        .unwrap()
        .set_numeric("satisfaction", blanked)
        .unwrap();
    let b = analysis::monitor::run(&input, &request, &Observer::silent()).unwrap();
    assert_eq!(numbers(&a.to_json()), numbers(&b.to_json()));
    let audit = a.data.as_ref().unwrap();
    assert_eq!(
        audit.recoding.as_ref().unwrap().missing_cells,
        sat.iter().filter(|&&x| x == 99.0).count()
    );
}

/// Writes `code` into every 17th cell of the listed columns of a copy, and
/// blanks the same cells in another copy.
fn coded_and_blank(data: &Dataset, columns: &[String], code: f64) -> (Dataset, Dataset) {
    let (mut coded, mut blank) = (data.clone(), data.clone());
    for (j, c) in columns.iter().enumerate() {
        let v = data.numeric(c).unwrap().to_vec();
        let (mut a, mut b) = (v.clone(), v);
        for r in (j % 17..a.len()).step_by(17) {
            a[r] = code;
            b[r] = f64::NAN;
        }
        coded.set_numeric(c, a).unwrap();
        blank.set_numeric(c, b).unwrap();
    }
    (coded, blank)
}

#[test]
fn servqual_and_kano_codes_with_codebook_equal_the_blanked_file() {
    // SERVQUAL: 99 "don't know" in perceptions and expectations.
    let (data, _) = analysis::servqual::builtin(4).unwrap();
    let items: Vec<String> = (1..=22)
        .flat_map(|i| [format!("P{i}"), format!("E{i}")])
        .collect();
    let (coded, blank) = coded_and_blank(&data, &items, 99.0);
    let mut cb = String::from("item,min,max,missing\n");
    for i in &items {
        cb.push_str(&format!("{i},1,7,99\n"));
    }
    let with_cb = analysis::ServqualRequest {
        codebook: Some(Codebook::parse_csv(&cb).unwrap()),
        ..Default::default()
    };
    let a = analysis::servqual::run(&coded, &with_cb, &Observer::silent()).unwrap();
    let b = analysis::servqual::run(&blank, &Default::default(), &Observer::silent()).unwrap();
    assert_eq!(numbers(&a.to_json()), numbers(&b.to_json()));
    assert!(a.data.recoding.as_ref().unwrap().missing_cells > 400);
    // Without the codebook the 99s are refused (outside the 1-7 scale).
    assert!(analysis::servqual::run(&coded, &Default::default(), &Observer::silent()).is_err());

    // KANO: 9 ("no answer") in the functional and dysfunctional columns.
    let (data, _) = analysis::kano::builtin(300, 8).unwrap();
    let cols: Vec<String> = data
        .names()
        .iter()
        .filter(|n| n.ends_with("_f") || n.ends_with("_d"))
        .cloned()
        .collect();
    let (coded, blank) = coded_and_blank(&data, &cols, 9.0);
    let mut cb = String::from("item,min,max,missing\n");
    for c in &cols {
        cb.push_str(&format!("{c},1,5,9\n"));
    }
    let with_cb = analysis::KanoRequest {
        codebook: Some(Codebook::parse_csv(&cb).unwrap()),
        ..Default::default()
    };
    let a = analysis::kano::run(&coded, &with_cb, &Observer::silent()).unwrap();
    let b = analysis::kano::run(&blank, &Default::default(), &Observer::silent()).unwrap();
    assert_eq!(numbers(&a.to_json()), numbers(&b.to_json()));
    assert!(a.data.recoding.as_ref().unwrap().missing_cells > 200);
}

#[test]
fn acsi_without_a_declared_scale_uses_observed_ranges_and_says_so() {
    // A 5-point survey: 1-10 assumed would give an index near 31; the
    // observed range 1-5 gives the right one, and the audit says it was inferred.
    let data = SurveySimulator::new(600)
        .seed(5)
        .months(2)
        .simulate()
        .unwrap();
    let model = SurveySimulator::csi_model();
    let mut five = data.clone();
    for item in model.model().indicators() {
        let v: Vec<f64> = data
            .numeric(item)
            .unwrap()
            .iter()
            .map(|x| ((x - 1.0) / 9.0 * 4.0 + 1.0).round())
            .collect();
        five.set_numeric(item, v).unwrap();
    }
    let doc = analysis::acsi::run(
        &five,
        &model,
        "5-point",
        &AcsiRequest::default(),
        &Observer::silent(),
    )
    .unwrap();
    let audit = doc.report.audit.as_ref().unwrap();
    assert_eq!(audit.scale_source.as_deref(), Some("observed"));
    assert!(
        audit
            .warnings
            .iter()
            .any(|w| w.contains("no answer scale declared"))
    );
    let sat = doc.report.fit.index("Satisfaction").unwrap();
    let declared = AcsiRequest {
        scale: Some(Scale::new(1.0, 5.0)),
        ..Default::default()
    };
    let d = analysis::acsi::run(&five, &model, "5-point", &declared, &Observer::silent()).unwrap();
    // Every item uses its whole 1-5 range here, so observed = declared.
    assert_eq!(d.report.fit.index("Satisfaction").unwrap(), sat);
    assert!(sat > 50.0, "{sat}");
    let wrong = AcsiRequest {
        scale: Some(Scale::new(1.0, 10.0)),
        ..Default::default()
    };
    let w = analysis::acsi::run(&five, &model, "5-point", &wrong, &Observer::silent()).unwrap();
    assert!(w.report.fit.index("Satisfaction").unwrap() < 40.0);
}
