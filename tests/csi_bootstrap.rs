//! Bootstrap intervals of the CSI analysis: index, impacts, IPMA importances
//! and differences between groups (`CsiAnalysis::bootstrap`).

use csikit::csi::{
    self, Construct, CsiAnalysis, CsiBootstrap, CsiReport, IntervalMethod, IpmaOptions,
    PeriodComparison, Scale, Scales,
};
use csikit::{Bootstrap, Pls, SurveySimulator};

use crate::common::close;

fn ten() -> Scales {
    Scales::uniform(Scale::new(1.0, 10.0))
}

fn analysis(model: &csi::CsiModel, resamples: usize, seed: u64) -> CsiAnalysis<'_> {
    CsiAnalysis::new(model, Scale::new(1.0, 10.0))
        .min_group_size(60)
        .bootstrap(Bootstrap::new(resamples).seed(seed))
}

#[test]
fn intervals_are_present_ordered_and_labelled() {
    let data = SurveySimulator::new(400).seed(21).simulate().unwrap();
    let model = SurveySimulator::csi_model();
    let fit = analysis(&model, 200, 5).fit(&data).unwrap();
    let boot = fit.bootstrap.as_ref().unwrap();
    assert_eq!(boot.run.resamples, 200);
    assert_eq!(boot.run.failed, 0);
    assert_eq!(boot.run.replicates.len(), 200);
    assert!(
        boot.run.jackknife_failed.is_none(),
        "no BCa in the CSI bootstrap"
    );
    for c in &fit.index.constructs {
        assert_eq!(c.ci.method, IntervalMethod::BootstrapPercentile);
        assert_eq!(c.score_ci.method, IntervalMethod::ScoreT);
        assert!(
            c.ci.lower < c.index && c.index < c.ci.upper,
            "{}: {:?} around {}",
            c.construct,
            c.ci,
            c.index
        );
        close(c.ci.level, 0.95, 0.0, "level");
        // The percentile interval is that of the re-estimates of this index.
        let draws = boot.draws(&format!("index:{}", c.construct)).unwrap();
        let below = draws.iter().filter(|x| **x < c.ci.lower).count();
        let above = draws.iter().filter(|x| **x > c.ci.upper).count();
        assert!(below <= 5 && above <= 5, "{below} below, {above} above");
    }
    // The bootstrap adds the variability of the weights: the Satisfaction
    // interval is not narrower than the score interval by more than noise.
    let sat = fit.construct_index(Construct::Satisfaction).unwrap();
    let (wb, ws) = (
        sat.ci.upper - sat.ci.lower,
        sat.score_ci.upper - sat.score_ci.lower,
    );
    assert!(wb > 0.8 * ws, "bootstrap width {wb}, score width {ws}");
    let on_target: Vec<_> = fit
        .impacts
        .iter()
        .filter(|i| i.target == Construct::Satisfaction)
        .collect();
    assert_eq!(on_target.len(), 4);
    for im in on_target {
        let ci = im.ci.unwrap();
        assert_eq!(ci.method, IntervalMethod::BootstrapPercentile);
        assert!(ci.lower <= ci.upper && ci.contains(im.impact), "{im:?}");
    }
    // Impacts on other targets have no interval (the statistics are of the target).
    assert!(
        fit.impacts
            .iter()
            .filter(|i| i.target != Construct::Satisfaction)
            .all(|i| i.ci.is_none())
    );
    let map = fit
        .ipma(Construct::Satisfaction, &IpmaOptions::default())
        .unwrap();
    for c in &map.constructs {
        let ci = c.importance_ci.unwrap();
        assert!(ci.lower < ci.upper && ci.contains(c.importance), "{c:?}");
    }
    for i in &map.indicators {
        let ci = i.importance_ci.unwrap();
        assert!(ci.lower < ci.upper && ci.contains(i.importance), "{i:?}");
    }
    // A map of another target has no bootstrap of its importances.
    let other = fit
        .ipma(Construct::Loyalty, &IpmaOptions::default())
        .unwrap();
    assert!(other.constructs.iter().all(|c| c.importance_ci.is_none()));
    // Without the bootstrap: the score interval, no impact intervals.
    let plain = CsiAnalysis::new(&model, Scale::new(1.0, 10.0))
        .fit(&data)
        .unwrap();
    assert!(plain.bootstrap.is_none());
    let p = plain.construct_index(Construct::Satisfaction).unwrap();
    assert_eq!(p.ci, p.score_ci);
    assert_eq!(p.score_ci, sat.score_ci);
    assert!(plain.impacts.iter().all(|i| i.ci.is_none()));
}

#[test]
fn same_seed_same_intervals_whatever_the_threads() {
    let data = SurveySimulator::new(300).seed(8).simulate().unwrap();
    let model = SurveySimulator::csi_model();
    let a = analysis(&model, 100, 42).fit(&data).unwrap();
    let b = CsiAnalysis::new(&model, Scale::new(1.0, 10.0))
        .bootstrap(Bootstrap::new(100).seed(42).threads(1))
        .fit(&data)
        .unwrap();
    assert_eq!(a.index, b.index);
    assert_eq!(a.impacts, b.impacts);
    assert_eq!(a.bootstrap, b.bootstrap);
    let c = analysis(&model, 100, 43).fit(&data).unwrap();
    assert_ne!(a.index, c.index, "another seed, other intervals");
    // The same resamples as the generic bootstrap of the CSI statistics.
    let direct = CsiBootstrap::run(
        &Pls::new(model.model()),
        &data,
        &ten(),
        Construct::Satisfaction,
        &Bootstrap::new(100).seed(42).bca(false),
    )
    .unwrap();
    assert_eq!(direct.run.replicates, a.bootstrap.unwrap().run.replicates);
}

/// Known signs in simulated data (`SurveySimulator`): Value → Satisfaction is
/// 0.30 stronger for low- than for high-ARPU customers, and the latent quality
/// mean is 0.35 SD higher in the north than in the south. Both differences
/// must come out with the right sign and be significant; a period comparison
/// carries bootstrap differences too.
#[test]
fn differences_with_a_known_sign_are_significant() {
    let data = SurveySimulator::new(3000)
        .seed(17)
        .months(3)
        .simulate()
        .unwrap();
    let model = SurveySimulator::csi_model();
    let a = analysis(&model, 200, 9);
    let tiers = a.segments(&data, "arpu_tier").unwrap();
    assert!(tiers.groups.iter().all(|g| g.bootstrap.is_some()));
    // Groups are resampled with different seeds.
    assert_ne!(
        tiers.groups[0].bootstrap.as_ref().unwrap().run.seed,
        tiers.groups[1].bootstrap.as_ref().unwrap().run.seed
    );
    let d = tiers
        .impact_differences
        .iter()
        .find(|d| d.driver == Construct::PerceivedValue && d.from == "high" && d.to == "low")
        .unwrap();
    let ci = d.ci.unwrap();
    assert!(d.difference > 0.0, "{d:?}");
    // No draw of the difference is ≤ 0: p is its floor 2/(B + 1).
    assert!(ci.lower > 0.0, "{d:?}");
    close(d.p_value.unwrap(), 2.0 / 201.0, 1e-12, "p at its floor");
    assert!(d.std_error.unwrap() > 0.0);
    // A driver without a designed difference (Expectation) is not significant here.
    let e = tiers
        .impact_differences
        .iter()
        .find(|d| d.driver == Construct::Expectation && d.from == "high" && d.to == "low")
        .unwrap();
    assert!(e.p_value.unwrap() > 0.01, "{e:?}");

    let regions = a.segments(&data, "region").unwrap();
    let q = regions
        .index_differences
        .iter()
        .find(|d| {
            d.construct == Construct::PerceivedQuality && d.from == "north" && d.to == "south"
        })
        .unwrap();
    let ci = q.ci.unwrap();
    assert_eq!(ci.method, IntervalMethod::BootstrapPercentile);
    assert_eq!(q.score_ci.method, IntervalMethod::NormalDifference);
    assert!(q.difference < 0.0 && ci.upper < 0.0, "{q:?}");
    assert!(q.p_value.unwrap() < 0.01 && q.score_p_value.unwrap() < 0.01);
    // The bootstrap SE of an index difference is close to the score SE
    // (the weights add little variability to an index).
    assert!(
        (0.7..1.6).contains(&(q.std_error / q.score_std_error)),
        "{} vs {}",
        q.std_error,
        q.score_std_error
    );

    let months = a
        .periods(
            &data,
            "month",
            &[
                PeriodComparison::Previous,
                PeriodComparison::Base("1".into()),
            ],
        )
        .unwrap();
    assert_eq!(months.groups.len(), 3);
    assert!(months.impact_differences.iter().all(|d| {
        let p = d.p_value.unwrap();
        (0.0..=1.0).contains(&p) && d.ci.is_some()
    }));
    assert!(
        months
            .index_differences
            .iter()
            .all(|d| d.ci.unwrap().method == IntervalMethod::BootstrapPercentile)
    );
    // The report shows the intervals and the bootstrap differences.
    let fit = a.fit(&data).unwrap();
    let report = CsiReport {
        title: "t".into(),
        data_description: "d".into(),
        ipma: fit
            .ipma(Construct::Satisfaction, &IpmaOptions::default())
            .unwrap(),
        fit,
        segments: vec![tiers],
        periods: Some(months),
        notes: Vec::new(),
        audit: None,
        lang: Default::default(),
        codebook: None,
        bins: Vec::new(),
        key_drivers: None,
    };
    let md = report.to_markdown();
    assert!(
        md.contains("95% bootstrap interval"),
        "summary labels the method"
    );
    assert!(!md.contains("need the bootstrap"));
    let tables = report.tables();
    let t = |f: &str| tables.iter().find(|t| t.file == f).unwrap();
    assert!(t("impacts.csv").keys.contains(&"ci_lower".to_string()));
    assert!(
        t("ipma_constructs.csv")
            .keys
            .contains(&"importance_ci_lower".to_string())
    );
    assert!(t("index.csv").keys.contains(&"score_ci_lower".to_string()));
    assert!(
        t("arpu_tier_impact_differences.csv")
            .rows
            .iter()
            .all(|r| r[6] != "—")
    );
    let trend = report
        .charts()
        .into_iter()
        .find(|c| c.file == "trend_month.svg")
        .unwrap();
    assert!(trend.svg.contains("band: 95% bootstrap interval"));
}

/// Coverage of the 95 % bootstrap percentile interval of the Satisfaction
/// index in 60 replications of n = 300 (199 resamples each). The target is
/// the population index at the population PLS weights, approximated by the
/// weights of a fit on 40 000 respondents (the index moves by < 0.05 points
/// between the weights of different large fits, against an interval
/// half-width of about 2 points). Expected ≈ 57 of 60 (observed 58); fewer
/// than 51 has probability < 1 % at a true rate of 93 %.
#[test]
fn bootstrap_index_intervals_cover_the_truth() {
    let model = SurveySimulator::csi_model();
    let sim = SurveySimulator::new(300).months(6);
    let truth = sim.truth(&[]).unwrap();
    let big = model
        .fit(
            &SurveySimulator::new(40_000)
                .seed(5)
                .months(6)
                .simulate()
                .unwrap(),
            &ten(),
        )
        .unwrap();
    let weights: Vec<(&str, f64)> = big
        .index
        .indicators
        .iter()
        .filter(|i| i.construct == Construct::Satisfaction)
        .map(|i| (i.indicator.as_str(), i.rescaled))
        .collect();
    let target = truth.index(&weights);
    let reps = 60;
    let mut covered = 0;
    for rep in 0..reps {
        let data = sim.clone().seed(2000 + rep).simulate().unwrap();
        let fit = analysis(&model, 199, rep).fit(&data).unwrap();
        let ci = fit.construct_index(Construct::Satisfaction).unwrap().ci;
        covered += usize::from(ci.contains(target));
    }
    assert!(
        (51..=reps as usize).contains(&covered),
        "covered {covered} of {reps}"
    );
}
