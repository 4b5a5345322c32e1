import { Publisher } from '@model-service/messaging';
import { Logger, MetricsRegistry, sleep } from '@model-service/util';
import { Injectable } from '@nestjs/common';

/**
 * Publishes with confirms and keeps trying until the broker confirms (the Publisher's own retries,
 * then again every second), so an execution event or position update is never dropped because
 * RabbitMQ was away for a while. Only a shutdown gives up (counted and logged).
 */
@Injectable()
export class ReliablePublisher {
  private stopped = false;
  private readonly log = new Logger('ReliablePublisher');
  private readonly waiting;
  private readonly abandoned;

  constructor(
    private readonly publisher: Publisher,
    metrics: MetricsRegistry,
  ) {
    this.waiting = metrics.gauge('simulator_publishes_waiting', 'Publishes waiting for the broker after failed attempts');
    this.abandoned = metrics.counter('simulator_publishes_abandoned_total', 'Publishes given up at shutdown', ['queue']);
  }

  async publish(queue: string, payload: object, traceId?: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.publisher.sendToQueue(queue, payload, { traceId });
        if (attempt > 1) this.waiting.dec();
        return true;
      } catch (err) {
        if (attempt === 1) this.waiting.inc();
        if (this.stopped) {
          this.waiting.dec();
          this.abandoned.inc({ queue });
          this.log.error('publish abandoned at shutdown', { queue, trace_id: traceId, body: payload });
          return false;
        }
        this.log.warn('publish failed; retrying', { queue, attempt, error: err instanceof Error ? err.message : String(err) });
        await sleep(1_000);
      }
    }
  }

  stop(): void {
    this.stopped = true;
  }
}
