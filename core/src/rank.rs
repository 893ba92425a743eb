//! Competition ranking ("1224") with exact ties.

use std::cmp::Ordering;

/// Ranks `items` by `better` (which says how `a` compares with `b`, `Greater` meaning `a` ranks
/// higher). Equal items share a rank, and the next rank skips as many places as were shared:
/// values 9, 7, 7, 5 rank 1, 2, 2, 4. Returns the rank of each item in input order.
pub fn competition_ranks<T>(items: &[T], mut better: impl FnMut(&T, &T) -> Ordering) -> Vec<u32> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| match (items.get(a), items.get(b)) {
        (Some(x), Some(y)) => better(y, x),
        _ => Ordering::Equal,
    });
    let mut ranks = vec![0u32; items.len()];
    let mut prev: Option<usize> = None;
    let mut current = 0u32;
    for (place, &i) in order.iter().enumerate() {
        let tied = match (prev.and_then(|p| items.get(p)), items.get(i)) {
            (Some(p), Some(x)) => better(p, x) == Ordering::Equal,
            _ => false,
        };
        if !tied {
            current = u32::try_from(place + 1).unwrap_or(u32::MAX);
        }
        if let Some(slot) = ranks.get_mut(i) {
            *slot = current;
        }
        prev = Some(i);
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_skip_places() {
        let values = [7, 9, 5, 7];
        assert_eq!(competition_ranks(&values, |a, b| a.cmp(b)), vec![2, 1, 4, 2]);
        assert_eq!(competition_ranks::<i32>(&[], |a, b| a.cmp(b)), Vec::<u32>::new());
    }

    #[test]
    fn exact_ratio_ties() {
        // 1/3 and 2/6 tie exactly; 333/1000 does not, though all round to 33.33 %.
        let r = [(1u64, 3u64), (2, 6), (333, 1000)];
        let ranks = competition_ranks(&r, |a, b| crate::exact::cmp_ratio(a.0, a.1, b.0, b.1));
        assert_eq!(ranks, vec![1, 1, 3]);
    }
}
