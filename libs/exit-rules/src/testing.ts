import type { ExitDecision } from './exit-decision';
import { DEFAULT_EXIT_RULES_CONFIG, ExitRulesConfig } from './exit-rules.config';
import { evaluateExit } from './evaluate-exit';
import { PositionSnapshot, pnlPctFromPrices } from './position-snapshot';
import { markExitSignalled, PositionState } from './position-state';

/** 2026-01-01T00:00:00Z: when test positions open. */
export const T0 = Date.UTC(2026, 0, 1);
export const HOUR_MS = 3_600_000;

type Sections = { [K in keyof ExitRulesConfig]?: Partial<ExitRulesConfig[K]> };

/** The default config with the given fields overridden. */
export function exitConfig(overrides: Sections = {}): ExitRulesConfig {
  const d = DEFAULT_EXIT_RULES_CONFIG;
  return {
    takeProfit: { ...d.takeProfit, ...overrides.takeProfit },
    stopLoss: { ...d.stopLoss, ...overrides.stopLoss },
    trailingStop: { ...d.trailingStop, ...overrides.trailingStop },
    timeBased: { ...d.timeBased, ...overrides.timeBased },
  };
}

/** Every rule disabled except the overrides that say `enabled: true`. */
export function onlyRules(overrides: Sections = {}): ExitRulesConfig {
  const off = { enabled: false };
  return exitConfig({
    takeProfit: { ...off, ...overrides.takeProfit },
    stopLoss: { ...off, ...overrides.stopLoss },
    trailingStop: { ...off, ...overrides.trailingStop },
    timeBased: { ...off, ...overrides.timeBased },
  });
}

/**
 * A long BTCUSDT position entered at 100 (so price − 100 = pnl%), opened at T0, updated at
 * `T0 + atMs`. The pnl% is derived from the prices unless overridden.
 */
export function snapshotAt(price: number, atMs = 0, overrides: Partial<PositionSnapshot> = {}): PositionSnapshot {
  const entry = overrides.average_entry_price ?? 100;
  return {
    position_id: 'pos-1',
    asset: 'BTCUSDT',
    strategy_id: 'momentum',
    size: 0.5,
    average_entry_price: entry,
    current_price: price,
    unrealized_pnl_pct: pnlPctFromPrices(entry, price),
    opened_at: new Date(T0).toISOString(),
    timestamp: T0 + atMs,
    ...overrides,
  };
}

export interface PathStep {
  index: number;
  price: number;
  decision: ExitDecision;
}

/**
 * Feeds `prices` as one position's updates one second apart and "emits" every decision
 * (marking it signalled, no rate limiting). Returns the decisions and the final state.
 */
export function runPricePath(
  prices: readonly number[],
  config: ExitRulesConfig,
  start?: PositionState,
): { exits: PathStep[]; state: PositionState | undefined } {
  let state = start;
  const exits: PathStep[] = [];
  prices.forEach((price, index) => {
    const at = index * 1000;
    const result = evaluateExit(state, snapshotAt(price, at), config, T0 + at);
    state = result.state;
    if (result.decision) {
      exits.push({ index, price, decision: result.decision });
      state = markExitSignalled(state, result.decision, T0 + at);
    }
  });
  return { exits, state };
}
