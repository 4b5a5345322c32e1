import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The snapshot values a training dataset reads, extracted once when a signal is written instead of on every
 * read: `trading_signals.snapshot_feature_values` holds, for each path below in order, the value as an 8-byte
 * big-endian float8 (float8send): a JSON number as the double nearest to it (what JSON.parse gives for the same
 * text), NaN for an absent value or JSON null; for `has_position`, 1 for true and 0 for false. The column is
 * NULL when any value is something else (a string, an object, a boolean where a number belongs, a number a
 * float8 cannot hold): readers then take those values from the snapshot itself, so every row reads the same.
 *
 * The column comment records the layout (`paths`, `types`) as JSON. A reader uses the column only when that
 * layout is the one it asks for: changing the feature paths needs a new migration, not an edit of this one.
 *
 * Adding a stored generated column rewrites trading_signals under an ACCESS EXCLUSIVE lock (about 30 s per
 * million rows on a 2-core machine): run it when the signal generators can wait, as for any table rewrite.
 */
const LAYOUT: ReadonlyArray<{ path: readonly string[]; type: 'float8' | 'boolean' }> = [
  { path: ['price'], type: 'float8' },
  { path: ['spread'], type: 'float8' },
  { path: ['volume_24h'], type: 'float8' },
  { path: ['volatility'], type: 'float8' },
  { path: ['orderbook_depth', 'bid_depth'], type: 'float8' },
  { path: ['orderbook_depth', 'ask_depth'], type: 'float8' },
  { path: ['orderbook_depth', 'imbalance'], type: 'float8' },
  { path: ['technical_indicators', 'return_1'], type: 'float8' },
  { path: ['technical_indicators', 'return_5'], type: 'float8' },
  { path: ['technical_indicators', 'return_15'], type: 'float8' },
  { path: ['technical_indicators', 'rsi_14'], type: 'float8' },
  { path: ['technical_indicators', 'ema_ratio'], type: 'float8' },
  { path: ['technical_indicators', 'atr_pct'], type: 'float8' },
  { path: ['technical_indicators', 'bollinger_pctb'], type: 'float8' },
  { path: ['technical_indicators', 'volume_zscore'], type: 'float8' },
  { path: ['open_orders_count'], type: 'float8' },
  { path: ['position_size_norm'], type: 'float8' },
  { path: ['has_position'], type: 'boolean' },
];

const NAN = `'\\x7ff8000000000000'::bytea`;
const ONE = `'\\x3ff0000000000000'::bytea`;
const ZERO = `'\\x0000000000000000'::bytea`;

/** One value's 8 bytes, or NULL when it needs the snapshot (the whole concatenation is then NULL). */
function slot(path: readonly string[], type: 'float8' | 'boolean'): string {
  const v = `(market_data_snapshot${path.map((key) => ` -> '${key}'`).join('')})`;
  const absent = `${v} IS NULL OR jsonb_typeof(${v}) = 'null'`;
  if (type === 'boolean') return `CASE WHEN ${absent} THEN ${NAN} WHEN ${v} = 'true'::jsonb THEN ${ONE} WHEN ${v} = 'false'::jsonb THEN ${ZERO} END`;
  // float8in rejects what rounds to infinity or underflows to zero: such numbers (and subnormals) are left to readers.
  const n = `${v}::numeric`;
  return `CASE WHEN ${absent} THEN ${NAN} WHEN jsonb_typeof(${v}) = 'number' THEN
            CASE WHEN ${n} BETWEEN -1e308 AND 1e308 AND (${n} = 0 OR abs(${n}) >= 1e-307) THEN float8send(${v}::float8) END END`;
}

export class TradingSignalFeatureValues1795308620500 implements MigrationInterface {
  name = 'TradingSignalFeatureValues1795308620500';

  async up(q: QueryRunner): Promise<void> {
    const expression = LAYOUT.map((s) => slot(s.path, s.type)).join('\n          || ');
    await q.query(`ALTER TABLE trading_signals ADD COLUMN snapshot_feature_values bytea GENERATED ALWAYS AS (${expression}) STORED`);
    const layout = JSON.stringify({ paths: LAYOUT.map((s) => s.path), types: LAYOUT.map((s) => s.type) });
    await q.query(`COMMENT ON COLUMN trading_signals.snapshot_feature_values IS '${layout}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trading_signals DROP COLUMN snapshot_feature_values`);
  }
}
