import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';

import { preparedQuery } from '../database/prepared-query';
import { Page } from '../database/sql-params';
import { toDate } from '../database/to-date';
import { TradingSignalEntity } from '../entities/trading-signal.entity';
import { TableRepository } from './table.repository';

/** The TradingSignal message as published (snake_case, as in ARCHITECTURE.md); a contract instance fits. */
export interface TradingSignalInput {
  signal_id: string;
  signal_type: string;
  asset: string;
  amount: number;
  confidence: number;
  timestamp: string | Date;
  strategy_id: string;
  model_version?: string | null;
  is_warmup: boolean;
  market_data_snapshot: object;
  metadata?: object | null;
  trace_id?: string | null;
}

/** What the trainer needs of a signal behind an execution. */
export interface SignalFacts {
  /** Quote-currency amount the signal asked for. */
  amount: number;
  /** Price at decision time (the snapshot's price when it is a positive number, else null). */
  price: number | null;
}

export interface TradingSignalFilters {
  strategyId?: string;
  asset?: string;
  signalType?: 'buy' | 'sell';
  isWarmup?: boolean;
  /** Inclusive. */
  startTime?: Date;
  /** Inclusive. */
  endTime?: Date;
}

const COLUMNS = [
  'signal_id',
  'strategy_id',
  'asset',
  'signal_type',
  'amount',
  'confidence',
  '"timestamp"',
  'model_version',
  'is_warmup',
  'market_data_snapshot',
  'metadata',
  'trace_id',
  'published_at',
];

const INSERT_SQL = `INSERT INTO trading_signals (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
  ON CONFLICT (signal_id) DO NOTHING RETURNING signal_id`;

@Injectable()
export class TradingSignalRepository extends TableRepository<TradingSignalEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, TradingSignalEntity);
  }

  /**
   * Stores a published signal. Idempotent: storing the same signal_id again (a retry after a database
   * error) changes nothing. Returns true when the row was new.
   */
  async insert(signal: TradingSignalInput, publishedAt: Date | null = new Date()): Promise<boolean> {
    // Prepared: every published signal's record is stored through here, on the publishing apps' event loop.
    const rows = await preparedQuery(
      this.dataSource,
      'insert_trading_signal_v1',
      INSERT_SQL,
      [
        signal.signal_id,
        signal.strategy_id,
        signal.asset,
        signal.signal_type.toLowerCase(),
        signal.amount,
        signal.confidence,
        toDate(signal.timestamp),
        signal.model_version ?? null,
        signal.is_warmup,
        JSON.stringify(signal.market_data_snapshot ?? {}),
        JSON.stringify(signal.metadata ?? {}),
        signal.trace_id ?? null,
        publishedAt,
      ],
    );
    return rows.length === 1;
  }

  findBySignalId(signalId: string): Promise<TradingSignalEntity | null> {
    return this.repo.findOne({ where: { signalId } });
  }

  /** Amount and decision price of each known signal among `signalIds` (one indexed query; unknown ids are absent). */
  async facts(signalIds: readonly string[]): Promise<Map<string, SignalFacts>> {
    const out = new Map<string, SignalFacts>();
    const ids = [...new Set(signalIds)];
    if (ids.length === 0) return out;
    const rows = await this.repo.find({
      select: { signalId: true, amount: true, marketDataSnapshot: true },
      where: { signalId: In(ids) },
    });
    for (const r of rows) {
      const price = Number((r.marketDataSnapshot as { price?: unknown } | null)?.price);
      out.set(r.signalId, { amount: r.amount, price: Number.isFinite(price) && price > 0 ? price : null });
    }
    return out;
  }

  /** Newest first (timestamp, then insertion order), with the total count of matching rows. */
  async list(filters: TradingSignalFilters = {}, limit = 100, offset = 0): Promise<Page<TradingSignalEntity>> {
    const qb = this.repo.createQueryBuilder('s');
    if (filters.strategyId !== undefined) qb.andWhere('s.strategy_id = :strategyId', { strategyId: filters.strategyId });
    if (filters.asset !== undefined) qb.andWhere('s.asset = :asset', { asset: filters.asset });
    if (filters.signalType !== undefined) {
      qb.andWhere('s.signal_type = :signalType', { signalType: filters.signalType.toLowerCase() });
    }
    if (filters.isWarmup !== undefined) qb.andWhere('s.is_warmup = :isWarmup', { isWarmup: filters.isWarmup });
    if (filters.startTime !== undefined) qb.andWhere('s.timestamp >= :startTime', { startTime: filters.startTime });
    if (filters.endTime !== undefined) qb.andWhere('s.timestamp <= :endTime', { endTime: filters.endTime });
    qb.orderBy('s.timestamp', 'DESC').addOrderBy('s.id', 'DESC').limit(limit).offset(offset);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, limit, offset };
  }

  /** Time of each strategy's latest signal (null when it has none); one index probe per strategy. */
  async lastSignalAt(strategyIds: string[]): Promise<Record<string, Date | null>> {
    if (strategyIds.length === 0) return {};
    const rows: Array<{ strategy_id: string; last_at: Date | null }> = await this.dataSource.query(
      `SELECT s AS strategy_id,
              (SELECT max("timestamp") FROM trading_signals t WHERE t.strategy_id = s) AS last_at
         FROM unnest($1::text[]) AS s`,
      [strategyIds],
    );
    return Object.fromEntries(rows.map((r) => [r.strategy_id, r.last_at]));
  }

  /** Signals of a strategy at or after `since` (e.g. for a frequency check). */
  countSince(strategyId: string, since: Date): Promise<number> {
    return this.repo
      .createQueryBuilder('s')
      .where('s.strategy_id = :strategyId', { strategyId })
      .andWhere('s.timestamp >= :since', { since })
      .getCount();
  }
}
