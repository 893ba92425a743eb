//! Administrative units: a tree with validity dates and successors, read from `units.csv`.
//!
//! Vietnam moved to two-level local government on 1 July 2025 and many communes merged, so a unit
//! may end (`valid_to`) and name its successor(s). The history of a unit that names exactly one
//! successor is re-based onto it (its numerators and denominators are added to the successor's);
//! a split (several successors) is kept as its own historical unit, because dividing its counts
//! needs weights the format does not carry.

use std::collections::HashMap;
use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::input::{InputError, Rejection};
use crate::labels::{ErrorText, RejectionText};
use crate::tabular::read::{Row, read_csv};

/// The level of a unit in the administrative hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Tỉnh / thành phố.
    Province,
    /// Huyện (abolished in the 2025 reform).
    District,
    /// Xã, phường, thị trấn.
    Commune,
    /// Khóm, ấp, tổ dân phố.
    Neighbourhood,
    /// A department (sở, ban, ngành).
    Agency,
    /// Any other level, by name.
    Other(String),
}

impl Level {
    /// The name used in files.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Province => "province",
            Self::District => "district",
            Self::Commune => "commune",
            Self::Neighbourhood => "neighbourhood",
            Self::Agency => "agency",
            Self::Other(s) => s,
        }
    }

    /// Reads a level name (case-insensitive); unknown names are kept as [`Level::Other`].
    #[must_use]
    pub fn parse(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "province" => Self::Province,
            "district" => Self::District,
            "commune" => Self::Commune,
            "neighbourhood" | "neighborhood" => Self::Neighbourhood,
            "agency" => Self::Agency,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::parse(&String::deserialize(d)?))
    }
}

/// One unit as `units.csv` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The parent's id; `None` for a root.
    pub parent: Option<String>,
    /// Level.
    pub level: Level,
    /// First day of validity.
    pub valid_from: Option<Date>,
    /// Last day of validity.
    pub valid_to: Option<Date>,
    /// Units that take this one over after `valid_to`.
    pub successors: Vec<String>,
}

/// A row of `units.csv`, for its JSON Schema.
#[cfg(feature = "schema")]
#[derive(Debug, schemars::JsonSchema)]
#[expect(dead_code, reason = "describes the CSV columns for the printed schema only")]
pub struct UnitRow {
    /// Stable id (required).
    id: String,
    /// Display name.
    name: Option<String>,
    /// Parent id; empty for a root.
    parent: Option<String>,
    /// `province`, `district`, `commune`, `neighbourhood`, `agency`, or another name.
    level: Option<String>,
    /// First day of validity, YYYY-MM-DD.
    valid_from: Option<Date>,
    /// Last day of validity, YYYY-MM-DD.
    valid_to: Option<Date>,
    /// `;`-separated ids that take the unit over from `valid_to`.
    successors: Option<String>,
}

/// The unit hierarchy.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    units: Vec<Unit>,
    by_id: HashMap<String, usize>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    /// Per unit, the unit its history is re-based onto (itself when none), computed once.
    rebase: Vec<usize>,
}

/// The deepest a unit may sit below its root (a root is at depth 0, so a chain of at most 65 units).
///
/// Administrative trees are four or five levels deep (province, district, commune, neighbourhood);
/// the limit keeps every walk up or down the tree short whatever the file says, and a deeper unit is
/// an error for the whole file that names its row and id.
pub const MAX_DEPTH: usize = 64;

const UNIT_COLUMNS: [&str; 2] = ["id", "parent"];
const UNIT_OPTIONAL: [&str; 5] = ["name", "level", "valid_from", "valid_to", "successors"];

/// What becomes of one (non-duplicate) row of a units file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    Kept,
    /// Rejected, with the column at fault and why.
    Rejected(&'static str, String),
    /// Kept so far, but deeper than [`MAX_DEPTH`] (at this depth).
    TooDeep(usize),
}

/// The verdict on every candidate row, and how many parent links were followed to reach them (at
/// most one per row: the walk is linear whatever the shape of the file).
#[derive(Debug)]
struct Placed {
    verdicts: Vec<Verdict>,
    parent_steps: usize,
}

/// Where a walk up the parent links stopped.
enum Above {
    /// At a root (the last unit of the path has no parent).
    Root,
    /// The last unit of the path is itself rejected (its reason is already set).
    SelfRejected,
    /// At a unit already placed at this depth.
    Placed(usize),
    /// At a unit already rejected.
    Rejected,
    /// Back at the path's own unit at this position: the path from there on is a cycle.
    Cycle(usize),
}

#[derive(Debug, Clone, Copy)]
enum Walk {
    Unvisited,
    OnPath(usize),
    Placed(usize),
    Rejected,
}

/// Judges every row of a units file without duplicates, in time linear in rows and links: unknown
/// and cyclic successors first (a unit rejected for its successors takes its subtree with it, as a
/// rejected parent does), then each unit's parent chain, each link followed once.
fn place(candidates: &[(u64, Unit)]) -> Placed {
    let index: HashMap<&str, usize> = candidates.iter().enumerate().map(|(i, (_, u))| (u.id.as_str(), i)).collect();
    let mut verdicts = judge_successors(candidates, &index);
    let parent_name = |i: usize| candidates.get(i).and_then(|(_, u)| u.parent.as_deref()).unwrap_or_default();
    let mut walk = vec![Walk::Unvisited; candidates.len()];
    let mut parent_steps = 0usize;
    let mut path: Vec<usize> = Vec::new();
    for start in 0..candidates.len() {
        if !matches!(walk.get(start), Some(Walk::Unvisited)) {
            continue;
        }
        path.clear();
        let mut cur = start;
        let above = loop {
            match walk.get(cur).copied() {
                Some(Walk::Placed(depth)) => break Above::Placed(depth),
                Some(Walk::Rejected) | None => break Above::Rejected,
                Some(Walk::OnPath(at)) => break Above::Cycle(at),
                Some(Walk::Unvisited) => {}
            }
            if let Some(w) = walk.get_mut(cur) {
                *w = Walk::OnPath(path.len());
            }
            path.push(cur);
            if !matches!(verdicts.get(cur), Some(Verdict::Kept)) {
                break Above::SelfRejected;
            }
            let Some(p) = candidates.get(cur).and_then(|(_, u)| u.parent.as_deref()) else { break Above::Root };
            let Some(&next) = index.get(p) else {
                if let Some(v) = verdicts.get_mut(cur) {
                    *v = Verdict::Rejected("parent", RejectionText::UnknownParent.en(&[("parent", &p)]));
                }
                break Above::SelfRejected;
            };
            parent_steps += 1;
            cur = next;
        };
        // Settle the path from its top (the last unit pushed) down to `start`.
        let cycle_from = match above {
            Above::Cycle(at) => Some(at),
            _ => None,
        };
        let mut depth_above: Option<usize> = None;
        let mut rejected_above = matches!(above, Above::Rejected);
        for (pos, &i) in path.iter().enumerate().rev() {
            let top = pos + 1 == path.len();
            let Some(verdict) = verdicts.get_mut(i) else { continue };
            if cycle_from.is_some_and(|at| pos >= at) {
                *verdict = Verdict::Rejected("parent", RejectionText::ParentCycle.en(&[("parent", &parent_name(i))]));
            } else if rejected_above {
                *verdict =
                    Verdict::Rejected("parent", RejectionText::ParentRejected.en(&[("parent", &parent_name(i))]));
            } else if matches!(verdict, Verdict::Kept) {
                // Only the top of the path can be rejected already (the walk stops at it).
                let depth = match (top, &above) {
                    (true, Above::Placed(d)) => d + 1,
                    (true, _) => 0,
                    (false, _) => depth_above.map_or(0, |d| d + 1),
                };
                if depth > MAX_DEPTH {
                    *verdict = Verdict::TooDeep(depth);
                }
                depth_above = Some(depth);
            }
            let settled = match verdict {
                Verdict::Kept => Walk::Placed(depth_above.unwrap_or(0)),
                Verdict::TooDeep(d) => Walk::Placed(*d),
                Verdict::Rejected(..) => Walk::Rejected,
            };
            rejected_above = matches!(settled, Walk::Rejected);
            if let Some(w) = walk.get_mut(i) {
                *w = settled;
            }
        }
    }
    Placed { verdicts, parent_steps }
}

/// Each row's verdict on its successor links alone: an unknown successor, or one on a cycle of
/// successors, rejects the row.
fn judge_successors(candidates: &[(u64, Unit)], index: &HashMap<&str, usize>) -> Vec<Verdict> {
    let successors: Vec<Vec<usize>> = candidates
        .iter()
        .map(|(_, u)| u.successors.iter().filter_map(|s| index.get(s.as_str()).copied()).collect())
        .collect();
    let component = successor_components(&successors);
    let on_component = |s: &String| index.get(s.as_str()).and_then(|&j| component.get(j).copied().flatten());
    candidates
        .iter()
        .enumerate()
        .map(|(i, (_, unit))| {
            if let Some(s) = unit.successors.iter().find(|s| !index.contains_key(s.as_str())) {
                return Verdict::Rejected("successors", RejectionText::UnknownSuccessor.en(&[("successor", s)]));
            }
            let own = component.get(i).copied().flatten();
            match unit.successors.iter().find(|s| own.is_some() && on_component(s) == own) {
                Some(s) => Verdict::Rejected("successors", RejectionText::SuccessorCycle.en(&[("successor", s)])),
                None => Verdict::Kept,
            }
        })
        .collect()
}

/// For every unit on a cycle of successor links, the id of its cycle (a strongly connected
/// component with more than one unit, or a unit that names itself); `None` for the others.
/// Tarjan's algorithm, iterative so that a long chain cannot overflow the stack.
fn successor_components(successors: &[Vec<usize>]) -> Vec<Option<usize>> {
    const NONE: usize = usize::MAX;
    let n = successors.len();
    let mut order = vec![NONE; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut out: Vec<Option<usize>> = vec![None; n];
    let mut next = 0usize;
    let mut components = 0usize;
    let edge = |v: usize, e: usize| successors.get(v).and_then(|s| s.get(e)).copied();
    for root in 0..n {
        if order.get(root) != Some(&NONE) {
            continue;
        }
        let mut calls: Vec<(usize, usize)> = vec![(root, 0)];
        if let (Some(o), Some(l), Some(s)) = (order.get_mut(root), low.get_mut(root), on_stack.get_mut(root)) {
            (*o, *l, *s) = (next, next, true);
        }
        next += 1;
        stack.push(root);
        while let Some(&(v, e)) = calls.last() {
            if let Some(w) = edge(v, e) {
                if let Some(call) = calls.last_mut() {
                    call.1 += 1;
                }
                match order.get(w).copied() {
                    Some(NONE) => {
                        if let (Some(o), Some(l), Some(s)) = (order.get_mut(w), low.get_mut(w), on_stack.get_mut(w)) {
                            (*o, *l, *s) = (next, next, true);
                        }
                        next += 1;
                        stack.push(w);
                        calls.push((w, 0));
                    }
                    Some(ow) if on_stack.get(w) == Some(&true) => {
                        if let Some(l) = low.get_mut(v) {
                            *l = (*l).min(ow);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            calls.pop();
            let low_v = low.get(v).copied().unwrap_or(0);
            if let Some(&(u, _)) = calls.last() {
                if let Some(l) = low.get_mut(u) {
                    *l = (*l).min(low_v);
                }
            }
            if Some(low_v) == order.get(v).copied() {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    if let Some(s) = on_stack.get_mut(w) {
                        *s = false;
                    }
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                let names_itself = successors.get(v).is_some_and(|s| s.contains(&v));
                if members.len() > 1 || names_itself {
                    for m in members {
                        if let Some(slot) = out.get_mut(m) {
                            *slot = Some(components);
                        }
                    }
                    components += 1;
                }
            }
        }
    }
    out
}

/// Per unit, the end of its chain of single successors (itself when it has none or several), each
/// chain walked once. A cycle (which [`UnitTree::build`] rejects) stops where it closes.
fn rebase_targets(units: &[Unit], by_id: &HashMap<String, usize>) -> Vec<usize> {
    let next_of = |i: usize| match units.get(i).map(|u| u.successors.as_slice()) {
        Some([only]) => by_id.get(only).copied().filter(|&n| n != i),
        _ => None,
    };
    let mut target: Vec<Option<usize>> = vec![None; units.len()];
    let mut on_path = vec![false; units.len()];
    let mut path = Vec::new();
    for start in 0..units.len() {
        path.clear();
        let mut cur = start;
        let end = loop {
            if let Some(t) = target.get(cur).copied().flatten() {
                break t;
            }
            if on_path.get(cur) != Some(&false) {
                break cur;
            }
            if let Some(p) = on_path.get_mut(cur) {
                *p = true;
            }
            path.push(cur);
            match next_of(cur) {
                Some(next) => cur = next,
                None => break cur,
            }
        };
        for &p in &path {
            if let Some(t) = target.get_mut(p) {
                *t = Some(end);
            }
            if let Some(o) = on_path.get_mut(p) {
                *o = false;
            }
        }
    }
    target.into_iter().enumerate().map(|(i, t)| t.unwrap_or(i)).collect()
}

fn parse_unit(row: &Row<'_>) -> Result<Unit, Rejection> {
    let id = row.get("id")?;
    if id.is_empty() {
        return Err(row.reject("id", RejectionText::Empty.en(&[])));
    }
    let date = |col: &'static str| -> Result<Option<Date>, Rejection> {
        let t = row.get(col)?;
        if t.is_empty() {
            Ok(None)
        } else {
            crate::date::Date::parse_tabular(t).map(Some).map_err(|e| row.reject(col, e.to_string()))
        }
    };
    let valid_from = date("valid_from")?;
    let valid_to = date("valid_to")?;
    if let (Some(f), Some(t)) = (valid_from, valid_to) {
        if t < f {
            return Err(row.reject("valid_to", RejectionText::EndsBeforeStart.en(&[("to", &t), ("from", &f)])));
        }
    }
    let parent = row.get("parent")?;
    let name = row.get("name")?;
    Ok(Unit {
        id: id.to_owned(),
        name: if name.is_empty() { id.to_owned() } else { name.to_owned() },
        parent: (!parent.is_empty()).then(|| parent.to_owned()),
        level: Level::parse(row.get("level")?),
        valid_from,
        valid_to,
        successors: row
            .get("successors")?
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

impl UnitTree {
    /// Reads `units.csv`. Rows that cannot be placed in the tree (a duplicate id, an unknown parent
    /// or successor, a cycle of parents or of successors, a parent that was itself rejected) are
    /// rejected with their row; the others are kept.
    ///
    /// The header must have the `id` and `parent` columns: a units file without `parent` would make
    /// every unit a root, which is almost always a misnamed column (`parent_id`), so it is an error;
    /// a flat list says so with an empty `parent` column. A unit deeper than [`MAX_DEPTH`] below its
    /// root is an error for the whole file ([`InputError::Invalid`], naming its row and id).
    /// Validation is linear in the number of rows, whatever their shape.
    pub fn from_csv<R: Read>(
        reader: R,
        source: &str,
        strict: bool,
        rejected: &mut Vec<Rejection>,
    ) -> Result<Self, InputError> {
        let mut rows: Vec<(u64, Unit)> = Vec::new();
        // Whether a row fits the tree is known only once every row is read (a parent may come
        // later), so even a strict read takes the whole file (a unit tree is small) and then
        // names the first rejected row in the file, whatever the reason.
        let mut local = Vec::new();
        read_csv(reader, source, &UNIT_COLUMNS, &UNIT_OPTIONAL, false, &mut local, |row| {
            rows.push((row.number(), parse_unit(row)?));
            Ok(())
        })?;
        let tree = Self::build(rows, source, &mut local)?;
        local.sort_by_key(|r| r.row);
        if strict {
            if let Some(first) = local.into_iter().next() {
                return Err(InputError::Strict(first));
            }
        } else {
            rejected.extend(local);
            rejected.sort_by(|a, b| (a.source.as_str(), a.row).cmp(&(b.source.as_str(), b.row)));
        }
        Ok(tree)
    }

    /// Builds the tree from units with their row numbers, rejecting those that do not fit (pushed
    /// to `rejected` in row order). A unit deeper than [`MAX_DEPTH`] is an error for the whole file.
    pub fn build(rows: Vec<(u64, Unit)>, source: &str, rejected: &mut Vec<Rejection>) -> Result<Self, InputError> {
        let reject = |row: u64, column: &str, reason: String| Rejection {
            source: source.to_owned(),
            row,
            column: Some(column.to_owned()),
            reason,
        };
        let mut local = Vec::new();
        // Duplicates: the first row wins.
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut candidates: Vec<(u64, Unit)> = Vec::new();
        for (row, unit) in rows {
            if let Some(first) = seen.get(&unit.id) {
                local.push(reject(row, "id", RejectionText::DuplicateId.en(&[("id", &unit.id), ("row", first)])));
            } else {
                seen.insert(unit.id.clone(), row);
                candidates.push((row, unit));
            }
        }
        let placed = place(&candidates);
        debug_assert!(placed.parent_steps <= candidates.len(), "each parent link is followed at most once");
        // The first unit past the limit (the shallowest, then the first row) is the one to name.
        let too_deep = candidates
            .iter()
            .zip(&placed.verdicts)
            .filter_map(|((row, unit), v)| match v {
                Verdict::TooDeep(depth) => Some((*depth, *row, unit.id.as_str())),
                _ => None,
            })
            .min();
        if let Some((depth, row, id)) = too_deep {
            return Err(InputError::Invalid {
                file: source.to_owned(),
                reason: ErrorText::TooDeep.en(&[("row", &row), ("unit", &id), ("depth", &depth), ("max", &MAX_DEPTH)]),
            });
        }
        let mut units = Vec::with_capacity(candidates.len());
        for ((row, unit), verdict) in candidates.into_iter().zip(placed.verdicts) {
            match verdict {
                Verdict::Kept | Verdict::TooDeep(_) => units.push(unit),
                Verdict::Rejected(column, why) => local.push(reject(row, column, why)),
            }
        }
        local.sort_by_key(|r| r.row);
        rejected.append(&mut local);
        Ok(Self::from_valid(units))
    }

    /// The tree of units known to be consistent (every parent present, no cycle).
    fn from_valid(units: Vec<Unit>) -> Self {
        let by_id: HashMap<String, usize> = units.iter().enumerate().map(|(i, u)| (u.id.clone(), i)).collect();
        let parent: Vec<Option<usize>> =
            units.iter().map(|u| u.parent.as_ref().and_then(|p| by_id.get(p).copied())).collect();
        let mut children = vec![Vec::new(); units.len()];
        for (i, p) in parent.iter().enumerate() {
            if let Some(slot) = p.and_then(|p| children.get_mut(p)) {
                slot.push(i);
            }
        }
        let rebase = rebase_targets(&units, &by_id);
        Self { units, by_id, parent, children, rebase }
    }

    /// A flat list of root units with the given ids (used when no `units.csv` is given).
    #[must_use]
    pub fn flat<I: IntoIterator<Item = String>>(ids: I) -> Self {
        let mut seen = std::collections::BTreeSet::new();
        let units = ids
            .into_iter()
            .filter(|id| seen.insert(id.clone()))
            .map(|id| Unit {
                name: id.clone(),
                id,
                parent: None,
                level: Level::Other("unit".to_owned()),
                valid_from: None,
                valid_to: None,
                successors: Vec::new(),
            })
            .collect();
        Self::from_valid(units)
    }

    /// All units, in file order.
    #[must_use]
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The number of units.
    #[must_use]
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there is no unit.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The index of the unit with this id.
    #[must_use]
    pub fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The unit at an index.
    #[must_use]
    pub fn unit(&self, idx: usize) -> Option<&Unit> {
        self.units.get(idx)
    }

    /// The parent's index.
    #[must_use]
    pub fn parent(&self, idx: usize) -> Option<usize> {
        self.parent.get(idx).copied().flatten()
    }

    /// The children's indices, in file order.
    #[must_use]
    pub fn children(&self, idx: usize) -> &[usize] {
        self.children.get(idx).map_or(&[], Vec::as_slice)
    }

    /// The unit's ancestors, nearest first.
    pub fn ancestors(&self, idx: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent(idx), move |&i| self.parent(i))
    }

    /// Roots (units without a parent), in file order.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.units.len()).filter(|&i| self.parent(i).is_none())
    }

    /// Depth from its root (a root has depth 0).
    #[must_use]
    pub fn depth(&self, idx: usize) -> usize {
        self.ancestors(idx).count()
    }

    /// Indices in depth-first pre-order (each root, then its subtree), for reports.
    #[must_use]
    pub fn preorder(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.units.len());
        let mut stack: Vec<usize> = self.roots().collect::<Vec<_>>().into_iter().rev().collect();
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(self.children(i).iter().rev());
        }
        out
    }

    /// The unit whose history this one's observations belong to today: the end of the chain of
    /// single successors (a merge), or the unit itself when it has none or several (a split).
    #[must_use]
    pub fn rebase_target(&self, idx: usize) -> usize {
        self.rebase.get(idx).copied().unwrap_or(idx)
    }

    /// Whether the unit's history is re-based onto another unit.
    #[must_use]
    pub fn is_rebased(&self, idx: usize) -> bool {
        self.rebase_target(idx) != idx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNITS: &str = "id,name,parent,level,valid_from,valid_to,successors
tt,Thị trấn,,commune,,,
k1,Khóm 1,tt,neighbourhood,,,
k2,Khóm 2,tt,neighbourhood,,2025-06-30,k1
k1,dup,tt,neighbourhood,,,
k9,Lost,nowhere,neighbourhood,,,
k10,Child of lost,k9,neighbourhood,,,
kx,Bad date,tt,neighbourhood,2025-13-01,,
";

    #[test]
    fn builds_the_tree_and_rejects_what_does_not_fit() {
        let mut rejected = Vec::new();
        let tree = UnitTree::from_csv(UNITS.as_bytes(), "units.csv", false, &mut rejected).unwrap();
        assert_eq!(tree.len(), 3);
        let rows: Vec<u64> = rejected.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![5, 6, 7, 8]);
        assert!(rejected[0].reason.contains("duplicate"));
        assert!(rejected[1].reason.contains("unknown parent `nowhere`"));
        assert!(rejected[2].reason.contains("parent `k9` was rejected"));
        assert_eq!(rejected[3].column.as_deref(), Some("valid_from"));
        let k2 = tree.index("k2").unwrap();
        assert_eq!(tree.rebase_target(k2), tree.index("k1").unwrap());
        assert_eq!(tree.preorder().len(), 3);
    }

    #[test]
    fn a_cycle_is_rejected() {
        let mut rejected = Vec::new();
        let csv = "id,parent\na,b\nb,a\nc,\n";
        let tree = UnitTree::from_csv(csv.as_bytes(), "u.csv", false, &mut rejected).unwrap();
        assert_eq!(tree.len(), 1);
        assert_eq!(rejected.len(), 2);
        assert!(rejected.iter().all(|r| r.reason.contains("makes a cycle")), "{rejected:?}");
    }

    /// A chain `u0 ← u1 ← … ← u{n-1}` (u0 the root unless `orphan`), written deepest first so that a
    /// walk up from each row in file order is as long as it can be.
    fn chain(n: usize, orphan: bool) -> String {
        let mut csv = String::from("id,parent\n");
        for i in (0..n).rev() {
            let parent = match i {
                0 if orphan => "missing".to_owned(),
                0 => String::new(),
                _ => format!("u{}", i - 1),
            };
            csv.push_str(&format!("u{i},{parent}\n"));
        }
        csv
    }

    fn candidates(csv: &str) -> Vec<(u64, Unit)> {
        let mut rows = Vec::new();
        read_csv(csv.as_bytes(), "u.csv", &UNIT_COLUMNS, &UNIT_OPTIONAL, true, &mut Vec::new(), |row| {
            rows.push((row.number(), parse_unit(row)?));
            Ok(())
        })
        .unwrap();
        rows
    }

    #[test]
    fn a_chain_far_deeper_than_the_limit_is_one_clear_error_found_in_linear_time() {
        // 100 000 deep: validation followed each parent link once (it used to walk the whole
        // chain from every row, and never finished).
        let csv = chain(100_000, false);
        let placed = place(&candidates(&csv));
        assert!(placed.parent_steps < 100_000, "{} steps", placed.parent_steps);
        let err = UnitTree::from_csv(csv.as_bytes(), "u.csv", false, &mut Vec::new()).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        // u65 is the first unit past the limit; the file is written deepest first (row 2 is
        // u99999), so u65 is on row 100 001 - 65.
        assert_eq!(err.to_string(), "u.csv: row 99936: unit `u65` is 65 levels below its root, over the limit of 64");
        let err = UnitTree::from_csv(chain(MAX_DEPTH + 2, false).as_bytes(), "u.csv", true, &mut Vec::new());
        assert!(err.unwrap_err().to_string().contains("unit `u65` is 65 levels"));
    }

    #[test]
    fn a_chain_at_the_limit_is_accepted_in_linear_time() {
        let csv = chain(MAX_DEPTH + 1, false);
        let placed = place(&candidates(&csv));
        assert!(placed.parent_steps <= MAX_DEPTH, "{} steps", placed.parent_steps);
        let mut rejected = Vec::new();
        let tree = UnitTree::from_csv(csv.as_bytes(), "u.csv", true, &mut rejected).unwrap();
        assert_eq!(tree.len(), MAX_DEPTH + 1);
        assert!(rejected.is_empty());
        assert_eq!(tree.depth(tree.index(&format!("u{MAX_DEPTH}")).unwrap()), MAX_DEPTH);
    }

    #[test]
    fn an_orphaned_chain_is_rejected_row_by_row_in_linear_time() {
        let n = 100_000;
        let csv = chain(n, true);
        let placed = place(&candidates(&csv));
        assert!(placed.parent_steps < n, "{} steps", placed.parent_steps);
        let mut rejected = Vec::new();
        let tree = UnitTree::from_csv(csv.as_bytes(), "u.csv", false, &mut rejected).unwrap();
        assert!(tree.is_empty());
        assert_eq!(rejected.len(), n);
        // Rows in order; the root of the chain (last row) has the unknown parent.
        assert!(rejected.windows(2).all(|w| w[0].row < w[1].row));
        let last = rejected.last().unwrap();
        assert_eq!((last.row, last.reason.as_str()), (u64::try_from(n).unwrap() + 1, "unknown parent `missing`"));
        assert_eq!(rejected[0].reason, format!("parent `u{}` was rejected", n - 2));
    }

    #[test]
    fn a_subtree_below_a_cycle_is_rejected_with_it() {
        let csv = "id,parent\na,b\nb,a\nc,a\nd,c\nr,\ne,r\n";
        let mut rejected = Vec::new();
        let tree = UnitTree::from_csv(csv.as_bytes(), "u.csv", false, &mut rejected).unwrap();
        assert_eq!(tree.len(), 2);
        let reasons: Vec<&str> = rejected.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "parent `b` makes a cycle",
                "parent `a` makes a cycle",
                "parent `a` was rejected",
                "parent `c` was rejected"
            ]
        );
    }

    #[test]
    fn a_cycle_of_successors_is_rejected() {
        // k1 → k2 → k1 is a cycle; k3 merges into k1 (on the cycle, rejected) and is kept; k4
        // names itself.
        let csv = "id,parent,successors\ntt,,\nk1,tt,k2\nk2,tt,k1\nk3,tt,k1\nk4,tt,k4\nk5,tt,k6;k7\nk6,tt,\nk7,tt,k5\n";
        let mut rejected = Vec::new();
        let tree = UnitTree::from_csv(csv.as_bytes(), "u.csv", false, &mut rejected).unwrap();
        let rows: Vec<(u64, &str)> = rejected.iter().map(|r| (r.row, r.reason.as_str())).collect();
        assert_eq!(
            rows,
            [
                (3, "successor `k2` makes a cycle of successors"),
                (4, "successor `k1` makes a cycle of successors"),
                (6, "successor `k4` makes a cycle of successors"),
                (7, "successor `k7` makes a cycle of successors"),
                (9, "successor `k5` makes a cycle of successors"),
            ]
        );
        assert!(rejected.iter().all(|r| r.column.as_deref() == Some("successors")));
        assert_eq!(tree.len(), 3);
        let k3 = tree.index("k3").unwrap();
        assert!(!tree.is_rebased(k3));
    }

    #[test]
    fn a_long_chain_of_merges_is_rebased_in_one_pass() {
        let n = 100_000;
        let mut csv = String::from("id,parent,successors\n");
        for i in 0..n {
            let next = if i + 1 < n { format!("m{}", i + 1) } else { String::new() };
            csv.push_str(&format!("m{i},,{next}\n"));
        }
        let tree = UnitTree::from_csv(csv.as_bytes(), "u.csv", true, &mut Vec::new()).unwrap();
        let last = tree.index(&format!("m{}", n - 1)).unwrap();
        assert!((0..n).all(|i| tree.rebase_target(i) == last));
        assert!(!tree.is_rebased(last));
    }

    proptest::proptest! {
        /// The one-pass placement keeps exactly the units whose parent chain reaches a root through
        /// units that are all free of successor problems, as a plain walk from each unit finds.
        #[test]
        fn placement_agrees_with_a_walk_from_every_unit(
            links in proptest::collection::vec((0usize..10, 0usize..10, 0usize..10), 1..10)
        ) {
            // Parent: 0 = root, 1 = unknown, k ≥ 2 = unit k - 2 (when it exists, else unknown).
            // Successor: 0..=1 = none, k ≥ 2 = unit k - 2 (or unknown).
            let n = links.len();
            let name = |k: usize| if k >= 2 && k - 2 < n { format!("u{}", k - 2) } else { "nowhere".to_owned() };
            let mut csv = String::from("id,parent,successors\n");
            for (i, (p, s1, s2)) in links.iter().enumerate() {
                let parent = if *p == 0 { String::new() } else { name(*p) };
                let succ: Vec<String> = [*s1, *s2].iter().filter(|&&s| s >= 2).map(|&s| name(s)).collect();
                csv.push_str(&format!("u{i},{parent},{}\n", succ.join(";")));
            }
            let mut rejected = Vec::new();
            let tree = UnitTree::from_csv(csv.as_bytes(), "u.csv", false, &mut rejected).unwrap();
            // The reference: successor problems by reachability, then a walk up from each unit.
            let succ_of = |i: usize| -> Vec<Option<usize>> {
                let (_, s1, s2) = links[i];
                [s1, s2].iter().filter(|&&s| s >= 2).map(|&s| (s - 2 < n).then_some(s - 2)).collect()
            };
            let reaches = |from: usize, to: usize| -> bool {
                let mut seen = vec![false; n];
                let mut stack: Vec<usize> = succ_of(from).into_iter().flatten().collect();
                while let Some(v) = stack.pop() {
                    if v == to {
                        return true;
                    }
                    if !std::mem::replace(&mut seen[v], true) {
                        stack.extend(succ_of(v).into_iter().flatten());
                    }
                }
                false
            };
            let successor_bad = |i: usize| succ_of(i).iter().any(Option::is_none)
                || succ_of(i).into_iter().flatten().any(|j| reaches(j, i));
            let kept_reference: Vec<bool> = (0..n).map(|i| {
                let mut cur = i;
                for _ in 0..=n {
                    if successor_bad(cur) {
                        return false;
                    }
                    match links[cur].0 {
                        0 => return true,
                        p if p >= 2 && p - 2 < n => cur = p - 2,
                        _ => return false,
                    }
                }
                false
            }).collect();
            let kept: Vec<bool> = (0..n).map(|i| tree.index(&format!("u{i}")).is_some()).collect();
            proptest::prop_assert_eq!(&kept, &kept_reference, "{}", csv);
            proptest::prop_assert_eq!(rejected.len(), kept.iter().filter(|k| !**k).count());
            for i in (0..n).filter(|&i| kept[i]) {
                let idx = tree.index(&format!("u{i}")).unwrap();
                let mut depth = 0;
                let mut cur = i;
                while links[cur].0 >= 2 {
                    cur = links[cur].0 - 2;
                    depth += 1;
                }
                proptest::prop_assert_eq!(tree.depth(idx), depth);
            }
        }
    }

    #[test]
    fn a_units_file_without_a_parent_column_is_an_error() {
        let err = UnitTree::from_csv("id,name\na,A\n".as_bytes(), "u.csv", false, &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "u.csv: the header has no `parent` column (nor `Đơn vị cấp trên`, `Mã đơn vị cấp trên`)"
        );
        // A flat list says so with an empty column.
        let tree = UnitTree::from_csv("id,parent\na,\nb,\n".as_bytes(), "u.csv", true, &mut Vec::new()).unwrap();
        assert_eq!(tree.roots().count(), 2);
    }
}
