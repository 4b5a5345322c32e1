import type { EvaluationReport } from '@model-service/ml';
import type { NewQualityMetric } from '@model-service/repositories';

// Most telling first: a live check capped at N rows keeps the first N of model, then baseline.
const CLASSIFICATION = ['accuracy', 'f1', 'precision', 'recall', 'balanced_accuracy', 'roc_auc', 'brier'] as const;
const TRADING = ['sharpe', 'win_rate', 'total_return', 'trades', 'mean_return', 'profit_factor'] as const;

/**
 * Stored names are the original service's (ops' Grafana panels and scripts filter on them); the
 * evaluation report keeps the short ones.
 */
const STORED_NAME: Record<string, string> = { f1: 'f1_score', sharpe: 'sharpe_ratio', total_return: 'total_pnl' };
const stored = (name: string): string => STORED_NAME[name] ?? name;

export interface MetricRowsContext {
  modelVersionId: string;
  strategyId: string;
  evaluatedAt: Date;
  /** 'held_out' at training time, 'live' for the quality monitor. */
  kind: 'held_out' | 'live';
  metadata?: Record<string, unknown>;
  /** At most this many rows (model metrics first, then the baseline's); all when unset. */
  maxRows?: number;
}

/**
 * One `model_quality_metrics` row per metric: the model's classification and trading metrics and the
 * majority baseline's, all with the same evaluated_at and dataset_size (the rows scored). Metrics that are
 * undefined for the data (null, e.g. ROC AUC with one class) are left out. Types and names are the
 * original service's (`classification`, `trading_performance`; `f1_score`, `sharpe_ratio`, `total_pnl`);
 * held-out baseline rows have type `baseline`. Live rows all have metric_type 'live' (the baseline under
 * `baseline_` names).
 */
export function qualityMetricRows(report: EvaluationReport, ctx: MetricRowsContext): NewQualityMetric[] {
  const rows: NewQualityMetric[] = [];
  const push = (metricType: string, name: string, value: number | null | undefined): void => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    rows.push({
      modelVersionId: ctx.modelVersionId,
      strategyId: ctx.strategyId,
      metricName: stored(name),
      metricValue: value,
      metricType,
      evaluatedAt: ctx.evaluatedAt,
      datasetSize: report.n,
      metadata: { threshold: report.threshold, ...ctx.metadata },
    });
  };
  const live = ctx.kind === 'live';
  for (const name of CLASSIFICATION) push(live ? 'live' : 'classification', name, report.classification[name]);
  for (const name of TRADING) push(live ? 'live' : 'trading_performance', name, report.trading[name]);
  for (const name of CLASSIFICATION) push(live ? 'live' : 'baseline', live ? `baseline_${name}` : name, report.baseline.classification[name]);
  for (const name of TRADING) push(live ? 'live' : 'baseline', live ? `baseline_${name}` : name, report.baseline.trading[name]);
  return ctx.maxRows === undefined ? rows : rows.slice(0, ctx.maxRows);
}

/** The summary kept in `model_versions.metrics`. */
export function metricsSummary(report: EvaluationReport, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accuracy: report.classification.accuracy,
    balanced_accuracy: report.classification.balanced_accuracy,
    precision: report.classification.precision,
    recall: report.classification.recall,
    f1: report.classification.f1,
    f1_score: report.classification.f1,
    roc_auc: report.classification.roc_auc,
    brier: report.classification.brier,
    win_rate: report.trading.win_rate,
    total_return: report.trading.total_return,
    total_pnl: report.trading.total_return,
    sharpe: report.trading.sharpe,
    sharpe_ratio: report.trading.sharpe,
    profit_factor: report.trading.profit_factor,
    baseline_accuracy: report.baseline.classification.accuracy,
    baseline_majority_class: report.baseline.majority_class,
    evaluated_rows: report.n,
    threshold: report.threshold,
    ...extra,
  };
}
