//! Customer-satisfaction index models on top of PLS path modeling:
//! ACSI (Fornell et al. 1996), ECSI (ECSI Technical Committee 1998) and CCSI
//! (GB/T 19038-2009) templates, the 0–100 index, impacts, importance–
//! performance analysis with short boards, and segment / period comparisons.
//!
//! ```
//! use csikit::csi::{Construct, Scale, Scales, IpmaOptions};
//! use csikit::SurveySimulator;
//! let data = SurveySimulator::new(400).seed(3).simulate().unwrap();
//! let model = SurveySimulator::csi_model();
//! let fit = model.fit(&data, &Scales::uniform(Scale::new(1.0, 10.0))).unwrap();
//! let sat = fit.index(Construct::Satisfaction).unwrap();
//! assert!(sat > 0.0 && sat < 100.0);
//! let map = fit.ipma(Construct::Satisfaction, &IpmaOptions::default()).unwrap();
//! assert!(map.constructs.iter().any(|c| c.name == Construct::PerceivedQuality));
//! ```
//!
//! Every computation after the estimation is a pure function of the
//! [`PlsFit`] and the answer scales ([`index::index`], [`ipma::impacts`],
//! [`ipma::ipma`], [`groups::bootstrap_statistics`]), so the bootstrap can
//! recompute it per resample.

pub mod bins;
#[cfg(feature = "report")]
pub mod chart;
pub mod groups;
pub mod index;
pub mod ipma;
pub(crate) mod lean;
pub mod models;
#[cfg(feature = "report")]
pub mod report;
#[cfg(feature = "report")]
pub mod text;
pub mod why;

use serde::Serialize;

pub use groups::{
    CsiAnalysis, CsiBootstrap, CsiStatistics, GroupAnalysis, GroupEstimate, GroupKind,
    ImpactDifference, IndexDifference, MissingComparison, PeriodComparison, SkippedGroup,
    SmallGroups, Statistics, bootstrap_statistics,
};
pub use index::{
    ConstructIndex, IndexResult, IndexWarning, IndicatorIndex, Interval, IntervalMethod, Scale,
    Scales, WeightedIndex, aggregate, aggregate_by, index, index_scores,
};
pub use ipma::{
    FixConstruct, FixFirst, FixItem, IMPACT_POINTS, Impact, Ipma, IpmaConstruct, IpmaIndicator,
    IpmaOptions, Quadrant, Ranking, ShortBoard, Split, fix_first, impacts, ipma,
};
pub use models::{Construct, CsiModel, CsiModelBuilder, Template};
#[cfg(feature = "report")]
pub use report::CsiReport;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::pls::{Pls, PlsFit, Scores};

/// A fitted CSI model: the PLS fit with its indices and impacts, and typed access.
#[derive(Debug, Clone, Serialize)]
pub struct CsiFit {
    /// The CSI model.
    pub model: CsiModel,
    /// The PLS estimation.
    pub pls: PlsFit,
    /// The answer scales used for the index.
    pub scales: Scales,
    /// 0–100 index of every construct.
    pub index: IndexResult,
    /// Impacts of every driver on every construct it reaches.
    pub impacts: Vec<Impact>,
    /// The bootstrap of the CSI statistics, when the fit was made by a
    /// [`CsiAnalysis`] with [`CsiAnalysis::bootstrap`]: it has set the index
    /// intervals and those of the impacts on its target, and [`CsiFit::ipma`]
    /// of that target takes its importance intervals from it.
    pub bootstrap: Option<CsiBootstrap>,
}

impl CsiModel {
    /// Fits the model with the default PLS settings ([`Pls::new`]) and
    /// computes the indices and impacts.
    ///
    /// # Errors
    /// The errors of [`Pls::fit`] and [`index::index`].
    pub fn fit(&self, data: &Dataset, scales: &Scales) -> Result<CsiFit> {
        CsiFit::new(
            self.clone(),
            Pls::new(self.model()).fit(data)?,
            scales.clone(),
        )
    }
}

impl CsiFit {
    /// Wraps a PLS fit of `model.model()`.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] if `pls` is a fit of another model; the errors of [`index::index`].
    pub fn new(model: CsiModel, pls: PlsFit, scales: Scales) -> Result<CsiFit> {
        if pls.model() != model.model() {
            return Err(Error::InvalidSetting {
                name: "model".into(),
                message: "the PLS fit is of a different model than the CSI model".into(),
            });
        }
        let index = index::index(&pls, &scales)?;
        let impacts = ipma::impacts(&pls, &index);
        Ok(CsiFit {
            model,
            pls,
            scales,
            index,
            impacts,
            bootstrap: None,
        })
    }

    /// The 0–100 index of a construct, e.g. `fit.index(Construct::Satisfaction)`.
    pub fn index(&self, c: impl Into<Construct>) -> Option<f64> {
        self.index.value(c)
    }

    /// The index of a construct with its SE and interval.
    pub fn construct_index(&self, c: impl Into<Construct>) -> Option<&ConstructIndex> {
        self.index.get(c)
    }

    /// The impact of `driver` on `target` (`None` when no directed path joins them).
    pub fn impact(
        &self,
        driver: impl Into<Construct>,
        target: impl Into<Construct>,
    ) -> Option<&Impact> {
        let (d, t) = (driver.into(), target.into());
        self.impacts.iter().find(|i| i.driver == d && i.target == t)
    }

    /// The standardized path coefficient `from → to`, if the model has it.
    pub fn path(&self, from: impl Into<Construct>, to: impl Into<Construct>) -> Option<f64> {
        let (f, t) = (from.into(), to.into());
        self.pls.path(f.name(), t.name()).map(|p| p.estimate)
    }

    /// R² of a construct (`None` for exogenous or unknown constructs).
    pub fn r_squared(&self, c: impl Into<Construct>) -> Option<f64> {
        self.pls.construct(c.into().name())?.r_squared
    }

    /// The importance–performance map of `target`, with the importance
    /// intervals of the fit's bootstrap when it was run for this target.
    ///
    /// # Errors
    /// See [`ipma::ipma`].
    pub fn ipma(&self, target: impl Into<Construct>, options: &IpmaOptions) -> Result<Ipma> {
        let mut map = ipma::ipma(&self.pls, &self.index, target, options)?;
        if let Some(b) = &self.bootstrap {
            b.apply_ipma(&mut map);
        }
        Ok(map)
    }

    /// Per-respondent index scores (see [`index::index_scores`]).
    ///
    /// # Errors
    /// See [`index::index_scores`].
    pub fn scores(&self, data: &Dataset) -> Result<Scores> {
        index::index_scores(&self.pls, &self.scales, data)
    }
}
