/** One OHLCV candle the simulator replays; `start` is the open time in epoch milliseconds. */
export interface SimCandle {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Base-currency volume. */
  volume: number;
  /** Quote-currency volume (volume × price when the source has none). */
  turnover: number;
  /**
   * Order-flow pressure in [-1, 1] (> 0: more buyers): the generator's latent drift, shown as the order
   * book's bid/ask imbalance. Absent for replayed files (the imbalance then follows recent returns).
   */
  flow?: number;
}

/**
 * The prices a candle passes through as `ticks` updates, ending at its close: open → low → high → close
 * for a rising candle, open → high → low → close for a falling one (the extremes at 1/4 and 1/2 of the
 * candle, linear in between).
 */
export function candleTickPrices(c: Pick<SimCandle, 'open' | 'high' | 'low' | 'close'>, ticks: number): number[] {
  const n = Math.max(1, Math.floor(ticks));
  const [first, second] = c.close >= c.open ? [c.low, c.high] : [c.high, c.low];
  const points: [number, number][] = [
    [0, c.open],
    [0.25, first],
    [0.5, second],
    [1, c.close],
  ];
  const out: number[] = [];
  for (let k = 1; k <= n; k++) {
    const t = k / n;
    let i = 0;
    while (i < points.length - 2 && t > points[i + 1][0]) i++;
    const [t0, p0] = points[i];
    const [t1, p1] = points[i + 1];
    out.push(p0 + ((p1 - p0) * (t - t0)) / (t1 - t0));
  }
  out[n - 1] = c.close;
  return out;
}

const MINUTE = 60_000;
const BYBIT_MINUTES = [1, 3, 5, 15, 30, 60, 120, 240, 360, 720];

/** Bybit kline interval of a candle length in ms ('1', '60', 'D', 'W'), or null when Bybit has none. */
export function bybitInterval(ms: number): string | null {
  if (ms === 86_400_000) return 'D';
  if (ms === 7 * 86_400_000) return 'W';
  const minutes = ms / MINUTE;
  return BYBIT_MINUTES.includes(minutes) ? String(minutes) : null;
}

/** Candle length in ms of a Bybit interval ('1' → 60000, 'D' → 86400000). */
export function intervalMs(interval: string): number {
  if (interval === 'D') return 86_400_000;
  if (interval === 'W') return 7 * 86_400_000;
  const minutes = Number(interval);
  if (!BYBIT_MINUTES.includes(minutes)) throw new RangeError(`unsupported kline interval ${interval}`);
  return minutes * MINUTE;
}
