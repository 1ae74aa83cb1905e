//! Files as analysts have them (issue 14, item 4): GBK and UTF-8 (with or
//! without a byte-order mark) CSV, UTF-16 "Unicode text", `;` and tab
//! delimiters, decimal commas, `.xlsx` workbooks, Excel's trailing empty
//! rows; each reads to the same data as the clean CSV and gives the same
//! document. Report tables carry a byte-order mark and come as one
//! workbook too. And a mostly numeric column with a stray `N/A` stays
//! about 8 bytes a row (item 5).

use std::path::PathBuf;

use csikit::analysis::{self, AcsiRequest, BuiltinSurvey, Observer, PlsRequest};
use csikit::{ColumnData, Dataset, Encoding, Error, FileFormat, Mode, ReadOptions};

use crate::common::{data_path, satisfaction_model};

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("csikit-files-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// A small survey export with Chinese headers and labels: two answers and
/// a region; the second respondent skipped one question.
const SURVEY: &str = "满意度,忠诚度,地区\n7,8,华东\n6,,华南\n9,7,华东\n";

fn check_survey(d: &Dataset) {
    assert_eq!(d.names(), ["满意度", "忠诚度", "地区"]);
    assert_eq!(d.n_rows(), 3);
    assert_eq!(d.numeric("满意度").unwrap(), &[7.0, 6.0, 9.0]);
    let loyalty = d.numeric("忠诚度").unwrap();
    assert_eq!((loyalty[0], loyalty[2]), (8.0, 7.0));
    assert!(loyalty[1].is_nan());
    let l = |s: &str| Some(s.to_string());
    assert_eq!(d.labels("地区").unwrap(), [l("华东"), l("华南"), l("华东")]);
}

#[test]
fn gbk_csv_reads_as_its_utf8_version() {
    let dir = scratch("gbk");
    let (utf8, gbk_path) = (dir.join("utf8.csv"), dir.join("gbk.csv"));
    std::fs::write(&utf8, SURVEY).unwrap();
    let bytes = gbk(SURVEY);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "GBK bytes are not UTF-8"
    );
    std::fs::write(&gbk_path, &bytes).unwrap();

    let clean = Dataset::read(&utf8, &ReadOptions::default()).unwrap();
    check_survey(&clean);
    let detected = Dataset::read(&gbk_path, &ReadOptions::default()).unwrap();
    assert_eq!(detected, clean);
    let s = detected.source().unwrap();
    assert_eq!(s.format, FileFormat::Csv);
    assert_eq!(s.encoding.as_deref(), Some("GB18030"));
    assert!(s.encoding_detected && !s.byte_order_mark);
    assert_eq!(clean.source().unwrap().encoding.as_deref(), Some("UTF-8"));
    // Forced, from a file and from a reader.
    let forced = ReadOptions::default().encoding(Encoding::Gb18030);
    assert_eq!(Dataset::read(&gbk_path, &forced).unwrap(), clean);
    assert_eq!(
        Dataset::from_reader(bytes.as_slice(), &forced).unwrap(),
        clean
    );
    assert_eq!(
        Dataset::from_reader(bytes.as_slice(), &ReadOptions::default()).unwrap(),
        clean
    );
    // Forcing UTF-8 on GBK bytes names the line, never garbles the labels.
    let err =
        Dataset::read(&gbk_path, &ReadOptions::default().encoding(Encoding::Utf8)).unwrap_err();
    assert!(matches!(err, Error::Encoding { line: 1, .. }), "{err:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn utf8_with_a_byte_order_mark() {
    let text = format!("\u{feff}{SURVEY}");
    let d = Dataset::from_reader(text.as_bytes(), &ReadOptions::default()).unwrap();
    check_survey(&d); // the first name is `满意度`, not `\u{feff}满意度`
    let s = d.source().unwrap();
    assert!(s.byte_order_mark && s.encoding_detected);
    assert_eq!(s.encoding.as_deref(), Some("UTF-8"));
    // Excel's "Unicode text": UTF-16LE with a byte-order mark, tab-delimited.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in SURVEY.replace(',', "\t").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let d16 = Dataset::from_reader(utf16.as_slice(), &ReadOptions::default()).unwrap();
    check_survey(&d16);
    assert_eq!(d16.source().unwrap().encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(d16.source().unwrap().delimiter.as_deref(), Some("tab"));
}

#[test]
fn semicolons_decimal_commas_and_tabs() {
    let clean = Dataset::from_reader(
        "a,b,地区\n7.5,8,华东\n6.25,,华南\n".as_bytes(),
        &ReadOptions::default(),
    )
    .unwrap();
    let semicolons = "a;b;地区\n7,5;8;华东\n6,25;;华南\n";
    let d = Dataset::from_reader(
        semicolons.as_bytes(),
        &ReadOptions::default().decimal_comma(true),
    )
    .unwrap();
    assert_eq!(d, clean);
    assert_eq!(d.numeric("a").unwrap(), &[7.5, 6.25]);
    let s = d.source().unwrap();
    assert_eq!(s.delimiter.as_deref(), Some(";"));
    assert!(s.delimiter_detected && s.decimal_comma);
    // Without the decimal comma, `7,5` is text: the model column names it.
    let plain = Dataset::from_reader(semicolons.as_bytes(), &ReadOptions::default()).unwrap();
    match plain.numeric("a") {
        Err(Error::NonNumeric { row, value, .. }) => assert_eq!((row, value.as_str()), (1, "7,5")),
        other => panic!("{other:?}"),
    }
    // A point still reads as a decimal point with the decimal comma on.
    let mixed = Dataset::from_reader(
        "a;b\n1.5;2,5\n".as_bytes(),
        &ReadOptions::default().decimal_comma(true),
    )
    .unwrap();
    assert_eq!(
        (
            mixed.numeric("a").unwrap()[0],
            mixed.numeric("b").unwrap()[0]
        ),
        (1.5, 2.5)
    );
    // Tabs, detected.
    let tabs = "a\tb\t地区\n7.5\t8\t华东\n6.25\t\t华南\n";
    let t = Dataset::from_reader(tabs.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(t, clean);
    // A forced delimiter wins over the header line.
    let forced = Dataset::from_reader(
        "a;b,c\n1;2,3\n".as_bytes(),
        &ReadOptions::default().delimiter(b';'),
    )
    .unwrap();
    assert_eq!(forced.names(), ["a", "b,c"]);
    // A decimal comma with `,` between the fields is refused, given or detected.
    for options in [
        ReadOptions::default().decimal_comma(true),
        ReadOptions::default().decimal_comma(true).delimiter(b','),
    ] {
        let err = Dataset::from_reader("a,b\n1,2\n".as_bytes(), &options).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidSetting { name, .. } if name == "decimal_comma"),
            "{err:?}"
        );
    }
}

#[test]
fn empty_rows_are_skipped_and_counted() {
    // Excel's export: an empty row inside, two trailing ones.
    let text = "x,y,g\n1,2,a\n3,4,b\n,,\n5,6,c\n,,\n , ,\n";
    let d = Dataset::from_reader(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(d.n_rows(), 3);
    assert_eq!(d.numeric("x").unwrap(), &[1.0, 3.0, 5.0]);
    let s = d.source().unwrap();
    assert_eq!((s.rows, s.empty_rows, s.empty_rows_between), (3, 3, 1));
    let shown = s.to_string();
    assert!(
        shown.contains("3 rows") && shown.contains("3 empty rows skipped (1 between data rows"),
        "{shown}"
    );
    // A row of missing-value markers is a respondent who answered nothing
    // given: it is kept.
    let na = Dataset::from_reader("x,y\n1,2\nNA,NA\n".as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!((na.n_rows(), na.source().unwrap().empty_rows), (2, 0));
}

/// One cell of a test workbook.
enum X {
    N(f64),
    S(&'static str),
    B(bool),
    Date(u16, u8, u8),
    Formula(&'static str, f64),
    Blank,
}

/// Writes `rows` (row 0 = header) to sheet `Survey` of a workbook, a second
/// sheet `Notes`, and `trailing` rows of cells holding a space (they show
/// nothing) after the table, then a row of formatted blank cells.
fn workbook(path: &std::path::Path, rows: &[(u32, Vec<X>)], trailing: u32) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let shaded = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Survey").unwrap();
    let mut last = 0;
    for (r, cells) in rows {
        last = *r;
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                X::N(x) => sheet.write_number(*r, c, *x).map(|_| ()),
                X::S(s) => sheet.write_string(*r, c, *s).map(|_| ()),
                X::B(b) => sheet.write_boolean(*r, c, *b).map(|_| ()),
                X::Date(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    sheet
                        .write_datetime_with_format(*r, c, &dt, &date)
                        .map(|_| ())
                }
                X::Formula(f, v) => sheet
                    .write_formula(*r, c, Formula::new(*f).set_result(v.to_string()))
                    .map(|_| ()),
                X::Blank => Ok(()),
            }
            .unwrap();
        }
    }
    for k in 1..=trailing {
        for c in 0..4 {
            sheet.write_string(last + k, c, " ").unwrap();
        }
    }
    for c in 0..4 {
        sheet.write_blank(last + trailing + 1, c, &shaded).unwrap();
    }
    book.add_worksheet().set_name("Notes").unwrap();
    book.save(path).unwrap();
}

#[test]
fn xlsx_reads_as_its_csv_version() {
    let dir = scratch("xlsx");
    let xlsx = dir.join("survey.xlsx");
    // Sheet rows 0 (header), 1, 2, 4 (row 3 absent: an empty row inside),
    // then two rows of spaces and a row of formatted blanks.
    workbook(
        &xlsx,
        &[
            (
                0,
                vec![X::S("满意度"), X::S("推荐"), X::S("日期"), X::S("地区")],
            ),
            (
                1,
                vec![X::N(7.0), X::B(true), X::Date(2024, 1, 15), X::S("华东")],
            ),
            (
                2,
                vec![
                    X::Formula("=3+3.5", 6.5),
                    X::B(false),
                    X::Date(2024, 2, 29),
                    X::Blank,
                ],
            ),
            (
                4,
                vec![X::S(" 9 "), X::Blank, X::Date(2024, 3, 1), X::S("华南")],
            ),
        ],
        2,
    );
    let csv = "满意度,推荐,日期,地区\n7,1,2024-01-15,华东\n6.5,0,2024-02-29,\n,,,\n9,,2024-03-01,华南\n,,,\n,,,\n,,,\n";
    let clean = Dataset::from_reader(csv.as_bytes(), &ReadOptions::default()).unwrap();
    let book = Dataset::read(&xlsx, &ReadOptions::default()).unwrap();
    assert_eq!(book, clean);
    assert_eq!(book.numeric("满意度").unwrap(), &[7.0, 6.5, 9.0]);
    let l = |s: &str| Some(s.to_string());
    assert_eq!(
        book.labels("日期").unwrap(),
        [l("2024-01-15"), l("2024-02-29"), l("2024-03-01")]
    );
    let s = book.source().unwrap();
    assert_eq!(s.format, FileFormat::Xlsx);
    assert_eq!(s.sheet.as_deref(), Some("Survey"));
    assert_eq!((s.rows, s.empty_rows, s.empty_rows_between), (3, 4, 1));
    let c = clean.source().unwrap();
    assert_eq!((c.rows, c.empty_rows, c.empty_rows_between), (3, 4, 1));
    // A named sheet (case-insensitive, as in Excel), and a wrong one.
    let notes = Dataset::read(&xlsx, &ReadOptions::default().sheet("notes")).unwrap();
    assert_eq!((notes.n_rows(), notes.n_columns()), (0, 0));
    let err = Dataset::read(&xlsx, &ReadOptions::default().sheet("Data")).unwrap_err();
    match err {
        Error::UnknownSheet { sheets, .. } => assert_eq!(sheets, ["Survey", "Notes"]),
        other => panic!("{other:?}"),
    }
    // Other spreadsheet and statistics formats are named, with what to do.
    let err = Dataset::read(dir.join("survey.xls"), &ReadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("save it as .xlsx"), "{err}");
    // A workbook renamed .csv is recognised, not decoded as GBK garbage.
    let renamed = dir.join("survey.csv");
    std::fs::copy(&xlsx, &renamed).unwrap();
    let err = Dataset::read(&renamed, &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, Error::UnsupportedFormat { .. }), "{err:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The satisfaction data as text: `sep` between fields, `decimal` for the
/// point of halved answers, Chinese labels for `gender`.
fn satisfaction_text(sep: &str, decimal: &str) -> String {
    let text = std::fs::read_to_string(data_path("satisfaction.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<String> = line
            .split(',')
            .map(|c| match (i, c) {
                (0, "gender") => "性别".to_string(),
                (0, c) => c.to_string(),
                (_, "male") => "男".into(),
                (_, "female") => "女".into(),
                (_, c) => match c.parse::<f64>() {
                    Ok(x) => format!("{}", x / 2.0).replace('.', decimal),
                    Err(_) => c.to_string(),
                },
            })
            .collect();
        out.push_str(&cells.join(sep));
        out.push('\n');
    }
    out
}

#[test]
fn every_file_form_gives_the_same_pls_document() {
    let dir = scratch("pls");
    let model = satisfaction_model(Mode::A);
    let clean_text = satisfaction_text(",", ".");
    let clean_path = dir.join("clean.csv");
    std::fs::write(&clean_path, &clean_text).unwrap();
    // Excel on Chinese Windows: GBK with trailing empty rows.
    let gbk_path = dir.join("gbk.csv");
    let mut bytes = gbk(&clean_text);
    for _ in 0..3 {
        bytes.extend_from_slice(format!("{}\r\n", ",".repeat(27)).as_bytes());
    }
    std::fs::write(&gbk_path, &bytes).unwrap();
    // European settings: `;` and decimal commas, with a byte-order mark.
    let euro_path = dir.join("euro.csv");
    std::fs::write(
        &euro_path,
        format!("\u{feff}{}", satisfaction_text(";", ",")),
    )
    .unwrap();
    // A workbook of the same cells, numbers as numbers.
    let xlsx_path = dir.join("survey.xlsx");
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, line) in clean_text.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell.parse::<f64>() {
                    Ok(x) if r > 0 => sheet.write_number(r, c, x).map(|_| ()),
                    _ => sheet.write_string(r, c, cell).map(|_| ()),
                }
                .unwrap();
            }
        }
        book.save(&xlsx_path).unwrap();
    }

    let options = ReadOptions::default();
    let clean = analysis::read_data(&clean_path, &options).unwrap();
    assert_eq!(clean.n_rows(), 250);
    let request = PlsRequest::default();
    let run = |data: &Dataset| {
        let doc = analysis::pls::run(data, &model, &request, &Observer::silent()).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
        let input = json
            .as_object_mut()
            .unwrap()
            .remove("input")
            .expect("the input key");
        // The audit differs only by the empty rows the reader skipped.
        let mut audit = json
            .as_object_mut()
            .unwrap()
            .remove("data")
            .expect("the data key");
        let skipped = audit["empty_rows_skipped"].take();
        assert_eq!(skipped, input["empty_rows"]);
        json.as_object_mut().unwrap().insert("data".into(), audit);
        (json, input, doc.to_string())
    };
    let (want, clean_input, text) = run(&clean);
    assert_eq!(clean_input["format"], "csv");
    assert!(text.starts_with("Read: "), "{text}");
    let euro_options = ReadOptions::default().decimal_comma(true);
    for (path, options, format, encoding, empty) in [
        (&gbk_path, &options, "csv", Some("GB18030"), 3),
        (&euro_path, &euro_options, "csv", Some("UTF-8"), 0),
        (&xlsx_path, &options, "xlsx", None, 0),
    ] {
        let data = analysis::read_data(path, options).unwrap();
        assert_eq!(data, clean, "{}", path.display());
        let (json, input, _) = run(&data);
        assert_eq!(json, want, "{}", path.display());
        assert_eq!(input["format"], format);
        assert_eq!(input["encoding"].as_str(), encoding);
        assert_eq!(input["rows"], 250);
        assert_eq!(input["empty_rows"], empty);
    }
    // Built-in data have no `input` key.
    let (data, model, _) = analysis::pls::builtin().unwrap();
    let doc = analysis::pls::run(&data, &model, &request, &Observer::silent()).unwrap();
    assert!(!doc.to_json().contains("\"input\""));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_stray_text_cell_costs_one_entry_not_a_string_per_row() {
    let n = 200_000;
    let bad = 123_457; // 1-based data row of the stray cell
    let make = |with_region: bool| {
        let mut text = String::with_capacity(n * 12);
        text.push_str(if with_region { "x,y,region\n" } else { "x,y\n" });
        for i in 1..=n {
            if i == bad {
                text.push_str("N/A");
            } else {
                text.push_str(&(i % 10).to_string());
            }
            text.push_str(&format!(",{}", i % 7));
            if with_region {
                text.push_str(&format!(",r{}", i % 3));
            }
            text.push('\n');
        }
        text
    };
    let numbers = Dataset::from_reader(make(false).as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(numbers.n_rows(), n);
    // x and y: 8 bytes a row each, plus the one text cell. (Held as text,
    // x alone took a 24-byte String per row and more.)
    let bytes = numbers.heap_bytes();
    assert!(
        bytes <= 2 * 8 * n + 4096,
        "{bytes} bytes for 2 x {n} mostly numeric cells"
    );
    match numbers.numeric("x") {
        Err(Error::NonNumeric { column, row, value }) => {
            assert_eq!((column.as_str(), row, value.as_str()), ("x", bad, "N/A"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(numbers.numeric("y").unwrap()[6], 0.0);
    // The labels and the text view show the stray cell where it was; the
    // view is made on demand.
    let x_labels = numbers.labels("x").unwrap();
    assert_eq!(x_labels[bad - 1].as_deref(), Some("N/A"));
    assert_eq!(
        x_labels[bad].as_deref(),
        Some(((bad + 1) % 10).to_string().as_str())
    );
    match numbers.column("x").unwrap() {
        ColumnData::Text {
            values,
            first_non_numeric,
        } => {
            assert_eq!(values[bad - 1], "N/A");
            assert_eq!(values[0], "1");
            assert_eq!(first_non_numeric, &(bad, "N/A".to_string()));
        }
        other => panic!("{other:?}"),
    }
    // Subsets keep the error (as text columns always did).
    let head = numbers.take_rows(&[0, 1, 2]).unwrap();
    assert!(matches!(head.numeric("x"), Err(Error::NonNumeric { row, .. }) if row == bad));
    // Declaring the marker makes the column numeric.
    let fixed =
        Dataset::from_reader(make(false).as_bytes(), &ReadOptions::default().na("N/A")).unwrap();
    let x = fixed.numeric("x").unwrap();
    assert!(x[bad - 1].is_nan() && x.iter().filter(|v| v.is_nan()).count() == 1);
    // A genuine label column is text and serves as a segment column.
    let data = Dataset::from_reader(make(true).as_bytes(), &ReadOptions::default()).unwrap();
    let region = data.labels("region").unwrap();
    assert_eq!(
        (region[0].as_deref(), region[n - 1].as_deref()),
        (Some("r1"), Some("r2"))
    );
    assert!(matches!(
        data.column("region").unwrap(),
        ColumnData::Text { first_non_numeric, .. } if first_non_numeric == &(1, "r1".to_string())
    ));
}

#[test]
fn report_tables_have_a_bom_and_come_as_one_workbook() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let survey = BuiltinSurvey {
        respondents: 600,
        months: 3,
        seed: 5,
    };
    let (mut data, model, description) = survey.simulate().unwrap();
    let chinese = |s: &str| match s {
        "north" => "华北",
        "south" => "华南",
        "east" => "华东",
        _ => "西部",
    };
    let regions: Vec<String> = data
        .labels("region")
        .unwrap()
        .iter()
        .map(|l| chinese(l.as_deref().unwrap_or("")).to_string())
        .collect();
    data.set_text("region", regions).unwrap();
    let request = AcsiRequest {
        segments: vec!["region".into()],
        period: Some("month".into()),
        ..AcsiRequest::default()
    };
    let doc =
        analysis::acsi::run(&data, &model, &description, &request, &Observer::silent()).unwrap();
    let dir = scratch("tables");
    let written = doc.write(&dir).unwrap();
    let tables = doc.report.tables();
    assert!(tables.len() >= 8);
    for t in &tables {
        let bytes = std::fs::read(dir.join("tables").join(&t.file)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{} has no BOM", t.file);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with(&t.header.join(",")), "{}", t.file);
    }
    let by_region = std::fs::read_to_string(dir.join("tables/region_index.csv")).unwrap();
    assert!(by_region.contains("华东"), "{by_region}");

    // The workbook: one sheet per table, in order, named by the file.
    let book_path = dir.join("tables.xlsx");
    assert!(written.contains(&book_path));
    let mut book: Xlsx<_> = open_workbook(&book_path).unwrap();
    let stems: Vec<String> = tables
        .iter()
        .map(|t| t.file.trim_end_matches(".csv").to_string())
        .collect();
    assert_eq!(book.sheet_names(), stems);
    // Numbers are numbers, labels text, `—` empty; the values are the table's.
    let index = tables.iter().find(|t| t.file == "index.csv").unwrap();
    let range = book.worksheet_range("index").unwrap();
    assert_eq!(
        range.get((0, 0)),
        Some(&Data::String(index.header[0].clone()))
    );
    for (i, row) in index.rows.iter().enumerate() {
        assert_eq!(range.get((i + 1, 0)), Some(&Data::String(row[0].clone())));
        let shown: f64 = row[1].parse().unwrap();
        assert_eq!(range.get((i + 1, 1)), Some(&Data::Float(shown)));
    }
    let regions = book.worksheet_range("region_index").unwrap();
    let labels: Vec<String> = (1..regions.height())
        .map(|r| regions.get((r, 0)).unwrap().to_string())
        .collect();
    assert!(labels.contains(&"华东".to_string()), "{labels:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
