import { Publisher, PublishError } from '@model-service/messaging';
import { ModelEvent, parse } from '@model-service/signals';
import { Logger, MetricsRegistry } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { MESSAGING_TARGETS, MessagingTargets } from './messaging-targets';

/**
 * Publishes ModelEvents on the model-events fanout exchange (every signal-generator replica binds its own
 * queue), persistent and confirmed. Each event is checked against the ModelEvent contract first.
 */
@Injectable()
export class ModelEventsPublisher {
  private readonly log = new Logger('ModelEventsPublisher');
  private readonly published;
  private exchangeReady: Promise<void> | null = null;

  constructor(
    private readonly publisher: Publisher,
    @Inject(MESSAGING_TARGETS) private readonly targets: MessagingTargets,
    metrics: MetricsRegistry,
  ) {
    this.published = metrics.counter('model_events_published_total', 'Model events published, by type', ['event_type']);
  }

  async publish(event: ModelEvent): Promise<ModelEvent> {
    const checked = parse(ModelEvent, JSON.parse(JSON.stringify(event)) as unknown);
    await this.ensureExchange();
    await this.publisher.publishToExchange(this.targets.modelEventsExchange, checked, {
      traceId: checked.trace_id ?? undefined,
      headers: { event_type: checked.event_type },
    });
    this.published.inc({ event_type: checked.event_type });
    this.log.info('model event published', {
      event_type: checked.event_type,
      strategy_id: checked.strategy_id,
      version: checked.version,
      previous_version: checked.previous_version,
      exchange: this.targets.modelEventsExchange,
    });
    return checked;
  }

  private ensureExchange(): Promise<void> {
    if (!this.exchangeReady) {
      const exchange = this.targets.modelEventsExchange;
      this.exchangeReady = this.publisher.assertFanout(exchange).catch((err: unknown) => {
        this.exchangeReady = null;
        throw err instanceof PublishError ? err : new PublishError(exchange, 1, err);
      });
    }
    return this.exchangeReady;
  }
}
