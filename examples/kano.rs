//! KANO analysis from the command line.
//!
//! ```text
//! cargo run --release --example kano -- --data FILE.csv [--counts] [--threshold 0.06] [--json]
//! ```
//!
//! Without `--data` the example analyses simulated answers (features of
//! known categories from `csikit::kano::simulate`). Run with `--help` for
//! every option.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use csikit::kano::{self, EvaluationTable, KanoOptions, KanoReport, SegmentedReport};
use csikit::{CsvOptions, Dataset};
use serde::Serialize;

const USAGE: &str = "\
Kano analysis of survey answers (Kano et al. 1984; Berger et al. 1993).

USAGE:
    cargo run --release --example kano -- [OPTIONS]

OPTIONS:
    --data FILE        answers CSV: for each feature F the columns F_f (functional)
                       and F_d (dysfunctional), coded 1 like, 2 must-be, 3 neutral,
                       4 live-with, 5 dislike; optional F_i importance (1-9);
                       empty cell = missing. Without --data: built-in simulated data.
    --counts           FILE holds aggregate counts: columns feature,M,O,A,I,R,Q
    --threshold X      category-strength threshold of the M > O > A > I rule
                       (default 0.06; 0 = pure mode)
    --json             print JSON instead of the text table
    --out DIR          directory for the SVG charts (default kano-report)
    --no-charts        do not write charts
    --segment COL      also analyse each value of column COL separately
    --max-q N          drop respondents with more than N questionable (Q) answers
    --weighted         weight the continuous means by self-stated importance (F_i)
    --short            answers use the 3-answer short form: 1 like, 2 neutral, 3 dislike
    --table TABLE      custom evaluation table, 5 rows of 5 letters,
                       e.g. \"QAAAO RIIIM RIIIM RIIIM RRRRQ\" (the standard table)
    --na TEXT          extra missing-value marker in the CSV (e.g. -99)
    --respondents N    respondents in the built-in simulation (default 300)
    --seed N           seed of the built-in simulation (default 2024)
    -h, --help         show this help
";

#[derive(Debug)]
struct Args {
    data: Option<PathBuf>,
    counts: bool,
    threshold: f64,
    json: bool,
    out: PathBuf,
    charts: bool,
    segment: Option<String>,
    max_q: Option<usize>,
    weighted: bool,
    short: bool,
    table: Option<String>,
    na: Vec<String>,
    respondents: usize,
    seed: u64,
}

fn parse_args(raw: &[String]) -> Result<Option<Args>, String> {
    let mut args = Args {
        data: None,
        counts: false,
        threshold: 0.06,
        json: false,
        out: PathBuf::from("kano-report"),
        charts: true,
        segment: None,
        max_q: None,
        weighted: false,
        short: false,
        table: None,
        na: Vec::new(),
        respondents: 300,
        seed: 2024,
    };
    let mut it = raw.iter();
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (flag.as_str(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            match inline.clone().or_else(|| it.next().cloned()) {
                Some(v) => Ok(v),
                None => Err(format!("{name} needs {what}")),
            }
        };
        let number = |text: String, what: &str| -> Result<f64, String> {
            text.trim()
                .parse::<f64>()
                .map_err(|_| format!("{name} needs {what}, not `{text}`"))
        };
        let count = |text: String, what: &str| -> Result<u64, String> {
            text.trim()
                .parse::<u64>()
                .map_err(|_| format!("{name} needs {what}, not `{text}`"))
        };
        match name {
            "-h" | "--help" => return Ok(None),
            "--data" => args.data = Some(PathBuf::from(value("a file name")?)),
            "--counts" => args.counts = true,
            "--threshold" => {
                args.threshold = number(value("a number")?, "a number between 0 and 1")?
            }
            "--json" => args.json = true,
            "--out" => args.out = PathBuf::from(value("a directory")?),
            "--no-charts" => args.charts = false,
            "--segment" => args.segment = Some(value("a column name")?),
            "--max-q" => {
                args.max_q = Some(count(value("a number")?, "a whole number ≥ 0")? as usize)
            }
            "--weighted" => args.weighted = true,
            "--short" => args.short = true,
            "--table" => {
                args.table = Some(value("a table such as \"QAAAO RIIIM RIIIM RIIIM RRRRQ\"")?)
            }
            "--na" => args.na.push(value("a marker")?),
            "--respondents" => {
                args.respondents = count(value("a number")?, "a whole number ≥ 1")? as usize
            }
            "--seed" => args.seed = count(value("a number")?, "a whole number")?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.counts && args.data.is_none() {
        return Err("--counts needs --data FILE with columns feature,M,O,A,I,R,Q".into());
    }
    if args.counts && args.segment.is_some() {
        return Err("--segment needs answer-level data, not --counts".into());
    }
    if args.short && args.table.is_some() {
        return Err("use either --short or --table, not both".into());
    }
    Ok(Some(args))
}

/// The JSON document: the overall report (its keys at the top level) plus
/// the per-segment reports when `--segment` is given.
#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    report: &'a KanoReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    segments: Option<&'a SegmentedReport>,
}

fn write_charts(
    report: &KanoReport,
    dir: &Path,
    suffix: &str,
    written: &mut Vec<PathBuf>,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let mut charts = vec![("better_worse", report.better_worse_svg())];
    if report.features.iter().any(|f| f.functional_mean.is_some()) {
        charts.push(("continuous", report.continuous_svg()));
    }
    for (name, svg) in charts {
        let path = dir.join(format!("{name}{suffix}.svg"));
        std::fs::write(&path, svg)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        written.push(path);
    }
    Ok(())
}

fn run(args: &Args) -> Result<(), String> {
    let table = match (&args.table, args.short) {
        (Some(t), _) => EvaluationTable::parse(t).map_err(|e| e.to_string())?,
        (None, true) => EvaluationTable::short_form(),
        (None, false) => EvaluationTable::standard(),
    };
    let mut options = KanoOptions::default()
        .threshold(args.threshold)
        .weight_by_importance(args.weighted)
        .table(table);
    options.max_questionable = args.max_q;
    let mut csv_options = CsvOptions::default();
    for marker in &args.na {
        csv_options = csv_options.na(marker.clone());
    }

    let mut intro = String::new();
    let data = match &args.data {
        Some(path) => Dataset::from_csv_with(path, &csv_options).map_err(|e| e.to_string())?,
        None => {
            let features = kano::example_features();
            let data = kano::simulate(&features, args.respondents, args.seed)
                .map_err(|e| e.to_string())?;
            let intended: Vec<String> = features
                .iter()
                .map(|f| format!("{} {}", f.name, f.intended().map_or("-", |c| c.letter())))
                .collect();
            intro = format!(
                "No --data given: built-in simulated mobile-banking survey ({} respondents, seed {}).\n\
                 Intended categories: {}.\n\n",
                args.respondents,
                args.seed,
                intended.join(", ")
            );
            data
        }
    };
    let report = if args.counts {
        kano::from_counts(&data, &options)
    } else {
        kano::analyze(&data, &options)
    }
    .map_err(|e| e.to_string())?;
    let segments = match &args.segment {
        Some(col) => Some(kano::analyze_by(&data, col, &options).map_err(|e| e.to_string())?),
        None => None,
    };

    let mut written = Vec::new();
    if args.charts {
        write_charts(&report, &args.out, "", &mut written)?;
        if let Some(s) = &segments {
            // The crate's file-name rule: different segments, different files.
            let labels: Vec<&str> = s.segments.iter().map(|g| g.segment.as_str()).collect();
            let stems = csikit::files::file_stems(&labels);
            for (seg, stem) in s.segments.iter().zip(&stems) {
                let suffix = format!("_{}_{stem}", csikit::files::file_stem(&s.column));
                write_charts(&seg.report, &args.out, &suffix, &mut written)?;
            }
        }
    }

    if args.json {
        let out = Output {
            report: &report,
            segments: segments.as_ref(),
        };
        let text = serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?;
        println!("{text}");
        for path in &written {
            eprintln!("chart written: {}", path.display());
        }
    } else {
        print!("{intro}");
        println!("{report}");
        if let Some(s) = &segments {
            println!("\nBy segment `{}`:\n", s.column);
            println!("{s}");
        }
        if !written.is_empty() {
            println!();
            for path in &written {
                println!("chart written: {}", path.display());
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&raw) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
