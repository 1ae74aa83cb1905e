//! PLS path modeling: the estimation settings, fits, and what is computed
//! from a fit (assessment, Q², PLSpredict, bootstrap, multi-group analysis,
//! the `pls` document, CSI index and IPMA of a fit).

use std::sync::OnceLock;

use csikit::analysis::{PlsRequest, pls::SlopesRequest};
use csikit::csi::{self, IpmaOptions, Ranking, Scale, Scales, Split};
use csikit::pls::{Correction, FailurePolicy, Q2Scale, SignChange};
use csikit::{
    Bootstrap, Dataset, Model as RsModel, MultiGroup, Pls, PlsFit as RsPlsFit, PlsPredict,
    PlsSettings, PredictApproach,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use serde_json::Value;

use crate::csi::{CsiIndex, CsiIpma};
use crate::data::{Codebook, dataset, load_csv};
use crate::errors::{OrPy, serde_name, setting};
use crate::model::{Model, model_arg};
use crate::moments::{Moments, canonical_na, parse_policy};
use crate::signals::interruptible;
use crate::tables::{self, Document, to_py, value_of};

/// The estimation settings (the library's `PlsSettings`) built from the
/// keyword arguments of `csikit.pls`; every message names the keyword.
#[pyclass(frozen, module = "csikit._csikit", name = "PlsSettings")]
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) inner: PlsSettings,
}

#[pymethods]
impl Settings {
    /// Checks and converts the keyword arguments of `csikit.pls`.
    #[new]
    #[pyo3(signature = (scheme = "path", tol = 1e-7, max_iter = 300, missing = "listwise",
        weights = None, scaling = "standardized", stop_rule = "max_abs_change",
        allow_nonconvergence = false, consistent = false, hoc_approach = "repeated",
        interaction_approach = "product", correlation = "pearson", weighting = "pls",
        composites = Vec::new()))]
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
        hoc_approach: &str,
        interaction_approach: &str,
        correlation: &str,
        weighting: &str,
        composites: Vec<String>,
    ) -> PyResult<Settings> {
        if !(tol > 0.0 && tol.is_finite()) {
            return Err(setting(
                "tol",
                format!("{tol} is not a positive number (the convergence tolerance, e.g. 1e-7)"),
            ));
        }
        let max_iter = usize::try_from(max_iter)
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| {
                setting(
                    "max_iter",
                    format!("{max_iter} is not a positive whole number (at least 1)"),
                )
            })?;
        Ok(Settings {
            inner: PlsSettings {
                scheme: scheme.parse().py_err()?,
                max_iter,
                tolerance: tol,
                stop_rule: stop_rule.parse().py_err()?,
                scaling: scaling.parse().py_err()?,
                missing: parse_policy(missing)?,
                case_weights: weights,
                consistent,
                hoc_approach: hoc_approach.parse().py_err()?,
                interaction_approach: interaction_approach.parse().py_err()?,
                correlation: correlation.parse().py_err()?,
                allow_nonconvergence,
                weighting: weighting.parse().py_err()?,
                composites,
            },
        })
    }

    /// The settings in the serde data model (as in a request's `settings`).
    fn document(&self) -> PyResult<Document> {
        Document::new(&self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "PlsSettings({})",
            serde_json::to_string(&self.inner).unwrap_or_default()
        )
    }
}

/// A fitted PLS path model (the library's `PlsFit`) with the settings it was
/// fitted with (refits start from them) and its codebook.
#[pyclass(frozen, module = "csikit._csikit")]
pub(crate) struct PlsFit {
    inner: RsPlsFit,
    settings: PlsSettings,
    /// Applied to every set of rows before use (the fit's rows were recoded with it).
    codebook: Option<csikit::Codebook>,
    /// The codes read as missing when the fit's rows (or moments) were read:
    /// applied to every set of rows the fit scores, refits or predicts, on
    /// top of the call's own `na` (a code that meant "missing" at fit time
    /// must never be scored as an answer).
    na: Vec<String>,
    /// Where the rows were read from (a file read by the library), shown as
    /// the document's `input`.
    source: Option<csikit::ReadReport>,
    /// The fit's report (`PlsFit::report`), in the serde data model.
    report: OnceLock<Py<Document>>,
    /// Every field of the fit, in the serde data model.
    full: OnceLock<Py<Document>>,
}

impl PlsFit {
    fn new(inner: RsPlsFit, settings: PlsSettings, codebook: Option<csikit::Codebook>) -> Self {
        PlsFit {
            inner,
            settings,
            codebook,
            na: Vec::new(),
            source: None,
            report: OnceLock::new(),
            full: OnceLock::new(),
        }
    }

    /// The model as specified (with higher-order constructs and interaction
    /// terms as written): refits (Q², PLSpredict, bootstrap, MGA) start from it.
    fn specified(&self) -> &RsModel {
        self.inner
            .extension
            .as_ref()
            .map_or(self.inner.model(), |e| e.specified_model())
    }

    fn estimator(&self) -> Pls<'_> {
        Pls::with_settings(self.specified(), self.settings.clone())
    }

    /// The rows of `columns`, recoded with the fit's codebook.
    fn rows(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyList>,
        na: Vec<String>,
    ) -> PyResult<Dataset> {
        let mut codes = self.na.clone();
        codes.extend(na);
        let data = dataset(py, columns, codes)?;
        recode(py, data, self.codebook.as_ref())
    }

    fn cached<'py>(
        py: Python<'py>,
        cell: &OnceLock<Py<Document>>,
        make: impl FnOnce() -> PyResult<Document>,
    ) -> PyResult<Bound<'py, Document>> {
        if let Some(d) = cell.get() {
            return Ok(d.bind(py).clone());
        }
        let d = Py::new(py, make()?)?;
        Ok(cell.get_or_init(|| d).bind(py).clone())
    }
}

/// Rows recoded with a codebook (missing codes, scale check, reverse items).
fn recode(py: Python<'_>, data: Dataset, codebook: Option<&csikit::Codebook>) -> PyResult<Dataset> {
    match codebook {
        None => Ok(data),
        Some(cb) => py
            .detach(|| {
                let mut data = data;
                cb.apply(&mut data).map(|_| data)
            })
            .py_err(),
    }
}

/// Fits a PLS path model to a table of columns (see `csikit.pls`).
#[pyfunction]
#[pyo3(signature = (columns, model, settings, na = Vec::new(), codebook = None))]
fn pls_fit(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    model: &Bound<'_, PyAny>,
    settings: &Settings,
    na: Vec<String>,
    codebook: Option<&Codebook>,
) -> PyResult<PlsFit> {
    let model = model_arg(model)?;
    let codes = canonical_na(&na);
    let data = dataset(py, columns, na)?;
    fit_rows(py, &model, settings, data, codebook, codes)
}

/// Fits a PLS path model to a data file read by the library's reader (see
/// `read_csv`; without `delimiter` as the `csikit` commands read it). The
/// fit keeps the file's read report for its document's `input`.
#[pyfunction]
#[pyo3(signature = (path, model, settings, na = Vec::new(), delimiter = None, codebook = None))]
fn pls_fit_csv(
    py: Python<'_>,
    path: &str,
    model: &Bound<'_, PyAny>,
    settings: &Settings,
    na: Vec<String>,
    delimiter: Option<&str>,
    codebook: Option<&Codebook>,
) -> PyResult<PlsFit> {
    let model = model_arg(model)?;
    let codes = canonical_na(&na);
    let data = load_csv(py, path, na, delimiter)?;
    fit_rows(py, &model, settings, data, codebook, codes)
}

fn fit_rows(
    py: Python<'_>,
    model: &RsModel,
    settings: &Settings,
    data: Dataset,
    codebook: Option<&Codebook>,
    na: Vec<String>,
) -> PyResult<PlsFit> {
    let codebook = codebook.map(|c| c.inner.clone());
    let source = data.source().cloned();
    let data = recode(py, data, codebook.as_ref())?;
    let s = settings.inner.clone();
    let inner = py
        .detach(|| Pls::with_settings(model, s.clone()).fit(&data))
        .py_err()?;
    let mut fit = PlsFit::new(inner, settings.inner.clone(), codebook);
    fit.source = source;
    fit.na = na;
    Ok(fit)
}

/// Fits a PLS path model from (merged) moments. The result's missing-data
/// report is the moments' (rows seen, dropped, imputed), so nothing dropped in
/// a partition goes unreported. The moments' missing policy is the fit's.
#[pyfunction]
fn pls_fit_moments(
    py: Python<'_>,
    moments: &Moments,
    model: &Bound<'_, PyAny>,
    settings: &Settings,
) -> PyResult<PlsFit> {
    let model = model_arg(model)?;
    let mut s = settings.inner.clone();
    s.missing = moments.policy;
    let mut inner = py
        .detach(|| Pls::with_settings(&model, s.clone()).fit_moments(&moments.inner))
        .py_err()?;
    let report = &mut inner.missing;
    report.policy = moments.policy;
    report.n_rows = moments.n_rows;
    report.n_dropped = moments.n_dropped;
    report.n_imputed = moments.n_imputed;
    let mut fit = PlsFit::new(inner, s, None);
    fit.na = moments.na.clone();
    Ok(fit)
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

    /// The model that was fitted.
    fn model(&self) -> Model {
        Model {
            inner: self.inner.model().clone(),
        }
    }

    /// The settings the model was fitted with.
    fn settings(&self) -> Settings {
        Settings {
            inner: self.settings.clone(),
        }
    }

    /// The items of the fit's codebook (empty without one).
    fn codebook_items(&self) -> Vec<String> {
        self.codebook
            .as_ref()
            .map(|c| c.items.iter().map(|i| i.item.clone()).collect())
            .unwrap_or_default()
    }

    /// The fit's report (`PlsFit::report`: the `pls` document without the
    /// options): scalars with `get`, tables with `table`.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, Document>> {
        Self::cached(py, &self.report, || Document::new(&self.inner.report()))
    }

    /// Every field of the library's `PlsFit` (cross-loadings, construct
    /// correlations, unidimensionality, missing-data report, …).
    fn full<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, Document>> {
        Self::cached(py, &self.full, || Document::new(&self.inner))
    }

    /// HTMT from signed indicator correlations (cSEM's variant) as columns.
    fn htmt_signed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        tables::rows(py, &self.inner.htmt_signed())
    }

    /// Specific indirect effects (each chain of mediators) as columns.
    fn specific_indirect<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        tables::rows(py, &self.inner.specific_indirect_effects().py_err()?)
    }

    /// The path matrix (rows = dependent, columns = predictor): `{rows, cols, data}`.
    fn path_matrix<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &value_of(&self.inner.path_matrix())?)
    }

    /// The indicator correlation (or covariance) matrix S the fit iterated on.
    fn indicator_matrix<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &value_of(&self.inner.indicator_matrix())?)
    }

    /// The indicator correlations implied by the model (`saturated`: construct
    /// correlations free) as `{rows, cols, data}`.
    fn implied<'py>(&self, py: Python<'py>, saturated: bool) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &value_of(&self.inner.implied_correlation(saturated))?)
    }

    /// The assessment of the higher-order constructs with their lower-order
    /// constructs as indicators (`PlsFit::higher_order_assessment`).
    fn higher_order<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &value_of(&self.inner.higher_order_assessment())?)
    }

    /// The assessment (`PlsFit::assess`: reliability, Fornell–Larcker,
    /// cross-loadings, HTMT/HTMT2, VIF, f², SRMR, d_ULS, d_G).
    fn assessment(&self) -> PyResult<Document> {
        Document::new(&self.inner.assess())
    }

    /// The assessment as the library's readable text (`Display`).
    fn assessment_text(&self) -> String {
        self.inner.assess().to_string()
    }

    /// The readable text summary (the library's `Display`).
    fn summary(&self) -> String {
        self.inner.to_string()
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
            na: self.na.clone(),
        }
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
        let data = self.rows(py, columns, na)?;
        let scores = py.detach(|| self.inner.scores(&data)).py_err()?;
        Ok(scores_out(py, &scores))
    }

    /// The simple-slope table (`PlsFit::simple_slopes`, or with bootstrap
    /// intervals `Bootstrap::simple_slopes` when `bootstrap` is given).
    #[pyo3(signature = (focal, moderator, dependent, columns = None, na = Vec::new(),
        bootstrap = None, seed = 1, confidence = 0.95, sign_change = "none",
        keep_inadmissible = false))]
    #[allow(clippy::too_many_arguments)]
    fn simple_slopes<'py>(
        &self,
        py: Python<'py>,
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
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(n) = bootstrap else {
            let table = self
                .inner
                .simple_slopes(focal, moderator, dependent)
                .py_err()?;
            return to_py(py, &value_of(&table)?);
        };
        let Some(columns) = columns else {
            return Err(PyValueError::new_err(
                "bootstrap intervals need the data: this fit was not made from data in memory",
            ));
        };
        let sign_change = sign_change.parse::<SignChange>().py_err()?;
        let data = self.rows(py, columns, na)?;
        let pls = self.estimator();
        let table = interruptible(py, None, |cancel| {
            Bootstrap::new(n)
                .seed(seed)
                .confidence(confidence)
                .sign_change(sign_change)
                .keep_inadmissible(keep_inadmissible)
                .progress(cancel.callback())
                .simple_slopes(&pls, &data, focal, moderator, dependent)
        })?;
        to_py(py, &value_of(&table)?)
    }

    /// Q² by blindfolding (`Pls::blindfolding_by`; the customary omission
    /// distance without `omission`) with the fit's settings; `scale`:
    /// `observed` (default) or `mean_replaced` (`Q2Scale`).
    #[pyo3(signature = (columns, na = Vec::new(), omission = None, scale = "observed"))]
    fn blindfolding(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyList>,
        na: Vec<String>,
        omission: Option<usize>,
        scale: &str,
    ) -> PyResult<Document> {
        let scale = scale.parse::<Q2Scale>().py_err()?;
        let data = self.rows(py, columns, na)?;
        let pls = self.estimator();
        let b = py
            .detach(|| pls.blindfolding_by(&data, omission, scale))
            .py_err()?;
        Document::new(&b)
    }

    /// PLSpredict (`PlsPredict::run`) with the fit's settings: (metrics,
    /// predictions `{rows, pls, lm}`).
    #[pyo3(signature = (columns, na = Vec::new(), folds = 10, repetitions = 1, seed = 1,
        approach = "earliest", targets = None))]
    #[allow(clippy::too_many_arguments)]
    fn predict(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyList>,
        na: Vec<String>,
        folds: usize,
        repetitions: usize,
        seed: u64,
        approach: &str,
        targets: Option<Vec<String>>,
    ) -> PyResult<(Document, Document)> {
        let approach = approach_arg(approach)?;
        let data = self.rows(py, columns, na)?;
        let pls = self.estimator();
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
        Ok((Document::new(&p)?, Document::new(&predictions)?))
    }

    /// The bootstrap of the fit's model with its settings (`Bootstrap::run`):
    /// the library's `BootstrapResult`. GIL released; Ctrl-C stops it;
    /// `progress(done, total)` is called now and then.
    #[pyo3(signature = (columns, na = Vec::new(), resamples = 5000, seed = 1, confidence = 0.95,
        sign_change = "none", on_failure = "skip", max_failed_share = 0.5,
        keep_inadmissible = false, bca = true, threads = None, progress = None,
        specific_indirect = false))]
    #[allow(clippy::too_many_arguments)]
    fn bootstrap(
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
        progress: Option<Py<PyAny>>,
        specific_indirect: bool,
    ) -> PyResult<Document> {
        let mut b = Bootstrap::new(resamples)
            .specific_indirect(specific_indirect)
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
        let data = self.rows(py, columns, na)?;
        let pls = self.estimator();
        let r = interruptible(py, progress, |cancel| {
            b.progress(cancel.callback()).run(&pls, &data)
        })?;
        Document::new(&r)
    }

    /// Multi-group analysis by the levels of `group` (`MultiGroup::run`:
    /// permutation tests of paths, loadings, weights; MICOM) with the fit's
    /// settings. GIL released; Ctrl-C stops it; `progress(done, total)` is
    /// called now and then.
    #[pyo3(signature = (columns, group, na = Vec::new(), permutations = 999, seed = 1,
        correction = "holm", alpha = 0.05, max_failed_share = 0.5, keep_inadmissible = false,
        threads = None, progress = None))]
    #[allow(clippy::too_many_arguments)]
    fn mga(
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
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Document> {
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
        let data = self.rows(py, columns, na)?;
        let pls = self.estimator();
        let r = interruptible(py, progress, |cancel| {
            g.progress(cancel.callback()).run(&pls, &data)
        })?;
        Document::new(&r)
    }

    /// The `pls` document (`analysis::pls`) of the request the keywords
    /// describe: `q2`, `omission`, `predict` folds, `repetitions`, `seed`,
    /// `scale`, `item_scales`, `ipma`, `bootstrap` (`confidence`,
    /// `sign_change`, `keep_inadmissible`), `groups` (`permutations`,
    /// `correction`), `slopes`, `codebook`. With the rows (`columns`), the
    /// document is the one `csikit pls` writes: completed from this fit
    /// (`analysis::pls::complete`), or — with a codebook, which recodes the
    /// rows first — computed by `analysis::pls::run` from the rows. GIL
    /// released; Ctrl-C stops resampling.
    #[pyo3(signature = (columns = None, na = Vec::new(), q2 = false, omission = None,
        predict = None, seed = 1, repetitions = 1, scale = None, item_scales = Vec::new(),
        ipma = None, bootstrap = None, confidence = 0.95, sign_change = "none",
        keep_inadmissible = false, groups = None, permutations = 999, correction = "holm",
        slopes = None, codebook = None, specific_indirect = false, q2_scale = "observed"))]
    #[allow(clippy::too_many_arguments)]
    fn report_with(
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
        codebook: Option<&Codebook>,
        specific_indirect: bool,
        q2_scale: &str,
    ) -> PyResult<Document> {
        let codebook = codebook
            .map(|c| c.inner.clone())
            .or_else(|| self.codebook.clone());
        let request = PlsRequest {
            settings: self.settings.clone(),
            q2,
            omission,
            q2_scale: q2_scale.parse::<Q2Scale>().py_err()?,
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
            slopes: slopes.map(|(focal, moderator, dependent)| SlopesRequest {
                focal,
                moderator,
                dependent,
            }),
            codebook,
            specific_indirect,
            ..PlsRequest::default()
        };
        let mut data = columns.map(|c| dataset(py, c, na)).transpose()?;
        if let Some(d) = &mut data {
            d.set_source(self.source.clone());
        }
        let model = self.specified();
        let doc = match (&request.codebook, data) {
            (Some(_), None) => {
                return Err(setting(
                    "codebook",
                    "a codebook recodes the rows, and this fit was not made from rows in \
                     memory (moments): pass data="
                        .into(),
                ));
            }
            // The codebook recodes the raw rows first: the analysis layer's
            // recipe from the rows (the refit equals this fit, made from the
            // same recoded rows with the same settings).
            (Some(_), Some(raw)) => interruptible(py, None, |cancel| {
                csikit::analysis::pls::run(&raw, model, &request, &cancel.observer())
            })?,
            (None, data) => {
                let pls = self.estimator();
                let fit = self.inner.clone();
                interruptible(py, None, |cancel| {
                    csikit::analysis::pls::complete(
                        fit,
                        &pls,
                        data.as_ref(),
                        &request,
                        &cancel.observer(),
                    )
                })?
            }
        };
        // The document's JSON: the report, then `input` when the rows were
        // read from a file (as `PlsDocument::to_json` writes it).
        let mut value = value_of(&doc.report)?;
        if let (Some(source), Value::Object(map)) = (&doc.source, &mut value) {
            map.insert("input".into(), value_of(source)?);
        }
        Ok(Document::from_value(value))
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
        Ok(CsiIndex::new(inner))
    }

    /// Impacts of every driver on every construct it reaches (`csi::impacts`).
    #[pyo3(signature = (scale = None, item_scales = Vec::new()))]
    fn impacts(
        &self,
        scale: Option<(f64, f64)>,
        item_scales: Vec<(String, (f64, f64))>,
    ) -> PyResult<Document> {
        let scales = scales_required(scale, item_scales)?;
        let index = csi::index(&self.inner, &scales).py_err()?;
        Document::new(&csi::impacts(&self.inner, &index))
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
            let data = self.rows(py, columns, na)?;
            let pls = self.estimator();
            let boot = interruptible(py, None, |cancel| {
                let settings = Bootstrap::new(n)
                    .seed(seed)
                    .confidence(confidence)
                    .bca(false)
                    .progress(cancel.callback());
                csi::CsiBootstrap::run(&pls, &data, &scales, target, &settings)
            })?;
            boot.apply_ipma(&mut inner);
        }
        Ok(CsiIpma::new(inner))
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
        let data = self.rows(py, columns, na)?;
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
pub(crate) fn scales_arg(
    scale: Option<(f64, f64)>,
    item_scales: Vec<(String, (f64, f64))>,
) -> Option<Scales> {
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

/// The answer scales, required (`scale=` names the keyword).
pub(crate) fn scales_required(
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Settings>()?;
    m.add_class::<PlsFit>()?;
    m.add_function(wrap_pyfunction!(pls_fit, m)?)?;
    m.add_function(wrap_pyfunction!(pls_fit_csv, m)?)?;
    m.add_function(wrap_pyfunction!(pls_fit_moments, m)?)?;
    Ok(())
}
