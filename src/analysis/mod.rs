//! # The analysis layer
//!
//! One home for every recipe. A task takes its input (data, model) and a
//! typed request (serde, every field with a stated default) and returns a
//! document: the JSON of the contracts in DESIGN.md §4 (see
//! [`crate::contract`]), a text or HTML report, charts. The `csikit`
//! command, the example binaries and the Python wrapper all call these
//! functions; none of them assembles a report of its own, so the same
//! request gives the same document in every front end.
//!
//! | task | request | document |
//! |---|---|---|
//! | PLS fit, assessment, inference | [`PlsRequest`] | [`PlsDocument`] |
//! | CSI report | [`AcsiRequest`] | [`AcsiDocument`] |
//! | SERVQUAL | [`ServqualRequest`] | [`ServqualDocument`] |
//! | KANO | [`KanoRequest`] | [`KanoDocument`] |
//! | monitoring | [`MonitorRequest`] | [`MonitorDocument`] |
//! | key drivers, dissatisfied profiles, operational link | [`DriversRequest`], [`ProfileRequest`], [`LinkRequest`] | [`DriversDocument`] |
//! | touchpoint scorecard | [`ScorecardRequest`] | [`ScorecardDocument`] |
//!
//! ```
//! use csikit::analysis::{self, Observer, PlsRequest};
//!
//! let (data, model, _) = analysis::pls::builtin()?;
//! let request: PlsRequest = serde_json::from_str(r#"{"scale": {"min": 1, "max": 10}, "ipma": "Satisfaction"}"#).unwrap();
//! let doc = analysis::pls::run(&data, &model, &request, &Observer::silent())?;
//! assert_eq!(doc.report.n_observations, 250);
//! assert!(doc.report.ipma.is_some());
//! # Ok::<(), csikit::Error>(())
//! ```

pub mod acsi;
pub use crate::audit;
pub mod drivers;
pub mod kano;
pub mod monitor;
pub mod monitor_alerts;
pub mod page;
pub mod pls;
pub mod scorecard;
pub mod servqual;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use acsi::{AcsiDocument, AcsiRequest, BuiltinSurvey};
pub use audit::DataAudit;
pub use drivers::{DriversDocument, DriversRequest, LinkRequest, ProfileRequest};
pub use kano::{KanoDocument, KanoRequest};
pub use monitor::{MonitorDocument, MonitorInput, MonitorRequest};
pub use pls::{PlsDocument, PlsRequest};
pub use scorecard::{ScorecardDocument, ScorecardRequest};
pub use servqual::{ServqualDimension, ServqualDocument, ServqualRequest};

use crate::pls::Progress;
use crate::{Dataset, Error, Model, ReadOptions, Result};

type ProgressFn = Arc<dyn Fn(&'static str, Progress) + Send + Sync>;
type StepFn = Arc<dyn Fn(&str) + Send + Sync>;

/// Watches long work: progress of resampling runs and the steps of a report.
/// [`Observer::silent`] watches nothing.
#[derive(Clone, Default)]
pub struct Observer {
    progress: Option<ProgressFn>,
    min_total: usize,
    step: Option<StepFn>,
}

impl std::fmt::Debug for Observer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Observer")
            .field("progress", &self.progress.is_some())
            .field("min_total", &self.min_total)
            .field("step", &self.step.is_some())
            .finish()
    }
}

impl Observer {
    /// An observer that reports nothing.
    pub fn silent() -> Self {
        Observer::default()
    }

    /// Calls `f(what, progress)` during resampling runs (`what` is
    /// `"bootstrap"` or `"permutations"`) of at least `min_total` resamples.
    pub fn with_progress(
        mut self,
        min_total: usize,
        f: impl Fn(&'static str, Progress) + Send + Sync + 'static,
    ) -> Self {
        self.progress = Some(Arc::new(f));
        self.min_total = min_total;
        self
    }

    /// Calls `f(message)` at each step of a long task (e.g. "estimating per region").
    pub fn with_steps(mut self, f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.step = Some(Arc::new(f));
        self
    }

    /// The progress callback for a run of `total` resamples, if watched.
    pub fn progress(
        &self,
        what: &'static str,
        total: usize,
    ) -> Option<impl Fn(Progress) + Send + Sync + 'static> {
        let f = self.progress.clone().filter(|_| total >= self.min_total)?;
        Some(move |p: Progress| f(what, p))
    }

    /// Reports a step.
    pub fn step(&self, message: &str) {
        if let Some(f) = &self.step {
            f(message);
        }
    }
}

/// A chart of a document: a name made of parts (e.g. `["servqual_gaps",
/// "region", "north"]`), a title and the SVG text.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The parts of the file name, joined by `_`.
    pub name: Vec<String>,
    /// A human title.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

impl Chart {
    /// A chart named by `parts`.
    pub fn new<S: AsRef<str>>(
        parts: impl IntoIterator<Item = S>,
        title: &str,
        svg: String,
    ) -> Chart {
        Chart {
            name: parts.into_iter().map(|s| s.as_ref().to_string()).collect(),
            title: title.to_string(),
            svg,
        }
    }
}

/// Writes the charts into `dir` (created if needed) as `NAME.svg`, each
/// under its own file name (see [`crate::files`]), and returns the paths.
///
/// # Errors
/// [`Error::Io`] when the folder or a file cannot be written.
pub fn write_charts(charts: &[Chart], dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    // The parts of a name are joined by a separator the file-name rule turns
    // into `_`; labels that would share a file get distinct stems.
    let labels: Vec<String> = charts.iter().map(|c| c.name.join("\u{1f}")).collect();
    let stems = crate::files::file_stems(&labels);
    let mut out = Vec::with_capacity(charts.len());
    for (c, stem) in charts.iter().zip(stems) {
        let path = dir.join(format!("{stem}.svg"));
        std::fs::write(&path, &c.svg).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        out.push(path);
    }
    Ok(out)
}

/// Reads a data file as every command does: CSV (UTF-8 or GB18030/GBK,
/// delimiter detected) or an `.xlsx` workbook, by its extension
/// ([`Dataset::read`]). The returned data carry their [`crate::ReadReport`]
/// ([`Dataset::source`]), which the documents show (`input` in the JSON of
/// `pls`, `acsi`, `kano` and `monitor`; a `Data:` line in the text).
///
/// # Errors
/// The errors of [`Dataset::read`].
pub fn read_data(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Dataset> {
    Dataset::read(path, options)
}

/// Reads a data file with default [`ReadOptions`] and extra missing-value
/// markers `na` (empty cells always are missing): [`read_data`] with only
/// the markers set.
///
/// # Errors
/// The errors of [`Dataset::read`].
pub fn read_csv(path: impl AsRef<Path>, na: &[String]) -> Result<Dataset> {
    let mut options = ReadOptions::default();
    options.na.extend(na.iter().cloned());
    read_data(path, &options)
}

/// Reads a model file in lavaan-style syntax.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; the errors of [`Model::from_syntax`].
pub fn read_model(path: impl AsRef<Path>) -> Result<Model> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    Model::from_syntax(&text)
}

/// A document's JSON with the `input` key (where the data were read from)
/// after its own keys.
#[derive(serde::Serialize)]
pub(crate) struct WithInput<'a, T: serde::Serialize> {
    #[serde(flatten)]
    pub(crate) doc: &'a T,
    pub(crate) input: &'a crate::ReadReport,
}

/// Pretty JSON of a document. Documents hold only finite numbers, strings
/// and maps with string keys, so serialization cannot fail; a failure
/// would be a bug and is shown as a JSON error object rather than a panic.
pub(crate) fn pretty<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        format!(
            "{{\"error\": {}}}",
            serde_json::Value::String(e.to_string())
        )
    })
}
