import AugurCore
import AugurForecast
import AugurStore
import Foundation

/// `augur compare-modes`: the same cell, size and budget trained stateful and stateless, measured.
public struct ModeComparison: Sendable, Codable {
    public var symbol: String
    public var stateful: TrainSummary
    public var stateless: TrainSummary

    /// Plain sentences that answer the usual claims with the numbers measured.
    public var findings: [String] {
        func pct(_ a: Double, _ b: Double) -> String { String(format: "%+.1f%%", (a / b - 1) * 100) }
        var out: [String] = []
        let sf = stateful, sl = stateless
        out.append("Fit: best validation loss stateful \(fmt(sf.bestValidationLoss)) vs stateless \(fmt(sl.bestValidationLoss)) "
                   + "(stateful \(pct(sf.bestValidationLoss, sl.bestValidationLoss)) against stateless; random walk "
                   + "\(fmt(sf.randomWalkLoss))): " + (sf.bestValidationLoss < sl.bestValidationLoss
                       ? "stateful fits better here." : "stateful does not fit better here."))
        out.append("Speed: \(String(format: "%.4f", sf.secondsPerEpoch)) s per training epoch stateful vs "
                   + "\(String(format: "%.4f", sl.secondsPerEpoch)) s stateless; best epoch \(sf.bestEpoch) vs \(sl.bestEpoch), "
                   + "\(String(format: "%.1f", sf.seconds)) s vs \(String(format: "%.1f", sl.seconds)) s in all.")
        out.append("Memory: peak \(String(format: "%.1f", sf.peakMemoryMB)) MB stateful vs \(String(format: "%.1f", sl.peakMemoryMB)) MB stateless "
                   + "(each in its own process).")
        return out
    }

    private func fmt(_ v: Double) -> String { String(format: "%.5f", v) }
}

public enum CompareModesUseCase {
    /// Runs `train` once per mode (the CLI runs each in its own process so peak memory is per mode)
    /// with identical configurations but for the mode.
    /// The pair is stored as comparison models (never the symbol's default for forecasts), replacing
    /// the symbol's earlier comparison models of the same cell.
    public static func run(symbol: String, configuration: TrainingConfiguration, database: AugurDatabase,
                           train: (TrainingConfiguration) throws -> TrainSummary) throws -> ModeComparison {
        let name = try SymbolContext.load(symbol, database: database).name
        try database.deleteComparisonModels(symbol: name, kind: ModelKind(cell: configuration.cell))
        var stateful = configuration, stateless = configuration
        stateful.mode = .stateful
        stateless.mode = .stateless
        return ModeComparison(symbol: symbol, stateful: try train(stateful), stateless: try train(stateless))
    }
}
