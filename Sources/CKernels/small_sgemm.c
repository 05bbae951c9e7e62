// Tiny row-major matrix products, compiled twice: once for AVX2 + FMA, once
// portable. Swift cannot compile one function for a newer CPU and pick it at
// run time; C can. Only kernels live in this module: the layers stay in Swift.
#include "CKernels.h"
#include "vector.h"

enum { MR = 6, NR = 16 };

/// Writes row r of a block: c = alpha · acc + beta · c, or just alpha · acc when beta = 0 (c is not read then,
/// so whatever it held, even NaN, does not leak in).
NT_INLINE void
store(const vec8 *low, const vec8 *high, float alpha, float beta, float *row, int nr) {
  if (nr == NR) {
    vec8u *out = (vec8u *)row;
    if (beta == 0) {
      out[0] = alpha * *low;
      out[1] = alpha * *high;
    } else {
      out[0] = alpha * *low + beta * out[0];
      out[1] = alpha * *high + beta * out[1];
    }
  } else {
    float values[NR];
    *(vec8u *)values = *low;
    *(vec8u *)(values + 8) = *high;
    for (int j = 0; j < nr; j++) row[j] = beta == 0 ? alpha * values[j] : alpha * values[j] + beta * row[j];
  }
}

/// A block of mr ≤ 6 rows of c from terms first..<last: c = alpha · Σ_p a(r, p) · panel[p] + beta · c.
///
/// Twelve named accumulators stay in registers (an array indexed in a loop
/// was kept in memory by the compiler and ran at a third of the speed). All
/// rows run in one pass over the terms, so their multiply-add chains overlap;
/// rows past mr (the last block of a product) repeat row 0's reads and are
/// not stored.
NT_INLINE void
block(int mr, int first, int last, const float *a, ptrdiff_t rowStep, ptrdiff_t kStep, const float *panel,
      float alpha, float beta, float *c, ptrdiff_t ldc, int nr) {
  ptrdiff_t s1 = mr > 1 ? rowStep : 0, s2 = mr > 2 ? 2 * rowStep : 0, s3 = mr > 3 ? 3 * rowStep : 0;
  ptrdiff_t s4 = mr > 4 ? 4 * rowStep : 0, s5 = mr > 5 ? 5 * rowStep : 0;
  vec8 c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
  vec8 c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
  for (int p = first; p < last; p++) {
    vec8 b0 = *(const vec8 *)(panel + p * NR);
    vec8 b1 = *(const vec8 *)(panel + p * NR + 8);
    const float *ap = a + p * kStep;
    vec8 x;
#define NT_TERM(offset, low, high) \
    x = splat(ap[offset]);         \
    low += x * b0;                 \
    high += x * b1;
    NT_TERM(0, c00, c01)
    NT_TERM(s1, c10, c11)
    NT_TERM(s2, c20, c21)
    NT_TERM(s3, c30, c31)
    NT_TERM(s4, c40, c41)
    NT_TERM(s5, c50, c51)
#undef NT_TERM
  }
  store(&c00, &c01, alpha, beta, c, nr);
  if (mr > 1) store(&c10, &c11, alpha, beta, c + ldc, nr);
  if (mr > 2) store(&c20, &c21, alpha, beta, c + 2 * ldc, nr);
  if (mr > 3) store(&c30, &c31, alpha, beta, c + 3 * ldc, nr);
  if (mr > 4) store(&c40, &c41, alpha, beta, c + 4 * ldc, nr);
  if (mr > 5) store(&c50, &c51, alpha, beta, c + 5 * ldc, nr);
}

/// o[q][i] = r[i][q]: an 8×8 transpose in three rounds of shuffles (unpack, pair, swap halves).
NT_INLINE void transpose8(const vec8 *r, vec8 *o) {
  vec8 t0 = __builtin_shufflevector(r[0], r[1], 0, 8, 1, 9, 4, 12, 5, 13);
  vec8 t1 = __builtin_shufflevector(r[0], r[1], 2, 10, 3, 11, 6, 14, 7, 15);
  vec8 t2 = __builtin_shufflevector(r[2], r[3], 0, 8, 1, 9, 4, 12, 5, 13);
  vec8 t3 = __builtin_shufflevector(r[2], r[3], 2, 10, 3, 11, 6, 14, 7, 15);
  vec8 t4 = __builtin_shufflevector(r[4], r[5], 0, 8, 1, 9, 4, 12, 5, 13);
  vec8 t5 = __builtin_shufflevector(r[4], r[5], 2, 10, 3, 11, 6, 14, 7, 15);
  vec8 t6 = __builtin_shufflevector(r[6], r[7], 0, 8, 1, 9, 4, 12, 5, 13);
  vec8 t7 = __builtin_shufflevector(r[6], r[7], 2, 10, 3, 11, 6, 14, 7, 15);
  vec8 u0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
  vec8 u1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
  vec8 u2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
  vec8 u3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
  vec8 u4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
  vec8 u5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
  vec8 u6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
  vec8 u7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
  o[0] = __builtin_shufflevector(u0, u4, 0, 1, 2, 3, 8, 9, 10, 11);
  o[1] = __builtin_shufflevector(u1, u5, 0, 1, 2, 3, 8, 9, 10, 11);
  o[2] = __builtin_shufflevector(u2, u6, 0, 1, 2, 3, 8, 9, 10, 11);
  o[3] = __builtin_shufflevector(u3, u7, 0, 1, 2, 3, 8, 9, 10, 11);
  o[4] = __builtin_shufflevector(u0, u4, 4, 5, 6, 7, 12, 13, 14, 15);
  o[5] = __builtin_shufflevector(u1, u5, 4, 5, 6, 7, 12, 13, 14, 15);
  o[6] = __builtin_shufflevector(u2, u6, 4, 5, 6, 7, 12, 13, 14, 15);
  o[7] = __builtin_shufflevector(u3, u7, 4, 5, 6, 7, 12, 13, 14, 15);
}

/// Copies columns j0..<j0+nr of op(b) into a k×16 panel, zero beyond nr.
NT_INLINE void
pack(int transB, int k, int j0, int nr, const float *b, int ldb, float *panel) {
  if (!transB) {
    for (int p = 0; p < k; p++) {
      const float *row = b + (ptrdiff_t)p * ldb + j0;
      vec8 *out = (vec8 *)(panel + p * NR);
      if (nr == NR) {
        out[0] = *(const vec8u *)row;
        out[1] = *(const vec8u *)(row + 8);
      } else {
        for (int j = 0; j < NR; j++) panel[p * NR + j] = j < nr ? row[j] : 0;
      }
    }
  } else {
    // op(b)[p][j] = b[j][p]: eight rows of b, eight terms at a time, transposed in registers.
    int p = 0;
    for (; p + 8 <= k; p += 8) {
      for (int g = 0; g < NR; g += 8) {
        vec8 r[8];
        for (int i = 0; i < 8; i++)
          r[i] = g + i < nr ? *(const vec8u *)(b + (ptrdiff_t)(j0 + g + i) * ldb + p) : (vec8){0};
        vec8 o[8];
        transpose8(r, o);
        for (int q = 0; q < 8; q++) *(vec8 *)(panel + (p + q) * NR + g) = o[q];
      }
    }
    for (; p < k; p++)
      for (int j = 0; j < NR; j++) panel[p * NR + j] = j < nr ? b[(ptrdiff_t)(j0 + j) * ldb + p] : 0;
  }
}

/// Runs the row block at i0 (mr ≤ 6 rows) over the terms its triangle needs.
NT_INLINE void
rows(int mr, int i0, int k, nt_triangle triangle, const float *a, ptrdiff_t rowStep, ptrdiff_t kStep,
     const float *panel, float alpha, float beta, float *c, ptrdiff_t ldc, int nr) {
  int first = 0, last = k;
  if (triangle == NT_TRIANGLE_LOWER_A && i0 + mr < k) last = i0 + mr;
  if (triangle == NT_TRIANGLE_UPPER_A) first = i0 < k ? i0 : k;
  const float *rowsOfA = a + i0 * rowStep;
  float *rowsOfC = c + (ptrdiff_t)i0 * ldc;
  if (mr < MR)
    block(mr, first, last, rowsOfA, rowStep, kStep, panel, alpha, beta, rowsOfC, ldc, nr);
  else if (kStep == 1)
    block(MR, first, last, rowsOfA, rowStep, 1, panel, alpha, beta, rowsOfC, ldc, nr);
  else
    block(MR, first, last, rowsOfA, 1, kStep, panel, alpha, beta, rowsOfC, ldc, nr);
}

/// The whole product: each 16-column panel of op(b) is packed once, then every row block runs over it.
NT_INLINE void
product(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
        float beta, float *c, int ldc, nt_triangle triangle) {
  float panel[NT_SMALL_SGEMM_MAX_K * NR] __attribute__((aligned(32)));
  ptrdiff_t rowStep = transA ? 1 : lda, kStep = transA ? lda : 1;
  for (int j0 = 0; j0 < n; j0 += NR) {
    int nr = n - j0 < NR ? n - j0 : NR;
    // Lower c: rows above j0 need nothing from this panel.
    int i0 = triangle == NT_TRIANGLE_LOWER_C ? j0 / MR * MR : 0;
    if (i0 >= m) break;
    pack(transB, k, j0, nr, b, ldb, panel);
    for (; i0 < m; i0 += MR) {
      int mr = m - i0 < MR ? m - i0 : MR;
      rows(mr, i0, k, triangle, a, rowStep, kStep, panel, alpha, beta, c + j0, ldc, nr);
    }
  }
}

static void product_portable(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                             const float *b, int ldb, float beta, float *c, int ldc, nt_triangle triangle) {
  product(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, triangle);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static void
product_avx2(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda, const float *b,
             int ldb, float beta, float *c, int ldc, nt_triangle triangle) {
  product(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, triangle);
}
#endif

void nt_small_sgemm_portable(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                             const float *b, int ldb, float beta, float *c, int ldc, nt_triangle triangle) {
  if (m <= 0 || n <= 0) return;
  product_portable(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, triangle);
}

const char *nt_kernels_variant(void) {
#if defined(__x86_64__)
  if (nt_cpu_has_avx2_fma) return "avx2+fma";
#endif
  return "portable";
}

void nt_small_sgemm(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                    const float *b, int ldb, float beta, float *c, int ldc, nt_triangle triangle) {
  if (m <= 0 || n <= 0) return;
#if defined(__x86_64__)
  if (nt_cpu_has_avx2_fma) {
    product_avx2(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, triangle);
    return;
  }
#endif
  product_portable(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, triangle);
}
