//! Service-quality monitoring: complaint hotspots of a month, KPI target
//! status, the link of complaint categories to the CSI drivers, and a trend
//! chart. Without `--complaints` it runs on the built-in simulated operator.
//!
//! ```text
//! cargo run --release --example monitor -- [--complaints FILE --customers FILE [--survey FILE]] [--lang zh|en] [options]
//! ```
//!
//! The same program as `csikit monitor` (identical flags and output): the
//! recipe lives in `csikit::analysis::monitor`, the flags in the `csikit-cli` crate.

fn main() -> std::process::ExitCode {
    csikit_cli::main_as("monitor")
}
