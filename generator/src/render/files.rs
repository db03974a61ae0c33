//! The output folder: compare it with a generation, write only what changed, remove generated
//! files that are no longer produced. The only module that touches the file system.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use super::{GeneratedFiles, GENERATED_MARKER};

/// How a file on disk differs from the generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file exists with other content; the unified diff from disk to generation.
    Changed(String),
    /// The generation has the file; the disk does not.
    Missing,
    /// The disk has a generated file the generation no longer produces.
    Stale,
}

/// One drifted file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDrift {
    /// The path relative to the crate's root.
    pub path: String,
    /// How it differs.
    pub drift: Drift,
}

/// Compares `out_dir` with `files`, in path order.
pub fn compare(files: &GeneratedFiles, out_dir: &Path) -> io::Result<Vec<FileDrift>> {
    let mut comparison = Comparison::new(out_dir);
    for (path, text) in files {
        comparison.file(path, text)?;
    }
    comparison.finish()
}

/// A folder compared with a generation file by file, as the files are made (in any order), so
/// that the generation never has to be held whole.
#[derive(Debug)]
pub struct Comparison<'a> {
    out_dir: &'a Path,
    generated: BTreeSet<String>,
    drifts: Vec<FileDrift>,
}

impl<'a> Comparison<'a> {
    /// A comparison with `out_dir`.
    pub fn new(out_dir: &'a Path) -> Self {
        Comparison {
            out_dir,
            generated: BTreeSet::new(),
            drifts: Vec::new(),
        }
    }

    /// Compares one generated file with the disk.
    pub fn file(&mut self, path: &str, generated: &str) -> io::Result<()> {
        self.generated.insert(path.to_owned());
        if let Some(drift) = drift(self.out_dir, path, generated, true)? {
            self.drifts.push(FileDrift {
                path: path.to_owned(),
                drift,
            });
        }
        Ok(())
    }

    /// Every drifted file, in path order, with the stale generated files the generation no longer
    /// produced.
    pub fn finish(mut self) -> io::Result<Vec<FileDrift>> {
        let generated = &self.generated;
        for path in generated_files_on_disk(self.out_dir, |path| generated.contains(path))? {
            self.drifts.push(FileDrift {
                path,
                drift: Drift::Stale,
            });
        }
        self.drifts.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(self.drifts)
    }
}

/// How the file at `path` under `out_dir` differs from `generated`; `None` when it does not. A
/// changed file's diff is left empty unless `with_diff`.
fn drift(
    out_dir: &Path,
    path: &str,
    generated: &str,
    with_diff: bool,
) -> io::Result<Option<Drift>> {
    match fs::read_to_string(out_dir.join(path)) {
        Ok(on_disk) if on_disk == generated => Ok(None),
        Ok(on_disk) => {
            let diff = if with_diff {
                TextDiff::from_lines(on_disk.as_str(), generated)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{path}"), &format!("b/{path}"))
                    .to_string()
            } else {
                String::new()
            };
            Ok(Some(Drift::Changed(diff)))
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Some(Drift::Missing)),
        Err(error) => Err(error),
    }
}

/// The text of the file at `path` under `out_dir`; `None` when there is none.
pub fn read(out_dir: &Path, path: &str) -> io::Result<Option<String>> {
    match fs::read_to_string(out_dir.join(path)) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Appends `entry` to the file at `path` under `out_dir`, which starts with `first` when this
/// creates it. Such a file (`CHANGELOG.md`) carries no generated header: a generation does not
/// make it, so `check` does not compare it and nothing removes it.
pub fn append(out_dir: &Path, path: &str, first: &str, entry: &str) -> io::Result<()> {
    let mut text = read(out_dir, path)?.unwrap_or_else(|| first.to_owned());
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(entry);
    let target = out_dir.join(path);
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(target, text)
}

/// What [`write()`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written because they were new or changed.
    pub written: Vec<String>,
    /// Stale generated files removed.
    pub removed: Vec<String>,
}

/// Writes the files that differ and removes stale generated files.
pub fn write(files: &GeneratedFiles, out_dir: &Path) -> io::Result<WriteReport> {
    let mut writer = Writer::new(out_dir);
    for (path, text) in files {
        writer.file(path, text)?;
    }
    writer.finish()
}

/// A generation written into a folder file by file, as the files are made (in any order): a file
/// is written only when it differs from the disk, and [`Writer::finish`] removes the stale ones.
#[derive(Debug)]
pub struct Writer<'a> {
    out_dir: &'a Path,
    generated: BTreeSet<String>,
    /// The folders files went into so far, and whether each was made by this writer (so holds
    /// nothing to compare with): each is looked at and made once, not once per file.
    folders: BTreeMap<PathBuf, bool>,
    report: WriteReport,
}

impl<'a> Writer<'a> {
    /// A writer into `out_dir`.
    pub fn new(out_dir: &'a Path) -> Self {
        Writer {
            out_dir,
            generated: BTreeSet::new(),
            folders: BTreeMap::new(),
            report: WriteReport::default(),
        }
    }

    /// Writes one generated file, unless the disk already holds it.
    pub fn file(&mut self, path: &str, generated: &str) -> io::Result<()> {
        self.generated.insert(path.to_owned());
        let target = self.out_dir.join(path);
        let new_folder = match target.parent() {
            Some(parent) => self.folder(parent)?,
            None => false,
        };
        if new_folder || drift(self.out_dir, path, generated, false)?.is_some() {
            fs::write(&target, generated)?;
            self.report.written.push(path.to_owned());
        }
        Ok(())
    }

    /// Makes sure the folder `dir` exists: whether this writer made it (a folder it made holds
    /// only what it wrote, so a file there needs no comparison). A new output folder's 1,300 files
    /// (Stripe's) were each a failed read and a `mkdir` before.
    fn folder(&mut self, dir: &Path) -> io::Result<bool> {
        if let Some(made) = self.folders.get(dir) {
            return Ok(*made);
        }
        let made = !dir.is_dir();
        if made {
            fs::create_dir_all(dir)?;
        }
        self.folders.insert(dir.to_path_buf(), made);
        Ok(made)
    }

    /// Removes the generated files the generation no longer produced; what was written and
    /// removed, each in path order.
    pub fn finish(mut self) -> io::Result<WriteReport> {
        let generated = &self.generated;
        for path in generated_files_on_disk(self.out_dir, |path| generated.contains(path))? {
            fs::remove_file(self.out_dir.join(&path))?;
            self.report.removed.push(path);
        }
        self.report.written.sort();
        Ok(self.report)
    }
}

/// The files below `dir` (outside `target/`) that are not `generated` and whose first line
/// carries the generated marker, as `/`-separated relative paths.
fn generated_files_on_disk(
    dir: &Path,
    generated: impl Fn(&str) -> bool,
) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if entry.file_name() != "target" {
                    stack.push(path);
                }
            } else {
                let relative = path.strip_prefix(dir).unwrap_or(&path);
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                let relative = parts.join("/");
                if !generated(&relative) && first_line_is_generated(&path) {
                    found.push(relative);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

fn first_line_is_generated(path: &Path) -> bool {
    fs::read_to_string(path)
        .map(|text| {
            text.lines()
                .next()
                .is_some_and(|line| line.contains(GENERATED_MARKER))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::Writer;

    #[test]
    fn a_writer_writes_what_differs_into_new_and_existing_folders() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("crate");
        let files = [
            ("Cargo.toml", "a"),
            ("src/lib.rs", "b"),
            ("src/models/x.rs", "c"),
            ("src/models/y.rs", "d"),
        ];
        let mut writer = Writer::new(&out);
        for (path, text) in files {
            writer.file(path, text).expect("written");
        }
        let report = writer.finish().expect("finished");
        assert_eq!(report.written.len(), 4, "{report:?}");
        for (path, text) in files {
            assert_eq!(std::fs::read_to_string(out.join(path)).unwrap(), text);
        }
        // Again, with one file changed: only that one is written, into a folder that exists.
        let mut writer = Writer::new(&out);
        for (path, text) in files {
            let text = if path == "src/models/y.rs" { "e" } else { text };
            writer.file(path, text).expect("written");
        }
        let report = writer.finish().expect("finished");
        assert_eq!(report.written, ["src/models/y.rs"]);
        assert_eq!(
            std::fs::read_to_string(out.join("src/models/y.rs")).unwrap(),
            "e"
        );
    }
}
