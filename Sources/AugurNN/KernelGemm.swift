// The Float matrix product: Swift splits it over threads and slices long products along k; each
// piece runs on the register-tiled C kernel of the model's `Kernel` (AVX-512: 12 rows × 32
// columns of C in 24 zmm accumulators; AVX2: 6 × 16 in 12 ymm; generic: 4 × 8), see
// Sources/CAugurKernels/kernel_body.h.
//
// Why not BLAS: on this workload the products are small (B = 1…500 rows, K = I + H ≤ 257) and
// repeated L times per window; OpenBLAS sgemm measured 6–10 GFLOP/s at B = 1 and 50–75 at B ≥ 32,
// while these kernels keep 40–90 GFLOP/s across those sizes with no system dependency.

import CAugurKernels

/// Below this many multiply-adds a product runs on one thread (a dispatch costs a few µs).
private let parallelThreshold = 400_000

func kernelGemm(_ op: GemmOperation<Float>) {
    let work = op.m * op.n * op.k
    if op.threads > 1 && work >= parallelThreshold {
        let tile = op.kernel.table
        let tileColumns = Int(tile.lanes * tile.tile_vectors)
        if op.n >= 2 * tileColumns {
            // Split columns in whole register tiles: each thread owns whole column panels of C.
            Parallel.forEachChunk(count: op.n, chunks: op.threads, granularity: max(16, tileColumns)) { cols in
                var sub = op
                sub.n = cols.count
                sub.b = op.b + op.bIndex(0, cols.lowerBound)
                sub.c = op.c + cols.lowerBound
                if case .bias(let bias) = op.initial { sub.initial = .bias(bias + cols.lowerBound) }
                kernelGemmSerial(sub)
            }
        } else {
            Parallel.forEachChunk(count: op.m, chunks: op.threads, granularity: Int(tile.tile_rows)) { rows in
                var sub = op
                sub.m = rows.count
                sub.a = op.a + rows.lowerBound * op.aRowStride
                sub.c = op.c + rows.lowerBound * op.cRowStride
                kernelGemmSerial(sub)
            }
        }
    } else {
        kernelGemmSerial(op)
    }
}

/// Depth of one k block: long products (the weight gradients, k = L·B) run in slices of this
/// many rows so that the slice of B (kBlock × N) and of A stay in L2 while every tile reuses them.
private let kBlock = 128

/// Rows of C from which copying B's k-slices into panels pays: with fewer, each copied value is
/// read by too few row tiles (H = 32: m = K + 1 = 34, three tiles; measured 2.68M steps/s packed, 2.74–2.81M not).
private let packingRows = 64

func kernelGemmSerial(_ op: GemmOperation<Float>) {
    // Short products, and single rows (no reuse of B to pay for the copy), run directly.
    if op.k <= 2 * kBlock || op.m < 6 { kernelGemmBlock(op); return }
    // B with a row stride that is a multiple of 32 floats (G = 4H is often a power of two) maps a
    // 16-column panel's rows onto two L1 sets: each k-slice of it is copied into panels of 16
    // columns, each panel's rows contiguous, one sequential stream for the prefetcher. B that is
    // panel-packed already, or has another stride (Wᵀ in backward: K = I + H), is sliced in place.
    // Only worth it when enough row tiles reuse each copied slice (m ≥ packingRows).
    let pack = op.bPanelStride == 0 && op.bRowStride % 32 == 0 && op.m >= packingRows
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
        kernelGemmBlock(slice)
        p += slice.k
    }
}

/// One piece on the C kernel.
private func kernelGemmBlock(_ op: GemmOperation<Float>) {
    var bias: UnsafePointer<Float>? = nil
    var accumulate: Int32 = 0
    switch op.initial {
    case .accumulate: accumulate = 1
    case .overwrite: break
    case .bias(let b): bias = b
    }
    var args = augur_gemm(m: op.m, n: op.n, k: op.k, a: op.a, a_row_stride: op.aRowStride,
                          a_column_stride: op.aColumnStride, b: op.b, b_row_stride: op.bRowStride,
                          b_panel_stride: op.bPanelStride, c: op.c, c_row_stride: op.cRowStride, bias: bias,
                          accumulate: accumulate)
    op.kernel.table.gemm(&args)
}

