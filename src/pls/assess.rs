//! Assessment of a fitted PLS path model: reliability and validity of the
//! measurement model, collinearity, effect sizes and model fit
//! ([`PlsFit::assess`]), and Stone–Geisser's Q² by blindfolding
//! ([`Pls::blindfolding`]).
//!
//! Most quantities are computed when the model is fitted (see [`PlsFit`]);
//! [`Assessment`] collects them into the tables a reviewer expects and adds
//! HTMT2, indicator VIF, Fornell–Larcker and the model fit measures SRMR,
//! d_ULS and d_G.
//!
//! **Single-item constructs.** A single indicator's reliability cannot be
//! estimated from the data: csikit reports alpha = rho_A = rho_c = AVE = 1
//! (the item *is* the construct, as seminr and cSEM assume) and flags the row
//! with `single_item: true`. A value of 1 there means "assumed free of
//! measurement error", not "perfectly reliable". PLSc does not correct them.
//! [`Assessment::htmt`] and [`Assessment::htmt2`] keep to pairs of Mode A
//! constructs with two or more indicators; [`Assessment::htmt_all`] adds every
//! other pair, with a single indicator's monotrait mean taken as 1 (the
//! convention of seminr, cSEM and SmartPLS) and Mode B blocks treated like any
//! other block of indicators (as cSEM does), each row labelled with its
//! [`HtmtBasis`].
//!
//! **Mode B composites.** The reliability columns of [`ReliabilityRow`] stay
//! empty for Mode B; [`Assessment::reliability_composite`] gives alpha, rho_c,
//! rho_A and AVE of those blocks from the same formulas, as cSEM reports them.
//! Their meaning is limited: a composite's indicators need not share one common
//! factor, so these values describe how alike the indicators are and how much
//! of them the composite carries, not measurement error.

use std::fmt;

use serde::Serialize;

use super::Pls;
use super::algorithm::Layout;
use super::estimation::Session;
use super::fit::{Matrix, PairValue, PathValue, PlsFit};
use super::moments;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg;
use crate::model::Mode;

/// Reliability and convergent/discriminant validity of one construct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityRow {
    /// Construct.
    pub construct: String,
    /// Mode A or B.
    pub mode: Mode,
    /// Number of indicators.
    pub n_indicators: usize,
    /// One indicator: alpha, rho_A, rho_c and AVE are 1 by assumption (see the module docs).
    pub single_item: bool,
    /// Cronbach's alpha (Cronbach 1951) on standardized indicators; `None` for Mode B.
    pub cronbach_alpha: Option<f64>,
    /// Composite reliability rho_c (Werts, Linn & Jöreskog 1974); `None` for Mode B.
    pub rho_c: Option<f64>,
    /// rho_A (Dijkstra & Henseler 2015); `None` for Mode B and where undefined (see
    /// [`crate::pls::fit::ConstructResult::rho_a`]).
    pub rho_a: Option<f64>,
    /// Average variance extracted (Fornell & Larcker 1981); `None` for Mode B.
    pub ave: Option<f64>,
    /// √AVE, the Fornell–Larcker diagonal.
    pub sqrt_ave: Option<f64>,
    /// Largest absolute correlation with another construct.
    pub max_correlation: Option<f64>,
    /// Fornell–Larcker criterion met: √AVE > every correlation with another construct.
    pub fornell_larcker_met: Option<bool>,
    /// R² (`None` if exogenous).
    pub r_squared: Option<f64>,
}

/// A value for one indicator (e.g. its VIF).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorValue {
    /// Indicator.
    pub indicator: String,
    /// Its construct.
    pub construct: String,
    /// The value.
    pub value: f64,
}

/// A value for a pair of constructs that may be undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairOptValue {
    /// First construct.
    pub a: String,
    /// Second construct.
    pub b: String,
    /// The value (`None` where it is not defined).
    pub value: Option<f64>,
}

/// Which pairs an [`HtmtRow`] belongs to: how its monotrait means were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HtmtBasis {
    /// Two Mode A constructs with two or more indicators each: the pairs of
    /// [`Assessment::htmt`] (Henseler, Ringle & Sarstedt 2015), same values.
    Reflective,
    /// At least one construct has a single indicator, whose monotrait mean is
    /// 1 by convention (seminr, cSEM, SmartPLS): HTMT is then the mean
    /// heterotrait correlation divided by the root of the other block's
    /// monotrait mean (the mean heterotrait correlation itself when both are
    /// single items, i.e. their absolute correlation).
    SingleItem,
    /// At least one Mode B block with two or more indicators: the formula
    /// applied to its indicator correlations as cSEM does. A composite's
    /// indicators need not correlate highly, so a low monotrait mean inflates
    /// the ratio: read it with care.
    Composite,
}

/// HTMT, signed HTMT and HTMT2 of one pair of constructs, for every pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HtmtRow {
    /// First construct.
    pub a: String,
    /// Second construct.
    pub b: String,
    /// How the pair's monotrait means were obtained.
    pub basis: HtmtBasis,
    /// HTMT from absolute correlations (csikit's default); `None` where a
    /// mean monotrait correlation is 0.
    pub value: Option<f64>,
    /// HTMT from signed correlations (cSEM); `None` where a mean monotrait
    /// correlation is ≤ 0.
    pub signed: Option<f64>,
    /// HTMT2 (Roemer, Schuberth & Henseler 2021); `None` where a correlation ≤ 0 enters it.
    pub htmt2: Option<f64>,
}

/// Alpha, rho_c, rho_A and AVE of a Mode B block, computed as for Mode A
/// blocks (as cSEM's `assess()` reports them with `.only_common_factors =
/// FALSE`). Their meaning is limited (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompositeReliability {
    /// Construct (Mode B).
    pub construct: String,
    /// Number of indicators.
    pub n_indicators: usize,
    /// Always `true`: the construct is a composite, the values describe its block only.
    pub composite: bool,
    /// Cronbach's alpha of the standardized indicators (Cronbach 1951); 1 for
    /// a single indicator; `None` where the indicators' correlations sum to ≤ 0.
    pub cronbach_alpha: Option<f64>,
    /// (Σλ)² / ((Σλ)² + Σ(1 − λ²)) with λ the composite's loadings
    /// (Werts, Linn & Jöreskog 1974; Jöreskog 1971).
    pub rho_c: f64,
    /// Dijkstra & Henseler's (2015) rho_A from the Mode B weights; `None`
    /// where it is 0/0 (all weight on one indicator).
    pub rho_a: Option<f64>,
    /// Mean squared loading (Fornell & Larcker 1981).
    pub ave: f64,
}

/// Information criteria of the regression of one endogenous construct on its
/// predecessors (Akaike 1974; Hurvich & Tsai 1989; Schwarz 1978; Hannan &
/// Quinn 1979), in the form Sharma et al. (2019) give for PLS path models.
/// SSE = (n − 1)(1 − R²) is the residual sum of squares of that regression on
/// the standardized construct scores (sample SD 1, intercept included), and
/// k = q + 1 counts its q path coefficients and the intercept. AIC and BIC
/// are then seminr's (`calculate_itcriteria`). With PLSc the R² is the
/// corrected one (seminr uses the composites'). Smaller is better; only
/// differences between models of the same data mean anything.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InformationCriteria {
    /// Endogenous construct.
    pub construct: String,
    /// Rows (n).
    pub n: usize,
    /// Parameters k = predictors + 1.
    pub k: usize,
    /// Residual sum of squares (n − 1)(1 − R²).
    pub sse: f64,
    /// AIC = n·ln(SSE/n) + 2k. `None`, like the others, when SSE ≤ 0 (a
    /// perfect fit, or an inadmissible PLSc R² above 1: ln is not finite).
    pub aic: Option<f64>,
    /// AICc = n·ln(SSE/n) + n(n + k)/(n − k − 2); `None` also when n ≤ k + 2.
    pub aicc: Option<f64>,
    /// BIC = n·ln(SSE/n) + k·ln n.
    pub bic: Option<f64>,
    /// HQ = n·ln(SSE/n) + 2k·ln(ln n).
    pub hq: Option<f64>,
}

/// Which f² (Cohen 1988) a path's effect size is computed with:
/// f² = (R²_incl − R²_excl)/(1 − R²_incl) for the dependent construct, the
/// conventions differing in R²_excl.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FSquared {
    /// R²_excl from the same construct scores without the predictor (cSEM,
    /// SmartPLS; csikit's default, [`Assessment::f_squared`]).
    #[default]
    Scores,
    /// R²_excl from a full PLS re-estimation of the model without the path,
    /// same settings and data (seminr; [`Assessment::f_squared_reestimated`]).
    Reestimated,
}

impl std::str::FromStr for FSquared {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "scores" => Ok(FSquared::Scores),
            "reestimated" | "re-estimated" | "reestimate" => Ok(FSquared::Reestimated),
            _ => Err(Error::InvalidSetting {
                name: "f_squared".into(),
                message: format!("`{s}` is not one of scores, reestimated"),
            }),
        }
    }
}

/// How blindfolding rescales its predictions of the omitted points and which
/// mean the trivial prediction of SSO uses (see [`Pls::blindfolding_by`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Q2Scale {
    /// csikit's default, from the published definition (Stone 1974; Geisser
    /// 1974; Chin 1998: the omitted points are predicted from the model,
    /// O uses the mean of the data that remain): the standardized prediction
    /// is put on the indicator's scale with the mean and SD of the round's
    /// values that were *not* omitted, and SSO measures deviations from that
    /// mean. semPLS's `qSquared` rescales the same way (with the SD of the
    /// values left after omission); it differs in other choices (omitted
    /// cells left missing with pairwise deletion instead of mean
    /// replacement, whole rows of a block omitted, D − 1 rounds), so its Q²
    /// is not reproduced exactly.
    #[default]
    Observed,
    /// The rule of csikit before issue 18: rescale with the SD of the column
    /// after mean replacement, which the replaced points shrink by about
    /// √(1 − 1/D), and take SSO around the full-data mean. Its Q² is lower
    /// (by 0.006–0.011 on the satisfaction data with D = 7); kept to
    /// reproduce older output.
    MeanReplaced,
}

impl std::str::FromStr for Q2Scale {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "observed" | "sempls" => Ok(Q2Scale::Observed),
            "mean_replaced" => Ok(Q2Scale::MeanReplaced),
            _ => Err(Error::InvalidSetting {
                name: "q2_scale".into(),
                message: format!("`{s}` is not one of observed, mean_replaced"),
            }),
        }
    }
}

/// A value for a structural path that may be undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathOptValue {
    /// Predictor.
    pub from: String,
    /// Dependent.
    pub to: String,
    /// The value (`None` where it is not defined).
    pub value: Option<f64>,
}

/// Discrepancies between the empirical indicator correlation matrix R and a
/// model-implied one Σ (see [`PlsFit::implied_correlation`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ModelFit {
    /// Standardized root mean square residual (Hu & Bentler 1998; Henseler et
    /// al. 2014): √(Σ_{i≤j} (r_ij − σ_ij)² / (p(p+1)/2)).
    pub srmr: f64,
    /// Unweighted least-squares distance (Dijkstra & Henseler 2015):
    /// ½ Σ_ij (r_ij − σ_ij)² = ½ tr((R − Σ)²).
    pub d_uls: f64,
    /// Geodesic distance (Dijkstra & Henseler 2015): ½ Σ_i (ln φ_i)², φ_i the
    /// eigenvalues of R⁻¹Σ. `None` when R or Σ is not positive definite.
    /// cSEM 0.6.1's `DG` is ½ Σ (log₁₀ φ_i)² = d_G / (ln 10)² (equal to 1e-10 in the tests).
    pub d_g: Option<f64>,
}

/// The assessment of a fitted model: build it with [`PlsFit::assess`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Whether the fit was consistent PLS (then loadings, correlations and paths are corrected).
    pub consistent: bool,
    /// Reliability and validity per construct.
    pub reliability: Vec<ReliabilityRow>,
    /// Fornell–Larcker matrix (Fornell & Larcker 1981): √AVE on the diagonal
    /// (null for Mode B), construct correlations elsewhere (seminr's layout;
    /// cSEM shows AVE and squared correlations, which say the same).
    pub fornell_larcker: Matrix,
    /// Indicators (rows) × constructs: correlations with the composites.
    pub cross_loadings: Matrix,
    /// HTMT from absolute indicator correlations (Henseler, Ringle & Sarstedt
    /// 2015; seminr, SmartPLS). csikit's default. NaN (JSON null) where not
    /// defined (a block with mean monotrait correlation 0; HTMT2 is `None` there).
    pub htmt: Vec<PairValue>,
    /// HTMT from signed correlations (cSEM); NaN (JSON null) for a pair with a
    /// negative mean monotrait correlation, where the root is not real.
    pub htmt_signed: Vec<PairValue>,
    /// HTMT2 (Roemer, Schuberth & Henseler 2021): geometric instead of
    /// arithmetic means of the signed correlations; `None` for a pair whose
    /// blocks contain a correlation ≤ 0, where it is not defined.
    pub htmt2: Vec<PairOptValue>,
    /// Indicator VIF of every Mode B block: [R_jj⁻¹]_ii, the VIF of indicator i
    /// in the regression that defines its weights (1 for a single indicator).
    pub vif_outer: Vec<IndicatorValue>,
    /// Inner VIF of the predictors of each endogenous construct.
    pub vif_inner: Vec<PathValue>,
    /// Cohen's f² of each path (cSEM / SmartPLS definition: from the same
    /// construct scores, without re-estimating the model); `+∞` (JSON null)
    /// when the dependent construct is explained perfectly (R² = 1).
    pub f_squared: Vec<PathValue>,
    /// SRMR, d_ULS, d_G against the estimated model's implied correlations.
    pub fit_estimated: ModelFit,
    /// The same against the saturated model (construct correlations free).
    pub fit_saturated: ModelFit,
    /// Goodness of fit (Tenenhaus et al. 2004).
    pub gof: f64,
    /// Indicator VIF of every block (seminr, ADANCO): indicator i regressed
    /// on the other indicators of its block, VIF = 1/(1 − R²_i) = [R_jj⁻¹]_ii
    /// (1 for a single indicator; `+∞`, JSON null, for a singular block).
    /// For Mode B blocks the same values as [`Assessment::vif_outer`].
    pub vif_indicators: Vec<IndicatorValue>,
    /// Alpha, rho_c, rho_A and AVE of the Mode B blocks (as cSEM; limited
    /// meaning, see the module docs); empty without Mode B.
    pub reliability_composite: Vec<CompositeReliability>,
    /// HTMT, signed HTMT and HTMT2 of every pair of constructs, labelled with
    /// the [`HtmtBasis`] (single-item and Mode B pairs included).
    pub htmt_all: Vec<HtmtRow>,
    /// f² with R²_excl from re-estimating the model without the path (seminr;
    /// [`FSquared::Reestimated`]); `None` where the re-estimation fails or does
    /// not converge, and where R²_incl = 1 (no unexplained variance).
    pub f_squared_reestimated: Vec<PathOptValue>,
    /// AIC, AICc, BIC and HQ of each endogenous construct's regression.
    pub information_criteria: Vec<InformationCriteria>,
}

/// Q² by blindfolding for one endogenous construct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlindfoldingRow {
    /// Endogenous construct.
    pub construct: String,
    /// Σ over omitted points of the squared deviation from the indicator mean.
    pub sso: f64,
    /// Σ over omitted points of the squared prediction error.
    pub sse: f64,
    /// Q² = 1 − SSE/SSO (Stone 1974; Geisser 1974).
    pub q2: f64,
}

/// Stone–Geisser Q² by blindfolding: [`Pls::blindfolding`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blindfolding {
    /// Omission distance D.
    pub omission_distance: usize,
    /// How predictions were rescaled ([`Q2Scale`]).
    pub scale: Q2Scale,
    /// Rows used.
    pub n_observations: usize,
    /// Rows dropped for missing values (listwise).
    pub n_dropped: usize,
    /// Per endogenous construct, in model order.
    pub constructs: Vec<BlindfoldingRow>,
}

/// How the construct correlation matrix behind Σ is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Structure {
    /// The estimated construct correlations (saturated structural model).
    Saturated,
    /// Implied by the structural model (see [`PlsFit::implied_correlation`]).
    Estimated,
}

impl PlsFit {
    /// The construct correlation matrix implied by the estimated recursive
    /// structural model η = Bη + ζ, Φ = (I − B)⁻¹ Ψ (I − B)⁻ᵀ (Bollen 1989):
    /// exogenous constructs keep their estimated correlations; the structural
    /// errors are mutually uncorrelated with var(ζ_j) = 1 − R²_j, so an
    /// endogenous construct j has cov(η_j, η_m) = Σ_k b_jk cov(η_k, η_m) for every
    /// construct m before it in causal order and variance b_jᵀ Φ b_j + 1 − R²_j
    /// (which is 1 only when the implied predictor correlations equal the
    /// estimated ones). This is the matrix cSEM uses for SRMR and d_G.
    pub fn implied_construct_correlation(&self) -> Matrix {
        let c = &self.construct_correlations;
        let k = c.rows.len();
        let b = self.path_matrix();
        let mut phi = vec![0.0; k * k];
        // Exogenous constructs first, then the endogenous ones in causal order.
        let model = self.model();
        let mut order: Vec<usize> = (0..k).filter(|&j| !model.is_endogenous(j)).collect();
        order.extend(
            model
                .topological_order()
                .iter()
                .copied()
                .filter(|&j| model.is_endogenous(j)),
        );
        for (x, &j) in order.iter().enumerate() {
            phi[j * k + j] = 1.0;
            for &m in &order[..x] {
                let v = if model.is_endogenous(j) {
                    (0..k).map(|t| b.at(j, t) * phi[t * k + m]).sum()
                } else {
                    c.at(j, m)
                };
                phi[j * k + m] = v;
                phi[m * k + j] = v;
            }
            if model.is_endogenous(j) {
                // var(η_j) = b_jᵀ Φ b_j + var(ζ_j), var(ζ_j) = 1 − R²_j.
                let explained: f64 = (0..k)
                    .flat_map(|t| (0..k).map(move |u| (t, u)))
                    .map(|(t, u)| b.at(j, t) * phi[t * k + u] * b.at(j, u))
                    .sum();
                let r2 = self.constructs[j].r_squared.unwrap_or(0.0);
                phi[j * k + j] = explained + 1.0 - r2;
            }
        }
        Matrix {
            rows: c.rows.clone(),
            cols: c.cols.clone(),
            data: phi,
        }
    }

    /// The model-implied indicator correlation matrix Σ (model indicator
    /// order), with loadings λ (the PLS loadings, or the consistent ones after
    /// PLSc) and construct correlations Φ:
    /// σ_il = λ_i φ_jk λ_l for indicators of different constructs j, k;
    /// within a Mode A block σ_il = λ_i λ_l (common factor); within a Mode B
    /// block σ_il = r_il (composite: the block's correlations are free;
    /// Dijkstra 2017); σ_ii = 1. With `saturated` Φ is the estimated construct
    /// correlation matrix, otherwise the one implied by the structural model
    /// ([`PlsFit::implied_construct_correlation`]), following Henseler et al.
    /// (2014) and Dijkstra & Henseler (2015).
    ///
    /// SRMR and d_G computed from it equal cSEM 0.6.1's to 1e-10 on the
    /// satisfaction data.
    pub fn implied_correlation(&self, saturated: bool) -> Matrix {
        let st = if saturated {
            Structure::Saturated
        } else {
            Structure::Estimated
        };
        let (sigma, names) = self.implied(st);
        Matrix {
            rows: names.clone(),
            cols: names,
            data: sigma,
        }
    }

    fn implied(&self, st: Structure) -> (Vec<f64>, Vec<String>) {
        let layout = Layout::new(self.model());
        let p = layout.p;
        let k = layout.k;
        let phi = match st {
            Structure::Saturated => self.construct_correlations.data.clone(),
            Structure::Estimated => self.implied_construct_correlation().data,
        };
        let r = self.indicator_correlation();
        let lam: Vec<f64> = self.outer.iter().map(|o| o.loading).collect();
        let mut sigma = vec![0.0; p * p];
        for i in 0..p {
            let j = layout.block_of[i];
            for l in 0..p {
                let m = layout.block_of[l];
                sigma[i * p + l] = if i == l {
                    1.0
                } else if j == m && layout.mode[j] == Mode::B {
                    r[i * p + l]
                } else if j == m {
                    lam[i] * lam[l]
                } else {
                    lam[i] * phi[j * k + m] * lam[l]
                };
            }
        }
        let names = self.outer.iter().map(|o| o.indicator.clone()).collect();
        (sigma, names)
    }

    /// The indicator correlation matrix (from S).
    fn indicator_correlation(&self) -> Vec<f64> {
        let s = self.indicator_matrix();
        super::core::correlations(s.rows.len(), &s.data)
    }

    fn model_fit(&self, st: Structure) -> ModelFit {
        let (sigma, _) = self.implied(st);
        let r = self.indicator_correlation();
        distances(&r, &sigma, self.outer.len())
    }

    /// The full assessment: reliability, validity, collinearity, effect sizes, model fit.
    pub fn assess(&self) -> Assessment {
        let layout = Layout::new(self.model());
        let p = layout.p;
        let k = layout.k;
        let corr = self.indicator_correlation();
        let c = &self.construct_correlations;
        let cnames = c.rows.clone();
        let mut fl = c.data.clone();
        let mut reliability = Vec::with_capacity(k);
        for (j, cr) in self.constructs.iter().enumerate() {
            let sqrt_ave = cr.ave.map(f64::sqrt);
            fl[j * k + j] = sqrt_ave.unwrap_or(f64::NAN);
            let max_corr = (0..k)
                .filter(|&m| m != j)
                .map(|m| c.at(j, m).abs())
                .fold(None, |acc: Option<f64>, x| {
                    Some(acc.map_or(x, |a| a.max(x)))
                });
            reliability.push(ReliabilityRow {
                construct: cr.name.clone(),
                mode: cr.mode,
                n_indicators: cr.indicators.len(),
                single_item: cr.indicators.len() == 1,
                cronbach_alpha: cr.cronbach_alpha,
                rho_c: cr.rho_c,
                rho_a: cr.rho_a,
                ave: cr.ave,
                sqrt_ave,
                max_correlation: max_corr,
                fornell_larcker_met: match (sqrt_ave, max_corr) {
                    (Some(s), Some(m)) => Some(s > m),
                    _ => None,
                },
                r_squared: cr.r_squared,
            });
        }
        // HTMT2 (Roemer, Schuberth & Henseler 2021) of a pair: geometric
        // means of the signed correlations; a single indicator's monotrait
        // mean is 1 (log 0). None where a correlation ≤ 0 enters.
        let mean_log = |pairs: &mut dyn Iterator<Item = (usize, usize)>| -> Option<f64> {
            let mut s = 0.0;
            let mut m = 0usize;
            for (a, b) in pairs {
                let x = corr[a * p + b];
                if !(x > 0.0) {
                    return None;
                }
                s += x.ln();
                m += 1;
            }
            Some(if m == 0 { 0.0 } else { s / m as f64 })
        };
        let mono: Vec<Option<f64>> = (0..k)
            .map(|j| {
                let r = layout.block(j);
                let r2 = r.clone();
                mean_log(
                    &mut r
                        .flat_map(move |a| r2.clone().filter(move |&b| b > a).map(move |b| (a, b))),
                )
            })
            .collect();
        let htmt2_of = |a: usize, b: usize| {
            let (ra, rb) = (layout.block(a), layout.block(b));
            let het = mean_log(&mut ra.flat_map(|i| rb.clone().map(move |l| (i, l))));
            match (het, mono[a], mono[b]) {
                (Some(h), Some(ma), Some(mb)) => Some((h - 0.5 * (ma + mb)).exp()),
                _ => None,
            }
        };
        // HTMT2 for Mode A constructs with ≥ 2 indicators.
        let eligible: Vec<usize> = (0..k)
            .filter(|&j| layout.mode[j] == Mode::A && layout.block(j).len() > 1)
            .collect();
        let mut htmt2 = Vec::new();
        for (x, &a) in eligible.iter().enumerate() {
            for &b in &eligible[x + 1..] {
                htmt2.push(PairOptValue {
                    a: cnames[a].clone(),
                    b: cnames[b].clone(),
                    value: htmt2_of(a, b),
                });
            }
        }
        // Every pair, labelled.
        let all_pairs: Vec<(usize, usize)> = (0..k)
            .flat_map(|a| (a + 1..k).map(move |b| (a, b)))
            .collect();
        let abs_all = super::core::htmt_values(&layout, &corr, &all_pairs, true);
        let signed_all = super::core::htmt_values(&layout, &corr, &all_pairs, false);
        let htmt_all = all_pairs
            .iter()
            .zip(abs_all.into_iter().zip(signed_all))
            .map(|(&(a, b), (value, signed))| {
                let multi = |j: usize| layout.block(j).len() > 1;
                let basis = if [a, b]
                    .iter()
                    .any(|&j| layout.mode[j] == Mode::B && multi(j))
                {
                    HtmtBasis::Composite
                } else if !multi(a) || !multi(b) {
                    HtmtBasis::SingleItem
                } else {
                    HtmtBasis::Reflective
                };
                HtmtRow {
                    a: cnames[a].clone(),
                    b: cnames[b].clone(),
                    basis,
                    value: Some(value).filter(|v| v.is_finite()),
                    signed: Some(signed).filter(|v| v.is_finite()),
                    htmt2: htmt2_of(a, b),
                }
            })
            .collect();
        // Indicator VIF of every block; Mode B blocks also in `vif_outer`.
        let mut vif_outer = Vec::new();
        let mut vif_indicators = Vec::new();
        for j in 0..k {
            let r = layout.block(j);
            let q = r.len();
            let mut rjj = vec![0.0; q * q];
            for (a, ia) in r.clone().enumerate() {
                for (b, ib) in r.clone().enumerate() {
                    rjj[a * q + b] = corr[ia * p + ib];
                }
            }
            let inv = linalg::spd_inverse(&rjj, q);
            for (a, i) in r.enumerate() {
                let v = IndicatorValue {
                    indicator: self.outer[i].indicator.clone(),
                    construct: cnames[j].clone(),
                    value: inv.as_ref().map_or(f64::INFINITY, |v| v[a * q + a]),
                };
                if layout.mode[j] == Mode::B {
                    vif_outer.push(v.clone());
                }
                vif_indicators.push(v);
            }
        }
        Assessment {
            consistent: self.consistent.is_some(),
            reliability,
            fornell_larcker: Matrix {
                rows: cnames.clone(),
                cols: cnames,
                data: fl,
            },
            cross_loadings: self.cross_loadings.clone(),
            htmt: self.htmt.clone(),
            htmt_signed: self.htmt_signed(),
            htmt2,
            vif_outer,
            vif_inner: self.vif_inner.clone(),
            f_squared: self.f_squared.clone(),
            fit_estimated: self.model_fit(Structure::Estimated),
            fit_saturated: self.model_fit(Structure::Saturated),
            gof: self.gof,
            vif_indicators,
            reliability_composite: self.composite_reliability(&layout, &corr),
            htmt_all,
            f_squared_reestimated: self.f_squared_by(FSquared::Reestimated),
            information_criteria: self.information_criteria(),
        }
    }

    /// Alpha, rho_c, rho_A and AVE of every Mode B block ([`CompositeReliability`]).
    fn composite_reliability(&self, layout: &Layout, corr: &[f64]) -> Vec<CompositeReliability> {
        let p = layout.p;
        let s = self.indicator_matrix().data;
        (0..layout.k)
            .filter(|&j| layout.mode[j] == Mode::B)
            .map(|j| {
                let r = layout.block(j);
                let q = r.len();
                let lam: Vec<f64> = r.clone().map(|i| self.outer[i].loading).collect();
                let block_corr: Vec<f64> = r
                    .clone()
                    .flat_map(|a| r.clone().map(move |b| (a, b)))
                    .map(|(a, b)| corr[a * p + b])
                    .collect();
                let sum_l: f64 = lam.iter().sum();
                // Weights of the standardized indicators (composite variance 1).
                let wj: Vec<f64> = r
                    .clone()
                    .map(|i| self.outer[i].weight * s[i * p + i].sqrt())
                    .collect();
                let rho_a = super::core::rho_a_block(&wj, r.start, p, corr);
                CompositeReliability {
                    construct: self.constructs[j].name.clone(),
                    n_indicators: q,
                    composite: true,
                    cronbach_alpha: if q == 1 {
                        Some(1.0)
                    } else {
                        crate::stats::cronbach_alpha(&block_corr, q)
                    },
                    rho_c: sum_l * sum_l
                        / (sum_l * sum_l + lam.iter().map(|l| 1.0 - l * l).sum::<f64>()),
                    rho_a: Some(rho_a).filter(|v| v.is_finite()),
                    ave: lam.iter().map(|l| l * l).sum::<f64>() / q as f64,
                }
            })
            .collect()
    }

    /// AIC, AICc, BIC and HQ of each endogenous construct ([`InformationCriteria`]).
    pub fn information_criteria(&self) -> Vec<InformationCriteria> {
        let n = self.n_observations;
        let nf = n as f64;
        let model = self.model();
        self.constructs
            .iter()
            .enumerate()
            .filter_map(|(j, c)| {
                let r2 = c.r_squared?;
                let k = model.predecessors(j).len() + 1;
                let kf = k as f64;
                let sse = (nf - 1.0) * (1.0 - r2);
                let fit = (sse > 0.0).then(|| nf * (sse / nf).ln());
                let with = |penalty: f64| fit.map(|f| f + penalty).filter(|v| v.is_finite());
                Some(InformationCriteria {
                    construct: c.name.clone(),
                    n,
                    k,
                    sse,
                    aic: with(2.0 * kf),
                    aicc: if nf > kf + 2.0 {
                        with(nf * (nf + kf) / (nf - kf - 2.0))
                    } else {
                        None
                    },
                    bic: with(kf * nf.ln()),
                    hq: with(2.0 * kf * nf.ln().ln()),
                })
            })
            .collect()
    }

    /// Cohen's f² of every path (in the order of [`PlsFit::f_squared`]) by the
    /// chosen convention. [`FSquared::Scores`] returns [`PlsFit::f_squared`];
    /// [`FSquared::Reestimated`] re-estimates the model without each path in
    /// turn from the fit's indicator matrix S with the fit's settings (scheme,
    /// stopping rule, tolerance, iteration limit, PLSc), as seminr's `fSquared`
    /// does, and takes R²_excl from that fit (0 when the path was the
    /// dependent's only one, so both conventions agree there). A construct
    /// left without any path is dropped from the re-estimation (it cannot
    /// influence the others). Derived columns (interaction terms, two-stage
    /// scores) are kept as they were computed. NaN where the re-estimation
    /// fails or does not converge, and where the dependent's R² is 1 (f²
    /// unbounded; [`PlsFit::f_squared`] shows `+∞` there).
    pub fn f_squared_by(&self, convention: FSquared) -> Vec<PathOptValue> {
        if convention == FSquared::Scores {
            return self
                .f_squared
                .iter()
                .map(|f| PathOptValue {
                    from: f.from.clone(),
                    to: f.to.clone(),
                    value: Some(f.value).filter(|v| v.is_finite()),
                })
                .collect();
        }
        let model = self.model();
        let k = model.constructs().len();
        let mut out = Vec::with_capacity(self.f_squared.len());
        for to in 0..k {
            let Some(r2_incl) = self.constructs[to].r_squared else {
                continue;
            };
            for &from in model.predecessors(to) {
                let r2_excl = if model.predecessors(to).len() == 1 {
                    Some(0.0)
                } else {
                    self.r_squared_without(from, to)
                };
                let value = r2_excl
                    .map(|ex| f_squared_value(r2_incl, ex))
                    .filter(|v| v.is_finite());
                out.push(PathOptValue {
                    from: self.constructs[from].name.clone(),
                    to: self.constructs[to].name.clone(),
                    value,
                });
            }
        }
        out
    }

    /// R² of `to` after re-estimating the model without the path `from → to`
    /// (`None` if that estimation fails or does not converge).
    fn r_squared_without(&self, from: usize, to: usize) -> Option<f64> {
        let full = Layout::new(self.model());
        let k = full.k;
        let mut pred = full.pred.clone();
        let mut succ = full.succ.clone();
        pred[to].retain(|&x| x != from);
        succ[from].retain(|&x| x != to);
        let keep: Vec<usize> = (0..k)
            .filter(|&j| !pred[j].is_empty() || !succ[j].is_empty())
            .collect();
        let new_index = |j: usize| keep.iter().position(|&x| x == j);
        let mut start = Vec::with_capacity(keep.len() + 1);
        let mut block_of = Vec::new();
        let mut indicators = Vec::new();
        for (x, &j) in keep.iter().enumerate() {
            start.push(indicators.len());
            for i in full.block(j) {
                indicators.push(i);
                block_of.push(x);
            }
        }
        start.push(indicators.len());
        let remap =
            |v: &[usize]| -> Vec<usize> { v.iter().filter_map(|&j| new_index(j)).collect() };
        // Every per-construct field of the layout is re-indexed to the kept
        // constructs: a field added to `Layout` must be added here too.
        let layout = Layout {
            k: keep.len(),
            p: indicators.len(),
            start,
            mode: keep.iter().map(|&j| full.mode[j]).collect(),
            pred: keep.iter().map(|&j| remap(&pred[j])).collect(),
            succ: keep.iter().map(|&j| remap(&succ[j])).collect(),
            block_of,
            // Under PLSc the constructs left uncorrected (declared composites,
            // interaction terms) stay so.
            composite: keep
                .iter()
                .map(|&j| match &self.consistent {
                    Some(c) => !c.corrected.contains(&self.constructs[j].name),
                    None => full.composite[j],
                })
                .collect(),
        };
        let (p_full, p) = (full.p, layout.p);
        let s_full = &self.indicator_matrix().data;
        let s: Vec<f64> = (0..p * p)
            .map(|ij| s_full[indicators[ij / p] * p_full + indicators[ij % p]])
            .collect();
        let names: Vec<String> = keep
            .iter()
            .map(|&j| self.constructs[j].name.clone())
            .collect();
        let inames: Vec<String> = indicators
            .iter()
            .map(|&i| self.outer[i].indicator.clone())
            .collect();
        // The fit's own iteration settings (a setting added to the iteration,
        // e.g. another weighting, must be carried over here too).
        let settings = super::algorithm::IterSettings {
            scheme: self.scheme,
            tol: self.tolerance,
            max_iter: self.max_iter,
            stop: self.stop_rule,
            plspm_scale: super::algorithm::PlspmScale::new(
                self.moments().n() as f64,
                matches!(self.scaling, super::Scaling::Centered),
            ),
        };
        let mut outer = match self.weighting {
            super::algorithm::Weighting::Pls => {
                super::algorithm::iterate(&layout, &s, &settings, &names).ok()?
            }
            super::algorithm::Weighting::Unit => {
                super::algorithm::unit_weights(&layout, &s, &names).ok()?
            }
        };
        if !outer.converged {
            return None;
        }
        super::algorithm::orient(&layout, &s, &mut outer.w);
        let core = super::core::Core::derive(
            &layout,
            &s,
            outer.w,
            &names,
            &inames,
            self.consistent.is_some(),
        )
        .ok()?;
        let to_new = new_index(to)?;
        core.regressions
            .iter()
            .find(|r| r.to == to_new)
            .map(|r| r.r2)
    }
}

/// f² = (R²_incl − R²_excl)/(1 − R²_incl) (Cohen 1988); a perfect fit
/// (R²_incl = 1) gives +∞, or 0 for a path that adds nothing.
pub(crate) fn f_squared_value(r2_incl: f64, r2_excl: f64) -> f64 {
    let gain = r2_incl - r2_excl;
    if 1.0 - r2_incl > 0.0 {
        gain / (1.0 - r2_incl)
    } else if gain > 0.0 {
        f64::INFINITY
    } else {
        0.0
    }
}

/// SRMR, d_ULS and d_G between two p × p correlation matrices.
fn distances(r: &[f64], sigma: &[f64], p: usize) -> ModelFit {
    let mut lower = 0.0;
    let mut full = 0.0;
    for i in 0..p {
        for l in 0..p {
            let d = r[i * p + l] - sigma[i * p + l];
            full += d * d;
            if l <= i {
                lower += d * d;
            }
        }
    }
    // Eigenvalues of R⁻¹Σ; both must be positive definite.
    let d_g = linalg::generalized_eigenvalues(r, sigma, p).and_then(|eig| {
        if eig.iter().any(|&e| !(e > 0.0)) {
            return None;
        }
        Some(0.5 * eig.iter().map(|e| e.ln().powi(2)).sum::<f64>())
    });
    ModelFit {
        srmr: (lower / (p * (p + 1) / 2) as f64).sqrt(),
        d_uls: 0.5 * full,
        d_g,
    }
}

impl Pls<'_> {
    /// Stone–Geisser Q² by blindfolding (Stone 1974; Geisser 1974; Chin 1998),
    /// construct cross-validated redundancy as SmartPLS reports it.
    ///
    /// For each endogenous construct j and each round d = 0..D−1, the data
    /// points of j's indicators whose running number (down the rows of each
    /// indicator, indicator after indicator: t = a·n + row for the block's
    /// a-th indicator) satisfies t mod D = d are omitted and replaced by the mean of the indicator's remaining values;
    /// the model is re-estimated on the modified data with these settings; an
    /// omitted point x_ia is predicted from the re-estimated model as
    /// x̂ = m_a + s_a · λ_a · Σ_k b_jk y_ik, where y_ik are the round's scores of
    /// j's predecessors, λ_a j's loading and m_a, s_a the mean and standard
    /// deviation of the indicator's values that were not omitted in the round
    /// (the default [`Q2Scale::Observed`]; [`Pls::blindfolding_by`] offers
    /// csikit's former [`Q2Scale::MeanReplaced`]). SSE sums (x − x̂)² and SSO
    /// sums (x − m_a)² (the trivial prediction, Chin 1998) over the omitted
    /// points; Q² = 1 − SSE/SSO. Q² > 0 indicates predictive relevance.
    ///
    /// Why the observed SD: the round's model predicts the standardized value
    /// λ_a·ŷ, in units of the indicator's SD. Mean replacement is only a device
    /// that lets the algorithm run; it shrinks the column's SD by about
    /// √(1 − 1/D), and rescaling with it pulls every prediction toward the
    /// mean by that factor, which lowers Q² for a reason that is not the
    /// model's (by 0.006–0.011 on the satisfaction data with D = 7).
    ///
    /// The rounds are plain PLS fits even when consistent PLS is set: the
    /// predictions combine composite scores, which PLSc's corrected loadings
    /// and paths do not describe. Rows with a missing value in any indicator
    /// are dropped (reported).
    ///
    /// # Errors
    /// [`Error::OmissionDistance`] unless 2 ≤ D < n and D does not divide n
    /// (otherwise a row would lose the same indicators in every round, and a
    /// block would lose whole rows);
    /// [`Error::InvalidSetting`] with case weights (not supported); the data
    /// and estimation errors of [`Pls::fit`].
    pub fn blindfolding(&self, data: &Dataset, distance: usize) -> Result<Blindfolding> {
        self.blindfolding_with(data, Some(distance), Q2Scale::default())
    }

    /// [`Pls::blindfolding`] with a chosen rescaling of the predictions
    /// ([`Q2Scale`]) and an omission distance (`None`: as
    /// [`Pls::blindfolding_default`]).
    ///
    /// # Errors
    /// As [`Pls::blindfolding`].
    pub fn blindfolding_by(
        &self,
        data: &Dataset,
        distance: Option<usize>,
        scale: Q2Scale,
    ) -> Result<Blindfolding> {
        self.blindfolding_with(data, distance, scale)
    }

    /// [`Pls::blindfolding`] with the customary omission distance: 7, or the
    /// next number that does not divide the number of complete rows.
    ///
    /// # Errors
    /// As [`Pls::blindfolding`].
    pub fn blindfolding_default(&self, data: &Dataset) -> Result<Blindfolding> {
        self.blindfolding_with(data, None, Q2Scale::default())
    }

    fn blindfolding_with(
        &self,
        data: &Dataset,
        distance: Option<usize>,
        scale: Q2Scale,
    ) -> Result<Blindfolding> {
        if self.settings().case_weights.is_some() {
            return Err(blindfolding_weights());
        }
        Session::with(self, data, |s| blindfolding_session(s, distance, scale))
    }
}

fn blindfolding_weights() -> Error {
    Error::InvalidSetting {
        name: "case_weights".into(),
        message: "blindfolding does not support case weights".into(),
    }
}

/// [`Pls::blindfolding`] on a prepared estimation (extensions resolved:
/// derived columns from the full sample, see [`super::extend`]).
pub(crate) fn blindfolding_session(
    session: Session<'_>,
    distance: Option<usize>,
    scale: Q2Scale,
) -> Result<Blindfolding> {
    let setup = session.setup;
    let data = session.data;
    if setup.settings.case_weights.is_some() {
        return Err(blindfolding_weights());
    }
    setup.settings.check_pearson("blindfolding")?;
    setup.settings.check_rowwise("blindfolding")?;
    let model = &setup.model;
    let names: Vec<String> = setup.indicator_names.clone();
    let (rows, columns) = super::predict::listwise_rows(session)?;
    let n = rows.len();
    let distance =
        distance.unwrap_or_else(|| (7..n.max(8)).find(|d| !n.is_multiple_of(*d)).unwrap_or(7));
    if distance < 2 || distance >= n || n.is_multiple_of(distance) {
        return Err(Error::OmissionDistance { distance, n });
    }
    let layout = Layout::new(model);
    // Complete data, column-major, rows renumbered 0..n.
    let cols: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| rows.iter().map(|&r| c[r]).collect())
        .collect();
    let full_mean: Vec<f64> = cols
        .iter()
        .map(|c| c.iter().sum::<f64>() / n as f64)
        .collect();
    let all: Vec<usize> = (0..n).collect();
    let mut settings = setup.settings.clone();
    settings.missing = super::MissingPolicy::Listwise;
    settings.consistent = false;
    let mut out = Vec::new();
    for j in 0..layout.k {
        if layout.pred[j].is_empty() {
            continue;
        }
        let block = layout.block(j);
        let (mut sse, mut sso) = (0.0, 0.0);
        for d in 0..distance {
            let omitted = |r: usize, a: usize| (a * n + r) % distance == d;
            let mut modified = cols.clone();
            // Mean and SD of each block indicator's values kept in this round.
            let mut kept = Vec::with_capacity(block.len());
            for (a, i) in block.clone().enumerate() {
                let (s, m) = (0..n)
                    .filter(|&r| !omitted(r, a))
                    .fold((0.0, 0usize), |(s, m), r| (s + cols[i][r], m + 1));
                let mean = s / m as f64;
                let ss: f64 = (0..n)
                    .filter(|&r| !omitted(r, a))
                    .map(|r| (cols[i][r] - mean).powi(2))
                    .sum();
                kept.push((mean, (ss / (m as f64 - 1.0)).sqrt()));
                for r in (0..n).filter(|&r| omitted(r, a)) {
                    modified[i][r] = mean;
                }
            }
            let col_refs: Vec<&[f64]> = modified.iter().map(Vec::as_slice).collect();
            let mom = moments::from_rows(&names, &col_refs, &all);
            let fit = settings.fit_moments(model, &mom)?;
            let means = fit.moments().means().to_vec();
            let sds = fit.moments().std_devs();
            let unit = fit.unit_weights();
            let b = fit.path_matrix();
            for r in 0..n {
                let mut yhat = 0.0;
                for &m in &layout.pred[j] {
                    let y: f64 = layout
                        .block(m)
                        .map(|i| (modified[i][r] - means[i]) * unit[i])
                        .sum();
                    yhat += b.at(j, m) * y;
                }
                for (a, i) in block.clone().enumerate() {
                    if omitted(r, a) {
                        // The round's model predicts the standardized value
                        // λ·ŷ; `scale` says which mean and SD put it in units.
                        let (m, sd, trivial) = match scale {
                            Q2Scale::Observed => (kept[a].0, kept[a].1, kept[a].0),
                            Q2Scale::MeanReplaced => (means[i], sds[i], full_mean[i]),
                        };
                        let xhat = m + sd * fit.outer[i].loading * yhat;
                        sse += (cols[i][r] - xhat).powi(2);
                        sso += (cols[i][r] - trivial).powi(2);
                    }
                }
            }
        }
        out.push(BlindfoldingRow {
            construct: model.constructs()[j].name.clone(),
            sso,
            sse,
            q2: 1.0 - sse / sso,
        });
    }
    Ok(Blindfolding {
        omission_distance: distance,
        scale,
        n_observations: n,
        n_dropped: data.n_rows() - n,
        constructs: out,
    })
}

fn opt(x: Option<f64>, width: usize, prec: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:>width$.prec$}"),
        _ => format!("{:>width$}", "—"),
    }
}

impl fmt::Display for Assessment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Assessment{}",
            if self.consistent {
                " (consistent PLS estimates)"
            } else {
                ""
            }
        )?;
        writeln!(f, "\nReliability and convergent validity")?;
        writeln!(
            f,
            "  {:<16} {:>4} {:>3} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            "construct", "mode", "k", "alpha", "rho_c", "rho_A", "AVE", "√AVE", "R²"
        )?;
        for r in &self.reliability {
            writeln!(
                f,
                "  {:<16} {:>4} {:>3} {} {} {} {} {} {}{}",
                r.construct,
                r.mode.to_string(),
                r.n_indicators,
                opt(r.cronbach_alpha, 8, 3),
                opt(r.rho_c, 8, 3),
                opt(r.rho_a, 8, 3),
                opt(r.ave, 8, 3),
                opt(r.sqrt_ave, 8, 3),
                opt(r.r_squared, 8, 3),
                if r.single_item {
                    "  (single item: 1 by assumption)"
                } else {
                    ""
                }
            )?;
        }
        writeln!(
            f,
            "  (alpha, rho_c, rho_A ≥ 0.7 and AVE ≥ 0.5 are the usual thresholds; Hair et al. 2022)"
        )?;
        let k = self.fornell_larcker.rows.len();
        writeln!(
            f,
            "\nFornell–Larcker (√AVE on the diagonal, construct correlations below)"
        )?;
        write!(f, "  {:<16}", "")?;
        for c in &self.fornell_larcker.cols {
            write!(f, " {:>8}", truncate(c, 8))?;
        }
        writeln!(f)?;
        for i in 0..k {
            write!(f, "  {:<16}", self.fornell_larcker.rows[i])?;
            for l in 0..=i {
                write!(f, " {}", opt(Some(self.fornell_larcker.at(i, l)), 8, 3))?;
            }
            writeln!(f)?;
        }
        for r in &self.reliability {
            if r.fornell_larcker_met == Some(false) {
                writeln!(
                    f,
                    "  ! {}: √AVE {:.3} ≤ its largest correlation {:.3}",
                    r.construct,
                    r.sqrt_ave.unwrap_or(f64::NAN),
                    r.max_correlation.unwrap_or(f64::NAN)
                )?;
            }
        }
        writeln!(
            f,
            "\nHTMT (absolute correlations; signed = cSEM; HTMT2 = geometric means)"
        )?;
        writeln!(
            f,
            "  {:<16} {:<16} {:>8} {:>8} {:>8}",
            "construct", "construct", "HTMT", "signed", "HTMT2"
        )?;
        for (h, (s, h2)) in self
            .htmt
            .iter()
            .zip(self.htmt_signed.iter().zip(&self.htmt2))
        {
            writeln!(
                f,
                "  {:<16} {:<16} {:>8.3} {:>8.3} {}{}",
                h.a,
                h.b,
                h.value,
                s.value,
                opt(h2.value, 8, 3),
                if h.value > 0.9 { "  > 0.90" } else { "" }
            )?;
        }
        if !self.reliability_composite.is_empty() {
            writeln!(
                f,
                "\nMode B composites (as cSEM; limited meaning: a composite need not have one common factor)"
            )?;
            writeln!(
                f,
                "  {:<16} {:>3} {:>8} {:>8} {:>8} {:>8}",
                "construct", "k", "alpha", "rho_c", "rho_A", "AVE"
            )?;
            for r in &self.reliability_composite {
                writeln!(
                    f,
                    "  {:<16} {:>3} {} {} {} {}",
                    r.construct,
                    r.n_indicators,
                    opt(r.cronbach_alpha, 8, 3),
                    opt(Some(r.rho_c), 8, 3),
                    opt(r.rho_a, 8, 3),
                    opt(Some(r.ave), 8, 3)
                )?;
            }
        }
        let extra: Vec<&HtmtRow> = self
            .htmt_all
            .iter()
            .filter(|h| h.basis != HtmtBasis::Reflective)
            .collect();
        if !extra.is_empty() {
            writeln!(
                f,
                "\nHTMT of single-item (monotrait mean 1) and Mode B pairs"
            )?;
            for h in extra {
                writeln!(
                    f,
                    "  {:<16} {:<16} {} {} {}  {}",
                    h.a,
                    h.b,
                    opt(h.value, 8, 3),
                    opt(h.signed, 8, 3),
                    opt(h.htmt2, 8, 3),
                    match h.basis {
                        HtmtBasis::Composite => "composite",
                        _ => "single item",
                    }
                )?;
            }
        }
        if !self.vif_indicators.is_empty() {
            writeln!(f, "\nIndicator VIF (every block)")?;
            for v in &self.vif_indicators {
                writeln!(
                    f,
                    "  {:<16} {:<16} {:>8.3}{}",
                    v.indicator,
                    v.construct,
                    v.value,
                    if v.value > 5.0 { "  > 5" } else { "" }
                )?;
            }
        }
        writeln!(
            f,
            "\nStructural model: inner VIF and f² (scores: cSEM, SmartPLS; re-estimated: seminr)"
        )?;
        writeln!(
            f,
            "  {:<16} {:<16} {:>8} {:>8} {:>8}",
            "from", "to", "VIF", "f²", "f² re-est"
        )?;
        for ((v, f2), f2r) in self
            .vif_inner
            .iter()
            .zip(&self.f_squared)
            .zip(&self.f_squared_reestimated)
        {
            writeln!(
                f,
                "  {:<16} {:<16} {:>8.3} {:>8.3} {}",
                v.from,
                v.to,
                v.value,
                f2.value,
                opt(f2r.value, 8, 3)
            )?;
        }
        if !self.information_criteria.is_empty() {
            writeln!(
                f,
                "\nInformation criteria (SSE = (n − 1)(1 − R²), k = predictors + 1; smaller is better)"
            )?;
            writeln!(
                f,
                "  {:<16} {:>3} {:>10} {:>10} {:>10} {:>10}",
                "construct", "k", "AIC", "AICc", "BIC", "HQ"
            )?;
            for c in &self.information_criteria {
                writeln!(
                    f,
                    "  {:<16} {:>3} {} {} {} {}",
                    c.construct,
                    c.k,
                    opt(c.aic, 10, 2),
                    opt(c.aicc, 10, 2),
                    opt(c.bic, 10, 2),
                    opt(c.hq, 10, 2)
                )?;
            }
        }
        writeln!(f, "\nModel fit         estimated  saturated")?;
        writeln!(
            f,
            "  SRMR            {:>9.4}  {:>9.4}",
            self.fit_estimated.srmr, self.fit_saturated.srmr
        )?;
        writeln!(
            f,
            "  d_ULS           {:>9.4}  {:>9.4}",
            self.fit_estimated.d_uls, self.fit_saturated.d_uls
        )?;
        writeln!(
            f,
            "  d_G             {}  {}",
            opt(self.fit_estimated.d_g, 9, 4),
            opt(self.fit_saturated.d_g, 9, 4)
        )?;
        writeln!(f, "  GoF             {:>9.4}", self.gof)
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

impl fmt::Display for Blindfolding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Q² by blindfolding (omission distance {}, {} rows, predictions rescaled with the {})",
            self.omission_distance,
            self.n_observations,
            match self.scale {
                Q2Scale::Observed => "observed values' SD",
                Q2Scale::MeanReplaced => "mean-replaced column's SD",
            }
        )?;
        writeln!(
            f,
            "  {:<16} {:>12} {:>12} {:>8}",
            "construct", "SSO", "SSE", "Q²"
        )?;
        for r in &self.constructs {
            writeln!(
                f,
                "  {:<16} {:>12.3} {:>12.3} {:>8.3}",
                r.construct, r.sso, r.sse, r.q2
            )?;
        }
        Ok(())
    }
}
