//! Calendar months as reporting periods.

use serde::{Serialize, Serializer};

/// A calendar month, the reporting period of service monitoring.
///
/// ```
/// use csikit::monitor::Period;
/// let p = Period::parse("2026-03-17T09:30:00").unwrap();
/// assert_eq!(p.to_string(), "2026-03");
/// assert_eq!(p.previous_month().to_string(), "2026-02");
/// assert_eq!(p.previous_year().to_string(), "2025-03");
/// assert_eq!(Period::parse("2026-01").unwrap().previous_month().to_string(), "2025-12");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
}

impl Period {
    /// A period from year and month (`None` unless the month is 1–12).
    pub fn new(year: i32, month: u32) -> Option<Period> {
        (1..=12).contains(&month).then_some(Period { year, month })
    }

    /// Parses `YYYY-MM`, `YYYY/MM`, `YYYYMM`, or a date or timestamp starting
    /// with `YYYY-MM-DD` (the month is kept).
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        let (y, m) = if t.len() == 6 && digits(t) {
            (&t[..4], &t[4..])
        } else {
            let sep = t.find(['-', '/'])?;
            let rest = &t[sep + 1..];
            let m_end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let tail = &rest[m_end..];
            // After the month: nothing, or a day separator followed by a day.
            if !(tail.is_empty() || tail.starts_with(['-', '/'])) {
                return None;
            }
            (&t[..sep], &rest[..m_end])
        };
        if !(digits(y) && y.len() == 4 && digits(m) && m.len() <= 2) {
            return None;
        }
        Period::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// Months since year 0 (for differences and ordering).
    pub fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    fn from_index(i: i64) -> Period {
        Period {
            year: i.div_euclid(12) as i32,
            month: (i.rem_euclid(12) + 1) as u32,
        }
    }

    /// The month before.
    pub fn previous_month(self) -> Period {
        Period::from_index(self.index() - 1)
    }

    /// The same month a year earlier.
    pub fn previous_year(self) -> Period {
        Period::from_index(self.index() - 12)
    }

    /// The month after.
    pub fn next_month(self) -> Period {
        Period::from_index(self.index() + 1)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        for t in [
            "2026-03",
            "2026/3",
            "202603",
            "2026-03-01",
            "2026-03-31 23:59",
            "2026-03-05T01:02:03Z",
        ] {
            assert_eq!(Period::parse(t), Period::new(2026, 3), "{t}");
        }
        for t in [
            "",
            "2026",
            "2026-13",
            "26-03",
            "March 2026",
            "2026-03x",
            "2026-0a",
        ] {
            assert_eq!(Period::parse(t), None, "{t}");
        }
    }

    #[test]
    fn arithmetic() {
        let p = Period::new(2026, 1).unwrap();
        assert_eq!(p.previous_month(), Period::new(2025, 12).unwrap());
        assert_eq!(p.next_month().previous_month(), p);
        assert_eq!(p.previous_year().index(), p.index() - 12);
        assert!(Period::new(2025, 12) < Period::new(2026, 1));
    }
}
