import { ModeOutcome } from '@model-service/features';

import { compareLiveWithWarmup, judgeLiveModel, LiveComparison, VersionedDecision } from './live-rollback.rule';

const outcome = (n: number): ModeOutcome => ({ n, winRate: 0.5, winRateLow: 0.4, winRateHigh: 0.6, meanReturn: 0, meanReturnLow: -0.01, meanReturnHigh: 0.01 });
const comparison = (modelN: number, warmupN: number, high: number | null): LiveComparison => ({
  model: outcome(modelN),
  warmup: outcome(warmupN),
  difference: high === null ? null : { difference: high - 0.01, low: high - 0.02, high },
});

describe('judgeLiveModel', () => {
  it.each<[string, LiveComparison, string]>([
    ['model one trade short', comparison(49, 500, -0.01), 'too_few_model_trades'],
    ['warm-up one trade short', comparison(50, 49, -0.01), 'too_few_warmup_trades'],
    ['exactly the minimum, interval below zero', comparison(50, 50, -0.0001), 'rollback'],
    ['interval reaching exactly zero', comparison(200, 500, 0), 'not_below'],
    ['interval just above zero (noise)', comparison(200, 500, 0.0001), 'not_below'],
    ['no interval', comparison(200, 500, null), 'not_below'],
  ])('%s', (_name, c, verdict) => {
    expect(judgeLiveModel(c, 50)).toBe(verdict);
  });
});

describe('compareLiveWithWarmup', () => {
  const labels = { horizonMs: 60_000, exitFeeRate: 0, minReturn: 0 };
  const d = (i: number, mode: VersionedDecision['mode'], modelVersion: string | null, price: number): VersionedDecision => ({
    asset: 'BTCUSDT',
    mode,
    modelVersion,
    side: 'buy',
    signalTimeMs: i * 120_000,
    signalPrice: price,
    executedAtMs: i * 120_000 + 1_000,
    executionPrice: price,
    executionQuantity: 1,
    executionFees: 0,
  });

  it("counts only the version's entries since its activation against every warm-up entry, labelled by the later prices of all", () => {
    const c = compareLiveWithWarmup(
      [
        d(0, 'warmup', null, 100), // → 110: +10 %
        d(1, 'model', 'v1', 110), // before activation: not counted (price still used)
        d(2, 'model', 'v2', 121), // another version: not counted
        d(3, 'model', 'v1', 110), // → 99: -10 %
        d(4, 'exit', null, 99), // prices only
        d(5, 'warmup', null, 99), // → 108.9: +10 %
        d(6, 'model', 'v1', 108.9), // no later price: not labelled
      ],
      'v1',
      3 * 120_000,
      labels,
    );
    expect(c.model).toMatchObject({ n: 1, winRate: 0 });
    expect(c.model.meanReturn).toBeCloseTo(-0.1, 9);
    expect(c.warmup).toMatchObject({ n: 2, winRate: 1 });
    expect(c.warmup.meanReturn).toBeCloseTo(0.1, 9);
    expect(c.difference).toBeNull();
  });
});
