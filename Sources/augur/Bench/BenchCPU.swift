import ArgumentParser
import AugurApp
import AugurNN
import Foundation

struct BenchCPU: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cpu",
        abstract: "Show the CPU, the kernels it runs, and each kernel's measured FMA peak.",
        discussion: """
            Augur's neural kernels come in three sets chosen at start-up from what the CPU reports: \
            avx512 (AVX-512F/VL + FMA), avx2 (AVX2 + FMA) and generic (SSE2 or NEON). The first line \
            is the one used by default; AUGUR_KERNEL=avx512|avx2|generic forces another.

            Example:
              augur bench cpu
              augur bench cpu --json
            """)

    @Flag(help: "Print one JSON object per kernel.") var json = false

    func run() throws {
        try reportingErrors {
            for kernel in Kernel.available {
                let profile = MachineProfile.measure(kernel: kernel)
                if json { try Console.json(profile) } else {
                    print((kernel == Kernel.processDefault ? "* " : "  ") + profile.summary)
                }
            }
        }
    }
}
