//! Writing files so that a crash never leaves half a file: whole-or-nothing writes
//! (a temporary file synced, then renamed), private files and folders for personal
//! data, and the paths a workspace keeps relative to itself. Every writer in the
//! engine uses these, so none of them depends on the workspace model. Reading
//! side: [`ContentStamp`], what a file held when it was read.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A file as it was read: its size when opened and an XXH3 hash of every byte.
/// Stamps are equal only when the contents are: a file edited with its size and
/// modification time kept (`cp -p`, rsync, unzip) gets another hash, and a file
/// only touched keeps its stamp. Taken while a source is imported
/// ([`HashingReader`]), so it costs no extra read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentStamp {
    pub size: u64,
    pub hash: u64,
}

impl ContentStamp {
    /// The stamp of the file at `path` as it is now (every byte read and hashed).
    pub fn of_file(path: &Path) -> std::io::Result<Self> {
        let file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        let mut reader = HashingReader::new(file);
        let mut buffer = vec![0u8; 1 << 20];
        while reader.read(&mut buffer)? > 0 {}
        Ok(reader.stamp(&meta))
    }

    /// The stamp of `bytes`, the whole of a file with metadata `meta`.
    pub fn of_bytes(bytes: &[u8], meta: &std::fs::Metadata) -> Self {
        Self { size: meta.len(), hash: xxhash_rust::xxh3::xxh3_64(bytes) }
    }
}

/// A reader that hashes every byte read through it, for a [`ContentStamp`].
pub struct HashingReader<R> {
    inner: R,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl<R> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        Self { inner, hasher: xxhash_rust::xxh3::Xxh3::new() }
    }

    /// The stamp of the file (metadata `meta`) read through this reader to its end.
    pub fn stamp(&self, meta: &std::fs::Metadata) -> ContentStamp {
        ContentStamp { size: meta.len(), hash: self.hasher.digest() }
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// A writer that hashes (XXH3) and counts every byte written through it.
pub struct HashingWriter<W> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3,
    written: u64,
}

impl<W> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        Self { inner, hasher: xxhash_rust::xxh3::Xxh3::new(), written: 0 }
    }

    /// The hash of everything written so far (as [`xxhash_rust::xxh3::xxh3_64`] of it).
    pub fn hash(&self) -> u64 {
        self.hasher.digest()
    }

    pub fn written(&self) -> u64 {
        self.written
    }
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The folder a file is in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `target` relative to `base` (both absolute), e.g. `../data/orders.csv`.
pub fn relative_path(target: &Path, base: &Path) -> PathBuf {
    let t: Vec<Component<'_>> = target.components().collect();
    let b: Vec<Component<'_>> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return target.to_path_buf(); // another drive: keep absolute
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Like [`write_atomically`], for files holding personal data (member lists,
/// audience files): readable and writable by the user only.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_whole(path, bytes, true)
}

/// Writes a whole file or nothing: a crash mid-write leaves the old file intact.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_whole(path, bytes, false)
}

/// A temporary file in the same folder, synced, then renamed over `path`. A
/// document gets the usual permissions (0666 less the umask, as any editor's
/// save); a private file 0600.
fn write_whole(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = parent_dir(path);
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(if private { 0o600 } else { 0o666 }));
    }
    let mut tmp = builder.tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(&dir)
}

/// Makes a folder's entries durable (a rename or a new file in it survives a power
/// cut once this returns). Where a file system can't sync a folder, nothing more
/// can be done and that is not an error.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let synced = std::fs::File::open(if dir.as_os_str().is_empty() { Path::new(".") } else { dir })
            .and_then(|d| d.sync_all());
        match synced {
            Err(e) if matches!(e.kind(), std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Unsupported) => Ok(()),
            other => other,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Opens a file readable by the user only for appending (records and journals),
/// creating it and its folder if need be; a new file's folder entry is synced.
pub fn open_private_append(path: &Path) -> std::io::Result<std::fs::File> {
    let dir = parent_dir(path);
    let new = !path.exists();
    if new {
        make_private_dir(&dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true).read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    if new {
        sync_dir(&dir)?;
    }
    Ok(file)
}

/// Creates a folder readable by the user only (it holds personal data).
pub fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn documents_follow_the_umask_and_private_files_are_the_users_own() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let (doc, members) = (dir.path().join("shop.kitle"), dir.path().join("members.csv"));
        write_atomically(&doc, b"x").unwrap();
        write_private(&members, b"x").unwrap();
        assert_eq!(mode(&members), 0o600);
        // A plain file made the ordinary way shows the umask in force.
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        assert_eq!(mode(&doc), mode(&plain), "a workspace is an ordinary document");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path(Path::new("/a/b/c.csv"), Path::new("/a/b")), PathBuf::from("c.csv"));
        assert_eq!(relative_path(Path::new("/a/data/c.csv"), Path::new("/a/ws")), PathBuf::from("../data/c.csv"));
    }
}
