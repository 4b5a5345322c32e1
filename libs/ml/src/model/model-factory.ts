import * as tf from '@tensorflow/tfjs';

export type ModelType = 'logistic' | 'mlp';

export const MODEL_TYPES: readonly ModelType[] = ['logistic', 'mlp'];

export interface ModelOptions {
  /** L2 penalty on every kernel (default 1e-4 for logistic, 1e-5 for the MLP). */
  l2?: number;
  /** MLP hidden layer sizes (default [64, 32]). */
  hiddenUnits?: number[];
  /** MLP dropout rate after each hidden layer (default 0.2). */
  dropout?: number;
  /** Seed for weight initialisation (default 42). */
  seed?: number;
}

export function isModelType(value: unknown): value is ModelType {
  return typeof value === 'string' && (MODEL_TYPES as readonly string[]).includes(value);
}

/**
 * An uncompiled binary classifier with one sigmoid output, P(label = 1):
 * - `logistic`: a single sigmoid dense unit with L2 on its kernel (logistic regression);
 * - `mlp`: dense relu layers (64-32 by default) with dropout, then the sigmoid unit.
 * Regularisers live in the layer config, so `model.calculateLosses()` returns the penalties for a training loop.
 */
export function buildModel(type: ModelType, nFeatures: number, opts: ModelOptions = {}): tf.Sequential {
  if (!Number.isInteger(nFeatures) || nFeatures < 1) throw new RangeError(`nFeatures must be a positive integer, got ${nFeatures}`);
  const seed = opts.seed ?? 42;
  const model = tf.sequential({ name: `${type}_classifier` });
  if (type === 'logistic') {
    model.add(
      tf.layers.dense({
        inputShape: [nFeatures],
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
        kernelRegularizer: tf.regularizers.l2({ l2: opts.l2 ?? 1e-4 }),
        name: 'logit',
      }),
    );
    return model;
  }
  if (type !== 'mlp') throw new RangeError(`unknown model type '${String(type)}' (expected ${MODEL_TYPES.join(' | ')})`);
  const hidden = opts.hiddenUnits ?? [64, 32];
  const dropout = opts.dropout ?? 0.2;
  const l2 = opts.l2 ?? 1e-5;
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [nFeatures] } : {}),
        units,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: seed + i }),
        kernelRegularizer: tf.regularizers.l2({ l2 }),
        name: `hidden_${i + 1}`,
      }),
    );
    // No dropout seed: tfjs re-seeds per call, so a fixed seed would drop the same units in every batch.
    if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout, name: `dropout_${i + 1}` }));
  });
  model.add(
    tf.layers.dense({
      ...(hidden.length === 0 ? { inputShape: [nFeatures] } : {}),
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1000 }),
      kernelRegularizer: tf.regularizers.l2({ l2 }),
      name: 'output',
    }),
  );
  return model;
}

/** Number of input features a (loaded) model expects. */
export function modelInputSize(model: tf.LayersModel): number {
  const shape = model.inputs[0]?.shape;
  const size = shape?.[shape.length - 1];
  if (typeof size !== 'number') throw new Error('model has no fixed input size');
  return size;
}
