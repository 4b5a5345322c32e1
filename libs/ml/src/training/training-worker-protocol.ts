import type { TensorflowBackend } from '../backend/backend-selection';
import type { ModelArtifactsData } from '../model/model-artifacts';
import type { TrainingFailureReason } from './training-errors';
import type { TrainingJob, TrainingProgress, TrainingSummary } from './training-types';

export const WORKER_KIND = 'model-service-ml-training';

/** Passed as `workerData`; the job follows in a TrainingJobMessage (the thread starts before its data is ready). */
export interface TrainingWorkerInput {
  kind: typeof WORKER_KIND;
  /** Int32Array[0] = 1 means "cancel": read between batches without waiting for an event-loop turn. */
  cancelFlag: SharedArrayBuffer;
  backend?: TensorflowBackend;
}

export interface TrainingResult extends TrainingSummary {
  /** Topology + weights of the best epoch, ready for `saveModelVersion` or `modelFromArtifacts`. */
  artifacts: ModelArtifactsData;
  backend: TensorflowBackend;
  /** The job's arrays, handed back (they were transferred to the worker). */
  X: Float32Array;
  y: Float32Array;
}

export interface SerializedError {
  name: string;
  message: string;
  reason?: TrainingFailureReason;
  detail?: string;
}

/** The one message the caller posts to the worker: the job to train (X and y transferred). */
export interface TrainingJobMessage {
  type: 'job';
  job: TrainingJob;
}

/** Messages from the worker to the caller. */
export type TrainingWorkerMessage =
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'result'; result: TrainingResult }
  | { type: 'cancelled' }
  | { type: 'error'; error: SerializedError };

/**
 * Distinct ArrayBuffers behind the given views (a transfer list must not repeat a buffer). SharedArrayBuffers
 * are skipped (shared, not transferred). Tag check rather than instanceof: jest runs tests in another realm.
 */
export function transferableBuffers(...views: ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const view of views) {
    if (Object.prototype.toString.call(view.buffer) === '[object ArrayBuffer]') buffers.add(view.buffer as ArrayBuffer);
  }
  return [...buffers];
}
