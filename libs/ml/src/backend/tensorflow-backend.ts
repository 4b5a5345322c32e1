import { Logger } from '@model-service/util';

import { selectTensorflowBackend } from './backend-selection';
import type { TensorflowBackend } from './backend-selection';

const logger = new Logger('TensorflowBackend');

let pending: Promise<{ backend: TensorflowBackend }> | null = null;
let chosen: TensorflowBackend | null = null;

export interface InitTensorflowOptions {
  /** Force one backend instead of the automatic choice (benchmarks). Throws if it cannot start. */
  backend?: TensorflowBackend;
}

/**
 * Initialises TensorFlow.js once per thread: native `@tensorflow/tfjs-node` when it loads, else wasm, else cpu.
 * Idempotent: concurrent and later calls share the first result (unless `options.backend` asks for a different
 * one). A failed attempt is not cached, so a later call retries.
 */
export function initTensorflow(options: InitTensorflowOptions = {}): Promise<{ backend: TensorflowBackend }> {
  if (options.backend && chosen && options.backend !== chosen) pending = null;
  if (!pending) {
    pending = selectTensorflowBackend(options.backend).then(
      ({ backend, fallbacks }) => {
        chosen = backend;
        logger.info('tensorflow backend selected', { backend, fallbacks });
        return { backend };
      },
      (err: unknown) => {
        pending = null;
        logger.error('tensorflow backend initialisation failed', { error: String(err) });
        throw err;
      },
    );
  }
  return pending;
}

/** The backend chosen by `initTensorflow()`, or null before it completed (for /health). */
export function currentBackend(): TensorflowBackend | null {
  return chosen;
}
