import AugurNN
import Foundation

/// What a benchmark ran on: the CPU, the kernel set, and the FMA peak the figures are a fraction of.
///
/// The peak is measured, not looked up: independent multiply-add chains on the kernel's vectors
/// for one core (the same instruction the matrix kernels use), best of five. The clock comes from a
/// chain of dependent additions; FLOP per cycle is their quotient (e.g. 32 for AVX2 on a core with
/// two 256-bit FMA units, 64 for AVX-512 on a core with two 512-bit ones, 32 for AVX-512 on AMD
/// Zen 4, which splits 512-bit operations in two halves).
public struct MachineProfile: Sendable, Codable {
    public var cpu: String
    public var kernel: String
    public var kernels_available: [String]
    public var cores: Int
    public var clock_ghz: Double?
    /// One core's measured FMA throughput on this kernel's vectors (GFLOP/s).
    public var fma_peak_gflops_per_core: Double
    public var flop_per_cycle: Double?

    public static func measure(kernel: Kernel = .processDefault) -> MachineProfile {
        let clock = ProcessorInfo.measuredClockGHz()
        var best = 0.0
        let iterations = 1_000_000
        _ = kernel.fmaPeakLoop(iterations: iterations / 10)  // warm the unit up
        for _ in 0..<5 {
            let t0 = monotonicSeconds()
            let flops = kernel.fmaPeakLoop(iterations: iterations)
            best = max(best, flops / (monotonicSeconds() - t0) / 1e9)
        }
        let brand = ProcessorInfo.brand
        return MachineProfile(cpu: brand.isEmpty ? cpuModelFromProcfs() ?? "unknown" : brand, kernel: kernel.rawValue,
                              kernels_available: Kernel.available.map(\.rawValue),
                              cores: ProcessInfo.processInfo.activeProcessorCount, clock_ghz: clock,
                              fma_peak_gflops_per_core: best, flop_per_cycle: clock.map { best / $0 })
    }

    /// The line a human reads above a benchmark's figures.
    public var summary: String {
        let clock = clock_ghz.map { String(format: "%.2f GHz measured", $0) } ?? "clock not measured"
        let perCycle = flop_per_cycle.map { String(format: ", %.0f FLOP/cycle", $0) } ?? ""
        return "\(cpu), \(cores) cores, \(clock); kernel \(kernel) (this CPU runs \(kernels_available.joined(separator: ", "))); "
            + String(format: "FMA peak %.1f GFLOP/s per core%@", fma_peak_gflops_per_core, perCycle)
    }

    private static func cpuModelFromProcfs() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }
}

/// The time the hypervisor gave this machine's virtual CPUs to others (Linux /proc/stat "steal").
/// On a shared virtual machine a run with high steal measures the neighbours, not the code.
public struct StealMeter: Sendable {
    private let start: (steal: Double, total: Double)?

    public init() { start = StealMeter.read() }

    /// Percentage of CPU time stolen since `init`, or nil where /proc/stat does not say.
    public func percent() -> Double? {
        guard let start, let now = StealMeter.read(), now.total > start.total else { return nil }
        return 100 * (now.steal - start.steal) / (now.total - start.total)
    }

    private static func read() -> (steal: Double, total: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return nil }
        // user nice system idle iowait irq softirq steal [guest guest_nice, already inside user/nice]
        return (fields[7], fields[0..<8].reduce(0, +))
    }
}
