import { ConsumerHost } from '@model-service/messaging';
import { PositionUpdateEvent, Topology } from '@model-service/signals';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

import { QUEUE_NAMES } from '../app.tokens';
import { SignalGeneratorEnv } from '../config/signal-generator.env';
import { PositionRiskReader } from './position-risk.reader';

/**
 * Position changes (exit-strategy republishes position-manager.position_updated on the position-events
 * fanout exchange) drop the asset's cached position-manager answer, so the risk rules never decide on a
 * position that has changed. Bound only when there is a cache to invalidate.
 */
@Injectable()
export class PositionEventsSubscriber implements OnModuleInit {
  constructor(
    private readonly config: SignalGeneratorEnv,
    @Inject(QUEUE_NAMES) private readonly names: Topology,
    private readonly consumers: ConsumerHost,
    private readonly risk: PositionRiskReader,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.POSITION_MANAGER_URL || !this.config.POSITION_CACHE_ENABLED) return;
    await this.consumers.consume<PositionUpdateEvent>({
      queue: this.names.positionEventsReplicaQueue,
      fanoutExchange: this.names.positionEventsExchange,
      schema: PositionUpdateEvent,
      ordered: true,
      prefetch: 10,
      maxRetries: 0,
      handler: (event) => this.risk.invalidate(event.asset),
    });
  }
}
