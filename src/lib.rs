//! # csikit
//!
//! Customer-satisfaction measurement in Rust.
#![warn(missing_docs)]

pub mod data;
pub mod error;
pub mod kano;
pub mod stats;
pub mod svg;

pub use data::{ColumnData, CsvOptions, Dataset};
pub use error::{Error, Result};
pub use kano::{KanoOptions, KanoReport};
