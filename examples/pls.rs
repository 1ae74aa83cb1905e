//! Fit a PLS path model to a CSV file and print a report (or the JSON of
//! DESIGN.md §4 with `--json`). Without `--data`/`--model` it fits the
//! built-in ECSI model to the built-in simulated telecom survey.
//!
//! ```text
//! cargo run --release --example pls -- --data FILE.csv --model MODEL.txt [options]
//! ```

use std::process::ExitCode;

use csikit::{CsvOptions, Dataset, MissingPolicy, Model, Pls, Scheme, SurveySimulator};

const USAGE: &str = "\
usage: pls [--data FILE.csv --model MODEL.txt] [options]

  --data FILE        survey data, CSV with a header row
  --model FILE       model in lavaan-style syntax (=~ Mode A, <~ Mode B, ~ paths, # comments)
  --scheme S         path | centroid | factorial            (default path)
  --max-iter N       iteration limit                        (default 300)
  --tol X            stop when no outer weight changes more (default 1e-7)
  --na VALUE         a cell value meaning missing, e.g. -99 (empty cells always are)
  --missing P        listwise | mean | error                (default listwise)
  --weights COLUMN   case (survey) weights
  --json             print the JSON report instead of text
  -h, --help         this text

Without --data and --model: the built-in ECSI model on a simulated telecom survey (250 rows).";

struct Args {
    data: Option<String>,
    model: Option<String>,
    scheme: Scheme,
    max_iter: usize,
    tol: f64,
    na: Vec<String>,
    missing: MissingPolicy,
    weights: Option<String>,
    json: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        data: None,
        model: None,
        scheme: Scheme::Path,
        max_iter: 300,
        tol: 1e-7,
        na: Vec::new(),
        missing: MissingPolicy::Listwise,
        weights: None,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--data" => a.data = Some(value("--data")?),
            "--model" => a.model = Some(value("--model")?),
            "--scheme" => a.scheme = value("--scheme")?.parse().map_err(|e| format!("{e}"))?,
            "--max-iter" => {
                let v = value("--max-iter")?;
                a.max_iter = v
                    .parse()
                    .map_err(|_| format!("--max-iter: `{v}` is not a whole number"))?;
            }
            "--tol" => {
                let v = value("--tol")?;
                a.tol = v
                    .parse()
                    .map_err(|_| format!("--tol: `{v}` is not a number"))?;
            }
            "--na" => a.na.push(value("--na")?),
            "--missing" => a.missing = value("--missing")?.parse().map_err(|e| format!("{e}"))?,
            "--weights" => a.weights = Some(value("--weights")?),
            "--json" => a.json = true,
            "-h" | "--help" => return Err(String::new()),
            "--consistent" | "--bootstrap" | "--seed" | "--predict" | "--groups"
            | "--permutations" | "--scale" | "--ipma" => {
                return Err(format!(
                    "{flag} is not available in this version of csikit yet"
                ));
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if a.data.is_some() != a.model.is_some() {
        return Err("give both --data and --model, or neither for the built-in example".into());
    }
    Ok(a)
}

fn run(args: &Args) -> csikit::Result<()> {
    let (data, model) = match (&args.data, &args.model) {
        (Some(d), Some(m)) => {
            let mut options = CsvOptions::default();
            for na in &args.na {
                options = options.na(na.clone());
            }
            let data = Dataset::from_csv_with(d, &options)?;
            let text = std::fs::read_to_string(m).map_err(|source| csikit::Error::Io {
                path: m.clone(),
                source,
            })?;
            (data, Model::from_syntax(&text)?)
        }
        _ => (
            SurveySimulator::new(250).seed(2026).simulate()?,
            SurveySimulator::model(),
        ),
    };
    let mut pls = Pls::new(&model)
        .scheme(args.scheme)
        .max_iter(args.max_iter)
        .tolerance(args.tol)
        .missing(args.missing);
    if let Some(w) = &args.weights {
        pls = pls.case_weights(w.clone());
    }
    let fit = pls.fit(&data)?;
    if args.json {
        let json = serde_json::to_string_pretty(&fit.report()).expect("serializable");
        println!("{json}");
    } else {
        if args.data.is_none() {
            println!(
                "Built-in example: ECSI model on a simulated telecom survey (250 respondents, seed 2026).\n"
            );
        }
        println!("{fit}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if msg.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
