import { ExecutionEventRepository, ModelVersionRepository, TrainingRunRepository } from '@model-service/repositories';
import { Logger, newTraceId } from '@model-service/util';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';
import { ExecutionIntake, IntakeBatchResult } from '../intake/execution-intake.service';
import { TrainingOrchestrator } from '../training/training-orchestrator';
import { ExecutionCounter } from './execution-counter';
import { StrategyDirectory } from './strategy-directory';

/**
 * Counts executions stored per strategy since its last run started: MODEL_TRAINING_DATA_THRESHOLD new ones
 * trigger a full retrain; with MODEL_ONLINE_UPDATES_ENABLED, MODEL_ONLINE_UPDATE_THRESHOLD new ones trigger a
 * fine-tuning run of the active model (only while the strategy is not training).
 */
@Injectable()
export class DataThresholdTrigger implements OnApplicationBootstrap {
  private readonly counter: ExecutionCounter;
  private chain: Promise<void> = Promise.resolve();
  private readonly log = new Logger('DataThresholdTrigger');

  constructor(
    private readonly env: TrainerEnv,
    private readonly intake: ExecutionIntake,
    private readonly orchestrator: TrainingOrchestrator,
    private readonly executions: ExecutionEventRepository,
    private readonly runs: TrainingRunRepository,
    private readonly versions: ModelVersionRepository,
    private readonly directory: StrategyDirectory,
  ) {
    this.counter = new ExecutionCounter({
      retrain: env.MODEL_TRAINING_DATA_THRESHOLD,
      fineTune: env.MODEL_ONLINE_UPDATES_ENABLED ? env.MODEL_ONLINE_UPDATE_THRESHOLD : null,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.orchestrator.onRun((event) => {
      if (event.type === 'started') this.counter.reset(event.request.strategyId);
    });
    this.intake.onStored((result) => {
      this.chain = this.chain.then(() => this.onStored(result));
    });
    if (this.env.MODEL_TRAINING_DATA_THRESHOLD === 0 && !this.env.MODEL_ONLINE_UPDATES_ENABLED) return;
    for (const strategyId of await this.directory.strategies()) {
      const last = await this.runs.latest(strategyId);
      this.counter.seed(strategyId, await this.executions.countSince(strategyId, last?.queuedAt ?? new Date(0)));
    }
  }

  /** New executions of a strategy since its last run (as counted by this process). */
  pending(strategyId: string): number {
    return this.counter.count(strategyId);
  }

  private async onStored(result: IntakeBatchResult): Promise<void> {
    for (const [strategyId, n] of result.byStrategy) {
      try {
        const action = this.counter.add(strategyId, n, await this.canFineTune(strategyId, n));
        if (action === 'none') continue;
        const online = action === 'fine_tune';
        const count = this.counter.count(strategyId);
        this.log.info(online ? 'new executions: fine-tuning the active model' : 'new executions: retraining', { strategy_id: strategyId, new_executions: count });
        void this.orchestrator
          .trigger({
            strategyId,
            trigger: online ? 'online' : 'data_threshold',
            mode: online ? 'online' : 'full',
            reason: `${count} new executions since the last run`,
            traceId: newTraceId(),
          })
          .catch((err: unknown) => {
            this.counter.rearm(strategyId);
            this.log.error('data-threshold trigger could not start a run', { strategy_id: strategyId, error: String(err) });
          });
      } catch (err) {
        this.log.error('data-threshold check failed', { strategy_id: strategyId, error: String(err) });
      }
    }
  }

  private async canFineTune(strategyId: string, adding: number): Promise<boolean> {
    if (!this.env.MODEL_ONLINE_UPDATES_ENABLED || this.orchestrator.isRunning(strategyId)) return false;
    if (this.counter.count(strategyId) + adding < this.env.MODEL_ONLINE_UPDATE_THRESHOLD) return false;
    return (await this.versions.getActive(strategyId)) !== null;
  }
}
