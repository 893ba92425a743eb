//! What the fuzz targets share: a small units tree and procedures table, chunk sizes from a seed,
//! the CSV serialisation of structured records.
#![expect(dead_code, reason = "each target uses a part")]

use std::sync::Arc;

use chiso::score766::{DossierAggregate, ProcedureTable, RecordContext, ScoreOptions, Scorer};
use chiso::units::UnitTree;

pub const UNITS: &str = "id,name,parent,level\ntinh,T,,province\nxa-a,A,tinh,commune\nxa-b,B,tinh,commune\n";
pub const PROCEDURES: &str = "procedure,authority_level,service_level,eligible_full,paper_result,fee,payment_integrated,citizen_applicants\nP1,commune,full,1,1,1,1,1\nP2,commune,partial,0,0,0,0,1\nP3,province,none,0,0,1,0,0\n";

pub fn context(with_tables: bool) -> Arc<RecordContext> {
    if !with_tables {
        return Arc::new(RecordContext::new(None, None));
    }
    let mut rejected = Vec::new();
    let units = UnitTree::from_csv(UNITS.as_bytes(), "units.csv", false, &mut rejected).ok();
    let procedures = ProcedureTable::from_csv(PROCEDURES.as_bytes(), "procedures.csv", false, &mut rejected).ok();
    Arc::new(RecordContext::new(units, procedures))
}

pub fn scorer(ctx: &Arc<RecordContext>) -> Option<Scorer> {
    let period = "2025-07".parse().ok()?;
    Some(Scorer::new(ScoreOptions::new(period), Arc::clone(ctx)))
}

/// Pushes `chunks` as one dossier CSV stream.
pub fn push(ctx: &Arc<RecordContext>, chunks: &[&[u8]]) -> Option<DossierAggregate> {
    let mut s = scorer(ctx)?;
    for c in chunks {
        s.push_csv(c).ok()?;
    }
    s.into_aggregate().ok()
}

/// Cuts `body` into chunks of pseudo-random sizes (1 to 64 bytes, or larger) drawn from `seed`.
pub fn chunks(body: &[u8], seed: u8) -> Vec<&[u8]> {
    let mut state = u32::from(seed).wrapping_mul(2_654_435_761) | 1;
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let size = if state % 7 == 0 { (state % 4096) as usize + 1 } else { (state % 64) as usize + 1 };
        let (a, b) = rest.split_at(size.min(rest.len()));
        out.push(a);
        rest = b;
    }
    out
}

/// The aggregate with its rejections trimmed as a merge trims them (the push API keeps up to
/// twice the listed rows until then), for comparisons.
pub fn normalised(ctx: &Arc<RecordContext>, agg: DossierAggregate) -> DossierAggregate {
    let mut out = DossierAggregate::new(ctx);
    out.merge(agg);
    out
}

/// A CSV field as a careful writer quotes it.
pub fn quote(field: &str) -> String {
    if field.is_empty() || field.contains(['"', ',', '\n', '\r']) || field.starts_with([' ', '\t']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
