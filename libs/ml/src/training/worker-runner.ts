import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import type { TensorflowBackend } from '../backend/backend-selection';
import { nodeRequire } from '../backend/node-require';
import { TrainingCancelledError, TrainingError } from './training-errors';
import { transferableBuffers, WORKER_KIND } from './training-worker-protocol';
import type { SerializedError, TrainingJobMessage, TrainingResult, TrainingWorkerInput, TrainingWorkerMessage } from './training-worker-protocol';
import type { TrainingJob, TrainingProgress } from './training-types';

export interface RunTrainingOptions {
  signal?: AbortSignal;
  onProgress?(p: TrainingProgress): void;
  /** Move X/y to the worker instead of copying (default true). They come back as result.X / result.y;
   *  after a failure or cancel the caller's arrays stay detached (length 0). */
  transfer?: boolean;
  /** Worker entry script; default `resolveWorkerScript()`. */
  workerScript?: string;
  /** Force a backend in the worker (default: the automatic choice). */
  backend?: TensorflowBackend;
  /** After a cancel, how long the worker may take to stop by itself before it is terminated (default 300 ms). */
  cancelGraceMs?: number;
}

const WORKER_FILE = 'training-worker';

/**
 * Path of the training worker's entry script.
 * - ts-node / ts-jest (this file is `.ts`): `training-worker.ts` next to it, started through a ts-node bootstrap.
 * - tsc output: `training-worker.js` next to this file.
 * - webpack bundle: `training-worker.js` next to the bundle (or next to the main script). Emit it as a second
 *   entry of the app's webpack config, e.g. in NxAppWebpackPlugin options:
 *   `additionalEntryPoints: [{ entryName: 'training-worker', entryPath: 'libs/ml/src/training/training-worker.ts' }]`
 *   (with `externalDependencies: 'all'` the worker loads @tensorflow/* from node_modules like the main bundle).
 */
export function resolveWorkerScript(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (path.extname(__filename) === '.ts') return path.join(__dirname, `${WORKER_FILE}.ts`);
  const candidates = [path.join(__dirname, `${WORKER_FILE}.js`)];
  if (process.argv[1]) candidates.push(path.join(path.dirname(path.resolve(process.argv[1])), `${WORKER_FILE}.js`));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(`training worker script not found (looked for ${candidates.join(', ')}); build it as the webpack entry '${WORKER_FILE}'`);
  }
  return found;
}

/** Finds the workspace's tsconfig for ts-node by walking up from this file. */
function findTsconfig(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const name of ['tsconfig.tools.json', 'tsconfig.base.json']) {
      if (existsSync(path.join(dir, name))) return path.join(dir, name);
    }
    if (path.dirname(dir) === dir) throw new Error('no tsconfig.tools.json found above ' + __dirname);
  }
}

/** Runs in the new thread when the entry is TypeScript: registers ts-node and the path aliases, then loads it. */
const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const b = workerData.bootstrap;
require(b.tsNode).register({ project: b.tsconfig, transpileOnly: true });
const paths = require(b.tsconfigPaths);
const config = paths.loadConfig(b.tsconfig);
if (config.resultType === 'success') paths.register({ baseUrl: config.absoluteBaseUrl, paths: config.paths });
require(b.entry);
`;

function startWorker(script: string, input: TrainingWorkerInput): Worker {
  if (path.extname(script) !== '.ts') return new Worker(script, { workerData: input });
  const bootstrap = {
    tsNode: nodeRequire.resolve('ts-node'),
    tsconfigPaths: nodeRequire.resolve('tsconfig-paths'),
    tsconfig: findTsconfig(),
    entry: script,
  };
  return new Worker(TS_BOOTSTRAP, { eval: true, workerData: { ...input, bootstrap } });
}

/**
 * Structured clone builds the message's objects in the receiving thread's main realm; tfjs checks
 * `instanceof Array` on the topology, which fails when the caller runs in another realm (jest's vm contexts).
 * The topology and specs are small, so they are re-created here through JSON.
 */
function withLocalJson(result: TrainingResult): TrainingResult {
  const { modelTopology, weightSpecs } = result.artifacts;
  return {
    ...result,
    artifacts: { ...result.artifacts, modelTopology: JSON.parse(JSON.stringify(modelTopology)), weightSpecs: JSON.parse(JSON.stringify(weightSpecs)) },
  };
}

function toError(error: SerializedError): Error {
  if (error.reason) return new TrainingError(error.reason, error.detail);
  const err = new Error(error.message);
  err.name = error.name;
  return err;
}

export interface StartTrainingWorkerOptions {
  /** Worker entry script; default `resolveWorkerScript()`. */
  workerScript?: string;
  /** Force a backend in the worker (default: the automatic choice). */
  backend?: TensorflowBackend;
}

/**
 * A training worker thread started ahead of its job: it loads TensorFlow.js and initialises the backend (seconds)
 * while the caller is still building the dataset, then trains the one job given to `run`. A worker that is not
 * needed after all is ended with `close` (it never keeps the process alive while it waits for a job).
 */
export class TrainingWorker {
  private readonly worker: Worker;
  private readonly cancelFlag = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  /** Set when the thread failed or exited before it got its job. */
  private early: TrainingError | null = null;
  private used = false;

  constructor(options: StartTrainingWorkerOptions = {}) {
    const input: TrainingWorkerInput = { kind: WORKER_KIND, cancelFlag: this.cancelFlag, backend: options.backend };
    this.worker = startWorker(resolveWorkerScript(options.workerScript), input);
    this.worker.unref();
    this.worker.once('error', (err) => (this.early ??= new TrainingError('worker_failed', err.message)));
    this.worker.once('exit', (code) => (this.early ??= new TrainingError('worker_failed', `worker exited with code ${code} before reporting a result`)));
  }

  /** Ends the thread (a worker that ran or was closed cannot run again). */
  close(): void {
    this.used = true;
    void this.worker.terminate();
  }

  /**
   * Trains `job` in this thread; progress is forwarded per epoch. Aborting `signal` rejects with
   * TrainingCancelledError within `cancelGraceMs` (the worker sees a shared flag between batches; if it is still
   * busy, e.g. starting up, it is terminated). The thread ends with the run.
   */
  run(job: TrainingJob, options: RunTrainingOptions = {}): Promise<TrainingResult> {
    const { worker, cancelFlag } = this;
    return new Promise<TrainingResult>((resolve, reject) => {
      const { signal } = options;
      if (this.used) throw new Error('TrainingWorker.run: this worker already ran or was closed');
      this.used = true;
      let settled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const settle = (action: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(killTimer);
        signal?.removeEventListener('abort', onAbort);
        worker.removeAllListeners('message');
        void worker.terminate();
        action();
      };
      const cancelled = (): void => settle(() => reject(new TrainingCancelledError()));
      function onAbort(): void {
        Atomics.store(new Int32Array(cancelFlag), 0, 1);
        killTimer = setTimeout(cancelled, options.cancelGraceMs ?? 300);
      }
      if (signal?.aborted) return cancelled();
      if (this.early) return settle(() => reject(this.early));
      signal?.addEventListener('abort', onAbort, { once: true });

      worker.on('message', (message: TrainingWorkerMessage) => {
        switch (message.type) {
          case 'progress':
            options.onProgress?.(message.progress);
            break;
          case 'result':
            settle(() => resolve(withLocalJson(message.result)));
            break;
          case 'cancelled':
            cancelled();
            break;
          case 'error':
            settle(() => reject(toError(message.error)));
            break;
        }
      });
      worker.on('error', (err) => {
        if (signal?.aborted) cancelled();
        else settle(() => reject(new TrainingError('worker_failed', err.message)));
      });
      worker.on('exit', (code) => {
        if (signal?.aborted) cancelled();
        else settle(() => reject(new TrainingError('worker_failed', `worker exited with code ${code} before reporting a result`)));
      });
      worker.ref();
      const jobMessage: TrainingJobMessage = { type: 'job', job };
      worker.postMessage(jobMessage, options.transfer === false ? [] : transferableBuffers(job.X, job.y));
    });
  }
}

/** Starts a training worker ahead of its job (see TrainingWorker). */
export function startTrainingWorker(options: StartTrainingWorkerOptions = {}): TrainingWorker {
  return new TrainingWorker(options);
}

/**
 * Trains in a worker thread so the caller's event loop stays free (`startTrainingWorker(options).run(job, options)`).
 * An already aborted signal rejects without starting a thread.
 */
export function runTrainingInWorker(job: TrainingJob, options: RunTrainingOptions = {}): Promise<TrainingResult> {
  if (options.signal?.aborted) return Promise.reject(new TrainingCancelledError('training cancelled before it started'));
  return new Promise<TrainingResult>((resolve) => resolve(startTrainingWorker(options).run(job, options)));
}
