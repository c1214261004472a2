//! Shingles (k-token windows) and the consistent sample stored in a fingerprint.
//!
//! Token hashes carry the sign of their line, so the shingles of a revert (same lines,
//! signs swapped) are disjoint from those of the change it reverts.

use crate::hash::mix64;

/// Appends the k-shingle hashes of one token stream (one file's changed lines).
/// A stream shorter than k yields a single shingle, so tiny changes still count.
pub fn shingles_into(tokens: &[u64], k: usize, out: &mut Vec<u32>) {
    if tokens.is_empty() {
        return;
    }
    let k = k.max(1);
    if tokens.len() < k {
        out.push(combine(tokens));
        return;
    }
    for w in tokens.windows(k) {
        out.push(combine(w));
    }
}

#[inline]
fn combine(w: &[u64]) -> u32 {
    let mut h = 0x5348_494e_474c_4531_u64;
    for &t in w {
        h = mix64(h.rotate_left(5) ^ t);
    }
    (h >> 32) as u32
}

/// A consistent sample of a shingle set: every hash with `h mod 2^level == 0`, for the
/// smallest level that keeps at most `cap` hashes. Two samples compared at the larger
/// of their levels give an unbiased Jaccard/containment estimate; below the cap the
/// sample is the exact set (level 0).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sketch {
    /// Sampling level (0 = exact).
    #[serde(rename = "l")]
    pub level: u8,
    /// Size of the full (unsampled) set.
    #[serde(rename = "n")]
    pub total: u32,
    /// Sorted sampled hashes.
    #[serde(rename = "h", with = "crate::b64")]
    pub hashes: Vec<u32>,
}

#[inline]
fn keep(h: u32, level: u8) -> bool {
    level == 0 || h.trailing_zeros() >= u32::from(level)
}

impl Sketch {
    /// Builds from a sorted, deduplicated set.
    pub fn from_sorted(set: &[u32], cap: usize) -> Sketch {
        let mut level = 0u8;
        let mut hashes: Vec<u32> = set.to_vec();
        while hashes.len() > cap && level < 31 {
            level += 1;
            hashes.retain(|&h| keep(h, level));
        }
        Sketch {
            level,
            total: u32::try_from(set.len()).unwrap_or(u32::MAX),
            hashes,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty() && self.total == 0
    }

    /// (|A∩B|, |A|, |B|) measured on the common sampling level.
    pub fn overlap(&self, other: &Sketch) -> (usize, usize, usize) {
        if self.level == other.level {
            let i = crate::setops::intersection_len_u32(&self.hashes, &other.hashes);
            return (i, self.hashes.len(), other.hashes.len());
        }
        let level = self.level.max(other.level);
        let a: Vec<u32> = self
            .hashes
            .iter()
            .copied()
            .filter(|&h| keep(h, level))
            .collect();
        let b: Vec<u32> = other
            .hashes
            .iter()
            .copied()
            .filter(|&h| keep(h, level))
            .collect();
        let i = crate::setops::intersection_len_u32(&a, &b);
        (i, a.len(), b.len())
    }

    /// Jaccard estimate (exact at level 0); `None` when both are empty.
    pub fn jaccard(&self, other: &Sketch) -> Option<f64> {
        if self.is_empty() && other.is_empty() {
            return None;
        }
        let (i, a, b) = self.overlap(other);
        if a + b == 0 {
            return Some(0.0);
        }
        Some(i as f64 / (a + b - i) as f64)
    }

    /// Containment |A∩B| / |A| of `self` in `other`.
    pub fn containment_in(&self, other: &Sketch) -> f64 {
        let (i, a, _) = self.overlap(other);
        if a == 0 { 0.0 } else { i as f64 / a as f64 }
    }
}

/// Winnowing (Schleimer et al.): the minimum hash of every window of `w` consecutive
/// shingles. Any shared run of at least w + k − 1 tokens yields a shared fingerprint
/// whatever its position, which is what rewrite mode needs for moved code.
pub fn winnow(shingles: &[u32], w: usize) -> Vec<u32> {
    let w = w.max(1);
    if shingles.len() <= w {
        return shingles.iter().min().map(|m| vec![*m]).unwrap_or_default();
    }
    let mut out = Vec::with_capacity(2 * shingles.len() / (w + 1) + 1);
    let mut last: Option<usize> = None;
    for start in 0..=shingles.len() - w {
        let win = &shingles[start..start + w];
        // Rightmost minimum, per the paper, so runs of equal values pick one position.
        let mut best = 0;
        for (i, &h) in win.iter().enumerate() {
            if h <= win[best] {
                best = i;
            }
        }
        let pos = start + best;
        if last != Some(pos) {
            out.push(win[best]);
            last = Some(pos);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_streams_make_one_shingle() {
        let mut out = Vec::new();
        shingles_into(&[1, 2], 5, &mut out);
        assert_eq!(out.len(), 1);
        out.clear();
        shingles_into(&[1, 2, 3, 4, 5, 6], 5, &mut out);
        assert_eq!(out.len(), 2);
        out.clear();
        shingles_into(&[], 5, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn sketch_is_exact_below_cap_and_consistent_above() {
        let a: Vec<u32> = (0..100u32).map(|i| i.wrapping_mul(2_654_435_761)).collect();
        let mut a = a;
        a.sort_unstable();
        let s = Sketch::from_sorted(&a, 1000);
        assert_eq!(s.level, 0);
        assert_eq!(s.hashes.len(), 100);
        let big: Vec<u32> = {
            let mut v: Vec<u32> = (0..10_000u32)
                .map(|i| (mix64(u64::from(i)) >> 32) as u32)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let s1 = Sketch::from_sorted(&big, 500);
        assert!(s1.level > 0 && s1.hashes.len() <= 500);
        let s2 = Sketch::from_sorted(&big[..5000], 2000);
        // Half of big in s2: Jaccard ≈ 0.5, containment of s2 in s1 ≈ 1.
        let j = s1.jaccard(&s2).unwrap_or(0.0);
        assert!((j - 0.5).abs() < 0.12, "{j}");
        assert!(s2.containment_in(&s1) > 0.99);
    }

    #[test]
    fn winnow_picks_window_minima() {
        let v = [5, 3, 8, 1, 9, 7, 2];
        assert_eq!(winnow(&v, 3), vec![3, 1, 2]);
        assert_eq!(winnow(&[4, 2], 3), vec![2]);
        assert!(winnow(&[], 3).is_empty());
    }
}
