// The portable kernels: the platform's baseline vector unit (SSE2 on x86-64, NEON on arm64),
// 4 lanes, a 4 × 8 register tile.
#define ISA generic
#define VW 4
#define MR 4
#define NV 2
#define CHAINS 8
#include "kernel_body.h"
