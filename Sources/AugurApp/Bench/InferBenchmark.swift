import AugurNN
import Foundation

/// `augur bench infer`: the "daily update" of 500 series with saved state, and a 20-step
/// recursive forecast, timed like the reference (median of 20 repetitions after 2 warm-ups).
public enum InferBenchmark {
    public struct Result: Sendable, Codable {
        public var framework = "augur"
        public var H: Int
        public var threads: Int
        public var series: Int
        /// One batched call: advance 500 states by the new observation and predict one step.
        public var infer_update_ms: Double
        /// The update plus 19 more steps feeding each prediction back in.
        public var infer_forecast20_ms: Double
        public var peak_rss_mb: Double
        public var steal_percent: Double?
        public var machine: MachineProfile
        /// The update's GFLOP/s (the forward step's multiply-adds of 500 series) over threads × peak.
        public var update_peak_fraction: Double
    }

    public static func run(hidden: Int, threads: Int, dataDirectory: String,
                           kernel: Kernel = .processDefault) throws -> Result {
        let machine = MachineProfile.measure(kernel: kernel)
        let set = try BenchmarkData.inferenceSet(directory: dataDirectory)
        let n = set.rows, context = set.columns - 1
        let model = try SequenceModel<Float>(configuration: .init(cell: .lstm, inputSize: 1, hiddenSize: hidden),
                                             seed: 0)
        model.threads = threads
        model.kernel = kernel
        var saved = model.zeroState(batch: n)
        var x = [Float](repeating: 0, count: n), prediction = x
        for t in 0..<context {  // warm 500 states on 256 values (untimed)
            for s in 0..<n { x[s] = set.values[s * set.columns + t] }
            try model.step(x, state: &saved, output: &prediction)
        }
        let newObservation = (0..<n).map { set.values[$0 * set.columns + context] }
        var state = saved

        func update() throws {
            try model.step(newObservation, state: &state, output: &prediction)
        }
        func forecast20() throws {
            try model.step(newObservation, state: &state, output: &prediction)
            for _ in 0..<19 {
                swap(&x, &prediction)  // the prediction is the next input (I = O = 1)
                try model.step(x, state: &state, output: &prediction)
            }
        }
        func latency(_ body: () throws -> Void) throws -> Double {
            var times: [Double] = []
            for rep in 0..<22 {
                state = saved  // restore outside the timed region
                state.layers[0].h.withUnsafeMutableBufferPointer { _ in }  // force the copy now
                state.layers[0].c.withUnsafeMutableBufferPointer { _ in }
                let t0 = monotonicSeconds()
                try body()
                let dt = monotonicSeconds() - t0
                if rep >= 2 { times.append(dt) }
            }
            return times.sorted()[times.count / 2]
        }
        let steal = StealMeter()
        let u = try latency(update)
        let f = try latency(forecast20)
        let flops = TrainBenchmark.flopsPerStep(hidden: hidden) / 3 * Double(n)
        return Result(H: hidden, threads: threads, series: n, infer_update_ms: u * 1e3, infer_forecast20_ms: f * 1e3,
                      peak_rss_mb: ProcessMemory.peakRSSMegabytes() ?? 0, steal_percent: steal.percent(),
                      machine: machine,
                      update_peak_fraction: flops / u / 1e9 / (Double(threads) * machine.fma_peak_gflops_per_core))
    }
}
