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
    await this.upsertMany([state]);
  }

  /**
   * Inserts or replaces the states of many positions in one statement (one row per position_key; a
   * key must appear once). updated_at is set to now. Keep batches well under 65,535 / 12 rows.
   */
  async upsertMany(states: readonly PositionStateInput[]): Promise<void> {
    if (states.length === 0) return;
    const updatedAt = new Date();
    await this.repo.upsert(
      states.map((s) => ({ ...s, updatedAt })),
      { conflictPaths: ['positionKey'] },
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
