//! Data across the boundary: tables of named columns in (numeric columns as
//! the raw bytes of contiguous float64 arrays, text columns as lists of
//! `str`), simulated and read data out, and the codebook.

use csikit::{ColumnData, Dataset, Error, SurveySimulator};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};

use crate::errors::{OrPy, setting, to_py};
use crate::tables::Document;

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

/// Native-endian bytes of float64 values into a vector, markers → NaN.
fn floats(bytes: &[u8], markers: &[f64]) -> Vec<f64> {
    bytes
        .chunks_exact(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            let x = f64::from_ne_bytes(b);
            if markers.contains(&x) { f64::NAN } else { x }
        })
        .collect()
}

/// A text column whose every non-missing cell is a number (text exports,
/// pandas `object`/`str` columns, SPSS categories coded as numbers, missing
/// markers such as `.` already cleared) as numbers (missing → NaN); `None`
/// when some cell is text. A column of nothing but missing cells is numeric.
fn numbers_of(cells: &[String]) -> Option<Vec<f64>> {
    cells
        .iter()
        .map(|c| {
            let t = c.trim();
            if t.is_empty() {
                Some(f64::NAN)
            } else {
                t.parse::<f64>().ok()
            }
        })
        .collect()
}

/// Builds a [`Dataset`] from `[(name, values), ...]` where `values` is a
/// contiguous float64 numpy array (or anything with `tobytes()` giving native
/// float64 bytes) or a list of `str` (empty string = missing). Cells equal to
/// a marker of `na` are missing; a text column whose cells are all numbers
/// (or missing) becomes numeric, as the library's CSV reader reads it. The
/// GIL is released while each column is converted.
pub(crate) fn dataset(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    na: Vec<String>,
) -> PyResult<Dataset> {
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
            match py.detach(|| numbers_of(&cells)) {
                Some(col) => numeric.push((name, col)),
                None => text.push((name, cells)),
            }
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
    // Columns keep the order they were given in.
    let order = seen;
    let mut data = Dataset::from_columns(Vec::<(String, Vec<f64>)>::new()).py_err()?;
    let mut numeric = numeric.into_iter().peekable();
    let mut text = text.into_iter().peekable();
    for name in &order {
        if numeric.peek().is_some_and(|(n, _)| n == name) {
            let (n, v) = numeric.next().expect("peeked");
            data.set_numeric(&n, v).py_err()?;
        } else if text.peek().is_some_and(|(n, _)| n == name) {
            let (n, v) = text.next().expect("peeked");
            data.set_text(&n, v).py_err()?;
        }
    }
    Ok(data)
}

/// A dataset as `[(name, kind, payload)]`: kind "float64" with the values'
/// native bytes, or "category" with (int32 codes as bytes, -1 = missing; sorted labels).
pub(crate) fn columns_out<'py>(py: Python<'py>, data: &Dataset) -> PyResult<Bound<'py, PyList>> {
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
/// `NaN` and the `na` markers are missing; numeric columns float64, others
/// text). `delimiter` None: the reader of `csikit` commands (CSV or `.xlsx`
/// by the extension, the delimiter detected).
#[pyfunction]
#[pyo3(signature = (path, na = Vec::new(), delimiter = Some(",")))]
fn read_csv<'py>(
    py: Python<'py>,
    path: &str,
    na: Vec<String>,
    delimiter: Option<&str>,
) -> PyResult<Bound<'py, PyList>> {
    let data = load_csv(py, path, na, delimiter)?;
    columns_out(py, &data)
}

/// A data file read by the library's reader with the markers `na`: with a
/// one-byte `delimiter`, as CSV whatever its extension; without, as the
/// `csikit` commands read it (`Dataset::read`: CSV or `.xlsx` by the
/// extension, the delimiter detected). The data keep their read report.
pub(crate) fn load_csv(
    py: Python<'_>,
    path: &str,
    na: Vec<String>,
    delimiter: Option<&str>,
) -> PyResult<Dataset> {
    let mut options = csikit::ReadOptions::default();
    for m in na {
        options = options.na(m);
    }
    match delimiter {
        Some(delimiter) => {
            let &[d] = delimiter.as_bytes() else {
                return Err(setting(
                    "delimiter",
                    format!("`{delimiter}` is not a single one-byte character"),
                ));
            };
            let options = options.delimiter(d);
            py.detach(|| Dataset::from_csv_with(path, &options))
                .py_err()
        }
        None => py.detach(|| Dataset::read(path, &options)).py_err(),
    }
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

/// A codebook (the library's `Codebook`, DESIGN.md §6): per item its label,
/// answer scale, missing codes and whether it is reverse-worded.
#[pyclass(frozen, module = "csikit._csikit")]
#[derive(Clone)]
pub(crate) struct Codebook {
    pub(crate) inner: csikit::Codebook,
}

#[pymethods]
impl Codebook {
    /// Reads a codebook CSV file (UTF-8, header `item,label,min,max,missing,reverse[,label_en]`).
    #[staticmethod]
    fn read(path: std::path::PathBuf) -> PyResult<Codebook> {
        Ok(Codebook {
            inner: csikit::Codebook::from_csv(path).py_err()?,
        })
    }

    /// A codebook from a header and rows of text cells (e.g. a DataFrame's).
    #[staticmethod]
    fn from_rows(header: Vec<String>, rows: Vec<Vec<String>>) -> PyResult<Codebook> {
        let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
        Ok(Codebook {
            inner: csikit::Codebook::from_rows(&header, &rows).py_err()?,
        })
    }

    /// The items (data columns), in codebook order.
    #[getter]
    fn items(&self) -> Vec<String> {
        self.inner.items.iter().map(|i| i.item.clone()).collect()
    }

    /// The codebook in the serde data model (`get()` gives the dict).
    fn document(&self) -> PyResult<Document> {
        Document::new(&self.inner)
    }

    fn __repr__(&self) -> String {
        format!("Codebook({} items)", self.inner.items.len())
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Codebook>()?;
    m.add_function(wrap_pyfunction!(read_csv, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_survey, m)?)?;
    Ok(())
}
