// Which set of Float kernels runs the networks: AVX-512, AVX2 or the portable one, chosen once per
// process from what the CPU reports (cpuid and the register state the OS saves), or forced with
// AUGUR_KERNEL=avx512|avx2|generic so that one machine can compare them. The kernels themselves
// are C (CAugurKernels): Swift compiles each function for one target CPU only, while clang's
// target attribute compiles the same source once per instruction set into one binary.
//
// Every model carries its kernel (`SequenceModel.kernel`, default `Kernel.processDefault`), so
// tests run the same model on each kernel side by side. Results differ between kernels only by
// Float rounding; on one kernel the same seed gives the same bits.

import CAugurKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Kernel: String, Sendable, CaseIterable, CustomStringConvertible {
    /// AVX-512F/VL + FMA: 16 lanes, a 12 × 32 register tile (x86-64).
    case avx512
    /// AVX2 + FMA: 8 lanes, a 6 × 16 register tile (x86-64).
    case avx2
    /// The platform's baseline vector unit (SSE2 on x86-64, NEON on arm64): 4 lanes, 4 × 8 tile.
    case generic

    public var description: String { rawValue }

    /// The C kernels and the shape of their register tile (see augur_kernels.h).
    var table: augur_kernel_table {
        switch self {
        #if arch(x86_64)
        case .avx512: augur_kernels_avx512
        case .avx2: augur_kernels_avx2
        #else
        case .avx512, .avx2: augur_kernels_generic
        #endif
        case .generic: augur_kernels_generic
        }
    }

    /// The kernels this CPU can run, fastest first (always ends with `.generic`).
    public static let available: [Kernel] = {
        #if arch(x86_64)
        let features = augur_cpu_features()
        var kernels: [Kernel] = []
        if features & AUGUR_CPU_AVX512 != 0 { kernels.append(.avx512) }
        if features & AUGUR_CPU_AVX2 != 0 { kernels.append(.avx2) }
        return kernels + [.generic]
        #else
        return [.generic]
        #endif
    }()

    /// The fastest kernel this CPU runs.
    public static var best: Kernel { available[0] }

    /// Why a requested kernel cannot be used.
    public enum SelectionError: Error, Equatable, CustomStringConvertible {
        case unknown(String)
        case unsupported(Kernel, available: [Kernel])

        public var description: String {
            switch self {
            case .unknown(let name):
                "AUGUR_KERNEL=\(name) is not a kernel; use one of \(Kernel.allCases.map(\.rawValue).joined(separator: ", "))"
            case .unsupported(let kernel, let available):
                "AUGUR_KERNEL=\(kernel) is not supported by this CPU; it runs \(available.map(\.rawValue).joined(separator: ", "))"
            }
        }
    }

    /// The kernel named by `value` (AUGUR_KERNEL's value; nil or empty: the best this CPU runs).
    public static func resolve(_ value: String?) throws(SelectionError) -> Kernel {
        guard let value, !value.isEmpty else { return best }
        guard let kernel = Kernel(rawValue: value.lowercased()) else { throw .unknown(value) }
        guard available.contains(kernel) else { throw .unsupported(kernel, available: available) }
        return kernel
    }

    /// AUGUR_KERNEL's choice when it names a kernel this CPU runs, else the best. The CLI checks
    /// the variable with `resolve` at start-up and refuses a bad value before anything runs.
    public static let processDefault: Kernel = {
        guard let raw = getenv("AUGUR_KERNEL") else { return best }
        return (try? resolve(String(cString: raw))) ?? best
    }()

    /// y = tanh(x) or σ(x) by the kernel's rational approximation (the gate math's).
    public func tanh(_ x: [Float]) -> [Float] { elementwise(x, table.tanh) }
    public func sigmoid(_ x: [Float]) -> [Float] { elementwise(x, table.sigmoid) }

    private func elementwise(_ x: [Float],
                             _ f: @convention(c) (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                guard let from = xp.baseAddress, let to = yp.baseAddress else { return }
                f(from, to, x.count)
            }
        }
        return y
    }

    /// Floating-point operations executed by `iterations` rounds of independent multiply-adds on
    /// this kernel's vectors (time it to get one core's FMA throughput).
    public func fmaPeakLoop(iterations: Int) -> Double { table.fma_peak(iterations) }
}

/// The CPU as cpuid names it ("" when it does not say), and its clock measured by a chain of
/// dependent additions (nil where that measurement is not available).
public enum ProcessorInfo {
    public static var brand: String {
        var buffer = [CChar](repeating: 0, count: 64)
        buffer.withUnsafeMutableBufferPointer { augur_cpu_brand($0.baseAddress!) }
        let end = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: " ")
    }

    public static func measuredClockGHz() -> Double? {
        let ghz = augur_measure_clock_ghz()
        return ghz > 0 ? ghz : nil
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        var s = Substring(self)
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return String(s)
    }
}
