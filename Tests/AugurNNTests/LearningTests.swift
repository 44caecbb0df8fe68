// Learning works end to end on the Float path: a stateful LSTM learns the next step of a noisy
// sine wave. Tiny in-test contiguous batching: the series is cut into B contiguous streams and
// batch k is window k of every stream, the final state of batch k starting batch k+1
// (zero state each epoch), as AugurForecast's NeuralTrainer does in stateful mode. Measured: 0.0049 after 40
// epochs (noise floor 0.05² = 0.0025); the bound is 0.01.

import Testing
@testable import AugurNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Test func statefulLSTMLearnsNoisySine() throws {
    let B = 4, L = 16, windows = 8, H = 16, epochs = 40
    let period = 25.0, noise = 0.05
    var rng = SeededGenerator(seed: 12)
    let length = B * L * windows + 1
    let series = (0..<length).map { Float(sin(2 * Double.pi * Double($0) / period) + noise * rng.nextNormal()) }
    let streamLength = L * windows
    // batch k: x (L, B, 1) time-major, y the next value
    func batch(_ k: Int) -> (x: [Float], y: [Float]) {
        var x = [Float](repeating: 0, count: L * B), y = x
        for b in 0..<B {
            for t in 0..<L {
                let i = b * streamLength + k * L + t
                x[t * B + b] = series[i]; y[t * B + b] = series[i + 1]
            }
        }
        return (x, y)
    }
    let model = try SequenceModel<Float>(configuration: .init(cell: .lstm, inputSize: 1, hiddenSize: H), seed: 1)
    let adam = Adam<Float>(learningRate: 0.01)
    var epochLoss: [Double] = []
    for _ in 0..<epochs {
        var state: RecurrentState<Float>? = nil
        var total = 0.0
        for k in 0..<windows {
            let (x, y) = batch(k)
            let (prediction, final) = try model.forward(x, steps: L, batch: B, state: state, training: true)
            let (loss, dy) = try Loss.meanSquaredError.valueAndGradient(prediction: prediction, target: y)
            model.zeroGradients()
            try model.backward(dy: dy)
            clipGlobalNorm(model.parameterBuffers, maxNorm: 1)
            adam.step(model.parameterBuffers)
            state = final
            total += loss
        }
        epochLoss.append(total / Double(windows))
    }
    // Persistence (predict x_t for x_{t+1}) scores ≈ 2(1 − cos 2π/25)·0.5 + 2·0.05² ≈ 0.068 here.
    var persistence = 0.0
    for i in 0..<(length - 1) { persistence += Double((series[i + 1] - series[i]) * (series[i + 1] - series[i])) }
    persistence /= Double(length - 1)
    #expect(epochLoss[0] > 0.1, "starts untrained: \(epochLoss[0])")
    #expect(epochLoss.last! < 0.01, "final training MSE \(epochLoss.last!) after \(epochs) epochs")
    #expect(epochLoss.last! < persistence / 2, "beats persistence (\(persistence)) by 2×")
}
