import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { toDate } from '../database/to-date';

/** One strategy's warm-up clock (strategy_warmup_clocks). */
export interface WarmupClock {
  strategyId: string;
  startedAt: Date;
  /** The limit in force when it was last started (null = unlimited). */
  maxDurationSeconds: number | null;
  /** When the limit passed with no promoted model (null = not yet, or unlimited). */
  expiredAt: Date | null;
}

interface Row {
  strategy_id: string;
  started_at: Date | string;
  max_duration_seconds: number | null;
  expired_at: Date | string | null;
}

const toClock = (r: Row): WarmupClock => ({
  strategyId: r.strategy_id,
  startedAt: toDate(r.started_at),
  maxDurationSeconds: r.max_duration_seconds === null ? null : Number(r.max_duration_seconds),
  expiredAt: r.expired_at === null ? null : toDate(r.expired_at),
});

/** When each strategy's warm-up began and ended: the warm-up limit survives restarts and replica hand-overs. */
@Injectable()
export class WarmupClockRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The strategy's clock, started at `at` (now) when it has none yet (the first start wins); records the
   * limit in force, and forgets an end the current limit no longer reaches.
   */
  async start(strategyId: string, at: Date, maxDurationSeconds: number | null): Promise<WarmupClock> {
    const rows: Row[] = await this.dataSource.query(
      `INSERT INTO strategy_warmup_clocks (strategy_id, started_at, max_duration_seconds) VALUES ($1, $2, $3)
       ON CONFLICT (strategy_id) DO UPDATE SET
         max_duration_seconds = EXCLUDED.max_duration_seconds,
         -- a limit raised (or removed) after warm-up ended lets it run again
         expired_at = CASE
           WHEN EXCLUDED.max_duration_seconds IS NULL
             OR strategy_warmup_clocks.started_at + EXCLUDED.max_duration_seconds * interval '1 second' > $2 THEN NULL
           ELSE strategy_warmup_clocks.expired_at END,
         updated_at = now()
       RETURNING strategy_id, started_at, max_duration_seconds, expired_at`,
      [strategyId, at, maxDurationSeconds],
    );
    const row = rows[0];
    if (!row) throw new Error(`no warm-up clock returned for ${strategyId}`);
    return toClock(row);
  }

  /** Records when warm-up ended (the first time only). */
  async markExpired(strategyId: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE strategy_warmup_clocks SET expired_at = COALESCE(expired_at, $2), updated_at = now() WHERE strategy_id = $1`,
      [strategyId, at],
    );
  }

  async all(): Promise<WarmupClock[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT strategy_id, started_at, max_duration_seconds, expired_at FROM strategy_warmup_clocks ORDER BY strategy_id`,
    );
    return rows.map(toClock);
  }
}
