//! Two-dimensional placement of point labels on scatter maps (the IPMA maps
//! of the CSI reports, the Better–Worse and continuous KANO diagrams).
//!
//! Every point gets a set of candidate label positions: 16 directions around
//! the point, each at a growing distance (a ring), the nearest ring touching
//! the point and the farther ones joined to it by a thin leader line. A
//! candidate is *feasible* when its label stays inside the plot, overlaps no
//! other label, no fixed text and no point, touches none of the chart's lines
//! (mean or split lines, axes) and no leader line, and its own leader crosses
//! no label. Among feasible candidates the cheapest is taken: near before
//! far, beside before above/below, no leader before a leader, and a label is
//! penalised when it sits nearer to another point than to its own or when
//! its leader crosses a line, another leader or another point.
//!
//! The labels are placed greedily, most constrained first (the label with the
//! fewest feasible candidates among the fixed obstacles goes first; the
//! order heuristic of point-feature label placement, Christensen, Marks &
//! Shieber 1995). A label left over may push up to two placed labels aside
//! (an ejection chain of depth one); the labels still left over go first in
//! a new attempt ("squeaky wheel" optimisation, Joslin & Clements 1999);
//! then a few passes of local search move each label, and each pair of
//! neighbouring labels, to their cheapest feasible positions given the
//! others. Positions on the point's side of every line are used first; only
//! a label with no such position goes across a line. A long label may be
//! wrapped onto two lines (at a space or between CJK glyphs).
//!
//! A label for which no feasible position remains is never dropped and
//! never drawn over something: its point gets a number instead and the full
//! text is listed in a numbered key below the chart ([`Placement::key`]);
//! the numbers are placed by the same optimisation, run again, and if they
//! find no room either, the labels around them become numbers too. Only
//! when every label is a number and some still has no room is one drawn at
//! its least bad position ([`Placed::clear`] false).
//!
//! Widths are measured with the CJK-aware [`text_width`].

use super::{Anchor, Svg, segment_crosses_box, text_width, wrap_text};

/// An axis-aligned rectangle: left, top, right, bottom (px, y downwards).
pub type Rect = (f64, f64, f64, f64);

/// A straight line segment between two points (px).
pub type Segment = ((f64, f64), (f64, f64));

/// A drawn point (a circle) to be labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Centre x.
    pub x: f64,
    /// Centre y.
    pub y: f64,
    /// Radius.
    pub r: f64,
    /// The label.
    pub text: String,
}

/// The fixed parts of a chart that labels must keep clear of.
#[derive(Debug, Clone, Default)]
pub struct Scene {
    /// The plot area: every label stays inside it.
    pub bounds: Rect,
    /// Lines no label may touch (mean and split lines, axes, zero lines).
    /// Light grid lines need not be listed: labels are drawn over a halo.
    pub lines: Vec<Segment>,
    /// Fixed texts and other areas no label (nor leader) may cover.
    pub boxes: Vec<Rect>,
    /// Font size of the labels (px).
    pub size: f64,
}

/// Where one point's label (or key number) goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// What is written next to the point: the label, or its key number.
    pub text: String,
    /// `text` as drawn: one line, or two when a long label fits only wrapped.
    pub lines: Vec<String>,
    /// Left end of the text (drawn with [`Anchor::Start`]).
    pub x: f64,
    /// Baseline of the first line (the next one is [`LINE_STEP`] × size lower).
    pub baseline: f64,
    /// The leader line from the point to a label set away from it.
    pub leader: Option<Segment>,
    /// `Some(n)` when the label did not fit and the point carries the number
    /// `n` of its entry in the key.
    pub key: Option<usize>,
    /// False only when even the key number could not be placed clear of
    /// everything (drawn at its least bad position).
    pub clear: bool,
}

impl Placed {
    /// The box the text occupies (all its lines), as [`super::text_boxes`]
    /// measures each line.
    pub fn rect(&self, size: f64) -> Rect {
        let w = self
            .lines
            .iter()
            .map(|l| text_width(l, size))
            .fold(0.0, f64::max);
        // Key numbers are bold: 8 % wider.
        let w = if self.key.is_some() { w * BOLD } else { w };
        block_box(self.x, self.baseline, w, self.lines.len(), size)
    }
}

/// The result of [`place`]: one entry per mark, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The label of every mark.
    pub labels: Vec<Placed>,
    /// Font size used.
    pub size: f64,
}

/// Width of bold text relative to regular (as [`super::text_boxes`] counts it).
const BOLD: f64 = 1.08;
/// Distance between the baselines of a wrapped label's lines, in em.
pub const LINE_STEP: f64 = 1.15;

/// Padding (px) kept between a label and lines, other labels and leaders
/// (the chart checks allow no contact within 1 px).
const PAD: f64 = 2.0;
/// Gap (px) between a point's edge and a label touching it.
const GAP: f64 = 3.0;
/// Distances (px) of the candidate rings beyond the touching one.
const RINGS: [f64; 16] = [
    0.0, 6.0, 14.0, 24.0, 36.0, 50.0, 66.0, 84.0, 104.0, 126.0, 150.0, 180.0, 215.0, 255.0, 300.0,
    350.0,
];
/// The rings a label uses (key numbers use them all).
const NEAR_RINGS: usize = 11;
/// Labels at least this far (px) from their point's edge get a leader line.
const LEADER_FROM: f64 = 14.0;
/// Cost of a hard violation (a candidate with one is infeasible).
const HARD: f64 = 1.0e6;
/// Local-search passes after the greedy placement.
const PASSES: usize = 4;
/// Cost of a label on the other side of a line than its point: above any
/// sum of the soft penalties, below [`HARD`].
const ACROSS: f64 = 1.0e4;
/// Positions cheaper than this are good: none has a label across a line.
const GOOD: f64 = ACROSS;
/// Cost of writing a label on two lines instead of one.
const WRAPPED: f64 = 40.0;
/// Labels narrower than this (em) stay on one line (a short Chinese label
/// would be cut inside a word).
const WRAP_FROM: f64 = 12.0;
/// Maps with more points than this get neither pair moves nor restarts
/// (their cost grows as n² and n³); the real maps have 9 to 25 points.
const SEARCH_LIMIT: usize = 30;
/// Greedy attempts with the labels left over moved to the front.
const RESTARTS: usize = 8;
/// Labels of points this close (px) to a key number that found no room
/// become numbers too.
const CROWD_RADIUS: f64 = 80.0;
/// Positions of a label left over tried by [`make_room`] (the cheapest).
const ROOM_TRIES: usize = 48;
/// Most placed labels moved aside to make room for one left over.
const EJECT: usize = 2;
/// Labels this close (px) to each other or to the other's point are
/// re-placed in pairs.
const NEIGHBOURS: f64 = 24.0;

/// The box of `lines` lines of width `w` whose first baseline is `y`.
fn block_box(x: f64, y: f64, w: f64, lines: usize, size: f64) -> Rect {
    let extra = lines.saturating_sub(1) as f64 * LINE_STEP * size;
    (x, y - 0.8 * size, x + w, y + 0.25 * size + extra)
}

/// The ways to write a label: on one line, and on two (wrapped near the
/// middle with [`wrap_text`]) when it has a place to break; with widths.
fn variants(text: &str, size: f64) -> Vec<(Vec<String>, f64)> {
    let width = |lines: &[String]| {
        lines
            .iter()
            .map(|l| text_width(l, size))
            .fold(0.0, f64::max)
    };
    let one = vec![text.to_string()];
    let w1 = width(&one);
    let mut out = vec![(one, w1)];
    if w1 < WRAP_FROM * size {
        return out;
    }
    // Broken at a space or next to a CJK glyph, never inside a word.
    let clean = |lines: &[String]| {
        let (Some(a), Some(b)) = (lines[0].chars().last(), lines[1].chars().next()) else {
            return false;
        };
        lines.join(" ") == text
            || (lines.concat() == text && (crate::i18n::is_wide(a) || crate::i18n::is_wide(b)))
    };
    let mut max = w1 / 2.0;
    while max < w1 {
        let lines = wrap_text(text, size, max);
        if lines.len() == 2 && clean(&lines) {
            let w = width(&lines);
            out.push((lines, w));
            break;
        }
        if lines.len() < 2 {
            break;
        }
        max += size / 2.0;
    }
    out
}

fn grow(r: Rect, by: f64) -> Rect {
    (r.0 - by, r.1 - by, r.2 + by, r.3 + by)
}

fn rects_overlap(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Distance from point `p` to rectangle `r` (0 inside).
fn point_rect_distance(p: (f64, f64), r: Rect) -> f64 {
    let dx = (r.0 - p.0).max(0.0).max(p.0 - r.2);
    let dy = (r.1 - p.1).max(0.0).max(p.1 - r.3);
    (dx * dx + dy * dy).sqrt()
}

/// Distance from point `p` to segment `s`.
fn point_segment_distance(p: (f64, f64), s: Segment) -> f64 {
    let ((ax, ay), (bx, by)) = s;
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - ax) * dx + (p.1 - ay) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (ax + t * dx, ay + t * dy);
    ((p.0 - qx).powi(2) + (p.1 - qy).powi(2)).sqrt()
}

/// Whether two segments cross (proper intersection or touching).
fn segments_cross(a: Segment, b: Segment) -> bool {
    let orient = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let (d1, d2) = (orient(b.0, b.1, a.0), orient(b.0, b.1, a.1));
    let (d3, d4) = (orient(a.0, a.1, b.0), orient(a.0, a.1, b.1));
    (d1 * d2 <= 0.0) && (d3 * d4 <= 0.0) && !(d1 == 0.0 && d2 == 0.0 && d3 == 0.0 && d4 == 0.0)
}

/// One candidate position of a label.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// Which way of writing the label ([`variants`]).
    variant: usize,
    x: f64,
    baseline: f64,
    rect: Rect,
    leader: Option<Segment>,
    /// Cost of distance and direction (independent of other labels).
    base: f64,
}

/// The candidate positions of mark `m`'s label written in each of its
/// `variants` (lines, width), inside or near `bounds`, cheapest base cost
/// first; `far`: also on the outer rings (for key numbers, which may go
/// farther than a label would).
fn candidates(
    m: &Mark,
    variants: &[(Vec<String>, f64)],
    size: f64,
    bounds: Rect,
    far: bool,
) -> Vec<Candidate> {
    let mut out = Vec::with_capacity(16 * RINGS.len() * variants.len());
    for (variant, (lines, w)) in variants.iter().enumerate() {
        let w = *w;
        let h = 1.05 * size + (lines.len().saturating_sub(1)) as f64 * LINE_STEP * size;
        let rings = if far {
            &RINGS[..]
        } else {
            &RINGS[..NEAR_RINGS]
        };
        for (ring, &d) in rings.iter().enumerate() {
            for k in 0..16 {
                let theta = k as f64 * std::f64::consts::PI / 8.0;
                let (uy, ux) = theta.sin_cos();
                // The box side facing the point sits at distance `reach`
                // along the direction: beside the point for ux = ±1, above
                // or below for uy = ±1, at a corner on the diagonals.
                let reach = m.r + GAP + d;
                let shift = |u: f64| (u * std::f64::consts::SQRT_2).clamp(-1.0, 1.0);
                let cx = m.x + ux * reach + shift(ux) * w / 2.0;
                let cy = m.y + uy * reach + shift(uy) * h / 2.0;
                // Beside (right, then left) before above/below, diagonals
                // between.
                let direction = match k {
                    0 => 0.0,
                    8 => 2.0,
                    1 | 15 => 1.0,
                    7 | 9 => 3.0,
                    4 | 12 => 3.5,
                    2 | 14 => 2.5,
                    6 | 10 => 3.5,
                    _ => 4.5,
                };
                // Above and below, the label may also start or end at the
                // point instead of being centred on the direction.
                let mut lefts = vec![(cx - w / 2.0, 0.0)];
                if matches!(k, 3 | 4 | 5 | 11 | 12 | 13) {
                    lefts.push((m.x - m.r, 0.5));
                    lefts.push((m.x + m.r - w, 0.5));
                }
                // Near the plot's edge, the same slid back inside.
                let (b0, b2) = (bounds.0 + PAD, bounds.2 - PAD);
                for (x0, _) in lefts.clone() {
                    let x1 = x0.clamp(b0, (b2 - w).max(b0));
                    if (x1 - x0).abs() > 1e-9 {
                        lefts.push((x1, 1.0));
                    }
                }
                for (x, extra) in lefts {
                    // Box from the first baseline − 0.8 em to the last + 0.25 em.
                    let baseline = cy - h / 2.0 + 0.8 * size;
                    let rect = block_box(x, baseline, w, lines.len(), size);
                    // The gap between the point's edge and the label (not
                    // the ring's: a label slid inside the plot may be nearer).
                    let gap = (point_rect_distance((m.x, m.y), rect) - m.r).max(0.0);
                    let leader = (gap >= LEADER_FROM).then(|| leader_line(m, rect));
                    // A leader costs, and the longer the more; so does wrapping.
                    let base = if leader.is_some() {
                        12.0 + 1.6 * gap + 1.5 * (direction + extra)
                    } else {
                        gap + 1.5 * (direction + extra)
                    } + WRAPPED * variant as f64;
                    out.push(Candidate {
                        variant,
                        x,
                        baseline,
                        rect,
                        leader,
                        base: base + ring as f64 * 0.01,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.base.total_cmp(&b.base));
    out
}

/// The leader from the edge of the point towards the nearest point of the
/// label box, stopping 3 px short of the box.
fn leader_line(m: &Mark, rect: Rect) -> Segment {
    let near = grow(rect, 3.0);
    let q = (m.x.clamp(near.0, near.2), m.y.clamp(near.1, near.3));
    let (dx, dy) = (q.0 - m.x, q.1 - m.y);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let start = (m.x + dx / len * (m.r + 1.0), m.y + dy / len * (m.r + 1.0));
    (start, q)
}

/// The label of mark `i` as already decided (for the cost of others).
#[derive(Debug, Clone, Copy)]
struct Taken {
    rect: Rect,
    leader: Option<Segment>,
}

/// The cost of candidate `c` of mark `i` given the scene and the labels
/// already placed (`taken[j]` for the others); ≥ [`HARD`] when infeasible.
fn cost(
    c: &Candidate,
    i: usize,
    marks: &[Mark],
    scene: &Scene,
    taken: &[Option<Taken>],
    static_only: bool,
) -> f64 {
    let mut cost = c.base;
    let padded = grow(c.rect, PAD);
    let b = scene.bounds;
    if c.rect.0 < b.0 + PAD || c.rect.1 < b.1 + PAD || c.rect.2 > b.2 - PAD || c.rect.3 > b.3 - PAD
    {
        cost += HARD;
    }
    for bx in &scene.boxes {
        if rects_overlap(padded, *bx) {
            cost += HARD;
        }
        if let Some(l) = c.leader
            && segment_crosses_box(l.0, l.1, grow(*bx, PAD))
        {
            cost += HARD;
        }
    }
    let own = (marks[i].x, marks[i].y);
    let centre = ((c.rect.0 + c.rect.2) / 2.0, (c.rect.1 + c.rect.3) / 2.0);
    for l in &scene.lines {
        if segment_crosses_box(l.0, l.1, padded) {
            cost += HARD;
        }
        // A label on the other side of a mean line than its point reads as
        // belonging to the other quadrant (a point on the line has no side).
        if segments_cross((own, centre), *l) && point_segment_distance(own, *l) > 1.0 {
            cost += ACROSS;
        }
    }
    let own_distance = point_rect_distance(own, c.rect);
    for (j, m) in marks.iter().enumerate() {
        let p = (m.x, m.y);
        let dist = point_rect_distance(p, c.rect);
        if dist < m.r + 1.0 {
            cost += HARD;
        }
        if j != i {
            // A label without a leader must be nearest to its own point
            // (with a margin); with a leader, the leader tells, but a label
            // nearer to another point still misleads at a glance.
            if c.leader.is_none() && dist < own_distance + 4.0 {
                cost += 30.0 + 2.0 * (own_distance + 4.0 - dist);
            } else if c.leader.is_some() && dist + 2.0 < own_distance {
                cost += 15.0;
            }
            // A leader passing by another point seems to join the two.
            if let Some(l) = c.leader
                && point_segment_distance(p, l) < m.r + 6.0
            {
                cost += 150.0;
            }
        }
    }
    if static_only {
        return cost;
    }
    for (j, t) in taken.iter().enumerate() {
        let Some(t) = t else { continue };
        if j == i {
            continue;
        }
        if blocks(c, t) {
            cost += HARD;
        }
        if let (Some(own), Some(l)) = (c.leader, t.leader)
            && segments_cross(own, l)
        {
            cost += 80.0;
        }
    }
    cost
}

/// Whether candidate `c` and the placed label `t` exclude each other: the
/// labels overlap, or a leader of one crosses the other label.
fn blocks(c: &Candidate, t: &Taken) -> bool {
    let padded = grow(c.rect, PAD);
    rects_overlap(padded, t.rect)
        || t.leader
            .is_some_and(|l| segment_crosses_box(l.0, l.1, padded))
        || c.leader
            .is_some_and(|own| segment_crosses_box(own.0, own.1, grow(t.rect, PAD)))
}

/// The fixed inputs of a placement.
#[derive(Clone, Copy)]
struct Context<'a> {
    cands: &'a [Vec<Candidate>],
    marks: &'a [Mark],
    scene: &'a Scene,
}

/// The labels decided so far: their boxes and leaders, and which candidate
/// each took at what cost.
struct State {
    taken: Vec<Option<Taken>>,
    choice: Vec<Option<(usize, f64)>>,
}

impl State {
    fn set(&mut self, ctx: &Context, i: usize, k: usize, v: f64) {
        let c = &ctx.cands[i][k];
        self.taken[i] = Some(Taken {
            rect: c.rect,
            leader: c.leader,
        });
        self.choice[i] = Some((k, v));
    }

    fn unset(&mut self, i: usize) {
        self.taken[i] = None;
        self.choice[i] = None;
    }

    /// Greedy placement below `limit` of the labels not yet placed, in
    /// `order`: each at its cheapest position given those before.
    fn greedy(&mut self, ctx: &Context, order: &[usize], limit: f64) {
        for &i in order {
            if self.choice[i].is_none()
                && let Some((k, v)) = self.best(ctx, i, limit)
            {
                self.set(ctx, i, k, v);
            }
        }
    }

    /// [`State::greedy`], then room made for the labels left over, then
    /// local search.
    fn phase(&mut self, ctx: &Context, order: &[usize], limit: f64) {
        self.greedy(ctx, order, limit);
        for &i in order {
            if self.choice[i].is_none() {
                make_room(i, ctx, self, limit);
            }
        }
        self.improve(ctx, order, limit);
    }

    /// The cheapest position of label `i` given the others, if below `limit`.
    fn best(&self, ctx: &Context, i: usize, limit: f64) -> Option<(usize, f64)> {
        best(&ctx.cands[i], i, ctx.marks, ctx.scene, &self.taken).filter(|b| b.1 < limit)
    }

    /// The current cost of label `i` given all the others.
    fn cost_of(&self, ctx: &Context, i: usize) -> Option<f64> {
        let (k, _) = self.choice[i]?;
        Some(cost(
            &ctx.cands[i][k],
            i,
            ctx.marks,
            ctx.scene,
            &self.taken,
            false,
        ))
    }

    /// Local search: each label in turn moves to its cheapest position given
    /// the others (an unplaced one is placed when one below `limit` exists),
    /// then pairs of neighbouring labels are re-placed together, in both
    /// orders, when that lowers their summed cost. Passes repeat while
    /// anything improves.
    fn improve(&mut self, ctx: &Context, order: &[usize], limit: f64) {
        for _ in 0..PASSES {
            let mut improved = false;
            for &i in order {
                let Some((k, v)) = self.best(ctx, i, limit) else {
                    continue;
                };
                if self.cost_of(ctx, i).is_none_or(|old| v < old - 1e-9) {
                    self.set(ctx, i, k, v);
                    improved = true;
                }
            }
            // Pairs only on maps of modest size (the work grows as n²).
            let pairs = if order.len() <= SEARCH_LIMIT {
                order
            } else {
                &[][..]
            };
            for (a, &i) in pairs.iter().enumerate() {
                for &j in &pairs[a + 1..] {
                    // Labels in each other's way: their boxes (or a box and
                    // the other's point) within `NEIGHBOURS` px.
                    let near = match (self.taken[i], self.taken[j]) {
                        (Some(ti), Some(tj)) => {
                            let (mi, mj) = (&ctx.marks[i], &ctx.marks[j]);
                            rects_overlap(grow(ti.rect, NEIGHBOURS), tj.rect)
                                || point_rect_distance((mj.x, mj.y), ti.rect) < NEIGHBOURS
                                || point_rect_distance((mi.x, mi.y), tj.rect) < NEIGHBOURS
                        }
                        _ => false,
                    };
                    if near {
                        improved |= self.pair_move(ctx, i, j, limit);
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    /// Re-places labels `i` and `j` together (either first) when their
    /// summed cost falls; both must stay below `limit`.
    fn pair_move(&mut self, ctx: &Context, i: usize, j: usize, limit: f64) -> bool {
        let (Some(ci), Some(cj)) = (self.cost_of(ctx, i), self.cost_of(ctx, j)) else {
            return false;
        };
        let old = ci + cj;
        let saved = (self.choice[i], self.choice[j]);
        self.unset(i);
        self.unset(j);
        for (a, b) in [(i, j), (j, i)] {
            let Some((ka, va)) = self.best(ctx, a, limit) else {
                continue;
            };
            self.set(ctx, a, ka, va);
            if let Some((kb, vb)) = self.best(ctx, b, limit) {
                self.set(ctx, b, kb, vb);
                let va = self.cost_of(ctx, a).unwrap_or(HARD);
                if va < limit && va + vb < old - 1e-6 {
                    self.choice[a] = Some((ka, va));
                    return true;
                }
                self.unset(b);
            }
            self.unset(a);
        }
        for (x, c) in [(i, saved.0), (j, saved.1)] {
            if let Some((k, v)) = c {
                self.set(ctx, x, k, v);
            }
        }
        false
    }
}

/// Tries to make room for the unplaced label `i` by moving placed labels
/// out of the way (an ejection chain of depth one): for each candidate of
/// `i` that at most [`EJECT`] placed labels block, place `i` there and the
/// blockers at their best remaining positions; keep the first exchange that
/// leaves all of them below `limit`.
fn make_room(i: usize, ctx: &Context, st: &mut State, limit: f64) -> bool {
    let mut options: Vec<(f64, usize)> = ctx.cands[i]
        .iter()
        .enumerate()
        .map(|(k, c)| (cost(c, i, ctx.marks, ctx.scene, &[], true), k))
        .filter(|(v, _)| *v < limit)
        .collect();
    options.sort_by(|a, b| a.0.total_cmp(&b.0));
    options.truncate(ROOM_TRIES);
    for (_, k) in options {
        let c = &ctx.cands[i][k];
        let blockers: Vec<usize> = st
            .taken
            .iter()
            .enumerate()
            .filter(|(j, t)| *j != i && t.as_ref().is_some_and(|t| blocks(c, t)))
            .map(|(j, _)| j)
            .collect();
        if blockers.is_empty() || blockers.len() > EJECT {
            continue;
        }
        let saved: Vec<Option<(usize, f64)>> = blockers.iter().map(|&j| st.choice[j]).collect();
        for &j in &blockers {
            st.unset(j);
        }
        let v = cost(c, i, ctx.marks, ctx.scene, &st.taken, false);
        let mut ok = v < limit;
        if ok {
            st.set(ctx, i, k, v);
            for &j in &blockers {
                match st.best(ctx, j, limit) {
                    Some((kj, vj)) => st.set(ctx, j, kj, vj),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
        }
        if ok {
            return true;
        }
        st.unset(i);
        for (&j, c) in blockers.iter().zip(saved) {
            st.unset(j);
            if let Some((kj, vj)) = c {
                st.set(ctx, j, kj, vj);
            }
        }
    }
    false
}

/// The cheapest candidate of mark `i` (feasible or not) and its cost.
fn best(
    cands: &[Candidate],
    i: usize,
    marks: &[Mark],
    scene: &Scene,
    taken: &[Option<Taken>],
) -> Option<(usize, f64)> {
    let mut out: Option<(usize, f64)> = None;
    for (k, c) in cands.iter().enumerate() {
        // The candidates come cheapest base cost first, and the cost is
        // never below the base: nothing further can beat the best so far.
        if out.is_some_and(|(_, v)| c.base >= v) {
            break;
        }
        let v = cost(c, i, marks, scene, taken, false);
        if out.is_none_or(|(_, b)| v < b) {
            out = Some((k, v));
        }
    }
    out
}

/// One run of the placement over fixed candidates: most constrained first,
/// good positions only with restarts, then any feasible position for the
/// labels still left. Labels without a feasible position stay unplaced.
/// `numbered[i]`: mark `i` already carries a key number.
fn solve(ctx: &Context, numbered: &[bool]) -> State {
    let n = ctx.marks.len();
    // Most constrained first: the fewest positions feasible among the
    // fixed obstacles; ties by input order.
    let free: Vec<usize> = (0..n)
        .map(|i| {
            ctx.cands[i]
                .iter()
                .filter(|c| cost(c, i, ctx.marks, ctx.scene, &[], true) < HARD)
                .count()
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (free[i], i));
    // First only good positions (on the point's side of every line). The
    // labels left over go first in the next attempt ("squeaky wheel"
    // optimisation, Joslin & Clements 1999); the attempt leaving the fewest
    // over (then the cheapest) is kept.
    // A crowd (more than a quarter of the labels left over by the greedy
    // pass, key numbers aside) is not repaired label by label: its labels
    // go to the key.
    let mut first = State {
        taken: vec![None; n],
        choice: vec![None; n],
    };
    first.greedy(ctx, &order, GOOD);
    let crowd = (0..n)
        .filter(|&i| first.choice[i].is_none() && !numbered[i])
        .count();
    if 4 * crowd > n {
        return first;
    }
    let mut kept: Option<(usize, f64, State)> = None;
    for _ in 0..RESTARTS {
        let mut st = State {
            taken: vec![None; n],
            choice: vec![None; n],
        };
        st.phase(ctx, &order, GOOD);
        let left: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| st.choice[i].is_none())
            .collect();
        let total: f64 = st.choice.iter().flatten().map(|c| c.1).sum();
        if kept
            .as_ref()
            .is_none_or(|(l, t, _)| left.len() < *l || (left.len() == *l && total < *t - 1e-9))
        {
            kept = Some((left.len(), total, st));
        }
        if left.is_empty() || n > SEARCH_LIMIT {
            break;
        }
        order.retain(|i| !left.contains(i));
        order.splice(0..0, left);
    }
    let mut st = kept.map_or_else(
        || State {
            taken: vec![None; n],
            choice: vec![None; n],
        },
        |k| k.2,
    );
    // Then any feasible position for the labels still left.
    st.phase(ctx, &order, HARD);
    st
}

/// Places the labels of `marks` in `scene` (see the module documentation):
/// each mark gets its label beside it or, when it cannot be placed clear of
/// everything, a key number ([`Placed::key`], numbered from 1 in input order).
pub fn place(marks: &[Mark], scene: &Scene) -> Placement {
    let size = scene.size;
    let n = marks.len();
    // Marks whose label goes to the key: their points carry a number,
    // placed like a label. Labels left over turn into numbers and the whole
    // placement runs again, so that numbers compete for room too.
    let mut numbered = vec![false; n];
    loop {
        let mut numbers = vec![None; n];
        let mut next = 0;
        for (i, slot) in numbers.iter_mut().enumerate() {
            if numbered[i] {
                next += 1;
                *slot = Some(next);
            }
        }
        let ways: Vec<Vec<(Vec<String>, f64)>> = (0..n)
            .map(|i| match numbers[i] {
                Some(k) => {
                    let t = format!("{k}");
                    let w = text_width(&t, size) * BOLD;
                    vec![(vec![t], w)]
                }
                None => variants(&marks[i].text, size),
            })
            .collect();
        let cands: Vec<Vec<Candidate>> = marks
            .iter()
            .zip(&ways)
            .enumerate()
            .map(|(i, (m, v))| candidates(m, v, size, scene.bounds, numbered[i]))
            .collect();
        let ctx = Context {
            cands: &cands,
            marks,
            scene,
        };
        let mut st = solve(&ctx, &numbered);
        let left: Vec<usize> = (0..n).filter(|&i| st.choice[i].is_none()).collect();
        if left.iter().any(|&i| !numbered[i]) {
            for i in left {
                numbered[i] = true;
            }
            continue;
        }
        // Numbers left over: the labels around them (else all) become
        // numbers too, to make room.
        if !left.is_empty() && numbered.iter().any(|b| !b) {
            let mut more = false;
            for j in 0..n {
                let (mj, near) = (&marks[j], &left);
                if !numbered[j]
                    && near
                        .iter()
                        .any(|&i| (marks[i].x - mj.x).hypot(marks[i].y - mj.y) < CROWD_RADIUS)
                {
                    numbered[j] = true;
                    more = true;
                }
            }
            if !more {
                numbered.iter_mut().for_each(|b| *b = true);
            }
            continue;
        }
        // Only numbers are left over: each at its least bad position.
        for &i in &left {
            if let Some((k, v)) = st.best(&ctx, i, f64::INFINITY) {
                st.set(&ctx, i, k, v);
            }
        }
        let labels = (0..n)
            .map(|i| {
                let text = match numbers[i] {
                    Some(k) => k.to_string(),
                    None => marks[i].text.clone(),
                };
                match st.choice[i] {
                    Some((k, v)) => {
                        let c = &cands[i][k];
                        Placed {
                            text,
                            lines: ways[i][c.variant].0.clone(),
                            x: c.x,
                            baseline: c.baseline,
                            leader: c.leader,
                            key: numbers[i],
                            clear: v < HARD,
                        }
                    }
                    // No candidate at all (cannot happen: every mark has
                    // some): beside the point, marked as not clear.
                    None => Placed {
                        lines: vec![text.clone()],
                        text,
                        x: marks[i].x + marks[i].r + GAP,
                        baseline: marks[i].y + 0.3 * size,
                        leader: None,
                        key: numbers[i],
                        clear: false,
                    },
                }
            })
            .collect();
        return Placement { labels, size };
    }
}

impl Placement {
    /// The numbered key of the labels that did not fit: (number, full label),
    /// in number order. Empty when every label is written at its point.
    pub fn key<'a>(&self, marks: &'a [Mark]) -> Vec<(usize, &'a str)> {
        let mut out: Vec<(usize, &str)> = self
            .labels
            .iter()
            .zip(marks)
            .filter_map(|(p, m)| p.key.map(|k| (k, m.text.as_str())))
            .collect();
        out.sort_by_key(|e| e.0);
        out
    }

    /// Draws the leader lines (before the points, so that a point covers the
    /// start of its own leader).
    pub fn draw_leaders(&self, svg: &mut Svg, colour: &str) {
        for l in self.labels.iter().filter_map(|p| p.leader) {
            svg.line(l.0.0, l.0.1, l.1.0, l.1.1, colour, 0.7, None);
        }
    }

    /// Draws the labels and key numbers (bold) over a white halo.
    pub fn draw_labels(&self, svg: &mut Svg) {
        for p in &self.labels {
            for (k, line) in p.lines.iter().enumerate() {
                svg.text_halo_styled(
                    p.x,
                    p.baseline + k as f64 * LINE_STEP * self.size,
                    line,
                    self.size,
                    Anchor::Start,
                    "#222222",
                    p.key.is_some(),
                );
            }
        }
    }

    /// The lines of the numbered key (`n = label`), wrapped to `max_width`.
    pub fn key_lines(&self, marks: &[Mark], max_width: f64) -> Vec<String> {
        self.key(marks)
            .into_iter()
            .flat_map(|(k, text)| wrap_text(&format!("{k} = {text}"), self.size, max_width))
            .collect()
    }

    /// Height (px) of the key written by [`Placement::draw_key`].
    pub fn key_height(&self, marks: &[Mark], max_width: f64) -> f64 {
        let lines = self.key_lines(marks, max_width).len();
        if lines == 0 {
            0.0
        } else {
            lines as f64 * (self.size + 6.0) + 8.0
        }
    }

    /// Writes the numbered key with its first baseline at `y`, from `x`.
    pub fn draw_key(&self, svg: &mut Svg, marks: &[Mark], x: f64, y: f64, max_width: f64) {
        for (k, line) in self.key_lines(marks, max_width).iter().enumerate() {
            svg.text(
                x,
                y + k as f64 * (self.size + 6.0),
                line,
                self.size,
                Anchor::Start,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::overlapping_texts;

    fn scene(w: f64, h: f64) -> Scene {
        Scene {
            bounds: (40.0, 30.0, w - 20.0, h - 40.0),
            lines: vec![
                ((w / 2.0, 30.0), (w / 2.0, h - 40.0)),
                ((40.0, h / 2.0), (w - 20.0, h / 2.0)),
            ],
            boxes: vec![(w - 140.0, h - 70.0, w - 24.0, h - 52.0)],
            size: 12.0,
        }
    }

    /// Every contact a chart check would report: label vs label, label vs
    /// line or leader (1 px margin), label vs point, label vs fixed box or
    /// outside the bounds.
    fn contacts(p: &Placement, marks: &[Mark], s: &Scene) -> Vec<String> {
        let mut out = Vec::new();
        let rects: Vec<Rect> = p.labels.iter().map(|l| l.rect(s.size)).collect();
        let mut lines = s.lines.clone();
        lines.extend(p.labels.iter().filter_map(|l| l.leader));
        for (i, r) in rects.iter().enumerate() {
            let near = grow(*r, 1.0);
            for l in &lines {
                if segment_crosses_box(l.0, l.1, near) {
                    out.push(format!("{} on a line {l:?} {r:?}", p.labels[i].text));
                }
            }
            for (j, o) in rects.iter().enumerate().skip(i + 1) {
                if rects_overlap(*r, *o) {
                    out.push(format!("{} on {}", p.labels[i].text, p.labels[j].text));
                }
            }
            for m in marks {
                if point_rect_distance((m.x, m.y), *r) < m.r {
                    out.push(format!("{} on a point", p.labels[i].text));
                }
            }
            for b in &s.boxes {
                if rects_overlap(*r, *b) {
                    out.push(format!("{} on a fixed box", p.labels[i].text));
                }
            }
            let bd = s.bounds;
            if r.0 < bd.0 || r.1 < bd.1 || r.2 > bd.2 || r.3 > bd.3 {
                out.push(format!("{} outside", p.labels[i].text));
            }
        }
        out
    }

    fn draw(p: &Placement, marks: &[Mark], w: f64, h: f64) -> String {
        let mut svg = Svg::new(w, h);
        p.draw_leaders(&mut svg, "#aaaaaa");
        for m in marks {
            svg.circle(m.x, m.y, m.r, "#2b6cb0");
        }
        p.draw_labels(&mut svg);
        svg.finish()
    }

    #[test]
    fn a_lone_point_is_labelled_on_its_right_touching_it() {
        let s = scene(400.0, 300.0);
        let marks = [Mark {
            x: 100.0,
            y: 80.0,
            r: 5.0,
            text: "Network".into(),
        }];
        let p = place(&marks, &s);
        let l = &p.labels[0];
        assert!((l.x - (100.0 + 5.0 + GAP)).abs() < 1e-9, "{l:?}");
        // Vertically centred on the point: box 0.8 em above the baseline,
        // 0.25 em below, 1.05 em tall.
        let r = l.rect(12.0);
        assert!(((r.1 + r.3) / 2.0 - 80.0).abs() < 1e-9, "{r:?}");
        assert!(l.leader.is_none() && l.key.is_none() && l.clear);
        // Near the right edge the label goes to the left instead.
        let marks = [Mark {
            x: 370.0,
            y: 80.0,
            r: 5.0,
            text: "Network".into(),
        }];
        let p = place(&marks, &s);
        assert!(p.labels[0].rect(12.0).2 <= 370.0 - 5.0, "{:?}", p.labels[0]);
    }

    #[test]
    fn twenty_points_straddling_a_mean_line_get_clear_labels() {
        let (w, h) = (640.0, 420.0);
        let s = scene(w, h);
        // 20 points in a 90 × 70 px cluster around the crossing of the two
        // mean lines, with labels of 6 to 26 characters (CJK among them).
        let words = [
            "Network coverage",
            "Speed",
            "Billing accuracy",
            "Shop service",
            "网络信号质量",
            "Hotline waiting time",
            "Value",
            "Tariff clarity",
            "运营商稳定可靠",
            "Roaming",
            "App usability",
            "Complaint handling",
            "Fair contract",
            "Data allowance",
            "上网速度",
            "Image",
            "Innovation",
            "Reliability of service",
            "Store hours",
            "Customer care attitude",
        ];
        let marks: Vec<Mark> = words
            .iter()
            .enumerate()
            .map(|(i, t)| {
                // A deterministic scatter (golden-angle spiral).
                let a = i as f64 * 2.399_963;
                let rad = 6.0 * (i as f64).sqrt() * 1.6;
                Mark {
                    x: w / 2.0 + rad * a.cos() * 1.3,
                    y: h / 2.0 + rad * a.sin(),
                    r: 4.5,
                    text: t.to_string(),
                }
            })
            .collect();
        let spread_x = marks.iter().map(|m| m.x).fold(f64::MIN, f64::max)
            - marks.iter().map(|m| m.x).fold(f64::MAX, f64::min);
        assert!(spread_x < 100.0, "{spread_x}");
        let p = place(&marks, &s);
        assert_eq!(p.labels.len(), 20);
        assert!(p.key(&marks).is_empty(), "{:?}", p.key(&marks));
        assert!(p.labels.iter().all(|l| l.clear && l.key.is_none()));
        let c = contacts(&p, &marks, &s);
        assert!(c.is_empty(), "{c:?}");
        // The document-level check agrees: no two texts overlap.
        let doc = draw(&p, &marks, w, h);
        assert!(overlapping_texts(&doc, 0.0).is_empty());
        // Every label is written with its own text, near its point.
        for (l, m) in p.labels.iter().zip(&marks) {
            assert_eq!(l.text, m.text);
            assert!(point_rect_distance((m.x, m.y), l.rect(12.0)) < 170.0);
        }
    }

    #[test]
    fn labels_that_cannot_fit_become_numbers_with_a_key() {
        // A 360 × 90 px plot cannot hold thirty 14-character labels.
        let s = Scene {
            bounds: (0.0, 0.0, 360.0, 90.0),
            lines: vec![((180.0, 0.0), (180.0, 90.0))],
            boxes: Vec::new(),
            size: 12.0,
        };
        let marks: Vec<Mark> = (0..30)
            .map(|i| Mark {
                x: 20.0 + (i % 10) as f64 * 32.0,
                y: 20.0 + (i / 10) as f64 * 25.0,
                r: 3.0,
                text: format!("Feature no. {i:02}"),
            })
            .collect();
        let p = place(&marks, &s);
        let key = p.key(&marks);
        assert!(!key.is_empty() && key.len() < 30, "{}", key.len());
        // No label is lost: each point has its own text or a number whose
        // key entry is its text; the numbers are 1, 2, … without gaps.
        let mut numbers = Vec::new();
        for (l, m) in p.labels.iter().zip(&marks) {
            match l.key {
                None => assert_eq!(l.text, m.text),
                Some(k) => {
                    assert_eq!(l.text, k.to_string());
                    assert!(key.contains(&(k, m.text.as_str())));
                    numbers.push(k);
                }
            }
        }
        assert_eq!(numbers, (1..=key.len()).collect::<Vec<_>>());
        // Numbers compete for room with the labels: all are written clear,
        // and nothing touches anything.
        assert!(p.labels.iter().all(|l| l.clear));
        let c = contacts(&p, &marks, &s);
        assert!(c.is_empty(), "{c:?}");
        // The key: one line per entry at this width, a height to reserve.
        let lines = p.key_lines(&marks, 400.0);
        assert_eq!(lines.len(), key.len());
        assert_eq!(lines[0], format!("1 = {}", key[0].1));
        assert_eq!(p.key_height(&marks, 400.0), key.len() as f64 * 18.0 + 8.0);
    }

    #[test]
    fn a_label_too_long_for_its_quadrant_is_wrapped_onto_two_lines() {
        // The quadrant right of the line at x = 300 is 180 px wide; the label
        // is 40 characters (288 px) on one line, under 150 px on two.
        let s = Scene {
            bounds: (20.0, 20.0, 480.0, 300.0),
            lines: vec![((300.0, 20.0), (300.0, 300.0))],
            boxes: Vec::new(),
            size: 12.0,
        };
        let text = "Instant transfers arriving within moments";
        let marks = [Mark {
            x: 400.0,
            y: 150.0,
            r: 4.5,
            text: text.into(),
        }];
        let p = place(&marks, &s);
        let l = &p.labels[0];
        assert!(l.key.is_none() && l.clear, "{l:?}");
        assert_eq!(l.lines.len(), 2, "{l:?}");
        assert_eq!(l.lines.join(" "), text);
        let r = l.rect(12.0);
        assert!(r.0 >= 302.0 && r.2 <= 478.0 + 1e-9, "{r:?}");
        // Two lines: 1.05 em + 1.15 em tall.
        assert!((r.3 - r.1 - 2.2 * 12.0).abs() < 1e-9, "{r:?}");
        assert!(contacts(&p, &marks, &s).is_empty());
        // The drawn lines do not overlap each other.
        assert!(overlapping_texts(&draw(&p, &marks, 500.0, 320.0), 0.0).is_empty());
        // A short label stays on one line.
        assert_eq!(variants("Speed", 12.0).len(), 1);
        assert_eq!(variants("网络信号质量", 12.0).len(), 1);
        assert_eq!(
            variants("费用透明（资费清晰可查）", 12.0)[1].0,
            ["费用透明（资", "费清晰可查）"]
        );
    }

    #[test]
    fn geometry_helpers() {
        assert!(segments_cross(
            ((0.0, 0.0), (10.0, 10.0)),
            ((0.0, 10.0), (10.0, 0.0))
        ));
        assert!(!segments_cross(
            ((0.0, 0.0), (10.0, 0.0)),
            ((0.0, 1.0), (10.0, 1.0))
        ));
        assert_eq!(point_rect_distance((0.0, 0.0), (3.0, 4.0, 5.0, 6.0)), 5.0);
        assert_eq!(point_rect_distance((4.0, 5.0), (3.0, 4.0, 5.0, 6.0)), 0.0);
        assert_eq!(
            point_segment_distance((5.0, 3.0), ((0.0, 0.0), (10.0, 0.0))),
            3.0
        );
        let m = Mark {
            x: 0.0,
            y: 0.0,
            r: 4.0,
            text: String::new(),
        };
        // A leader to a box to the right starts at the circle's edge + 1 and
        // stops 3 px short of the box.
        let l = leader_line(&m, (20.0, -5.0, 60.0, 5.0));
        assert_eq!(l, ((5.0, 0.0), (17.0, 0.0)));
    }
}
