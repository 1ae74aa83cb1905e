//! The `csikit` command-line front end: argument definitions (clap derive,
//! one definition per flag, help generated from it) turned into the typed
//! requests of [`csikit::analysis`], whose documents it prints or writes.
//! No recipe lives here.
//!
//! Exit codes: 0 success, 1 a data or model error (the library's message on
//! stderr), 2 a usage error. A closed pipe (`csikit pls --json | head`) ends
//! the program quietly with 0.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

mod drivers;
pub mod scorecard;
use csikit::analysis::{
    self, AcsiRequest, BuiltinSurvey, KanoRequest, MonitorInput, MonitorRequest, Observer,
    PlsRequest, ServqualRequest, pls::SlopesRequest,
};
use csikit::csi::{CsiModel, Scale};
use csikit::i18n::Lang;
use csikit::pls::{CorrelationKind, HocApproach, InteractionApproach, Q2Scale};
use csikit::{
    Codebook, Correction, Encoding, MissingPolicy, PlsSettings, ReadOptions, Scaling, Scheme,
    SignChange, StopRule, Weighting,
};

/// Customer-satisfaction measurement: PLS path models, CSI index reports,
/// SERVQUAL, KANO and service monitoring on survey files.
#[derive(Debug, Parser)]
#[command(name = "csikit", version, about, propagate_version = true)]
pub struct Cli {
    /// The analysis to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The analyses.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fit a PLS path model: assessment, Q², PLSpredict, bootstrap, multi-group, index and IPMA.
    Pls(PlsArgs),
    /// The CSI report: 0-100 index, impacts, importance-performance map with short boards,
    /// segments and monthly trend (Fornell et al. 1996; Ringle & Sarstedt 2016).
    Acsi(AcsiArgs),
    /// SERVQUAL gaps, weighted score, SERVPERF and zone of tolerance (Parasuraman et al. 1988).
    Servqual(ServqualArgs),
    /// KANO classes, Better/Worse, Fong test and continuous analysis (Kano et al. 1984; Berger et al. 1993).
    Kano(KanoArgs),
    /// Complaint hotspots of a month, KPI targets, complaint-driver links and a trend chart.
    Monitor(MonitorArgs),
    /// Key drivers by relative importance: Shapley/LMG, Johnson's weights, dominance (Grömping 2007; Johnson 2000).
    Drivers(drivers::DriversArgs),
    /// Profile of dissatisfied customers: over-represented segments, separating drivers.
    Profile(drivers::ProfileArgs),
    /// Link survey indices to unit-period operational data (correlation, slope, lag).
    Link(drivers::LinkArgs),
    /// Touchpoint scorecard (即评): n, mean, satisfied/dissatisfied shares (Wilson 1927), NPS with
    /// its interval, tests against the previous period and a year earlier, per group and period.
    Scorecard(scorecard::ScorecardArgs),
}

fn parse_scale(s: &str) -> Result<Scale, String> {
    Scale::parse(s).map_err(|e| e.to_string())
}

fn parse_item_scale(s: &str) -> Result<(String, Scale), String> {
    let (item, bounds) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not ITEM=MIN:MAX"))?;
    Ok((item.trim().to_string(), parse_scale(bounds)?))
}

fn parse_slopes(s: &str) -> Result<SlopesRequest, String> {
    let parts: Vec<&str> = s.split(':').collect();
    let [focal, moderator, dependent] = parts[..] else {
        return Err(format!("`{s}` is not FOCAL:MODERATOR:DEPENDENT"));
    };
    Ok(SlopesRequest {
        focal: focal.into(),
        moderator: moderator.into(),
        dependent: dependent.into(),
    })
}

fn parse_lag(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(k) if k >= 1 => Ok(k),
        _ => Err(format!(
            "`{s}` is not a whole number of periods of at least 1"
        )),
    }
}

fn parse_enum<T: std::str::FromStr<Err = csikit::Error>>(s: &str) -> Result<T, String> {
    s.parse().map_err(|e: csikit::Error| e.to_string())
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        _ => match s.as_bytes() {
            [d] if *d != b'"' && *d != b'\n' && *d != b'\r' => Ok(*d),
            _ => Err(format!(
                "`{s}` is not one character such as `,` `;` `|` or the word `tab`"
            )),
        },
    }
}

/// The flags of every subcommand that reads data files: CSV (any
/// extension but .xlsx) or an Excel workbook (.xlsx).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Reading data files")]
pub struct InputArgs {
    /// A cell value meaning missing, e.g. -99 or "#N/A" (repeatable; empty cells,
    /// NA and NaN always are).
    #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
    pub na: Vec<String>,
    /// Codebook (CSV with columns item,label,min,max,missing,reverse and optional label_en): missing codes
    /// (e.g. 98;99 become missing), declared scales (every answer checked; used for the
    /// index), reverse-worded items (recoded once), labels.
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// Text encoding of CSV files: auto (a byte-order mark decides; else UTF-8 if
    /// the file is valid UTF-8, otherwise GB18030/GBK, Excel's "CSV" on Chinese
    /// Windows), utf8 or gbk.
    #[arg(long, value_name = "ENC", default_value = "auto", value_parser = parse_enum::<Encoding>)]
    pub encoding: Encoding,
    /// Field delimiter of CSV files: `,` `;` `tab` or another character
    /// (default: detected from the header line).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Numbers use a decimal comma (3,5 = 3.5), as European Excel writes them;
    /// needs `;` or tab between the fields.
    #[arg(long)]
    pub decimal_comma: bool,
    /// Sheet of an .xlsx workbook (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

impl InputArgs {
    /// The reading options these flags describe.
    pub fn options(&self) -> ReadOptions {
        let mut options = ReadOptions::default()
            .encoding(self.encoding)
            .decimal_comma(self.decimal_comma);
        options.na.extend(self.na.iter().cloned());
        options.delimiter = self.delimiter;
        options.sheet = self.sheet.clone();
        options
    }

    /// Reads a data file with these options.
    fn read(&self, path: &std::path::Path) -> Result<csikit::Dataset, csikit::Error> {
        analysis::read_data(path, &self.options())
    }
}

/// `csikit pls`: one PLS fit.
#[derive(Debug, Args)]
#[command(
    after_help = "Without --data and --model: the built-in ECSI model on a simulated telecom \
survey (250 rows, answers on 1-10; try --scale 1:10 --ipma Satisfaction, --bootstrap 5000, --groups region)."
)]
pub struct PlsArgs {
    /// Survey data with a header row: CSV or an Excel workbook (.xlsx).
    #[arg(long, value_name = "FILE", requires = "model")]
    pub data: Option<PathBuf>,
    /// Model in lavaan-style syntax (=~ Mode A, <~ Mode B, ~ paths, # comments).
    #[arg(long, value_name = "FILE", requires = "data")]
    pub model: Option<PathBuf>,
    /// Inner weighting scheme: path, centroid or factorial.
    #[arg(long, default_value = "path", value_parser = parse_enum::<Scheme>)]
    pub scheme: Scheme,
    /// Iteration limit.
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub max_iter: usize,
    /// Stop when the change between iterations (see --stop-rule) is below this.
    #[arg(long, value_name = "X", default_value_t = 1e-7)]
    pub tol: f64,
    /// How the change is measured: max_abs_change (csikit, cSEM), sum_abs_change
    /// (seminr) or plspm (R plspm's rule, its iteration counts).
    #[arg(long, default_value = "max_abs_change", value_parser = parse_enum::<StopRule>)]
    pub stop_rule: StopRule,
    /// Indicator scaling: standardized (every peer's default) or centered (plspm
    /// scaled = FALSE).
    #[arg(long, default_value = "standardized", value_parser = parse_enum::<Scaling>)]
    pub scaling: Scaling,
    /// How data files are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Missing data: listwise, mean, pairwise (pairwise-complete correlations) or error.
    #[arg(long, default_value = "listwise", value_parser = parse_enum::<MissingPolicy>)]
    pub missing: MissingPolicy,
    /// Case (survey) weights column.
    #[arg(long, value_name = "COLUMN")]
    pub weights: Option<String>,
    /// Consistent PLS (PLSc, Dijkstra & Henseler 2015) for Mode A constructs.
    #[arg(long)]
    pub consistent: bool,
    /// PLSpredict: k-fold out-of-sample prediction of the endogenous indicators.
    #[arg(long, value_name = "FOLDS")]
    pub predict: Option<usize>,
    /// Bootstrap N resamples: SE, percentile and BCa intervals of weights, loadings,
    /// paths, effects, R², HTMT (of the PLSc estimates with --consistent).
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<usize>,
    /// Confidence level of the bootstrap intervals.
    #[arg(long, value_name = "X", default_value_t = 0.95)]
    pub confidence: f64,
    /// Bootstrap sign-change option: none, individual or construct_reversal.
    #[arg(long, default_value = "none", value_parser = parse_enum::<SignChange>)]
    pub sign_change: SignChange,
    /// Keep resamples/permutations whose PLSc solution is inadmissible
    /// (default: drop and count them, as cSEM does).
    #[arg(long)]
    pub keep_inadmissible: bool,
    /// Multi-group analysis by the levels of COLUMN: permutation test of every path,
    /// loading and weight difference; MICOM steps 2-3.
    #[arg(long, value_name = "COLUMN")]
    pub groups: Option<String>,
    /// Permutations per pair of groups.
    #[arg(long, value_name = "N", default_value_t = 999)]
    pub permutations: usize,
    /// Correction over pairs of groups: holm, bonferroni or none.
    #[arg(long, default_value = "holm", value_parser = parse_enum::<Correction>)]
    pub correction: Correction,
    /// Seed of the fold assignment, bootstrap and permutations.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Repetitions of the k-fold split (--predict).
    #[arg(long, value_name = "R", default_value_t = 1)]
    pub repetitions: usize,
    /// Q² by blindfolding (Stone 1974; Geisser 1974).
    #[arg(long)]
    pub q2: bool,
    /// Blindfolding omission distance (implies --q2; default 7, or the next number
    /// that does not divide the number of rows).
    #[arg(long, value_name = "D")]
    pub omission: Option<usize>,
    /// Blindfolding predictions rescaled with the SD of the values kept in each
    /// round (observed: the published definition, as semPLS) or of the
    /// mean-replaced column (mean_replaced: csikit's former rule).
    #[arg(long, value_name = "SCALE", default_value = "observed", value_parser = parse_enum::<Q2Scale>)]
    pub q2_scale: Q2Scale,
    /// Theoretical answer bounds: adds the 0-100 index per construct.
    #[arg(long, value_name = "MIN:MAX", value_parser = parse_scale)]
    pub scale: Option<Scale>,
    /// Bounds of one item (repeatable; mixed scales, e.g. CUSCO=0:1).
    #[arg(long, value_name = "ITEM=MIN:MAX", value_parser = parse_item_scale)]
    pub item_scale: Vec<(String, Scale)>,
    /// Importance-performance map of TARGET (needs --scale); with --bootstrap also
    /// percentile intervals of the importances.
    #[arg(long, value_name = "TARGET")]
    pub ipma: Option<String>,
    /// Higher-order constructs: repeated, embedded, disjoint or three-stage (a
    /// composite of common factors, van Riel et al. 2017; no bootstrap).
    #[arg(long, default_value = "repeated", value_parser = parse_enum::<HocApproach>)]
    pub hoc: HocApproach,
    /// Interaction terms (`Y ~ X + M + X:M`): product, orthogonal or two_stage.
    #[arg(long, default_value = "product", value_parser = parse_enum::<InteractionApproach>)]
    pub interaction: InteractionApproach,
    /// Simple-slope table of focal F moderated by M on Y (with bootstrap intervals
    /// when --bootstrap is given).
    #[arg(long, value_name = "F:M:Y", value_parser = parse_slopes)]
    pub slopes: Option<SlopesRequest>,
    /// Polychoric correlations: every indicator ordinal (not with --bootstrap,
    /// --predict, --groups).
    #[arg(long)]
    pub ordinal: bool,
    /// Outer weights: pls (the PLS-PM iteration) or unit (sum scores, cSEM's
    /// unit weights; --weights names the case-weight column).
    #[arg(long, default_value = "pls", value_parser = parse_enum::<Weighting>)]
    pub weighting: Weighting,
    /// Mode A constructs that are composites: --consistent leaves them
    /// uncorrected (seminr's composite()); Mode B constructs and interaction
    /// terms are never corrected.
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub composites: Vec<String>,
    /// Specific indirect effects: each chain of mediators separately (with
    /// --bootstrap also their intervals).
    #[arg(long)]
    pub specific_indirect: bool,
    /// Write the construct scores of the rows used to FILE (CSV: row number,
    /// the respondent id column if the data have one, one column per construct).
    #[arg(long, value_name = "FILE")]
    pub scores: Option<PathBuf>,
    /// The respondent id column written with --scores (default: a column named
    /// id, respondent_id, respondent, resp_id, case_id or caseid).
    #[arg(long, value_name = "COLUMN", requires = "scores")]
    pub id: Option<String>,
    /// Print the JSON document (DESIGN.md §4) instead of text.
    #[arg(long)]
    pub json: bool,
}

impl PlsArgs {
    /// The request these arguments describe.
    ///
    /// # Errors
    /// The errors of reading the codebook.
    pub fn request(&self) -> csikit::Result<PlsRequest> {
        Ok(PlsRequest {
            settings: PlsSettings {
                scheme: self.scheme,
                max_iter: self.max_iter,
                tolerance: self.tol,
                stop_rule: self.stop_rule,
                scaling: self.scaling,
                missing: self.missing,
                case_weights: self.weights.clone(),
                consistent: self.consistent,
                hoc_approach: self.hoc,
                interaction_approach: self.interaction,
                correlation: if self.ordinal {
                    CorrelationKind::Polychoric
                } else {
                    CorrelationKind::Pearson
                },
                allow_nonconvergence: false,
                weighting: self.weighting,
                composites: self.composites.clone(),
            },
            q2: self.q2,
            omission: self.omission,
            q2_scale: self.q2_scale,
            predict: self.predict,
            repetitions: self.repetitions,
            bootstrap: self.bootstrap,
            confidence: self.confidence,
            sign_change: self.sign_change,
            keep_inadmissible: self.keep_inadmissible,
            groups: self.groups.clone(),
            permutations: self.permutations,
            correction: self.correction,
            seed: self.seed,
            scale: self.scale,
            item_scales: self.item_scale.clone(),
            ipma: self.ipma.clone(),
            slopes: self.slopes.clone(),
            codebook: self.input.codebook()?,
            specific_indirect: self.specific_indirect,
            scores: self.scores.is_some(),
            id_column: self.id.clone(),
        })
    }
}

impl InputArgs {
    /// The codebook, if one was given.
    ///
    /// # Errors
    /// The errors of [`Codebook::from_csv`].
    pub fn codebook(&self) -> csikit::Result<Option<Codebook>> {
        self.codebook.as_ref().map(Codebook::from_csv).transpose()
    }
}

/// `csikit acsi`: the CSI report.
#[derive(Debug, Args)]
pub struct AcsiArgs {
    /// Survey data with a header row, CSV or .xlsx (without it: the built-in
    /// simulated telecom survey, ECSI model).
    #[arg(long, value_name = "FILE", requires = "model")]
    pub data: Option<PathBuf>,
    /// Model in lavaan-style syntax (=~, <~, ~; # comments); needed with --data.
    #[arg(long, value_name = "FILE", requires = "data")]
    pub model: Option<PathBuf>,
    /// Analyse per level of COLUMN (repeatable; built-in: region, arpu_tier, age_band, plan);
    /// A*B analyses per combination of A and B (crossed segments).
    #[arg(long, value_name = "COLUMN")]
    pub segment: Vec<String>,
    /// Analyse per period of COLUMN, in time order (built-in: month).
    #[arg(long, value_name = "COLUMN")]
    pub period: Option<String>,
    /// Also compare every period with PERIOD.
    #[arg(long, value_name = "PERIOD")]
    pub base: Option<String>,
    /// Year-over-year lag in periods.
    #[arg(long, value_name = "K", default_value_t = 12, value_parser = parse_lag)]
    pub lag: usize,
    /// Target construct of impacts and IPMA.
    #[arg(long, value_name = "NAME", default_value = "Satisfaction")]
    pub target: String,
    /// Theoretical answer bounds of every item (built-in survey: 1:10). Without it,
    /// and without a codebook, each item's observed range is used and the report says so.
    #[arg(long, value_name = "MIN:MAX", value_parser = parse_scale)]
    pub scale: Option<Scale>,
    /// Bounds of one item (repeatable; mixed scales, e.g. CUSCO=0:1).
    #[arg(long, value_name = "ITEM=MIN:MAX", value_parser = parse_item_scale)]
    pub item_scale: Vec<(String, Scale)>,
    /// Missing data in every fit: listwise, mean, pairwise or error.
    #[arg(long, default_value = "listwise", value_parser = parse_enum::<MissingPolicy>)]
    pub missing: MissingPolicy,
    /// Minimum usable respondents per group.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub min_group: usize,
    /// How data files are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Report folder.
    #[arg(long, value_name = "DIR", default_value = "acsi-report")]
    pub out: PathBuf,
    /// Bootstrap N resamples of every fit (all respondents, each segment and period):
    /// percentile intervals of the index, impacts and IPMA importances, bootstrap
    /// SE/p/interval of the differences between groups. Off by default.
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<usize>,
    /// Confidence level of the intervals.
    #[arg(long, value_name = "X", default_value_t = 0.95)]
    pub level: f64,
    /// Built-in survey size.
    #[arg(long, value_name = "N", default_value_t = 9600)]
    pub respondents: usize,
    /// Built-in survey months.
    #[arg(long, value_name = "N", default_value_t = 24)]
    pub months: usize,
    /// Seed of the bootstrap and of the built-in survey.
    #[arg(long, value_name = "N", default_value_t = 2026)]
    pub seed: u64,
    /// Seed of the built-in survey only (default: --seed).
    #[arg(long, value_name = "N")]
    pub survey_seed: Option<u64>,
    /// Also print the report's numbers as JSON (the report folder is written either way).
    #[arg(long)]
    pub json: bool,
    /// Report language: zh (Chinese) or en (English).
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_enum::<csikit::i18n::Lang>)]
    pub lang: csikit::i18n::Lang,
    /// Cut a numeric column into bins (repeatable): COLUMN=CUT1,CUT2,… or
    /// COLUMN=qK (K quantile groups); then segment by COLUMN (or cross it,
    /// --segment region*COLUMN). The report counts the rows per bin.
    #[arg(long, value_name = "COLUMN=CUTS", value_parser = parse_enum::<csikit::csi::bins::BinSpec>)]
    pub bin: Vec<csikit::csi::bins::BinSpec>,
    /// Leave out the relative importance of the target's drivers (Shapley/LMG
    /// on the construct scores) and the profile of the dissatisfied
    #[arg(long)]
    pub no_key_drivers: bool,
    /// Dissatisfied: a respondent's target index (0-100) at or below X
    #[arg(long, value_name = "X", default_value_t = 50.0)]
    pub dissatisfied_at: f64,
}

impl AcsiArgs {
    /// The request these arguments describe.
    ///
    /// # Errors
    /// The errors of reading the codebook.
    pub fn request(&self) -> csikit::Result<AcsiRequest> {
        Ok(AcsiRequest {
            segments: self.segment.clone(),
            period: self.period.clone(),
            base: self.base.clone(),
            lag: Some(self.lag),
            previous: true,
            target: self.target.clone(),
            scale: self.scale,
            item_scales: self.item_scale.clone(),
            min_group: self.min_group,
            level: self.level,
            bootstrap: self.bootstrap,
            seed: self.seed,
            title: None,
            notes: Vec::new(),
            settings: PlsSettings {
                missing: self.missing,
                ..PlsSettings::default()
            },
            codebook: self.input.codebook()?,
            lang: self.lang,
            bins: self.bin.clone(),
            key_drivers: !self.no_key_drivers,
            dissatisfied_at: self.dissatisfied_at,
        })
    }
}

/// `csikit servqual`.
#[derive(Debug, Args)]
#[command(
    after_help = "Items 1-4 tangibles, 5-9 reliability, 10-13 responsiveness, \
14-17 assurance, 18-22 empathy."
)]
pub struct ServqualArgs {
    /// CSV or .xlsx with perceptions P1..P22 (required columns), optional expectations E1..E22,
    /// adequate A1..A22, desired D1..D22 and importance points W_tangibles W_reliability
    /// W_responsiveness W_assurance W_empathy (100 per respondent). Without --data,
    /// simulated example data are used.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Items to reverse-score (negatively worded, 1988 version): e.g. 10-13,18-22.
    #[arg(long, value_name = "ITEMS")]
    pub reverse: Option<String>,
    /// Answer scale.
    #[arg(long, value_name = "MIN:MAX", default_value = "1:7", value_parser = parse_scale)]
    pub scale: Scale,
    /// Also report every segment of this column.
    #[arg(long, value_name = "COLUMN")]
    pub segment: Option<String>,
    /// How data files are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Directory for the report (report.md, report.html) and the SVG gap charts.
    #[arg(long, value_name = "DIR", default_value = "report/servqual")]
    pub out: PathBuf,
    /// Seed of the simulated data.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Report language of the report (report.md, report.html) and charts: zh or en
    /// (with zh the text printed is the Chinese Markdown report).
    #[arg(long, value_name = "zh|en", default_value = "en")]
    pub lang: Lang,
    /// Print the JSON document (DESIGN.md §4) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `csikit kano`.
#[derive(Debug, Args)]
pub struct KanoArgs {
    /// Answers (CSV or .xlsx): for each feature F the columns F_f (functional) and F_d
    /// (dysfunctional), coded 1 like, 2 must-be, 3 neutral, 4 live-with, 5 dislike;
    /// optional F_i importance (1-9); empty cell = missing. Without --data: built-in
    /// simulated data.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// FILE holds aggregate counts: columns feature,M,O,A,I,R,Q.
    #[arg(long, requires = "data", conflicts_with = "segment")]
    pub counts: bool,
    /// Category-strength threshold of the M > O > A > I rule (0 = pure mode).
    #[arg(long, value_name = "X", default_value_t = 0.06)]
    pub threshold: f64,
    /// Print the JSON document (DESIGN.md §4) instead of the text table.
    #[arg(long)]
    pub json: bool,
    /// Directory for the report (report.md, report.html) and the SVG charts.
    #[arg(long, value_name = "DIR", default_value = "kano-report")]
    pub out: PathBuf,
    /// Do not write the report and charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Also analyse each value of column COL separately.
    #[arg(long, value_name = "COL")]
    pub segment: Option<String>,
    /// Drop respondents with more than N questionable (Q) answers.
    #[arg(long, value_name = "N")]
    pub max_q: Option<usize>,
    /// Weight the continuous means by self-stated importance (F_i).
    #[arg(long)]
    pub weighted: bool,
    /// Answers use the 3-answer short form: 1 like, 2 neutral, 3 dislike.
    #[arg(long, conflicts_with = "table")]
    pub short: bool,
    /// Custom evaluation table, 5 rows of 5 letters, e.g.
    /// "QAAAO RIIIM RIIIM RIIIM RRRRQ" (the standard table).
    #[arg(long, value_name = "TABLE")]
    pub table: Option<String>,
    /// How data files are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Respondents in the built-in simulation.
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub respondents: usize,
    /// Seed of the built-in simulation.
    #[arg(long, value_name = "N", default_value_t = 2024)]
    pub seed: u64,
    /// Language of the report (report.md, report.html) and charts: zh or en
    /// (with zh the text printed is the Chinese Markdown report).
    #[arg(long, value_name = "zh|en", default_value = "en")]
    pub lang: Lang,
}

/// `csikit monitor`.
#[derive(Debug, Args)]
#[command(
    after_help = "Targets: satisfied share (answer >= 8) >= 90 %, complaint rate <= 3 %, \
response within 1 h >= 90 %, resolution within 24 h >= 80 %."
)]
pub struct MonitorArgs {
    /// One row per complaint: month (YYYY-MM or a date), category, region,
    /// response_hours, resolution_hours, customer_id.
    #[arg(long, value_name = "FILE", requires = "customers")]
    pub complaints: Option<PathBuf>,
    /// Customers per month and region: month, region, customers.
    #[arg(long, value_name = "FILE", requires = "complaints")]
    pub customers: Option<PathBuf>,
    /// Survey: customer_id, month, satisfaction (1-10) and driver columns
    /// quality_index, value_index, service_index (0-100).
    #[arg(long, value_name = "FILE", requires = "complaints")]
    pub survey: Option<PathBuf>,
    /// Month of the hotspot tables (default: the last month).
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    /// Hotspots per list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Minimum volume for the rate list.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub min_volume: u64,
    /// User-defined KPIs: kpi,kind,column,denominator,scale,threshold,
    /// percentile,period,unit,label,table (kind: ratio, share_below,
    /// share_above, percentile; table: data, complaints, customers, survey).
    #[arg(long, value_name = "FILE")]
    pub kpis: Option<PathBuf>,
    /// Targets of the KPIs: kpi,unit,target,direction (unit * = every
    /// unit; direction higher or lower is better).
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// The table the KPIs read by default (e.g. one row per month and
    /// region, or per call).
    #[arg(long, value_name = "FILE", requires = "kpis")]
    pub kpi_data: Option<PathBuf>,
    /// A touchpoint survey (one row per answer) for the touchpoint
    /// scorecard section (即评), as `csikit scorecard` computes it.
    #[arg(long, value_name = "FILE", requires = "score")]
    pub touchpoints: Option<PathBuf>,
    /// The score column of the touchpoint survey.
    #[arg(long, value_name = "COLUMN", requires = "touchpoints")]
    pub score: Option<String>,
    /// The period column of the touchpoint survey (`--period` is the month
    /// of the hotspot tables).
    #[arg(long, value_name = "COLUMN", requires = "touchpoints")]
    pub touchpoint_period: Option<String>,
    /// The touchpoint scorecard's groups, scale and minimum group size.
    #[command(flatten)]
    pub scorecard: scorecard::ScorecardColumns,
    /// How data files are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Directory for the report (report.md, report.html) and the trend chart.
    #[arg(long, value_name = "DIR", default_value = "monitor-report")]
    pub out: PathBuf,
    /// Language of the report (report.md, report.html) and charts: zh or en
    /// (with zh the text printed is the Chinese Markdown report).
    #[arg(long, value_name = "zh|en", default_value = "en")]
    pub lang: Lang,
    /// Print the JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

/// How a run ended.
enum Failure {
    /// A data or model error (exit 1).
    Library(csikit::Error),
    /// Standard output was closed by the reader (exit 0, nothing more said).
    ClosedPipe,
    /// Another output error (exit 1).
    Output(std::io::Error),
}

impl From<csikit::Error> for Failure {
    fn from(e: csikit::Error) -> Self {
        Failure::Library(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::ClosedPipe
        } else {
            Failure::Output(e)
        }
    }
}

/// Writes text to standard output; a closed pipe is reported as such, never a panic.
fn out(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Writes a line to standard error, ignoring errors (a closed stderr is no reason to fail).
fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Progress on stderr for long resampling runs, only when a person is watching.
fn observer() -> Observer {
    if !std::io::stderr().is_terminal() {
        return Observer::silent();
    }
    Observer::silent().with_progress(1000, |what, p| {
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r{what}: {:>3}%", 100 * p.done / p.total.max(1));
        if p.done == p.total {
            let _ = write!(e, "\r\x1b[K");
        }
    })
}

fn run_pls(a: &PlsArgs) -> Result<(), Failure> {
    let (data, model, intro) = match (&a.data, &a.model) {
        (Some(d), Some(m)) => (a.input.read(d)?, analysis::read_model(m)?, None),
        _ => {
            let (data, model, intro) = analysis::pls::builtin()?;
            (data, model, Some(intro))
        }
    };
    let mut doc = analysis::pls::run(&data, &model, &a.request()?, &observer())?;
    if let (Some(path), Some(table)) = (&a.scores, &doc.scores) {
        table.write(path)?;
    }
    if a.json {
        out(&(doc.to_json() + "\n"))
    } else {
        doc.intro = intro;
        out(&doc.to_string())
    }
}

fn run_acsi(a: &AcsiArgs) -> Result<(), Failure> {
    let start = Instant::now();
    let observer = Observer::silent().with_steps(move |m| {
        note(&format!("[{:>6.2}s] {m}", start.elapsed().as_secs_f64()));
    });
    let mut request = a.request()?;
    let (data, model, description) = match (&a.data, &a.model) {
        (Some(d), Some(m)) => {
            observer.step(&format!("reading {}", d.display()));
            let data = a.input.read(d)?;
            let model = CsiModel::from_model(analysis::read_model(m)?, "custom");
            let desc = match data.source() {
                Some(source) => format!("Data: {source}; model: {}.", m.display()),
                None => format!(
                    "Data: {}, {} rows; model: {}.",
                    d.display(),
                    data.n_rows(),
                    m.display()
                ),
            };
            (data, model, desc)
        }
        _ => {
            let survey = BuiltinSurvey {
                respondents: a.respondents,
                months: a.months,
                seed: a.survey_seed.unwrap_or(a.seed),
            };
            observer.step(&format!(
                "simulating the built-in telecom survey ({} respondents, {} months, seed {})",
                survey.respondents, survey.months, survey.seed
            ));
            request = survey.complete(&request);
            let (data, model, _) = survey.simulate()?;
            (data, model, survey.description(a.lang))
        }
    };
    let doc = analysis::acsi::run(&data, &model, &description, &request, &observer)?;
    observer.step(&format!("writing the report to {}", a.out.display()));
    let written = doc.write(&a.out)?;
    observer.step(&format!("done: {} files", written.len()));
    if a.json {
        out(&(doc.to_json() + "\n"))
    } else {
        out(&format!(
            "{}\n{}\n",
            a.out.join("report.html").display(),
            a.out.join("report.md").display()
        ))
    }
}

fn run_servqual(a: &ServqualArgs) -> Result<(), Failure> {
    let data = match &a.data {
        Some(path) => {
            let data = a.input.read(path)?;
            if let Some(source) = data.source() {
                note(&format!("Data: {source}"));
            }
            data
        }
        None => {
            let (data, intro) = analysis::servqual::builtin(a.seed)?;
            note(&intro);
            data
        }
    };
    let request = ServqualRequest {
        codebook: a.input.codebook()?,
        reverse: a.reverse.iter().cloned().collect(),
        scale: a.scale,
        segment: a.segment.clone(),
        lang: a.lang,
        ..ServqualRequest::default()
    };
    let doc = analysis::servqual::run(&data, &request, &observer())?;
    let page = doc.page();
    let written = page.write(&a.out)?;
    for path in &written {
        note(&format!("written: {}", path.display()));
    }
    if a.json {
        out(&(doc.to_json() + "\n"))
    } else if a.lang == Lang::Zh {
        out(&page.to_markdown(&file_names(&written)))
    } else {
        out(&doc.to_string())
    }
}

fn run_kano(a: &KanoArgs) -> Result<(), Failure> {
    let (data, intro) = match &a.data {
        Some(path) => (a.input.read(path)?, None),
        None => {
            let (data, intro) = analysis::kano::builtin(a.respondents, a.seed)?;
            (data, Some(intro))
        }
    };
    let request = KanoRequest {
        // The built-in survey's features by their wording unless a codebook is given.
        codebook: a
            .input
            .codebook()?
            .or_else(|| a.data.is_none().then(analysis::kano::builtin_codebook)),
        counts: a.counts,
        threshold: a.threshold,
        segment: a.segment.clone(),
        max_questionable: a.max_q,
        weighted: a.weighted,
        short: a.short,
        table: a.table.clone(),
        lang: a.lang,
    };
    let mut doc = analysis::kano::run(&data, &request, &observer())?;
    let page = doc.page();
    let written = if a.no_charts {
        Vec::new()
    } else {
        page.write(&a.out)?
    };
    if a.lang == Lang::Zh && !a.json {
        for path in &written {
            note(&format!("written: {}", path.display()));
        }
        return out(&page.to_markdown(&file_names(&written)));
    }
    if a.json {
        out(&(doc.to_json() + "\n"))?;
        for path in &written {
            note(&format!("chart written: {}", path.display()));
        }
        Ok(())
    } else {
        doc.intro = intro;
        let mut text = doc.to_string();
        if !written.is_empty() {
            text.push('\n');
            for path in &written {
                text.push_str(&format!("chart written: {}\n", path.display()));
            }
        }
        out(&text)
    }
}

fn run_monitor(a: &MonitorArgs) -> Result<(), Failure> {
    // The scorecard's options apply to a touchpoint survey only: never ignore them silently.
    let c = &a.scorecard;
    if a.touchpoints.is_none() && (!c.by.is_empty() || c.scale.is_some() || c.min_n != 30) {
        return Err(csikit::Error::InvalidSetting {
            name: "by/scale/min-n".into(),
            message: "--by, --scale and --min-n describe the touchpoint scorecard: give them with \
                      --touchpoints FILE --score COLUMN, or leave them out"
                .into(),
        }
        .into());
    }
    let (input, intro) = match (&a.complaints, &a.customers) {
        (Some(c), Some(n)) => (
            MonitorInput {
                complaints: a.input.read(c)?,
                customers: a.input.read(n)?,
                survey: a.survey.as_ref().map(|s| a.input.read(s)).transpose()?,
                kpi_data: None,
                touchpoints: None,
            },
            None,
        ),
        _ => {
            let (input, intro) = MonitorInput::builtin()?;
            (input, Some(intro))
        }
    };
    let mut input = input;
    input.kpi_data = a.kpi_data.as_ref().map(|p| a.input.read(p)).transpose()?;
    input.touchpoints = a
        .touchpoints
        .as_ref()
        .map(|p| a.input.read(p))
        .transpose()?;
    let codebook = a.input.codebook()?;
    let kpis = match &a.kpis {
        Some(p) => csikit::monitor::custom::KpiDefinition::from_dataset(&a.input.read(p)?)?,
        None => Vec::new(),
    };
    let targets = match &a.targets {
        Some(p) => csikit::monitor::custom::KpiTarget::from_dataset(&a.input.read(p)?)?,
        None => Vec::new(),
    };
    let request = MonitorRequest {
        scorecard: a.score.as_deref().map(|score| {
            a.scorecard.request(
                score,
                a.touchpoint_period.as_deref(),
                a.lang,
                codebook.clone(),
            )
        }),
        codebook,
        satisfaction_scale: Scale::new(1.0, 10.0),
        period: a.period.clone(),
        top: a.top,
        min_volume: a.min_volume,
        lang: a.lang,
        kpis,
        targets,
    };
    let mut doc = analysis::monitor::run(&input, &request, &observer())?;
    let page = doc.page();
    let written = page.write(&a.out)?;
    if a.json {
        return out(&(doc.to_json() + "\n"));
    }
    if a.lang == Lang::Zh {
        for path in &written {
            note(&format!("written: {}", path.display()));
        }
        return out(&page.to_markdown(&file_names(&written)));
    }
    doc.intro = intro;
    let mut text = doc.to_string();
    for path in &written {
        text.push_str(&format!("\nwritten: {}\n", path.display()));
    }
    out(&text)
}

/// Writes the charts into `dir` (the files it wrote).
fn write_charts(
    charts: &[analysis::Chart],
    dir: &std::path::Path,
) -> Result<Vec<PathBuf>, Failure> {
    Ok(analysis::write_charts(charts, dir)?)
}

/// Prints the JSON document (charts written named on stderr) or the text
/// report followed by the charts written: the output of `drivers`,
/// `profile`, `link` and `scorecard`.
fn print_document(
    as_json: bool,
    json: impl FnOnce() -> String,
    text: impl FnOnce() -> String,
    written: &[PathBuf],
) -> Result<(), Failure> {
    if as_json {
        out(&(json() + "\n"))?;
        for path in written {
            note(&format!("chart written: {}", path.display()));
        }
        return Ok(());
    }
    let mut text = text();
    for path in written {
        text.push_str(&format!("\nchart written: {}\n", path.display()));
    }
    out(&text)
}

/// The file names of written paths (the charts a Markdown report links to).
fn file_names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| {
            p.file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
        })
        .collect()
}

/// Runs a parsed command line.
fn dispatch(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Pls(a) => run_pls(a),
        Command::Acsi(a) => run_acsi(a),
        Command::Servqual(a) => run_servqual(a),
        Command::Kano(a) => run_kano(a),
        Command::Monitor(a) => run_monitor(a),
        Command::Drivers(a) => drivers::run_drivers(a),
        Command::Profile(a) => drivers::run_profile(a),
        Command::Link(a) => drivers::run_link(a),
        Command::Scorecard(a) => scorecard::run(a),
    }
}

/// Runs the command on these arguments (the first is the program name) and
/// returns its exit code: 0, 1 (data or model error) or 2 (usage).
pub fn run_with<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let code = e.exit_code();
            if e.print().is_err() {
                return ExitCode::SUCCESS;
            }
            return ExitCode::from(code as u8);
        }
    };
    match dispatch(&cli) {
        Ok(()) | Err(Failure::ClosedPipe) => ExitCode::SUCCESS,
        Err(Failure::Library(e)) => {
            note(&format!("error: {e}"));
            ExitCode::FAILURE
        }
        Err(Failure::Output(e)) => {
            note(&format!("error: cannot write the output: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// The `csikit` program: the process's own arguments.
pub fn main() -> ExitCode {
    run_with(std::env::args_os())
}

/// An example binary of the csikit crate: `csikit SUBCOMMAND` with the
/// process's arguments, so the example and the subcommand take the same
/// flags and print the same output.
pub fn main_as(subcommand: &str) -> ExitCode {
    let mut args = std::env::args_os();
    let program = args.next().unwrap_or_else(|| OsString::from("csikit"));
    run_with(
        [program, OsString::from(subcommand)]
            .into_iter()
            .chain(args),
    )
}
