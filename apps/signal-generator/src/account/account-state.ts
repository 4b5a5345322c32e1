import { SignalType } from '@model-service/signals';

/** Open orders of one strategy on one asset (pending / partially_filled). */
export interface OpenOrdersState {
  count: number;
  buy: number;
  sell: number;
}

/** Available balances (latest account_balances row per coin); null = no row for the coin. */
export interface BalancesState {
  base: string;
  quote: string;
  baseAvailable: number | null;
  quoteAvailable: number | null;
}

export interface PositionState {
  /** Base units held (0 = flat). */
  size: number;
  /** The position is the strategy's own (false: the asset's position row without a strategy, shared by all). */
  own: boolean;
  /** size × current price, quote currency. */
  value: number;
  /** value / (value + available quote balance), 0..1; 0 when flat. */
  sizeNorm: number;
  /** Unrealized PnL in percent as the positions table last recorded it; null when flat or unknown. */
  unrealizedPnlPct?: number | null;
}

/** The account as a strategy sees it at decision time; goes into the signal's snapshot. */
export interface AccountState {
  openOrders: OpenOrdersState;
  balances: BalancesState;
  position: PositionState;
}

export function oppositeSide(side: SignalType): SignalType {
  return side === 'buy' ? 'sell' : 'buy';
}

/** Position value relative to what the strategy could hold: value / (value + available quote). */
export function positionSizeNorm(value: number, quoteAvailable: number | null): number {
  const v = Math.max(0, value);
  const basis = v + Math.max(0, quoteAvailable ?? 0);
  return basis > 0 ? v / basis : 0;
}

/** A SELL is a decision the strategy can act on: it holds its own position, or it may sell short. */
export function canSell(strategy: { short_selling: boolean }, account: AccountState): boolean {
  return strategy.short_selling || (account.position.own && account.position.size > 0);
}
