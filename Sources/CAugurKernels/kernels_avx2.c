// AVX2 + FMA: 8 lanes, 16 ymm registers; a 6 × 16 tile (12 accumulators, 2 B vectors, 1 broadcast).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma,bmi2"))), apply_to = function)
#define ISA avx2
#define VW 8
#define MR 6
#define NV 2
#define CHAINS 10
#include "kernel_body.h"
#pragma clang attribute pop
#endif
