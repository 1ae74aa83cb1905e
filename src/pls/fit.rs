//! The result of a PLS-PM estimation and everything derived from the converged
//! outer weights (Tenenhaus et al. 2005; Lohmöller 1989; Sanchez 2013).

use std::fmt;

use serde::Serialize;

use super::Scaling;
use super::algorithm::{Layout, OuterWeights, Scheme, StopRule, Weighting};
use super::core::{self, Core};
use super::moments::{MissingPolicy, MissingReport, Moments, Prepared};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg;
use crate::model::{Mode, Model};
use crate::stats;

/// Rounding tolerance of the R² range check of [`PlsFit::assemble`].
pub(crate) const R2_TOLERANCE: f64 = 1e-8;

/// A named matrix (row-major).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    /// Row names.
    pub rows: Vec<String>,
    /// Column names.
    pub cols: Vec<String>,
    /// Values, row-major.
    pub data: Vec<f64>,
}

impl Matrix {
    /// The value at (row name, column name).
    pub fn get(&self, row: &str, col: &str) -> Option<f64> {
        let r = self.rows.iter().position(|x| x == row)?;
        let c = self.cols.iter().position(|x| x == col)?;
        Some(self.data[r * self.cols.len() + c])
    }

    /// The value at (row index, column index).
    pub fn at(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols.len() + c]
    }
}

/// Per-construct results: R², reliability and unidimensionality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstructResult {
    /// Name.
    pub name: String,
    /// Mode A or B.
    pub mode: Mode,
    /// Indicator names.
    pub indicators: Vec<String>,
    /// R² of the inner regression (`None` for exogenous constructs).
    pub r_squared: Option<f64>,
    /// Adjusted R² = 1 − (1 − R²)(n − 1)/(n − q − 1).
    pub r_squared_adj: Option<f64>,
    /// Cronbach's alpha on the standardized indicators (Cronbach 1951). Single
    /// indicator: 1 by convention (seminr, cSEM). `None` for Mode B blocks.
    pub cronbach_alpha: Option<f64>,
    /// Composite reliability (Jöreskog's rho / Dillon–Goldstein's rho from PLS
    /// loadings): (Σλ)² / ((Σλ)² + Σ(1 − λ²)) (Werts, Linn & Jöreskog 1974).
    /// `None` for Mode B blocks.
    pub rho_c: Option<f64>,
    /// Dijkstra–Henseler's rho_A (Dijkstra & Henseler 2015):
    /// (wᵀw)² · wᵀ(S − diag S)w / wᵀ(wwᵀ − diag(wwᵀ))w. Single indicator: 1.
    /// `None` for Mode B blocks, and where the ratio is 0/0 (every weight but
    /// one exactly 0, e.g. an indicator uncorrelated with the inner proxy).
    pub rho_a: Option<f64>,
    /// Average variance extracted, mean λ² (Fornell & Larcker 1981). `None` for Mode B blocks.
    pub ave: Option<f64>,
    /// Block communality: mean λ² whatever the mode (plspm's `Block_Communality`).
    pub block_communality: f64,
    /// Mean redundancy: block communality × R² (`None` for exogenous constructs).
    pub mean_redundancy: Option<f64>,
    /// Dillon–Goldstein rho from the first principal component of the block,
    /// as plspm's unidimensionality table reports it. `None` for Mode B.
    pub dg_rho: Option<f64>,
    /// Largest eigenvalue of the block's correlation matrix.
    pub eig_1st: f64,
    /// Second-largest eigenvalue (`None` for a single indicator).
    pub eig_2nd: Option<f64>,
}

/// Outer-model results of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OuterRow {
    /// Indicator.
    pub indicator: String,
    /// Its construct.
    pub construct: String,
    /// Outer weight (in the metric of the analysed indicators: standardized or centred).
    pub weight: f64,
    /// Loading: correlation of the indicator with its construct.
    pub loading: f64,
    /// Communality: loading².
    pub communality: f64,
    /// Redundancy: communality × R² of the construct (`None` if exogenous).
    pub redundancy: Option<f64>,
}

/// A structural path with the OLS inference plspm reports (regression of the
/// standardized construct scores, intercept included).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathRow {
    /// Predictor.
    pub from: String,
    /// Dependent.
    pub to: String,
    /// Standardized path coefficient.
    pub estimate: f64,
    /// OLS standard error (`None` when n ≤ predictors + 1).
    pub std_error: Option<f64>,
    /// t statistic (`None` also when the fit is perfect: R² = 1, SE = 0).
    pub t: Option<f64>,
    /// Two-sided p-value from Student's t with n − q − 1 df (`None` where t is).
    pub p: Option<f64>,
}

/// Direct, indirect and total effect of one construct on another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectRow {
    /// Cause.
    pub from: String,
    /// Effect.
    pub to: String,
    /// Direct effect (the path coefficient, 0 if none).
    pub direct: f64,
    /// Indirect effect: total − direct.
    pub indirect: f64,
    /// Total effect: element of (I − B)⁻¹ − I.
    pub total: f64,
}

/// A specific indirect effect: the effect of `from` on `to` through one
/// chain of mediators, the product of the path coefficients along it
/// (Brown 1997; Preacher & Hayes 2008). The specific indirect effects of a
/// pair add up to its indirect effect ([`EffectRow::indirect`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecificIndirect {
    /// Cause.
    pub from: String,
    /// Effect.
    pub to: String,
    /// The mediators, in order (at least one).
    pub via: Vec<String>,
    /// The chain written out, `A -> M -> Y`.
    pub chain: String,
    /// The product of the path coefficients along the chain.
    pub estimate: f64,
}

/// A value for a pair of constructs (e.g. HTMT).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairValue {
    /// First construct.
    pub a: String,
    /// Second construct.
    pub b: String,
    /// The value.
    pub value: f64,
}

/// A value for a structural path (e.g. inner VIF, f²).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathValue {
    /// Predictor.
    pub from: String,
    /// Dependent.
    pub to: String,
    /// The value.
    pub value: f64,
}

/// Construct scores for the rows that were used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// 0-based data rows the scores belong to.
    pub rows: Vec<usize>,
    /// Construct names (columns).
    pub constructs: Vec<String>,
    /// Scores, row-major (rows × constructs); each column has mean 0 and sample SD 1
    /// (as seminr and cSEM; plspm's are these × √(n/(n−1))).
    pub values: Vec<f64>,
}

impl Scores {
    /// The scores of one construct.
    pub fn column(&self, construct: &str) -> Option<Vec<f64>> {
        let k = self.constructs.len();
        let j = self.constructs.iter().position(|c| c == construct)?;
        Some(self.values.iter().skip(j).step_by(k).copied().collect())
    }
}

/// A fitted PLS path model. Every field is computed at fit time; construct
/// scores, which need the rows, come from [`PlsFit::scores`].
#[derive(Debug, Clone, Serialize)]
pub struct PlsFit {
    /// Rows used in the estimation.
    pub n_observations: usize,
    /// What missing-data handling did (rows dropped, cells imputed).
    pub missing: MissingReport,
    /// Whether case weights were used.
    pub weighted: bool,
    /// Inner weighting scheme.
    pub scheme: Scheme,
    /// Standardized or centred indicators.
    pub scaling: Scaling,
    /// Whether the iteration converged.
    pub converged: bool,
    /// Iterations run.
    pub iterations: usize,
    /// The last change in the outer weights (by `stop_rule`).
    pub final_change: f64,
    /// The tolerance used.
    pub tolerance: f64,
    /// The iteration limit used.
    pub max_iter: usize,
    /// The change measure used.
    pub stop_rule: StopRule,
    /// How the outer weights were obtained (extra key; absent for PLS weights).
    #[serde(skip_serializing_if = "Weighting::is_pls")]
    pub weighting: Weighting,
    /// Per construct, in model order.
    pub constructs: Vec<ConstructResult>,
    /// Per indicator, block by block.
    pub outer: Vec<OuterRow>,
    /// Correlations of every indicator (rows) with every construct (columns).
    pub cross_loadings: Matrix,
    /// Structural paths, grouped by dependent construct in model order.
    pub paths: Vec<PathRow>,
    /// Effects for every ordered pair joined by a directed path.
    pub effects: Vec<EffectRow>,
    /// Correlations among the constructs.
    pub construct_correlations: Matrix,
    /// Goodness of fit (Tenenhaus et al. 2004): √(mean communality × mean R²), the
    /// communality averaged over the indicators of blocks with more than one.
    /// NaN (JSON null) when the mean R² is negative, which only an inadmissible
    /// consistent-PLS solution can give (see [`PlsFit::consistent`]).
    pub gof: f64,
    /// Heterotrait–monotrait ratio (Henseler, Ringle & Sarstedt 2015) for each
    /// pair of Mode A constructs with ≥ 2 indicators, from absolute indicator
    /// correlations (seminr, SmartPLS); see [`PlsFit::htmt_signed`] for cSEM's variant.
    /// NaN (JSON null) for a pair where a block's indicators are mutually
    /// uncorrelated (mean monotrait correlation 0): the ratio is not defined
    /// (HTMT2 is `None` there too).
    pub htmt: Vec<PairValue>,
    /// Variance inflation factors of the predictors of each endogenous construct.
    pub vif_inner: Vec<PathValue>,
    /// Cohen's f² = (R²_incl − R²_excl)/(1 − R²_incl) of each path; `+∞` (JSON
    /// null) when the dependent construct is explained perfectly (R² = 1).
    pub f_squared: Vec<PathValue>,
    /// Consistent PLS (Dijkstra & Henseler 2015): the reliabilities used for the
    /// correction and the admissibility checks. `None` for a plain PLS fit. When
    /// present, loadings, construct correlations, paths, R², effects, VIF, f²,
    /// rho_c, AVE and GoF above are the corrected (PLSc) values; weights,
    /// cross-loadings, scores and HTMT are those of the composites.
    pub consistent: Option<super::plsc::Consistency>,
    /// Whether the indicator correlations were polychoric ([`super::ordinal`]).
    pub polychoric: bool,
    /// Higher-order constructs and interaction terms: the approaches, the
    /// stage-1 fit and the derived columns (`None` for a plain model).
    pub extension: Option<super::extend::Extension>,
    #[serde(skip)]
    model: Model,
    #[serde(skip)]
    s: Vec<f64>,
    #[serde(skip)]
    moments: Moments,
    #[serde(skip)]
    path_matrix: Vec<f64>,
}

/// Everything [`PlsFit::assemble`] needs.
pub(crate) struct Assembly {
    pub model: Model,
    pub layout: Layout,
    pub s: Vec<f64>,
    pub moments: Moments,
    pub missing: MissingReport,
    pub weighted: bool,
    pub outer: OuterWeights,
    pub scheme: Scheme,
    pub scaling: Scaling,
    pub tol: f64,
    pub max_iter: usize,
    pub stop: StopRule,
    pub weighting: Weighting,
    pub consistent: bool,
    pub polychoric: bool,
}

impl PlsFit {
    /// Assembles the fit.
    ///
    /// # Errors
    /// The errors of the core, and [`Error::ImpossibleEstimate`] for an R²
    /// outside [0, 1] (by more than [`R2_TOLERANCE`]) of a fit that is not PLSc.
    pub(crate) fn assemble(a: Assembly) -> Result<PlsFit> {
        let Assembly {
            model,
            layout,
            s,
            moments,
            missing,
            weighted,
            outer,
            scheme,
            scaling,
            tol,
            max_iter,
            stop,
            weighting,
            consistent,
            polychoric,
        } = a;
        let (p, k) = (layout.p, layout.k);
        let n = missing.n_used;
        let cnames: Vec<String> = model.constructs().iter().map(|c| c.name.clone()).collect();
        let inames: Vec<String> = model.indicators().map(str::to_string).collect();

        let Core {
            w,
            sw,
            c,
            loadings: loading,
            regressions,
            b,
            total,
            rho_a,
            consistency,
        } = Core::derive(&layout, &s, outer.w, &cnames, &inames, consistent)?;
        let w = &w;
        let sd: Vec<f64> = (0..p).map(|i| s[i * p + i].sqrt()).collect();
        // Indicator correlation matrix (S itself when standardized).
        let corr = core::correlations(p, &s);
        let cross: Vec<f64> = (0..p * k).map(|ik| sw[ik] / sd[ik / k]).collect();
        // rho_A of every block (computed by the core when PLSc needed it).
        let rho_a_all = rho_a.unwrap_or_else(|| core::rho_a_all(&layout, w, &sd, &corr));

        // Inner model: OLS of each endogenous construct on its predecessors.
        let mut r2: Vec<Option<f64>> = vec![None; k];
        let mut r2_adj: Vec<Option<f64>> = vec![None; k];
        let mut paths = Vec::new();
        let mut vif_inner = Vec::new();
        let mut f_squared = Vec::new();
        for reg in &regressions {
            let j = reg.to;
            let pred = &layout.pred[j];
            let q = pred.len();
            let (beta, inv, rsq) = (&reg.beta, &reg.inv, reg.r2);
            // From a positive semi-definite S, R² lies in [0, 1]; outside it
            // (beyond rounding) S is no data's correlation matrix. PLSc's
            // disattenuated R² has its own admissibility report.
            if !consistent && !(-R2_TOLERANCE..=1.0 + R2_TOLERANCE).contains(&rsq) {
                return Err(Error::ImpossibleEstimate {
                    statistic: format!("R² of {}", cnames[j]),
                    value: rsq,
                    range: "[0, 1]".into(),
                });
            }
            r2[j] = Some(rsq);
            let df = n as f64 - q as f64 - 1.0;
            r2_adj[j] = (df > 0.0).then(|| 1.0 - (1.0 - rsq) * (n as f64 - 1.0) / df);
            for (x, &px) in pred.iter().enumerate() {
                // OLS inference does not apply to disattenuated paths: use the bootstrap.
                let se = (df > 0.0 && !consistent)
                    .then(|| ((1.0 - rsq).max(0.0) / df * inv[x * q + x]).sqrt());
                // A perfect fit (R² = 1, SE = 0) has no finite t: t and p are undefined.
                let t = se.map(|se| beta[x] / se).filter(|t| t.is_finite());
                let pval = t.map(|t| stats::t_two_sided_p(t, df));
                paths.push(PathRow {
                    from: cnames[px].clone(),
                    to: cnames[j].clone(),
                    estimate: beta[x],
                    std_error: se,
                    t,
                    p: pval,
                });
                vif_inner.push(PathValue {
                    from: cnames[px].clone(),
                    to: cnames[j].clone(),
                    value: inv[x * q + x],
                });
                // R²_incl − R²_excl = β_x² / [C⁻¹]_xx.
                f_squared.push(PathValue {
                    from: cnames[px].clone(),
                    to: cnames[j].clone(),
                    value: {
                        let gain = beta[x] * beta[x] / inv[x * q + x];
                        // A perfect fit (R² = 1 up to rounding) leaves no unexplained
                        // variance: f² is +∞ (0 for a path that adds nothing).
                        if 1.0 - rsq > 0.0 {
                            gain / (1.0 - rsq)
                        } else if gain > 0.0 {
                            f64::INFINITY
                        } else {
                            0.0
                        }
                    },
                });
            }
        }

        let effects: Vec<EffectRow> = core::effect_pairs(&layout, &model)
            .into_iter()
            .map(|(from, to)| {
                let direct = b[to * k + from];
                let tot = total[to * k + from];
                EffectRow {
                    from: cnames[from].clone(),
                    to: cnames[to].clone(),
                    direct,
                    indirect: tot - direct,
                    total: tot,
                }
            })
            .collect();
        // Outer rows.
        let outer_rows: Vec<OuterRow> = (0..p)
            .map(|i| {
                let j = layout.block_of[i];
                let l = loading[i];
                OuterRow {
                    indicator: inames[i].clone(),
                    construct: cnames[j].clone(),
                    weight: w[i],
                    loading: l,
                    communality: l * l,
                    redundancy: r2[j].map(|r| l * l * r),
                }
            })
            .collect();

        // Constructs: reliability and unidimensionality.
        let mut constructs = Vec::with_capacity(k);
        for j in 0..k {
            let r = layout.block(j);
            let q = r.len();
            let spec = &model.constructs()[j];
            let block_corr: Vec<f64> = r
                .clone()
                .flat_map(|a| r.clone().map(move |bb| (a, bb)))
                .map(|(a, bb)| corr[a * p + bb])
                .collect();
            let lam: Vec<f64> = r.clone().map(|i| loading[i]).collect();
            let comm = lam.iter().map(|l| l * l).sum::<f64>() / q as f64;
            let (eig, vecs) = linalg::symmetric_eigen(&block_corr, q);
            let mode_a = spec.mode == Mode::A;
            let alpha = if q == 1 {
                Some(1.0)
            } else {
                stats::cronbach_alpha(&block_corr, q)
            };
            let sum_l: f64 = lam.iter().sum();
            let rho_c =
                sum_l * sum_l / (sum_l * sum_l + lam.iter().map(|l| 1.0 - l * l).sum::<f64>());
            // DG rho from the first principal component's loadings.
            let pc_sum: f64 = (0..q).map(|a| vecs[a * q]).sum();
            let sign = if pc_sum < 0.0 { -1.0 } else { 1.0 };
            let pc: Vec<f64> = (0..q)
                .map(|a| sign * vecs[a * q] * eig[0].max(0.0).sqrt())
                .collect();
            let pc_s: f64 = pc.iter().sum();
            let dg = pc_s * pc_s / (pc_s * pc_s + pc.iter().map(|l| 1.0 - l * l).sum::<f64>());
            let rho_a = rho_a_all[j];
            constructs.push(ConstructResult {
                name: cnames[j].clone(),
                mode: spec.mode,
                indicators: spec.indicators.clone(),
                r_squared: r2[j],
                r_squared_adj: r2_adj[j],
                cronbach_alpha: if mode_a { alpha } else { None },
                rho_c: mode_a.then_some(rho_c),
                // 0/0 when all the weight sits on one indicator (the others' weights
                // are exactly 0): undefined, not NaN.
                rho_a: mode_a.then_some(rho_a).filter(|v| v.is_finite()),
                ave: mode_a.then_some(comm),
                block_communality: comm,
                mean_redundancy: r2[j].map(|rr| rr * comm),
                dg_rho: if mode_a {
                    if q == 1 { Some(1.0) } else { Some(dg) }
                } else {
                    None
                },
                eig_1st: eig[0],
                eig_2nd: eig.get(1).copied(),
            });
        }

        // GoF: communalities of indicators in blocks with more than one.
        let multi: Vec<f64> = (0..p)
            .filter(|&i| layout.block(layout.block_of[i]).len() > 1)
            .map(|i| loading[i] * loading[i])
            .collect();
        let mean_comm = multi.iter().sum::<f64>() / multi.len().max(1) as f64;
        let r2s: Vec<f64> = r2.iter().flatten().copied().collect();
        let mean_r2 = r2s.iter().sum::<f64>() / r2s.len().max(1) as f64;
        let gof = (mean_comm * mean_r2).sqrt();

        let htmt = htmt_rows(&layout, &model, &corr, true);

        Ok(PlsFit {
            n_observations: n,
            missing,
            weighted,
            scheme,
            scaling,
            converged: outer.converged,
            iterations: outer.iterations,
            final_change: outer.change,
            tolerance: tol,
            max_iter,
            stop_rule: stop,
            weighting,
            constructs,
            outer: outer_rows,
            cross_loadings: Matrix {
                rows: inames,
                cols: cnames.clone(),
                data: cross,
            },
            paths,
            effects,
            construct_correlations: Matrix {
                rows: cnames.clone(),
                cols: cnames,
                data: c,
            },
            gof,
            htmt,
            vif_inner,
            f_squared,
            consistent: consistency,
            polychoric,
            extension: None,
            model,
            s,
            moments,
            path_matrix: b,
        })
    }

    /// The model that was fitted.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The indicator moments the fit was computed from (in model indicator order).
    pub fn moments(&self) -> &Moments {
        &self.moments
    }

    /// The construct result of `name`.
    pub fn construct(&self, name: &str) -> Option<&ConstructResult> {
        self.constructs.iter().find(|c| c.name == name)
    }

    /// The outer-model row of an indicator.
    pub fn indicator(&self, name: &str) -> Option<&OuterRow> {
        self.outer.iter().find(|o| o.indicator == name)
    }

    /// The path `from → to`, if the model has it.
    pub fn path(&self, from: &str, to: &str) -> Option<&PathRow> {
        self.paths.iter().find(|r| r.from == from && r.to == to)
    }

    /// The effect row `from → to`, if a directed path joins them.
    pub fn effect(&self, from: &str, to: &str) -> Option<&EffectRow> {
        self.effects.iter().find(|r| r.from == from && r.to == to)
    }

    /// Every specific indirect effect (each chain from → m₁ → … → to of at
    /// least two paths separately), grouped by pair in the order of
    /// [`PlsFit::effects`]. Under PLSc they are products of the corrected paths.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a model with more than
    /// [`MAX_SPECIFIC_INDIRECT`](super::MAX_SPECIFIC_INDIRECT) chains.
    pub fn specific_indirect_effects(&self) -> Result<Vec<SpecificIndirect>> {
        let layout = Layout::new(&self.model);
        let k = layout.k;
        let name = |j: usize| self.constructs[j].name.clone();
        Ok(core::specific_indirect_chains(&layout, &self.model)?
            .into_iter()
            .map(|chain| SpecificIndirect {
                from: name(chain[0]),
                to: name(chain[chain.len() - 1]),
                via: chain[1..chain.len() - 1].iter().map(|&j| name(j)).collect(),
                chain: chain
                    .iter()
                    .map(|&j| name(j))
                    .collect::<Vec<_>>()
                    .join(" -> "),
                estimate: core::chain_effect(k, &self.path_matrix, &chain),
            })
            .collect())
    }

    /// Outer weights on the indicators' own units: a construct score is
    /// Σ wᵢ·(xᵢ − x̄ᵢ) with these wᵢ (standardized indicators: weight / SD;
    /// centred: the weight itself). Used to predict from raw data.
    pub(crate) fn unit_weights(&self) -> Vec<f64> {
        let sds = self.moments.std_devs();
        self.outer
            .iter()
            .zip(&sds)
            .map(|(o, sd)| match self.scaling {
                super::Scaling::Standardized => o.weight / sd,
                super::Scaling::Centered => o.weight,
            })
            .collect()
    }

    /// Path coefficient matrix B (rows = dependent, columns = predictor), as plspm's `path_coefs`.
    pub fn path_matrix(&self) -> Matrix {
        let names: Vec<String> = self.constructs.iter().map(|c| c.name.clone()).collect();
        Matrix {
            rows: names.clone(),
            cols: names,
            data: self.path_matrix.clone(),
        }
    }

    /// The analysed indicator matrix S (correlations when standardized, covariances when centred), model order.
    pub fn indicator_matrix(&self) -> Matrix {
        let names: Vec<String> = self.outer.iter().map(|o| o.indicator.clone()).collect();
        Matrix {
            rows: names.clone(),
            cols: names,
            data: self.s.clone(),
        }
    }

    /// HTMT from signed indicator correlations (cSEM's variant). See [`PlsFit::htmt`].
    /// Where a block's mean monotrait correlation is negative (or 0) the ratio is
    /// not defined: the value is NaN (JSON null), as in cSEM; HTMT2 is `None` there.
    pub fn htmt_signed(&self) -> Vec<PairValue> {
        let layout = Layout::new(&self.model);
        let corr = core::correlations(layout.p, &self.s);
        htmt_rows(&layout, &self.model, &corr, false)
    }

    /// Construct scores for the rows of `data` used by the fit (same missing-data
    /// policy; with [`MissingPolicy::Pairwise`], the rows complete in every
    /// indicator; rows empty in every indicator are never scored): y = X w with X standardized (or centred) by the fit's means and
    /// standard deviations. Each score column has mean 0 and sample SD 1.
    /// With interaction terms or a two-stage approach, the derived columns
    /// are made first with the fit's parameters ([`super::extend`]). With
    /// polychoric correlations, the weights are applied to the standardized
    /// item values (Schuberth, Henseler & Dijkstra 2018 give no scores for
    /// ordinal PLS; this is the usual approximation).
    ///
    /// # Errors
    /// The data errors of [`super::Pls::fit`] if `data` lacks an indicator.
    pub fn scores(&self, data: &Dataset) -> Result<Scores> {
        if let Some(ext) = &self.extension {
            let augmented = ext.augment(data)?;
            let mut plain = self.clone();
            plain.extension = None;
            return plain.scores(&augmented);
        }
        let names: Vec<&str> = self.model.indicators().collect();
        // Pairwise deletion has no rows to score: the complete rows are scored.
        let policy = match self.missing.policy {
            MissingPolicy::Pairwise => MissingPolicy::Listwise,
            p => p,
        };
        let prepared = Prepared::new(data, &names, None, policy)?;
        let rows: Vec<usize> = prepared
            .rows
            .clone()
            .unwrap_or_else(|| (0..data.n_rows()).collect());
        let layout = Layout::new(&self.model);
        let (p, k) = (layout.p, layout.k);
        let means = self.moments.means();
        let sds = self.moments.std_devs();
        let scale: Vec<f64> = (0..p)
            .map(|i| match self.scaling {
                Scaling::Standardized => self.outer[i].weight / sds[i],
                Scaling::Centered => self.outer[i].weight,
            })
            .collect();
        let mut values = vec![0.0; rows.len() * k];
        for (r_out, &r) in rows.iter().enumerate() {
            for i in 0..p {
                let mut x = prepared.columns[i][r];
                if x.is_nan() {
                    x = prepared.impute.as_ref().map_or(f64::NAN, |m| m[i]);
                }
                values[r_out * k + layout.block_of[i]] += (x - means[i]) * scale[i];
            }
        }
        Ok(Scores {
            rows,
            constructs: self.constructs.iter().map(|c| c.name.clone()).collect(),
            values,
        })
    }
}

/// HTMT rows for every pair of Mode A constructs with at least two indicators.
fn htmt_rows(layout: &Layout, model: &Model, corr: &[f64], absolute: bool) -> Vec<PairValue> {
    let pairs = core::htmt_pairs(layout, model);
    let values = core::htmt_values(layout, corr, &pairs, absolute);
    pairs
        .into_iter()
        .zip(values)
        .map(|((a, b), value)| PairValue {
            a: model.constructs()[a].name.clone(),
            b: model.constructs()[b].name.clone(),
            value,
        })
        .collect()
}

fn opt(x: Option<f64>, width: usize, prec: usize) -> String {
    match x {
        Some(v) => format!("{v:>width$.prec$}"),
        None => format!("{:>width$}", "—"),
    }
}

impl fmt::Display for PlsFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "PLS path model ({} scheme, {:?} indicators)",
            self.scheme, self.scaling
        )?;
        writeln!(
            f,
            "  observations: {} used of {} ({} dropped, {} cells imputed){}{}",
            self.n_observations,
            self.missing.n_rows,
            self.missing.n_dropped,
            self.missing.n_imputed,
            if self.weighted { ", case-weighted" } else { "" },
            if self.missing.policy == MissingPolicy::Pairwise {
                "; pairwise deletion: n is the smallest number of rows a pair of indicators shares"
            } else {
                ""
            }
        )?;
        if self.weighting == Weighting::Unit {
            writeln!(
                f,
                "  unit weights (sum scores): no iteration, every indicator of a block weighs the same"
            )?;
        } else {
            writeln!(
                f,
                "  {} after {} iterations (last change {:.2e}, tolerance {:.0e})",
                if self.converged {
                    "converged"
                } else {
                    "NOT CONVERGED"
                },
                self.iterations,
                self.final_change,
                self.tolerance
            )?;
        }
        writeln!(f, "\nConstructs")?;
        writeln!(
            f,
            "  {:<16} {:>4} {:>3} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            "construct", "mode", "k", "R²", "R²adj", "alpha", "rho_c", "rho_A", "AVE"
        )?;
        for c in &self.constructs {
            writeln!(
                f,
                "  {:<16} {:>4} {:>3} {} {} {} {} {} {}",
                c.name,
                c.mode.to_string(),
                c.indicators.len(),
                opt(c.r_squared, 8, 3),
                opt(c.r_squared_adj, 8, 3),
                opt(c.cronbach_alpha, 8, 3),
                opt(c.rho_c, 8, 3),
                opt(c.rho_a, 8, 3),
                opt(c.ave, 8, 3)
            )?;
        }
        writeln!(f, "\nPaths")?;
        writeln!(
            f,
            "  {:<16} {:<16} {:>9} {:>9} {:>8} {:>10}",
            "from", "to", "estimate", "std.err", "t", "p"
        )?;
        for r in &self.paths {
            let stars = match r.p {
                Some(p) if p < 0.001 => "***",
                Some(p) if p < 0.01 => "**",
                Some(p) if p < 0.05 => "*",
                _ => "",
            };
            writeln!(
                f,
                "  {:<16} {:<16} {:>9.4} {} {} {} {stars}",
                r.from,
                r.to,
                r.estimate,
                opt(r.std_error, 9, 4),
                opt(r.t, 8, 2),
                match r.p {
                    Some(p) => format!("{p:>10.3e}"),
                    None => format!("{:>10}", "—"),
                }
            )?;
        }
        writeln!(f, "\nOuter model")?;
        writeln!(
            f,
            "  {:<16} {:<16} {:>8} {:>8} {:>8}",
            "indicator", "construct", "weight", "loading", "commun."
        )?;
        for o in &self.outer {
            writeln!(
                f,
                "  {:<16} {:<16} {:>8.4} {:>8.4} {:>8.4}",
                o.indicator, o.construct, o.weight, o.loading, o.communality
            )?;
        }
        writeln!(f, "\nEffects")?;
        writeln!(
            f,
            "  {:<16} {:<16} {:>8} {:>8} {:>8}",
            "from", "to", "direct", "indirect", "total"
        )?;
        for e in &self.effects {
            writeln!(
                f,
                "  {:<16} {:<16} {:>8.4} {:>8.4} {:>8.4}",
                e.from, e.to, e.direct, e.indirect, e.total
            )?;
        }
        writeln!(f, "\nGoF = {:.4}", self.gof)
    }
}
