//! The SERVQUAL scores: item and dimension gaps, overall scores, the
//! three-column measures, reliability and priorities.

use serde::Serialize;

use super::{Instrument, Scale, ServqualOptions, WeightPolicy};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::stats::cronbach_alpha_columns;

/// Which answer sources the data held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sources {
    /// Perceptions (always).
    pub perception: bool,
    /// Expectations: gaps P − E.
    pub expectation: bool,
    /// Adequate service level: MSA = P − A.
    pub adequate: bool,
    /// Desired service level: MSS = P − D.
    pub desired: bool,
    /// Importance points per dimension.
    pub weights: bool,
}

/// Counts of answers relative to the zone of tolerance [adequate, desired]
/// (Zeithaml, Parasuraman & Berry 1993; Parasuraman, Zeithaml & Berry 1994),
/// one per respondent × item with A, D and P all answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ZoneCounts {
    /// P < A: service below the adequate level.
    pub below: usize,
    /// A ≤ P ≤ D.
    pub within: usize,
    /// P > D: service above the desired level.
    pub above: usize,
    /// A > D: an inverted zone, not classified.
    pub inverted: usize,
}

impl ZoneCounts {
    fn add(&mut self, other: &ZoneCounts) {
        self.below += other.below;
        self.within += other.within;
        self.above += other.above;
        self.inverted += other.inverted;
    }
}

/// Cronbach's alpha (Cronbach 1951) of a dimension's items, listwise over the
/// respondents who answered all of them; `None` for a one-item dimension, fewer
/// than two complete respondents, an absent source or zero variance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct AlphaScores {
    /// Alpha of the perception items.
    pub perception: Option<f64>,
    /// Respondents used for it.
    pub perception_rows: usize,
    /// Alpha of the expectation items.
    pub expectation: Option<f64>,
    /// Respondents used for it.
    pub expectation_rows: usize,
    /// Alpha of the item gaps P − E (as in Parasuraman, Zeithaml & Berry 1988).
    pub gap: Option<f64>,
    /// Respondents used for it.
    pub gap_rows: usize,
}

/// Scores of one item. Means are over the respondents who answered
/// (`n_*`); the gap is the mean of the paired differences P − E over the
/// respondents who answered both, so it can differ from `perception −
/// expectation` when answers are missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScores {
    /// 1-based item number in the instrument.
    pub item: usize,
    /// Item id (column suffix).
    pub id: String,
    /// Dimension name.
    pub dimension: String,
    /// Whether the item was reverse-scored.
    pub reversed: bool,
    /// Mean expectation (`None` without E columns).
    pub expectation: Option<f64>,
    /// Mean perception.
    pub perception: Option<f64>,
    /// Mean gap P − E.
    pub gap: Option<f64>,
    /// Mean adequate level.
    pub adequate: Option<f64>,
    /// Mean desired level.
    pub desired: Option<f64>,
    /// Measure of service adequacy, mean of P − A.
    pub msa: Option<f64>,
    /// Measure of service superiority, mean of P − D.
    pub mss: Option<f64>,
    /// Tolerance-zone width, mean of D − A.
    pub tolerance_width: Option<f64>,
    /// Answers below, within and above the zone of tolerance.
    pub zone: Option<ZoneCounts>,
    /// Respondents who answered E.
    pub n_expectation: usize,
    /// Respondents who answered P.
    pub n_perception: usize,
    /// Respondents who answered both P and E.
    pub n_gap: usize,
}

/// Scores of one dimension. Each respondent's dimension score is the mean of
/// the items of the dimension that respondent answered; a respondent who
/// answered none is left out of that mean (`n_*` counts those kept).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionScores {
    /// Dimension name.
    pub name: String,
    /// Number of items.
    pub items: usize,
    /// Mean expectation.
    pub expectation: Option<f64>,
    /// Mean perception.
    pub perception: Option<f64>,
    /// Mean dimension gap (each respondent: mean of the item gaps answered).
    pub gap: Option<f64>,
    /// Mean importance weight (points / 100, or / their sum when rescaled).
    pub weight: Option<f64>,
    /// Mean adequate level.
    pub adequate: Option<f64>,
    /// Mean desired level.
    pub desired: Option<f64>,
    /// Mean MSA (P − A).
    pub msa: Option<f64>,
    /// Mean MSS (P − D).
    pub mss: Option<f64>,
    /// Mean tolerance-zone width (D − A).
    pub tolerance_width: Option<f64>,
    /// Zone counts summed over the dimension's items.
    pub zone: Option<ZoneCounts>,
    /// Respondents with an expectation score.
    pub n_expectation: usize,
    /// Respondents with a perception score.
    pub n_perception: usize,
    /// Respondents with a gap score.
    pub n_gap: usize,
    /// Respondents with usable importance points.
    pub n_weight: usize,
    /// Cronbach's alpha.
    pub alpha: AlphaScores,
}

/// One respondent's scores (`None` where not defined).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RespondentScores {
    /// 1-based row of the analysed data (within the segment for a segment's report).
    pub row: usize,
    /// Dimension gaps (mean of the item gaps answered), in dimension order.
    pub dimension_gaps: Vec<Option<f64>>,
    /// Dimension perceptions (mean of the items answered).
    pub dimension_perceptions: Vec<Option<f64>>,
    /// Dimension expectations (mean of the items answered).
    pub dimension_expectations: Vec<Option<f64>>,
    /// Importance weights used (summing to 1), if usable.
    pub weights: Option<Vec<f64>>,
    /// Mean of the dimension gaps (needs every dimension).
    pub unweighted: Option<f64>,
    /// Mean of the item gaps answered.
    pub unweighted_items: Option<f64>,
    /// Σ weight × dimension gap (needs every dimension and usable weights).
    pub weighted: Option<f64>,
    /// Mean of the dimension perceptions (needs every dimension).
    pub servperf: Option<f64>,
    /// Mean of the item perceptions answered.
    pub servperf_items: Option<f64>,
    /// Σ weight × dimension perception.
    pub servperf_weighted: Option<f64>,
}

/// How many respondents each overall score uses, and what happened to the
/// importance points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Respondents in [`ServqualReport::unweighted`] (a gap in every dimension).
    pub unweighted: usize,
    /// Respondents in [`ServqualReport::unweighted_items`] (at least one item gap).
    pub unweighted_items: usize,
    /// Respondents in [`ServqualReport::weighted`].
    pub weighted: usize,
    /// Respondents in [`ServqualReport::servperf`] (a perception in every dimension).
    pub servperf: usize,
    /// Respondents in [`ServqualReport::servperf_items`].
    pub servperf_items: usize,
    /// Respondents with a missing importance entry (left out of weighted scores).
    pub weights_missing: usize,
    /// Respondents whose points are off 100 by more than the tolerance.
    pub weights_off: usize,
    /// Of those, rescaled to their sum ([`WeightPolicy::Normalize`]).
    pub weights_rescaled: usize,
    /// Of those, left out of the weighted scores.
    pub weights_excluded: usize,
}

/// What a priority's shortfall is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PriorityBasis {
    /// Shortfall = E − P (the SERVQUAL gap, negated).
    Expectation,
    /// Shortfall = D − P (the MSS, negated), used when there are no expectations.
    Desired,
}

/// One entry of a priority list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priority {
    /// 1-based rank (1 = act first).
    pub rank: usize,
    /// Dimension name, or the item id for item priorities.
    pub name: String,
    /// The dimension.
    pub dimension: String,
    /// Item number for item priorities.
    pub item: Option<usize>,
    /// Importance weight (mean points / 100 of the dimension, or 1/k without points).
    pub weight: f64,
    /// Shortfall: expectation (or desired level) minus perception.
    pub shortfall: f64,
    /// weight × shortfall.
    pub score: f64,
}

/// Dimensions and items ranked by importance-weighted shortfall.
///
/// Ranking rule: score = w × s, where s is the mean shortfall (E − P, or
/// D − P without expectations) and w the dimension's mean importance weight
/// (points / 100) or 1/k for k dimensions without importance points (then the
/// ranking is by shortfall). An item takes its dimension's weight. Sorted by
/// score, highest first; ties by larger shortfall, then instrument order.
/// A negative score means perceptions exceed the benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priorities {
    /// What the shortfall is measured against (`None`: neither E nor D, no list).
    pub basis: Option<PriorityBasis>,
    /// Whether importance points weight the shortfalls.
    pub importance_weighted: bool,
    /// Dimensions, highest priority first.
    pub dimensions: Vec<Priority>,
    /// Items, highest priority first.
    pub items: Vec<Priority>,
}

/// The result of [`analyze`]. Serializes to the JSON of the `servqual`
/// example; `Display` gives a readable report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServqualReport {
    /// Respondents (data rows).
    pub n: usize,
    /// Answer scale.
    pub scale: Scale,
    /// Sources found.
    pub sources: Sources,
    /// Reverse-scored item ids.
    pub reversed: Vec<String>,
    /// Per dimension.
    pub dimensions: Vec<DimensionScores>,
    /// Per item.
    pub items: Vec<ItemScores>,
    /// Unweighted SERVQUAL: mean over respondents of the mean of the dimension
    /// gaps (Parasuraman, Zeithaml & Berry 1988, 1991).
    pub unweighted: Option<f64>,
    /// Item variant of the unweighted score: mean over respondents of the mean
    /// of all item gaps answered (equals `unweighted` only when dimensions
    /// have equal numbers of items and nothing is missing).
    pub unweighted_items: Option<f64>,
    /// Weighted SERVQUAL: mean over respondents of Σ_d (points_d / 100) ·
    /// gap_d (Parasuraman, Zeithaml & Berry 1991; Zeithaml, Parasuraman & Berry 1990).
    pub weighted: Option<f64>,
    /// SERVPERF: mean over respondents of the mean of the dimension
    /// perceptions (perceptions only; Cronin & Taylor 1992).
    pub servperf: Option<f64>,
    /// SERVPERF item variant: mean over respondents of the mean of all item
    /// perceptions answered (Cronin & Taylor's average of the 22 items).
    pub servperf_items: Option<f64>,
    /// Importance-weighted SERVPERF: mean of Σ_d (points_d / 100) · P_d
    /// (Cronin & Taylor 1992).
    pub servperf_weighted: Option<f64>,
    /// Mean over respondents of the mean dimension MSA (needs every dimension).
    pub msa: Option<f64>,
    /// Mean over respondents of the mean dimension MSS.
    pub mss: Option<f64>,
    /// Zone counts over all answers (`None` without A and D).
    pub zone: Option<ZoneCounts>,
    /// Respondents behind each score; fate of the importance points.
    pub counts: Counts,
    /// Priority list.
    pub priorities: Priorities,
    /// Every respondent's scores (not serialized; serialize them separately if needed).
    #[serde(skip)]
    pub respondents: Vec<RespondentScores>,
}

/// One segment's report in [`SegmentedReport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// The segment's label.
    pub label: String,
    /// Its analysis.
    pub report: ServqualReport,
}

/// The result of [`analyze_by`]: the whole sample (its fields serialize at
/// the top level, as in [`ServqualReport`]) and every segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentedReport {
    /// The whole sample.
    #[serde(flatten)]
    pub overall: ServqualReport,
    /// The segment column.
    pub segment_column: String,
    /// Rows with no segment label (in the overall report only).
    pub unlabelled: usize,
    /// Segments in label order (numeric when every label is a number).
    pub segments: Vec<Segment>,
}

/// Mean and count of the non-missing values.
fn mean_n(values: impl Iterator<Item = f64>) -> (Option<f64>, usize) {
    let (mut sum, mut n) = (0.0, 0usize);
    for v in values.filter(|v| !v.is_nan()) {
        sum += v;
        n += 1;
    }
    ((n > 0).then(|| sum / n as f64), n)
}

fn nan_to_none(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// Item columns of one source, validated against the scale and reverse-scored.
/// `Ok(None)` if the source is optional and none of its columns exists.
fn load_items(
    data: &Dataset,
    instrument: &Instrument,
    prefix: &str,
    required: bool,
    scale: Scale,
    reversed: &[bool],
) -> Result<Option<Vec<Vec<f64>>>> {
    let names: Vec<String> = instrument
        .items()
        .iter()
        .map(|it| format!("{prefix}{}", it.id))
        .collect();
    if !required && !names.iter().any(|c| data.has_column(c)) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let col = data.numeric(name)?;
        let mut values = Vec::with_capacity(col.len());
        for (r, &x) in col.iter().enumerate() {
            if !x.is_nan() && !scale.contains(x) {
                return Err(Error::OutOfScale {
                    column: name.clone(),
                    row: r + 1,
                    value: x,
                    min: scale.min(),
                    max: scale.max(),
                });
            }
            values.push(if reversed[i] { scale.reverse(x) } else { x });
        }
        out.push(values);
    }
    Ok(Some(out))
}

/// Per respondent, the weights (summing to 1) or `None`; updates the counts.
fn load_weights(
    data: &Dataset,
    instrument: &Instrument,
    options: &ServqualOptions,
    counts: &mut Counts,
) -> Result<Option<Vec<Option<Vec<f64>>>>> {
    let Some(prefix) = &options.columns.weight else {
        return Ok(None);
    };
    let names: Vec<String> = instrument
        .dimensions()
        .iter()
        .map(|d| format!("{prefix}{}", d.name()))
        .collect();
    if !names.iter().any(|c| data.has_column(c)) {
        return Ok(None);
    }
    let cols = names
        .iter()
        .map(|c| data.numeric(c))
        .collect::<Result<Vec<_>>>()?;
    let tol = options.weight_tolerance;
    let mut out = Vec::with_capacity(data.n_rows());
    for r in 0..data.n_rows() {
        let points: Vec<f64> = cols.iter().map(|c| c[r]).collect();
        if points.iter().any(|p| p.is_nan()) {
            counts.weights_missing += 1;
            out.push(None);
            continue;
        }
        let sum: f64 = points.iter().sum();
        if let Some((j, bad)) = points
            .iter()
            .enumerate()
            .find(|(_, p)| !(p.is_finite() && **p >= 0.0))
        {
            return Err(Error::ImportancePoints {
                row: r + 1,
                sum,
                problem: format!(
                    "hold {bad} in `{}`; points must be finite and not negative",
                    names[j]
                ),
            });
        }
        if (sum - 100.0).abs() <= tol {
            out.push(Some(points.iter().map(|p| p / 100.0).collect()));
            continue;
        }
        counts.weights_off += 1;
        match options.weight_policy {
            WeightPolicy::Strict => {
                return Err(Error::ImportancePoints {
                    row: r + 1,
                    sum,
                    problem: format!("sum to {sum}, not 100 (tolerance {tol})"),
                });
            }
            WeightPolicy::Normalize if sum > 0.0 => {
                counts.weights_rescaled += 1;
                out.push(Some(points.iter().map(|p| p / sum).collect()));
            }
            _ => {
                counts.weights_excluded += 1;
                out.push(None);
            }
        }
    }
    Ok(Some(out))
}

/// Per dimension and respondent: the mean over the dimension's items of the
/// non-missing entries of `mat` (item × respondent), `NaN` if none.
fn dimension_means(mat: &[Vec<f64>], instrument: &Instrument, n: usize) -> Vec<Vec<f64>> {
    (0..instrument.dimensions().len())
        .map(|d| {
            let items: Vec<usize> = instrument.items_of(d).collect();
            (0..n)
                .map(|r| {
                    mean_n(items.iter().map(|&i| mat[i][r]))
                        .0
                        .unwrap_or(f64::NAN)
                })
                .collect()
        })
        .collect()
}

/// Element-wise `a − b` of two item × respondent matrices (`NaN` propagates).
fn diff(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| p - q).collect())
        .collect()
}

/// Mean over the dimensions of one respondent's scores; `NaN` unless all are present.
fn mean_all(dims: &[Vec<f64>], r: usize) -> f64 {
    if dims.iter().any(|d| d[r].is_nan()) {
        return f64::NAN;
    }
    dims.iter().map(|d| d[r]).sum::<f64>() / dims.len() as f64
}

fn weighted_sum(dims: &[Vec<f64>], w: Option<&Vec<f64>>, r: usize) -> f64 {
    match w {
        Some(w) if dims.iter().all(|d| !d[r].is_nan()) => {
            dims.iter().zip(w).map(|(d, w)| w * d[r]).sum()
        }
        _ => f64::NAN,
    }
}

fn zone_of(a: &[f64], d: &[f64], p: &[f64]) -> ZoneCounts {
    let mut z = ZoneCounts::default();
    for ((&a, &d), &p) in a.iter().zip(d).zip(p) {
        if a.is_nan() || d.is_nan() || p.is_nan() {
            continue;
        }
        if a > d {
            z.inverted += 1;
        } else if p < a {
            z.below += 1;
        } else if p > d {
            z.above += 1;
        } else {
            z.within += 1;
        }
    }
    z
}

fn alpha_of(mat: Option<&Vec<Vec<f64>>>, items: &[usize]) -> (Option<f64>, usize) {
    match mat {
        Some(m) => {
            let cols: Vec<&[f64]> = items.iter().map(|&i| m[i].as_slice()).collect();
            cronbach_alpha_columns(&cols)
        }
        None => (None, 0),
    }
}

/// Analyzes SERVQUAL data: item gaps P − E, dimension gaps per respondent
/// and overall, the unweighted, item-variant and weighted SERVQUAL scores,
/// SERVPERF, the three-column measures (MSA, MSS, tolerance-zone width, zone
/// counts), Cronbach's alpha per dimension and a priority list.
///
/// Missing answers (`NaN`) are allowed: see [`DimensionScores`] and
/// [`Counts`] for what is left out of which mean. Importance points are
/// handled by [`ServqualOptions::weight_policy`].
///
/// ```
/// use csikit::Dataset;
/// use csikit::servqual::{analyze, Instrument, ServqualOptions};
///
/// // Two dimensions with one item each, two respondents.
/// let inst = Instrument::custom(&["speed", "care"], &[("1", "speed"), ("2", "care")]).unwrap();
/// let data = Dataset::from_columns(vec![
///     ("E1", vec![7.0, 6.0]), ("P1", vec![5.0, 6.0]),
///     ("E2", vec![6.0, 6.0]), ("P2", vec![6.0, 7.0]),
/// ]).unwrap();
/// let r = analyze(&data, &inst, &ServqualOptions::default()).unwrap();
/// assert_eq!(r.dimensions[0].gap, Some(-1.0)); // (−2 + 0) / 2
/// assert_eq!(r.unweighted, Some(-0.25));       // mean of (−2+0)/2 and (0+1)/2
/// ```
///
/// # Errors
/// [`Error::EmptyData`] for no rows; [`Error::UnknownColumn`] for a missing
/// perception column or one missing column of a source that is otherwise
/// present; [`Error::NonNumeric`] for text in an item column;
/// [`Error::OutOfScale`] for an answer off the scale; [`Error::UnknownItem`]
/// for a reverse-scored item not in the instrument; [`Error::ImportancePoints`]
/// for negative points or, under [`WeightPolicy::Strict`], sums off 100;
/// [`Error::InvalidSetting`] for a negative or non-finite tolerance.
pub fn analyze(
    data: &Dataset,
    instrument: &Instrument,
    options: &ServqualOptions,
) -> Result<ServqualReport> {
    if !(options.weight_tolerance.is_finite() && options.weight_tolerance >= 0.0) {
        return Err(Error::InvalidSetting {
            name: "weight_tolerance".into(),
            message: format!(
                "must be a finite number ≥ 0, got {}",
                options.weight_tolerance
            ),
        });
    }
    let mut reversed = vec![false; instrument.items().len()];
    for id in &options.reverse {
        reversed[instrument.item_index(id)?] = true;
    }
    let n = data.n_rows();
    if n == 0 {
        return Err(Error::EmptyData {
            context: String::new(),
        });
    }
    let scale = options.scale;
    let cols = &options.columns;
    let load = |prefix: &Option<String>| -> Result<Option<Vec<Vec<f64>>>> {
        match prefix {
            Some(p) => load_items(data, instrument, p, false, scale, &reversed),
            None => Ok(None),
        }
    };
    let p =
        load_items(data, instrument, &cols.perception, true, scale, &reversed)?.unwrap_or_default();
    let e = load(&cols.expectation)?;
    let a = load(&cols.adequate)?;
    let d = load(&cols.desired)?;
    let mut counts = Counts::default();
    let w = load_weights(data, instrument, options, &mut counts)?;

    let gap = e.as_ref().map(|e| diff(&p, e));
    let msa = a.as_ref().map(|a| diff(&p, a));
    let mss = d.as_ref().map(|d| diff(&p, d));
    let width = match (&a, &d) {
        (Some(a), Some(d)) => Some(diff(d, a)),
        _ => None,
    };

    // Items.
    let col_mean = |m: &Option<Vec<Vec<f64>>>, i: usize| -> (Option<f64>, usize) {
        m.as_ref()
            .map_or((None, 0), |m| mean_n(m[i].iter().copied()))
    };
    let items: Vec<ItemScores> = instrument
        .items()
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let (perception, n_perception) = mean_n(p[i].iter().copied());
            let (expectation, n_expectation) = col_mean(&e, i);
            let (gap_mean, n_gap) = col_mean(&gap, i);
            let zone = match (&a, &d) {
                (Some(a), Some(d)) => Some(zone_of(&a[i], &d[i], &p[i])),
                _ => None,
            };
            ItemScores {
                item: it.number,
                id: it.id.clone(),
                dimension: instrument.dimensions()[it.dimension].name().to_string(),
                reversed: reversed[i],
                expectation,
                perception,
                gap: gap_mean,
                adequate: col_mean(&a, i).0,
                desired: col_mean(&d, i).0,
                msa: col_mean(&msa, i).0,
                mss: col_mean(&mss, i).0,
                tolerance_width: col_mean(&width, i).0,
                zone,
                n_expectation,
                n_perception,
                n_gap,
            }
        })
        .collect();

    // Dimensions per respondent.
    let by_dim = |m: &Option<Vec<Vec<f64>>>| m.as_ref().map(|m| dimension_means(m, instrument, n));
    let dim_p = dimension_means(&p, instrument, n);
    let dim_e = by_dim(&e);
    let dim_gap = by_dim(&gap);
    let dim_a = by_dim(&a);
    let dim_d = by_dim(&d);
    let dim_msa = by_dim(&msa);
    let dim_mss = by_dim(&mss);
    let dim_width = by_dim(&width);

    let k = instrument.dimensions().len();
    let row_mean = |m: &Option<Vec<Vec<f64>>>, dd: usize| -> (Option<f64>, usize) {
        m.as_ref()
            .map_or((None, 0), |m| mean_n(m[dd].iter().copied()))
    };
    let weight_means: Vec<(Option<f64>, usize)> = (0..k)
        .map(|dd| match &w {
            Some(w) => mean_n(w.iter().map(|row| row.as_ref().map_or(f64::NAN, |v| v[dd]))),
            None => (None, 0),
        })
        .collect();
    let dimensions: Vec<DimensionScores> = instrument
        .dimensions()
        .iter()
        .enumerate()
        .map(|(dd, dim)| {
            let members: Vec<usize> = instrument.items_of(dd).collect();
            let (perception, n_perception) = mean_n(dim_p[dd].iter().copied());
            let (expectation, n_expectation) = row_mean(&dim_e, dd);
            let (gap_mean, n_gap) = row_mean(&dim_gap, dd);
            let zone = items[members[0]].zone.map(|_| {
                let mut z = ZoneCounts::default();
                for &i in &members {
                    if let Some(zi) = &items[i].zone {
                        z.add(zi);
                    }
                }
                z
            });
            let (ap, apr) = alpha_of(Some(&p), &members);
            let (ae, aer) = alpha_of(e.as_ref(), &members);
            let (ag, agr) = alpha_of(gap.as_ref(), &members);
            DimensionScores {
                name: dim.name().to_string(),
                items: members.len(),
                expectation,
                perception,
                gap: gap_mean,
                weight: weight_means[dd].0,
                adequate: row_mean(&dim_a, dd).0,
                desired: row_mean(&dim_d, dd).0,
                msa: row_mean(&dim_msa, dd).0,
                mss: row_mean(&dim_mss, dd).0,
                tolerance_width: row_mean(&dim_width, dd).0,
                zone,
                n_expectation,
                n_perception,
                n_gap,
                n_weight: weight_means[dd].1,
                alpha: AlphaScores {
                    perception: ap,
                    perception_rows: apr,
                    expectation: ae,
                    expectation_rows: aer,
                    gap: ag,
                    gap_rows: agr,
                },
            }
        })
        .collect();

    // Respondents.
    let per_dim = |m: &Option<Vec<Vec<f64>>>, r: usize| -> Vec<Option<f64>> {
        m.as_ref().map_or_else(
            || vec![None; k],
            |m| m.iter().map(|d| nan_to_none(d[r])).collect(),
        )
    };
    let mut respondents = Vec::with_capacity(n);
    let mut msa_rows = Vec::with_capacity(n);
    let mut mss_rows = Vec::with_capacity(n);
    for r in 0..n {
        let weights = w.as_ref().and_then(|w| w[r].clone());
        let (unweighted, unweighted_items, weighted) = match (&dim_gap, &gap) {
            (Some(dg), Some(g)) => (
                nan_to_none(mean_all(dg, r)),
                mean_n(g.iter().map(|c| c[r])).0,
                nan_to_none(weighted_sum(dg, weights.as_ref(), r)),
            ),
            _ => (None, None, None),
        };
        msa_rows.push(dim_msa.as_ref().map_or(f64::NAN, |m| mean_all(m, r)));
        mss_rows.push(dim_mss.as_ref().map_or(f64::NAN, |m| mean_all(m, r)));
        respondents.push(RespondentScores {
            row: r + 1,
            dimension_gaps: per_dim(&dim_gap, r),
            dimension_perceptions: dim_p.iter().map(|d| nan_to_none(d[r])).collect(),
            dimension_expectations: per_dim(&dim_e, r),
            unweighted,
            unweighted_items,
            weighted,
            servperf: nan_to_none(mean_all(&dim_p, r)),
            servperf_items: mean_n(p.iter().map(|c| c[r])).0,
            servperf_weighted: nan_to_none(weighted_sum(&dim_p, weights.as_ref(), r)),
            weights,
        });
    }
    let overall = |f: fn(&RespondentScores) -> Option<f64>| -> (Option<f64>, usize) {
        mean_n(respondents.iter().map(|s| f(s).unwrap_or(f64::NAN)))
    };
    let (unweighted, n_unweighted) = overall(|s| s.unweighted);
    let (unweighted_items, n_unweighted_items) = overall(|s| s.unweighted_items);
    let (weighted, n_weighted) = overall(|s| s.weighted);
    let (servperf, n_servperf) = overall(|s| s.servperf);
    let (servperf_items, n_servperf_items) = overall(|s| s.servperf_items);
    let (servperf_weighted, _) = overall(|s| s.servperf_weighted);
    counts.unweighted = n_unweighted;
    counts.unweighted_items = n_unweighted_items;
    counts.weighted = n_weighted;
    counts.servperf = n_servperf;
    counts.servperf_items = n_servperf_items;

    let zone = dimensions.first().and_then(|d| d.zone).map(|_| {
        let mut z = ZoneCounts::default();
        for dz in dimensions.iter().filter_map(|d| d.zone.as_ref()) {
            z.add(dz);
        }
        z
    });
    let priorities = rank_priorities(&dimensions, &items, instrument, w.is_some());

    Ok(ServqualReport {
        n,
        scale,
        sources: Sources {
            perception: true,
            expectation: e.is_some(),
            adequate: a.is_some(),
            desired: d.is_some(),
            weights: w.is_some(),
        },
        reversed: instrument
            .items()
            .iter()
            .zip(&reversed)
            .filter(|(_, r)| **r)
            .map(|(it, _)| it.id.clone())
            .collect(),
        dimensions,
        items,
        unweighted,
        unweighted_items,
        weighted,
        servperf,
        servperf_items,
        servperf_weighted,
        msa: mean_n(msa_rows.into_iter()).0,
        mss: mean_n(mss_rows.into_iter()).0,
        zone,
        counts,
        priorities,
        respondents,
    })
}

/// Builds the priority list (rule in [`Priorities`]).
fn rank_priorities(
    dimensions: &[DimensionScores],
    items: &[ItemScores],
    instrument: &Instrument,
    have_weights: bool,
) -> Priorities {
    let basis = if dimensions.iter().any(|d| d.gap.is_some()) {
        Some(PriorityBasis::Expectation)
    } else if dimensions.iter().any(|d| d.mss.is_some()) {
        Some(PriorityBasis::Desired)
    } else {
        None
    };
    let k = dimensions.len() as f64;
    let importance = have_weights && dimensions.iter().all(|d| d.weight.is_some());
    let weight_of = |d: &DimensionScores| {
        if importance {
            d.weight.unwrap_or(0.0)
        } else {
            1.0 / k
        }
    };
    let benchmark_gap = |gap: Option<f64>, mss: Option<f64>| match basis {
        Some(PriorityBasis::Expectation) => gap,
        Some(PriorityBasis::Desired) => mss,
        None => None,
    };
    let mut dims: Vec<Priority> = dimensions
        .iter()
        .filter_map(|d| {
            let shortfall = -benchmark_gap(d.gap, d.mss)?;
            let weight = weight_of(d);
            Some(Priority {
                rank: 0,
                name: d.name.clone(),
                dimension: d.name.clone(),
                item: None,
                weight,
                shortfall,
                score: weight * shortfall,
            })
        })
        .collect();
    let mut its: Vec<Priority> = items
        .iter()
        .zip(instrument.items())
        .filter_map(|(it, inst_item)| {
            let shortfall = -benchmark_gap(it.gap, it.mss)?;
            let weight = weight_of(&dimensions[inst_item.dimension]);
            Some(Priority {
                rank: 0,
                name: it.id.clone(),
                dimension: it.dimension.clone(),
                item: Some(it.item),
                weight,
                shortfall,
                score: weight * shortfall,
            })
        })
        .collect();
    for list in [&mut dims, &mut its] {
        // Stable sort: ties keep instrument order.
        list.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.shortfall.total_cmp(&a.shortfall))
        });
        for (r, p) in list.iter_mut().enumerate() {
            p.rank = r + 1;
        }
    }
    Priorities {
        basis,
        importance_weighted: importance,
        dimensions: dims,
        items: its,
    }
}

/// [`analyze`] for the whole sample and for every segment of a segment
/// column (text or numbers; rows without a label count in the whole sample
/// only), segments in the crate's level order ([`crate::group`]).
///
/// # Errors
/// As [`analyze`], and [`Error::UnknownColumn`] for an unknown segment column.
pub fn analyze_by(
    data: &Dataset,
    segment_column: &str,
    instrument: &Instrument,
    options: &ServqualOptions,
) -> Result<SegmentedReport> {
    let labels = data.labels(segment_column)?;
    let overall = analyze(data, instrument, options)?;
    // Segments in the crate's level order (`crate::group`).
    let grouped = crate::group::group_rows(&labels);
    let (groups, unlabelled) = (grouped.groups, grouped.n_missing);
    let segments = groups
        .into_iter()
        .map(|crate::group::Group { label, rows }| {
            let sub = data.take_rows(&rows)?;
            Ok(Segment {
                label,
                report: analyze(&sub, instrument, options)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(SegmentedReport {
        overall,
        segment_column: segment_column.to_string(),
        unlabelled,
        segments,
    })
}
