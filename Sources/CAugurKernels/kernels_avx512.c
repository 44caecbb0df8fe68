// AVX-512F/VL + FMA: 16 lanes, 32 zmm registers; a 12 × 32 tile (24 accumulators, 2 B vectors,
// the A element broadcast from memory inside the multiply-add).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma,bmi2"))), \
                             apply_to = function)
#define ISA avx512
#define VW 16
#ifndef AUGUR_AVX512_MR
#define AUGUR_AVX512_MR 12
#endif
#define MR AUGUR_AVX512_MR
#define NV 2
#define CHAINS 16
#include "kernel_body.h"
#pragma clang attribute pop
#endif
