//! Reading a versions folder: one reader for the build step and the CLI, with the same rules
//! (every file a revision, hidden files skipped, each problem naming its file).
//!
//! # Example
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
//! let folder = migrations_core::folder::read(dir.path()).unwrap();
//! assert!(folder.files.is_empty());
//! assert!(folder.strays[0].to_string().contains("notes.txt: not a revision file"));
//! ```

use crate::error::Problem;
use crate::revision::{self, Revision};
use std::path::Path;

/// One revision file as read.
#[derive(Debug, Clone)]
pub struct RevisionFile {
    /// File name inside the folder.
    pub name: String,
    /// The text with line endings normalised.
    pub source: String,
    /// The parsed revision.
    pub revision: Revision,
}

/// What a versions folder holds.
#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// The revision files that parse, sorted by name.
    pub files: Vec<RevisionFile>,
    /// Files that are not revisions at all (a typo'd name, a stray file, a sub-folder).
    pub strays: Vec<Problem>,
    /// Problems inside revision files (unreadable, not UTF-8, does not parse).
    pub problems: Vec<Problem>,
}

impl Folder {
    /// The parsed revisions.
    pub fn revisions(&self) -> Vec<Revision> {
        self.files.iter().map(|f| f.revision.clone()).collect()
    }

    /// Every problem, strays last.
    pub fn all_problems(&self) -> Vec<Problem> {
        self.problems.iter().chain(&self.strays).cloned().collect()
    }
}

/// Reads every file of `versions`.
///
/// # Failure
///
/// Only when the folder itself cannot be read; problems with files are in the [`Folder`].
pub fn read(versions: &Path) -> Result<Folder, Problem> {
    let shown = |p: &Path| p.display().to_string();
    let entries = std::fs::read_dir(versions).map_err(|e| {
        Problem::new(
            shown(versions),
            0,
            format!("cannot read the versions folder: {e}"),
            "create it (`mkdir -p`) or fix the path given to `migrations_build::embed`",
        )
    })?;
    let mut paths: Vec<std::path::PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut folder = Folder::default();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue; // editor swap files, .gitkeep
        }
        if path.is_dir() {
            folder.strays.push(Problem::new(
                shown(&path),
                0,
                "a folder inside the versions folder",
                "move it out; the versions folder holds only revision files",
            ));
            continue;
        }
        if let Err(why) = revision::id_from_file_name(&name) {
            folder.strays.push(Problem::new(
                shown(&path),
                0,
                format!("not a revision file: {why}"),
                "name revision files `<12 hex id>_<slug>.sql` (e.g. `3f9a1c2e7b10_add_users.sql`), or move the file out of the versions folder",
            ));
            continue;
        }
        let source = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(_) => {
                    folder.problems.push(Problem::new(
                        shown(&path),
                        0,
                        "the file is not UTF-8",
                        "save it as UTF-8",
                    ));
                    continue;
                }
            },
            Err(e) => {
                folder.problems.push(Problem::new(
                    shown(&path),
                    0,
                    format!("cannot read the file: {e}"),
                    "",
                ));
                continue;
            }
        };
        match revision::parse(&shown(&path), &source) {
            Ok(rev) => folder.files.push(RevisionFile {
                name,
                source: revision::normalize(&source),
                revision: rev,
            }),
            Err(p) => folder.problems.extend(p),
        }
    }
    Ok(folder)
}
