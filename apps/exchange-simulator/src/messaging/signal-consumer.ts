import { Consumer, RabbitConnection } from '@model-service/messaging';
import { TradingSignal } from '@model-service/signals';
import { HealthRegistry, Logger, MetricsRegistry } from '@model-service/util';

export interface SignalConsumerOptions {
  url: string;
  connectionName: string;
  queue: string;
  prefetch: number;
  maxRetries: number;
  /** /health reports the queue stuck after a delivery stays unsettled this long (default 60 s). */
  stallAfterMs?: number;
}

/**
 * Consumes `model-service.trading_signals` (with the configured prefix) on its own connection, in
 * arrival order. The messaging layer validates each body against the TradingSignal contract: an
 * invalid one is logged with its body and trace id and dead-lettered to `<queue>.dlq`; a handler that
 * keeps failing (database down) is retried, then dead-lettered too.
 */
export class SignalConsumer {
  private connection?: RabbitConnection;
  private consumer?: Consumer;
  private readonly log = new Logger('SignalConsumer');

  constructor(
    private readonly opts: SignalConsumerOptions,
    private readonly handle: (signal: TradingSignal) => Promise<void>,
    private readonly metrics?: MetricsRegistry,
    private readonly health?: HealthRegistry,
  ) {}

  isConnected(): boolean {
    return this.connection?.isConnected() ?? false;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    this.connection = new RabbitConnection({ url: this.opts.url, name: this.opts.connectionName });
    this.consumer = new Consumer(this.connection, {
      defaultPrefetch: this.opts.prefetch,
      defaultMaxRetries: this.opts.maxRetries,
      metrics: this.metrics,
      health: this.health,
      stallAfterMs: this.opts.stallAfterMs,
    });
    await this.consumer.consume<TradingSignal>({ queue: this.opts.queue, schema: TradingSignal, ordered: true }, (signal) => this.handle(signal));
    this.log.info('consuming trading signals', { queue: this.opts.queue });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.connection?.close();
  }
}
