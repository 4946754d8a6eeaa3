// FP32 peak of this CPU: independent fused multiply-adds on the widest vectors the compiler targets, one chain set
// per thread. gcc -O3 -march=native -fopenmp fma_peak.c -o fma_peak && ./fma_peak [threads]
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define CHAINS 16
#define WIDTH 16 /* floats per chain: one AVX-512 register, or two AVX2 ones */

static double run(int threads, long iterations, float *checksum) {
    float sink = 0;
    double start = omp_get_wtime();
#pragma omp parallel num_threads(threads) reduction(+ : sink)
    {
        float acc[CHAINS][WIDTH];
        float a[WIDTH], b[WIDTH];
        for (int i = 0; i < WIDTH; i++) {
            a[i] = 0.999999f + i * 1e-9f;
            b[i] = 1e-7f;
            for (int c = 0; c < CHAINS; c++) acc[c][i] = c;
        }
        for (long it = 0; it < iterations; it++) {
            for (int c = 0; c < CHAINS; c++) {
#pragma omp simd
                for (int i = 0; i < WIDTH; i++) acc[c][i] = acc[c][i] * a[i] + b[i];
            }
        }
        for (int c = 0; c < CHAINS; c++)
            for (int i = 0; i < WIDTH; i++) sink += acc[c][i];
    }
    double seconds = omp_get_wtime() - start;
    *checksum += sink;
    return 2.0 * CHAINS * WIDTH * (double) iterations * threads / seconds / 1e9;
}

/* The best of seven runs: the peak is what the cores can do, not what a busy moment allowed. */
int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : omp_get_max_threads();
    float checksum = 0;
    double best = 0;
    for (int r = 0; r < 7; r++) {
        double gflops = run(threads, 400000000L / WIDTH, &checksum);
        if (gflops > best) best = gflops;
    }
    printf("fma peak: %d threads, %.1f GFLOP/s (best of 7; checksum %g)\n", threads, best, checksum);
    return 0;
}
