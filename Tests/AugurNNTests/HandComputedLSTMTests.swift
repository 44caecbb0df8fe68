// A two-step LSTM worked by hand (I = H = 1), in the style of llm.c's test: fixed inputs, values
// derived line by line below, compared with a stated tolerance.

import Testing
@testable import AugurNN

// Weights, gate order [i f g o]:
//   kernel W_x = [1, 2, −1, 0.5], recurrent U = [0.5, −1, 2, 1], bias b = [0, 1, 0, 0].
// Inputs x_1 = 1, x_2 = −1; h_0 = c_0 = 0.
// Step 1: pre = x_1·W_x + h_0·U + b = [1, 3, −1, 0.5]
//   i = σ(1) = 0.7310585786, f = σ(3) = 0.9525741268, g = tanh(−1) = −0.7615941560, o = σ(0.5) = 0.6224593312
//   c_1 = f·0 + i·g = 0.7310585786 × −0.7615941560 = −0.5567699411
//   h_1 = o·tanh(c_1) = 0.6224593312 × tanh(−0.5567699411) = 0.6224593312 × −0.5055764... = −0.3147010787
// Step 2: pre = −1·W_x + h_1·U + b = [−1 − 0.1573505393, −2 + 0.3147010787 + 1, 1 − 0.6294021573, −0.5 − 0.3147010787]
//             = [−1.1573505393, −0.6852989213, 0.3705978427, −0.8147010787]
//   i = 0.2391490393, f = 0.3350796663, g = 0.3545145287, o = 0.3068896301
//   c_2 = f·c_1 + i·g = 0.3350796663 × −0.5567699411 + 0.2391490393 × 0.3545145287 = −0.1017804771
//   h_2 = o·tanh(c_2) = −0.0311279595
private let expectedC: [Double] = [-0.5567699411, -0.1017804771]
private let expectedH: [Double] = [-0.3147010787, -0.0311279595]

private func handLayer<S: NNScalar>(_: S.Type) throws -> RecurrentLayer<S> {
    let layer = try RecurrentLayer<S>(kind: .lstm, inputSize: 1, hiddenSize: 1, seed: 1)
    try layer.parameters.setTensorValues("kernel", [1, 2, -1, 0.5])
    try layer.parameters.setTensorValues("recurrent_kernel", [0.5, -1, 2, 1])
    try layer.parameters.setTensorValues("bias", [0, 1, 0, 0])
    return layer
}

@Test func twoStepLSTMMatchesHandComputation() throws {
    let (y, last) = try handLayer(Double.self).forward([1, -1], steps: 2, batch: 1, initialState: nil)
    #expect(maxAbsDifference(y, expectedH) < 1e-9)
    #expect(abs(last.c[0] - expectedC[1]) < 1e-9)
    #expect(abs(last.h[0] - expectedH[1]) < 1e-9)
}

@Test func twoStepLSTMMatchesHandComputationInFloat() throws {
    let (y, last) = try handLayer(Float.self).forward([1, -1], steps: 2, batch: 1, initialState: nil)
    // The Float path uses a rational tanh/σ approximation: agreement to 1e-6 absolute.
    #expect(maxAbsDifference(y.map { Double($0) }, expectedH) < 1e-6)
    #expect(abs(Double(last.c[0]) - expectedC[1]) < 1e-6)
}
