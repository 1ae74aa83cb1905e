//! The `scorecard` task: a touchpoint scorecard (即评) of one score column
//! per group (`by` columns) and period — n, mean, satisfied share (满意率),
//! dissatisfied share (不满率) with Wilson (1927) intervals, NPS on 0–10
//! with the NPS variance-formula interval, and tests of the change against
//! the previous period (环比) and the same period a year earlier (同比)
//! ([`crate::monitor::scorecard`] has the formulas). Groups with fewer than
//! `min_n` answers are not scored; they are counted and listed.
//!
//! Periods are read with the crate's period parser (`2025年3月`, `202503`,
//! `2025-03` are one month) and ordered chronologically.
//!
//! ```
//! use csikit::analysis::scorecard::{self, ScorecardRequest};
//! use csikit::{Dataset, ReadOptions};
//! let csv = "score,channel\n10,app\n9,app\n3,app\n8,hall\n";
//! let data = Dataset::from_reader(csv.as_bytes(), &ReadOptions::default())?;
//! let request: ScorecardRequest = serde_json::from_str(
//!     r#"{"score": "score", "by": ["channel"], "scale": {"min": 0, "max": 10}, "min_n": 2}"#).unwrap();
//! let doc = scorecard::run(&data, &request)?;
//! assert_eq!(doc.groups.len(), 1);
//! assert_eq!(doc.groups[0].n, 3);
//! assert!((doc.groups[0].nps.unwrap() - 100.0 / 3.0).abs() < 1e-9);
//! assert_eq!(doc.skipped.len(), 1);
//! # Ok::<(), csikit::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::Chart;
use super::audit::{DataAudit, apply_codebook, resolve_scales};
use crate::codebook::Codebook;
use crate::csi::Scale;
use crate::group::{group_in_appearance_order, sort_keys};
use crate::i18n::{Lang, ScorecardText as T};
use crate::monitor::scorecard::{
    BoxCounts, Boxes, ChangeTest, NpsEstimate, nps, nps_difference_test, two_proportion_test,
    wilson,
};
use crate::period::{Period, parse_column};
use crate::stats::normal_quantile;
use crate::{Dataset, Error, ReadReport, Result};

/// What to compute in a `scorecard` run; in JSON a missing field takes its
/// default (`score` is required).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScorecardRequest {
    /// The score column.
    pub score: String,
    /// Group columns (touchpoint, channel, segment …); none = one group.
    pub by: Vec<String>,
    /// The period column (months, quarters, years or waves).
    pub period: Option<String>,
    /// The answer scale; default: the codebook's, else the observed range
    /// (stated in the audit). NPS needs 0–10.
    pub scale: Option<Scale>,
    /// Groups with fewer answers are not scored (default 30).
    pub min_n: usize,
    /// Confidence level of the intervals (default 0.95).
    pub confidence: f64,
    /// Significance level of the change tests (default 0.05).
    pub alpha: f64,
    /// Report language.
    pub lang: Lang,
    /// The codebook: missing codes of the score become missing, labels.
    pub codebook: Option<Codebook>,
}

impl Default for ScorecardRequest {
    fn default() -> Self {
        ScorecardRequest {
            score: String::new(),
            by: Vec::new(),
            period: None,
            scale: None,
            min_n: 30,
            confidence: 0.95,
            alpha: 0.05,
            lang: Lang::En,
            codebook: None,
        }
    }
}

impl ScorecardRequest {
    fn check(&self) -> Result<()> {
        let bad = |name: &str, message: String| {
            Err(Error::InvalidSetting {
                name: name.into(),
                message,
            })
        };
        if self.score.trim().is_empty() {
            return bad("score", "name the score column".into());
        }
        if self.min_n == 0 {
            return bad("min_n", "the minimum group size must be at least 1".into());
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return bad(
                "confidence",
                format!("{} is not a level between 0 and 1", self.confidence),
            );
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return bad(
                "alpha",
                format!("{} is not a level between 0 and 1", self.alpha),
            );
        }
        Ok(())
    }
}

/// The change of a group's statistics against an earlier period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodChange {
    /// The earlier period.
    pub period: String,
    /// Satisfied share: change (current − earlier), two-proportion z test.
    pub top_box: ChangeTest,
    /// Dissatisfied share: change and test.
    pub bottom_box: ChangeTest,
    /// NPS points: change and z test (null when NPS is undefined).
    pub nps: Option<ChangeTest>,
    /// Whether any of the three changes is significant at `alpha`.
    pub significant: bool,
}

/// One scored group (DESIGN.md §4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorecardGroup {
    /// The group's value of each `by` column.
    pub by: BTreeMap<String, String>,
    /// The period (canonical spelling), null without a period column.
    pub period: Option<String>,
    /// Answers.
    pub n: usize,
    /// Mean answer.
    pub mean: f64,
    /// Satisfied share (top box).
    pub top_box: f64,
    /// Wilson interval of `top_box`.
    pub top_box_ci_lower: f64,
    /// Wilson interval of `top_box`.
    pub top_box_ci_upper: f64,
    /// Dissatisfied share (bottom box).
    pub bottom_box: f64,
    /// Wilson interval of `bottom_box`.
    pub bottom_box_ci_lower: f64,
    /// Wilson interval of `bottom_box`.
    pub bottom_box_ci_upper: f64,
    /// NPS in points (null unless the scale is 0–10).
    pub nps: Option<f64>,
    /// Standard error of NPS.
    pub nps_se: Option<f64>,
    /// NPS interval.
    pub nps_ci_lower: Option<f64>,
    /// NPS interval.
    pub nps_ci_upper: Option<f64>,
    /// Against the previous period (环比), when it was scored.
    pub previous: Option<PeriodChange>,
    /// Against the same period a year earlier (同比), when it was scored.
    pub year_earlier: Option<PeriodChange>,
}

/// A group not scored: fewer answers than `min_n`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedGroup {
    /// The group's value of each `by` column.
    pub by: BTreeMap<String, String>,
    /// The period.
    pub period: Option<String>,
    /// Its answers.
    pub n: usize,
}

/// The result of a `scorecard` run.
#[derive(Debug, Clone, Serialize)]
pub struct ScorecardDocument {
    /// The score column.
    pub score: String,
    /// The answer scale used.
    pub scale: Scale,
    /// Whether NPS is computed (a 0–10 scale).
    pub nps_defined: bool,
    /// Answers at or above this are the satisfied share.
    pub top_box_from: f64,
    /// Answers at or below this are the dissatisfied share.
    pub bottom_box_to: f64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Significance level of the change tests.
    pub alpha: f64,
    /// The minimum group size.
    pub min_n: usize,
    /// Scored groups: by the `by` columns in level order, then periods chronologically.
    pub groups: Vec<ScorecardGroup>,
    /// Groups not scored (fewer than `min_n` answers).
    pub skipped: Vec<SkippedGroup>,
    /// Answers in the skipped groups.
    pub skipped_answers: usize,
    /// Where the data were read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<ReadReport>,
    /// What happened to the data.
    pub data: DataAudit,
    /// Report language (not in the JSON).
    #[serde(skip)]
    pub lang: Lang,
    /// The `by` columns (not in the JSON).
    #[serde(skip)]
    pub by_columns: Vec<String>,
}

/// A group key and its period.
type Cell = (Vec<String>, Option<Period>);
/// A scored cell: its counts and NPS.
type Scored = (BoxCounts, Option<NpsEstimate>);

fn change(cur: &Scored, old: &Scored, period: Period, alpha: f64) -> PeriodChange {
    let top = two_proportion_test(cur.0.top, cur.0.n, old.0.top, old.0.n);
    let bottom = two_proportion_test(cur.0.bottom, cur.0.n, old.0.bottom, old.0.n);
    let nps = match (&cur.1, &old.1) {
        (Some(a), Some(b)) => Some(nps_difference_test(a, b)),
        _ => None,
    };
    let significant = top.significant(alpha)
        || bottom.significant(alpha)
        || nps.is_some_and(|t| t.significant(alpha));
    PeriodChange {
        period: period.to_string(),
        top_box: top,
        bottom_box: bottom,
        nps,
        significant,
    }
}

/// Scores the groups as the request asks.
///
/// # Errors
/// [`Error::InvalidSetting`] for a bad request; [`Error::UnknownColumn`] for
/// a missing column; [`Error::OutOfScale`] for an answer outside a declared
/// scale (declare missing codes such as 98/99 with `--na` or the codebook);
/// [`Error::AllMissing`] for a score without answers when its scale has to
/// be observed; [`Error::InvalidPeriod`] / [`Error::MixedPeriods`] for a
/// period column that does not parse to one kind of period.
pub fn run(data: &Dataset, request: &ScorecardRequest) -> Result<ScorecardDocument> {
    request.check()?;
    let (data, recoding) = apply_codebook(data, request.codebook.as_ref())?;
    let data = data.as_ref();
    let mut audit = DataAudit::of(data);
    audit.recoding = recoding;
    let values = data.numeric(&request.score)?;
    let scales = resolve_scales(
        data,
        std::slice::from_ref(&request.score),
        request.codebook.as_ref(),
        request.scale,
        &[],
        &mut audit,
    )?;
    let scale = scales.get(&request.score)?;
    let boxes = Boxes::of(scale);
    let by_labels: Vec<Vec<Option<String>>> = request
        .by
        .iter()
        .map(|c| data.labels(c))
        .collect::<Result<_>>()?;
    // Periods: each distinct label parsed once, one kind for the column.
    let periods: Option<Vec<Option<Period>>> = match &request.period {
        None => None,
        Some(col) => {
            let labels = data.labels(col)?;
            let (groups, _) = group_in_appearance_order(&labels);
            let distinct: Vec<(&str, usize)> = groups
                .iter()
                .map(|g| (g.label.as_str(), g.rows[0] + 1))
                .collect();
            let parsed = parse_column(col, &distinct)?;
            let mut per_row = vec![None; labels.len()];
            for (g, p) in groups.iter().zip(parsed) {
                for &r in &g.rows {
                    per_row[r] = Some(p);
                }
            }
            Some(per_row)
        }
    };
    // One pass: rows into cells (by key, period).
    let mut cells: HashMap<Cell, Vec<f64>> = HashMap::new();
    let (mut no_score, mut no_group, mut no_period) = (0, 0, 0);
    for (row, &x) in values.iter().enumerate() {
        if x.is_nan() {
            no_score += 1;
            continue;
        }
        let key: Option<Vec<String>> = by_labels.iter().map(|l| l[row].clone()).collect();
        let Some(key) = key else {
            no_group += 1;
            continue;
        };
        let period = match &periods {
            None => None,
            Some(p) => match p[row] {
                Some(p) => Some(p),
                None => {
                    no_period += 1;
                    continue;
                }
            },
        };
        cells.entry((key, period)).or_default().push(x);
    }
    for (reason, n) in [
        ("missing_score", no_score),
        ("missing_group", no_group),
        ("missing_period", no_period),
    ] {
        if n > 0 {
            audit.drop(reason, n);
        }
    }
    audit.rows_used = audit.rows_read - audit.n_dropped();
    // Order: group keys in level order, then periods chronologically.
    let mut keys: Vec<Vec<String>> = cells.keys().map(|(k, _)| k.clone()).collect();
    keys.sort();
    keys.dedup();
    sort_keys(&mut keys);
    let rank: HashMap<&Vec<String>, usize> = keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut order: Vec<&Cell> = cells.keys().collect();
    order.sort_by(|a, b| rank[&a.0].cmp(&rank[&b.0]).then(a.1.cmp(&b.1)));

    let z = normal_quantile(0.5 + request.confidence / 2.0);
    let by_map = |key: &[String]| -> BTreeMap<String, String> {
        request
            .by
            .iter()
            .cloned()
            .zip(key.iter().cloned())
            .collect()
    };
    let mut scored: HashMap<Cell, Scored> = HashMap::new();
    let mut skipped = Vec::new();
    let mut skipped_answers = 0;
    for cell in &order {
        let c = BoxCounts::count(cells[*cell].iter().copied(), &boxes);
        if c.n < request.min_n {
            skipped_answers += c.n;
            skipped.push(SkippedGroup {
                by: by_map(&cell.0),
                period: cell.1.map(|p| p.to_string()),
                n: c.n,
            });
            continue;
        }
        let e = boxes.nps.then(|| nps(c.top, c.bottom, c.n, z));
        scored.insert((*cell).clone(), (c, e));
    }
    let mut groups = Vec::new();
    for cell in &order {
        let Some(cur) = scored.get(*cell) else {
            continue;
        };
        let (c, e) = cur;
        let compare = |other: Option<Period>| -> Option<PeriodChange> {
            let other = other?;
            let old = scored.get(&(cell.0.clone(), Some(other)))?;
            Some(change(cur, old, other, request.alpha))
        };
        let (tl, tu) = wilson(c.top, c.n, z);
        let (bl, bu) = wilson(c.bottom, c.n, z);
        groups.push(ScorecardGroup {
            by: by_map(&cell.0),
            period: cell.1.map(|p| p.to_string()),
            n: c.n,
            mean: c.mean(),
            top_box: c.top as f64 / c.n as f64,
            top_box_ci_lower: tl,
            top_box_ci_upper: tu,
            bottom_box: c.bottom as f64 / c.n as f64,
            bottom_box_ci_lower: bl,
            bottom_box_ci_upper: bu,
            nps: e.map(|e| e.nps),
            nps_se: e.map(|e| e.se),
            nps_ci_lower: e.map(|e| e.lower),
            nps_ci_upper: e.map(|e| e.upper),
            previous: compare(cell.1.map(Period::previous)),
            year_earlier: compare(cell.1.and_then(Period::year_earlier)),
        });
    }
    if !skipped.is_empty() {
        audit.warn(crate::audit::AuditWarning::NotScored {
            groups: skipped.len(),
            min: request.min_n,
            answers: skipped_answers,
        });
    }
    Ok(ScorecardDocument {
        score: request.score.clone(),
        scale,
        nps_defined: boxes.nps,
        top_box_from: boxes.top_from,
        bottom_box_to: boxes.bottom_to,
        confidence: request.confidence,
        alpha: request.alpha,
        min_n: request.min_n,
        groups,
        skipped,
        skipped_answers,
        input: data.source().cloned(),
        data: audit.finish(),
        lang: request.lang,
        by_columns: request.by.clone(),
    })
}

fn pct(x: f64) -> String {
    format!("{:.1} %", 100.0 * x)
}

fn change_cell(c: &Option<PeriodChange>, nps: bool) -> String {
    match c {
        None => "–".into(),
        Some(c) => {
            let star = if c.significant { " *" } else { "" };
            match (nps, &c.nps) {
                (true, Some(t)) => format!("{:+.1}{star}", t.change),
                _ => format!("{:+.1} pp{star}", 100.0 * c.top_box.change),
            }
        }
    }
}

impl ScorecardDocument {
    /// The JSON document, pretty-printed (DESIGN.md §4).
    pub fn to_json(&self) -> String {
        super::pretty(self)
    }

    /// The label of a group: its `by` values and period.
    fn label(&self, by: &BTreeMap<String, String>, period: &Option<String>) -> String {
        let mut parts: Vec<String> = self
            .by_columns
            .iter()
            .filter_map(|c| by.get(c).cloned())
            .collect();
        if let Some(p) = period {
            parts.push(p.clone());
        }
        if parts.is_empty() {
            crate::i18n::Common::Total.text(self.lang).to_string()
        } else {
            parts.join(" · ")
        }
    }

    /// The lines above the table: the data audit, the score and its scale,
    /// the boxes and the interval level.
    fn notes(&self) -> Vec<String> {
        let lang = self.lang;
        let mut lines = self.data.lines();
        lines.push(T::Score.fill(
            lang,
            &[
                ("score", self.score.clone()),
                ("min", self.scale.min.to_string()),
                ("max", self.scale.max.to_string()),
            ],
        ));
        let boxes = if self.nps_defined {
            T::BoxesNps
        } else {
            T::BoxesTopTwo
        };
        lines.push(boxes.text(lang).to_string());
        lines.push(T::Intervals.fill(
            lang,
            &[
                ("level", format!("{}", 100.0 * self.confidence)),
                ("alpha", self.alpha.to_string()),
            ],
        ));
        lines
    }

    /// The table of scored groups: header and rows.
    fn table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let lang = self.lang;
        let mut header = vec![
            T::Group.text(lang).to_string(),
            T::N.text(lang).to_string(),
            crate::i18n::Common::Mean.text(lang).to_string(),
            T::TopBox.text(lang).to_string(),
            T::BottomBox.text(lang).to_string(),
        ];
        if self.nps_defined {
            header.push(T::Nps.text(lang).to_string());
        }
        header.push(T::MoM.text(lang).to_string());
        header.push(T::YoY.text(lang).to_string());
        let rows = self
            .groups
            .iter()
            .map(|g| {
                let mut row = vec![
                    self.label(&g.by, &g.period),
                    g.n.to_string(),
                    format!("{:.2}", g.mean),
                    format!(
                        "{} [{}, {}]",
                        pct(g.top_box),
                        pct(g.top_box_ci_lower),
                        pct(g.top_box_ci_upper)
                    ),
                    format!(
                        "{} [{}, {}]",
                        pct(g.bottom_box),
                        pct(g.bottom_box_ci_lower),
                        pct(g.bottom_box_ci_upper)
                    ),
                ];
                if let (Some(v), Some(lo), Some(hi)) = (g.nps, g.nps_ci_lower, g.nps_ci_upper) {
                    row.push(format!("{v:.1} [{lo:.1}, {hi:.1}]"));
                }
                row.push(change_cell(&g.previous, self.nps_defined));
                row.push(change_cell(&g.year_earlier, self.nps_defined));
                row
            })
            .collect();
        (header, rows)
    }

    /// The note on the groups not scored (none when every group was).
    fn skipped_note(&self) -> Option<String> {
        if self.skipped.is_empty() {
            return None;
        }
        let names: Vec<String> = self
            .skipped
            .iter()
            .map(|g| format!("{} (n = {})", self.label(&g.by, &g.period), g.n))
            .collect();
        Some(T::Skipped.fill(
            self.lang,
            &[
                ("n", self.skipped.len().to_string()),
                ("min", self.min_n.to_string()),
                ("rows", self.skipped_answers.to_string()),
                ("groups", names.join(self.lang.list_sep())),
            ],
        ))
    }

    /// The scorecard as a section of another report page (the `monitor`
    /// report): the notes, the table of groups and the skipped groups; the
    /// caller adds the charts.
    pub fn section(&self) -> super::page::Section {
        let mut sec = super::page::Section::new(T::Heading.text(self.lang));
        // The audit in the report language, then the notes after the audit.
        sec.text = super::page::audit_lines(&self.data, self.lang);
        sec.text
            .extend(self.notes().into_iter().skip(self.data.lines().len()));
        let (header, rows) = self.table();
        sec.tables.push(super::page::Table {
            title: sec.heading.clone(),
            header,
            rows,
        });
        sec.text.extend(self.skipped_note());
        sec
    }

    /// The Markdown report in the request's language: the table of groups,
    /// then the skipped groups.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# {}\n", T::Heading.text(self.lang));
        let notes = self.notes();
        let k = self.data.lines().len();
        for line in &notes[..k] {
            let _ = writeln!(s, "{line}  ");
        }
        let _ = writeln!(s, "\n{}  ", notes[k]);
        let _ = writeln!(s, "{}  ", notes[k + 1]);
        let _ = writeln!(s, "{}\n", notes[k + 2]);
        let (header, rows) = self.table();
        let _ = writeln!(s, "| {} |", header.join(" | "));
        let _ = writeln!(s, "|{}", "---|".repeat(header.len()));
        for row in rows {
            let _ = writeln!(s, "| {} |", row.join(" | "));
        }
        if let Some(note) = self.skipped_note() {
            let _ = writeln!(s, "\n{note}");
        }
        s
    }

    /// The chart: satisfied share per scored group with its Wilson interval.
    pub fn charts(&self) -> Vec<Chart> {
        use crate::svg::{Anchor, LinearScale, Svg};
        if self.groups.is_empty() {
            return Vec::new();
        }
        let title = T::ChartTitle.fill(
            self.lang,
            &[("level", format!("{}", 100.0 * self.confidence))],
        );
        let labels: Vec<String> = self
            .groups
            .iter()
            .map(|g| self.label(&g.by, &g.period))
            .collect();
        let label_w = labels
            .iter()
            .map(|l| crate::svg::text_width(l, 12.0))
            .fold(60.0, f64::max)
            + 16.0;
        let row_h = 22.0;
        let (top, plot_w) = (48.0, 420.0);
        let height = top + row_h * self.groups.len() as f64 + 40.0;
        let width = label_w + plot_w + 80.0;
        let mut svg = Svg::new(width, height);
        svg.title(&title);
        svg.text(width / 2.0, 24.0, &title, 14.0, Anchor::Middle);
        let x = LinearScale::new(0.0, 1.0, label_w, label_w + plot_w);
        for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let px = x.map(t);
            svg.line(px, top - 6.0, px, height - 34.0, "#ddd", 1.0, None);
            svg.text(px, height - 18.0, &pct(t), 12.0, Anchor::Middle);
        }
        for (i, (g, l)) in self.groups.iter().zip(&labels).enumerate() {
            let y = top + row_h * i as f64;
            svg.text(label_w - 8.0, y + 14.0, l, 12.0, Anchor::End);
            svg.rect(
                x.map(0.0),
                y + 4.0,
                x.map(g.top_box) - x.map(0.0),
                row_h - 8.0,
                "#4e79a7",
                None,
            );
            let cy = y + row_h / 2.0;
            svg.line(
                x.map(g.top_box_ci_lower),
                cy,
                x.map(g.top_box_ci_upper),
                cy,
                "#222",
                1.5,
                None,
            );
            svg.text(
                x.map(1.0) + 6.0,
                y + 14.0,
                &pct(g.top_box),
                12.0,
                Anchor::Start,
            );
        }
        vec![Chart::new(
            ["scorecard", self.score.as_str()],
            &title,
            svg.finish(),
        )]
    }
}

impl std::fmt::Display for ScorecardDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_markdown())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(rows: &[(&str, &str, f64)]) -> Dataset {
        let mut text = String::from("channel,month,score\n");
        for (c, m, s) in rows {
            if s.is_nan() {
                text.push_str(&format!("{c},{m},\n"));
            } else {
                text.push_str(&format!("{c},{m},{s}\n"));
            }
        }
        Dataset::from_reader(text.as_bytes(), &crate::ReadOptions::default()).unwrap()
    }

    fn request(min_n: usize) -> ScorecardRequest {
        ScorecardRequest {
            score: "score".into(),
            by: vec!["channel".into()],
            period: Some("month".into()),
            scale: Some(Scale::new(0.0, 10.0)),
            min_n,
            ..ScorecardRequest::default()
        }
    }

    #[test]
    fn periods_are_chronological_and_changes_are_tested() {
        // app: 2024年12月 (4 answers), 2025-1 (4), 2025年12月 (4); hall: 1 answer.
        let mut rows = Vec::new();
        for s in [10.0, 9.0, 5.0, 7.0] {
            rows.push(("app", "2025年12月", s));
        }
        for s in [10.0, 10.0, 9.0, 2.0] {
            rows.push(("app", "2025-1", s));
        }
        for s in [3.0, 9.0, 6.0, 8.0] {
            rows.push(("app", "2024年12月", s));
        }
        rows.push(("hall", "2025-01", 9.0));
        rows.push(("hall", "2025-01", f64::NAN));
        let doc = run(&data(&rows), &request(2)).unwrap();
        let periods: Vec<_> = doc
            .groups
            .iter()
            .map(|g| g.period.clone().unwrap())
            .collect();
        assert_eq!(periods, ["2024-12", "2025-01", "2025-12"]);
        // 2025-12: promoters 2/4, detractors 1/4 → NPS 25.
        let last = &doc.groups[2];
        assert!((last.nps.unwrap() - 25.0).abs() < 1e-12);
        assert!((last.top_box - 0.5).abs() < 1e-12);
        assert!((last.mean - 7.75).abs() < 1e-12);
        // Its previous month (2025-11) is absent; a year earlier is 2024-12
        // (top box 1/4): change +0.25 with the pooled test.
        assert!(last.previous.is_none());
        let yoy = last.year_earlier.as_ref().unwrap();
        assert_eq!(yoy.period, "2024-12");
        let t = two_proportion_test(2, 4, 1, 4);
        assert_eq!(yoy.top_box, t);
        assert!((yoy.top_box.change - 0.25).abs() < 1e-12);
        // 2025-01 against 2024-12 (previous month).
        assert_eq!(doc.groups[1].previous.as_ref().unwrap().period, "2024-12");
        // hall has one answer: skipped and counted; the missing score dropped.
        assert_eq!(doc.skipped.len(), 1);
        assert_eq!(doc.skipped[0].n, 1);
        assert_eq!(doc.skipped_answers, 1);
        assert_eq!(doc.data.n_dropped(), 1);
        assert_eq!(doc.data.rows_used, 13);
        let md = doc.to_markdown();
        assert!(md.contains("hall · 2025-01 (n = 1)"), "{md}");
        let json: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
        for key in [
            "by",
            "period",
            "n",
            "mean",
            "top_box",
            "bottom_box",
            "nps",
            "nps_ci_lower",
            "nps_ci_upper",
        ] {
            assert!(json["groups"][0].get(key).is_some(), "{key}");
        }
        assert_eq!(json["groups"][0]["by"]["channel"], "app");
        let charts = doc.charts();
        assert_eq!(charts.len(), 1);
        let overlaps = crate::svg::overlapping_texts(&charts[0].svg, 2.0);
        assert!(overlaps.is_empty(), "{overlaps:?}");
    }

    #[test]
    fn min_n_guard_and_bad_input() {
        let rows: Vec<_> = (0..5).map(|i| ("app", "2025-01", i as f64)).collect();
        let doc = run(&data(&rows), &request(6)).unwrap();
        assert!(doc.groups.is_empty());
        assert_eq!(doc.skipped_answers, 5);
        assert!(doc.data.warnings.iter().any(|w| w.contains("not scored")));
        // An answer outside the scale (a 99 code not declared) is an error.
        let mut rows = rows.clone();
        rows.push(("app", "2025-01", 99.0));
        let e = run(&data(&rows), &request(1)).unwrap_err();
        assert!(matches!(e, Error::OutOfScale { .. }), "{e}");
        // A period label that is not a period.
        let e = run(&data(&[("app", "March", 5.0)]), &request(1)).unwrap_err();
        assert!(matches!(e, Error::InvalidPeriod { .. }), "{e}");
        let e = run(
            &data(&[("app", "2025-01", 5.0)]),
            &ScorecardRequest::default(),
        )
        .unwrap_err();
        assert!(matches!(e, Error::InvalidSetting { .. }), "{e}");
    }

    #[test]
    fn other_scales_use_top_two_boxes_without_nps() {
        let rows: Vec<_> = [1.0, 2.0, 3.0, 4.0, 5.0]
            .iter()
            .map(|&s| ("app", "2025-01", s))
            .collect();
        let mut r = request(1);
        r.scale = Some(Scale::new(1.0, 5.0));
        r.lang = Lang::Zh;
        let doc = run(&data(&rows), &r).unwrap();
        let g = &doc.groups[0];
        assert!((g.top_box - 0.4).abs() < 1e-12 && (g.bottom_box - 0.4).abs() < 1e-12);
        assert!(g.nps.is_none() && !doc.nps_defined);
        assert!(doc.to_markdown().contains("满意率"));
    }
}
