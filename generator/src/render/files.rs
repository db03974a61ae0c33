//! The output folder: compare it with a generation, write only what changed, remove generated
//! files that are no longer produced. The only module that touches the file system.

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
    drifts(files, out_dir, true)
}

/// The drifted files; a changed file's diff is left empty unless `with_diffs`.
fn drifts(files: &GeneratedFiles, out_dir: &Path, with_diffs: bool) -> io::Result<Vec<FileDrift>> {
    let mut drifts = Vec::new();
    for (path, generated) in files {
        match fs::read_to_string(out_dir.join(path)) {
            Ok(on_disk) if on_disk == *generated => {}
            Ok(on_disk) => {
                let diff = if with_diffs {
                    TextDiff::from_lines(&on_disk, generated)
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{path}"), &format!("b/{path}"))
                        .to_string()
                } else {
                    String::new()
                };
                drifts.push(FileDrift {
                    path: path.clone(),
                    drift: Drift::Changed(diff),
                });
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                drifts.push(FileDrift {
                    path: path.clone(),
                    drift: Drift::Missing,
                });
            }
            Err(error) => return Err(error),
        }
    }
    for path in generated_files_on_disk(out_dir, files)? {
        drifts.push(FileDrift {
            path,
            drift: Drift::Stale,
        });
    }
    Ok(drifts)
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
    let mut report = WriteReport::default();
    for drift in drifts(files, out_dir, false)? {
        let target = out_dir.join(&drift.path);
        match drift.drift {
            Drift::Changed(_) | Drift::Missing => {
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(&target, &files[&drift.path])?;
                report.written.push(drift.path);
            }
            Drift::Stale => {
                fs::remove_file(&target)?;
                report.removed.push(drift.path);
            }
        }
    }
    Ok(report)
}

/// The files below `dir` (outside `target/`) that `files` does not hold and whose first line
/// carries the generated marker, as `/`-separated relative paths.
fn generated_files_on_disk(dir: &Path, files: &GeneratedFiles) -> io::Result<Vec<String>> {
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
                if !files.contains_key(&relative) && first_line_is_generated(&path) {
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
