import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each strategy's warm-up began (and, with WARMUP_MAX_DURATION_SECONDS, when it ended without a
 * promoted model), so the warm-up limit counts across restarts and replicas and the API can show it.
 */
export class CreateStrategyWarmupClocks1795308619500 implements MigrationInterface {
  name = 'CreateStrategyWarmupClocks1795308619500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE strategy_warmup_clocks (
        strategy_id varchar(100) PRIMARY KEY,
        started_at timestamptz NOT NULL DEFAULT now(),
        max_duration_seconds double precision NULL,
        expired_at timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE strategy_warmup_clocks`);
  }
}
