//! Boots a SQLite database with the 1,000 embedded revisions (proof that the build embeds them).
static MIGRATIONS: migrations_core::Migrations = migrations_core::include_migrations!();

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| ":memory:".into());
    let mut conn = rusqlite::Connection::open(path).expect("open");
    let steps = MIGRATIONS.upgrade_to_head(&mut conn).expect("upgrade");
    println!(
        "ours: {} revisions embedded, {} applied",
        MIGRATIONS.chain().unwrap().revisions().len(),
        steps.len()
    );
}
