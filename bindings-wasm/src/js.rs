//! Reading arguments out of JS values.

use js_sys::{Array, ArrayBuffer, JSON, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Failure;

/// The property `name` of `object`, or `None` when it is `undefined` or `null`.
pub fn field(object: &JsValue, name: &str) -> Result<Option<JsValue>, Failure> {
    if !object.is_object() {
        return Err(Failure::argument("the argument must be an object"));
    }
    let value = Reflect::get(object, &JsValue::from_str(name))
        .map_err(|_| Failure::argument(format!("cannot read `{name}`")))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// The bytes of a string (UTF-8), a `Uint8Array` or an `ArrayBuffer`; with `json_objects`, any
/// other object is serialised with `JSON.stringify`.
pub fn bytes(value: &JsValue, name: &str, json_objects: bool) -> Result<Vec<u8>, Failure> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(array.to_vec());
    }
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        return Ok(Uint8Array::new(buffer).to_vec());
    }
    if json_objects && value.is_object() {
        let text = JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| Failure::argument(format!("`{name}` cannot be written as JSON")))?;
        return Ok(text.into_bytes());
    }
    Err(Failure::argument(format!("`{name}` must be a string or a Uint8Array")))
}

/// An optional byte field.
pub fn bytes_field(object: &JsValue, name: &str, json_objects: bool) -> Result<Option<Vec<u8>>, Failure> {
    field(object, name)?.map(|v| bytes(&v, name, json_objects)).transpose()
}

/// An optional string field.
pub fn string_field(object: &JsValue, name: &str) -> Result<Option<String>, Failure> {
    field(object, name)?
        .map(|v| v.as_string().ok_or_else(|| Failure::argument(format!("`{name}` must be a string"))))
        .transpose()
}

/// An optional boolean field (absent = false).
pub fn bool_field(object: &JsValue, name: &str) -> Result<bool, Failure> {
    field(object, name)?
        .map_or(Ok(false), |v| v.as_bool().ok_or_else(|| Failure::argument(format!("`{name}` must be a boolean"))))
}

/// An optional non-negative integer field.
pub fn count_field(object: &JsValue, name: &str) -> Result<Option<u64>, Failure> {
    field(object, name)?
        .map(|v| {
            v.as_f64()
                .filter(|n| n.is_finite() && *n >= 0.0 && n.fract() == 0.0 && *n <= 9_007_199_254_740_991.0)
                .map(|n| {
                    #[expect(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "checked above: a non-negative safe integer"
                    )]
                    let count = n as u64;
                    count
                })
                .ok_or_else(|| Failure::argument(format!("`{name}` must be a non-negative integer")))
        })
        .transpose()
}

/// Parses JSON produced by the core into a JS value (so JS sees exactly the CLI's document).
pub fn parse_json(text: &str) -> Result<JsValue, Failure> {
    JSON::parse(text).map_err(|_| Failure::internal("the result is not valid JSON"))
}

/// Today's date in Vietnam (UTC+7) from the JS clock: the core has no clock, and
/// wasm32-unknown-unknown has no system clock.
#[must_use]
pub fn today_in_vietnam() -> chiso::date::Date {
    #[expect(clippy::cast_possible_truncation, reason = "milliseconds since 1970 fit in i64 for ages")]
    let seconds = (js_sys::Date::now() / 1000.0).floor() as i64;
    chiso::date::Instant(seconds).local_date()
}

/// The portal's responses: an object `{ endpoint: json }`, or an array of `[endpoint, json]` pairs
/// or `{ endpoint, json }` objects; each `json` a string, bytes or the parsed object.
pub fn portal_files(value: &JsValue) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let pair = |endpoint: JsValue, json: &JsValue, at: &str| -> Result<(String, Vec<u8>), Failure> {
        let endpoint =
            endpoint.as_string().ok_or_else(|| Failure::argument(format!("`{at}.endpoint` must be a string")))?;
        let json = bytes(json, &format!("{at}.json"), true)?;
        Ok((endpoint, json))
    };
    if Array::is_array(value) {
        return Array::from(value)
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let at = format!("files[{i}]");
                if Array::is_array(&item) {
                    let item = Array::from(&item);
                    pair(item.get(0), &item.get(1), &at)
                } else {
                    let endpoint = field(&item, "endpoint")?.unwrap_or(JsValue::UNDEFINED);
                    let json = field(&item, "json")?.unwrap_or(JsValue::UNDEFINED);
                    pair(endpoint, &json, &at)
                }
            })
            .collect();
    }
    if !value.is_object() {
        return Err(Failure::argument("`files` must be an object { endpoint: json } or an array"));
    }
    Object::entries(value.unchecked_ref())
        .iter()
        .map(|entry| {
            let entry = Array::from(&entry);
            let endpoint = entry.get(0);
            let at = format!("files.{}", endpoint.as_string().unwrap_or_default());
            pair(endpoint, &entry.get(1), &at)
        })
        .collect()
}
