import AugurNN
import Foundation

/// `augur bench train`: the reference training workload (LSTM(H) + Dense(1) at every step, MSE,
/// Adam lr 1e-3, global-norm clip 1.0, windows of 32), one warm-up epoch then timed epochs.
public enum TrainBenchmark {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Batch k+1 starts from batch k's final state (detached); zero state each epoch.
        case stateful
        /// The same windows in a new random order each epoch, zero state per batch. The
        /// permutation is our SeededGenerator's (seed 0), not numpy's.
        case stateless
    }

    public struct Result: Sendable, Codable {
        public var framework = "augur"
        public var `case`: String
        public var H: Int
        public var mode: String
        public var threads: Int
        public var batches_per_epoch: Int
        public var batch: Int
        public var L: Int
        public var steps_per_epoch: Int
        public var warmup_s: Double
        public var epoch_s: [Double]
        /// Median of the timed epochs.
        public var seconds_per_epoch: Double
        public var steps_per_second: Double
        public var gflops: Double
        public var final_mse: Double
        public var peak_rss_mb: Double
        public var loadavg1_start: Double?
        /// Percentage of CPU time the hypervisor gave to other machines during the timed epochs.
        public var steal_percent: Double?
        public var machine: MachineProfile
        /// gflops / (threads × one core's FMA peak).
        public var peak_fraction: Double
    }

    /// Forward FLOPs per time step as the reference counts them: 2·4H·(H+1) + 2H; training = 3×.
    public static func flopsPerStep(hidden H: Int) -> Double {
        let forward: Int = 2 * 4 * H * (H + 1) + 2 * H
        return 3 * Double(forward)
    }

    public static func run(case name: String, hidden: Int, mode: Mode, threads: Int, epochs: Int = 5,
                           dataDirectory: String, kernel: Kernel = .processDefault) throws -> Result {
        let machine = MachineProfile.measure(kernel: kernel)
        let w = try BenchmarkData.windows(case: name, directory: dataDirectory)
        let nw = w.batches, B = w.batch, L = w.steps
        let model = try SequenceModel<Float>(configuration: .init(cell: .lstm, inputSize: 1, hiddenSize: hidden),
                                             seed: 0)
        model.threads = threads
        model.kernel = kernel
        let adam = Adam<Float>(learningRate: 1e-3)
        adam.kernel = kernel
        var generator = SeededGenerator(seed: 0)
        var xb = [Float](repeating: 0, count: L * B), yb = xb, dy = xb  // (L, B, 1) time-major

        // One batch: rows[r] is the window index (k·B + b) that goes to row r.
        func gather(_ window: (Int) -> Int) {
            for r in 0..<B {
                let base = window(r) * L
                for l in 0..<L { xb[l * B + r] = w.x[base + l]; yb[l * B + r] = w.y[base + l] }
            }
        }
        func epoch() throws -> Double {
            var total = 0.0
            var state: RecurrentState<Float>? = nil  // zero state at the start of every epoch
            let order = mode == .stateless ? generator.permutation(nw * B) : []
            for k in 0..<nw {
                if mode == .stateful { gather { k * B + $0 } } else { gather { order[k * B + $0] } }
                let (y, final) = try model.forward(xb, steps: L, batch: B, state: mode == .stateful ? state : nil,
                                                   training: true)
                let loss = y.withUnsafeBufferPointer { yp in
                    yb.withUnsafeBufferPointer { tp in
                        dy.withUnsafeMutableBufferPointer { dp in
                            Loss.meanSquaredError.evaluate(prediction: yp.baseAddress!, target: tp.baseAddress!,
                                                           count: L * B, gradient: dp.baseAddress!)
                        }
                    }
                }
                model.zeroGradients()
                try model.backward(dy: dy)
                clipGlobalNorm(model.parameterBuffers, maxNorm: 1.0)
                adam.step(model.parameterBuffers)
                if mode == .stateful { state = final }  // truncated BPTT: values only
                total += loss
            }
            return total / Double(nw)
        }
        var t0 = monotonicSeconds()
        var mse = try epoch()
        let warm = monotonicSeconds() - t0
        let load = loadAverage()
        let steal = StealMeter()
        var times: [Double] = []
        for _ in 0..<epochs {
            t0 = monotonicSeconds()
            mse = try epoch()
            times.append(monotonicSeconds() - t0)
        }
        let median = times.sorted()[times.count / 2]
        let steps = nw * B * L
        let gflops = flopsPerStep(hidden: hidden) * Double(steps) / median / 1e9
        return Result(case: name, H: hidden, mode: mode.rawValue, threads: threads, batches_per_epoch: nw, batch: B,
                      L: L, steps_per_epoch: steps, warmup_s: warm, epoch_s: times, seconds_per_epoch: median,
                      steps_per_second: Double(steps) / median,
                      gflops: gflops, final_mse: mse, peak_rss_mb: ProcessMemory.peakRSSMegabytes() ?? 0,
                      loadavg1_start: load, steal_percent: steal.percent(), machine: machine,
                      peak_fraction: gflops / (Double(threads) * machine.fma_peak_gflops_per_core))
    }
}
