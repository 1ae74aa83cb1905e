//! Segments made from other columns: a numeric column binned at given cut
//! points or at its quantiles (`arpu=50,100`, `arpu=q4`), and crossed
//! segments (`region*arpu_tier`: one group per combination). Both write a
//! text column into the data, so that the segment analysis treats them as
//! any other segment column; every row without a value is counted.

use serde::{Deserialize, Serialize};

use crate::data::Dataset;
use crate::error::{Error, Result};

/// How a numeric column is cut into bins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cuts {
    /// At these values (increasing): bins `< c1`, `c1–c2`, …, `≥ ck`
    /// (each bin holds its lower bound).
    Points(Vec<f64>),
    /// At the `k`-quantiles of the column's values (type 7, Hyndman & Fan
    /// 1996); equal cut points are merged.
    Quantiles(usize),
}

/// A binned column: `COLUMN=c1,c2,…` or `COLUMN=qK`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinSpec {
    /// The numeric column (replaced by its bin labels in the analysis).
    pub column: String,
    /// The cuts.
    pub cuts: Cuts,
}

impl std::str::FromStr for BinSpec {
    type Err = Error;

    /// Parses `COLUMN=50,100` or `COLUMN=q4`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = |m: String| Error::InvalidSetting {
            name: "bin".into(),
            message: m,
        };
        let (column, rest) = s
            .split_once('=')
            .ok_or_else(|| bad(format!("`{s}`: use COLUMN=CUT1,CUT2,… or COLUMN=qK")))?;
        let (column, rest) = (column.trim(), rest.trim());
        if column.is_empty() {
            return Err(bad(format!("`{s}` names no column")));
        }
        let cuts = if let Some(k) = rest.strip_prefix(['q', 'Q']) {
            let k: usize = k
                .trim()
                .parse()
                .map_err(|_| bad(format!("`{rest}`: qK needs a whole number K ≥ 2")))?;
            if !(2..=20).contains(&k) {
                return Err(bad(format!("`{rest}`: K must be 2 to 20")));
            }
            Cuts::Quantiles(k)
        } else {
            let v: Vec<f64> = rest
                .split(',')
                .map(|p| p.trim().parse::<f64>())
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| {
                    bad(format!(
                        "`{rest}`: cut points must be numbers separated by commas"
                    ))
                })?;
            if v.is_empty()
                || v.iter().any(|x| !x.is_finite())
                || v.windows(2).any(|w| w[0] >= w[1])
            {
                return Err(bad(format!(
                    "`{rest}`: cut points must be finite and increasing"
                )));
            }
            Cuts::Points(v)
        };
        Ok(BinSpec {
            column: column.to_string(),
            cuts,
        })
    }
}

/// What binning a column did: the cut points used and the rows per bin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinSummary {
    /// The column.
    pub column: String,
    /// The request (`q4`, or `50, 100`).
    pub spec: String,
    /// The cut points used.
    pub cuts: Vec<f64>,
    /// Each bin's label and rows, in order.
    pub bins: Vec<(String, usize)>,
    /// Rows without a value (in no bin).
    pub missing: usize,
}

fn num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The `p`-quantile (type 7) of sorted values.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Replaces `spec.column` of `data` by its bin labels (`1: <50`, `2: 50–100`,
/// `3: ≥100`; quantile bins `Q1: …`), numbered so that they sort in order.
///
/// # Errors
/// The errors of
/// [`Dataset::numeric`]; [`Error::InvalidSetting`] when the column has fewer
/// than two distinct values to cut.
pub fn apply_bins(data: &mut Dataset, spec: &BinSpec) -> Result<BinSummary> {
    let values = data.numeric(&spec.column)?.to_vec();
    let mut sorted: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    let (cuts, text, prefix) = match &spec.cuts {
        Cuts::Points(c) => (
            c.clone(),
            c.iter().map(|x| num(*x)).collect::<Vec<_>>().join(", "),
            "",
        ),
        Cuts::Quantiles(k) => {
            if sorted.first() == sorted.last() {
                return Err(Error::InvalidSetting {
                    name: "bin".into(),
                    message: format!(
                        "column `{}` has fewer than two distinct values: nothing to cut",
                        spec.column
                    ),
                });
            }
            let mut c: Vec<f64> = (1..*k)
                .map(|j| quantile(&sorted, j as f64 / *k as f64))
                .collect();
            c.dedup_by(|a, b| (*a - *b).abs() < 1e-12);
            c.retain(|x| *x > sorted[0]);
            (c, format!("q{k}"), "Q")
        }
    };
    let m = cuts.len() + 1;
    let width = m.to_string().len();
    let labels: Vec<String> = (0..m)
        .map(|i| {
            let range = if i == 0 {
                format!("<{}", num(cuts[0]))
            } else if i == m - 1 {
                format!("≥{}", num(cuts[m - 2]))
            } else {
                format!("{}–{}", num(cuts[i - 1]), num(cuts[i]))
            };
            format!("{prefix}{:0width$}: {range}", i + 1)
        })
        .collect();
    let mut counts = vec![0usize; m];
    let mut missing = 0;
    let column: Vec<String> = values
        .iter()
        .map(|&x| {
            if x.is_nan() {
                missing += 1;
                return String::new();
            }
            let b = cuts.iter().take_while(|&&c| x >= c).count();
            counts[b] += 1;
            labels[b].clone()
        })
        .collect();
    data.set_text(&spec.column, column)?;
    Ok(BinSummary {
        column: spec.column.clone(),
        spec: text,
        cuts,
        bins: labels.into_iter().zip(counts).collect(),
        missing,
    })
}

/// Whether a segment name is a crossing (`A*B`).
pub fn is_crossed(segment: &str) -> bool {
    segment.contains('*')
}

/// Adds the crossed segment column `A*B` (or `A*B*C`): one label `a × b` per
/// row, missing where any part is missing.
///
/// # Errors
/// [`Error::UnknownColumn`] for a part the data lack.
pub fn add_crossed(data: &mut Dataset, segment: &str) -> Result<()> {
    let parts: Vec<Vec<Option<String>>> = segment
        .split('*')
        .map(|p| data.labels(p.trim()))
        .collect::<Result<_>>()?;
    let column = (0..data.n_rows())
        .map(|r| {
            let mut out = Vec::with_capacity(parts.len());
            for p in &parts {
                match &p[r] {
                    Some(v) if !v.is_empty() => out.push(v.as_str()),
                    _ => return String::new(),
                }
            }
            out.join(" × ")
        })
        .collect();
    data.set_text(segment, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_points_and_quantiles_bin_and_count_every_row() {
        let mut d = Dataset::from_columns(vec![(
            "arpu",
            vec![10.0, 20.0, 50.0, 60.0, 100.0, 150.0, f64::NAN, 99.0],
        )])
        .unwrap();
        let s = apply_bins(&mut d, &"arpu=50,100".parse().unwrap()).unwrap();
        assert_eq!(
            s.bins,
            vec![
                ("1: <50".to_string(), 2),
                ("2: 50–100".to_string(), 3),
                ("3: ≥100".to_string(), 2)
            ]
        );
        assert_eq!(s.missing, 1);
        let l = d.labels("arpu").unwrap();
        assert_eq!(l[2].as_deref(), Some("2: 50–100"));
        assert_eq!(l[6], None);
        // Quartiles of 1..=8: 2.75, 4.5, 6.25 → two rows per bin.
        let mut d = Dataset::from_columns(vec![("x", (1..=8).map(f64::from).collect())]).unwrap();
        let s = apply_bins(&mut d, &"x=q4".parse().unwrap()).unwrap();
        assert_eq!(s.cuts, vec![2.75, 4.5, 6.25]);
        assert!(s.bins.iter().all(|b| b.1 == 2), "{:?}", s.bins);
        assert!(s.bins[0].0.starts_with("Q1: "));
        for bad in ["x", "=q4", "x=q1", "x=3,2", "x=a"] {
            assert!(bad.parse::<BinSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn crossed_segments_label_each_combination() {
        let mut d = Dataset::from_columns(vec![
            ("a", vec![1.0, 2.0, 1.0]),
            ("b", vec![3.0, 3.0, f64::NAN]),
        ])
        .unwrap();
        add_crossed(&mut d, "a*b").unwrap();
        let l = d.labels("a*b").unwrap();
        assert_eq!(l[0].as_deref(), Some("1 × 3"));
        assert_eq!(l[1].as_deref(), Some("2 × 3"));
        assert_eq!(l[2], None);
    }
}
