//! Consistent PLS, PLSc (Dijkstra 2010; Dijkstra & Henseler 2015, CSDA 81:10–23).
//!
//! PLS composites of Mode A blocks are proxies that contain measurement error,
//! so their correlations, and the paths estimated from them, are attenuated.
//! PLSc keeps the converged PLS weights and corrects, for every Mode A
//! construct j with at least two indicators:
//!
//! - reliability ρ_A,j = (ŵᵀŵ)² · ŵᵀ(R_jj − diag R_jj)ŵ / ŵᵀ(ŵŵᵀ − diag(ŵŵᵀ))ŵ, where ŵ
//!   are the weights of the standardized indicators scaled to a unit-variance
//!   composite and R_jj the block's indicator correlations;
//! - consistent loadings λ_j = ŵ · √ρ_A,j / (ŵᵀŵ) (so that ρ_A = c²(ŵᵀŵ)² with λ = c ŵ);
//! - consistent construct correlations r_jk / √(ρ_A,j ρ_A,k) (j ≠ k);
//! - consistent paths: OLS of each endogenous construct on its predecessors,
//!   computed from the corrected correlation matrix; R² likewise.
//!
//! Mode B constructs and single-indicator constructs are taken as measured
//! without error (reliability 1), as cSEM does for composites and single items;
//! so are interaction terms and the Mode A constructs declared composites
//! ([`super::Pls::composites`]), as seminr does for `composite()` constructs
//! and interaction terms.
//! csikit reproduces cSEM 0.6.1's `csem(.disattenuate = TRUE)` (its default).
//!
//! Inadmissible solutions are not errors: they are listed in
//! [`Consistency::problems`] (reliability above 1, a loading or a construct
//! correlation above 1 in absolute value, a construct correlation matrix that
//! is not positive definite). Only a reliability that is not positive, whose
//! square root is undefined, stops the estimation
//! ([`Error::PlscReliability`]).

use serde::Serialize;

use super::algorithm::Layout;
use crate::error::{Error, Result};
use crate::linalg;
use crate::model::Mode;

/// A number attached to a construct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstructValue {
    /// Construct.
    pub construct: String,
    /// The value.
    pub value: f64,
}

/// Why a PLSc solution is inadmissible.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Inadmissible {
    /// rho_A above 1 (a Heywood-like case).
    ReliabilityAboveOne {
        /// Construct.
        construct: String,
        /// Its rho_A.
        value: f64,
    },
    /// A consistent loading above 1 in absolute value.
    LoadingAboveOne {
        /// Indicator.
        indicator: String,
        /// Its loading.
        value: f64,
    },
    /// A disattenuated construct correlation above 1 in absolute value.
    CorrelationAboveOne {
        /// First construct.
        a: String,
        /// Second construct.
        b: String,
        /// The corrected correlation.
        value: f64,
    },
    /// The corrected construct correlation matrix is not positive definite.
    ConstructCorrelationsNotPositiveDefinite,
}

impl std::fmt::Display for Inadmissible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Inadmissible::ReliabilityAboveOne { construct, value } => {
                write!(f, "rho_A of {construct} is {value:.4} > 1")
            }
            Inadmissible::LoadingAboveOne { indicator, value } => {
                write!(
                    f,
                    "consistent loading of {indicator} is {value:.4}, |λ| > 1"
                )
            }
            Inadmissible::CorrelationAboveOne { a, b, value } => {
                write!(
                    f,
                    "corrected correlation of {a} and {b} is {value:.4}, |r| > 1"
                )
            }
            Inadmissible::ConstructCorrelationsNotPositiveDefinite => {
                f.write_str("the corrected construct correlation matrix is not positive definite")
            }
        }
    }
}

/// What the PLSc correction used and found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consistency {
    /// Reliability used for each construct (rho_A for corrected constructs, 1 otherwise).
    pub reliabilities: Vec<ConstructValue>,
    /// The constructs that were corrected (Mode A, ≥ 2 indicators, not an
    /// interaction term or a declared composite).
    pub corrected: Vec<String>,
    /// True when no problem was found.
    pub admissible: bool,
    /// Every admissibility problem found.
    pub problems: Vec<Inadmissible>,
}

/// Applies the correction in place to the loadings (model indicator order)
/// and the construct correlation matrix `c` (k × k).
#[allow(clippy::too_many_arguments)]
pub(crate) fn correct(
    layout: &Layout,
    cnames: &[String],
    inames: &[String],
    rho_a: &[f64],
    w: &[f64],
    sd: &[f64],
    loading: &mut [f64],
    c: &mut [f64],
) -> Result<Consistency> {
    let k = layout.k;
    let mut rel = vec![1.0; k];
    let mut corrected = Vec::new();
    let mut problems = Vec::new();
    for j in 0..k {
        let r = layout.block(j);
        if layout.mode[j] != Mode::A || r.len() < 2 || layout.composite[j] {
            continue;
        }
        let rho = rho_a[j];
        if !(rho > 0.0 && rho.is_finite()) {
            return Err(Error::PlscReliability {
                construct: cnames[j].clone(),
                rho_a: rho,
            });
        }
        if rho > 1.0 {
            problems.push(Inadmissible::ReliabilityAboveOne {
                construct: cnames[j].clone(),
                value: rho,
            });
        }
        rel[j] = rho;
        corrected.push(cnames[j].clone());
        let ww: f64 = r.clone().map(|i| (w[i] * sd[i]).powi(2)).sum();
        for i in r {
            loading[i] = w[i] * sd[i] * rho.sqrt() / ww;
            if loading[i].abs() > 1.0 {
                problems.push(Inadmissible::LoadingAboveOne {
                    indicator: inames[i].clone(),
                    value: loading[i],
                });
            }
        }
    }
    for a in 0..k {
        for b in 0..k {
            if a != b {
                c[a * k + b] /= (rel[a] * rel[b]).sqrt();
                if b > a && c[a * k + b].abs() > 1.0 {
                    problems.push(Inadmissible::CorrelationAboveOne {
                        a: cnames[a].clone(),
                        b: cnames[b].clone(),
                        value: c[a * k + b],
                    });
                }
            }
        }
    }
    if linalg::cholesky(c, k).is_none() {
        problems.push(Inadmissible::ConstructCorrelationsNotPositiveDefinite);
    }
    Ok(Consistency {
        reliabilities: cnames
            .iter()
            .zip(&rel)
            .map(|(n, &v)| ConstructValue {
                construct: n.clone(),
                value: v,
            })
            .collect(),
        corrected,
        admissible: problems.is_empty(),
        problems,
    })
}
