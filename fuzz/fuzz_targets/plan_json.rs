//! Arbitrary bytes as a plan JSON file, then an evaluation of the sample observations with it
//! (the one call the CLI, libchiso and the WASM package make): no panic.
#![no_main]

use chiso::api::{EvaluateRequest, SourceNames, evaluate_request};
use chiso::evaluate::Options;
use libfuzzer_sys::fuzz_target;

const UNITS: &str = "id,name,parent,level\ntinh,T,,province\nxa-a,A,tinh,commune\nxa-b,B,tinh,commune\n";
const OBSERVATIONS: &str = "unit,indicator,period,numerator,denominator,kind\nxa-a,staff_informed,2025,3,4,\nxa-b,staff_informed,2025-Q3,1,4,sample\nxa-a,x,2025,1,1,\n";

fuzz_target!(|data: &[u8]| {
    let Ok(as_of) = chiso::api::parse_as_of("2025-12-31") else { return };
    let options = Options::new(as_of);
    for units in [Some(UNITS.as_bytes()), None] {
        let request = EvaluateRequest {
            plan_json: Some(data),
            units_csv: units,
            observations: OBSERVATIONS.as_bytes(),
            observations_are_json: false,
            names: SourceNames::default(),
            strict: false,
        };
        let _ = evaluate_request(&request, &options);
    }
});
