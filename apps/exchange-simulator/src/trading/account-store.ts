import {
  AccountBalanceRepository,
  OrderEntity,
  OrderRepository,
  PositionRepository,
  UnitOfWork,
} from '@model-service/repositories';
import type { SignalType } from '@model-service/signals';
import { Injectable } from '@nestjs/common';

import type { Fill } from './fill-model';
import { LedgerPosition, unrealizedPnl, unrealizedPnlPct } from './ledger';

export interface PendingOrderRow {
  orderId: string;
  signalId: string;
  strategyId: string;
  asset: string;
  side: SignalType;
  quantity: number;
  /** Reference price the quantity was sized at. */
  price: number;
  at: number;
}

export interface FillRecord {
  orderId: string;
  fill: Fill;
  position: LedgerPosition;
  balances: Array<{ coin: string; balance: number }>;
  at: number;
}

export interface StoredAccount {
  balances: Array<{ coin: string; balance: number }>;
  positions: Array<{ rowId: string; position: LedgerPosition }>;
}

/**
 * The simulator's writes to the neighbours' tables (`orders`, `positions`, `account_balances`), through
 * the shared repositories. A fill is one transaction: order filled, position upserted, a balance row per
 * changed coin. Order times and balance event times are simulated time; account_balances.received_at
 * stays the database's clock so "latest balance" is unambiguous across restarts.
 */
@Injectable()
export class AccountStore {
  constructor(
    private readonly orders: OrderRepository,
    private readonly positions: PositionRepository,
    private readonly balances: AccountBalanceRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async load(): Promise<StoredAccount> {
    const balances = await this.balances.latestAll();
    const open = await this.positions.listOpen();
    return {
      balances: balances.map((b) => ({ coin: b.coin, balance: b.walletBalance })),
      positions: open
        .filter((p) => p.strategyId !== null && p.size > 0)
        .map((p) => ({
          rowId: p.id,
          position: {
            asset: p.asset,
            strategyId: p.strategyId as string,
            size: p.size,
            averageEntryPrice: p.averageEntryPrice,
            entryFees: 0,
            realizedPnl: p.realizedPnl,
            openedAt: p.openedAt.getTime(),
            closedAt: null,
            currentPrice: p.currentPrice,
          },
        })),
    };
  }

  /** Writes the starting balance of each coin that has no balance row yet; returns the coins written. */
  async seedBalances(initial: Record<string, number>, at: number): Promise<string[]> {
    const written: string[] = [];
    for (const [coin, amount] of Object.entries(initial)) {
      if (await this.balances.latestByCoin(coin)) continue;
      await this.balances.insert({ coin, walletBalance: amount, availableBalance: amount, frozen: 0, eventTimestamp: new Date(at) });
      written.push(coin);
    }
    return written;
  }

  /** Orders left pending by an earlier run cannot be filled any more (their signals are gone): rejected. */
  rejectLeftovers(reason: string, at: number): Promise<number> {
    return this.orders.rejectOpen(reason, new Date(at));
  }

  findBySignal(signalId: string): Promise<OrderEntity | null> {
    return this.orders.findBySignalId(signalId);
  }

  async insertPending(o: PendingOrderRow): Promise<void> {
    await this.orders.insertOnly({
      orderId: o.orderId,
      signalId: o.signalId,
      strategyId: o.strategyId,
      asset: o.asset,
      side: o.side,
      orderType: 'market',
      quantity: o.quantity,
      price: o.price,
      status: 'pending',
      filledQuantity: 0,
      averagePrice: null,
      fees: 0,
      rejectionReason: null,
      createdAt: new Date(o.at),
      updatedAt: new Date(o.at),
    });
  }

  /** A rejected order: quantity as requested, nothing filled, the reason kept. */
  async insertRejected(o: PendingOrderRow, reason: string): Promise<void> {
    await this.insertPending(o);
    await this.reject(o.orderId, reason, o.at);
  }

  async reject(orderId: string, reason: string, at: number): Promise<void> {
    await this.orders.patchAt(orderId, { status: 'rejected', rejectionReason: reason }, new Date(at));
  }

  /** Books a fill atomically; returns the id of the position's row. */
  recordFill(r: FillRecord): Promise<string> {
    return this.unitOfWork.run(async (tx) => {
      await tx.orders.patchAt(
        r.orderId,
        { status: 'filled', filledQuantity: r.fill.quantity, averagePrice: r.fill.price, fees: r.fill.fee },
        new Date(r.at),
      );
      const row = await tx.positions.upsert(positionInput(r.position));
      for (const b of r.balances) {
        await tx.balances.insert({ coin: b.coin, walletBalance: b.balance, availableBalance: b.balance, frozen: 0, eventTimestamp: new Date(r.at) });
      }
      return row.id;
    });
  }

  /** Stores a position's new mark (current price and unrealized PnL); returns its row id. */
  async saveMark(position: LedgerPosition): Promise<string> {
    const row = await this.positions.upsert(positionInput(position));
    return row.id;
  }
}

function positionInput(p: LedgerPosition) {
  return {
    asset: p.asset,
    strategyId: p.strategyId,
    size: p.size,
    averageEntryPrice: p.averageEntryPrice,
    currentPrice: p.currentPrice,
    unrealizedPnl: unrealizedPnl(p),
    unrealizedPnlPct: unrealizedPnlPct(p),
    realizedPnl: p.realizedPnl,
    openedAt: new Date(p.openedAt),
    closedAt: p.closedAt === null ? null : new Date(p.closedAt),
  };
}
