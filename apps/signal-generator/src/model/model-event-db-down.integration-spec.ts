import { TcpProxy } from '@model-service/util/testing';
import { sleep } from '@model-service/util';

import { modelEvent, publishModelEvent, registerTestModel, writeTestModel, WrittenModel } from '../testing/model-fixtures.testing';
import { ModelModeWorld, RABBITMQ_URL } from '../testing/model-mode-world.testing';

const STRATEGY = 'dbdown_s';

interface StrategyModelStatus {
  mode: string;
  model_version: string | null;
  refused: { version: string; reason: string } | null;
}

/**
 * While model_versions cannot be read, a followed model event is trusted only as far as its
 * own checksum: files that differ from it are refused, an event without one is not followed, and the right
 * checksum switches the strategy to the model.
 */
describe('signal-generator: model events followed while PostgreSQL is unreachable', () => {
  let world: ModelModeWorld;
  let proxy: TcpProxy;
  let good: WrittenModel;

  beforeAll(async () => {
    world = await ModelModeWorld.create({ name: 'sgdbdown', assets: ['BTCUSDT'] });
    const target = new URL(world.db.url);
    proxy = await TcpProxy.start({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
    good = await writeTestModel(world.storage, { version: `${STRATEGY}-v1`, strategyId: STRATEGY, rule: 'always_buy' });
    await registerTestModel(world.versions, good);
    await world.start({
      DATABASE_URL: proxy.rewrite(world.db.url),
      TRADING_STRATEGIES: JSON.stringify([{ id: STRATEGY, heuristic: 'random', assets: ['BTCUSDT'], frequency_seconds: 1, short_selling: true }]),
      MODEL_SYNC_INTERVAL_SECONDS: '3600',
    });
  }, 90_000);

  afterAll(async () => {
    proxy?.restore();
    await world?.close();
    await proxy?.close();
  }, 60_000);

  async function status(): Promise<StrategyModelStatus> {
    const models = (await world.health())['models'] as { strategies: Record<string, StrategyModelStatus> };
    return models.strategies[STRATEGY];
  }

  async function waitFor(pred: (s: StrategyModelStatus) => boolean, what: string): Promise<StrategyModelStatus> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const s = await status();
      if (pred(s)) return s;
      if (Date.now() > deadline) throw new Error(`${what}: last status ${JSON.stringify(s)}`);
      await sleep(100);
    }
  }

  it('refuses files that differ from the event checksum, ignores an event without one, and loads the version the checksum names', async () => {
    expect(await status()).toMatchObject({ mode: 'warmup', model_version: null });
    await world.versions.activate(good.version, STRATEGY);
    proxy.cut();
    proxy.dropConnections();
    const exchange = world.names.modelEventsExchange;

    await publishModelEvent(RABBITMQ_URL, exchange, { ...modelEvent('model_activated', STRATEGY, good.version), checksum: '0'.repeat(64) });
    expect(await waitFor((s) => s.refused?.reason === 'checksum_mismatch', 'a wrong checksum is refused')).toMatchObject({ mode: 'warmup', refused: { version: good.version } });

    await publishModelEvent(RABBITMQ_URL, exchange, modelEvent('model_activated', STRATEGY, good.version));
    expect(await waitFor((s) => s.refused?.reason === 'unverifiable_event', 'an event without a checksum is not followed')).toMatchObject({ mode: 'warmup', model_version: null });

    await publishModelEvent(RABBITMQ_URL, exchange, { ...modelEvent('model_activated', STRATEGY, good.version), checksum: good.checksum });
    expect(await waitFor((s) => s.model_version === good.version, 'the verified version is loaded')).toMatchObject({ mode: 'model', refused: null });
    // Signals wait for the ownership lock, itself in PostgreSQL: once the database is back the strategy
    // trades from the model it verified while it was away.
    expect(proxy.isCut).toBe(true);
    proxy.restore();
    const since = Date.now();
    const signal = await world.waitForSignal((r) => r.signal.strategy_id === STRATEGY, since, 15_000, 'a signal once the database is back');
    expect(signal.signal).toMatchObject({ is_warmup: false, model_version: good.version });
  }, 60_000);
});
