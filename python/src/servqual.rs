//! SERVQUAL through the analysis layer (`analysis::servqual`).

use csikit::analysis::servqual::ServqualDimension;
use csikit::analysis::{Observer, ServqualRequest};
use csikit::csi::Scale;
use csikit::servqual::{self, Columns, WeightPolicy};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::data::{Codebook, columns_out, dataset};
use crate::errors::{OrPy, serde_name, setting};
use crate::tables::Document;
use csikit::i18n::Lang;

/// SERVQUAL analysis (`analysis::servqual::run`; per level of the `by`
/// column too) of the request the keywords describe: `reverse` item ids or
/// ranges (`"10-13"`), a custom instrument (`dimensions`: (name, item ids)),
/// the column prefixes, the weight policy and tolerance; the report
/// (`markdown`, `html`, `charts`) in `lang`, items worded by the `codebook`.
#[pyfunction(name = "servqual")]
#[pyo3(signature = (columns, scale = (1.0, 7.0), reverse = Vec::new(), dimensions = None,
    perception = "P".to_string(), expectation = Some("E".to_string()),
    adequate = Some("A".to_string()), desired = Some("D".to_string()),
    weight = Some("W_".to_string()), weight_policy = "normalize", weight_tolerance = 0.5,
    by = None, lang = "en", codebook = None))]
#[allow(clippy::too_many_arguments)]
fn run_servqual(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    scale: (f64, f64),
    reverse: Vec<String>,
    dimensions: Option<Vec<(String, Vec<String>)>>,
    perception: String,
    expectation: Option<String>,
    adequate: Option<String>,
    desired: Option<String>,
    weight: Option<String>,
    weight_policy: &str,
    weight_tolerance: f64,
    by: Option<String>,
    lang: &str,
    codebook: Option<&Codebook>,
) -> PyResult<Document> {
    let lang: Lang = lang.parse().map_err(|e: csikit::Error| match e {
        csikit::Error::InvalidSetting { message, .. } => setting("lang", message),
        other => crate::errors::to_py(other),
    })?;

    // Item lists are checked here so that a bad one names the keyword.
    for spec in &reverse {
        servqual::parse_items(spec).map_err(|e| match e {
            csikit::Error::InvalidSetting { message, .. } => setting("reverse", message),
            other => crate::errors::to_py(other),
        })?;
    }
    let request = ServqualRequest {
        codebook: codebook.map(|c| c.inner.clone()),
        lang,
        reverse,
        scale: Scale::new(scale.0, scale.1),
        segment: by,
        dimensions: dimensions.map(|dims| {
            dims.into_iter()
                .map(|(name, items)| ServqualDimension { name, items })
                .collect()
        }),
        columns: Columns {
            perception,
            expectation,
            adequate,
            desired,
            weight,
        },
        weight_policy: serde_name::<WeightPolicy>(
            "weight_policy",
            weight_policy,
            "normalize, exclude, strict",
        )?,
        weight_tolerance,
    };
    let data = dataset(py, columns, Vec::new())?;
    let doc = py
        .detach(|| csikit::analysis::servqual::run(&data, &request, &Observer::silent()))
        .py_err()?;
    Ok(Document::new(&doc)?.with_page(&doc.page()))
}

/// Simulated SERVQUAL answers (the library's `servqual::simulate`).
#[pyfunction]
#[pyo3(signature = (n = 200, seed = 1, missing_rate = 0.02, segments = 3, off_sum_rate = 0.03))]
fn simulate_servqual<'py>(
    py: Python<'py>,
    n: usize,
    seed: u64,
    missing_rate: f64,
    segments: usize,
    off_sum_rate: f64,
) -> PyResult<Bound<'py, PyList>> {
    let sim = servqual::Simulation {
        n,
        seed,
        missing_rate,
        segments,
        off_sum_rate,
    };
    let data = servqual::simulate(&sim).py_err()?;
    columns_out(py, &data)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_servqual, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_servqual, m)?)?;
    Ok(())
}
