/** Accuracy of a model (or the baseline) on the same held-out data. */
export interface AccuracyScore {
  accuracy: number;
}

export interface PromotionInput {
  candidate: AccuracyScore;
  baseline: AccuracyScore;
  /** The active model scored on the same held-out rows; omit when the strategy has no active model. */
  active?: AccuracyScore | null;
  /** MODEL_QUALITY_THRESHOLD_ACCURACY, e.g. 0.75. */
  threshold: number;
}

export interface PromotionDecision {
  promote: boolean;
  /** One line per check, passed or failed, e.g. "accuracy 0.7400 below threshold 0.7500". */
  reasons: string[];
}

/** Absorbs float noise in "at least" comparisons (0.75 computed as 0.7499999999999999 still passes). */
const TOLERANCE = 1e-9;

const fmt = (x: number): string => x.toFixed(4);

/**
 * Promotion rule: accuracy >= threshold AND strictly better than the majority baseline AND no worse than the
 * active model (when there is one). All checks are reported, so a refused candidate records every reason.
 */
export function passesPromotionRule(input: PromotionInput): PromotionDecision {
  const { candidate, baseline, active, threshold } = input;
  const acc = candidate.accuracy;
  const reasons: string[] = [];
  let promote = Number.isFinite(acc);
  if (!Number.isFinite(acc)) reasons.push(`candidate accuracy is ${acc}`);

  if (acc + TOLERANCE >= threshold) reasons.push(`accuracy ${fmt(acc)} meets threshold ${fmt(threshold)}`);
  else {
    promote = false;
    reasons.push(`accuracy ${fmt(acc)} below threshold ${fmt(threshold)}`);
  }

  if (acc > baseline.accuracy + TOLERANCE) reasons.push(`accuracy ${fmt(acc)} beats baseline ${fmt(baseline.accuracy)}`);
  else {
    promote = false;
    reasons.push(`accuracy ${fmt(acc)} does not beat baseline ${fmt(baseline.accuracy)}`);
  }

  if (!active) reasons.push('no active model to compare with');
  else if (acc + TOLERANCE >= active.accuracy) reasons.push(`accuracy ${fmt(acc)} no worse than active ${fmt(active.accuracy)}`);
  else {
    promote = false;
    reasons.push(`accuracy ${fmt(acc)} worse than active ${fmt(active.accuracy)}`);
  }
  return { promote, reasons };
}
