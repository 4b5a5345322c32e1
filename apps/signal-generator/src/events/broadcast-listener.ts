import { Consumer, ConsumerSpec, MessageHandler, RabbitConnection } from '@model-service/messaging';
import { HealthRegistry, Logger, MetricsRegistry } from '@model-service/util';

export interface BroadcastListenerOptions {
  url: string;
  /** Broker connection name (shown by rabbitmqctl). */
  connectionName: string;
  /** /health reports a subscription stuck after a delivery stays unsettled this long (default 60 s). */
  stallAfterMs?: number;
}

/**
 * This replica's subscriptions to fanout exchanges every replica needs in full (model events, position
 * events): each gets a private, exclusive queue bound to the exchange (messaging's `fanoutExchange`),
 * validated messages, a dead-letter queue for invalid ones. One broker connection for all of them.
 */
export class BroadcastListener {
  private connection?: RabbitConnection;
  private consumer?: Consumer;
  private readonly log = new Logger('BroadcastListener');
  private stopped = false;

  constructor(
    private readonly opts: BroadcastListenerOptions,
    private readonly registry?: MetricsRegistry,
    private readonly health?: HealthRegistry,
  ) {
    health?.registerCheck('events_consumer', () =>
      !this.connection || this.connection.isConnected() ? { ok: true } : { ok: false, error: 'model/position events consumer not connected to RabbitMQ' },
    );
  }

  /**
   * Binds a private queue (name prefix `spec.queue`) to `spec.fanoutExchange` and hands each valid message to
   * the handler, one at a time in order. Returns at once while the broker is unreachable (it binds when it is up).
   */
  async listen<T>(spec: ConsumerSpec & { fanoutExchange: string }, handler: MessageHandler<T>): Promise<void> {
    if (this.stopped) throw new Error('BroadcastListener is stopped');
    if (!this.connection) this.connection = new RabbitConnection({ url: this.opts.url, name: this.opts.connectionName });
    this.consumer ??= new Consumer(this.connection, {
      defaultPrefetch: 10,
      defaultMaxRetries: 2,
      metrics: this.registry,
      health: this.health,
      stallAfterMs: this.opts.stallAfterMs,
    });
    await this.consumer.consume<T>({ ordered: true, ...spec }, handler);
    this.log.info('listening to broadcast exchange', { exchange: spec.fanoutExchange });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.consumer?.stop();
    await this.connection?.close();
  }
}
