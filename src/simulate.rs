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
/// Age bands (no shift).
pub const AGE_BANDS: [&str; 4] = ["18-29", "30-44", "45-59", "60+"];
/// Plans (no shift).
pub const PLANS: [&str; 3] = ["prepaid", "postpaid", "bundle"];

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
        let disturbance = disturbance_sds();
        for _ in 0..n {
            let r = rng.random_range(0..REGIONS.len());
            let t = rng.random_range(0..ARPU_TIERS.len());
            let m = rng.random_range(0..self.months);
            region.push(REGIONS[r].0);
            tier.push(ARPU_TIERS[t].0);
            age.push(AGE_BANDS[rng.random_range(0..AGE_BANDS.len())]);
            plan.push(PLANS[rng.random_range(0..PLANS.len())]);
            month.push((m + 1) as f64);
            let mut xi = [0.0; 7];
            for (j, name) in CONSTRUCTS.iter().enumerate() {
                let mut v = disturbance[j] * normal(&mut rng);
                for (from, to, b) in TRUE_PATHS {
                    if to == *name {
                        let f = CONSTRUCTS.iter().position(|c| *c == from).unwrap_or(0);
                        v += b * xi[f];
                    }
                }
                if *name == "Quality" {
                    v += REGIONS[r].1 + self.monthly_drift * m as f64;
                }
                if *name == "Value" {
                    v += ARPU_TIERS[t].1;
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
/// unit variance, computed from the implied covariances of the population model.
pub fn disturbance_sds() -> [f64; 7] {
    let k = CONSTRUCTS.len();
    let mut cov = vec![0.0; k * k];
    let mut sds = [0.0; 7];
    for j in 0..k {
        let preds: Vec<(usize, f64)> = TRUE_PATHS
            .iter()
            .filter(|(_, to, _)| *to == CONSTRUCTS[j])
            .map(|(from, _, b)| (CONSTRUCTS.iter().position(|c| c == from).unwrap_or(0), *b))
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
