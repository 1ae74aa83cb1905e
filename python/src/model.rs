//! The PLS path model (lavaan-style syntax).

use csikit::{Model as RsModel, SurveySimulator};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::errors::OrPy;

/// A PLS path model: constructs (Mode A `=~`, Mode B `<~`) and structural paths (`~`).
///
/// >>> m = Model("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X")
/// >>> m.indicators
/// ['x1', 'x2', 'y1', 'y2']
#[pyclass(frozen, module = "csikit._csikit")]
pub(crate) struct Model {
    pub(crate) inner: RsModel,
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
pub(crate) fn model_arg(model: &Bound<'_, PyAny>) -> PyResult<RsModel> {
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Model>()?;
    Ok(())
}
