// A tiny pool of spinning worker threads for fine-grained fork/join. Dispatch's
// concurrentPerform takes ~100 µs to wake a sleeping worker, longer than a whole window of an
// H = 32 LSTM chunk; these workers spin for a while after each job (then sleep on a condition
// variable), so a fork costs ~1 µs when jobs come back to back, as they do in training.

import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class WorkerPool: @unchecked Sendable {
    /// The process-wide pool, grown on demand up to `maxWorkers`.
    static let shared = WorkerPool()
    static let maxWorkers = 15

    /// How long a worker spins for the next job before sleeping (in polling iterations, ~5 ms).
    /// Between a training step's parallel phases the caller works alone for a few hundred µs
    /// (dense head, loss, Adam); a worker asleep by then took ~0.4 ms to wake, which cost 12% of
    /// the forward pass's wall time at H=128 (measured: chunks 1.86 s and 1.91 s, fork to join
    /// 2.16 s). With 5 ms it is awake for the next phase: fork to join 1.93 s for chunks of 1.85 s.
    private let spinLimit = 500_000

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private var job: ((Int) -> Void)?
    private var jobIterations = 0
    private var workerCount = 0
    private var sleepers = 0
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()

    private init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    /// Runs body(0..<iterations): iteration 0 on the calling thread, the others on workers.
    /// Falls back to running everything inline when the pool is already in use (nested or
    /// concurrent callers), so it is always safe to call.
    func run(iterations: Int, _ body: (Int) -> Void) {
        guard iterations > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for i in 0..<iterations { body(i) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        let workers = min(iterations - 1, Self.maxWorkers)
        while workerCount < workers { startWorker(index: workerCount + 1) }
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            jobIterations = iterations
            finished.store(0, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            pthread_mutex_lock(&mutex)
            if sleepers > 0 { pthread_cond_broadcast(&condition) }
            pthread_mutex_unlock(&mutex)
            // The caller takes iteration 0 and any iterations beyond the worker count.
            body(0)
            var i = workerCount + 1
            while i < iterations { body(i); i += 1 }
            // Every worker reports for every job (idle ones too), so no late report can be
            // mistaken for a report on the next job.
            var spins = 0
            while finished.load(ordering: .acquiring) < workerCount {
                spins += 1
                if spins & 1023 == 0 { sched_yield() }  // a busy machine may have descheduled the worker
            }
            job = nil
        }
    }

    private func startWorker(index: Int) {
        workerCount += 1
        // The worker starts from the current generation, read here (before the next job is
        // published), not when the thread gets scheduled, which may be after.
        let start = generation.load(ordering: .acquiring)
        let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index, start: start)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
            context.pool.workerLoop(index: context.index, start: context.start)
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed: \(status)")
        pthread_detach(thread)
    }

    private func workerLoop(index: Int, start: Int) {
        var seen = start
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins & 1023 == 0 { sched_yield() }
                if spins >= spinLimit {
                    pthread_mutex_lock(&mutex)
                    sleepers += 1
                    while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(&condition, &mutex) }
                    sleepers -= 1
                    pthread_mutex_unlock(&mutex)
                }
            }
            seen = generation.load(ordering: .acquiring)
            if index < jobIterations, let job { job(index) }
            finished.add(1, ordering: .releasing)
        }
    }
}

private final class WorkerContext {
    let pool: WorkerPool
    let index: Int
    let start: Int
    init(pool: WorkerPool, index: Int, start: Int) { self.pool = pool; self.index = index; self.start = start }
}
