//! The lint's claims, shown on a real server: with a writer inserting into a busy table
//! without pause, each statement the lint flags makes the writer wait for the migration's
//! session (sampled from `pg_blocking_pids`), and the safe form the lint suggests does not.
//! The figures (how long the writer stalls) come from the benchmark, `BENCH_SECTIONS=busy`.

use migrations_core::dialect::Dialect;
use migrations_core::lint::{self, Rule};
use migrations_core::testing::{self, BusyWriter, Fixture, TestDatabase};
use postgres::Client;

const ROOT: &str = "000000000001";
const TABLE: &str = "CREATE TABLE orders (id BIGSERIAL PRIMARY KEY, customer_id INTEGER, note TEXT, total INTEGER);";
const INSERT: &str = "INSERT INTO orders (customer_id, note, total) VALUES (1, 'new', 1)";

/// The lint's findings for `sql` as the upgrade of a revision after the one creating `orders`
/// (`transaction_none`: with `-- Transaction: none`).
fn lint_of(sql: &str, transaction_none: bool) -> Vec<Rule> {
    let root = Fixture::new(ROOT)
        .up_for(Dialect::Postgres, TABLE)
        .down_for(Dialect::Postgres, "DROP TABLE orders;");
    let mut rev = Fixture::new("000000000002").revises(ROOT);
    if transaction_none {
        rev = rev.transaction_none();
    }
    let rev = rev
        .up_for(Dialect::Postgres, sql)
        .down_for(Dialect::Postgres, "SELECT 1;");
    lint::lint(&testing::chain(&[root, rev]))
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

/// Whether the writer waited for this session while `sql` ran on it.
fn writer_waits_for(db: &TestDatabase, conn: &mut Client, sql: &str) -> bool {
    let me: i32 = conn
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let writer = BusyWriter::start(&db.url, INSERT).unwrap();
    conn.batch_execute(sql).unwrap();
    let report = writer.finish();
    assert!(report.writes > 1 && report.samples > 0, "{report:?}");
    report.blocked_by.contains(&me)
}

#[test]
fn flagged_statements_block_a_writer_and_their_safe_forms_do_not() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let mut conn = db.connect();
    conn.batch_execute(TABLE).unwrap();
    conn.batch_execute(
        "INSERT INTO orders (customer_id, note, total) \
         SELECT g % 1000, md5(g::text), g FROM generate_series(1, 300000) g; ANALYZE orders",
    )
    .unwrap();

    // (flagged, its rule, safe setup run before the writer starts, the safe statement).
    let cases = [
        (
            "CREATE INDEX orders_note ON orders (note)",
            Rule::IndexNotConcurrent,
            None,
            Some("CREATE INDEX CONCURRENTLY orders_note_2 ON orders (note)"),
        ),
        (
            "ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0)",
            Rule::ConstraintNotValid,
            Some("ALTER TABLE orders ADD CONSTRAINT orders_total_2 CHECK (total >= 0) NOT VALID"),
            Some("ALTER TABLE orders VALIDATE CONSTRAINT orders_total_2"),
        ),
        (
            "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL",
            Rule::SetNotNull,
            Some("ALTER TABLE orders ADD CONSTRAINT orders_customer_nn CHECK (customer_id IS NOT NULL) NOT VALID"),
            Some("ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_nn"),
        ),
        (
            "ALTER TABLE orders ALTER COLUMN total TYPE BIGINT",
            Rule::ColumnTypeRewrite,
            None,
            None,
        ),
    ];
    for (flagged, rule, setup, safe) in cases {
        assert_eq!(lint_of(&format!("{flagged};"), false), [rule], "{flagged}");
        assert!(
            writer_waits_for(&db, &mut conn, flagged),
            "the writer never waited for: {flagged}"
        );
        if let Some(safe) = safe {
            let whole = format!("{};\n{safe};", setup.unwrap_or("SELECT 1"));
            let concurrently = safe.contains("CONCURRENTLY");
            assert_eq!(lint_of(&whole, concurrently), [], "{whole}");
            if let Some(setup) = setup {
                conn.batch_execute(setup).unwrap();
            }
            assert!(
                !writer_waits_for(&db, &mut conn, safe),
                "the writer waited for: {safe}"
            );
        }
    }
}
