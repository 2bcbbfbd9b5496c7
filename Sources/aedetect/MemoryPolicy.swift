#if canImport(Glibc)
import CMalloc
#endif

/// How the process asks glibc for memory.
///
/// glibc serves blocks of 128 KiB and more with mmap, but raises that threshold each time
/// such a block is freed; after the first few image batches (3 MB each) are freed, later
/// ones come from the heap, and the heap's freed pages stay in the resident set. Pinning the
/// threshold keeps big, short-lived buffers in mmap, so peak RSS tracks what is live rather
/// than how many batches went by (`score` on 60,000 PNGs: 85 → 80 MB; 10,000: 72 MB either way).
/// It is pinned at 1 MiB, not lower: the per-image buffers of a 256×256 colour image (its
/// file, its pixels, its anomaly map; 0.2–0.8 MB) would otherwise be mapped and page-faulted
/// afresh for every image, which took a seventh of `score`'s time on such folders; for the
/// same reason up to 8 MiB of freed heap is kept rather than handed back to the system.
enum MemoryPolicy {
    static func apply() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 1024 * 1024)
        _ = mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024)
        #endif
    }
}
