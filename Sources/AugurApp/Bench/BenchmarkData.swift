import AugurNN
import Foundation

/// The reference workload's data (../shared/bench/anchors_data.py), read from the raw float32
/// files its `--dump DIR` writes, and cut into windows exactly as the reference does.
public enum BenchmarkData {
    /// Sequence length of every window.
    public static let windowLength = 32

    /// Batches of one epoch in stateful order: batch k = window k of every stream.
    public struct Windows: Sendable {
        /// nw: batches per epoch.
        public var batches: Int
        /// B: streams per batch.
        public var batch: Int
        /// L.
        public var steps: Int
        /// Inputs (nw, B, L), row-major (the reference's X).
        public var x: [Float]
        /// Targets (nw, B, L): the next value of each input.
        public var y: [Float]
    }

    /// Reads `count` little-endian float32 values from `directory/name`.
    static func readFloats(_ directory: String, _ name: String, count: Int) throws -> [Float] {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AppError.notFound("""
                benchmark data \(path) not found; create it with
                  python3 ../shared/bench/anchors_data.py --dump \(directory)
                (or pass --data DIR where the files are)
                """)
        }
        guard data.count == count * 4 else {
            throw AppError.invalid("\(path) has \(data.count) bytes, expected \(count * 4) (\(count) float32 values)")
        }
        return data.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    /// Case S (one series, 32 segments of 4 windows) or M (64 series, 156 windows each).
    public static func windows(case name: String, directory: String) throws -> Windows {
        let T = 5000, L = windowLength
        let series: [[Float]]
        switch name {
        case "S": series = [try readFloats(directory, "series_S.f32", count: T)]
        case "M":
            let flat = try readFloats(directory, "series_M.f32", count: 64 * T)
            series = (0..<64).map { Array(flat[($0 * T)..<(($0 + 1) * T)]) }
        default: throw AppError.invalid("--case must be S or M, got \(name)")
        }
        let pairs = T - 1  // input z[t], target z[t+1]
        var streams: [(series: Int, start: Int)] = []
        let B: Int, nw: Int
        if name == "S" {
            B = 32
            let segment = pairs / B
            nw = segment / L
            streams = (0..<B).map { (0, $0 * segment) }
        } else {
            B = 64
            nw = pairs / L
            streams = (0..<B).map { ($0, 0) }
        }
        var x = [Float](repeating: 0, count: nw * B * L), y = x
        for k in 0..<nw {
            for b in 0..<B {
                let (s, start) = streams[b]
                for l in 0..<L {
                    let t = start + k * L + l
                    x[(k * B + b) * L + l] = series[s][t]
                    y[(k * B + b) * L + l] = series[s][t + 1]
                }
            }
        }
        return Windows(batches: nw, batch: B, steps: L, x: x, y: y)
    }

    /// The inference set: 500 rows of 257 values (256 to warm the state, then the new one).
    public static func inferenceSet(directory: String) throws -> (rows: Int, columns: Int, values: [Float]) {
        (500, 257, try readFloats(directory, "infer_500x257.f32", count: 500 * 257))
    }
}

/// Wall-clock seconds since an arbitrary origin.
func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// The 1-minute load average, for the record (nil where unavailable).
func loadAverage() -> Double? {
    var loads = [Double](repeating: 0, count: 3)
    return getloadavg(&loads, 3) > 0 ? loads[0] : nil
}
