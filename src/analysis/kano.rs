//! The `kano` task: KANO classification with Better/Worse coefficients, the
//! Fong test and DuMouchel's continuous analysis (Kano et al. 1984; Berger
//! et al. 1993), overall and per segment, with two charts.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::audit::{DataAudit, apply_codebook};
use super::page::{Page, Section, Table, audit_lines, number};
use super::{Chart, Observer};
use crate::codebook::Codebook;
use crate::i18n::{Labels, Lang};
use crate::kano::text::{Text, category};
use crate::kano::{
    self, Category, EvaluationTable, KanoOptions, KanoReport, SegmentedReport, better_worse_svg_in,
    continuous_svg_in,
};
use crate::{Dataset, ReadReport, Result};

/// What to compute in a `kano` run; in JSON a missing field takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KanoRequest {
    /// The data hold aggregate counts (`feature,M,O,A,I,R,Q`), not answers.
    pub counts: bool,
    /// Category-strength threshold of the M > O > A > I rule (default 0.06).
    pub threshold: f64,
    /// Also analyse each value of this column separately.
    pub segment: Option<String>,
    /// Drop respondents with more than this many questionable answers.
    pub max_questionable: Option<usize>,
    /// Weight the continuous means by self-stated importance (`F_i`).
    pub weighted: bool,
    /// Answers use the 3-answer short form (1 like, 2 neutral, 3 dislike).
    pub short: bool,
    /// A custom evaluation table, five rows of five letters.
    pub table: Option<String>,
    /// The codebook: missing codes of the answer columns become missing (the
    /// pair is skipped), labels.
    pub codebook: Option<Codebook>,
    /// The language of the report and charts: `en` (default) or `zh`.
    pub lang: Lang,
}

impl Default for KanoRequest {
    fn default() -> Self {
        KanoRequest {
            counts: false,
            threshold: 0.06,
            segment: None,
            max_questionable: None,
            weighted: false,
            short: false,
            table: None,
            codebook: None,
            lang: Lang::En,
        }
    }
}

impl KanoRequest {
    fn check(&self) -> Result<()> {
        let bad = |name: &str, message: &str| {
            Err(crate::Error::InvalidSetting {
                name: name.into(),
                message: message.into(),
            })
        };
        if self.counts && self.segment.is_some() {
            return bad("segment", "segments need answer-level data, not counts");
        }
        if self.short && self.table.is_some() {
            return bad(
                "table",
                "use either the short form or a custom table, not both",
            );
        }
        Ok(())
    }
}

/// The result of a `kano` run: the overall report (its keys at the top
/// level of the JSON) and the per-segment reports when asked for.
#[derive(Debug, Clone, Serialize)]
pub struct KanoDocument {
    /// The whole sample.
    #[serde(flatten)]
    pub report: KanoReport,
    /// Per segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<SegmentedReport>,
    /// A line on the data shown above the text report; not in the JSON.
    #[serde(skip)]
    pub intro: Option<String>,
    /// Where the data were read from ([`Dataset::source`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<ReadReport>,
    /// What happened to the data: rows read and used, respondents dropped,
    /// codes recoded.
    pub data: DataAudit,
    /// The language of the report and charts (not in the JSON).
    #[serde(skip)]
    pub lang: Lang,
    /// The codebook whose labels word the features (not in the JSON).
    #[serde(skip)]
    pub codebook: Option<Codebook>,
}

impl KanoDocument {
    /// The JSON document, pretty-printed (DESIGN.md §4).
    pub fn to_json(&self) -> String {
        super::pretty(self)
    }

    /// The charts: Better/Worse and (with answer-level data) the continuous
    /// diagram, overall and per segment.
    pub fn charts(&self) -> Vec<Chart> {
        let lang = self.lang;
        let labels = Labels::new(self.codebook.as_ref(), lang);
        let label = |f: &str| feature_label(&labels, f);
        let of = |report: &KanoReport, parts: &[&str], out: &mut Vec<Chart>| {
            let mut name = vec!["better_worse"];
            name.extend_from_slice(parts);
            out.push(Chart::new(
                name,
                Text::BetterWorseCaption.text(lang),
                better_worse_svg_in(report, lang, &label),
            ));
            if report.features.iter().any(|f| f.functional_mean.is_some()) {
                let mut name = vec!["continuous"];
                name.extend_from_slice(parts);
                out.push(Chart::new(
                    name,
                    Text::ContinuousCaption.text(lang),
                    continuous_svg_in(report, lang, &label),
                ));
            }
        };
        let mut out = Vec::new();
        of(&self.report, &[], &mut out);
        if let Some(s) = &self.segments {
            for seg in &s.segments {
                of(&seg.report, &[&s.column, &seg.segment], &mut out);
            }
        }
        out
    }

    /// The report page (Markdown and HTML) in the request's language: a
    /// summary (features per category, what to fix first), the feature
    /// table, the categories per segment and the charts. Features are
    /// worded by the codebook's labels.
    pub fn page(&self) -> Page {
        let lang = self.lang;
        let labels = Labels::new(self.codebook.as_ref(), lang);
        let t = |k: Text| k.text(lang).to_string();
        let r = &self.report;
        let mut page = Page::new(lang, t(Text::Title));
        page.summary.extend(audit_lines(&self.data, lang));
        let threshold = format!("{}", r.threshold);
        page.summary.push(match r.respondents {
            Some(n) => Text::Respondents.fill(
                lang,
                &[
                    ("n", n.to_string()),
                    ("k", r.features.len().to_string()),
                    ("t", threshold),
                ],
            ),
            None => Text::CountsOnly.fill(
                lang,
                &[("k", r.features.len().to_string()), ("t", threshold)],
            ),
        });
        if !r.dropped_respondents.is_empty() {
            page.summary
                .push(Text::Dropped.fill(lang, &[("n", r.dropped_respondents.len().to_string())]));
        }
        for c in Category::ALL {
            let names: Vec<String> = r
                .features
                .iter()
                .filter(|f| f.category_rule == Some(c))
                .map(|f| feature_label(&labels, &f.feature))
                .collect();
            if !names.is_empty() {
                page.summary.push(Text::CategoryList.fill(
                    lang,
                    &[
                        ("category", category(c, lang)),
                        ("list", names.join(lang.list_sep())),
                    ],
                ));
            }
        }
        let mut must: Vec<_> = r
            .features
            .iter()
            .filter(|f| f.category_rule == Some(Category::M))
            .filter_map(|f| f.worse.map(|w| (w.abs(), f)))
            .collect();
        must.sort_by(|a, b| b.0.total_cmp(&a.0));
        if !must.is_empty() {
            let list: Vec<String> = must
                .iter()
                .take(3)
                .map(|(w, f)| format!("{} {w:.2}", feature_label(&labels, &f.feature)))
                .collect();
            page.summary
                .push(Text::FixFirst.fill(lang, &[("list", list.join(lang.list_sep()))]));
        }
        let charts = self.charts();
        let n_whole = if r.features.iter().any(|f| f.functional_mean.is_some()) {
            2
        } else {
            1
        };
        let ids: Vec<usize> = charts.into_iter().map(|c| page.add_chart(c)).collect();

        let mut sec = Section::new(t(Text::FeaturesHeading));
        sec.text.push(t(Text::FeaturesNote));
        sec.charts.extend(ids.iter().take(n_whole).copied());
        sec.tables.push(Table {
            title: t(Text::FeaturesHeading),
            header: feature_header(lang),
            rows: r
                .features
                .iter()
                .map(|f| {
                    let c = &f.counts;
                    let cat = |c: Option<Category>| {
                        c.map_or_else(|| number(None, 0, lang), |c| category(c, lang))
                    };
                    vec![
                        feature_label(&labels, &f.feature),
                        f.n.to_string(),
                        c.a.to_string(),
                        c.o.to_string(),
                        c.m.to_string(),
                        c.i.to_string(),
                        c.r.to_string(),
                        c.q.to_string(),
                        cat(f.category),
                        cat(f.category_rule),
                        number(f.better, 2, lang),
                        number(f.worse, 2, lang),
                        number(f.category_strength, 2, lang),
                        f.fong.map_or_else(
                            || number(None, 0, lang),
                            |x| {
                                format!(
                                    "{}/{:.2}{}",
                                    x.difference,
                                    x.critical,
                                    if x.significant { " *" } else { "" }
                                )
                            },
                        ),
                        number(f.functional_mean, 2, lang),
                        number(f.dysfunctional_mean, 2, lang),
                        number(f.importance_mean, 2, lang),
                    ]
                })
                .collect(),
        });
        page.sections.push(sec);

        if let Some(s) = &self.segments {
            let mut sec =
                Section::new(Text::SegmentsHeading.fill(lang, &[("column", s.column.clone())]));
            sec.text
                .push(Text::SegmentsNote.fill(lang, &[("n", s.missing_segment.to_string())]));
            let mut header = vec![t(Text::Feature), t(Text::WholeSample)];
            header.extend(s.segments.iter().map(|g| g.segment.clone()));
            let mut rows: Vec<Vec<String>> = r
                .features
                .iter()
                .map(|f| {
                    let cat = |rep: &KanoReport| {
                        rep.feature(&f.feature)
                            .and_then(|x| x.category_rule)
                            .map_or_else(|| number(None, 0, lang), |c| category(c, lang))
                    };
                    let mut row = vec![feature_label(&labels, &f.feature), cat(r)];
                    row.extend(s.segments.iter().map(|g| cat(&g.report)));
                    row
                })
                .collect();
            let mut n_row = vec![
                t(Text::N),
                r.respondents.map_or_else(String::new, |n| n.to_string()),
            ];
            n_row.extend(s.segments.iter().map(|g| g.respondents.to_string()));
            rows.push(n_row);
            sec.tables.push(Table {
                title: sec.heading.clone(),
                header,
                rows,
            });
            sec.charts.extend(ids.iter().skip(n_whole).copied());
            page.sections.push(sec);
        }
        page
    }
}

impl fmt::Display for KanoDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(intro) = &self.intro {
            write!(f, "{intro}")?;
        }
        for line in self.data.lines() {
            writeln!(f, "{line}")?;
        }
        writeln!(f)?;
        if let Some(input) = &self.input {
            writeln!(f, "Data: {input}\n")?;
        }
        writeln!(f, "{}", self.report)?;
        if let Some(s) = &self.segments {
            writeln!(f, "\nBy segment `{}`:\n", s.column)?;
            writeln!(f, "{s}")?;
        }
        Ok(())
    }
}

/// The built-in example: simulated answers of a mobile-banking survey
/// (features of known categories), and the lines introducing them.
pub fn builtin(respondents: usize, seed: u64) -> Result<(Dataset, String)> {
    let features = kano::example_features();
    let data = kano::simulate(&features, respondents, seed)?;
    let intended: Vec<String> = features
        .iter()
        .map(|f| format!("{} {}", f.name, f.intended().map_or("-", |c| c.letter())))
        .collect();
    let intro = format!(
        "No --data given: built-in simulated mobile-banking survey ({respondents} respondents, seed {seed}).\n\
         Intended categories: {}.\n\n",
        intended.join(", ")
    );
    Ok((data, intro))
}

/// The wording of the built-in survey's features in Chinese and English (a
/// codebook on their functional-question columns `FEATURE_f`), used by
/// `csikit kano` without `--data` unless a codebook is given, so that the
/// report shows features by their wording rather than their codes.
pub fn builtin_codebook() -> Codebook {
    Codebook::parse_csv(
        "item,label,label_en\n\
         secure_login_f,安全登录（指纹/人脸识别）,Secure login with fingerprint or face\n\
         instant_transfer_f,实时到账转账,Instant transfers arriving in seconds\n\
         budget_insights_f,消费分析与预算提醒,Spending insights and budget alerts\n\
         cashback_offers_f,返现优惠活动,Cashback offers\n\
         fee_transparency_f,费用透明（资费清晰可查）,Transparent fees\n\
         paper_statements_f,纸质对账单,Paper statements\n\
         push_advertising_f,推送广告消息,Push advertising\n\
         chat_support_f,在线客服聊天,Chat support\n",
    )
    .expect("the built-in KANO codebook parses")
}

/// Classifies the features as the request asks.
pub fn run(data: &Dataset, request: &KanoRequest, _observer: &Observer) -> Result<KanoDocument> {
    request.check()?;
    let table = match (&request.table, request.short) {
        (Some(t), _) => EvaluationTable::parse(t)?,
        (None, true) => EvaluationTable::short_form(),
        (None, false) => EvaluationTable::standard(),
    };
    let mut options = KanoOptions::default()
        .threshold(request.threshold)
        .weight_by_importance(request.weighted)
        .table(table);
    options.max_questionable = request.max_questionable;
    let (data, recoding) = apply_codebook(data, request.codebook.as_ref())?;
    let data = data.as_ref();
    let report = if request.counts {
        kano::from_counts(data, &options)
    } else {
        kano::analyze(data, &options)
    }?;
    let segments = match &request.segment {
        Some(col) => Some(kano::analyze_by(data, col, &options)?),
        None => None,
    };
    let mut audit = DataAudit::of(data);
    audit.recoding = recoding;
    if !report.dropped_respondents.is_empty() {
        audit.drop("too_many_questionable", report.dropped_respondents.len());
        audit.rows_used -= report.dropped_respondents.len().min(audit.rows_used);
    }
    Ok(KanoDocument {
        report,
        segments,
        intro: None,
        input: data.source().cloned(),
        data: audit.finish(),
        lang: request.lang,
        codebook: request.codebook.clone(),
    })
}

/// The wording of a feature: the codebook's label of the feature, else of
/// its functional column (`F_f`), else the feature's name.
fn feature_label(labels: &Labels<'_>, feature: &str) -> String {
    let label = labels.item(feature);
    if label != feature {
        return label;
    }
    let column = format!("{feature}_f");
    let label = labels.item(&column);
    if label != column {
        label
    } else {
        feature.to_string()
    }
}

/// The headers of the feature table.
fn feature_header(lang: Lang) -> Vec<String> {
    let t = |k: Text| k.text(lang).to_string();
    let mut h = vec![t(Text::Feature), t(Text::N)];
    h.extend(Category::ALL.iter().map(|c| c.letter().to_string()));
    h.extend([
        t(Text::Category),
        t(Text::RuleCategory),
        "Better".to_string(),
        "Worse".to_string(),
        t(Text::Strength),
        t(Text::Fong),
        t(Text::FunctionalMean),
        t(Text::DysfunctionalMean),
        t(Text::Importance),
    ]);
    h
}
