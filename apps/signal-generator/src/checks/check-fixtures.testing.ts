import { AccountState } from '../account/account-state';
import { MarketView } from '../market-data/market-data-cache';
import { StrategyConfig } from '../strategies/strategy-config';
import { CheckContext } from './signal-check';

/** A quiet BTCUSDT market at 50,000 with a 2-wide spread, no indicators or depth unless given. */
export function testMarket(overrides: Partial<MarketView> = {}): MarketView {
  return {
    asset: 'BTCUSDT',
    price: 50_000,
    bid: 49_999,
    ask: 50_001,
    spread: 2,
    spreadKnown: true,
    volume24h: 1_000,
    change24hPct: null,
    high24h: null,
    low24h: null,
    volatility: 0.001,
    volatilitySource: 'klines',
    indicators: null,
    depth: null,
    tickerTs: 0,
    ageMs: 0,
    ...overrides,
  };
}

export function testStrategy(overrides: Partial<StrategyConfig> = {}): StrategyConfig {
  return {
    id: 'momentum_v1',
    assets: ['BTCUSDT'],
    assets_pinned: true,
    warmup_max_duration_seconds: null,
    heuristic: 'momentum',
    randomness: 0,
    frequency_seconds: 60,
    min_amount: 10,
    max_amount: 100,
    trigger: 'schedule',
    kline_interval: '1',
    enabled: true,
    short_selling: false,
    ...overrides,
    risk: { max_position_size_ratio: 0.8, rate_limit_per_minute: 60, burst_allowance: 10, balance_safety_margin: 0.02, ...overrides.risk },
  };
}

export function testAccount(overrides: { openOrders?: Partial<AccountState['openOrders']>; balances?: Partial<AccountState['balances']>; position?: Partial<AccountState['position']> } = {}): AccountState {
  return {
    openOrders: { count: 0, buy: 0, sell: 0, ...overrides.openOrders },
    balances: { base: 'BTC', quote: 'USDT', baseAvailable: 1, quoteAvailable: 10_000, ...overrides.balances },
    position: { size: 0, own: true, value: 0, sizeNorm: 0, ...overrides.position },
  };
}

export function guardContext(overrides: Partial<CheckContext> = {}): CheckContext {
  return { strategy: testStrategy(), asset: 'BTCUSDT', side: 'buy', amount: 100, price: 50_000, account: testAccount(), ...overrides };
}
