// The Float matrix product: a register-blocked SIMD kernel (6 rows × 16 columns of C held in
// twelve 8-lane accumulators, one fused multiply-add per A element and B vector), written for
// AVX2/FMA (-target-cpu haswell) but portable Swift SIMD. Edges fall back to 1×16, 1×8 and
// scalar loops. Large products split their columns (or rows) over threads.
//
// Why not BLAS: on this workload the products are small (B = 1…500 rows, K = I + H ≤ 257) and
// repeated L times per window; OpenBLAS sgemm measured 6–10 GFLOP/s at B = 1 and 50–75 at B ≥ 32,
// while this kernel keeps 40–90 GFLOP/s across those sizes with no system dependency.

@inline(__always) private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always) private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Below this many multiply-adds a product runs on one thread (a dispatch costs a few µs).
private let parallelThreshold = 400_000

func simdGemm(_ op: GemmOperation<Float>) {
    let work = op.m * op.n * op.k
    if op.threads > 1 && work >= parallelThreshold {
        if op.n >= 32 {
            // Split columns in blocks of 16: each thread owns whole 16-wide column panels of C.
            Parallel.forEachChunk(count: op.n, chunks: op.threads, granularity: 16) { cols in
                var sub = op
                sub.n = cols.count
                sub.b = op.b + op.bIndex(0, cols.lowerBound)
                sub.c = op.c + cols.lowerBound
                if case .bias(let bias) = op.initial { sub.initial = .bias(bias + cols.lowerBound) }
                simdGemmSerial(sub)
            }
        } else {
            Parallel.forEachChunk(count: op.m, chunks: op.threads, granularity: 6) { rows in
                var sub = op
                sub.m = rows.count
                sub.a = op.a + rows.lowerBound * op.aRowStride
                sub.c = op.c + rows.lowerBound * op.cRowStride
                simdGemmSerial(sub)
            }
        }
    } else {
        simdGemmSerial(op)
    }
}

/// Depth of one k block: long products (the weight gradients, k = L·B) run in slices of this
/// many rows so that the slice of B (kBlock × N) and of A stay in L2 while every tile reuses them.
private let kBlock = 128

func simdGemmSerial(_ op: GemmOperation<Float>) {
    // Short products, and single rows (no reuse of B to pay for the copy), run directly.
    if op.k <= 2 * kBlock || op.m < 6 { simdGemmBlock(op); return }
    // B with a row stride that is a multiple of 32 floats (G = 4H is often a power of two) maps a
    // 16-column panel's rows onto two L1 sets: each k-slice of it is copied into panels of 16
    // columns, each panel's rows contiguous, one sequential stream for the prefetcher. B that is
    // panel-packed already, or has another stride (Wᵀ in backward: K = I + H), is sliced in place.
    let pack = op.bPanelStride == 0 && op.bRowStride % 32 == 0
    let packed = pack ? UnsafeMutablePointer<Float>.allocate(capacity: (op.n + 15) / 16 * kBlock * 16) : nil
    defer { packed?.deallocate() }
    var p = 0
    while p < op.k {
        var slice = op
        slice.k = min(kBlock, op.k - p)
        slice.a = op.a + p * op.aColumnStride
        slice.b = op.b + p * op.bRowStride
        if let packed {
            packPanels(slice.b, rows: slice.k, columns: op.n, rowStride: op.bRowStride, columnStride: 1, into: packed)
            slice.b = UnsafePointer(packed)
            slice.bRowStride = 16
            slice.bPanelStride = slice.k * 16
        }
        if p > 0 { slice.initial = .accumulate }
        simdGemmBlock(slice)
        p += slice.k
    }
}

private func simdGemmBlock(_ op: GemmOperation<Float>) {
    let m = op.m, n = op.n
    var j = 0
    while j + 16 <= n {
        // Rows in 6-row tiles, then 4-row tiles; m ≡ 2 (mod 6) trades one 6-tile for two 4-tiles
        // (32 rows = 4·6 + 2·4 rather than 5·6 + 2 single rows).
        var sixes = m / 6
        if m % 6 == 2 && sixes > 0 { sixes -= 1 }
        var i = 0
        for _ in 0..<sixes { kernel6x16(op, i, j); i += 6 }
        while i + 4 <= m { kernel4x16(op, i, j); i += 4 }
        while i < m { kernel1x16(op, i, j); i += 1 }
        j += 16
    }
    while j + 8 <= n {
        for i in 0..<m { kernel1x8(op, i, j) }
        j += 8
    }
    if j < n {
        for i in 0..<m {
            for jj in j..<n { kernelScalar(op, i, jj) }
        }
    }
}

@inline(__always) private func initialRow(_ op: GemmOperation<Float>, _ i: Int, _ j: Int) -> (SIMD8<Float>, SIMD8<Float>) {
    switch op.initial {
    case .accumulate:
        let p = op.c + i * op.cRowStride + j
        return (load8(p), load8(p + 8))
    case .overwrite: return (.zero, .zero)
    case .bias(let bias): return (load8(bias + j), load8(bias + j + 8))
    }
}

private func kernel6x16(_ op: GemmOperation<Float>, _ i: Int, _ j: Int) {
    var (c00, c01) = initialRow(op, i, j)
    var (c10, c11) = initialRow(op, i + 1, j)
    var (c20, c21) = initialRow(op, i + 2, j)
    var (c30, c31) = initialRow(op, i + 3, j)
    var (c40, c41) = initialRow(op, i + 4, j)
    var (c50, c51) = initialRow(op, i + 5, j)
    let rs = op.aRowStride, cs = op.aColumnStride, ldb = op.bRowStride
    var pa = op.a + i * rs
    var pb = op.b + op.bIndex(0, j)
    for _ in 0..<op.k {
        let b0 = load8(pb), b1 = load8(pb + 8)
        let a0 = SIMD8<Float>(repeating: pa[0])
        c00 = c00.addingProduct(a0, b0); c01 = c01.addingProduct(a0, b1)
        let a1 = SIMD8<Float>(repeating: pa[rs])
        c10 = c10.addingProduct(a1, b0); c11 = c11.addingProduct(a1, b1)
        let a2 = SIMD8<Float>(repeating: pa[2 * rs])
        c20 = c20.addingProduct(a2, b0); c21 = c21.addingProduct(a2, b1)
        let a3 = SIMD8<Float>(repeating: pa[3 * rs])
        c30 = c30.addingProduct(a3, b0); c31 = c31.addingProduct(a3, b1)
        let a4 = SIMD8<Float>(repeating: pa[4 * rs])
        c40 = c40.addingProduct(a4, b0); c41 = c41.addingProduct(a4, b1)
        let a5 = SIMD8<Float>(repeating: pa[5 * rs])
        c50 = c50.addingProduct(a5, b0); c51 = c51.addingProduct(a5, b1)
        pa += cs
        pb += ldb
    }
    let ldc = op.cRowStride
    let pc = op.c + i * ldc + j
    store8(c00, pc); store8(c01, pc + 8)
    store8(c10, pc + ldc); store8(c11, pc + ldc + 8)
    store8(c20, pc + 2 * ldc); store8(c21, pc + 2 * ldc + 8)
    store8(c30, pc + 3 * ldc); store8(c31, pc + 3 * ldc + 8)
    store8(c40, pc + 4 * ldc); store8(c41, pc + 4 * ldc + 8)
    store8(c50, pc + 5 * ldc); store8(c51, pc + 5 * ldc + 8)
}

private func kernel4x16(_ op: GemmOperation<Float>, _ i: Int, _ j: Int) {
    var (c00, c01) = initialRow(op, i, j)
    var (c10, c11) = initialRow(op, i + 1, j)
    var (c20, c21) = initialRow(op, i + 2, j)
    var (c30, c31) = initialRow(op, i + 3, j)
    let rs = op.aRowStride, cs = op.aColumnStride, ldb = op.bRowStride
    var pa = op.a + i * rs
    var pb = op.b + op.bIndex(0, j)
    for _ in 0..<op.k {
        let b0 = load8(pb), b1 = load8(pb + 8)
        let a0 = SIMD8<Float>(repeating: pa[0])
        c00 = c00.addingProduct(a0, b0); c01 = c01.addingProduct(a0, b1)
        let a1 = SIMD8<Float>(repeating: pa[rs])
        c10 = c10.addingProduct(a1, b0); c11 = c11.addingProduct(a1, b1)
        let a2 = SIMD8<Float>(repeating: pa[2 * rs])
        c20 = c20.addingProduct(a2, b0); c21 = c21.addingProduct(a2, b1)
        let a3 = SIMD8<Float>(repeating: pa[3 * rs])
        c30 = c30.addingProduct(a3, b0); c31 = c31.addingProduct(a3, b1)
        pa += cs
        pb += ldb
    }
    let ldc = op.cRowStride
    let pc = op.c + i * ldc + j
    store8(c00, pc); store8(c01, pc + 8)
    store8(c10, pc + ldc); store8(c11, pc + ldc + 8)
    store8(c20, pc + 2 * ldc); store8(c21, pc + 2 * ldc + 8)
    store8(c30, pc + 3 * ldc); store8(c31, pc + 3 * ldc + 8)
}

private func kernel1x16(_ op: GemmOperation<Float>, _ i: Int, _ j: Int) {
    var (c0, c1) = initialRow(op, i, j)
    // Four independent accumulator pairs hide the FMA latency on long k (db, the dense head).
    var d0 = SIMD8<Float>.zero, d1 = SIMD8<Float>.zero, e0 = d0, e1 = d0, f0 = d0, f1 = d0
    let cs = op.aColumnStride, ldb = op.bRowStride
    var pa = op.a + i * op.aRowStride
    var pb = op.b + op.bIndex(0, j)
    var p = 0
    while p + 4 <= op.k {
        let a0 = SIMD8<Float>(repeating: pa[0]), a1 = SIMD8<Float>(repeating: pa[cs])
        let a2 = SIMD8<Float>(repeating: pa[2 * cs]), a3 = SIMD8<Float>(repeating: pa[3 * cs])
        c0 = c0.addingProduct(a0, load8(pb)); c1 = c1.addingProduct(a0, load8(pb + 8))
        d0 = d0.addingProduct(a1, load8(pb + ldb)); d1 = d1.addingProduct(a1, load8(pb + ldb + 8))
        e0 = e0.addingProduct(a2, load8(pb + 2 * ldb)); e1 = e1.addingProduct(a2, load8(pb + 2 * ldb + 8))
        f0 = f0.addingProduct(a3, load8(pb + 3 * ldb)); f1 = f1.addingProduct(a3, load8(pb + 3 * ldb + 8))
        pa += 4 * cs; pb += 4 * ldb; p += 4
    }
    while p < op.k {
        let a0 = SIMD8<Float>(repeating: pa[0])
        c0 = c0.addingProduct(a0, load8(pb)); c1 = c1.addingProduct(a0, load8(pb + 8))
        pa += cs; pb += ldb; p += 1
    }
    let pc = op.c + i * op.cRowStride + j
    store8((c0 + d0) + (e0 + f0), pc); store8((c1 + d1) + (e1 + f1), pc + 8)
}

private func kernel1x8(_ op: GemmOperation<Float>, _ i: Int, _ j: Int) {
    var c0: SIMD8<Float>
    switch op.initial {
    case .accumulate: c0 = load8(op.c + i * op.cRowStride + j)
    case .overwrite: c0 = .zero
    case .bias(let bias): c0 = load8(bias + j)
    }
    let cs = op.aColumnStride, ldb = op.bRowStride
    var pa = op.a + i * op.aRowStride
    var pb = op.b + op.bIndex(0, j)
    for _ in 0..<op.k {
        c0 = c0.addingProduct(SIMD8<Float>(repeating: pa[0]), load8(pb))
        pa += cs; pb += ldb
    }
    store8(c0, op.c + i * op.cRowStride + j)
}

private func kernelScalar(_ op: GemmOperation<Float>, _ i: Int, _ j: Int) {
    var s: Float
    switch op.initial {
    case .accumulate: s = op.c[i * op.cRowStride + j]
    case .overwrite: s = 0
    case .bias(let bias): s = bias[j]
    }
    // Eight partial sums: long k (the dense head's dW, k = L·B) vectorises this way.
    var partial = SIMD8<Float>.zero
    let cs = op.aColumnStride, ldb = op.bRowStride
    let pa = op.a + i * op.aRowStride, pb = op.b + op.bIndex(0, j)
    var p = 0
    if cs == 1 && ldb == 1 {  // both contiguous (a row times a column vector): plain SIMD dot product
        while p + 8 <= op.k {
            partial = partial.addingProduct(load8(pa + p), load8(pb + p))
            p += 8
        }
    }
    while p + 8 <= op.k {
        var av = SIMD8<Float>.zero, bv = SIMD8<Float>.zero
        for l in 0..<8 { av[l] = pa[(p + l) * cs]; bv[l] = pb[(p + l) * ldb] }
        partial = partial.addingProduct(av, bv)
        p += 8
    }
    while p < op.k { s += pa[p * cs] * pb[p * ldb]; p += 1 }
    op.c[i * op.cRowStride + j] = s + partial.sum()
}
