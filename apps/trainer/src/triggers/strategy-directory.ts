import { ExecutionEventEntity, ModelVersionEntity } from '@model-service/repositories';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { TrainerEnv } from '../config/trainer.env';

/**
 * The strategies scheduled retraining covers: MODEL_TRAINING_STRATEGIES when set, else every strategy that has
 * executions or model versions. App-local read through TypeORM's query builder (no SQL strings).
 */
@Injectable()
export class StrategyDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: TrainerEnv,
  ) {}

  async strategies(): Promise<string[]> {
    const configured = this.env.MODEL_TRAINING_STRATEGIES;
    if (configured) return [...new Set(configured.split(',').map((s) => s.trim()).filter(Boolean))];
    const [fromExecutions, fromVersions] = await Promise.all([
      this.dataSource.getRepository(ExecutionEventEntity).createQueryBuilder('e').select('DISTINCT e.strategy_id', 'strategy_id').getRawMany<{ strategy_id: string }>(),
      this.dataSource.getRepository(ModelVersionEntity).createQueryBuilder('v').select('DISTINCT v.strategy_id', 'strategy_id').getRawMany<{ strategy_id: string }>(),
    ]);
    return [...new Set([...fromExecutions, ...fromVersions].map((r) => r.strategy_id))].sort();
  }
}
