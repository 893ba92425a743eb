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
use crate::input::{InputError, Rejection, Row, read_csv};

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
#[allow(dead_code, reason = "describes the CSV columns for the printed schema only")]
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
}

const UNIT_COLUMNS: [&str; 1] = ["id"];
const UNIT_OPTIONAL: [&str; 6] = ["name", "parent", "level", "valid_from", "valid_to", "successors"];

fn parse_unit(row: &Row<'_>) -> Result<Unit, Rejection> {
    let id = row.get("id")?;
    if id.is_empty() {
        return Err(row.reject("id", "is empty"));
    }
    let date = |col: &'static str| -> Result<Option<Date>, Rejection> {
        let t = row.get(col)?;
        if t.is_empty() {
            Ok(None)
        } else {
            t.parse().map(Some).map_err(|e: crate::date::DateError| row.reject(col, e.to_string()))
        }
    };
    let valid_from = date("valid_from")?;
    let valid_to = date("valid_to")?;
    if let (Some(f), Some(t)) = (valid_from, valid_to) {
        if t < f {
            return Err(row.reject("valid_to", format!("{t} is before valid_from {f}")));
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
    /// or successor, a cycle) are rejected with their row; the others are kept.
    pub fn from_csv<R: Read>(
        reader: R,
        source: &str,
        strict: bool,
        rejected: &mut Vec<Rejection>,
    ) -> Result<Self, InputError> {
        let mut rows: Vec<(u64, Unit)> = Vec::new();
        read_csv(reader, source, &UNIT_COLUMNS, &UNIT_OPTIONAL, strict, rejected, |row| {
            rows.push((row.number(), parse_unit(row)?));
            Ok(())
        })?;
        let mut local = Vec::new();
        let tree = Self::build(rows, source, &mut local);
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

    /// Builds the tree from units with their row numbers, rejecting those that do not fit.
    pub fn build(rows: Vec<(u64, Unit)>, source: &str, rejected: &mut Vec<Rejection>) -> Self {
        let reject = |row: u64, column: &str, reason: String| Rejection {
            source: source.to_owned(),
            row,
            column: Some(column.to_owned()),
            reason,
        };
        // Duplicates: the first row wins.
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut candidates: Vec<(u64, Unit)> = Vec::new();
        for (row, unit) in rows {
            if let Some(first) = seen.get(&unit.id) {
                rejected.push(reject(row, "id", format!("duplicate id `{}` (first on row {first})", unit.id)));
            } else {
                seen.insert(unit.id.clone(), row);
                candidates.push((row, unit));
            }
        }
        // Keep removing rows whose parent is missing or on a cycle, until the rest is a forest.
        loop {
            let ids: HashMap<&str, usize> =
                candidates.iter().enumerate().map(|(i, (_, u))| (u.id.as_str(), i)).collect();
            let mut bad: Vec<(usize, String, &'static str)> = Vec::new();
            for (i, (_, unit)) in candidates.iter().enumerate() {
                if let Some(p) = &unit.parent {
                    if !ids.contains_key(p.as_str()) {
                        let why = if seen.contains_key(p) {
                            format!("parent `{p}` was rejected")
                        } else {
                            format!("unknown parent `{p}`")
                        };
                        bad.push((i, why, "parent"));
                        continue;
                    }
                    // Walk up; a walk longer than the number of units is a cycle.
                    let mut cur = unit.parent.as_deref();
                    let mut steps = 0;
                    while let Some(c) = cur {
                        steps += 1;
                        if c == unit.id || steps > candidates.len() {
                            bad.push((i, format!("parent `{p}` makes a cycle"), "parent"));
                            break;
                        }
                        cur = ids.get(c).and_then(|j| candidates.get(*j)).and_then(|(_, u)| u.parent.as_deref());
                    }
                }
                if let Some(s) = unit.successors.iter().find(|s| !seen.contains_key(s.as_str())) {
                    bad.push((i, format!("unknown successor `{s}`"), "successors"));
                }
            }
            if bad.is_empty() {
                break;
            }
            bad.sort_by_key(|(i, _, _)| std::cmp::Reverse(*i));
            bad.dedup_by_key(|(i, _, _)| *i);
            for (i, why, column) in bad {
                let (row, _) = candidates.remove(i);
                rejected.push(reject(row, column, why));
            }
        }
        rejected.sort_by_key(|r| r.row);
        let units: Vec<Unit> = candidates.into_iter().map(|(_, u)| u).collect();
        Self::from_valid(units)
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
        Self { units, by_id, parent, children }
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
        let mut cur = idx;
        for _ in 0..=self.units.len() {
            match self.units.get(cur).map(|u| u.successors.as_slice()) {
                Some([only]) => match self.index(only) {
                    Some(next) if next != cur => cur = next,
                    _ => return cur,
                },
                _ => return cur,
            }
        }
        cur
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
    }
}
