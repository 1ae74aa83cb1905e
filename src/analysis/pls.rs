//! The `pls` task: one PLS fit with its assessment and, on request, Q² by
//! blindfolding, PLSpredict, the bootstrap, multi-group analysis, the 0–100
//! index and the importance–performance map. Its document is the JSON of
//! DESIGN.md §4 ([`PlsReport`]) and a text report.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Observer;
use super::audit::{self, DataAudit};
use crate::codebook::Codebook;
use crate::csi::{self, IndexResult, Ipma, IpmaOptions, Scale, Scales};
use crate::pls::Q2Scale;
use crate::pls::report::PlsReport;
use crate::{
    Bootstrap, Correction, Dataset, Model, MultiGroup, Pls, PlsFit, PlsPredict, PlsSettings,
    ReadReport, Result, SignChange, StatisticSet, SurveySimulator,
};

/// A simple-slope table request: the focal construct's effect on `dependent`
/// at moderator values −1, 0, +1 SD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlopesRequest {
    /// Focal (independent) construct.
    pub focal: String,
    /// Moderator construct.
    pub moderator: String,
    /// Dependent construct.
    pub dependent: String,
}

/// What to compute in a `pls` run. Every field has the default the
/// `csikit pls` command documents (`PlsRequest::default()`); in JSON a
/// missing field takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlsRequest {
    /// The estimation settings (scheme, tolerance, missing data, case
    /// weights, PLSc, extensions, …), with their defaults.
    pub settings: PlsSettings,
    /// Q² by blindfolding (Stone 1974; Geisser 1974).
    pub q2: bool,
    /// Blindfolding omission distance (default 7, or the next number that
    /// does not divide the number of rows); implies `q2`.
    pub omission: Option<usize>,
    /// How blindfolding rescales its predictions (default
    /// [`Q2Scale::Observed`], the published definition; `mean_replaced` is
    /// csikit's former rule).
    pub q2_scale: Q2Scale,
    /// PLSpredict folds (default off).
    pub predict: Option<usize>,
    /// Repetitions of the k-fold split (default 1).
    pub repetitions: usize,
    /// Bootstrap resamples (default off).
    pub bootstrap: Option<usize>,
    /// Confidence level of the bootstrap intervals (default 0.95).
    pub confidence: f64,
    /// Sign-change option of the bootstrap (default none).
    pub sign_change: SignChange,
    /// Keep resamples/permutations whose PLSc solution is inadmissible
    /// (default false: drop and count them, as cSEM does).
    pub keep_inadmissible: bool,
    /// Multi-group analysis by the levels of this column (default off).
    pub groups: Option<String>,
    /// Permutations per pair of groups (default 999).
    pub permutations: usize,
    /// Multiple-testing correction over pairs of groups (default Holm).
    pub correction: Correction,
    /// Seed of the folds, bootstrap and permutations (default 1).
    pub seed: u64,
    /// Theoretical answer bounds of every item: adds the 0–100 index.
    pub scale: Option<Scale>,
    /// Bounds of single items (mixed scales), on top of `scale`.
    pub item_scales: Vec<(String, Scale)>,
    /// Target of the importance–performance map (needs a scale).
    pub ipma: Option<String>,
    /// Simple-slope table.
    pub slopes: Option<SlopesRequest>,
    /// The codebook: missing codes, declared scales, reverse items, labels
    /// (DESIGN.md §6).
    pub codebook: Option<Codebook>,
    /// Specific indirect effects, each chain of mediators separately
    /// (`specific_indirect` key; with `bootstrap`, also their intervals).
    pub specific_indirect: bool,
    /// Construct scores of the rows used ([`PlsDocument::scores`]; not in
    /// the JSON: `csikit pls --scores FILE` writes them as CSV).
    pub scores: bool,
    /// The respondent id column written beside the scores (default: a
    /// column named id, respondent_id, respondent, resp_id, case_id or
    /// caseid, ignoring case, if the data have one).
    pub id_column: Option<String>,
}

impl Default for PlsRequest {
    fn default() -> Self {
        PlsRequest {
            settings: PlsSettings::default(),
            q2: false,
            omission: None,
            q2_scale: Q2Scale::Observed,
            predict: None,
            repetitions: 1,
            bootstrap: None,
            confidence: 0.95,
            sign_change: SignChange::None,
            keep_inadmissible: false,
            groups: None,
            permutations: 999,
            correction: Correction::Holm,
            seed: 1,
            scale: None,
            item_scales: Vec::new(),
            ipma: None,
            slopes: None,
            codebook: None,
            specific_indirect: false,
            scores: false,
            id_column: None,
        }
    }
}

impl PlsRequest {
    /// The estimator these settings describe.
    pub fn estimator<'m>(&self, model: &'m Model) -> Pls<'m> {
        Pls::with_settings(model, self.settings.clone())
    }

    /// Whether the request declares answer scales (and so asks for the
    /// 0–100 index): `scale`, `item_scales` or a codebook with scales.
    pub fn has_scales(&self) -> bool {
        self.scale.is_some()
            || !self.item_scales.is_empty()
            || self
                .codebook
                .as_ref()
                .is_some_and(|c| c.items.iter().any(|i| i.scale.is_some()))
    }

    /// Whether the request needs the rows beyond the fit (Q², PLSpredict,
    /// bootstrap, multi-group, scores).
    pub fn needs_rows(&self) -> bool {
        self.scores
            || self.q2
            || self.omission.is_some()
            || self.predict.is_some()
            || self.bootstrap.is_some()
            || self.groups.is_some()
    }

    /// Settings that cannot work together, as an error naming the fix.
    pub fn check(&self) -> Result<()> {
        if self.ipma.is_some() && !self.has_scales() {
            return Err(crate::Error::InvalidSetting {
                name: "ipma".into(),
                message: "the importance-performance map needs the answer scale \
                          (--scale MIN:MAX; Python: scale=(min, max))"
                    .into(),
            });
        }
        Ok(())
    }

    fn bootstrap_settings(&self, n: usize) -> Bootstrap {
        Bootstrap::new(n)
            .seed(self.seed)
            .confidence(self.confidence)
            .sign_change(self.sign_change)
            .keep_inadmissible(self.keep_inadmissible)
            .specific_indirect(self.specific_indirect)
    }
}

/// The result of a `pls` run: the JSON document ([`PlsReport`], DESIGN.md
/// §4) and what its text report shows.
#[derive(Debug, Clone)]
pub struct PlsDocument {
    /// The JSON document.
    pub report: PlsReport,
    /// The fit behind it.
    pub fit: PlsFit,
    /// The data audit (also in the report's `data` key).
    pub audit: DataAudit,
    /// The 0–100 index, when a scale was given.
    pub index: Option<IndexResult>,
    /// The importance–performance map, when asked for.
    pub ipma: Option<Ipma>,
    /// A line on the data shown above the text report (e.g. the built-in
    /// example's description); not part of the JSON.
    pub intro: Option<String>,
    /// Where the data were read from ([`Dataset::source`]): a `Data:` line
    /// of the text report and the `input` key of the JSON.
    pub source: Option<ReadReport>,
    /// Construct scores of the rows used, when asked for (`scores`).
    pub scores: Option<ScoreTable>,
}

/// Construct scores with the rows they belong to (`csikit pls --scores`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreTable {
    /// The respondent id column, if the data have one (or one was named).
    pub id_column: Option<String>,
    /// The id of each scored row (empty without an id column).
    pub ids: Vec<Option<String>>,
    /// The scores (mean 0, sample SD 1 per construct) and their data rows.
    pub scores: crate::pls::Scores,
}

/// Column names taken as a respondent id, ignoring case.
const ID_NAMES: [&str; 6] = [
    "id",
    "respondent_id",
    "respondent",
    "resp_id",
    "case_id",
    "caseid",
];

impl ScoreTable {
    /// The scores of `fit` for the rows of `data` it used, with the id column
    /// `id_column` (or the first column named like an id).
    ///
    /// # Errors
    /// The errors of [`PlsFit::scores`]; [`crate::Error::UnknownColumn`] for
    /// an `id_column` the data lack.
    pub fn new(fit: &PlsFit, data: &Dataset, id_column: Option<&str>) -> Result<ScoreTable> {
        let scores = fit.scores(data)?;
        let id_column = match id_column {
            Some(c) => {
                data.column(c)?;
                Some(c.to_string())
            }
            None => data
                .names()
                .iter()
                .find(|n| ID_NAMES.iter().any(|id| n.eq_ignore_ascii_case(id)))
                .cloned(),
        };
        let ids = match &id_column {
            Some(c) => {
                let labels = data.labels(c)?;
                scores.rows.iter().map(|&r| labels[r].clone()).collect()
            }
            None => Vec::new(),
        };
        Ok(ScoreTable {
            id_column,
            ids,
            scores,
        })
    }

    /// Writes [`ScoreTable::to_csv`] to `path`.
    ///
    /// # Errors
    /// [`crate::Error::Io`] if the file cannot be written.
    pub fn write(&self, path: &std::path::Path) -> Result<()> {
        std::fs::write(path, self.to_csv()).map_err(|source| crate::Error::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// CSV: `row` (1-based data row), the id column if any, then one column
    /// per construct (full precision).
    pub fn to_csv(&self) -> String {
        let field = |s: &str| {
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let k = self.scores.constructs.len();
        let mut head = vec!["row".to_string()];
        head.extend(self.id_column.iter().map(|c| field(c)));
        head.extend(self.scores.constructs.iter().map(|c| field(c)));
        let mut out = head.join(",") + "\n";
        for (i, &r) in self.scores.rows.iter().enumerate() {
            let mut line = vec![(r + 1).to_string()];
            if self.id_column.is_some() {
                line.push(field(self.ids[i].as_deref().unwrap_or("")));
            }
            line.extend(
                self.scores.values[i * k..(i + 1) * k]
                    .iter()
                    .map(|v| v.to_string()),
            );
            out += &(line.join(",") + "\n");
        }
        out
    }
}

impl PlsDocument {
    /// The JSON document, pretty-printed (the `--json` output).
    pub fn to_json(&self) -> String {
        match &self.source {
            None => super::pretty(&self.report),
            Some(input) => super::pretty(&super::WithInput {
                doc: &self.report,
                input,
            }),
        }
    }
}

/// The built-in example: the ECSI model on a simulated telecom survey
/// (250 respondents, seed 2026), with the line that introduces it.
pub fn builtin() -> Result<(Dataset, Model, String)> {
    Ok((
        SurveySimulator::new(250).seed(2026).simulate()?,
        SurveySimulator::model(),
        "Built-in example: ECSI model on a simulated telecom survey (250 respondents, seed 2026)."
            .into(),
    ))
}

/// Fits the model and completes the document as the request asks.
pub fn run(
    data: &Dataset,
    model: &Model,
    request: &PlsRequest,
    observer: &Observer,
) -> Result<PlsDocument> {
    request.check()?;
    let (data, recoding) = audit::apply_codebook(data, request.codebook.as_ref())?;
    let pls = request.estimator(model);
    let fit = pls.fit(&data)?;
    document(fit, &pls, Some(&data), request, observer, recoding)
}

/// Completes the document of an existing fit (`fit` made by `pls`): the
/// parts that need the rows take them from `data`, which must then be the
/// rows of the fit (an error if the request needs them and `data` is None).
pub fn complete(
    fit: PlsFit,
    pls: &Pls<'_>,
    data: Option<&Dataset>,
    request: &PlsRequest,
    observer: &Observer,
) -> Result<PlsDocument> {
    request.check()?;
    document(fit, pls, data, request, observer, None)
}

/// The document of a fit; `recoding` is what the codebook did to the rows
/// before the fit (by [`run`]).
fn document(
    fit: PlsFit,
    pls: &Pls<'_>,
    data: Option<&Dataset>,
    request: &PlsRequest,
    observer: &Observer,
    recoding: Option<crate::codebook::Recoding>,
) -> Result<PlsDocument> {
    let mut report = fit.report();
    let mut audit = match data {
        Some(d) => DataAudit::of(d),
        None => DataAudit::new(fit.missing.n_rows),
    };
    audit.recoding = recoding;
    audit.missing(&fit.missing);
    let rows = || {
        data.ok_or_else(|| crate::Error::InvalidSetting {
            name: "data".into(),
            message:
                "Q², PLSpredict, the bootstrap, multi-group analysis and scores need the rows: \
                      this fit was not made from data in memory"
                    .into(),
        })
    };
    if request.needs_rows() {
        rows()?;
    }
    if request.q2 || request.omission.is_some() {
        report.blindfolding =
            Some(pls.blindfolding_by(rows()?, request.omission, request.q2_scale)?);
    }
    if let Some(folds) = request.predict {
        report.predict = Some(
            PlsPredict::new(pls)
                .folds(folds)
                .repetitions(request.repetitions)
                .seed(request.seed)
                .run(rows()?)?,
        );
    }
    // The answer scales (declared, or observed with a warning) behind the
    // index and the IPMA.
    let indicators: Vec<&str> = fit.model().indicators().collect();
    let scales = match (request.has_scales(), data) {
        (true, Some(rows)) => Some(audit::resolve_scales(
            rows,
            &indicators,
            request.codebook.as_ref(),
            request.scale,
            &request.item_scales,
            &mut audit,
        )?),
        (true, None) => Some(declared_scales(request)),
        (false, Some(rows)) => {
            audit::warn_suspect_codes(rows, &indicators, &mut audit);
            None
        }
        (false, None) => None,
    };
    // One resampling pass serves the PLS estimates and, with an IPMA, the
    // CSI statistics (importance intervals).
    let mut csi_boot = None;
    if let Some(n) = request.bootstrap {
        let mut b = request.bootstrap_settings(n);
        if let Some(p) = observer.progress("bootstrap", n) {
            b = b.progress(p);
        }
        let mut sets = vec![StatisticSet::Pls];
        if let (Some(scales), Some(target)) = (&scales, &request.ipma) {
            sets.push(StatisticSet::csi(scales.clone(), target.as_str()));
        }
        let mut out = b.run_sets(pls, rows()?, &sets)?;
        report.bootstrap = out.pls.take();
        csi_boot = out.csi.pop();
        if let Some(s) = &request.slopes {
            report.simple_slopes =
                Some(b.simple_slopes(pls, rows()?, &s.focal, &s.moderator, &s.dependent)?);
        }
    }
    if let Some(s) = &request.slopes
        && report.simple_slopes.is_none()
    {
        report.simple_slopes = Some(fit.simple_slopes(&s.focal, &s.moderator, &s.dependent)?);
    }
    if let Some(column) = &request.groups {
        let mut g = MultiGroup::new(column.clone())
            .permutations(request.permutations)
            .seed(request.seed)
            .correction(request.correction)
            .keep_inadmissible(request.keep_inadmissible);
        if let Some(p) = observer.progress("permutations", request.permutations) {
            g = g.progress(p);
        }
        report.groups = Some(g.run(pls, rows()?)?);
    }
    let mut index = None;
    let mut map = None;
    if let Some(scales) = scales {
        let idx = csi::index(&fit, &scales)?;
        report.set_index(&idx);
        if let Some(target) = &request.ipma {
            let mut m = csi::ipma(&fit, &idx, target.as_str(), &IpmaOptions::default())?;
            if let Some(boot) = &csi_boot {
                boot.apply_ipma(&mut m);
            }
            report.set_ipma(&m);
            map = Some(m);
        }
        index = Some(idx);
    }
    if request.specific_indirect {
        report.specific_indirect = Some(fit.specific_indirect_effects()?);
    }
    let scores = if request.scores {
        Some(ScoreTable::new(
            &fit,
            rows()?,
            request.id_column.as_deref(),
        )?)
    } else {
        None
    };
    let audit = audit.finish();
    report.data = Some(audit.clone());
    Ok(PlsDocument {
        report,
        fit,
        audit,
        index,
        ipma: map,
        intro: None,
        source: data.and_then(|d| d.source().cloned()),
        scores,
    })
}

/// The declared scales alone (a fit without its rows cannot observe ranges
/// or check answers): `item_scales`, then the codebook, then `scale`.
fn declared_scales(request: &PlsRequest) -> Scales {
    let mut scales = request.scale.map_or_else(Scales::none, Scales::uniform);
    if let Some(cb) = &request.codebook {
        for (item, s) in cb.scales() {
            scales = scales.with(item, s);
        }
    }
    for (item, s) in &request.item_scales {
        scales = scales.with(item.clone(), *s);
    }
    scales
}

impl fmt::Display for PlsDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (fit, report) = (&self.fit, &self.report);
        if let Some(intro) = &self.intro {
            writeln!(f, "{intro}\n")?;
        }
        if let Some(source) = &self.source {
            writeln!(f, "Read: {source}")?;
        }
        for line in self.audit.lines() {
            writeln!(f, "{line}")?;
        }
        writeln!(f)?;
        if let Some(ext) = &fit.extension {
            if let Some(a) = ext.hoc_approach {
                writeln!(f, "Higher-order constructs: {a:?} approach")?;
            }
            if let Some(a) = ext.interaction_approach {
                writeln!(f, "Interaction terms: {a:?} approach")?;
            }
            if let Some(s1) = &ext.stage1 {
                writeln!(f, "\nStage 1 (lower-order constructs)\n{s1}")?;
                if let Some(c) = &s1.consistent {
                    for p in &c.problems {
                        writeln!(f, "  stage 1 INADMISSIBLE: {p}")?;
                    }
                }
                writeln!(f, "Stage 2")?;
            }
        }
        if fit.polychoric {
            writeln!(f, "Indicator correlations: polychoric (ordinal indicators)")?;
        }
        writeln!(f, "{fit}")?;
        if let Some(list) = &report.specific_indirect {
            writeln!(
                f,
                "Specific indirect effects (products of the paths along each chain; \
                 per pair they add up to the indirect effect)"
            )?;
            writeln!(f, "  {:>9}  chain", "estimate")?;
            for e in list {
                writeln!(f, "  {:>9.4}  {}", e.estimate, e.chain)?;
            }
            writeln!(f)?;
        }
        if let Some(ss) = &report.simple_slopes {
            writeln!(
                f,
                "Simple slopes of {} on {} (moderator {}; term {}: {:.4})",
                ss.focal, ss.dependent, ss.moderator, ss.term, ss.interaction_effect
            )?;
            for r in &ss.rows {
                match r.ci {
                    Some((lo, hi)) => writeln!(
                        f,
                        "  {} at {:+.0} SD: {:>8.4}   interval {:.4} to {:.4}",
                        ss.moderator, r.moderator_sd, r.slope, lo, hi
                    )?,
                    None => writeln!(
                        f,
                        "  {} at {:+.0} SD: {:>8.4}",
                        ss.moderator, r.moderator_sd, r.slope
                    )?,
                }
            }
            writeln!(f)?;
        }
        if let Some(c) = &fit.consistent {
            writeln!(
                f,
                "Consistent PLS: reliabilities (rho_A) used for the correction"
            )?;
            for r in &c.reliabilities {
                writeln!(f, "  {:<16} {:>8.4}", r.construct, r.value)?;
            }
            if c.admissible {
                writeln!(f, "  solution admissible")?;
            } else {
                for p in &c.problems {
                    writeln!(f, "  INADMISSIBLE: {p}")?;
                }
            }
            writeln!(
                f,
                "  (paths have no OLS standard errors under PLSc: use the bootstrap)\n"
            )?;
        }
        writeln!(f, "{}", report.assessment)?;
        if let Some(b) = &report.blindfolding {
            writeln!(f, "{b}")?;
        }
        if let Some(p) = &report.predict {
            writeln!(
                f,
                "PLSpredict ({} folds, {} repetition(s), seed {}, earliest antecedents; {} rows)",
                p.folds, p.repetitions, p.seed, p.n_observations
            )?;
            writeln!(
                f,
                "  {:<16} {:<16} {:>8} {:>8} {:>8} {:>8} {:>9}",
                "indicator", "construct", "PLS RMSE", "LM RMSE", "PLS MAE", "LM MAE", "Q²predict"
            )?;
            for i in &p.indicators {
                writeln!(
                    f,
                    "  {:<16} {:<16} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>9.3}{}",
                    i.indicator,
                    i.construct,
                    i.pls_rmse,
                    i.lm_rmse,
                    i.pls_mae,
                    i.lm_mae,
                    i.q2_predict,
                    if i.pls_rmse < i.lm_rmse {
                        "  PLS < LM"
                    } else {
                        ""
                    }
                )?;
            }
        }
        if let Some(b) = &report.bootstrap {
            writeln!(f, "\n{b}")?;
        }
        if let Some(g) = &report.groups {
            writeln!(f, "\n{g}")?;
        }
        if let Some(idx) = &self.index {
            writeln!(f, "\nIndex (0-100)")?;
            for c in &idx.constructs {
                writeln!(
                    f,
                    "  {:<16} {:>6.1}   95% interval {:>5.1} to {:>5.1}",
                    c.construct.name(),
                    c.index,
                    c.ci.lower,
                    c.ci.upper
                )?;
            }
            for w in &idx.warnings {
                writeln!(f, "  warning: {w}")?;
            }
        }
        if let Some(m) = &self.ipma {
            writeln!(f, "\nImportance-performance map of {}", m.target)?;
            writeln!(
                f,
                "  {:<16} {:>10} {:>11} {:>7}  quadrant",
                "construct", "importance", "performance", "impact"
            )?;
            for c in &m.constructs {
                writeln!(
                    f,
                    "  {:<16} {:>10.4} {:>11.1} {:>7.2}  {}{}",
                    c.name.name(),
                    c.importance,
                    c.performance,
                    c.impact,
                    c.quadrant.label(),
                    c.via
                        .as_ref()
                        .map(|h| format!(" (via {h})"))
                        .unwrap_or_default()
                )?;
            }
            writeln!(
                f,
                "  {:<16} {:>10} {:>11}",
                "indicator", "importance", "performance"
            )?;
            for i in &m.indicators {
                writeln!(
                    f,
                    "  {:<16} {:>10.4} {:>11.1}",
                    i.indicator, i.importance, i.performance
                )?;
            }
            for b in &m.short_boards {
                writeln!(
                    f,
                    "  short board #{}: {} (potential gain {:.2})",
                    b.rank, b.name, b.potential_gain
                )?;
            }
        }
        Ok(())
    }
}
