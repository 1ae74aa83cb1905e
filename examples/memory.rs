//! Peak memory of a large fit: generates N rows × 30 indicators (default
//! 1 000 000; the 27 satisfaction indicators resampled with noise plus a
//! three-indicator complaints block, built column by column without copies),
//! fits the ECSI model with complaints, and prints the data's own size and the
//! process's peak resident set size (Linux `VmHWM`). The README states the
//! budget: peak RSS ≤ 1.5 × the data's size.
//!
//! `cargo run --release --example memory -- [ROWS]`

use std::time::Instant;

use csikit::{Dataset, Model, Pls};

fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(Ok(1_000_000), |s| s.parse())?;
    let base = Dataset::from_csv(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/satisfaction.csv"
    ))?;
    let names: Vec<String> = base
        .names()
        .iter()
        .filter(|c| *c != "gender")
        .cloned()
        .collect();
    // A 64-bit LCG (Knuth's MMIX constants): the row stream restarts for every
    // column so that each generated row copies one satisfaction row; the noise
    // stream runs on.
    let lcg = |state: &mut u64| {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *state >> 11
    };
    let mut noise = 42_u64;
    let mut cols = Vec::with_capacity(names.len());
    for name in &names {
        let src = base.numeric(name)?;
        let mut rows = 0x9E37_79B9_7F4A_7C15_u64;
        let col: Vec<f64> = (0..n)
            .map(|_| {
                src[(lcg(&mut rows) % 250) as usize]
                    + (lcg(&mut noise) as f64) / (1u64 << 53) as f64
                    - 0.5
            })
            .collect();
        cols.push((name.clone(), col));
    }
    // Three complaint indicators driven by satisfaction (the row's mean sat
    // answer, reversed) plus noise: 30 indicators in all.
    let sat_mean: Vec<f64> = (0..n)
        .map(|r| {
            (1..=4)
                .map(|i| cols[names.len() - 8 + i - 1].1[r])
                .sum::<f64>()
                / 4.0
        })
        .collect();
    for i in 1..=3 {
        let col: Vec<f64> = sat_mean
            .iter()
            .map(|s| 11.0 - s + 2.0 * ((lcg(&mut noise) as f64) / (1u64 << 53) as f64 - 0.5))
            .collect();
        cols.push((format!("comp{i}"), col));
    }
    drop(sat_mean);
    let n_indicators = cols.len();
    let data = Dataset::from_columns(cols)?;
    let data_bytes = (n * n_indicators * 8) as u64;
    let before = peak_rss_bytes().unwrap_or(0);
    let model = Model::from_syntax(
        "IMAG =~ imag1 + imag2 + imag3 + imag4 + imag5
         EXPE =~ expe1 + expe2 + expe3 + expe4 + expe5
         QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
         VAL  =~ val1 + val2 + val3 + val4
         SAT  =~ sat1 + sat2 + sat3 + sat4
         LOY  =~ loy1 + loy2 + loy3 + loy4
         COMP =~ comp1 + comp2 + comp3
         EXPE ~ IMAG
         QUAL ~ EXPE
         VAL  ~ EXPE + QUAL
         SAT  ~ IMAG + EXPE + QUAL + VAL
         COMP ~ SAT
         LOY  ~ IMAG + SAT + COMP",
    )?;
    let start = Instant::now();
    let fit = Pls::new(&model).fit(&data)?;
    let elapsed = start.elapsed();
    let after = peak_rss_bytes().unwrap_or(0);
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!("rows: {n}, indicators: {n_indicators}");
    println!("data size: {:.1} MiB", mib(data_bytes));
    println!("peak RSS after generating the data: {:.1} MiB", mib(before));
    println!(
        "peak RSS after the fit: {:.1} MiB ({:.2}x the data)",
        mib(after),
        after as f64 / data_bytes as f64
    );
    println!(
        "fit time: {:.1} ms, iterations {}, SAT R2 {:.4}",
        elapsed.as_secs_f64() * 1e3,
        fit.iterations,
        fit.construct("SAT")
            .and_then(|c| c.r_squared)
            .unwrap_or(f64::NAN)
    );
    Ok(())
}
