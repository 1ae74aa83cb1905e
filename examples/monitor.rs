//! Service-quality monitoring: complaint hotspots of a month, KPI target
//! status, the link of complaint categories to the CSI drivers, and a trend
//! chart. Without `--complaints` it runs on the built-in simulated operator.
//!
//! ```text
//! cargo run --release --example monitor -- [--complaints FILE --customers FILE [--survey FILE]] [options]
//! ```

use std::process::ExitCode;

use csikit::monitor::{
    ComplaintColumns, Complaints, CustomerCounts, Hotspots, Kpi, KpiStatus, LinkRow, MetricOptions,
    MonitorSimulation, Period, SurveyInput, evaluate_kpis, link_by_respondent, trend_chart,
};
use csikit::{CsvOptions, Dataset};
use serde::Serialize;

const USAGE: &str = "\
usage: monitor [--complaints FILE --customers FILE [--survey FILE]] [options]

  --complaints FILE   one row per complaint: month (YYYY-MM or a date), category,
                      region, response_hours, resolution_hours, customer_id
  --customers FILE    customers per month and region: month, region, customers
  --survey FILE       survey: customer_id, month, satisfaction (1-10) and driver
                      columns quality_index, value_index, service_index (0-100)
  --period YYYY-MM    month of the hotspot tables       (default: the last month)
  --top N             hotspots per list                 (default 10)
  --min-volume N      minimum volume for the rate list  (default 5)
  --out DIR           where the trend chart goes        (default monitor-report)
  --json              print JSON instead of text
  -h, --help          this text

Targets: satisfied share (answer >= 8) >= 90 %, complaint rate <= 3 %,
response within 1 h >= 90 %, resolution within 24 h >= 80 %.";

#[derive(Serialize)]
struct Output {
    period: Period,
    hotspots: Hotspots,
    kpis: Vec<KpiStatus>,
    links: Vec<LinkRow>,
}

fn run() -> Result<(), String> {
    let mut complaints_file = None;
    let mut customers_file = None;
    let mut survey_file = None;
    let mut period = None;
    let mut top = 10usize;
    let mut min_volume = 5u64;
    let mut out_dir = "monitor-report".to_string();
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--complaints" => complaints_file = Some(value()?),
            "--customers" => customers_file = Some(value()?),
            "--survey" => survey_file = Some(value()?),
            "--period" => {
                let v = value()?;
                period = Some(Period::parse(&v).ok_or(format!("--period: `{v}` is not YYYY-MM"))?);
            }
            "--top" => {
                top = value()?
                    .parse()
                    .map_err(|_| "--top needs a whole number".to_string())?
            }
            "--min-volume" => {
                min_volume = value()?
                    .parse()
                    .map_err(|_| "--min-volume needs a whole number".to_string())?
            }
            "--out" => out_dir = value()?,
            "--json" => json = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    let read =
        |f: &str| Dataset::from_csv_with(f, &CsvOptions::default()).map_err(|e| e.to_string());
    let (complaints, customers, survey) = match (complaints_file, customers_file) {
        (Some(c), Some(n)) => (
            read(&c)?,
            read(&n)?,
            survey_file.map(|s| read(&s)).transpose()?,
        ),
        (None, None) => {
            let sim = MonitorSimulation::new()
                .simulate()
                .map_err(|e| e.to_string())?;
            if !json {
                println!(
                    "Built-in example: a simulated operator (30 000 customers, 12 months, seed 1).\n"
                );
            }
            (sim.complaints, sim.customers, Some(sim.survey))
        }
        _ => {
            return Err(format!(
                "give both --complaints and --customers, or neither\n\n{USAGE}"
            ));
        }
    };
    // Optional columns are used when present (region only when the counts have it too).
    let mut cols = ComplaintColumns::new("month", "category");
    let has = |name: &str| complaints.has_column(name);
    if has("region") && customers.has_column("region") {
        cols = cols.segment("region");
    }
    if has("response_hours") {
        cols = cols.response_hours("response_hours");
    }
    if has("resolution_hours") {
        cols = cols.resolution_hours("resolution_hours");
    }
    if has("customer_id") {
        cols = cols.customer_id("customer_id");
    }
    let segs: Vec<&str> = cols.segments.iter().map(String::as_str).collect();
    let c = Complaints::from_dataset(&complaints, &cols).map_err(|e| e.to_string())?;
    let n = CustomerCounts::from_dataset(&customers, "month", "customers", &segs)
        .map_err(|e| e.to_string())?;
    let metrics = c
        .metrics(&n, &MetricOptions::default())
        .map_err(|e| e.to_string())?;
    let period = period
        .or_else(|| metrics.periods.last().copied())
        .ok_or("no periods in the customer counts")?;
    let hotspots = metrics
        .hotspots(period, top, min_volume, None)
        .map_err(|e| e.to_string())?;
    let mut kpis = vec![
        Kpi::ComplaintRate { max: 0.03 },
        Kpi::ResponseWithin {
            hours: 1.0,
            min_share: 0.9,
        },
        Kpi::ResolutionWithin {
            hours: 24.0,
            min_share: 0.8,
        },
    ];
    let survey_input = survey
        .as_ref()
        .filter(|s| s.has_column("satisfaction"))
        .map(|s| SurveyInput {
            data: s,
            period: "month",
            satisfaction: "satisfaction",
        });
    if survey_input.is_some() {
        kpis.insert(
            0,
            Kpi::SatisfiedShare {
                threshold: 8.0,
                target: 0.9,
            },
        );
    }
    let status = evaluate_kpis(&kpis, &c, &n, survey_input).map_err(|e| e.to_string())?;
    let drivers: Vec<&str> = ["quality_index", "value_index", "service_index"]
        .into_iter()
        .filter(|d| survey.as_ref().is_some_and(|s| s.has_column(d)))
        .collect();
    let links = match (&survey, cols.customer_id.is_some() && !drivers.is_empty()) {
        (Some(s), true) => link_by_respondent(&c, s, "customer_id", &drivers, 0.95, true)
            .map_err(|e| e.to_string())?,
        _ => Vec::new(),
    };
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("cannot create {out_dir}: {e}"))?;
    let top_cats: Vec<&str> = hotspots
        .by_volume
        .iter()
        .take(5)
        .map(|r| r.category.as_str())
        .collect();
    let chart_path = format!("{out_dir}/complaint_trend.svg");
    std::fs::write(&chart_path, trend_chart(&metrics, &top_cats))
        .map_err(|e| format!("cannot write {chart_path}: {e}"))?;
    if json {
        let out = Output {
            period,
            hotspots,
            kpis: status,
            links,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    println!("{hotspots}");
    println!("KPI targets, {period} (all customers)");
    for s in status
        .iter()
        .filter(|s| s.period == period && s.segment.is_none())
    {
        println!("  {s}");
    }
    if !links.is_empty() {
        println!(
            "\nComplaint categories linked to drivers (complainers' mean driver score minus others', 95 % Bonferroni intervals)"
        );
        for l in &links {
            println!(
                "  {:<10} {:<15} n={:<5} diff {:>7.2}  [{:>7.2}, {:>7.2}]  {}",
                l.category,
                l.driver,
                l.n_complained,
                l.difference.unwrap_or(f64::NAN),
                l.ci_lower.unwrap_or(f64::NAN),
                l.ci_upper.unwrap_or(f64::NAN),
                if l.linked { "LINKED" } else { "" }
            );
        }
    }
    println!("\ntrend chart written: {chart_path}");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
