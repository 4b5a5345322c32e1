import { formatInterval, wilsonInterval, Z99_ONE_SIDED } from '@model-service/features';

/** A model's (or the baseline's) confusion counts on held-out rows. */
export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface PromotionInput {
  candidate: ConfusionCounts;
  /** The majority-class baseline: the class it always predicts. */
  baseline: { majority_class: 0 | 1 };
  /** The active model scored on the same held-out rows; omit when the strategy has no active model. */
  active?: ConfusionCounts | null;
  /** MODEL_QUALITY_THRESHOLD_ACCURACY, e.g. 0.75: the accuracy's 95 % lower bound must reach it. */
  threshold: number;
  /** MODEL_PROMOTION_MIN_VALIDATION_ROWS: fewer held-out rows cannot tell a model from luck. */
  minValidationRows: number;
}

export interface PromotionDecision {
  promote: boolean;
  /** One line per check, passed or failed, with the intervals it was judged on. */
  reasons: string[];
}

/** Absorbs float noise in "at least" comparisons. */
const TOLERANCE = 1e-9;

const rows = (c: ConfusionCounts): number => c.tp + c.fp + c.tn + c.fn;
const correct = (c: ConfusionCounts): number => c.tp + c.tn;

/**
 * The promotion gate. All checks are reported, so a refused candidate records every reason:
 * 1. at least `minValidationRows` held-out rows;
 * 2. the lower bound of the 95 % Wilson interval of the accuracy at or above `threshold`;
 * 3. better than the majority baseline on the same rows, judged where the two disagree (a paired sign
 *    test): the candidate must be right on significantly more than half of those rows (one-sided 99 %
 *    Wilson bound above 0.5). By itself this refuses a model no better than the baseline 99 % of the time;
 * 4. more accurate than the active model (when there is one) on the same rows; both intervals reported.
 */
export function passesPromotionRule(input: PromotionInput): PromotionDecision {
  const { candidate, baseline, active, threshold, minValidationRows } = input;
  const reasons: string[] = [];
  let promote = true;
  const n = rows(candidate);
  const acc = wilsonInterval(correct(candidate), n);

  if (n >= minValidationRows) reasons.push(`validation rows ${n} >= minimum ${minValidationRows}`);
  else {
    promote = false;
    reasons.push(`validation rows ${n} below minimum ${minValidationRows}`);
  }

  if (n > 0 && acc.lower + TOLERANCE >= threshold) reasons.push(`accuracy ${formatInterval(acc)}: 95 % lower bound meets threshold ${threshold.toFixed(4)}`);
  else {
    promote = false;
    reasons.push(`accuracy ${formatInterval(acc)}: 95 % lower bound below threshold ${threshold.toFixed(4)}`);
  }

  // Baseline always predicts `majority`: where it is wrong and the candidate right, the candidate predicted the
  // other class correctly; where the candidate is wrong and the baseline right, it predicted the other class wrongly.
  const wins = baseline.majority_class === 1 ? candidate.tn : candidate.tp;
  const losses = baseline.majority_class === 1 ? candidate.fn : candidate.fp;
  const baselineAcc = wilsonInterval(baseline.majority_class === 1 ? candidate.tp + candidate.fn : candidate.tn + candidate.fp, n);
  const paired = wilsonInterval(wins, wins + losses, Z99_ONE_SIDED);
  const pairedText = `right on ${wins} of the ${wins + losses} rows where it and the baseline disagree (99 % lower bound ${paired.lower.toFixed(4)})`;
  if (wins + losses > 0 && paired.lower > 0.5) reasons.push(`beats baseline ${formatInterval(baselineAcc)}: ${pairedText}`);
  else {
    promote = false;
    reasons.push(`does not beat baseline ${formatInterval(baselineAcc)}: ${pairedText}`);
  }

  if (!active) reasons.push('no active model to compare with');
  else {
    const activeAcc = wilsonInterval(correct(active), rows(active));
    if (rows(active) === n && acc.p > activeAcc.p + TOLERANCE) reasons.push(`beats active ${formatInterval(activeAcc)} on the same rows`);
    else {
      promote = false;
      reasons.push(`does not beat active ${formatInterval(activeAcc)} on the same rows`);
    }
  }
  return { promote, reasons };
}
