//! The revision graph: validation, ordering and planning. Pure functions, no database.
//!
//! # Example
//!
//! ```
//! use migrations_core::chain::{Chain, Target};
//! use migrations_core::revision::parse;
//! use std::collections::BTreeSet;
//!
//! let file = |id: &str, parent: &str| parse(
//!     &format!("v/{id}_x.sql"),
//!     &format!("-- Revision: {id}\n-- Revises: {parent}\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n"),
//! ).unwrap();
//! let chain = Chain::new(vec![file("bbbbbbbbbbbb", "aaaaaaaaaaaa"), file("aaaaaaaaaaaa", "")]).unwrap();
//! assert_eq!(chain.head().id, "bbbbbbbbbbbb");
//!
//! let applied = BTreeSet::from(["aaaaaaaaaaaa".to_string()]);
//! let plan = chain.plan_upgrade(&applied, &Target::Head).unwrap();
//! assert_eq!(plan.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["bbbbbbbbbbbb"]);
//! ```

use crate::dialect::Dialect;
use crate::error::{Error, Problem, Result};
use crate::revision::Revision;
use std::collections::{BTreeSet, HashMap};

/// A validated revision graph: one root, one head, no cycles, every parent present.
#[derive(Debug, Clone)]
pub struct Chain {
    /// Revisions in topological order: every revision after all its ancestors.
    revisions: Vec<Revision>,
    index: Index,
    /// Parent positions of each revision.
    parents: Edges,
    /// Dialects every revision serves.
    dialects: Vec<Dialect>,
}

/// Positions by revision id. A well-formed id (12 lowercase hex characters, all that a parsed
/// file has) is its own 48-bit key: no copy of the id, and a lookup reads no revision. Other ids
/// (revisions built by hand) go by their text.
#[derive(Debug, Clone, Default)]
struct Index {
    hex: HashMap<u64, usize, foldhash::fast::FixedState>,
    other: HashMap<String, usize>,
}

impl Index {
    fn with_capacity(n: usize) -> Index {
        Index {
            hex: HashMap::with_capacity_and_hasher(n, Default::default()),
            other: HashMap::new(),
        }
    }

    fn key(id: &str) -> Option<u64> {
        crate::revision::is_valid_id(id).then(|| u64::from_str_radix(id, 16).expect("hex"))
    }

    fn insert(&mut self, id: &str, pos: usize) {
        match Index::key(id) {
            Some(k) => self.hex.insert(k, pos),
            None => self.other.insert(id.to_string(), pos),
        };
    }

    fn get(&self, id: &str) -> Option<usize> {
        match Index::key(id) {
            Some(k) => self.hex.get(&k).copied(),
            None => self.other.get(id).copied(),
        }
    }

    fn renumber(&mut self, new_pos: &[usize]) {
        for p in self.hex.values_mut().chain(self.other.values_mut()) {
            *p = new_pos[*p];
        }
    }
}

/// Lists of positions, one per revision, in one allocation: revision `i`'s are
/// `list[start[i]..start[i + 1]]`.
#[derive(Debug, Clone)]
struct Edges {
    start: Vec<usize>,
    list: Vec<usize>,
}

impl Edges {
    fn of(&self, i: usize) -> &[usize] {
        &self.list[self.start[i]..self.start[i + 1]]
    }

    fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// The same lists the other way round: `j` is in `i`'s list of the result when `i` is in
    /// `j`'s list here.
    fn reversed(&self) -> Edges {
        let mut start = vec![0; self.len() + 1];
        for &p in &self.list {
            start[p + 1] += 1;
        }
        for i in 0..self.len() {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut list = vec![0; self.list.len()];
        for i in 0..self.len() {
            for &p in self.of(i) {
                list[fill[p]] = i;
                fill[p] += 1;
            }
        }
        Edges { start, list }
    }
}

/// `dialect`'s bit in a set of dialects: its place in [`Dialect::ALL`].
fn dialect_bit(dialect: Dialect) -> u32 {
    1 << Dialect::ALL.iter().position(|&d| d == dialect).unwrap_or(0)
}

/// The dialects a revision serves, as a set of bits (see [`Revision::dialects`]).
fn dialect_bits(rev: &Revision) -> u32 {
    let mut bits = 0;
    for s in &rev.sections {
        bits |= match s.dialect {
            None => return Dialect::ALL.iter().fold(0, |b, &d| b | dialect_bit(d)),
            Some(d) => dialect_bit(d),
        };
    }
    bits
}

/// `revisions` in the order of the positions `order` (a permutation of them).
fn in_order(revisions: Vec<Revision>, order: &[usize]) -> Vec<Revision> {
    let mut slots: Vec<Option<Revision>> = revisions.into_iter().map(Some).collect();
    order
        .iter()
        .map(|&i| slots[i].take().expect("a permutation"))
        .collect()
}

/// Where to move the database: `head`, `base`, `+N`/`-N`, or a revision id (or unique prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Target {
    /// The newest revision.
    Head,
    /// Before the first revision (empty schema).
    Base,
    /// N revisions forward (positive) or back (negative) from the current state.
    Relative(i64),
    /// A revision id or unique prefix.
    Revision(String),
}

impl Target {
    /// Parses `head`, `base`, `+N`, `-N` or a revision (prefix).
    pub fn parse(spec: &str) -> Result<Target> {
        let spec = spec.trim();
        match spec {
            "head" | "heads" => return Ok(Target::Head),
            "base" => return Ok(Target::Base),
            _ => {}
        }
        if let Some(n) = spec.strip_prefix(['+', '-']) {
            let n: i64 = n.parse().map_err(|_| Error::UnknownRevision {
                spec: spec.into(),
                reason: "a relative step is `+N` or `-N` with N a number".into(),
            })?;
            return Ok(Target::Relative(if spec.starts_with('-') { -n } else { n }));
        }
        if spec.is_empty() {
            return Err(Error::UnknownRevision {
                spec: spec.into(),
                reason: "empty revision".into(),
            });
        }
        Ok(Target::Revision(spec.to_string()))
    }
}

impl Chain {
    /// Validates revisions into a chain.
    ///
    /// # Failure
    ///
    /// Every problem with the graph, each naming its file: duplicate ids, unknown parents, no or
    /// several roots, cycles, several heads, merges of revisions that are not heads, and
    /// revisions that do not serve every dialect the others serve.
    pub fn new(revisions: Vec<Revision>) -> Result<Chain, Vec<Problem>> {
        Chain::build(revisions, false)
    }

    /// Like [`Chain::new`], but several heads are not a problem. For the build step's repair
    /// mode only, so an app whose folder has two heads can still be built to run `db merge`;
    /// [`Chain::head`] is then the last revision in topological order.
    pub fn new_allowing_heads(revisions: Vec<Revision>) -> Result<Chain, Vec<Problem>> {
        Chain::build(revisions, true)
    }

    fn build(mut revisions: Vec<Revision>, allow_heads: bool) -> Result<Chain, Vec<Problem>> {
        let mut problems = Vec::new();
        // Sorted by id (then file): positions are sorted first, so each revision moves once.
        let mut by_id: Vec<usize> = (0..revisions.len()).collect();
        by_id.sort_unstable_by(|&a, &b| {
            let (a_rev, b_rev) = (&revisions[a], &revisions[b]);
            (a_rev.id.cmp(&b_rev.id))
                .then_with(|| a_rev.file.cmp(&b_rev.file))
                .then(a.cmp(&b))
        });
        revisions = in_order(revisions, &by_id);

        // Unique ids: sorted, a duplicate follows the first of its id.
        let mut dup = BTreeSet::new();
        let mut first = 0;
        for (pos, rev) in revisions.iter().enumerate().skip(1) {
            if rev.id != revisions[first].id {
                first = pos;
                continue;
            }
            problems.push(Problem::new(
                &rev.file,
                rev.id_line,
                format!(
                    "duplicate revision id `{}`, also used by {}",
                    rev.id,
                    revisions[first].file_name()
                ),
                "give one of them a new id (and file name); `db revision -m MSG` makes fresh ones",
            ));
            dup.insert(pos);
        }
        if !dup.is_empty() {
            revisions = revisions
                .into_iter()
                .enumerate()
                .filter(|(pos, _)| !dup.contains(pos))
                .map(|(_, r)| r)
                .collect();
        }
        if revisions.is_empty() {
            return Err(problems);
        }
        let mut index = Index::with_capacity(revisions.len());
        for (i, r) in revisions.iter().enumerate() {
            index.insert(&r.id, i);
        }

        // Parents exist.
        let mut parents = Edges {
            start: Vec::with_capacity(revisions.len() + 1),
            list: Vec::with_capacity(revisions.len()),
        };
        parents.start.push(0);
        for rev in &revisions {
            for p in &rev.revises {
                match index.get(p) {
                    Some(j) => parents.list.push(j),
                    None => problems.push(Problem::new(
                        &rev.file,
                        rev.revises_line,
                        format!("Revises names `{p}`, which no revision file has"),
                        "fix the id, or restore the missing revision file",
                    )),
                }
            }
            parents.start.push(parents.list.len());
        }

        // Exactly one root.
        let roots: Vec<&Revision> = revisions.iter().filter(|r| r.revises.is_empty()).collect();
        if roots.len() > 1 {
            let names: Vec<&str> = roots.iter().map(|r| r.file_name()).collect();
            for r in &roots {
                problems.push(Problem::new(
                    &r.file,
                    r.revises_line,
                    format!("{} revisions have no parent: {}", roots.len(), names.join(", ")),
                    "only the first revision has an empty `Revises:`; set the others' `Revises:` to the revision they follow",
                ));
            }
        }

        // Topological order (Kahn), smallest id first among ready ones; leftovers are cycles.
        let children = parents.reversed();
        let mut waiting: Vec<usize> = (0..revisions.len()).map(|i| parents.of(i).len()).collect();
        let mut ready: BTreeSet<usize> =
            (0..revisions.len()).filter(|&i| waiting[i] == 0).collect();
        let mut order = Vec::with_capacity(revisions.len());
        while let Some(i) = ready.pop_first() {
            order.push(i);
            for &c in children.of(i) {
                waiting[c] -= 1;
                if waiting[c] == 0 {
                    ready.insert(c);
                }
            }
        }
        if order.len() < revisions.len() {
            let stuck: Vec<&Revision> = (0..revisions.len())
                .filter(|i| !order.contains(i))
                .map(|i| &revisions[i])
                .collect();
            let names: Vec<&str> = stuck.iter().map(|r| r.file_name()).collect();
            for r in stuck.iter().filter(|r| !r.revises.is_empty()) {
                problems.push(Problem::new(
                    &r.file,
                    r.revises_line,
                    format!("revision is part of a cycle or follows one: {}", names.join(", ")),
                    "each revision must revise an earlier one; fix the `Revises:` lines so the chain runs one way",
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if roots.is_empty() {
            // Unreachable: an acyclic graph has a root. Kept for safety.
            return Err(vec![Problem::new(
                &revisions[0].file,
                0,
                "no revision without a parent",
                "the first revision has an empty `Revises:`",
            )]);
        }

        // Exactly one head.
        let heads: Vec<usize> = (0..revisions.len())
            .filter(|&i| children.of(i).is_empty())
            .collect();
        if heads.len() > 1 && !allow_heads {
            let names: Vec<&str> = heads.iter().map(|&i| revisions[i].file_name()).collect();
            let ids: Vec<&str> = heads.iter().map(|&i| revisions[i].id.as_str()).collect();
            for &h in &heads {
                problems.push(Problem::new(
                    &revisions[h].file,
                    0,
                    format!("{} heads: {}", heads.len(), names.join(" and ")),
                    format!(
                        "two branches grew from one revision; join them with `MIGRATIONS_ALLOW_HEADS=1 cargo run -- db merge -m \"merge heads\" {}` (the variable lets the app build so its CLI can write the merge)",
                        ids.join(" ")
                    ),
                ));
            }
        }

        // Reorder by topological position.
        let pos_of: Vec<usize> = {
            let mut v = vec![0; revisions.len()];
            for (pos, &i) in order.iter().enumerate() {
                v[i] = pos;
            }
            v
        };
        let revisions = in_order(revisions, &order);
        let parents = {
            let mut topo = Edges {
                start: Vec::with_capacity(order.len() + 1),
                list: Vec::with_capacity(parents.list.len()),
            };
            topo.start.push(0);
            for &i in &order {
                topo.list.extend(parents.of(i).iter().map(|&p| pos_of[p]));
                topo.start.push(topo.list.len());
            }
            topo
        };
        index.renumber(&pos_of);
        let mut chain = Chain {
            revisions,
            index,
            parents,
            dialects: Vec::new(),
        };

        // A merge joins heads: none of its parents is an ancestor of another.
        for (i, rev) in chain.revisions.iter().enumerate() {
            let ps = chain.parents.of(i);
            for &a in ps {
                for &b in ps {
                    if a != b && chain.ancestors(b).contains(&a) {
                        problems.push(Problem::new(
                            &rev.file,
                            rev.revises_line,
                            format!(
                                "merge revises {} and {}, but {} is already an ancestor of {}",
                                chain.revisions[a].id,
                                chain.revisions[b].id,
                                chain.revisions[a].id,
                                chain.revisions[b].id
                            ),
                            format!("a merge joins heads; revise only {}", chain.revisions[b].id),
                        ));
                    }
                }
            }
        }

        // Dialects: every revision serves every dialect any of them serves.
        let all = chain
            .revisions
            .iter()
            .fold(0, |bits, r| bits | dialect_bits(r));
        let all: Vec<Dialect> = (Dialect::ALL.into_iter())
            .filter(|&d| all & dialect_bit(d) != 0)
            .collect();
        for rev in &chain.revisions {
            let mine = dialect_bits(rev);
            for d in all.iter().filter(|&&d| mine & dialect_bit(d) == 0) {
                problems.push(Problem::new(
                    &rev.file,
                    0,
                    format!("no section serves {d}, which other revisions serve"),
                    format!(
                        "add `-- +upgrade {d}` and `-- +downgrade {d}` (empty when there is nothing to do), or a section without a dialect"
                    ),
                ));
            }
        }
        chain.dialects = all;

        if problems.is_empty() {
            Ok(chain)
        } else {
            Err(problems)
        }
    }

    /// Revisions in the order they are applied.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// The dialects the chain serves.
    pub fn dialects(&self) -> &[Dialect] {
        &self.dialects
    }

    /// Whether the chain serves `dialect`.
    pub fn serves(&self, dialect: Dialect) -> bool {
        self.dialects.contains(&dialect)
    }

    /// The newest revision.
    pub fn head(&self) -> &Revision {
        self.revisions.last().expect("a chain is never empty")
    }

    /// The revision with this exact id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.index.get(id).map(|i| &self.revisions[i])
    }

    /// The revision whose id is `spec` or starts with it (a unique prefix).
    pub fn resolve(&self, spec: &str) -> Result<&Revision> {
        if let Some(r) = self.get(spec) {
            return Ok(r);
        }
        let matches: Vec<&Revision> = self
            .revisions
            .iter()
            .filter(|r| r.id.starts_with(spec))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::UnknownRevision {
                spec: spec.into(),
                reason: "no revision has this id or prefix".into(),
            }),
            many => Err(Error::UnknownRevision {
                spec: spec.into(),
                reason: format!(
                    "the prefix is ambiguous: {}",
                    many.iter()
                        .map(|r| r.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    /// Parent revisions of `rev`.
    pub fn parents_of(&self, rev: &Revision) -> Vec<&Revision> {
        (self
            .index
            .get(&rev.id)
            .map_or(&[][..], |i| self.parents.of(i)))
        .iter()
        .map(|&p| &self.revisions[p])
        .collect()
    }

    /// Positions of all ancestors of position `i` (not `i` itself).
    fn ancestors(&self, i: usize) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut stack = self.parents.of(i).to_vec();
        while let Some(p) = stack.pop() {
            if seen.insert(p) {
                stack.extend(self.parents.of(p));
            }
        }
        seen
    }

    /// Ids of `rev` and all its ancestors.
    pub fn lineage(&self, rev: &Revision) -> BTreeSet<String> {
        let i = self.index.get(&rev.id).expect("a revision of this chain");
        let mut ids: BTreeSet<String> = self
            .ancestors(i)
            .into_iter()
            .map(|p| self.revisions[p].id.clone())
            .collect();
        ids.insert(rev.id.clone());
        ids
    }

    /// The applied revisions that no other applied revision descends from (normally one).
    pub fn current<'a>(&'a self, applied: &BTreeSet<String>) -> Vec<&'a Revision> {
        // In a closed history, a revision is covered when one of its children is applied.
        let mut covered = vec![false; self.revisions.len()];
        for id in applied {
            if let Some(i) = self.index.get(id) {
                for &p in self.parents.of(i) {
                    covered[p] = true;
                }
            }
        }
        self.revisions
            .iter()
            .enumerate()
            .filter(|(i, r)| applied.contains(&r.id) && !covered[*i])
            .map(|(_, r)| r)
            .collect()
    }

    /// Checks that `applied` only names revisions of this chain and holds every ancestor of
    /// each applied revision (checking parents is enough: by induction it covers ancestors).
    pub fn check_applied(&self, applied: &BTreeSet<String>) -> Result<()> {
        let unknown: Vec<String> = applied
            .iter()
            .filter(|id| self.index.get(id).is_none())
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(Error::UnknownApplied { revisions: unknown });
        }
        for id in applied {
            let i = self.index.get(id).expect("checked above");
            if let Some(&missing) =
                (self.parents.of(i).iter()).find(|&&p| !applied.contains(&self.revisions[p].id))
            {
                return Err(Error::InconsistentHistory(format!(
                    "{id} is applied but its ancestor {} is not",
                    self.revisions[missing].id
                )));
            }
        }
        Ok(())
    }

    /// The revisions to apply, in order, to move from `applied` to `target`.
    ///
    /// # Failure
    ///
    /// An unknown revision, a target behind the current state (use a downgrade), or `+N` past
    /// the head.
    pub fn plan_upgrade(
        &self,
        applied: &BTreeSet<String>,
        target: &Target,
    ) -> Result<Vec<&Revision>> {
        let pending = |r: &&Revision| !applied.contains(&r.id);
        match target {
            Target::Head => Ok(self.revisions.iter().filter(pending).collect()),
            Target::Base => {
                if applied.is_empty() {
                    Ok(Vec::new())
                } else {
                    Err(Error::BadTarget(
                        "cannot upgrade to `base`: the database is past it; use `downgrade base`"
                            .into(),
                    ))
                }
            }
            Target::Relative(n) if *n < 0 => Err(Error::BadTarget(format!(
                "`upgrade {n}` moves backwards; use `downgrade {n}`"
            ))),
            Target::Relative(n) => {
                let n = *n as usize;
                let todo: Vec<&Revision> = self.revisions.iter().filter(pending).take(n).collect();
                if todo.len() < n {
                    return Err(Error::BadTarget(format!(
                        "`upgrade +{n}`: only {} revision(s) are pending",
                        todo.len()
                    )));
                }
                Ok(todo)
            }
            Target::Revision(spec) => {
                let rev = self.resolve(spec)?;
                let want = self.lineage(rev);
                let beyond: Vec<&str> = applied
                    .iter()
                    .filter(|id| !want.contains(*id))
                    .map(String::as_str)
                    .collect();
                if !beyond.is_empty() && want.iter().all(|id| applied.contains(id)) {
                    return Err(Error::BadTarget(format!(
                        "revision {} is behind the database (which has {} applied); use `downgrade {}`",
                        rev.id,
                        beyond.join(", "),
                        rev.id
                    )));
                }
                Ok(self
                    .revisions
                    .iter()
                    .filter(|r| want.contains(&r.id) && !applied.contains(&r.id))
                    .collect())
            }
        }
    }

    /// The revisions to undo, in order, to move from `applied` down to `target`.
    ///
    /// # Failure
    ///
    /// An unknown revision, a target ahead of the current state (use an upgrade), or `-N` past
    /// the base.
    pub fn plan_downgrade(
        &self,
        applied: &BTreeSet<String>,
        target: &Target,
    ) -> Result<Vec<&Revision>> {
        let undo_order = || {
            self.revisions
                .iter()
                .rev()
                .filter(|r| applied.contains(&r.id))
        };
        match target {
            Target::Base => Ok(undo_order().collect()),
            Target::Head => Err(Error::BadTarget(
                "cannot downgrade to `head`; use `upgrade head`".into(),
            )),
            Target::Relative(n) if *n > 0 => Err(Error::BadTarget(format!(
                "`downgrade +{n}` moves forwards; use `upgrade +{n}`"
            ))),
            Target::Relative(n) => {
                let n = n.unsigned_abs() as usize;
                let todo: Vec<&Revision> = undo_order().take(n).collect();
                if todo.len() < n {
                    return Err(Error::BadTarget(format!(
                        "`downgrade -{n}`: only {} revision(s) are applied",
                        todo.len()
                    )));
                }
                Ok(todo)
            }
            Target::Revision(spec) => {
                let rev = self.resolve(spec)?;
                if !applied.contains(&rev.id) {
                    return Err(Error::BadTarget(format!(
                        "revision {} is not applied, so the database cannot go down to it; use `upgrade {}`",
                        rev.id, rev.id
                    )));
                }
                let keep = self.lineage(rev);
                Ok(undo_order().filter(|r| !keep.contains(&r.id)).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::Dialect;
    use crate::testing::Fixture;

    fn fixture(id: &str, parents: &str) -> Fixture {
        Fixture::new(id)
            .revises(parents)
            .up("SELECT 1;")
            .down("SELECT 2;")
    }

    fn rev(id: &str, parents: &str) -> Revision {
        fixture(id, parents).revision()
    }

    fn a() -> String {
        "a".repeat(12)
    }
    fn b() -> String {
        "b".repeat(12)
    }
    fn c() -> String {
        "c".repeat(12)
    }
    fn d() -> String {
        "d".repeat(12)
    }

    fn problems(revs: Vec<Revision>) -> Vec<String> {
        Chain::new(revs)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.to_string())
            .collect()
    }

    fn ids(revs: Vec<&Revision>) -> Vec<String> {
        revs.into_iter().map(|r| r.id.clone()).collect()
    }

    fn set(ids: &[String]) -> BTreeSet<String> {
        ids.iter().cloned().collect()
    }

    macro_rules! graph_error {
        ($name:ident, $revs:expr, $expect:expr) => {
            #[test]
            fn $name() {
                let found = problems($revs);
                assert!(
                    found.iter().any(|p| p.contains($expect)),
                    "expected {:?} in {:?}",
                    $expect,
                    found
                );
            }
        };
    }

    graph_error!(
        duplicate_id,
        vec![
            rev(&a(), ""),
            Fixture::new(a())
                .slug("other")
                .up("SELECT 1;")
                .down("SELECT 2;")
                .revision()
        ],
        "duplicate revision id `aaaaaaaaaaaa`, also used by aaaaaaaaaaaa_"
    );
    graph_error!(
        dangling_parent,
        vec![rev(&a(), ""), rev(&b(), "eeeeeeeeeeee")],
        &format!(
            "{}:{}: Revises names `eeeeeeeeeeee`, which no revision file has",
            fixture(&b(), "").path(),
            Fixture::REVISES_LINE
        )
    );
    graph_error!(
        two_roots,
        vec![rev(&a(), ""), rev(&b(), "")],
        "2 revisions have no parent"
    );
    graph_error!(
        cycle,
        vec![rev(&a(), ""), rev(&b(), &c()), rev(&c(), &b())],
        "part of a cycle"
    );
    graph_error!(
        two_heads,
        vec![rev(&a(), ""), rev(&b(), &a()), rev(&c(), &a())],
        &format!(
            "2 heads: {} and {}; two branches grew from one revision; join them with `MIGRATIONS_ALLOW_HEADS=1 cargo run -- db merge",
            fixture(&b(), "").file_name(),
            fixture(&c(), "").file_name()
        )
    );
    graph_error!(
        merge_of_non_heads,
        vec![
            rev(&a(), ""),
            rev(&b(), &a()),
            rev(&c(), &format!("{}, {}", a(), b()))
        ],
        "already an ancestor"
    );
    graph_error!(
        dialect_gap,
        vec![
            rev(&a(), ""),
            Fixture::new(b())
                .revises(&a())
                .slug("pg")
                .up_for(Dialect::Postgres, "SELECT 1;")
                .down_for(Dialect::Postgres, "SELECT 1;")
                .revision()
        ],
        "no section serves sqlite"
    );

    #[test]
    fn merge_chain_orders_ancestors_first() {
        let chain = Chain::new(vec![
            rev(&d(), &format!("{}, {}", b(), c())),
            rev(&c(), &a()),
            rev(&b(), &a()),
            rev(&a(), ""),
        ])
        .unwrap();
        assert_eq!(
            ids(chain.revisions().iter().collect()),
            [a(), b(), c(), d()]
        );
        assert_eq!(chain.head().id, d());
        // The parents, in the order `Revises:` lists them; the root has none.
        assert_eq!(ids(chain.parents_of(chain.head())), [b(), c()]);
        assert!(chain.parents_of(chain.get(&a()).unwrap()).is_empty());
    }

    #[test]
    fn upgrade_plans() {
        let chain = Chain::new(vec![rev(&a(), ""), rev(&b(), &a()), rev(&c(), &b())]).unwrap();
        let none = BTreeSet::new();
        assert_eq!(
            ids(chain.plan_upgrade(&none, &Target::Head).unwrap()),
            [a(), b(), c()]
        );
        assert_eq!(
            ids(chain.plan_upgrade(&none, &Target::Relative(2)).unwrap()),
            [a(), b()]
        );
        assert_eq!(
            ids(chain
                .plan_upgrade(&set(&[a()]), &Target::Revision("bbb".into()))
                .unwrap()),
            [b()]
        );
        assert!(chain.plan_upgrade(&none, &Target::Relative(4)).is_err());
        assert!(chain
            .plan_upgrade(&set(&[a(), b(), c()]), &Target::Revision(a()))
            .is_err());
        assert!(chain
            .plan_upgrade(&set(&[a(), b(), c()]), &Target::Head)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn downgrade_plans() {
        let chain = Chain::new(vec![rev(&a(), ""), rev(&b(), &a()), rev(&c(), &b())]).unwrap();
        let all = set(&[a(), b(), c()]);
        assert_eq!(
            ids(chain.plan_downgrade(&all, &Target::Relative(-1)).unwrap()),
            [c()]
        );
        assert_eq!(
            ids(chain.plan_downgrade(&all, &Target::Base).unwrap()),
            [c(), b(), a()]
        );
        assert_eq!(
            ids(chain.plan_downgrade(&all, &Target::Revision(a())).unwrap()),
            [c(), b()]
        );
        assert!(chain
            .plan_downgrade(&set(&[a()]), &Target::Relative(-2))
            .is_err());
        assert!(chain
            .plan_downgrade(&set(&[a()]), &Target::Revision(c()))
            .is_err());
    }

    #[test]
    fn prefixes_resolve_when_unique() {
        let other = "abcdef012345".to_string();
        let chain = Chain::new(vec![rev(&a(), ""), rev(&other, &a())]).unwrap();
        assert_eq!(chain.resolve("abc").unwrap().id, other);
        let err = chain.resolve("a").unwrap_err().to_string();
        assert!(err.contains("ambiguous"), "{err}");
        assert!(chain.resolve("ffff").is_err());
    }

    #[test]
    fn applied_history_is_checked() {
        let chain = Chain::new(vec![rev(&a(), ""), rev(&b(), &a())]).unwrap();
        assert!(chain.check_applied(&set(&[a(), b()])).is_ok());
        assert!(matches!(
            chain.check_applied(&set(&[b()])),
            Err(Error::InconsistentHistory(_))
        ));
        assert!(matches!(
            chain.check_applied(&set(&[a(), "ffffffffffff".into()])),
            Err(Error::UnknownApplied { .. })
        ));
        assert_eq!(ids(chain.current(&set(&[a(), b()]))), [b()]);
    }

    #[test]
    fn ids_that_are_not_hex_are_found_too() {
        // Revisions built by hand, not parsed: their ids are not keys of 48 bits, and a
        // well-formed id elsewhere in the chain must not be confused with them.
        let mut root = rev(&a(), "");
        root.id = "Root".into();
        let mut middle = rev(&b(), "");
        middle.revises = vec!["Root".into()];
        let mut last = rev(&c(), "");
        last.id = "ABCDEFABCDEF".into();
        last.revises = vec![b()];
        let chain = Chain::new(vec![last, root, middle]).unwrap();
        assert_eq!(
            ids(chain.revisions().iter().collect()),
            ["Root", &b(), "ABCDEFABCDEF"]
        );
        assert_eq!(chain.get("Root").unwrap().id, "Root");
        assert!(chain.get("root").is_none());
        assert!(
            chain.get("abcdefabcdef").is_none(),
            "the lowercase id is another id"
        );
        assert_eq!(ids(chain.parents_of(chain.head())), [b()]);
        assert_eq!(ids(chain.parents_of(chain.get(&b()).unwrap())), ["Root"]);
        assert_eq!(
            chain.lineage(chain.head()),
            set(&["Root".into(), b(), "ABCDEFABCDEF".into()])
        );
        assert!(chain.check_applied(&set(&["Root".into(), b()])).is_ok());
        assert!(matches!(
            chain.check_applied(&set(&["ABCDEFABCDEF".into()])),
            Err(Error::InconsistentHistory(_))
        ));
        assert_eq!(ids(chain.current(&set(&["Root".into(), b()]))), [b()]);
    }

    #[test]
    fn targets_parse() {
        assert_eq!(Target::parse("head").unwrap(), Target::Head);
        assert_eq!(Target::parse("-2").unwrap(), Target::Relative(-2));
        assert_eq!(Target::parse("+1").unwrap(), Target::Relative(1));
        assert_eq!(
            Target::parse("3f9a").unwrap(),
            Target::Revision("3f9a".into())
        );
        assert!(Target::parse("+x").is_err());
    }
}
