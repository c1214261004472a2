//! Rebuilding a repository's duplicate sets from the current heads' edges when a scan
//! settles: the engine groups (without chaining), suggests the base, and each new set
//! continues the old set it overlaps most, so set ids survive scans.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use clawtriage_triage::{Category, Fingerprint, SetEdge};
use sqlx::PgPool;

use super::JobFailure;
use super::engine::{Engine, category_name, parse_category};
use crate::storage::edges;
use crate::storage::sets::{self, CONFIRMED_BASE_REASON, SetToStore};

/// Rebuilds the active duplicate sets of `repo_id`; returns how many there are.
pub async fn reconcile(db: &PgPool, engine: &Engine, repo_id: i64) -> Result<usize, JobFailure> {
    let current = edges::current_for_repo(db, repo_id, &["open"])
        .await
        .map_err(JobFailure::transient)?;
    let set_edges: Vec<SetEdge> = current
        .iter()
        .filter_map(|e| {
            let category = parse_category(&e.category)?;
            is_set_category(category).then_some(SetEdge {
                a: e.pr_low,
                b: e.pr_high,
                category,
                score: e.final_score,
            })
        })
        .collect();
    let groups = engine
        .inner()
        .duplicate_sets(&set_edges, engine.inner().set_size_cap());
    let member_ids: Vec<i64> = groups.iter().flatten().copied().collect();
    // Numbers and fingerprints in one go, from the ingests' cache where it can.
    let loaded = engine
        .fingerprints()
        .load(db, engine, &member_ids)
        .await
        .map_err(JobFailure::transient)?;
    let by_id: HashMap<i64, (i64, &Fingerprint)> = loaded
        .iter()
        .map(|(head, fp)| (head.pr_id, (i64::from(head.number), fp.as_ref())))
        .collect();
    let confirmed: HashSet<i64> = sets::confirmed_bases(db, repo_id)
        .await
        .map_err(JobFailure::transient)?
        .into_iter()
        .collect();

    let mut computed = Vec::with_capacity(groups.len());
    for members in &groups {
        let (base_pr_id, base_reason) = match members.iter().find(|m| confirmed.contains(m)) {
            Some(&base) => (Some(base), Some(CONFIRMED_BASE_REASON.to_owned())),
            None => {
                // PR numbers go to the engine as ids so its reason names them as people do.
                let by_number: Vec<(i64, &Fingerprint)> = members
                    .iter()
                    .filter_map(|m| by_id.get(m).copied())
                    .collect();
                let suggestion = engine.inner().infer_base(&by_number);
                let base = suggestion.base.and_then(|number| {
                    members
                        .iter()
                        .find(|m| by_id.get(m).map(|(n, _)| *n) == Some(number))
                        .copied()
                });
                (base, Some(suggestion.reason))
            }
        };
        let inside: BTreeSet<i64> = members.iter().copied().collect();
        let mut categories = BTreeMap::new();
        let mut max_score: f64 = 0.0;
        for e in set_edges
            .iter()
            .filter(|e| inside.contains(&e.a) && inside.contains(&e.b))
        {
            categories.insert(
                category_rank(e.category),
                category_name(e.category).to_owned(),
            );
            max_score = max_score.max(e.score);
        }
        computed.push(SetToStore {
            id: None,
            members: members.clone(),
            base_pr_id,
            base_reason,
            categories: categories.into_values().collect(),
            max_score,
        });
    }

    let mut tx = db.begin().await.map_err(JobFailure::transient)?;
    sets::lock_repo(&mut tx, repo_id)
        .await
        .map_err(JobFailure::transient)?;
    let existing = sets::active_memberships(&mut *tx, repo_id)
        .await
        .map_err(JobFailure::transient)?;
    let continued = continue_ids(&existing, &groups);
    for (set, id) in computed.iter_mut().zip(continued) {
        set.id = id;
    }
    sets::replace_active(&mut tx, repo_id, &computed)
        .await
        .map_err(JobFailure::transient)?;
    tx.commit().await.map_err(JobFailure::transient)?;
    tracing::info!(
        repo.id = repo_id,
        sets = computed.len(),
        "Duplicate sets rebuilt"
    );
    Ok(computed.len())
}

/// Categories whose edges build duplicate sets.
pub const SET_CATEGORIES: [&str; 3] = ["SAME_CHANGE", "SAME_FEATURE", "COMPETING_IMPLEMENTATION"];

fn is_set_category(category: Category) -> bool {
    matches!(
        category,
        Category::SameChange | Category::SameFeature | Category::CompetingImplementation
    )
}

/// Strongest first when sorted ascending.
fn category_rank(category: Category) -> u8 {
    match category {
        Category::SameChange => 0,
        Category::SameFeature => 1,
        Category::CompetingImplementation => 2,
        Category::Related => 3,
        Category::NotRelated => 4,
    }
}

/// For each computed set, the existing set it continues: pairs are taken greedily by
/// shared members (most first, then the older set, then the computed order), each
/// existing set continuing at most one new set. Deterministic, so a re-run of the same
/// scan keeps every id.
pub fn continue_ids(existing: &[(i64, Vec<i64>)], computed: &[Vec<i64>]) -> Vec<Option<i64>> {
    let mut owner: HashMap<i64, Vec<usize>> = HashMap::new();
    for (e, (_, members)) in existing.iter().enumerate() {
        for m in members {
            owner.entry(*m).or_default().push(e);
        }
    }
    let mut pairs: Vec<(usize, i64, usize)> = Vec::new();
    for (c, members) in computed.iter().enumerate() {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for m in members {
            for e in owner.get(m).into_iter().flatten() {
                *shared.entry(*e).or_default() += 1;
            }
        }
        pairs.extend(shared.into_iter().map(|(e, n)| (n, existing[e].0, c)));
    }
    pairs.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut result = vec![None; computed.len()];
    let mut used = HashSet::new();
    for (_, id, c) in pairs {
        if result[c].is_none() && used.insert(id) {
            result[c] = Some(id);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_keeps_its_id_while_membership_overlaps() {
        let existing = vec![(10, vec![1, 2, 3]), (11, vec![7, 8])];
        // 1-2-3 grew by 4; 7-8 lost 8 and gained 9; 20-21 is new.
        let computed = vec![vec![1, 2, 3, 4], vec![20, 21], vec![7, 9]];
        assert_eq!(
            continue_ids(&existing, &computed),
            vec![Some(10), None, Some(11)]
        );
    }

    #[test]
    fn a_split_set_continues_in_its_larger_part_only() {
        let existing = vec![(5, vec![1, 2, 3, 4, 5])];
        let computed = vec![vec![1, 2], vec![3, 4, 5]];
        assert_eq!(continue_ids(&existing, &computed), vec![None, Some(5)]);
    }

    #[test]
    fn merged_sets_continue_the_one_sharing_most_then_the_older() {
        let existing = vec![(3, vec![1, 2]), (4, vec![5, 6])];
        assert_eq!(
            continue_ids(&existing, &[vec![1, 2, 5, 6]]),
            vec![Some(3)],
            "a tie goes to the older set"
        );
        assert_eq!(continue_ids(&existing, &[vec![1, 5, 6]]), vec![Some(4)]);
    }

    #[test]
    fn nothing_to_continue() {
        assert_eq!(continue_ids(&[], &[vec![1, 2]]), vec![None]);
        assert!(continue_ids(&[(1, vec![1])], &[]).is_empty());
    }

    #[test]
    fn only_strong_categories_build_sets() {
        assert!(is_set_category(Category::SameChange));
        assert!(is_set_category(Category::CompetingImplementation));
        assert!(!is_set_category(Category::Related));
        assert!(category_rank(Category::SameChange) < category_rank(Category::SameFeature));
    }
}
