//! From features to clusters: candidate pairs come from shared rare words and quote shingles
//! (an inverted index, never all pairs), are scored in parallel, and joined above the threshold
//! by a union-find that respects editors' constraints.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::quotes;
use super::signals::{Features, Signals};

/// Each entry is indexed under this many of its highest-weighted words.
const KEYS_PER_ENTRY: usize = 16;
/// A key shared by more entries than this says nothing specific; it is skipped so the number
/// of pairs grows with the collection, not with its square.
const MAX_POSTINGS: usize = 64;

/// A scored pair of entries (indexes into the entry list, `a < b`). The signals behind the
/// score are recomputed only for the few pairs an explanation shows: keeping them for every
/// candidate would cost more memory than the entries themselves.
#[derive(Debug, Clone, Copy)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub score: f32,
}

/// The pairs worth scoring: entries sharing a rare key, within `window_days` of each other
/// when both are dated.
pub fn candidate_pairs(
    features: &[Features],
    document_frequency: &[u32],
    window_days: i64,
) -> Vec<(usize, usize)> {
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        let mut keys: Vec<u64> = key_terms(f, document_frequency)
            .into_iter()
            .map(u64::from)
            .collect();
        keys.extend(
            f.quotes
                .iter()
                .flat_map(quotes::shingles)
                .map(|h| h | (1 << 63)),
        );
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            postings.entry(key).or_default().push(i);
        }
    }
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for list in postings
        .values()
        .filter(|l| l.len() > 1 && l.len() <= MAX_POSTINGS)
    {
        for (n, &a) in list.iter().enumerate() {
            for &b in &list[n + 1..] {
                let close = match (features[a].happened, features[b].happened) {
                    (Some(x), Some(y)) => (x - y).num_days().abs() <= window_days,
                    _ => true,
                };
                if close {
                    pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs.into_iter().collect()
}

/// The entry's rarest words that some other entry also has: a word only one entry uses can
/// find no partner, and a word most entries use finds too many.
fn key_terms(f: &Features, document_frequency: &[u32]) -> Vec<u32> {
    let df = |id: u32| document_frequency.get(id as usize).copied().unwrap_or(0);
    let mut terms: Vec<(u32, u32)> = f
        .vector
        .iter()
        .map(|&(id, _)| (df(id), id))
        .filter(|&(n, _)| n >= 2 && n as usize <= MAX_POSTINGS)
        .collect();
    terms.sort_unstable();
    terms
        .into_iter()
        .take(KEYS_PER_ENTRY)
        .map(|(_, id)| id)
        .collect()
}

pub fn score_pairs(features: &[Features], pairs: &[(usize, usize)]) -> Vec<Pair> {
    pairs
        .par_iter()
        .map(|&(a, b)| Pair {
            a,
            b,
            score: Signals::between(&features[a], &features[b]).score(),
        })
        .collect()
}

/// What editors said: entries forced into an event, and entries kept apart.
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    pub forced: Vec<Option<String>>,
    pub apart: Vec<BTreeSet<usize>>,
}

/// The result of clustering: a cluster id per entry, and which pairs joined.
pub struct Clustering {
    pub cluster_of: Vec<usize>,
    pub joined: Vec<usize>,
}

/// Joins pairs at or above `threshold`, strongest first. An undated entry only joins the
/// entry it matches best, so it cannot chain two dated events together through itself.
pub fn cluster(
    n: usize,
    pairs: &[Pair],
    threshold: f32,
    dated: &[bool],
    constraints: &Constraints,
) -> Clustering {
    let mut sets = UnionFind::new(n, constraints);
    for i in 0..n {
        if let Some(slug) = &constraints.forced[i]
            && let Some(first) = (0..i).find(|&j| constraints.forced[j].as_ref() == Some(slug))
        {
            sets.union(first, i);
        }
    }
    let best = best_partner(n, pairs);
    let mut order: Vec<usize> = (0..pairs.len())
        .filter(|&p| pairs[p].score >= threshold)
        .collect();
    order.sort_by(|&x, &y| {
        pairs[y]
            .score
            .total_cmp(&pairs[x].score)
            .then((pairs[x].a, pairs[x].b).cmp(&(pairs[y].a, pairs[y].b)))
    });
    let mut joined = Vec::new();
    for p in order {
        let Pair { a, b, .. } = pairs[p];
        let undated_ok = (dated[a] || best[a] == Some(b)) && (dated[b] || best[b] == Some(a));
        if undated_ok && sets.union(a, b) {
            joined.push(p);
        }
    }
    let cluster_of = (0..n).map(|i| sets.find(i)).collect();
    Clustering { cluster_of, joined }
}

fn best_partner(n: usize, pairs: &[Pair]) -> Vec<Option<usize>> {
    let mut best: Vec<Option<(f32, usize)>> = vec![None; n];
    for pair in pairs {
        for (me, other) in [(pair.a, pair.b), (pair.b, pair.a)] {
            if best[me].is_none_or(|(score, who)| {
                pair.score > score || (pair.score == score && other < who)
            }) {
                best[me] = Some((pair.score, other));
            }
        }
    }
    best.into_iter().map(|b| b.map(|(_, who)| who)).collect()
}

/// Disjoint sets whose roots remember the forced event and the entries they must not meet.
struct UnionFind {
    parent: Vec<usize>,
    forced: Vec<Option<String>>,
    apart: Vec<BTreeSet<usize>>,
    members: Vec<Vec<usize>>,
}

impl UnionFind {
    fn new(n: usize, constraints: &Constraints) -> Self {
        UnionFind {
            parent: (0..n).collect(),
            forced: constraints.forced.clone(),
            apart: constraints.apart.clone(),
            members: (0..n).map(|i| vec![i]).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins the sets of `a` and `b` unless an editor's constraint forbids it.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let different_forced =
            matches!((&self.forced[ra], &self.forced[rb]), (Some(x), Some(y)) if x != y);
        let kept_apart = self.members[rb].iter().any(|m| self.apart[ra].contains(m));
        if different_forced || kept_apart {
            return false;
        }
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child] = root;
        let moved = std::mem::take(&mut self.members[child]);
        self.members[root].extend(moved);
        let apart = std::mem::take(&mut self.apart[child]);
        self.apart[root].extend(apart);
        if self.forced[root].is_none() {
            self.forced[root] = self.forced[child].take();
        }
        true
    }
}
