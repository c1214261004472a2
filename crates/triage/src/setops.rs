//! Set similarity on sorted, deduplicated slices: linear merges, no hashing, no
//! allocation. Every set signal of a fingerprint is stored sorted for this.

/// |A ∩ B| of two sorted, deduplicated slices.
pub fn intersection_len<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// |A ∩ B| for sorted u32 slices, branch-light (the hot loop of `compare`).
pub fn intersection_len_u32(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0usize, 0usize, 0usize);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// Jaccard |A∩B| / |A∪B|; `None` when both are empty (the signal is absent, SPEC 5.8).
pub fn jaccard<T: Ord>(a: &[T], b: &[T]) -> Option<f64> {
    if a.is_empty() && b.is_empty() {
        return None;
    }
    let i = intersection_len(a, b);
    Some(i as f64 / (a.len() + b.len() - i) as f64)
}

/// The common elements of two sorted slices, at most `cap` of them.
pub fn intersection<T: Ord + Clone>(a: &[T], b: &[T], cap: usize) -> Vec<T> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() && out.len() < cap {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i].clone());
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Sorts and deduplicates in place.
pub fn normalize<T: Ord>(v: &mut Vec<T>) {
    v.sort_unstable();
    v.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_basics() {
        assert_eq!(jaccard::<u32>(&[], &[]), None);
        assert_eq!(jaccard(&[1u32], &[]), Some(0.0));
        assert_eq!(jaccard(&[1u32, 2, 3], &[2, 3, 4]), Some(0.5));
        assert_eq!(intersection_len_u32(&[1, 2, 3, 9], &[0, 2, 3, 9, 10]), 3);
        assert_eq!(intersection(&[1, 2, 3], &[2, 3], 1), vec![2]);
    }
}
