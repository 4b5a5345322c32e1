import { MigrationInterface, QueryRunner } from 'typeorm';

/** position_states: exit-strategy's per-position memory (peak, trailing stop, partial exits, cooldown). */
export class CreatePositionStates1795308600200 implements MigrationInterface {
  name = 'CreatePositionStates1795308600200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE position_states (
        position_key varchar(200) PRIMARY KEY,
        position_id varchar(100) NOT NULL,
        asset varchar(30) NOT NULL,
        strategy_id varchar(100) NULL,
        entry_price numeric NOT NULL,
        entry_time timestamptz NOT NULL,
        peak_price numeric NOT NULL,
        highest_unrealized_pnl_pct double precision NOT NULL DEFAULT 0,
        trailing_armed boolean NOT NULL DEFAULT false,
        partial_exits_done integer NOT NULL DEFAULT 0,
        last_exit_signal_at timestamptz NULL,
        last_update_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_position_states_asset ON position_states (asset)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE position_states`);
  }
}
