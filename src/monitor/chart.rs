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
