//! Issue 18, assessment half: indicator VIF of every block, alpha / rho_c /
//! rho_A / AVE / HTMT of Mode B composites, HTMT of single-item constructs,
//! f² by re-estimation (seminr) beside the score-based f², the rescaling of
//! blindfolding predictions, and information criteria. Each value is checked
//! against an independent computation from its published definition (hand
//! regressions on the data, direct formulas) or a peer's output, plus
//! properties that can fail.

use csikit::pls::{FSquared, HtmtBasis, Q2Scale};
use csikit::{Dataset, Mode, Model, Pls, PlsFit, ReadOptions};

use crate::common::*;

// ----- helpers: plain arithmetic on the data -----

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn sd(x: &[f64]) -> f64 {
    let m = mean(x);
    (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)).sqrt()
}

fn corr(x: &[f64], y: &[f64]) -> f64 {
    let (mx, my) = (mean(x), mean(y));
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

/// OLS of y on the columns xs with an intercept, by the normal equations
/// (Gaussian elimination with partial pivoting): returns (R², SSE).
fn ols(y: &[f64], xs: &[Vec<f64>]) -> (f64, f64) {
    let n = y.len();
    let q = xs.len() + 1;
    let row = |r: usize| -> Vec<f64> {
        std::iter::once(1.0)
            .chain(xs.iter().map(|c| c[r]))
            .collect()
    };
    let mut a = vec![vec![0.0; q + 1]; q];
    for (r, yr) in y.iter().enumerate() {
        let x = row(r);
        for (i, ai) in a.iter_mut().enumerate() {
            for (j, xj) in x.iter().enumerate() {
                ai[j] += x[i] * xj;
            }
            ai[q] += x[i] * yr;
        }
    }
    for c in 0..q {
        let piv = (c..q)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap();
        a.swap(c, piv);
        let pivot_row = a[c].clone();
        for (r, ar) in a.iter_mut().enumerate() {
            if r != c {
                let f = ar[c] / pivot_row[c];
                for (x, p) in ar.iter_mut().zip(&pivot_row).skip(c) {
                    *x -= f * p;
                }
            }
        }
    }
    let beta: Vec<f64> = (0..q).map(|i| a[i][q] / a[i][i]).collect();
    let sse: f64 = (0..n)
        .map(|r| {
            let x = row(r);
            let fit: f64 = x.iter().zip(&beta).map(|(a, b)| a * b).sum();
            (y[r] - fit).powi(2)
        })
        .sum();
    let m = mean(y);
    let sst: f64 = y.iter().map(|v| (v - m).powi(2)).sum();
    (1.0 - sse / sst, sse)
}

fn column(data: &Dataset, name: &str, rows: &[usize]) -> Vec<f64> {
    let c = data.numeric(name).unwrap();
    rows.iter().map(|&r| c[r]).collect()
}

/// Rows complete in every indicator of `model` (listwise deletion).
fn complete_rows(data: &Dataset, model: &Model) -> Vec<usize> {
    let cols: Vec<&[f64]> = model
        .indicators()
        .map(|n| data.numeric(n).unwrap())
        .collect();
    (0..data.n_rows())
        .filter(|&r| cols.iter().all(|c| c[r].is_finite()))
        .collect()
}

fn tight(model: &Model, data: &Dataset) -> PlsFit {
    Pls::new(model)
        .tolerance(1e-13)
        .max_iter(1000)
        .fit(data)
        .unwrap()
}

const CORP_REP: &str = "
QUAL <~ qual_1 + qual_2 + qual_3 + qual_4 + qual_5 + qual_6 + qual_7 + qual_8
PERF <~ perf_1 + perf_2 + perf_3 + perf_4 + perf_5
CSOR <~ csor_1 + csor_2 + csor_3 + csor_4 + csor_5
ATTR <~ attr_1 + attr_2 + attr_3
COMP =~ comp_1 + comp_2 + comp_3
LIKE =~ like_1 + like_2 + like_3
CUSA =~ cusa
CUSL =~ cusl_1 + cusl_2 + cusl_3
COMP ~ QUAL + PERF + CSOR + ATTR
LIKE ~ QUAL + PERF + CSOR + ATTR
CUSA ~ COMP + LIKE
CUSL ~ COMP + LIKE + CUSA
";

fn corp_rep() -> (Dataset, Model) {
    let data = Dataset::from_csv_with(data_path("corp_rep.csv"), &ReadOptions::default().na("-99"))
        .unwrap();
    (data, Model::from_syntax(CORP_REP).unwrap())
}

fn mobi() -> Dataset {
    Dataset::from_csv(data_path("mobi.csv")).unwrap()
}

// ----- 1. indicator VIF of every block -----

/// VIF_i = 1/(1 − R²_i), R²_i from regressing indicator i on the other
/// indicators of its block (seminr, ADANCO), for Mode A blocks (satisfaction),
/// Mode B blocks and a single item (corp_rep), against hand regressions.
#[test]
fn indicator_vif_of_every_block_equals_hand_regressions() {
    for (data, model) in [(satisfaction(), satisfaction_model(Mode::A)), corp_rep()] {
        let fit = tight(&model, &data);
        let a = fit.assess();
        let rows = complete_rows(&data, &model);
        assert_eq!(rows.len(), fit.n_observations);
        assert_eq!(a.vif_indicators.len(), model.indicators().count());
        for c in model.constructs() {
            for ind in &c.indicators {
                let v = a
                    .vif_indicators
                    .iter()
                    .find(|v| &v.indicator == ind)
                    .unwrap();
                assert_eq!(v.construct, c.name);
                let expected = if c.indicators.len() == 1 {
                    1.0
                } else {
                    let others: Vec<Vec<f64>> = c
                        .indicators
                        .iter()
                        .filter(|o| *o != ind)
                        .map(|o| column(&data, o, &rows))
                        .collect();
                    1.0 / (1.0 - ols(&column(&data, ind, &rows), &others).0)
                };
                close(v.value, expected, 1e-9, &format!("VIF {ind}"));
                assert!(v.value >= 1.0 - 1e-12);
            }
        }
        // The Mode B rows of the old key are unchanged and agree.
        let n_b: usize = model
            .constructs()
            .iter()
            .filter(|c| c.mode == Mode::B)
            .map(|c| c.indicators.len())
            .sum();
        assert_eq!(a.vif_outer.len(), n_b);
        for v in &a.vif_outer {
            let w = a
                .vif_indicators
                .iter()
                .find(|x| x.indicator == v.indicator)
                .unwrap();
            assert_eq!(v, w);
        }
    }
}

// ----- 2. Mode B composites: alpha, rho_c, rho_A, AVE -----

/// The composite measures of corp_rep's four Mode B blocks from their
/// definitions, on the data: alpha from the standardized items' variances
/// (Cronbach 1951), loadings as correlations of each item with the composite
/// Σ w_i z_i, rho_c = (Σλ)²/((Σλ)² + Σ(1 − λ²)) (Werts, Linn & Jöreskog
/// 1974), AVE = mean λ² (Fornell & Larcker 1981), rho_A from the weights
/// (Dijkstra & Henseler 2015, eq. 11).
#[test]
fn composite_measures_follow_their_definitions() {
    let (data, model) = corp_rep();
    let fit = tight(&model, &data);
    let a = fit.assess();
    let rows = complete_rows(&data, &model);
    let n = rows.len() as f64;
    assert_eq!(
        a.reliability_composite
            .iter()
            .map(|r| r.construct.as_str())
            .collect::<Vec<_>>(),
        ["QUAL", "PERF", "CSOR", "ATTR"]
    );
    for r in &a.reliability_composite {
        assert!(r.composite);
        let c = model
            .constructs()
            .iter()
            .find(|c| c.name == r.construct)
            .unwrap();
        let q = c.indicators.len();
        assert_eq!(r.n_indicators, q);
        let z: Vec<Vec<f64>> = c
            .indicators
            .iter()
            .map(|i| {
                let x = column(&data, i, &rows);
                let (m, s) = (mean(&x), sd(&x));
                x.iter().map(|v| (v - m) / s).collect()
            })
            .collect();
        // Alpha: q/(q − 1) · (1 − Σ var(z_i) / var(Σ z_i)).
        let total: Vec<f64> = (0..rows.len())
            .map(|t| z.iter().map(|zi| zi[t]).sum())
            .collect();
        let alpha = q as f64 / (q as f64 - 1.0) * (1.0 - q as f64 / sd(&total).powi(2));
        close(r.cronbach_alpha.unwrap(), alpha, 1e-10, "alpha");
        // The composite from the fit's weights (standardized indicators).
        let w: Vec<f64> = c
            .indicators
            .iter()
            .map(|i| fit.indicator(i).unwrap().weight)
            .collect();
        let y: Vec<f64> = (0..rows.len())
            .map(|t| z.iter().zip(&w).map(|(zi, wi)| zi[t] * wi).sum())
            .collect();
        close(sd(&y), 1.0, 1e-9, "composite variance 1");
        let lam: Vec<f64> = z.iter().map(|zi| corr(zi, &y)).collect();
        let sl: f64 = lam.iter().sum();
        let rho_c = sl * sl / (sl * sl + lam.iter().map(|l| 1.0 - l * l).sum::<f64>());
        close(r.rho_c, rho_c, 1e-9, "rho_c");
        close(
            r.ave,
            lam.iter().map(|l| l * l).sum::<f64>() / q as f64,
            1e-9,
            "AVE",
        );
        // rho_A = (wᵀw)² · Σ_{a≠b} w_a r_ab w_b / Σ_{a≠b} w_a² w_b².
        let (mut num, mut den) = (0.0, 0.0);
        for x in 0..q {
            for u in 0..q {
                if x != u {
                    let r_xu = z[x].iter().zip(&z[u]).map(|(p, s)| p * s).sum::<f64>() / (n - 1.0);
                    num += w[x] * r_xu * w[u];
                    den += (w[x] * w[u]).powi(2);
                }
            }
        }
        let ww: f64 = w.iter().map(|v| v * v).sum();
        close(r.rho_a.unwrap(), ww * ww * num / den, 1e-9, "rho_A");
        // The old keys stay empty for Mode B.
        let old = a
            .reliability
            .iter()
            .find(|x| x.construct == r.construct)
            .unwrap();
        assert!(old.cronbach_alpha.is_none() && old.rho_c.is_none() && old.ave.is_none());
    }
}

/// Alpha does not depend on the weights: a block's alpha as a Mode B
/// composite equals its alpha as a Mode A construct. AVE and rho_c do (they
/// use the composite's loadings), and differ.
#[test]
fn composite_alpha_equals_mode_a_alpha() {
    let data = satisfaction();
    let fa = tight(&satisfaction_model(Mode::A), &data).assess();
    let fb = tight(&satisfaction_model(Mode::B), &data).assess();
    assert_eq!(fb.reliability_composite.len(), 6);
    assert!(fa.reliability_composite.is_empty());
    for (ra, rb) in fa.reliability.iter().zip(&fb.reliability_composite) {
        assert_eq!(ra.construct, rb.construct);
        close(
            rb.cronbach_alpha.unwrap(),
            ra.cronbach_alpha.unwrap(),
            1e-12,
            "alpha A vs B",
        );
        assert!((rb.ave - ra.ave.unwrap()).abs() > 1e-6, "{}", ra.construct);
        assert!(rb.rho_c > 0.0 && rb.rho_c < 1.0);
    }
}

// ----- 3. HTMT of single-item and Mode B pairs -----

/// HTMT with a single-item construct: its monotrait mean is 1, so HTMT is the
/// mean absolute heterotrait correlation over the root of the other block's
/// mean monotrait correlation (seminr, cSEM, SmartPLS).
#[test]
fn htmt_of_single_items_and_composites() {
    let (data, model) = corp_rep();
    let fit = tight(&model, &data);
    let a = fit.assess();
    let rows = complete_rows(&data, &model);
    let k = model.constructs().len();
    assert_eq!(a.htmt_all.len(), k * (k - 1) / 2);
    let row = |x: &str, y: &str| {
        a.htmt_all
            .iter()
            .find(|h| h.a == x && h.b == y)
            .unwrap_or_else(|| panic!("{x}-{y}"))
    };
    let cusa = column(&data, "cusa", &rows);
    let cusl: Vec<Vec<f64>> = (1..=3)
        .map(|i| column(&data, &format!("cusl_{i}"), &rows))
        .collect();
    let het = cusl.iter().map(|c| corr(&cusa, c).abs()).sum::<f64>() / 3.0;
    let mono = (corr(&cusl[0], &cusl[1]).abs()
        + corr(&cusl[0], &cusl[2]).abs()
        + corr(&cusl[1], &cusl[2]).abs())
        / 3.0;
    let h = row("CUSA", "CUSL");
    assert_eq!(h.basis, HtmtBasis::SingleItem);
    close(h.value.unwrap(), het / mono.sqrt(), 1e-10, "HTMT CUSA-CUSL");
    // HTMT2: geometric means, monotrait 1 for the single item.
    let het_g = cusl.iter().map(|c| corr(&cusa, c).ln()).sum::<f64>() / 3.0;
    let mono_g = (corr(&cusl[0], &cusl[1]).ln()
        + corr(&cusl[0], &cusl[2]).ln()
        + corr(&cusl[1], &cusl[2]).ln())
        / 3.0;
    close(
        h.htmt2.unwrap(),
        (het_g - 0.5 * mono_g).exp(),
        1e-10,
        "HTMT2 CUSA-CUSL",
    );
    // A Mode B pair is labelled composite; the reflective pairs repeat `htmt`.
    assert_eq!(row("QUAL", "COMP").basis, HtmtBasis::Composite);
    assert_eq!(row("QUAL", "CUSA").basis, HtmtBasis::Composite);
    for old in &a.htmt {
        let h = row(&old.a, &old.b);
        assert_eq!(h.basis, HtmtBasis::Reflective);
        assert_eq!(h.value.unwrap().to_bits(), old.value.to_bits());
    }
    assert_eq!(
        a.htmt_all
            .iter()
            .filter(|h| h.basis == HtmtBasis::Reflective)
            .count(),
        a.htmt.len()
    );
    // The old key keeps its pairs: Mode A with ≥ 2 indicators only (COMP, LIKE, CUSL).
    assert_eq!(a.htmt.len(), 3);
}

/// Two single items: HTMT is their absolute correlation.
#[test]
fn htmt_of_two_single_items_is_their_correlation() {
    let data = satisfaction();
    let model =
        Model::from_syntax("X =~ imag1\nY =~ sat1\nZ =~ loy1 + loy2\nY ~ X\nZ ~ Y").unwrap();
    let a = Pls::new(&model).fit(&data).unwrap().assess();
    let h = a
        .htmt_all
        .iter()
        .find(|h| h.a == "X" && h.b == "Y")
        .unwrap();
    let r = corr(
        data.numeric("imag1").unwrap(),
        data.numeric("sat1").unwrap(),
    );
    close(h.value.unwrap(), r.abs(), 1e-12, "HTMT of two items");
    close(h.signed.unwrap(), r, 1e-12, "signed");
    assert!(a.htmt.is_empty());
}

// ----- 4. f² by re-estimation (seminr) -----

/// seminr 2.3.4's `fSquare` re-estimates the model without each path: the
/// re-estimated f² reproduces it on every path; the score-based f² differs
/// where the dependent has several predictors and agrees where it has one.
#[test]
fn f_squared_reestimated_matches_seminr() {
    let r = reference("seminr_satisfaction_path_tight");
    let fit = tight(&satisfaction_model(Mode::A), &satisfaction());
    let re = fit.f_squared_by(FSquared::Reestimated);
    assert_eq!(re, fit.assess().f_squared_reestimated);
    let scores = fit.f_squared_by(FSquared::Scores);
    assert_eq!(re.len(), fit.f_squared.len());
    let mut differ = 0;
    for ((x, s), old) in re.iter().zip(&scores).zip(&fit.f_squared) {
        assert_eq!((&x.from, &x.to), (&s.from, &s.to));
        assert_eq!(s.value, Some(old.value));
        let (x, s) = (
            csikit::pls::PathValue {
                from: x.from.clone(),
                to: x.to.clone(),
                value: x.value.unwrap(),
            },
            old,
        );
        close(
            x.value,
            mat(&r["fSquare"], &x.from, &x.to),
            1e-12,
            &format!("f² {}->{}", x.from, x.to),
        );
        let single = fit.paths.iter().filter(|p| p.to == x.to).count() == 1;
        if single {
            close(
                x.value,
                s.value,
                1e-12,
                "single predictor: both conventions",
            );
        } else if (x.value - s.value).abs() > 1e-6 {
            differ += 1;
        }
    }
    assert!(differ >= 4, "{differ}");
}

/// Independently: fit the model written without the path and use its R²;
/// a predictor left without any path is dropped from that model.
#[test]
fn f_squared_reestimated_equals_fitting_the_reduced_model() {
    let data = mobi();
    let full = "IMAG =~ IMAG1 + IMAG2 + IMAG3 + IMAG4 + IMAG5
CUEX =~ CUEX1 + CUEX2 + CUEX3
PERQ =~ PERQ1 + PERQ2 + PERQ3 + PERQ4 + PERQ5 + PERQ6 + PERQ7
CUSA =~ CUSA1 + CUSA2 + CUSA3
CUSL =~ CUSL1 + CUSL2 + CUSL3
CUSA ~ IMAG + CUEX + PERQ
CUSL ~ CUSA
";
    let fit = tight(&Model::from_syntax(full).unwrap(), &data);
    let re = fit.f_squared_by(FSquared::Reestimated);
    let r2_incl = fit.construct("CUSA").unwrap().r_squared.unwrap();
    for (drop, keep) in [
        ("IMAG", "CUEX + PERQ"),
        ("CUEX", "IMAG + PERQ"),
        ("PERQ", "IMAG + CUEX"),
    ] {
        // The dropped predictor has no other path: it leaves the model.
        let reduced: String = full
            .lines()
            .filter(|l| !l.starts_with(drop) && !l.starts_with("CUSA ~"))
            .chain(std::iter::once(format!("CUSA ~ {keep}").as_str()))
            .map(|l| format!("{l}\n"))
            .collect();
        let r2_excl = tight(&Model::from_syntax(&reduced).unwrap(), &data)
            .construct("CUSA")
            .unwrap()
            .r_squared
            .unwrap();
        let got = re
            .iter()
            .find(|v| v.from == drop && v.to == "CUSA")
            .unwrap();
        let got = got.value.unwrap();
        close(
            got,
            (r2_incl - r2_excl) / (1.0 - r2_incl),
            1e-9,
            &format!("f² {drop}"),
        );
        assert!(got >= 0.0);
    }
}

// ----- 6. information criteria -----

/// AIC, AICc, BIC, HQ of each endogenous construct from a hand OLS of its
/// scores on its predecessors' scores (intercept included): SSE from the
/// residuals, k = q + 1 (Akaike 1974; Hurvich & Tsai 1989; Schwarz 1978;
/// Hannan & Quinn 1979; Sharma et al. 2019).
#[test]
fn information_criteria_from_hand_regressions() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let fit = tight(&model, &data);
    let scores = fit.scores(&data).unwrap();
    let ic = fit.assess().information_criteria;
    assert_eq!(ic.len(), 5);
    let n = fit.n_observations as f64;
    for c in &ic {
        let j = model.construct_index(&c.construct).unwrap();
        let xs: Vec<Vec<f64>> = model
            .predecessors(j)
            .iter()
            .map(|&m| scores.column(&model.constructs()[m].name).unwrap())
            .collect();
        let (r2, sse) = ols(&scores.column(&c.construct).unwrap(), &xs);
        let k = xs.len() as f64 + 1.0;
        assert_eq!(c.k, xs.len() + 1);
        assert_eq!(c.n, 250);
        close(
            r2,
            fit.construct(&c.construct).unwrap().r_squared.unwrap(),
            1e-9,
            "R²",
        );
        close(c.sse, sse, 1e-8, "SSE");
        let base = n * (sse / n).ln();
        let (aic, bic) = (c.aic.unwrap(), c.bic.unwrap());
        close(aic, base + 2.0 * k, 1e-8, "AIC");
        close(bic, base + k * n.ln(), 1e-8, "BIC");
        close(c.hq.unwrap(), base + 2.0 * k * n.ln().ln(), 1e-8, "HQ");
        close(
            c.aicc.unwrap(),
            base + n * (n + k) / (n - k - 2.0),
            1e-8,
            "AICc",
        );
        // With n = 250 > e², BIC penalizes more than AIC: BIC − AIC = k(ln n − 2).
        close(bic - aic, k * (n.ln() - 2.0), 1e-9, "BIC - AIC");
    }
    // The better explained construct has the lower criteria at equal k:
    // EXPE (1 predictor, R² 0.34) vs QUAL (1 predictor, R² 0.71).
    let get = |name: &str| ic.iter().find(|c| c.construct == name).unwrap();
    assert!(get("QUAL").aic.unwrap() < get("EXPE").aic.unwrap());
}

// ----- 5. blindfolding: rescaling of the predictions -----

/// Q² with the default rescaling recomputed from the published procedure
/// with public calls only: for each round, omit every D-th point of EXPE's
/// block (running number down the rows, indicator after indicator), replace
/// it by the mean of the values kept, fit the model to the modified data,
/// predict x̂ = m + s·λ·b·y_IMAG with m, s the mean and SD of the values kept,
/// and sum the squared errors against those of the trivial prediction m.
#[test]
fn blindfolding_default_rescales_with_the_observed_sd() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let got = pls.blindfolding(&data, 7).unwrap();
    assert_eq!(got.scale, Q2Scale::Observed);
    let n = data.n_rows();
    let d = 7;
    let block = ["expe1", "expe2", "expe3", "expe4", "expe5"];
    let names: Vec<String> = model.indicators().map(str::to_string).collect();
    let (mut sse, mut sso) = (0.0, 0.0);
    for round in 0..d {
        let omitted = |r: usize, a: usize| (a * n + r) % d == round;
        let mut cols: Vec<(String, Vec<f64>)> = names
            .iter()
            .map(|c| (c.clone(), data.numeric(c).unwrap().to_vec()))
            .collect();
        let mut kept = Vec::new();
        for (a, ind) in block.iter().enumerate() {
            let x = data.numeric(ind).unwrap();
            let vals: Vec<f64> = (0..n).filter(|&r| !omitted(r, a)).map(|r| x[r]).collect();
            let (m, s) = (mean(&vals), sd(&vals));
            kept.push((m, s));
            let col = &mut cols.iter_mut().find(|(c, _)| c == ind).unwrap().1;
            for (r, v) in col.iter_mut().enumerate() {
                if omitted(r, a) {
                    *v = m;
                }
            }
        }
        let modified = Dataset::from_columns(cols).unwrap();
        let fit = pls.fit(&modified).unwrap();
        let y = fit.scores(&modified).unwrap().column("IMAG").unwrap();
        let b = fit.path("IMAG", "EXPE").unwrap().estimate;
        for (a, ind) in block.iter().enumerate() {
            let x = data.numeric(ind).unwrap();
            let lam = fit.indicator(ind).unwrap().loading;
            let (m, s) = kept[a];
            for r in (0..n).filter(|&r| omitted(r, a)) {
                sse += (x[r] - (m + s * lam * b * y[r])).powi(2);
                sso += (x[r] - m).powi(2);
            }
        }
    }
    let expe = got
        .constructs
        .iter()
        .find(|r| r.construct == "EXPE")
        .unwrap();
    close(expe.sse, sse, 1e-8, "SSE");
    close(expe.sso, sso, 1e-8, "SSO");
    close(expe.q2, 1.0 - sse / sso, 1e-10, "Q² EXPE");
}

/// The former rule (SD of the mean-replaced column, SSO about the full-data
/// mean) stays available and gives lower Q² for every construct: the
/// replaced points shrink the SD by about √(1 − 1/D) and the predictions with
/// it (by 0.006–0.011 on the satisfaction data with D = 7).
#[test]
fn blindfolding_mean_replaced_rule_is_lower() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let obs = pls.blindfolding(&data, 7).unwrap();
    let old = pls
        .blindfolding_by(&data, Some(7), Q2Scale::MeanReplaced)
        .unwrap();
    assert_eq!(old.scale, Q2Scale::MeanReplaced);
    assert_eq!(
        pls.blindfolding_by(&data, Some(7), Q2Scale::Observed)
            .unwrap(),
        obs
    );
    for (o, m) in obs.constructs.iter().zip(&old.constructs) {
        let gap = o.q2 - m.q2;
        assert!(gap > 0.005 && gap < 0.015, "{} gap {gap}", o.construct);
    }
    // SSO about the full-data mean: Σ (x − x̄)² over the block.
    let sso_sat: f64 = ["sat1", "sat2", "sat3", "sat4"]
        .iter()
        .map(|n| {
            let x = data.numeric(n).unwrap();
            let m = mean(x);
            x.iter().map(|v| (v - m).powi(2)).sum::<f64>()
        })
        .sum();
    let sat = old
        .constructs
        .iter()
        .find(|r| r.construct == "SAT")
        .unwrap();
    close(sat.sso, sso_sat, 1e-8, "SSO SAT (mean replaced)");
    // The names parse (request JSON and the command use them).
    assert_eq!("observed".parse::<Q2Scale>().unwrap(), Q2Scale::Observed);
    assert_eq!(
        "mean_replaced".parse::<Q2Scale>().unwrap(),
        Q2Scale::MeanReplaced
    );
    assert!("mean".parse::<Q2Scale>().is_err());
    assert_eq!(
        "reestimated".parse::<FSquared>().unwrap(),
        FSquared::Reestimated
    );
}

// ----- the pls JSON: new keys only -----

#[test]
fn report_json_gains_the_new_keys() {
    let (data, model) = corp_rep();
    let fit = Pls::new(&model).fit(&data).unwrap();
    let v = serde_json::to_value(fit.report()).unwrap();
    let a = &v["assessment"];
    for key in [
        "vif_indicators",
        "reliability_composite",
        "htmt_all",
        "f_squared_reestimated",
        "information_criteria",
        // the old keys stay
        "vif_outer",
        "htmt",
        "htmt2",
        "f_squared",
        "reliability",
    ] {
        assert!(a.get(key).is_some(), "{key}");
    }
    assert_eq!(a["htmt_all"][0]["basis"], "composite");
    assert_eq!(a["reliability_composite"][0]["composite"], true);
    assert_eq!(v["htmt"].as_array().unwrap().len(), 3);
}

// ----- SERVQUAL data (sq): five dimensions and a single-item satisfaction -----

const SQ: &str = "TAN =~ a01 + a02 + a03 + a04
REL =~ a05 + a06 + a07 + a08 + a09
RES =~ a10 + a11 + a12 + a13
ASS =~ a14 + a15 + a16 + a17
EMP =~ a18 + a19 + a20 + a21 + a22
SAT =~ sat
SAT ~ TAN + REL + RES + ASS + EMP
";

/// On the SERVQUAL data: HTMT of each dimension with the single-item
/// satisfaction by hand, and f² by re-estimation against the fit of the model
/// written without the dimension (which then has no path and leaves).
#[test]
fn sq_single_item_htmt_and_reestimated_f_squared() {
    let data = Dataset::from_csv(data_path("sq.csv")).unwrap();
    let model = Model::from_syntax(SQ).unwrap();
    let fit = tight(&model, &data);
    let a = fit.assess();
    let rows = complete_rows(&data, &model);
    let sat = column(&data, "sat", &rows);
    for c in model.constructs().iter().filter(|c| c.name != "SAT") {
        let xs: Vec<Vec<f64>> = c
            .indicators
            .iter()
            .map(|i| column(&data, i, &rows))
            .collect();
        let het = xs.iter().map(|x| corr(x, &sat).abs()).sum::<f64>() / xs.len() as f64;
        let (mut mono, mut m) = (0.0, 0);
        for i in 0..xs.len() {
            for l in i + 1..xs.len() {
                mono += corr(&xs[i], &xs[l]).abs();
                m += 1;
            }
        }
        let h = a
            .htmt_all
            .iter()
            .find(|h| h.a == c.name && h.b == "SAT")
            .unwrap();
        assert_eq!(h.basis, HtmtBasis::SingleItem);
        close(
            h.value.unwrap(),
            het / (mono / m as f64).sqrt(),
            1e-10,
            &format!("HTMT {}-SAT", c.name),
        );
    }
    // The single item's VIF is 1.
    let v = a
        .vif_indicators
        .iter()
        .find(|v| v.indicator == "sat")
        .unwrap();
    assert_eq!(v.value, 1.0);
    // f² of REL → SAT by re-estimation.
    let reduced = Model::from_syntax(
        "TAN =~ a01 + a02 + a03 + a04
RES =~ a10 + a11 + a12 + a13
ASS =~ a14 + a15 + a16 + a17
EMP =~ a18 + a19 + a20 + a21 + a22
SAT =~ sat
SAT ~ TAN + RES + ASS + EMP
",
    )
    .unwrap();
    let r2_excl = tight(&reduced, &data)
        .construct("SAT")
        .unwrap()
        .r_squared
        .unwrap();
    let r2_incl = fit.construct("SAT").unwrap().r_squared.unwrap();
    let got = a
        .f_squared_reestimated
        .iter()
        .find(|f| f.from == "REL")
        .unwrap()
        .value
        .unwrap();
    close(got, (r2_incl - r2_excl) / (1.0 - r2_incl), 1e-9, "f² REL");
    // SAT's block is one item: its weights cannot move, so re-estimation only
    // changes the other blocks' weights; the two conventions stay close here.
    let scores = fit
        .f_squared
        .iter()
        .find(|f| f.from == "REL")
        .unwrap()
        .value;
    assert!((got - scores).abs() < 0.01, "{got} vs {scores}");
}

/// With an interaction term (product indicators): f² of the interaction by
/// re-estimation equals the one from fitting the model written without it
/// (its construct is left without paths and drops out), Cohen's (1988)
/// effect size of the moderation as Henseler & Chin (2010) use it.
#[test]
fn f_squared_reestimated_of_an_interaction_term() {
    let data = satisfaction();
    let blocks = "QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
VAL =~ val1 + val2 + val3 + val4
SAT =~ sat1 + sat2 + sat3 + sat4
LOY =~ loy1 + loy2 + loy3 + loy4
LOY ~ SAT
";
    let with = Model::from_syntax(&format!("{blocks}SAT ~ QUAL + VAL + QUAL:VAL\n")).unwrap();
    let without = Model::from_syntax(&format!("{blocks}SAT ~ QUAL + VAL\n")).unwrap();
    let fit = tight(&with, &data);
    let r2_incl = fit.construct("SAT").unwrap().r_squared.unwrap();
    let r2_excl = tight(&without, &data)
        .construct("SAT")
        .unwrap()
        .r_squared
        .unwrap();
    let re = fit.f_squared_by(FSquared::Reestimated);
    let f2 = re
        .iter()
        .find(|f| f.from == "QUAL:VAL" && f.to == "SAT")
        .unwrap()
        .value
        .unwrap();
    close(
        f2,
        (r2_incl - r2_excl) / (1.0 - r2_incl),
        1e-9,
        "f² QUAL:VAL",
    );
    // Every path has a value.
    assert!(re.iter().all(|f| f.value.is_some_and(f64::is_finite)));
}

/// Q² does not depend on the units of a block: the same affine change of
/// every indicator of EXPE (x → 2.5·x + 3) scales SSE and SSO alike, under
/// both rescaling rules; and a prepared estimation gives the one-shot numbers.
#[test]
fn blindfolding_is_invariant_to_the_units_of_a_block() {
    let data = satisfaction();
    let model = satisfaction_model(Mode::A);
    let pls = Pls::new(&model);
    let names: Vec<String> = model.indicators().map(str::to_string).collect();
    let cols: Vec<(String, Vec<f64>)> = names
        .iter()
        .map(|c| {
            let x = data.numeric(c).unwrap();
            let v = if c.starts_with("expe") {
                x.iter().map(|v| 2.5 * v + 3.0).collect()
            } else {
                x.to_vec()
            };
            (c.clone(), v)
        })
        .collect();
    let scaled = Dataset::from_columns(cols).unwrap();
    for scale in [Q2Scale::Observed, Q2Scale::MeanReplaced] {
        let a = pls.blindfolding_by(&data, Some(7), scale).unwrap();
        let b = pls.blindfolding_by(&scaled, Some(7), scale).unwrap();
        let est = pls.estimation(&data).unwrap();
        assert_eq!(est.blindfolding_by(Some(7), scale).unwrap(), a);
        let (ea, eb) = (&a.constructs[0], &b.constructs[0]);
        assert_eq!(ea.construct, "EXPE");
        close(eb.sse, 6.25 * ea.sse, 1e-8 * ea.sse, "SSE scales by 2.5²");
        for (x, y) in a.constructs.iter().zip(&b.constructs) {
            close(x.q2, y.q2, 1e-10, &format!("Q² {} {scale:?}", x.construct));
        }
    }
}
