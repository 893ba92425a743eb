//! `chiso score766 --period FIRST..LAST`: a series printed as unit × period matrices, one of the
//! totals and one per group, each cell the period's score and its change from the previous period
//! (`62.88 (+1.20)`). JSON is the core's [`Series`] (every period's scorecard in full); CSV is one
//! row per unit and period, for spreadsheets.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use chiso::exact::Hundredths;
use chiso::input::Rejection;
use chiso::labels::{GroupLabel, Lang, Word, fill};
use chiso::score766::Series;
use chiso::tabular::write::{Cell, CsvWriter};

use crate::failure::Failure;
use crate::score766::Format;

/// Prints the rejected rows and missing metrics of every period on stderr (each rejected row
/// once: most are the records', listed in every period's scorecard), then the series on stdout.
pub fn print(series: &Series, args: &crate::score766::Score766Args) -> Result<ExitCode, Failure> {
    let lang = Lang::from(args.lang);
    let mut seen = std::collections::HashSet::new();
    let mut rejected: Vec<Rejection> = Vec::new();
    for r in series.scorecards.iter().flat_map(|c| &c.rejected) {
        if seen.insert((r.source.as_str(), r.row, r.column.as_deref(), r.reason.as_str())) {
            rejected.push(r.clone());
        }
    }
    let omitted = series.scorecards.iter().map(|c| c.rejected_omitted).max().unwrap_or(0);
    crate::print_rejected(&rejected, omitted, lang);
    crate::score766::print_missing_of(&series.scorecards, lang);
    let mut out = args.output.open(lang)?;
    let written = match args.format {
        Format::Json => series.write_json(&mut out).and_then(|()| out.write_all(b"\n")),
        Format::Csv => write_csv(series, &mut out),
        Format::Md => out.write_all(matrices(series, true, lang).as_bytes()),
        Format::Table => out.write_all(matrices(series, false, lang).as_bytes()),
        Format::Xlsx => out.write_all(&chiso::xlsx_out::series_xlsx(series, lang)?),
    };
    out.finish(written)?;
    let rejected = (rejected.len() as u64).saturating_add(omitted);
    Ok(crate::evaluate::exit_status(rejected, args.fail_on_rejected, lang))
}

/// A change with its sign: `+1.20`, `-0.35`, `±0.00`.
fn signed(h: Hundredths) -> String {
    match h.0 {
        0 => "±0.00".to_owned(),
        n if n > 0 => format!("+{h}"),
        _ => h.to_string(),
    }
}

/// One cell of a matrix: the score and, when there is one, its change; `—` where absent; `*`
/// after the score of an incomplete unit (a missing or invalid metric scored 0).
fn cell(score: Option<Hundredths>, change: Option<Hundredths>, complete: Option<bool>) -> String {
    let mark = if complete == Some(false) { "*" } else { "" };
    match (score, change) {
        (None, _) => "—".to_owned(),
        (Some(s), None) => format!("{s}{mark}"),
        (Some(s), Some(c)) => format!("{s}{mark} ({})", signed(c)),
    }
}

/// The series as a matrix of totals and one per group, as aligned text or Markdown.
fn matrices(series: &Series, markdown: bool, lang: Lang) -> String {
    let range = match (series.periods.first(), series.periods.last()) {
        (Some(a), Some(b)) => format!("{a}..{b}"),
        _ => String::new(),
    };
    let title = fill(Word::SeriesHeading.get(lang), &[("profile", &series.profile), ("range", &range)]);
    let mut out = String::new();
    if markdown {
        let _ = writeln!(out, "## {title}\n\n_{}_\n", Word::SeriesNote.get(lang));
    } else {
        let _ = writeln!(out, "{title}\n{}\n", Word::SeriesNote.get(lang));
    }
    let mut header = vec!["unit".to_owned(), "level".to_owned()];
    header.extend(series.periods.iter().map(ToString::to_string));
    let label = |unit: &chiso::score766::UnitSeries| match &unit.name {
        Some(n) if *n != unit.unit => format!("{} ({n})", unit.unit),
        _ => unit.unit.clone(),
    };
    let totals: Vec<Vec<String>> = series
        .changes
        .iter()
        .map(|u| {
            let mut row = vec![label(u), u.level.clone()];
            let cells = u.totals.iter().zip(&u.total_changes).zip(&u.complete);
            row.extend(cells.map(|((s, c), complete)| cell(*s, *c, *complete)));
            row
        })
        .collect();
    section(&mut out, Word::Total.get(lang), &header, &totals, markdown);
    let codes: Vec<&str> =
        series.changes.first().map(|u| u.groups.iter().map(|g| g.code.as_str()).collect()).unwrap_or_default();
    for code in codes {
        let name = GroupLabel::of(&series.profile, code).map_or(code, |g| g.get(lang));
        let rows: Vec<Vec<String>> = series
            .changes
            .iter()
            .map(|u| {
                let mut row = vec![label(u), u.level.clone()];
                match u.groups.iter().find(|g| g.code == code) {
                    Some(g) => {
                        let cells = g.scores.iter().zip(&g.changes).zip(&u.complete);
                        row.extend(cells.map(|((s, c), complete)| cell(*s, *c, *complete)));
                    }
                    None => row.extend(series.periods.iter().map(|_| "—".to_owned())),
                }
                row
            })
            .collect();
        section(&mut out, &format!("{code} — {name}"), &header, &rows, markdown);
    }
    if series.changes.is_empty() {
        let _ = writeln!(out, "{}", Word::NoUnits.get(lang));
    }
    out
}

/// One titled matrix: the unit and level columns left-aligned, the periods right-aligned.
fn section(out: &mut String, title: &str, header: &[String], rows: &[Vec<String>], markdown: bool) {
    if markdown {
        let _ = writeln!(out, "### {title}\n");
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let align: Vec<&str> = (0..header.len()).map(|i| if i < 2 { "---" } else { "---:" }).collect();
        let _ = writeln!(out, "| {} |", align.join(" | "));
        for r in rows {
            let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
        return;
    }
    let widths = crate::report::column_widths(header, rows);
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                let pad = " ".repeat(w.saturating_sub(c.chars().count()));
                if i < 2 { format!("{c}{pad}") } else { format!("{pad}{c}") }
            })
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "{}", line(header));
    let _ = writeln!(out, "{}", widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  "));
    for r in rows {
        let _ = writeln!(out, "{}", line(r));
    }
    out.push('\n');
}

/// The series as CSV: one row per unit and period it is listed in, with the total, each group's
/// score, and their changes (empty for the first period or after an absence).
fn write_csv(series: &Series, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = CsvWriter::with_bom(out)?;
    let codes: Vec<&str> =
        series.changes.first().map(|u| u.groups.iter().map(|g| g.code.as_str()).collect()).unwrap_or_default();
    let mut header: Vec<String> = ["unit", "name", "level", "period", "complete", "total", "total_change"]
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    for code in &codes {
        header.extend([(*code).to_owned(), format!("{code}_change")]);
    }
    w.header(&header)?;
    let text = |h: Option<Hundredths>| h.map(|h| h.to_string());
    for u in &series.changes {
        for (i, period) in series.periods.iter().enumerate() {
            let Some(total) = u.totals.get(i).copied().flatten() else { continue };
            let period = period.to_string();
            let mut numbers: Vec<Option<String>> =
                vec![Some(total.to_string()), text(u.total_changes.get(i).copied().flatten())];
            for code in &codes {
                let g = u.groups.iter().find(|g| g.code == *code);
                numbers.push(text(g.and_then(|g| g.scores.get(i).copied().flatten())));
                numbers.push(text(g.and_then(|g| g.changes.get(i).copied().flatten())));
            }
            let complete = if u.complete.get(i).copied().flatten() == Some(false) { "false" } else { "true" };
            let head = [u.unit.as_str(), u.name.as_deref().unwrap_or(""), u.level.as_str(), period.as_str(), complete];
            let cells = head
                .into_iter()
                .map(Cell::Text)
                .chain(numbers.iter().map(|n| n.as_deref().map_or(Cell::Empty, Cell::Number)));
            w.row(cells)?;
        }
    }
    Ok(())
}
