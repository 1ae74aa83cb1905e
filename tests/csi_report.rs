//! The CSI report: languages, fix first, segment short boards, charts (issue 15).

use csikit::analysis::Observer;
use csikit::analysis::acsi::{self, AcsiDocument, AcsiRequest, BuiltinSurvey};
use csikit::csi::bins::BinSpec;
use csikit::csi::{Construct, Ipma, IpmaConstruct, IpmaIndicator, Quadrant, Ranking, fix_first};
use csikit::i18n::Lang;

fn built_in(lang: Lang, extra: impl FnOnce(&mut AcsiRequest)) -> AcsiDocument {
    let survey = BuiltinSurvey {
        respondents: 3000,
        months: 14,
        seed: 2026,
    };
    let (mut data, model, _) = survey.simulate().unwrap();
    // A numeric column to bin: a deterministic "ARPU" in 20..=219.
    let arpu: Vec<f64> = (0..data.n_rows())
        .map(|r| {
            if r % 97 == 5 {
                f64::NAN
            } else {
                20.0 + ((r * 37) % 200) as f64
            }
        })
        .collect();
    data.set_numeric("arpu", arpu).unwrap();
    let mut request = AcsiRequest {
        lang,
        min_group: 100,
        ..AcsiRequest::default()
    };
    extra(&mut request);
    let request = survey.complete(&request);
    acsi::run(
        &data,
        &model,
        &survey.description(lang),
        &request,
        &Observer::silent(),
    )
    .unwrap()
}

fn is_snake(s: &str) -> bool {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| {
            let parts: Vec<&str> = w.split('_').collect();
            parts.len() > 1
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        })
}

#[test]
fn chinese_report_has_chinese_headings_item_wording_and_no_snake_case_headers() {
    let doc = built_in(Lang::Zh, |_| {});
    let r = &doc.report;
    let md = r.to_markdown();
    for heading in [
        "# 客户满意度指数报告（ECSI）",
        "## 首页摘要：优先改进什么",
        "### 优先改进清单：按潜在提升排序的指标",
        "### 客户满意度指数最低的分群",
        "### 按地区的分群短板",
        "## 结构模型",
        "## 各维度指数",
    ] {
        assert!(md.contains(heading), "missing {heading}");
    }
    // The executive page comes first and answers "what to fix first".
    let exec = md.find("首页摘要").unwrap();
    assert!(exec < md.find("## 数据与模型").unwrap());
    assert!(
        md.contains("最新一期 2026年2月")
            && md.contains("环比（较 2026年1月）")
            && md.contains("同比（较 2025年2月）"),
        "{}",
        &md[..1500]
    );
    // Every header human, in the report language.
    for t in r.tables() {
        for h in &t.header {
            assert!(!is_snake(h), "{}: header `{h}`", t.file);
        }
        assert_eq!(t.header.len(), t.keys.len());
    }
    // Items by their wording wherever an item is named.
    assert!(md.contains("网络信号质量"));
    for t in r.tables() {
        for (j, k) in t.keys.iter().enumerate() {
            if k == "item" || k == "top_item" || k.starts_with("board_") {
                for row in &t.rows {
                    assert!(
                        !row[j].chars().all(|c| c.is_ascii_alphanumeric()),
                        "{}: item shown as code `{}`",
                        t.file,
                        row[j]
                    );
                }
            }
        }
    }
    let map = r
        .charts()
        .into_iter()
        .find(|c| c.file == "ipma_indicators.svg")
        .unwrap();
    assert!(map.svg.contains("上网速度") && !map.svg.contains(">PERQ2<"));
    // The HTML page says it is Chinese and prints on A4.
    let html = r.to_html();
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("size:A4"));
    assert!(html.contains("class=\"scroll\""));
    // The English report keeps English words.
    let en = built_in(Lang::En, |_| {}).report.to_markdown();
    assert!(en.contains("## At a glance: what to fix first") && !en.contains("首页"));
    assert!(en.contains("Network signal quality"));
}

/// The hand-computed map: construct A (importance 0.5) with items a1
/// (rescaled weight 0.6, performance 50) and a2 (0.4, 80): A's index is
/// 0.6·50 + 0.4·80 = 62; B (importance 0.2) with one item b1 (1.0, 30).
fn hand_map() -> Ipma {
    let c = |name: &str, importance: f64, performance: f64, quadrant| IpmaConstruct {
        name: Construct::from_name(name),
        importance,
        performance,
        impact: 5.0 * importance,
        quadrant,
        importance_ci: None,
        via: None,
    };
    let i =
        |item: &str, construct: &str, importance: f64, performance: f64, quadrant| IpmaIndicator {
            indicator: item.into(),
            construct: Construct::from_name(construct),
            importance,
            performance,
            quadrant,
            importance_ci: None,
        };
    Ipma {
        target: Construct::Satisfaction,
        target_index: 70.0,
        // The quadrants as the old views labelled them: A is the construct
        // short board while both its items are "low priority", and the item
        // short board b1 belongs to B.
        constructs: vec![
            c("A", 0.5, 62.0, Quadrant::ConcentrateHere),
            c("B", 0.2, 30.0, Quadrant::LowPriority),
        ],
        indicators: vec![
            i("a1", "A", 0.3, 50.0, Quadrant::LowPriority),
            i("a2", "A", 0.2, 80.0, Quadrant::LowPriority),
            i("b1", "B", 0.2, 30.0, Quadrant::ConcentrateHere),
        ],
        construct_split: (0.35, 46.0),
        indicator_split: (0.233, 53.3),
        ranking: Ranking::PotentialGain,
        short_boards: Vec::new(),
        indicator_short_boards: Vec::new(),
    }
}

#[test]
fn fix_first_gains_are_hand_computed_and_the_levels_agree() {
    let ff = fix_first(&hand_map());
    // a1: 0.3·(100−50) = 15; a2: 0.2·(100−80) = 4; b1: 0.2·(100−30) = 14.
    let gains: Vec<(&str, f64)> = ff
        .items
        .iter()
        .map(|i| (i.indicator.as_str(), i.gain))
        .collect();
    assert_eq!(gains, vec![("a1", 15.0), ("b1", 14.0), ("a2", 4.0)]);
    assert!((ff.items[0].weight - 0.6).abs() < 1e-12);
    // A: 15 + 4 = 19 = 0.5·(100 − 62); B: 14 = 0.2·(100 − 30).
    assert_eq!(ff.constructs[0].construct, Construct::from_name("A"));
    assert!((ff.constructs[0].gain - 19.0).abs() < 1e-12);
    assert_eq!(ff.constructs[0].top_item, "a1");
    assert!((ff.constructs[1].gain - 14.0).abs() < 1e-12);
}

#[test]
fn construct_and_item_short_boards_agree_where_the_quadrant_views_disagreed() {
    let doc = built_in(Lang::En, |_| {});
    let r = &doc.report;
    let map = &r.ipma;
    // The old views disagree on this survey: the construct-level quadrant
    // short board is Perceived quality while each of its items is "low
    // priority", and the item-level short boards belong to another construct.
    let old_top = &map.short_boards[0].construct;
    assert_eq!(*old_top, Construct::PerceivedQuality);
    assert!(
        map.indicators
            .iter()
            .filter(|i| &i.construct == old_top)
            .all(|i| i.quadrant == Quadrant::LowPriority)
    );
    assert!(
        map.indicator_short_boards
            .iter()
            .all(|b| &b.construct != old_top)
    );
    // One rule: each construct's gain is the sum of its items' gains, and
    // equals its importance × (100 − index), the construct map's numbers.
    let ff = r.fix_first();
    for c in &ff.constructs {
        let sum: f64 = ff
            .items
            .iter()
            .filter(|i| i.construct == c.construct)
            .map(|i| i.gain)
            .sum();
        assert!((c.gain - sum).abs() < 1e-9);
        let m = map
            .constructs
            .iter()
            .find(|m| m.name == c.construct)
            .unwrap();
        assert!(
            (c.gain - m.importance * (100.0 - m.performance)).abs() < 1e-6 * c.gain.max(1.0),
            "{}: {} vs {}",
            c.construct,
            c.gain,
            m.importance * (100.0 - m.performance)
        );
        // The construct's first item is its item with the largest gain.
        let best = ff
            .items
            .iter()
            .find(|i| i.construct == c.construct)
            .unwrap();
        assert_eq!(best.indicator, c.top_item);
    }
    // The report states the rule and names the same top construct and item.
    let md = r.to_markdown();
    assert!(md.contains("Rule: potential gain of an item"));
    let top = &ff.constructs[0];
    assert!(md.contains(&format!(
        "Top short board: {} (potential gain {:.2} points; first item: {}",
        top.construct.label(),
        top.gain,
        r.labels().item(&top.top_item)
    )));
}

#[test]
fn every_csi_chart_is_legible_in_both_languages() {
    for lang in Lang::ALL {
        let doc = built_in(lang, |r| {
            r.segments = vec!["region*arpu_tier".into(), "plan".into()];
        });
        for c in doc.report.charts() {
            let bad = csikit::svg::overlapping_texts(&c.svg, 2.0);
            assert!(bad.is_empty(), "{lang} {}: {bad:?}", c.file);
            for b in csikit::svg::text_boxes(&c.svg) {
                let h = b.y1 - b.y0;
                assert!(
                    h >= 12.0 * 1.05 - 1e-9,
                    "{lang} {}: `{}` under 12 px",
                    c.file,
                    b.text
                );
            }
        }
    }
}

#[test]
fn skipped_periods_are_gaps_with_a_note_and_one_warning_line() {
    // 14 months of ~214 respondents; a minimum of 215 skips some of them.
    let doc = built_in(Lang::En, |r| r.min_group = 215);
    let r = &doc.report;
    let p = r.periods.as_ref().unwrap();
    assert!(!p.skipped.is_empty() && !p.groups.is_empty());
    let trend = r
        .charts()
        .into_iter()
        .find(|c| c.file.starts_with("trend_"))
        .unwrap();
    assert!(trend.svg.contains(&format!(
        "Gaps: {} period(s) not estimated",
        p.skipped.len()
    )));
    let w = r.warnings();
    let skipped_lines: Vec<&String> = w.iter().filter(|l| l.contains("not estimated")).collect();
    assert_eq!(skipped_lines.len(), 1, "{w:?}");
    let groups: usize = r
        .segments
        .iter()
        .chain(r.periods.iter())
        .map(|g| g.skipped.len())
        .sum();
    assert!(skipped_lines[0].starts_with(&format!("{groups} group(s) not estimated")));
    // No period at all: the chart says so instead of an empty plot.
    let none = built_in(Lang::Zh, |r| r.min_group = 100_000);
    let trend = none
        .report
        .charts()
        .into_iter()
        .find(|c| c.file.starts_with("trend_"))
        .unwrap();
    assert!(trend.svg.contains("没有任何期间的样本量足以估计"));
}

#[test]
fn crossed_segments_and_bins_count_every_row() {
    let doc = built_in(Lang::En, |r| {
        r.segments = vec!["region*arpu_tier".into(), "arpu".into()];
        r.bins = vec!["arpu=q4".parse::<BinSpec>().unwrap()];
    });
    let r = &doc.report;
    let n = r.fit.pls.n_observations;
    let crossed = &r.segments[0];
    assert_eq!(crossed.column, "region*arpu_tier");
    // 4 regions × 3 tiers.
    assert_eq!(crossed.groups.len() + crossed.skipped.len(), 12);
    assert!(crossed.groups.iter().all(|g| g.label.contains(" × ")));
    let rows: usize = crossed.groups.iter().map(|g| g.n).sum::<usize>()
        + crossed.skipped.iter().map(|g| g.n).sum::<usize>()
        + crossed.n_missing_label;
    assert_eq!(rows, n);
    let bins = &r.bins[0];
    assert_eq!(bins.column, "arpu");
    assert_eq!(bins.bins.len(), 4);
    let missing = (0..n).filter(|r| r % 97 == 5).count();
    assert_eq!(bins.missing, missing);
    assert_eq!(bins.bins.iter().map(|b| b.1).sum::<usize>() + missing, n);
    // Quartiles: each bin holds about a quarter of the rows.
    for (label, count) in &bins.bins {
        assert!(
            (*count as f64 - (n - missing) as f64 / 4.0).abs() < 0.02 * n as f64,
            "{label}: {count}"
        );
    }
    let by_bin = &r.segments[1];
    assert_eq!(by_bin.n_missing_label, missing);
    assert_eq!(
        by_bin
            .groups
            .iter()
            .map(|g| g.label.clone())
            .collect::<Vec<_>>(),
        bins.bins.iter().map(|b| b.0.clone()).collect::<Vec<_>>()
    );
    // The report shows the counts and the heat map of each segment column.
    let md = r.to_markdown();
    assert!(md.contains("**Bins of arpu**"));
    assert!(md.contains(&format!("| {} | {} |", bins.bins[0].0, bins.bins[0].1)));
    assert!(r.charts().iter().any(|c| c.file.starts_with("heat_region")));
}
