//! KANO through the analysis layer (`analysis::kano`).

use csikit::analysis::{KanoRequest, Observer};
use csikit::kano;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::data::{Codebook, columns_out, dataset};
use crate::errors::{OrPy, setting};
use crate::tables::Document;
use csikit::i18n::Lang;

/// KANO analysis (`analysis::kano::run`) of the request the keywords
/// describe: answers or a table of `counts`, the category `threshold`,
/// `max_questionable`, `weight_by_importance`, the `short` 3-answer form or a
/// custom evaluation `table`, and segments `by` a column; the report
/// (`markdown`, `html`, `charts`) in `lang`, features worded by the `codebook`.
#[pyfunction(name = "kano")]
#[pyo3(signature = (columns, counts = false, threshold = 0.06, max_questionable = None,
    weight_by_importance = false, by = None, short = false, table = None, lang = "en",
    codebook = None))]
#[allow(clippy::too_many_arguments)]
fn run_kano(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    counts: bool,
    threshold: f64,
    max_questionable: Option<usize>,
    weight_by_importance: bool,
    by: Option<String>,
    short: bool,
    table: Option<String>,
    lang: &str,
    codebook: Option<&Codebook>,
) -> PyResult<Document> {
    let lang: Lang = lang.parse().map_err(|e: csikit::Error| match e {
        csikit::Error::InvalidSetting { message, .. } => setting("lang", message),
        other => crate::errors::to_py(other),
    })?;

    if counts && by.is_some() {
        return Err(setting(
            "by",
            "segments need the answers, not a table of counts".into(),
        ));
    }
    let request = KanoRequest {
        counts,
        threshold,
        segment: by,
        max_questionable,
        weighted: weight_by_importance,
        short,
        table,
        codebook: codebook.map(|c| c.inner.clone()),
        lang,
    };
    let data = dataset(py, columns, Vec::new())?;
    let doc = py
        .detach(|| csikit::analysis::kano::run(&data, &request, &Observer::silent()))
        .py_err()?;
    Ok(Document::new(&doc)?.with_page(&doc.page()))
}

/// Simulated KANO answers for the library's example features (a mobile-banking app).
#[pyfunction]
#[pyo3(signature = (respondents = 300, seed = 1))]
fn simulate_kano<'py>(
    py: Python<'py>,
    respondents: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyList>> {
    let data = kano::simulate(&kano::example_features(), respondents, seed).py_err()?;
    columns_out(py, &data)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_kano, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_kano, m)?)?;
    Ok(())
}
