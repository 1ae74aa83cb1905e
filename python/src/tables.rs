//! Results going back to Python: the library's serde data model turned into
//! Python objects directly (no JSON text), and tables of rows turned into
//! columns (`{name: list}`) from which the Python layer builds DataFrames.
//!
//! A [`Document`] holds a result in the serde data model (field names are the
//! JSON contract's, in declaration order: serde_json's `preserve_order`).
//! `Document.get(path)` gives any part as dicts, lists and scalars;
//! `Document.table(path, ...)` gives an array of row objects as columns,
//! with nested objects spread the way the Python layer names them.

use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::{Map, Value};

use crate::errors::CsikitError;

/// A library value in the serde data model.
pub(crate) fn value_of<T: serde::Serialize>(value: &T) -> PyResult<Value> {
    serde_json::to_value(value).map_err(|e| CsikitError::new_err(e.to_string()))
}

/// A serde value as Python objects: objects → dict (in field order), arrays
/// → list, integers → int, other numbers → float, null → None.
pub(crate) fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for x in items {
                list.append(to_py(py, x)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, x) in map {
                dict.set_item(k, to_py(py, x)?)?;
            }
            dict.into_any()
        }
    })
}

/// How the nested objects of a row become columns (as the Python layer
/// named them before tables crossed as columns).
#[derive(Default)]
pub(crate) struct Spread {
    /// Interval objects `{lower, upper, level, method}` (or null), spread
    /// into `<key>_lower`, `<key>_upper`, `<key>_level`, `<key>_method`: the
    /// four columns exist whether or not an interval was computed. Appended
    /// after the row's plain fields, in this order.
    pub intervals: Vec<String>,
    /// Other objects spread one level into `<key>_<field>` (nothing for
    /// null), appended after the intervals.
    pub nested: Vec<String>,
    /// Every object spread recursively into `<key>_<field>`, each after the
    /// plain fields of its level (pandas' `json_normalize(sep="_")`).
    pub normalize: bool,
    /// Pairs of groups: `groups: [a, b]` → `group_a`, `group_b`;
    /// `estimates: {a: x, b: y}` → `estimate_a`, `estimate_b` (appended).
    pub pairs: bool,
    /// Keep only these fields (before spreading), when given.
    pub columns: Option<Vec<String>>,
}

impl Spread {
    fn row(&self, row: &Map<String, Value>, out: &mut Vec<(String, Value)>) {
        let keep = |k: &str| {
            self.columns
                .as_ref()
                .is_none_or(|c| c.iter().any(|x| x == k))
        };
        let special = |k: &str| {
            self.intervals.iter().any(|x| x == k)
                || self.nested.iter().any(|x| x == k)
                || (self.pairs && (k == "groups" || k == "estimates"))
        };
        let mut deferred: Vec<(&String, &Map<String, Value>)> = Vec::new();
        for (k, v) in row {
            if !keep(k) || special(k) {
                continue;
            }
            match v {
                Value::Object(inner) if self.normalize => deferred.push((k, inner)),
                _ => out.push((k.clone(), v.clone())),
            }
        }
        for (k, inner) in deferred {
            normalized(k, inner, out);
        }
        for k in &self.intervals {
            if !keep(k) {
                continue;
            }
            if let Some(v) = row.get(k) {
                for f in ["lower", "upper", "level", "method"] {
                    let x = v.get(f).cloned().unwrap_or(Value::Null);
                    out.push((format!("{k}_{f}"), x));
                }
            }
        }
        for k in &self.nested {
            if !keep(k) {
                continue;
            }
            if let Some(Value::Object(inner)) = row.get(k) {
                for (f, x) in inner {
                    out.push((format!("{k}_{f}"), x.clone()));
                }
            }
        }
        if self.pairs
            && let Some(Value::Array(g)) = row.get("groups")
            && let [a, b] = g.as_slice()
        {
            out.push(("group_a".into(), a.clone()));
            out.push(("group_b".into(), b.clone()));
            if let Some(Value::Object(est)) = row.get("estimates") {
                let pick = |g: &Value| {
                    g.as_str()
                        .and_then(|s| est.get(s))
                        .cloned()
                        .unwrap_or(Value::Null)
                };
                out.push(("estimate_a".into(), pick(a)));
                out.push(("estimate_b".into(), pick(b)));
            }
        }
    }
}

/// The fields of a nested object as `<prefix>_<field>`, plain fields first,
/// then each nested object in turn (pandas' `json_normalize`).
fn normalized(prefix: &str, map: &Map<String, Value>, out: &mut Vec<(String, Value)>) {
    let mut deferred = Vec::new();
    for (k, v) in map {
        match v {
            Value::Object(inner) => deferred.push((format!("{prefix}_{k}"), inner)),
            _ => out.push((format!("{prefix}_{k}"), v.clone())),
        }
    }
    for (k, inner) in deferred {
        normalized(&k, inner, out);
    }
}

/// Rows as columns, in order of first appearance (a field a row lacks is null).
struct Columns {
    names: Vec<String>,
    cells: Vec<Vec<Value>>,
    n: usize,
}

impl Columns {
    fn new() -> Self {
        Columns {
            names: Vec::new(),
            cells: Vec::new(),
            n: 0,
        }
    }

    fn push(&mut self, row: Vec<(String, Value)>) {
        for (k, v) in row {
            let j = match self.names.iter().position(|x| *x == k) {
                Some(j) => j,
                None => {
                    self.names.push(k);
                    self.cells.push(vec![Value::Null; self.n]);
                    self.names.len() - 1
                }
            };
            // A repeated field name in one row: the last value wins (as in a dict).
            if self.cells[j].len() > self.n {
                self.cells[j].pop();
            }
            self.cells[j].push(v);
        }
        self.n += 1;
        for col in &mut self.cells {
            col.resize(self.n, Value::Null);
        }
    }

    /// `{name: list}`: numbers as floats (null → NaN) unless every cell is an
    /// integer, text as str (null → None), booleans as bool, anything else
    /// (lists, objects, columns of nothing but null) as Python objects.
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (name, col) in self.names.iter().zip(&self.cells) {
            let numbers = col.iter().all(|v| v.is_number() || v.is_null());
            let any_number = col.iter().any(Value::is_number);
            let integers = col.iter().all(|v| v.is_i64() || v.is_u64());
            let list: Bound<'py, PyAny> = if numbers && any_number && !integers {
                let v: Vec<f64> = col.iter().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect();
                v.into_pyobject(py)?.into_any()
            } else {
                let list = PyList::empty(py);
                for v in col {
                    list.append(to_py(py, v)?)?;
                }
                list.into_any()
            };
            out.set_item(name, list)?;
        }
        Ok(out)
    }
}

/// A row found at a path: the label columns of the `*` levels above it, and the row.
type Found<'v> = (Vec<(String, Value)>, &'v Map<String, Value>);

/// The rows at `path` (segments separated by `/`; `*` iterates an array and,
/// with `label`, prepends that field of each element as a column). A null or
/// absent part gives no rows.
fn collect<'v>(
    value: &'v Value,
    path: &[&str],
    label: Option<&str>,
    prefix: &[(String, Value)],
    out: &mut Vec<Found<'v>>,
) -> PyResult<()> {
    match path.split_first() {
        None => match value {
            Value::Array(rows) => {
                for r in rows {
                    if let Value::Object(m) = r {
                        out.push((prefix.to_vec(), m));
                    }
                }
                Ok(())
            }
            // One object is one row (e.g. a group's bootstrap summary).
            Value::Object(m) => {
                out.push((prefix.to_vec(), m));
                Ok(())
            }
            Value::Null => Ok(()),
            _ => Err(PyKeyError::new_err("not a table (an array of rows)")),
        },
        Some((&"*", rest)) => {
            let Value::Array(items) = value else {
                return Ok(());
            };
            for item in items {
                let mut p = prefix.to_vec();
                if let Some(l) = label {
                    p.push((l.to_string(), item.get(l).cloned().unwrap_or(Value::Null)));
                }
                collect(item, rest, label, &p, out)?;
            }
            Ok(())
        }
        Some((key, rest)) => match child(value, key) {
            Some(v) => collect(v, rest, label, prefix, out),
            None => Ok(()),
        },
    }
}

/// The field `key` of an object, or the element at index `key` of an array.
fn child<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    match value {
        Value::Object(m) => m.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    }
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// The table at `path` of `value` as `{column: list}`.
pub(crate) fn table<'py>(
    py: Python<'py>,
    value: &Value,
    path: &str,
    label: Option<&str>,
    spread: &Spread,
) -> PyResult<Bound<'py, PyDict>> {
    let mut rows = Vec::new();
    collect(value, &segments(path), label, &[], &mut rows)?;
    let mut cols = Columns::new();
    for (prefix, row) in rows {
        let mut cells = prefix;
        spread.row(row, &mut cells);
        cols.push(cells);
    }
    cols.to_py(py)
}

/// Rows of any serializable type as `{column: list}` (no spreading).
pub(crate) fn rows<'py, T: serde::Serialize>(
    py: Python<'py>,
    rows: &[T],
) -> PyResult<Bound<'py, PyDict>> {
    table(py, &value_of(&rows)?, "", None, &Spread::default())
}

/// A result of the library in its serde data model: `get` gives any part as
/// Python objects (the JSON document's structure, without JSON text),
/// `table` an array of rows as columns, `json` the JSON text.
#[pyclass(frozen, module = "csikit._csikit")]
pub(crate) struct Document {
    value: Value,
    /// The report page, when the analysis writes one (SERVQUAL, KANO,
    /// monitoring): Markdown, HTML and the charts (name, SVG).
    page: Option<ReportPage>,
}

/// A report's Markdown, HTML and charts (name, SVG).
type ReportPage = (String, String, Vec<(String, String)>);

impl Document {
    pub(crate) fn new<T: serde::Serialize>(value: &T) -> PyResult<Document> {
        Ok(Document {
            value: value_of(value)?,
            page: None,
        })
    }

    pub(crate) fn from_value(value: Value) -> Document {
        Document { value, page: None }
    }

    /// The document with a report given as Markdown, HTML (None: none)
    /// and charts (name, SVG), for analyses that write no [`Page`].
    ///
    /// [`Page`]: csikit::analysis::page::Page
    pub(crate) fn with_report(
        mut self,
        markdown: String,
        html: Option<String>,
        charts: Vec<(String, String)>,
    ) -> Document {
        self.page = Some((markdown, html.unwrap_or_default(), charts));
        self
    }

    /// The document with its report page (in the request's language);
    /// the Markdown links the charts as `NAME.svg`.
    pub(crate) fn with_page(mut self, page: &csikit::analysis::page::Page) -> Document {
        let names: Vec<String> = page.charts.iter().map(|c| c.name.join("_")).collect();
        let files: Vec<String> = names.iter().map(|n| format!("{n}.svg")).collect();
        self.page = Some((
            page.to_markdown(&files),
            page.to_html(),
            names
                .into_iter()
                .zip(page.charts.iter().map(|c| c.svg.clone()))
                .collect(),
        ));
        self
    }
}

#[pymethods]
impl Document {
    /// The report as Markdown (None when the analysis writes no report).
    #[getter]
    fn markdown(&self) -> Option<String> {
        self.page.as_ref().map(|p| p.0.clone())
    }

    /// The report as one self-contained HTML page (None without a report,
    /// or for a report written in Markdown only).
    #[getter]
    fn html(&self) -> Option<String> {
        self.page
            .as_ref()
            .map(|p| p.1.clone())
            .filter(|h| !h.is_empty())
    }

    /// The report's charts as (name, SVG) pairs (empty without a report).
    #[getter]
    fn charts(&self) -> Vec<(String, String)> {
        self.page.as_ref().map_or_else(Vec::new, |p| p.2.clone())
    }

    /// The part at `path` (keys or array indices separated by `/`; "" = the whole) as dicts,
    /// lists and scalars; None when absent.
    #[pyo3(signature = (path = ""))]
    fn get<'py>(&self, py: Python<'py>, path: &str) -> PyResult<Bound<'py, PyAny>> {
        let mut v = &self.value;
        for key in segments(path) {
            match child(v, key) {
                Some(x) => v = x,
                None => return Ok(py.None().into_bound(py)),
            }
        }
        to_py(py, v)
    }

    /// The rows at `path` as `{column: list}` (see the module documentation):
    /// `label` names the field of each `*` element prepended as a column,
    /// `intervals`/`nested`/`normalize`/`pairs` spread nested objects,
    /// `columns` keeps only some fields.
    #[pyo3(signature = (path, label = None, intervals = Vec::new(), nested = Vec::new(),
        normalize = false, pairs = false, columns = None))]
    #[allow(clippy::too_many_arguments)]
    fn table<'py>(
        &self,
        py: Python<'py>,
        path: &str,
        label: Option<&str>,
        intervals: Vec<String>,
        nested: Vec<String>,
        normalize: bool,
        pairs: bool,
        columns: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let spread = Spread {
            intervals,
            nested,
            normalize,
            pairs,
            columns,
        };
        table(py, &self.value, path, label, &spread)
    }

    /// The JSON text.
    fn json(&self) -> PyResult<String> {
        crate::errors::json(&self.value)
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Document>()?;
    Ok(())
}
