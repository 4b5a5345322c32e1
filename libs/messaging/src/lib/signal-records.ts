import { parse, parseIsoTimestamp, signalFanoutExchangeName, signalRecordsQueueName, TradingSignal } from '@model-service/signals';
import { HealthRegistry, Logger, MetricsRegistry } from '@model-service/util';

import { Consumer } from './consumer';
import { Publisher } from './publisher';
import { RabbitConnection } from './rabbit-connection';

/** Header with the moment a signal was published (ISO 8601, ms), stored as trading_signals.published_at. */
export const PUBLISHED_AT_HEADER = 'x-published-at';

/** Where a signal goes: one publish to the exchange reaches the order manager's queue and our records queue. */
export interface SignalRoute {
  exchange: string;
  signalsQueue: string;
  recordsQueue: string;
}

export function signalRouteOf(signalsQueue: string): SignalRoute {
  return { exchange: signalFanoutExchangeName(signalsQueue), signalsQueue, recordsQueue: signalRecordsQueueName(signalsQueue) };
}

/** Declares the route (exchange, both queues, bindings); call before the first publishSignal. */
export function declareSignalRoute(publisher: Publisher, route: SignalRoute): Promise<void> {
  return publisher.bindFanout(route.exchange, [route.signalsQueue, route.recordsQueue]);
}

/**
 * Declares the route and starts the record writer in the background: neither may hold up start-up, since an
 * app must answer /health (503) while RabbitMQ is unreachable. Publishing awaits the returned promise, so no
 * signal goes out before the exchange and both queues are bound. A failure is logged (and every publish
 * awaiting it fails, so no signal is counted as emitted).
 */
export function openSignalRoute(publisher: Publisher, route: SignalRoute, records: SignalRecordWriter, log: Logger): Promise<void> {
  const ready = (async () => {
    await declareSignalRoute(publisher, route);
    await records.start();
  })();
  ready.catch((err: unknown) =>
    log.error('signal route not opened: signals cannot be published', { exchange: route.exchange, error: err instanceof Error ? err.message : String(err) }),
  );
  return ready;
}

/** Publishes a signal once (resolves after the broker's confirm: then both its delivery and its record are durable). */
export function publishSignal(publisher: Publisher, route: SignalRoute, signal: TradingSignal, publishedAt = new Date()): Promise<void> {
  return publisher.publishToExchange(route.exchange, signal, {
    traceId: signal.trace_id,
    messageId: signal.signal_id,
    headers: { [PUBLISHED_AT_HEADER]: publishedAt.toISOString() },
  });
}

export function publishedAtOf(headers: Record<string, unknown>): Date {
  const raw = headers[PUBLISHED_AT_HEADER];
  const ms = typeof raw === 'string' && raw.length <= 40 ? parseIsoTimestamp(raw) : null;
  return ms === null ? new Date() : new Date(ms);
}

export interface SignalRecordWriterOptions {
  url: string;
  /** Connection name (`<service>-records`). */
  name: string;
  route: SignalRoute;
  /** Stores one signal; must be idempotent by signal_id (a redelivery after a crash stores nothing twice). */
  store: (signal: TradingSignal, publishedAt: Date) => Promise<unknown>;
  prefetch?: number;
  maxRetries?: number;
  metrics?: MetricsRegistry;
  health?: HealthRegistry;
  stallAfterMs?: number;
}

/**
 * Consumes `<signals queue>.records` and stores each signal, acking only after the row is committed. While
 * PostgreSQL is down the store fails with a connection error, which the consumer treats as transient (it
 * pauses, the records stay in the queue), so a kill -9 or an outage loses no record. Replicas and both
 * publishing apps (signal-generator, exit-strategy) share the queue as competing consumers.
 */
export class SignalRecordWriter {
  private connection?: RabbitConnection;
  private consumer?: Consumer;
  private readonly log = new Logger('SignalRecordWriter');

  constructor(private readonly opts: SignalRecordWriterOptions) {}

  async start(): Promise<void> {
    const o = this.opts;
    this.connection = new RabbitConnection({ url: o.url, name: o.name });
    this.consumer = new Consumer(this.connection, {
      defaultPrefetch: o.prefetch ?? 100,
      defaultMaxRetries: o.maxRetries,
      metrics: o.metrics,
      health: o.health,
      stallAfterMs: o.stallAfterMs,
    });
    const spec = { queue: o.route.recordsQueue, parse: (raw: unknown) => parse(TradingSignal, raw) };
    await this.consumer.consume<TradingSignal>(spec, async (signal, ctx) => {
      await o.store(signal, publishedAtOf(ctx.headers));
    });
    this.log.info('storing signal records', { queue: o.route.recordsQueue });
  }

  isConnected(): boolean {
    return this.connection?.isConnected() ?? false;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.connection?.close();
  }
}
