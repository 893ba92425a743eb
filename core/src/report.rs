//! Human-readable reports of an evaluation: a terminal table, Markdown, and CSV for Excel.
//!
//! Vietnamese is the default language; every label also exists in English. The JSON form is
//! [`crate::evaluate::Evaluation::to_json`], not this module.

use std::fmt::Write as _;

use crate::confidence::Confidence;
use crate::evaluate::{EvalResult, Evaluation, Status};
use crate::plan::Plan;
use crate::units::UnitTree;

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Vietnamese (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "vi" => Ok(Self::Vi),
            "en" => Ok(Self::En),
            other => Err(format!("unknown language `{other}` (vi, en)")),
        }
    }
}

/// The label of a status.
#[must_use]
pub const fn status_label(status: Status, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::Vi, Status::Met) => "đạt",
        (Lang::Vi, Status::NotMet) => "không đạt",
        (Lang::Vi, Status::MetEarly) => "đạt sớm",
        (Lang::Vi, Status::OnTrack) => "đúng tiến độ",
        (Lang::Vi, Status::AtRisk) => "có nguy cơ",
        (Lang::Vi, Status::OffTrack) => "chệch hướng",
        (Lang::Vi, Status::InProgress) => "đang thực hiện",
        (Lang::Vi, Status::InsufficientData) => "thiếu dữ liệu",
        (Lang::Vi, Status::NoData) => "không có dữ liệu",
        (Lang::Vi, Status::Invalid) => "dữ liệu không hợp lệ",
        (Lang::En, Status::Met) => "met",
        (Lang::En, Status::NotMet) => "not met",
        (Lang::En, Status::MetEarly) => "met early",
        (Lang::En, Status::OnTrack) => "on track",
        (Lang::En, Status::AtRisk) => "at risk",
        (Lang::En, Status::OffTrack) => "off track",
        (Lang::En, Status::InProgress) => "in progress",
        (Lang::En, Status::InsufficientData) => "insufficient data",
        (Lang::En, Status::NoData) => "no data",
        (Lang::En, Status::Invalid) => "invalid data",
    }
}

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

struct Words {
    indicator: &'static str,
    period: &'static str,
    value: &'static str,
    ratio: &'static str,
    target: &'static str,
    status: &'static str,
    gap: &'static str,
    deadline: &'static str,
    note: &'static str,
    as_of: &'static str,
    rejected: &'static str,
    unit: &'static str,
    projected: &'static str,
    points: &'static str,
    rolled: &'static str,
    rank: &'static str,
    set_by: &'static str,
    improves: &'static str,
}

const fn words(lang: Lang) -> Words {
    match lang {
        Lang::Vi => Words {
            indicator: "Chỉ tiêu",
            period: "Kỳ",
            value: "Giá trị",
            ratio: "Tử số/Mẫu số",
            target: "Mục tiêu",
            status: "Tình trạng",
            gap: "Còn thiếu",
            deadline: "Thời hạn",
            note: "Ghi chú",
            as_of: "tính đến ngày",
            rejected: "dòng bị loại",
            unit: "Đơn vị",
            projected: "dự báo",
            points: "điểm",
            rolled: "cộng dồn từ đơn vị cấp dưới",
            rank: "hạng",
            set_by: "do",
            improves: "cao hơn kỳ trước",
        },
        Lang::En => Words {
            indicator: "Indicator",
            period: "Period",
            value: "Value",
            ratio: "Num/Den",
            target: "Target",
            status: "Status",
            gap: "Gap",
            deadline: "Deadline",
            note: "Note",
            as_of: "as of",
            rejected: "rejected rows",
            unit: "Unit",
            projected: "projected",
            points: "points",
            rolled: "rolled up from child units",
            rank: "rank",
            set_by: "set by",
            improves: "above previous period",
        },
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

fn cells(r: &EvalResult, plan: &Plan, lang: Lang) -> [String; 9] {
    let w = words(lang);
    let label = plan.indicator(&r.indicator).map_or_else(|| r.indicator.clone(), |i| i.label.get(lang).to_owned());
    let value = r.percent.map_or_else(|| "—".to_owned(), |p| format!("{p} %"));
    let ratio = match (r.numerator, r.denominator) {
        (Some(n), Some(d)) => format!("{n}/{d}"),
        _ => "—".to_owned(),
    };
    let target = match (r.comparison, r.threshold) {
        (crate::plan::Comparison::Improves, Some(t)) => format!("> {t} % ({})", w.improves),
        (crate::plan::Comparison::Improves, None) => w.improves.to_owned(),
        (c, Some(t)) => format!("{} {t} %", c.as_str().replace(">=", "≥").replace("<=", "≤")),
        (c, None) => c.as_str().to_owned(),
    };
    let gap = r.gap.map_or_else(|| "—".to_owned(), |g| g.to_string());
    let mut notes = Vec::new();
    if let Some(p) = &r.projection {
        notes.push(format!(
            "{} {} {} % ({}, {} {})",
            w.projected,
            p.target_year,
            p.projected_percent,
            p.method.as_str(),
            p.points,
            w.points
        ));
    }
    if let Some([lo, hi]) = r.ci {
        let confidence = match (lang, r.confidence) {
            (Lang::Vi, Confidence::Significant) => "có ý nghĩa thống kê",
            (Lang::Vi, Confidence::Inconclusive) => "chưa đủ để kết luận",
            (Lang::Vi, Confidence::Census) => "điều tra toàn bộ",
            (Lang::En, Confidence::Significant) => "significant",
            (Lang::En, Confidence::Inconclusive) => "inconclusive",
            (Lang::En, Confidence::Census) => "census",
        };
        notes.push(format!("CI95 {lo}–{hi} % ({confidence})"));
    }
    if let Some(src) = &r.threshold_source {
        notes.push(format!("{} {src}", w.set_by));
    }
    if r.rolled_up {
        notes.push(w.rolled.to_owned());
    }
    if let (Some(rank), Some(of)) = (r.rank, r.ranked_of) {
        if of > 1 {
            notes.push(format!("{} {rank}/{of}", w.rank));
        }
    }
    if let Some(note) = r.note {
        notes.push(note.text(lang));
    } else if let Some(reason) = &r.reason {
        notes.push(reason.clone());
    }
    [
        label,
        r.period.to_string(),
        value,
        ratio,
        target,
        status_label(r.status, lang).to_owned(),
        gap,
        r.deadline.to_string(),
        notes.join("; "),
    ]
}

fn width(s: &str) -> usize {
    s.chars().count()
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

/// A terminal table per unit.
#[must_use]
pub fn table(evaluation: &Evaluation, plan: &Plan, units: &UnitTree, style: Style) -> String {
    let w = words(style.lang);
    let mut out = String::new();
    let title = plan.title.get(style.lang);
    let _ = writeln!(out, "{title}\n{} {}\n", w.as_of, evaluation.as_of);
    let header = [w.indicator, w.period, w.value, w.ratio, w.target, w.status, w.gap, w.deadline, w.note];
    for (unit, results) in grouped(evaluation, units) {
        let rows: Vec<([String; 9], crate::evaluate::Status)> =
            results.iter().map(|r| (cells(r, plan, style.lang), r.status)).collect();
        let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
        for (row, _) in &rows {
            for (i, c) in row.iter().enumerate().take(8) {
                if let Some(wd) = widths.get_mut(i) {
                    *wd = (*wd).max(width(c)).min(if i == 0 { 48 } else { 40 });
                }
            }
        }
        let bold = if style.colour { "\x1b[1m" } else { "" };
        let reset = if style.colour { "\x1b[0m" } else { "" };
        let _ = writeln!(out, "{bold}{}: {unit}{reset}", w.unit);
        let line: Vec<String> = header.iter().zip(&widths).map(|(h, wd)| pad(h, *wd)).collect();
        let _ = writeln!(out, "  {}", line.join("  ").trim_end());
        for (row, status) in rows {
            let mut parts = Vec::with_capacity(9);
            for (i, c) in row.iter().enumerate() {
                let wd = widths.get(i).copied().unwrap_or(0);
                let mut text = if i == 0 && width(c) > wd {
                    format!("{}…", c.chars().take(wd.saturating_sub(1)).collect::<String>())
                } else {
                    c.clone()
                };
                if i < 8 {
                    text = pad(&text, wd);
                }
                if i == 5 && style.colour {
                    text = format!("{}{text}{reset}", crate::report::status_colour(status));
                }
                parts.push(text);
            }
            let _ = writeln!(out, "  {}", parts.join("  ").trim_end());
        }
        out.push('\n');
    }
    if !evaluation.rejected.is_empty() {
        let _ = writeln!(out, "{} ({}):", w.rejected, evaluation.rejected.len());
        for r in &evaluation.rejected {
            let _ = writeln!(out, "  {r}");
        }
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Markdown, one table per unit, for pasting into a report.
#[must_use]
pub fn markdown(evaluation: &Evaluation, plan: &Plan, units: &UnitTree, lang: Lang) -> String {
    let w = words(lang);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n_{} {}_\n", plan.title.get(lang), w.as_of, evaluation.as_of);
    for (unit, results) in grouped(evaluation, units) {
        let _ = writeln!(out, "## {}\n", unit.trim());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            w.indicator, w.period, w.value, w.ratio, w.target, w.status, w.gap, w.deadline, w.note
        );
        out.push_str("|---|---|---:|---:|---|---|---:|---|---|\n");
        for r in results {
            let c = cells(r, plan, lang).map(|s| md_escape(&s));
            let _ = writeln!(out, "| {} |", c.join(" | "));
        }
        out.push('\n');
    }
    if !evaluation.rejected.is_empty() {
        let _ = writeln!(out, "## {}\n", w.rejected);
        for r in &evaluation.rejected {
            let _ = writeln!(out, "- {}", md_escape(&r.to_string()));
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

/// CSV with a UTF-8 BOM (so that Excel opens Vietnamese text correctly), one row per result.
#[must_use]
pub fn csv(evaluation: &Evaluation, plan: &Plan, lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str("unit,indicator,indicator_label,target,period,numerator,denominator,percent,comparison,threshold,threshold_source,status,status_label,gap,deadline,confidence,ci_low,ci_high,projection_method,projection_points,projected_percent,rank,reason\r\n");
    for r in &evaluation.results {
        let label = plan.indicator(&r.indicator).map_or("", |i| i.label.get(lang));
        let opt = |v: Option<String>| v.unwrap_or_default();
        let fields = [
            r.unit.clone(),
            r.indicator.clone(),
            label.to_owned(),
            r.target.clone(),
            r.period.to_string(),
            opt(r.numerator.map(|v| v.to_string())),
            opt(r.denominator.map(|v| v.to_string())),
            opt(r.percent.map(|v| v.to_string())),
            r.comparison.as_str().to_owned(),
            opt(r.threshold.map(|v| v.to_string())),
            opt(r.threshold_source.clone()),
            r.status.as_str().to_owned(),
            status_label(r.status, lang).to_owned(),
            opt(r.gap.map(|v| v.to_string())),
            r.deadline.to_string(),
            r.confidence.as_str().to_owned(),
            opt(r.ci.map(|c| c[0].to_string())),
            opt(r.ci.map(|c| c[1].to_string())),
            opt(r.projection.as_ref().map(|p| p.method.as_str().to_owned())),
            opt(r.projection.as_ref().map(|p| p.points.to_string())),
            opt(r.projection.as_ref().map(|p| p.projected_percent.to_string())),
            opt(r.rank.map(|v| v.to_string())),
            opt(r.reason.clone()),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}
