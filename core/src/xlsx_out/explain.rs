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

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

    use super::*;
    use crate::api::Score766Builder;
    use crate::score766::ExplainRequest;

    #[test]
    fn one_sheet_named_after_the_metric_one_row_per_record() {
        let request = ExplainRequest { unit: "a".to_owned(), metric: "ON_TIME".to_owned(), limit: None };
        let mut s = Score766Builder::new("2026-08").explain(request).build().unwrap();
        s.push_csv(
            b"dossier_id,unit,procedure,received_at,due_at,finished_at,supplement_requests\n\
              a1,a,p,2026-08-01,2026-08-02,2026-08-05,0\na2,a,p,2026-08-01,2026-08-02,2026-08-02,0\n\
              a3,a,p,2026-08-03,2026-08-20,2026-08-04,2\n",
        )
        .unwrap();
        let e = s.explain().unwrap();
        for lang in [Lang::Vi, Lang::En] {
            let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(explanation_xlsx(&e, lang).unwrap())).unwrap();
            assert_eq!(book.sheet_names(), ["ON_TIME"]);
            let range = book.worksheet_range("ON_TIME").unwrap();
            let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(ToString::to_string).collect()).collect();
            assert_eq!(rows.len(), 3);
            assert_eq!(rows[0][0], Word::SourceFile.get(lang));
            assert_eq!(rows[0][5], Word::Reason.get(lang));
            assert_eq!((rows[1][2].as_str(), rows[2][2].as_str()), ("a1", "a3"));
            assert_eq!(rows[2][5], Word::ShortfallLateSupplements.get(lang));
            // Row numbers are numbers.
            assert_eq!(range.get((1, 1)), Some(&Data::Float(2.0)));
        }
    }
}
