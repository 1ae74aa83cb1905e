//! The exception classes and the conversion of the library's errors into them.

use csikit::{Error, ErrorKind};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

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
pub(crate) fn to_py(e: Error) -> PyErr {
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

/// `csikit::Result` → `PyResult` with the documented exception.
pub(crate) trait OrPy<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> OrPy<T> for csikit::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// An `InvalidSetting` error naming the Python keyword `name`.
pub(crate) fn setting(name: &str, message: String) -> PyErr {
    to_py(Error::InvalidSetting {
        name: name.into(),
        message,
    })
}

/// One of the library's serde names (e.g. `"centered"`) for the keyword
/// `name`, with an actionable message.
pub(crate) fn serde_name<T: serde::de::DeserializeOwned>(
    name: &str,
    value: &str,
    options: &str,
) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(value.to_ascii_lowercase()))
        .map_err(|_| setting(name, format!("`{value}` is not one of {options}")))
}

/// JSON text of a library value (the documents' contract).
pub(crate) fn json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| CsikitError::new_err(e.to_string()))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    // Every raised error sets `kind` and `code` on the instance; the class
    // declares them (empty) so that they exist on any instance.
    let base = py.get_type::<CsikitError>();
    base.setattr("kind", "")?;
    base.setattr("code", "")?;
    m.add("CsikitError", base)?;
    m.add("DataError", py.get_type::<DataError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("EstimationError", py.get_type::<EstimationError>())?;
    m.add("ConvergenceError", py.get_type::<ConvergenceError>())?;
    m.add_function(wrap_pyfunction!(_error_class, m)?)?;
    Ok(())
}
