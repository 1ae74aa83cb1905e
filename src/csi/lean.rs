//! The lean per-resample path of the CSI bootstrap: the statistics of
//! [`bootstrap_statistics`](super::bootstrap_statistics) (index of every
//! construct, impacts on the target, IPMA importances of the target's drivers
//! and their indicators) computed straight from a resample's moments and the
//! lean estimation core ([`Core`]), with no [`PlsFit`](crate::PlsFit), no
//! index tables, no names and no t quantiles per resample.
//!
//! Everything that depends only on the model, the scales and the target (the
//! blocks, the scale bounds, which effects and indicators enter the vector
//! and in which order) is planned once per bootstrap ([`LeanCsi::plan`]).
//! The arithmetic per resample is the same, operation for operation, as that
//! of [`index::index`](super::index::index), [`ipma::impacts`](super::ipma::impacts)
//! and [`ipma::ipma`](super::ipma::ipma) on the full fit of the resample, so
//! the values are bit-identical to the generic path (a test checks it); a
//! plan is made only for the cases it covers (plain PLS of a model without
//! extensions or higher-order constructs), every other case keeps the generic path.

use super::index::Scales;
use super::ipma::IMPACT_POINTS;
use super::models::Construct;
use crate::pls::Scaling;
use crate::pls::core::{self, Core};
use crate::pls::fit::R2_TOLERANCE;
use crate::pls::moments::Moments;
use crate::pls::resample::FailureKind;

/// One impact on the target (also a construct importance): `from → target`.
struct Effect {
    from: usize,
    to: usize,
}

/// The plan of the CSI statistic vector of one model, scales and target.
pub(crate) struct LeanCsi {
    p: usize,
    k: usize,
    scaling: Scaling,
    /// Construct of each indicator.
    block_of: Vec<usize>,
    /// Members of each block (ascending indicator positions).
    members: Vec<Vec<usize>>,
    /// Scale minimum and range of each indicator.
    min: Vec<f64>,
    range: Vec<f64>,
    /// Effects on the target in the order of the fit's effects.
    impacts: Vec<Effect>,
    /// Drivers on the map: positions in `impacts`, in model order.
    drivers: Vec<usize>,
    /// Indicators on the map: (indicator, position in `impacts`), in model order.
    indicators: Vec<(usize, usize)>,
    /// Length of the vector.
    len: usize,
}

impl LeanCsi {
    /// The plan for the estimation `setup` and `target`, when the lean path
    /// covers it and its names equal `names` (those of the original fit's
    /// [`bootstrap_statistics`](super::bootstrap_statistics)); `None` otherwise.
    pub(crate) fn plan(
        setup: &crate::pls::estimation::Setup,
        scales: &Scales,
        target: &Construct,
        names: &[String],
    ) -> Option<LeanCsi> {
        let settings = &setup.settings;
        let model = &setup.model;
        if settings.consistent
            || setup.extension.is_some()
            || !model.higher_order().is_empty()
            || settings.correlation != crate::pls::CorrelationKind::Pearson
        {
            return None;
        }
        let layout = &setup.layout;
        let (p, k) = (layout.p, layout.k);
        let mut min = Vec::with_capacity(p);
        let mut range = Vec::with_capacity(p);
        for name in &setup.indicator_names {
            let s = scales.get(name).ok()?;
            min.push(s.min);
            range.push(s.range());
        }
        let block_of = layout.block_of.clone();
        let members: Vec<Vec<usize>> = (0..k)
            .map(|j| (0..p).filter(|&i| block_of[i] == j).collect())
            .collect();
        let cname = |j: usize| Construct::from_name(&setup.construct_names[j]);
        let mut expect: Vec<String> = (0..k).map(|j| format!("index:{}", cname(j))).collect();
        let impacts: Vec<Effect> = core::effect_pairs(layout, model)
            .into_iter()
            .filter(|&(_, to)| cname(to) == *target)
            .map(|(from, to)| Effect { from, to })
            .collect();
        for e in &impacts {
            expect.push(format!("impact:{}->{}", cname(e.from), cname(e.to)));
        }
        let drivers: Vec<usize> = (0..k)
            .filter_map(|j| impacts.iter().position(|e| e.from == j))
            .collect();
        let mut indicators = Vec::new();
        if !drivers.is_empty() {
            for &d in &drivers {
                expect.push(format!("importance:{}", cname(impacts[d].from)));
            }
            for i in 0..p {
                if let Some(&d) = drivers.iter().find(|&&d| impacts[d].from == block_of[i]) {
                    indicators.push((i, d));
                    expect.push(format!("importance:{}", setup.indicator_names[i]));
                }
            }
        }
        (expect == names).then_some(LeanCsi {
            p,
            k,
            scaling: settings.scaling,
            block_of,
            members,
            min,
            range,
            len: expect.len(),
            impacts,
            drivers,
            indicators,
        })
    }

    /// The statistic vector of a resample from its moments `m` and lean
    /// estimates `core` (of the plain model, `m`'s S). Degenerate as the full
    /// fit would be: an R² outside [0, 1] or an undefined index is a
    /// statistic failure.
    pub(crate) fn values(&self, m: &Moments, core: &Core) -> Result<Vec<f64>, FailureKind> {
        let (p, k) = (self.p, self.k);
        for reg in &core.regressions {
            if !(-R2_TOLERANCE..=1.0 + R2_TOLERANCE).contains(&reg.r2) {
                return Err(FailureKind::Statistic);
            }
        }
        let cov = m.covariance();
        let means = m.means();
        // index_weights: unstandardized and rescaled weights.
        let wu: Vec<f64> = (0..p)
            .map(|i| match self.scaling {
                Scaling::Standardized => core.w[i] / cov[i * p + i].max(0.0).sqrt(),
                Scaling::Centered => core.w[i],
            })
            .collect();
        let mut denom = vec![0.0; k];
        for i in 0..p {
            denom[self.block_of[i]] += wu[i] * self.range[i];
        }
        if denom.iter().any(|d| !(*d > 0.0)) {
            return Err(FailureKind::Statistic);
        }
        let v: Vec<f64> = (0..p)
            .map(|i| wu[i] * self.range[i] / denom[self.block_of[i]])
            .collect();
        let perf: Vec<f64> = (0..p)
            .map(|i| 100.0 * (means[i] - self.min[i]) / self.range[i])
            .collect();
        let mut out = Vec::with_capacity(self.len);
        let mut sd = vec![0.0; k];
        for (j, members) in self.members.iter().enumerate() {
            let value: f64 = members.iter().map(|&i| v[i] * perf[i]).sum();
            let mut var = 0.0;
            for &a in members {
                for &b in members {
                    var += v[a] * v[b] * 1e4 * cov[a * p + b] / (self.range[a] * self.range[b]);
                }
            }
            sd[j] = var.max(0.0).sqrt();
            out.push(value);
        }
        let te: Vec<f64> = self
            .impacts
            .iter()
            .map(|e| core.total[e.to * k + e.from] * sd[e.to] / sd[e.from])
            .collect();
        out.extend(te.iter().map(|t| IMPACT_POINTS * t));
        out.extend(self.drivers.iter().map(|&d| te[d]));
        out.extend(self.indicators.iter().map(|&(i, d)| v[i] * te[d]));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csi::{Scale, bootstrap_statistics};
    use crate::pls::estimation::Session;
    use crate::pls::resample::{Scratch, base_rng, stream_rng, uniform_index};
    use crate::pls::{Pls, Scheme};
    use crate::simulate::SurveySimulator;

    /// The lean path gives the generic path's statistics (the full fit of the
    /// resample and `bootstrap_statistics`) bit for bit, on resamples of a
    /// small survey, with the path and centroid schemes, standardized and
    /// centred indicators and a mixed scale; and it leaves PLSc to the
    /// generic path.
    #[test]
    fn lean_equals_the_generic_path() {
        let data = SurveySimulator::new(150).seed(4).simulate().unwrap();
        let model = SurveySimulator::csi_model();
        let scales = Scales::uniform(Scale::new(1.0, 10.0)).with("CUSA1", Scale::new(0.0, 12.0));
        let target = Construct::Satisfaction;
        let settings: [fn(Pls<'_>) -> Pls<'_>; 3] = [
            |p| p,
            |p| p.scheme(Scheme::Centroid),
            |p| p.scaling(Scaling::Centered),
        ];
        let mut compared = 0;
        for configure in settings {
            let pls = configure(Pls::new(model.model()));
            Session::with(&pls, &data, |s| {
                let names = bootstrap_statistics(&s.fit()?, &scales, target.clone())?.names;
                let lean = LeanCsi::plan(s.setup, &scales, &target, &names).unwrap();
                assert_eq!(lean.len, names.len());
                // Names that differ from the plan's: no plan.
                assert!(LeanCsi::plan(s.setup, &scales, &target, &names[1..]).is_none());
                let sampler = s.sampler()?;
                let n = sampler.len();
                let base = base_rng(9);
                let (mut scratch, mut m) = (Scratch::default(), Moments::default());
                for i in 0..25 {
                    let mut rng = stream_rng(&base, i);
                    let mut counts = vec![0u32; n];
                    for _ in 0..n {
                        counts[uniform_index(&mut rng, n)] += 1;
                    }
                    sampler.resample_moments(&counts, &mut scratch, &mut m);
                    let generic = bootstrap_statistics(&s.fit_of(&m)?, &scales, target.clone())?;
                    let (_, core) = s.estimate(&m, false)?;
                    let values = lean.values(&m, &core).unwrap();
                    assert_eq!(values.len(), generic.values.len());
                    for (a, b) in values.iter().zip(&generic.values) {
                        assert!((a - b).abs() <= 1e-10 * b.abs().max(1.0), "{a} vs {b}");
                        assert_eq!(a.to_bits(), b.to_bits());
                    }
                    compared += 1;
                }
                Ok(())
            })
            .unwrap();
        }
        assert_eq!(compared, 75);
        let plsc = Pls::new(model.model()).consistent(true);
        Session::with(&plsc, &data, |s| {
            let names = bootstrap_statistics(&s.fit()?, &scales, target.clone())?.names;
            assert!(LeanCsi::plan(s.setup, &scales, &target, &names).is_none());
            Ok(())
        })
        .unwrap();
    }
}
