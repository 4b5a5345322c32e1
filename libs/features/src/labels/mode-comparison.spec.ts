import { compareModes, ExecutedDecision, formatModeOutcome, labelDecisions, meanReturnDifference, summariseOutcomes } from './mode-comparison';

const LABELS = { horizonMs: 60_000, exitFeeRate: 0.001, minReturn: 0 };

const decision = (i: number, mode: ExecutedDecision['mode'], side: string, price: number): ExecutedDecision => ({
  asset: 'BTCUSDT',
  mode,
  side,
  signalTimeMs: i * 60_000,
  signalPrice: price,
  executedAtMs: i * 60_000 + 1_000,
  executionPrice: price,
  executionQuantity: 1,
  executionFees: price * 0.001,
});

describe('summariseOutcomes', () => {
  it('win rate with its Wilson interval, mean return with ±1.96 standard errors', () => {
    const s = summariseOutcomes([
      { label: 1, ret: 0.02 },
      { label: 0, ret: -0.01 },
      { label: 1, ret: 0.01 },
      { label: 1, ret: 0.0 },
    ]);
    expect(s).toMatchObject({ n: 4, winRate: 0.75 });
    expect(s.winRateLow).toBeCloseTo(0.3006, 3);
    expect(s.winRateHigh).toBeCloseTo(0.9544, 3);
    expect(s.meanReturn).toBeCloseTo(0.005, 9);
    // sd = 0.012910, se = 0.006455
    expect(s.meanReturnLow).toBeCloseTo(0.005 - 1.96 * 0.0064550, 4);
    expect(formatModeOutcome(s)).toBe('n 4, win rate 75.00 % [30.06 %, 95.44 %], mean net return 0.500 % [-0.765 %, 1.765 %]');
  });

  it('nothing to summarise', () => {
    expect(summariseOutcomes([])).toMatchObject({ n: 0, winRate: null, meanReturn: null });
  });
});

describe('compareModes', () => {
  it('labels each mode as the trainer does (the move over the horizon in the side direction, net of fees) and leaves exits out', () => {
    const prices = [100, 102, 101, 99, 103, 104];
    const ds = [
      decision(0, 'warmup', 'buy', prices[0]), // → 102: +2 % - fees: win
      decision(1, 'warmup', 'sell', prices[1]), // → 101: +~1 % - fees: win
      decision(2, 'model', 'buy', prices[2]), // → 99: loss
      decision(3, 'exit', 'sell', prices[3]),
      decision(4, 'model', 'buy', prices[4]), // → 104: win
      decision(5, 'model', 'buy', prices[5]), // no later price: left out
    ];
    const c = compareModes(ds, LABELS);
    expect(c.warmup).toMatchObject({ n: 2, winRate: 1 });
    expect(c.model).toMatchObject({ n: 2, winRate: 0.5 });
    expect(c.warmup.meanReturn).toBeCloseTo(((102 - 100) / 100 - 0.001 - 0.00102 + (101 - 102) / -102 - 0.001 - 0.001 * (101 / 102)) / 2, 6);
  });
});

describe('labelDecisions', () => {
  it('labels index-aligned; exits and decisions without a later price are null', () => {
    const ds = [decision(0, 'model', 'buy', 100), decision(1, 'exit', 'sell', 101), decision(2, 'warmup', 'sell', 100)];
    const out = labelDecisions(ds, LABELS);
    expect(out[0]).toEqual({ label: 1, ret: expect.closeTo(0.01 - 0.001 - 0.00101, 9) });
    expect(out[1]).toBeNull();
    expect(out[2]).toBeNull();
  });
});

describe('meanReturnDifference', () => {
  const outcomes = (rets: number[]) => summariseOutcomes(rets.map((ret) => ({ label: ret > 0 ? 1 : 0, ret })));

  it('a minus b with a 95 % interval from both standard errors', () => {
    const a = outcomes([0.01, 0.03, 0.02, 0.02]); // mean 0.02, sd 0.008165, se 0.004082
    const b = outcomes([0.0, 0.01, -0.01, 0.0]); // mean 0, same se
    const d = meanReturnDifference(a, b)!;
    expect(d.difference).toBeCloseTo(0.02, 12);
    const half = 1.959963984540054 * Math.sqrt(2) * (Math.sqrt(2 / 3) / 100 / 2);
    expect(d.low).toBeCloseTo(0.02 - half, 9);
    expect(d.high).toBeCloseTo(0.02 + half, 9);
  });

  it('null unless both sides have two outcomes', () => {
    expect(meanReturnDifference(outcomes([0.01]), outcomes([0.01, 0.02]))).toBeNull();
    expect(meanReturnDifference(outcomes([0.01, 0.02]), outcomes([]))).toBeNull();
  });
});
