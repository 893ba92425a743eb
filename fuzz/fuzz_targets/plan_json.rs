//! Arbitrary bytes as a plan JSON file, then an evaluation of the sample observations with it
//! (the one call the CLI, libchiso and the WASM package make): no panic.
#![no_main]

use chiso::api::{EvaluateRequest, evaluate};
use chiso::date::Date;
use libfuzzer_sys::fuzz_target;

const UNITS: &str = "id,name,parent,level\ntinh,T,,province\nxa-a,A,tinh,commune\nxa-b,B,tinh,commune\n";
const OBSERVATIONS: &str = "unit,indicator,period,numerator,denominator,kind\nxa-a,staff_informed,2025,3,4,\nxa-b,staff_informed,2025-Q3,1,4,sample\nxa-a,x,2025,1,1,\n";

fuzz_target!(|data: &[u8]| {
    for units in [Some(UNITS.as_bytes()), None] {
        let request = EvaluateRequest {
            plan_json: Some(data),
            units_csv: units.map(|u| Box::new(u) as Box<dyn std::io::Read>),
            as_of: Some("2025-12-31"),
            ..EvaluateRequest::new(OBSERVATIONS.as_bytes())
        };
        let _ = evaluate(request, || Date::from_days_since_epoch(0));
    }
});
