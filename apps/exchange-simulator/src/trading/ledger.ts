import { splitPair } from '@model-service/neighbours';
import type { SignalType } from '@model-service/signals';

import { Fill } from './fill-model';

/** One strategy's long (spot) position in one asset. */
export interface LedgerPosition {
  asset: string;
  strategyId: string;
  /** Base quantity; 0 once closed. */
  size: number;
  averageEntryPrice: number;
  /** Buy fees not yet charged to realised PnL; released pro rata as the position is sold. */
  entryFees: number;
  /** Realised PnL of this position (since it was opened), net of fees. */
  realizedPnl: number;
  openedAt: number;
  closedAt: number | null;
  currentPrice: number;
}

export type FillCheck = { ok: true; quantity: number; capped: boolean } | { ok: false; reason: string };

export interface AppliedFill {
  position: LedgerPosition;
  /** On fills that reduce a position: net PnL of the part sold (fees of both legs included) and its return in %. */
  realizedPnl: number | null;
  returnPercent: number | null;
  /** Coins whose balance changed, with the new balance. */
  balances: Array<{ coin: string; balance: number }>;
}

export interface LedgerCheckpoint {
  readonly balances: ReadonlyMap<string, number>;
  readonly positions: ReadonlyMap<string, LedgerPosition>;
}

/** Sizes below this count as zero (floating-point dust after selling everything). */
const DUST = 1e-12;
/** A sell leaving less than this fraction of the position sells all of it (no dust from sizing at a moved price). */
export const CLOSE_TOLERANCE = 0.01;
const fmt = (x: number): string => String(Number(x.toPrecision(10)));

export function positionKey(asset: string, strategyId: string): string {
  return `${asset}|${strategyId}`;
}

export function unrealizedPnl(p: Pick<LedgerPosition, 'size' | 'averageEntryPrice' | 'currentPrice'>): number {
  return p.size > 0 ? (p.currentPrice - p.averageEntryPrice) * p.size : 0;
}

/** (price - entry) / entry in percent; 0 for a closed position. */
export function unrealizedPnlPct(p: Pick<LedgerPosition, 'size' | 'averageEntryPrice' | 'currentPrice'>): number {
  return p.size > 0 && p.averageEntryPrice > 0 ? ((p.currentPrice - p.averageEntryPrice) / p.averageEntryPrice) * 100 : 0;
}

/**
 * The account of the simulated exchange: coin balances and per-strategy long positions. A BUY spends
 * the quote coin (notional + fee) and adds the base coin; a SELL does the reverse and realises PnL
 * against the average entry price, net of the sell fee and the share of the buy fees it closes.
 * Pure bookkeeping: no I/O, no clock.
 */
export class Ledger {
  private readonly balances = new Map<string, number>();
  private readonly positions = new Map<string, LedgerPosition>();

  constructor(initialBalances: Record<string, number> = {}) {
    for (const [coin, amount] of Object.entries(initialBalances)) this.balances.set(coin, amount);
  }

  balance(coin: string): number {
    return this.balances.get(coin) ?? 0;
  }

  allBalances(): Array<{ coin: string; balance: number }> {
    return [...this.balances].map(([coin, balance]) => ({ coin, balance }));
  }

  setBalance(coin: string, amount: number): void {
    this.balances.set(coin, amount);
  }

  position(asset: string, strategyId: string): LedgerPosition | undefined {
    return this.positions.get(positionKey(asset, strategyId));
  }

  /** Restores a position (e.g. from the positions table after a restart). */
  restorePosition(p: LedgerPosition): void {
    this.positions.set(positionKey(p.asset, p.strategyId), { ...p });
  }

  openPositions(asset?: string): LedgerPosition[] {
    return [...this.positions.values()].filter((p) => p.size > 0 && (asset === undefined || p.asset === asset));
  }

  /** Whether the account can pay for a BUY fill (notional + fee in the quote coin). */
  checkBuy(asset: string, fill: Fill): FillCheck {
    const pair = this.pair(asset);
    const cost = fill.notional + fill.fee;
    const available = this.balance(pair.quote);
    if (cost > available + 1e-9) {
      return {
        ok: false,
        reason: `insufficient_balance: buy of ${fmt(fill.quantity)} ${pair.base} at ${fmt(fill.price)} needs ${fmt(cost)} ${pair.quote} (fee included), ${fmt(available)} ${pair.quote} available`,
      };
    }
    return { ok: true, quantity: fill.quantity, capped: false };
  }

  /**
   * What a SELL of `quantity` may sell: positions are long-only per strategy, so at most what this
   * strategy holds (and the account's base balance). More than that is capped to it, and a sell that
   * would leave less than CLOSE_TOLERANCE of it sells all of it: an exit sized in quote currency at a
   * slightly different price than the fill still closes the position instead of leaving dust. Nothing
   * held is a rejection.
   */
  checkSell(asset: string, strategyId: string, quantity: number): FillCheck {
    const pair = this.pair(asset);
    const held = this.position(asset, strategyId)?.size ?? 0;
    const available = Math.min(held, this.balance(pair.base));
    if (!(available > DUST)) {
      return {
        ok: false,
        reason: `insufficient_balance: strategy ${strategyId} holds no ${pair.base} on ${asset} to sell (sell of ${fmt(quantity)} ${pair.base} requested)`,
      };
    }
    if (quantity >= available * (1 - CLOSE_TOLERANCE)) return { ok: true, quantity: available, capped: quantity !== available };
    return { ok: true, quantity, capped: false };
  }

  /** Books a fill (checked before) at simulated time `at`. */
  apply(asset: string, strategyId: string, side: SignalType, fill: Fill, at: number): AppliedFill {
    const pair = this.pair(asset);
    const key = positionKey(asset, strategyId);
    const prev = this.positions.get(key);
    let position: LedgerPosition;
    let realizedPnl: number | null = null;
    let returnPercent: number | null = null;
    if (side === 'buy') {
      this.balances.set(pair.quote, this.balance(pair.quote) - fill.notional - fill.fee);
      this.balances.set(pair.base, this.balance(pair.base) + fill.quantity);
      if (!prev || prev.size <= DUST) {
        position = {
          asset,
          strategyId,
          size: fill.quantity,
          averageEntryPrice: fill.price,
          entryFees: fill.fee,
          realizedPnl: 0,
          openedAt: at,
          closedAt: null,
          currentPrice: fill.price,
        };
      } else {
        const size = prev.size + fill.quantity;
        position = {
          ...prev,
          size,
          averageEntryPrice: (prev.size * prev.averageEntryPrice + fill.quantity * fill.price) / size,
          entryFees: prev.entryFees + fill.fee,
          currentPrice: fill.price,
        };
      }
    } else {
      if (!prev || fill.quantity > prev.size * (1 + 1e-9) + DUST) {
        throw new RangeError(`sell of ${fill.quantity} exceeds the ${prev?.size ?? 0} held by ${strategyId} on ${asset}`);
      }
      this.balances.set(pair.base, Math.max(0, this.balance(pair.base) - fill.quantity));
      this.balances.set(pair.quote, this.balance(pair.quote) + fill.notional - fill.fee);
      const share = Math.min(1, fill.quantity / prev.size);
      const releasedFees = prev.entryFees * share;
      realizedPnl = (fill.price - prev.averageEntryPrice) * fill.quantity - releasedFees - fill.fee;
      const basis = prev.averageEntryPrice * fill.quantity;
      returnPercent = basis > 0 ? (realizedPnl / basis) * 100 : 0;
      const rest = prev.size - fill.quantity;
      const closed = rest <= Math.max(DUST, prev.size * 1e-9);
      position = {
        ...prev,
        size: closed ? 0 : rest,
        entryFees: closed ? 0 : prev.entryFees - releasedFees,
        realizedPnl: prev.realizedPnl + realizedPnl,
        closedAt: closed ? at : null,
        currentPrice: fill.price,
      };
    }
    this.positions.set(key, position);
    return {
      position: { ...position },
      realizedPnl,
      returnPercent,
      balances: [pair.quote, pair.base].map((coin) => ({ coin, balance: this.balance(coin) })),
    };
  }

  /** The whole state, to roll back to if booking a fill fails to be stored. */
  checkpoint(): LedgerCheckpoint {
    return { balances: new Map(this.balances), positions: new Map([...this.positions].map(([k, p]) => [k, { ...p }])) };
  }

  rollback(cp: LedgerCheckpoint): void {
    this.balances.clear();
    for (const [coin, amount] of cp.balances) this.balances.set(coin, amount);
    this.positions.clear();
    for (const [key, p] of cp.positions) this.positions.set(key, { ...p });
  }

  /** Marks every open position of `asset` to `price`; returns them. */
  mark(asset: string, price: number): LedgerPosition[] {
    const out: LedgerPosition[] = [];
    for (const p of this.positions.values()) {
      if (p.asset !== asset || p.size <= 0) continue;
      p.currentPrice = price;
      out.push({ ...p });
    }
    return out;
  }

  /** Quote balance plus the value of every open position priced in that quote coin. */
  equity(quote: string): number {
    let total = this.balance(quote);
    for (const p of this.positions.values()) {
      if (p.size > 0 && splitPair(p.asset)?.quote === quote) total += p.size * p.currentPrice;
    }
    return total;
  }

  private pair(asset: string): { base: string; quote: string } {
    const pair = splitPair(asset);
    if (!pair) throw new RangeError(`cannot tell base and quote currency of ${asset}`);
    return pair;
  }
}
