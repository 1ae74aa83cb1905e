//! The catalog of bad inputs (`docs/ERRORS.md`): one case per row, built
//! through the public API. Each case asserts the error variant (`matches!`)
//! and the test asserts that the table in the document equals the one these
//! cases produce — same ids, inputs, variants and exact messages — so the
//! document cannot drift from the code. `docs/errors.json` holds the same
//! table for other bindings (the Python tests). The rows carry each error's
//! stable code and kind (`Error::code`, `Error::kind`); a second table lists
//! the code and kind of every variant (`every_variant`).
//!
//! Regenerate both files after a deliberate message change with
//! `CSIKIT_WRITE_CATALOG=1 cargo test catalog`.

use std::collections::BTreeSet;

use csikit::Codebook;
use csikit::csi::{
    self, Construct, CsiAnalysis, IpmaOptions, PeriodComparison, Scale as CsiScale, Scales,
    SmallGroups, Template, WeightedIndex,
};
use csikit::error::Suggestions;
use csikit::kano::{self, EvaluationTable, KanoOptions};
use csikit::monitor::custom::{self, KpiDefinition, KpiTarget};
use csikit::monitor::{
    ComplaintColumns, Complaints, CustomerCounts, Kpi, MetricOptions, Period, evaluate_kpis,
    link_by_respondent,
};
use csikit::servqual::{
    self, Gap, GapMeasure, GapModel, GapSource, Instrument, ServqualOptions, Side, Target,
    WeightPolicy,
};
use csikit::{
    CsvOptions, Dataset, Encoding, Error, ErrorKind, MissingPolicy, Model, Moments, Pls,
    PlsPredict, ReadOptions, SurveySimulator,
};
use serde::Serialize;

use crate::common::{satisfaction, satisfaction_model};

/// One row of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Case {
    id: String,
    module: String,
    call: String,
    input: String,
    variant: String,
    /// [`Error::code`].
    code: String,
    /// [`Error::kind`]'s code.
    kind: String,
    message: String,
}

/// Runs `$run` (a `Result`), requires an `Err` matching `$pat`, and records the row.
macro_rules! case {
    ($out:ident, $id:literal, $module:literal, $call:literal, $input:literal, $run:expr, $pat:pat $(if $guard:expr)?) => {{
        let result = $run;
        let err: Error = match result {
            Ok(_) => panic!("{}: expected an error, got Ok", $id),
            Err(e) => e,
        };
        assert!(
            matches!(&err, $pat $(if $guard)?),
            "{}: unexpected error {err:?}",
            $id
        );
        $out.push(Case {
            id: $id.into(),
            module: $module.into(),
            call: $call.into(),
            input: $input.into(),
            variant: variant_name(&err),
            code: err.code().into(),
            kind: err.kind().code().into(),
            message: err.to_string(),
        });
    }};
}

/// The variant's name, from its `Debug` form.
fn variant_name(err: &Error) -> String {
    format!("{err:?}")
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn csv(text: &str) -> Dataset {
    Dataset::from_reader(text.as_bytes(), &CsvOptions::default()).expect("csv")
}

fn xy_model() -> Model {
    Model::from_syntax("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap()
}

/// Ten rows of two related two-indicator blocks.
fn xy_data() -> Dataset {
    Dataset::from_columns(vec![
        ("x1", vec![1., 2., 2., 3., 4., 5., 3., 4., 2., 5.]),
        ("x2", vec![2., 3., 5., 6., 7., 10., 6., 8., 3., 9.]),
        ("y1", vec![1., 3., 4., 5., 6., 9., 5., 7., 2., 10.]),
        ("y2", vec![2., 2., 5., 4., 7., 8., 6., 6., 3., 9.]),
    ])
    .unwrap()
}

fn with_column(mut data: Dataset, name: &str, values: Vec<f64>) -> Dataset {
    data.set_numeric(name, values).unwrap();
    data
}

fn fit(model: &Model, data: &Dataset) -> csikit::Result<csikit::PlsFit> {
    Pls::new(model).fit(data)
}

fn servqual_two() -> Instrument {
    Instrument::custom(
        &["speed", "care"],
        &[("1", "speed"), ("2", "speed"), ("3", "care")],
    )
    .unwrap()
}

fn servqual_data() -> Dataset {
    Dataset::from_columns(vec![
        ("E1", vec![7.0, 6.0, 5.0]),
        ("E2", vec![6.0, 6.0, 5.0]),
        ("E3", vec![5.0, 7.0, 6.0]),
        ("P1", vec![5.0, 4.0, 6.0]),
        ("P2", vec![6.0, 5.0, 4.0]),
        ("P3", vec![6.0, 6.0, 5.0]),
        ("W_speed", vec![60.0, 30.0, 50.0]),
        ("W_care", vec![40.0, 60.0, 50.0]),
    ])
    .unwrap()
}

fn complaints(text: &str) -> csikit::Result<Complaints> {
    Complaints::from_dataset(&csv(text), &ComplaintColumns::new("month", "category"))
}

fn counts(text: &str) -> csikit::Result<CustomerCounts> {
    CustomerCounts::from_dataset(&csv(text), "month", "customers", &[])
}

/// Data whose block X has negatively correlated indicators that both
/// correlate positively with Y, so that rho_A of X is negative.
fn negative_reliability_data() -> Dataset {
    let n = 200;
    let mut state = 99_u64;
    let mut u = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let (mut x1, mut x2, mut y1, mut y2) = (vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        let (s, d) = (u(), 2.0 * u());
        x1.push(s + d);
        x2.push(s - d);
        y1.push(s + 0.3 * u());
        y2.push(s + 0.3 * u());
    }
    Dataset::from_columns(vec![("x1", x1), ("x2", x2), ("y1", y1), ("y2", y2)]).unwrap()
}

/// Builds every case of the catalog.
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let m = xy_model();

    // ----- data ------------------------------------------------------------
    case!(
        out,
        "D01",
        "data",
        "Pls::fit",
        "CSV with a header and no rows",
        fit(&m, &csv("x1,x2,y1,y2\n")),
        Error::EmptyData { .. }
    );
    case!(
        out,
        "D02",
        "data",
        "Pls::fit",
        "one row",
        fit(&m, &csv("x1,x2,y1,y2\n1,2,3,4\n")),
        Error::TooFewObservations { available: 1, .. }
    );
    case!(out, "D03", "data", "Pls::fit", "indicator `x2` constant (every row 5)",
        fit(&m, &with_column(xy_data(), "x2", vec![5.0; 10])),
        Error::ConstantColumn { column, .. } if column == "x2");
    case!(out, "D04", "data", "Pls::fit", "indicator `y1` missing in every row",
        fit(&m, &with_column(xy_data(), "y1", vec![f64::NAN; 10])),
        Error::AllMissing { column } if column == "y1");
    case!(
        out,
        "D05",
        "data",
        "Dataset::from_reader",
        "CSV header `x1,x2,x1`",
        Dataset::from_reader("x1,x2,x1\n1,2,3\n".as_bytes(), &CsvOptions::default()),
        Error::DuplicateColumn {
            first: 1,
            second: 3,
            ..
        }
    );
    case!(out, "D06", "data", "Pls::fit", "text `high` in indicator `x2`, row 2",
        fit(&m, &csv("x1,x2,y1,y2\n1,2,3,4\n2,high,4,5\n3,4,5,5\n")),
        Error::NonNumeric { column, row: 2, .. } if column == "x2");
    case!(out, "D07", "data", "Pls::fit", "`inf` in indicator `y2`, row 3",
        fit(&m, &csv("x1,x2,y1,y2\n1,2,3,4\n2,3,4,5\n3,4,5,inf\n4,4,6,7\n")),
        Error::NonFinite { column, row: 3 } if column == "y2");
    case!(
        out,
        "D08",
        "data",
        "Dataset::from_reader",
        "CSV row 3 has 3 fields, the header 2",
        Dataset::from_reader("a,b\n1,2\n3,4,5\n".as_bytes(), &CsvOptions::default()),
        Error::Csv { line: 3, .. }
    );
    case!(
        out,
        "D09",
        "data",
        "Dataset::from_csv",
        "a path that does not exist",
        Dataset::from_csv("/nonexistent/survey.csv"),
        Error::Io { .. }
    );
    case!(out, "D10", "data", "Pls::fit", "model indicator `x_2` not in the data (it has `x2`)",
        fit(&Model::from_syntax("X =~ x1 + x_2\nY =~ y1 + y2\nY ~ X").unwrap(), &xy_data()),
        Error::UnknownColumn { name, .. } if name == "x_2");
    case!(
        out,
        "D11",
        "data",
        "Pls::fit",
        "a missing value in `x1` with MissingPolicy::Error",
        Pls::new(&m).missing(MissingPolicy::Error).fit(&with_column(
            xy_data(),
            "x1",
            vec![1., f64::NAN, 2., 3., 4., 5., 3., 4., 2., 5.]
        )),
        Error::MissingValues {
            first_row: 2,
            count: 1,
            ..
        }
    );
    case!(
        out,
        "D12",
        "data",
        "Pls::fit",
        "every row misses some indicator (listwise deletion leaves none)",
        fit(&m, &csv("x1,x2,y1,y2\n1,,3,4\n,3,4,5\n3,4,,5\n")),
        Error::EmptyData { .. }
    );
    case!(
        out,
        "D13",
        "data",
        "Pls::fit",
        "case weight −1 in row 4",
        Pls::new(&m).case_weights("w").fit(&with_column(
            xy_data(),
            "w",
            vec![1., 1., 1., -1., 1., 1., 1., 1., 1., 1.]
        )),
        Error::InvalidWeights { .. }
    );
    case!(
        out,
        "D14",
        "data",
        "Pls::fit",
        "every case weight 0",
        Pls::new(&m)
            .case_weights("w")
            .fit(&with_column(xy_data(), "w", vec![0.0; 10])),
        Error::InvalidWeights { .. }
    );
    case!(
        out,
        "D15",
        "data",
        "Dataset::from_columns",
        "columns of 3 and 2 values",
        Dataset::from_columns(vec![("a", vec![1., 2., 3.]), ("b", vec![1., 2.])]),
        Error::Shape { .. }
    );
    case!(
        out,
        "D16",
        "data",
        "Dataset::from_row_major",
        "2 names, 3 values",
        Dataset::from_row_major(&["a", "b"], &[1., 2., 3.]),
        Error::Shape { .. }
    );
    case!(
        out,
        "D17",
        "data",
        "Moments::merge",
        "moments of columns (a, b) merged into (a, c)",
        {
            let mut a = Moments::from_columns(&["a", "b"], &[&[1., 2.], &[3., 4.]], None).unwrap();
            let b = Moments::from_columns(&["a", "c"], &[&[1., 2.], &[3., 4.]], None).unwrap();
            a.merge(&b)
        },
        Error::MomentsMismatch { .. }
    );
    case!(
        out,
        "D18",
        "data",
        "Dataset::from_reader",
        "GBK bytes (`华东` in line 2) read with `Encoding::Utf8`",
        Dataset::from_reader(
            &b"region,x\n\xbb\xaa\xb6\xab,1\n"[..],
            &ReadOptions::default().encoding(Encoding::Utf8)
        ),
        Error::Encoding { line: 2, .. }
    );
    case!(
        out,
        "D19",
        "data",
        "Dataset::from_reader",
        "byte 0xFF in line 3 read with `Encoding::Gb18030`",
        Dataset::from_reader(
            &b"a,b\n1,2\n3,\xff\n"[..],
            &ReadOptions::default().encoding(Encoding::Gb18030)
        ),
        Error::Encoding { line: 3, .. }
    );
    case!(
        out,
        "D20",
        "data",
        "Dataset::from_reader",
        "a decimal comma with `,` as the (detected) delimiter",
        Dataset::from_reader(
            "a,b\n1,2\n".as_bytes(),
            &ReadOptions::default().decimal_comma(true)
        ),
        Error::InvalidSetting { name, .. } if name == "decimal_comma"
    );
    case!(
        out,
        "D21",
        "data",
        "Encoding::from_str",
        "`latin1`",
        "latin1".parse::<Encoding>(),
        Error::InvalidSetting { name, .. } if name == "encoding"
    );
    case!(
        out,
        "D22",
        "data",
        "Dataset::read",
        "an SPSS file `survey.sav`",
        Dataset::read("survey.sav", &ReadOptions::default()),
        Error::UnsupportedFormat { .. }
    );
    case!(
        out,
        "D23",
        "data",
        "Dataset::from_reader",
        "the bytes of a zip archive (an .xlsx workbook) read as CSV",
        Dataset::from_reader(&b"PK\x03\x04\x14\x00"[..], &ReadOptions::default()),
        Error::UnsupportedFormat { .. }
    );
    #[cfg(feature = "xlsx")]
    {
        case!(
            out,
            "D24",
            "data",
            "Dataset::read",
            "a text file named `.xlsx`",
            Dataset::read(
                catalog_file("not-a-workbook.xlsx", b"a,b\n1,2\n"),
                &ReadOptions::default()
            ),
            Error::Workbook { .. }
        );
        case!(
            out,
            "D25",
            "data",
            "Dataset::read",
            "sheet `Data` of a workbook with sheets `Survey` and `Notes`",
            Dataset::read(
                catalog_workbook("sheets.xlsx", &["Survey", "Notes"], &[]),
                &ReadOptions::default().sheet("Data")
            ),
            Error::UnknownSheet { sheet, .. } if sheet == "Data"
        );
        case!(
            out,
            "D26",
            "data",
            "Dataset::read",
            "a note in cell E3, right of a table whose header spans A to C",
            Dataset::read(
                catalog_workbook("note.xlsx", &["Survey"], &[(2, 4, "see notes")]),
                &ReadOptions::default()
            ),
            Error::Workbook { .. }
        );
    }

    // ----- model -----------------------------------------------------------
    case!(
        out,
        "M01",
        "model",
        "Model::from_syntax",
        "`Y =~ y1 y2` (a missing `+`)",
        Model::from_syntax("X =~ x1 + x2\nY =~ y1 y2\nY ~ X"),
        Error::Syntax { line: 2, .. }
    );
    case!(
        out,
        "M02",
        "model",
        "Model::from_syntax",
        "paths A → B → C → A (a cycle)",
        Model::from_syntax("A =~ a\nB =~ b\nC =~ c\nB ~ A\nC ~ B\nA ~ C"),
        Error::Cycle { .. }
    );
    case!(out, "M03", "model", "Model::from_syntax", "`Y ~ X + Y` (a path from Y to itself)",
        Model::from_syntax("X =~ x1\nY =~ y1\nY ~ X + Y"),
        Error::SelfLoop { construct } if construct == "Y");
    case!(
        out,
        "M04",
        "model",
        "Model::from_syntax",
        "indicator `x2` in blocks X and Y",
        Model::from_syntax("X =~ x1 + x2\nY =~ y1 + x2\nY ~ X"),
        Error::IndicatorInTwoBlocks { .. }
    );
    case!(out, "M05", "model", "Model::from_syntax", "path from undefined `Imgae` (defined: `Image`)",
        Model::from_syntax("Image =~ x1\nSat =~ y1\nSat ~ Imgae"),
        Error::UnknownConstruct { name, .. } if name == "Imgae");
    case!(
        out,
        "M06",
        "model",
        "ModelBuilder::build",
        "construct X defined twice",
        Model::builder()
            .reflective("X", ["x1"])
            .composite("X", ["x2"])
            .reflective("Y", ["y1"])
            .path("X", "Y")
            .build(),
        Error::DuplicateConstruct { .. }
    );
    case!(
        out,
        "M07",
        "model",
        "ModelBuilder::build",
        "construct X with no indicators",
        Model::builder()
            .reflective("X", Vec::<String>::new())
            .reflective("Y", ["y1"])
            .path("X", "Y")
            .build(),
        Error::EmptyBlock { .. }
    );
    case!(out, "M08", "model", "Model::from_syntax", "construct Z in no path",
        Model::from_syntax("X =~ x1\nY =~ y1\nZ =~ z\nY ~ X"),
        Error::IsolatedConstruct { construct } if construct == "Z");
    case!(
        out,
        "M09",
        "model",
        "ModelBuilder::build",
        "path X → Y given twice",
        Model::builder()
            .reflective("X", ["x1"])
            .reflective("Y", ["y1"])
            .path("X", "Y")
            .path("X", "Y")
            .build(),
        Error::DuplicatePath { .. }
    );
    case!(
        out,
        "M10",
        "model",
        "Model::from_syntax",
        "a single construct, no paths",
        Model::from_syntax("X =~ x1 + x2"),
        Error::NoStructuralModel
    );
    case!(
        out,
        "M11",
        "model",
        "Model::from_syntax",
        "`X =~ x1 + x1`",
        Model::from_syntax("X =~ x1 + x1\nY =~ y1\nY ~ X"),
        Error::DuplicateIndicator { .. }
    );

    // ----- estimation ------------------------------------------------------
    case!(out, "E01", "estimation", "Pls::fit", "Mode B block with x2 = 2·x1 + 1 (perfectly collinear)",
        fit(&Model::from_syntax("X <~ x1 + x2\nY =~ y1 + y2\nY ~ X").unwrap(),
            &with_column(xy_data(), "x2", xy_data().numeric("x1").unwrap().iter().map(|v| 2.0 * v + 1.0).collect())),
        Error::SingularBlock { construct } if construct == "X");
    case!(
        out,
        "E02",
        "estimation",
        "Pls::fit",
        "max_iter(1): the iteration cannot converge",
        Pls::new(&satisfaction_model(csikit::Mode::A))
            .max_iter(1)
            .fit(&satisfaction()),
        Error::NotConverged { iterations: 1, .. }
    );
    case!(out, "E03", "estimation", "Pls::fit", "two predictors of Z with identical single indicators",
        fit(&Model::from_syntax("X =~ x1\nW =~ w1\nZ =~ y1 + y2\nZ ~ X + W").unwrap(),
            &with_column(xy_data(), "w1", xy_data().numeric("x1").unwrap().to_vec())),
        Error::SingularPredictors { construct } if construct == "Z");
    case!(
        out,
        "E04",
        "estimation",
        "Pls::fit",
        "tolerance(0.0)",
        Pls::new(&m).tolerance(0.0).fit(&xy_data()),
        Error::InvalidSetting { .. }
    );
    case!(
        out,
        "E05",
        "estimation",
        "Pls::fit",
        "max_iter(0)",
        Pls::new(&m).max_iter(0).fit(&xy_data()),
        Error::InvalidSetting { .. }
    );
    case!(out, "E06", "estimation", "Pls::fit", "case-weight column `w` not in the data",
        Pls::new(&m).case_weights("w").fit(&xy_data()),
        Error::UnknownColumn { name, .. } if name == "w");
    case!(out, "E07", "estimation", "Pls::fit", "consistent PLS with composites([\"Z\"]), no construct Z",
        Pls::new(&m).consistent(true).composites(["Z"]).fit(&xy_data()),
        Error::InvalidSetting { name, .. } if name == "composites");
    case!(
        out,
        "E08",
        "estimation",
        "Pls::fit",
        "consistent PLS with unit weights",
        Pls::new(&m)
            .consistent(true)
            .weighting(csikit::Weighting::Unit)
            .fit(&xy_data()),
        Error::Unsupported { .. }
    );
    case!(
        out,
        "E09",
        "estimation",
        "Pls::fit",
        "three-stage higher-order approach with a path A -> Y from a lower-order construct",
        Pls::new(
            &Model::from_syntax("A =~ x1\nB =~ x2\nY =~ y1 + y2\nH <~ A + B\nY ~ H\nY ~ A")
                .unwrap()
        )
        .hoc_approach(csikit::pls::HocApproach::ThreeStage)
        .fit(&xy_data()),
        Error::Unsupported { .. }
    );

    // ----- assessment, PLSc, PLSpredict -------------------------------------
    case!(out, "A01", "assessment", "Pls::consistent(true).fit", "block X whose indicators correlate negatively (rho_A < 0)",
        Pls::new(&m).consistent(true).fit(&negative_reliability_data()),
        Error::PlscReliability { construct, .. } if construct == "X");
    case!(
        out,
        "A02",
        "assessment",
        "PlsPredict::run",
        "10 folds on 5 complete rows",
        PlsPredict::new(&Pls::new(&m))
            .folds(10)
            .run(&xy_data().take_rows(&[0, 1, 2, 3, 4]).unwrap()),
        Error::InvalidFolds { folds: 10, n: 5 }
    );
    case!(
        out,
        "A03",
        "assessment",
        "PlsPredict::run",
        "target X, which has no predictors",
        PlsPredict::new(&Pls::new(&m))
            .targets(["X"])
            .run(&xy_data()),
        Error::NoPredictionTargets { .. }
    );
    case!(
        out,
        "A04",
        "assessment",
        "PlsPredict::run",
        "repetitions(0)",
        PlsPredict::new(&Pls::new(&m))
            .repetitions(0)
            .run(&xy_data()),
        Error::InvalidSetting { .. }
    );
    case!(
        out,
        "A05",
        "assessment",
        "PlsPredict::run",
        "a fit with case weights",
        PlsPredict::new(&Pls::new(&m).case_weights("x1")).run(&xy_data()),
        Error::InvalidSetting { .. }
    );
    case!(
        out,
        "A06",
        "assessment",
        "Pls::blindfolding",
        "omission distance 5 with 10 rows (divides n)",
        Pls::new(&m).blindfolding(&xy_data(), 5),
        Error::OmissionDistance { distance: 5, n: 10 }
    );

    // ----- CSI ---------------------------------------------------------------
    let ten = || Scales::uniform(CsiScale::new(1.0, 10.0));
    case!(
        out,
        "C01",
        "csi",
        "Scale::parse",
        "scale `10:1` (min > max)",
        CsiScale::parse("10:1"),
        Error::InvalidScale { .. }
    );
    case!(
        out,
        "C02",
        "csi",
        "Scale::parse",
        "scale `1-10` (no colon)",
        CsiScale::parse("1-10"),
        Error::InvalidSetting { .. }
    );
    case!(
        out,
        "C03",
        "csi",
        "csi::index",
        "a scale for `x1` only, none for the other indicators",
        csi::index(
            &fit(&m, &xy_data()).unwrap(),
            &Scales::none().with("x1", CsiScale::new(1.0, 5.0))
        ),
        Error::InvalidSetting { .. }
    );
    case!(
        out,
        "C04",
        "csi",
        "CsiModelBuilder::build",
        "ACSI template with only Expectation measured",
        Template::acsi()
            .measure()
            .reflective(Construct::Expectation, ["e1"])
            .build(),
        Error::UnmappedConstruct { .. }
    );
    let csi_data = SurveySimulator::new(300)
        .seed(3)
        .months(2)
        .simulate()
        .unwrap();
    let csi_model = SurveySimulator::csi_model();
    let csi_fit = csi_model.fit(&csi_data, &ten()).unwrap();
    case!(
        out,
        "C05",
        "csi",
        "CsiFit::ipma",
        "target `Satisfation` (misspelt)",
        csi_fit.ipma("Satisfation", &IpmaOptions::default()),
        Error::UnknownTarget { .. }
    );
    case!(
        out,
        "C06",
        "csi",
        "CsiFit::ipma",
        "target Image, which no construct predicts",
        csi_fit.ipma(Construct::Image, &IpmaOptions::default()),
        Error::NoDrivers { .. }
    );
    case!(
        out,
        "C07",
        "csi",
        "csi::index_scores",
        "answer 11 on the 1–10 scale",
        csi::index_scores(
            &fit(&m, &xy_data()).unwrap(),
            &ten(),
            &Dataset::from_columns(vec![
                ("x1", vec![11.]),
                ("x2", vec![1.]),
                ("y1", vec![1.]),
                ("y2", vec![1.])
            ])
            .unwrap()
        ),
        Error::OutOfScale { .. }
    );
    case!(
        out,
        "C08",
        "csi",
        "CsiAnalysis::segments",
        "a segment of 1 respondent, min group size 30, SmallGroups::Error",
        {
            let mut d = csi_data.clone();
            let mut seg = vec!["big".to_string(); d.n_rows()];
            seg[0] = "tiny".into();
            d.set_text("seg", seg).unwrap();
            CsiAnalysis::new(&csi_model, CsiScale::new(1.0, 10.0))
                .min_group_size(30)
                .small_groups(SmallGroups::Error)
                .segments(&d, "seg")
        },
        Error::GroupTooSmall { n: 1, min: 30, .. }
    );
    case!(
        out,
        "C09",
        "csi",
        "CsiAnalysis::periods",
        "base period `7` not in the data",
        CsiAnalysis::new(&csi_model, CsiScale::new(1.0, 10.0))
            .min_group_size(30)
            .periods(&csi_data, "month", &[PeriodComparison::Base("7".into())]),
        Error::UnknownPeriod { .. }
    );
    case!(
        out,
        "C10",
        "csi",
        "CsiAnalysis::segments",
        "segment column `regoin` (misspelt)",
        CsiAnalysis::new(&csi_model, CsiScale::new(1.0, 10.0)).segments(&csi_data, "regoin"),
        Error::UnknownColumn { .. }
    );
    case!(
        out,
        "C11",
        "csi",
        "csi::aggregate",
        "revenue weight −1",
        csi::aggregate("all", &[WeightedIndex::new("X", 70.0, -1.0)]),
        Error::InvalidAggregationWeight { .. }
    );
    case!(
        out,
        "C12",
        "csi",
        "csi::aggregate",
        "no units",
        csi::aggregate("all", &[]),
        Error::EmptyData { .. }
    );
    let with_month = |bad: &[(usize, &str)]| {
        let mut d = csi_data.clone();
        let mut m: Vec<String> = d
            .labels("month")
            .unwrap()
            .into_iter()
            .map(|l| l.unwrap_or_default())
            .collect();
        for &(row, label) in bad {
            m[row] = label.to_string();
        }
        d.set_text("month", m).unwrap();
        d
    };
    case!(
        out,
        "C13",
        "csi",
        "CsiAnalysis::periods",
        "period label `Jan` in row 5 of `month`",
        CsiAnalysis::new(&csi_model, CsiScale::new(1.0, 10.0)).periods(
            &with_month(&[(4, "Jan")]),
            "month",
            &[PeriodComparison::Previous]
        ),
        Error::InvalidPeriod { row: 5, .. }
    );
    case!(
        out,
        "C14",
        "csi",
        "CsiAnalysis::periods",
        "months `2025-01` and quarters `2025Q2` in one column",
        CsiAnalysis::new(&csi_model, CsiScale::new(1.0, 10.0)).periods(
            &with_month(&[(0, "2025-01"), (1, "2025Q2")]),
            "month",
            &[PeriodComparison::Previous]
        ),
        Error::MixedPeriods { .. }
    );

    // ----- SERVQUAL ----------------------------------------------------------
    let sq = servqual_two();
    let sq_opts = ServqualOptions::default();
    case!(
        out,
        "S01",
        "servqual",
        "servqual::analyze",
        "answer 0 in `P2` on the 1–7 scale",
        servqual::analyze(
            &with_column(servqual_data(), "P2", vec![5.0, 0.0, 4.0]),
            &sq,
            &sq_opts
        ),
        Error::OutOfScale { row: 2, .. }
    );
    case!(out, "S02", "servqual", "servqual::analyze", "perception column `P3` absent",
        servqual::analyze(&Dataset::from_columns(vec![("P1", vec![5.0]), ("P2", vec![5.0])]).unwrap(), &sq, &sq_opts),
        Error::UnknownColumn { name, .. } if name == "P3");
    case!(
        out,
        "S03",
        "servqual",
        "servqual::analyze",
        "reverse-scored item `4` not in the instrument",
        servqual::analyze(
            &servqual_data(),
            &sq,
            &ServqualOptions::default().reverse(&["4"])
        ),
        Error::UnknownItem { .. }
    );
    case!(
        out,
        "S04",
        "servqual",
        "servqual::analyze",
        "importance points of row 2 sum to 90 (WeightPolicy::Strict)",
        servqual::analyze(
            &servqual_data(),
            &sq,
            &ServqualOptions::default().weight_policy(WeightPolicy::Strict)
        ),
        Error::ImportancePoints { row: 2, .. }
    );
    case!(
        out,
        "S05",
        "servqual",
        "servqual::analyze",
        "importance points −10 and 110 in row 2",
        servqual::analyze(
            &with_column(
                with_column(servqual_data(), "W_speed", vec![60., -10., 50.]),
                "W_care",
                vec![40., 110., 50.]
            ),
            &sq,
            &sq_opts
        ),
        Error::ImportancePoints { row: 2, .. }
    );
    case!(
        out,
        "S06",
        "servqual",
        "Instrument::custom",
        "dimension `care` with no items",
        Instrument::custom(&["speed", "care"], &[("1", "speed")]),
        Error::EmptyDimension { .. }
    );
    case!(
        out,
        "S07",
        "servqual",
        "Instrument::custom",
        "item assigned to undeclared dimension `sped`",
        Instrument::custom(&["speed"], &[("1", "sped")]),
        Error::UnknownDimension { .. }
    );
    case!(
        out,
        "S08",
        "servqual",
        "Instrument::custom",
        "item `1` declared twice",
        Instrument::custom(&["a"], &[("1", "a"), ("1", "a")]),
        Error::DuplicateItem { .. }
    );
    case!(
        out,
        "S09",
        "servqual",
        "GapModel::add",
        "gap 2 entered twice for dimension `speed`",
        {
            let report = servqual::analyze(&servqual_data(), &sq, &sq_opts).unwrap();
            let mut g = GapModel::new(&report);
            g.add(GapMeasure::new(
                Gap::Standards,
                Target::Dimension("speed".into()),
                GapSource::Management,
                Side::value(1.0),
                Side::value(2.0),
            ))
            .unwrap();
            g.add(GapMeasure::new(
                Gap::Standards,
                Target::Dimension("speed".into()),
                GapSource::Management,
                Side::value(1.0),
                Side::value(2.0),
            ))
            .map(|_| ())
        },
        Error::DuplicateGap { gap: 2, .. }
    );
    case!(
        out,
        "S10",
        "servqual",
        "servqual::analyze",
        "text `good` in `P1`, row 2",
        servqual::analyze(
            &csv("E1,P1\n5,4\n6,good\n"),
            &Instrument::custom(&["x"], &[("1", "x")]).unwrap(),
            &sq_opts
        ),
        Error::NonNumeric { row: 2, .. }
    );
    case!(
        out,
        "S11",
        "servqual",
        "servqual::analyze",
        "no rows",
        servqual::analyze(
            &Dataset::from_columns(vec![("P1", Vec::<f64>::new())]).unwrap(),
            &Instrument::custom(&["x"], &[("1", "x")]).unwrap(),
            &sq_opts
        ),
        Error::EmptyData { .. }
    );
    case!(
        out,
        "S12",
        "servqual",
        "servqual::Scale::new",
        "scale 7..1",
        servqual::Scale::new(7.0, 1.0),
        Error::InvalidSetting { .. }
    );
    case!(
        out,
        "S13",
        "servqual",
        "servqual::analyze_by",
        "segment column `segment` absent",
        servqual::analyze_by(&servqual_data(), "segment", &sq, &sq_opts),
        Error::UnknownColumn { .. }
    );

    // ----- KANO --------------------------------------------------------------
    let ko = KanoOptions::default();
    case!(
        out,
        "K01",
        "kano",
        "kano::analyze",
        "answer 6 in `x_f` (scale 1–5)",
        kano::analyze(&csv("x_f,x_d\n1,5\n6,3\n"), &ko),
        Error::KanoInvalidAnswer { row: 2, .. }
    );
    case!(
        out,
        "K02",
        "kano",
        "kano::analyze",
        "answer 2.5 in `x_d`",
        kano::analyze(&csv("x_f,x_d\n1,2.5\n"), &ko),
        Error::KanoInvalidAnswer { row: 1, .. }
    );
    case!(
        out,
        "K03",
        "kano",
        "kano::analyze",
        "answer code 4 with the 3-answer table",
        kano::analyze(
            &csv("x_f,x_d\n1,4\n"),
            &KanoOptions::default().table(EvaluationTable::short_form())
        ),
        Error::KanoInvalidAnswer { max: 3, .. }
    );
    case!(
        out,
        "K04",
        "kano",
        "kano::analyze",
        "`b_f` without `b_d`",
        kano::analyze(&csv("a_f,a_d,b_f\n1,5,1\n"), &ko),
        Error::KanoUnpairedColumn { .. }
    );
    case!(
        out,
        "K05",
        "kano",
        "kano::analyze",
        "no `_f`/`_d` columns at all",
        kano::analyze(&csv("age,region\n1,5\n"), &ko),
        Error::KanoNoFeatures { .. }
    );
    case!(
        out,
        "K06",
        "kano",
        "kano::analyze",
        "self-stated importance 10 (scale 1–9)",
        kano::analyze(&csv("x_f,x_d,x_i\n1,5,10\n"), &ko),
        Error::KanoInvalidImportance { .. }
    );
    case!(
        out,
        "K07",
        "kano",
        "kano::from_counts",
        "count −3",
        kano::from_counts(&csv("feature,M,O,A,I,R,Q\nseat,1,-3,1,1,0,0\n"), &ko),
        Error::KanoInvalidCount { .. }
    );
    case!(out, "K08", "kano", "kano::from_counts", "an empty count cell",
        kano::from_counts(&csv("feature,M,O,A,I\nseat,1,,1,1\n"), &ko),
        Error::KanoInvalidCount { value, .. } if value.is_nan());
    case!(
        out,
        "K09",
        "kano",
        "kano::from_counts",
        "count table without column `I`",
        kano::from_counts(&csv("feature,M,O,A\nseat,1,1,1\n"), &ko),
        Error::UnknownColumn { .. }
    );
    case!(
        out,
        "K10",
        "kano",
        "kano::analyze",
        "header only",
        kano::analyze(&csv("x_f,x_d\n"), &ko),
        Error::EmptyData { .. }
    );
    case!(
        out,
        "K11",
        "kano",
        "kano::analyze",
        "text `yes` in `x_d`",
        kano::analyze(&csv("x_f,x_d\n1,yes\n"), &ko),
        Error::NonNumeric { .. }
    );
    case!(
        out,
        "K12",
        "kano",
        "EvaluationTable::parse",
        "a table of 2 rows",
        EvaluationTable::parse("QAAAO RIIIM"),
        Error::InvalidSetting { .. }
    );

    // ----- monitoring ----------------------------------------------------------
    let n_ok = counts("month,customers\n2026-01,100\n").unwrap();
    let c_ok = complaints("month,category\n2026-01,x\n").unwrap();
    case!(
        out,
        "N01",
        "monitor",
        "Complaints::from_dataset",
        "period `January`",
        complaints("month,category\nJanuary,x\n"),
        Error::InvalidPeriod { .. }
    );
    case!(
        out,
        "N02",
        "monitor",
        "CustomerCounts::from_dataset",
        "0 customers in 2026-01",
        counts("month,customers\n2026-01,0\n"),
        Error::ZeroCustomers { .. }
    );
    case!(
        out,
        "N03",
        "monitor",
        "Complaints::from_dataset",
        "response time −1 hours",
        Complaints::from_dataset(
            &csv("month,category,resp\n2026-01,x,-1\n"),
            &ComplaintColumns::new("month", "category").response_hours("resp")
        ),
        Error::NegativeDuration { .. }
    );
    case!(
        out,
        "N04",
        "monitor",
        "Complaints::metrics",
        "a complaint in 2026-05, customer counts for 2026-01 only",
        complaints("month,category\n2026-05,billing\n")
            .unwrap()
            .metrics(&n_ok, &MetricOptions::default()),
        Error::UnknownPeriod { .. }
    );
    case!(
        out,
        "N05",
        "monitor",
        "Complaints::from_dataset",
        "a complaint without a category",
        complaints("month,category\n2026-01,\n"),
        Error::MissingValues { .. }
    );
    case!(
        out,
        "N06",
        "monitor",
        "ComplaintMetrics::hotspots",
        "hotspots for 2024-01, outside the data",
        c_ok.metrics(&n_ok, &MetricOptions::default())
            .unwrap()
            .hotspots(Period::parse("2024-01").unwrap(), 2, 2, None),
        Error::UnknownPeriod { .. }
    );
    case!(
        out,
        "N07",
        "monitor",
        "evaluate_kpis",
        "satisfied-share target 1.5",
        evaluate_kpis(
            &[Kpi::SatisfiedShare {
                threshold: 8.0,
                target: 1.5
            }],
            &c_ok,
            &n_ok,
            None
        ),
        Error::InvalidSetting { .. }
    );
    case!(
        out,
        "N08",
        "monitor",
        "link_by_respondent",
        "complaints without customer ids",
        link_by_respondent(&c_ok, &csv("id,q\na,1\n"), "id", &["q"], 0.95, true),
        Error::InvalidSetting { .. }
    );
    case!(
        out,
        "N09",
        "monitor",
        "Complaints::metrics",
        "base period 2020-01, outside the customer counts",
        c_ok.metrics(
            &n_ok,
            &MetricOptions {
                base_period: Period::parse("2020-01")
            }
        ),
        Error::UnknownPeriod { .. }
    );
    case!(
        out,
        "N10",
        "monitor",
        "Complaints::metrics",
        "complaints per month, customer counts per quarter",
        c_ok.metrics(
            &counts("month,customers\n2026Q1,100\n").unwrap(),
            &MetricOptions::default()
        ),
        Error::MixedPeriods { .. }
    );
    let kpi_data = csv("month,region,wait_s\n2026-01,north,12\n2026-01,south,30\n");
    let kpi_defs = [KpiDefinition::share_below("answered20", "wait_s", 20.0).unit("region")];
    let targets = |text: &str| {
        KpiTarget::from_dataset(&csv(text))
            .and_then(|t| custom::evaluate(&kpi_data, &kpi_defs, &t).map(|_| ()))
    };
    case!(
        out,
        "N11",
        "monitor",
        "KpiDefinition::from_dataset",
        "KPI kind `median`",
        KpiDefinition::from_dataset(&csv("kpi,kind,column\nwait,median,wait_s\n")),
        Error::InvalidKpiDefinition { row: 1, .. }
    );
    case!(
        out,
        "N12",
        "monitor",
        "custom::evaluate",
        "a target of KPI `answered2`, defined: `answered20`",
        targets("kpi,unit,target,direction\nanswered2,*,0.8,higher\n"),
        Error::UnknownKpi { row: 1, .. }
    );
    case!(
        out,
        "N13",
        "monitor",
        "custom::evaluate",
        "a target for unit `nort`, units north and south",
        targets("kpi,unit,target,direction\nanswered20,nort,0.8,higher\n"),
        Error::UnknownUnit { row: 1, .. }
    );
    case!(
        out,
        "N14",
        "monitor",
        "KpiTarget::from_dataset",
        "target `high`",
        targets("kpi,unit,target,direction\nanswered20,*,high,higher\n"),
        Error::InvalidTarget { row: 1, .. }
    );
    case!(
        out,
        "N15",
        "monitor",
        "KpiTarget::from_dataset",
        "direction `sideways`",
        targets("kpi,unit,target,direction\nanswered20,*,0.8,sideways\n"),
        Error::InvalidTarget { row: 1, .. }
    );

    // The codebook (DESIGN.md §6).
    case!(
        out,
        "B01",
        "codebook",
        "Codebook::parse_csv",
        "a codebook whose scale has min above max",
        Codebook::parse_csv("item,min,max\nq1,5,1\n"),
        Error::Codebook { line: 2, .. }
    );
    case!(
        out,
        "B02",
        "codebook",
        "Codebook::apply",
        "an item the data lack (`x3` for columns x1, x2, y1, y2)",
        Codebook::parse_csv("item,min,max\nx3,1,10\n")
            .unwrap()
            .apply(&mut xy_data()),
        Error::CodebookUnknownItem { .. }
    );
    case!(
        out,
        "B03",
        "codebook",
        "Codebook::apply",
        "`x2` declared 1..5 holds 10 (and 99 is not a declared missing code)",
        Codebook::parse_csv("item,min,max,missing\nx2,1,5,99\n")
            .unwrap()
            .apply(&mut xy_data()),
        Error::CodebookOutOfScale { .. }
    );

    // Real survey exports (issue 14): impossible results and absurd sizes.
    let nan = f64::NAN;
    case!(
        out,
        "R01",
        "data",
        "Pls::fit",
        "missing(Pairwise): `x1` and `y2` observed together in 2 rows",
        Pls::new(&m).missing(MissingPolicy::Pairwise).fit(
            &Dataset::from_columns(vec![
                ("x1", vec![1., 2., 3., nan, nan, nan]),
                ("x2", vec![2., 3., 3., 4., 6., 4.]),
                ("y1", vec![1., 2., 2., 5., 6., 3.]),
                ("y2", vec![nan, 2., 3., 4., 5., 4.]),
            ])
            .unwrap()
        ),
        Error::TooFewCommonRows { common: 2, .. }
    );
    case!(
        out,
        "R02",
        "data",
        "Pls::fit",
        "every model column empty in each of the 3 rows (an id column is filled)",
        Pls::new(&m).missing(MissingPolicy::Mean).fit(
            &Dataset::from_columns(vec![
                ("x1", vec![nan; 3]),
                ("x2", vec![nan; 3]),
                ("y1", vec![nan; 3]),
                ("y2", vec![nan; 3]),
                ("id", vec![1., 2., 3.]),
            ])
            .unwrap()
        ),
        Error::EmptyData { .. }
    );
    case!(
        out,
        "R03",
        "estimation",
        "Pls::fit",
        "correlation(Polychoric), 12 rows, category 5 of `x2` answered once",
        Pls::new(&Model::from_syntax("X =~ x1 + x2 + x3\nY =~ y1 + y2\nY ~ X").unwrap())
            .correlation(csikit::pls::CorrelationKind::Polychoric)
            .fit(
                &Dataset::from_columns(vec![
                    ("x1", vec![3., 4., 2., 1., 3., 2., 1., 2., 1., 1., 4., 2.]),
                    ("x2", vec![5., 3., 2., 2., 3., 3., 2., 2., 1., 1., 3., 2.]),
                    ("x3", vec![3., 3., 3., 1., 2., 2., 2., 2., 2., 1., 3., 2.]),
                    ("y1", vec![3., 3., 2., 1., 2., 2., 2., 2., 2., 2., 4., 3.]),
                    ("y2", vec![2., 2., 4., 3., 2., 2., 3., 2., 1., 2., 3., 1.]),
                ])
                .unwrap()
            ),
        Error::NotPositiveDefinite { what, .. } if what == "polychoric"
    );
    let impossible: Moments = serde_json::from_value(serde_json::json!({
        "names": ["a", "b", "y"],
        "n": 100,
        "weight_sum": 100.0,
        "mean": [0.0, 0.0, 0.0],
        "comoment": [99.0, -89.1, 89.1, -89.1, 99.0, 89.1, 89.1, 89.1, 99.0],
    }))
    .unwrap();
    case!(
        out,
        "R04",
        "estimation",
        "Pls::fit_moments",
        "moments with r(a, b) = −0.9, r(a, y) = r(b, y) = 0.9 (no data have them)",
        Pls::new(&Model::from_syntax("A =~ a\nB =~ b\nY =~ y\nY ~ A + B").unwrap())
            .fit_moments(&impossible),
        Error::ImpossibleEstimate { .. }
    );
    case!(
        out,
        "R05",
        "estimation",
        "Bootstrap::run",
        "missing(Pairwise)",
        csikit::Bootstrap::new(100).run(&Pls::new(&m).missing(MissingPolicy::Pairwise), &xy_data()),
        Error::Unsupported { .. }
    );
    case!(
        out,
        "R06",
        "estimation",
        "Bootstrap::run",
        "Bootstrap::new(1000000000000)",
        csikit::Bootstrap::new(1_000_000_000_000).run(&Pls::new(&m), &xy_data()),
        Error::TooManyResamples { .. }
    );
    case!(
        out,
        "R07",
        "estimation",
        "MultiGroup::run",
        "permutations(500) with memory_budget(1024)",
        csikit::MultiGroup::new("g")
            .permutations(500)
            .memory_budget(1024)
            .run(&Pls::new(&m), &{
                let mut d = xy_data();
                d.set_text("g", (0..10).map(|r| (r % 2).to_string()).collect())
                    .unwrap();
                d
            }),
        Error::TooManyResamples { .. }
    );
    case!(
        out,
        "R08",
        "servqual",
        "Instrument::parse_items",
        "`1-1000000000` for the 22-item instrument",
        Instrument::standard().parse_items("1-1000000000"),
        Error::InvalidSetting { .. }
    );
    case!(
        out,
        "R09",
        "servqual",
        "parse_items",
        "`1-1000000000` (no instrument)",
        servqual::parse_items("1-1000000000"),
        Error::InvalidSetting { .. }
    );

    // Key drivers (relative importance).
    let drivers_data = csv("x1,x2,x3,y\n1,2,5,2\n2,1,3,3\n3,4,6,5\n4,3,4,6\n5,6,1,8\n6,5,7,9\n");
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    case!(
        out,
        "V01",
        "drivers",
        "drivers::analyze",
        "driver `x3` = x1 + x2",
        {
            let mut d = drivers_data.clone();
            let x1 = d.numeric("x1").unwrap().to_vec();
            let x2 = d.numeric("x2").unwrap().to_vec();
            d.set_numeric("x3", x1.iter().zip(&x2).map(|(a, b)| a + b).collect())
                .unwrap();
            csikit::drivers::analyze(&d, "y", &names(&["x1", "x2", "x3"]), &Default::default())
        },
        Error::CollinearDrivers { .. }
    );
    case!(
        out,
        "V02",
        "drivers",
        "drivers::analyze",
        "201 drivers",
        csikit::drivers::analyze(
            &drivers_data,
            "y",
            &(0..201).map(|i| format!("v{i}")).collect::<Vec<_>>(),
            &Default::default()
        ),
        Error::TooManyDrivers { .. }
    );
    out
}

// ----- the document ----------------------------------------------------------

const DOC: &str = "docs/ERRORS.md";
const JSON: &str = "docs/errors.json";
const BEGIN: &str = "<!-- catalog:begin -->";
const END: &str = "<!-- catalog:end -->";
const HEADER: &str = "| id | module | call | bad input | variant | code | kind | message |";
const CODES_BEGIN: &str = "<!-- codes:begin -->";
const CODES_END: &str = "<!-- codes:end -->";
const CODES_HEADER: &str = "| variant | code | kind |";

/// Writes a file for a catalog case under `target/csikit-catalog/` (a path
/// relative to the crate, so that the message is the same on every machine).
fn catalog_file(name: &str, bytes: &[u8]) -> String {
    let dir = root().join("target/csikit-catalog");
    std::fs::create_dir_all(&dir).unwrap();
    // Several tests build the cases at once: write aside, then rename (atomic).
    let aside = dir.join(format!("{name}.{:?}.tmp", std::thread::current().id()));
    std::fs::write(&aside, bytes).unwrap();
    std::fs::rename(&aside, dir.join(name)).unwrap();
    format!("target/csikit-catalog/{name}")
}

/// A workbook with these sheets; the first holds a table `a, b, c` with
/// two rows, plus the extra cells (0-based row, column, text).
#[cfg(feature = "xlsx")]
fn catalog_workbook(name: &str, sheets: &[&str], extra: &[(u32, u16, &str)]) -> String {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (i, sheet_name) in sheets.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(*sheet_name).unwrap();
        if i == 0 {
            for (j, h) in ["a", "b", "c"].iter().enumerate() {
                sheet.write_string(0, j as u16, *h).unwrap();
                sheet.write_number(1, j as u16, 1.0 + j as f64).unwrap();
                sheet.write_number(2, j as u16, 2.0 + j as f64).unwrap();
            }
            for (r, c, text) in extra {
                sheet.write_string(*r, *c, *text).unwrap();
            }
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    catalog_file(name, &bytes)
}

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn escape(cell: &str) -> String {
    cell.replace('|', "\\|")
}

fn render(cases: &[Case]) -> String {
    let mut s = format!("{HEADER}\n|---|---|---|---|---|---|---|---|\n");
    for c in cases {
        s.push_str(&format!(
            "| {} | {} | `{}` | {} | `{}` | `{}` | {} | {} |\n",
            c.id,
            c.module,
            c.call,
            escape(&c.input),
            c.variant,
            c.code,
            c.kind,
            escape(&c.message)
        ));
    }
    s
}

/// Splits a table row on unescaped `|` and unescapes the cells.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut out = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                out.last_mut().unwrap().push('|');
            }
            '|' => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

fn strip_code(s: &str) -> String {
    s.trim_matches('`').to_string()
}

/// The rows of the table in the document.
fn parse(doc: &str) -> Vec<Case> {
    let start = doc.find(BEGIN).expect("catalog:begin marker") + BEGIN.len();
    let end = doc.find(END).expect("catalog:end marker");
    doc[start..end]
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with(HEADER) && !l.starts_with("|---"))
        .map(|l| {
            let c = cells(l);
            assert_eq!(c.len(), 8, "a catalog row needs 8 cells: {l}");
            Case {
                id: c[0].clone(),
                module: c[1].clone(),
                call: strip_code(&c[2]),
                input: c[3].clone(),
                variant: strip_code(&c[4]),
                code: strip_code(&c[5]),
                kind: c[6].clone(),
                message: c[7].clone(),
            }
        })
        .collect()
}

#[test]
fn catalog_matches_docs() {
    let cases = cases();
    // Ids are unique; messages are one line; at least 30 classes.
    let ids: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), cases.len(), "duplicate ids in the catalog");
    assert!(cases.len() >= 30);
    for c in &cases {
        assert!(!c.message.contains('\n'), "{}: multi-line message", c.id);
        assert!(!c.message.is_empty(), "{}: empty message", c.id);
    }
    let doc_path = root().join(DOC);
    let json_path = root().join(JSON);
    let json = serde_json::to_string_pretty(&cases).unwrap() + "\n";
    if std::env::var_os("CSIKIT_WRITE_CATALOG").is_some() {
        let doc = std::fs::read_to_string(&doc_path)
            .unwrap_or_else(|_| format!("# Error catalog\n\n{BEGIN}\n{END}\n"));
        let start = doc.find(BEGIN).expect("catalog:begin marker") + BEGIN.len();
        let end = doc.find(END).expect("catalog:end marker");
        let new = format!("{}\n{}{}", &doc[..start], render(&cases), &doc[end..]);
        let new = match (new.find(CODES_BEGIN), new.find(CODES_END)) {
            (Some(b), Some(e)) => format!(
                "{}\n{}{}",
                &new[..b + CODES_BEGIN.len()],
                render_codes(&every_variant()),
                &new[e..]
            ),
            _ => new,
        };
        std::fs::write(&doc_path, new).unwrap();
        std::fs::write(&json_path, &json).unwrap();
    }
    let doc = std::fs::read_to_string(&doc_path).expect("docs/ERRORS.md");
    let documented = parse(&doc);
    let doc_ids: BTreeSet<&str> = documented.iter().map(|c| c.id.as_str()).collect();
    let untested: Vec<_> = doc_ids.difference(&ids).collect();
    let undocumented: Vec<_> = ids.difference(&doc_ids).collect();
    assert!(
        untested.is_empty() && undocumented.is_empty(),
        "rows without a test: {untested:?}; tests without a row: {undocumented:?} \
         (regenerate with CSIKIT_WRITE_CATALOG=1 cargo test catalog)"
    );
    for (want, got) in cases.iter().zip(&documented) {
        assert_eq!(
            got, want,
            "{} differs from docs/ERRORS.md (order or content; regenerate with \
             CSIKIT_WRITE_CATALOG=1 cargo test catalog)",
            want.id
        );
    }
    let stored = std::fs::read_to_string(&json_path).expect("docs/errors.json");
    assert_eq!(
        stored, json,
        "docs/errors.json is stale (CSIKIT_WRITE_CATALOG=1 cargo test catalog)"
    );
    // The table of every variant's code and kind.
    let start = doc.find(CODES_BEGIN).expect("codes:begin marker") + CODES_BEGIN.len();
    let end = doc.find(CODES_END).expect("codes:end marker");
    assert_eq!(
        doc[start..end].trim_start_matches('\n'),
        render_codes(&every_variant()),
        "the codes table of docs/ERRORS.md is stale (CSIKIT_WRITE_CATALOG=1 cargo test catalog)"
    );
}

fn render_codes(errors: &[Error]) -> String {
    let mut s = format!("{CODES_HEADER}\n|---|---|---|\n");
    for e in errors {
        s.push_str(&format!(
            "| `{}` | `{}` | {} |\n",
            variant_name(e),
            e.code(),
            e.kind()
        ));
    }
    s
}

// ----- codes and kinds ---------------------------------------------------------

/// One error of every variant, in the order of `src/error.rs` (the field
/// values are placeholders). `every_variant_is_sampled` compares the list with
/// the declarations, so a new variant fails the tests until it is added here
/// (and thereby to the codes table of docs/ERRORS.md).
fn every_variant() -> Vec<Error> {
    let s = || "x".to_string();
    let none = Suggestions::default;
    vec![
        Error::Io {
            path: s(),
            source: std::io::Error::other("x"),
        },
        Error::Csv {
            line: 1,
            message: s(),
        },
        Error::Encoding {
            path: s(),
            encoding: s(),
            line: 1,
        },
        Error::Workbook {
            path: s(),
            message: s(),
        },
        Error::UnknownSheet {
            path: s(),
            sheet: s(),
            sheets: vec![s()],
        },
        Error::UnsupportedFormat {
            path: s(),
            format: s(),
            hint: s(),
        },
        Error::EmptyData { context: s() },
        Error::DuplicateColumn {
            name: s(),
            first: 1,
            second: 2,
        },
        Error::Shape { message: s() },
        Error::UnknownColumn {
            name: s(),
            suggestions: none(),
        },
        Error::NonNumeric {
            column: s(),
            row: 1,
            value: s(),
        },
        Error::NonFinite {
            column: s(),
            row: 1,
        },
        Error::ConstantColumn {
            column: s(),
            value: 0.5,
        },
        Error::AllMissing { column: s() },
        Error::MissingValues {
            column: s(),
            count: 1,
            first_row: 1,
        },
        Error::InvalidWeights {
            column: s(),
            message: s(),
        },
        Error::TooFewObservations {
            what: s(),
            needed: 3,
            available: 1,
        },
        Error::Syntax {
            line: 1,
            column: 1,
            message: s(),
        },
        Error::DuplicateConstruct { name: s() },
        Error::EmptyBlock { construct: s() },
        Error::IndicatorInTwoBlocks {
            indicator: s(),
            first: s(),
            second: s(),
        },
        Error::DuplicateIndicator {
            indicator: s(),
            construct: s(),
        },
        Error::UnknownConstruct {
            name: s(),
            suggestions: none(),
        },
        Error::SelfLoop { construct: s() },
        Error::DuplicatePath { from: s(), to: s() },
        Error::Cycle {
            cycle: vec![s(), s()],
        },
        Error::IsolatedConstruct { construct: s() },
        Error::NoStructuralModel,
        Error::SingularBlock { construct: s() },
        Error::SingularPredictors { construct: s() },
        Error::DegenerateConstruct { construct: s() },
        Error::NotConverged {
            iterations: 1,
            change: 0.5,
            tol: 1e-7,
        },
        Error::InvalidSetting {
            name: s(),
            message: s(),
        },
        Error::MomentsMismatch { message: s() },
        Error::TooManyFailedResamples {
            what: s(),
            failed: 2,
            attempted: 3,
            max_share: 0.5,
            reasons: s(),
        },
        Error::ResampleFailed {
            index: 1,
            reason: s(),
        },
        Error::TooFewGroups {
            column: s(),
            levels: vec![s()],
        },
        Error::GroupFit {
            column: s(),
            level: s(),
            source: Box::new(Error::NoStructuralModel),
        },
        Error::OutOfScale {
            column: s(),
            row: 1,
            value: 11.0,
            min: 1.0,
            max: 10.0,
        },
        Error::UnknownItem {
            item: s(),
            suggestions: none(),
        },
        Error::UnknownDimension {
            dimension: s(),
            suggestions: none(),
        },
        Error::EmptyDimension { dimension: s() },
        Error::DuplicateItem { name: s() },
        Error::ImportancePoints {
            row: 1,
            sum: 90.0,
            problem: s(),
        },
        Error::DuplicateGap {
            gap: 1,
            target: s(),
        },
        Error::KanoInvalidAnswer {
            column: s(),
            row: 1,
            value: 7.0,
            max: 5,
            scale: s(),
        },
        Error::KanoInvalidImportance {
            column: s(),
            row: 1,
            value: 10.0,
        },
        Error::KanoUnpairedColumn {
            column: s(),
            missing: s(),
        },
        Error::KanoNoFeatures { columns: vec![s()] },
        Error::KanoInvalidCount {
            feature: s(),
            category: s(),
            value: -1.0,
        },
        Error::InvalidPeriod {
            column: s(),
            row: 1,
            value: s(),
        },
        Error::MixedPeriods {
            context: s(),
            first: s(),
            first_kind: csikit::period::Frequency::Monthly,
            other: s(),
            other_kind: csikit::period::Frequency::Quarterly,
        },
        Error::UnknownPeriod {
            period: s(),
            context: s(),
        },
        Error::ZeroCustomers {
            period: s(),
            segment: s(),
            value: 0.0,
        },
        Error::NegativeDuration {
            column: s(),
            row: 1,
            value: -1.0,
        },
        Error::InvalidKpiDefinition {
            kpi: s(),
            row: 1,
            message: s(),
        },
        Error::UnknownKpi {
            kpi: s(),
            row: 1,
            suggestions: none(),
        },
        Error::UnknownUnit {
            kpi: s(),
            unit: s(),
            row: 1,
            suggestions: none(),
        },
        Error::InvalidTarget {
            row: 1,
            column: s(),
            message: s(),
        },
        Error::PlscReliability {
            construct: s(),
            rho_a: -0.5,
        },
        Error::InvalidFolds { folds: 10, n: 5 },
        Error::OmissionDistance { distance: 5, n: 10 },
        Error::NoPredictionTargets { message: s() },
        Error::InvalidScale {
            indicator: s(),
            min: 10.0,
            max: 1.0,
        },
        Error::UnmappedConstruct {
            construct: s(),
            template: s(),
        },
        Error::IndexUndefined {
            construct: s(),
            reason: s(),
        },
        Error::UnknownTarget {
            name: s(),
            suggestions: none(),
        },
        Error::NoDrivers { target: s() },
        Error::GroupTooSmall {
            column: s(),
            level: s(),
            n: 1,
            min: 30,
        },
        Error::InvalidAggregationWeight {
            unit: s(),
            weight: -1.0,
        },
        Error::HigherOrderComponents {
            construct: s(),
            count: 1,
        },
        Error::HigherOrderSelf { construct: s() },
        Error::NestedHigherOrder {
            construct: s(),
            component: s(),
        },
        Error::ComponentInTwoHigherOrder {
            component: s(),
            first: s(),
            second: s(),
        },
        Error::MixedHigherOrderBlock {
            construct: s(),
            constructs: vec![s()],
            indicators: vec![s()],
        },
        Error::InvalidInteraction {
            term: s(),
            message: s(),
        },
        Error::Unsupported {
            feature: s(),
            context: s(),
        },
        Error::NotOrdinal {
            column: s(),
            message: s(),
        },
        Error::Codebook {
            line: 1,
            message: s(),
        },
        Error::CodebookUnknownItem {
            item: s(),
            suggestions: none(),
        },
        Error::CodebookOutOfScale {
            item: s(),
            row: 1,
            value: 1.0,
            min: 1.0,
            max: 1.0,
        },
        Error::TooFewCommonRows {
            a: s(),
            b: s(),
            common: 1,
        },
        Error::NotPositiveDefinite {
            what: s(),
            min_eigenvalue: -1.0,
            hint: s(),
        },
        Error::ImpossibleEstimate {
            statistic: s(),
            value: 2.0,
            range: s(),
        },
        Error::TooManyResamples {
            what: s(),
            count: 1,
            reason: s(),
        },
        Error::CollinearDrivers {
            driver: s(),
            others: vec![s()],
            tolerance: 0.0,
        },
        Error::TooManyDrivers { count: 1, limit: 1 },
    ]
}

/// The variant names declared in `src/error.rs`, in order (the lines of the
/// enum's body indented by four spaces that start with a capital letter).
fn declared_variants() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("src/error.rs")).expect("src/error.rs");
    let body = &text[text.find("pub enum Error").expect("the Error enum")..];
    let body = &body[..body.find("\n}\n").expect("the end of the Error enum")];
    body.lines()
        .filter_map(|l| l.strip_prefix("    "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|l| l.chars().take_while(|c| c.is_alphanumeric()).collect())
        .collect()
}

/// `UnknownColumn` → `unknown_column`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Lower-case ASCII words joined by single underscores.
fn is_snake_case(code: &str) -> bool {
    !code.is_empty()
        && code.split('_').all(|word| {
            word.starts_with(|c: char| c.is_ascii_lowercase())
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Variants renamed after their code was fixed: (variant, code). Codes are
/// never renamed, so a renamed variant keeps its old code and is listed here.
const RENAMED: &[(&str, &str)] = &[];

#[test]
fn every_variant_is_sampled() {
    let sampled: Vec<String> = every_variant().iter().map(variant_name).collect();
    let declared = declared_variants();
    assert!(declared.len() >= 69, "{declared:?}");
    assert!(declared.contains(&"NoStructuralModel".to_string()));
    assert_eq!(
        sampled, declared,
        "every_variant() in tests/catalog.rs must list one error of every variant of src/error.rs, in order"
    );
}

#[test]
fn codes_are_distinct_stable_snake_case() {
    assert!(is_snake_case("kano_invalid_answer") && is_snake_case("io"));
    for bad in [
        "",
        "Io",
        "unknown__column",
        "_io",
        "io_",
        "unknown-column",
        "2x",
    ] {
        assert!(!is_snake_case(bad), "{bad}");
    }
    assert_eq!(snake_case("KanoInvalidAnswer"), "kano_invalid_answer");
    let mut by_code = std::collections::BTreeMap::new();
    for e in every_variant() {
        let variant = variant_name(&e);
        let code = e.code();
        assert!(
            is_snake_case(code),
            "{variant}: code `{code}` is not snake_case"
        );
        if let Some(other) = by_code.insert(code, variant.clone()) {
            panic!("`{other}` and `{variant}` share the code `{code}`");
        }
        // Codes were introduced as the variants' names in snake_case.
        let expected = RENAMED
            .iter()
            .find(|(v, _)| *v == variant)
            .map_or_else(|| snake_case(&variant), |(_, c)| c.to_string());
        assert_eq!(code, expected, "{variant}: codes are never renamed");
    }
    // A few codes written out, as programs compare them.
    let code_of = |name: &str| {
        every_variant()
            .into_iter()
            .find(|e| variant_name(e) == name)
            .map(|e| e.code())
            .unwrap()
    };
    assert_eq!(code_of("UnknownColumn"), "unknown_column");
    assert_eq!(code_of("NotConverged"), "not_converged");
    assert_eq!(code_of("Io"), "io");
    assert_eq!(code_of("NoStructuralModel"), "no_structural_model");
    assert_eq!(code_of("PlscReliability"), "plsc_reliability");

    // The catalog: one code per variant, a distinct code for each variant.
    let cases = cases();
    let mut code_by_variant = std::collections::BTreeMap::new();
    let mut variant_by_code = std::collections::BTreeMap::new();
    for c in &cases {
        let v = code_by_variant
            .entry(c.variant.as_str())
            .or_insert(c.code.as_str());
        assert_eq!(*v, c.code, "{}: variant {} has two codes", c.id, c.variant);
        let w = variant_by_code
            .entry(c.code.as_str())
            .or_insert(c.variant.as_str());
        assert_eq!(
            *w, c.variant,
            "{}: code {} names two variants",
            c.id, c.code
        );
        assert!(is_snake_case(&c.code), "{}", c.id);
    }
    assert!(code_by_variant.len() >= 50);
}

#[test]
fn kinds_match_expectations() {
    use ErrorKind::*;
    let expected = [
        ("Io", Io),
        ("Csv", Data),
        ("UnknownColumn", Data),
        ("NonNumeric", Data),
        ("MissingValues", Data),
        ("InvalidFolds", Data),
        ("OutOfScale", Data),
        ("Syntax", Model),
        ("Cycle", Model),
        ("UnknownConstruct", Model),
        ("NoDrivers", Model),
        ("InvalidInteraction", Model),
        ("InvalidSetting", Setting),
        ("SingularBlock", Estimation),
        ("PlscReliability", Estimation),
        ("GroupFit", Estimation),
        ("NotConverged", Convergence),
    ];
    let all = every_variant();
    for (name, kind) in expected {
        let e = all.iter().find(|e| variant_name(e) == name).unwrap();
        assert_eq!(e.kind(), kind, "{name}");
    }
    // Io and Convergence are one variant each; every kind is used.
    let of_kind = |k: ErrorKind| -> Vec<String> {
        all.iter()
            .filter(|e| e.kind() == k)
            .map(variant_name)
            .collect()
    };
    assert_eq!(of_kind(Io), ["Io"]);
    // A resampling count out of its usable range is a setting too (issue 14).
    // So is a driver count above the limit of a relative-importance analysis,
    // and a KPI definitions or targets table that cannot be used (issue 17).
    assert_eq!(
        of_kind(Setting),
        [
            "InvalidSetting",
            "InvalidKpiDefinition",
            "UnknownKpi",
            "UnknownUnit",
            "InvalidTarget",
            "TooManyResamples",
            "TooManyDrivers"
        ]
    );
    assert_eq!(of_kind(Convergence), ["NotConverged"]);
    let used: BTreeSet<ErrorKind> = all.iter().map(Error::kind).collect();
    assert_eq!(used.len(), 6);
    // A kind serializes as its code and reads back.
    for k in used {
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, format!("\"{}\"", k.code()));
        assert_eq!(k.to_string(), k.code());
        assert_eq!(serde_json::from_str::<ErrorKind>(&json).unwrap(), k);
    }
    assert_eq!(
        [Io, Data, Model, Setting, Estimation, Convergence].map(ErrorKind::code),
        [
            "io",
            "data",
            "model",
            "setting",
            "estimation",
            "convergence"
        ]
    );
}

#[test]
fn table_cells_round_trip() {
    let c = Case {
        id: "X1".into(),
        module: "m".into(),
        call: "f".into(),
        input: "a | b".into(),
        variant: "V".into(),
        code: "v".into(),
        kind: "data".into(),
        message: "x `y` | z".into(),
    };
    let doc = format!("{BEGIN}\n{}{END}\n", render(std::slice::from_ref(&c)));
    assert_eq!(parse(&doc), vec![c]);
}

/// Where part of the input is legitimately left out, the result counts it
/// (the "Partial results" table of docs/ERRORS.md).
#[test]
fn partial_results_report_counts() {
    let m = xy_model();
    let mut x1 = xy_data().numeric("x1").unwrap().to_vec();
    x1[3] = f64::NAN;
    x1[7] = f64::NAN;
    let holes = with_column(xy_data(), "x1", x1);
    // Listwise deletion: two rows dropped, and said so.
    let f = Pls::new(&m).fit(&holes).unwrap();
    assert_eq!((f.missing.n_dropped, f.missing.n_used), (2, 8));
    assert_eq!(f.n_observations, 8);
    assert_eq!(f.missing.missing_by_column, vec![("x1".to_string(), 2)]);
    // Mean replacement: two cells imputed, no row dropped.
    let f = Pls::new(&m)
        .missing(MissingPolicy::Mean)
        .fit(&holes)
        .unwrap();
    assert_eq!((f.missing.n_imputed, f.missing.n_dropped), (2, 0));
    // A fit that may stop early says that it did not converge.
    let f = Pls::new(&satisfaction_model(csikit::Mode::A))
        .max_iter(1)
        .allow_nonconvergence(true)
        .fit(&satisfaction())
        .unwrap();
    assert!(!f.converged);
    // PLSpredict drops incomplete rows and counts them.
    let p = PlsPredict::new(&Pls::new(&m)).folds(4).run(&holes).unwrap();
    assert_eq!((p.n_observations, p.n_dropped), (8, 2));
    // CSI groups: a tiny segment is skipped with its size and reason; a row
    // without a label is counted.
    let data = SurveySimulator::new(300).seed(3).simulate().unwrap();
    let mut seg: Vec<String> = (0..data.n_rows())
        .map(|r| if r == 0 { "tiny" } else { "big" }.to_string())
        .collect();
    seg[1] = String::new();
    let mut d = data.clone();
    d.set_text("seg", seg).unwrap();
    let a = CsiAnalysis::new(&SurveySimulator::csi_model(), CsiScale::new(1.0, 10.0))
        .min_group_size(30)
        .segments(&d, "seg")
        .unwrap();
    assert_eq!(a.groups.len(), 1);
    assert_eq!(a.groups[0].n, 298);
    assert_eq!(a.n_missing_label, 1);
    assert_eq!(a.skipped.len(), 1);
    assert_eq!((a.skipped[0].label.as_str(), a.skipped[0].n), ("tiny", 1));
    assert!(a.skipped[0].reason.contains("fewer than the minimum 30"));
    // SERVQUAL: a respondent without a care answer has no unweighted score.
    let sq = with_column(servqual_data(), "P3", vec![6.0, 6.0, f64::NAN]);
    let r = servqual::analyze(&sq, &servqual_two(), &ServqualOptions::default()).unwrap();
    assert_eq!((r.n, r.counts.unweighted), (3, 2));
    // KANO: a respondent missing the dysfunctional answer is not classified.
    let r = kano::analyze(&csv("x_f,x_d\n1,5\n2,\n1,3\n"), &KanoOptions::default()).unwrap();
    assert_eq!(r.features[0].n, 2);
}
