//! The `acsi` task: the analyst's CSI report — the 0–100 index, impacts,
//! the importance–performance map with short boards, per segment and per
//! period — as a JSON document and a report folder (Markdown, HTML, SVG
//! charts, CSV tables).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Observer;
use super::audit::{self, DataAudit};
use crate::PlsSettings;
use crate::audit::AuditWarning;
use crate::codebook::Codebook;
use crate::csi::bins::{self, BinSpec};
use crate::csi::{
    CsiAnalysis, CsiModel, CsiReport, GroupAnalysis, Impact, IndexResult, Ipma, PeriodComparison,
    Scale, Scales,
};
use crate::csi::{FixFirst, fix_first};
use crate::i18n::Lang;
use crate::pls::fit::PathRow;
use crate::{Bootstrap, Dataset, ReadReport, Result, SurveySimulator};

/// What to compute in an `acsi` run. Every field has the default the
/// `csikit acsi` command documents; in JSON a missing field takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AcsiRequest {
    /// Analyse per level of each of these columns.
    pub segments: Vec<String>,
    /// Analyse per period of this column, in time order.
    pub period: Option<String>,
    /// Also compare every period with this one (fixed base).
    pub base: Option<String>,
    /// Compare each period with the previous one (default true).
    pub previous: bool,
    /// Also compare each period with the one this many periods earlier
    /// (default 12: year over year for months; `None` = no such comparison).
    pub lag: Option<usize>,
    /// Target construct of impacts and IPMA (default Satisfaction).
    pub target: String,
    /// Theoretical answer bounds of every item. Default: none — then each
    /// item's scale comes from `item_scales` or the codebook, and an item
    /// with no declared scale is scored on its observed range (stated in the
    /// report and the JSON's `data.scale_source`).
    pub scale: Option<Scale>,
    /// Bounds of single items (mixed scales).
    pub item_scales: Vec<(String, Scale)>,
    /// Minimum usable respondents per group (default 30).
    pub min_group: usize,
    /// Confidence level of the intervals (default 0.95).
    pub level: f64,
    /// Bootstrap resamples of every fit (default off).
    pub bootstrap: Option<usize>,
    /// Seed of the bootstrap (default 2026).
    pub seed: u64,
    /// Report title (default: "Customer satisfaction index report (MODEL)").
    pub title: Option<String>,
    /// Extra notes shown at the end of the report.
    pub notes: Vec<String>,
    /// The estimation settings of every fit (missing data, scheme, …).
    pub settings: PlsSettings,
    /// The codebook: missing codes, declared scales, reverse items, labels.
    pub codebook: Option<Codebook>,
    /// The report language (`en`, the default, or `zh`).
    pub lang: Lang,
    /// Numeric columns cut into bins before the segment analyses
    /// (`arpu=50,100`, `arpu=q4`); name the column in `segments` (alone or
    /// crossed) to analyse per bin.
    pub bins: Vec<BinSpec>,
    /// Relative importance of the target's drivers on the construct scores
    /// beside the PLS importance, and the profile of the dissatisfied
    /// (default on; cheap: exact Shapley over at most 15 drivers, no
    /// bootstrap).
    pub key_drivers: bool,
    /// Dissatisfied: a respondent's target index (0–100) at or below this
    /// (default 50, the lower half of the answer scale).
    pub dissatisfied_at: f64,
}

impl Default for AcsiRequest {
    fn default() -> Self {
        AcsiRequest {
            segments: Vec::new(),
            period: None,
            base: None,
            previous: true,
            lag: Some(12),
            target: "Satisfaction".into(),
            scale: None,
            item_scales: Vec::new(),
            min_group: 30,
            level: 0.95,
            bootstrap: None,
            seed: 2026,
            title: None,
            notes: Vec::new(),
            settings: PlsSettings::default(),
            codebook: None,
            lang: Lang::En,
            bins: Vec::new(),
            key_drivers: true,
            dissatisfied_at: 50.0,
        }
    }
}

impl AcsiRequest {
    /// The period comparisons asked for: previous period, the lag, the base.
    pub fn comparisons(&self) -> Vec<PeriodComparison> {
        let mut cmp = Vec::new();
        if self.previous {
            cmp.push(PeriodComparison::Previous);
        }
        if let Some(k) = self.lag {
            cmp.push(PeriodComparison::Lag(k));
        }
        if let Some(b) = &self.base {
            cmp.push(PeriodComparison::Base(b.clone()));
        }
        cmp
    }

    fn check(&self) -> Result<()> {
        if self.lag == Some(0) {
            return Err(crate::Error::InvalidSetting {
                name: "lag".into(),
                message: "the year-over-year lag must be at least 1 period".into(),
            });
        }
        Ok(())
    }
}

/// The built-in survey's codebook (CSV text; see [`BuiltinSurvey::codebook`]).
pub const TELECOM_CODEBOOK: &str = include_str!("../csi/telecom_codebook.csv");

/// The built-in survey: a simulated telecom survey (ECSI population model),
/// answers 1–10, with the columns `region`, `arpu_tier`, `age_band`, `plan`
/// and `month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuiltinSurvey {
    /// Respondents (default 9 600).
    pub respondents: usize,
    /// Months (default 24).
    pub months: usize,
    /// Seed (default 2026).
    pub seed: u64,
}

impl Default for BuiltinSurvey {
    fn default() -> Self {
        BuiltinSurvey {
            respondents: 9600,
            months: 24,
            seed: 2026,
        }
    }
}

impl BuiltinSurvey {
    /// The segment columns the built-in report analyses.
    pub const SEGMENTS: [&'static str; 4] = ["region", "arpu_tier", "age_band", "plan"];
    /// Its period column.
    pub const PERIOD: &'static str = "month";

    /// Simulates the survey; returns the data, the ECSI model and a line
    /// describing them.
    pub fn simulate(&self) -> Result<(Dataset, CsiModel, String)> {
        let mut data = SurveySimulator::new(self.respondents)
            .seed(self.seed)
            .months(self.months)
            .simulate()?;
        // Waves 1, 2, … become calendar months from January 2025, so that
        // reports show months (2025-01, 2025年1月) and compare a year
        // earlier by the calendar.
        let months: Vec<String> = data
            .numeric(Self::PERIOD)?
            .iter()
            .map(|&m| Self::month_label(m as i64))
            .collect();
        data.set_text(Self::PERIOD, months)?;
        Ok((
            data,
            SurveySimulator::csi_model(),
            self.description(Lang::En),
        ))
    }

    /// The calendar month of wave `wave` (1 = January 2025): `2025-01`.
    pub fn month_label(wave: i64) -> String {
        crate::period::Period::from_index(crate::period::Frequency::Monthly, 2025 * 12 + wave - 1)
            .to_string()
    }

    /// The codebook of the built-in survey: each item's wording in Chinese
    /// and English (telecom questions) and its 1–10 scale
    /// (`src/csi/telecom_codebook.csv`, also usable as `--codebook`).
    pub fn codebook() -> Codebook {
        Codebook::parse_csv(TELECOM_CODEBOOK).expect("the built-in codebook parses")
    }

    /// The line describing the survey in a report language.
    pub fn description(&self, lang: Lang) -> String {
        crate::csi::text::CsiText::BuiltinData.fill(
            lang,
            &[
                ("n", self.respondents.to_string()),
                ("months", self.months.to_string()),
                ("seed", self.seed.to_string()),
            ],
        )
    }

    /// The request the built-in report uses: every segment column and the
    /// month, unless the request names its own, and the survey's answer
    /// scale 1–10, and its codebook (item wording) unless the request has one.
    pub fn complete(&self, request: &AcsiRequest) -> AcsiRequest {
        let mut r = request.clone();
        r.scale.get_or_insert(Scale::new(1.0, 10.0));
        if r.codebook.is_none() {
            r.codebook = Some(Self::codebook());
        }
        if r.segments.is_empty() {
            r.segments = Self::SEGMENTS.map(String::from).to_vec();
        }
        if r.period.is_none() {
            r.period = Some(Self::PERIOD.into());
        }
        r
    }
}

/// The numbers of the CSI report, as JSON (`csikit acsi --json`): the
/// overall index, impacts, paths and importance–performance map with its
/// short boards, each segment analysis and the period analysis (labels in
/// time order), with the groups left out and why.
#[derive(Debug, Clone, Serialize)]
pub struct AcsiJson<'a> {
    /// Report title.
    pub title: &'a str,
    /// The data and model, in a line.
    pub data_description: &'a str,
    /// The model's template (ACSI, ECSI, CCSI, or custom).
    pub model: &'a str,
    /// Rows used by the overall fit.
    pub n_observations: usize,
    /// Rows dropped by listwise deletion in the overall fit.
    pub n_dropped: usize,
    /// Target construct of impacts and IPMA.
    pub target: String,
    /// The answer scales.
    pub scales: &'a Scales,
    /// 0–100 index of every construct, with intervals.
    pub index: &'a IndexResult,
    /// Impacts of every driver on every construct it reaches.
    pub impacts: &'a [Impact],
    /// Structural paths.
    pub paths: &'a [PathRow],
    /// The importance–performance map of the target with its ranked short boards.
    pub ipma: &'a Ipma,
    /// The fix-first ranking (item gains and their sums per construct; see
    /// [`crate::csi::fix_first`]).
    pub fix_first: FixFirst,
    /// Binned columns: cut points and rows per bin.
    pub bins: &'a [crate::csi::bins::BinSummary],
    /// Relative importance beside the PLS importance, and the profile of the
    /// dissatisfied (absent when turned off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_drivers: Option<&'a crate::csi::why::KeyDrivers>,
    /// One analysis per segment column.
    pub segments: &'a [GroupAnalysis],
    /// The analysis per period, if asked.
    pub periods: Option<&'a GroupAnalysis>,
    /// Notes shown in the report.
    pub notes: &'a [String],
    /// What happened to the data: rows read, used and dropped by reason,
    /// recoded codes, scales and their source, warnings.
    pub data: Option<&'a DataAudit>,
    /// Where the data were read from, when from a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<&'a ReadReport>,
}

/// The result of an `acsi` run: the report, from which the JSON and the
/// report folder are made.
#[derive(Debug, Clone)]
pub struct AcsiDocument {
    /// The report.
    pub report: CsiReport,
    /// Where the data were read from ([`Dataset::source`]).
    pub input: Option<ReadReport>,
}

impl AcsiDocument {
    /// The numbers as the JSON document.
    pub fn json(&self) -> AcsiJson<'_> {
        let r = &self.report;
        AcsiJson {
            title: &r.title,
            data_description: &r.data_description,
            model: &r.fit.model.template().name,
            n_observations: r.fit.pls.n_observations,
            n_dropped: r.fit.pls.missing.n_dropped,
            target: r.ipma.target.name().to_string(),
            scales: &r.fit.scales,
            index: &r.fit.index,
            impacts: &r.fit.impacts,
            paths: &r.fit.pls.paths,
            ipma: &r.ipma,
            fix_first: fix_first(&r.ipma),
            bins: &r.bins,
            key_drivers: r.key_drivers.as_ref(),
            segments: &r.segments,
            periods: r.periods.as_ref(),
            notes: &r.notes,
            data: r.audit.as_ref(),
            input: self.input.as_ref(),
        }
    }

    /// The JSON document, pretty-printed.
    pub fn to_json(&self) -> String {
        super::pretty(&self.json())
    }

    /// Writes the report folder (`report.md`, `report.html`, `charts/*.svg`,
    /// `tables/*.csv`) and returns the files written.
    ///
    /// # Errors
    /// [`crate::Error::Io`] when a file cannot be written.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        self.report.write(dir)
    }
}

/// Estimates the CSI model overall, per segment and per period and
/// assembles the report.
pub fn run(
    data: &Dataset,
    model: &CsiModel,
    description: &str,
    request: &AcsiRequest,
    observer: &Observer,
) -> Result<AcsiDocument> {
    request.check()?;
    let (data, recoding) = audit::apply_codebook(data, request.codebook.as_ref())?;
    let mut bin_summaries = Vec::new();
    let data = if request.bins.is_empty() && !request.segments.iter().any(|s| bins::is_crossed(s)) {
        data
    } else {
        let mut owned = data.into_owned();
        for b in &request.bins {
            observer.step(&format!("binning {}", b.column));
            bin_summaries.push(bins::apply_bins(&mut owned, b)?);
        }
        for s in request.segments.iter().filter(|s| bins::is_crossed(s)) {
            bins::add_crossed(&mut owned, s)?;
        }
        std::borrow::Cow::Owned(owned)
    };
    let data = data.as_ref();
    let mut audit = DataAudit::of(data);
    audit.recoding = recoding;
    let indicators: Vec<&str> = model.model().indicators().collect();
    let scales = audit::resolve_scales(
        data,
        &indicators,
        request.codebook.as_ref(),
        request.scale,
        &request.item_scales,
        &mut audit,
    )?;
    let settings = request.settings.clone();
    let mut analysis = CsiAnalysis::new(model, scales)
        .configure(|_| crate::Pls::with_settings(model.model(), settings))
        .target(request.target.as_str())
        .min_group_size(request.min_group)
        .level(request.level);
    if let Some(n) = request.bootstrap {
        observer.step(&format!(
            "bootstrap: {n} resamples per fit, seed {}",
            request.seed
        ));
        let mut settings = Bootstrap::new(n).seed(request.seed);
        if let Some(p) = observer.progress("bootstrap", n) {
            settings = settings.progress(p);
        }
        analysis = analysis.bootstrap(settings);
    }
    observer.step("fitting the model on all respondents");
    let fit = analysis.fit(data)?;
    let map = fit.ipma(request.target.as_str(), &Default::default())?;
    let key_drivers = if request.key_drivers {
        observer.step("relative importance and the profile of the dissatisfied");
        Some(crate::csi::why::key_drivers(
            &fit,
            &map,
            data,
            &map.target,
            &request.segments,
            request.dissatisfied_at,
        ))
    } else {
        None
    };
    let mut segments = Vec::new();
    for s in &request.segments {
        observer.step(&format!("estimating per {s}"));
        segments.push(analysis.segments(data, s)?);
    }
    let periods = match &request.period {
        Some(p) => {
            observer.step(&format!("estimating per {p}"));
            Some(analysis.periods(data, p, &request.comparisons())?)
        }
        None => None,
    };
    audit.missing(&fit.pls.missing);
    for g in segments.iter().chain(periods.iter()) {
        if g.n_missing_label > 0 {
            audit.warn(AuditWarning::NoLabel {
                rows: g.n_missing_label,
                column: g.column.clone(),
            });
        }
        if !g.skipped.is_empty() {
            let mut labels: Vec<String> =
                g.skipped.iter().take(8).map(|s| s.label.clone()).collect();
            if g.skipped.len() > 8 {
                labels.push("…".into());
            }
            audit.warn(AuditWarning::GroupsSkipped {
                column: g.column.clone(),
                rows: g.skipped.iter().map(|s| s.n).sum(),
                min: g.min_group_size,
                labels,
                groups: g.skipped.len(),
            });
        }
    }
    let audit = audit.finish();
    let notes = request.notes.clone();
    let title = request.title.clone().unwrap_or_else(|| {
        crate::csi::text::CsiText::Title
            .fill(request.lang, &[("model", model.template().name.clone())])
    });
    Ok(AcsiDocument {
        report: CsiReport {
            title,
            data_description: description.to_string(),
            fit,
            ipma: map,
            segments,
            periods,
            notes,
            audit: Some(audit),
            lang: request.lang,
            codebook: request.codebook.clone(),
            bins: bin_summaries,
            key_drivers,
        },
        input: data.source().cloned(),
    })
}
