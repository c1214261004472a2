//! Duplicate sets (SPEC 5.11) without chaining: a set grows from a seed (its base) only
//! through SAME_CHANGE / SAME_FEATURE / COMPETING edges, and a newcomer must link
//! directly to the seed or to more than half of the members. Results do not depend on
//! edge order: edges are normalised and sorted before use.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::compare::Category;

/// A scored edge between two PRs (ids as stored by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SetEdge {
    pub a: i64,
    pub b: i64,
    pub category: Category,
    pub score: f64,
}

/// A duplicate set: `seed` is the member every set grows from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateSet {
    pub seed: i64,
    pub members: Vec<i64>,
    /// More PRs qualified than `size_cap` allowed; they were left out, not merged.
    pub truncated: bool,
}

#[derive(Clone, Copy)]
struct Link {
    rank: u8,
    score: f64,
}

fn rank(c: Category) -> u8 {
    match c {
        Category::SameChange => 3,
        Category::SameFeature => 2,
        Category::CompetingImplementation => 1,
        _ => 0,
    }
}

fn better(x: Link, y: Link) -> bool {
    x.rank.cmp(&y.rank).then(x.score.total_cmp(&y.score)) == std::cmp::Ordering::Greater
}

pub fn duplicate_sets(edges: &[SetEdge], size_cap: usize) -> Vec<DuplicateSet> {
    let size_cap = size_cap.max(2);
    // Strongest link per unordered pair.
    let mut pairs: BTreeMap<(i64, i64), Link> = BTreeMap::new();
    for e in edges {
        if !e.category.is_strong() || e.a == e.b || !e.score.is_finite() {
            continue;
        }
        let k = (e.a.min(e.b), e.a.max(e.b));
        let l = Link {
            rank: rank(e.category),
            score: e.score,
        };
        pairs
            .entry(k)
            .and_modify(|old| {
                if better(l, *old) {
                    *old = l;
                }
            })
            .or_insert(l);
    }
    let mut adj: BTreeMap<i64, BTreeMap<i64, Link>> = BTreeMap::new();
    for (&(a, b), &l) in &pairs {
        adj.entry(a).or_default().insert(b, l);
        adj.entry(b).or_default().insert(a, l);
    }
    // Seeds: most strongly connected first, ties by total score then lowest id.
    let mut seeds: Vec<(usize, f64, i64)> = adj
        .iter()
        .map(|(&id, n)| {
            let strength: f64 = n.values().map(|l| f64::from(l.rank) + l.score).sum();
            (n.len(), strength, id)
        })
        .collect();
    seeds.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));

    let mut assigned: BTreeSet<i64> = BTreeSet::new();
    let mut out = Vec::new();
    for &(_, _, seed) in &seeds {
        if assigned.contains(&seed) {
            continue;
        }
        let mut members = vec![seed];
        let mut truncated = false;
        loop {
            // Candidates: unassigned neighbours of any member.
            let mut best: Option<(bool, usize, f64, i64)> = None;
            let mut seen = BTreeSet::new();
            for m in &members {
                for (&c, _) in adj.get(m).into_iter().flatten() {
                    if assigned.contains(&c) || members.contains(&c) || !seen.insert(c) {
                        continue;
                    }
                    let links = adj.get(&c);
                    let to_seed = links.and_then(|l| l.get(&seed)).is_some();
                    let count = members
                        .iter()
                        .filter(|x| links.is_some_and(|l| l.contains_key(x)))
                        .count();
                    if !(to_seed || 2 * count > members.len()) {
                        continue;
                    }
                    let top = links
                        .into_iter()
                        .flatten()
                        .filter(|(x, _)| members.contains(x))
                        .map(|(_, l)| f64::from(l.rank) + l.score)
                        .fold(0.0, f64::max);
                    let cand = (to_seed, count, top, c);
                    let replace = match best {
                        None => true,
                        Some(b) => {
                            (cand.0, cand.1)
                                .cmp(&(b.0, b.1))
                                .then(cand.2.total_cmp(&b.2))
                                .then(b.3.cmp(&cand.3))
                                == std::cmp::Ordering::Greater
                        }
                    };
                    if replace {
                        best = Some(cand);
                    }
                }
            }
            match best {
                Some((_, _, _, c)) if members.len() < size_cap => members.push(c),
                Some(_) => {
                    truncated = true;
                    break;
                }
                None => break,
            }
        }
        if members.len() >= 2 {
            for m in &members {
                assigned.insert(*m);
            }
            members.sort_unstable();
            out.push(DuplicateSet {
                seed,
                members,
                truncated,
            });
        }
    }
    out.sort_by(|x, y| x.members.cmp(&y.members));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(a: i64, b: i64, category: Category, score: f64) -> SetEdge {
        SetEdge {
            a,
            b,
            category,
            score,
        }
    }

    #[test]
    fn weak_links_do_not_chain() {
        // 1-2 strong, 3-4 strong, 2-3 only RELATED: two sets, not one.
        let edges = [
            e(1, 2, Category::SameChange, 1.0),
            e(3, 4, Category::SameFeature, 0.8),
            e(2, 3, Category::Related, 0.6),
        ];
        let sets = duplicate_sets(&edges, 10);
        let m: Vec<Vec<i64>> = sets.into_iter().map(|s| s.members).collect();
        assert_eq!(m, vec![vec![1, 2], vec![3, 4]]);
    }

    #[test]
    fn a_path_of_strong_links_does_not_chain_either() {
        // 1-2-3-4-5 path: 1 links to 2 only, so members must relate to the seed or most members.
        let edges: Vec<SetEdge> = (1..5)
            .map(|i| e(i, i + 1, Category::SameFeature, 0.8))
            .collect();
        let sets = duplicate_sets(&edges, 10);
        for s in &sets {
            assert!(s.members.len() <= 3, "{sets:?}");
        }
    }

    #[test]
    fn size_cap_is_reported() {
        let edges: Vec<SetEdge> = (2..10)
            .map(|i| e(1, i, Category::SameChange, 1.0))
            .collect();
        let sets = duplicate_sets(&edges, 4);
        assert_eq!(sets[0].members.len(), 4);
        assert!(sets[0].truncated);
    }

    #[test]
    fn order_independent() {
        let mut edges = vec![
            e(1, 2, Category::SameChange, 1.0),
            e(2, 3, Category::SameFeature, 0.9),
            e(1, 3, Category::SameFeature, 0.8),
            e(4, 5, Category::CompetingImplementation, 0.5),
            e(5, 6, Category::Related, 0.6),
            e(3, 7, Category::SameFeature, 0.76),
        ];
        let first = duplicate_sets(&edges, 10);
        edges.reverse();
        for e in &mut edges {
            std::mem::swap(&mut e.a, &mut e.b);
        }
        assert_eq!(duplicate_sets(&edges, 10), first);
        edges.rotate_left(2);
        assert_eq!(duplicate_sets(&edges, 10), first);
    }
}
