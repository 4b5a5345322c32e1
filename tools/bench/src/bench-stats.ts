/** The figures the latency benches report. */

/** The p-th percentile of ascending `sorted` (nearest rank). */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

export const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** The head of a latency bench's JSON line: p50, p95 and p99 of ascending `sorted` in ms, two decimals. */
export function latencyPercentiles(sorted: number[]): { p50_ms: number; p95_ms: number; p99_ms: number } {
  return { p50_ms: round(percentile(sorted, 50)), p95_ms: round(percentile(sorted, 95)), p99_ms: round(percentile(sorted, 99)) };
}
