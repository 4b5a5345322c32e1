import { Logger } from '@model-service/util';
import amqp, { type AmqpConnectionManager } from 'amqp-connection-manager';
import type { ChannelModel } from 'amqplib';

export interface RabbitConnectionOptions {
  url: string;
  /** Shown as the connection name in the management UI and `rabbitmqctl list_connections client_properties`. */
  name?: string;
  heartbeatIntervalInSeconds?: number;
  /** Wait between reconnect attempts (default 1 s). */
  reconnectTimeInSeconds?: number;
}

/** Strips the password from an AMQP url for log lines. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/**
 * One AMQP connection that reconnects by itself (amqp-connection-manager), Nagle off on its socket.
 * Channels created from `manager` are re-opened, and their setups re-run, after every reconnect.
 */
export class RabbitConnection {
  readonly manager: AmqpConnectionManager;
  readonly name: string;
  private readonly log = new Logger('RabbitConnection');
  private closed = false;
  private lastFailure = '';

  constructor(opts: RabbitConnectionOptions) {
    this.name = opts.name ?? 'model-service';
    const url = redactUrl(opts.url);
    this.manager = amqp.connect([opts.url], {
      heartbeatIntervalInSeconds: opts.heartbeatIntervalInSeconds ?? 5,
      reconnectTimeInSeconds: opts.reconnectTimeInSeconds ?? 1,
      connectionOptions: { noDelay: true, clientProperties: { connection_name: this.name } },
    });
    this.manager.on('connect', () => {
      this.lastFailure = '';
      this.log.info('connected to RabbitMQ', { url, connection: this.name });
    });
    this.manager.on('disconnect', ({ err }: { err?: Error }) => {
      if (this.closed) return;
      this.log.warn('RabbitMQ connection lost; reconnecting', { url, connection: this.name, error: err?.message });
    });
    this.manager.on('connectFailed', ({ err }: { err?: Error }) => {
      // Log each distinct failure once, not every second while the broker is down.
      const text = err?.message ?? 'unknown error';
      if (text === this.lastFailure) return;
      this.lastFailure = text;
      this.log.warn('cannot connect to RabbitMQ; retrying', { url, connection: this.name, error: text });
    });
    this.manager.on('blocked', ({ reason }: { reason: string }) => this.log.warn('connection blocked by broker', { reason }));
    this.manager.on('unblocked', () => this.log.info('connection unblocked by broker'));
    this.manager.on('error', (err: Error) => this.log.error('connection error', { error: err }));
  }

  /** True once close() was called: the connection will not come back. */
  isClosed(): boolean {
    return this.closed;
  }

  isConnected(): boolean {
    return !this.closed && this.manager.isConnected();
  }

  /** The current amqplib connection, if connected. */
  get current(): ChannelModel | undefined {
    return this.manager.connection;
  }

  /** Resolves once connected; rejects after timeoutMs (default 10 s) or if the connection was closed. */
  async waitForConnect(timeoutMs = 10_000): Promise<void> {
    if (this.closed) throw new Error('RabbitConnection is closed');
    if (this.manager.isConnected()) return;
    await new Promise<void>((resolve, reject) => {
      const onConnect = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.manager.removeListener('connect', onConnect);
        reject(new Error(`RabbitMQ not connected after ${timeoutMs} ms (${this.lastFailure || 'no answer'})`));
      }, timeoutMs);
      this.manager.once('connect', onConnect);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.manager.close();
    this.log.info('RabbitMQ connection closed', { connection: this.name });
  }
}
