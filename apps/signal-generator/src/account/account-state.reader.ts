import { AccountBalanceRepository, OrderRepository, PositionEntity, PositionRepository } from '@model-service/repositories';
import { Injectable } from '@nestjs/common';

import { splitPair } from '../guards/asset-pair';
import { AccountState, positionSizeNorm } from './account-state';

function isOpen(p: PositionEntity | null): p is PositionEntity {
  return p !== null && p.closedAt === null && p.size !== 0;
}

/**
 * Reads what the guards and the snapshot need from the neighbours' tables, in parallel: the
 * strategy's open orders on the asset, the latest available balance of base and quote coin, and the
 * strategy's position (else the asset's strategy-less position row).
 */
@Injectable()
export class AccountStateReader {
  constructor(
    private readonly orders: OrderRepository,
    private readonly balances: AccountBalanceRepository,
    private readonly positions: PositionRepository,
  ) {}

  async read(strategyId: string, asset: string, price: number): Promise<AccountState> {
    const pair = splitPair(asset);
    if (!pair) throw new Error(`cannot tell base and quote currency of ${asset}`);
    const [open, base, quote, own, shared] = await Promise.all([
      this.orders.listOpen(asset),
      this.balances.latestByCoin(pair.base),
      this.balances.latestByCoin(pair.quote),
      this.positions.findByAsset(asset, strategyId),
      this.positions.findByAsset(asset, null),
    ]);
    let buy = 0;
    let sell = 0;
    for (const o of open) {
      if (o.strategyId !== strategyId) continue;
      if (o.side.toLowerCase() === 'buy') buy++;
      else sell++;
    }
    const position = isOpen(own) ? own : isOpen(shared) ? shared : null;
    const size = position ? Math.abs(position.size) : 0;
    const value = size * price;
    const quoteAvailable = quote ? quote.availableBalance : null;
    return {
      openOrders: { count: buy + sell, buy, sell },
      balances: {
        base: pair.base,
        quote: pair.quote,
        baseAvailable: base ? base.availableBalance : null,
        quoteAvailable,
      },
      position: {
        size,
        value,
        sizeNorm: positionSizeNorm(value, quoteAvailable),
        unrealizedPnlPct: position && Number.isFinite(position.unrealizedPnlPct) ? position.unrealizedPnlPct : null,
      },
    };
  }
}
