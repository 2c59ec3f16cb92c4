//! Library-level tests: `migrations_build::validate` on temp folders.
//!
//! Every broken folder must give problems that name the offending file (and line, where there
//! is one) in the `file:line: what; how to fix it` form the build prints.

use crate::support::{assert_contains_all, problem_at, rev, rev_file_name, Fixture, Folder};
use migrations_build::{validate, Validated};
use migrations_core::Dialect;

const A: &str = "aaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbb";
const C: &str = "cccccccccccc";
const D: &str = "dddddddddddd";
const MISSING: &str = "ffffffffffff";

const CREATE_TODOS: &str =
    "CREATE TABLE todos (\n    id INTEGER PRIMARY KEY,\n    title TEXT NOT NULL\n);";
const DROP_TODOS: &str = "DROP TABLE todos;";

/// The problems of an invalid folder, as the build prints them.
fn problems(folder: &Folder) -> Vec<String> {
    match validate(folder.dir()) {
        Ok(valid) => panic!(
            "expected problems, but the folder validated: {:?}",
            valid.revisions.iter().map(|r| &r.name).collect::<Vec<_>>()
        ),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

/// The validation of a folder that must be valid.
fn valid(folder: &Folder) -> Validated {
    match validate(folder.dir()) {
        Ok(valid) => valid,
        Err(problems) => panic!(
            "expected a valid folder, got:\n{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn names(valid: &Validated) -> Vec<&str> {
    valid.revisions.iter().map(|r| r.name.as_str()).collect()
}

/// The root that creates `todos`.
fn root_rev() -> Fixture {
    rev(A, "", CREATE_TODOS, DROP_TODOS)
}

/// Writes [`root_rev`].
fn root(folder: &Folder) {
    folder.write(&root_rev());
}

// ---------------------------------------------------------------------------------------------
// Good folders
// ---------------------------------------------------------------------------------------------

#[test]
fn a_stale_snapshot_is_a_warning_and_a_current_one_is_silent() {
    let folder = Folder::new();
    root(&folder);
    let snapshot = folder.dir().join("schema.snapshot");
    std::fs::write(&snapshot, "table something_else\n").unwrap();
    let warnings = valid(&folder).warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_contains_all(
        &warnings[0],
        &["schema.snapshot is stale", A, "db snapshot"],
    );

    let chain = migrations_core::testing::chain(&[root_rev()]);
    let head = migrations_core::migrate::head_schema(&chain).unwrap();
    std::fs::write(
        &snapshot,
        migrations_core::migrate::render_snapshot(&chain, &head),
    )
    .unwrap();
    assert!(valid(&folder).warnings.is_empty());
}

#[test]
fn good_folder_validates() {
    let folder = Folder::new();
    root(&folder);
    folder.rev(
        B,
        A,
        "ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;",
        "ALTER TABLE todos DROP COLUMN deleted_at;",
    );
    let valid = valid(&folder);
    assert_eq!(names(&valid), [rev_file_name(A), rev_file_name(B)]);
    // No schema.snapshot yet: the only warning says so.
    assert_eq!(valid.warnings.len(), 1, "{:?}", valid.warnings);
    assert!(
        valid.warnings[0].contains("schema.snapshot is missing"),
        "{:?}",
        valid.warnings
    );
    for r in &valid.revisions {
        assert_eq!(r.checksum.len(), 64, "SHA-256 hex: {}", r.checksum);
        assert!(r.checksum.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    // The embedded text is what `include_migrations!()` expands to.
    let rendered = migrations_build::render(&valid);
    assert_contains_all(
        &rendered,
        &["from_embedded", &rev_file_name(A), &rev_file_name(B)],
    );
}

#[test]
fn good_folder_with_a_merge_revision_validates() {
    let folder = Folder::new();
    root(&folder);
    folder.rev(
        B,
        A,
        "ALTER TABLE todos ADD COLUMN done BOOLEAN NOT NULL DEFAULT false;",
        "ALTER TABLE todos DROP COLUMN done;",
    );
    folder.rev(
        C,
        A,
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
        "DROP TABLE tags;",
    );
    folder.rev(D, &format!("{B}, {C}"), "", "");
    let valid = valid(&folder);
    assert_eq!(valid.revisions.len(), 4);
}

#[test]
fn irreversible_revision_without_downgrade_validates() {
    let folder = Folder::new();
    root(&folder);
    folder.write(
        &Fixture::new(B)
            .revises(A)
            .message("drop the title")
            .irreversible("drops data")
            .up("ALTER TABLE todos DROP COLUMN title;"),
    );
    valid(&folder);
}

#[test]
fn revision_outside_a_transaction_validates() {
    let folder = Folder::new();
    root(&folder);
    folder.write(
        &Fixture::new(B)
            .revises(A)
            .message("index titles")
            .transaction_none()
            .up("CREATE INDEX todos_title ON todos (title);")
            .down("DROP INDEX todos_title;"),
    );
    valid(&folder);
}

#[test]
fn dialect_specific_sections_validate() {
    let folder = Folder::new();
    folder.write(
        &Fixture::new(A)
            .message("create todos")
            .up_for(
                Dialect::Sqlite,
                "CREATE TABLE todos (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL);",
            )
            .up_for(
                Dialect::Postgres,
                "CREATE TABLE todos (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title TEXT NOT NULL);",
            )
            .down("DROP TABLE todos;"),
    );
    folder.write(
        &Fixture::new(B)
            .revises(A)
            .message("index titles")
            .up_for(
                Dialect::Sqlite,
                "CREATE INDEX todos_title ON todos (title);",
            )
            .down_for(Dialect::Sqlite, "DROP INDEX todos_title;")
            .up_for(
                Dialect::Postgres,
                "CREATE INDEX todos_title ON todos USING btree (title);",
            )
            .down_for(Dialect::Postgres, "DROP INDEX todos_title;"),
    );
    valid(&folder);
}

#[test]
fn crlf_line_endings_give_the_same_checksum_as_lf() {
    let text = root_rev().text();
    let lf = Folder::new();
    lf.file(&rev_file_name(A), &text);
    let crlf = Folder::new();
    crlf.file(&rev_file_name(A), &text.replace('\n', "\r\n"));
    let (lf, crlf) = (valid(&lf), valid(&crlf));
    assert_eq!(lf.revisions[0].checksum, crlf.revisions[0].checksum);
    assert_eq!(lf.revisions[0].source, crlf.revisions[0].source);
    assert!(!crlf.revisions[0].source.contains('\r'));
}

#[test]
fn hidden_files_are_skipped() {
    let folder = Folder::new();
    root(&folder);
    folder.file(".gitkeep", "");
    let valid = valid(&folder);
    assert_eq!(names(&valid), [rev_file_name(A)]);
}

#[test]
fn empty_versions_folder_validates_with_a_warning() {
    let folder = Folder::new();
    let valid = valid(&folder);
    assert!(valid.revisions.is_empty());
    assert_eq!(valid.warnings.len(), 1, "{:?}", valid.warnings);
    // The first revision is the models' tables: autogenerate writes it.
    assert_contains_all(
        &valid.warnings[0],
        &[
            "versions",
            "create the first with `db revision --autogenerate -m \"create tables\"`",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Broken folders: the revision graph
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_id_names_both_files() {
    let folder = Folder::new();
    let first = root_rev().slug("a");
    let second = rev(
        A,
        "",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);",
        "DROP TABLE tags;",
    )
    .slug("b");
    folder.write(&first);
    folder.write(&second);
    let (first, second) = (first.file_name(), second.file_name());
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problem_at(&problems, &second, Fixture::ID_LINE);
    assert_contains_all(p, &["duplicate revision id", A, &first]);
}

#[test]
fn dangling_revises_names_the_file_and_line() {
    let folder = Folder::new();
    root(&folder);
    folder.rev(B, MISSING, "SELECT 1;", "SELECT 1;");
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problem_at(&problems, &rev_file_name(B), Fixture::REVISES_LINE);
    assert_contains_all(p, &["Revises", MISSING]);
}

#[test]
fn two_heads_name_both_files_and_suggest_a_merge() {
    let folder = Folder::new();
    root(&folder);
    folder.rev(
        B,
        A,
        "ALTER TABLE todos ADD COLUMN done BOOLEAN;",
        "ALTER TABLE todos DROP COLUMN done;",
    );
    folder.rev(
        C,
        A,
        "ALTER TABLE todos ADD COLUMN due TIMESTAMP;",
        "ALTER TABLE todos DROP COLUMN due;",
    );
    let problems = problems(&folder);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    for head in [B, C] {
        let p = problem_at(&problems, &rev_file_name(head), 0);
        assert_contains_all(
            p,
            &[
                "2 heads",
                &rev_file_name(B),
                &rev_file_name(C),
                "db merge",
                B,
                C,
            ],
        );
    }
}

#[test]
fn two_roots_name_both_files() {
    let folder = Folder::new();
    root(&folder);
    folder.rev(
        B,
        "",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);",
        "DROP TABLE tags;",
    );
    let problems = problems(&folder);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    for r in [A, B] {
        let p = problem_at(&problems, &rev_file_name(r), Fixture::REVISES_LINE);
        assert_contains_all(
            p,
            &["no parent", &rev_file_name(A), &rev_file_name(B), "Revises"],
        );
    }
}

#[test]
fn cycle_names_every_file_in_it() {
    let folder = Folder::new();
    root(&folder);
    folder.rev(B, C, "SELECT 1;", "SELECT 1;");
    folder.rev(C, B, "SELECT 1;", "SELECT 1;");
    let problems = problems(&folder);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    for r in [B, C] {
        let p = problem_at(&problems, &rev_file_name(r), Fixture::REVISES_LINE);
        assert_contains_all(p, &["cycle", &rev_file_name(B), &rev_file_name(C)]);
    }
}

#[test]
fn merge_of_a_revision_and_its_ancestor_is_an_error() {
    let folder = Folder::new();
    root(&folder);
    folder.rev(
        B,
        A,
        "ALTER TABLE todos ADD COLUMN done BOOLEAN;",
        "ALTER TABLE todos DROP COLUMN done;",
    );
    folder.rev(C, &format!("{A}, {B}"), "", "");
    let problems = problems(&folder);
    let p = problem_at(&problems, &rev_file_name(C), Fixture::REVISES_LINE);
    assert_contains_all(p, &["already an ancestor", A, B]);
}

// ---------------------------------------------------------------------------------------------
// Broken folders: one file
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_downgrade_is_an_error() {
    let folder = Folder::new();
    root(&folder);
    let b = rev(B, A, "ALTER TABLE todos ADD COLUMN done BOOLEAN;", "");
    folder.write(&b);
    let problems = problems(&folder);
    let line = b.downgrade_marker_line();
    let at = format!("{}:{line}: ", rev_file_name(B));
    let here: Vec<&String> = problems.iter().filter(|p| p.contains(&at)).collect();
    assert!(!here.is_empty(), "no problem at {at}: {problems:#?}");
    for p in here {
        assert_contains_all(p, &["empty downgrade", "Irreversible"]);
    }
}

#[test]
fn missing_downgrade_is_an_error() {
    let folder = Folder::new();
    root(&folder);
    let name = rev_file_name(B);
    folder.write(
        &Fixture::new(B)
            .revises(A)
            .message("no way back")
            .up("ALTER TABLE todos ADD COLUMN done BOOLEAN;"),
    );
    let problems = problems(&folder);
    assert!(
        problems
            .iter()
            .all(|p| p.contains(&format!("{name}: ")) && p.contains("no downgrade")),
        "{problems:#?}"
    );
    assert_contains_all(&problems[0], &["-- +downgrade", "Irreversible"]);
}

#[test]
fn downgrade_that_does_not_restore_the_schema_is_an_error() {
    let folder = Folder::new();
    root(&folder);
    let up = "ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;\nCREATE INDEX todos_deleted_at ON todos (deleted_at);";
    let b = rev(B, A, up, "DROP INDEX todos_deleted_at;");
    folder.write(&b);
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problem_at(&problems, &b.file_name(), b.downgrade_marker_line());
    assert_contains_all(
        p,
        &[
            "downgrade does not restore",
            "deleted_at",
            "left by the downgrade",
        ],
    );
}

#[test]
fn bad_sql_names_the_line_of_the_failing_statement() {
    let folder = Folder::new();
    root(&folder);
    // The second statement starts on the fourth line of the upgrade.
    let up = "CREATE TABLE tags (\n    id INTEGER PRIMARY KEY\n);\nCREATE TABEL todo_tags (todo_id INTEGER, tag_id INTEGER);";
    let b = rev(B, A, up, "DROP TABLE todo_tags;\nDROP TABLE tags;");
    folder.write(&b);
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problem_at(&problems, &b.file_name(), b.upgrade_line(4));
    assert_contains_all(p, &["upgrade fails on sqlite", "syntax error"]);
}

#[test]
fn bad_sql_in_a_downgrade_names_its_line() {
    let folder = Folder::new();
    root(&folder);
    let b = rev(
        B,
        A,
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);",
        "DROP TABEL tags;",
    );
    folder.write(&b);
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problem_at(&problems, &b.file_name(), b.downgrade_line(1));
    assert_contains_all(p, &["downgrade fails on sqlite", "syntax error"]);
}

#[test]
fn id_not_matching_the_file_name_is_an_error() {
    let folder = Folder::new();
    root(&folder);
    let name = rev_file_name(B);
    folder.file(&name, &rev(C, A, "SELECT 1;", "SELECT 1;").text());
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problem_at(&problems, &name, Fixture::ID_LINE);
    assert_contains_all(p, &["does not match the file name", B, C, "rename"]);
}

#[test]
fn stray_text_file_is_an_error() {
    let folder = Folder::new();
    root(&folder);
    folder.file("notes.txt", "remember to add tags\n");
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problem_at(&problems, "notes.txt", 0);
    assert_contains_all(p, &["not a revision file", ".sql"]);
}

#[test]
fn typo_in_a_revision_file_name_is_an_error() {
    let folder = Folder::new();
    root(&folder);
    // 11 hex characters: one short.
    let name = "3f9a1c2e7b1_typo.sql";
    folder.file(
        name,
        &rev("3f9a1c2e7b10", A, "SELECT 1;", "SELECT 1;").text(),
    );
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problem_at(&problems, name, 0);
    assert_contains_all(
        p,
        &["not a revision file", "3f9a1c2e7b1", "12 lowercase hex"],
    );
}

#[test]
fn folder_inside_versions_is_an_error() {
    let folder = Folder::new();
    root(&folder);
    std::fs::create_dir(folder.versions().join("old")).unwrap();
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    problem_at(&problems, "old", 0);
}

#[test]
fn unknown_dialect_names_the_marker_line_and_is_the_only_problem_reported() {
    let folder = Folder::new();
    let name = rev_file_name(A);
    folder.file(
        &name,
        &format!(
            "-- Revision: {A}\n-- Revises:\n-- Message: create todos\n\n\
             -- +upgrade mysql\nCREATE TABLE todos (id INTEGER PRIMARY KEY);\n\n\
             -- +downgrade\nDROP TABLE todos;\n"
        ),
    );
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problem_at(&problems, &name, 5);
    assert_contains_all(p, &["unknown dialect `mysql`", "sqlite", "postgres"]);
}

#[test]
fn utf8_bom_is_accepted_or_named() {
    let folder = Folder::new();
    let name = rev_file_name(A);
    folder.file(&name, &format!("\u{feff}{}", root_rev().text()));
    if let Err(problems) = validate(folder.dir()) {
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_contains_all(problem_at(&problems, &name, Fixture::ID_LINE), &["BOM"]);
    }
}

#[test]
fn missing_versions_folder_is_an_error() {
    let folder = Folder::without_versions();
    let problems = problems(&folder);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let versions = folder.versions().display().to_string();
    assert!(
        problems[0].starts_with(&format!("{versions}: ")),
        "{problems:#?}"
    );
    assert_contains_all(&problems[0], &["cannot read the versions folder", "mkdir"]);
}

// ---------------------------------------------------------------------------------------------
// Every problem at once
// ---------------------------------------------------------------------------------------------

#[test]
fn problems_in_two_files_are_reported_together() {
    let folder = Folder::new();
    let a = rev(A, "", "CREATE TABLE todos (id INTEGER PRIMARY KEY);", "");
    folder.write(&a);
    folder.file("notes.txt", "stray\n");
    folder.file(
        &rev_file_name(B),
        &format!(
            "-- Revision: {B}\n-- Revises: {A}\n-- Mesage: typo in a header\n\n\
             -- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n"
        ),
    );
    let problems = problems(&folder);
    let empty_down = format!("{}:{}: ", a.file_name(), a.downgrade_marker_line());
    assert!(
        problems.iter().any(|p| p.contains(&empty_down)),
        "{problems:#?}"
    );
    problem_at(&problems, "notes.txt", 0);
    let p = problem_at(&problems, &rev_file_name(B), 3);
    assert_contains_all(p, &["unknown header `Mesage`", "did you mean `Message`?"]);
}

#[test]
fn graph_problems_in_two_files_are_reported_together() {
    let folder = Folder::new();
    root(&folder);
    folder.rev(B, MISSING, "SELECT 1;", "SELECT 1;");
    folder.rev(
        C,
        "",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);",
        "DROP TABLE tags;",
    );
    let problems = problems(&folder);
    assert_contains_all(
        problem_at(&problems, &rev_file_name(B), Fixture::REVISES_LINE),
        &[MISSING],
    );
    assert_contains_all(
        problem_at(&problems, &rev_file_name(C), Fixture::REVISES_LINE),
        &["no parent"],
    );
}

#[test]
fn every_problem_has_the_file_line_what_hint_form() {
    let folder = Folder::new();
    folder.rev(A, "", "CREATE TABLE todos (id INTEGER PRIMARY KEY);", "");
    folder.rev(B, MISSING, "SELECT 1;", "SELECT 1;");
    let problems = match validate(folder.dir()) {
        Ok(_) => panic!("expected problems"),
        Err(p) => p,
    };
    for p in &problems {
        assert!(p.file.ends_with(".sql"), "{p}");
        assert!(!p.message.is_empty() && !p.hint.is_empty(), "{p:?}");
        let shown = p.to_string();
        assert!(!shown.contains('\n'), "one line per problem: {shown:?}");
        let prefix = if p.line == 0 {
            format!("{}: ", p.file)
        } else {
            format!("{}:{}: ", p.file, p.line)
        };
        assert_eq!(shown, format!("{prefix}{}; {}", p.message, p.hint));
    }
}
