//! Reporting periods: one typed [`Period`] for every module that works with
//! time (CSI trends, service monitoring, KPIs).
//!
//! A period is a calendar **month**, a calendar **quarter**, a calendar
//! **year**, or a **wave number** (a survey wave `1`, `2`, … without a
//! calendar date). However a label spells it, it parses to one value with
//! one canonical spelling ([`Period`]'s `Display`, also its serde form):
//!
//! | kind | canonical | also accepted |
//! |---|---|---|
//! | month | `2025-03` | `2025-3`, `2025/3`, `2025/03`, `2025.03` (two month digits), `202503`, `2025年3月`, `2025年03月`, dates `2025-03-15`, `2025/3/15`, `2025.03.15`, `2025年3月15日`, timestamps `2025-03-15T09:30:00Z`, `2025-03-15 09:30` |
//! | quarter | `2025Q1` | `2025-Q1`, `2025 Q1`, `2025/Q1`, `2025q1`, `2025年第1季度`, `2025年1季度`, `2025年Q1`, `2025年第一季度` |
//! | year | `2025` | `2025年` |
//! | wave number | `7` | `07`, `007` (one to three digits) |
//!
//! Surrounding whitespace is ignored and full-width digits (`２０２５`) read
//! as digits. A four-digit number starting with 1–9 is a year; six digits
//! are `YYYYMM`; one to three digits (or four starting with `0`) are a wave
//! number. Dates must exist (`2025-02-30` is refused). `2025.1` is refused
//! rather than read as January: a CSV column of `2025.10` read as numbers
//! arrives as `2025.1` (write such periods as `2025-10`).
//!
//! Periods order chronologically ([`Ord`]); arithmetic is calendar
//! arithmetic: [`Period::previous`] of `2026-01` is `2025-12`, of `2026Q1`
//! is `2025Q4`; [`Period::year_earlier`] is 12 months, 4 quarters or 1 year
//! back (and undefined for wave numbers, which carry no calendar).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The accepted spellings, as quoted in parse errors.
pub const ACCEPTED_SPELLINGS: &str = "write a month as 2025-03, 2025-3, 2025/3, 2025.03, 202503, 2025年3月 or a date 2025-03-15, 2025/3/15; a quarter as 2025Q1, 2025-Q1, 2025 Q1, 2025年第1季度, 2025年1季度, 2025年Q1; a year as 2025; or a wave number 1, 2, …";

/// The kind of a [`Period`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Calendar months.
    Monthly,
    /// Calendar quarters (Q1 = January–March).
    Quarterly,
    /// Calendar years.
    Yearly,
    /// Numbered survey waves without a calendar date.
    Wave,
}

impl Frequency {
    /// Periods per calendar year (`None` for wave numbers).
    pub fn per_year(self) -> Option<i64> {
        match self {
            Frequency::Monthly => Some(12),
            Frequency::Quarterly => Some(4),
            Frequency::Yearly => Some(1),
            Frequency::Wave => None,
        }
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Frequency::Monthly => "month",
            Frequency::Quarterly => "quarter",
            Frequency::Yearly => "year",
            Frequency::Wave => "wave number",
        })
    }
}

/// A reporting period: a calendar month, quarter or year, or a wave number.
///
/// The same period however it is spelled; chronological order; calendar
/// arithmetic; one canonical spelling (`2025-03`, `2025Q1`, `2025`, `7`),
/// which is also its serde form (deserializing accepts every spelling).
///
/// ```
/// use csikit::Period;
/// let p = Period::parse("2026年3月").unwrap();
/// assert_eq!(p, Period::parse("2026-03").unwrap());
/// assert_eq!(p, Period::parse("202603").unwrap());
/// assert_eq!(p.to_string(), "2026-03");
/// assert_eq!(p.previous().to_string(), "2026-02");
/// assert_eq!(p.year_earlier().unwrap().to_string(), "2025-03");
/// assert_eq!(Period::parse("2026/1").unwrap().previous().to_string(), "2025-12");
/// let q: Period = "2025年第1季度".parse().unwrap();
/// assert_eq!((q.to_string(), q.previous().to_string()), ("2025Q1".into(), "2024Q4".into()));
/// assert!(Period::parse("2025-12").unwrap() < Period::parse("2026-1").unwrap());
/// let err = "March".parse::<Period>().unwrap_err();
/// assert!(err.to_string().contains("`March` is not a period"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    frequency: Frequency,
    /// Months since January of year 0, quarters since Q1 of year 0, the year,
    /// or the wave number.
    index: i64,
}

/// A label that is not a period; the message names it and lists the
/// accepted spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsePeriodError {
    /// The label as given.
    pub label: String,
}

impl fmt::Display for ParsePeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a period; {ACCEPTED_SPELLINGS}", self.label)
    }
}

impl std::error::Error for ParsePeriodError {}

impl Period {
    /// A calendar month (`None` unless `month` is 1–12).
    pub fn new(year: i32, month: u32) -> Option<Period> {
        (1..=12).contains(&month).then(|| Period {
            frequency: Frequency::Monthly,
            index: i64::from(year) * 12 + i64::from(month) - 1,
        })
    }

    /// A calendar quarter (`None` unless `quarter` is 1–4).
    pub fn new_quarter(year: i32, quarter: u32) -> Option<Period> {
        (1..=4).contains(&quarter).then(|| Period {
            frequency: Frequency::Quarterly,
            index: i64::from(year) * 4 + i64::from(quarter) - 1,
        })
    }

    /// A calendar year.
    pub fn new_year(year: i32) -> Period {
        Period {
            frequency: Frequency::Yearly,
            index: i64::from(year),
        }
    }

    /// A wave number (`None` when negative).
    pub fn new_wave(number: i64) -> Option<Period> {
        (number >= 0).then_some(Period {
            frequency: Frequency::Wave,
            index: number,
        })
    }

    /// The period of `frequency` with [`Period::index`] `index` (the inverse
    /// of `index`).
    ///
    /// ```
    /// use csikit::{Frequency, Period};
    /// assert_eq!(Period::from_index(Frequency::Monthly, 2025 * 12).to_string(), "2025-01");
    /// assert_eq!(Period::from_index(Frequency::Quarterly, 2025 * 4 + 3).to_string(), "2025Q4");
    /// ```
    pub fn from_index(frequency: Frequency, index: i64) -> Period {
        Period { frequency, index }
    }

    /// Parses any accepted spelling (module documentation); `None` otherwise.
    /// `str::parse` gives the same with a [`ParsePeriodError`] that names the
    /// label and lists the accepted spellings.
    pub fn parse(text: &str) -> Option<Period> {
        let ascii: String = text.trim().chars().map(fullwidth_digit).collect();
        parse_trimmed(&ascii)
    }

    /// Month, quarter, year or wave number.
    pub fn frequency(self) -> Frequency {
        self.frequency
    }

    /// The calendar year (`None` for a wave number).
    pub fn year(self) -> Option<i32> {
        let y = match self.frequency {
            Frequency::Monthly => self.index.div_euclid(12),
            Frequency::Quarterly => self.index.div_euclid(4),
            Frequency::Yearly => self.index,
            Frequency::Wave => return None,
        };
        i32::try_from(y).ok()
    }

    /// The month 1–12 of a monthly period.
    pub fn month(self) -> Option<u32> {
        (self.frequency == Frequency::Monthly).then(|| (self.index.rem_euclid(12) + 1) as u32)
    }

    /// The quarter 1–4 of a quarterly period.
    pub fn quarter(self) -> Option<u32> {
        (self.frequency == Frequency::Quarterly).then(|| (self.index.rem_euclid(4) + 1) as u32)
    }

    /// The number of a wave.
    pub fn wave(self) -> Option<i64> {
        (self.frequency == Frequency::Wave).then_some(self.index)
    }

    /// Periods since the epoch of its kind: months since January of year 0,
    /// quarters since Q1 of year 0, the year, or the wave number. The
    /// difference of two indices of one kind is the number of periods between them.
    pub fn index(self) -> i64 {
        self.index
    }

    /// The period `k` periods later (`k < 0`: earlier) of the same kind.
    pub fn shift(self, k: i64) -> Period {
        Period {
            frequency: self.frequency,
            index: self.index.saturating_add(k),
        }
    }

    /// The previous calendar period: the month, quarter or year before, or
    /// the previous wave number.
    pub fn previous(self) -> Period {
        self.shift(-1)
    }

    /// The next calendar period.
    pub fn next(self) -> Period {
        self.shift(1)
    }

    /// The same period a year earlier (12 months, 4 quarters or 1 year back);
    /// `None` for a wave number, which has no calendar.
    pub fn year_earlier(self) -> Option<Period> {
        self.frequency.per_year().map(|k| self.shift(-k))
    }

    /// Chronological sort key: calendar periods by their first month (then
    /// months before quarters before years starting that month), wave
    /// numbers after every calendar period.
    fn key(self) -> (bool, i64, Frequency) {
        let start = match self.frequency {
            Frequency::Monthly => self.index,
            Frequency::Quarterly => self.index.saturating_mul(3),
            Frequency::Yearly => self.index.saturating_mul(12),
            Frequency::Wave => self.index,
        };
        (self.frequency == Frequency::Wave, start, self.frequency)
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Chronological within a kind (a column never mixes kinds); across kinds,
/// calendar periods by their first month and wave numbers last.
impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.frequency {
            Frequency::Monthly => write!(
                f,
                "{:04}-{:02}",
                self.index.div_euclid(12),
                self.index.rem_euclid(12) + 1
            ),
            Frequency::Quarterly => write!(
                f,
                "{:04}Q{}",
                self.index.div_euclid(4),
                self.index.rem_euclid(4) + 1
            ),
            Frequency::Yearly => write!(f, "{:04}", self.index),
            Frequency::Wave => write!(f, "{}", self.index),
        }
    }
}

impl FromStr for Period {
    type Err = ParsePeriodError;

    fn from_str(s: &str) -> Result<Period, ParsePeriodError> {
        Period::parse(s).ok_or_else(|| ParsePeriodError {
            label: s.to_string(),
        })
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Period, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// `０`–`９` (U+FF10–U+FF19) as ASCII digits; other characters unchanged.
fn fullwidth_digit(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
        _ => c,
    }
}

/// A run of ASCII digits at the start of `s`: (value, digits, rest).
fn digits(s: &str) -> (Option<i64>, usize, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    // At most 18 digits fit an i64; longer runs are refused by every caller.
    let value = (n > 0 && n <= 18).then(|| s[..n].parse().ok()).flatten();
    (value, n, &s[n..])
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_of(year: i64, month: i64) -> Option<Period> {
    Period::new(i32::try_from(year).ok()?, u32::try_from(month).ok()?)
}

fn quarter_of(year: i64, quarter: i64) -> Option<Period> {
    Period::new_quarter(i32::try_from(year).ok()?, u32::try_from(quarter).ok()?)
}

/// A day of `year`-`month` (one or two digits, which must exist).
fn valid_day(year: i64, month: i64, day: Option<i64>, n: usize) -> bool {
    (1..=2).contains(&n) && day.is_some_and(|d| d >= 1 && d <= days_in_month(year, month))
}

fn parse_trimmed(t: &str) -> Option<Period> {
    let (value, n, rest) = digits(t);
    let value = value?;
    if rest.is_empty() {
        // Digits only: a wave number, a year, or YYYYMM.
        return match n {
            1..=3 => Period::new_wave(value),
            4 if !t.starts_with('0') => i32::try_from(value).ok().map(Period::new_year),
            4 => Period::new_wave(value),
            6 => month_of(value / 100, value % 100),
            _ => None,
        };
    }
    if n != 4 {
        return None;
    }
    let year = value;
    if let Some(r) = rest.strip_prefix('年') {
        return parse_chinese(year, r);
    }
    // Quarters: 2025Q1, 2025-Q1, 2025 Q1, 2025/Q1.
    let q = rest
        .strip_prefix(['-', '/'])
        .unwrap_or_else(|| rest.trim_start());
    if let Some(q) = q.strip_prefix(['Q', 'q']) {
        let (quarter, m, tail) = digits(q);
        return (m == 1 && tail.is_empty())
            .then_some(quarter)
            .flatten()
            .and_then(|k| quarter_of(year, k));
    }
    // Months and dates: YYYY-M[M], YYYY/M[M], YYYY.M[M], optionally followed
    // by the same separator and a day, then optionally a time.
    let sep = rest.chars().next()?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let (month, m, tail) = digits(&rest[1..]);
    if !(1..=2).contains(&m) {
        return None;
    }
    let month = month?;
    let period = month_of(year, month)?;
    if tail.is_empty() {
        // `YYYY.M` is refused: a CSV column of `2025.10` read as numbers
        // arrives as `2025.1`, which must not pass for January.
        return (sep != '.' || m == 2).then_some(period);
    }
    let (day, d, after) = digits(tail.strip_prefix(sep)?);
    if !valid_day(year, month, day, d) {
        return None;
    }
    // A time of day may follow a date: `T09:30:00Z` or ` 09:30`.
    (after.is_empty() || after.starts_with(['T', ' '])).then_some(period)
}

/// After `YYYY年`: nothing (a year), `M月` / `MM月` (optionally `D日`/`D号`),
/// or a quarter `第1季度`, `1季度`, `第一季度`, `第1季`, `Q1`.
fn parse_chinese(year: i64, r: &str) -> Option<Period> {
    if r.is_empty() {
        return i32::try_from(year).ok().map(Period::new_year);
    }
    if let Some(q) = r.strip_prefix(['Q', 'q']) {
        let (k, n, tail) = digits(q);
        return (n == 1 && tail.is_empty())
            .then_some(k)
            .flatten()
            .and_then(|k| quarter_of(year, k));
    }
    let body = r.strip_prefix('第').unwrap_or(r);
    let quarter_number = |s: &str| -> Option<(i64, usize)> {
        let c = s.chars().next()?;
        let k = match c {
            '1'..='4' => i64::from(c as u8 - b'0'),
            '一' => 1,
            '二' => 2,
            '三' => 3,
            '四' => 4,
            _ => return None,
        };
        Some((k, c.len_utf8()))
    };
    if let Some((k, len)) = quarter_number(body)
        && matches!(&body[len..], "季度" | "季")
    {
        return quarter_of(year, k);
    }
    if body.len() != r.len() {
        // `第` only introduces a quarter.
        return None;
    }
    let (month, m, tail) = digits(r);
    if !(1..=2).contains(&m) {
        return None;
    }
    let month = month?;
    let tail = tail.strip_prefix('月')?;
    if tail.is_empty() {
        return month_of(year, month);
    }
    let (day, d, after) = digits(tail);
    (valid_day(year, month, day, d) && matches!(after, "日" | "号"))
        .then(|| month_of(year, month))
        .flatten()
}

/// Parses the distinct labels of a period column: each label to its period,
/// all of one [`Frequency`].
///
/// `labels[i]` is `(label, first 1-based row holding it)`.
///
/// # Errors
/// [`Error::InvalidPeriod`](crate::Error::InvalidPeriod) naming the first
/// unparseable label; [`Error::MixedPeriods`](crate::Error::MixedPeriods)
/// when the column mixes kinds (months and quarters, …).
pub(crate) fn parse_column(column: &str, labels: &[(&str, usize)]) -> crate::Result<Vec<Period>> {
    let mut out: Vec<Period> = Vec::with_capacity(labels.len());
    let mut first: Option<(Period, &str)> = None;
    for &(label, row) in labels {
        let p = Period::parse(label).ok_or_else(|| crate::Error::InvalidPeriod {
            column: column.to_string(),
            row,
            value: label.to_string(),
        })?;
        match first {
            None => first = Some((p, label)),
            Some((f, fl)) if f.frequency != p.frequency => {
                return Err(crate::Error::MixedPeriods {
                    context: format!("column `{column}`"),
                    first: fl.to_string(),
                    first_kind: f.frequency,
                    other: label.to_string(),
                    other_kind: p.frequency,
                });
            }
            Some(_) => {}
        }
        out.push(p);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap_or_else(|| panic!("`{s}` should parse"))
    }

    #[test]
    fn every_month_spelling_is_the_same_month() {
        let march = Period::new(2025, 3).unwrap();
        for s in [
            "2025-03",
            "2025-3",
            "2025/3",
            "2025/03",
            "202503",
            "2025.03",
            "2025年3月",
            "2025年03月",
            "2025年3月15日",
            "2025年3月5号",
            "2025-03-15",
            "2025-03-01",
            "2025-03-31",
            "2025/3/15",
            "2025/03/05",
            "2025.03.15",
            "2025-03-15T09:30:00Z",
            "2025-03-31 23:59",
            "  2025-03 ",
            "\t2025年3月\n",
            "２０２５年３月",
            "２０２５-０３",
        ] {
            assert_eq!(p(s), march, "{s}");
            assert_eq!(p(s).to_string(), "2025-03", "{s}");
        }
        assert_eq!(p("2025-12"), Period::new(2025, 12).unwrap());
        assert_eq!(p("2025年12月"), Period::new(2025, 12).unwrap());
        assert_eq!(p("202601"), Period::new(2026, 1).unwrap());
        assert_eq!(p("2024/2/29"), Period::new(2024, 2).unwrap(), "leap day");
    }

    #[test]
    fn every_quarter_spelling_is_the_same_quarter() {
        let q1 = Period::new_quarter(2025, 1).unwrap();
        for s in [
            "2025Q1",
            "2025q1",
            "2025-Q1",
            "2025 Q1",
            "2025/Q1",
            "2025年第1季度",
            "2025年1季度",
            "2025年Q1",
            "2025年第一季度",
            "2025年第1季",
            " 2025Q1 ",
        ] {
            assert_eq!(p(s), q1, "{s}");
            assert_eq!(p(s).to_string(), "2025Q1", "{s}");
        }
        assert_eq!(p("2025年第四季度").to_string(), "2025Q4");
    }

    #[test]
    fn years_and_waves() {
        assert_eq!(p("2025"), Period::new_year(2025));
        assert_eq!(p("2025年"), Period::new_year(2025));
        assert_eq!(p("2025").to_string(), "2025");
        assert_eq!(p("7"), Period::new_wave(7).unwrap());
        assert_eq!(p("07"), p("7"));
        assert_eq!(p("0012"), Period::new_wave(12).unwrap());
        assert_eq!(p("14").to_string(), "14");
        assert_eq!(p("0").wave(), Some(0));
    }

    #[test]
    fn refuses_what_is_not_a_period() {
        for s in [
            "",
            " ",
            "2026-13",
            "2026-00",
            "202613",
            "202600",
            "26-03",
            "March 2026",
            "2026-03x",
            "2026-0a",
            "2026-003",
            "2026-03-",
            "2026-03-32",
            "2025-02-29",
            "2025-02-30",
            "2026-03/01",
            "2026-03-01x",
            "2026Q5",
            "2026Q0",
            "2026Q",
            "2026Q12",
            "Q1",
            "2026年13月",
            "2026年3",
            "2026年第5季度",
            "2026年第3月",
            "2026年3月32日",
            "12345",
            "1234567",
            "20250315",
            "-1",
            "1.5",
            "x",
            "2025 03",
            "2025.1",
            "2025.3",
        ] {
            assert_eq!(Period::parse(s), None, "`{s}`");
            let err = s.parse::<Period>().unwrap_err();
            assert!(err.to_string().contains(&format!("`{s}` is not a period")));
            assert!(err.to_string().contains("2025年第1季度"));
        }
    }

    #[test]
    fn chronological_order_and_canonical_display() {
        let mut v: Vec<Period> = ["2025年12月", "2026/1", "202602", "2025年1月", "2025-04"]
            .iter()
            .map(|s| p(s))
            .collect();
        v.sort();
        let s: Vec<String> = v.iter().map(|p| p.to_string()).collect();
        assert_eq!(s, ["2025-01", "2025-04", "2025-12", "2026-01", "2026-02"]);
        // Text order would put 2025年12月 before 2025年1月; numbers 9 < 10.
        assert!(p("2025年1月") < p("2025年12月"));
        assert!(p("9") < p("10"));
        assert!(p("2025Q4") < p("2026Q1"));
        assert!(p("2024") < p("2025"));
        // Across kinds: by first month, waves last.
        assert!(p("2025-01") < p("2025Q1") && p("2025Q1") < p("2025-02"));
        assert!(p("2025Q1") < p("2025-04") && p("2999") < p("1"));
    }

    #[test]
    fn calendar_arithmetic() {
        let jan = p("2026-01");
        assert_eq!(jan.previous(), p("2025-12"));
        assert_eq!(jan.next(), p("2026-02"));
        assert_eq!(jan.next().previous(), jan);
        assert_eq!(jan.year_earlier(), Some(p("2025-01")));
        assert_eq!(jan.index(), 2026 * 12);
        assert_eq!(jan.index() - p("2025-03").index(), 10);
        assert_eq!(jan.shift(-13), p("2024-12"));
        let q1 = p("2026Q1");
        assert_eq!(q1.previous(), p("2025Q4"));
        assert_eq!(p("2025Q4").next(), q1);
        assert_eq!(q1.year_earlier(), Some(p("2025Q1")));
        assert_eq!(q1.index(), 2026 * 4);
        assert_eq!(p("2025").previous(), p("2024"));
        assert_eq!(p("2025").year_earlier(), Some(p("2024")));
        assert_eq!(p("3").previous(), p("2"));
        assert_eq!(p("3").next(), p("4"));
        assert_eq!(p("3").year_earlier(), None);
        assert_eq!(
            (jan.year(), jan.month(), jan.quarter()),
            (Some(2026), Some(1), None)
        );
        assert_eq!(
            (q1.year(), q1.month(), q1.quarter()),
            (Some(2026), None, Some(1))
        );
        assert_eq!(p("5").year(), None);
    }

    #[test]
    fn serde_uses_the_canonical_spelling() {
        let v = vec![p("2025年3月"), p("2025年第2季度"), p("2025"), p("4")];
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"["2025-03","2025Q2","2025","4"]"#);
        let back: Vec<Period> =
            serde_json::from_str(r#"["202503","2025 Q2","2025年","04"]"#).unwrap();
        assert_eq!(back, v);
        assert!(serde_json::from_str::<Period>(r#""March""#).is_err());
    }

    #[test]
    fn a_column_of_one_kind() {
        let ok = parse_column("m", &[("2025-01", 1), ("2025年2月", 3)]).unwrap();
        assert_eq!(ok, [p("2025-01"), p("2025-02")]);
        let err = parse_column("m", &[("2025-01", 1), ("huh", 4)]).unwrap_err();
        assert!(
            matches!(&err, crate::Error::InvalidPeriod { row: 4, value, .. } if value == "huh"),
            "{err:?}"
        );
        let err = parse_column("m", &[("2025-01", 1), ("2025Q1", 2)]).unwrap_err();
        assert!(
            matches!(
                &err,
                crate::Error::MixedPeriods {
                    first_kind: Frequency::Monthly,
                    other_kind: Frequency::Quarterly,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
