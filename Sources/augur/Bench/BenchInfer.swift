import ArgumentParser
import AugurApp
import Foundation

struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Time the daily update of 500 series and a 20-step recursive forecast.",
        discussion: """
            500 states are warmed on 256 values (untimed); then one batched call advances every \
            series by its new observation and predicts the next step, and a 20-step forecast \
            feeds predictions back in. Median of 20 repetitions after 2 warm-ups.

            Example:
              augur bench infer --hidden 32 --json
            """)

    @Option(help: "Hidden units H.") var hidden = 32
    @Option(help: "Worker threads.") var threads = 2
    @Option(help: ArgumentHelp("Directory holding the dumped data.", valueName: "dir")) var data = ".build/bench-data"
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        if hidden < 1 { throw ValidationError("--hidden must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let r = try InferBenchmark.run(hidden: hidden, threads: threads, dataDirectory: data)
            if json { return try Console.json(r) }
            print("[augur] \(r.machine.summary)")
            print(String(format: "[augur] inference %d series H=%d threads=%d: 1-step update+forecast median %.3f ms; "
                         + "20-step recursive forecast median %.3f ms (update at %.0f%% of %d × the FMA peak; "
                         + "peak memory %.1f MB, steal %@)",
                         r.series, r.H, r.threads, r.infer_update_ms, r.infer_forecast20_ms, 100 * r.update_peak_fraction,
                         r.threads, r.peak_rss_mb, r.steal_percent.map { String(format: "%.1f%%", $0) } ?? "n/a"))
        }
    }
}
