//! The `servqual` task: SERVQUAL gaps, weighted score, SERVPERF and the zone
//! of tolerance (Parasuraman, Zeithaml & Berry 1988, 1994), overall and per
//! segment, with gap charts.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::audit::{DataAudit, apply_codebook};
use super::{Chart, Observer};
use crate::codebook::Codebook;
use crate::csi::Scale;
use crate::servqual::{
    Columns, Instrument, SegmentedReport, ServqualOptions, ServqualReport, Simulation,
    WeightPolicy, analyze, analyze_by, gap_chart, simulate,
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
}

impl ServqualDocument {
    /// The JSON document, pretty-printed (DESIGN.md §4).
    pub fn to_json(&self) -> String {
        super::pretty(self)
    }

    /// The gap charts: the whole sample, then one per segment.
    pub fn charts(&self) -> Vec<Chart> {
        let overall = Chart::new(
            ["servqual_gaps"],
            "Servqual gaps",
            gap_chart(self.overall()),
        );
        match &self.result {
            ServqualResult::Overall(_) => vec![overall],
            ServqualResult::Segmented(s) => std::iter::once(overall)
                .chain(s.segments.iter().map(|seg| {
                    Chart::new(
                        ["servqual_gaps", &s.segment_column, &seg.label],
                        &format!("Servqual gaps, {} = {}", s.segment_column, seg.label),
                        gap_chart(&seg.report),
                    )
                }))
                .collect(),
        }
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
    })
}
