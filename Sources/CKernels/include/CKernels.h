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

/// The build the kernels run on this CPU: "avx2+fma" or "portable".
const char *nt_kernels_variant(void);

// Elementwise kernels of the training step, built like `nt_small_sgemm`.
// Each works on the range it is given, so callers can split rows or
// elements across threads; none allocates. Each is declared with its
// portable build, `name_portable`, which runs whatever the CPU, so tests
// can check on any machine what CPUs without AVX2 and other architectures run.
#define NT_KERNEL(name, params) \
  void name params; \
  void name##_portable params

/// out[i] = e^x[i] by the kernels' vector method (within about 2 ulp; clamped to [−87, 88]), for tests.
NT_KERNEL(nt_exp, (const float *x, float *out, long count));

/// GELU, tanh approximation, as x·σ(2u): out = x·s, sigmoid = s.
NT_KERNEL(nt_gelu_forward, (float *out, float *sigmoid, const float *inp, long count));

/// dinp = dout · gelu′(inp) from the saved σ(2u); dinp may be dout.
NT_KERNEL(nt_gelu_backward, (float *dinp, const float *inp, const float *sigmoid, const float *dout, long count));

/// LayerNorm of `rows` rows of `channels`: out = (x − mean)·rstd·weight + bias; mean and rstd kept per row.
NT_KERNEL(nt_layernorm_forward, (float *out, float *mean, float *rstd, const float *inp, const float *weight,
                                 const float *bias, long rows, long channels, float epsilon));

/// Backward of `nt_layernorm_forward`; dinp, dweight and dbias accumulate. One pass over the rows.
NT_KERNEL(nt_layernorm_backward, (float *dinp, float *dweight, float *dbias, const float *dout, const float *inp,
                                  const float *weight, const float *mean, const float *rstd, long rows,
                                  long channels));

/// `nt_layernorm_backward` into the input alone, row by row: dinp = base + the LayerNorm's part.
///
/// base may be dinp itself (dinp accumulates, as in `nt_layernorm_backward`),
/// another matrix (its copy plus the part, without a separate copy pass),
/// or NULL for zeros (the part added to 0, as when dinp was cleared first).
NT_KERNEL(nt_layernorm_backward_input, (float *dinp, const float *base, const float *dout, const float *inp,
                                        const float *weight, const float *mean, const float *rstd, long rows,
                                        long channels));

/// Backward of `nt_layernorm_forward` into gain and bias, columns first..<last:
/// dweight and dbias accumulate over every row, in row order. `first` is a multiple of 8.
NT_KERNEL(nt_layernorm_backward_parameters, (float *dweight, float *dbias, const float *dout, const float *inp,
                                             const float *mean, const float *rstd, long rows, long channels,
                                             long first, long last));

/// Bias gradient of a linear layer: dbias[j] += Σ_rows dout[row][j], each column summed in row order.
NT_KERNEL(nt_bias_backward, (float *dbias, const float *dout, long rows, long columns));

/// out = softmax(x) over count ≥ 1 values (out may be x); *shift = max(x) and *total = Σ e^(x − shift).
NT_KERNEL(nt_softmax, (float *out, const float *x, long count, float *shift, float *total));

/// Rows of memory the next attention head will use, asked of the caches a row at a time while this head's softmax
/// runs, so the next head does not wait for them (the hardware prefetchers do not follow one head's 64-byte slices
/// of wide rows).
typedef struct {
  /// Row 0 of the matrix.
  const float *start;
  /// Floats from one row to the next.
  long stride;
  /// Floats the head uses in each row.
  long floats;
  /// 1 when the head writes them, 0 when it only reads them.
  int write;
  /// 1 when row t uses only its first t + 1 floats (causal attention weights).
  int lower;
} nt_rows_ahead;

/// Softmax of each row of a T×T head in place; with `causal`, row t over its first t + 1 entries, the rest set to 0.
/// Row t of each of the `count` matrices in `ahead` is prefetched as row t is done; results do not depend on them.
NT_KERNEL(nt_attention_softmax, (float *weights, long T, int causal, const nt_rows_ahead *ahead, int count));

/// Softmax backward of each row of a T×T head: d ← att ⊙ (d − rowsum(att ⊙ d)); masked entries set to 0.
/// `ahead` as for `nt_attention_softmax`.
NT_KERNEL(nt_attention_softmax_backward,
          (float *d, const float *att, long T, int causal, const nt_rows_ahead *ahead, int count));

/// One AdamW update of `count` parameters: m, v ← moving averages of g and g²,
/// p ← p − lr·(m·inverse1 / (√(v·inverse2) + ε) + decay·p), where inverse1 and
/// inverse2 are the reciprocal bias corrections.
NT_KERNEL(nt_adamw, (float *p, const float *g, float *m, float *v, long count, float learningRate, float beta1,
                     float beta2, float inverse1, float inverse2, float epsilon, float decay));

#undef NT_KERNEL

/// Tells the CPU this thread is waiting in a loop (x86 `pause`, Arm `yield`): the loop then costs the core's other
/// hardware thread less, and leaving it does not flush the pipeline.
static inline void nt_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

#endif
