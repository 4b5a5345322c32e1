import * as tf from '@tensorflow/tfjs';

import { selectTensorflowBackend } from './backend-selection';

/** Row-major product of plain matrices, in float64: the reference. */
function product(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, v, k) => sum + v * b[k][j], 0)));
}
const transposeOf = (m: number[][]): number[][] => m[0].map((_, j) => m.map((row) => row[j]));
const matrix = (rows: number, cols: number, seed: number): number[][] =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => Math.sin(seed + i * 7.3 + j * 1.9)));

describe('wasm BatchMatMul with transposed operands (explicit transposes)', () => {
  beforeAll(async () => {
    await selectTensorflowBackend('wasm');
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('transposeA=%s transposeB=%s gives the product and frees its temporaries', (ta, tb) => {
    const a = matrix(37, 23, 1);
    const b = matrix(23, 11, 2);
    const aIn = ta ? transposeOf(a) : a;
    const bIn = tb ? transposeOf(b) : b;
    const expected = product(a, b).flat();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    const got = tf.tidy(() => tf.matMul(tf.tensor2d(aIn), tf.tensor2d(bIn), ta, tb).dataSync());
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    expect(got.length).toBe(expected.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
  });

  it('batched (rank 3) operands', () => {
    const a = [matrix(5, 4, 3), matrix(5, 4, 4)];
    const b = [matrix(6, 4, 5), matrix(6, 4, 6)];
    const got = tf.tidy(() => tf.matMul(tf.tensor3d(a), tf.tensor3d(b), false, true).arraySync()) as number[][][];
    expect(got.length).toBe(2);
    got.forEach((m, k) => m.flat().forEach((v, i) => expect(v).toBeCloseTo(product(a[k], transposeOf(b[k])).flat()[i], 4)));
  });

  it('gradients of a dense layer (the products with transposes) match the plain formulas', () => {
    const x = matrix(9, 5, 7);
    const w = matrix(5, 3, 8);
    const [dx, dw] = tf.tidy(() => {
      const grads = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.matMul(xs, ws)));
      return grads([tf.tensor2d(x), tf.tensor2d(w)]).map((g) => g.arraySync() as number[][]);
    });
    const ones = (r: number, c: number): number[][] => Array.from({ length: r }, () => Array(c).fill(1));
    product(ones(9, 3), transposeOf(w)).flat().forEach((v, i) => expect(dx.flat()[i]).toBeCloseTo(v, 4));
    product(transposeOf(x), ones(9, 3)).flat().forEach((v, i) => expect(dw.flat()[i]).toBeCloseTo(v, 4));
  });
});
