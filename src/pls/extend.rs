//! Model extensions: higher-order constructs, interaction (moderation) terms,
//! and how they are estimated with the one correlation-first PLS engine.
//!
//! Every approach reduces to a plain PLS path model on derived data columns:
//! the model is specified once ([`Model`], builder or syntax) and
//! [`Pls::hoc_approach`] / [`Pls::interaction_approach`] choose how it is
//! estimated. The derived columns are added to a copy of the data (memory:
//! the dataset plus n × (number of derived columns) values), their
//! parameters (standardization, stage-1 weights) are kept in the fit
//! ([`Extension`]), so [`PlsFit::scores`] on new data derives the same columns.
//!
//! # Higher-order constructs (HOC)
//!
//! - **Repeated indicators** ([`HocApproach::RepeatedIndicators`], default;
//!   Wold 1982, Lohmöller 1989): the HOC's block repeats the indicators of
//!   its lower-order constructs (LOC); a Mode A HOC gets paths HOC → LOC, a
//!   Mode B HOC paths LOC → HOC. One estimation; every construct is assessed
//!   as usual. Use it when the HOC is **exogenous** or when the LOCs have
//!   similar numbers of indicators (Becker, Klein & Wetzels 2012; Sarstedt
//!   et al. 2019). When a Mode B HOC is **endogenous**, its LOCs explain it
//!   almost fully (R² ≈ 1) and the paths from its other antecedents are
//!   biased towards zero: use a two-stage approach then.
//! - **Two-stage, embedded** ([`HocApproach::TwoStageEmbedded`]; Ringle et
//!   al. 2012; Sarstedt et al. 2019): stage 1 is the repeated-indicators
//!   model; the LOC scores become the HOC's indicators in stage 2, where the
//!   LOCs are no longer constructs. Recommended with an endogenous formative HOC.
//! - **Two-stage, disjoint** ([`HocApproach::TwoStageDisjoint`]; Agarwal &
//!   Karahanna 2000; Becker, Klein & Wetzels 2012): stage 1 drops the HOC and
//!   links its LOCs directly to the HOC's antecedents and consequents; stage 2
//!   as above. Use it when the LOCs differ much in their numbers of
//!   indicators, whose weighting the repeated indicators would distort.
//!
//! - **Three-stage** ([`HocApproach::ThreeStage`]; van Riel, Henseler,
//!   Kemény & Sasovova 2017, cSEM's `.approach_2ndorder = "3stage"`): for a
//!   HOC that is a *composite of common factors*. Stage 1 is consistent PLS
//!   (PLSc, Dijkstra & Henseler 2015) of the repeated-indicators model, which
//!   gives consistent correlations among the LOCs and the other constructs.
//!   Stage 2 takes the LOCs as the HOC's indicators with that consistent
//!   correlation matrix as their correlations, and stage 3 the structural model
//!   with the HOC as that composite; both run as one PLS estimation (no further
//!   correction) on the consistent construct correlation matrix, where every
//!   other construct is represented by itself (a single "indicator" with its
//!   consistent correlations). The HOC weights, its correlations, the paths
//!   and R² are consistent; the measurement model of the LOCs and the other
//!   constructs is in [`Extension::stage1`] (the final fit shows them as
//!   single indicators with loading 1). No construct scores (the factors have
//!   none) and no resampling: [`PlsFit::scores`] fails on the LOC columns,
//!   and the bootstrap, PLSpredict and the multi-group analysis refuse it with
//!   [`Error::Unsupported`], as do interaction terms, polychoric correlations
//!   and structural paths of a LOC.
//!
//! In both two-stage approaches the stage-2 indicator of a LOC is its score in
//! the **items' metric**, Σ w̃ᵢ xᵢ with the unstandardized weights normalized
//! to sum 1 (Ringle & Sarstedt 2016's rescaled weights before the 0–100
//! rescaling): an affine function of the standardized score, so every PLS
//! estimate is the same as with standardized scores, and the CSI index and the
//! IPMA of the HOC's "indicators" are the LOCs' indices. The stage-1 fit is
//! kept in [`Extension::stage1`] (assess the LOCs there).
//!
//! # Interaction terms (Henseler & Chin 2010; Henseler & Fassott 2010)
//!
//! - **Product indicators** ([`InteractionApproach::ProductIndicator`],
//!   default; Chin, Marcolin & Newsted 2003): the term `A:B` is a Mode A
//!   construct measured by all products aᵢ·bⱼ of the standardized indicators
//!   (means and SDs of the rows used, weighted with case weights). Good with
//!   reflective A and B; prediction-oriented point estimates are similar
//!   across approaches (Henseler & Chin 2010).
//! - **Orthogonalizing** ([`InteractionApproach::Orthogonalized`]; Little,
//!   Bovaird & Widaman 2006): each product indicator is replaced by its
//!   residual from the OLS regression on all standardized indicators of A and
//!   B, so the term is uncorrelated with the main effects' indicators
//!   (no collinearity; main effects keep their meaning at the moderator's mean).
//! - **Two-stage** ([`InteractionApproach::TwoStage`]; Chin et al. 2003,
//!   Henseler & Chin 2010): stage 1 estimates the model without interaction
//!   terms; the term is a single-indicator construct measured by the product
//!   of the standardized stage-1 scores of A and B (the rest of the model keeps
//!   its indicators, as in seminr). Needed when A or B is Mode B; Henseler &
//!   Chin (2010) found it the most robust for significance testing.
//!
//! A simple-slope table ([`PlsFit::simple_slopes`]) gives the effect of the
//! focal predictor at moderator levels −1, 0, +1 SD: b_A + b_AB · m (the
//! standardized path of the focal predictor plus the interaction path times
//! the moderator level; Aiken & West 1991), with bootstrap intervals from
//! [`crate::pls::Bootstrap::simple_slopes`].
//!
//! # Resampling
//! The bootstrap, PLSpredict and the multi-group analysis run on the derived
//! columns computed once from the full sample: estimates are conditional on
//! the product standardization and, for the two-stage approaches, on the
//! stage-1 weights (the usual practice of SmartPLS' two-stage analyses).
//! With repeated indicators and a Mode A HOC the LOCs are endogenous: give
//! PLSpredict the HOC's consequents as targets
//! ([`crate::pls::PlsPredict::targets`]), since a LOC's items are among the
//! HOC's own and would predict themselves.
//!
//! # Weighted PLS
//! Case weights (Becker & Ismail 2016) weight every moment the engine uses:
//! the product standardization and residualization, the stage-1 fits and
//! their scores, the estimation, the bootstrap (rows are drawn with their
//! weights), the assessment, and the CSI index (weighted item means) and
//! IPMA. Integer weights give exactly the estimates of the data with each
//! row repeated that many times (tested); standard errors count rows.
//!
//! # Agreement with the peers
//! The product-indicator, orthogonalizing and two-stage interaction
//! approaches follow seminr's definitions (standardized indicators with the
//! sample SD; residuals on all indicators of both constructs; product of
//! standardized stage-1 scores with the main-effects-only model in stage 1),
//! and the tests check them against fits of hand-made columns; no R reference
//! outputs for these models were available when they were written.

use serde::{Deserialize, Serialize};

use super::fit::PlsFit;
use super::moments::{MissingPolicy, Moments};
use super::{Pls, Scaling};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg;
use crate::model::{ConstructSpec, HigherOrderSpec, Model};

/// How higher-order constructs are estimated (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HocApproach {
    /// One estimation; the HOC repeats its LOCs' indicators (default).
    #[default]
    RepeatedIndicators,
    /// Stage 1: the repeated-indicators model; stage 2: LOC scores as the HOC's indicators.
    TwoStageEmbedded,
    /// Stage 1: LOCs linked directly to the HOC's neighbours; stage 2 as embedded.
    TwoStageDisjoint,
    /// Three stages for a composite of common factors (van Riel et al. 2017):
    /// PLSc of the repeated-indicators model, then the HOC weights and the
    /// structural model from the consistent construct correlations.
    ThreeStage,
}

impl std::str::FromStr for HocApproach {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "repeated" | "repeated_indicators" => Ok(HocApproach::RepeatedIndicators),
            "embedded" | "two_stage_embedded" | "two_stage" => Ok(HocApproach::TwoStageEmbedded),
            "disjoint" | "two_stage_disjoint" => Ok(HocApproach::TwoStageDisjoint),
            "three_stage" | "3stage" => Ok(HocApproach::ThreeStage),
            _ => Err(Error::InvalidSetting {
                name: "hoc_approach".into(),
                message: format!("`{s}` is not one of repeated, embedded, disjoint, three-stage"),
            }),
        }
    }
}

/// How interaction terms are estimated (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionApproach {
    /// Products of the standardized indicators (default).
    #[default]
    ProductIndicator,
    /// Product indicators residualized on the main effects' indicators.
    Orthogonalized,
    /// Product of the standardized stage-1 construct scores.
    TwoStage,
}

impl std::str::FromStr for InteractionApproach {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "product" | "product_indicator" => Ok(InteractionApproach::ProductIndicator),
            "orthogonal" | "orthogonalized" | "orthogonalizing" => {
                Ok(InteractionApproach::Orthogonalized)
            }
            "two_stage" | "twostage" => Ok(InteractionApproach::TwoStage),
            _ => Err(Error::InvalidSetting {
                name: "interaction_approach".into(),
                message: format!("`{s}` is not one of product, orthogonal, two_stage"),
            }),
        }
    }
}

/// One derivation of data columns, with the parameters estimated on the
/// estimation sample.
#[derive(Debug, Clone)]
enum Step {
    /// LOC scores of a stage-1 fit in the items' metric, as columns named by the LOCs.
    LocScores {
        stage1: Box<PlsFit>,
        components: Vec<String>,
    },
    /// Products of standardized indicators, optionally residualized.
    Products {
        a: Vec<String>,
        b: Vec<String>,
        /// Means and SDs of `a` then `b`.
        means: Vec<f64>,
        sds: Vec<f64>,
        /// Per product: intercept then one coefficient per `a`, `b` column.
        ortho: Option<Vec<Vec<f64>>>,
        names: Vec<String>,
    },
    /// The product of two standardized stage-1 scores.
    ScoreProduct {
        stage1: Box<PlsFit>,
        a: String,
        b: String,
        name: String,
    },
}

/// What the extensions did: the approaches, the stage-1 fit of a two-stage
/// approach, and the derived columns the final model is estimated on.
#[derive(Debug, Clone, Serialize)]
pub struct Extension {
    /// The approach used for the higher-order constructs (`None` without any).
    pub hoc_approach: Option<HocApproach>,
    /// The approach used for the interaction terms (`None` without any).
    pub interaction_approach: Option<InteractionApproach>,
    /// The stage-1 fit of a two-stage higher-order approach (assess the
    /// lower-order constructs there).
    pub stage1: Option<Box<PlsFit>>,
    /// Names of the derived data columns, in the order they are made.
    pub derived_columns: Vec<String>,
    /// The model as specified (the fit's own model is the one estimated).
    #[serde(skip)]
    pub(crate) specified: Model,
    #[serde(skip)]
    steps: Vec<Step>,
    #[serde(skip)]
    policy: MissingPolicy,
}

impl Extension {
    /// `data` with the derived columns added (a copy).
    ///
    /// # Errors
    /// The data errors of [`Pls::fit`] for a missing indicator.
    pub fn augment(&self, data: &Dataset) -> Result<Dataset> {
        let mut out = data.clone();
        for step in &self.steps {
            apply(step, &mut out, self.policy)?;
        }
        Ok(out)
    }

    /// The model as specified (with lower-order constructs and interaction
    /// terms as written); the fit's [`PlsFit::model`] is the model estimated.
    pub fn specified_model(&self) -> &Model {
        &self.specified
    }
}

/// The estimable plain model, the augmented data and what was done.
pub(crate) struct Plan {
    pub model: Model,
    pub data: Dataset,
    pub extension: Extension,
}

impl Model {
    /// First-order constructs, higher-order specs and user paths (by name,
    /// without the HOC–LOC paths the model adds).
    pub(crate) fn parts(
        &self,
    ) -> (
        Vec<ConstructSpec>,
        Vec<HigherOrderSpec>,
        Vec<(String, String)>,
    ) {
        let first: Vec<ConstructSpec> = self
            .constructs()
            .iter()
            .enumerate()
            .filter(|&(j, _)| !self.is_interaction(j) && !self.is_higher_order(j))
            .map(|(_, c)| c.clone())
            .collect();
        let names = |j: usize| self.constructs()[j].name.clone();
        let paths = self
            .paths()
            .iter()
            .filter(|&&(f, t)| !self.is_hoc_path(f, t))
            .map(|&(f, t)| (names(f), names(t)))
            .collect();
        (first, self.higher_order().to_vec(), paths)
    }
}

impl<'m> Pls<'m> {
    /// These settings for another model (the resolved plain model of an extension).
    pub(crate) fn with_model<'a>(&self, model: &'a Model) -> Pls<'a>
    where
        'm: 'a,
    {
        let mut p: Pls<'a> = self.clone();
        p.model = model;
        p.resolved = true;
        p
    }

    /// Whether fitting needs derived columns or stages.
    pub(crate) fn needs_plan(&self) -> bool {
        !self.resolved
            && (!self.model.interactions().is_empty()
                || (!self.model.higher_order().is_empty()
                    && self.settings.hoc_approach != HocApproach::RepeatedIndicators))
    }

    /// Resolves the extensions into a plain model on augmented data (`data`
    /// with the derived columns added).
    pub(crate) fn plan_owned(&self, data: Dataset) -> Result<Plan> {
        if self.settings.correlation == super::CorrelationKind::Polychoric {
            return Err(Error::Unsupported {
                feature: "polychoric correlations".into(),
                context: "with interaction terms or a two-stage approach (the derived columns are continuous, and polyserial correlations are not implemented): use the repeated-indicators approach".into(),
            });
        }
        if self.settings.hoc_approach == HocApproach::ThreeStage {
            return Err(Error::Unsupported {
                feature: "the three-stage higher-order approach".into(),
                context: "outside `Pls::fit` (it estimates from consistent construct correlations: no construct scores, no resampling, no estimation from moments or with pairwise deletion)".into(),
            });
        }
        let specified = self.model.clone();
        let mut model = specified.clone();
        let mut data = data;
        let mut steps = Vec::new();
        let mut derived = Vec::new();
        let mut stage1_out = None;
        let has_hoc = !model.higher_order().is_empty();
        if has_hoc && self.settings.hoc_approach != HocApproach::RepeatedIndicators {
            let (first, hocs, paths) = model.parts();
            let main_paths: Vec<(String, String)> = paths
                .iter()
                .filter(|(f, _)| !f.contains(':'))
                .cloned()
                .collect();
            let is_loc = |n: &str| hocs.iter().any(|h| h.components.iter().any(|c| c == n));
            if let Some((f, t)) = main_paths.iter().find(|(f, t)| is_loc(f) || is_loc(t)) {
                return Err(Error::Unsupported {
                    feature: "a structural path of a lower-order construct".into(),
                    context: format!(
                        "with a two-stage approach (`{f}` -> `{t}`): the lower-order constructs are not in stage 2; use the repeated-indicators approach"
                    ),
                });
            }
            let stage1 = match self.settings.hoc_approach {
                HocApproach::TwoStageDisjoint => {
                    let hoc_of = |n: &str| hocs.iter().find(|h| h.name == n);
                    let mut p1: Vec<(String, String)> = Vec::new();
                    for (f, t) in &main_paths {
                        let fs = hoc_of(f).map_or(vec![f.clone()], |h| h.components.clone());
                        let ts = hoc_of(t).map_or(vec![t.clone()], |h| h.components.clone());
                        for a in &fs {
                            for b in &ts {
                                let e = (a.clone(), b.clone());
                                if !p1.contains(&e) {
                                    p1.push(e);
                                }
                            }
                        }
                    }
                    Model::with_extensions(first.clone(), Vec::new(), p1)?
                }
                _ => Model::with_extensions(first.clone(), hocs.clone(), main_paths.clone())?,
            };
            let fit1 = self.with_model(&stage1).fit(&data)?;
            let components: Vec<String> = hocs
                .iter()
                .flat_map(|h| h.components.iter().cloned())
                .collect();
            let step = Step::LocScores {
                stage1: Box::new(fit1.clone()),
                components: components.clone(),
            };
            apply(&step, &mut data, self.settings.missing)?;
            steps.push(step);
            derived.extend(components);
            stage1_out = Some(Box::new(fit1));
            // Stage 2: the HOCs measured by the LOC score columns.
            let mut c2: Vec<ConstructSpec> =
                first.into_iter().filter(|c| !is_loc(&c.name)).collect();
            for h in &hocs {
                c2.push(ConstructSpec {
                    name: h.name.clone(),
                    mode: h.mode,
                    indicators: h.components.clone(),
                });
            }
            model = Model::with_extensions(c2, Vec::new(), paths)?;
        }
        let interaction_approach =
            (!model.interactions().is_empty()).then_some(self.settings.interaction_approach);
        if !model.interactions().is_empty() {
            // The rows the final model uses: complete in every non-derived indicator.
            let base: Vec<String> = {
                let mut v: Vec<String> = Vec::new();
                for (j, c) in model.constructs().iter().enumerate() {
                    if !model.is_interaction(j) {
                        for i in &c.indicators {
                            if !v.contains(i) {
                                v.push(i.clone());
                            }
                        }
                    }
                }
                v
            };
            let mut stage1: Option<Box<PlsFit>> = None;
            for t in model.interactions().to_vec() {
                let block = |n: &str| -> Vec<String> {
                    model
                        .construct_index(n)
                        .map(|j| model.constructs()[j].indicators.clone())
                        .unwrap_or_default()
                };
                let step = match self.settings.interaction_approach {
                    InteractionApproach::TwoStage => {
                        if stage1.is_none() {
                            let (first, hocs, paths) = model.parts();
                            let main: Vec<(String, String)> = paths
                                .into_iter()
                                .filter(|(f, _)| !f.contains(':'))
                                .collect();
                            let m1 = Model::with_extensions(first, hocs, main)?;
                            stage1 = Some(Box::new(self.with_model(&m1).fit(&data)?));
                        }
                        let name = t.term.clone();
                        model = model.with_block(&t.term, vec![name.clone()]);
                        Step::ScoreProduct {
                            stage1: stage1.clone().expect("stage 1 was just fitted"),
                            a: t.a.clone(),
                            b: t.b.clone(),
                            name,
                        }
                    }
                    approach => {
                        let (a, b) = (block(&t.a), block(&t.b));
                        products_step(
                            &data,
                            &base,
                            self.settings.case_weights.as_deref(),
                            self.settings.missing,
                            a,
                            b,
                            approach == InteractionApproach::Orthogonalized,
                        )?
                    }
                };
                apply(&step, &mut data, self.settings.missing)?;
                derived.extend(step_names(&step));
                steps.push(step);
            }
        }
        Ok(Plan {
            model,
            data,
            extension: Extension {
                hoc_approach: has_hoc.then_some(self.settings.hoc_approach),
                interaction_approach,
                stage1: stage1_out,
                derived_columns: derived,
                specified,
                steps,
                policy: self.settings.missing,
            },
        })
    }
}

fn step_names(step: &Step) -> Vec<String> {
    match step {
        Step::LocScores { components, .. } => components.clone(),
        Step::Products { names, .. } => names.clone(),
        Step::ScoreProduct { name, .. } => vec![name.clone()],
    }
}

/// Estimates the standardization (and residualization) of the product
/// indicators of blocks `a` and `b` on the rows complete in `base`.
fn products_step(
    data: &Dataset,
    base: &[String],
    weights: Option<&str>,
    policy: MissingPolicy,
    a: Vec<String>,
    b: Vec<String>,
    orthogonalize: bool,
) -> Result<Step> {
    let (all, _) = Moments::from_dataset(data, base, weights, policy)?;
    let ab: Vec<String> = a.iter().chain(&b).cloned().collect();
    let sel = all.select(&ab)?;
    let means = sel.means().to_vec();
    let sds = sel.std_devs();
    if let Some(i) = sds.iter().position(|s| !(*s > 0.0)) {
        return Err(Error::ConstantColumn {
            column: ab[i].clone(),
            value: means[i],
        });
    }
    let names: Vec<String> = a
        .iter()
        .flat_map(|x| b.iter().map(move |y| format!("{x}:{y}")))
        .collect();
    let mut step = Step::Products {
        a,
        b,
        means,
        sds,
        ortho: None,
        names,
    };
    if orthogonalize {
        // OLS of each product on the standardized indicators, on the used rows.
        let mut tmp = data.clone();
        apply(&step, &mut tmp, policy)?;
        let Step::Products {
            a,
            b,
            means,
            sds,
            names,
            ortho,
        } = &mut step
        else {
            unreachable!("constructed above")
        };
        let q = a.len() + b.len();
        let z_names: Vec<String> = (0..q).map(|i| format!("\u{1}z{i}")).collect();
        for (i, col) in a.iter().chain(b.iter()).enumerate() {
            let x = tmp.numeric(col)?.to_vec();
            let z = x
                .iter()
                .map(|v| standardize(*v, means[i], sds[i], policy))
                .collect();
            tmp.set_numeric(&z_names[i], z)?;
        }
        let mut cols: Vec<String> = base.to_vec();
        cols.extend(z_names.iter().cloned());
        cols.extend(names.iter().cloned());
        let (m, _) = Moments::from_dataset(&tmp, &cols, weights, policy)?;
        let off = base.len();
        let pp = cols.len();
        let cov = m.covariance();
        let mut szz = vec![0.0; q * q];
        for u in 0..q {
            for v in 0..q {
                szz[u * q + v] = cov[(off + u) * pp + off + v];
            }
        }
        let inv = linalg::inverse(&szz, q).ok_or_else(|| Error::SingularBlock {
            construct: format!("{}, {}", a.join("+"), b.join("+")),
        })?;
        let mut coefs = Vec::with_capacity(names.len());
        for r in 0..names.len() {
            let col = off + q + r;
            let szp: Vec<f64> = (0..q).map(|u| cov[(off + u) * pp + col]).collect();
            let beta: Vec<f64> = (0..q)
                .map(|u| (0..q).map(|v| inv[u * q + v] * szp[v]).sum())
                .collect();
            let b0 = m.means()[col] - (0..q).map(|u| beta[u] * m.means()[off + u]).sum::<f64>();
            let mut c = vec![b0];
            c.extend(beta);
            coefs.push(c);
        }
        *ortho = Some(coefs);
    }
    Ok(step)
}

fn standardize(x: f64, mean: f64, sd: f64, policy: MissingPolicy) -> f64 {
    if x.is_nan() {
        // Mean replacement: the standardized mean is 0.
        if policy == MissingPolicy::Mean {
            0.0
        } else {
            f64::NAN
        }
    } else {
        (x - mean) / sd
    }
}

fn apply(step: &Step, data: &mut Dataset, policy: MissingPolicy) -> Result<()> {
    let n = data.n_rows();
    match step {
        Step::LocScores { stage1, components } => {
            let scores = stage1.scores(data)?;
            let k = scores.constructs.len();
            let model = stage1.model();
            let sds = stage1.moments().std_devs();
            let means = stage1.moments().means();
            for comp in components {
                let j = model
                    .construct_index(comp)
                    .ok_or_else(|| Error::UnknownConstruct {
                        name: comp.clone(),
                        suggestions: crate::error::Suggestions(Vec::new()),
                    })?;
                // Unstandardized weights of the block (indicator positions in the fit).
                let start: usize = model.constructs()[..j]
                    .iter()
                    .map(|c| c.indicators.len())
                    .sum();
                let q = model.constructs()[j].indicators.len();
                let wu: Vec<f64> = (start..start + q)
                    .map(|i| match stage1.scaling {
                        Scaling::Standardized => stage1.outer[i].weight / sds[i],
                        Scaling::Centered => stage1.outer[i].weight,
                    })
                    .collect();
                let sum: f64 = wu.iter().sum();
                // Items' metric: Σ w̃ x = Σ w̃ x̄ + z / Σ w_u (z the unit-variance score).
                let (offset, scale) = if sum.abs() > 1e-12 {
                    let level: f64 = (start..start + q)
                        .zip(&wu)
                        .map(|(i, w)| w / sum * means[i])
                        .sum();
                    (level, 1.0 / sum)
                } else {
                    (0.0, 1.0)
                };
                let mut col = vec![f64::NAN; n];
                for (r_out, &r) in scores.rows.iter().enumerate() {
                    col[r] = offset + scale * scores.values[r_out * k + j];
                }
                data.set_numeric(comp, col)?;
            }
        }
        Step::Products {
            a,
            b,
            means,
            sds,
            ortho,
            names,
        } => {
            let za: Vec<Vec<f64>> = a
                .iter()
                .chain(b.iter())
                .enumerate()
                .map(|(i, c)| {
                    Ok(data
                        .numeric(c)?
                        .iter()
                        .map(|v| standardize(*v, means[i], sds[i], policy))
                        .collect())
                })
                .collect::<Result<_>>()?;
            let na = a.len();
            let mut idx = 0;
            for x in 0..na {
                for y in 0..b.len() {
                    let mut col: Vec<f64> = (0..n).map(|r| za[x][r] * za[na + y][r]).collect();
                    if let Some(coefs) = ortho {
                        let c = &coefs[idx];
                        for (r, v) in col.iter_mut().enumerate() {
                            let fitted: f64 = c[0]
                                + za.iter()
                                    .enumerate()
                                    .map(|(u, z)| c[u + 1] * z[r])
                                    .sum::<f64>();
                            *v -= fitted;
                        }
                    }
                    data.set_numeric(&names[idx], col)?;
                    idx += 1;
                }
            }
        }
        Step::ScoreProduct { stage1, a, b, name } => {
            let scores = stage1.scores(data)?;
            let (za, zb) = (
                scores.column(a).unwrap_or_default(),
                scores.column(b).unwrap_or_default(),
            );
            let mut col = vec![f64::NAN; n];
            for (r_out, &r) in scores.rows.iter().enumerate() {
                col[r] = za[r_out] * zb[r_out];
            }
            data.set_numeric(name, col)?;
        }
    }
    Ok(())
}

/// The measurement assessment of a higher-order construct (Sarstedt et al.
/// 2019, §"Validating HCMs"): its lower-order constructs play the role of
/// indicators, so its "loadings" are the correlations HOC–LOC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HocAssessment {
    /// The higher-order construct.
    pub construct: String,
    /// Its mode.
    pub mode: crate::model::Mode,
    /// The approach of the fit.
    pub approach: HocApproach,
    /// Each LOC's correlation with the HOC (repeated indicators: from the
    /// construct correlations, = the HOC → LOC path of a Mode A HOC;
    /// two-stage: the stage-2 loading of the LOC score).
    pub loadings: Vec<(String, f64)>,
    /// Composite reliability (Σλ)² / ((Σλ)² + Σ(1 − λ²)) over the LOC
    /// loadings (Mode A only).
    pub rho_c: Option<f64>,
    /// Average variance extracted: mean λ² (Mode A only).
    pub ave: Option<f64>,
    /// Collinearity of the LOCs: VIF of each, the diagonal of the inverse
    /// of their correlation matrix (relevant for a Mode B HOC; ≥ 5 signals trouble).
    pub vif: Vec<(String, f64)>,
}

/// One row of a simple-slope table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimpleSlope {
    /// Moderator level in standard deviations (−1, 0, +1).
    pub moderator_sd: f64,
    /// Standardized effect of the focal predictor at that level: b_focal + b_term · level.
    pub slope: f64,
    /// Bootstrap interval (`None` without a bootstrap).
    pub ci: Option<(f64, f64)>,
}

/// Simple slopes of a focal predictor on a dependent at moderator levels
/// (Aiken & West 1991), from a fit with the interaction term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimpleSlopes {
    /// The focal predictor.
    pub focal: String,
    /// The moderator.
    pub moderator: String,
    /// The dependent construct.
    pub dependent: String,
    /// The interaction term (`focal:moderator` or `moderator:focal`).
    pub term: String,
    /// Main effect of the focal predictor (slope at the moderator's mean).
    pub focal_effect: f64,
    /// Path of the interaction term.
    pub interaction_effect: f64,
    /// Rows at moderator −1, 0, +1 SD.
    pub rows: Vec<SimpleSlope>,
}

/// The moderator levels of a simple-slope table, in SD units.
pub const SLOPE_LEVELS: [f64; 3] = [-1.0, 0.0, 1.0];

impl PlsFit {
    /// The assessment of every higher-order construct with its lower-order
    /// constructs as indicators (Sarstedt et al. 2019): loadings, rho_c, AVE,
    /// VIF. Empty without higher-order constructs. The usual assessment of
    /// the fit judges the HOC by its repeated items instead, which the
    /// literature advises against for the HOC itself.
    pub fn higher_order_assessment(&self) -> Vec<HocAssessment> {
        let (specs, approach, corr_fit): (&[HigherOrderSpec], HocApproach, &PlsFit) =
            match &self.extension {
                Some(e) if e.stage1.is_some() => (
                    e.specified.higher_order(),
                    e.hoc_approach.unwrap_or_default(),
                    e.stage1.as_deref().unwrap_or(self),
                ),
                _ => (
                    self.model().higher_order(),
                    HocApproach::RepeatedIndicators,
                    self,
                ),
            };
        let two_stage = approach != HocApproach::RepeatedIndicators;
        let c = &corr_fit.construct_correlations;
        specs
            .iter()
            .map(|h| {
                let loadings: Vec<(String, f64)> = h
                    .components
                    .iter()
                    .map(|l| {
                        let v = if two_stage {
                            self.outer
                                .iter()
                                .find(|o| &o.indicator == l && o.construct == h.name)
                                .map_or(f64::NAN, |o| o.loading)
                        } else {
                            c.get(&h.name, l).unwrap_or(f64::NAN)
                        };
                        (l.clone(), v)
                    })
                    .collect();
                let lam: Vec<f64> = loadings.iter().map(|x| x.1).collect();
                let sum: f64 = lam.iter().sum();
                let mode_a = h.mode == crate::model::Mode::A;
                let rho_c = sum * sum / (sum * sum + lam.iter().map(|l| 1.0 - l * l).sum::<f64>());
                let ave = lam.iter().map(|l| l * l).sum::<f64>() / lam.len() as f64;
                let q = h.components.len();
                let mut r = vec![0.0; q * q];
                for (u, a) in h.components.iter().enumerate() {
                    for (v, b) in h.components.iter().enumerate() {
                        r[u * q + v] = c.get(a, b).unwrap_or(f64::NAN);
                    }
                }
                let inv = linalg::spd_inverse(&r, q);
                HocAssessment {
                    construct: h.name.clone(),
                    mode: h.mode,
                    approach,
                    loadings,
                    rho_c: mode_a.then_some(rho_c),
                    ave: mode_a.then_some(ave),
                    vif: h
                        .components
                        .iter()
                        .enumerate()
                        .map(|(u, l)| {
                            (
                                l.clone(),
                                inv.as_ref().map_or(f64::INFINITY, |m| m[u * q + u]),
                            )
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// The simple-slope table of `focal` on `dependent` moderated by
    /// `moderator`: slope = b_focal + b_term · m at m = −1, 0, +1 SD
    /// (standardized construct scores; Aiken & West 1991; seminr's
    /// `slope_analysis`). Intervals come from [`crate::pls::Bootstrap::simple_slopes`].
    ///
    /// # Errors
    /// [`Error::InvalidInteraction`] when the model has no term of the two
    /// constructs with paths into `dependent`.
    pub fn simple_slopes(
        &self,
        focal: &str,
        moderator: &str,
        dependent: &str,
    ) -> Result<SimpleSlopes> {
        let model = self
            .extension
            .as_ref()
            .map_or(self.model(), |e| &e.specified);
        let term = model
            .interactions()
            .iter()
            .find(|t| (t.a == focal && t.b == moderator) || (t.a == moderator && t.b == focal))
            .map(|t| t.term.clone())
            .ok_or_else(|| Error::InvalidInteraction {
                term: format!("{focal}:{moderator}"),
                message: "the model has no such interaction term".into(),
            })?;
        let path = |from: &str| {
            self.path(from, dependent)
                .map(|p| p.estimate)
                .ok_or_else(|| Error::InvalidInteraction {
                    term: term.clone(),
                    message: format!("no path `{from}` -> `{dependent}` in the fit"),
                })
        };
        let bf = path(focal)?;
        let bi = path(&term)?;
        Ok(SimpleSlopes {
            focal: focal.into(),
            moderator: moderator.into(),
            dependent: dependent.into(),
            term,
            focal_effect: bf,
            interaction_effect: bi,
            rows: SLOPE_LEVELS
                .iter()
                .map(|&m| SimpleSlope {
                    moderator_sd: m,
                    slope: bf + bi * m,
                    ci: None,
                })
                .collect(),
        })
    }
}

impl Pls<'_> {
    /// The three-stage estimation of [`HocApproach::ThreeStage`] (van Riel,
    /// Henseler, Kemény & Sasovova 2017; see the [module docs](self)).
    pub(crate) fn fit_three_stage(&self, data: &Dataset) -> Result<PlsFit> {
        let unsupported = |feature: &str, context: String| Error::Unsupported {
            feature: feature.into(),
            context,
        };
        if !self.model.interactions().is_empty() {
            return Err(unsupported(
                "interaction terms",
                "with the three-stage higher-order approach: use a two-stage approach".into(),
            ));
        }
        if self.settings.missing == MissingPolicy::Pairwise {
            return Err(unsupported(
                "pairwise deletion (missing = pairwise)",
                "with the three-stage higher-order approach: use missing = listwise or mean".into(),
            ));
        }
        let specified = self.model.clone();
        let (first, hocs, paths) = specified.parts();
        let is_loc = |n: &str| hocs.iter().any(|h| h.components.iter().any(|c| c == n));
        if let Some((f, t)) = paths.iter().find(|(f, t)| is_loc(f) || is_loc(t)) {
            return Err(unsupported(
                "a structural path of a lower-order construct",
                format!(
                    "with the three-stage approach (`{f}` -> `{t}`): the lower-order constructs are not in stage 3; use the repeated-indicators approach"
                ),
            ));
        }
        // Stage 1: PLSc of the repeated-indicators model.
        let mut s1 = self.clone();
        s1.settings.hoc_approach = HocApproach::RepeatedIndicators;
        s1.settings.consistent = true;
        let fit1 = s1.fit(data)?;
        // The consistent correlations of the LOCs and the other first-order
        // constructs (the stage-1 HOC itself is left out).
        let names: Vec<String> = first.iter().map(|c| c.name.clone()).collect();
        let cc = &fit1.construct_correlations;
        let idx: Vec<usize> = names
            .iter()
            .map(|n| {
                cc.rows
                    .iter()
                    .position(|r| r == n)
                    .ok_or_else(|| Error::Unsupported {
                        feature: format!("construct `{n}`"),
                        context: "missing from the stage-1 fit of the three-stage approach".into(),
                    })
            })
            .collect::<Result<_>>()?;
        let k = cc.cols.len();
        let q = names.len();
        let n = fit1.missing.n_used;
        let scale = n.saturating_sub(1).max(1) as f64;
        let mut comoment = vec![0.0; q * q];
        for (a, &i) in idx.iter().enumerate() {
            for (b, &j) in idx.iter().enumerate() {
                comoment[a * q + b] = cc.data[i * k + j] * scale;
            }
        }
        let moments =
            Moments::from_parts(names.clone(), n as u64, n as f64, vec![0.0; q], comoment);
        // Stages 2 and 3: the HOCs as composites of their LOCs and the
        // structural model, from the consistent correlations (no further correction).
        let mut c3: Vec<ConstructSpec> = first
            .iter()
            .filter(|c| !is_loc(&c.name))
            .map(|c| ConstructSpec {
                name: c.name.clone(),
                mode: c.mode,
                indicators: vec![c.name.clone()],
            })
            .collect();
        for h in &hocs {
            c3.push(ConstructSpec {
                name: h.name.clone(),
                mode: h.mode,
                indicators: h.components.clone(),
            });
        }
        let model3 = Model::with_extensions(c3, Vec::new(), paths)?;
        let mut s3 = self.settings.clone();
        s3.consistent = false;
        s3.hoc_approach = HocApproach::RepeatedIndicators;
        s3.composites = Vec::new();
        s3.correlation = super::CorrelationKind::Pearson;
        let mut fit = s3.fit_moments(&model3, &moments)?;
        fit.missing = fit1.missing.clone();
        // OLS standard errors do not hold for corrected correlations (as under
        // PLSc): none are reported; the stage-1 admissibility is in `stage1`.
        for row in &mut fit.paths {
            row.std_error = None;
            row.t = None;
            row.p = None;
        }
        fit.extension = Some(Extension {
            hoc_approach: Some(HocApproach::ThreeStage),
            interaction_approach: None,
            stage1: Some(Box::new(fit1)),
            derived_columns: Vec::new(),
            specified,
            steps: Vec::new(),
            policy: self.settings.missing,
        });
        Ok(fit)
    }
}
