// Weight initialisers as Keras defines them: Glorot-uniform input kernels, orthogonal recurrent
// kernels, zero biases (LSTM forget-gate bias 1, set by the layer). Computed in Double, stored
// as Scalar, so Float and Double models built from one seed hold the same numbers.

enum Initialisation {
    /// U(−a, a) with a = sqrt(6 / (fanIn + fanOut)), row-major (fanIn, fanOut).
    static func glorotUniform(fanIn: Int, fanOut: Int, generator: inout SeededGenerator) -> [Double] {
        let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
        return (0..<(fanIn * fanOut)).map { _ in generator.nextUniform(-limit, limit) }
    }

    /// A (rows, columns) matrix with orthonormal rows (rows ≤ columns) or orthonormal columns
    /// (rows > columns), from modified Gram–Schmidt on Gaussian vectors.
    static func orthogonal(rows: Int, columns: Int, generator: inout SeededGenerator) -> [Double] {
        let vectorCount = min(rows, columns), length = max(rows, columns)
        var vectors: [[Double]] = []
        while vectors.count < vectorCount {
            var v = (0..<length).map { _ in generator.nextNormal() }
            for u in vectors {
                let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
                for j in 0..<length { v[j] -= dot * u[j] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm < 1e-6 { continue }  // degenerate draw: try again
            vectors.append(v.map { $0 / norm })
        }
        var m = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                m[r * columns + c] = rows <= columns ? vectors[r][c] : vectors[c][r]
            }
        }
        return m
    }
}
