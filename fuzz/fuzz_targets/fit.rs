//! Estimation: the bytes are split at the first NUL into a model (syntax) and
//! CSV data; a fit either fails with a typed error or returns finite estimates.
#![no_main]

use csikit::{CsvOptions, Dataset, Model, Pls};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(split) = data.iter().position(|&b| b == 0) else {
        return;
    };
    let (Ok(syntax), csv) = (std::str::from_utf8(&data[..split]), &data[split + 1..]) else {
        return;
    };
    let (Ok(model), Ok(d)) = (
        Model::from_syntax(syntax),
        Dataset::from_reader(csv, &CsvOptions::default()),
    ) else {
        return;
    };
    if let Ok(fit) = Pls::new(&model).max_iter(100).fit(&d) {
        assert!(fit.converged);
        for o in &fit.outer {
            assert!(o.weight.is_finite() && o.loading.is_finite());
        }
        for p in &fit.paths {
            assert!(p.estimate.is_finite());
        }
        let _ = fit.assess();
    }
});
