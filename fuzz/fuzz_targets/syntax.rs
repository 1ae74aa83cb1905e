//! Model syntax: any text parses to a model or a typed error, and a parsed
//! model survives a round trip through its own syntax.
#![no_main]

use csikit::Model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(model) = Model::from_syntax(text) {
        let again = Model::from_syntax(&model.to_syntax()).expect("round trip parses");
        assert_eq!(again, model);
    }
});
