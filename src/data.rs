//! Survey data: named columns of numbers (or text), `NaN` marking a missing value.
//!
//! A [`Dataset`] is read from CSV ([`Dataset::from_csv`], [`Dataset::from_reader`])
//! or built from columns ([`Dataset::from_columns`]), a row-major slice
//! ([`Dataset::from_row_major`]), an `ndarray::Array2` (feature `ndarray`) or a
//! `nalgebra::DMatrix` ([`Dataset::from_nalgebra`], always available; the
//! `nalgebra` feature is a no-op kept for compatibility). Columns are typed
//! lazily: a CSV column whose cells are all numbers (or missing) is numeric,
//! any other column is kept as text. Text columns are fine as long as no model
//! uses them as indicators; they can still serve as segment (group) columns.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result, suggest};

/// How to read a CSV file.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Cell texts (after trimming) that mean "missing", besides the empty cell.
    /// A marker that parses as a number also matches numerically (`-99` matches `-99.0`).
    /// Default: `["NA", "NaN"]` (what R and pandas write).
    pub na: Vec<String>,
    /// Field delimiter, default `b','`.
    pub delimiter: u8,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            na: vec!["NA".into(), "NaN".into()],
            delimiter: b',',
        }
    }
}

impl CsvOptions {
    /// Adds a missing-value marker such as `"-99"`.
    pub fn na(mut self, marker: impl Into<String>) -> Self {
        self.na.push(marker.into());
        self
    }

    /// Sets the field delimiter (e.g. `b';'` or `b'\t'`).
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }
}

/// The values of one column. Equality treats two missing values as equal.
#[derive(Debug, Clone)]
pub enum ColumnData {
    /// Numbers; `NaN` = missing.
    Numeric(Vec<f64>),
    /// Text, with the first cell that is not a number (1-based row, text) for error messages.
    /// Missing cells are empty strings.
    Text {
        /// The cells.
        values: Vec<String>,
        /// First non-numeric cell: (1-based row, its text).
        first_non_numeric: (usize, String),
    },
}

impl PartialEq for ColumnData {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ColumnData::Numeric(a), ColumnData::Numeric(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
            }
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

/// A table of named columns of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    names: Vec<String>,
    columns: Vec<ColumnData>,
    index: HashMap<String, usize>,
    n_rows: usize,
}

impl Dataset {
    /// Reads a CSV file with a header row, default [`CsvOptions`].
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read, [`Error::Csv`] if it is
    /// malformed, [`Error::DuplicateColumn`] if two columns share a name.
    pub fn from_csv(path: impl AsRef<Path>) -> Result<Self> {
        Self::from_csv_with(path, &CsvOptions::default())
    }

    /// Reads a CSV file with a header row and the given options.
    ///
    /// # Errors
    /// As [`Dataset::from_csv`].
    pub fn from_csv_with(path: impl AsRef<Path>, options: &CsvOptions) -> Result<Self> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_reader(std::io::BufReader::new(file), options)
    }

    /// Reads CSV text (header row first) from any reader.
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
    /// [`Error::Csv`] if the text is malformed, [`Error::DuplicateColumn`] if two
    /// columns share a name.
    pub fn from_reader<R: Read>(reader: R, options: &CsvOptions) -> Result<Self> {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(options.delimiter)
            .has_headers(true)
            .flexible(false)
            .from_reader(reader);
        let csv_err = |e: csv::Error| Error::Csv {
            line: e.position().map_or(0, |p| p.line()),
            message: match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!(
                    "the row has {len} field(s) but the header has {expected_len}; quote cells that contain the delimiter"
                ),
                csv::ErrorKind::Utf8 { .. } => {
                    "the text is not valid UTF-8; save the file as UTF-8".to_string()
                }
                _ => e.to_string(),
            },
        };
        let headers = rdr.headers().map_err(csv_err)?.clone();
        let names: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
        let na_text: Vec<&str> = options.na.iter().map(|s| s.trim()).collect();
        let na_num: Vec<f64> = na_text
            .iter()
            .filter_map(|s| s.parse::<f64>().ok())
            .collect();

        enum Builder {
            Num(Vec<f64>),
            Text(Vec<String>, (usize, String)),
        }
        let mut builders: Vec<Builder> = names.iter().map(|_| Builder::Num(Vec::new())).collect();
        let mut record = csv::StringRecord::new();
        let mut row = 0usize;
        while rdr.read_record(&mut record).map_err(csv_err)? {
            row += 1;
            for (j, cell) in record.iter().enumerate() {
                let cell = cell.trim();
                let b = &mut builders[j];
                match b {
                    Builder::Num(v) => {
                        if cell.is_empty() || na_text.contains(&cell) {
                            v.push(f64::NAN);
                        } else if let Ok(x) = cell.parse::<f64>() {
                            if na_num.contains(&x) {
                                v.push(f64::NAN);
                            } else {
                                v.push(x);
                            }
                        } else {
                            // Turn the column into text: keep the original cells.
                            let mut texts: Vec<String> = v
                                .iter()
                                .map(|x| {
                                    if x.is_nan() {
                                        String::new()
                                    } else {
                                        format_number(*x)
                                    }
                                })
                                .collect();
                            texts.push(cell.to_string());
                            *b = Builder::Text(texts, (row, cell.to_string()));
                        }
                    }
                    Builder::Text(t, _) => {
                        if na_text.contains(&cell) {
                            t.push(String::new());
                        } else {
                            t.push(cell.to_string());
                        }
                    }
                }
            }
        }
        let columns = builders
            .into_iter()
            .map(|b| match b {
                Builder::Num(v) => ColumnData::Numeric(v),
                Builder::Text(values, first_non_numeric) => ColumnData::Text {
                    values,
                    first_non_numeric,
                },
            })
            .collect();
        Self::from_parts(names, columns, row)
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
            data.push(ColumnData::Numeric(col));
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

    fn from_parts(names: Vec<String>, columns: Vec<ColumnData>, n_rows: usize) -> Result<Self> {
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
        })
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

    /// A column's data, whatever its type.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] (with near matches) if there is no such column.
    pub fn column(&self, name: &str) -> Result<&ColumnData> {
        match self.index.get(name) {
            Some(&j) => Ok(&self.columns[j]),
            None => Err(Error::UnknownColumn {
                name: name.to_string(),
                suggestions: suggest(name, self.names.iter().map(String::as_str)),
            }),
        }
    }

    /// A numeric column (`NaN` = missing).
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] if absent, [`Error::NonNumeric`] (naming the first
    /// offending cell) if the column holds text.
    pub fn numeric(&self, name: &str) -> Result<&[f64]> {
        match self.column(name)? {
            ColumnData::Numeric(v) => Ok(v),
            ColumnData::Text {
                first_non_numeric, ..
            } => Err(Error::NonNumeric {
                column: name.to_string(),
                row: first_non_numeric.0,
                value: first_non_numeric.1.clone(),
            }),
        }
    }

    /// A column's cells as text labels (numbers formatted, missing = `None`),
    /// e.g. for segment columns.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] if absent.
    pub fn labels(&self, name: &str) -> Result<Vec<Option<String>>> {
        Ok(match self.column(name)? {
            ColumnData::Numeric(v) => v
                .iter()
                .map(|x| (!x.is_nan()).then(|| format_number(*x)))
                .collect(),
            ColumnData::Text { values, .. } => values
                .iter()
                .map(|s| (!s.is_empty()).then(|| s.clone()))
                .collect(),
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
                ColumnData::Numeric(v) => ColumnData::Numeric(rows.iter().map(|&r| v[r]).collect()),
                ColumnData::Text {
                    values,
                    first_non_numeric,
                } => ColumnData::Text {
                    values: rows.iter().map(|&r| values[r].clone()).collect(),
                    first_non_numeric: first_non_numeric.clone(),
                },
            })
            .collect();
        Ok(Dataset {
            names: self.names.clone(),
            columns,
            index: self.index.clone(),
            n_rows: rows.len(),
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
        match self.index.get(name) {
            Some(&j) => self.columns[j] = ColumnData::Numeric(values),
            None => {
                self.index.insert(name.to_string(), self.names.len());
                self.names.push(name.to_string());
                self.columns.push(ColumnData::Numeric(values));
            }
        }
        Ok(())
    }
}

impl Dataset {
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
        let col = ColumnData::Text {
            values,
            first_non_numeric: first,
        };
        match self.index.get(name) {
            Some(&j) => self.columns[j] = col,
            None => {
                self.index.insert(name.to_string(), self.names.len());
                self.names.push(name.to_string());
                self.columns.push(col);
            }
        }
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
        for r in 0..self.n_rows {
            let cells: Vec<String> = self
                .columns
                .iter()
                .map(|c| match c {
                    ColumnData::Numeric(v) => {
                        if v[r].is_nan() {
                            String::new()
                        } else {
                            format!("{}", v[r])
                        }
                    }
                    ColumnData::Text { values, .. } => quote(&values[r]),
                })
                .collect();
            writeln!(out, "{}", cells.join(",")).map_err(io)?;
        }
        Ok(())
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
