//! Survey exports with missing codes, declared scales and codebooks: the
//! right answer or a clear error, and every recoded or dropped value counted
//! (issue 14's findings as regression tests).

use csikit::analysis::audit::ScaleSource;
use csikit::analysis::{self, Observer, PlsRequest};
use csikit::csi::Scale;
use csikit::{Codebook, Dataset, Error};

/// The built-in survey with 99 ("don't know") written into three answers of
/// `SAT`'s first item, and the same survey with those cells missing.
fn with_codes() -> (Dataset, Dataset, csikit::Model) {
    let (data, model, _) = analysis::pls::builtin().unwrap();
    let mut coded = data.clone();
    let mut clean = data.clone();
    let mut v = data.numeric("CUSA1").unwrap().to_vec();
    let mut w = v.clone();
    for r in [3, 50, 177] {
        v[r] = 99.0;
        w[r] = f64::NAN;
    }
    coded.set_numeric("CUSA1", v).unwrap();
    clean.set_numeric("CUSA1", w).unwrap();
    (coded, clean, model)
}

fn run(
    data: &Dataset,
    model: &csikit::Model,
    request: &PlsRequest,
) -> csikit::Result<analysis::PlsDocument> {
    analysis::pls::run(data, model, request, &Observer::silent())
}

#[test]
fn a_99_outside_the_declared_scale_is_an_error() {
    let (coded, _, model) = with_codes();
    let request = PlsRequest {
        scale: Some(Scale::new(1.0, 10.0)),
        ..Default::default()
    };
    match run(&coded, &model, &request) {
        Err(Error::OutOfScale {
            column, row, value, ..
        }) => {
            assert_eq!((column.as_str(), row, value), ("CUSA1", 4, 99.0));
        }
        other => panic!("expected OutOfScale, got {other:?}"),
    }
}

#[test]
fn a_99_without_a_scale_is_flagged() {
    let (coded, _, model) = with_codes();
    let doc = run(&coded, &model, &PlsRequest::default()).unwrap();
    assert!(
        doc.audit
            .warnings
            .iter()
            .any(|w| w.contains("CUSA1") && w.contains("99")),
        "{:?}",
        doc.audit.warnings
    );
    // The flag reaches the JSON.
    assert!(doc.to_json().contains("likely missing-data codes"));
}

#[test]
fn codebook_missing_codes_give_the_cleaned_numbers() {
    let (coded, clean, model) = with_codes();
    let codebook =
        Codebook::parse_csv("item,label,min,max,missing\nCUSA1,总体满意度,1,10,98;99\n").unwrap();
    let request = PlsRequest {
        codebook: Some(codebook),
        ..Default::default()
    };
    let coded_doc = run(&coded, &model, &request).unwrap();
    let clean_doc = run(&clean, &model, &PlsRequest::default()).unwrap();
    assert_eq!(coded_doc.report.n_observations, 247);
    assert_eq!(coded_doc.report.paths, clean_doc.report.paths);
    assert_eq!(coded_doc.report.outer, clean_doc.report.outer);
    let r = coded_doc.audit.recoding.as_ref().unwrap();
    assert_eq!(r.missing_cells, 3);
    assert_eq!(r.missing_codes[0].code, 99.0);
    assert_eq!(coded_doc.audit.dropped[0].rows, 3);
    assert_eq!(coded_doc.audit.dropped[0].reason, "missing_values");
    // The declared scale of CUSA1 gives the index; the other items' ranges
    // are observed, and the audit says so.
    let scales = &coded_doc.audit.scales;
    assert_eq!(scales.len(), 24);
    let sat1 = scales.iter().find(|s| s.item == "CUSA1").unwrap();
    assert_eq!(
        (sat1.min, sat1.max, sat1.source),
        (1.0, 10.0, ScaleSource::Codebook)
    );
    assert!(
        scales
            .iter()
            .filter(|s| s.source == ScaleSource::Observed)
            .count()
            == 23
    );
    assert_eq!(coded_doc.audit.scale_source.as_deref(), Some("mixed"));
    assert!(
        coded_doc
            .report
            .constructs
            .iter()
            .all(|c| c.index.is_some())
    );
}

#[test]
fn reverse_items_are_recoded_once() {
    let (data, model, _) = analysis::pls::builtin().unwrap();
    let mut reversed = data.clone();
    let v: Vec<f64> = data
        .numeric("PERQ1")
        .unwrap()
        .iter()
        .map(|x| 11.0 - x)
        .collect();
    reversed.set_numeric("PERQ1", v).unwrap();
    let codebook = Codebook::parse_csv("item,min,max,reverse\nPERQ1,1,10,yes\n").unwrap();
    let request = PlsRequest {
        codebook: Some(codebook),
        ..Default::default()
    };
    let a = run(&reversed, &model, &request).unwrap();
    let b = run(&data, &model, &PlsRequest::default()).unwrap();
    for (x, y) in a.report.paths.iter().zip(&b.report.paths) {
        assert!((x.estimate - y.estimate).abs() < 1e-12);
    }
    assert_eq!(a.audit.recoding.unwrap().reversed, ["PERQ1"]);
}

#[test]
fn more_than_ten_percent_dropped_is_a_warning() {
    let (data, model, _) = analysis::pls::builtin().unwrap();
    let mut holes = data.clone();
    let mut v = data.numeric("CUSL1").unwrap().to_vec();
    for x in v.iter_mut().step_by(8) {
        *x = f64::NAN;
    }
    holes.set_numeric("CUSL1", v).unwrap();
    let doc = run(&holes, &model, &PlsRequest::default()).unwrap();
    assert_eq!(doc.audit.rows_read, 250);
    assert_eq!(doc.audit.rows_used, 218);
    assert!(doc.audit.warnings[0].starts_with("32 of 250 rows (12.8 %) were not used"));
    // At 10 % or less: no warning.
    let doc = run(&data, &model, &PlsRequest::default()).unwrap();
    assert!(doc.audit.warnings.is_empty());
}

#[test]
fn codebook_errors() {
    let (data, model, _) = analysis::pls::builtin().unwrap();
    let request = PlsRequest {
        codebook: Some(Codebook::parse_csv("item,min,max\nCUSA9,1,10\n").unwrap()),
        ..Default::default()
    };
    match run(&data, &model, &request) {
        Err(e @ Error::CodebookUnknownItem { .. }) => {
            assert!(e.to_string().contains("CUSA9"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let request = PlsRequest {
        codebook: Some(Codebook::parse_csv("item,min,max\nCUSA1,1,5\n").unwrap()),
        ..Default::default()
    };
    assert!(matches!(
        run(&data, &model, &request),
        Err(Error::CodebookOutOfScale { .. })
    ));
}
