import { HealthRegistry, Logger, MetricsRegistry } from '@model-service/util';
import { BaseRpcContext, CustomTransportStrategy, MessageHandler as NestMessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';

import { Consumer } from './consumer';
import type { ConsumerSpec, MessageContext } from './consumer.types';
import { RabbitConnection } from './rabbit-connection';

export interface RabbitTransportOptions {
  url: string;
  /** Connection name shown by the broker (e.g. the app's name). */
  name?: string;
  /** Default prefetch for every @EventPattern handler (default 50). */
  prefetch?: number;
  /** Default retries of a failing handler before dead-lettering (default 3). */
  maxRetries?: number;
  /** Default first retry delay in ms (default 500). */
  retryDelayMs?: number;
  metrics?: MetricsRegistry;
  /** Gets a `consumer:<queue>` check per handler (see ConsumerOptions.health). */
  health?: HealthRegistry;
  /** See ConsumerOptions.stallAfterMs. */
  stallAfterMs?: number;
  /** How long listen() waits for the broker before starting without it (default 5 s); consumers start once it is up. */
  connectTimeoutMs?: number;
}

/** What `@EventPattern(queue, extras)` may carry for this transport. */
export type RabbitPatternExtras = Omit<ConsumerSpec, 'queue'>;

/** The @Ctx() argument of a handler: the message's queue, headers, trace id and attempt. */
export class RabbitContext extends BaseRpcContext<[MessageContext]> {
  getMessageContext(): MessageContext {
    return this.args[0];
  }
  getQueue(): string {
    return this.args[0].queue;
  }
  getHeaders(): Record<string, unknown> {
    return this.args[0].headers;
  }
  getTraceId(): string {
    return this.args[0].traceId;
  }
}

type TransportEvents = Record<'connect' | 'disconnect' | 'connectFailed' | 'blocked' | 'unblocked', (...args: unknown[]) => void>;

/**
 * NestJS custom transport: every `@EventPattern(queueName, { schema, prefetch, ordered, ... })` handler
 * is consumed from that queue through the Consumer (plain JSON bodies, validation, dead-lettering,
 * retries, manual ack). Message patterns (request/response) are not supported.
 */
export class RabbitTransport extends Server<TransportEvents> implements CustomTransportStrategy {
  private connection?: RabbitConnection;
  private consumer?: Consumer;
  private readonly log = new Logger('RabbitTransport');
  private readonly pendingListeners: Array<[string, (...args: unknown[]) => void]> = [];

  constructor(private readonly options: RabbitTransportOptions) {
    super();
  }

  /** For /health: is the transport's broker connection up? */
  isConnected(): boolean {
    return this.connection?.isConnected() ?? false;
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      const connection = new RabbitConnection({ url: this.options.url, name: this.options.name });
      this.connection = connection;
      for (const [event, fn] of this.pendingListeners) connection.manager.on(event, fn);
      connection.manager.on('connect', () => this._status$.next('connected'));
      connection.manager.on('disconnect', () => this._status$.next('disconnected'));
      try {
        await connection.waitForConnect(this.options.connectTimeoutMs ?? 5_000);
      } catch (err) {
        // Start anyway: /health reports message_queue down, and consumers subscribe once the broker is reachable.
        this.log.warn('RabbitMQ unreachable at start-up; consumers will subscribe when it comes up', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      this.consumer = new Consumer(connection, {
        defaultPrefetch: this.options.prefetch,
        defaultMaxRetries: this.options.maxRetries,
        defaultRetryDelayMs: this.options.retryDelayMs,
        metrics: this.options.metrics,
        health: this.options.health,
        stallAfterMs: this.options.stallAfterMs,
      });
      for (const [pattern, handler] of this.getHandlers()) {
        if (!handler.isEventHandler) {
          this.log.warn('request/response @MessagePattern handlers are not supported; use @EventPattern', { pattern });
          continue;
        }
        const extras = (handler.extras ?? {}) as RabbitPatternExtras;
        await this.consumer.consume({ ...extras, queue: pattern }, (message, ctx) => this.invoke(handler, message, ctx));
      }
      callback();
    } catch (err) {
      callback(err);
    }
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
    await this.connection?.close();
  }

  on<K extends keyof TransportEvents>(event: K, callback: TransportEvents[K]): void {
    if (this.connection) this.connection.manager.on(event, callback);
    else this.pendingListeners.push([event, callback]);
  }

  unwrap<T>(): T {
    if (!this.connection) throw new Error('RabbitTransport is not listening yet');
    return this.connection.manager as T;
  }

  /** Runs Nest's handler chain (pipes, interceptors, filters) and surfaces its failure to the Consumer. */
  private async invoke(handler: NestMessageHandler, message: unknown, ctx: MessageContext): Promise<void> {
    const result: unknown = await handler(message, new RabbitContext([ctx]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}

/** THE transport every app uses: `app.connectMicroservice({ strategy: createRabbitTransport({ url, name }) })`. */
export function createRabbitTransport(opts: RabbitTransportOptions): RabbitTransport {
  return new RabbitTransport(opts);
}
