//! SERVQUAL: service quality as the gap between what customers expect and
//! what they perceive (Parasuraman, Zeithaml & Berry 1985, 1988, 1991, 1994;
//! Zeithaml, Parasuraman & Berry 1990), and its perceptions-only variant
//! SERVPERF (Cronin & Taylor 1992).
//!
//! * [`Instrument`] maps items to dimensions: the standard 22 items in five
//!   dimensions ([`Instrument::standard`]) or any custom map
//!   ([`Instrument::custom`], [`Instrument::add_dimension`]).
//! * [`analyze`] computes item and dimension gaps, the unweighted and weighted
//!   SERVQUAL scores, SERVPERF, the three-column measures (MSA, MSS, zone of
//!   tolerance), Cronbach's alpha per dimension and a priority list;
//!   [`analyze_by`] does the same per segment.
//! * [`GapModel`] puts gaps 1–4 of the five-gap model (management, employee
//!   or operational data) beside gap 5 from the customer survey.
//! * [`gap_chart`] draws expectations, perceptions and the zone of tolerance
//!   per dimension as SVG; [`simulate`] generates example data.
//!
//! ```
//! use csikit::Dataset;
//! use csikit::servqual::{analyze, Instrument, ServqualOptions, Simulation, simulate};
//!
//! let data = simulate(&Simulation::default()).unwrap();
//! let report = analyze(&data, &Instrument::standard(), &ServqualOptions::default()).unwrap();
//! assert_eq!(report.dimensions.len(), 5);
//! assert!(report.unweighted.unwrap() < 0.0); // perceptions fall short of expectations
//! println!("{report}");
//! ```

#[cfg(feature = "report")]
mod chart;
mod gaps;
mod report;
mod scores;
#[cfg(feature = "simulate")]
mod simulate;

#[cfg(feature = "report")]
pub mod text;

#[cfg(feature = "report")]
pub use chart::{gap_chart, gap_chart_in};
pub use gaps::{
    Gap, GapMeasure, GapModel, GapModelReport, GapModelRow, GapSource, GapValue, Side, Target,
};
pub use scores::{
    AlphaScores, Counts, DimensionScores, ItemScores, Priorities, Priority, PriorityBasis,
    RespondentScores, Segment, SegmentedReport, ServqualReport, Sources, ZoneCounts, analyze,
    analyze_by,
};
#[cfg(feature = "simulate")]
pub use simulate::{Simulation, simulate};

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, suggest};

/// The items of the 1988 SERVQUAL that are worded negatively (responsiveness
/// 10–13 and empathy 18–22; Parasuraman, Zeithaml & Berry 1988). Reverse-score
/// them with [`ServqualOptions::reverse_1988`].
pub const NEGATIVE_ITEMS_1988: [usize; 9] = [10, 11, 12, 13, 18, 19, 20, 21, 22];

/// A SERVQUAL dimension: one of the five of Parasuraman, Zeithaml & Berry
/// (1988), or a custom one (e.g. "network quality" in a telecom adaptation).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Physical facilities, equipment and appearance of personnel (items 1–4).
    Tangibles,
    /// Ability to perform the promised service dependably and accurately (items 5–9).
    Reliability,
    /// Willingness to help customers and provide prompt service (items 10–13).
    Responsiveness,
    /// Knowledge and courtesy of employees and their ability to inspire trust (items 14–17).
    Assurance,
    /// Caring, individualized attention to customers (items 18–22).
    Empathy,
    /// A dimension of a custom instrument.
    Custom(String),
}

impl Dimension {
    /// The five standard dimensions in the order of the 22-item instrument.
    pub const STANDARD: [Dimension; 5] = [
        Dimension::Tangibles,
        Dimension::Reliability,
        Dimension::Responsiveness,
        Dimension::Assurance,
        Dimension::Empathy,
    ];

    /// The name used in reports and in importance columns (`W_<name>`):
    /// `tangibles`, `reliability`, … or the custom name.
    pub fn name(&self) -> &str {
        match self {
            Dimension::Tangibles => "tangibles",
            Dimension::Reliability => "reliability",
            Dimension::Responsiveness => "responsiveness",
            Dimension::Assurance => "assurance",
            Dimension::Empathy => "empathy",
            Dimension::Custom(name) => name,
        }
    }

    /// A dimension from its name: the five standard names (any case) give the
    /// standard dimensions, anything else a custom one.
    ///
    /// ```
    /// use csikit::servqual::Dimension;
    /// assert_eq!(Dimension::from_name("Empathy"), Dimension::Empathy);
    /// assert_eq!(Dimension::from_name("network"), Dimension::Custom("network".into()));
    /// ```
    pub fn from_name(name: &str) -> Dimension {
        let trimmed = name.trim();
        Dimension::STANDARD
            .iter()
            .find(|d| d.name().eq_ignore_ascii_case(trimmed))
            .cloned()
            .unwrap_or_else(|| Dimension::Custom(trimmed.to_string()))
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Dimension {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One item of an instrument.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstrumentItem {
    /// 1-based position in the instrument (the item number of the standard 22).
    pub number: usize,
    /// The item's id: the column name is the source prefix followed by it
    /// (`P5`, `E5` for id `5`).
    pub id: String,
    /// Index of its dimension in [`Instrument::dimensions`].
    pub dimension: usize,
}

/// Which items measure which dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    dimensions: Vec<Dimension>,
    items: Vec<InstrumentItem>,
}

impl Instrument {
    /// The 22-item, five-dimension SERVQUAL (Parasuraman, Zeithaml & Berry
    /// 1988, 1991): items 1–4 tangibles, 5–9 reliability, 10–13
    /// responsiveness, 14–17 assurance, 18–22 empathy; item ids `1`…`22`.
    ///
    /// ```
    /// let sq = csikit::servqual::Instrument::standard();
    /// assert_eq!(sq.items().len(), 22);
    /// assert_eq!(sq.items_of(1).count(), 5); // reliability
    /// ```
    pub fn standard() -> Self {
        let sizes = [4, 5, 4, 4, 5];
        let mut items = Vec::with_capacity(22);
        for (d, &size) in sizes.iter().enumerate() {
            for _ in 0..size {
                let number = items.len() + 1;
                items.push(InstrumentItem {
                    number,
                    id: number.to_string(),
                    dimension: d,
                });
            }
        }
        Instrument {
            dimensions: Dimension::STANDARD.to_vec(),
            items,
        }
    }

    /// A custom instrument: the dimensions in report order, and each item as
    /// `(item id, dimension name)` in instrument order.
    ///
    /// ```
    /// use csikit::servqual::Instrument;
    /// // A telecom adaptation: reliability plus network quality.
    /// let inst = Instrument::custom(
    ///     &["reliability", "network quality"],
    ///     &[("r1", "reliability"), ("r2", "reliability"), ("n1", "network quality")],
    /// ).unwrap();
    /// assert_eq!(inst.dimensions()[1].name(), "network quality");
    /// ```
    ///
    /// # Errors
    /// [`Error::EmptyDimension`] if a dimension gets no item,
    /// [`Error::UnknownDimension`] if an item names an undeclared dimension,
    /// [`Error::DuplicateItem`] if an item id or dimension name repeats,
    /// [`Error::InvalidSetting`] if an id or name is empty.
    pub fn custom<D: AsRef<str>, I: AsRef<str>, S: AsRef<str>>(
        dimensions: &[D],
        items: &[(I, S)],
    ) -> Result<Self> {
        let mut dims: Vec<Dimension> = Vec::with_capacity(dimensions.len());
        for name in dimensions {
            let name = name.as_ref().trim();
            if name.is_empty() {
                return Err(Error::InvalidSetting {
                    name: "instrument".into(),
                    message: "a dimension name is empty".into(),
                });
            }
            let dim = Dimension::from_name(name);
            if dims
                .iter()
                .any(|d| d.name().eq_ignore_ascii_case(dim.name()))
            {
                return Err(Error::DuplicateItem { name: name.into() });
            }
            dims.push(dim);
        }
        let mut inst = Instrument {
            dimensions: dims,
            items: Vec::with_capacity(items.len()),
        };
        for (id, dim) in items {
            let d = inst.dimension_index(dim.as_ref())?;
            inst.push_item(id.as_ref(), d)?;
        }
        inst.check_nonempty()?;
        Ok(inst)
    }

    /// Adds a dimension measured by new items (e.g. network-quality items
    /// appended to the standard 22).
    ///
    /// ```
    /// use csikit::servqual::Instrument;
    /// let inst = Instrument::standard().add_dimension("network", &["23", "24"]).unwrap();
    /// assert_eq!(inst.items().len(), 24);
    /// assert_eq!(inst.items()[23].number, 24);
    /// ```
    ///
    /// # Errors
    /// [`Error::EmptyDimension`] for no items, [`Error::DuplicateItem`] if the
    /// dimension or an item id exists already.
    pub fn add_dimension<S: AsRef<str>>(mut self, name: &str, item_ids: &[S]) -> Result<Self> {
        let dim = Dimension::from_name(name);
        if dim.name().is_empty() {
            return Err(Error::InvalidSetting {
                name: "instrument".into(),
                message: "a dimension name is empty".into(),
            });
        }
        if self
            .dimensions
            .iter()
            .any(|d| d.name().eq_ignore_ascii_case(dim.name()))
        {
            return Err(Error::DuplicateItem {
                name: dim.name().into(),
            });
        }
        if item_ids.is_empty() {
            return Err(Error::EmptyDimension {
                dimension: dim.name().into(),
            });
        }
        self.dimensions.push(dim);
        let d = self.dimensions.len() - 1;
        for id in item_ids {
            self.push_item(id.as_ref(), d)?;
        }
        Ok(self)
    }

    /// The same instrument with new item ids, in item order (e.g. `01`…`22`
    /// for data whose columns are `a01`…`a22`).
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] if the number of ids differs from the number
    /// of items or an id is empty, [`Error::DuplicateItem`] if ids repeat.
    pub fn with_item_ids<S: AsRef<str>>(mut self, ids: &[S]) -> Result<Self> {
        if ids.len() != self.items.len() {
            return Err(Error::InvalidSetting {
                name: "item ids".into(),
                message: format!("{} ids given for {} items", ids.len(), self.items.len()),
            });
        }
        let old = std::mem::take(&mut self.items);
        for (item, id) in old.into_iter().zip(ids) {
            self.push_item(id.as_ref(), item.dimension)?;
        }
        Ok(self)
    }

    fn push_item(&mut self, id: &str, dimension: usize) -> Result<()> {
        let id = id.trim();
        if id.is_empty() {
            return Err(Error::InvalidSetting {
                name: "instrument".into(),
                message: "an item id is empty".into(),
            });
        }
        if self.items.iter().any(|it| it.id == id) {
            return Err(Error::DuplicateItem { name: id.into() });
        }
        self.items.push(InstrumentItem {
            number: self.items.len() + 1,
            id: id.into(),
            dimension,
        });
        Ok(())
    }

    fn check_nonempty(&self) -> Result<()> {
        for (d, dim) in self.dimensions.iter().enumerate() {
            if self.items_of(d).next().is_none() {
                return Err(Error::EmptyDimension {
                    dimension: dim.name().into(),
                });
            }
        }
        if self.dimensions.is_empty() {
            return Err(Error::InvalidSetting {
                name: "instrument".into(),
                message: "an instrument needs at least one dimension".into(),
            });
        }
        Ok(())
    }

    /// The dimensions in report order.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// The items in instrument order.
    pub fn items(&self) -> &[InstrumentItem] {
        &self.items
    }

    /// Indices (into [`Instrument::items`]) of the items of dimension `d`.
    pub fn items_of(&self, d: usize) -> impl Iterator<Item = usize> + '_ {
        self.items
            .iter()
            .enumerate()
            .filter(move |(_, it)| it.dimension == d)
            .map(|(i, _)| i)
    }

    /// Index of the item with this id.
    ///
    /// # Errors
    /// [`Error::UnknownItem`] (with near matches) if there is none.
    pub fn item_index(&self, id: &str) -> Result<usize> {
        let id = id.trim();
        self.items
            .iter()
            .position(|it| it.id == id)
            .ok_or_else(|| Error::UnknownItem {
                item: id.into(),
                suggestions: suggest(id, self.items.iter().map(|it| it.id.as_str())),
            })
    }

    /// Parses an item list such as `"10-13,18-22"` (see [`parse_items`])
    /// against this instrument: every id must be one of its items, and a
    /// range is checked before it is expanded, so `1-1000000000` costs
    /// nothing.
    ///
    /// ```
    /// use csikit::servqual::Instrument;
    /// let sq = Instrument::standard();
    /// assert_eq!(sq.parse_items("2-4, 22").unwrap(), ["2", "3", "4", "22"]);
    /// assert!(sq.parse_items("20-30").is_err()); // items 23..30 do not exist
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for an empty token, a descending range or a
    /// range with more ids than the instrument has items;
    /// [`Error::UnknownItem`] for an id that is not an item.
    pub fn parse_items(&self, spec: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for t in item_tokens(spec)? {
            match t {
                ItemToken::Id(id) => {
                    self.item_index(id)?;
                    out.push(id.to_string());
                }
                ItemToken::Range(a, b) => {
                    let len = (b - a).saturating_add(1);
                    if len > self.items.len() {
                        return Err(Error::InvalidSetting {
                            name: "items".into(),
                            message: format!(
                                "range {a}-{b} spans {len} items, but the instrument has {} (ids {})",
                                self.items.len(),
                                self.id_summary()
                            ),
                        });
                    }
                    for i in a..=b {
                        let id = i.to_string();
                        self.item_index(&id)?;
                        out.push(id);
                    }
                }
            }
        }
        Ok(out)
    }

    /// `1 to 22`: the first and last ids.
    fn id_summary(&self) -> String {
        let first = self.items.first().map_or("", |it| it.id.as_str());
        let last = self.items.last().map_or("", |it| it.id.as_str());
        format!("{first} to {last}")
    }

    /// Index of the dimension with this name (case-insensitive).
    ///
    /// # Errors
    /// [`Error::UnknownDimension`] (with near matches) if there is none.
    pub fn dimension_index(&self, name: &str) -> Result<usize> {
        let name = name.trim();
        self.dimensions
            .iter()
            .position(|d| d.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::UnknownDimension {
                dimension: name.into(),
                suggestions: suggest(name, self.dimensions.iter().map(Dimension::name)),
            })
    }
}

/// The bounds of the answer scale (1–7 for the 1988 SERVQUAL, 1–9 for the
/// three-column format of 1994, 0–100 for some adaptations).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scale {
    min: f64,
    max: f64,
}

impl Scale {
    /// The 7-point scale 1–7 (Parasuraman, Zeithaml & Berry 1988).
    pub const SEVEN_POINT: Scale = Scale { min: 1.0, max: 7.0 };
    /// The 9-point scale 1–9 of the three-column format (Parasuraman, Zeithaml & Berry 1994).
    pub const NINE_POINT: Scale = Scale { min: 1.0, max: 9.0 };

    /// A scale from `min` to `max`.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] unless both are finite and `min < max`.
    pub fn new(min: f64, max: f64) -> Result<Self> {
        if !(min.is_finite() && max.is_finite() && min < max) {
            return Err(Error::InvalidSetting {
                name: "scale".into(),
                message: format!("needs finite bounds with min < max, got {min}:{max}"),
            });
        }
        Ok(Scale { min, max })
    }

    /// The lowest answer.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// The highest answer.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Whether `x` lies on the scale (inclusive).
    pub fn contains(&self, x: f64) -> bool {
        x >= self.min && x <= self.max
    }

    /// Reverse scoring of a negatively worded item: `min + max − x`
    /// (8 − x on the 1–7 scale).
    ///
    /// ```
    /// assert_eq!(csikit::servqual::Scale::SEVEN_POINT.reverse(2.0), 6.0);
    /// ```
    pub fn reverse(&self, x: f64) -> f64 {
        self.min + self.max - x
    }
}

impl Default for Scale {
    fn default() -> Self {
        Scale::SEVEN_POINT
    }
}

/// Column-name prefixes of the answer sources; an item's column is the prefix
/// followed by the item id (`P1`, `E1`, …), an importance column the weight
/// prefix followed by the dimension name (`W_tangibles`). A source whose prefix
/// is `None` is ignored; an optional source none of whose columns is in the
/// data is absent, and one with only some of its columns is an error. In
/// JSON a missing field takes its default and `null` ignores the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Columns {
    /// Perceptions (required). Default `P`.
    pub perception: String,
    /// Expectations. Default `E`.
    pub expectation: Option<String>,
    /// Adequate service level (three-column format). Default `A`.
    pub adequate: Option<String>,
    /// Desired service level (three-column format). Default `D`.
    pub desired: Option<String>,
    /// 100-point importance allocation per dimension. Default `W_`.
    pub weight: Option<String>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            perception: "P".into(),
            expectation: Some("E".into()),
            adequate: Some("A".into()),
            desired: Some("D".into()),
            weight: Some("W_".into()),
        }
    }
}

impl Columns {
    /// Perceptions only (SERVPERF data), columns `<prefix><item id>`.
    pub fn perceptions_only(prefix: &str) -> Self {
        Columns {
            perception: prefix.into(),
            expectation: None,
            adequate: None,
            desired: None,
            weight: None,
        }
    }
}

/// What to do with a respondent whose importance points do not sum to 100
/// (beyond [`ServqualOptions::weight_tolerance`]). Every such respondent is
/// counted in [`Counts::weights_off`] whatever the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightPolicy {
    /// Divide the points by their sum instead of 100 (counted in
    /// [`Counts::weights_rescaled`]); a zero sum leaves the respondent out of
    /// the weighted score (counted in [`Counts::weights_excluded`]).
    #[default]
    Normalize,
    /// Leave the respondent out of the weighted score (counted in
    /// [`Counts::weights_excluded`]).
    Exclude,
    /// Fail with [`Error::ImportancePoints`].
    Strict,
}

/// Settings of [`analyze`].
#[derive(Debug, Clone, PartialEq)]
pub struct ServqualOptions {
    /// Answer-scale bounds; every answer must lie within. Default 1–7.
    pub scale: Scale,
    /// Ids of the negatively worded items to reverse-score (`min + max − x`)
    /// in every source (E, P, A, D). Default none.
    pub reverse: Vec<String>,
    /// Column names.
    pub columns: Columns,
    /// Policy for importance points that do not sum to 100.
    pub weight_policy: WeightPolicy,
    /// How far (in points) a sum may be from 100 and still count as 100. Default 0.5.
    pub weight_tolerance: f64,
}

impl Default for ServqualOptions {
    fn default() -> Self {
        ServqualOptions {
            scale: Scale::SEVEN_POINT,
            reverse: Vec::new(),
            columns: Columns::default(),
            weight_policy: WeightPolicy::Normalize,
            weight_tolerance: 0.5,
        }
    }
}

impl ServqualOptions {
    /// Sets the answer scale.
    pub fn scale(mut self, scale: Scale) -> Self {
        self.scale = scale;
        self
    }

    /// Sets the items to reverse-score (by id).
    pub fn reverse<S: AsRef<str>>(mut self, ids: &[S]) -> Self {
        self.reverse = ids.iter().map(|s| s.as_ref().trim().to_string()).collect();
        self
    }

    /// Reverse-scores the negatively worded items of the 1988 version
    /// ([`NEGATIVE_ITEMS_1988`]).
    pub fn reverse_1988(mut self) -> Self {
        self.reverse = NEGATIVE_ITEMS_1988.iter().map(|i| i.to_string()).collect();
        self
    }

    /// Sets the column names.
    pub fn columns(mut self, columns: Columns) -> Self {
        self.columns = columns;
        self
    }

    /// Sets the policy for importance points that do not sum to 100.
    pub fn weight_policy(mut self, policy: WeightPolicy) -> Self {
        self.weight_policy = policy;
        self
    }

    /// Sets the tolerance (in points) around 100.
    pub fn weight_tolerance(mut self, points: f64) -> Self {
        self.weight_tolerance = points;
        self
    }
}

/// The longest numeric range [`parse_items`] expands without an instrument
/// (10 000 ids): longer ranges are refused before anything is allocated.
pub const MAX_ITEM_RANGE: usize = 10_000;

/// One token of an item list: an id, or an inclusive numeric range.
enum ItemToken<'a> {
    Id(&'a str),
    Range(usize, usize),
}

/// Splits an item list into tokens, refusing empty and backward entries.
fn item_tokens(spec: &str) -> Result<Vec<ItemToken<'_>>> {
    let mut out = Vec::new();
    for token in spec.split(',').map(str::trim) {
        let bad = |message: String| Error::InvalidSetting {
            name: "items".into(),
            message,
        };
        if token.is_empty() {
            return Err(bad(format!("empty entry in item list `{spec}`")));
        }
        let range = token.split_once('-').and_then(|(a, b)| {
            Some((
                a.trim().parse::<usize>().ok()?,
                b.trim().parse::<usize>().ok()?,
            ))
        });
        match range {
            Some((a, b)) if a <= b => out.push(ItemToken::Range(a, b)),
            Some((a, b)) => return Err(bad(format!("range {a}-{b} runs backwards"))),
            None => out.push(ItemToken::Id(token)),
        }
    }
    Ok(out)
}

/// Parses an item list such as `"10-13,18-22"` into item ids
/// (`["10", "11", "12", "13", "18", …]`). Tokens that are not numeric ranges
/// are kept as ids (`"n1,n2"`). Without an instrument to check against, a
/// range may span at most [`MAX_ITEM_RANGE`] ids; prefer
/// [`Instrument::parse_items`], which checks every id.
///
/// ```
/// let ids = csikit::servqual::parse_items("1-3, 7").unwrap();
/// assert_eq!(ids, ["1", "2", "3", "7"]);
/// ```
///
/// # Errors
/// [`Error::InvalidSetting`] for an empty token, a descending range or a
/// range longer than [`MAX_ITEM_RANGE`] (checked before expanding).
pub fn parse_items(spec: &str) -> Result<Vec<String>> {
    let tokens = item_tokens(spec)?;
    let mut out = Vec::new();
    for t in tokens {
        match t {
            ItemToken::Id(id) => out.push(id.to_string()),
            ItemToken::Range(a, b) => {
                if b - a >= MAX_ITEM_RANGE {
                    return Err(Error::InvalidSetting {
                        name: "items".into(),
                        message: format!(
                            "range {a}-{b} spans {} items; an item list range may span at most {MAX_ITEM_RANGE}",
                            (b - a).saturating_add(1)
                        ),
                    });
                }
                out.extend((a..=b).map(|i| i.to_string()));
            }
        }
    }
    Ok(out)
}
