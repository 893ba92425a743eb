//! The built-in plan: the catalogue of `plan.md`, from the town plan under district plan
//! 537/KH-UBND of 13/3/2025.
//!
//! Every 2025 target without a 2030 successor is maintained through 2030 (`maintain_until`); this
//! is our reading of a plan that is silent on what happens after 2025.

use crate::date::Date;
use crate::exact::Percent;
use crate::period::Granularity;
use crate::plan::{
    Comparison, Indicator, Labels, Method, Plan, Role, Rollup, Schedule, SubjectGroup, Target, TimeAggregation,
};

fn l(vi: &str, en: &str) -> Labels {
    Labels::new(vi, en)
}

fn end_of(year: i32) -> Date {
    Date::new(year, 12, 31).unwrap_or_else(|| Date::from_days_since_epoch(0))
}

fn every_year(id: &str, threshold: u64) -> Target {
    Target {
        id: format!("{id}.yearly"),
        comparison: Comparison::AtLeast,
        threshold: Some(Percent::whole(threshold)),
        schedule: Schedule::Every { every: Granularity::Year, from: 2025, to: 2030 },
    }
}

fn by(id: &str, year: i32, threshold: Percent, maintain: bool) -> Target {
    Target {
        id: format!("{id}.{year}"),
        comparison: Comparison::AtLeast,
        threshold: Some(threshold),
        schedule: Schedule::By { by: end_of(year), maintain_until: maintain.then_some(2030) },
    }
}

struct Spec<'a> {
    id: &'a str,
    label: Labels,
    plan_ref: &'a str,
    group: &'a str,
    numerator: Labels,
    denominator: Labels,
    time: TimeAggregation,
    targets: Vec<Target>,
    responsible: &'a [&'a str],
}

fn indicator(s: Spec<'_>) -> Indicator {
    Indicator {
        id: s.id.to_owned(),
        label: s.label,
        plan_ref: s.plan_ref.to_owned(),
        subject_group: s.group.to_owned(),
        numerator: s.numerator,
        denominator: s.denominator,
        time: s.time,
        rollup: Rollup::RatioOfSums,
        activity: false,
        sampled: false,
        projection: Method::Linear,
        responsible: s.responsible.iter().map(|r| (*r).to_owned()).collect(),
        breakdown: Vec::new(),
        targets: s.targets,
    }
}

/// The id of the built-in plan.
pub const BUILTIN_PLAN_ID: &str = "ke-hoach-dvctt-thi-tran-2025-2030";

/// The field indicators that break `satisfaction_land_construction_investment` down.
pub const FIELD_SATISFACTION: [&str; 3] = ["satisfaction_land", "satisfaction_construction", "satisfaction_investment"];

/// The built-in plan.
#[must_use]
#[allow(clippy::too_many_lines, reason = "one catalogue, read top to bottom")]
pub fn builtin_plan() -> Plan {
    use TimeAggregation::{Last, Sum};
    let p = Percent::whole;
    let groups = [
        (
            "staff",
            "Lãnh đạo, cán bộ, công chức, viên chức, người lao động",
            "Agency leaders, officials, public employees and workers",
        ),
        (
            "system_operators",
            "Cán bộ, công chức thiết kế, quản trị, vận hành, khai thác hệ thống thông tin giải quyết TTHC",
            "Officials who design, administer, operate or use the procedure information system",
        ),
        ("agency_portal", "Cổng/Trang thông tin điện tử của cơ quan", "The agency's e-portal"),
        (
            "online_services",
            "DVCTT cung cấp trên Hệ thống thông tin giải quyết TTHC tỉnh",
            "Online services offered on the provincial procedure system",
        ),
        (
            "grassroots_outlets",
            "Hệ thống thông tin cơ sở (đài truyền thanh, bảng tin, trang thông tin)",
            "Grassroots information outlets (loudspeaker stations, boards, local pages)",
        ),
        (
            "web_editorial_board",
            "Ban biên tập Trang thông tin điện tử thị trấn",
            "Editorial board of the town web page",
        ),
        (
            "community_digital_teams",
            "Thành viên Tổ công nghệ số cộng đồng",
            "Members of the community digital-technology teams",
        ),
        (
            "eligible_procedures",
            "TTHC đủ điều kiện cung cấp DVCTT toàn trình",
            "Procedures eligible for full-process online service",
        ),
        ("service_users", "Người dân, doanh nghiệp sử dụng DVCTT", "Citizens and businesses who use online services"),
        ("dossiers", "Hồ sơ TTHC", "Procedure dossiers"),
        ("adult_residents", "Người dân trưởng thành", "Adult residents"),
        ("raters", "Người dân đã sử dụng và đánh giá DVCTT", "People who used online services and rated them"),
        (
            "raters_land_construction_investment",
            "Người đánh giá DVCTT lĩnh vực đất đai, xây dựng, đầu tư",
            "Raters of services in land, construction and investment",
        ),
        ("user_feedback", "Ý kiến đóng góp của người sử dụng DVCTT", "Feedback given by online-service users"),
        ("students", "Học sinh trung học phổ thông trở lên", "Upper-secondary students and above"),
        (
            "score766_months",
            "Đánh giá chất lượng phục vụ hằng tháng theo Quyết định 766/QĐ-TTg",
            "Monthly service-quality evaluations under Decision 766/QĐ-TTg",
        ),
    ];
    let roles = [
        ("radio_officer", "Cán bộ Đài truyền thanh", "Radio station officer"),
        ("culture_society_official", "Công chức Văn hoá – Xã hội", "Culture and society official"),
        ("finance_planning_official", "Công chức Tài chính – Kế hoạch", "Finance and planning official"),
        ("office_statistics_official", "Công chức Văn phòng – Thống kê", "Office and statistics official"),
        ("town_police", "Công an thị trấn", "Town police"),
        (
            "front_and_mass_organisations",
            "Mặt trận và các Đoàn thể thị trấn",
            "Fatherland Front and mass organisations",
        ),
        ("khom", "Các khóm", "Neighbourhoods (khóm)"),
    ];
    let mut indicators = vec![
        indicator(Spec {
            id: "staff_informed",
            label: l(
                "Cán bộ, công chức được truyền thông về DVCTT hằng năm",
                "Staff informed about online services every year",
            ),
            plan_ref: "II.2.a §1",
            group: "staff",
            numerator: l("Số người được truyền thông trong năm", "Staff reached by communication this year"),
            denominator: l("Tổng số lãnh đạo, cán bộ, công chức, người lao động", "All staff"),
            time: Last,
            targets: vec![every_year("staff_informed", 100)],
            responsible: &["office_statistics_official", "culture_society_official"],
        }),
        indicator(Spec {
            id: "operators_trained",
            label: l(
                "Cán bộ vận hành hệ thống được đào tạo kỹ năng số hằng năm",
                "System operators trained in digital skills every year",
            ),
            plan_ref: "II.2.a §2",
            group: "system_operators",
            numerator: l("Số người được đào tạo, bồi dưỡng trong năm", "Trained this year"),
            denominator: l("Tổng số cán bộ thiết kế, quản trị, vận hành, khai thác", "All such officials"),
            time: Last,
            targets: vec![every_year("operators_trained", 100)],
            responsible: &["office_statistics_official"],
        }),
        indicator(Spec {
            id: "portal_campaign",
            label: l(
                "Tuyên truyền về DVCTT trên Cổng thông tin điện tử hằng năm",
                "Online-service communication on the agency portal every year",
            ),
            plan_ref: "II.2.a §3",
            group: "agency_portal",
            numerator: l("Đã thực hiện (1) hay chưa (0)", "Done (1) or not (0)"),
            denominator: l("Một năm", "One year"),
            time: Last,
            targets: vec![every_year("portal_campaign", 100)],
            responsible: &["culture_society_official", "radio_officer"],
        }),
        indicator(Spec {
            id: "guides_published",
            label: l("DVCTT có tài liệu, video hướng dẫn được đăng tải", "Online services with a published guide"),
            plan_ref: "II.2.a §4",
            group: "online_services",
            numerator: l("Số DVCTT có hướng dẫn (tài liệu hoặc video)", "Services with a guide (document or video)"),
            denominator: l("Số DVCTT được cung cấp", "Services offered"),
            time: Last,
            targets: vec![by("guides_published", 2025, p(100), true)],
            responsible: &["culture_society_official", "office_statistics_official"],
        }),
        indicator(Spec {
            id: "outlets_active",
            label: l(
                "Hệ thống thông tin cơ sở tuyên truyền về DVCTT",
                "Grassroots outlets disseminating online-service content",
            ),
            plan_ref: "II.2.a §5",
            group: "grassroots_outlets",
            numerator: l("Số điểm thông tin cơ sở đã tuyên truyền", "Outlets that disseminated the content"),
            denominator: l("Tổng số điểm thông tin cơ sở", "All outlets"),
            time: Last,
            targets: vec![by("outlets_active", 2025, p(100), true)],
            responsible: &["radio_officer", "khom"],
        }),
        indicator(Spec {
            id: "web_section",
            label: l(
                "Chuyên trang/chuyên mục DVCTT trên Trang thông tin điện tử thị trấn",
                "Dedicated online-service section on the town web page",
            ),
            plan_ref: "II.2.a §6",
            group: "web_editorial_board",
            numerator: l("Đã có chuyên mục (1) hay chưa (0)", "Section exists (1) or not (0)"),
            denominator: l("Một chuyên mục", "One section"),
            time: Last,
            targets: vec![by("web_section", 2025, p(100), true)],
            responsible: &["culture_society_official"],
        }),
        indicator(Spec {
            id: "community_team_trained",
            label: l(
                "Thành viên Tổ công nghệ số cộng đồng được bồi dưỡng hằng năm",
                "Community digital-team members trained every year",
            ),
            plan_ref: "II.2.a §7",
            group: "community_digital_teams",
            numerator: l("Số thành viên được bồi dưỡng, tập huấn trong năm", "Members trained this year"),
            denominator: l("Tổng số thành viên", "All members"),
            time: Last,
            targets: vec![every_year("community_team_trained", 100)],
            responsible: &["khom", "front_and_mass_organisations"],
        }),
        indicator(Spec {
            id: "procedures_full_online",
            label: l("TTHC đủ điều kiện được cung cấp DVCTT toàn trình", "Eligible procedures offered fully online"),
            plan_ref: "II.2.a §8",
            group: "eligible_procedures",
            numerator: l("Số TTHC cung cấp DVCTT toàn trình", "Procedures offered as full-process online"),
            denominator: l("Số TTHC đủ điều kiện", "Eligible procedures"),
            time: Last,
            targets: vec![by("procedures_full_online", 2025, p(100), true)],
            responsible: &["office_statistics_official"],
        }),
        indicator(Spec {
            id: "users_eid_verified",
            label: l(
                "Người sử dụng DVCTT được định danh, xác thực điện tử",
                "Online-service users identified through the national e-ID",
            ),
            plan_ref: "II.2.a §9",
            group: "service_users",
            numerator: l("Số người dùng được định danh và xác thực", "Users identified and authenticated"),
            denominator: l("Số người dùng DVCTT", "Users"),
            time: Last,
            targets: vec![by("users_eid_verified", 2025, p(100), true)],
            responsible: &["town_police"],
        }),
        indicator(Spec {
            id: "dossiers_fully_online",
            label: l("Hồ sơ TTHC được xử lý hoàn toàn trực tuyến", "Dossiers processed fully online"),
            plan_ref: "II.2.a §10",
            group: "dossiers",
            numerator: l("Số hồ sơ xử lý hoàn toàn trực tuyến", "Dossiers processed fully online"),
            denominator: l("Tổng số hồ sơ", "All dossiers"),
            time: Sum,
            targets: vec![by("dossiers_fully_online", 2025, p(80), true)],
            responsible: &["office_statistics_official", "khom"],
        }),
        indicator(Spec {
            id: "adults_using",
            label: l("Người dân trưởng thành sử dụng DVCTT", "Adults using online services"),
            plan_ref: "II.2.a §11, II.2.b §2",
            group: "adult_residents",
            numerator: l("Số người trưởng thành đã sử dụng DVCTT", "Adults who used online services"),
            denominator: l("Dân số trưởng thành", "Adult population"),
            time: Last,
            targets: vec![by("adults_using", 2025, p(50), false), by("adults_using", 2030, p(70), false)],
            responsible: &["khom", "front_and_mass_organisations", "town_police"],
        }),
        indicator(Spec {
            id: "satisfaction",
            label: l("Người dân hài lòng khi sử dụng DVCTT", "Users satisfied with online services"),
            plan_ref: "II.2.a §12",
            group: "raters",
            numerator: l("Số người hài lòng", "Satisfied"),
            denominator: l("Số người đánh giá", "Rated"),
            time: Sum,
            targets: vec![by("satisfaction", 2025, p(90), true)],
            responsible: &["office_statistics_official"],
        }),
        indicator(Spec {
            id: "satisfaction_land_construction_investment",
            label: l(
                "Hài lòng với TTHC lĩnh vực đất đai, xây dựng, đầu tư",
                "Satisfaction in land, construction and investment",
            ),
            plan_ref: "II.2.a §12",
            group: "raters_land_construction_investment",
            numerator: l("Số người hài lòng (ba lĩnh vực)", "Satisfied, the three fields combined"),
            denominator: l("Số người đánh giá (ba lĩnh vực)", "Rated, the three fields combined"),
            time: Sum,
            targets: vec![by("satisfaction_land_construction_investment", 2025, p(85), true)],
            responsible: &["office_statistics_official"],
        }),
    ];
    for (id, vi, en) in [
        ("satisfaction_land", "đất đai", "land"),
        ("satisfaction_construction", "xây dựng", "construction"),
        ("satisfaction_investment", "đầu tư", "investment"),
    ] {
        indicators.push(indicator(Spec {
            id,
            label: l(
                &format!("Hài lòng với TTHC lĩnh vực {vi} (chẩn đoán)"),
                &format!("Satisfaction in {en} (diagnosis)"),
            ),
            plan_ref: "II.2.a §12",
            group: "raters_land_construction_investment",
            numerator: l(&format!("Số người hài lòng, lĩnh vực {vi}"), &format!("Satisfied, {en}")),
            denominator: l(&format!("Số người đánh giá, lĩnh vực {vi}"), &format!("Rated, {en}")),
            time: Sum,
            targets: vec![by(id, 2025, p(85), true)],
            responsible: &["office_statistics_official"],
        }));
    }
    indicators.extend([
        indicator(Spec {
            id: "feedback_adopted",
            label: l("Ý kiến đóng góp được tiếp thu công khai", "User feedback publicly received and acted on"),
            plan_ref: "II.2.a §13",
            group: "user_feedback",
            numerator: l("Số ý kiến được tiếp thu công khai", "Feedback received and acted on"),
            denominator: l("Số ý kiến đóng góp", "Feedback given"),
            time: Sum,
            targets: vec![by("feedback_adopted", 2025, p(100), true)],
            responsible: &["office_statistics_official"],
        }),
        indicator(Spec {
            id: "students_trained",
            label: l(
                "Học sinh THPT trở lên được phổ cập kỹ năng sử dụng DVCTT",
                "Upper-secondary students trained in online services",
            ),
            plan_ref: "II.2.a §14, II.2.b §3",
            group: "students",
            numerator: l("Số học sinh được phổ cập", "Students trained"),
            denominator: l("Tổng số học sinh", "All students"),
            time: Last,
            targets: vec![by("students_trained", 2025, p(80), false), by("students_trained", 2030, p(100), false)],
            responsible: &["front_and_mass_organisations"],
        }),
        indicator(Spec {
            id: "service_quality_improves",
            label: l(
                "Chất lượng phục vụ (điểm 766) năm sau cao hơn năm trước",
                "Service quality (Decision 766 score) improves every year",
            ),
            plan_ref: "II.2.b §1",
            group: "score766_months",
            numerator: l(
                "Tổng điểm 766 các tháng trong năm (phần trăm điểm)",
                "Sum of the year's monthly totals, in hundredths of a point",
            ),
            denominator: l("Số tháng × 10 000", "Months × 10 000"),
            time: Sum,
            targets: vec![Target {
                id: "service_quality_improves.yearly".to_owned(),
                comparison: Comparison::Improves,
                threshold: None,
                schedule: Schedule::Every { every: Granularity::Year, from: 2025, to: 2030 },
            }],
            responsible: &["office_statistics_official"],
        }),
        indicator(Spec {
            id: "score766_published",
            label: l(
                "Công khai đánh giá chất lượng phục vụ hằng tháng (QĐ 766)",
                "Monthly Decision 766 evaluation published",
            ),
            plan_ref: "IV.4, VI.4",
            group: "score766_months",
            numerator: l("Số tháng đã công khai kết quả đánh giá", "Months whose evaluation was published"),
            denominator: l("Số tháng trong kỳ", "Months in the period"),
            time: Sum,
            targets: vec![every_year("score766_published", 100)],
            responsible: &["office_statistics_official"],
        }),
    ]);
    for ind in &mut indicators {
        match ind.id.as_str() {
            "portal_campaign" | "web_section" => {
                ind.activity = true;
                ind.rollup = Rollup::UnitsMeeting;
            }
            "outlets_active" => ind.rollup = Rollup::UnitsMeeting,
            "adults_using" | "satisfaction" | "students_trained" => ind.sampled = true,
            "satisfaction_land_construction_investment" => {
                ind.breakdown = FIELD_SATISFACTION.iter().map(|s| (*s).to_owned()).collect();
            }
            _ => {}
        }
    }
    Plan {
        id: BUILTIN_PLAN_ID.to_owned(),
        title: l(
            "Kế hoạch triển khai Đề án tuyên truyền, phổ biến, nâng cao chất lượng cung cấp và sử dụng hiệu quả DVCTT năm 2025, định hướng đến năm 2030",
            "Plan to spread and improve online public services, 2025 with orientation to 2030",
        ),
        source: "Kế hoạch của UBND thị trấn thực hiện Kế hoạch số 537/KH-UBND ngày 13/3/2025 của UBND huyện Phú Tân"
            .to_owned(),
        subject_groups: groups
            .iter()
            .map(|(id, vi, en)| SubjectGroup { id: (*id).to_owned(), label: l(vi, en) })
            .collect(),
        roles: roles.iter().map(|(id, vi, en)| Role { id: (*id).to_owned(), label: l(vi, en) }).collect(),
        indicators,
        overrides: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOGUE: [&str; 17] = [
        "staff_informed",
        "operators_trained",
        "portal_campaign",
        "guides_published",
        "outlets_active",
        "web_section",
        "community_team_trained",
        "procedures_full_online",
        "users_eid_verified",
        "dossiers_fully_online",
        "adults_using",
        "satisfaction",
        "satisfaction_land_construction_investment",
        "feedback_adopted",
        "students_trained",
        "service_quality_improves",
        "score766_published",
    ];

    #[test]
    fn has_every_catalogue_row_and_validates() {
        let plan = builtin_plan();
        plan.validate("builtin").unwrap();
        for id in CATALOGUE {
            assert!(plan.indicator(id).is_some(), "{id}");
        }
        // A 2025 target with a 2030 successor is not maintained; one without is, through 2030.
        let adults = plan.indicator("adults_using").unwrap();
        assert!(adults.targets.iter().all(|t| matches!(t.schedule, Schedule::By { maintain_until: None, .. })));
        let dossiers = plan.indicator("dossiers_fully_online").unwrap();
        assert!(matches!(dossiers.targets[0].schedule, Schedule::By { maintain_until: Some(2030), .. }));
        assert_eq!(dossiers.targets[0].threshold, Some(Percent::whole(80)));
    }

    #[test]
    fn json_round_trip() {
        let plan = builtin_plan();
        let json = plan.to_json();
        let back = Plan::from_json(json.as_bytes(), "plan.json").unwrap();
        assert_eq!(back, plan);
    }
}
