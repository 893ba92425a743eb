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
//! section: one more `section!`, one more field of [`Catalogue`] and its TypeScript union. The
//! readers' rejection reasons are meant to come as such a section, keyed by a stable rejection
//! code with placeholders for the row's values (`{value} is above the denominator
//! {denominator}`), so a Vietnamese run can print them in Vietnamese.
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
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, from_brace) = rest.split_at(open);
        out.push_str(before);
        let close = from_brace.find('}');
        let name = close.and_then(|c| from_brace.get(1..c));
        match (close, name.and_then(|n| values.iter().find(|(k, _)| *k == n))) {
            (Some(c), Some((_, value))) => {
                out.push_str(&value.to_string());
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
            $(#[doc = concat!("“", $en, "” (`", $key, "`).")] $variant,)+
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
        Projected = "projected" => "dự báo", "projected";
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
        // The command line's messages (after `chiso: `).
        Warning = "warning" => "cảnh báo", "warning";
        Error = "error" => "lỗi", "error";
        NoteWord = "noteWord" => "lưu ý", "note";
        RejectedRow = "rejectedRow" => "dòng bị loại: {row}", "rejected {row}";
        MoreRejected = "moreRejected" =>
            "… và {count} dòng bị loại khác (`--format json` liệt kê 10 000 dòng đầu)",
            "… and {count} more rejected rows (`--format json` lists the first 10 000)";
        MissingMetrics = "missingMetrics" =>
            "{count} chỉ số của đơn vị thiếu số liệu, được chấm như mẫu số bằng 0: {codes}",
            "{count} unit metric(s) missing, scored as a zero denominator: {codes}";
        CannotRead = "cannotRead" => "không đọc được `{path}`: {error}", "cannot read `{path}`: {error}";
        CannotWrite = "cannotWrite" => "không ghi được kết quả: {error}", "cannot write the report: {error}";
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
