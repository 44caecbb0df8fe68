// What the CPU can run, its name, and its clock.
#include "augur_kernels.h"
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <cpuid.h>

static unsigned long long xgetbv0(void) {
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

int augur_cpu_features(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    if (!osxsave || !avx) return 0;
    const unsigned long long xcr0 = xgetbv0();
    const int ymmState = (xcr0 & 0x6) == 0x6;     // SSE and AVX state
    const int zmmState = (xcr0 & 0xe6) == 0xe6;   // and opmask, ZMM_Hi256, Hi16_ZMM
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1;
    const int avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    int features = 0;
    if (ymmState && avx2 && fma) features |= AUGUR_CPU_AVX2;
    if ((features & AUGUR_CPU_AVX2) && zmmState && avx512f && avx512vl && avx512dq && avx512bw)
        features |= AUGUR_CPU_AVX512;
    return features;
}

void augur_cpu_brand(char *out) {
    unsigned regs[12];
    out[0] = 0;
    if (__get_cpuid_max(0x80000000, 0) < 0x80000004) return;
    for (unsigned leaf = 0; leaf < 3; leaf++)
        __get_cpuid(0x80000002 + leaf, &regs[4 * leaf], &regs[4 * leaf + 1], &regs[4 * leaf + 2], &regs[4 * leaf + 3]);
    memcpy(out, regs, 48);
    out[48] = 0;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

double augur_measure_clock_ghz(void) {
    // Ten dependent additions per iteration: ten cycles, whatever the width of the machine.
    double best = 0;
    for (int round = 0; round < 5; round++) {
        unsigned long long x = 0, n = 5000000;
        const double t0 = now();
        __asm__ volatile(
            "1:\n\t"
            "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
            "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
            "dec %1\n\tjnz 1b\n\t"
            : "+r"(x), "+r"(n));
        const double seconds = now() - t0;
        const double ghz = 50000000.0 / seconds * 1e-9;
        if (ghz > best) best = ghz;
    }
    return best;
}

#else

int augur_cpu_features(void) { return 0; }
void augur_cpu_brand(char *out) { out[0] = 0; }
double augur_measure_clock_ghz(void) { return 0; }

#endif
