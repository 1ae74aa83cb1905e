//! Issue 20: the CSI report's bootstrap is the same, byte for byte, at any
//! thread count (resample i always draws from its own stream, and the
//! co-moment kernel adds in one fixed order on every code path).

use csikit::csi::{CsiAnalysis, PeriodComparison, Scale};
use csikit::{Bootstrap, SurveySimulator};

/// Segments and months with bootstrap intervals and differences, on a
/// dedicated pool of 1 and of 2 threads: identical JSON. Group sizes are not
/// multiples of the kernel's block, so its tails are exercised too.
#[test]
fn report_json_is_identical_on_one_and_two_threads() {
    let data = SurveySimulator::new(1203)
        .seed(21)
        .months(3)
        .simulate()
        .unwrap();
    let model = SurveySimulator::csi_model();
    let json = |threads: usize| {
        let a = CsiAnalysis::new(&model, Scale::new(1.0, 10.0))
            .min_group_size(100)
            .bootstrap(Bootstrap::new(60).seed(2026).threads(threads));
        let all = a.fit(&data).unwrap();
        let region = a.segments(&data, "region").unwrap();
        let month = a
            .periods(&data, "month", &[PeriodComparison::Previous])
            .unwrap();
        assert!(region.groups.iter().all(|g| g.bootstrap.is_some()));
        assert!(!month.index_differences.is_empty());
        serde_json::to_string(&(&all, &region, &month)).unwrap()
    };
    let one = json(1);
    let two = json(2);
    assert!(one.contains("bootstrap_percentile"));
    assert_eq!(one, two);
}
