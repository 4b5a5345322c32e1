/** Depth near the top of the book, in base units, as in TradingSignal.market_data_snapshot.orderbook_depth. */
export interface BookDepth {
  bid_depth: number;
  ask_depth: number;
  /** (bid - ask) / (bid + ask); 0 for an empty book. */
  imbalance: number;
}

type Level = [price: number, size: number];

/**
 * One asset's order book from Bybit snapshots and deltas: a snapshot replaces the book, a delta sets
 * the levels it carries (size 0 removes a level). Sorting happens only when someone reads the top.
 */
export class OrderBook {
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();
  /** Exchange time of the newest update applied (epoch ms). */
  ts = 0;
  receivedAt = 0;

  apply(update: { type: string; bids: Level[]; asks: Level[]; ts: number; update_id?: number }, receivedAt: number): boolean {
    if (update.ts < this.ts) return false;
    // update id 1 = Bybit restarted its service and sends a fresh snapshot.
    const snapshot = update.type === 'snapshot' || update.update_id === 1;
    if (snapshot) {
      this.bids.clear();
      this.asks.clear();
    }
    for (const [price, size] of update.bids) setLevel(this.bids, price, size);
    for (const [price, size] of update.asks) setLevel(this.asks, price, size);
    this.ts = update.ts;
    this.receivedAt = receivedAt;
    return true;
  }

  get empty(): boolean {
    return this.bids.size === 0 && this.asks.size === 0;
  }

  /** Best `levels` bids (highest first) and asks (lowest first). */
  top(levels: number): { bids: Level[]; asks: Level[] } {
    return {
      bids: [...this.bids].sort((a, b) => b[0] - a[0]).slice(0, levels),
      asks: [...this.asks].sort((a, b) => a[0] - b[0]).slice(0, levels),
    };
  }

  depth(levels: number): { depth: BookDepth; bestBid: number | null; bestAsk: number | null } {
    const { bids, asks } = this.top(levels);
    const bid = bids.reduce((s, [, size]) => s + size, 0);
    const ask = asks.reduce((s, [, size]) => s + size, 0);
    const total = bid + ask;
    return {
      depth: { bid_depth: bid, ask_depth: ask, imbalance: total > 0 ? (bid - ask) / total : 0 },
      bestBid: bids[0]?.[0] ?? null,
      bestAsk: asks[0]?.[0] ?? null,
    };
  }
}

function setLevel(side: Map<number, number>, price: number, size: number): void {
  if (size === 0) side.delete(price);
  else side.set(price, size);
}
