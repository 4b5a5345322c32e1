import { MigrationInterface, QueryRunner } from 'typeorm';

/** Our metric name → the original service's, for rows written before the trainer used its names. */
const RENAMES: Array<[string, string]> = [
  ['f1', 'f1_score'],
  ['sharpe', 'sharpe_ratio'],
  ['total_return', 'total_pnl'],
  ['baseline_f1', 'baseline_f1_score'],
  ['baseline_sharpe', 'baseline_sharpe_ratio'],
  ['baseline_total_return', 'baseline_total_pnl'],
];

/**
 * model_quality_metrics uses the original service's metric names and types (ops' Grafana panels
 * filter on them): `f1_score`, `sharpe_ratio`, `total_pnl`, and metric_type `trading_performance`
 * instead of `trading`. Down restores the old names.
 */
export class OriginalMetricNames1795308619400 implements MigrationInterface {
  name = 'OriginalMetricNames1795308619400';

  async up(q: QueryRunner): Promise<void> {
    for (const [from, to] of RENAMES) {
      await q.query(`UPDATE model_quality_metrics SET metric_name = $2 WHERE metric_name = $1`, [from, to]);
    }
    await q.query(`UPDATE model_quality_metrics SET metric_type = 'trading_performance' WHERE metric_type = 'trading'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE model_quality_metrics SET metric_type = 'trading' WHERE metric_type = 'trading_performance'`);
    for (const [from, to] of RENAMES) {
      await q.query(`UPDATE model_quality_metrics SET metric_name = $1 WHERE metric_name = $2`, [from, to]);
    }
  }
}
