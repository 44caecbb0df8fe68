import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks: import speed, training speed, inference latency.",
        discussion: "`make bench` runs them all beside their reference runs and prints the ratios.",
        subcommands: [BenchImport.self, BenchTrain.self, BenchInfer.self, BenchCPU.self])
}
