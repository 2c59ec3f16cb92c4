//! The README's user's path, as a user walks it: a scratch app made only from the README's
//! code blocks that name a file (`// file: PATH`, `# file: PATH`), taken from README.md itself
//! so that the two cannot drift apart, built and run with the real `cargo` on SQLite and
//! PostgreSQL: the first build's warning, a first boot with no revision (it fails and leaves no
//! database file), autogenerate, boot, down, up, boot again, and the app's own `cargo test`.
//!
//! The one thing the test adds to the blocks is what `cargo new` writes (the `[package]`
//! section, here with an empty `[workspace]` so the app stands alone) and the absolute paths
//! of this repository's crates where the README's Cargo.toml says `../migrations-core`.

use crate::cargo_build::{Run, ScratchApp};
use crate::support::assert_contains_all;
use migrations_core::testing::TestDatabase;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The files the README's blocks make: each block whose first line is `// file: PATH` or
/// `# file: PATH` (the path is the first word after it), that line left out; blocks naming one
/// file are joined in the README's order.
fn files_from_readme(readme: &str) -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("```") {
            continue;
        }
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        let Some(first) = body.first() else { continue };
        let Some(named) = ["// file: ", "# file: "]
            .iter()
            .find_map(|marker| first.strip_prefix(marker))
        else {
            continue;
        };
        let path = named
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        let text = files.entry(path).or_default();
        if !text.is_empty() {
            text.push('\n');
        }
        for l in &body[1..] {
            text.push_str(l);
            text.push('\n');
        }
    }
    files
}

/// Writes the README's app into `app` (beside `app/../migrations/versions`), with the
/// `[package]` section `cargo new` writes and the crates' paths made absolute.
fn write_app(app: &ScratchApp, files: &BTreeMap<String, String>) {
    let root = crate::cargo_build::workspace_root();
    for (path, text) in files {
        let text = match path.as_str() {
            "Cargo.toml" => format!(
                "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n\n{}",
                app.package,
                text.replace(
                    "\"../migrations-core\"",
                    &format!("{:?}", root.join("migrations-core")),
                )
                .replace(
                    "\"../migrations-build\"",
                    &format!("{:?}", root.join("migrations-build")),
                )
            ),
            _ => text.clone(),
        };
        let file = app.dir().join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, text).unwrap();
    }
    fs::copy(root.join("Cargo.lock"), app.dir().join("Cargo.lock")).expect("copy Cargo.lock");
}

/// `cargo run -- ARGS` of the app on `url`.
fn run(app: &ScratchApp, url: &str, args: &[&str]) -> Run {
    let mut all = vec!["run", "-q", "--"];
    all.extend_from_slice(args);
    app.cargo_with(&all, &[("DATABASE_URL", url)])
}

/// Boots, downgrades to base, upgrades to head and boots again on `url`.
fn boot_down_up(app: &ScratchApp, url: &str) {
    let booted = run(app, url, &[]);
    booted.assert_success();
    assert_eq!(booted.stdout(), "booted\n", "{}", booted.describe());
    run(app, url, &["db", "downgrade", "-1"]).assert_success();
    let current = run(app, url, &["db", "current"]);
    current.assert_success();
    assert!(
        !current.stdout().contains("(head)"),
        "{}",
        current.describe()
    );
    run(app, url, &["db", "upgrade", "head"]).assert_success();
    let current = run(app, url, &["db", "current"]);
    assert!(
        current.stdout().contains("(head)"),
        "{}",
        current.describe()
    );
    run(app, url, &["db", "check"]).assert_success();
    assert_eq!(run(app, url, &[]).assert_success().stdout(), "booted\n");
}

#[test]
fn an_app_made_only_of_the_readmes_blocks_migrates_and_tests_itself_on_both_backends() {
    let readme = fs::read_to_string(crate::cargo_build::workspace_root().join("README.md"))
        .expect("read README.md");
    let files = files_from_readme(&readme);
    assert_eq!(
        files.keys().map(String::as_str).collect::<Vec<_>>(),
        ["Cargo.toml", "build.rs", "src/main.rs", "src/models.rs"],
        "the README's blocks that name a file"
    );
    let app = ScratchApp::empty("readme", "my-app");
    write_app(&app, &files);
    let versions = app.dir().join("../migrations/versions");
    fs::create_dir_all(&versions).unwrap();

    // The first build: a warning that says how to write the first revision.
    let build = app.cargo(&["build"]);
    build.assert_success();
    assert_contains_all(
        &build.stderr(),
        &["holds no revision yet; create the first with `db revision --autogenerate -m \"create tables\"`"],
    );

    // A first start before any revision fails, in words, and leaves no database file.
    let first = run(&app, "sqlite:first.db", &[]);
    first.assert_failure();
    assert_contains_all(&first.stderr(), &["Error: no revisions were embedded"]);
    assert!(
        !app.dir().join("first.db").exists(),
        "a failed first boot left first.db\n{}",
        first.describe()
    );

    // Autogenerate the first revision, for both dialects.
    let generated = run(
        &app,
        "sqlite:app.db",
        &["db", "revision", "--autogenerate", "-m", "create tables"],
    );
    generated.assert_success();
    let written: Vec<_> = fs::read_dir(&versions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{}", generated.describe());
    let text = fs::read_to_string(&written[0]).unwrap();
    assert_contains_all(
        &text,
        &["-- +upgrade", "CREATE TABLE", "\"todos\"", "\"users\""],
    );

    boot_down_up(&app, "sqlite:app.db");
    if let Some(db) = TestDatabase::create() {
        boot_down_up(&app, &db.url);
    }

    // The app's own tests (section 7), on SQLite and PostgreSQL.
    let tests = app.cargo(&["test", "-q"]);
    tests.assert_success();
    assert_contains_all(&tests.stdout(), &["2 passed"]);
    assert!(Path::new(&app.dir().join("app.db")).exists());
}
