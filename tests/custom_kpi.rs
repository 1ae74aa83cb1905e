//! User-defined KPIs and the targets table (issue 17): hand-computed values
//! of a ratio, a share and a percentile (Hyndman & Fan 1996 definition 7),
//! attainment, 环比 / 同比, periods in time order, rows left out counted,
//! typed errors for a bad targets table, and the monitor report sections.

use csikit::analysis::{self, MonitorInput, MonitorRequest, Observer};
use csikit::i18n::Lang;
use csikit::monitor::Period;
use csikit::monitor::custom::{Better, KpiDefinition, KpiKind, KpiTarget, evaluate, evaluate_on};
use csikit::monitor::warning::rate_watch;
use csikit::{CsvOptions, Dataset, Error};

fn read(name: &str) -> Dataset {
    let path = format!("{}/tests/data/kpi/{name}", env!("CARGO_MANIFEST_DIR"));
    Dataset::from_csv(path).unwrap()
}

fn text(csv: &str) -> Dataset {
    Dataset::from_reader(csv.as_bytes(), &CsvOptions::default()).unwrap()
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-12, "{a} != {b}");
}

fn definitions() -> Vec<KpiDefinition> {
    vec![
        KpiDefinition::ratio("rate", "complaints", "customers", 10_000.0).unit("region"),
        KpiDefinition::share_below("answered20", "wait_s", 20.0).unit("region"),
        KpiDefinition::percentile("handle_p90", "handle_min", 90.0).unit("region"),
    ]
}

fn targets() -> Vec<KpiTarget> {
    let t = |kpi: &str, unit: Option<&str>, target: f64, better: Better| KpiTarget {
        kpi: kpi.into(),
        unit: unit.map(str::to_string),
        target,
        better,
    };
    vec![
        t("rate", None, 2.5, Better::Lower),
        t("rate", Some("north"), 2.8, Better::Lower),
        t("answered20", None, 0.8, Better::Higher),
        t("handle_p90", None, 6.0, Better::Lower),
    ]
}

#[test]
fn ratio_share_and_percentile_equal_hand_computation() {
    let (ops, calls) = (read("ops.csv"), read("calls.csv"));
    let r = evaluate_on(&[&ops, &calls, &calls], &definitions(), &targets()).unwrap();
    // Ratio = 10 000 · Σ complaints / Σ customers (a ratio of sums).
    // 2025-10: north 10 000·6/20 000 = 3; south 10 000·1/10 000 = 1;
    // total 10 000·7/30 000 = 2.333…
    close(
        r.value("rate", Some("north"), "2025-10").unwrap().value,
        3.0,
    );
    close(
        r.value("rate", Some("south"), "2025-10").unwrap().value,
        1.0,
    );
    let total = r.value("rate", None, "2025年10月").unwrap();
    close(total.value, 7.0 / 3.0);
    assert_eq!(total.n, 2);
    // 环比: 2025-09 total = 10 000·4/20 000 = 2 → +1/3, +16.67 %.
    close(total.mom_change, 1.0 / 3.0);
    close(total.mom_pct, 100.0 / 6.0);
    // 同比: 2024-10 total = 10 000·4/20 000 = 2 → the same change.
    close(total.yoy_change, 1.0 / 3.0);
    // North 同比: 3 − 2 = +1 (+50 %); south: 1 − 2 = −1 (−50 %).
    close(
        r.value("rate", Some("north"), "2025-10").unwrap().yoy_pct,
        50.0,
    );
    close(
        r.value("rate", Some("south"), "2025-10").unwrap().yoy_pct,
        -50.0,
    );
    // Targets: total 2.333 ≤ 2.5 met; north's own target 2.8 wins over `*`:
    // 3 > 2.8 missed; south 1 ≤ 2.5 met. Attainment rate 1 of 2.
    assert_eq!(total.met, Some(true));
    let north = r.value("rate", Some("north"), "2025-10").unwrap();
    assert_eq!((north.target, north.met), (Some(2.8), Some(false)));
    assert_eq!(
        r.value("rate", Some("south"), "2025-10").unwrap().met,
        Some(true)
    );
    let att = r
        .attainment
        .iter()
        .find(|a| a.kpi == "rate" && a.period == Period::parse("2025-10").unwrap())
        .unwrap();
    assert_eq!((att.units, att.met, att.rate), (2, 1, Some(0.5)));
    // East has a customer count but no complaint figure: a unit with no value.
    let east = r.value("rate", Some("east"), "2025-10").unwrap();
    assert_eq!((east.value, east.met, east.n), (None, None, 0));

    // Share of calls answered within 20 s (≤ 20): north 10, 20 of 10, 25,
    // 20, 40 → 0.5; south 5 (the `n/a` row left out) → 1; total 3/5 = 0.6.
    close(
        r.value("answered20", Some("north"), "2025-10")
            .unwrap()
            .value,
        0.5,
    );
    close(
        r.value("answered20", Some("south"), "2025-10")
            .unwrap()
            .value,
        1.0,
    );
    let share = r.value("answered20", None, "2025-10").unwrap();
    close(share.value, 0.6);
    assert_eq!(share.met, Some(false)); // 0.6 < 0.8, higher is better
    // North 2025-09: 30 s → 0; 环比 +0.5, improving (higher is better).
    let n = r.value("answered20", Some("north"), "2025-10").unwrap();
    close(n.mom_change, 0.5);
    assert_eq!(n.trend, Some(csikit::monitor::Trend::Improving));

    // P90 by Hyndman & Fan (1996) definition 7: h = (n − 1)·0.9.
    // North [3, 4, 5, 9]: h = 2.7 → 5 + 0.7·(9 − 5) = 7.8.
    // South [2, 6]: h = 0.9 → 2 + 0.9·4 = 5.6.
    // Total [2, 3, 4, 5, 6, 9]: h = 4.5 → 6 + 0.5·3 = 7.5.
    close(
        r.value("handle_p90", Some("north"), "2025-10")
            .unwrap()
            .value,
        7.8,
    );
    close(
        r.value("handle_p90", Some("south"), "2025-10")
            .unwrap()
            .value,
        5.6,
    );
    let p90 = r.value("handle_p90", None, "2025-10").unwrap();
    close(p90.value, 7.5);
    assert_eq!(p90.met, Some(false)); // 7.5 > 6, lower is better
    // North 2025-09: [7] → 7; 环比 +0.8, worsening (lower is better).
    let n = r.value("handle_p90", Some("north"), "2025-10").unwrap();
    close(n.mom_change, 0.8);
    assert_eq!(n.trend, Some(csikit::monitor::Trend::Worsening));
    assert_eq!(
        r.value("handle_p90", Some("south"), "2025-10").unwrap().met,
        Some(true)
    );
}

#[test]
fn every_row_left_out_is_counted() {
    let (ops, calls) = (read("ops.csv"), read("calls.csv"));
    let r = evaluate_on(&[&ops, &calls, &calls], &definitions(), &targets()).unwrap();
    let rate = &r.skipped[0];
    // 8 rows: one without a month, one (east) without complaints.
    assert_eq!(
        (
            rate.rows,
            rate.used,
            rate.missing_period,
            rate.missing_value,
            rate.total()
        ),
        (8, 6, 1, 1, 2)
    );
    let share = &r.skipped[1];
    assert_eq!((share.rows, share.used, share.invalid_value), (7, 6, 1));
    assert_eq!(r.skipped[2].total(), 0);
    // The used rows add up: every row is used or counted as left out.
    for s in &r.skipped {
        assert_eq!(s.used + s.total(), s.rows);
    }
}

#[test]
fn periods_are_in_time_order_not_text_order() {
    let ops = read("ops.csv");
    let r = evaluate(&ops, &definitions()[..1], &targets()[..2]).unwrap();
    let p: Vec<String> = r.periods.iter().map(|p| p.to_string()).collect();
    // As text "2025年10月" < "2025年9月"; in time September comes first.
    assert_eq!(p, ["2024-10", "2025-09", "2025-10"]);
    let total: Vec<Period> = r
        .values
        .iter()
        .filter(|v| v.unit.is_none())
        .map(|v| v.period)
        .collect();
    assert!(total.windows(2).all(|w| w[0] < w[1]));
    // The first period has no previous month or year: no change, no trend.
    let first = r.value("rate", None, "2024-10").unwrap();
    assert_eq!(
        (first.mom_change, first.yoy_change, first.trend),
        (None, None, None)
    );
}

#[test]
fn the_definitions_and_targets_tables_are_read() {
    let defs = KpiDefinition::from_dataset(&read("kpis.csv")).unwrap();
    assert_eq!(defs.len(), 1);
    assert_eq!(defs[0].kind, KpiKind::Ratio);
    assert_eq!(defs[0].shown(true), "万投比");
    assert_eq!(defs[0].shown(false), "Complaints per 10 000 customers");
    let targets = KpiTarget::from_dataset(&read("targets.csv")).unwrap();
    assert_eq!(targets[0].unit, None);
    assert_eq!(targets[1].unit.as_deref(), Some("north"));
    let r = evaluate(&read("ops.csv"), &defs, &targets).unwrap();
    close(r.value("rate", None, "2025-10").unwrap().value, 7.0 / 3.0);
    // JSON round trip of a definition and a target (`*` = every unit).
    let json = serde_json::to_string(&targets[0]).unwrap();
    assert!(json.contains(r#""unit":"*""#), "{json}");
    let back: KpiTarget = serde_json::from_str(&json).unwrap();
    assert_eq!(back, targets[0]);
}

#[test]
fn a_bad_targets_table_is_a_typed_error() {
    let ops = read("ops.csv");
    let defs = &definitions()[..1];
    let bad = |csv: &str| {
        KpiTarget::from_dataset(&text(csv)).and_then(|t| evaluate(&ops, defs, &t).map(|_| ()))
    };
    // Unknown KPI, with a suggestion.
    let e = bad("kpi,unit,target,direction\nrat,*,2,lower\n").unwrap_err();
    assert!(
        matches!(&e, Error::UnknownKpi { kpi, row: 1, .. } if kpi == "rat"),
        "{e}"
    );
    assert!(e.to_string().contains("did you mean `rate`"), "{e}");
    // Unknown unit.
    let e = bad("kpi,unit,target,direction\nrate,*,2,lower\nrate,nort,2,lower\n").unwrap_err();
    assert!(
        matches!(&e, Error::UnknownUnit { unit, row: 2, .. } if unit == "nort"),
        "{e}"
    );
    // A target that is not a number.
    let e = bad("kpi,unit,target,direction\nrate,*,high,lower\n").unwrap_err();
    assert!(
        matches!(&e, Error::InvalidTarget { row: 1, column, .. } if column == "target"),
        "{e}"
    );
    // A direction that is neither higher nor lower.
    let e = bad("kpi,unit,target,direction\nrate,*,2,sideways\n").unwrap_err();
    assert!(
        matches!(&e, Error::InvalidTarget { column, .. } if column == "direction"),
        "{e}"
    );
    // Two targets for the same KPI and unit.
    let e = bad("kpi,unit,target,direction\nrate,*,2,lower\nrate,,3,lower\n").unwrap_err();
    assert!(matches!(&e, Error::InvalidTarget { row: 2, .. }), "{e}");
    // No target column.
    let e = bad("kpi,unit,goal,direction\nrate,*,2,lower\n").unwrap_err();
    assert!(matches!(&e, Error::InvalidTarget { row: 0, .. }), "{e}");
    // A definition of an unknown kind.
    let e = KpiDefinition::from_dataset(&text("kpi,kind,column\nx,median,wait_s\n")).unwrap_err();
    assert!(
        matches!(&e, Error::InvalidKpiDefinition { row: 1, .. }),
        "{e}"
    );
    // A column the data lack.
    let e = evaluate(&ops, &[KpiDefinition::share_above("x", "wiat_s", 1.0)], &[]).unwrap_err();
    assert!(matches!(&e, Error::UnknownColumn { .. }), "{e}");
}

#[test]
fn the_ewma_watch_equals_the_formulas() {
    // μ₀ = mean(4, 6, 5) = 5, σ̂ = mean(|6 − 4|, |5 − 6|)/1.128 = 1.5/1.128.
    let p = |m: u32| Period::new(2025, m).unwrap();
    let w = rate_watch(
        &[(p(1), 4.0), (p(2), 6.0), (p(3), 5.0), (p(4), 9.0)],
        0.2,
        3.0,
    )
    .unwrap();
    let sigma = 1.5 / 1.128;
    assert!((w.sigma - sigma).abs() < 1e-12);
    // z: 4.8, 5.04, 5.032, 0.2·9 + 0.8·5.032 = 5.8256.
    let z: Vec<f64> = w.points.iter().map(|p| p.ewma).collect();
    for (a, b) in z.iter().zip([4.8, 5.04, 5.032, 5.8256]) {
        assert!((a - b).abs() < 1e-12, "{z:?}");
    }
    // Limit at t = 4: 5 + 3σ̂·√(0.2/1.8·(1 − 0.8⁸)).
    let width = 3.0 * sigma * (0.2f64 / 1.8 * (1.0 - 0.8f64.powi(8))).sqrt();
    assert!((w.points[3].upper - 5.0 - width).abs() < 1e-12);
    assert_eq!(w.points[3].signal, 5.8256 > 5.0 + width);
    // A series two years long has seasonal expectations from month 13 on.
    let series: Vec<(Period, f64)> = (0..24)
        .map(|i| {
            (
                Period::new(2024, 1).unwrap().shift(i),
                (i % 12) as f64 + 1.0,
            )
        })
        .collect();
    let w = rate_watch(&series, 0.2, 3.0).unwrap();
    assert!(w.points[..12].iter().all(|p| p.seasonal.is_none()));
    assert_eq!(w.points[14].seasonal, Some(3.0));
    assert!(rate_watch(&series[..2], 0.2, 3.0).is_none());
}

/// The monitor run on the built-in data with KPIs on the complaints table.
fn monitor_with_kpis(lang: Lang) -> analysis::monitor::MonitorDocument {
    let (mut input, _) = MonitorInput::builtin().unwrap();
    input.kpi_data = None;
    let mut share = KpiDefinition::share_below("fast", "response_hours", 1.0).unit("region");
    share.table = Some("complaints".into());
    share.label = Some("1 小时内响应率".into());
    let request = MonitorRequest {
        lang,
        kpis: vec![share],
        targets: vec![KpiTarget {
            kpi: "fast".into(),
            unit: None,
            target: 0.9,
            better: Better::Higher,
        }],
        ..MonitorRequest::default()
    };
    analysis::monitor::run(&input, &request, &Observer::silent()).unwrap()
}

#[test]
fn the_monitor_report_shows_kpis_ewma_and_alerts_in_both_languages() {
    for lang in Lang::ALL {
        let doc = monitor_with_kpis(lang);
        let r = doc.custom_kpis.as_ref().unwrap();
        // The same share as the built-in KPI "responded within 1 h".
        let builtin = doc
            .kpis
            .iter()
            .find(|k| {
                k.kpi == "responded within 1 h" && k.period == doc.period && k.segment.is_none()
            })
            .unwrap();
        let mine = r.value("fast", None, &doc.period.to_string()).unwrap();
        close(mine.value, builtin.value.unwrap());
        let page = doc.page();
        let md = page.to_markdown(&[]);
        for want in match lang {
            Lang::Zh => [
                "达标率",
                "目标值",
                "环比",
                "同比",
                "EWMA",
                "季节预期",
                "预警",
                "未纳入指标计算的行",
            ],
            Lang::En => [
                "Attainment rate",
                "Target",
                "Month over month",
                "Year over year",
                "EWMA",
                "Seasonal expectation",
                "Early warning",
                "Rows left out",
            ],
        } {
            assert!(md.contains(want), "{lang:?}: {want} missing");
        }
        let names: Vec<String> = doc.charts().iter().map(|c| c.name.join("_")).collect();
        for want in ["ewma_watch", "kpi_attainment", "warning_alerts"] {
            assert!(names.iter().any(|n| n == want), "{names:?}");
        }
        // The JSON gains `custom_kpis`.
        assert!(doc.to_json().contains("\"custom_kpis\""));
    }
}

#[test]
fn without_kpis_the_json_has_no_new_key() {
    let (input, _) = MonitorInput::builtin().unwrap();
    let doc =
        analysis::monitor::run(&input, &MonitorRequest::default(), &Observer::silent()).unwrap();
    let json = doc.to_json();
    assert!(!json.contains("custom_kpis"));
    // The trend watch is always in the JSON (key `watch`, tests/monitor_watch.rs).
    assert!(json.contains("\"watch\""));
    // Targets without KPIs: the KPI is unknown.
    let request = MonitorRequest {
        targets: vec![KpiTarget {
            kpi: "nps".into(),
            unit: None,
            target: 1.0,
            better: Better::Higher,
        }],
        ..MonitorRequest::default()
    };
    let e = analysis::monitor::run(&input, &request, &Observer::silent()).unwrap_err();
    assert!(matches!(e, Error::UnknownKpi { .. }), "{e}");
    // A KPI of the `data` table without one.
    let request = MonitorRequest {
        kpis: vec![KpiDefinition::share_above("x", "satisfaction", 8.0)],
        ..MonitorRequest::default()
    };
    let e = analysis::monitor::run(&input, &request, &Observer::silent()).unwrap_err();
    assert!(matches!(e, Error::InvalidKpiDefinition { .. }), "{e}");
}
