/** One coin's latest available balance (account_balances). */
export interface CoinBalance {
  coin: string;
  available: number;
}

export interface SelectionRules {
  /** A coin is selected when its available balance is worth at least this many USDT. */
  minBalanceUsdt: number;
  /** Quote currencies, in order of preference: valued at par with USDT and paired with each selected coin. */
  quoteCurrencies: string[];
}

/** Price of a pair, or null when the market-data cache holds no fresh ticker of it. */
export type PriceLookup = (pair: string) => number | null;

export interface CoinVerdict {
  coin: string;
  available: number;
  /** USDT worth (null when no pair of the coin has a known price). */
  value_usdt: number | null;
  selected: boolean;
  reason: 'quote_currency' | 'below_minimum' | 'no_price' | 'selected';
}

export interface SelectionResult {
  /** Trading pairs, sorted. */
  assets: string[];
  coins: CoinVerdict[];
  /** Coins with a balance but no known price of any of their pairs. */
  unpriced: string[];
}

/**
 * Which pairs an account can trade from its balances: every non-quote coin whose available balance is
 * worth at least the minimum, paired with each quote currency. A coin is priced from the first of its
 * pairs the market-data cache knows (quote currencies count at par with USDT) and paired with the quote
 * currencies whose pair has market data (the pairs the exchange lists and ws-gateway streams).
 */
export function selectAssets(balances: readonly CoinBalance[], price: PriceLookup, rules: SelectionRules): SelectionResult {
  const quotes = rules.quoteCurrencies;
  const coins: CoinVerdict[] = [];
  const assets = new Set<string>();
  const unpriced: string[] = [];
  for (const b of balances) {
    if (!(b.available > 0)) continue;
    if (quotes.includes(b.coin)) {
      coins.push({ coin: b.coin, available: b.available, value_usdt: b.available, selected: false, reason: 'quote_currency' });
      continue;
    }
    const known = quotes.map((q) => ({ pair: `${b.coin}${q}`, price: price(`${b.coin}${q}`) })).filter((p): p is { pair: string; price: number } => p.price !== null && p.price > 0);
    const first = known[0];
    if (!first) {
      unpriced.push(b.coin);
      coins.push({ coin: b.coin, available: b.available, value_usdt: null, selected: false, reason: 'no_price' });
      continue;
    }
    const value = b.available * first.price;
    const selected = value >= rules.minBalanceUsdt;
    coins.push({ coin: b.coin, available: b.available, value_usdt: value, selected, reason: selected ? 'selected' : 'below_minimum' });
    if (selected) for (const p of known) assets.add(p.pair);
  }
  return { assets: [...assets].sort(), coins, unpriced };
}
