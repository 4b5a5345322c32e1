import { readFileSync } from 'node:fs';

import { CandleFileError, CandleFileSpec, parseCandlesCsv } from './csv-candles';
import { intervalMs as intervalLength, SimCandle } from './sim-candle';
import { SyntheticAssetMarket } from './synthetic-market';

/** The candles of every asset that open at `start`. */
export interface MarketStep {
  start: number;
  candles: Map<string, SimCandle>;
}

/** Where candles come from: the seeded generator (endless) or replayed files (end when they do). */
export interface CandleSource {
  readonly kind: 'synthetic' | 'csv';
  readonly assets: readonly string[];
  readonly interval: string;
  readonly intervalMs: number;
  /** Open time of the first candle (simulated time starts here). */
  readonly startTime: number;
  /** The next step, or null once a replay has run out. */
  next(): MarketStep | null;
  /** Candles still to come (Infinity for the generator). */
  remaining(): number;
}

export class SyntheticCandleSource implements CandleSource {
  readonly kind = 'synthetic' as const;
  readonly intervalMs: number;
  readonly startTime: number;
  private readonly markets: SyntheticAssetMarket[];
  private start: number;

  constructor(
    readonly assets: readonly string[],
    readonly interval: string,
    seed: number,
    start: number,
  ) {
    this.intervalMs = intervalLength(interval);
    this.start = start;
    this.startTime = start;
    this.markets = assets.map((a) => new SyntheticAssetMarket(a, seed, this.intervalMs, start));
  }

  next(): MarketStep {
    const candles = new Map(this.markets.map((m) => [m.symbol, m.next()] as const));
    const step = { start: this.start, candles };
    this.start += this.intervalMs;
    return step;
  }

  remaining(): number {
    return Infinity;
  }
}

/** Replays candle files side by side on one timeline (a file without a candle at some time skips it). */
export class ReplayCandleSource implements CandleSource {
  readonly kind = 'csv' as const;
  readonly assets: readonly string[];
  private readonly times: number[];
  private readonly byAsset: Map<string, Map<number, SimCandle>>;
  private index = 0;

  constructor(
    series: ReadonlyArray<{ symbol: string; candles: SimCandle[] }>,
    readonly interval: string,
    readonly intervalMs: number,
  ) {
    this.assets = series.map((s) => s.symbol);
    this.byAsset = new Map(series.map((s) => [s.symbol, new Map(s.candles.map((c) => [c.start, c] as const))] as const));
    this.times = [...new Set(series.flatMap((s) => s.candles.map((c) => c.start)))].sort((a, b) => a - b);
  }

  get startTime(): number {
    return this.times[0] ?? 0;
  }

  next(): MarketStep | null {
    if (this.index >= this.times.length) return null;
    const start = this.times[this.index++];
    const candles = new Map<string, SimCandle>();
    for (const [symbol, series] of this.byAsset) {
      const c = series.get(start);
      if (c) candles.set(symbol, c);
    }
    return { start, candles };
  }

  remaining(): number {
    return this.times.length - this.index;
  }
}

/** Reads and checks every file; all must share one interval. Throws CandleFileError naming the problem. */
export function loadReplaySource(specs: CandleFileSpec[], read: (path: string) => string = (p) => readFileSync(p, 'utf8')): ReplayCandleSource {
  if (specs.length === 0) throw new CandleFileError('SIMULATOR_CANDLES_FILE names no file');
  const parsed = specs.map((spec) => {
    let text: string;
    try {
      text = read(spec.path);
    } catch (err) {
      throw new CandleFileError(`cannot read candle file ${spec.path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { symbol: spec.symbol, path: spec.path, ...parseCandlesCsv(text, spec.path) };
  });
  const [first] = parsed;
  const other = parsed.find((p) => p.intervalMs !== first.intervalMs);
  if (other) {
    throw new CandleFileError(`candle files must share one interval: ${first.path} has ${first.interval}, ${other.path} has ${other.interval}`);
  }
  return new ReplayCandleSource(parsed, first.interval, first.intervalMs);
}
