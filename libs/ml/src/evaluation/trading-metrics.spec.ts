import { baselineMetrics } from './baseline-metrics';
import { tradingMetrics } from './trading-metrics';

describe('tradingMetrics', () => {
  it('follows the model: trades where p >= threshold, hand-computed figures', () => {
    // taken: 0.02 (p 0.7), -0.01 (p 0.6 == threshold), 0.03 (p 0.9); skipped: 0.5 (p 0.59)
    const m = tradingMetrics([0.7, 0.6, 0.59, 0.9], [0.02, -0.01, 0.5, 0.03], 0.6);
    expect(m.trades).toBe(3);
    expect(m.win_rate).toBeCloseTo(2 / 3, 12);
    expect(m.total_return).toBeCloseTo(0.04, 12);
    const mean = 0.04 / 3;
    expect(m.mean_return).toBeCloseTo(mean, 12);
    const sd = Math.sqrt(((0.02 - mean) ** 2 + (-0.01 - mean) ** 2 + (0.03 - mean) ** 2) / 2);
    expect(m.sharpe).toBeCloseTo(mean / sd, 12);
    expect(m.profit_factor).toBeCloseTo(0.05 / 0.01, 12);
  });

  it.each([
    {
      name: 'zero trades',
      prob: [0.1, 0.2],
      returns: [0.05, -0.02],
      expected: { trades: 0, win_rate: null, total_return: 0, mean_return: null, sharpe: null, profit_factor: null },
    },
    {
      name: 'one trade (no Sharpe from one sample)',
      prob: [0.9, 0.1],
      returns: [0.05, -0.02],
      expected: { trades: 1, win_rate: 1, total_return: 0.05, mean_return: 0.05, sharpe: null, profit_factor: null },
    },
    {
      name: 'only losses',
      prob: [0.9, 0.9],
      returns: [-0.01, -0.03],
      expected: { trades: 2, win_rate: 0, total_return: -0.04, mean_return: -0.02, profit_factor: 0 },
    },
    {
      name: 'identical returns (zero spread, Sharpe undefined)',
      prob: [0.9, 0.9, 0.9],
      returns: [0.01, 0.01, 0.01],
      expected: { trades: 3, win_rate: 1, total_return: 0.03, sharpe: null, profit_factor: null },
    },
    {
      name: 'a zero-return trade is neither win nor loss',
      prob: [0.9, 0.9],
      returns: [0, 0.02],
      expected: { trades: 2, win_rate: 0.5, total_return: 0.02, profit_factor: null },
    },
  ])('$name', ({ prob, returns, expected }) => {
    const m = tradingMetrics(prob, returns, 0.5);
    for (const [key, value] of Object.entries(expected)) {
      if (value === null) expect(m[key as keyof typeof m]).toBeNull();
      else expect(m[key as keyof typeof m]).toBeCloseTo(value, 12);
    }
  });

  it('rejects a non-finite return of a taken trade', () => {
    expect(() => tradingMetrics([0.9], [NaN], 0.5)).toThrow(RangeError);
  });
});

describe('baselineMetrics (majority class of the training labels)', () => {
  it.each([
    // yTrain, majority, positive rate
    [[1, 1, 0], 1, 2 / 3],
    [[0, 0, 1], 0, 1 / 3],
    [[1, 0], 1, 0.5], // a tie predicts 1
    [[], 0, 0],
  ])('train labels %j -> majority %s', (yTrain, majority, rate) => {
    const b = baselineMetrics(yTrain, [1, 0, 0, 0], [0.02, -0.01, -0.01, -0.01]);
    expect(b.majority_class).toBe(majority);
    expect(b.positive_rate).toBeCloseTo(rate, 12);
    // always predicting the majority on validation labels 1 0 0 0
    expect(b.classification.accuracy).toBeCloseTo(majority === 1 ? 0.25 : 0.75, 12);
    expect(b.classification.roc_auc).toBeCloseTo(0.5, 12); // a constant score ranks nothing
    expect(b.classification.brier).toBeCloseTo(((1 - rate) ** 2 + 3 * rate ** 2) / 4, 12);
    expect(b.trading.trades).toBe(majority === 1 ? 4 : 0);
    expect(b.trading.total_return).toBeCloseTo(majority === 1 ? -0.01 : 0, 12);
  });
});
