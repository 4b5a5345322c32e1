import { splitPair } from '@model-service/neighbours';
import { DecisionAccountRepository, DecisionPosition } from '@model-service/repositories';
import { Injectable } from '@nestjs/common';

import { AccountState, positionSizeNorm } from './account-state';

function isOpen(p: DecisionPosition | null): p is DecisionPosition {
  return p !== null && p.closedAt === null && p.size !== 0;
}

/**
 * Reads what the guards and the snapshot need from the neighbours' tables, in one statement: the
 * strategy's open orders on the asset, the latest available balance of base and quote coin, and the
 * strategy's position (else the asset's strategy-less position row).
 */
@Injectable()
export class AccountStateReader {
  constructor(private readonly account: DecisionAccountRepository) {}

  async read(strategyId: string, asset: string, price: number): Promise<AccountState> {
    const pair = splitPair(asset);
    if (!pair) throw new Error(`cannot tell base and quote currency of ${asset}`);
    const { openBuy: buy, openSell: sell, baseAvailable, quoteAvailable, own, shared } = await this.account.read(strategyId, asset, pair.base, pair.quote);
    const position = isOpen(own) ? own : isOpen(shared) ? shared : null;
    const size = position ? Math.abs(position.size) : 0;
    const value = size * price;
    return {
      openOrders: { count: buy + sell, buy, sell },
      balances: {
        base: pair.base,
        quote: pair.quote,
        baseAvailable,
        quoteAvailable,
      },
      position: {
        size,
        own: isOpen(own),
        value,
        sizeNorm: positionSizeNorm(value, quoteAvailable),
        unrealizedPnlPct: position && Number.isFinite(position.unrealizedPnlPct) ? position.unrealizedPnlPct : null,
      },
    };
  }
}
