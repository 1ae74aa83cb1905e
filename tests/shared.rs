//! Concepts shared by several analyses have one implementation each: the
//! level order of segments (CSI, MGA, SERVQUAL, KANO, monitoring) and the
//! file names of reports.

use std::collections::BTreeSet;

use csikit::csi::{CsiAnalysis, CsiReport, IpmaOptions, Scale};
use csikit::monitor::{ComplaintColumns, Complaints, CustomerCounts, MetricOptions};
use csikit::servqual::{self, Instrument, ServqualOptions};
use csikit::{Construct, Dataset, KanoOptions, MultiGroup, Pls, SurveySimulator, kano};

/// `n` labels cycling through `levels`.
fn cycle(levels: &[&str], n: usize) -> Vec<String> {
    (0..n)
        .map(|i| levels[i % levels.len()].to_string())
        .collect()
}

/// The order every call site gives the levels `levels`.
fn orders(levels: &[&str]) -> Vec<(&'static str, Vec<String>)> {
    let mut out = Vec::new();
    // CSI segments and MGA levels.
    let mut data = SurveySimulator::new(600).seed(4).simulate().unwrap();
    data.set_text("seg", cycle(levels, 600)).unwrap();
    let model = SurveySimulator::csi_model();
    let seg = CsiAnalysis::new(&model, Scale::new(1.0, 10.0))
        .segments(&data, "seg")
        .unwrap();
    out.push(("csi", seg.groups.iter().map(|g| g.label.clone()).collect()));
    let mga = MultiGroup::new("seg")
        .permutations(9)
        .run(&Pls::new(model.model()), &data)
        .unwrap();
    out.push(("mga", mga.levels.clone()));
    // SERVQUAL and KANO segments.
    let mut sq = servqual::simulate(&servqual::Simulation::default()).unwrap();
    sq.set_text("seg", cycle(levels, sq.n_rows())).unwrap();
    let s = servqual::analyze_by(
        &sq,
        "seg",
        &Instrument::standard(),
        &ServqualOptions::default(),
    )
    .unwrap();
    out.push((
        "servqual",
        s.segments.iter().map(|g| g.label.clone()).collect(),
    ));
    let mut kd = kano::simulate(&kano::example_features(), 150, 11).unwrap();
    kd.set_text("seg", cycle(levels, 150)).unwrap();
    let k = kano::analyze_by(&kd, "seg", &KanoOptions::default()).unwrap();
    out.push((
        "kano",
        k.segments.iter().map(|g| g.segment.clone()).collect(),
    ));
    // Monitoring segments (rows per segment key, after the total).
    let n = levels.len();
    let mut c = Dataset::from_columns(vec![("x", vec![0.0; n])]).unwrap();
    c.set_text("month", vec!["2026-01".to_string(); n]).unwrap();
    c.set_text("category", vec!["billing".to_string(); n])
        .unwrap();
    c.set_text("seg", cycle(levels, n)).unwrap();
    let complaints = Complaints::from_dataset(
        &c,
        &ComplaintColumns::new("month", "category").segment("seg"),
    )
    .unwrap();
    let mut k = Dataset::from_columns(vec![("customers", vec![100.0; n])]).unwrap();
    k.set_text("month", vec!["2026-01".to_string(); n]).unwrap();
    k.set_text("seg", cycle(levels, n)).unwrap();
    let counts = CustomerCounts::from_dataset(&k, "month", "customers", &["seg"]).unwrap();
    let m = complaints
        .metrics(&counts, &MetricOptions::default())
        .unwrap();
    out.push((
        "monitor",
        m.rows
            .iter()
            .filter(|r| r.category == "billing")
            .filter_map(|r| r.segment.as_deref())
            .map(|s| s.trim_start_matches("seg=").to_string())
            .collect(),
    ));
    out
}

#[test]
fn one_level_order_at_every_call_site() {
    // Numbers: numerically (text order would give 10, 2, 9).
    for (site, got) in orders(&["10", "9", "2"]) {
        assert_eq!(got, ["2", "9", "10"], "{site}");
    }
    // Text: by Unicode code point (upper case before lower case, ASCII before CJK).
    for (site, got) in orders(&["华东", "b", "B", "a", "华北"]) {
        assert_eq!(got, ["B", "a", "b", "华东", "华北"], "{site}");
    }
}

#[test]
fn report_files_never_overwrite_each_other() {
    let mut data = SurveySimulator::new(1200).seed(6).simulate().unwrap();
    // Two Chinese columns (the old ASCII-only rule named both `__`) and two
    // columns that differ only in a character the rule replaces.
    let columns = ["地区", "城市", "a/b", "a_b"];
    for (j, c) in columns.iter().enumerate() {
        data.set_text(c, cycle(&[&format!("x{j}"), "y"], 1200))
            .unwrap();
    }
    let model = SurveySimulator::csi_model();
    let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0));
    let fit = a.fit(&data).unwrap();
    let ipma = fit
        .ipma(Construct::Satisfaction, &IpmaOptions::default())
        .unwrap();
    let report = CsiReport {
        title: "files".into(),
        data_description: "simulated".into(),
        segments: columns
            .iter()
            .map(|c| a.segments(&data, c).unwrap())
            .collect(),
        periods: None,
        fit,
        ipma,
        notes: vec![],
        audit: None,
        lang: Default::default(),
        codebook: None,
        bins: Vec::new(),
        key_drivers: None,
    };
    let dir = std::env::temp_dir().join(format!("csikit-files-{}", std::process::id()));
    let written = report.write(&dir).unwrap();
    let distinct: BTreeSet<String> = written
        .iter()
        .map(|p| p.to_string_lossy().to_lowercase())
        .collect();
    assert_eq!(distinct.len(), written.len(), "a file was written twice");
    // 4 columns × (1 chart + index, impacts, differences tables) + the rest.
    let tables: Vec<String> = report.tables().into_iter().map(|t| t.file).collect();
    let charts: Vec<String> = report.charts().into_iter().map(|c| c.file).collect();
    // + report.md, report.html and the tables.xlsx workbook.
    assert_eq!(written.len(), tables.len() + charts.len() + 3);
    assert!(tables.contains(&"地区_index.csv".to_string()), "{tables:?}");
    assert!(tables.contains(&"城市_index.csv".to_string()), "{tables:?}");
    assert!(
        charts.contains(&"segment_地区.svg".to_string()),
        "{charts:?}"
    );
    // Each column's table holds its own column.
    for c in columns {
        let t = report
            .tables()
            .into_iter()
            .find(|t| t.file.ends_with("_index.csv") && t.header[0] == c)
            .unwrap_or_else(|| panic!("no index table for {c}"));
        let text = std::fs::read_to_string(dir.join("tables").join(&t.file)).unwrap();
        // Tables start with a byte-order mark so that Excel reads them as UTF-8.
        let text = text.strip_prefix('\u{feff}').expect("BOM");
        assert!(text.starts_with(c), "{}: {text}", t.file);
        // The Markdown shows each table once, in its own section.
        let md = report.to_markdown();
        assert_eq!(md.matches(&format!("`tables/{}`", t.file)).count(), 1);
    }
    let ab: Vec<&String> = charts
        .iter()
        .filter(|c| c.starts_with("segment_a_b"))
        .collect();
    assert_eq!(ab.len(), 2, "{charts:?}");
    assert_ne!(ab[0], ab[1]);
    std::fs::remove_dir_all(&dir).unwrap();
}
