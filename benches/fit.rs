//! One PLS-PM fit of the ECSI satisfaction model (6 constructs, 27 indicators,
//! path scheme, tolerance 1e-7) on 250 rows (the real data), 100 000 rows and
//! 1 000 000 rows (the real rows resampled with noise), beside the physical
//! floor: the one pass that computes the indicators' co-moments (XᵀX).
//!
//! `cargo bench --bench fit`

use csikit::{Dataset, MissingPolicy, Model, Moments, Pls};

fn main() {
    divan::main();
}

fn satisfaction() -> Dataset {
    Dataset::from_csv(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/satisfaction.csv"
    ))
    .unwrap()
}

fn model() -> Model {
    Model::from_syntax(
        "IMAG =~ imag1 + imag2 + imag3 + imag4 + imag5
         EXPE =~ expe1 + expe2 + expe3 + expe4 + expe5
         QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
         VAL  =~ val1 + val2 + val3 + val4
         SAT  =~ sat1 + sat2 + sat3 + sat4
         LOY  =~ loy1 + loy2 + loy3 + loy4
         EXPE ~ IMAG
         QUAL ~ EXPE
         VAL  ~ EXPE + QUAL
         SAT  ~ IMAG + EXPE + QUAL + VAL
         LOY  ~ IMAG + SAT",
    )
    .unwrap()
}

/// `n` rows drawn from the satisfaction rows (a fixed LCG) plus uniform noise in ±0.5.
fn large(n: usize) -> Dataset {
    let base = satisfaction();
    let names: Vec<String> = base
        .names()
        .iter()
        .filter(|c| *c != "gender")
        .cloned()
        .collect();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 11
    };
    let rows: Vec<usize> = (0..n).map(|_| (next() % 250) as usize).collect();
    let cols = names
        .iter()
        .map(|name| {
            let src = base.numeric(name).unwrap();
            let col: Vec<f64> = rows
                .iter()
                .map(|&r| src[r] + ((next() as f64) / (1u64 << 53) as f64 - 0.5))
                .collect();
            (name.clone(), col)
        })
        .collect();
    Dataset::from_columns(cols).unwrap()
}

#[divan::bench(sample_count = 200)]
fn fit_250_rows(bencher: divan::Bencher) {
    let data = satisfaction();
    let model = model();
    bencher.bench_local(|| Pls::new(&model).fit(divan::black_box(&data)).unwrap());
}

#[divan::bench(args = [100_000, 1_000_000], sample_count = 10)]
fn fit_large(bencher: divan::Bencher, n: usize) {
    let data = large(n);
    let model = model();
    bencher.bench_local(|| Pls::new(&model).fit(divan::black_box(&data)).unwrap());
}

/// The floor: the single pass over the data computing means and XᵀX (co-moments).
#[divan::bench(args = [250, 100_000, 1_000_000], sample_count = 10)]
fn comoments_only(bencher: divan::Bencher, n: usize) {
    let data = if n == 250 { satisfaction() } else { large(n) };
    let names: Vec<String> = model().indicators().map(String::from).collect();
    bencher.bench_local(|| {
        Moments::from_dataset(
            divan::black_box(&data),
            &names,
            None,
            MissingPolicy::Listwise,
        )
        .unwrap()
    });
}

/// The iteration and everything derived, given the moments (no pass over rows).
#[divan::bench(sample_count = 200)]
fn fit_from_moments(bencher: divan::Bencher) {
    let data = satisfaction();
    let model = model();
    let names: Vec<&str> = model.indicators().collect();
    let (m, _) = Moments::from_dataset(&data, &names, None, MissingPolicy::Listwise).unwrap();
    bencher.bench_local(|| Pls::new(&model).fit_moments(divan::black_box(&m)).unwrap());
}
