// Eight-lane float vectors for the kernels, and the one switch between
// their AVX2 + FMA and portable builds. Not part of the module's interface.
#ifndef NEXTTOKEN_CKERNELS_VECTOR_H
#define NEXTTOKEN_CKERNELS_VECTOR_H

#include <stddef.h>
#include <stdint.h>

// The vector helpers below are always inlined, so no vec8 ever crosses a
// real call and the ABI difference this warns of (with or without AVX)
// cannot arise.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float vec8 __attribute__((vector_size(32)));
typedef float vec8u __attribute__((vector_size(32), aligned(4)));
typedef int32_t ivec8 __attribute__((vector_size(32)));

#define NT_INLINE __attribute__((always_inline)) static inline

NT_INLINE vec8 splat(float v) { return (vec8){v, v, v, v, v, v, v, v}; }
NT_INLINE vec8 load8(const float *p) { return *(const vec8u *)p; }
NT_INLINE void store8(float *p, vec8 v) { *(vec8u *)p = v; }

NT_INLINE float sum8(vec8 v) {
  return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

NT_INLINE float max8(vec8 v) {
  float best = v[0];
  for (int i = 1; i < 8; i++) best = v[i] > best ? v[i] : best;
  return best;
}

/// e^x per lane, within about 2 ulp for x in [−87, 88]; inputs outside are clamped.
///
/// Cephes' method, as the Swift kernels use it: x = n·ln2 + r, e^r by a
/// degree-7 polynomial in Estrin's form, 2^n built in the exponent bits.
NT_INLINE vec8 exp8(vec8 x) {
  x = __builtin_elementwise_min(__builtin_elementwise_max(x, splat(-87.0f)), splat(88.0f));
  vec8 magic = splat(12582912.0f);  // 1.5·2²³: adding it rounds to an integer
  vec8 shifted = x * 1.44269504f + magic;
  vec8 n = shifted - magic;
  vec8 r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  vec8 r2 = r * r;
  vec8 r4 = r2 * r2;
  vec8 low = (r + 1.0f) + r2 * (r * 1.66666655e-1f + 5.00000012e-1f);
  vec8 high = (r * 8.3334519e-3f + 4.16657959e-2f) + r2 * (r * 1.98756915e-4f + 1.39819995e-3f);
  vec8 er = low + r4 * high;
  ivec8 exponent = (ivec8)shifted - (ivec8)magic;
  vec8 scale = (vec8)((exponent + 127) << 23);
  return er * scale;
}

/// e^x for one value by the same method, so tails round like the vector body.
NT_INLINE float exp1(float x) { return exp8(splat(x))[0]; }

#if defined(__x86_64__)
/// Whether this CPU runs the AVX2 + FMA builds; set before main runs, only read afterwards.
extern int nt_cpu_has_avx2_fma;

/// Defines the external function `name` running `name##_body`, built twice
/// (AVX2 + FMA, and portably as `name##_portable`, which tests call
/// directly) and picked per call by the CPU flag.
#define NT_MULTIVERSION(name, params, args) \
  void name##_portable params { name##_body args; } \
  __attribute__((target("avx2,fma"))) static void name##_avx2 params { name##_body args; } \
  void name params { \
    if (nt_cpu_has_avx2_fma) \
      name##_avx2 args; \
    else \
      name##_portable args; \
  }
#else
#define NT_MULTIVERSION(name, params, args) \
  void name##_portable params { name##_body args; } \
  void name params { name##_body args; }
#endif

#endif
