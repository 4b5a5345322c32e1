import { randomSnapshot, seededRandom } from '@model-service/features/testing';
import { ExecutionEventRepository, TradingSignalRepository } from '@model-service/repositories';
import { OrderExecutionEvent, TradingSignal } from '@model-service/signals';
import { exampleExecutionForSignal, exampleTradingSignal } from '@model-service/signals/testing';
import { DataSource } from 'typeorm';

export interface LearnableHistory {
  signals: TradingSignal[];
  executions: OrderExecutionEvent[];
}

/**
 * Past signals of a strategy with realistic snapshots and their executions, whose outcome follows a learnable
 * rule: a trade is profitable when it follows the 5-candle momentum (side × return_5 > 0), except for `flip` of
 * them. The outcome is in the prices, as the trainer labels it: the next signal's price, a minute later, moves
 * 0.3–1.3 % the way that makes the trade win or lose (use a label horizon under a minute). What the trainer can
 * learn and promote.
 */
export function learnableHistory(strategyId: string, n: number, startMs: number, seed = 1, flip = 0.05): LearnableHistory {
  const rand = seededRandom(seed);
  const out: LearnableHistory = { signals: [], executions: [] };
  let price = 100;
  for (let i = 0; i < n; i++) {
    const drawn = randomSnapshot(rand, 0);
    const snapshot = { ...drawn, price, spread: (Number(drawn.spread ?? 0) / Number(drawn.price ?? 1)) * price };
    const side = rand() < 0.5 ? 'buy' : 'sell';
    const momentum = Number(snapshot.technical_indicators?.['return_5'] ?? 0);
    let label = (side === 'buy' ? momentum : -momentum) > 0 ? 1 : 0;
    if (rand() < flip) label = 1 - label;
    const signal = exampleTradingSignal({
      signal_type: side,
      strategy_id: strategyId,
      timestamp: new Date(startMs + i * 60_000).toISOString(),
      market_data_snapshot: snapshot as never,
    });
    const move = 0.3 + rand();
    const pct = (label ? 1 : -1) * move;
    price = Math.round(price * (1 + (((side === 'buy') === (label === 1) ? 1 : -1) * move) / 100) * 1e6) / 1e6;
    out.signals.push(signal);
    out.executions.push(
      exampleExecutionForSignal(signal, { performance: { slippage: 0, slippage_percent: 0, realized_pnl: (pct / 100) * signal.amount, return_percent: pct } }),
    );
  }
  return out;
}

/** Stores the signals (trading_signals) and their executions (execution_events). */
export async function seedHistory(dataSource: DataSource, history: LearnableHistory): Promise<void> {
  const signals = new TradingSignalRepository(dataSource);
  for (const s of history.signals) await signals.insert(s, new Date(s.timestamp));
  await new ExecutionEventRepository(dataSource).insertBatch(history.executions);
}
