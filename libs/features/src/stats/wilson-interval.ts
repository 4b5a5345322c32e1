/** A proportion with its confidence interval. */
export interface ProportionInterval {
  /** successes / n (NaN when n = 0). */
  p: number;
  lower: number;
  upper: number;
  n: number;
}

/** z of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;
/** z of a one-sided 99 % bound. */
export const Z99_ONE_SIDED = 2.3263478740408408;

/**
 * Wilson score interval of `successes` out of `n`: unlike the normal approximation it stays inside [0, 1]
 * and keeps its coverage for small n and proportions near 0 or 1. n = 0 gives [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z: number = Z95): ProportionInterval {
  if (!(n > 0)) return { p: Number.NaN, lower: 0, upper: 1, n: 0 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { p, lower: Math.max(0, (centre - margin) / denom), upper: Math.min(1, (centre + margin) / denom), n };
}

/** "0.8125 [0.7532, 0.8605] n=240" */
export function formatInterval(i: ProportionInterval): string {
  return `${i.p.toFixed(4)} [${i.lower.toFixed(4)}, ${i.upper.toFixed(4)}] n=${i.n}`;
}
