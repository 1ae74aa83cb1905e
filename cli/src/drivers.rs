//! `csikit drivers`, `csikit profile` and `csikit link`: relative-importance
//! key drivers (DESIGN.md §4), dissatisfied-customer profiles and the link of
//! survey indices to operational data.

use std::path::PathBuf;

use clap::Args;
use csikit::analysis::drivers::{self, DriversRequest, LinkRequest, ProfileRequest};
use csikit::i18n::Lang;

use super::{Failure, InputArgs, out, parse_enum, print_document, write_charts};

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// `csikit drivers`.
#[derive(Debug, Args)]
pub struct DriversArgs {
    /// Survey data (CSV or .xlsx).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// The target column (e.g. overall satisfaction); with --model, the
    /// target construct.
    #[arg(long, value_name = "COLUMN")]
    pub target: String,
    /// Driver columns, comma-separated; with --model, driver constructs
    /// (default there: the target's predecessors in the model).
    #[arg(long, value_name = "A,B,C", default_value = "")]
    pub drivers: String,
    /// A model in lavaan-style syntax (as `pls` takes): relative importance
    /// on the construct scores of this PLS model instead of on columns.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Bootstrap resamples for percentile intervals of the Shapley values (0 = none).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub bootstrap: usize,
    /// Seed of the bootstrap and of permutation sampling.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Random orders of entry when there are more than 15 drivers.
    #[arg(long, value_name = "N", default_value_t = 5000)]
    pub permutations: usize,
    /// Report language: en or zh.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_enum::<Lang>)]
    pub lang: Lang,
    /// Print the JSON document (DESIGN.md §4) instead of the report.
    #[arg(long)]
    pub json: bool,
    /// Directory for the SVG chart.
    #[arg(long, value_name = "DIR", default_value = "drivers-report")]
    pub out: PathBuf,
    /// Do not write the chart.
    #[arg(long)]
    pub no_charts: bool,
    /// How data files are read.
    #[command(flatten)]
    pub input: InputArgs,
}

/// `csikit profile`.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Survey data (CSV or .xlsx).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// The target column.
    #[arg(long, value_name = "COLUMN")]
    pub target: String,
    /// Dissatisfied when the target is at most K.
    #[arg(long, value_name = "K", default_value_t = 6.0)]
    pub threshold: f64,
    /// Segment columns, comma-separated.
    #[arg(long, value_name = "A,B", default_value = "")]
    pub segments: String,
    /// Driver columns compared between dissatisfied and the rest, comma-separated.
    #[arg(long, value_name = "A,B", default_value = "")]
    pub drivers: String,
    /// Report language: en or zh.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_enum::<Lang>)]
    pub lang: Lang,
    /// Print JSON instead of the report.
    #[arg(long)]
    pub json: bool,
    /// How data files are read.
    #[command(flatten)]
    pub input: InputArgs,
}

/// `csikit link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Survey data (CSV or .xlsx).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// Operational table: one row per unit and period.
    #[arg(long, value_name = "FILE")]
    pub operational: PathBuf,
    /// Unit column (both tables).
    #[arg(long, value_name = "COLUMN")]
    pub unit: String,
    /// Period column (both tables).
    #[arg(long, value_name = "COLUMN")]
    pub period: String,
    /// Survey columns averaged per unit and period, comma-separated.
    #[arg(long, value_name = "A,B")]
    pub indices: String,
    /// Operational metric columns, comma-separated.
    #[arg(long, value_name = "A,B")]
    pub metrics: String,
    /// Periods by which the metric leads the index.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub lag: i64,
    /// Report language: en or zh.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_enum::<Lang>)]
    pub lang: Lang,
    /// Print JSON instead of the report.
    #[arg(long)]
    pub json: bool,
    /// How data files are read.
    #[command(flatten)]
    pub input: InputArgs,
}

pub(crate) fn run_drivers(a: &DriversArgs) -> Result<(), Failure> {
    let data = a.input.read(&a.data)?;
    let request = DriversRequest {
        target: a.target.clone(),
        drivers: list(&a.drivers),
        bootstrap: a.bootstrap,
        seed: a.seed,
        permutations: a.permutations,
        lang: a.lang,
        codebook: a.input.codebook()?,
        ..DriversRequest::default()
    };
    let doc = match &a.model {
        Some(m) => drivers::run_model(&data, &csikit::analysis::read_model(m)?, &request)?,
        None => drivers::run(&data, &request)?,
    };
    let written = if a.no_charts {
        Vec::new()
    } else {
        write_charts(&doc.charts(), &a.out)?
    };
    print_document(a.json, || doc.to_json(), || doc.to_string(), &written)
}

pub(crate) fn run_profile(a: &ProfileArgs) -> Result<(), Failure> {
    let data = a.input.read(&a.data)?;
    let request = ProfileRequest {
        target: a.target.clone(),
        threshold: a.threshold,
        segments: list(&a.segments),
        drivers: list(&a.drivers),
        lang: a.lang,
        codebook: a.input.codebook()?,
        ..ProfileRequest::default()
    };
    let p = drivers::run_profile(&data, &request)?;
    if a.json {
        return out(&(drivers::to_json(&p) + "\n"));
    }
    out(&drivers::profile_markdown(&p, a.lang))
}

pub(crate) fn run_link(a: &LinkArgs) -> Result<(), Failure> {
    let survey = a.input.read(&a.data)?;
    let ops = a.input.read(&a.operational)?;
    let request = LinkRequest {
        unit: a.unit.clone(),
        period: a.period.clone(),
        indices: list(&a.indices),
        metrics: list(&a.metrics),
        lag: a.lag,
        lang: a.lang,
        codebook: a.input.codebook()?,
        ..LinkRequest::default()
    };
    let r = drivers::run_link(&survey, &ops, &request)?;
    if a.json {
        return out(&(drivers::to_json(&r) + "\n"));
    }
    out(&drivers::link_markdown(&r, a.lag, a.lang))
}
