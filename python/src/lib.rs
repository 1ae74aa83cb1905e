//! `csikit._csikit`: the compiled core of the Python package `csikit`.
//!
//! A thin PyO3 layer over the Rust library: every computation is the
//! library's, and the analyses go through its analysis layer
//! (`csikit::analysis`): keyword arguments become the library's typed
//! settings and requests (`PlsSettings`, `PlsRequest`, `AcsiRequest`,
//! `ServqualRequest`, `KanoRequest`, `MonitorRequest`), errors name the
//! Python keyword. Data cross the boundary as named columns (numeric columns
//! as the raw bytes of contiguous float64 arrays, text columns as lists of
//! `str`); results go back in the library's serde data model as Python
//! objects (`tables::Document`), tables as columns (`{name: list}`) from
//! which the pure-Python layer (`python/csikit/__init__.py`) builds pandas
//! DataFrames. Long computations run with the GIL released
//! (`Python::detach`); resampling runs stop on Ctrl-C (`signals`).
//!
//! One module per domain; this file only registers them. The type stubs
//! (`python/csikit/_csikit.pyi`) are generated from the built module by
//! `python/tools/gen_stubs.py` and checked by `python/run_tests.sh`.

use pyo3::prelude::*;

mod csi;
mod data;
mod drivers;
mod errors;
mod kano;
mod model;
mod moments;
mod monitor;
mod pls;
mod replicate;
mod scorecard;
mod servqual;
mod signals;
mod tables;

/// The compiled core of `csikit` (see the package docstring).
#[pymodule]
fn _csikit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    tables::register(m)?;
    data::register(m)?;
    model::register(m)?;
    moments::register(m)?;
    pls::register(m)?;
    replicate::register(m)?;
    csi::register(m)?;
    servqual::register(m)?;
    kano::register(m)?;
    monitor::register(m)?;
    scorecard::register(m)?;
    drivers::register(m)?;
    Ok(())
}
