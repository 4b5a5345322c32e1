/**
 * Entry script of the training worker thread (see worker-runner.ts). It keeps its imports to tfjs and this
 * lib's training files, so it starts fast and can be bundled on its own as `training-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { selectTensorflowBackend } from '../backend/backend-selection';
import { modelToArtifacts } from '../model/model-artifacts';
import { trainModel } from './train-model';
import { TrainingError } from './training-errors';
import { transferableBuffers, WORKER_KIND } from './training-worker-protocol';
import type { SerializedError, TrainingJobMessage, TrainingWorkerInput, TrainingWorkerMessage } from './training-worker-protocol';
import type { AbortFlag, TrainingJob } from './training-types';

async function run(port: NonNullable<typeof parentPort>, input: TrainingWorkerInput, job: TrainingJob, backendReady: ReturnType<typeof selectTensorflowBackend>): Promise<void> {
  const flag = new Int32Array(input.cancelFlag);
  const signal: AbortFlag = {
    get aborted() {
      return Atomics.load(flag, 0) === 1;
    },
  };
  const post = (message: TrainingWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  try {
    const { backend } = await backendReady;
    const { model, ...summary } = await trainModel({
      ...job,
      signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    const artifacts = await modelToArtifacts(model);
    model.dispose();
    const { X, y } = job;
    post({ type: 'result', result: { ...summary, artifacts, backend, X, y } }, [
      artifacts.weightData,
      ...transferableBuffers(X, y),
    ]);
  } catch (err) {
    if (err instanceof Error && err.name === 'TrainingCancelledError') {
      post({ type: 'cancelled' });
      return;
    }
    const error: SerializedError =
      err instanceof TrainingError
        ? { name: err.name, message: err.message, reason: err.reason, detail: err.detail }
        : { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) };
    post({ type: 'error', error });
  }
}

const input = workerData as TrainingWorkerInput | undefined;
const port = parentPort;
if (port && input?.kind === WORKER_KIND) {
  // The backend starts initialising at once; the job arrives when the caller's data is ready.
  const backendReady = selectTensorflowBackend(input.backend);
  backendReady.catch(() => undefined); // reported through run() once the job is there
  port.once('message', (message: TrainingJobMessage) => void run(port, input, message.job, backendReady));
}
