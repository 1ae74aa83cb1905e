//! Touchpoint scorecards through the analysis layer (`analysis::scorecard`).

use csikit::analysis::ScorecardRequest;
use csikit::csi::Scale;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::data::dataset;
use crate::errors::{OrPy, setting};
use crate::tables::Document;

/// The touchpoint scorecard (`analysis::scorecard::run`) of column `score`
/// per group (`by` columns) and `period`: n, mean, satisfied and
/// dissatisfied shares with Wilson intervals, NPS on 0–10 with its interval,
/// changes against the previous period and a year earlier; groups with
/// fewer than `min_n` answers listed as skipped. `na`: cell values meaning
/// missing (e.g. "98", "99").
#[pyfunction(name = "scorecard")]
#[pyo3(signature = (columns, score, by = Vec::new(), period = None, scale = None,
    min_n = 30, confidence = 0.95, na = Vec::new(), lang = "en".to_string()))]
#[allow(clippy::too_many_arguments)]
fn run_scorecard(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    score: String,
    by: Vec<String>,
    period: Option<String>,
    scale: Option<(f64, f64)>,
    min_n: usize,
    confidence: f64,
    na: Vec<String>,
    lang: String,
) -> PyResult<Document> {
    let lang = lang
        .parse()
        .map_err(|e: csikit::Error| setting("lang", e.to_string()))?;
    let request = ScorecardRequest {
        score,
        by,
        period,
        scale: scale.map(|(lo, hi)| Scale::new(lo, hi)),
        min_n,
        confidence,
        lang,
        ..ScorecardRequest::default()
    };
    let data = dataset(py, columns, na)?;
    let doc = py
        .detach(|| csikit::analysis::scorecard::run(&data, &request))
        .py_err()?;
    Document::new(&doc)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_scorecard, m)?)?;
    Ok(())
}
