//! A minimal SVG writer shared by every chart in the crate (KANO diagrams,
//! SERVQUAL gap charts, IPMA maps, path diagrams). Dependency-free: charts are
//! strings that any browser renders and any XML parser reads.

use std::fmt::Write as _;

pub mod place;

/// Escapes text for use in SVG/XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Text alignment relative to the anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at x.
    Start,
    /// Text is centred on x.
    Middle,
    /// Text ends at x.
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document under construction. Coordinates are in pixels, y downwards.
#[derive(Debug, Clone)]
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    /// A blank white canvas.
    pub fn new(width: f64, height: f64) -> Self {
        let mut s = Svg {
            width,
            height,
            body: String::new(),
        };
        s.rect(0.0, 0.0, width, height, "#ffffff", None);
        s
    }

    /// Width in pixels.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> f64 {
        self.height
    }

    /// Makes the canvas `extra` px taller (a white strip added at the
    /// bottom), for content whose height is known only after the layout,
    /// such as the numbered key of labels that did not fit ([`place`]).
    pub fn grow(&mut self, extra: f64) {
        if extra > 0.0 {
            let (w, h) = (self.width, self.height);
            self.rect(0.0, h, w, extra, "#ffffff", None);
            self.height += extra;
        }
    }

    /// A filled rectangle with an optional stroke colour.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, stroke: Option<&str>) {
        let stroke = stroke.map_or(String::new(), |s| format!(r#" stroke="{}""#, escape(s)));
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{:.2}" height="{:.2}" fill="{}"{stroke}/>"#,
            w.max(0.0),
            h.max(0.0),
            escape(fill)
        );
    }

    /// A straight line; `dash` such as `"4 3"` for a dashed line.
    #[allow(clippy::too_many_arguments)]
    pub fn line(
        &mut self,
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &str,
        width: f64,
        dash: Option<&str>,
    ) {
        let dash = dash.map_or(String::new(), |d| {
            format!(r#" stroke-dasharray="{}""#, escape(d))
        });
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="{}" stroke-width="{width:.2}"{dash}/>"#,
            escape(stroke)
        );
    }

    /// A line with an arrow head at (x2, y2).
    pub fn arrow(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        self.line(x1, y1, x2, y2, stroke, width, None);
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt();
        if len > 0.0 {
            let (ux, uy) = (dx / len, dy / len);
            let size = 4.0 + 2.0 * width;
            let (bx, by) = (x2 - ux * size, y2 - uy * size);
            let (px, py) = (-uy * size * 0.5, ux * size * 0.5);
            self.polygon(&[(x2, y2), (bx + px, by + py), (bx - px, by - py)], stroke);
        }
    }

    /// A quadratic Bézier curve from (x1, y1) to (x2, y2) bent towards the
    /// control point (cx, cy), with an arrow head at (x2, y2) along the
    /// curve's end tangent. The curve passes through its midpoint
    /// [`quad_point`]`(…, 0.5)`, where a label fits.
    #[allow(clippy::too_many_arguments)]
    pub fn curve_arrow(
        &mut self,
        x1: f64,
        y1: f64,
        cx: f64,
        cy: f64,
        x2: f64,
        y2: f64,
        stroke: &str,
        width: f64,
    ) {
        let _ = writeln!(
            self.body,
            r#"<path d="M {x1:.2} {y1:.2} Q {cx:.2} {cy:.2} {x2:.2} {y2:.2}" fill="none" stroke="{}" stroke-width="{width:.2}"/>"#,
            escape(stroke)
        );
        let (dx, dy) = (x2 - cx, y2 - cy);
        let len = (dx * dx + dy * dy).sqrt();
        if len > 0.0 {
            let (ux, uy) = (dx / len, dy / len);
            let size = 4.0 + 2.0 * width;
            let (bx, by) = (x2 - ux * size, y2 - uy * size);
            let (px, py) = (-uy * size * 0.5, ux * size * 0.5);
            self.polygon(&[(x2, y2), (bx + px, by + py), (bx - px, by - py)], stroke);
        }
    }

    /// An SVG `<title>` element: a tooltip, and the chart's accessible name
    /// when it comes first.
    pub fn title(&mut self, text: &str) {
        let _ = writeln!(self.body, "<title>{}</title>", escape(text));
    }

    /// A filled polygon.
    pub fn polygon(&mut self, points: &[(f64, f64)], fill: &str) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.2},{y:.2}"))
            .collect();
        let _ = writeln!(
            self.body,
            r#"<polygon points="{}" fill="{}"/>"#,
            pts.join(" "),
            escape(fill)
        );
    }

    /// An open polyline.
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.2},{y:.2}"))
            .collect();
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{width:.2}"/>"#,
            pts.join(" "),
            escape(stroke)
        );
    }

    /// A filled circle.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="{r:.2}" fill="{}"/>"#,
            escape(fill)
        );
    }

    /// Text at (x, y) (baseline), font size in pixels.
    pub fn text(&mut self, x: f64, y: f64, text: &str, size: f64, anchor: Anchor) {
        self.text_styled(x, y, text, size, anchor, "#222222", false);
    }

    /// Text with colour and weight.
    #[allow(clippy::too_many_arguments)]
    pub fn text_styled(
        &mut self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        anchor: Anchor,
        fill: &str,
        bold: bool,
    ) {
        let weight = if bold { r#" font-weight="bold""# } else { "" };
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.2}" y="{y:.2}" font-size="{size:.1}" text-anchor="{}" fill="{}"{weight}>{}</text>"#,
            anchor.as_str(),
            escape(fill),
            escape(text)
        );
    }

    /// Text with a white outline (halo) painted under the glyphs, so that it
    /// stays readable where it crosses grid lines, reference lines or other marks.
    pub fn text_halo(&mut self, x: f64, y: f64, text: &str, size: f64, anchor: Anchor) {
        self.text_halo_styled(x, y, text, size, anchor, "#222222", false);
    }

    /// Text with colour and weight over a white halo ([`Svg::text_halo`]).
    #[allow(clippy::too_many_arguments)]
    pub fn text_halo_styled(
        &mut self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        anchor: Anchor,
        fill: &str,
        bold: bool,
    ) {
        let weight = if bold { r#" font-weight="bold""# } else { "" };
        let _ = writeln!(
            self.body,
            r##"<text x="{x:.2}" y="{y:.2}" font-size="{size:.1}" text-anchor="{}" fill="{}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"{weight}>{}</text>"##,
            anchor.as_str(),
            escape(fill),
            escape(text)
        );
    }

    /// Text rotated by `degrees` around its anchor point (e.g. −90 for a y-axis title).
    pub fn text_rotated(&mut self, x: f64, y: f64, text: &str, size: f64, degrees: f64) {
        let _ = writeln!(
            self.body,
            r##"<text x="{x:.2}" y="{y:.2}" font-size="{size:.1}" text-anchor="middle" fill="#222222" transform="rotate({degrees:.1} {x:.2} {y:.2})">{}</text>"##,
            escape(text)
        );
    }

    /// Appends raw SVG markup (the caller is responsible for escaping).
    pub fn raw(&mut self, markup: &str) {
        self.body.push_str(markup);
        self.body.push('\n');
    }

    /// The finished document.
    pub fn finish(&self) -> String {
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" "#,
                r#"font-family="Helvetica, Arial, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif">"#,
                "\n{body}</svg>\n"
            ),
            w = self.width,
            h = self.height,
            body = self.body
        )
    }
}

/// Whether the segment `a`–`b` passes through the box `[x0, x1] × [y0, y1]`
/// (some part of it lies inside or on the border; Liang & Barsky 1984
/// clipping), for keeping labels off the lines of a chart.
///
/// ```
/// use csikit::svg::segment_crosses_box;
/// assert!(segment_crosses_box((0.0, 5.0), (20.0, 5.0), (5.0, 0.0, 10.0, 10.0)));
/// assert!(!segment_crosses_box((0.0, 12.0), (20.0, 12.0), (5.0, 0.0, 10.0, 10.0)));
/// assert!(segment_crosses_box((7.0, 7.0), (8.0, 8.0), (5.0, 0.0, 10.0, 10.0)));
/// ```
pub fn segment_crosses_box(a: (f64, f64), b: (f64, f64), bx: (f64, f64, f64, f64)) -> bool {
    let (x0, y0, x1, y1) = bx;
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    t0 <= t1
}

/// The point at parameter `t` ∈ [0, 1] of the quadratic Bézier curve with
/// end points `p0`, `p2` and control point `c`: (1−t)²·p0 + 2t(1−t)·c + t²·p2.
pub fn quad_point(p0: (f64, f64), c: (f64, f64), p2: (f64, f64), t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    (
        u * u * p0.0 + 2.0 * t * u * c.0 + t * t * p2.0,
        u * u * p0.1 + 2.0 * t * u * c.1 + t * t * p2.1,
    )
}

/// A linear map from a data interval to a pixel interval.
#[derive(Debug, Clone, Copy)]
pub struct LinearScale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl LinearScale {
    /// Maps `[d0, d1]` onto `[r0, r1]` (for a y axis pass `r0` = bottom pixel).
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Self {
        LinearScale { d0, d1, r0, r1 }
    }

    /// Pixel position of a data value.
    pub fn map(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// About `count` round tick values covering `[min, max]` (steps 1, 2, 2.5, 5 × 10^k).
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    if !(min.is_finite() && max.is_finite()) || count == 0 {
        return Vec::new();
    }
    if max <= min {
        return vec![min];
    }
    let raw = (max - min) / count as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (min / step).ceil() * step;
    let mut ticks = Vec::new();
    let mut v = start;
    while v <= max + step * 1e-9 {
        ticks.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    ticks
}

/// Moves label y-positions apart so that no two are closer than `min_gap`
/// pixels, keeping their order and staying as close as possible to the wanted
/// positions (a simple one-dimensional relaxation). Returns the new positions
/// in the input order.
pub fn spread_labels(wanted: &[f64], min_gap: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]));
    let mut pos: Vec<f64> = order.iter().map(|&i| wanted[i]).collect();
    for _ in 0..200 {
        let mut moved = false;
        for k in 1..pos.len() {
            let gap = pos[k] - pos[k - 1];
            if gap < min_gap - 1e-9 {
                let shift = (min_gap - gap) / 2.0;
                pos[k - 1] -= shift;
                pos[k] += shift;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let mut out = vec![0.0; wanted.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = pos[k];
    }
    out
}

/// Approximate rendered width of `text` at font size `size` in pixels, for
/// laying out labels: 0.6 em per Latin glyph (the average of Helvetica/Arial)
/// and 1 em per CJK or full-width glyph ([`crate::i18n::is_wide`]), so that
/// Chinese labels are not measured at 60 % of their width.
///
/// ```
/// use csikit::svg::text_width;
/// assert_eq!(text_width("ab", 10.0), 12.0);
/// assert_eq!(text_width("满意", 10.0), 20.0);
/// ```
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if crate::i18n::is_wide(c) { 1.0 } else { 0.6 })
        .sum::<f64>()
        * size
}

/// Breaks `text` into lines no wider than `max_width` at `size` px (as
/// measured by [`text_width`]): at spaces, and between any two wide (CJK)
/// glyphs, which need no space; a word longer than a line is broken
/// between characters. Never returns an empty list.
///
/// ```
/// use csikit::svg::wrap_text;
/// assert_eq!(wrap_text("zone of tolerance", 12.0, 70.0), ["zone of", "tolerance"]);
/// assert_eq!(wrap_text("客户满意度指数", 10.0, 40.0), ["客户满意", "度指数"]);
/// assert_eq!(wrap_text("", 10.0, 40.0), [""]);
/// ```
pub fn wrap_text(text: &str, size: f64, max_width: f64) -> Vec<String> {
    // Tokens: runs of narrow characters (a word with its trailing space
    // removed) and single wide glyphs; `true` marks a space before the token.
    let mut tokens: Vec<(bool, String)> = Vec::new();
    let mut space = false;
    let mut word = String::new();
    for c in text.chars() {
        if c == ' ' {
            if !word.is_empty() {
                tokens.push((space, std::mem::take(&mut word)));
            }
            space = true;
        } else if crate::i18n::is_wide(c) {
            if !word.is_empty() {
                tokens.push((space, std::mem::take(&mut word)));
                space = false;
            }
            tokens.push((space, c.to_string()));
            space = false;
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        tokens.push((space, word));
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (space, token) in tokens {
        let joined = if line.is_empty() {
            token.clone()
        } else if space {
            format!("{line} {token}")
        } else {
            format!("{line}{token}")
        };
        if text_width(&joined, size) <= max_width || line.is_empty() {
            line = joined;
        } else {
            lines.push(std::mem::take(&mut line));
            line = token;
        }
        // A single token wider than the line: cut it between characters.
        while text_width(&line, size) > max_width && line.chars().count() > 1 {
            let mut head = String::new();
            for c in line.chars() {
                let mut next = head.clone();
                next.push(c);
                if text_width(&next, size) > max_width && !head.is_empty() {
                    break;
                }
                head = next;
            }
            let tail = line[head.len()..].to_string();
            lines.push(head);
            line = tail;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Places horizontal text labels without overlaps. Label `i` occupies
/// `[starts[i], starts[i] + widths[i]]` horizontally and wants its baseline at
/// `wanted[i]`. Labels whose horizontal extents overlap (directly or through a
/// chain of others) form a group; within a group the baselines are spread at
/// least `min_gap` apart with [`spread_labels`], and the group is then shifted,
/// if possible, to lie within `[top, bottom]`. Returns the baselines in input order.
///
/// ```
/// use csikit::svg::place_labels;
/// // Two labels side by side do not interact; two stacked ones are spread.
/// let y = place_labels(&[0.0, 100.0, 0.0], &[50.0, 50.0, 50.0], &[20.0, 20.0, 22.0], 12.0, 0.0, 200.0);
/// assert_eq!(y[1], 20.0);
/// assert!((y[2] - y[0]).abs() >= 12.0 - 1e-9);
/// ```
pub fn place_labels(
    starts: &[f64],
    widths: &[f64],
    wanted: &[f64],
    min_gap: f64,
    top: f64,
    bottom: f64,
) -> Vec<f64> {
    let n = wanted.len().min(starts.len()).min(widths.len());
    // Union-find over horizontally overlapping labels.
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..n {
        for j in (i + 1)..n {
            let overlap = starts[i] < starts[j] + widths[j] && starts[j] < starts[i] + widths[i];
            if overlap {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    let mut out: Vec<f64> = wanted[..n].to_vec();
    let mut done = vec![false; n];
    for i in 0..n {
        if done[i] {
            continue;
        }
        let r = root(&mut parent, i);
        let members: Vec<usize> = (0..n).filter(|&k| root(&mut parent, k) == r).collect();
        let ys: Vec<f64> = members.iter().map(|&k| wanted[k]).collect();
        let mut placed = spread_labels(&ys, min_gap);
        let lo = placed.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = placed.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let shift = if lo < top {
            top - lo
        } else if hi > bottom {
            (bottom - hi).max(top - lo)
        } else {
            0.0
        };
        for y in &mut placed {
            *y += shift;
        }
        for (&k, y) in members.iter().zip(placed) {
            out[k] = y;
            done[k] = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape(r#"a<b & "c""#), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            nice_ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(nice_ticks(-1.0, 1.0, 4), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
    }

    #[test]
    fn labels_spread_apart_in_order() {
        let out = spread_labels(&[10.0, 11.0, 12.0, 50.0], 10.0);
        assert!(out[1] - out[0] >= 10.0 - 1e-6 && out[2] - out[1] >= 10.0 - 1e-6);
        assert_eq!(out[3], 50.0);
    }

    #[test]
    fn document_is_closed() {
        let mut s = Svg::new(100.0, 50.0);
        s.text(1.0, 2.0, "x<y", 10.0, Anchor::Start);
        let doc = s.finish();
        assert!(doc.starts_with("<svg") && doc.trim_end().ends_with("</svg>"));
        assert!(doc.contains("x&lt;y"));
        let mut s = Svg::new(10.0, 10.0);
        s.text_halo(1.0, 2.0, "a&b", 11.0, Anchor::End);
        let doc = s.finish();
        assert!(doc.contains(r#"text-anchor="end""#) && doc.contains("paint-order=\"stroke\""));
        assert!(doc.contains(">a&amp;b</text>"));
    }

    #[test]
    fn placed_labels_do_not_overlap() {
        // Five labels at nearly the same point, one far to the right.
        let starts = [10.0, 12.0, 14.0, 16.0, 18.0, 300.0];
        let widths = [40.0; 6];
        let wanted = [100.0, 101.0, 102.0, 103.0, 104.0, 102.0];
        let y = place_labels(&starts, &widths, &wanted, 12.0, 0.0, 500.0);
        for i in 0..5 {
            for j in (i + 1)..5 {
                assert!((y[i] - y[j]).abs() >= 12.0 - 1e-6, "{y:?}");
            }
        }
        assert_eq!(y[5], 102.0);
        // A group pushed above the top is shifted down inside the bounds.
        let y = place_labels(&[0.0, 0.0], &[10.0, 10.0], &[0.0, 0.0], 10.0, 0.0, 100.0);
        assert!(y.iter().all(|&v| v >= 0.0) && (y[0] - y[1]).abs() >= 10.0 - 1e-9);
        assert_eq!(text_width("abcd", 10.0), 24.0);
    }

    #[test]
    fn curve_arrow_and_midpoint() {
        let mut s = Svg::new(100.0, 100.0);
        s.title("a & b");
        s.curve_arrow(0.0, 50.0, 50.0, 0.0, 100.0, 50.0, "#000", 1.0);
        let doc = s.finish();
        assert!(doc.contains(r#"d="M 0.00 50.00 Q 50.00 0.00 100.00 50.00""#));
        assert!(doc.contains("<title>a &amp; b</title>") && doc.contains("<polygon"));
        // The curve's midpoint lies halfway to the control point.
        assert_eq!(
            quad_point((0.0, 50.0), (50.0, 0.0), (100.0, 50.0), 0.5),
            (50.0, 25.0)
        );
        assert_eq!(
            quad_point((0.0, 50.0), (50.0, 0.0), (100.0, 50.0), 1.0),
            (100.0, 50.0)
        );
    }
}

/// The box a text element of an SVG document occupies, as laid out with
/// [`text_width`] (ascent 0.8 em above the baseline, descent 0.25 em below).
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    /// The text (entities decoded).
    pub text: String,
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl TextBox {
    /// The area (px²) this box shares with `other`.
    pub fn overlap(&self, other: &TextBox) -> f64 {
        let w = self.x1.min(other.x1) - self.x0.max(other.x0);
        let h = self.y1.min(other.y1) - self.y0.max(other.y0);
        if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of an element's content without inner markup (`<tspan>`).
fn strip_tags(markup: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in markup.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// The boxes of every `<text>` element of an SVG document (as this crate
/// writes them: `x`, `y`, `font-size`, `text-anchor`, an optional
/// `rotate(deg cx cy)` transform by any angle, boxed by its rotated corners;
/// the characters of inner `<tspan>` elements count as one line), for checking that
/// no two labels of a chart overlap ([`overlapping_texts`]).
pub fn text_boxes(svg: &str) -> Vec<TextBox> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find("<text") {
        let after = &rest[open..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let Some(close) = after.find("</text>") else {
            break;
        };
        let content = unescape(&strip_tags(&after[tag_end + 1..close]));
        rest = &after[close + 7..];
        let num = |name: &str| attribute(tag, name).and_then(|v| v.trim().parse::<f64>().ok());
        let (Some(x), Some(y)) = (num("x"), num("y")) else {
            continue;
        };
        let size = num("font-size").unwrap_or(12.0);
        let bold = attribute(tag, "font-weight").is_some_and(|w| w == "bold");
        let w = text_width(&content, size) * if bold { 1.08 } else { 1.0 };
        let x0 = match attribute(tag, "text-anchor").as_deref() {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        let mut b = TextBox {
            text: content,
            x0,
            y0: y - 0.8 * size,
            x1: x0 + w,
            y1: y + 0.25 * size,
        };
        if let Some(t) = attribute(tag, "transform") {
            let inner = t.trim_start_matches("rotate(").trim_end_matches(')');
            let v: Vec<f64> = inner
                .split([' ', ','])
                .filter_map(|p| p.trim().parse().ok())
                .collect();
            let (deg, cx, cy) = match v[..] {
                [deg, cx, cy] => (deg, cx, cy),
                [deg] => (deg, 0.0, 0.0),
                _ => (0.0, 0.0, 0.0),
            };
            // The bounding box of the rotated corners (any angle).
            let (sin, cos) = deg.to_radians().sin_cos();
            let rot = |px: f64, py: f64| {
                (
                    cx + (px - cx) * cos - (py - cy) * sin,
                    cy + (px - cx) * sin + (py - cy) * cos,
                )
            };
            let corners = [
                rot(b.x0, b.y0),
                rot(b.x1, b.y0),
                rot(b.x0, b.y1),
                rot(b.x1, b.y1),
            ];
            b.x0 = corners.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
            b.x1 = corners
                .iter()
                .map(|c| c.0)
                .fold(f64::NEG_INFINITY, f64::max);
            b.y0 = corners.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
            b.y1 = corners
                .iter()
                .map(|c| c.1)
                .fold(f64::NEG_INFINITY, f64::max);
        }
        out.push(b);
    }
    out
}

/// The pairs of text elements of an SVG document that overlap by more than
/// `tolerance` px² (a text repeated at the same place, such as a halo drawn
/// under its label, is not counted), and the texts that stick out of the
/// document's `width` × `height`. Empty when every label can be read.
///
/// ```
/// use csikit::svg::{overlapping_texts, Anchor, Svg};
/// let mut ok = Svg::new(300.0, 100.0);
/// ok.text(10.0, 20.0, "满意度", 12.0, Anchor::Start);
/// ok.text(10.0, 40.0, "Loyalty", 12.0, Anchor::Start);
/// assert!(overlapping_texts(&ok.finish(), 2.0).is_empty());
/// let mut bad = Svg::new(300.0, 100.0);
/// bad.text(10.0, 20.0, "客户满意度", 12.0, Anchor::Start);
/// bad.text(40.0, 24.0, "Loyalty", 12.0, Anchor::Start);
/// assert_eq!(overlapping_texts(&bad.finish(), 2.0).len(), 1);
/// ```
pub fn overlapping_texts(svg: &str, tolerance: f64) -> Vec<String> {
    let boxes = text_boxes(svg);
    let dim = |name: &str| {
        svg.find("<svg")
            .and_then(|i| attribute(&svg[i..i + svg[i..].find('>').unwrap_or(0)], name))
            .and_then(|v| v.parse::<f64>().ok())
    };
    let mut out = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let same = a.text == b.text && (a.x0 - b.x0).abs() < 0.5 && (a.y0 - b.y0).abs() < 0.5;
            if !same && a.overlap(b) > tolerance {
                out.push(format!("`{}` overlaps `{}`", a.text, b.text));
            }
        }
        if let (Some(w), Some(h)) = (dim("width"), dim("height"))
            && (a.x0 < -1.0 || a.y0 < -1.0 || a.x1 > w + 1.0 || a.y1 > h + 1.0)
        {
            out.push(format!(
                "`{}` sticks out of the {w}×{h} chart ({:.0}, {:.0})–({:.0}, {:.0})",
                a.text, a.x0, a.y0, a.x1, a.y1
            ));
        }
    }
    out
}
