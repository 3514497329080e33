//! Calls into the system's C allocator, through the `libc` crate's declarations.
//!
//! Only glibc needs them (see each function); on every other target they do nothing.

/// Hands back to the system the memory freed since a server's answer arrived. The loop calls it
/// once `update` has handled an answer.
///
/// Decoding a large profile (1,000 roles × 50 rules) takes a couple of hundred megabytes in
/// millions of small blocks, all freed once the tree has taken the roles into its store and the
/// answer is dropped. glibc keeps freed blocks for reuse and returns only the top of its heaps by
/// itself, so without this the process would stay that size for the whole session (see the
/// README's Performance section for the figures). `malloc_trim` releases every free page of every
/// arena, in a few milliseconds after such an answer and microseconds after a small one. Other
/// allocators return memory on their own, so elsewhere this does nothing.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointer and works only on the allocator's own free lists
    // under the allocator's locks, so it is sound from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    };
}

/// Has every block of 256 KiB or more mapped on its own, for the whole run (the TUI calls it
/// before anything else).
///
/// glibc otherwise raises that threshold each time such a block is freed, up to 32 MiB; after a
/// large answer has been decoded and freed, the profile's big buffers (the tree's tokens, its
/// search index) then come from the middle of the heap, among the small blocks of the next
/// answer, and what [`release_freed_memory`] can give back depends on where they landed: resident
/// memory with the 1,000 × 50 profile varied between 26 and 44 MB from one run to the next, and
/// stays near 25 MB with this. Elsewhere this does nothing.
pub(crate) fn keep_large_blocks_apart() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` takes no pointer and only sets an allocator parameter, under the
    // allocator's lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    };
}
