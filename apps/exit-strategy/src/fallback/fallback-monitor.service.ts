import { ConsumerHost } from '@model-service/messaging';
import { CLOCK, Clock, HealthRegistry, Logger, newTraceId } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { ExitStrategyEnv } from '../config/exit-strategy.env';
import { ExitEngine } from '../evaluation/exit-engine.service';
import { ExitMetrics } from '../evaluation/exit-metrics';
import { PositionIntake } from '../intake/position-intake.service';
import { FallbackSources } from './fallback-sources';

export type DegradationReason = 'consumer_disconnected' | 'no_position_updates';

export interface FallbackStatus {
  active: boolean;
  reason: DegradationReason | null;
  since: string | null;
  last_update_at: string;
  rounds: number;
}

/**
 * Watches the position update stream. When no update arrived for EXIT_STRATEGY_FALLBACK_AFTER_SECONDS,
 * or the consumer is disconnected, it logs the degradation and evaluates every
 * EXIT_STRATEGY_FALLBACK_INTERVAL_SECONDS from the fallback sources; the first queue update with the
 * consumer connected (or a check that finds both fine) ends it and logs the recovery.
 */
@Injectable()
export class FallbackMonitor {
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private degradedSince: number | null = null;
  private reason: DegradationReason | null = null;
  private rounds = 0;
  private readonly log = new Logger('FallbackMonitor');

  constructor(
    private readonly env: ExitStrategyEnv,
    private readonly intake: PositionIntake,
    private readonly consumer: ConsumerHost,
    private readonly sources: FallbackSources,
    private readonly engine: ExitEngine,
    private readonly metrics: ExitMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    health: HealthRegistry,
  ) {
    health.registerInfo('exit_fallback', () => this.status());
  }

  start(): void {
    this.intake.onQueueUpdate(() => {
      if (this.degradedSince !== null && this.consumer.isConnected()) this.recover();
    });
    this.timer = setInterval(() => this.tick(), this.env.EXIT_STRATEGY_FALLBACK_INTERVAL_SECONDS * 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }

  status(): FallbackStatus {
    return {
      active: this.degradedSince !== null,
      reason: this.reason,
      since: this.degradedSince === null ? null : new Date(this.degradedSince).toISOString(),
      last_update_at: new Date(this.intake.lastUpdateAt).toISOString(),
      rounds: this.rounds,
    };
  }

  /** One check (and, while degraded, one evaluation round). Public for tests. */
  tick(): Promise<void> {
    const reason = this.degradation();
    if (reason && this.degradedSince === null) this.degrade(reason);
    else if (reason && reason !== this.reason) {
      this.log.warn('position updates still degraded, for another reason', { reason, previous: this.reason });
      this.reason = reason;
    } else if (!reason && this.degradedSince !== null) this.recover();
    if (this.degradedSince !== null && !this.round) {
      this.round = this.evaluateRound().finally(() => (this.round = undefined));
    }
    return this.round ?? Promise.resolve();
  }

  private degradation(): DegradationReason | null {
    if (!this.consumer.isConnected()) return 'consumer_disconnected';
    const silentMs = this.clock.now() - this.intake.lastUpdateAt;
    return silentMs >= this.env.EXIT_STRATEGY_FALLBACK_AFTER_SECONDS * 1000 ? 'no_position_updates' : null;
  }

  private degrade(reason: DegradationReason): void {
    this.degradedSince = this.clock.now();
    this.reason = reason;
    this.metrics.fallbackActive.set(1);
    this.log.warn('position updates degraded; evaluating exits from the positions table periodically', {
      reason,
      seconds_since_last_update: Math.round((this.clock.now() - this.intake.lastUpdateAt) / 1000),
      position_manager_api: this.env.POSITION_MANAGER_URL ? 'on' : 'off',
      interval_seconds: this.env.EXIT_STRATEGY_FALLBACK_INTERVAL_SECONDS,
    });
  }

  private recover(): void {
    const since = this.degradedSince ?? this.clock.now();
    this.log.info('position updates recovered; fallback evaluation stopped', {
      degraded_for_seconds: Math.round((this.clock.now() - since) / 100) / 10,
      reason: this.reason,
      rounds: this.rounds,
    });
    this.degradedSince = null;
    this.reason = null;
    this.metrics.fallbackActive.set(0);
  }

  private async evaluateRound(): Promise<void> {
    try {
      // Another replica may be the active consumer: take its peaks and last exits before evaluating.
      await this.engine.restore().catch((err: unknown) => {
        this.metrics.failed('restore');
        this.log.warn('could not reload position states for the fallback round', {
          error: err instanceof Error ? err.message : String(err),
        });
      });
      const { candidates, failed } = await this.sources.collect();
      this.rounds++;
      for (const c of candidates) {
        this.intake.submit(c.key, {
          snapshot: c.snapshot,
          traceId: newTraceId(),
          source: c.source,
          receivedAt: performance.now(),
          coalesced: 0,
        });
      }
      this.metrics.fallbackRounds.inc({ outcome: failed.length > 0 ? 'partial' : 'ok' });
      this.log.debug('fallback round', { positions: candidates.length, failed_sources: failed });
    } catch (err) {
      this.metrics.fallbackRounds.inc({ outcome: 'failed' });
      this.log.error('fallback round failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
