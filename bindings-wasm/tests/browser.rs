//! The JS API in headless Chromium (through chromedriver).
#![cfg(target_arch = "wasm32")]
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

mod common;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

all_shared_tests!();

/// Proves the browser suite really ran in Chromium: a skipped suite would print `0 passed`.
#[wasm_bindgen_test::wasm_bindgen_test]
fn runs_in_headless_chromium() {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).unwrap();
    let agent = js_sys::Reflect::get(&navigator, &"userAgent".into()).unwrap().as_string().unwrap();
    assert!(agent.contains("HeadlessChrome"), "{agent}");
}
