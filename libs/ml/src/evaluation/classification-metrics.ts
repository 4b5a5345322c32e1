type Numbers = ArrayLike<number>;

export interface ClassificationMetrics {
  /** Rows evaluated. */
  n: number;
  accuracy: number;
  /** Mean of the recalls of the classes present (= (TPR + TNR) / 2 when both are). */
  balanced_accuracy: number;
  /** TP / (TP + FP); 0 when nothing is predicted positive. */
  precision: number;
  /** TP / (TP + FN); 0 when there are no positives. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
  /** Probability that a random positive scores above a random negative (ties count half);
   *  null when only one class is present (undefined). */
  roc_auc: number | null;
  /** Mean squared error of the probabilities (calibration; 0 is perfect, 0.25 is a coin). */
  brier: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

function checkLengths(a: Numbers, b: Numbers, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

/** Rank-based ROC AUC (Mann-Whitney U) with average ranks for tied scores. O(n log n). */
export function rocAuc(yTrue: Numbers, prob: Numbers): number | null {
  checkLengths(yTrue, prob, 'rocAuc');
  const n = yTrue.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += yTrue[i] === 1 ? 1 : 0;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => prob[a] - prob[b]);
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && prob[order[end]] === prob[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start+1 .. end
    for (let k = start; k < end; k++) if (yTrue[order[k]] === 1) positiveRankSum += averageRank;
    start = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Binary classification metrics; a row is predicted positive when prob >= threshold.
 * Labels must be 0/1. Zero rows gives all-zero metrics with roc_auc null.
 */
export function classificationMetrics(yTrue: Numbers, prob: Numbers, threshold = 0.5): ClassificationMetrics {
  checkLengths(yTrue, prob, 'classificationMetrics');
  const n = yTrue.length;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let squaredError = 0;
  for (let i = 0; i < n; i++) {
    const label = yTrue[i];
    if (label !== 0 && label !== 1) throw new RangeError(`label at ${i} is ${label}, expected 0 or 1`);
    const predicted = prob[i] >= threshold;
    if (predicted && label === 1) tp++;
    else if (predicted) fp++;
    else if (label === 1) fn++;
    else tn++;
    squaredError += (prob[i] - label) ** 2;
  }
  const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const recalls = [tp + fn > 0 ? recall : null, tn + fp > 0 ? ratio(tn, tn + fp) : null].filter((r): r is number => r !== null);
  return {
    n,
    accuracy: ratio(tp + tn, n),
    balanced_accuracy: recalls.length ? recalls.reduce((a, b) => a + b, 0) / recalls.length : 0,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    roc_auc: rocAuc(yTrue, prob),
    brier: ratio(squaredError, n),
    tp,
    fp,
    tn,
    fn,
  };
}
