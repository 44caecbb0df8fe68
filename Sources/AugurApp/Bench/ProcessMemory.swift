import Foundation

/// The process's memory high-water mark, for benchmarks (Linux: VmHWM in /proc/self/status).
public enum ProcessMemory {
    /// Peak resident set size in MiB, or nil where the platform does not say.
    public static func peakRSSMegabytes() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first
            return kb.map { $0 / 1024 }
        }
        return nil
    }
}
