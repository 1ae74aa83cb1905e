//! The `monitor` task: complaint hotspots of a month, KPI target status, the
//! link of complaint categories to the CSI drivers, and a trend chart.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::audit::{DataAudit, apply_codebook, resolve_scales};
use super::{Chart, Observer};
use crate::codebook::Codebook;
use crate::csi::Scale;
use crate::monitor::{
    ComplaintColumns, ComplaintMetrics, Complaints, CustomerCounts, Hotspots, Kpi, KpiStatus,
    LinkRow, MetricOptions, MonitorSimulation, Period, SurveyInput, evaluate_kpis,
    link_by_respondent, trend_chart,
};
use crate::{Dataset, ReadReport, Result};

/// What to compute in a `monitor` run; in JSON a missing field takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MonitorRequest {
    /// Month of the hotspot tables (default: the last month of the counts).
    pub period: Option<String>,
    /// Hotspots per list (default 10).
    pub top: usize,
    /// Minimum volume for the rate list (default 5).
    pub min_volume: u64,
    /// The answer scale of the survey's `satisfaction` column (default 1–10);
    /// an answer outside it is an error unless the codebook declares it a
    /// missing code.
    pub satisfaction_scale: Scale,
    /// The codebook of the survey table: missing codes (98/99 "don't know"
    /// become missing, never "satisfied"), declared scales, reverse items.
    pub codebook: Option<Codebook>,
}

impl Default for MonitorRequest {
    fn default() -> Self {
        MonitorRequest {
            period: None,
            top: 10,
            min_volume: 5,
            satisfaction_scale: Scale::new(1.0, 10.0),
            codebook: None,
        }
    }
}

/// The tables a `monitor` run reads.
#[derive(Debug, Clone)]
pub struct MonitorInput {
    /// One row per complaint: `month`, `category`; optional `region`,
    /// `response_hours`, `resolution_hours`, `customer_id`.
    pub complaints: Dataset,
    /// Customers per month (and region): `month`, `customers` (, `region`).
    pub customers: Dataset,
    /// Survey: `customer_id`, `month`, `satisfaction` (1–10) and driver
    /// columns `quality_index`, `value_index`, `service_index` (0–100).
    pub survey: Option<Dataset>,
}

impl MonitorInput {
    /// The built-in simulated operator (30 000 customers, 12 months, seed 1).
    pub fn builtin() -> Result<(MonitorInput, String)> {
        let sim = MonitorSimulation::new().simulate()?;
        Ok((
            MonitorInput {
                complaints: sim.complaints,
                customers: sim.customers,
                survey: Some(sim.survey),
            },
            "Built-in example: a simulated operator (30 000 customers, 12 months, seed 1).\n"
                .into(),
        ))
    }
}

/// The result of a `monitor` run.
#[derive(Debug, Clone, Serialize)]
pub struct MonitorDocument {
    /// The month of the hotspot tables.
    pub period: Period,
    /// Hotspots by volume, increase and rate.
    pub hotspots: Hotspots,
    /// KPI status per month (and region).
    pub kpis: Vec<KpiStatus>,
    /// Complaint categories linked to drivers.
    pub links: Vec<LinkRow>,
    /// Early warning and change attribution (issue 17).
    pub alerts: super::monitor_alerts::MonitorAlerts,
    /// The monthly metrics behind the tables (not in the JSON).
    #[serde(skip)]
    pub metrics: ComplaintMetrics,
    /// A line on the data shown above the text report; not in the JSON.
    #[serde(skip)]
    pub intro: Option<String>,
    /// Where each table was read from ([`Dataset::source`]), by table
    /// (`complaints`, `customers`, `survey`); empty for data in memory.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub input: BTreeMap<String, ReadReport>,
    /// What happened to the survey table: codes recoded, the satisfaction
    /// scale and its source (null without a survey).
    pub data: Option<DataAudit>,
}

impl MonitorDocument {
    /// The JSON document, pretty-printed.
    pub fn to_json(&self) -> String {
        super::pretty(self)
    }

    /// The complaint trend of the five largest categories of the month.
    pub fn charts(&self) -> Vec<Chart> {
        let top: Vec<&str> = self
            .hotspots
            .by_volume
            .iter()
            .take(5)
            .map(|r| r.category.as_str())
            .collect();
        let mut charts = vec![Chart::new(
            ["complaint_trend"],
            "Complaint trend",
            trend_chart(&self.metrics, &top),
        )];
        charts.extend(self.alerts.charts(crate::i18n::Lang::En));
        charts
    }
}

impl fmt::Display for MonitorDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let period = self.period;
        if let Some(intro) = &self.intro {
            writeln!(f, "{intro}")?;
        }
        if let Some(audit) = &self.data {
            writeln!(f, "Survey table")?;
            for line in audit.lines() {
                writeln!(f, "  {line}")?;
            }
            writeln!(f)?;
        }
        for (table, source) in &self.input {
            writeln!(f, "Data ({table}): {source}")?;
        }
        if !self.input.is_empty() {
            writeln!(f)?;
        }
        writeln!(f, "{}", self.hotspots)?;
        writeln!(f, "KPI targets, {period} (all customers)")?;
        for s in self
            .kpis
            .iter()
            .filter(|s| s.period == period && s.segment.is_none())
        {
            writeln!(f, "  {s}")?;
        }
        if !self.links.is_empty() {
            writeln!(
                f,
                "\nComplaint categories linked to drivers (complainers' mean driver score minus others', 95 % Bonferroni intervals)"
            )?;
            for l in &self.links {
                writeln!(
                    f,
                    "  {:<10} {:<15} n={:<5} diff {:>7.2}  [{:>7.2}, {:>7.2}]  {}",
                    l.category,
                    l.driver,
                    l.n_complained,
                    l.difference.unwrap_or(f64::NAN),
                    l.ci_lower.unwrap_or(f64::NAN),
                    l.ci_upper.unwrap_or(f64::NAN),
                    if l.linked { "LINKED" } else { "" }
                )?;
            }
        }
        write!(f, "\n{}", self.alerts.to_text(crate::i18n::Lang::En))?;
        Ok(())
    }
}

/// The KPI targets of the monitoring report: satisfied share (answer ≥ 8)
/// ≥ 90 % (when a survey with `satisfaction` is given), complaint rate ≤ 3 %,
/// response within 1 h ≥ 90 %, resolution within 24 h ≥ 80 %.
pub fn default_kpis(with_survey: bool) -> Vec<Kpi> {
    let mut kpis = vec![
        Kpi::ComplaintRate { max: 0.03 },
        Kpi::ResponseWithin {
            hours: 1.0,
            min_share: 0.9,
        },
        Kpi::ResolutionWithin {
            hours: 24.0,
            min_share: 0.8,
        },
    ];
    if with_survey {
        kpis.insert(
            0,
            Kpi::SatisfiedShare {
                threshold: 8.0,
                target: 0.9,
            },
        );
    }
    kpis
}

/// Runs the monitoring tables on the input. Optional complaint columns are
/// used when present (`region` only when the customer counts have it too).
pub fn run(
    input: &MonitorInput,
    request: &MonitorRequest,
    _observer: &Observer,
) -> Result<MonitorDocument> {
    let (complaints, customers) = (&input.complaints, &input.customers);
    // The survey: codebook applied, the satisfaction answers checked against
    // their scale (a 99 is never counted as satisfied).
    let mut audit = None;
    let survey = match &input.survey {
        Some(s) => {
            let (s, recoding) = apply_codebook(s, request.codebook.as_ref())?;
            let mut a = DataAudit::of(&s);
            a.recoding = recoding;
            if s.has_column("satisfaction") {
                resolve_scales(
                    &s,
                    &["satisfaction"],
                    request.codebook.as_ref(),
                    Some(request.satisfaction_scale),
                    &[],
                    &mut a,
                )?;
            }
            audit = Some(a.finish());
            Some(s.into_owned())
        }
        None => None,
    };
    let survey = &survey;
    let period = match &request.period {
        Some(text) => Some(
            Period::parse(text).ok_or_else(|| crate::Error::InvalidSetting {
                name: "period".into(),
                message: format!("`{text}` is not a month such as 2025-03"),
            })?,
        ),
        None => None,
    };
    let mut cols = ComplaintColumns::new("month", "category");
    let has = |name: &str| complaints.has_column(name);
    if has("region") && customers.has_column("region") {
        cols = cols.segment("region");
    }
    if has("response_hours") {
        cols = cols.response_hours("response_hours");
    }
    if has("resolution_hours") {
        cols = cols.resolution_hours("resolution_hours");
    }
    if has("customer_id") {
        cols = cols.customer_id("customer_id");
    }
    let segs: Vec<&str> = cols.segments.iter().map(String::as_str).collect();
    let c = Complaints::from_dataset(complaints, &cols)?;
    let n = CustomerCounts::from_dataset(customers, "month", "customers", &segs)?;
    let metrics = c.metrics(&n, &MetricOptions::default())?;
    let period = match period.or_else(|| metrics.periods.last().copied()) {
        Some(p) => p,
        None => {
            return Err(crate::Error::EmptyData {
                context: " (the customer counts have no months)".into(),
            });
        }
    };
    let hotspots = metrics.hotspots(period, request.top, request.min_volume, None)?;
    let survey_input = survey
        .as_ref()
        .filter(|s| s.has_column("satisfaction"))
        .map(|s| SurveyInput {
            data: s,
            period: "month",
            satisfaction: "satisfaction",
        });
    let kpis = default_kpis(survey_input.is_some());
    let status = evaluate_kpis(&kpis, &c, &n, survey_input)?;
    let drivers: Vec<&str> = ["quality_index", "value_index", "service_index"]
        .into_iter()
        .filter(|d| survey.as_ref().is_some_and(|s| s.has_column(d)))
        .collect();
    let links = match (survey, cols.customer_id.is_some() && !drivers.is_empty()) {
        (Some(s), true) => link_by_respondent(&c, s, "customer_id", &drivers, 0.95, true)?,
        _ => Vec::new(),
    };
    Ok(MonitorDocument {
        period,
        alerts: super::monitor_alerts::alerts(&metrics, period),
        hotspots,
        kpis: status,
        links,
        metrics,
        intro: None,
        input: [
            ("complaints", Some(complaints)),
            ("customers", Some(customers)),
            ("survey", survey.as_ref()),
        ]
        .into_iter()
        .filter_map(|(k, d)| Some((k.to_string(), d?.source()?.clone())))
        .collect(),
        data: audit,
    })
}
