//! The `monitor` task: complaint hotspots of a month, KPI target status, the
//! link of complaint categories to the CSI drivers, and a trend chart.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::audit::{DataAudit, apply_codebook, resolve_scales};
use super::page::{Page, Section, Table, audit_lines, number};
use super::scorecard::{ScorecardDocument, ScorecardRequest};
use super::{Chart, Observer};
use crate::codebook::Codebook;
use crate::csi::Scale;
use crate::i18n::{Labels, Lang};
use crate::monitor::custom::{Better, KpiDefinition, KpiReport, KpiTarget, evaluate_on};
use crate::monitor::text::{self as text, Text};
use crate::monitor::warning::{RateWatch, WatchPoint};
use crate::monitor::{
    ComplaintColumns, ComplaintMetrics, Complaints, CustomerCounts, Hotspots, Kpi, KpiStatus,
    LinkRow, MetricOptions, MonitorSimulation, Period, SurveyInput, evaluate_kpis,
    link_by_respondent,
};
use crate::monitor::{MetricRow, Trend, share_bars, trend_chart_in, watch_chart};
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
    /// User-defined KPIs ([`crate::monitor::custom`]), each read from the
    /// table its `table` names (default: [`MonitorInput::kpi_data`]); none by default.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kpis: Vec<KpiDefinition>,
    /// Targets of the user-defined KPIs (per KPI and unit, or `*`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<KpiTarget>,
    /// The touchpoint scorecard (即评) of [`MonitorInput::touchpoints`]: the
    /// same request as `csikit scorecard` (its `lang` is replaced by the
    /// monitor's); none by default (the JSON then has no `scorecard` key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scorecard: Option<ScorecardRequest>,
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
            kpis: Vec::new(),
            targets: Vec::new(),
            scorecard: None,
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
    /// The table of the user-defined KPIs whose `table` is `data` (or not
    /// given): e.g. one row per month and region, or one row per call.
    pub kpi_data: Option<Dataset>,
    /// The touchpoint survey of the scorecard section (one row per answer,
    /// read with [`MonitorRequest::scorecard`]); none by default.
    pub touchpoints: Option<Dataset>,
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
                kpi_data: None,
                touchpoints: None,
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
    /// The trend watch in JSON (key `watch`): per watched series the EWMA
    /// points and parameters of [`MonitorDocument::watch`].
    #[serde(rename = "watch")]
    pub watch_json: super::monitor_alerts::WatchDocument,
    /// User-defined KPIs against their targets (only with KPIs or targets
    /// in the request; the key is absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_kpis: Option<KpiReport>,
    /// The touchpoint scorecard (即评), equal to the `csikit scorecard`
    /// document of the touchpoint survey (only with a touchpoint survey;
    /// the key is absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scorecard: Option<ScorecardDocument>,
    /// The EWMA and seasonal expectation of the overall complaint rate
    /// (shown in the report; in the JSON as [`MonitorDocument::watch_json`]).
    #[serde(skip)]
    pub watch: Option<RateWatch>,
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
        charts.extend(
            self.alerts
                .charts_labelled(self.lang, &|u| unit_label(&labels, u)),
        );
        if let Some(w) = &self.watch {
            charts.push(Chart::new(
                ["ewma_watch"],
                Text::WatchChart.text(self.lang),
                watch_chart(w, self.lang),
            ));
        }
        if let Some(c) = self.attainment_chart() {
            charts.push(c);
        }
        if let Some(s) = &self.scorecard {
            charts.extend(s.charts());
        }
        charts
    }

    /// The period of the user-defined KPI tables: the report's month when
    /// the KPI data have it, else their last period.
    fn custom_period(&self, r: &KpiReport) -> Option<Period> {
        if r.periods.contains(&self.period) {
            Some(self.period)
        } else {
            r.last_period()
        }
    }

    /// The attainment rates (达标率) of the KPIs with units in the KPI period.
    fn attainment_chart(&self) -> Option<Chart> {
        let r = self.custom_kpis.as_ref()?;
        let p = self.custom_period(r)?;
        let rows: Vec<(String, f64)> = r
            .definitions
            .iter()
            .filter_map(|d| {
                let a = r
                    .attainment
                    .iter()
                    .find(|a| a.kpi == d.kpi && a.period == p)?;
                Some((d.shown(self.lang == Lang::Zh).to_string(), a.rate?))
            })
            .collect();
        if rows.is_empty() {
            return None;
        }
        let title =
            Text::AttainmentHeading.fill(self.lang, &[("period", text::period(p, self.lang))]);
        Some(Chart::new(
            ["kpi_attainment"],
            &title,
            share_bars(&title, &rows),
        ))
    }

    /// The early-warning, attribution and EWMA sections of the page.
    fn warning_sections(&self, page: &mut Page, charts: &[Chart]) {
        use crate::i18n::AlertText as A;
        let lang = self.lang;
        let t = |k: Text| k.text(lang).to_string();
        let labels = Labels::new(self.codebook.as_ref(), lang);
        let chart = |page: &mut Page, name: &str| {
            charts
                .iter()
                .find(|c| c.name.join("_") == name)
                .map(|c| page.add_chart(c.clone()))
        };
        let a = &self.alerts;
        let month = text::period(a.period, lang);
        let mut sec = Section::new(A::AlertsHeading.fill(lang, &[("period", month.clone())]));
        sec.text.push(A::AlertsMethod.fill(
            lang,
            &[
                ("amber", a.thresholds.amber.to_string()),
                ("red", a.thresholds.red.to_string()),
                ("fdr", a.fdr.to_string()),
            ],
        ));
        let n_alerts = a.units.iter().filter(|u| u.alert).count();
        sec.text.push(if n_alerts == 0 {
            A::NoAlerts.text(lang).to_string()
        } else {
            A::AlertsCount.fill(
                lang,
                &[
                    ("alerts", n_alerts.to_string()),
                    ("units", a.units.len().to_string()),
                ],
            )
        });
        let level = |l: crate::monitor::warning::Level| {
            use crate::monitor::warning::Level;
            match l {
                Level::Red => A::Red.text(lang),
                Level::Amber => A::Amber.text(lang),
                Level::Green => A::Green.text(lang),
            }
            .to_string()
        };
        let unit_name = |u: &str| unit_label(&labels, u);
        sec.tables.push(Table {
            title: sec.heading.clone(),
            header: vec![
                A::Unit.text(lang).to_string(),
                t(Text::Rate),
                t(Text::ExpectedCol),
                "z".into(),
                "q".into(),
                t(Text::LevelCol),
                A::Alert.text(lang).to_string(),
            ],
            rows: a
                .units
                .iter()
                .take(n_alerts.max(10))
                .map(|u| {
                    vec![
                        unit_name(&u.unit),
                        format!("{:.2}", u.rate),
                        format!("{:.2}", u.expected),
                        format!("{:.2}", u.z),
                        format!("{:.4}", u.q),
                        level(u.level),
                        if u.alert {
                            A::Alert.text(lang).to_string()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect(),
        });
        if let Some(c) = chart(page, "warning_alerts") {
            sec.charts.push(c);
        }
        page.sections.push(sec);

        if let Some(d) = &a.attribution {
            let mut sec = Section::new(A::AttributionHeading.fill(
                lang,
                &[
                    ("from", text::period(a.period.previous(), lang)),
                    ("to", month.clone()),
                    ("rate0", format!("{:.2}", d.rate0)),
                    ("rate1", format!("{:.2}", d.rate1)),
                    ("change", format!("{:+.2}", d.change)),
                ],
            ));
            sec.text.push(A::AttributionMethod.fill(
                lang,
                &[
                    ("mix", format!("{:+.2}", d.mix_effect)),
                    ("rate", format!("{:+.2}", d.rate_effect)),
                ],
            ));
            sec.tables.push(Table {
                title: t(Text::AttributionSection),
                header: vec![
                    t(Text::Segment),
                    t(Text::MixEffect),
                    t(Text::RateEffect),
                    t(Text::ContributionCol),
                ],
                rows: d
                    .top(10)
                    .iter()
                    .map(|c| {
                        vec![
                            unit_name(&c.segment),
                            format!("{:+.2}", c.mix_effect),
                            format!("{:+.2}", c.rate_effect),
                            format!("{:+.2}", c.total),
                        ]
                    })
                    .collect(),
            });
            if let Some(c) = chart(page, "change_attribution") {
                sec.charts.push(c);
            }
            page.sections.push(sec);
        }

        let mut sec = Section::new(t(Text::WatchHeading));
        match &self.watch {
            None => sec.text.push(t(Text::WatchTooShort)),
            Some(w) => {
                sec.text.push(Text::WatchMethod.fill(
                    lang,
                    &[
                        ("lambda", w.lambda.to_string()),
                        ("width", w.width.to_string()),
                        ("baseline", w.baseline.to_string()),
                        ("period", month.clone()),
                        ("mu0", format!("{:.2}", w.mu0)),
                        ("sigma", format!("{:.3}", w.sigma)),
                    ],
                ));
                // The months a chart signals in, or its "no signal" line.
                let signal_line = |hit: fn(&WatchPoint) -> bool, some: Text, none: Text| {
                    let months: Vec<String> = w
                        .points
                        .iter()
                        .filter(|p| hit(p))
                        .map(|p| text::period(p.period, lang))
                        .collect();
                    if months.is_empty() {
                        t(none)
                    } else {
                        some.fill(lang, &[("list", months.join(lang.list_sep()))])
                    }
                };
                sec.text.push(signal_line(
                    |p| p.signal,
                    Text::WatchSignals,
                    Text::WatchNoSignal,
                ));
                sec.text.push(Text::WatchCusumMethod.fill(
                    lang,
                    &[
                        ("k", w.cusum_k.to_string()),
                        ("h", w.cusum_h.to_string()),
                        ("hv", format!("{:.2}", w.cusum_h * w.sigma)),
                    ],
                ));
                sec.text.push(signal_line(
                    |p| p.cusum_signal,
                    Text::WatchCusumSignals,
                    Text::WatchCusumNoSignal,
                ));
                if w.points.iter().all(|p| p.seasonal.is_none()) {
                    sec.text.push(t(Text::WatchNoSeason));
                }
                sec.tables.push(Table {
                    title: sec.heading.clone(),
                    header: vec![
                        t(Text::PeriodCol),
                        t(Text::Rate),
                        t(Text::Ewma),
                        t(Text::LowerLimit),
                        t(Text::UpperLimit),
                        t(Text::Seasonal),
                        t(Text::VsSeasonal),
                        t(Text::Signal),
                        t(Text::CusumSignal),
                    ],
                    rows: w
                        .points
                        .iter()
                        .map(|p| {
                            vec![
                                text::period(p.period, lang),
                                format!("{:.2}", p.value),
                                format!("{:.2}", p.ewma),
                                format!("{:.2}", p.lower),
                                format!("{:.2}", p.upper),
                                number(p.seasonal, 2, lang),
                                p.seasonal.map_or_else(
                                    || number(None, 0, lang),
                                    |s| format!("{:+.2}", p.value - s),
                                ),
                                if p.signal {
                                    t(Text::Beyond)
                                } else {
                                    String::new()
                                },
                                cusum_cell(p, w.cusum_h * w.sigma, lang),
                            ]
                        })
                        .collect(),
                });
                if let Some(c) = chart(page, "ewma_watch") {
                    sec.charts.push(c);
                }
            }
        }
        page.sections.push(sec);
    }

    /// The user-defined KPI sections: values against targets in the KPI
    /// period (total and units), attainment rates, rows left out.
    fn custom_sections(&self, page: &mut Page, charts: &[Chart]) {
        let Some(r) = &self.custom_kpis else { return };
        let Some(p) = self.custom_period(r) else {
            return;
        };
        let lang = self.lang;
        let t = |k: Text| k.text(lang).to_string();
        let labels = Labels::new(self.codebook.as_ref(), lang);
        let month = text::period(p, lang);
        let totals: Vec<_> = r
            .values
            .iter()
            .filter(|v| v.period == p && v.unit.is_none() && v.met.is_some())
            .collect();
        page.summary.push(
            Text::CustomSummary.fill(
                lang,
                &[
                    ("period", month.clone()),
                    (
                        "met",
                        totals
                            .iter()
                            .filter(|v| v.met == Some(true))
                            .count()
                            .to_string(),
                    ),
                    ("k", totals.len().to_string()),
                ],
            ),
        );
        let mut sec = Section::new(Text::CustomHeading.fill(lang, &[("period", month.clone())]));
        sec.text.push(t(Text::CustomNote));
        let mut rows = Vec::new();
        for d in &r.definitions {
            let share = matches!(
                d.kind,
                crate::monitor::custom::KpiKind::ShareBelow
                    | crate::monitor::custom::KpiKind::ShareAbove
            );
            let value = |v: Option<f64>| match v.filter(|v| v.is_finite()) {
                Some(v) if share => format!("{:.1}%", 100.0 * v),
                Some(v) => format!("{v:.2}"),
                None => number(None, 0, lang),
            };
            let change = |c: Option<f64>, pct: Option<f64>| match c.filter(|c| c.is_finite()) {
                Some(c) if share => {
                    format!("{:+.1} {}", 100.0 * c, lang.pick("pp", "个百分点"))
                }
                Some(c) => match pct {
                    Some(pct) => format!("{c:+.2} ({pct:+.1}%)"),
                    None => format!("{c:+.2}"),
                },
                None => number(None, 0, lang),
            };
            for v in r.values.iter().filter(|v| v.kpi == d.kpi && v.period == p) {
                rows.push(vec![
                    d.shown(lang == Lang::Zh).to_string(),
                    v.unit
                        .as_deref()
                        .map_or_else(|| t(Text::Total), |u| text::name(&labels, u)),
                    value(v.value),
                    match (v.target, v.better) {
                        (Some(x), Some(Better::Higher)) => format!("≥ {}", value(Some(x))),
                        (Some(x), Some(Better::Lower)) => format!("≤ {}", value(Some(x))),
                        _ => t(Text::NoTarget),
                    },
                    match v.met {
                        Some(true) => t(Text::Yes),
                        Some(false) => t(Text::No),
                        None => number(None, 0, lang),
                    },
                    change(v.mom_change, v.mom_pct),
                    change(v.yoy_change, v.yoy_pct),
                    match v.trend {
                        Some(Trend::Improving) => t(Text::Improving),
                        Some(Trend::Worsening) => t(Text::Worsening),
                        Some(Trend::Flat) => t(Text::Flat),
                        None => String::new(),
                    },
                    v.n.to_string(),
                ]);
            }
        }
        sec.tables.push(Table {
            title: sec.heading.clone(),
            header: vec![
                t(Text::Kpi),
                t(Text::UnitCol),
                t(Text::Value),
                t(Text::Target),
                t(Text::Met),
                t(Text::MomCol),
                t(Text::YoyCol),
                t(Text::Trend),
                t(Text::Rows),
            ],
            rows,
        });
        let att: Vec<Vec<String>> = r
            .definitions
            .iter()
            .filter_map(|d| {
                let a = r
                    .attainment
                    .iter()
                    .find(|a| a.kpi == d.kpi && a.period == p)?;
                Some(vec![
                    d.shown(lang == Lang::Zh).to_string(),
                    a.rate
                        .map_or_else(|| number(None, 0, lang), |x| format!("{:.1}%", 100.0 * x)),
                    format!("{} / {}", a.met, a.units),
                ])
            })
            .collect();
        if !att.is_empty() {
            sec.tables.push(Table {
                title: Text::AttainmentHeading.fill(lang, &[("period", month.clone())]),
                header: vec![t(Text::Kpi), t(Text::AttainmentCol), t(Text::UnitsMet)],
                rows: att,
            });
        }
        if let Some(c) = charts.iter().find(|c| c.name.join("_") == "kpi_attainment") {
            sec.charts.push(page.add_chart(c.clone()));
        }
        page.sections.push(sec);

        let mut sec = Section::new(t(Text::SkippedHeading));
        if r.skipped.iter().all(|s| s.total() == 0) {
            sec.text.push(t(Text::SkippedNone));
        }
        sec.tables.push(Table {
            title: sec.heading.clone(),
            header: vec![
                t(Text::Kpi),
                t(Text::Rows),
                t(Text::RowsUsed),
                t(Text::MissingPeriod),
                t(Text::MissingUnit),
                t(Text::MissingValue),
                t(Text::InvalidValue),
            ],
            rows: r
                .skipped
                .iter()
                .zip(&r.definitions)
                .map(|(s, d)| {
                    vec![
                        d.shown(lang == Lang::Zh).to_string(),
                        s.rows.to_string(),
                        s.used.to_string(),
                        s.missing_period.to_string(),
                        s.missing_unit.to_string(),
                        s.missing_value.to_string(),
                        s.invalid_value.to_string(),
                    ]
                })
                .collect(),
        });
        page.sections.push(sec);
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
        let charts = self.charts();
        let chart = page.add_chart(charts[0].clone());

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
        self.warning_sections(&mut page, &charts);
        self.custom_sections(&mut page, &charts);

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
        if let Some(s) = &self.scorecard {
            let mut sec = s.section();
            for c in s.charts() {
                sec.charts.push(page.add_chart(c));
            }
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
        if let Some(r) = &self.custom_kpis
            && let Some(p) = self.custom_period(r)
        {
            writeln!(f, "\nUser-defined KPIs, {p}")?;
            for v in r.values.iter().filter(|v| v.period == p) {
                let num = |x: Option<f64>| x.map_or("—".to_string(), |x| format!("{x:.4}"));
                writeln!(
                    f,
                    "  {:<24} {:<16} value {:>10}  target {:>10} {:<6}  {}  MoM {:>9}  YoY {:>9}  n={}",
                    v.kpi,
                    v.unit.as_deref().unwrap_or("(total)"),
                    num(v.value),
                    num(v.target),
                    match v.better {
                        Some(Better::Higher) => "(>=)",
                        Some(Better::Lower) => "(<=)",
                        None => "",
                    },
                    match v.met {
                        Some(true) => "met   ",
                        Some(false) => "MISSED",
                        None => "—     ",
                    },
                    num(v.mom_change),
                    num(v.yoy_change),
                    v.n
                )?;
            }
            for s in r.skipped.iter().filter(|s| s.total() > 0) {
                writeln!(
                    f,
                    "  {}: {} of {} rows left out (no period {}, no unit {}, empty value {}, not a number {})",
                    s.kpi,
                    s.total(),
                    s.rows,
                    s.missing_period,
                    s.missing_unit,
                    s.missing_value,
                    s.invalid_value
                )?;
            }
        }
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
    let custom_kpis = if request.kpis.is_empty() && request.targets.is_empty() {
        None
    } else {
        let tables = request
            .kpis
            .iter()
            .enumerate()
            .map(|(i, d)| kpi_table(input, survey.as_ref(), d, i + 1))
            .collect::<Result<Vec<&Dataset>>>()?;
        Some(evaluate_on(&tables, &request.kpis, &request.targets)?)
    };
    let scorecard = match (&input.touchpoints, &request.scorecard) {
        (Some(data), Some(r)) => Some(super::scorecard::run(
            data,
            &ScorecardRequest {
                lang: request.lang,
                ..r.clone()
            },
        )?),
        (None, None) => None,
        (Some(_), None) => {
            return Err(crate::Error::InvalidSetting {
                name: "scorecard".into(),
                message: "a touchpoint survey was given without a scorecard request \
                          (name its score column: --score COLUMN)"
                    .into(),
            });
        }
        (None, Some(_)) => {
            return Err(crate::Error::InvalidSetting {
                name: "scorecard".into(),
                message: "the scorecard request needs a touchpoint survey (--touchpoints FILE)"
                    .into(),
            });
        }
    };
    let watch = super::monitor_alerts::watch(&metrics, period);
    Ok(MonitorDocument {
        period,
        scorecard,
        alerts: super::monitor_alerts::alerts(&metrics, period),
        watch_json: super::monitor_alerts::WatchDocument::new(&metrics, period, watch.as_ref()),
        watch,
        custom_kpis,
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

/// The table a user-defined KPI reads: `data` (or none) = the KPI data
/// table, else `complaints`, `customers` or `survey`.
fn kpi_table<'a>(
    input: &'a MonitorInput,
    survey: Option<&'a Dataset>,
    def: &KpiDefinition,
    row: usize,
) -> Result<&'a Dataset> {
    let name = def.table.as_deref().map_or("data", str::trim);
    let table = match name {
        "data" | "" => input.kpi_data.as_ref(),
        "complaints" => Some(&input.complaints),
        "customers" => Some(&input.customers),
        "survey" => survey,
        other => {
            return Err(crate::Error::InvalidKpiDefinition {
                kpi: def.kpi.clone(),
                row,
                message: format!(
                    "table `{other}` is not one of data, complaints, customers, survey"
                ),
            });
        }
    };
    table.ok_or_else(|| crate::Error::InvalidKpiDefinition {
        kpi: def.kpi.clone(),
        row,
        message: format!(
            "the KPI reads the `{name}` table, which was not given (the KPI data table: --kpi-data FILE)"
        ),
    })
}

/// A unit of the alert list (`region=north · billing`) or a segment
/// (`region=north`) in words: each value by the codebook or the built-in
/// names, without the column name.
/// The CUSUM signal cell of a watch row: which sum exceeds `big_h` (both
/// can, after a swing), empty without a signal.
fn cusum_cell(p: &WatchPoint, big_h: f64, lang: Lang) -> String {
    let mut cell = Vec::new();
    if p.cusum_upper > big_h {
        cell.push(Text::CusumUp.text(lang));
    }
    if p.cusum_lower > big_h {
        cell.push(Text::CusumDown.text(lang));
    }
    cell.join(lang.list_sep())
}

fn unit_label(labels: &Labels<'_>, unit: &str) -> String {
    unit.split(" · ")
        .map(|part| {
            part.split(", ")
                .map(|kv| match kv.split_once('=') {
                    Some((_, v)) => text::name(labels, v),
                    None => text::name(labels, kv),
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cusum_cell_names_the_sum_beyond_h() {
        let p = |upper: f64, lower: f64| WatchPoint {
            period: Period::new(2025, 1).unwrap(),
            value: 1.0,
            ewma: 1.0,
            lower: 0.0,
            upper: 2.0,
            signal: false,
            cusum_upper: upper,
            cusum_lower: lower,
            cusum_signal: upper > 5.0 || lower > 5.0,
            seasonal: None,
        };
        // H = 5: at H exactly there is no signal (C > H, Montgomery 2009).
        assert_eq!(cusum_cell(&p(5.0, 0.0), 5.0, Lang::En), "");
        assert_eq!(cusum_cell(&p(5.5, 0.0), 5.0, Lang::En), "rise (C⁺ > H)");
        assert_eq!(cusum_cell(&p(0.0, 7.0), 5.0, Lang::Zh), "下降（C⁻ > H）");
        assert_eq!(
            cusum_cell(&p(6.0, 7.0), 5.0, Lang::En),
            format!("rise (C⁺ > H){}fall (C⁻ > H)", Lang::En.list_sep())
        );
    }
}
