import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { selectTensorflowBackend, wasmBinariesPath } from './backend-selection';
import { currentBackend, initTensorflow } from './tensorflow-backend';

function tfjsNodeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('initTensorflow', () => {
  it('picks native tensorflow when installed, else wasm, and reports it for /health', async () => {
    expect(currentBackend()).toBeNull();
    const first = initTensorflow();
    const second = initTensorflow(); // concurrent calls share one initialisation
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual(b);
    expect(a.backend).toBe(tfjsNodeInstalled() ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(a.backend);
    expect(currentBackend()).toBe(a.backend);
    expect(await initTensorflow()).toEqual(a); // idempotent
    expect(tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0])).toBe(5);
  });

  it('explains why faster backends were skipped', async () => {
    const selection = await selectTensorflowBackend();
    if (!tfjsNodeInstalled()) expect(selection.fallbacks.join()).toMatch(/^tensorflow: .*tfjs-node/);
  });

  it('can be forced to the cpu backend (benchmarks) and back', async () => {
    expect(await initTensorflow({ backend: 'cpu' })).toEqual({ backend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    expect(currentBackend()).toBe('cpu');
    const { backend } = await initTensorflow({ backend: 'wasm' });
    expect(backend).toBe('wasm');
  });

  it('finds the wasm binaries from the package itself, whatever the cwd', () => {
    const dir = wasmBinariesPath();
    expect(dir.endsWith(path.sep)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
  });
});
