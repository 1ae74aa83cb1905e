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

use csikit::kano::{self, KanoOptions};
use csikit::servqual::{self, Columns, Instrument, Scale, ServqualOptions, WeightPolicy};
use csikit::{
    ColumnData, Dataset, Error, MissingPolicy, Model as RsModel, Moments as RsMoments, Pls,
    PlsFit as RsPlsFit, Scaling, Scheme, StopRule, SurveySimulator,
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
     `kind` names the library's error variant, e.g. 'UnknownColumn'."
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

/// The library error's variant name (`UnknownColumn`, …) from its `Debug` form.
fn variant_name(e: &Error) -> String {
    let debug = format!("{e:?}");
    debug
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("")
        .to_string()
}

/// Converts a library error into the documented Python exception, with the
/// library's message and the variant name in `kind`.
fn to_py(e: Error) -> PyErr {
    let kind = variant_name(&e);
    let message = e.to_string();
    let err = match kind.as_str() {
        "NotConverged" => ConvergenceError::new_err(message),
        "SingularBlock" | "SingularPredictors" | "DegenerateConstruct" => {
            EstimationError::new_err(message)
        }
        "Syntax"
        | "DuplicateConstruct"
        | "EmptyBlock"
        | "IndicatorInTwoBlocks"
        | "DuplicateIndicator"
        | "UnknownConstruct"
        | "SelfLoop"
        | "DuplicatePath"
        | "Cycle"
        | "IsolatedConstruct"
        | "NoStructuralModel"
        | "UnknownItem"
        | "UnknownDimension"
        | "EmptyDimension"
        | "DuplicateItem"
        | "DuplicateGap" => ModelError::new_err(message),
        "Io"
        | "Csv"
        | "EmptyData"
        | "DuplicateColumn"
        | "Shape"
        | "UnknownColumn"
        | "NonNumeric"
        | "NonFinite"
        | "ConstantColumn"
        | "AllMissing"
        | "MissingValues"
        | "InvalidWeights"
        | "TooFewObservations"
        | "MomentsMismatch"
        | "OutOfScale"
        | "ImportancePoints"
        | "KanoInvalidAnswer"
        | "KanoInvalidImportance"
        | "KanoUnpairedColumn"
        | "KanoNoFeatures"
        | "KanoInvalidCount" => DataError::new_err(message),
        _ => CsikitError::new_err(message),
    };
    Python::attach(|py| {
        // Setting an attribute on a fresh exception instance cannot fail in practice;
        // if it did, the exception is still raised with its message.
        let _ = err.value(py).setattr("kind", kind);
    });
    err
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
    ) -> PyResult<Settings> {
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
            .allow_nonconvergence(self.allow_nonconvergence);
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
}

#[pymethods]
impl PlsFit {
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
        let rows: Vec<u8> = scores
            .rows
            .iter()
            .flat_map(|&r| (r as i64).to_ne_bytes())
            .collect();
        let values: Vec<u8> = scores.values.iter().flat_map(|x| x.to_ne_bytes()).collect();
        Ok((
            PyBytes::new(py, &rows),
            scores.constructs,
            PyBytes::new(py, &values),
        ))
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
}

fn fit_with(py: Python<'_>, model: &RsModel, s: &Settings, data: &Dataset) -> PyResult<PlsFit> {
    let inner = py.detach(|| s.pls(model).fit(data)).py_err()?;
    Ok(PlsFit { inner })
}

/// Fits a PLS path model to a table of columns (see `csikit.pls`).
#[pyfunction]
#[pyo3(signature = (columns, model, scheme = "path", tol = 1e-7, max_iter = 300,
    missing = "listwise", weights = None, na = Vec::new(), scaling = "standardized",
    stop_rule = "max_abs_change", allow_nonconvergence = false))]
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
    )?;
    let data = dataset(py, columns, na)?;
    fit_with(py, &model, &s, &data)
}

/// Fits a PLS path model to a CSV file read by the library's reader.
#[pyfunction]
#[pyo3(signature = (path, model, scheme = "path", tol = 1e-7, max_iter = 300,
    missing = "listwise", weights = None, na = Vec::new(), scaling = "standardized",
    stop_rule = "max_abs_change", allow_nonconvergence = false, delimiter = ","))]
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
    )?;
    let data = load_csv(py, path, na, delimiter)?;
    fit_with(py, &model, &s, &data)
}

/// Fits a PLS path model from (merged) moments. The result's missing-data
/// report is the moments' (rows seen, dropped, imputed), so nothing dropped in
/// a partition goes unreported.
#[pyfunction]
#[pyo3(signature = (moments, model, scheme = "path", tol = 1e-7, max_iter = 300,
    scaling = "standardized", stop_rule = "max_abs_change", allow_nonconvergence = false))]
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
    )?;
    let mut inner = py
        .detach(|| s.pls(&model).fit_moments(&moments.inner))
        .py_err()?;
    let report = &mut inner.missing;
    report.policy = moments.policy;
    report.n_rows = moments.n_rows;
    report.n_dropped = moments.n_dropped;
    report.n_imputed = moments.n_imputed;
    Ok(PlsFit { inner })
}

// ----- SERVQUAL and KANO -----------------------------------------------------

/// SERVQUAL analysis (the library's `servqual::analyze`) as JSON.
#[pyfunction]
#[pyo3(signature = (columns, scale = (1.0, 7.0), reverse = Vec::new(), dimensions = None,
    perception = "P".to_string(), expectation = Some("E".to_string()),
    adequate = Some("A".to_string()), desired = Some("D".to_string()),
    weight = Some("W_".to_string()), weight_policy = "normalize", weight_tolerance = 0.5))]
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
        .scale(Scale::new(scale.0, scale.1).py_err()?)
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
    let report = py
        .detach(|| servqual::analyze(&data, &instrument, &options))
        .py_err()?;
    json(&report)
}

/// KANO analysis (the library's `kano::analyze`, or `kano::from_counts` for a
/// table of counts) as JSON.
#[pyfunction]
#[pyo3(signature = (columns, counts = false, threshold = 0.06, max_questionable = None,
    weight_by_importance = false))]
fn kano_json(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    counts: bool,
    threshold: f64,
    max_questionable: Option<usize>,
    weight_by_importance: bool,
) -> PyResult<String> {
    let mut options = KanoOptions::default()
        .threshold(threshold)
        .weight_by_importance(weight_by_importance);
    if let Some(m) = max_questionable {
        options = options.max_questionable(m);
    }
    let data = dataset(py, columns, Vec::new())?;
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
    Ok(())
}
