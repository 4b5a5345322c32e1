import { Dataset, FEATURE_SET_VERSION, parseNormalizationStats } from '@model-service/features';
import {
  EvaluationReport,
  passesPromotionRule,
  readModelVersion,
  startTrainingWorker,
  TrainingCancelledError,
  TrainingError,
  TrainingJob,
  TrainingProgress,
  TrainingResult,
  TrainingWorker,
} from '@model-service/ml';
import { ExecutionEventRepository, ModelVersionEntity, ModelVersionRepository, TradingSignalRepository, TrainingTrigger } from '@model-service/repositories';
import { Logger } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';
import { DatasetBounds, DatasetStats, loadRunDataset, metricsSummary, PreparedTraining, prepareTraining, qualityMetricRows, repositoryBounds, scoreArtifacts, scoreStoredVersion, SplitPlan, TrainingSettings, trainingSettingsOf } from '@model-service/training';
import { ModelRegistry } from '../models/model-registry.service';

export type RunMode = 'full' | 'online';

export interface RunRequest {
  strategyId: string;
  trigger: TrainingTrigger;
  mode: RunMode;
  reason?: string | null;
  traceId?: string | null;
}

export type RunOutcome =
  | { status: 'skipped'; reason: string; datasetSize: number }
  | { status: 'succeeded'; version: string; promoted: boolean; reasons: string[]; datasetSize: number; accuracy: number };

export interface RunHooks {
  signal: AbortSignal;
  /** Phase changes and per-epoch progress (for the run row, logs and metrics). */
  onProgress(progress: Record<string, unknown>): void;
}

interface Candidate {
  dataset: Dataset;
  stats: DatasetStats;
  plan: SplitPlan;
  prepared: PreparedTraining;
  job: Omit<TrainingJob, 'X' | 'y' | 'n' | 'nFeatures' | 'validationFrom'>;
  parent: ModelVersionEntity | null;
  dataStart: string | null;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new TrainingCancelledError();
}

/**
 * One training run, start to end: dataset from PostgreSQL → time-ordered split and normalisation → training in
 * the worker thread → evaluation on the held-out rows (candidate, majority baseline, and the active model on the
 * same rows) → files + `model_versions` row + `model_quality_metrics` → promotion rule → activation. Cancellation
 * is honoured up to the moment the files are written. Any failure leaves the active model untouched.
 */
@Injectable()
export class TrainingPipeline {
  private readonly settings: TrainingSettings;
  private readonly bounds: DatasetBounds;
  private readonly log = new Logger('TrainingPipeline');

  constructor(
    private readonly executions: ExecutionEventRepository,
    signals: TradingSignalRepository,
    private readonly versions: ModelVersionRepository,
    private readonly registry: ModelRegistry,
    env: TrainerEnv,
  ) {
    this.settings = trainingSettingsOf(env);
    this.bounds = repositoryBounds(executions, signals);
  }

  async execute(runId: string, req: RunRequest, hooks: RunHooks): Promise<RunOutcome> {
    // The training thread loads TensorFlow.js and its backend (seconds) while the dataset is read.
    const worker = startTrainingWorker();
    try {
      const prepared = req.mode === 'online' ? await this.prepareOnline(req, hooks) : await this.prepareFull(req, hooks);
      if ('skip' in prepared) return { status: 'skipped', reason: prepared.skip, datasetSize: prepared.size };
      return await this.trainAndRegister(runId, req, prepared, hooks, worker);
    } finally {
      worker.close();
    }
  }

  private async prepareFull(req: RunRequest, hooks: RunHooks): Promise<Candidate | { skip: string; size: number }> {
    const s = this.settings;
    hooks.onProgress({ phase: 'dataset' });
    const { dataset, stats, plan } = await loadRunDataset(this.executions, { strategyId: req.strategyId }, s, this.readOptions(hooks));
    hooks.onProgress({ phase: 'dataset_ready', dataset: stats });
    if (stats.rows < s.minDatasetSize) {
      return { skip: `dataset has ${stats.rows} labelled executions, MODEL_TRAINING_MIN_DATASET_SIZE is ${s.minDatasetSize}`, size: stats.rows };
    }
    this.checkPlan(plan, dataset.n);
    return {
      dataset,
      stats,
      plan,
      prepared: prepareTraining(dataset, plan),
      job: this.jobSettings(s.modelType, s.epochs, s.learningRate),
      parent: null,
      dataStart: stats.dataStart,
    };
  }

  /** Fine-tuning: the active model continues training on executions newer than its own data, keeping its normalisation. */
  private async prepareOnline(req: RunRequest, hooks: RunHooks): Promise<Candidate | { skip: string; size: number }> {
    const s = this.settings;
    const parent = await this.versions.getActive(req.strategyId);
    if (!parent) return { skip: 'no active model to fine-tune', size: 0 };
    const files = await readModelVersion(parent.filePath, { feature_set_version: FEATURE_SET_VERSION });
    const dataEnd = typeof parent.trainingConfig['data_end'] === 'string' ? new Date(parent.trainingConfig['data_end']) : null;
    const from = dataEnd && Number.isFinite(dataEnd.getTime()) ? new Date(dataEnd.getTime() + 1) : undefined;
    hooks.onProgress({ phase: 'dataset', parent_version: parent.version });
    const { dataset, stats, plan } = await loadRunDataset(this.executions, { strategyId: req.strategyId, from }, s, this.readOptions(hooks));
    hooks.onProgress({ phase: 'dataset_ready', dataset: stats });
    if (stats.rows < s.online.minRows) {
      return { skip: `${stats.rows} new labelled executions since ${parent.version}, online updates need ${s.online.minRows}`, size: stats.rows };
    }
    this.checkPlan(plan, dataset.n);
    const stored = parseNormalizationStats(files.normalization);
    return {
      dataset,
      stats,
      plan,
      prepared: prepareTraining(dataset, plan, stored),
      job: { ...this.jobSettings(files.metadata.model_type, s.online.epochs, s.online.learningRate), initialModel: files.artifacts },
      parent,
      dataStart: typeof parent.trainingConfig['data_start'] === 'string' ? parent.trainingConfig['data_start'] : stats.dataStart,
    };
  }

  private readOptions(hooks: RunHooks): { signal: AbortSignal; readers: number; bounds: DatasetBounds } {
    return { signal: hooks.signal, readers: this.settings.datasetReaders, bounds: this.bounds };
  }

  private checkPlan(plan: SplitPlan, n: number): void {
    if (plan.trainEnd < 1 || plan.validationStart >= plan.n) {
      throw new TrainingError(
        'empty_split',
        `${n} rows leave ${plan.trainEnd} for training and ${plan.n - plan.validationStart} for validation (embargo ${this.settings.embargoMs} ms)`,
      );
    }
  }

  private jobSettings(modelType: TrainingJob['modelType'], epochs: number, learningRate: number): Candidate['job'] {
    const s = this.settings;
    return { modelType, epochs, batchSize: s.batchSize, learningRate, patience: s.patience, classWeight: s.classWeighting ? 'balanced' : null };
  }

  private async trainAndRegister(runId: string, req: RunRequest, c: Candidate, hooks: RunHooks, worker: TrainingWorker): Promise<RunOutcome> {
    const s = this.settings;
    const { prepared, plan, stats } = c;
    throwIfAborted(hooks.signal);
    hooks.onProgress({ phase: 'training', train_rows: prepared.validationFrom, validation_rows: prepared.n - prepared.validationFrom });
    const trainStarted = Date.now();
    const job: TrainingJob = { ...c.job, X: prepared.X, y: prepared.y, n: prepared.n, nFeatures: prepared.nFeatures, validationFrom: prepared.validationFrom };
    const result = await worker.run(job, {
      signal: hooks.signal,
      onProgress: (p: TrainingProgress) => hooks.onProgress({ phase: 'training', ...p }),
    });
    const trainSeconds = (Date.now() - trainStarted) / 1000;
    throwIfAborted(hooks.signal);

    hooks.onProgress({ phase: 'evaluation' });
    const data = { X: result.X, y: result.y, returns: prepared.returns };
    const candidate = await scoreArtifacts(result.artifacts, data, prepared.validationFrom, prepared.n, s.decisionThreshold);
    const active = await this.scoreActive(req.strategyId, c.dataset, plan);
    const activeReport = active?.report ?? null;
    const decision = passesPromotionRule({
      candidate: candidate.classification,
      baseline: candidate.baseline,
      active: activeReport?.classification ?? null,
      threshold: s.accuracyThreshold,
      minValidationRows: s.minValidationRows,
    });
    if (active?.problem) decision.reasons.push(`active model ${active.version} not comparable: ${active.problem}`);
    throwIfAborted(hooks.signal);

    hooks.onProgress({ phase: 'saving' });
    const version = this.registry.newVersionName(req.strategyId);
    const trainingConfig = this.trainingConfig(req, c, result, trainSeconds);
    const summary = metricsSummary(candidate, {
      active_version: active?.version ?? null,
      active_accuracy: activeReport?.classification.accuracy ?? null,
      promoted: decision.promote,
      promotion_reasons: decision.reasons,
    });
    const modelType = c.job.modelType;
    const saved = await this.registry.save(result.artifacts, {
      version,
      strategy_id: req.strategyId,
      model_type: modelType,
      feature_set_version: c.dataset.feature_set_version,
      feature_names: c.dataset.names,
      normalization: prepared.stats,
      training_config: trainingConfig,
      metrics: summary,
      created_at: new Date(),
    });
    const evaluatedAt = new Date();
    const metadata = { run_id: runId, dataset_rows: stats.rows, train_rows: prepared.validationFrom, validation_rows: prepared.n - prepared.validationFrom };
    await this.registry.register(
      {
        version,
        strategyId: req.strategyId,
        modelType,
        featureSetVersion: c.dataset.feature_set_version,
        filePath: saved.dir,
        checksum: saved.checksum,
        trainingConfig,
        metrics: summary,
        trainingDatasetSize: stats.rows,
        trainingDurationSeconds: trainSeconds,
        trainingRunId: runId,
        parentVersion: c.parent?.version ?? null,
        status: 'candidate',
      },
      (row) => [
        ...qualityMetricRows(candidate, { modelVersionId: row.id, strategyId: req.strategyId, evaluatedAt, kind: 'held_out', metadata }),
        ...(activeReport
          ? [{ modelVersionId: row.id, strategyId: req.strategyId, metricName: 'active_model_accuracy', metricValue: activeReport.classification.accuracy, metricType: 'comparison', evaluatedAt, datasetSize: activeReport.n, metadata: { ...metadata, active_version: active?.version } }]
          : []),
      ],
    );
    this.log.info(decision.promote ? 'candidate passes the promotion rule' : 'candidate kept (promotion rule not met)', {
      strategy_id: req.strategyId,
      version,
      accuracy: candidate.classification.accuracy,
      baseline_accuracy: candidate.baseline.classification.accuracy,
      active_accuracy: activeReport?.classification.accuracy ?? null,
      reasons: decision.reasons,
    });
    if (decision.promote) await this.registry.activate(version, req.strategyId, { reasons: decision.reasons, run_id: runId });
    await this.registry.cleanup(req.strategyId).catch((err: unknown) => this.log.error('model version cleanup failed', { error: String(err) }));
    return { status: 'succeeded', version, promoted: decision.promote, reasons: decision.reasons, datasetSize: stats.rows, accuracy: candidate.classification.accuracy };
  }

  /** The active model (if any) on the candidate's held-out rows; one that cannot be loaded is reported, not fatal. */
  private async scoreActive(strategyId: string, dataset: Dataset, plan: SplitPlan): Promise<{ version: string; report?: EvaluationReport; problem?: string } | null> {
    const active = await this.versions.getActive(strategyId);
    if (!active) return null;
    try {
      return { version: active.version, report: await scoreStoredVersion(active.filePath, dataset, plan, this.settings.decisionThreshold) };
    } catch (err) {
      this.log.warn('active model could not be scored on the held-out data', { version: active.version, error: String(err) });
      return { version: active.version, problem: err instanceof Error ? err.message : String(err) };
    }
  }

  private trainingConfig(req: RunRequest, c: Candidate, result: TrainingResult, trainSeconds: number): Record<string, unknown> {
    const s = this.settings;
    const { initialModel: _weights, ...job } = c.job;
    return {
      mode: req.mode,
      trigger: req.trigger,
      ...job,
      validation_fraction: s.validationFraction,
      label_horizon_ms: s.labels.horizonMs,
      exit_fee_rate: s.labels.exitFeeRate,
      min_return: s.labels.minReturn,
      decision_threshold: s.decisionThreshold,
      accuracy_threshold: s.accuracyThreshold,
      min_validation_rows: s.minValidationRows,
      embargo_ms: s.embargoMs,
      parent_version: c.parent?.version ?? null,
      data_start: c.dataStart,
      data_end: c.stats.dataEnd,
      dataset: c.stats,
      split: { train_rows: c.plan.trainEnd, embargo_rows: c.plan.validationStart - c.plan.trainEnd, validation_rows: c.plan.n - c.plan.validationStart },
      best_epoch: result.bestEpoch,
      epochs_run: result.epochsRun,
      stopped_early: result.stoppedEarly,
      class_weights: result.classWeights,
      backend: result.backend,
      train_seconds: trainSeconds,
    };
  }
}
