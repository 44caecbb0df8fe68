// The dense head: y = x·W + b applied to every row of a (N, In) matrix, where N = L·B when it
// sits on top of a recurrent stack (one prediction per time step per stream).

/// A fully connected layer. Parameters "kernel" (In, O) Glorot-uniform and "bias" (O) zero.
public final class DenseLayer<Scalar: NNScalar> {
    public let inputSize: Int
    public let outputSize: Int
    public let parameters: ParameterBuffer<Scalar>
    public var threads: Int = 1
    /// The Float kernels of its products.
    public var kernel: Kernel = .processDefault

    private(set) var rows = 0
    private var input: UnsafePointer<Scalar>?      // (N, In) the forward input, kept for backward
    let inputCopy = ScratchBuffer<Scalar>()          // (N, In) when the caller's array is not kept alive
    let output = ScratchBuffer<Scalar>()             // (N, O)
    let inputGradient = ScratchBuffer<Scalar>()      // (N, In)
    private var one: Scalar = 1

    public init(inputSize: Int, outputSize: Int, seed: UInt64) throws {
        guard inputSize > 0, outputSize > 0 else {
            throw NNError.invalidConfiguration("dense sizes must be ≥ 1, got \(inputSize) → \(outputSize)")
        }
        self.inputSize = inputSize
        self.outputSize = outputSize
        parameters = ParameterBuffer(shapes: [("kernel", [inputSize, outputSize]), ("bias", [outputSize])])
        var generator = SeededGenerator(seed: seed)
        let kernel = Initialisation.glorotUniform(fanIn: inputSize, fanOut: outputSize, generator: &generator)
        try parameters.setTensorValues("kernel", kernel.map { Scalar($0) })
    }

    /// y (N, O) = x (N, In) · W + b.
    public func forward(_ x: [Scalar], rows N: Int) throws -> [Scalar] {
        guard x.count == N * inputSize else {
            throw NNError.shapeMismatch(what: "dense input (N, In)", expected: N * inputSize, actual: x.count)
        }
        inputCopy.ensure(N * inputSize)
        x.withUnsafeBufferPointer { inputCopy.pointer.update(from: $0.baseAddress!, count: N * inputSize) }
        forward(input: inputCopy.pointer, rows: N)
        return Array(UnsafeBufferPointer(start: output.pointer, count: N * outputSize))
    }

    /// Accumulates dW, db (+=) and returns dx (N, In) for dy (N, O).
    public func backward(dy: [Scalar]) throws -> [Scalar] {
        guard dy.count == rows * outputSize, rows > 0 else {
            throw NNError.shapeMismatch(what: "dense dy (N, O)", expected: rows * outputSize, actual: dy.count)
        }
        dy.withUnsafeBufferPointer { backward(dy: $0.baseAddress!, needInputGradient: true) }
        return Array(UnsafeBufferPointer(start: inputGradient.pointer, count: rows * inputSize))
    }

    /// Pointer form: `input` (N, In) must stay valid until `backward`. Result in `output`.
    func forward(input x: UnsafePointer<Scalar>, rows N: Int) {
        rows = N
        input = x
        output.ensure(N * outputSize)
        // y = x·W + b
        Scalar.gemm(GemmOperation(m: N, n: outputSize, k: inputSize, a: x, aRowStride: inputSize, aColumnStride: 1,
                                  b: parameters.values, bRowStride: outputSize, c: output.pointer,
                                  cRowStride: outputSize, initial: .bias(parameters.pointer("bias")), threads: threads, kernel: kernel))
    }

    /// Pointer form of backward: dy (N, O). dx goes to `inputGradient` when asked.
    func backward(dy: UnsafePointer<Scalar>, needInputGradient: Bool) {
        guard let x = input else { preconditionFailure("DenseLayer.backward before forward") }
        let N = rows, In = inputSize, O = outputSize
        // y = x·W + b  ⇒  dW += xᵀ·dy, db += 1ᵀ·dy, dx = dy·Wᵀ
        if O == 1 {
            // dW (In, 1) is a row of In values: dWᵀ (1, In) += dyᵀ (1, N) · x (N, In), row-vector speed.
            Scalar.gemm(GemmOperation(m: 1, n: In, k: N, a: dy, aRowStride: 0, aColumnStride: 1, b: x, bRowStride: In,
                                      c: parameters.gradients, cRowStride: In, initial: .accumulate, kernel: kernel))
        } else {
            Scalar.gemm(GemmOperation(m: In, n: O, k: N, a: x, aRowStride: 1, aColumnStride: In, b: dy, bRowStride: O,
                                      c: parameters.gradients, cRowStride: O, initial: .accumulate, threads: threads, kernel: kernel))
        }
        withUnsafePointer(to: &one) { onePointer in
            Scalar.gemm(GemmOperation(m: 1, n: O, k: N, a: onePointer, aRowStride: 0, aColumnStride: 0, b: dy,
                                      bRowStride: O, c: parameters.gradientPointer("bias"), cRowStride: O,
                                      initial: .accumulate, kernel: kernel))
        }
        if needInputGradient {
            inputGradient.ensure(N * In)
            // dx (N, In) = dy (N, O) · Wᵀ (O, In): Wᵀ element (o, i) = W[i·O + o], B row stride 1 needs
            // a copy; for the usual O = 1 it is the same memory as W read as a row.
            if O == 1 {
                Scalar.gemm(GemmOperation(m: N, n: In, k: 1, a: dy, aRowStride: 1, aColumnStride: 1,
                                          b: parameters.values, bRowStride: In, c: inputGradient.pointer,
                                          cRowStride: In, initial: .overwrite, threads: threads, kernel: kernel))
            } else {
                let w = parameters.values
                for r in 0..<N {
                    for i in 0..<In {
                        var s: Scalar = 0
                        for o in 0..<O { s += dy[r * O + o] * w[i * O + o] }
                        inputGradient.pointer[r * In + i] = s
                    }
                }
            }
        }
    }
}
