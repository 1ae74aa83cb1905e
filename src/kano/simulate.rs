//! A seeded simulator of Kano survey answers with features of known categories,
//! for examples, demonstrations and tests.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Answer, Category, EvaluationTable};
use crate::data::Dataset;
use crate::error::{Error, Result};

/// A simulated feature: the probabilities with which a respondent's answer
/// pair falls into each category; the remaining probability is noise (a
/// uniformly random pair of the 25).
#[derive(Debug, Clone, PartialEq)]
pub struct SimFeature {
    /// The feature name (columns `name_f`, `name_d`, `name_i`).
    pub name: String,
    /// (category, probability) pairs; probabilities sum to at most 1.
    pub mix: Vec<(Category, f64)>,
    /// Probability that a respondent leaves the feature's answers blank.
    pub missing: f64,
}

impl SimFeature {
    /// A feature with no category mix yet (pure noise until [`SimFeature::with`]).
    pub fn new(name: impl Into<String>) -> Self {
        SimFeature {
            name: name.into(),
            mix: Vec::new(),
            missing: 0.0,
        }
    }

    /// Adds a category with the probability that a respondent's pair falls into it.
    pub fn with(mut self, category: Category, probability: f64) -> Self {
        self.mix.push((category, probability));
        self
    }

    /// Sets the probability of a blank answer pair.
    pub fn missing(mut self, probability: f64) -> Self {
        self.missing = probability;
        self
    }

    /// The category with the largest probability (the one the data should show).
    pub fn intended(&self) -> Option<Category> {
        self.mix
            .iter()
            .fold(None, |best: Option<(Category, f64)>, &(c, p)| match best {
                Some((_, bp)) if bp >= p => best,
                _ => Some((c, p)),
            })
            .map(|(c, _)| c)
    }
}

/// The features of the built-in example: a mobile-banking app with features
/// of known categories, two of them deliberately close calls so that the
/// M > O > A > I rule matters.
pub fn example_features() -> Vec<SimFeature> {
    use Category::*;
    vec![
        SimFeature::new("secure_login").with(M, 0.70).with(O, 0.10),
        SimFeature::new("instant_transfer")
            .with(O, 0.60)
            .with(M, 0.15)
            .missing(0.02),
        SimFeature::new("budget_insights")
            .with(A, 0.60)
            .with(I, 0.15),
        SimFeature::new("cashback_offers")
            .with(A, 0.42)
            .with(I, 0.38)
            .missing(0.03),
        SimFeature::new("fee_transparency")
            .with(O, 0.39)
            .with(M, 0.37),
        SimFeature::new("paper_statements")
            .with(I, 0.65)
            .with(R, 0.10),
        SimFeature::new("push_advertising")
            .with(R, 0.50)
            .with(I, 0.30),
        SimFeature::new("chat_support")
            .with(O, 0.45)
            .with(A, 0.30)
            .missing(0.05),
    ]
}

/// Typical self-stated importance (1..9) of a respondent whose pair falls into the category.
fn base_importance(category: Category) -> i64 {
    match category {
        Category::M | Category::O => 8,
        Category::A => 6,
        Category::I => 3,
        Category::R => 2,
        Category::Q => 5,
    }
}

/// Simulates `respondents` answers to the features with a seeded ChaCha8
/// generator (the same seed gives the same data on every platform).
///
/// For each respondent and feature a category is drawn from the feature's
/// mix (or, with the leftover probability, a uniformly random pair of the 25
/// is used); the answer pair is drawn uniformly among the cells of the
/// standard [`EvaluationTable`] holding that category. The result has the
/// columns `F_f`, `F_d` (codes 1..5) and `F_i` (importance 1..9, around 8 for
/// M and O, 6 for A, 3 for I, 2 for R) per feature; blank pairs are `NaN`.
///
/// ```
/// use csikit::kano::{self, Category, KanoOptions, SimFeature};
/// let features = vec![SimFeature::new("wifi").with(Category::M, 0.8)];
/// let data = kano::simulate(&features, 200, 7).unwrap();
/// let report = kano::analyze(&data, &KanoOptions::default()).unwrap();
/// assert_eq!(report.features[0].category, Some(Category::M));
/// ```
///
/// # Errors
/// [`Error::InvalidSetting`] for zero respondents, no features, a probability
/// outside [0, 1], a mix summing to more than 1, or duplicate feature names.
pub fn simulate(features: &[SimFeature], respondents: usize, seed: u64) -> Result<Dataset> {
    let bad = |name: &str, message: String| Error::InvalidSetting {
        name: name.into(),
        message,
    };
    if respondents == 0 {
        return Err(bad(
            "respondents",
            "simulate at least one respondent".into(),
        ));
    }
    if features.is_empty() {
        return Err(bad("features", "simulate at least one feature".into()));
    }
    for (k, f) in features.iter().enumerate() {
        let in_unit = |p: f64| p.is_finite() && (0.0..=1.0).contains(&p);
        if let Some(&(c, p)) = f.mix.iter().find(|(_, p)| !in_unit(*p)) {
            return Err(bad(
                "mix",
                format!(
                    "feature `{}`: probability {p} of {c} is outside [0, 1]",
                    f.name
                ),
            ));
        }
        let total: f64 = f.mix.iter().map(|(_, p)| p).sum();
        if total > 1.0 + 1e-9 {
            return Err(bad(
                "mix",
                format!(
                    "feature `{}`: the category probabilities sum to {total}, more than 1",
                    f.name
                ),
            ));
        }
        if !in_unit(f.missing) {
            return Err(bad(
                "missing",
                format!(
                    "feature `{}`: missing probability {} is outside [0, 1]",
                    f.name, f.missing
                ),
            ));
        }
        if features[..k].iter().any(|g| g.name == f.name) {
            return Err(bad(
                "features",
                format!("feature `{}` is listed twice", f.name),
            ));
        }
    }
    let table = EvaluationTable::standard();
    let cells_of = |c: Category| -> Vec<(Answer, Answer)> {
        let mut v = Vec::new();
        for f in Answer::ALL {
            for d in Answer::ALL {
                if table.classify(f, d) == c {
                    v.push((f, d));
                }
            }
        }
        v
    };
    let cells: Vec<Vec<(Answer, Answer)>> = Category::ALL.iter().map(|&c| cells_of(c)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut columns: Vec<(String, Vec<f64>)> = Vec::with_capacity(3 * features.len());
    for f in features {
        let mut fun = Vec::with_capacity(respondents);
        let mut dys = Vec::with_capacity(respondents);
        let mut imp = Vec::with_capacity(respondents);
        for _ in 0..respondents {
            if rng.random::<f64>() < f.missing {
                fun.push(f64::NAN);
                dys.push(f64::NAN);
                imp.push(f64::NAN);
                continue;
            }
            let u = rng.random::<f64>();
            let mut acc = 0.0;
            let mut chosen = None;
            for &(c, p) in &f.mix {
                acc += p;
                if u < acc {
                    chosen = Some(c);
                    break;
                }
            }
            let (fa, da) = match chosen {
                Some(c) => {
                    let pool = &cells[Category::ALL.iter().position(|&x| x == c).unwrap_or(0)];
                    pool[rng.random_range(0..pool.len())]
                }
                None => (
                    Answer::ALL[rng.random_range(0..5)],
                    Answer::ALL[rng.random_range(0..5)],
                ),
            };
            let cat = table.classify(fa, da);
            let importance = (base_importance(cat) + rng.random_range(-1..=1)).clamp(1, 9);
            fun.push(f64::from(fa.code()));
            dys.push(f64::from(da.code()));
            imp.push(importance as f64);
        }
        columns.push((format!("{}_f", f.name), fun));
        columns.push((format!("{}_d", f.name), dys));
        columns.push((format!("{}_i", f.name), imp));
    }
    Dataset::from_columns(columns)
}
