/** Quote currencies recognised at the end of a symbol, longest first so FDUSD wins over USD. */
const QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USDE', 'DAI', 'USD', 'EUR', 'TRY', 'BRL', 'BTC', 'ETH', 'BNB'] as const;

export interface AssetPair {
  /** What is bought or sold (BTC in BTCUSDT). */
  base: string;
  /** What it is paid with (USDT in BTCUSDT); signal amounts are in this currency. */
  quote: string;
}

/** BTCUSDT -> { base: BTC, quote: USDT }; null when no known quote currency ends the symbol. */
export function splitPair(asset: string): AssetPair | null {
  for (const quote of QUOTES) {
    if (asset.length > quote.length + 1 && asset.endsWith(quote)) {
      return { base: asset.slice(0, asset.length - quote.length), quote };
    }
  }
  return null;
}
