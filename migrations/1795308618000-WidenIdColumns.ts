import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The message contracts accept identifiers of up to 128 characters (event_id, order_id, position_id,
 * trace_id, model versions); the owned tables stored only 100, so a valid message could fail its insert.
 * Widening a varchar changes the catalogue only (no table rewrite). Neighbour tables are not ours to alter.
 * `down` narrows back and fails (changing nothing) if a stored value no longer fits.
 */
const COLUMNS: ReadonlyArray<readonly [table: string, column: string]> = [
  ['model_versions', 'version'],
  ['model_versions', 'parent_version'],
  ['training_runs', 'model_version'],
  ['training_runs', 'trace_id'],
  ['trading_signals', 'model_version'],
  ['trading_signals', 'trace_id'],
  ['execution_events', 'event_id'],
  ['execution_events', 'order_id'],
  ['execution_events', 'trace_id'],
  ['position_states', 'position_id'],
];

export class WidenIdColumns1795308618000 implements MigrationInterface {
  name = 'WidenIdColumns1795308618000';

  async up(q: QueryRunner): Promise<void> {
    await setLength(q, 128);
  }

  async down(q: QueryRunner): Promise<void> {
    await setLength(q, 100);
  }
}

async function setLength(q: QueryRunner, length: number): Promise<void> {
  const byTable = new Map<string, string[]>();
  for (const [table, column] of COLUMNS) byTable.set(table, [...(byTable.get(table) ?? []), column]);
  for (const [table, columns] of byTable) {
    await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} TYPE varchar(${length})`).join(', ')}`);
  }
}
