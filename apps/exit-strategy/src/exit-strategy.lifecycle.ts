import { ConsumerHost } from '@model-service/messaging';
import { parse, PositionUpdateEvent, topology } from '@model-service/signals';
import { Logger } from '@model-service/util';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { ExitStrategyEnv } from './config/exit-strategy.env';
import { ExitEngine } from './evaluation/exit-engine.service';
import { ExitSignalPublisher } from './evaluation/exit-signal.publisher';
import { ExitMetrics } from './evaluation/exit-metrics';
import { PositionEventsPublisher } from './events/position-events.publisher';
import { FallbackMonitor } from './fallback/fallback-monitor.service';
import { PositionIntake } from './intake/position-intake.service';
import { PositionStateStore } from './state/position-state.store';

const RESTORE_RETRY_MS = 5_000;

/**
 * Start-up: restore position states (retried in the background while the database or its table is
 * missing), declare the position events exchange and the signal route (and store signal records),
 * consume position updates (in order, one consumer across replicas: an exclusive consume, as the queue is
 * the position manager's; acked once handed to the debouncer), start the fallback monitor.
 * Shutdown (before the publisher and the database close): stop consuming, evaluate what is
 * pending, wait for republishes, write every state.
 */
@Injectable()
export class ExitStrategyLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private restoreTimer?: NodeJS.Timeout;
  private stopping = false;
  private readonly log = new Logger('ExitStrategy');

  constructor(
    private readonly env: ExitStrategyEnv,
    private readonly engine: ExitEngine,
    private readonly intake: PositionIntake,
    private readonly consumers: ConsumerHost,
    private readonly events: PositionEventsPublisher,
    private readonly fallback: FallbackMonitor,
    private readonly store: PositionStateStore,
    private readonly metrics: ExitMetrics,
    private readonly signals: ExitSignalPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.restore();
    await this.events.start();
    this.signals.start();
    const queue = topology(this.env.QUEUE_PREFIX).positionUpdated;
    await this.consumers.consume<PositionUpdateEvent>({
      queue,
      // signals' parse: the contract's own rules in one pass (class-validator's schema path costs ~5× the CPU).
      parse: (raw) => parse(PositionUpdateEvent, raw),
      ordered: true,
      singleActiveConsumer: true,
      handler: (message, ctx) => this.intake.receive(message, ctx.traceId),
    });
    this.log.info('consuming position updates', { queue });
    if (this.env.EXIT_STRATEGY_ENABLED) this.fallback.start();
    this.log.info('exit strategy running', {
      enabled: this.env.EXIT_STRATEGY_ENABLED,
      rules: this.engine.rulesConfig,
      debounce_ms: this.env.EXIT_STRATEGY_DEBOUNCE_MS,
      cooldown_seconds: this.env.EXIT_STRATEGY_COOLDOWN_SECONDS,
      per_asset_limit: this.env.EXIT_STRATEGY_RATE_LIMIT,
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restoreTimer);
    await this.consumers.stop();
    await this.fallback.stop();
    await this.intake.stop();
    await this.events.drain();
    await this.store.flush();
    await this.signals.stop();
  }

  private async restore(): Promise<void> {
    try {
      const count = await this.engine.restore();
      this.log.info('position states restored', { positions: count });
    } catch (err) {
      this.metrics.failed('restore');
      this.log.error('could not restore position states; retrying in the background', {
        error: err instanceof Error ? err.message : String(err),
        retry_in_ms: RESTORE_RETRY_MS,
      });
      if (!this.stopping) this.restoreTimer = setTimeout(() => void this.restore(), RESTORE_RETRY_MS);
    }
  }
}
