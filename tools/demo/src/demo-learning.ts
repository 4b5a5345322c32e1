import { compareModes, ExecutedDecision, formatModeOutcome, ModeOutcome } from '@model-service/features';

import type { Queryable } from './demo-summary';

/** Per strategy: its model-mode decisions against its warm-up decisions, labelled as the trainer labels rows. */
export interface StrategyLearning {
  strategy: string;
  warmup: ModeOutcome;
  model: ModeOutcome;
}

/** The demo trainer's label settings (MODEL_TRAINING_LABEL_HORIZON_SECONDS, the default exit fee). */
export const DEMO_LABELS = { horizonMs: 600_000, exitFeeRate: 0.001, minReturn: 0 };

interface Row {
  strategy_id: string;
  asset: string;
  mode: ExecutedDecision['mode'];
  side: string;
  signal_ms: string;
  signal_price: string | null;
  executed_ms: string;
  execution_price: string;
  execution_quantity: string;
  execution_fees: string;
}

/** Every executed decision of every strategy, compared by mode (model vs warm-up) with 95 % intervals. */
export async function readLearning(db: Queryable, labels = DEMO_LABELS): Promise<StrategyLearning[]> {
  const rows = (
    await db.query(
      `SELECT ts.strategy_id, ts.asset,
              CASE WHEN ts.is_warmup THEN 'warmup' WHEN ts.model_version IS NULL THEN 'exit' ELSE 'model' END AS mode,
              ts.signal_type AS side, (extract(epoch FROM ts."timestamp") * 1000)::text AS signal_ms,
              ts.market_data_snapshot->>'price' AS signal_price, (extract(epoch FROM ee.executed_at) * 1000)::text AS executed_ms,
              ee.execution_price, ee.execution_quantity, ee.execution_fees
         FROM trading_signals ts JOIN execution_events ee ON ee.signal_id = ts.signal_id`,
    )
  ).rows as Row[];
  const byStrategy = new Map<string, ExecutedDecision[]>();
  for (const r of rows) {
    const list = byStrategy.get(r.strategy_id) ?? [];
    byStrategy.set(r.strategy_id, list);
    list.push({
      asset: r.asset,
      mode: r.mode,
      side: r.side,
      signalTimeMs: Number(r.signal_ms),
      signalPrice: r.signal_price === null ? null : Number(r.signal_price),
      executedAtMs: Number(r.executed_ms),
      executionPrice: Number(r.execution_price),
      executionQuantity: Number(r.execution_quantity),
      executionFees: Number(r.execution_fees),
    });
  }
  return [...byStrategy.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([strategy, decisions]) => ({ strategy, ...compareModes(decisions, labels) }));
}

/** Lines of the summary: "momentum_v1  model n 212, win rate ... | warm-up n 640, win rate ...". */
export function renderLearning(learning: readonly StrategyLearning[]): string[] {
  return learning.map((l) => `  ${l.strategy}: model ${formatModeOutcome(l.model)} | warm-up ${formatModeOutcome(l.warmup)}`);
}
