import type { DatasetQuery, ExecutionEventRepository, TradingSignalRepository } from '@model-service/repositories';

import type { TrainingSettings } from './training-settings';
import { DatasetSource, loadExecutionDataset, LoadedDataset } from './execution-dataset.loader';
import { planSplit, SplitPlan } from './training-split';

export interface RunDataset extends LoadedDataset {
  plan: SplitPlan;
}

/** Rough first and last signal time of a dataset, to cut it into windows read in parallel. */
export interface DatasetBounds {
  first(query: DatasetQuery): Promise<Date | null>;
  last(query: DatasetQuery): Promise<Date | null>;
}

export interface RunDatasetOptions {
  signal?: { readonly aborted: boolean };
  /** Time windows read concurrently (default 1); needs `bounds`. */
  readers?: number;
  bounds?: DatasetBounds;
}

/** Bounds from the repositories: the first row of the dataset query, the strategy's latest signal. */
export function repositoryBounds(executions: ExecutionEventRepository, signals: TradingSignalRepository): DatasetBounds {
  return {
    first: async (q) => (await executions.datasetPage(q, null, 1)).rows[0]?.signalTimestamp ?? null,
    last: async (q) => (q.strategyId === undefined ? null : ((await signals.lastSignalAt([q.strategyId]))[q.strategyId] ?? null)),
  };
}

/**
 * `query` cut at k - 1 instants evenly spread between `first` and `last`. The outer windows keep the query's
 * own (possibly open) ends, so the windows cover exactly the query's rows whatever the bounds are; the bounds
 * only decide how evenly the rows are shared.
 */
export function timeWindows(query: DatasetQuery, first: Date, last: Date, k: number): DatasetQuery[] {
  const span = last.getTime() - first.getTime();
  if (k <= 1 || !(span > 0)) return [query];
  const cuts = Array.from({ length: k - 1 }, (_, i) => new Date(first.getTime() + Math.round((span * (i + 1)) / k)));
  const windows: DatasetQuery[] = cuts.map((to, i) => ({ ...query, from: i === 0 ? query.from : cuts[i - 1], to }));
  windows.push({ ...query, from: cuts[k - 2], to: query.to });
  return windows;
}

/**
 * The dataset a full training run of `strategyId` uses, and where it is split (validation = the most recent
 * MODEL_TRAINING_VALIDATION_FRACTION, training ending MODEL_TRAINING_EMBARGO_SECONDS before it). Shared by the training
 * pipeline, the live quality check and `npm run dataset:export`, so the export is exactly what a run trains
 * and validates on.
 */
export async function loadRunDataset(
  source: DatasetSource,
  query: DatasetQuery,
  settings: Pick<TrainingSettings, 'labels' | 'validationFraction' | 'embargoMs'>,
  opts: RunDatasetOptions = {},
): Promise<RunDataset> {
  let queries: DatasetQuery[] = [query];
  const readers = opts.readers ?? 1;
  if (readers > 1 && opts.bounds) {
    const [first, last] = await Promise.all([opts.bounds.first(query), opts.bounds.last(query)]);
    if (first && last) queries = timeWindows(query, first, last, readers);
  }
  const loaded = await loadExecutionDataset(source, queries, { labels: settings.labels, signal: opts.signal });
  const { dataset } = loaded;
  return { ...loaded, plan: planSplit(dataset.timestamps, dataset.n, settings.validationFraction, settings.embargoMs) };
}
