// Losses, global-norm clipping and Adam against values computed independently in the test.

import Testing
@testable import AugurNN

@Test func meanSquaredErrorValueAndGradient() throws {
    let (value, gradient) = try Loss.meanSquaredError.valueAndGradient(prediction: [1, 2, 4] as [Double],
                                                                      target: [1, 0, 1])
    // residuals 0, 2, 3: mean(0 + 4 + 9) = 13/3; dL/dy = 2r/3
    #expect(abs(value - 13.0 / 3) < 1e-12)
    #expect(gradient == [0, 4.0 / 3, 2])
}

@Test func huberIsQuadraticInsideDeltaAndLinearOutside() throws {
    let loss = Loss.huber(delta: 1)
    let (value, gradient) = try loss.valueAndGradient(prediction: [0.5, 3, -2] as [Double], target: [0, 0, 0])
    // 0.5·0.25 = 0.125;  1·(3 − 0.5) = 2.5;  1·(2 − 0.5) = 1.5  → mean 4.125 / 3
    #expect(abs(value - 4.125 / 3) < 1e-12)
    #expect(gradient.map { $0 * 3 } == [0.5, 1, -1])
    // Gradient matches central differences at points on both sides of δ.
    var rng = SeededGenerator(seed: 2)
    var p = randomArray(20, scale: 3, generator: &rng)
    let t = randomArray(20, generator: &rng)
    let analytic = try loss.valueAndGradient(prediction: p, target: t).gradient
    let numeric = try numericArrayGradient(&p) { try loss.valueAndGradient(prediction: $0, target: t).value }
    #expect(relativeError(analytic, numeric) < 1e-6)
}

@Test func clippingScalesToTheGlobalNormOnlyWhenAbove() {
    let a = ParameterBuffer<Double>(shapes: [("w", [2])]), b = ParameterBuffer<Double>(shapes: [("v", [2])])
    a.gradients[0] = 3; a.gradients[1] = 0; b.gradients[0] = 0; b.gradients[1] = 4  // norm 5
    let before = clipGlobalNorm([a, b], maxNorm: 1)
    #expect(before == 5)
    let after = (a.flatGradients + b.flatGradients).map { $0 * $0 }.reduce(0, +).squareRoot()
    #expect(abs(after - 1) < 1e-6)
    #expect(abs(a.gradients[0] / b.gradients[1] - 0.75) < 1e-12)  // direction kept
    let small = clipGlobalNorm([a, b], maxNorm: 2)
    #expect(abs(small - 1) < 1e-6 && abs(a.gradients[0] - 0.6) < 1e-6)  // below the limit: unchanged
}

@Test func adamMatchesTheBiasCorrectedFormula() {
    let buffer = ParameterBuffer<Double>(shapes: [("w", [3])])
    buffer.flatValues = [1, -1, 0.5]
    let adam = Adam<Double>(learningRate: 0.1)
    let gradients: [[Double]] = [[0.5, -2, 0.001], [0.1, 1, -0.3], [-0.4, 0.2, 0.2]]
    var p = [1.0, -1, 0.5], m = [0.0, 0, 0], v = [0.0, 0, 0]
    for (step, g) in gradients.enumerated() {
        for k in 0..<3 { buffer.gradients[k] = g[k] }
        adam.step([buffer])
        let t = Double(step + 1)
        for k in 0..<3 {
            m[k] = 0.9 * m[k] + 0.1 * g[k]
            v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k]
            let mHat = m[k] / (1 - pow(0.9, t)), vHat = v[k] / (1 - pow(0.999, t))
            p[k] -= 0.1 * mHat / (vHat.squareRoot() + 1e-8)
        }
        #expect(maxAbsDifference(buffer.flatValues, p) < 1e-12, "step \(step + 1)")
    }
    #expect(adam.stepCount == 3)
}

@Test(arguments: Kernel.available)
func floatAdamFollowsTheFormulaOnEveryKernel(kernel: Kernel) {
    // 37 parameters: whole vectors and a scalar tail on every kernel, with weight decay, over 4
    // steps, against the same formula in Double (the Float path rounds each step: tolerance 1e-5).
    let n = 37
    let buffer = ParameterBuffer<Float>(shapes: [("w", [n])])
    var rng = SeededGenerator(seed: 11)
    let start: [Double] = randomArray(n, generator: &rng)
    buffer.flatValues = start.map { Float($0) }
    let adam = Adam<Float>(learningRate: 0.05, weightDecay: 0.1)
    adam.kernel = kernel
    var p = start.map { Double(Float($0)) }, m = [Double](repeating: 0, count: n), v = m
    for step in 1...4 {
        let g: [Double] = randomArray(n, scale: 2, generator: &rng).map { Double(Float($0)) }
        for k in 0..<n { buffer.gradients[k] = Float(g[k]) }
        adam.step([buffer])
        let t = Double(step)
        for k in 0..<n {
            m[k] = 0.9 * m[k] + 0.1 * g[k]
            v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k]
            let mHat = m[k] / (1 - pow(0.9, t)), vHat = v[k] / (1 - pow(0.999, t))
            p[k] = p[k] * (1 - 0.05 * 0.1) - 0.05 * mHat / (vHat.squareRoot() + 1e-8)
        }
        #expect(maxAbsDifference(buffer.flatValues.map { Double($0) }, p) < 1e-5, "\(kernel) step \(step)")
    }
}

@Test func adamGivesTheSameBitsOnEveryKernel() {
    // No fused multiply-adds in the update: the kernels differ only in width, so their bits agree.
    var rng = SeededGenerator(seed: 12)
    let start = randomArray(53, generator: &rng).map { Float($0) }
    let gradients = (0..<3).map { _ in randomArray(53, scale: 3, generator: &rng).map { Float($0) } }
    let results = Kernel.available.map { kernel -> [Float] in
        let buffer = ParameterBuffer<Float>(shapes: [("w", [53])])
        buffer.flatValues = start
        let adam = Adam<Float>(learningRate: 0.02, weightDecay: 0.01)
        adam.kernel = kernel
        for g in gradients {
            for k in 0..<53 { buffer.gradients[k] = g[k] }
            adam.step([buffer])
        }
        return buffer.flatValues
    }
    for (kernel, result) in zip(Kernel.available, results) {
        #expect(result == results.last!, "\(kernel) against generic")
    }
}

@Test func adamDecoupledWeightDecayShrinksWeightsWithoutGradient() {
    let buffer = ParameterBuffer<Float>(shapes: [("w", [2])])
    buffer.flatValues = [2, -4]
    let adam = Adam<Float>(learningRate: 0.01, weightDecay: 0.5)
    adam.step([buffer])  // gradients are 0: only the decay acts, p ← p (1 − lr λ)
    #expect(buffer.flatValues == [2 * 0.995, -4 * 0.995])
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
