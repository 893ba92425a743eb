//! The label catalogue: every word a person reads, in Vietnamese and English, written once.
//!
//! This module is a leaf: it imports no other module of the crate, so the domain modules
//! (`plan`, `evaluate`, `score766`, …) may call into it without an import cycle, and every front
//! end (the CLI, the WASM package and through it the dashboard) takes its words from here.
//!
//! # How it is keyed
//!
//! Each section is an enum, one variant per label, declared with the `section!` macro: the
//! variant, a stable string key (the code that JSON already uses where one exists — a status, a
//! reason code, a metric or group code; a camelCase word key otherwise), the Vietnamese and the
//! English text.
//! Domain types map onto a section by an exhaustive `match` (`Status::label`, `Reason::label`,
//! `Confidence::label`), so a new status does not compile until it has its words; metric and group
//! codes, which are data of a profile, are looked up by key, and a test checks that every code of
//! both built-in profiles has a label. To add a label: add one line to its section. To add a
//! section: one more `section!`, one more field of [`Catalogue`] and its TypeScript union.
//!
//! Rejection reasons and error messages are two more sections, [`RejectionText`] and
//! [`ErrorText`]: every reader builds its English reason with [`RejectionText::en`], which is the
//! JSON `reason` (unchanged, a contract), and [`localize`] maps such an English text back to its
//! entry and out in Vietnamese, so no JSON output needs a new field. To add a reason: one line in
//! [`RejectionText`], used by the reader; the tests check that it round-trips and that no other
//! template can claim its text (a template needs some literal text, and no two placeholders side
//! by side). Front ends show a rejected row with `Rejection::to_string_in`, an error with
//! `Error::message_in` (and `InputError`, `PlanError`, `ProfileError`'s), any other English text of
//! these sections with [`localize`]; the WASM package exports the last two as `rejectionText` and
//! `localizeText`. Why match text rather than carry a key: the `reason` of the JSON and the message
//! of the C and JS errors are contracts (byte-identical golden vectors), and a key beside them
//! would be a new field of every output.
//!
//! Texts with values hold named placeholders (`{period}`, `{count}`), filled by [`fill`] in Rust
//! and by the same rule in JavaScript, so a translation may move a value within its sentence.
//!
//! # Wording (where earlier copies disagreed)
//!
//! - `off_track` is **chậm tiến độ**, the term of Vietnamese administrative progress reports (the
//!   report said "chệch hướng", a calque of the English idiom that officials do not use);
//!   `at_risk` stays **có nguy cơ** and `on_track` **đúng tiến độ**, so the three read as a scale.
//! - Observations are **số liệu** (statistical figures), as in the plan's and the reasons' own
//!   text: `no_data` **không có số liệu**, `insufficient_data` **thiếu số liệu**, `invalid`
//!   **số liệu không hợp lệ** (the report said "dữ liệu", the general word for data, which the
//!   plan keeps for data stores and population data).
//! - Labels are written in lower case where they stand inside a sentence or a table cell (the
//!   report's form); the dashboard capitalises the first letter where a label starts a line.

use std::collections::BTreeMap;
use std::fmt::Display;

mod localize;
pub use localize::localize;

/// A language of labels and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Vietnamese (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Every language.
    pub const ALL: [Self; 2] = [Self::Vi, Self::En];

    /// The code: `vi` or `en`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }
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

/// One label in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text {
    /// Vietnamese.
    pub vi: &'static str,
    /// English.
    pub en: &'static str,
}

impl Text {
    /// The text in `lang`.
    #[must_use]
    pub const fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

/// Replaces each `{name}` of `template` by its value; an unknown name stays as written.
#[must_use]
pub fn fill(template: &str, values: &[(&str, &dyn Display)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    // Byte searches (the braces are ASCII) and values written in place: a reader builds one of
    // these per rejected row, so a file of bad rows should not pay a string per value.
    while let Some(open) = memchr::memchr(b'{', rest.as_bytes()) {
        let (before, from_brace) = rest.split_at(open);
        out.push_str(before);
        let close = memchr::memchr(b'}', from_brace.as_bytes());
        let name = close.and_then(|c| from_brace.get(1..c));
        match (close, name.and_then(|n| values.iter().find(|(k, _)| *k == n))) {
            (Some(c), Some((_, value))) => {
                let _ = write!(out, "{value}");
                rest = from_brace.get(c + 1..).unwrap_or_default();
            }
            _ => {
                out.push('{');
                rest = from_brace.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// Declares a section of the catalogue: an enum with its keys and texts.
macro_rules! section {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal => $vi:literal, $en:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            // A double-backtick code span: the texts hold backticks and brackets (`[:SS]`) of their own.
            $(#[doc = concat!("`` ", $en, " `` (`", $key, "`).")] $variant,)+
        }

        impl $name {
            /// Every label of the section, in catalogue order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable key (the code used in JSON, or the word's key).
            #[must_use]
            pub const fn key(self) -> &'static str {
                match self { $(Self::$variant => $key,)+ }
            }

            /// Both texts.
            #[must_use]
            pub const fn text(self) -> Text {
                match self { $(Self::$variant => Text { vi: $vi, en: $en },)+ }
            }

            /// The text in `lang`.
            #[must_use]
            pub const fn get(self, lang: Lang) -> &'static str {
                self.text().get(lang)
            }

            /// The label with this key.
            #[must_use]
            pub fn from_key(key: &str) -> Option<Self> {
                match key {
                    $($key => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

section! {
    /// The status of a target (`plan.md`), keyed by its JSON code.
    StatusLabel {
        Met = "met" => "đạt", "met";
        NotMet = "not_met" => "không đạt", "not met";
        MetEarly = "met_early" => "đạt sớm", "met early";
        OnTrack = "on_track" => "đúng tiến độ", "on track";
        AtRisk = "at_risk" => "có nguy cơ", "at risk";
        OffTrack = "off_track" => "chậm tiến độ", "off track";
        InProgress = "in_progress" => "đang thực hiện", "in progress";
        InsufficientData = "insufficient_data" => "thiếu số liệu", "insufficient data";
        NoData = "no_data" => "không có số liệu", "no data";
        Invalid = "invalid" => "số liệu không hợp lệ", "invalid data";
    }
}

section! {
    /// Why a result has its status, keyed by its `reason_code`. The English text is the JSON
    /// `reason`; placeholders: `{period}`, `{count}`.
    ReasonLabel {
        AllRejected = "all_rejected" =>
            "mọi số liệu của đơn vị và chỉ tiêu này đều bị loại (xem danh sách dòng bị loại)",
            "every observation of this unit and indicator was rejected (see `rejected`)";
        NoObservationIn = "no_observation_in_period" => "không có số liệu kỳ {period}", "no observation in {period}";
        TooFewPoints = "too_few_points" =>
            "mới có {count} kỳ số liệu; cần ít nhất 2 kỳ (năm, hoặc tháng trong 24 tháng gần nhất) để dự báo",
            "{count} observed period(s); a projection needs at least 2 (years, or months in the last 24)";
        PointsAtOneTime = "points_at_one_time" =>
            "các kỳ số liệu trùng thời điểm, không dự báo được", "the observed periods all lie at one time";
        Overflow = "overflow" => "tổng vượt quá giới hạn số đếm 64 bit", "the sum overflows a 64-bit count";
        MixedCensusAndSample = "mixed_census_and_sample" =>
            "một kỳ trộn số liệu điều tra toàn bộ và điều tra mẫu", "a period mixes census and sample observations";
        SampleWithoutPopulation = "sample_without_population" =>
            "số liệu mẫu không có quy mô dân số nên không cộng dồn được",
            "sampled values without a population size cannot be rolled up";
        ZeroDenominator = "zero_denominator" => "mẫu số bằng 0", "the denominator is 0";
        NoPreviousPeriod = "no_previous_period" =>
            "không có số liệu kỳ {period} để so sánh", "no value for {period} to compare with";
        NoThreshold = "no_threshold" => "mục tiêu không có ngưỡng để dự báo", "the target has no threshold to project to";
    }
}

section! {
    /// What a 95 % interval says about a sampled value, keyed by its JSON code.
    ConfidenceLabel {
        Census = "census" => "điều tra toàn bộ", "census";
        Significant = "significant" => "có ý nghĩa thống kê", "significant";
        Inconclusive = "inconclusive" => "chưa đủ để kết luận", "inconclusive";
    }
}

section! {
    /// The metrics of Decision 766/QĐ-TTg, keyed by their code (both built-in profiles).
    MetricLabel {
        PublishOnTime = "PUBLISH_ON_TIME" => "Công bố TTHC đúng hạn", "Procedures published on time";
        PublicUpdateOnTime = "PUBLIC_UPDATE_ON_TIME" =>
            "Công khai, cập nhật TTHC đúng hạn", "Procedures made public on time";
        PublicContentFull = "PUBLIC_CONTENT_FULL" => "TTHC công khai đầy đủ nội dung", "Procedures published in full";
        DossierSync = "DOSSIER_SYNC" =>
            "Hồ sơ đồng bộ lên Cổng DVC quốc gia", "Dossiers synced to the national portal";
        OnTime = "ON_TIME" => "Hồ sơ giải quyết đúng hạn", "Dossiers handled on time";
        OnlineProcedures = "ONLINE_PROCEDURES" => "TTHC cung cấp trực tuyến", "Procedures offered online";
        OnlineServicesUsed = "ONLINE_SERVICES_USED" => "DVCTT có phát sinh hồ sơ trực tuyến", "Online services used";
        OnlineDossiers = "ONLINE_DOSSIERS" => "Hồ sơ nộp trực tuyến", "Dossiers filed online";
        FullOnlineDossiers = "FULL_ONLINE_DOSSIERS" => "Hồ sơ trực tuyến toàn trình", "Full-process online dossiers";
        EResult = "E_RESULT" => "Hồ sơ có kết quả điện tử", "Dossiers with an electronic result";
        Digitized = "DIGITIZED" => "Hồ sơ được số hóa", "Dossiers digitised";
        ReusedData = "REUSED_DATA" => "Hồ sơ tái sử dụng dữ liệu số hóa", "Dossiers reusing digitised data";
        SharedStorage = "SHARED_STORAGE" => "Hồ sơ dùng kho dữ liệu cá nhân", "Dossiers using the personal data store";
        CitizenDataDossiers = "CITIZEN_DATA_DOSSIERS" => "Hồ sơ dùng dữ liệu dân cư", "Dossiers using population data";
        CitizenDataProcedures = "CITIZEN_DATA_PROCEDURES" =>
            "TTHC có hồ sơ dùng dữ liệu dân cư", "Procedures using population data";
        ECertifiedCopy = "E_CERTIFIED_COPY" => "Chứng thực bản sao điện tử", "Electronic certified copies";
        PaidOnline = "PAID_ONLINE" => "Hồ sơ thanh toán trực tuyến", "Dossiers paid online";
        ProceduresPaidOnline = "PROCEDURES_PAID_ONLINE" => "TTHC có thanh toán trực tuyến", "Fee procedures paid online";
        ProceduresPaymentIntegrated = "PROCEDURES_PAYMENT_INTEGRATED" =>
            "TTHC tích hợp thanh toán", "Fee procedures with payment integrated";
        FeedbackOnTime = "FEEDBACK_ON_TIME" => "Phản ánh, kiến nghị xử lý đúng hạn", "Feedback handled on time";
        FeedbackSatisfied = "FEEDBACK_SATISFIED" => "Hài lòng về xử lý phản ánh", "Feedback handled to satisfaction";
        DossierSatisfied = "DOSSIER_SATISFIED" => "Hài lòng về giải quyết hồ sơ", "Dossiers handled to satisfaction";
    }
}

section! {
    /// The metric groups of Decision 766/QĐ-TTg, keyed by their code. `TDGQ` is named more
    /// broadly in the 2022 text than on the portal: that name has its own key, `TDGQ.decision-2022`
    /// (see [`GroupLabel::of`]).
    GroupLabel {
        Transparency = "CKMB" => "Công khai, minh bạch", "transparency";
        Timeliness = "TDGQ" => "Tiến độ giải quyết", "timeliness";
        TimelinessAndResults = "TDGQ.decision-2022" => "Tiến độ, kết quả giải quyết", "timeliness and results";
        OnlineServices = "CLGQ" => "Dịch vụ công trực tuyến", "online services";
        Digitisation = "MDSH" => "Số hóa hồ sơ", "digitisation";
        OnlinePayment = "TTTT" => "Thanh toán trực tuyến", "online payment";
        OnlineServiceProvision = "DVCT" => "Cung cấp dịch vụ trực tuyến", "online service provision";
        Satisfaction = "MDHL" => "Mức độ hài lòng", "satisfaction";
    }
}

impl GroupLabel {
    /// The label of group `code` in profile `profile`: the profile-qualified key
    /// (`TDGQ.decision-2022`) first, then the code.
    #[must_use]
    pub fn of(profile: &str, code: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|g| g.key().strip_prefix(code).and_then(|r| r.strip_prefix('.')) == Some(profile))
            .or_else(|| Self::from_key(code))
    }
}

section! {
    /// The words of reports, of the command line and of the dashboard, keyed by a camelCase name.
    /// A word that two front ends show the same way is one entry used by both.
    Word {
        // Report columns and titles (the CLI's table, Markdown and CSV; the dashboard's cards).
        Indicator = "indicator" => "Chỉ tiêu", "Indicator";
        Period = "period" => "Kỳ", "Period";
        Value = "value" => "Giá trị", "Value";
        Ratio = "ratio" => "Tử số/Mẫu số", "Num/Den";
        Target = "target" => "Mục tiêu", "Target";
        Status = "status" => "Tình trạng", "Status";
        Gap = "gap" => "Còn thiếu", "Gap";
        Deadline = "deadline" => "Thời hạn", "Deadline";
        Note = "note" => "Ghi chú", "Note";
        AsOf = "asOf" => "tính đến ngày", "as of";
        RejectedRows = "rejected" => "dòng bị loại", "rejected rows";
        Unit = "unit" => "Đơn vị", "Unit";
        ByRoleTitle = "byRoleTitle" => "Theo người chịu trách nhiệm (mục VI của kế hoạch)", "By who must act (section VI of the plan)";
        RoleAttention = "roleAttention" => "{count} cần xử lý ngay", "{count} need action now";
        RoleNothing = "roleNothing" => "không có chỉ tiêu nào được giao", "no indicator assigned";
        ProRataToggle = "proRataToggle" =>
            "Đánh giá năm chưa kết thúc theo tiến độ", "Judge the open year pro rata";
        ByRoleShort = "byRoleShort" => "Ai cần làm gì", "Who must act";
        Unassigned = "unassigned" => "Chưa giao cho ai", "Not assigned to any role";
        Projected = "projected" => "dự báo", "projected";
        ProRataNote = "proRataNote" =>
            "theo tiến độ ({elapsed}/{days} ngày) cần {expected}/{denominator}",
            "pro rata ({elapsed}/{days} days) {expected}/{denominator} expected by now";
        PointsWord = "pointsWord" => "điểm", "points";
        RolledUp = "rolledUp" => "cộng dồn từ đơn vị cấp dưới", "rolled up from child units";
        RankWord = "rankWord" => "hạng", "rank";
        SetBy = "setBy" => "do", "set by";
        Improves = "improves" => "cao hơn kỳ trước", "above previous period";
        // The Decision 766 scorecard.
        Scorecard766 = "scorecard766" => "Chỉ số phục vụ theo Quyết định 766/QĐ-TTg",
            "Decision 766/QĐ-TTg service-quality index";
        ScorecardHeading = "scorecardHeading" => "Bảng điểm Quyết định 766 — phiên bản {profile}, kỳ {period}",
            "Decision 766 scorecard — profile {profile}, period {period}";
        Metric = "metric" => "Chỉ số", "Metric";
        Percent = "percent" => "Tỷ lệ", "Ratio";
        Points = "points" => "Điểm", "Points";
        Total = "total" => "Tổng điểm", "Total";
        NoUnits = "noUnits" => "(không có đơn vị)", "(no units)";
        // A Decision 766 series (several periods).
        SeriesHeading = "seriesHeading" => "Chuỗi điểm Quyết định 766 — phiên bản {profile}, các kỳ {range}",
            "Decision 766 series — profile {profile}, periods {range}";
        SeriesNote = "seriesNote" =>
            "mỗi ô: điểm của kỳ (thay đổi so với kỳ trước); *: đơn vị thiếu số liệu hoặc có số liệu không hợp lệ ở kỳ đó (chỉ số ấy được 0 điểm); — : đơn vị không có trong bảng điểm của kỳ",
            "each cell: the period's score (change from the previous period); *: the unit's data were incomplete that period (a missing or invalid metric scored 0); —: the unit is not in that period's scorecard";
        Change = "change" => "Thay đổi", "Change";
        TotalsOverTime = "totalsOverTime" => "Tổng điểm qua các kỳ", "Totals over the periods";
        // Points to gain (the scorecard's `gain`): the CLI's table and Markdown, the dashboard.
        PointsToGain = "pointsToGain" => "Điểm có thể tăng", "Points to gain";
        PointsToGainOf = "pointsToGainOf" => "Điểm có thể tăng — {unit}", "Points to gain — {unit}";
        GainNote = "gainNote" =>
            "Số đơn vị cần thêm vào tử số (hồ sơ, thủ tục…), giữ nguyên mẫu số; với chỉ số có ngưỡng, \
             số cần thêm để đạt ngưỡng. Chỉ số rẻ nhất (ít đơn vị nhất cho 1 điểm) xếp trước.",
            "Additional numerator units (dossiers, procedures, …) with the denominator as it is; for a \
             threshold rule, the count to reach the threshold. Cheapest first (fewest units for the next point).";
        PointsLost = "pointsLost" => "Điểm bị mất", "Lost";
        UnitsNextPoint = "unitsNextPoint" => "Cần thêm để tăng 1 điểm", "+units for next point";
        UnitsToMax = "unitsToMax" => "Cần thêm để đạt tối đa", "+units to max";
        NothingToGain = "nothingToGain" => "(mọi chỉ số đã đạt điểm tối đa)", "(every metric at its maximum)";
        NoCountToGain = "noCountToGain" => "không có mẫu số", "no denominator";
        // The Excel workbooks (`--format xlsx`): sheet names (at most 31 characters) and headers.
        SheetResults = "sheetResults" => "Kết quả", "Results";
        SheetCharts = "sheetCharts" => "Biểu đồ", "Charts";
        SheetRejected = "sheetRejected" => "Dòng bị loại, cảnh báo", "Rejected rows, warnings";
        SheetMissing = "sheetMissing" => "Thiếu số liệu", "Missing data";
        SheetScorecard = "sheetScorecard" => "Bảng điểm", "Scorecard";
        SheetDetail = "sheetDetail" => "Chi tiết", "Detail";
        SheetSeries = "sheetSeries" => "Chuỗi điểm", "Series";
        UnitName = "unitName" => "Tên đơn vị", "Unit name";
        ParentUnit = "parentUnit" => "Đơn vị cấp trên", "Parent unit";
        Level = "level" => "Cấp", "Level";
        IndicatorCode = "indicatorCode" => "Mã chỉ tiêu", "Indicator code";
        TargetCode = "targetCode" => "Mã mục tiêu", "Target code";
        MetricCode = "metricCode" => "Mã chỉ số", "Metric code";
        Numerator = "numerator" => "Tử số", "Numerator";
        Denominator = "denominator" => "Mẫu số", "Denominator";
        Comparison = "comparison" => "So sánh", "Comparison";
        ThresholdColumn = "thresholdColumn" => "Ngưỡng", "Threshold";
        ThresholdSetBy = "thresholdSetBy" => "Ngưỡng do", "Threshold set by";
        ConfidenceColumn = "confidenceColumn" => "Độ tin cậy", "Confidence";
        CiLow = "ciLow" => "KTC 95% cận dưới", "CI95 low";
        CiHigh = "ciHigh" => "KTC 95% cận trên", "CI95 high";
        ProjectionMethod = "projectionMethod" => "Phương pháp dự báo", "Projection method";
        ProjectedValue = "projectedValue" => "Giá trị dự báo", "Projected value";
        RankedOf = "rankedOf" => "Số đơn vị xếp hạng", "Units ranked";
        RolledUpColumn = "rolledUpColumn" => "Cộng dồn", "Rolled up";
        ExpectedNumerator = "expectedNumerator" => "Cần đạt theo tiến độ", "Expected by now (pro rata)";
        SourceColumn = "sourceColumn" => "Nguồn số liệu", "Source of the value";
        RoleColumn = "roleColumn" => "Người chịu trách nhiệm", "Who must act";
        Yes = "yes" => "có", "yes";
        No = "no" => "không", "no";
        MaxPoints = "maxPoints" => "Điểm tối đa", "Maximum";
        Rule = "rule" => "Cách tính", "Rule";
        MetricScored = "metricScored" => "tính từ số đếm", "scored";
        Kind = "kind" => "Loại", "Kind";
        RejectedOne = "rejectedOne" => "bị loại", "rejected";
        SourceFile = "sourceFile" => "Tệp", "File";
        RowNumber = "rowNumber" => "Dòng", "Row";
        ColumnName = "columnName" => "Cột", "Column";
        Reason = "reason" => "Lý do", "Reason";
        NotListed = "notListed" => "{count} dòng khác không được liệt kê", "{count} more not listed";
        GroupScoresByUnit = "groupScoresByUnit" => "Điểm các nhóm theo đơn vị", "Group scores by unit";
        FirstUnits = "firstUnits" => "{count} đơn vị đầu", "first {count} units";
        XlsxNeedsOutput = "xlsxNeedsOutput" =>
            "`--format xlsx` cần `-o TỆP` (hoặc `-o -` để ghi ra đầu ra chuẩn)",
            "`--format xlsx` needs `-o FILE` (or `-o -` for standard output)";
        // The command line's messages (after `chiso: `).
        Warning = "warning" => "cảnh báo", "warning";
        Error = "error" => "lỗi", "error";
        NoteWord = "noteWord" => "lưu ý", "note";
        RejectedRow = "rejectedRow" => "dòng bị loại: {row}", "rejected {row}";
        MoreRejected = "moreRejected" =>
            "… và {count} dòng bị loại khác (`--format json` liệt kê 10 000 dòng đầu)",
            "… and {count} more rejected rows (`--format json` lists the first 10 000)";
        MoreWarnings = "moreWarnings" =>
            "… và {count} cảnh báo khác (`--format json` liệt kê 10 000 cảnh báo đầu)",
            "… and {count} more warnings (`--format json` lists the first 10 000)";
        MissingMetrics = "missingMetrics" =>
            "{count} chỉ số của đơn vị thiếu số liệu, được 0 điểm; đơn vị thiếu số liệu không được xếp hạng (`--rank-incomplete` để xếp cả): {codes}",
            "{count} unit metric(s) missing, scored 0; incomplete units are not ranked (`--rank-incomplete` ranks them): {codes}";
        InvalidMetrics = "invalidMetrics" =>
            "{count} chỉ số của đơn vị chỉ có dòng bị loại, được 0 điểm: {codes}",
            "{count} unit metric(s) invalid (their only rows were rejected), scored 0: {codes}";
        MetricMissing = "metricMissing" => "thiếu số liệu", "missing";
        MetricInvalid = "metricInvalid" => "số liệu bị loại", "invalid";
        MetricPublished = "metricPublished" => "theo công bố", "published";
        CompleteColumn = "completeColumn" => "đủ số liệu", "complete";
        CompleteYes = "completeYes" => "đủ", "yes";
        CompleteNo = "completeNo" => "thiếu {missing}, bị loại {invalid}", "{missing} missing, {invalid} invalid";
        CannotRead = "cannotRead" => "không đọc được `{path}`: {error}", "cannot read `{path}`: {error}";
        CannotWrite = "cannotWrite" => "không ghi được kết quả: {error}", "cannot write the report: {error}";
        StdinOnce = "stdinOnce" =>
            "chỉ một tệp có thể là `-` (đầu vào chuẩn chỉ đọc được một lần)",
            "only one input can be `-` (standard input can be read once)";
        NoSuchCommand = "noSuchCommand" => "không có lệnh `{word}` trong `{command}`", "`{command}` has no command `{word}`";
        CannotCreate = "cannotCreate" => "không tạo được `{path}`: {error}", "cannot create `{path}`: {error}";
        RowsRejectedExit = "rowsRejectedExit" =>
            "{count} dòng bị loại (`--fail-on-rejected`: mã thoát 3)",
            "{count} row(s) rejected (`--fail-on-rejected`: exit status 3)";
        NeedCountsOrDossiers = "needCountsOrDossiers" =>
            "cần `--counts TỆP`, hoặc `--dossiers TỆP` kèm `--period YYYY-MM`",
            "give `--counts FILE`, or `--dossiers FILE` with `--period YYYY-MM`";
        DossiersNeedPeriod = "dossiersNeedPeriod" =>
            "`--dossiers` cần kèm `--period YYYY-MM`", "`--dossiers` needs `--period YYYY-MM`";
        OneCountsAlone = "oneCountsAlone" =>
            "không có `--dossiers` thì chỉ cho một tệp `--counts`, hoặc mỗi kỳ một tệp kèm `--period ĐẦU..CUỐI`",
            "without `--dossiers`, give one `--counts` file, or one per period with `--period FIRST..LAST`";
        // The dashboard.
        Title = "title" => "Chỉ số dịch vụ công trực tuyến", "Online public service indicators";
        Subtitle = "subtitle" => "Kế hoạch của thị trấn: tiến độ các chỉ tiêu và Bộ chỉ số 766",
            "The town's plan: progress on each target, and the Decision 766 index";
        Language = "language" => "Ngôn ngữ", "Language";
        Units = "units" => "Đơn vị", "Units";
        Indicators = "indicators" => "Chỉ tiêu", "Indicators";
        Trends = "trends" => "Xu hướng và dự báo", "Trends and projections";
        NoValue = "noValue" => "chưa có số liệu", "no data";
        ProjectedTo = "projectedTo" => "dự báo đến", "projected to";
        Threshold = "threshold" => "ngưỡng", "threshold";
        Rank = "rank" => "Xếp hạng", "Rank";
        ScorecardTitle = "scorecard" => "Bộ chỉ số 766 (Quyết định 766/QĐ-TTg)",
            "Decision 766 scorecard (Decision 766/QĐ-TTg)";
        Profile = "profile" => "Phiên bản", "Profile";
        Group = "group" => "Nhóm", "Group";
        OpenFile = "openFile" => "Tải tệp CSV của bạn (số liệu chỉ tiêu hoặc hồ sơ)",
            "Load your own CSV (observations or dossiers)";
        FileHint = "fileHint" => "Tệp được xử lý ngay trên máy bạn, không gửi đi đâu.",
            "The file is processed on your computer and sent nowhere.";
        Processing = "processing" => "Đang xử lý", "Processing";
        Done = "done" => "Xong", "Done";
        Rows = "rows" => "dòng", "rows";
        NoneWord = "none" => "không có", "none";
        Loading = "loading" => "Đang tải…", "Loading…";
        SampleScorecard = "sampleScorecard" => "Điểm tháng từ hồ sơ mẫu", "Monthly score from the sample dossiers";
        YourFile = "yourFile" => "Tệp của bạn", "Your file";
        UnknownFile = "unknownFile" =>
            "Không nhận ra tệp: cần cột `indicator` (số liệu) hoặc `dossier_id` (hồ sơ)",
            "File not recognised: it needs an `indicator` column (observations) or `dossier_id` (dossiers)";
        Missing = "missing" => "Chỉ số thiếu số liệu", "Metrics without data";
        UseSample = "useSample" => "Dùng units.csv và procedures.csv của thị trấn mẫu",
            "Use the sample town's units.csv and procedures.csv";
        // `chiso portal check`.
        PortalCheckHeading = "portalCheckHeading" =>
            "Đối chiếu điểm công bố trên Cổng DVC quốc gia — kỳ {period}, phiên bản {profile}",
            "Check of the national portal's published scores — period {period}, profile {profile}";
        PortalSummary = "portalSummary" =>
            "{reproduced} trên {total} giá trị công bố được tính lại khớp, {unrecomputable} giá trị không tính lại được",
            "{reproduced} of {total} published values reproduced, {unrecomputable} not recomputable";
        Endpoint = "endpoint" => "Điểm cuối", "Endpoint";
        Published = "published" => "Công bố", "Published";
        Computed = "computed" => "Tính lại", "Computed";
        Reproduced = "reproduced" => "khớp", "reproduced";
        Disagreement = "disagreement" => "lệch", "disagreement";
        NotRecomputable = "notRecomputable" => "công bố, không tính lại được", "published, not recomputable";
        Disagreements = "disagreements" => "Các giá trị lệch", "Disagreements";
        CountsBehind = "countsBehind" => "Số đếm", "Counts";
        AverageOfUnits = "averageOfUnits" => "trung bình các đơn vị", "average of the units";
        PortalNotes = "portalNotes" => "Ghi chú chất lượng số liệu của cổng", "The portal's data-quality notes";
        // `chiso score766 explain` and the dashboard's list behind a scorecard cell.
        ExplainHeading = "explainHeading" =>
            "Bản ghi làm giảm {metric} của {unit}, kỳ {period}: {numerator}/{denominator}, thiếu {shortfall}",
            "Records behind {metric} of {unit}, {period}: {numerator}/{denominator}, {shortfall} short";
        ExplainListed = "explainListed" => "liệt kê {listed} trên {total} bản ghi", "{listed} of {total} records listed";
        ExplainNothing = "explainNothing" => "không có bản ghi nào làm giảm chỉ số này", "no record falls short on this metric";
        ExplainOpen = "explainOpen" => "xem các bản ghi làm giảm điểm", "show the records that cost points";
        ExplainClose = "explainClose" => "đóng", "close";
        RecordId = "recordId" => "Mã hồ sơ", "Record id";
        ReceivedAt = "receivedAt" => "Tiếp nhận", "Received";
        DueAt = "dueAt" => "Hạn xử lý", "Due";
        FinishedAt = "finishedAt" => "Hoàn thành", "Finished";
        SupplementRequests = "supplementRequests" => "Lần yêu cầu bổ sung", "Supplement requests";
        SupplementDays = "supplementDays" => "Ngày bổ sung", "Supplement days";
        ChannelColumn = "channelColumn" => "Kênh nộp", "Channel";
        ProcedureColumn = "procedureColumn" => "Thủ tục", "Procedure";
        ShortfallLateSupplements = "shortfallLateSupplements" =>
            "trễ hạn: yêu cầu bổ sung quá một lần", "late: more than one supplement request";
        ShortfallLateFinished = "shortfallLateFinished" =>
            "trễ hạn: hoàn thành sau hạn cộng thời gian bổ sung", "late: finished after the due date plus the supplement days";
        ShortfallLateOpen = "shortfallLateOpen" =>
            "trễ hạn: chưa hoàn thành, đã quá hạn vào cuối tháng", "late: still open past its due date at the month's end";
        ShortfallUnsatisfiedRating = "shortfallUnsatisfiedRating" => "đánh giá không hài lòng", "rated unsatisfied";
        ShortfallComplaint = "shortfallComplaint" => "có khiếu nại", "a complaint was filed";
        ShortfallNotOnline = "shortfallNotOnline" => "không nộp trực tuyến", "not filed online";
        ShortfallPaperWithoutEResult = "shortfallPaperWithoutEResult" =>
            "kết quả giấy, không có kết quả điện tử", "a paper result without an electronic result";
        ShortfallNotFullService = "shortfallNotFullService" =>
            "thủ tục chưa cung cấp toàn trình", "its procedure is not offered as a full-process service";
        ShortfallNotSynced = "shortfallNotSynced" => "chưa đồng bộ lên Cổng DVC quốc gia", "not synced to the national portal";
        ShortfallNotDigitized = "shortfallNotDigitized" => "chưa được số hóa", "not digitised";
        ShortfallNotReused = "shortfallNotReused" => "không tái sử dụng dữ liệu số hóa", "digitised data not reused";
        ShortfallNotSharedStorage = "shortfallNotSharedStorage" =>
            "không dùng kho dữ liệu cá nhân", "the personal data store not used";
        ShortfallNoCitizenData = "shortfallNoCitizenData" => "không dùng dữ liệu dân cư", "the population data not used";
        ShortfallFeeNotPaidOnline = "shortfallFeeNotPaidOnline" => "phí, lệ phí không thanh toán trực tuyến", "the fee not paid online";
        ShortfallFeedbackLate = "shortfallFeedbackLate" => "phản ánh xử lý sau hạn", "feedback handled after its due date";
        ShortfallFeedbackOpenLate = "shortfallFeedbackOpenLate" =>
            "phản ánh chưa xử lý, đã quá hạn vào cuối tháng", "feedback still open past its due date at the month's end";
        ShortfallFeedbackUnsatisfied = "shortfallFeedbackUnsatisfied" =>
            "người phản ánh không hài lòng", "the sender was not satisfied";
        ShortfallFeedbackRaisedAgain = "shortfallFeedbackRaisedAgain" => "phản ánh lại", "raised again by the sender";
        ShortfallProcedureNotOnline = "shortfallProcedureNotOnline" =>
            "thủ tục chưa cung cấp trực tuyến", "the procedure is not offered online";
        ShortfallNoOnlineDossier = "shortfallNoOnlineDossier" =>
            "không có hồ sơ trực tuyến trong kỳ", "no online dossier in the period";
        ShortfallNoPaidOnlineDossier = "shortfallNoPaidOnlineDossier" =>
            "không có hồ sơ thanh toán trực tuyến trong kỳ", "no dossier paid online in the period";
        ShortfallPaymentNotIntegrated = "shortfallPaymentNotIntegrated" =>
            "chưa tích hợp thanh toán trực tuyến", "online payment not integrated";
        ShortfallNoCitizenDataDossier = "shortfallNoCitizenDataDossier" =>
            "không có hồ sơ dùng dữ liệu dân cư trong kỳ", "no dossier using the population data in the period";
        SourceTyped = "sourceTyped" => "số liệu nhập", "typed figures";
        SourceDerived = "sourceDerived" => "suy ra từ hồ sơ ({rule})", "derived from records ({rule})";
        SourceMixed = "sourceMixed" =>
            "số liệu nhập và suy ra từ hồ sơ ({rule})", "typed and derived from records ({rule})";
        ShortfallTitle = "shortfallTitle" =>
            "{indicator}, {unit}, {period}: {numerator}/{denominator}, thiếu {shortfall}",
            "{indicator}, {unit}, {period}: {numerator}/{denominator}, {shortfall} short";
        ShortfallMore = "shortfallMore" => "… và {count} bản ghi khác", "… and {count} more records";
        ShortfallReason = "shortfallReason" => "Lý do", "Reason";
        RecordWord = "recordWord" => "Bản ghi", "Record";
        ProcedureWord = "procedureWord" => "Thủ tục", "Procedure";
        ReasonNotOnlineChannel = "reasonNotOnlineChannel" => "không nộp trực tuyến", "not filed online";
        ReasonPaperResult = "reasonPaperResult" =>
            "thủ tục trả kết quả giấy nhưng không có kết quả điện tử", "paper-result procedure without an electronic result";
        ReasonRatedUnsatisfied = "reasonRatedUnsatisfied" => "đánh giá không hài lòng", "rated unsatisfied";
        ReasonNotOfferedFull = "reasonNotOfferedFull" =>
            "đủ điều kiện nhưng chưa cung cấp toàn trình", "eligible but not offered full-process online";
        NeedDossiers = "needDossiers" => "cần `--dossiers TỆP`", "give `--dossiers FILE`";
        DossiersNotStdin = "dossiersNotStdin" =>
            "`--dossiers` phải là một tệp (được đọc hai lần), không phải `-`",
            "`--dossiers` must be a file (it is read twice), not `-`";
        RowOf = "rowOf" => "{source}, dòng {row}", "{source}, row {row}";
        DerivedCount = "derivedCount" =>
            "{count} số liệu suy ra từ hồ sơ, {from} – {to}", "{count} observations derived from records, {from} to {to}";
    }
}

section! {
    /// Why a row was rejected, keyed by a stable rejection code. The English text, filled by
    /// [`RejectionText::en`], is the `reason` of the JSON `Rejection` (a contract: the golden
    /// vectors compare it byte for byte); [`localize`] turns it into Vietnamese. Placeholders are
    /// the row's values, except `{reason}`, which holds another reason of the catalogue and is
    /// localised in its turn.
    RejectionText {
        // Any CSV reader.
        FieldTooLong = "field_too_long" =>
            "trường dài {bytes} byte, vượt giới hạn {limit} byte", "field is {bytes} bytes, over the {limit} byte limit";
        NotUtf8 = "not_utf8" => "không phải văn bản UTF-8 (lỗi ở byte {byte})", "not UTF-8 (byte {byte})";
        NotUtf8InFile = "not_utf8_in_file" =>
            "không phải văn bản UTF-8 (byte {byte} của trường, byte {offset} của tệp): tệp có lẽ không phải UTF-8 (Windows-1258 hay CP1252?); hãy mở tệp và lưu lại dạng \"CSV UTF-8\"",
            "not UTF-8 (byte {byte} of the field, byte {offset} of the file): the file is probably not UTF-8 (Windows-1258 or CP1252?); open it and save it again as \"CSV UTF-8\"";
        CellError = "cell_error" =>
            "ô {cell} chứa lỗi `{value}` của Excel", "cell {cell} holds the Excel error `{value}`";
        MergedCell = "merged_cell" =>
            "ô {cell} nằm trong vùng ô gộp {range}: chỉ ô {first} có giá trị; hãy bỏ gộp ô và điền giá trị cho từng dòng",
            "cell {cell} is inside the merged cells {range}, whose value only {first} holds; unmerge them and fill every row";
        FormulaNoValue = "formula_no_value" =>
            "ô {cell} có công thức `{formula}` nhưng không có giá trị đã tính; hãy mở tệp bằng Excel, để Excel tính rồi lưu lại",
            "cell {cell} holds the formula `{formula}` without a computed value; open the file in Excel, let it calculate, and save it again";
        UnterminatedQuote = "unterminated_quote" =>
            "dấu ngoặc kép không được đóng: trường mở ngoặc không đóng trong vòng 64 KiB hoặc trước cuối tệp, \
             nên dòng kết thúc ở cuối dòng nơi trường mở ngoặc",
            "an unterminated quote: the quoted field is not closed within 64 KiB or by the end of the file, so \
             the row ends at the end of the line where the field opens";
        BadQuote = "bad_quote" =>
            "dấu ngoặc kép nằm trong một trường không đặt trong ngoặc kép, hoặc sau dấu ngoặc đóng",
            "a quote inside a field that is not quoted, or after its closing quote";
        TooManyFields = "too_many_fields" =>
            "có {count} trường, dòng tiêu đề có {width}", "has {count} fields, the header has {width}";
        LineTooLong = "line_too_long" => "dòng dài quá {max} byte", "line is over {max} bytes";
        Empty = "empty" => "bị để trống", "is empty";
        NotCount = "not_a_count" => "`{value}` không phải số nguyên không âm", "`{value}` is not a non-negative integer";
        CountOverflow = "count_overflow" =>
            "`{value}` vượt quá giới hạn số đếm 64 bit", "`{value}` overflows a 64-bit count";
        NotBoolean = "not_a_boolean" =>
            "`{value}` không phải giá trị có/không (1/0, true/false, yes/no, có/không, x, để trống)",
            "`{value}` is not a boolean (1/0, true/false, yes/no, có/không, x, empty)";
        // Dates, periods and decimals.
        NotDateTime = "not_a_date_time" =>
            "`{value}` không phải ngày (cần dạng YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][+07:00|Z], DD/MM/YYYY[ HH:MM[:SS]] hoặc DD-MM-YYYY[ HH:MM[:SS]])",
            "`{value}` is not a date (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][+07:00|Z], DD/MM/YYYY[ HH:MM[:SS]] or DD-MM-YYYY[ HH:MM[:SS]])";
        NotDate = "not_a_date" =>
            "`{value}` không phải ngày (cần dạng YYYY-MM-DD)", "`{value}` is not a date (expected YYYY-MM-DD)";
        NotDay = "not_a_day" =>
            "`{value}` không phải ngày (cần dạng YYYY-MM-DD, DD/MM/YYYY hoặc DD-MM-YYYY)",
            "`{value}` is not a date (expected YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY)";
        HasTime = "has_time" =>
            "`{value}` có giờ trong ngày; ở đây chỉ cần ngày (YYYY-MM-DD)",
            "`{value}` has a time of day; a date alone is expected here (YYYY-MM-DD)";
        NoSuchDay = "no_such_day" => "`{value}` không phải một ngày có trên lịch", "`{value}` is not a day of the calendar";
        NoSuchTime = "no_such_time" =>
            "`{value}` không phải giờ hợp lệ (giờ từ 00 đến 23, phút từ 00 đến 59)",
            "`{value}` is not a time of day (hours 00 to 23, minutes 00 to 59)";
        NotPeriod = "not_a_period" =>
            "`{value}` không phải kỳ (cần dạng YYYY, YYYY-Qn hoặc YYYY-MM)",
            "`{value}` is not a period (expected YYYY, YYYY-Qn or YYYY-MM)";
        RangeMixed = "range_mixed" =>
            "`{first}` và `{last}` không cùng loại kỳ (hai đầu của khoảng phải cùng là tháng, quý hoặc năm)",
            "`{first}` and `{last}` are not periods of one kind (both ends of a range are months, quarters or years)";
        RangeReversed = "range_reversed" =>
            "kỳ đầu `{first}` nằm sau kỳ cuối `{last}`", "the first period `{first}` is after the last `{last}`";
        RangeTooLong = "range_too_long" =>
            "khoảng `{range}` có {count} kỳ, vượt giới hạn {max} kỳ",
            "the range `{range}` has {count} periods, over the limit of {max}";
        NotDecimal = "not_a_decimal" =>
            "`{value}` không phải số thập phân không âm", "`{value}` is not a non-negative decimal number";
        DecimalTooLarge = "decimal_too_large" => "`{value}` quá lớn", "`{value}` is too large";
        TooManyDecimals = "too_many_decimals" =>
            "`{value}` có quá nhiều chữ số thập phân", "`{value}` has too many decimals";
        OverNineDecimals = "over_9_decimals" =>
            "`{value}` có hơn 9 chữ số thập phân", "`{value}` has more than 9 decimals";
        TooManyDays = "too_many_days" => "`{value}` vượt quá {max} ngày", "`{value}` is more than {max} days";
        // Units.
        UnknownParent = "unknown_parent" =>
            "đơn vị cấp trên `{parent}` không có trong danh sách đơn vị", "unknown parent `{parent}`";
        ParentCycle = "parent_cycle" =>
            "đơn vị cấp trên `{parent}` tạo thành vòng lặp", "parent `{parent}` makes a cycle";
        ParentRejected = "parent_rejected" =>
            "đơn vị cấp trên `{parent}` đã bị loại", "parent `{parent}` was rejected";
        UnknownSuccessor = "unknown_successor" =>
            "đơn vị kế thừa `{successor}` không có trong danh sách đơn vị", "unknown successor `{successor}`";
        SuccessorCycle = "successor_cycle" =>
            "đơn vị kế thừa `{successor}` tạo thành vòng lặp kế thừa",
            "successor `{successor}` makes a cycle of successors";
        EndsBeforeStart = "ends_before_start" => "{to} trước valid_from {from}", "{to} is before valid_from {from}";
        DuplicateId = "duplicate_id" =>
            "mã `{id}` bị trùng (xuất hiện lần đầu ở dòng {row})", "duplicate id `{id}` (first on row {row})";
        // Observations.
        RepeatedKey = "repeated_key" => "khóa `{key}` xuất hiện nhiều lần", "key `{key}` is given more than once";
        NegativeValue = "negative_value" => "`{value}` là số âm", "`{value}` is negative";
        Negative = "negative" => "là số âm", "is negative";
        NotWhole = "not_whole" => "`{value}` không phải số nguyên", "`{value}` is not a whole number";
        OverMaxCount = "over_max_count" =>
            "vượt quá {max}, số đếm 64 bit lớn nhất", "is over {max}, the largest 64-bit count";
        WrittenAsDecimal = "written_as_decimal" =>
            "được viết có dấu thập phân hoặc số mũ; số đếm phải là số nguyên",
            "is written with a decimal point or an exponent; a count is a whole number";
        NotKind = "not_a_kind" =>
            "`{value}` không phải `census`/`toàn bộ` hay `sample`/`mẫu`", "`{value}` is not `census`/`toàn bộ` or `sample`/`mẫu`";
        NotNumber = "not_a_number" => "`{value}` không phải số", "`{value}` is not a number";
        NotAbove0 = "not_above_0" => "phải lớn hơn 0", "must be above 0";
        UnknownIndicator = "unknown_indicator" =>
            "chỉ tiêu `{indicator}` không có trong kế hoạch", "unknown indicator `{indicator}`";
        UnknownUnit = "unknown_unit" => "đơn vị `{unit}` không có trong danh sách đơn vị", "unknown unit `{unit}`";
        AfterUnitEnded = "after_unit_ended" =>
            "kỳ {period} bắt đầu sau khi đơn vị `{unit}` kết thúc ngày {date}",
            "{period} starts after unit `{unit}` ended on {date}";
        BeforeUnitBegan = "before_unit_began" =>
            "kỳ {period} kết thúc trước khi đơn vị `{unit}` bắt đầu ngày {date}",
            "{period} ends before unit `{unit}` began on {date}";
        AboveDenominator = "above_denominator" =>
            "{value} lớn hơn mẫu số {denominator}", "{value} is above the denominator {denominator}";
        NotActivity = "not_an_activity" =>
            "hoạt động chỉ ghi `1/1` (đã làm) hoặc `0/1` (chưa làm), không ghi `{numerator}/{denominator}`",
            "an activity is `1/1` (done) or `0/1` (not done), not `{numerator}/{denominator}`";
        EmptySample = "empty_sample" => "mẫu có cỡ bằng 0", "a sample of size 0";
        BelowSampleSize = "below_sample_size" =>
            "{population} nhỏ hơn cỡ mẫu {sample}", "{population} is below the sample size {sample}";
        NotPositive = "not_positive" => "{value} không phải số dương", "{value} is not a positive number";
        SampleOnly = "sample_only" =>
            "design_effect và population chỉ dùng cho số liệu `sample`",
            "design_effect and population apply to a `sample` only";
        OverlapsRow = "overlaps_row" =>
            "kỳ {period} trùng với kỳ {other} đã có của đơn vị và chỉ tiêu này (dòng {row})",
            "{period} overlaps {other} already given for this unit and indicator (row {row})";
        Overlaps = "overlaps" =>
            "kỳ {period} trùng với kỳ {other} đã có của đơn vị và chỉ tiêu này",
            "{period} overlaps {other} already given for this unit and indicator";
        AfterAsOf = "after_as_of" =>
            "kỳ {period} bắt đầu sau ngày tính {date} nên không được đánh giá",
            "{period} starts after the as-of date {date}, so it is not evaluated";
        // Decision 766 records, procedures and feedback.
        NotServiceLevel = "not_a_service_level" =>
            "`{value}` không phải `full`, `partial` hay `none`", "`{value}` is not `full`, `partial` or `none`";
        DuplicateProcedure = "duplicate_procedure" =>
            "thủ tục `{procedure}` bị trùng", "duplicate procedure `{procedure}`";
        DuplicateDossierId = "duplicate_dossier_id" =>
            "mã hồ sơ `{id}` đã có ở dòng {row}", "dossier_id `{id}` already at row {row}";
        DuplicateDossierIdIn = "duplicate_dossier_id_in" =>
            "mã hồ sơ `{id}` đã có ở dòng {row} của `{source}`", "dossier_id `{id}` already at row {row} of `{source}`";
        DuplicateDossierIn = "duplicate_dossier_in" =>
            "mã hồ sơ trùng với mã ở dòng {row} của `{source}`", "dossier_id already at row {row} of `{source}`";
        UnknownProcedure = "unknown_procedure" =>
            "thủ tục `{procedure}` không có trong danh sách thủ tục", "unknown procedure `{procedure}`";
        NotChannel = "not_a_channel" =>
            "`{value}` không phải kênh nộp (`online`/`Trực tuyến`/`2`, `direct`/`Trực tiếp`/`1`/để trống, `postal`/`Bưu chính`/`Dịch vụ bưu chính công ích`/`3`)",
            "`{value}` is not a channel (`online`/`Trực tuyến`/`2`, `direct`/`Trực tiếp`/`1`/empty, `postal`/`Bưu chính`/`Dịch vụ bưu chính công ích`/`3`)";
        NotRating = "not_a_rating" =>
            "`{value}` không phải mức hài lòng (`satisfied`/`Hài lòng`/`Rất hài lòng`, `unsatisfied`/`Không hài lòng`, để trống)",
            "`{value}` is not a rating (`satisfied`/`Hài lòng`/`Rất hài lòng`, `unsatisfied`/`Không hài lòng`, empty)";
        NotAbout = "not_an_about" =>
            "`{value}` không phải `rules`, `staff` hay `other`", "`{value}` is not `rules`, `staff` or `other`";
        DueBeforeReceived = "due_before_received" =>
            "hạn `{due}` trước ngày tiếp nhận `{received}`", "due `{due}` is before received `{received}`";
        FinishedBeforeReceived = "finished_before_received" =>
            "ngày hoàn thành `{finished}` trước ngày tiếp nhận `{received}`",
            "finished `{finished}` is before received `{received}`";
        // Decision 766 counts.
        FoundValues = "found_values" =>
            "cần `[tử số, mẫu số]`, nhưng có {count} giá trị", "expected `[numerator, denominator]`, found {count} value(s)";
        FoundObject = "found_object" =>
            "cần `[tử số, mẫu số]`, nhưng là một đối tượng", "expected `[numerator, denominator]`, found an object";
        FoundNumber = "found_number" =>
            "cần `[tử số, mẫu số]`, nhưng là một số", "expected `[numerator, denominator]`, found a number";
        FoundValue = "found_value" =>
            "cần `[tử số, mẫu số]`, nhưng là `{value}`", "expected `[numerator, denominator]`, found `{value}`";
        FoundText = "found_text" =>
            "cần `[tử số, mẫu số]`, nhưng là chuỗi `{value}`",
            "expected `[numerator, denominator]`, found the text `{value}`";
        NumeratorReason = "numerator_reason" => "tử số {reason}", "numerator {reason}";
        DenominatorReason = "denominator_reason" => "mẫu số {reason}", "denominator {reason}";
        TextNotNumber = "text_not_number" => "`{value}` là chuỗi, không phải số", "`{value}` is text, not a number";
        IsNull = "is_null" => "là null", "is null";
        IsArray = "is_array" => "là một mảng, không phải số", "is an array, not a number";
        IsObject = "is_object" => "là một đối tượng, không phải số", "is an object, not a number";
        DuplicateUnit = "duplicate_unit" => "đơn vị `{unit}` bị trùng", "duplicate unit `{unit}`";
        UnknownMetric = "unknown_metric" =>
            "đơn vị `{unit}`: mã chỉ số `{metric}` không có trong phiên bản",
            "unit `{unit}`: unknown metric code `{metric}`";
        RepeatedMetric = "repeated_metric" =>
            "đơn vị `{unit}`: chỉ số `{metric}` xuất hiện {count} lần", "unit `{unit}`: metric `{metric}` is given {count} times";
        UnitReason = "unit_reason" => "đơn vị `{unit}`: {reason}", "unit `{unit}`: {reason}";
        NumeratorAbove = "numerator_above" =>
            "tử số {numerator} lớn hơn mẫu số {denominator}", "numerator {numerator} is above denominator {denominator}";
        UnknownParentIgnored = "unknown_parent_ignored" =>
            "đơn vị cấp trên `{parent}` không có trong tệp; bỏ qua liên kết này và xếp hạng đơn vị như đơn vị gốc",
            "unknown parent `{parent}`; the link is ignored and the unit ranked as a root";
        ParentCycleIgnored = "parent_cycle_ignored" =>
            "đơn vị cấp trên `{parent}` tạo thành vòng lặp; bỏ qua liên kết này và xếp hạng đơn vị như đơn vị gốc",
            "parent `{parent}` makes a cycle; the link is ignored and the unit ranked as a root";
        // JSON.
        DuplicateKey = "duplicate_key" => "khóa `{key}` bị lặp lại", "duplicate key `{key}`";
        ExpectedScalar = "expected_scalar" =>
            "cần một giá trị đơn (chuỗi, số, true/false), nhưng có {value}", "expected a scalar, found {value}";
        // serde_json's own messages: not built by chiso (so not from this catalogue), but recognised
        // here so that a JSON record or file of the wrong shape is told in Vietnamese too; their
        // `{found}`/`{expected}` parts are serde's English words (`a string`, `u64`).
        MissingField = "missing_field" => "thiếu trường `{field}`", "missing field `{field}`";
        DuplicateField = "duplicate_field" => "trường `{field}` xuất hiện nhiều lần", "duplicate field `{field}`";
        UnknownField = "unknown_field" =>
            "trường `{field}` không được dùng ở đây, cần {expected}", "unknown field `{field}`, expected {expected}";
        InvalidType = "invalid_type" => "sai kiểu: có {found}, cần {expected}", "invalid type: {found}, expected {expected}";
        InvalidValue = "invalid_value" =>
            "giá trị không hợp lệ: có {found}, cần {expected}", "invalid value: {found}, expected {expected}";
        ExpectedJsonValue = "expected_value" => "cần một giá trị JSON", "expected value";
        TrailingCharacters = "trailing_characters" => "có ký tự thừa sau giá trị JSON", "trailing characters";
        JsonEof = "json_eof" => "dữ liệu kết thúc giữa chừng khi đang đọc {what}", "EOF while parsing {what}";
    }
}

impl RejectionText {
    /// The English text with `values` filled in: the `reason` of a rejection.
    #[must_use]
    pub fn en(self, values: &[(&str, &dyn Display)]) -> String {
        fill(self.text().en, values)
    }
}

section! {
    /// The messages of errors that stop a whole input or call, keyed by a stable message key. The
    /// English text is the error's `Display` (and the C and JS message); [`localize`] and the
    /// errors' `message_in` give it in Vietnamese. `{reason}` and `{action}` hold other texts of
    /// the catalogue and are localised in their turn.
    ErrorText {
        // Where.
        RowColumn = "row_column" =>
            "{source}: dòng {row}, cột `{column}`: {reason}", "{source}: row {row}, column `{column}`: {reason}";
        Row = "row" => "{source}: dòng {row}: {reason}", "{source}: row {row}: {reason}";
        FileReason = "file_reason" => "{file}: {reason}", "{file}: {reason}";
        FileJson = "file_json" =>
            "{file}: dòng {line}, cột {column}: {reason}", "{file}: line {line}, column {column}: {reason}";
        ReadFailed = "read_failed" => "{file}: không đọc được: {reason}", "{file}: read failed: {reason}";
        PlanAt = "plan_at" => "{file}: {path}: {reason}", "{file}: {path}: {reason}";
        // A whole file.
        MissingColumn = "missing_column" =>
            "{file}: dòng tiêu đề không có cột `{column}`", "{file}: the header has no `{column}` column";
        MissingColumnOrAlias = "missing_column_or_alias" =>
            "{file}: dòng tiêu đề không có cột `{column}` (hay {aliases})",
            "{file}: the header has no `{column}` column (nor {aliases})";
        HeaderBadQuote = "header_bad_quote" =>
            "dòng tiêu đề có dấu ngoặc kép sai chỗ", "the header has a bad quote";
        HeaderRepeats = "header_repeats" =>
            "dòng tiêu đề có cột `{column}` hai lần (cột {first} và cột {second})",
            "the header names column `{column}` twice (columns {first} and {second})";
        EmptyFile = "empty_file" => "tệp trống (không có dòng tiêu đề)", "the file is empty (no header row)";
        RecordTooLong = "record_too_long" =>
            "dòng {row}: một bản ghi dài hơn {max} byte", "row {row}: a record longer than {max} bytes";
        NotUtf8File = "not_utf8_file" =>
            "tệp dùng bảng mã {encoding}; hiện chỉ đọc được UTF-8 (hãy lưu tệp dạng UTF-8)",
            "the file is {encoding}; only UTF-8 is supported for now (save it as UTF-8)";
        Utf32File = "utf32_file" =>
            "tệp dùng bảng mã UTF-32; hãy lưu tệp dạng UTF-8 hoặc UTF-16 có BOM",
            "the file is UTF-32; save it as UTF-8, or as UTF-16 with a byte order mark";
        ZeroByte = "zero_byte" =>
            "byte {offset} là byte 0: tệp có lẽ là UTF-16 không có BOM; hãy lưu tệp dạng UTF-8 hoặc \"Unicode Text\" (UTF-16 có BOM)",
            "byte {offset} is a zero byte: the file looks like UTF-16 without a byte order mark; save it as UTF-8, or as \"Unicode Text\" (UTF-16 with a BOM)";
        NotWorkbook = "not_workbook" =>
            "không đọc được tệp Excel (.xlsx): {reason}", "cannot read the Excel workbook (.xlsx): {reason}";
        NoSuchSheet = "no_such_sheet" =>
            "sổ tính không có trang `{sheet}` (các trang: {sheets})", "the workbook has no sheet `{sheet}` (sheets: {sheets})";
        BadDelimiter = "bad_delimiter" =>
            "dấu phân cách `{value}` không được hỗ trợ (dùng `,`, `;` hoặc `tab`)",
            "the separator `{value}` is not one of `,` `;` `tab`";
        HeaderRowZero = "header_row_zero" =>
            "dòng tiêu đề được đánh số từ 1", "the header row is numbered from 1";
        ColumnMapShape = "column_map_shape" =>
            "tệp ánh xạ cột là một đối tượng JSON gồm `columns` (cột → tiêu đề) và `values` (cột → giá trị → giá trị)",
            "a column map is a JSON object of `columns` (column → header) and `values` (column → value → value)";
        ColumnMapKey = "column_map_key" =>
            "tệp ánh xạ cột có khóa `{key}` không dùng được (chỉ có `columns` và `values`)",
            "the column map has the key `{key}`; it takes `columns` and `values` only";
        ColumnMapUnknown = "column_map_unknown" =>
            "tệp ánh xạ cột có tên `{column}`, không phải cột nào của dữ liệu chiso",
            "the column map names `{column}`, which is no column of chiso's inputs";
        MissingMappedColumn = "missing_mapped_column" =>
            "{file}: dòng tiêu đề không có cột `{header}` mà {map} gán cho `{column}`",
            "{file}: the header has no `{header}` column, which {map} maps to `{column}`";
        NoHeaderRow = "no_header_row" =>
            "không có dòng tiêu đề ở dòng {row} (tệp chỉ có {rows} dòng)",
            "there is no header at row {row} (the file has {rows} rows)";
        XlsxNotBuilt = "xlsx_not_built" =>
            "bản chiso này được dựng không có trình đọc Excel (.xlsx); hãy lưu trang tính dạng CSV UTF-8",
            "this chiso was built without the Excel (.xlsx) reader; save the sheet as CSV UTF-8";
        SettingInput = "setting_input" => "đặt cách đọc dữ liệu", "setting the input options";
        OnlyBeforeInputs = "only_before_inputs" =>
            "cách đọc dữ liệu chỉ đặt được trước khi đọc tệp dữ liệu bảng nào",
            "the input options can be set only before any tabular input is read";
        XlsxInChunks = "xlsx_in_chunks" =>
            "tệp Excel (.xlsx) không đọc được theo từng đoạn; hãy đưa cả tệp một lần",
            "an Excel workbook (.xlsx) cannot be pushed in chunks; read it as a whole file";
        TooDeep = "too_deep" =>
            "dòng {row}: đơn vị `{unit}` nằm dưới đơn vị gốc {depth} cấp, vượt giới hạn {max} cấp",
            "row {row}: unit `{unit}` is {depth} levels below its root, over the limit of {max}";
        CountsPeriod = "counts_period" =>
            "số đếm là của kỳ `{counts}`, không phải kỳ `{period}`", "the counts are for `{counts}`, not `{period}`";
        ReadingThreadFailed = "reading_thread_failed" => "luồng đọc tệp bị lỗi", "the reading thread failed";
        // A plan.
        IndicatorIdRepeated = "indicator_id_repeated" =>
            "mã chỉ tiêu `{id}` bị trống hoặc bị trùng", "indicator id `{id}` is empty or repeated";
        UnknownSubjectGroup = "unknown_subject_group" =>
            "nhóm đối tượng `{group}` không có trong kế hoạch", "unknown subject group `{group}`";
        UnknownRole = "unknown_role" => "vai trò `{role}` không có trong kế hoạch", "unknown role `{role}`";
        TargetIdRepeated = "target_id_repeated" =>
            "mã mục tiêu `{id}` bị trống hoặc bị trùng", "target id `{id}` is empty or repeated";
        ImprovesNoThreshold = "improves_no_threshold" =>
            "`improves` không có ngưỡng", "`improves` takes no threshold";
        ThresholdRequired = "threshold_required" => "cần có ngưỡng", "a threshold is required";
        ThresholdAbove100 = "threshold_above_100" =>
            "ngưỡng {threshold} lớn hơn 100", "threshold {threshold} is above 100";
        MaintainBeforeDeadline = "maintain_before_deadline" =>
            "maintain_until {year} trước thời hạn {deadline}", "maintain_until {year} is before the deadline {deadline}";
        ToBeforeFrom = "to_before_from" => "`to` {to} trước `from` {from}", "`to` {to} is before `from` {from}";
        UnknownBreakdown = "unknown_breakdown" =>
            "chỉ tiêu chi tiết `{indicator}` không có trong kế hoạch", "unknown breakdown indicator `{indicator}`";
        UnknownTarget = "unknown_target" => "mục tiêu `{target}` không có trong kế hoạch", "unknown target `{target}`";
        OverrideSource = "override_source" =>
            "điều chỉnh phải ghi rõ ai đặt (`source`)", "an override must name who set it (`source`)";
        UnknownMethod = "unknown_method" =>
            "phương pháp dự báo `{method}` không có (linear, growth-ratio, logit)",
            "unknown projection method `{method}` (linear, growth-ratio, logit)";
        // A Decision 766 profile.
        UnknownProfile = "unknown_profile" =>
            "không có phiên bản `{profile}` (cần `portal-2026` hoặc `decision-2022`)",
            "unknown profile `{profile}` (expected `portal-2026` or `decision-2022`)";
        ProfileReason = "profile_reason" => "phiên bản `{profile}`: {reason}", "profile `{profile}`: {reason}";
        MetricTwice = "metric_twice" => "chỉ số `{metric}` xuất hiện hai lần", "metric `{metric}` appears twice";
        MetricUnknownGroup = "metric_unknown_group" =>
            "chỉ số `{metric}` thuộc nhóm `{group}` không có", "metric `{metric}` names unknown group `{group}`";
        MetricThreshold = "metric_threshold" =>
            "chỉ số `{metric}` có ngưỡng {percent}%", "metric `{metric}` has threshold {percent}%";
        GroupMax = "group_max" =>
            "nhóm `{group}` có điểm tối đa {max} nhưng tổng điểm các chỉ số là {sum}",
            "group `{group}` has max {max} but its metrics sum to {sum}";
        // Arguments and the order of calls.
        AsOfDate = "as_of_date" => "ngày tính: {reason}", "as-of date: {reason}";
        NotListable = "not_listable" =>
            "`{indicator}` không được suy ra từ hồ sơ theo từng bản ghi (điểm 766: xem `chiso score766 explain`)",
            "`{indicator}` is not derived from records one by one (Decision 766 points: see `chiso score766 explain`)";
        DeriveRange = "derive_range" =>
            "khoảng tháng `{range}`: {reason}", "month range `{range}`: {reason}";
        PeriodArgument = "period_argument" => "kỳ: {reason}", "period: {reason}";
        MergeOther = "merge_other" =>
            "không gộp được bộ chấm điểm `{other_profile}` {other_period} vào bộ `{profile}` {period}",
            "merging a scorer of `{other_profile}` {other_period} into one of `{profile}` {period}";
        AlreadyFinished = "already_finished" =>
            "{action}: bộ chấm điểm đã kết thúc", "{action}: the scorer has already finished";
        AlreadyMerged = "already_merged" =>
            "{action}: bộ chấm điểm đã được gộp vào bộ khác", "{action}: the scorer has already been merged into another";
        FailedEarlier = "failed_earlier" =>
            "{action}: bộ chấm điểm đã gặp lỗi trước đó ({reason})", "{action}: the scorer failed earlier ({reason})";
        OnlyBeforeRecords = "only_before_records" =>
            "{action}: chỉ làm được trước khi có hồ sơ, phản ánh hoặc lần gộp nào",
            "{action}: only before any record, feedback or merge";
        CannotNow = "cannot_now" => "{action}: bộ chấm điểm không làm được việc này lúc này", "{action}: the scorer cannot do this now";
        UnitsTwice = "units_twice" => "nạp đơn vị: đơn vị đã được nạp", "loading units: units were already loaded";
        ProceduresTwice = "procedures_twice" =>
            "nạp thủ tục: thủ tục đã được nạp", "loading procedures: procedures were already loaded";
        CountsTwice = "counts_twice" => "nạp số đếm: số đếm đã được nạp", "loading counts: counts were already loaded";
        CountsTwiceFor = "counts_twice_for" =>
            "nạp số đếm: số đếm của kỳ `{period}` đã được nạp", "loading counts: counts for `{period}` were already loaded";
        SeriesFinish = "series_finish" =>
            "kết thúc: phiên chấm điểm các kỳ `{range}` cho ra một chuỗi kỳ, không phải một bảng điểm",
            "finishing: a session of the periods `{range}` gives a series, not one scorecard";
        NothingToMerge = "nothing_to_merge" => "gộp: không có gì để gộp", "merging: nothing to merge";
        NothingToScore = "nothing_to_score" => "kết thúc: không có gì để chấm điểm", "finishing: nothing to score";
        Incomplete = "incomplete" => "{action} chưa hoàn tất", "{action} did not complete";
        LoadingUnits = "loading_units" => "nạp đơn vị", "loading units";
        LoadingProcedures = "loading_procedures" => "nạp thủ tục", "loading procedures";
        LoadingCounts = "loading_counts" => "nạp số đếm", "loading counts";
        PushingDossiers = "pushing_dossiers" => "nạp hồ sơ", "pushing dossiers";
        ReadingDossiers = "reading_dossiers" => "đọc hồ sơ", "reading dossiers";
        LoadingFeedback = "loading_feedback" => "nạp phản ánh", "loading feedback";
        AddingRejections = "adding_rejections" => "thêm dòng bị loại", "adding rejections";
        Merging = "merging" => "gộp", "merging";
        Finishing = "finishing" => "kết thúc", "finishing";
        // Saved partials (`chiso score766 --partial-out`, `chiso score766 merge`).
        SavingPartial = "saving_partial" => "lưu kết quả từng phần", "saving a partial";
        PartialNotPartial = "partial_not_partial" =>
            "đây không phải tệp kết quả từng phần của chiso (không có dấu nhận dạng đầu tệp)",
            "not a chiso partial (the magic bytes are missing)";
        PartialTruncated = "partial_truncated" =>
            "tệp kết quả từng phần bị cắt cụt: có {found} byte, cần {expected} byte",
            "the partial is cut short: {found} bytes, {expected} expected";
        PartialTooLong = "partial_too_long" =>
            "tệp kết quả từng phần có {extra} byte thừa sau phần thân",
            "the partial has {extra} bytes after its body";
        PartialHeaderChecksum = "partial_header_checksum" =>
            "tổng kiểm tra phần đầu của tệp kết quả từng phần không khớp (tệp bị hỏng)",
            "the checksum of the partial's header does not match (the file is damaged)";
        PartialBodyChecksum = "partial_body_checksum" =>
            "tổng kiểm tra phần thân của tệp kết quả từng phần không khớp (tệp bị hỏng)",
            "the checksum of the partial's body does not match (the file is damaged)";
        PartialUndecodable = "partial_undecodable" =>
            "không đọc được phần thân của tệp kết quả từng phần tại byte {offset}",
            "the partial's body cannot be read at byte {offset}";
        PartialVersion = "partial_version" =>
            "tệp kết quả từng phần theo định dạng phiên bản {found}; bản chiso này đọc phiên bản {expected}",
            "the partial is of format version {found}; this chiso reads version {expected}";
        PartialMergeOther = "partial_merge_other" =>
            "không gộp được kết quả từng phần `{other_profile}` {other_period} vào kết quả `{profile}` {period}",
            "cannot merge a partial of `{other_profile}` {other_period} into one of `{profile}` {period}";
        PartialContext = "partial_context" =>
            "gộp: hai bên được phân loại theo danh mục đơn vị hoặc thủ tục khác nhau (ngữ cảnh {other} và {mine})",
            "merging: the two were classified against other units or procedures (context {other}, not {mine})";
        PartialNarrow = "partial_narrow" =>
            "kỳ `{period}` không phải các kỳ nằm trong `{range}`", "the period `{period}` is not among the periods `{range}`";
        PartialCompact = "partial_compact" =>
            "lưu kết quả từng phần: hồ sơ đã được đọc với cách kiểm tra trùng mã gọn, không giữ lại mã hồ sơ để lưu",
            "saving a partial: the dossiers were read with the compact duplicate check, which keeps no ids to save";
        // The national portal's saved responses (`chiso portal`).
        PortalAt = "portal_at" => "tại `{path}`: {reason}", "at `{path}`: {reason}";
        PortalMissing = "portal_missing" => "thiếu giá trị này", "the value is missing";
        PortalNotCount = "portal_not_count" =>
            "cần số nguyên không âm, có `{value}`", "expected a non-negative whole number, found `{value}`";
        PortalNotScore = "portal_not_score" =>
            "cần số điểm không âm có tối đa 2 chữ số thập phân, có `{value}`",
            "expected a non-negative score with at most two decimals, found `{value}`";
        PortalNotObject = "portal_not_object" => "cần một đối tượng JSON, có `{value}`", "expected a JSON object, found `{value}`";
        PortalNotList = "portal_not_list" => "cần một danh sách JSON, có `{value}`", "expected a JSON list, found `{value}`";
        PortalNotText = "portal_not_text" => "cần một chuỗi ký tự, có `{value}`", "expected a text, found `{value}`";
        PortalShape = "portal_shape" =>
            "không nhận ra dạng phản hồi: cần `data.parent` và `data.children`, hoặc `data.overview` và `data.evaluation`",
            "unknown response shape: expected `data.parent` and `data.children`, or `data.overview` and `data.evaluation`";
        PortalNotOk = "portal_not_ok" => "cổng trả về mã `{code}`, không phải `OK`", "the portal answered `{code}`, not `OK`";
        PortalUnknownEndpoint = "portal_unknown_endpoint" =>
            "không biết điểm cuối `{endpoint}`; cần một trong các tên: {expected}",
            "unknown endpoint `{endpoint}`; expected one of: {expected}";
        PortalEndpointTwice = "portal_endpoint_twice" =>
            "điểm cuối `{endpoint}` được đưa vào hai lần", "endpoint `{endpoint}` is given twice";
        PortalUnitTwice = "portal_unit_twice" =>
            "đơn vị `{unit}` xuất hiện hai lần trong tệp", "unit `{unit}` appears twice in the file";
        PortalSeveralFiles = "portal_several_files" =>
            "{count} tệp JSON ({names}) và không tệp nào mang tên của loại kỳ (month, quarter, year)",
            "{count} JSON files ({names}), none named for the period's kind (month, quarter, year)";
        PortalNoFiles = "portal_no_files" => "không có tệp phản hồi nào của cổng", "no portal response files";
        PortalNoPeriod = "portal_no_period" =>
            "không xác định được kỳ từ tên thư mục `{dir}`: hãy thêm `--period YYYY-MM`",
            "cannot tell the period from the folder name `{dir}`: give `--period YYYY-MM`";
        PortalDisagree = "portal_disagree" =>
            "{count} giá trị công bố không khớp với điểm tính lại", "{count} published value(s) disagree with the recomputed score";
        // The Excel workbooks.
        XlsxTooManyRows = "xlsx_too_many_rows" =>
            "trang `{sheet}` cần {rows} dòng, vượt giới hạn {max} dòng của một trang tính Excel; hãy dùng `--format csv`",
            "the sheet `{sheet}` needs {rows} rows, over Excel's limit of {max} rows a sheet; use `--format csv`";
        XlsxFailed = "xlsx_failed" => "không tạo được tệp Excel: {reason}", "cannot build the Excel workbook: {reason}";
        // Explaining a Decision 766 number.
        ExplainUnknownMetric = "explain_unknown_metric" =>
            "chỉ số `{metric}` không có trong bộ tiêu chí `{profile}`; các mã: {codes}",
            "metric `{metric}` is not in profile `{profile}`; its codes: {codes}";
        ExplainNotFromRecords = "explain_not_from_records" =>
            "chỉ số `{metric}` không đếm từ hồ sơ: số liệu của nó lấy từ tệp số đếm (`--counts`, số liệu cổng công bố), nên không có bản ghi nào để liệt kê",
            "metric `{metric}` is not counted from records: its number comes from the counts file (`--counts`, the portal's published figures), so there are no records to list";
        ExplainNeedsProcedures = "explain_needs_procedures" =>
            "chỉ số `{metric}` đếm theo danh mục thủ tục: cần tệp thủ tục (`--procedures`)",
            "metric `{metric}` is counted over the procedures: give the procedures file (`--procedures`)";
        ExplainNeedsFeedback = "explain_needs_feedback" =>
            "chỉ số `{metric}` đếm từ phản ánh, kiến nghị: cần tệp phản ánh (`--feedback`); không có tệp này, số liệu của nó lấy từ tệp số đếm hoặc bị thiếu",
            "metric `{metric}` is counted from feedback records: give the feedback file (`--feedback`); without it, its number comes from the counts file or is missing";
        ExplainUnknownUnit = "explain_unknown_unit" =>
            "không có đơn vị `{unit}` trong tệp đơn vị hay trong hồ sơ", "unit `{unit}` is in neither the units file nor the records";
        ExplainRange = "explain_range" =>
            "giải thích một con số cần một kỳ, không phải khoảng `{range}`", "explaining a number takes one period, not the range `{range}`";
        ExplainSetting = "explain_setting" => "mở phiên để giải thích một con số", "opening the session to explain a number";
        ExplainNotSet = "explain_not_set" =>
            "phiên này không được mở để giải thích một con số", "this session was not opened to explain a number";
    }
}

impl ErrorText {
    /// The English text with `values` filled in.
    #[must_use]
    pub fn en(self, values: &[(&str, &dyn Display)]) -> String {
        fill(self.text().en, values)
    }

    /// The text in `lang` with `values` filled in.
    #[must_use]
    pub fn fill(self, lang: Lang, values: &[(&str, &dyn Display)]) -> String {
        fill(self.get(lang), values)
    }
}

/// Every label in one language, keyed as in the catalogue: what the WASM package hands to a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Catalogue {
    /// The language.
    pub lang: &'static str,
    /// [`StatusLabel`] by status code.
    pub status: BTreeMap<&'static str, &'static str>,
    /// [`ReasonLabel`] by reason code (with placeholders).
    pub reason: BTreeMap<&'static str, &'static str>,
    /// [`ConfidenceLabel`] by confidence code.
    pub confidence: BTreeMap<&'static str, &'static str>,
    /// [`MetricLabel`] by metric code.
    pub metric: BTreeMap<&'static str, &'static str>,
    /// [`GroupLabel`] by group code (and `CODE.profile` where a profile names it differently).
    pub group: BTreeMap<&'static str, &'static str>,
    /// [`Word`] by key.
    pub word: BTreeMap<&'static str, &'static str>,
}

fn table<T: Copy>(
    all: &[T],
    key: fn(T) -> &'static str,
    get: fn(T, Lang) -> &'static str,
    lang: Lang,
) -> BTreeMap<&'static str, &'static str> {
    all.iter().map(|&l| (key(l), get(l, lang))).collect()
}

impl Catalogue {
    /// Every label in `lang`.
    #[must_use]
    pub fn new(lang: Lang) -> Self {
        Self {
            lang: lang.as_str(),
            status: table(StatusLabel::ALL, StatusLabel::key, StatusLabel::get, lang),
            reason: table(ReasonLabel::ALL, ReasonLabel::key, ReasonLabel::get, lang),
            confidence: table(ConfidenceLabel::ALL, ConfidenceLabel::key, ConfidenceLabel::get, lang),
            metric: table(MetricLabel::ALL, MetricLabel::key, MetricLabel::get, lang),
            group: table(GroupLabel::ALL, GroupLabel::key, GroupLabel::get, lang),
            word: table(Word::ALL, Word::key, Word::get, lang),
        }
    }

    /// The catalogue as JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_section<T: Copy + std::fmt::Debug>(all: &[T], key: fn(T) -> &'static str, text: fn(T) -> Text) {
        let mut keys = std::collections::HashSet::new();
        for &l in all {
            assert!(keys.insert(key(l)), "duplicate key {:?}", l);
            let t = text(l);
            assert!(!t.vi.trim().is_empty() && !t.en.trim().is_empty(), "{l:?}");
            assert_eq!(t.vi.trim(), t.vi, "{l:?}");
        }
    }

    #[test]
    fn sections_have_unique_keys_and_both_texts() {
        check_section(StatusLabel::ALL, StatusLabel::key, StatusLabel::text);
        check_section(ReasonLabel::ALL, ReasonLabel::key, ReasonLabel::text);
        check_section(ConfidenceLabel::ALL, ConfidenceLabel::key, ConfidenceLabel::text);
        check_section(MetricLabel::ALL, MetricLabel::key, MetricLabel::text);
        check_section(GroupLabel::ALL, GroupLabel::key, GroupLabel::text);
        check_section(Word::ALL, Word::key, Word::text);
        for w in Word::ALL {
            assert_eq!(Word::from_key(w.key()), Some(*w));
        }
    }

    #[test]
    fn placeholders_are_the_same_in_both_languages() {
        let names = |s: &str| {
            let mut v: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned())).collect();
            v.sort();
            v
        };
        for t in ReasonLabel::ALL.iter().map(|r| r.text()).chain(Word::ALL.iter().map(|w| w.text())) {
            assert_eq!(names(t.vi), names(t.en), "{t:?}");
        }
    }

    #[test]
    fn fill_replaces_known_names_only() {
        assert_eq!(fill("kỳ {period}, {count} kỳ", &[("period", &"2025"), ("count", &3)]), "kỳ 2025, 3 kỳ");
        assert_eq!(fill("{x} {period", &[("period", &1)]), "{x} {period");
        assert_eq!(fill("", &[]), "");
    }

    #[test]
    fn lang_parses_and_defaults_to_vietnamese() {
        assert_eq!(Lang::default(), Lang::Vi);
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert_eq!("vi".parse::<Lang>(), Ok(Lang::Vi));
        assert!("fr".parse::<Lang>().is_err());
    }

    #[test]
    fn group_labels_prefer_the_profile_name() {
        assert_eq!(GroupLabel::of("decision-2022", "TDGQ"), Some(GroupLabel::TimelinessAndResults));
        assert_eq!(GroupLabel::of("portal-2026", "TDGQ"), Some(GroupLabel::Timeliness));
        assert_eq!(GroupLabel::of("decision-2022", "CKMB"), Some(GroupLabel::Transparency));
        assert_eq!(GroupLabel::of("portal-2026", "NOPE"), None);
    }

    #[test]
    fn catalogue_serialises_every_section() {
        let c = Catalogue::new(Lang::Vi);
        let v: serde_json::Value = serde_json::from_str(&c.to_json()).unwrap();
        assert_eq!(v["status"]["off_track"], "chậm tiến độ");
        assert_eq!(v["word"]["asOf"], "tính đến ngày");
        assert_eq!(v["lang"], "vi");
        assert_eq!(Catalogue::new(Lang::En).status.len(), StatusLabel::ALL.len());
    }
}
