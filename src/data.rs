//! Survey data: named columns of numbers (or text), `NaN` marking a missing value.
//!
//! A [`Dataset`] is read from a file ([`Dataset::read`]: CSV or, with the
//! `xlsx` feature, an Excel workbook, chosen by the file's extension), from
//! CSV text ([`Dataset::from_csv_with`], [`Dataset::from_reader`]) or built
//! from columns ([`Dataset::from_columns`]), a row-major slice
//! ([`Dataset::from_row_major`]), an `ndarray::Array2` (feature `ndarray`) or a
//! `nalgebra::DMatrix` ([`Dataset::from_nalgebra`], always available; the
//! `nalgebra` feature is a no-op kept for compatibility).
//!
//! **Files as analysts have them** ([`ReadOptions`]): UTF-8 with or without
//! a byte-order mark, GB18030/GBK (what Excel writes as "CSV" on Chinese
//! Windows; detected when the file is not valid UTF-8), UTF-16 with a
//! byte-order mark (Excel's "Unicode text"); `,` `;` or tab delimiters
//! detected from the header line; an optional decimal comma; `.xlsx`
//! workbooks (first sheet or a named one). Rows whose every cell is empty
//! (Excel's trailing empty rows) are not respondents: they are skipped and
//! counted. What was detected is kept with the data as a [`ReadReport`]
//! ([`Dataset::source`]), which the analysis documents show.
//!
//! **Column types.** Columns are typed lazily: a column whose cells are all
//! numbers (or missing) is numeric. A column with a few text cells among
//! numbers (one stray `N/A` in two million answers) keeps its numbers and
//! only the few text cells, so it costs about 8 bytes a row; using it as a
//! number is an [`Error::NonNumeric`] naming the first text cell. A column
//! that is mostly text is kept as text. Text columns are fine as long as no
//! model uses them as indicators; they can still serve as segment (group)
//! or period columns ([`Dataset::labels`]).

mod read;
#[cfg(feature = "xlsx")]
mod xlsx;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Error, Result, suggest};

pub use read::{Encoding, FileFormat, ReadOptions, ReadReport};

/// The earlier name of [`ReadOptions`] (from when CSV was the only format).
pub type CsvOptions = ReadOptions;

/// The values of one column. Equality treats two missing values as equal.
#[derive(Debug, Clone)]
pub enum ColumnData {
    /// Numbers; `NaN` = missing.
    Numeric(Vec<f64>),
    /// Text, with the first cell that is not a number (1-based row, text) for error messages.
    /// Missing cells are empty strings; cells that are numbers are written as
    /// [`Dataset::labels`] writes them (`1.0` as `1`).
    Text {
        /// The cells.
        values: Vec<String>,
        /// First non-numeric cell: (1-based row, its text).
        first_non_numeric: (usize, String),
    },
}

fn same_numbers(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
}

impl PartialEq for ColumnData {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ColumnData::Numeric(a), ColumnData::Numeric(b)) => same_numbers(a, b),
            (
                ColumnData::Text {
                    values: a,
                    first_non_numeric: fa,
                },
                ColumnData::Text {
                    values: b,
                    first_non_numeric: fb,
                },
            ) => a == b && fa == fb,
            _ => false,
        }
    }
}

/// How a column is held.
#[derive(Debug, Clone)]
enum Column {
    /// Numbers or text, as [`ColumnData`].
    Plain(ColumnData),
    /// Numbers with a few text cells.
    Mixed(Box<Mixed>),
}

/// A mostly numeric column: the numbers (`NaN` at missing and text cells)
/// and the text cells alone, so that a stray `N/A` costs one entry, not a
/// `String` per row.
#[derive(Debug, Clone)]
struct Mixed {
    numbers: Vec<f64>,
    /// (0-based row, text), rows ascending.
    text: Vec<(usize, String)>,
    /// First text cell of the data this column was read as (1-based row).
    first_non_numeric: (usize, String),
    /// The column as [`ColumnData::Text`], made on the first call of
    /// [`Dataset::column`] only.
    view: OnceLock<ColumnData>,
}

impl Mixed {
    fn text_at(&self, row: usize) -> Option<&str> {
        self.text
            .binary_search_by_key(&row, |(r, _)| *r)
            .ok()
            .map(|i| self.text[i].1.as_str())
    }

    fn label(&self, row: usize) -> Option<String> {
        match self.text_at(row) {
            Some(t) => Some(t.to_string()),
            None => {
                let x = self.numbers[row];
                (!x.is_nan()).then(|| format_number(x))
            }
        }
    }

    fn view(&self) -> &ColumnData {
        self.view.get_or_init(|| ColumnData::Text {
            values: (0..self.numbers.len())
                .map(|r| self.label(r).unwrap_or_default())
                .collect(),
            first_non_numeric: self.first_non_numeric.clone(),
        })
    }
}

impl PartialEq for Column {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Column::Plain(a), Column::Plain(b)) => a == b,
            (Column::Mixed(a), Column::Mixed(b)) => {
                same_numbers(&a.numbers, &b.numbers)
                    && a.text == b.text
                    && a.first_non_numeric == b.first_non_numeric
            }
            _ => false,
        }
    }
}

impl Column {
    /// Approximate heap bytes.
    fn heap_bytes(&self) -> usize {
        let strings =
            |v: &[String]| std::mem::size_of_val(v) + v.iter().map(String::capacity).sum::<usize>();
        match self {
            Column::Plain(ColumnData::Numeric(v)) => v.capacity() * 8,
            Column::Plain(ColumnData::Text {
                values,
                first_non_numeric,
            }) => {
                strings(values)
                    + (values.capacity() - values.len()) * std::mem::size_of::<String>()
                    + first_non_numeric.1.capacity()
            }
            Column::Mixed(m) => {
                std::mem::size_of::<Mixed>()
                    + m.numbers.capacity() * 8
                    + m.text.capacity() * std::mem::size_of::<(usize, String)>()
                    + m.text.iter().map(|(_, s)| s.capacity()).sum::<usize>()
                    + m.first_non_numeric.1.capacity()
                    + m.view.get().map_or(0, |v| match v {
                        ColumnData::Text { values, .. } => strings(values),
                        ColumnData::Numeric(v) => v.capacity() * 8,
                    })
            }
        }
    }
}

/// A cell, classified.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    /// Empty, or a missing-value marker.
    Missing,
    /// A number.
    Number(f64),
    /// Text that is not a number (trimmed).
    Text(&'a str),
}

/// Turns cell texts into [`Cell`]s: missing-value markers, numbers (with
/// an optional decimal comma), text.
#[derive(Debug, Clone)]
pub(crate) struct CellParser {
    na_text: Vec<String>,
    na_num: Vec<f64>,
    decimal_comma: bool,
}

impl CellParser {
    pub(crate) fn new(options: &ReadOptions) -> Self {
        let na_text: Vec<String> = options.na.iter().map(|s| s.trim().to_string()).collect();
        let na_num = na_text
            .iter()
            .filter_map(|s| s.parse::<f64>().ok())
            .collect();
        CellParser {
            na_text,
            na_num,
            decimal_comma: options.decimal_comma,
        }
    }

    /// A cell given as text.
    pub(crate) fn text<'a>(&self, raw: &'a str) -> Cell<'a> {
        let s = raw.trim();
        if s.is_empty() || self.na_text.iter().any(|m| m == s) {
            return Cell::Missing;
        }
        match self.parse_number(s) {
            Some(x) => self.number(x),
            None => Cell::Text(s),
        }
    }

    /// A cell given as a number.
    pub(crate) fn number<'a>(&self, x: f64) -> Cell<'a> {
        if self.na_num.contains(&x) {
            Cell::Missing
        } else {
            Cell::Number(x)
        }
    }

    /// `3.5`, and with a decimal comma also `3,5` (one comma, no point).
    fn parse_number(&self, s: &str) -> Option<f64> {
        if let Ok(x) = s.parse::<f64>() {
            return Some(x);
        }
        if self.decimal_comma && !s.contains('.') && s.matches(',').count() == 1 {
            return s.replacen(',', ".", 1).parse::<f64>().ok();
        }
        None
    }
}

/// More text cells than this (and more than half the rows so far) make a
/// column a text column.
const TEXT_AFTER: usize = 16;

/// Builds one column cell by cell: numbers with a sparse list of text cells
/// while the column is mostly numeric, one string per cell once it is
/// mostly text.
#[derive(Debug, Clone, Default)]
pub(crate) struct ColumnBuilder {
    numbers: Vec<f64>,
    text: Vec<(usize, String)>,
    dense: Option<Vec<String>>,
    first: Option<(usize, String)>,
    rows: usize,
}

impl ColumnBuilder {
    pub(crate) fn push(&mut self, cell: Cell<'_>) {
        match (&mut self.dense, cell) {
            (Some(d), Cell::Missing) => d.push(String::new()),
            (Some(d), Cell::Number(x)) => d.push(format_number(x)),
            (Some(d), Cell::Text(s)) => {
                d.push(s.to_string());
                if self.first.is_none() {
                    self.first = Some((self.rows + 1, s.to_string()));
                }
            }
            (None, Cell::Missing) => self.numbers.push(f64::NAN),
            (None, Cell::Number(x)) => self.numbers.push(x),
            (None, Cell::Text(s)) => {
                self.numbers.push(f64::NAN);
                self.text.push((self.rows, s.to_string()));
                if self.first.is_none() {
                    self.first = Some((self.rows + 1, s.to_string()));
                }
                if self.text.len() > TEXT_AFTER && 2 * self.text.len() > self.rows + 1 {
                    self.make_dense();
                }
            }
        }
        self.rows += 1;
    }

    fn make_dense(&mut self) {
        let numbers = std::mem::take(&mut self.numbers);
        let mut text = std::mem::take(&mut self.text).into_iter().peekable();
        let mut values = Vec::with_capacity(numbers.len().max(16) * 2);
        for (r, x) in numbers.into_iter().enumerate() {
            if text.peek().is_some_and(|(tr, _)| *tr == r) {
                values.push(text.next().map(|(_, s)| s).unwrap_or_default());
            } else if x.is_nan() {
                values.push(String::new());
            } else {
                values.push(format_number(x));
            }
        }
        self.dense = Some(values);
    }

    fn finish(self) -> Column {
        let first = self.first.unwrap_or_default();
        match self.dense {
            Some(mut values) => {
                values.shrink_to_fit();
                Column::Plain(ColumnData::Text {
                    values,
                    first_non_numeric: first,
                })
            }
            None => {
                let mut numbers = self.numbers;
                numbers.shrink_to_fit();
                if self.text.is_empty() {
                    Column::Plain(ColumnData::Numeric(numbers))
                } else {
                    let mut text = self.text;
                    text.shrink_to_fit();
                    Column::Mixed(Box::new(Mixed {
                        numbers,
                        text,
                        first_non_numeric: first,
                        view: OnceLock::new(),
                    }))
                }
            }
        }
    }
}

/// A table of named columns of equal length.
///
/// Equality compares the names and the cells, not where the data came
/// from ([`Dataset::source`]): a GBK file and its UTF-8 copy read equal.
#[derive(Debug, Clone)]
pub struct Dataset {
    names: Vec<String>,
    columns: Vec<Column>,
    index: HashMap<String, usize>,
    n_rows: usize,
    source: Option<Box<ReadReport>>,
}

impl PartialEq for Dataset {
    fn eq(&self, other: &Self) -> bool {
        self.n_rows == other.n_rows && self.names == other.names && self.columns == other.columns
    }
}

impl Dataset {
    /// Reads a data file: an Excel workbook when the name ends in `.xlsx` or
    /// `.xlsm` (feature `xlsx`), otherwise CSV text (any other extension:
    /// `.csv`, `.txt`, `.tsv`, none). Encoding, delimiter, decimal comma,
    /// sheet and missing-value markers come from `options`; what was used
    /// is kept in [`Dataset::source`].
    ///
    /// ```
    /// use csikit::{Dataset, ReadOptions};
    /// let path = std::env::temp_dir().join(format!("csikit-doc-read-{}.csv", std::process::id()));
    /// // Excel's "CSV UTF-8": a byte-order mark; `;` delimiters and decimal commas
    /// // (European settings); two trailing empty rows.
    /// std::fs::write(&path, "\u{feff}满意度;region\n7,5;north\n8;south\n;\n;\n")?;
    /// let data = Dataset::read(&path, &ReadOptions::default().decimal_comma(true))?;
    /// assert_eq!(data.numeric("满意度")?, &[7.5, 8.0]);
    /// let source = data.source().unwrap();
    /// assert_eq!((source.delimiter.as_deref(), source.empty_rows), (Some(";"), 2));
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::UnsupportedFormat`]
    /// for `.xls`, `.sav` and other formats csikit does not read; the errors
    /// of [`Dataset::from_csv_with`] and (for workbooks) [`Error::Workbook`],
    /// [`Error::UnknownSheet`].
    pub fn read(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Self> {
        let path = path.as_ref();
        match FileFormat::of_path(path)? {
            FileFormat::Csv => Self::from_csv_with(path, options),
            FileFormat::Xlsx => Self::from_xlsx(path, options),
        }
    }

    /// Reads the first sheet of an Excel workbook (or `options.sheet`): the
    /// first row with a non-empty cell is the header; numbers, text, empty
    /// cells, booleans (as 1/0), dates (as ISO `YYYY-MM-DD` text, with
    /// ` HH:MM:SS` when the cell has a time) and the cached values of
    /// formulas (the values Excel stored when it last calculated; a
    /// workbook written by a program that does not calculate may cache 0:
    /// open and save such a file in Excel first). Error cells (`#N/A`) are text, so a model column holding
    /// one fails with [`Error::NonNumeric`] unless `#N/A` is declared
    /// missing. Text cells go through the same rules as CSV cells (missing
    /// markers, numbers stored as text, the decimal comma).
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::Workbook`] (not a workbook; a cell outside
    /// the header's columns), [`Error::UnknownSheet`],
    /// [`Error::DuplicateColumn`]; without the `xlsx` feature
    /// [`Error::UnsupportedFormat`].
    pub fn from_xlsx(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Self> {
        let path = path.as_ref();
        #[cfg(feature = "xlsx")]
        {
            let parsed = xlsx::read(path, options)?;
            parsed.into_dataset()
        }
        #[cfg(not(feature = "xlsx"))]
        {
            let _ = options;
            Err(Error::UnsupportedFormat {
                path: path.display().to_string(),
                format: "an Excel workbook".into(),
                hint: "this build of csikit lacks the `xlsx` feature: rebuild with it, or save the sheet as CSV".into(),
            })
        }
    }

    /// Reads a CSV file with a header row, default [`ReadOptions`].
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read, [`Error::Csv`] if it is
    /// malformed, [`Error::DuplicateColumn`] if two columns share a name.
    pub fn from_csv(path: impl AsRef<Path>) -> Result<Self> {
        Self::from_csv_with(path, &ReadOptions::default())
    }

    /// Reads a CSV file with a header row and the given options, whatever
    /// its extension. The file is read twice when its encoding is detected
    /// (once to check that it is UTF-8), never held in memory whole.
    ///
    /// # Errors
    /// As [`Dataset::from_reader`], and [`Error::Io`] if the file cannot be
    /// read; [`Error::UnsupportedFormat`] if it is a workbook (zip or OLE
    /// file) whatever its name.
    pub fn from_csv_with(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Self> {
        read::csv_file(path.as_ref(), options)?.into_dataset()
    }

    /// Reads CSV text (header row first) from any reader. With
    /// [`Encoding::Auto`] the input is read into memory first to check
    /// whether it is UTF-8; a forced encoding streams it.
    ///
    /// ```
    /// use csikit::{CsvOptions, Dataset};
    /// let csv = "a,b,region\n1,2,north\n-99,4,south\n";
    /// let data = Dataset::from_reader(csv.as_bytes(), &CsvOptions::default().na("-99")).unwrap();
    /// assert_eq!(data.n_rows(), 2);
    /// assert!(data.numeric("a").unwrap()[1].is_nan());
    /// assert!(data.numeric("region").is_err()); // text column
    /// ```
    ///
    /// # Errors
    /// [`Error::Csv`] if the text is malformed, [`Error::Encoding`] if it
    /// does not decode, [`Error::DuplicateColumn`] if two columns share a
    /// name, [`Error::InvalidSetting`] for a decimal comma with `,` as the
    /// delimiter.
    pub fn from_reader<R: Read>(reader: R, options: &ReadOptions) -> Result<Self> {
        read::csv_reader(reader, options)?.into_dataset()
    }

    /// Builds a dataset from named numeric columns of equal length (`NaN` = missing).
    ///
    /// # Errors
    /// [`Error::Shape`] if lengths differ, [`Error::DuplicateColumn`] if names repeat.
    pub fn from_columns<S: Into<String>>(columns: Vec<(S, Vec<f64>)>) -> Result<Self> {
        let n = columns.first().map_or(0, |c| c.1.len());
        let mut names = Vec::with_capacity(columns.len());
        let mut data = Vec::with_capacity(columns.len());
        for (name, col) in columns {
            let name = name.into();
            if col.len() != n {
                return Err(Error::Shape {
                    message: format!(
                        "column `{name}` has {} values, the first column {n}",
                        col.len()
                    ),
                });
            }
            names.push(name);
            data.push(Column::Plain(ColumnData::Numeric(col)));
        }
        Self::from_parts(names, data, n)
    }

    /// Builds a dataset from a row-major slice of `names.len()` columns.
    ///
    /// # Errors
    /// [`Error::Shape`] if `values.len()` is not a multiple of `names.len()`,
    /// [`Error::DuplicateColumn`] if names repeat.
    pub fn from_row_major<S: AsRef<str>>(names: &[S], values: &[f64]) -> Result<Self> {
        let p = names.len();
        if p == 0 || !values.len().is_multiple_of(p) {
            return Err(Error::Shape {
                message: format!("{} values do not fill rows of {p} columns", values.len()),
            });
        }
        let n = values.len() / p;
        let cols = names
            .iter()
            .enumerate()
            .map(|(j, name)| {
                let col: Vec<f64> = (0..n).map(|i| values[i * p + j]).collect();
                (name.as_ref().to_string(), col)
            })
            .collect();
        Self::from_columns(cols)
    }

    /// Builds a dataset from an `ndarray` matrix (rows = observations) and column names.
    ///
    /// # Errors
    /// [`Error::Shape`] if the number of names differs from the number of columns.
    #[cfg(feature = "ndarray")]
    pub fn from_ndarray<S: AsRef<str>>(
        names: &[S],
        array: ndarray::ArrayView2<'_, f64>,
    ) -> Result<Self> {
        if names.len() != array.ncols() {
            return Err(Error::Shape {
                message: format!("{} names for {} columns", names.len(), array.ncols()),
            });
        }
        let cols = names
            .iter()
            .zip(array.columns())
            .map(|(name, col)| (name.as_ref().to_string(), col.to_vec()))
            .collect();
        Self::from_columns(cols)
    }

    /// Builds a dataset from a `nalgebra` matrix (rows = observations) and column names.
    ///
    /// # Errors
    /// [`Error::Shape`] if the number of names differs from the number of columns.
    pub fn from_nalgebra<S: AsRef<str>>(
        names: &[S],
        matrix: &nalgebra::DMatrix<f64>,
    ) -> Result<Self> {
        if names.len() != matrix.ncols() {
            return Err(Error::Shape {
                message: format!("{} names for {} columns", names.len(), matrix.ncols()),
            });
        }
        let cols = names
            .iter()
            .zip(matrix.column_iter())
            .map(|(name, col)| (name.as_ref().to_string(), col.iter().copied().collect()))
            .collect();
        Self::from_columns(cols)
    }

    fn from_parts(names: Vec<String>, columns: Vec<Column>, n_rows: usize) -> Result<Self> {
        let mut index = HashMap::with_capacity(names.len());
        for (j, name) in names.iter().enumerate() {
            if let Some(&first) = index.get(name) {
                return Err(Error::DuplicateColumn {
                    name: name.clone(),
                    first: first + 1,
                    second: j + 1,
                });
            }
            index.insert(name.clone(), j);
        }
        Ok(Dataset {
            names,
            columns,
            index,
            n_rows,
            source: None,
        })
    }

    /// Where the data were read from and what was detected (format,
    /// encoding, delimiter, rows, empty rows skipped); `None` for data built
    /// in memory.
    pub fn source(&self) -> Option<&ReadReport> {
        self.source.as_deref()
    }

    /// Sets (or clears) the record of where the data came from.
    pub fn set_source(&mut self, source: Option<ReadReport>) {
        self.source = source.map(Box::new);
    }

    /// Approximate bytes the cells take on the heap (numbers 8 bytes each;
    /// text cells their `String` and its characters), for memory budgets.
    pub fn heap_bytes(&self) -> usize {
        self.columns.iter().map(Column::heap_bytes).sum::<usize>()
            + self.names.iter().map(|n| 2 * n.capacity()).sum::<usize>()
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns.
    pub fn n_columns(&self) -> usize {
        self.names.len()
    }

    /// Column names in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether a column of this name exists.
    pub fn has_column(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    fn stored(&self, name: &str) -> Result<&Column> {
        match self.index.get(name) {
            Some(&j) => Ok(&self.columns[j]),
            None => Err(Error::UnknownColumn {
                name: name.to_string(),
                suggestions: suggest(name, self.names.iter().map(String::as_str)),
            }),
        }
    }

    /// A column's data, whatever its type. A mostly numeric column with a
    /// few text cells is shown as [`ColumnData::Text`]; that view (one
    /// `String` per row) is made on the first call for the column and kept.
    /// [`Dataset::numeric`] and [`Dataset::labels`] do not need it.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] (with near matches) if there is no such column.
    pub fn column(&self, name: &str) -> Result<&ColumnData> {
        Ok(match self.stored(name)? {
            Column::Plain(c) => c,
            Column::Mixed(m) => m.view(),
        })
    }

    /// A numeric column (`NaN` = missing).
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] if absent, [`Error::NonNumeric`] (naming the first
    /// offending cell) if the column holds text.
    pub fn numeric(&self, name: &str) -> Result<&[f64]> {
        let first = match self.stored(name)? {
            Column::Plain(ColumnData::Numeric(v)) => return Ok(v),
            Column::Plain(ColumnData::Text {
                first_non_numeric, ..
            }) => first_non_numeric,
            Column::Mixed(m) => &m.first_non_numeric,
        };
        Err(Error::NonNumeric {
            column: name.to_string(),
            row: first.0,
            value: first.1.clone(),
        })
    }

    /// A column's cells as text labels (numbers formatted, missing = `None`),
    /// e.g. for segment columns.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] if absent.
    pub fn labels(&self, name: &str) -> Result<Vec<Option<String>>> {
        Ok(match self.stored(name)? {
            Column::Plain(ColumnData::Numeric(v)) => v
                .iter()
                .map(|x| (!x.is_nan()).then(|| format_number(*x)))
                .collect(),
            Column::Plain(ColumnData::Text { values, .. }) => values
                .iter()
                .map(|s| (!s.is_empty()).then(|| s.clone()))
                .collect(),
            Column::Mixed(m) => (0..self.n_rows).map(|r| m.label(r)).collect(),
        })
    }

    /// A new dataset with the rows at `rows` (in that order; repeats allowed).
    ///
    /// # Errors
    /// [`Error::Shape`] if an index is out of range.
    pub fn take_rows(&self, rows: &[usize]) -> Result<Self> {
        if let Some(&bad) = rows.iter().find(|&&r| r >= self.n_rows) {
            return Err(Error::Shape {
                message: format!("row index {bad} out of range for {} rows", self.n_rows),
            });
        }
        let columns = self
            .columns
            .iter()
            .map(|c| match c {
                Column::Plain(ColumnData::Numeric(v)) => {
                    Column::Plain(ColumnData::Numeric(rows.iter().map(|&r| v[r]).collect()))
                }
                Column::Plain(ColumnData::Text {
                    values,
                    first_non_numeric,
                }) => Column::Plain(ColumnData::Text {
                    values: rows.iter().map(|&r| values[r].clone()).collect(),
                    first_non_numeric: first_non_numeric.clone(),
                }),
                Column::Mixed(m) => Column::Mixed(Box::new(Mixed {
                    numbers: rows.iter().map(|&r| m.numbers[r]).collect(),
                    text: rows
                        .iter()
                        .enumerate()
                        .filter_map(|(i, &r)| m.text_at(r).map(|t| (i, t.to_string())))
                        .collect(),
                    first_non_numeric: m.first_non_numeric.clone(),
                    view: OnceLock::new(),
                })),
            })
            .collect();
        Ok(Dataset {
            names: self.names.clone(),
            columns,
            index: self.index.clone(),
            n_rows: rows.len(),
            source: self.source.clone(),
        })
    }

    /// Replaces (or adds) a numeric column.
    ///
    /// # Errors
    /// [`Error::Shape`] if its length differs from the number of rows.
    pub fn set_numeric(&mut self, name: &str, values: Vec<f64>) -> Result<()> {
        if values.len() != self.n_rows && !self.names.is_empty() {
            return Err(Error::Shape {
                message: format!(
                    "column `{name}` has {} values for {} rows",
                    values.len(),
                    self.n_rows
                ),
            });
        }
        if self.names.is_empty() {
            self.n_rows = values.len();
        }
        self.put(name, Column::Plain(ColumnData::Numeric(values)));
        Ok(())
    }

    fn put(&mut self, name: &str, col: Column) {
        match self.index.get(name) {
            Some(&j) => self.columns[j] = col,
            None => {
                self.index.insert(name.to_string(), self.names.len());
                self.names.push(name.to_string());
                self.columns.push(col);
            }
        }
    }

    /// Replaces (or adds) a text column (empty string = missing). On a dataset
    /// without columns it sets the number of rows (as [`Dataset::set_numeric`]).
    ///
    /// # Errors
    /// [`Error::Shape`] if its length differs from the number of rows.
    pub fn set_text(&mut self, name: &str, values: Vec<String>) -> Result<()> {
        if self.names.is_empty() {
            self.n_rows = values.len();
        }
        if values.len() != self.n_rows {
            return Err(Error::Shape {
                message: format!(
                    "column `{name}` has {} values for {} rows",
                    values.len(),
                    self.n_rows
                ),
            });
        }
        let first = values
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_empty() && v.trim().parse::<f64>().is_err())
            .map_or((1, String::new()), |(r, v)| (r + 1, v.clone()));
        self.put(
            name,
            Column::Plain(ColumnData::Text {
                values,
                first_non_numeric: first,
            }),
        );
        Ok(())
    }

    /// Writes the dataset as CSV (header row; missing = empty cell).
    ///
    /// # Errors
    /// [`Error::Io`] if writing fails.
    pub fn write_csv<W: std::io::Write>(&self, mut out: W) -> Result<()> {
        let io = |source| Error::Io {
            path: "<output>".into(),
            source,
        };
        let quote = |s: &str| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let header: Vec<String> = self.names.iter().map(|n| quote(n)).collect();
        writeln!(out, "{}", header.join(",")).map_err(io)?;
        let number = |x: f64| {
            if x.is_nan() {
                String::new()
            } else {
                format!("{x}")
            }
        };
        for r in 0..self.n_rows {
            let cells: Vec<String> = self
                .columns
                .iter()
                .map(|c| match c {
                    Column::Plain(ColumnData::Numeric(v)) => number(v[r]),
                    Column::Plain(ColumnData::Text { values, .. }) => quote(&values[r]),
                    Column::Mixed(m) => match m.text_at(r) {
                        Some(t) => quote(t),
                        None => number(m.numbers[r]),
                    },
                })
                .collect();
            writeln!(out, "{}", cells.join(",")).map_err(io)?;
        }
        Ok(())
    }
}

/// Names, column builders and rows read from a file, with the read report.
pub(crate) struct Parsed {
    pub(crate) names: Vec<String>,
    pub(crate) builders: Vec<ColumnBuilder>,
    pub(crate) rows: usize,
    pub(crate) report: ReadReport,
}

impl Parsed {
    fn into_dataset(self) -> Result<Dataset> {
        let columns = self
            .builders
            .into_iter()
            .map(ColumnBuilder::finish)
            .collect();
        let mut data = Dataset::from_parts(self.names, columns, self.rows)?;
        data.source = Some(Box::new(self.report));
        Ok(data)
    }
}

/// Formats a number as a label: integers without a decimal point.
fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_types_and_missing() {
        let csv = "x, y ,g\n1,2,a\n,3.5,b\nNA,-99,\n";
        let d = Dataset::from_reader(csv.as_bytes(), &CsvOptions::default().na("-99")).unwrap();
        assert_eq!(d.n_rows(), 3);
        assert_eq!(d.names(), &["x", "y", "g"]);
        let x = d.numeric("x").unwrap();
        assert_eq!(x[0], 1.0);
        assert!(x[1].is_nan() && x[2].is_nan());
        let y = d.numeric("y").unwrap();
        assert_eq!(y[1], 3.5);
        assert!(y[2].is_nan());
        assert_eq!(
            d.labels("g").unwrap(),
            vec![Some("a".to_string()), Some("b".to_string()), None]
        );
        match d.numeric("g") {
            Err(Error::NonNumeric { column, row, value }) => {
                assert_eq!((column.as_str(), row, value.as_str()), ("g", 1, "a"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn duplicate_and_unknown_columns() {
        let err =
            Dataset::from_reader("a,b,a\n1,2,3\n".as_bytes(), &CsvOptions::default()).unwrap_err();
        assert!(
            matches!(err, Error::DuplicateColumn { ref name, first: 1, second: 3 } if name == "a")
        );
        let d = Dataset::from_columns(vec![("sat1", vec![1.0])]).unwrap();
        let err = d.numeric("sat_1").unwrap_err();
        assert!(err.to_string().contains("did you mean `sat1`"), "{err}");
    }

    #[test]
    fn ragged_csv_is_an_error() {
        let err =
            Dataset::from_reader("a,b\n1,2\n3\n".as_bytes(), &CsvOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Csv { line: 3, .. }), "{err:?}");
    }

    #[test]
    fn row_major_and_take_rows() {
        let d = Dataset::from_row_major(&["a", "b"], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
        assert_eq!(d.numeric("b").unwrap(), &[2.0, 4.0, 6.0]);
        let t = d.take_rows(&[2, 0, 2]).unwrap();
        assert_eq!(t.numeric("a").unwrap(), &[5.0, 1.0, 5.0]);
        assert!(d.take_rows(&[3]).is_err());
        assert!(Dataset::from_row_major(&["a", "b"], &[1.0]).is_err());
    }
}
