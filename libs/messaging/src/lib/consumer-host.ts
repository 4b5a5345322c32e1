import { HealthRegistry, Logger, MetricsRegistry } from '@model-service/util';
import type { CustomTransportStrategy } from '@nestjs/microservices';

import { Consumer } from './consumer';
import type { ConsumerSpec, MessageHandler } from './consumer.types';
import { RabbitConnection } from './rabbit-connection';

/** One queue an app consumes and the function that handles each valid message. */
export interface HandlerSpec<T = unknown> extends ConsumerSpec {
  handler: MessageHandler<T>;
}

export interface ConsumerHostOptions {
  url: string;
  /** Broker connection name (`<service>-consumer`, shown by rabbitmqctl). */
  name: string;
  /** Default prefetch of a spec without one (RABBITMQ_PREFETCH). */
  prefetch?: number;
  /** Default retries of a failing handler before dead-lettering (RABBITMQ_MAX_RETRIES). */
  maxRetries?: number;
  retryDelayMs?: number;
  /** See ConsumerOptions.stallAfterMs (RABBITMQ_CONSUMER_STALL_SECONDS). */
  stallAfterMs?: number;
  /** How long the first consume waits for the broker before going on without it (default 5 s). */
  connectTimeoutMs?: number;
  metrics?: MetricsRegistry;
  /** Gets `message_queue_consumer` (the connection) and a `consumer:<queue>` check per queue. */
  health?: HealthRegistry;
}

/** Nest's id of this transport (`app.getMicroservices()`, processing hooks). */
export const RABBITMQ_CONSUMER_TRANSPORT = Symbol('model-service-rabbitmq-consumer');

/**
 * The one way an app consumes: one broker connection for all its queues, each handler spec consumed by
 * the Consumer (validation, prefetch, dead-letter queue, retries, transient-error pauses, per-queue health
 * and metrics). The app keeps only its handlers; stop() cancels every consumer, lets the handlers in flight
 * finish and closes the connection, and may be called early (before the app drains what its handlers buffered).
 *
 * It is also the app's Nest microservice transport (`app.connectMicroservice({ strategy: host })`, done by
 * the platform's bootstrap): `startAllMicroservices()` resolves once the broker connection is up (or its
 * start-up wait ran out), and Nest closes the transport when the app closes, so no app can leave its
 * consumer connection open, whatever its own shutdown hooks do. Handlers stay handler specs, not
 * `@EventPattern`s: a spec carries the queue's schema, parser and limits, which a pattern cannot.
 */
export class ConsumerHost implements CustomTransportStrategy {
  readonly transportId = RABBITMQ_CONSUMER_TRANSPORT;
  private readonly connection: RabbitConnection;
  private readonly consumer: Consumer;
  private readonly log = new Logger('ConsumerHost');
  private connected?: Promise<void>;
  private stopped?: Promise<void>;

  constructor(private readonly opts: ConsumerHostOptions) {
    this.connection = new RabbitConnection({ url: opts.url, name: opts.name });
    this.consumer = new Consumer(this.connection, {
      defaultPrefetch: opts.prefetch,
      defaultMaxRetries: opts.maxRetries,
      defaultRetryDelayMs: opts.retryDelayMs,
      metrics: opts.metrics,
      health: opts.health,
      stallAfterMs: opts.stallAfterMs,
    });
    opts.health?.registerCheck('message_queue_consumer', () =>
      this.isConnected() ? { ok: true } : { ok: false, error: `${opts.name} not connected to RabbitMQ` },
    );
  }

  /** For /health and fallbacks: is the consumers' broker connection up? */
  isConnected(): boolean {
    return this.connection.isConnected();
  }

  /**
   * Starts consuming the spec's queue; resolves once subscribed, or once the connect wait ran out while the
   * broker is unreachable (the subscription follows when it is up).
   */
  async consume<T>(spec: HandlerSpec<T>): Promise<void> {
    if (this.stopped) throw new Error('ConsumerHost is stopped');
    await this.connect();
    const { handler, ...consumerSpec } = spec;
    await this.consumer.consume<T>(consumerSpec, handler);
  }

  /** Nest transport start: calls back once the broker is up or the start-up wait ran out (never an error: the connection keeps retrying). */
  listen(callback: (err?: unknown) => void): void {
    void this.connect().then(() => callback());
  }

  /** Nest transport end: the same as stop(). */
  close(): Promise<void> {
    return this.stop();
  }

  /** The first connect wait, shared by every caller; an unreachable broker is logged once, not thrown. */
  private connect(): Promise<void> {
    this.connected ??= this.connection.waitForConnect(this.opts.connectTimeoutMs ?? 5_000).catch((err: unknown) => {
      this.log.warn('RabbitMQ unreachable at start-up; consuming once it is up', {
        connection: this.opts.name,
        error: err instanceof Error ? err.message : String(err),
      });
    });
    return this.connected;
  }

  /** Stops consuming (handlers in flight finish) and closes the connection; every call waits for the same stop. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      await this.consumer.stop();
      await this.connection.close();
    })();
    return this.stopped;
  }
}
