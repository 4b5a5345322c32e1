// Technical indicators (signal-generator's market-data cache).
export { IndicatorState } from './indicators/indicator-state';
export type { CandleUpdate } from './indicators/indicator-state';
export { SlidingWindowStats } from './indicators/sliding-window-stats';
export {
  assertValidCandle,
  INDICATOR_DEFAULTS,
  resolveIndicatorOptions,
  RETURN_HORIZONS,
  TECHNICAL_INDICATOR_KEYS,
} from './indicators/technical-indicators';
export type {
  Candle,
  IndicatorOptions,
  ResolvedIndicatorOptions,
  TechnicalIndicators,
} from './indicators/technical-indicators';

// Feature pipeline (trainer and signal-generator).
export {
  buildFeatures,
  buildFeaturesInto,
  featureInputFromSignal,
  featureVectorHash,
  timestampMs,
} from './pipeline/build-features';
export type { NumericVector } from './pipeline/build-features';
export {
  FEATURE_COUNT,
  FEATURE_INDEX,
  FEATURE_NAMES,
  FEATURE_SET_VERSION,
  missingFlagIndices,
} from './pipeline/feature-set';
export {
  applyNormalizer,
  assertFeatureSet,
  fitNormalizer,
  matrixRow,
  matrixRows,
  NORMALIZED_CLIP,
  normalizeMatrix,
  parseNormalizationStats,
} from './pipeline/normalizer';
export type { FeatureMatrix, FitNormalizerOptions, NormalizationStats } from './pipeline/normalizer';
export { SNAPSHOT_FEATURE_PATHS, SNAPSHOT_FEATURE_TYPES, snapshotAtPaths, snapshotFromValues, SnapshotView } from './pipeline/snapshot-fields';
export type { SnapshotValueType } from './pipeline/snapshot-fields';
export type { FeatureInput, OrderbookDepthInput, Side, SignalLike, SnapshotInput } from './pipeline/snapshot-input';

// Labels.
export { LABEL_DEFAULTS, labelExecutionWith, labelFromExecution, markToMarketLabel, priceAtHorizon, resolveLabelOptions } from './labels/labels';
export type { ExecutionLike, LabelOptions, LabelResult, LabelSource, MarkToMarketInput } from './labels/labels';
export { compareModes, formatModeOutcome, labelDecisions, meanReturnDifference, modeOutcomeFields, summariseOutcomes } from './labels/mode-comparison';
export type { ExecutedDecision, MeanDifference, ModeOutcome, ModeOutcomeFields } from './labels/mode-comparison';

// Datasets.
export { buildDatasetRows, DatasetBuilder } from './dataset/dataset-builder';
export { concatDatasets } from './dataset/dataset-concat';
export { stableTimeOrder } from './dataset/time-order';
export type { Dataset, DatasetRecord } from './dataset/dataset-builder';
export { embargoedTrainEnd, timeOrderedSplit } from './dataset/time-split';

// Interval statistics (the promotion gate, the model-vs-warm-up comparison).
export { formatInterval, wilsonInterval, Z95, Z99_ONE_SIDED } from './stats/wilson-interval';
export type { ProportionInterval } from './stats/wilson-interval';
