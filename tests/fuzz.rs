//! Random-input ("fuzz") tests: thousands of generated inputs per target, each
//! of which must give `Ok` with finite numbers or a typed `Err` — never a
//! panic, a hang or NaN dressed as success.
//!
//! The number of executions per target is `CSIKIT_FUZZ_ITERS` (default 1500,
//! which CI runs); run longer by hand with e.g. `CSIKIT_FUZZ_ITERS=200000
//! cargo test --release --test tests fuzz`. The seed is `CSIKIT_FUZZ_SEED`
//! (default 1), printed with any failing input.

use csikit::{CsvOptions, Dataset, MissingPolicy, Mode, Model, Pls, PlsFit, PlsPredict, Scheme};
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

/// Three times in four one of the first `common` items, otherwise any.
fn pick_mostly<'a>(r: &mut ChaCha8Rng, items: &[&'a str], common: usize) -> &'a str {
    let k = if r.random_range(0..4) == 0 {
        items.len()
    } else {
        common
    };
    items[r.random_range(0..k)]
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
    // GoF = √(mean communality · mean R²) is NaN by contract when an
    // inadmissible consistent-PLS solution has a negative mean R².
    let negative_r2 = fit.consistent.as_ref().is_some_and(|c| !c.admissible)
        && fit
            .constructs
            .iter()
            .filter_map(|c| c.r_squared)
            .sum::<f64>()
            < 0.0;
    if !(fit.gof.is_nan() && negative_r2) {
        values.push(fit.gof);
    }
    assert!(
        values.iter().all(|v| v.is_finite()),
        "non-finite estimate in a successful fit"
    );
}

/// Small random data (`n` rows, 2–6 columns `v0…`, with missing values,
/// infinities, a constant or a collinear column) and a random model over it:
/// 2–3 constructs on disjoint blocks, random modes and 1–3 random paths.
fn random_data_and_model(
    r: &mut ChaCha8Rng,
    rows: std::ops::Range<usize>,
) -> (Dataset, csikit::ModelBuilder) {
    let n = r.random_range(rows);
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
    let k = r.random_range(2..4).min(p);
    let mut b = Model::builder();
    let mut cut: Vec<usize> = (1..p).collect();
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
    (data, b)
}

#[test]
fn fuzz_estimation_on_small_data_and_models() {
    let mut r = rng(3);
    let mut fitted = 0;
    for _ in 0..iterations() {
        let (data, b) = random_data_and_model(&mut r, 0..14);
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

/// The first `NaN` or `inf` token in a value's `Debug` text (every `f64` of
/// a result shows up there, also inside `Some(…)`), with some context.
fn non_finite_token(debug: &str) -> Option<String> {
    let bytes = debug.as_bytes();
    for token in ["NaN", "inf"] {
        let mut from = 0;
        while let Some(at) = debug[from..].find(token).map(|i| i + from) {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + token.len()).copied();
            let word = |b: Option<u8>| b.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
            if !word(before) && !word(after) {
                let mut lo = at.saturating_sub(120);
                while !debug.is_char_boundary(lo) {
                    lo -= 1;
                }
                let mut hi = (at + 40).min(debug.len());
                while !debug.is_char_boundary(hi) {
                    hi += 1;
                }
                return Some(debug[lo..hi].to_string());
            }
            from = at + token.len();
        }
    }
    None
}

/// An `Ok` result must carry finite numbers only.
fn assert_all_finite<T: std::fmt::Debug>(what: &str, value: &T) {
    let text = format!("{value:?}");
    if let Some(ctx) = non_finite_token(&text) {
        panic!("{what}: non-finite number in a successful result: …{ctx}…");
    }
}

#[test]
fn non_finite_token_finds_only_numbers() {
    assert!(non_finite_token("Foo { a: 1.0, b: Some(NaN) }").is_some());
    assert!(non_finite_token("x: -inf,").is_some());
    assert!(non_finite_token("label: \"info\", NaNa: 1.0, Inflow: 2").is_none());
}

/// Assessment, blindfolding, PLSc and PLSpredict on random small data and models.
#[test]
fn fuzz_assessment_plsc_predict_blindfolding() {
    let mut r = rng(5);
    let mut assessed = 0;
    for _ in 0..iterations() {
        let (data, b) = random_data_and_model(&mut r, 0..24);
        let Ok(model) = b.build() else { continue };
        let folds = r.random_range(0..12);
        let distance = r.random_range(0..12);
        let consistent = r.random_range(0..2) == 0;
        let seed = r.random_range(0..1000u64);
        let input = (&data, model.to_syntax(), folds, distance, consistent);
        no_panic(&input, || {
            let pls = Pls::new(&model).max_iter(100).consistent(consistent);
            if let Ok(fit) = pls.fit(&data) {
                assert_finite(&fit);
                let a = fit.assess();
                // Assessment values are optional where undefined, never NaN.
                // The Fornell–Larcker diagonal of a Mode B construct is NaN by
                // contract (no AVE; null in JSON): mask it, check the rest.
                let mut a = a;
                let k = model.constructs().len();
                for (j, c) in model.constructs().iter().enumerate() {
                    if c.mode == Mode::B {
                        a.fornell_larcker.data[j * k + j] = 0.0;
                    }
                }
                // f² is +∞ by contract exactly when the dependent's R² is 1.
                for f2 in a.f_squared.iter_mut().filter(|f| f.value.is_infinite()) {
                    let r2 = fit.construct(&f2.to).and_then(|c| c.r_squared);
                    assert!(
                        r2.is_some_and(|r2| r2 > 1.0 - 1e-9),
                        "f² = ∞ with R² {r2:?}"
                    );
                    f2.value = 0.0;
                }
                // HTMT (absolute or signed) is NaN by contract where a block's
                // mean monotrait correlation is ≤ 0; HTMT2 is then None.
                let htmt2 = a.htmt2.clone();
                for h in a.htmt.iter_mut().chain(a.htmt_signed.iter_mut()) {
                    if h.value.is_nan() {
                        let pair = htmt2.iter().find(|x| x.a == h.a && x.b == h.b);
                        assert!(
                            pair.is_some_and(|x| x.value.is_none()),
                            "HTMT {} {}",
                            h.a,
                            h.b
                        );
                        h.value = 0.0;
                    }
                }
                // Indicator VIF is +∞ by contract for a singular block.
                for v in a
                    .vif_indicators
                    .iter_mut()
                    .filter(|v| v.value == f64::INFINITY)
                {
                    v.value = 0.0;
                }
                // GoF: NaN by contract for a negative mean R² (inadmissible PLSc).
                if a.gof.is_nan() && fit.gof.is_nan() && fit.consistent.is_some() {
                    a.gof = 0.0;
                }
                assert_all_finite("assessment", &a);
                if let Some(c) = &fit.consistent {
                    assert_all_finite("consistent", c);
                }
            }
            if let Ok(b) = pls.blindfolding(&data, distance) {
                assert_all_finite("blindfolding", &b);
            }
            if let Ok(p) = PlsPredict::new(&pls).folds(folds).seed(seed).run(&data) {
                assert_all_finite("PLSpredict", &p);
                assert_eq!(p.n_observations + p.n_dropped, data.n_rows());
            }
        });
        assessed += usize::from(Pls::new(&model).fit(&data).is_ok());
    }
    assert!(assessed > 0, "no generated case could be fitted");
}

/// CSI: index, index scores, impacts, IPMA and segments/periods with tiny
/// groups on random small data, scales and labels.
#[test]
fn fuzz_csi() {
    use csikit::csi::{self, CsiAnalysis, CsiModel, IpmaOptions, PeriodComparison, Scale, Scales};
    let mut r = rng(6);
    let mut indexed = 0;
    for _ in 0..iterations() {
        let (mut data, b) = random_data_and_model(&mut r, 0..40);
        let Ok(model) = b.build() else { continue };
        let (lo, hi) =
            [(1.0, 7.0), (1.0, 10.0), (0.0, 5.0), (7.0, 1.0), (4.0, 4.0)][r.random_range(0..5)];
        let mut scales = Scales::uniform(Scale::new(lo, hi));
        if r.random_range(0..4) == 0 {
            scales = scales.with("v0", Scale::new(0.0, f64::INFINITY));
        }
        // Segment labels from a few values, some missing, sometimes one per row.
        let n = data.n_rows();
        let unique = r.random_range(0..4) == 0;
        let labels: Vec<String> = (0..n)
            .map(|i| match r.random_range(0..8) {
                _ if unique => i.to_string(),
                0 => String::new(),
                v => ["1", "2", "3", "2024-01", "a"][v as usize % 5].to_string(),
            })
            .collect();
        data.set_text("seg", labels).unwrap();
        let min_group = r.random_range(0..12);
        let target = format!("C{}", r.random_range(0..3));
        let input = (&data, model.to_syntax(), lo, hi, min_group, &target);
        no_panic(&input, || {
            let cm = CsiModel::from_model(model.clone(), "custom");
            if let Ok(fit) = Pls::new(&model).max_iter(100).fit(&data) {
                if let Ok(idx) = csi::index(&fit, &scales) {
                    assert_all_finite("index", &idx);
                    for im in csi::impacts(&fit, &idx) {
                        assert_all_finite("impact", &im);
                    }
                    if let Ok(map) = csi::ipma(&fit, &idx, target.as_str(), &IpmaOptions::default())
                    {
                        assert_all_finite("ipma", &map);
                    }
                }
                let bounded = csi::index(&fit, &scales)
                    .is_ok_and(|idx| idx.indicators.iter().all(|i| i.rescaled >= 0.0));
                if let Ok(s) = csi::index_scores(&fit, &scales, &data)
                    && bounded
                {
                    // With no negative weight (which the index reports as a
                    // warning), every respondent's score lies in 0..=100.
                    assert_all_finite("index scores", &s);
                    for c in &s.constructs {
                        let col = s.column(c).unwrap();
                        assert!(col.iter().all(|v| (-1e-9..=100.0 + 1e-9).contains(v)));
                    }
                }
            }
            let a = CsiAnalysis::new(&cm, scales.clone())
                .target(csikit::Construct::from_name(&target))
                .min_group_size(min_group);
            for g in [
                a.segments(&data, "seg"),
                a.periods(
                    &data,
                    "seg",
                    &[PeriodComparison::Previous, PeriodComparison::Lag(1)],
                ),
            ]
            .into_iter()
            .flatten()
            {
                assert_all_finite("groups", &g.groups);
                // Every label is either estimated or skipped with its size.
                let labels: std::collections::BTreeSet<String> =
                    data.labels("seg").unwrap().into_iter().flatten().collect();
                assert_eq!(g.groups.len() + g.skipped.len(), labels.len());
                for d in &g.index_differences {
                    assert!(d.difference.is_finite() && d.std_error.is_finite());
                }
            }
        });
        indexed += usize::from(
            Pls::new(&model)
                .fit(&data)
                .is_ok_and(|f| csi::index(&f, &Scales::uniform(Scale::new(1.0, 7.0))).is_ok()),
        );
    }
    assert!(indexed > 0, "no generated case reached the index");
}

/// Monitoring: complaint and customer-count tables with bad periods, counts
/// and durations; metrics, hotspots, KPIs and links.
#[test]
fn fuzz_monitor() {
    use csikit::monitor::{
        ComplaintColumns, Complaints, CustomerCounts, Kpi, MetricOptions, Period, SurveyInput,
        evaluate_kpis, link_by_respondent, link_by_segment,
    };
    let mut r = rng(7);
    let months = [
        "2026-01",
        "2026-02",
        "2026-03",
        "2025-02",
        "2026-13",
        "2026-1",
        "x",
        "",
        "2026-02-15",
    ];
    let hours = ["1", "0", "2.5", "", "-1", "inf", "1e9", "x"];
    let customers = ["100", "1", "0", "", "-5", "1e9", "x", "20000"];
    let mut computed = 0;
    for _ in 0..iterations() {
        let mut complaints = String::from("month,category,region,resp,resol,id\n");
        for _ in 0..r.random_range(0..12) {
            complaints.push_str(&format!(
                "{},{},{},{},{},{}\n",
                pick_mostly(&mut r, &months, 3),
                pick_mostly(&mut r, &["billing", "network", "5g", ""], 3),
                pick(&mut r, &["n", "s"]),
                pick_mostly(&mut r, &hours, 4),
                pick_mostly(&mut r, &hours, 4),
                pick(&mut r, &["a", "b", "c", ""]),
            ));
        }
        let by_region = r.random_range(0..2) == 0;
        let mut counts = String::from("month,region,customers\n");
        for m in &months[..r.random_range(0..5)] {
            for reg in ["n", "s"] {
                let c = pick_mostly(&mut r, &customers, 2);
                counts.push_str(&format!("{m},{reg},{c}\n"));
            }
        }
        let mut survey = String::from("month,region,id,sat,q\n");
        for _ in 0..r.random_range(0..10) {
            survey.push_str(&format!(
                "{},{},{},{},{}\n",
                pick(&mut r, &months[..3]),
                pick(&mut r, &["n", "s"]),
                pick(&mut r, &["a", "b", "c", "d"]),
                pick(&mut r, &["1", "5", "8", "10", ""]),
                pick(&mut r, &["1", "2", "7", ""]),
            ));
        }
        let base = Period::parse(pick(&mut r, &months[..4]));
        let input = (&complaints, &counts, &survey, by_region);
        no_panic(&input, || {
            let csv = |t: &str| Dataset::from_reader(t.as_bytes(), &CsvOptions::default());
            let (Ok(cd), Ok(nd), Ok(sd)) = (csv(&complaints), csv(&counts), csv(&survey)) else {
                return;
            };
            let mut cols = ComplaintColumns::new("month", "category")
                .response_hours("resp")
                .resolution_hours("resol")
                .customer_id("id");
            let segs: &[&str] = if by_region { &["region"] } else { &[] };
            if by_region {
                cols = cols.segment("region");
            }
            let (Ok(c), Ok(n)) = (
                Complaints::from_dataset(&cd, &cols),
                CustomerCounts::from_dataset(&nd, "month", "customers", segs),
            ) else {
                return;
            };
            if let Ok(m) = c.metrics(&n, &MetricOptions { base_period: base }) {
                assert_all_finite("metrics", &m.rows);
                for p in ["2026-01", "2026-02", "2026-03"] {
                    if let Ok(h) = m.hotspots(Period::parse(p).unwrap(), 3, 1, None) {
                        assert_all_finite("hotspots", &h);
                    }
                }
                if let Ok(links) = link_by_segment(&m, &["region".to_string()], &sd, &["q"], 0.95) {
                    assert_all_finite("segment links", &links);
                }
            }
            let kpis = [
                Kpi::SatisfiedShare {
                    threshold: 8.0,
                    target: 0.5,
                },
                Kpi::ComplaintRate { max: 0.01 },
                Kpi::ResponseWithin {
                    hours: 2.0,
                    min_share: 0.8,
                },
                Kpi::ResolutionPercentile {
                    percentile: 0.9,
                    max_hours: 24.0,
                },
            ];
            let survey_input = SurveyInput {
                data: &sd,
                period: "month",
                satisfaction: "sat",
            };
            if let Ok(st) = evaluate_kpis(&kpis, &c, &n, Some(survey_input)) {
                assert_all_finite("kpis", &st);
            }
            if let Ok(links) = link_by_respondent(&c, &sd, "id", &["q"], 0.95, true) {
                // Means of an empty group are None, never NaN.
                assert_all_finite("respondent links", &links);
            }
        });
        computed += usize::from(csv_ok(&complaints, &counts, by_region));
    }
    assert!(computed > 0, "no generated case reached the metrics");
}

/// Whether the complaint and count tables of a monitor case give metrics.
fn csv_ok(complaints: &str, counts: &str, by_region: bool) -> bool {
    use csikit::monitor::{ComplaintColumns, Complaints, CustomerCounts, MetricOptions};
    let csv = |t: &str| Dataset::from_reader(t.as_bytes(), &CsvOptions::default());
    let (Ok(cd), Ok(nd)) = (csv(complaints), csv(counts)) else {
        return false;
    };
    let mut cols = ComplaintColumns::new("month", "category");
    let segs: &[&str] = if by_region { &["region"] } else { &[] };
    if by_region {
        cols = cols.segment("region");
    }
    let (Ok(c), Ok(n)) = (
        Complaints::from_dataset(&cd, &cols),
        CustomerCounts::from_dataset(&nd, "month", "customers", segs),
    ) else {
        return false;
    };
    c.metrics(&n, &MetricOptions::default()).is_ok()
}

// ----- regressions: inputs the fuzzing found -------------------------------

/// A perfect fit (v1 = 2·v0 + 1, R² = 1): the path's SE is 0, so t and p are
/// undefined (`None`, they were ±∞) and f² is +∞ by contract.
#[test]
fn regression_perfect_fit_has_no_infinite_t() {
    let v0: Vec<f64> = (0..15).map(f64::from).collect();
    let v1: Vec<f64> = v0.iter().map(|x| 2.0 * x + 1.0).collect();
    let data = Dataset::from_columns(vec![("v0", v0), ("v1", v1)]).unwrap();
    let model = Model::from_syntax("C0 =~ v0\nC1 =~ v1\nC1 ~ C0").unwrap();
    let fit = Pls::new(&model).fit(&data).unwrap();
    let path = fit.path("C0", "C1").unwrap();
    assert!((path.estimate - 1.0).abs() < 1e-12);
    assert_eq!(path.std_error, Some(0.0));
    assert_eq!((path.t, path.p), (None, None));
    assert_eq!(fit.f_squared[0].value, f64::INFINITY);
    assert!(serde_json::to_string(&fit.report()).is_ok());
}

/// An indicator exactly uncorrelated with the other block's composite gets
/// weight 0, which makes rho_A 0/0: reported as undefined (`None`), not NaN.
#[test]
fn regression_rho_a_zero_over_zero_is_none() {
    let data = Dataset::from_columns(vec![
        ("v0", vec![0., 1., 2., 3., 4., 5., 6.]),
        ("v1", vec![1., 3., 5., 7., 9., 11., 13.]),
        ("v2", vec![5., 2., 4., 5., 1., 2., 6.]),
        ("v3", vec![7., 5., 7., 5., 5., 3., 1.]),
    ])
    .unwrap();
    let model = Model::from_syntax("C0 =~ v0 + v1\nC1 =~ v2 + v3\nC1 ~ C0").unwrap();
    let fit = Pls::new(&model).fit(&data).unwrap();
    assert_eq!(fit.indicator("v2").unwrap().weight, 0.0);
    assert_eq!(fit.construct("C1").unwrap().rho_a, None);
    assert_eq!(
        fit.construct("C0").unwrap().rho_a.map(|r| r.is_finite()),
        Some(true)
    );
    assert_all_finite("assessment reliability", &fit.assess().reliability);
}

/// After listwise deletion the block C0 = {v0, v1} has correlation exactly 0:
/// HTMT is not defined (NaN, null in JSON; it was +∞) and HTMT2 is `None`.
#[test]
fn regression_htmt_with_uncorrelated_block_is_undefined() {
    let nan = f64::NAN;
    let data = Dataset::from_columns(vec![
        ("v0", vec![1., 5., 2., 1., 3.]),
        ("v1", vec![4., nan, 2., nan, 4.]),
        ("v2", vec![7., 3., 2., 2., 6.]),
        ("v3", vec![4., 6., 3., 6., 5.]),
    ])
    .unwrap();
    let model = Model::from_syntax("C0 =~ v0 + v1\nC1 =~ v2 + v3\nC0 ~ C1").unwrap();
    let fit = Pls::new(&model).fit(&data).unwrap();
    assert_eq!(fit.missing.n_dropped, 2);
    let a = fit.assess();
    assert!(a.htmt[0].value.is_nan() && a.htmt_signed[0].value.is_nan());
    assert_eq!(a.htmt2[0].value, None);
    let json = serde_json::to_value(fit.report()).unwrap();
    // (the key `information_criteria` aside)
    assert!(
        !json
            .to_string()
            .replace("\"information_criteria\"", "")
            .contains("inf")
    );
}
