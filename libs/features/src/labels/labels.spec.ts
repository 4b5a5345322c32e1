import { ExecutionLike, LABEL_DEFAULTS, labelFromExecution, markToMarketLabel, priceAtHorizon } from './labels';

const EXEC: ExecutionLike = { side: 'buy', execution_price: 100, execution_quantity: 10, execution_fees: 1 }; // notional 1,000

describe('labelFromExecution — realised performance', () => {
  it.each<[string, ExecutionLike['performance'], object, 0 | 1, number]>([
    ['return_percent +1.5% → profitable', { return_percent: 1.5 }, {}, 1, 0.015],
    ['return_percent -0.2% → not', { return_percent: -0.2 }, {}, 0, -0.002],
    ['break-even is not profitable', { return_percent: 0, realized_pnl: 0 }, {}, 0, 0],
    ['return_percent wins over realized_pnl', { return_percent: 2, realized_pnl: -50 }, {}, 1, 0.02],
    ['realized_pnl only: pnl / notional', { realized_pnl: 10 }, {}, 1, 0.01],
    ['numeric strings (PostgreSQL numeric)', { realized_pnl: '-5', return_percent: null }, {}, 0, -0.005],
    ['gross figures: entry fees (1 / 1,000) subtracted', { return_percent: 0.05 }, { performanceIsNetOfFees: false }, 0, -0.0005],
    ['gross figures, still profitable', { return_percent: 0.2 }, { performanceIsNetOfFees: false }, 1, 0.001],
    ['exactly at minReturn is not profitable', { return_percent: 0.5 }, { minReturn: 0.005 }, 0, 0.005],
    ['just above minReturn is', { return_percent: 0.5001 }, { minReturn: 0.005 }, 1, 0.005001],
  ])('%s', (_name, performance, opts, label, ret) => {
    const r = labelFromExecution({ ...EXEC, performance: { ...performance } }, { ...opts, laterPrice: 50 })!;
    expect(r.source).toBe('realized');
    expect(r.label).toBe(label);
    expect(r.ret).toBeCloseTo(ret, 12);
  });
});

describe('labelFromExecution — mark to market', () => {
  // entry 100 × 10 = 1,000 notional, entry fee 1, exit fee 0.1% of the later notional
  it.each<[string, string, number, 0 | 1, number]>([
    // buy at 100, later 101: gross +10, minus 1, minus 1.01 → +7.99
    ['buy, price up', 'buy', 101, 1, 7.99 / 1000],
    // buy at 100, later 100.2: gross +2, minus 1, minus 1.002 → -0.002
    ['buy, price up less than the fees', 'buy', 100.2, 0, -0.002 / 1000],
    // buy at 100, later 99: gross -10, minus 1, minus 0.99 → -11.99
    ['buy, price down', 'buy', 99, 0, -11.99 / 1000],
    // sell at 100, later 99: gross +10, minus 1, minus 0.99 → +8.01
    ['sell, price down', 'sell', 99, 1, 8.01 / 1000],
    // sell at 100, later 101: gross -10, minus 1, minus 1.01 → -12.01
    ['sell, price up', 'sell', 101, 0, -12.01 / 1000],
    ['upper-case side', 'SELL', 99, 1, 8.01 / 1000],
  ])('%s', (_name, side, later, label, ret) => {
    const r = labelFromExecution({ ...EXEC, side, performance: { realized_pnl: null } }, { laterPrice: later })!;
    expect(r).toEqual({ label, ret: expect.closeTo(ret, 12), source: 'mark_to_market' });
  });

  it('break-even without fees is not profitable; a tick more is', () => {
    const base = { side: 'buy', entryPrice: 100, quantity: 1, fees: 0 };
    expect(markToMarketLabel(base, 100, { exitFeeRate: 0 })).toEqual({ label: 0, ret: 0, source: 'mark_to_market' });
    expect(markToMarketLabel(base, 100.01, { exitFeeRate: 0 }).label).toBe(1);
    expect(markToMarketLabel({ ...base, side: 'sell' }, 99.99, { exitFeeRate: 0 }).label).toBe(1);
  });

  it('a maker rebate (negative fee) counts in the trade’s favour', () => {
    const r = markToMarketLabel({ side: 'buy', entryPrice: 100, quantity: 1, fees: -0.05 }, 100, { exitFeeRate: 0 });
    expect(r.label).toBe(1);
    expect(r.ret).toBeCloseTo(0.0005, 12);
  });

  it.each<[string, ExecutionLike, unknown]>([
    ['no performance and no later price', EXEC, undefined],
    ['later price 0', EXEC, 0],
    ['later price not a number', EXEC, 'n/a'],
    ['execution price 0', { ...EXEC, execution_price: 0 }, 101],
    ['negative quantity', { ...EXEC, execution_quantity: -1 }, 101],
    ['unknown side', { ...EXEC, side: 'hold' }, 101],
    ['unusable price even with performance', { ...EXEC, execution_price: null, performance: { return_percent: 1 } }, 101],
  ])('null when it cannot be labelled: %s', (_name, exec, laterPrice) => {
    expect(labelFromExecution(exec, { laterPrice: laterPrice as number })).toBeNull();
  });

  it.each<[string, object, number]>([
    ['side', { side: 'hold' }, 101],
    ['entry price', { entryPrice: 0 }, 101],
    ['quantity', { quantity: Number.NaN }, 101],
    ['later price', {}, -1],
    ['fees', { fees: Number.POSITIVE_INFINITY }, 101],
  ])('markToMarketLabel rejects a bad %s', (_name, patch, later) => {
    expect(() => markToMarketLabel({ side: 'buy', entryPrice: 100, quantity: 1, fees: 0, ...patch }, later)).toThrow(RangeError);
  });

  it('defaults: 15 min horizon, 0.1% exit fee, break-even not profitable, performance net of fees', () => {
    expect(LABEL_DEFAULTS).toEqual({ horizonMs: 900_000, exitFeeRate: 0.001, minReturn: 0, performanceIsNetOfFees: true });
  });
});

describe('priceAtHorizon', () => {
  const times = [0, 10, 20];
  const prices = [1, 2, 3];
  it.each<[number, number, number | null]>([
    [0, 10, 2], // exactly at a sample
    [0, 5, 2], // first sample after the target
    [15, 5, 3],
    [16, 5, null], // the series does not reach the horizon yet
    [-100, 0, 1],
    [20, 0, 3],
  ])('from %i + %i → %p', (from, horizon, expected) => {
    expect(priceAtHorizon(times, prices, from, horizon)).toBe(expected);
  });

  it('empty series → null; default horizon is LABEL_DEFAULTS.horizonMs', () => {
    expect(priceAtHorizon([], [], 0, 0)).toBeNull();
    expect(priceAtHorizon([0, 899_999, 900_000], [1, 2, 3], 0)).toBe(3);
  });
});
