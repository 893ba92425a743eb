//! Column names of tabular inputs, and the other names a column goes by in real exports (exports.md): the Vietnamese headers of the
//! provincial procedure systems and of officials' spreadsheets. A header is matched after
//! trimming, Unicode NFC normalisation, lower-casing and collapsing inner white space, so
//! `Mã hồ sơ`, `MÃ HỒ SƠ` and a decomposed `Mã hồ sơ` are one name.
//!
//! One table for every reader, keyed by canonical name: a reader only looks up the names it wants,
//! so `Mã đơn vị` is `id` in a units file and `unit` in a dossier file.

use unicode_normalization::UnicodeNormalization;

/// Canonical column name → the other names accepted for it.
pub const ALIASES: &[(&str, &[&str])] = &[
    // Dossiers (exports.md), and the same columns of feedback and observations.
    ("dossier_id", &["Mã hồ sơ", "Số hồ sơ"]),
    ("unit", &["Mã đơn vị", "Đơn vị xử lý (id)", "Mã cơ quan", "Đơn vị"]),
    ("procedure", &["Mã thủ tục", "Mã TTHC"]),
    ("received_at", &["Ngày tiếp nhận", "Thời gian tiếp nhận"]),
    ("due_at", &["Ngày hẹn trả", "Hạn xử lý", "Hạn giải quyết"]),
    ("finished_at", &["Ngày có kết quả", "Ngày hoàn thành", "Ngày trả kết quả"]),
    ("channel", &["Kênh nộp", "Hình thức nộp", "Kênh thực hiện"]),
    ("supplement_requests", &["Số lần bổ sung", "Số lần yêu cầu bổ sung"]),
    ("supplement_days", &["Số ngày bổ sung", "Số ngày chờ bổ sung"]),
    ("e_result", &["Có kết quả điện tử", "Kết quả điện tử"]),
    ("digitized", &["Đã số hóa", "Số hóa hồ sơ"]),
    ("reused_data", &["Tái sử dụng dữ liệu"]),
    ("shared_storage", &["Kho dữ liệu cá nhân", "Lấy từ kho dữ liệu"]),
    ("citizen_data", &["Dữ liệu dân cư", "Sử dụng dữ liệu dân cư"]),
    ("synced", &["Đồng bộ DVCQG", "Đã đồng bộ"]),
    ("fee", &["Có phí, lệ phí", "Có nghĩa vụ tài chính"]),
    ("paid_online", &["Thanh toán trực tuyến", "Đã thanh toán trực tuyến"]),
    ("complaint", &["Có phản ánh, kiến nghị", "Có PAKN"]),
    ("rating", &["Đánh giá", "Mức độ hài lòng"]),
    // Observations.
    ("indicator", &["Chỉ tiêu", "Mã chỉ tiêu"]),
    ("period", &["Kỳ", "Kỳ báo cáo"]),
    ("numerator", &["Tử số"]),
    ("denominator", &["Mẫu số"]),
    ("kind", &["Loại"]),
    ("design_effect", &["Hệ số thiết kế"]),
    ("population", &["Dân số"]),
    // Units.
    ("id", &["Mã đơn vị"]),
    ("name", &["Tên đơn vị", "Tên thủ tục", "Tên"]),
    ("parent", &["Đơn vị cấp trên", "Mã đơn vị cấp trên"]),
    ("level", &["Cấp"]),
    ("valid_from", &["Hiệu lực từ"]),
    ("valid_to", &["Hiệu lực đến"]),
    ("successors", &["Đơn vị kế thừa"]),
    // Procedures.
    ("field", &["Lĩnh vực"]),
    ("authority_level", &["Cấp thực hiện", "Cấp có thẩm quyền"]),
    ("service_level", &["Mức độ dịch vụ công", "Mức độ DVC"]),
    ("eligible_full", &["Đủ điều kiện toàn trình"]),
    ("paper_result", &["Trả kết quả giấy", "Kết quả giấy"]),
    ("payment_integrated", &["Tích hợp thanh toán", "Đã tích hợp thanh toán"]),
    ("citizen_applicants", &["Đối tượng là công dân", "Có đối tượng công dân"]),
    // Feedback.
    ("feedback_id", &["Mã phản ánh", "Mã PAKN"]),
    ("about", &["Loại phản ánh", "Nội dung phản ánh"]),
    ("unsatisfied", &["Không hài lòng"]),
    ("raised_again", &["Phản ánh lại", "Phản ánh nhiều lần"]),
];

/// The columns of `dossiers.csv` (formats.md), in the order of the dossier record's fields (the
/// scorer's `score766::DOSSIER_COLUMNS` is this list, its length checked by the type).
pub const DOSSIER_COLUMNS: [&str; 19] = [
    "dossier_id",
    "unit",
    "procedure",
    "received_at",
    "due_at",
    "finished_at",
    "channel",
    "supplement_requests",
    "supplement_days",
    "e_result",
    "digitized",
    "reused_data",
    "shared_storage",
    "citizen_data",
    "synced",
    "fee",
    "paid_online",
    "complaint",
    "rating",
];

/// The columns of each input, canonical names first required ones (formats.md).
pub const INPUT_COLUMNS: &[(&str, &[&str])] = &[
    ("dossiers", &DOSSIER_COLUMNS),
    (
        "observations",
        &["unit", "indicator", "period", "numerator", "denominator", "kind", "design_effect", "population"],
    ),
    ("units", &["id", "parent", "name", "level", "valid_from", "valid_to", "successors"]),
    (
        "procedures",
        &[
            "procedure",
            "name",
            "field",
            "authority_level",
            "service_level",
            "eligible_full",
            "paper_result",
            "fee",
            "payment_integrated",
            "citizen_applicants",
        ],
    ),
    (
        "feedback",
        &["feedback_id", "unit", "received_at", "due_at", "finished_at", "about", "unsatisfied", "raised_again"],
    ),
];

/// The date and time shapes every tabular reader accepts (exports.md).
pub const DATE_SHAPES: [&str; 8] = [
    "YYYY-MM-DD",
    "YYYY-MM-DDTHH:MM[:SS] with an optional Z or ±HH:MM",
    "YYYY-MM-DD HH:MM[:SS]",
    "DD/MM/YYYY",
    "DD/MM/YYYY HH:MM[:SS]",
    "DD-MM-YYYY[ HH:MM[:SS]]",
    "an .xlsx date cell, or an Excel serial number in a date-formatted cell",
    "a time without a zone is Vietnam time (UTC+7); a date-only due date is the end of that day; MM/DD/YYYY is never guessed",
];

/// The words of a boolean, true then false (any case; empty is the default).
pub const BOOLEAN_WORDS: [(bool, &[&str]); 2] =
    [(true, &["1", "true", "yes", "có", "x"]), (false, &["0", "false", "no", "không", ""])];

/// The words of a dossier's channel (any case).
pub const CHANNEL_WORDS: [(&str, &[&str]); 3] = [
    ("online", &["online", "2", "Trực tuyến"]),
    ("direct", &["direct", "1", "", "Trực tiếp"]),
    ("postal", &["postal", "3", "Bưu chính", "Dịch vụ bưu chính công ích"]),
];

/// The words of a dossier's rating (any case); another value is a rejected row.
pub const RATING_WORDS: [(&str, &[&str]); 3] = [
    ("satisfied", &["satisfied", "Hài lòng", "Rất hài lòng"]),
    ("unsatisfied", &["unsatisfied", "Không hài lòng"]),
    ("none", &[""]),
];

/// The words of an observation's kind (any case).
pub const KIND_WORDS: [(&str, &[&str]); 2] = [("census", &["census", "toàn bộ", ""]), ("sample", &["sample", "mẫu"])];

/// Every shape the tabular readers accept, as `chiso schema exports` prints it: per input, each
/// column with its aliases; containers, encodings, separators, dates, numbers and the words of
/// booleans, channels, ratings and kinds.
#[must_use]
pub fn accepted_shapes() -> serde_json::Value {
    let words = |table: &[(&str, &[&str])]| -> serde_json::Map<String, serde_json::Value> {
        table.iter().map(|(k, w)| ((*k).to_owned(), serde_json::json!(w))).collect()
    };
    let inputs: serde_json::Map<String, serde_json::Value> = INPUT_COLUMNS
        .iter()
        .map(|(input, columns)| {
            let columns: serde_json::Map<String, serde_json::Value> =
                columns.iter().map(|c| ((*c).to_owned(), serde_json::json!(aliases_of(c)))).collect();
            ((*input).to_owned(), serde_json::Value::Object(columns))
        })
        .collect();
    serde_json::json!({
        "containers": ["CSV (.csv, .txt)", "Excel 2007+ (.xlsx), told by its content; the first sheet unless --sheet", "JSON lines where formats.md allows it", "- for standard input"],
        "encodings": ["UTF-8 with or without BOM", "UTF-16 LE/BE with BOM"],
        "separators": [",", ";", "tab (detected from the header; --delimiter overrides)"],
        "line_ends": ["LF", "CRLF", "CR"],
        "header": "canonical names or aliases, after trimming, NFC and case folding; unknown columns ignored; --header-row N for a title block; --columns MAP.json for other headers and values",
        "columns": inputs,
        "dates": DATE_SHAPES,
        "numbers": ["1234", "1234.5", "1.234,5 with --decimal-comma (CSV)", "a thousands separator is never guessed"],
        "booleans": { "true": BOOLEAN_WORDS[0].1, "false": BOOLEAN_WORDS[1].1 },
        "channels": words(&CHANNEL_WORDS),
        "ratings": words(&RATING_WORDS),
        "kinds": words(&KIND_WORDS),
    })
}

/// A header name as it is compared: trimmed, NFC, lower case, inner white space collapsed to one
/// space, a byte order mark dropped.
#[must_use]
pub fn normalize(name: &str) -> String {
    let name = name.trim_start_matches('\u{feff}');
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.nfc().flat_map(char::to_lowercase));
    }
    // Lower-casing can decompose again in rare cases: compose once more.
    if out.is_ascii() { out } else { out.nfc().collect() }
}

/// The other names of `canonical`, as written in the table (empty when it has none).
#[must_use]
pub fn aliases_of(canonical: &str) -> &'static [&'static str] {
    ALIASES.iter().find(|(c, _)| *c == canonical).map_or(&[], |(_, a)| a)
}

/// The canonical column named `name` exactly (a column of some input of chiso), as a static name.
#[must_use]
pub fn canonical(name: &str) -> Option<&'static str> {
    ALIASES.iter().find(|(c, _)| *c == name).map(|(c, _)| *c)
}

/// Whether the normalized header name `header` names the column `canonical`.
#[must_use]
pub fn names(header: &str, canonical: &str) -> bool {
    header == canonical || aliases_of(canonical).iter().any(|a| normalize(a) == header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_listed_are_the_words_read() {
        for (value, words) in BOOLEAN_WORDS {
            for w in words {
                assert_eq!(crate::tabular::read::boolean_word(w), Some(value), "{w}");
                assert_eq!(crate::tabular::read::boolean_word(&w.to_uppercase()), Some(value), "{w}");
            }
        }
        for (_, columns) in INPUT_COLUMNS {
            for c in *columns {
                assert_eq!(canonical(c), Some(*c), "every column is a canonical name of the column map");
            }
        }
        let shapes = accepted_shapes();
        assert_eq!(shapes["columns"]["dossiers"]["dossier_id"], serde_json::json!(["Mã hồ sơ", "Số hồ sơ"]));
    }

    #[test]
    fn headers_match_whatever_their_case_spacing_and_normal_form() {
        let decomposed = "Ma\u{0303} ho\u{0302}\u{0300} so\u{031b}";
        for h in ["Mã hồ sơ", "  MÃ HỒ SƠ ", "mã  hồ\tsơ", decomposed, "\u{feff}Mã hồ sơ"] {
            assert!(names(&normalize(h), "dossier_id"), "{h:?}");
        }
        assert!(names(&normalize("Mã đơn vị"), "unit") && names(&normalize("Mã đơn vị"), "id"));
        assert!(!names(&normalize("Mã hồ sơ"), "unit"));
        assert!(names(&normalize("Unit"), "unit"));
    }

    #[test]
    fn every_alias_names_one_column_per_reader() {
        // Within one kind of file no header may name two wanted columns.
        let kinds = INPUT_COLUMNS.iter().map(|(_, columns)| *columns);
        for columns in kinds {
            for (canonical, aliases) in ALIASES {
                for alias in *aliases {
                    let h = normalize(alias);
                    let named: Vec<&&str> = columns.iter().filter(|c| names(&h, c)).collect();
                    assert!(named.len() <= 1, "{alias} names {named:?}");
                    if columns.contains(canonical) {
                        assert_eq!(named, [canonical], "{alias}");
                    }
                }
            }
        }
    }
}
