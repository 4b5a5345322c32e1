import { AccountBalanceEntity } from '../entities/account-balance.entity';
import { ExecutionEventEntity } from '../entities/execution-event.entity';
import { ModelVersionEntity } from '../entities/model-version.entity';
import { OrderEntity } from '../entities/order.entity';
import { PositionStateEntity } from '../entities/position-state.entity';
import { PositionEntity } from '../entities/position.entity';
import { QualityMetricEntity } from '../entities/quality-metric.entity';
import { TradingSignalEntity } from '../entities/trading-signal.entity';
import { TrainingRunEntity } from '../entities/training-run.entity';

/** Every entity, registered on the one data source. */
export const ENTITIES = [
  ModelVersionEntity,
  QualityMetricEntity,
  TradingSignalEntity,
  ExecutionEventEntity,
  TrainingRunEntity,
  PositionStateEntity,
  AccountBalanceEntity,
  OrderEntity,
  PositionEntity,
];
