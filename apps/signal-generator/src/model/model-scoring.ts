import { buildFeatures, FEATURE_COUNT, featureInputFromSignal, featureVectorHash, SnapshotInput } from '@model-service/features';
import { SignalType } from '@model-service/signals';

/** What scoring needs of a Predictor (`@model-service/ml/inference`). */
export interface BatchScorer {
  predictBatch(rows: Float32Array): Float32Array;
}

export interface SideScore {
  /** Calibrated P(profitable | state, side). */
  probability: number;
  /** The model's output before calibration. */
  raw: number;
  /** The fs feature vector (libs/features, as the trainer builds it from the stored signal). */
  vector: Float64Array;
}

export interface SideScores {
  buy: SideScore;
  sell: SideScore;
  /** The side with the higher calibrated probability (buy on a tie). */
  best: SignalType;
}

/** Turns the classifier's output into a calibrated probability. */
export type Calibration = (p: number) => number;

export const identityCalibration: Calibration = (p) => p;

/**
 * The calibration of a model trained with class weights [w0, w1] (balanced weighting, `training_config.class_weights`):
 * weighting multiplies the odds the model learns by w1 / w0, so the true odds are the model's × w0 / w1.
 * Without (valid) weights the output is taken as calibrated already.
 */
export function priorCorrection(classWeights: unknown): Calibration {
  if (!Array.isArray(classWeights) || classWeights.length !== 2) return identityCalibration;
  const [w0, w1] = classWeights as unknown[];
  if (typeof w0 !== 'number' || typeof w1 !== 'number' || !(w0 > 0) || !(w1 > 0) || !Number.isFinite(w0 / w1)) return identityCalibration;
  const ratio = w0 / w1;
  if (Math.abs(ratio - 1) < 1e-12) return identityCalibration;
  return (p) => {
    if (!(p > 0)) return 0;
    if (!(p < 1)) return 1;
    const odds = (p / (1 - p)) * ratio;
    return odds / (1 + odds);
  };
}

/**
 * The feature vectors of BUY and SELL for one decision, built with libs/features from the snapshot that goes
 * into the signal and the signal's timestamp (exactly what the trainer later reads back from trading_signals).
 */
export function sideVectors(snapshot: SnapshotInput, timestamp: string): { buy: Float64Array; sell: Float64Array } {
  return {
    buy: buildFeatures(featureInputFromSignal({ signal_type: 'buy', timestamp, market_data_snapshot: snapshot })),
    sell: buildFeatures(featureInputFromSignal({ signal_type: 'sell', timestamp, market_data_snapshot: snapshot })),
  };
}

/**
 * Scores both sides in one model call. The rows are handed over as float32, the precision the trainer's
 * dataset holds them in, so serving sees the very values the model was fitted and evaluated on.
 */
export function scoreSides(model: BatchScorer, snapshot: SnapshotInput, timestamp: string, calibrate: Calibration = identityCalibration): SideScores {
  const { buy, sell } = sideVectors(snapshot, timestamp);
  const rows = new Float32Array(2 * FEATURE_COUNT);
  rows.set(buy, 0);
  rows.set(sell, FEATURE_COUNT);
  const out = model.predictBatch(rows);
  const rawBuy = out[0];
  const rawSell = out[1];
  if (!Number.isFinite(rawBuy) || !Number.isFinite(rawSell)) throw new RangeError(`model returned ${rawBuy} / ${rawSell} for buy / sell`);
  const pBuy = calibrate(rawBuy);
  const pSell = calibrate(rawSell);
  return {
    buy: { probability: pBuy, raw: rawBuy, vector: buy },
    sell: { probability: pSell, raw: rawSell, vector: sell },
    best: pBuy >= pSell ? 'buy' : 'sell',
  };
}

/** `featureVectorHash` of a side's vector (goes into the signal's metadata). */
export function hashOf(score: SideScore): string {
  return featureVectorHash(score.vector);
}

/**
 * Quote amount for a confidence: min_amount at the minimum confidence, max_amount at 1, linear in between
 * (rounded down to 8 decimals, never outside [min, max]).
 */
export function amountForConfidence(confidence: number, minConfidence: number, minAmount: number, maxAmount: number): number {
  const span = 1 - minConfidence;
  const t = span <= 0 ? 1 : Math.min(1, Math.max(0, (confidence - minConfidence) / span));
  const amount = Math.floor((minAmount + (maxAmount - minAmount) * t) * 1e8) / 1e8;
  return Math.min(maxAmount, Math.max(minAmount, amount));
}
