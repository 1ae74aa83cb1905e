//! A seeded simulator of telecom customer-satisfaction surveys: respondents
//! drawn from an ECSI population model (Tenenhaus et al. 2005's mobile-operator
//! model) with known paths and loadings, answered on 1–10 scales, with segment
//! columns and monthly waves. It is the crate's built-in example data and the
//! ground truth for parameter-recovery tests.
//!
//! Latent model (standardized, every construct has variance 1):
//!
//! ```text
//! Expectation  = 0.50·Image
//! Quality      = 0.55·Expectation
//! Value        = 0.15·Expectation + 0.60·Quality
//! Satisfaction = 0.20·Image + 0.05·Expectation + 0.35·Quality + 0.30·Value
//! Complaints   = 0.55·Satisfaction
//! Loyalty      = 0.25·Image + 0.45·Satisfaction + 0.10·Complaints
//! ```
//! (each plus an independent disturbance scaled to give unit variance).
//! Indicators are x = λ·ξ + √(1 − λ²)·ε, mapped to the 1–10 answer scale by
//! `round(mean + sd·x)` clipped to [1, 10].
//!
//! Segments differ: [`PATH_SHIFTS`] changes some paths for some segment
//! levels (the disturbances are rescaled so that every construct keeps unit
//! variance within each cell), [`MEAN_SHIFTS`] moves latent means (the shift
//! enters the construct's equation and propagates along the paths), and the
//! quality mean drifts by `monthly_drift` per month. [`SurveySimulator::truth`]
//! gives the exact population values: paths per segment, and each item's
//! expected answer (from the normal distribution function, rounding and
//! clipping included), hence the true 0–100 index for any weights.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::model::Model;

/// The ECSI constructs of the simulator, in causal order.
pub const CONSTRUCTS: [&str; 7] = [
    "Image",
    "Expectation",
    "Quality",
    "Value",
    "Satisfaction",
    "Complaints",
    "Loyalty",
];

/// True structural paths (from, to, coefficient) of the population model.
pub const TRUE_PATHS: [(&str, &str, f64); 12] = [
    ("Image", "Expectation", 0.50),
    ("Expectation", "Quality", 0.55),
    ("Expectation", "Value", 0.15),
    ("Quality", "Value", 0.60),
    ("Image", "Satisfaction", 0.20),
    ("Expectation", "Satisfaction", 0.05),
    ("Quality", "Satisfaction", 0.35),
    ("Value", "Satisfaction", 0.30),
    ("Satisfaction", "Complaints", 0.55),
    ("Image", "Loyalty", 0.25),
    ("Satisfaction", "Loyalty", 0.45),
    ("Complaints", "Loyalty", 0.10),
];

/// Indicators per construct: (column name, loading).
pub const INDICATORS: [(&str, &[(&str, f64)]); 7] = [
    (
        "Image",
        &[
            ("IMAG1", 0.75),
            ("IMAG2", 0.80),
            ("IMAG3", 0.65),
            ("IMAG4", 0.80),
            ("IMAG5", 0.75),
        ],
    ),
    (
        "Expectation",
        &[("CUEX1", 0.80), ("CUEX2", 0.75), ("CUEX3", 0.60)],
    ),
    (
        "Quality",
        &[
            ("PERQ1", 0.85),
            ("PERQ2", 0.75),
            ("PERQ3", 0.75),
            ("PERQ4", 0.80),
            ("PERQ5", 0.70),
            ("PERQ6", 0.80),
            ("PERQ7", 0.75),
        ],
    ),
    ("Value", &[("PERV1", 0.90), ("PERV2", 0.90)]),
    (
        "Satisfaction",
        &[("CUSA1", 0.85), ("CUSA2", 0.80), ("CUSA3", 0.80)],
    ),
    ("Complaints", &[("CUSCO", 1.0)]),
    (
        "Loyalty",
        &[("CUSL1", 0.85), ("CUSL2", 0.60), ("CUSL3", 0.85)],
    ),
];

/// Regions and their shift of the latent quality mean (in latent SD units).
pub const REGIONS: [(&str, f64); 4] = [
    ("north", 0.15),
    ("south", -0.20),
    ("east", 0.05),
    ("west", 0.0),
];
/// ARPU tiers and their shift of the latent value mean.
pub const ARPU_TIERS: [(&str, f64); 3] = [("low", 0.20), ("mid", 0.0), ("high", -0.25)];
/// Age bands (see [`MEAN_SHIFTS`] and [`PATH_SHIFTS`]).
pub const AGE_BANDS: [&str; 4] = ["18-29", "30-44", "45-59", "60+"];
/// Plans (see [`MEAN_SHIFTS`] and [`PATH_SHIFTS`]).
pub const PLANS: [&str; 3] = ["prepaid", "postpaid", "bundle"];

/// Latent intercepts of the whole population (latent SD units), by
/// construct in [`CONSTRUCTS`] order: perceived quality starts low (a network
/// problem the monthly drift slowly repairs), so that quality is the short
/// board of the built-in example.
pub const BASE_SHIFTS: [f64; 7] = [0.0, 0.0, -0.45, 0.0, 0.0, 0.0, 0.0];

/// Shifts of latent means (latent SD units) by segment: (column, level,
/// construct, shift). The region and ARPU-tier rows repeat [`REGIONS`] and
/// [`ARPU_TIERS`].
pub const MEAN_SHIFTS: [(&str, &str, &str, f64); 10] = [
    ("region", "north", "Quality", 0.15),
    ("region", "south", "Quality", -0.20),
    ("region", "east", "Quality", 0.05),
    ("arpu_tier", "low", "Value", 0.20),
    ("arpu_tier", "high", "Value", -0.25),
    ("age_band", "18-29", "Image", -0.15),
    ("age_band", "60+", "Image", 0.20),
    ("plan", "prepaid", "Value", -0.10),
    ("plan", "bundle", "Expectation", 0.15),
    ("plan", "bundle", "Loyalty", 0.20),
];

/// Segment-specific changes of the structural paths: (column, level, from,
/// to, change added to [`TRUE_PATHS`]). High-ARPU customers weigh value less
/// and quality more; the young weigh quality more; prepaid customers are less
/// loyal for the same satisfaction, bundle customers more.
pub const PATH_SHIFTS: [(&str, &str, &str, &str, f64); 7] = [
    ("arpu_tier", "low", "Value", "Satisfaction", 0.15),
    ("arpu_tier", "high", "Value", "Satisfaction", -0.15),
    ("arpu_tier", "high", "Quality", "Satisfaction", 0.10),
    ("age_band", "18-29", "Quality", "Satisfaction", 0.10),
    ("age_band", "60+", "Quality", "Satisfaction", -0.10),
    ("plan", "prepaid", "Satisfaction", "Loyalty", -0.20),
    ("plan", "bundle", "Satisfaction", "Loyalty", 0.10),
];

/// The answer scale of every simulated item.
pub const ANSWER_SCALE: (f64, f64) = (1.0, 10.0);

/// Settings of a simulated survey.
#[derive(Debug, Clone)]
pub struct SurveySimulator {
    n: usize,
    seed: u64,
    months: usize,
    monthly_drift: f64,
    answer_mean: f64,
    answer_sd: f64,
    missing_rate: f64,
}

impl SurveySimulator {
    /// `n` respondents, seed 1, 12 monthly waves, a quality drift of +0.02
    /// latent SD per month, answers centred at 7.2 with SD 1.7 on 1–10, no missing answers.
    pub fn new(n: usize) -> Self {
        SurveySimulator {
            n,
            seed: 1,
            months: 12,
            monthly_drift: 0.02,
            answer_mean: 7.2,
            answer_sd: 1.7,
            missing_rate: 0.0,
        }
    }

    /// The random seed (same seed, same data).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Number of monthly waves (column `month`, 1-based).
    pub fn months(mut self, months: usize) -> Self {
        self.months = months.max(1);
        self
    }

    /// Drift of the latent quality mean per month.
    pub fn monthly_drift(mut self, drift: f64) -> Self {
        self.monthly_drift = drift;
        self
    }

    /// Share of answers left empty at random (0 by default).
    pub fn missing_rate(mut self, rate: f64) -> Self {
        self.missing_rate = rate;
        self
    }

    /// The PLS model matching the simulated columns (all blocks Mode A).
    pub fn model() -> Model {
        let mut b = Model::builder();
        for (name, inds) in INDICATORS {
            b = b.reflective(name, inds.iter().map(|(i, _)| *i));
        }
        for (from, to, _) in TRUE_PATHS {
            b = b.path(from, to);
        }
        b.build().expect("the simulator's model is valid")
    }

    /// The ECSI template ([`crate::csi::Template::ecsi`]) mapped to the simulated columns.
    pub fn csi_model() -> crate::csi::CsiModel {
        use crate::csi::{Construct, Template};
        let mut b = Template::ecsi().measure();
        for (name, inds) in INDICATORS {
            b = b.reflective(Construct::from_name(name), inds.iter().map(|(i, _)| *i));
        }
        b.build().expect("the simulator's CSI model is valid")
    }

    /// Draws the survey: one row per respondent with the indicator columns and
    /// `region`, `arpu_tier`, `age_band`, `plan`, `month`.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for zero respondents or a missing rate outside [0, 1).
    pub fn simulate(&self) -> Result<Dataset> {
        if self.n == 0 {
            return Err(Error::InvalidSetting {
                name: "n".into(),
                message: "at least one respondent".into(),
            });
        }
        if !(0.0..1.0).contains(&self.missing_rate) {
            return Err(Error::InvalidSetting {
                name: "missing_rate".into(),
                message: format!("{} is not in [0, 1)", self.missing_rate),
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let n = self.n;
        let n_ind: usize = INDICATORS.iter().map(|(_, i)| i.len()).sum();
        let mut cols: Vec<Vec<f64>> = vec![Vec::with_capacity(n); n_ind];
        let mut region = Vec::with_capacity(n);
        let mut tier = Vec::with_capacity(n);
        let mut age = Vec::with_capacity(n);
        let mut plan = Vec::with_capacity(n);
        let mut month = Vec::with_capacity(n);
        let cells = CellPaths::all();
        for _ in 0..n {
            let r = rng.random_range(0..REGIONS.len());
            let t = rng.random_range(0..ARPU_TIERS.len());
            let m = rng.random_range(0..self.months);
            let a = rng.random_range(0..AGE_BANDS.len());
            let pl = rng.random_range(0..PLANS.len());
            region.push(REGIONS[r].0);
            tier.push(ARPU_TIERS[t].0);
            age.push(AGE_BANDS[a]);
            plan.push(PLANS[pl]);
            month.push((m + 1) as f64);
            let cell = cells.get(t, a, pl);
            let shift = latent_shifts(r, t, a, pl, m, self.monthly_drift);
            let mut xi = [0.0; 7];
            for j in 0..CONSTRUCTS.len() {
                let mut v = cell.disturbance[j] * normal(&mut rng) + shift[j];
                for (e, (from, to, _)) in TRUE_PATHS.iter().enumerate() {
                    if *to == CONSTRUCTS[j] {
                        v += cell.paths[e] * xi[construct_pos(from)];
                    }
                }
                xi[j] = v;
            }
            let mut c = 0;
            for (j, (_, inds)) in INDICATORS.iter().enumerate() {
                for (_, lambda) in inds.iter() {
                    let x =
                        lambda * xi[j] + (1.0 - lambda * lambda).max(0.0).sqrt() * normal(&mut rng);
                    let answer = (self.answer_mean + self.answer_sd * x)
                        .round()
                        .clamp(1.0, 10.0);
                    let missing =
                        self.missing_rate > 0.0 && rng.random::<f64>() < self.missing_rate;
                    cols[c].push(if missing { f64::NAN } else { answer });
                    c += 1;
                }
            }
        }
        let mut data = Dataset::from_columns(
            INDICATORS
                .iter()
                .flat_map(|(_, inds)| inds.iter().map(|(name, _)| name.to_string()))
                .zip(cols)
                .collect(),
        )?;
        data.set_numeric("month", month)?;
        data.set_text("region", region.into_iter().map(String::from).collect())?;
        data.set_text("arpu_tier", tier.into_iter().map(String::from).collect())?;
        data.set_text("age_band", age.into_iter().map(String::from).collect())?;
        data.set_text("plan", plan.into_iter().map(String::from).collect())?;
        Ok(data)
    }
}

/// Standard deviations of the structural disturbances that give each construct
/// unit variance under [`TRUE_PATHS`], computed from the implied covariances.
pub fn disturbance_sds() -> [f64; 7] {
    let base: [f64; 12] = std::array::from_fn(|e| TRUE_PATHS[e].2);
    disturbance_sds_for(&base)
}

/// Disturbance SDs giving unit construct variances for path coefficients
/// `paths` (in the order of [`TRUE_PATHS`]).
pub fn disturbance_sds_for(paths: &[f64; 12]) -> [f64; 7] {
    let k = CONSTRUCTS.len();
    let mut cov = vec![0.0; k * k];
    let mut sds = [0.0; 7];
    for j in 0..k {
        let preds: Vec<(usize, f64)> = TRUE_PATHS
            .iter()
            .zip(paths)
            .filter(|((_, to, _), _)| *to == CONSTRUCTS[j])
            .map(|((from, _, _), b)| (construct_pos(from), *b))
            .collect();
        // Covariances of construct j with the earlier ones: Σ_p b_p cov(p, m).
        for m in 0..j {
            cov[j * k + m] = preds.iter().map(|(p, b)| b * cov[p * k + m]).sum();
            cov[m * k + j] = cov[j * k + m];
        }
        let explained: f64 = preds
            .iter()
            .flat_map(|(p, bp)| preds.iter().map(move |(q, bq)| (p, bp, q, bq)))
            .map(|(p, bp, q, bq)| bp * bq * cov[p * k + q])
            .sum();
        sds[j] = (1.0 - explained).max(0.0).sqrt();
        cov[j * k + j] = 1.0;
    }
    sds
}

fn construct_pos(name: &str) -> usize {
    CONSTRUCTS.iter().position(|c| *c == name).unwrap_or(0)
}

/// Path coefficients (order of [`TRUE_PATHS`]) of a level of a segment column
/// in a cell, with the [`PATH_SHIFTS`] that apply.
fn cell_paths(t: usize, a: usize, pl: usize) -> [f64; 12] {
    let mut p: [f64; 12] = std::array::from_fn(|e| TRUE_PATHS[e].2);
    for (col, level, from, to, d) in PATH_SHIFTS {
        let applies = match col {
            "arpu_tier" => ARPU_TIERS[t].0 == level,
            "age_band" => AGE_BANDS[a] == level,
            "plan" => PLANS[pl] == level,
            _ => false,
        };
        if applies
            && let Some(e) = TRUE_PATHS
                .iter()
                .position(|(f, tt, _)| *f == from && *tt == to)
        {
            p[e] += d;
        }
    }
    p
}

/// Latent intercepts of a cell (mean shifts entering each construct's equation).
fn latent_shifts(r: usize, t: usize, a: usize, pl: usize, m: usize, drift: f64) -> [f64; 7] {
    let mut s = BASE_SHIFTS;
    for (col, level, construct, d) in MEAN_SHIFTS {
        let applies = match col {
            "region" => REGIONS[r].0 == level,
            "arpu_tier" => ARPU_TIERS[t].0 == level,
            "age_band" => AGE_BANDS[a] == level,
            "plan" => PLANS[pl] == level,
            _ => false,
        };
        if applies {
            s[construct_pos(construct)] += d;
        }
    }
    s[construct_pos("Quality")] += drift * m as f64;
    s
}

/// Paths and disturbance SDs for every (ARPU tier, age band, plan) cell.
struct CellPaths {
    cells: Vec<Cell>,
}

struct Cell {
    paths: [f64; 12],
    disturbance: [f64; 7],
}

impl CellPaths {
    fn all() -> CellPaths {
        let mut cells = Vec::new();
        for t in 0..ARPU_TIERS.len() {
            for a in 0..AGE_BANDS.len() {
                for pl in 0..PLANS.len() {
                    let paths = cell_paths(t, a, pl);
                    cells.push(Cell {
                        disturbance: disturbance_sds_for(&paths),
                        paths,
                    });
                }
            }
        }
        CellPaths { cells }
    }

    fn get(&self, t: usize, a: usize, pl: usize) -> &Cell {
        &self.cells[(t * AGE_BANDS.len() + a) * PLANS.len() + pl]
    }
}

/// A filter on the simulated population: respondents whose `column` equals
/// `level` (`region`, `arpu_tier`, `age_band`, `plan`, or `month` with levels `1`, `2`, …).
pub type Filter<'a> = (&'a str, &'a str);

/// Exact population values of a simulated survey (for parameter-recovery tests).
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    /// Respondent share of the filtered population (1 without filters).
    pub share: f64,
    /// Expected answer of each indicator (column order of the data).
    pub item_means: Vec<(String, f64)>,
    /// Population-average path coefficients (from, to, value): the cells'
    /// coefficients averaged over the filtered population.
    pub paths: Vec<(String, String, f64)>,
}

impl Truth {
    /// Expected answer of an indicator.
    pub fn item_mean(&self, indicator: &str) -> Option<f64> {
        self.item_means
            .iter()
            .find(|(n, _)| n == indicator)
            .map(|(_, m)| *m)
    }

    /// The true 0–100 index for given rescaled item weights `(indicator, v)`
    /// (summing to 1): `Σ v·100 (E[x] − 1)/9`. Unknown indicators contribute 0.
    pub fn index(&self, weights: &[(&str, f64)]) -> f64 {
        let (lo, hi) = ANSWER_SCALE;
        weights
            .iter()
            .map(|(n, v)| v * 100.0 * (self.item_mean(n).unwrap_or(lo) - lo) / (hi - lo))
            .sum()
    }

    /// The population path coefficient `from → to`.
    pub fn path(&self, from: &str, to: &str) -> Option<f64> {
        self.paths
            .iter()
            .find(|(f, t, _)| f == from && t == to)
            .map(|(_, _, v)| *v)
    }
}

impl SurveySimulator {
    /// The exact population values among respondents matching every filter
    /// (segments are drawn uniformly and independently, so the population is
    /// the uniform mixture of region × tier × age × plan × month cells).
    /// Within a cell each indicator is normal with mean λ·μ_j and variance 1
    /// (μ_j the cell's latent mean), so its expected answer is
    /// `1 + Σ_{k=2}^{10} P(mean + sd·x ≥ k − ½)`, exact up to the normal
    /// distribution function's accuracy.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for an unknown column or level (or a filter
    /// that no respondent matches).
    pub fn truth(&self, filters: &[Filter<'_>]) -> Result<Truth> {
        let months: Vec<String> = (1..=self.months).map(|m| m.to_string()).collect();
        for (col, level) in filters {
            let ok = match *col {
                "region" => REGIONS.iter().any(|(l, _)| l == level),
                "arpu_tier" => ARPU_TIERS.iter().any(|(l, _)| l == level),
                "age_band" => AGE_BANDS.contains(level),
                "plan" => PLANS.contains(level),
                "month" => months.iter().any(|m| m == level),
                _ => false,
            };
            if !ok {
                return Err(Error::InvalidSetting {
                    name: "filter".into(),
                    message: format!("`{col}` = `{level}` is not a simulated segment"),
                });
            }
        }
        let keep = |col: &str, level: &str| filters.iter().all(|(c, l)| *c != col || *l == level);
        let cells = CellPaths::all();
        let names: Vec<(usize, &str, f64)> = INDICATORS
            .iter()
            .enumerate()
            .flat_map(|(j, (_, inds))| inds.iter().map(move |(n, l)| (j, *n, *l)))
            .collect();
        let mut sum_items = vec![0.0; names.len()];
        let mut sum_paths = [0.0; 12];
        let mut count = 0usize;
        let mut total = 0usize;
        for r in 0..REGIONS.len() {
            for t in 0..ARPU_TIERS.len() {
                for a in 0..AGE_BANDS.len() {
                    for pl in 0..PLANS.len() {
                        for m in 0..self.months {
                            total += 1;
                            if !(keep("region", REGIONS[r].0)
                                && keep("arpu_tier", ARPU_TIERS[t].0)
                                && keep("age_band", AGE_BANDS[a])
                                && keep("plan", PLANS[pl])
                                && keep("month", &months[m]))
                            {
                                continue;
                            }
                            count += 1;
                            let cell = cells.get(t, a, pl);
                            let shift = latent_shifts(r, t, a, pl, m, self.monthly_drift);
                            let mut mu = [0.0; 7];
                            for j in 0..CONSTRUCTS.len() {
                                let mut v = shift[j];
                                for (e, (from, to, _)) in TRUE_PATHS.iter().enumerate() {
                                    if *to == CONSTRUCTS[j] {
                                        v += cell.paths[e] * mu[construct_pos(from)];
                                    }
                                }
                                mu[j] = v;
                            }
                            for (x, (j, _, lambda)) in names.iter().enumerate() {
                                sum_items[x] += self.expected_answer(lambda * mu[*j]);
                            }
                            for e in 0..12 {
                                sum_paths[e] += cell.paths[e];
                            }
                        }
                    }
                }
            }
        }
        if count == 0 {
            return Err(Error::InvalidSetting {
                name: "filter".into(),
                message: "no simulated respondent matches every filter".into(),
            });
        }
        Ok(Truth {
            share: count as f64 / total as f64,
            item_means: names
                .iter()
                .zip(&sum_items)
                .map(|((_, n, _), s)| (n.to_string(), s / count as f64))
                .collect(),
            paths: TRUE_PATHS
                .iter()
                .zip(sum_paths)
                .map(|((f, t, _), s)| (f.to_string(), t.to_string(), s / count as f64))
                .collect(),
        })
    }

    /// E[clip(round(mean + sd·X), 1, 10)] for X ~ N(m, 1).
    fn expected_answer(&self, m: f64) -> f64 {
        let centre = self.answer_mean + self.answer_sd * m;
        1.0 + (2..=10)
            .map(|k| 1.0 - crate::stats::normal_cdf((k as f64 - 0.5 - centre) / self.answer_sd))
            .sum::<f64>()
    }
}

/// A standard normal draw (Box–Muller transform; Box & Muller 1958).
pub(crate) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_on_scale() {
        let a = SurveySimulator::new(300).seed(7).simulate().unwrap();
        let b = SurveySimulator::new(300).seed(7).simulate().unwrap();
        assert_eq!(a, b);
        let c = SurveySimulator::new(300).seed(8).simulate().unwrap();
        assert_ne!(a, c);
        let x = a.numeric("PERQ1").unwrap();
        assert!(
            x.iter()
                .all(|v| (1.0..=10.0).contains(v) && v.fract() == 0.0)
        );
        assert_eq!(a.labels("region").unwrap().len(), 300);
    }

    #[test]
    fn disturbances_give_unit_variance() {
        let d = disturbance_sds();
        assert_eq!(d[0], 1.0);
        // Expectation = 0.5 Image + e: var(e) = 0.75.
        assert!((d[1] - 0.75f64.sqrt()).abs() < 1e-12);
        assert!(d.iter().all(|s| *s > 0.0 && *s <= 1.0));
    }
}
