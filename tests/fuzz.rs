//! Random-input ("fuzz") tests: thousands of generated inputs per target, each
//! of which must give `Ok` with finite numbers or a typed `Err` — never a
//! panic, a hang or NaN dressed as success.
//!
//! The number of executions per target is `CSIKIT_FUZZ_ITERS` (default 1500,
//! which CI runs); run longer by hand with e.g. `CSIKIT_FUZZ_ITERS=200000
//! cargo test --release --test tests fuzz`. The seed is `CSIKIT_FUZZ_SEED`
//! (default 1), printed with any failing input.

use csikit::{CsvOptions, Dataset, MissingPolicy, Mode, Model, Pls, PlsFit, Scheme};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn iterations() -> usize {
    std::env::var("CSIKIT_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1500)
}

fn rng(target: u64) -> ChaCha8Rng {
    let seed = std::env::var("CSIKIT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1u64);
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(target);
    r
}

/// Runs `f` and reports the input that made it panic.
fn no_panic<T: std::fmt::Debug>(input: &T, f: impl FnOnce() + std::panic::UnwindSafe) {
    if let Err(e) = std::panic::catch_unwind(f) {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("panic `{msg}` on input {input:?}");
    }
}

fn pick<'a>(r: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items[r.random_range(0..items.len())]
}

#[test]
fn fuzz_model_syntax() {
    let mut r = rng(1);
    let tokens = [
        "A", "B", "C", "x1", "x2", "y1", " ", " ", "=~", "<~", "~", "+", "+", "\n", "\n", "#", ";",
        "*", ":", "0.5", "=", "<", "é", "\t", "_", ".", "1a", "~~", "\r\n",
    ];
    let mut ok = 0;
    for _ in 0..iterations() {
        let text = if r.random_range(0..2) == 0 {
            let len = r.random_range(0..40);
            (0..len).map(|_| pick(&mut r, &tokens)).collect::<String>()
        } else {
            // Grammar-based: a valid model, then a few random mutations.
            let mut t =
                String::from("A =~ x1 + x2\nB <~ y1\nC =~ z1 + z2 + z3 # c\nB ~ A\nC ~ A + B\n");
            for _ in 0..r.random_range(0..3) {
                let chars: Vec<char> = t.chars().collect();
                let at = r.random_range(0..=chars.len());
                let mut mutated: String = chars[..at].iter().collect();
                match r.random_range(0..3) {
                    0 => mutated.push_str(pick(&mut r, &tokens)),
                    1 => {}
                    _ => mutated.push_str(pick(&mut r, &tokens)),
                }
                let skip = if r.random_range(0..2) == 0 { 1 } else { 0 };
                mutated.extend(chars.iter().skip(at + skip));
                t = mutated;
            }
            t
        };
        no_panic(&text, || {
            if let Ok(m) = Model::from_syntax(&text) {
                // A parsed model survives a round trip through its own syntax.
                assert_eq!(Model::from_syntax(&m.to_syntax()).unwrap(), m);
            }
        });
        ok += usize::from(Model::from_syntax(&text).is_ok());
    }
    // The generator must also produce valid models, or the round trip is untested.
    assert!(ok > 0, "no valid model generated");
}

#[test]
fn fuzz_csv_loader() {
    let mut r = rng(2);
    let cells = [
        "1", "2.5", "-99", "", "NA", "nan", "inf", "-inf", "1e308", "1e309", "x", "\"a,b\"", "\"",
        " 3 ", "0x10", "-0", "1,2", "\n", ",,", "é",
    ];
    for _ in 0..iterations() {
        let rows = r.random_range(0..6);
        let cols = r.random_range(0..5);
        let mut text = String::new();
        for i in 0..=rows {
            let line: Vec<&str> = (0..cols)
                .map(|_| {
                    if i == 0 {
                        pick(&mut r, &["a", "b", "c", "a", ""])
                    } else {
                        pick(&mut r, &cells)
                    }
                })
                .collect();
            text.push_str(&line.join(","));
            text.push('\n');
        }
        let options = CsvOptions::default().na("-99");
        no_panic(&text, || {
            if let Ok(d) = Dataset::from_reader(text.as_bytes(), &options) {
                for name in d.names() {
                    let _ = d.numeric(name);
                    let _ = d.labels(name);
                }
            }
        });
    }
}

/// Every number a successful fit reports must be finite.
fn assert_finite(fit: &PlsFit) {
    let mut values: Vec<f64> = Vec::new();
    values.extend(
        fit.outer
            .iter()
            .flat_map(|o| [o.weight, o.loading, o.communality]),
    );
    values.extend(fit.paths.iter().map(|p| p.estimate));
    values.extend(fit.paths.iter().filter_map(|p| p.std_error));
    values.extend(fit.effects.iter().map(|e| e.total));
    values.extend(fit.constructs.iter().filter_map(|c| c.r_squared));
    values.extend(fit.cross_loadings.data.iter().copied());
    values.push(fit.gof);
    assert!(
        values.iter().all(|v| v.is_finite()),
        "non-finite estimate in a successful fit"
    );
}

#[test]
fn fuzz_estimation_on_small_data_and_models() {
    let mut r = rng(3);
    let mut fitted = 0;
    for _ in 0..iterations() {
        let n = r.random_range(0..14);
        let p = r.random_range(2..7);
        let names: Vec<String> = (0..p).map(|j| format!("v{j}")).collect();
        let kind = r.random_range(0..4);
        let cols: Vec<(String, Vec<f64>)> = names
            .iter()
            .enumerate()
            .map(|(j, name)| {
                let col = (0..n)
                    .map(|i| match (kind, r.random_range(0..30)) {
                        (_, 0) => f64::NAN,
                        (3, 1) => f64::INFINITY,
                        (1, _) if j == 1 => 4.0, // a constant column
                        (2, _) if j == 1 => 2.0 * (i as f64) + 1.0, // collinear with a trend
                        (2, _) if j == 0 => i as f64,
                        _ => r.random_range(1..8) as f64,
                    })
                    .collect();
                (name.clone(), col)
            })
            .collect();
        let data = Dataset::from_columns(cols).unwrap();
        // A random model: 2–3 constructs over random disjoint blocks, random modes and paths.
        let k = r.random_range(2..4).min(p);
        let mut b = Model::builder();
        let mut cut: Vec<usize> = (1..p).collect();
        // choose k-1 cut points
        let mut cuts = Vec::new();
        for _ in 0..k - 1 {
            let i = r.random_range(0..cut.len());
            cuts.push(cut.remove(i));
        }
        cuts.sort_unstable();
        let mut start = 0;
        for (c, end) in cuts.iter().copied().chain([p]).enumerate() {
            let mode = if r.random_range(0..3) == 0 {
                Mode::B
            } else {
                Mode::A
            };
            b = b.construct(format!("C{c}"), mode, names[start..end].iter().cloned());
            start = end;
        }
        for _ in 0..r.random_range(1..4) {
            let from = r.random_range(0..k);
            let to = r.random_range(0..k);
            b = b.path(format!("C{from}"), format!("C{to}"));
        }
        let Ok(model) = b.build() else { continue };
        let scheme = [Scheme::Path, Scheme::Centroid, Scheme::Factorial][r.random_range(0..3)];
        let missing = [
            MissingPolicy::Listwise,
            MissingPolicy::Mean,
            MissingPolicy::Error,
        ][r.random_range(0..3)];
        let input = (&data, model.to_syntax(), scheme, missing);
        no_panic(&input, || {
            if let Ok(fit) = Pls::new(&model)
                .scheme(scheme)
                .missing(missing)
                .max_iter(100)
                .fit(&data)
            {
                assert!(fit.converged);
                assert_finite(&fit);
                let _ = fit.scores(&data);
                let _ = fit.to_string();
            }
        });
        fitted += usize::from(Pls::new(&model).fit(&data).is_ok());
    }
    assert!(
        fitted > 0,
        "no generated case could be fitted: the generator is too hostile"
    );
}

#[test]
fn fuzz_kano_and_servqual_inputs() {
    let mut r = rng(4);
    let answers = ["1", "2", "3", "4", "5", "", "0", "6", "2.5", "-1", "x"];
    for _ in 0..iterations() {
        let rows = r.random_range(0..6);
        let mut header = vec!["f1_f", "f1_d"];
        if r.random_range(0..4) == 0 {
            header.push("f2_f");
        }
        if r.random_range(0..4) == 0 {
            header.push("f1_i");
        }
        let mut text = header.join(",") + "\n";
        for _ in 0..rows {
            let line: Vec<&str> = header.iter().map(|_| pick(&mut r, &answers)).collect();
            text.push_str(&line.join(","));
            text.push('\n');
        }
        no_panic(&text, || {
            if let Ok(d) = Dataset::from_reader(text.as_bytes(), &CsvOptions::default()) {
                let _ = csikit::kano::analyze(&d, &csikit::KanoOptions::default());
            }
        });
        // SERVQUAL: P/E columns for a 2-item custom-free standard instrument subset.
        let mut text = String::from("P1,P2,P3,P4,E1,E2,E3,E4\n");
        for _ in 0..rows {
            let line: Vec<&str> = (0..8).map(|_| pick(&mut r, &answers)).collect();
            text.push_str(&line.join(","));
            text.push('\n');
        }
        no_panic(&text, || {
            if let Ok(d) = Dataset::from_reader(text.as_bytes(), &CsvOptions::default()) {
                let _ = csikit::servqual::analyze(
                    &d,
                    &csikit::servqual::Instrument::standard(),
                    &csikit::ServqualOptions::default(),
                );
            }
        });
    }
}
