import { seededRandom } from '@model-service/util';
import { TechnicalIndicators } from '@model-service/features';

import { testAccount, testMarket, testStrategy } from '../checks/check-fixtures.testing';
import { MarketView } from '../market-data/market-data-cache';
import { buildSnapshot } from '../runner/signal-builder';
import { StrategyConfig } from '../strategies/strategy-config';
import { BalancedSideSampler } from './balanced-side-sampler';
import { DecisionInput, SignalDecision } from './decision-source';
import { meanReversionScore, momentumScore } from './warmup-heuristics';
import { WarmupDecisionSource } from './warmup-decision-source';

const NO_INDICATORS: TechnicalIndicators = {
  return_1: null,
  return_5: null,
  return_15: null,
  rsi_14: null,
  ema_ratio: null,
  atr_14: null,
  atr_pct: null,
  bollinger_pctb: null,
  volume_zscore: null,
  volatility: null,
  candles: 0,
};

function market(ind: Partial<TechnicalIndicators> | null, change24hPct: number | null = null): MarketView {
  return testMarket({ change24hPct, indicators: ind ? { ...NO_INDICATORS, ...ind } : null });
}

/** The strategy holds a position of its own unless told otherwise (so a SELL is a candidate). */
const HOLDING = testAccount({ position: { size: 0.01, own: true, value: 500, sizeNorm: 0.05 } });
const FLAT = testAccount();

const input = (strategy: StrategyConfig, m: MarketView, account = HOLDING): DecisionInput => ({
  strategy,
  asset: 'BTCUSDT',
  market: m,
  account,
  snapshot: buildSnapshot(m, account),
  now: 0,
});

describe('warm-up heuristics (hand-computed)', () => {
  it.each<[string, Partial<TechnicalIndicators> | null, number | null, number | null]>([
    // σ = 0.001: return_5 z = r / (σ√5); ema z = ratio / 2σ; score = tanh(mean).
    ['return_5 and ema agree up', { volatility: 0.001, return_5: 0.001 * Math.sqrt(5), ema_ratio: 0.002 }, null, Math.tanh(1)],
    ['return_5 down, ema flat', { volatility: 0.001, return_5: -0.002 * Math.sqrt(5), ema_ratio: 0 }, null, Math.tanh(-1)],
    ['only return_1 (few candles)', { volatility: 0.002, return_1: 0.001 }, null, Math.tanh(0.5)],
    ['no klines: 24 h change of +3 %', null, 3, Math.tanh(1.5)],
    ['nothing to go on', null, null, null],
  ])('momentum: %s', (_name, ind, change, expected) => {
    const s = momentumScore(market(ind, change));
    if (expected === null) expect(s).toBeNull();
    else expect(s!.score).toBeCloseTo(expected, 12);
  });

  it.each<[string, Partial<TechnicalIndicators> | null, number | null, number | null]>([
    ['oversold: RSI 30, %b 0', { rsi_14: 30, bollinger_pctb: 0 }, null, Math.tanh(1)],
    ['overbought: RSI 70, %b 1', { rsi_14: 70, bollinger_pctb: 1 }, null, Math.tanh(-1)],
    ['neutral: RSI 50, %b 0.5', { rsi_14: 50, bollinger_pctb: 0.5 }, null, 0],
    ['only RSI 40', { rsi_14: 40 }, null, Math.tanh(0.5)],
    ['no klines: 24 h change of +2 % reverts down', null, 2, Math.tanh(-1)],
    ['nothing to go on', null, null, null],
  ])('mean reversion: %s', (_name, ind, change, expected) => {
    const s = meanReversionScore(market(ind, change));
    if (expected === null) expect(s).toBeNull();
    else expect(s!.score).toBeCloseTo(expected, 12);
  });
});

describe('WarmupDecisionSource', () => {
  it('follows the heuristic: side from its sign, confidence (1 + |score|) / 2, amount scaled by strength', () => {
    const source = new WarmupDecisionSource(testStrategy({ heuristic: 'mean_reversion', min_amount: 10, max_amount: 110 }));
    const d = source.decide(input(testStrategy({ heuristic: 'mean_reversion' }), market({ rsi_14: 30, bollinger_pctb: 0 }))) as SignalDecision;
    const t = Math.tanh(1);
    expect(d).toMatchObject({ action: 'signal', side: 'buy', confidence: Math.round(((1 + t) / 2) * 1e4) / 1e4, reason: 'warm-up mean_reversion: oversold, expecting a rebound' });
    expect(d.amount).toBeCloseTo(10 + 100 * t, 6);
    expect(d.details).toMatchObject({ heuristic: 'mean_reversion', exploration: false, score_basis: 'indicators' });
  });

  it('a stronger signal means a higher confidence', () => {
    const s = testStrategy({ heuristic: 'momentum' });
    const source = new WarmupDecisionSource(s);
    const weak = source.decide(input(s, market({ volatility: 0.001, return_5: 0.0005 }))) as SignalDecision;
    const strong = source.decide(input(s, market({ volatility: 0.001, return_5: 0.005 }))) as SignalDecision;
    expect(weak.side).toBe('buy');
    expect(strong.confidence).toBeGreaterThan(weak.confidence);
    expect(weak.confidence).toBeGreaterThan(0.5);
  });

  it('skips with a reason when there is nothing to decide on', () => {
    const s = testStrategy({ heuristic: 'momentum' });
    expect(new WarmupDecisionSource(s).decide(input(s, market(null)))).toMatchObject({ action: 'skip', reason: 'insufficient_data' });
  });

  it('controlled random: balanced BUY/SELL in random order, amounts across [min, max], confidence measured against momentum', () => {
    const s = testStrategy({ heuristic: 'random', randomness: 1, min_amount: 10, max_amount: 100 });
    const source = new WarmupDecisionSource(s, seededRandom(7));
    const sides: string[] = [];
    const amounts: number[] = [];
    const m = market({ volatility: 0.001, return_5: 0.001 * Math.sqrt(5) }); // momentum score tanh(1)
    for (let i = 0; i < 1_000; i++) {
      const d = source.decide(input(s, m)) as SignalDecision;
      sides.push(d.side);
      amounts.push(d.amount);
      expect(d.confidence).toBeCloseTo(d.side === 'buy' ? (1 + Math.tanh(1)) / 2 : (1 - Math.tanh(1)) / 2, 4);
      expect(d.details).toMatchObject({ exploration: true });
      source.onPublished('BTCUSDT', d.side);
      const buys = sides.filter((x) => x === 'buy').length;
      expect(Math.abs(2 * buys - sides.length)).toBeLessThanOrEqual(2);
    }
    // Not a strict alternation: runs of the same side occur.
    const repeats = sides.filter((x, i) => i > 0 && x === sides[i - 1]).length;
    expect(repeats).toBeGreaterThan(150);
    expect(Math.min(...amounts)).toBeLessThan(15);
    expect(Math.max(...amounts)).toBeGreaterThan(95);
  });

  describe('a SELL is a candidate only with a position of its own', () => {
    const overbought = market({ rsi_14: 70, bollinger_pctb: 1 });
    it.each([
      ['flat', FLAT, false, 'skip'],
      ['holding only the shared position', testAccount({ position: { size: 0.01, own: false, value: 500, sizeNorm: 0.05 } }), false, 'skip'],
      ['holding its own position', HOLDING, false, 'signal'],
      ['flat but short selling configured', FLAT, true, 'signal'],
    ] as const)('heuristic says sell, %s -> %s', (_name, account, shortSelling, action) => {
      const s = testStrategy({ heuristic: 'mean_reversion', short_selling: shortSelling });
      const d = new WarmupDecisionSource(s).decide(input(s, overbought, account));
      expect(d.action).toBe(action);
      if (d.action === 'skip') expect(d.reason).toBe('no_position_to_sell');
      else expect(d.side).toBe('sell');
    });

    it('exploration while flat always buys (and never stalls on a SELL it cannot make)', () => {
      const s = testStrategy({ heuristic: 'random', randomness: 1 });
      const source = new WarmupDecisionSource(s, seededRandom(3));
      for (let i = 0; i < 5; i++) source.onPublished('BTCUSDT', 'buy'); // the sampler now leans hard towards SELL
      for (let i = 0; i < 50; i++) expect(source.decide(input(s, market({ volatility: 0.001, return_5: 0 }), FLAT))).toMatchObject({ action: 'signal', side: 'buy' });
    });
  });

  it.each([
    [0, 0],
    [0.3, 0.3],
    [1, 1],
  ])('randomness %d explores in about that share of decisions', (randomness, share) => {
    const s = testStrategy({ heuristic: 'momentum', randomness });
    const source = new WarmupDecisionSource(s, seededRandom(11));
    let explored = 0;
    for (let i = 0; i < 2_000; i++) {
      const d = source.decide(input(s, market({ volatility: 0.001, return_5: 0.001 }))) as SignalDecision;
      if (d.details?.['exploration']) explored++;
    }
    expect(explored / 2_000).toBeCloseTo(share, 1);
  });
});

describe('BalancedSideSampler', () => {
  it.each([
    [0, 0.5],
    [1, 0.25],
    [2, 0],
    [5, 0],
    [-1, 0.75],
    [-2, 1],
  ])('with %d more BUYs than SELLs, P(BUY) = %d', (lean, pBuy) => {
    const sampler = new BalancedSideSampler(seededRandom(3));
    for (let i = 0; i < Math.abs(lean); i++) sampler.record('k', lean > 0 ? 'buy' : 'sell');
    let buys = 0;
    for (let i = 0; i < 4_000; i++) if (sampler.pick('k') === 'buy') buys++;
    expect(buys / 4_000).toBeCloseTo(pBuy, 1);
  });
});
