//! The two Kano diagrams as SVG: Better–Worse and continuous (DuMouchel).

use super::text::{Text, category};
use super::{Category, KanoReport};
use crate::i18n::Lang;
use crate::svg::place::{self, Mark, Placement, Scene, Segment};
use crate::svg::{Anchor, LinearScale, Svg, text_width, wrap_text};

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 620.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 600.0;
const TOP: f64 = 70.0;
const BOTTOM: f64 = 530.0;
const LABEL_SIZE: f64 = 12.0;

/// The colour of a category's points.
fn colour(category: Option<Category>) -> &'static str {
    match category {
        Some(Category::A) => "#2a9d8f",
        Some(Category::O) => "#264653",
        Some(Category::M) => "#e76f51",
        Some(Category::I) => "#8d99ae",
        Some(Category::R) => "#9b2226",
        Some(Category::Q) => "#b5838d",
        None => "#999999",
    }
}

struct Point {
    x: f64,
    y: f64,
    r: f64,
    label: String,
    category: Option<Category>,
}

/// Frame, grid, ticks and titles shared by both charts.
#[allow(clippy::too_many_arguments)]
fn frame(
    svg: &mut Svg,
    xs: &LinearScale,
    ys: &LinearScale,
    x_ticks: &[f64],
    y_ticks: &[f64],
    title: &str,
    subtitle: Option<&str>,
    x_title: &str,
    y_title: &str,
) {
    svg.text_styled(
        WIDTH / 2.0,
        28.0,
        title,
        16.0,
        Anchor::Middle,
        "#222222",
        true,
    );
    if let Some(s) = subtitle {
        svg.text(WIDTH / 2.0, 48.0, s, 12.0, Anchor::Middle);
    }
    svg.rect(
        LEFT,
        TOP,
        RIGHT - LEFT,
        BOTTOM - TOP,
        "none",
        Some("#444444"),
    );
    for &t in x_ticks {
        let x = xs.map(t);
        svg.line(x, TOP, x, BOTTOM, "#eeeeee", 1.0, None);
        svg.line(x, BOTTOM, x, BOTTOM + 5.0, "#444444", 1.0, None);
        svg.text(x, BOTTOM + 18.0, &tick_label(t), 12.0, Anchor::Middle);
    }
    for &t in y_ticks {
        let y = ys.map(t);
        svg.line(LEFT, y, RIGHT, y, "#eeeeee", 1.0, None);
        svg.line(LEFT - 5.0, y, LEFT, y, "#444444", 1.0, None);
        svg.text(LEFT - 8.0, y + 4.0, &tick_label(t), 12.0, Anchor::End);
    }
    svg.text(
        (LEFT + RIGHT) / 2.0,
        BOTTOM + 40.0,
        x_title,
        13.0,
        Anchor::Middle,
    );
    svg.text_rotated(28.0, (TOP + BOTTOM) / 2.0, y_title, 13.0, -90.0);
}

fn tick_label(t: f64) -> String {
    let s = format!("{t:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A quadrant (region) of a chart and the name written in one of its corners.
struct Region {
    name: String,
    /// Pixel rectangle: left, top, right, bottom.
    rect: (f64, f64, f64, f64),
    /// The preferred corner (left?, top?): the one farthest from the chart's centre.
    outer: (bool, bool),
}

/// The box (left, top, right, bottom) of a region name written in a corner.
fn name_box(region: &Region, corner: (bool, bool)) -> (f64, f64, f64, f64, Anchor) {
    let (x0, y0, x1, y1) = region.rect;
    let w = text_width(&region.name, 13.0) * 1.1;
    let y = if corner.1 { y0 + 20.0 } else { y1 - 10.0 };
    if corner.0 {
        (x0 + 8.0, y - 11.0, x0 + 8.0 + w, y + 3.0, Anchor::Start)
    } else {
        (x1 - 8.0 - w, y - 11.0, x1 - 8.0, y + 3.0, Anchor::End)
    }
}

fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> f64 {
    let w = a.2.min(b.2) - a.0.max(b.0);
    let h = a.3.min(b.3) - a.1.max(b.1);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

/// Writes each region's name in the corner of its region that overlaps the
/// points and their labels' first-choice places least (the outer corner when
/// free), over a halo (it may meet a grid line); returns the names' boxes.
fn region_names(
    svg: &mut Svg,
    regions: &[Region],
    obstacles: &[(f64, f64, f64, f64)],
) -> Vec<(f64, f64, f64, f64)> {
    let mut boxes = Vec::new();
    for region in regions {
        let (l, t) = region.outer;
        let mut best: Option<(f64, (bool, bool))> = None;
        for corner in [(l, t), (!l, t), (l, !t), (!l, !t)] {
            let b = name_box(region, corner);
            let cost: f64 = obstacles
                .iter()
                .map(|o| overlap((b.0, b.1, b.2, b.3), *o))
                .sum();
            if best.is_none_or(|(c, _)| cost < c - 1e-9) {
                best = Some((cost, corner));
            }
        }
        let corner = best.map_or(region.outer, |b| b.1);
        let (x0, y0, x1, y1, anchor) = name_box(region, corner);
        let x = if matches!(anchor, Anchor::Start) {
            x0
        } else {
            x1
        };
        svg.text_halo_styled(x, y1 - 3.0, &region.name, 13.0, anchor, "#c4c4c4", true);
        boxes.push((x0 - 1.0, y0 - 1.0, x1 + 1.0, y1 + 1.0));
    }
    boxes
}

/// Region names, then points with their labels placed in two dimensions
/// ([`place::place`]) clear of one another, of the points, of the region
/// names and of `lines` (the category split lines, the zero axes); a thin
/// leader joins a label set away from its point. Labels that cannot be
/// placed are numbered and listed in a key below the chart ([`key`]).
fn points_with_labels(
    svg: &mut Svg,
    points: &[Point],
    regions: &[Region],
    lines: Vec<Segment>,
) -> (Placement, Vec<Mark>) {
    let mut obstacles: Vec<(f64, f64, f64, f64)> = Vec::new();
    for p in points {
        obstacles.push((p.x - p.r, p.y - p.r, p.x + p.r, p.y + p.r));
        // Where the label would go if free: right of the point.
        let w = text_width(&p.label, LABEL_SIZE);
        obstacles.push((
            p.x + p.r,
            p.y - LABEL_SIZE * 0.6,
            p.x + p.r + 4.0 + w,
            p.y + LABEL_SIZE * 0.6,
        ));
    }
    let boxes = region_names(svg, regions, &obstacles);
    let marks: Vec<Mark> = points
        .iter()
        .map(|p| Mark {
            x: p.x,
            y: p.y,
            r: p.r,
            text: p.label.clone(),
        })
        .collect();
    let scene = Scene {
        bounds: (LEFT, TOP, RIGHT, BOTTOM),
        lines,
        boxes,
        size: LABEL_SIZE,
    };
    let placement = place::place(&marks, &scene);
    placement.draw_leaders(svg, "#aaaaaa");
    for p in points {
        svg.circle(p.x, p.y, p.r, colour(p.category));
    }
    placement.draw_labels(svg);
    (placement, marks)
}

/// The numbered key of the labels that did not fit, below everything else
/// (the canvas grows to hold it).
fn key(svg: &mut Svg, placement: &Placement, marks: &[Mark]) {
    let width = WIDTH - LEFT - 10.0;
    let extra = placement.key_height(marks, width);
    if extra > 0.0 {
        let y = svg.height() + LABEL_SIZE;
        svg.grow(extra);
        placement.draw_key(svg, marks, LEFT, y, width);
    }
}

/// The colour legend (wrapped to the chart's width) and the note below it
/// (wrapped too); the legend starts at baseline `y`.
fn legend(svg: &mut Svg, y: f64, note: &str, lang: Lang) {
    let mut x = LEFT;
    let mut y = y;
    for c in Category::ALL {
        let text = format!("{} {}", c.letter(), category(c, lang));
        let w = 14.0 + text_width(&text, 12.0) + 12.0;
        if x + w > WIDTH - 10.0 && x > LEFT {
            x = LEFT;
            y += 18.0;
        }
        svg.circle(x + 5.0, y - 4.0, 5.0, colour(Some(c)));
        svg.text(x + 14.0, y, &text, 12.0, Anchor::Start);
        x += w;
    }
    for line in wrap_text(note, 12.0, WIDTH - LEFT - 10.0) {
        y += 18.0;
        svg.text(LEFT, y, &line, 12.0, Anchor::Start);
    }
}

/// The height the legend and note take below their first baseline.
fn legend_height(note: &str, lang: Lang) -> f64 {
    let mut x = LEFT;
    let mut rows = 1.0;
    for c in Category::ALL {
        let text = format!("{} {}", c.letter(), category(c, lang));
        let w = 14.0 + text_width(&text, 12.0) + 12.0;
        if x + w > WIDTH - 10.0 && x > LEFT {
            x = LEFT;
            rows += 1.0;
        }
        x += w;
    }
    let lines = wrap_text(note, 12.0, WIDTH - LEFT - 10.0).len() as f64;
    18.0 * (rows - 1.0 + lines) + 10.0
}

/// A document of the charts' width whose height fits the legend and note.
fn canvas(note: &str, lang: Lang) -> Svg {
    Svg::new(WIDTH, HEIGHT - 30.0 + legend_height(note, lang))
}

/// The attractive, one-dimensional, must-be and indifferent quadrants
/// around the crossing (x, y) of the dividing lines, inside the plot area
/// `left..right` × `top..bottom`.
fn quadrants(
    x: f64,
    y: f64,
    (left, top, right, bottom): (f64, f64, f64, f64),
    lang: Lang,
) -> Vec<Region> {
    vec![
        Region {
            name: category(Category::A, lang),
            rect: (left, top, x, y),
            outer: (true, true),
        },
        Region {
            name: category(Category::O, lang),
            rect: (x, top, right, y),
            outer: (false, true),
        },
        Region {
            name: category(Category::M, lang),
            rect: (x, y, right, bottom),
            outer: (false, false),
        },
        Region {
            name: category(Category::I, lang),
            rect: (left, y, x, bottom),
            outer: (true, false),
        },
    ]
}

/// The Better–Worse diagram (Berger et al. 1993): |Worse| on the x axis,
/// Better on the y axis, both 0..1, split at 0.5 into the quadrants
/// attractive (top left), one-dimensional (top right), must-be (bottom
/// right) and indifferent (bottom left). Points are coloured by the category
/// of the M > O > A > I rule; labels are placed around their points clear of
/// lines and of each other ([`crate::svg::place`]). Features whose coefficients are undefined are listed below the chart.
///
/// ```
/// use csikit::kano::{self, Counts};
/// let report = kano::analyze_counts(
///     &[("seat".into(), Counts::new(45, 123, 95, 33, 0, 0))],
///     &Default::default(),
/// ).unwrap();
/// let svg = kano::better_worse_svg(&report);
/// assert!(svg.starts_with("<svg") && svg.contains(">seat</text>"));
/// ```
pub fn better_worse_svg(report: &KanoReport) -> String {
    better_worse_svg_in(report, Lang::En, &|f| f.to_string())
}

/// [`better_worse_svg`] in `lang`, each feature shown as `label(feature)`
/// (e.g. its codebook wording).
pub fn better_worse_svg_in(
    report: &KanoReport,
    lang: Lang,
    label: &dyn Fn(&str) -> String,
) -> String {
    let mut omitted = Vec::new();
    let mut values = Vec::new();
    for f in &report.features {
        match (f.better, f.worse) {
            (Some(b), Some(w)) => values.push((w.abs(), b, label(&f.feature), f.category_rule)),
            _ => omitted.push(label(&f.feature)),
        }
    }
    let mut note = Text::ColourNote.text(lang).to_string();
    if !omitted.is_empty() {
        note.push(' ');
        note.push_str(&Text::NotShownCounts.fill(lang, &[("list", omitted.join(lang.list_sep()))]));
    }
    let mut svg = canvas(&note, lang);
    let xs = LinearScale::new(0.0, 1.0, LEFT, RIGHT);
    let ys = LinearScale::new(0.0, 1.0, BOTTOM, TOP);
    let ticks = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
    frame(
        &mut svg,
        &xs,
        &ys,
        &ticks,
        &ticks,
        Text::BetterWorseTitle.text(lang),
        subtitle(report, lang).as_deref(),
        Text::WorseAxis.text(lang),
        Text::BetterAxis.text(lang),
    );
    let (mx, my) = (xs.map(0.5), ys.map(0.5));
    svg.line(mx, TOP, mx, BOTTOM, "#777777", 1.0, Some("5 4"));
    svg.line(LEFT, my, RIGHT, my, "#777777", 1.0, Some("5 4"));
    let lines = vec![((mx, TOP), (mx, BOTTOM)), ((LEFT, my), (RIGHT, my))];
    let regions = quadrants(mx, my, (LEFT, TOP, RIGHT, BOTTOM), lang);
    let points: Vec<Point> = values
        .into_iter()
        .map(|(w, b, label, category)| Point {
            x: xs.map(w),
            y: ys.map(b),
            r: 4.5,
            label,
            category,
        })
        .collect();
    let (placement, marks) = points_with_labels(&mut svg, &points, &regions, lines);
    legend(&mut svg, HEIGHT - 30.0, &note, lang);
    key(&mut svg, &placement, &marks);
    svg.finish()
}

/// The continuous diagram of DuMouchel's analysis (Berger et al. 1993):
/// the mean dysfunctional score on the x axis and the mean functional score
/// on the y axis, both −2..4, with dashed lines at 2 separating attractive
/// (top left), one-dimensional (top right), must-be (bottom right) and
/// indifferent (bottom left). Point area grows with the mean self-stated
/// importance when the data have `F_i` columns. Features without continuous
/// statistics (aggregate counts) are listed below the chart.
///
/// ```
/// use csikit::{CsvOptions, Dataset};
/// use csikit::kano::{self, KanoOptions};
/// let data = Dataset::from_reader("x_f,x_d\n1,5\n1,3\n".as_bytes(), &CsvOptions::default()).unwrap();
/// let report = kano::analyze(&data, &KanoOptions::default()).unwrap();
/// let svg = kano::continuous_svg(&report);
/// assert!(svg.contains(">x</text>"));
/// ```
pub fn continuous_svg(report: &KanoReport) -> String {
    continuous_svg_in(report, Lang::En, &|f| f.to_string())
}

/// [`continuous_svg`] in `lang`, each feature shown as `label(feature)`.
pub fn continuous_svg_in(
    report: &KanoReport,
    lang: Lang,
    label: &dyn Fn(&str) -> String,
) -> String {
    let mut omitted = Vec::new();
    let mut sized = false;
    let mut values = Vec::new();
    for f in &report.features {
        match (f.functional_mean, f.dysfunctional_mean) {
            (Some(fm), Some(dm)) => {
                let r = match f.importance_mean {
                    Some(imp) => {
                        sized = true;
                        2.0 + 0.7 * imp
                    }
                    None => 4.5,
                };
                values.push((dm, fm, r, label(&f.feature), f.category_rule));
            }
            _ => omitted.push(label(&f.feature)),
        }
    }
    let mut note = Text::ColourNote.text(lang).to_string();
    if sized {
        note.push(' ');
        note.push_str(Text::SizeNote.text(lang));
    }
    if !omitted.is_empty() {
        note.push(' ');
        note.push_str(
            &Text::NotShownContinuous.fill(lang, &[("list", omitted.join(lang.list_sep()))]),
        );
    }
    let mut svg = canvas(&note, lang);
    let xs = LinearScale::new(-2.0, 4.0, LEFT, RIGHT);
    let ys = LinearScale::new(-2.0, 4.0, BOTTOM, TOP);
    let ticks = [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0];
    frame(
        &mut svg,
        &xs,
        &ys,
        &ticks,
        &ticks,
        Text::ContinuousTitle.text(lang),
        subtitle(report, lang).as_deref(),
        Text::DysfunctionalAxis.text(lang),
        Text::FunctionalAxis.text(lang),
    );
    let (zx, zy) = (xs.map(0.0), ys.map(0.0));
    svg.line(zx, TOP, zx, BOTTOM, "#999999", 1.0, None);
    svg.line(LEFT, zy, RIGHT, zy, "#999999", 1.0, None);
    let (mx, my) = (xs.map(2.0), ys.map(2.0));
    svg.line(mx, TOP, mx, BOTTOM, "#777777", 1.0, Some("5 4"));
    svg.line(LEFT, my, RIGHT, my, "#777777", 1.0, Some("5 4"));
    let lines = vec![
        ((zx, TOP), (zx, BOTTOM)),
        ((LEFT, zy), (RIGHT, zy)),
        ((mx, TOP), (mx, BOTTOM)),
        ((LEFT, my), (RIGHT, my)),
    ];
    let mut regions = quadrants(mx, my, (zx, TOP, RIGHT, zy), lang);
    regions.push(Region {
        name: category(Category::R, lang),
        rect: (LEFT, zy, zx, BOTTOM),
        outer: (true, false),
    });
    let points: Vec<Point> = values
        .into_iter()
        .map(|(dm, fm, r, label, category)| Point {
            x: xs.map(dm),
            y: ys.map(fm),
            r,
            label,
            category,
        })
        .collect();
    let (placement, marks) = points_with_labels(&mut svg, &points, &regions, lines);
    legend(&mut svg, HEIGHT - 30.0, &note, lang);
    key(&mut svg, &placement, &marks);
    svg.finish()
}

/// The subtitle: the segment a report is of.
fn subtitle(report: &KanoReport, lang: Lang) -> Option<String> {
    report
        .label
        .as_ref()
        .map(|l| Text::SegmentLabel.fill(lang, &[("label", l.clone())]))
}
