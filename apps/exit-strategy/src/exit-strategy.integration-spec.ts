import { PositionStateRepository, TradingSignalRepository } from '@model-service/repositories';
import { createTestDataSource, PositionStateEntity, TestDataSource } from '@model-service/repositories/testing';
import { INestApplication } from '@nestjs/common';

import { BrokerProbe, eventually, metricValue, positionUpdate, settle, startExitApp, uniquePrefix, UpdateOptions } from './testing/exit-app-harness.testing';

const T = Date.UTC(2026, 2, 1, 12);
const SECOND = 1_000;

/** Take profit 3 %, stop loss 2 %, trailing 1.5 % / 1 %, no time exit, 60 s cooldown. */
const RULES = {
  TAKE_PROFIT_ENABLED: 'true',
  TAKE_PROFIT_THRESHOLD_PCT: '3',
  STOP_LOSS_ENABLED: 'true',
  STOP_LOSS_THRESHOLD_PCT: '2',
  TRAILING_STOP_ENABLED: 'true',
  TRAILING_STOP_ACTIVATION_PCT: '1.5',
  TRAILING_STOP_DISTANCE_PCT: '1',
  TIME_BASED_EXIT_ENABLED: 'false',
  EXIT_STRATEGY_COOLDOWN_SECONDS: '60',
  EXIT_STRATEGY_DEBOUNCE_MS: '0',
  MODEL_SERVICE_LOG_LEVEL: 'error',
};

type Step = [price: number, options?: UpdateOptions];

describe('exit-strategy on the real broker and database', () => {
  let db: TestDataSource;
  let probe: BrokerProbe;
  let app: INestApplication | undefined;
  let env: Record<string, string>;
  let tick = 0;

  beforeEach(async () => {
    db = await createTestDataSource({ prefix: 'exit_it' });
    const prefix = uniquePrefix('exit');
    env = { ...RULES, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: prefix };
    probe = await BrokerProbe.open(prefix);
    tick = 0;
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await probe.destroy();
    await db.drop();
  });

  /** Feeds updates one at a time, one second apart, each evaluated before the next is sent. */
  async function feed(steps: Step[]): Promise<void> {
    for (const [price, options] of steps) {
      const before = await metricValue(app!, 'exit_updates_received_total');
      await probe.publish([positionUpdate(price, T + tick++ * SECOND, options)]);
      await eventually(async () => (await metricValue(app!, 'exit_updates_received_total')) > before, 'the update to be consumed');
      await settle(app!);
    }
  }

  it('turns a price path into exactly the expected exits, stored and republished, and dead-letters garbage', async () => {
    app = await startExitApp(env);
    const events = await probe.bindPositionEvents();
    const btc1: UpdateOptions = { positionId: 'btc-1' };
    const btc2: UpdateOptions = { positionId: 'btc-2', entry: 200 };
    const eth: UpdateOptions = { positionId: 'eth-1', asset: 'ETHUSDT', entry: 3000, size: 0.5, strategyId: null };

    await feed([[100, btc1], [100.8, btc1], [101.6, btc1], [102.5, btc1], [101.9, btc1]]);
    await probe.publish(['{"not":"a position"}', '{']);
    await feed([[101.475, btc1], [101, { ...btc1, size: 0 }]]); // trailing stop at peak 102.5 × 0.99, then closed
    await feed([[200, btc2], [197, btc2], [196, btc2]]); // −2 % exactly: stop loss
    await feed([[3000, eth], [3060, eth], [3089, eth], [3090, eth], [3100, eth]]); // +3 %: take profit; then cooldown

    const signals = await probe.take(probe.topology.tradingSignals);
    expect(signals.map((s) => [s['asset'], (s['metadata'] as Record<string, unknown>)['exit_reason'], s['amount']])).toEqual([
      ['BTCUSDT', 'trailing_stop', 202.95],
      ['BTCUSDT', 'stop_loss', 392],
      ['ETHUSDT', 'take_profit', 1545],
    ]);
    const [trailing, stop, takeProfit] = signals;
    expect(trailing).toMatchObject({ signal_type: 'sell', strategy_id: 'momentum', confidence: 1, is_warmup: false, model_version: null });
    const meta = trailing['metadata'] as Record<string, unknown>;
    expect(meta['reason']).toMatch(/^trailing stop at a profit/);
    expect(meta['rule_parameters']).toEqual({ activation_pct: 1.5, distance_pct: 1 });
    expect(meta['triggered_rules']).toEqual([expect.objectContaining({ rule: 'trailing_stop', peak_price: 102.5, stop_price: 101.475 })]);
    expect(meta['position']).toMatchObject({ position_id: 'btc-1', size: 2, current_price: 101.475, average_entry_price: 100 });
    expect(stop['metadata']).toMatchObject({ exit_reason: 'stop_loss', rule_parameters: { threshold_pct: 2 } });
    expect(takeProfit['strategy_id']).toBe('exit-strategy');
    expect(takeProfit['metadata']).toMatchObject({ exit_reason: 'take_profit', position: { strategy_id: null, current_price: 3090 } });

    // Every signal carries its update's trace id and is stored. The record writer stores what the
    // broker delivered to the records queue, after the publish was confirmed: wait for it.
    const repo = app.get(TradingSignalRepository);
    await eventually(async () => (await repo.list()).total >= 3, 'the exit signals to be stored');
    for (const s of signals) {
      const row = await repo.findBySignalId(String(s['signal_id']));
      expect(row).toMatchObject({ signalType: 'sell', asset: s['asset'], amount: s['amount'], traceId: s['trace_id'] });
    }
    expect((await repo.list()).total).toBe(3);

    // The ETH update above the threshold inside the cooldown was suppressed and counted.
    expect(await metricValue(app, 'exit_signals_suppressed_total', { reason: 'position_cooldown', exit_reason: 'take_profit' })).toBe(1);
    expect(await metricValue(app, 'exit_signals_total', { exit_reason: 'trailing_stop' })).toBe(1);

    // Closed positions are cleared; the open one keeps its state with the last exit time.
    await eventually(async () => (await app!.get(PositionStateRepository).all()).length === 2, 'closed states cleared');
    const states = await app.get(PositionStateRepository).all();
    expect(states.map((s) => [s.positionKey, s.peakPrice, s.lastExitSignalAt !== null])).toEqual([
      ['BTCUSDT:momentum', 200, true],
      ['ETHUSDT:-', 3100, true],
    ]);

    // Garbage went to the dead-letter queue and processing went on.
    expect(await probe.depth(`${probe.topology.positionUpdated}.dlq`)).toBe(2);

    // Position changes (opens, closes) were republished; price moves were not.
    await eventually(async () => (await probe.depth(events)) >= 4, 'position events');
    const republished = await probe.take(events);
    expect(republished.map((e) => [e['position_id'], e['size']])).toEqual([
      ['btc-1', 2],
      ['btc-1', 0],
      ['btc-2', 2],
      ['eth-1', 0.5],
    ]);
  });

  it('keeps an armed trailing stop across a restart and exits at the right price', async () => {
    const trailingOnly = { ...env, TAKE_PROFIT_ENABLED: 'false' };
    app = await startExitApp(trailingOnly);
    const eth: UpdateOptions = { positionId: 'eth-9', asset: 'ETHUSDT' };
    await feed([[100], [101.6], [104], [103.5]]);
    await feed([[95, eth], [100, eth]]); // ETH: −5 %: stop loss (its cooldown must survive the restart)
    expect((await probe.take(probe.topology.tradingSignals)).map((s) => s['asset'])).toEqual(['ETHUSDT']);
    await app.close();
    app = undefined;

    const saved = await db.dataSource.getRepository(PositionStateEntity).findOneByOrFail({ positionKey: 'BTCUSDT:momentum' });
    expect(saved).toMatchObject({ peakPrice: 104, trailingArmed: true });

    app = await startExitApp(trailingOnly);
    await feed([[95, eth]]); // still below the stop loss, but inside the restored cooldown
    await feed([[103], [102.97]]); // above 104 × 0.99 = 102.96: no exit
    expect(await probe.take(probe.topology.tradingSignals)).toEqual([]);
    await feed([[102.96]]);
    const [exit] = await probe.take(probe.topology.tradingSignals);
    expect(exit['metadata']).toMatchObject({
      exit_reason: 'trailing_stop',
      triggered_rules: [expect.objectContaining({ peak_price: 104, stop_price: 102.96, price: 102.96 })],
      position_state: { peak_price: 104, trailing_armed: true },
    });
    expect(await metricValue(app, 'exit_signals_suppressed_total', { reason: 'position_cooldown' })).toBe(1);
  });
});
