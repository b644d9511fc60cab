//! Process-wide switches for Cairn's binaries (the CLI, the desktop app, the benchmarks):
//! settings that suit Cairn's workload but belong to whoever owns the process, so the
//! library never makes them on its callers' behalf.

/// For binaries only; call once at start-up, before any thread starts. A library embedding
/// Cairn should decide for itself, since both switches affect every user of libgit2 and of
/// the allocator in the process, not just Cairn.
///
/// - libgit2 re-hashes every object it reads to check its id (`git` itself does not). The
///   history walk reads every folder tree and blob of the history once, some 8 GB of trees
///   in the benchmark, and that hashing was most of its run time (20 of 22 s). zlib's own
///   checksum still guards every object inflated from a pack or loose file, so it is turned
///   off for the whole process.
/// - libgit2 allocates a fresh buffer for every tree it reads and every delta it applies
///   (400 KB for a folder of 10,000 decisions). With glibc's defaults such a buffer is
///   either mapped and unmapped on its own or returned to the system when freed at the top
///   of the heap, and either way its pages fault in again on the next read: 600,000 page
///   faults and 1.5 s of system time in the benchmark. Raising both thresholds keeps
///   buffers below 4 MB on the heap and up to 32 MB of freed memory for reuse.
pub fn tune_process() {
    git2::opts::strict_hash_verification(false);
    keep_freed_memory();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    // SAFETY: mallopt only changes glibc's allocation thresholds and takes no pointers;
    // `tune_process` is documented to run at start-up, before other threads exist.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 32 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}
