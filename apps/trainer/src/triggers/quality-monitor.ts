import { EvaluationReport } from '@model-service/ml';
import { ExecutionEventRepository, ModelVersionEntity, ModelVersionRepository, QualityMetricRepository } from '@model-service/repositories';
import { Logger, newTraceId } from '@model-service/util';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';
import { loadExecutionDataset, qualityMetricRows, scoreStoredVersion, trainingSettingsOf } from '@model-service/training';
import { TrainerMetrics } from '../health/trainer-metrics';
import { ModelRegistry } from '../models/model-registry.service';
import { TrainingOrchestrator } from '../training/training-orchestrator';
import { DegradationTracker, QualityAction } from './degradation-tracker';
import { LiveRollbackGuard } from './live-rollback.guard';
import { LiveVerdict } from './live-rollback.rule';

export interface LiveCheck {
  strategyId: string;
  version: string;
  samples: number;
  accuracy: number | null;
  breached: boolean;
  /** 'rolled_back_live': live results fell below warm-up's (LiveRollbackGuard); accuracy was not measured. */
  action: QualityAction | 'skipped' | 'rolled_back_live';
  /** The live-against-warm-up verdict of this check (absent when the check was skipped). */
  liveVsWarmup?: LiveVerdict | 'off' | 'error';
}

/**
 * Every MODEL_QUALITY_CHECK_INTERVAL_SECONDS, re-measures each active model on the executions of the last
 * MODEL_QUALITY_CHECK_WINDOW_SECONDS (metric_type 'live' rows, at most MODEL_QUALITY_CHECK_MAX_ROWS per check: a time
 * series per version). Accuracy below
 * MODEL_QUALITY_DEGRADATION_ACCURACY triggers retraining at once; if the next check after that retraining is
 * still below, the strategy rolls back to its last good version. First, at each check, LiveRollbackGuard compares
 * the model's live entries with its strategy's warm-up entries and rolls back a model that earns less beyond noise.
 */
@Injectable()
export class QualityMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly tracker = new DegradationTracker();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<LiveCheck[]> | null = null;
  private stopped = false;
  private readonly limit: number;
  lastChecks: LiveCheck[] = [];
  private readonly log = new Logger('QualityMonitor');

  constructor(
    private readonly env: TrainerEnv,
    private readonly executions: ExecutionEventRepository,
    private readonly versions: ModelVersionRepository,
    private readonly qualityMetrics: QualityMetricRepository,
    private readonly registry: ModelRegistry,
    private readonly orchestrator: TrainingOrchestrator,
    private readonly metrics: TrainerMetrics,
    private readonly liveRollback: LiveRollbackGuard,
  ) {
    this.limit = env.MODEL_QUALITY_DEGRADATION_ACCURACY ?? Math.max(0, env.MODEL_QUALITY_THRESHOLD_ACCURACY - 0.05);
  }

  onApplicationBootstrap(): void {
    this.orchestrator.onRun((event) => {
      if (event.type !== 'finished' || event.run.status === 'cancelled') return;
      if (!this.orchestrator.isRunning(event.run.strategyId)) this.tracker.runFinished(event.run.strategyId);
    });
    if (this.env.MODEL_QUALITY_CHECK_INTERVAL_SECONDS > 0) this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Runs one check of every active model now (or joins the one in progress). */
  checkNow(): Promise<LiveCheck[]> {
    if (!this.running) {
      this.running = this.checkAll().finally(() => (this.running = null));
    }
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.checkNow()
        .catch((err: unknown) => this.log.error('live quality check failed', { error: String(err) }))
        .finally(() => this.schedule());
    }, this.env.MODEL_QUALITY_CHECK_INTERVAL_SECONDS * 1000);
  }

  private async checkAll(): Promise<LiveCheck[]> {
    const checks: LiveCheck[] = [];
    for (const active of await this.versions.listActive()) {
      if (this.stopped) break;
      try {
        checks.push(await this.check(active));
      } catch (err) {
        this.log.error('live quality check of a model failed', { strategy_id: active.strategyId, version: active.version, error: String(err) });
      }
    }
    this.lastChecks = checks;
    return checks;
  }

  private async check(active: ModelVersionEntity): Promise<LiveCheck> {
    const strategyId = active.strategyId;
    const base = { strategyId, version: active.version };
    // A run may be about to promote a successor: judge the model at the next check instead.
    if (this.orchestrator.isRunning(strategyId)) return { ...base, samples: 0, accuracy: null, breached: false, action: 'skipped' };
    const live = await this.liveRollback.check(active).catch((err: unknown) => {
      // The accuracy check below still runs; the comparison is tried again at the next check.
      this.log.error('live comparison with warm-up failed', { strategy_id: strategyId, version: active.version, error: String(err) });
      return { verdict: 'error' as const, comparison: null, rolledBackTo: undefined };
    });
    if (live.rolledBackTo !== undefined) {
      return { ...base, samples: live.comparison?.model.n ?? 0, accuracy: null, breached: false, action: 'rolled_back_live', liveVsWarmup: live.verdict };
    }
    const report = await this.measure(active);
    if (!report) return { ...base, samples: 0, accuracy: null, breached: false, action: 'skipped', liveVsWarmup: live.verdict };
    const accuracy = report.classification.accuracy;
    const breached = accuracy < this.limit;
    this.metrics.liveAccuracy.set({ strategy_id: strategyId, version: active.version }, accuracy);
    await this.qualityMetrics.insertMany(
      qualityMetricRows(report, { modelVersionId: active.id, strategyId, evaluatedAt: new Date(), kind: 'live', maxRows: this.env.MODEL_QUALITY_CHECK_MAX_ROWS, metadata: { window_seconds: this.env.MODEL_QUALITY_CHECK_WINDOW_SECONDS, limit: this.limit } }),
    );
    const action = this.tracker.observe(strategyId, breached);
    if (breached) {
      this.metrics.qualityBreaches.inc({ strategy_id: strategyId });
      this.log.warn('live quality below the limit', { strategy_id: strategyId, version: active.version, accuracy, limit: this.limit, samples: report.n, action });
    }
    if (action === 'retrain') await this.retrain(strategyId, accuracy);
    if (action === 'rollback') await this.rollback(strategyId, active.version, accuracy);
    return { ...base, samples: report.n, accuracy, breached, action, liveVsWarmup: live.verdict };
  }

  /** The active model on the recent labelled executions, or null with fewer than MODEL_QUALITY_CHECK_MIN_SAMPLES. */
  private async measure(active: ModelVersionEntity): Promise<EvaluationReport | null> {
    const from = new Date(Date.now() - this.env.MODEL_QUALITY_CHECK_WINDOW_SECONDS * 1000);
    const { dataset } = await loadExecutionDataset(this.executions, { strategyId: active.strategyId, from }, { labels: trainingSettingsOf(this.env).labels });
    if (dataset.n < this.env.MODEL_QUALITY_CHECK_MIN_SAMPLES) return null;
    return scoreStoredVersion(active.filePath, dataset, { n: dataset.n, trainEnd: 0, validationStart: 0 }, this.env.MODEL_DECISION_THRESHOLD);
  }

  private async retrain(strategyId: string, accuracy: number): Promise<void> {
    try {
      await this.orchestrator.trigger({
        strategyId,
        trigger: 'quality_degradation',
        mode: 'full',
        reason: `live accuracy ${accuracy.toFixed(4)} below ${this.limit.toFixed(4)}`,
        traceId: newTraceId(),
      });
    } catch (err) {
      this.tracker.retrainFailed(strategyId);
      this.log.error('retraining after a quality breach could not start', { strategy_id: strategyId, error: String(err) });
    }
  }

  private async rollback(strategyId: string, version: string, accuracy: number): Promise<void> {
    try {
      const result = await this.registry.rollback(strategyId, {
        reason: `live accuracy ${accuracy.toFixed(4)} of ${version} still below ${this.limit.toFixed(4)} after retraining`,
      });
      this.log.warn('degradation persisted after retraining: rolled back', { strategy_id: strategyId, from: version, to: result.activated.version });
    } catch (err) {
      this.log.error('degradation persisted after retraining, but no rollback was possible', { strategy_id: strategyId, version, error: String(err) });
    }
  }
}
