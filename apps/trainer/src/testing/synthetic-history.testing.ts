import { randomSnapshot, seededRandom } from '@model-service/features/testing';
import { ExecutionEventRepository } from '@model-service/repositories';
import { TradingSignalEntity } from '@model-service/repositories/testing';
import { OrderExecutionEvent, TradingSignal } from '@model-service/signals';
import { exampleExecutionForSignal, exampleTradingSignal } from '@model-service/signals/testing';
import { DataSource } from 'typeorm';

export interface HistoryOptions {
  strategyId: string;
  n: number;
  /** Signal time of the first row (ms); rows are `stepMs` apart. */
  startMs: number;
  stepMs?: number;
  /** Share of labels flipped against the rule (the best achievable accuracy is 1 - flip). */
  flip?: number;
  /** The opposite rule (a regime change): what was profitable is now a loss. */
  inverted?: boolean;
  /** Labels independent of the features. */
  pureNoise?: boolean;
  seed?: number;
}

export interface History {
  signals: TradingSignal[];
  executions: OrderExecutionEvent[];
  /** Profitable (1) or not (0), per row. */
  labels: number[];
}

/**
 * Signals with realistic snapshots and their executions, whose outcome follows a learnable rule: a trade is
 * profitable when it follows the 5-candle momentum (side × return_5 > 0), except for a `flip` share of random
 * exceptions. The outcome is written into the prices, as the trainer labels it: the next row's price (its
 * signal, one step later, the first price after the label horizon when that is under a step) moves 0.3–1.3 %
 * in the direction that makes row i win or lose; row i's realised figures agree. The last row's outcome is
 * not known yet (no later price): `labels` holds n − 1 known outcomes plus the intended last one.
 */
export function syntheticHistory(opts: HistoryOptions): History {
  const rand = seededRandom(opts.seed ?? 1);
  const step = opts.stepMs ?? 60_000;
  const out: History = { signals: [], executions: [], labels: [] };
  let price = 100;
  for (let i = 0; i < opts.n; i++) {
    const drawn = randomSnapshot(rand, 0);
    const snapshot = { ...drawn, price, spread: (Number(drawn.spread ?? 0) / Number(drawn.price ?? 1)) * price };
    const side = rand() < 0.5 ? 'buy' : 'sell';
    const momentum = Number(snapshot.technical_indicators?.['return_5'] ?? 0);
    let label = (side === 'buy' ? momentum : -momentum) > 0 ? 1 : 0;
    if (opts.inverted) label = 1 - label;
    if (opts.pureNoise) label = rand() < 0.5 ? 1 : 0;
    else if (rand() < (opts.flip ?? 0.05)) label = 1 - label;
    const signal = exampleTradingSignal({
      signal_type: side,
      strategy_id: opts.strategyId,
      timestamp: new Date(opts.startMs + i * step).toISOString(),
      market_data_snapshot: snapshot as never,
    });
    const move = 0.3 + rand();
    const pct = (label ? 1 : -1) * move;
    const execution = exampleExecutionForSignal(signal, {
      performance: { slippage: 0, slippage_percent: 0, realized_pnl: (pct / 100) * signal.amount, return_percent: pct },
    });
    // A winning BUY / losing SELL needs the price up; a losing BUY / winning SELL needs it down.
    const up = (side === 'buy') === (label === 1);
    price = Math.round(price * (1 + ((up ? 1 : -1) * move) / 100) * 1e6) / 1e6;
    out.signals.push(signal);
    out.executions.push(execution);
    out.labels.push(label);
  }
  return out;
}

/** Writes signals (bulk) and optionally their executions (through the intake's idempotent insert). */
export async function seedHistory(dataSource: DataSource, history: Pick<History, 'signals'> & Partial<History>, withExecutions = true): Promise<void> {
  const repo = dataSource.getRepository(TradingSignalEntity);
  for (let i = 0; i < history.signals.length; i += 500) {
    await repo.insert(
      history.signals.slice(i, i + 500).map((s) => ({
        signalId: s.signal_id,
        strategyId: s.strategy_id,
        asset: s.asset,
        signalType: s.signal_type,
        amount: s.amount,
        confidence: s.confidence,
        timestamp: new Date(s.timestamp),
        modelVersion: s.model_version ?? null,
        isWarmup: s.is_warmup,
        marketDataSnapshot: s.market_data_snapshot as unknown as Record<string, unknown>,
        metadata: (s.metadata ?? {}) as Record<string, unknown>,
        traceId: s.trace_id ?? null,
      })) as never,
    );
  }
  if (withExecutions && history.executions) await new ExecutionEventRepository(dataSource).insertBatch(history.executions);
}
