// Float kernels of the neural networks, one set per instruction set, chosen at run time.
//
// Swift compiles a function for one target CPU only, so the kernels that decide training speed
// live here, in C: the same source (kernel_body.h) is compiled once per instruction set with
// clang's target attribute, and AugurNN picks one set at start-up from what cpuid reports.
//   avx512   AVX-512F/VL + FMA, 16 lanes, 32 vector registers (x86-64 only)
//   avx2     AVX2 + FMA, 8 lanes, 16 vector registers (x86-64 only)
//   generic  the compiler's baseline for the platform (SSE2 on x86-64, NEON on arm64)
// Every set computes the same functions; results differ only by Float rounding.

#ifndef AUGUR_KERNELS_H
#define AUGUR_KERNELS_H

#include <stdint.h>

// Every pointer here is non-null unless marked _Nullable (Swift imports them so).
#pragma clang assume_nonnull begin

/// C (m×n, row stride c_row_stride) ← initial ⊕ A (m×k) · B (k×n); see AugurNN's GemmOperation.
/// A's element (i, p) is at a[i·a_row_stride + p·a_column_stride]. B's element (p, j) is at
/// b[p·b_row_stride + j] when b_panel_stride is 0, else at
/// b[(j / 16)·b_panel_stride + p·b_row_stride + j % 16] (panels of 16 columns, padded).
typedef struct augur_gemm {
    long m, n, k;
    const float *a;
    long a_row_stride, a_column_stride;
    const float *b;
    long b_row_stride, b_panel_stride;
    float *c;
    long c_row_stride;
    /// C = bias + A·B when not null (bias: a row of n values); otherwise see `accumulate`.
    const float *_Nullable bias;
    /// 1: C += A·B; 0: C = A·B.
    int accumulate;
} augur_gemm;

/// One LSTM step's element-wise math over `rows` rows (hidden a multiple of 8); gates (rows, 4H)
/// [i f g o] are activated in place, c, cell_output (tanh c) and h (rows, H) written.
typedef struct augur_lstm_step {
    float *gates;
    const float *c_prev;
    float *c;
    float *cell_output;
    float *h;
} augur_lstm_step;

/// The scalars of one Adam step (see AugurNN's AdamStep).
typedef struct augur_adam_step {
    float beta1, beta2, epsilon, corrected_rate, second_correction, keep;
} augur_adam_step;

/// One instruction set's kernels and the shape of its register tile, the only way into them.
typedef struct augur_kernel_table {
    /// Float lanes per vector; the main tile is `tile_rows` rows of C × `tile_vectors` vectors.
    int lanes, tile_rows, tile_vectors;
    void (*gemm)(const augur_gemm *op);
    void (*lstm_forward)(const augur_lstm_step *p, long rows, long hidden);
    void (*lstm_backward)(const augur_lstm_step *p, const float *dh, float *dc,
                                   float *dpre, long rows, long hidden);
    void (*tanh)(const float *x, float *y, long count);
    void (*sigmoid)(const float *x, float *y, long count);
    void (*adam)(float *p, const float *g, float *m, float *v, long count,
                          const augur_adam_step *s);
    /// Floating-point operations executed by `iterations` rounds of independent multiply-adds.
    double (*fma_peak)(long iterations);
} augur_kernel_table;

extern const augur_kernel_table augur_kernels_generic;
#if defined(__x86_64__)
extern const augur_kernel_table augur_kernels_avx2;
extern const augur_kernel_table augur_kernels_avx512;
#endif

/// Instruction sets this CPU and operating system can run (cpuid, and xgetbv for the register
/// state the OS saves): bit 0 AVX2+FMA, bit 1 AVX-512F+VL. Always 0 on other architectures.
#define AUGUR_CPU_AVX2 1
#define AUGUR_CPU_AVX512 2
int augur_cpu_features(void);

/// The CPU's brand string from cpuid ("" when unavailable); `out` holds at least 49 bytes.
void augur_cpu_brand(char *out);

/// The core clock in GHz measured by a chain of dependent integer additions (one per cycle);
/// 0 when not measurable on this architecture.
double augur_measure_clock_ghz(void);

#pragma clang assume_nonnull end

#endif
