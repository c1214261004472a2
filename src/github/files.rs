//! What a PR file without a diff means. GitHub omits `patch` for binary files and for
//! diffs too large to show; the engine records the first as binary (nothing to
//! fingerprint) and the second as truncated (the analysis is DEGRADED, not failed).

use crate::scan::source::ChangedFile;

/// Extensions that are binary whatever GitHub says (it sometimes sends an empty patch).
const BINARY_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "avif", "tif", "tiff", "psd", "pdf",
    "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "jar", "war", "whl", "egg", "exe", "dll",
    "so", "dylib", "a", "o", "obj", "lib", "bin", "dat", "class", "pyc", "pyo", "wasm", "woff",
    "woff2", "ttf", "otf", "eot", "mp3", "mp4", "m4a", "mov", "avi", "mkv", "webm", "wav", "flac",
    "ogg", "sqlite", "db", "pack", "idx", "node", "pdb", "keystore", "jks",
];

/// Statuses that legitimately have no diff and no line counts.
const CONTENTLESS_STATUSES: &[&str] = &["renamed", "copied", "unchanged"];

/// Whether a changed file is binary: a known binary extension, or no patch and no line
/// counts for a change that should have some (a pure rename has none and is not binary).
pub fn is_binary(file: &ChangedFile) -> bool {
    has_binary_extension(&file.path)
        || (file.patch.is_none()
            && file.additions == 0
            && file.deletions == 0
            && !CONTENTLESS_STATUSES.contains(&file.status.as_str()))
}

/// Whether GitHub left out the diff of a text file (too large): the analysis of the PR is
/// then incomplete.
pub fn is_truncated(file: &ChangedFile) -> bool {
    file.patch.is_none() && !is_binary(file) && file.additions + file.deletions > 0
}

fn has_binary_extension(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && BINARY_EXTENSIONS
                .iter()
                .any(|b| b.eq_ignore_ascii_case(ext))
    })
}

/// A changed file with what the client recognised about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrFile {
    /// The file. `patch` is `None` for binary and truncated files.
    pub file: ChangedFile,
    /// Binary: nothing to fingerprint.
    pub binary: bool,
    /// Text whose diff GitHub did not send.
    pub truncated: bool,
}

impl From<ChangedFile> for PrFile {
    fn from(mut file: ChangedFile) -> Self {
        let binary = is_binary(&file);
        if binary {
            // An empty or placeholder patch of a binary file is noise to the engine.
            file.patch = None;
        }
        let truncated = is_truncated(&file);
        PrFile {
            file,
            binary,
            truncated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, status: &str, adds: u32, dels: u32, patch: Option<&str>) -> ChangedFile {
        ChangedFile {
            path: path.into(),
            previous_path: None,
            status: status.into(),
            additions: adds,
            deletions: dels,
            patch: patch.map(str::to_owned),
        }
    }

    #[test]
    fn recognises_binary_truncated_and_plain_files() {
        let png = PrFile::from(file("assets/logo.PNG", "modified", 0, 0, Some("")));
        assert!(png.binary && !png.truncated && png.file.patch.is_none());
        let blob = PrFile::from(file("data/model", "added", 0, 0, None));
        assert!(blob.binary && !blob.truncated);
        let huge = PrFile::from(file("src/big.ts", "modified", 9000, 10, None));
        assert!(!huge.binary && huge.truncated);
        let rename = PrFile::from(file("src/new.ts", "renamed", 0, 0, None));
        assert!(!rename.binary && !rename.truncated);
        let plain = PrFile::from(file(
            "src/a.ts",
            "modified",
            1,
            1,
            Some("@@ -1 +1 @@\n-a\n+b"),
        ));
        assert!(!plain.binary && !plain.truncated);
        assert!(!has_binary_extension(".gitignore"));
        assert!(!has_binary_extension("src/db.rs"));
    }
}
