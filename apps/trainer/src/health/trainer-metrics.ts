import { metric, MetricSet } from '@model-service/util';
import { Injectable } from '@nestjs/common';

/** The trainer's Prometheus metrics (all prefixed model_service_ by the registry). */
@Injectable()
export class TrainerMetrics extends MetricSet({
  executionsStored: metric.counter('trainer_executions_stored_total', 'Execution events stored', ['strategy_id']),
  executionsDuplicate: metric.counter('trainer_executions_duplicate_total', 'Execution events already stored (redelivered event_id)'),
  executionsUnknownSignal: metric.counter('trainer_executions_unknown_signal_total', 'Stored execution events whose signal_id is not in trading_signals'),
  executionsPartialFill: metric.counter('trainer_executions_partial_fill_total', 'Stored execution events that are partial fills'),
  executionsRejected: metric.counter('trainer_executions_rejected_total', 'Execution events PostgreSQL refused (data error); their messages are dead-lettered'),
  intakeBatchRows: metric.histogram('trainer_intake_batch_rows', 'Execution events per intake batch', [], [1, 10, 50, 100, 250, 500, 1000, 5000]),
  intakeFlushSeconds: metric.histogram('trainer_intake_flush_seconds', 'Time to write one intake batch', [], [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5]),
  intakeFlushFailures: metric.counter('trainer_intake_flush_failures_total', 'Intake batches that could not be written (messages retried)'),
  trainingRuns: metric.counter('trainer_training_runs_total', 'Training runs by trigger and final status', ['trigger', 'status']),
  trainingInProgress: metric.gauge('trainer_training_in_progress', '1 while a run of the strategy trains', ['strategy_id']),
  trainingEpoch: metric.gauge('trainer_training_epoch', 'Last finished epoch of the running training', ['strategy_id']),
  trainingLoss: metric.gauge('trainer_training_loss', 'Training loss of the last epoch', ['strategy_id']),
  trainingValLoss: metric.gauge('trainer_training_val_loss', 'Validation loss of the last epoch', ['strategy_id']),
  trainingValAccuracy: metric.gauge('trainer_training_val_accuracy', 'Validation accuracy of the last epoch', ['strategy_id']),
  trainingEtaSeconds: metric.gauge('trainer_training_eta_seconds', 'Estimated seconds left in the running training', ['strategy_id']),
  trainingDurationSeconds: metric.histogram('trainer_training_duration_seconds', 'Wall time of finished training runs', ['status'], [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600]),
  modelSwitches: metric.counter('trainer_model_switches_total', 'Model activations and rollbacks', ['strategy_id', 'kind']),
  liveAccuracy: metric.gauge('trainer_live_accuracy', 'Accuracy of the active model on recent executions', ['strategy_id', 'version']),
  qualityBreaches: metric.counter('trainer_quality_breaches_total', 'Live quality checks below the degradation threshold', ['strategy_id']),
}) {}
