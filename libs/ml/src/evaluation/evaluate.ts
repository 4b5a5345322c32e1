import type * as tf from '@tensorflow/tfjs';

import { isLayersModel } from '../model/model-artifacts';
import { modelInputSize } from '../model/model-factory';
import { predictProbabilities } from '../model/predict-probabilities';
import type { Predictor } from '../predict/predictor';
import { baselineMetrics } from './baseline-metrics';
import type { BaselineMetrics } from './baseline-metrics';
import { classificationMetrics } from './classification-metrics';
import type { ClassificationMetrics } from './classification-metrics';
import { tradingMetrics } from './trading-metrics';
import type { TradingMetrics } from './trading-metrics';

type Numbers = ArrayLike<number>;

export interface EvaluationReport {
  /** Rows evaluated (`to - from`), the dataset size stored with the metrics. */
  n: number;
  from: number;
  to: number;
  threshold: number;
  classification: ClassificationMetrics;
  trading: TradingMetrics;
  baseline: BaselineMetrics;
}

export interface EvaluateOptions {
  /** Decision / trade threshold on P(profitable) (default 0.5). */
  threshold?: number;
  /** Labels the baseline is fitted on; default rows `[0, from)` of `y`, or the evaluated rows when from = 0. */
  yTrain?: Numbers;
}

function slice(values: Numbers, from: number, to: number): Numbers {
  const maybeTyped = values as Numbers & { subarray?: (a: number, b: number) => Numbers };
  return typeof maybeTyped.subarray === 'function' ? maybeTyped.subarray(from, to) : Array.prototype.slice.call(values, from, to);
}

/**
 * Scores rows `[from, to)`: classification and trading metrics of the model plus the majority-class baseline.
 * A tf.LayersModel takes X as the model was trained on (already normalised); a Predictor takes raw rows and
 * normalises them with its saved statistics. X is row-major; y and returns are indexed like its rows.
 */
export function evaluate(
  model: tf.LayersModel | Predictor,
  X: Float32Array,
  y: Numbers,
  returns: Numbers,
  from: number,
  to: number,
  options: EvaluateOptions = {},
): EvaluationReport {
  const threshold = options.threshold ?? 0.5;
  const nFeatures = isLayersModel(model) ? modelInputSize(model) : model.featureNames.length;
  if (!(from >= 0 && from <= to && to <= y.length && to <= returns.length && to * nFeatures <= X.length)) {
    throw new RangeError(`evaluate: bad range [${from}, ${to}) for ${y.length} labels, ${returns.length} returns, ${X.length / nFeatures} rows`);
  }
  const prob = isLayersModel(model)
    ? predictProbabilities(model, X, nFeatures, from, to)
    : model.predictBatch(X.subarray(from * nFeatures, to * nFeatures));
  const yVal = slice(y, from, to);
  const returnsVal = slice(returns, from, to);
  const yTrain = options.yTrain ?? (from > 0 ? slice(y, 0, from) : yVal);
  return {
    n: to - from,
    from,
    to,
    threshold,
    classification: classificationMetrics(yVal, prob, threshold),
    trading: tradingMetrics(prob, returnsVal, threshold),
    baseline: baselineMetrics(yTrain, yVal, returnsVal),
  };
}
