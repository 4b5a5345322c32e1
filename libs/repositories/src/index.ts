export { createDataSource, assertSchemaName } from './database/create-data-source';
export type { DataSourceOptions } from './database/create-data-source';
export { ensureDatabase, redactUrl, splitDatabaseUrl } from './database/ensure-database';
export { AdvisoryLockSession } from './database/advisory-lock-session';
export type { AdvisoryLockKey, AdvisoryLockSessionOptions } from './database/advisory-lock-session';
export { TransactionScope, UnitOfWork } from './database/unit-of-work';
export { MIGRATIONS, MIGRATIONS_TABLE } from './database/migration-list';
export { numericTransformer, parseCount, parseNumeric, parseRequiredNumeric } from './database/numeric.transformer';
export { GRANULARITIES, assertGranularity } from './database/sql-params';
export type { Granularity, Page } from './database/sql-params';
export { isDataError, isUniqueViolation, RecordConflictError, RecordNotFoundError, RejectedRowError } from './errors';

// Entities are the rows repositories return: their types are public, the classes (what TypeORM queries
// with) are not; tests that read tables directly get them from the testing entry.
export type { ExecutionEventEntity } from './entities/execution-event.entity';
export { MODEL_VERSION_STATUSES } from './entities/model-version.entity';
export type { ModelVersionEntity, ModelVersionStatus } from './entities/model-version.entity';
export type { OrderEntity, OrderStatus } from './entities/order.entity';
export type { PositionStateEntity } from './entities/position-state.entity';
export type { PositionEntity } from './entities/position.entity';
export type { QualityMetricEntity, QualityMetricType } from './entities/quality-metric.entity';
export type { TradingSignalEntity } from './entities/trading-signal.entity';
export type { TrainingProgress, TrainingRunEntity, TrainingRunStatus, TrainingTrigger } from './entities/training-run.entity';

export { AccountBalanceRepository } from './repositories/account-balance.repository';
export type { NewAccountBalance } from './repositories/account-balance.repository';
export type { DatasetCursor, DatasetQuery, DatasetRow, TrainingRow } from './repositories/execution-dataset.query';
export { trainingColumnsOf, trainingRowsOf } from './repositories/training-rows.copy';
export type { TrainingColumns } from './repositories/training-rows.copy';
export { CommandClaimRepository } from './repositories/command-claim.repository';
export { ExecutionEventRepository } from './repositories/execution-event.repository';
export type {
  ExecutionEventInput,
  InsertBatchResult,
  IsolatedInsertResult,
  PerformanceBucket,
  PerformanceFigures,
  PerformanceQuery,
} from './repositories/execution-event.repository';
export { ModelVersionRepository } from './repositories/model-version.repository';
export type { ActivationResult, ModelVersionFilters, NewModelVersion } from './repositories/model-version.repository';
export { OrderRepository } from './repositories/order.repository';
export type { NewOrder, OrderPatch } from './repositories/order.repository';
export { PositionStateRepository } from './repositories/position-state.repository';
export type { PositionStateInput } from './repositories/position-state.repository';
export { PositionRepository } from './repositories/position.repository';
export type { PositionInput } from './repositories/position.repository';
export { QualityMetricRepository } from './repositories/quality-metric.repository';
export type {
  MetricTimeSeriesPoint,
  MetricTimeSeriesQuery,
  NewQualityMetric,
  QualityMetricFilters,
} from './repositories/quality-metric.repository';
export { TradingSignalRepository } from './repositories/trading-signal.repository';
export type { SignalFacts, TradingSignalFilters, TradingSignalInput } from './repositories/trading-signal.repository';
export { TrainingRunRepository } from './repositories/training-run.repository';
export { WarmupClockRepository } from './repositories/warmup-clock.repository';
export type { WarmupClock } from './repositories/warmup-clock.repository';
export type { NewTrainingRun, TrainingRunFilters, TrainingRunPatch } from './repositories/training-run.repository';

export { RepositoriesModule, databaseCheck } from './repositories.module';
export type { DatabaseEnv, RepositoriesModuleOptions } from './repositories.module';

export { DecisionAccountRepository } from './queries/decision-account.repository';
export type { DecisionAccount, DecisionPosition } from './queries/decision-account.repository';
export { ExecutedDecisionRepository } from './queries/executed-decision.repository';
export type { ExecutedDecisionQuery, ExecutedDecisionRow } from './queries/executed-decision.repository';
export { OperationsReadRepository } from './queries/operations-read.repository';
export type { ModelSignalPerformance, StrategySignalActivity } from './queries/operations-read.repository';
export { SignalFlowRepository } from './queries/signal-flow.repository';
export type { ExitReasonCount, SignalCountBucket, SignalMode } from './queries/signal-flow.repository';
