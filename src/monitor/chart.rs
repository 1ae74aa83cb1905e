//! The monthly trend chart of complaint rates.

use super::{ALL, ComplaintMetrics};
use crate::svg::{Anchor, LinearScale, Svg, nice_ticks, spread_labels};

/// Colours for up to eight lines (Okabe & Ito 2008 colour-blind-safe palette).
const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];

/// An SVG line chart of complaints per 10 000 customers by month, one line per
/// category (all customers), plus a dashed line for all categories together.
/// Line labels at the right end are spread so that they stay readable.
pub fn trend_chart(metrics: &ComplaintMetrics, categories: &[&str]) -> String {
    let (w, h) = (760.0, 420.0);
    let (left, right, top, bottom) = (60.0, 150.0, 40.0, 60.0);
    let mut svg = Svg::new(w, h);
    svg.text_styled(
        left,
        24.0,
        "Complaints per 10 000 customers by month",
        15.0,
        Anchor::Start,
        "#222222",
        true,
    );
    let periods = &metrics.periods;
    let series: Vec<(String, Vec<f64>)> = categories
        .iter()
        .copied()
        .chain(std::iter::once(ALL))
        .map(|cat| {
            let values = periods
                .iter()
                .map(|p| {
                    metrics
                        .rows
                        .iter()
                        .find(|r| r.period == *p && r.segment.is_none() && r.category == cat)
                        .map_or(f64::NAN, |r| r.rate_per_10k)
                })
                .collect();
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
    let y = LinearScale::new(0.0, max * 1.05, h - bottom, top);
    for t in nice_ticks(0.0, max * 1.05, 5) {
        svg.line(left, y.map(t), w - right, y.map(t), "#e5e5e5", 1.0, None);
        svg.text(
            left - 6.0,
            y.map(t) + 4.0,
            &format!("{t}"),
            11.0,
            Anchor::End,
        );
    }
    let step = (periods.len() / 12).max(1);
    for (i, p) in periods.iter().enumerate().step_by(step) {
        svg.text(
            x.map(i as f64),
            h - bottom + 18.0,
            &p.to_string(),
            10.0,
            Anchor::Middle,
        );
    }
    svg.line(
        left,
        h - bottom,
        w - right,
        h - bottom,
        "#444444",
        1.0,
        None,
    );
    svg.line(left, top, left, h - bottom, "#444444", 1.0, None);
    let mut ends = Vec::new();
    for (k, (name, values)) in series.iter().enumerate() {
        let colour = if name == ALL {
            "#555555"
        } else {
            PALETTE[k % PALETTE.len()]
        };
        let pts: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| (x.map(i as f64), y.map(*v)))
            .collect();
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
        } else {
            svg.polyline(&pts, colour, 2.0);
        }
        for &(px, py) in &pts {
            svg.circle(px, py, 2.5, colour);
        }
        if let Some(&(_, py)) = pts.last() {
            ends.push((name.clone(), py, colour));
        }
    }
    let placed = spread_labels(&ends.iter().map(|e| e.1).collect::<Vec<_>>(), 14.0);
    for ((name, _, colour), py) in ends.iter().zip(placed) {
        let label = if name == ALL {
            "all categories"
        } else {
            name.as_str()
        };
        svg.text_styled(
            w - right + 8.0,
            py + 4.0,
            label,
            11.0,
            Anchor::Start,
            colour,
            false,
        );
    }
    svg.finish()
}
