//! Fit a PLS path model to a CSV file and print a report (or the JSON of
//! DESIGN.md §4 with `--json`). Without `--data`/`--model` it fits the
//! built-in ECSI model to the built-in simulated telecom survey.
//!
//! ```text
//! cargo run --release --example pls -- --data FILE.csv --model MODEL.txt [options]
//! ```

use std::io::IsTerminal;
use std::process::ExitCode;

use csikit::{
    Bootstrap, Correction, CsvOptions, Dataset, MissingPolicy, Model, MultiGroup, Pls, Scheme,
    SignChange, SurveySimulator,
};

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
  --bootstrap N      bootstrap N resamples: SE, percentile and BCa intervals
  --confidence X     confidence level of the intervals           (default 0.95)
  --sign-change S    none | individual | construct_reversal     (default none)
  --groups COLUMN    multi-group analysis by the levels of COLUMN (permutation
                     test of every path, loading and weight; MICOM)
  --permutations N   permutations per pair of groups             (default 999)
  --correction C     holm | bonferroni | none, over pairs of groups (default holm)
  --seed S           random seed of --bootstrap and --groups     (default 1)
  --json             print the JSON report instead of text
  -h, --help         this text

Without --data and --model: the built-in ECSI model on a simulated telecom survey
(250 rows; segment columns region, arpu_tier, age_band, plan).";

struct Args {
    data: Option<String>,
    model: Option<String>,
    scheme: Scheme,
    max_iter: usize,
    tol: f64,
    na: Vec<String>,
    missing: MissingPolicy,
    weights: Option<String>,
    bootstrap: Option<usize>,
    confidence: f64,
    sign_change: SignChange,
    groups: Option<String>,
    permutations: usize,
    correction: Correction,
    seed: u64,
    json: bool,
}

fn number<T: std::str::FromStr>(flag: &str, v: &str, what: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: `{v}` is not {what}"))
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
        bootstrap: None,
        confidence: 0.95,
        sign_change: SignChange::None,
        groups: None,
        permutations: 999,
        correction: Correction::Holm,
        seed: 1,
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
            "--bootstrap" => {
                a.bootstrap = Some(number(&flag, &value(&flag)?, "a whole number")?);
            }
            "--confidence" => a.confidence = number(&flag, &value(&flag)?, "a number")?,
            "--sign-change" => {
                a.sign_change = value(&flag)?.parse().map_err(|e| format!("{e}"))?;
            }
            "--groups" => a.groups = Some(value(&flag)?),
            "--permutations" => {
                a.permutations = number(&flag, &value(&flag)?, "a whole number")?;
            }
            "--correction" => {
                a.correction = value(&flag)?.parse().map_err(|e| format!("{e}"))?;
            }
            "--seed" => a.seed = number(&flag, &value(&flag)?, "a whole number")?,
            "--json" => a.json = true,
            "-h" | "--help" => return Err(String::new()),
            "--consistent" | "--predict" | "--scale" | "--ipma" => {
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
    // Progress on stderr for long runs, only when a person is watching.
    let show_progress = std::io::stderr().is_terminal();
    let progress = |what: &'static str| {
        move |p: csikit::pls::Progress| {
            eprint!("\r{what}: {:>3}%", 100 * p.done / p.total.max(1));
            if p.done == p.total {
                eprint!("\r\x1b[K");
            }
        }
    };
    let bootstrap = match args.bootstrap {
        Some(n) => {
            let mut b = Bootstrap::new(n)
                .seed(args.seed)
                .confidence(args.confidence)
                .sign_change(args.sign_change);
            if show_progress && n >= 1000 {
                b = b.progress(progress("bootstrap"));
            }
            Some(b.run(&pls, &data)?)
        }
        None => None,
    };
    let groups = match &args.groups {
        Some(column) => {
            let mut g = MultiGroup::new(column.clone())
                .permutations(args.permutations)
                .seed(args.seed)
                .correction(args.correction);
            if show_progress && args.permutations >= 1000 {
                g = g.progress(progress("permutations"));
            }
            Some(g.run(&pls, &data)?)
        }
        None => None,
    };
    if args.json {
        let mut report = fit.report();
        report.bootstrap = bootstrap;
        report.groups = groups;
        let json = serde_json::to_string_pretty(&report).expect("serializable");
        println!("{json}");
    } else {
        if args.data.is_none() {
            println!(
                "Built-in example: ECSI model on a simulated telecom survey (250 respondents, seed 2026).\n"
            );
        }
        println!("{fit}");
        if let Some(b) = &bootstrap {
            println!("\n{b}");
        }
        if let Some(g) = &groups {
            println!("\n{g}");
        }
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
