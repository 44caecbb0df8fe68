import AugurCore
import AugurForecast
import AugurNN
import AugurStore
import Foundation

/// Moves trained models between their in-memory form (AugurForecast) and the store's rows.
enum ModelCodec {
    static func encode<T: Encodable>(_ v: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(v)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The store's rows for a trained model; each state carries the digest of its symbol's bars.
    static func stored(_ r: TrainingResult, contexts: [SymbolContext]) -> (StoredModel, [StoredEpoch], [StoredState]) {
        stored([r], contexts: contexts)
    }

    /// The store's rows for a seed ensemble (one member: a plain model): one model row whose weights are
    /// the members' weights one after the other, and per symbol one state whose h and c are the
    /// members' one after the other. Epochs and the summary figures are the first member's.
    static func stored(_ members: [TrainingResult], contexts: [SymbolContext]) -> (StoredModel, [StoredEpoch], [StoredState]) {
        let r = members[0]
        let cfg = r.model.configuration
        let model = StoredModel(
            symbols: r.finalStates.map(\.symbol), kind: ModelKind(cell: cfg.cell), mode: cfg.mode,
            configuration: encode(cfg), features: r.model.features.rawValue, scalers: encode(r.model.scalers),
            weights: members.flatMap(\.model.weights), dataFirst: r.firstDate, dataLast: r.lastDate, created: Timestamp.iso(Date()),
            bestEpoch: r.bestEpoch, bestValidationLoss: r.bestValidationLoss, randomWalkLoss: r.randomWalkValidationLoss,
            trainSeconds: r.seconds, streams: r.streams, notes: r.notes.joined(separator: "; "))
        let epochs = r.history.map {
            StoredEpoch(epoch: $0.epoch, trainLoss: $0.trainLoss, validationLoss: $0.validationLoss, seconds: $0.seconds)
        }
        return (model, epochs, r.finalStates.indices.map { i in
            let s = r.finalStates[i]
            return storedState(members.map { $0.finalStates[i] }, bars: contexts.first { $0.name == s.symbol }?.bars ?? [])
        })
    }

    static func storedState(_ s: StreamState, bars: [Bar]) -> StoredState { storedState([s], bars: bars) }

    /// One stored state for the members' states of one symbol (which share its date and last price).
    static func storedState(_ members: [StreamState], bars: [Bar]) -> StoredState {
        let s = members[0]
        return StoredState(symbol: s.symbol, asOf: s.asOf, lastPrice: s.lastPrice,
                           h: members.flatMap { $0.state.layers.flatMap(\.h) }, c: members.flatMap { $0.state.layers.flatMap(\.c) },
                           digest: HistoryDigest.of(bars, through: s.asOf))
    }

    /// The training configuration of a stored model (for a seq2seq model, the one inside its own).
    static func configuration(_ m: StoredModel) throws -> TrainingConfiguration {
        if m.kind == .seq2seq { return try seq2seqConfiguration(m).training }
        do { return try JSONDecoder().decode(TrainingConfiguration.self, from: Data(m.configuration.utf8)) } catch {
            throw AppError.internalFailure("model \(m.id ?? 0): unreadable configuration: \(error)")
        }
    }

    static func seq2seqConfiguration(_ m: StoredModel) throws -> Seq2SeqConfiguration {
        do { return try JSONDecoder().decode(Seq2SeqConfiguration.self, from: Data(m.configuration.utf8)) } catch {
            throw AppError.internalFailure("model \(m.id ?? 0): unreadable seq2seq configuration: \(error)")
        }
    }

    /// The value stored for `symbol` in a per-symbol JSON map (names match without regard to case).
    static func perSymbol<T: Decodable>(_ json: String, _ symbol: String, as: T.Type) -> T? {
        guard let map = try? JSONDecoder().decode([String: T].self, from: Data(json.utf8)) else { return nil }
        return map[symbol] ?? map.first { $0.key.caseInsensitiveCompare(symbol) == .orderedSame }?.value
    }

    static func neuralModel(_ m: StoredModel) throws -> NeuralModel { try neuralModels(m)[0] }

    /// The networks of a stored model: one, or the K members of a seed ensemble (its weights cut in K
    /// equal parts, member k with its seed).
    static func neuralModels(_ m: StoredModel) throws -> [NeuralModel] {
        let cfg = try configuration(m)
        guard let features = FeatureKind(rawValue: m.features),
              let scalers = try? JSONDecoder().decode([String: Scaler].self, from: Data(m.scalers.utf8)) else {
            throw AppError.internalFailure("model \(m.id ?? 0): unreadable features or scalers")
        }
        let K = cfg.ensembleSize
        guard m.weights.count % K == 0 else {
            throw AppError.internalFailure("model \(m.id ?? 0): \(m.weights.count) bytes of weights do not split into \(K) members")
        }
        let size = m.weights.count / K
        return try (0..<K).map { k in
            try NeuralModel(configuration: cfg.member(k), features: features, scalers: scalers,
                            weights: Array(m.weights[(k * size)..<((k + 1) * size)]))
        }
    }

    static func streamState(_ s: StoredState, model: NeuralModel) throws -> StreamState {
        try streamStates(s, models: [model])[0]
    }

    /// Each member's state from a stored state (the members' h and c one after the other).
    static func streamStates(_ s: StoredState, models: [NeuralModel]) throws -> [StreamState] {
        guard let model = models.first else { return [] }
        let H = model.configuration.hidden, layers = model.configuration.layers, K = models.count
        let hasCell = model.configuration.cell.hasCellState
        guard s.h.count == K * H * layers, s.c.count == (hasCell ? K * H * layers : 0) else {
            throw AppError.internalFailure("stored state for \(s.symbol) does not match the model's shape")
        }
        return try (0..<K).map { k in
            let base = k * H * layers
            let state = RecurrentState(layers: try (0..<layers).map { l in
                let range = (base + l * H)..<(base + (l + 1) * H)
                return try LayerState(batch: 1, hiddenSize: H, h: Array(s.h[range]), c: hasCell ? Array(s.c[range]) : [])
            })
            return StreamState(symbol: s.symbol, asOf: s.asOf, lastPrice: s.lastPrice, state: state)
        }
    }
}
