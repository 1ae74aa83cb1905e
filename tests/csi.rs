//! CSI models, the 0–100 index, impacts, IPMA, segments and periods, the
//! survey simulator's ground truth, and the HTML report.

use csikit::csi::{
    self, Construct, CsiAnalysis, CsiModel, CsiReport, IndexWarning, IpmaOptions, PeriodComparison,
    Quadrant, Ranking, Scale, Scales, SmallGroups, Split, Template, WeightedIndex,
};
use csikit::{Dataset, Error, Model, Pls, PlsFit, SurveySimulator};

use crate::common::{close, data_path};

fn ten() -> Scales {
    Scales::uniform(Scale::new(1.0, 10.0))
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn sd(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)).sqrt()
}

/// A small two-block data set: X (x1 on 1–5, x2 on 1–10), Y (y1, y2 on 1–10).
fn small() -> Dataset {
    Dataset::from_columns(vec![
        ("x1", vec![1., 2., 2., 3., 4., 5., 3., 4., 2., 5.]),
        ("x2", vec![2., 3., 5., 6., 7., 10., 6., 8., 3., 9.]),
        ("y1", vec![1., 3., 4., 5., 6., 9., 5., 7., 2., 10.]),
        ("y2", vec![2., 2., 5., 4., 7., 8., 6., 6., 3., 9.]),
    ])
    .unwrap()
}

fn small_model() -> Model {
    Model::from_syntax("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap()
}

fn mixed_scales() -> Scales {
    Scales::uniform(Scale::new(1.0, 10.0)).with("x1", Scale::new(1.0, 5.0))
}

/// The index by Fornell's formula, computed from the raw columns and the fit's
/// standardized weights: 100 Σ w_u (x̄ − min) / Σ w_u (max − min), w_u = w / sd.
fn fornell(fit: &PlsFit, data: &Dataset, block: &[(&str, f64, f64)]) -> f64 {
    let mut num = 0.0;
    let mut den = 0.0;
    for (name, lo, hi) in block {
        let x = data.numeric(name).unwrap();
        let wu = fit.indicator(name).unwrap().weight / sd(x);
        num += wu * (mean(x) - lo);
        den += wu * (hi - lo);
    }
    100.0 * num / den
}

#[test]
fn index_equals_fornell_formula_with_mixed_scales() {
    let data = small();
    let fit = Pls::new(&small_model()).fit(&data).unwrap();
    let idx = csi::index(&fit, &mixed_scales()).unwrap();
    let want_x = fornell(&fit, &data, &[("x1", 1.0, 5.0), ("x2", 1.0, 10.0)]);
    let want_y = fornell(&fit, &data, &[("y1", 1.0, 10.0), ("y2", 1.0, 10.0)]);
    close(idx.value("X").unwrap(), want_x, 1e-10, "index X");
    close(idx.value("Y").unwrap(), want_y, 1e-10, "index Y");
    // Same scale: 100 (Σ w̃ x̄ − 1)/9 with w̃ = w_u / Σ w_u.
    let (y1, y2) = (data.numeric("y1").unwrap(), data.numeric("y2").unwrap());
    let (a, b) = (
        fit.indicator("y1").unwrap().weight / sd(y1),
        fit.indicator("y2").unwrap().weight / sd(y2),
    );
    let wt = (a * mean(y1) + b * mean(y2)) / (a + b);
    close(
        idx.value("Y").unwrap(),
        100.0 * (wt - 1.0) / 9.0,
        1e-10,
        "1-10 form",
    );
    // Indicator performance = rescaled mean; rescaled weights sum to 1.
    let x1 = idx.indicators.iter().find(|i| i.indicator == "x1").unwrap();
    close(
        x1.performance,
        100.0 * (mean(data.numeric("x1").unwrap()) - 1.0) / 4.0,
        1e-12,
        "perf x1",
    );
    let vsum: f64 = idx
        .indicators
        .iter()
        .filter(|i| i.construct.name() == "X")
        .map(|i| i.rescaled)
        .sum();
    close(vsum, 1.0, 1e-12, "rescaled weights sum");
    assert!(idx.warnings.is_empty());
}

#[test]
fn respondent_scores_are_zero_at_minimum_and_hundred_at_maximum() {
    let data = small();
    let fit = Pls::new(&small_model()).fit(&data).unwrap();
    // Two extra respondents: all answers at the minimum, all at the maximum.
    let probe = Dataset::from_columns(vec![
        ("x1", vec![1., 5., 3.]),
        ("x2", vec![1., 10., 5.5]),
        ("y1", vec![1., 10., 5.5]),
        ("y2", vec![1., 10., 5.5]),
    ])
    .unwrap();
    let s = csi::index_scores(&fit, &mixed_scales(), &probe).unwrap();
    for c in ["X", "Y"] {
        let col = s.column(c).unwrap();
        close(col[0], 0.0, 1e-12, "all at minimum");
        close(col[1], 100.0, 1e-12, "all at maximum");
        close(col[2], 50.0, 1e-12, "all at the midpoint");
    }
    // The mean of the scores on the fitted data is the index.
    let idx = csi::index(&fit, &mixed_scales()).unwrap();
    let own = csi::index_scores(&fit, &mixed_scales(), &data).unwrap();
    close(
        mean(&own.column("Y").unwrap()),
        idx.value("Y").unwrap(),
        1e-10,
        "mean score",
    );
    close(
        sd(&own.column("X").unwrap()),
        idx.get("X").unwrap().sd,
        1e-10,
        "sd of scores from moments",
    );
    // An answer outside its scale is an error, not a silent value.
    let bad = Dataset::from_columns(vec![
        ("x1", vec![6.]),
        ("x2", vec![1.]),
        ("y1", vec![1.]),
        ("y2", vec![1.]),
    ])
    .unwrap();
    assert!(matches!(
        csi::index_scores(&fit, &mixed_scales(), &bad),
        Err(Error::OutOfScale { ref column, .. }) if column == "x1"
    ));
}

#[test]
fn index_is_invariant_to_linear_rescaling_of_items() {
    let data = small();
    let fit = Pls::new(&small_model()).fit(&data).unwrap();
    let before = csi::index(&fit, &mixed_scales()).unwrap();
    // x1 (1–5) → 0–100 (25x − 25); y2 (1–10) → 10 − y2 reversed? No: b > 0 only; y2 → 3 + 2 y2 (5–23).
    let x1: Vec<f64> = data
        .numeric("x1")
        .unwrap()
        .iter()
        .map(|x| 25.0 * x - 25.0)
        .collect();
    let y2: Vec<f64> = data
        .numeric("y2")
        .unwrap()
        .iter()
        .map(|x| 3.0 + 2.0 * x)
        .collect();
    let mut moved = data.clone();
    moved.set_numeric("x1", x1).unwrap();
    moved.set_numeric("y2", y2).unwrap();
    let scales = Scales::uniform(Scale::new(1.0, 10.0))
        .with("x1", Scale::new(0.0, 100.0))
        .with("y2", Scale::new(5.0, 23.0));
    let fit2 = Pls::new(&small_model()).fit(&moved).unwrap();
    let after = csi::index(&fit2, &scales).unwrap();
    for (a, b) in before.constructs.iter().zip(&after.constructs) {
        close(b.index, a.index, 1e-9, "index after rescaling");
        close(b.sd, a.sd, 1e-9, "sd after rescaling");
    }
    for (a, b) in before.indicators.iter().zip(&after.indicators) {
        close(b.rescaled, a.rescaled, 1e-9, "rescaled weight");
        close(b.performance, a.performance, 1e-9, "performance");
    }
}

#[test]
fn negative_weight_gives_a_typed_warning() {
    // x3 is a reversed item: its Mode A weight is negative.
    let x1 = [2., 4., 5., 7., 8., 9., 3., 6., 7., 5., 8., 4.];
    let x2 = [3., 4., 6., 6., 9., 8., 2., 6., 8., 4., 9., 5.];
    let x3: Vec<f64> = x1
        .iter()
        .zip(&x2)
        .map(|(a, b)| 11.0 - (a + b) / 2.0)
        .map(f64::round)
        .collect();
    let y = [2., 5., 5., 8., 8., 10., 3., 6., 7., 4., 9., 5.];
    let data = Dataset::from_columns(vec![
        ("x1", x1.to_vec()),
        ("x2", x2.to_vec()),
        ("x3", x3),
        ("y1", y.to_vec()),
        ("y2", y.iter().map(|v| (v + 1.0f64).min(10.0)).collect()),
    ])
    .unwrap();
    let model = Model::from_syntax("X =~ x1 + x2 + x3\nY =~ y1 + y2\nY ~ X").unwrap();
    let fit = Pls::new(&model).fit(&data).unwrap();
    let idx = csi::index(&fit, &ten()).unwrap();
    assert!(
        idx.warnings.iter().any(|w| matches!(
            w,
            IndexWarning::NegativeWeight { indicator, construct, weight }
                if indicator == "x3" && construct.name() == "X" && *weight < 0.0
        )),
        "{:?}",
        idx.warnings
    );
    assert!(idx.warnings[0].to_string().contains("x3"));
}

fn mobi() -> Dataset {
    Dataset::from_csv(data_path("mobi.csv")).unwrap()
}

fn mobi_model() -> CsiModel {
    Template::ecsi()
        .measure()
        .reflective(
            Construct::Image,
            ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"],
        )
        .reflective(Construct::Expectation, ["CUEX1", "CUEX2", "CUEX3"])
        .reflective(
            Construct::PerceivedQuality,
            [
                "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7",
            ],
        )
        .reflective(Construct::PerceivedValue, ["PERV1", "PERV2"])
        .reflective(Construct::Satisfaction, ["CUSA1", "CUSA2", "CUSA3"])
        .reflective(Construct::Complaints, ["CUSCO"])
        .reflective(Construct::Loyalty, ["CUSL1", "CUSL2", "CUSL3"])
        .build()
        .unwrap()
}

/// Solves the normal equations of an OLS with intercept (Gaussian elimination).
#[allow(clippy::needless_range_loop)]
fn ols(y: &[f64], xs: &[Vec<f64>]) -> Vec<f64> {
    let q = xs.len();
    let n = y.len();
    let my = mean(y);
    let mx: Vec<f64> = xs.iter().map(|x| mean(x)).collect();
    let mut a = vec![vec![0.0; q + 1]; q];
    for i in 0..q {
        for j in 0..q {
            a[i][j] = (0..n)
                .map(|r| (xs[i][r] - mx[i]) * (xs[j][r] - mx[j]))
                .sum();
        }
        a[i][q] = (0..n).map(|r| (xs[i][r] - mx[i]) * (y[r] - my)).sum();
    }
    for c in 0..q {
        let piv = (c..q)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap();
        a.swap(c, piv);
        for r in 0..q {
            if r != c {
                let f = a[r][c] / a[c][c];
                for k in c..=q {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
    }
    (0..q).map(|i| a[i][q] / a[i][i]).collect()
}

#[test]
fn mobi_ipma_and_impacts_match_definitions() {
    let data = mobi();
    let model = mobi_model();
    let fit = model.fit(&data, &ten()).unwrap();
    let pls = &fit.pls;
    // Per-respondent index scores computed here from the raw data and the
    // standardized weights only.
    let k = pls.constructs.len();
    let n = data.n_rows();
    let mut scores = vec![vec![0.0; n]; k];
    let mut v_of = std::collections::HashMap::new();
    for (j, c) in pls.constructs.iter().enumerate() {
        let wu: Vec<f64> = c
            .indicators
            .iter()
            .map(|i| pls.indicator(i).unwrap().weight / sd(data.numeric(i).unwrap()))
            .collect();
        let total: f64 = wu.iter().map(|w| w * 9.0).sum();
        for (i, name) in c.indicators.iter().enumerate() {
            let v = wu[i] * 9.0 / total;
            v_of.insert(name.clone(), v);
            for (r, x) in data.numeric(name).unwrap().iter().enumerate() {
                scores[j][r] += v * 100.0 * (x - 1.0) / 9.0;
            }
        }
        close(
            fit.index(c.name.as_str()).unwrap(),
            mean(&scores[j]),
            1e-9,
            "index = mean score",
        );
    }
    // Unstandardized paths: OLS of each endogenous construct's index scores on
    // its predecessors' scores; total effects T = B + B² + … .
    let m = model.model();
    let mut b = vec![vec![0.0; k]; k];
    for j in 0..k {
        let pred = m.predecessors(j);
        if pred.is_empty() {
            continue;
        }
        let xs: Vec<Vec<f64>> = pred.iter().map(|&p| scores[p].clone()).collect();
        for (x, &p) in pred.iter().enumerate() {
            b[j][p] = ols(&scores[j], &xs)[x];
        }
    }
    let mut total = vec![vec![0.0; k]; k];
    let mut power = b.clone();
    for _ in 0..k {
        for i in 0..k {
            for j in 0..k {
                total[i][j] += power[i][j];
            }
        }
        let mut next = vec![vec![0.0; k]; k];
        for i in 0..k {
            for l in 0..k {
                for j in 0..k {
                    next[i][j] += b[i][l] * power[l][j];
                }
            }
        }
        power = next;
    }
    let sat = m.construct_index("Satisfaction").unwrap();
    let map = fit
        .ipma(Construct::Satisfaction, &IpmaOptions::default())
        .unwrap();
    assert_eq!(
        map.constructs.len(),
        4,
        "Image, Expectation, Quality, Value drive Satisfaction"
    );
    for c in &map.constructs {
        let j = m.construct_index(c.name.name()).unwrap();
        close(
            c.importance,
            total[sat][j],
            1e-6,
            &format!("importance {}", c.name),
        );
        close(
            c.performance,
            fit.index(c.name.clone()).unwrap(),
            1e-12,
            "performance = index",
        );
        close(
            c.impact,
            5.0 * total[sat][j],
            1e-6,
            "impact = 5 × total effect",
        );
        let imp = fit.impact(c.name.clone(), Construct::Satisfaction).unwrap();
        close(imp.impact, c.impact, 1e-12, "impact table");
    }
    for i in &map.indicators {
        let x = data.numeric(&i.indicator).unwrap();
        close(
            i.performance,
            100.0 * (mean(x) - 1.0) / 9.0,
            1e-9,
            "indicator performance",
        );
        let cimp = map
            .constructs
            .iter()
            .find(|c| c.name == i.construct)
            .unwrap()
            .importance;
        close(
            i.importance,
            v_of[&i.indicator] * cimp,
            1e-9,
            "indicator importance",
        );
    }
    // Loyalty's drivers include Satisfaction and Complaints.
    let loy = fit.ipma("Loyalty", &IpmaOptions::default()).unwrap();
    let lj = m.construct_index("Loyalty").unwrap();
    for c in &loy.constructs {
        let j = m.construct_index(c.name.name()).unwrap();
        close(
            c.importance,
            total[lj][j],
            1e-6,
            &format!("importance for Loyalty {}", c.name),
        );
    }
    assert_eq!(loy.constructs.len(), 6);
}

#[test]
fn quadrants_and_short_board_ranking_follow_the_rule() {
    let data = mobi();
    let fit = mobi_model().fit(&data, &ten()).unwrap();
    let map = fit
        .ipma(Construct::Loyalty, &IpmaOptions::default())
        .unwrap();
    let mi = mean(
        &map.constructs
            .iter()
            .map(|c| c.importance)
            .collect::<Vec<_>>(),
    );
    let mp = mean(
        &map.constructs
            .iter()
            .map(|c| c.performance)
            .collect::<Vec<_>>(),
    );
    close(map.construct_split.0, mi, 1e-12, "split at mean importance");
    close(
        map.construct_split.1,
        mp,
        1e-12,
        "split at mean performance",
    );
    for c in &map.constructs {
        let want = match (c.importance > mi, c.performance < mp) {
            (true, true) => Quadrant::ConcentrateHere,
            (true, false) => Quadrant::KeepUpTheGoodWork,
            (false, true) => Quadrant::LowPriority,
            (false, false) => Quadrant::PossibleOverkill,
        };
        assert_eq!(c.quadrant, want, "{}", c.name);
    }
    // Splitting at given values: everything with importance > 0 and
    // performance < 100 is a short board, ranked by potential gain.
    let all = fit
        .ipma(
            Construct::Loyalty,
            &IpmaOptions {
                construct_split: Split::Values {
                    importance: 0.0,
                    performance: 100.0,
                },
                indicator_split: Split::Means,
                ranking: Ranking::PotentialGain,
            },
        )
        .unwrap();
    let positive = all.constructs.iter().filter(|c| c.importance > 0.0).count();
    assert_eq!(all.short_boards.len(), positive);
    for w in all.short_boards.windows(2) {
        assert!(w[0].potential_gain >= w[1].potential_gain);
        assert_eq!(w[1].rank, w[0].rank + 1);
    }
    let top = &all.short_boards[0];
    close(
        top.potential_gain,
        top.importance * (100.0 - top.performance),
        1e-12,
        "gain",
    );
    let by_imp = fit
        .ipma(
            Construct::Loyalty,
            &IpmaOptions {
                construct_split: Split::Values {
                    importance: 0.0,
                    performance: 100.0,
                },
                indicator_split: Split::Means,
                ranking: Ranking::Importance,
            },
        )
        .unwrap();
    for w in by_imp.short_boards.windows(2) {
        assert!(w[0].importance >= w[1].importance);
    }
}

#[test]
fn templates_and_typed_access() {
    assert_eq!(Template::acsi().paths.len(), 9);
    assert_eq!(Template::ecsi().paths.len(), 12);
    assert_eq!(Template::ccsi().paths.len(), 11);
    assert!(!Template::ccsi().constructs.contains(&Construct::Complaints));
    // An unmapped construct is a clear error.
    let err = Template::acsi()
        .measure()
        .reflective(Construct::Expectation, ["e1"])
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::UnmappedConstruct { ref construct, .. } if construct == "Quality")
    );
    assert!(err.to_string().contains("ACSI"));
    // Dropping Complaints from ACSI removes its paths; a custom construct can be added.
    let mut t = Template::acsi();
    t.remove_construct(&Construct::Complaints);
    assert_eq!(t.paths.len(), 7);
    let m = t
        .measure()
        .reflective(Construct::Expectation, ["CUEX1", "CUEX2", "CUEX3"])
        .reflective(Construct::PerceivedQuality, ["PERQ1", "PERQ2", "PERQ3"])
        .reflective(Construct::PerceivedValue, ["PERV1", "PERV2"])
        .reflective(Construct::Satisfaction, ["CUSA1", "CUSA2", "CUSA3"])
        .reflective(Construct::Loyalty, ["CUSL1", "CUSL3"])
        .reflective("Brand", ["IMAG1", "IMAG2"])
        .path("Brand", Construct::Loyalty)
        .build()
        .unwrap();
    let fit = m.fit(&mobi(), &ten()).unwrap();
    assert_eq!(
        fit.index(Construct::Satisfaction),
        fit.index("Satisfaction")
    );
    assert!(fit.index(Construct::Custom("Brand".into())).is_some());
    assert!(fit.path("Brand", Construct::Loyalty).unwrap() > 0.0);
    assert!(fit.r_squared(Construct::Loyalty).unwrap() > 0.3);
    assert_eq!(fit.index(Construct::Complaints), None);
    // A hand-written model keeps the typed names where they match.
    let hand = CsiModel::from_model(SurveySimulator::model(), "mine");
    assert_eq!(hand.construct("Quality"), Some(Construct::PerceivedQuality));
    assert_eq!(hand.template().paths.len(), 12);
}

#[test]
fn aggregation_by_explicit_weights() {
    let companies = [
        WeightedIndex::new("A", 70.0, 300.0),
        WeightedIndex::new("B", 80.0, 100.0),
        WeightedIndex::new("C", 60.0, 50.0),
        WeightedIndex::new("D", 75.0, 150.0),
    ];
    let industries =
        csi::aggregate_by(&companies, &["telecom", "telecom", "banks", "banks"]).unwrap();
    close(industries[0].index, 72.5, 1e-12, "telecom");
    close(
        industries[1].index,
        (60.0 * 50.0 + 75.0 * 150.0) / 200.0,
        1e-12,
        "banks",
    );
    assert_eq!(industries[0].weight, 400.0);
    let national = csi::aggregate("national", &industries).unwrap();
    close(
        national.index,
        (70.0 * 300.0 + 80.0 * 100.0 + 60.0 * 50.0 + 75.0 * 150.0) / 600.0,
        1e-12,
        "national",
    );
    // Explicit weights for the next level (e.g. GDP shares) replace the sums.
    let gdp = [
        WeightedIndex::new("telecom", industries[0].index, 0.2),
        WeightedIndex::new("banks", industries[1].index, 0.8),
    ];
    close(
        csi::aggregate("n", &gdp).unwrap().index,
        0.2 * 72.5 + 0.8 * 71.25,
        1e-12,
        "gdp weights",
    );
    let bad = [WeightedIndex::new("X", 70.0, -1.0)];
    assert!(matches!(
        csi::aggregate("n", &bad),
        Err(Error::InvalidAggregationWeight { ref unit, weight }) if unit == "X" && weight == -1.0
    ));
    assert!(csi::aggregate("n", &[]).is_err());
    assert!(csi::aggregate("n", &[WeightedIndex::new("X", 70.0, 0.0)]).is_err());
}

#[test]
fn scales_and_targets_fail_clearly() {
    assert!(matches!(
        Scale::parse("10:1"),
        Err(Error::InvalidScale { .. })
    ));
    assert!(matches!(
        Scale::parse("1-10"),
        Err(Error::InvalidSetting { .. })
    ));
    assert_eq!(Scale::parse(" 0 : 100 ").unwrap(), Scale::new(0.0, 100.0));
    let data = mobi();
    let model = mobi_model();
    let pls = Pls::new(model.model()).fit(&data).unwrap();
    let e = csi::index(&pls, &Scales::none().with("IMAG1", Scale::new(1.0, 10.0))).unwrap_err();
    assert!(e.to_string().contains("IMAG2"), "{e}");
    let fit = model.fit(&data, &ten()).unwrap();
    let e = fit
        .ipma("Satisfation", &IpmaOptions::default())
        .unwrap_err();
    assert!(
        matches!(e, Error::UnknownTarget { .. })
            && e.to_string().contains("did you mean `Satisfaction`")
    );
    assert!(matches!(
        fit.ipma(Construct::Image, &IpmaOptions::default()),
        Err(Error::NoDrivers { ref target }) if target == "Image"
    ));
    // A fit of another model is refused.
    let other = Pls::new(&SurveySimulator::model())
        .fit(&SurveySimulator::new(200).simulate().unwrap())
        .unwrap();
    assert!(csikit::CsiFit::new(model.clone(), other, ten()).is_err());
}

#[test]
fn segments_periods_and_the_group_size_guard() {
    let data = SurveySimulator::new(1500)
        .seed(11)
        .months(14)
        .simulate()
        .unwrap();
    let model = SurveySimulator::csi_model();
    let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0)).min_group_size(60);
    let seg = a.segments(&data, "arpu_tier").unwrap();
    let labels: Vec<&str> = seg.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels, ["high", "low", "mid"]);
    assert_eq!(seg.index_differences.len(), 3 * 7);
    // Each group is its own fit; differences are the differences of the indices.
    let high = Pls::new(model.model())
        .fit(
            &data
                .take_rows(&rows_where(&data, "arpu_tier", "high"))
                .unwrap(),
        )
        .unwrap();
    let high_idx = csi::index(&high, &ten()).unwrap();
    close(
        seg.group("high")
            .unwrap()
            .index(Construct::Satisfaction)
            .unwrap(),
        high_idx.value("Satisfaction").unwrap(),
        1e-12,
        "group index",
    );
    let d = seg
        .index_differences
        .iter()
        .find(|d| d.construct == Construct::PerceivedValue && d.from == "high" && d.to == "low")
        .unwrap();
    close(
        d.difference,
        seg.group("low").unwrap().index("Value").unwrap()
            - seg.group("high").unwrap().index("Value").unwrap(),
        1e-12,
        "difference",
    );
    assert!(
        d.p_value.unwrap() < 0.01,
        "value differs between tiers by design: {d:?}"
    );
    assert!(d.ci.unwrap().contains(d.difference));
    assert!(
        seg.impact_differences
            .iter()
            .all(|d| d.p_value.is_none() && d.ci.is_none())
    );
    // Months: about 107 respondents each; the guard at 120 skips (or fails on) them.
    let months = a
        .periods(
            &data,
            "month",
            &[
                PeriodComparison::Previous,
                PeriodComparison::Lag(12),
                PeriodComparison::Base("1".into()),
            ],
        )
        .unwrap();
    let ml: Vec<&str> = months.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(ml[..3], ["1", "2", "3"], "numeric order, not text order");
    assert_eq!(ml.len(), 14);
    let count = |c: &str| {
        months
            .index_differences
            .iter()
            .filter(|d| d.comparison == c && d.construct == Construct::Satisfaction)
            .count()
    };
    assert_eq!(count("previous"), 13);
    assert_eq!(
        count("lag 12"),
        2,
        "months 13 and 14 have a year-earlier partner"
    );
    assert_eq!(count("base 1"), 13);
    let yoy = months
        .index_differences
        .iter()
        .find(|d| d.comparison == "lag 12")
        .unwrap();
    assert_eq!((yoy.from.as_str(), yoy.to.as_str()), ("1", "13"));
    assert!(matches!(
        a.periods(&data, "month", &[PeriodComparison::Base("15".into())]),
        Err(Error::UnknownPeriod { ref period, .. }) if period == "15"
    ));
    let strict = CsiAnalysis::new(&model, Scale::new(1.0, 10.0))
        .min_group_size(120)
        .small_groups(SmallGroups::Error);
    assert!(matches!(
        strict.periods(&data, "month", &[]),
        Err(Error::GroupTooSmall { ref column, n, min: 120, .. }) if column == "month" && n < 120
    ));
    let lenient = CsiAnalysis::new(&model, Scale::new(1.0, 10.0)).min_group_size(120);
    let p = lenient
        .periods(&data, "month", &[PeriodComparison::Previous])
        .unwrap();
    assert_eq!(p.groups.len() + p.skipped.len(), 14);
    assert!(!p.skipped.is_empty());
    assert!(
        p.skipped
            .iter()
            .all(|s| s.n < 120 && s.reason.contains("fewer than the minimum"))
    );
    assert!(matches!(
        a.segments(&data, "regoin"),
        Err(Error::UnknownColumn { .. })
    ));
}

fn rows_where(data: &Dataset, col: &str, level: &str) -> Vec<usize> {
    data.labels(col)
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, l)| l.as_deref() == Some(level))
        .map(|(r, _)| r)
        .collect()
}

/// (indicator, rescaled weight) pairs of a construct's block.
fn weights_of(idx: &csi::IndexResult, construct: &str) -> Vec<(String, f64)> {
    idx.indicators
        .iter()
        .filter(|i| i.construct.name() == construct)
        .map(|i| (i.indicator.clone(), i.rescaled))
        .collect()
}

fn true_index(truth: &csikit::simulate::Truth, w: &[(String, f64)]) -> f64 {
    let pairs: Vec<(&str, f64)> = w.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    truth.index(&pairs)
}

/// Parameter recovery on 40 000 simulated respondents.
///
/// Tolerances: (1) Item means and indices: the truth is exact (normal CDF,
/// rounding and clipping included) and the index is linear in the item means
/// given the fit's weights, so only sampling error remains: SE ≈ 0.009 answer
/// points per item mean and ≈ 0.09 index points overall (≈ 0.18 per region),
/// so the tolerances 0.04, 0.4 and 0.7 are about 4 SE. (2) Paths: PLS
/// composites carry measurement error (and the rounding to whole answers), so
/// PLS paths are attenuated relative to the latent ones (Dijkstra & Henseler
/// 2015): by a factor ≈ √(ρ_A,x·ρ_A,y) ≈ 0.8 for a single predictor. We check
/// the two single-predictor paths after the PLSc correction
/// β / √(ρ_A,x·ρ_A,y) to 0.02 (sampling SE ≈ 0.005; observed 0.001 and 0.004), every
/// path to 0.12 without correction (the observed attenuation reaches 0.096 on
/// Image → Expectation), and (3) the segment difference of Value →
/// Satisfaction (true 0.30) to lie between 0.80 × 0.30 − 0.04 and 0.30 + 0.04:
/// attenuated like the paths themselves.
#[test]
fn parameter_recovery_on_a_large_sample() {
    let sim = SurveySimulator::new(40_000).seed(99).months(12);
    let data = sim.simulate().unwrap();
    let truth = sim.truth(&[]).unwrap();
    for (name, m) in &truth.item_means {
        let x = data.numeric(name).unwrap();
        close(mean(x), *m, 0.04, &format!("mean answer {name}"));
    }
    let model = SurveySimulator::csi_model();
    let fit = model.fit(&data, &ten()).unwrap();
    for c in model.constructs() {
        let w = weights_of(&fit.index, c.name());
        close(
            fit.index(c.clone()).unwrap(),
            true_index(&truth, &w),
            0.4,
            &format!("index {c}"),
        );
    }
    for (from, to, b) in &truth.paths {
        let est = fit.path(from.as_str(), to.as_str()).unwrap();
        close(est, *b, 0.12, &format!("path {from} -> {to}"));
    }
    let rho = |c: &str| fit.pls.construct(c).unwrap().rho_a.unwrap();
    for (from, to) in [("Image", "Expectation"), ("Satisfaction", "Complaints")] {
        let corrected = fit.path(from, to).unwrap() / (rho(from) * rho(to)).sqrt();
        close(
            corrected,
            truth.path(from, to).unwrap(),
            0.02,
            &format!("PLSc-corrected {from} -> {to}"),
        );
    }
    // Segments: the Value → Satisfaction path is 0.30 higher for low- than for high-ARPU customers.
    let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0));
    let seg = a.segments(&data, "arpu_tier").unwrap();
    let path = |g: &str| {
        seg.group(g)
            .unwrap()
            .paths
            .iter()
            .find(|p| p.from == "Value" && p.to == "Satisfaction")
            .unwrap()
            .estimate
    };
    let t_low = sim.truth(&[("arpu_tier", "low")]).unwrap();
    let t_high = sim.truth(&[("arpu_tier", "high")]).unwrap();
    let true_diff = t_low.path("Value", "Satisfaction").unwrap()
        - t_high.path("Value", "Satisfaction").unwrap();
    close(true_diff, 0.30, 1e-12, "designed difference");
    let est_diff = path("low") - path("high");
    assert!(
        (0.8 * true_diff - 0.04..=true_diff + 0.04).contains(&est_diff),
        "estimated difference {est_diff} for a true {true_diff}"
    );
    // Index differences between regions recover the truth (each group's own weights).
    let reg = a.segments(&data, "region").unwrap();
    for g in &reg.groups {
        let t = sim.truth(&[("region", g.label.as_str())]).unwrap();
        let w = weights_of(&g.index, "Quality");
        close(
            g.index("Quality").unwrap(),
            true_index(&t, &w),
            0.7,
            &format!("Quality index in {}", g.label),
        );
    }
}

/// Coverage of the 95 % index interval in 60 replications of n = 300: the
/// count of intervals that cover the truth (given each fit's weights) should
/// be near 57; fewer than 51 has probability < 0.2 % under the nominal rate.
#[test]
fn index_intervals_cover_the_truth() {
    let model = SurveySimulator::csi_model();
    let sim = SurveySimulator::new(300).months(6);
    let truth = sim.truth(&[]).unwrap();
    let mut covered = 0;
    let reps = 60;
    for rep in 0..reps {
        let data = sim.clone().seed(1000 + rep).simulate().unwrap();
        let fit = model.fit(&data, &ten()).unwrap();
        let ci = fit.construct_index(Construct::Satisfaction).unwrap().ci;
        let t = true_index(&truth, &weights_of(&fit.index, "Satisfaction"));
        covered += usize::from(ci.contains(t));
    }
    assert!(
        (51..=reps as usize).contains(&covered),
        "covered {covered} of {reps}"
    );
}

#[test]
fn simulator_is_deterministic_and_its_truth_is_consistent() {
    let a = SurveySimulator::new(200).seed(4).simulate().unwrap();
    let b = SurveySimulator::new(200).seed(4).simulate().unwrap();
    assert_eq!(a, b);
    let sim = SurveySimulator::new(10);
    let all = sim.truth(&[]).unwrap();
    assert_eq!(all.share, 1.0);
    let north = sim.truth(&[("region", "north")]).unwrap();
    close(north.share, 0.25, 1e-12, "share");
    // Quality is shifted up in the north: its items have higher expected answers.
    assert!(north.item_mean("PERQ1").unwrap() > all.item_mean("PERQ1").unwrap());
    // Paths averaged over the population: Quality → Satisfaction shifts cancel
    // over age bands, the high tier adds 0.10/3.
    close(
        all.path("Quality", "Satisfaction").unwrap(),
        0.35 + 0.10 / 3.0,
        1e-12,
        "avg path",
    );
    assert!(sim.truth(&[("region", "mars")]).is_err());
    assert!(sim.truth(&[("month", "13")]).is_err());
}

/// A tiny XML well-formedness checker: balanced, properly nested tags, quoted
/// attributes, known entities; `<!DOCTYPE …>` allowed at the start.
fn check_xml(text: &str) -> Result<usize, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut elements = 0;
    let mut rest = text.trim_start();
    if rest.starts_with("<!DOCTYPE") {
        let end = rest.find('>').ok_or("unterminated doctype")?;
        rest = &rest[end + 1..];
    }
    let mut seen_root = false;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt])?;
        rest = &rest[lt..];
        let gt = rest.find('>').ok_or("unterminated tag")?;
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or(format!("stray </{name}>"))?;
            if open != name.trim() {
                return Err(format!("<{open}> closed by </{name}>"));
            }
            continue;
        }
        if stack.is_empty() && seen_root {
            return Err(format!("second root element <{tag}>"));
        }
        seen_root = true;
        elements += 1;
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
        let name = &body[..name_end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
        {
            return Err(format!("bad tag name in <{tag}>"));
        }
        check_attributes(&body[name_end..])?;
        if !self_closing {
            stack.push(name.to_string());
        }
    }
    check_text(rest)?;
    if let Some(open) = stack.pop() {
        return Err(format!("<{open}> never closed"));
    }
    Ok(elements)
}

fn check_text(t: &str) -> Result<(), String> {
    let mut rest = t;
    while let Some(amp) = rest.find('&') {
        let semi = rest[amp..].find(';').ok_or("bare &")?;
        let ent = &rest[amp + 1..amp + semi];
        if !["amp", "lt", "gt", "quot", "apos"].contains(&ent) && !ent.starts_with('#') {
            return Err(format!("unknown entity &{ent};"));
        }
        rest = &rest[amp + semi + 1..];
    }
    if t.contains('>') {
        return Err("bare > in text".into());
    }
    Ok(())
}

fn check_attributes(s: &str) -> Result<(), String> {
    let mut rest = s.trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or(format!("attribute without value: {rest}"))?;
        let name = rest[..eq].trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("bad attribute name `{name}`"));
        }
        let after = &rest[eq + 1..];
        if !after.starts_with('"') {
            return Err(format!("unquoted attribute {name}"));
        }
        let close = after[1..].find('"').ok_or("unterminated attribute")?;
        check_text(&after[1..1 + close])?;
        if after[1..1 + close].contains('<') {
            return Err("< in attribute".into());
        }
        rest = after[close + 2..].trim_start();
    }
    Ok(())
}

#[test]
fn xml_checker_rejects_broken_markup() {
    assert!(check_xml(r#"<a x="1"><b/>t &amp; u</a>"#).is_ok());
    assert!(check_xml("<a><b></a></b>").is_err());
    assert!(check_xml("<a>").is_err());
    assert!(check_xml("<a x=1></a>").is_err());
    assert!(check_xml("<a>AT&T</a>").is_err());
    assert!(check_xml("<a></a><b></b>").is_err());
}

#[test]
fn html_report_is_well_formed_and_shows_the_numbers() {
    let data = SurveySimulator::new(2400)
        .seed(8)
        .months(4)
        .simulate()
        .unwrap();
    let model = SurveySimulator::csi_model();
    let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0)).min_group_size(100);
    let fit = a.fit(&data).unwrap();
    let ipma = fit
        .ipma(Construct::Satisfaction, &IpmaOptions::default())
        .unwrap();
    let report = CsiReport {
        title: "Test <report> & co".into(),
        data_description: "simulated".into(),
        segments: vec![a.segments(&data, "region").unwrap()],
        periods: Some(
            a.periods(&data, "month", &[PeriodComparison::Previous])
                .unwrap(),
        ),
        fit,
        ipma,
        notes: vec![],
        audit: None,
        lang: Default::default(),
        codebook: None,
        bins: Vec::new(),
        key_drivers: None,
    };
    let html = report.to_html();
    let elements = check_xml(&html).unwrap_or_else(|e| panic!("HTML not well-formed: {e}"));
    assert!(elements > 200);
    assert!(html.contains("Test &lt;report&gt; &amp; co"));
    assert!(
        !html.contains("src=") && !html.contains("href=") && !html.contains("<script"),
        "self-contained"
    );
    // Every SVG parses on its own, and the page holds all the charts.
    let charts = report.charts();
    // Four overall charts, the segment bars and its heat map, the trend.
    assert_eq!(charts.len(), 4 + 2 + 1);
    for c in &charts {
        check_xml(&c.svg).unwrap_or_else(|e| panic!("{}: {e}", c.file));
        assert!(html.contains(c.svg.trim()), "{} inline", c.file);
    }
    assert_eq!(html.matches("<svg ").count(), charts.len());
    // The numbers: the satisfaction index, each path coefficient, the IPMA values.
    let sat = report.fit.index(Construct::Satisfaction).unwrap();
    let path_svg = &charts
        .iter()
        .find(|c| c.file == "path_diagram.svg")
        .unwrap()
        .svg;
    assert!(path_svg.contains(&format!("index {sat:.1}")));
    for p in &report.fit.pls.paths {
        assert!(
            path_svg.contains(&format!(">{:.3}<", p.estimate)),
            "{} -> {}",
            p.from,
            p.to
        );
    }
    assert!(html.contains(&format!("<td>{sat:.2}</td>")));
    for c in &report.ipma.constructs {
        assert!(html.contains(&format!("<td>{:.4}</td>", c.importance)));
    }
    let north = report.segments[0]
        .group("north")
        .unwrap()
        .index(Construct::Satisfaction)
        .unwrap();
    assert!(html.contains(&format!("<td>{north:.1}</td>")));
    let trend = &charts
        .iter()
        .find(|c| c.file == "trend_month.svg")
        .unwrap()
        .svg;
    for g in &report.periods.as_ref().unwrap().groups {
        assert!(trend.contains(&format!(
            ">{:.1}<",
            g.index(Construct::Satisfaction).unwrap()
        )));
    }
    // Markdown references the chart files and the tables.
    let md = report.to_markdown();
    assert!(md.contains("![Path diagram](charts/path_diagram.svg)"));
    assert!(md.contains("| Construct | Index |"));
    // Writing the folder.
    let dir = std::env::temp_dir().join(format!("csikit-report-test-{}", std::process::id()));
    let written = report.write(&dir).unwrap();
    assert!(written.iter().any(|p| p.ends_with("report.html")));
    assert!(dir.join("charts/ipma_constructs.svg").exists());
    // The tables start with a UTF-8 byte-order mark (for Excel), then the header.
    let csv = std::fs::read_to_string(dir.join("tables/index.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}Construct,Index,"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pls_report_gains_index_and_ipma_keys() {
    let data = mobi();
    let model = mobi_model();
    let fit = Pls::new(model.model()).fit(&data).unwrap();
    let plain = serde_json::to_value(fit.report()).unwrap();
    assert!(plain.get("ipma").is_none());
    assert!(plain["constructs"][0].get("index").is_none());
    let idx = csi::index(&fit, &ten()).unwrap();
    let map = csi::ipma(&fit, &idx, "Satisfaction", &IpmaOptions::default()).unwrap();
    let mut report = fit.report();
    report.set_index(&idx);
    report.set_ipma(&map);
    let v = serde_json::to_value(&report).unwrap();
    close(
        v["constructs"][0]["index"].as_f64().unwrap(),
        idx.constructs[0].index,
        0.0,
        "index key",
    );
    assert_eq!(v["ipma"]["target"], "Satisfaction");
    let c0 = &v["ipma"]["constructs"][0];
    assert_eq!(c0["name"], "Image");
    close(
        c0["importance"].as_f64().unwrap(),
        map.constructs[0].importance,
        0.0,
        "importance key",
    );
    close(
        c0["performance"].as_f64().unwrap(),
        map.constructs[0].performance,
        0.0,
        "performance key",
    );
    let i0 = &v["ipma"]["indicators"][0];
    assert_eq!(i0["indicator"], "IMAG1");
    assert!(i0["importance"].is_f64() && i0["performance"].is_f64());
}

#[test]
fn bootstrap_statistics_layout_is_stable() {
    let model = SurveySimulator::csi_model();
    let fit = Pls::new(model.model())
        .fit(&SurveySimulator::new(300).simulate().unwrap())
        .unwrap();
    let s = csi::bootstrap_statistics(&fit, &ten(), Construct::Satisfaction).unwrap();
    assert_eq!(s.names.len(), s.values.len());
    assert_eq!(s.names[0], "index:Image");
    assert!(
        s.names
            .contains(&"impact:Quality->Satisfaction".to_string())
    );
    assert!(s.names.contains(&"importance:PERQ1".to_string()));
    // 7 indices + 4 impacts + 4 construct importances + 17 indicator importances.
    assert_eq!(s.names.len(), 7 + 4 + 4 + 17);
    let other = Pls::new(model.model())
        .fit(&SurveySimulator::new(300).seed(9).simulate().unwrap())
        .unwrap();
    assert_eq!(
        csi::bootstrap_statistics(&other, &ten(), Construct::Satisfaction)
            .unwrap()
            .names,
        s.names
    );
}
