//! MinHash signatures and LSH banding (SPEC 5.3): a fixed-size estimate of Jaccard
//! similarity and the band keys that retrieve likely-similar PRs from an index.

use crate::hash::mix64;

/// Permutation parameters for `n` hash functions (multiply-shift hashing).
#[derive(Debug, Clone)]
pub struct MinHasher {
    a: Vec<u64>,
    b: Vec<u64>,
}

impl MinHasher {
    pub fn new(n: usize) -> MinHasher {
        let mut a = Vec::with_capacity(n);
        let mut b = Vec::with_capacity(n);
        for i in 0..n as u64 {
            a.push(mix64(0x6d69_6e68_6173_6800 ^ i) | 1);
            b.push(mix64(0x6261_6e64_7300_0000 ^ i));
        }
        MinHasher { a, b }
    }

    /// Signature of a shingle set; empty input gives an empty signature.
    pub fn signature(&self, shingles: &[u32]) -> Vec<u32> {
        if shingles.is_empty() {
            return Vec::new();
        }
        let mut mins = vec![u32::MAX; self.a.len()];
        for &s in shingles {
            let x = mix64(u64::from(s));
            for ((m, &a), &b) in mins.iter_mut().zip(&self.a).zip(&self.b) {
                let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                *m = (*m).min(h);
            }
        }
        mins
    }
}

/// Fraction of equal positions; `None` when either signature is missing.
pub fn estimate(a: &[u32], b: &[u32]) -> Option<f64> {
    if a.is_empty() || b.is_empty() || a.len() != b.len() {
        return None;
    }
    let eq = a.iter().zip(b).filter(|(x, y)| x == y).count();
    Some(eq as f64 / a.len() as f64)
}

/// One hash per band of `rows` consecutive signature values.
pub fn band_hashes(sig: &[u32], rows: usize) -> Vec<u64> {
    sig.chunks(rows.max(1))
        .enumerate()
        .map(|(i, band)| {
            let mut h = mix64(0x4c53_4800 ^ i as u64);
            for &v in band {
                h = mix64(h ^ u64::from(v));
            }
            h
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_sets_estimate_one_and_disjoint_near_zero() {
        let m = MinHasher::new(128);
        let a: Vec<u32> = (0..500).collect();
        let b: Vec<u32> = (1000..1500).collect();
        let sa = m.signature(&a);
        assert_eq!(estimate(&sa, &sa), Some(1.0));
        let e = estimate(&sa, &m.signature(&b)).unwrap_or(1.0);
        assert!(e < 0.05, "{e}");
        assert_eq!(estimate(&[], &sa), None);
        assert_eq!(band_hashes(&sa, 8).len(), 16);
    }
}
