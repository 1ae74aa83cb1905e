//! Fit a PLS path model to a CSV file and print a report (or the JSON of
//! DESIGN.md §4 with `--json`). Without `--data`/`--model` it fits the
//! built-in ECSI model to the built-in simulated telecom survey.
//!
//! ```text
//! cargo run --release --example pls -- --data FILE.csv --model MODEL.txt [options]
//! ```

use std::io::IsTerminal;
use std::process::ExitCode;

use csikit::csi::{self, IpmaOptions, Scale, Scales};
use csikit::pls::{CorrelationKind, HocApproach, InteractionApproach};
use csikit::{
    Bootstrap, Correction, CsvOptions, Dataset, MissingPolicy, Model, MultiGroup, Pls, PlsPredict,
    Scheme, SignChange, SurveySimulator,
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
  --consistent       consistent PLS (PLSc, Dijkstra & Henseler 2015) for Mode A constructs
  --predict FOLDS    PLSpredict: k-fold out-of-sample prediction of endogenous indicators
  --bootstrap N      bootstrap N resamples: SE, percentile and BCa intervals of weights,
                     loadings, paths, effects, R², HTMT (of the PLSc estimates with --consistent)
  --confidence X     confidence level of the bootstrap intervals        (default 0.95)
  --sign-change S    none | individual | construct_reversal             (default none)
  --keep-inadmissible  keep resamples/permutations whose PLSc solution is inadmissible
                     (default: drop and count them, as cSEM does)
  --groups COLUMN    multi-group analysis by the levels of COLUMN: permutation test of
                     every path, loading and weight difference; MICOM steps 2-3
  --permutations N   permutations per pair of groups                    (default 999)
  --correction C     holm | bonferroni | none, over pairs of groups     (default holm)
  --seed S           seed of the fold assignment, bootstrap, permutations (default 1)
  --repetitions R    repetitions of the k-fold split (predict)          (default 1)
  --q2               Q² by blindfolding (Stone 1974; Geisser 1974)
  --omission D       blindfolding omission distance for --q2            (default 7, or the
                     next number that does not divide the number of rows)
  --scale MIN:MAX    theoretical answer bounds: adds the 0-100 index per construct
  --ipma TARGET      importance-performance map of TARGET (needs --scale); with --bootstrap
                     also percentile intervals of the importances (importance_ci_lower/upper)
  --hoc A            higher-order constructs (a construct measured by constructs):
                     repeated | embedded | disjoint                     (default repeated)
  --interaction A    interaction terms (`Y ~ X + M + X:M`):
                     product | orthogonal | two_stage                   (default product)
  --slopes F:M:Y     simple-slope table of focal F moderated by M on Y (with bootstrap
                     intervals when --bootstrap is given)
  --ordinal          polychoric correlations: every indicator ordinal (not with
                     --bootstrap, --predict, --groups)
  --json             print the JSON report instead of text
  -h, --help         this text

Without --data and --model: the built-in ECSI model on a simulated telecom survey (250 rows,
answers on 1-10; try --scale 1:10 --ipma Satisfaction, --bootstrap 5000, --groups region).";

struct Args {
    data: Option<String>,
    model: Option<String>,
    scheme: Scheme,
    max_iter: usize,
    tol: f64,
    na: Vec<String>,
    missing: MissingPolicy,
    weights: Option<String>,
    consistent: bool,
    predict: Option<usize>,
    seed: u64,
    repetitions: usize,
    omission: Option<usize>,
    q2: bool,
    scale: Option<Scale>,
    ipma: Option<String>,
    bootstrap: Option<usize>,
    confidence: f64,
    sign_change: SignChange,
    keep_inadmissible: bool,
    groups: Option<String>,
    permutations: usize,
    correction: Correction,
    hoc: HocApproach,
    interaction: InteractionApproach,
    slopes: Option<(String, String, String)>,
    ordinal: bool,
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
        consistent: false,
        predict: None,
        seed: 1,
        repetitions: 1,
        omission: None,
        q2: false,
        scale: None,
        ipma: None,
        bootstrap: None,
        confidence: 0.95,
        sign_change: SignChange::None,
        keep_inadmissible: false,
        groups: None,
        permutations: 999,
        correction: Correction::Holm,
        hoc: HocApproach::RepeatedIndicators,
        interaction: InteractionApproach::ProductIndicator,
        slopes: None,
        ordinal: false,
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
            "--consistent" => a.consistent = true,
            "--q2" => a.q2 = true,
            "--predict" => {
                let v = value("--predict")?;
                a.predict = Some(
                    v.parse()
                        .map_err(|_| format!("--predict: `{v}` is not a whole number of folds"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                a.seed = v
                    .parse()
                    .map_err(|_| format!("--seed: `{v}` is not a whole number ≥ 0"))?;
            }
            "--repetitions" => {
                let v = value("--repetitions")?;
                a.repetitions = v
                    .parse()
                    .map_err(|_| format!("--repetitions: `{v}` is not a whole number"))?;
            }
            "--omission" => {
                a.q2 = true;
                let v = value("--omission")?;
                a.omission = Some(
                    v.parse()
                        .map_err(|_| format!("--omission: `{v}` is not a whole number"))?,
                );
            }
            "--scale" => {
                a.scale =
                    Some(Scale::parse(&value("--scale")?).map_err(|e| format!("--scale: {e}"))?)
            }
            "--ipma" => a.ipma = Some(value("--ipma")?),
            "--json" => a.json = true,
            "-h" | "--help" => return Err(String::new()),
            "--bootstrap" => {
                a.bootstrap = Some(number(&flag, &value(&flag)?, "a whole number")?);
            }
            "--confidence" => a.confidence = number(&flag, &value(&flag)?, "a number")?,
            "--sign-change" => {
                a.sign_change = value(&flag)?.parse().map_err(|e| format!("{e}"))?;
            }
            "--keep-inadmissible" => a.keep_inadmissible = true,
            "--hoc" => a.hoc = value(&flag)?.parse().map_err(|e| format!("{e}"))?,
            "--interaction" => {
                a.interaction = value(&flag)?.parse().map_err(|e| format!("{e}"))?;
            }
            "--ordinal" => a.ordinal = true,
            "--slopes" => {
                let v = value(&flag)?;
                let parts: Vec<&str> = v.split(':').collect();
                let [f, m, y] = parts[..] else {
                    return Err(format!("--slopes: `{v}` is not FOCAL:MODERATOR:DEPENDENT"));
                };
                a.slopes = Some((f.to_string(), m.to_string(), y.to_string()));
            }
            "--groups" => a.groups = Some(value(&flag)?),
            "--permutations" => {
                a.permutations = number(&flag, &value(&flag)?, "a whole number")?;
            }
            "--correction" => {
                a.correction = value(&flag)?.parse().map_err(|e| format!("{e}"))?;
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if a.ipma.is_some() && a.scale.is_none() {
        return Err("--ipma needs --scale MIN:MAX (the answer bounds behind performance)".into());
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
        .missing(args.missing)
        .consistent(args.consistent)
        .hoc_approach(args.hoc)
        .interaction_approach(args.interaction);
    if args.ordinal {
        pls = pls.correlation(CorrelationKind::Polychoric);
    }
    if let Some(w) = &args.weights {
        pls = pls.case_weights(w.clone());
    }
    let fit = pls.fit(&data)?;
    let mut report = fit.report();
    // Q² by blindfolding, when asked for (it needs the rows, so it is not part of `fit.report()`).
    if args.q2 {
        report.blindfolding = Some(match args.omission {
            Some(d) => pls.blindfolding(&data, d)?,
            None => pls.blindfolding_default(&data)?,
        });
    }
    if let Some(folds) = args.predict {
        report.predict = Some(
            PlsPredict::new(&pls)
                .folds(folds)
                .repetitions(args.repetitions)
                .seed(args.seed)
                .run(&data)?,
        );
    }
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
    if let Some(n) = args.bootstrap {
        let mut b = Bootstrap::new(n)
            .seed(args.seed)
            .confidence(args.confidence)
            .sign_change(args.sign_change)
            .keep_inadmissible(args.keep_inadmissible);
        if show_progress && n >= 1000 {
            b = b.progress(progress("bootstrap"));
        }
        report.bootstrap = Some(b.run(&pls, &data)?);
        if let Some((f, m, y)) = &args.slopes {
            report.simple_slopes = Some(b.simple_slopes(&pls, &data, f, m, y)?);
        }
    }
    if let Some((f, m, y)) = &args.slopes
        && report.simple_slopes.is_none()
    {
        report.simple_slopes = Some(fit.simple_slopes(f, m, y)?);
    }
    if let Some(column) = &args.groups {
        let mut g = MultiGroup::new(column.clone())
            .permutations(args.permutations)
            .seed(args.seed)
            .correction(args.correction)
            .keep_inadmissible(args.keep_inadmissible);
        if show_progress && args.permutations >= 1000 {
            g = g.progress(progress("permutations"));
        }
        report.groups = Some(g.run(&pls, &data)?);
    }
    let mut index = None;
    let mut map = None;
    if let Some(scale) = args.scale {
        let idx = csi::index(&fit, &Scales::uniform(scale))?;
        report.set_index(&idx);
        if let Some(target) = &args.ipma {
            let mut m = csi::ipma(&fit, &idx, target.as_str(), &IpmaOptions::default())?;
            // With --bootstrap: percentile intervals of the importances from a
            // bootstrap of the CSI statistics (same resamples, seed and level).
            if let Some(n) = args.bootstrap {
                let settings = Bootstrap::new(n)
                    .seed(args.seed)
                    .confidence(args.confidence)
                    .keep_inadmissible(args.keep_inadmissible)
                    .bca(false);
                let boot = csi::CsiBootstrap::run(
                    &pls,
                    &data,
                    &Scales::uniform(scale),
                    target.as_str(),
                    &settings,
                )?;
                boot.apply_ipma(&mut m);
            }
            report.set_ipma(&m);
            map = Some(m);
        }
        index = Some(idx);
    }
    if args.json {
        let json = serde_json::to_string_pretty(&report).expect("serializable");
        println!("{json}");
    } else {
        if args.data.is_none() {
            println!(
                "Built-in example: ECSI model on a simulated telecom survey (250 respondents, seed 2026).\n"
            );
        }
        if let Some(ext) = &fit.extension {
            if let Some(a) = ext.hoc_approach {
                println!("Higher-order constructs: {a:?} approach");
            }
            if let Some(a) = ext.interaction_approach {
                println!("Interaction terms: {a:?} approach");
            }
            if let Some(s1) = &ext.stage1 {
                println!("\nStage 1 (lower-order constructs)\n{s1}");
                println!("Stage 2");
            }
        }
        if fit.polychoric {
            println!("Indicator correlations: polychoric (ordinal indicators)");
        }
        println!("{fit}");
        if let Some(ss) = &report.simple_slopes {
            println!(
                "Simple slopes of {} on {} (moderator {}; term {}: {:.4})",
                ss.focal, ss.dependent, ss.moderator, ss.term, ss.interaction_effect
            );
            for r in &ss.rows {
                match r.ci {
                    Some((lo, hi)) => println!(
                        "  {} at {:+.0} SD: {:>8.4}   interval {:.4} to {:.4}",
                        ss.moderator, r.moderator_sd, r.slope, lo, hi
                    ),
                    None => println!(
                        "  {} at {:+.0} SD: {:>8.4}",
                        ss.moderator, r.moderator_sd, r.slope
                    ),
                }
            }
            println!();
        }
        if let Some(c) = &fit.consistent {
            println!("Consistent PLS: reliabilities (rho_A) used for the correction");
            for r in &c.reliabilities {
                println!("  {:<16} {:>8.4}", r.construct, r.value);
            }
            if c.admissible {
                println!("  solution admissible");
            } else {
                for p in &c.problems {
                    println!("  INADMISSIBLE: {p}");
                }
            }
            println!("  (paths have no OLS standard errors under PLSc: use the bootstrap)\n");
        }
        println!("{}", report.assessment);
        if let Some(b) = &report.blindfolding {
            println!("{b}");
        }
        if let Some(p) = &report.predict {
            println!(
                "PLSpredict ({} folds, {} repetition(s), seed {}, earliest antecedents; {} rows)",
                p.folds, p.repetitions, p.seed, p.n_observations
            );
            println!(
                "  {:<16} {:<16} {:>8} {:>8} {:>8} {:>8} {:>9}",
                "indicator", "construct", "PLS RMSE", "LM RMSE", "PLS MAE", "LM MAE", "Q²predict"
            );
            for i in &p.indicators {
                println!(
                    "  {:<16} {:<16} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>9.3}{}",
                    i.indicator,
                    i.construct,
                    i.pls_rmse,
                    i.lm_rmse,
                    i.pls_mae,
                    i.lm_mae,
                    i.q2_predict,
                    if i.pls_rmse < i.lm_rmse {
                        "  PLS < LM"
                    } else {
                        ""
                    }
                );
            }
        }
        if let Some(b) = &report.bootstrap {
            println!("\n{b}");
        }
        if let Some(g) = &report.groups {
            println!("\n{g}");
        }
        if let Some(idx) = &index {
            println!("\nIndex (0-100)");
            for c in &idx.constructs {
                println!(
                    "  {:<16} {:>6.1}   95% interval {:>5.1} to {:>5.1}",
                    c.construct.name(),
                    c.index,
                    c.ci.lower,
                    c.ci.upper
                );
            }
            for w in &idx.warnings {
                println!("  warning: {w}");
            }
        }
        if let Some(m) = &map {
            println!("\nImportance-performance map of {}", m.target);
            println!(
                "  {:<16} {:>10} {:>11} {:>7}  quadrant",
                "construct", "importance", "performance", "impact"
            );
            for c in &m.constructs {
                println!(
                    "  {:<16} {:>10.4} {:>11.1} {:>7.2}  {}{}",
                    c.name.name(),
                    c.importance,
                    c.performance,
                    c.impact,
                    c.quadrant.label(),
                    c.via
                        .as_ref()
                        .map(|h| format!(" (via {h})"))
                        .unwrap_or_default()
                );
            }
            println!(
                "  {:<16} {:>10} {:>11}",
                "indicator", "importance", "performance"
            );
            for i in &m.indicators {
                println!(
                    "  {:<16} {:>10.4} {:>11.1}",
                    i.indicator, i.importance, i.performance
                );
            }
            for b in &m.short_boards {
                println!(
                    "  short board #{}: {} (potential gain {:.2})",
                    b.rank, b.name, b.potential_gain
                );
            }
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
