//! SERVQUAL: hand-computed examples for every score, properties, the sq.csv
//! data set and one test per bad input.

use csikit::servqual::{
    Columns, Gap, GapMeasure, GapModel, GapSource, Instrument, PriorityBasis, Scale,
    ServqualOptions, Side, Simulation, Target, WeightPolicy, analyze, analyze_by, gap_chart,
    parse_items, simulate,
};
use csikit::{CsvOptions, Dataset, Error};

const NA: f64 = f64::NAN;

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn some(a: Option<f64>, b: f64) {
    close(a.unwrap_or_else(|| panic!("expected {b}, got None")), b);
}

/// Two dimensions: speed = items 1, 2; care = item 3.
fn two_dims() -> Instrument {
    Instrument::custom(
        &["speed", "care"],
        &[("1", "speed"), ("2", "speed"), ("3", "care")],
    )
    .unwrap()
}

/// Three respondents with missing answers (see `gaps_with_missing_answers`).
fn small_data(w_speed: f64, w_care: f64) -> Dataset {
    Dataset::from_columns(vec![
        ("E1", vec![7.0, 6.0, 5.0]),
        ("E2", vec![6.0, NA, 5.0]),
        ("E3", vec![5.0, 7.0, NA]),
        ("P1", vec![5.0, 4.0, 6.0]),
        ("P2", vec![6.0, 5.0, 4.0]),
        ("P3", vec![6.0, 6.0, NA]),
        ("W_speed", vec![60.0, w_speed, 50.0]),
        ("W_care", vec![40.0, w_care, 50.0]),
    ])
    .unwrap()
}

// Hand computation for small_data(30, 60):
// item gaps P − E: item 1: −2, −2, 1 (mean −1); item 2: 0, NA, −1 (mean −0.5, n 2);
// item 3: 1, −1, NA (mean 0, n 2).
// dimension gaps per respondent (mean of the item gaps answered):
//   speed: R1 (−2+0)/2 = −1, R2 −2 (item 1 only), R3 (1−1)/2 = 0 → mean −1, n 3;
//   care:  R1 1, R2 −1, R3 none → mean 0, n 2.
// unweighted: R1 (−1+1)/2 = 0, R2 (−2−1)/2 = −1.5, R3 left out → −0.75, n 2.
// item variant: R1 (−2+0+1)/3 = −1/3, R2 (−2−1)/2 = −1.5, R3 (1−1)/2 = 0 → −11/18, n 3.
// weights: R1 60/40 → 0.6, 0.4; R2 30/60 sums to 90 → normalized 1/3, 2/3 (rescaled);
//   R3 0.5, 0.5. weighted: R1 0.6·(−1) + 0.4·1 = −0.2, R2 (1/3)(−2) + (2/3)(−1) = −4/3,
//   R3 left out (no care gap) → (−0.2 − 4/3)/2 = −23/30, n 2.
// SERVPERF: dimension perceptions speed R1 5.5, R2 4.5, R3 5; care R1 6, R2 6, R3 NA
//   → R1 5.75, R2 5.25 → 5.5, n 2; item variant R1 17/3, R2 5, R3 5 → 47/9.
#[test]
fn gaps_with_missing_answers() {
    let r = analyze(
        &small_data(30.0, 60.0),
        &two_dims(),
        &ServqualOptions::default(),
    )
    .unwrap();
    assert_eq!(r.n, 3);
    let gaps: Vec<f64> = r.items.iter().map(|i| i.gap.unwrap()).collect();
    assert_eq!(gaps, [-1.0, -0.5, 0.0]);
    assert_eq!(
        r.items.iter().map(|i| i.n_gap).collect::<Vec<_>>(),
        [3, 2, 2]
    );
    some(r.items[1].expectation, 5.5);
    assert_eq!(r.items[1].n_expectation, 2);
    some(r.items[1].perception, 5.0);
    assert_eq!(r.items[2].n_perception, 2);

    let speed = &r.dimensions[0];
    let care = &r.dimensions[1];
    some(speed.gap, -1.0);
    assert_eq!(speed.n_gap, 3);
    some(care.gap, 0.0);
    assert_eq!(care.n_gap, 2);
    some(speed.expectation, (6.5 + 6.0 + 5.0) / 3.0);
    some(care.expectation, 6.0);
    some(speed.perception, 5.0);
    some(care.perception, 6.0);

    some(r.unweighted, -0.75);
    assert_eq!(r.counts.unweighted, 2);
    some(r.unweighted_items, -11.0 / 18.0);
    assert_eq!(r.counts.unweighted_items, 3);
    some(r.weighted, -23.0 / 30.0);
    assert_eq!(r.counts.weighted, 2);
    assert_eq!(r.counts.weights_off, 1);
    assert_eq!(r.counts.weights_rescaled, 1);
    some(r.servperf, 5.5);
    assert_eq!(r.counts.servperf, 2);
    some(r.servperf_items, 47.0 / 9.0);
    some(speed.weight, (0.6 + 1.0 / 3.0 + 0.5) / 3.0);
    some(care.weight, (0.4 + 2.0 / 3.0 + 0.5) / 3.0);

    // Per respondent.
    let r2 = &r.respondents[1];
    assert_eq!(r2.dimension_gaps, [Some(-2.0), Some(-1.0)]);
    some(r2.weighted, -4.0 / 3.0);
    let w2 = r2.weights.as_ref().unwrap();
    close(w2[0], 1.0 / 3.0);
    assert_eq!(r.respondents[2].dimension_gaps, [Some(0.0), None]);
    assert_eq!(r.respondents[2].unweighted, None);
    // No A/D columns: no three-column measures.
    assert!(r.zone.is_none() && speed.msa.is_none() && r.msa.is_none());
}

#[test]
fn importance_points_policies() {
    let inst = two_dims();
    // Exact 100 (within the tolerance): points / 100.
    let r = analyze(&small_data(40.2, 60.0), &inst, &ServqualOptions::default()).unwrap();
    assert_eq!(r.counts.weights_off, 0);
    // R2: 0.402·(−2) + 0.6·(−1) = −1.404; R1 −0.2 → mean −0.802.
    some(r.weighted, -0.802);

    // Exclude: R2 (sum 90) is left out; only R1 remains.
    let opts = ServqualOptions::default().weight_policy(WeightPolicy::Exclude);
    let r = analyze(&small_data(30.0, 60.0), &inst, &opts).unwrap();
    some(r.weighted, -0.2);
    assert_eq!((r.counts.weighted, r.counts.weights_excluded), (1, 1));

    // Strict: an error naming row 2 and the sum.
    let opts = ServqualOptions::default().weight_policy(WeightPolicy::Strict);
    match analyze(&small_data(30.0, 60.0), &inst, &opts) {
        Err(Error::ImportancePoints { row, sum, .. }) => {
            assert_eq!(row, 2);
            close(sum, 90.0);
        }
        other => panic!("expected ImportancePoints, got {other:?}"),
    }
    // A wider tolerance accepts 90 as 100 and divides by 100: R2 0.3·(−2) + 0.6·(−1) = −1.2.
    let opts = opts.weight_tolerance(10.0);
    let r = analyze(&small_data(30.0, 60.0), &inst, &opts).unwrap();
    some(r.weighted, (-0.2 - 1.2) / 2.0);

    // Missing points: the respondent is left out of the weighted score and counted.
    let r = analyze(&small_data(NA, 60.0), &inst, &ServqualOptions::default()).unwrap();
    assert_eq!(r.counts.weights_missing, 1);
    some(r.weighted, -0.2);

    // Negative points are an error under every policy.
    assert!(matches!(
        analyze(
            &small_data(-10.0, 110.0),
            &inst,
            &ServqualOptions::default()
        ),
        Err(Error::ImportancePoints { row: 2, .. })
    ));
}

#[test]
fn priorities_follow_the_stated_rule() {
    let r = analyze(
        &small_data(30.0, 60.0),
        &two_dims(),
        &ServqualOptions::default(),
    )
    .unwrap();
    let p = &r.priorities;
    assert_eq!(p.basis, Some(PriorityBasis::Expectation));
    assert!(p.importance_weighted);
    // speed: weight 0.4778 × shortfall 1 ranks above care: shortfall 0.
    let ws = (0.6 + 1.0 / 3.0 + 0.5) / 3.0;
    assert_eq!(p.dimensions[0].name, "speed");
    close(p.dimensions[0].score, ws);
    close(p.dimensions[1].score, 0.0);
    // Items: 1 (ws × 1), 2 (ws × 0.5), 3 (0).
    let order: Vec<usize> = p.items.iter().map(|i| i.item.unwrap()).collect();
    assert_eq!(order, [1, 2, 3]);
    close(p.items[1].score, ws * 0.5);
    assert_eq!(p.items[2].rank, 3);

    // Importance can overturn the order of shortfalls: two dimensions with
    // shortfalls 1 and 2 but weights 0.8 and 0.2 → scores 0.8 and 0.4.
    let inst = Instrument::custom(&["a", "b"], &[("1", "a"), ("2", "b")]).unwrap();
    let data = Dataset::from_columns(vec![
        ("E1", vec![6.0]),
        ("P1", vec![5.0]),
        ("E2", vec![6.0]),
        ("P2", vec![4.0]),
        ("W_a", vec![80.0]),
        ("W_b", vec![20.0]),
    ])
    .unwrap();
    let r = analyze(&data, &inst, &ServqualOptions::default()).unwrap();
    let names: Vec<&str> = r
        .priorities
        .dimensions
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);
    close(r.priorities.dimensions[1].score, 0.4);
    // Without importance points: equal weights 1/2, so the larger shortfall leads.
    let r = analyze(
        &data.take_rows(&[0]).unwrap(),
        &inst,
        &ServqualOptions {
            columns: Columns {
                weight: None,
                ..Columns::default()
            },
            ..ServqualOptions::default()
        },
    )
    .unwrap();
    assert!(!r.priorities.importance_weighted);
    assert_eq!(r.priorities.dimensions[0].name, "b");
    close(r.priorities.dimensions[0].score, 1.0);
}

/// One respondent answering the standard 22 items: E = 6 and P = 5 on the
/// positively worded items, E = 2 and P = 3 on the negatively worded 1988
/// items 10–13 and 18–22 (which mean 6 and 5 once reversed, 8 − x).
fn one_respondent_1988() -> Dataset {
    let mut cols = Vec::new();
    for i in 1..=22 {
        let negative = (10..=13).contains(&i) || (18..=22).contains(&i);
        cols.push((format!("E{i}"), vec![if negative { 2.0 } else { 6.0 }]));
        cols.push((format!("P{i}"), vec![if negative { 3.0 } else { 5.0 }]));
    }
    Dataset::from_columns(cols).unwrap()
}

#[test]
fn reverse_scoring_of_the_1988_items() {
    let data = one_respondent_1988();
    let inst = Instrument::standard();
    let r = analyze(&data, &inst, &ServqualOptions::default().reverse_1988()).unwrap();
    assert_eq!(r.reversed.len(), 9);
    assert!(r.items[9].reversed && !r.items[8].reversed);
    for it in &r.items {
        some(it.gap, -1.0);
        some(it.perception, 5.0);
    }
    some(r.unweighted, -1.0);
    some(r.unweighted_items, -1.0);
    some(r.servperf, 5.0);

    // Not reversed: responsiveness and empathy gaps are +1, the others −1.
    let r = analyze(&data, &inst, &ServqualOptions::default()).unwrap();
    let dims: Vec<f64> = r.dimensions.iter().map(|d| d.gap.unwrap()).collect();
    assert_eq!(dims, [-1.0, -1.0, 1.0, -1.0, 1.0]);
    // Mean of the five dimension gaps: −1/5; mean of the 22 item gaps: (−13 + 9)/22.
    some(r.unweighted, -0.2);
    some(r.unweighted_items, -4.0 / 22.0);
    // Perceptions: 13 items at 5 and 9 at 3: dimension means 5, 5, 3, 5, 3.
    some(r.servperf, 21.0 / 5.0);
    some(r.servperf_items, (13.0 * 5.0 + 9.0 * 3.0) / 22.0);

    // The same through the parsed command-line list.
    let ids = parse_items("10-13,18-22").unwrap();
    let r = analyze(&data, &inst, &ServqualOptions::default().reverse(&ids)).unwrap();
    some(r.unweighted, -1.0);
    // Reverse scoring is min + max − x on any scale: 0–100 maps 30 to 70.
    close(Scale::new(0.0, 100.0).unwrap().reverse(30.0), 70.0);
}

// Three-column format on 1–9, one dimension of two items:
//        A1 D1 P1 | A2 D2 P2
//   R1:  4  7  3  | 5  8  6     item 1 below, item 2 within
//   R2:  3  6  7  | 6  5  5     item 1 above, item 2 inverted (A > D)
//   R3:  5  8  5  | NA 7  8     item 1 within (boundary), item 2 not classified
// MSA = P − A: item 1 −1, 4, 0 → 1; item 2 1, −1 → 0.
// MSS = P − D: item 1 −4, 1, −3 → −2; item 2 −2, 0, 1 → −1/3.
// width D − A: item 1 3, 3, 3 → 3; item 2 3, −1 → 1.
// Dimension MSA per respondent: (−1+1)/2 = 0, (4−1)/2 = 1.5, 0 → 0.5.
// Dimension MSS: (−4−2)/2 = −3, (1+0)/2 = 0.5, (−3+1)/2 = −1 → −3.5/3.
#[test]
fn three_column_format() {
    let inst = Instrument::custom(&["service"], &[("1", "service"), ("2", "service")]).unwrap();
    let data = Dataset::from_columns(vec![
        ("A1", vec![4.0, 3.0, 5.0]),
        ("D1", vec![7.0, 6.0, 8.0]),
        ("P1", vec![3.0, 7.0, 5.0]),
        ("A2", vec![5.0, 6.0, NA]),
        ("D2", vec![8.0, 5.0, 7.0]),
        ("P2", vec![6.0, 5.0, 8.0]),
    ])
    .unwrap();
    let opts = ServqualOptions::default().scale(Scale::NINE_POINT);
    let r = analyze(&data, &inst, &opts).unwrap();
    let z1 = r.items[0].zone.unwrap();
    assert_eq!((z1.below, z1.within, z1.above, z1.inverted), (1, 1, 1, 0));
    let z2 = r.items[1].zone.unwrap();
    assert_eq!((z2.below, z2.within, z2.above, z2.inverted), (0, 1, 0, 1));
    let z = r.zone.unwrap();
    assert_eq!((z.below, z.within, z.above, z.inverted), (1, 2, 1, 1));
    some(r.items[0].msa, 1.0);
    some(r.items[1].msa, 0.0);
    some(r.items[0].mss, -2.0);
    some(r.items[1].mss, -1.0 / 3.0);
    some(r.items[0].tolerance_width, 3.0);
    some(r.items[1].tolerance_width, 1.0);
    some(r.dimensions[0].msa, 0.5);
    some(r.dimensions[0].mss, -3.5 / 3.0);
    some(r.msa, 0.5);
    some(r.mss, -3.5 / 3.0);
    // No expectations: no gaps, priorities against the desired level.
    assert!(r.unweighted.is_none() && r.items[0].gap.is_none() && r.weighted.is_none());
    assert_eq!(r.priorities.basis, Some(PriorityBasis::Desired));
    close(r.priorities.dimensions[0].shortfall, 3.5 / 3.0);
    // On the default 1–7 scale the 8s are out of range.
    assert!(matches!(
        analyze(&data, &inst, &ServqualOptions::default()),
        Err(Error::OutOfScale { .. })
    ));
}

#[test]
fn cronbach_alpha_per_dimension() {
    // Items 1, 2 (dimension a): x and 2x − 1 → variances 1 and 4, covariance 2:
    // α = 2 · (1 − 5/9) = 8/9. Item 3 alone (dimension b): no alpha.
    let inst = Instrument::custom(&["a", "b"], &[("1", "a"), ("2", "a"), ("3", "b")]).unwrap();
    let data = Dataset::from_columns(vec![
        ("q1", vec![1.0, 2.0, 3.0, NA]),
        ("q2", vec![1.0, 3.0, 5.0, 4.0]),
        ("q3", vec![2.0, 2.0, 3.0, 1.0]),
    ])
    .unwrap();
    let opts = ServqualOptions::default().columns(Columns::perceptions_only("q"));
    let r = analyze(&data, &inst, &opts).unwrap();
    some(r.dimensions[0].alpha.perception, 8.0 / 9.0);
    assert_eq!(r.dimensions[0].alpha.perception_rows, 3);
    assert_eq!(r.dimensions[1].alpha.perception, None);
    assert_eq!(r.dimensions[0].alpha.gap, None);
}

/// The simulated data on a wide scale, with P and E shifted by `shift`.
fn shifted(data: &Dataset, shift: f64, swap: bool) -> Dataset {
    let mut cols = Vec::new();
    for name in data.names() {
        let mut v = data.numeric(name).unwrap().to_vec();
        let mut new = name.clone();
        if name.starts_with('P') || name.starts_with('E') {
            v.iter_mut().for_each(|x| *x += shift);
            if swap {
                new = format!(
                    "{}{}",
                    if name.starts_with('P') { 'E' } else { 'P' },
                    &name[1..]
                );
            }
        }
        cols.push((new, v));
    }
    Dataset::from_columns(cols).unwrap()
}

#[test]
fn gaps_are_shift_invariant_and_antisymmetric() {
    let sim = Simulation {
        n: 60,
        seed: 7,
        missing_rate: 0.1,
        ..Simulation::default()
    };
    let data = simulate(&sim).unwrap();
    let inst = Instrument::standard();
    let opts = ServqualOptions {
        scale: Scale::new(-10.0, 20.0).unwrap(),
        columns: Columns {
            adequate: None,
            desired: None,
            ..Columns::default()
        },
        ..ServqualOptions::default()
    }
    .reverse_1988();
    let base = analyze(&data, &inst, &opts).unwrap();
    for shift in [3.5, -9.0] {
        let moved = analyze(&shifted(&data, shift, false), &inst, &opts).unwrap();
        for (a, b) in base.items.iter().zip(&moved.items) {
            close(a.gap.unwrap(), b.gap.unwrap());
        }
        for (a, b) in base.dimensions.iter().zip(&moved.dimensions) {
            close(a.gap.unwrap(), b.gap.unwrap());
        }
        close(base.unweighted.unwrap(), moved.unweighted.unwrap());
        close(base.weighted.unwrap(), moved.weighted.unwrap());
        close(
            base.unweighted_items.unwrap(),
            moved.unweighted_items.unwrap(),
        );
        // Perceptions themselves do move (reverse-scored items the other way).
        assert!((base.servperf.unwrap() - moved.servperf.unwrap()).abs() > 0.1);
    }
    let swapped = analyze(&shifted(&data, 0.0, true), &inst, &opts).unwrap();
    for (a, b) in base.items.iter().zip(&swapped.items) {
        close(a.gap.unwrap(), -b.gap.unwrap());
    }
    for (a, b) in base.respondents.iter().zip(&swapped.respondents) {
        for (x, y) in a.dimension_gaps.iter().zip(&b.dimension_gaps) {
            assert_eq!(x.map(|v| -v), y.map(|v| v + 0.0));
        }
    }
    close(base.unweighted.unwrap(), -swapped.unweighted.unwrap());
    close(base.weighted.unwrap(), -swapped.weighted.unwrap());
    // Non-trivial: negation of zeros would prove nothing.
    assert!(base.items.iter().any(|i| i.gap.unwrap().abs() > 0.5));
    assert!(base.weighted.unwrap().abs() > 0.01);
}

/// sq.csv: 411 perception-only responses on 0–100 (cSEM `SQ`). Reference
/// numbers from tests/data/sq_reference.py (plain Python arithmetic).
#[test]
fn sq_csv_servperf_and_alpha() {
    let data = Dataset::from_csv("tests/data/sq.csv").unwrap();
    let ids: Vec<String> = (1..=22).map(|i| format!("{i:02}")).collect();
    let inst = Instrument::standard().with_item_ids(&ids).unwrap();
    let opts = ServqualOptions::default()
        .scale(Scale::new(0.0, 100.0).unwrap())
        .columns(Columns::perceptions_only("a"));
    let r = analyze(&data, &inst, &opts).unwrap();
    assert_eq!(r.n, 411);
    assert!(!r.sources.expectation && r.unweighted.is_none() && r.zone.is_none());
    assert!((r.servperf.unwrap() - 78.707542579075).abs() < 1e-9);
    assert!((r.servperf_items.unwrap() - 78.630833886308).abs() < 1e-9);
    let expected = [
        ("tangibles", 77.420924574209, 0.816249439437),
        ("reliability", 81.450121654501, 0.873697175717),
        ("responsiveness", 78.394160583942, 0.853324576149),
        ("assurance", 81.995133819951, 0.919546897868),
        ("empathy", 74.277372262774, 0.904974871587),
    ];
    for (d, (name, mean, alpha)) in r.dimensions.iter().zip(expected) {
        assert_eq!(d.name, name);
        assert!((d.perception.unwrap() - mean).abs() < 1e-9, "{name} mean");
        assert!(
            (d.alpha.perception.unwrap() - alpha).abs() < 1e-9,
            "{name} alpha"
        );
        assert_eq!(d.alpha.perception_rows, 411);
    }
    // The 1–7 default scale rejects these 0–100 answers.
    let strict = ServqualOptions::default().columns(Columns::perceptions_only("a"));
    assert!(matches!(
        analyze(&data, &inst, &strict),
        Err(Error::OutOfScale { .. })
    ));
}

#[test]
fn segments_repeat_every_table() {
    let mut data = small_data(30.0, 60.0);
    data.set_numeric("group", vec![2.0, 10.0, 2.0]).unwrap();
    let r = analyze_by(&data, "group", &two_dims(), &ServqualOptions::default()).unwrap();
    // Numeric labels sort numerically: 2 before 10.
    let labels: Vec<&str> = r.segments.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["2", "10"]);
    // Segment 2 = R1, R3: speed gaps −1 and 0; segment 10 = R2: −2.
    some(r.segments[0].report.dimensions[0].gap, -0.5);
    some(r.segments[1].report.dimensions[0].gap, -2.0);
    some(r.segments[1].report.unweighted, -1.5);
    some(r.overall.unweighted, -0.75);
    assert_eq!(r.unlabelled, 0);
    // Missing labels are counted; text labels sort alphabetically.
    let csv = "seg,E1,P1\nb,5,4\n,6,6\na,7,5\nb,6,6\n";
    let data = Dataset::from_reader(csv.as_bytes(), &CsvOptions::default()).unwrap();
    let inst = Instrument::custom(&["x"], &[("1", "x")]).unwrap();
    let r = analyze_by(&data, "seg", &inst, &ServqualOptions::default()).unwrap();
    assert_eq!(r.unlabelled, 1);
    assert_eq!(r.segments[0].label, "a");
    some(r.segments[1].report.unweighted, -0.5);
    assert_eq!(r.overall.n, 4);
    assert!(r.to_string().contains("seg = b"));
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["unweighted"].is_number() && json["segments"][1]["report"]["n"] == 2);
    assert!(matches!(
        analyze_by(&data, "segment", &inst, &ServqualOptions::default()),
        Err(Error::UnknownColumn { .. })
    ));
}

#[test]
fn custom_instrument_with_network_quality() {
    let inst = Instrument::standard()
        .add_dimension("network quality", &["n1", "n2"])
        .unwrap();
    assert_eq!(inst.dimensions().len(), 6);
    let mut cols = Vec::new();
    for it in inst.items() {
        let net = it.id.starts_with('n');
        cols.push((format!("E{}", it.id), vec![6.0, 6.0]));
        cols.push((
            format!("P{}", it.id),
            vec![if net { 3.0 } else { 6.0 }, 5.0],
        ));
    }
    let data = Dataset::from_columns(cols).unwrap();
    let r = analyze(&data, &inst, &ServqualOptions::default()).unwrap();
    some(r.dimensions[5].gap, -2.0); // (−3 + −1)/2
    // Unweighted over six dimensions: R1 −3/6, R2 −1 → −0.75.
    some(r.unweighted, -0.75);
    assert_eq!(r.priorities.dimensions[0].name, "network quality");
    assert_eq!(r.items[23].item, 24);
}

#[test]
fn five_gap_model() {
    let r = analyze(
        &small_data(30.0, 60.0),
        &two_dims(),
        &ServqualOptions::default(),
    )
    .unwrap();
    let mut model = GapModel::new(&r);
    // Gap 1: managers think customers expect 5 and 6 of speed; customers expect 35/6.
    model
        .knowledge(
            Target::Dimension("Speed".into()),
            GapSource::Management,
            vec![5.0, 6.0],
        )
        .unwrap();
    // Gap 2: specification 5 against management's perception 5.5.
    model
        .add(GapMeasure::new(
            Gap::Standards,
            Target::Dimension("speed".into()),
            GapSource::Management,
            Side::value(5.5),
            Side::value(5.0),
        ))
        .unwrap();
    // Gap 3 for item 1, paired per transaction: specified vs delivered.
    model
        .add(
            GapMeasure::new(
                Gap::Delivery,
                Target::Item("1".into()),
                GapSource::Operations,
                Side::Values(vec![10.0, 10.0, 10.0, NA]),
                Side::Values(vec![8.0, 11.0, 7.0, 9.0]),
            )
            .paired()
            .unit("points"),
        )
        .unwrap();
    // Gap 4 from employees for care: promised 6.5, delivered 6, 5 (unpaired).
    model
        .add(GapMeasure::new(
            Gap::Communication,
            Target::Dimension("care".into()),
            GapSource::Employees,
            Side::value(6.5),
            Side::Values(vec![6.0, 5.0]),
        ))
        .unwrap();
    let table = model.report();
    assert_eq!(table.rows.len(), 3); // two dimensions + item 1
    let speed = &table.rows[0];
    let k = speed.knowledge.as_ref().unwrap();
    close(k.from, 35.0 / 6.0);
    close(k.value, 5.5 - 35.0 / 6.0);
    assert_eq!(k.n_to, 2);
    close(speed.standards.as_ref().unwrap().value, -0.5);
    close(speed.customer.as_ref().unwrap().value, -1.0);
    assert!(speed.delivery.is_none());
    let item1 = &table.rows[2];
    assert_eq!(item1.target, Target::Item("1".into()));
    let d = item1.delivery.as_ref().unwrap();
    // Differences −2, 1, −3 (the fourth pair is incomplete): mean −4/3, sd √(13/3).
    close(d.value, -4.0 / 3.0);
    assert_eq!(d.n_pairs, Some(3));
    close(d.sd.unwrap(), (13.0f64 / 3.0).sqrt());
    close(item1.customer.as_ref().unwrap().value, -1.0);
    close(table.rows[1].communication.as_ref().unwrap().value, -1.0);
    assert!(table.to_string().contains("communication"));

    // Bad entries.
    assert!(matches!(
        model.add(GapMeasure::new(
            Gap::Standards,
            Target::Dimension("speed".into()),
            GapSource::Management,
            Side::value(1.0),
            Side::value(2.0),
        )),
        Err(Error::DuplicateGap { gap: 2, .. })
    ));
    assert!(matches!(
        model.add(GapMeasure::new(
            Gap::Customer,
            Target::Item("1".into()),
            GapSource::Customers,
            Side::value(1.0),
            Side::value(2.0),
        )),
        Err(Error::InvalidSetting { .. })
    ));
    assert!(matches!(
        model.knowledge(Target::Item("9".into()), GapSource::Management, vec![5.0]),
        Err(Error::UnknownItem { .. })
    ));
    assert!(matches!(
        model.knowledge(
            Target::Dimension("tangibles".into()),
            GapSource::Management,
            vec![5.0]
        ),
        Err(Error::UnknownDimension { .. })
    ));
    assert!(matches!(
        model.add(
            GapMeasure::new(
                Gap::Delivery,
                Target::Item("2".into()),
                GapSource::Operations,
                Side::Values(vec![1.0, 2.0]),
                Side::Values(vec![1.0]),
            )
            .paired()
        ),
        Err(Error::Shape { .. })
    ));
    assert!(matches!(
        model.add(GapMeasure::new(
            Gap::Delivery,
            Target::Item("3".into()),
            GapSource::Operations,
            Side::Values(vec![NA]),
            Side::value(1.0),
        )),
        Err(Error::EmptyData { .. })
    ));
}

#[test]
fn json_keeps_the_example_contract() {
    let data = simulate(&Simulation::default()).unwrap();
    let r = analyze(&data, &Instrument::standard(), &ServqualOptions::default()).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["n"], 200);
    for key in ["unweighted", "weighted", "servperf"] {
        assert!(v[key].is_number(), "{key}");
    }
    for key in ["below", "within", "above"] {
        assert!(v["zone"][key].is_u64(), "zone.{key}");
    }
    let d = &v["dimensions"][0];
    assert_eq!(d["name"], "tangibles");
    for key in ["expectation", "perception", "gap", "weight", "msa", "mss"] {
        assert!(d[key].is_number(), "dimensions.{key}");
    }
    let it = &v["items"][21];
    assert_eq!(it["item"], 22);
    assert_eq!(it["dimension"], "empathy");
    for key in ["expectation", "perception", "gap"] {
        assert!(it[key].is_number(), "items.{key}");
    }
    // Perceptions only: the gap, weight, MSA/MSS and zone fields are null.
    let p_only = ServqualOptions::default().columns(Columns::perceptions_only("P"));
    let v =
        serde_json::to_value(analyze(&data, &Instrument::standard(), &p_only).unwrap()).unwrap();
    for key in ["unweighted", "weighted", "zone"] {
        assert!(v[key].is_null(), "{key}");
    }
    for key in ["expectation", "gap", "weight", "msa", "mss"] {
        assert!(v["dimensions"][0][key].is_null(), "dimensions.{key}");
    }
    assert!(v["servperf"].is_number());
}

#[test]
fn gap_chart_draws_the_sources_present() {
    let data = simulate(&Simulation::default()).unwrap();
    let inst = Instrument::standard();
    let full = analyze(&data, &inst, &ServqualOptions::default()).unwrap();
    let svg = gap_chart(&full);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for d in &full.dimensions {
        assert!(svg.contains(&d.name));
    }
    // Two markers per dimension plus two in the legend; five zone bands.
    assert_eq!(svg.matches("<circle").count(), 12);
    assert_eq!(svg.matches("#d9e8f5").count(), 6);
    let p_only = ServqualOptions::default().columns(Columns::perceptions_only("P"));
    let svg = gap_chart(&analyze(&data, &inst, &p_only).unwrap());
    assert_eq!(svg.matches("<circle").count(), 6);
    assert!(!svg.contains("#d9e8f5") && !svg.contains("expectation"));
}

#[test]
fn simulator_is_seeded_and_on_scale() {
    let a = simulate(&Simulation::default()).unwrap();
    let b = simulate(&Simulation::default()).unwrap();
    let c = simulate(&Simulation {
        seed: 2,
        ..Simulation::default()
    })
    .unwrap();
    let p1 = |d: &Dataset| d.numeric("P1").unwrap().to_vec();
    assert_eq!(format!("{:?}", p1(&a)), format!("{:?}", p1(&b)));
    assert_ne!(format!("{:?}", p1(&a)), format!("{:?}", p1(&c)));
    for name in a
        .names()
        .iter()
        .filter(|n| !n.starts_with('W') && *n != "branch")
    {
        assert!(
            a.numeric(name)
                .unwrap()
                .iter()
                .all(|x| x.is_nan() || (1.0..=7.0).contains(x))
        );
    }
    let sums: Vec<f64> = (0..a.n_rows())
        .map(|r| {
            [
                "tangibles",
                "reliability",
                "responsiveness",
                "assurance",
                "empathy",
            ]
            .iter()
            .map(|d| a.numeric(&format!("W_{d}")).unwrap()[r])
            .sum()
        })
        .collect();
    let exact = sums.iter().filter(|s| **s == 100.0).count();
    assert!(exact > 180 && exact < 200, "{exact}");
    assert!(matches!(
        simulate(&Simulation {
            n: 0,
            ..Simulation::default()
        }),
        Err(Error::InvalidSetting { .. })
    ));
}

// ----- bad input: one test each -----

#[test]
fn missing_perception_column() {
    let data = Dataset::from_columns(vec![("P1", vec![5.0]), ("P2", vec![5.0])]).unwrap();
    match analyze(&data, &two_dims(), &ServqualOptions::default()) {
        Err(Error::UnknownColumn { name, .. }) => assert_eq!(name, "P3"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn partly_present_expectations() {
    let data = Dataset::from_columns(vec![
        ("P1", vec![5.0]),
        ("P2", vec![5.0]),
        ("P3", vec![5.0]),
        ("E1", vec![5.0]),
        ("E3", vec![5.0]),
    ])
    .unwrap();
    match analyze(&data, &two_dims(), &ServqualOptions::default()) {
        Err(Error::UnknownColumn { name, .. }) => assert_eq!(name, "E2"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_item_in_reverse_list() {
    let opts = ServqualOptions::default().reverse(&["4"]);
    match analyze(&small_data(30.0, 60.0), &two_dims(), &opts) {
        Err(Error::UnknownItem { item, .. }) => assert_eq!(item, "4"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn answer_outside_the_scale() {
    let mut data = small_data(30.0, 60.0);
    data.set_numeric("P2", vec![5.0, 0.0, 4.0]).unwrap();
    match analyze(&data, &two_dims(), &ServqualOptions::default()) {
        Err(Error::OutOfScale {
            column,
            row,
            value,
            min,
            max,
        }) => {
            assert_eq!((column.as_str(), row), ("P2", 2));
            assert_eq!((value, min, max), (0.0, 1.0, 7.0));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn text_in_an_item_column() {
    let csv = "E1,P1\n5,4\n6,good\n";
    let data = Dataset::from_reader(csv.as_bytes(), &CsvOptions::default()).unwrap();
    let inst = Instrument::custom(&["x"], &[("1", "x")]).unwrap();
    assert!(matches!(
        analyze(&data, &inst, &ServqualOptions::default()),
        Err(Error::NonNumeric { row: 2, .. })
    ));
}

#[test]
fn dimension_without_items() {
    match Instrument::custom(&["speed", "care"], &[("1", "speed")]) {
        Err(Error::EmptyDimension { dimension }) => assert_eq!(dimension, "care"),
        other => panic!("{other:?}"),
    }
    let empty: [&str; 0] = [];
    assert!(matches!(
        Instrument::standard().add_dimension("network", &empty),
        Err(Error::EmptyDimension { .. })
    ));
}

#[test]
fn item_of_an_undeclared_dimension() {
    match Instrument::custom(&["speed"], &[("1", "sped")]) {
        Err(Error::UnknownDimension {
            dimension,
            suggestions,
        }) => {
            assert_eq!(dimension, "sped");
            assert_eq!(suggestions.0, ["speed"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Instrument::custom(&["a"], &[("1", "a"), ("1", "a")]),
        Err(Error::DuplicateItem { .. })
    ));
}

#[test]
fn empty_data() {
    let data = Dataset::from_columns(vec![("P1", Vec::<f64>::new())]).unwrap();
    let inst = Instrument::custom(&["x"], &[("1", "x")]).unwrap();
    assert!(matches!(
        analyze(&data, &inst, &ServqualOptions::default()),
        Err(Error::EmptyData { .. })
    ));
}

#[test]
fn invalid_scale_and_settings() {
    assert!(matches!(
        Scale::new(7.0, 1.0),
        Err(Error::InvalidSetting { .. })
    ));
    assert!(matches!(
        Scale::new(1.0, f64::NAN),
        Err(Error::InvalidSetting { .. })
    ));
    let opts = ServqualOptions::default().weight_tolerance(-1.0);
    assert!(matches!(
        analyze(&small_data(30.0, 60.0), &two_dims(), &opts),
        Err(Error::InvalidSetting { .. })
    ));
    assert!(matches!(
        parse_items("3-1"),
        Err(Error::InvalidSetting { .. })
    ));
    assert!(matches!(
        parse_items("1,,2"),
        Err(Error::InvalidSetting { .. })
    ));
    assert!(matches!(
        Instrument::standard().with_item_ids(&["1"]),
        Err(Error::InvalidSetting { .. })
    ));
}

#[test]
fn text_report_names_every_score() {
    let r = analyze(
        &small_data(30.0, 60.0),
        &two_dims(),
        &ServqualOptions::default(),
    )
    .unwrap();
    let text = r.to_string();
    for needle in [
        "unweighted SERVQUAL",
        "item variant",
        "weighted SERVQUAL",
        "SERVPERF",
        "1 not summing to 100 (1 rescaled",
        "1 respondent(s) lack a score",
        "Priorities",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in\n{text}");
    }
}
