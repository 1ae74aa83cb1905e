//! One `Period` for CSI trends and monitoring: every spelling gives the same
//! chronological periods and the same month-over-month partners; a missing
//! period is a reported gap, never bridged; a label that is not a period is
//! a typed error naming it.

use csikit::csi::{CsiAnalysis, GroupAnalysis, PeriodComparison, Scale};
use csikit::monitor::{ComplaintColumns, Complaints, CustomerCounts, MetricOptions};
use csikit::{CsvOptions, Dataset, Error, Period, SurveySimulator};

/// (year, month) of survey wave `w` (1-based): wave 1 is January 2025.
fn ym(w: usize) -> (usize, usize) {
    (2025 + (w - 1) / 12, (w - 1) % 12 + 1)
}

/// Every listed month spelling, as a function of (year, month).
/// A named spelling: (year, month or quarter) → label.
type Spelling = (&'static str, fn(usize, usize) -> String);

fn month_spellings() -> Vec<Spelling> {
    vec![
        ("YYYY-MM", |y, m| format!("{y}-{m:02}")),
        ("YYYY-M", |y, m| format!("{y}-{m}")),
        ("YYYY/M", |y, m| format!("{y}/{m}")),
        ("YYYY/MM", |y, m| format!("{y}/{m:02}")),
        ("YYYYMM", |y, m| format!("{y}{m:02}")),
        ("YYYY.MM", |y, m| format!("{y}.{m:02}")),
        ("YYYY年M月", |y, m| format!("{y}年{m}月")),
        ("YYYY年MM月", |y, m| format!("{y}年{m:02}月")),
        ("YYYY-MM-DD", |y, m| format!("{y}-{m:02}-15")),
        ("YYYY/M/D", |y, m| format!("{y}/{m}/{}", 1 + m % 9)),
        (" padded ", |y, m| format!("  {y}-{m:02} ")),
    ]
}

/// Every listed quarter spelling, as a function of (year, quarter).
fn quarter_spellings() -> Vec<Spelling> {
    vec![
        ("YYYYQn", |y, q| format!("{y}Q{q}")),
        ("YYYY-Qn", |y, q| format!("{y}-Q{q}")),
        ("YYYY Qn", |y, q| format!("{y} Q{q}")),
        ("YYYY年第n季度", |y, q| format!("{y}年第{q}季度")),
        ("YYYY年n季度", |y, q| format!("{y}年{q}季度")),
        ("YYYY年Qn", |y, q| format!("{y}年Q{q}")),
    ]
}

/// 14 monthly waves (Jan 2025 – Feb 2026) of the built-in survey.
fn survey() -> Dataset {
    SurveySimulator::new(1120)
        .seed(11)
        .months(14)
        .simulate()
        .unwrap()
}

/// The survey with its `month` column relabelled: wave `w` → `label(w)`.
fn relabel(data: &Dataset, mut label: impl FnMut(usize) -> String) -> Dataset {
    let mut d = data.clone();
    let waves = d.numeric("month").unwrap().to_vec();
    d.set_text("month", waves.iter().map(|&w| label(w as usize)).collect())
        .unwrap();
    d
}

fn labels(g: &GroupAnalysis) -> Vec<&str> {
    g.groups.iter().map(|x| x.label.as_str()).collect()
}

const ALL_COMPARISONS: [PeriodComparison; 3] = [
    PeriodComparison::Previous,
    PeriodComparison::YearOverYear,
    PeriodComparison::Lag(1),
];

/// The Satisfaction differences of one comparison: (from, to, difference).
fn diffs<'a>(g: &'a GroupAnalysis, comparison: &str) -> Vec<(&'a str, &'a str, f64)> {
    g.index_differences
        .iter()
        .filter(|d| d.comparison == comparison && d.construct == csikit::Construct::Satisfaction)
        .map(|d| (d.from.as_str(), d.to.as_str(), d.difference))
        .collect()
}

#[test]
fn csi_periods_are_chronological_for_every_month_spelling() {
    let data = survey();
    let model = SurveySimulator::csi_model();
    let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0));
    let canonical: Vec<String> = (1..=14)
        .map(|w| {
            let (y, m) = ym(w);
            format!("{y}-{m:02}")
        })
        .collect();
    let base = a
        .periods(
            &relabel(&data, |w| canonical[w - 1].clone()),
            "month",
            &ALL_COMPARISONS,
        )
        .unwrap();
    assert_eq!(labels(&base), canonical);
    // Month over month: each month against the calendar month before it.
    let mom = diffs(&base, "previous");
    assert_eq!(mom.len(), 13);
    for (from, to, _) in &mom {
        let (f, t) = (Period::parse(from).unwrap(), Period::parse(to).unwrap());
        assert_eq!(f, t.previous(), "{from} → {to}");
    }
    assert_eq!(mom[11].0, "2025-12");
    assert_eq!(mom[11].1, "2026-01");
    // Year over year: the two months of 2026 against their 2025 months.
    let yoy = diffs(&base, "year over year");
    assert_eq!(
        yoy.iter().map(|d| (d.0, d.1)).collect::<Vec<_>>(),
        [("2025-01", "2026-01"), ("2025-02", "2026-02")]
    );
    // Lag(1) is the previous calendar month too.
    assert_eq!(diffs(&base, "lag 1"), mom);
    assert!(base.missing_comparisons.is_empty());
    // The same numbers, labels and partners whatever the spelling.
    for (name, spell) in month_spellings() {
        let g = a
            .periods(
                &relabel(&data, |w| {
                    let (y, m) = ym(w);
                    spell(y, m)
                }),
                "month",
                &ALL_COMPARISONS,
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(labels(&g), canonical, "{name}");
        assert_eq!(g.index_differences, base.index_differences, "{name}");
        assert_eq!(
            g.group("2025年3月").unwrap().label,
            "2025-03",
            "{name}: any spelling finds the group"
        );
    }
}

#[test]
fn csi_periods_with_mixed_spellings_in_one_column() {
    // 2025年1月 … 2025年12月 (text order would put 2025年12月 before
    // 2025年2月), then 2026/1, 202602, and half of December as dates.
    let data = survey();
    let model = SurveySimulator::csi_model();
    let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0));
    let mut row = 0;
    let mixed = relabel(&data, |w| {
        row += 1;
        match w {
            13 => "2026/1".to_string(),
            14 => "202602".to_string(),
            12 if row % 2 == 0 => "2025-12-15".to_string(),
            _ => format!("2025年{w}月"),
        }
    });
    let g = a.periods(&mixed, "month", &ALL_COMPARISONS).unwrap();
    let canonical = relabel(&data, |w| {
        let (y, m) = ym(w);
        format!("{y}-{m:02}")
    });
    let base = a.periods(&canonical, "month", &ALL_COMPARISONS).unwrap();
    assert_eq!(labels(&g), labels(&base));
    assert_eq!(g.groups[11].n, base.groups[11].n, "both December spellings");
    assert_eq!(g.index_differences, base.index_differences);
    let mom = diffs(&g, "previous");
    assert_eq!((mom[0].0, mom[0].1), ("2025-01", "2025-02"));
    assert_eq!((mom[12].0, mom[12].1), ("2026-01", "2026-02"));
    // The JSON carries the canonical labels in chronological order.
    let json = serde_json::to_value(&g).unwrap();
    let in_json: Vec<&str> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["label"].as_str().unwrap())
        .collect();
    assert_eq!(in_json, labels(&base));
    assert_eq!(json["groups"][0]["period"], "2025-01");
}

#[test]
fn csi_quarters_for_every_quarter_spelling() {
    let data = survey();
    let model = SurveySimulator::csi_model();
    let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0));
    let quarter = |w: usize| {
        let (y, m) = ym(w);
        (y, (m - 1) / 3 + 1)
    };
    let base = a
        .periods(
            &relabel(&data, |w| {
                let (y, q) = quarter(w);
                format!("{y}Q{q}")
            }),
            "month",
            &ALL_COMPARISONS,
        )
        .unwrap();
    assert_eq!(
        labels(&base),
        ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1"]
    );
    let prev = diffs(&base, "previous");
    assert_eq!(
        prev.iter().map(|d| (d.0, d.1)).collect::<Vec<_>>(),
        [
            ("2025Q1", "2025Q2"),
            ("2025Q2", "2025Q3"),
            ("2025Q3", "2025Q4"),
            ("2025Q4", "2026Q1")
        ]
    );
    let yoy = diffs(&base, "year over year");
    assert_eq!(
        yoy.iter().map(|d| (d.0, d.1)).collect::<Vec<_>>(),
        [("2025Q1", "2026Q1")]
    );
    for (name, spell) in quarter_spellings() {
        let g = a
            .periods(
                &relabel(&data, |w| {
                    let (y, q) = quarter(w);
                    spell(y, q)
                }),
                "month",
                &ALL_COMPARISONS,
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(labels(&g), labels(&base), "{name}");
        assert_eq!(g.index_differences, base.index_differences, "{name}");
    }
}

#[test]
fn a_missing_month_is_a_reported_gap_not_a_bridge() {
    let data = survey();
    let model = SurveySimulator::csi_model();
    // March 2025 is absent; June 2025 has 5 respondents (skipped below 30).
    let mut kept_june = 0;
    let d = relabel(&data, |w| {
        let (y, m) = ym(w);
        match w {
            3 => String::new(),
            6 => {
                kept_june += 1;
                if kept_june <= 5 {
                    format!("{y}-{m:02}")
                } else {
                    String::new()
                }
            }
            _ => format!("{y}-{m:02}"),
        }
    });
    let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0));
    let g = a
        .periods(
            &d,
            "month",
            &[PeriodComparison::Previous, PeriodComparison::Lag(2)],
        )
        .unwrap();
    assert_eq!(g.skipped.len(), 1);
    assert_eq!(g.skipped[0].label, "2025-06");
    let mom = diffs(&g, "previous");
    // April is not compared with February, nor July with May.
    assert!(mom.iter().all(|(from, to, _)| {
        Period::parse(from).unwrap() == Period::parse(to).unwrap().previous()
    }));
    assert!(!mom.iter().any(|d| d.1 == "2025-04" || d.1 == "2025-07"));
    assert_eq!(
        mom.len(),
        13 - 4,
        "Mar, Apr, Jun, Jul have no previous month"
    );
    let gaps: Vec<(&str, &str, &str)> = g
        .missing_comparisons
        .iter()
        .map(|m| (m.comparison.as_str(), m.from.as_str(), m.to.as_str()))
        .collect();
    assert_eq!(
        gaps,
        [
            ("previous", "2025-03", "2025-04"),
            ("previous", "2025-06", "2025-07"),
            ("lag 2", "2025-03", "2025-05"),
            ("lag 2", "2025-06", "2025-08"),
        ]
    );
    assert!(
        g.missing_comparisons[0]
            .reason
            .contains("not in column `month`")
    );
    assert!(
        g.missing_comparisons[1]
            .reason
            .contains("2025-06 was not estimated")
    );
    // Lag(2): April against February is made (both present).
    assert!(
        diffs(&g, "lag 2")
            .iter()
            .any(|d| (d.0, d.1) == ("2025-02", "2025-04"))
    );
    // The trend chart breaks its line at the gaps: Jan–Feb, Apr–May, Jul–Feb.
    let svg = csikit::csi::chart::trend(&g, &csikit::Construct::Satisfaction);
    assert_eq!(svg.matches("<polyline").count(), 3);
    let full = a.periods(&survey(), "month", &[]).unwrap();
    let svg = csikit::csi::chart::trend(&full, &csikit::Construct::Satisfaction);
    assert_eq!(svg.matches("<polyline").count(), 1);
    // The gaps reach the JSON.
    let json = serde_json::to_value(&g).unwrap();
    assert_eq!(json["missing_comparisons"][0]["to"], "2025-04");
    assert_eq!(json["missing_comparisons"].as_array().unwrap().len(), 4);
}

#[test]
fn a_label_that_is_not_a_period_is_a_typed_error() {
    let data = survey();
    let model = SurveySimulator::csi_model();
    let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0));
    let mut first = true;
    let d = relabel(&data, |w| {
        let (y, m) = ym(w);
        if w == 5 && std::mem::take(&mut first) {
            "May-2025".to_string()
        } else {
            format!("{y}年{m}月")
        }
    });
    let err = a
        .periods(&d, "month", &[PeriodComparison::Previous])
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidPeriod { column, value, .. } if column == "month" && value == "May-2025"),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("`May-2025`") && msg.contains("2025年第1季度"),
        "{msg}"
    );
    // Months mixed with quarters.
    let d = relabel(&data, |w| {
        let (y, m) = ym(w);
        if w == 14 {
            "2026Q1".into()
        } else {
            format!("{y}-{m:02}")
        }
    });
    assert!(matches!(
        a.periods(&d, "month", &[]),
        Err(Error::MixedPeriods { ref first, ref other, .. }) if first == "2026Q1" || other == "2026Q1"
    ));
    // Wave numbers: no year over year, but lags and the previous wave work.
    assert!(matches!(
        a.periods(&data, "month", &[PeriodComparison::YearOverYear]),
        Err(Error::InvalidSetting { ref name, .. }) if name == "comparison"
    ));
    assert!(matches!(
        a.periods(&data, "month", &[PeriodComparison::Lag(0)]),
        Err(Error::InvalidSetting { ref name, .. }) if name == "lag"
    ));
    let waves = a
        .periods(&data, "month", &[PeriodComparison::Lag(12)])
        .unwrap();
    assert_eq!(
        diffs(&waves, "lag 12")
            .iter()
            .map(|d| (d.0, d.1))
            .collect::<Vec<_>>(),
        [("1", "13"), ("2", "14")]
    );
    // A base period in any spelling; one that is not a period is refused.
    let canonical = relabel(&data, |w| {
        let (y, m) = ym(w);
        format!("{y}-{m:02}")
    });
    let based = a
        .periods(
            &canonical,
            "month",
            &[PeriodComparison::Base("2025年2月".into())],
        )
        .unwrap();
    assert_eq!(diffs(&based, "base 2025-02").len(), 13);
    assert!(matches!(
        a.periods(&canonical, "month", &[PeriodComparison::Base("Feb".into())]),
        Err(Error::UnknownPeriod { ref period, .. }) if period == "Feb"
    ));
}

// ----- monitoring -------------------------------------------------------------

fn ds(text: &str) -> Dataset {
    Dataset::from_reader(text.as_bytes(), &CsvOptions::default()).unwrap()
}

/// Complaints: wave w has w complaints; customer counts for every wave but
/// `skip`. Complaints and counts spell periods differently. Text columns
/// (a CSV column of `2025.10` would be read as the number 2025.1).
fn monitor_tables(
    complaint_label: impl Fn(usize) -> String,
    count_label: impl Fn(usize) -> String,
    skip: Option<usize>,
) -> (Complaints, CustomerCounts) {
    let waves: Vec<usize> = (1..=14).filter(|w| Some(*w) != skip).collect();
    let per_complaint: Vec<usize> = waves
        .iter()
        .flat_map(|&w| std::iter::repeat_n(w, w))
        .collect();
    let mut c = Dataset::from_columns(vec![("x", vec![0.0; per_complaint.len()])]).unwrap();
    c.set_text(
        "month",
        per_complaint.iter().map(|&w| complaint_label(w)).collect(),
    )
    .unwrap();
    c.set_text("category", vec!["billing".to_string(); per_complaint.len()])
        .unwrap();
    let mut n = Dataset::from_columns(vec![("customers", vec![1000.0; waves.len()])]).unwrap();
    n.set_text("month", waves.iter().map(|&w| count_label(w)).collect())
        .unwrap();
    (
        Complaints::from_dataset(&c, &ComplaintColumns::new("month", "category")).unwrap(),
        CustomerCounts::from_dataset(&n, "month", "customers", &[]).unwrap(),
    )
}

#[test]
fn monitoring_periods_are_chronological_for_every_month_spelling() {
    let spellings = month_spellings();
    for (i, (name, spell)) in spellings.iter().enumerate() {
        // The counts use the next spelling in the list: the same periods.
        let other = spellings[(i + 1) % spellings.len()].1;
        let (c, n) = monitor_tables(
            |w| {
                let (y, m) = ym(w);
                spell(y, m)
            },
            |w| {
                let (y, m) = ym(w);
                other(y, m)
            },
            None,
        );
        let m = c
            .metrics(&n, &MetricOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let periods: Vec<String> = m.periods.iter().map(|p| p.to_string()).collect();
        let want: Vec<String> = (1..=14)
            .map(|w| {
                let (y, m) = ym(w);
                format!("{y}-{m:02}")
            })
            .collect();
        assert_eq!(periods, want, "{name}");
        for (w, p) in want.iter().enumerate() {
            let r = m.row(p, None, "billing").unwrap();
            assert_eq!(r.volume, w as u64 + 1, "{name} {p}");
            // Month over month: one more complaint than the calendar month before.
            let mom = if w == 0 { None } else { Some(1) };
            assert_eq!(r.mom_change, mom, "{name} {p}");
            let yoy = if w >= 12 { Some(12) } else { None };
            assert_eq!(r.yoy_change, yoy, "{name} {p}");
        }
        // Any spelling finds a row.
        assert_eq!(m.row("2026年1月", None, "billing").unwrap().volume, 13);
    }
}

#[test]
fn monitoring_quarters_and_gaps() {
    // Quarters: 2025Q1 … 2028Q2 (14 quarters), wave w has w complaints.
    let q = |w: usize| (2025 + (w - 1) / 4, (w - 1) % 4 + 1);
    for (name, spell) in quarter_spellings() {
        let (c, n) = monitor_tables(
            |w| {
                let (y, k) = q(w);
                spell(y, k)
            },
            |w| {
                let (y, k) = q(w);
                format!("{y}Q{k}")
            },
            None,
        );
        let m = c.metrics(&n, &MetricOptions::default()).unwrap();
        assert_eq!(m.periods[0].to_string(), "2025Q1", "{name}");
        assert_eq!(m.periods[13].to_string(), "2028Q2", "{name}");
        let r = m.row("2026Q1", None, "billing").unwrap();
        // Quarter over quarter +1; year over year (4 quarters) +4.
        assert_eq!(
            (r.volume, r.mom_change, r.yoy_change),
            (5, Some(1), Some(4))
        );
    }
    // A month without a customer count: April is not compared with February.
    let canonical = |w: usize| {
        let (y, m) = ym(w);
        format!("{y}-{m:02}")
    };
    let (c, n) = monitor_tables(canonical, canonical, Some(3));
    let m = c.metrics(&n, &MetricOptions::default()).unwrap();
    assert_eq!(m.periods.len(), 13);
    assert_eq!(m.row("2025-04", None, "billing").unwrap().mom_change, None);
    assert_eq!(
        m.row("2025-05", None, "billing").unwrap().mom_change,
        Some(1)
    );
    // Complaints per month against counts per quarter: a typed error.
    let (c, _) = monitor_tables(canonical, canonical, None);
    let nq = CustomerCounts::from_dataset(
        &ds("quarter,customers\n2025Q1,1000\n2025Q2,1000\n"),
        "quarter",
        "customers",
        &[],
    )
    .unwrap();
    assert!(matches!(
        c.metrics(&nq, &MetricOptions::default()),
        Err(Error::MixedPeriods { ref first, ref other, .. }) if first == "2025Q1" && other == "2025-01"
    ));
    // An unparseable label names itself.
    let err = Complaints::from_dataset(
        &ds("month,category\n2025-01,x\n2025-13,x\n"),
        &ComplaintColumns::new("month", "category"),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidPeriod { row: 2, value, .. } if value == "2025-13"),
        "{err:?}"
    );
}
