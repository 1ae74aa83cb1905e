//! SERVQUAL analysis of a CSV file (or of built-in simulated data).
//!
//! ```text
//! cargo run --release --example servqual -- [--data FILE.csv] [--reverse 10-13,18-22]
//!     [--scale MIN:MAX] [--segment COLUMN] [--out DIR] [--seed N] [--json]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use csikit::Dataset;
use csikit::servqual::{
    Instrument, Scale, ServqualOptions, Simulation, analyze, analyze_by, gap_chart, parse_items,
    simulate,
};

const USAGE: &str = "\
usage: servqual [--data FILE.csv] [--reverse ITEMS] [--scale MIN:MAX] [--segment COLUMN]
                [--out DIR] [--seed N] [--json]

  --data FILE      CSV with perceptions P1..P22 (required columns), optional expectations
                   E1..E22, adequate A1..A22, desired D1..D22 and importance points
                   W_tangibles W_reliability W_responsiveness W_assurance W_empathy
                   (100 per respondent). Without --data, simulated example data are used.
  --reverse ITEMS  items to reverse-score (negatively worded, 1988 version): e.g. 10-13,18-22
  --scale MIN:MAX  answer scale (default 1:7)
  --segment COL    also report every segment of this column
  --out DIR        directory for the SVG gap chart (default report/servqual)
  --seed N         seed of the simulated data (default 1)
  --json           print the report as JSON instead of text
  --help           show this message

Items 1-4 tangibles, 5-9 reliability, 10-13 responsiveness, 14-17 assurance, 18-22 empathy.";

struct Args {
    data: Option<PathBuf>,
    reverse: Vec<String>,
    scale: Scale,
    segment: Option<String>,
    out: PathBuf,
    seed: u64,
    json: bool,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        data: None,
        reverse: Vec::new(),
        scale: Scale::SEVEN_POINT,
        segment: None,
        out: PathBuf::from("report/servqual"),
        seed: 1,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(None),
            "--json" => args.json = true,
            "--data" => args.data = Some(PathBuf::from(value("--data")?)),
            "--reverse" => {
                args.reverse = parse_items(&value("--reverse")?).map_err(|e| e.to_string())?
            }
            "--scale" => {
                let v = value("--scale")?;
                let (lo, hi) = v
                    .split_once(':')
                    .ok_or_else(|| format!("--scale expects MIN:MAX, got `{v}`"))?;
                let parse = |s: &str| {
                    s.trim()
                        .parse::<f64>()
                        .map_err(|_| format!("--scale: `{s}` is not a number"))
                };
                args.scale = Scale::new(parse(lo)?, parse(hi)?).map_err(|e| e.to_string())?;
            }
            "--segment" => args.segment = Some(value("--segment")?),
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--seed" => {
                let v = value("--seed")?;
                args.seed = v
                    .parse()
                    .map_err(|_| format!("--seed expects a whole number, got `{v}`"))?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(args))
}

fn run(args: &Args) -> Result<(), String> {
    let data = match &args.data {
        Some(path) => Dataset::from_csv(path).map_err(|e| e.to_string())?,
        None => {
            let sim = Simulation {
                seed: args.seed,
                ..Simulation::default()
            };
            eprintln!(
                "no --data given: using built-in simulated data ({} respondents, seed {}; see --help)",
                sim.n, sim.seed
            );
            simulate(&sim).map_err(|e| e.to_string())?
        }
    };
    let options = ServqualOptions::default()
        .scale(args.scale)
        .reverse(&args.reverse);
    let instrument = Instrument::standard();
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create `{}`: {e}", args.out.display()))?;
    let write_chart = |name: String, svg: String| -> Result<(), String> {
        let path = args.out.join(name);
        std::fs::write(&path, svg)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        eprintln!("gap chart written to {}", path.display());
        Ok(())
    };
    match &args.segment {
        None => {
            let report = analyze(&data, &instrument, &options).map_err(|e| e.to_string())?;
            write_chart("servqual_gaps.svg".into(), gap_chart(&report))?;
            if args.json {
                println!("{}", to_json(&report)?);
            } else {
                print!("{report}");
            }
        }
        Some(column) => {
            let report =
                analyze_by(&data, column, &instrument, &options).map_err(|e| e.to_string())?;
            write_chart("servqual_gaps.svg".into(), gap_chart(&report.overall))?;
            // The crate's file-name rule: different segments, different files.
            let labels: Vec<&str> = report.segments.iter().map(|s| s.label.as_str()).collect();
            let stems = csikit::files::file_stems(&labels);
            for (seg, stem) in report.segments.iter().zip(&stems) {
                write_chart(
                    format!(
                        "servqual_gaps_{}_{stem}.svg",
                        csikit::files::file_stem(column)
                    ),
                    gap_chart(&seg.report),
                )?;
            }
            if args.json {
                println!("{}", to_json(&report)?);
            } else {
                print!("{report}");
            }
        }
    }
    Ok(())
}

/// Pretty JSON of a library report.
fn to_json<T: serde::Serialize>(report: &T) -> Result<String, String> {
    serde_json::to_string_pretty(report).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match parse_args() {
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Ok(Some(args)) => match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
    }
}
