//! PLSc, PLSpredict, assessment and blindfolding on the satisfaction data
//! (250 × 27, ECSI model). Run with `cargo bench --bench assess`.

use csikit::{Dataset, Mode, Model, Pls, PlsPredict};

fn main() {
    divan::main();
}

fn data() -> Dataset {
    Dataset::from_csv(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/satisfaction.csv"
    ))
    .expect("satisfaction.csv")
}

fn model() -> Model {
    let blocks: [(&str, &str, usize); 6] = [
        ("IMAG", "imag", 5),
        ("EXPE", "expe", 5),
        ("QUAL", "qual", 5),
        ("VAL", "val", 4),
        ("SAT", "sat", 4),
        ("LOY", "loy", 4),
    ];
    let mut b = Model::builder();
    for (name, prefix, k) in blocks {
        b = b.construct(name, Mode::A, (1..=k).map(|i| format!("{prefix}{i}")));
    }
    b.paths("IMAG", ["EXPE", "SAT", "LOY"])
        .paths("EXPE", ["QUAL", "VAL", "SAT"])
        .paths("QUAL", ["VAL", "SAT"])
        .path("VAL", "SAT")
        .path("SAT", "LOY")
        .build()
        .expect("model")
}

#[divan::bench]
fn plsc_fit(bencher: divan::Bencher) {
    let (d, m) = (data(), model());
    bencher.bench(|| {
        Pls::new(&m)
            .consistent(true)
            .fit(divan::black_box(&d))
            .unwrap()
    });
}

#[divan::bench]
fn pls_fit_plain(bencher: divan::Bencher) {
    let (d, m) = (data(), model());
    bencher.bench(|| Pls::new(&m).fit(divan::black_box(&d)).unwrap());
}

#[divan::bench]
fn plspredict_10_folds(bencher: divan::Bencher) {
    let (d, m) = (data(), model());
    let pls = Pls::new(&m);
    bencher.bench(|| {
        PlsPredict::new(&pls)
            .folds(10)
            .seed(1)
            .run(divan::black_box(&d))
            .unwrap()
    });
}

#[divan::bench]
fn plspredict_10_folds_10_repetitions(bencher: divan::Bencher) {
    let (d, m) = (data(), model());
    let pls = Pls::new(&m);
    bencher.bench(|| {
        PlsPredict::new(&pls)
            .folds(10)
            .repetitions(10)
            .seed(1)
            .run(divan::black_box(&d))
            .unwrap()
    });
}

#[divan::bench]
fn assess(bencher: divan::Bencher) {
    let (d, m) = (data(), model());
    let fit = Pls::new(&m).fit(&d).unwrap();
    bencher.bench(|| divan::black_box(&fit).assess());
}

#[divan::bench]
fn blindfolding_d7(bencher: divan::Bencher) {
    let (d, m) = (data(), model());
    let pls = Pls::new(&m);
    bencher.bench(|| pls.blindfolding(divan::black_box(&d), 7).unwrap());
}
