import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PositionStateEntity } from '../entities/position-state.entity';
import { TableRepository } from './table.repository';

export type PositionStateInput = Omit<PositionStateEntity, 'updatedAt'>;

/** position_states columns (the key first) with their SQL types and fields, for upsertMany's column arrays. */
const STATE_COLUMNS: ReadonlyArray<readonly [string, string, keyof PositionStateInput]> = [
  ['position_key', 'varchar', 'positionKey'],
  ['position_id', 'varchar', 'positionId'],
  ['asset', 'varchar', 'asset'],
  ['strategy_id', 'varchar', 'strategyId'],
  ['entry_price', 'numeric', 'entryPrice'],
  ['entry_time', 'timestamptz', 'entryTime'],
  ['peak_price', 'numeric', 'peakPrice'],
  ['highest_unrealized_pnl_pct', 'double precision', 'highestUnrealizedPnlPct'],
  ['trailing_armed', 'boolean', 'trailingArmed'],
  ['partial_exits_done', 'integer', 'partialExitsDone'],
  ['last_exit_signal_at', 'timestamptz', 'lastExitSignalAt'],
  ['last_update_at', 'timestamptz', 'lastUpdateAt'],
];

@Injectable()
export class PositionStateRepository extends TableRepository<PositionStateEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, PositionStateEntity);
  }

  /** Inserts or replaces the state of one position (keyed by position_key); updated_at is set to now. */
  async upsert(state: PositionStateInput): Promise<void> {
    await this.upsertMany([state]);
  }

  /**
   * Inserts or replaces many positions' states in one statement (one array per column, so any number of
   * rows fits the bind-parameter limit); updated_at is set to now. A key must appear at most once.
   */
  async upsertMany(states: readonly PositionStateInput[]): Promise<void> {
    if (states.length === 0) return;
    const names = STATE_COLUMNS.map(([name]) => name).join(', ');
    const arrays = STATE_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
    const updates = STATE_COLUMNS.slice(1).map(([name]) => `${name} = EXCLUDED.${name}`).join(', ');
    await this.dataSource.query(
      `INSERT INTO position_states (${names}, updated_at)
       SELECT *, now() FROM unnest(${arrays})
       ON CONFLICT (position_key) DO UPDATE SET ${updates}, updated_at = EXCLUDED.updated_at`,
      STATE_COLUMNS.map(([, , field]) => states.map((s) => s[field])),
    );
  }

  get(positionKey: string): Promise<PositionStateEntity | null> {
    return this.repo.findOne({ where: { positionKey } });
  }

  /** Returns true when a row was deleted. */
  async delete(positionKey: string): Promise<boolean> {
    const result = await this.repo.delete({ positionKey });
    return (result.affected ?? 0) > 0;
  }

  all(): Promise<PositionStateEntity[]> {
    return this.repo.find({ order: { positionKey: 'ASC' } });
  }
}
