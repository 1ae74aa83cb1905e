//! The five-gap model of service quality (Parasuraman, Zeithaml & Berry 1985).

use std::fmt;

use serde::Serialize;

use super::report::num;
use super::scores::ServqualReport;
use crate::error::{Error, Result, suggest};

/// A gap of the five-gap model (Parasuraman, Zeithaml & Berry 1985). Every gap
/// is computed as `to − from` (see [`GapMeasure`]), oriented so that a negative
/// value is a shortfall at that step, as for gap 5 = P − E.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gap {
    /// Gap 1, knowledge: from = customers' expectations, to = management's
    /// perception of those expectations.
    Knowledge,
    /// Gap 2, standards: from = management's perception of expectations, to =
    /// the service specifications (standards).
    Standards,
    /// Gap 3, delivery: from = the specifications, to = the service delivered.
    Delivery,
    /// Gap 4, communication: from = the service promised in external
    /// communications, to = the service delivered.
    Communication,
    /// Gap 5, customer: from = expected, to = perceived service (the SERVQUAL
    /// gap; a function of gaps 1–4), taken from the customer survey.
    Customer,
}

impl Gap {
    /// All five, in order.
    pub const ALL: [Gap; 5] = [
        Gap::Knowledge,
        Gap::Standards,
        Gap::Delivery,
        Gap::Communication,
        Gap::Customer,
    ];

    /// The gap's number, 1–5.
    pub fn number(self) -> u8 {
        match self {
            Gap::Knowledge => 1,
            Gap::Standards => 2,
            Gap::Delivery => 3,
            Gap::Communication => 4,
            Gap::Customer => 5,
        }
    }

    /// Its name: `knowledge`, `standards`, `delivery`, `communication`, `customer`.
    pub fn name(self) -> &'static str {
        match self {
            Gap::Knowledge => "knowledge",
            Gap::Standards => "standards",
            Gap::Delivery => "delivery",
            Gap::Communication => "communication",
            Gap::Customer => "customer",
        }
    }
}

/// Where a measure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GapSource {
    /// The customer survey.
    Customers,
    /// A management survey.
    Management,
    /// An employee survey.
    Employees,
    /// Operational data (measured times, error rates, audits).
    Operations,
}

impl GapSource {
    fn letter(self) -> char {
        match self {
            GapSource::Customers => 'C',
            GapSource::Management => 'M',
            GapSource::Employees => 'E',
            GapSource::Operations => 'O',
        }
    }
}

/// What a gap measure is about: an item (by id) or a dimension (by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "level", content = "name", rename_all = "lowercase")]
pub enum Target {
    /// An item of the instrument, by id.
    Item(String),
    /// A dimension, by name.
    Dimension(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Item(id) => write!(f, "item {id}"),
            Target::Dimension(name) => f.write_str(name),
        }
    }
}

/// One side of a gap measure.
#[derive(Debug, Clone, PartialEq)]
pub enum Side {
    /// Raw values (`NaN` = missing), e.g. one per manager or per transaction.
    Values(Vec<f64>),
    /// A known mean and the number of observations behind it (e.g. a target
    /// from a service specification: `n` = 1).
    Mean {
        /// The mean.
        mean: f64,
        /// Observations behind it.
        n: usize,
    },
}

impl Side {
    /// A single specified value (a standard, a promise).
    pub fn value(x: f64) -> Side {
        Side::Mean { mean: x, n: 1 }
    }

    fn summary(&self) -> (f64, usize) {
        match self {
            Side::Values(v) => {
                let obs: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
                (obs.iter().sum::<f64>() / obs.len().max(1) as f64, obs.len())
            }
            Side::Mean { mean, n } => (*mean, *n),
        }
    }
}

/// One of gaps 1–4 for one item or dimension: the paired difference
/// `mean(to) − mean(from)` of two measures (see [`Gap`] for what `from` and
/// `to` are). With [`GapMeasure::paired`] the two sides are matched
/// observations (row i of each belongs together, e.g. specification and
/// delivery per transaction) and the gap is the mean of the differences over
/// the complete pairs, with their standard deviation.
#[derive(Debug, Clone, PartialEq)]
pub struct GapMeasure {
    /// Which gap (1–4).
    pub gap: Gap,
    /// Item or dimension.
    pub target: Target,
    /// Where the data come from.
    pub source: GapSource,
    /// The earlier point of the chain.
    pub from: Side,
    /// The later point of the chain.
    pub to: Side,
    /// Whether the sides are matched observations.
    pub paired: bool,
    /// Unit when not the survey scale (e.g. "minutes").
    pub unit: Option<String>,
}

impl GapMeasure {
    /// An unpaired measure.
    pub fn new(gap: Gap, target: Target, source: GapSource, from: Side, to: Side) -> Self {
        GapMeasure {
            gap,
            target,
            source,
            from,
            to,
            paired: false,
            unit: None,
        }
    }

    /// Marks the sides as matched observations.
    pub fn paired(mut self) -> Self {
        self.paired = true;
        self
    }

    /// Sets the unit.
    pub fn unit(mut self, unit: &str) -> Self {
        self.unit = Some(unit.to_string());
        self
    }
}

/// A computed gap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapValue {
    /// Gap number 1–5.
    pub gap: u8,
    /// Gap name.
    pub kind: Gap,
    /// Source of the data.
    pub source: GapSource,
    /// Mean of the `from` side.
    pub from: f64,
    /// Mean of the `to` side.
    pub to: f64,
    /// The gap: mean(to) − mean(from), or the mean paired difference.
    pub value: f64,
    /// Observations on the `from` side.
    pub n_from: usize,
    /// Observations on the `to` side.
    pub n_to: usize,
    /// Whether it is a mean of paired differences.
    pub paired: bool,
    /// Complete pairs (paired measures).
    pub n_pairs: Option<usize>,
    /// Standard deviation of the paired differences (n − 1 denominator).
    pub sd: Option<f64>,
    /// Unit when not the survey scale.
    pub unit: Option<String>,
}

/// The five gaps of one item or dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapModelRow {
    /// The item or dimension.
    pub target: Target,
    /// Its dimension.
    pub dimension: String,
    /// Gap 1.
    pub knowledge: Option<GapValue>,
    /// Gap 2.
    pub standards: Option<GapValue>,
    /// Gap 3.
    pub delivery: Option<GapValue>,
    /// Gap 4.
    pub communication: Option<GapValue>,
    /// Gap 5 (from the customer survey; `None` without expectations).
    pub customer: Option<GapValue>,
}

impl GapModelRow {
    /// The value of a gap.
    pub fn get(&self, gap: Gap) -> Option<&GapValue> {
        match gap {
            Gap::Knowledge => self.knowledge.as_ref(),
            Gap::Standards => self.standards.as_ref(),
            Gap::Delivery => self.delivery.as_ref(),
            Gap::Communication => self.communication.as_ref(),
            Gap::Customer => self.customer.as_ref(),
        }
    }

    fn slot(&mut self, gap: Gap) -> &mut Option<GapValue> {
        match gap {
            Gap::Knowledge => &mut self.knowledge,
            Gap::Standards => &mut self.standards,
            Gap::Delivery => &mut self.delivery,
            Gap::Communication => &mut self.communication,
            Gap::Customer => &mut self.customer,
        }
    }
}

/// The five-gap model as one table: every dimension, then every item with a
/// gap 1–4 entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapModelReport {
    /// Rows.
    pub rows: Vec<GapModelRow>,
}

/// Collects gaps 1–4 (management, employee or operational data) beside gap 5
/// from a customer survey analysed by [`super::analyze`].
///
/// ```
/// use csikit::servqual::*;
/// let data = simulate(&Simulation::default()).unwrap();
/// let survey = analyze(&data, &Instrument::standard(), &ServqualOptions::default()).unwrap();
/// let mut model = GapModel::new(&survey);
/// // Managers' view of what customers expect of reliability (gap 1).
/// model.knowledge(Target::Dimension("reliability".into()), GapSource::Management,
///                 vec![5.5, 6.0, 5.0]).unwrap();
/// // Call answering: specified 20 s, delivered per call (gap 3, paired per call,
/// // oriented so that slower is negative: seconds under the standard).
/// model.add(GapMeasure::new(Gap::Delivery, Target::Item("11".into()), GapSource::Operations,
///     Side::Values(vec![0.0, 0.0, 0.0]), Side::Values(vec![-5.0, 2.0, -12.0])).paired().unit("seconds")).unwrap();
/// let table = model.report();
/// let rel = &table.rows[1];
/// assert!(rel.knowledge.as_ref().unwrap().value < 0.0); // managers underestimate
/// assert!(rel.customer.is_some());
/// println!("{table}");
/// ```
#[derive(Debug, Clone)]
pub struct GapModel<'a> {
    survey: &'a ServqualReport,
    measures: Vec<(GapMeasure, GapValue)>,
}

impl<'a> GapModel<'a> {
    /// A model whose gap 5 comes from `survey`.
    pub fn new(survey: &'a ServqualReport) -> Self {
        GapModel {
            survey,
            measures: Vec::new(),
        }
    }

    /// Normalizes a target's name and returns it with its dimension.
    fn resolve(&self, target: &Target) -> Result<(Target, String)> {
        match target {
            Target::Item(id) => {
                let id = id.trim();
                let item = self
                    .survey
                    .items
                    .iter()
                    .find(|it| it.id == id)
                    .ok_or_else(|| Error::UnknownItem {
                        item: id.into(),
                        suggestions: suggest(id, self.survey.items.iter().map(|it| it.id.as_str())),
                    })?;
                Ok((Target::Item(item.id.clone()), item.dimension.clone()))
            }
            Target::Dimension(name) => {
                let name = name.trim();
                let dim = self
                    .survey
                    .dimensions
                    .iter()
                    .find(|d| d.name.eq_ignore_ascii_case(name))
                    .ok_or_else(|| Error::UnknownDimension {
                        dimension: name.into(),
                        suggestions: suggest(
                            name,
                            self.survey.dimensions.iter().map(|d| d.name.as_str()),
                        ),
                    })?;
                Ok((Target::Dimension(dim.name.clone()), dim.name.clone()))
            }
        }
    }

    /// Adds a measure of gap 1–4.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for gap 5 (it comes from the survey) or a
    /// non-finite or zero-count [`Side::Mean`]; [`Error::UnknownItem`] /
    /// [`Error::UnknownDimension`] for a target not in the survey;
    /// [`Error::DuplicateGap`] if that gap is already entered for the target;
    /// [`Error::NonFinite`] for an infinite value; [`Error::EmptyData`] for a
    /// side (or, paired, the pairs) without observations; [`Error::Shape`] for
    /// paired sides that are not two value lists of equal length.
    pub fn add(&mut self, measure: GapMeasure) -> Result<&mut Self> {
        if measure.gap == Gap::Customer {
            return Err(Error::InvalidSetting {
                name: "gap 5".into(),
                message: "gap 5 comes from the customer survey; enter gaps 1-4 only".into(),
            });
        }
        let (target, _) = self.resolve(&measure.target)?;
        if self
            .measures
            .iter()
            .any(|(m, _)| m.gap == measure.gap && m.target == target)
        {
            return Err(Error::DuplicateGap {
                gap: measure.gap.number(),
                target: target.to_string(),
            });
        }
        let what = format!("gap {} of {}", measure.gap.number(), target);
        for (side, name) in [(&measure.from, "from"), (&measure.to, "to")] {
            match side {
                Side::Values(v) => {
                    if let Some(r) = v.iter().position(|x| x.is_infinite()) {
                        return Err(Error::NonFinite {
                            column: format!("{what} ({name} side)"),
                            row: r + 1,
                        });
                    }
                    if v.iter().all(|x| x.is_nan()) {
                        return Err(Error::EmptyData {
                            context: format!(" on the {name} side of {what}"),
                        });
                    }
                }
                Side::Mean { mean, n } => {
                    if !mean.is_finite() || *n == 0 {
                        return Err(Error::InvalidSetting {
                            name: what.clone(),
                            message: format!(
                                "the {name} side needs a finite mean and n >= 1, got {mean} with n = {n}"
                            ),
                        });
                    }
                }
            }
        }
        let (from, n_from) = measure.from.summary();
        let (to, n_to) = measure.to.summary();
        let (value, n_pairs, sd) = if measure.paired {
            let (Side::Values(f), Side::Values(t)) = (&measure.from, &measure.to) else {
                return Err(Error::Shape {
                    message: format!("paired {what} needs raw values on both sides"),
                });
            };
            if f.len() != t.len() {
                return Err(Error::Shape {
                    message: format!(
                        "paired {what} has {} values on the from side and {} on the to side",
                        f.len(),
                        t.len()
                    ),
                });
            }
            let diffs: Vec<f64> = f
                .iter()
                .zip(t)
                .map(|(a, b)| b - a)
                .filter(|d| !d.is_nan())
                .collect();
            if diffs.is_empty() {
                return Err(Error::EmptyData {
                    context: format!(": {what} has no complete pair"),
                });
            }
            let k = diffs.len() as f64;
            let mean = diffs.iter().sum::<f64>() / k;
            let sd = (diffs.len() > 1).then(|| {
                (diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt()
            });
            (mean, Some(diffs.len()), sd)
        } else {
            (to - from, None, None)
        };
        let value = GapValue {
            gap: measure.gap.number(),
            kind: measure.gap,
            source: measure.source,
            from,
            to,
            value,
            n_from,
            n_to,
            paired: measure.paired,
            n_pairs,
            sd,
            unit: measure.unit.clone(),
        };
        let mut measure = measure;
        measure.target = target;
        self.measures.push((measure, value));
        Ok(self)
    }

    /// Adds gap 1 (knowledge) with customers' expectations taken from the
    /// survey: `perceived_expectations` are management's (or employees')
    /// ratings of what customers expect, on the survey scale.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] if the survey has no expectations for the
    /// target; otherwise as [`GapModel::add`].
    pub fn knowledge(
        &mut self,
        target: Target,
        source: GapSource,
        perceived_expectations: Vec<f64>,
    ) -> Result<&mut Self> {
        let (target, _) = self.resolve(&target)?;
        let (mean, n) = match &target {
            Target::Item(id) => self
                .survey
                .items
                .iter()
                .find(|it| &it.id == id)
                .map(|it| (it.expectation, it.n_expectation)),
            Target::Dimension(name) => self
                .survey
                .dimensions
                .iter()
                .find(|d| &d.name == name)
                .map(|d| (d.expectation, d.n_expectation)),
        }
        .unwrap_or((None, 0));
        let Some(mean) = mean else {
            return Err(Error::InvalidSetting {
                name: "gap 1".into(),
                message: format!(
                    "the survey has no customer expectations for {target}; enter them with GapModel::add"
                ),
            });
        };
        self.add(GapMeasure::new(
            Gap::Knowledge,
            target,
            source,
            Side::Mean { mean, n },
            Side::Values(perceived_expectations),
        ))
    }

    /// The table of gaps 1–5.
    pub fn report(&self) -> GapModelReport {
        let empty = |target: Target, dimension: String| GapModelRow {
            target,
            dimension,
            knowledge: None,
            standards: None,
            delivery: None,
            communication: None,
            customer: None,
        };
        let customer = |e: Option<f64>, p: Option<f64>, gap: Option<f64>, ne, np, n| {
            Some(GapValue {
                gap: 5,
                kind: Gap::Customer,
                source: GapSource::Customers,
                from: e?,
                to: p?,
                value: gap?,
                n_from: ne,
                n_to: np,
                paired: true,
                n_pairs: Some(n),
                sd: None,
                unit: None,
            })
        };
        let mut rows: Vec<GapModelRow> = self
            .survey
            .dimensions
            .iter()
            .map(|d| {
                let mut row = empty(Target::Dimension(d.name.clone()), d.name.clone());
                row.customer = customer(
                    d.expectation,
                    d.perception,
                    d.gap,
                    d.n_expectation,
                    d.n_perception,
                    d.n_gap,
                );
                row
            })
            .collect();
        for it in &self.survey.items {
            let target = Target::Item(it.id.clone());
            if self.measures.iter().any(|(m, _)| m.target == target) {
                let mut row = empty(target, it.dimension.clone());
                row.customer = customer(
                    it.expectation,
                    it.perception,
                    it.gap,
                    it.n_expectation,
                    it.n_perception,
                    it.n_gap,
                );
                rows.push(row);
            }
        }
        for (m, v) in &self.measures {
            if let Some(row) = rows.iter_mut().find(|r| r.target == m.target) {
                *row.slot(m.gap) = Some(v.clone());
            }
        }
        GapModelReport { rows }
    }
}

impl fmt::Display for GapModelReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Five-gap model (Parasuraman, Zeithaml & Berry 1985): gap = to - from, negative = shortfall"
        )?;
        write!(f, "  {:<22}", "item / dimension")?;
        for g in Gap::ALL {
            write!(f, " {:>17}", format!("{} {}", g.number(), g.name()))?;
        }
        writeln!(f)?;
        for row in &self.rows {
            write!(f, "  {:<22}", row.target.to_string())?;
            for g in Gap::ALL {
                let cell = row.get(g).map_or("-".to_string(), |v| {
                    let unit = v.unit.as_ref().map_or(String::new(), |u| format!(" {u}"));
                    format!("{}{unit} ({})", num(Some(v.value), 2), v.source.letter())
                });
                write!(f, " {cell:>17}")?;
            }
            writeln!(f)?;
        }
        writeln!(
            f,
            "  sources: C customers, M management, E employees, O operations"
        )
    }
}
