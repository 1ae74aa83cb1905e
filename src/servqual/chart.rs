//! The SERVQUAL gap chart (SVG).

use super::report::num;
use super::scores::ServqualReport;
use crate::svg::{Anchor, LinearScale, Svg, nice_ticks};

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
    let k = report.dimensions.len().max(1);
    let band = (600.0 / k as f64).clamp(70.0, 140.0);
    let (left, right, top, bottom) = (64.0, 24.0, 70.0, 90.0);
    let plot_w = band * k as f64;
    let plot_h = 300.0;
    let mut svg = Svg::new(left + plot_w + right, top + plot_h + bottom);

    let mut values: Vec<f64> = Vec::new();
    for d in &report.dimensions {
        values.extend(
            [d.expectation, d.perception, d.adequate, d.desired]
                .into_iter()
                .flatten(),
        );
    }
    let (smin, smax) = (report.scale.min(), report.scale.max());
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (y0, y1) = if lo.is_finite() && hi.is_finite() {
        let pad = 0.08 * (smax - smin);
        ((lo - pad).max(smin), (hi + pad).min(smax))
    } else {
        (smin, smax)
    };
    let (y0, y1) = if y1 > y0 { (y0, y1) } else { (smin, smax) };
    let y = LinearScale::new(y0, y1, top + plot_h, top);

    svg.text_styled(
        left,
        24.0,
        &format!("SERVQUAL by dimension (n = {})", report.n),
        16.0,
        Anchor::Start,
        "#222222",
        true,
    );
    // Legend.
    let mut lx = left;
    let ly = 48.0;
    if report.sources.expectation {
        svg.circle(lx + 5.0, ly - 4.0, 5.0, EXPECTATION);
        svg.text(lx + 14.0, ly, "expectation", 12.0, Anchor::Start);
        lx += 100.0;
    }
    svg.circle(lx + 5.0, ly - 4.0, 5.0, PERCEPTION);
    svg.text(lx + 14.0, ly, "perception", 12.0, Anchor::Start);
    lx += 95.0;
    if report.sources.adequate && report.sources.desired {
        svg.rect(lx, ly - 10.0, 18.0, 12.0, ZONE, Some("#9bbbd9"));
        svg.text(
            lx + 24.0,
            ly,
            "zone of tolerance (adequate to desired)",
            12.0,
            Anchor::Start,
        );
    }

    // Axes and grid.
    for t in nice_ticks(y0, y1, 6) {
        let py = y.map(t);
        svg.line(left, py, left + plot_w, py, "#e6e6e6", 1.0, None);
        svg.text(left - 8.0, py + 4.0, &format!("{t}"), 11.0, Anchor::End);
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
    svg.text_rotated(18.0, top + plot_h / 2.0, "mean answer", 12.0, -90.0);

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
            svg.text_styled(
                cx,
                top_mark - 12.0,
                &format!("gap {}", num(d.gap, 2)),
                11.0,
                Anchor::Middle,
                colour,
                true,
            );
        }
        if let Some(p) = d.perception {
            svg.circle(cx, y.map(p), 6.0, PERCEPTION);
        }
        let label_y = top + plot_h + 18.0;
        if band >= 100.0 {
            svg.text(cx, label_y, &d.name, 12.0, Anchor::Middle);
        } else {
            svg.text_rotated(cx, label_y + 20.0, &d.name, 11.0, -30.0);
        }
    }
    svg.finish()
}
