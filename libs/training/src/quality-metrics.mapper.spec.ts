import { baselineMetrics, classificationMetrics, EvaluationReport, tradingMetrics } from '@model-service/ml';

import { metricsSummary, qualityMetricRows } from './quality-metrics.mapper';

function report(yTrue: number[], prob: number[], returns: number[]): EvaluationReport {
  return {
    n: yTrue.length,
    from: 0,
    to: yTrue.length,
    threshold: 0.5,
    classification: classificationMetrics(yTrue, prob, 0.5),
    trading: tradingMetrics(prob, returns, 0.5),
    baseline: baselineMetrics([1, 1, 0], yTrue, returns),
  };
}

const at = new Date('2026-02-01T00:00:00Z');

describe('qualityMetricRows', () => {
  const r = report([1, 0, 1, 0], [0.9, 0.2, 0.7, 0.6], [0.01, -0.02, 0.03, -0.01]);

  it('stores the model’s classification and trading metrics and the baseline’s, with evaluated_at and dataset size', () => {
    const rows = qualityMetricRows(r, { modelVersionId: 'v', strategyId: 's', evaluatedAt: at, kind: 'held_out', metadata: { run_id: 'r' } });
    const get = (type: string, name: string) => rows.find((x) => x.metricType === type && x.metricName === name)?.metricValue;
    expect(get('classification', 'accuracy')).toBe(0.75);
    expect(get('classification', 'roc_auc')).toBe(1);
    expect(get('trading_performance', 'trades')).toBe(3);
    expect(get('trading_performance', 'total_pnl')).toBeCloseTo(0.03, 9);
    expect(rows.map((x) => x.metricName)).toEqual(expect.arrayContaining(['f1_score', 'sharpe_ratio', 'total_pnl']));
    expect(rows.map((x) => x.metricName)).not.toEqual(expect.arrayContaining(['f1']));
    expect(get('baseline', 'accuracy')).toBe(0.5);
    expect(rows.every((x) => x.evaluatedAt === at && x.datasetSize === 4 && x.modelVersionId === 'v' && x.metadata?.['run_id'] === 'r')).toBe(true);
    expect(new Set(rows.map((x) => x.metricType))).toEqual(new Set(['classification', 'trading_performance', 'baseline']));
  });

  it('leaves out metrics undefined for the data (one class → no ROC AUC; no losing trade → no profit factor)', () => {
    const oneClass = report([1, 1], [0.9, 0.8], [0.01, 0.02]);
    const rows = qualityMetricRows(oneClass, { modelVersionId: 'v', strategyId: 's', evaluatedAt: at, kind: 'held_out' });
    expect(rows.find((x) => x.metricName === 'roc_auc')).toBeUndefined();
    expect(rows.find((x) => x.metricType === 'trading' && x.metricName === 'profit_factor')).toBeUndefined();
    expect(rows.every((x) => Number.isFinite(x.metricValue))).toBe(true);
  });

  it('live checks are one time series type, the baseline under baseline_ names', () => {
    const rows = qualityMetricRows(r, { modelVersionId: 'v', strategyId: 's', evaluatedAt: at, kind: 'live' });
    expect(new Set(rows.map((x) => x.metricType))).toEqual(new Set(['live']));
    expect(rows.map((x) => x.metricName)).toEqual(expect.arrayContaining(['accuracy', 'baseline_accuracy', 'win_rate', 'baseline_win_rate']));
  });

  it.each([
    [1, ['accuracy']],
    [3, ['accuracy', 'f1_score', 'precision']],
  ])('a cap of %i rows keeps the most telling ones', (maxRows, names) => {
    const rows = qualityMetricRows(r, { modelVersionId: 'v', strategyId: 's', evaluatedAt: at, kind: 'live', maxRows });
    expect(rows.map((x) => x.metricName)).toEqual(names);
  });

  it('a cap above the row count keeps every row', () => {
    const all = qualityMetricRows(r, { modelVersionId: 'v', strategyId: 's', evaluatedAt: at, kind: 'live' });
    expect(qualityMetricRows(r, { modelVersionId: 'v', strategyId: 's', evaluatedAt: at, kind: 'live', maxRows: 1000 })).toHaveLength(all.length);
    expect(all.length).toBeGreaterThan(20);
  });
});

describe('metricsSummary', () => {
  it('keeps the headline figures with the baseline next to them', () => {
    expect(metricsSummary(report([1, 0], [0.9, 0.1], [0.01, -0.01]), { promoted: true })).toMatchObject({
      accuracy: 1,
      baseline_accuracy: 0.5,
      evaluated_rows: 2,
      promoted: true,
    });
  });
});
