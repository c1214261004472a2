//! A fake GitHub REST API serving a corpus directory (work in progress).
