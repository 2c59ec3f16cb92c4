//! Each rule: it fires on the dangerous form, not on the safe form, not on a table created
//! earlier in the same revision, and not when a comment allows it with a reason.

use super::{lint, Finding, Rule};
use crate::dialect::Dialect;
use crate::testing::{chain, Fixture};

const ROOT: &str = "000000000001";
const REV: &str = "000000000002";

/// The base schema every case starts from: `orders` and `customers`, filled by the revision
/// before.
const BASE: &str = "CREATE TABLE customers (id BIGINT PRIMARY KEY, email VARCHAR(100));
CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT, note VARCHAR(20), amount NUMERIC(10,2), total INTEGER, status TEXT);";

/// The findings of a revision whose PostgreSQL upgrade is `sql`, after [`BASE`].
fn pg(sql: &str) -> Vec<Finding> {
    pg_with(Fixture::new(REV), sql)
}

fn pg_with(rev: Fixture, sql: &str) -> Vec<Finding> {
    let root = Fixture::new(ROOT).up_for(Dialect::Postgres, BASE).down_for(
        Dialect::Postgres,
        "DROP TABLE orders; DROP TABLE customers;",
    );
    let rev = rev
        .revises(ROOT)
        .up_for(Dialect::Postgres, sql)
        .down_for(Dialect::Postgres, "SELECT 1;");
    lint(&chain(&[root, rev]))
}

/// The rules that fired.
fn rules(findings: &[Finding]) -> Vec<Rule> {
    findings.iter().map(|f| f.rule).collect()
}

/// `rule` fires on `dangerous` (on the line of its first statement), and not on `safe`, nor
/// after a `CREATE TABLE` of the table in the same revision (`created`, the table's DDL), nor
/// with an allow comment.
#[track_caller]
fn case(rule: Rule, dangerous: &str, safe: &str, created: &str) {
    let found = pg(dangerous);
    assert_eq!(rules(&found), [rule], "{dangerous}: {found:#?}");
    let text = Fixture::new(REV)
        .revises(ROOT)
        .up_for(Dialect::Postgres, dangerous)
        .down_for(Dialect::Postgres, "SELECT 1;")
        .text();
    let line = text.lines().nth(found[0].line - 1).unwrap_or("");
    assert!(
        dangerous.lines().any(|l| l == line) && !line.starts_with("--"),
        "line {}: {line}",
        found[0].line
    );
    assert!(
        found[0]
            .to_string()
            .contains(&format!("-- lint: allow {rule}: <why>")),
        "{}",
        found[0]
    );

    assert_eq!(rules(&pg(safe)), [], "safe form: {safe}");

    let fresh = format!("{created};\n{dangerous}");
    let found = lint_fresh(&fresh);
    assert_eq!(
        rules(&found),
        [],
        "after CREATE TABLE in the same revision: {found:#?}"
    );

    let before_flagged = |comment: &str| {
        dangerous
            .lines()
            .map(|l| {
                if l == line {
                    format!("{comment}\n{l}")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let allowed = before_flagged(&format!(
        "-- lint: allow {rule}: the table is empty in production"
    ));
    assert_eq!(rules(&pg(&allowed)), [], "allowed: {allowed}");
    let no_reason = before_flagged(&format!("-- lint: allow {rule}"));
    assert_eq!(rules(&pg(&no_reason)), [Rule::Allow, rule], "{no_reason}");
}

/// The findings of one root revision (nothing before it).
fn lint_fresh(sql: &str) -> Vec<Finding> {
    let root = Fixture::new(ROOT)
        .up_for(Dialect::Postgres, sql)
        .down_for(Dialect::Postgres, "SELECT 1;");
    lint(&chain(&[root]))
}

const NEW_ORDERS: &str =
    "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT, note VARCHAR(20), amount NUMERIC(10,2), total INTEGER, status TEXT)";

#[test]
fn index_not_concurrent() {
    case(
        Rule::IndexNotConcurrent,
        "CREATE INDEX orders_customer ON orders (customer_id);",
        "SELECT 1;",
        NEW_ORDERS,
    );
    // The safe form, in its own revision.
    let found = pg_with(
        Fixture::new(REV).transaction_none(),
        "CREATE INDEX CONCURRENTLY orders_customer ON public.orders (customer_id);",
    );
    assert_eq!(rules(&found), []);
    // Unique, schema-qualified, IF NOT EXISTS, quoted.
    let found = pg("CREATE UNIQUE INDEX IF NOT EXISTS \"o\" ON ONLY public.\"orders\" (id);");
    assert_eq!(rules(&found), [Rule::IndexNotConcurrent]);
    assert!(found[0].message.contains("\"orders\""), "{}", found[0]);
}

#[test]
fn constraint_builds_index() {
    case(
        Rule::ConstraintBuildsIndex,
        "ALTER TABLE orders ADD CONSTRAINT orders_note UNIQUE (note);",
        "ALTER TABLE orders ADD CONSTRAINT orders_note UNIQUE USING INDEX orders_note_idx;",
        NEW_ORDERS,
    );
}

#[test]
fn column_type_rewrite() {
    case(
        Rule::ColumnTypeRewrite,
        "ALTER TABLE orders ALTER COLUMN total TYPE BIGINT;",
        "ALTER TABLE orders ALTER COLUMN note TYPE VARCHAR(200);",
        NEW_ORDERS,
    );
    let found = pg("ALTER TABLE orders ALTER total SET DATA TYPE bigint USING total::bigint;");
    assert!(
        found[0].message.contains("from integer to bigint rewrites"),
        "{}",
        found[0]
    );
    for safe in [
        "ALTER TABLE orders ALTER COLUMN note TYPE text;",
        "ALTER TABLE orders ALTER COLUMN amount TYPE numeric(14, 2);",
        "ALTER TABLE orders ALTER COLUMN note TYPE character varying;",
    ] {
        assert_eq!(rules(&pg(safe)), [], "{safe}");
    }
    for dangerous in [
        "ALTER TABLE orders ALTER COLUMN note TYPE varchar(10);",
        "ALTER TABLE orders ALTER COLUMN amount TYPE numeric(14, 4);",
        "ALTER TABLE orders ALTER COLUMN status TYPE varchar(10);",
    ] {
        assert_eq!(
            rules(&pg(dangerous)),
            [Rule::ColumnTypeRewrite],
            "{dangerous}"
        );
    }
    // A column the lint has not seen created: it may rewrite.
    let found = pg("ALTER TABLE elsewhere ALTER COLUMN x TYPE text;");
    assert!(found[0].message.contains("may rewrite"), "{}", found[0]);
    // Types follow renames and earlier type changes.
    let found = pg("ALTER TABLE orders RENAME COLUMN note TO memo;\n-- lint: allow rename-column: unused\nALTER TABLE orders ALTER memo TYPE varchar(40);");
    assert_eq!(rules(&found), [Rule::RenameColumn]);
}

#[test]
fn set_not_null() {
    case(
        Rule::SetNotNull,
        "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;",
        "ALTER TABLE orders ADD CONSTRAINT status_nn CHECK (status IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT status_nn;\nALTER TABLE orders ALTER COLUMN status SET NOT NULL;",
        NEW_ORDERS,
    );
    // A check added NOT VALID but never validated proves nothing.
    let found = pg("ALTER TABLE orders ADD CONSTRAINT status_nn CHECK (status IS NOT NULL) NOT VALID;\nALTER TABLE orders ALTER COLUMN status SET NOT NULL;");
    assert_eq!(rules(&found), [Rule::SetNotNull]);
}

#[test]
fn constraint_not_valid() {
    case(
        Rule::ConstraintNotValid,
        "ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id);",
        "ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;",
        NEW_ORDERS,
    );
    case(
        Rule::ConstraintNotValid,
        "ALTER TABLE orders ADD CHECK (total >= 0);",
        "ALTER TABLE orders ADD CHECK (total >= 0) NOT VALID;",
        NEW_ORDERS,
    );
}

#[test]
fn volatile_default() {
    case(
        Rule::VolatileDefault,
        "ALTER TABLE orders ADD COLUMN token UUID DEFAULT gen_random_uuid();",
        "ALTER TABLE orders ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT now();",
        NEW_ORDERS,
    );
    for dangerous in [
        "ALTER TABLE orders ADD COLUMN n BIGSERIAL;",
        "ALTER TABLE orders ADD COLUMN n BIGINT GENERATED ALWAYS AS IDENTITY;",
        "ALTER TABLE orders ADD COLUMN twice INTEGER GENERATED ALWAYS AS (total * 2) STORED;",
        "ALTER TABLE orders ADD r DOUBLE PRECISION DEFAULT random() NOT NULL;",
    ] {
        assert_eq!(
            rules(&pg(dangerous)),
            [Rule::VolatileDefault],
            "{dangerous}"
        );
    }
    assert_eq!(
        rules(&pg(
            "ALTER TABLE orders ADD COLUMN flag BOOLEAN NOT NULL DEFAULT false;"
        )),
        []
    );
}

#[test]
fn rename_and_drop() {
    case(
        Rule::RenameColumn,
        "ALTER TABLE orders RENAME COLUMN note TO memo;",
        "ALTER TABLE orders ADD COLUMN memo VARCHAR(20);",
        NEW_ORDERS,
    );
    case(
        Rule::RenameTable,
        "ALTER TABLE orders RENAME TO purchases;",
        "CREATE VIEW purchases AS SELECT * FROM orders;",
        NEW_ORDERS,
    );
    case(
        Rule::DropColumn,
        "ALTER TABLE orders DROP COLUMN note;",
        "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;",
        NEW_ORDERS,
    );
    case(
        Rule::DropTable,
        "DROP TABLE orders;",
        "DROP INDEX IF EXISTS orders_note;",
        NEW_ORDERS,
    );
}

#[test]
fn drop_cascade_and_truncate() {
    let found = pg("DROP TYPE mood CASCADE;");
    assert_eq!(rules(&found), [Rule::DropCascade]);
    assert_eq!(rules(&pg("DROP TYPE mood;")), []);
    let found = pg("DROP TABLE orders CASCADE;");
    assert_eq!(rules(&found), [Rule::DropTable, Rule::DropCascade]);
    case(
        Rule::Truncate,
        "TRUNCATE orders;",
        "DELETE FROM orders WHERE status = 'gone';",
        NEW_ORDERS,
    );
}

#[test]
fn schema_and_data() {
    case(
        Rule::SchemaAndData,
        "ALTER TABLE orders ADD COLUMN memo TEXT;\nUPDATE orders SET memo = note;",
        "UPDATE orders SET memo = note;",
        NEW_ORDERS,
    );
    // A WHERE at the top level is not every row; one in a subquery is.
    assert_eq!(rules(&pg("ALTER TABLE orders ADD COLUMN memo TEXT;\nUPDATE orders SET memo = note WHERE id < 1000;")), []);
    assert_eq!(
        rules(&pg("ALTER TABLE orders ADD COLUMN memo TEXT;\nUPDATE orders SET memo = (SELECT email FROM customers c WHERE c.id = customer_id);")),
        [Rule::SchemaAndData]
    );
}

#[test]
fn timeouts() {
    let found = pg_with(Fixture::new(REV).header("Lock-Timeout", "0"), "SELECT 1;");
    assert_eq!(rules(&found), [Rule::LockTimeoutOff]);
    assert_eq!(
        rules(&pg("SET LOCAL lock_timeout = 0;")),
        [Rule::LockTimeoutOff]
    );
    assert_eq!(
        rules(&pg("SET lock_timeout TO '0';")),
        [Rule::LockTimeoutOff]
    );
    assert_eq!(rules(&pg("SET lock_timeout = '2s';")), []);
    // A long one only matters with a statement that locks for long.
    let long = Fixture::new(REV).header("Lock-Timeout", "5min");
    assert_eq!(
        rules(&pg_with(
            long.clone(),
            "ALTER TABLE orders ADD COLUMN memo TEXT;"
        )),
        []
    );
    let found = pg_with(
        long.clone(),
        "-- lint: allow column-type-rewrite: the table is small\nALTER TABLE orders ALTER COLUMN total TYPE bigint;",
    );
    assert_eq!(rules(&found), [Rule::LongLockTimeout]);
    let found = pg_with(
        long,
        "-- lint: allow long-lock-timeout: a quiet hour\n-- lint: allow column-type-rewrite: small\nALTER TABLE orders ALTER COLUMN total TYPE bigint;",
    );
    assert_eq!(rules(&found), []);
    assert_eq!(
        rules(&pg(
            "SET LOCAL lock_timeout = '1min';\nCREATE INDEX o ON orders (note);"
        )),
        [Rule::LongLockTimeout, Rule::IndexNotConcurrent]
    );
}

#[test]
fn allow_comments_name_a_rule_and_a_reason() {
    let found = pg("-- lint: allow no-such-rule: because\nSELECT 1;");
    assert_eq!(rules(&found), [Rule::Allow]);
    assert!(
        found[0].fix.contains("index-not-concurrent"),
        "{}",
        found[0]
    );
    // On the statement's own last line, after it.
    assert_eq!(
        rules(&pg(
            "TRUNCATE orders; -- lint: allow truncate: a cache table"
        )),
        []
    );
    // One comment silences one rule of one statement only.
    let found = pg("-- lint: allow truncate: a cache\nTRUNCATE orders;\nTRUNCATE customers;");
    assert_eq!(rules(&found), [Rule::Truncate]);
    assert!(found[0].message.contains("customers"));
}

#[test]
fn sqlite_sections_get_the_rules_that_apply_there() {
    let root = Fixture::new(ROOT)
        .up_for(Dialect::Sqlite, BASE)
        .down_for(Dialect::Sqlite, "DROP TABLE orders; DROP TABLE customers;");
    let rev = Fixture::new(REV)
        .revises(ROOT)
        .up_for(
            Dialect::Sqlite,
            "CREATE INDEX o ON orders (note);\nALTER TABLE orders RENAME COLUMN note TO memo;",
        )
        .down_for(Dialect::Sqlite, "SELECT 1;");
    assert_eq!(
        rules(&lint(&chain(&[root.clone(), rev]))),
        [Rule::RenameColumn]
    );
    // A rebuild (create new, copy, drop, rename) is no drop of the table.
    let rebuild = Fixture::new(REV)
        .revises(ROOT)
        .up_for(
            Dialect::Sqlite,
            "CREATE TABLE _migrations_new_orders (id BIGINT PRIMARY KEY, note TEXT);\n\
             INSERT INTO _migrations_new_orders SELECT id, note FROM orders;\n\
             DROP TABLE orders;\n\
             ALTER TABLE _migrations_new_orders RENAME TO orders;\n\
             CREATE INDEX o ON orders (note);",
        )
        .down_for(Dialect::Sqlite, "SELECT 1;");
    assert_eq!(rules(&lint(&chain(&[root, rebuild]))), []);
}

#[test]
fn a_shared_section_is_linted_once_per_finding() {
    let root = Fixture::new(ROOT)
        .up(BASE)
        .down("DROP TABLE orders; DROP TABLE customers;");
    let rev = Fixture::new(REV)
        .revises(ROOT)
        .up("ALTER TABLE orders DROP COLUMN note;")
        .down("SELECT 1;");
    let c = chain(&[root, rev]);
    assert_eq!(c.dialects().len(), 2, "{:?}", c.dialects());
    assert_eq!(rules(&lint(&c)), [Rule::DropColumn]);
}
