import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { ModelEventType } from '@model-service/signals';
import { sleep } from '@model-service/util';

import { ReceivedSignal } from '../testing/architecture-signal-consumer.testing';
import { modelEvent, publishModelEvent, registerTestModel, writeTestModel } from '../testing/model-fixtures.testing';
import { ModelModeWorld, RABBITMQ_URL } from '../testing/model-mode-world.testing';

const STRATEGY = 'ms_hot';
const PERIOD_MS = 1_000;
const V1 = 'ms_hot-v1-always-buy';
const V2 = 'ms_hot-v2-always-sell';

describe('signal-generator model mode: hot swap on model events, refusal, warm-up fallback, periodic check', () => {
  let world: ModelModeWorld;

  beforeAll(async () => {
    world = await ModelModeWorld.create({ name: 'sgswitch', assets: ['BTCUSDT', 'ETHUSDT'] });
    for (const [version, rule] of [[V1, 'always_buy'], [V2, 'always_sell']] as const) {
      await registerTestModel(world.versions, await writeTestModel(world.storage, { version, strategyId: STRATEGY, rule }));
    }
    await world.start({
      TRADING_STRATEGIES: JSON.stringify([
        { id: STRATEGY, heuristic: 'random', assets: ['BTCUSDT', 'ETHUSDT'], frequency_seconds: PERIOD_MS / 1000, min_amount: 10, max_amount: 100, short_selling: true },
        { id: 'ms_other', heuristic: 'random', assets: ['BTCUSDT'], frequency_seconds: 2, short_selling: true },
      ]),
      MODEL_SYNC_INTERVAL_SECONDS: '2',
    });
  }, 90_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  const ours = (r: ReceivedSignal): boolean => r.signal.strategy_id === STRATEGY;
  const exchange = (): string => world.names.modelEventsExchange;

  /** Applies a change in model_versions, publishes its event, and returns when the first signal from `version` arrived (ms). */
  async function switchTo(version: string | null, change: () => Promise<unknown>, event: ModelEventType): Promise<{ ms: number; signal: ReceivedSignal }> {
    await change();
    const at = Date.now();
    await publishModelEvent(RABBITMQ_URL, exchange(), modelEvent(event, STRATEGY, version));
    const signal = await world.waitForSignal((r) => ours(r) && r.signal.model_version === version && Date.parse(r.signal.timestamp) >= at, at, 5_000, `first signal of ${version ?? 'warm-up'}`);
    return { ms: signal.receivedAt - at, signal };
  }

  it('starts in warm-up, switches to each activated / rolled-back version within 5 s without a restart, and the stream has no gap or duplicate', async () => {
    const warm = await world.waitForSignal(ours, 0, 10_000, 'a warm-up signal');
    expect(warm.signal).toMatchObject({ is_warmup: true, model_version: null });
    expect(((await world.health())['strategies'] as Array<Record<string, unknown>>).find((s) => s['id'] === STRATEGY)).toMatchObject({ mode: 'warmup', model_version: null });

    const first = await switchTo(V1, () => world.versions.activate(V1, STRATEGY), 'model_activated');
    expect(first.ms).toBeLessThan(5_000);
    expect(first.signal.signal).toMatchObject({ is_warmup: false, model_version: V1, signal_type: 'buy' });
    expect(first.signal.signal.metadata).toMatchObject({ mode: 'model', model_version: V1, feature_set_version: 'fs-1', feature_vector_hash: expect.stringMatching(/^fs-1:[0-9a-f]{16}$/) });
    expect(first.signal.signal.confidence).toBeGreaterThanOrEqual(0.55);
    await sleep(2_500);

    const second = await switchTo(V2, () => world.versions.activate(V2, STRATEGY), 'model_activated');
    expect(second.signal.signal).toMatchObject({ is_warmup: false, model_version: V2, signal_type: 'sell' });
    await sleep(2_500);

    const back = await switchTo(V1, () => world.versions.rollback(STRATEGY), 'model_rolled_back');
    expect(back.signal.signal).toMatchObject({ is_warmup: false, model_version: V1, signal_type: 'buy' });
    expect(Math.max(first.ms, second.ms, back.ms)).toBeLessThan(5_000);
    await sleep(2_500);

    // Once a version is in use, every later signal of the strategy carries it (no old model after the swap).
    const sinceV2 = world.reader.received.filter((r) => ours(r) && r.receivedAt > second.signal.receivedAt && r.receivedAt < back.signal.receivedAt - 1_500);
    expect(sinceV2.length).toBeGreaterThan(0);
    expect(new Set(sinceV2.map((r) => r.signal.model_version))).toEqual(new Set([V2]));

    // One signal per asset and period throughout: no gap, no duplicate around the swaps.
    for (const asset of ['BTCUSDT', 'ETHUSDT']) {
      const times = world.reader.received.filter((r) => ours(r) && r.signal.asset === asset).map((r) => Date.parse(r.signal.timestamp)).sort((a, b) => a - b);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      expect({ asset, min: Math.min(...gaps) >= PERIOD_MS * 0.5, max: Math.max(...gaps) <= PERIOD_MS * 1.5 }).toEqual({ asset, min: true, max: true });
    }
    expect(world.reader.rejected).toEqual([]);

    // The other strategy never left warm-up.
    expect(world.reader.received.filter((r) => r.signal.strategy_id === 'ms_other').every((r) => r.signal.is_warmup)).toBe(true);
    const metrics = await world.metrics();
    expect(metrics).toMatch(/model_service_strategy_mode_transitions_total\{strategy_id="ms_hot",from="warmup",to="model"\} 1/);
    expect(metrics).toMatch(/model_service_model_switches_total\{strategy_id="ms_hot",to="model"\} 3/);
    expect(metrics).toMatch(/model_service_signals_published_total\{strategy_id="ms_hot",asset="BTCUSDT",signal_type="sell",mode="model"\} [1-9]/);
  }, 60_000);

  it('refuses a model of another feature set and one whose files were altered, with a clear reason, and keeps the current model', async () => {
    const foreign = await writeTestModel(world.storage, { version: 'ms_hot-v3-fs999', strategyId: STRATEGY, rule: 'always_sell', featureSetVersion: 'fs-999' });
    await registerTestModel(world.versions, foreign, 'fs-999');
    await world.versions.activate(foreign.version, STRATEGY);
    await publishModelEvent(RABBITMQ_URL, exchange(), modelEvent('model_activated', STRATEGY, foreign.version));
    await sleep(2_000);
    let status = ((await world.health())['models'] as { strategies: Record<string, Record<string, unknown>> }).strategies[STRATEGY];
    expect(status).toMatchObject({ mode: 'model', model_version: V1, active_version: foreign.version, refused: { version: foreign.version, reason: 'feature_set_mismatch' } });

    const tampered = await writeTestModel(world.storage, { version: 'ms_hot-v4-tampered', strategyId: STRATEGY, rule: 'always_sell', seed: 9 });
    await registerTestModel(world.versions, tampered);
    const weights = path.join(tampered.dir, 'weights.bin');
    const bytes = await fs.readFile(weights);
    bytes[0] ^= 0xff;
    await fs.writeFile(weights, bytes);
    await world.versions.activate(tampered.version, STRATEGY);
    await publishModelEvent(RABBITMQ_URL, exchange(), modelEvent('model_activated', STRATEGY, tampered.version));
    await sleep(2_000);
    status = ((await world.health())['models'] as { strategies: Record<string, Record<string, unknown>> }).strategies[STRATEGY];
    expect(status).toMatchObject({ mode: 'model', model_version: V1, refused: { version: tampered.version, reason: 'checksum_mismatch' } });
    const since = Date.now();
    await world.waitForSignal((r) => ours(r) && r.signal.model_version === V1, since, 3_000, 'V1 still in use');
    expect(await world.metrics()).toMatch(/model_service_model_loads_total\{strategy_id="ms_hot",outcome="refused",reason="checksum_mismatch"\} 1/);
  }, 30_000);

  it('goes back to warm-up when the strategy has no active model any more, and the periodic check alone brings a model back', async () => {
    const off = await switchTo(null, () => world.versions.deactivate(STRATEGY), 'model_deactivated');
    expect(off.signal.signal).toMatchObject({ is_warmup: true, model_version: null });

    // No event this time: the periodic read of model_versions (every 2 s here) finds the activation.
    await world.versions.activate(V2, STRATEGY);
    const at = Date.now();
    const found = await world.waitForSignal((r) => ours(r) && r.signal.model_version === V2, at, 6_000, 'V2 found by the periodic check');
    expect(found.signal.is_warmup).toBe(false);
    const health = await world.health();
    expect(((health['strategies'] as Array<Record<string, unknown>>).find((s) => s['id'] === STRATEGY))).toMatchObject({ mode: 'model', model_version: V2 });

    // Rolled back (V2 rejected) to the last good version, which is the tampered one: nothing usable is left.
    const { activated } = await world.versions.rollback(STRATEGY);
    expect(activated.version).toBe('ms_hot-v4-tampered');
    const rolledAt = Date.now();
    await publishModelEvent(RABBITMQ_URL, exchange(), modelEvent('model_rolled_back', STRATEGY, activated.version, V2));
    const warm = await world.waitForSignal((r) => ours(r) && r.signal.is_warmup && Date.parse(r.signal.timestamp) >= rolledAt, rolledAt, 5_000, 'warm-up after an unusable rollback');
    expect(warm.signal.model_version).toBeNull();
  }, 30_000);
});
