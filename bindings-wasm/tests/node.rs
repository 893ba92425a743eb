//! The JS API in Node (wasm-bindgen-test's default engine).
#![cfg(target_arch = "wasm32")]
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

mod common;

all_shared_tests!();

#[wasm_bindgen_test::wasm_bindgen_test]
fn runs_in_node() {
    let process = js_sys::Reflect::get(&js_sys::global(), &"process".into()).unwrap();
    assert!(process.is_object(), "this suite must run in Node");
}
