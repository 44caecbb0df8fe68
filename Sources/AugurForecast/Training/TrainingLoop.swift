import AugurNN
import Foundation

/// A network the training loop can drive: gradients, parameters and a snapshot of the weights.
public protocol TrainableNetwork: AnyObject {
    func zeroGradients()
    var parameterBuffers: [ParameterBuffer<Float>] { get }
    func parameterBlob() -> [UInt8]
    func loadParameters(from blob: [UInt8]) throws
}

extension SequenceModel<Float>: TrainableNetwork {}
extension Seq2SeqModel<Float>: TrainableNetwork {}

/// The epoch loop every trainer shares: for each epoch, every batch's gradients are zeroed, the
/// batch closure runs the forward and backward pass and returns its loss, the global gradient norm
/// is clipped and Adam steps; then the validation closure scores the epoch. A NaN or infinite loss
/// (training or validation) stops with `TrainingError.nonFiniteLoss`; the weights of the best
/// validation epoch are kept and restored at the end; training stops after `patience` epochs
/// without a better validation loss.
struct TrainingLoop {
    var epochs: Int
    var patience: Int
    var clipNorm: Double
    var learningRate: Double
    var weightDecay: Double
    /// Training steps per epoch, for the progress display's steps/s.
    var stepsPerEpoch: Int
    var onEpoch: ((EpochProgress) -> Void)?

    struct Outcome {
        var history: [EpochRecord]
        var bestEpoch: Int
        var bestLoss: Double
        var stoppedEarly: Bool
    }

    init(configuration c: TrainingConfiguration, stepsPerEpoch: Int, onEpoch: ((EpochProgress) -> Void)?) {
        epochs = c.epochs
        patience = c.patience
        clipNorm = c.clipNorm
        learningRate = c.learningRate
        weightDecay = c.weightDecay
        self.stepsPerEpoch = stepsPerEpoch
        self.onEpoch = onEpoch
    }

    /// - Parameters:
    ///   - startEpoch: called before epoch e's batches; returns how many batches it has (this is
    ///     where a stateful trainer zeroes its state and a stateless one draws its permutation).
    ///   - batch: forward and backward of batch k of epoch e; returns the batch's loss.
    ///   - validate: the validation loss after the epoch's batches.
    func run(_ network: some TrainableNetwork, startEpoch: (_ epoch: Int) -> Int,
             batch: (_ epoch: Int, _ k: Int) throws(TrainingError) -> Double,
             validate: () throws(TrainingError) -> Double) throws(TrainingError) -> Outcome {
        let adam = Adam<Float>(learningRate: learningRate, weightDecay: weightDecay)
        let started = Date()
        var history: [EpochRecord] = []
        var best = (epoch: 0, loss: Double.infinity, weights: network.parameterBlob())
        var stoppedEarly = false
        for epoch in 1...max(epochs, 1) {
            let t0 = Date()
            let batches = startEpoch(epoch)
            var lossSum = 0.0
            for k in 0..<batches {
                network.zeroGradients()
                lossSum += try batch(epoch, k)
                clipGlobalNorm(network.parameterBuffers, maxNorm: clipNorm)
                adam.step(network.parameterBuffers)
            }
            let trainSeconds = Date().timeIntervalSince(t0)
            let trainLoss = lossSum / Double(max(batches, 1))
            guard trainLoss.isFinite else { throw .nonFiniteLoss(epoch: epoch, which: "training") }
            let validationLoss = try validate()
            guard validationLoss.isFinite else { throw .nonFiniteLoss(epoch: epoch, which: "validation") }
            let record = EpochRecord(epoch: epoch, trainLoss: trainLoss, validationLoss: validationLoss,
                                     seconds: Date().timeIntervalSince(t0), trainSeconds: trainSeconds)
            history.append(record)
            let isBest = validationLoss < best.loss
            if isBest { best = (epoch, validationLoss, network.parameterBlob()) }
            let elapsed = Date().timeIntervalSince(started)
            onEpoch?(EpochProgress(record: record, maxEpochs: epochs,
                                   stepsPerSecond: Double(stepsPerEpoch) / max(trainSeconds, 1e-9),
                                   elapsed: elapsed, eta: elapsed / Double(epoch) * Double(epochs - epoch), isBest: isBest))
            if epoch - best.epoch >= patience, epoch < epochs { stoppedEarly = true; break }
        }
        do { try network.loadParameters(from: best.weights) } catch { throw TrainingError(error) }
        return Outcome(history: history, bestEpoch: best.epoch, bestLoss: best.loss, stoppedEarly: stoppedEarly)
    }
}
