import { describeValue } from '../validation/limits';
import { AssetField, CheckField, IdField, NumberField, StrategyIdField, TimestampField } from '../validation/field-rules';

/**
 * A position change from the position manager on `position-manager.position_updated`.
 * Long-only (spot): `size` >= 0, and 0 means the position is closed.
 */
export class PositionUpdateEvent {
  @IdField() position_id!: string;
  @AssetField() asset!: string;
  @StrategyIdField({ optional: true }) strategy_id?: string | null;
  /** Base-currency quantity; 0 = closed. */
  @NumberField({ gte: 0 }) size!: number;
  /** Must be > 0 while the position is open (size > 0); may be 0 once closed. */
  @CheckField('entryPriceWhenOpen', (v, o) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `must be a finite number >= 0, got ${describeValue(v)}`;
    const size = (o as Partial<PositionUpdateEvent>).size;
    return typeof size === 'number' && size > 0 && v === 0 ? 'must be > 0 while the position is open (size > 0)' : null;
  })
  average_entry_price!: number;
  @NumberField({ gt: 0 }) current_price!: number;
  @NumberField() unrealized_pnl!: number;
  /** Percent (3.0 = +3 %). Optional: derivePnlPct() computes it from prices when absent. */
  @NumberField({ optional: true }) unrealized_pnl_pct?: number | null;
  @NumberField() realized_pnl!: number;
  @TimestampField() opened_at!: string;
  @TimestampField() timestamp!: string;
  @IdField({ optional: true }) trace_id?: string | null;
}

/**
 * Unrealized PnL in percent of the entry price: the event's `unrealized_pnl_pct` when present,
 * else (current_price - average_entry_price) / average_entry_price * 100; 0 for a closed position
 * or one without an entry price.
 */
export function derivePnlPct(
  ev: Pick<PositionUpdateEvent, 'size' | 'average_entry_price' | 'current_price'> & { unrealized_pnl_pct?: number | null },
): number {
  if (typeof ev.unrealized_pnl_pct === 'number' && Number.isFinite(ev.unrealized_pnl_pct)) return ev.unrealized_pnl_pct;
  if (!(ev.size > 0) || !(ev.average_entry_price > 0)) return 0;
  return ((ev.current_price - ev.average_entry_price) / ev.average_entry_price) * 100;
}
