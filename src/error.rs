//! The crate's single error type.
//!
//! Every fallible public function returns [`Result<T>`]. Variants carry the
//! offending names and numbers so that a caller can react programmatically and
//! a person can act on the message.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Shorthand for `std::result::Result<T, csikit::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Names close to an unknown one, shown as "did you mean …" in messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestions(pub Vec<String>);

impl fmt::Display for Suggestions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => Ok(()),
            [one] => write!(f, " (did you mean `{one}`?)"),
            many => {
                let list: Vec<String> = many.iter().map(|s| format!("`{s}`")).collect();
                write!(f, " (did you mean one of {}?)", list.join(", "))
            }
        }
    }
}

/// Everything that can go wrong in csikit.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ----- reading data -------------------------------------------------
    /// A file could not be opened or read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The CSV text is malformed (ragged rows, bad quoting).
    #[error("malformed CSV at line {line}: {message}")]
    Csv {
        /// 1-based line of the input (the header is line 1).
        line: u64,
        /// What the CSV reader reported.
        message: String,
    },
    /// The bytes of a text file are not valid in its encoding.
    #[error(
        "cannot decode `{path}` as {encoding} at line {line}; save the file as UTF-8 or give its encoding (--encoding auto|utf8|gbk, ReadOptions::encoding)"
    )]
    Encoding {
        /// The path as given (`<input>` for a reader).
        path: String,
        /// The encoding tried (`UTF-8`, `GB18030`, `UTF-16LE`, `UTF-16BE`).
        encoding: String,
        /// 1-based line of the first byte that does not decode.
        line: u64,
    },
    /// A workbook could not be read (not a valid `.xlsx` file, or a cell outside the table).
    #[error("cannot read the workbook `{path}`: {message}")]
    Workbook {
        /// The path as given.
        path: String,
        /// What went wrong, with the cell where there is one.
        message: String,
    },
    /// The sheet asked for is not in the workbook.
    #[error("the workbook `{path}` has no sheet `{sheet}`; its sheets are {}", quoted_list(.sheets))]
    UnknownSheet {
        /// The workbook.
        path: String,
        /// The sheet asked for.
        sheet: String,
        /// The workbook's sheets, in order.
        sheets: Vec<String>,
    },
    /// A data file of a format csikit does not read (e.g. `.xls`, SPSS `.sav`).
    #[error("cannot read `{path}` as data: it is {format}; {hint}")]
    UnsupportedFormat {
        /// The path as given.
        path: String,
        /// The format, in words.
        format: String,
        /// What to do instead.
        hint: String,
    },
    /// The data have no rows (or, after missing-data handling, none are left).
    #[error("the data have no rows{context}")]
    EmptyData {
        /// Extra context, e.g. " after listwise deletion of 250 rows".
        context: String,
    },
    /// Two columns share a name.
    #[error(
        "column name `{name}` appears twice (columns {first} and {second}); names must be unique"
    )]
    DuplicateColumn {
        /// The repeated name.
        name: String,
        /// 1-based position of the first occurrence.
        first: usize,
        /// 1-based position of the second occurrence.
        second: usize,
    },
    /// The number of names does not match the number of columns, or columns differ in length.
    #[error("shape mismatch: {message}")]
    Shape {
        /// What did not fit.
        message: String,
    },
    /// A column the model or a setting refers to is not in the data.
    #[error("column `{name}` is not in the data{suggestions}")]
    UnknownColumn {
        /// The name as written.
        name: String,
        /// Near matches among the data's columns.
        suggestions: Suggestions,
    },
    /// A column the model uses holds text that is not a number.
    #[error(
        "column `{column}` must be numeric but row {row} holds `{value}` (use --na / CsvOptions::na to declare a missing-value marker)"
    )]
    NonNumeric {
        /// The column.
        column: String,
        /// 1-based data row (the header is not counted).
        row: usize,
        /// The offending cell.
        value: String,
    },
    /// A column holds an infinite value.
    #[error(
        "column `{column}` holds an infinite value at row {row}; replace it or mark it as missing"
    )]
    NonFinite {
        /// The column.
        column: String,
        /// 1-based data row.
        row: usize,
    },
    /// A column has no variance among the rows used, so it cannot be standardized.
    #[error("column `{column}` is constant (every used row is {value}); drop it from the model")]
    ConstantColumn {
        /// The column.
        column: String,
        /// Its only value.
        value: f64,
    },
    /// Every value of a column is missing.
    #[error(
        "column `{column}` has no observed values; check the missing-value marker or drop the column from the model"
    )]
    AllMissing {
        /// The column.
        column: String,
    },
    /// Missing values were found and the missing-data policy is `Error`.
    #[error(
        "column `{column}` has {count} missing value(s), first at row {first_row}; fill them in or, for PLS, choose listwise deletion or mean replacement"
    )]
    MissingValues {
        /// The first column (in model order) with missing values.
        column: String,
        /// How many values it misses.
        count: usize,
        /// 1-based row of the first missing value.
        first_row: usize,
    },
    /// A case-weight column holds a negative, missing or non-finite weight, or all weights are zero.
    #[error("case weights in `{column}`: {message}")]
    InvalidWeights {
        /// The weight column.
        column: String,
        /// What is wrong, with the row.
        message: String,
    },
    /// Too few observations for the requested computation.
    #[error("{what} needs at least {needed} observations, but only {available} are available")]
    TooFewObservations {
        /// What needs them.
        what: String,
        /// The minimum.
        needed: usize,
        /// What there is.
        available: usize,
    },

    // ----- model specification -------------------------------------------
    /// The model syntax could not be parsed.
    #[error("syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What was expected.
        message: String,
    },
    /// A construct is defined twice.
    #[error("construct `{name}` is defined twice")]
    DuplicateConstruct {
        /// The construct.
        name: String,
    },
    /// A construct has no indicators.
    #[error("construct `{construct}` has no indicators")]
    EmptyBlock {
        /// The construct.
        construct: String,
    },
    /// An indicator is assigned to more than one construct.
    #[error(
        "indicator `{indicator}` is used by both `{first}` and `{second}`; each indicator may measure one construct"
    )]
    IndicatorInTwoBlocks {
        /// The indicator.
        indicator: String,
        /// The first construct.
        first: String,
        /// The second construct.
        second: String,
    },
    /// An indicator is listed twice in the same block.
    #[error("indicator `{indicator}` is listed twice in construct `{construct}`")]
    DuplicateIndicator {
        /// The indicator.
        indicator: String,
        /// The construct.
        construct: String,
    },
    /// A path refers to a construct that is not defined.
    #[error("path refers to construct `{name}`, which is not defined{suggestions}")]
    UnknownConstruct {
        /// The name as written.
        name: String,
        /// Near matches among the defined constructs.
        suggestions: Suggestions,
    },
    /// A path from a construct to itself.
    #[error("path from `{construct}` to itself")]
    SelfLoop {
        /// The construct.
        construct: String,
    },
    /// The same path is given twice.
    #[error("path `{from}` -> `{to}` is given twice")]
    DuplicatePath {
        /// Predictor.
        from: String,
        /// Dependent.
        to: String,
    },
    /// The structural model has a cycle (PLS-PM needs a recursive model).
    #[error("the structural model has a cycle: {}", .cycle.join(" -> "))]
    Cycle {
        /// The constructs on the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// A construct takes part in no path.
    #[error("construct `{construct}` takes part in no path; every construct needs at least one")]
    IsolatedConstruct {
        /// The construct.
        construct: String,
    },
    /// The model has fewer than two constructs or no paths.
    #[error("the model needs at least two constructs joined by a path")]
    NoStructuralModel,

    // ----- estimation ----------------------------------------------------------
    /// A Mode B block's indicators are (nearly) perfectly collinear.
    #[error(
        "the indicators of Mode B construct `{construct}` are (nearly) collinear, so its regression weights are not defined; drop a redundant indicator or use Mode A"
    )]
    SingularBlock {
        /// The construct.
        construct: String,
    },
    /// The predictors of an endogenous construct are (nearly) perfectly collinear.
    #[error(
        "the predictors of `{construct}` are (nearly) collinear, so its path coefficients are not defined; drop a redundant path or merge the collinear constructs"
    )]
    SingularPredictors {
        /// The dependent construct.
        construct: String,
    },
    /// A construct's proxy has zero variance (e.g. weights cancel out).
    #[error(
        "the scores of construct `{construct}` have zero variance (its weighted indicators cancel out); check reverse-coded indicators of the block"
    )]
    DegenerateConstruct {
        /// The construct.
        construct: String,
    },
    /// The iteration did not converge within the limit.
    #[error(
        "the PLS iteration did not converge in {iterations} iterations (last weight change {change:.3e} > tolerance {tol:e}); raise max_iter or the tolerance"
    )]
    NotConverged {
        /// Iterations run.
        iterations: usize,
        /// The last change.
        change: f64,
        /// The tolerance asked for.
        tol: f64,
    },
    /// A setting is out of its valid range.
    #[error("invalid setting `{name}`: {message}")]
    InvalidSetting {
        /// The setting.
        name: String,
        /// Why.
        message: String,
    },
    /// Moments computed for different variables cannot be merged or used.
    #[error("moments do not match: {message}")]
    MomentsMismatch {
        /// Why.
        message: String,
    },

    // ----- resampling (bootstrap, multi-group analysis) -----
    /// Too many bootstrap resamples (or permutations) were degenerate to trust the result.
    #[error(
        "{failed} of {attempted} {what} could not be used (at most {:.0}% may fail): {reasons}; check the data for rare answers and collinear or nearly constant indicators, raise the share allowed, or (PLSc) keep inadmissible solutions",
        .max_share * 100.0
    )]
    TooManyFailedResamples {
        /// "bootstrap resamples" or "permutations".
        what: String,
        /// How many failed.
        failed: usize,
        /// How many were drawn.
        attempted: usize,
        /// The largest share allowed to fail.
        max_share: f64,
        /// Counts by reason.
        reasons: String,
    },
    /// A bootstrap resample was degenerate and the policy is to stop.
    #[error(
        "bootstrap resample {index} could not be used: {reason} (the Skip or Replace policy drops or redraws such resamples)"
    )]
    ResampleFailed {
        /// 0-based index of the first failed resample.
        index: usize,
        /// Why.
        reason: String,
    },
    /// A group column has fewer than two levels among the rows used.
    #[error(
        "group column `{column}` has {} level(s) among the rows used ({}); multi-group analysis needs at least two",
        .levels.len(),
        if .levels.is_empty() { "every label is missing".to_string() } else { .levels.join(", ") }
    )]
    TooFewGroups {
        /// The group column.
        column: String,
        /// The levels found.
        levels: Vec<String>,
    },
    /// The model cannot be fitted within one group.
    #[error("the model cannot be fitted in group `{level}` of `{column}`: {source}")]
    GroupFit {
        /// The group column.
        column: String,
        /// The level.
        level: String,
        /// The estimation error.
        #[source]
        source: Box<Error>,
    },

    // ----- SERVQUAL -----
    /// An answer lies outside the declared answer scale.
    #[error(
        "column `{column}` row {row} holds {value}, outside the answer scale {min}..={max}; if {value} is a missing-data code, declare it (--na {value}, or the codebook's `missing` column), otherwise correct the data or the declared scale"
    )]
    OutOfScale {
        /// The column.
        column: String,
        /// 1-based data row.
        row: usize,
        /// The offending answer.
        value: f64,
        /// Lowest allowed answer.
        min: f64,
        /// Highest allowed answer.
        max: f64,
    },
    /// An item named in a setting (reverse scoring, a gap measure) is not in the instrument.
    #[error("item `{item}` is not in the instrument{suggestions}")]
    UnknownItem {
        /// The item as written.
        item: String,
        /// Near matches among the instrument's items.
        suggestions: Suggestions,
    },
    /// A dimension named by an item or a setting is not in the instrument.
    #[error("dimension `{dimension}` is not in the instrument{suggestions}")]
    UnknownDimension {
        /// The dimension as written.
        dimension: String,
        /// Near matches among the instrument's dimensions.
        suggestions: Suggestions,
    },
    /// A dimension of the instrument has no items.
    #[error("dimension `{dimension}` has no items; assign at least one item to it or remove it")]
    EmptyDimension {
        /// The dimension.
        dimension: String,
    },
    /// An item (or a dimension) is declared twice in an instrument.
    #[error(
        "`{name}` is declared twice in the instrument; item and dimension names must be unique"
    )]
    DuplicateItem {
        /// The repeated item or dimension name.
        name: String,
    },
    /// A respondent's importance points are negative or do not sum to 100 under the strict policy.
    #[error(
        "importance points of row {row} {problem}; allocate 100 points over the dimensions or choose the normalize policy"
    )]
    ImportancePoints {
        /// 1-based data row.
        row: usize,
        /// The sum of the row's points.
        sum: f64,
        /// What is wrong, e.g. "sum to 90, not 100 (tolerance 0.5)".
        problem: String,
    },
    /// The same gap is entered twice for the same item or dimension in a five-gap model.
    #[error("gap {gap} is entered twice for `{target}`; enter each gap once per item or dimension")]
    DuplicateGap {
        /// The gap number (1–4).
        gap: u8,
        /// The item or dimension.
        target: String,
    },

    // ----- KANO -----
    /// A Kano answer is not one of the codes of the evaluation table's scale.
    #[error(
        "Kano answers in `{column}` must be whole numbers from 1 to {max} ({scale}), but row {row} holds {value}"
    )]
    KanoInvalidAnswer {
        /// The answer column (`F_f` or `F_d`).
        column: String,
        /// 1-based data row (the header is not counted).
        row: usize,
        /// The offending value.
        value: f64,
        /// The largest valid code (5 for the standard scale, 3 for the short form).
        max: usize,
        /// The scale in words, e.g. "1 like, 2 must-be, 3 neutral, 4 live-with, 5 dislike".
        scale: String,
    },
    /// A self-stated importance answer is outside 1..9.
    #[error(
        "self-stated importance in `{column}` must lie between 1 and 9, but row {row} holds {value}"
    )]
    KanoInvalidImportance {
        /// The importance column (`F_i`).
        column: String,
        /// 1-based data row.
        row: usize,
        /// The offending value.
        value: f64,
    },
    /// A Kano column (`F_f`, `F_d` or `F_i`) lacks its partner.
    #[error(
        "column `{column}` has no partner `{missing}`: every Kano feature needs a functional `_f` and a dysfunctional `_d` column"
    )]
    KanoUnpairedColumn {
        /// The column that is present.
        column: String,
        /// The partner column that is absent.
        missing: String,
    },
    /// The data have no `F_f`/`F_d` column pairs.
    #[error(
        "no Kano features found: name the answer columns `F_f` (functional) and `F_d` (dysfunctional) for each feature F; the data have columns {}",
        .columns.join(", ")
    )]
    KanoNoFeatures {
        /// The data's columns.
        columns: Vec<String>,
    },
    /// An aggregate Kano count is negative, fractional or missing.
    #[error(
        "the {category} count of feature `{feature}` is {}; counts must be whole numbers ≥ 0",
        if .value.is_nan() { "missing".to_string() } else { .value.to_string() }
    )]
    KanoInvalidCount {
        /// The feature (row of the counts table).
        feature: String,
        /// The category column (`A`, `O`, `M`, `I`, `R` or `Q`).
        category: String,
        /// The offending value (`NaN` when the cell is empty).
        value: f64,
    },

    // ----- PERIODS (monitoring, CSI trends) -----
    /// A period label that is not a month, quarter, year or wave number
    /// ([`Period`](crate::Period) lists the spellings).
    #[error(
        "column `{column}` row {row} holds `{value}`, which is not a period; {}",
        crate::period::ACCEPTED_SPELLINGS
    )]
    InvalidPeriod {
        /// The column.
        column: String,
        /// 1-based data row.
        row: usize,
        /// The cell.
        value: String,
    },
    /// Periods of different kinds (months and quarters, …) where one kind is needed.
    #[error(
        "periods of different kinds in {context}: `{first}` is a {first_kind} and `{other}` is a {other_kind}; use one kind (months, quarters, years or wave numbers) throughout"
    )]
    MixedPeriods {
        /// Where (a column, or two inputs that must match).
        context: String,
        /// The first label.
        first: String,
        /// Its kind.
        first_kind: crate::period::Frequency,
        /// A label of another kind.
        other: String,
        /// Its kind.
        other_kind: crate::period::Frequency,
    },
    /// A period that is not available where it is needed (customer counts,
    /// estimated periods).
    #[error("period {period}: {context}")]
    UnknownPeriod {
        /// The period as given (canonical spelling when it parsed).
        period: String,
        /// What needed it.
        context: String,
    },
    /// A customer count that is zero, negative or missing (rates would be undefined).
    #[error(
        "customer count for period {period}{} is {value}; it must be a positive number",
        if .segment.is_empty() { String::new() } else { format!(" (segment {})", .segment) }
    )]
    ZeroCustomers {
        /// The period.
        period: String,
        /// The segment values (empty for totals).
        segment: String,
        /// The count.
        value: f64,
    },
    /// A negative or infinite duration.
    #[error(
        "column `{column}` row {row} holds {value}: durations must be finite and non-negative (hours)"
    )]
    NegativeDuration {
        /// The column.
        column: String,
        /// 1-based data row.
        row: usize,
        /// The value.
        value: f64,
    },
    /// A user-defined KPI that cannot be computed: an unknown kind, a
    /// missing column name, a threshold or percentile out of range, a name
    /// given twice.
    #[error("KPI definition row {row} (`{kpi}`): {message}")]
    InvalidKpiDefinition {
        /// The KPI's name as written (empty when the name itself is missing).
        kpi: String,
        /// 1-based row of the definitions table.
        row: usize,
        /// What is wrong and how to write it.
        message: String,
    },
    /// A targets table names a KPI that is not defined.
    #[error(
        "targets row {row}: KPI `{kpi}` is not defined{suggestions}; define it in the KPI file or correct the name"
    )]
    UnknownKpi {
        /// The KPI as written in the targets.
        kpi: String,
        /// 1-based row of the targets table.
        row: usize,
        /// Near matches among the defined KPIs.
        suggestions: Suggestions,
    },
    /// A targets table names a unit that the KPI's data do not have.
    #[error(
        "targets row {row}: unit `{unit}` of KPI `{kpi}` is not in the data{suggestions}; use a value of the KPI's unit column or * for every unit"
    )]
    UnknownUnit {
        /// The KPI.
        kpi: String,
        /// The unit as written.
        unit: String,
        /// 1-based row of the targets table.
        row: usize,
        /// Near matches among the units of the data.
        suggestions: Suggestions,
    },
    /// A targets-table cell that cannot be used: a target that is not a
    /// finite number, a direction other than higher/lower, a required
    /// column absent, a KPI and unit given twice.
    #[error("targets row {row}, column `{column}`: {message}")]
    InvalidTarget {
        /// 1-based row of the targets table (0 = the header).
        row: usize,
        /// The column.
        column: String,
        /// What is wrong and how to write it.
        message: String,
    },

    // ----- ASSESSMENT, PLSc, PLSPREDICT -----
    /// PLSc needs a positive reliability to disattenuate a construct.
    #[error(
        "consistent PLS cannot correct `{construct}`: its rho_A is {rho_a:.4}, not a positive number (its indicators do not correlate positively); check reverse-worded items or model it as Mode B"
    )]
    PlscReliability {
        /// The construct.
        construct: String,
        /// Its rho_A.
        rho_a: f64,
    },
    /// The number of cross-validation folds is out of range.
    #[error("{folds} folds cannot be used with {n} complete rows: choose between 2 and {n}")]
    InvalidFolds {
        /// Folds asked for.
        folds: usize,
        /// Complete rows available.
        n: usize,
    },
    /// The blindfolding omission distance is unusable.
    #[error(
        "omission distance {distance} cannot be used with {n} rows: it must be between 2 and {} and must not divide {n}{}",
        .n.saturating_sub(1),
        usable_distance_hint(*.n)
    )]
    OmissionDistance {
        /// The omission distance D.
        distance: usize,
        /// Rows used by the fit.
        n: usize,
    },
    /// Nothing to predict: no endogenous construct (with indicators) among the targets.
    #[error("nothing to predict: {message}")]
    NoPredictionTargets {
        /// Why.
        message: String,
    },

    // ----- CSI -----
    /// A theoretical answer scale is not a finite interval with min < max.
    #[error(
        "the scale of `{indicator}` is {min}..{max}; give finite bounds with min < max (e.g. 1:10)"
    )]
    InvalidScale {
        /// The indicator (or `*` for the default scale).
        indicator: String,
        /// Lower bound as given.
        min: f64,
        /// Upper bound as given.
        max: f64,
    },
    /// A construct of a CSI template has no indicators mapped to it.
    #[error(
        "construct `{construct}` of the {template} template has no indicators; map survey columns to it or drop it from the template"
    )]
    UnmappedConstruct {
        /// The construct.
        construct: String,
        /// The template (ACSI, ECSI, CCSI, custom).
        template: String,
    },
    /// The 0–100 index of a construct is not defined (its rescaled weights sum to zero or less).
    #[error(
        "the 0-100 index of `{construct}` is not defined: {reason}; check the indicators' signs and scales"
    )]
    IndexUndefined {
        /// The construct.
        construct: String,
        /// Why, with the numbers.
        reason: String,
    },
    /// The target construct of impacts / IPMA is not in the model.
    #[error("target construct `{name}` is not in the model{suggestions}")]
    UnknownTarget {
        /// The name as given.
        name: String,
        /// Near matches among the model's constructs.
        suggestions: Suggestions,
    },
    /// No construct has a directed path to the IPMA / impact target.
    #[error(
        "no construct has a path to `{target}`, so importance is not defined; choose an endogenous target"
    )]
    NoDrivers {
        /// The target construct.
        target: String,
    },
    /// A segment or period group has fewer respondents than the minimum.
    #[error(
        "group `{level}` of column `{column}` has {n} usable respondents, fewer than the minimum {min}; merge small groups or lower the minimum group size"
    )]
    GroupTooSmall {
        /// The segment or period column.
        column: String,
        /// The group's label.
        level: String,
        /// Its usable rows.
        n: usize,
        /// The minimum asked for.
        min: usize,
    },
    /// An aggregation weight (e.g. revenue) is negative, not finite, or all weights are zero.
    #[error(
        "aggregation weight of `{unit}` is {weight}; weights must be finite, non-negative and not all zero"
    )]
    InvalidAggregationWeight {
        /// The unit (company, industry, …).
        unit: String,
        /// The offending weight.
        weight: f64,
    },

    // ----- MODEL EXTENSIONS (higher-order, interactions, ordinal) -----
    /// A higher-order construct has fewer than two lower-order constructs.
    #[error(
        "higher-order construct `{construct}` has {count} lower-order construct(s); it needs at least two (a construct measured by one construct is that construct)"
    )]
    HigherOrderComponents {
        /// The higher-order construct.
        construct: String,
        /// How many lower-order constructs it was given.
        count: usize,
    },
    /// A higher-order construct lists itself among its lower-order constructs.
    #[error("higher-order construct `{construct}` is measured by itself")]
    HigherOrderSelf {
        /// The higher-order construct.
        construct: String,
    },
    /// A lower-order construct is itself a higher-order construct (third-order
    /// models and cycles through higher-order constructs are not supported).
    #[error(
        "`{component}` measures higher-order construct `{construct}` but is itself higher-order; only second-order constructs are supported (and no cycles through them)"
    )]
    NestedHigherOrder {
        /// The higher-order construct.
        construct: String,
        /// The component that is itself higher-order.
        component: String,
    },
    /// A lower-order construct is assigned to two higher-order constructs.
    #[error(
        "lower-order construct `{component}` is used by both `{first}` and `{second}`; each lower-order construct may form one higher-order construct"
    )]
    ComponentInTwoHigherOrder {
        /// The lower-order construct.
        component: String,
        /// The first higher-order construct.
        first: String,
        /// The second higher-order construct.
        second: String,
    },
    /// A measurement statement mixes constructs and indicators on its right-hand side.
    #[error(
        "`{construct}` is measured by constructs ({}) and by indicators ({}); a higher-order construct is measured by constructs only",
        .constructs.join(", "), .indicators.join(", ")
    )]
    MixedHigherOrderBlock {
        /// The construct.
        construct: String,
        /// The right-hand names that are constructs.
        constructs: Vec<String>,
        /// The right-hand names that are not.
        indicators: Vec<String>,
    },
    /// An interaction term is not valid (a construct with itself, an
    /// interaction as a dependent, an undefined construct, a missing main effect).
    #[error("interaction term `{term}`: {message}")]
    InvalidInteraction {
        /// The term as written (`A:B`).
        term: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A feature combination that is not supported.
    #[error("{feature} is not supported {context}")]
    Unsupported {
        /// The feature.
        feature: String,
        /// With what, and what to do instead.
        context: String,
    },
    /// An indicator cannot be treated as ordinal.
    #[error("indicator `{column}` cannot be treated as ordinal: {message}")]
    NotOrdinal {
        /// The indicator.
        column: String,
        /// What is wrong (non-integer values, too many categories, one category).
        message: String,
    },
    /// A codebook file is malformed.
    #[error("codebook line {line}: {message}")]
    Codebook {
        /// 1-based line of the codebook (the header is line 1; 0 = the whole file).
        line: usize,
        /// What is wrong and how to write it.
        message: String,
    },
    /// A codebook item is not a column of the data.
    #[error("codebook item `{item}` is not a column of the data{suggestions}")]
    CodebookUnknownItem {
        /// The item as written in the codebook.
        item: String,
        /// Near matches among the data's columns.
        suggestions: Suggestions,
    },
    /// An answer lies outside the scale the codebook declares and is not one
    /// of its missing codes.
    #[error(
        "item `{item}` row {row} holds {value}, outside its declared scale {min}..={max}; if {value} means \"don't know\" or \"refused\", list it in the codebook's `missing` column (e.g. 98;99), otherwise correct the data"
    )]
    CodebookOutOfScale {
        /// The item.
        item: String,
        /// 1-based data row.
        row: usize,
        /// The answer.
        value: f64,
        /// Declared minimum.
        min: f64,
        /// Declared maximum.
        max: f64,
    },
    /// Two columns are observed together in too few rows for a pairwise
    /// correlation ([`crate::MissingPolicy::Pairwise`]).
    #[error(
        "columns `{a}` and `{b}` are observed together in only {common} rows; pairwise deletion needs at least 3 common rows per pair: use --missing listwise or mean, or drop one of the columns"
    )]
    TooFewCommonRows {
        /// One column.
        a: String,
        /// The other column.
        b: String,
        /// Rows in which both are observed.
        common: usize,
    },
    /// A correlation matrix estimated pair by pair (polychoric, or pairwise
    /// deletion) is not positive definite: no data set has these
    /// correlations, and estimates from it (an R² above 1, say) are impossible.
    #[error(
        "the {what} correlation matrix of the indicators is not positive definite (smallest eigenvalue {min_eigenvalue:.3e}): no data have these correlations, so no estimate from them can be trusted; {hint}"
    )]
    NotPositiveDefinite {
        /// Which matrix (`polychoric`, `pairwise`).
        what: String,
        /// Its smallest eigenvalue.
        min_eigenvalue: f64,
        /// What to do instead.
        hint: String,
    },
    /// An estimate lies outside its possible range (an R² outside [0, 1]):
    /// the input matrix cannot be the correlation matrix of any data.
    #[error(
        "impossible estimate: {statistic} = {value:.4} lies outside {range}; the indicator correlations are inconsistent (estimated pair by pair?): use Pearson correlations or complete rows"
    )]
    ImpossibleEstimate {
        /// The statistic (`R² of Satisfaction`).
        statistic: String,
        /// Its value.
        value: f64,
        /// Its possible range (`[0, 1]`).
        range: String,
    },
    /// A resampling count is absurd, or its results cannot fit in memory
    /// even when streamed.
    #[error("{count} {what} are too many: {reason}")]
    TooManyResamples {
        /// `bootstrap resamples`, `permutations`.
        what: String,
        /// The count asked for.
        count: usize,
        /// Why (the estimated memory, the limit) and what to do.
        reason: String,
    },

    // ----- key drivers ---------------------------------------------------
    /// A driver of a key-driver analysis is (nearly) a linear combination of
    /// the drivers listed before it, so its share of R² is not defined.
    #[error(
        "driver `{driver}` is (nearly) a linear combination of {} (tolerance 1 − R² = {tolerance:.2e}); drop it or merge the collinear drivers",
        quoted_list(.others)
    )]
    CollinearDrivers {
        /// The collinear driver.
        driver: String,
        /// The drivers listed before it.
        others: Vec<String>,
        /// 1 − R² of the driver on the others.
        tolerance: f64,
    },
    /// More drivers than a relative-importance analysis accepts.
    #[error(
        "{count} drivers are too many for a relative-importance analysis (at most {limit}); group items into constructs or pre-select drivers"
    )]
    TooManyDrivers {
        /// Drivers given.
        count: usize,
        /// The limit (`csikit::drivers::MAX_DRIVERS`).
        limit: usize,
    },
}

/// The broad class of an [`Error`]: what the user has to change.
///
/// Bindings map kinds to their own error types (the Python package raises
/// `DataError`, `ModelError`, `EstimationError`, `ConvergenceError` or the
/// base `CsikitError`). Serialized as its [`code`](ErrorKind::code)
/// (`"data"`, `"model"`, …).
///
/// **Stability.** A variant's kind and the kind's code are part of the public
/// API: they are not changed. The set is deliberately exhaustive (not
/// `#[non_exhaustive]`) so that bindings can match every kind without a
/// fallback; adding a kind is a breaking change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A file could not be opened or read (the path or the permissions are wrong).
    Io,
    /// The data cannot be used as given: malformed CSV, unknown, non-numeric,
    /// constant or missing columns, bad weights, answers off the scale, bad
    /// periods, too few rows or groups for what was asked.
    Data,
    /// The model (or instrument, template, target) is ill-specified: syntax,
    /// unknown or duplicate names, cycles, empty blocks, invalid
    /// higher-order constructs or interaction terms.
    Model,
    /// A setting (an option of an analysis) is out of its valid range or
    /// names an unknown choice: fix the call, not the data or the model.
    Setting,
    /// The estimation failed on these data although data, model and settings
    /// are each valid: singular blocks or predictors, degenerate constructs,
    /// undefined reliabilities or indices, too many failed resamples, a group
    /// that cannot be fitted, an unsupported combination of methods.
    Estimation,
    /// The PLS iteration did not converge within its limit.
    Convergence,
}

impl ErrorKind {
    /// The kind's stable snake_case code (`"io"`, `"data"`, `"model"`,
    /// `"setting"`, `"estimation"`, `"convergence"`), equal to its serde form.
    /// Codes are never renamed.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Data => "data",
            ErrorKind::Model => "model",
            ErrorKind::Setting => "setting",
            ErrorKind::Estimation => "estimation",
            ErrorKind::Convergence => "convergence",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Error {
    /// The broad class of this error (see [`ErrorKind`]).
    ///
    /// Every variant is classified here by an exhaustive match, so a new
    /// variant does not compile until it has a kind. A variant's kind is
    /// stable: it is never moved to another kind.
    ///
    /// ```
    /// use csikit::{Error, ErrorKind, Model};
    /// let err = Model::from_syntax("X =~ x1\nY =~ y1\nX ~ Y\nY ~ X").unwrap_err();
    /// assert!(matches!(err, Error::Cycle { .. }));
    /// assert_eq!(err.kind(), ErrorKind::Model);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Io { .. } => ErrorKind::Io,
            Self::Csv { .. } => ErrorKind::Data,
            Self::Encoding { .. } => ErrorKind::Data,
            Self::Workbook { .. } => ErrorKind::Data,
            Self::UnknownSheet { .. } => ErrorKind::Data,
            Self::UnsupportedFormat { .. } => ErrorKind::Data,
            Self::EmptyData { .. } => ErrorKind::Data,
            Self::DuplicateColumn { .. } => ErrorKind::Data,
            Self::Shape { .. } => ErrorKind::Data,
            Self::UnknownColumn { .. } => ErrorKind::Data,
            Self::NonNumeric { .. } => ErrorKind::Data,
            Self::NonFinite { .. } => ErrorKind::Data,
            Self::ConstantColumn { .. } => ErrorKind::Data,
            Self::AllMissing { .. } => ErrorKind::Data,
            Self::MissingValues { .. } => ErrorKind::Data,
            Self::InvalidWeights { .. } => ErrorKind::Data,
            Self::TooFewObservations { .. } => ErrorKind::Data,
            Self::Syntax { .. } => ErrorKind::Model,
            Self::DuplicateConstruct { .. } => ErrorKind::Model,
            Self::EmptyBlock { .. } => ErrorKind::Model,
            Self::IndicatorInTwoBlocks { .. } => ErrorKind::Model,
            Self::DuplicateIndicator { .. } => ErrorKind::Model,
            Self::UnknownConstruct { .. } => ErrorKind::Model,
            Self::SelfLoop { .. } => ErrorKind::Model,
            Self::DuplicatePath { .. } => ErrorKind::Model,
            Self::Cycle { .. } => ErrorKind::Model,
            Self::IsolatedConstruct { .. } => ErrorKind::Model,
            Self::NoStructuralModel => ErrorKind::Model,
            Self::SingularBlock { .. } => ErrorKind::Estimation,
            Self::SingularPredictors { .. } => ErrorKind::Estimation,
            Self::DegenerateConstruct { .. } => ErrorKind::Estimation,
            Self::NotConverged { .. } => ErrorKind::Convergence,
            Self::InvalidSetting { .. } => ErrorKind::Setting,
            // Moments of different variables: the inputs do not fit together.
            Self::MomentsMismatch { .. } => ErrorKind::Data,
            Self::TooManyFailedResamples { .. } => ErrorKind::Estimation,
            Self::ResampleFailed { .. } => ErrorKind::Estimation,
            Self::TooFewGroups { .. } => ErrorKind::Data,
            // The group's own error (any kind) is the `source`.
            Self::GroupFit { .. } => ErrorKind::Estimation,
            Self::OutOfScale { .. } => ErrorKind::Data,
            Self::UnknownItem { .. } => ErrorKind::Model,
            Self::UnknownDimension { .. } => ErrorKind::Model,
            Self::EmptyDimension { .. } => ErrorKind::Model,
            Self::DuplicateItem { .. } => ErrorKind::Model,
            Self::ImportancePoints { .. } => ErrorKind::Data,
            Self::DuplicateGap { .. } => ErrorKind::Model,
            Self::KanoInvalidAnswer { .. } => ErrorKind::Data,
            Self::KanoInvalidImportance { .. } => ErrorKind::Data,
            Self::KanoUnpairedColumn { .. } => ErrorKind::Data,
            Self::KanoNoFeatures { .. } => ErrorKind::Data,
            Self::KanoInvalidCount { .. } => ErrorKind::Data,
            Self::InvalidPeriod { .. } => ErrorKind::Data,
            Self::UnknownPeriod { .. } => ErrorKind::Data,
            Self::MixedPeriods { .. } => ErrorKind::Data,
            Self::ZeroCustomers { .. } => ErrorKind::Data,
            Self::NegativeDuration { .. } => ErrorKind::Data,
            Self::InvalidKpiDefinition { .. } => ErrorKind::Setting,
            Self::UnknownKpi { .. } => ErrorKind::Setting,
            Self::UnknownUnit { .. } => ErrorKind::Setting,
            Self::InvalidTarget { .. } => ErrorKind::Setting,
            Self::PlscReliability { .. } => ErrorKind::Estimation,
            Self::InvalidFolds { .. } => ErrorKind::Data,
            Self::OmissionDistance { .. } => ErrorKind::Data,
            Self::NoPredictionTargets { .. } => ErrorKind::Model,
            Self::InvalidScale { .. } => ErrorKind::Data,
            Self::UnmappedConstruct { .. } => ErrorKind::Model,
            Self::IndexUndefined { .. } => ErrorKind::Estimation,
            Self::UnknownTarget { .. } => ErrorKind::Model,
            Self::NoDrivers { .. } => ErrorKind::Model,
            Self::GroupTooSmall { .. } => ErrorKind::Data,
            Self::InvalidAggregationWeight { .. } => ErrorKind::Data,
            Self::HigherOrderComponents { .. } => ErrorKind::Model,
            Self::HigherOrderSelf { .. } => ErrorKind::Model,
            Self::NestedHigherOrder { .. } => ErrorKind::Model,
            Self::ComponentInTwoHigherOrder { .. } => ErrorKind::Model,
            Self::MixedHigherOrderBlock { .. } => ErrorKind::Model,
            Self::InvalidInteraction { .. } => ErrorKind::Model,
            // A combination of methods that cannot be estimated together
            // (e.g. polychoric correlations with the bootstrap).
            Self::Unsupported { .. } => ErrorKind::Estimation,
            Self::NotOrdinal { .. } => ErrorKind::Data,
            Self::Codebook { .. } => ErrorKind::Data,
            Self::CodebookUnknownItem { .. } => ErrorKind::Data,
            Self::CodebookOutOfScale { .. } => ErrorKind::Data,
            Self::TooFewCommonRows { .. } => ErrorKind::Data,
            Self::NotPositiveDefinite { .. } => ErrorKind::Estimation,
            Self::ImpossibleEstimate { .. } => ErrorKind::Estimation,
            // A count of resamples or permutations out of its usable range.
            Self::TooManyResamples { .. } => ErrorKind::Setting,
            Self::CollinearDrivers { .. } => ErrorKind::Estimation,
            Self::TooManyDrivers { .. } => ErrorKind::Setting,
        }
    }

    /// A stable snake_case identifier of the variant, e.g. `"unknown_column"`
    /// for [`Error::UnknownColumn`] — for programs, logs and bindings that
    /// should not depend on message texts or Rust names.
    ///
    /// **Stability.** A code is never renamed or reused: it stays when a
    /// variant is renamed, and a new variant gets a new code. Codes are listed
    /// with their kinds in `docs/ERRORS.md` and `docs/errors.json`.
    ///
    /// ```
    /// use csikit::Model;
    /// let err = Model::from_syntax("X =~ x1\nY =~ y1\nX ~ Y\nY ~ X").unwrap_err();
    /// assert_eq!(err.code(), "cycle");
    /// assert_eq!(err.kind().code(), "model");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "io",
            Self::Csv { .. } => "csv",
            Self::Encoding { .. } => "encoding",
            Self::Workbook { .. } => "workbook",
            Self::UnknownSheet { .. } => "unknown_sheet",
            Self::UnsupportedFormat { .. } => "unsupported_format",
            Self::EmptyData { .. } => "empty_data",
            Self::DuplicateColumn { .. } => "duplicate_column",
            Self::Shape { .. } => "shape",
            Self::UnknownColumn { .. } => "unknown_column",
            Self::NonNumeric { .. } => "non_numeric",
            Self::NonFinite { .. } => "non_finite",
            Self::ConstantColumn { .. } => "constant_column",
            Self::AllMissing { .. } => "all_missing",
            Self::MissingValues { .. } => "missing_values",
            Self::InvalidWeights { .. } => "invalid_weights",
            Self::TooFewObservations { .. } => "too_few_observations",
            Self::Syntax { .. } => "syntax",
            Self::DuplicateConstruct { .. } => "duplicate_construct",
            Self::EmptyBlock { .. } => "empty_block",
            Self::IndicatorInTwoBlocks { .. } => "indicator_in_two_blocks",
            Self::DuplicateIndicator { .. } => "duplicate_indicator",
            Self::UnknownConstruct { .. } => "unknown_construct",
            Self::SelfLoop { .. } => "self_loop",
            Self::DuplicatePath { .. } => "duplicate_path",
            Self::Cycle { .. } => "cycle",
            Self::IsolatedConstruct { .. } => "isolated_construct",
            Self::NoStructuralModel => "no_structural_model",
            Self::SingularBlock { .. } => "singular_block",
            Self::SingularPredictors { .. } => "singular_predictors",
            Self::DegenerateConstruct { .. } => "degenerate_construct",
            Self::NotConverged { .. } => "not_converged",
            Self::InvalidSetting { .. } => "invalid_setting",
            Self::MomentsMismatch { .. } => "moments_mismatch",
            Self::TooManyFailedResamples { .. } => "too_many_failed_resamples",
            Self::ResampleFailed { .. } => "resample_failed",
            Self::TooFewGroups { .. } => "too_few_groups",
            Self::GroupFit { .. } => "group_fit",
            Self::OutOfScale { .. } => "out_of_scale",
            Self::UnknownItem { .. } => "unknown_item",
            Self::UnknownDimension { .. } => "unknown_dimension",
            Self::EmptyDimension { .. } => "empty_dimension",
            Self::DuplicateItem { .. } => "duplicate_item",
            Self::ImportancePoints { .. } => "importance_points",
            Self::DuplicateGap { .. } => "duplicate_gap",
            Self::KanoInvalidAnswer { .. } => "kano_invalid_answer",
            Self::KanoInvalidImportance { .. } => "kano_invalid_importance",
            Self::KanoUnpairedColumn { .. } => "kano_unpaired_column",
            Self::KanoNoFeatures { .. } => "kano_no_features",
            Self::KanoInvalidCount { .. } => "kano_invalid_count",
            Self::InvalidPeriod { .. } => "invalid_period",
            Self::UnknownPeriod { .. } => "unknown_period",
            Self::MixedPeriods { .. } => "mixed_periods",
            Self::ZeroCustomers { .. } => "zero_customers",
            Self::NegativeDuration { .. } => "negative_duration",
            Self::InvalidKpiDefinition { .. } => "invalid_kpi_definition",
            Self::UnknownKpi { .. } => "unknown_kpi",
            Self::UnknownUnit { .. } => "unknown_unit",
            Self::InvalidTarget { .. } => "invalid_target",
            Self::PlscReliability { .. } => "plsc_reliability",
            Self::InvalidFolds { .. } => "invalid_folds",
            Self::OmissionDistance { .. } => "omission_distance",
            Self::NoPredictionTargets { .. } => "no_prediction_targets",
            Self::InvalidScale { .. } => "invalid_scale",
            Self::UnmappedConstruct { .. } => "unmapped_construct",
            Self::IndexUndefined { .. } => "index_undefined",
            Self::UnknownTarget { .. } => "unknown_target",
            Self::NoDrivers { .. } => "no_drivers",
            Self::GroupTooSmall { .. } => "group_too_small",
            Self::InvalidAggregationWeight { .. } => "invalid_aggregation_weight",
            Self::HigherOrderComponents { .. } => "higher_order_components",
            Self::HigherOrderSelf { .. } => "higher_order_self",
            Self::NestedHigherOrder { .. } => "nested_higher_order",
            Self::ComponentInTwoHigherOrder { .. } => "component_in_two_higher_order",
            Self::MixedHigherOrderBlock { .. } => "mixed_higher_order_block",
            Self::InvalidInteraction { .. } => "invalid_interaction",
            Self::Unsupported { .. } => "unsupported",
            Self::NotOrdinal { .. } => "not_ordinal",
            Self::Codebook { .. } => "codebook",
            Self::CodebookUnknownItem { .. } => "codebook_unknown_item",
            Self::CodebookOutOfScale { .. } => "codebook_out_of_scale",
            Self::TooFewCommonRows { .. } => "too_few_common_rows",
            Self::NotPositiveDefinite { .. } => "not_positive_definite",
            Self::ImpossibleEstimate { .. } => "impossible_estimate",
            Self::TooManyResamples { .. } => "too_many_resamples",
            Self::CollinearDrivers { .. } => "collinear_drivers",
            Self::TooManyDrivers { .. } => "too_many_drivers",
        }
    }
}

/// `` `a`, `b` `` (or "none").
fn quoted_list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// " (try D)" with the smallest usable omission distance from 7 up (then
/// from 2 up), or a note that `n` rows allow none.
fn usable_distance_hint(n: usize) -> String {
    let usable = |d: &usize| !n.is_multiple_of(*d);
    match (7..n).find(usable).or_else(|| (2..n.min(7)).find(usable)) {
        Some(d) => format!(" (try {d})"),
        None => format!("; no distance works with {n} rows"),
    }
}

/// Up to three names from `candidates` close to `name` (case-insensitive
/// equality or a small edit distance), best first.
pub(crate) fn suggest<'a, I>(name: &str, candidates: I) -> Suggestions
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = levenshtein(&lower, &c.to_lowercase());
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    Suggestions(
        scored
            .into_iter()
            .take(3)
            .map(|(_, c)| c.to_string())
            .collect(),
    )
}

/// Edit distance (insertions, deletions, substitutions and transpositions of
/// adjacent characters: the optimal-string-alignment distance) between two strings.
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for j in 0..=b.len() {
        d[j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_known_values() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("imag1", "imag1"), 0);
        assert_eq!(levenshtein("Imgae", "Image"), 1);
    }

    #[test]
    fn suggestions_rank_by_distance() {
        let s = suggest("imag6", ["imag1", "imag2", "expe1", "IMAG6"]);
        assert_eq!(s.0[0], "IMAG6");
        assert!(s.0.contains(&"imag1".to_string()));
        assert!(!s.0.contains(&"expe1".to_string()));
        assert_eq!(suggest("zzzzzz", ["imag1"]).0.len(), 0);
    }
}
