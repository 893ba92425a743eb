//! The "points to gain" part of `chiso score766`'s table and Markdown: for each unit, the metrics
//! that lost points, cheapest first (the order of `chiso::score766::points_to_gain`), with the
//! additional numerator units that gain the next whole point and the maximum.

use std::fmt::Write as _;

use chiso::labels::{Lang, MetricLabel, Word, fill};
use chiso::score766::{MetricScore, Scorecard, UnitScore, points_to_gain};

/// Points without decimals when whole (`18`), else with two (`16.50`).
fn whole(h: chiso::exact::Hundredths) -> String {
    if h.0 % 100 == 0 { (h.0 / 100).to_string() } else { h.to_string() }
}

/// A count of units, or a dash with the reason in words when there is none to move.
fn count(k: Option<u64>, lang: Lang) -> String {
    k.map_or_else(|| format!("— ({})", Word::NoCountToGain.get(lang)), |k| format!("+{k}"))
}

/// One line of a unit's list: metric, score / max, lost, units for the next point, units to max.
fn cells(m: &MetricScore, lang: Lang) -> [String; 5] {
    let label =
        MetricLabel::from_key(&m.code).map_or_else(|| m.code.clone(), |l| format!("{} ({})", l.get(lang), m.code));
    let (lost, next, to_max) = m.gain.map_or((String::new(), String::new(), String::new()), |g| {
        (
            g.lost.to_string(),
            count(g.next_point, lang),
            if g.next_point.is_some() { count(g.to_max, lang) } else { "—".to_owned() },
        )
    });
    [label, format!("{} / {}", m.score, whole(m.max)), lost, next, to_max]
}

fn unit_label(u: &UnitScore) -> String {
    match &u.name {
        Some(n) if *n != u.unit => format!("{n} ({})", u.unit),
        _ => u.unit.clone(),
    }
}

fn header(lang: Lang) -> [String; 5] {
    [Word::Metric, Word::Points, Word::PointsLost, Word::UnitsNextPoint, Word::UnitsToMax]
        .map(|w| w.get(lang).to_owned())
}

/// The section for every unit of `card`, after the scorecard's table (`markdown`: as Markdown).
pub fn section(card: &Scorecard, markdown: bool, lang: Lang) -> String {
    let mut out = String::new();
    if card.units.is_empty() {
        return out;
    }
    let note = Word::GainNote.get(lang);
    if markdown {
        let _ = writeln!(out, "\n## {}\n\n{note}", Word::PointsToGain.get(lang));
    } else {
        let _ = writeln!(out, "\n{}\n{note}", Word::PointsToGain.get(lang));
    }
    for u in &card.units {
        let rows: Vec<[String; 5]> = points_to_gain(u).into_iter().map(|m| cells(m, lang)).collect();
        let heading = fill(Word::PointsToGainOf.get(lang), &[("unit", &unit_label(u))]);
        if markdown {
            let _ = writeln!(out, "\n### {}\n", heading.replace('|', "\\|"));
            write_markdown(&mut out, &rows, lang);
        } else {
            let _ = writeln!(out, "\n{heading}");
            write_columns(&mut out, &rows, lang);
        }
    }
    out
}

fn write_markdown(out: &mut String, rows: &[[String; 5]], lang: Lang) {
    if rows.is_empty() {
        let _ = writeln!(out, "{}", Word::NothingToGain.get(lang));
        return;
    }
    let _ = writeln!(out, "| {} |\n|---|---:|---:|---:|---:|", header(lang).join(" | "));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

fn write_columns(out: &mut String, rows: &[[String; 5]], lang: Lang) {
    if rows.is_empty() {
        let _ = writeln!(out, "  {}", Word::NothingToGain.get(lang));
        return;
    }
    let head = header(lang);
    let widths = crate::report::column_widths(&head, rows);
    for r in std::iter::once(&head).chain(rows) {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                let pad = " ".repeat(w.saturating_sub(c.chars().count()));
                if i == 0 { format!("{c}{pad}") } else { format!("{pad}{c}") }
            })
            .collect();
        let _ = writeln!(out, "  {}", line.join("  ").trim_end());
    }
}
