import { ModelEvent, ModelEventType, parse } from '@model-service/signals';
import { currentTraceId, Logger, MetricsRegistry } from '@model-service/util';

import { Publisher, PublishError } from './publisher';

export interface ModelEventFields {
  strategyId: string;
  version: string | null;
  previousVersion?: string | null;
  /** model_versions.checksum of `version`, so a follower whose database is down can still verify the files. */
  checksum?: string | null;
  metadata?: Record<string, unknown> | null;
  /** Default: now. */
  timestamp?: Date;
  /** Default: the current trace id. */
  traceId?: string | null;
}

/** A ModelEvent of `type` from camelCase fields (timestamp now and the current trace id unless given). */
export function buildModelEvent(type: ModelEventType, fields: ModelEventFields): ModelEvent {
  return {
    event_type: type,
    strategy_id: fields.strategyId,
    version: fields.version,
    previous_version: fields.previousVersion ?? null,
    checksum: fields.checksum ?? null,
    timestamp: (fields.timestamp ?? new Date()).toISOString(),
    trace_id: fields.traceId === undefined ? (currentTraceId() ?? null) : fields.traceId,
    metadata: fields.metadata ?? null,
  };
}

/**
 * Publishes ModelEvents on the model-events fanout exchange (every signal-generator replica binds its own
 * queue), persistent and confirmed, with the event type as a header. Each event is checked against the
 * ModelEvent contract first: an event that breaks it is refused (ContractValidationError) and never
 * reaches a replica. The exchange is declared once, before the first publish (again after a failure).
 */
export class ModelEventsPublisher {
  private readonly log = new Logger('ModelEventsPublisher');
  private readonly published;
  private exchangeReady: Promise<void> | null = null;

  constructor(
    private readonly publisher: Publisher,
    private readonly exchange: string,
    metrics: MetricsRegistry,
  ) {
    this.published = metrics.counter('model_events_published_total', 'Model events published, by type', ['event_type']);
  }

  /** Validates, publishes and returns the event as sent. */
  async publish(event: ModelEvent): Promise<ModelEvent> {
    const checked = parse(ModelEvent, JSON.parse(JSON.stringify(event)) as unknown);
    await this.ensureExchange();
    await this.publisher.publishToExchange(this.exchange, checked, {
      traceId: checked.trace_id ?? undefined,
      headers: { event_type: checked.event_type },
    });
    this.published.inc({ event_type: checked.event_type });
    this.log.info('model event published', {
      event_type: checked.event_type,
      strategy_id: checked.strategy_id,
      version: checked.version,
      previous_version: checked.previous_version,
      exchange: this.exchange,
    });
    return checked;
  }

  private ensureExchange(): Promise<void> {
    if (!this.exchangeReady) {
      const exchange = this.exchange;
      this.exchangeReady = this.publisher.assertFanout(exchange).catch((err: unknown) => {
        this.exchangeReady = null;
        throw err instanceof PublishError ? err : new PublishError(exchange, 1, err);
      });
    }
    return this.exchangeReady;
  }
}
