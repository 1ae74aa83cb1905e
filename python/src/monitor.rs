//! Service-quality monitoring: complaint metrics, hotspots, KPIs, the link
//! of complaint categories to the CSI drivers, and the monitoring document.

use csikit::Error;
use csikit::analysis::{MonitorInput, MonitorRequest, Observer};
use csikit::monitor::custom::{KpiDefinition, KpiTarget};
use csikit::monitor::{
    ComplaintColumns, ComplaintMetrics, Complaints, CustomerCounts, Kpi, MetricOptions,
    MonitorSimulation, Period, SurveyInput, evaluate_kpis, link_by_respondent, link_by_segment,
    trend_chart,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::data::{columns_out, dataset};
use crate::errors::{OrPy, setting, to_py};
use crate::tables::{self, Document};

/// Complaint metrics of a complaints table against customer counts
/// (`monitor::Complaints::metrics`), with hotspots, KPIs and links.
#[pyclass(frozen, module = "csikit._csikit")]
pub(crate) struct Monitor {
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

    /// The metrics table as columns.
    fn metrics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        tables::rows(py, &self.metrics.rows)
    }

    /// Complaint categories, alphabetical.
    fn categories(&self) -> Vec<String> {
        self.complaints.categories()
    }

    /// Periods covered by the customer counts (YYYY-MM), ascending.
    fn periods(&self) -> Vec<String> {
        self.metrics.periods.iter().map(|p| p.to_string()).collect()
    }

    /// Top-`n` hotspots of a month (default: the last).
    #[pyo3(signature = (period = None, n = 10, min_volume = 5, segment = None))]
    fn hotspots(
        &self,
        period: Option<&str>,
        n: usize,
        min_volume: u64,
        segment: Option<&str>,
    ) -> PyResult<Document> {
        let period = match period {
            Some(p) => period_arg("period", p)?,
            None => *self.metrics.periods.last().ok_or_else(|| {
                to_py(Error::EmptyData {
                    context: " (no periods in the customer counts)".into(),
                })
            })?,
        };
        Document::new(
            &self
                .metrics
                .hotspots(period, n, min_volume, segment)
                .py_err()?,
        )
    }

    /// KPI status per period (and segment) as columns. `kpis`: (kind, a, b) with
    /// kind satisfied_share (threshold, target), complaint_rate (max),
    /// response_within / resolution_within (hours, min_share),
    /// response_percentile / resolution_percentile (percentile, max_hours).
    #[pyo3(signature = (kpis, survey = None, survey_period = "month",
        satisfaction = "satisfaction"))]
    fn kpis<'py>(
        &self,
        py: Python<'py>,
        kpis: Vec<(String, f64, Option<f64>)>,
        survey: Option<&Bound<'_, PyList>>,
        survey_period: &str,
        satisfaction: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
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
        tables::rows(py, &status)
    }

    /// Respondent-level link of complaint categories to driver performance
    /// (`monitor::link_by_respondent`) as columns.
    #[pyo3(signature = (survey, drivers, id_column = "customer_id", level = 0.95,
        bonferroni = true))]
    fn link_by_respondent<'py>(
        &self,
        py: Python<'py>,
        survey: &Bound<'_, PyList>,
        drivers: Vec<String>,
        id_column: &str,
        level: f64,
        bonferroni: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let survey = dataset(py, survey, Vec::new())?;
        let d: Vec<&str> = drivers.iter().map(String::as_str).collect();
        let rows = py
            .detach(|| {
                link_by_respondent(&self.complaints, &survey, id_column, &d, level, bonferroni)
            })
            .py_err()?;
        tables::rows(py, &rows)
    }

    /// Segment-level link (`monitor::link_by_segment`) as columns.
    #[pyo3(signature = (survey, drivers, level = 0.95))]
    fn link_by_segment<'py>(
        &self,
        py: Python<'py>,
        survey: &Bound<'_, PyList>,
        drivers: Vec<String>,
        level: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
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
        tables::rows(py, &rows)
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

/// The monitoring document (`analysis::monitor::run`, as `csikit monitor`
/// writes it): hotspots of a month, KPI status, links of complaint
/// categories to the drivers, from tables with the standard columns; with
/// `kpis` (a definitions table as columns) and `targets` (a targets table)
/// the user-defined KPIs (`monitor::custom`) on `kpi_data` or the table each
/// names. The report page (`markdown`, `html`, `charts`) is in `lang`.
#[pyfunction]
#[pyo3(signature = (complaints, customers, survey = None, period = None, top = 10,
    min_volume = 5, kpis = None, targets = None, kpi_data = None, lang = "en".to_string(),
    touchpoints = None, score = None, by = Vec::new(), touchpoint_period = None, scale = None,
    min_n = 30, na = Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn monitor_report(
    py: Python<'_>,
    complaints: &Bound<'_, PyList>,
    customers: &Bound<'_, PyList>,
    survey: Option<&Bound<'_, PyList>>,
    period: Option<String>,
    top: usize,
    min_volume: u64,
    kpis: Option<&Bound<'_, PyList>>,
    targets: Option<&Bound<'_, PyList>>,
    kpi_data: Option<&Bound<'_, PyList>>,
    lang: String,
    touchpoints: Option<&Bound<'_, PyList>>,
    score: Option<String>,
    by: Vec<String>,
    touchpoint_period: Option<String>,
    scale: Option<(f64, f64)>,
    min_n: usize,
    na: Vec<String>,
) -> PyResult<Document> {
    let lang = lang
        .parse()
        .map_err(|e: csikit::Error| crate::errors::setting("lang", e.to_string()))?;
    let input = MonitorInput {
        complaints: dataset(py, complaints, Vec::new())?,
        customers: dataset(py, customers, Vec::new())?,
        survey: survey.map(|s| dataset(py, s, Vec::new())).transpose()?,
        kpi_data: kpi_data.map(|s| dataset(py, s, Vec::new())).transpose()?,
        touchpoints: touchpoints.map(|t| dataset(py, t, na)).transpose()?,
    };
    // The touchpoint scorecard section (`csikit monitor --touchpoints --score`),
    // computed as `csikit scorecard` does.
    let scorecard = score.map(|score| csikit::analysis::ScorecardRequest {
        score,
        by,
        period: touchpoint_period,
        scale: scale.map(|(lo, hi)| csikit::csi::Scale::new(lo, hi)),
        min_n,
        lang,
        ..csikit::analysis::ScorecardRequest::default()
    });
    let kpis = match kpis {
        Some(k) => KpiDefinition::from_dataset(&dataset(py, k, Vec::new())?).py_err()?,
        None => Vec::new(),
    };
    let targets = match targets {
        Some(t) => KpiTarget::from_dataset(&dataset(py, t, Vec::new())?).py_err()?,
        None => Vec::new(),
    };
    let request = MonitorRequest {
        period,
        top,
        min_volume,
        lang,
        kpis,
        targets,
        scorecard,
        ..MonitorRequest::default()
    };
    let doc = py
        .detach(|| csikit::analysis::monitor::run(&input, &request, &Observer::silent()))
        .py_err()?;
    Ok(Document::new(&doc)?.with_page(&doc.page()))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Monitor>()?;
    m.add_function(wrap_pyfunction!(simulate_monitor, m)?)?;
    m.add_function(wrap_pyfunction!(monitor_report, m)?)?;
    Ok(())
}
