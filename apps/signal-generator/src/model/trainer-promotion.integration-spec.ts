import { deleteQueues, publishRaw } from '@model-service/messaging/testing';
import { AppProcess, freePort, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { ModelVersionEntity } from '@model-service/repositories';
import { QUEUES, TrainingCommand } from '@model-service/signals';
import { sleep } from '@model-service/util';

import { ReceivedSignal } from '../testing/architecture-signal-consumer.testing';
import { learnableHistory, seedHistory } from '../testing/learnable-history.testing';
import { modelEvent, publishModelEvent } from '../testing/model-fixtures.testing';
import { ModelModeWorld, RABBITMQ_URL } from '../testing/model-mode-world.testing';

const STRATEGY = 'tp_momentum';
const PERIOD_MS = 1_000;

/**
 * The whole promotion path with the real trainer as a separate process: executions of the strategy's
 * past signals are in the database, a training command makes the trainer train, evaluate, save the
 * version (files + row) and activate it with a model event; the running signal-generator follows.
 */
describe('signal-generator follows the trainer: warm-up → promoted model → newer model → rollback', () => {
  let world: ModelModeWorld;
  let trainer: AppProcess | undefined;

  beforeAll(async () => {
    world = await ModelModeWorld.create({ name: 'sgtrain', assets: ['BTCUSDT', 'ETHUSDT'] });
    await seedHistory(world.db.dataSource, learnableHistory(STRATEGY, 600, Date.now() - 700 * 60_000, 11));
    await world.start({
      TRADING_STRATEGIES: JSON.stringify([{ id: STRATEGY, heuristic: 'momentum', randomness: 1, assets: ['BTCUSDT', 'ETHUSDT'], frequency_seconds: PERIOD_MS / 1000, short_selling: true }]),
      // Every model decision is published, so the first one after a switch shows in the stream.
      MODEL_SIGNAL_MIN_CONFIDENCE: '0',
      MODEL_SYNC_INTERVAL_SECONDS: '60',
    });
    const port = await freePort();
    trainer = spawnApp('trainer', {
      MODEL_SERVICE_PORT: String(port),
      MODEL_SERVICE_SERVICE_NAME: `trainer-${world.prefix.slice(-9, -1)}`,
      DATABASE_URL: world.db.url,
      DATABASE_SCHEMA: world.db.schema,
      RABBITMQ_URL,
      QUEUE_PREFIX: world.prefix,
      MODEL_STORAGE_PATH: world.storage,
      MODEL_TRAINING_MIN_DATASET_SIZE: '200',
      MODEL_TRAINING_EPOCHS: '25',
      MODEL_TRAINING_BATCH_SIZE: '64',
      MODEL_TRAINING_LEARNING_RATE: '0.05',
      MODEL_TRAINING_LABEL_HORIZON_SECONDS: '10',
      MODEL_PROMOTION_MIN_VALIDATION_ROWS: '40',
      MODEL_QUALITY_THRESHOLD_ACCURACY: '0.7',
      MODEL_TRAINING_DATA_THRESHOLD: '0',
      MODEL_QUALITY_CHECK_INTERVAL_SECONDS: '0',
      MODEL_TYPE: 'logistic',
      MODEL_SERVICE_LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
    const up = await waitForHttp(`http://127.0.0.1:${port}/health`, (s) => s === 200, 120_000);
    if (up.status !== 200) throw new Error(`trainer did not start:\n${trainer.output().slice(-4000)}`);
  }, 180_000);

  afterAll(async () => {
    await trainer?.stop();
    if (!world) return;
    const trainerQueues = [QUEUES.ORDER_EVENTS, QUEUES.TRAINING_COMMANDS].map((q) => `${world.prefix}${q}`);
    await deleteQueues(RABBITMQ_URL, [...trainerQueues, ...trainerQueues.map((q) => `${q}.dlq`)]);
    await world.close();
  }, 60_000);

  const ours = (r: ReceivedSignal): boolean => r.signal.strategy_id === STRATEGY;

  /** A training run's new version, promoted or not. */
  async function trainCandidate(): Promise<ModelVersionEntity> {
    const count = (await world.versions.list({ strategyId: STRATEGY })).items.length;
    const command: TrainingCommand = { command: 'train', strategy_id: STRATEGY, reason: 'integration test', requested_by: 'test', timestamp: new Date().toISOString() };
    await publishRaw(RABBITMQ_URL, `${world.prefix}${QUEUES.TRAINING_COMMANDS}`, [JSON.stringify(command)]);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { items } = await world.versions.list({ strategyId: STRATEGY });
      if (items.length > count) return items[0];
      if (Date.now() > deadline) throw new Error(`the trainer made no version:\n${trainer?.output().slice(-4000)}`);
      await sleep(50);
    }
  }

  async function train(): Promise<ModelVersionEntity> {
    const before = (await world.versions.getActive(STRATEGY))?.version ?? null;
    const command: TrainingCommand = { command: 'train', strategy_id: STRATEGY, reason: 'integration test', requested_by: 'test', timestamp: new Date().toISOString() };
    await publishRaw(RABBITMQ_URL, `${world.prefix}${QUEUES.TRAINING_COMMANDS}`, [JSON.stringify(command)]);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const active = await world.versions.getActive(STRATEGY);
      if (active && active.version !== before) return active;
      if (Date.now() > deadline) throw new Error(`the trainer promoted nothing:\n${trainer?.output().slice(-4000)}`);
      await sleep(50);
    }
  }

  /** The first signal of `version` decided after its activation, and how long after the activation it was published. */
  async function firstFrom(version: string, activatedAt: number): Promise<{ ms: number; signal: ReceivedSignal }> {
    const signal = await world.waitForSignal((r) => ours(r) && r.signal.model_version === version, activatedAt, 5_000, `first signal of ${version}`);
    return { ms: signal.receivedAt - activatedAt, signal };
  }

  it('switches to each model the trainer promotes within 5 s, and back on a rollback event, without a restart', async () => {
    const warm = await world.waitForSignal(ours, 0, 10_000, 'a warm-up signal');
    expect(warm.signal).toMatchObject({ is_warmup: true, model_version: null });

    const v1 = await train();
    expect(v1).toMatchObject({ isActive: true, status: 'active', featureSetVersion: 'fs-1' });
    const first = await firstFrom(v1.version, v1.activatedAt!.getTime());
    expect(first.signal.signal).toMatchObject({ is_warmup: false, model_version: v1.version, metadata: { feature_vector_hash: expect.stringMatching(/^fs-1:/) } });
    expect(first.ms).toBeLessThan(5_000);

    // Retrained on the same executions: as good as the active one, not better, so the gate keeps it as a
    // candidate; an operator activates it (model_versions, then the event every replica receives).
    const v2 = await trainCandidate();
    await world.versions.activate(v2.version, STRATEGY);
    v2.activatedAt = new Date();
    await publishModelEvent(RABBITMQ_URL, world.names.modelEventsExchange, modelEvent('model_activated', STRATEGY, v2.version, v1.version));
    expect(v2.version).not.toBe(v1.version);
    const second = await firstFrom(v2.version, v2.activatedAt!.getTime());
    expect(second.ms).toBeLessThan(5_000);

    // An operator's rollback: model_versions changes, then the event every replica receives.
    const { activated } = await world.versions.rollback(STRATEGY);
    expect(activated.version).toBe(v1.version);
    const rolledAt = Date.now();
    await publishModelEvent(RABBITMQ_URL, world.names.modelEventsExchange, modelEvent('model_rolled_back', STRATEGY, v1.version, v2.version));
    const back = await firstFrom(v1.version, rolledAt);
    expect(back.signal.signal.is_warmup).toBe(false);
    expect(back.ms).toBeLessThan(5_000);

    const all = world.reader.received.filter(ours);
    for (const asset of ['BTCUSDT', 'ETHUSDT']) {
      const times = all.filter((r) => r.signal.asset === asset).map((r) => Date.parse(r.signal.timestamp)).sort((a, b) => a - b);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      expect({ asset, min: Math.min(...gaps) >= PERIOD_MS * 0.5, max: Math.max(...gaps) <= PERIOD_MS * 1.5 }).toEqual({ asset, min: true, max: true });
    }
    const health = await world.health();
    expect((health['strategies'] as Array<Record<string, unknown>>)[0]).toMatchObject({ id: STRATEGY, mode: 'model', model_version: v1.version });
  }, 300_000);
});
