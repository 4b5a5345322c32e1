import { MetricsRegistry } from '@model-service/util';
import type { Counter } from 'prom-client';

/** The messaging counters; every method is a no-op when no MetricsRegistry was given. */
export class MessagingMetrics {
  private readonly consumedTotal?: Counter<string>;
  private readonly deadLetteredTotal?: Counter<string>;
  private readonly retriedTotal?: Counter<string>;
  private readonly publishFailuresTotal?: Counter<string>;

  constructor(registry?: MetricsRegistry) {
    if (!registry) return;
    this.consumedTotal = registry.counter('messages_consumed_total', 'Messages handled and acked', ['queue']);
    this.deadLetteredTotal = registry.counter(
      'messages_dead_lettered_total',
      'Messages moved to the dead-letter queue',
      ['queue', 'reason'],
    );
    this.retriedTotal = registry.counter('messages_retried_total', 'Handler failures scheduled for retry', ['queue']);
    this.publishFailuresTotal = registry.counter(
      'publish_failures_total',
      'Publishes that failed after every retry',
      ['destination'],
    );
  }

  consumed(queue: string): void {
    this.consumedTotal?.inc({ queue });
  }
  deadLettered(queue: string, reason: 'invalid' | 'handler_failed' | 'settle_failed'): void {
    this.deadLetteredTotal?.inc({ queue, reason });
  }
  retried(queue: string): void {
    this.retriedTotal?.inc({ queue });
  }
  publishFailed(destination: string): void {
    this.publishFailuresTotal?.inc({ destination });
  }
}
