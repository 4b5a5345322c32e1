import { TrainingProgress, TrainingRunRepository } from '@model-service/repositories';
import { Logger } from '@model-service/util';

import { TrainerMetrics } from '../health/trainer-metrics';

/** Least time between two writes of a run's progress to its row (the last state is always written). */
const WRITE_EVERY_MS = 500;

/**
 * Progress of one run: phase timings and per-epoch figures (epoch, loss, val metrics, ETA) go to the logs, to
 * /metrics and — throttled, in order — to the run's `training_runs.progress`.
 */
export class ProgressRecorder {
  latest: TrainingProgress = {};
  private readonly phases: Record<string, number> = {};
  private phase: { name: string; since: number } | null = null;
  private lastWrite = 0;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly log = new Logger('TrainingProgress');

  constructor(
    private readonly runId: string,
    private readonly strategyId: string,
    private readonly runs: TrainingRunRepository,
    private readonly metrics: TrainerMetrics,
  ) {}

  update(p: Record<string, unknown>): void {
    const now = Date.now();
    const name = typeof p['phase'] === 'string' ? p['phase'] : undefined;
    if (name && name !== this.phase?.name) this.enterPhase(name, now);
    this.latest = { ...this.latest, ...p, phase_seconds: { ...this.phases } };
    if (typeof p['epoch'] === 'number') this.onEpoch(p);
    if (now - this.lastWrite >= WRITE_EVERY_MS) this.write(now);
  }

  /** Closes the timings and writes the final progress; returns it (for the run's last update). */
  async finish(extra: Record<string, unknown>): Promise<TrainingProgress> {
    if (this.phase) this.enterPhase('done', Date.now());
    this.latest = { ...this.latest, ...extra, phase: 'done', phase_seconds: { ...this.phases } };
    await this.writes;
    return this.latest;
  }

  private enterPhase(name: string, now: number): void {
    if (this.phase) {
      const key = this.phase.name.replace(/_ready$/, '');
      this.phases[key] = (this.phases[key] ?? 0) + (now - this.phase.since) / 1000;
    }
    this.phase = { name, since: now };
    if (name !== 'done') this.log.info('training phase', { run_id: this.runId, strategy_id: this.strategyId, phase: name });
  }

  private onEpoch(p: Record<string, unknown>): void {
    const labels = { strategy_id: this.strategyId };
    const num = (k: string): number | undefined => (typeof p[k] === 'number' && Number.isFinite(p[k]) ? (p[k] as number) : undefined);
    const set = (gauge: { set(l: Record<string, string>, v: number): void }, k: string): void => {
      const v = num(k);
      if (v !== undefined) gauge.set(labels, v);
    };
    set(this.metrics.trainingEpoch, 'epoch');
    set(this.metrics.trainingLoss, 'loss');
    set(this.metrics.trainingValLoss, 'val_loss');
    set(this.metrics.trainingValAccuracy, 'val_accuracy');
    set(this.metrics.trainingEtaSeconds, 'eta_seconds');
    this.log.info('training epoch', {
      run_id: this.runId,
      strategy_id: this.strategyId,
      epoch: num('epoch'),
      epochs: num('epochs'),
      loss: num('loss'),
      val_loss: num('val_loss'),
      val_accuracy: num('val_accuracy'),
      eta_seconds: num('eta_seconds'),
    });
  }

  private write(now: number): void {
    this.lastWrite = now;
    const snapshot = this.latest;
    this.writes = this.writes
      .then(() => this.runs.update(this.runId, { progress: snapshot }))
      .catch((err: unknown) => this.log.warn('training progress not written', { run_id: this.runId, error: String(err) }));
  }
}
