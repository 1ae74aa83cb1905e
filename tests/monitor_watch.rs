//! The `watch` key of the monitor JSON (the EWMA trend watch of the overall
//! complaint rate): its values equal the library functions on the built-in
//! data and hand-computed points.

use csikit::analysis::{self, MonitorInput, MonitorRequest, Observer};
use csikit::i18n::Lang;
use csikit::monitor::warning::{cusum, ewma};
use csikit::monitor::{ALL, MonitorSimulation};
use serde_json::Value;

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9 * (1.0 + b.abs()), "{a} vs {b}");
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn the_watch_key_equals_the_ewma_of_the_builtin_rates() {
    let (input, _) = MonitorInput::builtin().unwrap();
    let doc =
        analysis::monitor::run(&input, &MonitorRequest::default(), &Observer::silent()).unwrap();
    let json: Value = serde_json::from_str(&doc.to_json()).unwrap();
    let series = json["watch"]["series"].as_array().unwrap();
    assert_eq!(series.len(), 1);
    let w = &series[0];
    assert_eq!(w["series"], "complaints_per_10k");
    assert!(w["not_watched"].is_null());
    assert_eq!(num(&w["lambda"]), 0.2);
    assert_eq!(num(&w["L"]), 3.0);
    assert_eq!(w["parameters_source"], "default");
    assert_eq!(w["mu0_source"], "baseline_mean");
    assert_eq!(w["sigma_source"], "baseline_mean_moving_range_over_d2");

    // The overall rate per month, from the metrics themselves.
    let rates: Vec<(String, f64)> = doc
        .metrics
        .rows
        .iter()
        .filter(|r| r.period <= doc.period && r.segment.is_none() && r.category == ALL)
        .map(|r| (r.period.to_string(), r.rate_per_10k))
        .collect();
    assert_eq!(rates.len(), 12);
    assert_eq!(num(&w["periods"]) as usize, 12);
    // μ₀: the mean of the 11 months before the last; σ̂: their mean moving
    // range over d₂ = 1.128.
    let base: Vec<f64> = rates[..11].iter().map(|r| r.1).collect();
    let mu0 = base.iter().sum::<f64>() / 11.0;
    let sigma = base.windows(2).map(|p| (p[1] - p[0]).abs()).sum::<f64>() / 10.0 / 1.128;
    close(num(&w["mu0"]), mu0);
    close(num(&w["sigma"]), sigma);
    assert_eq!(num(&w["baseline"]["periods"]) as usize, 11);
    assert_eq!(w["baseline"]["from"], rates[0].0.as_str());
    assert_eq!(w["baseline"]["to"], rates[10].0.as_str());

    let points = w["points"].as_array().unwrap();
    assert_eq!(points.len(), 12);
    // z₁ = λx₁ + (1 − λ)μ₀, limits μ₀ ± 3σ̂√(λ/(2 − λ)·(1 − (1 − λ)²)) = ±3σ̂·0.2.
    let x1 = rates[0].1;
    close(num(&points[0]["ewma"]), 0.2 * x1 + 0.8 * mu0);
    close(num(&points[0]["upper"]), mu0 + 3.0 * sigma * 0.2);
    close(num(&points[0]["lower"]), mu0 - 3.0 * sigma * 0.2);
    // Every point equals the library's EWMA.
    let values: Vec<f64> = rates.iter().map(|r| r.1).collect();
    let lib = ewma(&values, mu0, sigma, 0.2, 3.0);
    for ((p, e), (period, x)) in points.iter().zip(&lib).zip(&rates) {
        assert_eq!(p["period"], period.as_str());
        close(num(&p["value"]), *x);
        close(num(&p["ewma"]), e.ewma);
        close(num(&p["lower"]), e.lower);
        close(num(&p["upper"]), e.upper);
        assert_eq!(
            p["signal"].as_bool().unwrap(),
            e.ewma > e.upper || e.ewma < e.lower
        );
        // Twelve months: no same month of an earlier year.
        assert!(p["seasonal"].is_null());
    }
    // The tabular CUSUM around the same μ₀ and σ̂, k = 0.5, h = 5:
    // C⁺₁ = max(0, x₁ − (μ₀ + 0.5σ̂)), C⁻₁ = max(0, (μ₀ − 0.5σ̂) − x₁).
    assert_eq!(num(&w["cusum_k"]), 0.5);
    assert_eq!(num(&w["cusum_h"]), 5.0);
    close(
        num(&points[0]["cusum_upper"]),
        (x1 - (mu0 + 0.5 * sigma)).max(0.0),
    );
    close(
        num(&points[0]["cusum_lower"]),
        ((mu0 - 0.5 * sigma) - x1).max(0.0),
    );
    let sums = cusum(&values, mu0, sigma, 0.5, 5.0);
    for (p, c) in points.iter().zip(&sums) {
        close(num(&p["cusum_upper"]), c.upper);
        close(num(&p["cusum_lower"]), c.lower);
        assert_eq!(p["cusum_signal"].as_bool().unwrap(), c.signal);
        assert_eq!(
            c.signal,
            c.upper > 5.0 * sigma || c.lower > 5.0 * sigma,
            "{c:?}"
        );
    }
    // The JSON equals the report's watch.
    let rw = doc.watch.as_ref().unwrap();
    assert_eq!(
        rw.points.iter().filter(|p| p.signal).count(),
        points.iter().filter(|p| p["signal"] == true).count()
    );
}

#[test]
fn a_short_series_says_why_it_is_not_watched() {
    let sim = MonitorSimulation::new()
        .customers(2000)
        .months(2)
        .simulate()
        .unwrap();
    let input = MonitorInput {
        complaints: sim.complaints,
        customers: sim.customers,
        survey: Some(sim.survey),
        kpi_data: None,
        touchpoints: None,
    };
    let doc =
        analysis::monitor::run(&input, &MonitorRequest::default(), &Observer::silent()).unwrap();
    assert!(doc.watch.is_none());
    let json: Value = serde_json::from_str(&doc.to_json()).unwrap();
    let w = &json["watch"]["series"][0];
    assert_eq!(w["not_watched"], "fewer_than_3_periods");
    assert_eq!(num(&w["periods"]) as usize, 2);
    assert!(w["mu0"].is_null() && w["sigma"].is_null() && w["baseline"].is_null());
    assert_eq!(w["points"].as_array().unwrap().len(), 0);
}

#[test]
fn the_watch_table_has_a_cusum_column_in_both_languages() {
    let (input, _) = MonitorInput::builtin().unwrap();
    for (lang, column, method) in [
        (Lang::En, "CUSUM signal", "Tabular CUSUM (Page 1954"),
        (Lang::Zh, "累积和信号", "表格型累积和（CUSUM；Page 1954"),
    ] {
        let request = MonitorRequest {
            lang,
            ..MonitorRequest::default()
        };
        let doc = analysis::monitor::run(&input, &request, &Observer::silent()).unwrap();
        let page = doc.page();
        let table = page
            .sections
            .iter()
            .flat_map(|s| &s.tables)
            .find(|t| t.header.iter().any(|h| h == column))
            .unwrap_or_else(|| panic!("{lang:?}: no {column} column"));
        let col = table.header.iter().position(|h| h == column).unwrap();
        let w = doc.watch.as_ref().unwrap();
        assert_eq!(table.rows.len(), w.points.len());
        for (row, p) in table.rows.iter().zip(&w.points) {
            // A cell is written exactly when the CUSUM signals.
            assert_eq!(!row[col].is_empty(), p.cusum_signal, "{row:?}");
        }
        let md = page.to_markdown(&[]);
        assert!(md.contains(method), "{lang:?}");
        // The JSON does not depend on the language.
        let en = analysis::monitor::run(&input, &MonitorRequest::default(), &Observer::silent())
            .unwrap();
        assert_eq!(doc.to_json(), en.to_json());
    }
}
