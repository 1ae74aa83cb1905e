//! The `monitor` task: complaint hotspots of a month, KPI target status, the
//! link of complaint categories to the CSI drivers, and a trend chart.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::audit::{DataAudit, apply_codebook, resolve_scales};
use super::page::{Page, Section, Table, audit_lines, number};
use super::{Chart, Observer};
use crate::codebook::Codebook;
use crate::csi::Scale;
use crate::i18n::{Labels, Lang};
use crate::monitor::text::{self as text, Text};
use crate::monitor::{
    ComplaintColumns, ComplaintMetrics, Complaints, CustomerCounts, Hotspots, Kpi, KpiStatus,
    LinkRow, MetricOptions, MonitorSimulation, Period, SurveyInput, evaluate_kpis,
    link_by_respondent,
};
use crate::monitor::{MetricRow, Trend, trend_chart_in};
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
    /// The language of the report and charts: `en` (default) or `zh`.
    pub lang: Lang,
}

impl Default for MonitorRequest {
    fn default() -> Self {
        MonitorRequest {
            period: None,
            top: 10,
            min_volume: 5,
            satisfaction_scale: Scale::new(1.0, 10.0),
            codebook: None,
            lang: Lang::En,
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
    /// The language of the report and charts (not in the JSON).
    #[serde(skip)]
    pub lang: Lang,
    /// The codebook whose labels word categories and drivers (not in the JSON).
    #[serde(skip)]
    pub codebook: Option<Codebook>,
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
        let labels = Labels::new(self.codebook.as_ref(), self.lang);
        let mut charts = vec![Chart::new(
            ["complaint_trend"],
            Text::ChartCaption.text(self.lang),
            trend_chart_in(&self.metrics, &top, self.lang, &|c| text::name(&labels, c)),
        )];
        charts.extend(self.alerts.charts(self.lang));
        charts
    }

    /// The report page (Markdown and HTML) in the request's language: a
    /// summary (targets met, the largest hotspots), the KPI table, the
    /// hotspot tables (volume, 万投比, 环比, 同比, 定基比), the links to the
    /// drivers and the trend chart. Categories are worded by the codebook.
    pub fn page(&self) -> Page {
        let lang = self.lang;
        let labels = Labels::new(self.codebook.as_ref(), lang);
        let t = |k: Text| k.text(lang).to_string();
        let month = text::period(self.period, lang);
        let mut page = Page::new(lang, Text::Title.fill(lang, &[("period", month.clone())]));
        if let Some(audit) = &self.data {
            page.summary.extend(audit_lines(audit, lang));
        }
        let kpis: Vec<_> = self
            .kpis
            .iter()
            .filter(|s| s.period == self.period && s.segment.is_none())
            .collect();
        page.summary.push(
            Text::Summary.fill(
                lang,
                &[
                    ("period", month.clone()),
                    (
                        "met",
                        kpis.iter()
                            .filter(|k| k.met == Some(true))
                            .count()
                            .to_string(),
                    ),
                    ("k", kpis.len().to_string()),
                ],
            ),
        );
        if let Some(r) = self.hotspots.by_volume.first() {
            page.summary.push(Text::TopVolume.fill(
                lang,
                &[
                    ("category", text::name(&labels, &r.category)),
                    ("volume", r.volume.to_string()),
                    ("rate", format!("{:.2}", r.rate_per_10k)),
                ],
            ));
        }
        if let Some(r) = self.hotspots.by_increase.first()
            && let Some(c) = r.mom_change
        {
            page.summary.push(Text::TopIncrease.fill(
                lang,
                &[
                    ("category", text::name(&labels, &r.category)),
                    ("change", format!("{c:+}")),
                ],
            ));
        }
        let chart = page.add_chart(self.charts().remove(0));

        let mut sec = Section::new(Text::KpiHeading.fill(lang, &[("period", month.clone())]));
        let fmt = |name: &str, v: Option<f64>| {
            if name.contains("time p") {
                number(v, 1, lang)
            } else {
                v.filter(|v| v.is_finite())
                    .map_or_else(|| number(None, 0, lang), |v| format!("{:.1}%", 100.0 * v))
            }
        };
        sec.tables.push(Table {
            title: sec.heading.clone(),
            header: vec![
                t(Text::Kpi),
                t(Text::Value),
                t(Text::Target),
                t(Text::Met),
                t(Text::Change),
                t(Text::Trend),
                t(Text::Base),
            ],
            rows: kpis
                .iter()
                .map(|k| {
                    vec![
                        text::kpi(&k.kpi, lang),
                        fmt(&k.kpi, k.value),
                        fmt(&k.kpi, Some(k.target)),
                        match k.met {
                            Some(true) => t(Text::Yes),
                            Some(false) => t(Text::No),
                            None => number(None, 0, lang),
                        },
                        if k.kpi.contains("time p") {
                            number(k.change, 1, lang)
                        } else {
                            k.change.filter(|v| v.is_finite()).map_or_else(
                                || number(None, 0, lang),
                                |v| format!("{:+.1} {}", 100.0 * v, lang.pick("pp", "个百分点")),
                            )
                        },
                        match k.trend {
                            Some(Trend::Improving) => t(Text::Improving),
                            Some(Trend::Worsening) => t(Text::Worsening),
                            Some(Trend::Flat) => t(Text::Flat),
                            None => String::new(),
                        },
                        format!("{}", k.n),
                    ]
                })
                .collect(),
        });
        page.sections.push(sec);

        let mut sec = Section::new(Text::HotspotsHeading.fill(lang, &[("period", month.clone())]));
        let header = vec![
            t(Text::Category),
            t(Text::Volume),
            t(Text::Rate),
            t(Text::Mom),
            t(Text::MomPct),
            t(Text::Yoy),
            t(Text::YoyPct),
            t(Text::BaseIndex),
        ];
        let rows = |list: &[MetricRow]| -> Vec<Vec<String>> {
            let ch = |c: Option<i64>| c.map_or_else(|| number(None, 0, lang), |c| format!("{c:+}"));
            list.iter()
                .map(|r| {
                    vec![
                        text::name(&labels, &r.category),
                        r.volume.to_string(),
                        format!("{:.2}", r.rate_per_10k),
                        ch(r.mom_change),
                        number(r.mom_pct, 1, lang),
                        ch(r.yoy_change),
                        number(r.yoy_pct, 1, lang),
                        number(r.base_index, 1, lang),
                    ]
                })
                .collect()
        };
        let h = &self.hotspots;
        for (title, list) in [
            (t(Text::ByVolume), &h.by_volume),
            (t(Text::ByIncrease), &h.by_increase),
            (
                Text::ByRate.fill(lang, &[("n", h.min_volume_for_rate.to_string())]),
                &h.by_rate,
            ),
        ] {
            sec.tables.push(Table {
                title,
                header: header.clone(),
                rows: rows(list),
            });
        }
        page.sections.push(sec);

        let mut sec = Section::new(t(Text::TrendHeading));
        sec.charts.push(chart);
        page.sections.push(sec);

        if !self.links.is_empty() {
            let mut sec = Section::new(t(Text::LinksHeading));
            sec.text.push(t(Text::LinksNote));
            sec.tables.push(Table {
                title: sec.heading.clone(),
                header: vec![
                    t(Text::Category),
                    t(Text::Driver),
                    t(Text::Complainers),
                    t(Text::Difference),
                    t(Text::Interval),
                    t(Text::Linked),
                ],
                rows: self
                    .links
                    .iter()
                    .map(|l| {
                        vec![
                            text::name(&labels, &l.category),
                            text::name(&labels, &l.driver),
                            l.n_complained.to_string(),
                            number(l.difference, 2, lang),
                            format!(
                                "[{}, {}]",
                                number(l.ci_lower, 2, lang),
                                number(l.ci_upper, 2, lang)
                            ),
                            if l.linked {
                                t(Text::Linked)
                            } else {
                                String::new()
                            },
                        ]
                    })
                    .collect(),
            });
            page.sections.push(sec);
        }
        page
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
        write!(f, "\n{}", self.alerts.to_text(self.lang))?;
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
        lang: request.lang,
        codebook: request.codebook.clone(),
    })
}
