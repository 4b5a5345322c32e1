import { isTrainingCancelled, TrainingCancelledError, TrainingError } from '@model-service/ml';
import { TrainingRunRepository, TrainingRunStatus } from '@model-service/repositories';
import { isTransientError } from '@model-service/messaging';
import { Logger, runWithTrace, sleep } from '@model-service/util';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';
import { TrainerMetrics } from '../health/trainer-metrics';
import { ProgressRecorder } from './progress-recorder';
import { RunOutcome, RunRequest, TrainingPipeline } from './training-pipeline';

type AbortReason = 'superseded' | 'cancelled' | 'timeout' | 'shutdown';
type FinishArgs = Parameters<TrainingRunRepository['finish']> extends [string, ...infer Rest] ? Rest : never;

/** How long a run's final row write is retried through a database outage, and the longest pause between tries. */
const FINISH_RETRY_LIMIT_MS = 15 * 60_000;
const FINISH_RETRY_MAX_DELAY_MS = 10_000;

interface Job {
  runId: string;
  request: RunRequest;
  controller: AbortController;
  abortReason?: AbortReason;
  abortDetail?: string;
  queuedAt: Date;
  progress: ProgressRecorder;
  done: Promise<void>;
}

export interface FinishedRun {
  runId: string;
  strategyId: string;
  trigger: string;
  status: TrainingRunStatus;
  version?: string;
  promoted?: boolean;
  error?: string;
  finishedAt: string;
}

export type RunListener = (event: { type: 'started'; request: RunRequest; runId: string } | { type: 'finished'; run: FinishedRun }) => void;

/**
 * One training job per strategy at a time. A new trigger for a strategy whose job is still queued or running
 * cancels it (the run ends `cancelled`) and starts over with fresh data. Jobs wait for a free training slot
 * (one at a time: training is CPU-bound) in `queued`. Every job is a `training_runs` row; a job over
 * MODEL_TRAINING_MAX_DURATION_SECONDS is stopped and recorded failed.
 */
@Injectable()
export class TrainingOrchestrator implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly jobs = new Map<string, Job>();
  /** Per-strategy serialisation of trigger/cancel, so two triggers cannot both start a job. */
  private readonly locks = new Map<string, Promise<unknown>>();
  private slot: Promise<void> = Promise.resolve();
  private readonly listeners: RunListener[] = [];
  private readonly log = new Logger('TrainingOrchestrator');
  lastFailure: FinishedRun | null = null;
  lastRun: FinishedRun | null = null;
  private stopping = false;

  constructor(
    private readonly pipeline: TrainingPipeline,
    private readonly runs: TrainingRunRepository,
    private readonly metrics: TrainerMetrics,
    private readonly env: TrainerEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const closed = await this.runs.failUnfinished('the trainer stopped while this run was unfinished');
    if (closed > 0) this.log.warn('runs left unfinished by a previous process marked failed', { runs: closed });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const jobs = [...this.jobs.values()];
    for (const job of jobs) this.abort(job, 'shutdown', 'the trainer is shutting down');
    await Promise.allSettled(jobs.map((j) => j.done));
  }

  onRun(listener: RunListener): void {
    this.listeners.push(listener);
  }

  /** Starts a run for the strategy (cancelling its current one, if any); resolves with the new run's id once it is queued. */
  trigger(request: RunRequest): Promise<string> {
    return this.serialised(request.strategyId, async () => {
      if (this.stopping) throw new Error('the trainer is shutting down');
      const previous = this.jobs.get(request.strategyId);
      if (previous) {
        this.abort(previous, 'superseded', `superseded by a new ${request.trigger} trigger`);
        await previous.done;
      }
      return this.start(request);
    });
  }

  /** Cancels the strategy's queued or running job; false when there was none. */
  cancel(strategyId: string, reason = 'cancelled by command'): Promise<boolean> {
    return this.serialised(strategyId, async () => {
      const job = this.jobs.get(strategyId);
      if (!job) return false;
      this.abort(job, 'cancelled', reason);
      await job.done;
      return true;
    });
  }

  isRunning(strategyId: string): boolean {
    return this.jobs.has(strategyId);
  }

  /** Resolves when the strategy has no job any more (tests, shutdown). */
  async idle(strategyId?: string): Promise<void> {
    for (;;) {
      const pending = [...this.jobs.values()].filter((j) => strategyId === undefined || j.request.strategyId === strategyId);
      if (pending.length === 0) return;
      await Promise.allSettled(pending.map((j) => j.done));
    }
  }

  /** For /health. */
  current(): Array<Record<string, unknown>> {
    return [...this.jobs.values()].map((j) => ({
      run_id: j.runId,
      strategy_id: j.request.strategyId,
      trigger: j.request.trigger,
      mode: j.request.mode,
      queued_at: j.queuedAt.toISOString(),
      progress: j.progress.latest,
    }));
  }

  private async start(request: RunRequest): Promise<string> {
    const run = await this.runs.create({
      strategyId: request.strategyId,
      trigger: request.trigger,
      traceId: request.traceId ?? null,
      config: { mode: request.mode, reason: request.reason ?? null },
    });
    const controller = new AbortController();
    const job: Job = {
      runId: run.id,
      request,
      controller,
      queuedAt: run.queuedAt,
      progress: new ProgressRecorder(run.id, request.strategyId, this.runs, this.metrics),
      done: Promise.resolve(),
    };
    this.jobs.set(request.strategyId, job);
    this.log.info('training run queued', { run_id: run.id, strategy_id: request.strategyId, trigger: request.trigger, mode: request.mode, reason: request.reason });
    this.emit({ type: 'started', request, runId: run.id });
    job.done = runWithTrace(request.traceId ?? run.id, () => this.runJob(job));
    return run.id;
  }

  private async runJob(job: Job): Promise<void> {
    const { request, controller } = job;
    const timer = setTimeout(
      () => this.abort(job, 'timeout', `exceeded MODEL_TRAINING_MAX_DURATION_SECONDS (${this.env.MODEL_TRAINING_MAX_DURATION_SECONDS} s)`),
      this.env.MODEL_TRAINING_MAX_DURATION_SECONDS * 1000,
    );
    let finished: FinishedRun;
    try {
      const outcome = await this.inSlot(controller.signal, async () => {
        await this.runs.start(job.runId);
        this.metrics.trainingInProgress.set({ strategy_id: request.strategyId }, 1);
        return this.pipeline.execute(job.runId, request, { signal: controller.signal, onProgress: (p) => job.progress.update(p) });
      });
      finished = await this.succeed(job, outcome);
    } catch (err) {
      finished = await this.fail(job, err);
    } finally {
      clearTimeout(timer);
      this.metrics.trainingInProgress.set({ strategy_id: request.strategyId }, 0);
      if (this.jobs.get(request.strategyId) === job) this.jobs.delete(request.strategyId);
    }
    this.metrics.trainingRuns.inc({ trigger: request.trigger, status: finished.status });
    this.lastRun = finished;
    this.emit({ type: 'finished', run: finished });
  }

  private async succeed(job: Job, outcome: RunOutcome): Promise<FinishedRun> {
    const strategyId = job.request.strategyId;
    const progress = await job.progress.finish({ outcome });
    const base = { runId: job.runId, strategyId, trigger: job.request.trigger, finishedAt: new Date().toISOString() };
    if (outcome.status === 'skipped') {
      await this.finishRow(job, 'skipped', { error: outcome.reason, datasetSize: outcome.datasetSize, progress });
      this.log.info('training run skipped', { run_id: job.runId, strategy_id: strategyId, reason: outcome.reason });
      return { ...base, status: 'skipped', error: outcome.reason };
    }
    await this.finishRow(job, 'succeeded', { modelVersion: outcome.version, datasetSize: outcome.datasetSize, progress });
    this.log.info('training run succeeded', { run_id: job.runId, strategy_id: strategyId, version: outcome.version, promoted: outcome.promoted, accuracy: outcome.accuracy });
    return { ...base, status: 'succeeded', version: outcome.version, promoted: outcome.promoted };
  }

  private async fail(job: Job, err: unknown): Promise<FinishedRun> {
    const strategyId = job.request.strategyId;
    const base = { runId: job.runId, strategyId, trigger: job.request.trigger, finishedAt: new Date().toISOString() };
    const aborted = job.controller.signal.aborted;
    const progress = await job.progress.finish({}).catch(() => job.progress.latest);
    if (aborted && (isTrainingCancelled(err) || job.abortReason !== undefined)) {
      const timeout = job.abortReason === 'timeout';
      const status = timeout ? 'failed' : 'cancelled';
      await this.finishRow(job, status, { error: job.abortDetail ?? 'cancelled', progress });
      const finished: FinishedRun = { ...base, status, error: job.abortDetail };
      if (timeout) {
        this.lastFailure = finished;
        this.log.error('training run failed', { run_id: job.runId, strategy_id: strategyId, error: job.abortDetail });
      } else {
        this.log.info('training run cancelled', { run_id: job.runId, strategy_id: strategyId, reason: job.abortDetail });
      }
      return finished;
    }
    const error = describeFailure(err);
    await this.finishRow(job, 'failed', { error, progress });
    const finished: FinishedRun = { ...base, status: 'failed', error };
    this.lastFailure = finished;
    this.log.error('training run failed; the active model is unchanged', { run_id: job.runId, strategy_id: strategyId, error });
    return finished;
  }

  private abort(job: Job, reason: AbortReason, detail: string): void {
    if (job.controller.signal.aborted) return;
    job.abortReason = reason;
    job.abortDetail = detail;
    job.controller.abort();
  }

  /** Waits for the single training slot (abortable while waiting), then runs `fn` holding it. */
  private async inSlot<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    const previous = this.slot;
    let release!: () => void;
    this.slot = new Promise<void>((resolve) => (release = resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(new TrainingCancelledError('cancelled while queued'));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        void previous.then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
      return await fn();
    } finally {
      // Released only after the previous holder finished, so the order of the queue is kept.
      void previous.then(release);
    }
  }

  private serialised<T>(strategyId: string, fn: () => Promise<T>): Promise<T> {
    const tail = this.locks.get(strategyId) ?? Promise.resolve();
    const next = tail.then(fn, fn);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(strategyId, settled);
    void settled.then(() => {
      if (this.locks.get(strategyId) === settled) this.locks.delete(strategyId);
    });
    return next;
  }

  private emit(event: Parameters<RunListener>[0]): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error('training run listener failed', { error: String(err) });
      }
    }
  }

  /**
   * Records how the run ended. The outcome is already decided (a version may be registered), so a database
   * outage must not turn it into a failure nor leave the row 'running': the first write is awaited, and when it
   * fails for a transient reason it is retried in the background with backoff until it succeeds, the trainer
   * stops (the next start marks the row failed) or FINISH_RETRY_LIMIT_MS passes.
   */
  private async finishRow(job: Job, ...args: FinishArgs): Promise<void> {
    try {
      await this.runs.finish(job.runId, ...args);
    } catch (err) {
      if (!isTransientError(err)) {
        this.log.error('training run row could not be finished', { run_id: job.runId, status: args[0], error: String(err) });
        return;
      }
      this.log.warn('training run row could not be finished; retrying in the background', { run_id: job.runId, status: args[0], error: String(err) });
      void this.retryFinish(job, args);
    }
  }

  private async retryFinish(job: Job, args: FinishArgs): Promise<void> {
    const deadline = Date.now() + FINISH_RETRY_LIMIT_MS;
    for (let attempt = 1; !this.stopping && Date.now() < deadline; attempt++) {
      await sleep(Math.min(FINISH_RETRY_MAX_DELAY_MS, 250 * 2 ** attempt));
      try {
        await this.runs.finish(job.runId, ...args);
        this.log.info('training run row finished after a retry', { run_id: job.runId, status: args[0], attempts: attempt + 1 });
        return;
      } catch (err) {
        if (!isTransientError(err)) {
          this.log.error('training run row could not be finished', { run_id: job.runId, status: args[0], error: String(err) });
          return;
        }
      }
    }
    this.log.error('training run row could not be finished; it stays running until the next start marks it failed', { run_id: job.runId, status: args[0] });
  }
}

/** The reason stored with a failed run: the ml lib's reason code, a disk-full hint, or the error message. */
export function describeFailure(err: unknown): string {
  if (err instanceof TrainingError) return `${err.reason}: ${err.detail ?? err.message}`;
  // Duck-typed: errors from other realms (worker threads, jest contexts) fail instanceof Error.
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const raw = (err as { message?: unknown } | null)?.message;
  const message = typeof raw === 'string' ? raw : String(err);
  if (code === 'ENOSPC') return `disk_full: ${message}`;
  if (code === 'EACCES' || code === 'EROFS') return `storage_not_writable: ${message}`;
  return message;
}
