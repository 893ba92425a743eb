//! Arbitrary bytes as a saved partial (`Score766Session::load_partial`): no panic, ever. The raw
//! bytes almost never pass the checksums, so most inputs are first made into a partial whose
//! checksums agree: a valid partial of a small session with the input spliced into its body, then
//! sealed again (its context, body and header checksums recomputed). Whatever then loads must
//! finish without panicking, and save and load back to the same scorecard.
#![no_main]

use chiso::api::{Score766Builder, Score766Session};
use chiso::score766::partial::fnv1a64;
use libfuzzer_sys::fuzz_target;

const UNITS: &[u8] = b"id,name,parent,level\nt,Town,,commune\nk1,K1,t,neighbourhood\n";
const PROCEDURES: &[u8] = b"procedure,name,paper_result,fee\np1,P1,true,true\np2,P2,false,false\n";
const DOSSIERS: &[u8] = b"dossier_id,unit,procedure,received_at,due_at,finished_at,channel,fee,paid_online\n\
d1,k1,p1,2026-07-01,2026-07-05,2026-07-04,online,1,1\nd2,t,p2,2026-07-02,,,direct,0,0\nd1,k1,p1,2026-07-03,,,online,0,0\n\
d3,zz,p1,2026-07-03,,,online,0,0\n";

/// A partial of a small session: units, procedures, records, a duplicate id and a rejected row.
fn seed() -> Vec<u8> {
    let mut s = Score766Builder::new("2026-07").units(Some(UNITS)).procedures(Some(PROCEDURES)).build().unwrap();
    s.push_csv(DOSSIERS).unwrap();
    s.save_partial().unwrap()
}

/// A LEB128 varint at `at`, and the offset after it.
fn varint(b: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let mut v = 0usize;
    for shift in (0..63).step_by(7) {
        let byte = *b.get(at)?;
        at += 1;
        v |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some((v, at));
        }
    }
    None
}

/// Recomputes the checksums of `p` (a partial whose body may have changed): the body's length,
/// the context's, the body's and the header's checksums. `None` when the layout is not found.
fn seal(p: &mut Vec<u8>) -> Option<()> {
    let profile_len = usize::from(*p.get(10)?);
    let period_len = usize::from(*p.get(11 + profile_len)?);
    let fixed = 12 + profile_len + period_len;
    let header_len = fixed + 32;
    let body = p.get(header_len..)?.to_vec();
    // The body: flags, five names, then the context section.
    let mut at = 1;
    for _ in 0..5 {
        let (n, after) = varint(&body, at)?;
        at = after.checked_add(n)?;
    }
    let (n, after) = varint(&body, at)?;
    let context = body.get(after..after.checked_add(n)?)?;
    p.get_mut(fixed..fixed + 8)?.copy_from_slice(&fnv1a64(context).to_le_bytes());
    p.get_mut(fixed + 8..fixed + 16)?.copy_from_slice(&(body.len() as u64).to_le_bytes());
    p.get_mut(fixed + 16..fixed + 24)?.copy_from_slice(&fnv1a64(&body).to_le_bytes());
    let header = fnv1a64(p.get(..fixed + 24)?);
    p.get_mut(fixed + 24..fixed + 32)?.copy_from_slice(&header.to_le_bytes());
    Some(())
}

fuzz_target!(|data: &[u8]| {
    let _ = Score766Session::load_partial(data, "raw");
    let Some((&how, rest)) = data.split_first() else { return };
    static SEED: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let mut partial = SEED.get_or_init(seed).clone();
    // Splice the input over the body at an offset the first byte chooses (past the header).
    let start = 70 + usize::from(how) * partial.len().saturating_sub(70) / 256;
    let end = start.saturating_add(rest.len()).min(partial.len());
    if let Some(dst) = partial.get_mut(start..end) {
        dst.copy_from_slice(&rest[..end - start]);
    }
    if how % 2 == 1 {
        partial.truncate(start + rest.len() / 2);
    }
    if seal(&mut partial).is_none() {
        return;
    }
    let Ok(mut loaded) = Score766Session::load_partial(&partial, "sealed") else { return };
    let again = loaded.save_partial();
    let card = loaded.finish().map(|c| c.to_json());
    if let (Ok(again), Ok(card)) = (again, card) {
        let mut reloaded = Score766Session::load_partial(&again, "again").unwrap();
        assert_eq!(reloaded.finish().map(|c| c.to_json()).ok(), Some(card));
    }
});
