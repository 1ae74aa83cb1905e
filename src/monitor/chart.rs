//! The monthly trend chart of complaint rates.

use super::text::{Text, period};
use super::{ALL, ComplaintMetrics};
use crate::i18n::Lang;
use crate::svg::{Anchor, LinearScale, Svg, nice_ticks, spread_labels, text_width, wrap_text};

/// Colours for up to eight lines (Okabe & Ito 2008 colour-blind-safe palette).
const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];

/// An SVG line chart of complaints per 10 000 customers by month, one line per
/// category (all customers), plus a dashed line for all categories together.
/// Line labels at the right end are spread so that they stay readable.
pub fn trend_chart(metrics: &ComplaintMetrics, categories: &[&str]) -> String {
    trend_chart_in(metrics, categories, Lang::En, &|c| c.to_string())
}

/// [`trend_chart`] in `lang`, each category shown as `label(category)`.
/// The y axis starts at 0; months without data (no customers counted) are
/// gaps in the lines, named in a note under the chart; month labels are
/// thinned so that they never overlap.
pub fn trend_chart_in(
    metrics: &ComplaintMetrics,
    categories: &[&str],
    lang: Lang,
    label: &dyn Fn(&str) -> String,
) -> String {
    let w = 800.0;
    let (left, right, top) = (60.0, 170.0, 44.0);
    // Every period from the first to the last: one skipped (no customer
    // count) stays on the axis as a gap.
    let mut axis: Vec<super::Period> = Vec::new();
    if let (Some(&first), Some(&last)) = (metrics.periods.first(), metrics.periods.last()) {
        let mut p = first;
        while p <= last && axis.len() <= 600 {
            axis.push(p);
            p = p.next();
        }
        if axis.last() != Some(&last) {
            axis.clone_from(&metrics.periods);
        }
    }
    let periods = &axis;
    let value = |p, cat: &str| {
        metrics
            .rows
            .iter()
            .find(|r| r.period == p && r.segment.is_none() && r.category == cat)
            .map_or(f64::NAN, |r| r.rate_per_10k)
    };
    // Months without any data (all categories together missing).
    let missing: Vec<String> = periods
        .iter()
        .filter(|p| !value(**p, ALL).is_finite())
        .map(|p| period(*p, lang))
        .collect();
    let note = if periods.is_empty() {
        Text::NoPeriods.text(lang).to_string()
    } else if missing.is_empty() {
        String::new()
    } else {
        Text::Gaps.fill(lang, &[("list", missing.join(lang.list_sep()))])
    };
    let note_lines = if note.is_empty() {
        Vec::new()
    } else {
        wrap_text(&note, 12.0, w - left - 20.0)
    };
    let plot_bottom = 44.0 + 320.0;
    let h = plot_bottom + 40.0 + 18.0 * note_lines.len() as f64 + 8.0;
    let mut svg = Svg::new(w, h);
    svg.text_styled(
        left,
        26.0,
        Text::ChartTitle.text(lang),
        16.0,
        Anchor::Start,
        "#222222",
        true,
    );
    let series: Vec<(String, Vec<f64>)> = categories
        .iter()
        .copied()
        .chain(std::iter::once(ALL))
        .map(|cat| {
            let values = periods.iter().map(|p| value(*p, cat)).collect();
            (cat.to_string(), values)
        })
        .collect();
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-9);
    let x = LinearScale::new(0.0, (periods.len().max(2) - 1) as f64, left, w - right);
    let y = LinearScale::new(0.0, max * 1.05, plot_bottom, top);
    for t in nice_ticks(0.0, max * 1.05, 5) {
        svg.line(left, y.map(t), w - right, y.map(t), "#e5e5e5", 1.0, None);
        svg.text(
            left - 6.0,
            y.map(t) + 4.0,
            &format!("{t}"),
            12.0,
            Anchor::End,
        );
    }
    // Month labels, thinned to fit.
    let labels: Vec<String> = periods.iter().map(|p| period(*p, lang)).collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, 12.0))
        .fold(0.0, f64::max);
    let slot = if periods.len() > 1 {
        (w - right - left) / (periods.len() - 1) as f64
    } else {
        w
    };
    let step = ((widest + 8.0) / slot).ceil().max(1.0) as usize;
    for (i, l) in labels.iter().enumerate().step_by(step) {
        svg.text(x.map(i as f64), plot_bottom + 20.0, l, 12.0, Anchor::Middle);
    }
    for (k, line) in note_lines.iter().enumerate() {
        svg.text(
            left,
            plot_bottom + 44.0 + 18.0 * k as f64,
            line,
            12.0,
            Anchor::Start,
        );
    }
    svg.line(
        left,
        plot_bottom,
        w - right,
        plot_bottom,
        "#444444",
        1.0,
        None,
    );
    svg.line(left, top, left, plot_bottom, "#444444", 1.0, None);
    let mut ends = Vec::new();
    for (k, (name, values)) in series.iter().enumerate() {
        let colour = if name == ALL {
            "#555555"
        } else {
            PALETTE[k % PALETTE.len()]
        };
        // Runs of consecutive months with data: a missing month is a gap.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, v) in values.iter().enumerate() {
            if v.is_finite() {
                if let Some(run) = runs.last_mut() {
                    run.push((x.map(i as f64), y.map(*v)));
                }
            } else if runs.last().is_some_and(|r| !r.is_empty()) {
                runs.push(Vec::new());
            }
        }
        for pts in &runs {
            if name == ALL {
                for pair in pts.windows(2) {
                    svg.line(
                        pair[0].0,
                        pair[0].1,
                        pair[1].0,
                        pair[1].1,
                        colour,
                        2.0,
                        Some("6 4"),
                    );
                }
            } else if pts.len() > 1 {
                svg.polyline(pts, colour, 2.0);
            }
            for &(px, py) in pts {
                svg.circle(px, py, 2.5, colour);
            }
        }
        if let Some(&(_, py)) = runs.iter().rev().find_map(|r| r.last()) {
            ends.push((name.clone(), py, colour));
        }
    }
    let placed = spread_labels(&ends.iter().map(|e| e.1).collect::<Vec<_>>(), 16.0);
    for ((name, _, colour), py) in ends.iter().zip(placed) {
        let text = if name == ALL {
            Text::AllCategories.text(lang).to_string()
        } else {
            label(name)
        };
        // One line in the right margin: cut with an ellipsis when too long.
        let room = right - 14.0;
        let mut lines = wrap_text(&text, 12.0, room - 12.0);
        let mut shown = lines.remove(0);
        if !lines.is_empty() {
            shown.push('…');
        }
        svg.text_styled(
            w - right + 8.0,
            py + 4.0,
            &shown,
            12.0,
            Anchor::Start,
            colour,
            false,
        );
    }
    svg.finish()
}

/// An SVG line chart of an EWMA watch ([`super::warning::rate_watch`]): the
/// observed values, the EWMA, its control limits (dashed), the seasonal
/// expectation (green diamonds where there is one) and a legend under the
/// plot. The y axis covers every line; months are thinned so that their
/// labels never overlap, and a signal month's EWMA point is drawn in red.
pub fn watch_chart(watch: &super::warning::RateWatch, lang: Lang) -> String {
    let w = 800.0;
    let (left, right, top) = (60.0, 30.0, 44.0);
    let plot_bottom = top + 300.0;
    let pts = &watch.points;
    let mut legend = vec![
        (Text::LegendValue.text(lang), "#0072B2", None),
        (Text::LegendEwma.text(lang), "#D55E00", None),
        (Text::LegendLimits.text(lang), "#888888", Some("5 4")),
    ];
    // The seasonal expectation is in the legend only where the chart has one.
    if pts.iter().any(|p| p.seasonal.is_some()) {
        legend.push((Text::LegendSeasonal.text(lang), "#009E73", None));
    }
    // Legend items in rows that fit the width.
    let mut rows: Vec<Vec<(f64, usize)>> = vec![Vec::new()];
    let mut x_at = left;
    for (i, (label, _, _)) in legend.iter().enumerate() {
        let item = 30.0 + text_width(label, 12.0) + 20.0;
        if x_at + item > w - right && x_at > left {
            rows.push(Vec::new());
            x_at = left;
        }
        if let Some(r) = rows.last_mut() {
            r.push((x_at, i));
        }
        x_at += item;
    }
    let h = plot_bottom + 40.0 + 20.0 * rows.len() as f64 + 8.0;
    let mut svg = Svg::new(w, h);
    let title = Text::WatchChart.text(lang);
    svg.title(title);
    svg.text_styled(left, 26.0, title, 16.0, Anchor::Start, "#222222", true);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for p in pts {
        for v in [p.value, p.ewma, p.lower, p.upper]
            .into_iter()
            .chain(p.seasonal)
        {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    // A line chart: the axis covers the lines with a 5 % margin (not from 0,
    // which would flatten the limits into one band).
    let (lo, hi) = if lo.is_finite() && hi > lo {
        let pad = 0.05 * (hi - lo);
        (lo - pad, hi + pad)
    } else if lo.is_finite() {
        (lo - 1.0, lo + 1.0)
    } else {
        (0.0, 1.0)
    };
    let x = LinearScale::new(0.0, (pts.len().max(2) - 1) as f64, left, w - right);
    let y = LinearScale::new(lo, hi, plot_bottom, top);
    for t in nice_ticks(lo, hi, 5) {
        svg.line(left, y.map(t), w - right, y.map(t), "#e5e5e5", 1.0, None);
        svg.text(
            left - 6.0,
            y.map(t) + 4.0,
            &format!("{t}"),
            12.0,
            Anchor::End,
        );
    }
    svg.line(
        left,
        plot_bottom,
        w - right,
        plot_bottom,
        "#444444",
        1.0,
        None,
    );
    svg.line(left, top, left, plot_bottom, "#444444", 1.0, None);
    let labels: Vec<String> = pts.iter().map(|p| period(p.period, lang)).collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, 12.0))
        .fold(0.0, f64::max);
    let slot = (w - right - left) / (pts.len().max(2) - 1) as f64;
    let step = ((widest + 8.0) / slot).ceil().max(1.0) as usize;
    for (i, l) in labels.iter().enumerate().step_by(step) {
        svg.text(x.map(i as f64), plot_bottom + 20.0, l, 12.0, Anchor::Middle);
    }
    let line_of = |f: &dyn Fn(&super::warning::WatchPoint) -> f64| -> Vec<(f64, f64)> {
        pts.iter()
            .enumerate()
            .filter(|(_, p)| f(p).is_finite())
            .map(|(i, p)| (x.map(i as f64), y.map(f(p))))
            .collect()
    };
    for bound in [line_of(&|p| p.upper), line_of(&|p| p.lower)] {
        for pair in bound.windows(2) {
            svg.line(
                pair[0].0,
                pair[0].1,
                pair[1].0,
                pair[1].1,
                "#888888",
                1.5,
                Some("5 4"),
            );
        }
    }
    let values = line_of(&|p| p.value);
    svg.polyline(&values, "#0072B2", 2.0);
    for &(px, py) in &values {
        svg.circle(px, py, 2.5, "#0072B2");
    }
    let smooth = line_of(&|p| p.ewma);
    svg.polyline(&smooth, "#D55E00", 2.0);
    for (i, p) in pts.iter().enumerate() {
        let colour = if p.signal { "#d62728" } else { "#D55E00" };
        svg.circle(
            x.map(i as f64),
            y.map(p.ewma),
            if p.signal { 4.5 } else { 2.5 },
            colour,
        );
        if let Some(s) = p.seasonal {
            diamond(&mut svg, x.map(i as f64), y.map(s), "#009E73");
        }
    }
    for (k, row) in rows.iter().enumerate() {
        let ly = plot_bottom + 44.0 + 20.0 * k as f64;
        for &(lx, i) in row {
            let (label, colour, dash) = legend[i];
            if i == 3 {
                // The seasonal expectation is drawn as diamonds: so is its key.
                diamond(&mut svg, lx + 12.0, ly - 4.0, colour);
            } else {
                svg.line(lx, ly - 4.0, lx + 24.0, ly - 4.0, colour, 2.0, dash);
            }
            svg.text(lx + 30.0, ly, label, 12.0, Anchor::Start);
        }
    }
    svg.finish()
}

/// A filled diamond of half-width 5 px centred at (cx, cy).
fn diamond(svg: &mut Svg, cx: f64, cy: f64, fill: &str) {
    svg.raw(&format!(
        r#"<path d="M{:.2} {:.2} L{:.2} {:.2} L{:.2} {:.2} L{:.2} {:.2} Z" fill="{fill}"/>"#,
        cx,
        cy - 5.0,
        cx + 5.0,
        cy,
        cx,
        cy + 5.0,
        cx - 5.0,
        cy
    ));
}

/// Horizontal bars of shares in [0, 1] (e.g. attainment rates), one per
/// labelled row, each with its percentage at the right; a 100 % grid line.
pub fn share_bars(title: &str, rows: &[(String, f64)]) -> String {
    let label_w = rows
        .iter()
        .map(|(l, _)| text_width(l, 12.0))
        .fold(60.0, f64::max)
        + 16.0;
    let (top, row_h, plot_w) = (48.0, 24.0, 420.0);
    let height = top + row_h * rows.len() as f64 + 24.0;
    let width = label_w + plot_w + 70.0;
    let x = LinearScale::new(0.0, 1.0, label_w, label_w + plot_w);
    let mut svg = Svg::new(width, height);
    svg.title(title);
    svg.text(width / 2.0, 24.0, title, 14.0, Anchor::Middle);
    let bottom = top + row_h * rows.len() as f64;
    for v in [0.0, 0.5, 1.0] {
        svg.line(x.map(v), top - 4.0, x.map(v), bottom, "#cccccc", 1.0, None);
    }
    for (i, (label, v)) in rows.iter().enumerate() {
        let y0 = top + row_h * i as f64;
        svg.text(label_w - 8.0, y0 + 16.0, label, 12.0, Anchor::End);
        let v = v.clamp(0.0, 1.0);
        svg.rect(
            x.map(0.0),
            y0 + 5.0,
            x.map(v) - x.map(0.0),
            row_h - 10.0,
            "#2c7fb8",
            None,
        );
        svg.text(
            label_w + plot_w + 6.0,
            y0 + 16.0,
            &format!("{:.0}%", 100.0 * v),
            12.0,
            Anchor::Start,
        );
    }
    svg.finish()
}
