//! Key drivers through the analysis layer (`analysis::drivers`, issue 16):
//! relative importance (`csikit drivers`), the profile of the dissatisfied
//! (`csikit profile`) and the link of survey indices to operational data
//! (`csikit link`).

use csikit::analysis::drivers::{
    self, DriversRequest, LinkRequest, ProfileRequest, drivers_html, link_markdown,
    profile_markdown,
};
use csikit::i18n::Lang;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::data::{Codebook, dataset};
use crate::errors::{OrPy, setting};
use crate::tables::Document;

fn lang_of(lang: &str) -> PyResult<Lang> {
    lang.parse()
        .map_err(|e: csikit::Error| setting("lang", e.to_string()))
}

/// Relative-importance key drivers (`analysis::drivers::run`, as `csikit
/// drivers --json`) of column `target` on the `drivers` columns: Shapley /
/// LMG shares of R², Johnson (2000) relative weights, dominance, and with
/// `bootstrap` resamples their intervals. The report (`markdown`, `html`,
/// `charts`) is in `lang`, drivers worded by the `codebook`. `na`: cell
/// values meaning missing.
#[pyfunction(name = "drivers")]
#[pyo3(signature = (columns, target, drivers, bootstrap = 0, seed = 1, permutations = 5000,
    level = 0.95, lang = "en".to_string(), codebook = None, na = Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn run_drivers(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    target: String,
    drivers: Vec<String>,
    bootstrap: usize,
    seed: u64,
    permutations: usize,
    level: f64,
    lang: String,
    codebook: Option<&Codebook>,
    na: Vec<String>,
) -> PyResult<Document> {
    let request = DriversRequest {
        target,
        drivers,
        bootstrap,
        seed,
        permutations,
        level,
        lang: lang_of(&lang)?,
        codebook: codebook.map(|c| c.inner.clone()),
    };
    let data = dataset(py, columns, na)?;
    let doc = py.detach(|| drivers::run(&data, &request)).py_err()?;
    let charts = doc
        .charts()
        .into_iter()
        .map(|c| (c.name.join("_"), c.svg))
        .collect();
    let html = drivers_html(&doc.analysis, &doc.labels, doc.lang);
    Ok(Document::new(&doc)?.with_report(doc.markdown(), Some(html), charts))
}

/// The profile of the dissatisfied (`analysis::drivers::run_profile`, as
/// `csikit profile --json`): answers of `target` at or below `threshold`
/// are dissatisfied; their over-representation per level of the `segments`
/// columns (Wilson intervals, BH and Holm adjusted tests) and the drivers
/// that separate them (Cohen's d, Welch). The report (`markdown`) is in `lang`.
#[pyfunction(name = "profile")]
#[pyo3(signature = (columns, target, threshold = 6.0, segments = Vec::new(),
    drivers = Vec::new(), level = 0.95, lang = "en".to_string(), codebook = None,
    na = Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn run_profile(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    target: String,
    threshold: f64,
    segments: Vec<String>,
    drivers: Vec<String>,
    level: f64,
    lang: String,
    codebook: Option<&Codebook>,
    na: Vec<String>,
) -> PyResult<Document> {
    let lang = lang_of(&lang)?;
    let request = ProfileRequest {
        target,
        threshold,
        segments,
        drivers,
        level,
        lang,
        codebook: codebook.map(|c| c.inner.clone()),
    };
    let data = dataset(py, columns, na)?;
    let p = py
        .detach(|| drivers::run_profile(&data, &request))
        .py_err()?;
    Ok(Document::new(&p)?.with_report(profile_markdown(&p, lang), None, Vec::new()))
}

/// The link of survey indices to operational metrics
/// (`analysis::drivers::run_link`, as `csikit link --json`): the `indices`
/// columns of the survey averaged per `unit` and `period`, correlated with
/// the `metrics` columns of the operational table (Pearson r with a Fisher-z
/// interval, a slope), the metric leading by `lag` periods. The report
/// (`markdown`) is in `lang`.
#[pyfunction(name = "link")]
#[pyo3(signature = (survey, operational, unit, period, indices, metrics, lag = 0,
    level = 0.95, lang = "en".to_string(), codebook = None, na = Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn run_link(
    py: Python<'_>,
    survey: &Bound<'_, PyList>,
    operational: &Bound<'_, PyList>,
    unit: String,
    period: String,
    indices: Vec<String>,
    metrics: Vec<String>,
    lag: i64,
    level: f64,
    lang: String,
    codebook: Option<&Codebook>,
    na: Vec<String>,
) -> PyResult<Document> {
    let lang = lang_of(&lang)?;
    let request = LinkRequest {
        unit,
        period,
        indices,
        metrics,
        lag,
        level,
        lang,
        codebook: codebook.map(|c| c.inner.clone()),
    };
    let survey = dataset(py, survey, na.clone())?;
    let operational = dataset(py, operational, na)?;
    let r = py
        .detach(|| drivers::run_link(&survey, &operational, &request))
        .py_err()?;
    Ok(Document::new(&r)?.with_report(link_markdown(&r, lag, lang), None, Vec::new()))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_drivers, m)?)?;
    m.add_function(wrap_pyfunction!(run_profile, m)?)?;
    m.add_function(wrap_pyfunction!(run_link, m)?)?;
    Ok(())
}
