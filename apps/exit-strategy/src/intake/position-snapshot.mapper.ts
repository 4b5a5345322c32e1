import type { PositionSnapshot } from '@model-service/exit-rules';
import type { PositionEntity } from '@model-service/repositories';
import { derivePnlPct, PositionUpdateEvent } from '@model-service/signals';

/** A validated position-manager.position_updated message as the rules see it (pnl% derived when absent). */
export function snapshotFromUpdate(ev: PositionUpdateEvent): PositionSnapshot {
  return {
    position_id: ev.position_id,
    asset: ev.asset,
    strategy_id: ev.strategy_id ?? null,
    size: ev.size,
    average_entry_price: ev.average_entry_price,
    current_price: ev.current_price,
    unrealized_pnl_pct: derivePnlPct(ev),
    opened_at: ev.opened_at,
    timestamp: ev.timestamp,
  };
}

/**
 * A row of the positions table (fallback). A closed row (closed_at set) reads as size 0. Its time is
 * `updated_at`, so a row older than the newest queued update is skipped as stale by the rules.
 */
export function snapshotFromPositionRow(row: PositionEntity): PositionSnapshot {
  const size = row.closedAt ? 0 : row.size;
  const pnl = Number.isFinite(row.unrealizedPnlPct)
    ? row.unrealizedPnlPct
    : derivePnlPct({ size, average_entry_price: row.averageEntryPrice, current_price: row.currentPrice });
  return {
    position_id: row.id,
    asset: row.asset,
    strategy_id: row.strategyId,
    size,
    average_entry_price: row.averageEntryPrice,
    current_price: row.currentPrice,
    unrealized_pnl_pct: pnl,
    opened_at: row.openedAt.getTime(),
    timestamp: row.updatedAt.getTime(),
  };
}

/** The same position under its last known position_id, when the snapshot does not say otherwise. */
export function withKnownPositionId(snapshot: PositionSnapshot, knownPositionId: string | undefined): PositionSnapshot {
  return knownPositionId && snapshot.size !== 0 ? { ...snapshot, position_id: knownPositionId } : snapshot;
}
