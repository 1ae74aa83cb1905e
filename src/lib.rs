//! # csikit
//!
//! Customer-satisfaction measurement in Rust: PLS path modeling for CSI index
//! models, SERVQUAL and KANO.
//!
//! A tour:
//!
//! ```
//! use csikit::{Dataset, Model, Pls, Scheme, SurveySimulator};
//!
//! // Data: named numeric columns (CSV, columns, ndarray, nalgebra); here simulated.
//! let data: Dataset = SurveySimulator::new(300).seed(7).simulate()?;
//! // Model: lavaan-style syntax or the typed builder.
//! let model = Model::from_syntax("
//!     Quality      =~ PERQ1 + PERQ2 + PERQ3
//!     Satisfaction =~ CUSA1 + CUSA2 + CUSA3
//!     Loyalty      =~ CUSL1 + CUSL3
//!     Satisfaction ~ Quality
//!     Loyalty      ~ Satisfaction + Quality
//! ")?;
//! // Estimation: settings, then a typed, serializable result.
//! let fit = Pls::new(&model).scheme(Scheme::Path).fit(&data)?;
//! let path = fit.path("Quality", "Satisfaction").unwrap();
//! assert!(path.estimate > 0.3 && path.p.unwrap() < 0.001);
//! let sat = fit.construct("Satisfaction").unwrap();
//! assert!(sat.rho_c.unwrap() > 0.8);
//! // The whole result as the `pls` example's JSON.
//! let json = serde_json::to_string(&fit.report()).unwrap();
//! assert!(json.contains("\"paths\""));
//! // Inference: a seeded parallel bootstrap, and a multi-group comparison.
//! use csikit::{Bootstrap, MultiGroup};
//! let pls = Pls::new(&model);
//! let boot = Bootstrap::new(200).seed(1).run(&pls, &data)?;
//! assert!(boot.path("Quality", "Satisfaction").unwrap().stats.significant());
//! let mga = MultiGroup::new("plan").permutations(99).run(&pls, &data)?;
//! assert_eq!(mga.levels, ["bundle", "postpaid", "prepaid"]);
//! # Ok::<(), csikit::Error>(())
//! ```
//!
//! See the [`pls`], [`servqual`] and [`kano`] modules; the concepts they
//! share have one implementation each: [`period`] (months, quarters, …),
//! [`group`] (segments and their order), [`stats`] (distributions) and
//! [`files`] (file names of reports).
#![warn(missing_docs)]
// `if !(x > tol)` is deliberate: it treats NaN as failure (never as success).
#![allow(clippy::neg_cmp_op_on_partial_ord)]
// Index loops mirror the matrix formulas they implement.
#![allow(clippy::needless_range_loop)]

#[cfg(feature = "analysis")]
pub mod analysis;
pub mod audit;
pub mod codebook;
#[cfg(feature = "analysis")]
pub mod contract;
pub mod csi;
pub mod data;
pub mod drivers;
pub mod error;
pub mod files;
pub mod group;
pub mod i18n;
pub mod kano;
mod linalg;
pub mod model;
pub mod monitor;
pub mod period;
pub mod pls;
pub mod servqual;
#[cfg(feature = "simulate")]
pub mod simulate;
pub mod stats;
#[cfg(feature = "report")]
pub mod svg;
pub mod tables;

pub use csi::{Construct, CsiFit, CsiModel, Scale, Scales, Template};

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use codebook::Codebook;
pub use data::{ColumnData, CsvOptions, Dataset, Encoding, FileFormat, ReadOptions, ReadReport};
pub use error::{Error, ErrorKind, Result};
pub use kano::{KanoOptions, KanoReport};
pub use model::{ConstructSpec, HigherOrderSpec, InteractionSpec, Mode, Model, ModelBuilder};
pub use period::{Frequency, Period};
pub use pls::{
    Assessment, Bootstrap, BootstrapResult, BootstrapSets, Correction, Estimation, FailurePolicy,
    MgaResult, MissingPolicy, MissingReport, Moments, MultiGroup, Pls, PlsFit, PlsPredict,
    PlsSettings, PredictApproach, Prediction, Scaling, Scheme, SignChange, StatisticSet, StopRule,
    Weighting,
};
pub use servqual::{Instrument as ServqualInstrument, ServqualOptions, ServqualReport};
#[cfg(feature = "simulate")]
pub use simulate::SurveySimulator;
