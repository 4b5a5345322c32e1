import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { parseCount, parseNumeric } from '../database/numeric.transformer';
import { preparedQuery } from '../database/prepared-query';
import { OPEN_ORDER_STATUSES } from '../entities/order.entity';

/** A position row as a decision needs it. */
export interface DecisionPosition {
  size: number;
  closedAt: Date | null;
  unrealizedPnlPct: number | null;
}

/** What one entry decision reads of the neighbours' tables (see DecisionAccountRepository.read). */
export interface DecisionAccount {
  /** The strategy's open orders (pending / partially filled) on the asset, by side. */
  openBuy: number;
  openSell: number;
  /** Latest available balance of the base and quote coin; null = no row for the coin. */
  baseAvailable: number | null;
  quoteAvailable: number | null;
  /** The newest position row of (asset, strategy), and of (asset, no strategy); null = none. */
  own: DecisionPosition | null;
  shared: DecisionPosition | null;
}

interface Row extends Record<string, unknown> {
  open_buy: string | number;
  open_sell: string | number;
  base_available: string | null;
  quote_available: string | null;
  own_size: string | null;
  own_closed_at: Date | null;
  own_pnl_pct: number | null;
  shared_size: string | null;
  shared_closed_at: Date | null;
  shared_pnl_pct: number | null;
}

/** Newest position row of (asset, strategy key); '' = the strategy-less row. */
const POSITION = (key: string): string =>
  `LEFT JOIN LATERAL (SELECT p.size, p.closed_at, p.unrealized_pnl_pct FROM positions p
     WHERE p.asset = $1 AND COALESCE(p.strategy_id, '') = ${key} ORDER BY p.updated_at DESC LIMIT 1) AS`;
const BALANCE = (coin: string): string =>
  `(SELECT b.available_balance FROM account_balances b WHERE b.coin = ${coin} ORDER BY b.received_at DESC, b.id DESC LIMIT 1)`;

/**
 * Everything an entry decision reads of the account in ONE statement (one round trip, one pooled
 * connection): the strategy's open orders on the asset by side, the base and quote balances, and the
 * strategy's and the strategy-less position of the asset. It sits on the signal path, where five
 * separate queries cost five pool checkouts and five round trips per decision; it is a prepared statement
 * there (planned once per connection: about half the server time of planning it on every call).
 */
@Injectable()
export class DecisionAccountRepository {
  private readonly sql = `SELECT
      (SELECT count(*) FROM orders o WHERE o.asset = $1 AND o.strategy_id = $2 AND o.status = ANY($5) AND lower(o.side) = 'buy') AS open_buy,
      (SELECT count(*) FROM orders o WHERE o.asset = $1 AND o.strategy_id = $2 AND o.status = ANY($5) AND lower(o.side) <> 'buy') AS open_sell,
      ${BALANCE('$3')} AS base_available,
      ${BALANCE('$4')} AS quote_available,
      own.size AS own_size, own.closed_at AS own_closed_at, own.unrealized_pnl_pct AS own_pnl_pct,
      shared.size AS shared_size, shared.closed_at AS shared_closed_at, shared.unrealized_pnl_pct AS shared_pnl_pct
    FROM (SELECT 1) AS one
    ${POSITION('$2')} own ON true
    ${POSITION("''")} shared ON true`;

  constructor(private readonly dataSource: DataSource) {}

  async read(strategyId: string, asset: string, baseCoin: string, quoteCoin: string): Promise<DecisionAccount> {
    const rows = await preparedQuery<Row>(this.dataSource, 'decision_account_v1', this.sql, [asset, strategyId, baseCoin, quoteCoin, [...OPEN_ORDER_STATUSES]]);
    const r = rows[0];
    if (!r) throw new Error('decision account query returned no row');
    const position = (size: string | null, closedAt: Date | null, pnlPct: number | null): DecisionPosition | null =>
      size === null ? null : { size: parseNumeric(size) ?? 0, closedAt, unrealizedPnlPct: pnlPct };
    return {
      openBuy: parseCount(r.open_buy),
      openSell: parseCount(r.open_sell),
      baseAvailable: parseNumeric(r.base_available),
      quoteAvailable: parseNumeric(r.quote_available),
      own: position(r.own_size, r.own_closed_at, r.own_pnl_pct),
      shared: position(r.shared_size, r.shared_closed_at, r.shared_pnl_pct),
    };
  }
}
