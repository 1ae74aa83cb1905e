//! The `drivers`, `profile` and `link` tasks: relative-importance key
//! drivers (the JSON of DESIGN.md §4), profiles of dissatisfied customers and
//! the link of survey indices to operational data — each a request (serde,
//! stated defaults) turned into a document with Markdown/HTML text and SVG
//! charts in English or Chinese.
//!
//! The renderers ([`drivers_markdown`], [`drivers_html`], [`shares_svg`],
//! [`profile_markdown`]) take the library results, so other reports (the CSI
//! report) can embed a relative-importance section.

use serde::{Deserialize, Serialize};

use super::Chart;
use super::audit::{DataAudit, apply_codebook};
use crate::codebook::Codebook;
use crate::drivers::link::{self, LinkOptions, LinkReport};
use crate::drivers::profile::{self, DissatisfiedProfile, DissatisfiedRule, ProfileOptions};
use crate::drivers::text::DriversText as T;
use crate::drivers::{self, DriverAnalysis, DriverOptions, ShapleyMethod};
use crate::i18n::Lang;
use crate::svg::{Anchor, Svg, escape, text_width};
use crate::{Dataset, ReadReport, Result};

/// What to compute in a `drivers` run; in JSON a missing field takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DriversRequest {
    /// The target column (e.g. overall satisfaction).
    pub target: String,
    /// The driver columns.
    pub drivers: Vec<String>,
    /// Bootstrap resamples for the intervals (default 0: none).
    pub bootstrap: usize,
    /// Seed of the bootstrap and of permutation sampling (default 1).
    pub seed: u64,
    /// Confidence level (default 0.95).
    pub level: f64,
    /// Random orders of entry beyond 15 drivers (default 5000).
    pub permutations: usize,
    /// Report language (default English).
    pub lang: Lang,
    /// The codebook: missing codes (98/99 …) become missing, labels.
    pub codebook: Option<Codebook>,
}

impl Default for DriversRequest {
    fn default() -> Self {
        let o = DriverOptions::default();
        DriversRequest {
            target: String::new(),
            drivers: Vec::new(),
            bootstrap: o.bootstrap,
            seed: o.seed,
            level: o.level,
            permutations: o.permutations,
            lang: Lang::En,
            codebook: None,
        }
    }
}

/// The result of a `drivers` run: the keys of DESIGN.md §4 at the top level.
#[derive(Debug, Clone, Serialize)]
pub struct DriversDocument {
    /// The analysis.
    #[serde(flatten)]
    pub analysis: DriverAnalysis,
    /// Where the data were read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<ReadReport>,
    /// What happened to the data.
    pub data: DataAudit,
    /// Report language; not in the JSON.
    #[serde(skip)]
    pub lang: Lang,
    /// Display labels of the drivers (codebook), in driver order; not in the JSON.
    #[serde(skip)]
    pub labels: Vec<String>,
}

impl DriversDocument {
    /// The JSON document, pretty-printed (DESIGN.md §4).
    pub fn to_json(&self) -> String {
        super::pretty(self)
    }

    /// The Markdown report.
    pub fn markdown(&self) -> String {
        drivers_markdown(&self.analysis, &self.labels, self.lang)
    }

    /// The chart of the shares of R².
    pub fn charts(&self) -> Vec<Chart> {
        vec![Chart::new(
            ["drivers_shares"],
            T::ChartTitle.text(self.lang),
            shares_svg(&self.analysis, &self.labels, self.lang),
        )]
    }
}

impl std::fmt::Display for DriversDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for line in self.data.lines() {
            writeln!(f, "{line}")?;
        }
        writeln!(f)?;
        write!(f, "{}", self.markdown())
    }
}

fn labels_of(codebook: Option<&Codebook>, names: &[String], lang: Lang) -> Vec<String> {
    let code = match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    };
    names
        .iter()
        .map(|n| {
            codebook
                .and_then(|c| c.label(n, code))
                .map_or_else(|| n.clone(), str::to_string)
        })
        .collect()
}

/// Runs a key-driver analysis as the request asks.
///
/// # Errors
/// The errors of [`Codebook::apply`] and [`drivers::analyze`].
pub fn run(data: &Dataset, request: &DriversRequest) -> Result<DriversDocument> {
    let (data, recoding) = apply_codebook(data, request.codebook.as_ref())?;
    let data = data.as_ref();
    let options = DriverOptions {
        bootstrap: request.bootstrap,
        seed: request.seed,
        level: request.level,
        permutations: request.permutations,
    };
    let analysis = drivers::analyze(data, &request.target, &request.drivers, &options)?;
    let mut audit = DataAudit::of(data);
    audit.recoding = recoding;
    audit.drop("missing_answer", analysis.n_dropped);
    audit.rows_used = analysis.n;
    Ok(DriversDocument {
        labels: labels_of(request.codebook.as_ref(), &request.drivers, request.lang),
        analysis,
        input: data.source().cloned(),
        data: audit.finish(),
        lang: request.lang,
    })
}

/// Relative importance on the construct scores of the user's own PLS model:
/// fits `model` on `data` (default settings: path scheme, listwise deletion),
/// takes the standardized construct scores of the rows used, and decomposes
/// the R² of the construct `request.target` over `request.drivers`
/// (constructs; empty: the target's direct predecessors in the model, whose
/// R² is then the target's inner-model R²). Drivers are labelled with their
/// construct names (the glossary names of built-in CSI constructs in
/// Chinese).
///
/// # Errors
/// [`crate::Error::InvalidSetting`] for a target or driver that is not a
/// construct of the model, or a target without predecessors and no drivers
/// given; the errors of [`Codebook::apply`], of the PLS fit and of
/// [`drivers::analyze`].
pub fn run_model(
    data: &Dataset,
    model: &crate::Model,
    request: &DriversRequest,
) -> Result<DriversDocument> {
    let (data, recoding) = apply_codebook(data, request.codebook.as_ref())?;
    let data = data.as_ref();
    let names: Vec<String> = model.constructs().iter().map(|c| c.name.clone()).collect();
    let not_a_construct = |name: &str, what: &str| crate::Error::InvalidSetting {
        name: what.into(),
        message: format!(
            "`{name}` is not a construct of the model (constructs: {})",
            names.join(", ")
        ),
    };
    let t = model
        .construct_index(&request.target)
        .ok_or_else(|| not_a_construct(&request.target, "target"))?;
    let chosen: Vec<String> = if request.drivers.is_empty() {
        model
            .predecessors(t)
            .iter()
            .map(|&p| names[p].clone())
            .collect()
    } else {
        request.drivers.clone()
    };
    if chosen.is_empty() {
        return Err(crate::Error::InvalidSetting {
            name: "drivers".into(),
            message: format!(
                "`{}` has no predecessor in the model: name the driver constructs with --drivers",
                request.target
            ),
        });
    }
    if let Some(bad) = chosen.iter().find(|d| model.construct_index(d).is_none()) {
        return Err(not_a_construct(bad, "drivers"));
    }
    let fit = crate::Pls::new(model).fit(data)?;
    let scores = fit.scores(data)?;
    let mut columns = Vec::new();
    for n in std::iter::once(&request.target).chain(chosen.iter()) {
        if let Some(c) = scores.column(n) {
            columns.push((n.clone(), c));
        }
    }
    let options = DriverOptions {
        bootstrap: request.bootstrap,
        seed: request.seed,
        level: request.level,
        permutations: request.permutations,
    };
    let analysis = drivers::analyze(
        &Dataset::from_columns(columns)?,
        &request.target,
        &chosen,
        &options,
    )?;
    let mut audit = DataAudit::of(data);
    audit.recoding = recoding;
    audit.missing(&fit.missing);
    Ok(DriversDocument {
        labels: chosen
            .iter()
            .map(|c| crate::i18n::construct_label(c, request.lang))
            .collect(),
        analysis,
        input: data.source().cloned(),
        data: audit.finish(),
        lang: request.lang,
    })
}

fn pct(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

fn num(x: f64) -> String {
    format!("{x:.3}")
}

/// The relative-importance section in Markdown (drivers ranked by Shapley).
/// `labels` are display names in driver order (empty: the names).
pub fn drivers_markdown(a: &DriverAnalysis, labels: &[String], lang: Lang) -> String {
    let label = |i: usize| {
        labels
            .get(i)
            .cloned()
            .unwrap_or_else(|| a.drivers[i].name.clone())
    };
    let mut s = format!(
        "## {}\n\n",
        T::Title.fill(lang, &[("target", a.target.clone())])
    );
    s.push_str(&T::Summary.fill(
        lang,
        &[
            ("n", a.n.to_string()),
            ("dropped", a.n_dropped.to_string()),
            ("r2", num(a.r_squared)),
        ],
    ));
    s.push(' ');
    let method = match a.shapley_method {
        ShapleyMethod::Exact => T::Exact.text(lang).to_string(),
        ShapleyMethod::Permutation => {
            T::Sampled.fill(lang, &[("m", a.permutations.unwrap_or(0).to_string())])
        }
    };
    s.push_str(&T::Method.fill(lang, &[("method", method)]));
    if let Some(b) = &a.bootstrap {
        s.push(' ');
        s.push_str(&T::Interval.fill(
            lang,
            &[
                ("level", format!("{}", 100.0 * b.level)),
                ("b", b.resamples.to_string()),
                ("seed", b.seed.to_string()),
                ("failed", b.failed.to_string()),
            ],
        ));
    }
    s.push_str("\n\n");
    s.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|\n",
        T::Rank.text(lang),
        T::Driver.text(lang),
        T::Shapley.text(lang),
        T::Share.text(lang),
        T::Johnson.text(lang),
        T::Correlation.text(lang),
        T::Ci.text(lang),
    ));
    let mut order: Vec<usize> = (0..a.drivers.len()).collect();
    order.sort_by_key(|&i| a.drivers[i].rank);
    for i in order {
        let d = &a.drivers[i];
        let ci = match (d.ci_lower, d.ci_upper) {
            (Some(l), Some(u)) => format!("[{}, {}]", num(l), num(u)),
            _ => "–".into(),
        };
        s.push_str(&format!(
            "| {} | {} | {} | {}% | {} | {} | {} |\n",
            d.rank,
            label(i).replace('|', "\\|"),
            num(d.shapley),
            pct(d.shapley_share),
            num(d.johnson),
            num(d.correlation),
            ci
        ));
    }
    s
}

/// The relative-importance section as an HTML fragment (table and chart).
pub fn drivers_html(a: &DriverAnalysis, labels: &[String], lang: Lang) -> String {
    let md = drivers_markdown(a, labels, lang);
    let mut html = String::new();
    let mut in_table = false;
    for line in md.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            html.push_str(&format!("<h2>{}</h2>\n", escape(h)));
        } else if line.starts_with("|---") {
            continue;
        } else if line.starts_with('|') {
            let cells: Vec<String> = line
                .trim_matches('|')
                .split(" | ")
                .map(|c| format!("<td>{}</td>", escape(c.trim())))
                .collect();
            if !in_table {
                html.push_str("<table>\n");
                in_table = true;
            }
            html.push_str(&format!("<tr>{}</tr>\n", cells.join("")));
        } else if !line.is_empty() {
            html.push_str(&format!("<p>{}</p>\n", escape(line)));
        }
    }
    if in_table {
        html.push_str("</table>\n");
    }
    html.push_str(&shares_svg(a, labels, lang));
    html
}

/// Horizontal bar chart of the Shapley shares of R² (with the bootstrap
/// interval when there is one), drivers ranked; text ≥ 12 px.
pub fn shares_svg(a: &DriverAnalysis, labels: &[String], lang: Lang) -> String {
    let font = 13.0;
    let row = 26.0;
    let mut order: Vec<usize> = (0..a.drivers.len()).collect();
    order.sort_by_key(|&i| a.drivers[i].rank);
    let label = |i: usize| {
        labels
            .get(i)
            .cloned()
            .unwrap_or_else(|| a.drivers[i].name.clone())
    };
    let left = order
        .iter()
        .map(|&i| text_width(&label(i), font))
        .fold(60.0_f64, f64::max)
        + 20.0;
    // Full report width (as the CSI charts), at least 360 px of bars.
    let bar_w = (crate::csi::chart::FULL_WIDTH - left - 80.0).max(360.0);
    let title = T::ChartTitle.text(lang);
    let width = (left + bar_w + 80.0).max(text_width(title, 15.0) + 40.0);
    let top = 44.0;
    let height = top + row * order.len() as f64 + 20.0;
    let mut svg = Svg::new(width, height);
    svg.text(width / 2.0, 24.0, title, 15.0, Anchor::Middle);
    let max = a
        .drivers
        .iter()
        .map(|d| {
            if a.r_squared > 0.0 {
                d.ci_upper.unwrap_or(d.shapley) / a.r_squared
            } else {
                0.0
            }
        })
        .fold(d_max(&a.drivers, a.r_squared), f64::max)
        .max(1e-9);
    for (k, &i) in order.iter().enumerate() {
        let d = &a.drivers[i];
        let y = top + row * k as f64;
        svg.text(
            left - 10.0,
            y + row / 2.0 + 4.0,
            &label(i),
            font,
            Anchor::End,
        );
        let share = if d.shapley_share.is_finite() {
            d.shapley_share.max(0.0)
        } else {
            0.0
        };
        let w = bar_w * share / max;
        svg.rect(left, y + 5.0, w, row - 10.0, "#4e79a7", None);
        if let (Some(lo), Some(hi)) = (d.ci_lower, d.ci_upper) {
            let x0 = left + bar_w * (lo / a.r_squared).max(0.0) / max;
            let x1 = left + bar_w * (hi / a.r_squared).max(0.0) / max;
            svg.line(x0, y + row / 2.0, x1, y + row / 2.0, "#333", 1.5, None);
        }
        let x_text =
            left + bar_w * d.ci_upper.map_or(share, |u| (u / a.r_squared).max(share)) / max + 6.0;
        svg.text(
            x_text,
            y + row / 2.0 + 4.0,
            &format!("{}%", pct(d.shapley_share)),
            font,
            Anchor::Start,
        );
    }
    svg.finish()
}

fn d_max(d: &[drivers::DriverImportance], r2: f64) -> f64 {
    d.iter()
        .map(|d| if r2 > 0.0 { d.shapley / r2 } else { 0.0 })
        .fold(0.0, f64::max)
}

/// What to compute in a `profile` run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileRequest {
    /// The target column.
    pub target: String,
    /// Dissatisfied when the target is at or below this value (default 6).
    pub threshold: f64,
    /// Segment columns.
    pub segments: Vec<String>,
    /// Driver columns.
    pub drivers: Vec<String>,
    /// Confidence level (default 0.95).
    pub level: f64,
    /// Report language.
    pub lang: Lang,
    /// The codebook.
    pub codebook: Option<Codebook>,
}

impl Default for ProfileRequest {
    fn default() -> Self {
        ProfileRequest {
            target: String::new(),
            threshold: 6.0,
            segments: Vec::new(),
            drivers: Vec::new(),
            level: 0.95,
            lang: Lang::En,
            codebook: None,
        }
    }
}

/// Profiles the dissatisfied customers as the request asks.
///
/// # Errors
/// The errors of [`Codebook::apply`] and [`profile::profile`].
pub fn run_profile(data: &Dataset, request: &ProfileRequest) -> Result<DissatisfiedProfile> {
    let (data, _) = apply_codebook(data, request.codebook.as_ref())?;
    profile::profile(
        data.as_ref(),
        &request.target,
        &ProfileOptions {
            rule: DissatisfiedRule::AtMost {
                threshold: request.threshold,
            },
            segments: request.segments.clone(),
            drivers: request.drivers.clone(),
            level: request.level,
        },
    )
}

/// The profile of the dissatisfied in Markdown.
pub fn profile_markdown(p: &DissatisfiedProfile, lang: Lang) -> String {
    let mut s = format!("## {}\n\n", T::ProfileTitle.text(lang));
    s.push_str(&T::ProfileSummary.fill(
        lang,
        &[
            ("target", p.target.clone()),
            ("threshold", format!("{}", p.threshold)),
            ("d", p.dissatisfied.to_string()),
            ("n", p.n.to_string()),
            ("rate", pct(p.dissatisfied_rate)),
            ("dropped", p.n_dropped.to_string()),
        ],
    ));
    s.push_str("\n\n");
    if !p.segments.is_empty() {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|\n",
            T::Segment.text(lang),
            T::Level.text(lang),
            T::ShareDissatisfied.text(lang),
            T::BaseRate.text(lang),
            T::Lift.text(lang),
            T::PBh.text(lang)
        ));
        for l in &p.segments {
            s.push_str(&format!(
                "| {} | {} | {}% [{}, {}] | {}% | {:.2} | {:.4} |\n",
                l.column,
                l.level.replace('|', "\\|"),
                pct(l.share),
                pct(l.share_ci_lower),
                pct(l.share_ci_upper),
                pct(l.base_rate),
                l.lift,
                l.p_bh
            ));
        }
        s.push('\n');
    }
    if !p.drivers.is_empty() {
        s.push_str(&format!(
            "### {}\n\n| {} | {} | {} | {} |\n|---|---|---|---|\n",
            T::Separating.text(lang),
            T::Driver.text(lang),
            T::MeanDissatisfied.text(lang),
            T::MeanRest.text(lang),
            T::Standardized.text(lang)
        ));
        for d in &p.drivers {
            s.push_str(&format!(
                "| {} | {:.2} | {:.2} | {:.2} |\n",
                d.name, d.mean_dissatisfied, d.mean_rest, d.standardized
            ));
        }
    }
    s
}

/// What to compute in a `link` run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkRequest {
    /// Unit column (both tables).
    pub unit: String,
    /// Period column (both tables).
    pub period: String,
    /// Survey columns averaged per unit and period.
    pub indices: Vec<String>,
    /// Operational metric columns.
    pub metrics: Vec<String>,
    /// Periods by which the metric leads (default 0).
    pub lag: i64,
    /// Confidence level (default 0.95).
    pub level: f64,
    /// Report language.
    pub lang: Lang,
    /// The codebook of the survey.
    pub codebook: Option<Codebook>,
}

impl Default for LinkRequest {
    fn default() -> Self {
        LinkRequest {
            unit: String::new(),
            period: String::new(),
            indices: Vec::new(),
            metrics: Vec::new(),
            lag: 0,
            level: 0.95,
            lang: Lang::En,
            codebook: None,
        }
    }
}

/// Links the survey to the operational table as the request asks.
///
/// # Errors
/// The errors of [`Codebook::apply`] and [`link::link`].
pub fn run_link(
    survey: &Dataset,
    operational: &Dataset,
    request: &LinkRequest,
) -> Result<LinkReport> {
    let (survey, _) = apply_codebook(survey, request.codebook.as_ref())?;
    link::link(
        survey.as_ref(),
        operational,
        &LinkOptions {
            unit: request.unit.clone(),
            period: request.period.clone(),
            indices: request.indices.clone(),
            metrics: request.metrics.clone(),
            lag: request.lag,
            level: request.level,
        },
    )
}

/// The link report in Markdown.
pub fn link_markdown(r: &LinkReport, lag: i64, lang: Lang) -> String {
    let opt = |x: Option<f64>| x.map_or("–".to_string(), num);
    let mut s = format!("## {}\n\n", T::LinkTitle.text(lang));
    s.push_str(&T::LinkSummary.fill(
        lang,
        &[
            ("cells", r.survey_cells.to_string()),
            ("unmatched", r.unmatched_cells.to_string()),
            ("lag", lag.to_string()),
        ],
    ));
    s.push_str(&format!(
        "\n\n| {} | {} | n | r | {} | {} |\n|---|---|---|---|---|---|\n",
        T::Index.text(lang),
        T::Metric.text(lang),
        T::Ci.text(lang),
        T::Slope.text(lang)
    ));
    for p in &r.pairs {
        s.push_str(&format!(
            "| {} | {} | {} | {} | [{}, {}] | {} |\n",
            p.index,
            p.metric,
            p.n,
            opt(p.r),
            opt(p.r_ci_lower),
            opt(p.r_ci_upper),
            opt(p.slope)
        ));
    }
    if r.pairs.iter().any(|p| p.small_n) {
        s.push_str(&format!("\n{}\n", T::SmallN.text(lang)));
    }
    s
}

/// Pretty JSON of a profile or link report (the library structs, as they serialize).
pub fn to_json<T: Serialize>(value: &T) -> String {
    super::pretty(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_keys_and_chart() {
        let data = crate::SurveySimulator::new(300).seed(3).simulate().unwrap();
        let names: Vec<String> = ["PERQ1", "PERQ2", "PERV1", "IMAG1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for lang in [Lang::En, Lang::Zh] {
            let req = DriversRequest {
                target: "CUSA1".into(),
                drivers: names.clone(),
                bootstrap: 50,
                lang,
                ..DriversRequest::default()
            };
            let doc = run(&data, &req).unwrap();
            let v: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
            for k in ["target", "n", "r_squared", "drivers"] {
                assert!(v.get(k).is_some(), "{k}");
            }
            for k in [
                "name",
                "shapley",
                "shapley_share",
                "johnson",
                "johnson_share",
                "dominance_general",
                "ci_lower",
                "ci_upper",
            ] {
                assert!(v["drivers"][0].get(k).is_some(), "{k}");
            }
            let svg = &doc.charts()[0].svg;
            assert!(crate::svg::overlapping_texts(svg, 0.0).is_empty());
            assert!(
                doc.markdown()
                    .contains(T::Title.fill(lang, &[("target", "CUSA1".into())]).as_str())
            );
            assert!(drivers_html(&doc.analysis, &doc.labels, lang).contains("<svg"));
        }
    }
}
