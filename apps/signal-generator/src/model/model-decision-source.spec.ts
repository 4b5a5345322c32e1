import { buildFeatures, featureInputFromSignal, featureVectorHash } from '@model-service/features';
import type { Predictor } from '@model-service/ml/inference';

import { testAccount, testMarket, testStrategy } from '../checks/check-fixtures.testing';
import { MarketView } from '../market-data/market-data-cache';
import { RiskPosition } from '../risk/position-risk.reader';
import { buildSnapshot } from '../runner/signal-builder';
import { DecisionInput, SignalDecision } from '../decision/decision-source';
import { InferenceRecord, ModelDecisionDeps, ModelDecisionSource, TAKE_PROFIT_REASON } from './model-decision-source';
import { LoadedModel } from './model-loader';

const NOW = Date.UTC(2026, 2, 4, 5, 6, 7, 890);
const MARKET: MarketView = testMarket({
  change24hPct: 1,
  indicators: { return_1: 0.001, return_5: 0.002, return_15: null, rsi_14: 55, ema_ratio: 0.001, atr_14: 20, atr_pct: 0.04, bollinger_pctb: 0.6, volume_zscore: 0.3, volatility: 0.001, candles: 40 },
  depth: { bid_depth: 5, ask_depth: 3, imbalance: 0.25 },
  tickerTs: NOW,
  ageMs: 10,
});

const flat: RiskPosition = { source: 'position_manager', size: 0, unrealizedPnlPct: null, sizeNorm: 0 };
/** The strategy holds a position (what makes a SELL a candidate). */
const holding: RiskPosition = { source: 'position_manager', size: 0.1, unrealizedPnlPct: 0, sizeNorm: 0.1 };

function harness(opts: { out?: [number, number]; position?: RiskPosition | (() => Promise<RiskPosition>); throws?: boolean; minConfidence?: number } = {}) {
  let disposed = 0;
  let predictions = 0;
  const predictor = {
    predictBatch: () => {
      predictions++;
      if (opts.throws) throw new Error('predictor for model v1 has been disposed');
      return Float32Array.from(opts.out ?? [0.8, 0.3]);
    },
    dispose: () => void disposed++,
  } as unknown as Predictor;
  const model: LoadedModel = { version: 'v1', strategyId: 'momentum_v1', checksum: 'c', dir: '/m/v1', predictor, calibrate: (p) => p, modelType: 'logistic', accuracy: 0.8, loadedAt: NOW };
  const records: InferenceRecord[] = [];
  const failures: unknown[] = [];
  const position = opts.position ?? holding;
  const deps: ModelDecisionDeps = {
    position: typeof position === 'function' ? position : async () => position,
    minConfidence: opts.minConfidence ?? 0.55,
    takeProfitPct: 3,
    inferred: (r) => records.push(r),
    failed: (e) => failures.push(e),
    retireGraceMs: 0,
  };
  const strategy = testStrategy({ min_amount: 10, max_amount: 100 });
  const source = new ModelDecisionSource(model, strategy, deps);
  const account = testAccount();
  const input: DecisionInput = { strategy, asset: 'BTCUSDT', market: MARKET, account, snapshot: buildSnapshot(MARKET, account), now: NOW };
  return { source, input, records, failures, disposed: () => disposed, predictions: () => predictions };
}

const at = (pnl: number | null, size = 0.1, sizeNorm = 0.1): RiskPosition => ({ source: 'cache', size, unrealizedPnlPct: pnl, sizeNorm });

describe('ModelDecisionSource', () => {
  it('signals the likelier side with its probability as confidence, the amount scaled by it, and the feature hash', async () => {
    const h = harness({ out: [0.3, 0.775] });
    const d = (await h.source.decide(h.input)) as SignalDecision;
    expect(d).toMatchObject({ action: 'signal', side: 'sell', confidence: 0.775, amount: 55 });
    const sell = buildFeatures(featureInputFromSignal({ signal_type: 'sell', timestamp: new Date(NOW).toISOString(), market_data_snapshot: h.input.snapshot }));
    expect(d.details).toMatchObject({ model_version: 'v1', feature_set_version: 'fs-1', feature_vector_hash: featureVectorHash(sell), p_buy: expect.closeTo(0.3, 6), p_sell: expect.closeTo(0.775, 6) });
    expect(h.records).toHaveLength(1);
    expect(h.records[0]).toMatchObject({ asset: 'BTCUSDT', version: 'v1', timestamp: '2026-03-04T05:06:07.890Z', hash: featureVectorHash(sell) });
    expect(h.source).toMatchObject({ mode: 'model', modelVersion: 'v1' });
  });

  describe("without the strategy's own position a SELL is not a candidate", () => {
    it('flat: the model prefers sell (0.775) but the decision is the BUY (0.6)', async () => {
      const h = harness({ out: [0.6, 0.775], position: flat });
      const d = (await h.source.decide(h.input)) as SignalDecision;
      expect(d).toMatchObject({ action: 'signal', side: 'buy', confidence: 0.6 });
      const buy = buildFeatures(featureInputFromSignal({ signal_type: 'buy', timestamp: new Date(NOW).toISOString(), market_data_snapshot: h.input.snapshot }));
      expect(d.details?.['feature_vector_hash']).toBe(featureVectorHash(buy));
      expect(d.reason).toContain('sell not a candidate');
    });

    it('flat, and the BUY below the minimum confidence: skipped as low confidence', async () => {
      const h = harness({ out: [0.4, 0.9], position: flat });
      expect(await h.source.decide(h.input)).toMatchObject({ action: 'skip', reason: 'low_confidence' });
    });
  });

  it.each<[string, number | null, number, boolean]>([
    ['exactly at the threshold', 3, 0.1, false],
    ['just above it', 3.0001, 0.1, true],
    ['far above it', 12, 0.25, true],
    ['unknown PnL', null, 0.1, false],
    ['above it but flat', 5, 0, false],
  ])('take profit with unrealized PnL %s', async (_name, pnl, size, triggered) => {
    const h = harness({ out: [0.9, 0.1], position: at(pnl, size) });
    const d = (await h.source.decide(h.input)) as SignalDecision;
    if (triggered) {
      expect(d).toMatchObject({ action: 'signal', side: 'sell', confidence: 1, reason: TAKE_PROFIT_REASON, amount: size * 50_000 });
      expect(d.details).toMatchObject({ rule: 'take_profit', unrealized_pnl_pct: pnl, closes_position: true, position_source: 'cache' });
      expect(h.predictions()).toBe(0); // decided before any inference
    } else {
      expect(d).toMatchObject({ action: 'signal', side: 'buy' });
      expect(h.predictions()).toBe(1);
    }
  });

  it.each<[number, string]>([
    [0.55, 'signal'],
    [0.5499, 'skip'],
  ])('publishes only from MODEL_SIGNAL_MIN_CONFIDENCE (0.55): confidence %d -> %s', async (p, action) => {
    const h = harness({ out: [p, 0.1] });
    const d = await h.source.decide(h.input);
    expect(d.action).toBe(action);
    if (d.action === 'skip') expect(d).toMatchObject({ reason: 'low_confidence', detail: expect.stringContaining('below MODEL_SIGNAL_MIN_CONFIDENCE 0.55') });
  });

  it.each<[string, [number, number], number, string]>([
    ['a BUY at exactly the ratio', [0.9, 0.1], 0.8, 'signal'],
    ['a BUY above the ratio', [0.9, 0.1], 0.8001, 'position_size_limit'],
    ['a SELL above the ratio', [0.1, 0.9], 0.95, 'signal'],
  ])('position size (max ratio 0.8): %s', async (_name, out, norm, outcome) => {
    const h = harness({ out, position: at(0, 1, norm) });
    const d = await h.source.decide(h.input);
    expect(d.action === 'skip' ? d.reason : d.action).toBe(outcome);
  });

  it('a model that throws skips the decision (inference_failed) and reports it', async () => {
    const h = harness({ throws: true });
    expect(await h.source.decide(h.input)).toMatchObject({ action: 'skip', reason: 'inference_failed' });
    expect(h.failures).toHaveLength(1);
  });

  it('frees a retired model only after the decision that was using it has finished', async () => {
    let release: (p: RiskPosition) => void = () => undefined;
    const h = harness({ position: () => new Promise<RiskPosition>((r) => (release = r)) });
    const running = h.source.decide(h.input);
    h.source.retire();
    expect(h.disposed()).toBe(0);
    release(flat);
    expect(await running).toMatchObject({ action: 'signal' });
    expect(h.disposed()).toBe(1);
    h.source.retire();
    expect(h.disposed()).toBe(1);
  });
});
