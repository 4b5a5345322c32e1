import { seededRandom } from '@model-service/util';

import { SnapshotInput } from '../pipeline/snapshot-input';

export { seededRandom };


/**
 * A plausible market-data snapshot; with `missingRate` > 0 some optional parts (indicators, depth,
 * order/position state) are absent or null, as in early warm-up signals.
 */
export function randomSnapshot(rand: () => number, missingRate = 0): SnapshotInput {
  const gap = () => rand() < missingRate;
  const price = 100 + 60_000 * rand();
  const bid = 1000 * rand();
  const ask = 1000 * rand();
  return {
    price,
    spread: price * 0.0004 * rand(),
    volume_24h: 1e6 * rand(),
    volatility: 0.002 * rand(),
    orderbook_depth: gap() ? undefined : { bid_depth: bid, ask_depth: ask, imbalance: (bid - ask) / (bid + ask) },
    technical_indicators: gap()
      ? null
      : {
          return_1: 0.004 * (rand() - 0.5),
          return_5: 0.01 * (rand() - 0.5),
          return_15: gap() ? null : 0.02 * (rand() - 0.5),
          rsi_14: 100 * rand(),
          ema_ratio: 0.01 * (rand() - 0.5),
          atr_14: price * 0.002 * rand(),
          atr_pct: 0.2 * rand(),
          bollinger_pctb: 1.4 * rand() - 0.2,
          volume_zscore: 4 * (rand() - 0.5),
          volatility: 0.002 * rand(),
          candles: 50,
        },
    open_orders_count: gap() ? undefined : Math.floor(3 * rand()),
    position_size_norm: gap() ? null : rand(),
    has_position: gap() ? undefined : rand() < 0.5,
  };
}
