//! The analyst's CSI report: Markdown and a self-contained HTML page (inline
//! SVG charts, no external assets, print CSS for A4), plus the tables behind
//! the charts as CSV and as one workbook — in English or Chinese
//! ([`CsiReport::lang`]), items shown by their codebook wording.
//!
//! The report opens with an executive page: the target's index and its
//! change against the previous period and a year earlier, the ranked
//! "fix first" items ([`fix_first`]: one rule at item and construct level),
//! the segments with the lowest index with their own short boards, and the
//! warnings that matter.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::CsiFit;
use super::bins::BinSummary;
use super::chart::{self, MapLevel, interval_label};
use super::groups::{GroupAnalysis, GroupKind};
use super::ipma::{FixFirst, Ipma, Quadrant, fix_first};
use super::models::Construct;
use super::text::{CsiText, t};
use crate::audit::{AuditWarning, ScaleSource};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::i18n::{Labels, Lang};
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
    /// Column headers in the report language (shown in Markdown, HTML, CSV
    /// and the workbook).
    pub header: Vec<String>,
    /// Stable machine names of the columns (`std_error`, `ci_lower`, …),
    /// the same in every language.
    pub keys: Vec<String>,
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
    /// The report language (default English).
    pub lang: Lang,
    /// The codebook whose item wording the report shows (codes without one).
    pub codebook: Option<Codebook>,
    /// Numeric columns binned into segments, with the rows per bin.
    pub bins: Vec<BinSummary>,
    /// Relative importance of the target's drivers beside the PLS
    /// importance, and the profile of the dissatisfied (null when not asked).
    pub key_drivers: Option<super::why::KeyDrivers>,
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

fn signed(x: f64) -> String {
    if x.is_finite() {
        format!("{x:+.1}")
    } else {
        "—".into()
    }
}

/// The files of one segment or period analysis.
struct GroupFiles {
    chart: String,
    index: String,
    impacts: String,
    differences: String,
    impact_differences: String,
    boards: String,
    heat: String,
}

#[path = "report_why.rs"]
mod why_section;

/// The report's fixed file names (charts and tables).
const FIXED_FILES: [&str; 15] = [
    "relative_importance.svg",
    "relative_importance.csv",
    "dissatisfied_segments.csv",
    "dissatisfied_drivers.csv",
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
    "fix_first.csv",
];

/// Items of the fix-first list on the executive page.
const EXEC_ITEMS: usize = 10;
/// Segments with the lowest index on the executive page.
const EXEC_SEGMENTS: usize = 3;
/// Short boards per segment on the executive page and in the segment tables.
const SEGMENT_BOARDS: usize = 3;

/// A table builder: (machine key, header text) per column.
fn table(file: &str, title: String, cols: &[(&str, String)], rows: Vec<Vec<String>>) -> Table {
    Table {
        file: file.to_string(),
        title,
        header: cols.iter().map(|c| c.1.clone()).collect(),
        keys: cols.iter().map(|c| c.0.to_string()).collect(),
        rows,
    }
}

/// A section of the report body.
struct Section<'a> {
    heading: String,
    /// 2 for a section, 3 for a subsection.
    level: usize,
    text: Vec<String>,
    bullets: Vec<String>,
    charts: Vec<&'a Chart>,
    tables: Vec<Table>,
}

impl<'a> Section<'a> {
    fn new(heading: String, level: usize) -> Self {
        Section {
            heading,
            level,
            text: Vec::new(),
            bullets: Vec::new(),
            charts: Vec::new(),
            tables: Vec::new(),
        }
    }
}

impl CsiReport {
    fn tx(&self, key: CsiText, values: &[(&str, String)]) -> String {
        t(key, self.lang, values)
    }

    fn text(&self, key: CsiText) -> String {
        key.text(self.lang).to_string()
    }

    /// Item and construct wording in the report language.
    pub fn labels(&self) -> Labels<'_> {
        Labels::new(self.codebook.as_ref(), self.lang)
    }

    fn cname(&self, c: &Construct) -> String {
        self.labels().construct(c.name())
    }

    fn target_name(&self) -> String {
        self.cname(&self.ipma.target)
    }

    /// A group label in the report language ([`super::text::period_label`]).
    fn glabel(&self, label: &str) -> String {
        super::text::period_label(label, self.lang)
    }

    fn column_name(&self, column: &str) -> String {
        super::text::column_label(column, self.lang)
    }

    /// The fix-first ranking of the target on all respondents ([`fix_first`]).
    pub fn fix_first(&self) -> FixFirst {
        fix_first(&self.ipma)
    }

    fn quadrant(&self, q: Quadrant) -> String {
        self.text(match q {
            Quadrant::ConcentrateHere => CsiText::QConcentrate,
            Quadrant::KeepUpTheGoodWork => CsiText::QKeepUp,
            Quadrant::LowPriority => CsiText::QLowPriority,
            Quadrant::PossibleOverkill => CsiText::QOverkill,
        })
    }

    fn comparison(&self, c: &str) -> String {
        if c == "previous" {
            self.text(CsiText::CPrevious)
        } else if c == "pair" {
            self.text(CsiText::CPair)
        } else if let Some(k) = c.strip_prefix("lag ") {
            if k == "12" {
                self.text(CsiText::CYear)
            } else {
                self.tx(CsiText::CLag, &[("k", k.to_string())])
            }
        } else if let Some(p) = c.strip_prefix("base ") {
            self.tx(CsiText::CBase, &[("p", self.glabel(p))])
        } else {
            c.to_string()
        }
    }

    /// The segment and period analyses, segments first.
    fn group_analyses(&self) -> impl Iterator<Item = &GroupAnalysis> {
        self.segments.iter().chain(self.periods.iter())
    }

    /// The file names of every segment and period analysis, in
    /// [`CsiReport::group_analyses`] order: one stem per column by the
    /// crate's file-name rule ([`crate::files`]: different columns never
    /// share a stem), and every name of the report unique.
    fn group_files(&self) -> Vec<GroupFiles> {
        let columns: Vec<String> = self
            .group_analyses()
            .map(|g| g.column.replace('*', "_x_"))
            .collect();
        let stems = crate::files::file_stems(&columns);
        let mut names: Vec<String> = FIXED_FILES.iter().map(|f| f.to_string()).collect();
        for (g, c) in self.group_analyses().zip(&stems) {
            names.push(match g.kind {
                GroupKind::Segment => format!("segment_{c}.svg"),
                GroupKind::Period => format!("trend_{c}.svg"),
            });
            for t in [
                "index",
                "impacts",
                "differences",
                "impact_differences",
                "short_boards",
            ] {
                names.push(format!("{c}_{t}.csv"));
            }
            names.push(format!("heat_{c}.svg"));
        }
        crate::files::dedupe(&mut names);
        names[FIXED_FILES.len()..]
            .chunks(7)
            .map(|n| GroupFiles {
                chart: n[0].clone(),
                index: n[1].clone(),
                impacts: n[2].clone(),
                differences: n[3].clone(),
                impact_differences: n[4].clone(),
                boards: n[5].clone(),
                heat: n[6].clone(),
            })
            .collect()
    }

    /// The potential gain of every driver per group of a segment analysis
    /// (rows: the total, then the groups; columns: the drivers).
    fn heat_values(&self, g: &GroupAnalysis) -> (Vec<String>, Vec<Construct>, Vec<Vec<f64>>) {
        let total = self.fix_first();
        let drivers: Vec<Construct> = self
            .ipma
            .constructs
            .iter()
            .filter(|c| total.constructs.iter().any(|x| x.construct == c.name))
            .map(|c| c.name.clone())
            .collect();
        let gains = |ff: &FixFirst| -> Vec<f64> {
            drivers
                .iter()
                .map(|d| {
                    ff.constructs
                        .iter()
                        .find(|x| &x.construct == d)
                        .map_or(f64::NAN, |x| x.gain)
                })
                .collect()
        };
        let mut rows = vec![format!(
            "{} (n={})",
            crate::i18n::Common::Total.text(self.lang),
            self.fit.pls.n_observations
        )];
        let mut values = vec![gains(&total)];
        for x in &g.groups {
            rows.push(format!("{} (n={})", self.glabel(&x.label), x.n));
            values.push(
                x.ipma
                    .as_ref()
                    .map_or_else(|| vec![f64::NAN; drivers.len()], |m| gains(&fix_first(m))),
            );
        }
        (rows, drivers, values)
    }

    /// The charts: path diagram, index per construct, IPMA maps (constructs
    /// and items), per segment column its index bars and the driver ×
    /// segment heat map of potential gains, the trend over periods.
    pub fn charts(&self) -> Vec<Chart> {
        let lang = self.lang;
        let labels = self.labels();
        let target = self.target_name();
        let mut out = vec![
            Chart {
                file: "path_diagram.svg".into(),
                title: self.text(CsiText::ChPathTitle),
                svg: chart::path_diagram_in(&self.fit, lang),
            },
            Chart {
                file: "index.svg".into(),
                title: self.text(CsiText::ChIndexTitle),
                svg: chart::index_bars_in(
                    &self.fit.index,
                    &self.tx(
                        CsiText::ChIndexHeading,
                        &[("ci", self.index_interval_label())],
                    ),
                    lang,
                ),
            },
            Chart {
                file: "ipma_constructs.svg".into(),
                title: self.text(CsiText::ChIpmaConstructs),
                svg: chart::ipma_map_in(&self.ipma, MapLevel::Constructs, labels),
            },
            Chart {
                file: "ipma_indicators.svg".into(),
                title: self.text(CsiText::ChIpmaItems),
                svg: chart::ipma_map_in(&self.ipma, MapLevel::Indicators, labels),
            },
        ];
        for (g, files) in self.group_analyses().zip(self.group_files()) {
            let column = self.column_name(&g.column);
            out.push(Chart {
                file: files.chart,
                title: self.tx(
                    CsiText::ChSegmentTitle,
                    &[("target", target.clone()), ("column", column.clone())],
                ),
                svg: match g.kind {
                    GroupKind::Segment => chart::segment_bars_in(g, &self.ipma.target, lang),
                    GroupKind::Period => chart::trend_in(g, &self.ipma.target, lang),
                },
            });
            if g.kind == GroupKind::Segment && !g.groups.is_empty() {
                let (rows, drivers, values) = self.heat_values(g);
                let cols: Vec<String> = drivers.iter().map(|d| self.cname(d)).collect();
                out.push(Chart {
                    file: files.heat,
                    title: self.tx(CsiText::ChHeatTitle, &[("column", column.clone())]),
                    svg: chart::heat_map(
                        &self.tx(
                            CsiText::ChHeatHeading,
                            &[("column", column.clone()), ("target", target.clone())],
                        ),
                        &rows,
                        &cols,
                        &values,
                    ),
                });
            }
        }
        out.extend(self.why_charts());
        out
    }

    /// The tables behind the charts, with headers in the report language
    /// (machine names in [`Table::keys`]).
    pub fn tables(&self) -> Vec<Table> {
        use CsiText as T;
        let h = |k: T| self.text(k);
        let fit = &self.fit;
        let labels = self.labels();
        let boot = fit.bootstrap.is_some();
        let mut out = Vec::new();
        let mut cols = vec![
            ("construct", h(T::HConstruct)),
            ("index", h(T::HIndex)),
            ("std_error", h(T::HStdError)),
            ("ci_lower", h(T::HLower)),
            ("ci_upper", h(T::HUpper)),
            ("r_squared", h(T::HRSquared)),
        ];
        if boot {
            cols.extend([
                ("bootstrap_se", h(T::HBootSe)),
                ("score_ci_lower", h(T::HScoreLower)),
                ("score_ci_upper", h(T::HScoreUpper)),
            ]);
        }
        let rows = fit
            .index
            .constructs
            .iter()
            .map(|c| {
                let mut r = vec![
                    self.cname(&c.construct),
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
            .collect();
        out.push(table(
            "index.csv",
            self.tx(T::TIndex, &[("ci", self.index_interval_label())]),
            &cols,
            rows,
        ));
        out.push(table(
            "paths.csv",
            h(T::TPaths),
            &[
                ("from", h(T::HFrom)),
                ("to", h(T::HTo)),
                ("estimate", h(T::HEstimate)),
                ("std_error", h(T::HStdError)),
                ("t", h(T::HT)),
                ("p", h(T::HP)),
            ],
            fit.pls
                .paths
                .iter()
                .map(|p| {
                    vec![
                        labels.construct(&p.from),
                        labels.construct(&p.to),
                        f(p.estimate, 3),
                        opt(p.std_error, 3),
                        opt(p.t, 2),
                        p_text(p.p),
                    ]
                })
                .collect(),
        ));
        let mut cols = vec![
            ("driver", h(T::HDriver)),
            ("target", h(T::HTarget)),
            ("total_effect_std", h(T::HTotalStd)),
            ("total_effect", h(T::HTotal)),
            ("impact", h(T::HImpact)),
        ];
        if boot {
            cols.extend([("ci_lower", h(T::HLower)), ("ci_upper", h(T::HUpper))]);
        }
        out.push(table(
            "impacts.csv",
            h(T::TImpacts),
            &cols,
            fit.impacts
                .iter()
                .map(|i| {
                    let mut r = vec![
                        self.cname(&i.driver),
                        self.cname(&i.target),
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
        ));
        let ipma_boot = self
            .ipma
            .constructs
            .iter()
            .any(|c| c.importance_ci.is_some());
        let ci_cols = |mut c: Vec<(&'static str, String)>| {
            if ipma_boot {
                c.push(("importance_ci_lower", h(T::HImportanceLower)));
                c.push(("importance_ci_upper", h(T::HImportanceUpper)));
            }
            c
        };
        let target = self.target_name();
        out.push(table(
            "ipma_constructs.csv",
            self.tx(T::TIpmaConstructs, &[("target", target.clone())]),
            &ci_cols(vec![
                ("construct", h(T::HConstruct)),
                ("importance", h(T::HImportance)),
                ("performance", h(T::HPerformance)),
                ("impact", h(T::HImpact)),
                ("quadrant", h(T::HQuadrant)),
            ]),
            self.ipma
                .constructs
                .iter()
                .map(|c| {
                    let mut r = vec![
                        self.cname(&c.name),
                        f(c.importance, 4),
                        f(c.performance, 2),
                        f(c.impact, 2),
                        self.quadrant(c.quadrant),
                    ];
                    if ipma_boot {
                        r.push(opt(c.importance_ci.map(|c| c.lower), 4));
                        r.push(opt(c.importance_ci.map(|c| c.upper), 4));
                    }
                    r
                })
                .collect(),
        ));
        out.push(table(
            "ipma_indicators.csv",
            self.tx(T::TIpmaItems, &[("target", target.clone())]),
            &ci_cols(vec![
                ("item", h(T::HItem)),
                ("code", h(T::HCode)),
                ("construct", h(T::HConstruct)),
                ("importance", h(T::HImportance)),
                ("performance", h(T::HPerformance)),
                ("quadrant", h(T::HQuadrant)),
            ]),
            self.ipma
                .indicators
                .iter()
                .map(|c| {
                    let mut r = vec![
                        labels.item(&c.indicator),
                        c.indicator.clone(),
                        self.cname(&c.construct),
                        f(c.importance, 4),
                        f(c.performance, 2),
                        self.quadrant(c.quadrant),
                    ];
                    if ipma_boot {
                        r.push(opt(c.importance_ci.map(|c| c.lower), 4));
                        r.push(opt(c.importance_ci.map(|c| c.upper), 4));
                    }
                    r
                })
                .collect(),
        ));
        let ff = self.fix_first();
        out.push(self.construct_boards_table("short_boards.csv", &ff));
        out.push(self.fix_first_table("fix_first.csv", &ff, usize::MAX));
        for (g, files) in self.group_analyses().zip(self.group_files()) {
            out.extend(self.group_tables(g, &files));
        }
        out.extend(self.why_tables());
        for b in &self.bins {
            let file = format!("bins_{}.csv", crate::files::file_stems(&[&b.column])[0]);
            out.push(table(
                &file,
                self.tx(T::TBins, &[("column", b.column.clone())]),
                &[("bin", h(T::HBin)), ("n", h(T::HN))],
                b.bins
                    .iter()
                    .map(|(l, n)| vec![l.clone(), n.to_string()])
                    .chain(std::iter::once(vec![
                        crate::i18n::Common::NoData.text(self.lang).to_string(),
                        b.missing.to_string(),
                    ]))
                    .collect(),
            ));
        }
        out
    }

    fn fix_first_table(&self, file: &str, ff: &FixFirst, limit: usize) -> Table {
        use CsiText as T;
        let labels = self.labels();
        table(
            file,
            self.text(T::TFixFirst),
            &[
                ("rank", self.text(T::HRank)),
                ("item", self.text(T::HItem)),
                ("code", self.text(T::HCode)),
                ("construct", self.text(T::HConstruct)),
                ("performance", self.text(T::HPerformance)),
                ("weight", self.text(T::HWeight)),
                ("construct_effect", self.text(T::HTotal)),
                ("potential_gain", self.text(T::HGain)),
            ],
            ff.items
                .iter()
                .take(limit)
                .map(|i| {
                    vec![
                        i.rank.to_string(),
                        labels.item(&i.indicator),
                        i.indicator.clone(),
                        self.cname(&i.construct),
                        f(i.performance, 1),
                        f(i.weight, 3),
                        f(i.construct_effect, 3),
                        f(i.gain, 2),
                    ]
                })
                .collect(),
        )
    }

    fn construct_boards_table(&self, file: &str, ff: &FixFirst) -> Table {
        use CsiText as T;
        let labels = self.labels();
        table(
            file,
            self.text(T::TConstructBoards),
            &[
                ("rank", self.text(T::HRank)),
                ("construct", self.text(T::HConstruct)),
                ("potential_gain", self.text(T::HGain)),
                ("items", self.text(T::HItems)),
                ("top_item", self.text(T::HTopItem)),
            ],
            ff.constructs
                .iter()
                .map(|c| {
                    vec![
                        c.rank.to_string(),
                        self.cname(&c.construct),
                        f(c.gain, 2),
                        c.items.to_string(),
                        labels.item(&c.top_item),
                    ]
                })
                .collect(),
        )
    }

    /// Short board list text: `item (construct, gain)` for the first `k` items.
    fn boards_text(&self, ff: &FixFirst, k: usize) -> String {
        let labels = self.labels();
        let list: Vec<String> = ff
            .items
            .iter()
            .take(k)
            .map(|i| {
                format!(
                    "{} ({}{}{})",
                    labels.item(&i.indicator),
                    self.cname(&i.construct),
                    self.lang.list_sep(),
                    f(i.gain, 2)
                )
            })
            .collect();
        if list.is_empty() {
            self.text(CsiText::NoSegmentBoards)
        } else {
            list.join(if self.lang == Lang::Zh { "；" } else { "; " })
        }
    }

    fn group_tables(&self, g: &GroupAnalysis, files: &GroupFiles) -> Vec<Table> {
        use CsiText as T;
        let h = |k: T| self.text(k);
        let column = self.column_name(&g.column);
        let target = self.target_name();
        let constructs: Vec<Construct> = g
            .groups
            .first()
            .map(|x| {
                x.index
                    .constructs
                    .iter()
                    .map(|c| c.construct.clone())
                    .collect()
            })
            .unwrap_or_default();
        let tname = g.target.name().to_string();
        let tlabel = self.cname(&g.target);
        let mut cols: Vec<(String, String)> =
            vec![("group".into(), column.clone()), ("n".into(), h(T::HN))];
        cols.extend(
            constructs
                .iter()
                .map(|c| (c.name().to_string(), self.cname(c))),
        );
        cols.push((
            format!("{tname}_ci_lower"),
            self.tx(T::HLabelLower, &[("name", tlabel.clone())]),
        ));
        cols.push((
            format!("{tname}_ci_upper"),
            self.tx(T::HLabelUpper, &[("name", tlabel.clone())]),
        ));
        cols.push((
            format!("{tname}_r_squared"),
            self.tx(T::HLabelR2, &[("name", tlabel.clone())]),
        ));
        let cols_ref: Vec<(&str, String)> =
            cols.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let rows = g
            .groups
            .iter()
            .map(|x| {
                let mut r = vec![self.glabel(&x.label), x.n.to_string()];
                r.extend(constructs.iter().map(|c| opt(x.index(c.clone()), 1)));
                let ti = x.index.get(g.target.clone());
                r.push(ti.map_or("—".into(), |ti| f(ti.ci.lower, 1)));
                r.push(ti.map_or("—".into(), |ti| f(ti.ci.upper, 1)));
                r.push(opt(x.target_r_squared, 3));
                r
            })
            .collect();
        let mut out = vec![table(
            &files.index,
            self.tx(T::TGroupIndex, &[("column", column.clone())]),
            &cols_ref,
            rows,
        )];
        if g.kind == GroupKind::Segment {
            let mut cols: Vec<(String, String)> = vec![
                ("group".into(), column.clone()),
                ("n".into(), h(T::HN)),
                ("index".into(), h(T::HIndex)),
            ];
            for k in 1..=SEGMENT_BOARDS {
                cols.push((format!("board_{k}"), format!("{} {k}", h(T::HTopItem))));
                cols.push((format!("gain_{k}"), format!("{} {k}", h(T::HGain))));
            }
            let cols_ref: Vec<(&str, String)> =
                cols.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            let labels = self.labels();
            let rows = g
                .groups
                .iter()
                .map(|x| {
                    let mut r = vec![
                        self.glabel(&x.label),
                        x.n.to_string(),
                        opt(x.index(g.target.clone()), 1),
                    ];
                    let ff = x.ipma.as_ref().map(fix_first);
                    for k in 0..SEGMENT_BOARDS {
                        match ff.as_ref().and_then(|ff| ff.items.get(k)) {
                            Some(i) => {
                                r.push(labels.item(&i.indicator));
                                r.push(f(i.gain, 2));
                            }
                            None => r.extend(["—".to_string(), "—".to_string()]),
                        }
                    }
                    r
                })
                .collect();
            out.push(table(
                &files.boards,
                self.tx(T::TSegmentBoards, &[("column", column.clone())]),
                &cols_ref,
                rows,
            ));
        }
        let drivers: Vec<Construct> = g
            .groups
            .first()
            .map(|x| x.impacts.iter().map(|i| i.driver.clone()).collect())
            .unwrap_or_default();
        let mut cols: Vec<(String, String)> = vec![("group".into(), column.clone())];
        cols.extend(
            drivers
                .iter()
                .map(|d| (d.name().to_string(), self.cname(d))),
        );
        let cols_ref: Vec<(&str, String)> =
            cols.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        out.push(table(
            &files.impacts,
            self.tx(
                T::TGroupImpacts,
                &[("target", target.clone()), ("column", column.clone())],
            ),
            &cols_ref,
            g.groups
                .iter()
                .map(|x| {
                    let mut r = vec![self.glabel(&x.label)];
                    r.extend(drivers.iter().map(|d| {
                        x.impacts
                            .iter()
                            .find(|i| &i.driver == d)
                            .map_or("—".into(), |i| f(i.impact, 2))
                    }));
                    r
                })
                .collect(),
        ));
        out.push(table(
            &files.differences,
            self.tx(
                T::TGroupDiff,
                &[("target", target.clone()), ("column", column.clone())],
            ),
            &[
                ("comparison", h(T::HComparison)),
                ("from", h(T::HFrom)),
                ("to", h(T::HTo)),
                ("difference", h(T::HDifference)),
                ("std_error", h(T::HStdError)),
                ("p", h(T::HP)),
                ("ci_lower", h(T::HLower)),
                ("ci_upper", h(T::HUpper)),
            ],
            g.index_differences
                .iter()
                .filter(|d| d.construct == g.target)
                .map(|d| {
                    vec![
                        self.comparison(&d.comparison),
                        self.glabel(&d.from),
                        self.glabel(&d.to),
                        f(d.difference, 2),
                        f(d.std_error, 2),
                        p_text(d.p_value),
                        d.ci.map_or("—".into(), |c| f(c.lower, 2)),
                        d.ci.map_or("—".into(), |c| f(c.upper, 2)),
                    ]
                })
                .collect(),
        ));
        if g.impact_differences.iter().any(|d| d.p_value.is_some()) {
            out.push(table(
                &files.impact_differences,
                self.tx(
                    T::TGroupImpactDiff,
                    &[("target", target), ("column", column)],
                ),
                &[
                    ("comparison", h(T::HComparison)),
                    ("driver", h(T::HDriver)),
                    ("from", h(T::HFrom)),
                    ("to", h(T::HTo)),
                    ("difference", h(T::HDifference)),
                    ("std_error", h(T::HStdError)),
                    ("p", h(T::HP)),
                    ("ci_lower", h(T::HLower)),
                    ("ci_upper", h(T::HUpper)),
                ],
                g.impact_differences
                    .iter()
                    .map(|d| {
                        vec![
                            self.comparison(&d.comparison),
                            self.cname(&d.driver),
                            self.glabel(&d.from),
                            self.glabel(&d.to),
                            f(d.difference, 2),
                            opt(d.std_error, 2),
                            p_text(d.p_value),
                            d.ci.map_or("—".into(), |c| f(c.lower, 2)),
                            d.ci.map_or("—".into(), |c| f(c.upper, 2)),
                        ]
                    })
                    .collect(),
            ));
        }
        out
    }

    fn index_interval_label(&self) -> String {
        self.fit.index.constructs.first().map_or_else(
            || t(CsiText::ScoreInterval, self.lang, &[("level", "95".into())]),
            |c| interval_label(&c.ci, self.lang),
        )
    }

    fn interval_text(&self) -> String {
        match &self.fit.bootstrap {
            Some(b) => self.tx(
                CsiText::IntervalsBoot,
                &[
                    ("n", (b.run.resamples - b.run.failed).to_string()),
                    ("target", self.cname(&b.target)),
                ],
            ),
            None => self.text(CsiText::IntervalsScore),
        }
    }

    /// What happened to the data, one line per fact, in the report language.
    fn audit_lines(&self) -> Vec<String> {
        use CsiText as T;
        let Some(a) = &self.audit else {
            return Vec::new();
        };
        let mut out = vec![self.tx(
            T::RowsLine,
            &[
                ("read", a.rows_read.to_string()),
                ("used", a.rows_used.to_string()),
            ],
        )];
        if a.empty_rows_skipped > 0 {
            out.push(self.tx(T::EmptyRows, &[("n", a.empty_rows_skipped.to_string())]));
        }
        for d in &a.dropped {
            let reason = match d.reason.as_str() {
                "missing_values" => self.text(T::ReasonMissing),
                "zero_weight" => self.text(T::ReasonZeroWeight),
                "empty_row" => self.text(T::ReasonEmpty),
                other => other.replace('_', " "),
            };
            out.push(self.tx(
                T::DroppedLine,
                &[("reason", reason), ("n", d.rows.to_string())],
            ));
        }
        if a.imputed_cells > 0 {
            out.push(self.tx(T::Imputed, &[("n", a.imputed_cells.to_string())]));
        }
        if let Some(r) = &a.recoding {
            if r.missing_cells > 0 {
                let codes: Vec<String> = r
                    .cells_by_code()
                    .iter()
                    .map(|(code, cells, items)| {
                        self.tx(
                            T::CodeCells,
                            &[
                                ("code", code.to_string()),
                                ("cells", cells.to_string()),
                                ("items", items.to_string()),
                            ],
                        )
                    })
                    .collect();
                out.push(self.tx(
                    T::MissingCodes,
                    &[
                        ("n", r.missing_cells.to_string()),
                        ("codes", codes.join("; ")),
                    ],
                ));
            }
            if !r.reversed.is_empty() {
                out.push(self.tx(
                    T::Reversed,
                    &[("items", r.reversed.join(self.lang.list_sep()))],
                ));
            }
        }
        if !a.scales.is_empty() {
            let count = |s: ScaleSource| a.scales.iter().filter(|x| x.source == s).count();
            let mut parts = Vec::new();
            let n = count(ScaleSource::Codebook);
            if n > 0 {
                parts.push(self.tx(T::ScalesCodebook, &[("n", n.to_string())]));
            }
            let given: Vec<_> = a
                .scales
                .iter()
                .filter(|x| x.source == ScaleSource::Request)
                .collect();
            if !given.is_empty() {
                let mut ranges: Vec<String> = given
                    .iter()
                    .map(|x| format!("{}-{}", x.min, x.max))
                    .collect();
                ranges.sort();
                ranges.dedup();
                parts.push(self.tx(
                    T::ScalesGiven,
                    &[
                        ("n", given.len().to_string()),
                        ("range", ranges.join(self.lang.list_sep())),
                    ],
                ));
            }
            let n = count(ScaleSource::Observed);
            if n > 0 {
                parts.push(self.tx(T::ScalesObserved, &[("n", n.to_string())]));
            }
            out.push(self.tx(T::ScalesLine, &[("parts", parts.join("; "))]));
        }
        out
    }

    /// The warnings that matter, each once: rows not used, groups not
    /// estimated (one summary line for all), rows in no group, inferred
    /// scales, suspected missing codes, index warnings.
    pub fn warnings(&self) -> Vec<String> {
        use CsiText as T;
        let mut out = Vec::new();
        if let Some(a) = &self.audit {
            let column = |c: &str| self.column_name(c);
            let dropped = a.n_dropped();
            if a.rows_read > 0 && dropped * 10 > a.rows_read {
                let w = AuditWarning::RowsNotUsed {
                    dropped,
                    read: a.rows_read,
                    listwise: a.missing_policy == Some(crate::pls::MissingPolicy::Listwise),
                };
                out.push(w.text(self.lang, &column));
            }
            let observed: Vec<String> = a
                .scales
                .iter()
                .filter(|s| s.source == ScaleSource::Observed)
                .map(|s| s.item.clone())
                .collect();
            if !observed.is_empty() {
                let w = AuditWarning::ScalesInferred { items: observed };
                out.push(w.text(self.lang, &column));
            }
            // Rows not used, inferred scales, rows in no group and groups
            // not estimated are summarized above and below from the numbers;
            // every other warning is worded in the report language.
            for w in &a.warnings {
                match a.typed(w) {
                    Some(
                        AuditWarning::RowsNotUsed { .. }
                        | AuditWarning::ScalesInferred { .. }
                        | AuditWarning::NoLabel { .. }
                        | AuditWarning::GroupsSkipped { .. },
                    ) => {}
                    Some(t) => out.push(t.text(self.lang, &column)),
                    None => out.push(self.tx(T::WarningPrefix, &[("text", w.clone())])),
                }
            }
        }
        for g in self.group_analyses() {
            if g.n_missing_label > 0 {
                let w = AuditWarning::NoLabel {
                    rows: g.n_missing_label,
                    column: g.column.clone(),
                };
                out.push(w.text(self.lang, &|c| self.column_name(c)));
            }
        }
        let skipped: Vec<&GroupAnalysis> = self
            .group_analyses()
            .filter(|g| !g.skipped.is_empty())
            .collect();
        if !skipped.is_empty() {
            let groups: usize = skipped.iter().map(|g| g.skipped.len()).sum();
            let rows: usize = skipped
                .iter()
                .flat_map(|g| g.skipped.iter().map(|s| s.n))
                .sum();
            let min = skipped.iter().map(|g| g.min_group_size).max().unwrap_or(0);
            let detail: Vec<String> = skipped
                .iter()
                .map(|g| {
                    let mut l: Vec<String> = g
                        .skipped
                        .iter()
                        .take(5)
                        .map(|s| self.glabel(&s.label))
                        .collect();
                    if g.skipped.len() > 5 {
                        l.push("…".into());
                    }
                    format!(
                        "{} {} ({})",
                        self.column_name(&g.column),
                        g.skipped.len(),
                        l.join(self.lang.list_sep())
                    )
                })
                .collect();
            out.push(self.tx(
                T::SkippedSummary,
                &[
                    ("groups", groups.to_string()),
                    ("min", min.to_string()),
                    ("rows", rows.to_string()),
                    ("detail", detail.join("; ")),
                ],
            ));
        }
        let labels = self.labels();
        let name = |n: &str| {
            let c = labels.construct(n);
            if c != n { c } else { labels.item_with_code(n) }
        };
        for w in &self.fit.index.warnings {
            out.push(self.tx(T::IndexWarning, &[("text", w.text(self.lang, &name))]));
        }
        out
    }

    /// The executive first page.
    fn executive(&self) -> Vec<Section<'static>> {
        use CsiText as T;
        let target = self.target_name();
        let fit = &self.fit;
        let mut head = Section::new(self.text(T::ExecHeading), 2);
        if let Some(c) = fit.construct_index(self.ipma.target.clone()) {
            head.bullets.push(self.tx(
                T::OverallIndex,
                &[
                    ("target", target.clone()),
                    ("value", f(c.index, 1)),
                    ("ci", interval_label(&c.ci, self.lang)),
                    ("lo", f(c.ci.lower, 1)),
                    ("hi", f(c.ci.upper, 1)),
                    ("n", fit.pls.n_observations.to_string()),
                ],
            ));
        }
        if let Some(p) = &self.periods
            && let Some(latest) = p.groups.last()
        {
            let mut line = self.tx(
                T::LatestPeriod,
                &[
                    ("period", self.glabel(&latest.label)),
                    ("value", opt(latest.index(p.target.clone()), 1)),
                ],
            );
            let diffs: Vec<_> = p
                .index_differences
                .iter()
                .filter(|d| d.construct == p.target && d.to == latest.label)
                .collect();
            let sig = |d: &super::groups::IndexDifference| match d.p_value {
                Some(pv) if pv < 1.0 - 0.95 + 1e-12 => {
                    self.tx(T::SigYes, &[("p", p_text(Some(pv)))])
                }
                Some(pv) => self.tx(T::SigNo, &[("p", p_text(Some(pv)))]),
                None => self.text(T::NotTested),
            };
            let mut parts = Vec::new();
            let mut has_prev = false;
            let mut has_year = false;
            for d in &diffs {
                let vals = [
                    ("from", self.glabel(&d.from)),
                    ("diff", signed(d.difference)),
                    ("sig", sig(d)),
                ];
                let key = if d.comparison == "previous" {
                    has_prev = true;
                    T::VsPrevious
                } else if d.comparison == "lag 12" {
                    has_year = true;
                    T::VsYear
                } else if d.comparison.starts_with("base ") {
                    T::VsBase
                } else {
                    T::VsLag
                };
                let k = d.comparison.strip_prefix("lag ").unwrap_or("").to_string();
                let mut v = vals.to_vec();
                v.push(("k", k));
                parts.push(self.tx(key, &v));
            }
            if !has_prev {
                parts.insert(0, self.text(T::PreviousMissing));
            }
            if !has_year
                && p.missing_comparisons
                    .iter()
                    .any(|m| m.to == latest.label && m.comparison == "lag 12")
            {
                parts.push(self.text(T::YearMissing));
            }
            let sep = if self.lang == Lang::Zh { "；" } else { "; " };
            if self.lang == Lang::En {
                line.push(' ');
            }
            line.push_str(&parts.join(sep));
            line.push_str(self.lang.stop());
            head.bullets.push(line);
        }
        let ff = self.fix_first();
        let mut fix = Section::new(self.text(T::FixFirstHeading), 3);
        fix.text
            .push(self.tx(T::FixFirstRule, &[("target", target.clone())]));
        let list: Vec<String> = ff
            .constructs
            .iter()
            .take(3)
            .map(|c| format!("{} ({})", self.cname(&c.construct), f(c.gain, 2)))
            .collect();
        fix.text.push(self.tx(
            T::ConstructBoards,
            &[("list", list.join(self.lang.list_sep()))],
        ));
        fix.tables
            .push(self.fix_first_table("fix_first.csv", &ff, EXEC_ITEMS));
        if ff.items.len() > EXEC_ITEMS {
            fix.text.push(self.tx(
                T::FixFirstMore,
                &[
                    ("shown", EXEC_ITEMS.to_string()),
                    ("n", ff.items.len().to_string()),
                ],
            ));
        }
        let mut out = vec![head, fix];
        let mut lowest: Vec<(&GroupAnalysis, &super::groups::GroupEstimate, f64)> = self
            .segments
            .iter()
            .flat_map(|g| {
                g.groups
                    .iter()
                    .filter_map(move |x| Some((g, x, x.index(g.target.clone())?)))
            })
            .collect();
        lowest.sort_by(|a, b| a.2.total_cmp(&b.2));
        if !lowest.is_empty() {
            let mut seg = Section::new(self.tx(T::LowestSegments, &[("target", target)]), 3);
            for (g, x, v) in lowest.iter().take(EXEC_SEGMENTS) {
                let boards = x.ipma.as_ref().map_or_else(
                    || self.text(T::NoSegmentBoards),
                    |m| self.boards_text(&fix_first(m), SEGMENT_BOARDS),
                );
                seg.bullets.push(self.tx(
                    T::SegmentLine,
                    &[
                        ("column", self.column_name(&g.column)),
                        ("label", self.glabel(&x.label)),
                        ("value", f(*v, 1)),
                        ("n", x.n.to_string()),
                        ("items", boards),
                    ],
                ));
            }
            out.push(seg);
        }
        let mut warn = Section::new(self.text(T::WarningsThatMatter), 3);
        warn.bullets = self.warnings();
        if warn.bullets.is_empty() {
            warn.bullets.push(self.text(T::NoWarnings));
        }
        let why = self.why_exec();
        if !why.is_empty() {
            let mut s = Section::new(self.text(T::WhyHeading), 3);
            s.bullets = why;
            out.push(s);
        }
        out.push(warn);
        out
    }

    /// The data and model facts (after the executive page).
    fn summary(&self) -> Vec<String> {
        use CsiText as T;
        let fit = &self.fit;
        let target = self.target_name();
        let mut out = vec![self.data_description.clone()];
        out.extend(self.audit_lines());
        out.push(self.tx(
            T::Model,
            &[
                ("model", fit.model.template().name.clone()),
                ("constructs", fit.pls.constructs.len().to_string()),
                ("paths", fit.pls.paths.len().to_string()),
                (
                    "scheme",
                    self.text(match fit.pls.scheme {
                        crate::pls::Scheme::Centroid => T::SchemeCentroid,
                        crate::pls::Scheme::Factorial => T::SchemeFactorial,
                        crate::pls::Scheme::Path => T::SchemePath,
                    }),
                ),
                (
                    "converged",
                    self.text(if fit.pls.converged {
                        T::Converged
                    } else {
                        T::NotConverged
                    }),
                ),
                ("iterations", fit.pls.iterations.to_string()),
            ],
        ));
        if let Some(c) = fit.construct_index(self.ipma.target.clone()) {
            out.push(self.tx(
                T::TargetIndex,
                &[
                    ("target", target.clone()),
                    ("value", f(c.index, 1)),
                    ("ci", interval_label(&c.ci, self.lang)),
                    ("lo", f(c.ci.lower, 1)),
                    ("hi", f(c.ci.upper, 1)),
                    ("r2", opt(fit.r_squared(self.ipma.target.clone()), 3)),
                ],
            ));
        }
        if let Some(top) = self
            .ipma
            .constructs
            .iter()
            .max_by(|a, b| a.impact.total_cmp(&b.impact))
        {
            let ci = fit
                .impact(top.name.clone(), self.ipma.target.clone())
                .and_then(|i| i.ci)
                .map_or(String::new(), |c| {
                    format!(
                        "{}{} {:.2} – {:.2}",
                        self.lang.list_sep(),
                        interval_label(&c, self.lang),
                        c.lower,
                        c.upper
                    )
                });
            out.push(self.tx(
                T::StrongestDriver,
                &[
                    ("target", target.clone()),
                    ("driver", self.cname(&top.name)),
                    ("impact", f(top.impact, 2)),
                    ("ci", ci),
                ],
            ));
        }
        let ff = self.fix_first();
        match ff.constructs.first() {
            Some(b) => out.push(self.tx(
                T::TopShortBoard,
                &[
                    ("construct", self.cname(&b.construct)),
                    ("gain", f(b.gain, 2)),
                    ("item", self.labels().item(&b.top_item)),
                ],
            )),
            None => out.push(self.text(T::NoShortBoard)),
        }
        out
    }

    fn sections<'a>(&self, charts: &'a [Chart], tables: &[Table]) -> Vec<Section<'a>> {
        use CsiText as T;
        let chart =
            |file: &str| -> Vec<&'a Chart> { charts.iter().filter(|c| c.file == file).collect() };
        let table = |file: &str| -> Vec<Table> {
            tables.iter().filter(|t| t.file == file).cloned().collect()
        };
        let target = self.target_name();
        let mut out: Vec<Section<'a>> = self.executive();
        let mut data = Section::new(self.text(T::DataHeading), 2);
        data.bullets = self.summary();
        out.push(data);
        let mut s = Section::new(self.text(T::StructuralHeading), 2);
        s.text.push(self.text(T::StructuralText));
        s.charts = chart("path_diagram.svg");
        s.tables = table("paths.csv");
        out.push(s);
        let mut s = Section::new(self.text(T::IndexHeading), 2);
        s.text
            .push(self.tx(T::IndexText, &[("intervals", self.interval_text())]));
        s.charts = chart("index.svg");
        s.tables = [table("index.csv"), table("impacts.csv")].concat();
        out.push(s);
        let mut s = Section::new(self.tx(T::IpmaHeading, &[("target", target.clone())]), 2);
        s.text.push(self.tx(
            T::IpmaText,
            &[
                ("target", target.clone()),
                ("si", format!("{:.3}", self.ipma.construct_split.0)),
                ("sp", format!("{:.1}", self.ipma.construct_split.1)),
            ],
        ));
        s.text
            .push(self.tx(T::FixFirstRule, &[("target", target.clone())]));
        s.charts = [chart("ipma_constructs.svg"), chart("ipma_indicators.svg")].concat();
        s.tables = [
            table("short_boards.csv"),
            table("fix_first.csv"),
            table("ipma_constructs.csv"),
            table("ipma_indicators.csv"),
        ]
        .concat();
        out.push(s);
        out.extend(self.why_sections(&chart, &table));
        for (g, files) in self.group_analyses().zip(self.group_files()) {
            let column = self.column_name(&g.column);
            let grouped_boot = g.groups.iter().any(|x| x.bootstrap.is_some());
            let mut s = Section::new(
                self.tx(
                    match g.kind {
                        GroupKind::Segment => T::SegmentHeading,
                        GroupKind::Period => T::TrendHeading,
                    },
                    &[("column", column.clone())],
                ),
                2,
            );
            s.text.push(format!(
                "{} {}",
                self.tx(T::GroupText, &[("min", g.min_group_size.to_string())]),
                self.text(if grouped_boot {
                    T::GroupTextBoot
                } else {
                    T::GroupTextNormal
                })
            ));
            if g.kind == GroupKind::Segment {
                let mut b = Section::new(
                    self.tx(T::SegmentBoardsHeading, &[("column", column.clone())]),
                    3,
                );
                b.text.push(self.text(T::SegmentBoardsText));
                b.charts = chart(&files.heat);
                b.tables = table(&files.boards);
                s.charts = chart(&files.chart);
                out.push(s);
                out.push(b);
                let mut rest = Section::new(String::new(), 0);
                rest.tables = [
                    &files.index,
                    &files.impacts,
                    &files.differences,
                    &files.impact_differences,
                ]
                .iter()
                .flat_map(|f| table(f))
                .collect();
                out.push(rest);
                continue;
            }
            if !g.missing_comparisons.is_empty() {
                let mut by: Vec<(String, usize)> = Vec::new();
                for m in &g.missing_comparisons {
                    let c = self.comparison(&m.comparison);
                    match by.iter_mut().find(|x| x.0 == c) {
                        Some(x) => x.1 += 1,
                        None => by.push((c, 1)),
                    }
                }
                let first = &g.missing_comparisons[0];
                s.text.push(
                    self.tx(
                        T::NotCompared,
                        &[
                            (
                                "comparison",
                                by.iter()
                                    .map(|(c, n)| format!("{c} ×{n}"))
                                    .collect::<Vec<_>>()
                                    .join(self.lang.list_sep()),
                            ),
                            ("to", self.glabel(&first.to)),
                            ("from", self.glabel(&first.from)),
                            ("reason", first.reason.clone()),
                        ],
                    ),
                );
            }
            s.charts = chart(&files.chart);
            s.tables = [
                &files.index,
                &files.impacts,
                &files.differences,
                &files.impact_differences,
            ]
            .iter()
            .flat_map(|f| table(f))
            .collect();
            out.push(s);
        }
        if !self.bins.is_empty() {
            let mut s = Section::new(self.text(T::BinsHeading), 2);
            for b in &self.bins {
                s.text.push(self.tx(
                    T::BinsText,
                    &[
                        ("column", b.column.clone()),
                        ("spec", b.spec.clone()),
                        ("missing", b.missing.to_string()),
                    ],
                ));
                let file = format!("bins_{}.csv", crate::files::file_stems(&[&b.column])[0]);
                s.tables.extend(table(&file));
            }
            out.push(s);
        }
        let mut notes = Vec::new();
        if let Some(a) = &self.audit
            && !a.scales.is_empty()
        {
            let mut ranges: Vec<(f64, f64)> = a.scales.iter().map(|s| (s.min, s.max)).collect();
            ranges.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
            ranges.dedup();
            notes.push(match ranges.as_slice() {
                [(lo, hi)] => self.tx(T::ScaleNoteOne, &[("range", format!("{lo}-{hi}"))]),
                _ => self.tx(
                    T::ScaleNoteMany,
                    &[(
                        "items",
                        a.scales
                            .iter()
                            .map(|s| format!("{} {}-{}", self.labels().item(&s.item), s.min, s.max))
                            .collect::<Vec<_>>()
                            .join(self.lang.list_sep()),
                    )],
                ),
            });
            notes.push(self.text(T::SeparateEstimation));
        }
        notes.extend(self.notes.iter().cloned());
        if let Some(b) = &self.fit.bootstrap {
            notes.push(self.tx(
                T::BootstrapNote,
                &[
                    ("resamples", b.run.resamples.to_string()),
                    ("n", b.run.n_observations.to_string()),
                    ("seed", b.run.seed.to_string()),
                    ("failed", b.run.failed.to_string()),
                    (
                        "detail",
                        if b.run.failed > 0 {
                            format!(" ({})", b.run.failed_by)
                        } else {
                            String::new()
                        },
                    ),
                ],
            ));
        } else {
            notes.push(self.text(T::NoBootstrapNote));
        }
        let mut s = Section::new(self.text(T::NotesHeading), 2);
        s.text = notes;
        out.push(s);
        out
    }

    /// The report as Markdown; charts are referenced as `charts/NAME.svg`.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# {}\n", self.title);
        let charts = self.charts();
        let tables = self.tables();
        for section in self.sections(&charts, &tables) {
            if section.level > 0 {
                let _ = writeln!(md, "{} {}\n", "#".repeat(section.level), section.heading);
            }
            for p in &section.text {
                let _ = writeln!(md, "{p}\n");
            }
            for b in &section.bullets {
                let _ = writeln!(md, "- {b}");
            }
            if !section.bullets.is_empty() {
                md.push('\n');
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
    /// charts as inline SVG scaled to the page width, wide tables scrolling
    /// in their own box, print CSS for A4; no scripts or external assets).
    pub fn to_html(&self) -> String {
        let mut h = String::new();
        let _ = writeln!(
            h,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
            if self.lang == Lang::Zh { "zh-CN" } else { "en" }
        );
        let _ = writeln!(h, "<title>{}</title>", escape(&self.title));
        h.push_str(
            "<style>body{font-family:Helvetica,Arial,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif;max-width:1100px;margin:2em auto;color:#222;padding:0 1em;line-height:1.5}\
h1{font-size:1.7em}h2{border-bottom:2px solid #2b6cb0;padding-bottom:0.2em;margin-top:1.6em}h3{margin-top:1.2em}\
.exec{background:#f7fafc;border:1px solid #cbd5e0;border-radius:6px;padding:0.4em 1.2em 1em}\
.scroll{overflow-x:auto;max-width:100%;margin:0.5em 0 1.5em}\
table{border-collapse:collapse;font-size:0.92em}td,th{border:1px solid #cbd5e0;padding:3px 8px;text-align:right;white-space:nowrap}\
th{background:#edf2f7}td:first-child,th:first-child{text-align:left}td.text,th.text{text-align:left}td.text{white-space:normal;min-width:4em}caption{text-align:left;font-weight:bold;padding:0.3em 0}\
figure{margin:1em 0}figure svg{width:100%;height:auto;display:block}figcaption{color:#4a5568;font-size:0.9em}\
@media print{@page{size:A4;margin:15mm}body{max-width:none;margin:0;padding:0;font-size:10.5pt}\
.exec{page-break-after:always;break-after:page;border:none;background:none;padding:0}\
h2{page-break-after:avoid;break-after:avoid}figure,tr{page-break-inside:avoid;break-inside:avoid}\
.scroll{overflow:visible}table{font-size:8.5pt}td,th{white-space:normal}}</style>\n</head>\n<body>\n",
        );
        let _ = writeln!(h, "<h1>{}</h1>", escape(&self.title));
        let charts = self.charts();
        let tables = self.tables();
        let sections = self.sections(&charts, &tables);
        let exec_count = self.executive().len();
        h.push_str("<div class=\"exec\">\n");
        for (i, section) in sections.iter().enumerate() {
            if i == exec_count {
                h.push_str("</div>\n");
            }
            if section.level > 0 {
                let _ = writeln!(
                    h,
                    "<h{l}>{}</h{l}>",
                    escape(&section.heading),
                    l = section.level
                );
            }
            for p in &section.text {
                let _ = writeln!(h, "<p>{}</p>", escape(p));
            }
            if !section.bullets.is_empty() {
                h.push_str("<ul>\n");
                for b in &section.bullets {
                    let _ = writeln!(h, "<li>{}</li>", escape(b));
                }
                h.push_str("</ul>\n");
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
                // Words left, numbers right (per column, by its cells).
                let is_num = |c: &str| {
                    let c = c.trim_start_matches(['<', '+', '#']);
                    c == "—" || c.parse::<f64>().is_ok()
                };
                let text_cols: Vec<bool> = (0..t.header.len())
                    .map(|j| t.rows.iter().any(|r| r.get(j).is_some_and(|c| !is_num(c))))
                    .collect();
                let _ = writeln!(
                    h,
                    "<div class=\"scroll\"><table>\n<caption>{}</caption>",
                    escape(&t.title)
                );
                h.push_str("<tr>");
                for (j, c) in t.header.iter().enumerate() {
                    if text_cols[j] {
                        let _ = write!(h, "<th class=\"text\">{}</th>", escape(c));
                    } else {
                        let _ = write!(h, "<th>{}</th>", escape(c));
                    }
                }
                h.push_str("</tr>\n");
                for r in &t.rows {
                    h.push_str("<tr>");
                    for (j, c) in r.iter().enumerate() {
                        if text_cols.get(j).copied().unwrap_or(false) {
                            let _ = write!(h, "<td class=\"text\">{}</td>", escape(c));
                        } else {
                            let _ = write!(h, "<td>{}</td>", escape(c));
                        }
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</table></div>\n");
            }
        }
        if sections.len() <= exec_count {
            h.push_str("</div>\n");
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
}
