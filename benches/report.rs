//! The CSI report with bootstrap intervals (issue 20) and its co-moment
//! kernel, on the built-in survey (9 600 respondents × 24 indicators, 24
//! months, segment columns region, arpu_tier, age_band and plan: 39 fits).
//!
//! ```text
//! cargo bench --bench report
//! ```
//!
//! The kernel bench counts multiply-adds: m·p(p + 1)/2 per call for the m
//! rows a resample of 9 600 draws (6 068 distinct rows on average, 1 − 1/e)
//! and p = 24, the floor of any method computing the co-moments from the
//! rows. Its throughput (items/s) divided by the machine's multiply-add rate
//! is how close it comes to the floor (README, Performance).

use csikit::analysis::{AcsiRequest, BuiltinSurvey, Observer, acsi};
use csikit::pls::kernel::{cross_products, gather};

fn main() {
    divan::main();
}

fn report(resamples: usize) {
    let survey = BuiltinSurvey::default();
    let (data, model, desc) = survey.simulate().expect("survey");
    let request = survey.complete(&AcsiRequest {
        bootstrap: Some(resamples),
        ..AcsiRequest::default()
    });
    acsi::run(&data, &model, &desc, &request, &Observer::silent()).expect("report");
}

/// The whole `acsi` report with 200 resamples per fit, all cores.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn acsi_report_200(bencher: divan::Bencher) {
    bencher.bench(|| report(200));
}

/// The whole `acsi` report with 5 000 resamples per fit, all cores (slow:
/// two samples).
#[divan::bench(sample_count = 2, sample_size = 1)]
fn acsi_report_5000(bencher: divan::Bencher) {
    bencher.bench(|| report(5000));
}

const P: usize = 24;
const N: usize = 9600;
/// Distinct rows of a resample of N draws: N (1 − (1 − 1/N)^N) ≈ 0.632 N.
const M: usize = 6068;

/// Standardized-looking column-major data and one resample's rows and counts.
fn kernel_input() -> (Vec<f64>, Vec<usize>, Vec<f64>) {
    let z: Vec<f64> = (0..P * N)
        .map(|x| ((x as f64 * 0.618_033_988_75).fract() - 0.5) * 3.4)
        .collect();
    // Every row drawn with a count 1–3, M rows spread over N.
    let idx: Vec<usize> = (0..M).map(|t| t * N / M).collect();
    let w: Vec<f64> = (0..M).map(|t| (1 + t % 3) as f64).collect();
    (z, idx, w)
}

/// The per-resample kernel: gather the drawn rows (√count-weighted) and
/// form their cross products; counter = the floor's multiply-adds.
#[divan::bench(sample_count = 50)]
fn kernel_per_resample(bencher: divan::Bencher) {
    let (z, idx, w) = kernel_input();
    let root: Vec<f64> = w.iter().map(|c| c.sqrt()).collect();
    let mut buf = vec![0.0; P * M];
    let mut sums = vec![0.0; P];
    let mut out = vec![0.0; P * P];
    bencher
        .counter(divan::counter::ItemsCount::new(M * P * (P + 1) / 2))
        .bench_local(|| {
            gather(&z, N, &idx, &w, &root, &mut buf, &mut sums);
            cross_products(&buf, P, M, &mut out);
            divan::black_box(&out);
        });
}

/// The cross products alone (the gathered rows in cache).
#[divan::bench(sample_count = 50)]
fn kernel_cross_products(bencher: divan::Bencher) {
    let (z, idx, w) = kernel_input();
    let root: Vec<f64> = w.iter().map(|c| c.sqrt()).collect();
    let mut buf = vec![0.0; P * M];
    let mut sums = vec![0.0; P];
    gather(&z, N, &idx, &w, &root, &mut buf, &mut sums);
    let mut out = vec![0.0; P * P];
    bencher
        .counter(divan::counter::ItemsCount::new(M * P * (P + 1) / 2))
        .bench_local(|| {
            cross_products(&buf, P, M, &mut out);
            divan::black_box(&out);
        });
}
