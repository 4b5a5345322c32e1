import { isSharedQueue } from '@model-service/signals';
import { backoffMs, currentTraceId, Logger, MetricsRegistry, sleep } from '@model-service/util';
import type { Options } from 'amqplib';
import { randomUUID } from 'node:crypto';

import { declareExchange, declareOwnedQueue, declareQueue, withTempChannel } from './declarations';
import { ManagedChannel } from './managed-channel';
import { isValidTraceId, TRACE_ID_HEADER } from './message-headers';
import { MessagingMetrics } from './messaging-metrics';
import { RabbitConnection } from './rabbit-connection';

export interface PublishOptions {
  traceId?: string;
  headers?: Record<string, unknown>;
  messageId?: string;
}

export interface PublisherOptions {
  /** Retries after the first failed attempt (default 5), with exponential backoff. */
  maxRetries?: number;
  metrics?: MetricsRegistry;
  /** How long one attempt waits for the broker's confirm, reconnects included (default 5 s). */
  publishTimeoutMs?: number;
  /** First backoff step between attempts (default 100 ms, doubling, capped at 5 s). */
  retryBaseMs?: number;
  /** Declare a queue (durable) before the first send to it, so nothing is published into the void (default true). */
  declareQueues?: boolean;
}

/** A publish that failed after every retry; it was counted in publish_failures_total. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    readonly destination: string,
    readonly attempts: number,
    override readonly cause?: unknown,
  ) {
    super(
      `publish to ${destination} failed after ${attempts} attempt(s): ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/**
 * Publishes plain JSON, persistent, on a confirm channel; each call resolves only after the broker's
 * confirm. Many calls may be in flight at once (that is how it reaches the broker's throughput).
 */
export class Publisher {
  private readonly channel: ManagedChannel;
  private readonly metrics: MessagingMetrics;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly retryBaseMs: number;
  private readonly declareQueues: boolean;
  private readonly declared = new Map<string, true | Promise<void>>();
  private readonly log = new Logger('Publisher');
  private pending = 0;
  private onIdle?: () => void;
  private closed = false;

  constructor(
    private readonly connection: RabbitConnection,
    opts: PublisherOptions = {},
  ) {
    this.maxRetries = opts.maxRetries ?? 5;
    this.timeoutMs = opts.publishTimeoutMs ?? 5_000;
    this.retryBaseMs = opts.retryBaseMs ?? 100;
    this.declareQueues = opts.declareQueues ?? true;
    this.metrics = new MessagingMetrics(opts.metrics);
    this.channel = new ManagedChannel(connection, 'publisher');
  }

  sendToQueue(queue: string, payload: object, opts: PublishOptions = {}): Promise<void> {
    const content = Buffer.from(JSON.stringify(payload));
    const options = this.properties(payload, opts);
    return this.withRetries(queue, async () => {
      if (this.declareQueues && this.declared.get(queue) !== true) await this.ensureQueue(queue);
      await this.channel.current.sendToQueue(queue, content, options);
    });
  }

  publishToExchange(exchange: string, payload: object, opts: PublishOptions & { routingKey?: string } = {}): Promise<void> {
    const content = Buffer.from(JSON.stringify(payload));
    const options = this.properties(payload, opts);
    const routingKey = opts.routingKey ?? '';
    return this.withRetries(exchange, async () => {
      await this.channel.current.publish(exchange, routingKey, content, options);
    });
  }

  /** Declares a durable fanout exchange (kept as is if it exists with other arguments). */
  async assertFanout(exchange: string): Promise<void> {
    await this.connection.waitForConnect(this.timeoutMs);
    await declareExchange(this.model(), exchange, 'fanout', this.log);
  }

  /**
   * Declares a durable fanout exchange and binds each queue to it (each declared as its consumer declares
   * it: a shared queue plain, one of ours with its dead-letter route). Bindings are idempotent.
   */
  async bindFanout(exchange: string, queues: readonly string[]): Promise<void> {
    await this.assertFanout(exchange);
    for (const queue of queues) {
      await this.assertQueue(queue);
      await withTempChannel(this.model(), (ch) => ch.bindQueue(queue, exchange, ''));
    }
  }

  /** Declares a durable queue (kept as is if a neighbour declared it with other arguments). */
  async assertQueue(queue: string): Promise<void> {
    this.declared.delete(queue);
    await this.ensureQueue(queue);
  }

  /** Waits (up to timeoutMs) for publishes in flight, then closes the channel. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pending > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.onIdle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    await this.channel.close();
  }

  private properties(payload: object, opts: PublishOptions): Options.Publish & { timeout: number } {
    // Only a well-formed trace id goes into a header (amqplib refuses headers over 64 KiB at publish).
    const fromBody = (payload as Record<string, unknown>)['trace_id'];
    const traceId = [opts.traceId, fromBody, currentTraceId()].find(isValidTraceId);
    const headers: Record<string, unknown> = { ...opts.headers };
    if (traceId) headers[TRACE_ID_HEADER] = traceId;
    return {
      persistent: true,
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      messageId: opts.messageId ?? randomUUID(),
      timestamp: Math.floor(Date.now() / 1000),
      headers,
      timeout: this.timeoutMs,
    };
  }

  private async withRetries(destination: string, attempt: () => Promise<void>): Promise<void> {
    if (this.closed) throw new PublishError(destination, 0, new Error('publisher is closed'));
    this.pending++;
    try {
      for (let n = 1; ; n++) {
        try {
          await attempt();
          return;
        } catch (err) {
          if (n > this.maxRetries || this.connection.isClosed()) {
            this.metrics.publishFailed(destination);
            this.log.error('publish failed', { destination, attempts: n, error: err instanceof Error ? err.message : err });
            throw new PublishError(destination, n, err);
          }
          await sleep(backoffMs(n, this.retryBaseMs, 5_000));
        }
      }
    } finally {
      if (--this.pending === 0 && this.onIdle) this.onIdle();
    }
  }

  private model() {
    const model = this.connection.current;
    if (!model) throw new Error('not connected to RabbitMQ');
    return model;
  }

  private ensureQueue(queue: string): Promise<void> {
    const known = this.declared.get(queue);
    if (known === true) return Promise.resolve();
    if (known) return known;
    const declaring = (async () => {
      await this.connection.waitForConnect(this.timeoutMs);
      // Declared exactly as its consumer declares it (docs/queues.md), so neither side meets a 406.
      if (isSharedQueue(queue)) await declareQueue(this.model(), queue, { durable: true }, this.log);
      else await declareOwnedQueue(this.model(), queue, {}, this.log);
      this.declared.set(queue, true);
    })();
    this.declared.set(queue, declaring);
    declaring.catch(() => this.declared.delete(queue));
    return declaring;
  }
}
