import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PositionStateEntity } from '../entities/position-state.entity';

export type PositionStateInput = Omit<PositionStateEntity, 'updatedAt'>;

@Injectable()
export class PositionStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(PositionStateEntity);
  }

  /** Inserts or replaces the state of one position (keyed by position_key); updated_at is set to now. */
  async upsert(state: PositionStateInput): Promise<void> {
    await this.repo.upsert({ ...state, updatedAt: new Date() }, { conflictPaths: ['positionKey'] });
  }

  /**
   * Inserts or replaces many positions' states in one statement (one array per column, so any number of
   * rows fits the bind-parameter limit); updated_at is set to now. A key must appear at most once.
   */
  async upsertMany(states: readonly PositionStateInput[]): Promise<void> {
    if (states.length === 0) return;
    const column = <T>(pick: (s: PositionStateInput) => T): T[] => states.map(pick);
    await this.dataSource.query(
      `INSERT INTO position_states (position_key, position_id, asset, strategy_id, entry_price, entry_time, peak_price,
              highest_unrealized_pnl_pct, trailing_armed, partial_exits_done, last_exit_signal_at, last_update_at, updated_at)
       SELECT k, id, a, st, ep, et, pp, h, ta, pe, lx, lu, now()
         FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::numeric[], $6::timestamptz[], $7::numeric[],
                     $8::double precision[], $9::boolean[], $10::integer[], $11::timestamptz[], $12::timestamptz[])
              AS t(k, id, a, st, ep, et, pp, h, ta, pe, lx, lu)
       ON CONFLICT (position_key) DO UPDATE SET
         position_id = EXCLUDED.position_id, asset = EXCLUDED.asset, strategy_id = EXCLUDED.strategy_id,
         entry_price = EXCLUDED.entry_price, entry_time = EXCLUDED.entry_time, peak_price = EXCLUDED.peak_price,
         highest_unrealized_pnl_pct = EXCLUDED.highest_unrealized_pnl_pct, trailing_armed = EXCLUDED.trailing_armed,
         partial_exits_done = EXCLUDED.partial_exits_done, last_exit_signal_at = EXCLUDED.last_exit_signal_at,
         last_update_at = EXCLUDED.last_update_at, updated_at = EXCLUDED.updated_at`,
      [
        column((s) => s.positionKey),
        column((s) => s.positionId),
        column((s) => s.asset),
        column((s) => s.strategyId),
        column((s) => s.entryPrice),
        column((s) => s.entryTime),
        column((s) => s.peakPrice),
        column((s) => s.highestUnrealizedPnlPct),
        column((s) => s.trailingArmed),
        column((s) => s.partialExitsDone),
        column((s) => s.lastExitSignalAt),
        column((s) => s.lastUpdateAt),
      ],
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
