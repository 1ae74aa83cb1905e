//! `csikit._csikit`: the compiled core of the Python package `csikit`.
//!
//! A thin PyO3 layer over the Rust library: every computation is the
//! library's. Data cross the boundary as named columns (numeric columns as
//! the raw bytes of contiguous float64 arrays, text columns as lists of
//! `str`); results go back as the library's serde JSON, which the pure-Python
//! layer (`python/csikit/__init__.py`) turns into dicts and pandas DataFrames.
//! Long computations run with the GIL released (`Python::detach`).
//!
//! Adding a capability of the library is a small addition: a function that
//! calls it and returns `serde_json::to_string(&result)`, plus a property or
//! method in the Python layer.

use std::fmt::Write as _;

use csikit::csi::{
    self, Construct, CsiAnalysis, CsiModel, GroupKind, IpmaOptions, PeriodComparison, Ranking,
    Scale, Scales, SmallGroups, Split, Template, WeightedIndex, chart::MapLevel,
};
use csikit::kano::{self, KanoOptions};
use csikit::monitor::{
    ComplaintColumns, ComplaintMetrics, Complaints, CustomerCounts, Kpi, MetricOptions,
    MonitorSimulation, Period, SurveyInput, evaluate_kpis, link_by_respondent, link_by_segment,
    trend_chart,
};
use csikit::pls::{
    Correction, CorrelationKind, FailurePolicy, HocApproach, InteractionApproach, SignChange,
};
use csikit::servqual::{
    self, Columns, Instrument, Scale as SqScale, ServqualOptions, WeightPolicy,
};
use csikit::{
    Bootstrap, ColumnData, Dataset, Error, ErrorKind, MissingPolicy, Mode, Model as RsModel,
    Moments as RsMoments, MultiGroup, Pls, PlsFit as RsPlsFit, PlsPredict, PredictApproach,
    Scaling, Scheme, StopRule, SurveySimulator,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use serde::Serialize;

// ----- errors ---------------------------------------------------------------

pyo3::create_exception!(
    csikit,
    CsikitError,
    PyValueError,
    "Base class of every error raised by the csikit library (a ValueError). \
     `kind` names the library's error variant, e.g. 'UnknownColumn'; `code` is its \
     stable snake_case code, e.g. 'unknown_column' (docs/ERRORS.md lists them)."
);
pyo3::create_exception!(
    csikit,
    DataError,
    CsikitError,
    "The data cannot be used: unknown or non-numeric column, missing values under \
     missing='error', constant column, bad case weights, too few rows, answers off the scale."
);
pyo3::create_exception!(
    csikit,
    ModelError,
    CsikitError,
    "The model (or SERVQUAL instrument) is ill-specified: syntax error, unknown construct, \
     cycle, empty block, duplicate names."
);
pyo3::create_exception!(
    csikit,
    EstimationError,
    CsikitError,
    "The estimation failed on these data: singular block or predictors, degenerate construct."
);
pyo3::create_exception!(
    csikit,
    ConvergenceError,
    EstimationError,
    "The PLS iteration hit max_iter before the tolerance (pass allow_nonconvergence=True \
     to get the unconverged result)."
);

/// The Python exception class of an error kind. Exhaustive (no fallback): a
/// new kind of the library does not compile until it has a class here, and
/// every variant of the library's `Error` has a kind (`Error::kind` is an
/// exhaustive match too).
fn class_of(kind: ErrorKind) -> Class {
    match kind {
        // A file that cannot be read has always been a DataError in Python.
        ErrorKind::Io | ErrorKind::Data => Class::Data,
        ErrorKind::Model => Class::Model,
        ErrorKind::Estimation => Class::Estimation,
        ErrorKind::Convergence => Class::Convergence,
        ErrorKind::Setting => Class::Base,
    }
}

/// The Python exception classes, by the name of the class.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Data,
    Model,
    Estimation,
    Convergence,
    /// The base class: settings out of range (`InvalidSetting`).
    Base,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Data => "DataError",
            Class::Model => "ModelError",
            Class::Estimation => "EstimationError",
            Class::Convergence => "ConvergenceError",
            Class::Base => "CsikitError",
        }
    }
}

/// The exception's `kind`: the variant name (`UnknownColumn`), spelled from
/// the stable code (`unknown_column`), so that it does not change either when
/// a variant is renamed (the Rust test `codes_are_distinct_stable_snake_case`
/// pins code = variant name in snake_case).
fn kind_name(code: &str) -> String {
    code.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Converts a library error into the documented Python exception, with the
/// library's message, the variant name in `kind` and the stable code in `code`.
fn to_py(e: Error) -> PyErr {
    let code = e.code();
    let message = e.to_string();
    let err = match class_of(e.kind()) {
        Class::Convergence => ConvergenceError::new_err(message),
        Class::Estimation => EstimationError::new_err(message),
        Class::Model => ModelError::new_err(message),
        Class::Data => DataError::new_err(message),
        Class::Base => CsikitError::new_err(message),
    };
    Python::attach(|py| {
        // Setting an attribute on a fresh exception instance cannot fail in practice;
        // if it did, the exception is still raised with its message.
        let value = err.value(py);
        let _ = value.setattr("kind", kind_name(code));
        let _ = value.setattr("code", code);
    });
    err
}

/// The name of the exception class an error kind raises (`"data"` →
/// `"DataError"`; for tests against `docs/ERRORS.md`).
#[pyfunction]
fn _error_class(kind: &str) -> PyResult<&'static str> {
    let kind: ErrorKind = serde_json::from_value(serde_json::Value::String(kind.to_string()))
        .map_err(|_| PyValueError::new_err(format!("`{kind}` is not an error kind")))?;
    Ok(class_of(kind).name())
}

trait OrPy<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> OrPy<T> for csikit::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

fn setting(name: &str, message: String) -> PyErr {
    to_py(Error::InvalidSetting {
        name: name.into(),
        message,
    })
}

fn json<T: Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| CsikitError::new_err(e.to_string()))
}

// ----- data in and out -------------------------------------------------------

/// Missing-value markers: numbers match numerically, any marker matches text cells.
struct Markers {
    numbers: Vec<f64>,
    texts: Vec<String>,
}

impl Markers {
    fn new(na: Vec<String>) -> Markers {
        Markers {
            numbers: na
                .iter()
                .filter_map(|s| s.trim().parse::<f64>().ok())
                .collect(),
            texts: na.into_iter().map(|s| s.trim().to_string()).collect(),
        }
    }
}

/// Little-endian-or-native bytes of float64 values into a vector, markers → NaN.
fn floats(bytes: &[u8], markers: &[f64]) -> Vec<f64> {
    bytes
        .chunks_exact(8)
        .map(|c| {
            let x = f64::from_ne_bytes(c.try_into().expect("chunk of 8"));
            if markers.contains(&x) { f64::NAN } else { x }
        })
        .collect()
}

/// Builds a [`Dataset`] from `[(name, values), ...]` where `values` is a
/// contiguous float64 numpy array (or anything with `tobytes()` giving native
/// float64 bytes) or a list of `str` (empty string = missing). The GIL is
/// released while each column is converted.
fn dataset(py: Python<'_>, columns: &Bound<'_, PyList>, na: Vec<String>) -> PyResult<Dataset> {
    let markers = Markers::new(na);
    let mut numeric: Vec<(String, Vec<f64>)> = Vec::new();
    let mut text: Vec<(String, Vec<String>)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (j, item) in columns.iter().enumerate() {
        let pair = item
            .cast::<PyTuple>()
            .map_err(|_| PyTypeError::new_err("columns must be a list of (name, values) tuples"))?;
        if pair.len() != 2 {
            return Err(PyTypeError::new_err(
                "columns must be a list of (name, values) tuples",
            ));
        }
        let name: String = pair.get_item(0)?.extract()?;
        if let Some(first) = seen.iter().position(|s| *s == name) {
            return Err(to_py(Error::DuplicateColumn {
                name,
                first: first + 1,
                second: j + 1,
            }));
        }
        seen.push(name.clone());
        let values = pair.get_item(1)?;
        if let Ok(list) = values.cast::<PyList>() {
            let mut cells: Vec<String> = list.extract()?;
            for c in cells.iter_mut() {
                let t = c.trim();
                if markers.texts.iter().any(|m| m == t)
                    || t.parse::<f64>().is_ok_and(|x| markers.numbers.contains(&x))
                {
                    c.clear();
                }
            }
            text.push((name, cells));
        } else {
            let raw = values.call_method0("tobytes")?;
            let raw: Py<PyBytes> = raw
                .cast_into::<PyBytes>()
                .map_err(|_| {
                    PyTypeError::new_err(format!("column `{name}`: tobytes() did not return bytes"))
                })?
                .unbind();
            let bytes = raw.as_bytes(py);
            if bytes.len() % 8 != 0 {
                return Err(PyTypeError::new_err(format!(
                    "column `{name}`: not a float64 array"
                )));
            }
            let nums = &markers.numbers;
            let col = py.detach(|| floats(bytes, nums));
            numeric.push((name, col));
        }
    }
    let mut data = Dataset::from_columns(numeric).py_err()?;
    for (name, cells) in text {
        data.set_text(&name, cells).py_err()?;
    }
    Ok(data)
}

/// A dataset as `[(name, kind, payload)]`: kind "float64" with the values'
/// native bytes, or "category" with (int32 codes as bytes, -1 = missing; sorted labels).
fn columns_out<'py>(py: Python<'py>, data: &Dataset) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for name in data.names() {
        match data.column(name).py_err()? {
            ColumnData::Numeric(v) => {
                let bytes = PyBytes::new_with(py, v.len() * 8, |buf| {
                    for (c, x) in buf.chunks_exact_mut(8).zip(v) {
                        c.copy_from_slice(&x.to_ne_bytes());
                    }
                    Ok(())
                })?;
                out.append((name.as_str(), "float64", bytes))?;
            }
            ColumnData::Text { values, .. } => {
                let mut labels: Vec<&str> = values
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(String::as_str)
                    .collect();
                labels.sort_unstable();
                labels.dedup();
                let mut codes = Vec::with_capacity(values.len() * 4);
                for s in values {
                    let code = if s.is_empty() {
                        -1
                    } else {
                        labels.binary_search(&s.as_str()).map_or(-1, |i| i as i32)
                    };
                    codes.extend_from_slice(&code.to_ne_bytes());
                }
                let payload = (PyBytes::new(py, &codes), labels);
                out.append((name.as_str(), "category", payload))?;
            }
        }
    }
    Ok(out)
}

/// Reads a CSV file with the library's reader (header row; empty cells, `NA`,
/// `NaN` and the `na` markers are missing; numeric columns float64, others text).
#[pyfunction]
#[pyo3(signature = (path, na = Vec::new(), delimiter = ","))]
fn read_csv<'py>(
    py: Python<'py>,
    path: &str,
    na: Vec<String>,
    delimiter: &str,
) -> PyResult<Bound<'py, PyList>> {
    let data = load_csv(py, path, na, delimiter)?;
    columns_out(py, &data)
}

fn load_csv(py: Python<'_>, path: &str, na: Vec<String>, delimiter: &str) -> PyResult<Dataset> {
    let &[d] = delimiter.as_bytes() else {
        return Err(setting(
            "delimiter",
            format!("`{delimiter}` is not a single one-byte character"),
        ));
    };
    let mut options = csikit::CsvOptions::default().delimiter(d);
    for m in na {
        options = options.na(m);
    }
    py.detach(|| Dataset::from_csv_with(path, &options))
        .py_err()
}

/// Simulated ECSI telecom survey (the library's `SurveySimulator`): the
/// indicator columns plus `region`, `arpu_tier`, `age_band`, `plan`, `month`.
#[pyfunction]
#[pyo3(signature = (n, seed = 1, months = 12, monthly_drift = 0.02, missing_rate = 0.0))]
fn simulate_survey<'py>(
    py: Python<'py>,
    n: usize,
    seed: u64,
    months: usize,
    monthly_drift: f64,
    missing_rate: f64,
) -> PyResult<Bound<'py, PyList>> {
    let data = py
        .detach(|| {
            SurveySimulator::new(n)
                .seed(seed)
                .months(months)
                .monthly_drift(monthly_drift)
                .missing_rate(missing_rate)
                .simulate()
        })
        .py_err()?;
    columns_out(py, &data)
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

// ----- model -----------------------------------------------------------------

/// A PLS path model: constructs (Mode A `=~`, Mode B `<~`) and structural paths (`~`).
///
/// >>> m = Model("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X")
/// >>> m.indicators
/// ['x1', 'x2', 'y1', 'y2']
#[pyclass(frozen, module = "csikit._csikit")]
struct Model {
    inner: RsModel,
}

#[pymethods]
impl Model {
    /// Parses lavaan-style syntax (`#` comments, `;` or newlines between statements).
    #[new]
    fn new(syntax: &str) -> PyResult<Model> {
        Ok(Model {
            inner: RsModel::from_syntax(syntax).py_err()?,
        })
    }

    /// The ECSI model of the simulated telecom survey (`simulate_survey`).
    #[staticmethod]
    fn ecsi() -> Model {
        Model {
            inner: SurveySimulator::model(),
        }
    }

    /// Indicator names, block by block.
    #[getter]
    fn indicators(&self) -> Vec<String> {
        self.inner.indicators().map(str::to_string).collect()
    }

    /// Constructs as (name, mode, indicators), in model order.
    #[getter]
    fn constructs(&self) -> Vec<(String, String, Vec<String>)> {
        self.inner
            .constructs()
            .iter()
            .map(|c| (c.name.clone(), c.mode.to_string(), c.indicators.clone()))
            .collect()
    }

    /// Structural paths as (from, to).
    #[getter]
    fn paths(&self) -> Vec<(String, String)> {
        let c = self.inner.constructs();
        self.inner
            .paths()
            .iter()
            .map(|&(a, b)| (c[a].name.clone(), c[b].name.clone()))
            .collect()
    }

    /// The model in the syntax `Model()` reads.
    fn to_syntax(&self) -> String {
        self.inner.to_syntax()
    }

    fn __str__(&self) -> String {
        self.inner.to_syntax()
    }

    fn __repr__(&self) -> String {
        format!("Model({:?})", self.inner.to_syntax())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let cls = slf.get_type();
        (cls, (slf.get().inner.to_syntax(),)).into_pyobject(py)
    }
}

/// A `Model` argument: a `Model` or syntax text.
fn model_arg(model: &Bound<'_, PyAny>) -> PyResult<RsModel> {
    if let Ok(m) = model.cast::<Model>() {
        return Ok(m.get().inner.clone());
    }
    if let Ok(s) = model.cast::<PyString>() {
        return RsModel::from_syntax(&s.to_cow()?).py_err();
    }
    Err(PyTypeError::new_err(
        "model must be lavaan-style syntax (str) or a csikit.Model",
    ))
}

// ----- moments ---------------------------------------------------------------

/// Mergeable sufficient statistics of the indicators (counts, weighted means,
/// co-moments; Chan, Golub & LeVeque 1983), with what missing-data handling
/// did to the rows they summarize. Picklable; `a.merge(b)` (or `a + b`) gives
/// the moments of the union of the rows.
#[pyclass(frozen, module = "csikit._csikit")]
#[derive(Clone)]
struct Moments {
    inner: RsMoments,
    policy: MissingPolicy,
    n_rows: usize,
    n_dropped: usize,
    n_imputed: usize,
}

fn parse_policy(missing: &str) -> PyResult<MissingPolicy> {
    missing.parse::<MissingPolicy>().py_err()
}

fn policy_name(p: MissingPolicy) -> &'static str {
    match p {
        MissingPolicy::Listwise => "listwise",
        MissingPolicy::Mean => "mean",
        MissingPolicy::Error => "error",
        MissingPolicy::Pairwise => "pairwise",
    }
}

#[pymethods]
impl Moments {
    /// Rebuilds moments from `state` (the dict `__getstate__`-style `state()` returns).
    #[new]
    fn new(state: &Bound<'_, PyDict>) -> PyResult<Moments> {
        let get = |k: &str| -> PyResult<Bound<'_, PyAny>> {
            state
                .get_item(k)?
                .ok_or_else(|| PyValueError::new_err(format!("moments state lacks `{k}`")))
        };
        let names: Vec<String> = get("names")?.extract()?;
        let n: u64 = get("n")?.extract()?;
        let weight_sum: f64 = get("weight_sum")?.extract()?;
        let mean: Vec<f64> = get("mean")?.extract()?;
        let comoment: Vec<f64> = get("comoment")?.extract()?;
        let p = names.len();
        if mean.len() != p || comoment.len() != p * p {
            return Err(to_py(Error::Shape {
                message: format!(
                    "moments state: {p} names, {} means, {} co-moments (expected {})",
                    mean.len(),
                    comoment.len(),
                    p * p
                ),
            }));
        }
        let value = serde_json::json!({
            "names": names, "n": n, "weight_sum": weight_sum, "mean": mean, "comoment": comoment,
        });
        let inner: RsMoments =
            serde_json::from_value(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(Moments {
            inner,
            policy: parse_policy(&get("missing")?.extract::<String>()?)?,
            n_rows: get("n_rows")?.extract()?,
            n_dropped: get("n_dropped")?.extract()?,
            n_imputed: get("n_imputed")?.extract()?,
        })
    }

    /// Moments of `names` in a table of columns (see `csikit.moments`).
    #[staticmethod]
    #[pyo3(signature = (columns, names, weights = None, missing = "listwise", na = Vec::new()))]
    fn from_columns(
        py: Python<'_>,
        columns: &Bound<'_, PyList>,
        names: Vec<String>,
        weights: Option<String>,
        missing: &str,
        na: Vec<String>,
    ) -> PyResult<Moments> {
        let policy = parse_policy(missing)?;
        let data = dataset(py, columns, na)?;
        let (inner, report) = py
            .detach(|| RsMoments::from_dataset(&data, &names, weights.as_deref(), policy))
            .py_err()?;
        Ok(Moments {
            inner,
            policy,
            n_rows: report.n_rows,
            n_dropped: report.n_dropped,
            n_imputed: report.n_imputed,
        })
    }

    /// Moments of no rows (the neutral element of `merge`).
    #[staticmethod]
    #[pyo3(signature = (names, missing = "listwise"))]
    fn empty(names: Vec<String>, missing: &str) -> PyResult<Moments> {
        Ok(Moments {
            inner: RsMoments::empty(&names),
            policy: parse_policy(missing)?,
            n_rows: 0,
            n_dropped: 0,
            n_imputed: 0,
        })
    }

    /// The moments of both sets of rows (same variables, same order, same missing policy).
    fn merge(&self, other: &Moments) -> PyResult<Moments> {
        if self.policy != other.policy {
            return Err(to_py(Error::MomentsMismatch {
                message: format!(
                    "computed with missing='{}' and missing='{}'",
                    policy_name(self.policy),
                    policy_name(other.policy)
                ),
            }));
        }
        let mut inner = self.inner.clone();
        inner.merge(&other.inner).py_err()?;
        Ok(Moments {
            inner,
            policy: self.policy,
            n_rows: self.n_rows + other.n_rows,
            n_dropped: self.n_dropped + other.n_dropped,
            n_imputed: self.n_imputed + other.n_imputed,
        })
    }

    fn __add__(&self, other: &Moments) -> PyResult<Moments> {
        self.merge(other)
    }

    /// Variable names.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.inner.names().to_vec()
    }

    /// Rows summarized (after missing-data handling).
    #[getter]
    fn n(&self) -> u64 {
        self.inner.n()
    }

    /// Sum of the case weights (= n without weights).
    #[getter]
    fn weight_sum(&self) -> f64 {
        self.inner.weight_sum()
    }

    /// Rows seen, before missing-data handling.
    #[getter]
    fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Rows dropped by listwise deletion.
    #[getter]
    fn n_dropped(&self) -> usize {
        self.n_dropped
    }

    /// Cells replaced by their column mean (missing='mean': the partition's mean).
    #[getter]
    fn n_imputed(&self) -> usize {
        self.n_imputed
    }

    /// The missing-data policy the moments were computed with.
    #[getter]
    fn missing(&self) -> &'static str {
        policy_name(self.policy)
    }

    /// Weighted means.
    #[getter]
    fn means(&self) -> Vec<f64> {
        self.inner.means().to_vec()
    }

    /// Sample covariance matrix, row-major (p × p).
    fn covariance(&self) -> Vec<f64> {
        self.inner.covariance()
    }

    /// Correlation matrix, row-major (p × p).
    fn correlation(&self) -> Vec<f64> {
        self.inner.correlation()
    }

    /// Everything needed to rebuild the moments exactly (floats are Python floats).
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("names", self.inner.names().to_vec())?;
        d.set_item("n", self.inner.n())?;
        d.set_item("weight_sum", self.inner.weight_sum())?;
        d.set_item("mean", self.inner.means().to_vec())?;
        d.set_item("comoment", self.inner.comoments().to_vec())?;
        d.set_item("missing", policy_name(self.policy))?;
        d.set_item("n_rows", self.n_rows)?;
        d.set_item("n_dropped", self.n_dropped)?;
        d.set_item("n_imputed", self.n_imputed)?;
        Ok(d)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        (slf.get_type(), (slf.get().state(py)?,)).into_pyobject(py)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Moments>().is_ok_and(|o| {
            let o = o.get();
            o.inner == self.inner
                && o.policy == self.policy
                && (o.n_rows, o.n_dropped, o.n_imputed)
                    == (self.n_rows, self.n_dropped, self.n_imputed)
        })
    }

    fn __repr__(&self) -> String {
        let mut s = format!(
            "Moments(n={}, variables={}, missing='{}'",
            self.inner.n(),
            self.inner.names().len(),
            policy_name(self.policy)
        );
        if self.n_dropped > 0 {
            let _ = write!(s, ", dropped={}", self.n_dropped);
        }
        s.push(')');
        s
    }
}

// ----- PLS -------------------------------------------------------------------

/// The estimation settings as the Python layer passes them.
#[derive(Clone)]
struct Settings {
    scheme: Scheme,
    tol: f64,
    max_iter: usize,
    missing: MissingPolicy,
    weights: Option<String>,
    scaling: Scaling,
    stop_rule: StopRule,
    allow_nonconvergence: bool,
    consistent: bool,
    /// Model extensions: higher-order constructs, interaction terms, polychoric correlations.
    hoc_approach: HocApproach,
    interaction_approach: InteractionApproach,
    correlation: CorrelationKind,
}

/// One of the library's serde names (e.g. `"centered"`), with an actionable message.
fn serde_name<T: serde::de::DeserializeOwned>(
    name: &str,
    value: &str,
    options: &str,
) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(value.to_ascii_lowercase()))
        .map_err(|_| setting(name, format!("`{value}` is not one of {options}")))
}

impl Settings {
    #[allow(clippy::too_many_arguments)]
    fn new(
        scheme: &str,
        tol: f64,
        max_iter: i64,
        missing: &str,
        weights: Option<String>,
        scaling: &str,
        stop_rule: &str,
        allow_nonconvergence: bool,
        consistent: bool,
        extensions: (&str, &str, &str),
    ) -> PyResult<Settings> {
        let (hoc_approach, interaction_approach, correlation) = extensions;
        let max_iter = usize::try_from(max_iter).map_err(|_| {
            setting(
                "max_iter",
                format!("{max_iter} is not a positive whole number"),
            )
        })?;
        Ok(Settings {
            scheme: scheme.parse::<Scheme>().py_err()?,
            tol,
            max_iter,
            missing: parse_policy(missing)?,
            weights,
            scaling: serde_name("scaling", scaling, "standardized, centered")?,
            stop_rule: serde_name(
                "stop_rule",
                stop_rule,
                "max_abs_change, sum_abs_change, plspm",
            )?,
            allow_nonconvergence,
            consistent,
            hoc_approach: hoc_approach.parse().py_err()?,
            interaction_approach: interaction_approach.parse().py_err()?,
            correlation: correlation.parse().py_err()?,
        })
    }

    fn pls<'m>(&self, model: &'m RsModel) -> Pls<'m> {
        let mut pls = Pls::new(model)
            .scheme(self.scheme)
            .tolerance(self.tol)
            .max_iter(self.max_iter)
            .missing(self.missing)
            .scaling(self.scaling)
            .stop_rule(self.stop_rule)
            .allow_nonconvergence(self.allow_nonconvergence)
            .consistent(self.consistent)
            .hoc_approach(self.hoc_approach)
            .interaction_approach(self.interaction_approach)
            .correlation(self.correlation);
        if let Some(w) = &self.weights {
            pls = pls.case_weights(w.clone());
        }
        pls
    }
}

/// A fitted PLS path model (the library's `PlsFit`).
#[pyclass(frozen, module = "csikit._csikit")]
struct PlsFit {
    inner: RsPlsFit,
    /// The settings it was fitted with (blindfolding and PLSpredict refit with them).
    settings: Settings,
}

impl PlsFit {
    /// The model as specified (with higher-order constructs and interaction
    /// terms as written): refits (Q², PLSpredict, bootstrap, MGA) start from it.
    fn specified(&self) -> &RsModel {
        self.inner
            .extension
            .as_ref()
            .map_or(self.inner.model(), |e| e.specified_model())
    }
}

#[pymethods]
impl PlsFit {
    /// The model as specified (the fitted `model()` is the one estimated, with
    /// derived columns for higher-order constructs and interaction terms).
    fn specified_model(&self) -> Model {
        Model {
            inner: self.specified().clone(),
        }
    }

    /// The assessment of the higher-order constructs with their lower-order
    /// constructs as indicators (`PlsFit::higher_order_assessment`) as JSON.
    fn higher_order_json(&self) -> PyResult<String> {
        json(&self.inner.higher_order_assessment())
    }

    /// The simple-slope table (`PlsFit::simple_slopes`, or with bootstrap
    /// intervals `Bootstrap::simple_slopes` when `bootstrap` is given) as JSON.
    #[pyo3(signature = (focal, moderator, dependent, columns = None, na = Vec::new(),
        bootstrap = None, seed = 1, confidence = 0.95, sign_change = "none",
        keep_inadmissible = false))]
    #[allow(clippy::too_many_arguments)]
    fn simple_slopes_json(
        &self,
        py: Python<'_>,
        focal: &str,
        moderator: &str,
        dependent: &str,
        columns: Option<&Bound<'_, PyList>>,
        na: Vec<String>,
        bootstrap: Option<usize>,
        seed: u64,
        confidence: f64,
        sign_change: &str,
        keep_inadmissible: bool,
    ) -> PyResult<String> {
        let Some(n) = bootstrap else {
            return json(
                &self
                    .inner
                    .simple_slopes(focal, moderator, dependent)
                    .py_err()?,
            );
        };
        let Some(columns) = columns else {
            return Err(PyValueError::new_err(
                "bootstrap intervals need the data: this fit was not made from data in memory",
            ));
        };
        let sign_change = sign_change.parse::<SignChange>().py_err()?;
        let data = dataset(py, columns, na)?;
        let pls = self.settings.pls(self.specified());
        let table = py
            .detach(|| {
                Bootstrap::new(n)
                    .seed(seed)
                    .confidence(confidence)
                    .sign_change(sign_change)
                    .keep_inadmissible(keep_inadmissible)
                    .simple_slopes(&pls, &data, focal, moderator, dependent)
            })
            .py_err()?;
        json(&table)
    }

    /// The `pls` example's JSON document (DESIGN.md §4).
    fn report_json(&self) -> PyResult<String> {
        json(&self.inner.report())
    }

    /// Every field of the library's `PlsFit` as JSON (cross-loadings,
    /// construct correlations, unidimensionality, missing-data report, …).
    fn fit_json(&self) -> PyResult<String> {
        json(&self.inner)
    }

    /// HTMT from signed indicator correlations (cSEM's variant), as JSON rows.
    fn htmt_signed_json(&self) -> PyResult<String> {
        json(&self.inner.htmt_signed())
    }

    /// The path matrix (rows = dependent, columns = predictor) as JSON.
    fn path_matrix_json(&self) -> PyResult<String> {
        json(&self.inner.path_matrix())
    }

    /// The indicator correlation (or covariance) matrix S the fit iterated on, as JSON.
    fn indicator_matrix_json(&self) -> PyResult<String> {
        json(&self.inner.indicator_matrix())
    }

    /// Construct scores for the rows of `columns` the fit used:
    /// (row indices as int64 bytes, construct names, row-major float64 bytes).
    #[pyo3(signature = (columns, na = Vec::new()))]
    fn scores<'py>(
        &self,
        py: Python<'py>,
        columns: &Bound<'py, PyList>,
        na: Vec<String>,
    ) -> PyResult<(Bound<'py, PyBytes>, Vec<String>, Bound<'py, PyBytes>)> {
        let data = dataset(py, columns, na)?;
        let scores = py.detach(|| self.inner.scores(&data)).py_err()?;
        Ok(scores_out(py, &scores))
    }

    /// The moments the fit was computed from.
    fn moments(&self) -> Moments {
        let m = &self.inner.missing;
        Moments {
            inner: self.inner.moments().clone(),
            policy: m.policy,
            n_rows: m.n_rows,
            n_dropped: m.n_dropped,
            n_imputed: m.n_imputed,
        }
    }

    /// The model that was fitted.
    fn model(&self) -> Model {
        Model {
            inner: self.inner.model().clone(),
        }
    }

    /// The readable text summary (the library's `Display`).
    fn summary(&self) -> String {
        self.inner.to_string()
    }

    /// The assessment (`PlsFit::assess`: reliability, Fornell–Larcker,
    /// cross-loadings, HTMT/HTMT2, VIF, f², SRMR, d_ULS, d_G) as JSON.
    fn assessment_json(&self) -> PyResult<String> {
        json(&self.inner.assess())
    }

    /// The assessment as the library's readable text (`Display`).
    fn assessment_text(&self) -> String {
        self.inner.assess().to_string()
    }

    /// The indicator correlations implied by the model (`saturated`: construct
    /// correlations free) as a JSON matrix.
    fn implied_json(&self, saturated: bool) -> PyResult<String> {
        json(&self.inner.implied_correlation(saturated))
    }

    /// Q² by blindfolding (`Pls::blindfolding`, or `blindfolding_default`
    /// without `omission`) with the fit's settings, as JSON.
    #[pyo3(signature = (columns, na = Vec::new(), omission = None))]
    fn blindfolding_json(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyList>,
        na: Vec<String>,
        omission: Option<usize>,
    ) -> PyResult<String> {
        let data = dataset(py, columns, na)?;
        let pls = self.settings.pls(self.specified());
        let b = py.detach(|| blindfolding(&pls, &data, omission)).py_err()?;
        json(&b)
    }

    /// PLSpredict (`PlsPredict::run`) with the fit's settings: (metrics JSON,
    /// predictions JSON `{rows, pls, lm}`).
    #[pyo3(signature = (columns, na = Vec::new(), folds = 10, repetitions = 1, seed = 1,
        approach = "earliest", targets = None))]
    #[allow(clippy::too_many_arguments)]
    fn predict_json(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyList>,
        na: Vec<String>,
        folds: usize,
        repetitions: usize,
        seed: u64,
        approach: &str,
        targets: Option<Vec<String>>,
    ) -> PyResult<(String, String)> {
        let approach = approach_arg(approach)?;
        let data = dataset(py, columns, na)?;
        let pls = self.settings.pls(self.specified());
        let mut run = PlsPredict::new(&pls)
            .folds(folds)
            .repetitions(repetitions)
            .seed(seed)
            .approach(approach);
        if let Some(t) = targets {
            run = run.targets(t);
        }
        let p = py.detach(|| run.run(&data)).py_err()?;
        let predictions = serde_json::json!({
            "rows": p.rows, "pls": p.pls_predictions, "lm": p.lm_predictions,
        });
        Ok((json(&p)?, json(&predictions)?))
    }

    /// The bootstrap of the fit's model with its settings (`Bootstrap::run`):
    /// the library's `BootstrapResult` as JSON. GIL released.
    #[pyo3(signature = (columns, na = Vec::new(), resamples = 5000, seed = 1, confidence = 0.95,
        sign_change = "none", on_failure = "skip", max_failed_share = 0.5,
        keep_inadmissible = false, bca = true, threads = None))]
    #[allow(clippy::too_many_arguments)]
    fn bootstrap_json(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyList>,
        na: Vec<String>,
        resamples: usize,
        seed: u64,
        confidence: f64,
        sign_change: &str,
        on_failure: &str,
        max_failed_share: f64,
        keep_inadmissible: bool,
        bca: bool,
        threads: Option<usize>,
    ) -> PyResult<String> {
        let mut b = Bootstrap::new(resamples)
            .seed(seed)
            .confidence(confidence)
            .sign_change(sign_change.parse::<SignChange>().py_err()?)
            .on_failure(serde_name::<FailurePolicy>(
                "on_failure",
                on_failure,
                "skip, replace, error",
            )?)
            .max_failed_share(max_failed_share)
            .keep_inadmissible(keep_inadmissible)
            .bca(bca);
        if let Some(t) = threads {
            b = b.threads(t);
        }
        let data = dataset(py, columns, na)?;
        let pls = self.settings.pls(self.specified());
        let r = py.detach(|| b.run(&pls, &data)).py_err()?;
        json(&r)
    }

    /// Multi-group analysis by the levels of `group` (`MultiGroup::run`:
    /// permutation tests of paths, loadings, weights; MICOM) with the fit's
    /// settings, as JSON. GIL released.
    #[pyo3(signature = (columns, group, na = Vec::new(), permutations = 999, seed = 1,
        correction = "holm", alpha = 0.05, max_failed_share = 0.5, keep_inadmissible = false,
        threads = None))]
    #[allow(clippy::too_many_arguments)]
    fn mga_json(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyList>,
        group: &str,
        na: Vec<String>,
        permutations: usize,
        seed: u64,
        correction: &str,
        alpha: f64,
        max_failed_share: f64,
        keep_inadmissible: bool,
        threads: Option<usize>,
    ) -> PyResult<String> {
        let mut g = MultiGroup::new(group)
            .permutations(permutations)
            .seed(seed)
            .correction(correction.parse::<Correction>().py_err()?)
            .alpha(alpha)
            .max_failed_share(max_failed_share)
            .keep_inadmissible(keep_inadmissible);
        if let Some(t) = threads {
            g = g.threads(t);
        }
        let data = dataset(py, columns, na)?;
        let pls = self.settings.pls(self.specified());
        let r = py.detach(|| g.run(&pls, &data)).py_err()?;
        json(&r)
    }

    /// The `pls` example's JSON document with its options: `q2` (`--q2`,
    /// `--omission`), `predict` folds (`--predict`, `--seed`, `--repetitions`),
    /// `scale` (`--scale`; plus per-item scales), `ipma` (`--ipma`),
    /// `bootstrap` (`--bootstrap`, `--confidence`, `--sign-change`,
    /// `--keep-inadmissible`; with `ipma` also the importance intervals) and
    /// `groups` (`--groups`, `--permutations`, `--correction`), computed
    /// exactly as the example does.
    #[pyo3(signature = (columns = None, na = Vec::new(), q2 = false, omission = None,
        predict = None, seed = 1, repetitions = 1, scale = None, item_scales = Vec::new(),
        ipma = None, bootstrap = None, confidence = 0.95, sign_change = "none",
        keep_inadmissible = false, groups = None, permutations = 999, correction = "holm",
        slopes = None))]
    #[allow(clippy::too_many_arguments)]
    fn report_with_json(
        &self,
        py: Python<'_>,
        columns: Option<&Bound<'_, PyList>>,
        na: Vec<String>,
        q2: bool,
        omission: Option<usize>,
        predict: Option<usize>,
        seed: u64,
        repetitions: usize,
        scale: Option<(f64, f64)>,
        item_scales: Vec<(String, (f64, f64))>,
        ipma: Option<String>,
        bootstrap: Option<usize>,
        confidence: f64,
        sign_change: &str,
        keep_inadmissible: bool,
        groups: Option<String>,
        permutations: usize,
        correction: &str,
        slopes: Option<(String, String, String)>,
    ) -> PyResult<String> {
        let request = csikit::analysis::PlsRequest {
            q2,
            omission,
            predict,
            repetitions,
            seed,
            scale: scale.map(|(min, max)| Scale::new(min, max)),
            item_scales: item_scales
                .into_iter()
                .map(|(item, (min, max))| (item, Scale::new(min, max)))
                .collect(),
            ipma,
            bootstrap,
            confidence,
            sign_change: sign_change.parse::<SignChange>().py_err()?,
            keep_inadmissible,
            groups,
            permutations,
            correction: correction.parse::<Correction>().py_err()?,
            slopes: slopes.map(|(focal, moderator, dependent)| {
                csikit::analysis::pls::SlopesRequest {
                    focal,
                    moderator,
                    dependent,
                }
            }),
            ..Default::default()
        };
        let data = match columns {
            // The rows also let a declared scale be checked against every answer.
            Some(columns) if request.needs_rows() || request.has_scales() => {
                Some(dataset(py, columns, na)?)
            }
            _ => None,
        };
        let pls = self.settings.pls(self.specified());
        let fit = self.inner.clone();
        let doc = py
            .detach(|| {
                csikit::analysis::pls::complete(
                    fit,
                    &pls,
                    data.as_ref(),
                    &request,
                    &csikit::analysis::Observer::silent(),
                )
            })
            .py_err()?;
        json(&doc.report)
    }

    /// The 0–100 CSI index (`csi::index`) for the answer scales.
    #[pyo3(signature = (scale = None, item_scales = Vec::new()))]
    fn index(
        &self,
        scale: Option<(f64, f64)>,
        item_scales: Vec<(String, (f64, f64))>,
    ) -> PyResult<CsiIndex> {
        let scales = scales_required(scale, item_scales)?;
        let inner = csi::index(&self.inner, &scales).py_err()?;
        Ok(CsiIndex { inner })
    }

    /// Impacts of every driver on every construct it reaches (`csi::impacts`) as JSON.
    #[pyo3(signature = (scale = None, item_scales = Vec::new()))]
    fn impacts_json(
        &self,
        scale: Option<(f64, f64)>,
        item_scales: Vec<(String, (f64, f64))>,
    ) -> PyResult<String> {
        let scales = scales_required(scale, item_scales)?;
        let index = csi::index(&self.inner, &scales).py_err()?;
        json(&csi::impacts(&self.inner, &index))
    }

    /// The importance–performance map of `target` (`csi::ipma`); with
    /// `bootstrap` resamples of `columns` (`csi::CsiBootstrap`), the
    /// percentile intervals of the importances at level `confidence`.
    #[pyo3(signature = (target, scale = None, item_scales = Vec::new(), construct_split = None,
        indicator_split = None, ranking = "potential_gain", columns = None, na = Vec::new(),
        bootstrap = None, seed = 1, confidence = 0.95))]
    #[allow(clippy::too_many_arguments)]
    fn ipma(
        &self,
        py: Python<'_>,
        target: &str,
        scale: Option<(f64, f64)>,
        item_scales: Vec<(String, (f64, f64))>,
        construct_split: Option<(f64, f64)>,
        indicator_split: Option<(f64, f64)>,
        ranking: &str,
        columns: Option<&Bound<'_, PyList>>,
        na: Vec<String>,
        bootstrap: Option<usize>,
        seed: u64,
        confidence: f64,
    ) -> PyResult<CsiIpma> {
        let scales = scales_required(scale, item_scales)?;
        let options = ipma_options(construct_split, indicator_split, ranking)?;
        let index = csi::index(&self.inner, &scales).py_err()?;
        let mut inner = csi::ipma(&self.inner, &index, target, &options).py_err()?;
        if let Some(n) = bootstrap {
            let Some(columns) = columns else {
                return Err(PyValueError::new_err(
                    "the bootstrap needs the data: this fit was not made from data in memory",
                ));
            };
            let data = dataset(py, columns, na)?;
            let pls = self.settings.pls(self.specified());
            let settings = Bootstrap::new(n)
                .seed(seed)
                .confidence(confidence)
                .bca(false);
            let boot = py
                .detach(|| csi::CsiBootstrap::run(&pls, &data, &scales, target, &settings))
                .py_err()?;
            boot.apply_ipma(&mut inner);
        }
        Ok(CsiIpma { inner })
    }

    /// Per-respondent 0–100 index scores (`csi::index_scores`), laid out as `scores`.
    #[pyo3(signature = (columns, na = Vec::new(), scale = None, item_scales = Vec::new()))]
    fn index_scores<'py>(
        &self,
        py: Python<'py>,
        columns: &Bound<'py, PyList>,
        na: Vec<String>,
        scale: Option<(f64, f64)>,
        item_scales: Vec<(String, (f64, f64))>,
    ) -> PyResult<(Bound<'py, PyBytes>, Vec<String>, Bound<'py, PyBytes>)> {
        let scales = scales_required(scale, item_scales)?;
        let data = dataset(py, columns, na)?;
        let scores = py
            .detach(|| csi::index_scores(&self.inner, &scales, &data))
            .py_err()?;
        Ok(scores_out(py, &scores))
    }
}

/// Scores as (row indices as int64 bytes, construct names, row-major float64 bytes).
fn scores_out<'py>(
    py: Python<'py>,
    scores: &csikit::pls::Scores,
) -> (Bound<'py, PyBytes>, Vec<String>, Bound<'py, PyBytes>) {
    let rows: Vec<u8> = scores
        .rows
        .iter()
        .flat_map(|&r| (r as i64).to_ne_bytes())
        .collect();
    let values: Vec<u8> = scores.values.iter().flat_map(|x| x.to_ne_bytes()).collect();
    (
        PyBytes::new(py, &rows),
        scores.constructs.clone(),
        PyBytes::new(py, &values),
    )
}

fn blindfolding(
    pls: &Pls<'_>,
    data: &Dataset,
    omission: Option<usize>,
) -> csikit::Result<csikit::pls::Blindfolding> {
    match omission {
        Some(d) => pls.blindfolding(data, d),
        None => pls.blindfolding_default(data),
    }
}

fn approach_arg(approach: &str) -> PyResult<PredictApproach> {
    match approach.to_ascii_lowercase().as_str() {
        "earliest" | "earliest_antecedents" => Ok(PredictApproach::EarliestAntecedents),
        "direct" | "direct_antecedents" => Ok(PredictApproach::DirectAntecedents),
        _ => Err(setting(
            "approach",
            format!("`{approach}` is not one of earliest, direct"),
        )),
    }
}

/// Answer scales: a default (`scale`) and per-item overrides; `None` when neither is given.
fn scales_arg(scale: Option<(f64, f64)>, item_scales: Vec<(String, (f64, f64))>) -> Option<Scales> {
    if scale.is_none() && item_scales.is_empty() {
        return None;
    }
    let mut scales = match scale {
        Some((lo, hi)) => Scales::uniform(Scale::new(lo, hi)),
        None => Scales::none(),
    };
    for (item, (lo, hi)) in item_scales {
        scales = scales.with(item, Scale::new(lo, hi));
    }
    Some(scales)
}

fn scales_required(
    scale: Option<(f64, f64)>,
    item_scales: Vec<(String, (f64, f64))>,
) -> PyResult<Scales> {
    scales_arg(scale, item_scales).ok_or_else(|| {
        setting(
            "scale",
            "give the answer scale, e.g. scale=(1, 10) (and item_scales for items on other scales)"
                .into(),
        )
    })
}

fn ipma_options(
    construct_split: Option<(f64, f64)>,
    indicator_split: Option<(f64, f64)>,
    ranking: &str,
) -> PyResult<IpmaOptions> {
    let split = |s: Option<(f64, f64)>| match s {
        None => Split::Means,
        Some((importance, performance)) => Split::Values {
            importance,
            performance,
        },
    };
    let ranking = match ranking.to_ascii_lowercase().as_str() {
        "potential_gain" => Ranking::PotentialGain,
        "importance" => Ranking::Importance,
        _ => {
            return Err(setting(
                "ranking",
                format!("`{ranking}` is not one of potential_gain, importance"),
            ));
        }
    };
    Ok(IpmaOptions {
        construct_split: split(construct_split),
        indicator_split: split(indicator_split),
        ranking,
    })
}

// ----- CSI ---------------------------------------------------------------------

/// The 0–100 index of every construct and indicator (the library's `IndexResult`).
#[pyclass(frozen, module = "csikit._csikit")]
struct CsiIndex {
    inner: csi::IndexResult,
}

#[pymethods]
impl CsiIndex {
    /// The result as JSON.
    fn json(&self) -> PyResult<String> {
        json(&self.inner)
    }

    /// Horizontal bars of the index per construct with intervals (SVG).
    #[pyo3(signature = (title = "Index (0-100)"))]
    fn svg(&self, title: &str) -> String {
        csi::chart::index_bars(&self.inner, title)
    }
}

/// An importance–performance map (the library's `Ipma`).
#[pyclass(frozen, module = "csikit._csikit")]
struct CsiIpma {
    inner: csi::Ipma,
}

#[pymethods]
impl CsiIpma {
    /// The map as JSON.
    fn json(&self) -> PyResult<String> {
        json(&self.inner)
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
    /// The analysis as JSON.
    fn json(&self) -> PyResult<String> {
        json(&self.inner)
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

/// The PLS settings as the Python layer passes them to CSI functions:
/// (scheme, tol, max_iter, missing, weights, scaling, stop_rule, allow_nonconvergence, consistent,
/// hoc_approach, interaction_approach, correlation).
type SettingsTuple = (
    String,
    f64,
    i64,
    String,
    Option<String>,
    String,
    String,
    bool,
    bool,
    String,
    String,
    String,
);

fn settings_of(t: SettingsTuple) -> PyResult<Settings> {
    Settings::new(
        &t.0,
        t.1,
        t.2,
        &t.3,
        t.4,
        &t.5,
        &t.6,
        t.7,
        t.8,
        (&t.9, &t.10, &t.11),
    )
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
    settings: Settings,
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
        settings: SettingsTuple,
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
            settings: settings_of(settings)?,
            bootstrap,
        })
    }

    fn build<'m>(&self, model: &'m CsiModel) -> CsiAnalysis<'m> {
        let mut a = CsiAnalysis::new(model, self.scales.clone())
            .min_group_size(self.min_group_size)
            .small_groups(self.small_groups)
            .level(self.level)
            .configure(|_| self.settings.pls(model.model()));
        if let Some(t) = &self.target {
            a = a.target(t.as_str());
        }
        if let Some((n, seed)) = self.bootstrap {
            a = a.bootstrap(Bootstrap::new(n).seed(seed));
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
    settings: SettingsTuple,
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
        settings,
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
    let analysis = a.build(&model);
    let inner = py
        .detach(|| {
            if period {
                analysis.periods(&data, column, &cmp)
            } else {
                analysis.segments(&data, column)
            }
        })
        .py_err()?;
    Ok(CsiGroups { inner })
}

/// Writes the CSI report folder (`CsiReport::write`): report.md, report.html,
/// charts/*.svg, tables/*.csv. Returns the paths written.
#[pyfunction]
#[pyo3(signature = (columns, model, out, settings, segments = Vec::new(), period = None,
    previous = true, lag = Some(12), base = None, target = None, scale = None,
    item_scales = Vec::new(), min_group_size = 30, title = None, description = None,
    notes = Vec::new(), na = Vec::new(), model_name = None, bootstrap = None, seed = 1,
    level = 0.95))]
#[allow(clippy::too_many_arguments)]
fn acsi_report(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    model: &Bound<'_, PyAny>,
    out: std::path::PathBuf,
    settings: SettingsTuple,
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
) -> PyResult<Vec<std::path::PathBuf>> {
    let model = csi_model_of(model_arg(model)?, model_name);
    let settings = settings_of(settings)?.pls(model.model()).settings().clone();
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
        codebook: None,
    };
    let data = dataset(py, columns, na)?;
    let description = description.unwrap_or_else(|| format!("Data: {} rows.", data.n_rows()));
    py.detach(|| -> csikit::Result<Vec<std::path::PathBuf>> {
        csikit::analysis::acsi::run(
            &data,
            &model,
            &description,
            &request,
            &csikit::analysis::Observer::silent(),
        )?
        .write(&out)
    })
    .py_err()
}

/// A CSI template's structure ("acsi", "ecsi", "ccsi") as JSON.
#[pyfunction]
fn csi_template(name: &str) -> PyResult<String> {
    json(&template(name)?)
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
/// with `groups`): units are (name, index, weight); JSON list of units.
#[pyfunction]
#[pyo3(signature = (units, name = "total".to_string(), groups = None))]
fn aggregate_index(
    units: Vec<(String, f64, f64)>,
    name: String,
    groups: Option<Vec<String>>,
) -> PyResult<String> {
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
    json(&out)
}

/// The exact population values of the simulated survey (`SurveySimulator::truth`) as JSON:
/// `{share, item_means: {indicator: mean}, paths: [[from, to, value]]}`.
#[pyfunction]
#[pyo3(signature = (filters = Vec::new(), months = 12, monthly_drift = 0.02))]
fn simulate_truth(
    filters: Vec<(String, String)>,
    months: usize,
    monthly_drift: f64,
) -> PyResult<String> {
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
    json(&serde_json::json!({"share": t.share, "item_means": means, "paths": t.paths}))
}

// ----- monitoring ----------------------------------------------------------------

/// Complaint metrics of a complaints table against customer counts
/// (`monitor::Complaints::metrics`), with hotspots, KPIs and links.
#[pyclass(frozen, module = "csikit._csikit")]
struct Monitor {
    complaints: Complaints,
    counts: CustomerCounts,
    metrics: ComplaintMetrics,
}

fn period_arg(name: &str, text: &str) -> PyResult<Period> {
    text.parse::<Period>()
        .map_err(|e| setting(name, e.to_string()))
}

#[pymethods]
impl Monitor {
    /// Reads and validates both tables and computes the metrics.
    #[new]
    #[pyo3(signature = (complaints, customers, period = "month", category = "category",
        segments = Vec::new(), response_hours = None, resolution_hours = None,
        customer_id = None, customers_period = None, customers_column = "customers",
        base_period = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        complaints: &Bound<'_, PyList>,
        customers: &Bound<'_, PyList>,
        period: &str,
        category: &str,
        segments: Vec<String>,
        response_hours: Option<String>,
        resolution_hours: Option<String>,
        customer_id: Option<String>,
        customers_period: Option<String>,
        customers_column: &str,
        base_period: Option<String>,
    ) -> PyResult<Monitor> {
        let mut cols = ComplaintColumns::new(period, category);
        for s in &segments {
            cols = cols.segment(s.clone());
        }
        if let Some(c) = response_hours {
            cols = cols.response_hours(c);
        }
        if let Some(c) = resolution_hours {
            cols = cols.resolution_hours(c);
        }
        if let Some(c) = customer_id {
            cols = cols.customer_id(c);
        }
        let options = MetricOptions {
            base_period: base_period
                .map(|b| period_arg("base_period", &b))
                .transpose()?,
        };
        let complaints = dataset(py, complaints, Vec::new())?;
        let customers = dataset(py, customers, Vec::new())?;
        let cp = customers_period.unwrap_or_else(|| period.to_string());
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        py.detach(|| -> csikit::Result<Monitor> {
            let complaints = Complaints::from_dataset(&complaints, &cols)?;
            let counts = CustomerCounts::from_dataset(&customers, &cp, customers_column, &segs)?;
            let metrics = complaints.metrics(&counts, &options)?;
            Ok(Monitor {
                complaints,
                counts,
                metrics,
            })
        })
        .py_err()
    }

    /// The metrics table as JSON.
    fn metrics_json(&self) -> PyResult<String> {
        json(&self.metrics)
    }

    /// Complaint categories, alphabetical.
    fn categories(&self) -> Vec<String> {
        self.complaints.categories()
    }

    /// Periods covered by the customer counts (YYYY-MM), ascending.
    fn periods(&self) -> Vec<String> {
        self.metrics.periods.iter().map(|p| p.to_string()).collect()
    }

    /// Top-`n` hotspots of a month (default: the last) as JSON.
    #[pyo3(signature = (period = None, n = 10, min_volume = 5, segment = None))]
    fn hotspots_json(
        &self,
        period: Option<&str>,
        n: usize,
        min_volume: u64,
        segment: Option<&str>,
    ) -> PyResult<String> {
        let period = match period {
            Some(p) => period_arg("period", p)?,
            None => *self.metrics.periods.last().ok_or_else(|| {
                to_py(Error::EmptyData {
                    context: " (no periods in the customer counts)".into(),
                })
            })?,
        };
        json(
            &self
                .metrics
                .hotspots(period, n, min_volume, segment)
                .py_err()?,
        )
    }

    /// KPI status per period (and segment) as JSON. `kpis`: (kind, a, b) with
    /// kind satisfied_share (threshold, target), complaint_rate (max),
    /// response_within / resolution_within (hours, min_share),
    /// response_percentile / resolution_percentile (percentile, max_hours).
    #[pyo3(signature = (kpis, survey = None, survey_period = "month",
        satisfaction = "satisfaction"))]
    fn kpis_json(
        &self,
        py: Python<'_>,
        kpis: Vec<(String, f64, Option<f64>)>,
        survey: Option<&Bound<'_, PyList>>,
        survey_period: &str,
        satisfaction: &str,
    ) -> PyResult<String> {
        let kpis = kpis
            .into_iter()
            .map(|(kind, a, b)| kpi_of(&kind, a, b))
            .collect::<PyResult<Vec<_>>>()?;
        let survey = survey.map(|s| dataset(py, s, Vec::new())).transpose()?;
        let input = survey.as_ref().map(|data| SurveyInput {
            data,
            period: survey_period,
            satisfaction,
        });
        let status = py
            .detach(|| evaluate_kpis(&kpis, &self.complaints, &self.counts, input))
            .py_err()?;
        json(&status)
    }

    /// Respondent-level link of complaint categories to driver performance
    /// (`monitor::link_by_respondent`) as JSON.
    #[pyo3(signature = (survey, drivers, id_column = "customer_id", level = 0.95,
        bonferroni = true))]
    fn link_by_respondent_json(
        &self,
        py: Python<'_>,
        survey: &Bound<'_, PyList>,
        drivers: Vec<String>,
        id_column: &str,
        level: f64,
        bonferroni: bool,
    ) -> PyResult<String> {
        let survey = dataset(py, survey, Vec::new())?;
        let d: Vec<&str> = drivers.iter().map(String::as_str).collect();
        let rows = py
            .detach(|| {
                link_by_respondent(&self.complaints, &survey, id_column, &d, level, bonferroni)
            })
            .py_err()?;
        json(&rows)
    }

    /// Segment-level link (`monitor::link_by_segment`) as JSON.
    #[pyo3(signature = (survey, drivers, level = 0.95))]
    fn link_by_segment_json(
        &self,
        py: Python<'_>,
        survey: &Bound<'_, PyList>,
        drivers: Vec<String>,
        level: f64,
    ) -> PyResult<String> {
        let survey = dataset(py, survey, Vec::new())?;
        let d: Vec<&str> = drivers.iter().map(String::as_str).collect();
        let rows = py
            .detach(|| {
                link_by_segment(
                    &self.metrics,
                    &self.complaints.segment_columns,
                    &survey,
                    &d,
                    level,
                )
            })
            .py_err()?;
        json(&rows)
    }

    /// The complaint-rate trend of some categories (SVG).
    fn trend_svg(&self, categories: Vec<String>) -> String {
        let c: Vec<&str> = categories.iter().map(String::as_str).collect();
        trend_chart(&self.metrics, &c)
    }
}

fn kpi_of(kind: &str, a: f64, b: Option<f64>) -> PyResult<Kpi> {
    let second = |what: &str| {
        b.ok_or_else(|| setting("kpis", format!("KPI `{kind}` needs two numbers ({what})")))
    };
    Ok(match kind {
        "satisfied_share" => Kpi::SatisfiedShare {
            threshold: a,
            target: second("threshold, target")?,
        },
        "complaint_rate" => Kpi::ComplaintRate { max: a },
        "response_within" => Kpi::ResponseWithin {
            hours: a,
            min_share: second("hours, min_share")?,
        },
        "resolution_within" => Kpi::ResolutionWithin {
            hours: a,
            min_share: second("hours, min_share")?,
        },
        "response_percentile" => Kpi::ResponsePercentile {
            percentile: a,
            max_hours: second("percentile, max_hours")?,
        },
        "resolution_percentile" => Kpi::ResolutionPercentile {
            percentile: a,
            max_hours: second("percentile, max_hours")?,
        },
        _ => {
            return Err(setting(
                "kpis",
                format!(
                    "`{kind}` is not one of satisfied_share, complaint_rate, response_within, \
                     resolution_within, response_percentile, resolution_percentile"
                ),
            ));
        }
    })
}

/// The simulated operator (`monitor::MonitorSimulation`): (complaints, customers, survey).
#[pyfunction]
#[pyo3(signature = (customers = 30000, months = 12, survey_per_month = 300, seed = 1))]
fn simulate_monitor<'py>(
    py: Python<'py>,
    customers: usize,
    months: usize,
    survey_per_month: usize,
    seed: u64,
) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyList>, Bound<'py, PyList>)> {
    let sim = py
        .detach(|| {
            MonitorSimulation::new()
                .customers(customers)
                .months(months)
                .survey_per_month(survey_per_month)
                .seed(seed)
                .simulate()
        })
        .py_err()?;
    Ok((
        columns_out(py, &sim.complaints)?,
        columns_out(py, &sim.customers)?,
        columns_out(py, &sim.survey)?,
    ))
}

fn fit_with(py: Python<'_>, model: &RsModel, s: &Settings, data: &Dataset) -> PyResult<PlsFit> {
    let inner = py.detach(|| s.pls(model).fit(data)).py_err()?;
    Ok(PlsFit {
        inner,
        settings: s.clone(),
    })
}

/// Fits a PLS path model to a table of columns (see `csikit.pls`).
#[pyfunction]
#[pyo3(signature = (columns, model, scheme = "path", tol = 1e-7, max_iter = 300,
    missing = "listwise", weights = None, na = Vec::new(), scaling = "standardized",
    stop_rule = "max_abs_change", allow_nonconvergence = false, consistent = false,
    hoc_approach = "repeated", interaction_approach = "product", correlation = "pearson"))]
#[allow(clippy::too_many_arguments)]
fn pls_fit(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    model: &Bound<'_, PyAny>,
    scheme: &str,
    tol: f64,
    max_iter: i64,
    missing: &str,
    weights: Option<String>,
    na: Vec<String>,
    scaling: &str,
    stop_rule: &str,
    allow_nonconvergence: bool,
    consistent: bool,
    hoc_approach: &str,
    interaction_approach: &str,
    correlation: &str,
) -> PyResult<PlsFit> {
    let model = model_arg(model)?;
    let s = Settings::new(
        scheme,
        tol,
        max_iter,
        missing,
        weights,
        scaling,
        stop_rule,
        allow_nonconvergence,
        consistent,
        (hoc_approach, interaction_approach, correlation),
    )?;
    let data = dataset(py, columns, na)?;
    fit_with(py, &model, &s, &data)
}

/// Fits a PLS path model to a CSV file read by the library's reader.
#[pyfunction]
#[pyo3(signature = (path, model, scheme = "path", tol = 1e-7, max_iter = 300,
    missing = "listwise", weights = None, na = Vec::new(), scaling = "standardized",
    stop_rule = "max_abs_change", allow_nonconvergence = false, delimiter = ",",
    consistent = false, hoc_approach = "repeated", interaction_approach = "product",
    correlation = "pearson"))]
#[allow(clippy::too_many_arguments)]
fn pls_fit_csv(
    py: Python<'_>,
    path: &str,
    model: &Bound<'_, PyAny>,
    scheme: &str,
    tol: f64,
    max_iter: i64,
    missing: &str,
    weights: Option<String>,
    na: Vec<String>,
    scaling: &str,
    stop_rule: &str,
    allow_nonconvergence: bool,
    delimiter: &str,
    consistent: bool,
    hoc_approach: &str,
    interaction_approach: &str,
    correlation: &str,
) -> PyResult<PlsFit> {
    let model = model_arg(model)?;
    let s = Settings::new(
        scheme,
        tol,
        max_iter,
        missing,
        weights,
        scaling,
        stop_rule,
        allow_nonconvergence,
        consistent,
        (hoc_approach, interaction_approach, correlation),
    )?;
    let data = load_csv(py, path, na, delimiter)?;
    fit_with(py, &model, &s, &data)
}

/// Fits a PLS path model from (merged) moments. The result's missing-data
/// report is the moments' (rows seen, dropped, imputed), so nothing dropped in
/// a partition goes unreported.
#[pyfunction]
#[pyo3(signature = (moments, model, scheme = "path", tol = 1e-7, max_iter = 300,
    scaling = "standardized", stop_rule = "max_abs_change", allow_nonconvergence = false,
    consistent = false, hoc_approach = "repeated", interaction_approach = "product",
    correlation = "pearson"))]
#[allow(clippy::too_many_arguments)]
fn pls_fit_moments(
    py: Python<'_>,
    moments: &Moments,
    model: &Bound<'_, PyAny>,
    scheme: &str,
    tol: f64,
    max_iter: i64,
    scaling: &str,
    stop_rule: &str,
    allow_nonconvergence: bool,
    consistent: bool,
    hoc_approach: &str,
    interaction_approach: &str,
    correlation: &str,
) -> PyResult<PlsFit> {
    let model = model_arg(model)?;
    let s = Settings::new(
        scheme,
        tol,
        max_iter,
        policy_name(moments.policy),
        None,
        scaling,
        stop_rule,
        allow_nonconvergence,
        consistent,
        (hoc_approach, interaction_approach, correlation),
    )?;
    let mut inner = py
        .detach(|| s.pls(&model).fit_moments(&moments.inner))
        .py_err()?;
    let report = &mut inner.missing;
    report.policy = moments.policy;
    report.n_rows = moments.n_rows;
    report.n_dropped = moments.n_dropped;
    report.n_imputed = moments.n_imputed;
    Ok(PlsFit { inner, settings: s })
}

// ----- SERVQUAL and KANO -----------------------------------------------------

/// SERVQUAL analysis (the library's `servqual::analyze`, or `servqual::analyze_by`
/// per level of the `by` column) as JSON.
#[pyfunction]
#[pyo3(signature = (columns, scale = (1.0, 7.0), reverse = Vec::new(), dimensions = None,
    perception = "P".to_string(), expectation = Some("E".to_string()),
    adequate = Some("A".to_string()), desired = Some("D".to_string()),
    weight = Some("W_".to_string()), weight_policy = "normalize", weight_tolerance = 0.5,
    by = None))]
#[allow(clippy::too_many_arguments)]
fn servqual_json(
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
) -> PyResult<String> {
    let instrument = match dimensions {
        None => Instrument::standard(),
        Some(dims) => {
            let names: Vec<&str> = dims.iter().map(|d| d.0.as_str()).collect();
            let items: Vec<(&str, &str)> = dims
                .iter()
                .flat_map(|(d, ids)| ids.iter().map(move |i| (i.as_str(), d.as_str())))
                .collect();
            Instrument::custom(&names, &items).py_err()?
        }
    };
    let policy = match weight_policy.to_ascii_lowercase().as_str() {
        "normalize" => WeightPolicy::Normalize,
        "exclude" => WeightPolicy::Exclude,
        "strict" => WeightPolicy::Strict,
        _ => {
            return Err(setting(
                "weight_policy",
                format!("`{weight_policy}` is not one of normalize, exclude, strict"),
            ));
        }
    };
    let options = ServqualOptions::default()
        .scale(SqScale::new(scale.0, scale.1).py_err()?)
        .reverse(&reverse)
        .columns(Columns {
            perception,
            expectation,
            adequate,
            desired,
            weight,
        })
        .weight_policy(policy)
        .weight_tolerance(weight_tolerance);
    let data = dataset(py, columns, Vec::new())?;
    match by {
        None => json(
            &py.detach(|| servqual::analyze(&data, &instrument, &options))
                .py_err()?,
        ),
        Some(column) => json(
            &py.detach(|| servqual::analyze_by(&data, &column, &instrument, &options))
                .py_err()?,
        ),
    }
}

/// KANO analysis (the library's `kano::analyze`, `kano::from_counts` for a
/// table of counts, or `kano::analyze_by` per level of the `by` column) as JSON.
#[pyfunction]
#[pyo3(signature = (columns, counts = false, threshold = 0.06, max_questionable = None,
    weight_by_importance = false, by = None))]
fn kano_json(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    counts: bool,
    threshold: f64,
    max_questionable: Option<usize>,
    weight_by_importance: bool,
    by: Option<String>,
) -> PyResult<String> {
    let mut options = KanoOptions::default()
        .threshold(threshold)
        .weight_by_importance(weight_by_importance);
    if let Some(m) = max_questionable {
        options = options.max_questionable(m);
    }
    let data = dataset(py, columns, Vec::new())?;
    if let Some(column) = by {
        if counts {
            return Err(setting(
                "by",
                "segments need the answers, not a table of counts".into(),
            ));
        }
        return json(
            &py.detach(|| kano::analyze_by(&data, &column, &options))
                .py_err()?,
        );
    }
    let report = py
        .detach(|| {
            if counts {
                kano::from_counts(&data, &options)
            } else {
                kano::analyze(&data, &options)
            }
        })
        .py_err()?;
    json(&report)
}

// ----- module ----------------------------------------------------------------

/// The compiled core of `csikit` (see the package docstring).
#[pymodule]
fn _csikit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CsikitError", py.get_type::<CsikitError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("EstimationError", py.get_type::<EstimationError>())?;
    m.add("ConvergenceError", py.get_type::<ConvergenceError>())?;
    m.add_class::<Model>()?;
    m.add_class::<Moments>()?;
    m.add_class::<PlsFit>()?;
    m.add_function(wrap_pyfunction!(read_csv, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_survey, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_servqual, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_kano, m)?)?;
    m.add_function(wrap_pyfunction!(pls_fit, m)?)?;
    m.add_function(wrap_pyfunction!(pls_fit_csv, m)?)?;
    m.add_function(wrap_pyfunction!(pls_fit_moments, m)?)?;
    m.add_function(wrap_pyfunction!(servqual_json, m)?)?;
    m.add_function(wrap_pyfunction!(kano_json, m)?)?;
    m.add_class::<CsiIndex>()?;
    m.add_class::<CsiIpma>()?;
    m.add_class::<CsiGroups>()?;
    m.add_class::<Monitor>()?;
    m.add_function(wrap_pyfunction!(csi_groups, m)?)?;
    m.add_function(wrap_pyfunction!(acsi_report, m)?)?;
    m.add_function(wrap_pyfunction!(csi_template, m)?)?;
    m.add_function(wrap_pyfunction!(csi_model, m)?)?;
    m.add_function(wrap_pyfunction!(aggregate_index, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_truth, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_monitor, m)?)?;
    m.add_function(wrap_pyfunction!(_error_class, m)?)?;
    Ok(())
}
