//! `db revision --autogenerate` against 200-table models, from an empty versions folder (every
//! table new) and from a folder at the models (no changes), SQLite and PostgreSQL sections
//! both. Run: `cargo bench -p migrations-core --features cli,postgres --bench autogenerate`.

use clap::Parser;
use migrations_core::cli::{execute, DbArgs};
use migrations_core::schema::{Action, Column, ColumnType, ForeignKey, Index, Schema, Table};
use migrations_core::{revision, EmbeddedFile, Migrations};
use std::time::{Duration, Instant};

fn models(n: usize) -> Schema {
    (0..n).fold(Schema::new(), |s, i| {
        let mut t = Table::new(format!("table_{i:03}"))
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(Column::new("name", ColumnType::Varchar(120)).not_null())
            .column(
                Column::new("amount", ColumnType::Numeric(12, 2))
                    .not_null()
                    .default_sql("0"),
            )
            .column(
                Column::new("created_at", ColumnType::Timestamp)
                    .not_null()
                    .default_now(),
            )
            .column(Column::new("parent_id", ColumnType::BigInt))
            .primary_key(["id"])
            .unique(["name"])
            .index(Index::new(format!("table_{i:03}_parent"), ["parent_id"]))
            .check("amount >= 0");
        if i > 0 {
            t = t.foreign_key(
                ForeignKey::new(["parent_id"], format!("table_{:03}", i - 1), ["id"])
                    .on_delete(Action::SetNull),
            );
        }
        s.table(t)
    })
}

fn embedded(versions: &std::path::Path) -> &'static Migrations {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(versions).unwrap() {
        let path = entry.unwrap().path();
        let source = revision::normalize(&std::fs::read_to_string(&path).unwrap());
        files.push(EmbeddedFile::new(
            Box::leak(
                path.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
                    .into_boxed_str(),
            ),
            Box::leak(revision::checksum(&source).into_boxed_str()),
            Box::leak(source.into_boxed_str()),
        ));
    }
    let dir: &'static str = Box::leak(versions.display().to_string().into_boxed_str());
    Box::leak(Box::new(Migrations::from_embedded(
        dir,
        Box::leak(files.into_boxed_slice()),
    )))
}

fn autogenerate(versions: &std::path::Path, models: &Schema) -> (Duration, String) {
    let args = DbArgs::try_parse_from([
        "db",
        "--database-url",
        "sqlite::memory:",
        "revision",
        "--autogenerate",
        "-m",
        "bench",
    ])
    .unwrap();
    let migrations = embedded(versions);
    let mut out = Vec::new();
    let start = Instant::now();
    execute(migrations, models, &args, &mut out).unwrap();
    (start.elapsed(), String::from_utf8(out).unwrap())
}

fn main() {
    let models = models(200);
    let runs = 3;
    let mut first = Vec::new();
    let mut again = Vec::new();
    for _ in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let versions = dir.path().join("versions");
        std::fs::create_dir(&versions).unwrap();
        let (t, out) = autogenerate(&versions, &models);
        assert!(out.contains("Detected added table 'table_199'"));
        first.push(t);
        let (t, out) = autogenerate(&versions, &models);
        assert!(out.contains("No changes detected"), "{out}");
        again.push(t);
    }
    first.sort();
    again.sort();
    println!("autogenerate, 200-table models, sqlite + postgres sections (median of {runs})");
    println!(
        "  from an empty folder (200 new tables): {:>8.1} ms",
        first[runs / 2].as_secs_f64() * 1e3
    );
    println!(
        "  at the models (no changes):            {:>8.1} ms",
        again[runs / 2].as_secs_f64() * 1e3
    );
}
