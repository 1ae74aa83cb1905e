//! The Chinese reports speak Chinese throughout: data-audit and index
//! warnings worded from the catalogs, periods as calendar months, while the
//! JSON keeps its English sentences and codes (issue 15).

use csikit::analysis::Observer;
use csikit::analysis::acsi::{self, AcsiDocument, AcsiRequest, BuiltinSurvey};
use csikit::audit::{AuditWarning, DataAudit};
use csikit::csi::{Construct, IndexWarning};
use csikit::i18n::Lang;

/// The acsi report of a (possibly altered) built-in survey.
fn run(
    survey: &BuiltinSurvey,
    data: &csikit::Dataset,
    model: &csikit::csi::CsiModel,
    request: &AcsiRequest,
) -> AcsiDocument {
    let description = survey.description(request.lang);
    acsi::run(data, model, &description, request, &Observer::silent()).unwrap()
}

/// The built-in survey made messy: 99 codes in CUSA1 (no scale declared, so
/// they are suspected codes and every scale is inferred), 15 % of the rows
/// with a missing answer (dropped listwise), a segment column with empty
/// labels and a level too small to be estimated.
fn messy(lang: Lang) -> AcsiDocument {
    let survey = BuiltinSurvey {
        respondents: 1200,
        months: 3,
        seed: 7,
    };
    let (mut data, model, _) = survey.simulate().unwrap();
    let n = data.n_rows();
    let mut v = data.numeric("CUSA1").unwrap().to_vec();
    for r in [3, 50, 177] {
        v[r] = 99.0;
    }
    let mut q = data.numeric("PERQ1").unwrap().to_vec();
    for (r, x) in q.iter_mut().enumerate() {
        if r % 20 < 3 {
            *x = f64::NAN;
        }
    }
    data.set_numeric("CUSA1", v).unwrap();
    data.set_numeric("PERQ1", q).unwrap();
    let shop: Vec<String> = (0..n)
        .map(|r| match r % 50 {
            0 => String::new(),
            1 => "tiny".into(),
            k if k % 2 == 0 => "a".into(),
            _ => "b".into(),
        })
        .collect();
    data.set_text("shop", shop).unwrap();
    let request = AcsiRequest {
        lang,
        segments: vec!["shop".into()],
        min_group: 40,
        ..AcsiRequest::default()
    };
    run(&survey, &data, &model, &request)
}

#[test]
fn chinese_warnings_are_chinese_and_the_json_keeps_its_english_sentences() {
    let zh = messy(Lang::Zh);
    let en = messy(Lang::En);
    let w = zh.report.warnings();
    let all = w.join("\n");
    // Every kind of audit warning is there, in Chinese.
    for phrase in [
        "行（15.0%）未使用",
        "成列删除",
        "题未声明答题量表",
        "疑似缺失代码",
        "行缺少shop",
        "个分组未估计",
    ] {
        assert!(all.contains(phrase), "missing {phrase} in {all}");
    }
    for english in [
        "were not used",
        "listwise deletion",
        "no answer scale declared",
        "likely missing-data codes",
        "rows have no",
        "not estimated",
        "warning:",
        "Warning:",
    ] {
        assert!(!all.contains(english), "{english} in {all}");
    }
    // The suspected codes name the item and the code.
    assert!(
        w.iter()
            .any(|l| l.contains("CUSA1") && l.contains("99") && l.contains("疑似缺失代码")),
        "{w:?}"
    );
    // 3 of every 20 rows dropped: 180 of 1200, 15.0 %.
    assert!(all.contains("1200 行中有 180 行（15.0%）未使用"), "{all}");
    let en_all = en.report.warnings().join("\n");
    assert!(
        en_all.contains("180 of 1200 rows (15.0 %) were not used"),
        "{en_all}"
    );
    // The JSON is the same in both languages' audit sentences: English.
    let audit = |d: &AcsiDocument| d.report.audit.clone().unwrap();
    assert_eq!(audit(&zh).warnings, audit(&en).warnings);
    let json = zh.to_json();
    assert!(json.contains("likely missing-data codes"));
    assert!(json.contains("180 of 1200 rows (15.0 %) were not used"));
    assert!(!json.contains("typed_warnings"));
    // The whole Markdown report carries no English warning either.
    let md = zh.report.to_markdown();
    assert!(
        !md.contains("likely missing") && !md.contains("were not used"),
        "{md}"
    );
}

#[test]
fn typed_audit_warnings_keep_the_english_sentence_and_word_it_in_chinese() {
    let mut a = DataAudit::new(10);
    a.warn(AuditWarning::GroupsSkipped {
        column: "region".into(),
        rows: 12,
        min: 30,
        labels: vec!["x".into(), "y".into()],
        groups: 2,
    });
    a.warnings.push("a plain sentence".into());
    assert_eq!(
        a.warnings[0],
        "2 group(s) of `region` not estimated (12 rows; fewer than 30 usable respondents or a failed fit): x, y"
    );
    let zh = a.warnings_in(Lang::Zh, &|c| csikit::csi::text::column_label(c, Lang::Zh));
    assert_eq!(
        zh,
        vec![
            "地区有 2 个分组未估计（共 12 行；有效样本少于 30 或拟合失败）：x、y".to_string(),
            "a plain sentence".to_string()
        ]
    );
    // A round trip through the JSON keeps the sentences (untyped, shown as
    // they are).
    let back: DataAudit = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!(back.warnings, a.warnings);
    assert_eq!(
        back.warnings_in(Lang::Zh, &|c| c.to_string())[1],
        "a plain sentence"
    );
}

#[test]
fn index_warnings_are_worded_in_the_report_language() {
    let w = IndexWarning::NegativeWeight {
        construct: Construct::PerceivedQuality,
        indicator: "PERQ2".into(),
        weight: -0.0312,
    };
    assert_eq!(
        w.to_string(),
        "indicator `PERQ2` of `Quality` has a negative rescaled weight (-0.0312): the index of `Quality` is not bounded by 0-100; check the item's direction or drop it"
    );
    let zh = w.text(Lang::Zh, &|n| csikit::i18n::construct_label(n, Lang::Zh));
    assert_eq!(
        zh,
        "感知质量的指标 PERQ2 标准化权重为负（-0.0312）：感知质量指数不再限于 0-100；请检查该题方向或删除该题"
    );
    let o = IndexWarning::OutsideBounds {
        name: "CUSA1".into(),
        value: 104.256,
    };
    assert_eq!(
        o.to_string(),
        "`CUSA1` is 104.26, outside 0-100: answers outside the declared scale or negative weights"
    );
    assert_eq!(
        o.text(Lang::Zh, &|n| n.to_string()),
        "CUSA1为 104.26，超出 0-100：有超出声明量表的答案或负权重"
    );
}

#[test]
fn the_built_in_survey_has_calendar_months_in_time_order() {
    assert_eq!(BuiltinSurvey::month_label(1), "2025-01");
    assert_eq!(BuiltinSurvey::month_label(13), "2026-01");
    let survey = BuiltinSurvey {
        respondents: 2400,
        months: 14,
        seed: 3,
    };
    for lang in [Lang::Zh, Lang::En] {
        let (data, model, _) = survey.simulate().unwrap();
        let request = survey.complete(&AcsiRequest {
            lang,
            segments: vec!["region".into()],
            ..AcsiRequest::default()
        });
        let doc = run(&survey, &data, &model, &request);
        let p = doc.report.periods.as_ref().unwrap();
        let labels: Vec<&str> = p.groups.iter().map(|g| g.label.as_str()).collect();
        let mut sorted = labels.clone();
        sorted.sort();
        assert_eq!(labels, sorted, "time order");
        assert_eq!(labels.first(), Some(&"2025-01"));
        assert_eq!(labels.last(), Some(&"2026-02"));
        let md = doc.report.to_markdown();
        let trend = doc
            .report
            .charts()
            .into_iter()
            .find(|c| c.file.starts_with("trend"))
            .map(|c| c.svg)
            .unwrap();
        match lang {
            Lang::Zh => {
                assert!(md.contains("最新一期 2026年2月"), "{}", &md[..800]);
                assert!(md.contains("| 2025年1月 |"));
                assert!(trend.contains("2025年1月"));
            }
            Lang::En => {
                assert!(md.contains("Latest period 2026-02"), "{}", &md[..800]);
                assert!(trend.contains("2025-01"));
            }
        }
    }
}

fn built_in(lang: Lang, respondents: usize, extra: impl FnOnce(&mut AcsiRequest)) -> AcsiDocument {
    let survey = BuiltinSurvey {
        respondents,
        months: 3,
        seed: 11,
    };
    let (data, model, _) = survey.simulate().unwrap();
    let mut request = AcsiRequest {
        lang,
        segments: vec!["region".into(), "arpu_tier".into()],
        ..AcsiRequest::default()
    };
    extra(&mut request);
    let request = survey.complete(&request);
    run(&survey, &data, &model, &request)
}

#[test]
fn relative_importance_on_construct_scores_sums_to_the_inner_r_squared() {
    let doc = built_in(Lang::En, 3000, |_| {});
    let r = &doc.report;
    let k = r.key_drivers.as_ref().unwrap();
    let a = k.relative_importance.as_ref().unwrap();
    // The drivers are Satisfaction's predecessors in the ECSI model, and on
    // the PLS scores their R² is the inner model's R² of Satisfaction.
    let mut names: Vec<&str> = a.drivers.iter().map(|d| d.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Expectation", "Image", "Quality", "Value"]);
    let r2 = r.fit.r_squared(Construct::Satisfaction).unwrap();
    assert!((a.r_squared - r2).abs() < 1e-10, "{} vs {r2}", a.r_squared);
    let sum: f64 = a.drivers.iter().map(|d| d.shapley).sum();
    assert!((sum - r2).abs() < 1e-10);
    // Both rankings: permutations of 1..=4, the PLS one by the IPMA importance.
    let mut s: Vec<usize> = k.comparison.iter().map(|c| c.shapley_rank).collect();
    s.sort();
    assert_eq!(s, [1, 2, 3, 4]);
    let mut by_effect = k.comparison.clone();
    by_effect.sort_by(|x, y| y.total_effect.unwrap().total_cmp(&x.total_effect.unwrap()));
    for (i, c) in by_effect.iter().enumerate() {
        assert_eq!(c.total_effect_rank, Some(i + 1));
        let ipma = r
            .ipma
            .constructs
            .iter()
            .find(|x| x.name.name() == c.driver)
            .unwrap();
        assert_eq!(c.total_effect, Some(ipma.importance));
    }
    assert_eq!(
        k.top_driver_agrees,
        Some(by_effect[0].driver == k.comparison[0].driver)
    );
    // The JSON gains the key; the old keys stay.
    let v: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
    for key in ["index", "ipma", "fix_first", "segments", "periods", "data"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let kd = &v["key_drivers"];
    assert_eq!(kd["dissatisfied_at"], 50.0);
    assert!(
        kd["relative_importance"]["drivers"]
            .as_array()
            .unwrap()
            .len()
            == 4
    );
    assert!(kd["dissatisfied"]["segments"].as_array().unwrap().len() == 7);
    // Turned off: no key, no section, no chart.
    let off = built_in(Lang::En, 600, |r| r.key_drivers = false);
    assert!(off.report.key_drivers.is_none());
    assert!(!off.to_json().contains("\"key_drivers\""));
    assert!(
        !off.report
            .to_markdown()
            .contains("Relative importance beside")
    );
    assert!(
        !off.report
            .charts()
            .iter()
            .any(|c| c.file == "relative_importance.svg")
    );
}

#[test]
fn the_dissatisfied_are_counted_from_the_index_scores_and_the_weak_region_found() {
    let doc = built_in(Lang::Zh, 6000, |r| r.dissatisfied_at = 55.0);
    let r = &doc.report;
    let p = r
        .key_drivers
        .as_ref()
        .unwrap()
        .dissatisfied
        .as_ref()
        .unwrap();
    // Independent count: per-respondent Satisfaction index scores ≤ 55.
    let survey = BuiltinSurvey {
        respondents: 6000,
        months: 3,
        seed: 11,
    };
    let (data, _, _) = survey.simulate().unwrap();
    let scores = r.fit.scores(&data).unwrap();
    let sat = scores.column("Satisfaction").unwrap();
    let d = sat.iter().filter(|&&x| x <= 55.0).count();
    assert_eq!((p.n, p.dissatisfied), (sat.len(), d));
    assert!((p.dissatisfied_rate - d as f64 / sat.len() as f64).abs() < 1e-15);
    // The simulator lowers quality in the south (truth: −0.20 latent SD):
    // the south is the most over-represented region, significant after BH.
    let south = p
        .segments
        .iter()
        .find(|s| s.column == "region" && s.level == "south")
        .unwrap();
    assert!(south.lift > 1.1 && south.p_bh < 0.01, "{south:?}");
    let regions: Vec<_> = p.segments.iter().filter(|s| s.column == "region").collect();
    assert_eq!(regions[0].level, "south");
    // The lift is the share among the dissatisfied over the base rate.
    assert!((south.lift - south.share / south.base_rate).abs() < 1e-12);
    // The dissatisfied have lower driver indices.
    assert!(p.drivers.iter().all(|g| g.difference < 0.0));
    // The Chinese report names it, in Chinese, on the first page too.
    let md = r.to_markdown();
    let first = &md[..md.find("## 数据与模型").unwrap()];
    assert!(
        first.contains("不满客户中最突出的分群：地区 = south"),
        "{first}"
    );
    assert!(md.contains("### 相对重要性与 PLS 影响力对比"));
    assert!(md.contains("**不满客户的分群构成**"));
    assert!(!md.contains("Relative importance") && !md.contains("Dissatisfied"));
}

#[test]
fn the_new_catalogs_have_both_languages_with_the_same_placeholders() {
    use csikit::audit::AuditText;
    use csikit::csi::index::IndexText;
    use csikit::i18n::{is_wide, placeholders};
    let pairs: Vec<(&str, &str)> = AuditText::ALL
        .iter()
        .map(|k| (k.text(Lang::En), k.text(Lang::Zh)))
        .chain(
            IndexText::ALL
                .iter()
                .map(|k| (k.text(Lang::En), k.text(Lang::Zh))),
        )
        .collect();
    assert_eq!(pairs.len(), 10);
    for (en, zh) in pairs {
        assert_eq!(placeholders(en), placeholders(zh), "{en}");
        assert!(!en.chars().any(is_wide), "{en}");
        assert!(zh.chars().any(is_wide), "{zh}");
    }
}
