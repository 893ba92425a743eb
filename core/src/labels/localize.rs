//! English messages back into their catalogue entry, and out in another language.
//!
//! A rejection's `reason` and an error's message are English text in JSON, in C and in JS (a
//! contract), so a front end that shows them in Vietnamese cannot carry a key beside them. Instead
//! the text is matched against the English templates of [`RejectionText`] and [`ErrorText`]: the
//! literal parts must appear in order and cover the whole text, each placeholder takes the
//! non-empty text between them. When several templates match, the one with the most literal
//! text wins (`numerator {numerator} is above denominator {denominator}` over
//! `numerator {reason}`); a test checks that no two templates tie on any text they produce. The
//! values are put into the template of the asked language; a `{reason}` or `{action}` value is
//! itself localised. A text that matches no template (a JSON parser's message, an operating
//! system's) passes through unchanged.

use std::borrow::Cow;

use super::{ErrorText, Lang, RejectionText, fill};

/// A part of a template: literal text or a placeholder's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part<'a> {
    Literal(&'a str),
    Hole(&'a str),
}

/// The parts of a template, as [`fill`] reads it: `{name}` is a placeholder.
pub(super) fn parts(template: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        let Some((name, tail)) = after.split_once('}') else { break };
        if !before.is_empty() {
            out.push(Part::Literal(before));
        }
        out.push(Part::Hole(name));
        rest = tail;
    }
    if !rest.is_empty() {
        out.push(Part::Literal(rest));
    }
    out
}

/// The placeholders' values when `text` matches `parts`, in the order of the holes.
pub(super) fn capture<'t>(parts: &[Part<'_>], text: &'t str) -> Option<Vec<&'t str>> {
    let mut values = Vec::new();
    capture_into(parts, text, &mut values).then_some(values)
}

fn capture_into<'t>(parts: &[Part<'_>], text: &'t str, values: &mut Vec<&'t str>) -> bool {
    match parts {
        [] => text.is_empty(),
        [Part::Literal(l), rest @ ..] => text.strip_prefix(l).is_some_and(|t| capture_into(rest, t, values)),
        [Part::Hole(_)] => {
            values.push(text);
            !text.is_empty()
        }
        // The last literal anchors at the end: one place to try, whatever the value holds.
        [Part::Hole(_), Part::Literal(l)] => match text.strip_suffix(l) {
            Some(value) if !value.is_empty() => {
                values.push(value);
                true
            }
            _ => false,
        },
        [Part::Hole(_), Part::Literal(l), rest @ ..] => {
            let kept = values.len();
            let mut from = 1;
            while let Some(at) = text.get(from..).and_then(|t| t.find(l)).map(|i| i + from) {
                let (value, tail) = text.split_at(at);
                values.push(value);
                if capture_into(rest, tail.get(l.len()..).unwrap_or_default(), values) {
                    return true;
                }
                values.truncate(kept);
                from = at + 1;
                while !text.is_char_boundary(from) {
                    from += 1;
                }
            }
            false
        }
        // Two placeholders side by side cannot be told apart; no template has them (tested).
        [Part::Hole(_), Part::Hole(_), ..] => false,
    }
}

/// Every template that [`localize`] knows: (English, the text in each language).
pub(super) fn templates() -> impl Iterator<Item = super::Text> {
    RejectionText::ALL.iter().map(|r| r.text()).chain(ErrorText::ALL.iter().map(|e| e.text()))
}

/// The literal length of a template: how specific a match with it is.
pub(super) fn specificity(parts: &[Part<'_>]) -> usize {
    parts.iter().map(|p| if let Part::Literal(l) = p { l.len() } else { 0 }).sum()
}

/// `text`, an English message of the catalogue (a rejection's `reason`, an error's message), in
/// `lang`; a text the catalogue does not know is returned unchanged.
#[must_use]
pub fn localize(text: &str, lang: Lang) -> Cow<'_, str> {
    if lang == Lang::En || text.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut best: Option<(usize, super::Text, Vec<&str>)> = None;
    for template in templates() {
        let p = parts(template.en);
        let score = specificity(&p);
        if best.as_ref().is_some_and(|(s, ..)| *s >= score) {
            continue;
        }
        if let Some(values) = capture(&p, text) {
            best = Some((score, template, values));
        }
    }
    let Some((_, template, values)) = best else { return Cow::Borrowed(text) };
    let names = parts(template.en).into_iter().filter_map(|p| if let Part::Hole(n) = p { Some(n) } else { None });
    let localized: Vec<(&str, Cow<'_, str>)> = names
        .zip(values)
        .map(|(name, value)| match name {
            "reason" | "action" => (name, localize(value, lang)),
            _ => (name, Cow::Borrowed(value)),
        })
        .collect();
    let pairs: Vec<(&str, &dyn std::fmt::Display)> =
        localized.iter().map(|(n, v)| (*n, v as &dyn std::fmt::Display)).collect();
    Cow::Owned(fill(template.get(lang), &pairs))
}
