//! The versions folder: one reader for the build step and the CLI, with the same rules (every
//! file a revision, hidden files skipped, each problem naming its file), and the one writer of
//! new revision files (fresh ids, file names, heads).
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

use crate::error::{Error, Problem, Result};
use crate::revision::{self, Revision};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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

/// The largest revision file read: anything bigger is a mistake (bulk data belongs in the app,
/// or in a file the revision does not embed), and reading it would cost the build its memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Whether `path` may be read as a revision file: a regular file (or a symbolic link to one
/// inside the folder that holds `versions`, the project's migrations folder), at most
/// [`MAX_FILE_BYTES`]. A FIFO would hang the build, `/dev/zero` would read until memory runs
/// out, and a link out of the project would embed a file nobody reviews with the revisions.
fn regular_file_inside(path: &Path, versions: &Path) -> std::result::Result<(), Problem> {
    let shown = path.display().to_string();
    let problem = |message: String, hint: &str| Problem::new(&shown, 0, message, hint);
    let link = std::fs::symlink_metadata(path)
        .map_err(|e| problem(format!("cannot read the file: {e}"), ""))?;
    if link.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|e| {
            problem(
                format!("a symbolic link that does not resolve: {e}"),
                "fix or remove the link",
            )
        })?;
        let project = versions
            .parent()
            .and_then(|p| std::fs::canonicalize(p).ok())
            .unwrap_or_else(|| versions.to_path_buf());
        if !target.starts_with(&project) {
            return Err(problem(
                format!(
                    "a symbolic link to {}, outside {}",
                    target.display(),
                    project.display()
                ),
                "copy the file into the versions folder (a revision is reviewed and versioned with the others)",
            ));
        }
    }
    let meta = match link.file_type().is_symlink() {
        true => std::fs::metadata(path)
            .map_err(|e| problem(format!("cannot read the file: {e}"), ""))?,
        false => link,
    };
    if !meta.is_file() {
        return Err(problem(
            "not a regular file (a FIFO, a device or a socket)".into(),
            "put a revision file here, or move this out of the versions folder",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(problem(
            format!(
                "the file is {} MiB; revision files may be at most {} MiB",
                meta.len().div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            "split it into several revisions, or load bulk data from the app",
        ));
    }
    Ok(())
}

/// Reads every file of `versions`.
///
/// # Failure
///
/// Only when the folder itself cannot be read; problems with files are in the [`Folder`].
pub fn read(versions: &Path) -> std::result::Result<Folder, Problem> {
    let mut folder = Folder::default();
    scan(
        versions,
        &mut folder,
        &mut |folder, name, path, source| match revision::parse(path, &source) {
            Ok(rev) => folder.files.push(RevisionFile {
                name,
                // Normalised by the parse already.
                source: rev.source.clone(),
                revision: rev,
            }),
            Err(p) => folder.problems.extend(p),
        },
    )?;
    Ok(folder)
}

/// The files of `versions` as [`read`] finds them, sorted by name: strays and unreadable
/// files go to `folder`'s problems, and each revision file's name, path as shown and text go
/// to `file`.
fn scan(
    versions: &Path,
    folder: &mut Folder,
    file: &mut dyn FnMut(&mut Folder, String, &str, String),
) -> std::result::Result<(), Problem> {
    // As `display()` shows it, without its formatting machinery when the path is UTF-8.
    let shown = |p: &Path| {
        p.to_str()
            .map_or_else(|| p.display().to_string(), str::to_string)
    };
    let entries = std::fs::read_dir(versions).map_err(|e| {
        Problem::new(
            shown(versions),
            0,
            format!("cannot read the versions folder: {e}"),
            "create it (`mkdir -p`) or fix the path given to `migrations_build::embed`",
        )
    })?;
    // By name (all in one folder: comparing paths component by component cost a quarter of
    // `db history` at 20,000 revisions). The entry's type needs no `stat` unless it is a link.
    let mut entries: Vec<(String, std::fs::DirEntry)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e))
        .collect();
    entries.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    for (name, entry) in entries {
        if name.starts_with('.') {
            continue; // editor swap files, .gitkeep
        }
        let path = entry.path();
        let is_dir = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_dir(),
            _ => path.is_dir(),
        };
        if is_dir {
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
        if let Err(why) = regular_file_inside(&path, versions) {
            folder.problems.push(why);
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
        file(folder, name, &shown(&path), source);
    }
    Ok(())
}

/// How the versions folder differs from the files a build embedded: what `cargo build` has not
/// taken in yet. File names, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unbuilt {
    /// Revision files in the folder that the build does not carry (written since the build).
    pub new: Vec<String>,
    /// Embedded files whose text in the folder has another checksum (edited since the build).
    pub changed: Vec<String>,
    /// Embedded files no longer in the folder (removed or renamed since the build).
    pub gone: Vec<String>,
}

impl Unbuilt {
    /// Whether the folder holds exactly what the build embedded.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.changed.is_empty() && self.gone.is_empty()
    }

    /// The differences in words: `new, not built in: a.sql; changed on disk since the build: b.sql`.
    pub fn describe(&self) -> String {
        [
            ("new, not built in", &self.new),
            ("changed on disk since the build", &self.changed),
            ("gone from the folder", &self.gone),
        ]
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(what, names)| format!("{what}: {}", names.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
    }
}

/// Compares the `(file name, checksum)` pairs a build embedded with those of the folder now
/// (checksums of the normalised text, as [`revision::checksum`] computes them).
///
/// ```
/// use migrations_core::folder::{compare, Unbuilt};
///
/// let built = [("a_x.sql", "1"), ("b_y.sql", "2"), ("c_z.sql", "3")];
/// let now = [("a_x.sql", "1"), ("b_y.sql", "9"), ("d_w.sql", "4")];
/// assert_eq!(
///     compare(&built, &now),
///     Unbuilt { new: vec!["d_w.sql".into()], changed: vec!["b_y.sql".into()], gone: vec!["c_z.sql".into()] }
/// );
/// ```
pub fn compare(embedded: &[(&str, &str)], on_disk: &[(&str, &str)]) -> Unbuilt {
    // Both sorted by name (they come sorted: then sorting is one pass), and walked side by side.
    fn sorted<'a>(pairs: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut pairs = pairs.to_vec();
        pairs.sort_unstable();
        pairs.dedup_by(|a, b| a.0 == b.0);
        pairs
    }
    let (built, now) = (sorted(embedded), sorted(on_disk));
    let mut unbuilt = Unbuilt::default();
    let (mut b, mut n) = (built.iter().peekable(), now.iter().peekable());
    loop {
        match (b.peek(), n.peek()) {
            (Some(&&(bn, bs)), Some(&&(nn, ns))) if bn == nn => {
                if bs != ns {
                    unbuilt.changed.push(nn.to_string());
                }
                b.next();
                n.next();
            }
            (Some(&&(bn, _)), Some(&&(nn, _))) if nn < bn => {
                unbuilt.new.push(nn.to_string());
                n.next();
            }
            (Some(&&(bn, _)), _) => {
                unbuilt.gone.push(bn.to_string());
                b.next();
            }
            (None, Some(&&(nn, _))) => {
                unbuilt.new.push(nn.to_string());
                n.next();
            }
            (None, None) => return unbuilt,
        }
    }
}

/// The revision files of `versions` that parse, as `(file name, checksum)`; `None` when the
/// folder does not exist (a deployed binary: the folder stayed on the build machine).
pub fn checksums(versions: &Path) -> Option<Vec<(String, String)>> {
    checksums_knowing(versions, &|_| None)
}

/// [`checksums`], where `known(name)` gives the text and checksum of a file already parsed
/// (one a build embedded): a file whose text is that text has that checksum, without being
/// parsed or hashed again.
pub(crate) fn checksums_knowing<'a>(
    versions: &Path,
    known: &dyn Fn(&str) -> Option<(&'a str, &'a str)>,
) -> Option<Vec<(String, String)>> {
    if !versions.is_dir() {
        return None;
    }
    let mut sums = Vec::new();
    scan(
        versions,
        &mut Folder::default(),
        &mut |_, name, path, source| {
            let text = revision::normalize(&source);
            match known(&name) {
                Some((known_text, sum)) if known_text == text => sums.push((name, sum.to_string())),
                _ => {
                    if let Ok(rev) = revision::parse(path, &source) {
                        sums.push((name, rev.checksum));
                    }
                }
            }
        },
    )
    .ok()?;
    Some(sums)
}

/// Parses the revision files currently in the versions folder (not the embedded ones: the
/// folder may be ahead of the binary).
pub fn read_revisions(dir: &Path) -> Result<Vec<Revision>> {
    let folder = read(dir).map_err(|p| Error::Invalid(vec![p]))?;
    let problems = folder.all_problems();
    if problems.is_empty() {
        Ok(folder.revisions())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The head a new revision revises (none for the first one), or an error saying to merge.
pub fn single_head(revisions: &[Revision]) -> Result<Vec<String>> {
    let heads = heads(revisions);
    if heads.len() > 1 {
        return Err(Error::SeveralHeads(heads));
    }
    Ok(heads)
}

/// Ids that no revision revises, sorted.
pub fn heads(revisions: &[Revision]) -> Vec<String> {
    let parents: BTreeSet<&str> = revisions
        .iter()
        .flat_map(|r| r.revises.iter().map(String::as_str))
        .collect();
    let mut heads: Vec<String> = revisions
        .iter()
        .filter(|r| !parents.contains(r.id.as_str()))
        .map(|r| r.id.clone())
        .collect();
    heads.sort();
    heads
}

/// Writes a blank revision revising `parents` with a fresh id; returns its path.
pub fn write_blank(
    dir: &Path,
    existing: &[Revision],
    parents: &[String],
    message: &str,
) -> Result<PathBuf> {
    let (id, path) = new_revision_path(dir, existing, message)?;
    let text = revision::render_blank(&id, parents, message, &now_utc());
    write_file(&path, &text)?;
    Ok(path)
}

/// A fresh revision id that no revision of `existing` has, and the path of its file in `dir`
/// (`<id>_<slug of message>.sql`): how every new revision file is named.
pub fn new_revision_path(
    dir: &Path,
    existing: &[Revision],
    message: &str,
) -> Result<(String, PathBuf)> {
    let id = loop {
        let id = new_revision_id()?;
        if existing.iter().all(|r| r.id != id) {
            break id;
        }
    };
    let path = dir.join(format!("{id}_{}.sql", revision::slug(message)));
    Ok((id, path))
}

/// Writes `text` to `path`, naming the path when it fails.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::Io {
        context: format!("writing {}", path.display()),
        source: e,
    })
}

/// 12 random lowercase hex characters.
pub fn new_revision_id() -> Result<String> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::NoRandomness(format!("for a revision id: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The current time as `YYYY-MM-DD HH:MM:SS UTC`.
pub(crate) fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    format_utc(secs)
}

/// Formats seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC` (civil-from-days).
fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_795_257_900), "2026-11-21 10:45:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn ids_are_valid() {
        let id = new_revision_id().unwrap();
        assert!(revision::is_valid_id(&id), "{id}");
        assert_ne!(id, new_revision_id().unwrap());
    }

    #[test]
    fn the_folder_is_compared_with_the_build_whatever_the_order_of_either() {
        let built = [
            ("c.sql", "3"),
            ("a.sql", "1"),
            ("e.sql", "5"),
            ("b.sql", "2"),
        ];
        let now = [
            ("f.sql", "6"),
            ("b.sql", "9"),
            ("a.sql", "1"),
            ("0.sql", "0"),
            ("d.sql", "4"),
        ];
        let unbuilt = compare(&built, &now);
        assert_eq!(unbuilt.new, ["0.sql", "d.sql", "f.sql"]);
        assert_eq!(unbuilt.changed, ["b.sql"]);
        assert_eq!(unbuilt.gone, ["c.sql", "e.sql"]);
        assert!(compare(&built, &built).is_empty());
        assert_eq!(compare(&[], &now).new.len(), now.len());
        assert_eq!(compare(&built, &[]).gone.len(), built.len());
    }

    #[test]
    fn heads_of_a_branched_folder() {
        let rev = |id: &str, parents: &str| {
            crate::testing::Fixture::new(id)
                .revises(parents)
                .up("")
                .down("")
                .revision()
        };
        let a = "a".repeat(12);
        let b = "b".repeat(12);
        let c = "c".repeat(12);
        assert_eq!(
            heads(&[rev(&a, ""), rev(&b, &a), rev(&c, &a)]),
            [b.clone(), c]
        );
        assert!(matches!(
            single_head(&[rev(&a, ""), rev(&b, &a), rev(&"c".repeat(12), &a)]),
            Err(Error::SeveralHeads(h)) if h.len() == 2
        ));
        assert_eq!(heads(&[rev(&a, ""), rev(&b, &a)]), [b]);
    }

    #[cfg(unix)]
    #[test]
    fn what_is_not_a_regular_file_of_the_project_is_refused_without_reading_it() {
        let project = tempfile::tempdir().unwrap();
        let versions = project.path().join("versions");
        std::fs::create_dir(&versions).unwrap();
        let outside = tempfile::tempdir().unwrap();
        let elsewhere = outside.path().join("aaaaaaaaaaaa_x.sql");
        std::fs::write(
            &elsewhere,
            "-- Revision: aaaaaaaaaaaa\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n",
        )
        .unwrap();
        let fifo = versions.join("bbbbbbbbbbbb_fifo.sql");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        std::os::unix::fs::symlink("/dev/zero", versions.join("cccccccccccc_zero.sql")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, versions.join("aaaaaaaaaaaa_x.sql")).unwrap();
        let big = std::fs::File::create(versions.join("dddddddddddd_big.sql")).unwrap();
        big.set_len(MAX_FILE_BYTES + 1).unwrap();
        // A link to a file inside the project is fine.
        let shared = project.path().join("eeeeeeeeeeee_shared.sql");
        std::fs::write(
            &shared,
            "-- Revision: eeeeeeeeeeee\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n",
        )
        .unwrap();
        std::os::unix::fs::symlink(&shared, versions.join("eeeeeeeeeeee_shared.sql")).unwrap();

        let folder = read(&versions).unwrap(); // returns: nothing hangs or fills memory
        let said: Vec<String> = folder.problems.iter().map(|p| p.to_string()).collect();
        let find = |name: &str| {
            said.iter()
                .find(|p| p.contains(name))
                .cloned()
                .unwrap_or_default()
        };
        assert!(
            find("bbbbbbbbbbbb_fifo.sql").contains("not a regular file"),
            "{said:?}"
        );
        assert!(
            find("cccccccccccc_zero.sql").contains("outside"),
            "{said:?}"
        );
        assert!(find("aaaaaaaaaaaa_x.sql").contains("outside"), "{said:?}");
        assert!(
            find("dddddddddddd_big.sql").contains("at most 16 MiB"),
            "{said:?}"
        );
        assert_eq!(said.len(), 4, "{said:?}");
        assert_eq!(folder.files.len(), 1);
        assert_eq!(folder.files[0].revision.id, "eeeeeeeeeeee");
    }
}
