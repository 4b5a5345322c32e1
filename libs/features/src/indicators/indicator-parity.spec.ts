import { seededRandom as rng } from '@model-service/util';
import { naiveIndicators } from './indicator-reference';
import { IndicatorState } from './indicator-state';
import { Candle, IndicatorOptions, TECHNICAL_INDICATOR_KEYS } from './technical-indicators';


/** A random-walk market with quiet and volatile regimes, flat stretches and zero-volume candles. */
function randomCandle(r: () => number, start: number, prevClose: number): Candle {
  const regime = Math.floor(start / 500) % 3; // 0 volatile, 1 calm, 2 flat
  const sigma = regime === 0 ? 0.004 : regime === 1 ? 0.0002 : 0;
  const close = Math.max(1, prevClose * Math.exp(sigma * (r() - 0.5) * 3.4));
  const open = prevClose;
  const high = Math.max(open, close) * (1 + sigma * r());
  const low = Math.min(open, close) * (1 - sigma * r());
  const volume = regime === 2 ? 0 : Math.round(1000 * r() * r() * 100) / 100;
  return { open, high, low, close, volume, start };
}

function expectClose(actual: number | null, expected: number | null, where: string): void {
  if (expected === null || actual === null) {
    expect({ where, actual }).toEqual({ where, actual: expected });
    return;
  }
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`${where}: incremental ${actual} vs naive ${expected} (|diff| ${Math.abs(actual - expected)})`);
  }
}

describe('IndicatorState equals a naive full recompute', () => {
  it.each<[string, IndicatorOptions, number]>([
    ['default periods, BTC-like prices', {}, 60_000],
    ['small periods and window', { window: 16, rsiPeriod: 3, emaFast: 2, emaSlow: 5, atrPeriod: 4, bbPeriod: 5, volumePeriod: 3 }, 1.0001],
  ])('%s, 12,000 candles with unconfirmed updates, late and repeated candles', (_name, opts, startPrice) => {
    const r = rng(7);
    const state = new IndicatorState(opts);
    const confirmed: Candle[] = [];
    let price = startPrice;
    let checks = 0;
    for (let i = 0; i < 12_000; i++) {
      const c = randomCandle(r, i, price);
      // Up to two unconfirmed versions of the same kline arrive first, then the final one.
      const provisional = Math.floor(r() * 3);
      for (let k = 0; k < provisional; k++) state.update(randomCandle(r, i, price));
      state.update(c);
      if (i > 0 && r() < 0.05) expect(state.update(confirmed[confirmed.length - 1])).toBe('ignored');
      confirmed.push(c);
      price = c.close;
      if (i < 60 || i % 53 === 0) {
        const inc = state.snapshot();
        const ref = naiveIndicators(confirmed, opts);
        for (const key of TECHNICAL_INDICATOR_KEYS) expectClose(inc[key], ref[key], `candle ${i} ${key}`);
        checks++;
      }
    }
    expect(checks).toBeGreaterThan(250);
  });
});
