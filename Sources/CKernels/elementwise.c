// The step's elementwise kernels: GELU, LayerNorm, the softmaxes and AdamW, built
// for AVX2 + FMA and portably (see vector.h). The math is the Swift
// kernels' it replaced, eight lanes at a time with scalar tails.
#include "CKernels.h"
#include "vector.h"

#if defined(__x86_64__)
int nt_cpu_has_avx2_fma = 0;

__attribute__((constructor)) static void detect_cpu(void) {
  __builtin_cpu_init();
  nt_cpu_has_avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

NT_INLINE void nt_exp_body(const float *x, float *out, long count) {
  for (long i = 0; i < count; i++) out[i] = exp1(x[i]);
}
NT_MULTIVERSION(nt_exp, (const float *x, float *out, long count), (x, out, count))

// GELU (tanh approximation) as x·σ(2u), u = √(2/π)·(x + 0.044715·x³).
static const float geluScale = 0.7978845608028654f;
static const float geluCubic = 0.044715f;
static const float minusTwoScale = -2 * 0.7978845608028654f;
static const float minusTwoScaleCubic = -2 * 0.7978845608028654f * 0.044715f;

NT_INLINE void nt_gelu_forward_body(float *out, float *sigmoid, const float *inp, long count) {
  long i = 0;
  for (; i + 8 <= count; i += 8) {
    vec8 x = load8(inp + i);
    vec8 s = 1.0f / (1.0f + exp8(x * (minusTwoScaleCubic * (x * x) + minusTwoScale)));
    store8(sigmoid + i, s);
    store8(out + i, x * s);
  }
  for (; i < count; i++) {
    float x = inp[i];
    float s = 1.0f / (1.0f + exp1(x * (minusTwoScaleCubic * (x * x) + minusTwoScale)));
    sigmoid[i] = s;
    out[i] = x * s;
  }
}
NT_MULTIVERSION(nt_gelu_forward, (float *out, float *sigmoid, const float *inp, long count),
                (out, sigmoid, inp, count))

NT_INLINE void nt_gelu_backward_body(float *dinp, const float *inp, const float *sigmoid, const float *dout,
                                     long count) {
  long i = 0;
  for (; i + 8 <= count; i += 8) {
    vec8 x = load8(inp + i), s = load8(sigmoid + i);
    vec8 du = geluScale * (1.0f + 3.0f * geluCubic * x * x);
    vec8 slope = s + x * 2.0f * s * (1.0f - s) * du;
    store8(dinp + i, slope * load8(dout + i));
  }
  for (; i < count; i++) {
    float x = inp[i], s = sigmoid[i];
    float du = geluScale * (1.0f + 3.0f * geluCubic * x * x);
    dinp[i] = (s + x * 2.0f * s * (1.0f - s) * du) * dout[i];
  }
}
NT_MULTIVERSION(nt_gelu_backward, (float *dinp, const float *inp, const float *sigmoid, const float *dout, long count),
                (dinp, inp, sigmoid, dout, count))

NT_INLINE void nt_layernorm_forward_body(float *out, float *mean, float *rstd, const float *inp, const float *weight,
                                         const float *bias, long rows, long C, float epsilon) {
  float inverseC = 1.0f / (float)C;
  for (long row = 0; row < rows; row++) {
    const float *x = inp + row * C;
    float *y = out + row * C;
    vec8 acc = splat(0);
    long i = 0;
    for (; i + 8 <= C; i += 8) acc += load8(x + i);
    float total = sum8(acc);
    for (; i < C; i++) total += x[i];
    float m = total * inverseC;
    acc = splat(0);
    for (i = 0; i + 8 <= C; i += 8) {
      vec8 d = load8(x + i) - m;
      acc += d * d;
    }
    float variance = sum8(acc);
    for (; i < C; i++) variance += (x[i] - m) * (x[i] - m);
    variance *= inverseC;
    float s = 1.0f / __builtin_sqrtf(variance + epsilon);
    for (i = 0; i + 8 <= C; i += 8) store8(y + i, (load8(x + i) - m) * s * load8(weight + i) + load8(bias + i));
    for (; i < C; i++) y[i] = (x[i] - m) * s * weight[i] + bias[i];
    mean[row] = m;
    rstd[row] = s;
  }
}
NT_MULTIVERSION(nt_layernorm_forward,
                (float *out, float *mean, float *rstd, const float *inp, const float *weight, const float *bias,
                 long rows, long channels, float epsilon),
                (out, mean, rstd, inp, weight, bias, rows, channels, epsilon))

/// One row of LayerNorm's backward: the means over its C channels of dnorm = weight·dout and of dnorm·norm.
NT_INLINE void layernorm_row_means(const float *x, const float *g, const float *weight, float m, float s, long C,
                                   float *dnormMean, float *dnormNormMean) {
  vec8 accMean = splat(0), accNorm = splat(0);
  long i = 0;
  for (; i + 8 <= C; i += 8) {
    vec8 norm = (load8(x + i) - m) * s;
    vec8 dnorm = load8(weight + i) * load8(g + i);
    accMean += dnorm;
    accNorm += dnorm * norm;
  }
  float meanSum = sum8(accMean), normSum = sum8(accNorm);
  for (; i < C; i++) {
    float norm = (x[i] - m) * s, dnorm = weight[i] * g[i];
    meanSum += dnorm;
    normSum += dnorm * norm;
  }
  float inverseC = 1.0f / (float)C;
  *dnormMean = meanSum * inverseC;
  *dnormNormMean = normSum * inverseC;
}

NT_INLINE void nt_layernorm_backward_body(float *dinp, float *dweight, float *dbias, const float *dout,
                                          const float *inp, const float *weight, const float *mean, const float *rstd,
                                          long rows, long C) {
  for (long row = 0; row < rows; row++) {
    const float *x = inp + row * C, *g = dout + row * C;
    float *dx = dinp + row * C;
    float m = mean[row], s = rstd[row];
    float dnormMean, dnormNormMean;
    layernorm_row_means(x, g, weight, m, s, C, &dnormMean, &dnormNormMean);
    long i;
    for (i = 0; i + 8 <= C; i += 8) {
      vec8 norm = (load8(x + i) - m) * s;
      vec8 go = load8(g + i);
      vec8 dnorm = load8(weight + i) * go;
      store8(dbias + i, load8(dbias + i) + go);
      store8(dweight + i, load8(dweight + i) + norm * go);
      store8(dx + i, load8(dx + i) + (dnorm - dnormMean - norm * dnormNormMean) * s);
    }
    for (; i < C; i++) {
      float norm = (x[i] - m) * s, dnorm = weight[i] * g[i];
      dbias[i] += g[i];
      dweight[i] += norm * g[i];
      dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s;
    }
  }
}
NT_MULTIVERSION(nt_layernorm_backward,
                (float *dinp, float *dweight, float *dbias, const float *dout, const float *inp, const float *weight,
                 const float *mean, const float *rstd, long rows, long channels),
                (dinp, dweight, dbias, dout, inp, weight, mean, rstd, rows, channels))

// The backward pass also in two kernels that split differently: rows (dinp) are
// independent, while dweight and dbias sum over every row, so they are cut by
// columns and each column still sums its rows in order. Each element's
// arithmetic is the one-pass loop's, so any cut gives the same bits.
NT_INLINE void nt_layernorm_backward_input_body(float *dinp, const float *base, const float *dout, const float *inp,
                                                const float *weight, const float *mean, const float *rstd, long rows,
                                                long C) {
  // A row of zeros stands in for a NULL base, so the sums are those of a cleared dinp: 0 + part, never just part.
  float zeros[C];
  if (!base) for (long i = 0; i < C; i++) zeros[i] = 0;
  for (long row = 0; row < rows; row++) {
    const float *x = inp + row * C, *g = dout + row * C;
    const float *from = base ? base + row * C : zeros;
    float *dx = dinp + row * C;
    float m = mean[row], s = rstd[row];
    float dnormMean, dnormNormMean;
    layernorm_row_means(x, g, weight, m, s, C, &dnormMean, &dnormNormMean);
    long i;
    for (i = 0; i + 8 <= C; i += 8) {
      vec8 norm = (load8(x + i) - m) * s;
      vec8 dnorm = load8(weight + i) * load8(g + i);
      store8(dx + i, load8(from + i) + (dnorm - dnormMean - norm * dnormNormMean) * s);
    }
    for (; i < C; i++) {
      float norm = (x[i] - m) * s, dnorm = weight[i] * g[i];
      dx[i] = from[i] + (dnorm - dnormMean - norm * dnormNormMean) * s;
    }
  }
}
NT_MULTIVERSION(nt_layernorm_backward_input,
                (float *dinp, const float *base, const float *dout, const float *inp, const float *weight,
                 const float *mean, const float *rstd, long rows, long channels),
                (dinp, base, dout, inp, weight, mean, rstd, rows, channels))

/// Adds every row's part to the gain and bias gradients of `count` ≤ 4 vectors of columns from `first`, with the
/// running sums in registers from the first row to the last.
NT_INLINE void layernorm_parameter_vectors(float *dweight, float *dbias, const float *dout, const float *inp,
                                           const float *mean, const float *rstd, long rows, long C, long first,
                                           int count) {
  vec8 w[4], b[4];
  for (int k = 0; k < count; k++) {
    w[k] = load8(dweight + first + 8 * k);
    b[k] = load8(dbias + first + 8 * k);
  }
  for (long row = 0; row < rows; row++) {
    const float *x = inp + row * C + first, *g = dout + row * C + first;
    float m = mean[row], s = rstd[row];
    for (int k = 0; k < count; k++) {
      vec8 norm = (load8(x + 8 * k) - m) * s;
      vec8 go = load8(g + 8 * k);
      b[k] = b[k] + go;
      w[k] = w[k] + norm * go;
    }
  }
  for (int k = 0; k < count; k++) {
    store8(dweight + first + 8 * k, w[k]);
    store8(dbias + first + 8 * k, b[k]);
  }
}

// The gain and bias gradients sum over every row. Their running sums stay in
// registers, four vectors of columns at a time, and reach memory once: the
// same additions in the same order as adding each row into memory, without a
// trip through memory per row, which on several threads also passed a cache
// line between the two threads whose column blocks meet in it, once per row.
NT_INLINE void nt_layernorm_backward_parameters_body(float *dweight, float *dbias, const float *dout,
                                                     const float *inp, const float *mean, const float *rstd,
                                                     long rows, long C, long first, long last) {
  // Columns up to the last whole group of eight run as vector lanes, the rest alone, as in one pass over the row.
  long vectorEnd = first + (C - first) / 8 * 8;
  if (vectorEnd > last) vectorEnd = last;
  long i = first;
  for (; i + 32 <= vectorEnd; i += 32)
    layernorm_parameter_vectors(dweight, dbias, dout, inp, mean, rstd, rows, C, i, 4);
  if (i + 8 <= vectorEnd) {
    int count = (int)((vectorEnd - i) / 8);
    layernorm_parameter_vectors(dweight, dbias, dout, inp, mean, rstd, rows, C, i, count);
    i += 8 * count;
  }
  for (; i < last; i++) {
    float w = dweight[i], b = dbias[i];
    for (long row = 0; row < rows; row++) {
      float norm = (inp[row * C + i] - mean[row]) * rstd[row];
      float go = dout[row * C + i];
      b += go;
      w += norm * go;
    }
    dweight[i] = w;
    dbias[i] = b;
  }
}
NT_MULTIVERSION(nt_layernorm_backward_parameters,
                (float *dweight, float *dbias, const float *dout, const float *inp, const float *mean,
                 const float *rstd, long rows, long channels, long first, long last),
                (dweight, dbias, dout, inp, mean, rstd, rows, channels, first, last))

/// Adds every row of `count` ≤ 4 vectors of columns from `first` to dbias, with the running sums in registers.
NT_INLINE void bias_vectors(float *dbias, const float *dout, long rows, long columns, long first, int count) {
  vec8 b[4];
  for (int k = 0; k < count; k++) b[k] = load8(dbias + first + 8 * k);
  for (long row = 0; row < rows; row++) {
    const float *g = dout + row * columns + first;
    for (int k = 0; k < count; k++) b[k] = b[k] + load8(g + 8 * k);
  }
  for (int k = 0; k < count; k++) store8(dbias + first + 8 * k, b[k]);
}

// Each column's running sum stays in registers over a tile of rows and
// reaches memory once per tile: the additions of adding row after row into
// dbias, in the same order, without a trip through memory for each row. The
// tiles keep the rows in cache while the columns sweep them, so wide rows are
// still read from memory once, in order.
NT_INLINE void nt_bias_backward_body(float *dbias, const float *dout, long rows, long columns) {
  enum { tile = 32 };
  for (long first = 0; first < rows; first += tile) {
    long count = rows - first < tile ? rows - first : tile;
    const float *block = dout + first * columns;
    long i = 0;
    for (; i + 32 <= columns; i += 32) bias_vectors(dbias, block, count, columns, i, 4);
    if (i + 8 <= columns) {
      int vectors = (int)((columns - i) / 8);
      bias_vectors(dbias, block, count, columns, i, vectors);
      i += 8 * vectors;
    }
    for (; i < columns; i++) {
      float b = dbias[i];
      for (long row = 0; row < count; row++) b += block[row * columns + i];
      dbias[i] = b;
    }
  }
}
NT_MULTIVERSION(nt_bias_backward, (float *dbias, const float *dout, long rows, long columns),
                (dbias, dout, rows, columns))

/// out = softmax(x) over count ≥ 1 values (out may be x); *shift = max(x), *total = Σ e^(x − shift).
NT_INLINE void softmax_row(float *out, const float *x, long count, float *shift, float *total) {
  float best = x[0];
  long i = 0;
  if (count >= 8) {
    vec8 acc = load8(x);
    for (i = 8; i + 8 <= count; i += 8) acc = __builtin_elementwise_max(acc, load8(x + i));
    best = max8(acc);
  }
  for (; i < count; i++) best = x[i] > best ? x[i] : best;
  vec8 sums = splat(0);
  for (i = 0; i + 8 <= count; i += 8) {
    vec8 e = exp8(load8(x + i) - best);
    store8(out + i, e);
    sums += e;
  }
  float z = sum8(sums);
  for (; i < count; i++) {
    float e = exp1(x[i] - best);
    out[i] = e;
    z += e;
  }
  float inverse = 1.0f / z;
  for (i = 0; i + 8 <= count; i += 8) store8(out + i, load8(out + i) * inverse);
  for (; i < count; i++) out[i] *= inverse;
  *shift = best;
  *total = z;
}

NT_INLINE void nt_softmax_body(float *out, const float *x, long count, float *shift, float *total) {
  softmax_row(out, x, count, shift, total);
}
NT_MULTIVERSION(nt_softmax, (float *out, const float *x, long count, float *shift, float *total),
                (out, x, count, shift, total))

/// Lanes below `count` of v, the rest 0.
NT_INLINE vec8 first_lanes(vec8 v, long count) {
  ivec8 lanes = {0, 1, 2, 3, 4, 5, 6, 7};
  return (vec8)((ivec8)v & (lanes < (int)count));
}

/// Softmax of one attention row in place over its first `visible` ≥ 1 values, the rest of its T set to 0.
///
/// The same arithmetic as `softmax_row`, value for value, but the last
/// visible mod 8 values go through the vector exp as one vector read from the
/// row itself (it is T long, so the read stays inside it when T is a multiple
/// of 8): short causal rows are mostly tail, and one exp per value cost more
/// than the rest of the row. Their exps are added to the total one by one, in
/// order, as the value-by-value tail adds them.
NT_INLINE void attention_row(float *row, long visible, long T) {
  long body = visible / 8 * 8, rest = visible - body;
  int whole = T % 8 == 0;
  vec8 last = splat(0);
  if (rest > 0 && whole) last = load8(row + body);
  float best = row[0];
  if (visible >= 8) {
    vec8 acc = load8(row);
    for (long i = 8; i < body; i += 8) acc = __builtin_elementwise_max(acc, load8(row + i));
    best = max8(acc);
  }
  for (long i = body; i < visible; i++) best = row[i] > best ? row[i] : best;
  vec8 sums = splat(0);
  for (long i = 0; i < body; i += 8) {
    vec8 e = exp8(load8(row + i) - best);
    store8(row + i, e);
    sums += e;
  }
  float z = sum8(sums);
  if (rest > 0 && whole) {
    vec8 e = exp8(last - best);
    for (long j = 0; j < rest; j++) z += e[j];
    last = e;
  } else {
    for (long i = body; i < visible; i++) {
      float e = exp1(row[i] - best);
      row[i] = e;
      z += e;
    }
  }
  float inverse = 1.0f / z;
  for (long i = 0; i < body; i += 8) store8(row + i, load8(row + i) * inverse);
  long zeros = visible;
  if (rest > 0 && whole) {
    store8(row + body, first_lanes(last * inverse, rest));
    zeros = body + 8;
  } else {
    for (long i = body; i < visible; i++) row[i] *= inverse;
  }
  for (; zeros + 8 <= T; zeros += 8) store8(row + zeros, splat(0));
  for (; zeros < T; zeros++) row[zeros] = 0;
}

/// Prefetches row t of each matrix in `ahead`: every 64-byte line its floats touch.
NT_INLINE void prefetch_rows(const nt_rows_ahead *ahead, int count, long t) {
  for (int j = 0; j < count; j++) {
    const float *row = ahead[j].start + t * ahead[j].stride;
    long floats = ahead[j].lower && t + 1 < ahead[j].floats ? t + 1 : ahead[j].floats;
    if (ahead[j].write) {
      for (long i = 0; i < floats; i += 16) __builtin_prefetch(row + i, 1, 2);
      __builtin_prefetch(row + floats - 1, 1, 2);
    } else {
      for (long i = 0; i < floats; i += 16) __builtin_prefetch(row + i, 0, 2);
      __builtin_prefetch(row + floats - 1, 0, 2);
    }
  }
}

/// `attention_row` for two rows at once, value for value, their steps interleaved so that one row's chains of
/// dependent operations (the maximum, the total, the division) overlap the other's. T is a multiple of 8.
NT_INLINE void attention_row_pair(float *ra, long va, float *rb, long vb, long T) {
  long bodyA = va / 8 * 8, restA = va - bodyA, bodyB = vb / 8 * 8, restB = vb - bodyB;
  long common = bodyA < bodyB ? bodyA : bodyB;
  vec8 lastA = restA > 0 ? load8(ra + bodyA) : splat(0), lastB = restB > 0 ? load8(rb + bodyB) : splat(0);
  vec8 accA = load8(ra), accB = load8(rb);
  long i;
  for (i = 8; i < common; i += 8) {
    accA = __builtin_elementwise_max(accA, load8(ra + i));
    accB = __builtin_elementwise_max(accB, load8(rb + i));
  }
  for (long j = i; j < bodyA; j += 8) accA = __builtin_elementwise_max(accA, load8(ra + j));
  for (long j = i; j < bodyB; j += 8) accB = __builtin_elementwise_max(accB, load8(rb + j));
  float bestA = va >= 8 ? max8(accA) : ra[0], bestB = vb >= 8 ? max8(accB) : rb[0];
  for (long j = bodyA; j < va; j++) bestA = ra[j] > bestA ? ra[j] : bestA;
  for (long j = bodyB; j < vb; j++) bestB = rb[j] > bestB ? rb[j] : bestB;
  vec8 sumsA = splat(0), sumsB = splat(0);
  for (i = 0; i < common; i += 8) {
    vec8 eA = exp8(load8(ra + i) - bestA), eB = exp8(load8(rb + i) - bestB);
    store8(ra + i, eA);
    store8(rb + i, eB);
    sumsA += eA;
    sumsB += eB;
  }
  for (long j = i; j < bodyA; j += 8) {
    vec8 e = exp8(load8(ra + j) - bestA);
    store8(ra + j, e);
    sumsA += e;
  }
  for (long j = i; j < bodyB; j += 8) {
    vec8 e = exp8(load8(rb + j) - bestB);
    store8(rb + j, e);
    sumsB += e;
  }
  float zA = sum8(sumsA), zB = sum8(sumsB);
  if (restA > 0) {
    vec8 e = exp8(lastA - bestA);
    for (long j = 0; j < restA; j++) zA += e[j];
    lastA = e;
  }
  if (restB > 0) {
    vec8 e = exp8(lastB - bestB);
    for (long j = 0; j < restB; j++) zB += e[j];
    lastB = e;
  }
  float inverseA = 1.0f / zA, inverseB = 1.0f / zB;
  for (i = 0; i < common; i += 8) {
    store8(ra + i, load8(ra + i) * inverseA);
    store8(rb + i, load8(rb + i) * inverseB);
  }
  for (long j = i; j < bodyA; j += 8) store8(ra + j, load8(ra + j) * inverseA);
  for (long j = i; j < bodyB; j += 8) store8(rb + j, load8(rb + j) * inverseB);
  long zerosA = va, zerosB = vb;
  if (restA > 0) {
    store8(ra + bodyA, first_lanes(lastA * inverseA, restA));
    zerosA = bodyA + 8;
  }
  if (restB > 0) {
    store8(rb + bodyB, first_lanes(lastB * inverseB, restB));
    zerosB = bodyB + 8;
  }
  for (; zerosA < T; zerosA += 8) store8(ra + zerosA, splat(0));
  for (; zerosB < T; zerosB += 8) store8(rb + zerosB, splat(0));
}

NT_INLINE void nt_attention_softmax_body(float *weights, long T, int causal, const nt_rows_ahead *ahead, int count) {
  long t = 0;
  if (T % 8 == 0) {
    for (; t + 2 <= T; t += 2) {
      prefetch_rows(ahead, count, t);
      prefetch_rows(ahead, count, t + 1);
      attention_row_pair(weights + t * T, causal ? t + 1 : T, weights + (t + 1) * T, causal ? t + 2 : T, T);
    }
  }
  for (; t < T; t++) {
    prefetch_rows(ahead, count, t);
    attention_row(weights + t * T, causal ? t + 1 : T, T);
  }
}
NT_MULTIVERSION(nt_attention_softmax, (float *weights, long T, int causal, const nt_rows_ahead *ahead, int count),
                (weights, T, causal, ahead, count))

NT_INLINE void nt_attention_softmax_backward_body(float *d, const float *att, long T, int causal,
                                                  const nt_rows_ahead *ahead, int count) {
  for (long t = 0; t < T; t++) {
    prefetch_rows(ahead, count, t);
    const float *a = att + t * T;
    float *g = d + t * T;
    long visible = causal ? t + 1 : T;
    vec8 acc = splat(0);
    long s = 0;
    for (; s + 8 <= visible; s += 8) acc += load8(a + s) * load8(g + s);
    float weighted = sum8(acc);
    for (; s < visible; s++) weighted += a[s] * g[s];
    for (s = 0; s + 8 <= visible; s += 8) store8(g + s, load8(a + s) * (load8(g + s) - weighted));
    if (s < visible && T % 8 == 0) {
      store8(g + s, first_lanes(load8(a + s) * (load8(g + s) - weighted), visible - s));
      s += 8;
    }
    for (; s < visible; s++) g[s] = a[s] * (g[s] - weighted);
    for (; s + 8 <= T; s += 8) store8(g + s, splat(0));
    for (; s < T; s++) g[s] = 0;
  }
}
NT_MULTIVERSION(nt_attention_softmax_backward,
                (float *d, const float *att, long T, int causal, const nt_rows_ahead *ahead, int count),
                (d, att, T, causal, ahead, count))

NT_INLINE void nt_adamw_body(float *p, const float *g, float *m, float *v, long count, float learningRate,
                             float beta1, float beta2, float inverse1, float inverse2, float epsilon, float decay) {
  long i = 0;
  for (; i + 8 <= count; i += 8) {
    vec8 gradient = load8(g + i);
    vec8 mi = beta1 * load8(m + i) + (1.0f - beta1) * gradient;
    vec8 vi = beta2 * load8(v + i) + (1.0f - beta2) * gradient * gradient;
    store8(m + i, mi);
    store8(v + i, vi);
    vec8 root = __builtin_elementwise_sqrt(vi * inverse2);
    vec8 pi = load8(p + i);
    store8(p + i, pi - learningRate * ((mi * inverse1) / (root + epsilon) + decay * pi));
  }
  for (; i < count; i++) {
    float mi = beta1 * m[i] + (1.0f - beta1) * g[i];
    float vi = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
    m[i] = mi;
    v[i] = vi;
    p[i] -= learningRate * ((mi * inverse1) / (__builtin_sqrtf(vi * inverse2) + epsilon) + decay * p[i]);
  }
}
NT_MULTIVERSION(nt_adamw,
                (float *p, const float *g, float *m, float *v, long count, float learningRate, float beta1, float beta2,
                 float inverse1, float inverse2, float epsilon, float decay),
                (p, g, m, v, count, learningRate, beta1, beta2, inverse1, inverse2, epsilon, decay))
