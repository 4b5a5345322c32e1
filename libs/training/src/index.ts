/**
 * The trainer's dataset and scoring pipeline as a library: settings from the environment, the execution dataset
 * (PostgreSQL → features and labels, time windows read in parallel), the time-ordered split with its embargo,
 * scoring and quality-metric rows. The trainer app runs it; the training bench and the dataset export run the
 * same code.
 */
export { datasetCsvHeader, datasetCsvRow } from './dataset-csv';
export { loadExecutionDataset } from './execution-dataset.loader';
export type { DatasetSource, DatasetStats, LoadDatasetOptions, LoadedDataset, TrainingRowsOptions } from './execution-dataset.loader';
export { scoreArtifacts, scoreStoredVersion } from './model-scoring';
export { PriceSeries } from './price-series';
export { metricsSummary, qualityMetricRows } from './quality-metrics.mapper';
export type { MetricRowsContext } from './quality-metrics.mapper';
export { loadRunDataset, repositoryBounds, timeWindows } from './run-dataset';
export type { DatasetBounds, RunDataset, RunDatasetOptions } from './run-dataset';
export { trainingSettingsOf } from './training-settings';
export type { TrainingSettings } from './training-settings';
export { normalizedValidation, planSplit, prepareTraining, splitOf } from './training-split';
export type { PreparedTraining, SplitName, SplitPlan } from './training-split';
export { TrainingEnv } from './training.env';
