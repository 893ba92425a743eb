//! The province the records come from: its units and its procedures, small enough to hold.

use std::io::{self, Write};

use super::Shape;
use super::out::Out;
use super::rng::{Alias, Rng, ppm};

/// Where a procedure is decided: the `authority_level` column, matching a unit level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    Province,
    Agency,
    Commune,
}

impl Authority {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Agency => "agency",
            Self::Commune => "commune",
        }
    }
}

/// A field (lĩnh vực) and how its procedures behave.
struct Field {
    name: &'static str,
    /// Relative number of dossiers filed in the field.
    popularity: u64,
    /// Share of its procedures decided by communes, in millionths (the rest by the agency).
    commune_share: u64,
    /// Index into [`AGENCIES`] of the department that handles its agency-level procedures.
    agency: usize,
    /// Legal deadline range in days.
    deadline: (u64, u64),
    /// Nouns for procedure names.
    subjects: &'static [&'static str],
}

/// Provincial departments (sở, ban, ngành): id, name. One name carries a comma on purpose.
pub const AGENCIES: &[(&str, &str)] = &[
    ("so-tu-phap", "Sở Tư pháp"),
    ("so-xay-dung", "Sở Xây dựng"),
    ("so-nong-nghiep-moi-truong", "Sở Nông nghiệp và Môi trường"),
    ("so-tai-chinh", "Sở Tài chính"),
    ("so-y-te", "Sở Y tế"),
    ("so-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo"),
    ("so-noi-vu", "Sở Nội vụ"),
    ("so-cong-thuong", "Sở Công Thương"),
    ("so-van-hoa-the-thao-du-lich", "Sở Văn hóa, Thể thao và Du lịch"),
    ("so-khoa-hoc-cong-nghe", "Sở Khoa học và Công nghệ"),
    ("ban-quan-ly-kcn", "Ban Quản lý các khu công nghiệp, khu kinh tế"),
    ("so-dan-toc-ton-giao", "Sở Dân tộc và Tôn giáo"),
];

const FIELDS: &[Field] = &[
    Field {
        name: "Hộ tịch",
        popularity: 30,
        commune_share: 850_000,
        agency: 0,
        deadline: (0, 5),
        subjects: &["khai sinh", "khai tử", "kết hôn", "thay đổi, cải chính hộ tịch", "nhận cha, mẹ, con", "giám hộ"],
    },
    Field {
        name: "Chứng thực",
        popularity: 40,
        commune_share: 900_000,
        agency: 0,
        deadline: (0, 2),
        subjects: &["bản sao từ bản chính", "chữ ký", "hợp đồng, giao dịch", "việc sửa lỗi sai sót"],
    },
    Field {
        name: "Đất đai",
        popularity: 12,
        commune_share: 450_000,
        agency: 2,
        deadline: (10, 30),
        subjects: &["quyền sử dụng đất", "chuyển mục đích sử dụng đất", "biến động đất đai", "giao đất, cho thuê đất"],
    },
    Field {
        name: "Xây dựng",
        popularity: 5,
        commune_share: 400_000,
        agency: 1,
        deadline: (7, 30),
        subjects: &["giấy phép xây dựng", "điều chỉnh giấy phép xây dựng", "thẩm định thiết kế", "chứng chỉ hành nghề"],
    },
    Field {
        name: "Đầu tư",
        popularity: 2,
        commune_share: 50_000,
        agency: 3,
        deadline: (15, 45),
        subjects: &["chủ trương đầu tư", "giấy chứng nhận đăng ký đầu tư", "điều chỉnh dự án đầu tư"],
    },
    Field {
        name: "Thành lập và hoạt động doanh nghiệp",
        popularity: 4,
        commune_share: 0,
        agency: 3,
        deadline: (3, 5),
        subjects: &["doanh nghiệp", "chi nhánh, văn phòng đại diện", "thay đổi nội dung đăng ký"],
    },
    Field {
        name: "Hộ kinh doanh",
        popularity: 4,
        commune_share: 1_000_000,
        agency: 3,
        deadline: (3, 5),
        subjects: &["hộ kinh doanh", "thay đổi nội dung đăng ký hộ kinh doanh"],
    },
    Field {
        name: "Bảo trợ xã hội",
        popularity: 4,
        commune_share: 800_000,
        agency: 6,
        deadline: (7, 20),
        subjects: &["trợ cấp xã hội hằng tháng", "hỗ trợ chi phí mai táng", "xác định mức độ khuyết tật"],
    },
    Field {
        name: "Người có công",
        popularity: 2,
        commune_share: 500_000,
        agency: 6,
        deadline: (10, 30),
        subjects: &["trợ cấp ưu đãi", "giải quyết chế độ", "cấp giấy chứng nhận"],
    },
    Field {
        name: "Lao động",
        popularity: 2,
        commune_share: 100_000,
        agency: 6,
        deadline: (5, 15),
        subjects: &["giấy phép lao động", "trợ cấp thất nghiệp", "nội quy lao động"],
    },
    Field {
        name: "Giáo dục và Đào tạo",
        popularity: 3,
        commune_share: 400_000,
        agency: 5,
        deadline: (5, 20),
        subjects: &["chuyển trường", "văn bằng, chứng chỉ", "thành lập cơ sở giáo dục"],
    },
    Field {
        name: "Y tế",
        popularity: 3,
        commune_share: 100_000,
        agency: 4,
        deadline: (10, 60),
        subjects: &["chứng chỉ hành nghề khám bệnh, chữa bệnh", "giấy phép hoạt động", "an toàn thực phẩm"],
    },
    Field {
        name: "Văn hóa",
        popularity: 1,
        commune_share: 500_000,
        agency: 8,
        deadline: (5, 15),
        subjects: &["lễ hội", "biểu diễn nghệ thuật", "quảng cáo"],
    },
    Field {
        name: "Giao thông vận tải",
        popularity: 3,
        commune_share: 0,
        agency: 1,
        deadline: (3, 10),
        subjects: &["giấy phép lái xe", "đăng ký phương tiện", "giấy phép kinh doanh vận tải"],
    },
    Field {
        name: "Môi trường",
        popularity: 1,
        commune_share: 200_000,
        agency: 2,
        deadline: (15, 45),
        subjects: &["giấy phép môi trường", "đánh giá tác động môi trường"],
    },
    Field {
        name: "Nông nghiệp",
        popularity: 1,
        commune_share: 400_000,
        agency: 2,
        deadline: (5, 20),
        subjects: &["giấy chứng nhận cơ sở đủ điều kiện", "kiểm dịch động vật", "hỗ trợ thiệt hại"],
    },
    Field {
        name: "Công thương",
        popularity: 1,
        commune_share: 100_000,
        agency: 7,
        deadline: (5, 15),
        subjects: &["giấy phép bán lẻ rượu, thuốc lá", "giấy phép kinh doanh khí", "xúc tiến thương mại"],
    },
    Field {
        name: "Khoa học và Công nghệ",
        popularity: 1,
        commune_share: 0,
        agency: 9,
        deadline: (10, 30),
        subjects: &["chuyển giao công nghệ", "đăng ký kết quả nhiệm vụ"],
    },
    Field {
        name: "Khu công nghiệp",
        popularity: 1,
        commune_share: 0,
        agency: 10,
        deadline: (10, 30),
        subjects: &["giấy phép xây dựng trong khu công nghiệp", "đăng ký đầu tư trong khu kinh tế"],
    },
    Field {
        name: "Tôn giáo",
        popularity: 1,
        commune_share: 300_000,
        agency: 11,
        deadline: (10, 30),
        subjects: &["sinh hoạt tôn giáo tập trung", "hoạt động tín ngưỡng"],
    },
];

const VERBS: &[&str] = &["Đăng ký", "Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Xác nhận", "Thẩm định", "Công nhận"];

const SYLLABLES: &[&str] = &[
    "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Mỹ", "Hưng", "Thuận", "Vĩnh", "Đông", "Tây", "Nam", "Bắc",
    "Trung", "Phước", "Lộc", "Khánh", "Thới", "Sơn", "Hải", "Quang", "Minh", "Thành", "Đức", "Lâm", "Hiệp", "Xuân",
    "Thịnh",
];

/// One unit of `units.csv`.
#[derive(Debug, Clone)]
pub struct UnitRow {
    pub id: String,
    pub name: String,
    pub parent: Option<usize>,
    pub level: &'static str,
}

/// One procedure of `procedures.csv`, with how dossiers under it are drawn.
#[derive(Debug, Clone)]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub field: usize,
    pub authority: Authority,
    pub service: &'static str,
    pub eligible_full: bool,
    pub paper_result: bool,
    pub fee: bool,
    pub payment_integrated: bool,
    pub citizen_applicants: bool,
    pub deadline_days: u64,
    /// Probability (threshold) that a dossier of this procedure is filed online.
    pub online: u64,
    /// Index of the unit that handles its dossiers when it is not a commune procedure.
    pub handler: usize,
}

/// Units and procedures, with the samplers the records are drawn with.
#[derive(Debug, Clone)]
pub struct World {
    pub units: Vec<UnitRow>,
    pub procedures: Vec<Procedure>,
    /// Indices (into `units`) of the communes.
    pub communes: Vec<usize>,
    pub commune_pick: Alias,
    pub procedure_pick: Alias,
    /// The units that receive feedback (communes and agencies), and their sampler.
    pub feedback_units: Vec<usize>,
    pub feedback_pick: Alias,
}

fn place_name(rng: &mut Rng) -> String {
    let pick = |rng: &mut Rng| SYLLABLES.get(rng.below(SYLLABLES.len() as u64) as usize).copied().unwrap_or("An");
    let (a, b) = (pick(rng), pick(rng));
    format!("{a} {b}")
}

/// The province, its agencies, its communes and their neighbourhoods; the communes' indices and
/// population weights.
fn build_units(
    rng: &mut Rng,
    communes: u32,
    neighbourhoods: u32,
    province: &str,
) -> (Vec<UnitRow>, Vec<usize>, Vec<u64>) {
    let mut units =
        vec![UnitRow { id: "tinh".into(), name: format!("UBND tỉnh {province}"), parent: None, level: "province" }];
    for (id, name) in AGENCIES {
        units.push(UnitRow { id: (*id).into(), name: (*name).into(), parent: Some(0), level: "agency" });
    }
    let mut commune_idx = Vec::with_capacity(communes as usize);
    let mut commune_weights = Vec::with_capacity(communes as usize);
    for c in 1..=u64::from(communes) {
        let ward = rng.chance(ppm(350_000));
        let name = if ward { format!("Phường {}", place_name(rng)) } else { format!("Xã {}", place_name(rng)) };
        let id = format!("xa-{c:05}");
        let me = units.len();
        units.push(UnitRow { id: id.clone(), name, parent: Some(0), level: "commune" });
        commune_idx.push(me);
        // Populations vary about tenfold, wards being larger.
        let base = rng.between(2_000, 20_000) + if ward { rng.between(5_000, 30_000) } else { 0 };
        commune_weights.push(base);
        let (lo, hi) = (neighbourhoods.div_ceil(2).max(1), neighbourhoods.saturating_mul(3).div_ceil(2).max(1));
        let n = rng.between(u64::from(lo), u64::from(hi));
        for k in 1..=n {
            let kind = if ward {
                "Tổ dân phố"
            } else if rng.chance(ppm(500_000)) {
                "Ấp"
            } else {
                "Thôn"
            };
            units.push(UnitRow {
                id: format!("{id}-{k:02}"),
                name: format!("{kind} {k}"),
                parent: Some(me),
                level: "neighbourhood",
            });
        }
    }

    (units, commune_idx, commune_weights)
}

/// The procedures, each with its dossier weight (a few procedures take most of a field's dossiers).
fn build_procedures(rng: &mut Rng, procedures: u32) -> (Vec<Procedure>, Vec<u64>) {
    let field_weights: Vec<u64> = FIELDS.iter().map(|f| f.popularity).collect();
    let field_pick = Alias::new(&field_weights);
    let mut per_field = vec![0u64; FIELDS.len()];
    let mut procs = Vec::with_capacity(procedures as usize);
    let mut proc_weights = Vec::with_capacity(procedures as usize);
    for i in 0..u64::from(procedures) {
        // Every field gets at least one procedure, then they follow popularity.
        let f = if (i as usize) < FIELDS.len() { i as usize } else { field_pick.sample(rng) };
        let Some(field) = FIELDS.get(f) else { continue };
        let rank = per_field.get(f).copied().unwrap_or(0);
        if let Some(r) = per_field.get_mut(f) {
            *r += 1;
        }
        let authority = if rng.chance(ppm(field.commune_share)) {
            Authority::Commune
        } else if rng.chance(ppm(60_000)) {
            Authority::Province
        } else {
            Authority::Agency
        };
        let service_draw = rng.below(100);
        let (service, online) = match service_draw {
            0..48 => ("full", ppm(960_000)),
            48..91 => ("partial", ppm(890_000)),
            _ => ("none", 0),
        };
        let eligible_full = service == "full" || (service == "partial" && rng.chance(ppm(400_000)));
        let paper_result = rng.chance(ppm(600_000));
        let fee = rng.chance(ppm(350_000));
        let payment_integrated = fee && rng.chance(ppm(750_000));
        let citizen_applicants = rng.chance(ppm(800_000));
        let verb = VERBS.get(rng.below(VERBS.len() as u64) as usize).copied().unwrap_or("Cấp");
        let subject = field.subjects.get(rng.below(field.subjects.len() as u64) as usize).copied().unwrap_or("hồ sơ");
        let name = match authority {
            Authority::Commune => format!("{verb} {subject} (cấp xã)"),
            Authority::Agency | Authority::Province => format!("{verb} {subject}"),
        };
        let handler = match authority {
            Authority::Province => 0,
            Authority::Agency | Authority::Commune => field.agency + 1,
        };
        procs.push(Procedure {
            code: format!("1.{:06}", 100 + i * 37),
            name,
            field: f,
            authority,
            service,
            eligible_full,
            paper_result,
            fee,
            payment_integrated,
            citizen_applicants,
            deadline_days: rng.between(field.deadline.0, field.deadline.1),
            online,
            handler,
        });
        // Within a field, a few procedures take most dossiers (Zipf).
        proc_weights.push(field.popularity * 1_000_000 / (rank + 1));
    }
    (procs, proc_weights)
}

impl World {
    pub fn build(seed: u64, communes: u32, neighbourhoods: u32, procedures: u32, province: &str) -> Self {
        let mut rng = Rng::new(seed, 1);
        // Units first, then procedures: the draws come in this order, so the output is stable.
        let (units, commune_idx, commune_weights) = build_units(&mut rng, communes, neighbourhoods, province);
        let (procs, proc_weights) = build_procedures(&mut rng, procedures);
        // Per-procedure weights above favour fields with many procedures; renormalise by field.
        let mut field_total = vec![0u64; FIELDS.len()];
        for (p, w) in procs.iter().zip(&proc_weights) {
            if let Some(t) = field_total.get_mut(p.field) {
                *t += w;
            }
        }
        let proc_weights: Vec<u64> = procs
            .iter()
            .zip(&proc_weights)
            .map(|(p, w)| {
                let pop = FIELDS.get(p.field).map_or(1, |f| f.popularity);
                let total = field_total.get(p.field).copied().unwrap_or(1).max(1);
                // Integer share of the field's popularity, in parts per billion.
                u64::try_from(u128::from(*w) * u128::from(pop) * 1_000_000_000 / u128::from(total)).unwrap_or(0)
            })
            .collect();

        let feedback_units: Vec<usize> = (1..=AGENCIES.len()).chain(commune_idx.iter().copied()).collect();
        let feedback_weights: Vec<u64> =
            (0..AGENCIES.len()).map(|_| 40_000).chain(commune_weights.iter().copied()).collect();
        Self {
            units,
            procedures: procs,
            commune_pick: Alias::new(&commune_weights),
            communes: commune_idx,
            procedure_pick: Alias::new(&proc_weights),
            feedback_pick: Alias::new(&feedback_weights),
            feedback_units,
        }
    }

    /// Writes `units.csv`; returns the number of data rows.
    pub fn write_units<W: Write>(&self, out: W, shape: Shape) -> io::Result<u64> {
        let mut o = Out::new(out, 0..0).shaped(shape);
        o.begin();
        let columns = ["id", "name", "parent", "level", "valid_from", "valid_to", "successors"];
        o.raw(shape.header(&columns).as_bytes());
        o.end_line()?;
        for u in &self.units {
            o.field(&u.id);
            o.sep();
            o.field(&u.name);
            o.sep();
            if let Some(p) = u.parent.and_then(|p| self.units.get(p)) {
                o.field(&p.id);
            }
            o.sep();
            o.raw(u.level.as_bytes());
            o.sep();
            o.sep();
            o.sep();
            o.end_line()?;
        }
        o.finish()?;
        Ok(self.units.len() as u64)
    }

    /// Writes `procedures.csv` (with an extra `deadline_days` column readers ignore); returns the
    /// number of data rows.
    pub fn write_procedures<W: Write>(&self, out: W, shape: Shape) -> io::Result<u64> {
        let mut o = Out::new(out, 0..0).shaped(shape);
        o.begin();
        let columns = [
            "procedure",
            // `Tên đơn vị` is the first other name of `name` (a unit's); a procedure's is this one.
            if shape == Shape::Export { "Tên thủ tục" } else { "name" },
            "field",
            "authority_level",
            "service_level",
            "eligible_full",
            "paper_result",
            "fee",
            "payment_integrated",
            "citizen_applicants",
            "deadline_days",
        ];
        o.raw(shape.header(&columns).as_bytes());
        o.end_line()?;
        let flag: fn(bool) -> &'static [u8] = match shape {
            Shape::Canonical => |b| if b { b"1" } else { b"0" },
            Shape::Export => |b| if b { "Có".as_bytes() } else { "Không".as_bytes() },
        };
        for p in &self.procedures {
            o.field(&p.code);
            o.sep();
            o.field(&p.name);
            o.sep();
            o.field(FIELDS.get(p.field).map_or("", |f| f.name));
            o.sep();
            o.raw(p.authority.as_str().as_bytes());
            o.sep();
            o.raw(p.service.as_bytes());
            for b in [p.eligible_full, p.paper_result, p.fee, p.payment_integrated, p.citizen_applicants] {
                o.sep();
                o.raw(flag(b));
            }
            o.sep();
            o.u64(p.deadline_days);
            o.end_line()?;
        }
        o.finish()?;
        Ok(self.procedures.len() as u64)
    }
}
