import { parse, TradingSignal } from '@model-service/signals';
import { FakeClock } from '@model-service/util/testing';

import { AccountState } from '../account/account-state';
import { WarmupDecisionSource } from '../decision/warmup-decision-source';
import { BalanceCheck } from '../checks/balance.check';
import { testAccount, testStrategy } from '../checks/check-fixtures.testing';
import { OpenOrderCheck } from '../checks/open-order.check';
import { PositionLimitCheck } from '../checks/position-limit.check';
import { RateLimitCheck } from '../checks/rate-limit.check';
import { MarketDataCache } from '../market-data/market-data-cache';
import { StrategyConfig } from '../strategies/strategy-config';
import { EvaluationResult, PipelinePorts, SignalPipeline } from './signal-pipeline';
import { StrategyRunner } from './strategy-runner';

const NOW = Date.now();

function harness(opts: { account?: AccountState; strategy?: StrategyConfig; owned?: boolean; publish?: () => Promise<void>; burst?: number } = {}) {
  const strategy = opts.strategy ?? testStrategy({ heuristic: 'momentum', assets: ['BTCUSDT'], min_amount: 10, max_amount: 100 });
  const cache = new MarketDataCache({ maxAgeMs: 60_000, depthLevels: 10 });
  const published: TradingSignal[] = [];
  const skips: string[] = [];
  const ports: PipelinePorts = {
    lookupMarket: (a, i) => cache.lookup(a, i),
    readAccount: async () => opts.account ?? testAccount(),
    confirmOwnership: async () => opts.owned ?? true,
    publish: async (s) => {
      await (opts.publish?.() ?? Promise.resolve());
      published.push(s);
    },
    skipped: (reason) => skips.push(reason),
    published: () => undefined,
    publishFailed: () => skips.push('publish_failed(counted)'),
  };
  const guards = [
    new OpenOrderCheck({ enabled: true, oppositeOnly: false }),
    new BalanceCheck({ enabled: true }),
    new PositionLimitCheck(),
    new RateLimitCheck({ ratePerMinute: 60, burst: opts.burst ?? 10 }, new FakeClock(NOW)),
  ];
  const pipeline = new SignalPipeline(ports, guards, 'replica-a');
  const runner = new StrategyRunner(strategy, new WarmupDecisionSource(strategy), { evaluate: (r, a, t) => pipeline.evaluate(r, a, t) });
  const run = (): Promise<EvaluationResult> => pipeline.evaluate(runner, 'BTCUSDT', { kind: 'schedule' });
  return { cache, published, skips, run, runner, pipeline };
}

function feed(cache: MarketDataCache, change = 2): void {
  cache.applyTicker({ asset: 'BTCUSDT', price: 50_000, bid: 49_999, ask: 50_001, volume_24h: 100, change_24h_pct: change, high_24h: 51_000, low_24h: 49_000, ts: Date.now() });
}

describe('SignalPipeline', () => {
  it('publishes a complete, contract-valid warm-up signal with the snapshot and state it decided on', async () => {
    const h = harness({ account: testAccount({ openOrders: { count: 0 }, position: { size: 0.01, value: 500, sizeNorm: 500 / 10_500 } }) });
    feed(h.cache);
    const out = await h.run();
    expect(h.skips).toEqual([]);
    expect(h.published).toHaveLength(1);
    const s = h.published[0];
    expect(parse(TradingSignal, s)).toBeTruthy();
    expect(out).toEqual({ published: s });
    expect(s).toMatchObject({
      signal_type: 'buy',
      asset: 'BTCUSDT',
      strategy_id: 'momentum_v1',
      model_version: null,
      is_warmup: true,
      market_data_snapshot: { price: 50_000, spread: 2, volume_24h: 100, open_orders_count: 0, position_size_norm: 500 / 10_500, has_position: true },
      metadata: { mode: 'warmup', trigger: 'schedule', replica_id: 'replica-a', reason: 'warm-up momentum: upward momentum' },
    });
    expect(Object.keys(s.market_data_snapshot.technical_indicators!)).toContain('rsi_14');
  });

  it.each<[string, Parameters<typeof harness>[0], string]>([
    ['an open order comes before the balance', { account: testAccount({ openOrders: { count: 1, buy: 1 }, balances: { quoteAvailable: 0 } }) }, 'open_order'],
    ['no USDT to buy with', { account: testAccount({ balances: { quoteAvailable: 5 } }) }, 'insufficient_balance'],
    ['the position is at its limit', { account: testAccount({ balances: { quoteAvailable: 100 }, position: { size: 1, value: 50_000, sizeNorm: 50_000 / 50_100 } }) }, 'position_limit'],
    ['another replica took the strategy', { owned: false }, 'ownership_lost'],
  ])('skips when %s', async (_name, opts, reason) => {
    const h = harness(opts);
    feed(h.cache);
    expect(await h.run()).toMatchObject({ skipped: reason });
    expect(h.skips).toEqual([reason]);
    expect(h.published).toEqual([]);
  });

  it('skips stale or missing market data before touching the account', async () => {
    const h = harness();
    expect(await h.run()).toMatchObject({ skipped: 'no_market_data' });
    h.cache.applyTicker({ asset: 'BTCUSDT', price: 50_000, ts: Date.now() - 61_000 });
    expect(await h.run()).toMatchObject({ skipped: 'stale_market_data', detail: expect.stringContaining('ticker of BTCUSDT is 61') });
    expect(h.skips).toEqual(['no_market_data', 'stale_market_data']);
  });

  it('rate-limits last: a burst of 2 lets two through', async () => {
    const h = harness({ burst: 2 });
    feed(h.cache);
    const results = [await h.run(), await h.run(), await h.run()];
    expect(results.map((r) => ('published' in r ? 'published' : r.skipped))).toEqual(['published', 'published', 'rate_limited']);
  });

  it('shrinks the amount in guard order (balance, then position limit) and says so in the metadata', async () => {
    const h = harness({ account: testAccount({ balances: { quoteAvailable: 20 } }) });
    feed(h.cache, 10); // strong momentum -> amount near max
    await h.run();
    // 20 USDT - 2 % margin = 19.6; then at most 0.8 x 20 = 16 in the position.
    expect(h.published[0].amount).toBeCloseTo(16, 8);
    expect(h.published[0].metadata).toMatchObject({
      guard_notes: [expect.stringContaining('to 19.6 USDT by the USDT balance'), expect.stringContaining('from 19.6 to 16 by the position limit')],
    });
    expect((h.published[0].metadata as Record<string, unknown>)['requested_amount']).toBeGreaterThan(90);
  });

  it('counts a failed publish and publishes nothing', async () => {
    const h = harness({ publish: () => Promise.reject(new Error('broker gone')) });
    feed(h.cache);
    expect(await h.run()).toMatchObject({ skipped: 'publish_failed', detail: 'broker gone' });
    expect(h.skips).toEqual(['publish_failed(counted)']);
    expect(h.published).toEqual([]);
  });

  it('carries the trace id of the market-data message that triggered it (a garbled one is replaced)', async () => {
    const h = harness({ burst: 5 });
    feed(h.cache);
    expect(await h.pipeline.evaluate(h.runner, 'BTCUSDT', { kind: 'market_data', traceId: 'trace-from-gateway-42' })).toMatchObject({
      published: { trace_id: 'trace-from-gateway-42', metadata: { trigger: 'market_data' } },
    });
    const out = await h.pipeline.evaluate(h.runner, 'BTCUSDT', { kind: 'market_data', traceId: 'has spaces in it' });
    expect('published' in out && out.published.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
