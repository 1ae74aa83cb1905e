//! # csikit
//!
//! Customer-satisfaction measurement in Rust.
#![warn(missing_docs)]
// `if !(x > tol)` is deliberate: it treats NaN as failure (never as success).
#![allow(clippy::neg_cmp_op_on_partial_ord)]
// Index loops mirror the matrix formulas they implement.
#![allow(clippy::needless_range_loop)]

pub mod csi;
pub mod data;
pub mod error;
pub mod kano;
mod linalg;
pub mod model;
pub mod pls;
pub mod servqual;
pub mod simulate;
pub mod stats;
pub mod svg;

pub use csi::{Construct, CsiFit, CsiModel, Scale, Scales, Template};
pub use data::{ColumnData, CsvOptions, Dataset};
pub use error::{Error, Result};
pub use kano::{KanoOptions, KanoReport};
pub use model::{ConstructSpec, Mode, Model, ModelBuilder};
pub use pls::{MissingPolicy, MissingReport, Moments, Pls, PlsFit, Scaling, Scheme, StopRule};
pub use servqual::{Instrument as ServqualInstrument, ServqualOptions, ServqualReport};
pub use simulate::SurveySimulator;
