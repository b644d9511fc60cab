//! Process-wide switches for Cairn's binaries (the CLI, the desktop app, the benchmarks):
//! settings that suit Cairn's workload but belong to whoever owns the process, so the
//! library never makes them on its callers' behalf.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

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
///
/// The libgit2 switch is only recorded here and applied when history first opens a
/// repository ([`apply_git_tuning`]): setting it initialises libgit2, and that initialises
/// OpenSSL, which parses the system's certificate bundle (about 50 ms of CPU, more than the
/// rest of a warm `cairn search`), for commands that never touch Git.
pub fn tune_process() {
    GIT_TUNING_WANTED.store(true, Ordering::SeqCst);
    keep_freed_memory();
}

/// Set by [`tune_process`]: the program asked for unchecked libgit2 reads.
static GIT_TUNING_WANTED: AtomicBool = AtomicBool::new(false);

/// Applies the libgit2 half of [`tune_process`], once, if the program asked for it; called
/// before the history walk opens its repository.
pub(crate) fn apply_git_tuning() {
    static APPLIED: Once = Once::new();
    if GIT_TUNING_WANTED.load(Ordering::SeqCst) {
        APPLIED.call_once(|| git2::opts::strict_hash_verification(false));
    }
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
