//! The `acsi` task: the analyst's CSI report — the 0–100 index, impacts,
//! the importance–performance map with short boards, per segment and per
//! period — as a JSON document and a report folder (Markdown, HTML, SVG
//! charts, CSV tables).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Observer;
use crate::csi::{
    CsiAnalysis, CsiModel, CsiReport, GroupAnalysis, Impact, IndexResult, Ipma, PeriodComparison,
    Scale, Scales,
};
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
    /// Year-over-year lag in periods (default 12).
    pub lag: usize,
    /// Target construct of impacts and IPMA (default Satisfaction).
    pub target: String,
    /// Theoretical answer bounds of every item (default 1:10).
    pub scale: Scale,
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
}

impl Default for AcsiRequest {
    fn default() -> Self {
        AcsiRequest {
            segments: Vec::new(),
            period: None,
            base: None,
            lag: 12,
            target: "Satisfaction".into(),
            scale: Scale::new(1.0, 10.0),
            item_scales: Vec::new(),
            min_group: 30,
            level: 0.95,
            bootstrap: None,
            seed: 2026,
            title: None,
            notes: Vec::new(),
        }
    }
}

impl AcsiRequest {
    /// The answer scales: `scale` for every item, `item_scales` on top.
    pub fn scales(&self) -> Scales {
        let mut scales = Scales::uniform(self.scale);
        for (item, s) in &self.item_scales {
            scales = scales.with(item.clone(), *s);
        }
        scales
    }

    /// The period comparisons asked for: previous period, the lag, the base.
    pub fn comparisons(&self) -> Vec<PeriodComparison> {
        let mut cmp = vec![PeriodComparison::Previous, PeriodComparison::Lag(self.lag)];
        if let Some(b) = &self.base {
            cmp.push(PeriodComparison::Base(b.clone()));
        }
        cmp
    }

    fn check(&self) -> Result<()> {
        if self.lag == 0 {
            return Err(crate::Error::InvalidSetting {
                name: "lag".into(),
                message: "the year-over-year lag must be at least 1 period".into(),
            });
        }
        Ok(())
    }
}

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
        let data = SurveySimulator::new(self.respondents)
            .seed(self.seed)
            .months(self.months)
            .simulate()?;
        let desc = format!(
            "Data: built-in simulated telecom survey (csikit SurveySimulator, ECSI population model), {} respondents over {} months, seed {}, answers 1-10.",
            self.respondents, self.months, self.seed
        );
        Ok((data, SurveySimulator::csi_model(), desc))
    }

    /// The request the built-in report uses: every segment column and the
    /// month, unless the request names its own.
    pub fn complete(&self, request: &AcsiRequest) -> AcsiRequest {
        let mut r = request.clone();
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
    /// One analysis per segment column.
    pub segments: &'a [GroupAnalysis],
    /// The analysis per period, if asked.
    pub periods: Option<&'a GroupAnalysis>,
    /// Notes shown in the report.
    pub notes: &'a [String],
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
            segments: &r.segments,
            periods: r.periods.as_ref(),
            notes: &r.notes,
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
    let mut analysis = CsiAnalysis::new(model, request.scales())
        .target(request.target.as_str())
        .min_group_size(request.min_group)
        .level(request.level);
    if let Some(n) = request.bootstrap {
        observer.step(&format!(
            "bootstrap: {n} resamples per fit, seed {}",
            request.seed
        ));
        analysis = analysis.bootstrap(Bootstrap::new(n).seed(request.seed));
    }
    observer.step("fitting the model on all respondents");
    let fit = analysis.fit(data)?;
    let map = fit.ipma(request.target.as_str(), &Default::default())?;
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
    let mut notes = vec![scale_note(request)];
    notes.extend(request.notes.iter().cloned());
    let title = request.title.clone().unwrap_or_else(|| {
        format!(
            "Customer satisfaction index report ({})",
            model.template().name
        )
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
        },
        input: data.source().cloned(),
    })
}

fn scale_note(request: &AcsiRequest) -> String {
    let mut note = format!(
        "Answer scale {}-{} for every item",
        request.scale.min, request.scale.max
    );
    if !request.item_scales.is_empty() {
        let items: Vec<String> = request
            .item_scales
            .iter()
            .map(|(i, s)| format!("{i} {}-{}", s.min, s.max))
            .collect();
        note = format!(
            "Answer scale {}-{} (items {})",
            request.scale.min,
            request.scale.max,
            items.join(", ")
        );
    }
    note + ". Each segment and period is a separate estimation with the same model and settings."
}
