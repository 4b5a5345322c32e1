import * as path from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

import { nodeRequire } from './node-require';
import { installWasmMatMulTransposes } from './wasm-matmul';

/** `tensorflow` = native libtensorflow via @tensorflow/tfjs-node (Docker image), `wasm` = XNNPACK/SIMD, `cpu` = plain JS. */
export type TensorflowBackend = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendSelection {
  backend: TensorflowBackend;
  /** Why the faster backends were not used, e.g. "tensorflow: Cannot find module '@tensorflow/tfjs-node'". */
  fallbacks: string[];
}

const ORDER: readonly TensorflowBackend[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * Folder holding the tfjs-backend-wasm `.wasm` binaries, with a trailing slash. Resolved from the package
 * itself (its `main` lives in `dist/`), so it works from any cwd, from ts-node and from a webpack bundle whose
 * node_modules are external.
 */
export function wasmBinariesPath(): string {
  return path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

let wasmPathsSet = false;

async function tryBackend(name: TensorflowBackend): Promise<void> {
  if (name === 'tensorflow') {
    // Registers the 'tensorflow' backend on the shared tfjs engine; absent on machines where its install failed.
    nodeRequire('@tensorflow/tfjs-node');
    if (!tf.findBackendFactory('tensorflow')) {
      throw new Error('@tensorflow/tfjs-node loaded but registered no backend on this @tensorflow/tfjs instance');
    }
  }
  if (name === 'wasm' && !wasmPathsSet) {
    setWasmPaths(wasmBinariesPath());
    wasmPathsSet = true;
  }
  if (name === 'wasm') installWasmMatMulTransposes();
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

/**
 * Picks the fastest backend that initialises: native tensorflow, then wasm, then cpu.
 * `only` forces one backend (benchmarks, tests); it throws if that backend cannot start.
 * No logging here: this runs in the training worker too, which keeps its imports minimal.
 */
export async function selectTensorflowBackend(only?: TensorflowBackend): Promise<BackendSelection> {
  const fallbacks: string[] = [];
  for (const name of only ? [only] : ORDER) {
    try {
      await tryBackend(name);
      return { backend: name, fallbacks };
    } catch (err) {
      if (only) throw err;
      fallbacks.push(`${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${fallbacks.join('; ')})`);
}
