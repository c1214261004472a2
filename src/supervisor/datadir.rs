//! The data root on the volume: directories with the right owner and mode, and the
//! generated service passwords that live there.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::Context;
use nix::unistd::{Uid, User};

use super::process::RunAs;
use crate::secret::Secret;

/// The account that embedded services run as when we are root.
pub fn resolve_run_as(requested: Option<&str>) -> anyhow::Result<Option<RunAs>> {
    if !Uid::effective().is_root() {
        return Ok(None);
    }
    let candidates: Vec<&str> = match requested {
        Some(name) => vec![name],
        None => vec!["postgres", "nobody"],
    };
    for name in &candidates {
        if let Some(user) =
            User::from_name(name).with_context(|| format!("Cannot look up user {name}"))?
        {
            if user.uid.is_root() {
                anyhow::bail!(
                    "EMBEDDED_RUN_AS: `{name}` is root; Postgres and Redis must not run as root"
                );
            }
            return Ok(Some(RunAs {
                name: user.name,
                uid: user.uid,
                gid: user.gid,
            }));
        }
    }
    anyhow::bail!(
        "EMBEDDED_RUN_AS: no user {} exists to run Postgres and Redis as",
        candidates.join(" or ")
    )
}

/// Creates `DATA_ROOT` and checks it is writable, with a message that names it.
pub fn prepare_root(root: &Path, run_as: Option<&RunAs>) -> anyhow::Result<PathBuf> {
    fs::create_dir_all(root)
        .with_context(|| format!("DATA_ROOT {}: cannot create directory", root.display()))?;
    let root = root
        .canonicalize()
        .with_context(|| format!("DATA_ROOT {}: cannot resolve path", root.display()))?;
    let probe = root.join(".write-test");
    fs::write(&probe, b"ok")
        .and_then(|()| fs::remove_file(&probe))
        .with_context(|| format!("DATA_ROOT {}: not writable", root.display()))?;
    if run_as.is_some() {
        // The service account must be able to traverse the root to reach its own
        // directory; it gets no read access to the root's listing or our secrets.
        let mode = fs::metadata(&root)?.permissions().mode();
        if mode & 0o001 == 0 {
            fs::set_permissions(&root, fs::Permissions::from_mode((mode & 0o7777) | 0o711))
                .with_context(|| format!("DATA_ROOT {}: cannot set permissions", root.display()))?;
        }
    }
    Ok(root)
}

/// Creates a service directory (mode 0700) owned by the service account.
pub fn service_dir(root: &Path, name: &str, run_as: Option<&RunAs>) -> anyhow::Result<PathBuf> {
    let dir = root.join(name);
    fs::create_dir_all(&dir).with_context(|| format!("Cannot create {}", dir.display()))?;
    if let Some(user) = run_as {
        chown_tree(&dir, user)?;
    }
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
        .with_context(|| format!("Cannot set permissions on {}", dir.display()))?;
    Ok(dir)
}

/// Gives a whole tree to `user` unless its top already belongs to them (a restored
/// volume or a changed account would otherwise leave files the service cannot open).
fn chown_tree(dir: &Path, user: &RunAs) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(dir)?;
    if meta.uid() == user.uid.as_raw() && meta.gid() == user.gid.as_raw() {
        return Ok(());
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        nix::unistd::chown(&path, Some(user.uid), Some(user.gid))
            .with_context(|| format!("Cannot give {} to {}", path.display(), user.name))?;
        if fs::symlink_metadata(&path)?.is_dir() {
            for entry in fs::read_dir(&path)? {
                stack.push(entry?.path());
            }
        }
    }
    Ok(())
}

/// Length of generated passwords, in random bytes (hex-encoded: twice as many chars).
const PASSWORD_BYTES: usize = 24;

/// Reads the password stored at `DATA_ROOT/secrets/<name>`, generating it on first use.
/// The file is 0600 and owned by the supervisor's user.
pub fn load_or_create_password(root: &Path, name: &str) -> anyhow::Result<Secret> {
    let dir = root.join("secrets");
    fs::create_dir_all(&dir).with_context(|| format!("Cannot create {}", dir.display()))?;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))?;
    let path = dir.join(name);
    match fs::read_to_string(&path) {
        Ok(existing) if !existing.trim().is_empty() => return Ok(Secret::new(existing.trim())),
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(err).with_context(|| format!("Cannot read {}", path.display())),
    }
    let password = hex::encode(rand::random::<[u8; PASSWORD_BYTES]>());
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("Cannot write {}", path.display()))?;
    file.write_all(password.as_bytes())?;
    file.sync_all()?;
    Ok(Secret::new(password))
}

/// Writes a file only the service account can read (a config holding a password).
pub fn write_private_file(
    path: &Path,
    contents: &str,
    run_as: Option<&RunAs>,
) -> anyhow::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("Cannot write {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    if let Some(user) = run_as {
        nix::unistd::chown(path, Some(user.uid), Some(user.gid))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_generated_once_and_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = load_or_create_password(dir.path(), "pg").expect("create");
        let second = load_or_create_password(dir.path(), "pg").expect("load");
        assert_eq!(first, second);
        assert_eq!(first.expose().len(), PASSWORD_BYTES * 2);
        let mode = fs::metadata(dir.path().join("secrets/pg"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn prepare_root_names_the_path_when_it_cannot_be_created() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("a-file");
        fs::write(&file, b"x").expect("write");
        let err = prepare_root(&file.join("sub"), None).expect_err("under a file");
        assert!(format!("{err:#}").contains("DATA_ROOT"), "{err:#}");
    }
}
