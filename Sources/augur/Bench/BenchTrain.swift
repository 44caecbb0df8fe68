import ArgumentParser
import AugurApp
import Foundation

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time LSTM training on the reference workload (../shared/bench).",
        discussion: """
            Case M: 64 z-scored random walks of 5,000 steps as B = 64 streams, windows of 32, \
            LSTM(H) + Dense(1) at every step, MSE, Adam lr 1e-3, clip 1.0; one warm-up epoch, \
            then timed epochs (median reported). Case S: one series cut into 32 streams. \
            Prints seconds per epoch, steps/s, GFLOP/s, final training MSE and peak memory.

            The data are the float32 files written by
              python3 ../shared/bench/anchors_data.py --dump .build/bench-data

            The kernel is the fastest this CPU runs (AVX-512, AVX2, generic); AUGUR_KERNEL=avx512|avx2|generic \
            forces one. The output names the CPU, the kernel, one core's measured FMA peak for that kernel \
            and the fraction of threads × peak reached, and the hypervisor's steal time during the run.

            Example:
              augur bench train --case M --hidden 32 --mode stateful --threads 2 --json
              AUGUR_KERNEL=avx2 augur bench train --case M --hidden 128 --threads 1
            """)

    @Option(name: .customLong("case"), help: "Workload: S (one series) or M (64 series).") var workload = "M"
    @Option(help: "Hidden units H.") var hidden = 32
    @Option(help: "stateful (carry state across batches) or stateless (shuffled windows, zero state).")
    var mode = "stateful"
    @Option(help: "Worker threads.") var threads = 2
    @Option(help: "Timed epochs after the warm-up epoch.") var epochs = 5
    @Option(help: ArgumentHelp("Directory holding the dumped data.", valueName: "dir")) var data = ".build/bench-data"
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        if !["S", "M"].contains(workload) { throw ValidationError("--case must be S or M") }
        if TrainBenchmark.Mode(rawValue: mode) == nil { throw ValidationError("--mode must be stateful or stateless") }
        if hidden < 1 { throw ValidationError("--hidden must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if epochs < 1 { throw ValidationError("--epochs must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let r = try TrainBenchmark.run(case: workload, hidden: hidden, mode: TrainBenchmark.Mode(rawValue: mode)!,
                                           threads: threads, epochs: epochs, dataDirectory: data)
            if json { return try Console.json(r) }
            print("[augur] \(r.machine.summary)")
            print(String(format: "[augur] case=%@ H=%d mode=%@ threads=%d: median %.4f s/epoch, %.0f steps/s, "
                         + "%.2f GFLOP/s (%.0f%% of %d × the FMA peak), final train MSE %.5f (warm-up %.3f s, "
                         + "peak memory %.1f MB, steal %@)",
                         r.case, r.H, r.mode, r.threads, r.seconds_per_epoch, r.steps_per_second, r.gflops,
                         100 * r.peak_fraction, r.threads, r.final_mse, r.warmup_s, r.peak_rss_mb,
                         r.steal_percent.map { String(format: "%.1f%%", $0) } ?? "n/a"))
        }
    }
}
