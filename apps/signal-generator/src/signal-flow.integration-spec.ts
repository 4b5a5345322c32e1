import { randomBytes } from 'node:crypto';

import { OrderRepository, TradingSignalRepository } from '@model-service/repositories';
import { parse, topology, TradingSignal } from '@model-service/signals';
import { configureLogging, MetricsRegistry, sleep } from '@model-service/util';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { AppModule } from './app.module';
import { ReceivedSignal } from './testing/architecture-signal-consumer.testing';
import { AMPLE_FUNDS, closeFlow, FlowMarket, flowTestEnv, openFlowMarket } from './testing/flow-harness.testing';

const ASSETS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
/** short_selling: these streams test frequency and storage; a flat account would skip every SELL a heuristic makes. */
const STRATEGIES = [
  { id: 'mom_btc_eth', heuristic: 'momentum', assets: ['BTCUSDT', 'ETHUSDT'], frequency_seconds: 2, randomness: 0.2, short_selling: true },
  { id: 'mr_eth_sol', heuristic: 'mean_reversion', assets: ['ETHUSDT', 'SOLUSDT'], frequency_seconds: 2.5, short_selling: true },
  { id: 'rnd_all', heuristic: 'random', assets: ASSETS, frequency_seconds: 2, min_amount: 20, max_amount: 200, short_selling: true },
  { id: 'mom_sol', heuristic: 'momentum', assets: ['SOLUSDT'], frequency_seconds: 1.5, short_selling: true },
  { id: 'mr_btc', heuristic: 'mean_reversion', assets: ['BTCUSDT'], frequency_seconds: 3, risk: { rate_limit_per_minute: 600 }, short_selling: true },
];
const period = (id: string): number => STRATEGIES.find((s) => s.id === id)!.frequency_seconds * 1000;

describe('signal-generator warm-up: 5 strategies on 3 assets from replayed market data', () => {
  const prefix = `sgflow.${randomBytes(4).toString('hex')}.`;
  const names = topology(prefix);
  let market: FlowMarket;
  let app: INestApplication;
  let ticking: NodeJS.Timeout | undefined;
  let paused = new Set<string>();
  let klineStart = 0;

  beforeAll(async () => {
    configureLogging({ service: 'signal-generator-test', level: 'warn' });
    market = await openFlowMarket('sgflow', names, AMPLE_FUNDS);
    const { replay } = market;
    // History first: 40 closed 1-minute klines per asset (one in the gateway envelope), an order book, a ticker.
    for (const [i, asset] of ASSETS.entries()) {
      await replay.klineHistory(asset, 40, '1', i === 1);
      await replay.orderbook(asset);
      await replay.ticker(asset);
    }
    klineStart = Math.floor(Date.now() / 60_000) * 60_000;
    let n = 0;
    ticking = setInterval(() => {
      n++;
      for (const asset of ASSETS) {
        if (paused.has(asset)) continue;
        void replay.ticker(asset).catch(() => undefined);
        if (n % 4 === 0) void replay.orderbook(asset, { type: n % 8 === 0 ? 'snapshot' : 'delta' }).catch(() => undefined);
        if (n % 8 === 0) void replay.kline(asset, (klineStart += 60_000)).catch(() => undefined);
      }
    }, 250);

    const config = flowTestEnv(market.db, prefix, STRATEGIES, {
      SIGNAL_GENERATION_RATE_LIMIT: '6000',
      SIGNAL_GENERATION_BURST_ALLOWANCE: '100',
      MARKET_DATA_MAX_AGE_SECONDS: '3',
      SIGNAL_GENERATION_REPLICA_ID: 'flow-test',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await closeFlow({ ticking, app, ...market, names });
  }, 60_000);

  const streams = (signals: ReceivedSignal[]): Map<string, ReceivedSignal[]> => {
    const m = new Map<string, ReceivedSignal[]>();
    for (const r of signals) {
      const key = `${r.signal.strategy_id}/${r.signal.asset}`;
      m.set(key, [...(m.get(key) ?? []), r]);
    }
    return m;
  };

  it('emits valid warm-up signals at each strategy frequency (within 10 %), all stored in trading_signals', async () => {
    await sleep(21_000);
    const got = [...market.reader.received];
    expect(market.reader.rejected).toEqual([]);
    const byStream = streams(got);
    const expected = STRATEGIES.flatMap((s) => s.assets.map((a) => `${s.id}/${a}`)).sort();
    expect([...byStream.keys()].sort()).toEqual(expected);

    for (const [key, list] of byStream) {
      const p = period(key.split('/')[0]);
      const times = list.map((r) => Date.parse(r.signal.timestamp)).sort((a, b) => a - b);
      const meanInterval = (times[times.length - 1] - times[0]) / (times.length - 1);
      expect({ key, ok: Math.abs(meanInterval - p) <= 0.1 * p, meanInterval, count: times.length }).toMatchObject({ key, ok: true });
      expect(times.length).toBeGreaterThanOrEqual(Math.floor(17_000 / p));
    }

    const confidences = new Set<number>();
    for (const { signal } of got) {
      const parsed = parse(TradingSignal, signal);
      expect(parsed).toMatchObject({ is_warmup: true, model_version: null });
      const snap = signal.market_data_snapshot;
      expect(snap.technical_indicators).toMatchObject({ candles: expect.any(Number), rsi_14: expect.any(Number), ema_ratio: expect.any(Number) });
      expect(snap.orderbook_depth).toMatchObject({ bid_depth: expect.any(Number), ask_depth: expect.any(Number) });
      expect(snap).toMatchObject({ open_orders_count: 0, position_size_norm: 0, has_position: false });
      expect(signal.metadata).toMatchObject({ reason: expect.stringContaining('warm-up'), replica_id: 'flow-test' });
      confidences.add(signal.confidence);
    }
    expect(confidences.size).toBeGreaterThan(got.length / 2);

    // Controlled random: BUY and SELL balanced per stream.
    for (const asset of ASSETS) {
      const sides = byStream.get(`rnd_all/${asset}`)!.map((r) => r.signal.signal_type);
      const lean = sides.filter((s) => s === 'buy').length - sides.filter((s) => s === 'sell').length;
      expect(Math.abs(lean)).toBeLessThanOrEqual(2);
    }

    const repo = new TradingSignalRepository(market.db.dataSource);
    const deadline = Date.now() + 10_000;
    let missing = got.map((r) => r.signal.signal_id);
    while (missing.length > 0 && Date.now() < deadline) {
      const found = await Promise.all(missing.map((id) => repo.findBySignalId(id)));
      missing = missing.filter((_, i) => found[i] === null);
      if (missing.length > 0) await sleep(200);
    }
    expect(missing).toEqual([]);
    const row = await repo.findBySignalId(got[0].signal.signal_id);
    expect(row).toMatchObject({ strategyId: got[0].signal.strategy_id, isWarmup: true, modelVersion: null, asset: got[0].signal.asset });
    expect(row!.publishedAt).toBeInstanceOf(Date);
  }, 60_000);

  it('skips, logs and counts by reason: an open order of the strategy, and stale market data', async () => {
    const orders = new OrderRepository(market.db.dataSource);
    await orders.insert({ orderId: `o-${randomBytes(4).toString('hex')}`, strategyId: 'mr_btc', asset: 'BTCUSDT', side: 'Buy', orderType: 'Market', quantity: 0.01 });
    paused = new Set(['SOLUSDT']);
    const since = Date.now();
    await sleep(9_000);
    const recent = market.reader.received.filter((r) => r.receivedAt > since + 1_000);
    const keys = new Set(recent.map((r) => `${r.signal.strategy_id}/${r.signal.asset}`));
    expect(keys.has('mr_btc/BTCUSDT')).toBe(false);
    // SOL ticks stopped: after MARKET_DATA_MAX_AGE_SECONDS (3 s) nothing more for SOL.
    expect(recent.filter((r) => r.signal.asset === 'SOLUSDT' && r.receivedAt > since + 4_000)).toEqual([]);
    expect(keys.has('mom_btc_eth/BTCUSDT')).toBe(true);

    const metrics = await app.get(MetricsRegistry).text();
    expect(metrics).toMatch(/model_service_signals_skipped_total\{reason="open_order",strategy_id="mr_btc"\} [1-9]/);
    expect(metrics).toMatch(/model_service_signals_skipped_total\{reason="stale_market_data",strategy_id="mom_sol"\} [1-9]/);
    expect(metrics).toMatch(/model_service_signals_published_total\{strategy_id="rnd_all",asset="BTCUSDT",signal_type="(buy|sell)",mode="warmup"\} [1-9]/);
  }, 30_000);
});
