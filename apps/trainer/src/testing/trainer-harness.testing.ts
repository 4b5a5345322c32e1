import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { deleteExchanges, deleteQueues, TEST_RABBITMQ_URL, uniqueName, withRawConnection } from '@model-service/messaging/testing';
import { TrainingRunRepository } from '@model-service/repositories';
import { createTestDataSource, TestDataSource, TrainingRunEntity } from '@model-service/repositories/testing';
import { deadLetterQueueName, ModelEvent, Topology, topology } from '@model-service/signals';
import { configureLogging, HealthRegistry, validateEnv } from '@model-service/util';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { AppModule } from '../app.module';
import { TrainerEnv } from '../config/trainer.env';

export const RABBIT_URL = TEST_RABBITMQ_URL;

/** Small and fast defaults for tests; every file overrides what it exercises. */
export const TEST_ENV: Record<string, string> = {
  MODEL_SERVICE_LOG_LEVEL: 'warn',
  MODEL_TRAINING_MIN_DATASET_SIZE: '200',
  MODEL_TRAINING_EPOCHS: '25',
  MODEL_TRAINING_BATCH_SIZE: '64',
  MODEL_TRAINING_LEARNING_RATE: '0.05',
  MODEL_TRAINING_PATIENCE: '4',
  // Synthetic histories are a minute or more apart: the next row's price is the one after the horizon.
  MODEL_TRAINING_LABEL_HORIZON_SECONDS: '10',
  MODEL_QUALITY_THRESHOLD_ACCURACY: '0.7',
  MODEL_PROMOTION_MIN_VALIDATION_ROWS: '40',
  MODEL_TRAINING_DATA_THRESHOLD: '0',
  MODEL_QUALITY_CHECK_INTERVAL_SECONDS: '0',
  MODEL_TYPE: 'logistic',
};

/** One isolated trainer world: a fresh schema, its own queue prefix, its own model store directory. */
export class TrainerWorld {
  readonly prefix = `${uniqueName('it-trainer')}.`;
  readonly storage = mkdtempSync(path.join(tmpdir(), 'trainer-it-'));
  readonly topology: Topology;
  app?: INestApplication;
  private schema?: TestDataSource;

  private constructor() {
    this.topology = topology(this.prefix);
  }

  static async create(): Promise<TrainerWorld> {
    const world = new TrainerWorld();
    await world.open();
    return world;
  }

  /**
   * One world for the tests of the enclosing describe block: opened before them (and started with `startWith`
   * when given), destroyed after them.
   */
  static perDescribe(startWith?: Record<string, string>): TrainerWorld {
    const world = new TrainerWorld();
    beforeAll(async () => {
      await world.open();
      if (startWith) await world.start(startWith);
    });
    afterAll(() => world.destroy());
    return world;
  }

  /** The world's schema (exists once the world is open). */
  get db(): TestDataSource {
    if (!this.schema) throw new Error('the trainer world is not open');
    return this.schema;
  }

  private async open(): Promise<void> {
    this.schema = await createTestDataSource({ prefix: 'trainer' });
  }

  env(overrides: Record<string, string> = {}): TrainerEnv {
    return validateEnv(TrainerEnv, {
      DATABASE_URL: this.db.url,
      DATABASE_SCHEMA: this.db.schema,
      RABBITMQ_URL: RABBIT_URL,
      QUEUE_PREFIX: this.prefix,
      MODEL_STORAGE_PATH: this.storage,
      MODEL_SERVICE_SERVICE_NAME: `trainer-${this.prefix.slice(-9, -1)}`,
      ...TEST_ENV,
      ...overrides,
    });
  }

  /** Starts the app in-process (consumers, triggers, no HTTP listener); closes a previous one first. */
  async start(overrides: Record<string, string> = {}): Promise<INestApplication> {
    await this.stop();
    const env = this.env(overrides);
    configureLogging({ service: 'trainer-test', level: env.MODEL_SERVICE_LOG_LEVEL });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(env)] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    this.app = app;
    return app;
  }

  get<T>(token: new (...args: never[]) => T): T {
    if (!this.app) throw new Error('app not started');
    return this.app.get(token);
  }

  health(): Promise<Record<string, unknown>> {
    return this.get(HealthRegistry).report() as Promise<Record<string, unknown>>;
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    if (app) await app.close();
  }

  /** Binds a queue to the model-events exchange and collects what arrives. */
  async listenToModelEvents(): Promise<{ events: ModelEvent[]; close(): Promise<void> }> {
    const conn = await (await import('amqplib')).connect(RABBIT_URL, { noDelay: true });
    conn.on('error', () => undefined);
    const ch = await conn.createChannel();
    await ch.assertExchange(this.topology.modelEventsExchange, 'fanout', { durable: true });
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    await ch.bindQueue(queue, this.topology.modelEventsExchange, '');
    const events: ModelEvent[] = [];
    await ch.consume(queue, (msg) => msg && events.push(JSON.parse(msg.content.toString()) as ModelEvent), { noAck: true });
    return { events, close: () => conn.close().catch(() => undefined) };
  }

  /** Publishes JSON bodies (or raw strings) to a queue with confirms. */
  async publish(queue: string, bodies: Array<object | string>): Promise<void> {
    await withRawConnection(RABBIT_URL, async (conn) => {
      // Publish as a neighbour would: use the queue as the app declared it (training_commands carries
      // our dead-letter arguments), declaring it plain only when it does not exist yet.
      const probe = await conn.createChannel();
      probe.on('error', () => undefined);
      const exists = await probe.checkQueue(queue).then(() => true, () => false);
      await probe.close().catch(() => undefined);
      const ch = await conn.createConfirmChannel();
      if (!exists) await ch.assertQueue(queue, { durable: true });
      for (let i = 0; i < bodies.length; i++) {
        const b = bodies[i];
        ch.sendToQueue(queue, Buffer.from(typeof b === 'string' ? b : JSON.stringify(b)), { persistent: true });
        if (i % 1000 === 999) await ch.waitForConfirms();
      }
      await ch.waitForConfirms();
      await ch.close();
    });
  }

  runs(strategyId: string): Promise<TrainingRunEntity[]> {
    return this.db.dataSource
      .getRepository(TrainingRunEntity)
      .find({ where: { strategyId }, order: { queuedAt: 'ASC' } });
  }

  /** Polls the strategy's runs until `predicate` holds. */
  async waitForRuns(strategyId: string, predicate: (runs: TrainingRunEntity[]) => boolean, timeoutMs = 60_000): Promise<TrainingRunEntity[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const runs = await this.runs(strategyId);
      if (predicate(runs)) return runs;
      if (Date.now() > deadline) throw new Error(`timed out waiting for runs of ${strategyId}: ${JSON.stringify(runs.map((r) => [r.trigger, r.status, r.error]))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  runRepository(): TrainingRunRepository {
    return new TrainingRunRepository(this.db.dataSource);
  }

  async destroy(): Promise<void> {
    await this.stop();
    const t = this.topology;
    await deleteQueues(RABBIT_URL, [t.orderEvents, t.trainingCommands, deadLetterQueueName(t.orderEvents), deadLetterQueueName(t.trainingCommands)]);
    await deleteExchanges(RABBIT_URL, [t.modelEventsExchange]);
    await this.schema?.drop();
    rmSync(this.storage, { recursive: true, force: true });
  }
}
