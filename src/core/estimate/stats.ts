/**
 * The statistics behind sampled quality estimates: normal quantiles, the sample size for a proportion's
 * margin of error, and Wilson score intervals, each with an optional finite population correction.
 */

// Acklam's rational approximation of the normal quantile: relative error below 1.2e-9 over (0, 1),
// far finer than any confidence level a reviewer types.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]

/** The standard normal quantile Φ⁻¹(p), 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile(${p}): p must be in (0, 1)`)
  const lo = 0.02425
  let x: number
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p))
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  } else if (p <= 1 - lo) {
    const q = p - 0.5
    const r = q * q
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  }
  return x
}

/** The two-sided critical value z for a confidence level (0.95 → 1.95996). */
export function zFor(confidence: number): number {
  checkConfidence(confidence)
  return normalQuantile(1 - (1 - confidence) / 2)
}

export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`)
}

/**
 * Finite population correction of a variance, (N − n) / (N − 1): 1 for an infinite population (N absent),
 * 0 when the whole population was observed.
 */
export function fpcFactor(n: number, population?: number): number {
  if (population === undefined || !Number.isFinite(population)) return 1
  if (population <= 1) return 0
  return Math.max(0, Math.min(1, (population - n) / (population - 1)))
}

export interface SampleSizeOptions {
  /** Half-width of the interval, e.g. 0.03 for ±3 percentage points. */
  margin: number
  /** Default 0.95. */
  confidence?: number
  /** Prior guess of the proportion; default 0.5, the worst case (largest sample). */
  p?: number
  /** Rows in the shard; absent means an infinite population (no correction). */
  population?: number
}

export interface SampleSize {
  size: number
  /** The uncorrected n₀ = z² p(1 − p) / e², before rounding. */
  n0: number
  z: number
}

/**
 * Cochran's sample size for a proportion: n₀ = z² p(1 − p) / e², then with a population of N,
 * n = n₀ / (1 + (n₀ − 1) / N); rounded up and never above N. ±3% at 95% gives 1068, ±5% gives 385.
 */
export function sampleSize(opts: SampleSizeOptions): SampleSize {
  const confidence = opts.confidence ?? 0.95
  const p = opts.p ?? 0.5
  if (!(opts.margin > 0 && opts.margin < 1)) throw new RangeError(`margin must be in (0, 1), got ${opts.margin}`)
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`)
  if (opts.population !== undefined && !(Number.isInteger(opts.population) && opts.population >= 0)) throw new RangeError(`population must be a whole number, got ${opts.population}`)
  const z = zFor(confidence)
  const n0 = (z * z * p * (1 - p)) / (opts.margin * opts.margin)
  const n = opts.population === undefined ? n0 : n0 / (1 + (n0 - 1) / opts.population)
  // 1e-9 keeps float noise (1067.0000000001) from adding a row.
  let size = Math.ceil(n - 1e-9)
  if (opts.population !== undefined) size = Math.min(size, opts.population)
  return { size: Math.max(size, 0), n0, z }
}

/** The margin of error a sample of n rows gives for a proportion (worst case p = 0.5 unless given). */
export function marginOfError(n: number, opts: { confidence?: number; p?: number; population?: number } = {}): number {
  if (n <= 0) return 1
  const z = zFor(opts.confidence ?? 0.95)
  const p = opts.p ?? 0.5
  return z * Math.sqrt(((p * (1 - p)) / n) * fpcFactor(n, opts.population))
}

export interface Interval {
  /** Rows with the property among the n observed. */
  count: number
  n: number
  /** count / n, or null when n = 0. */
  share: number | null
  lower: number
  upper: number
}

/**
 * Wilson score interval for count/n at a two-sided confidence level:
 *   centre = (p̂ + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
 * With a population N the variance is scaled by the finite population correction (N − n)/(N − 1),
 * which here means z² is replaced by z²·(N − n)/(N − 1): the interval narrows as the sample covers
 * more of the shard and collapses to p̂ when every row was observed. n = 0 gives [0, 1].
 */
export function wilson(count: number, n: number, opts: { confidence?: number; population?: number } = {}): Interval {
  if (!(Number.isInteger(count) && Number.isInteger(n) && count >= 0 && n >= 0 && count <= n)) throw new RangeError(`wilson(${count}, ${n}): need whole numbers 0 ≤ count ≤ n`)
  if (n === 0) return { count, n, share: null, lower: 0, upper: 1 }
  const z = zFor(opts.confidence ?? 0.95)
  const z2 = z * z * fpcFactor(n, opts.population)
  const p = count / n
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (Math.sqrt(z2) / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // The bounds are exact at 0 and n; clamping removes float noise such as -1e-17.
  return { count, n, share: p, lower: count === 0 ? 0 : Math.max(0, centre - half), upper: count === n ? 1 : Math.min(1, centre + half) }
}
