import { classificationMetrics } from './classification-metrics';
import type { ClassificationMetrics } from './classification-metrics';
import { tradingMetrics } from './trading-metrics';
import type { TradingMetrics } from './trading-metrics';

type Numbers = ArrayLike<number>;

export interface BaselineMetrics {
  /** The class the baseline always predicts: the majority of the training labels (a tie predicts 1). */
  majority_class: 0 | 1;
  /** Positive rate of the training labels: the baseline's probability (used for the Brier score). */
  positive_rate: number;
  classification: ClassificationMetrics;
  /** Takes every trade when the majority is profitable, none otherwise. */
  trading: TradingMetrics;
}

/**
 * The naive majority-class baseline, fitted on the training labels and scored on validation. Its probability
 * is the training positive rate (a constant, so ROC AUC is 0.5); its decision is the majority class.
 */
export function baselineMetrics(yTrain: Numbers, yVal: Numbers, returnsVal: Numbers): BaselineMetrics {
  let positives = 0;
  for (let i = 0; i < yTrain.length; i++) positives += yTrain[i] === 1 ? 1 : 0;
  const positiveRate = yTrain.length ? positives / yTrain.length : 0;
  const majority: 0 | 1 = yTrain.length > 0 && positives * 2 >= yTrain.length ? 1 : 0;
  const constant = new Float64Array(yVal.length).fill(positiveRate);
  const takeAll = new Float64Array(yVal.length).fill(majority);
  return {
    majority_class: majority,
    positive_rate: positiveRate,
    // positive_rate >= 0.5 exactly when the majority is 1, so the 0.5 threshold yields the majority decision.
    classification: classificationMetrics(yVal, constant, 0.5),
    trading: tradingMetrics(takeAll, returnsVal, 0.5),
  };
}
