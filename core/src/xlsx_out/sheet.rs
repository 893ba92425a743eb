//! One table a sheet: typed cells, formats, the frozen and filtered header, column widths, and
//! the sheets every workbook shares (rejected rows and warnings).

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::Tone;
use crate::api::Error;
use crate::date::Date;
use crate::exact::{Hundredths, PERCENT_SCALE, Percent};
use crate::input::Rejection;
use crate::labels::{ErrorText, Lang, Word, fill, localize};

/// Excel's limit of rows a sheet, the header included.
pub const MAX_ROWS: u64 = 1_048_576;

/// The largest count a float holds exactly (2^53).
const EXACT_FLOAT: u64 = 1 << 53;

/// Days from Excel's day 0 (1899-12-30, in its 1900 date system) to 1970-01-01.
const EXCEL_EPOCH_OFFSET: i64 = 25_569;

/// The text of an unknown value.
pub const UNKNOWN: &str = "—";

/// A writer's failure, as the crate's error.
pub fn failed(e: &XlsxError) -> Error {
    Error::Argument(ErrorText::XlsxFailed.en(&[("reason", &e)]))
}

/// A new workbook dated `date` (its "created" property): the date of the data, never the clock's,
/// so that the same result gives the same bytes (the core reads no clock).
pub fn workbook(date: Date) -> Result<Workbook, Error> {
    let mut book = Workbook::new();
    let year = u16::try_from(date.year()).unwrap_or(1970);
    let created = ExcelDateTime::from_ymd(year, date.month(), date.day()).map_err(|e| failed(&e))?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    Ok(book)
}

/// One cell of a row.
#[derive(Debug, Clone)]
pub enum Cell<'a> {
    /// Text.
    Text(&'a str),
    /// Text built for the cell.
    Owned(String),
    /// A count (an integer).
    Count(u64),
    /// Points, two decimals.
    Points(Hundredths),
    /// A percentage given in hundredths of a percent (`81.20` %), shown as a percentage.
    Percent(Hundredths),
    /// A threshold, shown as a percentage with up to four decimals.
    Threshold(Percent),
    /// A change of points, with its sign.
    Change(Hundredths),
    /// A date.
    Date(Date),
    /// A value that is not known: `—` in grey, never 0.
    Unknown,
    /// Nothing to say (not applicable).
    Empty,
    /// A status in words, coloured.
    Status(&'a str, Tone),
}

impl<'a> Cell<'a> {
    /// A count, or unknown.
    pub fn count(n: Option<u64>) -> Self {
        n.map_or(Self::Unknown, Self::Count)
    }

    /// A percentage, or unknown.
    pub fn percent(p: Option<Hundredths>) -> Self {
        p.map_or(Self::Unknown, Self::Percent)
    }

    /// Optional text: empty when absent.
    pub fn text(t: Option<&'a str>) -> Self {
        t.map_or(Self::Empty, Self::Text)
    }
}

/// The formats of a workbook.
pub struct Styles {
    header: Format,
    count: Format,
    points: Format,
    percent: Format,
    threshold: Format,
    change: Format,
    date: Format,
    unknown: Format,
    tones: [(Tone, Format); 5],
}

impl Styles {
    /// The workbook's formats.
    pub fn new() -> Self {
        let tone = |fill: u32, font: u32| {
            Format::new().set_background_color(Color::RGB(fill)).set_font_color(Color::RGB(font))
        };
        Self {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00F2_F2F2))
                .set_border_bottom(FormatBorder::Thin),
            count: Format::new().set_num_format("0"),
            points: Format::new().set_num_format("0.00"),
            percent: Format::new().set_num_format("0.00%"),
            threshold: Format::new().set_num_format("0.00##%"),
            change: Format::new().set_num_format("+0.00;-0.00;0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            unknown: Format::new().set_font_color(Color::RGB(0x0080_8080)).set_align(FormatAlign::Right),
            // Excel's own "Good", "Neutral", "Bad" cell styles, with a cyan and a grey beside them.
            tones: [
                (Tone::Good, tone(0x00C6_EFCE, 0x0000_6100)),
                (Tone::OnTrack, tone(0x00DD_F3F7, 0x0000_5A6E)),
                (Tone::Warn, tone(0x00FF_EB9C, 0x009C_5700)),
                (Tone::Bad, tone(0x00FF_C7CE, 0x009C_0006)),
                (Tone::Muted, tone(0x00ED_EDED, 0x0060_6060)),
            ],
        }
    }

    fn tone(&self, tone: Tone) -> Option<&Format> {
        self.tones.iter().find(|(t, _)| *t == tone).map(|(_, f)| f)
    }

    /// The number format of a percentage cell (for a chart's axis).
    pub const PERCENT_AXIS: &'static str = "0%";
}

/// A sheet holding one table: a header row, frozen and filtered, then rows.
pub struct Sheet {
    ws: Worksheet,
    row: u32,
    widths: Vec<usize>,
}

/// Width of a column, in characters, at most.
const MAX_WIDTH: usize = 60;

impl Sheet {
    /// A sheet named `name` with `header`, for `rows` rows below it (an error when Excel cannot
    /// hold them).
    pub fn new(name: &str, header: &[&str], rows: usize, styles: &Styles) -> Result<Self, Error> {
        let needed = u64::try_from(rows).unwrap_or(u64::MAX).saturating_add(1);
        if needed > MAX_ROWS {
            return Err(Error::Argument(ErrorText::XlsxTooManyRows.en(&[
                ("sheet", &name),
                ("rows", &needed),
                ("max", &MAX_ROWS),
            ])));
        }
        let mut ws = Worksheet::new();
        ws.set_name(name).map_err(|e| failed(&e))?;
        for (col, h) in (0u16..).zip(header) {
            ws.write_string_with_format(0, col, *h, &styles.header).map_err(|e| failed(&e))?;
        }
        if !header.is_empty() {
            ws.set_freeze_panes(1, 0).map_err(|e| failed(&e))?;
        }
        let widths = header.iter().map(|h| h.chars().count()).collect();
        Ok(Self { ws, row: 0, widths })
    }

    /// Writes one row below the last.
    pub fn push(&mut self, cells: &[Cell<'_>], styles: &Styles) -> Result<(), Error> {
        self.row = self.row.saturating_add(1);
        for (col, cell) in (0u16..).zip(cells) {
            let chars = self.write(col, cell, styles).map_err(|e| failed(&e))?;
            if let Some(w) = self.widths.get_mut(usize::from(col)) {
                *w = (*w).max(chars);
            }
        }
        Ok(())
    }

    /// Writes a cell; returns its width in characters, roughly.
    fn write(&mut self, col: u16, cell: &Cell<'_>, styles: &Styles) -> Result<usize, XlsxError> {
        let (row, ws) = (self.row, &mut self.ws);
        match cell {
            Cell::Text(t) => ws.write_string(row, col, *t).map(|_| t.chars().count()),
            Cell::Owned(t) => ws.write_string(row, col, t).map(|_| t.chars().count()),
            Cell::Count(n) if *n > EXACT_FLOAT => ws.write_string(row, col, n.to_string()).map(|_| 20),
            Cell::Count(n) => ws.write_number_with_format(row, col, count_f64(*n), &styles.count).map(|_| 10),
            Cell::Points(h) => ws.write_number_with_format(row, col, h.as_f64(), &styles.points).map(|_| 8),
            Cell::Change(h) => ws.write_number_with_format(row, col, h.as_f64(), &styles.change).map(|_| 8),
            Cell::Percent(h) => ws.write_number_with_format(row, col, share(*h), &styles.percent).map(|_| 9),
            Cell::Threshold(p) => {
                ws.write_number_with_format(row, col, threshold_share(*p), &styles.threshold).map(|_| 9)
            }
            Cell::Date(d) => ws.write_number_with_format(row, col, excel_date(*d), &styles.date).map(|_| 10),
            Cell::Unknown => ws.write_string_with_format(row, col, UNKNOWN, &styles.unknown).map(|_| 1),
            Cell::Empty => Ok(0),
            Cell::Status(t, tone) => match styles.tone(*tone) {
                Some(format) => ws.write_string_with_format(row, col, *t, format),
                None => ws.write_string(row, col, *t),
            }
            .map(|_| t.chars().count()),
        }
    }

    /// The rows written so far (the header is row 0).
    pub const fn last_row(&self) -> u32 {
        self.row
    }

    /// The worksheet, for charts.
    pub const fn worksheet(&mut self) -> &mut Worksheet {
        &mut self.ws
    }

    /// Filters the header over the rows written, sizes the columns and adds the sheet to `book`.
    pub fn finish(mut self, book: &mut Workbook) -> Result<(), Error> {
        if !self.widths.is_empty() {
            let last_col = u16::try_from(self.widths.len() - 1).unwrap_or(u16::MAX);
            self.ws.autofilter(0, 0, self.row, last_col).map_err(|e| failed(&e))?;
        }
        for (col, w) in (0u16..).zip(&self.widths) {
            #[expect(clippy::cast_precision_loss, reason = "a column width, at most 60")]
            let width = (*w).clamp(6, MAX_WIDTH) as f64 + 2.0;
            self.ws.set_column_width(col, width).map_err(|e| failed(&e))?;
        }
        book.push_worksheet(self.ws);
        Ok(())
    }
}

/// A count as a float (exact up to 2^53; larger counts are written as text).
#[expect(clippy::cast_precision_loss, reason = "only counts up to 2^53 come here, which a float holds exactly")]
const fn count_f64(n: u64) -> f64 {
    n as f64
}

/// Hundredths of a percent as a share (81.20 % → 0.812), for display.
fn share(h: Hundredths) -> f64 {
    h.as_f64() / 100.0
}

/// A threshold as a share (80 % → 0.8), for display.
fn threshold_share(p: Percent) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "display only; the threshold's text is exact")]
    let units = p.units() as f64;
    #[expect(clippy::cast_precision_loss, reason = "a constant, exactly representable")]
    let scale = (PERCENT_SCALE * 100) as f64;
    units / scale
}

/// A date as Excel's serial day number.
fn excel_date(d: Date) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "a day number of the years 1 to 9999, exact in a float")]
    let days = (d.days_since_epoch() + EXCEL_EPOCH_OFFSET) as f64;
    days
}

/// One rejected row or warning of the "rejected rows, warnings" sheet.
pub struct Located<'a> {
    /// Words of the kind: rejected, or warning.
    pub kind: Word,
    /// The period, in a series (the row was read for it).
    pub period: Option<String>,
    /// The row.
    pub row: &'a Rejection,
}

/// The sheet of rejected rows and warnings: kind, (period,) file, row, column, reason in `lang`;
/// then a line per kind with the count of rows not listed (the results list at most 10 000).
pub fn rejected_sheet(
    book: &mut Workbook,
    rows: &[Located<'_>],
    omitted: &[(Word, u64)],
    with_period: bool,
    lang: Lang,
    styles: &Styles,
) -> Result<(), Error> {
    let mut header = vec![Word::Kind.get(lang)];
    if with_period {
        header.push(Word::Period.get(lang));
    }
    header.extend([Word::SourceFile, Word::RowNumber, Word::ColumnName, Word::Reason].map(|w| w.get(lang)));
    let omitted: Vec<&(Word, u64)> = omitted.iter().filter(|(_, n)| *n > 0).collect();
    let mut sheet = Sheet::new(Word::SheetRejected.get(lang), &header, rows.len() + omitted.len(), styles)?;
    for r in rows {
        let reason = localize(&r.row.reason, lang);
        let mut cells = vec![Cell::Text(r.kind.get(lang))];
        if with_period {
            cells.push(Cell::text(r.period.as_deref()));
        }
        cells.extend([
            Cell::Text(&r.row.source),
            Cell::Count(r.row.row),
            Cell::text(r.row.column.as_deref()),
            Cell::Text(&reason),
        ]);
        sheet.push(&cells, styles)?;
    }
    for (kind, count) in omitted {
        let mut cells = vec![Cell::Text(kind.get(lang))];
        if with_period {
            cells.push(Cell::Empty);
        }
        let text = fill(Word::NotListed.get(lang), &[("count", count)]);
        cells.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Owned(text)]);
        sheet.push(&cells, styles)?;
    }
    sheet.finish(book)
}
