//! Bootstrap and multi-group benchmarks on the satisfaction ECSI model
//! (250 rows × 27 indicators; group column `gender`: 148 female, 102 male).
//!
//! ```text
//! cargo bench --bench bootstrap
//! ```

use csikit::{Bootstrap, Dataset, Model, MultiGroup, Pls};

fn main() {
    divan::main();
}

const MODEL: &str = "
IMAG =~ imag1 + imag2 + imag3 + imag4 + imag5
EXPE =~ expe1 + expe2 + expe3 + expe4 + expe5
QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
VAL  =~ val1 + val2 + val3 + val4
SAT  =~ sat1 + sat2 + sat3 + sat4
LOY  =~ loy1 + loy2 + loy3 + loy4
EXPE ~ IMAG
QUAL ~ EXPE
VAL  ~ EXPE + QUAL
SAT  ~ IMAG + EXPE + QUAL + VAL
LOY  ~ IMAG + SAT
";

fn satisfaction() -> (Dataset, Model) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/satisfaction.csv");
    (
        Dataset::from_csv(path).expect("tests/data/satisfaction.csv"),
        Model::from_syntax(MODEL).expect("model"),
    )
}

/// Percentile and BCa intervals for weights, loadings, paths, effects, R² and
/// HTMT, all cores (the default settings).
#[divan::bench(args = [1000, 5000], sample_count = 10, sample_size = 1)]
fn bootstrap(bencher: divan::Bencher, resamples: usize) {
    let (data, model) = satisfaction();
    let pls = Pls::new(&model);
    bencher.bench(|| {
        Bootstrap::new(resamples)
            .seed(1)
            .run(&pls, &data)
            .expect("bootstrap")
    });
}

/// The same on one thread.
#[divan::bench(args = [1000], sample_count = 5, sample_size = 1)]
fn bootstrap_one_thread(bencher: divan::Bencher, resamples: usize) {
    let (data, model) = satisfaction();
    let pls = Pls::new(&model);
    bencher.bench(|| {
        Bootstrap::new(resamples)
            .seed(1)
            .threads(1)
            .run(&pls, &data)
            .expect("bootstrap")
    });
}

/// Permutation test of every path, loading and weight difference plus MICOM
/// steps 2–3, female vs male, 999 permutations, all cores.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn mga_999_permutations(bencher: divan::Bencher) {
    let (data, model) = satisfaction();
    let pls = Pls::new(&model);
    bencher.bench(|| {
        MultiGroup::new("gender")
            .permutations(999)
            .seed(1)
            .run(&pls, &data)
            .expect("mga")
    });
}
