//! CSI index models: the 0–100 index, impacts, importance–performance maps,
//! estimates per segment and per period, the analyst's report, templates,
//! aggregation of indices and the simulated survey's truth.

use csikit::csi::{
    self, Construct, CsiAnalysis, CsiModel, GroupKind, PeriodComparison, Scale, Scales,
    SmallGroups, Template, WeightedIndex, chart::MapLevel,
};
use csikit::{Bootstrap, Mode, Model as RsModel, Pls, PlsSettings, SurveySimulator};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::data::{Codebook, dataset};
use crate::errors::{OrPy, setting};
use crate::model::{Model, model_arg};
use crate::pls::{Settings, scales_required};
use crate::signals::{Cancel, interruptible};
use crate::tables::{self, Document, to_py, value_of};

/// The 0–100 index of every construct and indicator (the library's `IndexResult`).
#[pyclass(frozen, module = "csikit._csikit")]
pub(crate) struct CsiIndex {
    inner: csi::IndexResult,
}

impl CsiIndex {
    pub(crate) fn new(inner: csi::IndexResult) -> Self {
        CsiIndex { inner }
    }
}

#[pymethods]
impl CsiIndex {
    /// The result in the serde data model.
    fn document(&self) -> PyResult<Document> {
        Document::new(&self.inner)
    }

    /// Horizontal bars of the index per construct with intervals (SVG).
    #[pyo3(signature = (title = "Index (0-100)"))]
    fn svg(&self, title: &str) -> String {
        csi::chart::index_bars(&self.inner, title)
    }
}

/// An importance–performance map (the library's `Ipma`).
#[pyclass(frozen, module = "csikit._csikit")]
pub(crate) struct CsiIpma {
    inner: csi::Ipma,
}

impl CsiIpma {
    pub(crate) fn new(inner: csi::Ipma) -> Self {
        CsiIpma { inner }
    }
}

#[pymethods]
impl CsiIpma {
    /// The map in the serde data model.
    fn document(&self) -> PyResult<Document> {
        Document::new(&self.inner)
    }

    /// The map as SVG, `level` "constructs" or "indicators".
    #[pyo3(signature = (level = "constructs"))]
    fn svg(&self, level: &str) -> PyResult<String> {
        let level = match level {
            "constructs" => MapLevel::Constructs,
            "indicators" => MapLevel::Indicators,
            _ => {
                return Err(setting(
                    "level",
                    format!("`{level}` is not one of constructs, indicators"),
                ));
            }
        };
        Ok(csi::chart::ipma_map(&self.inner, level))
    }
}

/// Per-segment or per-period CSI estimates (the library's `GroupAnalysis`).
#[pyclass(frozen, module = "csikit._csikit")]
struct CsiGroups {
    inner: csi::GroupAnalysis,
}

#[pymethods]
impl CsiGroups {
    /// The analysis in the serde data model.
    fn document(&self) -> PyResult<Document> {
        Document::new(&self.inner)
    }

    /// One construct's index per segment (bars) or over periods (trend), as SVG.
    fn svg(&self, construct: &str) -> String {
        let c = Construct::from_name(construct);
        match self.inner.kind {
            GroupKind::Segment => csi::chart::segment_bars(&self.inner, &c),
            GroupKind::Period => csi::chart::trend(&self.inner, &c),
        }
    }
}

/// A CSI model of a PLS model: the simulator's ECSI model keeps its template
/// name, any other is "custom" (or `name`).
fn csi_model_of(model: RsModel, name: Option<String>) -> CsiModel {
    let ecsi = SurveySimulator::csi_model();
    let same = |a: &RsModel, b: &RsModel| {
        let mut pa = a.paths().to_vec();
        let mut pb = b.paths().to_vec();
        pa.sort_unstable();
        pb.sort_unstable();
        a.constructs() == b.constructs() && pa == pb
    };
    match name {
        None if same(ecsi.model(), &model) => ecsi,
        name => CsiModel::from_model(model, name.unwrap_or_else(|| "custom".into())),
    }
}

/// The CSI analysis settings shared by segments, periods and the report.
struct Analysis {
    scales: Scales,
    target: Option<String>,
    min_group_size: usize,
    small_groups: SmallGroups,
    level: f64,
    settings: PlsSettings,
    /// (resamples, seed) of the bootstrap of every fit, if asked.
    bootstrap: Option<(usize, u64)>,
}

impl Analysis {
    #[allow(clippy::too_many_arguments)]
    fn new(
        scale: Option<(f64, f64)>,
        item_scales: Vec<(String, (f64, f64))>,
        target: Option<String>,
        min_group_size: usize,
        small_groups: &str,
        level: f64,
        settings: PlsSettings,
        bootstrap: Option<(usize, u64)>,
    ) -> PyResult<Analysis> {
        let small_groups = match small_groups.to_ascii_lowercase().as_str() {
            "skip" => SmallGroups::Skip,
            "error" => SmallGroups::Error,
            _ => {
                return Err(setting(
                    "small_groups",
                    format!("`{small_groups}` is not one of skip, error"),
                ));
            }
        };
        Ok(Analysis {
            scales: scales_required(scale, item_scales)?,
            target,
            min_group_size,
            small_groups,
            level,
            settings,
            bootstrap,
        })
    }

    /// The analysis; the bootstrap of every fit (if asked) reports its
    /// progress to `cancel`, so that Ctrl-C stops it.
    fn build<'m>(&self, model: &'m CsiModel, cancel: &Cancel) -> CsiAnalysis<'m> {
        let settings = self.settings.clone();
        let mut a = CsiAnalysis::new(model, self.scales.clone())
            .min_group_size(self.min_group_size)
            .small_groups(self.small_groups)
            .level(self.level)
            .configure(move |_| Pls::with_settings(model.model(), settings.clone()));
        if let Some(t) = &self.target {
            a = a.target(t.as_str());
        }
        if let Some((n, seed)) = self.bootstrap {
            a = a.bootstrap(Bootstrap::new(n).seed(seed).progress(cancel.callback()));
        }
        a
    }
}

fn comparisons(previous: bool, lag: Option<usize>, base: Option<String>) -> Vec<PeriodComparison> {
    let mut out = Vec::new();
    if previous {
        out.push(PeriodComparison::Previous);
    }
    if let Some(k) = lag {
        out.push(PeriodComparison::Lag(k));
    }
    if let Some(b) = base {
        out.push(PeriodComparison::Base(b));
    }
    out
}

/// CSI estimates per level of a segment column (`CsiAnalysis::segments`) or
/// per period (`CsiAnalysis::periods`, kind "period").
#[pyfunction]
#[pyo3(signature = (columns, model, column, settings, kind = "segment", scale = None,
    item_scales = Vec::new(), target = None, min_group_size = 30, small_groups = "skip",
    level = 0.95, previous = true, lag = None, base = None, na = Vec::new(), bootstrap = None,
    seed = 1))]
#[allow(clippy::too_many_arguments)]
fn csi_groups(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    model: &Bound<'_, PyAny>,
    column: &str,
    settings: &Settings,
    kind: &str,
    scale: Option<(f64, f64)>,
    item_scales: Vec<(String, (f64, f64))>,
    target: Option<String>,
    min_group_size: usize,
    small_groups: &str,
    level: f64,
    previous: bool,
    lag: Option<usize>,
    base: Option<String>,
    na: Vec<String>,
    bootstrap: Option<usize>,
    seed: u64,
) -> PyResult<CsiGroups> {
    let model = csi_model_of(model_arg(model)?, None);
    let a = Analysis::new(
        scale,
        item_scales,
        target,
        min_group_size,
        small_groups,
        level,
        settings.inner.clone(),
        bootstrap.map(|n| (n, seed)),
    )?;
    let period = match kind {
        "segment" => false,
        "period" => true,
        _ => {
            return Err(setting(
                "kind",
                format!("`{kind}` is not one of segment, period"),
            ));
        }
    };
    let cmp = comparisons(previous, lag, base);
    let data = dataset(py, columns, na)?;
    let inner = interruptible(py, None, |cancel| {
        let analysis = a.build(&model, cancel);
        if period {
            analysis.periods(&data, column, &cmp)
        } else {
            analysis.segments(&data, column)
        }
    })?;
    Ok(CsiGroups { inner })
}

/// Writes the CSI report folder (`analysis::acsi::run`, `CsiReport::write`):
/// report.md, report.html, charts/*.svg, tables/*.csv. Returns the paths
/// written. GIL released; Ctrl-C stops the bootstrap.
#[pyfunction]
#[pyo3(signature = (columns, model, out, settings, segments = Vec::new(), period = None,
    previous = true, lag = Some(12), base = None, target = None, scale = None,
    item_scales = Vec::new(), min_group_size = 30, title = None, description = None,
    notes = Vec::new(), na = Vec::new(), model_name = None, bootstrap = None, seed = 1,
    level = 0.95, codebook = None, lang = "en", bins = Vec::new(), key_drivers = true,
    dissatisfied_at = 50.0))]
#[allow(clippy::too_many_arguments)]
fn acsi_report(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    model: &Bound<'_, PyAny>,
    out: std::path::PathBuf,
    settings: &Settings,
    segments: Vec<String>,
    period: Option<String>,
    previous: bool,
    lag: Option<usize>,
    base: Option<String>,
    target: Option<String>,
    scale: Option<(f64, f64)>,
    item_scales: Vec<(String, (f64, f64))>,
    min_group_size: usize,
    title: Option<String>,
    description: Option<String>,
    notes: Vec<String>,
    na: Vec<String>,
    model_name: Option<String>,
    bootstrap: Option<usize>,
    seed: u64,
    level: f64,
    codebook: Option<&Codebook>,
    lang: &str,
    bins: Vec<String>,
    key_drivers: bool,
    dissatisfied_at: f64,
) -> PyResult<Vec<std::path::PathBuf>> {
    let lang: csikit::i18n::Lang = lang.parse().py_err()?;
    let bins = bins
        .iter()
        .map(|b| b.parse::<csikit::csi::bins::BinSpec>())
        .collect::<csikit::Result<Vec<_>>>()
        .py_err()?;
    let model = csi_model_of(model_arg(model)?, model_name);
    let settings = settings.inner.clone();
    let request = csikit::analysis::AcsiRequest {
        segments,
        period,
        base,
        previous,
        lag,
        target: target.unwrap_or_else(|| "Satisfaction".into()),
        scale: scale.map(|(min, max)| Scale::new(min, max)),
        item_scales: item_scales
            .into_iter()
            .map(|(item, (min, max))| (item, Scale::new(min, max)))
            .collect(),
        min_group: min_group_size,
        level,
        bootstrap,
        seed,
        title,
        notes,
        settings,
        codebook: codebook.map(|c| c.inner.clone()),
        lang,
        bins,
        key_drivers,
        dissatisfied_at,
    };
    let data = dataset(py, columns, na)?;
    let description = description.unwrap_or_else(|| format!("Data: {} rows.", data.n_rows()));
    interruptible(py, None, |cancel| {
        csikit::analysis::acsi::run(&data, &model, &description, &request, &cancel.observer())?
            .write(&out)
    })
}

/// A CSI template's structure ("acsi", "ecsi", "ccsi"): name, constructs, paths.
#[pyfunction]
fn csi_template<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &value_of(&template(name)?)?)
}

fn template(name: &str) -> PyResult<Template> {
    match name.to_ascii_lowercase().as_str() {
        "acsi" => Ok(Template::acsi()),
        "ecsi" => Ok(Template::ecsi()),
        "ccsi" => Ok(Template::ccsi()),
        _ => Err(setting(
            "template",
            format!("`{name}` is not one of acsi, ecsi, ccsi"),
        )),
    }
}

/// A CSI template mapped to survey columns (`Template::measure` …
/// `CsiModelBuilder::build`): blocks are (construct, mode "A"/"B", indicators).
#[pyfunction]
#[pyo3(signature = (template_name, blocks, add_paths = Vec::new(), remove_paths = Vec::new(),
    remove_constructs = Vec::new()))]
fn csi_model(
    template_name: &str,
    blocks: Vec<(String, String, Vec<String>)>,
    add_paths: Vec<(String, String)>,
    remove_paths: Vec<(String, String)>,
    remove_constructs: Vec<String>,
) -> PyResult<Model> {
    let mut t = template(template_name)?;
    for c in &remove_constructs {
        t.remove_construct(&Construct::from_name(c));
    }
    for (a, b) in &remove_paths {
        t.remove_path(&Construct::from_name(a), &Construct::from_name(b));
    }
    for (a, b) in add_paths {
        t.add_path(a.as_str(), b.as_str());
    }
    let mut builder = t.measure();
    for (construct, mode, indicators) in blocks {
        let mode = match mode.to_ascii_uppercase().as_str() {
            "A" | "REFLECTIVE" => Mode::A,
            "B" | "COMPOSITE" | "FORMATIVE" => Mode::B,
            _ => {
                return Err(setting(
                    "mode",
                    format!("`{mode}` (construct `{construct}`) is not one of A, B"),
                ));
            }
        };
        builder = builder.block(construct.as_str(), mode, indicators);
    }
    let m = builder.build().py_err()?;
    Ok(Model {
        inner: m.model().clone(),
    })
}

/// Weighted aggregation of unit indices (`csi::aggregate`, or `aggregate_by`
/// with `groups`): units are (name, index, weight); the aggregates as columns.
#[pyfunction]
#[pyo3(signature = (units, name = "total".to_string(), groups = None))]
fn aggregate_index<'py>(
    py: Python<'py>,
    units: Vec<(String, f64, f64)>,
    name: String,
    groups: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let units: Vec<WeightedIndex> = units
        .into_iter()
        .map(|(n, i, w)| WeightedIndex::new(n, i, w))
        .collect();
    let out = match groups {
        None => vec![csi::aggregate(name, &units).py_err()?],
        Some(g) => {
            let g: Vec<&str> = g.iter().map(String::as_str).collect();
            csi::aggregate_by(&units, &g).py_err()?
        }
    };
    tables::rows(py, &out)
}

/// The exact population values of the simulated survey (`SurveySimulator::truth`):
/// `{share, item_means: {indicator: mean}, paths: [[from, to, value]]}`.
#[pyfunction]
#[pyo3(signature = (filters = Vec::new(), months = 12, monthly_drift = 0.02))]
fn simulate_truth<'py>(
    py: Python<'py>,
    filters: Vec<(String, String)>,
    months: usize,
    monthly_drift: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let f: Vec<(&str, &str)> = filters
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let t = SurveySimulator::new(1)
        .months(months)
        .monthly_drift(monthly_drift)
        .truth(&f)
        .py_err()?;
    let means: serde_json::Map<String, serde_json::Value> = t
        .item_means
        .iter()
        .map(|(n, m)| (n.clone(), serde_json::json!(m)))
        .collect();
    to_py(
        py,
        &serde_json::json!({"share": t.share, "item_means": means, "paths": t.paths}),
    )
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<CsiIndex>()?;
    m.add_class::<CsiIpma>()?;
    m.add_class::<CsiGroups>()?;
    m.add_function(wrap_pyfunction!(csi_groups, m)?)?;
    m.add_function(wrap_pyfunction!(acsi_report, m)?)?;
    m.add_function(wrap_pyfunction!(csi_template, m)?)?;
    m.add_function(wrap_pyfunction!(csi_model, m)?)?;
    m.add_function(wrap_pyfunction!(aggregate_index, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_truth, m)?)?;
    Ok(())
}
