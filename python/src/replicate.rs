//! Replicate moments: the Poisson bootstrap computed where the rows live
//! (`csikit::pls::replicate`).

use std::fmt::Write as _;

use csikit::csi::Construct;
use csikit::pls::replicate::{
    ReplicateMoments as RsReplicate, csi_statistics, pls_statistics, text_key,
};
use csikit::{Error, MissingPolicy, Moments as RsMoments, Pls};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

use crate::data::dataset;
use crate::errors::{OrPy, to_py};
use crate::model::model_arg;
use crate::moments::{Moments, canonical_na, parse_policy, policy_name};
use crate::pls::{Settings, scales_arg};

/// The moments of a set of rows and of its Poisson-bootstrap replicates
/// (each row weighted by independent Poisson(1) counts drawn from its key,
/// the replicate and the seed, so partitions merge exactly whatever their
/// split and row order). Picklable; `a + b` (or `sum(parts)`) merges.
#[pyclass(frozen, module = "csikit._csikit")]
#[derive(Clone)]
pub(crate) struct ReplicateMoments {
    inner: RsReplicate,
    policy: MissingPolicy,
    n_rows: usize,
    n_dropped: usize,
    na: Vec<String>,
}

/// Row keys from Python: the bytes of a uint64 array, or a list of `str`
/// (hashed with FNV-1a 64).
fn keys_of(keys: &Bound<'_, PyAny>) -> PyResult<Vec<u64>> {
    if let Ok(b) = keys.cast::<PyBytes>() {
        let bytes = b.as_bytes();
        if bytes.len() % 8 != 0 {
            return Err(PyValueError::new_err(
                "key bytes are not a whole number of uint64 values",
            ));
        }
        return Ok(bytes
            .chunks_exact(8)
            .map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                u64::from_ne_bytes(a)
            })
            .collect());
    }
    if let Ok(list) = keys.cast::<PyList>() {
        return list
            .iter()
            .map(|k| k.extract::<String>().map(|s| text_key(&s)))
            .collect();
    }
    Err(PyTypeError::new_err(
        "keys must be uint64 bytes or a list of str",
    ))
}

fn moments_state<'py>(py: Python<'py>, m: &RsMoments) -> PyResult<Bound<'py, PyTuple>> {
    (
        m.n(),
        m.weight_sum(),
        m.means().to_vec(),
        m.comoments().to_vec(),
    )
        .into_pyobject(py)
}

fn moments_from_state(names: &[String], t: &Bound<'_, PyAny>) -> PyResult<RsMoments> {
    let (n, weight_sum, mean, comoment): (u64, f64, Vec<f64>, Vec<f64>) = t.extract()?;
    let p = names.len();
    if mean.len() != p || comoment.len() != p * p {
        return Err(to_py(Error::Shape {
            message: format!(
                "replicate moments state: {p} names, {} means, {} co-moments",
                mean.len(),
                comoment.len()
            ),
        }));
    }
    let value = serde_json::json!({
        "names": names, "n": n, "weight_sum": weight_sum, "mean": mean, "comoment": comoment,
    });
    serde_json::from_value(value).map_err(|e| PyValueError::new_err(e.to_string()))
}

#[pymethods]
impl ReplicateMoments {
    /// Rebuilds replicate moments from `state` (the dict `state()` returns).
    #[new]
    fn new(state: &Bound<'_, PyDict>) -> PyResult<ReplicateMoments> {
        let get = |k: &str| -> PyResult<Bound<'_, PyAny>> {
            state.get_item(k)?.ok_or_else(|| {
                PyValueError::new_err(format!("replicate moments state lacks `{k}`"))
            })
        };
        let names: Vec<String> = get("names")?.extract()?;
        let seed: u64 = get("seed")?.extract()?;
        let full = moments_from_state(&names, &get("full")?)?;
        let reps = get("replicates")?;
        let reps = reps
            .cast::<PyList>()
            .map_err(|_| PyTypeError::new_err("`replicates` must be a list"))?;
        let mut parts = Vec::with_capacity(reps.len());
        for r in reps.iter() {
            parts.push(moments_from_state(&names, &r)?);
        }
        if parts.is_empty() {
            return Err(PyValueError::new_err(
                "replicate moments state has no replicates",
            ));
        }
        // serde values hold the floats themselves (no text): exact.
        let value = serde_json::json!({ "seed": seed, "full": full, "replicates": parts });
        let inner: RsReplicate =
            serde_json::from_value(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(ReplicateMoments {
            inner,
            policy: parse_policy(&get("missing")?.extract::<String>()?)?,
            n_rows: get("n_rows")?.extract()?,
            n_dropped: get("n_dropped")?.extract()?,
            na: canonical_na(&get("na")?.extract::<Vec<String>>()?),
        })
    }

    /// Replicate moments of `names` in a table of columns, rows keyed by
    /// `keys` (see `csikit.replicate_moments`).
    #[staticmethod]
    #[pyo3(signature = (columns, names, keys, replicates, seed, weights = None,
        missing = "listwise", na = Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn from_columns(
        py: Python<'_>,
        columns: &Bound<'_, PyList>,
        names: Vec<String>,
        keys: &Bound<'_, PyAny>,
        replicates: usize,
        seed: u64,
        weights: Option<String>,
        missing: &str,
        na: Vec<String>,
    ) -> PyResult<ReplicateMoments> {
        let policy = parse_policy(missing)?;
        let codes = canonical_na(&na);
        let data = dataset(py, columns, na)?;
        let keys = keys_of(keys)?;
        let (inner, report) = py
            .detach(|| {
                RsReplicate::from_dataset(
                    &data,
                    &names,
                    weights.as_deref(),
                    &keys,
                    policy,
                    replicates,
                    seed,
                )
            })
            .py_err()?;
        Ok(ReplicateMoments {
            inner,
            policy,
            n_rows: report.n_rows,
            n_dropped: report.n_dropped,
            na: codes,
        })
    }

    /// Replicate moments of no rows (the neutral element of `merge`).
    #[staticmethod]
    #[pyo3(signature = (names, replicates, seed, missing = "listwise", na = Vec::new()))]
    fn empty(
        names: Vec<String>,
        replicates: usize,
        seed: u64,
        missing: &str,
        na: Vec<String>,
    ) -> PyResult<ReplicateMoments> {
        Ok(ReplicateMoments {
            inner: RsReplicate::empty(&names, replicates, seed),
            policy: parse_policy(missing)?,
            n_rows: 0,
            n_dropped: 0,
            na: canonical_na(&na),
        })
    }

    /// The replicate moments of both sets of rows (same variables, seed,
    /// replicates, missing policy and `na` codes).
    fn merge(&self, other: &ReplicateMoments) -> PyResult<ReplicateMoments> {
        let na = if self.na == other.na || other.n_rows == 0 {
            self.na.clone()
        } else if self.n_rows == 0 {
            other.na.clone()
        } else {
            return Err(to_py(Error::MomentsMismatch {
                message: format!(
                    "computed with na=[{}] and na=[{}]: compute every partition with the same na=",
                    self.na.join(", "),
                    other.na.join(", ")
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
        Ok(ReplicateMoments {
            inner,
            policy: self.policy,
            n_rows: self.n_rows + other.n_rows,
            n_dropped: self.n_dropped + other.n_dropped,
            na,
        })
    }

    fn __add__(&self, other: &ReplicateMoments) -> PyResult<ReplicateMoments> {
        self.merge(other)
    }

    /// `0 + moments` (so that `sum(parts)` works).
    fn __radd__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<ReplicateMoments> {
        if other.extract::<i64>().is_ok_and(|v| v == 0) {
            return Ok(slf.get().clone());
        }
        let o = other.cast::<ReplicateMoments>().map_err(|_| {
            PyTypeError::new_err("only replicate moments (or 0) add to replicate moments")
        })?;
        o.get().merge(slf.get())
    }

    /// The moments of the rows themselves (a fit from them is the point estimate).
    #[getter]
    fn moments(&self) -> Moments {
        Moments {
            inner: self.inner.full().clone(),
            policy: self.policy,
            n_rows: self.n_rows,
            n_dropped: self.n_dropped,
            n_imputed: 0,
            na: self.na.clone(),
        }
    }

    /// Variable names.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.inner.full().names().to_vec()
    }

    /// Rows summarized (after missing-data handling).
    #[getter]
    fn n(&self) -> u64 {
        self.inner.full().n()
    }

    /// Number of replicates.
    #[getter]
    fn replicates(&self) -> usize {
        self.inner.replicates().len()
    }

    /// The seed of the Poisson weights.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed()
    }

    /// Rows seen, before missing-data handling.
    #[getter]
    fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Rows dropped by listwise deletion (or empty, or of weight 0).
    #[getter]
    fn n_dropped(&self) -> usize {
        self.n_dropped
    }

    /// The codes read as missing when the moments were computed.
    #[getter]
    fn na(&self) -> Vec<String> {
        self.na.clone()
    }

    /// The missing-data policy.
    #[getter]
    fn missing(&self) -> &'static str {
        policy_name(self.policy)
    }

    /// Everything needed to rebuild the replicate moments exactly.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("names", self.inner.full().names().to_vec())?;
        d.set_item("seed", self.inner.seed())?;
        d.set_item("full", moments_state(py, self.inner.full())?)?;
        let reps = PyList::empty(py);
        for m in self.inner.replicates() {
            reps.append(moments_state(py, m)?)?;
        }
        d.set_item("replicates", reps)?;
        d.set_item("missing", policy_name(self.policy))?;
        d.set_item("n_rows", self.n_rows)?;
        d.set_item("n_dropped", self.n_dropped)?;
        d.set_item("na", self.na.clone())?;
        Ok(d)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        (slf.get_type(), (slf.get().state(py)?,)).into_pyobject(py)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<ReplicateMoments>().is_ok_and(|o| {
            let o = o.get();
            o.inner == self.inner
                && o.policy == self.policy
                && (o.n_rows, o.n_dropped) == (self.n_rows, self.n_dropped)
                && o.na == self.na
        })
    }

    fn __repr__(&self) -> String {
        let mut s = format!(
            "ReplicateMoments(n={}, variables={}, replicates={}, seed={}",
            self.inner.full().n(),
            self.inner.full().names().len(),
            self.inner.replicates().len(),
            self.inner.seed()
        );
        if self.n_dropped > 0 {
            let _ = write!(s, ", dropped={}", self.n_dropped);
        }
        s.push(')');
        s
    }

    /// Percentile intervals and SEs over the replicates of the PLS
    /// statistics (paths, total effects, weights, loadings, R²) and, with
    /// `scale`, the CSI statistics of `target` (index, impacts, IPMA
    /// importances). Returns `{replicates, seed, failed, confidence,
    /// n_observations, estimates: {name: [...], estimate: [...], ...}}`.
    #[pyo3(signature = (model, settings, scale = None, item_scales = Vec::new(),
        target = None, confidence = 0.95))]
    #[allow(clippy::too_many_arguments)]
    fn intervals<'py>(
        &self,
        py: Python<'py>,
        model: &Bound<'py, PyAny>,
        settings: &Settings,
        scale: Option<(f64, f64)>,
        item_scales: Vec<(String, (f64, f64))>,
        target: Option<String>,
        confidence: f64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let model = model_arg(model)?;
        let mut s = settings.inner.clone();
        s.missing = self.policy;
        let scales = scales_arg(scale, item_scales);
        let target = Construct::from_name(target.as_deref().unwrap_or("Satisfaction"));
        let inner = &self.inner;
        let out = py
            .detach(|| {
                let pls = Pls::with_settings(&model, s.clone());
                match &scales {
                    Some(sc) => {
                        inner.intervals(&pls, confidence, |f| csi_statistics(f, sc, &target))
                    }
                    None => inner.intervals(&pls, confidence, |f| Ok(pls_statistics(f))),
                }
            })
            .py_err()?;
        let d = PyDict::new(py);
        d.set_item("replicates", out.replicates)?;
        d.set_item("seed", out.seed)?;
        d.set_item("failed", out.failed)?;
        d.set_item("confidence", out.confidence)?;
        d.set_item("n_observations", out.n_observations)?;
        let col = |f: &dyn Fn(&csikit::pls::BootEstimate) -> f64| -> Vec<f64> {
            out.estimates.iter().map(f).collect()
        };
        let est = PyDict::new(py);
        est.set_item("name", out.names.clone())?;
        est.set_item("estimate", col(&|e| e.estimate))?;
        est.set_item("mean", col(&|e| e.mean))?;
        est.set_item("std_error", col(&|e| e.std_error))?;
        est.set_item("ci_lower", col(&|e| e.ci_lower))?;
        est.set_item("ci_upper", col(&|e| e.ci_upper))?;
        d.set_item("estimates", est)?;
        Ok(d.into_any())
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ReplicateMoments>()?;
    Ok(())
}
