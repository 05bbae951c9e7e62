// Tiny row-major matrix products, compiled twice: once for AVX2 + FMA, once
// portable. Swift cannot compile one function for a newer CPU and pick it at
// run time; C can. Only this kernel lives here: the layers stay in Swift.
#include "CKernels.h"

#include <stddef.h>

typedef float vec8 __attribute__((vector_size(32)));
typedef float vec8u __attribute__((vector_size(32), aligned(4)));

enum { MR = 6, NR = 16 };

/// Writes row r of a block: c = alpha · acc + beta · c, or just alpha · acc when beta = 0 (c is not read then,
/// so whatever it held, even NaN, does not leak in).
__attribute__((always_inline)) static inline void
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

/// A full 6×16 block of c from terms first..<last: c = alpha · Σ_p a(r, p) · panel[p] + beta · c.
///
/// Twelve named accumulators stay in registers (an array indexed in a loop
/// was kept in memory by the compiler and ran at a third of the speed).
__attribute__((always_inline)) static inline void
block6(int first, int last, const float *a, ptrdiff_t rowStep, ptrdiff_t kStep, const float *panel,
       float alpha, float beta, float *c, ptrdiff_t ldc, int nr) {
  vec8 c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
  vec8 c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
  for (int p = first; p < last; p++) {
    vec8 b0 = *(const vec8 *)(panel + p * NR);
    vec8 b1 = *(const vec8 *)(panel + p * NR + 8);
    const float *ap = a + p * kStep;
    float v;
    vec8 x;
#define NT_ROW(r, low, high) \
    v = ap[r * rowStep]; \
    x = (vec8){v, v, v, v, v, v, v, v}; \
    low += x * b0; \
    high += x * b1;
    NT_ROW(0, c00, c01)
    NT_ROW(1, c10, c11)
    NT_ROW(2, c20, c21)
    NT_ROW(3, c30, c31)
    NT_ROW(4, c40, c41)
    NT_ROW(5, c50, c51)
#undef NT_ROW
  }
  store(&c00, &c01, alpha, beta, c, nr);
  store(&c10, &c11, alpha, beta, c + ldc, nr);
  store(&c20, &c21, alpha, beta, c + 2 * ldc, nr);
  store(&c30, &c31, alpha, beta, c + 3 * ldc, nr);
  store(&c40, &c41, alpha, beta, c + 4 * ldc, nr);
  store(&c50, &c51, alpha, beta, c + 5 * ldc, nr);
}

/// The last block of fewer than six rows: the same sums, one row at a time.
__attribute__((always_inline)) static inline void
blockRows(int mr, int first, int last, const float *a, ptrdiff_t rowStep, ptrdiff_t kStep, const float *panel,
          float alpha, float beta, float *c, ptrdiff_t ldc, int nr) {
  for (int r = 0; r < mr; r++) {
    vec8 low = {0}, high = {0};
    for (int p = first; p < last; p++) {
      float v = a[r * rowStep + p * kStep];
      vec8 x = {v, v, v, v, v, v, v, v};
      low += x * *(const vec8 *)(panel + p * NR);
      high += x * *(const vec8 *)(panel + p * NR + 8);
    }
    store(&low, &high, alpha, beta, c + r * ldc, nr);
  }
}

/// Copies columns j0..<j0+nr of op(b) into a k×16 panel, zero beyond nr.
__attribute__((always_inline)) static inline void
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
    // op(b)[p][j] = b[j][p]: eight rows of b at a time, read along p.
    for (int j = 0; j < NR; j++) {
      if (j < nr) {
        const float *column = b + (ptrdiff_t)(j0 + j) * ldb;
        for (int p = 0; p < k; p++) panel[p * NR + j] = column[p];
      } else {
        for (int p = 0; p < k; p++) panel[p * NR + j] = 0;
      }
    }
  }
}

/// Runs the row block at i0 (mr ≤ 6 rows) over the terms its triangle needs.
__attribute__((always_inline)) static inline void
rows(int mr, int i0, int k, nt_triangle triangle, const float *a, ptrdiff_t rowStep, ptrdiff_t kStep,
     const float *panel, float alpha, float beta, float *c, ptrdiff_t ldc, int nr) {
  int first = 0, last = k;
  if (triangle == NT_TRIANGLE_LOWER_A && i0 + mr < k) last = i0 + mr;
  if (triangle == NT_TRIANGLE_UPPER_A) first = i0 < k ? i0 : k;
  const float *rowsOfA = a + i0 * rowStep;
  float *rowsOfC = c + (ptrdiff_t)i0 * ldc;
  if (mr < MR)
    blockRows(mr, first, last, rowsOfA, rowStep, kStep, panel, alpha, beta, rowsOfC, ldc, nr);
  else if (kStep == 1)
    block6(first, last, rowsOfA, rowStep, 1, panel, alpha, beta, rowsOfC, ldc, nr);
  else
    block6(first, last, rowsOfA, 1, kStep, panel, alpha, beta, rowsOfC, ldc, nr);
}

/// The whole product: each 16-column panel of op(b) is packed once, then every row block runs over it.
__attribute__((always_inline)) static inline void
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

typedef void (*product_fn)(int, int, int, int, int, float, const float *, int, const float *, int, float, float *,
                           int, nt_triangle);

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

/// The variant for this CPU, chosen before main runs, so later calls only read it.
static product_fn selected = product_portable;

__attribute__((constructor)) static void select_product(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) selected = product_avx2;
}
#else
static const product_fn selected = product_portable;
#endif

void nt_small_sgemm_portable(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                             const float *b, int ldb, float beta, float *c, int ldc, nt_triangle triangle) {
  if (m <= 0 || n <= 0) return;
  product_portable(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, triangle);
}

const char *nt_small_sgemm_variant(void) {
#if defined(__x86_64__)
  if (selected == product_avx2) return "avx2+fma";
#endif
  return "portable";
}

void nt_small_sgemm(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                    const float *b, int ldb, float beta, float *c, int ldc, nt_triangle triangle) {
  if (m <= 0 || n <= 0) return;
  selected(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, triangle);
}
