//! Calls into the system's C allocator, through the `libc` crate's declarations.
//!
//! Only glibc needs them (see each function); on every other target they do nothing.

/// Hands back to the system the memory freed since a server's answer arrived. The loop calls it
/// once the frame after an answer is drawn.
///
/// A large profile's answer (7 MB for 1,000 roles × 50 rules) and the decoder's working memory
/// are freed once the profile store holds the roles. glibc keeps freed blocks for reuse and
/// returns only the top of its heaps by itself; `malloc_trim` releases every free page of every
/// arena, in a few milliseconds after such an answer and microseconds after a small one.
/// Measured again with the streaming decoder (release build, 1,000 × 50 demo profile, /proc's
/// VmRSS): a first load alone ends at 25.3 MB with it and 25.8 MB without, but after eight reloads
/// (`r`) and the Raw JSON tab, 26.4 MB with it and 29.0 MB without (and 56–65 MB with neither this
/// nor [`keep_large_blocks_apart`]). Other allocators return memory on their own, so elsewhere
/// this does nothing.
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
/// large answer has been decoded and freed, the profile's big buffers (the store's tape and text,
/// the tree's rows, the search index) then come from the middle of the heap, among the small
/// blocks of the next answer, where [`release_freed_memory`] cannot give them back. Measured with
/// the streaming decoder (as above): after eight reloads and the Raw JSON tab, resident memory is
/// 26.4 MB with it and 34–39 MB without (peak 39 MB against 58 MB). Elsewhere this does nothing.
pub(crate) fn keep_large_blocks_apart() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` takes no pointer and only sets an allocator parameter, under the
    // allocator's lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    };
}

/// Asks for huge pages for a buffer's capacity of `bytes` bytes at `start`, about to be filled
/// (Linux only): its pages are then faulted in 2 MiB at a time rather than 4 KiB. First touches
/// of a large answer's buffers (the 6.9 MB body of a 1,000-role × 50-rule profile, the profile
/// store's tape) were a quarter of `whoami`'s time there; with this and the store sized from
/// the answer, `whoami` took 25.6 ms instead of 29.2 (release, A/B of 40 runs in rotating
/// order). Only whole 2 MiB-aligned stretches inside the buffer are advised, so a buffer under
/// 2 MiB gets nothing; a refusal (huge pages off, another kernel) changes nothing.
pub(crate) fn prefer_huge_pages(start: *const u8, bytes: usize) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 * 1024 * 1024;
        let start = start as usize;
        let (from, to) = (start.next_multiple_of(HUGE), start.saturating_add(bytes) / HUGE * HUGE);
        if to > from {
            // SAFETY: the range lies inside the caller's allocation, and MADV_HUGEPAGE only changes
            // how its pages are backed, never their contents or whether they are mapped.
            unsafe {
                libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (start, bytes);
}
