//! The early-warning (预警) and change-attribution (异动归因) sections of
//! the `monitor` report, computed from its complaint metrics:
//!
//! - **alerts**: for every unit (region × category, or category without
//!   regions) the month's complaints per 10 000 customers against the
//!   unit's own earlier months (u-chart with per-month exposure, exact
//!   Poisson test of a rise), ranked across units with Benjamini–Hochberg
//!   control ([`crate::monitor::warning`]);
//! - **attribution**: the change of the overall rate from the previous
//!   month split into region mix and within-region rate effects
//!   ([`crate::monitor::attribution`]; only with regions).

use serde::Serialize;

use super::Chart;
use crate::i18n::{AlertText as T, Lang};
use crate::monitor::attribution::{Decomposition, SegmentCounts, decompose};
use crate::monitor::warning::{
    CUSUM_H, CUSUM_K, ChartKind, Level, RateWatch, Thresholds, UnitAlert, WatchPoint, rank_units,
    rate_watch,
};
use crate::monitor::{ALL, ComplaintMetrics, Period};
use crate::svg::{Anchor, LinearScale, Svg};

/// The warning and attribution sections of a monitoring report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitorAlerts {
    /// The month tested.
    pub period: Period,
    /// The level thresholds (standard errors).
    pub thresholds: Thresholds,
    /// The false discovery rate of the alerts.
    pub fdr: f64,
    /// Every unit with history, most extreme first.
    pub units: Vec<UnitAlert>,
    /// Units with too little history to test (no earlier month with customers).
    pub units_untested: usize,
    /// The month-over-month change of the overall rate by region (null
    /// without regions or without the previous month).
    pub attribution: Option<Decomposition>,
}

/// Computes the sections for `period` from the metrics (default thresholds
/// 2σ / 3σ, false discovery rate 0.05).
pub fn alerts(metrics: &ComplaintMetrics, period: Period) -> MonitorAlerts {
    let segmented = metrics.rows.iter().any(|r| r.segment.is_some());
    let periods: Vec<Period> = metrics
        .periods
        .iter()
        .copied()
        .filter(|p| *p <= period)
        .collect();
    // Units: (segment, category) of the level used, in the metrics' order.
    let mut names: Vec<(Option<String>, String)> = Vec::new();
    for r in &metrics.rows {
        if r.category == ALL || r.segment.is_some() != segmented {
            continue;
        }
        let key = (r.segment.clone(), r.category.clone());
        if !names.contains(&key) {
            names.push(key);
        }
    }
    let mut units = Vec::new();
    let mut untested = 0;
    for (seg, cat) in &names {
        let mut counts = Vec::new();
        let mut exposures = Vec::new();
        for p in &periods {
            if let Some(r) = metrics
                .rows
                .iter()
                .find(|r| r.period == *p && r.segment == *seg && r.category == *cat)
            {
                counts.push(r.volume as f64);
                exposures.push(r.customers);
            }
        }
        // The tested month must be the last, with at least one earlier month.
        let has_month = metrics
            .rows
            .iter()
            .any(|r| r.period == period && r.segment == *seg && r.category == *cat);
        if !has_month || counts.len() < 2 {
            untested += 1;
            continue;
        }
        let label = match seg {
            Some(s) => format!("{s} · {cat}"),
            None => cat.clone(),
        };
        units.push((label, counts, exposures));
    }
    let thresholds = Thresholds::default();
    let fdr = 0.05;
    let mut ranked = rank_units(ChartKind::U, &units, &thresholds, fdr);
    untested += units.len() - ranked.len();
    // Rates shown per 10 000 customers.
    for a in &mut ranked {
        a.rate *= 10_000.0;
        a.expected *= 10_000.0;
    }
    let attribution = if segmented {
        let prev = period.previous();
        let rows = |p: Period| {
            metrics
                .rows
                .iter()
                .filter(move |r| r.period == p && r.category == ALL && r.segment.is_some())
        };
        let mut segs: Vec<SegmentCounts> = Vec::new();
        for r in rows(period) {
            segs.push(SegmentCounts {
                segment: r.segment.clone().unwrap_or_default(),
                count0: 0.0,
                exposure0: 0.0,
                count1: r.volume as f64,
                exposure1: r.customers,
            });
        }
        for r in rows(prev) {
            let name = r.segment.clone().unwrap_or_default();
            match segs.iter_mut().find(|s| s.segment == name) {
                Some(s) => {
                    s.count0 = r.volume as f64;
                    s.exposure0 = r.customers;
                }
                None => segs.push(SegmentCounts {
                    segment: name,
                    count0: r.volume as f64,
                    exposure0: r.customers,
                    count1: 0.0,
                    exposure1: 0.0,
                }),
            }
        }
        decompose(&segs, 10_000.0).ok()
    } else {
        None
    };
    MonitorAlerts {
        period,
        thresholds,
        fdr,
        units: ranked,
        units_untested: untested,
        attribution,
    }
}

/// The monthly complaint rate per 10 000 customers (all categories, all
/// customers) over the months up to `period`, in time order.
fn rate_series(metrics: &ComplaintMetrics, period: Period) -> Vec<(Period, f64)> {
    metrics
        .rows
        .iter()
        .filter(|r| r.period <= period && r.segment.is_none() && r.category == ALL)
        .map(|r| (r.period, r.rate_per_10k))
        .collect()
}

/// Smoothing λ of the monitor's EWMA watch.
pub const WATCH_LAMBDA: f64 = 0.2;
/// Limit width L (in σ) of the monitor's EWMA watch.
pub const WATCH_WIDTH: f64 = 3.0;

/// The EWMA watch of the overall complaint rate per 10 000 customers (all
/// categories, all customers) over the months up to `period`
/// ([`crate::monitor::warning::rate_watch`], λ = 0.2, limits ±3σ, and the
/// tabular CUSUM with k = 0.5, h = 5); `None` with fewer than 3 months.
pub fn watch(metrics: &ComplaintMetrics, period: Period) -> Option<RateWatch> {
    rate_watch(&rate_series(metrics, period), WATCH_LAMBDA, WATCH_WIDTH)
}

/// The `watch` key of the monitor JSON: the trend watch of every watched
/// series, its points and its parameters with where they come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchDocument {
    /// One entry per watched series (today the overall complaint rate).
    pub series: Vec<WatchedSeries>,
}

/// The baseline periods of a watched series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WatchBaseline {
    /// Periods in the baseline (all but the last period watched).
    pub periods: usize,
    /// The first baseline period.
    pub from: Period,
    /// The last baseline period.
    pub to: Period,
}

/// One watched series of the `watch` key ([`RateWatch`] in JSON form).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchedSeries {
    /// The series' key: `complaints_per_10k` (complaints per 10 000
    /// customers, all categories, all customers).
    pub series: String,
    /// Periods of the series up to the report's month.
    pub periods: usize,
    /// Why the series has no watch (`fewer_than_3_periods`,
    /// `constant_baseline`); `null` when it is watched.
    pub not_watched: Option<String>,
    /// Smoothing λ of the EWMA (Roberts 1959); source `default`.
    pub lambda: f64,
    /// Limit width L in σ (Lucas & Saccucci 1990 exact limits); source
    /// `default`.
    #[serde(rename = "L")]
    pub l: f64,
    /// Where λ, L, k and h come from: `default` (the monitor's fixed
    /// settings).
    pub parameters_source: String,
    /// The centre μ₀ (`null` without a watch).
    pub mu0: Option<f64>,
    /// Where μ₀ comes from: `baseline_mean` (the mean of the baseline).
    pub mu0_source: String,
    /// σ̂ (`null` without a watch).
    pub sigma: Option<f64>,
    /// Where σ̂ comes from: `baseline_mean_moving_range_over_d2` (the mean
    /// moving range of the baseline over d₂ = 1.128; Montgomery 2009, §6.4).
    pub sigma_source: String,
    /// The CUSUM reference value k in σ (`K = k·σ̂`; Page 1954; Montgomery
    /// 2009, §9.1); source `default`.
    pub cusum_k: f64,
    /// The CUSUM decision interval h in σ (`H = h·σ̂`); source `default`.
    pub cusum_h: f64,
    /// The baseline periods (`null` without a watch).
    pub baseline: Option<WatchBaseline>,
    /// Every period in time order: value, EWMA, limits, signal, the CUSUM
    /// sums and signal, seasonal expectation (empty without a watch).
    pub points: Vec<WatchPoint>,
}

impl WatchDocument {
    /// The `watch` key of the overall complaint rate of `metrics` up to
    /// `period`, equal to [`watch`] (which gives `watch`).
    pub fn new(metrics: &ComplaintMetrics, period: Period, watch: Option<&RateWatch>) -> Self {
        let series = rate_series(metrics, period);
        let not_watched = match watch {
            Some(_) => None,
            None if series.len() < 3 => Some("fewer_than_3_periods".to_string()),
            None => Some("constant_baseline".to_string()),
        };
        let baseline = watch.and_then(|w| {
            Some(WatchBaseline {
                periods: w.baseline,
                from: w.points.first()?.period,
                to: w.points.get(w.baseline.checked_sub(1)?)?.period,
            })
        });
        WatchDocument {
            series: vec![WatchedSeries {
                series: "complaints_per_10k".into(),
                periods: series.len(),
                not_watched,
                lambda: watch.map_or(WATCH_LAMBDA, |w| w.lambda),
                l: watch.map_or(WATCH_WIDTH, |w| w.width),
                parameters_source: "default".into(),
                mu0: watch.map(|w| w.mu0),
                mu0_source: "baseline_mean".into(),
                sigma: watch.map(|w| w.sigma),
                sigma_source: "baseline_mean_moving_range_over_d2".into(),
                cusum_k: watch.map_or(CUSUM_K, |w| w.cusum_k),
                cusum_h: watch.map_or(CUSUM_H, |w| w.cusum_h),
                baseline,
                points: watch.map(|w| w.points.clone()).unwrap_or_default(),
            }],
        }
    }
}

fn level_text(level: Level, lang: Lang) -> &'static str {
    match level {
        Level::Red => T::Red.text(lang),
        Level::Amber => T::Amber.text(lang),
        Level::Green => T::Green.text(lang),
    }
}

impl MonitorAlerts {
    /// The sections as text in `lang`: the alert table (alerts and the ten
    /// most extreme units) and the attribution table (top contributors).
    pub fn to_text(&self, lang: Lang) -> String {
        let mut s = String::new();
        let period = self.period.to_string();
        s.push_str(&T::AlertsHeading.fill(lang, &[("period", period.clone())]));
        s.push('\n');
        s.push_str(&format!(
            "  {}\n",
            T::AlertsMethod.fill(
                lang,
                &[
                    ("amber", self.thresholds.amber.to_string()),
                    ("red", self.thresholds.red.to_string()),
                    ("fdr", self.fdr.to_string()),
                ]
            )
        ));
        let n_alerts = self.units.iter().filter(|a| a.alert).count();
        let count = if n_alerts == 0 {
            T::NoAlerts.text(lang).to_string()
        } else {
            T::AlertsCount.fill(
                lang,
                &[
                    ("alerts", n_alerts.to_string()),
                    ("units", self.units.len().to_string()),
                ],
            )
        };
        s.push_str(&format!("  {count}\n"));
        s.push_str(&format!(
            "  {:<28} {:>10} {:>10} {:>7} {:>9} {:>7}\n",
            T::Unit.text(lang),
            T::Rate.text(lang),
            T::Expected.text(lang),
            "z",
            "q",
            T::Level.text(lang)
        ));
        for a in self.units.iter().take(n_alerts.max(10)) {
            s.push_str(&format!(
                "  {:<28} {:>10.2} {:>10.2} {:>7.2} {:>9.4} {:>7} {}\n",
                a.unit,
                a.rate,
                a.expected,
                a.z,
                a.q,
                level_text(a.level, lang),
                if a.alert { T::Alert.text(lang) } else { "" }
            ));
        }
        if let Some(d) = &self.attribution {
            s.push('\n');
            s.push_str(&T::AttributionHeading.fill(
                lang,
                &[
                    ("from", self.period.previous().to_string()),
                    ("to", period),
                    ("rate0", format!("{:.2}", d.rate0)),
                    ("rate1", format!("{:.2}", d.rate1)),
                    ("change", format!("{:+.2}", d.change)),
                ],
            ));
            s.push('\n');
            s.push_str(&format!(
                "  {}\n",
                T::AttributionMethod.fill(
                    lang,
                    &[
                        ("mix", format!("{:+.2}", d.mix_effect)),
                        ("rate", format!("{:+.2}", d.rate_effect)),
                    ]
                )
            ));
            for c in d.top(10) {
                s.push_str(&format!(
                    "  {:<28} {} {:+8.2}  {} {:+8.2}  {} {:+8.2}\n",
                    c.segment,
                    T::Mix.text(lang),
                    c.mix_effect,
                    T::RateEffect.text(lang),
                    c.rate_effect,
                    T::Contribution.text(lang),
                    c.total
                ));
            }
        }
        s
    }

    /// Two charts: z of the most extreme units with the amber and red
    /// lines, and the top contributors' mix and rate effects.
    pub fn charts(&self, lang: Lang) -> Vec<Chart> {
        self.charts_labelled(lang, &|u| u.to_string())
    }

    /// [`MonitorAlerts::charts`] with each unit or segment shown as `label(name)`.
    pub fn charts_labelled(&self, lang: Lang, label: &dyn Fn(&str) -> String) -> Vec<Chart> {
        let mut out = Vec::new();
        let names: Vec<(String, f64)> = self
            .units
            .iter()
            .take(15)
            .filter(|a| a.z.is_finite())
            .map(|a| (label(&a.unit), a.z))
            .collect();
        let units: Vec<(&str, f64)> = names.iter().map(|(l, z)| (l.as_str(), *z)).collect();
        if !units.is_empty() {
            let title = T::AlertsChart.text(lang);
            let lines = [
                (self.thresholds.amber, "#e6a23c"),
                (self.thresholds.red, "#d62728"),
            ];
            out.push(Chart::new(
                ["warning_alerts"],
                title,
                bars(title, &units, &lines),
            ));
        }
        if let Some(d) = &self.attribution {
            let rows: Vec<(String, f64)> = d
                .top(10)
                .iter()
                .flat_map(|c| {
                    [
                        (
                            format!("{} · {}", label(&c.segment), T::Mix.text(lang)),
                            c.mix_effect,
                        ),
                        (
                            format!("{} · {}", label(&c.segment), T::RateEffect.text(lang)),
                            c.rate_effect,
                        ),
                    ]
                })
                .collect();
            let rows: Vec<(&str, f64)> = rows.iter().map(|(l, v)| (l.as_str(), *v)).collect();
            if !rows.is_empty() {
                let title = T::AttributionChart.text(lang);
                out.push(Chart::new(
                    ["change_attribution"],
                    title,
                    bars(title, &rows, &[]),
                ));
            }
        }
        out
    }
}

/// Horizontal bars from zero (negative to the left) with labelled rows and
/// optional vertical reference lines.
fn bars(title: &str, rows: &[(&str, f64)], lines: &[(f64, &str)]) -> String {
    let label_w = rows
        .iter()
        .map(|(l, _)| crate::svg::text_width(l, 12.0))
        .fold(60.0, f64::max)
        + 16.0;
    let (top, row_h, plot_w) = (48.0, 22.0, 420.0);
    let height = top + row_h * rows.len() as f64 + 24.0;
    let width = label_w + plot_w + 70.0;
    let mut lo = rows.iter().map(|r| r.1).fold(0.0, f64::min);
    let mut hi = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    for (v, _) in lines {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    let x = LinearScale::new(lo, hi, label_w, label_w + plot_w);
    let mut svg = Svg::new(width, height);
    svg.title(title);
    svg.text(width / 2.0, 24.0, title, 14.0, Anchor::Middle);
    let bottom = top + row_h * rows.len() as f64;
    svg.line(x.map(0.0), top - 4.0, x.map(0.0), bottom, "#555", 1.0, None);
    for (v, colour) in lines {
        svg.line(
            x.map(*v),
            top - 4.0,
            x.map(*v),
            bottom,
            colour,
            1.5,
            Some("4 3"),
        );
    }
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        svg.text(label_w - 8.0, y + 14.0, label, 12.0, Anchor::End);
        let (a, b) = (x.map(0.0), x.map(*v));
        let fill = if *v >= 0.0 { "#d62728" } else { "#2c7fb8" };
        svg.rect(a.min(b), y + 4.0, (b - a).abs(), row_h - 8.0, fill, None);
        svg.text(
            label_w + plot_w + 6.0,
            y + 14.0,
            &format!("{v:+.2}"),
            12.0,
            Anchor::Start,
        );
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{MonitorInput, MonitorRequest, Observer, monitor};

    #[test]
    fn the_builtin_report_has_alerts_and_an_exact_attribution() {
        let (input, _) = MonitorInput::builtin().unwrap();
        let doc = monitor::run(&input, &MonitorRequest::default(), &Observer::silent()).unwrap();
        let a = alerts(&doc.metrics, doc.period);
        assert!(!a.units.is_empty());
        // Ranked by p; q-values are at least the p-values.
        for w in a.units.windows(2) {
            assert!(w[0].p <= w[1].p);
        }
        assert!(a.units.iter().all(|u| u.q >= u.p - 1e-15));
        let d = a
            .attribution
            .as_ref()
            .expect("regions in the built-in data");
        assert!((d.mix_effect + d.rate_effect - d.change).abs() < 1e-9);
        // The overall rate of the month equals the metrics' all-region row.
        let total = doc
            .metrics
            .rows
            .iter()
            .find(|r| r.period == doc.period && r.segment.is_none() && r.category == ALL)
            .unwrap();
        assert!((d.rate1 - total.rate_per_10k).abs() < 1e-9);
        for lang in Lang::ALL {
            let text = a.to_text(lang);
            assert!(text.contains(lang.pick("Early warning", "预警")), "{text}");
            let charts = a.charts(lang);
            assert_eq!(charts.len(), 2);
            for c in &charts {
                let overlaps = crate::svg::overlapping_texts(&c.svg, 2.0);
                assert!(overlaps.is_empty(), "{overlaps:?}");
            }
        }
    }
}
