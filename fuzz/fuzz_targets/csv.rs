//! CSV loader: any bytes load to a data set or a typed error; every column of
//! a loaded data set can be read as numbers or labels without a panic.
#![no_main]

use csikit::{CsvOptions, Dataset};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = CsvOptions::default().na("-99");
    if let Ok(d) = Dataset::from_reader(data, &options) {
        for name in d.names() {
            let _ = d.numeric(name);
            let _ = d.labels(name);
        }
    }
});
