import { seededRandom } from '@model-service/util/random';
import * as tf from '@tensorflow/tfjs';

import { modelFromArtifacts } from '../model/model-artifacts';
import { buildModel, modelInputSize } from '../model/model-factory';
import { predictProbabilities } from '../model/predict-probabilities';
import { TrainingCancelledError, TrainingError } from './training-errors';
import { balancedClassWeights, shuffleInPlace, validateTrainingJob } from './training-input';
import type { AbortFlag, EpochMetrics, TrainModelOptions, TrainingSummary } from './training-types';

export interface TrainedModel extends TrainingSummary {
  model: tf.LayersModel;
}

const EPSILON = 1e-7;
/** Give the event loop a turn at least this often, so an AbortSignal set by a timer or message is seen. */
const YIELD_EVERY_MS = 50;

function throwIfCancelled(signal: AbortFlag | undefined): void {
  if (signal?.aborted) throw new TrainingCancelledError();
}

/** Unweighted binary cross-entropy and accuracy at 0.5, computed from predicted probabilities. */
function validationScores(prob: Float32Array, y: Float32Array, from: number): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < prob.length; i++) {
    const label = y[from + i];
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, prob[i]));
    loss -= label * Math.log(p) + (1 - label) * Math.log(1 - p);
    if ((prob[i] >= 0.5 ? 1 : 0) === label) correct++;
  }
  return { loss: loss / prob.length, accuracy: correct / prob.length };
}

/** The model a fine-tuning run continues from (layer regularisers come back with its topology). */
async function startingModel(artifacts: NonNullable<TrainModelOptions['initialModel']>, nFeatures: number): Promise<tf.LayersModel> {
  let model: tf.LayersModel;
  try {
    model = await modelFromArtifacts(artifacts);
  } catch (err) {
    throw new TrainingError('invalid_input', `initialModel cannot be loaded: ${(err as Error).message}`);
  }
  const inputs = modelInputSize(model);
  if (inputs !== nFeatures) {
    model.dispose();
    throw new TrainingError('invalid_input', `initialModel expects ${inputs} features, the data has ${nFeatures}`);
  }
  return model;
}

/**
 * Trains a logistic or MLP classifier on a time-ordered split with a hand-written loop (Adam, mini-batches,
 * class-weighted BCE + the layers' L2 penalties). Only the training split is shuffled, per epoch; validation
 * is the most recent rows. Early stopping on val_loss restores the best epoch's weights.
 *
 * Throws TrainingError('invalid_input' | 'empty_split') before training, TrainingError('nan_loss') when the
 * loss diverges, TrainingCancelledError when `signal.aborted` is seen (checked before every batch).
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainedModel> {
  validateTrainingJob(options);
  const { X, y, nFeatures, n, validationFrom, epochs, batchSize, signal } = options;
  const started = Date.now();
  const trainRows = validationFrom;
  const valRows = n - validationFrom;
  const classWeights = options.classWeight === 'balanced' ? balancedClassWeights(y, 0, trainRows) : null;
  const random = seededRandom(options.seed ?? 42);

  const model = options.initialModel
    ? await startingModel(options.initialModel, nFeatures)
    : buildModel(options.modelType, nFeatures, { seed: options.seed, ...options.modelOptions });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.adam(options.learningRate);
  const order = new Uint32Array(trainRows).map((_, i) => i);
  const xBatch = new Float32Array(batchSize * nFeatures);
  const yBatch = new Float32Array(batchSize);
  const wBatch = new Float32Array(batchSize);
  const history: EpochMetrics[] = [];
  let best: { loss: number; epoch: number; weights: tf.Tensor[] } | null = null;
  let sinceBest = 0;
  let lastYield = Date.now();

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const epochStarted = Date.now();
      shuffleInPlace(order, random);
      let lossSum = 0;
      for (let start = 0; start < trainRows; start += batchSize) {
        throwIfCancelled(signal);
        const rows = Math.min(batchSize, trainRows - start);
        for (let r = 0; r < rows; r++) {
          const src = order[start + r];
          xBatch.set(X.subarray(src * nFeatures, (src + 1) * nFeatures), r * nFeatures);
          yBatch[r] = y[src];
          wBatch[r] = classWeights ? classWeights[y[src]] : 1;
        }
        const cost = tf.tidy((): tf.Scalar => {
          const xs = tf.tensor2d(xBatch.subarray(0, rows * nFeatures), [rows, nFeatures]);
          const ys = tf.tensor2d(yBatch.subarray(0, rows), [rows, 1]);
          const ws = tf.tensor2d(wBatch.subarray(0, rows), [rows, 1]);
          const scalar = optimizer.minimize(
            () => {
              const p = tf.clipByValue(model.apply(xs, { training: true }) as tf.Tensor, EPSILON, 1 - EPSILON);
              const bce = tf.neg(tf.add(tf.mul(ys, tf.log(p)), tf.mul(tf.sub(1, ys), tf.log(tf.sub(1, p)))));
              const penalties = model.calculateLosses();
              const data = tf.mean(tf.mul(bce, ws));
              return (penalties.length ? tf.addN([data, ...penalties]) : data) as tf.Scalar;
            },
            true,
            variables,
          );
          return scalar ?? tf.scalar(NaN);
        });
        const batchLoss = cost.dataSync()[0];
        cost.dispose();
        if (!Number.isFinite(batchLoss)) {
          throw new TrainingError('nan_loss', `loss ${batchLoss} at epoch ${epoch}, batch ${Math.floor(start / batchSize) + 1}`);
        }
        lossSum += batchLoss * rows;
        if (Date.now() - lastYield >= YIELD_EVERY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = Date.now();
        }
      }
      throwIfCancelled(signal);
      const val = validationScores(predictProbabilities(model, X, nFeatures, validationFrom, n), y, validationFrom);
      if (!Number.isFinite(val.loss)) throw new TrainingError('nan_loss', `validation loss ${val.loss} at epoch ${epoch}`);
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / trainRows,
        val_loss: val.loss,
        val_accuracy: val.accuracy,
        duration_ms: Date.now() - epochStarted,
      };
      history.push(metrics);
      let stop = false;
      if (!best || metrics.val_loss < best.loss) {
        best?.weights.forEach((w) => w.dispose());
        best = { loss: metrics.val_loss, epoch, weights: model.getWeights().map((w) => tf.keep(w.clone())) };
        sinceBest = 0;
      } else {
        sinceBest++;
        stop = sinceBest >= options.patience; // as Keras: `patience` epochs in a row without improvement
      }
      const meanEpochMs = (Date.now() - started) / epoch;
      options.onProgress?.({
        epoch,
        epochs,
        loss: metrics.loss,
        val_loss: metrics.val_loss,
        val_accuracy: metrics.val_accuracy,
        eta_seconds: (meanEpochMs * (epochs - epoch)) / 1000,
      });
      if (stop) break;
    }
    if (!best) throw new TrainingError('nan_loss', 'no epoch completed');
    model.setWeights(best.weights);
    return {
      model,
      history,
      bestEpoch: best.epoch,
      epochsRun: history.length,
      stoppedEarly: history.length < epochs,
      classWeights,
      trainRows,
      valRows,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    best?.weights.forEach((w) => w.dispose());
    optimizer.dispose();
  }
}
