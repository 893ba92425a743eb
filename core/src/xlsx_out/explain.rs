//! The records behind a Decision 766 number (`chiso score766 explain --format xlsx`): one sheet,
//! named after the metric, one row per record listed.

use super::sheet::{Cell, Sheet, Styles, failed, workbook};
use crate::api::Error;
use crate::labels::{Lang, Word};
use crate::score766::Explanation;

/// The columns of the list, in order: the catalogue's words.
pub const EXPLAIN_COLUMNS: [Word; 12] = [
    Word::SourceFile,
    Word::RowNumber,
    Word::RecordId,
    Word::Unit,
    Word::ProcedureColumn,
    Word::Reason,
    Word::ReceivedAt,
    Word::DueAt,
    Word::FinishedAt,
    Word::SupplementRequests,
    Word::SupplementDays,
    Word::ChannelColumn,
];

/// The explanation as an Excel workbook (`.xlsx` bytes) of one sheet, labels in `lang`. The
/// counts (numerator, denominator, the total shortfall) are in the JSON and the table; the sheet
/// is the list, filtered and frozen like every sheet.
///
/// # Errors
/// When the list would exceed Excel's 1 048 576 rows, or the writer fails.
pub fn explanation_xlsx(e: &Explanation, lang: Lang) -> Result<Vec<u8>, Error> {
    let styles = Styles::new();
    let mut book = workbook(e.period.last_day())?;
    let header: Vec<&str> = EXPLAIN_COLUMNS.iter().map(|w| w.get(lang)).collect();
    let mut sheet = Sheet::new(&e.metric, &header, e.items.len(), &styles)?;
    for item in &e.items {
        sheet.push(
            &[
                Cell::Text(&item.file),
                item.row.map_or(Cell::Empty, Cell::Count),
                Cell::Text(&item.id),
                text(&item.unit),
                text(&item.procedure),
                Cell::Text(item.reason.label().get(lang)),
                text(&item.received_at),
                text(&item.due_at),
                text(&item.finished_at),
                text(&item.supplement_requests),
                text(&item.supplement_days),
                text(&item.channel),
            ],
            &styles,
        )?;
    }
    sheet.finish(&mut book)?;
    book.save_to_buffer().map_err(|err| failed(&err))
}

/// Optional text: empty when absent.
fn text(t: &Option<String>) -> Cell<'_> {
    Cell::text(t.as_deref())
}
