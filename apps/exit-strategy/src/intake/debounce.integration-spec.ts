import { PositionStateRepository } from '@model-service/repositories';
import { createTestDataSource, TestDataSource } from '@model-service/repositories/testing';
import { sleep } from '@model-service/util';
import { INestApplication } from '@nestjs/common';

import { BrokerProbe, eventually, metricValue, positionUpdate, settle, startExitApp, uniquePrefix } from '../testing/exit-app-harness.testing';

const T = Date.UTC(2026, 2, 1, 12);
const WINDOW_MS = 1_500;

/** 100 prices for one position: up from 100 to a 105 peak, then down to 104 (all after 3 % are take profits). */
function burst(startMs: number, prices: (i: number) => number): ReturnType<typeof positionUpdate>[] {
  return Array.from({ length: 100 }, (_, i) => positionUpdate(prices(i), startMs + i * 10));
}
const rampThenDip = (i: number): number => (i < 80 ? 100 + (5 * i) / 79 : 105 - (i - 79) / 20);

describe('debounce: a burst of updates for one position', () => {
  let db: TestDataSource;
  let probe: BrokerProbe;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'exit_debounce' });
    const prefix = uniquePrefix('debounce');
    probe = await BrokerProbe.open(prefix);
    app = await startExitApp({
      DATABASE_SCHEMA: db.schema,
      QUEUE_PREFIX: prefix,
      EXIT_STRATEGY_DEBOUNCE_MS: String(WINDOW_MS),
      EXIT_STRATEGY_COOLDOWN_SECONDS: '60',
      TAKE_PROFIT_ENABLED: 'true',
      TAKE_PROFIT_THRESHOLD_PCT: '3',
      TRAILING_STOP_ENABLED: 'true',
      TRAILING_STOP_ACTIVATION_PCT: '1.5',
      TRAILING_STOP_DISTANCE_PCT: '1',
    });
  });

  afterAll(async () => {
    await app?.close();
    await probe?.destroy();
    await db?.drop();
  });

  /**
   * Sends the burst and lets the debounce windows close by themselves (no flush): the window opened
   * by the leading evaluation, then the one opened by the trailing evaluation, so the position is
   * quiet again afterwards.
   */
  async function sendBurst(updates: ReturnType<typeof positionUpdate>[]): Promise<void> {
    const before = await metricValue(app, 'exit_updates_received_total');
    const evaluated = await metricValue(app, 'exit_evaluations_total');
    await probe.publish(updates);
    await eventually(async () => (await metricValue(app, 'exit_updates_received_total')) === before + updates.length, 'the burst');
    await eventually(async () => (await metricValue(app, 'exit_evaluations_total')) > evaluated, 'an evaluation');
    await sleep(2 * WINDOW_MS + 250);
  }

  it('evaluates the first update at once and the latest state once after it, keeps the peak seen inside the window, and signals at most once per cooldown', async () => {
    const first = burst(T, rampThenDip);
    await sendBurst(first);

    // leading edge: update 0 (no exit at 100) at once, then update 99 for the 98 coalesced behind it
    expect(await metricValue(app, 'exit_evaluations_total')).toBe(2);
    expect(await metricValue(app, 'exit_updates_coalesced_total')).toBe(98);
    const signals = await probe.take(probe.topology.tradingSignals);
    expect(signals).toHaveLength(1);
    expect(signals[0]['trace_id']).toBe(first[99].trace_id);
    expect(signals[0]['metadata']).toMatchObject({
      exit_reason: 'take_profit',
      position: { current_price: first[99].current_price, timestamp: first[99].timestamp },
      position_state: { peak_price: 105, trailing_armed: true },
    });
    await eventually(async () => (await app.get(PositionStateRepository).get('BTCUSDT:momentum'))?.peakPrice === 105, 'the peak');

    // A second burst inside the cooldown: two more evaluations (first and newest), both take profits suppressed.
    await sendBurst(burst(T + 5_000, (i) => 104 + i / 1000));
    expect(await metricValue(app, 'exit_evaluations_total')).toBe(4);
    expect(await metricValue(app, 'exit_signals_suppressed_total', { reason: 'position_cooldown' })).toBe(2);
    expect(await probe.take(probe.topology.tradingSignals)).toEqual([]);
  });

  it('drops an update older than one already accepted', async () => {
    const skippedBefore = await metricValue(app, 'exit_updates_skipped_total');
    const evaluationsBefore = await metricValue(app, 'exit_evaluations_total');
    const received = await metricValue(app, 'exit_updates_received_total');
    await probe.publish([positionUpdate(90, T + 1_000)]); // older than the bursts above; a stop loss if evaluated
    await eventually(async () => (await metricValue(app, 'exit_updates_received_total')) > received, 'the update');
    await settle(app);
    expect(await metricValue(app, 'exit_updates_skipped_total')).toBe(skippedBefore + 1);
    expect(await metricValue(app, 'exit_evaluations_total')).toBe(evaluationsBefore);
    expect(await probe.take(probe.topology.tradingSignals)).toEqual([]);
  });
});
