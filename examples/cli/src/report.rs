//! Human-readable reports of an evaluation: a terminal table (coloured on a terminal), Markdown,
//! and CSV for Excel. Every word comes from the core's label catalogue (`chiso::labels`); the JSON
//! form is the core's own (`Evaluation::write_json`), not this module.

use std::fmt::Write as _;

use chiso::evaluate::{EvalResult, Evaluation, Status, ValueSource};
use chiso::labels::{Lang, Word, fill};
use chiso::plan::{Comparison, Plan};
use chiso::tabular::write::{Cell, CsvWriter};
use chiso::units::UnitTree;

/// The ANSI colour of a status on a terminal.
#[must_use]
pub const fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Met | Status::MetEarly => "\x1b[32m",
        Status::OnTrack => "\x1b[36m",
        Status::AtRisk | Status::InProgress => "\x1b[33m",
        Status::NotMet | Status::OffTrack | Status::Invalid => "\x1b[31m",
        Status::InsufficientData | Status::NoData => "\x1b[90m",
    }
}

/// Report settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Language.
    pub lang: Lang,
    /// ANSI colours (a terminal).
    pub colour: bool,
}

/// The columns of the table and the Markdown, in order.
pub(crate) const COLUMNS: [Word; 9] = [
    Word::Indicator,
    Word::Period,
    Word::Value,
    Word::Ratio,
    Word::Target,
    Word::Status,
    Word::Gap,
    Word::Deadline,
    Word::Note,
];

fn target_text(r: &EvalResult, lang: Lang) -> String {
    let improves = Word::Improves.get(lang);
    match (r.comparison, r.threshold) {
        (Comparison::Improves, Some(t)) => format!("> {t} % ({improves})"),
        (Comparison::Improves, None) => improves.to_owned(),
        (c, Some(t)) => format!("{} {t} %", c.as_str().replace(">=", "≥").replace("<=", "≤")),
        (c, None) => c.as_str().to_owned(),
    }
}

fn notes(r: &EvalResult, lang: Lang) -> String {
    let word = |w: Word| w.get(lang);
    let mut notes = Vec::new();
    if let Some(p) = &r.projection {
        notes.push(format!(
            "{} {} {} % ({}, {} {})",
            word(Word::Projected),
            p.target_year,
            p.projected_percent,
            p.method.as_str(),
            p.points,
            word(Word::PointsWord)
        ));
    }
    if let (Some(p), Some(den)) = (&r.pro_rata, r.denominator) {
        notes.push(fill(
            word(Word::ProRataNote),
            &[
                ("elapsed", &p.elapsed_days),
                ("days", &p.period_days),
                ("expected", &p.expected_numerator),
                ("denominator", &den),
            ],
        ));
    }
    if let Some([lo, hi]) = r.ci {
        notes.push(format!("CI95 {lo}–{hi} % ({})", r.confidence.label().get(lang)));
    }
    if let Some(src) = &r.threshold_source {
        notes.push(format!("{} {src}", word(Word::SetBy)));
    }
    if r.rolled_up {
        notes.push(word(Word::RolledUp).to_owned());
    }
    if let Some(text) = source_text(r, lang) {
        notes.push(text);
    }
    if let (Some(rank), Some(of)) = (r.rank, r.ranked_of) {
        if of > 1 {
            notes.push(format!("{} {rank}/{of}", word(Word::RankWord)));
        }
    }
    if let Some(note) = r.note {
        notes.push(note.text(lang));
    } else if let Some(reason) = &r.reason {
        notes.push(reason.clone());
    }
    notes.join("; ")
}

/// Where a value came from, in words: said only when records contributed (typed is the default
/// a reader assumes).
pub(crate) fn source_text(r: &EvalResult, lang: Lang) -> Option<String> {
    let source = r.source.filter(|s| *s != ValueSource::Typed)?;
    Some(source.describe(r.rule.as_deref().unwrap_or_default(), lang))
}

pub(crate) fn cells(r: &EvalResult, plan: &Plan, lang: Lang) -> [String; 9] {
    let label = plan.indicator(&r.indicator).map_or_else(|| r.indicator.clone(), |i| i.label.get(lang).to_owned());
    let value = r.percent.map_or_else(|| "—".to_owned(), |p| format!("{p} %"));
    let ratio = match (r.numerator, r.denominator) {
        (Some(n), Some(d)) => format!("{n}/{d}"),
        _ => "—".to_owned(),
    };
    [
        label,
        r.period.to_string(),
        value,
        ratio,
        target_text(r, lang),
        r.status.label().get(lang).to_owned(),
        r.gap.map_or_else(|| "—".to_owned(), |g| g.to_string()),
        r.deadline.to_string(),
        notes(r, lang),
    ]
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// The width of each column of a text table (in characters): the widest of its header cell and
/// its cells. One place for every aligned table the command prints.
pub fn column_widths<R: AsRef<[String]>>(header: &[String], rows: &[R]) -> Vec<usize> {
    (0..header.len())
        .map(|i| {
            let cells = rows.iter().filter_map(|r| r.as_ref().get(i)).chain(header.get(i));
            cells.map(|c| width(c)).max().unwrap_or(0)
        })
        .collect()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

fn grouped<'a>(evaluation: &'a Evaluation, units: &UnitTree) -> Vec<(String, Vec<&'a EvalResult>)> {
    let mut groups: Vec<(String, Vec<&EvalResult>)> = Vec::new();
    for r in &evaluation.results {
        match groups.last_mut() {
            Some((u, list)) if *u == r.unit => list.push(r),
            _ => groups.push((r.unit.clone(), vec![r])),
        }
    }
    for (id, _) in &mut groups {
        if let Some(u) = units.index(id).and_then(|i| units.unit(i)) {
            *id = format!("{} ({})", u.name, u.id);
        }
    }
    groups
}

/// Which columns of a results table hold the indicator's label (cut at 48 characters) and the
/// status (coloured); the last column, the notes, is never padded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns {
    pub label: usize,
    pub status: usize,
}

/// The unit tables: the indicator's label first, the status sixth.
const UNIT_COLUMNS: Columns = Columns { label: 0, status: 5 };

/// Rows of a terminal table of results.
pub(crate) fn table_rows<R: AsRef<[String]>>(
    out: &mut String,
    rows: &[(R, Status)],
    header: &[&str],
    at: Columns,
    style: Style,
) {
    let last = header.len().saturating_sub(1);
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for (row, _) in rows {
        for (i, c) in row.as_ref().iter().enumerate().take(last) {
            if let Some(wd) = widths.get_mut(i) {
                *wd = (*wd).max(width(c)).min(if i == at.label { 48 } else { 40 });
            }
        }
    }
    let reset = if style.colour { "\x1b[0m" } else { "" };
    let line: Vec<String> = header.iter().zip(&widths).map(|(h, wd)| pad(h, *wd)).collect();
    let _ = writeln!(out, "  {}", line.join("  ").trim_end());
    for (row, status) in rows {
        let mut parts = Vec::with_capacity(header.len());
        for (i, c) in row.as_ref().iter().enumerate() {
            let wd = widths.get(i).copied().unwrap_or(0);
            let mut text = if i == at.label && width(c) > wd {
                format!("{}…", c.chars().take(wd.saturating_sub(1)).collect::<String>())
            } else {
                c.clone()
            };
            if i < last {
                text = pad(&text, wd);
            }
            if i == at.status && style.colour {
                text = format!("{}{text}{reset}", status_colour(*status));
            }
            parts.push(text);
        }
        let _ = writeln!(out, "  {}", parts.join("  ").trim_end());
    }
}

/// A terminal table per unit.
#[must_use]
pub fn table(evaluation: &Evaluation, plan: &Plan, units: &UnitTree, style: Style) -> String {
    let lang = style.lang;
    let mut out = String::new();
    let _ = writeln!(out, "{}\n{} {}\n", plan.title.get(lang), Word::AsOf.get(lang), evaluation.as_of);
    let header = COLUMNS.map(|w| w.get(lang));
    let (bold, reset) = if style.colour { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
    for (unit, results) in grouped(evaluation, units) {
        let rows: Vec<([String; 9], Status)> = results.iter().map(|r| (cells(r, plan, lang), r.status)).collect();
        let _ = writeln!(out, "{bold}{}: {unit}{reset}", Word::Unit.get(lang));
        table_rows(&mut out, &rows, &header, UNIT_COLUMNS, style);
        out.push('\n');
    }
    if !evaluation.rejected.is_empty() {
        let _ = writeln!(out, "{} ({}):", Word::RejectedRows.get(lang), evaluation.rejected.len());
        for r in &evaluation.rejected {
            let _ = writeln!(out, "  {}", r.to_string_in(lang));
        }
    }
    out
}

pub(crate) fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Markdown, one table per unit, for pasting into a report.
#[must_use]
pub fn markdown(evaluation: &Evaluation, plan: &Plan, units: &UnitTree, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n_{} {}_\n", plan.title.get(lang), Word::AsOf.get(lang), evaluation.as_of);
    let header = COLUMNS.map(|w| w.get(lang));
    for (unit, results) in grouped(evaluation, units) {
        let _ = writeln!(out, "## {}\n", unit.trim());
        let _ = writeln!(out, "| {} |", header.join(" | "));
        out.push_str("|---|---|---:|---:|---|---|---:|---|---|\n");
        for r in results {
            let c = cells(r, plan, lang).map(|s| md_escape(&s));
            let _ = writeln!(out, "| {} |", c.join(" | "));
        }
        out.push('\n');
    }
    if !evaluation.rejected.is_empty() {
        let _ = writeln!(out, "## {}\n", Word::RejectedRows.get(lang));
        for r in &evaluation.rejected {
            let _ = writeln!(out, "- {}", md_escape(&r.to_string_in(lang)));
        }
    }
    out
}

/// The CSV columns (machine names: a spreadsheet's formulas refer to them, in every language).
const CSV_HEADER: [&str; 26] = [
    "unit",
    "indicator",
    "indicator_label",
    "target",
    "period",
    "numerator",
    "denominator",
    "percent",
    "comparison",
    "threshold",
    "threshold_source",
    "status",
    "status_label",
    "gap",
    "deadline",
    "confidence",
    "ci_low",
    "ci_high",
    "projection_method",
    "projection_points",
    "projected_percent",
    "rank",
    "reason",
    "expected_numerator",
    "source",
    "rule",
];

fn optional_text(text: Option<&str>) -> Cell<'_> {
    text.map_or(Cell::Empty, Cell::Text)
}

/// CSV with a UTF-8 BOM (so that Excel opens Vietnamese text correctly), one row per result.
///
/// # Errors
/// When `out` fails.
pub fn csv(evaluation: &Evaluation, plan: &Plan, lang: Lang, out: impl std::io::Write) -> std::io::Result<()> {
    let mut w = CsvWriter::with_bom(out)?;
    w.header(&CSV_HEADER)?;
    for r in &evaluation.results {
        let label = plan.indicator(&r.indicator).map_or("", |i| i.label.get(lang));
        let period = r.period.to_string();
        // In the report's language (the JSON's `reason` is English; in English they are equal).
        let reason = r.note.map(|n| n.text(lang)).or_else(|| r.reason.clone());
        let deadline = r.deadline.to_string();
        let numbers = [
            r.numerator.map(|v| v.to_string()),
            r.denominator.map(|v| v.to_string()),
            r.percent.map(|v| v.to_string()),
            r.threshold.map(|v| v.to_string()),
            r.gap.map(|v| v.to_string()),
            r.ci.map(|[low, _]| low.to_string()),
            r.ci.map(|[_, high]| high.to_string()),
            r.projection.as_ref().map(|p| p.points.to_string()),
            r.projection.as_ref().map(|p| p.projected_percent.to_string()),
            r.rank.map(|v| v.to_string()),
            r.pro_rata.map(|p| p.expected_numerator.to_string()),
        ];
        let [num, den, percent, threshold, gap, ci_low, ci_high, points, projected, rank, expected] =
            numbers.each_ref().map(|v| v.as_deref().map_or(Cell::Empty, Cell::Number));
        w.row([
            Cell::Text(&r.unit),
            Cell::Text(&r.indicator),
            Cell::Text(label),
            Cell::Text(&r.target),
            Cell::Text(&period),
            num,
            den,
            percent,
            Cell::Text(r.comparison.as_str()),
            threshold,
            optional_text(r.threshold_source.as_deref()),
            Cell::Text(r.status.as_str()),
            Cell::Text(r.status.label().get(lang)),
            gap,
            Cell::Text(&deadline),
            Cell::Text(r.confidence.as_str()),
            ci_low,
            ci_high,
            optional_text(r.projection.as_ref().map(|p| p.method.as_str())),
            points,
            projected,
            rank,
            optional_text(reason.as_deref()),
            expected,
            optional_text(r.source.map(ValueSource::code)),
            optional_text(r.rule.as_deref()),
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chiso::evaluate::Status;
    use chiso::xlsx_out::{Tone, status_tone};

    /// The workbook's status colours (`--format xlsx`) are the terminal's: one ANSI colour a tone.
    #[test]
    fn workbook_tones_are_the_terminal_colours() {
        let ansi = |tone| match tone {
            Tone::Good => "\x1b[32m",
            Tone::OnTrack => "\x1b[36m",
            Tone::Warn => "\x1b[33m",
            Tone::Bad => "\x1b[31m",
            Tone::Muted => "\x1b[90m",
            Tone::Plain => "",
        };
        for status in Status::ALL {
            assert_eq!(super::status_colour(status), ansi(status_tone(status)), "{status:?}");
        }
    }
}
