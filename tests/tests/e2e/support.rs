//! Helpers shared by the test modules: revision files and problem assertions.

pub use migrations_core::testing::Fixture;
use std::fs;
use std::path::{Path, PathBuf};

/// The revision most tests write: `id` revising `parent` (none when empty), with `up` and `down`
/// for every dialect, in `<id>_rev.sql`, with the message `revision <id>`. The text, its line
/// layout and the line of each statement come from [`Fixture`] (see its documentation):
/// `rev(..).upgrade_line(1)` is the first upgrade line, `rev(..).downgrade_marker_line()` the
/// `-- +downgrade` marker's.
pub fn rev(id: &str, parent: &str, up: &str, down: &str) -> Fixture {
    Fixture::new(id).revises(parent).up(up).down(down)
}

/// The file name [`rev`] (and any fixture without a slug) uses for revision `id`.
pub fn rev_file_name(id: &str) -> String {
    Fixture::new(id).file_name()
}

/// Writes `versions/<name>` with `text` as is and returns its path.
pub fn write_file(versions: &Path, name: &str, text: &str) -> PathBuf {
    let path = versions.join(name);
    fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

/// A migrations folder (`<tmp>/versions`) in a fresh temp dir.
pub struct Folder {
    tmp: tempfile::TempDir,
}

impl Folder {
    /// A temp dir with an empty `versions/` folder.
    pub fn new() -> Folder {
        let folder = Folder::without_versions();
        fs::create_dir(folder.versions()).expect("create versions/");
        folder
    }

    /// A temp dir without a `versions/` folder.
    pub fn without_versions() -> Folder {
        Folder {
            tmp: tempfile::Builder::new()
                .prefix("e2e-migrations-")
                .tempdir()
                .expect("create a temp dir"),
        }
    }

    /// The migrations folder (what `validate` and `embed` take).
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// `<dir>/versions`.
    pub fn versions(&self) -> PathBuf {
        self.dir().join("versions")
    }

    /// Writes a revision file, see [`rev`].
    pub fn rev(&self, id: &str, parent: &str, up: &str, down: &str) -> PathBuf {
        self.write(&rev(id, parent, up, down))
    }

    /// Writes `fixture` into `versions/` under its file name.
    pub fn write(&self, fixture: &Fixture) -> PathBuf {
        fixture.write_to(&self.versions())
    }

    /// Writes any file into `versions/`.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        write_file(&self.versions(), name, text)
    }
}

/// The one problem of `problems` located at `file:line` (`line` 0: the whole file), where
/// `file` is a file name (problems show the whole path, which ends with it). Panics, showing
/// every problem, when there is not exactly one.
pub fn problem_at<'a>(problems: &'a [String], file: &str, line: usize) -> &'a str {
    let at = if line == 0 {
        format!("{file}: ")
    } else {
        format!("{file}:{line}: ")
    };
    let found: Vec<&String> = problems.iter().filter(|p| p.contains(&at)).collect();
    match found.as_slice() {
        [one] => one.as_str(),
        _ => panic!(
            "expected exactly one problem at `{at}`, found {}; all problems:\n{}",
            found.len(),
            problems.join("\n")
        ),
    }
}

/// Asserts that `text` contains every needle, showing `text` when one is missing.
#[track_caller]
pub fn assert_contains_all(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
    }
}
