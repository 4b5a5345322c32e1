import { meanReturnDifference, ModeOutcome, summariseOutcomes } from '@model-service/features';
import { seededRandom } from '@model-service/features/testing';

import { compareLiveWithWarmup, judgeLiveModel, LiveComparison, ROLLBACK_Z, VersionedDecision } from './live-rollback.rule';

const outcome = (n: number): ModeOutcome => ({ n, winRate: 0.5, winRateLow: 0.4, winRateHigh: 0.6, meanReturn: 0, meanReturnLow: -0.01, meanReturnHigh: 0.01 });
const comparison = (modelN: number, warmupN: number, high: number | null): LiveComparison => ({
  model: outcome(modelN),
  warmup: outcome(warmupN),
  difference: null,
  decisive: high === null ? null : { difference: high - 0.01, low: high - 0.02, high },
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

describe('judgeLiveModel under repeated checks (seeded simulation)', () => {
  // Per trade: a win nets +0.8 %, a loss -1.2 % (a ±1 % move less 0.2 % of fees), as in the integration spec.
  const trade = (rand: () => number, winRate: number): { label: 0 | 1; ret: number } =>
    rand() < winRate ? { label: 1, ret: 0.008 } : { label: 0, ret: -0.012 };

  /** Share of runs rolled back at some check: 500 warm-up trades, the model judged every 10 trades up to 500. */
  function rolledBackShare(modelWinRate: number, runs: number, z = ROLLBACK_Z): number {
    let rolledBack = 0;
    for (let r = 0; r < runs; r++) {
      const rand = seededRandom(1000 + r);
      const warmup = summariseOutcomes(Array.from({ length: 500 }, () => trade(rand, 0.5)));
      const live: Array<{ label: 0 | 1; ret: number }> = [];
      while (live.length < 500) {
        for (let k = 0; k < 10; k++) live.push(trade(rand, modelWinRate));
        const model = summariseOutcomes(live);
        const c = { model, warmup, difference: null, decisive: meanReturnDifference(model, warmup, z) };
        if (judgeLiveModel(c, 50) === 'rollback') {
          rolledBack++;
          break;
        }
      }
    }
    return rolledBack / runs;
  }

  it('rolls back a model exactly as good as warm-up in at most 1 % of lifetimes of 46 checks', () => {
    const share = rolledBackShare(0.5, 600);
    console.log(`model as good as warm-up: rolled back in ${(share * 100).toFixed(1)} % of 600 lifetimes`);
    expect(share).toBeLessThanOrEqual(0.01);
  });

  it('would roll back such a model far more often with the 95 % interval shown beside the figures', () => {
    const share = rolledBackShare(0.5, 600, 1.959963984540054);
    console.log(`the same with a 95 % interval: rolled back in ${(share * 100).toFixed(1)} % of 600 lifetimes`);
    expect(share).toBeGreaterThan(0.05);
  });

  it('still rolls back a model 0.4 points worse per trade (30 % against 50 % wins) in nearly every lifetime', () => {
    const share = rolledBackShare(0.3, 200);
    console.log(`model 0.4 points worse: rolled back in ${(share * 100).toFixed(1)} % of 200 lifetimes`);
    expect(share).toBeGreaterThanOrEqual(0.95);
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
