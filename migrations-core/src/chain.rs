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
    index: HashMap<String, usize>,
    /// Parent positions of each revision.
    parents: Vec<Vec<usize>>,
    /// Dialects every revision serves.
    dialects: Vec<Dialect>,
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
        revisions.sort_by(|a, b| a.id.cmp(&b.id).then(a.file.cmp(&b.file)));

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
        let index: HashMap<&str, usize> = revisions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();

        // Parents exist.
        let mut parents = vec![Vec::new(); revisions.len()];
        for (i, rev) in revisions.iter().enumerate() {
            for p in &rev.revises {
                match index.get(p.as_str()) {
                    Some(&j) => parents[i].push(j),
                    None => problems.push(Problem::new(
                        &rev.file,
                        rev.revises_line,
                        format!("Revises names `{p}`, which no revision file has"),
                        "fix the id, or restore the missing revision file",
                    )),
                }
            }
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
        let mut children = vec![Vec::new(); revisions.len()];
        let mut waiting: Vec<usize> = parents.iter().map(Vec::len).collect();
        for (i, ps) in parents.iter().enumerate() {
            for &p in ps {
                children[p].push(i);
            }
        }
        let mut ready: BTreeSet<usize> =
            (0..revisions.len()).filter(|&i| waiting[i] == 0).collect();
        let mut order = Vec::with_capacity(revisions.len());
        while let Some(i) = ready.pop_first() {
            order.push(i);
            for &c in &children[i] {
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
            .filter(|&i| children[i].is_empty())
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
        let mut slots: Vec<Option<Revision>> = revisions.into_iter().map(Some).collect();
        let revisions: Vec<Revision> = order.iter().map(|&i| slots[i].take().unwrap()).collect();
        let parents: Vec<Vec<usize>> = order
            .iter()
            .map(|&i| parents[i].iter().map(|&p| pos_of[p]).collect())
            .collect();
        let index = revisions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let mut chain = Chain {
            revisions,
            index,
            parents,
            dialects: Vec::new(),
        };

        // A merge joins heads: none of its parents is an ancestor of another.
        for (i, rev) in chain.revisions.iter().enumerate() {
            let ps = &chain.parents[i];
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
        let all: BTreeSet<Dialect> = chain.revisions.iter().flat_map(|r| r.dialects()).collect();
        for rev in &chain.revisions {
            let mine = rev.dialects();
            for d in all.iter().filter(|d| !mine.contains(d)) {
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
        chain.dialects = all.into_iter().collect();

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
        self.index.get(id).map(|&i| &self.revisions[i])
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
        self.parents[self.index[&rev.id]]
            .iter()
            .map(|&p| &self.revisions[p])
            .collect()
    }

    /// Positions of all ancestors of position `i` (not `i` itself).
    fn ancestors(&self, i: usize) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut stack = self.parents[i].clone();
        while let Some(p) = stack.pop() {
            if seen.insert(p) {
                stack.extend(&self.parents[p]);
            }
        }
        seen
    }

    /// Ids of `rev` and all its ancestors.
    pub fn lineage(&self, rev: &Revision) -> BTreeSet<String> {
        let i = self.index[&rev.id];
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
            if let Some(&i) = self.index.get(id) {
                for &p in &self.parents[i] {
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
            .filter(|id| !self.index.contains_key(*id))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(Error::UnknownApplied { revisions: unknown });
        }
        for id in applied {
            let i = self.index[id];
            if let Some(&missing) = self.parents[i]
                .iter()
                .find(|&&p| !applied.contains(&self.revisions[p].id))
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
        assert_eq!(chain.parents_of(chain.head()).len(), 2);
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
