//! Service monitoring: complaint metrics, hotspots, KPI targets, links to drivers.

use csikit::monitor::{
    ALL, ComplaintColumns, Complaints, CustomerCounts, Kpi, MetricOptions, MonitorSimulation,
    Period, SurveyInput, Trend, evaluate_kpis, link_by_respondent, link_by_segment, percentile,
};
use csikit::{CsvOptions, Dataset, Error};

fn ds(text: &str) -> Dataset {
    Dataset::from_reader(text.as_bytes(), &CsvOptions::default()).unwrap()
}

/// Jan–Apr 2026 and Jan 2025. Feb has no complaints at all; `5g` appears in Mar.
fn small() -> (Complaints, CustomerCounts) {
    let complaints = ds("\
month,category,resp,resol,id
2025-01,billing,1,10,a
2026-01,billing,0.5,20,a
2026-01,billing,2,30,b
2026-01,network,1,,c
2026-03,billing,1,5,d
2026-03,5g,3,50,e
2026-03,5g,1,4,a
2026-03,network,1,8,b
2026-04,billing,0.5,1,c
");
    let counts = ds(
        "month,customers\n2025-01,10000\n2026-01,20000\n2026-02,20000\n2026-03,25000\n2026-04,25000\n",
    );
    let cols = ComplaintColumns::new("month", "category")
        .response_hours("resp")
        .resolution_hours("resol")
        .customer_id("id");
    (
        Complaints::from_dataset(&complaints, &cols).unwrap(),
        CustomerCounts::from_dataset(&counts, "month", "customers", &[]).unwrap(),
    )
}

#[test]
fn volumes_rates_and_changes_by_hand() {
    let (c, n) = small();
    let base = Period::parse("2026-01");
    let m = c.metrics(&n, &MetricOptions { base_period: base }).unwrap();
    // Jan 2026 billing: 2 complaints, 20 000 customers → 1.0 per 10k; YoY vs 1 in Jan 2025.
    let r = m.row("2026-01", None, "billing").unwrap();
    assert_eq!((r.volume, r.rate_per_10k), (2, 1.0));
    assert_eq!(r.mom_change, None, "Dec 2025 has no customer count");
    assert_eq!((r.yoy_change, r.yoy_pct), (Some(1), Some(100.0)));
    assert_eq!(r.base_index, Some(100.0));
    // Feb 2026: a period without complaints: volume 0, rate 0, MoM −2 (−100 %).
    let r = m.row("2026-02", None, "billing").unwrap();
    assert_eq!((r.volume, r.rate_per_10k), (0, 0.0));
    assert_eq!((r.mom_change, r.mom_pct), (Some(-2), Some(-100.0)));
    assert_eq!(r.base_index, Some(0.0));
    let all = m.row("2026-02", None, ALL).unwrap();
    assert_eq!(all.volume, 0);
    // Mar 2026 billing: 1 of 25 000 → 0.4 per 10k; MoM +1 from 0 → pct undefined.
    let r = m.row("2026-03", None, "billing").unwrap();
    assert_eq!((r.volume, r.rate_per_10k), (1, 0.4));
    assert_eq!((r.mom_change, r.mom_pct), (Some(1), None));
    assert_eq!(r.base_index, Some(50.0));
    // 5g appears in March: earlier months are 0, its base (Jan) is 0 → no index.
    assert_eq!(m.row("2026-01", None, "5g").unwrap().volume, 0);
    let r = m.row("2026-03", None, "5g").unwrap();
    assert_eq!((r.volume, r.mom_change, r.base_index), (2, Some(2), None));
    assert!((r.rate_per_10k - 0.8).abs() < 1e-12);
    // April: 5g falls back to 0 (−100 %).
    let r = m.row("2026-04", None, "5g").unwrap();
    assert_eq!((r.volume, r.mom_pct), (0, Some(-100.0)));
    // All categories in March: 4 complaints.
    assert_eq!(m.row("2026-03", None, ALL).unwrap().volume, 4);
}

#[test]
fn hotspots_rank_and_keep_tiny_categories_off_the_rate_list() {
    let (c, n) = small();
    let m = c.metrics(&n, &MetricOptions::default()).unwrap();
    let h = m
        .hotspots(Period::parse("2026-03").unwrap(), 2, 2, None)
        .unwrap();
    let names = |rows: &[csikit::monitor::MetricRow]| {
        rows.iter().map(|r| r.category.clone()).collect::<Vec<_>>()
    };
    // Volumes: 5g 2, billing 1, network 1 → top 2: 5g, then billing (tie broken alphabetically).
    assert_eq!(names(&h.by_volume), ["5g", "billing"]);
    // Increases from Feb (all 0): 5g +2, billing +1, network +1.
    assert_eq!(names(&h.by_increase), ["5g", "billing"]);
    // Rate list: only categories with ≥ 2 complaints.
    assert_eq!(names(&h.by_rate), ["5g"]);
    assert!(h.to_string().contains("at least 2 complaints"));
    assert!(matches!(
        m.hotspots(Period::parse("2024-01").unwrap(), 2, 2, None),
        Err(Error::UnknownPeriod { .. })
    ));
}

#[test]
fn percentiles_with_ties() {
    // Type 7: h = (n − 1)p.
    let t = [1.0, 1.0, 1.0, 2.0, 5.0];
    assert_eq!(percentile(&t, 0.5), Some(1.0));
    assert_eq!(percentile(&t, 0.6), Some(1.0 + 0.4 * 1.0)); // h = 2.4 → 1 + 0.4·(2 − 1)
    assert!((percentile(&t, 0.9).unwrap() - 3.8).abs() < 1e-12); // h = 3.6 → 2 + 0.6·3
    assert_eq!(percentile(&t, 1.0), Some(5.0));
    assert_eq!(percentile(&[], 0.5), None);
    assert_eq!(percentile(&t, 1.5), None);
}

#[test]
fn kpi_targets_by_hand() {
    let (c, n) = small();
    let survey =
        ds("month,sat\n2026-01,9\n2026-01,7\n2026-03,10\n2026-03,9\n2026-03,8\n2026-03,3\n");
    let kpis = [
        Kpi::SatisfiedShare {
            threshold: 8.0,
            target: 0.6,
        },
        Kpi::ComplaintRate { max: 0.0001 },
        Kpi::ResponseWithin {
            hours: 1.0,
            min_share: 0.7,
        },
        Kpi::ResolutionPercentile {
            percentile: 0.5,
            max_hours: 24.0,
        },
    ];
    let input = SurveyInput {
        data: &survey,
        period: "month",
        satisfaction: "sat",
    };
    let st = evaluate_kpis(&kpis, &c, &n, Some(input)).unwrap();
    let get = |kpi: usize, p: &str| {
        st.iter()
            .find(|s| s.kpi == kpis[kpi].name() && s.period.to_string() == p && s.segment.is_none())
            .unwrap()
            .clone()
    };
    // Satisfied share: Jan 1/2 = 0.5 (missed), Mar 3/4 = 0.75 (met), Feb no survey.
    // March has no trend: its previous calendar month (February) has no value,
    // and the change is never bridged to January (it used to be: fixed).
    let s = get(0, "2026-01");
    assert_eq!((s.value, s.met), (Some(0.5), Some(false)));
    assert_eq!(get(0, "2026-02").met, None);
    let s = get(0, "2026-03");
    assert_eq!(
        (s.value, s.met, s.trend, s.change),
        (Some(0.75), Some(true), None, None)
    );
    // Complaint rate: Jan 3/20000 = 1.5e-4 > 1e-4 missed; Feb 0 met and improving.
    let s = get(1, "2026-01");
    assert!((s.value.unwrap() - 1.5e-4).abs() < 1e-15 && s.met == Some(false));
    let s = get(1, "2026-02");
    assert_eq!(
        (s.value, s.met, s.trend),
        (Some(0.0), Some(true), Some(Trend::Improving))
    );
    // Responded within 1 h: Jan times 0.5, 2, 1 → 2/3 < 0.7 missed; Mar 1, 3, 1, 1 → 3/4 met.
    let s = get(2, "2026-01");
    assert!((s.value.unwrap() - 2.0 / 3.0).abs() < 1e-12 && s.met == Some(false));
    assert_eq!(get(2, "2026-03").value, Some(0.75));
    assert_eq!(get(2, "2026-02").value, None, "no complaints in February");
    // Median resolution: Jan 20, 30 (the open one has none) → 25 h > 24 missed; Mar 5, 50, 4, 8 → 6.5 met.
    let s = get(3, "2026-01");
    assert_eq!((s.value, s.n, s.met), (Some(25.0), 2.0, Some(false)));
    assert_eq!(get(3, "2026-03").value, Some(6.5));
}

#[test]
fn segments_rates_and_kpis() {
    let complaints =
        ds("month,category,region\n2026-01,billing,n\n2026-01,billing,s\n2026-01,network,s\n");
    let counts = ds("month,region,customers\n2026-01,n,1000\n2026-01,s,4000\n");
    let c = Complaints::from_dataset(
        &complaints,
        &ComplaintColumns::new("month", "category").segment("region"),
    )
    .unwrap();
    let n = CustomerCounts::from_dataset(&counts, "month", "customers", &["region"]).unwrap();
    let m = c.metrics(&n, &MetricOptions::default()).unwrap();
    assert_eq!(
        m.row("2026-01", Some("region=n"), "billing")
            .unwrap()
            .rate_per_10k,
        10.0
    );
    assert_eq!(
        m.row("2026-01", Some("region=s"), "billing")
            .unwrap()
            .rate_per_10k,
        2.5
    );
    let total = m.row("2026-01", None, "billing").unwrap();
    assert_eq!(
        (total.volume, total.customers, total.rate_per_10k),
        (2, 5000.0, 4.0)
    );
    let st = evaluate_kpis(&[Kpi::ComplaintRate { max: 0.0005 }], &c, &n, None).unwrap();
    let s = st
        .iter()
        .find(|s| s.segment.as_deref() == Some("region=s"))
        .unwrap();
    assert_eq!((s.value, s.met), (Some(2.0 / 4000.0), Some(true)));
}

#[test]
fn bad_inputs() {
    // Unknown period: a complaint in a month without a customer count.
    let complaints = ds("month,category\n2026-05,billing\n");
    let counts = ds("month,customers\n2026-01,100\n");
    let c =
        Complaints::from_dataset(&complaints, &ComplaintColumns::new("month", "category")).unwrap();
    let n = CustomerCounts::from_dataset(&counts, "month", "customers", &[]).unwrap();
    let err = c.metrics(&n, &MetricOptions::default()).unwrap_err();
    assert!(
        matches!(&err, Error::UnknownPeriod { period, .. } if period == "2026-05"),
        "{err:?}"
    );
    // Unknown base period.
    let ok = Complaints::from_dataset(
        &ds("month,category\n2026-01,x\n"),
        &ComplaintColumns::new("month", "category"),
    )
    .unwrap();
    let err = ok
        .metrics(
            &n,
            &MetricOptions {
                base_period: Period::parse("2020-01"),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::UnknownPeriod { .. }));
    // A customer count of 0.
    let err = CustomerCounts::from_dataset(
        &ds("month,customers\n2026-01,0\n"),
        "month",
        "customers",
        &[],
    )
    .unwrap_err();
    assert!(matches!(&err, Error::ZeroCustomers { value, .. } if *value == 0.0));
    // Negative durations.
    let err = Complaints::from_dataset(
        &ds("month,category,resp\n2026-01,x,-1\n"),
        &ComplaintColumns::new("month", "category").response_hours("resp"),
    )
    .unwrap_err();
    assert!(matches!(&err, Error::NegativeDuration { column, row: 1, .. } if column == "resp"));
    // A period that is not a month.
    let err = Complaints::from_dataset(
        &ds("month,category\nJanuary,x\n"),
        &ComplaintColumns::new("month", "category"),
    )
    .unwrap_err();
    assert!(matches!(&err, Error::InvalidPeriod { value, .. } if value == "January"));
    // A complaint without a category.
    let err = Complaints::from_dataset(
        &ds("month,category\n2026-01,\n"),
        &ComplaintColumns::new("month", "category"),
    )
    .unwrap_err();
    assert!(matches!(err, Error::MissingValues { first_row: 1, .. }));
    // Impossible targets.
    let err = evaluate_kpis(
        &[Kpi::SatisfiedShare {
            threshold: 8.0,
            target: 1.5,
        }],
        &ok,
        &n,
        None,
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidSetting { .. }));
    // Links without customer ids.
    let err = link_by_respondent(&ok, &ds("id,q\na,1\n"), "id", &["q"], 0.95, true).unwrap_err();
    assert!(matches!(err, Error::InvalidSetting { .. }));
}

#[test]
fn simulated_links_are_found_where_they_exist_and_only_there() {
    let sim = MonitorSimulation::new().seed(3).simulate().unwrap();
    let cols = ComplaintColumns::new("month", "category")
        .segment("region")
        .response_hours("response_hours")
        .resolution_hours("resolution_hours")
        .customer_id("customer_id");
    let c = Complaints::from_dataset(&sim.complaints, &cols).unwrap();
    let drivers = ["quality_index", "value_index", "service_index"];
    let links = link_by_respondent(&c, &sim.survey, "customer_id", &drivers, 0.95, true).unwrap();
    let get = |cat: &str, d: &str| {
        links
            .iter()
            .find(|l| l.category == cat && l.driver == d)
            .unwrap()
    };
    // Tied: network ↔ quality, billing ↔ value (complainers rate them lower).
    for (cat, d) in [("network", "quality_index"), ("billing", "value_index")] {
        let l = get(cat, d);
        assert!(l.linked && l.difference.unwrap() < 0.0, "{l:?}");
    }
    // Not tied: every other pair's interval covers 0.
    for l in &links {
        let tied = (l.category == "network" && l.driver == "quality_index")
            || (l.category == "billing" && l.driver == "value_index");
        if !tied {
            assert!(!l.linked, "spurious link {l:?}");
        }
    }
    // The 5g category exists only from the 7th month.
    let n =
        CustomerCounts::from_dataset(&sim.customers, "month", "customers", &["region"]).unwrap();
    let m = c.metrics(&n, &MetricOptions::default()).unwrap();
    assert_eq!(m.row("2025-06", None, "5g").unwrap().volume, 0);
    assert!(m.row("2025-07", None, "5g").unwrap().volume > 0);
    // Segment-level links need ≥ 4 segments for an interval: 3 regions give none.
    let seg = link_by_segment(&m, &c.segment_columns, &sim.survey, &drivers, 0.95).unwrap();
    assert!(seg.iter().all(|s| s.ci_lower.is_none() && !s.linked));
    assert!(seg.iter().all(|s| s.segments == 3));
}

#[test]
fn simulation_is_seeded() {
    let a = MonitorSimulation::new()
        .customers(2000)
        .months(3)
        .seed(9)
        .simulate()
        .unwrap();
    let b = MonitorSimulation::new()
        .customers(2000)
        .months(3)
        .seed(9)
        .simulate()
        .unwrap();
    assert!(
        a.complaints == b.complaints,
        "complaints differ for the same seed"
    );
    assert!(a.survey == b.survey, "survey differs for the same seed");
    let c = MonitorSimulation::new()
        .customers(2000)
        .months(3)
        .seed(10)
        .simulate()
        .unwrap();
    assert!(a.complaints != c.complaints);
    assert!(a.complaints.n_rows() > 0);
}
