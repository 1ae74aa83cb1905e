//! The codebook: what each survey item means, its answer scale, its
//! missing-value codes and whether it is reverse-worded (DESIGN.md §6).
//!
//! ```text
//! item,label,min,max,missing,reverse,label_en
//! CUSA1,总体而言，您对中国移动的服务满意吗？,1,10,98;99,,Overall satisfaction
//! CUEX2,服务中断次数（反向）,1,5,,yes,Service interruptions (reversed)
//! ```
//!
//! [`Codebook::apply`] turns a raw export into analysable data, in this
//! order and counting everything it does ([`Recoding`]):
//! 1. each declared missing code becomes missing (e.g. 98 "don't know",
//!    99 "refused");
//! 2. every remaining answer must lie on the item's declared scale: a value
//!    outside it is an error naming item, row and value
//!    ([`Error::CodebookOutOfScale`]), never a silent answer;
//! 3. reverse-worded items are recoded once as `min + max − x`.
//!
//! Items the codebook omits keep the command-line settings; an item the
//! data lack is an error ([`Error::CodebookUnknownItem`]).

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::csi::Scale;
use crate::data::{ColumnData, Dataset};
use crate::error::{Error, Result};

/// One item of the codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodebookItem {
    /// The data column.
    pub item: String,
    /// The question or a short label, shown wherever the item appears.
    pub label: Option<String>,
    /// An English label for English reports.
    pub label_en: Option<String>,
    /// The declared answer scale.
    pub scale: Option<Scale>,
    /// Codes meaning missing (e.g. 98, 99).
    pub missing: Vec<f64>,
    /// Reverse-worded: recoded as `min + max − x`.
    pub reverse: bool,
}

/// A codebook: one entry per item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Codebook {
    /// The items, in file order.
    pub items: Vec<CodebookItem>,
}

/// How many cells of an item held a missing code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeCount {
    /// The item.
    pub item: String,
    /// The code.
    pub code: f64,
    /// Cells that held it (now missing).
    pub cells: usize,
}

/// What applying a codebook did to the data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recoding {
    /// Items of the codebook found in the data.
    pub items: usize,
    /// Cells turned missing, per item and code (only codes that occurred).
    pub missing_codes: Vec<CodeCount>,
    /// Cells turned missing in all.
    pub missing_cells: usize,
    /// Items recoded as `min + max − x`.
    pub reversed: Vec<String>,
    /// Items with a declared scale (checked: every answer lies on it).
    pub declared_scales: Vec<String>,
}

impl Recoding {
    /// Per missing code, in order of first occurrence: (code, cells turned
    /// missing, items where it occurred) — the summary the reports print.
    pub fn cells_by_code(&self) -> Vec<(f64, usize, usize)> {
        let mut by_code: Vec<(f64, usize, usize)> = Vec::new();
        for c in &self.missing_codes {
            match by_code.iter_mut().find(|(code, _, _)| *code == c.code) {
                Some(e) => {
                    e.1 += c.cells;
                    e.2 += 1;
                }
                None => by_code.push((c.code, c.cells, 1)),
            }
        }
        by_code
    }
}

fn is_truthy(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "no" | "0" | "false" | "n" | "否" => Some(false),
        "yes" | "1" | "true" | "y" | "是" | "反向" => Some(true),
        _ => None,
    }
}

impl Codebook {
    /// Reads a codebook CSV (UTF-8, with or without BOM).
    ///
    /// # Errors
    /// [`Error::Io`]; [`Error::Codebook`] for a malformed file.
    pub fn from_csv(path: impl AsRef<Path>) -> Result<Codebook> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| Error::Codebook {
            line: 0,
            message: format!(
                "`{}` is not UTF-8 text; save it as CSV UTF-8",
                path.display()
            ),
        })?;
        Codebook::parse_csv(&text)
    }

    /// Parses codebook CSV text (header `item,label,min,max,missing,reverse`,
    /// optional `label_en`; other columns ignored; a leading BOM ignored).
    ///
    /// # Errors
    /// [`Error::Codebook`] naming the line and what is wrong.
    pub fn parse_csv(text: &str) -> Result<Codebook> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| Error::Codebook {
                line: 1,
                message: e.to_string(),
            })?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let mut rows = Vec::new();
        for (k, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| Error::Codebook {
                line: k + 2,
                message: e.to_string(),
            })?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Codebook::from_rows(&header, &rows)
    }

    /// Builds a codebook from a header and rows of text cells (line numbers
    /// in errors count the header as line 1).
    ///
    /// # Errors
    /// [`Error::Codebook`]: no `item` column, an empty or repeated item, a
    /// bound that is not a number, `min ≥ max`, only one bound, a missing
    /// code that is not a number, a reverse flag that is not yes/no, a
    /// reverse item without a scale.
    pub fn from_rows(header: &[String], rows: &[Vec<String>]) -> Result<Codebook> {
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let Some(item_col) = col("item") else {
            return Err(Error::Codebook {
                line: 1,
                message: format!(
                    "no `item` column (the header is: {}); expected item,label,min,max,missing,reverse",
                    header.join(",")
                ),
            });
        };
        let (label, min, max, missing, reverse, label_en) = (
            col("label"),
            col("min"),
            col("max"),
            col("missing"),
            col("reverse"),
            col("label_en"),
        );
        let mut seen = HashSet::new();
        let mut items = Vec::new();
        for (k, row) in rows.iter().enumerate() {
            let line = k + 2;
            let cell = |c: Option<usize>| {
                c.and_then(|c| row.get(c))
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
            };
            let bad = |message: String| Error::Codebook { line, message };
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let Some(item) = cell(Some(item_col)) else {
                return Err(bad("the `item` cell is empty".into()));
            };
            if !seen.insert(item.to_string()) {
                return Err(bad(format!("item `{item}` is listed twice")));
            }
            let number = |c: Option<usize>, what: &str| -> Result<Option<f64>> {
                match cell(c) {
                    None => Ok(None),
                    Some(s) => s
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .map(Some)
                        .ok_or_else(|| bad(format!("{what} of `{item}` is `{s}`, not a number"))),
                }
            };
            let scale = match (number(min, "min")?, number(max, "max")?) {
                (Some(lo), Some(hi)) if lo < hi => Some(Scale::new(lo, hi)),
                (Some(lo), Some(hi)) => {
                    return Err(bad(format!(
                        "the scale of `{item}` is {lo}..{hi}: min must be below max"
                    )));
                }
                (None, None) => None,
                _ => {
                    return Err(bad(format!(
                        "`{item}` has only one of min and max: give both or neither"
                    )));
                }
            };
            let mut codes = Vec::new();
            if let Some(text) = cell(missing) {
                for part in text
                    .split([';', '；', '|', ' '])
                    .filter(|p| !p.trim().is_empty())
                {
                    let code = part.trim().parse::<f64>().ok().filter(|x| x.is_finite());
                    match code {
                        Some(c) => codes.push(c),
                        None => {
                            return Err(bad(format!(
                                "missing code `{part}` of `{item}` is not a number (separate codes with `;`, e.g. 98;99)"
                            )));
                        }
                    }
                }
            }
            let rev = match cell(reverse) {
                None => false,
                Some(s) => is_truthy(s).ok_or_else(|| {
                    bad(format!(
                        "reverse of `{item}` is `{s}`: write yes or no (or leave it empty)"
                    ))
                })?,
            };
            if rev && scale.is_none() {
                return Err(bad(format!(
                    "`{item}` is reversed but has no scale: reversing needs min and max (x -> min + max - x)"
                )));
            }
            items.push(CodebookItem {
                item: item.to_string(),
                label: cell(label).map(str::to_string),
                label_en: cell(label_en).map(str::to_string),
                scale,
                missing: codes,
                reverse: rev,
            });
        }
        Ok(Codebook { items })
    }

    /// The entry of an item.
    pub fn item(&self, name: &str) -> Option<&CodebookItem> {
        self.items.iter().find(|i| i.item == name)
    }

    /// The label of an item for a report language (`"zh"` uses `label`,
    /// `"en"` uses `label_en` and falls back to `label`).
    pub fn label(&self, name: &str, lang: &str) -> Option<&str> {
        let i = self.item(name)?;
        match lang {
            "en" => i.label_en.as_deref().or(i.label.as_deref()),
            _ => i.label.as_deref().or(i.label_en.as_deref()),
        }
    }

    /// The declared scales, per item.
    pub fn scales(&self) -> Vec<(String, Scale)> {
        self.items
            .iter()
            .filter_map(|i| i.scale.map(|s| (i.item.clone(), s)))
            .collect()
    }

    /// Applies the codebook to the data in place: missing codes → missing,
    /// every other answer checked against the declared scale, reverse items
    /// recoded (in that order).
    ///
    /// # Errors
    /// [`Error::CodebookUnknownItem`] for an item the data lack (with
    /// near-miss suggestions); [`Error::NonNumeric`] for an item column
    /// holding text; [`Error::CodebookOutOfScale`] for an answer outside
    /// the declared scale that is not a declared missing code.
    pub fn apply(&self, data: &mut Dataset) -> Result<Recoding> {
        let mut out = Recoding::default();
        for entry in &self.items {
            if !data.has_column(&entry.item) {
                return Err(Error::CodebookUnknownItem {
                    item: entry.item.clone(),
                    suggestions: crate::error::suggest(
                        &entry.item,
                        data.names().iter().map(String::as_str),
                    ),
                });
            }
            let mut values = match data.column(&entry.item)? {
                ColumnData::Numeric(v) => v.clone(),
                _ => data.numeric(&entry.item)?.to_vec(),
            };
            for &code in &entry.missing {
                let mut cells = 0;
                for x in values.iter_mut().filter(|x| **x == code) {
                    *x = f64::NAN;
                    cells += 1;
                }
                if cells > 0 {
                    out.missing_codes.push(CodeCount {
                        item: entry.item.clone(),
                        code,
                        cells,
                    });
                    out.missing_cells += cells;
                }
            }
            if let Some(s) = entry.scale {
                if let Some((row, &value)) = values
                    .iter()
                    .enumerate()
                    .find(|(_, x)| !x.is_nan() && (**x < s.min || **x > s.max))
                {
                    return Err(Error::CodebookOutOfScale {
                        item: entry.item.clone(),
                        row: row + 1,
                        value,
                        min: s.min,
                        max: s.max,
                    });
                }
                out.declared_scales.push(entry.item.clone());
                if entry.reverse {
                    for x in values.iter_mut().filter(|x| !x.is_nan()) {
                        *x = s.min + s.max - *x;
                    }
                    out.reversed.push(entry.item.clone());
                }
            }
            data.set_numeric(&entry.item, values)?;
            out.items += 1;
        }
        Ok(out)
    }
}

/// Values that look like missing-data codes rather than answers: typical
/// codes (97, 98, 99, 997–999, 9999, −1, −9, −99, −999) that lie far above
/// (or below) the bulk of the answers — the other values span at most 11
/// points (a 0–10 or 1–7 scale). Used to warn when no scale is declared.
pub fn suspect_codes(values: &[f64]) -> Vec<f64> {
    const CODES: [f64; 11] = [
        97.0, 98.0, 99.0, 997.0, 998.0, 999.0, 9999.0, -1.0, -9.0, -99.0, -999.0,
    ];
    let bulk: Vec<f64> = values
        .iter()
        .copied()
        .filter(|x| !x.is_nan() && !CODES.contains(x))
        .collect();
    let (Some(lo), Some(hi)) = (
        bulk.iter().copied().reduce(f64::min),
        bulk.iter().copied().reduce(f64::max),
    ) else {
        return Vec::new();
    };
    if hi - lo > 11.0 {
        return Vec::new();
    }
    let mut found: Vec<f64> = CODES
        .iter()
        .copied()
        .filter(|c| (*c > hi + 5.0 || *c < lo - 0.5) && values.contains(c))
        .collect();
    found.sort_by(f64::total_cmp);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_by_code_sums_cells_and_counts_items_per_code() {
        let count = |item: &str, code: f64, cells: usize| CodeCount {
            item: item.into(),
            code,
            cells,
        };
        let r = Recoding {
            missing_codes: vec![
                count("a", 99.0, 3),
                count("b", 98.0, 1),
                count("b", 99.0, 2),
            ],
            ..Recoding::default()
        };
        assert_eq!(r.cells_by_code(), vec![(99.0, 5, 2), (98.0, 1, 1)]);
    }

    const TEXT: &str = "\u{feff}item,label,min,max,missing,reverse,label_en\n\
        CUSA1,总体满意度,1,10,98;99,,Overall satisfaction\n\
        CUEX2,服务中断次数（反向）,1,5,,yes,Interruptions\n\
        PERQ3,网络信号,,,,,\n";

    #[test]
    fn parses_the_design_example() {
        let cb = Codebook::parse_csv(TEXT).unwrap();
        assert_eq!(cb.items.len(), 3);
        let a = cb.item("CUSA1").unwrap();
        assert_eq!(a.missing, [98.0, 99.0]);
        assert_eq!(a.scale, Some(Scale::new(1.0, 10.0)));
        assert!(cb.item("CUEX2").unwrap().reverse);
        assert_eq!(cb.item("PERQ3").unwrap().scale, None);
        assert_eq!(cb.label("CUSA1", "zh"), Some("总体满意度"));
        assert_eq!(cb.label("CUSA1", "en"), Some("Overall satisfaction"));
        assert_eq!(cb.label("PERQ3", "en"), Some("网络信号"));
    }

    #[test]
    fn applies_codes_scale_and_reverse_in_order() {
        let cb = Codebook::parse_csv(TEXT).unwrap();
        let mut data = Dataset::from_columns(vec![
            ("CUSA1", vec![7.0, 99.0, 10.0, 98.0, 1.0]),
            ("CUEX2", vec![1.0, 2.0, 5.0, f64::NAN, 4.0]),
            ("PERQ3", vec![3.0, 4.0, 5.0, 6.0, 7.0]),
        ])
        .unwrap();
        let r = cb.apply(&mut data).unwrap();
        let sat = data.numeric("CUSA1").unwrap();
        assert_eq!(sat[0], 7.0);
        assert!(sat[1].is_nan() && sat[3].is_nan());
        assert_eq!(r.missing_cells, 2);
        assert_eq!(r.missing_codes.len(), 2);
        let ex = data.numeric("CUEX2").unwrap();
        assert_eq!(ex[0], 5.0);
        assert_eq!(ex[2], 1.0);
        assert!(ex[3].is_nan());
        assert_eq!(r.reversed, ["CUEX2"]);
        assert_eq!(r.declared_scales, ["CUSA1", "CUEX2"]);
    }

    #[test]
    fn out_of_scale_names_item_row_and_value() {
        let cb = Codebook::parse_csv("item,min,max,missing\nq1,1,5,99\n").unwrap();
        let mut data = Dataset::from_columns(vec![("q1", vec![1.0, 99.0, 7.0])]).unwrap();
        let e = cb.apply(&mut data).unwrap_err();
        assert!(matches!(
            e,
            Error::CodebookOutOfScale { ref item, row: 3, value, .. } if item == "q1" && value == 7.0
        ));
    }

    #[test]
    fn bad_codebooks_name_the_line() {
        for (text, line, needle) in [
            ("label\nx\n", 1, "no `item` column"),
            ("item,min,max\nq1,5,1\n", 2, "min must be below max"),
            ("item,min,max\nq1,1,\n", 2, "only one of min and max"),
            ("item,missing\nq1,dk\n", 2, "not a number"),
            ("item,reverse\nq1,yes\n", 2, "no scale"),
            ("item,min,max,reverse\nq1,1,5,maybe\n", 2, "yes or no"),
            ("item\nq1\nq1\n", 3, "twice"),
        ] {
            match Codebook::parse_csv(text) {
                Err(Error::Codebook { line: l, message }) => {
                    assert_eq!(l, line, "{text}");
                    assert!(message.contains(needle), "{message}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn suspect_codes_above_a_ten_point_bulk() {
        let mut v: Vec<f64> = (0..100).map(|i| (i % 10 + 1) as f64).collect();
        assert!(suspect_codes(&v).is_empty());
        v.extend([99.0, 98.0, 99.0]);
        assert_eq!(suspect_codes(&v), [98.0, 99.0]);
        // A 0-100 rating is no 1-10 bulk: nothing flagged.
        let w: Vec<f64> = (0..100).map(f64::from).collect();
        assert!(suspect_codes(&w).is_empty());
    }
}
