//! Mergeable moments of the indicators.

use std::fmt::Write as _;

use csikit::{Error, MissingPolicy, Moments as RsMoments};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::data::dataset;
use crate::errors::{OrPy, to_py};

/// Mergeable sufficient statistics of the indicators (counts, weighted means,
/// co-moments; Chan, Golub & LeVeque 1983), with what missing-data handling
/// did to the rows they summarize. Picklable; `a.merge(b)` (or `a + b`) gives
/// the moments of the union of the rows.
#[pyclass(frozen, module = "csikit._csikit")]
#[derive(Clone)]
pub(crate) struct Moments {
    pub(crate) inner: RsMoments,
    pub(crate) policy: MissingPolicy,
    pub(crate) n_rows: usize,
    pub(crate) n_dropped: usize,
    pub(crate) n_imputed: usize,
    /// The codes read as missing when the moments were computed (canonical,
    /// sorted): a fit from these moments applies them to the rows it scores.
    pub(crate) na: Vec<String>,
}

/// The missing-value codes in a canonical form (numbers as `f64` prints
/// them, sorted, without repeats), so that `-99`, `-99.0` and `" -99"` are
/// one code.
pub(crate) fn canonical_na(na: &[String]) -> Vec<String> {
    let mut out: Vec<String> = na
        .iter()
        .map(|c| {
            let t = c.trim();
            t.parse::<f64>()
                .map_or_else(|_| t.to_string(), |v| v.to_string())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `na` codes as a Python-facing list (`[]` for none).
fn na_text(na: &[String]) -> String {
    format!("[{}]", na.join(", "))
}

pub(crate) fn parse_policy(missing: &str) -> PyResult<MissingPolicy> {
    missing.parse::<MissingPolicy>().py_err()
}

pub(crate) fn policy_name(p: MissingPolicy) -> &'static str {
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
            // States pickled before `na` was kept have none.
            na: match state.get_item("na")? {
                Some(v) => canonical_na(&v.extract::<Vec<String>>()?),
                None => Vec::new(),
            },
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
        let codes = canonical_na(&na);
        let data = dataset(py, columns, na)?;
        // A partition without a usable row gives empty moments that count its
        // rows as dropped (other partitions hold the respondents).
        let (inner, report) = py
            .detach(|| RsMoments::from_partition(&data, &names, weights.as_deref(), policy))
            .py_err()?;
        Ok(Moments {
            inner,
            policy,
            n_rows: report.n_rows,
            n_dropped: report.n_dropped,
            n_imputed: report.n_imputed,
            na: codes,
        })
    }

    /// Moments of no rows (the neutral element of `merge`).
    #[staticmethod]
    #[pyo3(signature = (names, missing = "listwise", na = Vec::new()))]
    fn empty(names: Vec<String>, missing: &str, na: Vec<String>) -> PyResult<Moments> {
        Ok(Moments {
            inner: RsMoments::empty(&names),
            policy: parse_policy(missing)?,
            n_rows: 0,
            n_dropped: 0,
            n_imputed: 0,
            na: canonical_na(&na),
        })
    }

    /// The moments of both sets of rows (same variables, same order, same
    /// missing policy, same `na` codes — moments that saw no row adopt the
    /// other's codes).
    fn merge(&self, other: &Moments) -> PyResult<Moments> {
        let na = if self.na == other.na || other.n_rows == 0 {
            self.na.clone()
        } else if self.n_rows == 0 {
            other.na.clone()
        } else {
            return Err(to_py(Error::MomentsMismatch {
                message: format!(
                    "computed with na={} and na={}: the same answer would be a value in one \
                     partition and missing in another; compute every partition with the same na=",
                    na_text(&self.na),
                    na_text(&other.na)
                ),
            }));
        };
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
            na,
        })
    }

    fn __add__(&self, other: &Moments) -> PyResult<Moments> {
        self.merge(other)
    }

    /// The codes read as missing when the moments were computed (a fit from
    /// the moments applies them to the rows it scores).
    #[getter]
    fn na(&self) -> Vec<String> {
        self.na.clone()
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
        d.set_item("na", self.na.clone())?;
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
                && o.na == self.na
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
        if !self.na.is_empty() {
            let _ = write!(s, ", na={}", na_text(&self.na));
        }
        s.push(')');
        s
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Moments>()?;
    Ok(())
}
