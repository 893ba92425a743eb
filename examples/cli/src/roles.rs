//! `chiso report --by role`: the core's [`RoleReport`] printed as a table, Markdown, CSV or JSON,
//! one section per role of the plan, each led by what needs action now.

use std::fmt::Write as _;

use chiso::by_role::RoleReport;
use chiso::evaluate::{EvalResult, Status};
use chiso::labels::{Lang, Word, fill};
use chiso::plan::Plan;
use chiso::tabular::write::{Cell, CsvWriter};
use chiso::units::UnitTree;

use crate::report::{COLUMNS, Columns, Style, cells, md_escape, table_rows};

/// The role tables: the unit first, then the unit tables' columns.
const ROLE_COLUMNS: Columns = Columns { label: 1, status: 6 };

fn unit_name(units: &UnitTree, id: &str) -> String {
    units.index(id).and_then(|i| units.unit(i)).map_or_else(|| id.to_owned(), |u| format!("{} ({})", u.name, u.id))
}

fn row(r: &EvalResult, plan: &Plan, units: &UnitTree, lang: Lang) -> Vec<String> {
    let mut row = vec![unit_name(units, &r.unit)];
    row.extend(cells(r, plan, lang));
    row
}

/// Each section: the role's heading and its results (the unassigned last, when there are any).
fn sections<'r>(report: &'r RoleReport<'_>, lang: Lang) -> Vec<(String, usize, &'r [&'r EvalResult])> {
    let mut out: Vec<(String, usize, &[&EvalResult])> =
        report.roles.iter().map(|g| (g.role.label.get(lang).to_owned(), g.attention, g.results.as_slice())).collect();
    if !report.unassigned.is_empty() {
        let attention = report.unassigned.iter().filter(|r| chiso::by_role::NEEDS_ACTION.contains(&r.status)).count();
        out.push((Word::Unassigned.get(lang).to_owned(), attention, report.unassigned.as_slice()));
    }
    out
}

fn heading(name: &str, attention: usize, empty: bool, lang: Lang) -> String {
    if empty {
        format!("{name} — {}", Word::RoleNothing.get(lang))
    } else {
        format!("{name} — {}", fill(Word::RoleAttention.get(lang), &[("count", &attention)]))
    }
}

/// The view's title (two lines: what it is, as of when) and the columns of its tables.
fn title_and_header(report: &RoleReport<'_>, lang: Lang) -> (String, Vec<&'static str>) {
    let title = format!("{}\n{} {}", Word::ByRoleTitle.get(lang), Word::AsOf.get(lang), report.as_of);
    let mut header = vec![Word::Unit.get(lang)];
    header.extend(COLUMNS.map(|w| w.get(lang)));
    (title, header)
}

/// The terminal table, one section per role.
#[must_use]
pub fn table(report: &RoleReport<'_>, plan: &Plan, units: &UnitTree, style: Style) -> String {
    let lang = style.lang;
    let mut out = String::new();
    let (title, header) = title_and_header(report, lang);
    let _ = writeln!(out, "{}\n{}\n", plan.title.get(lang), title);
    let (bold, reset) = if style.colour { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
    for (name, attention, results) in sections(report, lang) {
        let _ = writeln!(out, "{bold}{}{reset}", heading(&name, attention, results.is_empty(), lang));
        if !results.is_empty() {
            let rows: Vec<(Vec<String>, Status)> =
                results.iter().map(|r| (row(r, plan, units, lang), r.status)).collect();
            table_rows(&mut out, &rows, &header, ROLE_COLUMNS, style);
        }
        out.push('\n');
    }
    out
}

/// Markdown, one section per role.
#[must_use]
pub fn markdown(report: &RoleReport<'_>, plan: &Plan, units: &UnitTree, lang: Lang) -> String {
    let mut out = String::new();
    let (title, header) = title_and_header(report, lang);
    let _ = writeln!(out, "# {}\n\n_{}_\n", plan.title.get(lang), title.replace('\n', " — "));
    for (name, attention, results) in sections(report, lang) {
        let _ = writeln!(out, "## {}\n", md_escape(&heading(&name, attention, results.is_empty(), lang)));
        if results.is_empty() {
            continue;
        }
        let _ = writeln!(out, "| {} |", header.join(" | "));
        out.push_str("|---|---|---|---:|---:|---|---|---:|---|---|\n");
        for r in results {
            let cells: Vec<String> = row(r, plan, units, lang).iter().map(|c| md_escape(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    out
}

/// CSV with a UTF-8 BOM: one row per role and result (a result under two roles is on two rows).
///
/// # Errors
/// When `out` fails.
pub fn csv(report: &RoleReport<'_>, plan: &Plan, lang: Lang, out: impl std::io::Write) -> std::io::Result<()> {
    let mut w = CsvWriter::with_bom(out)?;
    w.header(&[
        "role",
        "role_label",
        "unit",
        "indicator",
        "indicator_label",
        "target",
        "period",
        "numerator",
        "denominator",
        "percent",
        "status",
        "status_label",
        "gap",
        "expected_numerator",
        "deadline",
    ])?;
    let unassigned = Word::Unassigned.get(lang);
    let groups = report.roles.iter().map(|g| (g.role.id.as_str(), g.role.label.get(lang), g.results.as_slice()));
    for (role, role_label, results) in groups.chain(std::iter::once(("", unassigned, report.unassigned.as_slice()))) {
        for r in results {
            let label = plan.indicator(&r.indicator).map_or("", |i| i.label.get(lang));
            let numbers = [
                r.numerator.map(|v| v.to_string()),
                r.denominator.map(|v| v.to_string()),
                r.percent.map(|v| v.to_string()),
                r.gap.map(|v| v.to_string()),
                r.pro_rata.map(|p| p.expected_numerator.to_string()),
            ];
            let [num, den, percent, gap, expected] =
                numbers.each_ref().map(|v| v.as_deref().map_or(Cell::Empty, Cell::Number));
            let (period, deadline) = (r.period.to_string(), r.deadline.to_string());
            w.row([
                Cell::Text(role),
                Cell::Text(role_label),
                Cell::Text(&r.unit),
                Cell::Text(&r.indicator),
                Cell::Text(label),
                Cell::Text(&r.target),
                Cell::Text(&period),
                num,
                den,
                percent,
                Cell::Text(r.status.as_str()),
                Cell::Text(r.status.label().get(lang)),
                gap,
                expected,
                Cell::Text(&deadline),
            ])?;
        }
    }
    Ok(())
}
