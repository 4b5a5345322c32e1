import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * command_claims: one row per piece of work that must happen once across every replica and every
 * redelivery (a training command's command_id, a firing of the retraining schedule). The first
 * INSERT wins; the others see the conflict and skip the work.
 */
export class CommandClaims1795308620000 implements MigrationInterface {
  name = 'CommandClaims1795308620000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE command_claims (
        claim_key varchar(200) PRIMARY KEY,
        claimed_by varchar(200) NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX command_claims_claimed_at_idx ON command_claims (claimed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE command_claims`);
  }
}
