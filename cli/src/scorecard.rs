//! `csikit scorecard`: the touchpoint scorecard (即评) of one score column per
//! group and period (DESIGN.md §4).

use std::path::PathBuf;

use clap::Args;
use csikit::analysis::{self, ScorecardRequest};
use csikit::csi::Scale;
use csikit::i18n::Lang;

use super::{Failure, InputArgs, parse_enum, parse_scale, print_document, write_charts};

/// `csikit scorecard`.
#[derive(Debug, Args)]
#[command(
    after_help = "On a 0-10 scale: satisfied share 9-10, dissatisfied share 0-6, NPS = % of 9-10 \
minus % of 0-6 with the NPS variance-formula interval; shares with Wilson intervals. Declare \
missing codes (e.g. --na 98 --na 99) or an answer outside the scale is an error."
)]
pub struct ScorecardArgs {
    /// The data (CSV or .xlsx), one row per answer.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// The score column.
    #[arg(long, value_name = "COLUMN")]
    pub score: String,
    /// The period column (2025-03, 202503, 2025年3月, 2025Q1 …); periods are
    /// compared with the previous one and the same one a year earlier.
    #[arg(long, value_name = "COLUMN")]
    pub period: Option<String>,
    /// Groups, scale and minimum group size.
    #[command(flatten)]
    pub columns: ScorecardColumns,
    /// Report language: en or zh.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_enum::<Lang>)]
    pub lang: Lang,
    /// How data files are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Directory for the SVG chart.
    #[arg(long, value_name = "DIR", default_value = "scorecard-report")]
    pub out: PathBuf,
    /// Do not write the chart.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the JSON document (DESIGN.md §4) instead of the text report.
    #[arg(long)]
    pub json: bool,
}

/// The scorecard options shared by `csikit scorecard` and `csikit monitor
/// --touchpoints` (the score and period columns are named by each command:
/// `monitor` has its own `--period`).
#[derive(Debug, Args)]
pub struct ScorecardColumns {
    /// A group column: touchpoint, channel, segment … (repeatable).
    #[arg(long, value_name = "COLUMN")]
    pub by: Vec<String>,
    /// Answer scale (default: the codebook's, else the observed range).
    #[arg(long, value_name = "MIN:MAX", value_parser = parse_scale)]
    pub scale: Option<Scale>,
    /// Groups with fewer answers are not scored (they are listed).
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub min_n: usize,
}

impl ScorecardColumns {
    /// The scorecard request of these options and the score and period columns.
    pub(crate) fn request(
        &self,
        score: &str,
        period: Option<&str>,
        lang: Lang,
        codebook: Option<csikit::codebook::Codebook>,
    ) -> ScorecardRequest {
        ScorecardRequest {
            score: score.to_string(),
            by: self.by.clone(),
            period: period.map(str::to_string),
            scale: self.scale,
            min_n: self.min_n,
            lang,
            codebook,
            ..ScorecardRequest::default()
        }
    }
}

/// Runs `csikit scorecard`.
pub(crate) fn run(a: &ScorecardArgs) -> Result<(), Failure> {
    let data = a.input.read(&a.data)?;
    let request = a
        .columns
        .request(&a.score, a.period.as_deref(), a.lang, a.input.codebook()?);
    let doc = analysis::scorecard::run(&data, &request)?;
    let written = if a.no_charts {
        Vec::new()
    } else {
        write_charts(&doc.charts(), &a.out)?
    };
    print_document(a.json, || doc.to_json(), || doc.to_markdown(), &written)
}
