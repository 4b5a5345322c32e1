import { AppProcess, freePort, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { EXCHANGES } from '@model-service/signals';

import { ReceivedSignal } from '../testing/architecture-signal-consumer.testing';
import { createFreshDatabase } from '../testing/fresh-database.testing';
import { registerTestModel, writeTestModel } from '../testing/model-fixtures.testing';
import { ModelModeWorld, RABBITMQ_URL } from '../testing/model-mode-world.testing';

const STRATEGY = `gw_switch_${Date.now().toString(36)}`;
const V1 = `${STRATEGY}-v1-buy`;
const V2 = `${STRATEGY}-v2-sell`;
const API_KEY = 'sg-gateway-test-key-4f1c9e07b2';

/**
 * Activation through the ops API: the real api-gateway process switches model_versions and publishes the
 * model event on model-service.model_events (it has no prefix for it, hence the exchange override and a
 * strategy id nobody else uses); the running signal-generator switches models without a restart.
 */
describe('signal-generator follows activations and rollbacks made through the api-gateway', () => {
  let world: ModelModeWorld;
  let gateway: AppProcess | undefined;
  let base = '';

  beforeAll(async () => {
    // The spawned gateway works in the default schema: a database of its own.
    const db = await createFreshDatabase('sggw');
    world = await ModelModeWorld.create({ name: 'sggw', assets: ['BTCUSDT'], db });
    for (const [version, rule] of [[V1, 'always_buy'], [V2, 'always_sell']] as const) {
      await registerTestModel(world.versions, await writeTestModel(world.storage, { version, strategyId: STRATEGY, rule }));
    }
    await world.start({
      TRADING_STRATEGIES: JSON.stringify([{ id: STRATEGY, heuristic: 'random', assets: ['BTCUSDT'], frequency_seconds: 1, short_selling: true }]),
      SIGNAL_GENERATION_MODEL_EVENTS_EXCHANGE: EXCHANGES.MODEL_EVENTS,
      MODEL_SYNC_INTERVAL_SECONDS: '3600',
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    gateway = spawnApp('api-gateway', {
      MODEL_SERVICE_PORT: String(port),
      MODEL_SERVICE_API_KEY: API_KEY,
      MODEL_SERVICE_SERVICE_NAME: `api-gateway-${world.prefix.slice(-9, -1)}`,
      DATABASE_URL: db.url,
      RABBITMQ_URL,
      MODEL_STORAGE_PATH: world.storage,
      MODEL_SERVICE_LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
    const up = await waitForHttp(`${base}/health`, (s) => s === 200, 120_000);
    if (up.status !== 200) throw new Error(`api-gateway did not start:\n${gateway.output().slice(-4000)}`);
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await world?.close();
  }, 60_000);

  const ours = (r: ReceivedSignal): boolean => r.signal.strategy_id === STRATEGY;

  async function post(path: string, body: object): Promise<Record<string, unknown>> {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-API-Key': API_KEY }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  }

  async function viaApi(path: string, version: string, side: 'buy' | 'sell'): Promise<number> {
    const at = Date.now();
    await post(path, { reason: 'integration test' });
    const signal = await world.waitForSignal((r) => ours(r) && r.signal.model_version === version, at, 5_000, `first signal of ${version} after ${path}`);
    expect(signal.signal).toMatchObject({ is_warmup: false, signal_type: side });
    return signal.receivedAt - at;
  }

  it('activate v1, activate v2, roll back to v1: each within 5 s of the API call', async () => {
    const warm = await world.waitForSignal(ours, 0, 10_000, 'a warm-up signal');
    expect(warm.signal.is_warmup).toBe(true);

    const times = [
      await viaApi(`/api/v1/models/${V1}/activate`, V1, 'buy'),
      await viaApi(`/api/v1/models/${V2}/activate`, V2, 'sell'),
      await viaApi(`/api/v1/models/${V2}/rollback`, V1, 'buy'),
    ];
    expect(Math.max(...times)).toBeLessThan(5_000);
    const status = ((await world.health())['models'] as { strategies: Record<string, unknown> }).strategies[STRATEGY];
    expect(status).toMatchObject({ mode: 'model', model_version: V1, active_version: V1, refused: null });
  }, 60_000);
});
