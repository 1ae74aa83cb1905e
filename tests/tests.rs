//! The crate's one integration-test binary (one link step): each module is a
//! topic.

mod analysis;
mod assess;
mod audit;
mod bad_input;
mod bootstrap;
mod catalog;
mod common;
mod conformance;
mod csi;
mod csi_bootstrap;
mod csi_report;
mod estimation;
mod extensions;
mod files;
mod fuzz;
mod groups;
mod kano;
mod messy;
mod monitor;
mod period;
mod properties;
mod robustness;
mod servqual;
mod shared;
mod survey_exports;
