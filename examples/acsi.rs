//! The analyst's CSI report: a customer-satisfaction index model (ECSI on the
//! built-in telecom survey, or your data and model) written as a report
//! folder — `report.md`, a self-contained `report.html`, `charts/*.svg`,
//! `tables/*.csv`.
//!
//! ```text
//! cargo run --release --example acsi                      # built-in survey
//! cargo run --release --example acsi -- --data survey.csv --model ecsi.txt \
//!     --segment region --segment plan --period month --scale 1:10 --out report
//! cargo run --release --example acsi -- --bootstrap 500 --seed 7   # with bootstrap intervals
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use csikit::csi::{CsiAnalysis, CsiModel, CsiReport, PeriodComparison, Scale, Scales};
use csikit::{Bootstrap, CsvOptions, Dataset, Model, SurveySimulator};

const USAGE: &str = "\
CSI report: 0-100 index, impacts, importance-performance map with short boards,
segments and monthly trend (Fornell et al. 1996; Ringle & Sarstedt 2016).

USAGE:
    cargo run --release --example acsi -- [OPTIONS]

OPTIONS:
    --data FILE        survey CSV with a header row (without it: the built-in
                       simulated telecom survey, ECSI model)
    --model FILE       model in lavaan-style syntax (=~, <~, ~; # comments);
                       needed with --data
    --segment COLUMN   analyse per level of COLUMN (repeatable; built-in:
                       region, arpu_tier, age_band, plan)
    --period COLUMN    analyse per period of COLUMN, in time order (built-in: month)
    --base PERIOD      also compare every period with PERIOD
    --lag K            year-over-year lag in periods (default 12)
    --target NAME      target construct of impacts and IPMA (default Satisfaction)
    --scale MIN:MAX    theoretical answer bounds of every item (default 1:10)
    --item-scale ITEM=MIN:MAX
                       bounds of one item (repeatable; mixed scales, e.g. CUSCO=0:1)
    --min-group N      minimum usable respondents per group (default 30)
    --na VALUE         a cell value meaning missing, e.g. -99
    --out DIR          report folder (default acsi-report)
    --bootstrap N      bootstrap N resamples of every fit (all respondents, each
                       segment and period): percentile intervals of the index,
                       impacts and IPMA importances, bootstrap SE/p/interval of
                       the differences between groups. Off by default; 200 take
                       about 3 s on the built-in survey (2 cores, release)
    --level X          confidence level of the intervals (default 0.95)
    --respondents N    built-in survey size (default 9600)
    --months N         built-in survey months (default 24)
    --seed N           seed of the bootstrap and of the built-in survey (default 2026)
    --survey-seed N    seed of the built-in survey only (default: --seed)
    -h, --help         this text
";

struct Args {
    data: Option<String>,
    model: Option<String>,
    segments: Vec<String>,
    period: Option<String>,
    base: Option<String>,
    lag: usize,
    target: String,
    scale: Scale,
    item_scales: Vec<(String, Scale)>,
    min_group: usize,
    na: Vec<String>,
    out: PathBuf,
    respondents: usize,
    months: usize,
    seed: u64,
    survey_seed: Option<u64>,
    bootstrap: Option<usize>,
    level: f64,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut a = Args {
        data: None,
        model: None,
        segments: Vec::new(),
        period: None,
        base: None,
        lag: 12,
        target: "Satisfaction".into(),
        scale: Scale::new(1.0, 10.0),
        item_scales: Vec::new(),
        min_group: 30,
        na: Vec::new(),
        out: PathBuf::from("acsi-report"),
        respondents: 9600,
        months: 24,
        seed: 2026,
        survey_seed: None,
        bootstrap: None,
        level: 0.95,
    };
    let mut it = std::env::args().skip(1);
    fn number<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
        v.parse()
            .map_err(|_| format!("{flag}: `{v}` is not a whole number"))
    }
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--data" => a.data = Some(value()?),
            "--model" => a.model = Some(value()?),
            "--segment" => a.segments.push(value()?),
            "--period" => a.period = Some(value()?),
            "--base" => a.base = Some(value()?),
            "--lag" => a.lag = number(&flag, &value()?)?,
            "--target" => a.target = value()?,
            "--scale" => {
                a.scale = Scale::parse(&value()?).map_err(|e| format!("--scale: {e}"))?;
            }
            "--item-scale" => {
                let v = value()?;
                let (item, bounds) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--item-scale: `{v}` is not ITEM=MIN:MAX"))?;
                let sc = Scale::parse(bounds).map_err(|e| format!("--item-scale: {e}"))?;
                a.item_scales.push((item.to_string(), sc));
            }
            "--min-group" => a.min_group = number(&flag, &value()?)?,
            "--na" => a.na.push(value()?),
            "--out" => a.out = PathBuf::from(value()?),
            "--respondents" => a.respondents = number(&flag, &value()?)?,
            "--months" => a.months = number(&flag, &value()?)?,
            "--seed" => a.seed = number(&flag, &value()?)?,
            "--survey-seed" => a.survey_seed = Some(number(&flag, &value()?)?),
            "--bootstrap" => a.bootstrap = Some(number(&flag, &value()?)?),
            "--level" => {
                let v = value()?;
                a.level = v
                    .parse()
                    .map_err(|_| format!("--level: `{v}` is not a number"))?;
            }
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if a.data.is_some() != a.model.is_some() {
        return Err("give both --data and --model, or neither for the built-in survey".into());
    }
    if a.lag == 0 {
        return Err("--lag must be at least 1".into());
    }
    Ok(Some(a))
}

fn step(start: Instant, what: &str) {
    eprintln!("[{:>6.2}s] {what}", start.elapsed().as_secs_f64());
}

fn run(args: &Args) -> csikit::Result<()> {
    let start = Instant::now();
    let builtin = args.data.is_none();
    let survey_seed = args.survey_seed.unwrap_or(args.seed);
    let (data, model, description) = match (&args.data, &args.model) {
        (Some(d), Some(m)) => {
            step(start, &format!("reading {d}"));
            let mut options = CsvOptions::default();
            for na in &args.na {
                options = options.na(na.clone());
            }
            let data = Dataset::from_csv_with(d, &options)?;
            let text = std::fs::read_to_string(m).map_err(|source| csikit::Error::Io {
                path: m.clone(),
                source,
            })?;
            let model = CsiModel::from_model(Model::from_syntax(&text)?, "custom");
            let desc = format!("Data: {d}, {} rows; model: {m}.", data.n_rows());
            (data, model, desc)
        }
        _ => {
            step(
                start,
                &format!(
                    "simulating the built-in telecom survey ({} respondents, {} months, seed {})",
                    args.respondents, args.months, survey_seed
                ),
            );
            let data = SurveySimulator::new(args.respondents)
                .seed(survey_seed)
                .months(args.months)
                .simulate()?;
            let desc = format!(
                "Data: built-in simulated telecom survey (csikit SurveySimulator, ECSI population model), {} respondents over {} months, seed {}, answers 1-10.",
                args.respondents, args.months, survey_seed
            );
            (data, SurveySimulator::csi_model(), desc)
        }
    };
    let segments: Vec<String> = if builtin && args.segments.is_empty() {
        ["region", "arpu_tier", "age_band", "plan"]
            .map(String::from)
            .to_vec()
    } else {
        args.segments.clone()
    };
    let period = args
        .period
        .clone()
        .or_else(|| builtin.then(|| "month".to_string()));

    let mut scales = Scales::uniform(args.scale);
    for (item, sc) in &args.item_scales {
        scales = scales.with(item.clone(), *sc);
    }
    let mut analysis = CsiAnalysis::new(&model, scales)
        .target(args.target.as_str())
        .min_group_size(args.min_group)
        .level(args.level);
    if let Some(n) = args.bootstrap {
        step(
            start,
            &format!("bootstrap: {n} resamples per fit, seed {}", args.seed),
        );
        analysis = analysis.bootstrap(Bootstrap::new(n).seed(args.seed));
    }
    step(start, "fitting the model on all respondents");
    let fit = analysis.fit(&data)?;
    let map = fit.ipma(args.target.as_str(), &Default::default())?;
    let mut seg_results = Vec::new();
    for s in &segments {
        step(start, &format!("estimating per {s}"));
        seg_results.push(analysis.segments(&data, s)?);
    }
    let periods = match &period {
        Some(p) => {
            step(start, &format!("estimating per {p}"));
            let mut cmp = vec![PeriodComparison::Previous, PeriodComparison::Lag(args.lag)];
            if let Some(b) = &args.base {
                cmp.push(PeriodComparison::Base(b.clone()));
            }
            Some(analysis.periods(&data, p, &cmp)?)
        }
        None => None,
    };
    let report = CsiReport {
        title: format!(
            "Customer satisfaction index report ({})",
            model.template().name
        ),
        data_description: description,
        fit,
        ipma: map,
        segments: seg_results,
        periods,
        notes: vec![format!(
            "Answer scale {}-{} for every item. Each segment and period is a separate estimation with the same model and settings.",
            args.scale.min, args.scale.max
        )],
    };
    step(
        start,
        &format!("writing the report to {}", args.out.display()),
    );
    let written = report.write(&args.out)?;
    step(start, &format!("done: {} files", written.len()));
    println!("{}", args.out.join("report.html").display());
    println!("{}", args.out.join("report.md").display());
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
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
