//! Helpers shared by the test modules: revision files and problem assertions.

use std::fs;
use std::path::{Path, PathBuf};

/// The text of a revision file in the canonical layout:
///
/// ```text
/// 1  -- Revision: {id}
/// 2  -- Revises: {parent}
/// 3  -- Message: revision {id}
/// 4
/// 5  -- +upgrade
/// 6  {up}            (first line of the upgrade SQL)
///    (blank)
///    -- +downgrade
///    {down}
/// ```
pub fn rev_text(id: &str, parent: &str, up: &str, down: &str) -> String {
    format!(
        "-- Revision: {id}\n-- Revises: {parent}\n-- Message: revision {id}\n\n-- +upgrade\n{up}\n\n-- +downgrade\n{down}\n"
    )
}

/// Line of the first upgrade statement in a [`rev_text`] file.
pub const FIRST_UPGRADE_LINE: usize = 6;

/// The line of the `-- +downgrade` marker in a [`rev_text`] file with this upgrade SQL.
pub fn downgrade_marker_line(up: &str) -> usize {
    FIRST_UPGRADE_LINE + up.lines().count() + 1
}

/// The file name `write_rev` uses for revision `id`.
pub fn rev_file_name(id: &str) -> String {
    format!("{id}_rev.sql")
}

/// Writes `versions/<id>_rev.sql` with [`rev_text`] and returns its path.
pub fn write_rev(versions: &Path, id: &str, parent: &str, up: &str, down: &str) -> PathBuf {
    write_file(
        versions,
        &rev_file_name(id),
        &rev_text(id, parent, up, down),
    )
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

    /// Writes a revision file, see [`write_rev`].
    pub fn rev(&self, id: &str, parent: &str, up: &str, down: &str) -> PathBuf {
        write_rev(&self.versions(), id, parent, up, down)
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
