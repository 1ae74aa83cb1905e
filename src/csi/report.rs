//! The analyst's CSI report: Markdown and a self-contained HTML page (inline
//! SVG charts, no external assets), plus the tables behind the charts as CSV
//! and as one workbook.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::CsiFit;
use super::chart::{self, MapLevel};
use super::groups::{GroupAnalysis, GroupKind};
use super::ipma::{Ipma, Ranking};
use crate::error::{Error, Result};
use crate::svg::escape;

/// A chart of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// File name (`NAME.svg`).
    pub file: String,
    /// Caption.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// A table of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// File name (`NAME.csv`).
    pub file: String,
    /// Caption.
    pub title: String,
    /// Column headers.
    pub header: Vec<String>,
    /// Rows of formatted cells.
    pub rows: Vec<Vec<String>>,
}

/// Everything a CSI report shows.
#[derive(Debug, Clone, Serialize)]
pub struct CsiReport {
    /// Title.
    pub title: String,
    /// One line on the data (source, rows).
    pub data_description: String,
    /// The overall fit.
    pub fit: CsiFit,
    /// The IPMA of the target on all rows.
    pub ipma: Ipma,
    /// Analyses per segment column.
    pub segments: Vec<GroupAnalysis>,
    /// Analysis per period, if asked.
    pub periods: Option<GroupAnalysis>,
    /// Extra notes shown at the end.
    pub notes: Vec<String>,
    /// What happened to the data (rows read, used, dropped by reason,
    /// recoded codes, scales), shown at the top when present.
    pub audit: Option<crate::audit::DataAudit>,
}

fn f(x: f64, prec: usize) -> String {
    if x.is_finite() {
        format!("{x:.prec$}")
    } else {
        "—".into()
    }
}

fn opt(x: Option<f64>, prec: usize) -> String {
    x.map_or("—".into(), |v| f(v, prec))
}

fn p_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "<0.001".into(),
        Some(p) => format!("{p:.3}"),
        None => "—".into(),
    }
}

/// The files of one segment or period analysis.
struct GroupFiles {
    chart: String,
    index: String,
    impacts: String,
    differences: String,
    impact_differences: String,
}

/// The report's fixed file names (charts and tables).
const FIXED_FILES: [&str; 10] = [
    "path_diagram.svg",
    "index.svg",
    "ipma_constructs.svg",
    "ipma_indicators.svg",
    "index.csv",
    "paths.csv",
    "impacts.csv",
    "ipma_constructs.csv",
    "ipma_indicators.csv",
    "short_boards.csv",
];

impl CsiReport {
    /// The segment and period analyses, segments first.
    fn group_analyses(&self) -> impl Iterator<Item = &GroupAnalysis> {
        self.segments.iter().chain(self.periods.iter())
    }

    /// The file names of every segment and period analysis, in
    /// [`CsiReport::group_analyses`] order: one stem per column by the
    /// crate's file-name rule ([`crate::files`]: different columns never
    /// share a stem), and every name of the report unique.
    fn group_files(&self) -> Vec<GroupFiles> {
        let columns: Vec<&str> = self.group_analyses().map(|g| g.column.as_str()).collect();
        let stems = crate::files::file_stems(&columns);
        let mut names: Vec<String> = FIXED_FILES.iter().map(|f| f.to_string()).collect();
        for (g, c) in self.group_analyses().zip(&stems) {
            names.push(match g.kind {
                GroupKind::Segment => format!("segment_{c}.svg"),
                GroupKind::Period => format!("trend_{c}.svg"),
            });
            for t in ["index", "impacts", "differences", "impact_differences"] {
                names.push(format!("{c}_{t}.csv"));
            }
        }
        crate::files::dedupe(&mut names);
        names[FIXED_FILES.len()..]
            .chunks(5)
            .map(|n| GroupFiles {
                chart: n[0].clone(),
                index: n[1].clone(),
                impacts: n[2].clone(),
                differences: n[3].clone(),
                impact_differences: n[4].clone(),
            })
            .collect()
    }

    /// The charts: path diagram, index per construct, IPMA maps (constructs
    /// and indicators), index by each segment column, trend over periods.
    pub fn charts(&self) -> Vec<Chart> {
        let target = &self.ipma.target;
        let mut out = vec![
            Chart {
                file: "path_diagram.svg".into(),
                title: "Path diagram".into(),
                svg: chart::path_diagram(&self.fit),
            },
            Chart {
                file: "index.svg".into(),
                title: "Index per construct".into(),
                svg: chart::index_bars(
                    &self.fit.index,
                    &format!(
                        "Index per construct (0-100, {})",
                        self.index_interval_label()
                    ),
                ),
            },
            Chart {
                file: "ipma_constructs.svg".into(),
                title: "Importance-performance map (constructs)".into(),
                svg: chart::ipma_map(&self.ipma, MapLevel::Constructs),
            },
            Chart {
                file: "ipma_indicators.svg".into(),
                title: "Importance-performance map (indicators)".into(),
                svg: chart::ipma_map(&self.ipma, MapLevel::Indicators),
            },
        ];
        for (g, files) in self.group_analyses().zip(self.group_files()) {
            out.push(Chart {
                file: files.chart,
                title: format!("{} index by {}", target.label(), g.column),
                svg: match g.kind {
                    GroupKind::Segment => chart::segment_bars(g, target),
                    GroupKind::Period => chart::trend(g, target),
                },
            });
        }
        out
    }

    /// The tables behind the charts.
    pub fn tables(&self) -> Vec<Table> {
        let fit = &self.fit;
        let boot = fit.bootstrap.is_some();
        let mut out = Vec::new();
        let mut header: Vec<String> = [
            "construct",
            "index",
            "std_error",
            "ci_lower",
            "ci_upper",
            "r_squared",
        ]
        .map(String::from)
        .to_vec();
        if boot {
            header.extend(["bootstrap_se", "score_ci_lower", "score_ci_upper"].map(String::from));
        }
        out.push(Table {
            file: "index.csv".into(),
            title: format!("Index per construct ({})", self.index_interval_label()),
            header,
            rows: fit
                .index
                .constructs
                .iter()
                .map(|c| {
                    let mut r = vec![
                        c.construct.name().to_string(),
                        f(c.index, 2),
                        f(c.std_error, 3),
                        f(c.ci.lower, 2),
                        f(c.ci.upper, 2),
                        opt(fit.r_squared(c.construct.clone()), 3),
                    ];
                    if let Some(b) = &fit.bootstrap {
                        r.push(opt(
                            b.get(&format!("index:{}", c.construct))
                                .map(|e| e.std_error),
                            3,
                        ));
                        r.push(f(c.score_ci.lower, 2));
                        r.push(f(c.score_ci.upper, 2));
                    }
                    r
                })
                .collect(),
        });
        out.push(Table {
            file: "paths.csv".into(),
            title: "Structural paths".into(),
            header: ["from", "to", "estimate", "std_error", "t", "p"]
                .map(String::from)
                .to_vec(),
            rows: fit
                .pls
                .paths
                .iter()
                .map(|p| {
                    vec![
                        p.from.clone(),
                        p.to.clone(),
                        f(p.estimate, 3),
                        opt(p.std_error, 3),
                        opt(p.t, 2),
                        p_text(p.p),
                    ]
                })
                .collect(),
        });
        let mut header: Vec<String> = [
            "driver",
            "target",
            "total_effect_std",
            "total_effect",
            "impact",
        ]
        .map(String::from)
        .to_vec();
        if boot {
            header.extend(["ci_lower", "ci_upper"].map(String::from));
        }
        out.push(Table {
            file: "impacts.csv".into(),
            title: "Impacts: index points of the target for a 5-point gain of the driver".into(),
            header,
            rows: fit
                .impacts
                .iter()
                .map(|i| {
                    let mut r = vec![
                        i.driver.name().to_string(),
                        i.target.name().to_string(),
                        f(i.total_effect_std, 3),
                        f(i.total_effect, 4),
                        f(i.impact, 2),
                    ];
                    if boot {
                        r.push(opt(i.ci.map(|c| c.lower), 2));
                        r.push(opt(i.ci.map(|c| c.upper), 2));
                    }
                    r
                })
                .collect(),
        });
        let ipma_boot = self
            .ipma
            .constructs
            .iter()
            .any(|c| c.importance_ci.is_some());
        out.push(Table {
            file: "ipma_constructs.csv".into(),
            title: format!("IPMA of {} (constructs)", self.ipma.target.label()),
            header: with_ci(
                [
                    "construct",
                    "importance",
                    "performance",
                    "impact",
                    "quadrant",
                ],
                ipma_boot,
            ),
            rows: self
                .ipma
                .constructs
                .iter()
                .map(|c| {
                    let mut r = vec![
                        c.name.name().to_string(),
                        f(c.importance, 4),
                        f(c.performance, 2),
                        f(c.impact, 2),
                        c.quadrant.label().to_string(),
                    ];
                    if ipma_boot {
                        r.push(opt(c.importance_ci.map(|c| c.lower), 4));
                        r.push(opt(c.importance_ci.map(|c| c.upper), 4));
                    }
                    r
                })
                .collect(),
        });
        out.push(Table {
            file: "ipma_indicators.csv".into(),
            title: format!("IPMA of {} (indicators)", self.ipma.target.label()),
            header: with_ci(
                [
                    "indicator",
                    "construct",
                    "importance",
                    "performance",
                    "quadrant",
                ],
                ipma_boot,
            ),
            rows: self
                .ipma
                .indicators
                .iter()
                .map(|c| {
                    let mut r = vec![
                        c.indicator.clone(),
                        c.construct.name().to_string(),
                        f(c.importance, 4),
                        f(c.performance, 2),
                        c.quadrant.label().to_string(),
                    ];
                    if ipma_boot {
                        r.push(opt(c.importance_ci.map(|c| c.lower), 4));
                        r.push(opt(c.importance_ci.map(|c| c.upper), 4));
                    }
                    r
                })
                .collect(),
        });
        let mut boards = Vec::new();
        for (level, list) in [
            ("construct", &self.ipma.short_boards),
            ("indicator", &self.ipma.indicator_short_boards),
        ] {
            for b in list {
                boards.push(vec![
                    level.to_string(),
                    b.rank.to_string(),
                    b.name.clone(),
                    b.construct.name().to_string(),
                    f(b.importance, 4),
                    f(b.performance, 2),
                    f(b.potential_gain, 2),
                ]);
            }
        }
        out.push(Table {
            file: "short_boards.csv".into(),
            title: "Short boards (high importance, low performance), ranked".into(),
            header: [
                "level",
                "rank",
                "name",
                "construct",
                "importance",
                "performance",
                "potential_gain",
            ]
            .map(String::from)
            .to_vec(),
            rows: boards,
        });
        for (g, files) in self.group_analyses().zip(self.group_files()) {
            out.extend(group_tables(g, &files));
        }
        out
    }

    /// The report as Markdown; charts are referenced as `charts/NAME.svg`.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# {}\n", self.title);
        for line in self.summary() {
            let _ = writeln!(md, "- {line}");
        }
        md.push('\n');
        let charts = self.charts();
        let tables = self.tables();
        for section in self.sections(&charts, &tables) {
            let _ = writeln!(md, "## {}\n", section.heading);
            for p in &section.text {
                let _ = writeln!(md, "{p}\n");
            }
            for c in &section.charts {
                let _ = writeln!(md, "![{}](charts/{})\n", c.title, c.file);
            }
            for t in &section.tables {
                let _ = writeln!(md, "**{}** (`tables/{}`)\n", t.title, t.file);
                let _ = writeln!(md, "| {} |", t.header.join(" | "));
                let _ = writeln!(md, "|{}|", vec!["---"; t.header.len()].join("|"));
                for r in &t.rows {
                    let _ = writeln!(md, "| {} |", r.join(" | "));
                }
                md.push('\n');
            }
        }
        md
    }

    /// The report as one self-contained HTML page (XHTML-compatible markup,
    /// charts as inline SVG, no scripts or external assets).
    pub fn to_html(&self) -> String {
        let mut h = String::new();
        h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        let _ = writeln!(h, "<title>{}</title>", escape(&self.title));
        h.push_str(
            "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;color:#222;padding:0 1em}\
table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #cbd5e0;padding:3px 8px;text-align:right}\
th{background:#edf2f7}td:first-child,th:first-child{text-align:left}figure{margin:1em 0}\
figcaption{color:#4a5568;font-size:0.9em}.note{color:#4a5568}</style>\n</head>\n<body>\n",
        );
        let _ = writeln!(h, "<h1>{}</h1>\n<ul>", escape(&self.title));
        for line in self.summary() {
            let _ = writeln!(h, "<li>{}</li>", escape(&line));
        }
        h.push_str("</ul>\n");
        let charts = self.charts();
        let tables = self.tables();
        for section in self.sections(&charts, &tables) {
            let _ = writeln!(h, "<h2>{}</h2>", escape(&section.heading));
            for p in &section.text {
                let _ = writeln!(h, "<p>{}</p>", escape(p));
            }
            for c in &section.charts {
                let _ = writeln!(
                    h,
                    "<figure>\n{}<figcaption>{}</figcaption>\n</figure>",
                    c.svg,
                    escape(&c.title)
                );
            }
            for t in &section.tables {
                let _ = writeln!(h, "<table>\n<caption>{}</caption>", escape(&t.title));
                h.push_str("<tr>");
                for c in &t.header {
                    let _ = write!(h, "<th>{}</th>", escape(c));
                }
                h.push_str("</tr>\n");
                for r in &t.rows {
                    h.push_str("<tr>");
                    for c in r {
                        let _ = write!(h, "<td>{}</td>", escape(c));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</table>\n");
            }
        }
        h.push_str("</body>\n</html>\n");
        h
    }

    /// Writes `report.md`, `report.html`, `charts/*.svg`, `tables/*.csv`
    /// (UTF-8 with a byte-order mark, so that Excel shows Chinese labels)
    /// and, with the `xlsx` feature, `tables.xlsx` (the same tables, a
    /// sheet each, numbers as numbers) into `dir` (created if needed);
    /// returns the paths written.
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be written.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        let io = |path: &Path| {
            let p = path.display().to_string();
            move |source| Error::Io { path: p, source }
        };
        let mut written = Vec::new();
        for sub in ["charts", "tables"] {
            let d = dir.join(sub);
            std::fs::create_dir_all(&d).map_err(io(&d))?;
        }
        let mut put = |path: PathBuf, text: &str| -> Result<()> {
            std::fs::write(&path, text).map_err(io(&path))?;
            written.push(path);
            Ok(())
        };
        for c in self.charts() {
            put(dir.join("charts").join(&c.file), &c.svg)?;
        }
        let tables = self.tables();
        for t in &tables {
            put(
                dir.join("tables").join(&t.file),
                &crate::tables::csv_text(&t.header, &t.rows),
            )?;
        }
        put(dir.join("report.md"), &self.to_markdown())?;
        put(dir.join("report.html"), &self.to_html())?;
        if cfg!(feature = "xlsx") {
            let book = dir.join("tables.xlsx");
            let sheets: Vec<crate::tables::SheetTable<'_>> = tables
                .iter()
                .map(|t| crate::tables::SheetTable {
                    name: t.file.strip_suffix(".csv").unwrap_or(&t.file),
                    header: &t.header,
                    rows: &t.rows,
                })
                .collect();
            crate::tables::write_workbook(&book, &sheets)?;
            written.push(book);
        }
        Ok(written)
    }

    fn index_interval_label(&self) -> String {
        self.fit
            .index
            .constructs
            .first()
            .map_or_else(|| "95% score interval".into(), |c| c.ci.label())
    }

    fn interval_text(&self) -> String {
        match &self.fit.bootstrap {
            Some(b) => format!(
                "Intervals: bootstrap percentile intervals from {} resamples of the respondents (re-estimating the weights each time); the score interval (Student t on the per-respondent index scores, weights held fixed) is in score_ci_lower/score_ci_upper. Impacts on {} carry bootstrap intervals too.",
                b.run.resamples - b.run.failed,
                b.target.label()
            ),
            None => "Intervals: Student t on the per-respondent index scores with the weights held fixed.".into(),
        }
    }

    fn summary(&self) -> Vec<String> {
        let fit = &self.fit;
        let t = &self.ipma.target;
        let mut out = vec![self.data_description.clone()];
        if let Some(a) = &self.audit {
            out.extend(a.lines().iter().map(|l| {
                let l = l.trim();
                let mut c = l.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }));
        }
        out.extend([format!(
            "Model: {} ({} constructs, {} paths), PLS {} scheme, {} after {} iterations.",
            fit.model.template().name,
            fit.pls.constructs.len(),
            fit.pls.paths.len(),
            fit.pls.scheme,
            if fit.pls.converged {
                "converged"
            } else {
                "NOT converged"
            },
            fit.pls.iterations
        )]);
        if let Some(c) = fit.construct_index(t.clone()) {
            out.push(format!(
                "{} index: {:.1} ({} {:.1} to {:.1}), R² {}.",
                t.label(),
                c.index,
                c.ci.label(),
                c.ci.lower,
                c.ci.upper,
                opt(fit.r_squared(t.clone()), 3)
            ));
        }
        if let Some(top) = self
            .ipma
            .constructs
            .iter()
            .max_by(|a, b| a.impact.total_cmp(&b.impact))
        {
            let ci = fit
                .impact(top.name.clone(), t.clone())
                .and_then(|i| i.ci)
                .map_or(String::new(), |c| {
                    format!("; {} {:.2} to {:.2}", c.label(), c.lower, c.upper)
                });
            out.push(format!(
                "Strongest driver of {}: {} (a 5-point gain in its index raises {} by {:.2} points{ci}).",
                t.label(),
                top.name.label(),
                t.label(),
                top.impact
            ));
        }
        match self.ipma.short_boards.first() {
            Some(b) => out.push(format!(
                "Top short board: {} (importance {:.3}, performance {:.1}).",
                b.construct.label(),
                b.importance,
                b.performance
            )),
            None => out.push("No construct is both above-average in importance and below-average in performance.".into()),
        }
        for w in &fit.index.warnings {
            out.push(format!("Warning: {w}"));
        }
        out
    }

    fn sections<'a>(&self, charts: &'a [Chart], tables: &'a [Table]) -> Vec<Section<'a>> {
        let chart =
            |file: &str| -> Vec<&'a Chart> { charts.iter().filter(|c| c.file == file).collect() };
        let table =
            |file: &str| -> Vec<&'a Table> { tables.iter().filter(|t| t.file == file).collect() };
        let mut out = vec![
            Section {
                heading: "Structural model".into(),
                text: vec!["Standardized path coefficients with the OLS inference of the inner regressions; R² and the 0-100 index in each box.".into()],
                charts: chart("path_diagram.svg"),
                tables: table("paths.csv"),
            },
            Section {
                heading: "Index per construct".into(),
                text: vec![format!(
                    "Index = Σ v·100(x̄ − min)/(max − min) with unstandardized weights normalized within each block and the theoretical scale bounds (Fornell et al. 1996). {}",
                    self.interval_text()
                )],
                charts: chart("index.svg"),
                tables: [table("index.csv"), table("impacts.csv")].concat(),
            },
            Section {
                heading: format!("Importance-performance map of {}", self.ipma.target.label()),
                text: vec![format!(
                    "Importance = unstandardized total effect on {} (index points per index point); performance = index (constructs) or rescaled item mean (indicators) (Ringle & Sarstedt 2016). Quadrants split at the means (constructs: importance {:.3}, performance {:.1}). Short boards are ranked by {}.",
                    self.ipma.target.label(),
                    self.ipma.construct_split.0,
                    self.ipma.construct_split.1,
                    match self.ipma.ranking {
                        Ranking::PotentialGain => "potential gain = importance × (100 − performance), highest first",
                        Ranking::Importance => "importance, highest first (ties: lower performance first)",
                    }
                )],
                charts: [chart("ipma_constructs.svg"), chart("ipma_indicators.svg")].concat(),
                tables: [
                    table("short_boards.csv"),
                    table("ipma_constructs.csv"),
                    table("ipma_indicators.csv"),
                ]
                .concat(),
            },
        ];
        for (g, files) in self.group_analyses().zip(self.group_files()) {
            let grouped_boot = g.groups.iter().any(|x| x.bootstrap.is_some());
            let mut text = vec![format!(
                "Each group is estimated separately (minimum {} usable respondents). {}",
                g.min_group_size,
                if grouped_boot {
                    "Each group is bootstrapped on its own rows; differences (to − from) are summarized from the differences of independent draws: SE = their SD, percentile interval, and the two-sided bootstrap p-value 2·min(share ≤ 0, share ≥ 0)."
                } else {
                    "Index differences: normal test on independent groups with weights held fixed."
                }
            )];
            if g.n_missing_label > 0 {
                text.push(format!(
                    "{} rows have no {} and are in no group.",
                    g.n_missing_label, g.column
                ));
            }
            for s in &g.skipped {
                text.push(format!(
                    "Skipped group `{}` (n = {}): {}",
                    s.label, s.n, s.reason
                ));
            }
            for m in &g.missing_comparisons {
                text.push(format!(
                    "Not compared ({}): {} with {}, because {}.",
                    m.comparison, m.to, m.from, m.reason
                ));
            }
            let heading = match g.kind {
                GroupKind::Segment => format!("By {}", g.column),
                GroupKind::Period => format!("Trend by {}", g.column),
            };
            out.push(Section {
                heading,
                text,
                charts: chart(&files.chart),
                tables: [
                    &files.index,
                    &files.impacts,
                    &files.differences,
                    &files.impact_differences,
                ]
                .iter()
                .flat_map(|f| table(f))
                .collect(),
            });
        }
        let mut notes = self.notes.clone();
        if let Some(b) = &self.fit.bootstrap {
            notes.push(format!(
                "Bootstrap: {} resamples of {} respondents (seed {}), {} failed{}; each segment and period is resampled on its own rows, seeded by this seed and its label.",
                b.run.resamples,
                b.run.n_observations,
                b.run.seed,
                b.run.failed,
                if b.run.failed > 0 {
                    format!(" ({})", b.run.failed_by)
                } else {
                    String::new()
                }
            ));
        } else {
            notes.push("Without the bootstrap, impacts and importances have no intervals (run with the bootstrap to add them).".into());
        }
        out.push(Section {
            heading: "Notes".into(),
            text: notes,
            charts: Vec::new(),
            tables: Vec::new(),
        });
        out
    }
}

fn with_ci<const N: usize>(cols: [&str; N], ci: bool) -> Vec<String> {
    let mut h: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
    if ci {
        h.push("importance_ci_lower".into());
        h.push("importance_ci_upper".into());
    }
    h
}

struct Section<'a> {
    heading: String,
    text: Vec<String>,
    charts: Vec<&'a Chart>,
    tables: Vec<&'a Table>,
}

fn group_tables(g: &GroupAnalysis, files: &GroupFiles) -> Vec<Table> {
    let constructs: Vec<String> = g
        .groups
        .first()
        .map(|x| {
            x.index
                .constructs
                .iter()
                .map(|c| c.construct.name().to_string())
                .collect()
        })
        .unwrap_or_default();
    let mut header = vec![g.column.clone(), "n".into()];
    header.extend(constructs.iter().cloned());
    let target_name = g.target.name().to_string();
    header.push(format!("{target_name}_ci_lower"));
    header.push(format!("{target_name}_ci_upper"));
    header.push(format!("{target_name}_r_squared"));
    let rows = g
        .groups
        .iter()
        .map(|x| {
            let mut r = vec![x.label.clone(), x.n.to_string()];
            r.extend(constructs.iter().map(|c| opt(x.index(c.as_str()), 1)));
            let t = x.index.get(g.target.clone());
            r.push(t.map_or("—".into(), |t| f(t.ci.lower, 1)));
            r.push(t.map_or("—".into(), |t| f(t.ci.upper, 1)));
            r.push(opt(x.target_r_squared, 3));
            r
        })
        .collect();
    let mut out = vec![Table {
        file: files.index.clone(),
        title: format!("Index by {}", g.column),
        header,
        rows,
    }];
    let drivers: Vec<String> = g
        .groups
        .first()
        .map(|x| {
            x.impacts
                .iter()
                .map(|i| i.driver.name().to_string())
                .collect()
        })
        .unwrap_or_default();
    let mut header = vec![g.column.clone()];
    header.extend(drivers.iter().cloned());
    out.push(Table {
        file: files.impacts.clone(),
        title: format!("Impacts on {} by {}", g.target.label(), g.column),
        header,
        rows: g
            .groups
            .iter()
            .map(|x| {
                let mut r = vec![x.label.clone()];
                r.extend(drivers.iter().map(|d| {
                    x.impacts
                        .iter()
                        .find(|i| i.driver.name() == d)
                        .map_or("—".into(), |i| f(i.impact, 2))
                }));
                r
            })
            .collect(),
    });
    out.push(Table {
        file: files.differences.clone(),
        title: format!(
            "Differences of the {} index by {} (to − from)",
            g.target.label(),
            g.column
        ),
        header: [
            "comparison",
            "from",
            "to",
            "difference",
            "std_error",
            "p",
            "ci_lower",
            "ci_upper",
        ]
        .map(String::from)
        .to_vec(),
        rows: g
            .index_differences
            .iter()
            .filter(|d| d.construct == g.target)
            .map(|d| {
                vec![
                    d.comparison.clone(),
                    d.from.clone(),
                    d.to.clone(),
                    f(d.difference, 2),
                    f(d.std_error, 2),
                    p_text(d.p_value),
                    d.ci.map_or("—".into(), |c| f(c.lower, 2)),
                    d.ci.map_or("—".into(), |c| f(c.upper, 2)),
                ]
            })
            .collect(),
    });
    if g.impact_differences.iter().any(|d| d.p_value.is_some()) {
        out.push(Table {
            file: files.impact_differences.clone(),
            title: format!(
                "Differences of the impacts on {} by {} (to − from; bootstrap)",
                g.target.label(),
                g.column
            ),
            header: [
                "comparison",
                "driver",
                "from",
                "to",
                "difference",
                "std_error",
                "p",
                "ci_lower",
                "ci_upper",
            ]
            .map(String::from)
            .to_vec(),
            rows: g
                .impact_differences
                .iter()
                .map(|d| {
                    vec![
                        d.comparison.clone(),
                        d.driver.name().to_string(),
                        d.from.clone(),
                        d.to.clone(),
                        f(d.difference, 2),
                        opt(d.std_error, 2),
                        p_text(d.p_value),
                        d.ci.map_or("—".into(), |c| f(c.lower, 2)),
                        d.ci.map_or("—".into(), |c| f(c.upper, 2)),
                    ]
                })
                .collect(),
        });
    }
    out
}
