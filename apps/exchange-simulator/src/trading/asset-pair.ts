/** Quote currencies recognised at the end of a symbol, longest first (FDUSD before USD). */
const QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USDE', 'DAI', 'USD', 'EUR', 'TRY', 'BRL', 'BTC', 'ETH', 'BNB'] as const;

export interface AssetPair {
  base: string;
  quote: string;
}

/** BTCUSDT → { base: BTC, quote: USDT }; null when no known quote currency ends the symbol. */
export function splitPair(asset: string): AssetPair | null {
  for (const quote of QUOTES) {
    if (asset.length > quote.length + 1 && asset.endsWith(quote)) return { base: asset.slice(0, -quote.length), quote };
  }
  return null;
}
