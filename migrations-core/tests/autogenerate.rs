//! Autogenerate through the CLI, as a developer runs it: the cookbook operations one revision
//! at a time, each then run up/down/up on SQLite and PostgreSQL, the data kept, the models
//! matched, and a second autogenerate finding nothing (the fixed point).

use clap::Parser;
use migrations_core::cli::{execute, DbArgs};
use migrations_core::schema::{
    Action, Column, ColumnType, EnumType, ForeignKey, Index, Schema, Table, View,
};
use migrations_core::testing::{migrations_from_dir, DropsKeptHead, Fixture, TestDatabase};
use migrations_core::{migrate, Chain, Dialect, Driver, Migrations};
use std::path::Path;

/// A migrations folder in a temp dir, embedded afresh for every step as the build would; its
/// kept PostgreSQL head is dropped with it (before the folder goes).
struct Project {
    _kept: DropsKeptHead,
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("versions")).unwrap();
        Project {
            _kept: DropsKeptHead::new(dir.path().join("versions"), "sqlite::memory:"),
            dir,
        }
    }

    fn versions(&self) -> std::path::PathBuf {
        self.dir.path().join("versions")
    }

    /// What `include_migrations!()` would give after a rebuild.
    fn embedded(&self) -> &'static Migrations {
        migrations_from_dir(&self.versions())
    }

    fn db(&self, models: &Schema, args: &[&str]) -> String {
        let mut out = Vec::new();
        self.try_db(models, args, &mut out)
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        String::from_utf8(out).unwrap()
    }

    /// The error of a command that must fail.
    fn refused(&self, models: &Schema, args: &[&str]) -> String {
        match self.try_db(models, args, &mut Vec::new()) {
            Ok(()) => panic!("{args:?} was not refused"),
            Err(e) => e.to_string(),
        }
    }

    fn try_db(
        &self,
        models: &Schema,
        args: &[&str],
        out: &mut Vec<u8>,
    ) -> migrations_core::Result<()> {
        let mut argv = vec!["db", "--database-url", "sqlite::memory:"];
        argv.extend(args);
        let parsed = DbArgs::try_parse_from(argv).unwrap();
        execute(self.embedded(), models, &parsed, out)
    }

    fn autogenerate(&self, models: &Schema, message: &str) -> String {
        let out = self.db(models, &["revision", "--autogenerate", "-m", message]);
        // The new revision, tried on SQLite before it was written, reached the models.
        assert!(!out.contains("please report"), "{out}");
        out
    }

    fn chain(&self) -> &'static Chain {
        self.embedded().chain().unwrap()
    }

    fn newest_file(&self) -> String {
        let chain = self.chain();
        std::fs::read_to_string(&chain.head().file).unwrap()
    }
}

/// The database of each backend the app runs on, kept across steps (with data in it).
struct Apps {
    sqlite: rusqlite::Connection,
    postgres: (TestDatabase, postgres::Client),
}

impl Apps {
    fn each(&mut self, mut f: impl FnMut(&mut dyn Driver, &str)) {
        f(&mut self.sqlite, "sqlite");
        f(&mut self.postgres.1, "postgres");
    }
}

/// After each autogenerate: the whole chain round-trips on fresh databases, the app databases
/// upgrade with their data, match the models, and a second autogenerate finds nothing.
fn verify(project: &Project, apps: &mut Apps, models: &Schema, has_rows: bool) {
    let chain = project.chain();
    // The snapshot autogenerate wrote is the one the whole chain gives.
    let head = migrate::head_schema(chain).unwrap();
    assert_eq!(
        migrate::snapshot_status(chain, &head, &project.dir.path().join("schema.snapshot")),
        migrate::SnapshotStatus::Current,
        "{}",
        project.newest_file()
    );
    migrate::round_trip(chain, &mut rusqlite::Connection::open_in_memory().unwrap())
        .unwrap_or_else(|p| panic!("sqlite round trip: {p:?}\n{}", project.newest_file()));
    let fresh = TestDatabase::create().unwrap();
    migrate::round_trip(chain, &mut fresh.connect())
        .unwrap_or_else(|p| panic!("postgres round trip: {p:?}\n{}", project.newest_file()));
    apps.each(|conn, name| {
        let opts = migrations_core::Options::default();
        migrate::upgrade(chain, conn, &migrations_core::Target::Head, &opts)
            .and_then(|_| migrate::check_drift(conn, models, &opts))
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", project.newest_file()));
        // From step 1 on, the one user and one todo survive every revision (rebuilds too).
        if has_rows {
            assert_one_row(conn, name, "users");
            assert_one_row(conn, name, "todos");
        }
    });
    let again = project.autogenerate(models, "again");
    assert!(
        again.contains("No changes detected"),
        "not a fixed point:\n{again}\n{}",
        project.newest_file()
    );
}

/// Fails unless `table` holds exactly one row (a CHECK does the counting, in both dialects).
fn assert_one_row(conn: &mut dyn Driver, name: &str, table: &str) {
    conn.run_sql("CREATE TEMPORARY TABLE row_count (n INTEGER CHECK (n = 1))")
        .unwrap();
    let counted = conn.run_sql(&format!(
        "INSERT INTO row_count SELECT count(*) FROM {table}"
    ));
    conn.run_sql("DROP TABLE row_count").unwrap();
    counted.unwrap_or_else(|e| panic!("{name}: {table} does not hold its one row: {e}"));
}

fn users() -> Table {
    Table::new("users")
        .column(Column::new("id", ColumnType::BigInt).identity())
        .column(Column::new("email", ColumnType::Varchar(200)).not_null())
        .column(Column::new("name", ColumnType::Varchar(100)))
        .primary_key(["id"])
        .unique(["email"])
        .index(Index::new("users_name", ["name"]))
}

fn todos() -> Table {
    Table::new("todos")
        .column(Column::new("id", ColumnType::BigInt).identity())
        .column(Column::new("title", ColumnType::Varchar(100)).not_null())
        .column(Column::new("user_id", ColumnType::BigInt))
        .primary_key(["id"])
        .unique(["user_id", "title"])
}

fn models(users: Table, todos: Table) -> Schema {
    Schema::new().table(users).table(todos)
}

#[test]
fn cookbook_operations_through_autogenerate_on_both_backends() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let client = pg.connect();
    let project = Project::new();
    let mut apps = Apps {
        sqlite: rusqlite::Connection::open_in_memory().unwrap(),
        postgres: (pg, client),
    };

    // 1. Create tables, with unique constraints and an index.
    let mut m = models(users(), todos());
    let out = project.autogenerate(&m, "create users and todos");
    assert!(
        out.contains("Detected added table 'users'")
            && out.contains("Detected added table 'todos'"),
        "{out}"
    );
    verify(&project, &mut apps, &m, false);
    apps.each(|conn, _| {
        conn.run_sql("INSERT INTO users (email, name) VALUES ('a@example.com', 'A')")
            .unwrap();
        conn.run_sql("INSERT INTO todos (title, user_id) VALUES ('first', 1)")
            .unwrap();
    });

    // 2. Add a column.
    let mut t = todos().column(Column::new("description", ColumnType::Text));
    m = models(users(), t.clone());
    let out = project.autogenerate(&m, "add description");
    assert!(
        out.contains("Detected added column 'todos.description'"),
        "{out}"
    );
    verify(&project, &mut apps, &m, true);

    // 3. Add a column with a server default.
    t = t.column(
        Column::new("priority", ColumnType::Integer)
            .not_null()
            .default_sql("0"),
    );
    m = models(users(), t.clone());
    project.autogenerate(&m, "add priority");
    assert!(project
        .newest_file()
        .contains("ADD COLUMN \"priority\" INTEGER NOT NULL DEFAULT 0"));
    verify(&project, &mut apps, &m, true);

    // 4. Change a column's type.
    t.columns[1].ty = ColumnType::Text;
    m = models(users(), t.clone());
    let out = project.autogenerate(&m, "title as text");
    assert!(
        out.contains("Detected changed column 'todos.title'"),
        "{out}"
    );
    let file = project.newest_file();
    assert!(file.contains("ALTER COLUMN \"title\" TYPE TEXT"), "{file}");
    assert!(file.contains("-- Foreign-Keys: off"), "{file}");
    verify(&project, &mut apps, &m, true);

    // 5. Change nullability.
    let mut u = users();
    u.columns[2].nullable = false;
    m = models(u.clone(), t.clone());
    let out = project.autogenerate(&m, "names required");
    assert!(
        out.contains("Detected changed column 'users.name'"),
        "{out}"
    );
    assert!(project.newest_file().contains("SET NOT NULL"));
    verify(&project, &mut apps, &m, true);

    // 6. Add a foreign key.
    t = t.foreign_key(ForeignKey::new(["user_id"], "users", ["id"]).on_delete(Action::Cascade));
    m = models(u.clone(), t.clone());
    let out = project.autogenerate(&m, "todos belong to users");
    assert!(
        out.contains(
            "Detected added foreign key (user_id) references users (id) on delete CASCADE"
        ),
        "{out}"
    );
    verify(&project, &mut apps, &m, true);

    // 7. Add an index.
    t = t.index(Index::new("todos_by_user", ["user_id", "priority"]));
    m = models(u.clone(), t.clone());
    project.autogenerate(&m, "index todos by user");
    assert!(project
        .newest_file()
        .contains("CREATE INDEX \"todos_by_user\" ON \"todos\" (\"user_id\", \"priority\")"));
    verify(&project, &mut apps, &m, true);

    // 8. Drop a column.
    t.columns.retain(|c| c.name != "description");
    m = models(u, t);
    let out = project.autogenerate(&m, "drop description");
    assert!(
        out.contains("Detected removed column 'todos.description'"),
        "{out}"
    );
    assert!(
        out.contains("WARNING [autogenerate] drops column todos.description and its data"),
        "{out}"
    );
    assert!(project
        .newest_file()
        .contains("-- !! WARNING: drops column todos.description"));
    verify(&project, &mut apps, &m, true);

    assert_eq!(project.chain().revisions().len(), 8);
}

/// The tutorial: a todo table, then soft delete added by autogenerate.
#[test]
fn tutorial_soft_delete_by_autogenerate() {
    if TestDatabase::create().is_none() {
        return;
    }
    let project = Project::new();
    let todo = || {
        Table::new("todos")
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(Column::new("title", ColumnType::Varchar(255)).not_null())
            .column(Column::new("description", ColumnType::Text))
            .column(
                Column::new("is_completed", ColumnType::Boolean)
                    .not_null()
                    .default_sql("false"),
            )
            .column(
                Column::new("created_at", ColumnType::Timestamp)
                    .not_null()
                    .default_now(),
            )
            .primary_key(["id"])
    };
    let first = Schema::new().table(todo());
    project.autogenerate(&first, "create todos table");
    let second =
        Schema::new().table(todo().column(Column::new("deleted_at", ColumnType::Timestamp)));
    let out = project.autogenerate(&second, "add soft delete to todos");
    assert!(
        out.contains("Detected added column 'todos.deleted_at'"),
        "{out}"
    );
    let file = project.newest_file();
    assert!(
        file.contains("-- +upgrade\nALTER TABLE \"todos\" ADD COLUMN \"deleted_at\" TIMESTAMP;"),
        "{file}"
    );
    assert!(
        file.contains("-- +downgrade\nALTER TABLE \"todos\" DROP COLUMN \"deleted_at\";"),
        "{file}"
    );
    // The snapshot was rewritten with the new column.
    let snapshot = std::fs::read_to_string(project.dir.path().join("schema.snapshot")).unwrap();
    assert!(
        snapshot.contains("column deleted_at TIMESTAMP"),
        "{snapshot}"
    );
    // The SQL it will run, and the round trip on both backends.
    let sql = project.db(&second, &["upgrade", "head", "--sql"]);
    assert!(sql.contains("ADD COLUMN \"deleted_at\""), "{sql}");
    let chain = project.chain();
    migrate::round_trip(chain, &mut rusqlite::Connection::open_in_memory().unwrap()).unwrap();
    let pg = TestDatabase::create().unwrap();
    let mut client = pg.connect();
    migrate::round_trip(chain, &mut client).unwrap();
    assert!(migrate::drift(&mut client, &second).unwrap().is_empty());
    assert!(project
        .autogenerate(&second, "nothing")
        .contains("No changes detected"));
    let _ = Path::new("");
}

#[test]
fn renames_when_asked_and_flagged_when_not() {
    if TestDatabase::create().is_none() {
        return;
    }
    let project = Project::new();
    let t = |col: &str| {
        Schema::new().table(
            Table::new("todos")
                .column(Column::new("id", ColumnType::BigInt).identity())
                .column(Column::new(col, ColumnType::Varchar(80)).not_null())
                .primary_key(["id"]),
        )
    };
    project.autogenerate(&t("name"), "create");
    let out = project.db(
        &t("title"),
        &[
            "revision",
            "--autogenerate",
            "-m",
            "rename",
            "--rename",
            "todos.name:title",
        ],
    );
    assert!(
        out.contains("Renaming column 'todos.name' to 'todos.title'"),
        "{out}"
    );
    assert!(project
        .newest_file()
        .contains("RENAME COLUMN \"name\" TO \"title\""));
    let chain = project.chain();
    migrate::round_trip(chain, &mut rusqlite::Connection::open_in_memory().unwrap()).unwrap();
    migrate::round_trip(chain, &mut TestDatabase::create().unwrap().connect()).unwrap();

    let out = project.autogenerate(&t("label"), "guess");
    assert!(
        out.contains("possible rename todos.title → todos.label"),
        "{out}"
    );
    assert!(project
        .newest_file()
        .contains("-- !! WARNING: possible rename todos.title → todos.label"));

    // Doing as the hint says with the drop-and-add revision still there: a clear refusal that
    // says to delete it (it was "no such column" and "please report this").
    let args = [
        "db",
        "--database-url",
        "sqlite::memory:",
        "revision",
        "--autogenerate",
        "-m",
        "rename",
        "--rename",
        "todos.title:label",
    ];
    let parsed = DbArgs::try_parse_from(args).unwrap();
    let err = execute(project.embedded(), &t("label"), &parsed, &mut Vec::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("todos has no column title"), "{err}");
    assert!(err.contains("delete that revision"), "{err}");
    assert!(!err.contains("please report"), "{err}");
    // Deleted: the rename is written.
    std::fs::remove_file(&project.chain().head().file).unwrap();
    let out = project.db(&t("label"), &args[3..]);
    assert!(
        out.contains("Renaming column 'todos.title' to 'todos.label'"),
        "{out}"
    );
    assert!(project
        .newest_file()
        .contains("RENAME COLUMN \"title\" TO \"label\""));
}

#[test]
fn merge_joins_two_heads_into_one_chain() {
    let project = Project::new();
    let none = Schema::new();
    let write = |id: &str, parent: &str, table: &str| {
        Fixture::new(id)
            .revises(parent)
            .slug(table)
            .up(format!("CREATE TABLE {table} (x INTEGER);"))
            .down(format!("DROP TABLE {table};"))
            .write_to(&project.versions());
    };
    write("aaaaaaaaaaaa", "", "base_table");
    write("bbbbbbbbbbbb", "aaaaaaaaaaaa", "from_branch_one");
    write("cccccccccccc", "aaaaaaaaaaaa", "from_branch_two");
    // Two heads: the chain is refused, and so is a plain revision.
    assert!(project.embedded().chain().is_err());
    let parsed = DbArgs::try_parse_from(["db", "revision", "-m", "more"]).unwrap();
    let err = execute(project.embedded(), &none, &parsed, &mut Vec::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("2 heads (bbbbbbbbbbbb, cccccccccccc)"),
        "{err}"
    );

    let out = project.db(&none, &["merge", "-m", "merge heads", "bbb", "ccc"]);
    assert!(out.contains("Generating"), "{out}");
    let chain = project.chain();
    assert_eq!(chain.revisions().len(), 4);
    assert_eq!(chain.parents_of(chain.head()).len(), 2);
    migrate::round_trip(chain, &mut rusqlite::Connection::open_in_memory().unwrap()).unwrap();

    // A merge of something that is not a head is refused.
    let parsed = DbArgs::try_parse_from(["db", "merge", "-m", "x", "aaa", "bbb"]).unwrap();
    let err = execute(project.embedded(), &none, &parsed, &mut Vec::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not a head"), "{err}");
}

#[test]
fn one_dialect_on_request_keeps_a_generic_chain_valid() {
    let project = Project::new();
    // A chain whose sections serve every dialect (an empty folder is none: see
    // one_dialect_on_an_empty_folder_writes_that_dialects_sections_only).
    Fixture::new("aaaaaaaaaaaa")
        .slug("base")
        .up("CREATE TABLE base (x INTEGER);")
        .down("DROP TABLE base;")
        .write_to(&project.versions());
    let m = Schema::new()
        .table(Table::new("base").column(Column::new("x", ColumnType::Integer)))
        .table(
            Table::new("notes")
                .column(Column::new("id", ColumnType::Integer).identity())
                .column(Column::new("body", ColumnType::Text).not_null())
                .primary_key(["id"]),
        );
    project.db(
        &m,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "notes",
            "--dialect",
            "sqlite",
        ],
    );
    let file = project.newest_file();
    assert!(
        file.contains("-- +upgrade\nCREATE TABLE \"notes\""),
        "{file}"
    );
    assert!(file.contains("generated for sqlite only"), "{file}");
    // The chain (sections for every dialect) builds, and stays at the models on SQLite.
    let chain = project.chain();
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    migrate::round_trip(chain, &mut conn).unwrap();
    assert!(migrate::drift(&mut conn, &m).unwrap().is_empty());
}

#[test]
fn one_dialect_is_refused_when_the_chain_has_sections_for_two() {
    let project = Project::new();
    Fixture::new("aaaaaaaaaaaa")
        .slug("t")
        .up_for(Dialect::Sqlite, "CREATE TABLE t (x INTEGER);")
        .up_for(Dialect::Postgres, "CREATE TABLE t (x INT);")
        .down("DROP TABLE t;")
        .write_to(&project.versions());
    let parsed = DbArgs::try_parse_from([
        "db",
        "revision",
        "--autogenerate",
        "-m",
        "x",
        "--dialect",
        "sqlite",
    ])
    .unwrap();
    let err = execute(project.embedded(), &Schema::new(), &parsed, &mut Vec::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the revisions have sections for postgres too"),
        "{err}"
    );
}

#[test]
fn identifiers_that_need_quoting_survive_autogenerate_and_rebuilds() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let mut apps = Apps {
        sqlite: rusqlite::Connection::open_in_memory().unwrap(),
        postgres: (TestDatabase::create().unwrap(), pg.connect()),
    };
    let users = Table::new("user")
        .column(Column::new("id", ColumnType::BigInt).identity())
        .column(Column::new("Display Name", ColumnType::Varchar(80)).not_null())
        .primary_key(["id"]);
    let items = |quoted_type: ColumnType| {
        Table::new("Order Items")
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(
                Column::new("order", ColumnType::Integer)
                    .not_null()
                    .default_sql("1"),
            )
            .column(Column::new("we\"ird", quoted_type))
            .column(Column::new("user", ColumnType::BigInt))
            .primary_key(["id"])
            .unique(["order", "user"])
            .index(Index::new("Order Items by user", ["user"]))
            .foreign_key(ForeignKey::new(["user"], "user", ["id"]).on_delete(Action::SetNull))
            .check("\"order\" > 0")
    };
    let m1 = Schema::new()
        .table(users.clone())
        .table(items(ColumnType::Varchar(10)));
    project.autogenerate(&m1, "create");
    verify_quoting(&project, &mut apps, &m1);
    // A type change: PostgreSQL ALTERs, SQLite rebuilds "Order Items".
    let m2 = Schema::new().table(users).table(items(ColumnType::Text));
    project.autogenerate(&m2, "widen");
    assert!(
        project
            .newest_file()
            .contains("_migrations_new_Order Items"),
        "{}",
        project.newest_file()
    );
    verify_quoting(&project, &mut apps, &m2);
}

fn verify_quoting(project: &Project, apps: &mut Apps, models: &Schema) {
    let chain = project.chain();
    migrate::round_trip(chain, &mut rusqlite::Connection::open_in_memory().unwrap())
        .unwrap_or_else(|p| panic!("sqlite: {p:?}\n{}", project.newest_file()));
    migrate::round_trip(chain, &mut TestDatabase::create().unwrap().connect())
        .unwrap_or_else(|p| panic!("postgres: {p:?}\n{}", project.newest_file()));
    apps.each(|conn, name| {
        let opts = migrations_core::Options::default();
        migrate::upgrade(chain, conn, &migrations_core::Target::Head, &opts)
            .and_then(|_| migrate::check_drift(conn, models, &opts))
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", project.newest_file()));
    });
    assert!(project
        .autogenerate(models, "again")
        .contains("No changes detected"));
}

/// Orders and shapes that broke PostgreSQL SQL in review: each step autogenerated, round-tripped
/// on both backends, booted with data, and at its fixed point.
#[test]
fn hard_orderings_run_on_both_backends() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let mut apps = Apps {
        sqlite: rusqlite::Connection::open_in_memory().unwrap(),
        postgres: (TestDatabase::create().unwrap(), pg.connect()),
    };
    let id = || Column::new("id", ColumnType::BigInt).identity();
    // Tables that reference each other.
    let a = Table::new("a")
        .column(id())
        .column(Column::new("b_id", ColumnType::BigInt))
        .primary_key(["id"])
        .foreign_key(ForeignKey::new(["b_id"], "b", ["id"]));
    let b = Table::new("b")
        .column(id())
        .column(Column::new("a_id", ColumnType::BigInt))
        .primary_key(["id"])
        .foreign_key(ForeignKey::new(["a_id"], "a", ["id"]))
        .column(
            Column::new("flag", ColumnType::Boolean)
                .not_null()
                .default_sql("false"),
        );
    let m1 = Schema::new().table(a.clone()).table(b.clone());
    project.autogenerate(&m1, "cycle");
    verify_quoting(&project, &mut apps, &m1);

    // A new table referencing a column and unique constraint added in the same revision; a
    // type change on a column with a default.
    let mut b2 = b
        .clone()
        .column(Column::new("code", ColumnType::Varchar(20)))
        .unique(["code"]);
    b2.columns.iter_mut().find(|c| c.name == "flag").unwrap().ty = ColumnType::Integer;
    b2.columns
        .iter_mut()
        .find(|c| c.name == "flag")
        .unwrap()
        .default = Some("0".into());
    let orders = Table::new("orders")
        .column(id())
        .column(Column::new("b_code", ColumnType::Varchar(20)))
        .primary_key(["id"])
        .foreign_key(ForeignKey::new(["b_code"], "b", ["code"]));
    let c = Table::new("c")
        .column(id())
        .column(Column::new("k", ColumnType::Integer).not_null())
        .primary_key(["id"]);
    let m2 = Schema::new()
        .table(a.clone())
        .table(b2.clone())
        .table(orders)
        .table(c);
    project.autogenerate(&m2, "orders by code");
    verify_quoting(&project, &mut apps, &m2);

    // Drop the referencing table and the unique constraint it needed; move a primary key to
    // another column while dropping the old key column.
    let mut b3 = b.clone();
    b3.columns.iter_mut().find(|c| c.name == "flag").unwrap().ty = ColumnType::Integer;
    b3.columns
        .iter_mut()
        .find(|c| c.name == "flag")
        .unwrap()
        .default = Some("0".into());
    let c3 = Table::new("c")
        .column(Column::new("k", ColumnType::Integer).not_null())
        .primary_key(["k"]);
    let m3 = Schema::new().table(a).table(b3).table(c3);
    project.autogenerate(&m3, "drop orders, wider key");
    verify_quoting(&project, &mut apps, &m3);
}

#[test]
fn a_sqlite_rebuild_with_a_rename_keeps_the_data() {
    let project = Project::new();
    let t = |col: &str, ty: ColumnType| {
        Schema::new().table(
            Table::new("todos")
                .column(Column::new("id", ColumnType::Integer).identity())
                .column(Column::new(col, ty))
                .primary_key(["id"]),
        )
    };
    project.db(
        &t("name", ColumnType::Varchar(10)),
        &[
            "revision",
            "--autogenerate",
            "-m",
            "create",
            "--dialect",
            "sqlite",
        ],
    );
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    migrate::apply_quietly(project.chain(), &mut conn).unwrap();
    conn.execute("INSERT INTO todos (name) VALUES ('buy milk')", [])
        .unwrap();
    project.db(
        &t("title", ColumnType::Text),
        &[
            "revision",
            "--autogenerate",
            "-m",
            "rename and retype",
            "--rename",
            "todos.name:title",
            "--dialect",
            "sqlite",
        ],
    );
    migrate::apply_quietly(project.chain(), &mut conn).unwrap();
    let title: String = conn
        .query_row("SELECT title FROM todos", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "buy milk", "{}", project.newest_file());
    migrate::round_trip(
        project.chain(),
        &mut rusqlite::Connection::open_in_memory().unwrap(),
    )
    .unwrap();
}

/// A project whose one revision, with sections for `dialect` only, creates `t (x)`; and models
/// that add `t.y`.
fn single_dialect_project(dialect: &str) -> (Project, Schema) {
    let project = Project::new();
    let dialect = Dialect::from_name(dialect).expect("a dialect");
    Fixture::new("aaaaaaaaaaaa")
        .slug("t")
        .up_for(dialect, "CREATE TABLE t (x INTEGER);")
        .down_for(dialect, "DROP TABLE t;")
        .write_to(&project.versions());
    let m = Schema::new().table(
        Table::new("t")
            .column(Column::new("x", ColumnType::Integer))
            .column(Column::new("y", ColumnType::Text)),
    );
    (project, m)
}

#[test]
fn a_sqlite_only_chain_gets_sqlite_sections() {
    let (project, m) = single_dialect_project("sqlite");
    project.autogenerate(&m, "add y");
    let file = project.newest_file();
    assert!(
        file.contains("-- +upgrade sqlite\nALTER TABLE \"t\" ADD COLUMN \"y\" TEXT;"),
        "{file}"
    );
    migrate::round_trip(
        project.chain(),
        &mut rusqlite::Connection::open_in_memory().unwrap(),
    )
    .unwrap();
}

#[test]
fn a_postgres_only_chain_autogenerates_with_a_postgresql_snapshot() {
    if TestDatabase::create().is_none() {
        return;
    }
    let (project, m) = single_dialect_project("postgres");
    let out = project.autogenerate(&m, "add y");
    assert!(out.contains("Updated"), "{out}");
    let file = project.newest_file();
    assert!(file.contains("-- +upgrade postgres\n"), "{file}");
    assert!(!file.contains("-- +upgrade sqlite"), "{file}");
    // The snapshot is read on PostgreSQL, and is the one the chain gives there.
    let path = project.dir.path().join("schema.snapshot");
    let snapshot = std::fs::read_to_string(&path).unwrap();
    assert!(
        snapshot.contains("as PostgreSQL reports it") && snapshot.contains("column y TEXT"),
        "{snapshot}"
    );
    migrations_core::testing::assert_snapshot_current(project.embedded());
    std::fs::remove_file(&path).unwrap();
    project.db(&m, &["snapshot"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), snapshot);
    assert!(project
        .autogenerate(&m, "again")
        .contains("No changes detected"));
}

/// Autogenerate with models `dialect` refuses: the database's own error, `expected`, is
/// reported and nothing is written.
fn assert_refused_and_nothing_written(
    project: &Project,
    models: &Schema,
    dialect: migrations_core::Dialect,
    url: &str,
    expected: &str,
) {
    let files = || std::fs::read_dir(project.versions()).unwrap().count();
    let before = files();
    let parsed = DbArgs::try_parse_from([
        "db",
        "--database-url",
        url,
        "revision",
        "--autogenerate",
        "-m",
        "refused",
    ])
    .unwrap();
    let err = execute(project.embedded(), models, &parsed, &mut Vec::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("the models do not build on {dialect}")) && err.contains(expected),
        "{err}"
    );
    assert_eq!(files(), before);
    assert!(!project.dir.path().join("schema.snapshot").exists());
}

/// On SQLite: a check on a column that does not exist, which the prediction (reading only the
/// DDL) predicts all the same: the new revision fails on the scratch database, autogenerate
/// starts over with the models built, and SQLite's error is reported. The drift check reports
/// the same error.
#[test]
fn models_sqlite_refuses_are_reported_as_such_and_nothing_is_written() {
    let (project, mut m) = single_dialect_project("sqlite");
    m.tables
        .get_mut("t")
        .unwrap()
        .checks
        .push(migrations_core::schema::Check {
            name: None,
            expr: "missing > 0".into(),
        });
    assert!(migrate::predicted_as_built(migrations_core::Dialect::Sqlite, &m).is_some());
    let refusal = "no such column: missing";
    assert_refused_and_nothing_written(
        &project,
        &m,
        migrations_core::Dialect::Sqlite,
        "sqlite::memory:",
        refusal,
    );
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    migrate::apply_quietly(project.chain(), &mut conn).unwrap();
    let err = migrate::drift(&mut conn, &m).unwrap_err().to_string();
    assert!(
        err.contains("the models do not build on sqlite") && err.contains(refusal),
        "{err}"
    );
}

/// On PostgreSQL: a table of 1,601 columns (PostgreSQL takes 1,600 at most; the prediction
/// declines it, so the models are built and PostgreSQL says why).
#[test]
fn models_postgres_refuses_are_reported_as_such_and_nothing_is_written() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let (project, m) = single_dialect_project("postgres");
    let wide = (0..1601).fold(Table::new("wide"), |t, i| {
        t.column(Column::new(format!("c{i}"), ColumnType::Integer))
    });
    let m = m.table(wide);
    assert!(migrate::predicted_as_built(migrations_core::Dialect::Postgres, &m).is_none());
    assert_refused_and_nothing_written(
        &project,
        &m,
        migrations_core::Dialect::Postgres,
        &db.url,
        "at most 1600 columns",
    );
}

/// Checks added to an existing PostgreSQL table, one on a single column and one on two (which
/// PostgreSQL names differently, `t_x_check` and `t_check`), twice on one column
/// (`t_x_check1`): the revision's downgrade drops each by the name PostgreSQL gave it, so
/// the chain round-trips.
#[test]
fn added_checks_are_dropped_by_their_names() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let (project, m) = single_dialect_project("postgres");
    let m = Schema::new().table(
        m.tables["t"]
            .clone()
            .check("x > 0")
            .check("x < 100")
            .check("x > 0 AND y <> ''"),
    );
    assert!(migrate::predicted_as_built(migrations_core::Dialect::Postgres, &m).is_some());
    project.autogenerate(&m, "checks");
    let file = project.newest_file();
    for name in ["t_x_check", "t_x_check1", "t_check"] {
        assert!(
            file.contains(&format!("DROP CONSTRAINT \"{name}\"")),
            "{file}"
        );
    }
    migrate::round_trip(project.chain(), &mut db.connect())
        .unwrap_or_else(|p| panic!("{p:?}\n{file}"));
}

/// Identity added to a PostgreSQL column that already holds rows: the sequence starts past
/// them, so the next insert does not collide. And columns that replace others are added before
/// the others are dropped (a data step written between them finds both).
#[test]
fn identity_on_a_filled_column_and_add_before_drop_on_postgres() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let mut app = pg.connect();
    let table = |id: Column, names: &[&str]| {
        names
            .iter()
            .fold(Table::new("people").column(id), |t, n| {
                t.column(Column::new(*n, ColumnType::Text))
            })
            .primary_key(["id"])
    };
    let plain = || Column::new("id", ColumnType::Integer).not_null();
    let m1 = Schema::new().table(table(plain(), &["first_name", "last_name"]));
    project.autogenerate(&m1, "people");
    let opts = migrations_core::Options::default();
    let head = migrations_core::Target::Head;
    migrate::upgrade(project.chain(), &mut app, &head, &opts).unwrap();
    app.batch_execute("INSERT INTO people (id, first_name) VALUES (1, 'a'), (2, 'b'), (7, 'c')")
        .unwrap();

    let m2 = Schema::new().table(table(plain().identity(), &["full_name"]));
    project.autogenerate(&m2, "identity and full name");
    let file = project.newest_file();
    let pg_section = file
        .split("-- +upgrade postgres")
        .nth(1)
        .map(|s| s.split("-- +").next().unwrap_or(s))
        .unwrap_or(&file);
    let add = pg_section.find("ADD COLUMN \"full_name\"").expect(&file);
    let drop = pg_section.find("DROP COLUMN \"first_name\"").expect(&file);
    assert!(add < drop, "drops before the add:\n{file}");
    migrate::upgrade(project.chain(), &mut app, &head, &opts).unwrap();
    migrate::check_drift(&mut app, &m2, &opts).unwrap();
    let id: i32 = app
        .query_one(
            "INSERT INTO people (full_name) VALUES ('d') RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(id, 8, "{file}");
    migrate::round_trip(
        project.chain(),
        &mut TestDatabase::create().unwrap().connect(),
    )
    .unwrap_or_else(|p| panic!("{p:?}\n{file}"));
}

/// A table and a column renamed only in case (`Accounts` → `accounts`): SQLite takes both for
/// the same name and refuses the plain rename; the revision renames through a name of its own,
/// and both dialects' sections run.
#[test]
fn a_case_only_rename_runs_on_both_backends() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let t = |table: &str, col: &str| {
        Schema::new().table(
            Table::new(table)
                .column(Column::new("id", ColumnType::BigInt).identity())
                .column(Column::new(col, ColumnType::Text))
                .primary_key(["id"]),
        )
    };
    project.autogenerate(&t("Accounts", "Name"), "create");
    let renamed = t("accounts", "name");
    let out = project.db(
        &renamed,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "lower case",
            "--rename",
            "Accounts:accounts",
            "--rename",
            "accounts.Name:name",
        ],
    );
    assert!(!out.contains("please report"), "{out}");
    let file = project.newest_file();
    assert!(file.contains("__renaming"), "{file}");
    let chain = project.chain();
    migrate::round_trip(chain, &mut rusqlite::Connection::open_in_memory().unwrap())
        .unwrap_or_else(|p| panic!("{p:?}\n{file}"));
    migrate::round_trip(chain, &mut pg.connect()).unwrap_or_else(|p| panic!("{p:?}\n{file}"));
    let mut sqlite = rusqlite::Connection::open_in_memory().unwrap();
    let opts = migrations_core::Options::default();
    migrate::upgrade(chain, &mut sqlite, &migrations_core::Target::Head, &opts).unwrap();
    migrate::check_drift(&mut sqlite, &renamed, &opts).unwrap();
}

/// A SQLite rebuild of a table that another table's trigger mentions: the trigger is dropped
/// before the rebuild and made again after it, as SQLite's 12-step procedure asks.
#[test]
fn a_sqlite_rebuild_keeps_other_tables_triggers_that_mention_it() {
    if TestDatabase::create().is_none() {
        return;
    }
    let project = Project::new();
    let models = |title: ColumnType| {
        Schema::new()
            .table(
                Table::new("parent")
                    .column(Column::new("id", ColumnType::BigInt).identity())
                    .column(Column::new("title", title))
                    .column(Column::new("touched", ColumnType::Integer))
                    .primary_key(["id"]),
            )
            .table(
                Table::new("child")
                    .column(Column::new("id", ColumnType::BigInt).identity())
                    .column(Column::new("parent_id", ColumnType::BigInt))
                    .primary_key(["id"]),
            )
    };
    project.autogenerate(&models(ColumnType::Text), "tables");
    project.db(&models(ColumnType::Text), &["revision", "-m", "trigger"]);
    let path = project.chain().head().file.clone();
    let blank = std::fs::read_to_string(&path).unwrap();
    let header = blank.split("-- +upgrade").next().unwrap();
    std::fs::write(
        &path,
        format!(
            "{header}-- +upgrade sqlite\nCREATE TRIGGER child_touch AFTER INSERT ON child BEGIN UPDATE parent SET touched = 1 WHERE id = NEW.parent_id; END;\n\n-- +downgrade sqlite\nDROP TRIGGER child_touch;\n\n-- +upgrade postgres\nSELECT 1;\n\n-- +downgrade postgres\nSELECT 1;\n"
        ),
    )
    .unwrap();
    // A type change SQLite makes by rebuilding `parent`.
    project.autogenerate(&models(ColumnType::Integer), "retype");
    let file = project.newest_file();
    assert!(
        file.contains("DROP TRIGGER IF EXISTS \"child_touch\""),
        "{file}"
    );
    let chain = project.chain();
    let mut sqlite = rusqlite::Connection::open_in_memory().unwrap();
    migrate::round_trip(chain, &mut sqlite).unwrap_or_else(|p| panic!("{p:?}\n{file}"));
    let schema = sqlite.introspect().unwrap();
    assert!(schema.triggers.contains_key("child.child_touch"), "{file}");
}

/// SQLite rebuilds and AUTOINCREMENT: a plain `Integer` primary key is rebuilt without it (no
/// `sqlite_sequence` row appears), and an identity's counter survives the rebuild, so an id
/// deleted before it is never handed out again.
#[test]
fn a_sqlite_rebuild_keeps_autoincrement_as_it_was_and_its_counter() {
    if TestDatabase::create().is_none() {
        return;
    }
    let project = Project::new();
    let models = |title: ColumnType| {
        let t = |name: &str, id: Column| {
            Table::new(name)
                .column(id)
                .column(Column::new("title", title.clone()))
                .primary_key(["id"])
        };
        Schema::new()
            .table(t(
                "plain",
                Column::new("id", ColumnType::Integer).not_null(),
            ))
            .table(t(
                "counted",
                Column::new("id", ColumnType::Integer).identity(),
            ))
    };
    project.autogenerate(&models(ColumnType::Text), "tables");
    let mut app = rusqlite::Connection::open_in_memory().unwrap();
    let opts = migrations_core::Options::default();
    let head = migrations_core::Target::Head;
    migrate::upgrade(project.chain(), &mut app, &head, &opts).unwrap();
    app.execute_batch(
        "INSERT INTO counted (title) VALUES ('a'), ('b'), ('c');
         DELETE FROM counted WHERE id = 3;
         INSERT INTO plain (id, title) VALUES (1, 'x');",
    )
    .unwrap();

    project.autogenerate(&models(ColumnType::Varchar(80)), "retype");
    let file = project.newest_file();
    let plain = file
        .lines()
        .skip_while(|l| !l.starts_with("CREATE TABLE \"_migrations_new_plain\""))
        .take_while(|l| !l.starts_with(')'))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!plain.is_empty(), "{file}");
    assert!(!plain.contains("AUTOINCREMENT"), "{file}");
    migrate::upgrade(project.chain(), &mut app, &head, &opts).unwrap();
    migrate::check_drift(&mut app, &models(ColumnType::Varchar(80)), &opts).unwrap();
    let id: i64 = app
        .query_row(
            "INSERT INTO counted (title) VALUES ('d') RETURNING id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(id, 4, "a deleted id was handed out again\n{file}");
    let plain_counter: i64 = app
        .query_row(
            "SELECT count(*) FROM sqlite_sequence WHERE name = 'plain'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(plain_counter, 0, "{file}");
    migrate::round_trip(
        project.chain(),
        &mut rusqlite::Connection::open_in_memory().unwrap(),
    )
    .unwrap_or_else(|p| panic!("{p:?}\n{file}"));
}

/// `--dialect postgres` on an empty folder: the first revision has PostgreSQL sections only (a
/// PostgreSQL default is never run on SQLite), and the chain then serves PostgreSQL only.
#[test]
fn one_dialect_on_an_empty_folder_writes_that_dialects_sections_only() {
    if TestDatabase::create().is_none() {
        return;
    }
    let project = Project::new();
    let m = Schema::new().table(
        Table::new("greetings")
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(
                Column::new("word", ColumnType::Varchar(20)).default_sql("'hi'::character varying"),
            )
            .primary_key(["id"]),
    );
    let out = project.db(
        &m,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "first",
            "--dialect",
            "postgres",
        ],
    );
    assert!(!out.contains("please report"), "{out}");
    let file = project.newest_file();
    assert!(file.contains("-- +upgrade postgres\n"), "{file}");
    assert!(!file.contains("-- +upgrade\n"), "{file}");
    assert!(!file.contains("sqlite"), "{file}");
    assert_eq!(project.chain().dialects(), [Dialect::Postgres]);
    migrate::round_trip(
        project.chain(),
        &mut TestDatabase::create().unwrap().connect(),
    )
    .unwrap_or_else(|p| panic!("{p:?}\n{file}"));
}

/// Index entries with an order: a descending entry is created, turned ascending, and kept
/// through a column rename, each revision run up/down on both backends and checked against
/// the models; on a PostgreSQL-only chain an entry may also carry `NULLS FIRST` and a
/// collation.
#[test]
fn sorted_index_entries_autogenerate_on_both_backends() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let t = |name: &str, first: &str| {
        Schema::new().table(
            Table::new("events")
                .column(Column::new("id", ColumnType::BigInt).identity())
                .column(Column::new(name, ColumnType::Varchar(100)))
                .primary_key(["id"])
                .index(Index::new("events_recent", [first, "id"])),
        )
    };
    let check = |models: &Schema| assert_runs_on_both(&project, &pg, models);

    let desc = t("name", "name DESC");
    project.autogenerate(&desc, "create");
    let file = check(&desc);
    assert!(
        file.contains("CREATE INDEX \"events_recent\" ON \"events\" (\"name\" DESC, \"id\")"),
        "{file}"
    );

    let asc = t("name", "name");
    let out = project.autogenerate(&asc, "ascending");
    assert!(out.contains("events_recent"), "{out}");
    let file = check(&asc);
    assert!(file.contains("(\"name\", \"id\")"), "{file}");

    let renamed = t("title", "title DESC");
    project.db(
        &renamed,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "rename",
            "--rename",
            "events.name:title",
        ],
    );
    let file = check(&renamed);
    assert!(file.contains("RENAME COLUMN"), "{file}");
}

/// The newest revision: the chain round-trips on fresh databases of both backends, upgrades
/// them to the models with no drift and downgrades to base, and a second autogenerate finds
/// nothing. Returns the newest file.
#[track_caller]
fn assert_runs_on_both(project: &Project, pg: &TestDatabase, models: &Schema) -> String {
    let file = project.newest_file();
    let chain = project.chain();
    migrate::round_trip(chain, &mut rusqlite::Connection::open_in_memory().unwrap())
        .unwrap_or_else(|p| panic!("{p:?}\n{file}"));
    let fresh = TestDatabase::create().unwrap();
    migrate::round_trip(chain, &mut fresh.connect()).unwrap_or_else(|p| panic!("{p:?}\n{file}"));
    let opts = migrations_core::Options::default();
    let mut sqlite = rusqlite::Connection::open_in_memory().unwrap();
    let mut postgres = pg.connect();
    for conn in [&mut sqlite as &mut dyn Driver, &mut postgres] {
        migrate::upgrade(chain, conn, &migrations_core::Target::Head, &opts).unwrap();
        migrate::check_drift(conn, models, &opts).unwrap_or_else(|e| panic!("{e}\n{file}"));
        migrate::downgrade(chain, conn, &migrations_core::Target::Base, &opts).unwrap();
    }
    let again = project.autogenerate(models, "again");
    assert!(again.contains("No changes detected"), "{again}\n{file}");
    file
}

/// On PostgreSQL an entry may say where its nulls go and which collation it sorts by; a
/// `NULLS` clause that is the direction's default is no difference.
#[test]
fn nulls_and_collations_of_index_entries_on_postgres() {
    if TestDatabase::create().is_none() {
        return;
    }
    let (project, _) = single_dialect_project("postgres");
    let m = |entries: [&str; 2]| {
        Schema::new().table(
            Table::new("t")
                .column(Column::new("x", ColumnType::Integer))
                .column(Column::new("y", ColumnType::Text))
                .index(Index::new("t_xy", entries)),
        )
    };
    let first = m(["x NULLS FIRST", "y COLLATE \"C\" DESC"]);
    project.autogenerate(&first, "nulls first");
    let file = project.newest_file();
    assert!(
        file.contains("(\"x\" NULLS FIRST, \"y\" COLLATE \"C\" DESC)"),
        "{file}"
    );
    assert!(project
        .autogenerate(&first, "again")
        .contains("No changes detected"));
    // The defaults spelled out are the same index.
    let spelled = m(["x ASC NULLS FIRST", "y COLLATE \"C\" DESC NULLS FIRST"]);
    assert!(project
        .autogenerate(&spelled, "again")
        .contains("No changes detected"));
    // NULLS LAST ascending is the default: a change from NULLS FIRST.
    let last = m(["x NULLS LAST", "y COLLATE \"C\" DESC"]);
    let out = project.autogenerate(&last, "nulls last");
    assert!(out.contains("t_xy"), "{out}");
    let fresh = TestDatabase::create().unwrap();
    let mut conn = fresh.connect();
    let opts = migrations_core::Options::default();
    migrate::upgrade(
        project.chain(),
        &mut conn,
        &migrations_core::Target::Head,
        &opts,
    )
    .unwrap();
    migrate::check_drift(&mut conn, &last, &opts).unwrap();
    let err = migrate::check_drift(&mut conn, &first, &opts)
        .unwrap_err()
        .to_string();
    assert!(err.contains("x NULLS FIRST"), "{err}");
}

/// SQLite has no `NULLS FIRST|LAST` in an index: models that say it are refused with SQLite's
/// own words, and nothing is written.
#[test]
fn nulls_in_an_index_entry_are_refused_on_sqlite() {
    let (project, m) = single_dialect_project("sqlite");
    let m = m.table(
        Table::new("u")
            .column(Column::new("x", ColumnType::Integer))
            .index(Index::new("u_x", ["x DESC NULLS FIRST"])),
    );
    assert_refused_and_nothing_written(
        &project,
        &m,
        migrations_core::Dialect::Sqlite,
        "sqlite::memory:",
        "unsupported use of NULLS",
    );
}

impl Project {
    /// `db revision --autogenerate --concurrently -m message`.
    fn autogenerate_concurrently(&self, models: &Schema, message: &str) -> String {
        let out = self.db(
            models,
            &[
                "revision",
                "--autogenerate",
                "--concurrently",
                "-m",
                message,
            ],
        );
        assert!(!out.contains("please report"), "{out}");
        out
    }

    /// The files of the revisions not in `before`, in chain order.
    fn new_files(&self, before: &[String]) -> Vec<String> {
        self.chain()
            .revisions()
            .iter()
            .filter(|r| !before.contains(&r.id))
            .map(|r| std::fs::read_to_string(&r.file).unwrap())
            .collect()
    }

    fn ids(&self) -> Vec<String> {
        self.chain()
            .revisions()
            .iter()
            .map(|r| r.id.clone())
            .collect()
    }

    /// Fails unless the build's checks pass: its round trip on SQLite, and no lint finding in a
    /// revision not in `before`.
    fn assert_builds_clean(&self, before: &[String]) {
        let chain = self.chain();
        migrations_core::migrate::partitioned::Partitioned::default()
            .round_trip(chain)
            .unwrap_or_else(|p| panic!("the build's round trip: {p:?}"));
        let found: Vec<String> = migrations_core::lint::lint(chain)
            .iter()
            .filter(|f| {
                chain
                    .revisions()
                    .iter()
                    .any(|r| r.file == f.file && !before.contains(&r.id))
            })
            .map(|f| f.to_string())
            .collect();
        assert!(
            found.is_empty(),
            "{found:#?}\n{:#?}",
            self.new_files(before)
        );
    }
}

/// Users and todos with a row each, on both backends, at the first revision.
fn users_and_todos_with_rows() -> Option<(Project, Apps)> {
    let pg = TestDatabase::create()?;
    let client = pg.connect();
    let project = Project::new();
    let mut apps = Apps {
        sqlite: rusqlite::Connection::open_in_memory().unwrap(),
        postgres: (pg, client),
    };
    let m = models(users(), todos());
    project.autogenerate(&m, "create users and todos");
    verify(&project, &mut apps, &m, false);
    apps.each(|conn, _| {
        conn.run_sql("INSERT INTO users (email, name) VALUES ('a@example.com', 'A')")
            .unwrap();
        conn.run_sql("INSERT INTO todos (title, user_id) VALUES ('first', 1)")
            .unwrap();
    });
    Some((project, apps))
}

#[test]
fn indexes_on_existing_tables_are_built_concurrently_when_asked() {
    let Some((project, mut apps)) = users_and_todos_with_rows() else {
        return;
    };
    let before = project.ids();
    let t = todos()
        .index(Index::new("todos_title", ["title"]))
        .index(Index::new("todos_user_title_lower", ["user_id", "lower(title)"]).unique());
    let m = models(users(), t.clone());

    // Without the option: plain, and a hint that says how not to block writes.
    let out = project.autogenerate(&m, "index todos");
    assert!(
        out.contains("blocks writes to the existing table todos")
            && out.contains("run again with --concurrently"),
        "{out}"
    );
    std::fs::remove_file(&project.chain().head().file).unwrap();

    let out = project.autogenerate_concurrently(&m, "index todos");
    assert!(out.contains("Detected added index"), "{out}");
    let file = project.newest_file();
    assert!(file.contains("\n-- Transaction: none\n"), "{file}");
    for expected in [
        "-- +upgrade postgres\nCREATE INDEX CONCURRENTLY \"todos_title\" ON \"todos\" (\"title\");\n\
         CREATE UNIQUE INDEX CONCURRENTLY \"todos_user_title_lower\"",
        "-- +downgrade postgres\nDROP INDEX CONCURRENTLY \"todos_title\";\n\
         DROP INDEX CONCURRENTLY \"todos_user_title_lower\";\n",
        "-- +upgrade sqlite\nCREATE INDEX \"todos_title\" ON \"todos\" (\"title\");\n",
    ] {
        assert!(file.contains(expected), "{expected}\n---\n{file}");
    }
    assert_eq!(project.new_files(&before).len(), 1);
    project.assert_builds_clean(&before);
    verify(&project, &mut apps, &m, true);

    // Dropping an index of an existing table: concurrently too, and back.
    let before = project.ids();
    let mut u = users();
    u.indexes.clear();
    let m = models(u, t);
    project.autogenerate_concurrently(&m, "drop users_name");
    let file = project.newest_file();
    assert!(
        file.contains("\n-- Transaction: none\n")
            && file.contains("-- +upgrade postgres\nDROP INDEX CONCURRENTLY \"users_name\";\n")
            && file.contains(
                "-- +downgrade postgres\nCREATE INDEX CONCURRENTLY \"users_name\" ON \"users\" (\"name\");\n"
            ),
        "{file}"
    );
    project.assert_builds_clean(&before);
    verify(&project, &mut apps, &m, true);
}

#[test]
fn other_changes_go_first_and_the_busy_indexes_in_a_revision_of_their_own() {
    let Some((project, mut apps)) = users_and_todos_with_rows() else {
        return;
    };
    let before = project.ids();
    // A new column of an existing table and its index; a new table and its index.
    let t = todos()
        .column(Column::new("due", ColumnType::Timestamp))
        .index(Index::new("todos_due", ["due"]));
    let tags = Table::new("tags")
        .column(Column::new("id", ColumnType::BigInt).identity())
        .column(Column::new("label", ColumnType::Text).not_null())
        .primary_key(["id"])
        .index(Index::new("tags_label", ["label"]));
    let m = models(users(), t).table(tags);
    let out = project.autogenerate_concurrently(&m, "due dates and tags");
    assert_eq!(out.matches("Generating ").count(), 2, "{out}");
    assert!(out.contains("Review both files"), "{out}");
    let files = project.new_files(&before);
    assert_eq!(files.len(), 2, "{files:#?}");
    let (first, second) = (&files[0], &files[1]);
    // The other changes, in a transaction; the new table's index plain, with it.
    assert!(!first.contains("Transaction: none"), "{first}");
    assert!(first.contains("ADD COLUMN \"due\""), "{first}");
    assert!(
        first.contains("CREATE INDEX \"tags_label\" ON \"tags\" (\"label\")"),
        "{first}"
    );
    assert!(!first.contains("todos_due"), "{first}");
    // Then the index of the existing table, concurrently, revising the first.
    let first_id = first
        .lines()
        .find_map(|l| l.strip_prefix("-- Revision: "))
        .unwrap();
    assert!(
        second.contains(&format!("-- Revises: {first_id}\n"))
            && second.contains("\n-- Transaction: none\n")
            && second.contains(
                "-- +upgrade postgres\nCREATE INDEX CONCURRENTLY \"todos_due\" ON \"todos\" (\"due\");\n"
            )
            && !second.contains("\"tags"),
        "{second}"
    );
    assert_eq!(project.chain().head().revises, [first_id]);
    assert!(second.contains(&format!("-- Revision: {}\n", project.chain().head().id)));
    project.assert_builds_clean(&before);
    verify(&project, &mut apps, &m, true);
}

#[test]
fn concurrently_changes_nothing_on_a_sqlite_only_chain() {
    let (project, _) = single_dialect_project("sqlite");
    let m = Schema::new().table(
        Table::new("t")
            .column(Column::new("x", ColumnType::Integer))
            .index(Index::new("t_x", ["x"])),
    );
    let err = project.refused(&m, &["revision", "--concurrently", "-m", "x"]);
    assert!(
        err.contains("--concurrently") && err.contains("goes with `--autogenerate`"),
        "{err}"
    );
    let out = project.autogenerate_concurrently(&m, "index x");
    assert!(
        out.contains("--concurrently changes nothing here: no PostgreSQL SQL is generated"),
        "{out}"
    );
    let file = project.newest_file();
    assert!(
        !file.contains("Transaction: none")
            && file.contains("-- +upgrade sqlite\nCREATE INDEX \"t_x\" ON \"t\" (\"x\");"),
        "{file}"
    );
    migrate::round_trip(
        project.chain(),
        &mut rusqlite::Connection::open_in_memory().unwrap(),
    )
    .unwrap();
}

#[test]
fn concurrently_on_a_chain_of_shared_sections() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    Fixture::new("aaaaaaaaaaaa")
        .slug("base")
        .up("CREATE TABLE base (x INTEGER);")
        .down("DROP TABLE base;")
        .write_to(&project.versions());
    let m = Schema::new().table(
        Table::new("base")
            .column(Column::new("x", ColumnType::Integer))
            .index(Index::new("base_x", ["x"])),
    );
    // For PostgreSQL only, the shared section would be SQLite's too: refused, nothing written.
    let err = project.refused(
        &m,
        &[
            "revision",
            "--autogenerate",
            "--concurrently",
            "--dialect",
            "postgres",
            "-m",
            "index x",
        ],
    );
    assert!(
        err.contains("--concurrently") && err.contains("run without --dialect"),
        "{err}"
    );
    assert_eq!(project.ids(), ["aaaaaaaaaaaa"]);
    // For every dialect: sections of their own, and the chain still serves both.
    project.autogenerate_concurrently(&m, "index x");
    let file = project.newest_file();
    assert!(
        file.contains("-- +upgrade postgres\nCREATE INDEX CONCURRENTLY \"base_x\"")
            && file.contains("-- +upgrade sqlite\nCREATE INDEX \"base_x\""),
        "{file}"
    );
    let chain = project.chain();
    assert_eq!(chain.dialects(), Dialect::ALL);
    project.assert_builds_clean(&["aaaaaaaaaaaa".to_string()]);
    migrate::round_trip(chain, &mut rusqlite::Connection::open_in_memory().unwrap()).unwrap();
    migrate::round_trip(chain, &mut pg.connect()).unwrap();
}

/// Views through autogenerate, on both backends: made after their tables and each after the
/// view it reads; a view that reads a table that changes is dropped first and made again last
/// (PostgreSQL refuses to drop a column a view reads; SQLite to rebuild a table under one).
#[test]
fn views_autogenerate_on_both_backends() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let views = |m: Schema, open: &str| {
        m.view(View::new("open_todos", open)).view(View::new(
            "busy_users",
            "SELECT user_id, count(*) AS n FROM open_todos GROUP BY user_id",
        ))
    };
    let first = views(
        models(users(), todos()),
        "SELECT id, title, user_id FROM todos WHERE user_id IS NOT NULL",
    );
    let out = project.autogenerate(&first, "create");
    assert!(out.contains("Detected added view 'busy_users'"), "{out}");
    let file = assert_runs_on_both(&project, &pg, &first);
    let open = file
        .find("CREATE VIEW \"open_todos\"")
        .expect("open_todos made");
    let busy = file
        .find("CREATE VIEW \"busy_users\"")
        .expect("busy_users made");
    assert!(
        open < busy && file.find("CREATE TABLE \"todos\"").unwrap() < open,
        "{file}"
    );

    // The view changes, and a column it reads changes type: both views go first, come last.
    let mut t = todos();
    t.columns.iter_mut().find(|c| c.name == "title").unwrap().ty = ColumnType::Text;
    let second = views(
        models(users(), t.clone()),
        "SELECT id, title, user_id FROM todos WHERE user_id IS NOT NULL AND title <> ''",
    );
    let out = project.autogenerate(&second, "views change");
    assert!(out.contains("Detected changed view 'open_todos'"), "{out}");
    assert!(out.contains("Re-creating view 'busy_users'"), "{out}");
    let file = assert_runs_on_both(&project, &pg, &second);
    let upgrade = &file[..file.find("-- +downgrade").unwrap()];
    assert!(
        upgrade.find("DROP VIEW \"busy_users\"").unwrap()
            < upgrade.find("DROP VIEW \"open_todos\"").unwrap(),
        "{file}"
    );

    // A renamed table: the views that read it are made again, reading it by its new name.
    let mut renamed = t;
    renamed.name = "tasks".into();
    let third = views(
        models(users(), renamed),
        "SELECT id, title, user_id FROM tasks WHERE user_id IS NOT NULL AND title <> ''",
    );
    project.db(
        &third,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "rename",
            "--rename",
            "todos:tasks",
        ],
    );
    assert_runs_on_both(&project, &pg, &third);

    // Views no longer in the models are dropped, dependants first.
    let mut none = third.clone().manage(migrations_core::schema::Kind::View);
    none.views.clear();
    let out = project.autogenerate(&none, "no views");
    assert!(out.contains("Detected removed view 'open_todos'"), "{out}");
    assert_runs_on_both(&project, &pg, &none);
}

/// Enum types through autogenerate: made before the tables that use them; a label appended is
/// `ALTER TYPE … ADD VALUE`; a label removed makes the type again and converts its columns
/// (and the views that read them) — on PostgreSQL. The chain serves SQLite too, where the
/// column is of that declared type and the type itself is not built.
#[test]
fn enum_types_autogenerate_on_both_backends() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let people = |labels: &[&str]| {
        Schema::new()
            .enum_type(EnumType::new("mood", labels.iter().copied()))
            .table(
                Table::new("people")
                    .column(Column::new("id", ColumnType::BigInt).identity())
                    .column(
                        Column::new("mood", ColumnType::Raw("mood".into()))
                            .not_null()
                            .default_sql("'ok'"),
                    )
                    .primary_key(["id"]),
            )
            .view(View::new(
                "cheerful",
                "SELECT id FROM people WHERE mood = 'ok'",
            ))
    };
    let first = people(&["sad", "ok", "happy"]);
    let out = project.autogenerate(&first, "create");
    assert!(out.contains("Detected added enum type 'mood'"), "{out}");
    let file = assert_runs_on_both(&project, &pg, &first);
    let postgres = &file[file.find("-- +upgrade postgres").unwrap()..];
    let made = postgres.find("CREATE TYPE \"mood\" AS ENUM ('sad', 'ok', 'happy')");
    assert!(
        made.unwrap() < postgres.find("CREATE TABLE").unwrap(),
        "{file}"
    );

    let second = people(&["sad", "ok", "meh", "happy"]);
    project.autogenerate(&second, "meh");
    let file = assert_runs_on_both(&project, &pg, &second);
    assert!(
        file.contains("ALTER TYPE \"mood\" ADD VALUE 'meh' AFTER 'ok';"),
        "{file}"
    );

    // A label removed: the type is made again; a row of a kept label survives it.
    let app_db = TestDatabase::create().unwrap();
    let mut app = app_db.connect();
    let opts = migrations_core::Options::default();
    migrate::upgrade(
        project.chain(),
        &mut app,
        &migrations_core::Target::Head,
        &opts,
    )
    .unwrap();
    app.run_sql("INSERT INTO people (mood) VALUES ('happy')")
        .unwrap();
    let third = people(&["ok", "meh", "happy"]);
    let out = project.autogenerate(&third, "no sad");
    assert!(out.contains("Detected changed enum type 'mood'"), "{out}");
    let file = assert_runs_on_both(&project, &pg, &third);
    assert!(
        file.contains("ALTER TYPE \"mood\" RENAME TO \"mood__old\""),
        "{file}"
    );
    migrate::upgrade(
        project.chain(),
        &mut app,
        &migrations_core::Target::Head,
        &opts,
    )
    .unwrap();
    migrate::check_drift(&mut app, &third, &opts).unwrap();
    assert_one_row(&mut app, "postgres", "people");
}

/// Index methods and included columns through autogenerate: written on PostgreSQL, left out on
/// SQLite (B-tree only, no included columns); a changed method is the index made again.
#[test]
fn index_methods_and_included_columns_autogenerate_on_both_backends() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let posts = |title: Index| {
        Schema::new().table(
            Table::new("posts")
                .column(Column::new("id", ColumnType::BigInt).identity())
                .column(Column::new("author_id", ColumnType::BigInt).not_null())
                .column(Column::new("title", ColumnType::Text).not_null())
                .column(Column::new("doc", ColumnType::Jsonb))
                .primary_key(["id"])
                .index(Index::new("posts_doc", ["doc"]).using("gin"))
                .index(Index::new("posts_author", ["author_id"]).include(["title"]))
                .index(title),
        )
    };
    let first = posts(Index::new("posts_title", ["title"]).using("hash"));
    project.autogenerate(&first, "create");
    let file = assert_runs_on_both(&project, &pg, &first);
    for made in [
        "CREATE INDEX \"posts_doc\" ON \"posts\" USING \"gin\" (\"doc\")",
        "CREATE INDEX \"posts_author\" ON \"posts\" (\"author_id\") INCLUDE (\"title\")",
        "CREATE INDEX \"posts_doc\" ON \"posts\" (\"doc\")",
    ] {
        assert!(file.contains(made), "{made}\n{file}");
    }
    let second = posts(Index::new("posts_title", ["title"]));
    let out = project.autogenerate(&second, "btree");
    assert!(out.contains("posts_title"), "{out}");
    let file = assert_runs_on_both(&project, &pg, &second);
    let postgres = &file[file.find("-- +upgrade postgres").unwrap()..];
    assert!(postgres.contains("DROP INDEX \"posts_title\""), "{file}");
}

/// An extension the models need is created before anything else and dropped after everything
/// (PostgreSQL); the SQLite sections do without it.
#[test]
fn extensions_autogenerate_first_and_drop_last() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let models = Schema::new()
        .extension(migrations_core::schema::Extension::new("citext"))
        .table(
            Table::new("handles")
                .column(Column::new("name", ColumnType::Raw("citext".into())).not_null())
                .primary_key(["name"]),
        );
    let out = project.autogenerate(&models, "handles");
    assert!(out.contains("Detected added extension 'citext'"), "{out}");
    let file = assert_runs_on_both(&project, &pg, &models);
    let up = &file[file.find("-- +upgrade postgres").unwrap()..file.find("-- +downgrade").unwrap()];
    assert!(
        up.starts_with("-- +upgrade postgres\nCREATE EXTENSION IF NOT EXISTS \"citext\";"),
        "{file}"
    );
    assert!(
        file.trim_end().ends_with("DROP EXTENSION \"citext\";"),
        "{file}"
    );
    let sqlite =
        &file[file.find("-- +upgrade sqlite").unwrap()..file.find("-- +upgrade postgres").unwrap()];
    assert!(!sqlite.contains("EXTENSION"), "{file}");
}

/// A function and its triggers through autogenerate: the function before the tables, the
/// triggers after them (one per backend, each in its own SQL); a changed body is `CREATE OR
/// REPLACE`; a trigger no longer declared is dropped, before anything else.
#[test]
fn functions_and_triggers_autogenerate_on_both_backends() {
    use migrations_core::schema::{Function, Trigger};
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let notes = |body: &str, triggers: bool| {
        let mut m = Schema::new()
            .function(Function::new(
                "touch",
                format!("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NEW; END $$"),
            ))
            .table(
                Table::new("notes")
                    .column(Column::new("id", ColumnType::BigInt).identity())
                    .column(Column::new("body", ColumnType::Text))
                    .column(Column::new("touched", ColumnType::Integer).not_null().default_sql("0"))
                    .primary_key(["id"]),
            );
        if triggers {
            m = m
                .trigger(
                    Trigger::new("notes", "notes_touch", "CREATE TRIGGER notes_touch BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION touch()")
                        .only(Dialect::Postgres),
                )
                .trigger(
                    Trigger::new("notes", "notes_touch", "CREATE TRIGGER notes_touch AFTER UPDATE OF body ON notes BEGIN UPDATE notes SET touched = touched + 1 WHERE id = NEW.id; END")
                        .only(Dialect::Sqlite),
                );
        }
        m.manage(migrations_core::schema::Kind::Trigger)
    };
    let first = notes("NEW.touched = OLD.touched + 1;", true);
    let out = project.autogenerate(&first, "notes");
    assert!(out.contains("Detected added function 'touch'"), "{out}");
    assert!(
        out.contains("Detected added trigger 'notes_touch' on 'notes'"),
        "{out}"
    );
    let file = assert_runs_on_both(&project, &pg, &first);
    let postgres = &file[file.find("-- +upgrade postgres").unwrap()..];
    let function = postgres.find("FUNCTION touch()").expect("the function");
    assert!(function < postgres.find("CREATE TABLE").unwrap(), "{file}");
    assert!(
        postgres.find("CREATE TRIGGER").unwrap() > postgres.find("CREATE TABLE").unwrap(),
        "{file}"
    );

    // The triggers work: an update counts itself, on each backend.
    let chain = project.chain();
    let opts = migrations_core::Options::default();
    let app_db = TestDatabase::create().unwrap();
    let mut sqlite = rusqlite::Connection::open_in_memory().unwrap();
    let mut postgres_app = app_db.connect();
    for conn in [&mut sqlite as &mut dyn Driver, &mut postgres_app] {
        migrate::upgrade(chain, conn, &migrations_core::Target::Head, &opts).unwrap();
        conn.run_sql("INSERT INTO notes (body) VALUES ('a'); UPDATE notes SET body = 'b'")
            .unwrap();
        conn.run_sql("CREATE TEMPORARY TABLE once (n INTEGER CHECK (n = 1)); INSERT INTO once SELECT touched FROM notes; DROP TABLE once")
            .unwrap_or_else(|e| panic!("{}: the trigger did not run: {e}", conn.dialect()));
    }

    let second = notes("NEW.touched = OLD.touched + 2;", true);
    let out = project.autogenerate(&second, "body");
    assert!(out.contains("Detected changed function 'touch'"), "{out}");
    let file = assert_runs_on_both(&project, &pg, &second);
    assert!(
        file.contains("CREATE OR REPLACE FUNCTION touch()"),
        "{file}"
    );

    let third = notes("NEW.touched = OLD.touched + 2;", false);
    let out = project.autogenerate(&third, "no triggers");
    assert!(
        out.contains("Detected removed trigger 'notes_touch' on 'notes'"),
        "{out}"
    );
    let file = assert_runs_on_both(&project, &pg, &third);
    assert!(
        file.contains("DROP TRIGGER \"notes_touch\" ON \"notes\";"),
        "{file}"
    );
    assert!(file.contains("DROP TRIGGER \"notes_touch\";"), "{file}");
}

/// A domain through autogenerate: made before the tables that use it, changed with `ALTER
/// DOMAIN` (its check dropped by its name), dropped after them (PostgreSQL); SQLite's column
/// is of that declared type.
#[test]
fn domains_autogenerate_on_both_backends() {
    use migrations_core::schema::Domain;
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let items = |check: &str| {
        Schema::new()
            .domain(
                Domain::new("price", ColumnType::Numeric(12, 2))
                    .not_null()
                    .default_sql("0")
                    .check(check),
            )
            .table(
                Table::new("items")
                    .column(Column::new("id", ColumnType::BigInt).identity())
                    .column(Column::new("price", ColumnType::Raw("price".into())))
                    .primary_key(["id"]),
            )
    };
    let first = items("VALUE >= 0");
    let out = project.autogenerate(&first, "items");
    assert!(out.contains("Detected added domain 'price'"), "{out}");
    let file = assert_runs_on_both(&project, &pg, &first);
    let postgres = &file[file.find("-- +upgrade postgres").unwrap()..];
    let made = postgres.find(
        "CREATE DOMAIN \"price\" AS NUMERIC(12,2) DEFAULT 0 NOT NULL CHECK (value >= 0::numeric)",
    );
    assert!(
        made.unwrap() < postgres.find("CREATE TABLE").unwrap(),
        "{file}"
    );

    let second = items("VALUE > 0");
    let out = project.autogenerate(&second, "positive");
    assert!(out.contains("Detected changed domain 'price'"), "{out}");
    let file = assert_runs_on_both(&project, &pg, &second);
    assert!(
        file.contains("ALTER DOMAIN \"price\" DROP CONSTRAINT \"price_check\";"),
        "{file}"
    );
    assert!(
        file.contains("ALTER DOMAIN \"price\" ADD CHECK (value > 0::numeric);"),
        "{file}"
    );
}

/// A sequence of its own through autogenerate: created before the tables, altered with every
/// setting spelled out, dropped after the tables (PostgreSQL); SQLite has none.
#[test]
fn sequences_autogenerate_on_both_backends() {
    use migrations_core::schema::Sequence;
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let with = |sequence: Option<Sequence>| {
        let mut m = models(users(), todos()).manage(migrations_core::schema::Kind::Sequence);
        if let Some(q) = sequence {
            m = m.sequence(q);
        }
        m
    };
    let first = with(Some(Sequence::new("invoice_numbers").start(1000)));
    let out = project.autogenerate(&first, "invoices");
    assert!(
        out.contains("Detected added sequence 'invoice_numbers'"),
        "{out}"
    );
    let file = assert_runs_on_both(&project, &pg, &first);
    assert!(file.contains("CREATE SEQUENCE \"invoice_numbers\" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 NO CYCLE;"), "{file}");

    let second = with(Some(
        Sequence::new("invoice_numbers").start(1000).increment(10),
    ));
    project.autogenerate(&second, "by ten");
    let file = assert_runs_on_both(&project, &pg, &second);
    assert!(
        file.contains("ALTER SEQUENCE \"invoice_numbers\" INCREMENT BY 10"),
        "{file}"
    );

    let third = with(None);
    let out = project.autogenerate(&third, "no invoices");
    assert!(
        out.contains("Detected removed sequence 'invoice_numbers'"),
        "{out}"
    );
    assert_runs_on_both(&project, &pg, &third);
}

/// A partitioned table through autogenerate: the partitioned table before its partitions; a
/// new partition is `PARTITION OF`, another bound a detach and an attach (PostgreSQL); on
/// SQLite the partitioned table is a plain one and its partitions are not built.
#[test]
fn partitioned_tables_autogenerate_on_both_backends() {
    let Some(pg) = TestDatabase::create() else {
        return;
    };
    let project = Project::new();
    let events = |partitions: &[(&str, &str)]| {
        let mut m = Schema::new().table(
            Table::new("events")
                .column(Column::new("id", ColumnType::BigInt).not_null())
                .column(Column::new("at", ColumnType::Date).not_null())
                .primary_key(["id", "at"])
                .partition_by("RANGE (at)"),
        );
        for (name, bound) in partitions {
            m = m.table(Table::partition(*name, "events", *bound));
        }
        m
    };
    let y2024 = (
        "events_2024",
        "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    );
    let first = events(&[y2024]);
    project.autogenerate(&first, "events");
    let file = assert_runs_on_both(&project, &pg, &first);
    let postgres = &file[file.find("-- +upgrade postgres").unwrap()..];
    assert!(postgres.contains(") PARTITION BY RANGE (at);"), "{file}");
    assert!(
        postgres.contains("CREATE TABLE \"events_2024\" PARTITION OF \"events\" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"),
        "{file}"
    );
    let sqlite = &file[..file.find("-- +upgrade postgres").unwrap()];
    assert!(!sqlite.contains("events_2024"), "{file}");

    let second = events(&[y2024, ("events_rest", "DEFAULT")]);
    let out = project.autogenerate(&second, "rest");
    assert!(out.contains("Detected added table 'events_rest'"), "{out}");
    assert_runs_on_both(&project, &pg, &second);

    let third = events(&[
        (
            "events_2024",
            "FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')",
        ),
        ("events_rest", "DEFAULT"),
    ]);
    let out = project.autogenerate(&third, "half a year");
    assert!(
        out.contains("Detected changed partition 'events_2024'"),
        "{out}"
    );
    let file = assert_runs_on_both(&project, &pg, &third);
    assert!(
        file.contains("ALTER TABLE \"events\" DETACH PARTITION \"events_2024\";"),
        "{file}"
    );
}
