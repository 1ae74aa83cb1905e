//! A report page of the SERVQUAL, KANO and monitoring tasks: a title, summary
//! lines, sections of paragraphs, charts and tables, written as Markdown and
//! as one self-contained HTML page (charts inline, print-friendly CSS, wide
//! tables that scroll), in the report language.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Chart, write_charts};
use crate::audit::DataAudit;
use crate::i18n::Lang;
use crate::svg::escape;
use crate::{Error, Result};

/// A table of a report: a title, human column headers and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The caption.
    pub title: String,
    /// The column headers, in the report language.
    pub header: Vec<String>,
    /// The rows (as many cells as headers).
    pub rows: Vec<Vec<String>>,
}

/// A section: a heading, paragraphs, charts (indices into [`Page::charts`])
/// and tables.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    /// The heading.
    pub heading: String,
    /// Paragraphs.
    pub text: Vec<String>,
    /// The charts shown, as indices into the page's charts.
    pub charts: Vec<usize>,
    /// The tables.
    pub tables: Vec<Table>,
}

impl Section {
    /// An empty section under `heading`.
    pub fn new(heading: impl Into<String>) -> Section {
        Section {
            heading: heading.into(),
            ..Section::default()
        }
    }
}

/// A report page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The language (the `lang` attribute of the HTML page).
    pub lang: Lang,
    /// The title.
    pub title: String,
    /// The summary lines under the title.
    pub summary: Vec<String>,
    /// The sections in order.
    pub sections: Vec<Section>,
    /// The charts the sections refer to (written as `NAME.svg` next to the report).
    pub charts: Vec<Chart>,
}

/// The CSS of the HTML page: CJK fonts, charts at the column's full width,
/// wide tables scrolling inside their box, A4 printing without cut charts.
const CSS: &str = "body{font-family:Helvetica,Arial,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif;\
max-width:1100px;margin:2em auto;color:#222;padding:0 1em;line-height:1.5}\
.scroll{overflow-x:auto;margin:0.5em 0 1.5em}table{border-collapse:collapse}\
td,th{border:1px solid #cbd5e0;padding:3px 8px;text-align:right;white-space:nowrap}\
th{background:#edf2f7;white-space:normal}td:first-child,th:first-child{text-align:left;white-space:normal;min-width:8em}\
caption{text-align:left;font-weight:bold;padding:0.3em 0}figure{margin:1em 0}\
figure svg{width:100%;height:auto;max-width:100%}figcaption{color:#4a5568;font-size:0.9em}\
@media print{@page{size:A4;margin:15mm}body{max-width:none;margin:0}figure,tr{break-inside:avoid}\
.scroll{overflow:visible}h2{break-after:avoid}}";

impl Page {
    /// A page with a title and nothing else.
    pub fn new(lang: Lang, title: impl Into<String>) -> Page {
        Page {
            lang,
            title: title.into(),
            summary: Vec::new(),
            sections: Vec::new(),
            charts: Vec::new(),
        }
    }

    /// Adds a chart and returns its index (for [`Section::charts`]).
    pub fn add_chart(&mut self, chart: Chart) -> usize {
        self.charts.push(chart);
        self.charts.len() - 1
    }

    /// The report as Markdown; chart `i` is referenced as `files[i]`.
    pub fn to_markdown(&self, files: &[String]) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# {}\n", self.title);
        for line in &self.summary {
            let _ = writeln!(md, "- {line}");
        }
        md.push('\n');
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        for section in &self.sections {
            let _ = writeln!(md, "## {}\n", section.heading);
            for p in &section.text {
                let _ = writeln!(md, "{p}\n");
            }
            for &c in &section.charts {
                if let (Some(chart), Some(file)) = (self.charts.get(c), files.get(c)) {
                    let _ = writeln!(md, "![{}]({file})\n", chart.title);
                }
            }
            for t in &section.tables {
                if t.title != section.heading {
                    let _ = writeln!(md, "**{}**\n", t.title);
                }
                let header: Vec<String> = t.header.iter().map(|h| cell(h)).collect();
                let _ = writeln!(md, "| {} |", header.join(" | "));
                let _ = writeln!(md, "|{}|", vec!["---"; t.header.len()].join("|"));
                for r in &t.rows {
                    let row: Vec<String> = r.iter().map(|c| cell(c)).collect();
                    let _ = writeln!(md, "| {} |", row.join(" | "));
                }
                md.push('\n');
            }
        }
        md
    }

    /// The report as one self-contained HTML page (charts inline, no
    /// scripts or external assets).
    pub fn to_html(&self) -> String {
        let mut h = String::new();
        let _ = writeln!(
            h,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
            self.lang.code()
        );
        let _ = writeln!(h, "<title>{}</title>", escape(&self.title));
        let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>");
        let _ = writeln!(h, "<h1>{}</h1>", escape(&self.title));
        if !self.summary.is_empty() {
            h.push_str("<ul>\n");
            for line in &self.summary {
                let _ = writeln!(h, "<li>{}</li>", escape(line));
            }
            h.push_str("</ul>\n");
        }
        for section in &self.sections {
            let _ = writeln!(h, "<h2>{}</h2>", escape(&section.heading));
            for p in &section.text {
                let _ = writeln!(h, "<p>{}</p>", escape(p));
            }
            for &c in &section.charts {
                if let Some(chart) = self.charts.get(c) {
                    let _ = writeln!(
                        h,
                        "<figure>\n{}<figcaption>{}</figcaption>\n</figure>",
                        chart.svg,
                        escape(&chart.title)
                    );
                }
            }
            for t in &section.tables {
                h.push_str("<div class=\"scroll\"><table>\n");
                if t.title != section.heading {
                    let _ = writeln!(h, "<caption>{}</caption>", escape(&t.title));
                }
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
                h.push_str("</table></div>\n");
            }
        }
        h.push_str("</body>\n</html>\n");
        h
    }

    /// Writes the charts (`NAME.svg`, as [`write_charts`] does),
    /// `report.md` and `report.html` into `dir` (created if needed) and
    /// returns the paths written, charts first.
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be written.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        let mut written = write_charts(&self.charts, dir)?;
        let files: Vec<String> = written
            .iter()
            .map(|p| {
                p.file_name()
                    .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
            })
            .collect();
        for (name, text) in [
            ("report.md", self.to_markdown(&files)),
            ("report.html", self.to_html()),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The data-audit lines of a report in `lang`: in English those of
/// [`DataAudit::lines`]; in Chinese rows read and used, rows dropped per
/// reason, cells recoded as missing and the warnings.
pub fn audit_lines(audit: &DataAudit, lang: Lang) -> Vec<String> {
    if lang == Lang::En {
        return audit.lines();
    }
    let mut out = vec![format!(
        "样本：读入 {} 行，使用 {} 行",
        audit.rows_read, audit.rows_used
    )];
    if audit.empty_rows_skipped > 0 {
        out.push(format!(
            "跳过空行（非受访者）：{} 行",
            audit.empty_rows_skipped
        ));
    }
    for d in &audit.dropped {
        let reason = match d.reason.as_str() {
            "no_usable_answers" => "无可用回答",
            "missing_values" => "有缺失值",
            "empty_row" => "空行",
            "zero_weight" => "权重为 0",
            other => other,
        };
        out.push(format!("剔除（{reason}）：{} 行", d.rows));
    }
    if let Some(r) = &audit.recoding
        && r.missing_cells > 0
    {
        out.push(format!("按缺失码记为缺失：{} 个单元格", r.missing_cells));
    }
    if let Some(src) = &audit.scale_source {
        out.push(
            match src.as_str() {
                "request" => "答题量表：命令行 / 请求中声明",
                "codebook" => "答题量表：码本中声明",
                "observed" => "答题量表：未声明，按观测范围",
                _ => "答题量表：部分题项声明，其余按观测范围",
            }
            .to_string(),
        );
    }
    out.extend(
        audit
            .warnings_in(lang, &|c| crate::csi::text::column_label(c, lang))
            .into_iter()
            .map(|w| crate::audit::AuditText::Prefix.fill(lang, &[("text", w)])),
    );
    out
}

/// A number with `dec` decimals, or `NA` (`无` in Chinese) when missing.
pub fn number(x: Option<f64>, dec: usize, lang: Lang) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.dec$}"),
        _ => lang.pick("NA", "无").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_render_tables_charts_and_escape_text() {
        let mut page = Page::new(Lang::Zh, "报告 <1>");
        page.summary.push("满意度 a|b".into());
        let c = page.add_chart(Chart::new(["x"], "图", "<svg></svg>".into()));
        let mut s = Section::new("维度");
        s.charts.push(c);
        s.tables.push(Table {
            title: "表".into(),
            header: vec!["指标".into(), "均值".into()],
            rows: vec![vec!["a|b".into(), "1.00".into()]],
        });
        page.sections.push(s);
        let md = page.to_markdown(&["x.svg".into()]);
        assert!(md.contains("![图](x.svg)"), "{md}");
        assert!(md.contains("| a\\|b | 1.00 |"), "{md}");
        let html = page.to_html();
        assert!(html.contains("<html lang=\"zh\">"));
        assert!(html.contains("报告 &lt;1&gt;"));
        assert!(html.contains("<th>均值</th>") && html.contains("<svg></svg>"));
        assert_eq!(number(None, 2, Lang::Zh), "无");
        assert_eq!(number(Some(1.234), 2, Lang::En), "1.23");
    }
}
