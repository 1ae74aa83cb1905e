//! A seeded simulator of SERVQUAL survey data, for examples and tests.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Dimension;
use crate::data::Dataset;
use crate::error::{Error, Result};

/// Settings of [`simulate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Respondents. Default 200.
    pub n: usize,
    /// Random seed; the same seed gives the same data. Default 1.
    pub seed: u64,
    /// Probability that any one answer is missing. Default 0.02.
    pub missing_rate: f64,
    /// Number of segments in the `branch` column (labels 1…). Default 3.
    pub segments: usize,
    /// Probability that a respondent's importance points do not sum to 100. Default 0.03.
    pub off_sum_rate: f64,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            n: 200,
            seed: 1,
            missing_rate: 0.02,
            segments: 3,
            off_sum_rate: 0.03,
        }
    }
}

/// A standard normal deviate (Box & Muller 1958).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Simulated answers to the standard 22-item SERVQUAL on the 1–7 scale:
/// columns `branch` (segment 1…`segments`), `E1..E22`, `P1..P22`, `A1..A22`,
/// `D1..D22` and `W_tangibles … W_empathy` (100 points per respondent).
///
/// The generating model: each dimension has a population expectation
/// (reliability highest) and a lower perception; a respondent adds a personal
/// level to all expectations and to all perceptions, and a per-dimension
/// deviation to perceptions; each answer adds item noise and is rounded to
/// the scale. The desired level is near the expectation, the adequate level
/// about 1.5 points lower (never above the desired). Perceptions shift by
/// segment. Importance points favour reliability, as reported by
/// Parasuraman, Zeithaml & Berry (1991).
///
/// ```
/// let data = csikit::servqual::simulate(&csikit::servqual::Simulation::default()).unwrap();
/// assert_eq!(data.n_rows(), 200);
/// assert!(data.has_column("E22") && data.has_column("W_empathy"));
/// ```
///
/// # Errors
/// [`Error::InvalidSetting`] for `n` or `segments` of 0 or rates outside [0, 1).
pub fn simulate(sim: &Simulation) -> Result<Dataset> {
    let bad = |name: &str, message: String| Error::InvalidSetting {
        name: name.into(),
        message,
    };
    if sim.n == 0 {
        return Err(bad("n", "needs at least one respondent".into()));
    }
    if sim.segments == 0 {
        return Err(bad("segments", "needs at least one segment".into()));
    }
    for (name, rate) in [
        ("missing_rate", sim.missing_rate),
        ("off_sum_rate", sim.off_sum_rate),
    ] {
        if !(0.0..1.0).contains(&rate) {
            return Err(bad(name, format!("must lie in [0, 1), got {rate}")));
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(sim.seed);
    let sizes = [4usize, 5, 4, 4, 5];
    let mu_e = [5.6, 6.4, 6.0, 6.1, 5.7];
    let mu_p = [5.5, 5.2, 5.0, 5.6, 5.1];
    let importance = [12.0, 32.0, 22.0, 19.0, 15.0];
    let n = sim.n;
    let mut branch = vec![0.0; n];
    let mut e = vec![vec![0.0; n]; 22];
    let mut p = vec![vec![0.0; n]; 22];
    let mut a = vec![vec![0.0; n]; 22];
    let mut d = vec![vec![0.0; n]; 22];
    let mut w = vec![vec![0.0; n]; 5];
    let answer = |x: f64| x.round().clamp(1.0, 7.0);
    for r in 0..n {
        let b = rng.random_range(1..=sim.segments);
        branch[r] = b as f64;
        let shift = 0.3 * (b as f64 - (sim.segments as f64 + 1.0) / 2.0);
        let level_e = 0.5 * normal(&mut rng);
        let level_p = 0.6 * normal(&mut rng) + shift;
        let mut item = 0;
        for (dim, &size) in sizes.iter().enumerate() {
            let dev_p = 0.4 * normal(&mut rng);
            for _ in 0..size {
                let latent_e = mu_e[dim] + level_e + 0.5 * normal(&mut rng);
                e[item][r] = answer(latent_e);
                p[item][r] = answer(mu_p[dim] + level_p + dev_p + 0.6 * normal(&mut rng));
                let desired = answer(latent_e + 0.4 * normal(&mut rng));
                d[item][r] = desired;
                a[item][r] = answer(latent_e - 1.5 + 0.5 * normal(&mut rng)).min(desired);
                item += 1;
            }
        }
        let raw: Vec<f64> = importance
            .iter()
            .map(|m| m * (0.3 * normal(&mut rng)).exp())
            .collect();
        let total: f64 = raw.iter().sum();
        let mut points: Vec<f64> = raw.iter().map(|x| (100.0 * x / total).round()).collect();
        let sum: f64 = points.iter().sum();
        let largest = (0..5)
            .max_by(|&i, &j| points[i].total_cmp(&points[j]))
            .unwrap_or(0);
        points[largest] += 100.0 - sum;
        if rng.random::<f64>() < sim.off_sum_rate {
            // A respondent who lost count: ten points short.
            points[largest] = (points[largest] - 10.0).max(0.0);
        }
        for (dim, pt) in points.into_iter().enumerate() {
            w[dim][r] = pt;
        }
    }
    let mut columns: Vec<(String, Vec<f64>)> = vec![("branch".into(), branch)];
    for (prefix, mat) in [("E", e), ("P", p), ("A", a), ("D", d)] {
        for (i, mut col) in mat.into_iter().enumerate() {
            for x in &mut col {
                if sim.missing_rate > 0.0 && rng.random::<f64>() < sim.missing_rate {
                    *x = f64::NAN;
                }
            }
            columns.push((format!("{prefix}{}", i + 1), col));
        }
    }
    for (dim, col) in Dimension::STANDARD.iter().zip(w) {
        columns.push((format!("W_{}", dim.name()), col));
    }
    Dataset::from_columns(columns)
}
