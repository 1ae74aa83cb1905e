//! KANO analysis: classifying product features as attractive, one-dimensional,
//! must-be, indifferent, reverse or questionable from paired survey questions
//! (Kano et al. 1984; Berger et al. 1993).
//!
//! Each respondent answers two questions per feature: the *functional* one
//! ("How do you feel if the product has F?") and the *dysfunctional* one
//! ("… if it does not have F?"), each with 1 like, 2 must-be, 3 neutral,
//! 4 live-with, 5 dislike. The [`EvaluationTable`] turns an answer pair into a
//! [`Category`]; [`analyze`] counts the categories per feature and computes the
//! usual statistics ([`FeatureResult`]): the most frequent category, the
//! M > O > A > I rule, total and category strength, Better and Worse
//! coefficients, Fong's test and DuMouchel's continuous analysis.
//!
//! Data layout: for each feature `F` the columns `F_f` (functional) and `F_d`
//! (dysfunctional), optionally `F_i` (self-stated importance, 1..9). Other
//! columns are ignored (and can serve as segment columns for [`analyze_by`]).
//!
//! ```
//! use csikit::{CsvOptions, Dataset};
//! use csikit::kano::{self, Category, KanoOptions};
//! let csv = "seat_f,seat_d\n1,5\n1,5\n1,3\n2,5\n";
//! let data = Dataset::from_reader(csv.as_bytes(), &CsvOptions::default()).unwrap();
//! let report = kano::analyze(&data, &KanoOptions::default()).unwrap();
//! let seat = &report.features[0];
//! assert_eq!(seat.n, 4);
//! assert_eq!((seat.counts.o, seat.counts.a, seat.counts.m), (2, 1, 1));
//! assert_eq!(seat.category, Some(Category::O));
//! assert_eq!(seat.better, Some(0.75)); // (A + O) / (A + O + M + I) = 3/4
//! ```

#[cfg(feature = "report")]
mod chart;
#[cfg(feature = "simulate")]
mod simulate;

#[cfg(feature = "report")]
pub use chart::{better_worse_svg, better_worse_svg_in, continuous_svg, continuous_svg_in};
#[cfg(feature = "report")]
pub mod text;
#[cfg(feature = "simulate")]
pub use simulate::{SimFeature, example_features, simulate};

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::data::Dataset;
use crate::error::{Error, Result};

/// One answer to a functional or dysfunctional Kano question.
///
/// Codes on the standard five-point scale: 1 like, 2 must-be, 3 neutral,
/// 4 live-with, 5 dislike (Kano et al. 1984; Berger et al. 1993).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// "I like it that way."
    Like,
    /// "It must be that way."
    MustBe,
    /// "I am neutral."
    Neutral,
    /// "I can live with it that way."
    LiveWith,
    /// "I dislike it that way."
    Dislike,
}

impl Answer {
    /// The five answers in code order (code = position + 1).
    pub const ALL: [Answer; 5] = [
        Answer::Like,
        Answer::MustBe,
        Answer::Neutral,
        Answer::LiveWith,
        Answer::Dislike,
    ];

    /// The code on the standard five-point scale (1 like … 5 dislike).
    pub fn code(self) -> u8 {
        self.index() as u8 + 1
    }

    /// The answer for a code on the standard five-point scale, `None` if outside 1..5.
    ///
    /// ```
    /// use csikit::kano::Answer;
    /// assert_eq!(Answer::from_code(4), Some(Answer::LiveWith));
    /// assert_eq!(Answer::from_code(6), None);
    /// ```
    pub fn from_code(code: u8) -> Option<Answer> {
        Answer::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    fn index(self) -> usize {
        match self {
            Answer::Like => 0,
            Answer::MustBe => 1,
            Answer::Neutral => 2,
            Answer::LiveWith => 3,
            Answer::Dislike => 4,
        }
    }

    /// The answer in words ("like", "must-be", …).
    pub fn label(self) -> &'static str {
        match self {
            Answer::Like => "like",
            Answer::MustBe => "must-be",
            Answer::Neutral => "neutral",
            Answer::LiveWith => "live-with",
            Answer::Dislike => "dislike",
        }
    }

    /// DuMouchel's score of a *functional* answer (Berger et al. 1993):
    /// like 4, must-be 2, neutral 0, live-with −1, dislike −2.
    pub fn functional_score(self) -> f64 {
        match self {
            Answer::Like => 4.0,
            Answer::MustBe => 2.0,
            Answer::Neutral => 0.0,
            Answer::LiveWith => -1.0,
            Answer::Dislike => -2.0,
        }
    }

    /// DuMouchel's score of a *dysfunctional* answer (Berger et al. 1993):
    /// like −2, must-be −1, neutral 0, live-with 2, dislike 4.
    pub fn dysfunctional_score(self) -> f64 {
        match self {
            Answer::Like => -2.0,
            Answer::MustBe => -1.0,
            Answer::Neutral => 0.0,
            Answer::LiveWith => 2.0,
            Answer::Dislike => 4.0,
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A Kano category (Kano et al. 1984). Serialized as its letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    /// Attractive: delights when present, not missed when absent.
    A,
    /// One-dimensional (performance): the more the better.
    O,
    /// Must-be (basic): taken for granted, dissatisfies when absent.
    M,
    /// Indifferent: neither present nor absent matters.
    I,
    /// Reverse: the respondent prefers the feature absent.
    R,
    /// Questionable: contradictory answers (e.g. likes both presence and absence).
    Q,
}

impl Category {
    /// All categories in report order A, O, M, I, R, Q.
    pub const ALL: [Category; 6] = [
        Category::A,
        Category::O,
        Category::M,
        Category::I,
        Category::R,
        Category::Q,
    ];

    /// The priority order M > O > A > I > R > Q (Berger et al. 1993 give
    /// M > O > A > I; R and Q are appended). Ties for the most frequent
    /// category are broken in this order.
    pub const PRIORITY: [Category; 6] = [
        Category::M,
        Category::O,
        Category::A,
        Category::I,
        Category::R,
        Category::Q,
    ];

    /// The letter ("A", "O", …).
    pub fn letter(self) -> &'static str {
        match self {
            Category::A => "A",
            Category::O => "O",
            Category::M => "M",
            Category::I => "I",
            Category::R => "R",
            Category::Q => "Q",
        }
    }

    /// The category's name ("attractive", "one-dimensional", …).
    pub fn name(self) -> &'static str {
        match self {
            Category::A => "attractive",
            Category::O => "one-dimensional",
            Category::M => "must-be",
            Category::I => "indifferent",
            Category::R => "reverse",
            Category::Q => "questionable",
        }
    }

    /// The category for a letter (case-insensitive), `None` if not one of A, O, M, I, R, Q.
    pub fn from_letter(letter: char) -> Option<Category> {
        match letter.to_ascii_uppercase() {
            'A' => Some(Category::A),
            'O' => Some(Category::O),
            'M' => Some(Category::M),
            'I' => Some(Category::I),
            'R' => Some(Category::R),
            'Q' => Some(Category::Q),
            _ => None,
        }
    }

    fn rank(self) -> usize {
        Category::PRIORITY
            .iter()
            .position(|&c| c == self)
            .unwrap_or(usize::MAX)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letter())
    }
}

/// The Kano evaluation table: the category of each (functional, dysfunctional)
/// answer pair, and the answer scale the data use.
///
/// The standard table (Kano et al. 1984; Berger et al. 1993), rows functional,
/// columns dysfunctional, both in the order like, must-be, neutral, live-with, dislike:
///
/// | functional \ dysfunctional | like | must-be | neutral | live-with | dislike |
/// |---|---|---|---|---|---|
/// | like      | Q | A | A | A | O |
/// | must-be   | R | I | I | I | M |
/// | neutral   | R | I | I | I | M |
/// | live-with | R | I | I | I | M |
/// | dislike   | R | R | R | R | Q |
///
/// ```
/// use csikit::kano::{Answer, Category, EvaluationTable};
/// let t = EvaluationTable::standard();
/// assert_eq!(t.classify(Answer::Like, Answer::Dislike), Category::O);
/// let custom = EvaluationTable::parse("QAAAO RIIIM RIIIM RIIIM RRRRQ").unwrap();
/// assert_eq!(custom, t);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationTable {
    cells: [[Category; 5]; 5],
    scale: Vec<Answer>,
}

impl Default for EvaluationTable {
    fn default() -> Self {
        Self::standard()
    }
}

impl EvaluationTable {
    /// The standard table on the five-point scale (codes 1..5).
    pub fn standard() -> Self {
        use Category::*;
        EvaluationTable {
            cells: [
                [Q, A, A, A, O],
                [R, I, I, I, M],
                [R, I, I, I, M],
                [R, I, I, I, M],
                [R, R, R, R, Q],
            ],
            scale: Answer::ALL.to_vec(),
        }
    }

    /// The three-answer short form: only like, neutral and dislike are offered,
    /// coded **1 like, 2 neutral, 3 dislike**; the pairs are evaluated with the
    /// standard table restricted to those answers (like/neutral A, like/dislike O,
    /// neutral/dislike M, neutral/neutral I, like/like and dislike/dislike Q,
    /// the rest R).
    ///
    /// ```
    /// use csikit::kano::{Answer, EvaluationTable};
    /// let t = EvaluationTable::short_form();
    /// assert_eq!(t.decode(2.0), Some(Answer::Neutral));
    /// assert_eq!(t.decode(4.0), None);
    /// ```
    pub fn short_form() -> Self {
        EvaluationTable {
            scale: vec![Answer::Like, Answer::Neutral, Answer::Dislike],
            ..Self::standard()
        }
    }

    /// A custom table on the five-point scale: `cells[f][d]` is the category of
    /// functional answer code `f + 1` and dysfunctional answer code `d + 1`.
    pub fn custom(cells: [[Category; 5]; 5]) -> Self {
        EvaluationTable {
            cells,
            scale: Answer::ALL.to_vec(),
        }
    }

    /// Parses a custom five-point table written as five rows of five letters
    /// (functional like … dislike; within a row dysfunctional like … dislike),
    /// rows separated by spaces, commas, slashes or semicolons, e.g.
    /// `"QAAAO RIIIM RIIIM RIIIM RRRRQ"` (the standard table).
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] (setting `evaluation table`) if the text is
    /// not 5 rows of 5 letters from A, O, M, I, R, Q.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = |message: String| Error::InvalidSetting {
            name: "evaluation table".into(),
            message,
        };
        let rows: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | ';'))
            .filter(|s| !s.is_empty())
            .collect();
        if rows.len() != 5 {
            return Err(bad(format!(
                "expected 5 rows of 5 letters (like `QAAAO RIIIM RIIIM RIIIM RRRRQ`), found {} row(s) in `{text}`",
                rows.len()
            )));
        }
        let mut cells = [[Category::Q; 5]; 5];
        for (f, row) in rows.iter().enumerate() {
            let letters: Vec<char> = row.chars().collect();
            if letters.len() != 5 {
                return Err(bad(format!(
                    "row {} (`{row}`) has {} letters; each row needs 5",
                    f + 1,
                    letters.len()
                )));
            }
            for (d, &ch) in letters.iter().enumerate() {
                cells[f][d] = Category::from_letter(ch).ok_or_else(|| {
                    bad(format!(
                        "row {} holds `{ch}`; the categories are A, O, M, I, R, Q",
                        f + 1
                    ))
                })?;
            }
        }
        Ok(Self::custom(cells))
    }

    /// The category of a (functional, dysfunctional) answer pair.
    pub fn classify(&self, functional: Answer, dysfunctional: Answer) -> Category {
        self.cells[functional.index()][dysfunctional.index()]
    }

    /// The answers offered, in code order (code = position + 1).
    pub fn scale(&self) -> &[Answer] {
        &self.scale
    }

    /// The answer for a data value: a whole number from 1 to the scale length.
    pub fn decode(&self, value: f64) -> Option<Answer> {
        if value.fract() != 0.0 || value < 1.0 || value > self.scale.len() as f64 {
            return None;
        }
        self.scale.get(value as usize - 1).copied()
    }

    fn scale_words(&self) -> String {
        self.scale
            .iter()
            .enumerate()
            .map(|(k, a)| format!("{} {}", k + 1, a.label()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for EvaluationTable {
    /// The table as a grid (only the answers of the scale).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:>10} |", "func\\dysf")?;
        for d in &self.scale {
            write!(f, " {:>9}", d.label())?;
        }
        writeln!(f)?;
        for &fa in &self.scale {
            write!(f, "{:>10} |", fa.label())?;
            for &da in &self.scale {
                write!(f, " {:>9}", self.classify(fa, da).letter())?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// How many respondents fell into each category for one feature.
/// Serialized with the keys `"A"`, `"O"`, `"M"`, `"I"`, `"R"`, `"Q"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Counts {
    /// Attractive.
    #[serde(rename = "A")]
    pub a: u64,
    /// One-dimensional.
    #[serde(rename = "O")]
    pub o: u64,
    /// Must-be.
    #[serde(rename = "M")]
    pub m: u64,
    /// Indifferent.
    #[serde(rename = "I")]
    pub i: u64,
    /// Reverse.
    #[serde(rename = "R")]
    pub r: u64,
    /// Questionable.
    #[serde(rename = "Q")]
    pub q: u64,
}

impl Counts {
    /// Counts from the six numbers in the order A, O, M, I, R, Q.
    pub fn new(a: u64, o: u64, m: u64, i: u64, r: u64, q: u64) -> Self {
        Counts { a, o, m, i, r, q }
    }

    /// Counts the categories of an iterator.
    pub fn tally<I: IntoIterator<Item = Category>>(categories: I) -> Self {
        let mut c = Counts::default();
        for cat in categories {
            c.add(cat);
        }
        c
    }

    /// Adds one respondent of the category.
    pub fn add(&mut self, category: Category) {
        *self.get_mut(category) += 1;
    }

    /// The count of one category.
    pub fn get(&self, category: Category) -> u64 {
        match category {
            Category::A => self.a,
            Category::O => self.o,
            Category::M => self.m,
            Category::I => self.i,
            Category::R => self.r,
            Category::Q => self.q,
        }
    }

    fn get_mut(&mut self, category: Category) -> &mut u64 {
        match category {
            Category::A => &mut self.a,
            Category::O => &mut self.o,
            Category::M => &mut self.m,
            Category::I => &mut self.i,
            Category::R => &mut self.r,
            Category::Q => &mut self.q,
        }
    }

    /// The number of classified respondents, A + O + M + I + R + Q.
    pub fn n(&self) -> u64 {
        self.a + self.o + self.m + self.i + self.r + self.q
    }

    /// The respondents with a non-contradictory answer, A + O + M + I + R
    /// (n − Q).
    pub fn valid(&self) -> u64 {
        self.a + self.o + self.m + self.i + self.r
    }

    /// Every classified respondent answered contradictorily (n > 0, all Q):
    /// the feature has no category.
    pub fn all_questionable(&self) -> bool {
        self.n() > 0 && self.valid() == 0
    }

    /// The share of a category, `None` when n = 0.
    pub fn share(&self, category: Category) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| self.get(category) as f64 / n as f64)
    }

    /// The shares of all categories, `None` when n = 0.
    pub fn shares(&self) -> Option<Shares> {
        let n = self.n();
        (n > 0).then(|| {
            let s = |c: u64| c as f64 / n as f64;
            Shares {
                a: s(self.a),
                o: s(self.o),
                m: s(self.m),
                i: s(self.i),
                r: s(self.r),
                q: s(self.q),
            }
        })
    }

    /// The most frequent category; ties are broken by [`Category::PRIORITY`]
    /// (M > O > A > I > R > Q). `None` when n = 0.
    pub fn mode(&self) -> Option<Category> {
        self.mode_among(&Category::PRIORITY)
    }

    /// The most frequent of `candidates` (listed in priority order; the first wins ties).
    fn mode_among(&self, candidates: &[Category]) -> Option<Category> {
        if self.n() == 0 {
            return None;
        }
        let mut best: Option<Category> = None;
        for &c in candidates {
            if best.is_none_or(|b| self.get(c) > self.get(b)) {
                best = Some(c);
            }
        }
        best
    }

    /// The categories O, A, M, I, R sorted by count, largest first (ties by priority).
    fn ranked_without_q(&self) -> [Category; 5] {
        let mut cats = [
            Category::M,
            Category::O,
            Category::A,
            Category::I,
            Category::R,
        ];
        cats.sort_by(|&x, &y| self.get(y).cmp(&self.get(x)).then(x.rank().cmp(&y.rank())));
        cats
    }

    /// Total strength (A + O + M) / n: the share of respondents for whom the
    /// feature matters at all. `None` when n = 0.
    pub fn total_strength(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| (self.a + self.o + self.m) as f64 / n as f64)
    }

    /// Category strength: the share of the most frequent of O, A, M, I, R minus
    /// the share of the second (shares of all n respondents). `None` when n = 0.
    pub fn category_strength(&self) -> Option<f64> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let r = self.ranked_without_q();
        Some((self.get(r[0]) - self.get(r[1])) as f64 / n as f64)
    }

    /// Better (satisfaction) coefficient (A + O) / (A + O + M + I)
    /// (Berger et al. 1993). `None` when A + O + M + I = 0.
    pub fn better(&self) -> Option<f64> {
        let d = self.a + self.o + self.m + self.i;
        (d > 0).then(|| (self.a + self.o) as f64 / d as f64)
    }

    /// Worse (dissatisfaction) coefficient −(O + M) / (A + O + M + I)
    /// (Berger et al. 1993). `None` when A + O + M + I = 0.
    pub fn worse(&self) -> Option<f64> {
        let d = self.a + self.o + self.m + self.i;
        (d > 0).then(|| -((self.o + self.m) as f64) / d as f64)
    }

    /// Fong's (1996) test whether the most frequent category beats the
    /// second: with a, b the two largest of the six counts and n their total,
    /// significant when |a − b| > 1.65·√((a + b)(2n − a − b) / (2n)).
    /// `None` when n = 0.
    ///
    /// ```
    /// use csikit::kano::Counts;
    /// let f = Counts::new(45, 123, 95, 33, 0, 0).fong().unwrap();
    /// assert_eq!(f.difference, 28);
    /// assert!((f.critical - 19.36).abs() < 0.01 && f.significant);
    /// ```
    pub fn fong(&self) -> Option<Fong> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let mut cats = Category::PRIORITY;
        cats.sort_by(|&x, &y| self.get(y).cmp(&self.get(x)).then(x.rank().cmp(&y.rank())));
        let (a, b) = (self.get(cats[0]), self.get(cats[1]));
        let nf = n as f64;
        let ab = (a + b) as f64;
        let critical = 1.65 * (ab * (2.0 * nf - ab) / (2.0 * nf)).sqrt();
        let difference = a - b;
        Some(Fong {
            difference,
            critical,
            significant: difference as f64 > critical,
            first: cats[0],
            second: cats[1],
        })
    }

    /// The category by the M > O > A > I rule (Berger et al. 1993): when the
    /// category strength is at most `threshold`, the highest-priority category
    /// (M > O > A > I > R) among O, A, M, I, R whose share is within
    /// `threshold` of the largest of them; otherwise the most frequent category
    /// ([`Counts::mode`], which may be Q). `threshold = 0` gives the pure mode
    /// (ties broken by priority). `None` when n = 0, and when every answer is
    /// Questionable (the rule ranks O, A, M, I, R and has none to rank).
    pub fn category_by_rule(&self, threshold: f64) -> Option<Category> {
        if self.valid() == 0 {
            return None;
        }
        let n = self.n() as f64;
        let strength = self.category_strength()?;
        if strength > threshold + 1e-12 {
            return self.mode();
        }
        let top = self.get(self.ranked_without_q()[0]);
        Category::PRIORITY[..5]
            .iter()
            .copied()
            .find(|&c| (top - self.get(c)) as f64 / n <= threshold + 1e-12)
    }

    /// The category by the (A + O + M) vs (I + R + Q) rule: if A + O + M
    /// exceeds I + R + Q, the most frequent of M, O, A (ties M > O > A);
    /// otherwise the most frequent of I, R, Q (ties I > R > Q). `None` when n = 0.
    pub fn category_by_aom(&self) -> Option<Category> {
        if self.a + self.o + self.m > self.i + self.r + self.q {
            self.mode_among(&[Category::M, Category::O, Category::A])
        } else {
            self.mode_among(&[Category::I, Category::R, Category::Q])
        }
    }
}

/// The shares of the six categories (each count / n).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Shares {
    /// Attractive.
    #[serde(rename = "A")]
    pub a: f64,
    /// One-dimensional.
    #[serde(rename = "O")]
    pub o: f64,
    /// Must-be.
    #[serde(rename = "M")]
    pub m: f64,
    /// Indifferent.
    #[serde(rename = "I")]
    pub i: f64,
    /// Reverse.
    #[serde(rename = "R")]
    pub r: f64,
    /// Questionable.
    #[serde(rename = "Q")]
    pub q: f64,
}

/// Fong's (1996) significance test of the top category against the second.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fong {
    /// a − b, the two largest counts.
    pub difference: u64,
    /// 1.65·√((a + b)(2n − a − b) / (2n)).
    pub critical: f64,
    /// Whether `difference > critical`.
    pub significant: bool,
    /// The category with the largest count (ties by priority).
    pub first: Category,
    /// The category with the second largest count.
    pub second: Category,
}

/// Settings of a Kano analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct KanoOptions {
    /// Category-strength threshold of the M > O > A > I rule (default 0.06;
    /// 0 = pure mode). Must lie in [0, 1].
    pub threshold: f64,
    /// Drop respondents with more than this many Q classifications (over all
    /// features) before counting; `None` (default) keeps everyone.
    pub max_questionable: Option<usize>,
    /// Weight DuMouchel's continuous means and SDs by the self-stated
    /// importance in `F_i` (default `false`).
    pub weight_by_importance: bool,
    /// The evaluation table and answer scale (default: standard five-point).
    pub table: EvaluationTable,
}

impl Default for KanoOptions {
    fn default() -> Self {
        KanoOptions {
            threshold: 0.06,
            max_questionable: None,
            weight_by_importance: false,
            table: EvaluationTable::standard(),
        }
    }
}

impl KanoOptions {
    /// Sets the category-strength threshold of the M > O > A > I rule.
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.threshold = threshold;
        self
    }

    /// Drops respondents with more than `max` Q classifications.
    pub fn max_questionable(mut self, max: usize) -> Self {
        self.max_questionable = Some(max);
        self
    }

    /// Turns importance weighting of the continuous analysis on or off.
    pub fn weight_by_importance(mut self, on: bool) -> Self {
        self.weight_by_importance = on;
        self
    }

    /// Uses another evaluation table (custom or short form).
    pub fn table(mut self, table: EvaluationTable) -> Self {
        self.table = table;
        self
    }

    fn validate(&self) -> Result<()> {
        if !(self.threshold.is_finite() && (0.0..=1.0).contains(&self.threshold)) {
            return Err(Error::InvalidSetting {
                name: "threshold".into(),
                message: format!(
                    "the category-strength threshold must lie between 0 and 1 (e.g. 0.06), not {}",
                    self.threshold
                ),
            });
        }
        Ok(())
    }
}

/// Every statistic of one feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureResult {
    /// The feature's name (`F` for the columns `F_f`, `F_d`).
    pub feature: String,
    /// Respondents classified (both answers present, not dropped).
    pub n: u64,
    /// Category counts.
    pub counts: Counts,
    /// Category shares; `null` when n = 0.
    pub shares: Option<Shares>,
    /// Every classified answer is Questionable (contradictory): the feature
    /// has **no category** — `category`, `category_rule`, `category_aom`,
    /// `category_strength`, `better` and `worse` are then `null`. Check the
    /// question wording or the answer coding (functional and dysfunctional
    /// columns swapped?).
    pub all_questionable: bool,
    /// The most frequent category (ties M > O > A > I > R > Q); `null` when
    /// n = 0 or every answer is Questionable.
    pub category: Option<Category>,
    /// The category by the M > O > A > I rule at the report's threshold
    /// (`null` when n = 0 or every answer is Questionable).
    pub category_rule: Option<Category>,
    /// The category by the (A + O + M) vs (I + R + Q) rule (`null` when
    /// n = 0 or every answer is Questionable).
    pub category_aom: Option<Category>,
    /// Better coefficient (A + O) / (A + O + M + I); `null` when undefined.
    pub better: Option<f64>,
    /// Worse coefficient −(O + M) / (A + O + M + I); `null` when undefined.
    pub worse: Option<f64>,
    /// Total strength (A + O + M) / n.
    pub total_strength: Option<f64>,
    /// Category strength: top share − second share over O, A, M, I, R
    /// (`null` when n = 0 or every answer is Questionable).
    pub category_strength: Option<f64>,
    /// Fong's test of the two largest counts.
    pub fong: Option<Fong>,
    /// Respondents in the continuous analysis (`null` with aggregate counts).
    pub continuous_n: Option<u64>,
    /// Mean DuMouchel functional score (`null` with aggregate counts or no answers).
    pub functional_mean: Option<f64>,
    /// Mean DuMouchel dysfunctional score.
    pub dysfunctional_mean: Option<f64>,
    /// Standard deviation of the functional scores (`null` below two respondents).
    pub functional_sd: Option<f64>,
    /// Standard deviation of the dysfunctional scores.
    pub dysfunctional_sd: Option<f64>,
    /// Mean self-stated importance (1..9) of the classified respondents, if an `F_i` column exists.
    pub importance_mean: Option<f64>,
    /// Whether the continuous statistics are weighted by self-stated importance.
    pub weighted: bool,
}

impl FeatureResult {
    /// The count-based statistics of a feature (continuous fields `None`).
    /// A feature whose every answer is Questionable gets no category (see
    /// [`FeatureResult::all_questionable`]).
    pub fn from_counts(feature: impl Into<String>, counts: Counts, threshold: f64) -> Self {
        let classified = !counts.all_questionable();
        FeatureResult {
            feature: feature.into(),
            n: counts.n(),
            counts,
            shares: counts.shares(),
            all_questionable: !classified,
            category: counts.mode().filter(|_| classified),
            category_rule: counts.category_by_rule(threshold),
            category_aom: counts.category_by_aom().filter(|_| classified),
            better: counts.better(),
            worse: counts.worse(),
            total_strength: counts.total_strength(),
            category_strength: counts.category_strength().filter(|_| classified),
            fong: counts.fong(),
            continuous_n: None,
            functional_mean: None,
            dysfunctional_mean: None,
            functional_sd: None,
            dysfunctional_sd: None,
            importance_mean: None,
            weighted: false,
        }
    }
}

/// The result of a Kano analysis: one [`FeatureResult`] per feature, in the
/// order of the data's columns. `Display` prints a readable table;
/// `Serialize` gives `{"features": [...], ...}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KanoReport {
    /// Per-feature results.
    pub features: Vec<FeatureResult>,
    /// The threshold of the M > O > A > I rule.
    pub threshold: f64,
    /// Respondents (rows) in the data; `null` for aggregate counts.
    pub respondents: Option<usize>,
    /// 1-based rows dropped for too many Q answers.
    pub dropped_respondents: Vec<usize>,
    /// A label such as `region = north` for a segment's report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl KanoReport {
    /// The result of the feature of this name.
    pub fn feature(&self, name: &str) -> Option<&FeatureResult> {
        self.features.iter().find(|f| f.feature == name)
    }

    /// The Better–Worse diagram as SVG (see [`better_worse_svg`]).
    #[cfg(feature = "report")]
    pub fn better_worse_svg(&self) -> String {
        better_worse_svg(self)
    }

    /// The continuous (DuMouchel) diagram as SVG (see [`continuous_svg`]).
    #[cfg(feature = "report")]
    pub fn continuous_svg(&self) -> String {
        continuous_svg(self)
    }
}

fn opt(x: Option<f64>, width: usize) -> String {
    match x {
        Some(v) => format!("{v:>width$.2}"),
        None => format!("{:>width$}", "-"),
    }
}

fn opt_cat(c: Option<Category>) -> &'static str {
    c.map_or("-", Category::letter)
}

impl fmt::Display for KanoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(label) = &self.label {
            let n = self
                .respondents
                .map_or(String::new(), |n| format!(" ({n} respondents)"));
            writeln!(f, "Segment {label}{n}")?;
        }
        let w = self
            .features
            .iter()
            .map(|r| r.feature.chars().count())
            .max()
            .unwrap_or(7)
            .max(7);
        writeln!(
            f,
            "{:<w$} {:>5} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4}  {:<3} {:<4} {:<3} {:>7} {:>6} {:>6} {:>5} {:>12} {:>6} {:>6}",
            "feature",
            "n",
            "A",
            "O",
            "M",
            "I",
            "R",
            "Q",
            "cat",
            "rule",
            "aom",
            "better",
            "worse",
            "total",
            "cstr",
            "fong a-b/cv",
            "f-mean",
            "d-mean"
        )?;
        for r in &self.features {
            let c = &r.counts;
            let fong = match r.fong {
                Some(x) => format!(
                    "{:>4}/{:>6.2}{}",
                    x.difference,
                    x.critical,
                    if x.significant { "*" } else { " " }
                ),
                None => format!("{:>4} {:>6} ", "-", ""),
            };
            writeln!(
                f,
                "{:<w$} {:>5} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4}  {:<3} {:<4} {:<3} {} {} {} {} {} {} {}",
                r.feature,
                r.n,
                c.a,
                c.o,
                c.m,
                c.i,
                c.r,
                c.q,
                opt_cat(r.category),
                opt_cat(r.category_rule),
                opt_cat(r.category_aom),
                opt(r.better, 7),
                opt(r.worse, 6),
                opt(r.total_strength, 6),
                opt(r.category_strength, 5),
                fong,
                opt(r.functional_mean, 6),
                opt(r.dysfunctional_mean, 6),
            )?;
        }
        writeln!(
            f,
            "cat = most frequent (ties M>O>A>I>R>Q); rule = M>O>A>I when category strength <= {}; aom = (A+O+M) vs (I+R+Q);",
            self.threshold
        )?;
        write!(
            f,
            "fong = a-b / critical value cv of the two largest counts, * significant (Fong 1996); f-/d-mean = DuMouchel's continuous scores"
        )?;
        let contradictory: Vec<&str> = self
            .features
            .iter()
            .filter(|r| r.all_questionable)
            .map(|r| r.feature.as_str())
            .collect();
        if !contradictory.is_empty() {
            write!(
                f,
                "\nno category (every answer Questionable: check the wording or whether the functional and dysfunctional columns are swapped): {}",
                contradictory.join(", ")
            )?;
        }
        if !self.dropped_respondents.is_empty() {
            write!(
                f,
                "\n{} respondent(s) dropped for too many Q answers (rows {})",
                self.dropped_respondents.len(),
                self.dropped_respondents
                    .iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
        }
        Ok(())
    }
}

/// One feature's columns in the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureColumns {
    /// The feature name `F`.
    pub feature: String,
    /// The functional column `F_f`.
    pub functional: String,
    /// The dysfunctional column `F_d`.
    pub dysfunctional: String,
    /// The importance column `F_i`, if present.
    pub importance: Option<String>,
}

/// Finds the Kano features of a dataset: columns named `F_f`, `F_d` and
/// optionally `F_i`, in the order in which each feature's first column appears.
///
/// # Errors
/// [`Error::KanoUnpairedColumn`] for an `F_f` without `F_d`, an `F_d` without
/// `F_f`, or an `F_i` without them; [`Error::EmptyData`] for data without
/// columns; [`Error::KanoNoFeatures`] if no pair exists.
pub fn feature_columns(data: &Dataset) -> Result<Vec<FeatureColumns>> {
    if data.n_columns() == 0 {
        return Err(Error::EmptyData {
            context: " (no header row: expected columns `F_f`, `F_d` for each feature F)".into(),
        });
    }
    let mut out: Vec<FeatureColumns> = Vec::new();
    for name in data.names() {
        let Some((base, suffix)) = name.rsplit_once('_') else {
            continue;
        };
        if !matches!(suffix, "f" | "d" | "i") || base.is_empty() {
            continue;
        }
        let col = |s: &str| format!("{base}_{s}");
        for needed in ["f", "d"] {
            if !data.has_column(&col(needed)) {
                return Err(Error::KanoUnpairedColumn {
                    column: name.clone(),
                    missing: col(needed),
                });
            }
        }
        if out.iter().any(|f| f.feature == base) {
            continue;
        }
        out.push(FeatureColumns {
            feature: base.to_string(),
            functional: col("f"),
            dysfunctional: col("d"),
            importance: data.has_column(&col("i")).then(|| col("i")),
        });
    }
    if out.is_empty() {
        return Err(Error::KanoNoFeatures {
            columns: data.names().to_vec(),
        });
    }
    Ok(out)
}

/// Per-respondent classification: `categories[row][feature]` is the category
/// of that respondent's answer pair, `None` if either answer is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    /// The features, in column order.
    pub features: Vec<FeatureColumns>,
    /// Row-major categories (one inner vector per respondent).
    pub categories: Vec<Vec<Option<Category>>>,
    answers: Vec<Vec<Option<(Answer, Answer)>>>,
    importance: Vec<Vec<Option<f64>>>,
}

impl Classification {
    /// The number of Q classifications of a respondent (0-based row).
    pub fn questionable_count(&self, row: usize) -> usize {
        self.categories
            .get(row)
            .map_or(0, |r| r.iter().filter(|c| **c == Some(Category::Q)).count())
    }

    /// The answer pair (functional, dysfunctional) of a respondent (0-based row) for a feature index.
    pub fn answers(&self, row: usize, feature: usize) -> Option<(Answer, Answer)> {
        *self.answers.get(row)?.get(feature)?
    }
}

/// Decodes and classifies every respondent's answers.
///
/// # Errors
/// Those of [`feature_columns`]; [`Error::EmptyData`] if there are no rows;
/// [`Error::NonNumeric`] for a text cell; [`Error::KanoInvalidAnswer`] for an
/// answer that is not a code of the table's scale; [`Error::KanoInvalidImportance`]
/// for an importance outside 1..9.
pub fn classify(data: &Dataset, table: &EvaluationTable) -> Result<Classification> {
    let features = feature_columns(data)?;
    let n = data.n_rows();
    if n == 0 {
        return Err(Error::EmptyData {
            context: " (the answers file has a header but no respondents)".into(),
        });
    }
    let mut categories = vec![Vec::with_capacity(features.len()); n];
    let mut answers = vec![Vec::with_capacity(features.len()); n];
    let mut importance = vec![Vec::with_capacity(features.len()); n];
    for fc in &features {
        let decode = |column: &str| -> Result<Vec<Option<Answer>>> {
            data.numeric(column)?
                .iter()
                .enumerate()
                .map(|(row, &v)| {
                    if v.is_nan() {
                        return Ok(None);
                    }
                    table
                        .decode(v)
                        .map(Some)
                        .ok_or_else(|| Error::KanoInvalidAnswer {
                            column: column.to_string(),
                            row: row + 1,
                            value: v,
                            max: table.scale().len(),
                            scale: table.scale_words(),
                        })
                })
                .collect()
        };
        let func = decode(&fc.functional)?;
        let dysf = decode(&fc.dysfunctional)?;
        let imp: Vec<Option<f64>> = match &fc.importance {
            None => vec![None; n],
            Some(col) => data
                .numeric(col)?
                .iter()
                .enumerate()
                .map(|(row, &v)| {
                    if v.is_nan() {
                        Ok(None)
                    } else if (1.0..=9.0).contains(&v) {
                        Ok(Some(v))
                    } else {
                        Err(Error::KanoInvalidImportance {
                            column: col.clone(),
                            row: row + 1,
                            value: v,
                        })
                    }
                })
                .collect::<Result<_>>()?,
        };
        for row in 0..n {
            let pair = func[row].zip(dysf[row]);
            categories[row].push(pair.map(|(f, d)| table.classify(f, d)));
            answers[row].push(pair);
            importance[row].push(imp[row]);
        }
    }
    Ok(Classification {
        features,
        categories,
        answers,
        importance,
    })
}

/// Mean and standard deviation with optional weights. With weights wᵢ the
/// mean is Σwx/Σw and the variance Σw(x − m)² / (V₁ − V₂/V₁), V₁ = Σw,
/// V₂ = Σw² (unbiased for reliability weights; equal weights give the usual
/// n − 1 sample variance). The SD is `None` with fewer than two values.
fn mean_sd(values: &[(f64, f64)]) -> (Option<f64>, Option<f64>) {
    let v1: f64 = values.iter().map(|(_, w)| w).sum();
    if values.is_empty() || v1 <= 0.0 {
        return (None, None);
    }
    let mean = values.iter().map(|(x, w)| w * x).sum::<f64>() / v1;
    if values.len() < 2 {
        return (Some(mean), None);
    }
    let v2: f64 = values.iter().map(|(_, w)| w * w).sum();
    let ss: f64 = values.iter().map(|(x, w)| w * (x - mean).powi(2)).sum();
    let denom = v1 - v2 / v1;
    let sd = (denom > 0.0).then(|| (ss / denom).sqrt());
    (Some(mean), sd)
}

/// Kano analysis of raw answers (see the [module documentation](self)).
///
/// A respondent missing either answer of a feature is skipped for that
/// feature (its `n` counts only complete pairs). With
/// [`KanoOptions::max_questionable`], respondents with more Q classifications
/// are dropped from every feature. DuMouchel's continuous means and SDs
/// (Berger et al. 1993) use [`Answer::functional_score`] and
/// [`Answer::dysfunctional_score`]; with importance weighting on, they are
/// weighted by the `F_i` answers and use only respondents who gave one
/// (features without `F_i` stay unweighted).
///
/// # Errors
/// Those of [`classify`]; [`Error::InvalidSetting`] for a threshold outside [0, 1].
pub fn analyze(data: &Dataset, options: &KanoOptions) -> Result<KanoReport> {
    options.validate()?;
    let cl = classify(data, &options.table)?;
    let n_rows = cl.categories.len();
    let dropped: Vec<usize> = match options.max_questionable {
        Some(max) => (0..n_rows)
            .filter(|&r| cl.questionable_count(r) > max)
            .collect(),
        None => Vec::new(),
    };
    let mut is_dropped = vec![false; n_rows];
    for &r in &dropped {
        is_dropped[r] = true;
    }
    let keep: Vec<usize> = (0..n_rows).filter(|&r| !is_dropped[r]).collect();
    let features = cl
        .features
        .iter()
        .enumerate()
        .map(|(j, fc)| {
            let counts = Counts::tally(keep.iter().filter_map(|&r| cl.categories[r][j]));
            let mut res = FeatureResult::from_counts(&fc.feature, counts, options.threshold);
            let weighted = options.weight_by_importance && fc.importance.is_some();
            let mut fun = Vec::new();
            let mut dys = Vec::new();
            let mut imp = Vec::new();
            for &r in &keep {
                let Some((fa, da)) = cl.answers[r][j] else {
                    continue;
                };
                let w = cl.importance[r][j];
                if let Some(w) = w {
                    imp.push((w, 1.0));
                }
                let w = match (weighted, w) {
                    (false, _) => 1.0,
                    (true, Some(w)) => w,
                    (true, None) => continue,
                };
                fun.push((fa.functional_score(), w));
                dys.push((da.dysfunctional_score(), w));
            }
            let (fm, fsd) = mean_sd(&fun);
            let (dm, dsd) = mean_sd(&dys);
            res.continuous_n = Some(fun.len() as u64);
            res.functional_mean = fm;
            res.functional_sd = fsd;
            res.dysfunctional_mean = dm;
            res.dysfunctional_sd = dsd;
            res.importance_mean = mean_sd(&imp).0;
            res.weighted = weighted;
            res
        })
        .collect();
    Ok(KanoReport {
        features,
        threshold: options.threshold,
        respondents: Some(n_rows),
        dropped_respondents: dropped.iter().map(|r| r + 1).collect(),
        label: None,
    })
}

/// Kano analysis of aggregate counts (one `(feature, counts)` per feature).
/// The continuous statistics are `None`.
///
/// # Errors
/// [`Error::InvalidSetting`] for a threshold outside [0, 1]; [`Error::EmptyData`]
/// for an empty list.
pub fn analyze_counts(features: &[(String, Counts)], options: &KanoOptions) -> Result<KanoReport> {
    options.validate()?;
    if features.is_empty() {
        return Err(Error::EmptyData {
            context: " (no features in the counts table)".into(),
        });
    }
    Ok(KanoReport {
        features: features
            .iter()
            .map(|(name, c)| FeatureResult::from_counts(name.clone(), *c, options.threshold))
            .collect(),
        threshold: options.threshold,
        respondents: None,
        dropped_respondents: Vec::new(),
        label: None,
    })
}

/// Reads aggregate counts from a dataset with the columns `feature`, `A`,
/// `O`, `M`, `I` and optionally `R` and `Q` (absent = 0), one row per
/// feature, in any column order.
///
/// ```
/// use csikit::{CsvOptions, Dataset};
/// use csikit::kano::{self, Counts};
/// let csv = "feature,M,O,A,I,R,Q\nseat,95,123,45,33,0,0\n";
/// let data = Dataset::from_reader(csv.as_bytes(), &CsvOptions::default()).unwrap();
/// let rows = kano::counts_from_dataset(&data).unwrap();
/// assert_eq!(rows[0], ("seat".to_string(), Counts::new(45, 123, 95, 33, 0, 0)));
/// ```
///
/// # Errors
/// [`Error::EmptyData`] without rows; [`Error::UnknownColumn`] if `feature`
/// or one of A, O, M, I is absent; [`Error::NonNumeric`] for text in a count
/// column; [`Error::KanoInvalidCount`] for a negative, fractional or missing
/// count or a missing feature name.
pub fn counts_from_dataset(data: &Dataset) -> Result<Vec<(String, Counts)>> {
    if data.n_columns() == 0 || data.n_rows() == 0 {
        return Err(Error::EmptyData {
            context:
                " (the counts file needs a header `feature,M,O,A,I,R,Q` and one row per feature)"
                    .into(),
        });
    }
    let names = data.labels("feature")?;
    let mut columns: Vec<(Category, Option<&[f64]>)> = Vec::new();
    for c in Category::ALL {
        let col = if matches!(c, Category::R | Category::Q) && !data.has_column(c.letter()) {
            None
        } else {
            Some(data.numeric(c.letter())?)
        };
        columns.push((c, col));
    }
    let mut out = Vec::with_capacity(names.len());
    for (row, name) in names.into_iter().enumerate() {
        let name = name.ok_or_else(|| Error::KanoInvalidCount {
            feature: format!("(row {})", row + 1),
            category: "feature".into(),
            value: f64::NAN,
        })?;
        let mut counts = Counts::default();
        for (c, col) in &columns {
            let Some(col) = col else { continue };
            let v = col[row];
            if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < 9.0e15) {
                return Err(Error::KanoInvalidCount {
                    feature: name,
                    category: c.letter().into(),
                    value: v,
                });
            }
            *counts.get_mut(*c) = v as u64;
        }
        out.push((name, counts));
    }
    Ok(out)
}

/// [`counts_from_dataset`] followed by [`analyze_counts`].
///
/// # Errors
/// Those of both.
pub fn from_counts(data: &Dataset, options: &KanoOptions) -> Result<KanoReport> {
    analyze_counts(&counts_from_dataset(data)?, options)
}

/// One segment's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// The segment value (label of the segment column).
    pub segment: String,
    /// Respondents in the segment.
    pub respondents: usize,
    /// The segment's Kano report.
    pub report: KanoReport,
}

/// Kano reports per value of a segment column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentedReport {
    /// The segment column.
    pub column: String,
    /// One report per segment value, in order of first appearance.
    pub segments: Vec<Segment>,
    /// Rows skipped because their segment value is missing.
    pub missing_segment: usize,
}

impl fmt::Display for SegmentedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, s) in self.segments.iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
                writeln!(f)?;
            }
            write!(f, "{}", s.report)?;
        }
        if self.missing_segment > 0 {
            write!(
                f,
                "\n{} row(s) without a `{}` value were left out",
                self.missing_segment, self.column
            )?;
        }
        Ok(())
    }
}

/// [`analyze`] separately for each value of `segment_column` (rows with a
/// missing segment value are left out), segments in the crate's level order
/// ([`crate::group`]: numerically when every value is a number, else by
/// code point). Each segment's report carries the label `column = value`.
///
/// # Errors
/// [`Error::UnknownColumn`] if the segment column is absent; otherwise those
/// of [`analyze`] (on the whole data first, so that bad answers are reported
/// with their row in the file).
pub fn analyze_by(
    data: &Dataset,
    segment_column: &str,
    options: &KanoOptions,
) -> Result<SegmentedReport> {
    let labels = data.labels(segment_column)?;
    analyze(data, options)?;
    // Segments in the crate's level order (`crate::group`).
    let grouped = crate::group::group_rows(&labels);
    let missing = grouped.n_missing;
    let mut segments = Vec::with_capacity(grouped.groups.len());
    for crate::group::Group { label: value, rows } in grouped.groups {
        let sub = data.take_rows(&rows)?;
        let mut report = analyze(&sub, options)?;
        report.dropped_respondents = report
            .dropped_respondents
            .iter()
            .map(|&r| rows[r - 1] + 1)
            .collect();
        report.label = Some(format!("{segment_column} = {value}"));
        segments.push(Segment {
            segment: value,
            respondents: rows.len(),
            report,
        });
    }
    Ok(SegmentedReport {
        column: segment_column.to_string(),
        segments,
        missing_segment: missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_sd_reduces_to_sample_sd() {
        let (m, sd) = mean_sd(&[(1.0, 2.0), (3.0, 2.0)]);
        assert_eq!(m, Some(2.0));
        // Sample SD of {1, 3} is sqrt(2).
        assert!((sd.unwrap() - 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(mean_sd(&[(1.0, 1.0)]), (Some(1.0), None));
        assert_eq!(mean_sd(&[]), (None, None));
    }

    #[test]
    fn ranking_breaks_ties_by_priority() {
        let c = Counts::new(3, 3, 3, 3, 3, 0);
        assert_eq!(
            c.ranked_without_q(),
            [
                Category::M,
                Category::O,
                Category::A,
                Category::I,
                Category::R
            ]
        );
    }
}
