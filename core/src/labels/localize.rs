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

#[cfg(test)]
mod tests {
    use super::*;

    /// Sample values for a template's placeholders, in English and in `lang`: a `{reason}` holds a
    /// reason of the catalogue and an `{action}` an action, as the readers and the session fill them.
    fn samples(template: &str, plain: &str, lang: Lang) -> Vec<(String, String)> {
        parts(template)
            .into_iter()
            .filter_map(|p| if let Part::Hole(n) = p { Some(n) } else { None })
            .enumerate()
            .map(|(i, name)| match name {
                "reason" => (RejectionText::Empty.get(Lang::En).to_owned(), RejectionText::Empty.get(lang).to_owned()),
                "action" => (ErrorText::Merging.get(Lang::En).to_owned(), ErrorText::Merging.get(lang).to_owned()),
                _ => (format!("{plain}{i}"), format!("{plain}{i}")),
            })
            .collect()
    }

    fn filled(template: &str, names: &[&str], values: &[String]) -> String {
        let pairs: Vec<(&str, &dyn std::fmt::Display)> =
            names.iter().zip(values).map(|(n, v)| (*n, v as &dyn std::fmt::Display)).collect();
        fill(template, &pairs)
    }

    fn holes(template: &str) -> Vec<&str> {
        parts(template).into_iter().filter_map(|p| if let Part::Hole(n) = p { Some(n) } else { None }).collect()
    }

    /// Values of the shapes the readers put in: numbers, codes, dates, periods, quoted text.
    const PLAIN: [&str; 5] = ["7", "u-01 x", "2026-07", "`a`b", "Phường 1"];

    #[test]
    fn every_template_round_trips() {
        for t in templates() {
            let names = holes(t.en);
            for plain in PLAIN {
                let (en, vi): (Vec<String>, Vec<String>) = samples(t.en, plain, Lang::Vi).into_iter().unzip();
                let english = filled(t.en, &names, &en);
                assert_eq!(localize(&english, Lang::Vi), filled(t.vi, &names, &vi), "{t:?} with {plain}");
                assert_eq!(localize(&english, Lang::En), english);
            }
        }
    }

    #[test]
    fn no_two_templates_claim_the_same_text() {
        for t in templates() {
            let names = holes(t.en);
            for plain in PLAIN {
                let en: Vec<String> = samples(t.en, plain, Lang::En).into_iter().map(|(e, _)| e).collect();
                let text = filled(t.en, &names, &en);
                let mine = specificity(&parts(t.en));
                let rivals: Vec<&str> = templates()
                    .filter(|o| o.en != t.en && specificity(&parts(o.en)) >= mine)
                    .filter(|o| capture(&parts(o.en), &text).is_some())
                    .map(|o| o.en)
                    .collect();
                assert!(rivals.is_empty(), "`{text}` ({}) is also claimed by {rivals:?}", t.en);
            }
        }
    }

    #[test]
    fn templates_are_well_formed_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for t in templates() {
            assert!(seen.insert(t.en), "English text given twice: {}", t.en);
            let p = parts(t.en);
            assert!(!p.windows(2).any(|w| matches!(w, [Part::Hole(_), Part::Hole(_)])), "{}", t.en);
            for name in holes(t.en) {
                assert!(!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{}", t.en);
            }
            let mut en = holes(t.en);
            let mut vi = holes(t.vi);
            en.sort_unstable();
            vi.sort_unstable();
            assert_eq!(en, vi, "{t:?}");
            assert!(!p.iter().all(|x| matches!(x, Part::Hole(_))), "a bare placeholder matches anything: {}", t.en);
        }
    }

    #[test]
    fn nested_reasons_and_unknown_text() {
        let inner = RejectionText::NegativeValue.en(&[("value", &-3)]);
        let outer = RejectionText::UnitReason
            .en(&[("unit", &"X1"), ("reason", &RejectionText::NumeratorReason.en(&[("reason", &inner)]))]);
        assert_eq!(outer, "unit `X1`: numerator `-3` is negative");
        assert_eq!(localize(&outer, Lang::Vi), "đơn vị `X1`: tử số `-3` là số âm");
        // The most specific template wins over `numerator {reason}`.
        let above = RejectionText::NumeratorAbove.en(&[("numerator", &5), ("denominator", &3)]);
        assert_eq!(localize(&above, Lang::Vi), "tử số 5 lớn hơn mẫu số 3");
        assert_eq!(
            localize("No such file or directory (os error 2)", Lang::Vi),
            "No such file or directory (os error 2)"
        );
        assert_eq!(
            localize("invalid type: string \"x\", expected u64", Lang::Vi),
            "sai kiểu: có string \"x\", cần u64"
        );
        assert!(matches!(localize("", Lang::Vi), Cow::Borrowed("")));
        assert_eq!(localize("7 is above the denominator 5", Lang::Vi), "7 lớn hơn mẫu số 5");
    }

    #[test]
    fn a_long_value_is_matched_in_one_pass() {
        let value = "`".repeat(60_000);
        let text = RejectionText::NotCount.en(&[("value", &value)]);
        assert_eq!(localize(&text, Lang::Vi), RejectionText::NotCount.text().vi.replace("{value}", &value));
    }
}
