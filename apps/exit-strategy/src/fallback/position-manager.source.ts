import { pnlPctFromPrices, PositionSnapshot } from '@model-service/exit-rules';
import { PositionAnswer, PositionManagerClient } from '@model-service/neighbours';
import { Injectable } from '@nestjs/common';

import { ExitStrategyEnv } from '../config/exit-strategy.env';

/**
 * The positions of an answer as snapshots the rules can evaluate: a position without a current price
 * or an average entry price is left out (nothing to evaluate it on); a missing pnl% is derived from
 * the prices of an open position; `fetchedAt` stands in for a missing opened_at or timestamp.
 */
export function snapshotsFromAnswer(answer: PositionAnswer, fetchedAt: number): PositionSnapshot[] {
  const out: PositionSnapshot[] = [];
  for (const p of answer.positions) {
    if (p.currentPrice === null || p.averageEntryPrice === null) continue;
    out.push({
      position_id: p.positionId,
      asset: answer.asset,
      strategy_id: p.strategyId,
      size: p.size,
      average_entry_price: p.averageEntryPrice,
      current_price: p.currentPrice,
      unrealized_pnl_pct: p.unrealizedPnlPct ?? (p.size > 0 ? pnlPctFromPrices(p.averageEntryPrice, p.currentPrice) : 0),
      opened_at: p.openedAt ?? fetchedAt,
      timestamp: p.timestamp ?? fetchedAt,
    });
  }
  return out;
}

/** The position manager's REST API as a fallback source of snapshots, when POSITION_MANAGER_URL is set. */
@Injectable()
export class PositionManagerSource {
  private readonly client: PositionManagerClient | null;

  constructor(env: ExitStrategyEnv) {
    this.client = env.POSITION_MANAGER_URL
      ? new PositionManagerClient({ baseUrl: env.POSITION_MANAGER_URL, apiKey: env.POSITION_MANAGER_API_KEY, timeoutMs: env.POSITION_MANAGER_TIMEOUT_MS })
      : null;
  }

  get configured(): boolean {
    return this.client !== null;
  }

  /** The asset's positions; rejects with PositionManagerUnavailableError when the API gives no usable answer. */
  async positions(asset: string): Promise<PositionSnapshot[]> {
    if (!this.client) return [];
    return snapshotsFromAnswer(await this.client.positions(asset), Date.now());
  }
}
