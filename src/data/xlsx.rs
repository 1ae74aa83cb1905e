//! Excel workbooks (`.xlsx`), read cell by cell with calamine's streaming
//! reader: the sheet is never held in memory as a grid.

use std::path::Path;

use calamine::{DataRef, ExcelDateTime, Reader, Xlsx, XlsxError, open_workbook};

use super::{Cell, CellParser, ColumnBuilder, FileFormat, Parsed, ReadOptions, ReadReport};
use crate::error::{Error, Result};

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `C7` for 0-based (row, column).
fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// A date cell as ISO text: `YYYY-MM-DD`, with ` HH:MM:SS` when it has a
/// time; a time of day alone (serial below 1) as `HH:MM:SS`; a duration as
/// `H:MM:SS`.
fn date_text(d: &ExcelDateTime) -> String {
    let serial = d.as_f64();
    if d.is_duration() || (0.0..1.0).contains(&serial) {
        let total = (serial * 86_400.0).round() as i64;
        let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
        return if d.is_duration() {
            format!("{h}:{m:02}:{s:02}")
        } else {
            format!("{h:02}:{m:02}:{s:02}")
        };
    }
    let (y, mo, day, h, mi, s, _ms) = d.to_ymd_hms_milli();
    if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{day:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
    }
}

/// A cell's text, for headers and messages.
fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Empty => String::new(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(x) => super::format_number(*x),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        DataRef::DateTime(d) => date_text(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

fn is_blank(v: &DataRef<'_>) -> bool {
    match v {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn push(builder: &mut ColumnBuilder, parser: &CellParser, v: Option<&DataRef<'_>>) {
    let cell = match v {
        None | Some(DataRef::Empty) => Cell::Missing,
        Some(DataRef::Int(i)) => parser.number(*i as f64),
        Some(DataRef::Float(x)) => parser.number(*x),
        Some(DataRef::Bool(b)) => parser.number(if *b { 1.0 } else { 0.0 }),
        Some(DataRef::String(s)) => parser.text(s),
        Some(DataRef::SharedString(s)) => parser.text(s),
        Some(other) => {
            let text = cell_text(other);
            builder.push(parser.text(&text));
            return;
        }
    };
    builder.push(cell);
}

fn workbook_error(path: &str, e: XlsxError) -> Error {
    match e {
        XlsxError::Io(source) => Error::Io {
            path: path.into(),
            source,
        },
        XlsxError::Zip(z) => Error::Workbook {
            path: path.into(),
            message: format!("it is not an .xlsx workbook (its zip container is unreadable: {z})"),
        },
        other => Error::Workbook {
            path: path.into(),
            message: other.to_string(),
        },
    }
}

/// The header and the rows read so far.
struct Table {
    /// First and last column of the header (0-based).
    first: u32,
    last: u32,
    header_row: u32,
    builders: Vec<ColumnBuilder>,
    names: Vec<String>,
    rows: usize,
    last_row: u32,
    pending_empty: usize,
    between: usize,
}

/// Reads the first sheet (or `options.sheet`) of an `.xlsx` workbook.
pub(super) fn read(path: &Path, options: &ReadOptions) -> Result<Parsed> {
    let shown = path.display().to_string();
    let mut workbook: Xlsx<_> = open_workbook(path).map_err(|e| workbook_error(&shown, e))?;
    let sheets = workbook.sheet_names();
    let sheet = match &options.sheet {
        Some(want) => sheets
            .iter()
            .find(|s| *s == want)
            .or_else(|| {
                // Excel's sheet names are case-insensitive.
                let mut same = sheets
                    .iter()
                    .filter(|s| s.to_lowercase() == want.to_lowercase());
                match (same.next(), same.next()) {
                    (Some(one), None) => Some(one),
                    _ => None,
                }
            })
            .cloned()
            .ok_or_else(|| Error::UnknownSheet {
                path: shown.clone(),
                sheet: want.clone(),
                sheets: sheets.clone(),
            })?,
        None => sheets.first().cloned().ok_or_else(|| Error::Workbook {
            path: shown.clone(),
            message: "it has no sheets".into(),
        })?,
    };
    let parser = CellParser::new(options);
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| workbook_error(&shown, e))?;
    let mut table: Option<Table> = None;
    let mut row: Vec<(u32, DataRef<'_>)> = Vec::new();
    let mut row_index: Option<u32> = None;
    loop {
        let next = cells.next_cell().map_err(|e| workbook_error(&shown, e))?;
        let pos = next.as_ref().map(|c| c.get_position());
        if let Some(r) = row_index
            && pos.is_none_or(|(pr, _)| pr != r)
        {
            if let Some((pr, _)) = pos
                && pr < r
            {
                return Err(Error::Workbook {
                    path: shown,
                    message: format!(
                        "row {} comes after row {} in the sheet's file; open and save the workbook in Excel",
                        pr + 1,
                        r + 1
                    ),
                });
            }
            flush(&mut table, r, &mut row, &parser, &shown)?;
        }
        let Some(cell) = next else { break };
        let (r, c) = cell.get_position();
        row_index = Some(r);
        row.push((c, cell.get_value().clone()));
    }
    let Some(t) = table else {
        return Ok(Parsed {
            names: Vec::new(),
            builders: Vec::new(),
            rows: 0,
            report: report(shown, sheet, options, 0, 0, 0),
        });
    };
    Ok(Parsed {
        names: t.names,
        builders: t.builders,
        rows: t.rows,
        report: report(
            shown,
            sheet,
            options,
            t.rows,
            t.between + t.pending_empty,
            t.between,
        ),
    })
}

fn report(
    path: String,
    sheet: String,
    options: &ReadOptions,
    rows: usize,
    empty_rows: usize,
    empty_rows_between: usize,
) -> ReadReport {
    ReadReport {
        path: Some(path),
        format: FileFormat::Xlsx,
        encoding: None,
        encoding_detected: false,
        byte_order_mark: false,
        delimiter: None,
        delimiter_detected: false,
        decimal_comma: options.decimal_comma,
        sheet: Some(sheet),
        rows,
        empty_rows,
        empty_rows_between,
    }
}

/// Takes in one sheet row: the header (the first row with a non-empty
/// cell), or a data row, or an empty row (counted).
fn flush(
    table: &mut Option<Table>,
    r: u32,
    row: &mut Vec<(u32, DataRef<'_>)>,
    parser: &CellParser,
    path: &str,
) -> Result<()> {
    let filled: Vec<&(u32, DataRef<'_>)> = row.iter().filter(|(_, v)| !is_blank(v)).collect();
    match table {
        None => {
            if let (Some(first), Some(last)) = (
                filled.iter().map(|(c, _)| *c).min(),
                filled.iter().map(|(c, _)| *c).max(),
            ) {
                let mut names = vec![String::new(); (last - first + 1) as usize];
                for (c, v) in row.iter() {
                    if (first..=last).contains(c) {
                        names[(c - first) as usize] = cell_text(v);
                    }
                }
                *table = Some(Table {
                    first,
                    last,
                    header_row: r,
                    builders: names.iter().map(|_| ColumnBuilder::default()).collect(),
                    names,
                    rows: 0,
                    last_row: r,
                    pending_empty: 0,
                    between: 0,
                });
            }
        }
        Some(t) => {
            // Rows missing from the sheet's file are empty rows too.
            t.pending_empty += (r - t.last_row - 1) as usize;
            t.last_row = r;
            if filled.is_empty() {
                t.pending_empty += 1;
            } else {
                if let Some((c, v)) = filled.iter().find(|(c, _)| !(t.first..=t.last).contains(c)) {
                    return Err(Error::Workbook {
                        path: path.into(),
                        message: format!(
                            "cell {} holds `{}` outside the table, whose header (row {}) spans columns {} to {}; give its column a header or clear the cell",
                            cell_ref(r, *c),
                            cell_text(v),
                            t.header_row + 1,
                            column_letters(t.first),
                            column_letters(t.last)
                        ),
                    });
                }
                t.between += t.pending_empty;
                t.pending_empty = 0;
                let width = (t.last - t.first + 1) as usize;
                let mut cells: Vec<Option<&DataRef<'_>>> = vec![None; width];
                for (c, v) in row.iter() {
                    if (t.first..=t.last).contains(c) {
                        cells[(c - t.first) as usize] = Some(v);
                    }
                }
                for (b, v) in t.builders.iter_mut().zip(cells) {
                    push(b, parser, v);
                }
                t.rows += 1;
            }
        }
    }
    row.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_and_refs() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(cell_ref(11, 7), "H12");
    }

    #[test]
    fn dates_as_iso_text() {
        use calamine::ExcelDateTimeType;
        // 45306 = 2024-01-15 (1900 system); .5 = noon.
        let d = ExcelDateTime::new(45306.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d), "2024-01-15");
        let d = ExcelDateTime::new(45306.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d), "2024-01-15 12:00:00");
        let t = ExcelDateTime::new(0.25, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&t), "06:00:00");
        let span = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(date_text(&span), "36:00:00");
    }
}
