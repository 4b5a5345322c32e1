import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { AccountBalanceRepository, ModelVersionRepository } from '@model-service/repositories';
import { createTestDataSource, TestDataSource } from '@model-service/repositories/testing';
import { topology, Topology } from '@model-service/signals';
import { configureLogging, HealthRegistry, MetricsRegistry, sleep, validateEnv } from '@model-service/util';
import { captureLogs } from '@model-service/util/testing';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TEST_RABBITMQ_URL } from '@model-service/messaging/testing';

import { AppModule } from '../app.module';
import { QUEUE_NAMES } from '../app.tokens';
import { SignalGeneratorEnv } from '../config/signal-generator.env';
import { ModelManager } from '../model/model-manager.service';
import { ArchitectureSignalConsumer, ReceivedSignal } from './architecture-signal-consumer.testing';
import { deleteAppTopology } from './broker-cleanup.testing';
import { MarketReplay } from './market-replay.testing';

export const RABBITMQ_URL = TEST_RABBITMQ_URL;

export interface WorldOptions {
  /** Schema name prefix and queue-name prefix stem. */
  name: string;
  assets: string[];
  /** Existing database (e.g. a fresh one for a spawned app without DATABASE_SCHEMA); default: a fresh schema. */
  db?: TestDataSource;
}

/**
 * One isolated signal-generator world for model-mode tests: a fresh schema with large balances, its own
 * queue prefix, a model store directory, replayed market data (klines, order books, a ticker every 250 ms),
 * a reader of the signals queue written only from ARCHITECTURE.md, and the app in-process.
 */
export class ModelModeWorld {
  readonly prefix: string;
  readonly storage = mkdtempSync(path.join(tmpdir(), 'sg-models-'));
  names: Topology;
  app?: INestApplication;
  config?: SignalGeneratorEnv;
  readonly reader: ArchitectureSignalConsumer;
  private readonly replay: MarketReplay;
  private ticking?: NodeJS.Timeout;

  private constructor(
    readonly db: TestDataSource,
    private readonly opts: WorldOptions,
  ) {
    this.prefix = `${opts.name}.${randomBytes(4).toString('hex')}.`;
    this.names = topology(this.prefix);
    this.replay = new MarketReplay(RABBITMQ_URL, this.names, 5);
    this.reader = new ArchitectureSignalConsumer(RABBITMQ_URL, this.names.tradingSignals);
  }

  static async create(opts: WorldOptions): Promise<ModelModeWorld> {
    const db = opts.db ?? (await createTestDataSource({ prefix: opts.name.replace(/[^a-z0-9_]/g, '_') }));
    const world = new ModelModeWorld(db, opts);
    const balances = new AccountBalanceRepository(db.dataSource);
    for (const coin of ['USDT', ...opts.assets.map((a) => a.replace(/USDT$/, ''))]) await balances.insert({ coin, walletBalance: 1e9, availableBalance: 1e9 });
    await world.replay.open();
    await world.reader.start();
    for (const asset of opts.assets) {
      await world.replay.klineHistory(asset, 40);
      await world.replay.orderbook(asset);
      await world.replay.ticker(asset);
    }
    let n = 0;
    world.ticking = setInterval(() => {
      n++;
      for (const asset of opts.assets) {
        void world.replay.ticker(asset).catch(() => undefined);
        if (n % 4 === 0) void world.replay.orderbook(asset).catch(() => undefined);
      }
    }, 250);
    return world;
  }

  get versions(): ModelVersionRepository {
    return new ModelVersionRepository(this.db.dataSource);
  }

  /** The environment of an app in this world (in-process or spawned). */
  env(extra: Record<string, string>): Record<string, string> {
    return {
      DATABASE_URL: this.db.url,
      ...(this.db.schema ? { DATABASE_SCHEMA: this.db.schema } : {}),
      RABBITMQ_URL,
      QUEUE_PREFIX: this.prefix,
      MODEL_STORAGE_PATH: this.storage,
      SIGNAL_GENERATION_RATE_LIMIT: '60000',
      SIGNAL_GENERATION_BURST_ALLOWANCE: '1000',
      SIGNAL_GENERATION_OWNERSHIP_RETRY_SECONDS: '1',
      MARKET_DATA_MAX_AGE_SECONDS: '10',
      SIGNAL_GENERATION_REPLICA_ID: `${this.opts.name}-test`,
      ...extra,
    };
  }

  /** Log lines of the app when started with `captureLogs` (console silenced then). */
  logs: Array<Record<string, unknown>> = [];

  async start(extra: Record<string, string>, opts: { captureLogs?: boolean } = {}): Promise<INestApplication> {
    if (opts.captureLogs) this.logs = captureLogs({ service: 'signal-generator-test' });
    else configureLogging({ service: 'signal-generator-test', level: 'warn' });
    const config = validateEnv(SignalGeneratorEnv, this.env(extra));
    this.config = config;
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    this.names = moduleRef.get<Topology>(QUEUE_NAMES);
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    this.app = app;
    return app;
  }

  get models(): ModelManager {
    return (this.app as INestApplication).get(ModelManager);
  }

  async health(): Promise<Record<string, unknown>> {
    return (await (this.app as INestApplication).get(HealthRegistry).report()) as Record<string, unknown>;
  }

  metrics(): Promise<string> {
    return (this.app as INestApplication).get(MetricsRegistry).text();
  }

  /** The first signal received after `since` (epoch ms) that satisfies `pred`; throws after `timeoutMs`. */
  async waitForSignal(pred: (r: ReceivedSignal) => boolean, since: number, timeoutMs: number, what: string): Promise<ReceivedSignal> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.reader.received.find((r) => r.receivedAt >= since && pred(r));
      if (hit) return hit;
      if (Date.now() > deadline) {
        const recent = this.reader.received.slice(-5).map((r) => ({ strategy: r.signal.strategy_id, model_version: r.signal.model_version, is_warmup: r.signal.is_warmup, reason: r.signal.metadata['reason'] }));
        throw new Error(`no signal within ${timeoutMs} ms: ${what}; last received: ${JSON.stringify(recent)}`);
      }
      await sleep(20);
    }
  }

  async close(opts: { keepDb?: boolean; ownedExchangePrefix?: string } = {}): Promise<void> {
    clearInterval(this.ticking);
    await this.app?.close();
    await this.replay.close();
    await this.reader.stop();
    await deleteAppTopology(RABBITMQ_URL, this.names, opts.ownedExchangePrefix ?? this.prefix);
    if (!opts.keepDb) await this.db.drop();
    rmSync(this.storage, { recursive: true, force: true });
  }
}
