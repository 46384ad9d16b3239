/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the benchmark programs: each defines `uint32_t run(void)`, a
 * WASI-free entry point returning a checksum, exported under the name "run"
 * when built for wasm32 and called by bench/native_main.c natively. */
#ifndef WG_BENCH_H
#define WG_BENCH_H

#include <stddef.h>
#include <stdint.h>

#if defined(__wasm__)
#define BENCH_EXPORT __attribute__((export_name("run")))
#else
#define BENCH_EXPORT
#endif

uint32_t run(void);

/* xorshift32: the same pseudo-random stream on every engine. */
static inline uint32_t bench_rand(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

/* FNV-1a step, for checksums. */
static inline uint32_t bench_mix(uint32_t h, uint32_t v) {
  for (int i = 0; i < 4; i++) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= 16777619u;
  }
  return h;
}

#endif
