//! The `kano` task: KANO classification with Better/Worse coefficients, the
//! Fong test and DuMouchel's continuous analysis (Kano et al. 1984; Berger
//! et al. 1993), overall and per segment, with two charts.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::audit::{DataAudit, apply_codebook};
use super::{Chart, Observer};
use crate::codebook::Codebook;
use crate::kano::{self, EvaluationTable, KanoOptions, KanoReport, SegmentedReport};
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
}

impl KanoDocument {
    /// The JSON document, pretty-printed (DESIGN.md §4).
    pub fn to_json(&self) -> String {
        super::pretty(self)
    }

    /// The charts: Better/Worse and (with answer-level data) the continuous
    /// diagram, overall and per segment.
    pub fn charts(&self) -> Vec<Chart> {
        fn of(report: &KanoReport, parts: &[&str], out: &mut Vec<Chart>) {
            let mut name = vec!["better_worse"];
            name.extend_from_slice(parts);
            out.push(Chart::new(
                name,
                "Kano Better/Worse",
                report.better_worse_svg(),
            ));
            if report.features.iter().any(|f| f.functional_mean.is_some()) {
                let mut name = vec!["continuous"];
                name.extend_from_slice(parts);
                out.push(Chart::new(name, "Kano continuous", report.continuous_svg()));
            }
        }
        let mut out = Vec::new();
        of(&self.report, &[], &mut out);
        if let Some(s) = &self.segments {
            for seg in &s.segments {
                of(&seg.report, &[&s.column, &seg.segment], &mut out);
            }
        }
        out
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
    })
}
