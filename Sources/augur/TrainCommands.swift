import ArgumentParser
import AugurApp
import AugurCore
import AugurForecast
import AugurNN
import AugurStore
import Foundation

extension CellKind: ExpressibleByArgument {}
extension TrainingMode: ExpressibleByArgument {}
extension FeatureKind: ExpressibleByArgument {}
extension SeasonalSetting: ExpressibleByArgument {}
extension ForecastHead: ExpressibleByArgument {}

/// The training options `train` and `compare-modes` share.
struct TrainingOptions: ParsableArguments {
    @Option(help: "Recurrent cell: lstm, gru or rnn.") var cell: CellKind = .lstm
    @Option(parsing: .unconditional, help: "Hidden units per layer.") var hidden: Int = 32
    @Option(parsing: .unconditional, help: "Stacked recurrent layers.") var layers: Int = 1
    @Option(parsing: .unconditional, help: "Steps per window (the truncated-BPTT length).") var window: Int = 32
    @Option(parsing: .unconditional, help: "Parallel streams the series is cut into (reduced automatically for short series).") var streams: Int = 32
    @Option(parsing: .unconditional, help: "Maximum epochs.") var epochs: Int = 100
    @Option(parsing: .unconditional, help: "Stop after this many epochs without a better validation loss (the best weights are kept).")
    var patience: Int = 10
    @Option(parsing: .unconditional, help: "Adam learning rate (default: 0.001, and 0.003 for a series of at most 600 observations).") var lr: Double?
    @Option(parsing: .unconditional, help: "Random seed: the same seed gives the same model.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Newest fraction of the series held out for validation.") var valFraction: Double = 0.15
    @Option(help: "Inputs: returns, or returns+volume.") var features: FeatureKind = .returns
    @Option(help: ArgumentHelp("Seasonal inputs (seasonal factors taken out before the network and put back after; calendar position and seasonal-lag inputs): auto (when the series is seasonal), on or off.", valueName: "auto|on|off"))
    var seasonal: SeasonalSetting = .auto
    @Option(parsing: .unconditional, help: ArgumentHelp("Seed ensemble: K networks (seeds seed … seed+K−1) forecasting their median (default: 5 for a series of at most 600 observations, 1 otherwise).", valueName: "K"))
    var ensemble: Int?
    @Option(help: ArgumentHelp("recursive (one step at a time, each prediction fed back) or direct (every step to --direct-horizon at once, as NeuralForecast does; beyond it, recursive).", valueName: "recursive|direct"))
    var head: ForecastHead = .recursive
    @Option(parsing: .unconditional, help: ArgumentHelp("The direct head's horizon (default: the longest standard backtest horizon: 20 daily, 12 monthly).", valueName: "H"))
    var directHorizon: Int?
    @Option(parsing: .unconditional, help: "Dropout between stacked layers (training only).") var dropout: Double = 0
    @Option(parsing: .unconditional, help: "Global gradient-norm clip.") var clip: Double = 1.0
    @Option(parsing: .unconditional, help: "Threads for the numerical kernels (1 is bit-for-bit reproducible).") var threads: Int = 1

    func configuration(mode: TrainingMode) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.cell = cell; c.mode = mode; c.hidden = hidden; c.layers = layers; c.window = window; c.streams = streams
        c.epochs = epochs; c.patience = patience; c.seed = seed; c.validationFraction = valFraction
        if let lr { c.learningRate = lr; c.learningRateFixed = true }
        c.features = features; c.dropout = dropout; c.clipNorm = clip; c.threads = threads
        c.seasonal = seasonal == .auto ? nil : seasonal
        c.ensemble = ensemble
        c.head = head == .recursive ? nil : head
        c.directHorizon = directHorizon
        return c
    }

    func validate() throws {
        do { try configuration(mode: .stateful).validate() } catch { throw ValidationError(errorMessage(for: error)) }
    }

    /// The flag that sets each training setting (library messages name settings, the CLI names flags).
    static func flag(for setting: TrainingSetting) -> String {
        switch setting {
        case .hidden: return "--hidden"
        case .layers: return "--layers"
        case .window: return "--window"
        case .streams: return "--streams"
        case .epochs: return "--epochs"
        case .patience: return "--patience"
        case .learningRate: return "--lr"
        case .validationFraction: return "--val-fraction"
        case .dropout: return "--dropout"
        case .clipNorm: return "--clip"
        case .threads: return "--threads"
        case .huberDelta: return "--huber"
        case .encoderWindow: return "--encoder-window"
        case .horizon: return "--horizon"
        case .scheduledSampling: return "--scheduled-sampling"
        case .calibrationOrigins: return "calibration origins"
        case .ensemble: return "--ensemble"
        }
    }
}

/// Per-epoch progress on standard error: a live line on a terminal, one line per epoch otherwise.
struct ProgressPrinter {
    let quiet: Bool
    let live = Console.stderrIsTerminal

    func callback() -> ((EpochProgress) -> Void)? {
        guard !quiet else { return nil }
        let live = self.live
        return { p in
            let r = p.record
            let width = 20, done = Int(Double(width) * Double(r.epoch) / Double(p.maxEpochs))
            let bar = String(repeating: "█", count: done) + String(repeating: "·", count: width - done)
            let text = String(format: "epoch %3d/%d %@ train %.5f  val %.5f%@  %6.0f steps/s  %5.1f s  ETA %5.1f s",
                              r.epoch, p.maxEpochs, live ? bar : "", r.trainLoss, r.validationLoss, p.isBest ? "*" : " ",
                              p.stepsPerSecond, p.elapsed, p.eta)
            if live { Console.status(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
        }
    }

    func finish() { if !quiet, live { FileHandle.standardError.write(Data("\n".utf8)) } }
}

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a recurrent forecaster on stored symbols and keep it, with its state, in the database.",
        discussion: """
            The default is a stateful LSTM on daily log returns: the training part of the series is cut into \
            parallel streams of contiguous windows, the state is carried from batch to batch and reset each \
            epoch, and the newest 15% of the series is held out for validation (early stopping restores the \
            best epoch's weights). After training, the state is advanced over each symbol's whole history and \
            stored, so a forecast costs one step, not a replay. Several symbols train one global model, one \
            stream per symbol.

            Examples:
              augur train SP500_DAILY
              augur train SP500_DAILY --cell gru --mode stateless --hidden 64 --epochs 50
              augur train SP500_DAILY VIX_DAILY --window 16
              augur train SP500_DAILY --model seq2seq --horizon 20 --encoder-window 64
              augur train --all --each                  # one model per stored symbol
              augur train --all --shard 2/4             # this worker's quarter of them, one model each
            """)

    enum Architecture: String, ExpressibleByArgument { case plain, seq2seq }

    @Argument(help: "Symbols to train on.") var symbols: [String] = []
    @Flag(help: "Every symbol in the database.") var all = false
    @Flag(help: "One model per symbol instead of one global model over them all (implied by --shard).") var each = false
    @OptionGroup var sharding: ShardOption
    @OptionGroup var database: DatabaseOption
    @OptionGroup var options: TrainingOptions
    @Option(help: "stateful (contiguous batches, carried state) or stateless (shuffled windows, zero state).")
    var mode: TrainingMode = .stateful
    @Option(help: "plain: a recurrent net forecasting one step, fed back recursively; seq2seq: an encoder-decoder emitting the horizon.")
    var model: Architecture = .plain
    @Option(parsing: .unconditional, help: "seq2seq: steps the decoder emits.") var horizon: Int = 20
    @Option(parsing: .unconditional, help: "seq2seq: returns the encoder reads.") var encoderWindow: Int = 64
    @Option(parsing: .unconditional, help: "seq2seq: probability of feeding the decoder its own output in training (scheduled sampling).")
    var scheduledSampling: Double = 0
    @Flag(help: "Train and report, but do not save the model.") var noSave = false
    @Flag(help: "No progress display.") var quiet = false
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: .hidden) var configurationJSON: String?
    @Flag(help: .hidden) var comparison = false

    func validate() throws {
        if all && !symbols.isEmpty { throw ValidationError("name symbols or give --all, not both") }
        if !all && symbols.isEmpty { throw ValidationError("name a symbol (or several), or give --all") }
        if model == .seq2seq && (all || each || sharding.shard != nil) {
            throw ValidationError("--model seq2seq trains one named symbol")
        }
        _ = try sharding.resolved()
    }

    func run() throws {
        try reportingErrors {
            let db = try database.open()
            var cfg = options.configuration(mode: mode)
            // compare-modes hands its child the whole configuration, so no option can be forgotten.
            if let text = configurationJSON {
                do { cfg = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(text.utf8)) } catch {
                    throw ValidationError("--configuration-json is not a training configuration: \(error)")
                }
                do { try cfg.validate() } catch { throw ValidationError(errorMessage(for: error)) }
            }
            let progress = ProgressPrinter(quiet: quiet)
            let summary: TrainSummary
            if model == .seq2seq {
                guard symbols.count == 1, !noSave else { throw ValidationError("--model seq2seq trains one symbol and saves it") }
                var s2s = Seq2SeqConfiguration(training: cfg)
                s2s.horizon = horizon
                s2s.encoderWindow = encoderWindow
                s2s.scheduledSampling = scheduledSampling
                do { try s2s.validate() } catch { throw ValidationError(errorMessage(for: error)) }
                summary = try Seq2SeqUseCase.train(symbol: symbols[0], configuration: s2s, database: db)
            } else if each || sharding.shard != nil {
                // One model per symbol, each under the symbol's lock: the form a sharded worker trains in.
                let shard = try sharding.resolved()
                let names = try trainedNames(db).filter { shard?.owns($0) ?? true }
                let role: ModelRole = comparison ? .comparison : .forecast
                let single = !all && symbols.count == 1 && shard == nil
                let outcomes = try eachSymbol(names, single: single, database: db, { name -> TrainSummary in
                    if noSave {
                        return TrainUseCase.summarise(try TrainUseCase.train(symbols: [name], configuration: cfg, database: db,
                                                                             onEpoch: progress.callback()), id: 0)
                    }
                    return try TrainUseCase.run(symbols: [name], configuration: cfg, database: db, role: role,
                                                onEpoch: progress.callback())
                }, printing: { s, _ in
                    progress.finish()
                    if !json { print(Train.text(s)) }
                })
                if json { try Console.json(outcomes.values) }
                try outcomes.finish()
                return
            } else if noSave {
                let r = try TrainUseCase.train(symbols: try trainedNames(db), configuration: cfg, database: db,
                                               onEpoch: progress.callback())
                summary = TrainUseCase.summarise(r, id: 0)
            } else {
                summary = try TrainUseCase.run(symbols: try trainedNames(db), configuration: cfg, database: db,
                                               role: comparison ? .comparison : .forecast, onEpoch: progress.callback())
            }
            progress.finish()
            if json { return try Console.json(summary) }
            print(Train.text(summary))
        }
    }

    /// The symbols of one global model: the named ones, or every stored one.
    func trainedNames(_ db: AugurDatabase) throws -> [String] {
        all ? try db.symbolNamesWithBars() : symbols
    }

    static func text(_ s: TrainSummary) -> String {
        var lines = [
            (s.modelID > 0 ? "model \(s.modelID): " : "") + "\(s.kind) \(TrainingMode.label(s.mode)) on \(s.symbols.joined(separator: ", "))",
            String(format: "  %d epochs%@ in %.1f s (%.3f s/epoch training%@); best epoch %d",
                   s.epochs, s.stoppedEarly ? " (early stop)" : "", s.seconds, s.secondsPerEpoch,
                   s.stepsPerEpoch > 0 ? ", \(s.stepsPerEpoch) steps/epoch, \(s.streams) streams" : ", batch \(s.streams)",
                   s.bestEpoch),
            "  validation loss \(fixed(s.bestValidationLoss, 5)); random walk (zero return) \(fixed(s.randomWalkLoss, 5)); "
                + "ratio \(fixed(s.relativeToRandomWalk, 4)) ("
                + (s.relativeToRandomWalk.map { $0 <= 1 ? "at least as good as the random walk" : "worse than the random walk" }
                   ?? "undefined: the random walk's validation loss is 0, the series does not move") + ")",
            String(format: "  peak memory %.1f MB", s.peakMemoryMB),
        ]
        lines += s.notes.map { "  note: \($0)" }
        return lines.joined(separator: "\n")
    }
}

struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, delete and pin trained models.",
        discussion: "Example:\n  augur models\n  augur models delete 3\n  augur models pin SP500_DAILY theta",
        subcommands: [ModelsList.self, ModelsDelete.self, ModelsPin.self], defaultSubcommand: ModelsList.self)
}

struct ModelsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List trained models (the default of `augur models`).",
        discussion: "Example:\n  augur models\n  augur models --json")

    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let models = try ModelQueries.list(database: try database.open())
            if json { return try Console.json(models) }
            if models.isEmpty { return print("no models yet: train one with `augur train SYMBOL`") }
            print(TextTable.render(
                ["id", "symbols", "cell", "mode", "inputs", "use", "data", "best epoch", "val loss", "vs random walk", "created"],
                models.map { m in
                    [String(m.id), m.symbols.joined(separator: ","), m.kind.name, TrainingMode.label(m.mode),
                     m.features + (m.ensemble > 1 ? " ×\(m.ensemble)" : ""), m.role.rawValue, "\(m.dataFirst)…\(m.dataLast)",
                     String(m.bestEpoch), String(format: "%.5f", m.bestValidationLoss),
                     fixed(m.bestValidationLoss / m.randomWalkLoss, 4), String(m.created.prefix(19))]
                }, rightAligned: [0, 7, 8, 9]))
        }
    }
}

struct ModelsDelete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a stored model with its epochs and states.",
        discussion: """
            Forecasts made with it keep their numbers; a symbol pinned to it goes back to auto.

            Example:
              augur models delete 3
            """)

    @Argument(help: "The model id (see `augur models`).") var id: Int64
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let d = try ModelManagementUseCase.delete(id: id, database: try database.open())
            if json { return try Console.json(d) }
            print("deleted model \(d.id) (\(d.kind.name) on \(d.symbols.joined(separator: ", ")))")
        }
    }
}

struct ModelsPin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Choose what a symbol's forecasts use when a command names no model.",
        discussion: """
            Pin a stored model by id (it must have been trained on the symbol; its state is advanced \
            over new bars), a model by name (theta, autoets, lstm: a neural name uses the symbol's \
            newest model of that kind), or `auto` to go back to the default. `augur forecast`, \
            `augur daily` and `augur report` use the pin unless given --method or --model, and say so.

            Example:
              augur models pin SP500_DAILY 3
              augur models pin AIRLINE_PASSENGERS_MONTHLY theta
              augur models pin AIRLINE_PASSENGERS_MONTHLY auto
            """)

    @Argument(help: "The symbol.") var symbol: String
    @Argument(help: "A model id, a model name, or auto.") var model: String
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print JSON.") var json = false

    func request() throws -> ModelManagementUseCase.PinRequest {
        if let id = Int64(model) { return .model(id) }
        let kind = try ModelKind(name: model)
        return kind == .auto ? .clear : .method(kind)
    }

    func validate() throws {
        do { _ = try request() } catch { throw ValidationError("\(model): \(error)") }
    }

    func run() throws {
        try reportingErrors {
            let p = try ModelManagementUseCase.pin(symbol: symbol, try request(), database: try database.open())
            if json { return try Console.json(p) }
            print("\(p.symbol): forecasts use " + (p.pin.map { "\($0) (pinned)" } ?? "auto (no pin)"))
        }
    }
}

struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect one model.", subcommands: [ModelShow.self])
}

struct ModelShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a model's configuration, data range, epochs and losses.",
        discussion: "Example:\n  augur model show 1")

    @Argument(help: "The model id (see `augur models`).") var id: Int64
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let m = try ModelQueries.show(id: id, database: try database.open())
            if json { return try Console.json(m) }
            var lines = ["model \(m.id): \(m.kind) \(TrainingMode.label(m.mode)) on \(m.symbols.joined(separator: ", ")) (features: \(m.features))",
                         "  data \(m.dataFirst) … \(m.dataLast), created \(m.created)",
                         String(format: "  best epoch %d, validation loss %.5f, random walk %.5f (ratio %.4f), trained in %.1f s, %d streams",
                                m.bestEpoch, m.bestValidationLoss, m.randomWalkLoss, m.bestValidationLoss / m.randomWalkLoss,
                                m.trainSeconds, m.streams)]
            if let c = m.configuration {
                lines.append("  config: hidden \(c.hidden), layers \(c.layers), window \(c.window), streams \(c.streams), "
                             + "epochs \(c.epochs), patience \(c.patience), lr \(c.learningRate), seed \(c.seed), "
                             + "val-fraction \(c.validationFraction), dropout \(c.dropout), clip \(c.clipNorm)")
            }
            if !m.notes.isEmpty { lines.append("  notes: \(m.notes)") }
            print(lines.joined(separator: "\n"))
            if let epochs = m.epochs {
                print(TextTable.render(["epoch", "train loss", "val loss", "seconds"], epochs.map {
                    [String($0.epoch), String(format: "%.5f", $0.trainLoss),
                     String(format: "%.5f", $0.validationLoss) + ($0.epoch == m.bestEpoch ? " *" : ""),
                     String(format: "%.3f", $0.seconds)]
                }, rightAligned: [0, 1, 3]))
            }
        }
    }
}

struct CompareModes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-modes",
        abstract: "Train stateful and stateless with the same cell, size and budget, and compare them with numbers.",
        discussion: """
            Each mode trains in its own process, so peak memory is measured per mode. Both models are saved \
            as comparison models (their loss curves appear side by side in reports; a new comparison of the \
            same cell replaces them) and never become the symbol's default for forecasts.

            Example:
              augur compare-modes SP500_DAILY
              augur compare-modes SP500_DAILY --cell gru --hidden 64 --epochs 30
            """)

    @Argument(help: "The symbol.") var symbol: String
    @OptionGroup var database: DatabaseOption
    @OptionGroup var options: TrainingOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let dbPath = database.path
            let db = try database.open()   // fail early on a bad path, and migrate once
            let comparison = try CompareModesUseCase.run(symbol: symbol, configuration: options.configuration(mode: .stateful),
                                                         database: db) { cfg in
                try ChildTrain.run(symbol: symbol, configuration: cfg, database: dbPath)
            }
            if json { return try Console.json(comparison) }
            let rows = [("stateful", comparison.stateful), ("stateless", comparison.stateless)].map { name, s in
                [name, String(s.modelID), String(format: "%.3f", s.secondsPerEpoch), String(s.epochs), String(s.bestEpoch),
                 String(format: "%.5f", s.bestValidationLoss), fixed(s.relativeToRandomWalk, 4),
                 String(format: "%.1f", s.peakMemoryMB), String(format: "%.1f", s.seconds)]
            }
            print("\(comparison.symbol): \(comparison.stateful.kind), hidden \(options.hidden), window \(options.window), "
                  + "up to \(options.epochs) epochs, patience \(options.patience), seed \(options.seed)")
            print(TextTable.render(["mode", "model", "train s/epoch", "epochs", "best epoch", "best val loss", "vs random walk",
                                    "peak MB", "total s"], rows, rightAligned: Set(1...8)))
            for f in comparison.findings { print("- \(f)") }
        }
    }
}

/// Runs `augur train --json` in a child process of this executable, with the whole configuration
/// passed as JSON (so the child trains exactly what the parent asked for).
enum ChildTrain {
    static func run(symbol: String, configuration c: TrainingConfiguration, database: String) throws -> TrainSummary {
        let p = Process()
        p.executableURL = executable
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // The database goes by the environment, not the command line: a PostgreSQL URL may hold a
        // password, and a command line is readable by every user of the machine (ps).
        p.arguments = ["train", symbol, "--json", "--quiet", "--comparison",
                       "--configuration-json", String(decoding: try encoder.encode(c), as: UTF8.self)]
        var environment = ProcessInfo.processInfo.environment
        environment["AUGUR_DB"] = database
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Both pipes drain at once: a child that fills one while the other is read to its end would block.
        let stderrData = PipeDrain(err.fileHandleForReading)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = stderrData.wait()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let text = String(decoding: e, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw p.terminationStatus == 1 ? AppError.invalid(text) : AppError.internalFailure(text)
        }
        return try JSONDecoder().decode(TrainSummary.self, from: o)
    }

    /// This executable: Foundation's answer where it has one, else argv[0] resolved against the
    /// working directory and PATH.
    static var executable: URL {
        if let url = Bundle.main.executableURL { return url }
        let argv0 = CommandLine.arguments[0]
        if argv0.contains("/") { return URL(fileURLWithPath: argv0) }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(argv0)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: argv0)
    }
}

/// Reads a pipe to its end on its own thread.
final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
