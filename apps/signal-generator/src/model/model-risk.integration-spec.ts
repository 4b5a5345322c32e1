import { PositionRepository } from '@model-service/repositories';
import { examplePositionUpdate } from '@model-service/signals/testing';
import { sleep } from '@model-service/util';

import { ReceivedSignal } from '../testing/architecture-signal-consumer.testing';
import { publishToFanout, registerTestModel, writeTestModel } from '../testing/model-fixtures.testing';
import { ModelModeWorld, RABBITMQ_URL } from '../testing/model-mode-world.testing';
import { PositionManagerStub, StubBehaviour, stubPosition } from '../testing/position-manager-stub.testing';
import { TAKE_PROFIT_REASON } from './model-decision-source';

const STRATEGY = 'risk_buyer';
const VERSION = 'risk_buyer-v1';
const KEY = 'pm-key-for-risk-test';

/**
 * The model's risk rules in the running app against a real HTTP position manager: take profit, the
 * position-size limit, the cache and its invalidation by position events (the fanout exchange
 * exit-strategy republishes on), and the fallback to the positions table when the position manager
 * times out, fails or answers garbage.
 */
describe('model mode risk rules with a position manager', () => {
  let world: ModelModeWorld;
  let stub: PositionManagerStub;

  beforeAll(async () => {
    stub = new PositionManagerStub(KEY);
    const url = await stub.start();
    stub.set('BTCUSDT', { kind: 'positions', positions: [stubPosition({ asset: 'BTCUSDT', strategyId: STRATEGY, size: 0.1, pnlPct: 1 })] });
    world = await ModelModeWorld.create({ name: 'sgrisk', assets: ['BTCUSDT'] });
    await registerTestModel(world.versions, await writeTestModel(world.storage, { version: VERSION, strategyId: STRATEGY, rule: 'always_buy' }));
    await world.versions.activate(VERSION, STRATEGY);
    await world.start(
      {
        TRADING_STRATEGIES: JSON.stringify([{ id: STRATEGY, heuristic: 'momentum', assets: ['BTCUSDT'], frequency_seconds: 0.5 }]),
        POSITION_MANAGER_URL: url,
        POSITION_MANAGER_API_KEY: KEY,
        POSITION_MANAGER_TIMEOUT_MS: '200',
        POSITION_CACHE_TTL_SECONDS: '30',
      },
      { captureLogs: true },
    );
  }, 120_000);

  afterAll(async () => {
    await world?.close();
    await stub?.stop();
  }, 60_000);

  const ours = (r: ReceivedSignal): boolean => r.signal.strategy_id === STRATEGY;

  /** A position change, as exit-strategy republishes it: drops the cached answer in every replica. */
  async function positionChanged(): Promise<number> {
    const at = Date.now();
    await publishToFanout(RABBITMQ_URL, world.names.positionEventsExchange, examplePositionUpdate({ asset: 'BTCUSDT', strategy_id: STRATEGY, timestamp: new Date().toISOString() }));
    return at;
  }

  async function change(behaviour: StubBehaviour): Promise<number> {
    stub.set('BTCUSDT', behaviour);
    return positionChanged();
  }

  it('follows the model while in profit below the threshold, answering from the cache', async () => {
    const first = await world.waitForSignal(ours, 0, 10_000, 'a model signal');
    expect(first.signal).toMatchObject({ is_warmup: false, model_version: VERSION, signal_type: 'buy' });
    expect(first.signal.metadata).toMatchObject({ unrealized_pnl_pct: 1, position_size: 0.1 });
    await sleep(1_500);
    // In profit now, but nobody said the position changed: the cached answer (TTL 30 s) still holds.
    stub.set('BTCUSDT', { kind: 'positions', positions: [stubPosition({ asset: 'BTCUSDT', strategyId: STRATEGY, size: 0.1, pnlPct: 5 })] });
    const since = Date.now();
    await sleep(1_500);
    const recent = world.reader.received.filter((r) => ours(r) && r.receivedAt > since);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((r) => r.signal.signal_type === 'buy' && r.signal.metadata['position_source'] === 'cache')).toBe(true);
    expect(stub.requestsFor('BTCUSDT')).toHaveLength(1);
    expect(stub.requests.every((r) => r.apiKey === KEY)).toBe(true);
  }, 30_000);

  it('a position event invalidates the cache: the next decision sees +5 % and closes the position (take profit)', async () => {
    const at = await positionChanged();
    const tp = await world.waitForSignal((r) => ours(r) && r.signal.metadata['reason'] === TAKE_PROFIT_REASON, at, 3_000, 'a take-profit SELL');
    expect(tp.signal).toMatchObject({ signal_type: 'sell', confidence: 1, is_warmup: false, model_version: VERSION });
    expect(tp.signal.amount).toBeCloseTo(0.1 * tp.signal.market_data_snapshot.price, 4);
    expect(tp.signal.metadata).toMatchObject({ rule: 'take_profit', unrealized_pnl_pct: 5, position_source: 'position_manager', closes_position: true, take_profit_pct: 3 });
  }, 30_000);

  it('skips BUYs while the position exceeds MODEL_SERVICE_MAX_POSITION_SIZE_RATIO', async () => {
    const at = await change({ kind: 'positions', positions: [stubPosition({ asset: 'BTCUSDT', strategyId: STRATEGY, size: 1, pnlPct: 0.5, sizeNorm: 0.85 })] });
    await sleep(2_500);
    expect(world.reader.received.filter((r) => ours(r) && r.receivedAt > at + 500)).toEqual([]);
    expect(await world.metrics()).toMatch(/model_service_signals_skipped_total\{reason="position_size_limit",strategy_id="risk_buyer"\} [1-9]/);
  }, 30_000);

  it('falls back to the positions table on 5xx, timeouts and malformed answers, logging the outage once', async () => {
    await new PositionRepository(world.db.dataSource).upsert({
      asset: 'BTCUSDT', strategyId: STRATEGY, size: 0.2, averageEntryPrice: 48_000, currentPrice: 50_000, unrealizedPnl: 400, unrealizedPnlPct: 4.2, realizedPnl: 0, openedAt: new Date(),
    });
    for (const behaviour of [
      { kind: 'status', status: 500 },
      { kind: 'delay', ms: 2_000, then: { kind: 'flat' } },
      { kind: 'raw', body: '{"positions": [ {"size": ' },
    ] as StubBehaviour[]) {
      const at = await change(behaviour);
      const tp = await world.waitForSignal((r) => ours(r) && r.receivedAt > at + 300 && r.signal.metadata['position_source'] === 'positions_table', at, 4_000, `a signal while the position manager gives ${JSON.stringify(behaviour)}`);
      expect(tp.signal).toMatchObject({ signal_type: 'sell', confidence: 1, metadata: { reason: TAKE_PROFIT_REASON, unrealized_pnl_pct: 4.2, position_size: 0.2 } });
      expect(stub.requestsFor('BTCUSDT').some((r) => r.at >= at)).toBe(true); // asked (after the event), not skipped
    }
    expect(await world.metrics()).toMatch(/model_service_position_manager_degraded 1/);
    const health = await world.health();
    expect(health['position_manager']).toMatchObject({ configured: true, degraded: true, fallbacks: expect.any(Number) });

    // It answers again (flat now): back to the model, one recovery line.
    await new PositionRepository(world.db.dataSource).upsert({
      asset: 'BTCUSDT', strategyId: STRATEGY, size: 0, averageEntryPrice: 0, currentPrice: 50_000, unrealizedPnl: 0, unrealizedPnlPct: 0, realizedPnl: 80, openedAt: new Date(), closedAt: new Date(),
    });
    const at = await change({ kind: 'flat' });
    const buy = await world.waitForSignal((r) => ours(r) && r.signal.signal_type === 'buy', at, 4_000, 'a model BUY after recovery');
    expect(buy.signal.metadata).toMatchObject({ position_source: expect.stringMatching(/position_manager|cache/), position_size: 0 });
    const outage = world.logs.filter((l) => l['context'] === 'PositionRisk').map((l) => l['msg']);
    expect(outage).toEqual(['position manager unavailable: using the positions table until it answers again', 'position manager answers again']);
    expect(await world.metrics()).toMatch(/model_service_position_manager_degraded 0/);
  }, 60_000);
});
