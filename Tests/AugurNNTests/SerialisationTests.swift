// Parameter blobs: round trip, and every kind of bad input throws a typed error.

import Testing
@testable import AugurNN

private func smallModel(seed: UInt64, hidden: Int = 8) throws -> SequenceModel<Float> {
    try SequenceModel<Float>(configuration: .init(cell: .lstm, inputSize: 2, hiddenSize: hidden, layers: 2,
                                                  outputSize: 1), seed: seed)
}

@Test func blobRoundTripRestoresEveryParameter() throws {
    let a = try smallModel(seed: 1)
    let b = try smallModel(seed: 2)
    #expect(a.parameterBuffers.flatMap(\.flatValues) != b.parameterBuffers.flatMap(\.flatValues))
    let blob = a.parameterBlob()
    #expect(Array(blob.prefix(4)) == Array("AUGN".utf8))
    try b.loadParameters(from: blob)
    #expect(a.parameterBuffers.flatMap(\.flatValues) == b.parameterBuffers.flatMap(\.flatValues))
    let x: [Float] = (0..<(5 * 3 * 2)).map { Float($0) / 30 }
    let ya = try a.forward(x, steps: 5, batch: 3, state: nil, training: false).y
    let yb = try b.forward(x, steps: 5, batch: 3, state: nil, training: false).y
    #expect(ya == yb)
    #expect(ParameterBlob.encode(try ParameterBlob.decode(blob)) == blob)
}

@Test func blobLayoutIsLittleEndianAndVersioned() throws {
    let blob = ParameterBlob.encode([NamedTensor(name: "w", shape: [2], values: [1, -2])])
    // magic · version 1 · count 1 · name "w" · rank 1 · dim 2 · 1.0f · −2.0f
    #expect(blob == [0x41, 0x55, 0x47, 0x4E, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0x77, 1, 2, 0, 0, 0,
                     0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])
}

@Test func badBlobsThrowTypedErrors() throws {
    let model = try smallModel(seed: 1)
    let blob = model.parameterBlob()
    #expect(throws: NNError.badMagic) { try model.loadParameters(from: [0, 1, 2, 3] + Array(blob.dropFirst(4))) }
    var future = blob
    future[4] = 99
    #expect(throws: NNError.unsupportedVersion(99)) { try model.loadParameters(from: future) }
    #expect(throws: NNError.trailingBytes(1)) { try model.loadParameters(from: blob + [0]) }
    #expect(throws: NNError.self) { try model.loadParameters(from: []) }
    // Every truncation of a valid blob throws (and never reads out of bounds).
    for n in stride(from: 0, to: blob.count, by: 7) {
        #expect(throws: NNError.self) { try ParameterBlob.decode(Array(blob.prefix(n))) }
    }
    // A well-formed blob of another shape is refused without touching the model.
    let before = model.parameterBuffers.flatMap(\.flatValues)
    let other = try smallModel(seed: 1, hidden: 4).parameterBlob()
    #expect(throws: NNError.self) { try model.loadParameters(from: other) }
    #expect(model.parameterBuffers.flatMap(\.flatValues) == before)
    // Absurd dimensions (overflowing the element count) are caught before any allocation.
    let huge: [UInt8] = [0x41, 0x55, 0x47, 0x4E, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0x77, 3,
                         0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
    #expect(throws: NNError.self) { try ParameterBlob.decode(huge) }
    // Random garbage after a valid magic and version.
    var rng = SeededGenerator(seed: 3)
    for _ in 0..<50 {
        let garbage = Array(blob.prefix(8)) + (0..<40).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        #expect(throws: NNError.self) { try ParameterBlob.decode(garbage) }
    }
}
