/**
 * What a translation run costs on rented GPUs versus a commercial translation API, the comparison the PHOENIX
 * paper made (1.5 billion characters: about 30 EUR of GPU time against about 30,000 EUR of API fees).
 * GPU cost follows from measured throughput (source characters per second of engine time); API cost is a
 * price per million source characters. Both are for the same characters: the unique segments of the shard.
 */

export interface Pricing {
  /** Rent of the GPU machine per hour (default 2.0). */
  gpuPricePerHour: number;
  /** Commercial machine translation per million source characters (default 20, DeepL/Google list price). */
  apiPricePerMillionChars: number;
  /** Only a label: both prices are in it (default EUR). */
  currency: string;
}

export const DEFAULT_PRICING: Readonly<Pricing> = Object.freeze({ gpuPricePerHour: 2.0, apiPricePerMillionChars: 20, currency: 'EUR' });

export interface CostEstimate {
  currency: string;
  /** Source characters the estimate is for. */
  chars: number;
  /** Measured throughput in source characters per second of engine time; undefined before any was measured. */
  charsPerSecond?: number;
  /** GPU hours for `chars` at that throughput. */
  gpuHours?: number;
  gpuCost?: number;
  apiCost: number;
  /** apiCost / gpuCost: how many times cheaper the GPU is. */
  savingsFactor?: number;
  pricing: Pricing;
}

/** Checks prices given by a user (a CLI flag or a setting): finite and not negative. */
export function pricingOf(over: Partial<Pricing> = {}): Pricing {
  const p = { ...DEFAULT_PRICING, ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) } as Pricing;
  for (const k of ['gpuPricePerHour', 'apiPricePerMillionChars'] as const) {
    if (!(Number.isFinite(p[k]) && p[k] >= 0)) throw new RangeError(`${k} must be a number >= 0, got ${p[k]}`);
  }
  return p;
}

export function estimateCost(chars: number, charsPerSecond: number | undefined, pricing: Pricing = DEFAULT_PRICING): CostEstimate {
  const apiCost = (chars / 1e6) * pricing.apiPricePerMillionChars;
  const est: CostEstimate = { currency: pricing.currency, chars, apiCost, pricing };
  if (charsPerSecond !== undefined && charsPerSecond > 0 && Number.isFinite(charsPerSecond)) {
    est.charsPerSecond = charsPerSecond;
    est.gpuHours = chars / charsPerSecond / 3600;
    est.gpuCost = est.gpuHours * pricing.gpuPricePerHour;
    if (est.gpuCost > 0) est.savingsFactor = apiCost / est.gpuCost;
  }
  return est;
}

function money(v: number, currency: string): string {
  return `${v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(0) : Math.round(v).toLocaleString('en-US')} ${currency}`;
}

/** `GPU ≈ 0.42 EUR (0.21 h at 2 EUR/h) vs API ≈ 120 EUR (20 EUR/M chars), 286× cheaper`. */
export function formatCost(c: CostEstimate): string {
  const api = `API ≈ ${money(c.apiCost, c.currency)} (${c.pricing.apiPricePerMillionChars} ${c.currency}/M chars)`;
  if (c.gpuCost === undefined || c.gpuHours === undefined) return `GPU: no throughput measured yet; ${api}`;
  const hours = c.gpuHours < 0.01 ? c.gpuHours.toExponential(1) : c.gpuHours < 10 ? c.gpuHours.toFixed(2) : c.gpuHours.toFixed(0);
  const factor = c.savingsFactor !== undefined ? `, ${c.savingsFactor >= 10 ? Math.round(c.savingsFactor) : c.savingsFactor.toFixed(1)}× cheaper` : '';
  return `GPU ≈ ${money(c.gpuCost, c.currency)} (${hours} h at ${c.pricing.gpuPricePerHour} ${c.currency}/h) vs ${api}${factor}`;
}
