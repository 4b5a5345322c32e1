import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { PositionEntity } from '../entities/position.entity';
import { RecordNotFoundError } from '../errors';
import { TableRepository } from './table.repository';

export interface PositionInput {
  asset: string;
  strategyId?: string | null;
  size: number;
  averageEntryPrice: number;
  currentPrice: number;
  unrealizedPnl: number;
  unrealizedPnlPct: number;
  realizedPnl: number;
  openedAt: Date;
  closedAt?: Date | null;
}

const UPSERT_COLUMNS = [
  'asset',
  'strategy_id',
  'size',
  'average_entry_price',
  'current_price',
  'unrealized_pnl',
  'unrealized_pnl_pct',
  'realized_pnl',
  'opened_at',
  'closed_at',
];

@Injectable()
export class PositionRepository extends TableRepository<PositionEntity, DataSource | EntityManager> {
  /** A DataSource, or the EntityManager of a transaction (see UnitOfWork). */
  constructor(dataSource: DataSource | EntityManager) {
    super(dataSource, PositionEntity);
  }

  /**
   * The position of an asset. With `strategyId` (a string, or null for the strategy-less row) the row of
   * exactly that strategy; without it, the most recently updated open position of the asset, any strategy.
   */
  findByAsset(asset: string, strategyId?: string | null): Promise<PositionEntity | null> {
    const qb = this.repo.createQueryBuilder('p').where('p.asset = :asset', { asset });
    if (strategyId === undefined) {
      qb.andWhere('p.closed_at IS NULL').andWhere('p.size <> 0');
    } else {
      qb.andWhere("COALESCE(p.strategy_id, '') = :strategyKey", { strategyKey: strategyId ?? '' });
    }
    return qb.orderBy('p.updated_at', 'DESC').getOne();
  }

  /** Open positions (not closed, non-zero size). */
  listOpen(): Promise<PositionEntity[]> {
    return this.repo
      .createQueryBuilder('p')
      .where('p.closed_at IS NULL')
      .andWhere('p.size <> 0')
      .orderBy('p.asset', 'ASC')
      .addOrderBy('p.strategy_id', 'ASC', 'NULLS FIRST')
      .getMany();
  }

  /** Inserts or replaces the row of (asset, strategy); updated_at = now. Returns the stored row. */
  async upsert(position: PositionInput): Promise<PositionEntity> {
    const values = [
      position.asset,
      position.strategyId ?? null,
      position.size,
      position.averageEntryPrice,
      position.currentPrice,
      position.unrealizedPnl,
      position.unrealizedPnlPct,
      position.realizedPnl,
      position.openedAt,
      position.closedAt ?? null,
    ];
    const placeholders = values.map((_, i) => `$${i + 1}`).join(', ');
    const updates = UPSERT_COLUMNS.slice(2)
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ');
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO positions (${UPSERT_COLUMNS.join(', ')}) VALUES (${placeholders})
       ON CONFLICT (asset, (COALESCE(strategy_id, ''))) DO UPDATE SET ${updates}, updated_at = now()
       RETURNING id`,
      values,
    );
    const id = rows[0]?.id;
    const stored = id ? await this.repo.findOne({ where: { id } }) : null;
    if (!stored) throw new RecordNotFoundError(`position ${position.asset} vanished after upsert`);
    return stored;
  }
}
