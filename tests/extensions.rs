//! Model extensions (issue 8): higher-order constructs, interaction terms,
//! weighted PLS end to end, polychoric correlations.

use csikit::csi::{IpmaOptions, Scale, Scales, index, ipma};
use csikit::pls::ordinal::{bivariate_normal_cdf, polychoric, polychoric_table, thresholds};
use csikit::pls::{CorrelationKind, HocApproach, InteractionApproach};
use csikit::{Bootstrap, Dataset, Error, Mode, Model, Pls};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::{close, data_path};

fn sq() -> Dataset {
    Dataset::from_csv(data_path("sq.csv")).expect("sq.csv")
}

const SQ_SYNTAX: &str = "
    TANG =~ a01 + a02 + a03 + a04
    REL  =~ a05 + a06 + a07 + a08 + a09
    RESP =~ a10 + a11 + a12 + a13
    ASSU =~ a14 + a15 + a16 + a17
    EMP  =~ a18 + a19 + a20 + a21 + a22
    SAT  =~ sat
    SQ   =~ TANG + REL + RESP + ASSU + EMP
    SAT  ~ SQ
";

const DIMS: [&str; 5] = ["TANG", "REL", "RESP", "ASSU", "EMP"];

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

// ----- specification -----

#[test]
fn syntax_and_builder_give_the_same_higher_order_model() {
    let m = Model::from_syntax(SQ_SYNTAX).unwrap();
    assert_eq!(m.higher_order().len(), 1);
    let h = m.construct_index("SQ").unwrap();
    assert_eq!(m.constructs()[h].indicators.len(), 22);
    assert_eq!(m.constructs()[h].mode, Mode::A);
    // Mode A HOC: paths HOC -> LOC.
    for d in DIMS {
        let j = m.construct_index(d).unwrap();
        assert_eq!(m.predecessors(j), &[h]);
    }
    let b = Model::builder()
        .reflective("TANG", ["a01", "a02", "a03", "a04"])
        .reflective("REL", ["a05", "a06", "a07", "a08", "a09"])
        .reflective("RESP", ["a10", "a11", "a12", "a13"])
        .reflective("ASSU", ["a14", "a15", "a16", "a17"])
        .reflective("EMP", ["a18", "a19", "a20", "a21", "a22"])
        .reflective("SAT", ["sat"])
        .higher_order("SQ", Mode::A, DIMS)
        .path("SQ", "SAT")
        .build()
        .unwrap();
    assert_eq!(b.to_syntax(), m.to_syntax());
    // Round trip through the syntax.
    let again = Model::from_syntax(&m.to_syntax()).unwrap();
    assert_eq!(again.to_syntax(), m.to_syntax());
    assert!(m.to_syntax().contains("SQ =~ TANG + REL + RESP + ASSU + EMP"));
    // Mode B HOC: paths LOC -> HOC.
    let f = Model::from_syntax(&SQ_SYNTAX.replace("SQ   =~", "SQ <~")).unwrap();
    let h = f.construct_index("SQ").unwrap();
    assert_eq!(f.predecessors(h).len(), 5);
}

#[test]
fn interaction_syntax() {
    let m = Model::from_syntax(
        "X =~ x1 + x2\nM =~ m1 + m2\nY =~ y1 + y2\nY ~ X + M + X:M",
    )
    .unwrap();
    assert_eq!(m.interactions().len(), 1);
    let t = m.construct_index("X:M").unwrap();
    assert_eq!(
        m.constructs()[t].indicators,
        ["x1:m1", "x1:m2", "x2:m1", "x2:m2"]
    );
    assert!(m.is_interaction(t));
    assert_eq!(
        Model::from_syntax(&m.to_syntax()).unwrap().to_syntax(),
        m.to_syntax()
    );
}

fn spec_err(text: &str) -> Error {
    Model::from_syntax(text).unwrap_err()
}

#[test]
fn bad_specifications_have_typed_errors() {
    let base = "X =~ x1 + x2\nM =~ m1 + m2\nY =~ y1 + y2\n";
    // An interaction of a construct with itself.
    let e = spec_err(&format!("{base}Y ~ X + M + X:X"));
    assert!(matches!(&e, Error::InvalidInteraction { term, .. } if term == "X:X"), "{e}");
    // Of an undefined construct.
    let e = spec_err(&format!("{base}Y ~ X + M + X:Z"));
    assert!(matches!(&e, Error::UnknownConstruct { name, .. } if name == "Z"), "{e}");
    // Without its main effects.
    let e = spec_err(&format!("{base}Y ~ X + X:M"));
    assert!(
        matches!(&e, Error::InvalidInteraction { message, .. } if message.contains("`M` -> `Y`")),
        "{e}"
    );
    // As a dependent, three-way.
    assert!(matches!(
        spec_err(&format!("{base}X:M ~ Y")),
        Error::Syntax { .. }
    ));
    let e = Model::builder()
        .reflective("X", ["x1"])
        .reflective("M", ["m1"])
        .reflective("Y", ["y1"])
        .paths("X", ["Y", "X:M"])
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::InvalidInteraction { .. }), "{e}");
    assert!(matches!(
        spec_err(&format!("{base}Y ~ X + M + X:M:Y")),
        Error::InvalidInteraction { .. }
    ));
    // A higher-order construct without lower-order ones (builder) or with one.
    let e = Model::builder()
        .reflective("X", ["x1"])
        .reflective("Y", ["y1"])
        .higher_order("H", Mode::A, Vec::<String>::new())
        .path("H", "Y")
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::HigherOrderComponents { count: 0, .. }), "{e}");
    let e = spec_err(&format!("{base}H =~ X\nY ~ H"));
    assert!(matches!(e, Error::HigherOrderComponents { count: 1, .. }), "{e}");
    // Measured by itself; a LOC undefined; mixed; nested; a LOC of two HOCs.
    let e = spec_err(&format!("{base}H =~ H + X\nY ~ H"));
    assert!(matches!(e, Error::HigherOrderSelf { .. }), "{e}");
    let e = Model::builder()
        .reflective("X", ["x1"])
        .reflective("Y", ["y1"])
        .higher_order("H", Mode::A, ["X", "Q"])
        .path("H", "Y")
        .build()
        .unwrap_err();
    assert!(matches!(&e, Error::UnknownConstruct { name, .. } if name == "Q"), "{e}");
    let e = spec_err(&format!("{base}H =~ X + m3\nY ~ H"));
    assert!(matches!(e, Error::MixedHigherOrderBlock { .. }), "{e}");
    let e = spec_err(&format!("{base}Z =~ z1\nH =~ X + M\nG =~ H + Z\nY ~ G"));
    assert!(matches!(e, Error::NestedHigherOrder { .. }), "{e}");
    let e = spec_err(&format!("{base}Z =~ z1\nH =~ X + M\nG =~ M + Z\nY ~ G + H"));
    assert!(matches!(e, Error::ComponentInTwoHigherOrder { .. }), "{e}");
    // Cycles through HOCs: H =~ X + M, M's block would hold H.
    let e = spec_err(&format!("{base}H =~ X + G\nG =~ H + M\nY ~ H"));
    assert!(matches!(e, Error::NestedHigherOrder { .. }), "{e}");
}

// ----- higher-order constructs on sq.csv -----

fn sq_fit(approach: HocApproach) -> csikit::PlsFit {
    let m = Model::from_syntax(SQ_SYNTAX).unwrap();
    Pls::new(&m).hoc_approach(approach).fit(&sq()).unwrap()
}

#[test]
fn sq_second_order_approaches_agree() {
    let ri = sq_fit(HocApproach::RepeatedIndicators);
    let emb = sq_fit(HocApproach::TwoStageEmbedded);
    let dis = sq_fit(HocApproach::TwoStageDisjoint);
    let p_ri = ri.path("SQ", "SAT").unwrap().estimate;
    let p_emb = emb.path("SQ", "SAT").unwrap().estimate;
    let p_dis = dis.path("SQ", "SAT").unwrap().estimate;
    eprintln!("SQ->SAT ri {p_ri} emb {p_emb} dis {p_dis}");
    for d in DIMS {
        eprintln!(
            "{d}: ri {} emb {} dis {}",
            ri.path("SQ", d).unwrap().estimate,
            emb.indicator(d).unwrap().loading,
            dis.indicator(d).unwrap().loading
        );
    }
    // Stage 1 of the embedded approach is the repeated-indicators model.
    let st1 = emb.extension.as_ref().unwrap().stage1.as_ref().unwrap();
    for d in DIMS {
        close(
            st1.path("SQ", d).unwrap().estimate,
            ri.path("SQ", d).unwrap().estimate,
            1e-10,
            "stage 1 = repeated indicators",
        );
    }
    // Sarstedt et al. (2019) and Becker, Klein & Wetzels (2012): the
    // approaches give very similar structural estimates for a reflective HOC.
    close(p_emb, p_ri, 0.02, "SQ -> SAT embedded vs repeated");
    close(p_dis, p_ri, 0.02, "SQ -> SAT disjoint vs repeated");
    for d in DIMS {
        close(
            emb.indicator(d).unwrap().loading,
            ri.path("SQ", d).unwrap().estimate,
            0.03,
            "HOC loading embedded vs repeated",
        );
    }
}

#[test]
fn sq_ipma_of_the_dimensions() {
    let scales = Scales::uniform(Scale::new(0.0, 100.0));
    let opts = IpmaOptions::default();
    let ri = sq_fit(HocApproach::RepeatedIndicators);
    let emb = sq_fit(HocApproach::TwoStageEmbedded);
    let map_ri = ipma(&ri, &index(&ri, &scales).unwrap(), "SAT", &opts).unwrap();
    let map_emb = ipma(&emb, &index(&emb, &scales).unwrap(), "SAT", &opts).unwrap();
    for d in DIMS {
        let a = map_ri.constructs.iter().find(|c| c.name.name() == d).unwrap();
        let b = map_emb.constructs.iter().find(|c| c.name.name() == d).unwrap();
        eprintln!("{d}: imp {} {} perf {} {}", a.importance, b.importance, a.performance, b.performance);
        assert_eq!(a.via.as_deref(), Some("SQ"));
        assert_eq!(b.via.as_deref(), Some("SQ"));
        // Same LOC weights in stage 1 and the repeated-indicators model: same index.
        close(a.performance, b.performance, 1e-9, "dimension performance");
        // The repeated-indicators shares follow the dimensions' numbers of
        // items (4 or 5 of 22), the two-stage weights do not (Becker, Klein &
        // Wetzels 2012): close, not equal.
        close(a.importance, b.importance, 0.05, "dimension importance");
    }
    for map in [&map_ri, &map_emb] {
        let sq = map.constructs.iter().find(|c| c.name.name() == "SQ").unwrap();
        let sum: f64 = map
            .constructs
            .iter()
            .filter(|c| c.via.is_some())
            .map(|c| c.importance)
            .sum();
        close(sum, sq.importance, 1e-9, "dimension importances sum to SQ's");
    }
    let imp = |m: &csikit::csi::Ipma| m.constructs.iter().find(|c| c.name.name() == "SQ").unwrap().importance;
    close(imp(&map_ri), imp(&map_emb), 0.02, "SQ importance");
}
