import { CommandClaimRepository } from '@model-service/repositories';
import { Logger, newTraceId } from '@model-service/util';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';

import { TrainerEnv } from '../config/trainer.env';
import { TrainingOrchestrator } from '../training/training-orchestrator';
import { MAX_TIMER_MS, nextFireTime } from './cron-schedule';
import { StrategyDirectory } from './strategy-directory';

/**
 * Retrains every known strategy at each firing of MODEL_RETRAINING_SCHEDULE (cron, UTC); off when it is empty.
 * Every replica arms the same timer; the one that claims the firing (command_claims, keyed by its time) runs it.
 */
@Injectable()
export class ScheduleTrigger implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  nextRun: Date | null = null;
  private readonly log = new Logger('ScheduleTrigger');

  constructor(
    private readonly env: TrainerEnv,
    private readonly orchestrator: TrainingOrchestrator,
    private readonly directory: StrategyDirectory,
    private readonly claims: CommandClaimRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.MODEL_RETRAINING_SCHEDULE.trim() === '') return;
    this.arm(Date.now());
    this.log.info('retraining scheduled', { schedule: this.env.MODEL_RETRAINING_SCHEDULE, next_run: this.nextRun?.toISOString() });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(afterMs: number): void {
    if (this.stopped) return;
    this.nextRun = nextFireTime(this.env.MODEL_RETRAINING_SCHEDULE, afterMs);
    if (!this.nextRun) return;
    this.wait(this.nextRun.getTime());
  }

  private wait(at: number): void {
    const delay = Math.max(0, at - Date.now());
    this.timer = setTimeout(() => (Date.now() >= at ? void this.fire(at) : this.wait(at)), Math.min(delay, MAX_TIMER_MS));
  }

  private async fire(at: number): Promise<void> {
    if (this.stopped) return;
    try {
      const firing = new Date(at).toISOString();
      if (!(await this.claims.claim(`schedule:${firing}`, `${hostname()}:${process.pid}`))) {
        this.log.info('scheduled retraining claimed by another replica', { scheduled_for: firing });
        return;
      }
      const strategies = await this.directory.strategies();
      this.log.info('scheduled retraining', { strategies, scheduled_for: new Date(at).toISOString() });
      for (const strategyId of strategies) {
        await this.orchestrator.trigger({ strategyId, trigger: 'schedule', mode: 'full', reason: `schedule ${this.env.MODEL_RETRAINING_SCHEDULE}`, traceId: newTraceId() });
      }
    } catch (err) {
      this.log.error('scheduled retraining could not start', { error: err instanceof Error ? err.message : String(err) });
    } finally {
      this.arm(Math.max(at, Date.now()));
    }
  }
}
