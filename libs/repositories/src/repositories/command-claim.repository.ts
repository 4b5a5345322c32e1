import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Once-only work across replicas and redeliveries: `claim(key)` is true for exactly one caller per
 * key, ever (the row in command_claims is the proof). Keys are e.g. `command:<command_id>` or
 * `schedule:<firing time>`.
 */
@Injectable()
export class CommandClaimRepository {
  constructor(private readonly dataSource: DataSource) {}

  async claim(key: string, claimedBy: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO command_claims (claim_key, claimed_by) VALUES ($1, $2) ON CONFLICT (claim_key) DO NOTHING RETURNING claim_key`,
      [key.slice(0, 200), claimedBy.slice(0, 200)],
    );
    return rows.length === 1;
  }

  /** Forgets claims older than `before` (their work is long done); returns how many. */
  async prune(before: Date): Promise<number> {
    const [, count] = (await this.dataSource.query(`DELETE FROM command_claims WHERE claimed_at < $1`, [before])) as [unknown, number];
    return count;
  }
}
