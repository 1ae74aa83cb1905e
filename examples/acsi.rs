//! The analyst's CSI report: a customer-satisfaction index model (ECSI on the
//! built-in telecom survey, or your data and model) written as a report
//! folder — `report.md`, a self-contained `report.html`, `charts/*.svg`,
//! `tables/*.csv`.
//!
//! ```text
//! cargo run --release --example acsi                      # built-in survey
//! cargo run --release --example acsi -- --data survey.csv --model ecsi.txt \
//!     --segment region --segment plan --period month --scale 1:10 --out report
//! cargo run --release --example acsi -- --bootstrap 500 --seed 7   # with bootstrap intervals
//! cargo run --release --example acsi -- --lang zh --out 报告          # the report in Chinese
//! cargo run --release --example acsi -- --lang zh --segment 'region*arpu_tier' --segment plan
//! ```
//!
//! The same program as `csikit acsi` (identical flags and output): the
//! recipe lives in `csikit::analysis::acsi`, the flags in the `csikit-cli` crate.

fn main() -> std::process::ExitCode {
    csikit_cli::main_as("acsi")
}
