//! Everything the benchmarks run on, generated from one description so both sides get the same
//! work: the revision chain in our format and refinery's, the models that describe its result,
//! the 500-table drift schema, and the autogenerate projects (ours and Alembic's).
//!
//! Layout written by `bench-harness gen DIR` (DIR is benches/target/gen, never committed):
//!
//! ```text
//! DIR/ours/versions/<12hex>_rNNNN.sql   + DIR/ours/schema.snapshot   (1,000 revisions)
//! DIR/refinery/V<n>__rNNNN.sql                                       (the same SQL)
//! DIR/autogen/<scenario>/ours/versions/…      an app's migrations folder
//! DIR/autogen/<scenario>/alembic/…            alembic.ini, env.py, models.py, versions/
//! ```

use migrations_core::render::schema_ddl;
use migrations_core::schema::{Action, Column, ColumnType, ForeignKey, Index, Schema, Table};
use migrations_core::{migrate, Chain, Dialect};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// A deterministic, random-looking 12-hex revision id for revision `i` (splitmix64).
pub fn rev_id(i: usize) -> String {
    let mut z = (i as u64)
        .wrapping_add(0x9e37_79b9_7f4a_7c15)
        .wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 30)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    format!("{:012x}", z & 0xffff_ffff_ffff)
}

/// Revision `i` of the chain: even revisions create table `t_NNNN`, odd ones add a column to it.
/// Portable SQL: the same text runs on SQLite and PostgreSQL (one section serves both, and
/// refinery runs the same file on both).
pub fn step_sql(i: usize) -> (String, String) {
    let k = i / 2;
    if i.is_multiple_of(2) {
        (
            format!("CREATE TABLE t_{k:04} (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL, body TEXT);"),
            format!("DROP TABLE t_{k:04};"),
        )
    } else {
        (
            format!("ALTER TABLE t_{k:04} ADD COLUMN c_{k:04} INTEGER;"),
            format!("ALTER TABLE t_{k:04} DROP COLUMN c_{k:04};"),
        )
    }
}

/// The models that describe the result of the first `n` revisions (the drift check's input).
pub fn chain_models(n: usize) -> Schema {
    let mut schema = Schema::new();
    for k in 0..n.div_ceil(2) {
        let mut t = Table::new(format!("t_{k:04}"))
            .column(Column::new("id", ColumnType::BigInt).not_null())
            .column(Column::new("name", ColumnType::Varchar(100)).not_null())
            .column(Column::new("body", ColumnType::Text));
        if 2 * k + 1 < n {
            t = t.column(Column::new(format!("c_{k:04}"), ColumnType::Integer));
        }
        schema = schema.table(t.primary_key(["id"]));
    }
    schema
}

fn ours_file(id: &str, parent: Option<&str>, message: &str, sections: &[(&str, &str)]) -> String {
    let mut s = format!("-- Revision: {id}\n");
    if let Some(p) = parent {
        let _ = writeln!(s, "-- Revises: {p}");
    }
    let _ = writeln!(
        s,
        "-- Message: {message}\n-- Created: 2026-01-01 00:00:00 UTC"
    );
    for (marker, body) in sections {
        let _ = write!(s, "\n-- +{marker}\n{body}\n");
    }
    s
}

/// Writes the `n`-revision chain in both formats, plus our `schema.snapshot` (so the build has
/// no stale-snapshot warning, as in a real project) when `snapshot` is set. The long-chain
/// section reads only the revisions: at 20,000 the snapshot's SQLite replay alone takes minutes.
pub fn write_chain(dir: &Path, n: usize, snapshot: bool) {
    let ours = dir.join("ours/versions");
    let refinery = dir.join("refinery");
    for d in [&ours, &refinery] {
        let _ = fs::remove_dir_all(d);
        fs::create_dir_all(d).unwrap();
    }
    let mut seen = BTreeSet::new();
    for i in 0..n {
        let id = rev_id(i);
        assert!(seen.insert(id.clone()), "id collision at {i}");
        let parent = (i > 0).then(|| rev_id(i - 1));
        let (up, down) = step_sql(i);
        let text = ours_file(
            &id,
            parent.as_deref(),
            &format!("r{i:04}"),
            &[("upgrade", &up), ("downgrade", &down)],
        );
        fs::write(ours.join(format!("{id}_r{i:04}.sql")), text).unwrap();
        fs::write(
            refinery.join(format!("V{}__r{i:04}.sql", i + 1)),
            format!("{up}\n"),
        )
        .unwrap();
    }
    if snapshot {
        write_snapshot(&dir.join("ours"));
    }
}

/// Adds revision `i` (revising `i - 1`) in both formats, as a developer adding a migration.
pub fn write_one(dir: &Path, i: usize) {
    let id = rev_id(i);
    let (up, down) = step_sql(i);
    let text = ours_file(
        &id,
        Some(&rev_id(i - 1)),
        &format!("r{i:04}"),
        &[("upgrade", &up), ("downgrade", &down)],
    );
    fs::write(dir.join(format!("ours/versions/{id}_r{i:04}.sql")), text).unwrap();
    fs::write(
        dir.join(format!("refinery/V{}__r{i:04}.sql", i + 1)),
        format!("{up}\n"),
    )
    .unwrap();
}

/// `schema.snapshot` as `db snapshot` writes it.
fn write_snapshot(project: &Path) {
    let chain = read_chain(&project.join("versions"));
    let schema = migrate::head_schema(&chain).expect("the generated chain applies");
    fs::write(
        project.join("schema.snapshot"),
        migrate::render_snapshot(&chain, &schema),
    )
    .unwrap();
}

/// Reads a versions folder into a chain, as the CLI does (`folder::read`).
pub fn read_chain(versions: &Path) -> Chain {
    let folder = migrations_core::folder::read(versions).expect("generated folder reads");
    assert!(folder.all_problems().is_empty(), "generated files parse");
    Chain::new(folder.revisions()).expect("generated chain is valid")
}

/// The drift benchmark's schema: the same file as migrations-core/benches/drift.rs uses (this
/// workspace cannot depend on that crate's benches, so it includes the file).
#[path = "../../../migrations-core/benches/common/mod.rs"]
mod drift_common;
pub use drift_common::models as drift_models;

// ---------------------------------------------------------------------------------------------
// Autogenerate: the same 200-table models for us (Schema) and for Alembic (SQLAlchemy).

/// Tables of the autogenerate benchmark.
pub const AUTOGEN_TABLES: usize = 200;

fn autogen_table(k: usize, extra: bool) -> Table {
    let mut t = Table::new(format!("a_{k:03}"))
        .column(Column::new("id", ColumnType::BigInt).not_null())
        .column(Column::new("name", ColumnType::Varchar(100)).not_null())
        .column(Column::new("body", ColumnType::Text))
        .column(
            Column::new("amount", ColumnType::Numeric(12, 2))
                .not_null()
                .default_sql("0"),
        )
        .column(Column::new("created_at", ColumnType::Timestamp))
        .column(Column::new("parent_id", ColumnType::BigInt));
    if extra {
        t = t.column(Column::new("extra", ColumnType::Text));
    }
    t = t
        .primary_key(["id"])
        .unique(["name"])
        .index(Index::new(format!("a_{k:03}_parent"), ["parent_id"]));
    if k > 0 {
        t = t.foreign_key(
            ForeignKey::new(["parent_id"], format!("a_{:03}", k - 1), ["id"])
                .on_delete(Action::SetNull),
        );
    }
    t
}

fn meta_table() -> Table {
    Table::new("meta")
        .column(Column::new("k", ColumnType::Varchar(50)).not_null())
        .primary_key(["k"])
}

fn sqlalchemy_table(t: &Table) -> String {
    let mut s = format!("Table(\n    {:?},\n    metadata,\n", t.name);
    for c in &t.columns {
        let ty = match &c.ty {
            ColumnType::BigInt => "BigInteger()".to_string(),
            ColumnType::Varchar(n) => format!("String({n})"),
            ColumnType::Text => "Text()".into(),
            ColumnType::Numeric(p, sc) => format!("Numeric({p}, {sc})"),
            ColumnType::Timestamp => "TIMESTAMP()".into(),
            other => panic!("no SQLAlchemy mapping for {other:?}"),
        };
        let mut args = vec![format!("{:?}", c.name), ty];
        if let Some(fk) = t
            .foreign_keys
            .iter()
            .find(|f| f.columns == [c.name.clone()])
        {
            args.push(format!(
                "ForeignKey(\"{}.{}\", ondelete=\"SET NULL\")",
                fk.ref_table, fk.ref_columns[0]
            ));
        }
        if t.primary_key == [c.name.clone()] {
            args.push("primary_key=True".into());
            args.push("autoincrement=False".into());
        } else if !c.nullable {
            args.push("nullable=False".into());
        }
        if let Some(d) = &c.default {
            args.push(format!("server_default=text({d:?})"));
        }
        let _ = writeln!(s, "    Column({}),", args.join(", "));
    }
    for i in &t.indexes {
        match &i.name {
            None => {
                let _ = writeln!(s, "    UniqueConstraint({:?}),", i.columns[0]);
            }
            Some(n) => {
                let _ = writeln!(s, "    Index({n:?}, {:?}),", i.columns[0]);
            }
        }
    }
    s.push_str(")\n");
    s
}

fn sqlalchemy_models(schema: &Schema) -> String {
    let mut s = String::from(
        "# Generated by bench-harness: the SQLAlchemy twin of the Rust models.\n\
         from sqlalchemy import (TIMESTAMP, BigInteger, Column, ForeignKey, Index, MetaData, Numeric,\n\
         \x20   String, Table, Text, UniqueConstraint, text)\n\n\
         metadata = MetaData()\n\n",
    );
    for t in schema.tables.values() {
        s.push_str(&sqlalchemy_table(t));
        s.push('\n');
    }
    s
}

/// One autogenerate scenario: the migrations that already exist (one root revision) and the
/// models the developer has now.
pub struct Scenario {
    /// Folder name.
    pub name: &'static str,
    /// What the root revision creates.
    pub existing: Schema,
    /// The models.
    pub models: Schema,
}

/// The dialect is the name's suffix (`--dialect` for ours, Alembic's database).
/// `initial`: a root revision with one table; the models add 200 tables (200 CREATE TABLEs).
/// `one-column`: a root revision with the 200 tables; the models add one column to one table.
pub fn scenarios() -> Vec<Scenario> {
    let base = autogen_tables(false);
    vec![
        Scenario {
            name: "initial-sqlite",
            existing: Schema::new().table(meta_table()),
            models: scenario_models("initial-sqlite"),
        },
        Scenario {
            name: "one-column-sqlite",
            existing: base.clone(),
            models: scenario_models("one-column-sqlite"),
        },
        Scenario {
            name: "one-column-postgres",
            existing: base,
            models: scenario_models("one-column-postgres"),
        },
    ]
}

/// The 200 tables, the last with one more column when `extra`.
fn autogen_tables(extra: bool) -> Schema {
    (0..AUTOGEN_TABLES).fold(Schema::new(), |s, k| {
        s.table(autogen_table(k, extra && k == AUTOGEN_TABLES - 1))
    })
}

/// The models of scenario `name`, built alone, as an app builds its own models once (building
/// every scenario's schemas to keep one of them cost the process ~5 ms of its ~90).
pub fn scenario_models(name: &str) -> Schema {
    match name {
        "initial-sqlite" => autogen_tables(false).table(meta_table()),
        "one-column-sqlite" | "one-column-postgres" => autogen_tables(true),
        _ => panic!("unknown scenario {name}"),
    }
}

/// The root revision's id in every scenario (Alembic's is `0001`).
pub const ROOT_ID: &str = "a0a0a0a0a0a0";

/// Writes `dir/<scenario>/ours` (a migrations folder) and `dir/<scenario>/alembic` (a project
/// whose one revision runs the same DDL; env.py and alembic.ini are written by `alembic init`
/// later, in run.sh, and patched there).
pub fn write_autogen(dir: &Path) {
    for sc in scenarios() {
        let root = dir.join(sc.name);
        let _ = fs::remove_dir_all(&root);
        let versions = root.join("ours/versions");
        fs::create_dir_all(&versions).unwrap();
        // The existing tables' DDL as SQLite renders it (foreign keys inline), which PostgreSQL
        // runs too: one generic section serves both, and our snapshot is computed on SQLite.
        let up: Vec<String> = schema_ddl(Dialect::Sqlite, &sc.existing)
            .into_iter()
            .map(|s| s + ";")
            .collect();
        let down: Vec<String> = migrations_core::diff::order_by_references(
            sc.existing.tables.values().cloned().collect(),
        )
        .iter()
        .rev()
        .map(|t| format!("DROP TABLE \"{}\";", t.name))
        .collect();
        // Sections without a dialect (as in the SPEC's example): the CLI is then run with
        // `--dialect`, so each autogenerate works for one dialect, like Alembic on one database.
        let text = ours_file(
            ROOT_ID,
            None,
            "existing tables",
            &[("upgrade", &up.join("\n")), ("downgrade", &down.join("\n"))],
        );
        fs::write(
            versions.join(format!("{ROOT_ID}_existing_tables.sql")),
            text,
        )
        .unwrap();
        write_snapshot(&root.join("ours"));

        let alembic = root.join("alembic");
        fs::create_dir_all(&alembic).unwrap();
        fs::write(alembic.join("models.py"), sqlalchemy_models(&sc.models)).unwrap();
        let mut rev = String::from(
            "\"\"\"existing tables\n\nRevision ID: 0001\nRevises:\n\"\"\"\nfrom alembic import op\n\n\
             revision = \"0001\"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n\n\
             UP = [\n",
        );
        for s in schema_ddl(Dialect::Sqlite, &sc.existing) {
            let _ = writeln!(rev, "    {s:?},");
        }
        rev.push_str("]\nDOWN = [\n");
        for s in &down {
            let _ = writeln!(rev, "    {s:?},");
        }
        rev.push_str(
            "]\n\n\ndef upgrade():\n    for s in UP:\n        op.execute(s)\n\n\n\
             def downgrade():\n    for s in DOWN:\n        op.execute(s)\n",
        );
        fs::write(alembic.join("0001_existing_tables.py"), rev).unwrap();
    }
}
