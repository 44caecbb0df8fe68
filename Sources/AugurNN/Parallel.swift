// Splitting work over threads. Chunks of independent rows (streams) or columns run on
// Dispatch's pool; with one chunk the closure runs inline, with no dispatch cost.

import Dispatch

/// Carries non-Sendable pointers/objects into concurrentPerform. Safe because every chunk writes
/// disjoint rows or columns and the call returns only when all chunks are done.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}

enum Parallel {
    /// Splits 0..<count into at most `chunks` contiguous ranges (sizes multiples of `granularity`
    /// except the last) and runs `body` on each, concurrently when there is more than one.
    /// Allocates nothing when there is one chunk.
    static func forEachChunk(count: Int, chunks: Int, granularity: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let units = (count + granularity - 1) / granularity
        let n = max(1, min(chunks, units))
        if n == 1 { body(0..<count); return }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(value: escapable)
            DispatchQueue.concurrentPerform(iterations: n) { i in
                let start = min(count, (units * i / n) * granularity)
                let end = min(count, (units * (i + 1) / n) * granularity)
                if end > start { box.value(start..<end) }
            }
        }
    }
}
