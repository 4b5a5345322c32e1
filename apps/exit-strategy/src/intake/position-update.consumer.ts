import { Consumer, MessageContext, RabbitConnection } from '@model-service/messaging';
import { parse, PositionUpdateEvent } from '@model-service/signals';
import { HealthRegistry, Logger, MetricsRegistry } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { ExitStrategyEnv } from '../config/exit-strategy.env';
import { topologyOf } from '../config/exit-rules.settings';
import { PositionIntake } from './position-intake.service';

/**
 * Consumes position-manager.position_updated in order (one message at a time, single active
 * consumer across replicas: an exclusive consume, the queue is the position manager's) on a connection of its own, so the fallback can tell when the consumer
 * is disconnected. Invalid messages are dead-lettered by the messaging layer (full body and trace
 * id logged) and consumption continues. A message is acked once it is handed to the debouncer.
 */
@Injectable()
export class PositionUpdateConsumer {
  private connection?: RabbitConnection;
  private consumer?: Consumer;
  private readonly log = new Logger('PositionUpdateConsumer');

  constructor(
    private readonly env: ExitStrategyEnv,
    private readonly intake: PositionIntake,
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
  ) {
    health.registerCheck('message_queue_consumer', () =>
      this.isConnected() ? { ok: true } : { ok: false, error: 'position update consumer not connected' },
    );
  }

  isConnected(): boolean {
    return this.connection?.isConnected() ?? false;
  }

  async start(): Promise<void> {
    const service = this.env.MODEL_SERVICE_SERVICE_NAME ?? 'exit-strategy';
    const queue = topologyOf(this.env).positionUpdates;
    this.connection = new RabbitConnection({ url: this.env.RABBITMQ_URL, name: `${service}-consumer` });
    try {
      await this.connection.waitForConnect(5_000);
    } catch (err) {
      // Start anyway: the consumer subscribes once the broker is reachable, the fallback covers the gap.
      this.log.warn('RabbitMQ unreachable at start-up; consuming once it is up', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
    this.consumer = new Consumer(this.connection, {
      defaultPrefetch: this.env.RABBITMQ_PREFETCH,
      defaultMaxRetries: this.env.RABBITMQ_MAX_RETRIES,
      metrics: this.metrics,
      health: this.health,
      stallAfterMs: this.env.RABBITMQ_CONSUMER_STALL_SECONDS * 1000,
    });
    await this.consumer.consume<PositionUpdateEvent>(
      // signals' parse: the contract's own rules in one pass (class-validator's schema path costs ~5× the CPU).
      { queue, parse: (raw) => parse(PositionUpdateEvent, raw), ordered: true, singleActiveConsumer: true },
      (message: PositionUpdateEvent, ctx: MessageContext) => this.intake.receive(message, ctx.traceId),
    );
    this.log.info('consuming position updates', { queue });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.connection?.close();
  }
}
