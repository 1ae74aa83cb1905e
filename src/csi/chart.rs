//! SVG charts of CSI results: the path diagram, the index per construct, the
//! importance–performance map, the index by segment and the trend over
//! periods. Each function returns a complete, self-contained SVG document.

use super::CsiFit;
use super::groups::GroupAnalysis;
use super::index::{ConstructIndex, IndexResult};
use super::ipma::{Ipma, Quadrant};
use super::models::Construct;
use crate::svg::{self, Anchor, LinearScale, Svg};

const BLUE: &str = "#2b6cb0";
const LIGHT_BLUE: &str = "#bee3f8";
const RED: &str = "#c53030";
const LIGHT_RED: &str = "#fde8e8";
const GREY: &str = "#718096";
const GRID: &str = "#e2e8f0";

fn fmt1(x: f64) -> String {
    format!("{x:.1}")
}

/// The structural model: constructs in columns by causal depth (longest path
/// from an exogenous construct), each box showing the construct's index and
/// R²; paths labelled with their standardized coefficients. Paths between
/// adjacent columns are straight; longer ones are curved, above the row for
/// causes in even columns and below for odd ones.
pub fn path_diagram(fit: &CsiFit) -> String {
    let model = fit.pls.model();
    let k = model.constructs().len();
    let mut depth = vec![0usize; k];
    for &j in model.topological_order() {
        for &p in model.predecessors(j) {
            depth[j] = depth[j].max(depth[p] + 1);
        }
    }
    let max_depth = depth.iter().copied().max().unwrap_or(0);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); max_depth + 1];
    for j in 0..k {
        layers[depth[j]].push(j);
    }
    let span_of = |a: usize, b: usize| depth[b] - depth[a];
    let curved = |a: usize, b: usize| {
        span_of(a, b) > 1 || layers[depth[a]].len() > 1 || layers[depth[b]].len() > 1
    };
    let room = |up: bool| {
        model
            .paths()
            .iter()
            .filter(|&&(a, b)| curved(a, b) && depth[a].is_multiple_of(2) == up)
            .map(|&(a, b)| 24.0 * span_of(a, b) as f64 + 24.0)
            .fold(10.0, f64::max)
    };
    let (room_up, room_down) = (room(true), room(false));
    let (bw, bh, col_w, row_h) = (124.0, 60.0, 158.0, 90.0);
    let max_rows = layers.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let width = 40.0 + col_w * (max_depth as f64 + 1.0);
    let height = 30.0 + room_up + row_h * max_rows + room_down;
    let mut s = Svg::new(width, height);
    s.title("Path diagram: standardized path coefficients, R² and 0-100 index per construct");
    let mid_y = 30.0 + room_up + row_h * max_rows / 2.0;
    let mut pos = vec![(0.0, 0.0); k];
    for layer in &layers {
        let m = layer.len() as f64;
        for (r, &j) in layer.iter().enumerate() {
            let x = 20.0 + col_w * depth[j] as f64 + col_w / 2.0;
            let y = mid_y + (r as f64 - (m - 1.0) / 2.0) * row_h;
            pos[j] = (x, y);
        }
    }
    s.text_styled(
        10.0,
        20.0,
        "Structural model (standardized paths; R²; index 0-100)",
        13.0,
        Anchor::Start,
        "#222222",
        true,
    );
    // Arrows first, boxes on top.
    let mut labels = Vec::new();
    // Curves leaving / entering each node on each side, to spread their end points.
    let mut out_count = vec![[0usize; 2]; k];
    let mut in_count = vec![[0usize; 2]; k];
    for &(a, b) in model.paths() {
        let (pa, pb) = (pos[a], pos[b]);
        let coef = fit
            .pls
            .path(&model.constructs()[a].name, &model.constructs()[b].name)
            .map_or(f64::NAN, |p| p.estimate);
        let span = span_of(a, b);
        let width_px = 1.0 + 3.0 * coef.abs().min(1.0);
        let colour = if coef < 0.0 { RED } else { "#4a5568" };
        if !curved(a, b) {
            let (x1, x2) = (pa.0 + bw / 2.0, pb.0 - bw / 2.0);
            s.arrow(x1, pa.1, x2 - 2.0, pb.1, colour, width_px);
            labels.push(((x1 + x2) / 2.0, pa.1 - 6.0, coef));
        } else {
            let up = depth[a].is_multiple_of(2);
            let side = usize::from(!up);
            let sign = if up { -1.0 } else { 1.0 };
            let (oa, ob) = (out_count[a][side], in_count[b][side]);
            out_count[a][side] += 1;
            in_count[b][side] += 1;
            let p0 = (pa.0 + bw / 8.0 + 14.0 * oa as f64, pa.1 + sign * bh / 2.0);
            let p2 = (pb.0 - bw / 8.0 - 14.0 * ob as f64, pb.1 + sign * bh / 2.0);
            let peak = 24.0 * span as f64 + 6.0;
            let c = ((p0.0 + p2.0) / 2.0, (p0.1 + p2.1) / 2.0 + sign * 2.0 * peak);
            s.curve_arrow(p0.0, p0.1, c.0, c.1, p2.0, p2.1, colour, width_px);
            let m = svg::quad_point(p0, c, p2, 0.5);
            labels.push((m.0, m.1 + 4.0, coef));
        }
    }
    for j in 0..k {
        let (x, y) = pos[j];
        let name = &model.constructs()[j].name;
        s.rect(x - bw / 2.0, y - bh / 2.0, bw, bh, "#ebf4ff", Some(BLUE));
        s.text_styled(
            x,
            y - 10.0,
            &Construct::from_name(name).label(),
            12.0,
            Anchor::Middle,
            "#1a365d",
            true,
        );
        let idx = fit.index.constructs[j].index;
        s.text(x, y + 6.0, &format!("index {idx:.1}"), 11.0, Anchor::Middle);
        let r2 = fit.pls.constructs[j]
            .r_squared
            .map_or("exogenous".to_string(), |r| format!("R² {r:.3}"));
        s.text(x, y + 21.0, &r2, 11.0, Anchor::Middle);
    }
    for (x, y, c) in labels {
        s.text_halo(x, y, &format!("{c:.3}"), 11.0, Anchor::Middle);
    }
    s.finish()
}

/// Horizontal bars of the 0–100 index per construct with their intervals.
pub fn index_bars(index: &IndexResult, title: &str) -> String {
    let rows = &index.constructs;
    let (left, right, top, bar_h) = (150.0, 70.0, 40.0, 26.0);
    let width = 640.0;
    let height = top + bar_h * rows.len() as f64 + 40.0;
    let mut s = Svg::new(width, height);
    s.title(title);
    s.text_styled(10.0, 20.0, title, 13.0, Anchor::Start, "#222222", true);
    let x = LinearScale::new(0.0, 100.0, left, width - right);
    let bottom = top + bar_h * rows.len() as f64;
    for t in svg::nice_ticks(0.0, 100.0, 5) {
        s.line(x.map(t), top - 4.0, x.map(t), bottom, GRID, 1.0, None);
        s.text(
            x.map(t),
            bottom + 16.0,
            &format!("{t:.0}"),
            10.0,
            Anchor::Middle,
        );
    }
    for (r, c) in rows.iter().enumerate() {
        let y = top + bar_h * r as f64;
        s.text(
            left - 8.0,
            y + bar_h / 2.0 + 4.0,
            &c.construct.label(),
            11.0,
            Anchor::End,
        );
        let v = c.index.clamp(0.0, 100.0);
        s.rect(
            x.map(0.0),
            y + 4.0,
            x.map(v) - x.map(0.0),
            bar_h - 8.0,
            BLUE,
            None,
        );
        whisker_h(&mut s, &x, c, y + bar_h / 2.0);
        s.text(
            x.map(c.ci.upper.clamp(0.0, 100.0)) + 6.0,
            y + bar_h / 2.0 + 4.0,
            &fmt1(c.index),
            11.0,
            Anchor::Start,
        );
    }
    s.finish()
}

fn whisker_h(s: &mut Svg, x: &LinearScale, c: &ConstructIndex, y: f64) {
    let (lo, hi) = (c.ci.lower.clamp(0.0, 100.0), c.ci.upper.clamp(0.0, 100.0));
    s.line(x.map(lo), y, x.map(hi), y, "#1a202c", 1.2, None);
    s.line(x.map(lo), y - 4.0, x.map(lo), y + 4.0, "#1a202c", 1.2, None);
    s.line(x.map(hi), y - 4.0, x.map(hi), y + 4.0, "#1a202c", 1.2, None);
}

/// Which points an importance–performance map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapLevel {
    /// The driver constructs.
    Constructs,
    /// Their indicators.
    Indicators,
}

/// The importance–performance map: importance on x, performance on y, the
/// quadrant split as dashed lines, the "concentrate here" quadrant shaded,
/// short boards in red with their priority rank.
pub fn ipma_map(map: &Ipma, level: MapLevel) -> String {
    let pts: Vec<(String, f64, f64, Quadrant)> = match level {
        MapLevel::Constructs => map
            .constructs
            .iter()
            .map(|c| (c.name.label(), c.importance, c.performance, c.quadrant))
            .collect(),
        MapLevel::Indicators => map
            .indicators
            .iter()
            .map(|c| (c.indicator.clone(), c.importance, c.performance, c.quadrant))
            .collect(),
    };
    let (split_i, split_p) = match level {
        MapLevel::Constructs => map.construct_split,
        MapLevel::Indicators => map.indicator_split,
    };
    let boards = match level {
        MapLevel::Constructs => &map.short_boards,
        MapLevel::Indicators => &map.indicator_short_boards,
    };
    let (width, height, left, right, top, bottom) = (640.0, 460.0, 64.0, 24.0, 44.0, 54.0);
    let mut s = Svg::new(width, height);
    let title = format!(
        "Importance-performance map for {} ({})",
        map.target.label(),
        match level {
            MapLevel::Constructs => "constructs",
            MapLevel::Indicators => "indicators",
        }
    );
    s.title(&title);
    s.text_styled(10.0, 20.0, &title, 13.0, Anchor::Start, "#222222", true);
    let max_i = pts.iter().map(|p| p.1).fold(split_i, f64::max).max(1e-9) * 1.15;
    let min_i = pts.iter().map(|p| p.1).fold(0.0, f64::min);
    let lo_p = pts.iter().map(|p| p.2).fold(split_p, f64::min);
    let hi_p = pts.iter().map(|p| p.2).fold(split_p, f64::max);
    let (p0, p1) = (
        ((lo_p - 5.0) / 5.0).floor() * 5.0,
        ((hi_p + 5.0) / 5.0).ceil() * 5.0,
    );
    let x = LinearScale::new(min_i, max_i, left, width - right);
    let y = LinearScale::new(p0, p1, height - bottom, top);
    // Shade "concentrate here": importance > split, performance < split.
    s.rect(
        x.map(split_i),
        y.map(split_p),
        x.map(max_i) - x.map(split_i),
        y.map(p0) - y.map(split_p),
        LIGHT_RED,
        None,
    );
    for t in svg::nice_ticks(min_i, max_i, 5) {
        s.line(x.map(t), top, x.map(t), height - bottom, GRID, 1.0, None);
        s.text(
            x.map(t),
            height - bottom + 16.0,
            &format!("{t:.2}"),
            10.0,
            Anchor::Middle,
        );
    }
    for t in svg::nice_ticks(p0, p1, 5) {
        s.line(left, y.map(t), width - right, y.map(t), GRID, 1.0, None);
        s.text(
            left - 6.0,
            y.map(t) + 4.0,
            &format!("{t:.0}"),
            10.0,
            Anchor::End,
        );
    }
    s.line(
        x.map(split_i),
        top,
        x.map(split_i),
        height - bottom,
        GREY,
        1.2,
        Some("5 4"),
    );
    s.line(
        left,
        y.map(split_p),
        width - right,
        y.map(split_p),
        GREY,
        1.2,
        Some("5 4"),
    );
    s.text(
        (left + width - right) / 2.0,
        height - 12.0,
        &format!(
            "importance (index points of {} per index point)",
            map.target.label()
        ),
        11.0,
        Anchor::Middle,
    );
    s.text_rotated(
        16.0,
        (top + height - bottom) / 2.0,
        "performance (0-100)",
        11.0,
        -90.0,
    );
    s.text_styled(
        width - right - 4.0,
        height - bottom - 6.0,
        "concentrate here",
        10.0,
        Anchor::End,
        RED,
        false,
    );
    let mut starts = Vec::new();
    let mut widths = Vec::new();
    let mut wanted = Vec::new();
    let mut texts = Vec::new();
    for (name, imp, perf, _) in &pts {
        let rank = boards
            .iter()
            .find(|b| &b.name == name || b.construct.label() == *name);
        let text = match rank {
            Some(b) => format!("#{} {name}", b.rank),
            None => name.clone(),
        };
        let w = svg::text_width(&text, 10.0);
        let px = x.map(*imp);
        // Right of the point, or left of it when the label would leave the plot.
        starts.push(if px + 7.0 + w > width - 4.0 {
            px - 7.0 - w
        } else {
            px + 7.0
        });
        widths.push(w);
        wanted.push(y.map(*perf) + 4.0);
        texts.push(text);
    }
    let placed = svg::place_labels(&starts, &widths, &wanted, 12.0, top + 10.0, height - bottom);
    for (i, (_, imp, perf, q)) in pts.iter().enumerate() {
        let colour = if *q == Quadrant::ConcentrateHere {
            RED
        } else {
            BLUE
        };
        let (px, py) = (x.map(*imp), y.map(*perf));
        if (placed[i] - 4.0 - py).abs() > 6.0 {
            let lx = if starts[i] > px {
                starts[i] - 1.0
            } else {
                starts[i] + widths[i] + 1.0
            };
            s.line(px, py, lx, placed[i] - 4.0, GREY, 0.6, None);
        }
        s.circle(px, py, 5.0, colour);
        s.text_halo(starts[i], placed[i], &texts[i], 10.0, Anchor::Start);
    }
    s.finish()
}

/// Vertical bars of one construct's index per group (segments), with intervals.
pub fn segment_bars(analysis: &GroupAnalysis, construct: &Construct) -> String {
    let vals: Vec<(&str, &ConstructIndex)> = analysis
        .groups
        .iter()
        .filter_map(|g| Some((g.label.as_str(), g.index.get(construct.clone())?)))
        .collect();
    let (left, right, top, bottom) = (56.0, 20.0, 44.0, 48.0);
    let width = (left + right + 70.0 * vals.len() as f64).max(360.0);
    let height = 340.0;
    let mut s = Svg::new(width, height);
    let title = format!("{} index by {}", construct.label(), analysis.column);
    s.title(&title);
    s.text_styled(10.0, 20.0, &title, 13.0, Anchor::Start, "#222222", true);
    let lo = vals.iter().map(|v| v.1.ci.lower).fold(100.0, f64::min);
    let hi = vals.iter().map(|v| v.1.ci.upper).fold(0.0, f64::max);
    let (y0, y1) = (
        (((lo - 5.0) / 5.0).floor() * 5.0).max(0.0),
        (((hi + 5.0) / 5.0).ceil() * 5.0).min(100.0),
    );
    let y = LinearScale::new(y0, y1, height - bottom, top);
    for t in svg::nice_ticks(y0, y1, 5) {
        s.line(left, y.map(t), width - right, y.map(t), GRID, 1.0, None);
        s.text(
            left - 6.0,
            y.map(t) + 4.0,
            &format!("{t:.0}"),
            10.0,
            Anchor::End,
        );
    }
    let slot = (width - left - right) / vals.len().max(1) as f64;
    for (i, (label, c)) in vals.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let bw = slot * 0.6;
        let v = c.index.clamp(y0, y1);
        s.rect(
            cx - bw / 2.0,
            y.map(v),
            bw,
            y.map(y0) - y.map(v),
            BLUE,
            None,
        );
        let (l, u) = (c.ci.lower.clamp(y0, y1), c.ci.upper.clamp(y0, y1));
        s.line(cx, y.map(l), cx, y.map(u), "#1a202c", 1.2, None);
        s.line(cx - 5.0, y.map(l), cx + 5.0, y.map(l), "#1a202c", 1.2, None);
        s.line(cx - 5.0, y.map(u), cx + 5.0, y.map(u), "#1a202c", 1.2, None);
        s.text_halo(cx, y.map(u) - 5.0, &fmt1(c.index), 10.0, Anchor::Middle);
        s.text(cx, height - bottom + 16.0, label, 10.0, Anchor::Middle);
    }
    s.finish()
}

/// One construct's index over periods: the line with its interval band.
/// Periods sit at their calendar positions, and the line and band break
/// where a period is missing (absent or skipped), so that a gap is never
/// drawn as a change between neighbours.
pub fn trend(analysis: &GroupAnalysis, construct: &Construct) -> String {
    let vals: Vec<(&str, &ConstructIndex, f64)> = analysis
        .groups
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let at = g.period.map_or(i as f64, |p| p.index() as f64);
            Some((g.label.as_str(), g.index.get(construct.clone())?, at))
        })
        .collect();
    let (width, height, left, right, top, bottom) = (680.0, 340.0, 56.0, 24.0, 44.0, 48.0);
    let mut s = Svg::new(width, height);
    let band_label = vals
        .first()
        .map_or_else(|| "95% score interval".to_string(), |v| v.1.ci.label());
    let title = format!(
        "{} index by {} (band: {band_label})",
        construct.label(),
        analysis.column
    );
    s.title(&title);
    s.text_styled(10.0, 20.0, &title, 13.0, Anchor::Start, "#222222", true);
    let lo = vals.iter().map(|v| v.1.ci.lower).fold(100.0, f64::min);
    let hi = vals.iter().map(|v| v.1.ci.upper).fold(0.0, f64::max);
    let (y0, y1) = (
        (((lo - 3.0) / 5.0).floor() * 5.0).max(0.0),
        (((hi + 3.0) / 5.0).ceil() * 5.0).min(100.0),
    );
    let first = vals.first().map_or(0.0, |v| v.2);
    let span = vals.last().map_or(0.0, |v| v.2 - first);
    let x = LinearScale::new(0.0, span.max(1.0), left + 20.0, width - right - 20.0);
    let y = LinearScale::new(y0, y1, height - bottom, top);
    for t in svg::nice_ticks(y0, y1, 5) {
        s.line(left, y.map(t), width - right, y.map(t), GRID, 1.0, None);
        s.text(
            left - 6.0,
            y.map(t) + 4.0,
            &format!("{t:.0}"),
            10.0,
            Anchor::End,
        );
    }
    // Runs of consecutive periods.
    let mut runs: Vec<&[(&str, &ConstructIndex, f64)]> = Vec::new();
    let mut start = 0;
    for i in 1..=vals.len() {
        if i == vals.len() || vals[i].2 - vals[i - 1].2 > 1.0 {
            runs.push(&vals[start..i]);
            start = i;
        }
    }
    let px = |v: &(&str, &ConstructIndex, f64)| x.map(v.2 - first);
    for run in &runs {
        let mut band: Vec<(f64, f64)> = run
            .iter()
            .map(|v| (px(v), y.map(v.1.ci.upper.clamp(y0, y1))))
            .collect();
        band.extend(
            run.iter()
                .rev()
                .map(|v| (px(v), y.map(v.1.ci.lower.clamp(y0, y1)))),
        );
        if run.len() > 1 {
            s.polygon(&band, LIGHT_BLUE);
        }
    }
    for run in &runs {
        let line: Vec<(f64, f64)> = run
            .iter()
            .map(|v| (px(v), y.map(v.1.index.clamp(y0, y1))))
            .collect();
        s.polyline(&line, BLUE, 2.0);
    }
    for v in &vals {
        let (cx, cy) = (px(v), y.map(v.1.index.clamp(y0, y1)));
        s.circle(cx, cy, 3.5, BLUE);
        s.text_halo(cx, cy - 8.0, &fmt1(v.1.index), 10.0, Anchor::Middle);
        s.text(cx, height - bottom + 16.0, v.0, 10.0, Anchor::Middle);
    }
    s.finish()
}
