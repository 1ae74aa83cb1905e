//! Every chart every command writes (acsi, servqual, kano, monitor,
//! drivers, scorecard),
//! in both report languages, on the built-in data: no two labels overlap
//! and no text leaves the canvas (measured with `svg::overlapping_texts`),
//! fonts are at least 12 px. A deliberately overlapping fixture must fail.

use csikit::analysis::{
    self, AcsiRequest, BuiltinSurvey, KanoRequest, MonitorInput, MonitorRequest, Observer,
    ServqualRequest,
};
use csikit::i18n::Lang;
use csikit::svg::{Anchor, Svg, overlapping_texts, segment_crosses_box, text_boxes};
use csikit::{CsvOptions, Dataset};

/// Overlap (px²) tolerated between two text boxes: box estimates are
/// approximate, so a sliver is not a collision.
const TOLERANCE: f64 = 4.0;

/// (name, svg) of every chart of a run.
type Charts = Vec<(String, String)>;

fn servqual_charts(lang: Lang) -> Charts {
    let (data, _) = analysis::servqual::builtin(1).unwrap();
    let mut out = Vec::new();
    // The whole sample, and segments (a column added to the built-in data).
    let doc = analysis::servqual::run(
        &data,
        &ServqualRequest {
            lang,
            ..ServqualRequest::default()
        },
        &Observer::silent(),
    )
    .unwrap();
    out.extend(doc.charts().into_iter().map(|c| (c.name.join("_"), c.svg)));
    let mut data = data;
    let labels: Vec<String> = (0..data.n_rows())
        .map(|i| ["华东地区（上海、江苏、浙江）", "north"][i % 2].to_string())
        .collect();
    data.set_text("area", labels).unwrap();
    let doc = analysis::servqual::run(
        &data,
        &ServqualRequest {
            lang,
            segment: Some("area".into()),
            ..ServqualRequest::default()
        },
        &Observer::silent(),
    )
    .unwrap();
    out.extend(doc.charts().into_iter().map(|c| (c.name.join("_"), c.svg)));
    out
}

fn kano_charts(lang: Lang) -> Charts {
    let (data, _) = analysis::kano::builtin(300, 2024).unwrap();
    let mut out = Vec::new();
    for codebook in [None, Some(analysis::kano::builtin_codebook())] {
        let doc = analysis::kano::run(
            &data,
            &KanoRequest {
                lang,
                codebook: codebook.clone(),
                ..KanoRequest::default()
            },
            &Observer::silent(),
        )
        .unwrap();
        let tag = if codebook.is_some() {
            "codebook"
        } else {
            "codes"
        };
        out.extend(
            doc.charts()
                .into_iter()
                .map(|c| (format!("{}_{tag}", c.name.join("_")), c.svg)),
        );
    }
    out
}

fn monitor_charts(lang: Lang) -> Charts {
    let (input, _) = MonitorInput::builtin().unwrap();
    let doc = analysis::monitor::run(
        &input,
        &MonitorRequest {
            lang,
            ..MonitorRequest::default()
        },
        &Observer::silent(),
    )
    .unwrap();
    let mut out: Charts = doc
        .charts()
        .into_iter()
        .map(|c| (c.name.join("_"), c.svg))
        .collect();
    out.push(("complaint_trend_with_gap".into(), gap_trend(lang)));
    out.extend(kpi_monitor_charts(lang));
    out.extend(touchpoint_monitor_charts(lang));
    out
}

/// The monitor charts with a touchpoint scorecard section: the built-in
/// survey's overall satisfaction per region and month.
fn touchpoint_monitor_charts(lang: Lang) -> Charts {
    let (mut input, _) = MonitorInput::builtin().unwrap();
    let survey = BuiltinSurvey {
        respondents: 4800,
        months: 3,
        seed: 7,
    };
    input.touchpoints = Some(survey.simulate().unwrap().0);
    let doc = analysis::monitor::run(
        &input,
        &MonitorRequest {
            lang,
            scorecard: Some(analysis::scorecard::ScorecardRequest {
                score: "CUSA1".into(),
                by: vec!["region".into()],
                period: Some("month".into()),
                scale: Some(csikit::csi::Scale::new(1.0, 10.0)),
                ..Default::default()
            }),
            ..MonitorRequest::default()
        },
        &Observer::silent(),
    )
    .unwrap();
    let charts: Charts = doc
        .charts()
        .into_iter()
        .filter(|c| c.name[0] == "scorecard")
        .map(|c| (format!("monitor_{}", c.name.join("_")), c.svg))
        .collect();
    assert_eq!(charts.len(), 1, "the scorecard section has its chart");
    charts
}

/// The monitor charts with user-defined KPIs (the attainment chart) over
/// 24 simulated months (the EWMA chart with seasonal expectations).
fn kpi_monitor_charts(lang: Lang) -> Charts {
    use csikit::monitor::custom::{Better, KpiDefinition, KpiTarget};
    let sim = csikit::monitor::MonitorSimulation::new()
        .months(24)
        .simulate()
        .unwrap();
    let input = MonitorInput {
        complaints: sim.complaints,
        customers: sim.customers,
        survey: Some(sim.survey),
        kpi_data: None,
        touchpoints: None,
    };
    let mut fast = KpiDefinition::share_below("fast", "response_hours", 1.0).unit("region");
    fast.table = Some("complaints".into());
    fast.label = Some("1 小时内响应率".into());
    fast.label_en = Some("Responded within 1 h".into());
    let mut p90 = KpiDefinition::percentile("p90", "resolution_hours", 90.0).unit("region");
    p90.table = Some("complaints".into());
    let doc = analysis::monitor::run(
        &input,
        &MonitorRequest {
            lang,
            kpis: vec![fast, p90],
            targets: vec![
                KpiTarget {
                    kpi: "fast".into(),
                    unit: None,
                    target: 0.9,
                    better: Better::Higher,
                },
                KpiTarget {
                    kpi: "p90".into(),
                    unit: None,
                    target: 48.0,
                    better: Better::Lower,
                },
            ],
            ..MonitorRequest::default()
        },
        &Observer::silent(),
    )
    .unwrap();
    let charts: Charts = doc
        .charts()
        .into_iter()
        .filter(|c| ["ewma_watch", "kpi_attainment"].contains(&c.name.join("_").as_str()))
        .map(|c| (format!("{}_24_months", c.name.join("_")), c.svg))
        .collect();
    assert_eq!(charts.len(), 2, "{lang:?}");
    let w = doc.watch.as_ref().unwrap();
    assert!(w.points.iter().skip(12).all(|p| p.seasonal.is_some()));
    charts
}

/// A trend over four months where March has no customer count: drawn as a
/// gap with a note, never an empty chart.
fn gap_trend(lang: Lang) -> String {
    let read = |text: &str| Dataset::from_reader(text.as_bytes(), &CsvOptions::default()).unwrap();
    let complaints = read(
        "month,category\n2025-01,network\n2025-01,billing\n2025-02,network\n\
         2025-04,network\n2025-04,billing\n2025-04,billing\n",
    );
    let customers = read("month,customers\n2025-01,1000\n2025-02,1000\n2025-04,1000\n");
    let doc = analysis::monitor::run(
        &MonitorInput {
            complaints,
            customers,
            survey: None,
            kpi_data: None,
            touchpoints: None,
        },
        &MonitorRequest {
            lang,
            ..MonitorRequest::default()
        },
        &Observer::silent(),
    )
    .unwrap();
    doc.charts().remove(0).svg
}

fn acsi_charts(lang: Lang) -> Charts {
    let survey = BuiltinSurvey {
        respondents: 1200,
        months: 12,
        seed: 7,
    };
    let (data, model, description) = survey.simulate().unwrap();
    let request = survey.complete(&AcsiRequest {
        lang,
        ..AcsiRequest::default()
    });
    let doc =
        analysis::acsi::run(&data, &model, &description, &request, &Observer::silent()).unwrap();
    doc.report
        .charts()
        .into_iter()
        .map(|c| (c.file, c.svg))
        .collect()
}

/// The `drivers` chart on the built-in survey (items as drivers of overall
/// satisfaction, worded from the telecom codebook: long labels in both
/// languages), with and without the bootstrap.
fn drivers_charts(lang: Lang) -> Charts {
    let survey = BuiltinSurvey {
        respondents: 1200,
        months: 12,
        seed: 7,
    };
    let (data, _, _) = survey.simulate().unwrap();
    let mut out = Vec::new();
    for bootstrap in [0, 50] {
        let doc = analysis::drivers::run(
            &data,
            &analysis::drivers::DriversRequest {
                target: "CUSA1".into(),
                drivers: [
                    "IMAG1", "CUEX1", "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6",
                    "PERQ7", "PERV1", "PERV2",
                ]
                .map(String::from)
                .to_vec(),
                bootstrap,
                lang,
                codebook: Some(BuiltinSurvey::codebook()),
                ..Default::default()
            },
        )
        .unwrap();
        out.extend(
            doc.charts()
                .into_iter()
                .map(|c| (format!("{}_{bootstrap}", c.name.join("_")), c.svg)),
        );
    }
    out
}

/// The `scorecard` chart on the built-in survey: overall satisfaction per
/// region and month (12 × 4 groups), and per region alone.
fn scorecard_charts(lang: Lang) -> Charts {
    let survey = BuiltinSurvey {
        respondents: 4800,
        months: 3,
        seed: 7,
    };
    let (data, _, _) = survey.simulate().unwrap();
    let mut out = Vec::new();
    for period in [Some("month".to_string()), None] {
        let doc = analysis::scorecard::run(
            &data,
            &analysis::scorecard::ScorecardRequest {
                score: "CUSA1".into(),
                by: vec!["region".into()],
                period: period.clone(),
                scale: Some(csikit::csi::Scale::new(1.0, 10.0)),
                lang,
                ..Default::default()
            },
        )
        .unwrap();
        out.extend(
            doc.charts()
                .into_iter()
                .map(|c| (format!("{}_{}", c.name.join("_"), period.is_some()), c.svg)),
        );
    }
    out
}

/// A number attribute of an SVG tag.
fn attr(tag: &str, name: &str) -> Option<f64> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    tag[start..].split('"').next()?.trim().parse().ok()
}

/// The drawn lines of a chart as segments: `<line>`, `<polyline>` and the
/// quadratic curves of `<path d="M … Q …">` (sampled at 64 points).
fn line_segments(svg: &str) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    for tag in svg.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        if tag.starts_with("line ") {
            if let (Some(x1), Some(y1), Some(x2), Some(y2)) = (
                attr(tag, "x1"),
                attr(tag, "y1"),
                attr(tag, "x2"),
                attr(tag, "y2"),
            ) {
                out.push(((x1, y1), (x2, y2)));
            }
        } else if tag.starts_with("polyline ") {
            let pts: Vec<(f64, f64)> = tag
                .split("points=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            out.extend(pts.windows(2).map(|w| (w[0], w[1])));
        } else if tag.starts_with("path ") {
            let d = tag
                .split(" d=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("");
            let v: Vec<f64> = d
                .split(|c: char| c == ' ' || c == ',' || c.is_ascii_alphabetic())
                .filter_map(|p| p.parse().ok())
                .collect();
            if d.contains('Q') && v.len() == 6 {
                let q = |t: f64| {
                    let u = 1.0 - t;
                    (
                        u * u * v[0] + 2.0 * u * t * v[2] + t * t * v[4],
                        u * u * v[1] + 2.0 * u * t * v[3] + t * t * v[5],
                    )
                };
                let pts: Vec<(f64, f64)> = (0..=64).map(|i| q(i as f64 / 64.0)).collect();
                out.extend(pts.windows(2).map(|w| (w[0], w[1])));
            }
        }
    }
    out
}

/// The grid lines of a chart: axis-parallel `<line>` elements drawn in a
/// light colour (every RGB channel at least 0xd0), as segments.
fn grid_segments(svg: &str) -> Vec<((f64, f64), (f64, f64))> {
    let light = |tag: &str| {
        let Some(hex) = tag
            .split(" stroke=\"#")
            .nth(1)
            .and_then(|r| r.split('"').next())
        else {
            return false;
        };
        hex.len() == 6
            && (0..3)
                .all(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).is_ok_and(|v| v >= 0xd0))
    };
    svg.split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(""))
        .filter(|t| t.starts_with("line ") && light(t))
        .filter_map(|t| {
            let (x1, y1, x2, y2) = (
                attr(t, "x1")?,
                attr(t, "y1")?,
                attr(t, "x2")?,
                attr(t, "y2")?,
            );
            (x1 == x2 || y1 == y2).then_some(((x1, y1), (x2, y2)))
        })
        .collect()
}

/// Whether each `<text>` element (in document order, as [`text_boxes`]
/// returns them) is drawn over a white halo (`paint-order="stroke"`).
fn haloed(svg: &str) -> Vec<bool> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let tag = t.split('>').next().unwrap_or("");
            tag.contains(r#"paint-order="stroke""#) && tag.contains(r##"stroke="#ffffff""##)
        })
        .collect()
}

/// The labels a drawn line passes through (or comes within `margin` px of).
/// A label over a white halo may touch a grid line (it stays legible), never
/// a data line, a mean line or an arrow.
fn texts_on_lines(svg: &str, margin: f64) -> Vec<String> {
    let grid = grid_segments(svg);
    let halo = haloed(svg);
    let segments = line_segments(svg);
    let mut out = Vec::new();
    for (i, b) in text_boxes(svg).into_iter().enumerate() {
        let on_halo = halo.get(i).copied().unwrap_or(false);
        if let Some((a, c)) = segments
            .iter()
            .filter(|s| !(on_halo && grid.contains(s)))
            .find(|(a, c)| {
                segment_crosses_box(
                    *a,
                    *c,
                    (b.x0 - margin, b.y0 - margin, b.x1 + margin, b.y1 + margin),
                )
            })
        {
            out.push(format!(
                "`{}` touches the line ({:.0}, {:.0})–({:.0}, {:.0})",
                b.text, a.0, a.1, c.0, c.1
            ));
        }
    }
    out
}

/// The problems of one chart: overlaps and text off the canvas (kind
/// `overlap`), fonts below 12 px (kind `font`).
fn problems(svg: &str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = overlapping_texts(svg, TOLERANCE)
        .into_iter()
        .map(|m| ("overlap", m))
        .collect();
    for line in svg.lines().filter(|l| l.starts_with("<text")) {
        if let Some(size) = line
            .split("font-size=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse::<f64>().ok())
            && size < 12.0
        {
            out.push(("font", format!("font {size} px < 12 px: {line}")));
        }
    }
    out
}

fn check(charts: &[(String, String)], lang: &str, allowed: &[(&str, &str, &str)]) -> Vec<String> {
    assert!(!charts.is_empty());
    let mut failures = Vec::new();
    for (name, svg) in charts {
        assert!(
            !text_boxes(svg).is_empty(),
            "{name} ({lang}) has no text at all"
        );
        let p: Vec<String> = problems(svg)
            .into_iter()
            .filter(|(kind, _)| !allowed.iter().any(|(n, k, _)| n == name && k == kind))
            .map(|(_, m)| m)
            .collect();
        if !p.is_empty() {
            failures.push(format!("{name} ({lang}):\n  {}", p.join("\n  ")));
        }
    }
    failures
}

#[test]
fn servqual_kano_and_monitor_charts_have_no_overlapping_text_in_either_language() {
    let mut failures = Vec::new();
    for lang in Lang::ALL {
        failures.extend(check(&servqual_charts(lang), lang.code(), &[]));
        failures.extend(check(&kano_charts(lang), lang.code(), &[]));
        failures.extend(check(&monitor_charts(lang), lang.code(), &[]));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn drivers_and_scorecard_charts_have_no_overlapping_text_in_either_language() {
    let mut failures = Vec::new();
    for lang in Lang::ALL {
        let d = drivers_charts(lang);
        assert_eq!(d.len(), 2);
        failures.extend(check(&d, lang.code(), &[]));
        let s = scorecard_charts(lang);
        assert_eq!(s.len(), 2);
        failures.extend(check(&s, lang.code(), &[]));
    }
    // The Chinese charts speak Chinese and show item wording, not codes.
    let zh = drivers_charts(Lang::Zh);
    assert!(
        zh[0].1.contains("网络信号质量") && !zh[0].1.contains("PERQ1"),
        "{}",
        zh[0].1
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn csi_charts_have_no_overlapping_text_in_either_language() {
    for lang in Lang::ALL {
        let charts = acsi_charts(lang);
        // Path diagram, index, IPMA maps, segments, the heat map and the trend.
        assert!(charts.len() >= 5, "{}", charts.len());
        let failures = check(&charts, lang.code(), &[]);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

#[test]
fn path_diagram_labels_touch_no_arrow_in_either_language() {
    for lang in Lang::ALL {
        let charts = acsi_charts(lang);
        let (_, svg) = charts
            .iter()
            .find(|(n, _)| n == "path_diagram.svg")
            .unwrap();
        // Every coefficient label is there (12 paths of the ECSI model).
        let labels = text_boxes(svg)
            .into_iter()
            .filter(|b| b.text.parse::<f64>().is_ok())
            .count();
        assert_eq!(labels, 12, "{svg}");
        let on = texts_on_lines(svg, 3.0);
        assert!(
            on.is_empty(),
            "{} ({lang:?}):\n{}",
            "path_diagram",
            on.join("\n")
        );
    }
    // The check fails on a label drawn across a line and across a curve.
    let mut svg = Svg::new(300.0, 200.0);
    svg.line(10.0, 40.0, 200.0, 40.0, "#000", 1.0, None);
    svg.text(50.0, 44.0, "0.371", 12.0, Anchor::Start);
    svg.curve_arrow(10.0, 150.0, 100.0, 60.0, 200.0, 150.0, "#000", 1.0);
    svg.text(100.0, 108.0, "0.121", 12.0, Anchor::Middle);
    svg.text(250.0, 190.0, "clear", 12.0, Anchor::Start);
    let on = texts_on_lines(&svg.finish(), 1.0);
    assert_eq!(on.len(), 2, "{on:?}");
    assert!(on[0].contains("0.371") && on[1].contains("0.121"), "{on:?}");
}

/// The chart left out of the label-vs-line check below: the path diagram,
/// checked by its own test with a 3 px margin.
const LINE_CHECK_PENDING: [&str; 1] = ["path_diagram.svg"];

#[test]
fn chart_labels_touch_no_line_in_either_language() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for lang in Lang::ALL {
        let all: Charts = [
            acsi_charts(lang),
            servqual_charts(lang),
            kano_charts(lang),
            monitor_charts(lang),
            drivers_charts(lang),
            scorecard_charts(lang),
        ]
        .concat();
        for (name, svg) in &all {
            // The path diagram has its own test (3 px margin).
            if LINE_CHECK_PENDING.iter().any(|p| name.starts_with(p)) {
                continue;
            }
            checked += 1;
            let on = texts_on_lines(svg, 1.0);
            if !on.is_empty() {
                failures.push(format!("{name} ({lang:?}):\n  {}", on.join("\n  ")));
            }
        }
    }
    // The trend, both IPMA maps, the segment bars and heat maps, the
    // SERVQUAL gaps, the KANO maps, the monitor, drivers and scorecard
    // charts of both languages.
    assert!(checked >= 50, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A haloed label may sit on a grid line, not on a data line; a plain
    // label may sit on neither.
    let mut svg = Svg::new(300.0, 200.0);
    svg.line(10.0, 40.0, 290.0, 40.0, "#e2e8f0", 1.0, None);
    svg.text_halo(50.0, 44.0, "64.5", 12.0, Anchor::Start);
    svg.text(150.0, 44.0, "68.7", 12.0, Anchor::Start);
    svg.polyline(&[(10.0, 150.0), (290.0, 150.0)], "#1f77b4", 2.0);
    svg.text_halo(100.0, 154.0, "62.0", 12.0, Anchor::Start);
    let on = texts_on_lines(&svg.finish(), 1.0);
    assert_eq!(on.len(), 2, "{on:?}");
    assert!(on[0].contains("68.7") && on[1].contains("62.0"), "{on:?}");
}

#[test]
fn charts_are_translated() {
    let zh = servqual_charts(Lang::Zh);
    assert!(zh[0].1.contains("可靠性") && zh[0].1.contains("平均得分"));
    assert!(!zh[0].1.contains("mean answer"));
    let kano = kano_charts(Lang::Zh);
    assert!(kano.iter().any(|(_, s)| s.contains("必备质量")));
    assert!(
        kano.iter()
            .any(|(_, s)| s.contains("安全登录（指纹/人脸识别）"))
    );
    let monitor = monitor_charts(Lang::Zh);
    assert!(monitor[0].1.contains("万投比") && monitor[0].1.contains("月"));
}

#[test]
fn a_skipped_month_is_a_gap_with_a_note() {
    for lang in Lang::ALL {
        let svg = gap_trend(lang);
        let words: String = text_boxes(&svg)
            .into_iter()
            .map(|b| b.text)
            .collect::<Vec<_>>()
            .join(" ");
        let march = if lang == Lang::Zh {
            "2025年3月"
        } else {
            "2025-03"
        };
        let note = if lang == Lang::Zh {
            "无数据"
        } else {
            "No data"
        };
        assert!(words.contains(note) && words.contains(march), "{words}");
        // The line of all categories is cut at March: three months with data,
        // two dashed segments would join them across the gap; only one does.
        assert_eq!(svg.matches("stroke-dasharray").count(), 1, "{svg}");
    }
}

#[test]
fn the_overlap_check_fails_on_an_overlapping_fixture() {
    let mut svg = Svg::new(300.0, 120.0);
    svg.text(20.0, 40.0, "客户满意度指数", 12.0, Anchor::Start);
    svg.text(60.0, 44.0, "Loyalty", 12.0, Anchor::Start);
    svg.text(290.0, 100.0, "off the canvas", 12.0, Anchor::Start);
    svg.text_rotated(150.0, 80.0, "rotated over", 12.0, -30.0);
    svg.text(150.0, 80.0, "rotated over it", 12.0, Anchor::Middle);
    let p = problems(&svg.finish());
    assert!(p.iter().any(|m| m.1.contains("`Loyalty`")), "{p:?}");
    assert!(p.iter().any(|m| m.1.contains("sticks out")), "{p:?}");
    assert!(p.iter().any(|m| m.1.contains("rotated over it")), "{p:?}");
    let failures = check(&[("fixture".into(), svg.finish())], "en", &[]);
    assert_eq!(failures.len(), 1);
    // A small font is a problem too.
    let mut small = Svg::new(300.0, 120.0);
    small.text(20.0, 40.0, "tiny", 10.0, Anchor::Start);
    assert_eq!(problems(&small.finish())[0].0, "font");
    // Allowing a kind of problem for a chart allows only that kind.
    let allowed = [("fixture", "font", "test")];
    assert_eq!(
        check(&[("fixture".into(), svg.finish())], "en", &allowed).len(),
        1
    );
}

/// Whether every name is identifiable in a chart `svg` whose texts are
/// `texts`: written as a label (on one line or wrapped onto two consecutive
/// texts), or as the entry `n = name` of the numbered key with the number
/// `n` written once in bold (at its point). Returns the names that went to
/// the key.
fn identifiable(svg: &str, texts: &[String], names: &[String]) -> Vec<String> {
    let mut keyed = Vec::new();
    for name in names {
        let written = texts.iter().any(|t| t == name)
            || texts.windows(2).any(|w| {
                format!("{} {}", w[0], w[1]) == *name || format!("{}{}", w[0], w[1]) == *name
            });
        if written {
            continue;
        }
        let entry = texts
            .iter()
            .find_map(|t| t.strip_suffix(&format!(" = {name}")))
            .unwrap_or_else(|| panic!("`{name}` is neither a label nor in the key: {texts:?}"));
        assert_eq!(
            svg.matches(&format!(r#"font-weight="bold">{entry}</text>"#))
                .count(),
            1,
            "the number {entry} of `{name}` is written once"
        );
        keyed.push(name.clone());
    }
    keyed
}

/// A text without the fix-first rank `#r ` of the IPMA map (also after the
/// `n = ` of a key entry).
fn without_rank(text: &str) -> String {
    let strip = |t: &str| -> Option<String> {
        let rest = t.strip_prefix('#')?;
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        (digits > 0)
            .then(|| rest[digits..].strip_prefix(' ').map(str::to_string))
            .flatten()
    };
    if let Some(t) = strip(text) {
        return t;
    }
    if let Some((n, rest)) = text.split_once(" = ")
        && let Some(t) = strip(rest)
    {
        return format!("{n} = {t}");
    }
    text.to_string()
}

#[test]
fn the_built_in_maps_label_every_point_in_both_languages() {
    for lang in Lang::ALL {
        let charts: Charts = [acsi_charts(lang), kano_charts(lang)].concat();
        let maps: Vec<&(String, String)> = charts
            .iter()
            .filter(|(n, _)| {
                ["ipma_", "better_worse", "continuous"]
                    .iter()
                    .any(|p| n.starts_with(p))
            })
            .collect();
        assert_eq!(maps.len(), 6, "{lang:?}");
        for (name, svg) in maps {
            // No key: no bold number at a point, no `n = label` entry.
            let keyed: Vec<String> = text_boxes(svg)
                .into_iter()
                .map(|b| b.text)
                .filter(|t| {
                    t.split_once(" = ")
                        .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
                })
                .collect();
            assert!(keyed.is_empty(), "{name} ({lang:?}): {keyed:?}");
            assert!(!svg.contains(r#"font-weight="bold">1</text>"#), "{name}");
        }
    }
}

#[test]
fn crowded_maps_number_the_labels_that_do_not_fit() {
    use csikit::csi::chart::{MapLevel, ipma_map};
    use csikit::kano::{self, Counts};
    // 40 KANO features with long names and similar answers: a crowd
    // around the 0.5 split lines of the Better–Worse diagram.
    let features: Vec<(String, Counts)> = (0..40)
        .map(|i| {
            (
                format!("feature number {i:02} with a long wording"),
                Counts::new(
                    30 + (i * 7) % 40,
                    20 + (i * 11) % 30,
                    20 + (i * 5) % 35,
                    15 + (i * 3) % 30,
                    0,
                    0,
                ),
            )
        })
        .collect();
    let names: Vec<String> = features.iter().map(|f| f.0.clone()).collect();
    let report = kano::analyze_counts(&features, &Default::default()).unwrap();
    let svg = kano::better_worse_svg(&report);
    let texts: Vec<String> = text_boxes(&svg).into_iter().map(|b| b.text).collect();
    let keyed = identifiable(&svg, &texts, &names);
    assert!(!keyed.is_empty(), "the crowded diagram has a key");
    assert!(problems(&svg).is_empty(), "{:?}", problems(&svg));
    let on = texts_on_lines(&svg, 1.0);
    assert!(on.is_empty(), "{on:?}");
    // The item IPMA map of the built-in survey with 60 items crowded around
    // the split point.
    let survey = BuiltinSurvey {
        respondents: 1200,
        months: 12,
        seed: 7,
    };
    let (data, model, description) = survey.simulate().unwrap();
    let request = survey.complete(&AcsiRequest::default());
    let doc =
        analysis::acsi::run(&data, &model, &description, &request, &Observer::silent()).unwrap();
    let mut map = doc.report.ipma.clone();
    let (si, sp) = map.indicator_split;
    let template = map.indicators[0].clone();
    map.indicators = (0..60)
        .map(|i| {
            let mut x = template.clone();
            x.indicator = format!("item {i:02} with a long wording");
            x.importance = si * (0.9 + 0.2 * ((i * 7) % 60) as f64 / 60.0);
            x.performance = sp - 2.0 + 4.0 * ((i * 11) % 60) as f64 / 60.0;
            x
        })
        .collect();
    let names: Vec<String> = map.indicators.iter().map(|x| x.indicator.clone()).collect();
    let svg = ipma_map(&map, MapLevel::Indicators);
    let texts: Vec<String> = text_boxes(&svg)
        .into_iter()
        .map(|b| without_rank(&b.text))
        .collect();
    let keyed = identifiable(&svg, &texts, &names);
    assert!(!keyed.is_empty(), "the crowded map has a key");
    assert!(problems(&svg).is_empty(), "{:?}", problems(&svg));
    let on = texts_on_lines(&svg, 1.0);
    assert!(on.is_empty(), "{on:?}");
}
