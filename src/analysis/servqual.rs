//! The `servqual` task: SERVQUAL gaps, weighted score, SERVPERF and the zone
//! of tolerance (Parasuraman, Zeithaml & Berry 1988, 1994), overall and per
//! segment, with gap charts.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::audit::{DataAudit, apply_codebook};
use super::page::{Page, Section, Table, audit_lines, number};
use super::{Chart, Observer};
use crate::codebook::Codebook;
use crate::csi::Scale;
use crate::i18n::{Common, Labels, Lang};
use crate::servqual::text::{Text, dimension};
use crate::servqual::{
    Columns, Instrument, Priority, PriorityBasis, SegmentedReport, ServqualOptions, ServqualReport,
    Simulation, WeightPolicy, analyze, analyze_by, gap_chart_in, simulate,
};
use crate::{Dataset, Result};

/// What to compute in a `servqual` run; in JSON a missing field takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServqualRequest {
    /// Items to reverse-score (negatively worded, 1988 version), as item
    /// numbers or ranges, e.g. `["10-13", "18-22"]`.
    pub reverse: Vec<String>,
    /// Answer scale (default 1–7).
    pub scale: Scale,
    /// Also report every segment of this column.
    pub segment: Option<String>,
    /// The codebook: missing codes (e.g. 98;99 → missing), declared scales
    /// (checked), reverse items.
    pub codebook: Option<Codebook>,
    /// A custom instrument: its dimensions in order, each with its item ids
    /// (default `None`: the standard 22 items in five dimensions).
    pub dimensions: Option<Vec<ServqualDimension>>,
    /// Column-name prefixes of the answer sources (default `P`, `E`, `A`,
    /// `D`, `W_`; `null` ignores a source).
    pub columns: Columns,
    /// Importance points that do not sum to 100: `normalize` (default),
    /// `exclude` or `strict`.
    pub weight_policy: WeightPolicy,
    /// How far (in points) a sum may be from 100 and still count as 100
    /// (default 0.5).
    pub weight_tolerance: f64,
    /// The language of the report and charts: `en` (default) or `zh`.
    pub lang: Lang,
}

/// A dimension of a custom SERVQUAL instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServqualDimension {
    /// The dimension's name (importance column `<weight prefix><name>`).
    pub name: String,
    /// Its item ids (answer columns `<source prefix><id>`).
    pub items: Vec<String>,
}

impl Default for ServqualRequest {
    fn default() -> Self {
        ServqualRequest {
            reverse: Vec::new(),
            scale: Scale::new(1.0, 7.0),
            segment: None,
            codebook: None,
            dimensions: None,
            columns: Columns::default(),
            weight_policy: WeightPolicy::Normalize,
            weight_tolerance: 0.5,
            lang: Lang::En,
        }
    }
}

impl ServqualRequest {
    /// The instrument: the custom dimensions, or the standard 22 items.
    ///
    /// # Errors
    /// The errors of [`Instrument::custom`].
    pub fn instrument(&self) -> Result<Instrument> {
        match &self.dimensions {
            None => Ok(Instrument::standard()),
            Some(dims) => {
                let names: Vec<&str> = dims.iter().map(|d| d.name.as_str()).collect();
                let items: Vec<(&str, &str)> = dims
                    .iter()
                    .flat_map(|d| d.items.iter().map(|i| (i.as_str(), d.name.as_str())))
                    .collect();
                Instrument::custom(&names, &items)
            }
        }
    }
}

/// The analysis of a `servqual` run.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ServqualResult {
    /// The whole sample.
    Overall(ServqualReport),
    /// The whole sample (its keys at the top level) and every segment.
    Segmented(SegmentedReport),
}

/// The result of a `servqual` run: the analysis (its keys at the top level
/// of the JSON) and the data audit (`data`).
#[derive(Debug, Clone, Serialize)]
pub struct ServqualDocument {
    /// The analysis.
    #[serde(flatten)]
    pub result: ServqualResult,
    /// What happened to the data: rows read, codes recoded by the codebook.
    pub data: DataAudit,
    /// The language of the report and charts (not in the JSON).
    #[serde(skip)]
    pub lang: Lang,
    /// The codebook whose labels word the items (not in the JSON).
    #[serde(skip)]
    pub codebook: Option<Codebook>,
    /// The perception column prefix (items are looked up in the codebook
    /// as `<prefix><id>`, then as `<id>`).
    #[serde(skip)]
    pub perception_prefix: String,
}

impl ServqualDocument {
    /// The JSON document, pretty-printed (DESIGN.md §4).
    pub fn to_json(&self) -> String {
        super::pretty(self)
    }

    /// The gap charts in the report language: the whole sample, then one
    /// per segment.
    pub fn charts(&self) -> Vec<Chart> {
        let lang = self.lang;
        let overall = Chart::new(
            ["servqual_gaps"],
            Text::ChartCaption.text(lang),
            gap_chart_in(self.overall(), lang, None),
        );
        match &self.result {
            ServqualResult::Overall(_) => vec![overall],
            ServqualResult::Segmented(s) => std::iter::once(overall)
                .chain(s.segments.iter().map(|seg| {
                    let title = Text::ChartTitleSegment.fill(
                        lang,
                        &[
                            ("column", s.segment_column.clone()),
                            ("value", seg.label.clone()),
                        ],
                    );
                    Chart::new(
                        ["servqual_gaps", &s.segment_column, &seg.label],
                        &title,
                        gap_chart_in(&seg.report, lang, Some(&title)),
                    )
                }))
                .collect(),
        }
    }

    /// The wording of item `id` (number `item`): the codebook's label of
    /// its perception column or of the id, else "item N".
    fn item_label(&self, labels: &Labels<'_>, item: usize, id: &str) -> String {
        let column = format!("{}{id}", self.perception_prefix);
        for code in [column.as_str(), id] {
            let label = labels.item(code);
            if label != code {
                return label;
            }
        }
        Text::ItemN.fill(self.lang, &[("n", item.to_string())])
    }

    fn priority_name(&self, labels: &Labels<'_>, p: &Priority) -> String {
        match p.item {
            Some(i) => {
                let id = self
                    .overall()
                    .items
                    .iter()
                    .find(|it| it.item == i)
                    .map_or_else(|| p.name.clone(), |it| it.id.clone());
                self.item_label(labels, i, &id)
            }
            None => dimension(&p.name, self.lang),
        }
    }

    /// The sections of one report (whole sample or a segment).
    fn report_sections(&self, r: &ServqualReport, labels: &Labels<'_>) -> Vec<Section> {
        let lang = self.lang;
        let t = |k: Text| k.text(lang).to_string();
        let s = &r.sources;
        let mut out = Vec::new();

        let mut dims = Section::new(t(Text::DimensionsHeading));
        dims.text.push(t(Text::DimensionsNote));
        let mut header = vec![t(Text::Dimension), t(Text::Items)];
        if s.expectation {
            header.push(t(Text::ExpectationH));
        }
        header.push(t(Text::PerceptionH));
        if s.expectation {
            header.push(t(Text::Gap));
        }
        header.push(t(Text::N));
        if s.weights {
            header.push(t(Text::Weight));
        }
        if s.adequate {
            header.push(t(Text::Msa));
        }
        if s.desired {
            header.push(t(Text::Mss));
        }
        if s.adequate && s.desired {
            header.push(t(Text::Width));
        }
        header.push(t(Text::AlphaP));
        if s.expectation {
            header.extend([t(Text::AlphaE), t(Text::AlphaGap)]);
        }
        let rows = r
            .dimensions
            .iter()
            .map(|d| {
                let mut row = vec![dimension(&d.name, lang), d.items.to_string()];
                if s.expectation {
                    row.push(number(d.expectation, 2, lang));
                }
                row.push(number(d.perception, 2, lang));
                if s.expectation {
                    row.push(number(d.gap, 2, lang));
                }
                row.push(
                    if s.expectation {
                        d.n_gap
                    } else {
                        d.n_perception
                    }
                    .to_string(),
                );
                if s.weights {
                    row.push(number(d.weight, 3, lang));
                }
                if s.adequate {
                    row.push(number(d.msa, 2, lang));
                }
                if s.desired {
                    row.push(number(d.mss, 2, lang));
                }
                if s.adequate && s.desired {
                    row.push(number(d.tolerance_width, 2, lang));
                }
                row.push(number(d.alpha.perception, 3, lang));
                if s.expectation {
                    row.push(number(d.alpha.expectation, 3, lang));
                    row.push(number(d.alpha.gap, 3, lang));
                }
                row
            })
            .collect();
        dims.tables.push(Table {
            title: t(Text::DimensionsHeading),
            header,
            rows,
        });
        out.push(dims);

        let mut scores = Section::new(t(Text::ScoresHeading));
        let c = &r.counts;
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut add = |k: Text, v: Option<f64>, n: Option<usize>| {
            rows.push(vec![
                t(k),
                number(v, 3, lang),
                n.map_or_else(String::new, |n| n.to_string()),
            ]);
        };
        if s.expectation {
            add(Text::Unweighted, r.unweighted, Some(c.unweighted));
            add(
                Text::UnweightedItems,
                r.unweighted_items,
                Some(c.unweighted_items),
            );
            if s.weights {
                add(Text::Weighted, r.weighted, Some(c.weighted));
            }
        }
        add(Text::Servperf, r.servperf, Some(c.servperf));
        add(
            Text::ServperfItems,
            r.servperf_items,
            Some(c.servperf_items),
        );
        if s.weights {
            add(Text::ServperfWeighted, r.servperf_weighted, None);
        }
        if s.adequate {
            add(Text::MsaTotal, r.msa, None);
        }
        if s.desired {
            add(Text::MssTotal, r.mss, None);
        }
        scores.tables.push(Table {
            title: t(Text::ScoresHeading),
            header: vec![t(Text::Measure), t(Text::Value), t(Text::N)],
            rows,
        });
        if let Some(z) = &r.zone {
            let total = (z.below + z.within + z.above).max(1) as f64;
            let pct = |c: usize| format!("{:.1}", 100.0 * c as f64 / total);
            scores.text.push(Text::ZoneNote.fill(
                lang,
                &[
                    ("below", z.below.to_string()),
                    ("pb", pct(z.below)),
                    ("within", z.within.to_string()),
                    ("pw", pct(z.within)),
                    ("above", z.above.to_string()),
                    ("pa", pct(z.above)),
                ],
            ));
            if z.inverted > 0 {
                scores
                    .text
                    .push(Text::Inverted.fill(lang, &[("n", z.inverted.to_string())]));
            }
        }
        let left_out = r.n.saturating_sub(if s.expectation {
            c.unweighted
        } else {
            c.servperf
        });
        if left_out > 0 {
            scores
                .text
                .push(Text::LeftOut.fill(lang, &[("n", left_out.to_string())]));
        }
        if s.weights && (c.weights_missing > 0 || c.weights_off > 0) {
            scores.text.push(Text::WeightsNote.fill(
                lang,
                &[
                    ("missing", c.weights_missing.to_string()),
                    ("off", c.weights_off.to_string()),
                    ("rescaled", c.weights_rescaled.to_string()),
                    ("excluded", c.weights_excluded.to_string()),
                ],
            ));
        }
        out.push(scores);

        let mut items = Section::new(t(Text::ItemsHeading));
        let mut header = vec![
            t(Text::ItemNumber),
            t(Text::ItemWording),
            t(Text::Dimension),
        ];
        if s.expectation {
            header.push(t(Text::ExpectationH));
        }
        header.push(t(Text::PerceptionH));
        if s.expectation {
            header.push(t(Text::Gap));
        }
        header.push(t(Text::N));
        if s.adequate {
            header.push(t(Text::Msa));
        }
        if s.desired {
            header.push(t(Text::Mss));
        }
        if s.adequate && s.desired {
            header.extend([t(Text::Width), t(Text::ZoneH)]);
        }
        let rows = r
            .items
            .iter()
            .map(|it| {
                let mut wording = self.item_label(labels, it.item, &it.id);
                if it.reversed {
                    wording = format!("{wording} ({})", t(Text::Reverse));
                }
                let mut row = vec![it.item.to_string(), wording, dimension(&it.dimension, lang)];
                if s.expectation {
                    row.push(number(it.expectation, 2, lang));
                }
                row.push(number(it.perception, 2, lang));
                if s.expectation {
                    row.push(number(it.gap, 2, lang));
                }
                row.push(
                    if s.expectation {
                        it.n_gap
                    } else {
                        it.n_perception
                    }
                    .to_string(),
                );
                if s.adequate {
                    row.push(number(it.msa, 2, lang));
                }
                if s.desired {
                    row.push(number(it.mss, 2, lang));
                }
                if s.adequate && s.desired {
                    row.push(number(it.tolerance_width, 2, lang));
                    row.push(it.zone.map_or_else(
                        || number(None, 0, lang),
                        |z| format!("{} / {} / {}", z.below, z.within, z.above),
                    ));
                }
                row
            })
            .collect();
        items.tables.push(Table {
            title: t(Text::ItemsHeading),
            header,
            rows,
        });
        out.push(items);

        let pr = &r.priorities;
        if let Some(basis) = pr.basis {
            let mut sec = Section::new(t(Text::PrioritiesHeading));
            let against = match basis {
                PriorityBasis::Expectation => Text::AgainstExpectation,
                PriorityBasis::Desired => Text::AgainstDesired,
            };
            let weight = if pr.importance_weighted {
                Text::WeightImportance
            } else {
                Text::WeightEqual
            };
            sec.text.push(
                Text::PrioritiesRule.fill(lang, &[("against", t(against)), ("weight", t(weight))]),
            );
            let header = vec![
                t(Text::Rank),
                Common::Item.text(lang).to_string(),
                t(Text::Dimension),
                t(Text::Weight),
                t(Text::Shortfall),
                t(Text::Score),
            ];
            let rows = |list: &[Priority], limit: usize| -> Vec<Vec<String>> {
                list.iter()
                    .take(limit)
                    .map(|p| {
                        vec![
                            p.rank.to_string(),
                            self.priority_name(labels, p),
                            dimension(&p.dimension, lang),
                            format!("{:.3}", p.weight),
                            format!("{:.3}", p.shortfall),
                            format!("{:.3}", p.score),
                        ]
                    })
                    .collect()
            };
            sec.tables.push(Table {
                title: t(Text::DimensionsHeading),
                header: header.clone(),
                rows: rows(&pr.dimensions, pr.dimensions.len()),
            });
            sec.tables.push(Table {
                title: t(Text::TopItems),
                header,
                rows: rows(&pr.items, 5),
            });
            out.push(sec);
        }
        out
    }

    /// The report page (Markdown and HTML) in the request's language: a
    /// summary (scores and what to fix first), the dimension, score, item
    /// and priority tables, the segment comparison and the gap charts.
    /// Items are worded by the codebook's labels.
    pub fn page(&self) -> Page {
        let lang = self.lang;
        let labels = Labels::new(self.codebook.as_ref(), lang);
        let r = self.overall();
        let mut page = Page::new(lang, Text::Title.text(lang));
        page.summary.extend(audit_lines(&self.data, lang));
        let s = &r.sources;
        let mut found = vec!["P"];
        for (on, name) in [
            (s.expectation, "E"),
            (s.adequate, "A"),
            (s.desired, "D"),
            (s.weights, "W"),
        ] {
            if on {
                found.push(name);
            }
        }
        page.summary.push(Text::Respondents.fill(
            lang,
            &[
                ("n", r.n.to_string()),
                ("min", r.scale.min().to_string()),
                ("max", r.scale.max().to_string()),
                ("sources", found.join(" ")),
            ],
        ));
        if s.expectation {
            page.summary
                .push(Text::SummaryGap.fill(lang, &[("v", number(r.unweighted, 3, lang))]));
            if s.weights {
                page.summary
                    .push(Text::SummaryWeighted.fill(lang, &[("v", number(r.weighted, 3, lang))]));
            }
        }
        page.summary
            .push(Text::SummaryServperf.fill(lang, &[("v", number(r.servperf, 3, lang))]));
        if let Some(p) = r.priorities.dimensions.first() {
            page.summary.push(Text::SummaryTopDimension.fill(
                lang,
                &[
                    ("name", self.priority_name(&labels, p)),
                    ("v", format!("{:.3}", p.score)),
                ],
            ));
        }
        if let Some(p) = r.priorities.items.first() {
            page.summary.push(Text::SummaryTopItem.fill(
                lang,
                &[
                    ("name", self.priority_name(&labels, p)),
                    ("v", format!("{:.3}", p.score)),
                ],
            ));
        }
        if !r.reversed.is_empty() {
            page.summary
                .push(Text::Reversed.fill(lang, &[("items", r.reversed.join(lang.list_sep()))]));
        }
        let charts = self.charts();
        let mut chart_ids = Vec::new();
        for c in charts {
            chart_ids.push(page.add_chart(c));
        }
        let mut first = self.report_sections(r, &labels);
        if let Some(sec) = first.first_mut() {
            sec.charts.push(chart_ids[0]);
        }
        page.sections.extend(first);
        if let ServqualResult::Segmented(seg) = &self.result {
            let mut sec = Section::new(
                Text::SegmentsHeading.fill(lang, &[("column", seg.segment_column.clone())]),
            );
            sec.text.push(Text::SegmentsNote.fill(
                lang,
                &[
                    ("n", seg.segments.len().to_string()),
                    ("unlabelled", seg.unlabelled.to_string()),
                ],
            ));
            let what = if s.expectation {
                Text::Gap
            } else {
                Text::PerceptionH
            };
            let mut header = vec![
                format!("{} ({})", Text::Dimension.text(lang), what.text(lang)),
                Text::WholeSample.text(lang).to_string(),
            ];
            header.extend(seg.segments.iter().map(|g| g.label.clone()));
            let pick = |rep: &ServqualReport, d: usize| {
                let dim = &rep.dimensions[d];
                number(
                    if s.expectation {
                        dim.gap
                    } else {
                        dim.perception
                    },
                    2,
                    lang,
                )
            };
            let mut rows: Vec<Vec<String>> = r
                .dimensions
                .iter()
                .enumerate()
                .map(|(d, dim)| {
                    let mut row = vec![dimension(&dim.name, lang), pick(r, d)];
                    row.extend(seg.segments.iter().map(|g| pick(&g.report, d)));
                    row
                })
                .collect();
            let mut n_row = vec![Text::N.text(lang).to_string(), r.n.to_string()];
            n_row.extend(seg.segments.iter().map(|g| g.report.n.to_string()));
            rows.push(n_row);
            sec.tables.push(Table {
                title: sec.heading.clone(),
                header,
                rows,
            });
            sec.charts.extend(chart_ids.iter().skip(1).copied());
            page.sections.push(sec);
        }
        page
    }
    /// The whole sample's report.
    pub fn overall(&self) -> &ServqualReport {
        match &self.result {
            ServqualResult::Overall(r) => r,
            ServqualResult::Segmented(s) => &s.overall,
        }
    }
}

impl fmt::Display for ServqualDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.data.lines() {
            writeln!(f, "{line}")?;
        }
        writeln!(f)?;
        match &self.result {
            ServqualResult::Overall(r) => write!(f, "{r}"),
            ServqualResult::Segmented(s) => write!(f, "{s}"),
        }
    }
}

/// The built-in example data (simulated answers to the 22-item instrument)
/// and a line describing them.
pub fn builtin(seed: u64) -> Result<(Dataset, String)> {
    let sim = Simulation {
        seed,
        ..Simulation::default()
    };
    let data = simulate(&sim)?;
    Ok((
        data,
        format!(
            "no --data given: using built-in simulated data ({} respondents, seed {}; see --help)",
            sim.n, sim.seed
        ),
    ))
}

/// Analyses the instrument (standard or the request's) as the request asks.
pub fn run(
    data: &Dataset,
    request: &ServqualRequest,
    _observer: &Observer,
) -> Result<ServqualDocument> {
    let instrument = request.instrument()?;
    let mut reverse = Vec::new();
    for spec in &request.reverse {
        // Checked against the instrument before a range is expanded.
        reverse.extend(instrument.parse_items(spec)?);
    }
    let scale = crate::servqual::Scale::new(request.scale.min, request.scale.max)?;
    let options = ServqualOptions::default()
        .scale(scale)
        .reverse(&reverse)
        .columns(request.columns.clone())
        .weight_policy(request.weight_policy)
        .weight_tolerance(request.weight_tolerance);
    let (data, recoding) = apply_codebook(data, request.codebook.as_ref())?;
    let result = match &request.segment {
        None => ServqualResult::Overall(analyze(&data, &instrument, &options)?),
        Some(column) => {
            ServqualResult::Segmented(analyze_by(&data, column, &instrument, &options)?)
        }
    };
    let mut audit = DataAudit::of(&data);
    audit.recoding = recoding;
    let n = match &result {
        ServqualResult::Overall(r) => r.n,
        ServqualResult::Segmented(s) => s.overall.n,
    };
    audit.rows_used = n;
    if n < data.n_rows() {
        audit.drop("no_usable_answers", data.n_rows() - n);
    }
    Ok(ServqualDocument {
        result,
        data: audit.finish(),
        lang: request.lang,
        codebook: request.codebook.clone(),
        perception_prefix: request.columns.perception.clone(),
    })
}
