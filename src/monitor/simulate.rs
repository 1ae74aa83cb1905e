//! A seeded simulator of an operator's complaint log, customer base and
//! monthly satisfaction survey, with known links between complaint categories
//! and driver performance — the built-in example data of the `monitor` example
//! and the ground truth of its tests.
//!
//! Every customer has latent performance perceptions of three drivers,
//! quality, value and service (independent standard normals). Each month a
//! customer complains in a category with probability
//! p = logistic(a_c + b_c · z), where z is the tied driver's perception:
//! `network` is tied to quality (b = −0.9), `billing` to value (b = −0.9),
//! `roaming` and `other` to nothing (b = 0), and `5g` exists from the seventh
//! month on (tied to nothing). The survey samples customers each month and
//! records each driver's performance as a 0–100 index score
//! (70 + 12·z + noise) and overall satisfaction on 1–10.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Period;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::period::Frequency;
use crate::simulate::normal;

/// Regions of the simulated operator (customer shares equal).
pub const REGIONS: [&str; 3] = ["north", "south", "east"];

/// Complaint categories: (name, intercept, tied driver index, slope, first month index).
const CATEGORIES: [(&str, f64, Option<usize>, f64, usize); 5] = [
    ("network", -5.2, Some(0), -0.9, 0),
    ("billing", -5.0, Some(1), -0.9, 0),
    ("roaming", -6.0, None, 0.0, 0),
    ("other", -5.5, None, 0.0, 0),
    ("5g", -6.2, None, 0.0, 6),
];

/// Driver names of the simulated survey columns (`<driver>_index`).
pub const DRIVERS: [&str; 3] = ["quality", "value", "service"];

/// Settings of the monitoring simulation.
#[derive(Debug, Clone)]
pub struct MonitorSimulation {
    customers: usize,
    months: usize,
    survey_per_month: usize,
    start: Period,
    seed: u64,
}

/// The simulated tables.
#[derive(Debug, Clone)]
pub struct SimulatedMonitor {
    /// One row per complaint: `customer_id`, `month`, `region`, `category`,
    /// `response_hours`, `resolution_hours` (empty while open).
    pub complaints: Dataset,
    /// Customers per `month` and `region`: column `customers`.
    pub customers: Dataset,
    /// Survey responses: `customer_id`, `month`, `region`,
    /// `quality_index`, `value_index`, `service_index` (0–100), `satisfaction` (1–10).
    pub survey: Dataset,
}

impl MonitorSimulation {
    /// 30 000 customers, 12 months from 2025-01, 300 survey responses a month, seed 1.
    pub fn new() -> Self {
        MonitorSimulation {
            customers: 30_000,
            months: 12,
            survey_per_month: 300,
            // January 2025.
            start: Period::from_index(Frequency::Monthly, 2025 * 12),
            seed: 1,
        }
    }

    /// Number of customers.
    pub fn customers(mut self, n: usize) -> Self {
        self.customers = n;
        self
    }

    /// Number of months.
    pub fn months(mut self, n: usize) -> Self {
        self.months = n;
        self
    }

    /// Survey responses per month.
    pub fn survey_per_month(mut self, n: usize) -> Self {
        self.survey_per_month = n;
        self
    }

    /// Random seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Draws the tables.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for zero customers or months.
    pub fn simulate(&self) -> Result<SimulatedMonitor> {
        if self.customers == 0 || self.months == 0 {
            return Err(Error::InvalidSetting {
                name: "simulation".into(),
                message: "needs at least one customer and one month".into(),
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let z: Vec<[f64; 3]> = (0..self.customers)
            .map(|_| [normal(&mut rng), normal(&mut rng), normal(&mut rng)])
            .collect();
        let region: Vec<usize> = (0..self.customers).map(|i| i % REGIONS.len()).collect();
        let mut periods = Vec::with_capacity(self.months);
        let mut p = self.start;
        for _ in 0..self.months {
            periods.push(p);
            p = p.next();
        }
        // Complaints.
        let (mut c_id, mut c_month, mut c_region, mut c_cat, mut c_resp, mut c_resol) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        for (m, period) in periods.iter().enumerate() {
            for (i, zi) in z.iter().enumerate() {
                for (name, a, driver, b, first) in CATEGORIES {
                    if m < first {
                        continue;
                    }
                    let eta = a + driver.map_or(0.0, |d| b * zi[d]);
                    let prob = 1.0 / (1.0 + (-eta).exp());
                    if rng.random::<f64>() < prob {
                        c_id.push(format!("C{i:06}"));
                        c_month.push(period.to_string());
                        c_region.push(REGIONS[region[i]].to_string());
                        c_cat.push(name.to_string());
                        // Log-normal times: median 0.6 h to respond, 14 h to resolve.
                        let resp = (0.6f64.ln() + 0.9 * normal(&mut rng)).exp();
                        c_resp.push((resp * 100.0).round() / 100.0);
                        let open = rng.random::<f64>() < 0.03;
                        let resol = (14f64.ln() + 0.8 * normal(&mut rng)).exp();
                        c_resol.push(if open {
                            f64::NAN
                        } else {
                            (resol * 10.0).round() / 10.0
                        });
                    }
                }
            }
        }
        let mut complaints = Dataset::from_columns(vec![
            ("response_hours", c_resp),
            ("resolution_hours", c_resol),
        ])?;
        complaints.set_text("customer_id", c_id)?;
        complaints.set_text("month", c_month)?;
        complaints.set_text("region", c_region)?;
        complaints.set_text("category", c_cat)?;
        // Customer counts per month and region.
        let per_region: Vec<f64> = (0..REGIONS.len())
            .map(|r| region.iter().filter(|&&x| x == r).count() as f64)
            .collect();
        let (mut n_month, mut n_region, mut n_count) = (vec![], vec![], vec![]);
        for period in &periods {
            for (r, name) in REGIONS.iter().enumerate() {
                n_month.push(period.to_string());
                n_region.push(name.to_string());
                n_count.push(per_region[r]);
            }
        }
        let mut customers = Dataset::from_columns(vec![("customers", n_count)])?;
        customers.set_text("month", n_month)?;
        customers.set_text("region", n_region)?;
        // Survey.
        let (mut s_id, mut s_month, mut s_region) = (vec![], vec![], vec![]);
        let mut idx: [Vec<f64>; 3] = [vec![], vec![], vec![]];
        let mut sat = vec![];
        for period in &periods {
            for _ in 0..self.survey_per_month {
                let i = rng.random_range(0..self.customers);
                s_id.push(format!("C{i:06}"));
                s_month.push(period.to_string());
                s_region.push(REGIONS[region[i]].to_string());
                for d in 0..3 {
                    idx[d].push((70.0 + 12.0 * z[i][d] + 5.0 * normal(&mut rng)).clamp(0.0, 100.0));
                }
                let s =
                    7.4 + 0.6 * z[i][0] + 0.5 * z[i][1] + 0.4 * z[i][2] + 0.9 * normal(&mut rng);
                sat.push(s.round().clamp(1.0, 10.0));
            }
        }
        let [q, v, s] = idx;
        let mut survey = Dataset::from_columns(vec![
            ("quality_index", q),
            ("value_index", v),
            ("service_index", s),
            ("satisfaction", sat),
        ])?;
        survey.set_text("customer_id", s_id)?;
        survey.set_text("month", s_month)?;
        survey.set_text("region", s_region)?;
        Ok(SimulatedMonitor {
            complaints,
            customers,
            survey,
        })
    }
}

impl Default for MonitorSimulation {
    fn default() -> Self {
        Self::new()
    }
}
