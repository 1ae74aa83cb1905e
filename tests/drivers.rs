//! Key drivers by relative importance: reference values from independent
//! computations on public data, properties, and a simulated survey with known
//! drivers.

use csikit::drivers::{self, DriverOptions, ShapleyMethod};
use csikit::{CsvOptions, Dataset};
use nalgebra::{DMatrix, DVector};

use crate::common::satisfaction;

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Centered columns scaled to unit length (so X'X is the correlation matrix).
fn unit_columns(data: &Dataset, cols: &[&str]) -> DMatrix<f64> {
    let n = data.n_rows();
    let mut m = DMatrix::zeros(n, cols.len());
    for (j, c) in cols.iter().enumerate() {
        let v = data.numeric(c).unwrap();
        let mean = v.iter().sum::<f64>() / n as f64;
        let norm = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>().sqrt();
        for i in 0..n {
            m[(i, j)] = (v[i] - mean) / norm;
        }
    }
    m
}

/// R² of y on the columns `subset` of x by the normal equations on raw data
/// (with an intercept, through centering).
fn brute_r2(data: &Dataset, x: &[&str], subset: &[usize], y: &str) -> f64 {
    if subset.is_empty() {
        return 0.0;
    }
    let cols: Vec<&str> = subset.iter().map(|&i| x[i]).collect();
    let n = data.n_rows();
    let yv = data.numeric(y).unwrap();
    let ym = yv.iter().sum::<f64>() / n as f64;
    let yc = DVector::from_iterator(n, yv.iter().map(|v| v - ym));
    let mut xm = DMatrix::zeros(n, cols.len());
    for (j, c) in cols.iter().enumerate() {
        let v = data.numeric(c).unwrap();
        let mean = v.iter().sum::<f64>() / n as f64;
        for i in 0..n {
            xm[(i, j)] = v[i] - mean;
        }
    }
    let xtx = xm.transpose() * &xm;
    let xty = xm.transpose() * &yc;
    let b = xtx.lu().solve(&xty).unwrap();
    let fitted = &xm * b;
    let ssr = (&yc - fitted).norm_squared();
    1.0 - ssr / yc.norm_squared()
}

fn permutations(p: usize) -> Vec<Vec<usize>> {
    if p == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for perm in permutations(p - 1) {
        for pos in 0..=perm.len() {
            let mut v = perm.clone();
            v.insert(pos, p - 1);
            out.push(v);
        }
    }
    out
}

const X: [&str; 5] = ["imag1", "expe1", "qual1", "val1", "qual3"];

#[test]
fn reference_values_on_the_bank_survey() {
    let data = satisfaction();
    let result = drivers::analyze(&data, "sat1", &names(&X), &DriverOptions::default()).unwrap();
    assert_eq!(result.n, 250);
    assert_eq!(result.n_dropped, 0);
    assert_eq!(result.shapley_method, ShapleyMethod::Exact);

    // Shapley by definition: the average increment over all 5! = 120 orders
    // of entry, each R² from the normal equations on the raw data.
    let p = X.len();
    let mut cache = std::collections::HashMap::new();
    let mut r2 = |set: &[usize]| {
        let mut key = set.to_vec();
        key.sort();
        *cache
            .entry(key.clone())
            .or_insert_with(|| brute_r2(&data, &X, &key, "sat1"))
    };
    let mut phi = vec![0.0; p];
    let orders = permutations(p);
    for order in &orders {
        for k in 0..p {
            phi[order[k]] += r2(&order[..=k]) - r2(&order[..k]);
        }
    }
    let full = r2(&(0..p).collect::<Vec<_>>());
    assert!(
        (result.r_squared - full).abs() < 1e-10,
        "{} vs {full}",
        result.r_squared
    );
    for (d, want) in result.drivers.iter().zip(&phi) {
        let want = want / orders.len() as f64;
        assert!(
            (d.shapley - want).abs() < 1e-10,
            "{}: {} vs {want}",
            d.name,
            d.shapley
        );
    }

    // Johnson (2000) through the singular value decomposition of the data:
    // X = U D Vᵀ, Z = U Vᵀ, Λ = V D Vᵀ, β = Zᵀy, ε_j = Σ_k Λ_jk² β_k².
    let xm = unit_columns(&data, &X);
    let y = unit_columns(&data, &["sat1"]).column(0).into_owned();
    let svd = xm.clone().svd(true, true);
    let u = svd.u.unwrap();
    let vt = svd.v_t.unwrap();
    let z = &u * &vt;
    let lambda = vt.transpose() * DMatrix::from_diagonal(&svd.singular_values) * &vt;
    let beta = z.transpose() * y;
    for (j, d) in result.drivers.iter().enumerate() {
        let eps: f64 = (0..p)
            .map(|k| lambda[(j, k)].powi(2) * beta[k].powi(2))
            .sum();
        assert!(
            (d.johnson - eps).abs() < 1e-10,
            "{}: {} vs {eps}",
            d.name,
            d.johnson
        );
    }
    let jsum: f64 = result.drivers.iter().map(|d| d.johnson).sum();
    assert!((jsum - full).abs() < 1e-10);
}

#[test]
fn shapley_sums_to_r_squared_and_equals_general_dominance() {
    let data = satisfaction();
    let x = [
        "imag1", "imag2", "expe1", "expe2", "qual1", "qual2", "qual3", "val1", "val2",
    ];
    let r = drivers::analyze(&data, "sat2", &names(&x), &DriverOptions::default()).unwrap();
    let sum: f64 = r.drivers.iter().map(|d| d.shapley).sum();
    assert!((sum - r.r_squared).abs() < 1e-12);
    let share: f64 = r.drivers.iter().map(|d| d.shapley_share).sum();
    assert!((share - 1.0).abs() < 1e-12);
    for d in &r.drivers {
        let g = d.dominance_general.unwrap();
        assert!((g - d.shapley).abs() < 1e-12, "{}", d.name);
    }
    // Conditional dominance at k = 0 is the squared correlation.
    let dom = r.dominance.as_ref().unwrap();
    for (d, c) in r.drivers.iter().zip(&dom.conditional) {
        assert!((c[0] - d.correlation.powi(2)).abs() < 1e-12);
        // At k = p − 1 it is the increment over all others (the squared semipartial).
    }
    assert_eq!(dom.pairs.len(), 9 * 8 / 2);
    // Complete dominance implies conditional, which implies general.
    for pair in &dom.pairs {
        if let Some(c) = &pair.complete {
            assert_eq!(pair.conditional.as_ref(), Some(c));
        }
        if let Some(c) = &pair.conditional {
            assert_eq!(pair.general.as_ref(), Some(c));
        }
    }
}

#[test]
fn invariant_to_driver_order() {
    let data = satisfaction();
    let a = drivers::analyze(&data, "sat1", &names(&X), &DriverOptions::default()).unwrap();
    let rev: Vec<&str> = X.iter().rev().copied().collect();
    let b = drivers::analyze(&data, "sat1", &names(&rev), &DriverOptions::default()).unwrap();
    assert!((a.r_squared - b.r_squared).abs() < 1e-12);
    for d in &a.drivers {
        let e = b.drivers.iter().find(|e| e.name == d.name).unwrap();
        assert!((d.shapley - e.shapley).abs() < 1e-12);
        assert!((d.johnson - e.johnson).abs() < 1e-12);
        assert_eq!(d.rank, e.rank);
    }
}

/// A standard normal from a 64-bit LCG and Box–Muller.
struct Gen(u64);
impl Gen {
    fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

#[test]
fn simulated_survey_recovers_known_drivers() {
    // Independent drivers: the Shapley value of x_j is b_j² / var(y).
    let n = 20_000;
    let b = [0.6, 0.4, 0.2, 0.0];
    let mut g = Gen(11);
    let mut cols: Vec<Vec<f64>> = (0..5).map(|_| Vec::with_capacity(n)).collect();
    for _ in 0..n {
        let x: Vec<f64> = (0..4).map(|_| g.normal()).collect();
        let y = x.iter().zip(&b).map(|(x, b)| x * b).sum::<f64>() + 0.6 * g.normal();
        for j in 0..4 {
            cols[j].push(x[j]);
        }
        cols[4].push(y);
    }
    // Some missing answers, dropped listwise and counted.
    cols[1][7] = f64::NAN;
    cols[4][9] = f64::NAN;
    let data = Dataset::from_columns(
        ["x1", "x2", "x3", "x4", "y"]
            .iter()
            .zip(cols)
            .map(|(n, c)| (n.to_string(), c))
            .collect(),
    )
    .unwrap();
    let options = DriverOptions {
        bootstrap: 200,
        seed: 3,
        ..DriverOptions::default()
    };
    let r = drivers::analyze(&data, "y", &names(&["x1", "x2", "x3", "x4"]), &options).unwrap();
    assert_eq!(r.n_dropped, 2);
    assert_eq!(r.n, n - 2);
    let var_y: f64 = b.iter().map(|b| b * b).sum::<f64>() + 0.36;
    for (d, b) in r.drivers.iter().zip(&b) {
        let truth = b * b / var_y;
        assert!(
            (d.shapley - truth).abs() < 0.015,
            "{}: {} vs {truth}",
            d.name,
            d.shapley
        );
        assert!((d.johnson - truth).abs() < 0.015);
        let (lo, hi) = (d.ci_lower.unwrap(), d.ci_upper.unwrap());
        assert!(lo <= d.shapley && d.shapley <= hi);
        assert!(
            lo - 0.01 < truth && truth < hi + 0.01,
            "{}: [{lo}, {hi}] vs {truth}",
            d.name
        );
    }
    let ranks: Vec<usize> = r.drivers.iter().map(|d| d.rank).collect();
    assert_eq!(ranks, [1, 2, 3, 4]);
    let dom = r.dominance.as_ref().unwrap();
    let x1x2 = dom
        .pairs
        .iter()
        .find(|p| p.a == "x1" && p.b == "x2")
        .unwrap();
    assert_eq!(x1x2.complete.as_deref(), Some("x1"));
    // The same seed gives the same intervals.
    let again = drivers::analyze(&data, "y", &names(&["x1", "x2", "x3", "x4"]), &options).unwrap();
    assert_eq!(r, again);
    assert_eq!(r.bootstrap.as_ref().unwrap().failed, 0);
}

#[test]
fn permutation_sampling_beyond_the_exact_limit() {
    let data = satisfaction();
    let x: Vec<&str> = data
        .names()
        .iter()
        .map(String::as_str)
        .filter(|c| !c.starts_with("sat") && !c.starts_with("loy") && *c != "gender")
        .collect();
    assert!(x.len() > drivers::EXACT_LIMIT);
    let options = DriverOptions {
        permutations: 3000,
        ..DriverOptions::default()
    };
    let r = drivers::analyze(&data, "sat1", &names(&x), &options).unwrap();
    assert_eq!(r.shapley_method, ShapleyMethod::Permutation);
    assert_eq!(r.permutations, Some(3000));
    assert!(r.dominance.is_none());
    let sum: f64 = r.drivers.iter().map(|d| d.shapley).sum();
    assert!((sum - r.r_squared).abs() < 1e-12);
    // R² from the normal equations on the raw data.
    let all: Vec<usize> = (0..x.len()).collect();
    assert!((r.r_squared - brute_r2(&data, &x, &all, "sat1")).abs() < 1e-10);
    for d in &r.drivers {
        assert!(d.shapley_mc_se.unwrap() < 0.003);
    }
}

#[test]
fn missing_codes_are_dropped_listwise() {
    let csv = "x1,x2,y\n1,2,3\n2,1,3\n3,5,6\n4,3,6\n5,6,9\n99,4,7\n6,4,8\n7,8,11\n";
    let data = Dataset::from_reader(csv.as_bytes(), &CsvOptions::default().na("99")).unwrap();
    let r = drivers::analyze(&data, "y", &names(&["x1", "x2"]), &DriverOptions::default()).unwrap();
    assert_eq!((r.n, r.n_dropped), (7, 1));
    let bad =
        drivers::analyze(&data, "y", &names(&["x1", "x9"]), &DriverOptions::default()).unwrap_err();
    assert!(matches!(bad, csikit::Error::UnknownColumn { .. }));
}

#[test]
fn simulated_profile_recovers_the_over_represented_segment() {
    use csikit::drivers::profile::{self, DissatisfiedRule, ProfileOptions};
    // Plan B customers are dissatisfied 3× as often; the network item drives
    // dissatisfaction, the billing item does not.
    let n = 3000;
    let mut g = Gen(5);
    let (mut plan, mut city, mut network, mut billing, mut sat) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let p = ["A", "B", "C"][i % 3];
        let net = (7.0 + 1.5 * g.normal()).round().clamp(1.0, 10.0);
        let bill = (7.0 + 1.5 * g.normal()).round().clamp(1.0, 10.0);
        let risk = if p == "B" { 0.30 } else { 0.10 };
        let low = g.uniform() < risk + 0.04 * (7.0 - net);
        plan.push(p.to_string());
        city.push(["north", "south"][(i / 3) % 2].to_string());
        network.push(net);
        billing.push(bill);
        sat.push(if low { 3.0 } else { 8.0 });
    }
    sat[0] = f64::NAN;
    let mut data = Dataset::from_columns(vec![
        ("network", network),
        ("billing", billing),
        ("sat", sat),
    ])
    .unwrap();
    data.set_text("plan", plan).unwrap();
    data.set_text("city", city).unwrap();
    let options = ProfileOptions {
        rule: DissatisfiedRule::BottomBox { min: 1.0, boxes: 4 },
        segments: names(&["plan", "city"]),
        drivers: names(&["network", "billing"]),
        level: 0.95,
    };
    let r = profile::profile(&data, "sat", &options).unwrap();
    assert_eq!((r.n, r.n_dropped), (n - 1, 1));
    assert_eq!(r.threshold, 4.0);
    let top = &r.segments[0];
    assert_eq!(
        (top.column.as_str(), top.level.as_str(), top.rank),
        ("plan", "B", 1)
    );
    assert!(
        top.lift > 1.5 && top.p_bh < 1e-6 && top.p_holm < 1e-6,
        "{top:?}"
    );
    assert!(top.share_ci_lower < top.share && top.share < top.share_ci_upper);
    // Lift = the level's dissatisfied rate over the overall rate.
    assert!((top.lift - top.dissatisfied_rate / r.dissatisfied_rate).abs() < 1e-12);
    // City is unrelated: not significant after BH.
    for s in r.segments.iter().filter(|s| s.column == "city") {
        assert!(s.p_bh > 0.01, "{s:?}");
    }
    // Shares among the dissatisfied of one column sum to 1.
    let plan_share: f64 = r
        .segments
        .iter()
        .filter(|s| s.column == "plan")
        .map(|s| s.share)
        .sum();
    assert!((plan_share - 1.0).abs() < 1e-12);
    assert_eq!(r.drivers[0].name, "network");
    assert!(r.drivers[0].standardized < -0.2 && r.drivers[0].p_value < 1e-6);
    assert!(r.drivers[1].standardized.abs() < 0.15);
}
