//! SVG charts of CSI results: the path diagram, the index per construct, the
//! importance–performance map, the index by segment, the trend over periods
//! and the driver × segment heat map of potential gains. Each function
//! returns a complete, self-contained SVG document; the `_in` variants write
//! their text in a report language with the codebook's item wording
//! ([`Labels`]), the others in English with item codes. Text is at least
//! 12 px and laid out with CJK-aware widths ([`svg::text_width`]).

use super::CsiFit;
use super::groups::GroupAnalysis;
use super::index::{ConstructIndex, IndexResult, Interval, IntervalMethod};
use super::ipma::{Ipma, Quadrant, fix_first};
use super::models::Construct;
use super::text::{CsiText, t};
use crate::i18n::{Labels, Lang};
use crate::svg::place::{self, Mark, Scene};
use crate::svg::{self, Anchor, LinearScale, Svg};

const BLUE: &str = "#2b6cb0";
const LIGHT_BLUE: &str = "#bee3f8";
const RED: &str = "#c53030";
const LIGHT_RED: &str = "#fde8e8";
const GREY: &str = "#718096";
const GRID: &str = "#e2e8f0";
/// Smallest font of every chart (px).
const FONT: f64 = 12.0;
/// Title font (px).
const TITLE: f64 = 14.0;
/// Width of the full-width charts (px; the report scales them to the page).
pub const FULL_WIDTH: f64 = 960.0;

fn fmt1(x: f64) -> String {
    format!("{x:.1}")
}

fn english() -> Labels<'static> {
    Labels::new(None, Lang::En)
}

/// An interval's caption in a language (`95% bootstrap interval`, `95% Bootstrap 置信区间`).
pub fn interval_label(ci: &Interval, lang: Lang) -> String {
    let key = match ci.method {
        IntervalMethod::ScoreT => CsiText::ScoreInterval,
        IntervalMethod::NormalDifference => CsiText::NormalInterval,
        IntervalMethod::BootstrapPercentile => CsiText::BootInterval,
    };
    let level = ci.label();
    let level = level.split('%').next().unwrap_or("95").to_string();
    t(key, lang, &[("level", level)])
}

/// A text shortened with `…` to fit `max` px at `size`.
fn fit(text: &str, size: f64, max: f64) -> String {
    if svg::text_width(text, size) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if svg::text_width(&format!("{out}{c}…"), size) > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The structural model in English ([`path_diagram_in`]).
pub fn path_diagram(fit: &CsiFit) -> String {
    path_diagram_in(fit, Lang::En)
}

/// The structural model: constructs in columns by causal depth (longest path
/// from an exogenous construct), each box showing the construct's index and
/// R²; paths labelled with their standardized coefficients, each label
/// beside its arrow (above a straight arrow, outside the peak of a curved
/// one), never on it. Paths between adjacent columns are straight; longer
/// ones are curved, above the row for causes in even columns and below for
/// odd ones.
pub fn path_diagram_in(fit: &CsiFit, lang: Lang) -> String {
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
            .map(|&(a, b)| 24.0 * span_of(a, b) as f64 + 44.0)
            .fold(10.0, f64::max)
    };
    let (room_up, room_down) = (room(true), room(false));
    // Construct names, on two lines when long and made of words.
    let names: Vec<Vec<String>> = model
        .constructs()
        .iter()
        .map(|c| {
            let n = crate::i18n::construct_label(&c.name, lang);
            match n.split_once(' ') {
                Some((a, b)) if svg::text_width(&n, FONT) * 1.08 > 96.0 => {
                    vec![a.to_string(), b.to_string()]
                }
                _ => vec![n],
            }
        })
        .collect();
    let widest = names
        .iter()
        .flatten()
        .map(|n| svg::text_width(n, FONT) * 1.08)
        .chain(std::iter::once(svg::text_width("R² 0.000", FONT)))
        .fold(72.0, f64::max);
    let two_lines = names.iter().any(|n| n.len() > 1);
    let (bw, bh, row_h) = (
        widest + 16.0,
        if two_lines { 78.0 } else { 64.0 },
        if two_lines { 110.0 } else { 96.0 },
    );
    let col_w = bw + 52.0;
    let max_rows = layers.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let width = 40.0 + col_w * (max_depth as f64 + 1.0);
    let height = 34.0 + room_up + row_h * max_rows + room_down;
    let mut s = Svg::new(width, height);
    let heading = CsiText::ChPathHeading.text(lang);
    s.title(heading);
    let mid_y = 34.0 + room_up + row_h * max_rows / 2.0;
    let mut pos = vec![(0.0, 0.0); k];
    for layer in &layers {
        let m = layer.len() as f64;
        for (r, &j) in layer.iter().enumerate() {
            let x = 20.0 + col_w * depth[j] as f64 + col_w / 2.0;
            let y = mid_y + (r as f64 - (m - 1.0) / 2.0) * row_h;
            pos[j] = (x, y);
        }
    }
    s.text_styled(10.0, 20.0, heading, TITLE, Anchor::Start, "#222222", true);
    // Arrows first, boxes on top, labels last.
    let mut labels = Vec::new();
    // Every drawn arrow as segments (curves sampled), to keep labels off them.
    let mut segments: Vec<((f64, f64), (f64, f64))> = Vec::new();
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
            segments.push(((x1, pa.1), (x2, pb.1)));
            let mid = (x1 + x2) / 2.0;
            labels.push((vec![(mid, pa.1 - 8.0)], coef, -1.0));
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
            let pts: Vec<(f64, f64)> = (0..=64)
                .map(|i| svg::quad_point(p0, c, p2, f64::from(i) / 64.0))
                .collect();
            segments.extend(pts.windows(2).map(|w| (w[0], w[1])));
            // Outside the curve (above an upper arc, below a lower one), at
            // its peak or, where another arrow passes there, further along.
            let anchors = [0.5, 0.42, 0.58, 0.34, 0.66]
                .iter()
                .map(|&t| {
                    let m = svg::quad_point(p0, c, p2, t);
                    let y = if up {
                        m.1 - 6.0 - width_px
                    } else {
                        m.1 + 15.0 + width_px
                    };
                    (m.0, y)
                })
                .collect();
            labels.push((anchors, coef, sign));
        }
    }
    for j in 0..k {
        let (x, y) = pos[j];
        s.rect(x - bw / 2.0, y - bh / 2.0, bw, bh, "#ebf4ff", Some(BLUE));
        let first = y - bh / 2.0 + 17.0;
        for (l, line) in names[j].iter().enumerate() {
            s.text_styled(
                x,
                first + 14.0 * l as f64,
                line,
                FONT,
                Anchor::Middle,
                "#1a365d",
                true,
            );
        }
        let idx = fit.index.constructs[j].index;
        s.text(
            x,
            y + bh / 2.0 - 24.0,
            &t(CsiText::ChIndexValue, lang, &[("v", fmt1(idx))]),
            FONT,
            Anchor::Middle,
        );
        let r2 = fit.pls.constructs[j]
            .r_squared
            .map_or(CsiText::ChExogenous.text(lang).to_string(), |r| {
                format!("R² {r:.3}")
            });
        s.text(x, y + bh / 2.0 - 8.0, &r2, FONT, Anchor::Middle);
    }
    // Each label at the first of its places (then moved away from its arrow,
    // up above a straight or an upper arrow, down below a lower one, up to
    // 8 px) where no arrow and no label placed before it comes within 4 px
    // of its box (ascent 0.8 em, descent 0.25 em, as `text_boxes` measures
    // it); failing that, further out or in, up to 40 px.
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (anchors, c, dir) in &labels {
        let w = svg::text_width(&format!("{c:.3}"), FONT);
        let bx = |x: f64, y: f64| {
            (
                x - w / 2.0 - 4.0,
                y - 0.8 * FONT - 4.0,
                x + w / 2.0 + 4.0,
                y + 0.25 * FONT + 4.0,
            )
        };
        let clear = |&(x, y): &(f64, f64)| {
            let b = bx(x, y);
            y > 30.0
                && y < height - 4.0
                && !segments
                    .iter()
                    .any(|&(p, q)| svg::segment_crosses_box(p, q, b))
                && !taken
                    .iter()
                    .any(|t| b.0 < t.2 && t.0 < b.2 && b.1 < t.3 && t.1 < b.3)
        };
        let (x0, y0) = anchors[0];
        let near = anchors
            .iter()
            .flat_map(|&(x, y)| (0..=4).map(move |k| (x, y + dir * 2.0 * f64::from(k))));
        let far = (5..=20)
            .map(|k| (x0, y0 + dir * 2.0 * f64::from(k)))
            .chain((1..=20).map(|k| (x0, y0 - dir * 2.0 * f64::from(k))));
        let (x, y) = near.chain(far).find(clear).unwrap_or((x0, y0));
        taken.push(bx(x, y));
        s.text_halo(x, y, &format!("{c:.3}"), FONT, Anchor::Middle);
    }
    s.finish()
}

/// Horizontal bars from 0 with intervals: one row per (label, index).
fn hbars(title: &str, rows: &[(String, &ConstructIndex)]) -> String {
    let label_w = rows
        .iter()
        .map(|r| svg::text_width(&r.0, FONT))
        .fold(60.0, f64::max)
        .min(360.0);
    let (left, right, top, bar_h) = (label_w + 20.0, 70.0, 44.0, 28.0);
    let width = FULL_WIDTH;
    let height = top + bar_h * rows.len() as f64 + 40.0;
    let mut s = Svg::new(width, height);
    let title = fit(title, TITLE * 1.08, width - 20.0);
    s.title(&title);
    s.text_styled(10.0, 22.0, &title, TITLE, Anchor::Start, "#222222", true);
    let x = LinearScale::new(0.0, 100.0, left, width - right);
    let bottom = top + bar_h * rows.len() as f64;
    for tk in svg::nice_ticks(0.0, 100.0, 5) {
        s.line(x.map(tk), top - 4.0, x.map(tk), bottom, GRID, 1.0, None);
        s.text(
            x.map(tk),
            bottom + 18.0,
            &format!("{tk:.0}"),
            FONT,
            Anchor::Middle,
        );
    }
    for (r, (label, c)) in rows.iter().enumerate() {
        let y = top + bar_h * r as f64;
        s.text(
            left - 8.0,
            y + bar_h / 2.0 + 4.0,
            &fit(label, FONT, label_w),
            FONT,
            Anchor::End,
        );
        let v = c.index.clamp(0.0, 100.0);
        s.rect(
            x.map(0.0),
            y + 5.0,
            x.map(v) - x.map(0.0),
            bar_h - 10.0,
            BLUE,
            None,
        );
        whisker_h(&mut s, &x, c, y + bar_h / 2.0);
        s.text(
            x.map(c.ci.upper.clamp(0.0, 100.0).max(v)) + 6.0,
            y + bar_h / 2.0 + 4.0,
            &fmt1(c.index),
            FONT,
            Anchor::Start,
        );
    }
    s.finish()
}

/// Horizontal bars of the 0–100 index per construct with their intervals (English).
pub fn index_bars(index: &IndexResult, title: &str) -> String {
    index_bars_in(index, title, Lang::En)
}

/// Horizontal bars of the 0–100 index per construct, from 0, with their intervals.
pub fn index_bars_in(index: &IndexResult, title: &str, lang: Lang) -> String {
    let rows: Vec<(String, &ConstructIndex)> = index
        .constructs
        .iter()
        .map(|c| (crate::i18n::construct_label(c.construct.name(), lang), c))
        .collect();
    hbars(title, &rows)
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

/// The importance–performance map in English with item codes ([`ipma_map_in`]).
pub fn ipma_map(map: &Ipma, level: MapLevel) -> String {
    ipma_map_in(map, level, english())
}

/// The importance–performance map: importance on x, performance on y, the
/// quadrant split as dashed lines, the "concentrate here" quadrant shaded,
/// its points in red; the first five of the fix-first ranking
/// ([`fix_first`]) carry their rank (`#1 …`). Items are shown by their
/// codebook wording; labels are placed around their points clear of the
/// mean lines and of each other ([`crate::svg::place`]), and a label that
/// cannot be placed becomes a number listed in a key below the map.
pub fn ipma_map_in(map: &Ipma, level: MapLevel, labels: Labels<'_>) -> String {
    let lang = labels.lang();
    let ranks = fix_first(map);
    let pts: Vec<(String, f64, f64, Quadrant, Option<usize>)> = match level {
        MapLevel::Constructs => map
            .constructs
            .iter()
            .map(|c| {
                let r = ranks
                    .constructs
                    .iter()
                    .find(|x| x.construct == c.name)
                    .map(|x| x.rank);
                (
                    labels.construct(c.name.name()),
                    c.importance,
                    c.performance,
                    c.quadrant,
                    r,
                )
            })
            .collect(),
        MapLevel::Indicators => map
            .indicators
            .iter()
            .map(|c| {
                let r = ranks
                    .items
                    .iter()
                    .find(|x| x.indicator == c.indicator && x.construct == c.construct)
                    .map(|x| x.rank);
                (
                    labels.item(&c.indicator),
                    c.importance,
                    c.performance,
                    c.quadrant,
                    r,
                )
            })
            .collect(),
    };
    let (split_i, split_p) = match level {
        MapLevel::Constructs => map.construct_split,
        MapLevel::Indicators => map.indicator_split,
    };
    let (width, height, left, right, top, bottom) = (FULL_WIDTH, 560.0, 70.0, 24.0, 48.0, 58.0);
    let mut s = Svg::new(width, height);
    let target = labels.construct(map.target.name());
    let title = t(
        CsiText::ChIpmaHeading,
        lang,
        &[
            ("target", target.clone()),
            (
                "level",
                match level {
                    MapLevel::Constructs => CsiText::ChLevelConstructs,
                    MapLevel::Indicators => CsiText::ChLevelItems,
                }
                .text(lang)
                .to_string(),
            ),
        ],
    );
    s.title(&title);
    s.text_styled(10.0, 22.0, &title, TITLE, Anchor::Start, "#222222", true);
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
    s.rect(
        x.map(split_i),
        y.map(split_p),
        x.map(max_i) - x.map(split_i),
        y.map(p0) - y.map(split_p),
        LIGHT_RED,
        None,
    );
    for tk in svg::nice_ticks(min_i, max_i, 5) {
        s.line(x.map(tk), top, x.map(tk), height - bottom, GRID, 1.0, None);
        s.text(
            x.map(tk),
            height - bottom + 18.0,
            &format!("{tk:.2}"),
            FONT,
            Anchor::Middle,
        );
    }
    for tk in svg::nice_ticks(p0, p1, 5) {
        s.line(left, y.map(tk), width - right, y.map(tk), GRID, 1.0, None);
        s.text(
            left - 6.0,
            y.map(tk) + 4.0,
            &format!("{tk:.0}"),
            FONT,
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
        height - 10.0,
        &t(CsiText::ChImportanceAxis, lang, &[("target", target)]),
        FONT,
        Anchor::Middle,
    );
    s.text_rotated(
        18.0,
        (top + height - bottom) / 2.0,
        CsiText::ChPerformanceAxis.text(lang),
        FONT,
        -90.0,
    );
    let corner = CsiText::ChConcentrate.text(lang);
    let corner_y = height - bottom - 8.0;
    let corner_w = svg::text_width(corner, FONT);
    // Over a halo: it may meet a grid line.
    s.text_halo_styled(
        width - right - 4.0,
        corner_y,
        corner,
        FONT,
        Anchor::End,
        RED,
        false,
    );
    let max_label = 260.0;
    let (split_x, split_y) = (x.map(split_i), y.map(split_p));
    let marks: Vec<Mark> = pts
        .iter()
        .map(|(name, imp, perf, _, rank)| {
            let text = match rank {
                Some(r) if *r <= 5 => format!("#{r} {name}"),
                _ => name.clone(),
            };
            Mark {
                x: x.map(*imp),
                y: y.map(*perf),
                r: 5.0,
                text: fit(&text, FONT, max_label),
            }
        })
        .collect();
    let (plot_right, plot_bottom) = (width - right, height - bottom);
    let scene = Scene {
        bounds: (left, top, plot_right, plot_bottom),
        lines: vec![
            ((split_x, top), (split_x, plot_bottom)),
            ((left, split_y), (plot_right, split_y)),
        ],
        // The corner caption is a fixed label the others keep clear of.
        boxes: vec![(
            plot_right - 4.0 - corner_w - 2.0,
            corner_y - 0.8 * FONT - 2.0,
            plot_right,
            corner_y + 0.25 * FONT + 2.0,
        )],
        size: FONT,
    };
    let placement = place::place(&marks, &scene);
    placement.draw_leaders(&mut s, GREY);
    for (m, (_, _, _, q, _)) in marks.iter().zip(&pts) {
        let colour = if *q == Quadrant::ConcentrateHere {
            RED
        } else {
            BLUE
        };
        s.circle(m.x, m.y, m.r, colour);
    }
    placement.draw_labels(&mut s);
    // Labels that did not fit: numbered at their points, listed below.
    let key_width = width - 2.0 * left;
    let extra = placement.key_height(&marks, key_width);
    if extra > 0.0 {
        s.grow(extra);
        placement.draw_key(&mut s, &marks, left, height + FONT, key_width);
    }
    s.finish()
}

/// Bars of one construct's index per group (segments), English ([`segment_bars_in`]).
pub fn segment_bars(analysis: &GroupAnalysis, construct: &Construct) -> String {
    segment_bars_in(analysis, construct, Lang::En)
}

/// Horizontal bars from 0 of one construct's index per group (segments),
/// with intervals and each group's respondents.
pub fn segment_bars_in(analysis: &GroupAnalysis, construct: &Construct, lang: Lang) -> String {
    let rows: Vec<(String, &ConstructIndex)> = analysis
        .groups
        .iter()
        .filter_map(|g| {
            Some((
                format!("{} (n={})", super::text::period_label(&g.label, lang), g.n),
                g.index.get(construct.clone())?,
            ))
        })
        .collect();
    let title = t(
        CsiText::ChSegmentTitle,
        lang,
        &[
            (
                "target",
                crate::i18n::construct_label(construct.name(), lang),
            ),
            ("column", super::text::column_label(&analysis.column, lang)),
        ],
    );
    hbars(&title, &rows)
}

/// One construct's index over periods, English ([`trend_in`]).
pub fn trend(analysis: &GroupAnalysis, construct: &Construct) -> String {
    trend_in(analysis, construct, Lang::En)
}

/// One construct's index over periods: the line with its interval band.
/// Periods sit at their calendar positions, and the line and band break
/// where a period is missing (absent or skipped), so that a gap is never
/// drawn as a change between neighbours; skipped periods are marked by a
/// dashed line and listed in a note under the chart. Without any estimated
/// period the chart says so (never an empty plot).
pub fn trend_in(analysis: &GroupAnalysis, construct: &Construct, lang: Lang) -> String {
    let labels: Vec<String> = analysis
        .groups
        .iter()
        .map(|g| super::text::period_label(&g.label, lang))
        .collect();
    let skipped_labels: Vec<String> = analysis
        .skipped
        .iter()
        .map(|g| super::text::period_label(&g.label, lang))
        .collect();
    let vals: Vec<(&str, &ConstructIndex, f64)> = analysis
        .groups
        .iter()
        .zip(&labels)
        .enumerate()
        .filter_map(|(i, (g, l))| {
            let at = g.period.map_or(i as f64, |p| p.index() as f64);
            Some((l.as_str(), g.index.get(construct.clone())?, at))
        })
        .collect();
    let skipped: Vec<(&str, Option<f64>)> = analysis
        .skipped
        .iter()
        .zip(&skipped_labels)
        .map(|(g, l)| (l.as_str(), g.period.map(|p| p.index() as f64)))
        .collect();
    let note = if skipped.is_empty() {
        None
    } else {
        let mut list: Vec<&str> = skipped.iter().take(8).map(|s| s.0).collect();
        if skipped.len() > 8 {
            list.push("…");
        }
        Some(t(
            CsiText::ChGapNote,
            lang,
            &[
                ("n", skipped.len().to_string()),
                ("periods", list.join(lang.list_sep())),
            ],
        ))
    };
    let (width, left, right, top, bottom) = (FULL_WIDTH, 56.0, 28.0, 48.0, 52.0);
    let height = 360.0 + if note.is_some() { 22.0 } else { 0.0 };
    let plot_bottom = height - bottom - if note.is_some() { 22.0 } else { 0.0 };
    let mut s = Svg::new(width, height);
    let band_label = vals.first().map_or_else(
        || t(CsiText::ScoreInterval, lang, &[("level", "95".into())]),
        |v| interval_label(&v.1.ci, lang),
    );
    let title = t(
        CsiText::ChTrendHeading,
        lang,
        &[
            (
                "target",
                crate::i18n::construct_label(construct.name(), lang),
            ),
            ("column", super::text::column_label(&analysis.column, lang)),
            ("ci", band_label),
        ],
    );
    let title = fit(&title, TITLE * 1.08, width - 20.0);
    s.title(&title);
    s.text_styled(10.0, 22.0, &title, TITLE, Anchor::Start, "#222222", true);
    if let Some(n) = &note {
        s.text_styled(
            10.0,
            height - 12.0,
            &fit(n, FONT, width - 20.0),
            FONT,
            Anchor::Start,
            GREY,
            false,
        );
    }
    if vals.is_empty() {
        s.text(
            width / 2.0,
            (top + plot_bottom) / 2.0,
            CsiText::ChNoPeriod.text(lang),
            FONT + 2.0,
            Anchor::Middle,
        );
        return s.finish();
    }
    let lo = vals.iter().map(|v| v.1.ci.lower).fold(100.0, f64::min);
    let hi = vals.iter().map(|v| v.1.ci.upper).fold(0.0, f64::max);
    let (y0, y1) = (
        (((lo - 3.0) / 5.0).floor() * 5.0).max(0.0),
        (((hi + 3.0) / 5.0).ceil() * 5.0).min(100.0),
    );
    let first = vals.first().map_or(0.0, |v| v.2);
    let last = vals.last().map_or(0.0, |v| v.2);
    let span = (last - first).max(1.0);
    let x = LinearScale::new(0.0, span, left + 24.0, width - right - 24.0);
    let y = LinearScale::new(y0, y1, plot_bottom, top);
    for tk in svg::nice_ticks(y0, y1, 5) {
        s.line(left, y.map(tk), width - right, y.map(tk), GRID, 1.0, None);
        s.text(
            left - 6.0,
            y.map(tk) + 4.0,
            &format!("{tk:.0}"),
            FONT,
            Anchor::End,
        );
    }
    for (_, at) in &skipped {
        if let Some(at) = at
            && *at > first
            && *at < last
        {
            let px = x.map(at - first);
            s.line(px, top, px, plot_bottom, GREY, 1.0, Some("3 3"));
        }
    }
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
    // Period labels: every k-th so that neighbours never touch.
    let per_period = (x.map(1.0) - x.map(0.0)).max(1.0);
    let widest = vals
        .iter()
        .map(|v| svg::text_width(v.0, FONT))
        .fold(0.0, f64::max);
    let every = ((widest + 10.0) / per_period).ceil().max(1.0) as i64;
    let value_every = ((svg::text_width("100.0", FONT) + 4.0) / per_period)
        .ceil()
        .max(1.0) as i64;
    // The drawn data line as segments, so that value labels keep off it.
    let segments: Vec<((f64, f64), (f64, f64))> = runs
        .iter()
        .flat_map(|run| {
            run.windows(2).map(|w| {
                (
                    (px(&w[0]), y.map(w[0].1.index.clamp(y0, y1))),
                    (px(&w[1]), y.map(w[1].1.index.clamp(y0, y1))),
                )
            })
        })
        .collect();
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    for v in &vals {
        let (cx, cy) = (px(v), y.map(v.1.index.clamp(y0, y1)));
        let step = (v.2 - first).round() as i64;
        s.circle(cx, cy, 3.5, BLUE);
        // Values alternate above and below the line when neighbours are
        // close; the first position (in that order, then farther out) whose
        // box keeps 2 px off the data line and off the labels already placed
        // wins. The halo keeps a label legible where it meets a grid line.
        let below = value_every > 1 && step % 2 == 1;
        let text = fmt1(v.1.index);
        let half = svg::text_width(&text, FONT) / 2.0;
        let offsets: [f64; 6] = if below {
            [20.0, -9.0, 32.0, -21.0, 44.0, -33.0]
        } else {
            [-9.0, 20.0, -21.0, 32.0, -33.0, 44.0]
        };
        let boxed = |ty: f64| {
            (
                cx - half - 2.0,
                ty - 0.8 * FONT - 2.0,
                cx + half + 2.0,
                ty + 0.25 * FONT + 2.0,
            )
        };
        let clear = |b: (f64, f64, f64, f64)| {
            b.1 >= top - 12.0
                && b.3 <= plot_bottom + 4.0
                && !segments
                    .iter()
                    .any(|(a, c)| svg::segment_crosses_box(*a, *c, b))
                && !placed
                    .iter()
                    .any(|p| b.0 < p.2 && p.0 < b.2 && b.1 < p.3 && p.1 < b.3)
        };
        let ty = offsets
            .iter()
            .map(|o| cy + o)
            .find(|ty| clear(boxed(*ty)))
            .unwrap_or(cy + offsets[0]);
        placed.push(boxed(ty));
        s.text_halo(cx, ty, &text, FONT, Anchor::Middle);
        if step % every == 0 {
            s.text(cx, plot_bottom + 18.0, v.0, FONT, Anchor::Middle);
        }
    }
    s.finish()
}

/// A heat map: rows × columns of values (e.g. segments × drivers of
/// potential gains), each cell shaded by its value relative to the largest
/// and labelled with it; column headers wrap onto two lines when wider than
/// their column. `NaN` cells are blank (`—`).
pub fn heat_map(title: &str, rows: &[String], columns: &[String], values: &[Vec<f64>]) -> String {
    let label_w = rows
        .iter()
        .map(|r| svg::text_width(r, FONT))
        .fold(40.0, f64::max)
        .min(300.0);
    let left = label_w + 20.0;
    let width = FULL_WIDTH;
    let col_w = ((width - left - 10.0) / columns.len().max(1) as f64).max(60.0);
    let width = width.max(left + 10.0 + col_w * columns.len() as f64);
    let split = |h: &str| -> Vec<String> {
        if svg::text_width(h, FONT) <= col_w - 6.0 {
            return vec![h.to_string()];
        }
        let chars: Vec<char> = h.chars().collect();
        let cut = match h.find(' ') {
            Some(_) => {
                let mid = h.len() / 2;
                let spaces: Vec<usize> = h.match_indices(' ').map(|(i, _)| i).collect();
                let best = spaces
                    .iter()
                    .copied()
                    .min_by_key(|&i| i.abs_diff(mid))
                    .unwrap_or(mid);
                return vec![
                    fit(h[..best].trim(), FONT, col_w - 6.0),
                    fit(h[best..].trim(), FONT, col_w - 6.0),
                ];
            }
            None => chars.len().div_ceil(2),
        };
        vec![
            fit(&chars[..cut].iter().collect::<String>(), FONT, col_w - 6.0),
            fit(&chars[cut..].iter().collect::<String>(), FONT, col_w - 6.0),
        ]
    };
    let headers: Vec<Vec<String>> = columns.iter().map(|c| split(c)).collect();
    let header_lines = headers.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let top = 40.0 + 16.0 * header_lines + 8.0;
    let row_h = 26.0;
    let height = top + row_h * rows.len() as f64 + 14.0;
    let mut s = Svg::new(width, height);
    let title = fit(title, TITLE * 1.08, width - 20.0);
    s.title(&title);
    s.text_styled(10.0, 22.0, &title, TITLE, Anchor::Start, "#222222", true);
    let max = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-12);
    for (j, lines) in headers.iter().enumerate() {
        let cx = left + col_w * (j as f64 + 0.5);
        for (l, line) in lines.iter().enumerate() {
            let yy = top - 8.0 - 16.0 * (lines.len() - 1 - l) as f64;
            s.text_styled(cx, yy, line, FONT, Anchor::Middle, "#222222", true);
        }
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        s.text(
            left - 8.0,
            y + row_h / 2.0 + 4.0,
            &fit(r, FONT, label_w),
            FONT,
            Anchor::End,
        );
        for j in 0..columns.len() {
            let v = values
                .get(i)
                .and_then(|row| row.get(j))
                .copied()
                .unwrap_or(f64::NAN);
            let x0 = left + col_w * j as f64;
            let (fill, ink, text) = if v.is_finite() {
                let a = (v / max).clamp(0.0, 1.0);
                let mix = |lo: f64, hi: f64| (lo + (hi - lo) * a).round() as u8;
                let fill = format!(
                    "#{:02x}{:02x}{:02x}",
                    mix(255.0, 197.0),
                    mix(245.0, 48.0),
                    mix(240.0, 48.0)
                );
                (
                    fill,
                    if a > 0.55 { "#ffffff" } else { "#222222" },
                    format!("{v:.2}"),
                )
            } else {
                ("#f7fafc".to_string(), "#718096", "—".to_string())
            };
            s.rect(x0 + 1.0, y + 1.0, col_w - 2.0, row_h - 2.0, &fill, None);
            s.text_styled(
                x0 + col_w / 2.0,
                y + row_h / 2.0 + 4.0,
                &text,
                FONT,
                Anchor::Middle,
                ink,
                false,
            );
        }
    }
    s.finish()
}
