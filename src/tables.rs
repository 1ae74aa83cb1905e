//! Writing report tables for spreadsheet users: CSV files that start with a
//! UTF-8 byte-order mark (without it, Excel on Chinese Windows reads UTF-8
//! as GBK and shows Chinese labels as mojibake), and one `.xlsx` workbook
//! with a sheet per table (feature `xlsx`), numbers stored as numbers.

use std::path::Path;

#[cfg(feature = "xlsx")]
use crate::error::Error;
use crate::error::Result;

/// The UTF-8 byte-order mark.
pub const BOM: &str = "\u{feff}";

/// One table: a name (the CSV file's stem and the sheet's name), a header
/// row and rows of formatted cells.
#[derive(Debug, Clone, Copy)]
pub struct SheetTable<'a> {
    /// Name of the table (`index`, `region_impacts`, …).
    pub name: &'a str,
    /// Column headers.
    pub header: &'a [String],
    /// Rows of cells as shown (`0.423`, `—`, `<0.001`, labels).
    pub rows: &'a [Vec<String>],
}

/// The CSV text of a table, with the UTF-8 byte-order mark first.
pub fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8_lossy(&bytes))
}

/// Sheet names for table names: Excel's rules (at most 31 characters, none
/// of `[ ] : * ? / \`, no leading or trailing apostrophe, not `History`),
/// unique without regard to case (a repeated name gets `-2`, `-3`, …
/// within the 31 characters).
pub fn sheet_names<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let cleaned: String = name
            .as_ref()
            .chars()
            .map(|c| {
                if "[]:*?/\\".contains(c) || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let mut base = cleaned.trim_matches('\'').trim().to_string();
        if base.is_empty() {
            base = "Sheet".into();
        }
        if base.eq_ignore_ascii_case("history") {
            base.push('_');
        }
        let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let mut candidate = cut(&base, 31);
        let mut k = 2;
        while taken.contains(&candidate.to_lowercase()) {
            let suffix = format!("-{k}");
            candidate = format!("{}{suffix}", cut(&base, 31 - suffix.len()));
            k += 1;
        }
        taken.push(candidate.to_lowercase());
        out.push(candidate);
    }
    out
}

/// The number a cell shows, if it is a plain number (`-0.25`, `12`, `1e-5`;
/// not `<0.001`, `—`, `inf` or a label such as `2024-01`).
pub fn cell_number(cell: &str) -> Option<f64> {
    let t = cell.trim();
    let plain = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+'))
        && t.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.');
    if !plain {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Writes the tables as one workbook, a sheet per table (named by
/// [`sheet_names`]): header in the first row, numbers as numbers, `—`
/// (not available) as an empty cell, other cells as text.
///
/// # Errors
/// [`Error::Io`] when the workbook cannot be written.
#[cfg(feature = "xlsx")]
pub fn write_workbook(path: &Path, tables: &[SheetTable<'_>]) -> Result<()> {
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Io {
        path: path.display().to_string(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let names = sheet_names(&tables.iter().map(|t| t.name).collect::<Vec<_>>());
    for (t, name) in tables.iter().zip(&names) {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(fail)?;
        for (j, h) in t.header.iter().enumerate() {
            sheet.write_string(0, j as u16, h).map_err(fail)?;
        }
        for (i, r) in t.rows.iter().enumerate() {
            let row = (i + 1) as u32;
            for (j, cell) in r.iter().enumerate() {
                let col = j as u16;
                if let Some(x) = cell_number(cell) {
                    sheet.write_number(row, col, x).map_err(fail)?;
                } else if cell != "—" && !cell.is_empty() {
                    sheet.write_string(row, col, cell).map_err(fail)?;
                }
            }
        }
    }
    book.save(path).map_err(fail)
}

/// Without the `xlsx` feature no workbook is written.
///
/// # Errors
/// Never.
#[cfg(not(feature = "xlsx"))]
pub fn write_workbook(_path: &Path, _tables: &[SheetTable<'_>]) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excels_rules() {
        let long = "a_very_long_segment_column_name_impact_differences";
        let names = sheet_names(&[
            "index",
            "Index",
            long,
            long,
            "a/b:c",
            "'quoted'",
            "",
            "History",
            "地区_index",
        ]);
        assert_eq!(names[0], "index");
        assert_eq!(names[1], "Index-2");
        assert_eq!(names[2].chars().count(), 31);
        assert_eq!(names[3], format!("{}-2", &long[..29]));
        assert_eq!(names[4], "a_b_c");
        assert_eq!(names[5], "quoted");
        assert_eq!(names[6], "Sheet");
        assert_eq!(names[7], "History_");
        assert_eq!(names[8], "地区_index");
    }

    #[test]
    fn numbers_and_text_cells() {
        assert_eq!(cell_number("0.423"), Some(0.423));
        assert_eq!(cell_number("-12"), Some(-12.0));
        assert_eq!(cell_number("1e-5"), Some(1e-5));
        for text in ["<0.001", "—", "inf", "NaN", "2024-01", "north", "", "+"] {
            assert_eq!(cell_number(text), None, "{text}");
        }
    }

    #[test]
    fn csv_starts_with_the_bom() {
        let text = csv_text(
            &["地区".into(), "n".into()],
            &[vec!["华东".into(), "3".into()]],
        );
        assert_eq!(text, "\u{feff}地区,n\n华东,3\n");
    }
}
