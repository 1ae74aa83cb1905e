//! Reading options, the read report, and CSV text in the encodings and
//! layouts analysts' exports have: UTF-8 (with or without a byte-order
//! mark), GB18030/GBK, UTF-16 with a byte-order mark; `,` `;` or tab
//! delimiters; a decimal comma.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{CellParser, ColumnBuilder, Parsed};
use crate::error::{Error, Result};

/// The text encoding of a CSV file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE); otherwise
    /// UTF-8 if the whole file is valid UTF-8, else GB18030 (a superset of
    /// GBK and GB2312: what Excel on Chinese Windows saves as "CSV").
    #[default]
    Auto,
    /// UTF-8 (a byte-order mark is skipped).
    Utf8,
    /// GB18030, which also reads GBK and GB2312 files.
    Gb18030,
}

impl FromStr for Encoding {
    type Err = Error;

    /// `auto`; `utf8` (`utf-8`); `gbk`, `gb18030`, `gb2312`, `cp936` (all
    /// read as GB18030). Case-insensitive.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf8" | "utf-8" => Ok(Encoding::Utf8),
            "gbk" | "gb18030" | "gb2312" | "cp936" => Ok(Encoding::Gb18030),
            other => Err(Error::InvalidSetting {
                name: "encoding".into(),
                message: format!("`{other}` is not one of auto, utf8, gbk (or gb18030)"),
            }),
        }
    }
}

/// How to read a data file ([`crate::Dataset::read`]). The default reads a
/// CSV file in UTF-8 or GB18030 (detected), with the delimiter detected
/// from the header line, `NA` and `NaN` as missing, and a workbook's first
/// sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// Cell texts (after trimming) that mean "missing", besides the empty cell.
    /// A marker that parses as a number also matches numerically (`-99` matches `-99.0`,
    /// and a workbook's number cell -99).
    /// Default: `["NA", "NaN"]` (what R and pandas write).
    pub na: Vec<String>,
    /// Text encoding of CSV files (default [`Encoding::Auto`]). Workbooks
    /// need none.
    pub encoding: Encoding,
    /// Field delimiter of CSV files; `None` (the default) detects `,` `;`
    /// or tab from the header line: the most frequent of the three outside
    /// quotes (`,` when none occurs or on a tie).
    pub delimiter: Option<u8>,
    /// Numbers may use a decimal comma (`3,5` = 3.5; a cell with a point is
    /// read as before, so `1.234` is 1.234, never 1234). Only with `;` or
    /// tab delimiters: with `,` it is an error.
    pub decimal_comma: bool,
    /// Sheet of a workbook (default: the first).
    pub sheet: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            na: vec!["NA".into(), "NaN".into()],
            encoding: Encoding::Auto,
            delimiter: None,
            decimal_comma: false,
            sheet: None,
        }
    }
}

impl ReadOptions {
    /// Adds a missing-value marker such as `"-99"`.
    pub fn na(mut self, marker: impl Into<String>) -> Self {
        self.na.push(marker.into());
        self
    }

    /// Sets the field delimiter (e.g. `b';'` or `b'\t'`) instead of detecting it.
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = Some(delimiter);
        self
    }

    /// Sets the text encoding.
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Reads `3,5` as 3.5 (needs `;` or tab as the delimiter).
    pub fn decimal_comma(mut self, yes: bool) -> Self {
        self.decimal_comma = yes;
        self
    }

    /// Reads this sheet of a workbook.
    pub fn sheet(mut self, name: impl Into<String>) -> Self {
        self.sheet = Some(name.into());
        self
    }
}

/// The format of a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// Delimited text.
    Csv,
    /// An Excel workbook (`.xlsx`, `.xlsm`).
    Xlsx,
}

impl FileFormat {
    /// The format a file's extension names: `.xlsx` and `.xlsm` are
    /// workbooks, every other name is CSV text.
    ///
    /// # Errors
    /// [`Error::UnsupportedFormat`] for `.xls`, `.xlsb`, `.ods`, `.numbers`,
    /// `.sav`, `.zsav`, `.dta`, `.sas7bdat` (with what to do instead).
    pub fn of_path(path: &Path) -> Result<FileFormat> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let unsupported = |format: &str, hint: &str| {
            Err(Error::UnsupportedFormat {
                path: path.display().to_string(),
                format: format.into(),
                hint: hint.into(),
            })
        };
        let resave = "open it in Excel or WPS and save it as .xlsx, or as CSV";
        match ext.as_str() {
            "xlsx" | "xlsm" => Ok(FileFormat::Xlsx),
            "xls" => unsupported("an Excel 97-2003 workbook (.xls)", resave),
            "xlsb" => unsupported("an Excel binary workbook (.xlsb)", resave),
            "ods" => unsupported("an OpenDocument spreadsheet (.ods)", resave),
            "numbers" => unsupported("a Numbers spreadsheet", "export it as .xlsx or CSV"),
            "sav" | "zsav" => unsupported(
                "an SPSS data file",
                "in SPSS use File > Export to save it as Excel (.xlsx) or CSV",
            ),
            "dta" => unsupported("a Stata data file", "export it as .xlsx or CSV"),
            "sas7bdat" => unsupported("a SAS data set", "export it as .xlsx or CSV"),
            _ => Ok(FileFormat::Csv),
        }
    }
}

impl fmt::Display for FileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileFormat::Csv => "CSV",
            FileFormat::Xlsx => "xlsx",
        })
    }
}

/// What reading a file found: kept with the data ([`crate::Dataset::source`])
/// and shown by the analysis documents (`input` in their JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadReport {
    /// The file as given (`None` for a reader).
    pub path: Option<String>,
    /// CSV or xlsx.
    pub format: FileFormat,
    /// Text encoding used (`UTF-8`, `GB18030`, `UTF-16LE`, `UTF-16BE`); `None` for workbooks.
    pub encoding: Option<String>,
    /// Whether the encoding was detected (rather than given).
    pub encoding_detected: bool,
    /// Whether the text began with a byte-order mark.
    pub byte_order_mark: bool,
    /// Field delimiter (`,`, `;`, `tab`, or the character); `None` for workbooks.
    pub delimiter: Option<String>,
    /// Whether the delimiter was detected from the header line (rather than given).
    pub delimiter_detected: bool,
    /// Whether `3,5` was read as 3.5.
    pub decimal_comma: bool,
    /// The sheet read, for workbooks.
    pub sheet: Option<String>,
    /// Data rows read (the respondents).
    pub rows: usize,
    /// Rows whose every cell was empty, skipped (not respondents).
    pub empty_rows: usize,
    /// Of those, the ones followed by data rows. When not zero, row numbers
    /// in messages count data rows only and differ from the file's lines.
    pub empty_rows_between: usize,
}

impl fmt::Display for ReadReport {
    /// `survey.csv, 250 rows (CSV, GB18030 detected, delimiter `;` detected,
    /// decimal comma); 2 empty rows skipped`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let detected = |yes: bool| if yes { " detected" } else { "" };
        write!(
            f,
            "{}, {} rows ({}",
            self.path.as_deref().unwrap_or("<input>"),
            self.rows,
            self.format
        )?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet `{sheet}`")?;
        }
        if let Some(e) = &self.encoding {
            write!(f, ", {e}{}", detected(self.encoding_detected))?;
            if self.byte_order_mark {
                write!(f, " with byte-order mark")?;
            }
        }
        if let Some(d) = &self.delimiter {
            write!(f, ", delimiter `{d}`{}", detected(self.delimiter_detected))?;
        }
        if self.decimal_comma {
            write!(f, ", decimal comma")?;
        }
        write!(f, ")")?;
        if self.empty_rows > 0 {
            write!(
                f,
                "; {} empty row{} skipped",
                self.empty_rows,
                if self.empty_rows == 1 { "" } else { "s" }
            )?;
            if self.empty_rows_between > 0 {
                write!(
                    f,
                    " ({} between data rows: row numbers count data rows only)",
                    self.empty_rows_between
                )?;
            }
        }
        Ok(())
    }
}

/// The encoding a text is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Text {
    Utf8,
    Gb18030,
    Utf16Le,
    Utf16Be,
}

impl Text {
    fn name(self) -> &'static str {
        match self {
            Text::Utf8 => "UTF-8",
            Text::Gb18030 => "GB18030",
            Text::Utf16Le => "UTF-16LE",
            Text::Utf16Be => "UTF-16BE",
        }
    }

    fn decoder(self) -> Option<encoding_rs::Decoder> {
        match self {
            Text::Utf8 => None,
            Text::Gb18030 => Some(encoding_rs::GB18030.new_decoder_without_bom_handling()),
            Text::Utf16Le => Some(encoding_rs::UTF_16LE.new_decoder_without_bom_handling()),
            Text::Utf16Be => Some(encoding_rs::UTF_16BE.new_decoder_without_bom_handling()),
        }
    }
}

/// The first bytes of a file: a byte-order mark, or a workbook's signature.
fn sniff(head: &[u8], path: &str) -> Result<Option<(Text, usize)>> {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(Some((Text::Utf8, 3)));
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Ok(Some((Text::Utf16Le, 2)));
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Ok(Some((Text::Utf16Be, 2)));
    }
    let workbook = |format: &str| {
        Err(Error::UnsupportedFormat {
            path: path.into(),
            format: format.into(),
            hint: "csikit reads a workbook by its name: give it the extension .xlsx \
                   (Dataset::read), or save the sheet as CSV"
                .into(),
        })
    };
    if head.starts_with(b"PK\x03\x04") {
        return workbook("a zip archive (an .xlsx workbook?), not CSV text");
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return workbook("an OLE file (an .xls workbook?), not CSV text");
    }
    Ok(None)
}

/// Whether a stream is valid UTF-8 from end to end (read in chunks).
fn is_utf8<R: Read>(mut r: R) -> io::Result<bool> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry = 0usize;
    loop {
        let n = match r.read(&mut buf[carry..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            // A sequence cut off at the end is not UTF-8.
            return Ok(carry == 0);
        }
        let len = carry + n;
        match std::str::from_utf8(&buf[..len]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_some() => return Ok(false),
            Err(e) => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..len, 0);
                carry = len - valid;
            }
        }
    }
}

/// A decoding error inside the reader chain: the 1-based line.
#[derive(Debug)]
struct Undecodable {
    line: u64,
}

impl fmt::Display for Undecodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "undecodable bytes at line {}", self.line)
    }
}

impl std::error::Error for Undecodable {}

/// Decodes a byte stream to UTF-8 on the fly (encoding_rs), failing on
/// malformed input with the line where it occurs.
struct Decode<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    start: usize,
    end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    finished: bool,
    newlines: u64,
}

impl<R: Read> Decode<R> {
    fn new(inner: R, decoder: encoding_rs::Decoder) -> Self {
        Decode {
            inner,
            decoder,
            input: vec![0; 32 * 1024],
            start: 0,
            end: 0,
            output: vec![0; 64 * 1024],
            out_start: 0,
            out_end: 0,
            eof: false,
            finished: false,
            newlines: 0,
        }
    }
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished || buf.is_empty() {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                self.start = 0;
                self.end = loop {
                    match self.inner.read(&mut self.input) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                };
                self.eof = self.end == 0;
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.start..self.end],
                &mut self.output,
                self.eof,
            );
            self.start += read;
            let newlines = self.output[..written]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.newlines += newlines;
            self.out_start = 0;
            self.out_end = written;
            match result {
                encoding_rs::DecoderResult::InputEmpty => {
                    if self.eof {
                        self.finished = true;
                    }
                }
                encoding_rs::DecoderResult::OutputFull => {}
                encoding_rs::DecoderResult::Malformed(..) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        Undecodable {
                            line: self.newlines + 1,
                        },
                    ));
                }
            }
        }
    }
}

/// The delimiter of a header line: the most frequent of `,` `;` tab outside
/// double quotes (`,` when none occurs or on a tie).
fn detect_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let mut best = (b',', counts[0]);
    for (d, c) in [(b';', counts[1]), (b'\t', counts[2])] {
        if c > best.1 {
            best = (d, c);
        }
    }
    best.0
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        b' ' => "space".into(),
        d if d.is_ascii_graphic() => (d as char).to_string(),
        d => format!("byte 0x{d:02X}"),
    }
}

fn decimal_comma_error(how: &str) -> Error {
    Error::InvalidSetting {
        name: "decimal_comma".into(),
        message: format!(
            "a decimal comma (3,5 = 3.5) needs `;` or tab between the fields, but the delimiter \
             is `,` ({how}); give the delimiter (--delimiter ';') if the file uses another, or \
             read the file without the decimal comma"
        ),
    }
}

/// What is known before the text is parsed.
struct Plan {
    path: Option<String>,
    text: Text,
    encoding_detected: bool,
    byte_order_mark: bool,
}

/// Reads a CSV file: sniff its start, check it is UTF-8 when the encoding
/// is to be detected (a first pass over the file), then parse it streaming.
pub(super) fn csv_file(path: &Path, options: &ReadOptions) -> Result<Parsed> {
    let shown = path.display().to_string();
    let io_err = |source| Error::Io {
        path: shown.clone(),
        source,
    };
    if options.decimal_comma && options.delimiter == Some(b',') {
        return Err(decimal_comma_error("as given"));
    }
    let open = || std::fs::File::open(path).map_err(io_err);
    let mut head = Vec::with_capacity(4);
    open()?.take(4).read_to_end(&mut head).map_err(io_err)?;
    let bom = sniff(&head, &shown)?;
    let (text, skip, detected) = match (bom, options.encoding) {
        (Some((t, n)), _) => (t, n, options.encoding == Encoding::Auto),
        (None, Encoding::Utf8) => (Text::Utf8, 0, false),
        (None, Encoding::Gb18030) => (Text::Gb18030, 0, false),
        (None, Encoding::Auto) => {
            let utf8 = is_utf8(std::io::BufReader::new(open()?)).map_err(io_err)?;
            (if utf8 { Text::Utf8 } else { Text::Gb18030 }, 0, true)
        }
    };
    let mut file = std::io::BufReader::with_capacity(64 * 1024, open()?);
    io::copy(&mut (&mut file).take(skip as u64), &mut io::sink()).map_err(io_err)?;
    let plan = Plan {
        path: Some(shown.clone()),
        text,
        encoding_detected: detected,
        byte_order_mark: bom.is_some(),
    };
    parse(file, plan, options)
}

/// Reads CSV text from a reader (into memory first when the encoding is to
/// be detected).
pub(super) fn csv_reader<R: Read>(mut reader: R, options: &ReadOptions) -> Result<Parsed> {
    let shown = "<input>";
    let io_err = |source| Error::Io {
        path: shown.into(),
        source,
    };
    if options.decimal_comma && options.delimiter == Some(b',') {
        return Err(decimal_comma_error("as given"));
    }
    let mut head = Vec::with_capacity(4);
    (&mut reader)
        .take(4)
        .read_to_end(&mut head)
        .map_err(io_err)?;
    let bom = sniff(&head, shown)?;
    let (text, skip, detected) = match (bom, options.encoding) {
        (Some((t, n)), _) => (t, n, options.encoding == Encoding::Auto),
        (None, Encoding::Utf8) => (Text::Utf8, 0, false),
        (None, Encoding::Gb18030) => (Text::Gb18030, 0, false),
        (None, Encoding::Auto) => (Text::Utf8, 0, true),
    };
    let plan = |text| Plan {
        path: None,
        text,
        encoding_detected: detected,
        byte_order_mark: bom.is_some(),
    };
    let rest = head.split_off(skip);
    if bom.is_none() && options.encoding == Encoding::Auto {
        let mut all = rest;
        reader.read_to_end(&mut all).map_err(io_err)?;
        let text = if std::str::from_utf8(&all).is_ok() {
            Text::Utf8
        } else {
            Text::Gb18030
        };
        return parse(io::Cursor::new(all), plan(text), options);
    }
    parse(io::Cursor::new(rest).chain(reader), plan(text), options)
}

/// Parses CSV text in the planned encoding.
fn parse<R: Read>(input: R, plan: Plan, options: &ReadOptions) -> Result<Parsed> {
    let shown = plan.path.clone().unwrap_or_else(|| "<input>".into());
    match plan.text.decoder() {
        None => parse_utf8(input, plan, options, &shown),
        Some(decoder) => parse_utf8(Decode::new(input, decoder), plan, options, &shown),
    }
}

/// Parses UTF-8 CSV text: detects the delimiter from the header line,
/// skips and counts empty rows, classifies the cells.
fn parse_utf8<R: Read>(
    mut input: R,
    plan: Plan,
    options: &ReadOptions,
    shown: &str,
) -> Result<Parsed> {
    let encoding = plan.text.name();
    let io_err = |source: io::Error| match source
        .get_ref()
        .and_then(|e| e.downcast_ref::<Undecodable>())
    {
        Some(u) => Error::Encoding {
            path: shown.into(),
            encoding: encoding.into(),
            line: u.line,
        },
        None => Error::Io {
            path: shown.into(),
            source,
        },
    };
    // The header line (up to 1 MiB), to detect the delimiter.
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    while !head.contains(&b'\n') && head.len() < (1 << 20) {
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_err(e)),
        };
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
    }
    let (delimiter, delimiter_detected) = match options.delimiter {
        Some(d) => (d, false),
        None => (detect_delimiter(&head), true),
    };
    if options.decimal_comma && delimiter == b',' {
        return Err(decimal_comma_error(if delimiter_detected {
            "detected from the header line"
        } else {
            "as given"
        }));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(io::Cursor::new(head).chain(input));
    let csv_err = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line());
        match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => {
                return Error::Csv {
                    line,
                    message: format!(
                        "the row has {len} field(s) but the header has {expected_len}; quote cells that contain the delimiter"
                    ),
                };
            }
            csv::ErrorKind::Utf8 { pos, .. } => {
                return Error::Encoding {
                    path: shown.into(),
                    encoding: encoding.into(),
                    line: pos.as_ref().map_or(line, |p| p.line()),
                };
            }
            _ => {}
        }
        let message = e.to_string();
        match e.into_kind() {
            csv::ErrorKind::Io(source) => io_err(source),
            _ => Error::Csv { line, message },
        }
    };
    let headers = rdr.headers().map_err(csv_err)?.clone();
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let parser = CellParser::new(options);
    let mut builders: Vec<ColumnBuilder> = names.iter().map(|_| ColumnBuilder::default()).collect();
    let mut record = csv::StringRecord::new();
    let (mut rows, mut pending_empty, mut between) = (0usize, 0usize, 0usize);
    while rdr.read_record(&mut record).map_err(csv_err)? {
        if record.iter().all(|c| c.trim().is_empty()) {
            pending_empty += 1;
            continue;
        }
        between += pending_empty;
        pending_empty = 0;
        for (b, cell) in builders.iter_mut().zip(record.iter()) {
            b.push(parser.text(cell));
        }
        rows += 1;
    }
    Ok(Parsed {
        names,
        builders,
        rows,
        report: ReadReport {
            path: plan.path,
            format: FileFormat::Csv,
            encoding: Some(encoding.into()),
            encoding_detected: plan.encoding_detected,
            byte_order_mark: plan.byte_order_mark,
            delimiter: Some(delimiter_name(delimiter)),
            delimiter_detected,
            decimal_comma: options.decimal_comma,
            sheet: None,
            rows,
            empty_rows: between + pending_empty,
            empty_rows_between: between,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        // Quoted delimiters do not count; a tie and no delimiter give `,`.
        assert_eq!(detect_delimiter(b"\"x;y;z\",b,c"), b',');
        assert_eq!(detect_delimiter(b"\"x,y,z\";b"), b';');
        assert_eq!(detect_delimiter(b"a;b,c"), b',');
        assert_eq!(detect_delimiter(b"single"), b',');
    }

    #[test]
    fn utf8_check_across_chunks() {
        // A three-byte character split by the chunk boundary is still UTF-8.
        let mut text = vec![b'a'; 64 * 1024 - 1];
        text.extend_from_slice("满".as_bytes());
        assert!(is_utf8(text.as_slice()).unwrap());
        text.push(0xC4); // a lead byte cut off at the end
        assert!(!is_utf8(text.as_slice()).unwrap());
        assert!(!is_utf8(&[0xC2, 0xFA, 0xD2, 0xE2][..]).unwrap()); // GBK 满意
    }

    #[test]
    fn decoder_reports_the_line_of_malformed_bytes() {
        // 0xFF is no GB18030 byte.
        let bytes = b"a,b\n1,2\n3,\xFF\n".to_vec();
        let mut out = Vec::new();
        let err = Decode::new(bytes.as_slice(), Text::Gb18030.decoder().unwrap())
            .read_to_end(&mut out)
            .unwrap_err();
        let u = err
            .get_ref()
            .unwrap()
            .downcast_ref::<Undecodable>()
            .unwrap();
        assert_eq!(u.line, 3);
        // GBK 满意 decodes.
        let mut s = String::new();
        Decode::new(
            &[0xC2, 0xFA, 0xD2, 0xE2][..],
            Text::Gb18030.decoder().unwrap(),
        )
        .read_to_string(&mut s)
        .unwrap();
        assert_eq!(s, "满意");
    }
}
