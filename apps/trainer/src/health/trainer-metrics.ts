import { MetricsRegistry } from '@model-service/util';
import { Injectable } from '@nestjs/common';
import type { Counter, Gauge, Histogram } from 'prom-client';

/** The trainer's Prometheus metrics (all prefixed model_service_ by the registry). */
@Injectable()
export class TrainerMetrics {
  readonly executionsStored: Counter<string>;
  readonly executionsDuplicate: Counter<string>;
  readonly executionsUnknownSignal: Counter<string>;
  readonly executionsPartialFill: Counter<string>;
  readonly executionsRejected: Counter<string>;
  readonly intakeBatchRows: Histogram<string>;
  readonly intakeFlushSeconds: Histogram<string>;
  readonly intakeFlushFailures: Counter<string>;
  readonly trainingRuns: Counter<string>;
  readonly trainingInProgress: Gauge<string>;
  readonly trainingEpoch: Gauge<string>;
  readonly trainingLoss: Gauge<string>;
  readonly trainingValLoss: Gauge<string>;
  readonly trainingValAccuracy: Gauge<string>;
  readonly trainingEtaSeconds: Gauge<string>;
  readonly trainingDurationSeconds: Histogram<string>;
  readonly modelSwitches: Counter<string>;
  readonly liveAccuracy: Gauge<string>;
  readonly qualityBreaches: Counter<string>;

  constructor(m: MetricsRegistry) {
    this.executionsStored = m.counter('trainer_executions_stored_total', 'Execution events stored', ['strategy_id']);
    this.executionsDuplicate = m.counter('trainer_executions_duplicate_total', 'Execution events already stored (redelivered event_id)');
    this.executionsUnknownSignal = m.counter('trainer_executions_unknown_signal_total', 'Stored execution events whose signal_id is not in trading_signals');
    this.executionsPartialFill = m.counter('trainer_executions_partial_fill_total', 'Stored execution events that are partial fills');
    this.executionsRejected = m.counter('trainer_executions_rejected_total', 'Execution events PostgreSQL refused (data error); their messages are dead-lettered');
    this.intakeBatchRows = m.histogram('trainer_intake_batch_rows', 'Execution events per intake batch', [], [1, 10, 50, 100, 250, 500, 1000, 5000]);
    this.intakeFlushSeconds = m.histogram('trainer_intake_flush_seconds', 'Time to write one intake batch', [], [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5]);
    this.intakeFlushFailures = m.counter('trainer_intake_flush_failures_total', 'Intake batches that could not be written (messages retried)');
    this.trainingRuns = m.counter('trainer_training_runs_total', 'Training runs by trigger and final status', ['trigger', 'status']);
    this.trainingInProgress = m.gauge('trainer_training_in_progress', '1 while a run of the strategy trains', ['strategy_id']);
    this.trainingEpoch = m.gauge('trainer_training_epoch', 'Last finished epoch of the running training', ['strategy_id']);
    this.trainingLoss = m.gauge('trainer_training_loss', 'Training loss of the last epoch', ['strategy_id']);
    this.trainingValLoss = m.gauge('trainer_training_val_loss', 'Validation loss of the last epoch', ['strategy_id']);
    this.trainingValAccuracy = m.gauge('trainer_training_val_accuracy', 'Validation accuracy of the last epoch', ['strategy_id']);
    this.trainingEtaSeconds = m.gauge('trainer_training_eta_seconds', 'Estimated seconds left in the running training', ['strategy_id']);
    this.trainingDurationSeconds = m.histogram('trainer_training_duration_seconds', 'Wall time of finished training runs', ['status'], [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600]);
    this.modelSwitches = m.counter('trainer_model_switches_total', 'Model activations and rollbacks', ['strategy_id', 'kind']);
    this.liveAccuracy = m.gauge('trainer_live_accuracy', 'Accuracy of the active model on recent executions', ['strategy_id', 'version']);
    this.qualityBreaches = m.counter('trainer_quality_breaches_total', 'Live quality checks below the degradation threshold', ['strategy_id']);
  }
}
