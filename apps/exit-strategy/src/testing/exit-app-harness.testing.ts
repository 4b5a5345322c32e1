import { signalRouteOf } from '@model-service/messaging';
import { PositionUpdateEvent, Topology, topology } from '@model-service/signals';
import { Clock, configureLogging, MetricsRegistry, validateEnv } from '@model-service/util';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import * as winston from 'winston';
import { TEST_RABBITMQ_URL } from '@model-service/messaging/testing';
import { TEST_DATABASE_URL } from '@model-service/repositories/testing';

import { AppModule } from '../app.module';
import { ExitStrategyEnv } from '../config/exit-strategy.env';
import { PositionIntake } from '../intake/position-intake.service';

export { TEST_DATABASE_URL, TEST_RABBITMQ_URL };

/** A queue prefix no other test uses. */
export function uniquePrefix(name: string): string {
  return `test.${name}.${randomBytes(4).toString('hex')}.`;
}

/** Starts the app in-process (no HTTP listener) with the given variables on top of the defaults. */
export async function startExitApp(
  env: Record<string, string>,
  opts: { clock?: Clock; logTo?: winston.transport } = {},
): Promise<INestApplication> {
  const config = validateEnv(ExitStrategyEnv, {
    RABBITMQ_URL: TEST_RABBITMQ_URL,
    DATABASE_URL: TEST_DATABASE_URL,
    MODEL_SERVICE_LOG_LEVEL: 'warn',
    ...env,
  });
  configureLogging({
    service: 'exit-strategy-test',
    level: config.MODEL_SERVICE_LOG_LEVEL,
    format: 'json',
    transports: opts.logTo ? [opts.logTo] : [],
  });
  const app = await NestFactory.create(AppModule.register(config, { clock: opts.clock }), { logger: false, abortOnError: false });
  await app.init();
  return app;
}

/** Waits until the app has evaluated everything it received (call after the updates are consumed). */
export async function settle(app: INestApplication): Promise<void> {
  await app.get(PositionIntake).flush();
}

/** Publishes position updates to the app's queue and reads its exit signals, on a raw connection. */
export class BrokerProbe {
  readonly topology: Topology;
  private constructor(
    private readonly conn: ChannelModel,
    private readonly ch: ConfirmChannel,
    prefix: string,
  ) {
    this.topology = topology(prefix);
  }

  static async open(prefix: string): Promise<BrokerProbe> {
    const conn = await connect(TEST_RABBITMQ_URL, { noDelay: true });
    conn.on('error', () => undefined);
    const ch = await conn.createConfirmChannel();
    ch.on('error', () => undefined);
    const probe = new BrokerProbe(conn, ch, prefix);
    await ch.assertQueue(probe.topology.tradingSignals, { durable: true });
    return probe;
  }

  /** Sends updates in order, waiting for the broker's confirms. */
  async publish(updates: Array<PositionUpdateEvent | Record<string, unknown> | string>): Promise<void> {
    for (const u of updates) {
      const body = typeof u === 'string' ? u : JSON.stringify(u);
      this.ch.sendToQueue(this.topology.positionUpdated, Buffer.from(body), { persistent: true });
    }
    await this.ch.waitForConfirms();
  }

  /** Ready messages in a queue. */
  async depth(queue: string): Promise<number> {
    return (await this.ch.checkQueue(queue)).messageCount;
  }

  /** Takes every message currently in a queue (parsed JSON). */
  async take(queue: string): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    for (;;) {
      const msg = await this.ch.get(queue, { noAck: true });
      if (msg === false) return out;
      out.push(JSON.parse(msg.content.toString('utf8')) as Record<string, unknown>);
    }
  }

  /** Binds a fresh exclusive queue to the app's position events exchange; returns its name. */
  async bindPositionEvents(): Promise<string> {
    await this.ch.assertExchange(this.topology.positionEventsExchange, 'fanout', { durable: true });
    const { queue } = await this.ch.assertQueue('', { exclusive: true, autoDelete: true });
    await this.ch.bindQueue(queue, this.topology.positionEventsExchange, '');
    return queue;
  }

  /** Deletes everything the prefix created, then closes. */
  async destroy(): Promise<void> {
    const t = this.topology;
    const route = signalRouteOf(t.tradingSignals);
    for (const q of [t.positionUpdated, `${t.positionUpdated}.dlq`, t.tradingSignals, `${t.tradingSignals}.dlq`, route.recordsQueue, `${route.recordsQueue}.dlq`]) {
      await this.ch.deleteQueue(q).catch(() => undefined);
    }
    for (const e of [t.positionEventsExchange, route.exchange, `${route.recordsQueue}.dlx`]) await this.ch.deleteExchange(e).catch(() => undefined);
    await this.conn.close().catch(() => undefined);
  }
}

/** Polls until predicate() holds; throws naming `what` after timeoutMs. */
export async function eventually(predicate: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface UpdateOptions {
  positionId?: string;
  asset?: string;
  strategyId?: string | null;
  size?: number;
  entry?: number;
  openedAt?: string;
  traceId?: string;
}

/** A long position update entered at `entry` (default 100) at `price`, with the given timestamp. */
export function positionUpdate(price: number, timestampMs: number, o: UpdateOptions = {}): PositionUpdateEvent {
  const entry = o.entry ?? 100;
  const size = o.size ?? 2;
  return {
    position_id: o.positionId ?? 'pos-1',
    asset: o.asset ?? 'BTCUSDT',
    strategy_id: o.strategyId === undefined ? 'momentum' : o.strategyId,
    size,
    average_entry_price: entry,
    current_price: price,
    unrealized_pnl: (price - entry) * size,
    unrealized_pnl_pct: ((price - entry) / entry) * 100,
    realized_pnl: 0,
    opened_at: o.openedAt ?? new Date(timestampMs - 60_000).toISOString(),
    timestamp: new Date(timestampMs).toISOString(),
    trace_id: o.traceId ?? randomUUID(),
  };
}

/** Current value of a model_service_<name> counter or gauge (summed over series matching `labels`). */
export async function metricValue(app: INestApplication, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = app.get(MetricsRegistry).registry.getSingleMetric(`model_service_${name}`);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}
