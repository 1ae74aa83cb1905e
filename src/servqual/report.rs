//! Readable text reports (`Display`) of the SERVQUAL results.

use std::fmt;

use super::scores::{Priority, PriorityBasis, SegmentedReport, ServqualReport, ZoneCounts};

/// A number with `dec` decimals, or `NA`.
pub(crate) fn num(x: Option<f64>, dec: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.dec$}"),
        _ => "NA".to_string(),
    }
}

fn zone_text(z: &ZoneCounts) -> String {
    let total = z.below + z.within + z.above;
    let pct = |c: usize| {
        if total == 0 {
            0.0
        } else {
            100.0 * c as f64 / total as f64
        }
    };
    let mut s = format!(
        "below {} ({:.1}%), within {} ({:.1}%), above {} ({:.1}%)",
        z.below,
        pct(z.below),
        z.within,
        pct(z.within),
        z.above,
        pct(z.above)
    );
    if z.inverted > 0 {
        s.push_str(&format!(
            "; {} answers with adequate > desired not classified",
            z.inverted
        ));
    }
    s
}

fn priority_rows(f: &mut fmt::Formatter<'_>, list: &[Priority], limit: usize) -> fmt::Result {
    writeln!(
        f,
        "  {:>4}  {:<18} {:<16} {:>7} {:>9} {:>8}",
        "rank", "name", "dimension", "weight", "shortfall", "score"
    )?;
    for p in list.iter().take(limit) {
        let name = match p.item {
            Some(i) if p.name != i.to_string() => format!("item {i} ({})", p.name),
            Some(i) => format!("item {i}"),
            None => p.name.clone(),
        };
        writeln!(
            f,
            "  {:>4}  {:<18} {:<16} {:>7.3} {:>9.3} {:>8.3}",
            p.rank, name, p.dimension, p.weight, p.shortfall, p.score
        )?;
    }
    Ok(())
}

impl fmt::Display for ServqualReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.sources;
        let mut found = vec!["P"];
        for (on, name) in [
            (s.expectation, "E"),
            (s.adequate, "A"),
            (s.desired, "D"),
            (s.weights, "W"),
        ] {
            if on {
                found.push(name);
            }
        }
        writeln!(
            f,
            "SERVQUAL analysis: {} respondents, answer scale {}..{}, sources {}",
            self.n,
            self.scale.min(),
            self.scale.max(),
            found.join(" ")
        )?;
        if !self.reversed.is_empty() {
            writeln!(f, "Reverse-scored items: {}", self.reversed.join(", "))?;
        }
        writeln!(f)?;
        writeln!(f, "Dimensions (respondent means over the items answered)")?;
        writeln!(
            f,
            "  {:<16} {:>5} {:>6} {:>6} {:>6} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "dimension",
            "items",
            "E",
            "P",
            "gap",
            "n",
            "weight",
            "MSA",
            "MSS",
            "width",
            "a(P)",
            "a(E)",
            "a(gap)"
        )?;
        for d in &self.dimensions {
            writeln!(
                f,
                "  {:<16} {:>5} {:>6} {:>6} {:>6} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
                d.name,
                d.items,
                num(d.expectation, 2),
                num(d.perception, 2),
                num(d.gap, 2),
                if s.expectation {
                    d.n_gap
                } else {
                    d.n_perception
                },
                num(d.weight, 3),
                num(d.msa, 2),
                num(d.mss, 2),
                num(d.tolerance_width, 2),
                num(d.alpha.perception, 3),
                num(d.alpha.expectation, 3),
                num(d.alpha.gap, 3),
            )?;
        }
        writeln!(f)?;
        writeln!(f, "Overall scores")?;
        let c = &self.counts;
        let k = self.dimensions.len();
        if s.expectation {
            writeln!(
                f,
                "  unweighted SERVQUAL (mean of the {k} dimension gaps)  {:>8}   n = {}",
                num(self.unweighted, 3),
                c.unweighted
            )?;
            writeln!(
                f,
                "  SERVQUAL item variant (mean of all item gaps)      {:>8}   n = {}",
                num(self.unweighted_items, 3),
                c.unweighted_items
            )?;
            if s.weights {
                writeln!(
                    f,
                    "  weighted SERVQUAL (sum of points/100 x gap)        {:>8}   n = {}",
                    num(self.weighted, 3),
                    c.weighted
                )?;
            }
        }
        writeln!(
            f,
            "  SERVPERF (mean of the {k} dimension perceptions)     {:>8}   n = {}",
            num(self.servperf, 3),
            c.servperf
        )?;
        writeln!(
            f,
            "  SERVPERF item variant (mean of all items)          {:>8}   n = {}",
            num(self.servperf_items, 3),
            c.servperf_items
        )?;
        if s.weights {
            writeln!(
                f,
                "  weighted SERVPERF                                  {:>8}",
                num(self.servperf_weighted, 3)
            )?;
        }
        if s.adequate {
            writeln!(
                f,
                "  MSA (perceived - adequate)                         {:>8}",
                num(self.msa, 3)
            )?;
        }
        if s.desired {
            writeln!(
                f,
                "  MSS (perceived - desired)                          {:>8}",
                num(self.mss, 3)
            )?;
        }
        if let Some(z) = &self.zone {
            writeln!(f, "  zone of tolerance: {}", zone_text(z))?;
        }
        let left_out = self.n.saturating_sub(if s.expectation {
            c.unweighted
        } else {
            c.servperf
        });
        if left_out > 0 {
            writeln!(
                f,
                "  note: {left_out} respondent(s) lack a score in some dimension and are left out of the dimension-mean scores"
            )?;
        }
        if s.weights && (c.weights_missing > 0 || c.weights_off > 0) {
            writeln!(
                f,
                "  importance points: {} respondent(s) with a missing entry, {} not summing to 100 ({} rescaled to their sum, {} left out)",
                c.weights_missing, c.weights_off, c.weights_rescaled, c.weights_excluded
            )?;
        }
        writeln!(f)?;
        writeln!(f, "Items")?;
        writeln!(
            f,
            "  {:>4} {:<8} {:<16} {:>6} {:>6} {:>6} {:>5} {:>6} {:>6} {:>6}  {:>17}",
            "item",
            "id",
            "dimension",
            "E",
            "P",
            "gap",
            "n",
            "MSA",
            "MSS",
            "width",
            "below/within/above"
        )?;
        for it in &self.items {
            let zone = it.zone.map_or("NA".to_string(), |z| {
                format!("{}/{}/{}", z.below, z.within, z.above)
            });
            writeln!(
                f,
                "  {:>4} {:<8} {:<16} {:>6} {:>6} {:>6} {:>5} {:>6} {:>6} {:>6}  {:>17}",
                it.item,
                format!("{}{}", it.id, if it.reversed { " (r)" } else { "" }),
                it.dimension,
                num(it.expectation, 2),
                num(it.perception, 2),
                num(it.gap, 2),
                if s.expectation {
                    it.n_gap
                } else {
                    it.n_perception
                },
                num(it.msa, 2),
                num(it.mss, 2),
                num(it.tolerance_width, 2),
                zone
            )?;
        }
        let pr = &self.priorities;
        if let Some(basis) = pr.basis {
            writeln!(f)?;
            let against = match basis {
                PriorityBasis::Expectation => "expectation - perception",
                PriorityBasis::Desired => "desired - perception",
            };
            let weight = if pr.importance_weighted {
                "mean importance points / 100"
            } else {
                "equal weights (no importance points)"
            };
            writeln!(
                f,
                "Priorities: score = weight x shortfall, shortfall = {against}, weight = {weight}; highest first"
            )?;
            priority_rows(f, &pr.dimensions, pr.dimensions.len())?;
            writeln!(f, "  top items:")?;
            priority_rows(f, &pr.items, 5)?;
        }
        Ok(())
    }
}

impl fmt::Display for SegmentedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "SERVQUAL by `{}`: {} segment(s){}",
            self.segment_column,
            self.segments.len(),
            if self.unlabelled > 0 {
                format!(
                    ", {} row(s) without a label (whole sample only)",
                    self.unlabelled
                )
            } else {
                String::new()
            }
        )?;
        let s = &self.overall.sources;
        let what = if s.expectation { "gap" } else { "perception" };
        write!(f, "  dimension {what:<10}   {:>10}", "all")?;
        for seg in &self.segments {
            write!(f, " {:>10}", seg.label)?;
        }
        writeln!(f)?;
        let pick = |r: &ServqualReport, d: usize| {
            let dim = &r.dimensions[d];
            if s.expectation {
                dim.gap
            } else {
                dim.perception
            }
        };
        for (d, dim) in self.overall.dimensions.iter().enumerate() {
            write!(
                f,
                "  {:<21}   {:>10}",
                dim.name,
                num(pick(&self.overall, d), 2)
            )?;
            for seg in &self.segments {
                write!(f, " {:>10}", num(pick(&seg.report, d), 2))?;
            }
            writeln!(f)?;
        }
        write!(f, "  {:<21}   {:>10}", "n", self.overall.n)?;
        for seg in &self.segments {
            write!(f, " {:>10}", seg.report.n)?;
        }
        writeln!(f)?;
        writeln!(f)?;
        writeln!(f, "== whole sample ==")?;
        write!(f, "{}", self.overall)?;
        for seg in &self.segments {
            writeln!(f)?;
            writeln!(f, "== {} = {} ==", self.segment_column, seg.label)?;
            write!(f, "{}", seg.report)?;
        }
        Ok(())
    }
}
