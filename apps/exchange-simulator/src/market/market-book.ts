import { MarketQuote } from './market-state';

/** The latest quote of every simulated asset, shared by the replay (writer) and the order manager (reader). */
export class MarketBook {
  private readonly quotes = new Map<string, MarketQuote>();
  private finished = false;

  constructor(readonly assets: readonly string[]) {}

  trades(asset: string): boolean {
    return this.assets.includes(asset);
  }

  quote(asset: string): MarketQuote | undefined {
    return this.quotes.get(asset);
  }

  update(quote: MarketQuote): void {
    this.quotes.set(quote.asset, quote);
  }

  /** True once a replayed file has run out: orders then fill at the last price at once. */
  get ended(): boolean {
    return this.finished;
  }

  end(): void {
    this.finished = true;
  }
}
