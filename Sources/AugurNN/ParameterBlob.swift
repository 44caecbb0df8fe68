// The versioned binary form of a model's parameters, which the store keeps as a BLOB:
//   "AUGN" magic (4 bytes) · version UInt32 · tensor count UInt32 ·
//   per tensor: name length UInt16, UTF-8 name, rank UInt8, dims UInt32 × rank ·
//   then every tensor's values as float32, in table order. All integers and floats little-endian.
// Decoding validates every length before reading, so bad bytes throw NNError, never crash.

/// One named tensor of a parameter blob.
public struct NamedTensor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name; self.shape = shape; self.values = values
    }
}

/// Encoding and decoding of parameter blobs.
public enum ParameterBlob {
    /// Decodes `blob`, checks its tensors against `expected` (names and shapes, in order) and only then
    /// writes them into `buffers` (whose tensors are in the same order): a mismatch changes nothing.
    static func load<Scalar: NNScalar>(_ blob: [UInt8], expected: [NamedTensor], into buffers: [ParameterBuffer<Scalar>]) throws {
        let tensors = try decode(blob)
        guard tensors.count == expected.count else {
            throw NNError.tensorMismatch("blob has \(tensors.count) tensors, the model \(expected.count)")
        }
        for (t, e) in zip(tensors, expected) where t.name != e.name || t.shape != e.shape {
            throw NNError.tensorMismatch("blob tensor \(t.name) \(t.shape) where the model has \(e.name) \(e.shape)")
        }
        var k = 0
        for buffer in buffers {
            for d in buffer.tensors {
                try buffer.setTensorValues(d.name, tensors[k].values.map { Scalar($0) })
                k += 1
            }
        }
    }

    public static let magic: [UInt8] = [0x41, 0x55, 0x47, 0x4E]  // "AUGN"
    public static let version: UInt32 = 1
    static let maxRank = 8

    /// The blob for `tensors` (values must match their shapes).
    public static func encode(_ tensors: [NamedTensor]) -> [UInt8] {
        var out = magic
        append(version, to: &out)
        append(UInt32(tensors.count), to: &out)
        for t in tensors {
            precondition(t.values.count == t.shape.reduce(1, *), "tensor \(t.name): values do not match shape")
            let name = Array(t.name.utf8)
            append(UInt16(name.count), to: &out)
            out += name
            out.append(UInt8(t.shape.count))
            for d in t.shape { append(UInt32(d), to: &out) }
        }
        for t in tensors { for v in t.values { append(v.bitPattern, to: &out) } }
        return out
    }

    /// The tensors of a blob; throws `NNError` on anything malformed.
    public static func decode(_ bytes: [UInt8]) throws -> [NamedTensor] {
        var reader = ByteReader(bytes: bytes)
        guard Array(try reader.bytes(4)) == magic else { throw NNError.badMagic }
        let v: UInt32 = try reader.integer()
        guard v == version else { throw NNError.unsupportedVersion(v) }
        let count: UInt32 = try reader.integer()
        var table: [(name: String, shape: [Int], count: Int)] = []
        var totalValues = 0
        for _ in 0..<count {
            let nameLength: UInt16 = try reader.integer()
            let name = String(decoding: try reader.bytes(Int(nameLength)), as: UTF8.self)
            let rank: UInt8 = try reader.integer()
            guard Int(rank) <= maxRank else { throw NNError.tensorMismatch("tensor \(name) has rank \(rank) > \(maxRank)") }
            var shape: [Int] = []
            var elements = 1
            for _ in 0..<rank {
                let d: UInt32 = try reader.integer()
                shape.append(Int(d))
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(d))
                guard !overflow, product <= bytes.count / 4 else {
                    throw NNError.truncatedBlob(needed: Int.max, available: bytes.count)
                }
                elements = product
            }
            totalValues += elements
            guard totalValues <= bytes.count / 4 else { throw NNError.truncatedBlob(needed: totalValues * 4, available: bytes.count) }
            table.append((name, shape, elements))
        }
        var tensors: [NamedTensor] = []
        for entry in table {
            let raw = Array(try reader.bytes(entry.count * 4))
            var values = [Float](repeating: 0, count: entry.count)
            for k in 0..<entry.count {
                let b0 = UInt32(raw[4 * k]), b1 = UInt32(raw[4 * k + 1]) << 8
                let b2 = UInt32(raw[4 * k + 2]) << 16, b3 = UInt32(raw[4 * k + 3]) << 24
                values[k] = Float(bitPattern: b0 | b1 | b2 | b3)
            }
            tensors.append(NamedTensor(name: entry.name, shape: entry.shape, values: values))
        }
        guard reader.remaining == 0 else { throw NNError.trailingBytes(reader.remaining) }
        return tensors
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { out += $0 }
    }
}

/// A bounds-checked little-endian reader.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }

    mutating func bytes(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else { throw NNError.truncatedBlob(needed: offset + n, available: bytes.count) }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func integer<T: FixedWidthInteger>() throws -> T {
        let raw = try bytes(MemoryLayout<T>.size)
        var v: T = 0
        for (k, b) in raw.enumerated() { v |= T(b) << (8 * k) }
        return v
    }
}

extension SequenceModel {
    /// Every parameter tensor with its model-wide name ("layer0.kernel", …, "head.bias").
    public func namedTensors() -> [NamedTensor] {
        var out: [NamedTensor] = []
        for (l, layer) in layers.enumerated() {
            for t in layer.parameters.tensors {
                out.append(NamedTensor(name: "layer\(l).\(t.name)", shape: t.shape,
                                       values: layer.parameters.tensorValues(t.name).map { Float($0) }))
            }
        }
        for t in head.parameters.tensors {
            out.append(NamedTensor(name: "head.\(t.name)", shape: t.shape,
                                   values: head.parameters.tensorValues(t.name).map { Float($0) }))
        }
        return out
    }

    /// The parameters as a versioned blob (float32).
    public func parameterBlob() -> [UInt8] { ParameterBlob.encode(namedTensors()) }

    /// Replaces every parameter from a blob written by `parameterBlob()` for a model of the
    /// same configuration. Throws (and changes nothing) when the blob is malformed or does not match.
    public func loadParameters(from blob: [UInt8]) throws {
        try ParameterBlob.load(blob, expected: namedTensors(), into: parameterBuffers)
    }
}
