import { ExecutionEventRepository, ModelVersionRepository } from '@model-service/repositories';
import { Injectable } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';

/**
 * The strategies scheduled retraining covers: MODEL_TRAINING_STRATEGIES when set, else every strategy that has
 * executions or model versions.
 */
@Injectable()
export class StrategyDirectory {
  constructor(
    private readonly executions: ExecutionEventRepository,
    private readonly versions: ModelVersionRepository,
    private readonly env: TrainerEnv,
  ) {}

  async strategies(): Promise<string[]> {
    const configured = this.env.MODEL_TRAINING_STRATEGIES;
    if (configured) return [...new Set(configured.split(',').map((s) => s.trim()).filter(Boolean))];
    const [fromExecutions, fromVersions] = await Promise.all([this.executions.strategyIds(), this.versions.strategyIds()]);
    return [...new Set([...fromExecutions, ...fromVersions])].sort();
  }
}
