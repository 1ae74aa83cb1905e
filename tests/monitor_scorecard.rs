//! The touchpoint scorecard section of the `monitor` report (issue 17): the
//! scorecard inside the monitor document is the `scorecard` document of the
//! same data, the section and its chart are on the page in both languages,
//! and a touchpoint survey without a request (or the reverse) is an error.

use csikit::analysis::scorecard::{self, ScorecardRequest};
use csikit::analysis::{self, BuiltinSurvey, MonitorInput, MonitorRequest, Observer};
use csikit::csi::Scale;
use csikit::i18n::Lang;
use serde_json::Value;

/// The built-in monitor tables with the built-in CSI survey as touchpoints.
fn input() -> MonitorInput {
    let (mut input, _) = MonitorInput::builtin().unwrap();
    let survey = BuiltinSurvey {
        respondents: 4800,
        months: 3,
        seed: 7,
    };
    input.touchpoints = Some(survey.simulate().unwrap().0);
    input
}

fn request(min_n: usize) -> ScorecardRequest {
    ScorecardRequest {
        score: "CUSA1".into(),
        by: vec!["region".into()],
        period: Some("month".into()),
        scale: Some(Scale::new(1.0, 10.0)),
        min_n,
        ..ScorecardRequest::default()
    }
}

fn monitor(input: &MonitorInput, card: Option<ScorecardRequest>, lang: Lang) -> Value {
    let doc = analysis::monitor::run(
        input,
        &MonitorRequest {
            lang,
            scorecard: card,
            ..MonitorRequest::default()
        },
        &Observer::silent(),
    )
    .unwrap();
    serde_json::from_str(&doc.to_json()).unwrap()
}

#[test]
fn the_scorecard_inside_monitor_is_the_standalone_scorecard() {
    let input = input();
    // A large min_n skips some groups, so the skipped list is compared too.
    for (min_n, lang) in [(30, Lang::En), (400, Lang::Zh)] {
        let doc = monitor(&input, Some(request(min_n)), lang);
        let alone = scorecard::run(
            input.touchpoints.as_ref().unwrap(),
            &ScorecardRequest {
                lang,
                ..request(min_n)
            },
        )
        .unwrap();
        let alone: Value = serde_json::from_str(&alone.to_json()).unwrap();
        assert_eq!(doc["scorecard"], alone);
        let groups = alone["groups"].as_array().unwrap();
        assert!(!groups.is_empty());
        // The groups are region × month cells of the survey: their answers
        // plus the skipped answers are every non-missing answer.
        let n: u64 = groups.iter().map(|g| g["n"].as_u64().unwrap()).sum();
        let skipped = alone["skipped_answers"].as_u64().unwrap();
        let data = input.touchpoints.as_ref().unwrap();
        let answered = data
            .numeric("CUSA1")
            .unwrap()
            .iter()
            .filter(|v| v.is_finite())
            .count() as u64;
        assert_eq!(n + skipped, answered);
        if min_n == 400 {
            assert!(skipped > 0, "min_n 400 skips some region × month cells");
        }
    }
}

#[test]
fn the_rest_of_the_document_is_unchanged_by_the_scorecard() {
    let input = input();
    let mut with = monitor(&input, Some(request(30)), Lang::En);
    let without = monitor(
        &MonitorInput {
            touchpoints: None,
            ..input
        },
        None,
        Lang::En,
    );
    assert!(
        without.get("scorecard").is_none(),
        "no key without a scorecard"
    );
    with.as_object_mut().unwrap().remove("scorecard");
    assert_eq!(with, without);
}

#[test]
fn the_section_and_its_chart_are_on_the_page_in_both_languages() {
    let input = input();
    for (lang, heading) in [(Lang::En, "scorecard"), (Lang::Zh, "即评")] {
        let doc = analysis::monitor::run(
            &input,
            &MonitorRequest {
                lang,
                scorecard: Some(request(30)),
                ..MonitorRequest::default()
            },
            &Observer::silent(),
        )
        .unwrap();
        let page = doc.page();
        let sec = page
            .sections
            .last()
            .expect("the scorecard section is the last one");
        assert!(
            sec.heading.to_lowercase().contains(heading),
            "{lang:?}: {}",
            sec.heading
        );
        assert_eq!(sec.charts.len(), 1);
        if lang == Lang::Zh {
            assert!(
                sec.text.iter().all(|l| !l.contains("rows read")),
                "the audit is in Chinese: {:?}",
                sec.text
            );
        }
        let chart = &page.charts[sec.charts[0]];
        assert_eq!(chart.name[0], "scorecard");
        let rows = &sec.tables[0].rows;
        assert_eq!(rows.len(), doc.scorecard.as_ref().unwrap().groups.len());
        let md = page.to_markdown(&[]);
        assert!(md.contains(&sec.heading));
    }
}

#[test]
fn touchpoints_and_the_request_go_together() {
    let input = input();
    let err = analysis::monitor::run(&input, &MonitorRequest::default(), &Observer::silent())
        .unwrap_err();
    assert!(matches!(err, csikit::Error::InvalidSetting { .. }), "{err}");
    let err = analysis::monitor::run(
        &MonitorInput {
            touchpoints: None,
            ..input
        },
        &MonitorRequest {
            scorecard: Some(request(30)),
            ..MonitorRequest::default()
        },
        &Observer::silent(),
    )
    .unwrap_err();
    assert!(matches!(err, csikit::Error::InvalidSetting { .. }), "{err}");
}
