// The kernels, written once over a vector of VW floats and compiled once per instruction set:
// the including file defines ISA (the name suffix), VW (lanes), MR and NV (the main register tile:
// MR rows of C × NV vectors of columns) and CHAINS (independent FMA chains of the peak loop), and
// wraps this file in the target attribute of its instruction set. Vector arithmetic uses clang's
// ext_vector_type; with FMA available, `acc += a * b` compiles to one fused multiply-add.

#include "augur_kernels.h"
#include <stdlib.h>
#include <string.h>

#define AUGUR_CAT2(a, b) a##_##b
#define AUGUR_CAT(a, b) AUGUR_CAT2(a, b)
#define KN(name) AUGUR_CAT(name, ISA)
#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")

typedef float KN(vf) __attribute__((ext_vector_type(VW)));
#define vf KN(vf)

INLINE vf KN(splat)(float s) { return (vf)(s); }
INLINE vf KN(load)(const float *p) { vf v; __builtin_memcpy(&v, p, sizeof v); return v; }
INLINE void KN(store)(float *p, vf v) { __builtin_memcpy(p, &v, sizeof v); }
/// The first w < VW values (the others zero).
INLINE vf KN(load_part)(const float *p, long w) {
    float t[VW] = {0};
    memcpy(t, p, (size_t)w * sizeof(float));
    return KN(load)(t);
}
INLINE void KN(store_part)(float *p, vf v, long w) {
    float t[VW];
    KN(store)(t, v);
    memcpy(p, t, (size_t)w * sizeof(float));
}
#define splat KN(splat)
#define load KN(load)
#define store KN(store)
#define load_part KN(load_part)
#define store_part KN(store_part)

// MARK: - Matrix product

/// How a tile reads B: vector v of the tile starts at `b + v * vstep`, and each k step advances
/// `ldb`; C's columns of the tile are [j, j + nv·VW) of which the last vector holds `w` valid ones.
typedef struct KN(panel) {
    const float *b;
    long vstep, ldb;
} KN(panel);
#define panel KN(panel)

/// C[i..<i+mr, j..<j+nv·VW] ⊕= A[i..<i+mr, :] · B-panel, the accumulators in registers.
INLINE void KN(tile)(const augur_gemm *op, long i, long j, panel pb, const int mr, const int nv, long w) {
    vf acc[MR > 4 ? MR : 4][NV];
    const long ldc = op->c_row_stride;
    float *pc = op->c + i * ldc + j;
    UNROLL for (int r = 0; r < mr; r++)
        UNROLL for (int v = 0; v < nv; v++) {
            const int full = v < nv - 1 || w == VW;
            const long width = v < nv - 1 ? VW : w;
            if (op->accumulate)
                acc[r][v] = full ? load(pc + r * ldc + v * VW) : load_part(pc + r * ldc + v * VW, width);
            else if (op->bias)
                acc[r][v] = full ? load(op->bias + j + v * VW) : load_part(op->bias + j + v * VW, width);
            else
                acc[r][v] = splat(0);
        }
    const long rs = op->a_row_stride, cs = op->a_column_stride, k = op->k;
    const float *pa = op->a + i * rs;
    const float *b = pb.b;
    if (mr == 1) {
        // One row: four independent accumulator sets hide the FMA latency on long k.
        vf d[3][NV];
        UNROLL for (int u = 0; u < 3; u++)
            UNROLL for (int v = 0; v < nv; v++) d[u][v] = splat(0);
        long p = 0;
        for (; p + 4 <= k; p += 4) {
            UNROLL for (int v = 0; v < nv; v++) {
                acc[0][v] += splat(pa[0]) * load(b + v * pb.vstep);
                d[0][v] += splat(pa[cs]) * load(b + pb.ldb + v * pb.vstep);
                d[1][v] += splat(pa[2 * cs]) * load(b + 2 * pb.ldb + v * pb.vstep);
                d[2][v] += splat(pa[3 * cs]) * load(b + 3 * pb.ldb + v * pb.vstep);
            }
            pa += 4 * cs;
            b += 4 * pb.ldb;
        }
        for (; p < k; p++) {
            UNROLL for (int v = 0; v < nv; v++) acc[0][v] += splat(pa[0]) * load(b + v * pb.vstep);
            pa += cs;
            b += pb.ldb;
        }
        UNROLL for (int v = 0; v < nv; v++) acc[0][v] += (d[0][v] + d[1][v]) + d[2][v];
    } else {
        for (long p = 0; p < k; p++) {
            vf bv[NV];
            UNROLL for (int v = 0; v < nv; v++) bv[v] = load(b + v * pb.vstep);
            UNROLL for (int r = 0; r < mr; r++) {
                const vf a = splat(pa[r * rs]);
                UNROLL for (int v = 0; v < nv; v++) acc[r][v] += a * bv[v];
            }
            pa += cs;
            b += pb.ldb;
        }
    }
    UNROLL for (int r = 0; r < mr; r++)
        UNROLL for (int v = 0; v < nv; v++) {
            if (v < nv - 1 || w == VW) store(pc + r * ldc + v * VW, acc[r][v]);
            else store_part(pc + r * ldc + v * VW, acc[r][v], w);
        }
}

/// All rows of one column block: MR-row tiles, then 4-row tiles, then single rows. With m ≡ 2
/// (mod MR) one MR tile less leaves MR + 2 rows, which the 4-row tiles take without single rows
/// when MR + 2 is a multiple of 4.
#define AUGUR_COLUMN_BLOCK(name, nv)                                                   \
    INLINE void KN(name)(const augur_gemm *op, long j, panel pb, long w) {             \
        const long m = op->m;                                                          \
        long tiles = m / MR;                                                           \
        if (m % MR == 2 && tiles > 0 && (MR + 2) % 4 == 0) tiles -= 1;                 \
        long i = 0;                                                                    \
        for (long t = 0; t < tiles; t++, i += MR) KN(tile)(op, i, j, pb, MR, nv, w);   \
        for (; i + 4 <= m; i += 4) KN(tile)(op, i, j, pb, 4, nv, w);                   \
        for (; i < m; i++) KN(tile)(op, i, j, pb, 1, nv, w);                           \
    }
AUGUR_COLUMN_BLOCK(column_block_1, 1)
#if NV > 1
AUGUR_COLUMN_BLOCK(column_block_main, NV)
#endif

/// B's element (0, j) for a column offset j that is a multiple of VW.
INLINE const float *KN(b_at)(const augur_gemm *op, long j) {
    return op->b_panel_stride == 0 ? op->b + j : op->b + (j >> 4) * op->b_panel_stride + (j & 15);
}

/// The distance between consecutive vectors of a tile's B row.
INLINE long KN(vector_step)(const augur_gemm *op) {
    return (op->b_panel_stride != 0 && VW >= 16) ? op->b_panel_stride * (VW / 16) : VW;
}

static void KN(augur_gemm)(const augur_gemm *op) {
    const long n = op->n, k = op->k;
    long j = 0;
#if NV > 1
    for (; j + NV * VW <= n; j += NV * VW) {
        panel pb = {KN(b_at)(op, j), KN(vector_step)(op), op->b_row_stride};
        KN(column_block_main)(op, j, pb, VW);
    }
#endif
    for (; j + VW <= n; j += VW) {
        panel pb = {KN(b_at)(op, j), VW, op->b_row_stride};
        KN(column_block_1)(op, j, pb, VW);
    }
    if (j == n) return;
    const long w = n - j;
    if (op->b_panel_stride != 0) {
        // Panels are padded to 16 columns: full-width loads of the last panel are in bounds.
        panel pb = {KN(b_at)(op, j), VW, op->b_row_stride};
        KN(column_block_1)(op, j, pb, w);
        return;
    }
    if (op->a_column_stride == 1 && op->b_row_stride == 1 && w == 1) {
        // A matrix times a column vector (the dense head's forward with one output): dot products.
        for (long i = 0; i < op->m; i++) {
            const float *a = op->a + i * op->a_row_stride, *b = op->b + j;
            vf s = splat(0);
            long p = 0;
            for (; p + VW <= k; p += VW) s += load(a + p) * load(b + p);
            float total = op->accumulate ? op->c[i * op->c_row_stride + j] : op->bias ? op->bias[j] : 0;
            for (; p < k; p++) total += a[p] * b[p];
            float lanes[VW];
            store(lanes, s);
            float sum = 0;
            for (int l = 0; l < VW; l++) sum += lanes[l];
            op->c[i * op->c_row_stride + j] = total + sum;
        }
        return;
    }
    // The last w < VW columns: copied into a zero-padded k × VW panel so that every load is full.
    float stack[256 * VW];
    float *copy = k <= 256 ? stack : (float *)malloc((size_t)k * VW * sizeof(float));
    if (!copy) return;
    for (long p = 0; p < k; p++) {
        memset(copy + p * VW, 0, VW * sizeof(float));
        memcpy(copy + p * VW, op->b + p * op->b_row_stride + j, (size_t)w * sizeof(float));
    }
    panel pb = {copy, VW, VW};
    KN(column_block_1)(op, j, pb, w);
    if (copy != stack) free(copy);
}

// MARK: - Element-wise math

/// tanh ≈ p / q, Eigen's 13/6 rational minimax approximation (|error| ≲ 1e-7 over the clamp range,
/// beyond which tanh is ±1 to Float precision); q lies in [0.0049, 1].
INLINE void KN(tanh_rational)(vf v, vf *p, vf *q) {
    const vf limit = splat(7.90531110763549805f);
    const vf x = __builtin_elementwise_max(__builtin_elementwise_min(v, limit), -limit);
    const vf x2 = x * x;
    vf n = splat(-2.76076847742355e-16f) * x2 + splat(2.00018790482477e-13f);
    n = n * x2 + splat(-8.60467152213735e-11f);
    n = n * x2 + splat(5.12229709037114e-08f);
    n = n * x2 + splat(1.48572235717979e-05f);
    n = n * x2 + splat(6.37261928875436e-04f);
    n = n * x2 + splat(4.89352455891786e-03f);
    *p = n * x;
    vf d = splat(1.19825839466702e-06f) * x2 + splat(1.18534705686654e-04f);
    d = d * x2 + splat(2.26843463243900e-03f);
    d = d * x2 + splat(4.89352518554385e-03f);
    *q = d;
}

INLINE vf KN(fast_tanh)(vf v) {
    vf p, q;
    KN(tanh_rational)(v, &p, &q);
    return p / q;
}

/// σ(x) = ½ + ½ tanh(x / 2).
INLINE vf KN(fast_sigmoid)(vf x) {
    const vf half = splat(0.5f);
    return half + half * KN(fast_tanh)(half * x);
}

static void KN(augur_tanh)(const float *x, float *y, long count) {
    long j = 0;
    for (; j + VW <= count; j += VW) store(y + j, KN(fast_tanh)(load(x + j)));
    if (j < count) store_part(y + j, KN(fast_tanh)(load_part(x + j, count - j)), count - j);
}

static void KN(augur_sigmoid)(const float *x, float *y, long count) {
    long j = 0;
    for (; j + VW <= count; j += VW) store(y + j, KN(fast_sigmoid)(load(x + j)));
    if (j < count) store_part(y + j, KN(fast_sigmoid)(load_part(x + j, count - j)), count - j);
}

/// σ(a), σ(b), tanh(c), σ(d) with one division instead of four: with r = 1 / (q_a q_b q_c q_d),
/// 1/q_a = r q_b q_c q_d and so on (a few extra roundings, ~1e-7 relative).
INLINE void KN(gates)(vf *a, vf *b, vf *c, vf *d) {
    const vf half = splat(0.5f);
    vf pa, qa, pb, qb, pc, qc, pd, qd;
    KN(tanh_rational)(half * *a, &pa, &qa);
    KN(tanh_rational)(half * *b, &pb, &qb);
    KN(tanh_rational)(*c, &pc, &qc);
    KN(tanh_rational)(half * *d, &pd, &qd);
    const vf qab = qa * qb, qcd = qc * qd;
    const vf r = splat(1.0f) / (qab * qcd);
    const vf rab = r * qcd, rcd = r * qab;  // 1/(qa qb), 1/(qc qd)
    *a = half + half * (pa * (rab * qb));
    *b = half + half * (pb * (rab * qa));
    *c = pc * (rcd * qd);
    *d = half + half * (pd * (rcd * qc));
}

/// Loads and stores of `w` lanes: whole vectors when w is VW (a constant in the main loops, so the
/// partial path compiles away there), else the first w values.
INLINE vf KN(load_w)(const float *p, long w) { return w == VW ? load(p) : load_part(p, w); }
INLINE void KN(store_w)(float *p, vf v, long w) {
    if (w == VW) store(p, v); else store_part(p, v, w);
}
#define LD(p) KN(load_w)(p, w)
#define ST(p, v) KN(store_w)(p, v, w)

/// Columns [j, j + w) of one row of the LSTM forward step.
INLINE void KN(lstm_forward_group)(float *restrict g, const float *restrict c_prev, float *restrict c_out,
                                   float *restrict cell_output, float *restrict h, long H, long j, long w) {
    vf i = LD(g + j), f = LD(g + H + j), cand = LD(g + 2 * H + j), o = LD(g + 3 * H + j);
    KN(gates)(&i, &f, &cand, &o);
    ST(g + j, i); ST(g + H + j, f); ST(g + 2 * H + j, cand); ST(g + 3 * H + j, o);
    const vf c = f * LD(c_prev + j) + i * cand;
    const vf tc = KN(fast_tanh)(c);
    ST(c_out + j, c);
    ST(cell_output + j, tc);
    ST(h + j, o * tc);
}

/// One step of a standard LSTM cell: gates activated in place; c_t = f ⊙ c_{t−1} + i ⊙ g,
/// h_t = o ⊙ tanh(c_t). Any H: the last H mod VW columns use partial vectors.
static void KN(augur_lstm_forward)(const augur_lstm_step *s, long rows, long H) {
    // The buffers never overlap: restrict-qualified copies keep the pointers in registers.
    float *restrict gates = s->gates, *restrict c = s->c, *restrict cell_output = s->cell_output;
    float *restrict h = s->h;
    const float *restrict c_prev = s->c_prev;
    const long full = H / VW * VW;
    for (long r = 0; r < rows; r++) {
        float *g = gates + r * 4 * H;
        const long row = r * H;
        for (long j = 0; j < full; j += VW)
            KN(lstm_forward_group)(g, c_prev + row, c + row, cell_output + row, h + row, H, j, VW);
        if (full < H)
            KN(lstm_forward_group)(g, c_prev + row, c + row, cell_output + row, h + row, H, full, H - full);
    }
}

/// Columns [j, j + w) of one row of the LSTM backward step.
INLINE void KN(lstm_backward_group)(const float *restrict g, const float *restrict cell_output,
                                    const float *restrict c_prev, const float *restrict dh, float *restrict dc,
                                    float *restrict d, long H, long j, long w) {
    const vf one = splat(1.0f);
    const vf i = LD(g + j), f = LD(g + H + j), cand = LD(g + 2 * H + j), o = LD(g + 3 * H + j);
    const vf tc = LD(cell_output + j);
    const vf dhv = LD(dh + j);
    const vf dO = dhv * tc;  // h_t = o ⊙ tanh(c_t)
    const vf dC = LD(dc + j) + (dhv * o) * (one - tc * tc);
    ST(dc + j, dC * f);  // c_t = f ⊙ c_{t−1} + i ⊙ g
    const vf dI = dC * cand, dF = dC * LD(c_prev + j), dG = dC * i;
    // σ' = σ(1 − σ), tanh' = 1 − tanh²
    ST(d + j, dI * i * (one - i));
    ST(d + H + j, dF * f * (one - f));
    ST(d + 2 * H + j, dG * (one - cand * cand));
    ST(d + 3 * H + j, dO * o * (one - o));
}

/// The backward of `augur_lstm_forward` for one step: dh (rows, H) in; dc in (from step t+1) and
/// out (to step t−1); dpre (rows, 4H) out, the gradient of the gate pre-activations.
static void KN(augur_lstm_backward)(const augur_lstm_step *s, const float *dh, float *dc, float *dpre, long rows, long H) {
    const float *restrict gates = s->gates, *restrict cell_output = s->cell_output, *restrict c_prev = s->c_prev;
    const long full = H / VW * VW;
    for (long r = 0; r < rows; r++) {
        const float *g = gates + r * 4 * H;
        float *d = dpre + r * 4 * H;
        const long row = r * H;
        for (long j = 0; j < full; j += VW)
            KN(lstm_backward_group)(g, cell_output + row, c_prev + row, dh + row, dc + row, d, H, j, VW);
        if (full < H)
            KN(lstm_backward_group)(g, cell_output + row, c_prev + row, dh + row, dc + row, d, H, full, H - full);
    }
}
#undef LD
#undef ST

// MARK: - Adam

/// One Adam step over `count` parameters, in the order and roundings of AugurNN's generic loop
/// (no fused multiply-adds), so every instruction set gives the generic loop's bits.
static void KN(augur_adam)(float *p, const float *g, float *m, float *v, long count, const augur_adam_step *s) {
#pragma clang fp contract(off)
    const vf b1 = splat(s->beta1), b2 = splat(s->beta2), ob1 = splat(1 - s->beta1), ob2 = splat(1 - s->beta2);
    const vf eps = splat(s->epsilon), rate = splat(s->corrected_rate), c2 = splat(s->second_correction);
    const vf keep = splat(s->keep);
    long k = 0;
    for (; k + VW <= count; k += VW) {
        const vf gk = load(g + k);
        const vf mk = b1 * load(m + k) + ob1 * gk;
        const vf vk = b2 * load(v + k) + ob2 * gk * gk;
        store(m + k, mk);
        store(v + k, vk);
        store(p + k, load(p + k) * keep - rate * mk / (__builtin_elementwise_sqrt(vk) * c2 + eps));
    }
    for (; k < count; k++) {
        m[k] = s->beta1 * m[k] + (1 - s->beta1) * g[k];
        v[k] = s->beta2 * v[k] + (1 - s->beta2) * g[k] * g[k];
        p[k] = p[k] * s->keep - s->corrected_rate * m[k] / (__builtin_sqrtf(v[k]) * s->second_correction + s->epsilon);
    }
}

// MARK: - Peak

#if defined(__x86_64__)
#define VECTOR_REGISTER(x) "v"(x)
#else
#define VECTOR_REGISTER(x) "w"(x)
#endif

/// CHAINS independent multiply-add chains of VW lanes, `iterations` times: the FMA throughput of
/// one core with this instruction set. Returns the floating-point operations executed.
static double KN(augur_fma_peak)(long iterations) {
    vf acc[CHAINS];
    UNROLL for (int c = 0; c < CHAINS; c++) acc[c] = splat(1.0f + (float)c * 1e-3f);
    const vf x = splat(0.999999f), y = splat(1e-6f);
    for (long t = 0; t < iterations; t++) {
        UNROLL for (int c = 0; c < CHAINS; c++) {
            acc[c] = acc[c] * x + y;
            __asm__ volatile("" : "+" VECTOR_REGISTER(acc[c]));  // one real multiply-add per chain and step
        }
    }
    vf total = splat(0);
    for (int c = 0; c < CHAINS; c++) total += acc[c];
    float lanes[VW];
    store(lanes, total);
    volatile float sink = lanes[0];
    (void)sink;
    return (double)iterations * CHAINS * VW * 2;
}

// MARK: - The table

const augur_kernel_table KN(augur_kernels) = {
    .lanes = VW, .tile_rows = MR, .tile_vectors = NV,
    .gemm = KN(augur_gemm), .lstm_forward = KN(augur_lstm_forward), .lstm_backward = KN(augur_lstm_backward),
    .tanh = KN(augur_tanh), .sigmoid = KN(augur_sigmoid), .adam = KN(augur_adam), .fma_peak = KN(augur_fma_peak),
};

#undef vf
#undef splat
#undef load
#undef store
#undef load_part
#undef store_part
#undef panel
