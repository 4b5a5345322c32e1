import { Publisher } from '@model-service/messaging';
import { ModelEvent, ModelEventType, topology } from '@model-service/signals';
import { currentTraceId, Logger } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';

export interface ModelEventInput {
  strategyId: string;
  version: string | null;
  previousVersion?: string | null;
  /** model_versions.checksum of `version`, so a follower whose database is down can still verify the files. */
  checksum?: string | null;
  metadata?: Record<string, unknown>;
}

/** Publishes ModelEvents (with broker confirms) on the model-events fanout exchange every signal-generator replica binds to. */
@Injectable()
export class ModelEventsPublisher {
  private readonly exchange: string;
  private declared: Promise<void> | null = null;
  private readonly log = new Logger('ModelEventsPublisher');

  constructor(
    private readonly publisher: Publisher,
    env: TrainerEnv,
  ) {
    this.exchange = topology(env.QUEUE_PREFIX).modelEventsExchange;
  }

  async publish(type: ModelEventType, input: ModelEventInput): Promise<ModelEvent> {
    if (!this.declared) {
      this.declared = this.publisher.assertFanout(this.exchange);
      this.declared.catch(() => (this.declared = null));
    }
    await this.declared;
    const event: ModelEvent = {
      event_type: type,
      strategy_id: input.strategyId,
      version: input.version,
      previous_version: input.previousVersion ?? null,
      checksum: input.checksum ?? null,
      timestamp: new Date().toISOString(),
      trace_id: currentTraceId() ?? null,
      metadata: input.metadata ?? null,
    };
    await this.publisher.publishToExchange(this.exchange, event);
    this.log.info('model event published', { event_type: type, strategy_id: input.strategyId, version: input.version, previous_version: event.previous_version });
    return event;
  }
}
