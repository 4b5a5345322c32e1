import { currentBackend, initTensorflow } from '@model-service/ml/inference';
import { HealthRegistry, Logger } from '@model-service/util';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';
import { ExecutionIntake } from '../intake/execution-intake.service';
import { TrainingOrchestrator } from '../training/training-orchestrator';
import { QualityMonitor } from '../triggers/quality-monitor';
import { ScheduleTrigger } from '../triggers/schedule.trigger';

/**
 * The `training` section of /health: TensorFlow.js backend, runs in progress with their progress, the last
 * run and the last failure (with its reason), the schedule, intake totals and the latest live quality checks.
 * Informational: a failed training does not make the service unhealthy (the active model is untouched).
 */
@Injectable()
export class TrainingHealth implements OnApplicationBootstrap {
  private readonly log = new Logger('TrainingHealth');

  constructor(
    health: HealthRegistry,
    env: TrainerEnv,
    orchestrator: TrainingOrchestrator,
    intake: ExecutionIntake,
    schedule: ScheduleTrigger,
    monitor: QualityMonitor,
  ) {
    health.registerInfo('training', () => ({
      backend: currentBackend(),
      model_type: env.MODEL_TYPE,
      is_training: orchestrator.current().length > 0,
      current_runs: orchestrator.current(),
      last_run: orchestrator.lastRun,
      last_failure: orchestrator.lastFailure,
      next_scheduled_training: schedule.nextRun?.toISOString() ?? null,
      intake: intake.totals,
      live_quality: monitor.lastChecks,
    }));
  }

  /** Chooses the backend in this thread (evaluation and live checks run here; training picks its own in the worker). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await initTensorflow();
    } catch (err) {
      this.log.error('no TensorFlow.js backend could start; training will fail until one does', { error: String(err) });
    }
  }
}
