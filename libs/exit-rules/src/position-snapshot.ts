/**
 * What the rules need from one position update (a validated `position-manager.position_updated`
 * message, or a row of the `positions` table in fallback mode). Positions are long: an exit is a
 * SELL. A negative size (short) is not handled by these rules and never produces a decision.
 */
export interface PositionSnapshot {
  position_id: string;
  asset: string;
  strategy_id?: string | null;
  /** Base-currency quantity; 0 means the position is closed (see `isClosed`). */
  size: number;
  average_entry_price: number;
  current_price: number;
  /** In percent: 3.0 means +3 %. Use `pnlPctFromPrices` when the update does not carry it. */
  unrealized_pnl_pct: number;
  /** Epoch milliseconds or an ISO 8601 string. */
  opened_at: number | string;
  /** When the position manager produced this state. Epoch milliseconds or an ISO 8601 string. */
  timestamp: number | string;
}

/** Anything ordered by a `timestamp` in epoch ms or ISO 8601. */
export interface Timestamped {
  timestamp: number | string | Date;
}

/**
 * Epoch milliseconds of a timestamp given as epoch ms, an ISO 8601 string (or a string of digits,
 * read as epoch ms) or a Date. NaN when it cannot be read. Numbers are taken as milliseconds,
 * never guessed to be seconds.
 */
export function toEpochMs(value: number | string | Date | null | undefined): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string') {
    const s = value.trim();
    if (s === '') return NaN;
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    return Date.parse(s);
  }
  return NaN;
}

/**
 * −1 when a is older than b, 1 when newer, 0 when at the same millisecond. An unreadable
 * timestamp counts as older than any readable one (two unreadable ones compare equal).
 */
export function compareTimestamps(a: Timestamped, b: Timestamped): -1 | 0 | 1 {
  const ta = toEpochMs(a.timestamp);
  const tb = toEpochMs(b.timestamp);
  const na = Number.isNaN(ta);
  const nb = Number.isNaN(tb);
  if (na || nb) return na && nb ? 0 : na ? -1 : 1;
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/**
 * True when `a` is strictly newer than `b`. The app keeps the newest update per position and
 * drops an incoming one only when `isNewer(lastSeen, incoming)` — i.e. strictly older. Updates at
 * the same millisecond are not older, so the one that arrived later wins.
 */
export function isNewer(a: Timestamped, b: Timestamped): boolean {
  return compareTimestamps(a, b) === 1;
}

/** A position with size 0 is closed: the app clears its state (and never evaluates it). */
export function isClosed(snapshot: Pick<PositionSnapshot, 'size'>): boolean {
  return snapshot.size === 0;
}

/**
 * The key position state is stored and looked up under: one open position per asset and
 * strategy. A re-opened position keeps the key; `evaluateExit` notices the new position_id /
 * entry and starts fresh state. Strategy-less positions share the key `<asset>:-`.
 */
export function positionKeyOf(snapshot: Pick<PositionSnapshot, 'asset' | 'strategy_id'>): string {
  const strategy = snapshot.strategy_id == null || snapshot.strategy_id === '' ? '-' : snapshot.strategy_id;
  return `${snapshot.asset}:${strategy}`;
}

/** Unrealized PnL of a long position in percent, from prices (fees not included). */
export function pnlPctFromPrices(averageEntryPrice: number, currentPrice: number): number {
  if (!(averageEntryPrice > 0) || !Number.isFinite(currentPrice)) return NaN;
  return ((currentPrice - averageEntryPrice) / averageEntryPrice) * 100;
}
