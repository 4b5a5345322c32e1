import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import { initTensorflow } from '../backend/tensorflow-backend';
import { classificationMetrics } from '../evaluation/classification-metrics';
import { modelFromArtifacts } from '../model/model-artifacts';
import { predictProbabilities } from '../model/predict-probabilities';
import { makeSyntheticDataset, syntheticTrainingJob } from '../testing';
import { expectCancelledWithinASecond } from './cancel-expectation.testing';
import { TrainingCancelledError, TrainingError } from './training-errors';
import type { TrainingJob, TrainingProgress } from './training-types';
import { resolveWorkerScript, runTrainingInWorker, startTrainingWorker } from './worker-runner';

jest.setTimeout(60_000);

function makeJob(n: number, overrides: Partial<TrainingJob> = {}): TrainingJob {
  return syntheticTrainingJob(makeSyntheticDataset({ n, nFeatures: 12, flipProbability: 0.1, seed: 4 }), { epochs: 4, patience: 2, ...overrides });
}

/** Share of wall time this thread's event loop was busy while `work` ran (1 = blocked throughout). */
async function eventLoopBusyShare<T>(work: () => Promise<T>): Promise<{ result: T; busy: number }> {
  const start = performance.eventLoopUtilization();
  const result = await work();
  return { result, busy: performance.eventLoopUtilization(start).utilization };
}

describe('runTrainingInWorker', () => {
  it('trains in a worker thread, forwards progress and returns loadable weights', async () => {
    const job = makeJob(8_000);
    const X = job.X.slice();
    const y = job.y.slice();
    const progress: TrainingProgress[] = [];
    const { result, busy } = await eventLoopBusyShare(() => runTrainingInWorker(job, { onProgress: (p) => progress.push(p) }));

    expect(busy).toBeLessThan(0.3); // training ran in another thread: this event loop stayed free for messages
    expect(progress.map((p) => p.epoch)).toEqual(result.history.map((h) => h.epoch));
    expect(progress[0]).toMatchObject({ epoch: 1, epochs: 4 });
    expect(progress[progress.length - 1].eta_seconds).toBe(0);
    expect(result.trainRows + result.valRows).toBe(8_000);
    // The arrays were moved to the worker and handed back.
    expect(job.X.length).toBe(0);
    expect(Array.from(result.X.subarray(0, 24))).toEqual(Array.from(X.subarray(0, 24)));
    expect(result.y.length).toBe(y.length);

    await initTensorflow();
    const model = await modelFromArtifacts(result.artifacts);
    const prob = predictProbabilities(model, X, 12, 6_400, 8_000);
    model.dispose();
    const accuracy = classificationMetrics(y.subarray(6_400), prob).accuracy;
    expect(accuracy).toBeCloseTo(result.history[result.bestEpoch - 1].val_accuracy, 6);
    expect(accuracy).toBeGreaterThan(0.8);
  });

  it('copies instead of moving the arrays with transfer: false', async () => {
    const job = makeJob(1_000, { epochs: 1 });
    const result = await runTrainingInWorker(job, { transfer: false });
    expect(job.X.length).toBe(1_000 * 12);
    expect(result.X.length).toBe(1_000 * 12);
  });

  it('a cancel during training rejects with TrainingCancelledError within a second', async () => {
    await expectCancelledWithinASecond((cancel) => runTrainingInWorker(makeJob(5_000, { epochs: 1_000, batchSize: 64 }), cancel));
  });

  it('a cancel while the worker is still starting rejects within a second', async () => {
    const controller = new AbortController();
    const run = runTrainingInWorker(makeJob(2_000, { epochs: 1_000 }), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const abortedAt = Date.now();
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
  });

  it('an already aborted signal rejects without starting a worker', async () => {
    const controller = new AbortController();
    controller.abort();
    const job = makeJob(100);
    await expect(runTrainingInWorker(job, { signal: controller.signal })).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(job.X.length).toBe(100 * 12); // nothing was transferred
  });

  it('a training failure in the worker arrives as the same TrainingError', async () => {
    const job = makeJob(500);
    job.X[13] = NaN;
    const error = await runTrainingInWorker(job).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).reason).toBe('invalid_input');
    expect((error as TrainingError).message).toMatch(/row 1, feature 1/);
  });

  it('a worker script that cannot start fails with TrainingError(worker_failed)', async () => {
    const error = await runTrainingInWorker(makeJob(100), { workerScript: path.join(__dirname, 'missing-worker.js') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).reason).toBe('worker_failed');
  });
});

describe('startTrainingWorker', () => {
  it('starts before its job is ready and trains the job given later, as a worker started with it would', async () => {
    const worker = startTrainingWorker();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the caller still builds its dataset
    const job = makeJob(2_000, { epochs: 2 });
    const ahead = await worker.run(job);
    const direct = await runTrainingInWorker(makeJob(2_000, { epochs: 2 }));
    expect(ahead.trainRows + ahead.valRows).toBe(2_000);
    expect(job.X.length).toBe(0); // moved to the worker, handed back as ahead.X
    expect(ahead.X.length).toBe(2_000 * 12);
    // Same job, same learning (training on wasm is not bit-for-bit repeatable, so compared by its outcome).
    expect(ahead.epochsRun).toBe(direct.epochsRun);
    const best = (r: typeof ahead): number => r.history[r.bestEpoch - 1].val_accuracy;
    expect(best(ahead)).toBeGreaterThan(0.75);
    expect(Math.abs(best(ahead) - best(direct))).toBeLessThan(0.05);
  });

  it('runs one job only; a closed worker refuses one', async () => {
    const closed = startTrainingWorker();
    closed.close();
    await expect(closed.run(makeJob(100, { epochs: 1 }))).rejects.toThrow(/already ran or was closed/);
    const once = startTrainingWorker();
    await once.run(makeJob(500, { epochs: 1 }));
    await expect(once.run(makeJob(100, { epochs: 1 }))).rejects.toThrow(/already ran or was closed/);
  });

  it('a worker script that cannot start fails its run with TrainingError(worker_failed)', async () => {
    const worker = startTrainingWorker({ workerScript: path.join(__dirname, 'missing-worker.js') });
    await new Promise((resolve) => setTimeout(resolve, 300)); // it fails before the job is given
    const error = await worker.run(makeJob(100)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).reason).toBe('worker_failed');
  });
});

describe('resolveWorkerScript', () => {
  it('uses the TypeScript entry next to the runner under ts-node / ts-jest', () => {
    expect(resolveWorkerScript()).toBe(path.join(__dirname, 'training-worker.ts'));
  });

  it('honours an explicit path', () => {
    expect(resolveWorkerScript('dist/apps/trainer/training-worker.js')).toBe(path.resolve('dist/apps/trainer/training-worker.js'));
  });
});
