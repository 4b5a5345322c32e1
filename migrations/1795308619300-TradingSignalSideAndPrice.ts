import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * trading_signals gets the original service's `side` and `price` columns, which ops' Grafana panels
 * read (`SELECT side, price FROM trading_signals ...`). Both are generated from what every writer
 * already stores (`signal_type`, `market_data_snapshot.price`), so old rows are filled by the
 * migration and no writer can let them disagree.
 */
export class TradingSignalSideAndPrice1795308619300 implements MigrationInterface {
  name = 'TradingSignalSideAndPrice1795308619300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trading_signals ADD COLUMN side varchar(10) GENERATED ALWAYS AS (signal_type) STORED`);
    await q.query(`
      ALTER TABLE trading_signals ADD COLUMN price numeric GENERATED ALWAYS AS (
        CASE WHEN jsonb_typeof(market_data_snapshot -> 'price') = 'number'
             THEN (market_data_snapshot ->> 'price')::numeric END
      ) STORED`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trading_signals DROP COLUMN price`);
    await q.query(`ALTER TABLE trading_signals DROP COLUMN side`);
  }
}
