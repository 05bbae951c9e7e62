#ifndef NEXTTOKEN_CKERNELS_H
#define NEXTTOKEN_CKERNELS_H

/// The largest inner dimension `nt_small_sgemm` accepts.
#define NT_SMALL_SGEMM_MAX_K 1024

/// Which part of a product `nt_small_sgemm` may skip (causal attention's triangles).
typedef enum {
  /// Every element of c, every term of every sum.
  NT_TRIANGLE_NONE = 0,
  /// Only c[i][j] with j ≤ i is needed; blocks wholly above the diagonal are left untouched.
  NT_TRIANGLE_LOWER_C = 1,
  /// op(a)[i][p] is exactly 0 for p > i, so each row's sum stops after its block's last row.
  NT_TRIANGLE_LOWER_A = 2,
  /// op(a)[i][p] is exactly 0 for p < i, so each row's sum starts at its block's first row.
  NT_TRIANGLE_UPPER_A = 3,
} nt_triangle;

/// Row-major c = alpha · op(a) · op(b) + beta · c for tiny products, with op(a) m×k and op(b) k×n.
///
/// Made for the products OpenBLAS runs slowest: attention's per-head
/// products, where its per-call work (dispatch, buffers, packing for large
/// blocks) costs more than the arithmetic, and where causal attention lets
/// whole blocks be skipped (`triangle`). Each element of c is one
/// multiply-add chain over k in order, so results do not depend on how a
/// caller cuts the rows; beta = 0 overwrites c without reading it.
/// On x86-64 the body runs with AVX2 and FMA when the CPU has them (checked
/// once, before main); otherwise, and on other architectures, a portable
/// build of the same code runs. k must be at most NT_SMALL_SGEMM_MAX_K.
void nt_small_sgemm(int transA, int transB, int m, int n, int k, float alpha,
                    const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc,
                    nt_triangle triangle);

/// `nt_small_sgemm` through the portable build, whatever the CPU: lets tests check it where AVX2 would be picked.
void nt_small_sgemm_portable(int transA, int transB, int m, int n, int k, float alpha,
                             const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc,
                             nt_triangle triangle);

/// The build `nt_small_sgemm` runs on this CPU: "avx2+fma" or "portable".
const char *nt_small_sgemm_variant(void);

#endif
