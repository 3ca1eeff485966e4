//! Writing the site: every file goes into a staging folder beside the output, and the finished
//! folder is swapped in at the end, so a build that fails or is killed never leaves a
//! half-written site behind.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Marker every dateline output carries; an existing folder without it is not ours to replace.
pub const OUTPUT_MARKER: &str = ".nojekyll";

/// A build in progress: a private folder next to the final output.
pub struct Staging {
    dir: tempfile::TempDir,
    output: PathBuf,
    /// Held until the build is committed or dropped: see [`lock_parent`].
    _lock: Option<fs::File>,
}

impl Staging {
    /// Prepares a staging folder for `output`, after checking it is safe to replace.
    pub fn new(output: &Path, site_root: &Path) -> Result<Self> {
        check_output_location(output, site_root)?;
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("Couldn't create `{}`", parent.display()))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lock = lock_parent(parent);
        remove_stale_staging(parent, &name);
        let dir = tempfile::Builder::new()
            .prefix(&staging_prefix(&name))
            .tempdir_in(parent)
            .with_context(|| {
                format!("Couldn't create a staging folder in `{}`", parent.display())
            })?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one output file. `site_path` is relative to the output root with `/` separators;
    /// any path that could leave the output folder is refused.
    pub fn write(&self, site_path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.resolve(site_path)?;
        // A full disk or a read-only folder fails here; the build stops before the swap.
        let failed = || {
            format!(
                "Couldn't write `{site_path}` of the new site (staged beside `{}`); the \
                 previous output was left as it was",
                self.output.display()
            )
        };
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(failed)?;
        }
        fs::write(&target, bytes).with_context(failed)
    }

    /// The staging location of `site_path`, refusing absolute paths and `..`.
    pub fn resolve(&self, site_path: &str) -> Result<PathBuf> {
        Ok(self.dir.path().join(inside_output(site_path)?))
    }

    /// Makes the staged site the output, replacing the previous one in a single step where the
    /// platform allows it.
    pub fn commit(self) -> Result<()> {
        let staged = self.dir.path().to_path_buf();
        if self.output.exists() {
            swap(&staged, &self.output)?;
            // The staging TempDir now holds the previous site; dropping it removes it.
            drop(self.dir);
        } else {
            let staged = self.dir.keep();
            fs::rename(&staged, &self.output).with_context(|| {
                format!(
                    "Couldn't move the new site into `{}`",
                    self.output.display()
                )
            })?;
        }
        Ok(())
    }
}

/// `site_path` as a path relative to the output folder, or an error when it could leave it.
pub fn inside_output(site_path: &str) -> Result<&Path> {
    let relative = Path::new(site_path.trim_start_matches('/'));
    let safe = !relative.as_os_str().is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && !site_path.contains('\\');
    if !safe {
        bail!("refusing to write `{site_path}`: output paths must stay inside the output folder");
    }
    Ok(relative)
}

/// Where a build writes its files: a staging folder for a whole build, or the live output
/// folder for an incremental rebuild.
pub trait OutputSink: Sync {
    fn write(&self, site_path: &str, bytes: &[u8]) -> Result<()>;
}

impl OutputSink for Staging {
    fn write(&self, site_path: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, site_path, bytes)
    }
}

/// The output folder of a finished build, updated file by file by incremental rebuilds. Each
/// file is replaced atomically (a temporary file beside it, then a rename), so a reader or a
/// crash sees the old page or the new one, never half of one.
pub struct LiveOutput {
    dir: PathBuf,
}

impl LiveOutput {
    pub fn new(dir: &Path) -> Self {
        LiveOutput {
            dir: dir.to_path_buf(),
        }
    }

    /// Removes a file a previous build wrote and this one does not, and any folders it leaves
    /// empty. A file already gone is not an error.
    pub fn remove(&self, site_path: &str) -> Result<()> {
        let relative = inside_output(site_path)?;
        let target = self.dir.join(relative);
        match fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("Couldn't remove `{site_path}`"));
            }
        }
        let mut folder = target.parent();
        while let Some(dir) = folder.filter(|d| *d != self.dir && d.starts_with(&self.dir)) {
            if fs::remove_dir(dir).is_err() {
                break;
            }
            folder = dir.parent();
        }
        Ok(())
    }
}

impl OutputSink for LiveOutput {
    fn write(&self, site_path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.dir.join(inside_output(site_path)?);
        let parent = target.parent().unwrap_or(&self.dir);
        fs::create_dir_all(parent)
            .with_context(|| format!("Couldn't create `{}`", parent.display()))?;
        let mut file = tempfile::Builder::new()
            .prefix(".dateline-")
            .tempfile_in(parent)
            .with_context(|| format!("Couldn't write `{site_path}` to the output"))?;
        std::io::Write::write_all(&mut file, bytes)
            .with_context(|| format!("Couldn't write `{site_path}` to the output"))?;
        // Temporary files are created private; a page must be readable like one `build` wrote.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = file
                .as_file()
                .set_permissions(fs::Permissions::from_mode(0o644));
        }
        file.persist(&target)
            .map_err(|e| e.error)
            .with_context(|| format!("Couldn't write `{site_path}` to the output"))?;
        Ok(())
    }
}

fn staging_prefix(output_name: &str) -> String {
    format!(".{output_name}.dateline-staging-")
}

/// Two builds writing beside each other (a `watch` and a `build` of the same site) must not
/// sweep each other's staging folder as stale, so a build holds an exclusive lock on the
/// output's parent folder while it stages; a second build waits for the first. A lock is
/// released by the kernel when its process dies, so a killed build never blocks the next.
/// Where locking is unsupported, builds go ahead unlocked.
#[cfg(unix)]
fn lock_parent(parent: &Path) -> Option<fs::File> {
    use rustix::fs::{FlockOperation, flock};
    let folder = fs::File::open(parent).ok()?;
    if flock(&folder, FlockOperation::NonBlockingLockExclusive).is_err() {
        eprintln!(
            "waiting for another dateline build writing into `{}`…",
            parent.display()
        );
        flock(&folder, FlockOperation::LockExclusive).ok()?;
    }
    Some(folder)
}

#[cfg(not(unix))]
fn lock_parent(_parent: &Path) -> Option<fs::File> {
    None
}

/// A killed build leaves its staging folder behind; the next build of the same output clears
/// it. Only folders with our exact prefix are touched.
fn remove_stale_staging(parent: &Path, output_name: &str) {
    let prefix = staging_prefix(output_name);
    let Ok(items) = fs::read_dir(parent) else {
        return;
    };
    for item in items.flatten() {
        if item.file_name().to_string_lossy().starts_with(&prefix) && item.path().is_dir() {
            let _ = fs::remove_dir_all(item.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn swap(staged: &Path, output: &Path) -> Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, staged, CWD, output, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // Some file systems do not support an atomic exchange; fall back to two renames.
        Err(_) => swap_by_renames(staged, output),
    }
}

#[cfg(not(target_os = "linux"))]
fn swap(staged: &Path, output: &Path) -> Result<()> {
    swap_by_renames(staged, output)
}

/// Moves the old output into the staging folder's place, then the new site into the output's.
/// Between the two renames the output path is briefly missing, never half-written.
fn swap_by_renames(staged: &Path, output: &Path) -> Result<()> {
    let mut parked = staged.as_os_str().to_owned();
    parked.push(".previous");
    let parked = PathBuf::from(parked);
    fs::rename(output, &parked)
        .with_context(|| format!("Couldn't move the previous `{}` aside", output.display()))?;
    if let Err(e) = fs::rename(staged, output) {
        let _ = fs::rename(&parked, output);
        return Err(e)
            .with_context(|| format!("Couldn't move the new site into `{}`", output.display()));
    }
    fs::rename(&parked, staged).context("Couldn't clear the previous output")?;
    Ok(())
}

/// Refuses outputs that would replace the site itself or a folder dateline did not write.
fn check_output_location(output: &Path, site_root: &Path) -> Result<()> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (output_abs, root_abs) = (absolute(output), absolute(site_root));
    if root_abs.starts_with(&output_abs) {
        bail!(
            "The output folder `{}` contains the site itself; choose a folder inside it, e.g. `public`",
            output.display()
        );
    }
    for owned in ["content", "templates", "static", "articles"] {
        if output_abs.starts_with(root_abs.join(owned)) {
            bail!(
                "The output folder `{}` is inside the site's `{owned}/` folder; choose another one",
                output.display()
            );
        }
    }
    if output.exists() {
        if !output.is_dir() {
            bail!(
                "The output path `{}` exists and is not a folder",
                output.display()
            );
        }
        let is_empty = fs::read_dir(output)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !is_empty && !output.join(OUTPUT_MARKER).exists() {
            bail!(
                "Refusing to replace `{}`: it is not empty and was not written by dateline (no `{OUTPUT_MARKER}`). \
                 Remove it or choose another output folder",
                output.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        let root = tempfile::tempdir().unwrap();
        let staging = Staging::new(&root.path().join("public"), root.path()).unwrap();
        for bad in ["../x", "a/../../x", "/", "", "a\\..\\x", "./x/../../y"] {
            assert!(staging.resolve(bad).is_err(), "{bad}");
        }
        assert!(staging.resolve("/entries/x/index.html").is_ok());
    }

    #[test]
    fn commit_replaces_previous_output_whole() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        for (i, name) in ["first.html", "second.html"].iter().enumerate() {
            let staging = Staging::new(&output, root.path()).unwrap();
            staging.write(OUTPUT_MARKER, b"").unwrap();
            staging.write(name, format!("{i}").as_bytes()).unwrap();
            staging.commit().unwrap();
        }
        assert!(output.join("second.html").exists());
        assert!(!output.join("first.html").exists());
        let leftovers: Vec<_> = fs::read_dir(root.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn dropped_staging_leaves_output_untouched() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        fs::create_dir(&output).unwrap();
        fs::write(output.join(OUTPUT_MARKER), "").unwrap();
        fs::write(output.join("old.html"), "old").unwrap();
        let staging = Staging::new(&output, root.path()).unwrap();
        staging.write("new.html", b"new").unwrap();
        drop(staging);
        assert_eq!(fs::read_to_string(output.join("old.html")).unwrap(), "old");
        assert!(!output.join("new.html").exists());
    }

    #[test]
    fn refuses_foreign_or_enclosing_outputs() {
        let root = tempfile::tempdir().unwrap();
        let foreign = root.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("thesis.txt"), "mine").unwrap();
        let err = Staging::new(&foreign, root.path())
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("not written by dateline"), "{err}");
        assert!(Staging::new(root.path(), root.path()).is_err());
        assert!(Staging::new(&root.path().join("content/out"), root.path()).is_err());
    }

    #[test]
    fn a_second_build_waits_for_the_first_and_keeps_its_staging() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        let first = Staging::new(&output, root.path()).unwrap();
        first.write("first.html", b"1").unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let (output2, root2) = (output.clone(), root.path().to_path_buf());
        let second = std::thread::spawn(move || {
            let staging = Staging::new(&output2, &root2).unwrap();
            sender.send(()).unwrap();
            staging.write(OUTPUT_MARKER, b"").unwrap();
            staging.write("second.html", b"2").unwrap();
            staging.commit().unwrap();
        });
        // The second build is blocked while the first one stages.
        assert!(
            receiver
                .recv_timeout(std::time::Duration::from_millis(300))
                .is_err()
        );
        assert!(first.path().join("first.html").exists());
        first.write(OUTPUT_MARKER, b"").unwrap();
        first.commit().unwrap();
        second.join().unwrap();
        assert!(output.join("second.html").exists());
    }

    #[test]
    fn a_failed_write_names_the_file_and_keeps_the_previous_output() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        let staging = Staging::new(&output, root.path()).unwrap();
        staging
            .write("entries", b"a file where a folder must go")
            .unwrap();
        let err = format!(
            "{:#}",
            staging.write("entries/x/index.html", b"").unwrap_err()
        );
        assert!(
            err.contains("Couldn't write `entries/x/index.html` of the new site"),
            "{err}"
        );
        assert!(err.contains("public"), "{err}");
        assert!(
            err.contains("the previous output was left as it was"),
            "{err}"
        );
    }

    #[test]
    fn stale_staging_is_swept() {
        let root = tempfile::tempdir().unwrap();
        let stale = root.path().join(".public.dateline-staging-abc123");
        fs::create_dir(&stale).unwrap();
        let _staging = Staging::new(&root.path().join("public"), root.path()).unwrap();
        assert!(!stale.exists());
    }
}
