//! The SERVQUAL gap chart (SVG).

use super::report::num;
use super::scores::ServqualReport;
use super::text::{Text, dimension};
use crate::i18n::Lang;
use crate::svg::{Anchor, LinearScale, Svg, nice_ticks, text_width, wrap_text};

const EXPECTATION: &str = "#555555";
const PERCEPTION: &str = "#1f5fa8";
const ZONE: &str = "#d9e8f5";
const SHORTFALL: &str = "#c0392b";
const SURPLUS: &str = "#2e8b57";

/// An SVG chart of the mean expectation and perception per dimension, joined
/// by a line coloured by the sign of the gap (red: perception below
/// expectation), over the zone of tolerance [adequate, desired] when the data
/// have A and D columns. Without expectations only perceptions (and the zone)
/// are drawn.
///
/// ```
/// use csikit::servqual::{analyze, gap_chart, simulate, Instrument, ServqualOptions, Simulation};
/// let data = simulate(&Simulation::default()).unwrap();
/// let report = analyze(&data, &Instrument::standard(), &ServqualOptions::default()).unwrap();
/// let svg = gap_chart(&report);
/// assert!(svg.starts_with("<svg") && svg.contains("reliability"));
/// ```
pub fn gap_chart(report: &ServqualReport) -> String {
    gap_chart_in(report, Lang::En, None)
}

/// [`gap_chart`] in `lang`, with an optional subtitle (e.g. the segment).
/// The y axis spans the whole answer scale; dimension names are wrapped
/// to their column, and the legend to the chart's width.
pub fn gap_chart_in(report: &ServqualReport, lang: Lang, subtitle: Option<&str>) -> String {
    let k = report.dimensions.len().max(1);
    let width = 800.0;
    let (left, right) = (64.0, 24.0);
    let plot_w = width - left - right;
    let band = plot_w / k as f64;
    let names: Vec<Vec<String>> = report
        .dimensions
        .iter()
        .map(|d| wrap_text(&dimension(&d.name, lang), 12.0, band - 6.0))
        .collect();
    let name_lines = names.iter().map(Vec::len).max().unwrap_or(1) as f64;

    // Title, subtitle and legend rows.
    let mut head: Vec<(String, f64, bool)> = vec![(
        Text::ChartTitle.fill(lang, &[("n", report.n.to_string())]),
        16.0,
        true,
    )];
    if let Some(s) = subtitle {
        for line in wrap_text(s, 13.0, width - left - right) {
            head.push((line, 13.0, false));
        }
    }
    let mut legend: Vec<(&str, Text)> = Vec::new();
    if report.sources.expectation {
        legend.push((EXPECTATION, Text::Expectation));
    }
    legend.push((PERCEPTION, Text::Perception));
    if report.sources.adequate && report.sources.desired {
        legend.push((ZONE, Text::Zone));
    }
    // Lay the legend out in rows that fit the width.
    let mut rows: Vec<Vec<(f64, &str, &str)>> = vec![Vec::new()];
    let mut lx = left;
    for (colour, text) in &legend {
        let t = text.text(lang);
        let w = 24.0 + text_width(t, 12.0) + 20.0;
        if lx + w > width - right && lx > left {
            rows.push(Vec::new());
            lx = left;
        }
        if let Some(row) = rows.last_mut() {
            row.push((lx, *colour, t));
        }
        lx += w;
    }
    let top_head = 24.0 + 20.0 * (head.len() - 1) as f64;
    let legend_y0 = top_head + 24.0;
    let top = legend_y0 + 18.0 * rows.len() as f64 + 24.0;
    let plot_h = 300.0;
    let bottom = 24.0 + 16.0 * name_lines;
    let mut svg = Svg::new(width, top + plot_h + bottom);

    let (y0, y1) = (report.scale.min(), report.scale.max());
    let y = LinearScale::new(y0, y1, top + plot_h, top);

    let mut ty = 24.0;
    for (line, size, bold) in &head {
        svg.text_styled(left, ty, line, *size, Anchor::Start, "#222222", *bold);
        ty += 20.0;
    }
    for (r, row) in rows.iter().enumerate() {
        let ly = legend_y0 + 18.0 * r as f64;
        for &(x, colour, t) in row {
            if colour == ZONE {
                svg.rect(x, ly - 10.0, 18.0, 12.0, ZONE, Some("#9bbbd9"));
            } else {
                svg.circle(x + 5.0, ly - 4.0, 5.0, colour);
            }
            svg.text(x + 24.0, ly, t, 12.0, Anchor::Start);
        }
    }

    // Axes and grid: the whole answer scale.
    for t in nice_ticks(y0, y1, 6) {
        let py = y.map(t);
        svg.line(left, py, left + plot_w, py, "#e6e6e6", 1.0, None);
        svg.text(left - 8.0, py + 4.0, &format!("{t}"), 12.0, Anchor::End);
    }
    svg.line(left, top, left, top + plot_h, "#444444", 1.0, None);
    svg.line(
        left,
        top + plot_h,
        left + plot_w,
        top + plot_h,
        "#444444",
        1.0,
        None,
    );
    svg.text_rotated(
        20.0,
        top + plot_h / 2.0,
        Text::MeanAnswer.text(lang),
        12.0,
        -90.0,
    );

    for (i, d) in report.dimensions.iter().enumerate() {
        let cx = left + band * (i as f64 + 0.5);
        if let (Some(a), Some(dd)) = (d.adequate, d.desired) {
            let (ya, yd) = (y.map(a), y.map(dd));
            let w = band * 0.5;
            svg.rect(
                cx - w / 2.0,
                ya.min(yd),
                w,
                (ya - yd).abs(),
                ZONE,
                Some("#9bbbd9"),
            );
        }
        if let (Some(e), Some(p)) = (d.expectation, d.perception) {
            let colour = if p < e { SHORTFALL } else { SURPLUS };
            svg.line(cx, y.map(e), cx, y.map(p), colour, 3.0, None);
            svg.circle(cx, y.map(e), 6.0, EXPECTATION);
            // Above the column (its highest mark), centred: never over a neighbour.
            let top_mark = [Some(e), Some(p), d.desired, d.adequate]
                .into_iter()
                .flatten()
                .map(|v| y.map(v))
                .fold(f64::INFINITY, f64::min);
            let value = num(d.gap, 2);
            let long = Text::GapLabel.fill(lang, &[("v", value.clone())]);
            let label = if text_width(&long, 12.0) * 1.1 < band - 4.0 {
                long
            } else {
                value
            };
            // Over a white halo: it may meet a grid line (the top of the
            // scale), never the gap line below it.
            svg.text_halo_styled(
                cx,
                (top_mark - 12.0).max(top - 4.0),
                &label,
                12.0,
                Anchor::Middle,
                colour,
                true,
            );
        }
        if let Some(p) = d.perception {
            svg.circle(cx, y.map(p), 6.0, PERCEPTION);
        }
        for (l, line) in names[i].iter().enumerate() {
            svg.text(
                cx,
                top + plot_h + 20.0 + 16.0 * l as f64,
                line,
                12.0,
                Anchor::Middle,
            );
        }
    }
    svg.finish()
}
